//! `response_parsing`: arbitrary HTTP responses through the generated
//! `GetResourceOauth2Token::deserialize`, plus the wire helpers that the
//! generated code of other operations calls on response values.

use crate::input::Input;
use bytes::Bytes;
use opgen::__private::json::{self, TimestampFormat};
use opgen::__private::rest;
use opgen::{DateTime, Error, Operation};
use serde_json::Value;

mod agentcore {
    opgen::include_operation!("GetResourceOauth2Token");
}
use agentcore::{GetResourceOauth2Token, GetResourceOauth2TokenError};

/// The members of `GetResourceOauth2TokenResponse`, all strings on the wire
/// (`sessionStatus` is a string enum).
const OUTPUT_MEMBERS: [&str; 4] = [
    "accessToken",
    "authorizationUrl",
    "sessionUri",
    "sessionStatus",
];

/// The input is an HTTP response written out:
///
/// ```text
/// 200                        status (anything else: 200)
/// x-amzn-errortype: Foo      header lines, up to an empty line
///
/// {"accessToken": "…"}       the body
/// ```
///
/// Invariants: `deserialize` never panics; a 2xx response gives the output
/// (its members equal to the body's, checked against `serde_json`) or, when
/// the body does not match the model, `Error::Response`; any other status
/// gives `Error::Service` whose modeled variant matches the error code; the
/// error's status is the response's, and every error displays.
///
/// Secrets: unless the input already holds it, `MARKER` is planted in the
/// body (a member no shape has, or text after a body that is not a JSON
/// object), and no error's `Display`, source chain or `Debug` may show it:
/// errors show the code and message the service sent, never the body.
pub fn response_parsing(data: &[u8]) {
    let mut input = Input::new(data);
    let (status, builder) = response_head(&mut input);
    let given = input.rest();
    // A marker the input already holds (in a header, say) is the
    // service's own text, which errors may show.
    let planted = if holds_marker(data) {
        None
    } else {
        plant_marker(given)
    };
    let body = Bytes::copy_from_slice(planted.as_deref().unwrap_or(given));
    let response = match builder.body(body.clone()) {
        Ok(response) => response,
        Err(e) => panic!("the harness built an invalid response: {e}"),
    };
    check_deserialize(response, status, &body, planted.is_some());
    check_wire_helpers(given);
}

/// The status line and header lines of a response written out as
/// [`response_parsing`] reads it: the status (200 when unreadable) and a
/// builder with the headers an HTTP stack can deliver (others skipped).
pub(crate) fn response_head(input: &mut Input<'_>) -> (http::StatusCode, http::response::Builder) {
    let status = std::str::from_utf8(input.line())
        .ok()
        .and_then(|s| s.trim().parse::<u16>().ok())
        .and_then(|code| http::StatusCode::from_u16(code).ok())
        .unwrap_or(http::StatusCode::OK);
    let mut builder = http::Response::builder().status(status);
    for (name, value) in input.header_lines() {
        if let (Ok(name), Ok(value)) = (
            http::HeaderName::from_bytes(name),
            http::HeaderValue::from_bytes(value),
        ) {
            builder = builder.header(name, value);
        }
    }
    (status, builder)
}

/// Whether `bytes` hold [`MARKER`].
pub(crate) fn holds_marker(bytes: &[u8]) -> bool {
    bytes
        .windows(MARKER.len())
        .any(|window| window == MARKER.as_bytes())
}

/// Planted in response bodies; no error may show it.
pub(crate) const MARKER: &str = "SECRET-MARKER-";

