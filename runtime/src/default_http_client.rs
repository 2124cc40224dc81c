//! The default [`HttpClient`] (feature `rustls`): hyper-util's pooled
//! client over a connector of our own (TCP, the proxy from the
//! environment, rustls).
//!
//! opgen builds each `http::Request` whole (signed, with its `host`), never
//! follows a redirect and never decompresses, so a general-purpose client
//! such as reqwest adds only build time and code (URL parsing with IDNA,
//! tower layers); see BENCHMARKS.md, "The default HTTP client: reqwest or
//! hyper-util".

use crate::error::BoxError;
use crate::event_stream::EventStreamBody;
use crate::http_client::{
    HttpClient, HttpClientFuture, HttpClientStreamingFuture, DEFAULT_CONNECT_TIMEOUT,
};
use crate::{ByteStream, TransportError};
use bytes::Bytes;
use http::uri::Scheme;
use http::Uri;
use hyper::body::Incoming;
use hyper_util::client::legacy::connect::proxy::Tunnel;
use hyper_util::client::legacy::connect::{Connected, Connection, HttpConnector};
use hyper_util::client::proxy::matcher::Matcher;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use std::fmt;
use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;

/// How long an unused pooled connection is kept (reqwest's default).
const POOL_IDLE_TIMEOUT: Duration = Duration::from_secs(90);

/// TCP keepalive probes (reqwest's defaults): a peer gone silent is noticed
/// on a pooled connection.
const TCP_KEEPALIVE: Duration = Duration::from_secs(15);
const TCP_KEEPALIVE_RETRIES: u32 = 3;

/// How long sent data may stay unacknowledged before the connection is
/// dropped (reqwest's default, where the option exists): a write to a
/// vanished peer fails in seconds rather than after the kernel's minutes.
#[cfg(any(target_os = "android", target_os = "fuchsia", target_os = "linux"))]
const TCP_USER_TIMEOUT: Duration = Duration::from_secs(30);

/// The default [`HttpClient`] (feature `rustls`): hyper over HTTP/1.1 (and
/// HTTP/2 with the feature `http2`), with rustls on the `ring` crypto
/// provider and the platform's root certificates for `https://`; plain
/// `http://` works too. Connections are pooled (90 s idle). Redirects are
/// not followed, since a signed request must not be replayed elsewhere.
///
/// The proxy comes from the environment, as curl reads it: `HTTPS_PROXY`
/// for `https://` (tunnelled with `CONNECT`), `HTTP_PROXY` for `http://`,
/// `ALL_PROXY` for both, `NO_PROXY` for the hosts to reach directly (each
/// also in lowercase). The proxy must be an `http://` URL; credentials in
/// it are sent as basic authentication and never shown in errors or
/// `Debug`.
#[derive(Clone)]
pub struct DefaultHttpClient {
    // One pointer, so that a call's clone costs one increment and the
    // client sits in an enum or a struct at no size cost.
    inner: Arc<Inner>,
}

struct Inner {
    client: hyper_util::client::legacy::Client<Connector, RequestBody>,
    proxies: Arc<Matcher>,
    /// Shown by `Debug`: whether the roots were loaded.
    verifier: Arc<LazyPlatformVerifier>,
}

/// The client this crate used to be built on; the default client is now
/// [`DefaultHttpClient`].
#[deprecated(note = "renamed `DefaultHttpClient` (no longer built on reqwest)")]
pub type ReqwestHttpClient = DefaultHttpClient;

impl fmt::Debug for DefaultHttpClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The proxies stay out: their URLs may carry credentials.
        f.debug_struct("DefaultHttpClient")
            .field("verifier", &self.inner.verifier)
            .finish_non_exhaustive()
    }
}

