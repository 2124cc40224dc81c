//! Event-stream helpers of generated code.

use crate::event_stream::{
    EventSender, Header, InitialResponse, InputEvents, Message, MessageDecoder,
};
use crate::{BuildError, Error, Operation, ResponseError};
use bytes::Bytes;

pub use crate::event_stream::{EventDecoders, EventReceiver, HeaderValue};

/// The error of an `exception` message, made into an error response of
/// `O` and read as `O` reads any: `O`'s modeled error or `Unhandled`.
pub fn exception<O: Operation>(response: http::Response<Bytes>) -> Error<O::Error> {
    let raw = response.clone();
    match O::deserialize(response) {
        Err(error) => error,
        Ok(_) => Error::Response(ResponseError::new(
            "an exception event read as a success",
            &raw,
        )),
    }
}

/// A whole event-stream response (sans-IO `Operation::deserialize` of an
/// RPC protocol) as the client hands over one that is arriving: a first
/// `initial-response` event moved to the extensions, the rest the body.
pub fn with_initial_response(response: http::Response<Bytes>) -> http::Response<crate::ByteStream> {
    let (mut head, body) = response.into_parts();
    let mut decoder = MessageDecoder::new();
    decoder.push(&body);
    let rest = match decoder.next_message() {
        Ok(Some(message)) if is_initial_response(&message) => {
            head.extensions.insert(InitialResponse(message));
            decoder.into_buffered()
        }
        // Anything else, a bad frame included, is for the receiver to read.
        _ => body,
    };
    http::Response::from_parts(head, crate::ByteStream::new(rest))
}

/// Whether `message` is the `initial-response` event of an RPC stream.
pub(crate) fn is_initial_response(message: &Message) -> bool {
    message.header_str(":event-type") == Some("initial-response")
}

/// The payload of the `initial-response` event the client read, if any.
pub fn initial_response<B>(response: &http::Response<B>) -> Option<&Bytes> {
    response
        .extensions()
        .get::<InitialResponse>()
        .map(|initial| initial.0.payload())
}

/// The payload of `message` as a JSON object; an empty payload is an
/// empty object.
pub fn json_object(
    payload: &[u8],
) -> Result<crate::__private::serde_json::Map<String, serde_json::Value>, String> {
    if payload.iter().all(u8::is_ascii_whitespace) {
        return Ok(serde_json::Map::new());
    }
    match serde_json::from_slice(payload) {
        Ok(serde_json::Value::Object(map)) => Ok(map),
        Ok(other) => Err(super::json::expected("a JSON object", &other)),
        Err(e) => Err(format!("invalid JSON event payload: {e}")),
    }
}

/// The value of the header `name` of `message`, converted for an
/// `@eventHeader` member.
pub fn header<T: FromHeader>(message: &Message, name: &str) -> Result<Option<T>, String> {
    match message.header(name) {
        None => Ok(None),
        Some(value) => T::from_header(value)
            .map(Some)
            .ok_or_else(|| format!("event header {name} has the wrong type: {value:?}")),
    }
}

/// A member type an `@eventHeader` can carry.
pub trait FromHeader: Sized {
    /// The value, if `value` has a matching type.
    fn from_header(value: &HeaderValue) -> Option<Self>;
}

macro_rules! from_header {
    ($($ty:ty => |$v:ident| $body:expr;)*) => {$(
        impl FromHeader for $ty {
            fn from_header(value: &HeaderValue) -> Option<Self> {
                let $v = value;
                $body
            }
        }
    )*};
}

