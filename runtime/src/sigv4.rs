//! AWS Signature Version 4, sans-IO.
//!
//! [`sign`] turns a request description and signing parameters into a
//! [`SigningOutput`]: the intermediate canonical request and string to sign
//! (useful to debug a `SignatureDoesNotMatch`), the signature, and the
//! headers or query parameters to add to the request. [`sign_http_request`]
//! does the same for an [`http::Request`] and applies the result; it is what
//! the [`Client`](crate::Client) calls before each attempt.
//!
//! ```
//! use opgen::sigv4::{sign, SignableBody, SignableRequest, SigningParams, SigningSettings};
//! use opgen::Credentials;
//! use std::time::{Duration, UNIX_EPOCH};
//!
//! let credentials = Credentials::new("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", None);
//! let params = SigningParams {
//!     credentials: &credentials,
//!     region: "us-east-1",
//!     service: "service",
//!     time: UNIX_EPOCH + Duration::from_secs(1_440_938_160), // 2015-08-30T12:36:00Z
//!     settings: SigningSettings::default(),
//! };
//! let request = SignableRequest {
//!     method: "GET",
//!     uri: "/",
//!     headers: &[("Host", "example.amazonaws.com")],
//!     body: SignableBody::Bytes(b""),
//! };
//! let output = sign(&request, &params)?;
//! assert_eq!(
//!     output.signature(),
//!     "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"
//! );
//! # Ok::<(), opgen::sigv4::SigningError>(())
//! ```

pub mod event_stream;

use crate::encoding::{hex_encode, percent_decode, percent_encode};
use crate::Credentials;
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};
use std::borrow::Cow;
use std::fmt;
use std::sync::Mutex;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

const ALGORITHM: &str = "AWS4-HMAC-SHA256";
const UNSIGNED_PAYLOAD: &str = "UNSIGNED-PAYLOAD";
/// AWS rejects presigned URLs valid for longer than seven days.
const MAX_EXPIRES_IN: Duration = Duration::from_secs(7 * 24 * 60 * 60);
const REDACTED: &str = "*** Sensitive Data Redacted ***";

/// Headers never signed: they are set or rewritten by proxies and HTTP
/// stacks after signing (`user-agent`, hop-by-hop headers), they carry the
/// signature itself, or they are the SDKs' per-attempt bookkeeping
/// (`amz-sdk-*`), which the official SDKs leave unsigned too: the same call
/// then signs the same header set whichever client sends it.
const UNSIGNED_HEADERS: &[&str] = &[
    "amz-sdk-invocation-id",
    "amz-sdk-request",
    "authorization",
    "connection",
    "expect",
    "transfer-encoding",
    "user-agent",
    "x-amzn-trace-id",
];

/// Where the signature goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignatureLocation {
    /// In the `Authorization` header, with `X-Amz-Date` (and the session
    /// token) as headers. What API calls use.
    Headers,
    /// In the query string (a presigned URL) that stays valid for
    /// `expires_in` (at most seven days).
    QueryParams {
        /// How long the presigned request stays valid.
        expires_in: Duration,
    },
}

/// How to sign: the knobs that differ between services and use cases.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SigningSettings {
    /// Remove `.` and `..` segments and duplicate slashes from the path
    /// before signing. Default `true`; S3 signs the path as sent.
    pub normalize_path: bool,
    /// Percent-encode the path (as sent, so already-encoded characters get
    /// encoded a second time) in the canonical request. Default `true`, which
    /// every service but S3 expects.
    pub double_uri_encode: bool,
    /// Add and sign an `x-amz-content-sha256` header with the payload hash
    /// (header signing only). Default `false`; S3 requires it.
    pub sign_body: bool,
    /// Sign without the session token and add it afterwards, as a few
    /// services (IoT) require. Default `false`.
    pub omit_session_token: bool,
    /// Headers or query string. Default [`SignatureLocation::Headers`].
    pub location: SignatureLocation,
}

impl Default for SigningSettings {
    fn default() -> Self {
        SigningSettings {
            normalize_path: true,
            double_uri_encode: true,
            sign_body: false,
            omit_session_token: false,
            location: SignatureLocation::Headers,
        }
    }
}

impl SigningSettings {
    /// The settings the service signing as `signing_name` expects: S3 and
    /// its variants sign the path as sent (neither normalized nor encoded a
    /// second time) and the payload hash, sent as `x-amz-content-sha256`,
    /// which S3 requires on every request; every other service takes the
    /// defaults.
    pub fn for_service(signing_name: &str) -> Self {
        let is_s3 = matches!(
            signing_name,
            "s3" | "s3-object-lambda" | "s3-outposts" | "s3express"
        );
        SigningSettings {
            normalize_path: !is_s3,
            double_uri_encode: !is_s3,
            sign_body: is_s3,
            ..SigningSettings::default()
        }
    }
}

