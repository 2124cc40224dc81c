//! IR → Rust tokens: one emitter per construct; the wire half of each comes
//! from the operation's protocol.
//!
//! The generated functions that do a call's work (`serialize`,
//! `deserialize`, the body codecs, `__from_http`, event encoders and
//! decoders, `build` and the `set_` setters, `Debug`, the enums'
//! conversions) are `#[inline]`. Not for speed: an inline
//! function is compiled only where something uses it, as generic code is,
//! so a library crate that includes a whole service compiles only what its
//! users call. Measured in BENCHMARKS.md ("Code per operation"): the
//! 153-operation AgentCore control plane as a library, 3× faster or more; a binary
//! calling 1, 10 or 153 operations, about 1 % larger.

pub(crate) mod builder;
pub(crate) mod endpoint;
pub(crate) mod endpoint_rules;
mod enums;
mod error;
mod operation;
mod paginator;
pub(crate) mod structure;
pub(crate) mod types;
mod union;
mod waiter;

use crate::ir::{Ir, TypeIr};
use crate::protocol::protocol;
use proc_macro2::TokenStream;
use std::collections::BTreeMap;

/// Everything the IR describes, in a fixed order: types by shape id, then
/// operations by shape id.
pub(crate) fn emit_all(ir: &Ir) -> TokenStream {
    // `lower` makes sure an expansion speaks one protocol, whose body
    // codec every type gets.
    let body_protocol = ir
        .operations
        .first()
        .map(|op| protocol(op.service.protocol));
    let mut out = TokenStream::new();
    for ty in &ir.types {
        out.extend(match ty {
            TypeIr::Structure(s) => structure::emit_structure(ir, s),
            TypeIr::Enum(e) => enums::emit_enum(ir, e),
            TypeIr::Union(u) => union::emit_union(ir, u),
        });
        if let Some(protocol) = body_protocol {
            out.extend(protocol.type_items(ir, ty));
        }
    }
    // Per service: the operation that owns its endpoint rules, and
    // whether they compiled (once per expansion, shared by its operations).
    let mut owners: BTreeMap<&str, (&str, bool)> = BTreeMap::new();
    for op in &ir.operations {
        if owners.contains_key(op.service.id.name()) {
            continue;
        }
        let resolver = endpoint::emit_resolver(op, &op.name);
        let compiled = resolver.is_some();
        out.extend(resolver);
        owners.insert(op.service.id.name(), (op.name.as_str(), compiled));
    }
    for op in &ir.operations {
        let (owner, compiled) = owners
            .get(op.service.id.name())
            .copied()
            .unwrap_or((op.name.as_str(), false));
        let shares_input = op.input.as_ref().is_some_and(|input| {
            ir.operations
                .iter()
                .filter(|other| other.input.as_ref().is_some_and(|o| o.id == input.id))
                .count()
                > 1
        });
        out.extend(operation::emit_operation(
            ir,
            op,
            owner,
            compiled,
            shares_input,
        ));
        out.extend(paginator::emit_paginator(op));
        out.extend(waiter::emit_waiters(op));
        out.extend(error::emit_op_error(op));
    }
    out
}
