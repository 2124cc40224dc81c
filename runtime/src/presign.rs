//! Presigned requests: a URL that anyone holding it can use, until it
//! expires, to make one call with the signer's rights, e.g. a download
//! link for an S3 object or the EKS token (a presigned STS
//! `GetCallerIdentity`).
//!
//! The request is built as a call would be (the endpoint rules, the
//! operation's serializer), then signed with SigV4 in the query string
//! instead of the `Authorization` header. Two adjustments make any
//! operation presignable:
//!
//! - a form-encoded body (awsQuery, ec2Query) moves into the query string
//!   and the method becomes `GET`, as the SDKs do when they presign STS
//!   (a URL carries no body);
//! - services that sign their payload hash (S3) sign `UNSIGNED-PAYLOAD`,
//!   since the body is sent later by whoever holds the URL; the others sign
//!   the hash of the (usually empty) body.
//!
//! Retries, checksums and the SDK headers (`user-agent`, `amz-sdk-*`) do not
//! apply: nothing is sent.

use crate::sigv4::{self, SignatureLocation, SigningParams, SigningSettings};
use crate::{BuildError, Config, Credentials, Endpoint, Error, Operation};
use bytes::Bytes;
use http::header::{HeaderName, HeaderValue, CONTENT_LENGTH, CONTENT_TYPE, HOST};
use std::fmt;
use std::time::{Duration, SystemTime};

/// The longest a presigned request may stay valid: seven days, what SigV4
/// accepts.
pub const MAX_PRESIGNED_EXPIRY: Duration = Duration::from_secs(7 * 24 * 60 * 60);

/// How to presign: for how long, from when, and extra headers to sign.
///
/// ```
/// use std::time::Duration;
/// let presigning = opgen::PresigningConfig::expires_in(Duration::from_secs(60))?
///     .header("x-k8s-aws-id", "my-cluster")?;
/// # Ok::<(), opgen::BuildError>(())
/// ```
#[derive(Debug, Clone)]
pub struct PresigningConfig {
    expires_in: Duration,
    start_time: Option<SystemTime>,
    headers: Vec<(HeaderName, HeaderValue)>,
}

impl PresigningConfig {
    /// A request valid for `expires_in` (whole seconds, from 1 s to 7 days)
    /// from the time it is signed. Fails outside that range.
    pub fn expires_in(expires_in: Duration) -> Result<Self, BuildError> {
        if expires_in.as_secs() == 0 {
            return Err(BuildError::other(
                "a presigned request must be valid for at least 1 second",
            ));
        }
        if expires_in > MAX_PRESIGNED_EXPIRY {
            return Err(BuildError::other(format!(
                "a presigned request cannot be valid for more than 7 days (asked: {} s)",
                expires_in.as_secs()
            )));
        }
        Ok(PresigningConfig {
            expires_in,
            start_time: None,
            headers: Vec::new(),
        })
    }

    /// Signs as of `time` instead of now: the request is valid from `time`
    /// for `expires_in` (give the same time, get the same URL).
    pub fn start_time(mut self, time: SystemTime) -> Self {
        self.start_time = Some(time);
        self
    }

    /// Signs the header `name: value` too: whoever uses the URL must send
    /// it (e.g. `x-k8s-aws-id` in the EKS token). Fails when either is not
    /// a valid header name or value.
    pub fn header(mut self, name: &str, value: &str) -> Result<Self, BuildError> {
        let name = HeaderName::from_bytes(name.as_bytes())
            .map_err(|_| BuildError::other(format!("invalid header name `{name}`")))?;
        let value = HeaderValue::from_str(value)
            .map_err(|_| BuildError::other(format!("invalid value for header `{name}`")))?;
        self.headers.push((name, value));
        Ok(self)
    }

    /// How long the request stays valid.
    pub fn expiry(&self) -> Duration {
        self.expires_in
    }
}

