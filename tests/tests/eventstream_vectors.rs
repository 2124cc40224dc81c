//! The event-stream framing vectors (`../shared/eventstream/vectors.json`,
//! from botocore): every valid message decodes to its headers and payload
//! and encodes back to the same bytes, whole and fed one byte at a time;
//! every invalid one fails with the stated kind of error.

use opgen::event_stream::{FrameErrorKind, HeaderValue, Message, MessageDecoder};
use serde_json::Value;
use std::path::Path;

const VECTORS: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../shared/eventstream/vectors.json"
);
const EXPECTED_VECTORS: usize = 16;

fn hex(text: &str) -> Result<Vec<u8>, String> {
    if text.len() % 2 != 0 {
        return Err(format!("odd hex length {}", text.len()));
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).map_err(|e| e.to_string()))
        .collect()
}

/// A decoded header as the vectors write it (botocore's view: every
/// integer type, timestamps included, is `int`; uuids are `bytes`).
fn as_vector(value: &HeaderValue) -> Value {
    let (ty, value) = match value {
        HeaderValue::Bool(b) => ("bool", Value::from(*b)),
        HeaderValue::Byte(v) => ("int", Value::from(*v)),
        HeaderValue::Short(v) => ("int", Value::from(*v)),
        HeaderValue::Int(v) => ("int", Value::from(*v)),
        HeaderValue::Long(v) => ("int", Value::from(*v)),
        HeaderValue::Timestamp(t) => (
            "int",
            Value::from(t.secs() * 1000 + i64::from(t.subsec_nanos() / 1_000_000)),
        ),
        // Byte arrays are written `{type, hex}`.
        HeaderValue::Bytes(b) => return serde_json::json!({ "type": "bytes", "hex": to_hex(b) }),
        HeaderValue::Uuid(u) => return serde_json::json!({ "type": "bytes", "hex": to_hex(u) }),
        HeaderValue::String(s) => ("string", Value::from(s.as_str())),
        other => ("unknown", Value::from(format!("{other:?}"))),
    };
    serde_json::json!({ "type": ty, "value": value })
}

fn to_hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Feeds `wire` to a decoder one byte at a time.
fn decode_bytewise(wire: &[u8]) -> Result<Vec<Message>, FrameErrorKind> {
    let mut decoder = MessageDecoder::new();
    let mut messages = Vec::new();
    for byte in wire {
        decoder.push(std::slice::from_ref(byte));
        while let Some(m) = decoder.next_message().map_err(|e| e.kind())? {
            messages.push(m);
        }
    }
    decoder.finish().map_err(|e| e.kind())?;
    Ok(messages)
}

fn check_valid(case: &Value) -> Result<(), String> {
    let wire = hex(case["hex"].as_str().ok_or("no hex")?)?;
    let message = Message::decode(&wire).map_err(|e| format!("decode: {e}"))?;
    let headers: serde_json::Map<String, Value> = message
        .headers()
        .iter()
        .map(|h| (h.name().to_owned(), as_vector(h.value())))
        .collect();
    if Value::Object(headers.clone()) != case["headers"] {
        return Err(format!("headers {headers:?}, expected {}", case["headers"]));
    }
    let payload = to_hex(message.payload());
    if case["payloadHex"].as_str() != Some(payload.as_str()) {
        return Err(format!("payload {payload}"));
    }
    // Decoding checked both CRCs; the vector states the same values.
    let word = |at: usize| {
        wire.get(at..at + 4)
            .map(|b| u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
    };
    if case["preludeCrc"].as_u64() != word(8).map(u64::from) {
        return Err("prelude CRC differs from the vector's".into());
    }
    if case["messageCrc"].as_u64() != word(wire.len() - 4).map(u64::from) {
        return Err("message CRC differs from the vector's".into());
    }
    let encoded = message.encode().map_err(|e| format!("encode: {e}"))?;
    if encoded.as_ref() != wire.as_slice() {
        return Err(format!("encoded as {}", to_hex(&encoded)));
    }
    if decode_bytewise(&wire) != Ok(vec![message]) {
        return Err("byte-at-a-time decoding differs".into());
    }
    Ok(())
}

fn check_invalid(case: &Value) -> Result<(), String> {
    let wire = hex(case["hex"].as_str().ok_or("no hex")?)?;
    let expected = case["error"].as_str().ok_or("no error")?;
    let kind = match Message::decode(&wire) {
        Ok(m) => return Err(format!("decoded {m:?}")),
        Err(e) => e.kind(),
    };
    if format!("{kind:?}") != expected {
        return Err(format!("failed with {kind:?}, expected {expected}"));
    }
    match decode_bytewise(&wire) {
        Err(k) if k == kind => Ok(()),
        other => Err(format!("byte-at-a-time: {other:?}")),
    }
}

#[test]
fn eventstream_vectors() {
    if !Path::new(VECTORS).exists() {
        eprintln!("eventstream vectors: skipped, {VECTORS} is absent");
        return;
    }
    let text = std::fs::read_to_string(VECTORS).unwrap();
    let vectors: Value = serde_json::from_str(&text).unwrap();
    let mut passed = 0;
    let mut failures = Vec::new();
    let groups = [
        ("valid", check_valid as fn(&Value) -> Result<(), String>),
        ("invalid", check_invalid),
    ];
    for (group, check) in groups {
        for case in vectors[group].as_array().unwrap() {
            match check(case) {
                Ok(()) => passed += 1,
                Err(e) => failures.push(format!("{group} {}: {e}", case["name"])),
            }
        }
    }
    println!(
        "eventstream vectors: {passed} passed, {} failed",
        failures.len()
    );
    assert!(failures.is_empty(), "{failures:#?}");
    assert_eq!(passed, EXPECTED_VECTORS);
}
