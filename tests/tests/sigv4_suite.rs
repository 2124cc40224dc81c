//! The AWS SigV4 test suite (`../shared/sigv4/v4`), checked case by case at
//! each stage: canonical request, string to sign, signature and signed
//! request, in both the header and the query (presigned) form.

use opgen::sigv4::{
    sign, SignableBody, SignableRequest, SignatureLocation, SigningOutput, SigningParams,
    SigningSettings,
};
use opgen::Credentials;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

const SUITE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/sigv4/v4");
const EXPECTED_CASES: usize = 38;

/// A request parsed from `request.txt`, keeping the raw header lines to
/// rebuild the signed request byte for byte.
struct RawRequest {
    method: String,
    target: String,
    headers: Vec<(String, String)>,
    header_lines: Vec<String>,
    body: String,
}

fn parse_request(text: &str) -> Result<RawRequest, String> {
    let (head, body) = match text.split_once("\n\n") {
        Some((head, body)) => (head, body),
        None => (text.trim_end_matches('\n'), ""),
    };
    let mut lines = head.split('\n');
    let request_line = lines.next().ok_or("empty request")?;
    // The target may hold spaces (`/example space/`): the method ends at
    // the first space and the version starts at the last.
    let (method, rest) = request_line
        .split_once(' ')
        .ok_or("no space in the request line")?;
    let (target, _version) = rest
        .rsplit_once(' ')
        .ok_or("no version in the request line")?;
    let mut headers: Vec<(String, String)> = Vec::new();
    let mut header_lines = Vec::new();
    for line in lines {
        header_lines.push(line.to_owned());
        if line.starts_with([' ', '\t']) {
            // An obsolete folded (multi-line) value continues the last header.
            let (_, value) = headers
                .last_mut()
                .ok_or("continuation line before any header")?;
            value.push('\n');
            value.push_str(line);
        } else {
            let (name, value) = line
                .split_once(':')
                .ok_or_else(|| format!("header line without `:`: {line:?}"))?;
            headers.push((name.to_owned(), value.to_owned()));
        }
    }
    Ok(RawRequest {
        method: method.to_owned(),
        target: target.to_owned(),
        headers,
        header_lines,
        body: body.to_owned(),
    })
}

