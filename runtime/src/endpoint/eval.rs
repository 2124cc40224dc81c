//! Evaluation of a parsed rule set: rules in order, the first whose
//! conditions all hold wins; a tree rule whose conditions hold must end in
//! one of its own rules.

use super::functions;
use super::partitions::partition_of;
use super::rules::{
    invalid, Call, Expr, Function, ParamType, PathPart, Rule, RuleKind, RuleSet, TemplatePart,
};
use super::{
    missing_param, no_rule_matched, no_rule_matched_in_tree, wrong_param_type, Endpoint,
    EndpointParams, ParamValue,
};
use crate::{Document, EndpointError};
use std::collections::BTreeMap;

/// A value during evaluation. Unset is `None` around it, never a variant:
/// functions see "absent" and "present" apart.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Value {
    String(String),
    Bool(bool),
    Int(i64),
    Array(Vec<Value>),
    Object(BTreeMap<String, Value>),
}

impl Value {
    /// A parameter's `default` or a test's value, checked against its type.
    pub(crate) fn from_param_json(value: &serde_json::Value, kind: ParamType) -> Option<Value> {
        match (kind, value) {
            (ParamType::String, serde_json::Value::String(s)) => Some(Value::String(s.clone())),
            (ParamType::Bool, serde_json::Value::Bool(b)) => Some(Value::Bool(*b)),
            (ParamType::StringArray, serde_json::Value::Array(items)) => items
                .iter()
                .map(|item| item.as_str().map(|s| Value::String(s.to_string())))
                .collect::<Option<Vec<_>>>()
                .map(Value::Array),
            _ => None,
        }
    }

    fn from_param(value: &ParamValue, kind: ParamType) -> Option<Value> {
        match (kind, value) {
            (ParamType::String, ParamValue::String(s)) => Some(Value::String(s.clone())),
            (ParamType::Bool, ParamValue::Bool(b)) => Some(Value::Bool(*b)),
            (ParamType::StringArray, ParamValue::StringArray(items)) => Some(Value::Array(
                items.iter().cloned().map(Value::String).collect(),
            )),
            _ => None,
        }
    }

    fn type_name(&self) -> &'static str {
        match self {
            Value::String(_) => "a string",
            Value::Bool(_) => "a boolean",
            Value::Int(_) => "an integer",
            Value::Array(_) => "an array",
            Value::Object(_) => "an object",
        }
    }

    fn into_document(self) -> Document {
        match self {
            Value::String(s) => Document::String(s),
            Value::Bool(b) => Document::Bool(b),
            Value::Int(i) => Document::Number(i as f64),
            Value::Array(items) => {
                Document::Array(items.into_iter().map(Value::into_document).collect())
            }
            Value::Object(map) => Document::Object(
                map.into_iter()
                    .map(|(k, v)| (k, v.into_document()))
                    .collect(),
            ),
        }
    }
}

fn type_name(kind: ParamType) -> &'static str {
    match kind {
        ParamType::String => "a string",
        ParamType::Bool => "a boolean",
        ParamType::StringArray => "an array of strings",
    }
}

/// Names in scope: the parameters (unset ones as `None`), then the values
/// conditions assigned, innermost last.
struct Scope<'r> {
    vars: Vec<(&'r str, Option<Value>)>,
}

impl<'r> Scope<'r> {
    fn get(&self, name: &str) -> Result<Option<&Value>, EndpointError> {
        self.vars
            .iter()
            .rev()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.as_ref())
            .ok_or_else(|| {
                invalid(format!(
                    "reference to `{name}`, which is neither a parameter nor assigned before"
                ))
            })
    }
}

type Eval<T> = Result<T, EndpointError>;

pub(crate) fn resolve(rule_set: &RuleSet, params: &EndpointParams) -> Eval<Endpoint> {
    let mut scope = Scope {
        vars: Vec::with_capacity(rule_set.parameters.len() + 8),
    };
    for p in &rule_set.parameters {
        let builtin = p.builtin.as_deref();
        let value = match params.lookup(&p.name, builtin) {
            Some((value, how)) => Some(
                Value::from_param(value, p.kind)
                    .ok_or_else(|| wrong_param_type(&p.name, how, type_name(p.kind), value))?,
            ),
            None => p.default.clone(),
        };
        if p.required && value.is_none() {
            return Err(missing_param(&p.name, builtin));
        }
        scope.vars.push((&p.name, value));
    }
    match eval_rules(&rule_set.rules, &mut scope)? {
        Some(endpoint) => Ok(endpoint),
        None => Err(no_rule_matched()),
    }
}

