//! `sigv4_canonical`: arbitrary requests through `opgen::sigv4::sign` and
//! `sign_http_request`.

use crate::input::Input;
use opgen::sigv4::{
    sign, sign_http_request, SignableBody, SignableRequest, SignatureLocation, SigningOutput,
    SigningParams, SigningSettings,
};
use opgen::Credentials;
use sha2::{Digest, Sha256};
use std::time::{Duration, UNIX_EPOCH};

const ACCESS_KEY: &str = "AKIDEXAMPLE";
const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
/// Headers the signer never signs.
const UNSIGNED: &[&str] = &[
    "amz-sdk-invocation-id",
    "amz-sdk-request",
    "authorization",
    "connection",
    "expect",
    "transfer-encoding",
    "user-agent",
    "x-amzn-trace-id",
];

/// The input is a flags byte, then lines:
///
/// ```text
/// <flags>GET                 flags: a byte; then the method
/// /path?query                the request target
/// 1440938160                 signing time, seconds since the epoch
/// 900                        presigned validity in seconds (query signing)
/// Host: example.com          header lines, up to an empty line
///
/// body                       the body
/// ```
///
/// Flag bits: 0 `normalize_path`, 1 `double_uri_encode`, 2 `sign_body`,
/// 3 `omit_session_token`, 4 query signing, 5 a session token, 6-7 the body
/// kind (bytes, unsigned, precomputed: the body's first line).
///
/// Invariants: no panic; `sign` fails only for a presigned validity over
/// seven days; it is deterministic; the canonical request has the documented
/// lines (sorted, lowercase, unique signed header names without the unsigned
/// ones; a sorted, fully encoded query; the payload hash), the string to sign
/// ends with its hash, the signature is 64 hex digits and is what the
/// `Authorization` header or `X-Amz-Signature` carries; header name case and
/// the order of distinct names do not change the signature; and
/// `sign_http_request` gives the same signature, also when run a second time
/// on the signed request.
pub fn sigv4_canonical(data: &[u8]) {
    let mut input = Input::new(data);
    let flags = input.byte();
    let method = input.text_line();
    let uri = input.text_line();
    let time = input
        .text_line()
        .trim()
        .parse::<u64>()
        .unwrap_or(1_440_938_160);
    let expires = input.text_line().trim().parse::<u64>().unwrap_or(900);
    let raw_headers = input.header_lines();
    let body = input.rest();

    // At most year 9999: the signing date has four digits.
    let time = UNIX_EPOCH + Duration::from_secs(time % 253_402_300_800);
    let location = if flags & 16 != 0 {
        SignatureLocation::QueryParams {
            expires_in: Duration::from_secs(expires),
        }
    } else {
        SignatureLocation::Headers
    };
    let settings = SigningSettings {
        normalize_path: flags & 1 != 0,
        double_uri_encode: flags & 2 != 0,
        sign_body: flags & 4 != 0,
        omit_session_token: flags & 8 != 0,
        location,
    };
    let token = (flags & 32 != 0).then_some("AQoDYXdzEPT//////////wEXAMPLEtoken+/=");
    let credentials = Credentials::new(ACCESS_KEY, SECRET, token.map(str::to_string));
    let params = SigningParams {
        credentials: &credentials,
        region: "us-east-1",
        service: "service",
        time,
        settings,
    };
    // A precomputed hash is one line: the first of the body.
    let body_text = String::from_utf8_lossy(body);
    let precomputed = body_text.lines().next().unwrap_or("");
    let signable_body = match flags >> 6 {
        0 | 3 => SignableBody::Bytes(body),
        1 => SignableBody::UnsignedPayload,
        _ => SignableBody::Precomputed(precomputed),
    };

    // Header names as an HTTP stack can send them (any case); values any text.
    let headers: Vec<(String, String)> = raw_headers
        .iter()
        .filter(|(name, _)| http::HeaderName::from_bytes(name).is_ok())
        .map(|(name, value)| {
            (
                String::from_utf8_lossy(name).into_owned(),
                String::from_utf8_lossy(value).into_owned(),
            )
        })
        .collect();
    let header_refs: Vec<(&str, &str)> = headers
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    let request = SignableRequest {
        method: &method,
        uri: &uri,
        headers: &header_refs,
        body: signable_body,
    };

    let too_long = expires > 7 * 24 * 60 * 60 && flags & 16 != 0;
    let output = match sign(&request, &params) {
        Ok(output) => output,
        Err(e) => {
            assert!(too_long, "signing failed: {e}");
            assert!(!e.to_string().is_empty());
            return;
        }
    };
    assert!(
        !too_long,
        "a presigned request valid for {expires} s was signed"
    );
    let again = sign(&request, &params).ok();
    assert_eq!(
        again.as_ref(),
        Some(&output),
        "signing is not deterministic"
    );
    let _ = format!("{output:?} {request:?}");

    let expected_hash = match signable_body {
        SignableBody::Bytes(bytes) => hex(&Sha256::digest(bytes)),
        SignableBody::UnsignedPayload => "UNSIGNED-PAYLOAD".to_string(),
        SignableBody::Precomputed(hash) => hash.to_string(),
    };
    let signed_headers = check_canonical_request(&output, &expected_hash, headers.len());
    check_string_to_sign(&output);
    check_placement(&output, &params, &signed_headers);

    // Header names are case-insensitive, and distinct names are sorted: the
    // names uppercased, in reverse order (the values of one name in order).
    let mut names: Vec<String> = header_refs
        .iter()
        .map(|(n, _)| n.to_ascii_uppercase())
        .collect();
    names.sort_by(|a, b| b.cmp(a));
    names.dedup();
    let mut fixed: Vec<(&str, &str)> = Vec::new();
    for name in &names {
        for &(n, v) in &header_refs {
            if n.eq_ignore_ascii_case(name) {
                fixed.push((name, v));
            }
        }
    }
    let variant = SignableRequest {
        headers: &fixed,
        ..request
    };
    match sign(&variant, &params) {
        Ok(other) => assert_eq!(
            other.signature(),
            output.signature(),
            "header case or order changed the signature:\n{}\n---\n{}",
            output.canonical_request(),
            other.canonical_request()
        ),
        Err(e) => panic!("the reordered request failed: {e}"),
    }

    if let SignableBody::Bytes(bytes) = signable_body {
        check_http_request(&method, &uri, &headers, bytes, &params, &output);
    }
}

