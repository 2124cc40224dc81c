//! The client that sends generated operations.
//!
//! A call goes through these stages, each a function below so that retries
//! (a later addition) wrap [`Client::try_attempt`] without touching the rest:
//! resolve the endpoint, serialize, then per attempt: add the SDK headers,
//! load credentials, sign, transmit (bounded by the attempt timeout) and
//! deserialize; the whole call is bounded by the operation timeout.

use crate::http_client::{UnavailableHttpClient, DEFAULT_CONNECT_TIMEOUT};
use crate::sigv4::{self, SigningParams, SigningSettings};
use crate::{
    BuildError, CredentialsError, Endpoint, EndpointError, EnvironmentCredentials, Error,
    HttpClient, Operation, OperationInput, ProvideCredentials, ProvideCredentialsFuture,
    ServiceMetadata, SharedCredentialsProvider, SharedHttpClient, TimeoutError,
};
use bytes::Bytes;
use http::header::{HeaderName, HeaderValue, CONTENT_LENGTH, HOST, USER_AGENT};
use std::fmt;
use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

/// The default bound on a whole call, so that no call hangs forever.
const DEFAULT_OPERATION_TIMEOUT: Duration = Duration::from_secs(60);
const VERSION: &str = env!("CARGO_PKG_VERSION");

/// Client configuration: region, credentials, endpoint, HTTP client,
/// timeouts and user agent. Build one with [`Config::builder`] or read the
/// environment with [`Config::from_env`].
///
/// `Debug` never shows credentials.
#[derive(Clone)]
pub struct Config {
    region: Option<String>,
    credentials_provider: Option<SharedCredentialsProvider>,
    endpoint_url: Option<String>,
    http_client: Option<SharedHttpClient>,
    app_name: Option<String>,
    connect_timeout: Duration,
    attempt_timeout: Option<Duration>,
    operation_timeout: Option<Duration>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            region: None,
            credentials_provider: None,
            endpoint_url: None,
            http_client: None,
            app_name: None,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            attempt_timeout: None,
            operation_timeout: Some(DEFAULT_OPERATION_TIMEOUT),
        }
    }
}

impl Config {
    /// A builder with the defaults: no region, no credentials provider, the
    /// reqwest HTTP client, connect timeout 3.1 s, no attempt timeout and
    /// an operation timeout of 60 s.
    pub fn builder() -> ConfigBuilder {
        ConfigBuilder::default()
    }

    /// The configuration from the process environment: region from
    /// `AWS_REGION`, else `AWS_DEFAULT_REGION`; endpoint override from
    /// `AWS_ENDPOINT_URL`; app name from `AWS_SDK_UA_APP_ID`; credentials
    /// from [`EnvironmentCredentials`], read again at each call.
    ///
    /// Never fails: a missing region or missing credentials make each call
    /// fail with [`Error::Endpoint`] or [`Error::Credentials`].
    pub fn from_env() -> Config {
        let mut config = Self::from_env_with(|name| std::env::var(name).ok());
        config.credentials_provider =
            Some(SharedCredentialsProvider::new(EnvironmentCredentials::new()));
        config
    }

    /// Like [`Config::from_env`], with variables looked up through `get`
    /// (for tests). Credentials are read once, here; when they are missing,
    /// each call fails with [`Error::Credentials`] saying which variable.
    pub fn from_env_with(get: impl Fn(&str) -> Option<String>) -> Config {
        let non_empty = |name: &str| {
            get(name)
                .map(|value| value.trim().to_owned())
                .filter(|value| !value.is_empty())
        };
        let credentials_provider = match EnvironmentCredentials::load_from(&get) {
            Ok(credentials) => SharedCredentialsProvider::new(credentials),
            Err(error) => SharedCredentialsProvider::new(NoCredentials(error)),
        };
        Config {
            region: non_empty("AWS_REGION").or_else(|| non_empty("AWS_DEFAULT_REGION")),
            credentials_provider: Some(credentials_provider),
            endpoint_url: non_empty("AWS_ENDPOINT_URL"),
            app_name: non_empty("AWS_SDK_UA_APP_ID"),
            ..Config::default()
        }
    }

    /// A builder starting from this configuration.
    pub fn to_builder(&self) -> ConfigBuilder {
        ConfigBuilder {
            config: self.clone(),
        }
    }

    /// The region, e.g. `us-east-1`.
    pub fn region(&self) -> Option<&str> {
        self.region.as_deref()
    }

