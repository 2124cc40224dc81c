//! Input event streams: the typed sender an input holds, and the signed
//! request body the client makes of it.

use super::Message;
use crate::sigv4::event_stream::EventSigner;
use crate::BuildError;
use bytes::Bytes;
use futures_core::Stream;
use std::fmt;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll};
use std::time::SystemTime;

/// The error a stream of events may end with.
pub type BoxError = Box<dyn std::error::Error + Send + Sync>;

type BoxStream<T> = Pin<Box<dyn Stream<Item = Result<T, BoxError>> + Send>>;

/// The events of an input event stream, which the client sends as they
/// come, each signed, while the call runs (and, for a bidirectional
/// operation, while the output's events arrive).
///
/// Make one from any [`Stream`] of events with
/// [`from_stream`](EventSender::from_stream) (or
/// [`try_from_stream`](EventSender::try_from_stream) when producing an
/// event can fail), or as a channel with
/// [`channel`](EventSender::channel), whose [`EventSink`] pushes events
/// from anywhere. The input stream ends when the stream does (or every
/// sink is dropped): the client then sends the signed empty message that
/// closes it. A stream that yields an error aborts the request, and the
/// call or the output's event receiver ends with an error.
///
/// The events can be sent once: a call whose first attempt fails before
/// any event was taken from the stream (e.g. it could not connect) is
/// retried as any other; once an event was taken, it is not.
pub struct EventSender<T> {
    stream: Arc<Mutex<Option<BoxStream<T>>>>,
}

impl<T: Send + 'static> EventSender<T> {
    /// Sends the events of `stream`.
    pub fn from_stream<S>(stream: S) -> Self
    where
        S: Stream<Item = T> + Send + 'static,
    {
        Self::boxed(Box::pin(Infallible(Box::pin(stream))))
    }

    /// Sends the events of `stream` until it yields an error, which aborts
    /// the request.
    pub fn try_from_stream<S, E>(stream: S) -> Self
    where
        S: Stream<Item = Result<T, E>> + Send + 'static,
        E: Into<BoxError>,
    {
        Self::boxed(Box::pin(Fallible(Box::pin(stream))))
    }

    /// A channel of events: the [`EventSink`] sends them (waiting while
    /// `capacity` events are queued, at least one), the `EventSender`
    /// goes in the input. Dropping the sink ends the input stream.
    pub fn channel(capacity: usize) -> (EventSink<T>, EventSender<T>) {
        let (sender, receiver) = tokio::sync::mpsc::channel(capacity.max(1));
        (
            EventSink { sender },
            Self::boxed(Box::pin(Channel(receiver))),
        )
    }

    fn boxed(stream: BoxStream<T>) -> Self {
        EventSender {
            stream: Arc::new(Mutex::new(Some(stream))),
        }
    }

    /// Takes the events out for the request, each made a message by
    /// `to_event` (generated code's serializer).
    #[doc(hidden)]
    pub fn __encode(
        &self,
        to_event: fn(&T) -> Result<Message, String>,
    ) -> Result<InputEvents, BuildError> {
        let stream = self
            .stream
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take()
            .ok_or_else(|| {
                BuildError::other(
                    "the input event stream was already sent; an EventSender sends its events once",
                )
            })?;
        Ok(InputEvents {
            stream: Arc::new(Mutex::new(Some(Box::pin(Encoded { stream, to_event })))),
            started: Arc::new(AtomicBool::new(false)),
        })
    }
}

impl<T> fmt::Debug for EventSender<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("EventSender")
    }
}

/// The sending half of [`EventSender::channel`].
pub struct EventSink<T> {
    sender: tokio::sync::mpsc::Sender<Result<T, BoxError>>,
}

impl<T> EventSink<T> {
    /// Queues `event`, waiting while the channel is full. Fails when the
    /// stream is gone (the call ended).
    pub async fn send(&self, event: T) -> Result<(), SinkClosed> {
        self.sender.send(Ok(event)).await.map_err(|_| SinkClosed)
    }

    /// Ends the input stream with `error`, which aborts the request.
    pub async fn abort(self, error: impl Into<BoxError>) {
        // A stream already gone has nothing left to abort.
        let _ = self.sender.send(Err(error.into())).await;
    }
}

impl<T> Clone for EventSink<T> {
    fn clone(&self) -> Self {
        EventSink {
            sender: self.sender.clone(),
        }
    }
}

impl<T> fmt::Debug for EventSink<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("EventSink")
    }
}

/// [`EventSink::send`] after the stream ended (the call is over).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SinkClosed;

impl fmt::Display for SinkClosed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the input event stream is closed")
    }
}

impl std::error::Error for SinkClosed {}

struct Infallible<S>(Pin<Box<S>>);

