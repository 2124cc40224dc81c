//! The client against a loopback HTTP/1.1 server: what goes on the wire,
//! that the signature verifies, and how failures of the peer map to errors.
//!
//! The operation is written by hand (not generated) so these tests depend
//! only on the runtime.

use bytes::Bytes;
use opgen::sigv4::{sign, SignableBody, SignableRequest, SigningParams, SigningSettings};
use opgen::{
    BuildError, Client, Config, Credentials, Endpoint, Error, ErrorMetadata, Operation,
    OperationInput, Protocol, ProvideErrorMetadata, ServiceError, ServiceMetadata,
};
use std::fmt;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

#[path = "support/sdk_signer.rs"]
mod sdk_signer;
use sdk_signer::parse_amz_date;

/// No test waits longer than this for the peer.
const BOUND: Duration = Duration::from_secs(10);
const SECRET: &str = "loopback-secret-key";
const TOKEN: &str = "loopback-session-token";

static SERVICE: ServiceMetadata = ServiceMetadata {
    shape_id: "com.example#Things",
    sdk_id: "Things",
    api_version: "2024-01-01",
    signing_name: "things",
    endpoint_prefix: "things-api",
    protocol: Protocol::RestJson1,
};

#[derive(Debug)]
struct GetThingInput {
    name: String,
}

#[derive(Debug, PartialEq)]
struct GetThingOutput {
    body: String,
}

#[derive(Debug)]
struct GetThingError(ErrorMetadata);

impl fmt::Display for GetThingError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

impl std::error::Error for GetThingError {}

impl ProvideErrorMetadata for GetThingError {
    fn meta(&self) -> &ErrorMetadata {
        &self.0
    }
}

/// `POST /things/{name}?mode=fast` with a JSON body; a 2xx body is the
/// output, any other status a service error whose code is the body.
struct GetThing;

impl Operation for GetThing {
    type Input = GetThingInput;
    type Output = GetThingOutput;
    type Error = GetThingError;
    const NAME: &'static str = "GetThing";
    const SERVICE: &'static ServiceMetadata = &SERVICE;

    fn serialize(
        input: &GetThingInput,
        endpoint: &Endpoint,
    ) -> Result<http::Request<Bytes>, BuildError> {
        http::Request::post(format!(
            "{}/things/{}?mode=fast",
            endpoint.url(),
            input.name
        ))
        .header("content-type", "application/json")
        .body(Bytes::from(format!("{{\"name\":\"{}\"}}", input.name)))
        .map_err(|e| BuildError::other(e.to_string()))
    }

    fn deserialize(
        response: http::Response<Bytes>,
    ) -> Result<GetThingOutput, Error<GetThingError>> {
        let body = String::from_utf8_lossy(response.body()).into_owned();
        if response.status().is_success() {
            Ok(GetThingOutput { body })
        } else {
            let meta = ErrorMetadata::new(Some(body), None, None);
            Err(Error::Service(ServiceError::new(
                GetThingError(meta),
                &response,
            )))
        }
    }
}

impl OperationInput for GetThingInput {
    type Operation = GetThing;
}

fn widget() -> GetThingInput {
    GetThingInput {
        name: "widget".into(),
    }
}