/// `body` with [`MARKER`] planted where no model shape reads it, so that
/// the parse keeps its meaning: as a member of a JSON object, an item of an
/// array, in a string, else after the body (still no JSON object). `None` when
/// the body already holds the marker (the input may put it in a `message`,
/// which errors show) or is blank (an empty output).
pub(crate) fn plant_marker(body: &[u8]) -> Option<Vec<u8>> {
    if holds_marker(body) || body.iter().all(u8::is_ascii_whitespace) {
        return None;
    }
    let member = format!("\"{MARKER}key\":\"{MARKER}value\"");
    let mut planted = body.to_vec();
    // Inserted as text after the opening `{`, `[` or `"`, leaving the rest
    // byte for byte, so that valid JSON stays valid and of its kind.
    let (opening, text) = match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(object)) => {
            let separator = if object.is_empty() { "" } else { "," };
            (b'{', format!("{member}{separator}"))
        }
        Ok(Value::Array(items)) => {
            let separator = if items.is_empty() { "" } else { "," };
            (b'[', format!("\"{MARKER}\"{separator}"))
        }
        Ok(Value::String(_)) => (b'"', MARKER.to_owned()),
        _ => {
            planted.extend_from_slice(member.as_bytes());
            return Some(planted);
        }
    };
    let at = body.iter().position(|b| *b == opening)? + 1;
    planted.splice(at..at, text.into_bytes());
    Some(planted)
}

fn check_deserialize(
    response: http::Response<Bytes>,
    status: http::StatusCode,
    body: &[u8],
    planted: bool,
) {
    let result = GetResourceOauth2Token::deserialize(response);
    if let Err(e) = &result {
        check_error_text(e, planted);
    }
    if status.is_success() {
        let expected = expected_output(body);
        match (result, expected) {
            (Ok(output), Some(members)) => {
                let got = [
                    output.access_token().map(str::to_string),
                    output.authorization_url().map(str::to_string),
                    output.session_uri().map(str::to_string),
                    output.session_status().map(|s| s.as_str().to_string()),
                ];
                assert_eq!(got, members, "output members differ from the body's");
            }
            (Ok(output), None) => {
                panic!("a body that does not match the model parsed as {output:?}")
            }
            (Err(Error::Response(e)), None) => {
                assert_eq!(e.status(), status);
                assert!(!e.reason().is_empty());
            }
            (Err(e), Some(members)) => {
                panic!("a valid {status} response ({members:?}) failed: {e:?}")
            }
            (Err(e), None) => panic!("a bad {status} response gave a non-response error: {e:?}"),
        }
        return;
    }
    match result {
        Ok(output) => panic!("a {status} response parsed as an output: {output:?}"),
        Err(Error::Service(e)) => {
            assert_eq!(e.status(), status);
            let error = e.err();
            let code = error.meta().code();
            if let Some(code) = code {
                assert!(!code.is_empty() && !code.contains(':'), "code {code:?}");
            }
            let variant = match error {
                GetResourceOauth2TokenError::AccessDeniedException(_) => "AccessDeniedException",
                GetResourceOauth2TokenError::InternalServerException(_) => {
                    "InternalServerException"
                }
                GetResourceOauth2TokenError::ResourceNotFoundException(_) => {
                    "ResourceNotFoundException"
                }
                GetResourceOauth2TokenError::ThrottlingException(_) => "ThrottlingException",
                GetResourceOauth2TokenError::UnauthorizedException(_) => "UnauthorizedException",
                GetResourceOauth2TokenError::ValidationException(_) => "ValidationException",
                GetResourceOauth2TokenError::Unhandled(_) => return,
                other => panic!("unexpected error variant {other:?}"),
            };
            assert_eq!(code, Some(variant), "variant {variant} for code {code:?}");
        }
        Err(e) => panic!("a {status} response gave a non-service error: {e:?}"),
    }
}

