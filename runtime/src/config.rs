//! What a client is configured with: [`Config`], built with
//! [`ConfigBuilder`] or read from the environment and the profile files by
//! [`Config::from_env`].

use crate::credentials::DefaultCredentialsChain;
use crate::http_client::DEFAULT_CONNECT_TIMEOUT;
use crate::profile::{Env, Fs};
use crate::region;
use crate::retry::{AsyncSleep, RetryConfig, SharedAsyncSleep};
use crate::{
    HttpClient, ProvideCredentials, RequestChecksumCalculation, RequestCompression,
    ResponseChecksumValidation, SharedCredentialsProvider, SharedHttpClient,
};
use std::fmt;
use std::time::Duration;

/// The default bound on a whole call, so that no call hangs forever.
const DEFAULT_OPERATION_TIMEOUT: Duration = Duration::from_secs(60);

/// The default limit on a successful response body that is read into
/// memory (64 MiB): far above what AWS APIs return outside `@streaming`
/// outputs, which are not read into memory and so not limited. Change it
/// with [`ConfigBuilder::max_response_body`].
pub const DEFAULT_MAX_RESPONSE_BODY: usize = 64 * 1024 * 1024;

/// The default [`ConfigBuilder::event_stream_idle_timeout`]: 60 s.
pub const DEFAULT_EVENT_STREAM_IDLE_TIMEOUT: Duration = Duration::from_secs(60);

/// How much of an error response body (any status but 2xx) is read
/// (1 MiB): AWS error bodies are a few hundred bytes. Past it the rest is
/// dropped unread and the error is parsed from what was read; the error
/// code of most protocols is also in a header, so a cut body still yields
/// the service error (or, when what was read does not parse,
/// [`Error::Response`](crate::Error::Response), retried like the status).
pub const MAX_ERROR_RESPONSE_BODY: usize = 1024 * 1024;

/// Client configuration: region, credentials, endpoint, HTTP client,
/// timeouts and user agent. Build one with [`Config::builder`] or read the
/// environment with [`Config::from_env`].
///
/// `Debug` never shows credentials, nor the userinfo (`user:password@`) or
/// the query of the endpoint URL; [`Config::endpoint_url`] returns it whole.
#[derive(Clone)]
pub struct Config {
    pub(crate) region: Option<String>,
    pub(crate) credentials_provider: Option<SharedCredentialsProvider>,
    pub(crate) endpoint_url: Option<String>,
    pub(crate) use_fips: bool,
    pub(crate) use_dual_stack: bool,
    pub(crate) force_path_style: bool,
    pub(crate) accelerate: bool,
    pub(crate) http_client: Option<SharedHttpClient>,
    pub(crate) app_name: Option<String>,
    pub(crate) connect_timeout: Duration,
    pub(crate) attempt_timeout: Option<Duration>,
    pub(crate) operation_timeout: Option<Duration>,
    pub(crate) event_stream_idle_timeout: Option<Duration>,
    pub(crate) request_compression: RequestCompression,
    pub(crate) request_checksum_calculation: RequestChecksumCalculation,
    pub(crate) response_checksum_validation: ResponseChecksumValidation,
    pub(crate) retry_config: RetryConfig,
    pub(crate) sleep: Option<SharedAsyncSleep>,
    pub(crate) max_response_body: usize,
    /// Send requests unsigned: for the few calls that take no credentials
    /// (STS `AssumeRoleWithWebIdentity`), made by opgen's own providers.
    pub(crate) anonymous: bool,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            region: None,
            credentials_provider: None,
            endpoint_url: None,
            use_fips: false,
            use_dual_stack: false,
            force_path_style: false,
            accelerate: false,
            http_client: None,
            app_name: None,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            attempt_timeout: None,
            operation_timeout: Some(DEFAULT_OPERATION_TIMEOUT),
            event_stream_idle_timeout: Some(DEFAULT_EVENT_STREAM_IDLE_TIMEOUT),
            request_compression: RequestCompression::default(),
            request_checksum_calculation: RequestChecksumCalculation::default(),
            response_checksum_validation: ResponseChecksumValidation::default(),
            retry_config: RetryConfig::standard(),
            sleep: None,
            max_response_body: DEFAULT_MAX_RESPONSE_BODY,
            anonymous: false,
        }
    }
}

impl Config {
    /// A builder with the defaults: no region, no credentials provider, the
    /// default HTTP client, connect timeout 3.1 s, no attempt timeout, an
    /// operation timeout of 60 s (so that a call never hangs forever) and
    /// [`RetryConfig::standard`] retries (3 attempts).
    pub fn builder() -> ConfigBuilder {
        ConfigBuilder::default()
    }