fn eval_rules<'r>(rules: &'r [Rule], scope: &mut Scope<'r>) -> Eval<Option<Endpoint>> {
    for rule in rules {
        let mark = scope.vars.len();
        let outcome = eval_rule(rule, scope);
        scope.vars.truncate(mark);
        if let Some(endpoint) = outcome? {
            return Ok(Some(endpoint));
        }
    }
    Ok(None)
}

fn eval_rule<'r>(rule: &'r Rule, scope: &mut Scope<'r>) -> Eval<Option<Endpoint>> {
    for condition in &rule.conditions {
        let value = match call(&condition.call, scope)? {
            None | Some(Value::Bool(false)) => return Ok(None),
            Some(value) => value,
        };
        if let Some(name) = &condition.assign {
            scope.vars.push((name, Some(value)));
        }
    }
    match &rule.kind {
        RuleKind::Endpoint {
            url,
            headers,
            properties,
        } => endpoint(url, headers, properties, scope).map(Some),
        RuleKind::Error(message) => Err(EndpointError::new(string(message, scope, "error")?)),
        RuleKind::Tree(rules) => match eval_rules(rules, scope)? {
            Some(endpoint) => Ok(Some(endpoint)),
            // The conditions that led here held, so falling through to the
            // next sibling would pick an endpoint the authors ruled out.
            None => Err(no_rule_matched_in_tree()),
        },
    }
}

fn endpoint(
    url: &Expr,
    headers: &[(String, Vec<Expr>)],
    properties: &[(String, Expr)],
    scope: &Scope<'_>,
) -> Eval<Endpoint> {
    let mut endpoint = Endpoint::new(string(url, scope, "the endpoint url")?);
    for (name, values) in headers {
        for value in values {
            endpoint = endpoint.with_header(name.clone(), string(value, scope, "a header value")?);
        }
    }
    for (name, value) in properties {
        let value = expr(value, scope)?
            .ok_or_else(|| invalid(format!("endpoint property `{name}` is unset")))?;
        endpoint = endpoint.with_property(name.clone(), value.into_document());
    }
    Ok(endpoint)
}

/// `expr`, which must be a set string (a URL, header value or message).
fn string(e: &Expr, scope: &Scope<'_>, what: &str) -> Eval<String> {
    match expr(e, scope)? {
        Some(Value::String(s)) => Ok(s),
        Some(other) => Err(invalid(format!(
            "{what} is {}, not a string",
            other.type_name()
        ))),
        None => Err(invalid(format!("{what} is unset"))),
    }
}

fn expr(e: &Expr, scope: &Scope<'_>) -> Eval<Option<Value>> {
    Ok(Some(match e {
        Expr::Template(parts) => Value::String(template(parts, scope)?),
        Expr::Bool(b) => Value::Bool(*b),
        Expr::Int(i) => Value::Int(*i),
        Expr::Array(items) => Value::Array(
            items
                .iter()
                .map(|item| expr(item, scope)?.ok_or_else(|| invalid("an array item is unset")))
                .collect::<Eval<Vec<_>>>()?,
        ),
        Expr::Object(fields) => Value::Object(
            fields
                .iter()
                .map(|(k, v)| {
                    let value = expr(v, scope)?
                        .ok_or_else(|| invalid(format!("the object field `{k}` is unset")))?;
                    Ok((k.clone(), value))
                })
                .collect::<Eval<BTreeMap<_, _>>>()?,
        ),
        Expr::Ref(name) => return Ok(scope.get(name)?.cloned()),
        Expr::Call(c) => return call(c, scope),
    }))
}

fn template(parts: &[TemplatePart], scope: &Scope<'_>) -> Eval<String> {
    // Most strings are one literal: no allocation beyond the result.
    let mut out = String::new();
    for part in parts {
        let value = match part {
            TemplatePart::Literal(text) => {
                out.push_str(text);
                continue;
            }
            TemplatePart::Ref(name) => scope.get(name)?,
            TemplatePart::Attr(name, path) => scope.get(name)?.and_then(|v| get_attr(v, path)),
        };
        match value {
            Some(Value::String(s)) => out.push_str(s),
            Some(other) => {
                return Err(invalid(format!(
                    "a template refers to {}, not a string",
                    other.type_name()
                )))
            }
            None => return Err(invalid("a template refers to an unset value")),
        }
    }
    Ok(out)
}

fn get_attr<'v>(value: &'v Value, path: &[PathPart]) -> Option<&'v Value> {
    path.iter()
        .try_fold(value, |value, part| match (part, value) {
            (PathPart::Key(key), Value::Object(map)) => map.get(key),
            (PathPart::Index(i), Value::Array(items)) => items.get(*i),
            _ => None,
        })
}