impl DefaultHttpClient {
    /// A client with the default connect timeout (3.1 s).
    ///
    /// The platform's root certificates are loaded at the first `https://`
    /// handshake, not here, so a client that only calls `http://`
    /// endpoints never reads them. When they cannot be loaded (e.g. no CA
    /// certificate is installed), every `https://` call of this client
    /// fails with a TLS error that says so.
    ///
    /// Fails when the TLS configuration cannot be built.
    pub fn new() -> Result<Self, TransportError> {
        Self::with_connect_timeout(DEFAULT_CONNECT_TIMEOUT)
    }

    /// A client that gives up connecting (DNS, TCP, the proxy's tunnel and
    /// TLS) after `connect_timeout`.
    pub fn with_connect_timeout(connect_timeout: Duration) -> Result<Self, TransportError> {
        Self::build(connect_timeout, false, Matcher::from_system())
    }

    /// A client that speaks HTTP/2 from the first byte, without TLS or
    /// upgrade (h2c "prior knowledge"), as a loopback test server or a
    /// plain-HTTP/2 proxy expects (feature `http2`). Over `https://` the
    /// default client already offers HTTP/2.
    #[cfg(feature = "http2")]
    pub fn with_http2_prior_knowledge(connect_timeout: Duration) -> Result<Self, TransportError> {
        Self::build(connect_timeout, true, Matcher::from_system())
    }

    /// A client with the proxies of `proxies` rather than the environment's,
    /// for tests (the environment is shared by every test of a process).
    #[cfg(test)]
    pub(crate) fn with_proxies(proxies: Matcher) -> Result<Self, TransportError> {
        Self::build(DEFAULT_CONNECT_TIMEOUT, false, proxies)
    }

    fn build(
        connect_timeout: Duration,
        http2_prior_knowledge: bool,
        proxies: Matcher,
    ) -> Result<Self, TransportError> {
        // The provider is passed explicitly rather than installed as the
        // process default, so an application's own choice is left alone.
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let verifier = Arc::new(LazyPlatformVerifier::new(provider));
        Self::build_with(connect_timeout, http2_prior_knowledge, proxies, verifier)
    }

    fn build_with(
        connect_timeout: Duration,
        http2_prior_knowledge: bool,
        proxies: Matcher,
        verifier: Arc<LazyPlatformVerifier>,
    ) -> Result<Self, TransportError> {
        let mut http = HttpConnector::new();
        // The connector takes `https://` too: TLS is ours, on top.
        http.enforce_http(false);
        // Without it a small request can wait 40 ms for the delayed ACK of
        // its headers before its body goes.
        http.set_nodelay(true);
        // Split between the addresses of a name; the whole connection is
        // bounded again in `Connector::call`.
        http.set_connect_timeout(Some(connect_timeout));
        http.set_keepalive(Some(TCP_KEEPALIVE));
        http.set_keepalive_interval(Some(TCP_KEEPALIVE));
        http.set_keepalive_retries(Some(TCP_KEEPALIVE_RETRIES));
        #[cfg(any(target_os = "android", target_os = "fuchsia", target_os = "linux"))]
        http.set_tcp_user_timeout(Some(TCP_USER_TIMEOUT));
        let proxies = Arc::new(proxies);
        let connector = Connector {
            http,
            tls: tokio_rustls::TlsConnector::from(Arc::new(tls_config(verifier.clone())?)),
            proxies: proxies.clone(),
            timeout: connect_timeout,
        };
        let mut builder = hyper_util::client::legacy::Client::builder(TokioExecutor::new());
        builder
            .pool_idle_timeout(POOL_IDLE_TIMEOUT)
            .pool_timer(TokioTimer::new())
            .timer(TokioTimer::new());
        #[cfg(feature = "http2")]
        builder.http2_only(http2_prior_knowledge);
        #[cfg(not(feature = "http2"))]
        let _ = http2_prior_knowledge;
        Ok(DefaultHttpClient {
            inner: Arc::new(Inner {
                client: builder.build(connector),
                proxies,
                verifier,
            }),
        })
    }