/// A presigned request: send `method` to `uri` with `headers` (and, for an
/// upload, the body) from any HTTP client, no credentials needed.
///
/// The URI carries the signature (and the session token of temporary
/// credentials): treat it as a secret. `Debug` shows only its path.
#[derive(Clone)]
pub struct PresignedRequest {
    method: http::Method,
    uri: http::Uri,
    headers: http::HeaderMap,
}

impl PresignedRequest {
    /// The HTTP method, e.g. `GET`.
    pub fn method(&self) -> &http::Method {
        &self.method
    }

    /// The full URL, signature included.
    pub fn uri(&self) -> &http::Uri {
        &self.uri
    }

    /// The headers that were signed and must be sent with the request,
    /// besides `host` (which the URL gives). Empty for most `GET`s.
    pub fn headers(&self) -> &http::HeaderMap {
        &self.headers
    }

    /// The request as an `http::Request` with `body`, for an HTTP client
    /// that takes one.
    pub fn into_http_request<B>(self, body: B) -> http::Request<B> {
        let mut request = http::Request::new(body);
        *request.method_mut() = self.method;
        *request.uri_mut() = self.uri;
        *request.headers_mut() = self.headers;
        request
    }
}

impl fmt::Debug for PresignedRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PresignedRequest")
            .field("method", &self.method)
            .field("host", &self.uri.host())
            .field("path", &self.uri.path())
            .field("headers", &self.headers.keys().collect::<Vec<_>>())
            .finish_non_exhaustive()
    }
}

/// Presigns a call to `O` with `input`, signed with `credentials`: the
/// endpoint resolved from `config` as [`Client::send`](crate::Client::send)
/// resolves it. Sans-IO: [`Client::presign`](crate::Client::presign) loads
/// the credentials and calls this.
///
/// Fails like a call before anything is sent: no region, an endpoint that
/// cannot be resolved or wants another signature than SigV4
/// ([`Error::Endpoint`]), an input that cannot be serialized
/// ([`Error::Build`]).
pub fn presign<O: Operation>(
    input: &O::Input,
    config: &Config,
    credentials: &Credentials,
    presigning: &PresigningConfig,
) -> Result<PresignedRequest, Error<O::Error>> {
    let region = crate::client::configured_region(config).map_err(Error::Endpoint)?;
    let endpoint =
        crate::client::resolve_endpoint::<O>(config, region, input).map_err(Error::Endpoint)?;
    crate::client::check_auth_schemes(&endpoint).map_err(Error::Endpoint)?;
    let mut request = O::serialize(input, &endpoint)?;
    form_body_into_query(&mut request).map_err(Error::Build)?;
    // The body is whoever sends the URL's business, so its length is too.
    request.headers_mut().remove(CONTENT_LENGTH);
    for (name, value) in &presigning.headers {
        request.headers_mut().insert(name.clone(), value.clone());
    }
    let service = endpoint.signing_name().unwrap_or(O::SERVICE.signing_name);
    sign(
        &mut request,
        &endpoint,
        region,
        service,
        credentials,
        presigning,
    )
    .map_err(Error::Build)?;
    let (mut head, _body) = request.into_parts();
    head.headers.remove(HOST);
    Ok(PresignedRequest {
        method: head.method,
        uri: head.uri,
        headers: head.headers,
    })
}

fn sign(
    request: &mut http::Request<Bytes>,
    endpoint: &Endpoint,
    region: &str,
    service: &str,
    credentials: &Credentials,
    presigning: &PresigningConfig,
) -> Result<(), BuildError> {
    let mut settings = SigningSettings::for_service(service);
    if let Some(disable) = endpoint.disable_double_encoding() {
        settings.double_uri_encode = !disable;
    }
    settings.location = SignatureLocation::QueryParams {
        expires_in: presigning.expires_in,
    };
    // Services that want the payload hash announced (S3) take
    // `UNSIGNED-PAYLOAD` in a presigned URL.
    let unsigned_payload = settings.sign_body;
    let params = SigningParams {
        credentials,
        region: endpoint.signing_region().unwrap_or(region),
        service,
        time: presigning.start_time.unwrap_or_else(SystemTime::now),
        settings,
    };
    sigv4::sign_http_request_with(request, &params, unsigned_payload)
        .map(drop)
        .map_err(|e| BuildError::other(format!("failed to presign the request: {e}")))
}

