//! Every Rust name the generator makes from a model name.

use heck::{ToSnakeCase, ToUpperCamelCase};
use proc_macro2::{Ident, Span};
use std::collections::BTreeSet;

/// Strict and reserved keywords of every edition up to 2024 (`gen` included).
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "do", "dyn",
    "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl", "in", "let",
    "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref", "return",
    "static", "struct", "trait", "true", "try", "type", "typeof", "union", "unsafe", "unsized",
    "use", "virtual", "where", "while", "yield",
];

/// Keywords that cannot be raw identifiers.
const NOT_RAW: &[&str] = &["self", "super", "Self", "crate", "extern", "_"];

/// Makes `name` a valid identifier: `r#` for keywords, a `_` suffix for the
/// few that cannot be raw, a `_` prefix before a leading digit, `_` for any
/// character an identifier cannot hold.
pub(crate) fn sanitize(name: &str) -> String {
    let mut out: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    if out.is_empty() {
        out.push('_');
    }
    if out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert(0, '_');
    }
    if NOT_RAW.contains(&out.as_str()) {
        out.push('_');
    } else if KEYWORDS.contains(&out.as_str()) {
        out.insert_str(0, "r#");
    }
    out
}

fn ident(text: &str) -> Ident {
    match text.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => Ident::new(text, Span::call_site()),
    }
}

/// The type name of a shape: the model's own name where it is a valid
/// identifier.
pub(crate) fn type_name(shape_name: &str) -> String {
    let name = sanitize(shape_name);
    name.strip_prefix("r#")
        .map_or(name.clone(), |n| n.to_upper_camel_case())
}

/// The identifier of a shape's type.
pub(crate) fn type_ident(shape_name: &str) -> Ident {
    ident(&type_name(shape_name))
}

/// The name of a field, getter or setter: snake_case of the member name.
pub(crate) fn field_name(member: &str) -> String {
    sanitize(&member.to_snake_case())
}

/// The identifier of a field, getter or setter.
pub(crate) fn field_ident(member: &str) -> Ident {
    ident(&field_name(member))
}

/// The name of an enum or union variant: UpperCamelCase of the member name;
/// `Unknown` is taken by the catch-all variant.
pub(crate) fn variant_name(member: &str) -> String {
    let camel = member.to_upper_camel_case();
    let name = if camel.is_empty() || camel.starts_with(|c: char| c.is_ascii_digit()) {
        format!("Value{camel}")
    } else {
        camel
    };
    match sanitize(&name).as_str() {
        "Unknown" => "UnknownValue".to_string(),
        other => other.trim_start_matches("r#").to_string(),
    }
}

/// The identifier of an enum or union variant.
pub(crate) fn variant_ident(member: &str) -> Ident {
    ident(&variant_name(member))
}

/// The builder of structure `shape_name`: `{Name}Builder`, or
/// `{Name}ShapeBuilder` when the model has a shape named `{Name}Builder`
/// (`taken`: the type names of the model's shapes).
pub(crate) fn builder_ident(shape_name: &str, taken: &BTreeSet<String>) -> Ident {
    aside(&type_name(shape_name), "Builder", "ShapeBuilder", taken)
}

/// The error enum of operation `op_name`: `{Op}Error`, or
/// `{Op}OperationError` when the model has a shape named `{Op}Error`.
pub(crate) fn op_error_ident(op_name: &str, taken: &BTreeSet<String>) -> Ident {
    aside(&type_name(op_name), "Error", "OperationError", taken)
}

/// `{Op}{role}` (`GetItemInput`), the uniform name of an operation's input
/// or output, for an alias to `actual` (the shape's own name, `None` for
/// `Unit`); `None` when the shape already has that name or when the model
/// has another shape of that name, which keeps it.
pub(crate) fn io_alias_ident(
    op_name: &str,
    role: &str,
    actual: Option<&str>,
    taken: &BTreeSet<String>,
) -> Option<Ident> {
    let name = format!("{}{role}", type_name(op_name));
    let actual = actual.map(type_name);
    (actual.as_deref() != Some(name.as_str()) && !taken.contains(&name)).then(|| ident(&name))
}