/// A request as the server read it off the socket.
#[derive(Debug)]
struct Received {
    method: String,
    target: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Received {
    /// The request as an `http::Request` with an absolute URI.
    fn to_http(&self) -> http::Request<&[u8]> {
        let mut request = http::Request::builder()
            .method(self.method.as_str())
            .uri(format!(
                "http://{}{}",
                self.header("host").expect("host"),
                self.target
            ));
        for (name, value) in &self.headers {
            request = request.header(name, value);
        }
        request.body(self.body.as_slice()).expect("a valid request")
    }

    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// What the server does once it has read the request.
enum Peer {
    /// Writes this raw HTTP response.
    Respond(String),
    /// Closes the connection without a response.
    Drop,
    /// Holds the connection open without answering.
    Stall,
}

fn response(status: &str, body: &str) -> Peer {
    Peer::Respond(format!(
        "HTTP/1.1 {status}\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    ))
}

/// Starts a one-request server on 127.0.0.1; returns its URL and a handle
/// yielding the request it read.
async fn serve_once(peer: Peer) -> (String, JoinHandle<Received>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("local addr"));
    let handle = tokio::spawn(async move {
        let (mut stream, _) = tokio::time::timeout(BOUND, listener.accept())
            .await
            .expect("no connection within the bound")
            .expect("accept");
        let received = tokio::time::timeout(BOUND, read_request(&mut stream))
            .await
            .expect("request not read within the bound");
        match peer {
            Peer::Respond(raw) => {
                stream.write_all(raw.as_bytes()).await.expect("write");
                stream.shutdown().await.ok();
            }
            Peer::Drop => drop(stream),
            Peer::Stall => {
                tokio::time::sleep(BOUND).await;
                drop(stream);
            }
        }
        received
    });
    (url, handle)
}

async fn read_request(stream: &mut TcpStream) -> Received {
    let mut data = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        if let Some(at) = data.windows(4).position(|w| w == b"\r\n\r\n") {
            break at;
        }
        let n = stream.read(&mut chunk).await.expect("read");
        assert!(n > 0, "connection closed before the request head");
        data.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8(data[..head_end].to_vec()).expect("UTF-8 head");
    let mut lines = head.split("\r\n");
    let request_line = lines.next().expect("request line");
    let mut parts = request_line.split(' ');
    let method = parts.next().expect("method").to_owned();
    let target = parts.next().expect("target").to_owned();
    let headers: Vec<(String, String)> = lines
        .map(|line| {
            let (name, value) = line.split_once(':').expect("header line");
            (name.trim().to_ascii_lowercase(), value.trim().to_owned())
        })
        .collect();
    let length: usize = headers
        .iter()
        .find(|(name, _)| name == "content-length")
        .map_or(0, |(_, value)| value.parse().expect("content-length"));
    let mut body = data[head_end + 4..].to_vec();
    while body.len() < length {
        let n = stream.read(&mut chunk).await.expect("read body");
        assert!(n > 0, "connection closed in the body");
        body.extend_from_slice(&chunk[..n]);
    }
    Received {
        method,
        target,
        headers,
        body,
    }
}

fn client(url: &str) -> Config {
    Config::builder()
        .region("us-east-1")
        .credentials_provider(Credentials::new("AKIDLOOPBACK", SECRET, Some(TOKEN.into())))
        .endpoint_url(url)
        .app_name("loopback-tests")
        // One connection per server here; retries are tested in
        // fault_injection.rs.
        .retry_config(opgen::RetryConfig::disabled())
        .build()
}

/// Signs the received request again from its signed headers and returns
/// the `Authorization` value the server should have received.
fn expected_authorization(received: &Received) -> String {
    let authorization = received.header("authorization").expect("authorization");
    let signed_names: Vec<&str> = authorization
        .split("SignedHeaders=")
        .nth(1)
        .and_then(|rest| rest.split(',').next())
        .expect("SignedHeaders")
        .split(';')
        .collect();
    let headers: Vec<(&str, &str)> = received
        .headers
        .iter()
        .filter(|(name, _)| signed_names.contains(&name.as_str()))
        .map(|(name, value)| (name.as_str(), value.as_str()))
        .collect();
    let credentials = Credentials::new("AKIDLOOPBACK", SECRET, Some(TOKEN.into()));
    let params = SigningParams {
        credentials: &credentials,
        region: "us-east-1",
        service: "things",
        time: parse_amz_date(received.header("x-amz-date").expect("x-amz-date")),
        settings: SigningSettings::default(),
    };
    let request = SignableRequest {
        method: &received.method,
        uri: &received.target,
        headers: &headers,
        body: SignableBody::Bytes(&received.body),
    };
    let output = sign(&request, &params).expect("sign");
    output
        .headers()
        .iter()
        .find(|(name, _)| *name == "Authorization")
        .map(|(_, value)| value.clone())
        .expect("an Authorization header")
}

#[tokio::test]
async fn signed_call_reaches_the_server_and_its_response_is_parsed() {
    let (url, server) = serve_once(response("200 OK", "{\"ok\":true}")).await;
    let client = Client::new(client(&url));

    let output = client.send(widget()).await.expect("the call succeeds");
    assert_eq!(
        output,
        GetThingOutput {
            body: "{\"ok\":true}".into()
        }
    );

    let received = server.await.expect("server task");
    assert_eq!(received.method, "POST");
    assert_eq!(received.target, "/things/widget?mode=fast");
    assert_eq!(received.body, b"{\"name\":\"widget\"}");
    assert_eq!(
        received.header("host"),
        Some(url.trim_start_matches("http://"))
    );
    assert_eq!(received.header("content-length"), Some("17"));
    assert_eq!(received.header("amz-sdk-request"), Some("attempt=1; max=1"));
    assert_eq!(received.header("x-amz-security-token"), Some(TOKEN));
    let invocation_id = received
        .header("amz-sdk-invocation-id")
        .expect("invocation id");
    assert_eq!(invocation_id.len(), 36, "{invocation_id}");
    assert_eq!(&invocation_id[14..15], "4", "{invocation_id}");
    let user_agent = received.header("user-agent").expect("user-agent");
    assert!(user_agent.starts_with("opgen/"), "{user_agent}");
    assert!(user_agent.ends_with(" app/loopback-tests"), "{user_agent}");
    assert!(received.header("x-amz-user-agent").is_some());

    let amz_date = received.header("x-amz-date").expect("x-amz-date");
    let authorization = received.header("authorization").expect("authorization");
    let scope = format!(
        "AKIDLOOPBACK/{}/us-east-1/things/aws4_request",
        &amz_date[..8]
    );
    assert!(
        authorization.starts_with(&format!("AWS4-HMAC-SHA256 Credential={scope}, ")),
        "{authorization}"
    );
    for signed in ["host", "x-amz-date", "x-amz-security-token", "content-type"] {
        assert!(
            authorization.contains(signed),
            "{signed} unsigned: {authorization}"
        );
    }
    assert_eq!(authorization, expected_authorization(&received));
    sdk_signer::assert_sdk_agrees(
        &received.to_http(),
        &sdk_signer::Scope {
            access_key: "AKIDLOOPBACK",
            secret_key: SECRET,
            session_token: Some(TOKEN),
            region: "us-east-1",
            service: "things",
        },
    );
    // The official SDK signs exactly these for such a call: the per-attempt
    // `amz-sdk-*` headers stay unsigned, as in its requests.
    let signed = authorization
        .split("SignedHeaders=")
        .nth(1)
        .and_then(|rest| rest.split(',').next());
    assert_eq!(
        signed,
        Some("content-length;content-type;host;x-amz-date;x-amz-security-token;x-amz-user-agent")
    );
}

#[tokio::test]
async fn error_status_becomes_a_service_error() {
    let (url, server) = serve_once(response("404 Not Found", "NoSuchThing")).await;
    let client = Client::new(client(&url));

    let error = client.call::<GetThing>(widget()).await.unwrap_err();
    match &error {
        Error::Service(e) => {
            assert_eq!(e.status(), 404);
            assert_eq!(e.err().meta().code(), Some("NoSuchThing"));
        }
        other => panic!("expected a service error, got {other:?}"),
    }
    server.await.expect("server task");
}

#[tokio::test]
async fn connection_dropped_without_response_is_a_transport_error() {
    let (url, server) = serve_once(Peer::Drop).await;
    let client = Client::new(client(&url));

    let error = client.send(widget()).await.unwrap_err();
    match &error {
        Error::Transport(e) => assert!(
            std::error::Error::source(e).is_some(),
            "the cause is kept: {e:?}"
        ),
        other => panic!("expected a transport error, got {other:?}"),
    }
    server.await.expect("server task");
}

#[tokio::test]
async fn connection_refused_is_a_transport_error() {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("local addr"));
    drop(listener);
    let client = Client::new(client(&url));

    let error = client.send(widget()).await.unwrap_err();
    assert!(matches!(error, Error::Transport(_)), "{error:?}");
}

#[tokio::test]
async fn stalled_server_hits_the_attempt_timeout() {
    let (url, server) = serve_once(Peer::Stall).await;
    let limit = Duration::from_millis(300);
    let client = Client::new(client(&url).to_builder().attempt_timeout(limit).build());

    let started = Instant::now();
    let error = client.send(widget()).await.unwrap_err();
    match &error {
        Error::Timeout(e) => {
            assert_eq!(e.which(), "attempt");
            assert_eq!(e.after(), limit);
        }
        other => panic!("expected a timeout, got {other:?}"),
    }
    assert!(
        started.elapsed() < BOUND / 2,
        "took {:?}",
        started.elapsed()
    );
    server.abort();
}

#[tokio::test]
async fn stalled_server_hits_the_operation_timeout() {
    let (url, server) = serve_once(Peer::Stall).await;
    let limit = Duration::from_millis(300);
    let client = Client::new(client(&url).to_builder().operation_timeout(limit).build());

    let error = client.send(widget()).await.unwrap_err();
    match &error {
        Error::Timeout(e) => assert_eq!(e.which(), "operation"),
        other => panic!("expected a timeout, got {other:?}"),
    }
    server.abort();
}

#[tokio::test]
async fn missing_region_is_an_error_not_a_panic() {
    let config = Config::from_env_with(
        opgen::profile::Env::from_pairs([
            ("AWS_ACCESS_KEY_ID", "AKID"),
            ("AWS_SECRET_ACCESS_KEY", "SECRET"),
            ("HOME", "/nonexistent-home"),
        ]),
        opgen::profile::Fs::from_fn(|_| Err(std::io::ErrorKind::NotFound.into())),
    );
    let client = Client::new(config);

    let error = client.send(widget()).await.unwrap_err();
    match &error {
        Error::Endpoint(e) => assert!(e.to_string().contains("region"), "{e}"),
        other => panic!("expected an endpoint error, got {other:?}"),
    }
}

#[test]
fn default_http_client_builds_with_the_ring_provider() {
    opgen::DefaultHttpClient::new().expect("hyper + rustls (ring) + platform roots");
}