impl<S: Stream> Stream for Infallible<S> {
    type Item = Result<S::Item, BoxError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.0.as_mut().poll_next(cx).map(|item| item.map(Ok))
    }
}

struct Fallible<S>(Pin<Box<S>>);

impl<S, T, E> Stream for Fallible<S>
where
    S: Stream<Item = Result<T, E>>,
    E: Into<BoxError>,
{
    type Item = Result<T, BoxError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.0
            .as_mut()
            .poll_next(cx)
            .map(|item| item.map(|r| r.map_err(Into::into)))
    }
}

struct Channel<T>(tokio::sync::mpsc::Receiver<Result<T, BoxError>>);

impl<T> Stream for Channel<T> {
    type Item = Result<T, BoxError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.0.poll_recv(cx)
    }
}

struct Encoded<T> {
    stream: BoxStream<T>,
    to_event: fn(&T) -> Result<Message, String>,
}

impl<T> Stream for Encoded<T> {
    type Item = Result<Message, BoxError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let to_event = self.to_event;
        self.stream.as_mut().poll_next(cx).map(|item| {
            item.map(|event| event.and_then(|event| to_event(&event).map_err(BoxError::from)))
        })
    }
}

/// The messages of an input stream, in a serialized request's extensions
/// until the client sends them (see [`EventStreamBody`]).
#[doc(hidden)]
#[derive(Clone)]
pub struct InputEvents {
    stream: Arc<Mutex<Option<BoxStream<Message>>>>,
    started: Arc<AtomicBool>,
}

impl InputEvents {
    /// Whether a message was taken from the stream: the request can then
    /// not be sent again.
    pub(crate) fn started(&self) -> bool {
        self.started.load(Ordering::Acquire)
    }
}

impl fmt::Debug for InputEvents {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("InputEvents")
            .field("started", &self.started())
            .finish_non_exhaustive()
    }
}

/// The body of a request that sends an input event stream: each event
/// encoded as a message, wrapped in a signed message (when the request is
/// signed), then the signed empty message that ends the stream.
///
/// An [`HttpClient`](crate::HttpClient) sends it with
/// [`call_event_stream`](crate::HttpClient::call_event_stream), as a
/// [`Stream`] of chunks or an [`http_body::Body`]; each chunk is one whole
/// message, to be sent as soon as it is produced.
pub struct EventStreamBody {
    events: InputEvents,
    signer: Option<EventSigner>,
    done: bool,
}

impl EventStreamBody {
    pub(crate) fn new(events: InputEvents, signer: Option<EventSigner>) -> Self {
        EventStreamBody {
            events,
            signer,
            done: false,
        }
    }

    fn sign(&mut self, inner: &[u8]) -> Result<Bytes, BoxError> {
        match &mut self.signer {
            Some(signer) => Ok(signer.sign(inner, SystemTime::now())?.encode()?),
            None => Ok(Bytes::copy_from_slice(inner)),
        }
    }

    fn poll_chunk(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<Bytes, BoxError>>> {
        if self.done {
            return Poll::Ready(None);
        }
        let polled = {
            let mut slot = self
                .events
                .stream
                .lock()
                .unwrap_or_else(PoisonError::into_inner);
            match slot.as_mut() {
                Some(stream) => stream.as_mut().poll_next(cx),
                None => Poll::Ready(Some(Err(BoxError::from(
                    "the input event stream was already sent",
                )))),
            }
        };
        let chunk = match polled {
            Poll::Pending => return Poll::Pending,
            Poll::Ready(Some(Ok(message))) => {
                self.events.started.store(true, Ordering::Release);
                message
                    .encode()
                    .map_err(BoxError::from)
                    .and_then(|inner| self.sign(&inner))
            }
            Poll::Ready(Some(Err(error))) => Err(error),
            Poll::Ready(None) => {
                self.done = true;
                self.events.started.store(true, Ordering::Release);
                if self.signer.is_none() {
                    return Poll::Ready(None);
                }
                self.sign(&[])
            }
        };
        if chunk.is_err() {
            self.done = true;
        }
        Poll::Ready(Some(chunk))
    }
}

impl Stream for EventStreamBody {
    type Item = Result<Bytes, BoxError>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.get_mut().poll_chunk(cx)
    }
}

impl http_body::Body for EventStreamBody {
    type Data = Bytes;
    type Error = BoxError;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<http_body::Frame<Bytes>, BoxError>>> {
        self.get_mut()
            .poll_chunk(cx)
            .map(|chunk| chunk.map(|chunk| chunk.map(http_body::Frame::data)))
    }

    fn is_end_stream(&self) -> bool {
        self.done
    }
}

impl fmt::Debug for EventStreamBody {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EventStreamBody")
            .field("signed", &self.signer.is_some())
            .field("done", &self.done)
            .finish()
    }
}
