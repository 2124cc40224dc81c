//! `response_shapes`: arbitrary HTTP responses through an operation whose
//! output has a member of every shape type (numbers of each width, big
//! numbers, booleans, strings, blobs, timestamps in each format, enums and
//! intEnums, nested and sparse lists and maps, a recursive structure, a
//! union, a document, a `@sensitive` string), bound to the body, to headers,
//! to prefix headers and to the status code, generated for restJson1,
//! awsJson1_1 and rpcv2Cbor from `models/shapes.json`.

use crate::input::Input;
use crate::response::{check_error_text, holds_marker, plant_marker, response_head};
use bytes::Bytes;
use opgen::{Error, Operation};
use serde_json::Value;

mod rest_json {
    opgen::include_operation!(
        "GetShapes",
        model = "models/shapes.json",
        protocol = "restJson1"
    );
}
mod aws_json {
    opgen::include_operation!(
        "GetShapes",
        model = "models/shapes.json",
        protocol = "awsJson1_1"
    );
}
mod cbor {
    opgen::include_operation!(
        "GetShapes",
        model = "models/shapes.json",
        protocol = "rpcv2Cbor"
    );
}

/// The input is a protocol byte (`0` restJson1, `1` awsJson1_1, else
/// rpcv2Cbor; seeds write it as the digit `'0'`, `'1'`, `'2'`, and only
/// its value modulo 3 counts), then an HTTP response written out as for
/// `response_parsing`: a status line, header lines up to an empty line, the
/// body.
///
/// Invariants, for each protocol: `deserialize` never panics and every
/// error displays; the error's status is the response's; a 2xx response
/// gives the output or `Error::Response`, any other status
/// `Error::Service`; no error shows the body, and the output's `Debug`
/// redacts the `@sensitive` member. For restJson1, a parsed output agrees with the
/// response: the status member is the status, header members are the
/// headers' values, every `x-meta-` header is in the prefix map, and the
/// body's scalars are the values `serde_json` reads.
pub fn response_shapes(data: &[u8]) {
    let mut input = Input::new(data);
    let protocol = input.byte() % 3;
    let (status, builder) = response_head(&mut input);
    let given = input.rest();
    // The marker goes into JSON bodies only: CBOR's text is not JSON.
    // (Nor where the input already holds it: headers are the service's own
    // text, which errors may show.)
    let planted = if protocol == 2 || holds_marker(data) {
        None
    } else {
        plant_marker(given)
    };
    let body = Bytes::copy_from_slice(planted.as_deref().unwrap_or(given));
    let response = match builder.body(body.clone()) {
        Ok(response) => response,
        Err(e) => panic!("the harness built an invalid response: {e}"),
    };
    match protocol {
        0 => {
            let headers = response.headers().clone();
            let result = rest_json::GetShapes::deserialize(response);
            check_outcome(&result, status, planted.is_some());
            if let Ok(output) = &result {
                check_rest_output(output, status, &headers, &body);
                if output.secret().is_some() {
                    let debug = format!("{output:?}");
                    assert!(
                        debug.contains("secret: \"*** Sensitive Data Redacted ***\""),
                        "the @sensitive member shows in {debug}"
                    );
                }
            }
        }
        1 => check_outcome(
            &aws_json::GetShapes::deserialize(response),
            status,
            planted.is_some(),
        ),
        _ => check_outcome(&cbor::GetShapes::deserialize(response), status, false),
    }
}

fn check_outcome<
    O: std::fmt::Debug,
    E: opgen::ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
>(
    result: &Result<O, Error<E>>,
    status: http::StatusCode,
    planted: bool,
) {
    match result {
        Ok(output) => {
            assert!(
                status.is_success(),
                "a {status} response parsed as {output:?}"
            );
        }
        Err(e) => {
            check_error_text(e, planted);
            match e {
                Error::Response(e) => {
                    assert!(status.is_success(), "a {status} response gave {e:?}");
                    assert_eq!(e.status(), status);
                }
                Error::Service(e) => {
                    assert!(!status.is_success(), "a {status} response gave {e:?}");
                    assert_eq!(e.status(), status);
                }
                other => panic!("a {status} response gave {other:?}"),
            }
        }
    }
}

