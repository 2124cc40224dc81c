//! Credentials from the shared profile files.

use super::{process, Credentials, CredentialsError, ProvideCredentials, ProvideCredentialsFuture};
use crate::profile::{Env, Fs, Profile, ProfileSet};
use std::time::Duration;

/// Keys of profile kinds opgen does not implement (assumed roles, web
/// identity, SSO, console login), in the order the AWS SDKs check them
/// before static keys and `credential_process`.
const UNSUPPORTED_KEYS: [&str; 9] = [
    "role_arn",
    "source_profile",
    "credential_source",
    "web_identity_token_file",
    "sso_session",
    "sso_start_url",
    "sso_account_id",
    "sso_role_name",
    "login_session",
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
/// a role (`role_arn`, `source_profile`, `credential_source`), uses web
/// identity or SSO is an error that names the profile and the key.
#[derive(Debug, Clone, Default)]
pub struct ProfileCredentials {
    env: Env,
    fs: Fs,
    profile_name: Option<String>,
    /// `None` for [`process::DEFAULT_TIMEOUT`].
    process_timeout: Option<Duration>,
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
        let timeout = self.process_timeout.unwrap_or(process::DEFAULT_TIMEOUT);
        from_profile(profile, timeout).await
    }
}

async fn from_profile(
    profile: &Profile,
    process_timeout: Duration,
) -> Result<Credentials, CredentialsError> {
    let name = profile.name();
    if let Some(key) = UNSUPPORTED_KEYS
        .iter()
        .find(|key| profile.get(key).is_some())
    {
        return Err(CredentialsError::new(format!(
            "profile `{name}` uses `{key}`, which opgen does not support; \
             use static keys or credential_process, or plug in an aws-config provider"
        )));
    }
    if let Some(command) = profile.get("credential_process").filter(|c| !c.is_empty()) {
        return process::run(name, command, process_timeout).await;
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
        block_on(from_profile(&profile, process::DEFAULT_TIMEOUT))
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

    #[test]
    fn role_and_sso_profiles_are_unsupported_errors() {
        for (config, key) in [
            (
                "[profile p]\nrole_arn = arn:aws:iam::1:role/r\nsource_profile = default\n",
                "role_arn",
            ),
            ("[profile p]\nsso_session = corp\n", "sso_session"),
            ("[profile p]\nsso_start_url = https://x\n", "sso_start_url"),
            (
                "[profile p]\nweb_identity_token_file = /t\n",
                "web_identity_token_file",
            ),
        ] {
            let err = load(config, "", "p").unwrap_err();
            assert!(!err.is_not_loaded());
            assert!(err.to_string().contains("profile `p`"), "{err}");
            assert!(err.to_string().contains(&format!("`{key}`")), "{err}");
        }
    }
}
