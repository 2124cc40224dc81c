//! The harness of the moto tests: finds `moto_server` (an AWS emulator from
//! PyPI, `pip install 'moto[server]'`), runs it on a free loopback port for
//! the length of a test, and stops it when dropped.
//!
//! `moto_server` is looked up in this order:
//! 1. `OPGEN_MOTO_SERVER`, the path `bash .ci/run` exports after installing
//!    moto into `target/moto-venv`;
//! 2. `target/moto-venv/bin/moto_server` under the workspace root;
//! 3. `moto_server` on `PATH`.
//!
//! When none is there the tests print [`SKIP`] and pass.
//!
//! Moto routes a request to a service by the credential scope of its
//! `Authorization` header (`…/us-east-1/dynamodb/aws4_request`), so the
//! signed requests of `opgen::Client` reach the right backend on a plain
//! `http://127.0.0.1:PORT` endpoint.

use std::future::Future;
use std::io::{self, Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// What the tests print, and then pass, when `moto_server` is not found.
pub const SKIP: &str = "moto: skipped (moto_server not found; bash .ci/run installs it)";

/// The environment variable naming the `moto_server` executable.
pub const ENV: &str = "OPGEN_MOTO_SERVER";

/// How long `moto_server` may take to answer its first request.
pub const READY_TIMEOUT: Duration = Duration::from_secs(30);

/// The bound on every call a test client makes (`operation_timeout`).
pub const CALL_TIMEOUT: Duration = Duration::from_secs(15);

/// The bound on one scenario, whatever it does.
pub const SCENARIO_TIMEOUT: Duration = Duration::from_secs(60);

/// The `moto_server` executable, or `None` when it is not installed.
///
/// `OPGEN_MOTO_SERVER` naming a file that does not exist is an error rather
/// than a skip: whoever set it expected moto to run.
pub fn find_moto_server() -> Result<Option<PathBuf>, String> {
    if let Some(path) = std::env::var_os(ENV).filter(|p| !p.is_empty()) {
        let path = PathBuf::from(path);
        return if path.is_file() {
            Ok(Some(path))
        } else {
            Err(format!(
                "{ENV}={} does not exist (bash .ci/run installs moto into target/moto-venv)",
                path.display()
            ))
        };
    }
    let venv = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/moto-venv/bin/moto_server");
    if venv.is_file() {
        return Ok(Some(venv));
    }
    let on_path = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|dir| dir.join("moto_server"))
            .find(|candidate| candidate.is_file())
    });
    Ok(on_path)
}

/// A running `moto_server` on `127.0.0.1`, killed (and waited for) on drop.
pub struct MotoServer {
    child: Child,
    port: u16,
    log: PathBuf,
}

impl MotoServer {
    /// Starts `moto_server` (from [`find_moto_server`]) and waits until it
    /// answers; `Ok(None)` when moto is not installed.
    pub fn start() -> Result<Option<MotoServer>, String> {
        match find_moto_server()? {
            Some(bin) => MotoServer::start_with(&bin).map(Some),
            None => Ok(None),
        }
    }

    /// Starts `bin` on a free loopback port and waits, at most
    /// [`READY_TIMEOUT`], until `GET /moto-api/` answers 200.
    ///
    /// The port is free when chosen but could be taken before moto binds it;
    /// a server that exits before it is ready is tried again on another port.
    pub fn start_with(bin: &Path) -> Result<MotoServer, String> {
        let deadline = Instant::now() + READY_TIMEOUT;
        let mut failures = Vec::new();
        for _ in 0..3 {
            let port = free_port().map_err(|e| format!("no free loopback port: {e}"))?;
            let log =
                std::env::temp_dir().join(format!("opgen-moto-{}-{port}.log", std::process::id()));
            let log_file = std::fs::File::create(&log)
                .map_err(|e| format!("cannot create {}: {e}", log.display()))?;
            let log_err = log_file
                .try_clone()
                .map_err(|e| format!("cannot share {}: {e}", log.display()))?;
            let child = Command::new(bin)
                .args(["-H", "127.0.0.1", "-p", &port.to_string()])
                .stdin(Stdio::null())
                .stdout(log_file)
                .stderr(log_err)
                .spawn()
                .map_err(|e| format!("cannot run {}: {e}", bin.display()))?;
            let mut server = MotoServer { child, port, log };
            match server.wait_ready(deadline) {
                Ok(()) => return Ok(server),
                Err(Exited(why)) => failures.push(why),
                Err(NotReady(why)) => return Err(why),
            }
        }
        Err(format!(
            "moto_server ({}) did not start: {}",
            bin.display(),
            failures.join("; ")
        ))
    }

