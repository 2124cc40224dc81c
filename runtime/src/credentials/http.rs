//! Requests to the credential endpoints (container, IMDS): the default
//! client, a per-request timeout, a cap on the response body and a small
//! number of attempts.

use crate::byte_stream::Collected;
use crate::{HttpClient, SharedHttpClient};
use bytes::Bytes;
use std::sync::OnceLock;
use std::time::Duration;

/// Metadata endpoints are link-local or loopback: if they do not answer
/// within a second they are not there, and waiting longer only delays the
/// error of a chain running off AWS.
#[cfg(feature = "rustls")]
const CONNECT_TIMEOUT: Duration = Duration::from_secs(1);

/// How much of a credential endpoint's response is read: credentials JSON
/// is about 1 KiB, so a longer body is an endpoint gone wrong, and reading
/// on would only fill memory.
pub(crate) const MAX_BODY: usize = 64 * 1024;

/// The HTTP client of a credential source: the one given, else a default
/// built on first use, so a chain that stops at the environment never
/// builds one.
#[derive(Debug, Clone, Default)]
pub(crate) struct LazyHttpClient {
    given: Option<SharedHttpClient>,
    default: std::sync::Arc<OnceLock<SharedHttpClient>>,
}

impl LazyHttpClient {
    pub(crate) fn new(given: Option<SharedHttpClient>) -> Self {
        LazyHttpClient {
            given,
            default: Default::default(),
        }
    }

    pub(crate) fn get(&self) -> &SharedHttpClient {
        match &self.given {
            Some(client) => client,
            None => self.default.get_or_init(default_http_client),
        }
    }
}

#[cfg(feature = "rustls")]
fn default_http_client() -> SharedHttpClient {
    match crate::DefaultHttpClient::with_connect_timeout(CONNECT_TIMEOUT) {
        Ok(client) => SharedHttpClient::new(client),
        Err(error) => {
            let mut reason = error.to_string();
            if let Some(source) = std::error::Error::source(&error) {
                reason = format!("{reason}: {source}");
            }
            SharedHttpClient::new(crate::http_client::UnavailableHttpClient::new(reason))
        }
    }
}

#[cfg(not(feature = "rustls"))]
fn default_http_client() -> SharedHttpClient {
    SharedHttpClient::new(crate::http_client::UnavailableHttpClient::new(
        "no HTTP client: enable the `rustls` feature of opgen or give the credentials provider one",
    ))
}

/// Why a request got no response.
#[derive(Debug)]
pub(crate) enum FetchError {
    /// The request could not be built (a bad header value, a bad URI).
    Build(String),
    /// No connection or no complete response.
    Transport(String),
    /// No response within the per-request timeout.
    Timeout(Duration),
    /// The response body is longer than [`MAX_BODY`]; not retried.
    TooLarge,
}

impl std::fmt::Display for FetchError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FetchError::Build(message) | FetchError::Transport(message) => f.write_str(message),
            FetchError::Timeout(after) => write!(f, "no response within {after:?}"),
            FetchError::TooLarge => write!(f, "the response is larger than {MAX_BODY} bytes"),
        }
    }
}

/// Sends the request `make` builds, up to `attempts` times while the
/// failure is a transport error, a timeout or a 5xx status. A 4xx or 2xx
/// response is returned as it is; a body longer than [`MAX_BODY`] fails at
/// once, whatever the status.
pub(crate) async fn fetch(
    client: &SharedHttpClient,
    make: impl Fn() -> Result<http::Request<Bytes>, http::Error>,
    attempts: u32,
    timeout: Duration,
) -> Result<http::Response<Bytes>, FetchError> {
    let mut last = FetchError::Transport("no attempt was made".to_owned());
    for attempt in 1..=attempts.max(1) {
        let request = make().map_err(|e| FetchError::Build(format!("invalid request: {e}")))?;
        match with_timeout(send(client, request), timeout).await {
            Ok(Ok(response)) if response.status().is_server_error() && attempt < attempts => {}
            Ok(Ok(response)) => return Ok(response),
            Ok(Err(FetchError::TooLarge)) => return Err(FetchError::TooLarge),
            Ok(Err(error)) => last = error,
            Err(elapsed) => last = FetchError::Timeout(elapsed),
        }
    }
    Err(last)
}

/// Sends `request` and reads the body up to [`MAX_BODY`], through
/// `call_streaming` so that the rest is never read.
async fn send(
    client: &SharedHttpClient,
    request: http::Request<Bytes>,
) -> Result<http::Response<Bytes>, FetchError> {
    let transport = |error: crate::TransportError| {
        let mut message = error.to_string();
        if let Some(source) = std::error::Error::source(&error) {
            message = format!("{message}: {source}");
        }
        FetchError::Transport(message)
    };
    let (head, body) = client
        .call_streaming(request)
        .await
        .map_err(transport)?
        .into_parts();
    match body.collect_at_most(MAX_BODY).await.map_err(transport)? {
        Collected::Whole(body) => Ok(http::Response::from_parts(head, body)),
        Collected::Cut(_) => Err(FetchError::TooLarge),
    }
}

/// `future`'s output, or `Err(limit)` when it takes longer. Without the
/// `rt-tokio` feature there is no timer, and only the HTTP client's own
/// connect timeout applies.
async fn with_timeout<T>(
    future: impl std::future::Future<Output = T>,
    limit: Duration,
) -> Result<T, Duration> {
    #[cfg(feature = "rt-tokio")]
    {
        tokio::time::timeout(limit, future)
            .await
            .map_err(|_elapsed| limit)
    }
    #[cfg(not(feature = "rt-tokio"))]
    {
        let _ = limit;
        Ok(future.await)
    }
}