/// Checks the lines of the canonical request; returns the signed headers.
fn check_canonical_request(output: &SigningOutput, payload_hash: &str, headers: usize) -> String {
    let canonical = output.canonical_request();
    let lines: Vec<&str> = canonical.split('\n').collect();
    assert!(
        lines.len() >= 6,
        "canonical request too short: {canonical:?}"
    );
    let signed = lines[lines.len() - 2];
    // No header at all is possible when presigning (the caller should sign
    // `host`, but nothing forces it).
    let names: Vec<&str> = if signed.is_empty() {
        Vec::new()
    } else {
        signed.split(';').collect()
    };
    assert!(names.windows(2).all(|w| w[0] < w[1]), "unsorted: {signed}");
    for name in &names {
        assert!(!name.is_empty(), "an empty signed header name: {signed:?}");
        assert!(
            !name.bytes().any(|b| b.is_ascii_uppercase()),
            "not lowercase: {signed:?}"
        );
        assert!(!UNSIGNED.contains(name), "{name} must not be signed");
    }
    assert!(names.len() <= headers + 3, "more signed headers than given");
    // method, path, query, one line per header, an empty line, signed, hash.
    assert_eq!(
        lines.len(),
        names.len() + 6,
        "header block does not match the signed names: {canonical:?}"
    );
    for (line, name) in lines[3..3 + names.len()].iter().zip(&names) {
        assert!(
            line.strip_prefix(name).is_some_and(|r| r.starts_with(':')),
            "header line {line:?} is not for {name}"
        );
    }
    assert_eq!(lines[3 + names.len()], "");
    assert_eq!(lines[lines.len() - 1], payload_hash);

    let query = lines[2];
    let pairs: Vec<(&str, &str)> = query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            p.split_once('=')
                .unwrap_or_else(|| panic!("query pair without `=`: {p:?}"))
        })
        .collect();
    assert!(pairs.windows(2).all(|w| w[0] <= w[1]), "unsorted: {query}");
    for (name, value) in pairs {
        assert!(
            is_encoded(name) && is_encoded(value),
            "not encoded: {query}"
        );
    }
    signed.to_string()
}

