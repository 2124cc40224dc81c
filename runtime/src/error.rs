//! Errors, one type per stage of a call, and the metadata of service errors.

use bytes::Bytes;
use http::{HeaderMap, StatusCode};
use std::error::Error as StdError;
use std::fmt;
use std::time::Duration;

pub(crate) type BoxError = Box<dyn StdError + Send + Sync + 'static>;

/// The request could not be built from the input: a required member is
/// missing or a value cannot be put on the wire.
///
/// Among the values refused: an empty URI label, and a label that is `.` or
/// `..` (or, for a greedy `{label+}`, has such a segment, as in `a/../b`),
/// since the URL parser would resolve it and the request, correctly signed,
/// would go to another path. [`BuildError::member`] names the member.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuildError {
    kind: BuildErrorKind,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum BuildErrorKind {
    MissingMember {
        shape: &'static str,
        member: &'static str,
    },
    InvalidMember {
        shape: &'static str,
        member: &'static str,
        reason: String,
    },
    Other(String),
}

impl BuildError {
    /// A required member (its model name) of `shape` was not set.
    pub fn missing_member(shape: &'static str, member: &'static str) -> Self {
        BuildError {
            kind: BuildErrorKind::MissingMember { shape, member },
        }
    }

    /// A member of `shape` has a value that cannot be sent, for `reason`.
    pub fn invalid_member(
        shape: &'static str,
        member: &'static str,
        reason: impl Into<String>,
    ) -> Self {
        BuildError {
            kind: BuildErrorKind::InvalidMember {
                shape,
                member,
                reason: reason.into(),
            },
        }
    }

    /// Any other reason the request cannot be built.
    pub fn other(reason: impl Into<String>) -> Self {
        BuildError {
            kind: BuildErrorKind::Other(reason.into()),
        }
    }

    /// The model name of the member at fault, if one is.
    pub fn member(&self) -> Option<&'static str> {
        match &self.kind {
            BuildErrorKind::MissingMember { member, .. }
            | BuildErrorKind::InvalidMember { member, .. } => Some(member),
            BuildErrorKind::Other(_) => None,
        }
    }

    /// The model name of the shape at fault, if one is.
    pub fn shape(&self) -> Option<&'static str> {
        match &self.kind {
            BuildErrorKind::MissingMember { shape, .. }
            | BuildErrorKind::InvalidMember { shape, .. } => Some(shape),
            BuildErrorKind::Other(_) => None,
        }
    }
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            BuildErrorKind::MissingMember { shape, member } => {
                write!(f, "missing required member `{member}` of `{shape}`")
            }
            BuildErrorKind::InvalidMember {
                shape,
                member,
                reason,
            } => write!(
                f,
                "invalid value for member `{member}` of `{shape}`: {reason}"
            ),
            BuildErrorKind::Other(reason) => f.write_str(reason),
        }
    }
}

impl StdError for BuildError {}

/// What a service said about an error: its code, message and request id.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ErrorMetadata {
    code: Option<String>,
    message: Option<String>,
    request_id: Option<String>,
}

impl ErrorMetadata {
    /// Metadata from its parts.
    pub fn new(code: Option<String>, message: Option<String>, request_id: Option<String>) -> Self {
        ErrorMetadata {
            code,
            message,
            request_id,
        }
    }

    /// The error code (the shape name of the error, without namespace).
    pub fn code(&self) -> Option<&str> {
        self.code.as_deref()
    }

    /// The human-readable message, if the service sent one.
    pub fn message(&self) -> Option<&str> {
        self.message.as_deref()
    }

    /// The request id (`x-amzn-requestid`), to quote when asking AWS support.
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }
}

impl fmt::Display for ErrorMetadata {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code().unwrap_or("unknown error"))?;
        if let Some(message) = self.message() {
            write!(f, ": {message}")?;
        }
        if let Some(request_id) = self.request_id() {
            write!(f, " (request id: {request_id})")?;
        }
        Ok(())
    }
}

/// Access to the [`ErrorMetadata`] of a service error, implemented by every
/// generated `{Op}Error`.
pub trait ProvideErrorMetadata {
    /// The code, message and request id of this error.
    fn meta(&self) -> &ErrorMetadata;