/// What a header-bound member reads: every value of the header (those that
/// are text), joined with `, ` as HTTP allows repeated headers to be.
fn header(headers: &http::HeaderMap, name: &str) -> Option<String> {
    let mut values = headers.get_all(name).iter().peekable();
    values.peek()?;
    let texts: Vec<&str> = values.filter_map(|v| v.to_str().ok()).collect();
    Some(texts.join(", "))
}

fn check_rest_output(
    output: &rest_json::GetShapesOutput,
    status: http::StatusCode,
    headers: &http::HeaderMap,
    body: &[u8],
) {
    assert_eq!(output.status(), Some(i32::from(status.as_u16())));
    match header(headers, "x-count") {
        Some(text) => assert_eq!(output.count(), text.trim().parse::<i32>().ok()),
        None => assert_eq!(output.count(), None),
    }
    match header(headers, "x-flag") {
        Some(text) => assert_eq!(output.flag(), text.trim().parse::<bool>().ok()),
        None => assert_eq!(output.flag(), None),
    }
    if let Some(text) = header(headers, "x-level") {
        assert_eq!(output.level().map(|l| l.as_str()), Some(text.as_str()));
    }
    for name in headers.keys() {
        let Some(suffix) = name.as_str().strip_prefix("x-meta-") else {
            continue;
        };
        assert_eq!(
            output.meta().and_then(|meta| meta.get(suffix)),
            header(headers, name.as_str()).as_ref(),
            "prefix header {name}"
        );
    }
    // The body was accepted, so it is a JSON object (or empty).
    let object = match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(object)) => object,
        _ => {
            assert!(
                body.iter().all(u8::is_ascii_whitespace),
                "a body that is not a JSON object parsed"
            );
            serde_json::Map::new()
        }
    };
    let number = |key: &str| object.get(key).and_then(Value::as_i64);
    if let Some(n) = number("integerValue") {
        assert_eq!(output.integer_value().map(i64::from), Some(n));
    }
    if let Some(n) = number("longValue") {
        assert_eq!(output.long_value(), Some(n));
    }
    if let Some(n) = number("byteValue") {
        assert_eq!(output.byte_value().map(i64::from), Some(n));
    }
    if let Some(Value::String(s)) = object.get("stringValue") {
        assert_eq!(output.string_value(), Some(s.as_str()));
    }
    if let Some(Value::Bool(b)) = object.get("booleanValue") {
        assert_eq!(output.boolean_value(), Some(*b));
    }
    match object.get("defaulted") {
        None | Some(Value::Null) => assert_eq!(output.defaulted(), Some(7)),
        Some(value) => assert_eq!(output.defaulted().map(i64::from), value.as_i64()),
    }
    if let Some(Value::Array(items)) = object.get("nodes") {
        assert_eq!(output.nodes().len(), items.len());
    }
    if let Some(Value::Array(items)) = object.get("sparse") {
        assert_eq!(output.sparse().len(), items.len());
        for (got, item) in output.sparse().iter().zip(items) {
            assert_eq!(got.as_deref(), item.as_str());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The harness's output checks only run on outputs that parse: the
    /// seed with every member must parse, header-, status- and body-bound.
    #[test]
    fn the_full_seed_parses_every_member() {
        let seed = include_bytes!("../seeds/response_shapes/full_rest_json");
        let mut input = Input::new(seed);
        assert_eq!(input.byte(), b'0');
        let (status, builder) = response_head(&mut input);
        assert_eq!(status, 200);
        let response = builder
            .body(Bytes::copy_from_slice(input.rest()))
            .expect("a valid response");
        let output = rest_json::GetShapes::deserialize(response).expect("the seed parses");
        assert_eq!(output.status(), Some(200));
        assert_eq!(output.count(), Some(12));
        assert_eq!(output.tags(), ["a", "b,c", "d"]);
        assert_eq!(output.ids(), [1, 2, 3]);
        assert_eq!(output.meta().map(|m| m.len()), Some(2));
        assert_eq!(output.long_value(), Some(9_007_199_254_740_993));
        assert_eq!(output.nodes()[0].children()[0].name(), "leaf");
        assert_eq!(output.sparse(), [Some("a".into()), None, Some("b".into())]);
        assert_eq!(output.defaulted(), Some(7));
        assert!(output.choice().is_some_and(|c| c.is_node()));
        assert!(output.document().is_some());
        assert_eq!(output.secret(), Some("hunter2-hunter2"));
        assert!(!format!("{output:?}").contains("hunter2"));
    }
}
