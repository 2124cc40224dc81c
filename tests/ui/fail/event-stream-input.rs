// An operation sending an event stream over a protocol that cannot yet (the
// RPC protocols' `initial-request`) fails alone: the other operation of the
// invocation is still generated, so the only error is the one on "Push".
// Input streams over restJson1 are supported (tests/input_streams.rs).
mod streams {
    opgen::include_operation!("Ping", "Push", model = "ui-models/event-stream-input-rpc.json");
}

fn main() {
    let input = streams::PingInput::builder().id("thing-1").build().unwrap();
    assert_eq!(input.id(), Some("thing-1"));
}