    /// Whether the model marks this error `@retryable`.
    fn is_retryable(&self) -> bool {
        false
    }

    /// Whether the model marks this error as throttling.
    fn is_throttling(&self) -> bool {
        false
    }
}

/// The parts of an HTTP response kept by errors: status, headers, raw body.
/// Boxed inside the errors so that `Result`s stay small.
#[derive(Clone)]
struct RawResponse {
    status: StatusCode,
    headers: HeaderMap,
    body: Bytes,
}

/// Headers whose values `Debug` shows: they describe the response and never
/// carry output members, which may be `@sensitive` (`@httpHeader`).
const DESCRIPTIVE_HEADERS: [&str; 9] = [
    "content-type",
    "content-length",
    "date",
    "retry-after",
    "x-amzn-requestid",
    "x-amz-request-id",
    "x-amz-id-2",
    "x-amzn-errortype",
    "x-amzn-query-error",
];

/// Only the body's length and the values of [`DESCRIPTIVE_HEADERS`]: the
/// rest may hold secrets (tokens, items), and errors are logged with `{:?}`.
/// All of it is there through the `body()` and `headers()` accessors.
impl fmt::Debug for RawResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RawResponse")
            .field("status", &self.status)
            .field("headers", &RedactedHeaders(&self.headers))
            .field("body", &format_args!("<{} bytes>", self.body.len()))
            .finish()
    }
}

/// Every header name, and the values of [`DESCRIPTIVE_HEADERS`] only.
struct RedactedHeaders<'h>(&'h HeaderMap);

impl fmt::Debug for RedactedHeaders<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut map = f.debug_map();
        for (name, value) in self.0 {
            if DESCRIPTIVE_HEADERS.contains(&name.as_str()) {
                map.entry(name, value);
            } else {
                map.entry(name, &format_args!("<redacted>"));
            }
        }
        map.finish()
    }
}

impl RawResponse {
    fn of(response: &http::Response<Bytes>) -> Box<RawResponse> {
        Box::new(RawResponse {
            status: response.status(),
            headers: response.headers().clone(),
            body: response.body().clone(),
        })
    }
}

/// An error response whose code matches no error modeled for the operation.
///
/// `Debug` shows the body's length, not the body, and the values of
/// descriptive headers only (request id, error type, content type…); the
/// accessors give the whole response.
#[derive(Debug, Clone)]
pub struct UnhandledError {
    meta: ErrorMetadata,
    raw: Option<Box<RawResponse>>,
}

impl UnhandledError {
    /// An unmodeled error with its metadata and the raw response.
    pub fn new(meta: ErrorMetadata, response: &http::Response<Bytes>) -> Self {
        UnhandledError {
            meta,
            raw: Some(RawResponse::of(response)),
        }
    }

    /// The code, message and request id the service sent.
    pub fn meta(&self) -> &ErrorMetadata {
        &self.meta
    }

    /// The HTTP status of the response; `None` when the error did not come
    /// from a response (see [`Error::into_service_error`]).
    pub fn status(&self) -> Option<StatusCode> {
        self.raw.as_ref().map(|raw| raw.status)
    }

    /// The headers of the response, if there was one.
    pub fn headers(&self) -> Option<&HeaderMap> {
        self.raw.as_ref().map(|raw| &raw.headers)
    }

    /// The raw body of the response, if there was one.
    pub fn body(&self) -> Option<&Bytes> {
        self.raw.as_ref().map(|raw| &raw.body)
    }
}

impl fmt::Display for UnhandledError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.status() {
            Some(status) => write!(
                f,
                "unhandled error (HTTP {}): {}",
                status.as_u16(),
                self.meta
            ),
            None => write!(f, "{}", self.meta),
        }
    }
}

impl StdError for UnhandledError {}

