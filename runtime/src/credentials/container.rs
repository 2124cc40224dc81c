//! Credentials from the container credentials endpoint (ECS task roles,
//! EKS Pod Identity).

use super::http::{fetch, LazyHttpClient};
use super::json::{parse_credentials, Format};
use super::{Credentials, CredentialsError, ProvideCredentials, ProvideCredentialsFuture};
use crate::profile::{Env, Fs};
use crate::{HttpClient, SharedHttpClient};
use bytes::Bytes;
use http::header::{HeaderValue, ACCEPT, AUTHORIZATION};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::path::Path;
use std::time::Duration;

const RELATIVE_URI: &str = "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI";
const FULL_URI: &str = "AWS_CONTAINER_CREDENTIALS_FULL_URI";
const TOKEN: &str = "AWS_CONTAINER_AUTHORIZATION_TOKEN";
const TOKEN_FILE: &str = "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE";
/// The ECS task metadata endpoint, which serves relative URIs.
const ECS_HOST: &str = "http://169.254.170.2";
const ECS_IPV4: Ipv4Addr = Ipv4Addr::new(169, 254, 170, 2);
const EKS_IPV4: Ipv4Addr = Ipv4Addr::new(169, 254, 170, 23);
const EKS_IPV6: Ipv6Addr = Ipv6Addr::new(0xfd00, 0x0ec2, 0, 0, 0, 0, 0, 0x23);
/// The agent may assume a role before answering, which takes longer than
/// an IMDS lookup.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(5);
const ATTEMPTS: u32 = 2;

/// Credentials from the container endpoint: `http://169.254.170.2` +
/// `AWS_CONTAINER_CREDENTIALS_RELATIVE_URI` (ECS; a path and query, which
/// must start with `/`, so the request cannot leave that host), else
/// `AWS_CONTAINER_CREDENTIALS_FULL_URI`, which must be `https` or name a
/// loopback address, `169.254.170.2`, `169.254.170.23` or `fd00:ec2::23`
/// (an IP address or `localhost`; other host names are not resolved to
/// be checked, so they are refused over plain HTTP).
///
/// The `Authorization` header is the content of the file
/// `AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE` (EKS Pod Identity, read at each
/// call), else `AWS_CONTAINER_AUTHORIZATION_TOKEN`.
///
/// Neither URI variable set is [not loaded](CredentialsError::is_not_loaded);
/// a URI that is invalid or not allowed, an unreadable token file or a
/// failed request is an error. Each request is given 5 s and two attempts;
/// a response body over 64 KiB is an error, not read further.
#[derive(Debug, Clone, Default)]
pub struct ContainerCredentials {
    env: Env,
    fs: Fs,
    http_client: LazyHttpClient,
}

impl ContainerCredentials {
    /// The provider for the process environment, the real files and the
    /// default HTTP client (built on first use, connect timeout 1 s).
    pub fn new() -> Self {
        ContainerCredentials::default()
    }

    /// Reads the variables through `env`.
    pub fn with_env(mut self, env: Env) -> Self {
        self.env = env;
        self
    }

    /// Reads the token file through `fs`.
    pub fn with_fs(mut self, fs: Fs) -> Self {
        self.fs = fs;
        self
    }

    /// Sends requests with `client`.
    pub fn with_http_client(mut self, client: impl HttpClient + 'static) -> Self {
        self.http_client = LazyHttpClient::new(Some(SharedHttpClient::new(client)));
        self
    }

    async fn load(&self) -> Result<Credentials, CredentialsError> {
        let uri = self.uri()?;
        let authorization = self.authorization()?;
        let make = || {
            let mut request = http::Request::builder()
                .method(http::Method::GET)
                .uri(uri.clone())
                .header(ACCEPT, "application/json");
            if let Some(value) = &authorization {
                request = request.header(AUTHORIZATION, value.clone());
            }
            request.body(Bytes::new())
        };
        let response = fetch(self.http_client.get(), make, ATTEMPTS, REQUEST_TIMEOUT)
            .await
            .map_err(|e| CredentialsError::new(format!("request to {uri} failed: {e}")))?;
        let status = response.status();
        if !status.is_success() {
            // The body is not shown: it is the agent's to word, and could
            // echo what was sent.
            return Err(CredentialsError::new(format!(
                "{uri} answered with HTTP {status}"
            )));
        }
        parse_credentials(response.body(), Format::Endpoint)
            .map_err(|e| CredentialsError::new(format!("invalid response from {uri}: {e}")))
    }

