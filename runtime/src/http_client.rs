//! The HTTP client seam: the one place the network is touched.

use crate::event_stream::EventStreamBody;
use crate::{ByteStream, TransportError};
use bytes::Bytes;
use std::fmt::Debug;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

/// The future returned by [`HttpClient::call`].
pub type HttpClientFuture =
    Pin<Box<dyn Future<Output = Result<http::Response<Bytes>, TransportError>> + Send>>;

/// The future returned by [`HttpClient::call_streaming`].
pub type HttpClientStreamingFuture =
    Pin<Box<dyn Future<Output = Result<http::Response<ByteStream>, TransportError>> + Send>>;

/// Sends one HTTP request and returns its response.
///
/// Implemented by [`DefaultHttpClient`](crate::DefaultHttpClient) (feature
/// `rustls`); implement it to plug another HTTP stack or a test double.
/// Called once per attempt, after signing; a returned [`TransportError`]
/// counts as a failed attempt.
///
/// The [`Client`](crate::Client) (and the container and IMDS credential
/// sources) call [`call_streaming`](HttpClient::call_streaming) and read
/// the body themselves, so that they can stop at a size limit (see
/// [`ConfigBuilder::max_response_body`](crate::ConfigBuilder::max_response_body)).
/// A client that implements only [`call`](HttpClient::call) works, but
/// reads each body whole before any limit is applied.
pub trait HttpClient: Send + Sync + Debug {
    /// Sends `request` and reads the full response body.
    fn call(&self, request: http::Request<Bytes>) -> HttpClientFuture;

    /// Sends `request` and returns as soon as the response head has
    /// arrived, with the body as a [`ByteStream`] that the caller reads as
    /// far as it wants; dropping it must stop the transfer (e.g. close the
    /// connection). Called for every operation, not only those whose
    /// output is a `@streaming` blob.
    ///
    /// The default reads the whole body through [`HttpClient::call`];
    /// override it to deliver the body as it arrives.
    fn call_streaming(&self, request: http::Request<Bytes>) -> HttpClientStreamingFuture {
        let response = self.call(request);
        Box::pin(async move { Ok(response.await?.map(ByteStream::new)) })
    }

    /// Sends `request`, whose body is an input event stream to send as it
    /// is produced (chunked over HTTP/1.1, DATA frames over HTTP/2), and
    /// returns as soon as the response head has arrived, as
    /// [`call_streaming`](HttpClient::call_streaming) does; the body keeps
    /// being sent while the response is read (a bidirectional operation
    /// answers before its input ends). Called for operations whose input
    /// is an event stream.
    ///
    /// The default fails (not transient): a client that reads a body
    /// whole cannot send one that never ends.
    fn call_event_stream(
        &self,
        request: http::Request<EventStreamBody>,
    ) -> HttpClientStreamingFuture {
        drop(request);
        Box::pin(async {
            Err(TransportError::new(
                "this HTTP client cannot stream a request body, which an input event stream needs; implement HttpClient::call_event_stream",
                None,
            )
            .with_transient(false))
        })
    }
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

    fn call_streaming(&self, request: http::Request<Bytes>) -> HttpClientStreamingFuture {
        self.0.call_streaming(request)
    }

    fn call_event_stream(
        &self,
        request: http::Request<EventStreamBody>,
    ) -> HttpClientStreamingFuture {
        self.0.call_event_stream(request)
    }
}

/// The default connect timeout: long enough for a TLS handshake across an
/// ocean, short enough that an unreachable host fails fast.
pub(crate) const DEFAULT_CONNECT_TIMEOUT: std::time::Duration =
    std::time::Duration::from_millis(3100);

/// Stands in when no HTTP client could be made, so that building a
/// [`Client`](crate::Client) never fails and each call reports why.
#[derive(Debug)]
pub(crate) struct UnavailableHttpClient {
    reason: String,
}

impl UnavailableHttpClient {
    pub(crate) fn new(reason: impl Into<String>) -> Self {
        UnavailableHttpClient {
            reason: reason.into(),
        }
    }
}

impl HttpClient for UnavailableHttpClient {
    fn call(&self, _request: http::Request<Bytes>) -> HttpClientFuture {
        let reason = self.reason.clone();
        Box::pin(async move { Err(TransportError::new(reason, None)) })
    }
}
