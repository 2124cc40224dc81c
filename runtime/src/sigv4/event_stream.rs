//! Signing of event-stream messages (`AWS4-HMAC-SHA256-PAYLOAD`), as the
//! services with input streams (Transcribe, Lex, Bedrock) require.
//!
//! The request itself is signed with the payload hash
//! [`STREAMING_EVENTS_PAYLOAD`]; each message then travels as the payload
//! of an outer message whose `:chunk-signature` chains from the previous
//! one, starting at the request's signature (the seed). An outer message
//! with an empty payload ends the stream.

use super::{format_date, hmac_sha256, SigningError, ALGORITHM};
use crate::encoding::hex_encode;
use crate::event_stream::{Header, HeaderValue, Message};
use crate::{Credentials, DateTime};
use sha2::{Digest, Sha256};
use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// The `x-amz-content-sha256` of a request whose body is a stream of
/// signed event messages; [`sign_http_request`](super::sign_http_request)
/// signs it as the payload hash when the request carries it.
pub const STREAMING_EVENTS_PAYLOAD: &str = "STREAMING-AWS4-HMAC-SHA256-EVENTS";

/// Signs the messages of one input stream, each chained to the previous
/// signature.
///
/// ```
/// use opgen::event_stream::Message;
/// use opgen::sigv4::event_stream::EventSigner;
/// use opgen::Credentials;
/// use std::time::SystemTime;
///
/// let credentials = Credentials::new("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", None);
/// // The seed: the signature of the request that opened the stream.
/// let mut signer = EventSigner::new(credentials, "us-east-1", "transcribe", "0f1e2d3c4b5a");
/// let inner = Message::new(&b"audio"[..]).encode()?;
/// let outer = signer.sign(&inner, SystemTime::now())?;
/// assert!(outer.header(":chunk-signature").is_some());
/// let end = signer.sign(&[], SystemTime::now())?; // the end of the stream
/// assert!(end.payload().is_empty());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone)]
pub struct EventSigner {
    credentials: Credentials,
    region: String,
    service: String,
    prior: String,
}

impl EventSigner {
    /// A signer for the stream of a request signed with `seed_signature`
    /// (hex, as in its `Authorization` header) in the scope of `region`
    /// and `service`.
    pub fn new(
        credentials: Credentials,
        region: impl Into<String>,
        service: impl Into<String>,
        seed_signature: impl Into<String>,
    ) -> Self {
        EventSigner {
            credentials,
            region: region.into(),
            service: service.into(),
            prior: seed_signature.into(),
        }
    }

    /// The outer message carrying `inner` (an encoded message, or nothing
    /// for the end of the stream), signed at `time` (whole seconds: the
    /// `:date` header must match the signed date); the next message chains
    /// from its signature.
    ///
    /// Fails when `time` is before 1970.
    pub fn sign(&mut self, inner: &[u8], time: SystemTime) -> Result<Message, SigningError> {
        let time = whole_seconds(time)?;
        let (date, _) = format_date(time)?;
        let string_to_sign = string_to_sign(inner, &self.prior, time, &self.region, &self.service)?;
        let key = self.credentials.signing_keys().get_or_derive(
            self.credentials.secret_access_key(),
            &date,
            &self.region,
            &self.service,
        )?;
        let signature = hmac_sha256(&key, string_to_sign.as_bytes())?;
        self.prior = hex_encode(&signature);
        Ok(Message::new(bytes::Bytes::copy_from_slice(inner))
            .with_header(
                ":chunk-signature",
                HeaderValue::Bytes(bytes::Bytes::copy_from_slice(&signature)),
            )
            .with_header(":date", HeaderValue::Timestamp(DateTime::from(time))))
    }

    /// The signature of the last message signed (the seed before any).
    pub fn prior_signature(&self) -> &str {
        &self.prior
    }
}

impl fmt::Debug for EventSigner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EventSigner")
            .field("credentials", &self.credentials)
            .field("region", &self.region)
            .field("service", &self.service)
            .finish_non_exhaustive()
    }
}

