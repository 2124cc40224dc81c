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
            // The platform verifier's own failure is `General` (no CA
            // certificate found): its text, without a second "unexpected
            // error" prefix.
            let cause = match error {
                rustls::Error::General(cause) => cause.clone(),
                other => other.to_string(),
            };
            rustls::Error::General(format!(
                "the platform's root certificates could not be loaded: {cause}"
            ))
        })
    }

    /// Whether the roots were loaded (or their load failed).
    #[cfg(test)]
    fn roots_loaded(&self) -> bool {
        self.platform.get().is_some()
    }
}

#[cfg(feature = "rustls")]
impl Debug for LazyPlatformVerifier {
    // Not derived: the provider's `Debug` runs to pages of algorithms; what
    // matters here is whether the roots were loaded. (No certificate would
    // show either way: rustls prints a root store as its count.)
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
    use rustls::client::danger::ServerCertVerifier;
    use std::time::Duration;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    /// A self-signed server certificate for 127.0.0.1 (P-256, not a CA,
    /// valid until 2126) that no system trusts, and its PKCS#8 key, base64
    /// DER, made for these tests with `openssl req -x509 -key key.pem
    /// -days 36500 -subj "/CN=opgen untrusted test" -addext
    /// subjectAltName=IP:127.0.0.1 -addext
    /// basicConstraints=critical,CA:FALSE -addext
    /// extendedKeyUsage=serverAuth` (the key from `openssl genpkey
    /// -algorithm EC -pkeyopt ec_paramgen_curve:P-256`).
    const UNTRUSTED_CERT: &str = "MIIBuTCCAV6gAwIBAgIUaIc3NWE/wuvHvtB5es6reW5whmQwCgYIKoZIzj0EAwIwHzEdMBsGA1UEAwwUb3BnZW4gdW50cnVzdGVkIHRlc3QwIBcNMjYxMTMwMTQzOTA3WhgPMjEyNjExMDYxNDM5MDdaMB8xHTAbBgNVBAMMFG9wZ2VuIHVudHJ1c3RlZCB0ZXN0MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEGWj/vTXlwo2kOcl+vGxWtkk6P/R1bP3PHH0GCR+2yMH9xZWRAoFiV3u6IC6xppiJiU/GWW28Epg5Mu2yLJ/QO6N2MHQwHQYDVR0OBBYEFG7nQkkcDAtfOFCrVAuljYpdw/2ZMB8GA1UdIwQYMBaAFG7nQkkcDAtfOFCrVAuljYpdw/2ZMA8GA1UdEQQIMAaHBH8AAAEwDAYDVR0TAQH/BAIwADATBgNVHSUEDDAKBggrBgEFBQcDATAKBggqhkjOPQQDAgNJADBGAiEA0QUJF1ekeUTJYmVWLqJKL+lnaprJQwgB1tH4dST1ePICIQCs42ZyTn1djLQnc7HZ9mN+/byhlk9GFCv6hkS4Sa0Ptw==";
    const UNTRUSTED_KEY: &str = "MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgNkVoJQqqmgHW6j87oWe5M9DSV0/Qh65FfZXgC/o/GO2hRANCAAQZaP+9NeXCjaQ5yX68bFa2STo/9HVs/c8cfQYJH7bIwf3FlZECgWJXe7ogLrGmmImJT8ZZbbwSmDky7bIsn9A7";

    fn provider() -> Arc<rustls::crypto::CryptoProvider> {
        Arc::new(rustls::crypto::ring::default_provider())
    }

    /// A TLS server on 127.0.0.1 that presents [`UNTRUSTED_CERT`] to one
    /// connection; returns its `https://` URL.
    fn untrusted_tls_server() -> String {
        use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
        let cert = CertificateDer::from(crate::encoding::base64_decode(UNTRUSTED_CERT).unwrap());
        let key = PrivatePkcs8KeyDer::from(crate::encoding::base64_decode(UNTRUSTED_KEY).unwrap());
        let config = rustls::ServerConfig::builder_with_provider(provider())
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_no_client_auth()
            .with_single_cert(vec![cert], PrivateKeyDer::Pkcs8(key))
            .unwrap();
        let mut server = rustls::ServerConnection::new(Arc::new(config)).unwrap();
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("https://{}/", listener.local_addr().unwrap());
        std::thread::spawn(move || {
            let Ok((mut tcp, _)) = listener.accept() else {
                return;
            };
            let _ = tcp.set_read_timeout(Some(Duration::from_secs(10)));
            // Until the client rejects the certificate (or a timeout).
            while server.is_handshaking() && server.complete_io(&mut tcp).is_ok() {}
        });
        url
    }

