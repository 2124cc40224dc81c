//! Fuzz harnesses for opgen, one function per `cargo fuzz` target.
//!
//! Each harness takes the fuzzer's bytes, derives a value of the library's
//! input type from them, runs the library and asserts invariants. A harness
//! panics only when an invariant is violated (or when the library itself
//! panics): that is the crash libFuzzer reports. The targets in `fuzz/` are
//! one-liners calling these functions; `tests/replay.rs` runs every seed and
//! every recorded regression through them on stable Rust.
//!
//! See `FUZZING.md` at the repository root.
#![deny(missing_docs)]

mod cbor;
mod credentials;
mod endpoint;
mod event_stream;
mod input;
mod model;
mod response;
mod shapes;
mod sigv4;
mod xml;

pub use cbor::cbor_decode;
pub use credentials::{credentials_json, profile_files};
pub use endpoint::endpoint_rules;
pub use event_stream::eventstream_decode;
pub use model::model_loader;
pub use response::response_parsing;
pub use shapes::response_shapes;
pub use sigv4::sigv4_canonical;
pub use xml::xml_decode;

/// A harness: the fuzzer's bytes in, a panic on an invariant violation.
pub type Harness = fn(&[u8]);

/// Every target, by its `cargo fuzz` name.
pub const TARGETS: &[(&str, Harness)] = &[
    ("response_parsing", response_parsing),
    ("sigv4_canonical", sigv4_canonical),
    ("model_loader", model_loader),
    ("endpoint_rules", endpoint_rules),
    ("cbor_decode", cbor_decode),
    ("xml_decode", xml_decode),
    ("eventstream_decode", eventstream_decode),
    ("response_shapes", response_shapes),
    ("profile_files", profile_files),
    ("credentials_json", credentials_json),
];
