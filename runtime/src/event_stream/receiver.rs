//! The typed receiver of an output event stream.

use super::{FrameError, Message, MessageDecoder};
use crate::byte_stream::IdleTimeout;
use crate::{
    ByteStream, Error, ErrorMetadata, ResponseError, ServiceError, TimeoutError, TransportError,
    UnhandledError,
};
use bytes::Bytes;
use std::fmt;
use std::pin::Pin;
use std::task::{Context, Poll};

/// What generated code knows about one event union of one operation.
#[doc(hidden)]
pub struct EventDecoders<T, E> {
    /// Reads an `event` message (`:event-type` names the member); an
    /// unknown type is the union's `Unknown`.
    pub event: fn(&Message) -> Result<T, String>,
    /// Reads an error response of the operation (`Operation::deserialize`
    /// of a response made from an `exception` message).
    pub exception: fn(http::Response<Bytes>) -> Error<E>,
    /// The union's error members: `:exception-type` (the member name) and
    /// the error code the operation's errors are known by (the shape name).
    pub exceptions: &'static [(&'static str, &'static str)],
}

/// The events of an output event stream, as they arrive.
///
/// Read them with [`recv`](EventReceiver::recv) or as a
/// [`futures_core::Stream`]. The stream ends (`None`) when the service
/// closes it. An `exception` message the model declares ends it with that
/// error of the operation, an `error` message with the operation's
/// `Unhandled` error; a truncated or corrupted message, a dropped
/// connection or a stall longer than the client's
/// [`event_stream_idle_timeout`](crate::ConfigBuilder::event_stream_idle_timeout)
/// end it with an error, never with a partial event. After an error the
/// stream yields nothing more. Dropping the receiver closes the connection.
pub struct EventReceiver<T, E> {
    body: ByteStream,
    decoder: MessageDecoder,
    decoders: EventDecoders<T, E>,
    done: bool,
}

impl<T, E: From<UnhandledError>> EventReceiver<T, E> {
    #[doc(hidden)]
    pub fn __new(body: ByteStream, decoders: EventDecoders<T, E>) -> Self {
        EventReceiver {
            body,
            decoder: MessageDecoder::new(),
            decoders,
            done: false,
        }
    }

    /// The next event; `None` once the stream has ended.
    pub async fn recv(&mut self) -> Result<Option<T>, Error<E>> {
        std::future::poll_fn(|cx| self.poll_recv(cx)).await
    }

    fn poll_recv(&mut self, cx: &mut Context<'_>) -> Poll<Result<Option<T>, Error<E>>> {
        loop {
            if self.done {
                return Poll::Ready(Ok(None));
            }
            match self.decoder.next_message() {
                Err(error) => return Poll::Ready(Err(self.fail_frame(error))),
                Ok(Some(message)) => match self.handle(message) {
                    Some(result) => return Poll::Ready(result),
                    None => continue,
                },
                Ok(None) => {}
            }
            match self.body.poll_next(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(Some(Ok(chunk))) => self.decoder.push(&chunk),
                Poll::Ready(Some(Err(error))) => {
                    self.close();
                    return Poll::Ready(Err(read_error(error)));
                }
                Poll::Ready(None) => {
                    let end = self.decoder.finish();
                    self.close();
                    return Poll::Ready(match end {
                        Ok(()) => Ok(None),
                        Err(error) => Err(frame_error(error)),
                    });
                }
            }
        }
    }

    /// The result of one message, or `None` to read on.
    fn handle(&mut self, message: Message) -> Option<Result<Option<T>, Error<E>>> {
        match message.header_str(":message-type") {
            Some("event") => {
                // RPC protocols open with the output's other members, which
                // the client has read before; others never send it.
                if message.header_str(":event-type") == Some("initial-response") {
                    return None;
                }
                match (self.decoders.event)(&message) {
                    Ok(event) => Some(Ok(Some(event))),
                    Err(reason) => {
                        self.close();
                        let response = as_response(&message, 200, None);
                        Some(Err(Error::Response(ResponseError::new(reason, &response))))
                    }
                }
            }
            Some("exception") => {
                self.close();
                let member = message.header_str(":exception-type").unwrap_or_default();
                let code = self
                    .decoders
                    .exceptions
                    .iter()
                    .find(|(name, _)| *name == member)
                    .map_or(member, |(_, code)| *code);
                let response = as_response(&message, 400, Some(code));
                Some(Err((self.decoders.exception)(response)))
            }
            Some("error") => {
                self.close();
                let text = |name| message.header_str(name).map(str::to_owned);
                let meta = ErrorMetadata::new(text(":error-code"), text(":error-message"), None);
                let response = as_response(&message, 400, None);
                let error = E::from(UnhandledError::new(meta, &response));
                Some(Err(Error::Service(ServiceError::new(error, &response))))
            }
            other => {
                self.close();
                let reason = format!("event stream message of unknown type {other:?}");
                let response = as_response(&message, 200, None);
                Some(Err(Error::Response(ResponseError::new(reason, &response))))
            }
        }
    }

    fn fail_frame(&mut self, error: FrameError) -> Error<E> {
        self.close();
        frame_error(error)
    }

    /// Ends the stream and drops the body, which closes the connection.
    fn close(&mut self) {
        self.done = true;
        self.body = ByteStream::default();
    }
}

/// A message as an HTTP response, so that the operation's error decoding
/// and the error types (which keep the raw response) apply to it: the
/// payload is the body, `:content-type` the content type, and `code`
/// travels as `x-amzn-errortype`.
fn as_response(message: &Message, status: u16, code: Option<&str>) -> http::Response<Bytes> {
    let mut response = http::Response::new(message.payload().clone());
    *response.status_mut() = http::StatusCode::from_u16(status).unwrap_or_default();
    let headers = response.headers_mut();
    let content_type = message.header_str(":content-type");
    for (name, value) in [("content-type", content_type), ("x-amzn-errortype", code)] {
        if let Some(value) = value.and_then(|v| http::HeaderValue::from_str(v).ok()) {
            headers.insert(name, value);
        }
    }
    response
}

fn frame_error<E>(error: FrameError) -> Error<E> {
    Error::Transport(
        TransportError::new("invalid event stream message", Some(Box::new(error)))
            .with_transient(false),
    )
}

fn read_error<E>(error: TransportError) -> Error<E> {
    let idle = std::error::Error::source(&error).and_then(|s| s.downcast_ref::<IdleTimeout>());
    match idle {
        Some(IdleTimeout(after)) => Error::Timeout(TimeoutError::new("event stream idle", *after)),
        None => Error::Transport(error),
    }
}

impl<T, E: From<UnhandledError>> futures_core::Stream for EventReceiver<T, E> {
    type Item = Result<T, Error<E>>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        // Every field is `Unpin`, so the receiver is too.
        let this = self.get_mut();
        this.poll_recv(cx).map(Result::transpose)
    }
}

impl<T, E> fmt::Debug for EventReceiver<T, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EventReceiver")
            .field("done", &self.done)
            .finish_non_exhaustive()
    }
}

impl<T, E> Default for EventReceiver<T, E> {
    /// A stream that has ended: what taking the stream out of an output
    /// leaves behind.
    fn default() -> Self {
        EventReceiver {
            body: ByteStream::default(),
            decoder: MessageDecoder::new(),
            decoders: EventDecoders {
                event: |_| Err("the stream was taken".into()),
                exception: |response| {
                    Error::Response(ResponseError::new("the stream was taken", &response))
                },
                exceptions: &[],
            },
            done: true,
        }
    }
}