    fn uri(&self) -> Result<http::Uri, CredentialsError> {
        if let Some(relative) = self.env.get_non_empty(RELATIVE_URI) {
            // Appended to the host as text, anything but a path would change
            // where the token goes: `@attacker.example/x` makes the ECS
            // address a user name, `.attacker.example/x` or `:8080` extend
            // the host or set a port. The value is not shown: it names the
            // task's credentials.
            if !relative.starts_with('/') {
                return Err(CredentialsError::new(format!(
                    "{RELATIVE_URI} must start with `/` (a path on {ECS_HOST})"
                )));
            }
            let uri = format!("{ECS_HOST}{relative}");
            return uri.parse().map_err(|_| {
                CredentialsError::new(format!("{RELATIVE_URI} does not make a valid URI"))
            });
        }
        let Some(full) = self.env.get_non_empty(FULL_URI) else {
            return Err(CredentialsError::not_loaded(format!(
                "neither {RELATIVE_URI} nor {FULL_URI} is set"
            )));
        };
        let uri: http::Uri = full
            .parse()
            .map_err(|_| CredentialsError::new(format!("{FULL_URI} is not a valid URI")))?;
        match uri.scheme_str() {
            Some("https") => Ok(uri),
            Some("http") => {
                let host = uri.host().unwrap_or_default();
                if is_allowed_host(host) {
                    Ok(uri)
                } else {
                    Err(CredentialsError::new(format!(
                        "{FULL_URI} host `{host}` is not allowed over http: \
                         use https, a loopback address, 169.254.170.2, 169.254.170.23 or fd00:ec2::23"
                    )))
                }
            }
            _ => Err(CredentialsError::new(format!(
                "{FULL_URI} must be an http or https URI"
            ))),
        }
    }

    fn authorization(&self) -> Result<Option<HeaderValue>, CredentialsError> {
        let invalid = |from: &str| {
            CredentialsError::new(format!(
                "the authorization token from {from} is not a valid header value"
            ))
        };
        if let Some(path) = self.env.get_non_empty(TOKEN_FILE) {
            let bytes = self.fs.read(Path::new(&path)).map_err(|e| {
                CredentialsError::new(format!("failed to read {TOKEN_FILE} `{path}`: {e}"))
            })?;
            // Token files are often written with a trailing newline, which
            // a header value cannot carry.
            let token = String::from_utf8_lossy(&bytes).trim().to_owned();
            return HeaderValue::from_str(&token)
                .map(|value| Some(sensitive(value)))
                .map_err(|_| invalid(TOKEN_FILE));
        }
        match self.env.get(TOKEN).filter(|t| !t.is_empty()) {
            Some(token) => HeaderValue::from_str(&token)
                .map(|value| Some(sensitive(value)))
                .map_err(|_| invalid(TOKEN)),
            None => Ok(None),
        }
    }
}

fn sensitive(mut value: HeaderValue) -> HeaderValue {
    value.set_sensitive(true);
    value
}

fn is_allowed_host(host: &str) -> bool {
    if host.eq_ignore_ascii_case("localhost") {
        return true;
    }
    let host = host
        .strip_prefix('[')
        .and_then(|h| h.strip_suffix(']'))
        .unwrap_or(host);
    match host.parse::<IpAddr>() {
        Ok(ip) => {
            ip.is_loopback()
                || ip == IpAddr::V4(ECS_IPV4)
                || ip == IpAddr::V4(EKS_IPV4)
                || ip == IpAddr::V6(EKS_IPV6)
        }
        Err(_) => false,
    }
}

impl ProvideCredentials for ContainerCredentials {
    fn provide_credentials(&self) -> ProvideCredentialsFuture<'_> {
        Box::pin(self.load())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allowed_hosts() {
        for host in [
            "127.0.0.1",
            "127.1.2.3",
            "localhost",
            "[::1]",
            "169.254.170.2",
            "169.254.170.23",
            "[fd00:ec2::23]",
        ] {
            assert!(is_allowed_host(host), "{host}");
        }
        for host in [
            "169.254.170.3",
            "10.0.0.1",
            "example.com",
            "[fd00:ec2::2]",
            "[::2]",
        ] {
            assert!(!is_allowed_host(host), "{host}");
        }
    }

    #[test]
    fn relative_uri_wins_over_full_uri() {
        let provider = ContainerCredentials::new().with_env(Env::from_pairs([
            (RELATIVE_URI, "/v2/credentials/abc"),
            (FULL_URI, "http://10.0.0.1/creds"),
        ]));
        assert_eq!(
            provider.uri().unwrap(),
            "http://169.254.170.2/v2/credentials/abc"
        );
    }
}
