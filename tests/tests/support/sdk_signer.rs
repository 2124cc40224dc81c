//! The official SDK's SigV4 signer (`aws-sigv4`, written independently of
//! ours) as a cross-check: it signs a request opgen sent, over the headers
//! opgen says it signed, at the same time with the same credentials, and the
//! two signatures must be equal.

use aws_sigv4::http_request::{
    sign, PercentEncodingMode, SignableBody, SignableRequest, SigningSettings,
    UriPathNormalizationMode,
};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Who signed and for what scope.
pub struct Scope<'a> {
    pub access_key: &'a str,
    pub secret_key: &'a str,
    pub session_token: Option<&'a str>,
    pub region: &'a str,
    pub service: &'a str,
}

/// Asserts that `aws-sigv4` computes the signature and signed header list
/// that `request`'s `Authorization` header carries. `request`'s URI must be
/// absolute (scheme and host). S3 signs its path as sent (no normalization,
/// no second encoding), as the SDK does.
pub fn assert_sdk_agrees(request: &http::Request<impl AsRef<[u8]>>, scope: &Scope<'_>) {
    let header = |name: &str| {
        request
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_else(|| panic!("the request has no `{name}` header"))
    };
    let authorization = header("authorization");
    let ours_signed = between(authorization, "SignedHeaders=", ",");
    let ours_signature = between(authorization, "Signature=", ",");
    let signed_names: Vec<&str> = ours_signed.split(';').collect();
    assert!(
        request.uri().authority().is_some(),
        "the URI must be absolute"
    );
    // `host` is signed from the URI, and the SDK's signer adds the session
    // token header itself.
    let headers: Vec<(&str, &str)> = request
        .headers()
        .iter()
        .filter(|(name, _)| {
            let name = name.as_str();
            signed_names.contains(&name) && name != "host" && name != "x-amz-security-token"
        })
        .map(|(name, value)| (name.as_str(), value.to_str().expect("a text header")))
        .collect();
    let mut settings = SigningSettings::default();
    if scope.service == "s3" {
        settings.percent_encoding_mode = PercentEncodingMode::Single;
        settings.uri_path_normalization_mode = UriPathNormalizationMode::Disabled;
    }
    let identity = aws_credential_types::Credentials::new(
        scope.access_key,
        scope.secret_key,
        scope.session_token.map(str::to_owned),
        None,
        "opgen-tests",
    )
    .into();
    let params = aws_sigv4::sign::v4::SigningParams::builder()
        .identity(&identity)
        .region(scope.region)
        .name(scope.service)
        .time(parse_amz_date(header("x-amz-date")))
        .settings(settings)
        .build()
        .expect("aws-sigv4 parameters")
        .into();
    let body = match request.headers().get("x-amz-content-sha256") {
        Some(hash) => SignableBody::Precomputed(hash.to_str().expect("a text hash").to_owned()),
        None => SignableBody::Bytes(request.body().as_ref()),
    };
    let uri = request.uri().to_string();
    let signable = SignableRequest::new(request.method().as_str(), &uri, headers.into_iter(), body)
        .expect("a request aws-sigv4 accepts");
    let (instructions, signature) = sign(signable, &params)
        .expect("aws-sigv4 signs the request")
        .into_parts();
    let sdk_authorization = instructions
        .headers()
        .find(|(name, _)| name.eq_ignore_ascii_case("authorization"))
        .map(|(_, value)| value.to_owned())
        .expect("aws-sigv4 gives an Authorization header");
    assert_eq!(
        between(&sdk_authorization, "SignedHeaders=", ","),
        ours_signed,
        "aws-sigv4 signs another header set"
    );
    assert_eq!(
        signature, ours_signature,
        "aws-sigv4 computes another signature for the request opgen sent"
    );
}

fn between<'a>(text: &'a str, start: &str, end: &str) -> &'a str {
    let rest = text
        .split_once(start)
        .map(|(_, rest)| rest)
        .unwrap_or_else(|| panic!("`{start}` missing in {text}"));
    rest.split(end).next().unwrap_or(rest).trim()
}

/// `20150830T123600Z` as a `SystemTime`.
pub fn parse_amz_date(text: &str) -> SystemTime {
    let number = |range: std::ops::Range<usize>| -> u64 { text[range].parse().expect("digits") };
    let (year, month, day) = (number(0..4), number(4..6), number(6..8));
    let (hour, minute, second) = (number(9..11), number(11..13), number(13..15));
    // Howard Hinnant's days_from_civil, for dates after 1970.
    let year = if month <= 2 { year - 1 } else { year };
    let (era, year_of_era) = (year / 400, year % 400);
    let shifted_month = if month > 2 { month - 3 } else { month + 9 };
    let day_of_year = (153 * shifted_month + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    let days = era * 146_097 + day_of_era - 719_468;
    UNIX_EPOCH + Duration::from_secs(days * 86_400 + hour * 3600 + minute * 60 + second)
}
