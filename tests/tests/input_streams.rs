//! Input event streams over a loopback server, on the fixture model
//! `ui/models/event-stream-input.json` (a restJson1 service shaped like
//! Transcribe's `StartStreamTranscription`): the stub checks every
//! frame's `:chunk-signature` by recomputing the chain from the seed
//! signature of the request's `Authorization` (with its own HMAC, not
//! opgen's signer) and the signed empty frame that ends the stream, and
//! answers each event with an output event before the next one is sent,
//! so the input is proven not to be buffered. A stream that fails and a
//! connection dropped mid-stream end the call with an error.
//!
//! With the feature `http2` (`cargo test -p opgen-tests --features http2
//! --test input_streams`), the bidirectional case also runs over h2c
//! (HTTP/2 with prior knowledge), as Transcribe requires HTTP/2.

mod listen {
    opgen::include_operation!(
        "StartListening",
        "Upload",
        model = "ui/models/event-stream-input.json"
    );
}

use hmac::{Hmac, Mac};
use listen::{AudioEvent, AudioStream, ConfigurationEvent, StartListeningInput, UploadInput};
use opgen::event_stream::{EventSender, HeaderValue, Message, MessageDecoder};
use opgen::{Blob, Client, Config, Credentials};
use sha2::{Digest, Sha256};
use std::future::Future;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::oneshot;

const BOUND: Duration = Duration::from_secs(20);
const SECRET: &str = "SECRET";

async fn bounded<T>(test: impl Future<Output = T>) -> T {
    tokio::time::timeout(BOUND, test)
        .await
        .expect("the test did not finish within the bound: was the input buffered?")
}

