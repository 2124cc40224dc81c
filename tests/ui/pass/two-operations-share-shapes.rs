//! Two operations in one invocation share their common shapes: one
//! `AccessDeniedException` type and one `Widget` serve both operations.
//!
//! `ui-models/` is `tests/ui/models/`, copied beside trybuild's project by
//! `tests/ui.rs`, because `model =` is relative to that project's manifest.

// The expansion must be warning-free in user code.
#![deny(warnings)]

mod widgets {
    opgen::include_operation!("GetWidget", "PutWidget", model = "ui-models/widgets.json");
}

use opgen::Operation;
use widgets::{
    AccessDeniedException, GetWidget, GetWidgetError, PutWidget, PutWidgetError, Widget,
};

fn denied() -> http::Response<bytes::Bytes> {
    http::Response::builder()
        .status(403)
        .header("x-amzn-errortype", "AccessDeniedException")
        .body(bytes::Bytes::from_static(br#"{"message":"denied"}"#))
        .unwrap()
}

fn main() {
    // The same type in both error enums: this only compiles if there is one.
    let from_get: AccessDeniedException = match GetWidget::deserialize(denied())
        .unwrap_err()
        .into_service_error()
    {
        GetWidgetError::AccessDeniedException(e) => e,
        other => panic!("{other:?}"),
    };
    let from_put: AccessDeniedException = match PutWidget::deserialize(denied())
        .unwrap_err()
        .into_service_error()
    {
        PutWidgetError::AccessDeniedException(e) => e,
        other => panic!("{other:?}"),
    };
    assert_eq!(from_get.message(), from_put.message());

    // The widget read by one operation is written by the other.
    let response = http::Response::builder()
        .status(200)
        .body(bytes::Bytes::from_static(
            br#"{"widget":{"name":"gear","color":"red"}}"#,
        ))
        .unwrap();
    let widget: Widget = GetWidget::deserialize(response)
        .unwrap()
        .widget()
        .unwrap()
        .clone();
    let input = widgets::PutWidgetInput::builder()
        .id("w-1")
        .widget(widget)
        .build()
        .unwrap();
    let request =
        PutWidget::serialize(&input, &opgen::Endpoint::new("https://widgets.example.com")).unwrap();
    assert_eq!(request.method(), "PUT");
    assert_eq!(request.uri().path(), "/widgets/w-1");
    let body: serde_json::Value = serde_json::from_slice(request.body()).unwrap();
    assert_eq!(
        body,
        serde_json::json!({"widget": {"name": "gear", "color": "red"}})
    );
}
