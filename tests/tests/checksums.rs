//! Flexible checksums (`aws.protocols#httpChecksum`) on the wire: the
//! checksum headers a loopback server receives, under each setting, and
//! responses whose body does not match their checksum, read whole and as a
//! stream.
//!
//! Expected checksums were computed with Python (`zlib.crc32`, `hashlib`,
//! and bitwise CRC-32C and CRC-64/NVME) when the tests were written.

mod files {
    opgen::include_operation!(
        "DeleteFiles",
        "PutFile",
        "GetFile",
        "ReadFile",
        model = "ui/models/checksums.json"
    );
}

use files::*;
use opgen::{
    ChecksumAlgorithm, Client, Config, Credentials, Error, RequestChecksumCalculation,
    ResponseChecksumValidation,
};
use std::collections::BTreeMap;
use std::future::Future;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

/// No test waits longer than this, whatever the client or server does.
const BOUND: Duration = Duration::from_secs(20);

async fn bounded<T>(test: impl Future<Output = T>) -> T {
    tokio::time::timeout(BOUND, test)
        .await
        .expect("the test did not finish within the bound")
}

/// A request as the server read it off the socket.
#[derive(Debug)]
struct Received {
    head: String,
    /// Header names lowercased.
    headers: BTreeMap<String, String>,
    body: Vec<u8>,
}

impl Received {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).map(String::as_str)
    }

    /// The `x-amz-checksum-*` and `x-amz-sdk-checksum-algorithm` headers.
    fn checksum_headers(&self) -> Vec<(&str, &str)> {
        self.headers
            .iter()
            .filter(|(name, _)| {
                name.starts_with("x-amz-checksum-") || name.starts_with("x-amz-sdk-checksum")
            })
            .map(|(name, value)| (name.as_str(), value.as_str()))
            .collect()
    }
}

async fn read_request(socket: &mut tokio::net::TcpStream) -> Received {
    let mut received = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        let n = socket.read(&mut buf).await.expect("read the request");
        assert!(n > 0, "the client closed before sending a whole request");
        received.extend_from_slice(&buf[..n]);
        let Some(end) = received.windows(4).position(|w| w == b"\r\n\r\n") else {
            continue;
        };
        let head = String::from_utf8_lossy(&received[..end]).into_owned();
        let headers: BTreeMap<String, String> = head
            .lines()
            .skip(1)
            .filter_map(|l| l.split_once(':'))
            .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
            .collect();
        let length = headers
            .get("content-length")
            .and_then(|v| v.parse::<usize>().ok())
            .unwrap_or(0);
        if received.len() >= end + 4 + length {
            let body = received[end + 4..end + 4 + length].to_vec();
            return Received {
                head,
                headers,
                body,
            };
        }
    }
}

/// A loopback server answering one connection per response in `responses`
/// (raw HTTP, each closing its connection); the handle yields the requests.
async fn serve(responses: Vec<String>) -> (String, JoinHandle<Vec<Received>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let server = tokio::spawn(async move {
        let mut requests = Vec::new();
        for response in responses {
            let (mut socket, _) = listener.accept().await.unwrap();
            requests.push(read_request(&mut socket).await);
            socket.write_all(response.as_bytes()).await.unwrap();
            socket.shutdown().await.ok();
        }
        requests
    });
    (url, server)
}

fn ok(headers: &str, body: &str) -> String {
    format!(
        "HTTP/1.1 200 OK\r\nconnection: close\r\n{headers}content-length: {}\r\n\r\n{body}",
        body.len()
    )
}

fn client(url: &str) -> Client {
    Client::new(
        Config::builder()
            .region("us-east-1")
            .credentials_provider(Credentials::new("AKID", "SECRET", None))
            .endpoint_url(url)
            .retry_config(opgen::RetryConfig::disabled())
            .build(),
    )
}

fn when_required(client: &Client) -> Client {
    client.with_config_override(|c| {
        c.request_checksum_calculation(RequestChecksumCalculation::WhenRequired)
            .response_checksum_validation(ResponseChecksumValidation::WhenRequired)
    })
}

fn put(algorithm: Option<ChecksumAlgorithm_>) -> PutFileInput {
    PutFileInput::builder()
        .name("greeting")
        .body("Hello world")
        .set_checksum_algorithm(algorithm)
        .build()
        .unwrap()
}

/// The generated enum, named apart from the runtime's `ChecksumAlgorithm`.
type ChecksumAlgorithm_ = files::ChecksumAlgorithm;

fn delete() -> DeleteFilesInput {
    DeleteFilesInput::builder()
        .names(["a", "b"])
        .build()
        .unwrap()
}