    /// The endpoint URL that replaces the resolved one.
    pub fn endpoint_url(&self) -> Option<&str> {
        self.endpoint_url.as_deref()
    }

    /// The app name added to the user agent.
    pub fn app_name(&self) -> Option<&str> {
        self.app_name.as_deref()
    }

    /// How long the default HTTP client waits for a connection.
    pub fn connect_timeout(&self) -> Duration {
        self.connect_timeout
    }

    /// The limit on one attempt (send and receive), if any.
    pub fn attempt_timeout(&self) -> Option<Duration> {
        self.attempt_timeout
    }

    /// The limit on a whole call, all attempts included, if any.
    pub fn operation_timeout(&self) -> Option<Duration> {
        self.operation_timeout
    }
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // A provider's own `Debug` may not redact, so only its presence is
        // shown.
        let credentials = self.credentials_provider.as_ref().map(|_| "<provider>");
        f.debug_struct("Config")
            .field("region", &self.region)
            .field("credentials_provider", &credentials)
            .field("endpoint_url", &self.endpoint_url)
            .field("http_client", &self.http_client)
            .field("app_name", &self.app_name)
            .field("connect_timeout", &self.connect_timeout)
            .field("attempt_timeout", &self.attempt_timeout)
            .field("operation_timeout", &self.operation_timeout)
            .finish()
    }
}

/// Builds a [`Config`]; see [`Config::builder`] for the defaults.
#[derive(Debug, Clone, Default)]
pub struct ConfigBuilder {
    config: Config,
}

impl ConfigBuilder {
    /// The region to call and sign for, e.g. `us-east-1`.
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.config.region = Some(region.into());
        self
    }

    /// Where credentials come from; a [`Credentials`](crate::Credentials)
    /// value is a provider of itself.
    pub fn credentials_provider(mut self, provider: impl ProvideCredentials + 'static) -> Self {
        self.config.credentials_provider = Some(SharedCredentialsProvider::new(provider));
        self
    }

    /// Sends every request to `url` (scheme, host, optional port and base
    /// path) instead of the resolved AWS endpoint, e.g. for a local mock.
    pub fn endpoint_url(mut self, url: impl Into<String>) -> Self {
        self.config.endpoint_url = Some(url.into());
        self
    }

    /// The HTTP client to send requests with, instead of the default
    /// [`ReqwestHttpClient`](crate::ReqwestHttpClient). The connect timeout
    /// is then the client's own business.
    pub fn http_client(mut self, client: impl HttpClient + 'static) -> Self {
        self.config.http_client = Some(SharedHttpClient::new(client));
        self
    }

    /// A name for the application, added to the user agent as `app/{name}`
    /// (characters not allowed in a user agent become `-`).
    pub fn app_name(mut self, name: impl Into<String>) -> Self {
        self.config.app_name = Some(name.into());
        self
    }

    /// How long the default HTTP client waits for a TCP and TLS connection
    /// (default 3.1 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.config.connect_timeout = timeout;
        self
    }

    /// The limit on one attempt, from sending the request to reading the
    /// whole response (default: none, only the operation timeout applies).
    /// Exceeding it fails the attempt with [`Error::Timeout`].
    pub fn attempt_timeout(mut self, timeout: Duration) -> Self {
        self.config.attempt_timeout = Some(timeout);
        self
    }

    /// The limit on a whole call (default 60 s). Exceeding it fails the
    /// call with [`Error::Timeout`]. Use [`Duration::MAX`] for no limit.
    pub fn operation_timeout(mut self, timeout: Duration) -> Self {
        self.config.operation_timeout = Some(timeout);
        self
    }

    /// The configuration.
    pub fn build(self) -> Config {
        self.config
    }
}

/// Sends generated operations: one client serves every operation of every
/// service. Cheap to clone; clones share the HTTP connection pool.
///
/// ```no_run
/// # async fn run<I: opgen::OperationInput>(input: I) {
/// let client = opgen::Client::new(
///     opgen::Config::builder()
///         .region("us-east-1")
///         .credentials_provider(opgen::Credentials::new("AKID", "SECRET", None))
///         .build(),
/// );
/// let result = client.send(input).await;
/// # }
/// ```
#[derive(Debug, Clone)]
pub struct Client {
    inner: Arc<ClientInner>,
}

#[derive(Debug)]
struct ClientInner {
    config: Config,
    http_client: SharedHttpClient,
}

/// What one attempt needs to know about the call it belongs to.
struct AttemptContext<'a> {
    region: &'a str,
    invocation_id: &'a str,
    attempt: u32,
    max_attempts: u32,
}

