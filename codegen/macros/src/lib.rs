//! The `include_operation!` macro of opgen. Use it through the `opgen`
//! crate, which re-exports it and holds everything the expansion calls.
//!
//! This crate is thin: `input` parses the macro grammar, `expand` finds
//! and caches the model, calls `opgen-codegen`, and turns every failure into
//! a `compile_error!` at the span of the literal that caused it.
#![deny(missing_docs)]
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]

mod expand;
mod input;

use proc_macro::TokenStream;

/// Generates, in the invoking module, the client for operations of a Smithy
/// model: request and response structures with builders, enums, unions, an
/// `{Op}Error` enum per operation and an `{Op}` type implementing
/// `opgen::Operation`.
///
/// ```text
/// include_operation!(OP [, OP]* [, model = "PATH"] [, serde])
/// ```
///
/// - `OP`: an operation name (`"GetResourceOauth2Token"`) or absolute shape id
///   (`"com.amazonaws.bedrockagentcore#GetResourceOauth2Token"`).
/// - `model = "PATH"`: a model file or a directory of `.json` model files,
///   relative to the invoking crate's `CARGO_MANIFEST_DIR`. Without it: the
///   crate's `model/` directory if there is one, else the bundled Bedrock
///   AgentCore model.
/// - `serde`: also derive `serde::Serialize`/`Deserialize` on the generated
///   types (through `opgen`'s re-export, with the model's member names), for
///   caching, logging and tests. The wire format never depends on it.
#[proc_macro]
pub fn include_operation(input: TokenStream) -> TokenStream {
    syn::parse::<input::MacroInput>(input)
        .and_then(|input| expand::expand(&input))
        .unwrap_or_else(syn::Error::into_compile_error)
        .into()
}

/// `endpoint_resolver!("PATH")`: the endpoint rule set of the model (or
/// bare rule set) at `PATH`, relative to `CARGO_MANIFEST_DIR`, compiled as
/// `include_operation!` compiles it, into `pub fn resolve`. Hidden: for the
/// tests that hold compiled rules against the interpreter. A rule set that
/// does not compile gives a `resolve` that says so on every call.
#[doc(hidden)]
#[proc_macro]
pub fn endpoint_resolver(input: TokenStream) -> TokenStream {
    syn::parse::<syn::LitStr>(input)
        .and_then(|path| expand::endpoint_resolver(&path))
        .unwrap_or_else(syn::Error::into_compile_error)
        .into()
}