fn call(c: &Call, scope: &Scope<'_>) -> Eval<Option<Value>> {
    let f = c.function;
    let mut args = Vec::with_capacity(c.args.len());
    for arg in &c.args {
        args.push(expr(arg, scope)?);
    }
    if f == Function::IsSet {
        return Ok(Some(Value::Bool(matches!(args.first(), Some(Some(_))))));
    }
    // Every other function of an unset value is unset: the condition fails,
    // as it would on `false`.
    let Some(args) = args.into_iter().collect::<Option<Vec<Value>>>() else {
        return Ok(None);
    };
    let str_arg = |i: usize| match args.get(i) {
        Some(Value::String(s)) => Ok(s.as_str()),
        other => Err(wrong_arg(f, i, "a string", other)),
    };
    let bool_arg = |i: usize| match args.get(i) {
        Some(Value::Bool(b)) => Ok(*b),
        other => Err(wrong_arg(f, i, "a boolean", other)),
    };
    let int_arg = |i: usize| match args.get(i) {
        Some(Value::Int(n)) => Ok(*n),
        other => Err(wrong_arg(f, i, "an integer", other)),
    };
    Ok(match f {
        Function::IsSet => None,
        Function::Not => Some(Value::Bool(!bool_arg(0)?)),
        Function::BooleanEquals => Some(Value::Bool(bool_arg(0)? == bool_arg(1)?)),
        Function::StringEquals => Some(Value::Bool(str_arg(0)? == str_arg(1)?)),
        Function::GetAttr => args.first().and_then(|v| get_attr(v, &c.path)).cloned(),
        Function::Substring => {
            let (start, stop) = (int_arg(1)?, int_arg(2)?);
            functions::substring(str_arg(0)?, start, stop, bool_arg(3)?).map(Value::String)
        }
        Function::UriEncode => Some(Value::String(functions::uri_encode(str_arg(0)?))),
        Function::ParseUrl => functions::parse_url(str_arg(0)?).map(|url| {
            Value::Object(BTreeMap::from([
                ("scheme".to_string(), Value::String(url.scheme)),
                ("authority".to_string(), Value::String(url.authority)),
                ("path".to_string(), Value::String(url.path)),
                (
                    "normalizedPath".to_string(),
                    Value::String(url.normalized_path),
                ),
                ("isIp".to_string(), Value::Bool(url.is_ip)),
            ]))
        }),
        Function::IsValidHostLabel => Some(Value::Bool(functions::is_valid_host_label(
            str_arg(0)?,
            bool_arg(1)?,
        ))),
        Function::Partition => partition_of(str_arg(0)?).map(|p| {
            let o = &p.outputs;
            let s = |v: &str| Value::String(v.to_string());
            Value::Object(BTreeMap::from([
                ("name".to_string(), s(o.name)),
                ("dnsSuffix".to_string(), s(o.dns_suffix)),
                ("dualStackDnsSuffix".to_string(), s(o.dual_stack_dns_suffix)),
                ("supportsFIPS".to_string(), Value::Bool(o.supports_fips)),
                (
                    "supportsDualStack".to_string(),
                    Value::Bool(o.supports_dual_stack),
                ),
                (
                    "implicitGlobalRegion".to_string(),
                    s(o.implicit_global_region),
                ),
            ]))
        }),
        Function::ParseArn => functions::parse_arn(str_arg(0)?).map(|arn| {
            Value::Object(BTreeMap::from([
                ("partition".to_string(), Value::String(arn.partition)),
                ("service".to_string(), Value::String(arn.service)),
                ("region".to_string(), Value::String(arn.region)),
                ("accountId".to_string(), Value::String(arn.account_id)),
                (
                    "resourceId".to_string(),
                    Value::Array(arn.resource_id.into_iter().map(Value::String).collect()),
                ),
            ]))
        }),
        Function::IsVirtualHostableS3Bucket => Some(Value::Bool(
            functions::is_virtual_hostable_s3_bucket(str_arg(0)?, bool_arg(1)?),
        )),
    })
}