/// Who signs, for which region and service, at what time.
#[derive(Debug, Clone, Copy)]
pub struct SigningParams<'a> {
    /// The credentials to sign with.
    pub credentials: &'a Credentials,
    /// The region of the credential scope, e.g. `us-east-1`.
    pub region: &'a str,
    /// The signing name of the service in the credential scope.
    pub service: &'a str,
    /// The signing time; requests more than 15 minutes off are rejected.
    pub time: SystemTime,
    /// How to sign.
    pub settings: SigningSettings,
}

/// The body of a request to sign, or what stands for it in the signature.
#[derive(Clone, Copy)]
pub enum SignableBody<'a> {
    /// The body bytes; their SHA-256 is signed.
    Bytes(&'a [u8]),
    /// Sign the literal `UNSIGNED-PAYLOAD` instead of a hash.
    UnsignedPayload,
    /// A hex SHA-256 (or another payload marker) computed by the caller.
    Precomputed(&'a str),
}

impl fmt::Debug for SignableBody<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SignableBody::Bytes(bytes) => write!(f, "Bytes({} bytes)", bytes.len()),
            SignableBody::UnsignedPayload => f.write_str("UnsignedPayload"),
            SignableBody::Precomputed(hash) => f.debug_tuple("Precomputed").field(hash).finish(),
        }
    }
}

/// A request to sign, as it will be sent.
#[derive(Clone, Copy)]
pub struct SignableRequest<'a> {
    /// The HTTP method, e.g. `GET`.
    pub method: &'a str,
    /// The request target as sent: path and raw query, e.g. `/a%20b?x=1`.
    pub uri: &'a str,
    /// The headers in order; a name may repeat. Must include `host`.
    pub headers: &'a [(&'a str, &'a str)],
    /// The body.
    pub body: SignableBody<'a>,
}

impl fmt::Debug for SignableRequest<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let headers: Vec<(&str, &str)> = self
            .headers
            .iter()
            .map(|&(name, value)| {
                (
                    name,
                    if is_secret_header(name) {
                        REDACTED
                    } else {
                        value
                    },
                )
            })
            .collect();
        f.debug_struct("SignableRequest")
            .field("method", &self.method)
            .field("uri", &self.uri)
            .field("headers", &headers)
            .field("body", &self.body)
            .finish()
    }
}

