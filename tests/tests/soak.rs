//! The soak run (issue 13, "Under load"): one client, many calls at
//! concurrency 64 against a keep-alive loopback stub that throttles 1 % of
//! attempts, answers 503 to 1 % and resets the connection on 0.5 %.
//!
//! Every call must end in success or a typed error (none lost, none hung),
//! the retries must stay within the attempt budget, and the descriptors not
//! held by a connection and resident memory must stay flat after warm-up.
//! The test prints one line:
//!
//! `soak: N calls, N ok, N typed errors, 0 lost, fds A→B, rss A→B MB, p50/p99 X/Y ms`
//!
//! CI runs 10,000 calls in a debug build; `scripts/soak.sh` runs 200,000 in
//! a release build (`SOAK_CALLS` sets the number). It is the only test of
//! its binary, so the process's descriptors and memory are its own.

mod agentcore {
    opgen::include_operation!("GetResourceOauth2Token");
}

use agentcore::*;
use opgen::{Client, Config, Credentials, RetryConfig};
use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

const CONCURRENCY: usize = 64;
const DEFAULT_CALLS: u64 = 10_000;
const MAX_ATTEMPTS: u32 = 3;
/// Per thousand attempts: the injected faults.
const THROTTLES_PER_MILLE: u64 = 10;
const UNAVAILABLE_PER_MILLE: u64 = 10;
const RESETS_PER_MILLE: u64 = 5;
/// No call outlives this; a hung attempt is cut by the attempt timeout
/// first and retried.
const OPERATION_TIMEOUT: Duration = Duration::from_secs(10);
const ATTEMPT_TIMEOUT: Duration = Duration::from_secs(3);

/// What the stub saw and did, counted across all connections.
#[derive(Default)]
struct StubStats {
    attempts: AtomicU64,
    throttles: AtomicU64,
    unavailable: AtomicU64,
    resets: AtomicU64,
    /// Retried attempts (`attempt=2` or later) answered with success: the
    /// calls a fault hit and a retry rescued.
    rescued: AtomicU64,
    connections: AtomicU64,
    /// Connections the stub holds open now: each is two descriptors of this
    /// process while the client pools its end.
    live: AtomicU64,
}

enum Fault {
    None,
    Throttle,
    Unavailable,
    Reset,
}

/// Spreads the faults over the attempts without a random number
/// generator: 7919 is prime to 1000, so each block of 1000 consecutive
/// attempts meets each residue, and so each fault at its rate, exactly
/// once, in a scattered order.
fn fault(attempt: u64) -> Fault {
    let slot = attempt.wrapping_mul(7919) % 1000;
    if slot < THROTTLES_PER_MILLE {
        Fault::Throttle
    } else if slot < THROTTLES_PER_MILLE + UNAVAILABLE_PER_MILLE {
        Fault::Unavailable
    } else if slot < THROTTLES_PER_MILLE + UNAVAILABLE_PER_MILLE + RESETS_PER_MILLE {
        Fault::Reset
    } else {
        Fault::None
    }
}

fn response(status: u16, headers: &str, body: &str) -> Vec<u8> {
    format!(
        "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ncontent-length: {}\r\n{headers}\r\n{body}",
        body.len()
    )
    .into_bytes()
}

/// Starts the stub; it runs until the runtime ends.
async fn start_stub(stats: Arc<StubStats>) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("local addr"));
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            stats.connections.fetch_add(1, Ordering::Relaxed);
            stats.live.fetch_add(1, Ordering::SeqCst);
            let stats = stats.clone();
            tokio::spawn(async move {
                serve(stream, &stats).await;
                stats.live.fetch_sub(1, Ordering::SeqCst);
            });
        }
    });
    url
}