fn check_string_to_sign(output: &SigningOutput) {
    let lines: Vec<&str> = output.string_to_sign().split('\n').collect();
    assert_eq!(lines.len(), 4, "{:?}", output.string_to_sign());
    assert_eq!(lines[0], "AWS4-HMAC-SHA256");
    assert_eq!(
        lines[3],
        hex(&Sha256::digest(output.canonical_request().as_bytes()))
    );
    let signature = output.signature();
    assert!(
        signature.len() == 64
            && signature
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)),
        "signature {signature:?}"
    );
}

/// The signature and signed headers are where the settings put them.
fn check_placement(output: &SigningOutput, params: &SigningParams<'_>, signed: &str) {
    let date = &output.string_to_sign().split('\n').nth(1).unwrap_or("")[..8];
    let credential = format!("{ACCESS_KEY}/{date}/us-east-1/service/aws4_request");
    match params.settings.location {
        SignatureLocation::Headers => {
            assert!(output.query_params().is_empty());
            let authorization = output
                .headers()
                .iter()
                .find(|(name, _)| *name == "Authorization")
                .map(|(_, value)| value.as_str());
            assert_eq!(
                authorization,
                Some(
                    format!(
                        "AWS4-HMAC-SHA256 Credential={credential}, SignedHeaders={signed}, Signature={}",
                        output.signature()
                    )
                    .as_str()
                )
            );
            assert!(signed.split(';').any(|n| n == "x-amz-date"));
        }
        SignatureLocation::QueryParams { .. } => {
            assert!(output.headers().is_empty());
            let last = output.query_params().last();
            assert_eq!(
                last.map(|(n, v)| (*n, v.as_str())),
                Some(("X-Amz-Signature", output.signature()))
            );
            for (_, value) in output.query_params() {
                assert!(is_encoded(value), "not encoded: {value:?}");
            }
        }
    }
}

/// `sign_http_request` on the same request signs what `sign` signs, and
/// signing the signed request again (a retry) gives the same headers.
fn check_http_request(
    method: &str,
    uri: &str,
    headers: &[(String, String)],
    body: &[u8],
    params: &SigningParams<'_>,
    output: &SigningOutput,
) {
    let Ok(method) = http::Method::from_bytes(method.as_bytes()) else {
        return;
    };
    let Ok(target) = uri.parse::<http::uri::PathAndQuery>() else {
        return;
    };
    if !uri.starts_with('/') || target.as_str() != uri {
        return;
    }
    let mut builder = http::Request::builder()
        .method(method)
        .uri(format!("https://example.amazonaws.com{target}"));
    for (name, value) in headers {
        let Ok(value) = http::HeaderValue::from_str(value) else {
            return;
        };
        builder = builder.header(name.as_str(), value);
    }
    let Ok(mut request) = builder.body(bytes::Bytes::copy_from_slice(body)) else {
        return;
    };
    if request.headers().get_all("host").iter().count() > 1 {
        return;
    }
    if let Err(e) = sign_http_request(&mut request, params) {
        panic!("sign_http_request failed where sign succeeded: {e}");
    }
    if params.settings.location != SignatureLocation::Headers {
        return;
    }
    let had_host = headers.iter().any(|(n, _)| n.eq_ignore_ascii_case("host"));
    let authorization = request
        .headers()
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    if had_host {
        let expected = output
            .headers()
            .iter()
            .find(|(n, _)| *n == "Authorization")
            .map(|(_, v)| v.as_str());
        // The http crate keeps header values byte for byte; `sign` saw the
        // same names, values and body.
        assert_eq!(Some(authorization.as_str()), expected);
    }
    let first = request.headers().clone();
    if let Err(e) = sign_http_request(&mut request, params) {
        panic!("re-signing a signed request failed: {e}");
    }
    assert_eq!(
        request.headers(),
        &first,
        "re-signing a signed request changed its headers"
    );
}

/// Only unreserved characters and `%XX` escapes.
fn is_encoded(text: &str) -> bool {
    let b = text.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            if i + 2 >= b.len() || !(b[i + 1].is_ascii_hexdigit() && b[i + 2].is_ascii_hexdigit()) {
                return false;
            }
            i += 3;
        } else if b[i].is_ascii_alphanumeric() || matches!(b[i], b'-' | b'.' | b'_' | b'~') {
            i += 1;
        } else {
            return false;
        }
    }
    true
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