/// The result of [`sign`]: the intermediate values and what to add to the
/// request.
#[derive(Clone, PartialEq, Eq)]
pub struct SigningOutput {
    canonical_request: String,
    string_to_sign: String,
    signature: String,
    headers: Vec<(&'static str, String)>,
    query_params: Vec<(&'static str, String)>,
}

impl SigningOutput {
    /// The canonical request that was hashed. May contain the session token.
    pub fn canonical_request(&self) -> &str {
        &self.canonical_request
    }

    /// The string that was signed.
    pub fn string_to_sign(&self) -> &str {
        &self.string_to_sign
    }

    /// The hex signature.
    pub fn signature(&self) -> &str {
        &self.signature
    }

    /// Headers to add, in order (empty for query signing): the session
    /// token, `X-Amz-Date`, `x-amz-content-sha256` when signing the body,
    /// and `Authorization`.
    pub fn headers(&self) -> &[(&'static str, String)] {
        &self.headers
    }

    /// Query parameters to append, in order (empty for header signing).
    /// Values are already percent-encoded: append `name=value` pairs as is.
    pub fn query_params(&self) -> &[(&'static str, String)] {
        &self.query_params
    }
}

impl fmt::Debug for SigningOutput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The canonical request and the added values may carry the session
        // token, so only the parts that are safe to log are shown.
        let redact = |list: &[(&'static str, String)]| -> Vec<(&'static str, String)> {
            list.iter()
                .map(|(name, value)| {
                    let shown = if is_secret_header(name) {
                        REDACTED.to_owned()
                    } else {
                        value.clone()
                    };
                    (*name, shown)
                })
                .collect()
        };
        f.debug_struct("SigningOutput")
            .field("string_to_sign", &self.string_to_sign)
            .field("signature", &self.signature)
            .field("headers", &redact(&self.headers))
            .field("query_params", &redact(&self.query_params))
            .finish_non_exhaustive()
    }
}

/// The request cannot be signed, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SigningError {
    message: String,
}

impl SigningError {
    fn new(message: impl Into<String>) -> Self {
        SigningError {
            message: message.into(),
        }
    }
}

impl fmt::Display for SigningError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for SigningError {}

/// Signs `request`. Pure: the same inputs always give the same output.
///
/// Fails when the signing time is before 1970 or a presigned request would
/// be valid for more than seven days.
pub fn sign(
    request: &SignableRequest<'_>,
    params: &SigningParams<'_>,
) -> Result<SigningOutput, SigningError> {
    let settings = &params.settings;
    let (date, date_time) = format_date(params.time)?;
    let scope = format!("{date}/{}/{}/aws4_request", params.region, params.service);
    let credential = format!("{}/{scope}", params.credentials.access_key_id());
    let token = params.credentials.session_token();
    let signed_token = token.filter(|_| !settings.omit_session_token);
    let payload_hash = match request.body {
        SignableBody::Bytes(bytes) => hex_encode(&Sha256::digest(bytes)),
        SignableBody::UnsignedPayload => UNSIGNED_PAYLOAD.to_owned(),
        SignableBody::Precomputed(hash) => hash.to_owned(),
    };

    let (path, query) = match request.uri.split_once('?') {
        Some((path, query)) => (path, query),
        None => (request.uri, ""),
    };

    // Headers the signer adds replace any the caller left from an earlier
    // signature, so that re-signing a retried request works.
    let mut added: Vec<(&str, &str)> = Vec::new();
    let in_headers = settings.location == SignatureLocation::Headers;
    if in_headers {
        added.push(("x-amz-date", &date_time));
        if let Some(token) = signed_token {
            added.push(("x-amz-security-token", token));
        }
        if settings.sign_body {
            added.push(("x-amz-content-sha256", &payload_hash));
        }
    }
    // An omitted token stays out of the signature even when an earlier
    // signature left it on the request.
    let request_headers: Vec<(&str, &str)> = request
        .headers
        .iter()
        .copied()
        .filter(|(name, _)| {
            !(in_headers
                && settings.omit_session_token
                && name.trim().eq_ignore_ascii_case("x-amz-security-token"))
        })
        .collect();
    let (canonical_headers, signed_headers) = canonical_headers(&request_headers, &added);

    let mut query_params = parse_query(query);
    let expires_in = match settings.location {
        SignatureLocation::Headers => None,
        SignatureLocation::QueryParams { expires_in } => {
            if expires_in > MAX_EXPIRES_IN {
                return Err(SigningError::new(format!(
                    "a presigned request cannot be valid for more than 7 days (asked: {expires_in:?})"
                )));
            }
            Some(expires_in.as_secs().to_string())
        }
    };
    let mut auth_params: Vec<(&'static str, String)> = Vec::new();
    if let Some(expires) = &expires_in {
        auth_params.push(("X-Amz-Algorithm", ALGORITHM.to_owned()));
        auth_params.push(("X-Amz-Credential", percent_encode(&credential, false)));
        auth_params.push(("X-Amz-Date", date_time.clone()));
        auth_params.push((
            "X-Amz-SignedHeaders",
            percent_encode(&signed_headers, false),
        ));
        auth_params.push(("X-Amz-Expires", expires.clone()));
        if let Some(token) = signed_token {
            auth_params.push(("X-Amz-Security-Token", percent_encode(token, false)));
        }
        query_params.extend(
            auth_params
                .iter()
                .map(|(name, value)| ((*name).to_owned(), value.clone())),
        );
    }
    query_params.sort();

    // One buffer, written in order: the canonical request is built on every
    // attempt.
    let canonical_path = canonical_path(path, settings);
    let mut canonical_request = String::with_capacity(
        request.method.len()
            + canonical_path.len()
            + query_params
                .iter()
                .map(|(name, value)| name.len() + value.len() + 2)
                .sum::<usize>()
            + canonical_headers.len()
            + signed_headers.len()
            + payload_hash.len()
            + 5,
    );
    canonical_request.push_str(request.method);
    canonical_request.push('\n');
    canonical_request.push_str(&canonical_path);
    canonical_request.push('\n');
    for (i, (name, value)) in query_params.iter().enumerate() {
        if i > 0 {
            canonical_request.push('&');
        }
        canonical_request.push_str(name);
        canonical_request.push('=');
        canonical_request.push_str(value);
    }
    canonical_request.push('\n');
    canonical_request.push_str(&canonical_headers);
    canonical_request.push('\n');
    canonical_request.push_str(&signed_headers);
    canonical_request.push('\n');
    canonical_request.push_str(&payload_hash);

    let string_to_sign = format!(
        "{ALGORITHM}\n{date_time}\n{scope}\n{}",
        hex_encode(&Sha256::digest(canonical_request.as_bytes()))
    );
    let key = params.credentials.signing_keys().get_or_derive(
        params.credentials.secret_access_key(),
        &date,
        params.region,
        params.service,
    )?;
    let signature = hex_encode(&hmac_sha256(&key, string_to_sign.as_bytes())?);

    let mut headers = Vec::new();
    let mut out_query = Vec::new();
    if in_headers {
        // The token goes on the request even when it was left out of the
        // signature: the service still needs it to find the credentials.
        if let Some(token) = token {
            headers.push(("X-Amz-Security-Token", token.to_owned()));
        }
        headers.push(("X-Amz-Date", date_time));
        if settings.sign_body {
            headers.push(("x-amz-content-sha256", payload_hash));
        }
        headers.push((
            "Authorization",
            format!(
                "{ALGORITHM} Credential={credential}, SignedHeaders={signed_headers}, Signature={signature}"
            ),
        ));
    } else {
        out_query = auth_params;
        if let (Some(token), true) = (token, settings.omit_session_token) {
            out_query.push(("X-Amz-Security-Token", percent_encode(token, false)));
        }
        out_query.push(("X-Amz-Signature", signature.clone()));
    }

    Ok(SigningOutput {
        canonical_request,
        string_to_sign,
        signature,
        headers,
        query_params: out_query,
    })
}

/// Signs `request` in place: adds `host` if missing (from the URI), then the
/// signature headers (replacing any from an earlier signature) or, for query
/// signing, the signature query parameters.
///
/// Fails for the reasons of [`sign`], or when a header value is not UTF-8.
pub fn sign_http_request(
    request: &mut http::Request<bytes::Bytes>,
    params: &SigningParams<'_>,
) -> Result<(), SigningError> {
    sign_http_request_with(request, params, false).map(drop)
}

/// [`sign_http_request`], signing `UNSIGNED-PAYLOAD` instead of the body's
/// hash when `unsigned_payload` (what S3 expects of a presigned URL, whose
/// body the signer does not know). A request carrying
/// `x-amz-content-sha256: STREAMING-AWS4-HMAC-SHA256-EVENTS` signs that
/// marker: its body is a stream of messages signed one by one (see
/// [`event_stream`]). Returns the signature, the seed of such a stream.
pub(crate) fn sign_http_request_with(
    request: &mut http::Request<bytes::Bytes>,
    params: &SigningParams<'_>,
    unsigned_payload: bool,
) -> Result<String, SigningError> {
    if !request.headers().contains_key(http::header::HOST) {
        let host = request
            .uri()
            .authority()
            .map(|authority| authority.as_str().rsplit('@').next().unwrap_or_default())
            .ok_or_else(|| {
                SigningError::new("the request has no `host` header and no authority")
            })?;
        let host = http::HeaderValue::from_str(host)
            .map_err(|_| SigningError::new("the request authority is not a valid `host` header"))?;
        request.headers_mut().insert(http::header::HOST, host);
    }

    let streams_events = request
        .headers()
        .get("x-amz-content-sha256")
        .is_some_and(|v| v.as_bytes() == event_stream::STREAMING_EVENTS_PAYLOAD.as_bytes());
    let output = {
        let mut headers = Vec::with_capacity(request.headers().len());
        for (name, value) in request.headers() {
            let value = std::str::from_utf8(value.as_bytes()).map_err(|_| {
                SigningError::new(format!("the value of header `{name}` is not UTF-8"))
            })?;
            headers.push((name.as_str(), value));
        }
        let uri = request
            .uri()
            .path_and_query()
            .map_or("/", |path_and_query| path_and_query.as_str());
        let signable = SignableRequest {
            method: request.method().as_str(),
            uri,
            headers: &headers,
            body: if unsigned_payload {
                SignableBody::UnsignedPayload
            } else if streams_events {
                SignableBody::Precomputed(event_stream::STREAMING_EVENTS_PAYLOAD)
            } else {
                SignableBody::Bytes(request.body())
            },
        };
        sign(&signable, params)?
    };

    for (name, value) in output.headers() {
        let header_name = http::HeaderName::from_bytes(name.as_bytes())
            .map_err(|_| SigningError::new(format!("invalid header name `{name}`")))?;
        let mut header_value = http::HeaderValue::from_str(value)
            .map_err(|_| SigningError::new(format!("invalid value for header `{name}`")))?;
        header_value.set_sensitive(is_secret_header(name));
        request.headers_mut().insert(header_name, header_value);
    }

    if !output.query_params().is_empty() {
        let mut target = request
            .uri()
            .path_and_query()
            .map_or_else(|| "/".to_owned(), |pq| pq.as_str().to_owned());
        for (name, value) in output.query_params() {
            target.push(if target.contains('?') { '&' } else { '?' });
            target.push_str(name);
            target.push('=');
            target.push_str(value);
        }
        let mut parts = request.uri().clone().into_parts();
        parts.path_and_query = Some(
            target
                .parse()
                .map_err(|_| SigningError::new("the presigned URI is invalid"))?,
        );
        *request.uri_mut() = http::Uri::from_parts(parts)
            .map_err(|_| SigningError::new("the presigned URI is invalid"))?;
    }
    Ok(output.signature)
}

fn is_secret_header(name: &str) -> bool {
    name.eq_ignore_ascii_case("x-amz-security-token") || name.eq_ignore_ascii_case("authorization")
}

/// The canonical header block (`name:value\n` per name) and the
/// `;`-separated signed header names.
///
/// Written in place from borrowed names and values (a header name is
/// lowercased into a new string only when it has capitals, which names from
/// `http` never have): this runs on every attempt.
fn canonical_headers(headers: &[(&str, &str)], added: &[(&str, &str)]) -> (String, String) {
    let mut entries: Vec<(Cow<'_, str>, &str, bool)> =
        Vec::with_capacity(headers.len() + added.len());
    for &(name, value) in headers {
        let name = name.trim();
        let name = if name.bytes().any(|b| b.is_ascii_uppercase()) {
            Cow::Owned(name.to_ascii_lowercase())
        } else {
            Cow::Borrowed(name)
        };
        if UNSIGNED_HEADERS.contains(&name.as_ref())
            || added.iter().any(|(added_name, _)| *added_name == name)
        {
            continue;
        }
        entries.push((name, value, true));
    }
    // The signer's own values are already canonical: not folded.
    entries.extend(
        added
            .iter()
            .map(|&(name, value)| (Cow::Borrowed(name), value, false)),
    );
    // Stable, so the values of a repeated name keep their order.
    entries.sort_by(|a, b| a.0.cmp(&b.0));

    let mut block = String::with_capacity(
        entries
            .iter()
            .map(|(name, value, _)| name.len() + value.len() + 2)
            .sum(),
    );
    let mut signed = String::new();
    let mut previous: Option<&str> = None;
    for (name, value, fold) in &entries {
        if previous == Some(name.as_ref()) {
            block.push(',');
        } else {
            if previous.is_some() {
                block.push('\n');
                signed.push(';');
            }
            block.push_str(name);
            block.push(':');
            signed.push_str(name);
            previous = Some(name);
        }
        if *fold {
            push_folded(&mut block, value);
        } else {
            block.push_str(value);
        }
    }
    if previous.is_some() {
        block.push('\n');
    }
    (block, signed)
}

/// Appends a header value trimmed, each run of whitespace (including the
/// line breaks of an obsolete multi-line value) folded into one space.
fn push_folded(out: &mut String, value: &str) {
    for (i, word) in value.split_ascii_whitespace().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        out.push_str(word);
    }
}

fn canonical_path(path: &str, settings: &SigningSettings) -> String {
    let path = if path.is_empty() { "/" } else { path };
    let normalized;
    let path = if settings.normalize_path {
        normalized = normalize_path(path);
        normalized.as_str()
    } else {
        path
    };
    if settings.double_uri_encode {
        percent_encode(path, true)
    } else {
        path.to_owned()
    }
}

/// Removes `.` and `..` segments and empty segments (duplicate slashes),
/// keeping a trailing slash.
fn normalize_path(path: &str) -> String {
    let mut segments: Vec<&str> = Vec::new();
    for segment in path.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                segments.pop();
            }
            segment => segments.push(segment),
        }
    }
    let trailing_slash = path.ends_with('/') || path.ends_with("/.") || path.ends_with("/..");
    let mut normalized = String::with_capacity(path.len());
    normalized.push('/');
    normalized.push_str(&segments.join("/"));
    if trailing_slash && !segments.is_empty() {
        normalized.push('/');
    }
    normalized
}

