//! Output event streams over a loopback server: events of the real
//! AgentCore `InvokeCodeInterpreter` (restJson1) arrive in random chunk
//! sizes, a modeled exception event ends the stream with the operation's
//! error, and a truncated frame, a bad CRC, an `error` frame and a stall
//! each end it with a typed error and never a partial event; Kinesis
//! `SubscribeToShard` (awsJson1_1) skips its `initial-response`; S3
//! `SelectObjectContent` (restXml) reads `@eventPayload` blobs and XML.
//!
//! The models are `../shared/models` beside the workspace; without them
//! this file says its tests are skipped.

#[cfg(not(all(opgen_shared, opgen_shared_protocols)))]
#[test]
fn event_stream_tests_are_skipped_without_the_shared_models() {
    println!("skipped: ../shared/models is absent (the real models live beside the workspace)");
}

#[cfg(all(opgen_shared, opgen_shared_protocols))]
mod agentcore {
    opgen::include_operation!(
        "InvokeCodeInterpreter",
        model = "../../shared/models/bedrock-agentcore/2025-10-13.json"
    );
}

#[cfg(all(opgen_shared, opgen_shared_protocols))]
mod kinesis {
    opgen::include_operation!(
        "SubscribeToShard",
        model = "../../shared/models/protocols/kinesis-2013-12-02.json"
    );
}

#[cfg(all(opgen_shared, opgen_shared_protocols))]
mod s3 {
    opgen::include_operation!(
        "SelectObjectContent",
        model = "../../shared/models/protocols/s3-2006-03-01.json"
    );
}

#[cfg(all(opgen_shared, opgen_shared_protocols))]
mod watch {
    opgen::include_operation!("Watch", model = "ui/models/event-stream-cbor.json");
}

#[cfg(all(opgen_shared, opgen_shared_protocols))]
mod loopback {
    use super::{agentcore, kinesis, s3, watch};
    use opgen::event_stream::{HeaderValue, Message};
    use opgen::{Client, Config, Credentials, Error};
    use std::future::Future;
    use std::time::Duration;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    use tokio::net::TcpListener;

    const BOUND: Duration = Duration::from_secs(20);

    async fn bounded<T>(test: impl Future<Output = T>) -> T {
        tokio::time::timeout(BOUND, test)
            .await
            .expect("the test did not finish within the bound")
    }

    fn client(url: &str, idle: Duration) -> Client {
        Client::new(
            Config::builder()
                .region("us-east-1")
                .credentials_provider(Credentials::new("AKID", "SECRET", None))
                .endpoint_url(url)
                .event_stream_idle_timeout(idle)
                .build(),
        )
    }

    fn event(kind: &str, payload: &str) -> Vec<u8> {
        Message::new(payload.to_owned())
            .with_header(":message-type", HeaderValue::String("event".into()))
            .with_header(":event-type", HeaderValue::String(kind.into()))
            .with_header(
                ":content-type",
                HeaderValue::String("application/json".into()),
            )
            .encode()
            .unwrap()
            .to_vec()
    }

    fn exception(member: &str, payload: &str) -> Vec<u8> {
        Message::new(payload.to_owned())
            .with_header(":message-type", HeaderValue::String("exception".into()))
            .with_header(":exception-type", HeaderValue::String(member.into()))
            .with_header(
                ":content-type",
                HeaderValue::String("application/json".into()),
            )
            .encode()
            .unwrap()
            .to_vec()
    }

