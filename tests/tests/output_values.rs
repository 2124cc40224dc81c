//! Output values: members with a model `@default` that a response leaves
//! out take that default, members without one stay unset; big numbers keep
//! their digits.

mod settings {
    opgen::include_operation!("GetSettings", model = "ui/models/defaults.json");
}

use bytes::Bytes;
use opgen::Operation;
use settings::{GetSettings, Mode};

fn parse(body: &'static str) -> settings::GetSettingsOutput {
    let response = http::Response::builder()
        .status(200)
        .body(Bytes::from_static(body.as_bytes()))
        .unwrap();
    GetSettings::deserialize(response).unwrap()
}

#[test]
fn absent_members_take_their_default() {
    let output = parse("{}");
    assert_eq!(output.retries(), Some(3));
    assert_eq!(output.mode(), Some(&Mode::Fast));
    assert_eq!(output.tags(), &[] as &[String]);
    // From the prelude's PrimitiveBoolean, whose @default is false.
    assert_eq!(output.enabled(), Some(false));
    assert_eq!(output.note(), None);
}

#[test]
fn present_members_keep_their_value() {
    let output = parse(r#"{"retries": 5, "mode": "slow", "enabled": true, "note": "hi"}"#);
    assert_eq!(output.retries(), Some(5));
    assert_eq!(output.mode(), Some(&Mode::Slow));
    assert_eq!(output.enabled(), Some(true));
    assert_eq!(output.note(), Some("hi"));
}

#[test]
fn big_numbers_keep_their_digits() {
    let output = parse(r#"{"total": 12345678901234567890, "ratio": 0.125}"#);
    assert_eq!(
        output.total().map(|n| n.as_str()),
        Some("12345678901234567890")
    );
    assert_eq!(output.ratio().map(|n| n.as_str()), Some("0.125"));
}
