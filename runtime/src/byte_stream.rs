//! Byte streams: the type of `@streaming` blob members.

use crate::checksum::{self, ChecksumAlgorithm, ChecksumHasher, ChecksumMismatch};
use crate::error::BoxError;
use crate::retry::{SharedAsyncSleep, SleepFuture};
use crate::{Blob, TransportError};
use bytes::{Bytes, BytesMut};
use std::fmt;
use std::pin::Pin;
use std::task::Poll;
use std::time::Duration;

/// The body type a [`ByteStream`] can wrap: any [`http_body::Body`] of
/// [`Bytes`] that may be sent between threads.
type DynBody = Pin<Box<dyn http_body::Body<Data = Bytes, Error = BoxError> + Send + Sync>>;

/// The value of a `@streaming` blob member: bytes that arrive over time.
///
/// In an operation's output it is the response body as the network delivers
/// it: read it chunk by chunk with [`ByteStream::next`], or whole with
/// [`ByteStream::collect`]. Nothing is buffered beyond the chunk in hand, so
/// a long-running response (e.g. an agent streaming its answer) can be
/// processed while it is still being produced.
///
/// In an operation's input it is built from bytes in memory (`Vec<u8>`,
/// [`Bytes`], `String`, `&'static [u8]`, [`Blob`]). A request body must be
/// in memory so that it can be signed and sent again on retry; a stream
/// made with [`ByteStream::from_body`] is rejected with a
/// [`BuildError`](crate::BuildError) when used as a request payload.
///
/// ```
/// # async fn run() -> Result<(), opgen::TransportError> {
/// let mut stream = opgen::ByteStream::from("hello, world");
/// while let Some(chunk) = stream.next().await {
///     print!("{}", String::from_utf8_lossy(&chunk?));
/// }
/// # Ok(())
/// # }
/// ```
pub struct ByteStream {
    inner: Inner,
}

enum Inner {
    /// In memory; `None` once [`ByteStream::next`] has handed it out.
    Memory(Option<Bytes>),
    Body(DynBody),
}

impl ByteStream {
    /// A stream of `bytes`, held in memory.
    pub fn new(bytes: impl Into<Bytes>) -> Self {
        ByteStream {
            inner: Inner::Memory(Some(bytes.into())),
        }
    }

    /// A stream read from an HTTP body (e.g. a response body of another
    /// HTTP stack, see [`HttpClient::call_streaming`](crate::HttpClient::call_streaming)).
    pub fn from_body<B>(body: B) -> Self
    where
        B: http_body::Body<Data = Bytes> + Send + Sync + 'static,
        B::Error: Into<BoxError>,
    {
        ByteStream {
            inner: Inner::Body(Box::pin(MapError(Box::pin(body)))),
        }
    }

    /// The bytes, when the stream is held in memory and not yet read.
    pub fn bytes(&self) -> Option<&Bytes> {
        match &self.inner {
            Inner::Memory(bytes) => bytes.as_ref(),
            Inner::Body(_) => None,
        }
    }

    /// The next chunk, `None` at the end of the stream. A failure to read
    /// (the connection dropped, a timeout of the HTTP stack) is a
    /// [`TransportError`]; the stream ends after it.
    pub async fn next(&mut self) -> Option<Result<Bytes, TransportError>> {
        std::future::poll_fn(|cx| self.poll_next(cx)).await
    }

