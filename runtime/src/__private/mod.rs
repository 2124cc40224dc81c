//! What generated code calls. Not a public API: it changes with every
//! release of `opgen-macros`, which is pinned to this crate's version.
#![allow(missing_docs)]

pub mod aws_json;
pub mod cbor;
pub mod endpoint;
pub mod event_stream;
pub mod json;
pub mod query;
pub mod rest;
pub mod rest_xml;
pub mod rpc_v2_cbor;
pub mod xml;

pub use bytes;
pub use http;
pub use opgen_macros::endpoint_resolver;
pub use serde;
pub use serde_json;

/// A fresh idempotency token (a random UUID v4) for members marked
/// `@idempotencyToken` that the caller left unset.
pub fn idempotency_token() -> String {
    FIXED_IDEMPOTENCY_TOKEN
        .with(|fixed| fixed.borrow().clone())
        .unwrap_or_else(crate::random::uuid_v4)
}

thread_local! {
    /// Set by `test_util::with_fixed_idempotency_token` so that tests can
    /// compare serialized requests byte for byte.
    pub(crate) static FIXED_IDEMPOTENCY_TOKEN: std::cell::RefCell<Option<String>> =
        const { std::cell::RefCell::new(None) };
}

/// The payload of the hidden `__NonExhaustive` variant of generated enums.
///
/// `#[non_exhaustive]` only binds other crates, and generated enums live in
/// the user's crate; this variant forces a wildcard arm instead. No value of
/// it exists, but the private field keeps that invisible to users' matches.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NonExhaustive(Never);

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Never {}

impl NonExhaustive {
    /// Proves a match arm on the hidden variant cannot run.
    pub fn unreachable(&self) -> ! {
        match self.0 {}
    }
}

#[cfg(any(
    feature = "container-credentials",
    feature = "imds-credentials",
    feature = "process-credentials"
))]
/// The parser of the credential documents (`credential_process` output when
/// `credential_process`, else a container or IMDS response), for the fuzz
/// harnesses. The error never quotes a value of the document.
pub fn parse_credentials_json(
    body: &[u8],
    credential_process: bool,
) -> Result<crate::Credentials, String> {
    use crate::credentials::json::{parse_credentials, Format};
    let format = if credential_process {
        Format::Process
    } else {
        Format::Endpoint
    };
    parse_credentials(body, format)
}