    /// `error`'s text and its causes', on one line.
    fn chain(error: &TransportError) -> String {
        let mut shown = error.to_string();
        let mut source = std::error::Error::source(error);
        while let Some(cause) = source {
            shown.push_str(&format!(": {cause}"));
            source = cause.source();
        }
        shown
    }

    fn get(url: &str) -> http::Request<Bytes> {
        let mut request = http::Request::new(Bytes::new());
        *request.uri_mut() = url.parse().unwrap();
        request
    }

    #[test]
    fn building_the_client_loads_no_roots() {
        let client = ReqwestHttpClient::new().unwrap();
        assert!(!client.verifier.roots_loaded());
        let debug = format!("{client:?}");
        assert!(debug.contains(r#"roots: "not loaded""#), "{debug}");
    }

    #[tokio::test]
    async fn an_http_call_never_loads_the_roots() {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/", listener.local_addr().unwrap());
        let server = tokio::spawn(async move {
            let (mut tcp, _) = listener.accept().await.unwrap();
            let mut head = Vec::new();
            let mut chunk = [0u8; 1024];
            while !head.windows(4).any(|w| w == b"\r\n\r\n") {
                let n = tcp.read(&mut chunk).await.unwrap();
                assert!(n > 0, "the request ended early");
                head.extend_from_slice(&chunk[..n]);
            }
            tcp.write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\nconnection: close\r\n\r\nok")
                .await
                .unwrap();
        });
        let client = ReqwestHttpClient::new().unwrap();
        let response = client.call(get(&url)).await.unwrap();
        server.await.unwrap();
        assert_eq!(response.status(), 200);
        assert_eq!(response.body().as_ref(), b"ok");
        assert!(!client.verifier.roots_loaded());
    }

    #[tokio::test]
    async fn an_untrusted_certificate_fails_the_handshake_once_the_roots_are_loaded() {
        let client = ReqwestHttpClient::new().unwrap();
        let error = client.call(get(&untrusted_tls_server())).await.unwrap_err();
        let shown = chain(&error);
        assert!(
            shown.contains("invalid peer certificate: UnknownIssuer"),
            "{shown}"
        );
        assert!(client.verifier.roots_loaded());
        let debug = format!("{client:?}");
        assert!(debug.contains(r#"roots: "loaded""#), "{debug}");
    }

    #[tokio::test]
    async fn a_failed_root_load_fails_every_https_handshake_naming_the_cause() {
        // What the platform verifier returns on Linux when no CA
        // certificate can be read.
        let verifier = LazyPlatformVerifier {
            provider: provider(),
            platform: std::sync::OnceLock::from(Err(rustls::Error::General(
                "No CA certificates were loaded from the system".to_owned(),
            ))),
        };
        let client = ReqwestHttpClient::build_with_verifier(
            DEFAULT_CONNECT_TIMEOUT,
            false,
            Arc::new(verifier),
        )
        .unwrap();
        for _ in 0..2 {
            let error = client.call(get(&untrusted_tls_server())).await.unwrap_err();
            let shown = chain(&error);
            assert!(
                shown.contains("unexpected error: the platform's root certificates could not be loaded: No CA certificates were loaded from the system"),
                "{shown}"
            );
            // A TLS failure: the client does not retry it.
            assert!(!error.is_transient());
        }
        assert!(format!("{client:?}").contains(r#"roots: "failed to load""#));
    }

    #[test]
    fn signature_schemes_are_the_platform_verifiers() {
        let lazy = LazyPlatformVerifier::new(provider());
        let platform = rustls_platform_verifier::Verifier::new(provider()).unwrap();
        assert_eq!(
            lazy.supported_verify_schemes(),
            platform.supported_verify_schemes()
        );
        assert_eq!(
            lazy.requires_raw_public_keys(),
            platform.requires_raw_public_keys()
        );
        assert!(lazy.root_hint_subjects().is_none());
        assert!(platform.root_hint_subjects().is_none());
        assert!(!lazy.roots_loaded());
    }

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