    /// [`ByteStream::next`] as a poll, for the event-stream receiver.
    pub(crate) fn poll_next(
        &mut self,
        cx: &mut std::task::Context<'_>,
    ) -> Poll<Option<Result<Bytes, TransportError>>> {
        let body = match &mut self.inner {
            Inner::Memory(bytes) => {
                return Poll::Ready(bytes.take().filter(|b| !b.is_empty()).map(Ok))
            }
            Inner::Body(body) => body,
        };
        let next = loop {
            match body.as_mut().poll_frame(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(None) => return Poll::Ready(None),
                Poll::Ready(Some(Err(error))) => break error,
                Poll::Ready(Some(Ok(frame))) => match frame.into_data() {
                    Ok(data) if data.is_empty() => continue,
                    Ok(data) => return Poll::Ready(Some(Ok(data))),
                    // Trailers carry no payload bytes.
                    Err(_trailers) => continue,
                },
            }
        };
        // A body that failed once must not be polled again.
        self.inner = Inner::Memory(None);
        if next.is::<ChecksumMismatch>() {
            return Poll::Ready(Some(Err(TransportError::new(
                "the body does not match its checksum",
                Some(next),
            )
            .with_transient(false))));
        }
        if next.is::<IdleTimeout>() {
            return Poll::Ready(Some(Err(TransportError::new(
                "the body stream stalled",
                Some(next),
            ))));
        }
        Poll::Ready(Some(Err(TransportError::new(
            "failed to read the body stream",
            Some(next),
        ))))
    }

    /// This stream after `bytes`.
    pub(crate) fn prepend(self, bytes: Bytes) -> ByteStream {
        if bytes.is_empty() {
            return self;
        }
        let inner = match self.inner {
            Inner::Memory(None) => return ByteStream::new(bytes),
            Inner::Memory(Some(rest)) => Box::pin(Once(Some(rest))) as DynBody,
            Inner::Body(body) => body,
        };
        ByteStream {
            inner: Inner::Body(Box::pin(Prepended {
                first: Some(bytes),
                inner,
            })),
        }
    }

    /// This stream, failing with an [`IdleTimeout`] when no bytes arrive
    /// for `limit`.
    pub(crate) fn with_idle_timeout(self, limit: Duration, sleep: SharedAsyncSleep) -> ByteStream {
        let inner = match self.inner {
            Inner::Memory(bytes) => {
                return ByteStream {
                    inner: Inner::Memory(bytes),
                }
            }
            Inner::Body(body) => body,
        };
        ByteStream {
            inner: Inner::Body(Box::pin(Idle {
                inner,
                limit,
                timer: std::sync::Mutex::new(sleep.sleep(limit)),
                sleep,
            })),
        }
    }

    /// Reads the rest of the stream into memory.
    pub async fn collect(mut self) -> Result<Bytes, TransportError> {
        if let Inner::Memory(bytes) = &mut self.inner {
            return Ok(bytes.take().unwrap_or_default());
        }
        let mut whole = BytesMut::new();
        while let Some(chunk) = self.next().await {
            whole.extend_from_slice(&chunk?);
        }
        Ok(whole.freeze())
    }
}

impl ByteStream {
    /// This stream, checked against `expected`, the `algorithm` checksum
    /// (base64) that the response declared: after the last chunk, a
    /// mismatch is the stream's last item, an error whose
    /// [`checksum_mismatch`](TransportError::checksum_mismatch) tells it.
    pub(crate) fn checked(self, algorithm: ChecksumAlgorithm, expected: String) -> ByteStream {
        let inner = match self.inner {
            Inner::Memory(bytes) => Box::pin(Once(bytes)) as DynBody,
            Inner::Body(body) => body,
        };
        ByteStream {
            inner: Inner::Body(Box::pin(Checked {
                inner,
                algorithm,
                hasher: Some(algorithm.hasher()),
                expected,
            })),
        }
    }
}

/// No bytes arrived on a stream for its idle limit.
#[derive(Debug)]
pub(crate) struct IdleTimeout(pub(crate) Duration);

impl fmt::Display for IdleTimeout {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "no data for {:?}", self.0)
    }
}

impl std::error::Error for IdleTimeout {}

/// A body whose every frame must come within `limit` of the previous one.
struct Idle {
    inner: DynBody,
    limit: Duration,
    /// In a mutex only to be `Sync` as bodies must be: it is reached
    /// through `&mut` (`get_mut`), never locked.
    timer: std::sync::Mutex<SleepFuture>,
    sleep: SharedAsyncSleep,
}

