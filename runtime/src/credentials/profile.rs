//! Credentials from the shared profile files.

#[cfg(feature = "process-credentials")]
use super::process;
use super::{
    Credentials, CredentialsError, ProvideCredentials, ProvideCredentialsFuture,
    DEFAULT_CREDENTIAL_PROCESS_TIMEOUT,
};
use crate::profile::{Env, Fs, Profile, ProfileSet};
use std::time::Duration;

/// Keys of profile kinds opgen implements only with a feature, in the
/// order the AWS SDKs check them before static keys and
/// `credential_process`, with what to do when the feature is off; then
/// the kind opgen does not implement (console login).
const UNSUPPORTED_KEYS: &[(&[&str], bool, &str)] = &[
    (
        &[
            "role_arn",
            "source_profile",
            "credential_source",
            "web_identity_token_file",
        ],
        cfg!(feature = "sts-credentials"),
        "enable the `sts-credentials` feature of opgen for roles",
    ),
    (
        &[
            "sso_session",
            "sso_start_url",
            "sso_account_id",
            "sso_role_name",
        ],
        cfg!(feature = "sso-credentials"),
        "enable the `sso-credentials` feature of opgen for SSO",
    ),
    (
        &["login_session"],
        false,
        "use static keys, credential_process, a role or SSO, or plug in an aws-config provider",
    ),
];

/// Credentials of a profile in `~/.aws/credentials` and `~/.aws/config`
/// (see [`crate::profile`] for how the files are found): static keys
/// (`aws_access_key_id`, `aws_secret_access_key`, `aws_session_token`) or
/// a `credential_process`, which takes precedence. The profile is
/// `AWS_PROFILE`, else `default`, unless one is named with
/// [`ProfileCredentials::with_profile_name`]. The files are read at each
/// call; wrap the provider in a
/// [`CachedCredentials`](super::CachedCredentials) to avoid that.
///
/// No profile files, no such profile, or a profile without any credential
/// keys is [not loaded](CredentialsError::is_not_loaded); a profile with
/// only one of the two keys, a failing process, a process that runs longer
/// than its timeout (default
/// [`DEFAULT_CREDENTIAL_PROCESS_TIMEOUT`](super::DEFAULT_CREDENTIAL_PROCESS_TIMEOUT),
/// 5 s; see [`ProfileCredentials::with_process_timeout`]), or a profile that assumes
/// a role (`role_arn`, `source_profile`, `credential_source`) or uses web
/// identity without the `sts-credentials` feature, or uses SSO without the
/// `sso-credentials` feature, is an error that names the profile and the
/// key. With the features (on by default) those profiles work: see
/// [`ProfileCredentials::with_sts_config`] and
/// [`ProfileCredentials::with_sso_config`]. For an SSO profile, the token
/// that `aws sso login` left in `~/.aws/sso/cache` must not have expired:
/// an expired or missing one is an error that says to run `aws sso login
/// --profile NAME` again.
#[derive(Debug, Clone, Default)]
pub struct ProfileCredentials {
    env: Env,
    fs: Fs,
    profile_name: Option<String>,
    /// `None` for [`DEFAULT_CREDENTIAL_PROCESS_TIMEOUT`].
    process_timeout: Option<Duration>,
    /// How STS is called for profiles that assume roles.
    #[cfg(feature = "sts-credentials")]
    sts: super::sts::StsConfig,
    /// How the SSO portal is called for SSO profiles.
    #[cfg(feature = "sso-credentials")]
    sso: super::sso::SsoConfig,
    /// For `credential_source = Ec2InstanceMetadata | EcsContainer`.
    http_client: Option<crate::SharedHttpClient>,
}

impl ProfileCredentials {
    /// The provider for the process environment and the real files.
    pub fn new() -> Self {
        ProfileCredentials::default()
    }

    /// Reads variables (`AWS_PROFILE`, the file locations, `HOME`) through
    /// `env`.
    pub fn with_env(mut self, env: Env) -> Self {
        self.env = env;
        self
    }

    /// Reads the profile files through `fs`.
    pub fn with_fs(mut self, fs: Fs) -> Self {
        self.fs = fs;
        self
    }

    /// Uses the profile `name` whatever `AWS_PROFILE` says.
    pub fn with_profile_name(mut self, name: impl Into<String>) -> Self {
        self.profile_name = Some(name.into());
        self
    }

