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
/// Implemented for reqwest (feature `rustls`); implement it to plug another
/// HTTP stack or a test double. Called once per attempt, after signing; a
/// returned [`TransportError`] counts as a failed attempt.
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

/// The default [`HttpClient`] (feature `rustls`): reqwest over HTTP/1.1
/// (and HTTP/2 with the feature `http2`),
/// with rustls on the `ring` crypto provider and the platform's root
/// certificates for `https://`; plain `http://` works too. Redirects are not
/// followed, since a signed request must not be replayed elsewhere.
#[cfg(feature = "rustls")]
#[derive(Debug, Clone)]
pub struct ReqwestHttpClient {
    client: reqwest::Client,
    /// Kept for tests to see whether the roots were loaded.
    #[cfg(test)]
    verifier: Arc<LazyPlatformVerifier>,
}

#[cfg(feature = "rustls")]
impl ReqwestHttpClient {
    /// A client with the default connect timeout (3.1 s).
    ///
    /// The platform's root certificates are loaded at the first `https://`
    /// handshake, not here, so a client that only calls `http://`
    /// endpoints never reads them. When they cannot be loaded (e.g. no CA
    /// certificate is installed), every `https://` call of this client
    /// fails with a TLS error that says so.
    ///
    /// Fails when the TLS configuration or the reqwest client cannot be
    /// built.
    pub fn new() -> Result<Self, TransportError> {
        Self::with_connect_timeout(DEFAULT_CONNECT_TIMEOUT)
    }

    /// A client that gives up connecting (TCP and TLS) after
    /// `connect_timeout`.
    pub fn with_connect_timeout(
        connect_timeout: std::time::Duration,
    ) -> Result<Self, TransportError> {
        Self::build(connect_timeout, false)
    }

    /// A client that speaks HTTP/2 from the first byte, without TLS or
    /// upgrade (h2c "prior knowledge"), as a loopback test server or a
    /// plain-HTTP/2 proxy expects (feature `http2`). Over `https://` the
    /// default client already offers HTTP/2.
    #[cfg(feature = "http2")]
    pub fn with_http2_prior_knowledge(
        connect_timeout: std::time::Duration,
    ) -> Result<Self, TransportError> {
        Self::build(connect_timeout, true)
    }

    fn build(
        connect_timeout: std::time::Duration,
        http2_prior_knowledge: bool,
    ) -> Result<Self, TransportError> {
        // The provider is passed explicitly rather than installed as the
        // process default, so an application's own choice is left alone.
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let verifier = Arc::new(LazyPlatformVerifier::new(provider));
        Self::build_with_verifier(connect_timeout, http2_prior_knowledge, verifier)
    }

    fn build_with_verifier(
        connect_timeout: std::time::Duration,
        http2_prior_knowledge: bool,
        verifier: Arc<LazyPlatformVerifier>,
    ) -> Result<Self, TransportError> {
        let tls_error =
            |e: rustls::Error| TransportError::new("failed to configure TLS", Some(Box::new(e)));
        let mut tls = rustls::ClientConfig::builder_with_provider(verifier.provider.clone())
            .with_safe_default_protocol_versions()
            .map_err(tls_error)?
            // rustls calls every verifier but its own "dangerous"; this one
            // is the platform verifier, created later, so each certificate
            // is still checked against the platform's roots as before.
            .dangerous()
            .with_custom_certificate_verifier(verifier.clone())
            .with_no_client_auth();
        // Only the versions reqwest is built with may be offered.
        tls.alpn_protocols = if cfg!(feature = "http2") {
            vec![b"h2".to_vec(), b"http/1.1".to_vec()]
        } else {
            vec![b"http/1.1".to_vec()]
        };
        let builder = reqwest::Client::builder()
            .tls_backend_preconfigured(tls)
            .connect_timeout(connect_timeout)
            .redirect(reqwest::redirect::Policy::none());
        #[cfg(feature = "http2")]
        let builder = if http2_prior_knowledge {
            builder.http2_prior_knowledge()
        } else {
            builder
        };
        #[cfg(not(feature = "http2"))]
        let _ = http2_prior_knowledge;
        let client = builder.build().map_err(|e| {
            TransportError::new("failed to build the HTTP client", Some(Box::new(e)))
        })?;
        Ok(ReqwestHttpClient {
            client,
            #[cfg(test)]
            verifier,
        })
    }
}

/// The platform's certificate verifier, created at the first certificate
/// to check rather than with the client: on Linux creating it reads every
/// root certificate of the system, most of a one-call process's work (see
/// BENCHMARKS.md, "Cold start"), which `http://` calls never need.
///
/// Trust decisions are the platform verifier's: certificates go to it, and
/// handshake signatures are checked as it checks them on every platform
/// (rustls's functions over the provider's algorithms, which need no
/// roots).
#[cfg(feature = "rustls")]
struct LazyPlatformVerifier {
    provider: Arc<rustls::crypto::CryptoProvider>,
    /// The result of the one load, a failure included.
    platform: std::sync::OnceLock<Result<rustls_platform_verifier::Verifier, rustls::Error>>,
}

#[cfg(feature = "rustls")]
impl LazyPlatformVerifier {
    fn new(provider: Arc<rustls::crypto::CryptoProvider>) -> Self {
        LazyPlatformVerifier {
            provider,
            platform: std::sync::OnceLock::new(),
        }
    }

