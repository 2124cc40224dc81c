//! Unions: a variant per member, plus `Unknown` for members added to the
//! model later.

use crate::docs::doc_attrs;
use crate::emit::structure::{serde_derive, REDACTED};
use crate::emit::types::rust_type;
use crate::ir::{Ir, UnionIr};
use crate::naming::prefixed_ident;
use proc_macro2::TokenStream;
use quote::quote;

pub(crate) fn emit_union(ir: &Ir, shape: &UnionIr) -> TokenStream {
    let name = &shape.ident;
    let docs = doc_attrs(
        shape.docs.as_deref(),
        &format!(
            "The `{}` union of the model: exactly one member is set.",
            shape.id.name()
        ),
    );
    let serde = ir.serde;
    let decls = shape.variants.iter().map(|v| {
        let ident = &v.ident;
        let ty = rust_type(&v.ty);
        let doc = doc_attrs(v.docs.as_deref(), &format!("The `{}` member.", v.name));
        let name = &v.name;
        let rename = serde.then(|| quote!(#[serde(rename = #name)]));
        quote!(#doc #rename #ident(#ty),)
    });
    let serde_derive = serde_derive(ir);
    let skip_unknown = serde.then(|| quote!(#[serde(skip)]));
    let accessors = shape.variants.iter().map(|v| {
        let ident = &v.ident;
        let ty = rust_type(&v.ty);
        let as_fn = prefixed_ident("as", &v.name);
        let is_fn = prefixed_ident("is", &v.name);
        let doc = format!(" The `{}` member, if it is the one set.", v.name);
        let is_doc = format!(" Whether the `{}` member is the one set.", v.name);
        quote! {
            #[doc = #doc]
            pub fn #as_fn(&self) -> ::core::option::Option<&#ty> {
                match self {
                    #name::#ident(value) => ::core::option::Option::Some(value),
                    _ => ::core::option::Option::None,
                }
            }

            #[doc = #is_doc]
            pub fn #is_fn(&self) -> bool {
                ::core::matches!(self, #name::#ident(_))
            }
        }
    });
    let debug_arms = shape.variants.iter().map(|v| {
        let ident = &v.ident;
        let label = ident.to_string();
        if v.sensitive || shape.sensitive {
            quote!(#name::#ident(_) => f.debug_tuple(#label).field(&#REDACTED).finish(),)
        } else {
            quote!(#name::#ident(value) => f.debug_tuple(#label).field(value).finish(),)
        }
    });
    quote! {
        #docs
        #[derive(::core::clone::Clone, ::core::cmp::PartialEq)]
        #serde_derive
        #[non_exhaustive]
        pub enum #name {
            #(#decls)*
            /// A member this version of the model does not know.
            #skip_unknown
            Unknown,
            /// Not a member: makes a wildcard arm necessary in user `match`es,
            /// so that members added to the model later break no build.
            #[doc(hidden)]
            #skip_unknown
            __NonExhaustive(::opgen::__private::NonExhaustive),
        }

        impl #name {
            #(#accessors)*

            /// Whether the member set is one this version of the model does not know.
            pub fn is_unknown(&self) -> bool {
                ::core::matches!(self, #name::Unknown)
            }
        }

        impl ::core::fmt::Debug for #name {
            #[inline]
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                match self {
                    #(#debug_arms)*
                    #name::Unknown => f.write_str("Unknown"),
                    #name::__NonExhaustive(never) => never.unreachable(),
                }
            }
        }
    }
}