    /// Sends `request` and returns at the response head.
    async fn send(
        &self,
        mut request: http::Request<RequestBody>,
    ) -> Result<http::Response<Incoming>, TransportError> {
        check_uri(request.uri())?;
        if request.uri().scheme() == Some(&Scheme::HTTP) {
            // Through a proxy, a plain request goes whole to the proxy,
            // which reads its credentials from the request (a tunnel
            // carries them in its `CONNECT`).
            if let Some(auth) = self
                .inner
                .proxies
                .intercept(request.uri())
                .and_then(|proxy| proxy.basic_auth().cloned())
            {
                request
                    .headers_mut()
                    .insert(http::header::PROXY_AUTHORIZATION, auth);
            }
        }
        self.inner.client.request(request).await.map_err(send_error)
    }
}

/// The TLS configuration of every `https://` connection.
fn tls_config(verifier: Arc<LazyPlatformVerifier>) -> Result<rustls::ClientConfig, TransportError> {
    let tls_error =
        |e: rustls::Error| TransportError::new("failed to configure TLS", Some(Box::new(e)));
    let mut tls = rustls::ClientConfig::builder_with_provider(verifier.provider.clone())
        .with_safe_default_protocol_versions()
        .map_err(tls_error)?
        // rustls calls every verifier but its own "dangerous"; this one
        // is the platform verifier, created later, so each certificate
        // is still checked against the platform's roots as before.
        .dangerous()
        .with_custom_certificate_verifier(verifier)
        .with_no_client_auth();
    // Only the versions hyper is built with may be offered.
    tls.alpn_protocols = if cfg!(feature = "http2") {
        vec![b"h2".to_vec(), b"http/1.1".to_vec()]
    } else {
        vec![b"http/1.1".to_vec()]
    };
    Ok(tls)
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
struct LazyPlatformVerifier {
    provider: Arc<rustls::crypto::CryptoProvider>,
    /// The result of the one load, a failure included.
    platform: std::sync::OnceLock<Result<rustls_platform_verifier::Verifier, rustls::Error>>,
}

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

impl fmt::Debug for LazyPlatformVerifier {
    // Not derived: the provider's `Debug` runs to pages of algorithms; what
    // matters here is whether the roots were loaded. (No certificate would
    // show either way: rustls prints a root store as its count.)
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
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

impl HttpClient for DefaultHttpClient {
    fn call(&self, request: http::Request<Bytes>) -> HttpClientFuture {
        let client = self.clone();
        Box::pin(async move {
            let response = client.send(request.map(RequestBody::full)).await?;
            let (head, body) = response.into_parts();
            let body = read_whole(body).await.map_err(|e| {
                TransportError::new("failed to read the response body", Some(Box::new(e)))
            })?;
            Ok(http::Response::from_parts(head, body))
        })
    }

    fn call_streaming(&self, request: http::Request<Bytes>) -> HttpClientStreamingFuture {
        let client = self.clone();
        Box::pin(async move {
            let response = client.send(request.map(RequestBody::full)).await?;
            Ok(response.map(ByteStream::from_body))
        })
    }

    fn call_event_stream(
        &self,
        request: http::Request<EventStreamBody>,
    ) -> HttpClientStreamingFuture {
        let client = self.clone();
        Box::pin(async move {
            let request = request.map(|body| RequestBody::Events(Box::pin(body)));
            let response = client.send(request).await?;
            Ok(response.map(ByteStream::from_body))
        })
    }
}

/// Refuses what hyper could only refuse with a vaguer error: a URI without
/// an `http` or `https` scheme or without a host.
fn check_uri(uri: &Uri) -> Result<(), TransportError> {
    let scheme = uri.scheme();
    if scheme != Some(&Scheme::HTTP) && scheme != Some(&Scheme::HTTPS) {
        return Err(invalid_request("the URI's scheme is not http or https"));
    }
    if uri.host().is_none_or(str::is_empty) {
        return Err(invalid_request("the URI has no host"));
    }
    Ok(())
}

fn invalid_request(reason: &'static str) -> TransportError {
    TransportError::new("invalid HTTP request", Some(reason.into())).with_transient(false)
}

fn send_error(error: hyper_util::client::legacy::Error) -> TransportError {
    let message = if error.is_connect() {
        if caused_by::<ConnectTimeout>(&error) {
            "connect timeout"
        } else {
            "failed to connect"
        }
    } else {
        "failed to send the request or receive the response"
    };
    // Neither hyper's errors nor ours carry the URI, whose query may hold
    // a token (a presigned URL), nor the proxy's credentials.
    TransportError::new(message, Some(Box::new(error)))
}

fn caused_by<E: std::error::Error + 'static>(error: &(dyn std::error::Error + 'static)) -> bool {
    let mut next = Some(error);
    while let Some(cause) = next {
        if cause.is::<E>() {
            return true;
        }
        next = cause.source();
    }
    false
}

