//! AWS credentials and where they come from.
//!
//! [`DefaultCredentialsChain`] looks where the AWS SDKs look, in their
//! order, and caches what it finds:
//!
//! 1. the environment: `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`,
//!    `AWS_SESSION_TOKEN` ([`EnvironmentCredentials`]);
//! 2. the profile files: static keys or `credential_process` of the
//!    profile `AWS_PROFILE` (else `default`) in `~/.aws/credentials` and
//!    `~/.aws/config`, or, with the `sts-credentials` feature (on by
//!    default), a role it assumes through STS: `role_arn` with
//!    `source_profile` (chains of profiles) or `credential_source`
//!    (`Environment`, `Ec2InstanceMetadata`, `EcsContainer`), or with
//!    `web_identity_token_file`; or, with the `sso-credentials` feature
//!    (on by default), an SSO profile (`sso_session` and its
//!    `[sso-session]` section, or the legacy `sso_start_url`) through the
//!    SSO portal's `GetRoleCredentials` with the token `aws sso login`
//!    cached in `~/.aws/sso/cache` ([`ProfileCredentials`]);
//! 3. with `sts-credentials`, a web identity token:
//!    `AWS_WEB_IDENTITY_TOKEN_FILE` + `AWS_ROLE_ARN` (+
//!    `AWS_ROLE_SESSION_NAME`) through STS `AssumeRoleWithWebIdentity`
//!    (`WebIdentityCredentials`);
//! 4. the container endpoint of ECS and EKS Pod Identity:
//!    `AWS_CONTAINER_CREDENTIALS_RELATIVE_URI` or
//!    `AWS_CONTAINER_CREDENTIALS_FULL_URI` ([`ContainerCredentials`]);
//! 5. the EC2 instance metadata service, IMDSv2 ([`ImdsCredentials`]).
//!
//! A kind of profile opgen does not implement (console login), or one whose
//! feature is off, is an error naming the profile and the key (plug in
//! aws-config's provider through the `aws-config` feature).
//!
//! A source that finds nothing to use (its variables unset, no such
//! profile) lets the chain go on to the next one; a source that is
//! configured but fails (a `credential_process` that exits with an error, a
//! container endpoint on a host that is not allowed) stops the chain with
//! its error, as in the AWS SDKs. Every environment and file lookup goes
//! through [`Env`](crate::profile::Env) and [`Fs`](crate::profile::Fs), and
//! every request through an [`HttpClient`](crate::HttpClient), so each can
//! be replaced.
//!
//! ```no_run
//! use opgen::credentials::DefaultCredentialsChain;
//! use opgen::ProvideCredentials;
//!
//! # async fn run() -> Result<(), opgen::CredentialsError> {
//! let chain = DefaultCredentialsChain::new();
//! let credentials = chain.provide_credentials().await?;
//! println!("{}", credentials.access_key_id());
//! # Ok(())
//! # }
//! ```

use std::error::Error as StdError;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::SystemTime;

#[cfg(feature = "aws-config")]
mod aws_config;
mod cache;
mod chain;
#[cfg(feature = "container-credentials")]
mod container;
mod environment;
#[cfg(any(feature = "container-credentials", feature = "imds-credentials"))]
mod http;
#[cfg(feature = "imds-credentials")]
mod imds;
#[cfg(any(
    feature = "container-credentials",
    feature = "imds-credentials",
    feature = "process-credentials"
))]
pub(crate) mod json;
#[cfg(feature = "process-credentials")]
mod process;
mod profile;
#[cfg(feature = "sts-credentials")]
mod profile_roles;
#[cfg(any(feature = "sts-credentials", feature = "sso-credentials"))]
mod service;
#[cfg(feature = "sso-credentials")]
mod sso;
#[cfg(feature = "sts-credentials")]
mod sts;

#[cfg(feature = "aws-config")]
pub use aws_config::AwsSdkCredentials;
pub use cache::{CachedCredentials, DEFAULT_REFRESH_BUFFER, DEFAULT_STATIC_LIFETIME};
pub use chain::{CredentialsChain, DefaultCredentialsChain};
#[cfg(feature = "container-credentials")]
pub use container::ContainerCredentials;
pub use environment::EnvironmentCredentials;
#[cfg(feature = "imds-credentials")]
pub use imds::ImdsCredentials;

/// How long a `credential_process` may run by default: the AWS SDK for
/// Rust bounds every credentials load at 5 s, and a process that has not
/// answered by then is more likely hung than slow.
pub const DEFAULT_CREDENTIAL_PROCESS_TIMEOUT: std::time::Duration =
    std::time::Duration::from_secs(5);

/// The error of a source left out by its cargo feature: `configured` when
/// the environment or a profile asks for it (the chain stops there rather
/// than silently going on to another source), else "not loaded".
#[cfg(not(all(
    feature = "container-credentials",
    feature = "imds-credentials",
    feature = "process-credentials"
)))]
pub(crate) fn not_compiled_in(what: &str, feature: &str, configured: bool) -> CredentialsError {
    let message = format!("{what} is not compiled in (enable the `{feature}` feature of opgen)");
    if configured {
        CredentialsError::new(message)
    } else {
        CredentialsError::not_loaded(message)
    }
}
pub use profile::ProfileCredentials;
#[cfg(feature = "sts-credentials")]
pub use sts::{AssumeRoleCredentials, WebIdentityCredentials};

