// An operation sending an event stream (not supported yet) fails alone: the
// other operation of the invocation is still generated, so the only error is
// the one on "SendThings". An output stream ("WatchThings") is supported.
mod streams {
    opgen::include_operation!("GetThing", "SendThings", model = "ui-models/event-stream.json");
}

fn main() {
    let input = streams::GetThingInput::builder().id("thing-1").build().unwrap();
    assert_eq!(input.id(), Some("thing-1"));
}
