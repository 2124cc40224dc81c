//! Retries in the AWS SDKs' standard mode.
//!
//! A failed attempt is retried when the failure is plausibly transient:
//! a throttling error code, a transient error code, HTTP 500/502/503/504,
//! an error the model marks `@retryable`, a connection that could not be
//! made or was dropped, or an attempt timeout. Between attempts the client
//! sleeps a random delay in `[0, min(max_backoff, initial_backoff * 2^(n-1))]`
//! after the `n`th failed attempt ("full jitter"), longer if the service
//! asked for it with `x-amz-retry-after` or `Retry-After`.
//!
//! Each client holds a retry quota (500 tokens): a retry costs 5 tokens,
//! 10 after a timeout or a connection failure; a call that succeeds first
//! time puts 1 token back, one that succeeds after retrying puts back what
//! its last retry took. An empty quota means no more retries: during an
//! outage, a fleet of clients stops multiplying the load on the service and
//! callers get the error at once instead of after every backoff.

use crate::{Error, ProvideErrorMetadata, TransportError};
use http::HeaderMap;
use std::error::Error as StdError;
use std::fmt::Debug;
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;
use std::time::Duration;

const DEFAULT_MAX_ATTEMPTS: u32 = 3;
const DEFAULT_INITIAL_BACKOFF: Duration = Duration::from_secs(1);
const DEFAULT_MAX_BACKOFF: Duration = Duration::from_secs(20);
const DEFAULT_QUOTA: u32 = 500;
const RETRY_COST: u32 = 5;
const TIMEOUT_RETRY_COST: u32 = 10;
const NO_RETRY_INCREMENT: u32 = 1;

/// Error codes that mean "slow down" (the standard mode's list).
const THROTTLING_CODES: &[&str] = &[
    "Throttling",
    "ThrottlingException",
    "ThrottledException",
    "RequestThrottledException",
    "TooManyRequestsException",
    "ProvisionedThroughputExceededException",
    "TransactionInProgressException",
    "RequestLimitExceeded",
    "BandwidthLimitExceeded",
    "LimitExceededException",
    "RequestThrottled",
    "SlowDown",
    "PriorRequestNotComplete",
    "EC2ThrottledException",
];

/// Error codes of failures that a later attempt may not meet.
const TRANSIENT_CODES: &[&str] = &["RequestTimeout", "RequestTimeoutException", "InternalError"];

/// HTTP statuses of server failures worth another attempt.
const TRANSIENT_STATUSES: &[u16] = &[500, 502, 503, 504];

/// How a client retries failed attempts: the AWS SDKs' standard mode.
///
/// A failed attempt is retried when another may succeed: a throttling
/// error code (`ThrottlingException`, `TooManyRequestsException`,
/// `SlowDown`, …), a transient code (`RequestTimeout`,
/// `RequestTimeoutException`, `InternalError`), HTTP 500/502/503/504, an
/// error the model marks `@retryable`, a connection refused, reset or
/// closed before the response (not a TLS failure), or an attempt timeout.
/// Never: other client errors (4xx), a response that cannot be parsed, the
/// operation timeout. Every attempt is signed afresh and carries
/// `amz-sdk-request: attempt=N; max=M` and the call's one
/// `amz-sdk-invocation-id`.
///
/// After the `n`th failed attempt the client sleeps a random delay in
/// `[0, min(max_backoff, initial_backoff * 2^(n-1))]` ("full jitter"), or
/// longer if the service asks with `x-amz-retry-after` (milliseconds) or
/// `Retry-After` (seconds), never more than `max_backoff`.
///
/// Each client holds a retry quota: a retry takes 5 tokens, 10 after a
/// timeout or connection failure; a call that succeeds first time puts 1
/// back, one that succeeds after retrying puts back what its last retry
/// took. While the quota is empty failed attempts are not retried and the
/// call returns the attempt's error at once, so that during an outage
/// clients stop multiplying the load on the service.
///
/// ```
/// use std::time::Duration;
/// let config = opgen::Config::builder()
///     .retry_config(
///         opgen::RetryConfig::standard()
///             .max_attempts(5)
///             .max_backoff(Duration::from_secs(5)),
///     )
///     .build();
/// ```
///
/// Defaults ([`RetryConfig::standard`]): 3 attempts in all, backoff from
/// 1 s doubling up to 20 s with full jitter, a retry quota of 500 tokens
/// per client.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryConfig {
    max_attempts: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
    jitter: bool,
    quota: u32,
}