#[tokio::test]
async fn a_required_checksum_is_crc32_by_default_and_names_its_algorithm() {
    bounded(async {
        let (url, server) = serve(vec![ok("", r#"{"Deleted":2}"#)]).await;
        let output = client(&url).send(delete()).await.unwrap();
        assert_eq!(output.deleted(), Some(2));
        let requests = server.await.unwrap();
        let request = &requests[0];
        assert_eq!(request.body, br#"{"Names":["a","b"]}"#, "{request:?}");
        assert_eq!(
            request.checksum_headers(),
            [
                ("x-amz-checksum-crc32", "ve9UEQ=="),
                ("x-amz-sdk-checksum-algorithm", "CRC32"),
            ],
            "{}",
            request.head
        );
        // The flexible checksum replaces the Content-MD5 of the model's
        // older @httpChecksumRequired.
        assert_eq!(request.header("content-md5"), None);
        // The checksum is signed with the rest of the headers.
        let authorization = request.header("authorization").unwrap();
        assert!(
            authorization.contains("x-amz-checksum-crc32;")
                && authorization.contains("x-amz-sdk-checksum-algorithm"),
            "{authorization}"
        );
    })
    .await;
}

#[tokio::test]
async fn uploads_get_a_crc32_by_default_and_the_chosen_algorithm_otherwise() {
    bounded(async {
        let cases = [
            (None, ("x-amz-checksum-crc32", "i9aeUg=="), "CRC32"),
            (
                Some(ChecksumAlgorithm_::Crc32c),
                ("x-amz-checksum-crc32c", "crUfeA=="),
                "CRC32C",
            ),
            (
                Some(ChecksumAlgorithm_::Crc64nvme),
                ("x-amz-checksum-crc64nvme", "OOJZ0D8xKts="),
                "CRC64NVME",
            ),
            (
                Some(ChecksumAlgorithm_::Sha1),
                ("x-amz-checksum-sha1", "e1AsOh9IyGCa4hLN+2Od7jlnP14="),
                "SHA1",
            ),
            (
                Some(ChecksumAlgorithm_::Sha256),
                (
                    "x-amz-checksum-sha256",
                    "ZOyIygCyaOW6GjVnihtTFtIS9PNmskdyMlNKiuyjfzw=",
                ),
                "SHA256",
            ),
        ];
        let (url, server) = serve(cases.iter().map(|_| ok("", "")).collect()).await;
        let client = client(&url);
        for (algorithm, _, _) in &cases {
            client.send(put(algorithm.clone())).await.unwrap();
        }
        let requests = server.await.unwrap();
        for (request, (_, checksum, name)) in requests.iter().zip(&cases) {
            assert_eq!(request.body, b"Hello world");
            assert_eq!(
                request.checksum_headers(),
                [*checksum, ("x-amz-sdk-checksum-algorithm", *name)],
                "{}",
                request.head
            );
        }
    })
    .await;
}

#[tokio::test]
async fn when_required_only_required_or_chosen_checksums_are_sent() {
    bounded(async {
        let (url, server) = serve(vec![ok("", "{}"), ok("", ""), ok("", "")]).await;
        let client = when_required(&client(&url));
        client.send(delete()).await.unwrap();
        client.send(put(None)).await.unwrap();
        client
            .send(put(Some(ChecksumAlgorithm_::Crc32c)))
            .await
            .unwrap();
        let requests = server.await.unwrap();
        assert_eq!(
            requests[0].checksum_headers(),
            [
                ("x-amz-checksum-crc32", "ve9UEQ=="),
                ("x-amz-sdk-checksum-algorithm", "CRC32"),
            ]
        );
        assert_eq!(requests[1].checksum_headers(), [], "{}", requests[1].head);
        assert_eq!(
            requests[2].checksum_headers(),
            [
                ("x-amz-checksum-crc32c", "crUfeA=="),
                ("x-amz-sdk-checksum-algorithm", "CRC32C"),
            ]
        );
    })
    .await;
}

#[tokio::test]
async fn a_checksum_the_caller_set_is_sent_as_it_is() {
    bounded(async {
        let (url, server) = serve(vec![ok("", "")]).await;
        let input = PutFileInput::builder()
            .name("greeting")
            .body("Hello world")
            .checksum_crc32("precomputed")
            .build()
            .unwrap();
        client(&url).send(input).await.unwrap();
        let requests = server.await.unwrap();
        assert_eq!(
            requests[0].checksum_headers(),
            [("x-amz-checksum-crc32", "precomputed")]
        );
    })
    .await;
}

#[tokio::test]
async fn an_algorithm_opgen_cannot_compute_is_a_build_error() {
    let error = client("http://127.0.0.1:9")
        .send(put(Some(ChecksumAlgorithm_::Md5)))
        .await
        .unwrap_err();
    let Error::Build(build) = &error else {
        panic!("expected a build error, got {error:?}");
    };
    assert!(
        build.to_string().contains("cannot compute a MD5 checksum"),
        "{build}"
    );
}

fn get() -> GetFileInput {
    GetFileInput::builder().name("greeting").build().unwrap()
}

#[tokio::test]
async fn a_response_checksum_is_asked_for_and_validated_by_default() {
    bounded(async {
        let (url, server) = serve(vec![
            ok("x-amz-checksum-crc32: i9aeUg==\r\n", "Hello world"),
            ok("x-amz-checksum-crc32: AAAAAA==\r\n", "Hello world"),
            // A composite checksum of a multipart upload is not validated.
            ok("x-amz-checksum-crc32: AAAAAA==-2\r\n", "Hello world"),
        ])
        .await;
        let client = client(&url);
        let output = client.send(get()).await.unwrap();
        assert_eq!(
            output.body().map(|b| b.as_bytes()),
            Some(&b"Hello world"[..])
        );

        let error = client.send(get()).await.unwrap_err();
        let Error::Response(response) = &error else {
            panic!("expected a response error, got {error:?}");
        };
        let mismatch = response.checksum_mismatch().expect("a checksum mismatch");
        assert_eq!(mismatch.algorithm(), ChecksumAlgorithm::Crc32);
        assert_eq!(mismatch.expected(), "AAAAAA==");
        assert_eq!(mismatch.actual(), "i9aeUg==");
        assert_eq!(response.body().as_ref(), b"Hello world");

        client.send(get()).await.unwrap();
        let requests = server.await.unwrap();
        for request in &requests {
            assert_eq!(
                request.checksum_headers(),
                [("x-amz-checksum-mode", "ENABLED")]
            );
        }
    })
    .await;
}

#[tokio::test]
async fn when_required_responses_are_validated_only_in_checksum_mode() {
    bounded(async {
        let corrupted = || ok("x-amz-checksum-sha256: AAAA\r\n", "Hello world");
        let (url, server) = serve(vec![corrupted(), corrupted()]).await;
        let client = when_required(&client(&url));
        client.send(get()).await.unwrap();
        let enabled = GetFileInput::builder()
            .name("greeting")
            .checksum_mode(ChecksumMode::Enabled)
            .build()
            .unwrap();
        let error = client.send(enabled).await.unwrap_err();
        let Error::Response(response) = &error else {
            panic!("expected a response error, got {error:?}");
        };
        let mismatch = response.checksum_mismatch().expect("a checksum mismatch");
        assert_eq!(mismatch.algorithm(), ChecksumAlgorithm::Sha256);
        assert_eq!(
            mismatch.actual(),
            "ZOyIygCyaOW6GjVnihtTFtIS9PNmskdyMlNKiuyjfzw="
        );
        let requests = server.await.unwrap();
        assert_eq!(requests[0].checksum_headers(), []);
        assert_eq!(
            requests[1].checksum_headers(),
            [("x-amz-checksum-mode", "ENABLED")]
        );
    })
    .await;
}

fn read() -> ReadFileInput {
    ReadFileInput::builder().name("greeting").build().unwrap()
}

/// A chunked response of `Hello world` in two chunks, with `checksum`.
fn chunked(checksum: &str) -> String {
    format!(
        "HTTP/1.1 200 OK\r\nconnection: close\r\n{checksum}transfer-encoding: chunked\r\n\r\n\
         6\r\nHello \r\n5\r\nworld\r\n0\r\n\r\n"
    )
}

#[tokio::test]
async fn a_streaming_body_is_validated_as_it_ends() {
    bounded(async {
        let (url, server) = serve(vec![
            chunked("x-amz-checksum-crc64nvme: OOJZ0D8xKts=\r\n"),
            chunked("x-amz-checksum-crc32c: AAAAAA==\r\n"),
        ])
        .await;
        let client = client(&url);
        let mut output = client.send(read()).await.unwrap();
        assert_eq!(output.take_body().collect().await.unwrap(), "Hello world");

        let mut output = client.send(read()).await.unwrap();
        let mut stream = output.take_body();
        let mut read = Vec::new();
        let error = loop {
            match stream.next().await.expect("an error before the end") {
                Ok(chunk) => read.extend_from_slice(&chunk),
                Err(error) => break error,
            }
        };
        // Every byte is delivered before the verdict.
        assert_eq!(read, b"Hello world");
        let mismatch = error.checksum_mismatch().expect("a checksum mismatch");
        assert_eq!(mismatch.algorithm(), ChecksumAlgorithm::Crc32c);
        assert_eq!(mismatch.expected(), "AAAAAA==");
        assert_eq!(mismatch.actual(), "crUfeA==");
        assert!(!error.is_transient());
        assert!(stream.next().await.is_none());
        server.await.unwrap();
    })
    .await;
}
