//! What generated code calls. Not a public API: it changes with every
//! release of `opgen-macros`, which is pinned to this crate's version.
#![allow(missing_docs)]

pub mod cbor;
pub mod json;
pub mod rest;
pub mod rpc_v2_cbor;

pub use bytes;
pub use http;
pub use serde;
pub use serde_json;

/// A fresh idempotency token (a random UUID v4) for members marked
/// `@idempotencyToken` that the caller left unset.
pub fn idempotency_token() -> String {
    FIXED_IDEMPOTENCY_TOKEN
        .with(|fixed| fixed.borrow().clone())
        .unwrap_or_else(uuid_v4)
}

thread_local! {
    /// Set by `test_util::with_fixed_idempotency_token` so that tests can
    /// compare serialized requests byte for byte.
    pub(crate) static FIXED_IDEMPOTENCY_TOKEN: std::cell::RefCell<Option<String>> =
        const { std::cell::RefCell::new(None) };
}

/// A random UUID v4 from the std hasher's per-process random keys, the
/// clock and a counter: unique enough for tokens and invocation ids, with no
/// RNG dependency.
pub(crate) fn uuid_v4() -> String {
    use std::collections::hash_map::RandomState;
    use std::hash::{BuildHasher, Hasher};
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let count = COUNTER.fetch_add(1, Ordering::Relaxed);
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let mut halves = [0u64; 2];
    for (i, half) in halves.iter_mut().enumerate() {
        let mut hasher = RandomState::new().build_hasher();
        hasher.write_u128(now);
        hasher.write_u64(count);
        hasher.write_usize(i);
        *half = hasher.finish();
    }
    let mut bytes = [0u8; 16];
    bytes[..8].copy_from_slice(&halves[0].to_le_bytes());
    bytes[8..].copy_from_slice(&halves[1].to_le_bytes());
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..]
    )
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
