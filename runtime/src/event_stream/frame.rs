//! The `application/vnd.amazon.eventstream` framing: messages of typed
//! headers and a payload, each guarded by two CRC32 checksums.
//!
//! Layout: total length (u32 BE), headers length (u32 BE), prelude CRC32,
//! headers (name length u8, name, type u8, value), payload, message CRC32
//! (of everything before it).

use crate::DateTime;
use bytes::{Buf, BufMut, Bytes, BytesMut};
use std::fmt;

/// Prelude (total length, headers length, prelude CRC) plus message CRC.
const PRELUDE_LEN: usize = 12;
const OVERHEAD: usize = PRELUDE_LEN + 4;

/// The largest message accepted or produced: 16 MiB, as the services
/// document for event streams.
pub const MAX_MESSAGE_LEN: usize = 16 * 1024 * 1024;

/// The largest headers section accepted or produced: 128 KiB.
pub const MAX_HEADERS_LEN: usize = 128 * 1024;

/// The value of an event-stream message header.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum HeaderValue {
    /// Wire types 0 (`true`) and 1 (`false`).
    Bool(bool),
    /// Wire type 2.
    Byte(i8),
    /// Wire type 3.
    Short(i16),
    /// Wire type 4.
    Int(i32),
    /// Wire type 5.
    Long(i64),
    /// Wire type 6: up to 65,535 bytes.
    Bytes(Bytes),
    /// Wire type 7: UTF-8, up to 65,535 bytes.
    String(String),
    /// Wire type 8: milliseconds since the epoch.
    Timestamp(DateTime),
    /// Wire type 9: the 16 bytes of a UUID.
    Uuid([u8; 16]),
}

impl HeaderValue {
    /// The string, if this is a string header.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            HeaderValue::String(s) => Some(s),
            _ => None,
        }
    }
}

/// One header of a [`Message`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Header {
    name: String,
    value: HeaderValue,
}

impl Header {
    /// A header named `name` (at most 255 bytes on the wire).
    pub fn new(name: impl Into<String>, value: HeaderValue) -> Self {
        Header {
            name: name.into(),
            value,
        }
    }

    /// The header's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Appends the header in its wire form to `out` (what the event
    /// signer hashes of the `:date` header).
    pub(crate) fn encode_to(&self, out: &mut BytesMut) -> Result<(), FrameError> {
        encode_header(self, out)
    }

    /// The header's value.
    pub fn value(&self) -> &HeaderValue {
        &self.value
    }
}

/// One event-stream message: headers (names unique, in wire order) and a
/// payload.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Message {
    headers: Vec<Header>,
    payload: Bytes,
}

impl Message {
    /// A message with `payload` and no headers.
    pub fn new(payload: impl Into<Bytes>) -> Self {
        Message {
            headers: Vec::new(),
            payload: payload.into(),
        }
    }

    /// Adds a header after the others.
    pub fn with_header(mut self, name: impl Into<String>, value: HeaderValue) -> Self {
        self.headers.push(Header::new(name, value));
        self
    }

    /// The headers, in wire order.
    pub fn headers(&self) -> &[Header] {
        &self.headers
    }

    /// The value of the header `name`, if the message has it.
    pub fn header(&self, name: &str) -> Option<&HeaderValue> {
        self.headers
            .iter()
            .find(|h| h.name == name)
            .map(|h| &h.value)
    }

    /// The string value of the header `name`, if it has one.
    pub fn header_str(&self, name: &str) -> Option<&str> {
        self.header(name).and_then(HeaderValue::as_str)
    }

    /// The payload.
    pub fn payload(&self) -> &Bytes {
        &self.payload
    }

    /// The message in its wire form. Fails when a name, value, the headers
    /// or the whole message exceed the protocol's limits.
    pub fn encode(&self) -> Result<Bytes, FrameError> {
        let mut headers = BytesMut::new();
        for header in &self.headers {
            encode_header(header, &mut headers)?;
        }
        if headers.len() > MAX_HEADERS_LEN {
            return Err(FrameError::new(FrameErrorKind::InvalidHeadersLength));
        }
        let total = OVERHEAD + headers.len() + self.payload.len();
        if total > MAX_MESSAGE_LEN {
            return Err(FrameError::new(FrameErrorKind::InvalidPayloadLength));
        }
        let mut out = BytesMut::with_capacity(total);
        // Both lengths fit: they are at most 16 MiB.
        out.put_u32(total as u32);
        out.put_u32(headers.len() as u32);
        out.put_u32(crc32fast::hash(&out[..8]));
        out.extend_from_slice(&headers);
        out.extend_from_slice(&self.payload);
        out.put_u32(crc32fast::hash(&out));
        Ok(out.freeze())
    }