from_header! {
    bool => |v| match v { HeaderValue::Bool(b) => Some(*b), _ => None };
    i8 => |v| match v { HeaderValue::Byte(b) => Some(*b), _ => None };
    i16 => |v| match v {
        HeaderValue::Byte(b) => Some(i16::from(*b)),
        HeaderValue::Short(b) => Some(*b),
        _ => None,
    };
    i32 => |v| match v {
        HeaderValue::Byte(b) => Some(i32::from(*b)),
        HeaderValue::Short(b) => Some(i32::from(*b)),
        HeaderValue::Int(b) => Some(*b),
        _ => None,
    };
    i64 => |v| match v {
        HeaderValue::Byte(b) => Some(i64::from(*b)),
        HeaderValue::Short(b) => Some(i64::from(*b)),
        HeaderValue::Int(b) => Some(i64::from(*b)),
        HeaderValue::Long(b) => Some(*b),
        _ => None,
    };
    String => |v| v.as_str().map(str::to_owned);
    crate::Blob => |v| match v { HeaderValue::Bytes(b) => Some(crate::Blob::new(b.to_vec())), _ => None };
    crate::DateTime => |v| match v { HeaderValue::Timestamp(t) => Some(*t), _ => None };
}

/// The payload of `message` as a CBOR map; an empty payload is an empty
/// map.
pub fn cbor_object(payload: &[u8]) -> Result<super::cbor::Map, String> {
    if payload.is_empty() {
        return Ok(super::cbor::Map::new());
    }
    match super::cbor::decode(payload) {
        Ok(super::cbor::Value::Map(map)) => Ok(map),
        Ok(_) => Err("expected a CBOR map event payload".into()),
        Err(e) => Err(format!("invalid CBOR event payload: {e}")),
    }
}

/// The `x-amz-content-sha256` of a request sending an input stream.
pub use crate::sigv4::event_stream::STREAMING_EVENTS_PAYLOAD;

/// The content type of an event-stream body.
pub const CONTENT_TYPE: &str = "application/vnd.amazon.eventstream";

/// The events of the input member `member` of `shape`, each made a
/// message by `to_event`, taken out of its sender for the request.
pub fn input_events<T: Send + 'static>(
    sender: Option<&EventSender<T>>,
    shape: &'static str,
    member: &'static str,
    to_event: fn(&T) -> Result<Message, String>,
) -> Result<InputEvents, BuildError> {
    sender
        .ok_or_else(|| BuildError::missing_member(shape, member))?
        .__encode(to_event)
}

/// The message of the event `event_type` with the `@eventHeader`
/// `headers` and a payload with its content type.
pub fn event_message(
    event_type: &str,
    headers: Vec<Header>,
    payload: Option<(Bytes, &str)>,
) -> Message {
    let (payload, content_type) = match payload {
        Some((payload, content_type)) => (payload, Some(content_type)),
        None => (Bytes::new(), None),
    };
    let mut message = Message::new(payload)
        .with_header(":message-type", HeaderValue::String("event".into()))
        .with_header(":event-type", HeaderValue::String(event_type.into()));
    if let Some(content_type) = content_type {
        message = message.with_header(":content-type", HeaderValue::String(content_type.into()));
    }
    for header in headers {
        message = message.with_header(header.name(), header.value().clone());
    }
    message
}

/// A JSON document payload.
pub fn json_payload(value: serde_json::Value) -> (Bytes, &'static str) {
    (Bytes::from(value.to_string()), "application/json")
}

/// A CBOR document payload.
pub fn cbor_payload(value: super::cbor::Value) -> (Bytes, &'static str) {
    (Bytes::from(super::cbor::encode(&value)), "application/cbor")
}

/// A member type an `@eventHeader` can carry, written.
pub trait ToHeader {
    /// The header value of `self`.
    fn to_header(&self) -> HeaderValue;
}

macro_rules! to_header {
    ($($ty:ty => |$v:ident| $body:expr;)*) => {$(
        impl ToHeader for $ty {
            fn to_header(&self) -> HeaderValue {
                let $v = self;
                $body
            }
        }
    )*};
}

to_header! {
    bool => |v| HeaderValue::Bool(*v);
    i8 => |v| HeaderValue::Byte(*v);
    i16 => |v| HeaderValue::Short(*v);
    i32 => |v| HeaderValue::Int(*v);
    i64 => |v| HeaderValue::Long(*v);
    String => |v| HeaderValue::String(v.clone());
    crate::Blob => |v| HeaderValue::Bytes(Bytes::copy_from_slice(v.as_bytes()));
    crate::DateTime => |v| HeaderValue::Timestamp(*v);
}
