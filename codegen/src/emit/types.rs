//! How IR types become Rust types.

use crate::ir::TypeRef;
use proc_macro2::TokenStream;
use quote::quote;

/// The Rust type of values of `ty`.
pub(crate) fn rust_type(ty: &TypeRef) -> TokenStream {
    match ty {
        TypeRef::String { .. } => quote!(::std::string::String),
        TypeRef::Boolean => quote!(bool),
        TypeRef::Byte => quote!(i8),
        TypeRef::Short => quote!(i16),
        TypeRef::Integer => quote!(i32),
        TypeRef::Long => quote!(i64),
        TypeRef::Float => quote!(f32),
        TypeRef::Double => quote!(f64),
        TypeRef::Timestamp { .. } => quote!(::opgen::DateTime),
        TypeRef::Blob { .. } => quote!(::opgen::Blob),
        TypeRef::ByteStream { .. } => quote!(::opgen::ByteStream),
        TypeRef::EventStream {
            union, input: true, ..
        } => quote!(::opgen::event_stream::EventSender<#union>),
        TypeRef::EventStream { union, error, .. } => {
            quote!(::opgen::event_stream::EventReceiver<#union, #error>)
        }
        TypeRef::Document => quote!(::opgen::Document),
        TypeRef::BigNumber => quote!(::opgen::BigNumber),
        TypeRef::Unit => quote!(::opgen::Unit),
        TypeRef::List { .. } => {
            let item = element_type(ty).unwrap_or_default();
            quote!(::std::vec::Vec<#item>)
        }
        TypeRef::Map { .. } => {
            let value = element_type(ty).unwrap_or_default();
            quote!(::std::collections::HashMap<::std::string::String, #value>)
        }
        TypeRef::Named { ident, boxed, .. } => {
            if *boxed {
                quote!(::std::boxed::Box<#ident>)
            } else {
                quote!(#ident)
            }
        }
    }
}

/// The item type of a list or the value type of a map (`Option<_>` when
/// sparse); `None` for other types.
pub(crate) fn element_type(ty: &TypeRef) -> Option<TokenStream> {
    let (element, sparse) = match ty {
        TypeRef::List { item, sparse, .. } => (item, *sparse),
        TypeRef::Map { value, sparse, .. } => (value, *sparse),
        _ => return None,
    };
    let inner = rust_type(element);
    Some(if sparse {
        quote!(::core::option::Option<#inner>)
    } else {
        inner
    })
}

/// How a getter exposes a member: by copy, as `&str`, as a slice, or by
/// reference.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Access {
    Copy,
    Str,
    Slice,
    Ref,
}

pub(crate) fn access(ty: &TypeRef) -> Access {
    match ty {
        TypeRef::Boolean
        | TypeRef::Byte
        | TypeRef::Short
        | TypeRef::Integer
        | TypeRef::Long
        | TypeRef::Float
        | TypeRef::Double
        | TypeRef::Timestamp { .. } => Access::Copy,
        TypeRef::String { .. } => Access::Str,
        TypeRef::List { .. } => Access::Slice,
        _ => Access::Ref,
    }
}