/// `2015-08-30T12:36:00Z` as a `SystemTime`.
fn parse_timestamp(text: &str) -> Result<SystemTime, String> {
    let bad = || format!("bad timestamp {text:?}");
    let number = |range: std::ops::Range<usize>| -> Result<u64, String> {
        text.get(range)
            .and_then(|digits| digits.parse().ok())
            .ok_or_else(bad)
    };
    if text.len() != 20 || !text.ends_with('Z') {
        return Err(bad());
    }
    let (year, month, day) = (number(0..4)?, number(5..7)?, number(8..10)?);
    let (hour, minute, second) = (number(11..13)?, number(14..16)?, number(17..19)?);
    // Howard Hinnant's days_from_civil, for dates after 1970.
    let year = if month <= 2 { year - 1 } else { year };
    let era = year / 400;
    let year_of_era = year % 400;
    let shifted_month = if month > 2 { month - 3 } else { month + 9 };
    let day_of_year = (153 * shifted_month + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    let days = era * 146_097 + day_of_era - 719_468;
    Ok(UNIX_EPOCH + Duration::from_secs(days * 86_400 + hour * 3600 + minute * 60 + second))
}

fn signed_request(request: &RawRequest, output: &SigningOutput) -> String {
    let mut target = request.target.clone();
    for (name, value) in output.query_params() {
        target.push(if target.contains('?') { '&' } else { '?' });
        target.push_str(&format!("{name}={value}"));
    }
    let mut lines = vec![format!("{} {target} HTTP/1.1", request.method)];
    lines.extend(request.header_lines.iter().cloned());
    lines.extend(
        output
            .headers()
            .iter()
            .map(|(name, value)| format!("{name}:{value}")),
    );
    format!("{}\n\n{}", lines.join("\n"), request.body)
}

/// Runs one case; returns the failed stages, each with expected and actual.
fn run_case(dir: &Path) -> Result<Vec<String>, String> {
    let read = |name: &str| {
        fs::read_to_string(dir.join(name)).map_err(|e| format!("cannot read {name}: {e}"))
    };
    let context: serde_json::Value =
        serde_json::from_str(&read("context.json")?).map_err(|e| e.to_string())?;
    let text = |pointer: &str| -> Result<&str, String> {
        context
            .pointer(pointer)
            .and_then(serde_json::Value::as_str)
            .ok_or_else(|| format!("context.json has no string at {pointer}"))
    };
    let flag = |pointer: &str| {
        context
            .pointer(pointer)
            .and_then(serde_json::Value::as_bool)
            .unwrap_or(false)
    };
    let credentials = Credentials::new(
        text("/credentials/access_key_id")?,
        text("/credentials/secret_access_key")?,
        text("/credentials/token").ok().map(str::to_owned),
    );
    let expires_in = context
        .pointer("/expiration_in_seconds")
        .and_then(serde_json::Value::as_u64)
        .ok_or("context.json has no expiration_in_seconds")?;
    let request = parse_request(&read("request.txt")?)?;
    let headers: Vec<(&str, &str)> = request
        .headers
        .iter()
        .map(|(name, value)| (name.as_str(), value.as_str()))
        .collect();
    let signable = SignableRequest {
        method: &request.method,
        uri: &request.target,
        headers: &headers,
        body: SignableBody::Bytes(request.body.as_bytes()),
    };

    let mut failures = Vec::new();
    for (form, location) in [
        ("header", SignatureLocation::Headers),
        (
            "query",
            SignatureLocation::QueryParams {
                expires_in: Duration::from_secs(expires_in),
            },
        ),
    ] {
        let params = SigningParams {
            credentials: &credentials,
            region: text("/region")?,
            service: text("/service")?,
            time: parse_timestamp(text("/timestamp")?)?,
            settings: SigningSettings {
                normalize_path: flag("/normalize"),
                sign_body: flag("/sign_body"),
                omit_session_token: flag("/omit_session_token"),
                location,
                ..SigningSettings::default()
            },
        };
        let output = match sign(&signable, &params) {
            Ok(output) => output,
            Err(e) => {
                failures.push(format!("{form}: signing failed: {e}"));
                continue;
            }
        };
        let stages = [
            ("canonical-request", output.canonical_request().to_owned()),
            ("string-to-sign", output.string_to_sign().to_owned()),
            ("signature", output.signature().to_owned()),
            ("signed-request", signed_request(&request, &output)),
        ];
        for (stage, actual) in stages {
            let expected = read(&format!("{form}-{stage}.txt"))?;
            if actual != expected {
                failures.push(format!(
                    "{form}-{stage}:\n--- expected\n{expected}\n--- actual\n{actual}\n---"
                ));
            }
        }
    }
    Ok(failures)
}

#[test]
fn every_case_of_the_aws_suite_signs_byte_for_byte() {
    let suite = PathBuf::from(SUITE);
    if !suite.is_dir() {
        println!(
            "skipping the SigV4 suite: {} not found (the shared test data is absent)",
            suite.display()
        );
        return;
    }
    let mut cases: Vec<PathBuf> = fs::read_dir(&suite)
        .expect("read the suite directory")
        .map(|entry| entry.expect("read a suite entry").path())
        .filter(|path| path.is_dir())
        .collect();
    cases.sort();

    let (mut passed, mut failed) = (0, 0);
    for case in &cases {
        let name = case.file_name().unwrap_or_default().to_string_lossy();
        match run_case(case) {
            Ok(failures) if failures.is_empty() => passed += 1,
            Ok(failures) => {
                failed += 1;
                for failure in failures {
                    println!("FAIL {name} {failure}");
                }
            }
            Err(e) => {
                failed += 1;
                println!("FAIL {name}: {e}");
            }
        }
    }
    println!("sigv4: {passed} passed, {failed} failed");
    assert_eq!(failed, 0, "some SigV4 cases failed; see the output above");
    assert_eq!(cases.len(), EXPECTED_CASES, "unexpected number of cases");
}