    /// The configuration from the process environment and the profile
    /// files, as the AWS SDKs find it:
    ///
    /// - region: `AWS_REGION`, else `AWS_DEFAULT_REGION`, else the profile's
    ///   `region` (see [`region::default_region`](crate::region::default_region));
    /// - credentials: the [`DefaultCredentialsChain`](crate::credentials::DefaultCredentialsChain)
    ///   (environment, profile files with `credential_process`, container,
    ///   EC2 instance metadata), cached until shortly before they expire;
    /// - `AWS_ENDPOINT_URL` (endpoint override), `AWS_USE_FIPS_ENDPOINT`,
    ///   `AWS_USE_DUALSTACK_ENDPOINT`, `AWS_SDK_UA_APP_ID` (app name),
    ///   `AWS_DISABLE_REQUEST_COMPRESSION`, `AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES`;
    /// - `AWS_REQUEST_CHECKSUM_CALCULATION` and
    ///   `AWS_RESPONSE_CHECKSUM_VALIDATION` (`when_supported` or
    ///   `when_required`), else the profile's `request_checksum_calculation`
    ///   and `response_checksum_validation`; other values leave the default.
    ///
    /// Never fails: a missing region or missing credentials make each call
    /// fail with [`Error::Endpoint`](crate::Error::Endpoint) or [`Error::Credentials`](crate::Error::Credentials), saying what
    /// was looked for.
    pub fn from_env() -> Config {
        Self::from_env_with(Env::real(), Fs::real())
    }

