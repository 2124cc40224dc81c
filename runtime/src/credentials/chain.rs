//! Trying credential sources in order.

#[cfg(feature = "container-credentials")]
use super::ContainerCredentials;
#[cfg(feature = "imds-credentials")]
use super::ImdsCredentials;
use super::{
    CachedCredentials, Credentials, CredentialsError, EnvironmentCredentials, ProfileCredentials,
    ProvideCredentials, ProvideCredentialsFuture, SharedCredentialsProvider,
};
use crate::profile::{Env, Fs};
use crate::{HttpClient, SharedHttpClient};
use std::time::Duration;

/// Tries named providers in order and returns the first credentials found.
///
/// A provider whose error is [not loaded](CredentialsError::is_not_loaded)
/// passes to the next; any other error stops the chain. The error when no
/// provider has credentials lists what each one said, by name.
#[derive(Debug, Clone, Default)]
pub struct CredentialsChain {
    providers: Vec<(String, SharedCredentialsProvider)>,
}

impl CredentialsChain {
    /// An empty chain.
    pub fn new() -> Self {
        CredentialsChain::default()
    }

    /// The chain with `provider`, named `name` in errors, tried last.
    pub fn or_else(
        mut self,
        name: impl Into<String>,
        provider: impl ProvideCredentials + 'static,
    ) -> Self {
        self.providers
            .push((name.into(), SharedCredentialsProvider::new(provider)));
        self
    }

    async fn load(&self) -> Result<Credentials, CredentialsError> {
        let mut reasons = Vec::with_capacity(self.providers.len());
        for (name, provider) in &self.providers {
            match provider.provide_credentials().await {
                Ok(credentials) => return Ok(credentials),
                Err(error) if error.is_not_loaded() => reasons.push(format!("{name}: {error}")),
                Err(error) => return Err(error.context(name)),
            }
        }
        Err(CredentialsError::not_loaded(if reasons.is_empty() {
            "no credentials found: the chain has no providers".to_owned()
        } else {
            format!("no credentials found ({})", reasons.join("; "))
        }))
    }
}

impl ProvideCredentials for CredentialsChain {
    fn provide_credentials(&self) -> ProvideCredentialsFuture<'_> {
        Box::pin(self.load())
    }
}

/// The standard chain of the AWS SDKs, cached: environment, profile files
/// (static keys, `credential_process`, with the `sts-credentials`
/// feature roles assumed through STS, with the `sso-credentials` feature
/// SSO profiles), web identity token
/// (`AWS_WEB_IDENTITY_TOKEN_FILE`, with `sts-credentials`), container
/// endpoint, EC2 instance metadata. See [the module documentation](super) for the details and
/// [`CachedCredentials`] for the caching.
///
/// The chain's error, when no source has credentials, says what each
/// source found, e.g. `no credentials found (environment: AWS_ACCESS_KEY_ID
/// is not set; profile: no profile files found; container: neither … is set;
/// IMDS: cannot reach http://169.254.169.254 …)`.
#[derive(Debug, Clone)]
pub struct DefaultCredentialsChain {
    env: Env,
    fs: Fs,
    http_client: Option<SharedHttpClient>,
    process_timeout: Option<Duration>,
    cached: CachedCredentials,
}

impl DefaultCredentialsChain {
    /// The chain over the process environment, the real files and the
    /// default HTTP client (built only if the container or IMDS source is
    /// reached).
    pub fn new() -> Self {
        Self::build(Env::real(), Fs::real(), None, None)
    }

    /// The chain reading variables through `env` and files through `fs`.
    pub fn from_env_with(env: Env, fs: Fs) -> Self {
        Self::build(env, fs, None, None)
    }

    /// The same chain (with an empty cache) sending the container and IMDS
    /// requests with `client`.
    pub fn with_http_client(self, client: impl HttpClient + 'static) -> Self {
        let client = Some(SharedHttpClient::new(client));
        Self::build(self.env, self.fs, client, self.process_timeout)
    }

    /// The same chain (with an empty cache) giving a profile's
    /// `credential_process` `timeout` to answer before it is killed
    /// (default
    /// [`DEFAULT_CREDENTIAL_PROCESS_TIMEOUT`](super::DEFAULT_CREDENTIAL_PROCESS_TIMEOUT),
    /// 5 s); see [`ProfileCredentials::with_process_timeout`].
    pub fn with_credential_process_timeout(self, timeout: Duration) -> Self {
        Self::build(self.env, self.fs, self.http_client, Some(timeout))
    }