/// `{base}{suffix}`, or `{base}{fallback}` when a shape already has the
/// first name. The fallback is chosen whatever the operations of the
/// expansion, so a name depends only on the model.
fn aside(base: &str, suffix: &str, fallback: &str, taken: &BTreeSet<String>) -> Ident {
    let name = format!("{base}{suffix}");
    if taken.contains(&name) {
        ident(&format!("{base}{fallback}"))
    } else {
        ident(&name)
    }
}

/// A method identifier made from a prefix and a member name (`set_scopes`).
pub(crate) fn prefixed_ident(prefix: &str, member: &str) -> Ident {
    let name = format!("{prefix}_{}", field_name(member).trim_start_matches("r#"));
    ident(&sanitize(&name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keywords_become_raw_or_suffixed() {
        for kw in KEYWORDS.iter().filter(|kw| !NOT_RAW.contains(kw)) {
            assert_eq!(field_name(kw), format!("r#{kw}"), "{kw}");
            let _ = field_ident(kw);
        }
        assert_eq!(field_name("self"), "self_");
        assert_eq!(field_name("super"), "super_");
        assert_eq!(field_name("crate"), "crate_");
        assert_eq!(field_name("extern"), "extern_");
    }

    #[test]
    fn awkward_model_names() {
        assert_eq!(
            field_name("workloadIdentityToken"),
            "workload_identity_token"
        );
        assert_eq!(field_name("oauth2Flow"), "oauth2_flow");
        assert_eq!(field_name("ARN"), "arn");
        assert_eq!(field_name("2fa"), "_2fa");
        assert_eq!(field_name("x-amz-meta"), "x_amz_meta");
        assert_eq!(variant_name("USER_FEDERATION"), "UserFederation");
        assert_eq!(variant_name("M2M"), "M2m");
        assert_eq!(variant_name("Unknown"), "UnknownValue");
        assert_eq!(variant_name("1_0"), "Value10");
        assert_eq!(variant_name("Self"), "Self_");
        assert_eq!(type_name("Result"), "Result");
        assert_eq!(type_name("Self"), "Self_");
        assert_eq!(
            type_name("GetResourceOauth2TokenRequest"),
            "GetResourceOauth2TokenRequest"
        );
        assert_eq!(prefixed_ident("set", "type").to_string(), "set_type");
    }

    /// Real collisions of published models: AppStream's `AppBlockBuilder`
    /// shape beside the builder of `AppBlock`, Batch's `BatchGetJobError`
    /// structure beside the error enum of `BatchGetJob`.
    #[test]
    fn generated_names_move_aside_for_model_shapes() {
        let taken: BTreeSet<String> = [
            "AppBlock",
            "AppBlockBuilder",
            "BatchGetJob",
            "BatchGetJobError",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        assert_eq!(
            builder_ident("AppBlock", &taken).to_string(),
            "AppBlockShapeBuilder"
        );
        assert_eq!(
            builder_ident("AppBlockBuilder", &taken).to_string(),
            "AppBlockBuilderBuilder"
        );
        assert_eq!(
            op_error_ident("BatchGetJob", &taken).to_string(),
            "BatchGetJobOperationError"
        );
        assert_eq!(builder_ident("Other", &taken).to_string(), "OtherBuilder");
        assert_eq!(
            op_error_ident("GetItem", &taken).to_string(),
            "GetItemError"
        );
    }

    /// AgentCore's control plane names inputs `CreateAgentRuntimeRequest`
    /// and `CreateMemoryInput` side by side.
    #[test]
    fn inputs_and_outputs_get_uniform_aliases() {
        let taken: BTreeSet<String> = [
            "CreateMemoryInput",
            "CreateAgentRuntimeRequest",
            "PingOutput",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let alias =
            |op, role, actual| io_alias_ident(op, role, actual, &taken).map(|i| i.to_string());
        assert_eq!(
            alias(
                "CreateAgentRuntime",
                "Input",
                Some("CreateAgentRuntimeRequest")
            )
            .as_deref(),
            Some("CreateAgentRuntimeInput")
        );
        assert_eq!(
            alias("CreateMemory", "Input", Some("CreateMemoryInput")),
            None
        );
        assert_eq!(alias("Ping", "Input", None).as_deref(), Some("PingInput"));
        // Another shape has the name: it keeps it, no alias.
        assert_eq!(alias("Ping", "Output", Some("PingResult")), None);
    }
}