impl Client {
    /// A client with `config`. Never fails: if the default HTTP client
    /// cannot be built, each call fails with [`Error::Transport`] saying why.
    pub fn new(config: Config) -> Client {
        let http_client = match &config.http_client {
            Some(client) => client.clone(),
            None => default_http_client(config.connect_timeout),
        };
        Client {
            inner: Arc::new(ClientInner {
                config,
                http_client,
            }),
        }
    }

    /// A client configured from the environment; see [`Config::from_env`].
    pub fn from_env() -> Client {
        Client::new(Config::from_env())
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.inner.config
    }

    /// Sends `input` to its operation and returns the operation's output,
    /// or an [`Error`] naming the stage that failed.
    pub async fn send<I>(
        &self,
        input: I,
    ) -> Result<<I::Operation as Operation>::Output, Error<<I::Operation as Operation>::Error>>
    where
        I: OperationInput,
    {
        self.call::<I::Operation>(input).await
    }

    /// Sends `input` to the operation `O`, named explicitly:
    /// `client.call::<GetThing>(input)`.
    pub async fn call<O: Operation>(&self, input: O::Input) -> Result<O::Output, Error<O::Error>> {
        let limit = self.inner.config.operation_timeout;
        with_timeout(self.try_op::<O>(&input), limit, "operation").await
    }

    /// Everything but the operation timeout: resolve, serialize, attempt.
    async fn try_op<O: Operation>(&self, input: &O::Input) -> Result<O::Output, Error<O::Error>> {
        let config = &self.inner.config;
        // The region is also the signing scope, so it is required even with
        // an endpoint override.
        let region = config.region.as_deref().ok_or_else(|| {
            Error::Endpoint(EndpointError::new(
                "no region configured; set AWS_REGION or Config::builder().region(..)",
            ))
        })?;
        let endpoint = resolve_endpoint(config, region, O::SERVICE).map_err(Error::Endpoint)?;
        let request = O::serialize(input, &endpoint)?;
        let invocation_id = invocation_id();
        // Retries will loop here, each attempt signing a fresh copy.
        let context = AttemptContext {
            region,
            invocation_id: &invocation_id,
            attempt: 1,
            max_attempts: 1,
        };
        self.try_attempt::<O>(copy_request(&request), &endpoint, &context)
            .await
    }

    /// One attempt: headers, credentials, signature, transmit, deserialize.
    async fn try_attempt<O: Operation>(
        &self,
        mut request: http::Request<Bytes>,
        endpoint: &Endpoint,
        context: &AttemptContext<'_>,
    ) -> Result<O::Output, Error<O::Error>> {
        let config = &self.inner.config;
        add_headers(&mut request, endpoint, O::SERVICE, config, context).map_err(Error::Build)?;

        let provider = config.credentials_provider.as_ref().ok_or_else(|| {
            Error::Credentials(CredentialsError::new(
                "no credentials provider configured; set one with Config::builder().credentials_provider(..)",
            ))
        })?;
        let credentials = provider
            .provide_credentials()
            .await
            .map_err(Error::Credentials)?;
        let params = SigningParams {
            credentials: &credentials,
            region: context.region,
            service: O::SERVICE.signing_name,
            time: SystemTime::now(),
            settings: SigningSettings::default(),
        };
        sigv4::sign_http_request(&mut request, &params).map_err(|e| {
            Error::Build(BuildError::other(format!(
                "failed to sign the request: {e}"
            )))
        })?;

        let transmit = async {
            self.inner
                .http_client
                .call(request)
                .await
                .map_err(Error::Transport)
        };
        let response = with_timeout(transmit, config.attempt_timeout, "attempt").await?;
        O::deserialize(response)
    }
}

/// Awaits `future`, failing with [`Error::Timeout`] named `which` after
/// `limit`. Without the `rt-tokio` feature there is no timer, so no limit.
async fn with_timeout<T, E>(
    future: impl Future<Output = Result<T, Error<E>>>,
    limit: Option<Duration>,
    which: &'static str,
) -> Result<T, Error<E>> {
    #[cfg(feature = "rt-tokio")]
    if let Some(limit) = limit {
        return match tokio::time::timeout(limit, future).await {
            Ok(result) => result,
            Err(_elapsed) => Err(Error::Timeout(TimeoutError::new(which, limit))),
        };
    }
    // Without a timer the limits cannot be enforced; they stay in the
    // signature so that callers need no feature gates of their own.
    #[cfg(not(feature = "rt-tokio"))]
    let _ = (limit, which, TimeoutError::new);
    future.await
}

