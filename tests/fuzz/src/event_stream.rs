//! `eventstream_decode`: arbitrary bytes through the event-stream frame
//! decoder, in chunks of sizes the input chooses.

use opgen::event_stream::{Message, MessageDecoder};

/// The first byte sets the chunk size (1 to 256 bytes); the rest is the
/// stream, fed to a `MessageDecoder` chunk by chunk.
///
/// Invariants: the decoder never panics; the messages and the outcome
/// (error kind, or truncated end) do not depend on the chunk size (the
/// same bytes fed whole give the same); every decoded message encodes and
/// decodes back to itself; once failed, the decoder stays failed.
pub fn eventstream_decode(data: &[u8]) {
    let Some((&size, stream)) = data.split_first() else {
        return;
    };
    let chunked = decode(stream, usize::from(size) + 1);
    let whole = decode(stream, stream.len().max(1));
    assert_eq!(chunked, whole, "the outcome depends on the chunk size");
    for message in &chunked.0 {
        let wire = match message.encode() {
            Ok(wire) => wire,
            Err(e) => panic!("decoded message {message:?} does not encode: {e}"),
        };
        assert_eq!(
            Message::decode(&wire).as_ref(),
            Ok(message),
            "the round trip changed the message"
        );
    }
}

type Outcome = (Vec<Message>, Result<(), String>);

fn decode(stream: &[u8], chunk: usize) -> Outcome {
    let mut decoder = MessageDecoder::new();
    let mut messages = Vec::new();
    for piece in stream.chunks(chunk) {
        decoder.push(piece);
        loop {
            match decoder.next_message() {
                Ok(Some(message)) => messages.push(message),
                Ok(None) => break,
                Err(e) => {
                    assert!(
                        decoder.next_message().is_err(),
                        "the decoder recovered after {e}"
                    );
                    return (messages, Err(format!("{:?}", e.kind())));
                }
            }
        }
    }
    let end = decoder.finish().map_err(|e| format!("{:?}", e.kind()));
    (messages, end)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seed(name: &str) -> Vec<u8> {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/seeds/eventstream_decode/");
        std::fs::read(format!("{path}{name}")).unwrap()
    }

    #[test]
    fn the_seeds_decode_as_their_names_say() {
        let (messages, end) = decode(&seed("three-messages-bytewise")[1..], 1);
        assert_eq!(messages.len(), 3);
        assert_eq!(end, Ok(()));
        let (messages, end) = decode(&seed("truncated")[1..], 2);
        assert!(messages.is_empty());
        assert_eq!(end, Err("Truncated".into()));
        let (_, end) = decode(&seed("bad-message-crc")[1..], 3);
        assert_eq!(end, Err("ChecksumMismatch".into()));
        let (messages, _) = decode(&seed("all-header-types")[1..], 4);
        assert_eq!(messages[0].headers().len(), 10);
    }
}