impl http_body::Body for Idle {
    type Data = Bytes;
    type Error = BoxError;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> Poll<Option<Result<http_body::Frame<Bytes>, BoxError>>> {
        let this = &mut *self;
        match this.inner.as_mut().poll_frame(cx) {
            Poll::Pending => match timer(&mut this.timer).as_mut().poll(cx) {
                Poll::Ready(()) => Poll::Ready(Some(Err(Box::new(IdleTimeout(this.limit))))),
                Poll::Pending => Poll::Pending,
            },
            ready => {
                *timer(&mut this.timer) = this.sleep.sleep(this.limit);
                ready
            }
        }
    }
}

fn timer(timer: &mut std::sync::Mutex<SleepFuture>) -> &mut SleepFuture {
    match timer.get_mut() {
        Ok(timer) => timer,
        // Never locked, so never poisoned; the future is intact anyway.
        Err(poisoned) => poisoned.into_inner(),
    }
}

/// A body with bytes put before it.
struct Prepended {
    first: Option<Bytes>,
    inner: DynBody,
}

impl http_body::Body for Prepended {
    type Data = Bytes;
    type Error = BoxError;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> Poll<Option<Result<http_body::Frame<Bytes>, BoxError>>> {
        match self.first.take() {
            Some(bytes) => Poll::Ready(Some(Ok(http_body::Frame::data(bytes)))),
            None => self.inner.as_mut().poll_frame(cx),
        }
    }
}

/// A body of bytes held in memory, for wrapping.
struct Once(Option<Bytes>);

impl http_body::Body for Once {
    type Data = Bytes;
    type Error = BoxError;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        _cx: &mut std::task::Context<'_>,
    ) -> Poll<Option<Result<http_body::Frame<Bytes>, BoxError>>> {
        Poll::Ready(self.0.take().map(|bytes| Ok(http_body::Frame::data(bytes))))
    }
}

/// A body whose data is hashed as it passes and compared with the
/// declared checksum at its end.
struct Checked {
    inner: DynBody,
    algorithm: ChecksumAlgorithm,
    /// `None` once the end has been checked.
    hasher: Option<ChecksumHasher>,
    expected: String,
}

impl http_body::Body for Checked {
    type Data = Bytes;
    type Error = BoxError;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> Poll<Option<Result<http_body::Frame<Bytes>, BoxError>>> {
        let this = &mut *self;
        match this.inner.as_mut().poll_frame(cx) {
            Poll::Ready(Some(Ok(frame))) => {
                if let (Some(data), Some(hasher)) = (frame.data_ref(), this.hasher.as_mut()) {
                    hasher.update(data);
                }
                Poll::Ready(Some(Ok(frame)))
            }
            Poll::Ready(None) => {
                let Some(hasher) = this.hasher.take() else {
                    return Poll::Ready(None);
                };
                let actual = crate::encoding::base64_encode(&hasher.finalize());
                let expected = std::mem::take(&mut this.expected);
                match checksum::mismatch(this.algorithm, expected, actual) {
                    Ok(()) => Poll::Ready(None),
                    Err(mismatch) => Poll::Ready(Some(Err(Box::new(mismatch)))),
                }
            }
            other => other,
        }
    }
}

/// A body read into memory up to a limit by [`ByteStream::collect_at_most`].
#[derive(Debug)]
pub(crate) enum Collected {
    /// The whole body, no longer than the limit.
    Whole(Bytes),
    /// The first `limit` bytes of a longer body; the rest was not read.
    Cut(Bytes),
}

