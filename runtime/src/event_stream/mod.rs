//! Event streams (`application/vnd.amazon.eventstream`): the framing of
//! `@streaming` unions, the typed receiver of an output stream and the
//! sender of an input stream.

mod frame;

pub use frame::{
    FrameError, FrameErrorKind, Header, HeaderValue, Message, MessageDecoder, MAX_HEADERS_LEN,
    MAX_MESSAGE_LEN,
};
mod receiver;

#[doc(hidden)]
pub use receiver::EventDecoders;
pub use receiver::EventReceiver;
mod sender;

#[doc(hidden)]
pub use sender::InputEvents;
pub use sender::{BoxError, EventSender, EventSink, EventStreamBody, SinkClosed};

/// The `initial-response` message of an RPC event stream, which the client
/// reads before handing the response to
/// [`Operation::deserialize_streaming`](crate::Operation::deserialize_streaming),
/// in the response's extensions.
#[doc(hidden)]
#[derive(Clone, Debug)]
pub struct InitialResponse(pub Message);
