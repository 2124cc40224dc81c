//! `profile_files` and `credentials_json`: the parsers of what the
//! environment hands the credential chain (the shared config and
//! credentials files; `credential_process` output and the container and
//! IMDS responses).

use opgen::profile::ProfileSet;
use serde_json::{Map, Value};

/// Planted as a secret value; no `Debug` or error text may show it.
const MARKER: &str = "SECRET-MARKER-";

/// The input is the config file's text, then a NUL byte, then the
/// credentials file's text (absent: empty). Invalid UTF-8 is replaced, as
/// `ProfileSet::load` does.
///
/// Invariants: parsing never panics and is deterministic; profile names are
/// non-empty and of the allowed characters; property keys are non-empty,
/// lowercase, without surrounding whitespace, and found whatever their
/// case; values have no surrounding whitespace. A profile appended to the
/// config file, whatever came before it, is read with its secret, and the
/// set's `Debug` never shows that secret.
pub fn profile_files(data: &[u8]) {
    let (config, credentials) = match data.iter().position(|&b| b == 0) {
        Some(at) => (&data[..at], &data[at + 1..]),
        None => (data, &data[data.len()..]),
    };
    let config = String::from_utf8_lossy(config);
    let credentials = String::from_utf8_lossy(credentials);
    let set = ProfileSet::parse(&config, &credentials, "default");
    assert_eq!(
        set,
        ProfileSet::parse(&config, &credentials, "default"),
        "parsing is not deterministic"
    );
    for name in set.names() {
        assert!(
            !name.is_empty()
                && name
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "_-/.%@:+".contains(c)),
            "profile name {name:?}"
        );
        let Some(profile) = set.get(name) else {
            panic!("listed profile {name:?} is not found");
        };
        assert_eq!(profile.name(), name);
        for key in profile.keys() {
            assert!(
                !key.is_empty() && key.trim() == key && !key.contains('='),
                "key {key:?}"
            );
            assert_eq!(
                key,
                key.to_ascii_lowercase(),
                "key {key:?} is not lowercase"
            );
            let value = profile.get(key);
            assert_eq!(profile.get(&key.to_ascii_uppercase()), value);
            let Some(value) = value else {
                panic!("listed key {key:?} has no value");
            };
            assert_eq!(value.trim(), value, "value of {key:?} keeps whitespace");
        }
    }

    let text = format!("{config}{credentials}");
    if text.contains(MARKER) || text.contains("fuzz-marker") {
        return;
    }
    let secret = format!("{MARKER}value");
    let planted = format!("{config}\n[profile fuzz-marker]\naws_secret_access_key = {secret}\n");
    let set = ProfileSet::parse(&planted, &credentials, "fuzz-marker");
    assert_eq!(
        set.selected().and_then(|p| p.get("aws_secret_access_key")),
        Some(secret.as_str()),
        "a profile after the input is not read"
    );
    let debug = format!("{set:?}");
    assert!(!debug.contains(MARKER), "Debug shows a value: {debug}");
}

/// The input is a format byte (odd: `credential_process` output, else a
/// container or IMDS response), then the JSON document.
///
/// Invariants: parsing never panics; it succeeds exactly when an
/// independent reading with `serde_json` finds a valid document (an
/// `Expiration` that is not a timestamp may still fail it), and then gives
/// the document's keys and token, and an expiry exactly when the document
/// has one; with the secret key and token replaced by a marker, neither an
/// error nor the credentials' `Debug` shows it.
pub fn credentials_json(data: &[u8]) {
    let Some((&format, body)) = data.split_first() else {
        return;
    };
    let process = format % 2 == 1;
    let parsed = opgen::__private::parse_credentials_json(body, process);
    match (expected(body, process), &parsed) {
        (Expected::Invalid, Ok(credentials)) => {
            panic!("an invalid document gave {credentials:?}")
        }
        (Expected::Invalid, Err(message)) => assert!(!message.is_empty()),
        (Expected::Valid { expiration, .. }, Err(message)) => assert!(
            expiration.is_some() && message.contains("Expiration"),
            "a valid document failed: {message}"
        ),
        (
            Expected::Valid {
                access_key_id,
                secret_access_key,
                session_token,
                expiration,
            },
            Ok(credentials),
        ) => {
            assert_eq!(credentials.access_key_id(), access_key_id);
            assert_eq!(credentials.secret_access_key(), secret_access_key);
            assert_eq!(credentials.session_token(), session_token.as_deref());
            assert_eq!(credentials.expiry().is_some(), expiration.is_some());
        }
    }

    let Ok(Value::Object(mut object)) = serde_json::from_slice::<Value>(body) else {
        return;
    };
    if body.windows(MARKER.len()).any(|w| w == MARKER.as_bytes()) {
        return;
    }
    for key in ["SecretAccessKey", "SessionToken", "Token"] {
        if let Some(Value::String(value)) = object.get_mut(key) {
            *value = format!("{MARKER}{value}");
        }
    }
    let planted = Value::Object(object).to_string();
    let text = match opgen::__private::parse_credentials_json(planted.as_bytes(), process) {
        Ok(credentials) => format!("{credentials:?}"),
        Err(message) => message,
    };
    assert!(!text.contains(MARKER), "a secret shows: {text}");
}

enum Expected {
    Invalid,
    Valid {
        access_key_id: String,
        secret_access_key: String,
        session_token: Option<String>,
        expiration: Option<String>,
    },
}

/// What the document should give, read independently of the library.
fn expected(body: &[u8], process: bool) -> Expected {
    let Ok(Value::Object(object)) = serde_json::from_slice::<Value>(body) else {
        return Expected::Invalid;
    };
    let version_ok = if process {
        object.get("Version").and_then(Value::as_u64) == Some(1)
    } else {
        match object.get("Code") {
            None => true,
            Some(code) => code.as_str() == Some("Success"),
        }
    };
    // Absent, null and empty are all "not given"; another type is invalid.
    let text = |object: &Map<String, Value>, key: &str| -> Result<Option<String>, ()> {
        match object.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) if s.is_empty() => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(_) => Err(()),
        }
    };
    let token_key = if process { "SessionToken" } else { "Token" };
    match (
        version_ok,
        text(&object, "AccessKeyId"),
        text(&object, "SecretAccessKey"),
        text(&object, token_key),
        text(&object, "Expiration"),
    ) {
        (
            true,
            Ok(Some(access_key_id)),
            Ok(Some(secret_access_key)),
            Ok(session_token),
            Ok(expiration),
        ) => Expected::Valid {
            access_key_id,
            secret_access_key,
            session_token,
            expiration,
        },
        _ => Expected::Invalid,
    }
}
