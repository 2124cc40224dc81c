//! Credentials from providers of the AWS SDK for Rust (feature
//! `aws-config`).

use super::{Credentials, CredentialsError, ProvideCredentials, ProvideCredentialsFuture};
use aws_credential_types::provider::error::CredentialsError as AwsError;
use aws_credential_types::provider::ProvideCredentials as AwsProvideCredentials;
use std::fmt;

/// Any `aws_credential_types::provider::ProvideCredentials` (for example
/// aws-config's SSO, assume-role or web-identity providers, or its whole
/// default chain) as an opgen credentials provider. Feature `aws-config`.
///
/// ```ignore
/// let sdk_config = aws_config::load_from_env().await;
/// let provider = sdk_config.credentials_provider().unwrap();
/// let config = opgen::Config::builder()
///     .credentials_provider(opgen::credentials::AwsSdkCredentials::new(provider))
///     .build();
/// ```
///
/// The AWS provider's "not loaded" errors stay
/// [not loaded](CredentialsError::is_not_loaded), so it can sit in a
/// [`CredentialsChain`](super::CredentialsChain).
pub struct AwsSdkCredentials<P> {
    provider: P,
}

impl<P: AwsProvideCredentials> AwsSdkCredentials<P> {
    /// Wraps `provider`.
    pub fn new(provider: P) -> Self {
        AwsSdkCredentials { provider }
    }
}

impl<P: AwsProvideCredentials> fmt::Debug for AwsSdkCredentials<P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The AWS types redact their own secrets; the wrapped provider is
        // shown as it shows itself.
        f.debug_struct("AwsSdkCredentials")
            .field("provider", &self.provider)
            .finish()
    }
}

impl<P: AwsProvideCredentials> ProvideCredentials for AwsSdkCredentials<P> {
    fn provide_credentials(&self) -> ProvideCredentialsFuture<'_> {
        Box::pin(async move {
            let credentials = self
                .provider
                .provide_credentials()
                .await
                .map_err(convert_error)?;
            let mut ours = Credentials::new(
                credentials.access_key_id(),
                credentials.secret_access_key(),
                credentials.session_token().map(str::to_owned),
            );
            if let Some(expiry) = credentials.expiry() {
                ours = ours.with_expiry(expiry);
            }
            Ok(ours)
        })
    }
}

fn convert_error(error: AwsError) -> CredentialsError {
    // The SDK's own `Display` is a fixed phrase per kind; the detail is in
    // the source chain, which its providers keep free of secrets.
    let mut message = error.to_string();
    let mut source = std::error::Error::source(&error);
    while let Some(cause) = source {
        message = format!("{message}: {cause}");
        source = cause.source();
    }
    match error {
        AwsError::CredentialsNotLoaded(_) => CredentialsError::not_loaded(message),
        _ => CredentialsError::new(message),
    }
}