/// Splits a raw query into `(name, value)` pairs, each decoded then
/// re-encoded, so that `ሴ` and `%E1%88%B4` sign the same.
fn parse_query(query: &str) -> Vec<(String, String)> {
    query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            (
                percent_encode(percent_decode(name), false),
                percent_encode(percent_decode(value), false),
            )
        })
        .collect()
}

fn hmac_sha256(key: &[u8], data: &[u8]) -> Result<[u8; 32], SigningError> {
    // HMAC accepts keys of any length, so this error is only a formality.
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(key)
        .map_err(|_| SigningError::new("invalid HMAC key length"))?;
    mac.update(data);
    Ok(mac.finalize().into_bytes().into())
}

/// Derives the signing key of a secret for a date, region and service.
fn derive_signing_key(
    secret: &str,
    date: &str,
    region: &str,
    service: &str,
) -> Result<[u8; 32], SigningError> {
    let secret = format!("AWS4{secret}");
    let key = hmac_sha256(secret.as_bytes(), date.as_bytes())?;
    let key = hmac_sha256(&key, region.as_bytes())?;
    let key = hmac_sha256(&key, service.as_bytes())?;
    hmac_sha256(&key, b"aws4_request")
}

/// Scopes whose key is kept per secret: a client signs for one region and
/// service, a program perhaps for a few; past that the oldest goes.
const CACHED_SCOPES: usize = 4;

