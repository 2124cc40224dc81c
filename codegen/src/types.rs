//! How model types map to Rust types.

use crate::context::Context;
use crate::naming;
use opgen_model::{Member, Shape, ShapeId, ShapeKind};
use proc_macro2::TokenStream;
use quote::quote;
use std::collections::BTreeSet;

/// The Rust type of values of shape `target`, inside `container` (boxed
/// when `target` leads back to `container` without a collection between).
pub(crate) fn rust_type(
    ctx: &Context,
    target: &ShapeId,
    container: Option<&ShapeId>,
) -> TokenStream {
    let Some(shape) = ctx.shape(target) else {
        return quote!(());
    };
    let plain = match shape.kind {
        ShapeKind::String => quote!(::std::string::String),
        ShapeKind::Boolean => quote!(bool),
        ShapeKind::Byte => quote!(i8),
        ShapeKind::Short => quote!(i16),
        ShapeKind::Integer => quote!(i32),
        ShapeKind::Long => quote!(i64),
        ShapeKind::Float => quote!(f32),
        ShapeKind::Double => quote!(f64),
        ShapeKind::Timestamp => quote!(::opgen::DateTime),
        ShapeKind::Blob if shape.traits.streaming() => quote!(::opgen::ByteStream),
        ShapeKind::Blob => quote!(::opgen::Blob),
        ShapeKind::Document => quote!(::opgen::Document),
        ShapeKind::BigInteger | ShapeKind::BigDecimal => quote!(::opgen::BigNumber),
        ShapeKind::List | ShapeKind::Set => {
            let item = element_type(ctx, shape, "member");
            quote!(::std::vec::Vec<#item>)
        }
        ShapeKind::Map => {
            let value = element_type(ctx, shape, "value");
            quote!(::std::collections::HashMap<::std::string::String, #value>)
        }
        // `smithy.api#Unit`, the target of union members that carry no value.
        ShapeKind::Structure if shape.traits.unit_type() => quote!(::opgen::Unit),
        ShapeKind::Enum | ShapeKind::IntEnum | ShapeKind::Structure | ShapeKind::Union => {
            let ident = naming::type_ident(target.name());
            if container.is_some_and(|c| reaches(ctx, target, c)) {
                quote!(::std::boxed::Box<#ident>)
            } else {
                quote!(#ident)
            }
        }
        ShapeKind::Service | ShapeKind::Operation | ShapeKind::Resource => {
            ctx.diagnostics.error(
                target,
                format!("a {} cannot be a member target", shape.kind),
            );
            quote!(())
        }
    };
    plain
}

/// The item type of a list or the value type of a map (`Option<_>` when sparse).
fn element_type(ctx: &Context, collection: &Shape, member: &str) -> TokenStream {
    let Some(m) = collection.member(member) else {
        return quote!(());
    };
    // Collections already give indirection: no box needed inside them.
    let item = rust_type(ctx, &m.target, None);
    if collection.traits.sparse() {
        quote!(::core::option::Option<#item>)
    } else {
        item
    }
}

/// Whether `from` leads to `to` through structure and union members alone
/// (the edges that would make a type infinitely large without a box).
fn reaches(ctx: &Context, from: &ShapeId, to: &ShapeId) -> bool {
    let mut seen = BTreeSet::new();
    let mut stack = vec![from.clone()];
    while let Some(id) = stack.pop() {
        if &id == to {
            return true;
        }
        if !seen.insert(id.clone()) {
            continue;
        }
        if let Some(shape) = ctx.graph.shape(&id) {
            if matches!(shape.kind, ShapeKind::Structure | ShapeKind::Union) {
                stack.extend(shape.members.iter().map(|m| m.target.clone()));
            }
        }
    }
    false
}

/// Whether a structure member is an `Option` in Rust. Members of operation
/// inputs always are (so adding `@required` later breaks no caller), as are
/// `@clientOptional` ones; otherwise `@required` members are not.
pub(crate) fn is_optional(ctx: &Context, structure: &Shape, member: &Member) -> bool {
    let input = structure.traits.is_input() || ctx.inputs.contains(&structure.id);
    input || member.traits.client_optional() || !member.traits.required()
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

pub(crate) fn access(ctx: &Context, target: &ShapeId) -> Access {
    match ctx.kind(target) {
        Some(
            ShapeKind::Boolean
            | ShapeKind::Byte
            | ShapeKind::Short
            | ShapeKind::Integer
            | ShapeKind::Long
            | ShapeKind::Float
            | ShapeKind::Double
            | ShapeKind::Timestamp,
        ) => Access::Copy,
        Some(ShapeKind::String) => Access::Str,
        Some(ShapeKind::List | ShapeKind::Set) => Access::Slice,
        _ => Access::Ref,
    }
}

/// The item type of a list target, for slice getters and setters.
pub(crate) fn list_item_type(ctx: &Context, list: &ShapeId) -> TokenStream {
    match ctx.shape(list) {
        Some(shape) => element_type(ctx, shape, "member"),
        None => quote!(()),
    }
}

/// The value type of a map target, for setters.
pub(crate) fn map_value_type(ctx: &Context, map: &ShapeId) -> TokenStream {
    match ctx.shape(map) {
        Some(shape) => element_type(ctx, shape, "value"),
        None => quote!(()),
    }
}
