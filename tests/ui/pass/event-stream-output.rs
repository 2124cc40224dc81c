//! An output event stream is a typed receiver of the generated union, and
//! a `futures_core::Stream` of its events.
//!
//! `ui-models/` is `tests/ui/models/`, copied beside trybuild's project by
//! `tests/ui.rs`.

mod streams {
    opgen::include_operation!("WatchThings", model = "ui-models/event-stream.json");
}

fn assert_stream<S: futures_core::Stream>(_: &S) {}

async fn watch(client: &opgen::Client) -> Result<(), opgen::Error<streams::WatchThingsError>> {
    let mut output = client.send(streams::WatchThingsInput::builder().build()?).await?;
    let mut events: opgen::event_stream::EventReceiver<
        streams::ThingEvents,
        streams::WatchThingsError,
    > = output.take_events().unwrap_or_default();
    assert_stream(&events);
    while let Some(event) = events.recv().await? {
        match event {
            streams::ThingEvents::Changed(thing) => println!("{:?}", thing.name()),
            streams::ThingEvents::Unknown => println!("an event of a later model"),
            _ => {}
        }
    }
    Ok(())
}

fn main() {
    let _ = watch;
}
