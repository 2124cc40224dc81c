//! The `include_operation!` macro. (Being written.)
use proc_macro::TokenStream;

/// Generates the client for operations of a Smithy model.
#[proc_macro]
pub fn include_operation(input: TokenStream) -> TokenStream {
    let _ = input;
    TokenStream::new()
}
