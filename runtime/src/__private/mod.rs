//! What generated code calls. Not a public API: it changes with every
//! release of `opgen-macros`, which is pinned to this crate's version.
#![allow(missing_docs)]

pub mod json;
pub mod rest;

pub use bytes;
pub use http;
pub use serde;
pub use serde_json;
