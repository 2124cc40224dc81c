//! Test crate of opgen: see tests/.

/// The README's code blocks, compiled as doc tests so they stay true. Its
/// DynamoDB example reads the model in `../shared`, so without it the
/// README is not compiled (and `tests/build.rs` says so).
#[cfg_attr(
    all(opgen_shared, opgen_shared_protocols),
    doc = include_str!("../../README.md")
)]
mod readme {}