/// Answers requests on one keep-alive connection until the client closes
/// it or a reset is injected.
async fn serve(mut stream: TcpStream, stats: &StubStats) {
    let ok = response(
        200,
        "x-amzn-requestid: req-ok\r\n",
        r#"{"accessToken":"soak-token"}"#,
    );
    let throttle = response(
        400,
        "x-amzn-requestid: req-throttled\r\nx-amzn-errortype: ThrottlingException\r\n",
        r#"{"message":"slow down"}"#,
    );
    let unavailable = response(503, "x-amzn-requestid: req-503\r\n", "{}");
    let mut buffer = Vec::with_capacity(8192);
    while let Some(retry) = read_request(&mut stream, &mut buffer).await {
        let attempt = stats.attempts.fetch_add(1, Ordering::Relaxed);
        let answer = match fault(attempt) {
            Fault::None => {
                if retry {
                    stats.rescued.fetch_add(1, Ordering::Relaxed);
                }
                &ok
            }
            Fault::Throttle => {
                stats.throttles.fetch_add(1, Ordering::Relaxed);
                &throttle
            }
            Fault::Unavailable => {
                stats.unavailable.fetch_add(1, Ordering::Relaxed);
                &unavailable
            }
            Fault::Reset => {
                stats.resets.fetch_add(1, Ordering::Relaxed);
                // A zero linger turns the close into a reset (RST, not FIN).
                let _ = stream.set_zero_linger();
                return;
            }
        };
        if stream.write_all(answer).await.is_err() {
            return;
        }
    }
}

/// Reads one request (head and `content-length` body) into `buffer`,
/// keeping what follows it for the next; `Some(true)` when it is a retry.
/// `None` when the client closed the connection.
async fn read_request(stream: &mut TcpStream, buffer: &mut Vec<u8>) -> Option<bool> {
    let mut chunk = [0u8; 8192];
    let head_end = loop {
        if let Some(at) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            break at + 4;
        }
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buffer.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buffer[..head_end]).to_ascii_lowercase();
    let header = |name: &str| {
        head.split("\r\n")
            .filter_map(|line| line.split_once(':'))
            .find(|(n, _)| n.trim() == name)
            .map(|(_, v)| v.trim().to_owned())
    };
    let length: usize = header("content-length")
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    let retry = header("amz-sdk-request").is_some_and(|v| !v.starts_with("attempt=1;"));
    while buffer.len() < head_end + length {
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buffer.extend_from_slice(&chunk[..n]);
    }
    buffer.drain(..head_end + length);
    Some(retry)
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

/// Open file descriptors of this process, if `/proc` says.
fn open_fds() -> Option<usize> {
    Some(std::fs::read_dir("/proc/self/fd").ok()?.count())
}

/// Resident memory of this process in bytes (`VmRSS`), if `/proc` says.
fn resident_bytes() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}

/// What the calls came to, counted as they complete.
struct Tally {
    next: AtomicU64,
    ok: AtomicU64,
    errors: AtomicU64,
    /// The errors by kind: service, response, transport, timeout, other.
    kinds: [AtomicU64; 5],
    /// Microseconds per call, by call number (`u32::MAX` until the call
    /// ends); allocated and written before the warm-up sample so that it
    /// does not count as growth.
    latency_us: Vec<AtomicU32>,
}

/// Makes calls `from..to` with `CONCURRENCY` workers sharing `client`;
/// returns when all are done or `bound` has passed.
async fn drive(client: &Client, tally: &Arc<Tally>, from: u64, to: u64, bound: Duration) {
    tally.next.store(from, Ordering::SeqCst);
    let mut workers = Vec::with_capacity(CONCURRENCY);
    for _ in 0..CONCURRENCY {
        let client = client.clone();
        let tally = tally.clone();
        workers.push(tokio::spawn(async move {
            loop {
                let call = tally.next.fetch_add(1, Ordering::Relaxed);
                if call >= to {
                    break;
                }
                let started = Instant::now();
                match client.send(input()).await {
                    Ok(output) => {
                        assert_eq!(output.access_token(), Some("soak-token"));
                        tally.ok.fetch_add(1, Ordering::Relaxed);
                    }
                    // Typed by construction: `opgen::Error<GetResourceOauth2TokenError>`.
                    Err(error) => {
                        tally.errors.fetch_add(1, Ordering::Relaxed);
                        let kind = match error {
                            opgen::Error::Service(_) => 0,
                            opgen::Error::Response(_) => 1,
                            opgen::Error::Transport(_) => 2,
                            opgen::Error::Timeout(_) => 3,
                            _ => 4,
                        };
                        tally.kinds[kind].fetch_add(1, Ordering::Relaxed);
                    }
                }
                let micros = u32::try_from(started.elapsed().as_micros()).unwrap_or(u32::MAX);
                if let Some(slot) = usize::try_from(call)
                    .ok()
                    .and_then(|i| tally.latency_us.get(i))
                {
                    slot.store(micros, Ordering::Relaxed);
                }
            }
        }));
    }
    let all = async {
        for worker in workers {
            worker.await.expect("a worker panicked");
        }
    };
    // On timeout the unfinished calls show up as lost below.
    let _ = tokio::time::timeout(bound, all).await;
}

