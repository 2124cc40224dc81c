//! The generated `GetResourceOauth2Token` client against a raw loopback TCP
//! server that misbehaves on purpose: throttling, 5xx, connection resets,
//! stalls, malformed and huge bodies, a refused signature, a drained retry
//! quota. Each server answers its `n`th connection with the `n`th step of
//! its script (the last step repeats); responses close the connection, so
//! each attempt is a connection of its own.
//!
//! Every test runs within [`BOUND`]; nothing may hang or panic.

mod agentcore {
    opgen::include_operation!("GetResourceOauth2Token");
}

use agentcore::*;
use opgen::{AsyncSleep, Client, Config, Credentials, Error, RetryConfig, SleepFuture};
use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

/// No test waits longer than this, whatever the client or server does.
const BOUND: Duration = Duration::from_secs(20);
/// Small enough that tests with real sleeps stay fast.
const BACKOFF: Duration = Duration::from_millis(40);
const SUCCESS: &str = r#"{"accessToken":"token-after-retries"}"#;

/// Runs `test` within [`BOUND`].
async fn bounded<T>(test: impl Future<Output = T>) -> T {
    tokio::time::timeout(BOUND, test)
        .await
        .expect("the test did not finish within the bound")
}

/// What the server does on one connection, once it has read the request.
#[derive(Clone)]
enum Step {
    /// Writes this raw HTTP response and closes.
    Respond(Vec<u8>),
    /// Resets the connection (RST) without a response.
    Reset,
    /// Holds the connection open without answering.
    Stall,
    /// Writes this status and headers, then a chunked body of `x` without
    /// end, until the client goes away.
    Endless(u16, Vec<(&'static str, &'static str)>),
}

fn json(status: u16, headers: &[(&str, &str)], body: &str) -> Step {
    let mut head = format!(
        "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n",
        body.len()
    );
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    let mut raw = head.into_bytes();
    raw.extend_from_slice(body.as_bytes());
    Step::Respond(raw)
}

