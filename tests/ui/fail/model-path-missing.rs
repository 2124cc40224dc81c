// A `model =` path that does not exist: the error is at the path literal.
mod widgets {
    opgen::include_operation!("GetWidget", model = "ui-models/no-such-model.json");
}

fn main() {}
