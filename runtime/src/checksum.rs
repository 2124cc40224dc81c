//! Flexible checksums (`aws.protocols#httpChecksum`): a checksum header on
//! request bodies, and validation of the checksum a response carries.
//!
//! Applied by the [`Client`](crate::Client) from what the generated
//! operation declares ([`Operation::HTTP_CHECKSUM`]), whatever its
//! protocol, as the AWS SDKs have done since 2025:
//!
//! - Requests: an operation whose checksum is required (e.g. S3
//!   `DeleteObjects`) always gets one; with the default
//!   [`RequestChecksumCalculation::WhenSupported`], so does every operation
//!   that lets the caller choose an algorithm (uploads such as `PutObject`).
//!   The algorithm is the one the caller set on the input, else CRC32, which
//!   is then also written to the algorithm member's header
//!   (`x-amz-sdk-checksum-algorithm: CRC32`). The checksum goes in the
//!   `x-amz-checksum-{algorithm}` header, base64 of the big-endian digest.
//!   A checksum header the caller set on the input is sent as it is.
//!   Request bodies are always in memory (see [`ByteStream`](crate::ByteStream)),
//!   so the header can always be computed; no `aws-chunked` trailers.
//! - Responses: with the default
//!   [`ResponseChecksumValidation::WhenSupported`], the client asks for
//!   the checksum (`x-amz-checksum-mode: ENABLED`) and compares the
//!   `x-amz-checksum-*` header of a successful response with the digest of
//!   its body. A mismatch fails the call with [`Error::Response`](crate::Error::Response)
//!   whose [`checksum_mismatch`](crate::ResponseError::checksum_mismatch)
//!   tells the algorithm and both values; a streaming body (S3
//!   `GetObject`) is checked as it ends, and the stream's last item is then
//!   a [`TransportError`](crate::TransportError) with the same
//!   [`checksum_mismatch`](crate::TransportError::checksum_mismatch).
//!
//! S3-compatible stores may reject the default request checksum
//! (aws-sdk-rust#1240): set [`RequestChecksumCalculation::WhenRequired`]
//! (or `AWS_REQUEST_CHECKSUM_CALCULATION=when_required`) to send one only
//! when the operation requires it or the caller chose an algorithm.

use crate::encoding::base64_encode;
use crate::{BuildError, Operation};
use bytes::Bytes;
use http::header::{HeaderName, HeaderValue};
use std::fmt;

/// A checksum algorithm of flexible checksums.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ChecksumAlgorithm {
    /// CRC-32 (ISO-HDLC, as in zlib and gzip): the default.
    Crc32,
    /// CRC-32C (Castagnoli, iSCSI).
    Crc32c,
    /// CRC-64/NVME.
    Crc64Nvme,
    /// SHA-1.
    Sha1,
    /// SHA-256.
    Sha256,
}

/// The response checksums opgen validates, in the order the SDKs look for
/// them: fastest to compute first.
const RESPONSE_PRIORITY: [ChecksumAlgorithm; 5] = [
    ChecksumAlgorithm::Crc64Nvme,
    ChecksumAlgorithm::Crc32c,
    ChecksumAlgorithm::Crc32,
    ChecksumAlgorithm::Sha1,
    ChecksumAlgorithm::Sha256,
];

/// The 16-entry slicing tables are built at compile time; they hash at
/// 1.4 to 2 GB/s on one core (see BENCHMARKS.md), well above what one
/// connection carries.
const CRC32C: crc::Crc<u32, crc::Table<16>> =
    crc::Crc::<u32, crc::Table<16>>::new(&crc::CRC_32_ISCSI);
const CRC64_NVME: crc::Crc<u64, crc::Table<16>> =
    crc::Crc::<u64, crc::Table<16>>::new(&crc::CRC_64_NVME);