fn client(url: &str) -> Client {
    Client::new(
        Config::builder()
            .region("us-east-1")
            .credentials_provider(Credentials::new("AKID", SECRET, None))
            .endpoint_url(url)
            .build(),
    )
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn hmac(key: &[u8], data: &[u8]) -> Vec<u8> {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(key).unwrap();
    mac.update(data);
    mac.finalize().into_bytes().to_vec()
}

/// Checks the signature of the outer frame `outer` chained from `prior`,
/// as the services do; returns the signature, the next frame's prior.
fn verify(prior: &str, outer: &Message) -> Result<String, String> {
    let Some(HeaderValue::Timestamp(date)) = outer.header(":date") else {
        return Err("no :date timestamp header".into());
    };
    let Some(HeaderValue::Bytes(signature)) = outer.header(":chunk-signature") else {
        return Err("no :chunk-signature byte-array header".into());
    };
    // 2026-11-30T11:17:47Z -> 20261130T111747Z
    let date_time: String = date
        .fmt_date_time()
        .chars()
        .filter(|c| *c != '-' && *c != ':')
        .collect();
    let day = &date_time[..8];
    let millis = date.secs() * 1000 + i64::from(date.subsec_nanos() / 1_000_000);
    let mut date_header = vec![5u8];
    date_header.extend_from_slice(b":date");
    date_header.push(8);
    date_header.extend_from_slice(&millis.to_be_bytes());
    let string_to_sign = format!(
        "AWS4-HMAC-SHA256-PAYLOAD\n{date_time}\n{day}/us-east-1/listener/aws4_request\n{prior}\n{}\n{}",
        hex(&Sha256::digest(&date_header)),
        hex(&Sha256::digest(outer.payload())),
    );
    let key = hmac(format!("AWS4{SECRET}").as_bytes(), day.as_bytes());
    let key = hmac(&key, b"us-east-1");
    let key = hmac(&key, b"listener");
    let key = hmac(&key, b"aws4_request");
    let expected = hex(&hmac(&key, string_to_sign.as_bytes()));
    if hex(signature) != expected {
        return Err(format!("signature {} != {expected}", hex(signature)));
    }
    Ok(expected)
}

/// What the stub saw of one request.
#[derive(Debug, Default)]
struct Report {
    head: String,
    /// The inner messages, in order.
    events: Vec<Message>,
    /// Frames whose signature was checked (the end frame included).
    verified: usize,
    /// Whether the signed empty frame ended the stream.
    ended: bool,
    failures: Vec<String>,
}

/// How the stub answers.
#[derive(Clone, Copy, PartialEq)]
enum Mode {
    /// An output event per input event, at once (bidirectional).
    Echo,
    /// A plain response after the end frame (`Upload`).
    CountAtEnd,
    /// The connection drops after the first event.
    DropAfterFirst,
}

/// Reads the chunked request body as it comes: `Some(bytes)` per chunk,
/// `None` at the last chunk or end of connection.
struct Chunked {
    socket: TcpStream,
    buf: Vec<u8>,
}

impl Chunked {
    async fn fill(&mut self) -> bool {
        let mut tmp = [0u8; 4096];
        match self.socket.read(&mut tmp).await {
            Ok(0) | Err(_) => false,
            Ok(n) => {
                self.buf.extend_from_slice(&tmp[..n]);
                true
            }
        }
    }

    async fn next(&mut self) -> Option<Vec<u8>> {
        loop {
            if let Some(at) = self.buf.windows(2).position(|w| w == b"\r\n") {
                let size =
                    usize::from_str_radix(std::str::from_utf8(&self.buf[..at]).ok()?.trim(), 16)
                        .ok()?;
                if size == 0 {
                    return None;
                }
                if self.buf.len() >= at + 2 + size + 2 {
                    let chunk = self.buf[at + 2..at + 2 + size].to_vec();
                    self.buf.drain(..at + 2 + size + 2);
                    return Some(chunk);
                }
            }
            if !self.fill().await {
                return None;
            }
        }
    }

    async fn write_chunk(&mut self, bytes: &[u8]) {
        let mut framed = format!("{:x}\r\n", bytes.len()).into_bytes();
        framed.extend_from_slice(bytes);
        framed.extend_from_slice(b"\r\n");
        let _ = self.socket.write_all(&framed).await;
        let _ = self.socket.flush().await;
    }
}

fn transcript(text: &str) -> Vec<u8> {
    Message::new(format!(r#"{{"Text":"{text}"}}"#))
        .with_header(":message-type", HeaderValue::String("event".into()))
        .with_header(":event-type", HeaderValue::String("TranscriptEvent".into()))
        .with_header(
            ":content-type",
            HeaderValue::String("application/json".into()),
        )
        .encode()
        .unwrap()
        .to_vec()
}

/// Checks the frames of a request body as its bytes arrive.
struct Verifier {
    prior: String,
    decoder: MessageDecoder,
    report: Report,
}

impl Verifier {
    /// `head`: the request head, lowercase, whose `Authorization` holds
    /// the seed signature.
    fn new(head: String) -> Self {
        let prior = head
            .split("signature=")
            .nth(1)
            .and_then(|rest| rest.split(['\r', '\n']).next())
            .unwrap_or_default()
            .trim()
            .to_owned();
        Verifier {
            prior,
            decoder: MessageDecoder::new(),
            report: Report {
                head,
                ..Report::default()
            },
        }
    }

    /// Feeds body bytes; the number of events received after each new
    /// one. Stops at the end frame or a bad frame.
    fn push(&mut self, chunk: &[u8]) -> Vec<usize> {
        let mut new = Vec::new();
        if self.done() {
            return new;
        }
        self.decoder.push(chunk);
        loop {
            let outer = match self.decoder.next_message() {
                Ok(Some(outer)) => outer,
                Ok(None) => return new,
                Err(e) => {
                    self.report.failures.push(format!("bad frame: {e}"));
                    return new;
                }
            };
            match verify(&self.prior, &outer) {
                Ok(signature) => {
                    self.prior = signature;
                    self.report.verified += 1;
                }
                Err(e) => self.report.failures.push(e),
            }
            if outer.payload().is_empty() {
                self.report.ended = true;
                return new;
            }
            match Message::decode(outer.payload()) {
                Ok(inner) => {
                    self.report.events.push(inner);
                    new.push(self.report.events.len());
                }
                Err(e) => {
                    self.report.failures.push(format!("bad inner message: {e}"));
                    return new;
                }
            }
        }
    }

    fn done(&self) -> bool {
        self.report.ended || !self.report.failures.is_empty()
    }
}

/// A one-request HTTP/1.1 stub; the report comes when the request ends.
async fn stub(mode: Mode) -> (String, oneshot::Receiver<Report>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let (tx, rx) = oneshot::channel();
    tokio::spawn(async move {
        let (socket, _) = listener.accept().await.unwrap();
        let mut body = Chunked {
            socket,
            buf: Vec::new(),
        };
        while !body.buf.windows(4).any(|w| w == b"\r\n\r\n") {
            if !body.fill().await {
                let _ = tx.send(Report::default());
                return;
            }
        }
        let at = body.buf.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
        let head = String::from_utf8_lossy(&body.buf[..at]).to_lowercase();
        body.buf.drain(..at + 4);
        let mut verifier = Verifier::new(head);
        if mode != Mode::CountAtEnd {
            let head = "HTTP/1.1 200 OK\r\ncontent-type: application/vnd.amazon.eventstream\r\nx-listen-session: s-1\r\ntransfer-encoding: chunked\r\n\r\n";
            let _ = body.socket.write_all(head.as_bytes()).await;
        }
        while let Some(chunk) = body.next().await {
            for n in verifier.push(&chunk) {
                match mode {
                    Mode::Echo => body.write_chunk(&transcript(&format!("heard {n}"))).await,
                    Mode::DropAfterFirst => {
                        drop(body);
                        let _ = tx.send(verifier.report);
                        return;
                    }
                    Mode::CountAtEnd => {}
                }
            }
            if verifier.done() {
                break;
            }
        }
        if mode == Mode::CountAtEnd {
            let head = format!(
                "HTTP/1.1 200 OK\r\nx-listen-received: {}\r\ncontent-length: 0\r\n\r\n",
                verifier.report.events.len()
            );
            let _ = body.socket.write_all(head.as_bytes()).await;
        } else {
            let _ = body.socket.write_all(b"0\r\n\r\n").await;
        }
        let _ = tx.send(verifier.report);
    });
    (url, rx)
}

fn audio(bytes: &[u8]) -> AudioStream {
    AudioStream::AudioEvent(
        AudioEvent::builder()
            .audio_chunk(Blob::new(bytes.to_vec()))
            .build()
            .unwrap(),
    )
}

fn start(events: EventSender<AudioStream>) -> StartListeningInput {
    StartListeningInput::builder()
        .language_code("en-US")
        .sample_rate(16000)
        .audio_stream(events)
        .build()
        .unwrap()
}

fn header_str<'m>(message: &'m Message, name: &str) -> &'m str {
    message.header_str(name).unwrap_or_default()
}

#[tokio::test]
async fn bidirectional_events_are_signed_echoed_one_by_one_and_end_with_the_signed_empty_frame() {
    bounded(async {
        let (url, report) = stub(Mode::Echo).await;
        let (sink, events) = EventSender::channel(1);
        let mut output = client(&url).send(start(events)).await.unwrap();
        assert_eq!(output.session_id(), Some("s-1"));
        let mut transcripts = output.take_transcript_stream().unwrap();
        for i in 1..=3u8 {
            sink.send(audio(&[i; 5])).await.unwrap();
            // The answer to this event arrives before the next is sent.
            let heard = transcripts.recv().await.unwrap().unwrap();
            let listen::TranscriptStream::TranscriptEvent(heard) = heard else {
                panic!("{heard:?}")
            };
            assert_eq!(heard.text(), Some(format!("heard {i}").as_str()));
        }
        let configuration = ConfigurationEvent::builder()
            .channels(2)
            .label("stereo")
            .tag("t-1")
            .sequence(7)
            .build()
            .unwrap();
        sink.send(AudioStream::ConfigurationEvent(configuration))
            .await
            .unwrap();
        assert!(transcripts.recv().await.unwrap().is_some());
        // Dropping the sink ends the input: the signed empty frame.
        drop(sink);
        assert!(transcripts.recv().await.unwrap().is_none());

        let report = report.await.unwrap();
        assert!(report.failures.is_empty(), "{:?}", report.failures);
        assert!(report.ended, "no signed empty frame ended the stream");
        assert_eq!(report.verified, 5, "4 events and the end frame");
        let head = &report.head;
        assert!(
            head.contains("x-amz-content-sha256: streaming-aws4-hmac-sha256-events"),
            "{head}"
        );
        assert!(
            head.contains("content-type: application/vnd.amazon.eventstream"),
            "{head}"
        );
        assert!(head.contains("x-listen-language: en-us"), "{head}");
        assert!(
            head.contains("x-amz-content-sha256;"),
            "the payload marker is signed: {head}"
        );
        assert!(!head.contains("content-length"), "{head}");

        let first = &report.events[0];
        assert_eq!(header_str(first, ":message-type"), "event");
        assert_eq!(header_str(first, ":event-type"), "AudioEvent");
        assert_eq!(
            header_str(first, ":content-type"),
            "application/octet-stream"
        );
        assert_eq!(first.payload().as_ref(), &[1u8; 5]);
        let configuration = &report.events[3];
        assert_eq!(
            header_str(configuration, ":event-type"),
            "ConfigurationEvent"
        );
        assert_eq!(
            header_str(configuration, ":content-type"),
            "application/json"
        );
        assert_eq!(header_str(configuration, "Tag"), "t-1");
        assert_eq!(
            configuration.header("Sequence"),
            Some(&HeaderValue::Long(7))
        );
        let body: serde_json::Value = serde_json::from_slice(configuration.payload()).unwrap();
        assert_eq!(body, serde_json::json!({"Channels": 2, "Label": "stereo"}));
    })
    .await;
}

#[tokio::test]
async fn an_input_only_stream_is_sent_whole_before_the_response() {
    bounded(async {
        let (url, report) = stub(Mode::CountAtEnd).await;
        let events = EventSender::from_stream(Iter(
            vec![audio(b"a"), audio(b"b"), audio(b"c")].into_iter(),
        ));
        let input = UploadInput::builder().events(events).build().unwrap();
        let output = client(&url).send(input).await.unwrap();
        assert_eq!(output.received(), Some(3));
        let report = report.await.unwrap();
        assert!(report.failures.is_empty(), "{:?}", report.failures);
        assert!(report.ended);
        assert_eq!(report.verified, 4);
    })
    .await;
}

#[tokio::test]
async fn a_failing_input_stream_ends_the_call_with_an_error() {
    bounded(async {
        let (url, report) = stub(Mode::Echo).await;
        let items: Vec<Result<AudioStream, std::io::Error>> = vec![
            Ok(audio(b"a")),
            Err(std::io::Error::other("the microphone is unplugged")),
        ];
        let events = EventSender::try_from_stream(Iter(items.into_iter()));
        let result = client(&url).send(start(events)).await;
        let failed = match result {
            Err(_) => true,
            Ok(mut output) => {
                let mut transcripts = output.take_transcript_stream().unwrap();
                loop {
                    match transcripts.recv().await {
                        Ok(Some(_)) => continue,
                        Ok(None) => break false,
                        Err(_) => break true,
                    }
                }
            }
        };
        assert!(failed, "the call or its output stream must fail");
        let report = report.await.unwrap();
        assert!(
            !report.ended,
            "a failed stream must not be closed as if complete"
        );
    })
    .await;
}

#[tokio::test]
async fn a_connection_dropped_mid_stream_ends_the_output_with_an_error() {
    bounded(async {
        let (url, _report) = stub(Mode::DropAfterFirst).await;
        let (sink, events) = EventSender::channel(4);
        let mut output = client(&url).send(start(events)).await.unwrap();
        let mut transcripts = output.take_transcript_stream().unwrap();
        sink.send(audio(b"a")).await.unwrap();
        let error = loop {
            match transcripts.recv().await {
                Ok(Some(_)) => continue,
                Ok(None) => panic!("the stream ended cleanly on a dropped connection"),
                Err(error) => break error,
            }
        };
        assert!(matches!(error, opgen::Error::Transport(_)), "{error:?}");
    })
    .await;
}

#[tokio::test]
async fn an_http_client_that_cannot_stream_a_body_fails_clearly() {
    #[derive(Debug)]
    struct BytesOnly;
    impl opgen::HttpClient for BytesOnly {
        fn call(&self, _request: http::Request<bytes::Bytes>) -> opgen::HttpClientFuture {
            Box::pin(async { panic!("not called for an input stream") })
        }
    }
    let client = Client::new(
        Config::builder()
            .region("us-east-1")
            .credentials_provider(Credentials::new("AKID", SECRET, None))
            .endpoint_url("http://127.0.0.1:1")
            .http_client(BytesOnly)
            .build(),
    );
    let (_sink, events) = EventSender::channel(1);
    let error = client.send(start(events)).await.unwrap_err();
    assert!(
        error.to_string().contains("transport") || format!("{error:?}").contains("cannot stream"),
        "{error:?}"
    );
    assert!(
        format!("{error:?}").contains("call_event_stream"),
        "{error:?}"
    );
}

#[test]
fn the_events_of_a_sender_are_taken_once() {
    let (_sink, events) = EventSender::channel(1);
    let input = start(events);
    let endpoint = opgen::Endpoint::new("https://listener.example.com");
    let request =
        <listen::StartListening as opgen::Operation>::serialize(&input, &endpoint).unwrap();
    assert!(request
        .extensions()
        .get::<opgen::event_stream::InputEvents>()
        .is_some());
    let again = <listen::StartListening as opgen::Operation>::serialize(&input, &endpoint);
    assert!(again.unwrap_err().to_string().contains("already sent"));
}

/// A stream of the items of an iterator (futures-core has no adapters).
struct Iter<I>(I);

impl<I: Iterator + Unpin> futures_core::Stream for Iter<I> {
    type Item = I::Item;

    fn poll_next(
        mut self: std::pin::Pin<&mut Self>,
        _cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<I::Item>> {
        std::task::Poll::Ready(self.0.next())
    }
}

#[test]
fn the_stub_check_accepts_the_right_chain_and_rejects_another_seed() {
    use opgen::sigv4::event_stream::EventSigner;
    let inner = Message::new(&b"x"[..]).encode().unwrap();
    let credentials = Credentials::new("AKID", SECRET, None);
    let mut signer = EventSigner::new(credentials.clone(), "us-east-1", "listener", "seed-a");
    let outer = signer.sign(&inner, std::time::SystemTime::now()).unwrap();
    assert_eq!(verify("seed-a", &outer).unwrap(), signer.prior_signature());
    assert!(verify("seed-b", &outer).is_err());
    let mut other_service = EventSigner::new(credentials, "us-east-1", "other", "seed-a");
    let outer = other_service
        .sign(&inner, std::time::SystemTime::now())
        .unwrap();
    assert!(verify("seed-a", &outer).is_err());
}

#[cfg(not(feature = "http2"))]
#[test]
fn the_http2_case_is_skipped_without_the_http2_feature() {
    println!("skipped: the HTTP/2 case needs `--features http2`");
}

#[cfg(feature = "http2")]
mod over_http2 {
    use super::*;

    /// A one-request h2c stub answering each event at once.
    async fn stub() -> (String, oneshot::Receiver<Report>) {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let (tx, rx) = oneshot::channel();
        tokio::spawn(async move {
            let (socket, _) = listener.accept().await.unwrap();
            let mut connection = h2::server::handshake(socket).await.unwrap();
            let (request, mut respond) = connection.accept().await.unwrap().unwrap();
            // The connection makes progress only while polled.
            tokio::spawn(async move { while connection.accept().await.is_some() {} });
            let (parts, mut body) = request.into_parts();
            let mut head = format!("{} {} {:?}\r\n", parts.method, parts.uri, parts.version);
            for (name, value) in &parts.headers {
                head.push_str(&format!(
                    "{name}: {}\r\n",
                    value.to_str().unwrap_or_default()
                ));
            }
            let mut verifier = Verifier::new(head.to_lowercase());
            let response = http::Response::builder()
                .status(200)
                .header("content-type", "application/vnd.amazon.eventstream")
                .header("x-listen-session", "s-2")
                .body(())
                .unwrap();
            let mut send = respond.send_response(response, false).unwrap();
            while let Some(Ok(chunk)) = body.data().await {
                let _ = body.flow_control().release_capacity(chunk.len());
                for n in verifier.push(&chunk) {
                    let echo = transcript(&format!("heard {n}"));
                    send.send_data(bytes::Bytes::from(echo), false).unwrap();
                }
                if verifier.done() {
                    break;
                }
            }
            let _ = send.send_data(bytes::Bytes::new(), true);
            let _ = tx.send(verifier.report);
        });
        (url, rx)
    }

    #[tokio::test]
    async fn bidirectional_events_flow_over_http2_prior_knowledge() {
        bounded(async {
            let (url, report) = stub().await;
            let http = opgen::DefaultHttpClient::with_http2_prior_knowledge(Duration::from_secs(3))
                .unwrap();
            let client = Client::new(
                Config::builder()
                    .region("us-east-1")
                    .credentials_provider(Credentials::new("AKID", SECRET, None))
                    .endpoint_url(&url)
                    .http_client(http)
                    .build(),
            );
            let (sink, events) = EventSender::channel(1);
            let mut output = client.send(start(events)).await.unwrap();
            assert_eq!(output.session_id(), Some("s-2"));
            let mut transcripts = output.take_transcript_stream().unwrap();
            for i in 1..=3u8 {
                sink.send(audio(&[i; 4])).await.unwrap();
                let heard = transcripts.recv().await.unwrap().unwrap();
                let listen::TranscriptStream::TranscriptEvent(heard) = heard else {
                    panic!("{heard:?}")
                };
                assert_eq!(heard.text(), Some(format!("heard {i}").as_str()));
            }
            drop(sink);
            assert!(transcripts.recv().await.unwrap().is_none());
            let report = report.await.unwrap();
            assert!(report.head.contains("http/2"), "{}", report.head);
            assert!(report.failures.is_empty(), "{:?}", report.failures);
            assert!(report.ended);
            assert_eq!(report.verified, 4);
        })
        .await;
    }
}
