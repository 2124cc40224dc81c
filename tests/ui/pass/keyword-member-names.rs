//! Members named like Rust keywords (`match`, `type`, `async`, `loop`) are
//! raw identifiers; those that cannot be raw (`self`, `super`, `crate`) get a
//! `_` suffix. The wire keeps the model's names, in the label, query,
//! header and body.
//!
//! `ui-models/` is `tests/ui/models/`, copied beside trybuild's project by
//! `tests/ui.rs`, because `model =` is relative to that project's manifest.

// The expansion must be warning-free in user code.
#![deny(warnings)]

mod collisions {
    opgen::include_operation!("Match", model = "ui-models/name-collisions.json");
}

use collisions::{Match, MatchError, MatchInput};
use opgen::Operation;

fn main() {
    let input = MatchInput::builder()
        .r#match("m1")
        .r#type("t1")
        .self_("me")
        .r#async(true)
        .r#loop(3)
        .super_("up")
        .crate_("c1")
        .build()
        .unwrap();
    // Members of operation inputs are `Option`s, required or not.
    assert_eq!(input.r#match(), Some("m1"));
    assert_eq!(input.r#type(), Some("t1"));
    assert_eq!(input.self_(), Some("me"));

    let request = Match::serialize(
        &input,
        &opgen::Endpoint::new("https://collisions.example.com"),
    )
    .unwrap();
    assert_eq!(request.method(), "PUT");
    assert_eq!(request.uri().path(), "/match/m1");
    assert_eq!(request.uri().query(), Some("type=t1"));
    assert_eq!(request.headers()["x-self"], "me");
    let body: serde_json::Value = serde_json::from_slice(request.body()).unwrap();
    assert_eq!(
        body,
        serde_json::json!({"async": true, "loop": 3, "super": "up", "crate": "c1"})
    );

    let output = Match::deserialize(
        http::Response::builder()
            .status(200)
            .body(bytes::Bytes::from_static(br#"{"type":"t2","in":"i2"}"#))
            .unwrap(),
    )
    .unwrap();
    assert_eq!(output.r#type(), Some("t2"));
    assert_eq!(output.r#in(), Some("i2"));

    let missing = MatchInput::builder().r#type("t").build().unwrap_err();
    assert_eq!(missing.member(), Some("match"));

    // `Match` has no modeled errors: its `MatchError` has only `Unhandled`.
    let err: MatchError = Match::deserialize(
        http::Response::builder()
            .status(500)
            .header("x-amzn-errortype", "InternalFailure")
            .body(bytes::Bytes::from_static(br#"{"message":"boom"}"#))
            .unwrap(),
    )
    .unwrap_err()
    .into_service_error();
    match err {
        MatchError::Unhandled(e) => assert_eq!(e.meta().code(), Some("InternalFailure")),
        other => panic!("{other:?}"),
    }
}