    /// How long a `credential_process` may run before it is killed
    /// (default
    /// [`DEFAULT_CREDENTIAL_PROCESS_TIMEOUT`](super::DEFAULT_CREDENTIAL_PROCESS_TIMEOUT),
    /// 5 s). Raise it for a process that waits for a person, e.g. an MFA
    /// prompt or a sign-in in the browser.
    ///
    /// When it expires the process is killed (`SIGKILL` on Unix) and reaped,
    /// and the load fails with an error naming the profile and the limit.
    /// Processes that it started itself and that outlive it are not
    /// tracked down, as in the AWS SDKs; a command that `exec`s its
    /// program (or is one program) leaves nothing behind.
    pub fn with_process_timeout(mut self, timeout: Duration) -> Self {
        self.process_timeout = Some(timeout);
        self
    }

    /// Calls STS, for profiles that assume roles, with `config`'s region,
    /// endpoint, HTTP client and timeouts; by default the region of the
    /// environment or profile (else `us-east-1`) and
    /// `AWS_ENDPOINT_URL_STS` or `AWS_ENDPOINT_URL`.
    #[cfg(feature = "sts-credentials")]
    pub fn with_sts_config(mut self, config: crate::Config) -> Self {
        self.sts = self.sts.with_config(config);
        self
    }

    /// Calls the SSO portal, for SSO profiles, with `config`'s endpoint,
    /// HTTP client and timeouts, but always in the profile's `sso_region`;
    /// by default at `AWS_ENDPOINT_URL_SSO` or `AWS_ENDPOINT_URL` when set.
    #[cfg(feature = "sso-credentials")]
    pub fn with_sso_config(mut self, config: crate::Config) -> Self {
        self.sso = self.sso.with_config(config);
        self
    }

    /// Sends the requests of STS, of the SSO portal and of
    /// `credential_source = Ec2InstanceMetadata | EcsContainer` with
    /// `client`.
    pub fn with_http_client(mut self, client: impl crate::HttpClient + 'static) -> Self {
        let client = crate::SharedHttpClient::new(client);
        #[cfg(feature = "sts-credentials")]
        {
            self.sts = self.sts.with_http_client(client.clone());
        }
        #[cfg(feature = "sso-credentials")]
        {
            self.sso = self.sso.with_http_client(client.clone());
        }
        self.http_client = Some(client);
        self
    }

    async fn load(&self) -> Result<Credentials, CredentialsError> {
        let set = ProfileSet::load(&self.env, &self.fs);
        let name = self
            .profile_name
            .as_deref()
            .unwrap_or_else(|| set.selected_name());
        let Some(profile) = set.get(name) else {
            return Err(CredentialsError::not_loaded(if set.files().is_empty() {
                "no profile files found".to_owned()
            } else {
                let files: Vec<String> = set
                    .files()
                    .iter()
                    .map(|path| path.display().to_string())
                    .collect();
                format!("no profile `{name}` in {}", files.join(", "))
            }));
        };
        let timeout = self
            .process_timeout
            .unwrap_or(DEFAULT_CREDENTIAL_PROCESS_TIMEOUT);
        #[cfg(feature = "sts-credentials")]
        if super::profile_roles::assumes_a_role(profile) {
            let context = super::profile_roles::Context {
                env: &self.env,
                fs: &self.fs,
                sts: &self.sts,
                #[cfg(feature = "sso-credentials")]
                sso: &self.sso,
                http_client: self.http_client.as_ref(),
                process_timeout: timeout,
            };
            return super::profile_roles::load(&set, name, &context).await;
        }
        check_supported(profile)?;
        #[cfg(feature = "sso-credentials")]
        if super::sso::is_sso_profile(profile) {
            return super::sso::load(&set, profile, &self.env, &self.fs, &self.sso).await;
        }
        static_or_process(profile, timeout).await
    }
}

/// Fails when `profile` uses a kind of credentials this build does not
/// implement, naming the profile, the key and what to do.
pub(super) fn check_supported(profile: &Profile) -> Result<(), CredentialsError> {
    for (keys, enabled, hint) in UNSUPPORTED_KEYS {
        if *enabled {
            continue;
        }
        if let Some(key) = keys.iter().find(|key| profile.get(key).is_some()) {
            return Err(CredentialsError::new(format!(
                "profile `{}` uses `{key}`, which opgen does not support; {hint}",
                profile.name()
            )));
        }
    }
    Ok(())
}

