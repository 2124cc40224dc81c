//! `@requestCompression`: gzip request bodies for operations that accept it.

use crate::{BuildError, Operation};
use bytes::Bytes;
use http::header::{HeaderValue, CONTENT_ENCODING};

/// The smallest body compressed by default, as in the other AWS SDKs.
pub const DEFAULT_MIN_COMPRESSION_SIZE: u32 = 10_240;
/// The largest minimum size AWS allows to configure (10 MiB).
const MAX_MIN_COMPRESSION_SIZE: u32 = 10_485_760;

/// When request bodies of operations marked `@requestCompression` are
/// compressed: unless disabled, a body of at least
/// [`min_size`](RequestCompression::min_size) bytes is sent gzip-encoded.
///
/// Compression needs the `gzip` feature of `opgen`; without it bodies are
/// always sent as they are, which services accept too.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RequestCompression {
    disabled: bool,
    min_size: u32,
}

impl Default for RequestCompression {
    fn default() -> Self {
        RequestCompression {
            disabled: false,
            min_size: DEFAULT_MIN_COMPRESSION_SIZE,
        }
    }
}

impl RequestCompression {
    /// Compression turned off: bodies are sent as they are.
    pub fn disabled() -> Self {
        RequestCompression {
            disabled: true,
            ..RequestCompression::default()
        }
    }

    /// Compression of bodies of at least `bytes` bytes (AWS allows 0 to
    /// 10 485 760; larger values are clamped).
    pub fn with_min_size(bytes: u32) -> Self {
        RequestCompression {
            disabled: false,
            min_size: bytes.min(MAX_MIN_COMPRESSION_SIZE),
        }
    }

    /// The settings from `AWS_DISABLE_REQUEST_COMPRESSION` and
    /// `AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES`, looked up through `get`;
    /// values that do not parse leave the default.
    pub fn from_env_with(get: impl Fn(&str) -> Option<String>) -> Self {
        let mut settings = RequestCompression::default();
        if let Some(min) =
            get("AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES").and_then(|v| v.trim().parse::<u32>().ok())
        {
            settings = RequestCompression::with_min_size(min);
        }
        if get("AWS_DISABLE_REQUEST_COMPRESSION")
            .is_some_and(|v| v.trim().eq_ignore_ascii_case("true"))
        {
            settings.disabled = true;
        }
        settings
    }

    /// Whether compression is off.
    pub fn is_disabled(&self) -> bool {
        self.disabled
    }

    /// The smallest body that is compressed.
    pub fn min_size(&self) -> u32 {
        self.min_size
    }
}

/// Compresses the body of `request`, serialized for operation `O`, when `O`
/// is marked `@requestCompression` with an encoding opgen supports (gzip),
/// `settings` allow it and the body is large enough: the body is replaced by
/// its gzip encoding and `gzip` is appended to `Content-Encoding`.
///
/// [`Client`](crate::Client) calls it after [`Operation::serialize`]; call
/// it yourself when sending serialized requests another way.
pub fn compress_request<O: Operation>(
    request: &mut http::Request<Bytes>,
    settings: &RequestCompression,
) -> Result<(), BuildError> {
    let wants_gzip = O::REQUEST_COMPRESSION.contains(&"gzip");
    let large_enough = request.body().len() >= settings.min_size as usize;
    if !wants_gzip || settings.disabled || !large_enough || !cfg!(feature = "gzip") {
        return Ok(());
    }
    let compressed = gzip(request.body())?;
    let encoding = match request.headers().get(CONTENT_ENCODING) {
        Some(existing) => {
            let existing = existing.to_str().map_err(|_| {
                BuildError::other("the Content-Encoding header is not visible ASCII")
            })?;
            HeaderValue::try_from(format!("{existing}, gzip"))
                .map_err(|_| BuildError::other("the Content-Encoding header is invalid"))?
        }
        None => HeaderValue::from_static("gzip"),
    };
    request.headers_mut().insert(CONTENT_ENCODING, encoding);
    *request.body_mut() = compressed;
    Ok(())
}

#[cfg(feature = "gzip")]
fn gzip(body: &[u8]) -> Result<Bytes, BuildError> {
    use std::io::Write;
    let mut encoder = flate2::write::GzEncoder::new(
        Vec::with_capacity(body.len() / 2),
        flate2::Compression::default(),
    );
    encoder
        .write_all(body)
        .and_then(|()| encoder.finish())
        .map(Bytes::from)
        .map_err(|e| BuildError::other(format!("failed to gzip the request body: {e}")))
}