    fn wait_ready(&mut self, deadline: Instant) -> Result<(), StartFailure> {
        loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                return Err(Exited(format!(
                    "it exited ({status}) on port {}: {}",
                    self.port,
                    self.log_tail()
                )));
            }
            let last = match raw_request(self.port, "GET", "/moto-api/", &[], b"") {
                Ok(response) if response.status == 200 => return Ok(()),
                Ok(response) => format!("GET /moto-api/ answered {}", response.status),
                Err(e) => format!("GET /moto-api/ failed: {e}"),
            };
            if Instant::now() >= deadline {
                return Err(NotReady(format!(
                    "moto_server was not ready on 127.0.0.1:{} within {} s ({last}); its output: {}",
                    self.port,
                    READY_TIMEOUT.as_secs(),
                    self.log_tail()
                )));
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// The port moto listens on.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// `http://127.0.0.1:PORT`, the endpoint URL for a client.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// A client for this server: region `us-east-1`, static test
    /// credentials, one attempt per call (so that each answer is seen as it
    /// is), every call bounded by [`CALL_TIMEOUT`].
    pub fn client(&self) -> opgen::Client {
        opgen::Client::new(
            opgen::Config::builder()
                .region("us-east-1")
                .endpoint_url(self.url())
                .credentials_provider(opgen::Credentials::new(
                    "AKIDMOTOTEST",
                    "moto-test-secret",
                    None,
                ))
                .retry_config(opgen::RetryConfig::disabled())
                .operation_timeout(CALL_TIMEOUT)
                .build(),
        )
    }

    /// The end of what moto printed, for failure messages.
    pub fn log_tail(&self) -> String {
        let text = std::fs::read(&self.log).unwrap_or_default();
        let text = String::from_utf8_lossy(&text);
        let start = text.len().saturating_sub(2000);
        let start = (start..text.len())
            .find(|&i| text.is_char_boundary(i))
            .unwrap_or(text.len());
        match text[start..].trim() {
            "" => "(nothing)".to_string(),
            tail => tail.to_string(),
        }
    }
}

impl Drop for MotoServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_file(&self.log);
    }
}

enum StartFailure {
    /// The process exited: worth another port.
    Exited(String),
    /// It runs but does not answer: give up.
    NotReady(String),
}
use StartFailure::{Exited, NotReady};

fn free_port() -> io::Result<u16> {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))?;
    Ok(listener.local_addr()?.port())
}

