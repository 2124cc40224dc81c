//! `@streaming` blob payloads: the output body reaches the caller chunk by
//! chunk while the server is still sending, error responses of a streaming
//! operation are still typed, and request payloads are sent from memory.

mod agents {
    opgen::include_operation!("Invoke", model = "ui/models/streaming.json");
}

use agents::*;
use bytes::Bytes;
use opgen::{ByteStream, Client, Config, Credentials, Endpoint, Error, Operation};
use std::future::Future;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio::sync::oneshot;

/// No test waits longer than this, whatever the client or server does.
const BOUND: Duration = Duration::from_secs(20);

async fn bounded<T>(test: impl Future<Output = T>) -> T {
    tokio::time::timeout(BOUND, test)
        .await
        .expect("the test did not finish within the bound")
}

fn client(url: &str) -> Client {
    Client::new(
        Config::builder()
            .region("us-east-1")
            .credentials_provider(Credentials::new("AKID", "SECRET", None))
            .endpoint_url(url)
            .build(),
    )
}

fn input(payload: impl Into<ByteStream>) -> InvokeInput {
    InvokeInput::builder()
        .name("helper")
        .payload(payload)
        .build()
        .expect("a complete input")
}

/// Reads one request head and its `content-length` body; returns the raw
/// request text.
async fn read_request(socket: &mut tokio::net::TcpStream) -> String {
    let mut received = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        let n = socket.read(&mut buf).await.expect("read the request");
        assert!(n > 0, "the client closed before sending a whole request");
        received.extend_from_slice(&buf[..n]);
        let text = String::from_utf8_lossy(&received).into_owned();
        if let Some(end) = text.find("\r\n\r\n") {
            let length = text[..end]
                .lines()
                .find_map(|l| {
                    let (name, value) = l.split_once(':')?;
                    name.eq_ignore_ascii_case("content-length")
                        .then(|| value.trim().parse::<usize>().ok())
                        .flatten()
                })
                .unwrap_or(0);
            if received.len() >= end + 4 + length {
                return text;
            }
        }
    }
}

/// A loopback server that reads one request and lets `respond` answer on
/// its socket; returns the server's URL.
async fn answer_once<F, R>(respond: F) -> String
where
    F: FnOnce(tokio::net::TcpStream) -> R + Send + 'static,
    R: Future<Output = ()> + Send,
{
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        let (mut socket, _) = listener.accept().await.unwrap();
        read_request(&mut socket).await;
        respond(socket).await;
    });
    url
}

#[tokio::test]
async fn the_output_stream_delivers_chunks_before_the_response_ends() {
    bounded(async {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let (first_read_tx, first_read_rx) = oneshot::channel::<()>();
        let server = tokio::spawn(async move {
            let (mut socket, _) = listener.accept().await.unwrap();
            let request = read_request(&mut socket).await;
            socket
                .write_all(
                    b"HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\nx-session-id: s-1\r\n\
                      transfer-encoding: chunked\r\n\r\n6\r\nhello \r\n",
                )
                .await
                .unwrap();
            // The rest is sent only once the client has read the first
            // chunk: a client that waited for the whole body would hang.
            first_read_rx.await.unwrap();
            socket.write_all(b"5\r\nworld\r\n0\r\n\r\n").await.unwrap();
            request
        });

        let mut output = client(&url).send(input("question")).await.unwrap();
        assert_eq!(output.content_type(), "text/event-stream");
        assert_eq!(output.session_id(), Some("s-1"));
        let mut stream = output.take_response();
        let first = stream.next().await.unwrap().unwrap();
        assert_eq!(first, "hello ");
        first_read_tx.send(()).unwrap();
        assert_eq!(stream.collect().await.unwrap(), "world");

        let request = server.await.unwrap();
        assert!(
            request.starts_with("POST /agents/helper/invoke HTTP/1.1\r\n"),
            "{request}"
        );
        assert!(
            request
                .to_ascii_lowercase()
                .contains("content-type: application/octet-stream"),
            "{request}"
        );
        assert!(request.ends_with("\r\n\r\nquestion"), "{request}");
    })
    .await;
}

