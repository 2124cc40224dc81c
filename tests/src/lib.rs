//! Test crate of opgen: see tests/.

/// The README's code blocks, compiled as doc tests so they stay true.
#[doc = include_str!("../../README.md")]
mod readme {}
