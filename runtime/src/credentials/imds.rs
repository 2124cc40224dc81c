//! Credentials of the EC2 instance's role, from the instance metadata
//! service (IMDSv2).

use super::http::{fetch, FetchError, LazyHttpClient};
use super::json::{parse_credentials, Format};
use super::{Credentials, CredentialsError, ProvideCredentials, ProvideCredentialsFuture};
use crate::profile::Env;
use crate::{HttpClient, SharedHttpClient};
use bytes::Bytes;
use http::header::HeaderValue;
use http::StatusCode;
use std::time::Duration;

const DISABLED: &str = "AWS_EC2_METADATA_DISABLED";
const ENDPOINT: &str = "AWS_EC2_METADATA_SERVICE_ENDPOINT";
const ENDPOINT_MODE: &str = "AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE";
const IPV4_ENDPOINT: &str = "http://169.254.169.254";
const IPV6_ENDPOINT: &str = "http://[fd00:ec2::254]";
const TOKEN_PATH: &str = "/latest/api/token";
const ROLE_PATH: &str = "/latest/meta-data/iam/security-credentials/";
const TOKEN_TTL_HEADER: &str = "x-aws-ec2-metadata-token-ttl-seconds";
const TOKEN_HEADER: &str = "x-aws-ec2-metadata-token";
/// Six hours, the maximum; a token is fetched for each load anyway.
const TOKEN_TTL_SECONDS: &str = "21600";
/// IMDS is link-local and answers in milliseconds; off EC2 nothing
/// answers, and the chain's error should not take long to arrive.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(1);
const ATTEMPTS: u32 = 2;

/// Credentials of the instance's IAM role from the EC2 instance metadata
/// service, IMDSv2: `PUT /latest/api/token`, then
/// `GET /latest/meta-data/iam/security-credentials/` for the role name and
/// `GET …/security-credentials/{role}`, both with the token.
///
/// The endpoint is `AWS_EC2_METADATA_SERVICE_ENDPOINT`, else
/// `http://[fd00:ec2::254]` when `AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE`
/// is `IPv6`, else `http://169.254.169.254`. `AWS_EC2_METADATA_DISABLED=true`
/// turns the provider off. Each request is given 1 s and two attempts; the
/// default HTTP client connects within 1 s. A response body over 64 KiB is
/// an error, not read further.
///
/// Disabled, unreachable, or no role attached is
/// [not loaded](CredentialsError::is_not_loaded); an unexpected answer is an
/// error.
#[derive(Debug, Clone, Default)]
pub struct ImdsCredentials {
    env: Env,
    http_client: LazyHttpClient,
}

impl ImdsCredentials {
    /// The provider for the process environment and the default HTTP
    /// client (built on first use).
    pub fn new() -> Self {
        ImdsCredentials::default()
    }

    /// Reads the variables through `env`.
    pub fn with_env(mut self, env: Env) -> Self {
        self.env = env;
        self
    }

    /// Sends requests with `client`.
    pub fn with_http_client(mut self, client: impl HttpClient + 'static) -> Self {
        self.http_client = LazyHttpClient::new(Some(SharedHttpClient::new(client)));
        self
    }

    fn endpoint(&self) -> String {
        if let Some(endpoint) = self.env.get_non_empty(ENDPOINT) {
            return endpoint.trim_end_matches('/').to_owned();
        }
        match self.env.get_non_empty(ENDPOINT_MODE) {
            Some(mode) if mode.eq_ignore_ascii_case("ipv6") => IPV6_ENDPOINT.to_owned(),
            _ => IPV4_ENDPOINT.to_owned(),
        }
    }

