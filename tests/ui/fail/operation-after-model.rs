// Operations come before `model = …`: one listed after it is an error at
// that operation's literal.
mod widgets {
    opgen::include_operation!("GetWidget", model = "ui-models/widgets.json", "PutWidget");
}

fn main() {}