    /// Decodes one whole message (exactly `bytes`, no more, no less).
    pub fn decode(bytes: &[u8]) -> Result<Message, FrameError> {
        let mut decoder = MessageDecoder::new();
        decoder.push(bytes);
        match decoder.next_message()? {
            Some(message) if decoder.buffered() == 0 => Ok(message),
            Some(_) => Err(FrameError::new(FrameErrorKind::TrailingBytes)),
            None => Err(FrameError::new(FrameErrorKind::Truncated)),
        }
    }
}

fn encode_header(header: &Header, out: &mut BytesMut) -> Result<(), FrameError> {
    let invalid = || FrameError::new(FrameErrorKind::InvalidHeader);
    let name = u8::try_from(header.name.len()).map_err(|_| invalid())?;
    out.put_u8(name);
    out.extend_from_slice(header.name.as_bytes());
    let mut variable = |tag: u8, bytes: &[u8]| -> Result<(), FrameError> {
        let len = u16::try_from(bytes.len()).map_err(|_| invalid())?;
        out.put_u8(tag);
        out.put_u16(len);
        out.extend_from_slice(bytes);
        Ok(())
    };
    match &header.value {
        HeaderValue::Bytes(b) => return variable(6, b),
        HeaderValue::String(s) => return variable(7, s.as_bytes()),
        _ => {}
    }
    match &header.value {
        HeaderValue::Bool(true) => out.put_u8(0),
        HeaderValue::Bool(false) => out.put_u8(1),
        HeaderValue::Byte(v) => {
            out.put_u8(2);
            out.put_i8(*v);
        }
        HeaderValue::Short(v) => {
            out.put_u8(3);
            out.put_i16(*v);
        }
        HeaderValue::Int(v) => {
            out.put_u8(4);
            out.put_i32(*v);
        }
        HeaderValue::Long(v) => {
            out.put_u8(5);
            out.put_i64(*v);
        }
        HeaderValue::Timestamp(t) => {
            out.put_u8(8);
            let millis = t
                .secs()
                .saturating_mul(1000)
                .saturating_add(i64::from(t.subsec_nanos() / 1_000_000));
            out.put_i64(millis);
        }
        HeaderValue::Uuid(u) => {
            out.put_u8(9);
            out.extend_from_slice(u);
        }
        HeaderValue::Bytes(_) | HeaderValue::String(_) => {}
    }
    Ok(())
}

/// Decodes messages from bytes that arrive in chunks of any size.
///
/// [`push`](MessageDecoder::push) what the network delivers, then take
/// messages with [`next_message`](MessageDecoder::next_message) until it
/// returns `None`. A frame's prelude is checked (its CRC, then the limits)
/// as soon as its 12 bytes are in, so an oversized frame is rejected
/// before its body is buffered. After an error the decoder stays failed.
#[derive(Debug, Default)]
pub struct MessageDecoder {
    buffer: BytesMut,
    /// The checked total length of the frame being read, once its prelude
    /// is in.
    frame_len: Option<usize>,
    failed: bool,
}

impl MessageDecoder {
    /// An empty decoder.
    pub fn new() -> Self {
        MessageDecoder::default()
    }

    /// Appends bytes read from the network.
    pub fn push(&mut self, bytes: &[u8]) {
        if !self.failed {
            self.buffer.extend_from_slice(bytes);
        }
    }

    /// How many bytes are buffered and not yet part of a returned message.
    pub fn buffered(&self) -> usize {
        self.buffer.len()
    }

    /// The next whole message, `None` when more bytes are needed.
    pub fn next_message(&mut self) -> Result<Option<Message>, FrameError> {
        if self.failed {
            return Err(FrameError::new(FrameErrorKind::Failed));
        }
        let result = self.try_next();
        if result.is_err() {
            self.failed = true;
            self.buffer = BytesMut::new();
        }
        result
    }

    /// Checks that the input ended between messages: `Truncated` when the
    /// end came in the middle of one.
    pub fn finish(&self) -> Result<(), FrameError> {
        if self.buffer.is_empty() {
            Ok(())
        } else {
            Err(FrameError::new(FrameErrorKind::Truncated))
        }
    }

    /// The bytes buffered and not yet part of a returned message.
    pub(crate) fn into_buffered(self) -> Bytes {
        self.buffer.freeze()
    }

    fn try_next(&mut self) -> Result<Option<Message>, FrameError> {
        let total = match self.frame_len {
            Some(total) => total,
            None => {
                let Some(prelude) = self.buffer.get(..PRELUDE_LEN) else {
                    return Ok(None);
                };
                let total = check_prelude(prelude)?;
                self.frame_len = Some(total);
                // No reservation for the declared length: 12 bytes must
                // not cost 16 MiB; the buffer grows with what arrives.
                total
            }
        };
        if self.buffer.len() < total {
            return Ok(None);
        }
        let frame = self.buffer.split_to(total).freeze();
        self.frame_len = None;
        decode_frame(frame).map(Some)
    }
}