    /// Like [`Config::from_env`], with variables read through `env` and
    /// profile files through `fs` (for tests, or to configure a client from
    /// somewhere other than the process).
    pub fn from_env_with(env: Env, fs: Fs) -> Config {
        let flag = |name: &str| {
            env.get_non_empty(name)
                .is_some_and(|value| value.eq_ignore_ascii_case("true"))
        };
        Config {
            region: region::default_region_with(&env, &fs),
            endpoint_url: env.get_non_empty("AWS_ENDPOINT_URL"),
            use_fips: flag("AWS_USE_FIPS_ENDPOINT"),
            use_dual_stack: flag("AWS_USE_DUALSTACK_ENDPOINT"),
            app_name: env.get_non_empty("AWS_SDK_UA_APP_ID"),
            request_compression: RequestCompression::from_env_with(|name| env.get(name)),
            request_checksum_calculation: setting(
                &env,
                &fs,
                "AWS_REQUEST_CHECKSUM_CALCULATION",
                "request_checksum_calculation",
            )
            .and_then(|v| RequestChecksumCalculation::from_name(&v))
            .unwrap_or_default(),
            response_checksum_validation: setting(
                &env,
                &fs,
                "AWS_RESPONSE_CHECKSUM_VALIDATION",
                "response_checksum_validation",
            )
            .and_then(|v| ResponseChecksumValidation::from_name(&v))
            .unwrap_or_default(),
            credentials_provider: Some(SharedCredentialsProvider::new(
                DefaultCredentialsChain::from_env_with(env.clone(), fs),
            )),
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

    /// Whether FIPS endpoints are used.
    pub fn use_fips(&self) -> bool {
        self.use_fips
    }

    /// Whether dual-stack (IPv4 and IPv6) endpoints are used.
    pub fn use_dual_stack(&self) -> bool {
        self.use_dual_stack
    }

    /// Whether S3 buckets are addressed in the path rather than the host
    /// name.
    pub fn force_path_style(&self) -> bool {
        self.force_path_style
    }

    /// Whether S3 Transfer Acceleration endpoints are used.
    pub fn accelerate(&self) -> bool {
        self.accelerate
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

    /// The longest wait for the next bytes of an output event stream.
    pub fn event_stream_idle_timeout(&self) -> Option<Duration> {
        self.event_stream_idle_timeout
    }

    /// When request bodies are compressed.
    pub fn request_compression(&self) -> RequestCompression {
        self.request_compression
    }

    /// When request checksums are computed.
    pub fn request_checksum_calculation(&self) -> RequestChecksumCalculation {
        self.request_checksum_calculation
    }

    /// When response checksums are validated.
    pub fn response_checksum_validation(&self) -> ResponseChecksumValidation {
        self.response_checksum_validation
    }

    /// How failed attempts are retried.
    pub fn retry_config(&self) -> &RetryConfig {
        &self.retry_config
    }

    /// The limit on a successful response body read into memory, in bytes
    /// (see [`ConfigBuilder::max_response_body`]).
    pub fn max_response_body(&self) -> usize {
        self.max_response_body
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
            .field(
                "endpoint_url",
                &self
                    .endpoint_url
                    .as_deref()
                    .map(crate::endpoint::redact_url),
            )
            .field("use_fips", &self.use_fips)
            .field("use_dual_stack", &self.use_dual_stack)
            .field("force_path_style", &self.force_path_style)
            .field("accelerate", &self.accelerate)
            .field("http_client", &self.http_client)
            .field("app_name", &self.app_name)
            .field("connect_timeout", &self.connect_timeout)
            .field("attempt_timeout", &self.attempt_timeout)
            .field("operation_timeout", &self.operation_timeout)
            .field("event_stream_idle_timeout", &self.event_stream_idle_timeout)
            .field("request_compression", &self.request_compression)
            .field(
                "request_checksum_calculation",
                &self.request_checksum_calculation,
            )
            .field(
                "response_checksum_validation",
                &self.response_checksum_validation,
            )
            .field("retry_config", &self.retry_config)
            .field("sleep", &self.sleep)
            .field("max_response_body", &self.max_response_body)
            .finish()
    }
}

/// A setting from the variable `var`, else from `key` of the selected
/// profile; the files are read only when the variable is unset.
fn setting(env: &Env, fs: &Fs, var: &str, key: &str) -> Option<String> {
    env.get_non_empty(var).or_else(|| {
        let profiles = crate::profile::ProfileSet::load(env, fs);
        let value = profiles.selected()?.get(key)?.trim();
        (!value.is_empty()).then(|| value.to_owned())
    })
}

/// Builds a [`Config`]; see [`Config::builder`] for the defaults.
#[derive(Debug, Clone, Default)]
pub struct ConfigBuilder {
    pub(crate) config: Config,
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

    /// Calls the service's FIPS 140 endpoint (`AWS::UseFIPS` of the endpoint
    /// rules; default off, or `AWS_USE_FIPS_ENDPOINT=true` through
    /// [`Config::from_env`]). A region or partition without one fails the
    /// call with the rule set's [`Error::Endpoint`](crate::Error::Endpoint) message.
    pub fn use_fips(mut self, use_fips: bool) -> Self {
        self.config.use_fips = use_fips;
        self
    }

    /// Calls the service's dual-stack (IPv4 and IPv6) endpoint
    /// (`AWS::UseDualStack`; default off, or `AWS_USE_DUALSTACK_ENDPOINT=true`).
    pub fn use_dual_stack(mut self, use_dual_stack: bool) -> Self {
        self.config.use_dual_stack = use_dual_stack;
        self
    }

    /// Addresses S3 buckets in the path (`https://s3.{region}.amazonaws.com/{bucket}/{key}`)
    /// instead of the host name (`https://{bucket}.s3.{region}.amazonaws.com/{key}`),
    /// as S3-compatible stores and buckets whose names are not valid host
    /// labels need (`AWS::S3::ForcePathStyle` of the endpoint rules; default
    /// off). Services other than S3 ignore it.
    pub fn force_path_style(mut self, force_path_style: bool) -> Self {
        self.config.force_path_style = force_path_style;
        self
    }

    /// Calls S3 Transfer Acceleration endpoints (`AWS::S3::Accelerate`;
    /// default off). Services other than S3 ignore it.
    pub fn accelerate(mut self, accelerate: bool) -> Self {
        self.config.accelerate = accelerate;
        self
    }

    /// The HTTP client to send requests with, instead of the default
    /// [`DefaultHttpClient`](crate::DefaultHttpClient). The connect timeout
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
    /// whole response (default: none, only the operation timeout applies,
    /// since a limit that suits small calls would cut large responses that
    /// are merely slow). Exceeding it fails the attempt with
    /// [`Error::Timeout`](crate::Error::Timeout) (`which() == "attempt"`), which is retried like
    /// a dropped connection.
    pub fn attempt_timeout(mut self, timeout: Duration) -> Self {
        self.config.attempt_timeout = Some(timeout);
        self
    }

    /// The limit on a whole call, every attempt and every backoff included
    /// (default 60 s). Exceeding it fails the call with [`Error::Timeout`](crate::Error::Timeout)
    /// (`which() == "operation"`), never retried. Use [`Duration::MAX`] for
    /// no limit: then no timer is set, which a client outside Tokio needs
    /// (see [`Client::send`](crate::Client::send)).
    pub fn operation_timeout(mut self, timeout: Duration) -> Self {
        self.config.operation_timeout = Some(timeout);
        self
    }

    /// The longest an output event stream may stay silent (default 60 s):
    /// the stream then ends with a [`TimeoutError`](crate::TimeoutError)
    /// (`which() == "event stream idle"`). The operation and attempt
    /// timeouts end when the stream's response head arrives; this one
    /// guards each wait for more bytes after it, so that a connection that
    /// died without closing does not stall the reader forever. Raise it for
    /// streams that may legitimately pause longer; `Duration::MAX` turns
    /// it off.
    pub fn event_stream_idle_timeout(mut self, timeout: Duration) -> Self {
        self.config.event_stream_idle_timeout = Some(timeout);
        self
    }

    /// How failed attempts are retried (default
    /// [`RetryConfig::standard`]: 3 attempts); [`RetryConfig::disabled`]
    /// for one attempt per call.
    pub fn retry_config(mut self, retry_config: RetryConfig) -> Self {
        self.config.retry_config = retry_config;
        self
    }

    /// How the client waits between attempts (default: tokio's timer with
    /// the `rt-tokio` feature; without it and without this setting, calls
    /// are not retried). Timeouts still use tokio's timer, so a call with a
    /// timeout needs a Tokio runtime (see [`Client::send`](crate::Client::send)).
    pub fn sleep_impl(mut self, sleep: impl AsyncSleep + 'static) -> Self {
        self.config.sleep = Some(SharedAsyncSleep::new(sleep));
        self
    }

    /// When request bodies of `@requestCompression` operations are gzipped
    /// (default: bodies of 10 KiB or more, with the `gzip` feature; also
    /// read by [`Config::from_env`] from `AWS_DISABLE_REQUEST_COMPRESSION`
    /// and `AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES`).
    pub fn request_compression(mut self, settings: RequestCompression) -> Self {
        self.config.request_compression = settings;
        self
    }

    /// When request checksums of `@httpChecksum` operations are computed
    /// (default [`WhenSupported`](RequestChecksumCalculation::WhenSupported):
    /// whenever the operation takes one, e.g. S3 uploads; also read by
    /// [`Config::from_env`] from `AWS_REQUEST_CHECKSUM_CALCULATION`). Use
    /// [`WhenRequired`](RequestChecksumCalculation::WhenRequired) for
    /// S3-compatible stores that reject the default CRC32 checksum. See
    /// [`checksum`](crate::checksum).
    pub fn request_checksum_calculation(mut self, setting: RequestChecksumCalculation) -> Self {
        self.config.request_checksum_calculation = setting;
        self
    }

    /// When response checksums of `@httpChecksum` operations are validated
    /// (default [`WhenSupported`](ResponseChecksumValidation::WhenSupported):
    /// whenever the operation declares response algorithms, e.g. S3
    /// `GetObject`; also read from `AWS_RESPONSE_CHECKSUM_VALIDATION`). See
    /// [`checksum`](crate::checksum).
    pub fn response_checksum_validation(mut self, setting: ResponseChecksumValidation) -> Self {
        self.config.response_checksum_validation = setting;
        self
    }

    /// The limit, in bytes, on a successful response body, which is read
    /// into memory before it is parsed (default
    /// [`DEFAULT_MAX_RESPONSE_BODY`], 64 MiB; `usize::MAX` for none). A
    /// larger body, by its `content-length` or as it arrives, fails the
    /// call with [`Error::Response`](crate::Error::Response) whose
    /// [`is_too_large`](crate::ResponseError::is_too_large) is true, without
    /// retrying and without reading the rest.
    ///
    /// Not applied to `@streaming` outputs, which are handed over unread as
    /// a [`ByteStream`](crate::ByteStream). Error bodies are read up to
    /// [`MAX_ERROR_RESPONSE_BODY`] whatever this says. The limit applies
    /// to the body as the [`HttpClient`] returns it from
    /// [`call_streaming`](crate::HttpClient::call_streaming); a client
    /// that only implements [`call`](crate::HttpClient::call) has read the
    /// whole body before the limit is checked.
    pub fn max_response_body(mut self, bytes: usize) -> Self {
        self.config.max_response_body = bytes;
        self
    }

    /// The configuration.
    pub fn build(self) -> Config {
        self.config
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::{Client, Credentials};

    pub(crate) fn env(vars: &[(&str, &str)]) -> Env {
        Env::from_pairs(vars.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())))
    }

    /// A file system with only `~/.aws/config` (home `/home/u`), holding `config`.
    pub(crate) fn config_file(config: &'static str) -> Fs {
        Fs::from_fn(move |path: &std::path::Path| {
            if path == std::path::Path::new("/home/u/.aws/config") {
                Ok(config.as_bytes().to_vec())
            } else {
                Err(std::io::ErrorKind::NotFound.into())
            }
        })
    }

    #[test]
    fn from_env_prefers_aws_region_and_reads_the_endpoint() {
        let no_files = config_file("");
        let config = Config::from_env_with(
            env(&[
                ("AWS_REGION", "eu-central-1"),
                ("AWS_DEFAULT_REGION", "us-west-2"),
                ("AWS_ENDPOINT_URL", "http://localhost:4566"),
                ("AWS_USE_FIPS_ENDPOINT", "true"),
                ("AWS_USE_DUALSTACK_ENDPOINT", "TRUE"),
            ]),
            no_files.clone(),
        );
        assert_eq!(config.region(), Some("eu-central-1"));
        assert_eq!(config.endpoint_url(), Some("http://localhost:4566"));
        assert!(config.use_fips() && config.use_dual_stack());
        let config = Config::from_env_with(env(&[("AWS_DEFAULT_REGION", "us-west-2")]), no_files);
        assert_eq!(config.region(), Some("us-west-2"));
        assert_eq!(config.endpoint_url(), None);
        assert!(!config.use_fips() && !config.use_dual_stack());
        assert_eq!(config.operation_timeout(), Some(DEFAULT_OPERATION_TIMEOUT));
        assert_eq!(
            config.event_stream_idle_timeout(),
            Some(DEFAULT_EVENT_STREAM_IDLE_TIMEOUT)
        );
    }

    #[test]
    fn checksum_settings_come_from_the_variables_else_the_profile() {
        let files = config_file(
            "[default]\nrequest_checksum_calculation = WHEN_REQUIRED\nresponse_checksum_validation = when_required\n",
        );
        let home = ("HOME", "/home/u");
        let config = Config::from_env_with(env(&[home]), config_file(""));
        assert_eq!(
            config.request_checksum_calculation(),
            RequestChecksumCalculation::WhenSupported
        );
        assert_eq!(
            config.response_checksum_validation(),
            ResponseChecksumValidation::WhenSupported
        );
        let config = Config::from_env_with(env(&[home]), files.clone());
        assert_eq!(
            config.request_checksum_calculation(),
            RequestChecksumCalculation::WhenRequired
        );
        assert_eq!(
            config.response_checksum_validation(),
            ResponseChecksumValidation::WhenRequired
        );
        let config = Config::from_env_with(
            env(&[
                home,
                ("AWS_REQUEST_CHECKSUM_CALCULATION", "when_supported"),
                ("AWS_RESPONSE_CHECKSUM_VALIDATION", "nonsense"),
            ]),
            files,
        );
        assert_eq!(
            config.request_checksum_calculation(),
            RequestChecksumCalculation::WhenSupported
        );
        // A value that does not parse leaves the default, as the SDKs do.
        assert_eq!(
            config.response_checksum_validation(),
            ResponseChecksumValidation::WhenSupported
        );
    }

    #[test]
    fn from_env_falls_back_to_the_profile_region() {
        let files =
            config_file("[default]\nregion = ap-south-1\n[profile work]\nregion = sa-east-1\n");
        let config = Config::from_env_with(env(&[("HOME", "/home/u")]), files.clone());
        assert_eq!(config.region(), Some("ap-south-1"));
        let config =
            Config::from_env_with(env(&[("HOME", "/home/u"), ("AWS_PROFILE", "work")]), files);
        assert_eq!(config.region(), Some("sa-east-1"));
    }

    #[test]
    fn config_debug_hides_credentials() {
        let config = Config::builder()
            .endpoint_url("https://user:secret-pass@things.example:8443/base?token=secret-query")
            .build();
        let shown = format!("{config:?} {:?}", Client::new(config.clone()));
        assert!(!shown.contains("secret"), "{shown}");
        assert!(
            shown.contains("https://<redacted>@things.example:8443/base"),
            "{shown}"
        );
        assert_eq!(
            config.endpoint_url(),
            Some("https://user:secret-pass@things.example:8443/base?token=secret-query"),
        );

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
}
