//! The builder of a structure: a setter and a `set_` per member, and a
//! `build` that names the first required member left unset.

use crate::emit::structure::{emit_debug, member_doc, value_derives};
use crate::emit::types::{element_type, rust_type};
use crate::ir::{FieldIr, StructureIr, TypeRef};
use crate::naming::prefixed_ident;
use proc_macro2::TokenStream;
use quote::quote;

pub(crate) fn emit_builder(shape: &StructureIr) -> TokenStream {
    let name = &shape.ident;
    let builder = &shape.builder_ident;
    let shape_name = shape.name();
    let decls = shape.fields.iter().map(|f| {
        let ident = &f.ident;
        let ty = rust_type(&f.ty);
        quote!(#ident: ::core::option::Option<#ty>,)
    });
    let setters = shape.fields.iter().map(emit_setters);
    let assigns = shape.fields.iter().map(|f| {
        let ident = &f.ident;
        let member_name = &f.name;
        let value = quote!(self.#ident);
        // An unset idempotency token is filled in when the request is
        // serialized, so it is never "missing".
        match (f.required, f.optional) {
            (true, true) => quote! {
                #ident: ::core::option::Option::Some(#value.ok_or_else(|| ::opgen::BuildError::missing_member(#shape_name, #member_name))?),
            },
            (true, false) | (false, false) => quote! {
                #ident: #value.ok_or_else(|| ::opgen::BuildError::missing_member(#shape_name, #member_name))?,
            },
            (false, true) => quote!(#ident: #value,),
        }
    });
    let meta_assign = shape
        .roles
        .error
        .then(|| quote!(__meta: ::core::default::Default::default(),));
    let debug = emit_debug(shape, builder, builder.to_string());
    let doc = format!(" Builder of [`{name}`]: set members, then call `build`.");
    let build_doc = if shape.fields.iter().any(|f| f.required) {
        format!(
            " Builds the [`{name}`]; fails with a [`BuildError`](::opgen::BuildError) naming the first required member not set."
        )
    } else {
        format!(" Builds the [`{name}`]. No member is required, so this does not fail today; the `Result` keeps callers compiling if the model adds one.")
    };
    let value_derives = value_derives(shape);
    quote! {
        #[doc = #doc]
        #value_derives
        #[derive(::core::default::Default)]
        pub struct #builder {
            #(#decls)*
        }

        impl #builder {
            #(#setters)*

            #[doc = #build_doc]
            #[inline]
            pub fn build(self) -> ::core::result::Result<#name, ::opgen::BuildError> {
                ::core::result::Result::Ok(#name {
                    #(#assigns)*
                    #meta_assign
                })
            }
        }

        #debug
    }
}

fn emit_setters(f: &FieldIr) -> TokenStream {
    let ident = &f.ident;
    let ty = rust_type(&f.ty);
    let set = prefixed_ident("set", &f.name);
    let docs = member_doc(f, &format!("Sets the `{}` member.", f.name));
    let element = element_type(&f.ty).unwrap_or_default();
    let setter = match &f.ty {
        TypeRef::List { .. } => quote! {
            pub fn #ident<I>(mut self, items: I) -> Self
            where
                I: ::core::iter::IntoIterator,
                I::Item: ::core::convert::Into<#element>,
            {
                self.#ident = ::core::option::Option::Some(items.into_iter().map(::core::convert::Into::into).collect());
                self
            }
        },
        TypeRef::Map { .. } => quote! {
            pub fn #ident<I, K, V>(mut self, entries: I) -> Self
            where
                I: ::core::iter::IntoIterator<Item = (K, V)>,
                K: ::core::convert::Into<::std::string::String>,
                V: ::core::convert::Into<#element>,
            {
                self.#ident = ::core::option::Option::Some(
                    entries.into_iter().map(|(k, v)| (k.into(), v.into())).collect(),
                );
                self
            }
        },
        _ => quote! {
            pub fn #ident(mut self, value: impl ::core::convert::Into<#ty>) -> Self {
                self.#ident = ::core::option::Option::Some(value.into());
                self
            }
        },
    };
    let set_doc = format!(" Sets or clears the `{}` member.", f.name);
    quote! {
        #docs
        #setter

        #[doc = #set_doc]
        #[inline]
        pub fn #set(mut self, value: ::core::option::Option<#ty>) -> Self {
            self.#ident = value;
            self
        }
    }
}