/// The total length of a frame whose 12-byte prelude is `prelude`, once
/// its CRC and lengths are checked.
fn check_prelude(prelude: &[u8]) -> Result<usize, FrameError> {
    let mut p = prelude;
    let total = p.get_u32() as usize;
    let headers = p.get_u32() as usize;
    let crc = p.get_u32();
    // The CRC first: a corrupted length must read as corruption, not as an
    // oversized frame.
    if crc32fast::hash(prelude.get(..8).unwrap_or_default()) != crc {
        return Err(FrameError::new(FrameErrorKind::ChecksumMismatch));
    }
    if headers > MAX_HEADERS_LEN || headers.saturating_add(OVERHEAD) > total {
        return Err(FrameError::new(FrameErrorKind::InvalidHeadersLength));
    }
    if total > MAX_MESSAGE_LEN {
        return Err(FrameError::new(FrameErrorKind::InvalidPayloadLength));
    }
    Ok(total)
}

/// Decodes a whole frame whose prelude `check_prelude` accepted.
fn decode_frame(frame: Bytes) -> Result<Message, FrameError> {
    let body_len = frame.len().saturating_sub(4);
    let (body, crc) = (frame.slice(..body_len), frame.slice(body_len..));
    let expected = crc.as_ref().try_into().ok().map(u32::from_be_bytes);
    if expected != Some(crc32fast::hash(&body)) {
        return Err(FrameError::new(FrameErrorKind::ChecksumMismatch));
    }
    let headers_len = body
        .get(4..8)
        .and_then(|b| b.try_into().ok())
        .map_or(0, u32::from_be_bytes) as usize;
    let headers_end = PRELUDE_LEN.saturating_add(headers_len);
    let mut headers_bytes = body.slice(PRELUDE_LEN.min(body_len)..headers_end.min(body_len));
    let payload = body.slice(headers_end.min(body_len)..);
    let mut headers: Vec<Header> = Vec::new();
    while headers_bytes.has_remaining() {
        let header = decode_header(&mut headers_bytes)?;
        if headers.iter().any(|h| h.name == header.name) {
            return Err(FrameError::new(FrameErrorKind::DuplicateHeader));
        }
        headers.push(header);
    }
    Ok(Message { headers, payload })
}

fn decode_header(bytes: &mut Bytes) -> Result<Header, FrameError> {
    let invalid = || FrameError::new(FrameErrorKind::InvalidHeader);
    let take = |bytes: &mut Bytes, n: usize| {
        if bytes.remaining() < n {
            return Err(invalid());
        }
        Ok(bytes.split_to(n))
    };
    let name_len = usize::from(take(bytes, 1)?.get_u8());
    let name = String::from_utf8(take(bytes, name_len)?.to_vec()).map_err(|_| invalid())?;
    let value = match take(bytes, 1)?.get_u8() {
        0 => HeaderValue::Bool(true),
        1 => HeaderValue::Bool(false),
        2 => HeaderValue::Byte(take(bytes, 1)?.get_i8()),
        3 => HeaderValue::Short(take(bytes, 2)?.get_i16()),
        4 => HeaderValue::Int(take(bytes, 4)?.get_i32()),
        5 => HeaderValue::Long(take(bytes, 8)?.get_i64()),
        tag @ (6 | 7) => {
            let len = usize::from(take(bytes, 2)?.get_u16());
            let value = take(bytes, len)?;
            if tag == 6 {
                HeaderValue::Bytes(value)
            } else {
                HeaderValue::String(String::from_utf8(value.to_vec()).map_err(|_| invalid())?)
            }
        }
        8 => {
            let millis = take(bytes, 8)?.get_i64();
            // Euclidean: the remainder of a negative time is still forward.
            let nanos = millis.rem_euclid(1000) as u32 * 1_000_000;
            HeaderValue::Timestamp(DateTime::from_secs_and_nanos(
                millis.div_euclid(1000),
                nanos,
            ))
        }
        9 => {
            let mut uuid = [0u8; 16];
            take(bytes, 16)?.copy_to_slice(&mut uuid);
            HeaderValue::Uuid(uuid)
        }
        _ => return Err(invalid()),
    };
    Ok(Header { name, value })
}

/// Why event-stream bytes are not a valid message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FrameError {
    kind: FrameErrorKind,
}