/// A response that does not match the model: its body could not be parsed
/// or a required part is missing, or it is larger than the configured
/// limit ([`is_too_large`](Self::is_too_large)), or its body does not match
/// the checksum it declares ([`checksum_mismatch`](Self::checksum_mismatch)).
/// Keeps the whole response, except the body of one that is too large.
///
/// `Debug` shows the body's length, not the body, and the values of
/// descriptive headers only (request id, error type, content type…); the
/// accessors give the whole response.
#[derive(Debug, Clone)]
pub struct ResponseError {
    reason: String,
    raw: Box<RawResponse>,
    too_large: bool,
    checksum: Option<Box<crate::ChecksumMismatch>>,
}

impl ResponseError {
    /// A response that could not be parsed, for `reason`.
    pub fn new(reason: impl Into<String>, response: &http::Response<Bytes>) -> Self {
        ResponseError {
            reason: reason.into(),
            raw: RawResponse::of(response),
            too_large: false,
            checksum: None,
        }
    }

    /// A successful response whose body does not match its checksum.
    pub(crate) fn checksum(
        mismatch: crate::ChecksumMismatch,
        response: &http::Response<Bytes>,
    ) -> Self {
        ResponseError {
            reason: mismatch.to_string(),
            raw: RawResponse::of(response),
            too_large: false,
            checksum: Some(Box::new(mismatch)),
        }
    }

    /// The checksum the body failed, when the response's body does not
    /// match the `x-amz-checksum-*` header it came with (see
    /// [`checksum`](crate::checksum)): the body was corrupted on its way.
    /// Not retried.
    pub fn checksum_mismatch(&self) -> Option<&crate::ChecksumMismatch> {
        self.checksum.as_deref()
    }

    /// A successful response whose body is larger than `limit` bytes; the
    /// body of `response` is empty, since what was read of it would only
    /// be a prefix held in memory for nothing.
    pub(crate) fn too_large(limit: usize, response: &http::Response<Bytes>) -> Self {
        ResponseError {
            reason: format!("the body is larger than the limit of {limit} bytes"),
            raw: RawResponse::of(response),
            too_large: true,
            checksum: None,
        }
    }

    /// Whether the body was larger than the limit set with
    /// [`ConfigBuilder::max_response_body`](crate::ConfigBuilder::max_response_body);
    /// then [`body`](Self::body) is empty and the status and headers (the
    /// request id among them) are those of the response.
    pub fn is_too_large(&self) -> bool {
        self.too_large
    }

    /// Why the response could not be parsed.
    pub fn reason(&self) -> &str {
        &self.reason
    }

    /// The HTTP status of the response.
    pub fn status(&self) -> StatusCode {
        self.raw.status
    }

    /// The headers of the response.
    pub fn headers(&self) -> &HeaderMap {
        &self.raw.headers
    }

    /// The raw body of the response.
    pub fn body(&self) -> &Bytes {
        &self.raw.body
    }
}

impl fmt::Display for ResponseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "invalid response (HTTP {}): {}",
            self.raw.status.as_u16(),
            self.reason
        )
    }
}

impl StdError for ResponseError {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        self.checksum
            .as_deref()
            .map(|e| e as &(dyn StdError + 'static))
    }
}

/// A modeled or unmodeled error returned by the service, with the HTTP
/// response it came in.
///
/// `Debug` shows the body's length, not the body, and the values of
/// descriptive headers only (request id, error type, content type…); the
/// accessors give the whole response.
#[derive(Debug)]
pub struct ServiceError<E> {
    error: E,
    raw: Box<RawResponse>,
}

impl<E> ServiceError<E> {
    /// The operation error `error`, parsed from `response`.
    pub fn new(error: E, response: &http::Response<Bytes>) -> Self {
        ServiceError {
            error,
            raw: RawResponse::of(response),
        }
    }

    /// The operation error.
    pub fn err(&self) -> &E {
        &self.error
    }

    /// The operation error, by value.
    pub fn into_err(self) -> E {
        self.error
    }

    /// The HTTP status of the error response.
    pub fn status(&self) -> StatusCode {
        self.raw.status
    }

    /// The headers of the error response.
    pub fn headers(&self) -> &HeaderMap {
        &self.raw.headers
    }

