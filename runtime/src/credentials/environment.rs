//! Credentials from environment variables.

use super::{Credentials, CredentialsError, ProvideCredentials, ProvideCredentialsFuture};
use crate::profile::Env;

/// Credentials from `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` and
/// `AWS_SESSION_TOKEN`, read at each call.
///
/// When either key is missing the error is
/// [not loaded](CredentialsError::is_not_loaded), so a chain moves on.
#[derive(Debug, Clone, Default)]
pub struct EnvironmentCredentials {
    env: Env,
}

impl EnvironmentCredentials {
    /// The environment provider, reading the process environment.
    pub fn new() -> Self {
        EnvironmentCredentials::default()
    }

    /// The environment provider, reading variables through `env`.
    pub fn with_env(env: Env) -> Self {
        EnvironmentCredentials { env }
    }

    /// Reads the credentials from an environment lookup function (for tests).
    pub fn load_from(
        get: impl Fn(&str) -> Option<String>,
    ) -> Result<Credentials, CredentialsError> {
        let non_empty = |name: &str| get(name).filter(|v| !v.trim().is_empty());
        let access_key_id = non_empty("AWS_ACCESS_KEY_ID")
            .ok_or_else(|| CredentialsError::not_loaded("AWS_ACCESS_KEY_ID is not set"))?;
        let secret_access_key = non_empty("AWS_SECRET_ACCESS_KEY")
            .ok_or_else(|| CredentialsError::not_loaded("AWS_SECRET_ACCESS_KEY is not set"))?;
        Ok(Credentials::new(
            access_key_id,
            secret_access_key,
            non_empty("AWS_SESSION_TOKEN"),
        ))
    }
}

impl ProvideCredentials for EnvironmentCredentials {
    fn provide_credentials(&self) -> ProvideCredentialsFuture<'_> {
        let result = Self::load_from(|name| self.env.get(name));
        Box::pin(async move { result })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn environment_requires_both_keys() {
        let err = EnvironmentCredentials::load_from(|name| {
            (name == "AWS_ACCESS_KEY_ID").then(|| "AKID".to_string())
        })
        .unwrap_err();
        assert_eq!(err.to_string(), "AWS_SECRET_ACCESS_KEY is not set");
        assert!(err.is_not_loaded());
        let creds = EnvironmentCredentials::load_from(|name| match name {
            "AWS_ACCESS_KEY_ID" => Some("AKID".into()),
            "AWS_SECRET_ACCESS_KEY" => Some("SECRET".into()),
            "AWS_SESSION_TOKEN" => Some("".into()),
            _ => None,
        })
        .unwrap();
        assert_eq!(creds.secret_access_key(), "SECRET");
        assert_eq!(creds.session_token(), None);
    }
}