    fn result(text: &str) -> Vec<u8> {
        event(
            "result",
            &format!(r#"{{"content":[{{"type":"text","text":"{text}"}}],"isError":false}}"#),
        )
    }

    /// A small deterministic generator of chunk sizes (1 to 23 bytes).
    fn chunks(bytes: &[u8], seed: u64) -> Vec<Vec<u8>> {
        let mut state = seed.wrapping_mul(6364136223846793005).wrapping_add(1);
        let mut out = Vec::new();
        let mut rest = bytes;
        while !rest.is_empty() {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let n = ((state >> 33) % 23 + 1) as usize;
            let (chunk, tail) = rest.split_at(n.min(rest.len()));
            out.push(chunk.to_vec());
            rest = tail;
        }
        out
    }

    /// How the server ends the response after its chunks.
    enum End {
        /// The last chunk of the chunked encoding.
        Close,
        /// The connection drops without the last chunk.
        Drop,
        /// Nothing more is sent, the connection stays open.
        Stall,
    }

    /// A loopback server answering one request with `head` (extra header
    /// lines) and `body` sent in chunks of random sizes, each flushed on
    /// its own.
    async fn serve(head: &'static str, body: Vec<u8>, end: End) -> String {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move {
            let (mut socket, _) = listener.accept().await.unwrap();
            let mut buf = vec![0u8; 65536];
            let mut seen = Vec::new();
            // The request bodies here are small: head and body arrive
            // before the server answers.
            loop {
                let n = socket.read(&mut buf).await.unwrap();
                seen.extend_from_slice(&buf[..n]);
                let text = String::from_utf8_lossy(&seen);
                if let Some(at) = text.find("\r\n\r\n") {
                    let length = text[..at]
                        .lines()
                        .find_map(|l| {
                            let (k, v) = l.split_once(':')?;
                            k.eq_ignore_ascii_case("content-length")
                                .then(|| v.trim().parse::<usize>().ok())
                                .flatten()
                        })
                        .unwrap_or(0);
                    if seen.len() >= at + 4 + length {
                        break;
                    }
                }
            }
            let head = format!(
                "HTTP/1.1 200 OK\r\ncontent-type: application/vnd.amazon.eventstream\r\n{head}transfer-encoding: chunked\r\n\r\n"
            );
            socket.write_all(head.as_bytes()).await.unwrap();
            for chunk in chunks(&body, body.len() as u64) {
                let mut framed = format!("{:x}\r\n", chunk.len()).into_bytes();
                framed.extend_from_slice(&chunk);
                framed.extend_from_slice(b"\r\n");
                socket.write_all(&framed).await.unwrap();
                socket.flush().await.unwrap();
                tokio::task::yield_now().await;
            }
            match end {
                End::Close => socket.write_all(b"0\r\n\r\n").await.unwrap(),
                End::Drop => drop(socket),
                End::Stall => tokio::time::sleep(BOUND).await,
            }
        });
        url
    }

    fn interpreter_input() -> agentcore::InvokeCodeInterpreterInput {
        agentcore::InvokeCodeInterpreterInput::builder()
            .code_interpreter_identifier("ci-1")
            .name(agentcore::ToolName::ExecuteCode)
            .build()
            .unwrap()
    }

    fn text_of(event: &agentcore::CodeInterpreterStreamOutput) -> String {
        let result = event.as_result().expect("a result event");
        result.content()[0].text().unwrap_or_default().to_owned()
    }

    #[tokio::test]
    async fn events_in_random_chunks_then_a_modeled_exception() {
        bounded(async {
            let mut body = Vec::new();
            for i in 0..5 {
                body.extend(result(&format!("line {i}")));
            }
            body.extend(event("futureEvent", "{}"));
            body.extend(exception(
                "accessDeniedException",
                r#"{"message":"no access"}"#,
            ));
            let url = serve(
                "x-amzn-code-interpreter-session-id: s-7\r\n",
                body,
                End::Close,
            )
            .await;
            let client = client(&url, Duration::from_secs(10));
            let mut output = client.send(interpreter_input()).await.unwrap();
            assert_eq!(output.session_id(), Some("s-7"));
            let mut stream = output.take_stream();
            for i in 0..5 {
                let event = stream.recv().await.unwrap().unwrap();
                assert_eq!(text_of(&event), format!("line {i}"));
            }
            // An event type the model does not know is `Unknown`.
            assert!(stream.recv().await.unwrap().unwrap().is_unknown());
            let error = stream.recv().await.unwrap_err();
            let service = error.as_service_error().expect("a service error");
            assert!(service.is_access_denied_exception(), "{service:?}");
            assert_eq!(service.message(), Some("no access"));
            assert!(stream.recv().await.unwrap().is_none());
        })
        .await;
    }

    #[tokio::test]
    async fn the_stream_is_a_futures_stream_that_ends_with_the_body() {
        bounded(async {
            let body = [result("a"), result("b")].concat();
            let url = serve("", body, End::Close).await;
            let client = client(&url, Duration::from_secs(10));
            let mut stream = client
                .send(interpreter_input())
                .await
                .unwrap()
                .take_stream();
            let mut texts = Vec::new();
            while let Some(event) = std::future::poll_fn(|cx| {
                futures_core::Stream::poll_next(std::pin::Pin::new(&mut stream), cx)
            })
            .await
            {
                texts.push(text_of(&event.unwrap()));
            }
            assert_eq!(texts, ["a", "b"]);
        })
        .await;
    }

    #[tokio::test]
    async fn a_connection_dropped_mid_frame_is_an_error_not_a_partial_event() {
        bounded(async {
            let second = result("cut");
            let body = [result("whole"), second[..second.len() - 5].to_vec()].concat();
            let url = serve("", body, End::Drop).await;
            let client = client(&url, Duration::from_secs(10));
            let mut stream = client
                .send(interpreter_input())
                .await
                .unwrap()
                .take_stream();
            assert_eq!(text_of(&stream.recv().await.unwrap().unwrap()), "whole");
            let error = stream.recv().await.unwrap_err();
            assert!(matches!(error, Error::Transport(_)), "{error:?}");
            assert!(stream.recv().await.unwrap().is_none());
        })
        .await;
    }

    #[tokio::test]
    async fn a_truncated_last_frame_at_a_clean_end_is_an_error() {
        bounded(async {
            let frame = result("cut");
            let url = serve("", frame[..frame.len() - 1].to_vec(), End::Close).await;
            let client = client(&url, Duration::from_secs(10));
            let mut stream = client
                .send(interpreter_input())
                .await
                .unwrap()
                .take_stream();
            let error = stream.recv().await.unwrap_err();
            let Error::Transport(transport) = &error else {
                panic!("{error:?}");
            };
            let frame = std::error::Error::source(transport)
                .and_then(|s| s.downcast_ref::<opgen::event_stream::FrameError>())
                .expect("a frame error");
            assert_eq!(frame.kind(), opgen::event_stream::FrameErrorKind::Truncated);
        })
        .await;
    }

    #[tokio::test]
    async fn a_bad_crc_ends_the_stream_with_a_checksum_error() {
        bounded(async {
            let mut frame = result("flipped");
            let at = frame.len() - 10;
            frame[at] ^= 0x20;
            let url = serve("", [frame, result("after")].concat(), End::Close).await;
            let client = client(&url, Duration::from_secs(10));
            let mut stream = client
                .send(interpreter_input())
                .await
                .unwrap()
                .take_stream();
            let error = stream.recv().await.unwrap_err();
            let Error::Transport(transport) = &error else {
                panic!("{error:?}");
            };
            let frame = std::error::Error::source(transport)
                .and_then(|s| s.downcast_ref::<opgen::event_stream::FrameError>())
                .expect("a frame error");
            assert_eq!(
                frame.kind(),
                opgen::event_stream::FrameErrorKind::ChecksumMismatch
            );
            // Nothing after the corruption is delivered.
            assert!(stream.recv().await.unwrap().is_none());
        })
        .await;
    }

    #[tokio::test]
    async fn an_error_frame_is_an_unhandled_error_with_its_code_and_message() {
        bounded(async {
            let error_frame = Message::new("")
                .with_header(":message-type", HeaderValue::String("error".into()))
                .with_header(":error-code", HeaderValue::String("InternalFailure".into()))
                .with_header(":error-message", HeaderValue::String("boom".into()))
                .encode()
                .unwrap()
                .to_vec();
            let url = serve("", [result("first"), error_frame].concat(), End::Close).await;
            let client = client(&url, Duration::from_secs(10));
            let mut stream = client
                .send(interpreter_input())
                .await
                .unwrap()
                .take_stream();
            assert_eq!(text_of(&stream.recv().await.unwrap().unwrap()), "first");
            let error = stream.recv().await.unwrap_err();
            let service = error.as_service_error().expect("a service error");
            assert!(matches!(
                service,
                agentcore::InvokeCodeInterpreterError::Unhandled(_)
            ));
            assert_eq!(service.code(), Some("InternalFailure"));
            assert_eq!(service.message(), Some("boom"));
        })
        .await;
    }

    #[tokio::test]
    async fn a_stalled_stream_ends_with_an_idle_timeout() {
        bounded(async {
            let url = serve("", result("only"), End::Stall).await;
            let client = client(&url, Duration::from_millis(300));
            let mut stream = client
                .send(interpreter_input())
                .await
                .unwrap()
                .take_stream();
            assert_eq!(text_of(&stream.recv().await.unwrap().unwrap()), "only");
            let error = stream.recv().await.unwrap_err();
            let Error::Timeout(timeout) = &error else {
                panic!("{error:?}");
            };
            assert_eq!(timeout.which(), "event stream idle");
            assert_eq!(timeout.after(), Duration::from_millis(300));
        })
        .await;
    }

    #[tokio::test]
    async fn kinesis_skips_the_initial_response_and_reads_records() {
        bounded(async {
            let records = r#"{"Records":[{"SequenceNumber":"1","Data":"aGk=","PartitionKey":"p"}],"ContinuationSequenceNumber":"2","MillisBehindLatest":0}"#;
            let body = [
                event("initial-response", "{}"),
                event("SubscribeToShardEvent", records),
                exception("ResourceNotFoundException", r#"{"message":"gone"}"#),
            ]
            .concat();
            let url = serve("", body, End::Close).await;
            let client = client(&url, Duration::from_secs(10));
            let input = kinesis::SubscribeToShardInput::builder()
                .consumer_arn("arn:aws:kinesis:us-east-1:123456789012:stream/s/consumer/c:1")
                .shard_id("shard-0")
                .starting_position(
                    kinesis::StartingPosition::builder()
                        .r#type(kinesis::ShardIteratorType::Latest)
                        .build()
                        .unwrap(),
                )
                .build()
                .unwrap();
            let mut output = client.send(input).await.unwrap();
            let mut stream = output.take_event_stream();
            let event = stream.recv().await.unwrap().unwrap();
            let records = event.as_subscribe_to_shard_event().expect("records");
            assert_eq!(records.continuation_sequence_number(), "2");
            assert_eq!(records.records()[0].data().as_bytes(), b"hi");
            let error = stream.recv().await.unwrap_err();
            let service = error.as_service_error().expect("a service error");
            assert!(service.is_resource_not_found_exception(), "{service:?}");
        })
        .await;
    }

    fn s3_event(kind: &str, payload: &[u8]) -> Vec<u8> {
        Message::new(payload.to_vec())
            .with_header(":message-type", HeaderValue::String("event".into()))
            .with_header(":event-type", HeaderValue::String(kind.into()))
            .encode()
            .unwrap()
            .to_vec()
    }

    #[tokio::test]
    async fn s3_select_streams_records_stats_and_end() {
        bounded(async {
            let stats = b"<Stats><BytesScanned>100</BytesScanned><BytesProcessed>90</BytesProcessed><BytesReturned>12</BytesReturned></Stats>";
            let body = [
                s3_event("Records", b"a,1\n"),
                s3_event("Cont", b""),
                s3_event("Records", b"b,2\n"),
                s3_event("Stats", stats),
                s3_event("End", b""),
            ]
            .concat();
            let url = serve("", body, End::Close).await;
            let client = client(&url, Duration::from_secs(10));
            let input = s3::SelectObjectContentInput::builder()
                .bucket("bucket")
                .key("data.csv")
                .expression("SELECT * FROM S3Object")
                .expression_type(s3::ExpressionType::Sql)
                .input_serialization(
                    s3::InputSerialization::builder()
                        .csv(s3::CSVInput::builder().build().unwrap())
                        .build()
                        .unwrap(),
                )
                .output_serialization(
                    s3::OutputSerialization::builder()
                        .csv(s3::CSVOutput::builder().build().unwrap())
                        .build()
                        .unwrap(),
                )
                .build()
                .unwrap();
            let mut output = client.send(input).await.unwrap();
            let mut stream = output.take_payload().expect("a stream");
            let mut records = Vec::new();
            let mut scanned = None;
            let mut ended = false;
            while let Some(event) = stream.recv().await.unwrap() {
                match event {
                    s3::SelectObjectContentEventStream::Records(r) => {
                        records.extend_from_slice(r.payload().unwrap().as_bytes())
                    }
                    s3::SelectObjectContentEventStream::Stats(s) => {
                        scanned = s.details().and_then(|d| d.bytes_scanned())
                    }
                    s3::SelectObjectContentEventStream::End(_) => ended = true,
                    _ => {}
                }
            }
            assert_eq!(records, b"a,1\nb,2\n");
            assert_eq!(scanned, Some(100));
            assert!(ended);
        })
        .await;
    }

    #[tokio::test]
    async fn dropping_the_receiver_closes_the_connection() {
        bounded(async {
            let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
            let url = format!("http://{}", listener.local_addr().unwrap());
            let server = tokio::spawn(async move {
                let (mut socket, _) = listener.accept().await.unwrap();
                let mut buf = vec![0u8; 65536];
                let n = socket.read(&mut buf).await.unwrap();
                assert!(n > 0);
                let frame = result("one");
                let head = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: application/vnd.amazon.eventstream\r\ntransfer-encoding: chunked\r\n\r\n{:x}\r\n",
                    frame.len()
                );
                socket.write_all(head.as_bytes()).await.unwrap();
                socket.write_all(&frame).await.unwrap();
                socket.write_all(b"\r\n").await.unwrap();
                // The stream stays open: only the client can end it now.
                // (The request is small: one read took it whole.)
                socket.read(&mut buf).await.unwrap()
            });
            let client = client(&url, Duration::from_secs(10));
            let mut stream = client.send(interpreter_input()).await.unwrap().take_stream();
            assert_eq!(text_of(&stream.recv().await.unwrap().unwrap()), "one");
            drop(stream);
            // The server's read returns 0: end of file, the client closed.
            assert_eq!(server.await.unwrap(), 0);
        })
        .await;
    }

    #[tokio::test]
    async fn rpcv2_cbor_reads_the_initial_response_headers_and_cbor_events() {
        use opgen::__private::cbor::{encode, Map, Value};
        bounded(async {
            let cbor = |pairs: &[(&str, Value)]| {
                let map: Map = pairs
                    .iter()
                    .map(|(k, v)| ((*k).to_owned(), v.clone()))
                    .collect();
                encode(&Value::Map(map))
            };
            let frame = |headers: &[(&str, &str)], payload: Vec<u8>| {
                let mut message = Message::new(payload);
                for (name, value) in headers {
                    message = message.with_header(*name, HeaderValue::String((*value).into()));
                }
                message.encode().unwrap().to_vec()
            };
            let body = [
                frame(
                    &[
                        (":message-type", "event"),
                        (":event-type", "initial-response"),
                    ],
                    cbor(&[("sessionId", Value::Text("s-9".into()))]),
                ),
                frame(
                    &[
                        (":message-type", "event"),
                        (":event-type", "changed"),
                        ("source", "sensor"),
                    ],
                    cbor(&[
                        ("name", Value::Text("door".into())),
                        ("count", Value::Integer(3)),
                    ]),
                ),
                frame(
                    &[(":message-type", "exception"), (":exception-type", "gone")],
                    cbor(&[("message", Value::Text("bye".into()))]),
                ),
            ]
            .concat();
            let url = serve("", body, End::Close).await;
            let client = client(&url, Duration::from_secs(10));
            let input = watch::WatchInput::builder().topic("doors").build().unwrap();
            let mut output = client.send(input).await.unwrap();
            // Before the first event: the initial response's members.
            assert_eq!(output.session_id(), Some("s-9"));
            let mut events = output.take_events();
            let event = events.recv().await.unwrap().unwrap();
            let changed = event.as_changed().expect("a changed event");
            assert_eq!(changed.name(), Some("door"));
            assert_eq!(changed.count(), Some(3));
            assert_eq!(changed.source(), Some("sensor"));
            let error = events.recv().await.unwrap_err();
            let service = error.as_service_error().expect("a service error");
            assert!(service.is_gone(), "{service:?}");
            assert_eq!(service.message(), Some("bye"));
        })
        .await;
    }

    #[tokio::test]
    async fn sans_io_deserialize_of_an_rpc_stream_reads_the_initial_response() {
        use opgen::__private::cbor::{encode, Map, Value};
        use opgen::Operation;
        let frame = |event_type: &str, pairs: Vec<(&str, Value)>| {
            let map: Map = pairs.into_iter().map(|(k, v)| (k.to_owned(), v)).collect();
            Message::new(encode(&Value::Map(map)))
                .with_header(":message-type", HeaderValue::String("event".into()))
                .with_header(":event-type", HeaderValue::String(event_type.into()))
                .encode()
                .unwrap()
                .to_vec()
        };
        let body = [
            frame(
                "initial-response",
                vec![("sessionId", Value::Text("s-7".into()))],
            ),
            frame("changed", vec![("name", Value::Text("door".into()))]),
        ]
        .concat();
        let response = http::Response::builder()
            .status(200)
            .body(bytes::Bytes::from(body))
            .unwrap();
        let mut output = watch::Watch::deserialize(response).unwrap();
        assert_eq!(output.session_id(), Some("s-7"));
        let mut events = output.take_events();
        let event = events.recv().await.unwrap().unwrap();
        assert_eq!(event.as_changed().unwrap().name(), Some("door"));
        assert!(events.recv().await.unwrap().is_none());
    }

    #[tokio::test]
    async fn sans_io_deserialize_reads_events_from_a_whole_body() {
        use opgen::Operation;
        let body = [result("recorded"), result("traffic")].concat();
        let response = http::Response::builder()
            .status(200)
            .header("x-amzn-code-interpreter-session-id", "s-1")
            .body(bytes::Bytes::from(body))
            .unwrap();
        let mut output = agentcore::InvokeCodeInterpreter::deserialize(response).unwrap();
        assert_eq!(output.session_id(), Some("s-1"));
        let mut stream = output.take_stream();
        assert_eq!(text_of(&stream.recv().await.unwrap().unwrap()), "recorded");
        assert_eq!(text_of(&stream.recv().await.unwrap().unwrap()), "traffic");
        assert!(stream.recv().await.unwrap().is_none());
    }
}