/// Whether `cause` is a failure of this client's own that another attempt
/// may not meet: anything hyper reports after the request was accepted
/// (a connection refused, reset or closed early, a connect timeout). A TLS
/// failure below it is told apart by the caller.
pub(crate) fn is_transient_cause(cause: &(dyn std::error::Error + 'static)) -> bool {
    cause.is::<hyper_util::client::legacy::Error>() || cause.is::<hyper::Error>()
}

/// Reads a response body whole.
async fn read_whole(mut body: Incoming) -> Result<Bytes, hyper::Error> {
    use http_body::Body as _;

    let mut chunks = Vec::new();
    while let Some(frame) = std::future::poll_fn(|cx| Pin::new(&mut body).poll_frame(cx)).await {
        if let Ok(data) = frame?.into_data() {
            chunks.push(data);
        }
    }
    // Most bodies come in one chunk, which is returned without a copy.
    Ok(match chunks.len() {
        0 => Bytes::new(),
        1 => chunks.pop().unwrap_or_default(),
        _ => Bytes::from(chunks.concat()),
    })
}

/// The body of a request: bytes, or an input event stream sent as it is
/// produced. One type, so that both share one connection pool.
enum RequestBody {
    Full(Option<Bytes>),
    Events(Pin<Box<EventStreamBody>>),
}

impl RequestBody {
    fn full(bytes: Bytes) -> Self {
        RequestBody::Full(Some(bytes))
    }
}

impl http_body::Body for RequestBody {
    type Data = Bytes;
    type Error = BoxError;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<http_body::Frame<Bytes>, BoxError>>> {
        match self.get_mut() {
            RequestBody::Full(bytes) => Poll::Ready(
                bytes
                    .take()
                    .filter(|b| !b.is_empty())
                    .map(|b| Ok(http_body::Frame::data(b))),
            ),
            RequestBody::Events(events) => events.as_mut().poll_frame(cx),
        }
    }

    fn is_end_stream(&self) -> bool {
        match self {
            RequestBody::Full(bytes) => bytes.as_ref().is_none_or(Bytes::is_empty),
            RequestBody::Events(events) => events.is_end_stream(),
        }
    }

    fn size_hint(&self) -> http_body::SizeHint {
        match self {
            RequestBody::Full(bytes) => {
                http_body::SizeHint::with_exact(bytes.as_ref().map_or(0, |b| b.len() as u64))
            }
            RequestBody::Events(events) => events.size_hint(),
        }
    }
}

/// Opens the connections of the pool: TCP to the host or to its proxy (a
/// `CONNECT` tunnel for `https://`), then TLS for `https://`.
#[derive(Clone)]
struct Connector {
    http: HttpConnector,
    tls: tokio_rustls::TlsConnector,
    proxies: Arc<Matcher>,
    timeout: Duration,
}

/// Connecting took longer than the connect timeout.
#[derive(Debug)]
struct ConnectTimeout;

impl fmt::Display for ConnectTimeout {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("connect timeout")
    }
}