fn error(status: u16, code: &str, request_id: &str) -> Step {
    json(
        status,
        &[("x-amzn-requestid", request_id), ("x-amzn-errortype", code)],
        &format!(r#"{{"message":"{code} from the fault injector"}}"#),
    )
}

fn success() -> Step {
    json(200, &[("x-amzn-requestid", "req-ok")], SUCCESS)
}

/// A request as read off the socket; header names are lowercase.
#[derive(Debug, Clone)]
struct Received {
    headers: Vec<(String, String)>,
}

impl Received {
    fn header(&self, name: &str) -> &str {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
            .unwrap_or_else(|| panic!("no `{name}` header: {self:?}"))
    }
}

/// A loopback server playing a script; stopped when dropped.
struct Server {
    url: String,
    received: Arc<Mutex<Vec<Received>>>,
    task: JoinHandle<()>,
}

impl Server {
    async fn start(script: Vec<Step>) -> Server {
        assert!(!script.is_empty());
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let url = format!("http://{}", listener.local_addr().expect("local addr"));
        let received = Arc::new(Mutex::new(Vec::new()));
        let log = received.clone();
        let task = tokio::spawn(async move {
            let mut connection = 0;
            while let Ok((stream, _)) = listener.accept().await {
                let step = script[connection.min(script.len() - 1)].clone();
                connection += 1;
                tokio::spawn(serve(stream, step, log.clone()));
            }
        });
        Server {
            url,
            received,
            task,
        }
    }

    fn requests(&self) -> Vec<Received> {
        self.received.lock().expect("the log").clone()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn serve(mut stream: TcpStream, step: Step, log: Arc<Mutex<Vec<Received>>>) {
    let Some(request) = read_request(&mut stream).await else {
        return;
    };
    log.lock().expect("the log").push(request);
    match step {
        Step::Respond(raw) => {
            // The client may give up first (e.g. on a huge body).
            let _ = stream.write_all(&raw).await;
            let _ = stream.shutdown().await;
        }
        Step::Reset => {
            // A zero linger turns the close into a reset (RST, not FIN).
            let _ = stream.set_zero_linger();
            drop(stream);
        }
        Step::Stall => {
            tokio::time::sleep(BOUND).await;
            drop(stream);
        }
        Step::Endless(status, headers) => {
            let mut head = format!(
                "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n"
            );
            for (name, value) in headers {
                head.push_str(&format!("{name}: {value}\r\n"));
            }
            head.push_str("\r\n");
            if stream.write_all(head.as_bytes()).await.is_err() {
                return;
            }
            // 64 KiB chunks: `10000` is the size in hex.
            let mut chunk = b"10000\r\n".to_vec();
            chunk.extend_from_slice(&[b'x'; 0x10000]);
            chunk.extend_from_slice(b"\r\n");
            // Ends when the client closes the connection; the test's bound
            // ends it otherwise.
            while stream.write_all(&chunk).await.is_ok() {}
        }
    }
}

/// Reads one request (head and `content-length` body); `None` if the client
/// went away first.
async fn read_request(stream: &mut TcpStream) -> Option<Received> {
    let mut data = Vec::new();
    let mut chunk = [0u8; 8192];
    let head_end = loop {
        if let Some(at) = data.windows(4).position(|w| w == b"\r\n\r\n") {
            break at;
        }
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        data.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&data[..head_end]).into_owned();
    let headers: Vec<(String, String)> = head
        .split("\r\n")
        .skip(1)
        .filter_map(|line| line.split_once(':'))
        .map(|(name, value)| (name.trim().to_ascii_lowercase(), value.trim().to_owned()))
        .collect();
    let length: usize = headers
        .iter()
        .find(|(name, _)| name == "content-length")
        .and_then(|(_, value)| value.parse().ok())
        .unwrap_or(0);
    let mut body_len = data.len() - head_end - 4;
    while body_len < length {
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        body_len += n;
    }
    Some(Received { headers })
}

/// Records each backoff delay; sleeps for real only when `real`.
#[derive(Debug, Clone, Default)]
struct RecordingSleep {
    delays: Arc<Mutex<Vec<Duration>>>,
    real: bool,
}

impl RecordingSleep {
    fn delays(&self) -> Vec<Duration> {
        self.delays.lock().expect("the delays").clone()
    }
}

impl AsyncSleep for RecordingSleep {
    fn sleep(&self, duration: Duration) -> SleepFuture {
        self.delays.lock().expect("the delays").push(duration);
        let real = self.real;
        Box::pin(async move {
            if real {
                tokio::time::sleep(duration).await;
            }
        })
    }
}

/// A client of `server` with predictable, short backoffs recorded by
/// `sleep`; `tune` changes the rest.
fn client(
    server: &Server,
    sleep: &RecordingSleep,
    tune: impl FnOnce(opgen::ConfigBuilder) -> opgen::ConfigBuilder,
) -> Client {
    let config = Config::builder()
        .region("us-east-1")
        .credentials_provider(Credentials::new("AKIDFAULTS", "fault-secret", None))
        .endpoint_url(&server.url)
        .retry_config(
            RetryConfig::standard()
                .initial_backoff(BACKOFF)
                .jitter(false),
        )
        .sleep_impl(sleep.clone());
    Client::new(tune(config).build())
}

fn input() -> GetResourceOauth2TokenRequest {
    GetResourceOauth2TokenRequest::builder()
        .workload_identity_token("workload-token")
        .resource_credential_provider_name("billing-api")
        .scopes(["invoices:read"])
        .oauth2_flow(Oauth2FlowType::M2m)
        .build()
        .expect("a complete request")
}

/// The `amz-sdk-request` header of each request.
fn attempts(server: &Server) -> Vec<String> {
    server
        .requests()
        .iter()
        .map(|r| r.header("amz-sdk-request").to_owned())
        .collect()
}

#[tokio::test]
async fn throttling_twice_then_success_takes_three_attempts_with_backoff() {
    bounded(async {
        let server = Server::start(vec![
            error(429, "ThrottlingException", "req-1"),
            error(429, "ThrottlingException", "req-2"),
            success(),
        ])
        .await;
        let sleep = RecordingSleep {
            real: true,
            ..RecordingSleep::default()
        };
        let client = client(&server, &sleep, |c| c);

        let started = Instant::now();
        let output = client
            .send(input())
            .await
            .expect("the third attempt succeeds");
        let elapsed = started.elapsed();

        assert_eq!(output.access_token(), Some("token-after-retries"));
        assert_eq!(
            attempts(&server),
            ["attempt=1; max=3", "attempt=2; max=3", "attempt=3; max=3"]
        );
        let requests = server.requests();
        let ids: Vec<&str> = requests
            .iter()
            .map(|r| r.header("amz-sdk-invocation-id"))
            .collect();
        assert!(
            ids.iter().all(|id| *id == ids[0]),
            "one invocation: {ids:?}"
        );
        // Each attempt is signed, with the header set the official SDK
        // signs: `amz-sdk-request` changes per attempt but stays unsigned,
        // so attempts within one second carry the same signature.
        for request in &requests {
            let authorization = request.header("authorization");
            assert!(
                authorization.contains(
                    "SignedHeaders=content-length;content-type;host;x-amz-date;x-amz-user-agent,"
                ),
                "{authorization}"
            );
        }
        // Without jitter: the initial backoff, then twice it.
        assert_eq!(sleep.delays(), [BACKOFF, BACKOFF * 2]);
        assert!(elapsed >= BACKOFF * 3, "took {elapsed:?}");
    })
    .await;
}

#[tokio::test]
async fn with_jitter_each_delay_stays_below_its_ceiling() {
    bounded(async {
        let server = Server::start(vec![error(503, "ServiceUnavailable", "req-503")]).await;
        let sleep = RecordingSleep::default();
        let client = client(&server, &sleep, |c| {
            c.retry_config(
                RetryConfig::standard()
                    .initial_backoff(Duration::from_secs(1))
                    .max_attempts(4),
            )
        });

        let error = client.send(input()).await.unwrap_err();
        assert_eq!(
            error.as_service_error().and_then(|e| e.code()),
            Some("ServiceUnavailable")
        );
        let delays = sleep.delays();
        assert_eq!(delays.len(), 3, "{delays:?}");
        for (delay, ceiling) in delays.iter().zip([1, 2, 4]) {
            assert!(*delay <= Duration::from_secs(ceiling), "{delays:?}");
        }
        assert_eq!(
            attempts(&server).last().map(String::as_str),
            Some("attempt=4; max=4")
        );
    })
    .await;
}

#[tokio::test]
async fn a_500_then_success_is_retried_once() {
    bounded(async {
        let server =
            Server::start(vec![error(500, "InternalServerException", "r"), success()]).await;
        let sleep = RecordingSleep::default();
        let client = client(&server, &sleep, |c| c);

        let output = client.send(input()).await.expect("the retry succeeds");
        assert_eq!(output.access_token(), Some("token-after-retries"));
        assert_eq!(attempts(&server), ["attempt=1; max=3", "attempt=2; max=3"]);
        assert_eq!(sleep.delays(), [BACKOFF]);
    })
    .await;
}

#[tokio::test]
async fn a_retry_after_header_sets_a_longer_delay() {
    bounded(async {
        let server = Server::start(vec![
            json(503, &[("x-amz-retry-after", "700")], "{}"),
            success(),
        ])
        .await;
        let sleep = RecordingSleep::default();
        let client = client(&server, &sleep, |c| c);

        client.send(input()).await.expect("the retry succeeds");
        assert_eq!(sleep.delays(), [Duration::from_millis(700)]);
    })
    .await;
}

#[tokio::test]
async fn a_connection_reset_then_success_is_retried() {
    bounded(async {
        let server = Server::start(vec![Step::Reset, success()]).await;
        let sleep = RecordingSleep::default();
        let client = client(&server, &sleep, |c| c);

        let output = client.send(input()).await.expect("the retry succeeds");
        assert_eq!(output.access_token(), Some("token-after-retries"));
        assert_eq!(attempts(&server), ["attempt=1; max=3", "attempt=2; max=3"]);
    })
    .await;
}

#[tokio::test]
async fn resets_on_every_attempt_end_in_a_transport_error() {
    bounded(async {
        let server = Server::start(vec![Step::Reset]).await;
        let sleep = RecordingSleep::default();
        let client = client(&server, &sleep, |c| c);

        let error = client.send(input()).await.unwrap_err();
        let Error::Transport(e) = &error else {
            panic!("expected a transport error, got {error:?}")
        };
        assert!(e.is_transient(), "{e:?}");
        assert_eq!(server.requests().len(), 3);
        assert_eq!(sleep.delays(), [BACKOFF, BACKOFF * 2]);
    })
    .await;
}

#[tokio::test]
async fn a_refused_connection_is_retried_then_reported() {
    bounded(async {
        // A port that was just free: nothing listens there.
        let url = {
            let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
            format!("http://{}", listener.local_addr().expect("addr"))
        };
        let sleep = RecordingSleep::default();
        let client = Client::new(
            Config::builder()
                .region("us-east-1")
                .credentials_provider(Credentials::new("AKID", "SECRET", None))
                .endpoint_url(url)
                .retry_config(RetryConfig::standard().initial_backoff(BACKOFF))
                .sleep_impl(sleep.clone())
                .build(),
        );
        let error = client.send(input()).await.unwrap_err();
        assert!(
            matches!(&error, Error::Transport(e) if e.is_transient()),
            "{error:?}"
        );
        assert_eq!(sleep.delays().len(), 2, "retried twice");
    })
    .await;
}

#[tokio::test]
async fn a_stall_past_the_attempt_timeout_is_retried_then_a_timeout() {
    bounded(async {
        let limit = Duration::from_millis(200);
        let server = Server::start(vec![Step::Stall]).await;
        let sleep = RecordingSleep::default();
        let client = client(&server, &sleep, |c| c.attempt_timeout(limit));

        let started = Instant::now();
        let error = client.send(input()).await.unwrap_err();
        let elapsed = started.elapsed();
        let Error::Timeout(e) = &error else {
            panic!("expected a timeout, got {error:?}")
        };
        assert_eq!(e.which(), "attempt");
        assert_eq!(e.after(), limit);
        assert_eq!(server.requests().len(), 3);
        assert!(elapsed >= limit * 3, "took {elapsed:?}");
    })
    .await;
}

#[tokio::test]
async fn a_stall_then_success_recovers_on_the_next_attempt() {
    bounded(async {
        let server = Server::start(vec![Step::Stall, success()]).await;
        let sleep = RecordingSleep::default();
        let client = client(&server, &sleep, |c| {
            c.attempt_timeout(Duration::from_millis(200))
        });

        let output = client.send(input()).await.expect("the retry succeeds");
        assert_eq!(output.access_token(), Some("token-after-retries"));
        assert_eq!(server.requests().len(), 2);
    })
    .await;
}

#[tokio::test]
async fn the_operation_timeout_is_not_retried() {
    bounded(async {
        let limit = Duration::from_millis(300);
        let server = Server::start(vec![Step::Stall]).await;
        let sleep = RecordingSleep::default();
        let client = client(&server, &sleep, |c| c.operation_timeout(limit));

        let started = Instant::now();
        let error = client.send(input()).await.unwrap_err();
        let Error::Timeout(e) = &error else {
            panic!("expected a timeout, got {error:?}")
        };
        assert_eq!(e.which(), "operation");
        assert!(started.elapsed() >= limit);
        assert_eq!(server.requests().len(), 1);
        assert!(sleep.delays().is_empty());
    })
    .await;
}

#[tokio::test]
async fn malformed_json_is_a_response_error_keeping_the_body_and_not_retried() {
    bounded(async {
        let raw = r#"{"accessToken": "abc"#;
        let server = Server::start(vec![json(200, &[], raw)]).await;
        let sleep = RecordingSleep::default();
        let client = client(&server, &sleep, |c| c);

        let error = client.send(input()).await.unwrap_err();
        let Error::Response(e) = &error else {
            panic!("expected a response error, got {error:?}")
        };
        assert_eq!(e.status().as_u16(), 200);
        assert_eq!(e.body().as_ref(), raw.as_bytes());
        assert_eq!(server.requests().len(), 1);
    })
    .await;
}

#[tokio::test]
async fn a_20_mb_body_is_parsed_without_hanging() {
    bounded(async {
        let token = "t".repeat(20 * 1024 * 1024);
        let body = format!(r#"{{"accessToken":"{token}"}}"#);
        let server = Server::start(vec![json(200, &[], &body)]).await;
        let sleep = RecordingSleep::default();
        let client = client(&server, &sleep, |c| c);

        let output = client.send(input()).await.expect("a large but valid body");
        assert_eq!(output.access_token().map(str::len), Some(token.len()));
    })
    .await;
}

#[tokio::test]
async fn a_500_streaming_forever_ends_with_the_service_error_from_its_first_mebibyte() {
    bounded(async {
        let server = Server::start(vec![Step::Endless(
            500,
            vec![
                ("x-amzn-errortype", "InternalServerException"),
                ("x-amzn-requestid", "req-endless"),
            ],
        )])
        .await;
        let sleep = RecordingSleep::default();
        let client = client(&server, &sleep, |c| c);

        let error = client.send(input()).await.unwrap_err();
        let Error::Service(e) = &error else {
            panic!("expected the service error, got {error:?}")
        };
        assert_eq!(e.status().as_u16(), 500);
        assert_eq!(e.err().meta().code(), Some("InternalServerException"));
        // What was read is kept, and no more than the error-body cap.
        assert_eq!(e.body().len(), opgen::MAX_ERROR_RESPONSE_BODY);
        // Each of the 3 attempts read its capped prefix and moved on.
        assert_eq!(attempts(&server).len(), 3);
    })
    .await;
}

#[tokio::test]
async fn a_200_streaming_forever_is_too_large_and_not_retried() {
    bounded(async {
        let server = Server::start(vec![Step::Endless(200, vec![])]).await;
        let sleep = RecordingSleep::default();
        let client = client(&server, &sleep, |c| c.max_response_body(1024 * 1024));

        let error = client.send(input()).await.unwrap_err();
        let Error::Response(e) = &error else {
            panic!("expected a response error, got {error:?}")
        };
        assert!(e.is_too_large(), "{e}");
        assert_eq!(e.status().as_u16(), 200);
        assert_eq!(
            e.to_string(),
            "invalid response (HTTP 200): the body is larger than the limit of 1048576 bytes"
        );
        assert!(e.body().is_empty());
        assert_eq!(server.requests().len(), 1);
    })
    .await;
}

#[tokio::test]
async fn a_200_over_the_cap_by_its_length_is_too_large() {
    bounded(async {
        let token = "t".repeat(2 * 1024 * 1024);
        let body = format!(r#"{{"accessToken":"{token}"}}"#);
        let server = Server::start(vec![json(200, &[], &body)]).await;
        let sleep = RecordingSleep::default();
        let capped = client(&server, &sleep, |c| c.max_response_body(1024 * 1024));

        let error = capped.send(input()).await.unwrap_err();
        let Error::Response(e) = &error else {
            panic!("expected a response error, got {error:?}")
        };
        assert!(e.is_too_large(), "{e}");
        // The default leaves room for it.
        let client = client(&server, &sleep, |c| c);
        let output = client.send(input()).await.expect("under the default cap");
        assert_eq!(output.access_token().map(str::len), Some(token.len()));
    })
    .await;
}

#[tokio::test]
async fn a_body_shorter_than_its_length_is_a_transport_error() {
    bounded(async {
        // Promises 20 MB, sends 1 KB, closes: the client must not wait.
        let mut raw = format!(
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
            20 * 1024 * 1024
        )
        .into_bytes();
        raw.extend_from_slice(&[b' '; 1024]);
        let server = Server::start(vec![Step::Respond(raw)]).await;
        let sleep = RecordingSleep::default();
        let client = client(&server, &sleep, |c| c);

        let error = client.send(input()).await.unwrap_err();
        assert!(matches!(error, Error::Transport(_)), "{error:?}");
    })
    .await;
}

#[tokio::test]
async fn an_invalid_signature_403_is_surfaced_and_not_retried() {
    bounded(async {
        let message =
            "The request signature we calculated does not match the signature you provided.";
        let server = Server::start(vec![json(
            403,
            &[
                ("x-amzn-requestid", "req-sig"),
                (
                    "x-amzn-errortype",
                    "InvalidSignatureException:http://internal.amazon.com/",
                ),
            ],
            &format!(r#"{{"message":"{message}"}}"#),
        )])
        .await;
        let sleep = RecordingSleep::default();
        let client = client(&server, &sleep, |c| c);

        let error = client.send(input()).await.unwrap_err();
        let Some(GetResourceOauth2TokenError::Unhandled(e)) = error.as_service_error() else {
            panic!("expected Unhandled, got {error:?}")
        };
        assert_eq!(e.status().map(|s| s.as_u16()), Some(403));
        assert_eq!(e.meta().code(), Some("InvalidSignatureException"));
        assert_eq!(e.meta().message(), Some(message));
        assert_eq!(e.meta().request_id(), Some("req-sig"));
        assert_eq!(server.requests().len(), 1);
        assert!(sleep.delays().is_empty());
    })
    .await;
}

#[tokio::test]
async fn a_drained_retry_quota_stops_retries_for_the_whole_client() {
    bounded(async {
        let server = Server::start(vec![error(503, "ServiceUnavailable", "req-503")]).await;
        let sleep = RecordingSleep::default();
        // Room for exactly two retries of 5 tokens.
        let client = client(&server, &sleep, |c| {
            c.retry_config(
                RetryConfig::standard()
                    .initial_backoff(BACKOFF)
                    .jitter(false)
                    .retry_quota(10),
            )
        });

        let first = client.send(input()).await.unwrap_err();
        assert_eq!(
            first.as_service_error().and_then(|e| e.code()),
            Some("ServiceUnavailable")
        );
        assert_eq!(server.requests().len(), 3, "the first call retries twice");

        // The quota is empty: the next call stops after its first attempt,
        // with that attempt's error, even through an override asking for
        // more attempts (the quota belongs to the client).
        let more = client
            .with_config_override(|c| c.retry_config(RetryConfig::standard().max_attempts(5)));
        let second = more.send(input()).await.unwrap_err();
        let Error::Service(service) = &second else {
            panic!("expected the service error, got {second:?}")
        };
        assert_eq!(service.status().as_u16(), 503);
        assert_eq!(service.err().meta().request_id(), Some("req-503"));
        assert_eq!(
            attempts(&server).len(),
            4,
            "no retry: {:?}",
            attempts(&server)
        );
        assert_eq!(attempts(&server)[3], "attempt=1; max=5");
        assert_eq!(sleep.delays().len(), 2);
    })
    .await;
}

#[tokio::test]
async fn a_per_call_override_can_disable_retries() {
    bounded(async {
        let server = Server::start(vec![
            error(429, "ThrottlingException", "r1"),
            error(429, "ThrottlingException", "r2"),
            success(),
        ])
        .await;
        let sleep = RecordingSleep::default();
        let client = client(&server, &sleep, |c| c);

        let error = client
            .with_config_override(|c| c.retry_config(RetryConfig::disabled()))
            .send(input())
            .await
            .unwrap_err();
        assert!(
            matches!(
                error.as_service_error(),
                Some(GetResourceOauth2TokenError::ThrottlingException(_))
            ),
            "{error:?}"
        );
        assert_eq!(attempts(&server), ["attempt=1; max=1"]);
        // The client itself still retries.
        client
            .send(input())
            .await
            .expect("the default client retries");
        assert_eq!(
            attempts(&server),
            ["attempt=1; max=1", "attempt=1; max=3", "attempt=2; max=3"]
        );
    })
    .await;
}
