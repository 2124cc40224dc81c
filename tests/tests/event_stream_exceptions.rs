//! An `exception` event of a restXml output stream (fixture
//! `ui/models/event-stream-xml.json`, shaped like S3 `SelectObjectContent`,
//! whose model declares no error member) ends the stream with the
//! operation's modeled error, read from the XML payload; read through the
//! sans-IO `deserialize` of a whole body.

mod select {
    opgen::include_operation!("Select", model = "ui/models/event-stream-xml.json");
}

use opgen::event_stream::{HeaderValue, Message};
use opgen::Operation;

fn frame(headers: &[(&str, &str)], payload: &str) -> Vec<u8> {
    let mut message = Message::new(payload.to_owned());
    for (name, value) in headers {
        message = message.with_header(*name, HeaderValue::String((*value).into()));
    }
    message.encode().unwrap().to_vec()
}

#[tokio::test]
async fn a_rest_xml_exception_event_is_the_modeled_error() {
    let body = [
        frame(
            &[
                (":message-type", "event"),
                (":event-type", "Records"),
                (":content-type", "application/octet-stream"),
            ],
            "a,b\n",
        ),
        frame(
            &[
                (":message-type", "exception"),
                (":exception-type", "Failed"),
                (":content-type", "text/xml"),
            ],
            "<QueryFailed><Message>bad column</Message><Line>3</Line></QueryFailed>",
        ),
    ]
    .concat();
    let response = http::Response::builder()
        .status(200)
        .body(bytes::Bytes::from(body))
        .unwrap();
    let mut output = select::Select::deserialize(response).unwrap();
    let mut events = output.take_payload().unwrap();
    let records = events.recv().await.unwrap().unwrap();
    let select::SelectEvents::Records(records) = records else {
        panic!("{records:?}")
    };
    assert_eq!(records.payload().map(|p| p.as_bytes()), Some(&b"a,b\n"[..]));
    let error = events.recv().await.unwrap_err();
    let service = error.into_service_error();
    let select::SelectError::QueryFailed(failed) = service else {
        panic!("not the modeled error: {service:?}")
    };
    assert_eq!(failed.message(), Some("bad column"));
    assert_eq!(failed.line(), Some(3));
    assert!(events.recv().await.unwrap().is_none());
}