impl std::error::Error for ConnectTimeout {}

impl tower_service::Service<Uri> for Connector {
    type Response = Conn;
    type Error = BoxError;
    type Future = Pin<Box<dyn Future<Output = Result<Conn, BoxError>> + Send>>;

    fn poll_ready(&mut self, _cx: &mut Context<'_>) -> Poll<Result<(), BoxError>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, dst: Uri) -> Self::Future {
        let connector = self.clone();
        Box::pin(async move {
            // As reqwest's: DNS, TCP, the tunnel and the TLS handshake.
            tokio::time::timeout(connector.timeout, connector.connect(dst))
                .await
                .unwrap_or_else(|_| Err(Box::new(ConnectTimeout)))
        })
    }
}

impl Connector {
    async fn connect(self, dst: Uri) -> Result<Conn, BoxError> {
        use tower_service::Service as _;

        let Connector {
            mut http,
            tls,
            proxies,
            ..
        } = self;
        let https = dst.scheme() == Some(&Scheme::HTTPS);
        let mut proxied = false;
        let proxy = proxies.intercept(&dst);
        if let Some(proxy) = &proxy {
            if proxy.uri().scheme() != Some(&Scheme::HTTP) {
                // reqwest, before, took an `https://` proxy too; a tunnel
                // through TLS to the proxy is not built here.
                return Err("only http:// proxies are supported".into());
            }
        }
        let tcp = match proxy {
            None => http.call(dst.clone()).await?,
            Some(proxy) if https => {
                let mut tunnel = Tunnel::new(proxy.uri().clone(), http);
                if let Some(auth) = proxy.basic_auth() {
                    tunnel = tunnel.with_auth(auth.clone());
                }
                tunnel.call(dst.clone()).await?
            }
            Some(proxy) => {
                // The request goes to the proxy in absolute form.
                proxied = true;
                http.call(proxy.uri().clone()).await?
            }
        };
        let tcp = tcp.into_inner();
        if !https {
            return Ok(Conn {
                io: TokioIo::new(Stream::Plain(tcp)),
                proxied,
                h2: false,
            });
        }
        let stream = tls.connect(server_name(&dst)?, tcp).await?;
        let h2 = stream.get_ref().1.alpn_protocol() == Some(b"h2");
        Ok(Conn {
            io: TokioIo::new(Stream::Tls(Box::new(stream))),
            proxied,
            h2,
        })
    }
}

/// The name the server's certificate must match: the URI's host, without
/// the brackets of an IPv6 address.
fn server_name(uri: &Uri) -> Result<rustls::pki_types::ServerName<'static>, BoxError> {
    let host = uri.host().unwrap_or_default();
    let host = host
        .strip_prefix('[')
        .and_then(|h| h.strip_suffix(']'))
        .unwrap_or(host);
    Ok(rustls::pki_types::ServerName::try_from(host)?.to_owned())
}

/// A pooled connection, and what hyper must know of it: whether requests
/// go to a proxy in absolute form, whether TLS chose HTTP/2.
struct Conn {
    io: TokioIo<Stream>,
    proxied: bool,
    h2: bool,
}

impl Connection for Conn {
    fn connected(&self) -> Connected {
        let connected = Connected::new().proxy(self.proxied);
        if self.h2 {
            connected.negotiated_h2()
        } else {
            connected
        }
    }
}

impl hyper::rt::Read for Conn {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: hyper::rt::ReadBufCursor<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.io).poll_read(cx, buf)
    }
}

impl hyper::rt::Write for Conn {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.io).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.io).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.io.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.io).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.io).poll_shutdown(cx)
    }
}

/// A TCP stream, plain or under TLS.
enum Stream {
    Plain(TcpStream),
    Tls(Box<tokio_rustls::client::TlsStream<TcpStream>>),
}