#[cfg(feature = "rustls")]
fn default_http_client(connect_timeout: Duration) -> SharedHttpClient {
    match crate::ReqwestHttpClient::with_connect_timeout(connect_timeout) {
        Ok(client) => SharedHttpClient::new(client),
        Err(error) => {
            let mut reason = error.to_string();
            if let Some(source) = std::error::Error::source(&error) {
                reason = format!("{reason}: {source}");
            }
            SharedHttpClient::new(UnavailableHttpClient::new(reason))
        }
    }
}

#[cfg(not(feature = "rustls"))]
fn default_http_client(_connect_timeout: Duration) -> SharedHttpClient {
    SharedHttpClient::new(UnavailableHttpClient::new(
        "no HTTP client: enable the `rustls` feature of opgen or set Config::builder().http_client(..)",
    ))
}

/// The endpoint for `service`: the configured override, else the standard
/// AWS host name of the region's partition.
fn resolve_endpoint(
    config: &Config,
    region: &str,
    service: &ServiceMetadata,
) -> Result<Endpoint, EndpointError> {
    if let Some(url) = &config.endpoint_url {
        let uri: http::Uri = url
            .parse()
            .map_err(|e| EndpointError::new(format!("invalid endpoint URL `{url}`: {e}")))?;
        if uri.scheme().is_none() || uri.authority().is_none() {
            return Err(EndpointError::new(format!(
                "invalid endpoint URL `{url}`: expected scheme://host[:port][/path]"
            )));
        }
        return Ok(Endpoint::new(url.clone()));
    }
    // The region becomes part of a host name, so it must be a valid label.
    let valid = !region.is_empty()
        && region
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if !valid {
        return Err(EndpointError::new(format!(
            "invalid region `{region}`; expected e.g. `us-east-1`"
        )));
    }
    let suffix = if region.starts_with("cn-") {
        "amazonaws.com.cn"
    } else {
        "amazonaws.com"
    };
    Ok(Endpoint::new(format!(
        "https://{}.{region}.{suffix}",
        service.endpoint_prefix
    )))
}

/// Adds what every attempt carries besides the signature: the endpoint's
/// headers, `host`, `content-length`, the user agents and the SDK
/// invocation headers.
fn add_headers(
    request: &mut http::Request<Bytes>,
    endpoint: &Endpoint,
    service: &ServiceMetadata,
    config: &Config,
    context: &AttemptContext<'_>,
) -> Result<(), BuildError> {
    let host = request
        .uri()
        .authority()
        .map(|authority| {
            authority
                .as_str()
                .rsplit('@')
                .next()
                .unwrap_or_default()
                .to_owned()
        })
        .ok_or_else(|| {
            BuildError::other(format!("the request URI `{}` has no host", request.uri()))
        })?;
    let body_len = request.body().len();
    let needs_length = body_len > 0
        || matches!(
            *request.method(),
            http::Method::POST | http::Method::PUT | http::Method::PATCH
        );
    let app = config.app_name.as_deref().map(ua_token);
    let os = std::env::consts::OS;
    let mut user_agent = format!("opgen/{VERSION} os/{os} lang/rust");
    let mut amz_user_agent = format!(
        "opgen/{VERSION} api/{}#{VERSION} os/{os} lang/rust",
        ua_token(&service.sdk_id.to_ascii_lowercase())
    );
    if let Some(app) = &app {
        user_agent.push_str(&format!(" app/{app}"));
        amz_user_agent.push_str(&format!(" app/{app}"));
    }

    let headers = request.headers_mut();
    for (name, value) in endpoint.headers() {
        let name = HeaderName::from_bytes(name.as_bytes())
            .map_err(|_| BuildError::other(format!("invalid endpoint header name `{name}`")))?;
        if !headers.contains_key(&name) {
            headers.insert(name, header_value(value)?);
        }
    }
    headers.insert(HOST, header_value(&host)?);
    if needs_length {
        headers.insert(CONTENT_LENGTH, HeaderValue::from(body_len));
    }
    headers.insert(USER_AGENT, header_value(&user_agent)?);
    headers.insert(
        HeaderName::from_static("x-amz-user-agent"),
        header_value(&amz_user_agent)?,
    );
    headers.insert(
        HeaderName::from_static("amz-sdk-invocation-id"),
        header_value(context.invocation_id)?,
    );
    headers.insert(
        HeaderName::from_static("amz-sdk-request"),
        header_value(&format!(
            "attempt={}; max={}",
            context.attempt, context.max_attempts
        ))?,
    );
    Ok(())
}