    fn build(
        env: Env,
        fs: Fs,
        http_client: Option<SharedHttpClient>,
        process_timeout: Option<Duration>,
    ) -> Self {
        #[cfg(feature = "container-credentials")]
        let container = {
            let container = ContainerCredentials::new()
                .with_env(env.clone())
                .with_fs(fs.clone());
            match &http_client {
                Some(client) => container.with_http_client(client.clone()),
                None => container,
            }
        };
        #[cfg(not(feature = "container-credentials"))]
        let container = NotCompiledIn {
            what: "the container source",
            feature: "container-credentials",
            env: env.clone(),
            variables: &[
                "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
                "AWS_CONTAINER_CREDENTIALS_FULL_URI",
            ],
        };
        #[cfg(feature = "imds-credentials")]
        let imds = {
            let imds = ImdsCredentials::new().with_env(env.clone());
            match &http_client {
                Some(client) => imds.with_http_client(client.clone()),
                None => imds,
            }
        };
        #[cfg(not(feature = "imds-credentials"))]
        let imds = NotCompiledIn {
            what: "the IMDS source",
            feature: "imds-credentials",
            env: env.clone(),
            variables: &[],
        };
        let mut profile = ProfileCredentials::new()
            .with_env(env.clone())
            .with_fs(fs.clone());
        if let Some(timeout) = process_timeout {
            profile = profile.with_process_timeout(timeout);
        }
        if let Some(client) = &http_client {
            profile = profile.with_http_client(client.clone());
        }
        let chain = CredentialsChain::new()
            .or_else("environment", EnvironmentCredentials::with_env(env.clone()))
            .or_else("profile", profile);
        #[cfg(feature = "sts-credentials")]
        let chain = {
            let mut web_identity = super::WebIdentityCredentials::new()
                .with_env(env.clone())
                .with_fs(fs.clone());
            if let Some(client) = &http_client {
                web_identity = web_identity.with_http_client(client.clone());
            }
            chain.or_else("web identity", web_identity)
        };
        let chain = chain.or_else("container", container).or_else("IMDS", imds);
        DefaultCredentialsChain {
            env,
            fs,
            http_client,
            process_timeout,
            cached: CachedCredentials::new(chain),
        }
    }
}

/// Stands in the default chain for a source its cargo feature leaves out,
/// so that the chain's error says so; when one of `variables` is set the
/// environment asks for that source, and the chain stops with the error
/// rather than going on to another source.
#[cfg(not(all(feature = "container-credentials", feature = "imds-credentials")))]
#[derive(Debug)]
struct NotCompiledIn {
    what: &'static str,
    feature: &'static str,
    env: Env,
    variables: &'static [&'static str],
}

#[cfg(not(all(feature = "container-credentials", feature = "imds-credentials")))]
impl ProvideCredentials for NotCompiledIn {
    fn provide_credentials(&self) -> ProvideCredentialsFuture<'_> {
        let configured = self
            .variables
            .iter()
            .any(|name| self.env.get_non_empty(name).is_some());
        let error = super::not_compiled_in(self.what, self.feature, configured);
        Box::pin(async move { Err(error) })
    }
}

impl Default for DefaultCredentialsChain {
    fn default() -> Self {
        DefaultCredentialsChain::new()
    }
}

impl ProvideCredentials for DefaultCredentialsChain {
    fn provide_credentials(&self) -> ProvideCredentialsFuture<'_> {
        self.cached.provide_credentials()
    }
}

/// The chain without the sources whose features are off (run by CI with
/// `--no-default-features`).
#[cfg(all(
    test,
    not(feature = "container-credentials"),
    not(feature = "imds-credentials")
))]
mod tests {
    use super::*;
    use std::io;

    fn load(pairs: &[(&str, &str)]) -> Result<Credentials, CredentialsError> {
        let env = Env::from_pairs(pairs.iter().map(|&(k, v)| (k.to_owned(), v.to_owned())));
        let fs = Fs::from_fn(|_| Err(io::Error::from(io::ErrorKind::NotFound)));
        let chain = DefaultCredentialsChain::from_env_with(env, fs);
        tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap()
            .block_on(chain.provide_credentials())
    }

    #[test]
    fn left_out_sources_say_they_are_not_compiled_in() {
        let err = load(&[("HOME", "/nonexistent")]).unwrap_err();
        assert!(err.is_not_loaded(), "{err}");
        let message = err.to_string();
        for expected in [
            "container: the container source is not compiled in (enable the `container-credentials` feature of opgen)",
            "IMDS: the IMDS source is not compiled in (enable the `imds-credentials` feature of opgen)",
        ] {
            assert!(message.contains(expected), "{message}");
        }
    }

    #[test]
    fn a_container_variable_without_the_source_stops_the_chain() {
        let err = load(&[
            ("HOME", "/nonexistent"),
            ("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/v2/credentials"),
        ])
        .unwrap_err();
        assert!(!err.is_not_loaded(), "{err}");
        assert!(
            err.to_string().contains("`container-credentials` feature"),
            "{err}"
        );
    }

    #[cfg(not(feature = "process-credentials"))]
    #[test]
    fn a_credential_process_without_the_source_is_an_error() {
        let fs = Fs::from_fn(|path| {
            if path.ends_with("config") {
                Ok(b"[default]\ncredential_process = /bin/echo\n".to_vec())
            } else {
                Err(io::Error::from(io::ErrorKind::NotFound))
            }
        });
        let env = Env::from_pairs([("HOME".to_owned(), "/home/u".to_owned())]);
        let err = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap()
            .block_on(DefaultCredentialsChain::from_env_with(env, fs).provide_credentials())
            .unwrap_err();
        assert!(!err.is_not_loaded(), "{err}");
        assert!(
            err.to_string()
                .contains("`credential_process` (profile `default`) is not compiled in"),
            "{err}"
        );
    }
}