/// An AWS access key, its secret and an optional session token.
///
/// `Debug` never shows the secret or the token.
#[derive(Clone)]
pub struct Credentials {
    access_key_id: String,
    secret_access_key: String,
    session_token: Option<String>,
    expiry: Option<SystemTime>,
    /// The SigV4 signing keys derived from `secret_access_key`, shared by
    /// the clones of these credentials (see `SigningKeyCache`).
    signing_keys: Arc<crate::sigv4::SigningKeyCache>,
}

/// Equal when the keys, token and expiry are: the signing-key cache is
/// derived from them.
impl PartialEq for Credentials {
    fn eq(&self, other: &Self) -> bool {
        self.access_key_id == other.access_key_id
            && self.secret_access_key == other.secret_access_key
            && self.session_token == other.session_token
            && self.expiry == other.expiry
    }
}

impl Eq for Credentials {}

impl Credentials {
    /// Credentials from an access key id, a secret access key and an optional
    /// session token.
    pub fn new(
        access_key_id: impl Into<String>,
        secret_access_key: impl Into<String>,
        session_token: Option<String>,
    ) -> Self {
        Credentials {
            access_key_id: access_key_id.into(),
            secret_access_key: secret_access_key.into(),
            session_token,
            expiry: None,
            signing_keys: Arc::default(),
        }
    }

    /// The same credentials, valid until `expiry`.
    pub fn with_expiry(mut self, expiry: SystemTime) -> Self {
        self.expiry = Some(expiry);
        self
    }

    /// The access key id (`AKIA…`/`ASIA…`).
    pub fn access_key_id(&self) -> &str {
        &self.access_key_id
    }

    /// The secret access key.
    pub fn secret_access_key(&self) -> &str {
        &self.secret_access_key
    }

    /// The session token of temporary credentials.
    pub fn session_token(&self) -> Option<&str> {
        self.session_token.as_deref()
    }

    /// When temporary credentials stop working.
    pub fn expiry(&self) -> Option<SystemTime> {
        self.expiry
    }

    /// The signing keys derived from this secret so far.
    pub(crate) fn signing_keys(&self) -> &crate::sigv4::SigningKeyCache {
        &self.signing_keys
    }
}

const REDACTED: &str = "*** Sensitive Data Redacted ***";

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("access_key_id", &self.access_key_id)
            .field("secret_access_key", &REDACTED)
            .field(
                "session_token",
                &self.session_token.as_ref().map(|_| REDACTED),
            )
            .field("expiry", &self.expiry)
            .finish()
    }
}

/// No credentials could be loaded, and why.
///
/// Its message never contains a secret, a session token, an authorization
/// token or the output of a `credential_process`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CredentialsError {
    message: String,
    not_loaded: bool,
}

impl CredentialsError {
    /// A failure described by `message` (which must not contain secrets):
    /// the source is configured but does not work, so a chain stops here.
    pub fn new(message: impl Into<String>) -> Self {
        CredentialsError {
            message: message.into(),
            not_loaded: false,
        }
    }

    /// The source has nothing to offer (e.g. its variables are unset), so
    /// a chain goes on to the next source; `message` says why.
    pub fn not_loaded(message: impl Into<String>) -> Self {
        CredentialsError {
            message: message.into(),
            not_loaded: true,
        }
    }

    /// Whether the source simply had nothing to offer (see
    /// [`CredentialsError::not_loaded`]) rather than failing.
    pub fn is_not_loaded(&self) -> bool {
        self.not_loaded
    }

    /// The message, without secrets.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The same error with `context: ` before its message.
    pub(crate) fn context(mut self, context: impl fmt::Display) -> Self {
        self.message = format!("{context}: {}", self.message);
        self
    }
}

impl fmt::Display for CredentialsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl StdError for CredentialsError {}

/// The future returned by [`ProvideCredentials::provide_credentials`].
pub type ProvideCredentialsFuture<'a> =
    Pin<Box<dyn Future<Output = Result<Credentials, CredentialsError>> + Send + 'a>>;

/// A source of credentials. Called before each attempt is signed; an error
/// fails the call with [`Error::Credentials`](crate::Error::Credentials).
pub trait ProvideCredentials: Send + Sync + fmt::Debug {
    /// Loads (or returns cached) credentials.
    fn provide_credentials(&self) -> ProvideCredentialsFuture<'_>;
}

impl ProvideCredentials for Credentials {
    fn provide_credentials(&self) -> ProvideCredentialsFuture<'_> {
        let credentials = self.clone();
        Box::pin(async move { Ok(credentials) })
    }
}

/// A shareable [`ProvideCredentials`].
#[derive(Debug, Clone)]
pub struct SharedCredentialsProvider(Arc<dyn ProvideCredentials>);

impl SharedCredentialsProvider {
    /// Wraps `provider` for sharing.
    pub fn new(provider: impl ProvideCredentials + 'static) -> Self {
        SharedCredentialsProvider(Arc::new(provider))
    }
}

impl ProvideCredentials for SharedCredentialsProvider {
    fn provide_credentials(&self) -> ProvideCredentialsFuture<'_> {
        self.0.provide_credentials()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_redacts_secret_and_token() {
        let creds = Credentials::new("AKID", "very-secret", Some("token-value".into()));
        let shown = format!("{creds:?}");
        assert!(shown.contains("AKID"));
        assert!(!shown.contains("very-secret"));
        assert!(!shown.contains("token-value"));
    }
}