    /// The raw body of the error response.
    pub fn body(&self) -> &Bytes {
        &self.raw.body
    }
}

/// The HTTP request could not be sent or its response not received.
#[derive(Debug)]
pub struct TransportError {
    message: String,
    source: Option<BoxError>,
    transient: Option<bool>,
}

impl TransportError {
    /// A transport failure described by `message`, caused by `source`.
    pub fn new(message: impl Into<String>, source: Option<BoxError>) -> Self {
        TransportError {
            message: message.into(),
            source,
            transient: None,
        }
    }

    /// Says whether another attempt may succeed, instead of letting
    /// [`is_transient`](Self::is_transient) guess from the cause; for
    /// [`HttpClient`](crate::HttpClient)s whose errors it cannot read.
    pub fn with_transient(mut self, transient: bool) -> Self {
        self.transient = Some(transient);
        self
    }

    /// Whether another attempt may succeed, so that the call is retried:
    /// the connection was refused, reset or closed before the response, or
    /// timed out. A TLS failure (e.g. an untrusted certificate) or an
    /// invalid request is not transient.
    pub fn is_transient(&self) -> bool {
        self.transient
            .unwrap_or_else(|| crate::retry::is_transient_transport(self))
    }

    /// The checksum a streaming response body failed as it ended (see
    /// [`checksum`](crate::checksum)): the bytes read from the stream were
    /// corrupted on their way.
    pub fn checksum_mismatch(&self) -> Option<&crate::ChecksumMismatch> {
        self.source.as_deref()?.downcast_ref()
    }
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl StdError for TransportError {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        self.source
            .as_deref()
            .map(|e| e as &(dyn StdError + 'static))
    }
}

/// A call took longer than one of the configured timeouts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimeoutError {
    which: &'static str,
    after: Duration,
}

impl TimeoutError {
    /// The timeout named `which` ("connect", "attempt", "operation") fired
    /// after `after`.
    pub fn new(which: &'static str, after: Duration) -> Self {
        TimeoutError { which, after }
    }

    /// The name of the timeout that fired.
    pub fn which(&self) -> &'static str {
        self.which
    }

    /// The configured duration that was exceeded.
    pub fn after(&self) -> Duration {
        self.after
    }
}

impl fmt::Display for TimeoutError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} timeout after {:?}", self.which, self.after)
    }
}

impl StdError for TimeoutError {}

/// No endpoint could be resolved for the call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EndpointError {
    message: String,
}

impl EndpointError {
    /// An endpoint failure described by `message`.
    pub fn new(message: impl Into<String>) -> Self {
        EndpointError {
            message: message.into(),
        }
    }
}

impl fmt::Display for EndpointError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl StdError for EndpointError {}

/// A [`Paginator`](crate::Paginator) stopped because the service broke the
/// pagination contract: it answered a page with the very token the request
/// carried, so asking again would loop forever.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaginationError {
    _private: (),
}

impl PaginationError {
    /// The service returned the token it was just sent.
    pub(crate) fn repeated_token() -> Self {
        PaginationError { _private: () }
    }
}

impl fmt::Display for PaginationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the service returned the same pagination token twice; stopping")
    }
}

impl StdError for PaginationError {}

/// Everything that can go wrong in a call, one variant per stage.
///
/// `E` is the operation's error enum (`{Op}Error`); [`Error::into_service_error`]
/// gets it when the service answered with an error.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error<E> {
    /// The input could not be turned into a request.
    Build(BuildError),
    /// No credentials could be loaded.
    Credentials(crate::credentials::CredentialsError),
    /// No endpoint could be resolved.
    Endpoint(EndpointError),
    /// The request could not be sent or the response not received.
    Transport(TransportError),
    /// A timeout fired.
    Timeout(TimeoutError),
    /// The response could not be parsed.
    Response(ResponseError),
    /// The service answered with an error.
    Service(ServiceError<E>),
    /// A [`Paginator`](crate::Paginator) stopped: the service repeated a
    /// pagination token (never returned by a single call).
    Pagination(PaginationError),
}