/// The signing keys derived from one secret access key, by scope.
///
/// A key is four HMACs of the secret and the scope and stays valid all day,
/// so deriving it for every attempt is wasted work. The cache is held by the
/// [`Credentials`] whose secret it derives from (their clones share it):
/// a key lives no longer than its secret, and two secrets never share a
/// cache, so the secret is not part of the cache's key.
#[derive(Default)]
pub(crate) struct SigningKeyCache {
    keys: Mutex<Vec<CachedKey>>,
}

struct CachedKey {
    date: String,
    region: String,
    service: String,
    key: [u8; 32],
}

impl CachedKey {
    fn is_for(&self, date: &str, region: &str, service: &str) -> bool {
        self.date == date && self.region == region && self.service == service
    }
}

impl SigningKeyCache {
    /// The key of `secret` (the secret of the credentials holding this
    /// cache) for the scope, derived on first use.
    fn get_or_derive(
        &self,
        secret: &str,
        date: &str,
        region: &str,
        service: &str,
    ) -> Result<[u8; 32], SigningError> {
        // A poisoned lock only loses the cache: the key is derived again.
        if let Ok(keys) = self.keys.lock() {
            if let Some(cached) = keys.iter().find(|k| k.is_for(date, region, service)) {
                return Ok(cached.key);
            }
        }
        let key = derive_signing_key(secret, date, region, service)?;
        if let Ok(mut keys) = self.keys.lock() {
            // Another attempt may have derived it meanwhile.
            if !keys.iter().any(|k| k.is_for(date, region, service)) {
                if keys.len() >= CACHED_SCOPES {
                    keys.remove(0);
                }
                keys.push(CachedKey {
                    date: date.to_owned(),
                    region: region.to_owned(),
                    service: service.to_owned(),
                    key,
                });
            }
        }
        Ok(key)
    }
}