/// Moves a form-encoded body (`application/x-www-form-urlencoded`, what
/// awsQuery and ec2Query send) into the query string and makes the request
/// a `GET`: a URL has no body. The form is already encoded per RFC 3986, as
/// a query string is.
fn form_body_into_query(request: &mut http::Request<Bytes>) -> Result<(), BuildError> {
    let is_form = request
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| {
            value
                .split(';')
                .next()
                .is_some_and(|mime| mime.trim() == crate::__private::query::CONTENT_TYPE)
        });
    if !is_form {
        return Ok(());
    }
    let form = std::str::from_utf8(request.body())
        .map_err(|_| BuildError::other("the form body to presign is not UTF-8"))?
        .to_owned();
    let mut target = request
        .uri()
        .path_and_query()
        .map_or_else(|| "/".to_owned(), |pq| pq.as_str().to_owned());
    if !form.is_empty() {
        target.push(if target.contains('?') { '&' } else { '?' });
        target.push_str(&form);
    }
    let mut parts = request.uri().clone().into_parts();
    parts.path_and_query = Some(
        target
            .parse()
            .map_err(|_| BuildError::other("the presigned query string is invalid"))?,
    );
    *request.uri_mut() = http::Uri::from_parts(parts)
        .map_err(|_| BuildError::other("the presigned URI is invalid"))?;
    *request.method_mut() = http::Method::GET;
    *request.body_mut() = Bytes::new();
    request.headers_mut().remove(CONTENT_TYPE);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{ErrorMetadata, Protocol, ProvideErrorMetadata, ServiceMetadata};
    use std::time::UNIX_EPOCH;

    #[derive(Debug)]
    struct NoError(ErrorMetadata);

    impl fmt::Display for NoError {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("no error")
        }
    }

    impl std::error::Error for NoError {}

    impl ProvideErrorMetadata for NoError {
        fn meta(&self) -> &ErrorMetadata {
            &self.0
        }
    }

    /// `$op` of `$service`: `serialize` is `$serialize(input, endpoint)`.
    macro_rules! operation {
        ($op:ident, $service:ident, $serialize:expr) => {
            struct $op;

            impl Operation for $op {
                type Input = String;
                type Output = ();
                type Error = NoError;
                const NAME: &'static str = stringify!($op);
                const SERVICE: &'static ServiceMetadata = &$service;

                fn serialize(
                    input: &String,
                    endpoint: &Endpoint,
                ) -> Result<http::Request<Bytes>, BuildError> {
                    let serialize: fn(&str, &Endpoint) -> http::request::Builder = $serialize;
                    serialize(input, endpoint)
                        .body(Bytes::new())
                        .map_err(|e| BuildError::other(e.to_string()))
                }

                fn deserialize(_: http::Response<Bytes>) -> Result<(), Error<NoError>> {
                    Ok(())
                }
            }
        };
    }

    static S3: ServiceMetadata = ServiceMetadata {
        shape_id: "com.amazonaws.s3#AmazonS3",
        sdk_id: "S3",
        api_version: "2006-03-01",
        signing_name: "s3",
        endpoint_prefix: "s3",
        protocol: Protocol::RestXml,
    };

    static STS: ServiceMetadata = ServiceMetadata {
        shape_id: "com.amazonaws.sts#AWSSecurityTokenServiceV20110615",
        sdk_id: "STS",
        api_version: "2011-06-15",
        signing_name: "sts",
        endpoint_prefix: "sts",
        protocol: Protocol::AwsQuery,
    };

    // GET of the key given as input, with a `content-length: 0` that a
    // presigned request must not sign.
    operation!(GetObject, S3, |key, endpoint| {
        http::Request::get(format!("{}/{key}", endpoint.url())).header(CONTENT_LENGTH, "0")
    });

    // The awsQuery request of STS GetCallerIdentity, as the generated code
    // builds it (the form body is added in `serialize_form` below).
    struct GetCallerIdentity;

    impl Operation for GetCallerIdentity {
        type Input = String;
        type Output = ();
        type Error = NoError;
        const NAME: &'static str = "GetCallerIdentity";
        const SERVICE: &'static ServiceMetadata = &STS;

        fn serialize(
            _input: &String,
            endpoint: &Endpoint,
        ) -> Result<http::Request<Bytes>, BuildError> {
            let writer = crate::__private::query::Writer::new("GetCallerIdentity", "2011-06-15");
            crate::__private::query::request(writer).build(endpoint)
        }

        fn deserialize(_: http::Response<Bytes>) -> Result<(), Error<NoError>> {
            Ok(())
        }
    }

    fn config(endpoint_url: Option<&str>) -> Config {
        let mut builder = Config::builder().region("us-east-1");
        if let Some(url) = endpoint_url {
            builder = builder.endpoint_url(url);
        }
        builder.build()
    }

    fn query_of(request: &PresignedRequest) -> Vec<(String, String)> {
        request
            .uri()
            .query()
            .unwrap_or_default()
            .split('&')
            .map(|pair| {
                let (name, value) = pair.split_once('=').unwrap();
                (name.to_owned(), value.to_owned())
            })
            .collect()
    }

    /// The example of the S3 documentation, "Authenticating Requests: Using
    /// Query Parameters": GET `examplebucket/test.txt` on 2013-05-24 for a
    /// day; the signature is the one the documentation prints.
    #[test]
    fn s3_get_matches_the_documented_presigned_url() {
        let credentials = Credentials::new(
            "AKIAIOSFODNN7EXAMPLE",
            "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
            None,
        );
        let presigning = PresigningConfig::expires_in(Duration::from_secs(86_400))
            .unwrap()
            .start_time(UNIX_EPOCH + Duration::from_secs(1_369_353_600));
        let request = presign::<GetObject>(
            &"test.txt".to_owned(),
            &config(Some("https://examplebucket.s3.amazonaws.com")),
            &credentials,
            &presigning,
        )
        .unwrap();
        assert_eq!(request.method(), http::Method::GET);
        assert_eq!(
            request.uri().to_string(),
            "https://examplebucket.s3.amazonaws.com/test.txt\
             ?X-Amz-Algorithm=AWS4-HMAC-SHA256\
             &X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request\
             &X-Amz-Date=20130524T000000Z&X-Amz-SignedHeaders=host&X-Amz-Expires=86400\
             &X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404"
        );
        assert!(request.headers().is_empty(), "{:?}", request.headers());
    }

    #[test]
    fn a_session_token_goes_into_the_url_and_not_into_debug() {
        let credentials = Credentials::new("ASIAEXAMPLE", "secret", Some("the/token+".into()));
        let presigning = PresigningConfig::expires_in(Duration::from_secs(60)).unwrap();
        let request = presign::<GetObject>(
            &"a.txt".to_owned(),
            &config(Some("https://examplebucket.s3.amazonaws.com")),
            &credentials,
            &presigning,
        )
        .unwrap();
        let query = query_of(&request);
        assert!(query.contains(&("X-Amz-Security-Token".into(), "the%2Ftoken%2B".into())));
        let shown = format!("{request:?}");
        assert!(!shown.contains("token"), "{shown}");
        assert!(!shown.contains("X-Amz-Signature"), "{shown}");
    }

    /// The EKS token: STS GetCallerIdentity presigned for 60 s with the
    /// cluster name in a signed `x-k8s-aws-id` header. The form body becomes
    /// the query of a GET, signed with the hash of the empty body.
    #[test]
    fn aws_query_moves_the_form_into_the_query_of_a_get() {
        let credentials = Credentials::new("AKIDEXAMPLE", "secret", None);
        let time = UNIX_EPOCH + Duration::from_secs(1_440_938_160);
        let presigning = PresigningConfig::expires_in(Duration::from_secs(60))
            .unwrap()
            .start_time(time)
            .header("x-k8s-aws-id", "my-cluster")
            .unwrap();
        let request =
            presign::<GetCallerIdentity>(&String::new(), &config(None), &credentials, &presigning)
                .unwrap();
        assert_eq!(request.method(), http::Method::GET);
        assert_eq!(request.uri().host(), Some("sts.us-east-1.amazonaws.com"));
        assert_eq!(request.uri().path(), "/");
        let query = query_of(&request);
        let names: Vec<&str> = query.iter().map(|(name, _)| name.as_str()).collect();
        assert_eq!(
            names,
            [
                "Action",
                "Version",
                "X-Amz-Algorithm",
                "X-Amz-Credential",
                "X-Amz-Date",
                "X-Amz-SignedHeaders",
                "X-Amz-Expires",
                "X-Amz-Signature"
            ]
        );
        assert_eq!(query[0].1, "GetCallerIdentity");
        assert_eq!(query[1].1, "2011-06-15");
        assert_eq!(
            query[3].1,
            "AKIDEXAMPLE%2F20150830%2Fus-east-1%2Fsts%2Faws4_request"
        );
        assert_eq!(query[4].1, "20150830T123600Z");
        assert_eq!(query[5].1, "host%3Bx-k8s-aws-id");
        assert_eq!(query[6].1, "60");
        // The same GET signed directly: the signature covers the empty
        // body's hash, not `UNSIGNED-PAYLOAD`, and no content type.
        let signable = sigv4::SignableRequest {
            method: "GET",
            uri: "/?Action=GetCallerIdentity&Version=2011-06-15",
            headers: &[
                ("host", "sts.us-east-1.amazonaws.com"),
                ("x-k8s-aws-id", "my-cluster"),
            ],
            body: sigv4::SignableBody::Bytes(b""),
        };
        let mut settings = SigningSettings::for_service("sts");
        settings.location = SignatureLocation::QueryParams {
            expires_in: Duration::from_secs(60),
        };
        let expected = sigv4::sign(
            &signable,
            &SigningParams {
                credentials: &credentials,
                region: "us-east-1",
                service: "sts",
                time,
                settings,
            },
        )
        .unwrap();
        assert_eq!(query[7].1, expected.signature());
        let headers: Vec<_> = request.headers().iter().collect();
        assert_eq!(headers.len(), 1, "{headers:?}");
        assert_eq!(request.headers()["x-k8s-aws-id"], "my-cluster");
    }

    #[test]
    fn expiry_is_between_one_second_and_seven_days() {
        assert!(PresigningConfig::expires_in(MAX_PRESIGNED_EXPIRY).is_ok());
        let too_long = PresigningConfig::expires_in(MAX_PRESIGNED_EXPIRY + Duration::from_secs(1))
            .unwrap_err();
        assert!(too_long.to_string().contains("7 days"), "{too_long}");
        assert!(PresigningConfig::expires_in(Duration::from_millis(500)).is_err());
    }

    #[test]
    fn invalid_extra_headers_are_refused() {
        let presigning = PresigningConfig::expires_in(Duration::from_secs(60)).unwrap();
        assert!(presigning.clone().header("bad name", "v").is_err());
        assert!(presigning.header("x-ok", "bad\nvalue").is_err());
    }

    #[test]
    fn no_region_is_an_endpoint_error() {
        let credentials = Credentials::new("AKID", "secret", None);
        let presigning = PresigningConfig::expires_in(Duration::from_secs(60)).unwrap();
        let error = presign::<GetObject>(
            &"k".to_owned(),
            &Config::builder().build(),
            &credentials,
            &presigning,
        )
        .unwrap_err();
        assert!(matches!(error, Error::Endpoint(_)), "{error:?}");
    }
}