#[cfg(not(feature = "gzip"))]
fn gzip(body: &[u8]) -> Result<Bytes, BuildError> {
    Ok(Bytes::copy_from_slice(body))
}

#[cfg(all(test, feature = "gzip"))]
mod tests {
    use super::*;
    use crate::{Endpoint, Error, ErrorMetadata, ProvideErrorMetadata, ServiceMetadata};
    use std::io::Read;

    #[derive(Debug)]
    struct NoError(ErrorMetadata);

    impl std::fmt::Display for NoError {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("none")
        }
    }

    impl std::error::Error for NoError {}

    impl ProvideErrorMetadata for NoError {
        fn meta(&self) -> &ErrorMetadata {
            &self.0
        }
    }

    static SERVICE: ServiceMetadata = ServiceMetadata {
        shape_id: "com.example#Metrics",
        sdk_id: "Metrics",
        api_version: "2024-01-01",
        signing_name: "metrics",
        endpoint_prefix: "metrics",
        protocol: crate::Protocol::RestJson1,
    };

    struct PutMetrics;

    impl Operation for PutMetrics {
        type Input = ();
        type Output = ();
        type Error = NoError;
        const NAME: &'static str = "PutMetrics";
        const SERVICE: &'static ServiceMetadata = &SERVICE;
        const REQUEST_COMPRESSION: &'static [&'static str] = &["gzip"];

        fn serialize(_: &(), _: &Endpoint) -> Result<http::Request<Bytes>, BuildError> {
            Err(BuildError::other("unused"))
        }

        fn deserialize(_: http::Response<Bytes>) -> Result<(), Error<NoError>> {
            Ok(())
        }
    }

    fn request(body: &str, encoding: Option<&str>) -> http::Request<Bytes> {
        let mut request = http::Request::new(Bytes::from(body.to_owned()));
        if let Some(encoding) = encoding {
            request
                .headers_mut()
                .insert(CONTENT_ENCODING, HeaderValue::from_str(encoding).unwrap());
        }
        request
    }

    fn gunzip(bytes: &[u8]) -> String {
        let mut text = String::new();
        flate2::read::GzDecoder::new(bytes)
            .read_to_string(&mut text)
            .unwrap();
        text
    }

    #[test]
    fn large_bodies_are_gzipped_and_the_encoding_appended() {
        let body = "metric ".repeat(2000);
        let mut plain = request(&body, None);
        compress_request::<PutMetrics>(&mut plain, &RequestCompression::default()).unwrap();
        assert_eq!(plain.headers()[CONTENT_ENCODING], "gzip");
        assert!(
            plain.body().len() < body.len() / 10,
            "{}",
            plain.body().len()
        );
        assert_eq!(gunzip(plain.body()), body);

        let mut custom = request(&body, Some("custom"));
        compress_request::<PutMetrics>(&mut custom, &RequestCompression::default()).unwrap();
        assert_eq!(custom.headers()[CONTENT_ENCODING], "custom, gzip");
    }

    #[test]
    fn small_bodies_and_disabled_settings_are_left_alone() {
        let mut small = request("tiny", None);
        compress_request::<PutMetrics>(&mut small, &RequestCompression::default()).unwrap();
        assert_eq!(small.body(), "tiny");
        assert!(small.headers().get(CONTENT_ENCODING).is_none());

        let mut forced = request("tiny", None);
        compress_request::<PutMetrics>(&mut forced, &RequestCompression::with_min_size(0)).unwrap();
        assert_eq!(gunzip(forced.body()), "tiny");

        let body = "x".repeat(20_000);
        let mut off = request(&body, None);
        compress_request::<PutMetrics>(&mut off, &RequestCompression::disabled()).unwrap();
        assert_eq!(off.body().len(), 20_000);
    }

    #[test]
    fn settings_come_from_the_environment() {
        let env = |vars: &'static [(&'static str, &'static str)]| {
            move |name: &str| {
                vars.iter()
                    .find(|(k, _)| *k == name)
                    .map(|(_, v)| v.to_string())
            }
        };
        let settings = RequestCompression::from_env_with(env(&[
            ("AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES", "128"),
            ("AWS_DISABLE_REQUEST_COMPRESSION", "TRUE"),
        ]));
        assert_eq!(settings.min_size(), 128);
        assert!(settings.is_disabled());
        let settings = RequestCompression::from_env_with(env(&[(
            "AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES",
            "99999999",
        )]));
        assert_eq!(settings.min_size(), MAX_MIN_COMPRESSION_SIZE);
        assert!(!settings.is_disabled());
    }
}