/// `(YYYYMMDD, YYYYMMDD'T'HHMMSS'Z')` in UTC.
fn format_date(time: SystemTime) -> Result<(String, String), SigningError> {
    if time < UNIX_EPOCH {
        return Err(SigningError::new("the signing time is before 1970"));
    }
    let (year, month, day, hour, minute, second) = crate::DateTime::from(time).parts();
    let date = format!("{year:04}{month:02}{day:02}");
    let date_time = format!("{date}T{hour:02}{minute:02}{second:02}Z");
    Ok((date, date_time))
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    // 2015-08-30T12:36:00Z, the time of the AWS test suite.
    const SUITE_TIME: u64 = 1_440_938_160;

    fn at(secs: u64) -> SystemTime {
        UNIX_EPOCH + Duration::from_secs(secs)
    }

    /// The suite's `get-vanilla` request.
    fn get_vanilla() -> SignableRequest<'static> {
        SignableRequest {
            method: "GET",
            uri: "/",
            headers: &[("Host", "example.amazonaws.com")],
            body: SignableBody::Bytes(b""),
        }
    }

    fn params(credentials: &Credentials) -> SigningParams<'_> {
        SigningParams {
            credentials,
            region: "us-east-1",
            service: "service",
            time: at(SUITE_TIME),
            settings: SigningSettings::default(),
        }
    }

    #[test]
    fn dates_format_in_utc() {
        assert_eq!(
            format_date(at(0)).unwrap(),
            ("19700101".into(), "19700101T000000Z".into())
        );
        assert_eq!(format_date(at(SUITE_TIME)).unwrap().1, "20150830T123600Z");
        // 2000-02-29T23:59:59Z: a leap day of a year divisible by 400.
        assert_eq!(format_date(at(951_868_799)).unwrap().1, "20000229T235959Z");
        // 2100-03-01T00:00:00Z: 2100 is not a leap year.
        assert_eq!(
            format_date(at(4_107_542_400)).unwrap().1,
            "21000301T000000Z"
        );
        assert!(format_date(UNIX_EPOCH - Duration::from_secs(1)).is_err());
    }

    #[test]
    fn paths_normalize_dots_and_slashes() {
        assert_eq!(normalize_path("/example/.."), "/");
        assert_eq!(normalize_path("//example//"), "/example/");
        assert_eq!(normalize_path("/./example"), "/example");
        assert_eq!(normalize_path("/a/b/../c/."), "/a/c/");
        assert_eq!(normalize_path("/"), "/");
    }

    #[test]
    fn path_is_encoded_again_unless_disabled() {
        let mut settings = SigningSettings::default();
        assert_eq!(canonical_path("/a%20b/ሴ", &settings), "/a%2520b/%E1%88%B4");
        settings.double_uri_encode = false;
        settings.normalize_path = false;
        assert_eq!(canonical_path("/a%20b//c", &settings), "/a%20b//c");
    }

    #[test]
    fn query_pairs_are_decoded_then_encoded() {
        assert_eq!(
            parse_query("b=%2a&a&%E1%88%B4=x+y&bad=%zz&&"),
            vec![
                ("b".into(), "%2A".into()),
                ("a".into(), "".into()),
                ("%E1%88%B4".into(), "x%2By".into()),
                ("bad".into(), "%25zz".into()),
            ]
        );
    }

    #[test]
    fn header_values_are_trimmed_and_folded() {
        let (block, signed) = canonical_headers(
            &[
                ("Host", "example.amazonaws.com"),
                ("My-Header", "  a   b\n  c "),
                ("my-header", "d"),
                ("User-Agent", "not signed"),
                ("X-Amz-Date", "stale"),
            ],
            &[("x-amz-date", "20150830T123600Z")],
        );
        assert_eq!(
            block,
            "host:example.amazonaws.com\nmy-header:a b c,d\nx-amz-date:20150830T123600Z\n"
        );
        assert_eq!(signed, "host;my-header;x-amz-date");
    }

    #[test]
    fn cached_signing_key_is_the_derived_one_per_scope_and_secret() {
        let credentials = Credentials::new("AKIDEXAMPLE", SECRET, None);
        let cache = credentials.signing_keys();
        let derived = derive_signing_key(SECRET, "20150830", "us-east-1", "iam").unwrap();
        // The key of the AWS SigV4 documentation's worked example.
        assert_eq!(
            hex_encode(&derived),
            "c4afb1cc5771d871763a393e44b703571b55cc28424d1a5e86da6ed3c154a4b9"
        );
        let first = cache
            .get_or_derive(SECRET, "20150830", "us-east-1", "iam")
            .unwrap();
        assert_eq!(first, derived);
        // Served from the cache (a clone shares it): the same key.
        let again = credentials
            .clone()
            .signing_keys()
            .get_or_derive(SECRET, "20150830", "us-east-1", "iam")
            .unwrap();
        assert_eq!(again, derived);
        assert_eq!(cache.keys.lock().unwrap().len(), 1);

        for (date, region, service) in [
            ("20150831", "us-east-1", "iam"),
            ("20150830", "eu-west-1", "iam"),
            ("20150830", "us-east-1", "sts"),
        ] {
            let key = cache.get_or_derive(SECRET, date, region, service).unwrap();
            assert_ne!(key, derived, "{date} {region} {service}");
            assert_eq!(
                key,
                derive_signing_key(SECRET, date, region, service).unwrap()
            );
        }
        assert_eq!(cache.keys.lock().unwrap().len(), CACHED_SCOPES);
        // A fifth scope evicts the oldest, which is derived again correctly.
        cache
            .get_or_derive(SECRET, "20150901", "us-east-1", "iam")
            .unwrap();
        assert_eq!(cache.keys.lock().unwrap().len(), CACHED_SCOPES);
        assert_eq!(
            cache
                .get_or_derive(SECRET, "20150830", "us-east-1", "iam")
                .unwrap(),
            derived
        );

        // Other credentials, another secret: their own cache, another key.
        let other = Credentials::new("AKIDEXAMPLE", "another-secret", None);
        let key = other
            .signing_keys()
            .get_or_derive("another-secret", "20150830", "us-east-1", "iam")
            .unwrap();
        assert_ne!(key, derived);
        assert_eq!(
            key,
            derive_signing_key("another-secret", "20150830", "us-east-1", "iam").unwrap()
        );
    }

    #[test]
    fn signing_twice_with_the_cached_key_gives_the_same_signature() {
        let credentials = Credentials::new("AKIDEXAMPLE", SECRET, None);
        let request = get_vanilla();
        let first = sign(&request, &params(&credentials)).unwrap();
        let second = sign(&request, &params(&credentials)).unwrap();
        assert_eq!(first, second);
        assert_eq!(
            first.signature(),
            "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"
        );
    }

    #[test]
    fn get_vanilla_signs_like_the_suite() {
        let credentials = Credentials::new("AKIDEXAMPLE", SECRET, None);
        let request = get_vanilla();
        let output = sign(&request, &params(&credentials)).unwrap();
        assert_eq!(
            output.signature(),
            "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"
        );
        assert_eq!(
            output.headers()[0],
            ("X-Amz-Date", "20150830T123600Z".into())
        );
        assert!(output.query_params().is_empty());
    }

    #[test]
    fn presigning_longer_than_a_week_is_refused() {
        let credentials = Credentials::new("AKIDEXAMPLE", SECRET, None);
        let mut params = params(&credentials);
        params.settings.location = SignatureLocation::QueryParams {
            expires_in: MAX_EXPIRES_IN + Duration::from_secs(1),
        };
        let request = SignableRequest {
            method: "GET",
            uri: "/",
            headers: &[("host", "example.amazonaws.com")],
            body: SignableBody::UnsignedPayload,
        };
        assert!(sign(&request, &params).is_err());
    }

    #[test]
    fn http_request_gets_host_date_token_and_authorization() {
        let credentials = Credentials::new("AKIDEXAMPLE", SECRET, Some("the-token".into()));
        let mut request = http::Request::post("https://example.amazonaws.com/a?b=c")
            .header("x-amz-date", "stale")
            .body(bytes::Bytes::from_static(b"{}"))
            .unwrap();
        sign_http_request(&mut request, &params(&credentials)).unwrap();
        let headers = request.headers();
        assert_eq!(headers["host"], "example.amazonaws.com");
        assert_eq!(headers.get_all("x-amz-date").iter().count(), 1);
        assert_eq!(headers["x-amz-date"], "20150830T123600Z");
        assert_eq!(headers["x-amz-security-token"], "the-token");
        let authorization = headers["authorization"].to_str().unwrap();
        assert!(authorization.starts_with(
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, \
             SignedHeaders=host;x-amz-date;x-amz-security-token, Signature="
        ));
    }

    #[test]
    fn resigning_keeps_an_omitted_session_token_unsigned() {
        // Found by the sigv4_canonical fuzz target: the token added by the
        // first signature was signed by the second (a retry).
        let credentials = Credentials::new("AKIDEXAMPLE", SECRET, Some("the-token".into()));
        let mut params = params(&credentials);
        params.settings.omit_session_token = true;
        let mut request = http::Request::post("https://example.amazonaws.com/")
            .body(bytes::Bytes::from_static(b"{}"))
            .unwrap();
        sign_http_request(&mut request, &params).unwrap();
        let first = request.headers().clone();
        assert!(first["authorization"]
            .to_str()
            .unwrap()
            .contains("SignedHeaders=host;x-amz-date, "));
        sign_http_request(&mut request, &params).unwrap();
        assert_eq!(request.headers(), &first);
    }

    #[test]
    fn http_request_can_be_presigned() {
        let credentials = Credentials::new("AKIDEXAMPLE", SECRET, None);
        let mut params = params(&credentials);
        params.settings.location = SignatureLocation::QueryParams {
            expires_in: Duration::from_secs(3600),
        };
        let mut request = http::Request::get("https://example.amazonaws.com/?Param1=value1")
            .body(bytes::Bytes::new())
            .unwrap();
        sign_http_request(&mut request, &params).unwrap();
        assert_eq!(
            request.uri().query().unwrap(),
            "Param1=value1&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDEXAMPLE%2F20150830%2Fus-east-1%2Fservice%2Faws4_request&X-Amz-Date=20150830T123600Z&X-Amz-SignedHeaders=host&X-Amz-Expires=3600&X-Amz-Signature=49096700cbbaa5753443850f40df10f904fc2fdb544dc9512203cc77c471a9de"
        );
        assert!(request.headers().get("authorization").is_none());
    }

    #[test]
    fn debug_never_shows_secrets() {
        let credentials = Credentials::new("AKIDEXAMPLE", SECRET, Some("the-token".into()));
        let request = SignableRequest {
            method: "GET",
            uri: "/",
            headers: &[("host", "h"), ("X-Amz-Security-Token", "the-token")],
            body: SignableBody::Bytes(b""),
        };
        let params = params(&credentials);
        let output = sign(&request, &params).unwrap();
        for shown in [
            format!("{output:?}"),
            format!("{params:?}"),
            format!("{request:?}"),
        ] {
            assert!(!shown.contains(SECRET), "{shown}");
            assert!(!shown.contains("the-token"), "{shown}");
        }
    }
}