#[tokio::test]
async fn an_error_response_of_a_streaming_operation_is_typed() {
    bounded(async {
        let url = answer_once(|mut socket| async move {
            let body = r#"{"message":"payload too short"}"#;
            let head = format!(
                "HTTP/1.1 400 Bad Request\r\ncontent-type: application/json\r\n\
                 x-amzn-errortype: BadInput\r\nx-amzn-requestid: req-7\r\ncontent-length: {}\r\n\r\n",
                body.len()
            );
            socket.write_all(head.as_bytes()).await.unwrap();
            socket.write_all(body.as_bytes()).await.unwrap();
        })
        .await;

        let error = client(&url).send(input("?")).await.unwrap_err();
        let Error::Service(service) = error else {
            panic!("expected a service error, got {error:?}");
        };
        assert_eq!(service.status(), 400);
        match service.err() {
            InvokeError::BadInput(bad) => assert_eq!(bad.message(), Some("payload too short")),
            other => panic!("expected BadInput, got {other:?}"),
        }
    })
    .await;
}

#[tokio::test]
async fn an_endless_error_body_of_a_streaming_operation_is_read_up_to_the_cap() {
    bounded(async {
        let url = answer_once(|mut socket| async move {
            let head = "HTTP/1.1 400 Bad Request\r\ncontent-type: application/json\r\n\
                        x-amzn-errortype: BadInput\r\ntransfer-encoding: chunked\r\n\r\n";
            socket.write_all(head.as_bytes()).await.unwrap();
            // 64 KiB chunks (`10000` in hex) until the client goes away.
            let mut chunk = b"10000\r\n".to_vec();
            chunk.extend_from_slice(&[b' '; 0x10000]);
            chunk.extend_from_slice(b"\r\n");
            while socket.write_all(&chunk).await.is_ok() {}
        })
        .await;

        let client = Client::new(
            client(&url)
                .config()
                .to_builder()
                .retry_config(opgen::RetryConfig::disabled())
                .build(),
        );
        let error = client.send(input("?")).await.unwrap_err();
        let Error::Service(service) = error else {
            panic!("expected a service error, got {error:?}");
        };
        assert_eq!(service.status(), 400);
        assert!(matches!(service.err(), InvokeError::BadInput(_)));
        assert_eq!(service.body().len(), opgen::MAX_ERROR_RESPONSE_BODY);
    })
    .await;
}

#[tokio::test]
async fn sans_io_deserialize_wraps_a_whole_body_in_a_stream() {
    let response = http::Response::builder()
        .status(200)
        .header("content-type", "application/octet-stream")
        .body(Bytes::from_static(b"\x00\x01binary"))
        .unwrap();
    let mut output = Invoke::deserialize(response).unwrap();
    assert_eq!(
        output.take_response().collect().await.unwrap(),
        &b"\x00\x01binary"[..]
    );

    // A required header left out is filled with its zero value (Smithy's
    // client error correction) rather than failing the call.
    let response = http::Response::builder()
        .status(200)
        .body(Bytes::from_static(b"kept"))
        .unwrap();
    let mut output = Invoke::deserialize(response).unwrap();
    assert_eq!(output.content_type(), "");
    assert_eq!(output.take_response().collect().await.unwrap(), "kept");
}

#[test]
fn a_request_payload_must_be_in_memory() {
    let endpoint = Endpoint::new("https://agents.us-east-1.amazonaws.com");
    let request = Invoke::serialize(&input(vec![1u8, 2, 3]), &endpoint).unwrap();
    assert_eq!(request.body().as_ref(), [1u8, 2, 3]);

    let from_body = ByteStream::from_body(http_body_full("streamed"));
    let error = Invoke::serialize(&input(from_body), &endpoint).unwrap_err();
    assert!(error.to_string().contains("must be in memory"), "{error}");
}

#[test]
fn debug_never_reads_or_shows_the_stream() {
    let shown = format!("{:?}", input("secret question"));
    assert!(shown.contains("ByteStream(15 bytes in memory)"), "{shown}");
    assert!(!shown.contains("secret question"), "{shown}");
}

/// A one-frame HTTP body, standing in for another HTTP stack's body type.
fn http_body_full(
    text: &'static str,
) -> impl http_body::Body<Data = Bytes, Error = std::convert::Infallible> + Send + Sync {
    struct Full(Option<Bytes>);
    impl http_body::Body for Full {
        type Data = Bytes;
        type Error = std::convert::Infallible;
        fn poll_frame(
            mut self: std::pin::Pin<&mut Self>,
            _cx: &mut std::task::Context<'_>,
        ) -> std::task::Poll<Option<Result<http_body::Frame<Bytes>, Self::Error>>> {
            std::task::Poll::Ready(self.0.take().map(|b| Ok(http_body::Frame::data(b))))
        }
    }
    Full(Some(Bytes::from_static(text.as_bytes())))
}
