//! The macro grammar: `OP [, OP]* [, model = "PATH"] [, protocol = "NAME"] [, serde]`.

use proc_macro2::Span;
use syn::parse::{Parse, ParseStream};
use syn::{Ident, LitStr, Token};

pub(crate) struct MacroInput {
    pub(crate) operations: Vec<LitStr>,
    pub(crate) model: Option<LitStr>,
    pub(crate) protocol: Option<LitStr>,
    pub(crate) serde: Option<Ident>,
}

const USAGE: &str = "expected `include_operation!(\"OperationName\" [, \"Other\"]* [, model = \"path/to/model.json\"] [, protocol = \"awsJson1_0\"] [, serde])`";

/// The protocols `protocol = "…"` may name.
const PROTOCOLS: &[&str] = &[
    "rpcv2Cbor",
    "awsJson1_0",
    "awsJson1_1",
    "restJson1",
    "restXml",
    "awsQuery",
    "ec2Query",
];

impl Parse for MacroInput {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        if input.is_empty() {
            return Err(syn::Error::new(
                Span::call_site(),
                format!("no operation given; {USAGE}, e.g. include_operation!(\"GetResourceOauth2Token\")"),
            ));
        }
        let mut parsed = MacroInput {
            operations: Vec::new(),
            model: None,
            protocol: None,
            serde: None,
        };
        loop {
            if input.peek(LitStr) {
                let op: LitStr = input.parse()?;
                if parsed.model.is_some() || parsed.protocol.is_some() || parsed.serde.is_some() {
                    return Err(syn::Error::new(
                        op.span(),
                        "operation names come before `model = …`, `protocol = …` and `serde`",
                    ));
                }
                if op.value().trim().is_empty() {
                    return Err(syn::Error::new(op.span(), "empty operation name; give an operation name such as \"GetResourceOauth2Token\""));
                }
                parsed.operations.push(op);
            } else if input.peek(Ident) {
                let key: Ident = input.parse()?;
                match key.to_string().as_str() {
                    "model" => {
                        if parsed.model.is_some() {
                            return Err(syn::Error::new(
                                key.span(),
                                "`model` is given twice; give one model path",
                            ));
                        }
                        input.parse::<Token![=]>().map_err(|e| {
                            syn::Error::new(
                                e.span(),
                                "expected `=` after `model`, as in model = \"model/service.json\"",
                            )
                        })?;
                        let path: LitStr = input.parse().map_err(|e| {
                            syn::Error::new(e.span(), "expected a string literal path after `model =`, as in model = \"model/service.json\"")
                        })?;
                        parsed.model = Some(path);
                    }
                    "protocol" => {
                        if parsed.protocol.is_some() {
                            return Err(syn::Error::new(
                                key.span(),
                                "`protocol` is given twice; give one protocol",
                            ));
                        }
                        input.parse::<Token![=]>().map_err(|e| {
                            syn::Error::new(
                                e.span(),
                                "expected `=` after `protocol`, as in protocol = \"awsJson1_0\"",
                            )
                        })?;
                        let name: LitStr = input.parse().map_err(|e| {
                            syn::Error::new(e.span(), "expected a string literal after `protocol =`, as in protocol = \"awsJson1_0\"")
                        })?;
                        if !PROTOCOLS.contains(&name.value().as_str()) {
                            let hint = PROTOCOLS
                                .iter()
                                .find(|known| known.eq_ignore_ascii_case(&name.value()))
                                .map(|known| format!("did you mean \"{known}\"? "))
                                .unwrap_or_default();
                            return Err(syn::Error::new(
                                name.span(),
                                format!(
                                    "unknown protocol \"{}\"; {hint}the AWS protocols are {}",
                                    name.value(),
                                    PROTOCOLS.join(", ")
                                ),
                            ));
                        }
                        parsed.protocol = Some(name);
                    }
                    "serde" => {
                        if parsed.serde.is_some() {
                            return Err(syn::Error::new(key.span(), "`serde` is given twice"));
                        }
                        parsed.serde = Some(key);
                    }
                    other => {
                        let hint = ["model", "protocol", "serde"]
                            .into_iter()
                            .find(|known| close(other, known))
                            .map(|known| format!("did you mean `{known}`? "))
                            .unwrap_or_default();
                        return Err(syn::Error::new(
                            key.span(),
                            format!("unknown argument `{other}`; {hint}{USAGE}"),
                        ));
                    }
                }
            } else {
                return Err(input.error(USAGE));
            }
            if input.is_empty() {
                break;
            }
            input
                .parse::<Token![,]>()
                .map_err(|e| syn::Error::new(e.span(), USAGE))?;
            if input.is_empty() {
                break;
            }
        }
        if parsed.operations.is_empty() {
            return Err(syn::Error::new(
                Span::call_site(),
                format!("no operation given; {USAGE}"),
            ));
        }
        Ok(parsed)
    }
}

/// Whether `typed` is one edit (or a swap of neighbours) away from `known`.
fn close(typed: &str, known: &str) -> bool {
    let (a, b): (Vec<char>, Vec<char>) = (
        typed.to_lowercase().chars().collect(),
        known.chars().collect(),
    );
    if a == b {
        return true;
    }
    if a.len() == b.len() {
        let diffs: Vec<usize> = (0..a.len()).filter(|&i| a[i] != b[i]).collect();
        return diffs.len() == 1
            || (diffs.len() == 2
                && diffs[1] == diffs[0] + 1
                && a[diffs[0]] == b[diffs[1]]
                && a[diffs[1]] == b[diffs[0]]);
    }
    let (short, long) = if a.len() < b.len() {
        (&a, &b)
    } else {
        (&b, &a)
    };
    if long.len() - short.len() != 1 {
        return false;
    }
    let skip = (0..long.len())
        .find(|&i| short.get(i) != long.get(i))
        .unwrap_or(short.len());
    short[..skip] == long[..skip] && short[skip..] == long[skip + 1..]
}

#[cfg(test)]
mod tests {
    use super::close;

    #[test]
    fn near_misses_of_argument_names() {
        for typo in ["modle", "mode", "models", "Model", "serd", "sedre"] {
            assert!(close(typo, "model") || close(typo, "serde"), "{typo}");
        }
        assert!(!close("path", "model"));
        assert!(!close("json", "serde"));
    }
}