impl Default for RetryConfig {
    fn default() -> Self {
        RetryConfig::standard()
    }
}

impl RetryConfig {
    /// The standard mode with its defaults: 3 attempts, backoff from 1 s
    /// up to 20 s with full jitter, a quota of 500 tokens.
    pub fn standard() -> Self {
        RetryConfig {
            max_attempts: DEFAULT_MAX_ATTEMPTS,
            initial_backoff: DEFAULT_INITIAL_BACKOFF,
            max_backoff: DEFAULT_MAX_BACKOFF,
            jitter: true,
            quota: DEFAULT_QUOTA,
        }
    }

    /// One attempt per call, never a retry.
    pub fn disabled() -> Self {
        RetryConfig::standard().max_attempts(1)
    }

    /// The most attempts a call makes, the first included (default 3; 0
    /// counts as 1).
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// The ceiling of the delay before the first retry (default 1 s); each
    /// later retry doubles it, up to [`max_backoff`](Self::max_backoff).
    pub fn initial_backoff(mut self, backoff: Duration) -> Self {
        self.initial_backoff = backoff;
        self
    }

    /// The longest delay between two attempts (default 20 s), also the
    /// most a `Retry-After` from the service can make the client wait.
    pub fn max_backoff(mut self, backoff: Duration) -> Self {
        self.max_backoff = backoff;
        self
    }

    /// Whether each delay is drawn at random below its ceiling (default
    /// `true`). Without jitter every delay is the ceiling itself, so that
    /// many clients failing together also retry together: turn it off only
    /// to make delays predictable, e.g. in tests.
    pub fn jitter(mut self, jitter: bool) -> Self {
        self.jitter = jitter;
        self
    }

    /// The size of the client's retry quota in tokens (default 500; a
    /// retry costs 5, or 10 after a timeout or connection failure). It is
    /// read when the [`Client`](crate::Client) is created: a per-call
    /// override cannot change it.
    pub fn retry_quota(mut self, tokens: u32) -> Self {
        self.quota = tokens;
        self
    }

    pub(crate) fn attempts(&self) -> u32 {
        self.max_attempts
    }

    pub(crate) fn quota_tokens(&self) -> u32 {
        self.quota
    }

    /// The delay after the `failed_attempt`th attempt (1 for the first),
    /// with `fraction` in `[0, 1)` the random part; `hint` is the delay the
    /// service asked for, if any.
    pub(crate) fn backoff(
        &self,
        failed_attempt: u32,
        fraction: f64,
        hint: Option<Duration>,
    ) -> Duration {
        let doublings = failed_attempt.saturating_sub(1).min(31);
        let ceiling = self
            .initial_backoff
            .checked_mul(1u32 << doublings)
            .unwrap_or(Duration::MAX)
            .min(self.max_backoff);
        let delay = if self.jitter {
            ceiling.mul_f64(fraction.clamp(0.0, 1.0))
        } else {
            ceiling
        };
        // The service knows better than the formula when it says how long
        // to wait, but never more than max_backoff.
        match hint {
            Some(hint) => hint.max(delay).min(self.max_backoff),
            None => delay,
        }
    }
}

/// The future returned by [`AsyncSleep::sleep`].
pub type SleepFuture = Pin<Box<dyn Future<Output = ()> + Send>>;

/// Waits between retries. The default (feature `rt-tokio`) is
/// `tokio::time::sleep`; set another with
/// [`ConfigBuilder::sleep_impl`](crate::ConfigBuilder::sleep_impl) for
/// another runtime, or to record the delays in tests.
pub trait AsyncSleep: Send + Sync + Debug {
    /// A future that completes after `duration`.
    fn sleep(&self, duration: Duration) -> SleepFuture;
}

/// A shareable [`AsyncSleep`].
#[derive(Debug, Clone)]
pub(crate) struct SharedAsyncSleep(Arc<dyn AsyncSleep>);

impl SharedAsyncSleep {
    pub(crate) fn new(sleep: impl AsyncSleep + 'static) -> Self {
        SharedAsyncSleep(Arc::new(sleep))
    }

    pub(crate) fn sleep(&self, duration: Duration) -> SleepFuture {
        self.0.sleep(duration)
    }
}

/// `tokio::time::sleep`.
#[cfg(feature = "rt-tokio")]
#[derive(Debug)]
pub(crate) struct TokioSleep;

#[cfg(feature = "rt-tokio")]
impl AsyncSleep for TokioSleep {
    fn sleep(&self, duration: Duration) -> SleepFuture {
        Box::pin(tokio::time::sleep(duration))
    }
}

