//! `model = "PATH"` reads a model of the user's, relative to the crate's
//! manifest directory, and an operation may be named by its absolute shape id.
//!
//! `ui-models/` is `tests/ui/models/`, copied beside trybuild's project by
//! `tests/ui.rs`, because `model =` is relative to that project's manifest.

// The expansion must be warning-free in user code.
#![deny(warnings)]

mod widgets {
    opgen::include_operation!(
        "example.widgets#GetWidget",
        model = "ui-models/widgets.json"
    );
}

use opgen::Operation;
use widgets::{Color, GetWidget, GetWidgetInput};

fn main() {
    let input = GetWidgetInput::builder().id("w 1").build().unwrap();
    let request =
        GetWidget::serialize(&input, &opgen::Endpoint::new("https://widgets.example.com")).unwrap();
    assert_eq!(request.method(), "GET");
    assert_eq!(request.uri().path(), "/widgets/w%201");
    assert_eq!(<GetWidget as Operation>::SERVICE.signing_name, "widgets");
    assert_eq!(
        <GetWidget as Operation>::SERVICE.shape_id,
        "example.widgets#Widgets"
    );
    assert_eq!(Color::values(), ["red", "green"]);
}
