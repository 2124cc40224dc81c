//! Endpoint resolution in the operation impl: the service's rule set,
//! embedded as JSON text in one `static` per expansion (the runtime parses
//! it once, on first use), and the endpoint parameters an input binds
//! (`@contextParam`, `@staticContextParams`).
//!
//! Embedding the text rather than compiling the rules into Rust keeps the
//! expansion small and quick to build; BENCHMARKS.md ("Endpoint resolution")
//! has the measurements behind the choice.

use crate::context::Context;
use crate::naming::field_ident;
use heck::ToShoutySnakeCase;
use opgen_model::{Shape, ShapeKind};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use serde_json::Value;

const RULE_SET: &str = "smithy.rules#endpointRuleSet";
const CONTEXT_PARAM: &str = "smithy.rules#contextParam";
const STATIC_CONTEXT_PARAMS: &str = "smithy.rules#staticContextParams";

/// What the operation `op` of `service` adds for endpoint resolution: items
/// to put beside the operation (the rule set's `static`, emitted by the
/// first operation of the service in the expansion) and items for its
/// `impl Operation` (`ENDPOINT_RULES`, `endpoint_params`).
pub(crate) struct EndpointItems {
    pub(crate) module_items: TokenStream,
    pub(crate) impl_items: TokenStream,
}

pub(crate) fn emit_endpoint(ctx: &Context, op: &Shape, service: &Shape) -> EndpointItems {
    let (module_items, rules_const) = match service.traits.get(RULE_SET) {
        Some(rules) => {
            let owner = rules_owner(ctx, service).unwrap_or_else(|| op.id.name().to_string());
            let static_name =
                format_ident!("__OPGEN_ENDPOINT_RULES_{}", owner.to_shouty_snake_case());
            let module_items = if owner == op.id.name() {
                let json = embedded_json(rules);
                quote! {
                    #[doc(hidden)]
                    static #static_name: ::opgen::endpoint::EndpointRules =
                        ::opgen::endpoint::EndpointRules::new(#json);
                }
            } else {
                TokenStream::new()
            };
            let rules_const = quote! {
                const ENDPOINT_RULES: ::core::option::Option<&'static ::opgen::endpoint::EndpointRules> =
                    ::core::option::Option::Some(&#static_name);
            };
            (module_items, rules_const)
        }
        None => (TokenStream::new(), TokenStream::new()),
    };
    let params = emit_endpoint_params(ctx, op);
    EndpointItems {
        module_items,
        impl_items: quote! {
            #rules_const
            #params
        },
    }
}

/// The operation of the expansion that emits `service`'s rule set: the
/// first (in sorted order) that will be generated, i.e. has an `@http`
/// trait, so that the `static` is never left out by an operation that
/// failed.
fn rules_owner(ctx: &Context, service: &Shape) -> Option<String> {
    ctx.operations
        .iter()
        .filter(|id| ctx.graph.service_of(id).is_ok_and(|s| s.id == service.id))
        .find(|id| {
            ctx.graph
                .shape(id)
                .is_some_and(|s| s.traits.http().is_some())
        })
        .map(|id| id.name().to_string())
}

/// The rule set as compact JSON, without the `documentation` of rules and
/// parameters (evaluation never reads it, and it is most of the text).
fn embedded_json(rules: &Value) -> String {
    let mut rules = rules.clone();
    if let Some(object) = rules.as_object_mut() {
        object.remove("documentation");
        if let Some(Value::Object(params)) = object.get_mut("parameters") {
            for param in params.values_mut() {
                if let Some(param) = param.as_object_mut() {
                    param.remove("documentation");
                }
            }
        }
        if let Some(Value::Array(list)) = object.get_mut("rules") {
            strip_rule_docs(list);
        }
    }
    rules.to_string()
}

fn strip_rule_docs(rules: &mut [Value]) {
    for rule in rules {
        if let Some(rule) = rule.as_object_mut() {
            rule.remove("documentation");
            if let Some(Value::Array(inner)) = rule.get_mut("rules") {
                strip_rule_docs(inner);
            }
        }
    }
}

/// `endpoint_params`: the operation's `@staticContextParams`, then each
/// input member with `@contextParam` that is set. Nothing when there are
/// none, so the trait's no-op default applies.
fn emit_endpoint_params(ctx: &Context, op: &Shape) -> TokenStream {
    let mut sets = Vec::new();
    if let Some(Value::Object(params)) = op.traits.get(STATIC_CONTEXT_PARAMS) {
        for (name, param) in params {
            match param.get("value") {
                Some(Value::String(s)) => sets.push(quote!(params.set(#name, #s);)),
                Some(Value::Bool(b)) => sets.push(quote!(params.set(#name, #b);)),
                Some(Value::Array(items)) if items.iter().all(Value::is_string) => {
                    let items = items.iter().filter_map(Value::as_str);
                    sets.push(quote! {
                        params.set(#name, ::std::vec![#(::std::string::String::from(#items)),*]);
                    });
                }
                _ => ctx.diagnostics.error(
                    &op.id,
                    format!("@staticContextParams `{name}` needs a string, boolean or string list `value`"),
                ),
            }
        }
    }
    if let Some(input) = op.input.as_ref().and_then(|id| ctx.shape(id)) {
        for member in &input.members {
            let Some(name) = member
                .traits
                .get(CONTEXT_PARAM)
                .and_then(|t| t.get("name"))
                .and_then(Value::as_str)
            else {
                continue;
            };
            let field = field_ident(&member.name);
            let target = ctx.shape(&member.target);
            let set = match target.map(|t| t.kind) {
                Some(ShapeKind::String | ShapeKind::Enum) => quote! {
                    if let ::core::option::Option::Some(value) = &input.#field {
                        params.set(#name, ::std::string::String::from(value.as_str()));
                    }
                },
                Some(ShapeKind::Boolean) => quote! {
                    if let ::core::option::Option::Some(value) = input.#field {
                        params.set(#name, value);
                    }
                },
                Some(ShapeKind::List)
                    if target
                        .and_then(|t| t.members.first())
                        .and_then(|m| ctx.kind(&m.target))
                        .is_some_and(|k| matches!(k, ShapeKind::String | ShapeKind::Enum)) =>
                {
                    quote! {
                        if let ::core::option::Option::Some(values) = &input.#field {
                            params.set(
                                #name,
                                values
                                    .iter()
                                    .map(|value| ::std::string::String::from(value.as_str()))
                                    .collect::<::std::vec::Vec<::std::string::String>>(),
                            );
                        }
                    }
                }
                _ => {
                    ctx.diagnostics.error(
                        &input.id,
                        format!(
                            "@contextParam on member `{}` needs a string, enum, boolean or string list target",
                            member.name
                        ),
                    );
                    continue;
                }
            };
            sets.push(set);
        }
    }
    if sets.is_empty() {
        return TokenStream::new();
    }
    quote! {
        fn endpoint_params(input: &Self::Input, params: &mut ::opgen::endpoint::EndpointParams) {
            let _ = input;
            #(#sets)*
        }
    }
}
