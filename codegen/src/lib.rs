//! Smithy shape graph → Rust tokens for `opgen`.
//!
//! Pure library: no `proc_macro`, so it runs in tests and in the CLI as well
//! as in the macro.
//!
//! ```
//! let graph = opgen_model::ShapeGraph::bundled().unwrap();
//! let op = graph.find_operation("GetResourceOauth2Token").unwrap();
//! let tokens = opgen_codegen::generate(&graph, &[op], &opgen_codegen::Options::default()).unwrap();
//! assert!(tokens.to_string().contains("GetResourceOauth2TokenRequest"));
//! ```
#![deny(missing_docs)]
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]

mod context;
mod docs;
mod endpoint;
mod enums;
mod error;
mod naming;
mod operation;
mod structure;
mod types;

use opgen_model::{ShapeGraph, ShapeId};
use proc_macro2::TokenStream;
use std::fmt;

pub use context::Diagnostics;

/// What to generate besides the client.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Options {
    /// Derive `serde::Serialize`/`Deserialize` on the generated types.
    pub serde: bool,
}

impl Options {
    /// Options with `serde` derives switched on or off.
    pub fn with_serde(mut self, serde: bool) -> Self {
        self.serde = serde;
        self
    }
}

/// One thing the generator could not do, at one shape.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodegenError {
    /// The shape (or member) id where the problem is.
    pub shape: String,
    /// What is wrong and how to fix it.
    pub message: String,
}

impl fmt::Display for CodegenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.shape, self.message)
    }
}

impl std::error::Error for CodegenError {}

/// Generates the types, error enums and operation impls for `operations`
/// (shapes they share are emitted once). Every problem found is reported,
/// not just the first.
pub fn generate(
    graph: &ShapeGraph,
    operations: &[ShapeId],
    options: &Options,
) -> Result<TokenStream, Vec<CodegenError>> {
    let ctx = context::Context::new(graph, operations, options)?;
    ctx.emit_all()
}