fn header_value(value: &str) -> Result<HeaderValue, BuildError> {
    HeaderValue::from_str(value)
        .map_err(|_| BuildError::other(format!("invalid header value `{value}`")))
}

/// `text` with every character not allowed in a user-agent token replaced
/// by `-`.
fn ua_token(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c) {
                c
            } else {
                '-'
            }
        })
        .collect()
}

/// A copy of `request` for one attempt (`http::Request` is not `Clone`
/// because of its extensions, which serialized requests do not use).
fn copy_request(request: &http::Request<Bytes>) -> http::Request<Bytes> {
    let mut copy = http::Request::new(request.body().clone());
    *copy.method_mut() = request.method().clone();
    *copy.uri_mut() = request.uri().clone();
    *copy.version_mut() = request.version();
    *copy.headers_mut() = request.headers().clone();
    copy
}

/// A random UUID v4 to tell the service which attempts belong to one call.
fn invocation_id() -> String {
    crate::__private::uuid_v4()
}

/// A provider that always fails with the error found when the environment
/// was read, so the failure surfaces at call time as [`Error::Credentials`].
#[derive(Debug)]
struct NoCredentials(CredentialsError);

impl ProvideCredentials for NoCredentials {
    fn provide_credentials(&self) -> ProvideCredentialsFuture<'_> {
        let error = self.0.clone();
        Box::pin(async move { Err(error) })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Credentials, HttpClientFuture, Protocol, ProvideErrorMetadata};
    use std::collections::HashMap;
    use std::sync::Mutex;

    static SERVICE: ServiceMetadata = ServiceMetadata {
        shape_id: "com.example#Things",
        sdk_id: "Things Service",
        api_version: "2024-01-01",
        signing_name: "things",
        endpoint_prefix: "things-api",
        protocol: Protocol::RestJson1,
    };

    #[derive(Debug)]
    struct Unreachable(crate::ErrorMetadata);

    impl fmt::Display for Unreachable {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("unreachable")
        }
    }

    impl std::error::Error for Unreachable {}

    impl ProvideErrorMetadata for Unreachable {
        fn meta(&self) -> &crate::ErrorMetadata {
            &self.0
        }
    }

    /// Posts its input string to `/things`; the output is the response body.
    struct PutThing;

    impl Operation for PutThing {
        type Input = String;
        type Output = String;
        type Error = Unreachable;
        const NAME: &'static str = "PutThing";
        const SERVICE: &'static ServiceMetadata = &SERVICE;

        fn serialize(
            input: &String,
            endpoint: &Endpoint,
        ) -> Result<http::Request<Bytes>, BuildError> {
            http::Request::post(format!("{}/things", endpoint.url()))
                .body(Bytes::from(input.clone()))
                .map_err(|e| BuildError::other(e.to_string()))
        }

        fn deserialize(response: http::Response<Bytes>) -> Result<String, Error<Unreachable>> {
            Ok(String::from_utf8_lossy(response.body()).into_owned())
        }
    }

    /// Records requests and answers `200 ok`.
    #[derive(Debug, Default, Clone)]
    struct Recorder(Arc<Mutex<Vec<http::Request<Bytes>>>>);

    impl HttpClient for Recorder {
        fn call(&self, request: http::Request<Bytes>) -> HttpClientFuture {
            self.0.lock().unwrap().push(request);
            Box::pin(async { Ok(http::Response::new(Bytes::from_static(b"ok"))) })
        }
    }

    fn env(vars: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let vars: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        move |name| vars.get(name).cloned()
    }

    #[test]
    fn endpoint_is_the_regional_host_or_the_override() {
        let config = Config::default();
        assert_eq!(
            resolve_endpoint(&config, "eu-west-3", &SERVICE)
                .unwrap()
                .url(),
            "https://things-api.eu-west-3.amazonaws.com"
        );
        assert_eq!(
            resolve_endpoint(&config, "cn-north-1", &SERVICE)
                .unwrap()
                .url(),
            "https://things-api.cn-north-1.amazonaws.com.cn"
        );
        assert!(resolve_endpoint(&config, "evil.com/x", &SERVICE).is_err());
        let config = Config::builder()
            .endpoint_url("http://127.0.0.1:9/base/")
            .build();
        assert_eq!(
            resolve_endpoint(&config, "us-east-1", &SERVICE)
                .unwrap()
                .url(),
            "http://127.0.0.1:9/base"
        );
        let config = Config::builder().endpoint_url("not a url").build();
        assert!(resolve_endpoint(&config, "us-east-1", &SERVICE).is_err());
    }

    #[test]
    fn from_env_prefers_aws_region_and_reads_the_endpoint() {
        let config = Config::from_env_with(env(&[
            ("AWS_REGION", "eu-central-1"),
            ("AWS_DEFAULT_REGION", "us-west-2"),
            ("AWS_ENDPOINT_URL", "http://localhost:4566"),
        ]));
        assert_eq!(config.region(), Some("eu-central-1"));
        assert_eq!(config.endpoint_url(), Some("http://localhost:4566"));
        let config = Config::from_env_with(env(&[("AWS_DEFAULT_REGION", "us-west-2")]));
        assert_eq!(config.region(), Some("us-west-2"));
        assert_eq!(config.endpoint_url(), None);
        assert_eq!(config.operation_timeout(), Some(DEFAULT_OPERATION_TIMEOUT));
    }

    #[test]
    fn config_debug_hides_credentials() {
        let config = Config::builder()
            .credentials_provider(Credentials::new(
                "AKID",
                "very-secret",
                Some("tok-123".into()),
            ))
            .build();
        let shown = format!("{config:?} {:?}", Client::new(config.clone()));
        assert!(!shown.contains("very-secret"), "{shown}");
        assert!(!shown.contains("tok-123"), "{shown}");
    }

    #[test]
    fn invocation_ids_are_distinct_uuid_v4() {
        let a = invocation_id();
        let b = invocation_id();
        assert_ne!(a, b);
        assert_eq!(a.len(), 36);
        assert_eq!(&a[14..15], "4");
        assert!(matches!(&a[19..20], "8" | "9" | "a" | "b"), "{a}");
        assert_eq!(a.matches('-').count(), 4);
    }

    #[test]
    fn app_name_is_sanitized_into_a_token() {
        assert_eq!(ua_token("my app/v1"), "my-app-v1");
    }

    #[tokio::test]
    async fn a_call_is_signed_and_carries_the_sdk_headers() {
        let recorder = Recorder::default();
        let client = Client::new(
            Config::builder()
                .region("us-east-1")
                .credentials_provider(Credentials::new("AKID", "SECRET", None))
                .http_client(recorder.clone())
                .app_name("unit test")
                .build(),
        );
        let output = client.call::<PutThing>("{}".into()).await.unwrap();
        assert_eq!(output, "ok");
        let requests = recorder.0.lock().unwrap();
        let request = &requests[0];
        assert_eq!(
            request.uri().to_string(),
            "https://things-api.us-east-1.amazonaws.com/things"
        );
        let headers = request.headers();
        assert_eq!(headers["host"], "things-api.us-east-1.amazonaws.com");
        assert_eq!(headers["content-length"], "2");
        assert_eq!(headers["amz-sdk-request"], "attempt=1; max=1");
        assert!(headers["user-agent"]
            .to_str()
            .unwrap()
            .starts_with(&format!("opgen/{VERSION} ")));
        assert!(headers["x-amz-user-agent"]
            .to_str()
            .unwrap()
            .contains("api/things-service#"));
        assert!(headers["user-agent"]
            .to_str()
            .unwrap()
            .ends_with(" app/unit-test"));
        let authorization = headers["authorization"].to_str().unwrap();
        assert!(
            authorization.contains("/us-east-1/things/aws4_request"),
            "{authorization}"
        );
        assert!(authorization.contains("amz-sdk-invocation-id;amz-sdk-request;content-length;host"));
    }

    #[tokio::test]
    async fn missing_region_and_credentials_are_errors() {
        let client = Client::new(Config::builder().http_client(Recorder::default()).build());
        let error = client.call::<PutThing>(String::new()).await.unwrap_err();
        assert!(matches!(error, Error::Endpoint(_)), "{error:?}");

        let client = Client::new(Config::from_env_with(env(&[("AWS_REGION", "us-east-1")])));
        let error = client.call::<PutThing>(String::new()).await.unwrap_err();
        match error {
            Error::Credentials(e) => assert_eq!(e.to_string(), "AWS_ACCESS_KEY_ID is not set"),
            other => panic!("expected a credentials error, got {other:?}"),
        }
    }
}