    /// The platform verifier, loading the roots on the first use.
    ///
    /// Loaded once per client, as when it was built with the client: a
    /// failure is kept rather than retried at each handshake, which would
    /// read the whole store again on every new connection (milliseconds
    /// each) for a state a running process rarely sees fixed. A new client
    /// loads again, and so picks up roots installed since.
    fn platform(&self) -> Result<&rustls_platform_verifier::Verifier, rustls::Error> {
        // The first handshake blocks its thread while the roots load, as
        // building the client used to.
        let loaded = self
            .platform
            .get_or_init(|| rustls_platform_verifier::Verifier::new(self.provider.clone()));
        loaded.as_ref().map_err(|error| {
            rustls::Error::General(format!(
                "the platform's root certificates could not be loaded: {error}"
            ))
        })
    }
}

#[cfg(feature = "rustls")]
impl Debug for LazyPlatformVerifier {
    // Not derived: the platform verifier's `Debug` lists every root.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let roots = match self.platform.get() {
            None => "not loaded",
            Some(Ok(_)) => "loaded",
            Some(Err(_)) => "failed to load",
        };
        f.debug_struct("LazyPlatformVerifier")
            .field("roots", &roots)
            .finish_non_exhaustive()
    }
}

// `requires_raw_public_keys` and `root_hint_subjects` keep the trait's
// defaults (false, none), which the platform verifier keeps too.
#[cfg(feature = "rustls")]
impl rustls::client::danger::ServerCertVerifier for LazyPlatformVerifier {
    fn verify_server_cert(
        &self,
        end_entity: &rustls::pki_types::CertificateDer<'_>,
        intermediates: &[rustls::pki_types::CertificateDer<'_>],
        server_name: &rustls::pki_types::ServerName<'_>,
        ocsp_response: &[u8],
        now: rustls::pki_types::UnixTime,
    ) -> Result<rustls::client::danger::ServerCertVerified, rustls::Error> {
        self.platform()?.verify_server_cert(
            end_entity,
            intermediates,
            server_name,
            ocsp_response,
            now,
        )
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &rustls::pki_types::CertificateDer<'_>,
        dss: &rustls::DigitallySignedStruct,
    ) -> Result<rustls::client::danger::HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &rustls::pki_types::CertificateDer<'_>,
        dss: &rustls::DigitallySignedStruct,
    ) -> Result<rustls::client::danger::HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<rustls::SignatureScheme> {
        self.provider
            .signature_verification_algorithms
            .supported_schemes()
    }
}

#[cfg(feature = "rustls")]
impl HttpClient for ReqwestHttpClient {
    fn call(&self, request: http::Request<Bytes>) -> HttpClientFuture {
        let client = self.client.clone();
        Box::pin(async move {
            let request = reqwest::Request::try_from(request).map_err(reqwest_error)?;
            let response = client.execute(request).await.map_err(reqwest_error)?;
            let status = response.status();
            let version = response.version();
            let headers = response.headers().clone();
            let body = response.bytes().await.map_err(reqwest_error)?;
            let mut response = http::Response::new(body);
            *response.status_mut() = status;
            *response.version_mut() = version;
            *response.headers_mut() = headers;
            Ok(response)
        })
    }

    fn call_streaming(&self, request: http::Request<Bytes>) -> HttpClientStreamingFuture {
        let client = self.client.clone();
        Box::pin(async move {
            let request = reqwest::Request::try_from(request).map_err(reqwest_error)?;
            let response = client.execute(request).await.map_err(reqwest_error)?;
            let response = http::Response::<reqwest::Body>::from(response);
            Ok(response.map(ByteStream::from_body))
        })
    }

    fn call_event_stream(
        &self,
        request: http::Request<EventStreamBody>,
    ) -> HttpClientStreamingFuture {
        let client = self.client.clone();
        Box::pin(async move {
            let request = reqwest::Request::try_from(request.map(reqwest::Body::wrap))
                .map_err(reqwest_error)?;
            let response = client.execute(request).await.map_err(reqwest_error)?;
            let response = http::Response::<reqwest::Body>::from(response);
            Ok(response.map(ByteStream::from_body))
        })
    }
}

#[cfg(feature = "rustls")]
fn reqwest_error(error: reqwest::Error) -> TransportError {
    let message = if error.is_connect() && error.is_timeout() {
        "connect timeout"
    } else if error.is_connect() {
        "failed to connect"
    } else if error.is_builder() {
        "invalid HTTP request"
    } else if error.is_body() || error.is_decode() {
        "failed to read the response body"
    } else {
        "failed to send the request or receive the response"
    };
    // The URL goes: its query may carry a token (e.g. a presigned URL).
    TransportError::new(message, Some(Box::new(error.without_url())))
}

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

#[cfg(all(test, feature = "rustls"))]
mod reqwest_tests {
    use super::*;

    #[tokio::test]
    async fn transport_errors_do_not_show_the_query() {
        let client = ReqwestHttpClient::new().unwrap();
        let mut request = http::Request::new(Bytes::new());
        // Port 1 is closed: the connection is refused.
        *request.uri_mut() = "http://127.0.0.1:1/things?token=secret-query"
            .parse()
            .unwrap();
        let error = client.call(request).await.unwrap_err();
        let mut shown = format!("{error} {error:?}");
        let mut source = std::error::Error::source(&error);
        while let Some(cause) = source {
            shown.push_str(&format!(" {cause}"));
            source = cause.source();
        }
        assert!(!shown.contains("secret"), "{shown}");
    }
}
