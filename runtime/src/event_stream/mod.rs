//! Event streams (`application/vnd.amazon.eventstream`): the framing of
//! `@streaming` unions, and the typed receiver of an output stream.

mod frame;

pub use frame::{
    FrameError, FrameErrorKind, Header, HeaderValue, Message, MessageDecoder, MAX_HEADERS_LEN,
    MAX_MESSAGE_LEN,
};