/// `time` without its fraction of a second.
fn whole_seconds(time: SystemTime) -> Result<SystemTime, SigningError> {
    let since = time
        .duration_since(UNIX_EPOCH)
        .map_err(|_| SigningError::new("the signing time is before 1970"))?;
    Ok(UNIX_EPOCH + Duration::from_secs(since.as_secs()))
}

/// The string to sign of a message: the algorithm, the time, the scope,
/// the prior signature, the hash of the encoded `:date` header and the
/// hash of the payload (the inner message).
fn string_to_sign(
    payload: &[u8],
    prior: &str,
    time: SystemTime,
    region: &str,
    service: &str,
) -> Result<String, SigningError> {
    let (date, date_time) = format_date(time)?;
    let date_header = Header::new(":date", HeaderValue::Timestamp(DateTime::from(time)));
    let mut encoded = bytes::BytesMut::new();
    date_header
        .encode_to(&mut encoded)
        .map_err(|e| SigningError::new(format!("cannot encode the :date header: {e}")))?;
    Ok(format!(
        "{ALGORITHM}-PAYLOAD\n{date_time}\n{date}/{region}/{service}/aws4_request\n{prior}\n{}\n{}",
        hex_encode(&Sha256::digest(&encoded)),
        hex_encode(&Sha256::digest(payload)),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event_stream::Message;

    fn inner() -> bytes::Bytes {
        Message::new(&b"test payload"[..])
            .with_header("some-header", HeaderValue::String("value".into()))
            .encode()
            .unwrap()
    }

    /// The vector of aws-sigv4's `event_stream::tests::string_to_sign`:
    /// the same message, time, scope and prior signature give the same
    /// string to sign.
    #[test]
    fn string_to_sign_matches_the_aws_sdk_vector() {
        let time = whole_seconds(UNIX_EPOCH + Duration::new(123_456_789, 1234)).unwrap();
        let prior = hex_encode(&Sha256::digest(b"last message sts"));
        let expected = "AWS4-HMAC-SHA256-PAYLOAD\n\
            19731129T213309Z\n\
            19731129/us-east-1/testservice/aws4_request\n\
            be1f8c7d79ef8e1abc5254a2c70e4da3bfaf4f07328f527444e1fc6ea67273e2\n\
            0c0e3b3bf66b59b976181bd7d401927bbd624107303c713fd1e5f3d3c8dd1b1e\n\
            f2eba0f2e95967ee9fbc6db5e678d2fd599229c0d04b11e4fc8e0f2a02a806c6";
        let got = string_to_sign(&inner(), &prior, time, "us-east-1", "testservice").unwrap();
        assert_eq!(got, expected);
    }

    #[test]
    fn signatures_chain_and_the_date_has_whole_seconds() {
        let credentials = Credentials::new("AKID", "secret", None);
        let mut signer = EventSigner::new(credentials.clone(), "us-east-1", "svc", "seed");
        let time = UNIX_EPOCH + Duration::new(123_456_789, 999_000_000);
        let first = signer.sign(&inner(), time).unwrap();
        let first_signature = signer.prior_signature().to_owned();
        assert_eq!(
            first.header(":date"),
            Some(&HeaderValue::Timestamp(DateTime::from_secs(123_456_789)))
        );
        match first.header(":chunk-signature") {
            Some(HeaderValue::Bytes(b)) => assert_eq!(hex_encode(b), first_signature),
            other => panic!("{other:?}"),
        }
        // Recomputed by hand from the seed: the chain starts there.
        let sts = string_to_sign(
            &inner(),
            "seed",
            whole_seconds(time).unwrap(),
            "us-east-1",
            "svc",
        )
        .unwrap();
        let key =
            super::super::derive_signing_key("secret", "19731129", "us-east-1", "svc").unwrap();
        let expected = hmac_sha256(&key, sts.as_bytes()).unwrap();
        assert_eq!(first_signature, hex_encode(&expected));
        // The end frame chains from the first one and has no payload.
        let end = signer.sign(&[], time).unwrap();
        assert!(end.payload().is_empty());
        let mut from_seed = EventSigner::new(credentials, "us-east-1", "svc", "seed");
        let end_from_seed = from_seed.sign(&[], time).unwrap();
        assert_ne!(
            end.header(":chunk-signature"),
            end_from_seed.header(":chunk-signature")
        );
    }
}
