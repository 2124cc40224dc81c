//! `paginate` (and `paginate_items`) on the operation type of a
//! `@paginated` operation: the two plain functions that read and set its
//! token, handed to the runtime's `Paginator`.

use crate::emit::types::{element_type, rust_type};
use crate::ir::{OperationIr, PathStep, TypeRef};
use proc_macro2::TokenStream;
use quote::quote;

pub(crate) fn emit_paginator(op: &OperationIr) -> TokenStream {
    let (Some(pagination), Some(input), Some(output)) = (&op.pagination, &op.input, &op.output)
    else {
        return TokenStream::new();
    };
    let name = &op.ident;
    let op_name = &op.name;
    let input_ty = &input.ident;
    let output_ty = &output.ident;
    let token_ty = rust_type(&pagination.token_type);
    let input_token = &pagination.input_token;
    let token = field_at_path(&pagination.output_token_path, true);
    // An empty token is no token, as in the AWS SDKs.
    let not_empty = matches!(
        pagination.token_type,
        TypeRef::String { .. } | TypeRef::List { .. } | TypeRef::Map { .. }
    )
    .then(|| quote!(.filter(|token| !token.is_empty())));
    let page_size_doc = pagination.page_size.as_ref().map(|(ident, model)| {
        let doc = format!(
            " Set `{ident}` (the model's `{model}`) on the input to choose how many results each page holds; it is sent with every request."
        );
        quote! {
            #[doc = ""]
            #[doc = #doc]
        }
    });
    let paginate_doc = format!(
        " Every page of `{op_name}`, one request each, as a [`Paginator`](::opgen::Paginator): the first request sends `input`, each next one the same input with `{}` set to the `{}` of the previous page, until a page has none.",
        pagination.input_token_name, pagination.output_token_name,
    );
    let items = pagination.items.as_ref().map(|items| {
        let (item_ty, collect) = match &items.ty {
            TypeRef::Map { .. } => {
                let value = element_type(&items.ty).unwrap_or_default();
                (
                    quote!((::std::string::String, #value)),
                    quote!(.map(|items| items.into_iter().collect()).unwrap_or_default()),
                )
            }
            _ => (
                element_type(&items.ty).unwrap_or_default(),
                quote!(.unwrap_or_default()),
            ),
        };
        let take = field_at_path(&items.path, false);
        let page_size_doc = page_size_doc.clone();
        let doc = format!(
            " The items (`{}`) of every page of `{op_name}`, in order, as an [`Items`](::opgen::Items) stream; see [`paginate`](Self::paginate).",
            items.name
        );
        quote! {
            #[doc = #doc]
            #page_size_doc
            pub fn paginate_items(
                client: &::opgen::Client,
                input: #input_ty,
            ) -> ::opgen::Items<#name, #token_ty, #item_ty> {
                Self::paginate(client, input).items(Self::__page_items)
            }

            fn __page_items(output: #output_ty) -> ::std::vec::Vec<#item_ty> {
                #take #collect
            }
        }
    });
    quote! {
        impl #name {
            #[doc = #paginate_doc]
            #page_size_doc
            pub fn paginate(
                client: &::opgen::Client,
                input: #input_ty,
            ) -> ::opgen::Paginator<#name, #token_ty> {
                ::opgen::Paginator::new(client, input, Self::__output_token, Self::__set_input_token)
            }

            fn __output_token(output: &#output_ty) -> ::core::option::Option<#token_ty> {
                #token #not_empty .cloned()
            }

            fn __set_input_token(input: &mut #input_ty, token: #token_ty) {
                input.#input_token = ::core::option::Option::Some(token);
            }

            #items
        }
    }
}

/// The field at the end of `path` from `output`: `Option<&T>` when
/// `borrow` (`output: &Output`), else `Option<T>` moved out of `output`.
fn field_at_path(path: &[PathStep], borrow: bool) -> TokenStream {
    // A place (`output.a.b`) while the fields are not optional, then an
    // `Option` chain.
    let mut place = quote!(output);
    let mut steps = path.iter();
    let mut chain = None;
    for step in steps.by_ref() {
        let ident = &step.ident;
        if step.optional {
            chain = Some(if borrow {
                quote!(#place.#ident.as_ref())
            } else {
                quote!(#place.#ident)
            });
            break;
        }
        place = quote!(#place.#ident);
    }
    let Some(mut chain) = chain else {
        return if borrow {
            quote!(::core::option::Option::Some(&#place))
        } else {
            quote!(::core::option::Option::Some(#place))
        };
    };
    for step in steps {
        let ident = &step.ident;
        chain = match (step.optional, borrow) {
            (true, true) => quote!(#chain.and_then(|v| v.#ident.as_ref())),
            (true, false) => quote!(#chain.and_then(|v| v.#ident)),
            (false, true) => quote!(#chain.map(|v| &v.#ident)),
            (false, false) => quote!(#chain.map(|v| v.#ident)),
        };
    }
    chain
}