/// An HTTP response read whole.
#[derive(Debug)]
pub struct RawResponse {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl RawResponse {
    /// The first header named `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The body as text (lossy).
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// One HTTP/1.1 request to `127.0.0.1:port` with `Connection: close`, the
/// response read to the end; connect, each write and each read bounded.
/// Enough for moto, which always sends `Content-Length` and closes.
pub fn raw_request(
    port: u16,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> io::Result<RawResponse> {
    let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
    let mut stream = TcpStream::connect_timeout(&addr, Duration::from_secs(2))?;
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    stream.set_write_timeout(Some(Duration::from_secs(10)))?;
    let mut request = format!(
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (name, value) in headers {
        request.push_str(&format!("{name}: {value}\r\n"));
    }
    request.push_str("\r\n");
    stream.write_all(request.as_bytes())?;
    stream.write_all(body)?;
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw)?;
    parse_response(&raw)
}

fn parse_response(raw: &[u8]) -> io::Result<RawResponse> {
    let invalid = |what: &str| io::Error::new(io::ErrorKind::InvalidData, what.to_string());
    let end = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or_else(|| invalid("no end of the response head"))?;
    let head = std::str::from_utf8(&raw[..end]).map_err(|_| invalid("a non-UTF-8 head"))?;
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .and_then(|line| line.split(' ').nth(1))
        .and_then(|code| code.parse().ok())
        .ok_or_else(|| invalid("no status code"))?;
    let headers = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(n, v)| (n.trim().to_string(), v.trim().to_string()))
        .collect();
    Ok(RawResponse {
        status,
        headers,
        body: raw[end + 4..].to_vec(),
    })
}

/// An `Authorization` header that looks like SigV4 for `service`: enough
/// for moto to route a raw request (it does not check signatures).
pub fn authorization_for(service: &str) -> String {
    format!(
        "AWS4-HMAC-SHA256 Credential=AKIDMOTOTEST/20260101/us-east-1/{service}/aws4_request, SignedHeaders=host, Signature=00"
    )
}

/// Runs scenarios one after the other, each bounded by
/// [`SCENARIO_TIMEOUT`] and with its panics caught, printing
/// `moto scenario NAME: ok` or `moto scenario NAME: FAILED: reason`.
#[derive(Default)]
pub struct Scenarios {
    passed: usize,
    failures: Vec<String>,
}

impl Scenarios {
    pub fn new() -> Scenarios {
        Scenarios::default()
    }

    /// Runs one scenario on the current Tokio runtime.
    pub async fn run<F>(&mut self, name: &str, scenario: F)
    where
        F: Future<Output = Result<(), String>> + Send + 'static,
    {
        let outcome = match tokio::time::timeout(SCENARIO_TIMEOUT, tokio::spawn(scenario)).await {
            Ok(Ok(result)) => result,
            Ok(Err(join)) => Err(match join.try_into_panic() {
                Ok(panic) => format!("panicked: {}", panic_message(&*panic)),
                Err(join) => format!("did not finish: {join}"),
            }),
            Err(_) => Err(format!(
                "did not finish within {} s",
                SCENARIO_TIMEOUT.as_secs()
            )),
        };
        match outcome {
            Ok(()) => {
                self.passed += 1;
                println!("moto scenario {name}: ok");
            }
            Err(reason) => {
                println!("moto scenario {name}: FAILED: {reason}");
                self.failures.push(format!("{name}: {reason}"));
            }
        }
    }

    /// Prints `moto: N passed, N failed` and panics if any failed.
    pub fn finish(self) {
        println!(
            "moto: {} passed, {} failed",
            self.passed,
            self.failures.len()
        );
        assert!(
            self.failures.is_empty(),
            "moto scenarios failed:\n{}",
            self.failures.join("\n")
        );
    }
}

fn panic_message(panic: &(dyn std::any::Any + Send)) -> String {
    if let Some(text) = panic.downcast_ref::<&str>() {
        text.to_string()
    } else if let Some(text) = panic.downcast_ref::<String>() {
        text.clone()
    } else {
        "(a non-text panic)".to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_a_response_head_and_body() {
        let raw = b"HTTP/1.1 400 BAD REQUEST\r\nContent-Type: application/x-amz-json-1.0\r\nx-amzn-query-error: A;Sender\r\n\r\n{\"a\":1}";
        let response = parse_response(raw).expect("a valid response");
        assert_eq!(response.status, 400);
        assert_eq!(
            response.header("content-type"),
            Some("application/x-amz-json-1.0")
        );
        assert_eq!(response.header("X-Amzn-Query-Error"), Some("A;Sender"));
        assert_eq!(response.text(), "{\"a\":1}");
        assert!(parse_response(b"HTTP/1.1 200 OK\r\n").is_err());
    }
}
