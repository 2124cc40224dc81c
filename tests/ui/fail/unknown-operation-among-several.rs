// One misspelled operation among several: its literal gets the one error,
// and the others are still generated, so code using them reports nothing
// more (no cascade of unresolved names).
mod widgets {
    opgen::include_operation!("GetWidget", "PutWidgit", model = "ui-models/widgets.json");
}

fn main() {
    let _ = widgets::GetWidgetInput::builder().id("w-1").build();
}
