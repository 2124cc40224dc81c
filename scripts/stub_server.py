#!/usr/bin/env python3
"""A minimal loopback stand-in for the benchmarked calls.

Answers a POST naming an awsJson operation in `X-Amz-Target` with that
operation's response from AWS_JSON (`{}` for the others), in the request's
content type; every other POST with the GetResourceOauth2Token M2M response
(restJson1). Keeps connections alive, and prints its port on the first line
of stdout. It does not check signatures (the example's own stub does); it
only has to be cheap and identical for the clients being compared. Stops
when stdin closes.

`--tls CERT KEY` (PEM files) serves HTTPS instead, for timing a first
call that makes a TLS handshake (BENCHMARKS.md, "Cold start").
"""
import http.server
import socketserver
import sys
import threading

BODY = b'{"accessToken":"bench-token"}'
AWS_JSON = {
    "DynamoDB_20120810.GetItem": b'{"Item":{"pk":{"S":"k"}}}',
}


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body go out in two writes; without this, Nagle's algorithm
    # and the client's delayed ACK add 40 ms to every call.
    disable_nagle_algorithm = True

    def do_POST(self):
        length = int(self.headers.get("content-length") or 0)
        self.rfile.read(length)
        target = self.headers.get("x-amz-target")
        if target is None:
            body, content_type = BODY, "application/json"
        else:
            body = AWS_JSON.get(target, b"{}")
            content_type = self.headers.get("content-type") or "application/x-amz-json-1.0"
        self.send_response(200)
        self.send_header("content-type", content_type)
        self.send_header("content-length", str(len(body)))
        self.send_header("x-amzn-requestid", "bench")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True


server = Server(("127.0.0.1", 0), Handler)
if sys.argv[1:2] == ["--tls"]:
    import ssl

    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(sys.argv[2], sys.argv[3])
    server.socket = context.wrap_socket(server.socket, server_side=True)
print(server.server_address[1], flush=True)
threading.Thread(target=server.serve_forever, daemon=True).start()
sys.stdin.read()
server.shutdown()