impl<E> Error<E> {
    /// The operation error if the service answered with one, else `None`.
    pub fn as_service_error(&self) -> Option<&E> {
        match self {
            Error::Service(e) => Some(e.err()),
            _ => None,
        }
    }

    /// The operation error if the service answered with one; any other
    /// failure is turned into the operation's `Unhandled` variant.
    pub fn into_service_error(self) -> E
    where
        E: From<UnhandledError> + StdError + ProvideErrorMetadata + 'static,
    {
        match self {
            Error::Service(e) => e.into_err(),
            other => {
                // Keep the cause's text: the variant is gone once converted.
                let mut message = other.to_string();
                let mut source = StdError::source(&other as &dyn StdError);
                while let Some(cause) = source {
                    message.push_str(&format!(": {cause}"));
                    source = cause.source();
                }
                let raw = match &other {
                    Error::Response(e) => Some(e.raw.clone()),
                    _ => None,
                };
                E::from(UnhandledError {
                    meta: ErrorMetadata::new(None, Some(message), None),
                    raw,
                })
            }
        }
    }

    /// Maps the operation error, keeping every other variant.
    pub fn map_service_error<F>(self, f: impl FnOnce(E) -> F) -> Error<F> {
        match self {
            Error::Build(e) => Error::Build(e),
            Error::Credentials(e) => Error::Credentials(e),
            Error::Endpoint(e) => Error::Endpoint(e),
            Error::Transport(e) => Error::Transport(e),
            Error::Timeout(e) => Error::Timeout(e),
            Error::Response(e) => Error::Response(e),
            Error::Pagination(e) => Error::Pagination(e),
            Error::Service(ServiceError { error, raw }) => Error::Service(ServiceError {
                error: f(error),
                raw,
            }),
        }
    }
}

impl<E: ProvideErrorMetadata> fmt::Display for Error<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Build(_) => f.write_str("failed to build the request"),
            Error::Credentials(_) => f.write_str("failed to load credentials"),
            Error::Endpoint(_) => f.write_str("failed to resolve the endpoint"),
            Error::Transport(_) => f.write_str("failed to send the request"),
            Error::Timeout(_) => f.write_str("the request timed out"),
            Error::Response(e) => write!(
                f,
                "failed to parse the response (HTTP {})",
                e.status().as_u16()
            ),
            Error::Service(e) => write!(
                f,
                "service error (HTTP {}): {}",
                e.status().as_u16(),
                e.err().meta()
            ),
            Error::Pagination(_) => f.write_str("pagination stopped"),
        }
    }
}

impl<E> StdError for Error<E>
where
    E: StdError + ProvideErrorMetadata + 'static,
{
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        Some(match self {
            Error::Build(e) => e,
            Error::Credentials(e) => e,
            Error::Endpoint(e) => e,
            Error::Transport(e) => e,
            Error::Timeout(e) => e,
            Error::Response(e) => e,
            Error::Service(e) => e.err(),
            Error::Pagination(e) => e,
        })
    }
}

impl<E> From<BuildError> for Error<E> {
    fn from(e: BuildError) -> Self {
        Error::Build(e)
    }
}

impl<E> From<ResponseError> for Error<E> {
    fn from(e: ResponseError) -> Self {
        Error::Response(e)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_shows_only_the_headers_that_describe_the_response() {
        let response = http::Response::builder()
            .status(500)
            .header("x-amzn-requestid", "req-1")
            .header("content-type", "application/json")
            .header("x-amz-session-token", "secret-header")
            .header("set-cookie", "session=secret-cookie")
            .body(Bytes::from_static(b"{\"token\":\"secret-body\"}"))
            .unwrap();
        let error = ResponseError::new("invalid", &response);
        let unhandled = UnhandledError::new(ErrorMetadata::default(), &response);
        let shown = format!("{error:?} {unhandled:?}");
        assert!(!shown.contains("secret"), "{shown}");
        assert!(shown.contains("req-1"), "{shown}");
        assert!(shown.contains("application/json"), "{shown}");
        assert!(shown.contains("x-amz-session-token"), "{shown}");
        assert_eq!(error.headers()["x-amz-session-token"], "secret-header");
    }
}
