//! Smithy shape graph → Rust tokens for `opgen`.
//!
//! Pure library: no `proc_macro`, so it runs in tests and in the CLI as well
//! as in the macro. Three stages: `lower` turns the shape
//! graph into plain IR values and collects every problem; `emit` turns the
//! IR into types, builders, enums, unions, error enums and operation impls;
//! `protocol` writes the wire half of each operation, one file per protocol.
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

mod docs;
mod emit;
mod ir;
mod jmespath;
mod lower;
mod naming;
mod protocol;

use opgen_model::{ShapeGraph, ShapeId};
use proc_macro2::TokenStream;
use std::fmt;

/// What to generate besides the client.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Options {
    /// Derive `serde::Serialize`/`Deserialize` on the generated types.
    pub serde: bool,
    /// The protocol to speak (`"awsJson1_0"`), overriding the service's
    /// first supported one; it must be one the service lists.
    pub protocol: Option<String>,
}

impl Options {
    /// Options with `serde` derives switched on or off.
    pub fn with_serde(mut self, serde: bool) -> Self {
        self.serde = serde;
        self
    }

    /// Options speaking `protocol` (its trait name, e.g. `"awsJson1_0"`).
    pub fn with_protocol(mut self, protocol: Option<String>) -> Self {
        self.protocol = protocol;
        self
    }
}

/// One thing the generator could not do, at one shape.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodegenError {
    /// The operation that cannot be generated because of it (by name), or
    /// `None` when it is not tied to one operation.
    pub operation: Option<String>,
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

/// The code of the operations that could be generated, and why the others
/// could not.
#[derive(Debug, Default)]
pub struct Generated {
    /// Types, error enums and operation impls of every operation without a
    /// problem.
    pub tokens: TokenStream,
    /// Every problem found, each naming its operation.
    pub errors: Vec<CodegenError>,
}

/// Generates the types, error enums and operation impls for `operations`
/// (shapes they share are emitted once). Every problem found is reported,
/// not just the first, and nothing is generated when there is one.
pub fn generate(
    graph: &ShapeGraph,
    operations: &[ShapeId],
    options: &Options,
) -> Result<TokenStream, Vec<CodegenError>> {
    let lowered = lower::lower(graph, operations, options);
    if lowered.errors.is_empty() {
        Ok(emit::emit_all(&lowered.ir))
    } else {
        Err(lowered.errors)
    }
}

/// The endpoint rule set `rules` (the value of a service's
/// `smithy.rules#endpointRuleSet`) compiled into
/// `pub fn resolve(&EndpointParams) -> Result<Endpoint, EndpointError>`,
/// what `include_operation!` generates for a service; the error says what
/// the compiler does not understand (such rules are interpreted instead).
pub fn endpoint_resolver(rules: &serde_json::Value) -> Result<TokenStream, String> {
    emit::endpoint_rules::compile_rule_set(
        rules,
        quote::quote!(pub),
        &proc_macro2::Ident::new("resolve", proc_macro2::Span::call_site()),
    )
}

/// [`endpoint_resolver`] for the JSON text of a model file (the rule set of
/// its first service that has one) or of a bare rule set (the rules-engine
/// suite's files). For tests that compare compiled rules with the
/// interpreter.
pub fn endpoint_resolver_from_json(text: &str) -> Result<TokenStream, String> {
    let value: serde_json::Value =
        serde_json::from_str(text).map_err(|e| format!("not JSON ({e})"))?;
    let rules = match value.get("shapes").and_then(serde_json::Value::as_object) {
        Some(shapes) => shapes
            .values()
            .find_map(|shape| shape.get("traits")?.get("smithy.rules#endpointRuleSet"))
            .ok_or("no service of the model has an endpoint rule set")?,
        None => &value,
    };
    endpoint_resolver(rules)
}

/// Like [`generate`], but generates every operation that has no problem of
/// its own, and reports the problems of the others (for a macro that fails
/// softly: one error, not a cascade of unresolved names).
pub fn generate_softly(graph: &ShapeGraph, operations: &[ShapeId], options: &Options) -> Generated {
    let lowered = lower::lower(graph, operations, options);
    if lowered.errors.is_empty() {
        return Generated {
            tokens: emit::emit_all(&lowered.ir),
            errors: Vec::new(),
        };
    }
    if lowered.errors.iter().any(|e| e.operation.is_none()) {
        return Generated {
            tokens: TokenStream::new(),
            errors: lowered.errors,
        };
    }
    let failed: Vec<&str> = lowered
        .errors
        .iter()
        .filter_map(|e| e.operation.as_deref())
        .collect();
    let rest: Vec<ShapeId> = operations
        .iter()
        .filter(|op| !failed.contains(&op.name()))
        .cloned()
        .collect();
    // Lowered again without the failed operations, so that nothing of
    // theirs (roles, the endpoint rules owner) shapes the others.
    let tokens = if rest.is_empty() {
        TokenStream::new()
    } else {
        let again = lower::lower(graph, &rest, options);
        if again.errors.is_empty() {
            emit::emit_all(&again.ir)
        } else {
            TokenStream::new()
        }
    };
    Generated {
        tokens,
        errors: lowered.errors,
    }
}
