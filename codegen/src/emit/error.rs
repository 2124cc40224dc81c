//! The `{Op}Error` enum: a variant per modeled error, plus `Unhandled`.

use crate::ir::OperationIr;
use heck::ToSnakeCase;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

pub(crate) fn emit_op_error(op: &OperationIr) -> TokenStream {
    let op_name = &op.name;
    let name = &op.error_ident;
    let variants: Vec<_> = op.errors.iter().map(|e| &e.ident).collect();
    let docs = op.errors.iter().map(|e| {
        let v = &e.ident;
        let doc = if *v == e.code {
            format!(" The service returned [`{v}`].")
        } else {
            format!(" The service returned [`{v}`] (`{}`).", e.code)
        };
        quote!(#[doc = #doc])
    });
    let is_fns = variants.iter().map(|v| {
        let is_fn = format_ident!("is_{}", v.to_string().to_snake_case());
        let doc = format!(" Whether this is the `{v}` variant.");
        quote! {
            #[doc = #doc]
            pub fn #is_fn(&self) -> bool {
                ::core::matches!(self, #name::#v(_))
            }
        }
    });
    let doc = crate::docs::doc_attrs(
        None,
        &format!(
            "An error of `{op_name}`: one variant per error the model declares, plus `Unhandled` for any other.\n\nMatch with a wildcard arm: errors added to the model later become new variants."
        ),
    );
    quote! {
        #doc
        #[derive(::core::fmt::Debug)]
        #[non_exhaustive]
        pub enum #name {
            #(#docs #variants(#variants),)*
            /// An error the model does not declare for this operation.
            Unhandled(::opgen::UnhandledError),
            /// Not an error: makes a wildcard arm necessary in user `match`es,
            /// so that errors added to the model later break no build.
            #[doc(hidden)]
            __NonExhaustive(::opgen::__private::NonExhaustive),
        }

        impl #name {
            /// The code, message and request id the service sent.
            pub fn meta(&self) -> &::opgen::ErrorMetadata {
                match self {
                    #(#name::#variants(e) => e.meta(),)*
                    #name::Unhandled(e) => e.meta(),
                    #name::__NonExhaustive(never) => never.unreachable(),
                }
            }

            /// The error code (the error shape's name).
            pub fn code(&self) -> ::core::option::Option<&str> {
                self.meta().code()
            }

            /// The message the service sent.
            pub fn message(&self) -> ::core::option::Option<&str> {
                self.meta().message()
            }

            /// Whether the model marks this error `@retryable`.
            pub fn is_retryable(&self) -> bool {
                match self {
                    #(#name::#variants(e) => e.is_retryable(),)*
                    #name::Unhandled(_) => false,
                    #name::__NonExhaustive(never) => never.unreachable(),
                }
            }

            #(#is_fns)*
        }

        impl ::opgen::ProvideErrorMetadata for #name {
            fn meta(&self) -> &::opgen::ErrorMetadata {
                #name::meta(self)
            }

            fn is_retryable(&self) -> bool {
                #name::is_retryable(self)
            }

            fn is_throttling(&self) -> bool {
                match self {
                    #(#name::#variants(e) => e.is_throttling(),)*
                    #name::Unhandled(_) => false,
                    #name::__NonExhaustive(never) => never.unreachable(),
                }
            }
        }

        impl ::core::fmt::Display for #name {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                match self {
                    #(#name::#variants(e) => ::core::fmt::Display::fmt(e, f),)*
                    #name::Unhandled(e) => ::core::fmt::Display::fmt(e, f),
                    #name::__NonExhaustive(never) => never.unreachable(),
                }
            }
        }

        impl ::std::error::Error for #name {
            // Transparent: `Display` already shows the inner error, so the
            // chain continues with the inner error's own source.
            fn source(&self) -> ::core::option::Option<&(dyn ::std::error::Error + 'static)> {
                match self {
                    #(#name::#variants(e) => ::std::error::Error::source(e),)*
                    #name::Unhandled(e) => ::std::error::Error::source(e),
                    #name::__NonExhaustive(never) => never.unreachable(),
                }
            }
        }

        impl ::core::convert::From<::opgen::UnhandledError> for #name {
            fn from(error: ::opgen::UnhandledError) -> Self {
                #name::Unhandled(error)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use opgen_model::ShapeGraph;

    /// `@retryable` reaches `ProvideErrorMetadata`, which the client's retry
    /// classifier reads: `is_retryable` for both errors, `is_throttling`
    /// only for `@retryable(throttling: true)`.
    #[test]
    fn retryable_and_throttling_traits_are_emitted() {
        let model = r#"{
            "smithy": "2.0",
            "shapes": {
                "com.example#Service": {
                    "type": "service",
                    "version": "2024-01-01",
                    "operations": [{"target": "com.example#Ping"}],
                    "traits": {
                        "aws.protocols#restJson1": {},
                        "aws.api#service": {"sdkId": "Example", "endpointPrefix": "example"},
                        "aws.auth#sigv4": {"name": "example"}
                    }
                },
                "com.example#Ping": {
                    "type": "operation",
                    "traits": {"smithy.api#http": {"method": "POST", "uri": "/ping"}},
                    "input": {"target": "smithy.api#Unit"},
                    "output": {"target": "smithy.api#Unit"},
                    "errors": [
                        {"target": "com.example#SlowDown"},
                        {"target": "com.example#Busy"},
                        {"target": "com.example#Invalid"}
                    ]
                },
                "com.example#SlowDown": {
                    "type": "structure", "members": {},
                    "traits": {"smithy.api#error": "client", "smithy.api#retryable": {"throttling": true}}
                },
                "com.example#Busy": {
                    "type": "structure", "members": {},
                    "traits": {"smithy.api#error": "server", "smithy.api#retryable": {}}
                },
                "com.example#Invalid": {
                    "type": "structure", "members": {},
                    "traits": {"smithy.api#error": "client"}
                }
            }
        }"#;
        let graph = ShapeGraph::from_json("retryable.json", model).unwrap();
        let op = graph.find_operation("Ping").unwrap();
        let code = crate::generate(&graph, &[op], &crate::Options::default())
            .unwrap()
            .to_string();
        let flags = |shape: &str| {
            let start = code.find(&format!("impl {shape} {{")).unwrap();
            let body = &code[start..];
            let value = |f: &str| {
                let at = body
                    .find(&format!("pub fn {f} (& self) -> bool {{"))
                    .unwrap();
                body[at..]
                    .split('{')
                    .nth(1)
                    .unwrap()
                    .split('}')
                    .next()
                    .unwrap()
                    .trim()
                    .to_owned()
            };
            (value("is_retryable"), value("is_throttling"))
        };
        assert_eq!(flags("SlowDown"), ("true".into(), "true".into()));
        assert_eq!(flags("Busy"), ("true".into(), "false".into()));
        assert_eq!(flags("Invalid"), ("false".into(), "false".into()));
        // The operation error delegates to each variant.
        assert!(
            code.contains("PingError :: SlowDown (e) => e . is_throttling ()"),
            "{code}"
        );
    }
}