    async fn load(&self) -> Result<Credentials, CredentialsError> {
        if self
            .env
            .get_non_empty(DISABLED)
            .is_some_and(|v| v.eq_ignore_ascii_case("true"))
        {
            return Err(CredentialsError::not_loaded(format!(
                "disabled by {DISABLED}"
            )));
        }
        let endpoint = self.endpoint();
        let client = self.http_client.get();

        let token = {
            let make = || {
                http::Request::builder()
                    .method(http::Method::PUT)
                    .uri(format!("{endpoint}{TOKEN_PATH}"))
                    .header(TOKEN_TTL_HEADER, TOKEN_TTL_SECONDS)
                    .body(Bytes::new())
            };
            let response = fetch(client, make, ATTEMPTS, REQUEST_TIMEOUT)
                .await
                .map_err(|e| unreachable_error(&endpoint, "the session token", e))?;
            match response.status() {
                StatusCode::OK => {}
                StatusCode::FORBIDDEN => {
                    return Err(CredentialsError::not_loaded(format!(
                        "{endpoint} refused a session token (HTTP 403): IMDS is disabled on this instance"
                    )))
                }
                status => {
                    return Err(CredentialsError::new(format!(
                        "{endpoint} answered the token request with HTTP {status}"
                    )))
                }
            }
            let mut value =
                HeaderValue::from_bytes(response.body().trim_ascii()).map_err(|_| {
                    CredentialsError::new(format!("{endpoint} returned an invalid session token"))
                })?;
            value.set_sensitive(true);
            value
        };

        let get = |path: String| {
            let token = token.clone();
            move || {
                http::Request::builder()
                    .method(http::Method::GET)
                    .uri(path.clone())
                    .header(TOKEN_HEADER, token.clone())
                    .body(Bytes::new())
            }
        };

        let response = fetch(
            client,
            get(format!("{endpoint}{ROLE_PATH}")),
            ATTEMPTS,
            REQUEST_TIMEOUT,
        )
        .await
        .map_err(|e| unreachable_error(&endpoint, "the role name", e))?;
        match response.status() {
            StatusCode::OK => {}
            StatusCode::NOT_FOUND => {
                return Err(CredentialsError::not_loaded(format!(
                "no IAM role is attached to the instance ({endpoint}{ROLE_PATH} answered HTTP 404)"
            )))
            }
            status => {
                return Err(CredentialsError::new(format!(
                    "{endpoint}{ROLE_PATH} answered with HTTP {status}"
                )))
            }
        }
        let body = String::from_utf8_lossy(response.body());
        let role = body.lines().map(str::trim).find(|l| !l.is_empty());
        let Some(role) = role else {
            return Err(CredentialsError::not_loaded(format!(
                "no IAM role is attached to the instance ({endpoint}{ROLE_PATH} is empty)"
            )));
        };
        // The role name becomes a path segment; anything that would change
        // the path is refused rather than sent.
        if !role
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"+=,.@_-".contains(&b))
        {
            return Err(CredentialsError::new(format!(
                "{endpoint}{ROLE_PATH} returned an invalid role name"
            )));
        }

        let path = format!("{endpoint}{ROLE_PATH}{role}");
        let response = fetch(client, get(path.clone()), ATTEMPTS, REQUEST_TIMEOUT)
            .await
            .map_err(|e| unreachable_error(&endpoint, "the credentials", e))?;
        if response.status() != StatusCode::OK {
            return Err(CredentialsError::new(format!(
                "{path} answered with HTTP {}",
                response.status()
            )));
        }
        parse_credentials(response.body(), Format::Endpoint)
            .map_err(|e| CredentialsError::new(format!("invalid response from {path}: {e}")))
    }
}

/// Off EC2 nothing answers: that is "no credentials here", not a failure.
/// Something that answers with too much is there, and wrong.
fn unreachable_error(endpoint: &str, what: &str, error: FetchError) -> CredentialsError {
    match error {
        FetchError::Build(message) => {
            CredentialsError::new(format!("cannot request {what} from {endpoint}: {message}"))
        }
        too_large @ FetchError::TooLarge => {
            CredentialsError::new(format!("{endpoint} answered for {what}: {too_large}"))
        }
        other => {
            CredentialsError::not_loaded(format!("cannot reach {endpoint} for {what}: {other}"))
        }
    }
}

impl ProvideCredentials for ImdsCredentials {
    fn provide_credentials(&self) -> ProvideCredentialsFuture<'_> {
        Box::pin(self.load())
    }
}