impl ChecksumAlgorithm {
    /// The algorithm's name as models and headers spell it (`CRC32`,
    /// `CRC64NVME`).
    pub fn as_str(self) -> &'static str {
        match self {
            ChecksumAlgorithm::Crc32 => "CRC32",
            ChecksumAlgorithm::Crc32c => "CRC32C",
            ChecksumAlgorithm::Crc64Nvme => "CRC64NVME",
            ChecksumAlgorithm::Sha1 => "SHA1",
            ChecksumAlgorithm::Sha256 => "SHA256",
        }
    }

    /// The algorithm named `name` (`crc32c`, `SHA256`), case-insensitively;
    /// `None` for one opgen does not implement (`MD5`, `SHA512`, `XXHASH64`…).
    pub fn from_name(name: &str) -> Option<ChecksumAlgorithm> {
        RESPONSE_PRIORITY
            .into_iter()
            .find(|a| a.as_str().eq_ignore_ascii_case(name.trim()))
    }

    /// The header that carries this checksum (`x-amz-checksum-crc32`).
    pub fn header_name(self) -> &'static str {
        match self {
            ChecksumAlgorithm::Crc32 => "x-amz-checksum-crc32",
            ChecksumAlgorithm::Crc32c => "x-amz-checksum-crc32c",
            ChecksumAlgorithm::Crc64Nvme => "x-amz-checksum-crc64nvme",
            ChecksumAlgorithm::Sha1 => "x-amz-checksum-sha1",
            ChecksumAlgorithm::Sha256 => "x-amz-checksum-sha256",
        }
    }

    /// A hasher to feed a body in pieces.
    pub fn hasher(self) -> ChecksumHasher {
        ChecksumHasher(match self {
            ChecksumAlgorithm::Crc32 => State::Crc32(crc32fast::Hasher::new()),
            ChecksumAlgorithm::Crc32c => State::Crc32c(CRC32C.digest()),
            ChecksumAlgorithm::Crc64Nvme => State::Crc64Nvme(CRC64_NVME.digest()),
            ChecksumAlgorithm::Sha1 => State::Sha1(<sha1::Sha1 as sha1::Digest>::new()),
            ChecksumAlgorithm::Sha256 => State::Sha256(<sha2::Sha256 as sha2::Digest>::new()),
        })
    }

    /// The big-endian digest of `data`.
    pub fn digest(self, data: &[u8]) -> Vec<u8> {
        let mut hasher = self.hasher();
        hasher.update(data);
        hasher.finalize()
    }

    /// The header value of `data`'s checksum: base64 of [`digest`](Self::digest).
    pub fn header_value(self, data: &[u8]) -> String {
        base64_encode(&self.digest(data))
    }
}

impl fmt::Display for ChecksumAlgorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A checksum being computed over data that arrives in pieces; made by
/// [`ChecksumAlgorithm::hasher`].
pub struct ChecksumHasher(State);

enum State {
    Crc32(crc32fast::Hasher),
    Crc32c(crc::Digest<'static, u32, crc::Table<16>>),
    Crc64Nvme(crc::Digest<'static, u64, crc::Table<16>>),
    Sha1(sha1::Sha1),
    Sha256(sha2::Sha256),
}

impl ChecksumHasher {
    /// Adds `data`.
    pub fn update(&mut self, data: &[u8]) {
        match &mut self.0 {
            State::Crc32(h) => h.update(data),
            State::Crc32c(h) => h.update(data),
            State::Crc64Nvme(h) => h.update(data),
            State::Sha1(h) => sha1::Digest::update(h, data),
            State::Sha256(h) => sha2::Digest::update(h, data),
        }
    }

    /// The big-endian digest of everything added.
    pub fn finalize(self) -> Vec<u8> {
        match self.0 {
            State::Crc32(h) => h.finalize().to_be_bytes().to_vec(),
            State::Crc32c(h) => h.finalize().to_be_bytes().to_vec(),
            State::Crc64Nvme(h) => h.finalize().to_be_bytes().to_vec(),
            State::Sha1(h) => sha1::Digest::finalize(h).to_vec(),
            State::Sha256(h) => sha2::Digest::finalize(h).to_vec(),
        }
    }
}

impl fmt::Debug for ChecksumHasher {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let algorithm = match self.0 {
            State::Crc32(_) => ChecksumAlgorithm::Crc32,
            State::Crc32c(_) => ChecksumAlgorithm::Crc32c,
            State::Crc64Nvme(_) => ChecksumAlgorithm::Crc64Nvme,
            State::Sha1(_) => ChecksumAlgorithm::Sha1,
            State::Sha256(_) => ChecksumAlgorithm::Sha256,
        };
        write!(f, "ChecksumHasher({algorithm})")
    }
}

/// When request checksums are computed (the SDKs' `request_checksum_calculation`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum RequestChecksumCalculation {
    /// For every operation with `@httpChecksum` that requires a checksum or
    /// lets the caller choose an algorithm (CRC32 unless the caller chose
    /// another). The default.
    #[default]
    WhenSupported,
    /// Only when the operation requires a checksum or the caller chose an
    /// algorithm: for S3-compatible stores that reject the default.
    WhenRequired,
}

