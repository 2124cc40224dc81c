//! The JSON documents that carry credentials: `credential_process` output,
//! the container and IMDS responses, and the SSO token cache.
//!
//! Values are read from a `serde_json::Value` by hand rather than through a
//! derived struct, because serde's type errors quote the offending value,
//! and that value may be a secret.

use super::Credentials;
use crate::DateTime;
use serde_json::{Map, Value};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Which document is parsed; they differ in the session token's name and
/// in their version and status fields.
// With the process source or both endpoint sources left out by their
// features, one variant is never built; the parser keeps both.
#[cfg_attr(
    not(all(
        feature = "process-credentials",
        any(feature = "container-credentials", feature = "imds-credentials")
    )),
    allow(dead_code)
)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Format {
    /// `credential_process`: `Version` 1, `SessionToken`.
    Process,
    /// Container and IMDS: `Token`, an optional `Code` that must be
    /// `Success`.
    Endpoint,
}

/// The credentials in `body`, or why there are none (never quoting a value).
pub(crate) fn parse_credentials(body: &[u8], format: Format) -> Result<Credentials, String> {
    let value: Value = serde_json::from_slice(body).map_err(|e| {
        format!(
            "the response is not valid JSON (line {}, column {})",
            e.line(),
            e.column()
        )
    })?;
    let Value::Object(object) = value else {
        return Err("the response is not a JSON object".to_owned());
    };
    match format {
        Format::Process => match object.get("Version") {
            Some(Value::Number(n)) if n.as_u64() == Some(1) => {}
            Some(_) => return Err("`Version` is not 1".to_owned()),
            None => return Err("`Version` is missing".to_owned()),
        },
        Format::Endpoint => match object.get("Code") {
            None => {}
            Some(Value::String(code)) if code == "Success" => {}
            Some(Value::String(code)) => {
                // Codes are fixed words such as `AssumeRoleUnauthorizedAccess`;
                // anything else is not echoed.
                let shown = if code.len() <= 64 && code.chars().all(|c| c.is_ascii_alphanumeric()) {
                    code.as_str()
                } else {
                    "(not shown)"
                };
                return Err(format!(
                    "the response has `Code` {shown} instead of Success"
                ));
            }
            Some(_) => return Err("`Code` is not a string".to_owned()),
        },
    }
    let access_key_id = required(&object, "AccessKeyId")?;
    let secret_access_key = required(&object, "SecretAccessKey")?;
    let token_key = match format {
        Format::Process => "SessionToken",
        Format::Endpoint => "Token",
    };
    let session_token = optional(&object, token_key)?;
    let mut credentials = Credentials::new(access_key_id, secret_access_key, session_token);
    if let Some(expiration) = optional(&object, "Expiration")? {
        let expiry = DateTime::parse_date_time(&expiration)
            .and_then(to_system_time)
            .ok_or_else(|| "`Expiration` is not an RFC 3339 timestamp".to_owned())?;
        credentials = credentials.with_expiry(expiry);
    }
    Ok(credentials)
}

/// The access token of an SSO token cache file (`accessToken`) and when
/// it expires (`expiresAt`, RFC 3339), or why they cannot be read (never
/// quoting a value).
#[cfg(feature = "sso-credentials")]
pub(crate) fn parse_sso_token(body: &[u8]) -> Result<(String, SystemTime), String> {
    let value: Value = serde_json::from_slice(body).map_err(|e| {
        format!(
            "it is not valid JSON (line {}, column {})",
            e.line(),
            e.column()
        )
    })?;
    let Value::Object(object) = value else {
        return Err("it is not a JSON object".to_owned());
    };
    let token = required(&object, "accessToken")?;
    let expires_at = required(&object, "expiresAt")?;
    let expiry = DateTime::parse_date_time(&expires_at)
        .and_then(to_system_time)
        .ok_or_else(|| "`expiresAt` is not an RFC 3339 timestamp".to_owned())?;
    Ok((token, expiry))
}

