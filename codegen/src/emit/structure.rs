//! Structures: the type, its getters, `Debug` with redaction, and for error
//! structures their `meta`, `Display` and `Error` impls.

use crate::docs::doc_attrs;
use crate::emit::types::{access, element_type, rust_type, Access};
use crate::ir::{FieldIr, Ir, StructureIr};
use crate::naming::prefixed_ident;
use proc_macro2::{Ident, TokenStream};
use quote::quote;

pub(crate) const REDACTED: &str = "*** Sensitive Data Redacted ***";

pub(crate) fn emit_structure(ir: &Ir, shape: &StructureIr) -> TokenStream {
    let name = &shape.ident;
    let builder = &shape.builder_ident;
    let docs = doc_attrs(shape.docs.as_deref(), &shape.default_doc);
    let serde = ir.serde;
    let decls = shape.fields.iter().map(|f| {
        let ident = &f.ident;
        let ty = rust_type(&f.ty);
        let name = &f.name;
        let attrs = match (serde, f.optional) {
            (false, _) => quote!(),
            // A stream can be read only once, so it has no serde form.
            (true, _) if f.ty.is_byte_stream() || f.ty.is_event_stream() => quote!(#[serde(skip)]),
            (true, true) => quote! {
                #[serde(rename = #name, default, skip_serializing_if = "::core::option::Option::is_none")]
            },
            (true, false) => quote!(#[serde(rename = #name)]),
        };
        if f.optional {
            quote!(#attrs #ident: ::core::option::Option<#ty>,)
        } else {
            quote!(#attrs #ident: #ty,)
        }
    });
    let meta_decl = shape.roles.error.then(|| {
        let skip = serde.then(|| quote!(#[serde(skip)]));
        quote!(#skip __meta: ::opgen::ErrorMetadata,)
    });
    let serde_derive = serde_derive(ir);
    let getters = shape.fields.iter().map(emit_getter);
    let debug = emit_debug(shape, name, name.to_string());
    let value_derives = value_derives(shape);
    let builder_def = crate::emit::builder::emit_builder(shape);
    let error_impls = shape.roles.error.then(|| emit_error_impls(shape));
    let builder_doc = format!(" Creates a builder for [`{name}`].");
    quote! {
        #docs
        #value_derives
        #serde_derive
        #[non_exhaustive]
        pub struct #name {
            #(#decls)*
            #meta_decl
        }

        impl #name {
            #(#getters)*

            #[doc = #builder_doc]
            pub fn builder() -> #builder {
                <#builder as ::core::default::Default>::default()
            }
        }

        #debug
        #builder_def
        #error_impls
    }
}

/// `Clone` and `PartialEq`, which a structure holding a stream cannot have:
/// a stream is read once and compared never.
pub(crate) fn value_derives(shape: &StructureIr) -> TokenStream {
    if shape.has_stream() {
        TokenStream::new()
    } else {
        quote!(#[derive(::core::clone::Clone, ::core::cmp::PartialEq)])
    }
}

/// The serde derives and crate path, when the `serde` option is on. The
/// names are the model's member names; the wire format never uses these.
pub(crate) fn serde_derive(ir: &Ir) -> TokenStream {
    if ir.serde {
        quote! {
            #[derive(::opgen::__private::serde::Serialize, ::opgen::__private::serde::Deserialize)]
            #[serde(crate = "::opgen::__private::serde")]
        }
    } else {
        TokenStream::new()
    }
}

pub(crate) fn member_doc(f: &FieldIr, fallback: &str) -> TokenStream {
    doc_attrs(f.docs.as_deref(), fallback)
}

fn emit_getter(f: &FieldIr) -> TokenStream {
    let ident = &f.ident;
    let ty = rust_type(&f.ty);
    let docs = member_doc(f, &format!("The `{}` member.", f.name));
    let body = match (access(&f.ty), f.optional) {
        (Access::Copy, true) => quote!(-> ::core::option::Option<#ty> { self.#ident }),
        (Access::Copy, false) => quote!(-> #ty { self.#ident }),
        (Access::Str, true) => quote!(-> ::core::option::Option<&str> { self.#ident.as_deref() }),
        (Access::Str, false) => quote!(-> &str { &self.#ident }),
        (Access::Slice, opt) => {
            let item = element_type(&f.ty).unwrap_or_default();
            if opt {
                quote!(-> &[#item] { self.#ident.as_deref().unwrap_or_default() })
            } else {
                quote!(-> &[#item] { &self.#ident })
            }
        }
        (Access::Ref, true) => quote!(-> ::core::option::Option<&#ty> { self.#ident.as_ref() }),
        (Access::Ref, false) => quote!(-> &#ty { &self.#ident }),
    };
    let take = (f.ty.is_byte_stream() || f.ty.is_event_stream()).then(|| {
        let take = prefixed_ident("take", &f.name);
        let doc = format!(
            " Takes the `{}` stream out to read it, leaving an empty one.",
            f.name
        );
        if f.optional {
            quote! {
                #[doc = #doc]
                pub fn #take(&mut self) -> ::core::option::Option<#ty> {
                    self.#ident.take()
                }
            }
        } else {
            quote! {
                #[doc = #doc]
                pub fn #take(&mut self) -> #ty {
                    ::core::mem::take(&mut self.#ident)
                }
            }
        }
    });
    quote! {
        #docs
        pub fn #ident(&self) #body

        #take
    }
}

/// `Debug` for `ty` (the structure or its builder) that prints every
/// member, redacting sensitive ones (or the whole value when the shape
/// itself is sensitive).
pub(crate) fn emit_debug(shape: &StructureIr, ty: &Ident, title: String) -> TokenStream {
    let body = if shape.sensitive {
        quote!(f.write_str(#REDACTED))
    } else {
        let entries = shape.fields.iter().map(|fl| {
            let ident = &fl.ident;
            let label = ident.to_string().trim_start_matches("r#").to_string();
            if fl.sensitive {
                quote!(.field(#label, &#REDACTED))
            } else {
                quote!(.field(#label, &self.#ident))
            }
        });
        quote!(f.debug_struct(#title) #(#entries)* .finish())
    };
    quote! {
        impl ::core::fmt::Debug for #ty {
            #[inline]
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                #body
            }
        }
    }
}

fn emit_error_impls(shape: &StructureIr) -> TokenStream {
    let name = &shape.ident;
    let code = shape.name();
    let message = shape
        .fields
        .iter()
        .find(|f| f.name.eq_ignore_ascii_case("message"))
        .map(|f| {
            let ident = &f.ident;
            if f.optional {
                quote!(self.#ident.as_deref())
            } else {
                quote!(::core::option::Option::Some(self.#ident.as_str()))
            }
        })
        .unwrap_or_else(|| quote!(::core::option::Option::None));
    let retryable = shape.error.as_ref().is_some_and(|e| e.retryable);
    let throttling = shape.error.as_ref().is_some_and(|e| e.throttling);
    quote! {
        impl #name {
            /// The code, message and request id the service sent with this error.
            pub fn meta(&self) -> &::opgen::ErrorMetadata {
                &self.__meta
            }

            /// Whether the model marks this error `@retryable`.
            pub fn is_retryable(&self) -> bool {
                #retryable
            }

            /// Whether the model marks this error as throttling.
            pub fn is_throttling(&self) -> bool {
                #throttling
            }

            #[doc(hidden)]
            pub fn __with_meta(mut self, meta: ::opgen::ErrorMetadata) -> Self {
                self.__meta = meta;
                self
            }
        }

        impl ::core::fmt::Display for #name {
            #[inline]
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.write_str(#code)?;
                if let ::core::option::Option::Some(message) = #message.or(self.__meta.message()) {
                    ::core::write!(f, ": {}", message)?;
                }
                ::core::result::Result::Ok(())
            }
        }

        impl ::std::error::Error for #name {}
    }
}