impl RequestChecksumCalculation {
    /// `when_supported` or `when_required`, case-insensitively.
    pub fn from_name(name: &str) -> Option<Self> {
        match name.trim().to_ascii_lowercase().as_str() {
            "when_supported" => Some(Self::WhenSupported),
            "when_required" => Some(Self::WhenRequired),
            _ => None,
        }
    }
}

/// When response checksums are validated (the SDKs' `response_checksum_validation`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum ResponseChecksumValidation {
    /// For every operation whose `@httpChecksum` lists response algorithms;
    /// the client asks for the checksum when the caller did not. The
    /// default.
    #[default]
    WhenSupported,
    /// Only when the caller set the operation's validation mode member
    /// (S3's `ChecksumMode`) to `ENABLED`.
    WhenRequired,
}

impl ResponseChecksumValidation {
    /// `when_supported` or `when_required`, case-insensitively.
    pub fn from_name(name: &str) -> Option<Self> {
        match name.trim().to_ascii_lowercase().as_str() {
            "when_supported" => Some(Self::WhenSupported),
            "when_required" => Some(Self::WhenRequired),
            _ => None,
        }
    }
}

/// An operation's `aws.protocols#httpChecksum`, as generated code declares
/// it in [`Operation::HTTP_CHECKSUM`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HttpChecksum {
    /// `requestChecksumRequired`: the service refuses the request without
    /// a checksum.
    pub request_checksum_required: bool,
    /// Whether the input has a `requestAlgorithmMember`.
    pub request_algorithm_member: bool,
    /// The header that member is bound to (`x-amz-sdk-checksum-algorithm`),
    /// set to the default algorithm's name when the caller left it unset.
    pub request_algorithm_header: Option<&'static str>,
    /// Whether the input has a `requestValidationModeMember`.
    pub validation_mode_member: bool,
    /// The header that member is bound to (`x-amz-checksum-mode`), set to
    /// `ENABLED` when the client validates by default.
    pub validation_mode_header: Option<&'static str>,
    /// `responseAlgorithms`, as the model spells them (`CRC32`).
    pub response_algorithms: &'static [&'static str],
}

/// What the caller set on the members an operation's [`HttpChecksum`]
/// names; returned by [`Operation::checksum_members`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ChecksumMembers<'a> {
    /// The request algorithm member's value (`CRC32C`).
    pub request_algorithm: Option<&'a str>,
    /// The validation mode member's value (`ENABLED`).
    pub validation_mode: Option<&'a str>,
}

/// A response body whose digest differs from the checksum the response
/// declares: the body was corrupted on its way.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChecksumMismatch {
    algorithm: ChecksumAlgorithm,
    expected: String,
    actual: String,
}

impl ChecksumMismatch {
    /// The algorithm of the checksum that did not match.
    pub fn algorithm(&self) -> ChecksumAlgorithm {
        self.algorithm
    }