/// `e` displays (with its source chain) without panicking, and when a
/// marker was planted in the body, neither its text nor its `Debug` shows it.
pub(crate) fn check_error_text(e: &(dyn std::error::Error + 'static), planted: bool) {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(cause) = source {
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    assert!(!text.is_empty());
    if planted {
        let debug = format!("{e:?}");
        assert!(
            !text.contains(MARKER) && !debug.contains(MARKER),
            "an error shows the body: {text} {debug}"
        );
    }
}

/// What the output's members should be, from an independent reading of the
/// body with `serde_json`: `None` when the body does not match the model.
fn expected_output(body: &[u8]) -> Option<[Option<String>; 4]> {
    let object = if body.iter().all(u8::is_ascii_whitespace) {
        serde_json::Map::new()
    } else {
        match serde_json::from_slice::<Value>(body) {
            Ok(Value::Object(object)) => object,
            _ => return None,
        }
    };
    let mut members: [Option<String>; 4] = Default::default();
    for (slot, name) in members.iter_mut().zip(OUTPUT_MEMBERS) {
        *slot = match object.get(name) {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) => Some(s.clone()),
            Some(_) => return None,
        };
    }
    Some(members)
}

/// Seconds of 0000-01-01T00:00:00Z and 9999-12-31T23:59:59Z: the range in
/// which the four-digit year of `date-time` and `http-date` can round-trip.
const FOUR_DIGIT_YEARS: std::ops::RangeInclusive<i64> = -62_167_219_200..=253_402_300_799;

/// The text helpers generated code calls on header values and JSON members
/// (timestamps, blobs, big numbers, header lists), on each line of the body:
/// never a panic, and what parses formats back to the same value.
fn check_wire_helpers(body: &[u8]) {
    let text = String::from_utf8_lossy(body);
    for line in text.lines().take(8) {
        for parsed in [
            DateTime::parse_date_time(line),
            DateTime::parse_http_date(line),
            json::epoch_seconds_from_text(line),
            rest::timestamp_from_text(line, TimestampFormat::EpochSeconds).ok(),
            rest::timestamp_from_text(line, TimestampFormat::DateTime).ok(),
            rest::timestamp_from_text(line, TimestampFormat::HttpDate).ok(),
        ]
        .into_iter()
        .flatten()
        {
            check_timestamp(parsed);
        }
        if let Ok(value) = serde_json::from_str::<Value>(line) {
            for format in [
                TimestampFormat::DateTime,
                TimestampFormat::HttpDate,
                TimestampFormat::EpochSeconds,
            ] {
                if let Ok(parsed) = json::timestamp_from_json(&value, format) {
                    check_timestamp(parsed);
                }
            }
        }

        if let Ok(bytes) = json::base64_decode(line) {
            let encoded = json::base64_encode(&bytes);
            assert_eq!(json::base64_decode(&encoded).ok(), Some(bytes));
        }
        let _ = rest::base64_text(line);
        if let Some(number) = opgen::BigNumber::parse(line) {
            assert_eq!(number.as_str(), line.trim());
        }

        let items = rest::split_header_list(line);
        let joined: Vec<String> = items.iter().map(|i| rest::header_list_item(i)).collect();
        assert_eq!(
            rest::split_header_list(&joined.join(", ")),
            items,
            "header list items do not round-trip"
        );
        let _ = rest::split_header_values(line, true);
    }
}

fn check_timestamp(t: DateTime) {
    let epoch = t.fmt_epoch_seconds();
    assert_eq!(
        json::epoch_seconds_from_text(&epoch),
        Some(t),
        "epoch-seconds {epoch:?} of {t:?} does not parse back"
    );
    let date_time = t.fmt_date_time();
    let http_date = t.fmt_http_date();
    let _ = t.as_secs_f64();
    if FOUR_DIGIT_YEARS.contains(&t.secs()) {
        assert_eq!(
            DateTime::parse_date_time(&date_time),
            Some(t),
            "date-time {date_time:?} of {t:?} does not parse back"
        );
        if t.subsec_nanos() % 1_000_000 == 0 {
            assert_eq!(
                DateTime::parse_http_date(&http_date),
                Some(t),
                "http-date {http_date:?} of {t:?} does not parse back"
            );
        }
    }
}