/// The sleep used when none is configured: tokio's, or none at all
/// without the `rt-tokio` feature (and then no retries).
pub(crate) fn default_sleep() -> Option<SharedAsyncSleep> {
    #[cfg(feature = "rt-tokio")]
    return Some(SharedAsyncSleep::new(TokioSleep));
    #[cfg(not(feature = "rt-tokio"))]
    None
}

/// Why a failed attempt may be retried; it sets the price in quota tokens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RetryKind {
    /// The service said to slow down.
    Throttling,
    /// The service failed (5xx, transient code, `@retryable`).
    ServerError,
    /// No answer: the connection failed or the attempt timed out.
    Transient,
}

impl RetryKind {
    pub(crate) fn cost(self) -> u32 {
        match self {
            RetryKind::Throttling | RetryKind::ServerError => RETRY_COST,
            RetryKind::Transient => TIMEOUT_RETRY_COST,
        }
    }

    #[cfg(feature = "tracing")]
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            RetryKind::Throttling => "throttling",
            RetryKind::ServerError => "server error",
            RetryKind::Transient => "transient",
        }
    }
}

/// Whether another attempt may succeed where this one failed, and why.
pub(crate) fn classify<E: ProvideErrorMetadata>(error: &Error<E>) -> Option<RetryKind> {
    match error {
        Error::Service(e) => {
            let err = e.err();
            let code = err.meta().code().unwrap_or_default();
            if err.is_throttling() || THROTTLING_CODES.contains(&code) {
                Some(RetryKind::Throttling)
            } else if err.is_retryable()
                || TRANSIENT_CODES.contains(&code)
                || TRANSIENT_STATUSES.contains(&e.status().as_u16())
            {
                Some(RetryKind::ServerError)
            } else {
                None
            }
        }
        Error::Response(e) if TRANSIENT_STATUSES.contains(&e.status().as_u16()) => {
            Some(RetryKind::ServerError)
        }
        Error::Transport(e) if e.is_transient() => Some(RetryKind::Transient),
        // The operation timeout wraps every attempt, so only an attempt
        // timeout can be seen here.
        Error::Timeout(e) if e.which() == "attempt" => Some(RetryKind::Transient),
        _ => None,
    }
}

/// The delay the service asked for: `x-amz-retry-after` in milliseconds,
/// else `Retry-After` in seconds (an HTTP date is ignored).
pub(crate) fn retry_after<E>(error: &Error<E>) -> Option<Duration> {
    let headers: &HeaderMap = match error {
        Error::Service(e) => e.headers(),
        Error::Response(e) => e.headers(),
        _ => return None,
    };
    let number =
        |name: &str| -> Option<u64> { headers.get(name)?.to_str().ok()?.trim().parse().ok() };
    number("x-amz-retry-after")
        .map(Duration::from_millis)
        .or_else(|| number("retry-after").map(Duration::from_secs))
}

/// A client's retry quota: a bucket of tokens that retries take and
/// successes put back.
#[derive(Debug)]
pub(crate) struct RetryQuota {
    capacity: u32,
    available: AtomicU32,
}

impl RetryQuota {
    pub(crate) fn new(capacity: u32) -> Self {
        RetryQuota {
            capacity,
            available: AtomicU32::new(capacity),
        }
    }

    /// Takes `cost` tokens if there are that many.
    pub(crate) fn try_acquire(&self, cost: u32) -> bool {
        self.available
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |available| {
                available.checked_sub(cost)
            })
            .is_ok()
    }

    /// Puts `tokens` back, never above the capacity.
    pub(crate) fn release(&self, tokens: u32) {
        let _ = self
            .available
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |available| {
                Some(available.saturating_add(tokens).min(self.capacity))
            });
    }

    /// What a successful call puts back: the price of its last retry, or
    /// a token when it needed none.
    pub(crate) fn on_success(&self, last_retry_cost: Option<u32>) {
        self.release(last_retry_cost.unwrap_or(NO_RETRY_INCREMENT));
    }

    #[cfg(any(test, feature = "tracing"))]
    pub(crate) fn available(&self) -> u32 {
        self.available.load(Ordering::Acquire)
    }
}