    /// The checksum the response declared (base64, as in its header).
    pub fn expected(&self) -> &str {
        &self.expected
    }

    /// The checksum of the body as received (base64).
    pub fn actual(&self) -> &str {
        &self.actual
    }
}

impl fmt::Display for ChecksumMismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the {} checksum of the response body is {}, but the response declares {}",
            self.algorithm, self.actual, self.expected
        )
    }
}

impl std::error::Error for ChecksumMismatch {}

/// Adds the checksum headers of `O`'s `@httpChecksum` to `request`,
/// serialized from `input`: the request checksum (see the
/// [module docs](self) for when) and, when `validation` is
/// [`WhenSupported`](ResponseChecksumValidation::WhenSupported) and the
/// caller did not set it, the validation mode header (`ENABLED`).
///
/// [`Client`](crate::Client) calls it after serializing (and compressing)
/// the request; call it yourself when sending serialized requests another
/// way. Fails when the caller chose an algorithm opgen does not implement
/// (`MD5`, `SHA512`, `XXHASH*`) without setting its checksum header.
pub fn add_checksum_headers<O: Operation>(
    request: &mut http::Request<Bytes>,
    input: &O::Input,
    calculation: RequestChecksumCalculation,
    validation: ResponseChecksumValidation,
) -> Result<(), BuildError> {
    let Some(spec) = O::HTTP_CHECKSUM else {
        return Ok(());
    };
    let members = O::checksum_members(input);
    if validation == ResponseChecksumValidation::WhenSupported
        && members.validation_mode.is_none()
        && !spec.response_algorithms.is_empty()
    {
        if let Some(header) = spec.validation_mode_header {
            insert_header(request, header, "ENABLED")?;
        }
    }
    let chosen = members.request_algorithm;
    let wanted = spec.request_checksum_required
        || chosen.is_some()
        || (calculation == RequestChecksumCalculation::WhenSupported
            && spec.request_algorithm_member);
    if !wanted {
        return Ok(());
    }
    // A checksum the caller computed (an `x-amz-checksum-*` member) is
    // sent as it is; `x-amz-checksum-mode` is not one.
    let has_checksum = request.headers().keys().any(|name| {
        name.as_str()
            .strip_prefix("x-amz-checksum-")
            .is_some_and(|rest| rest != "mode" && rest != "type")
    });
    if has_checksum {
        return Ok(());
    }
    let algorithm = match chosen {
        None => ChecksumAlgorithm::Crc32,
        Some(name) => ChecksumAlgorithm::from_name(name).ok_or_else(|| {
            BuildError::other(format!(
                "opgen cannot compute a {name} checksum; choose CRC32, CRC32C, CRC64NVME, SHA1 or SHA256, or set the checksum header's member yourself"
            ))
        })?,
    };
    if chosen.is_none() {
        if let Some(header) = spec.request_algorithm_header {
            if !request.headers().contains_key(header) {
                insert_header(request, header, algorithm.as_str())?;
            }
        }
    }
    let value = algorithm.header_value(request.body());
    insert_header(request, algorithm.header_name(), &value)
}

fn insert_header(
    request: &mut http::Request<Bytes>,
    name: &str,
    value: &str,
) -> Result<(), BuildError> {
    let name = HeaderName::try_from(name)
        .map_err(|_| BuildError::other(format!("invalid checksum header name `{name}`")))?;
    let value = HeaderValue::try_from(value)
        .map_err(|_| BuildError::other(format!("invalid value of the `{name}` header")))?;
    request.headers_mut().insert(name, value);
    Ok(())
}

/// Whether the response of `O` to `input` is validated under `validation`.
pub(crate) fn validates<O: Operation>(
    input: &O::Input,
    validation: ResponseChecksumValidation,
) -> bool {
    let Some(spec) = O::HTTP_CHECKSUM else {
        return false;
    };
    if spec.response_algorithms.is_empty() {
        return false;
    }
    let mode = O::checksum_members(input).validation_mode;
    match validation {
        ResponseChecksumValidation::WhenSupported => true,
        ResponseChecksumValidation::WhenRequired => {
            mode.is_some_and(|m| m.eq_ignore_ascii_case("ENABLED"))
        }
    }
}

