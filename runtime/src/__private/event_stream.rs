//! Event-stream helpers of generated code.

use crate::event_stream::{InitialResponse, Message};
use crate::{Error, Operation, ResponseError};
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