impl ByteStream {
    /// Reads the stream into memory, up to `limit` bytes: a longer body is
    /// cut at `limit` and the rest left unread (dropping the stream closes
    /// the connection), so a body without end costs `limit` bytes at most.
    pub(crate) async fn collect_at_most(
        mut self,
        limit: usize,
    ) -> Result<Collected, TransportError> {
        if let Inner::Memory(bytes) = &mut self.inner {
            let mut bytes = bytes.take().unwrap_or_default();
            if bytes.len() > limit {
                bytes.truncate(limit);
                return Ok(Collected::Cut(bytes));
            }
            return Ok(Collected::Whole(bytes));
        }
        let mut read = BytesMut::new();
        while let Some(chunk) = self.next().await {
            let chunk = chunk?;
            let room = limit - read.len();
            if chunk.len() > room {
                read.extend_from_slice(&chunk[..room]);
                return Ok(Collected::Cut(read.freeze()));
            }
            read.extend_from_slice(&chunk);
        }
        Ok(Collected::Whole(read.freeze()))
    }
}

impl Default for ByteStream {
    /// An empty stream.
    fn default() -> Self {
        ByteStream::new(Bytes::new())
    }
}

impl fmt::Debug for ByteStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The content is never shown: a stream can be read only once, and
        // payloads may be sensitive.
        match &self.inner {
            Inner::Memory(Some(bytes)) => write!(f, "ByteStream({} bytes in memory)", bytes.len()),
            Inner::Memory(None) => f.write_str("ByteStream(read)"),
            Inner::Body(_) => f.write_str("ByteStream(streaming)"),
        }
    }
}

impl From<Bytes> for ByteStream {
    fn from(bytes: Bytes) -> Self {
        ByteStream::new(bytes)
    }
}

impl From<Vec<u8>> for ByteStream {
    fn from(bytes: Vec<u8>) -> Self {
        ByteStream::new(bytes)
    }
}

impl From<String> for ByteStream {
    fn from(text: String) -> Self {
        ByteStream::new(text)
    }
}

impl From<&'static str> for ByteStream {
    fn from(text: &'static str) -> Self {
        ByteStream::new(text)
    }
}

impl From<&'static [u8]> for ByteStream {
    fn from(bytes: &'static [u8]) -> Self {
        ByteStream::new(bytes)
    }
}

impl From<Blob> for ByteStream {
    fn from(blob: Blob) -> Self {
        ByteStream::new(blob.into_inner())
    }
}

/// Boxes a body's error so bodies of every HTTP stack fit one type. The
/// body is pinned on the heap so that no unsafe pin projection is needed.
struct MapError<B>(Pin<Box<B>>);