/// The checksum a response declares that can be validated: among
/// `response_algorithms`, the first opgen implements (fastest first) whose
/// header the response has. `None` when there is none, or when that
/// checksum is a composite of multipart parts (`…-3`), which no digest of
/// the body can match.
pub fn response_checksum(
    headers: &http::HeaderMap,
    response_algorithms: &[&str],
) -> Option<(ChecksumAlgorithm, String)> {
    let (algorithm, value) = RESPONSE_PRIORITY
        .into_iter()
        .filter(|a| {
            response_algorithms
                .iter()
                .any(|listed| listed.eq_ignore_ascii_case(a.as_str()))
        })
        .find_map(|a| Some((a, headers.get(a.header_name())?)))?;
    let value = value.to_str().ok()?.trim();
    let composite = value
        .rsplit_once('-')
        .is_some_and(|(_, parts)| !parts.is_empty() && parts.bytes().all(|b| b.is_ascii_digit()));
    (!composite).then(|| (algorithm, value.to_owned()))
}

/// Compares the checksum `response` declares (see [`response_checksum`])
/// with the digest of its body; `Ok` when they match or nothing can be
/// compared. For responses read whole; the client validates streaming
/// bodies as they end.
pub fn validate_response(
    response: &http::Response<Bytes>,
    response_algorithms: &[&str],
) -> Result<(), ChecksumMismatch> {
    let Some((algorithm, expected)) = response_checksum(response.headers(), response_algorithms)
    else {
        return Ok(());
    };
    let actual = algorithm.header_value(response.body());
    mismatch(algorithm, expected, actual)
}