fn wrong_arg(f: Function, i: usize, expected: &str, got: Option<&Value>) -> EndpointError {
    invalid(format!(
        "argument {} of `{}` must be {expected}, got {}",
        i + 1,
        f.name(),
        got.map_or("nothing", Value::type_name)
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules(rules: &str, params: &str) -> RuleSet {
        RuleSet::parse(&format!(
            r#"{{"version":"1.0","parameters":{params},"rules":{rules}}}"#
        ))
        .unwrap()
    }

    fn resolve_url(set: &RuleSet, params: &EndpointParams) -> Result<String, String> {
        set.resolve(params)
            .map(|e| e.url().to_string())
            .map_err(|e| e.to_string())
    }

    #[test]
    fn assignments_do_not_leak_into_sibling_rules() {
        let set = rules(
            r#"[
              {"conditions":[{"fn":"aws.partition","argv":["us-east-1"],"assign":"p"},
                             {"fn":"booleanEquals","argv":[true,false]}],
               "type":"error","error":"unreachable"},
              {"conditions":[],"type":"error","error":"{p#name}"}
            ]"#,
            "{}",
        );
        let error = resolve_url(&set, &EndpointParams::new()).unwrap_err();
        assert!(error.contains("reference to `p`"), "{error}");
    }

    #[test]
    fn a_tree_whose_conditions_hold_must_match_inside() {
        let set = rules(
            r#"[
              {"conditions":[],"type":"tree","rules":[
                {"conditions":[{"fn":"booleanEquals","argv":[true,false]}],"type":"error","error":"inner"}]},
              {"conditions":[],"type":"error","error":"sibling"}
            ]"#,
            "{}",
        );
        let error = resolve_url(&set, &EndpointParams::new()).unwrap_err();
        assert!(error.contains("inside a tree rule"), "{error}");
    }

    #[test]
    fn parameters_take_given_then_builtin_then_default() {
        let set = rules(
            r#"[{"conditions":[],"type":"endpoint","endpoint":{"url":"https://{R}.example"}}]"#,
            r#"{"R":{"type":"string","builtIn":"AWS::Region","default":"dflt","required":true}}"#,
        );
        let url = |p: &EndpointParams| resolve_url(&set, p);
        assert_eq!(
            url(&EndpointParams::new()),
            Ok("https://dflt.example".into())
        );
        assert_eq!(
            url(&EndpointParams::new().region("b")),
            Ok("https://b.example".into())
        );
        assert_eq!(
            url(&EndpointParams::new().region("b").param("R", "named")),
            Ok("https://named.example".into())
        );
        let wrong = url(&EndpointParams::new().param("R", true)).unwrap_err();
        assert!(
            wrong.contains("endpoint parameter `R` must be a string"),
            "{wrong}"
        );
    }

    #[test]
    fn a_missing_required_parameter_is_named() {
        let set = rules(
            r#"[{"conditions":[],"type":"endpoint","endpoint":{"url":"https://x"}}]"#,
            r#"{"Region":{"type":"string","builtIn":"AWS::Region","required":true}}"#,
        );
        assert_eq!(
            resolve_url(&set, &EndpointParams::new()),
            Err("missing required endpoint parameter `Region` (built-in AWS::Region)".into())
        );
    }

    #[test]
    fn type_errors_in_calls_are_rule_set_errors() {
        let set = rules(
            r#"[{"conditions":[{"fn":"stringEquals","argv":[true,"x"]}],"type":"error","error":"no"}]"#,
            "{}",
        );
        let error = resolve_url(&set, &EndpointParams::new()).unwrap_err();
        assert!(
            error.contains("argument 1 of `stringEquals` must be a string, got a boolean"),
            "{error}"
        );
    }

    #[test]
    fn no_matching_rule_is_an_error() {
        let set = rules(
            r#"[{"conditions":[{"fn":"isSet","argv":[{"ref":"X"}]}],"type":"error","error":"set"}]"#,
            r#"{"X":{"type":"string"}}"#,
        );
        assert_eq!(
            resolve_url(&set, &EndpointParams::new()),
            Err("no endpoint rule matched the parameters".into())
        );
        assert_eq!(
            resolve_url(&set, &EndpointParams::new().param("X", "v")),
            Err("set".into())
        );
    }

    #[test]
    fn properties_and_headers_are_evaluated() {
        let set = rules(
            r#"[{"conditions":[],"type":"endpoint","endpoint":{"url":"https://x",
                "headers":{"h":["a","{R}"]},
                "properties":{"authSchemes":[{"name":"sigv4","signingRegion":"{R}","n":3,"b":true}]}}}]"#,
            r#"{"R":{"type":"string","default":"r1","required":true}}"#,
        );
        let endpoint = set.resolve(&EndpointParams::new()).unwrap();
        assert_eq!(
            endpoint.headers(),
            [
                ("h".to_string(), "a".to_string()),
                ("h".to_string(), "r1".to_string())
            ]
        );
        assert_eq!(endpoint.signing_region(), Some("r1"));
        let Some(Document::Array(schemes)) = endpoint.property("authSchemes") else {
            panic!("no authSchemes: {endpoint:?}");
        };
        let Some(Document::Object(scheme)) = schemes.first() else {
            panic!("{schemes:?}");
        };
        assert_eq!(scheme.get("n"), Some(&Document::Number(3.0)));
        assert_eq!(scheme.get("b"), Some(&Document::Bool(true)));
    }
}