/// The kinds of [`FrameError`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum FrameErrorKind {
    /// The prelude or the message does not match its CRC32.
    ChecksumMismatch,
    /// Two headers of one message have the same name.
    DuplicateHeader,
    /// The headers are longer than 128 KiB or than the message.
    InvalidHeadersLength,
    /// The message is longer than 16 MiB.
    InvalidPayloadLength,
    /// A header is cut short, has an unknown type or a name or string
    /// that is not UTF-8 (or, when encoding, is too long).
    InvalidHeader,
    /// The input ended in the middle of a message.
    Truncated,
    /// Bytes follow the one message that was expected.
    TrailingBytes,
    /// The decoder already failed; it reads nothing more.
    Failed,
}

impl FrameError {
    fn new(kind: FrameErrorKind) -> Self {
        FrameError { kind }
    }

    /// What went wrong.
    pub fn kind(&self) -> FrameErrorKind {
        self.kind
    }
}

impl fmt::Display for FrameError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self.kind {
            FrameErrorKind::ChecksumMismatch => "event stream message does not match its CRC32",
            FrameErrorKind::DuplicateHeader => "event stream message repeats a header",
            FrameErrorKind::InvalidHeadersLength => "event stream headers length is invalid",
            FrameErrorKind::InvalidPayloadLength => "event stream message is longer than 16 MiB",
            FrameErrorKind::InvalidHeader => "event stream header is invalid",
            FrameErrorKind::Truncated => "event stream ended in the middle of a message",
            FrameErrorKind::TrailingBytes => "event stream message is followed by extra bytes",
            FrameErrorKind::Failed => "event stream decoder already failed",
        })
    }
}

impl std::error::Error for FrameError {}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Message {
        Message::new("{\"a\":1}")
            .with_header(":message-type", HeaderValue::String("event".into()))
            .with_header("t", HeaderValue::Bool(true))
            .with_header("f", HeaderValue::Bool(false))
            .with_header("b", HeaderValue::Byte(-3))
            .with_header("s", HeaderValue::Short(-300))
            .with_header("i", HeaderValue::Int(70_000))
            .with_header("l", HeaderValue::Long(-1 << 40))
            .with_header("x", HeaderValue::Bytes(Bytes::from_static(b"\0\x01")))
            .with_header(
                "ts",
                HeaderValue::Timestamp(DateTime::from_secs_and_nanos(-2, 5_000_000)),
            )
            .with_header("u", HeaderValue::Uuid([7; 16]))
    }

    #[test]
    fn every_header_type_round_trips() {
        let message = sample();
        let wire = message.encode().unwrap();
        assert_eq!(Message::decode(&wire).unwrap(), message);
        assert_eq!(message.header_str(":message-type"), Some("event"));
    }

    #[test]
    fn one_byte_at_a_time_gives_the_same_messages() {
        let one = sample().encode().unwrap();
        let two = Message::new("second").encode().unwrap();
        let wire = [one.as_ref(), two.as_ref()].concat();
        let mut decoder = MessageDecoder::new();
        let mut messages = Vec::new();
        for byte in wire {
            decoder.push(&[byte]);
            while let Some(m) = decoder.next_message().unwrap() {
                messages.push(m);
            }
        }
        decoder.finish().unwrap();
        assert_eq!(messages, vec![sample(), Message::new("second")]);
    }

    #[test]
    fn an_oversized_frame_is_rejected_from_its_prelude() {
        let mut prelude = BytesMut::new();
        prelude.put_u32(u32::MAX);
        prelude.put_u32(0);
        let crc = crc32fast::hash(&prelude);
        prelude.put_u32(crc);
        let mut decoder = MessageDecoder::new();
        decoder.push(&prelude);
        let error = decoder.next_message().unwrap_err();
        assert_eq!(error.kind(), FrameErrorKind::InvalidPayloadLength);
        assert_eq!(decoder.buffered(), 0);
        assert_eq!(
            decoder.next_message().unwrap_err().kind(),
            FrameErrorKind::Failed
        );
    }

    #[test]
    fn a_cut_message_is_truncated_and_a_flipped_bit_a_checksum_error() {
        let wire = sample().encode().unwrap();
        let error = Message::decode(&wire[..wire.len() - 1]).unwrap_err();
        assert_eq!(error.kind(), FrameErrorKind::Truncated);
        let mut bad = wire.to_vec();
        bad[20] ^= 1;
        let error = Message::decode(&bad).unwrap_err();
        assert_eq!(error.kind(), FrameErrorKind::ChecksumMismatch);
    }

    #[test]
    fn a_header_name_over_255_bytes_cannot_be_encoded() {
        let message = Message::new("").with_header("n".repeat(256), HeaderValue::Bool(true));
        let error = message.encode().unwrap_err();
        assert_eq!(error.kind(), FrameErrorKind::InvalidHeader);
    }
}