pub(crate) fn mismatch(
    algorithm: ChecksumAlgorithm,
    expected: String,
    actual: String,
) -> Result<(), ChecksumMismatch> {
    if actual == expected {
        return Ok(());
    }
    Err(ChecksumMismatch {
        algorithm,
        expected,
        actual,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::encoding::hex_encode;

    #[test]
    fn each_algorithm_gives_its_published_check_value() {
        let check = b"123456789";
        let hex = |a: ChecksumAlgorithm| hex_encode(&a.digest(check));
        assert_eq!(hex(ChecksumAlgorithm::Crc32), "cbf43926");
        assert_eq!(hex(ChecksumAlgorithm::Crc32c), "e3069283");
        assert_eq!(hex(ChecksumAlgorithm::Crc64Nvme), "ae8b14860a799888");
        assert_eq!(
            hex(ChecksumAlgorithm::Sha1),
            "f7c3bc1d808e04732adf679965ccc34ca7ae3441"
        );
        assert_eq!(
            hex(ChecksumAlgorithm::Sha256),
            "15e2b0d3c33891ebb0f1ef609ec419420c20e320ce94c65fbc8c3312448eb225"
        );
    }

    #[test]
    fn header_values_are_base64_of_the_big_endian_digest() {
        // Values computed with Python's zlib.crc32 and hashlib.
        let hello = b"Hello world";
        assert_eq!(ChecksumAlgorithm::Crc32.header_value(hello), "i9aeUg==");
        assert_eq!(ChecksumAlgorithm::Crc32c.header_value(hello), "crUfeA==");
        assert_eq!(
            ChecksumAlgorithm::Crc64Nvme.header_value(hello),
            "OOJZ0D8xKts="
        );
        assert_eq!(
            ChecksumAlgorithm::Sha1.header_value(hello),
            "e1AsOh9IyGCa4hLN+2Od7jlnP14="
        );
        assert_eq!(
            ChecksumAlgorithm::Sha256.header_value(hello),
            "ZOyIygCyaOW6GjVnihtTFtIS9PNmskdyMlNKiuyjfzw="
        );
        assert_eq!(ChecksumAlgorithm::Crc32.header_value(b""), "AAAAAA==");
    }

    #[test]
    fn pieces_hash_like_the_whole() {
        for algorithm in RESPONSE_PRIORITY {
            let mut hasher = algorithm.hasher();
            hasher.update(b"Hello ");
            hasher.update(b"");
            hasher.update(b"world");
            assert_eq!(
                hasher.finalize(),
                algorithm.digest(b"Hello world"),
                "{algorithm}"
            );
        }
    }

    #[test]
    fn names_parse_case_insensitively_and_unknown_ones_do_not() {
        assert_eq!(
            ChecksumAlgorithm::from_name("crc64nvme"),
            Some(ChecksumAlgorithm::Crc64Nvme)
        );
        assert_eq!(
            ChecksumAlgorithm::from_name("SHA256"),
            Some(ChecksumAlgorithm::Sha256)
        );
        assert_eq!(ChecksumAlgorithm::from_name("MD5"), None);
        assert_eq!(ChecksumAlgorithm::from_name("XXHASH64"), None);
        assert_eq!(
            RequestChecksumCalculation::from_name("WHEN_REQUIRED"),
            Some(RequestChecksumCalculation::WhenRequired)
        );
        assert_eq!(
            ResponseChecksumValidation::from_name(" when_supported "),
            Some(ResponseChecksumValidation::WhenSupported)
        );
        assert_eq!(RequestChecksumCalculation::from_name("always"), None);
    }

    fn response(headers: &[(&str, &str)], body: &'static str) -> http::Response<Bytes> {
        let mut builder = http::Response::builder();
        for (name, value) in headers {
            builder = builder.header(*name, *value);
        }
        builder.body(Bytes::from_static(body.as_bytes())).unwrap()
    }

    const ALL: &[&str] = &["CRC64NVME", "CRC32", "CRC32C", "SHA256", "SHA1", "MD5"];

    #[test]
    fn the_fastest_listed_checksum_is_validated() {
        // CRC32 is right, SHA256 is wrong: CRC32 comes first, so it passes.
        let ok = response(
            &[
                ("x-amz-checksum-crc32", "i9aeUg=="),
                ("x-amz-checksum-sha256", "AAAA"),
            ],
            "Hello world",
        );
        assert_eq!(validate_response(&ok, ALL), Ok(()));
        // The wrong one is checked when the model lists only it.
        let error = validate_response(&ok, &["SHA256"]).unwrap_err();
        assert_eq!(error.algorithm(), ChecksumAlgorithm::Sha256);
        assert_eq!(error.expected(), "AAAA");
        assert_eq!(
            error.actual(),
            "ZOyIygCyaOW6GjVnihtTFtIS9PNmskdyMlNKiuyjfzw="
        );
    }

    #[test]
    fn a_corrupted_body_is_a_mismatch() {
        let corrupted = response(&[("x-amz-checksum-crc32", "i9aeUg==")], "Hello World");
        let error = validate_response(&corrupted, ALL).unwrap_err();
        assert_eq!(error.algorithm(), ChecksumAlgorithm::Crc32);
        assert_eq!(error.expected(), "i9aeUg==");
        assert_ne!(error.actual(), "i9aeUg==");
        assert!(error.to_string().contains("CRC32 checksum"), "{error}");
    }

    #[test]
    fn composite_unlisted_and_absent_checksums_are_not_validated() {
        let composite = response(&[("x-amz-checksum-crc32", "AAAAAA==-3")], "Hello world");
        assert_eq!(validate_response(&composite, ALL), Ok(()));
        let unlisted = response(&[("x-amz-checksum-crc32", "AAAAAA==")], "Hello world");
        assert_eq!(validate_response(&unlisted, &["SHA256"]), Ok(()));
        assert!(validate_response(&unlisted, ALL).is_err());
        let none = response(&[], "Hello world");
        assert_eq!(validate_response(&none, ALL), Ok(()));
    }
}