impl<B> http_body::Body for MapError<B>
where
    B: http_body::Body<Data = Bytes>,
    B::Error: Into<BoxError>,
{
    type Data = Bytes;
    type Error = BoxError;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> Poll<Option<Result<http_body::Frame<Bytes>, BoxError>>> {
        self.0
            .as_mut()
            .poll_frame(cx)
            .map(|frame| frame.map(|f| f.map_err(Into::into)))
    }

    fn is_end_stream(&self) -> bool {
        self.0.is_end_stream()
    }

    fn size_hint(&self) -> http_body::SizeHint {
        self.0.size_hint()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::VecDeque;

    /// A body that yields scripted frames, one per poll.
    struct Scripted(VecDeque<Result<http_body::Frame<Bytes>, BoxError>>);

    impl http_body::Body for Scripted {
        type Data = Bytes;
        type Error = BoxError;

        fn poll_frame(
            mut self: Pin<&mut Self>,
            _cx: &mut std::task::Context<'_>,
        ) -> Poll<Option<Result<http_body::Frame<Bytes>, BoxError>>> {
            Poll::Ready(self.0.pop_front())
        }
    }

    fn data(text: &'static str) -> Result<http_body::Frame<Bytes>, BoxError> {
        Ok(http_body::Frame::data(Bytes::from_static(text.as_bytes())))
    }

    #[tokio::test]
    async fn chunks_come_out_in_order_skipping_empty_data_and_trailers() {
        let trailers = http_body::Frame::trailers(http::HeaderMap::new());
        let mut stream = ByteStream::from_body(Scripted(VecDeque::from([
            data("one "),
            data(""),
            Ok(trailers),
            data("two"),
        ])));
        assert_eq!(stream.bytes(), None);
        assert_eq!(stream.next().await.unwrap().unwrap(), "one ");
        assert_eq!(stream.next().await.unwrap().unwrap(), "two");
        assert!(stream.next().await.is_none());
    }

    #[tokio::test]
    async fn a_read_error_is_a_transport_error_and_ends_the_stream() {
        let mut stream = ByteStream::from_body(Scripted(VecDeque::from([
            data("partial"),
            Err("connection reset".into()),
            data("never"),
        ])));
        assert_eq!(stream.next().await.unwrap().unwrap(), "partial");
        let error = stream.next().await.unwrap().unwrap_err();
        assert_eq!(error.to_string(), "failed to read the body stream");
        let source = std::error::Error::source(&error).unwrap().to_string();
        assert_eq!(source, "connection reset");
        assert!(stream.next().await.is_none());
    }

    #[tokio::test]
    async fn collect_at_most_cuts_at_the_limit_and_stops_reading() {
        let whole = |c: Collected| match c {
            Collected::Whole(b) => Ok(b),
            Collected::Cut(b) => Err(b),
        };
        let stream = ByteStream::from_body(Scripted(VecDeque::from([data("ab"), data("cd")])));
        assert_eq!(
            whole(stream.collect_at_most(4).await.unwrap()),
            Ok("abcd".into())
        );
        // The error after the cut is never polled.
        let stream = ByteStream::from_body(Scripted(VecDeque::from([
            data("ab"),
            data("cde"),
            Err("never read".into()),
        ])));
        assert_eq!(
            whole(stream.collect_at_most(4).await.unwrap()),
            Err("abcd".into())
        );
        let stream = ByteStream::from("abcdef");
        assert_eq!(
            whole(stream.collect_at_most(3).await.unwrap()),
            Err("abc".into())
        );
        let stream = ByteStream::from("abc");
        assert_eq!(
            whole(stream.collect_at_most(3).await.unwrap()),
            Ok("abc".into())
        );
    }

    #[tokio::test]
    async fn a_checked_stream_ends_cleanly_on_a_match_and_with_an_error_on_a_mismatch() {
        let crc32 = ChecksumAlgorithm::Crc32;
        let good = ByteStream::from("Hello world").checked(crc32, "i9aeUg==".into());
        assert_eq!(good.collect().await.unwrap(), "Hello world");
        let split =
            ByteStream::from_body(Scripted(VecDeque::from([data("Hello "), data("world")])));
        let good = split.checked(crc32, "i9aeUg==".into());
        assert_eq!(good.collect().await.unwrap(), "Hello world");

        let mut bad = ByteStream::from("Hello World").checked(crc32, "i9aeUg==".into());
        assert_eq!(bad.next().await.unwrap().unwrap(), "Hello World");
        let error = bad.next().await.unwrap().unwrap_err();
        assert_eq!(error.to_string(), "the body does not match its checksum");
        let mismatch = error.checksum_mismatch().unwrap();
        assert_eq!(mismatch.expected(), "i9aeUg==");
        assert!(bad.next().await.is_none());
        // Other read errors carry no mismatch.
        let mut failing = ByteStream::from_body(Scripted(VecDeque::from([Err("reset".into())])));
        assert!(failing
            .next()
            .await
            .unwrap()
            .unwrap_err()
            .checksum_mismatch()
            .is_none());
    }

    #[tokio::test]
    async fn collect_joins_chunks_and_memory_streams_read_once() {
        let stream = ByteStream::from_body(Scripted(VecDeque::from([data("a"), data("bc")])));
        assert_eq!(stream.collect().await.unwrap(), "abc");

        let mut stream = ByteStream::from(vec![1u8, 2, 3]);
        assert_eq!(stream.bytes().map(|b| b.len()), Some(3));
        assert_eq!(stream.next().await.unwrap().unwrap(), vec![1u8, 2, 3]);
        assert!(stream.next().await.is_none());
        assert_eq!(format!("{stream:?}"), "ByteStream(read)");
        assert!(ByteStream::default().next().await.is_none());
    }
}