impl AsyncRead for Stream {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        match self.get_mut() {
            Stream::Plain(s) => Pin::new(s).poll_read(cx, buf),
            Stream::Tls(s) => Pin::new(s.as_mut()).poll_read(cx, buf),
        }
    }
}

impl AsyncWrite for Stream {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        match self.get_mut() {
            Stream::Plain(s) => Pin::new(s).poll_write(cx, buf),
            Stream::Tls(s) => Pin::new(s.as_mut()).poll_write(cx, buf),
        }
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        match self.get_mut() {
            Stream::Plain(s) => Pin::new(s).poll_write_vectored(cx, bufs),
            Stream::Tls(s) => Pin::new(s.as_mut()).poll_write_vectored(cx, bufs),
        }
    }

    fn is_write_vectored(&self) -> bool {
        match self {
            Stream::Plain(s) => s.is_write_vectored(),
            Stream::Tls(s) => s.is_write_vectored(),
        }
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match self.get_mut() {
            Stream::Plain(s) => Pin::new(s).poll_flush(cx),
            Stream::Tls(s) => Pin::new(s.as_mut()).poll_flush(cx),
        }
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match self.get_mut() {
            Stream::Plain(s) => Pin::new(s).poll_shutdown(cx),
            Stream::Tls(s) => Pin::new(s.as_mut()).poll_shutdown(cx),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rustls::client::danger::ServerCertVerifier;
    use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
    use tokio::net::TcpListener;

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
        let client = DefaultHttpClient::new().unwrap();
        assert!(!client.inner.verifier.roots_loaded());
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
        let client = DefaultHttpClient::new().unwrap();
        let response = client.call(get(&url)).await.unwrap();
        server.await.unwrap();
        assert_eq!(response.status(), 200);
        assert_eq!(response.body().as_ref(), b"ok");
        assert!(!client.inner.verifier.roots_loaded());
    }

    #[tokio::test]
    async fn an_untrusted_certificate_fails_the_handshake_once_the_roots_are_loaded() {
        let client = DefaultHttpClient::new().unwrap();
        let error = client.call(get(&untrusted_tls_server())).await.unwrap_err();
        let shown = chain(&error);
        assert!(
            shown.contains("invalid peer certificate: UnknownIssuer"),
            "{shown}"
        );
        assert!(client.inner.verifier.roots_loaded());
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
        let client = DefaultHttpClient::build_with(
            DEFAULT_CONNECT_TIMEOUT,
            false,
            Matcher::builder().build(),
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

    /// Everything an error shows: its message, its debug form and its
    /// causes'.
    fn shown(error: &TransportError) -> String {
        let mut shown = format!("{error} {error:?}");
        let mut source = std::error::Error::source(error);
        while let Some(cause) = source {
            shown.push_str(&format!(" {cause} {cause:?}"));
            source = cause.source();
        }
        shown
    }

    fn post(uri: &str) -> http::Request<Bytes> {
        let mut request = http::Request::new(Bytes::from_static(b"hello"));
        *request.method_mut() = http::Method::POST;
        *request.uri_mut() = uri.parse().unwrap();
        request
    }

    /// Reads a request head up to its blank line: the request line, then
    /// the header lines.
    async fn read_head<R: tokio::io::AsyncBufRead + Unpin>(reader: &mut R) -> Vec<String> {
        let mut lines = Vec::new();
        loop {
            let mut line = String::new();
            reader.read_line(&mut line).await.unwrap();
            let line = line.trim_end().to_owned();
            if line.is_empty() {
                return lines;
            }
            lines.push(line);
        }
    }

    fn header<'a>(head: &'a [String], name: &str) -> Option<&'a str> {
        head.iter().find_map(|line| {
            let (n, v) = line.split_once(':')?;
            n.eq_ignore_ascii_case(name).then(|| v.trim())
        })
    }

    #[tokio::test]
    async fn transport_errors_do_not_show_the_query() {
        let client = DefaultHttpClient::with_proxies(Matcher::builder().build()).unwrap();
        // Port 1 is closed: the connection is refused.
        let error = client
            .call(post("http://127.0.0.1:1/things?token=secret-query"))
            .await
            .unwrap_err();
        assert_eq!(error.to_string(), "failed to connect");
        assert!(error.is_transient());
        assert!(!shown(&error).contains("secret"), "{}", shown(&error));
    }

    #[tokio::test]
    async fn errors_do_not_show_the_proxy_credentials() {
        let proxies = Matcher::builder()
            .http("http://someone:secret-password@127.0.0.1:1")
            .build();
        let client = DefaultHttpClient::with_proxies(proxies).unwrap();
        let error = client
            .call(post("http://example.com/things"))
            .await
            .unwrap_err();
        assert_eq!(error.to_string(), "failed to connect");
        assert!(!shown(&error).contains("secret"), "{}", shown(&error));
        assert!(!format!("{client:?}").contains("secret"));
    }

    #[tokio::test]
    async fn a_uri_without_a_host_is_an_invalid_request_not_retried() {
        let client = DefaultHttpClient::with_proxies(Matcher::builder().build()).unwrap();
        let error = client.call(post("/things")).await.unwrap_err();
        assert_eq!(error.to_string(), "invalid HTTP request");
        assert!(!error.is_transient());
    }

    #[tokio::test]
    async fn connecting_past_the_connect_timeout_is_a_transient_connect_timeout() {
        // A proxy that accepts but never answers the tunnel's CONNECT: the
        // TCP connection is made, the connection as a whole never is.
        let proxy = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = proxy.local_addr().unwrap().port();
        let _held = tokio::spawn(async move {
            let (socket, _) = proxy.accept().await.unwrap();
            tokio::time::sleep(Duration::from_secs(10)).await;
            drop(socket);
        });
        let proxies = Matcher::builder()
            .https(format!("http://127.0.0.1:{port}"))
            .build();
        let client = DefaultHttpClient::build(Duration::from_millis(200), false, proxies).unwrap();
        let started = std::time::Instant::now();
        let error = client.call(post("https://example.com/")).await.unwrap_err();
        assert_eq!(error.to_string(), "connect timeout");
        assert!(error.is_transient());
        assert!(started.elapsed() < Duration::from_secs(5));
    }

    #[tokio::test]
    async fn plain_http_goes_to_the_proxy_in_absolute_form_with_its_credentials() {
        let proxy = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = proxy.local_addr().unwrap().port();
        let server = tokio::spawn(async move {
            let (socket, _) = proxy.accept().await.unwrap();
            let mut socket = BufReader::new(socket);
            let head = read_head(&mut socket).await;
            let mut body = [0; 5];
            socket.read_exact(&mut body).await.unwrap();
            socket
                .write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 7\r\n\r\nproxied")
                .await
                .unwrap();
            (head, body)
        });
        let proxies = Matcher::builder()
            .http(format!("http://someone:secret@127.0.0.1:{port}"))
            .build();
        let client = DefaultHttpClient::with_proxies(proxies).unwrap();
        let response = client
            .call(post("http://service.example:8080/things?x=1"))
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
        assert_eq!(response.body().as_ref(), b"proxied");
        let (head, body) = server.await.unwrap();
        assert_eq!(
            head[0],
            "POST http://service.example:8080/things?x=1 HTTP/1.1"
        );
        // base64("someone:secret")
        assert_eq!(
            header(&head, "proxy-authorization"),
            Some("Basic c29tZW9uZTpzZWNyZXQ=")
        );
        assert_eq!(&body, b"hello");
    }

    #[tokio::test]
    async fn https_is_tunnelled_through_the_proxy_with_connect() {
        // The target records the first bytes that reach it through the
        // tunnel: the TLS handshake's ClientHello.
        let target = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let target_port = target.local_addr().unwrap().port();
        let target = tokio::spawn(async move {
            let (mut socket, _) = target.accept().await.unwrap();
            let mut record = [0; 3];
            socket.read_exact(&mut record).await.unwrap();
            record
        });
        let proxy = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = proxy.local_addr().unwrap().port();
        let proxy = tokio::spawn(async move {
            let (socket, _) = proxy.accept().await.unwrap();
            let mut socket = BufReader::new(socket);
            let head = read_head(&mut socket).await;
            let authority = head[0].split(' ').nth(1).unwrap().to_owned();
            let mut upstream = TcpStream::connect(&authority).await.unwrap();
            socket
                .write_all(b"HTTP/1.1 200 Connection established\r\n\r\n")
                .await
                .unwrap();
            let _ = tokio::io::copy_bidirectional(&mut socket, &mut upstream).await;
            head
        });
        let proxies = Matcher::builder()
            .https(format!("http://someone:secret@127.0.0.1:{port}"))
            .build();
        let client = DefaultHttpClient::with_proxies(proxies).unwrap();
        let call = client.call(post(&format!("https://127.0.0.1:{target_port}/things?x=1")));
        // The target hangs up after the first bytes: the handshake fails.
        let error = call.await.unwrap_err();
        assert_eq!(error.to_string(), "failed to connect");
        let head = proxy.await.unwrap();
        assert_eq!(head[0], format!("CONNECT 127.0.0.1:{target_port} HTTP/1.1"));
        assert_eq!(
            header(&head, "proxy-authorization"),
            Some("Basic c29tZW9uZTpzZWNyZXQ=")
        );
        // A TLS handshake record (type 22), TLS 1.x.
        assert_eq!(&target.await.unwrap()[..2], &[22, 3]);
    }

    #[tokio::test]
    async fn a_tls_failure_is_a_connect_error_not_retried() {
        // A server that answers the ClientHello in plain HTTP.
        let server = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = server.local_addr().unwrap().port();
        let _server = tokio::spawn(async move {
            let (mut socket, _) = server.accept().await.unwrap();
            let mut hello = [0; 5];
            socket.read_exact(&mut hello).await.unwrap();
            let _ = socket
                .write_all(b"HTTP/1.1 400 Bad Request\r\ncontent-length: 0\r\n\r\n")
                .await;
            tokio::time::sleep(Duration::from_secs(5)).await;
        });
        let client = DefaultHttpClient::with_proxies(Matcher::builder().build()).unwrap();
        let error = client
            .call(post(&format!("https://127.0.0.1:{port}/")))
            .await
            .unwrap_err();
        assert_eq!(error.to_string(), "failed to connect");
        assert!(
            shown(&error).contains("InvalidMessage"),
            "{}",
            shown(&error)
        );
        assert!(!error.is_transient());
    }

    #[tokio::test]
    async fn hosts_in_no_proxy_are_reached_directly() {
        let server = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = server.local_addr().unwrap().port();
        let server = tokio::spawn(async move {
            let (socket, _) = server.accept().await.unwrap();
            let mut socket = BufReader::new(socket);
            let head = read_head(&mut socket).await;
            socket
                .write_all(b"HTTP/1.1 204 No Content\r\n\r\n")
                .await
                .unwrap();
            head
        });
        let proxies = Matcher::builder()
            .http("http://127.0.0.1:1")
            .no("127.0.0.1")
            .build();
        let client = DefaultHttpClient::with_proxies(proxies).unwrap();
        let response = client
            .call(post(&format!("http://127.0.0.1:{port}/things")))
            .await
            .unwrap();
        assert_eq!(response.status(), 204);
        let head = server.await.unwrap();
        assert_eq!(head[0], "POST /things HTTP/1.1");
        assert_eq!(header(&head, "proxy-authorization"), None);
    }
}