/// The static keys or the `credential_process` of `profile`.
pub(super) async fn static_or_process(
    profile: &Profile,
    process_timeout: Duration,
) -> Result<Credentials, CredentialsError> {
    let name = profile.name();
    if let Some(command) = profile.get("credential_process").filter(|c| !c.is_empty()) {
        #[cfg(feature = "process-credentials")]
        return process::run(name, command, process_timeout).await;
        #[cfg(not(feature = "process-credentials"))]
        {
            let _ = (command, process_timeout);
            return Err(super::not_compiled_in(
                &format!("`credential_process` (profile `{name}`)"),
                "process-credentials",
                true,
            ));
        }
    }
    let key = |k: &str| profile.get(k).filter(|v| !v.is_empty());
    match (
        key("aws_access_key_id"),
        key("aws_secret_access_key"),
        key("aws_session_token"),
    ) {
        (Some(id), Some(secret), token) => {
            Ok(Credentials::new(id, secret, token.map(str::to_owned)))
        }
        (None, None, None) => Err(CredentialsError::not_loaded(format!(
            "profile `{name}` has no credentials"
        ))),
        (None, _, _) => Err(CredentialsError::new(format!(
            "profile `{name}` is missing `aws_access_key_id`"
        ))),
        (Some(_), None, _) => Err(CredentialsError::new(format!(
            "profile `{name}` is missing `aws_secret_access_key`"
        ))),
    }
}

impl ProvideCredentials for ProfileCredentials {
    fn provide_credentials(&self) -> ProvideCredentialsFuture<'_> {
        Box::pin(self.load())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(
        config: &str,
        credentials: &str,
        selected: &str,
    ) -> Result<Credentials, CredentialsError> {
        let set = ProfileSet::parse(config, credentials, selected);
        let profile = set.selected().cloned().unwrap_or_default();
        block_on(async {
            check_supported(&profile)?;
            static_or_process(&profile, DEFAULT_CREDENTIAL_PROCESS_TIMEOUT).await
        })
    }

    /// Runs `future` on a runtime of its own.
    fn block_on<T>(future: impl std::future::Future<Output = T>) -> T {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        runtime.block_on(future)
    }

    #[test]
    fn static_keys_with_token() {
        let creds = load(
            "",
            "[default]\naws_access_key_id = AKID\naws_secret_access_key = S\naws_session_token = T\n",
            "default",
        )
        .unwrap();
        assert_eq!(creds.access_key_id(), "AKID");
        assert_eq!(creds.secret_access_key(), "S");
        assert_eq!(creds.session_token(), Some("T"));
    }

    #[test]
    fn half_a_key_pair_is_an_error_naming_the_key() {
        let err = load("", "[default]\naws_access_key_id = AKID\n", "default").unwrap_err();
        assert!(!err.is_not_loaded());
        assert_eq!(
            err.to_string(),
            "profile `default` is missing `aws_secret_access_key`"
        );
        let err = load("", "[default]\nregion = x\n", "default").unwrap_err();
        assert!(err.is_not_loaded(), "{err}");
    }

    /// Without `sts-credentials`, role profiles are unsupported too.
    #[test]
    #[cfg(not(feature = "sts-credentials"))]
    fn role_profiles_without_the_feature_are_unsupported_errors() {
        for (config, key) in [
            (
                "[profile p]\nrole_arn = arn:aws:iam::1:role/r\nsource_profile = default\n",
                "role_arn",
            ),
            (
                "[profile p]\nweb_identity_token_file = /t\n",
                "web_identity_token_file",
            ),
        ] {
            let err = load(config, "", "p").unwrap_err();
            assert!(err.to_string().contains(&format!("`{key}`")), "{err}");
            assert!(err.to_string().contains("sts-credentials"), "{err}");
        }
    }

    /// Without `sso-credentials`, SSO profiles are unsupported.
    #[test]
    #[cfg(not(feature = "sso-credentials"))]
    fn sso_profiles_without_the_feature_are_unsupported_errors() {
        for (config, key) in [
            ("[profile p]\nsso_session = corp\n", "sso_session"),
            ("[profile p]\nsso_start_url = https://x\n", "sso_start_url"),
        ] {
            let err = load(config, "", "p").unwrap_err();
            assert!(!err.is_not_loaded());
            assert!(err.to_string().contains("profile `p`"), "{err}");
            assert!(err.to_string().contains(&format!("`{key}`")), "{err}");
            assert!(err.to_string().contains("sso-credentials"), "{err}");
        }
    }

    #[test]
    fn console_login_profiles_are_unsupported_errors() {
        let err = load("[profile p]\nlogin_session = x\n", "", "p").unwrap_err();
        assert!(!err.is_not_loaded());
        assert!(
            err.to_string()
                .starts_with("profile `p` uses `login_session`, which opgen does not support"),
            "{err}"
        );
    }
}