fn required(object: &Map<String, Value>, key: &str) -> Result<String, String> {
    optional(object, key)?.ok_or_else(|| format!("`{key}` is missing"))
}

fn optional(object: &Map<String, Value>, key: &str) -> Result<Option<String>, String> {
    match object.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if s.is_empty() => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(format!("`{key}` is not a string")),
    }
}

fn to_system_time(time: DateTime) -> Option<SystemTime> {
    let seconds = u64::try_from(time.secs()).ok()?;
    UNIX_EPOCH.checked_add(Duration::new(seconds, time.subsec_nanos()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_process_output_with_expiration() {
        let body = br#"{"Version":1,"AccessKeyId":"AKID","SecretAccessKey":"S","SessionToken":"T","Expiration":"2030-01-02T03:04:05Z"}"#;
        let creds = parse_credentials(body, Format::Process).unwrap();
        assert_eq!(creds.access_key_id(), "AKID");
        assert_eq!(creds.session_token(), Some("T"));
        let expected = UNIX_EPOCH + Duration::from_secs(1_893_553_445);
        assert_eq!(creds.expiry(), Some(expected));
    }

    #[test]
    fn errors_never_quote_values() {
        let cases: [(&[u8], Format, &str); 5] = [
            (br#"{"Version":"secret-v"}"#, Format::Process, "`Version` is not 1"),
            (
                br#"{"Version":1,"AccessKeyId":"A","SecretAccessKey":7}"#,
                Format::Process,
                "`SecretAccessKey` is not a string",
            ),
            (
                br#"{"Version":1,"AccessKeyId":"A","SecretAccessKey":"secret-s","Expiration":"secret-e"}"#,
                Format::Process,
                "`Expiration` is not an RFC 3339 timestamp",
            ),
            (br#"{"Code":"secret code!"}"#, Format::Endpoint, "(not shown)"),
            (b"secret-body", Format::Endpoint, "not valid JSON"),
        ];
        for (body, format, expected) in cases {
            let err = parse_credentials(body, format).unwrap_err();
            assert!(err.contains(expected), "{err}");
            assert!(!err.contains("secret"), "{err}");
        }
    }

    #[test]
    #[cfg(feature = "sso-credentials")]
    fn parses_an_sso_token_without_quoting_it() {
        let body = br#"{"startUrl":"https://d-1.awsapps.com/start","region":"us-east-1","accessToken":"secret-t","expiresAt":"2030-01-02T03:04:05Z"}"#;
        let (token, expiry) = parse_sso_token(body).unwrap();
        assert_eq!(token, "secret-t");
        assert_eq!(expiry, UNIX_EPOCH + Duration::from_secs(1_893_553_445));
        for (body, expected) in [
            (
                &br#"{"accessToken":"secret-t"}"#[..],
                "`expiresAt` is missing",
            ),
            (
                br#"{"accessToken":"secret-t","expiresAt":"secret"}"#,
                "not an RFC 3339",
            ),
            (
                br#"{"accessToken":7,"expiresAt":"2030-01-02T03:04:05Z"}"#,
                "`accessToken` is not a string",
            ),
            (b"secret", "not valid JSON"),
        ] {
            let err = parse_sso_token(body).unwrap_err();
            assert!(err.contains(expected), "{err}");
            assert!(!err.contains("secret"), "{err}");
        }
    }

    #[test]
    fn endpoint_format_uses_token_and_checks_code() {
        let body = br#"{"Code":"Success","AccessKeyId":"A","SecretAccessKey":"S","Token":"T"}"#;
        let creds = parse_credentials(body, Format::Endpoint).unwrap();
        assert_eq!(creds.session_token(), Some("T"));
        assert_eq!(creds.expiry(), None);
        let err = parse_credentials(
            br#"{"Code":"AssumeRoleUnauthorizedAccess"}"#,
            Format::Endpoint,
        )
        .unwrap_err();
        assert!(err.contains("AssumeRoleUnauthorizedAccess"), "{err}");
    }
}
