//! How the credential providers that call an AWS service (STS, SSO) reach
//! it: a region, an endpoint, an HTTP client, and what to say when the
//! call fails.

#[cfg(feature = "sts-credentials")]
use super::Credentials;
use super::CredentialsError;
use crate::profile::Env;
#[cfg(feature = "sts-credentials")]
use crate::{Client, SharedCredentialsProvider};
use crate::{Config, SharedHttpClient};

/// The configuration of a provider's calls: a whole [`Config`] when the
/// user gave one, else one made from the environment; plus an HTTP client
/// given on its own.
#[derive(Debug, Clone, Default)]
pub(crate) struct ServiceConfig {
    config: Option<Config>,
    http_client: Option<SharedHttpClient>,
}

impl ServiceConfig {
    /// Calls the service with `config`'s region, endpoint, HTTP client and
    /// timeouts (its credentials provider is not used).
    pub(crate) fn with_config(mut self, config: Config) -> Self {
        self.config = Some(config);
        self
    }

    pub(crate) fn with_http_client(mut self, client: SharedHttpClient) -> Self {
        self.http_client = Some(client);
        self
    }

    /// A client for one call, signing with `credentials` or, without them,
    /// sending the request unsigned; see [`ServiceConfig::config`].
    #[cfg(feature = "sts-credentials")]
    pub(crate) fn client(
        &self,
        env: &Env,
        default_region: impl FnOnce() -> String,
        endpoint_variable: &str,
        credentials: Option<Credentials>,
    ) -> Client {
        let mut config = self.config(env, default_region, endpoint_variable);
        config.anonymous = credentials.is_none();
        config.credentials_provider = credentials.map(SharedCredentialsProvider::new);
        Client::new(config)
    }

    /// The configuration of a call: the one given, else the region
    /// `default_region()` and the endpoint of `endpoint_variable` (e.g.
    /// `AWS_ENDPOINT_URL_STS`), else of `AWS_ENDPOINT_URL`; with the HTTP
    /// client given on its own unless the configuration has one.
    pub(crate) fn config(
        &self,
        env: &Env,
        default_region: impl FnOnce() -> String,
        endpoint_variable: &str,
    ) -> Config {
        let mut config = match &self.config {
            Some(config) => config.clone(),
            None => {
                let mut builder = Config::builder().region(default_region());
                if let Some(url) = env
                    .get_non_empty(endpoint_variable)
                    .or_else(|| env.get_non_empty("AWS_ENDPOINT_URL"))
                {
                    builder = builder.endpoint_url(url);
                }
                builder.build()
            }
        };
        if let (Some(client), None) = (&self.http_client, &config.http_client) {
            config.http_client = Some(client.clone());
        }
        config
    }
}

/// What failed in `operation` for `subject` (a role ARN, a profile): the
/// error, and the service's code and message (which these services never
/// fill with the token that was sent), or the cause of any other failure.
pub(crate) fn call_error<E>(
    operation: &str,
    subject: &str,
    error: &crate::Error<E>,
) -> CredentialsError
where
    E: std::error::Error + crate::ProvideErrorMetadata + 'static,
{
    let mut message = format!("{operation} of {subject} failed: {error}");
    if let Some(service) = error.as_service_error() {
        let meta = service.meta();
        if let Some(code) = meta.code() {
            message.push_str(&format!(" ({code}"));
            if let Some(text) = meta.message() {
                message.push_str(&format!(": {text}"));
            }
            message.push(')');
        }
    } else if let Some(source) = std::error::Error::source(error) {
        message.push_str(&format!(": {source}"));
    }
    CredentialsError::new(message)
}
