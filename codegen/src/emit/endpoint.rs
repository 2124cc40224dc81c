//! Endpoint resolution in the operation impl: the service's rule set,
//! compiled into one function per expansion (`endpoint_rules`), or, when
//! it cannot be, embedded as JSON text in one `static` for the runtime's
//! interpreter; and the endpoint parameters an input binds
//! (`@contextParam`, `@staticContextParams`).
//!
//! BENCHMARKS.md ("Endpoint resolution") has the measurements behind
//! compiling: a smaller binary and a faster resolution.

use crate::emit::endpoint_rules::compile_rule_set;
use crate::ir::{Ir, NamedKind, OperationIr, StaticParam, TypeRef};
use heck::{ToShoutySnakeCase, ToSnakeCase};
use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};
use serde_json::Value;

/// What the operation `op` adds for endpoint resolution: items to put
/// beside the operation (the rule set's `static`, emitted by `owner`, the
/// first operation of the service in the expansion) and items for its
/// `impl Operation` (`ENDPOINT_RESOLVER` or `ENDPOINT_RULES`,
/// `endpoint_params`).
pub(crate) struct EndpointItems {
    pub(crate) module_items: TokenStream,
    pub(crate) impl_items: TokenStream,
}

/// The compiled resolver of the service whose first operation in the
/// expansion is `owner`.
pub(crate) fn resolver_ident(owner: &str) -> Ident {
    format_ident!("__opgen_resolve_endpoint_{}", owner.to_snake_case())
}

/// The service's rules compiled into the function [`resolver_ident`] of
/// `owner`, or `None` when there are none or they cannot be compiled.
pub(crate) fn emit_resolver(op: &OperationIr, owner: &str) -> Option<TokenStream> {
    let rules = op.service.endpoint_rules.as_ref()?;
    compile_rule_set(rules, TokenStream::new(), &resolver_ident(owner)).ok()
}

/// `compiled`: the service's rules are compiled ([`emit_resolver`]), so the
/// operation points at that function rather than an embedded rule set.
pub(crate) fn emit_endpoint(
    ir: &Ir,
    op: &OperationIr,
    owner: &str,
    compiled: bool,
) -> EndpointItems {
    let (module_items, rules_const) = match &op.service.endpoint_rules {
        Some(_) if compiled => {
            let resolver = resolver_ident(owner);
            let resolver_const = quote! {
                const ENDPOINT_RESOLVER: ::core::option::Option<::opgen::endpoint::ResolveFn> =
                    ::core::option::Option::Some(#resolver);
            };
            (TokenStream::new(), resolver_const)
        }
        Some(rules) => {
            let static_name =
                format_ident!("__OPGEN_ENDPOINT_RULES_{}", owner.to_shouty_snake_case());
            let module_items = if owner == op.name {
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
    let params = emit_endpoint_params(ir, op);
    EndpointItems {
        module_items,
        impl_items: quote! {
            #rules_const
            #params
        },
    }
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

/// Whether `ty` is a string or a string enum: a text endpoint parameter.
fn is_text(ty: &TypeRef) -> bool {
    matches!(
        ty,
        TypeRef::String { .. }
            | TypeRef::Named {
                kind: NamedKind::Enum,
                ..
            }
    )
}

/// Whether a `@contextParam` member of type `ty` can feed the rules
/// (`lower` reports the others).
pub(crate) fn is_context_param_type(ty: &TypeRef) -> bool {
    is_text(ty)
        || *ty == TypeRef::Boolean
        || matches!(ty, TypeRef::List { item, .. } if is_text(item))
}

/// `endpoint_params`: the operation's `@staticContextParams`, then each
/// input member with `@contextParam` that is set. Nothing when there are
/// none, so the trait's no-op default applies.
fn emit_endpoint_params(ir: &Ir, op: &OperationIr) -> TokenStream {
    let mut sets = Vec::new();
    for (name, value) in &op.static_context_params {
        sets.push(match value {
            StaticParam::String(s) => quote!(params.set(#name, #s);),
            StaticParam::Bool(b) => quote!(params.set(#name, #b);),
            StaticParam::StringList(items) => quote! {
                params.set(#name, ::std::vec![#(::std::string::String::from(#items)),*]);
            },
        });
    }
    let input = op.input.as_ref().and_then(|i| ir.structure(&i.id));
    let from_input = input
        .iter()
        .flat_map(|s| &s.fields)
        .any(|field| field.context_param.is_some());
    // The client resolves the endpoint of such an operation once.
    let from_input = (!from_input).then(|| {
        quote!(
            const ENDPOINT_PARAMS_FROM_INPUT: bool = false;
        )
    });
    for field in input.iter().flat_map(|s| &s.fields) {
        let Some(name) = &field.context_param else {
            continue;
        };
        let ident = &field.ident;
        sets.push(match &field.ty {
            ty if is_text(ty) => quote! {
                if let ::core::option::Option::Some(value) = &input.#ident {
                    params.set(#name, ::std::string::String::from(value.as_str()));
                }
            },
            TypeRef::Boolean => quote! {
                if let ::core::option::Option::Some(value) = input.#ident {
                    params.set(#name, value);
                }
            },
            TypeRef::List { item, .. } if is_text(item) => quote! {
                if let ::core::option::Option::Some(values) = &input.#ident {
                    params.set(
                        #name,
                        values
                            .iter()
                            .map(|value| ::std::string::String::from(value.as_str()))
                            .collect::<::std::vec::Vec<::std::string::String>>(),
                    );
                }
            },
            _ => continue,
        });
    }
    if sets.is_empty() {
        return from_input.unwrap_or_default();
    }
    quote! {
        #from_input
        fn endpoint_params(input: &Self::Input, params: &mut ::opgen::endpoint::EndpointParams) {
            let _ = input;
            #(#sets)*
        }
    }
}