fn percentile(sorted_us: &[u32], p: f64) -> f64 {
    if sorted_us.is_empty() {
        return 0.0;
    }
    let rank = ((sorted_us.len() - 1) as f64 * p).round() as usize;
    f64::from(sorted_us[rank.min(sorted_us.len() - 1)]) / 1000.0
}

fn mb(bytes: u64) -> f64 {
    bytes as f64 / (1024.0 * 1024.0)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn soak() {
    let calls: u64 = std::env::var("SOAK_CALLS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(DEFAULT_CALLS);
    assert!(calls >= 1000, "SOAK_CALLS must be at least 1000");
    // Generous for a debug build on 2 busy cores: about 1 ms per call
    // serialised, ten times over, never under a minute.
    let bound = Duration::from_secs(60 + calls / 100);

    let stats = Arc::new(StubStats::default());
    let url = start_stub(stats.clone()).await;
    let config = Config::builder()
        .region("us-east-1")
        .credentials_provider(Credentials::new("AKIDSOAK", "soak-secret", None))
        .endpoint_url(&url)
        .operation_timeout(OPERATION_TIMEOUT)
        .attempt_timeout(ATTEMPT_TIMEOUT)
        .retry_config(
            RetryConfig::standard()
                .max_attempts(MAX_ATTEMPTS)
                .initial_backoff(Duration::from_millis(2))
                .max_backoff(Duration::from_millis(20)),
        )
        .build();
    let client = Client::new(config);
    let tally = Arc::new(Tally {
        next: AtomicU64::new(0),
        ok: AtomicU64::new(0),
        errors: AtomicU64::new(0),
        kinds: Default::default(),
        // Not zero: a zeroed allocation may be mapped lazily, and its pages
        // would then count as growth when the calls write them.
        latency_us: (0..calls).map(|_| AtomicU32::new(u32::MAX)).collect(),
    });

    // Ten equal rounds; the first is the warm-up. Samples are taken
    // between rounds, when no call is in flight.
    let started = Instant::now();
    let mut samples = Vec::new();
    for round in 0..10 {
        let (from, to) = (calls * round / 10, calls * (round + 1) / 10);
        drive(
            &client,
            &tally,
            from,
            to,
            bound.saturating_sub(started.elapsed()),
        )
        .await;
        samples.push((
            open_fds(),
            resident_bytes(),
            stats.live.load(Ordering::SeqCst),
        ));
    }
    let elapsed = started.elapsed();
    let (fds_warm, rss_warm, live_warm) = samples.first().copied().unwrap_or_default();
    let (fds_end, rss_end, live_end) = samples.last().copied().unwrap_or_default();

    let ok = tally.ok.load(Ordering::SeqCst);
    let errors = tally.errors.load(Ordering::SeqCst);
    let lost = calls.saturating_sub(ok + errors);
    let mut latencies: Vec<u32> = tally
        .latency_us
        .iter()
        .map(|l| l.load(Ordering::Relaxed))
        .collect();
    latencies.sort_unstable();
    let show = |v: Option<usize>| v.map_or("n/a".to_owned(), |v| v.to_string());
    let show_mb = |v: Option<u64>| v.map_or("n/a".to_owned(), |v| format!("{:.1}", mb(v)));
    println!(
        "soak: {calls} calls, {ok} ok, {errors} typed errors, {lost} lost, fds {}→{}, rss {}→{} MB, p50/p99 {:.2}/{:.2} ms",
        show(fds_warm),
        show(fds_end),
        show_mb(rss_warm),
        show_mb(rss_end),
        percentile(&latencies, 0.50),
        percentile(&latencies, 0.99),
    );
    let attempts = stats.attempts.load(Ordering::SeqCst);
    let throttles = stats.throttles.load(Ordering::SeqCst);
    let unavailable = stats.unavailable.load(Ordering::SeqCst);
    let resets = stats.resets.load(Ordering::SeqCst);
    let rescued = stats.rescued.load(Ordering::SeqCst);
    println!(
        "soak detail: {attempts} attempts on {} connections, {throttles} throttled, {unavailable} 503, {resets} reset, {rescued} rescued by a retry, {:.1} s; errors (service/response/transport/timeout/other) {}",
        stats.connections.load(Ordering::SeqCst),
        elapsed.as_secs_f64(),
        tally
            .kinds
            .iter()
            .map(|k| k.load(Ordering::SeqCst).to_string())
            .collect::<Vec<_>>()
            .join("/"),
    );
    let series: Vec<String> = samples
        .iter()
        .map(|(fds, rss, live)| format!("{}/{live}/{}", show(*fds), show_mb(*rss)))
        .collect();
    println!(
        "soak samples (fds/open connections/rss MB after each tenth): {}",
        series.join(" ")
    );

    assert_eq!(
        lost, 0,
        "calls neither succeeded nor failed within {bound:?}"
    );
    assert_eq!(ok + errors, calls, "a call was counted twice");
    // The attempt budget: never more than max_attempts per call, and each
    // injected fault costs at most one extra attempt.
    assert!(
        attempts <= calls * u64::from(MAX_ATTEMPTS),
        "{attempts} attempts"
    );
    assert!(
        attempts <= calls + throttles + unavailable + resets,
        "{attempts} attempts for {calls} calls and {} faults",
        throttles + unavailable + resets
    );
    // Every fault rate was met, so the retries had something to do.
    assert!(throttles >= calls / 200, "{throttles} throttles");
    assert!(unavailable >= calls / 200, "{unavailable} 503s");
    assert!(resets >= calls / 400, "{resets} resets");
    // Throttled, 503 and reset attempts mostly succeed on retry: the quota
    // (500 tokens, 5 or 10 a retry, 1 back per clean call) never runs dry
    // at a 2.5 % fault rate, and three faults in a row are rare.
    let faults = throttles + unavailable + resets;
    assert!(
        rescued * 10 >= faults * 9,
        "only {rescued} of {faults} faulted calls rescued by a retry"
    );
    assert!(ok * 1000 >= calls * 999, "{errors} of {calls} calls failed");

    // Flat after warm-up. Each open connection is two descriptors of this
    // process (the client's pooled end and the stub's). The pool may hold
    // more connections than calls in flight (a call that found none idle
    // opens one, and the pool keeps it when another came back first; seen
    // up to about 2× between rounds), so all descriptors together move
    // with it: those that must not grow are the ones not held by an open
    // connection, and the pool itself must stay bounded.
    if let (Some(a), Some(b), Some(ra), Some(rb)) = (fds_warm, fds_end, rss_warm, rss_end) {
        let unpaired = |fds: usize, live: u64| {
            fds.saturating_sub(usize::try_from(live * 2).unwrap_or(usize::MAX))
        };
        let (ua, ub) = (unpaired(a, live_warm), unpaired(b, live_end));
        assert!(
            ub <= ua + 4,
            "descriptors not held by a connection grew: {ua}→{ub} ({a}→{b} in all)"
        );
        assert!(
            live_end <= 4 * CONCURRENCY as u64,
            "{live_end} connections open for {CONCURRENCY} calls at a time"
        );
        assert!(
            rb <= ra + ra / 10 + 4 * 1024 * 1024,
            "resident memory grew: {:.1}→{:.1} MB",
            mb(ra),
            mb(rb)
        );
    }
}
