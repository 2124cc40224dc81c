//! The HTTP client seam: the one place the network is touched.

use crate::TransportError;
use bytes::Bytes;
use std::fmt::Debug;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

/// The future returned by [`HttpClient::call`].
pub type HttpClientFuture =
    Pin<Box<dyn Future<Output = Result<http::Response<Bytes>, TransportError>> + Send>>;

/// Sends one HTTP request and returns its whole response.
///
/// Implemented for reqwest (feature `rustls`); implement it to plug another
/// HTTP stack or a test double. Called once per attempt, after signing; a
/// returned [`TransportError`] counts as a failed attempt.
pub trait HttpClient: Send + Sync + Debug {
    /// Sends `request` and reads the full response body.
    fn call(&self, request: http::Request<Bytes>) -> HttpClientFuture;
}

/// A shareable [`HttpClient`].
#[derive(Debug, Clone)]
pub struct SharedHttpClient(Arc<dyn HttpClient>);

impl SharedHttpClient {
    /// Wraps `client` for sharing.
    pub fn new(client: impl HttpClient + 'static) -> Self {
        SharedHttpClient(Arc::new(client))
    }
}

impl HttpClient for SharedHttpClient {
    fn call(&self, request: http::Request<Bytes>) -> HttpClientFuture {
        self.0.call(request)
    }
}