/// Whether the failure behind a [`TransportError`] is worth another
/// attempt: a connection refused, reset or closed early, a connect or read
/// timeout. A TLS failure (e.g. an untrusted certificate) is not.
pub(crate) fn is_transient_transport(error: &TransportError) -> bool {
    let mut transient = false;
    let mut next = StdError::source(error);
    while let Some(cause) = next {
        #[cfg(feature = "rustls")]
        {
            if cause.is::<rustls::Error>() {
                return false;
            }
            transient |= crate::default_http_client::is_transient_cause(cause);
        }
        if let Some(e) = cause.downcast_ref::<std::io::Error>() {
            use std::io::ErrorKind::*;
            transient |= matches!(
                e.kind(),
                ConnectionRefused
                    | ConnectionReset
                    | ConnectionAborted
                    | NotConnected
                    | BrokenPipe
                    | UnexpectedEof
                    | TimedOut
            );
            // `io::Error::source` skips the wrapped error itself, where a
            // TLS failure would be.
            if let Some(inner) = e.get_ref() {
                next = Some(inner);
                continue;
            }
        }
        next = cause.source();
    }
    transient
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{ErrorMetadata, ServiceError, TimeoutError};
    use bytes::Bytes;
    use std::fmt;

    #[derive(Debug)]
    struct TestError {
        meta: ErrorMetadata,
        retryable: bool,
        throttling: bool,
    }

    impl fmt::Display for TestError {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("test error")
        }
    }

    impl StdError for TestError {}

    impl ProvideErrorMetadata for TestError {
        fn meta(&self) -> &ErrorMetadata {
            &self.meta
        }
        fn is_retryable(&self) -> bool {
            self.retryable
        }
        fn is_throttling(&self) -> bool {
            self.throttling
        }
    }

    fn service_error(status: u16, code: &str, headers: &[(&str, &str)]) -> Error<TestError> {
        modeled_error(status, code, false, false, headers)
    }

    fn modeled_error(
        status: u16,
        code: &str,
        retryable: bool,
        throttling: bool,
        headers: &[(&str, &str)],
    ) -> Error<TestError> {
        let mut response = http::Response::builder().status(status);
        for (name, value) in headers {
            response = response.header(*name, *value);
        }
        let response = response.body(Bytes::new()).unwrap();
        let error = TestError {
            meta: ErrorMetadata::new(Some(code.into()), None, None),
            retryable,
            throttling,
        };
        Error::Service(ServiceError::new(error, &response))
    }

    #[test]
    fn backoff_doubles_from_the_initial_delay_up_to_the_cap() {
        let config = RetryConfig::standard();
        let full = |attempt| config.backoff(attempt, 0.999_999_999, None);
        assert!(full(1) <= Duration::from_secs(1) && full(1) > Duration::from_millis(999));
        assert!(full(2) <= Duration::from_secs(2) && full(2) > Duration::from_millis(1999));
        assert!(full(5) <= Duration::from_secs(16) && full(5) > Duration::from_millis(15999));
        assert_eq!(full(6), Duration::from_secs(20).mul_f64(0.999_999_999));
        // Far past the cap, no overflow.
        assert!(full(u32::MAX) <= Duration::from_secs(20));
    }

    #[test]
    fn jitter_scales_the_ceiling_by_the_random_fraction() {
        let config = RetryConfig::standard();
        assert_eq!(config.backoff(1, 0.0, None), Duration::ZERO);
        assert_eq!(config.backoff(1, 0.5, None), Duration::from_millis(500));
        assert_eq!(config.backoff(3, 0.25, None), Duration::from_secs(1));
        let fixed = RetryConfig::standard().jitter(false);
        assert_eq!(fixed.backoff(1, 0.0, None), Duration::from_secs(1));
        assert_eq!(fixed.backoff(3, 0.0, None), Duration::from_secs(4));
    }

    #[test]
    fn a_retry_after_hint_lengthens_the_delay_up_to_the_cap() {
        let config = RetryConfig::standard();
        let hint = |d| config.backoff(1, 0.5, Some(d));
        assert_eq!(hint(Duration::from_secs(3)), Duration::from_secs(3));
        assert_eq!(hint(Duration::from_millis(10)), Duration::from_millis(500));
        assert_eq!(hint(Duration::from_secs(3600)), Duration::from_secs(20));
    }

    #[test]
    fn retry_after_headers_are_read_in_their_units() {
        let error = service_error(503, "SlowDown", &[("x-amz-retry-after", "1500")]);
        assert_eq!(retry_after(&error), Some(Duration::from_millis(1500)));
        let error = service_error(503, "SlowDown", &[("retry-after", "2")]);
        assert_eq!(retry_after(&error), Some(Duration::from_secs(2)));
        let error = service_error(
            503,
            "SlowDown",
            &[("retry-after", "Wed, 21 Oct 2015 07:28:00 GMT")],
        );
        assert_eq!(retry_after(&error), None);
    }

    #[test]
    fn throttling_codes_and_flags_are_throttling() {
        for code in THROTTLING_CODES {
            assert_eq!(
                classify(&service_error(400, code, &[])),
                Some(RetryKind::Throttling),
                "{code}"
            );
        }
        let modeled = modeled_error(429, "Custom", true, true, &[]);
        assert_eq!(classify(&modeled), Some(RetryKind::Throttling));
    }

    #[test]
    fn server_errors_transient_codes_and_retryable_errors_are_retried() {
        for status in [500, 502, 503, 504] {
            assert_eq!(
                classify(&service_error(status, "Whatever", &[])),
                Some(RetryKind::ServerError),
                "{status}"
            );
        }
        for code in TRANSIENT_CODES {
            assert_eq!(
                classify(&service_error(400, code, &[])),
                Some(RetryKind::ServerError)
            );
        }
        let modeled = modeled_error(400, "Custom", true, false, &[]);
        assert_eq!(classify(&modeled), Some(RetryKind::ServerError));
    }

    #[test]
    fn client_errors_are_not_retried() {
        for (status, code) in [
            (400, "ValidationException"),
            (403, "InvalidSignatureException"),
            (403, "AccessDeniedException"),
            (404, "ResourceNotFoundException"),
            (501, "NotImplemented"),
        ] {
            assert_eq!(classify(&service_error(status, code, &[])), None, "{code}");
        }
        let build: Error<TestError> = Error::Build(crate::BuildError::other("bad"));
        assert_eq!(classify(&build), None);
    }

    #[test]
    fn attempt_timeouts_are_retried_and_operation_timeouts_are_not() {
        let attempt: Error<TestError> =
            Error::Timeout(TimeoutError::new("attempt", Duration::from_secs(1)));
        assert_eq!(classify(&attempt), Some(RetryKind::Transient));
        assert_eq!(RetryKind::Transient.cost(), 10);
        let operation: Error<TestError> =
            Error::Timeout(TimeoutError::new("operation", Duration::from_secs(1)));
        assert_eq!(classify(&operation), None);
    }

    #[test]
    fn connection_failures_are_transient_and_others_are_not() {
        let io = |kind| {
            TransportError::new(
                "failed",
                Some(Box::new(std::io::Error::new(kind, "socket"))),
            )
        };
        for kind in [
            std::io::ErrorKind::ConnectionRefused,
            std::io::ErrorKind::ConnectionReset,
            std::io::ErrorKind::UnexpectedEof,
        ] {
            assert!(is_transient_transport(&io(kind)), "{kind:?}");
        }
        assert!(!is_transient_transport(&io(
            std::io::ErrorKind::PermissionDenied
        )));
        assert!(!is_transient_transport(&TransportError::new(
            "no client",
            None
        )));
        // An explicit verdict wins over the cause.
        let forced = io(std::io::ErrorKind::PermissionDenied).with_transient(true);
        assert!(forced.is_transient());
        let refused = io(std::io::ErrorKind::ConnectionRefused).with_transient(false);
        assert!(!refused.is_transient());
    }

    #[cfg(feature = "rustls")]
    #[test]
    fn a_tls_failure_is_not_transient_even_inside_a_reset() {
        let tls = rustls::Error::InvalidCertificate(rustls::CertificateError::UnknownIssuer);
        // How tokio-rustls reports it: an io::Error wrapping the rustls one.
        let io = std::io::Error::new(std::io::ErrorKind::ConnectionReset, tls);
        let error = TransportError::new("failed to connect", Some(Box::new(io)));
        assert!(!is_transient_transport(&error));
    }

    #[test]
    fn the_quota_charges_retries_and_refunds_successes() {
        let quota = RetryQuota::new(12);
        assert!(quota.try_acquire(RetryKind::Throttling.cost()));
        assert!(!quota.try_acquire(RetryKind::Transient.cost()));
        assert_eq!(quota.available(), 7);
        assert!(quota.try_acquire(RetryKind::ServerError.cost()));
        assert_eq!(quota.available(), 2);
        quota.on_success(Some(5));
        assert_eq!(quota.available(), 7);
        quota.on_success(None);
        assert_eq!(quota.available(), 8);
        quota.release(100);
        assert_eq!(quota.available(), 12, "never above the capacity");
    }
}
