//! The headers every attempt carries besides the signature: `host`,
//! `content-length`, the endpoint's headers, the user agents
//! (`user-agent`, `x-amz-user-agent`) and the SDK invocation headers
//! (`amz-sdk-invocation-id`, `amz-sdk-request`).

use crate::client::AttemptContext;
use crate::{BuildError, Config, Endpoint, ServiceMetadata};
use bytes::Bytes;
use http::header::{HeaderName, HeaderValue, CONTENT_LENGTH, HOST, USER_AGENT};

/// This crate's version, in the user agents.
pub(crate) const VERSION: &str = env!("CARGO_PKG_VERSION");

/// Adds what every attempt carries besides the signature: the endpoint's
/// headers, `host`, `content-length`, the user agents and the SDK
/// invocation headers.
pub(crate) fn add_headers(
    request: &mut http::Request<Bytes>,
    endpoint: &Endpoint,
    service: &ServiceMetadata,
    config: &Config,
    context: &AttemptContext<'_>,
) -> Result<(), BuildError> {
    let host = request
        .uri()
        .authority()
        .map(|authority| {
            authority
                .as_str()
                .rsplit('@')
                .next()
                .unwrap_or_default()
                .to_owned()
        })
        // Not quoted: the query may carry a token.
        .ok_or_else(|| BuildError::other("the request URI has no host"))?;
    let body_len = request.body().len();
    // An input event stream has no length: it is sent as it is produced.
    let streams_events = request
        .extensions()
        .get::<crate::event_stream::InputEvents>()
        .is_some();
    let needs_length = !streams_events
        && (body_len > 0
            || matches!(
                *request.method(),
                http::Method::POST | http::Method::PUT | http::Method::PATCH
            ));
    let app = config.app_name.as_deref().map(ua_token);
    let os = std::env::consts::OS;
    let mut user_agent = format!("opgen/{VERSION} os/{os} lang/rust");
    let mut amz_user_agent = format!(
        "opgen/{VERSION} api/{}#{VERSION} os/{os} lang/rust",
        ua_token(&service.sdk_id.to_ascii_lowercase())
    );
    if let Some(app) = &app {
        user_agent.push_str(&format!(" app/{app}"));
        amz_user_agent.push_str(&format!(" app/{app}"));
    }

    let headers = request.headers_mut();
    for (name, value) in endpoint.headers() {
        let name = HeaderName::from_bytes(name.as_bytes())
            .map_err(|_| BuildError::other(format!("invalid endpoint header name `{name}`")))?;
        if !headers.contains_key(&name) {
            headers.insert(name.clone(), header_value(name.as_str(), value)?);
        }
    }
    headers.insert(HOST, header_value("host", &host)?);
    if needs_length {
        headers.insert(CONTENT_LENGTH, HeaderValue::from(body_len));
    }
    headers.insert(USER_AGENT, header_value("user-agent", &user_agent)?);
    headers.insert(
        HeaderName::from_static("x-amz-user-agent"),
        header_value("x-amz-user-agent", &amz_user_agent)?,
    );
    headers.insert(
        HeaderName::from_static("amz-sdk-invocation-id"),
        header_value("amz-sdk-invocation-id", context.invocation_id)?,
    );
    headers.insert(
        HeaderName::from_static("amz-sdk-request"),
        header_value(
            "amz-sdk-request",
            &format!("attempt={}; max={}", context.attempt, context.max_attempts),
        )?,
    );
    Ok(())
}

/// The value of header `name`; an error names the header, never the value,
/// which may be a secret.
fn header_value(name: &str, value: &str) -> Result<HeaderValue, BuildError> {
    HeaderValue::from_str(value)
        .map_err(|_| BuildError::other(format!("invalid value for header `{name}`")))
}

/// `text` with every character not allowed in a user-agent token replaced
/// by `-`.
fn ua_token(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c) {
                c
            } else {
                '-'
            }
        })
        .collect()
}

/// A random UUID v4 to tell the service which attempts belong to one call.
pub(crate) fn invocation_id() -> String {
    crate::random::uuid_v4()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::endpoint::tests::SERVICE;

    #[test]
    fn header_errors_show_neither_the_uri_nor_the_value() {
        let context = AttemptContext {
            region: "us-east-1",
            invocation_id: "id",
            attempt: 1,
            max_attempts: 1,
        };
        let config = Config::default();
        let endpoint =
            Endpoint::new("https://things.example").with_header("x-thing", "secret-value\n");
        let mut request = http::Request::new(Bytes::new());
        *request.uri_mut() = "https://things.example/?token=secret-query"
            .parse()
            .unwrap();
        let error = add_headers(&mut request, &endpoint, &SERVICE, &config, &context).unwrap_err();
        let shown = format!("{error} {error:?}");
        assert!(!shown.contains("secret"), "{shown}");
        assert!(shown.contains("`x-thing`"), "{shown}");

        let mut request = http::Request::new(Bytes::new());
        *request.uri_mut() = "/things?token=secret-query".parse().unwrap();
        let error = add_headers(&mut request, &endpoint, &SERVICE, &config, &context).unwrap_err();
        let shown = format!("{error} {error:?}");
        assert!(!shown.contains("secret"), "{shown}");
    }

    #[test]
    fn app_name_is_sanitized_into_a_token() {
        assert_eq!(ua_token("my app/v1"), "my-app-v1");
    }
}
