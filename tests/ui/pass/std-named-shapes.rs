//! Shapes named `Result`, `String`, `Option`, `Error` and `Box` (and an enum
//! `Ok` with values `Some` and `None`) shadow the prelude inside the
//! generated module; the expansion still compiles because every path it
//! emits is absolute.
//!
//! `ui-models/` is `tests/ui/models/`, copied beside trybuild's project by
//! `tests/ui.rs`, because `model =` is relative to that project's manifest.

// The expansion must be warning-free in user code.
#![deny(warnings)]

mod clash {
    opgen::include_operation!("Run", model = "ui-models/std-names.json");
}

use opgen::Operation;

fn main() {
    let label = clash::String::builder().text("hi").build().unwrap();
    let inner = clash::String::builder().text("in").build().unwrap();
    let boxed = clash::Box::builder().inner(inner).size(3).build().unwrap();
    let input = clash::Option::builder()
        .name("n")
        .label(label)
        .boxed(boxed.clone())
        .items([boxed])
        .flag(true)
        .build()
        .unwrap();
    assert_eq!(input.label().map(clash::String::text), Some("hi"));
    assert_eq!(input.items().len(), 1);
    let request =
        clash::Run::serialize(&input, &opgen::Endpoint::new("https://clash.example.com")).unwrap();
    let body: serde_json::Value = serde_json::from_slice(request.body()).unwrap();
    assert_eq!(body["label"]["text"], "hi");
    assert_eq!(
        body["boxed"],
        serde_json::json!({"inner": {"text": "in"}, "size": 3})
    );

    let ok = http::Response::builder()
        .status(200)
        .body(bytes::Bytes::from_static(
            br#"{"value":{"text":"v"},"ok":"None"}"#,
        ))
        .unwrap();
    let output: clash::Result = clash::Run::deserialize(ok).unwrap();
    assert_eq!(output.value().map(clash::String::text), Some("v"));
    assert_eq!(output.ok(), Some(&clash::Ok::None));

    let failed = http::Response::builder()
        .status(400)
        .header("x-amzn-errortype", "Error")
        .body(bytes::Bytes::from_static(br#"{"message":"bad"}"#))
        .unwrap();
    match clash::Run::deserialize(failed)
        .unwrap_err()
        .into_service_error()
    {
        clash::RunError::Error(e) => assert_eq!(e.message(), Some("bad")),
        other => panic!("{other:?}"),
    }
}
