// A model file that is not valid JSON: the error gives its line and column.
mod broken {
    opgen::include_operation!("Op", model = "ui-models/invalid.json");
}

fn main() {}
