//! The rule set as a tree: the JSON of `smithy.rules#endpointRuleSet` read
//! once into typed nodes, so that evaluation never looks at JSON and every
//! shape error is found (and named) before the first resolution.

use super::eval;
use super::{Endpoint, EndpointParams};
use crate::EndpointError;
use serde_json::{Map, Value};

/// A parsed endpoint rule set (Smithy rules 1.0): its parameters and rules.
#[derive(Debug, Clone, PartialEq)]
pub struct RuleSet {
    pub(crate) version: String,
    pub(crate) parameters: Vec<Parameter>,
    pub(crate) rules: Vec<Rule>,
}

impl RuleSet {
    /// Parses the JSON text of a `smithy.rules#endpointRuleSet` trait. Every
    /// problem (unknown function, wrong argument count, a template without
    /// its closing brace, a rule without its `endpoint`…) is an
    /// [`EndpointError`] naming where it is.
    pub fn parse(json: &str) -> Result<RuleSet, EndpointError> {
        let value: Value =
            serde_json::from_str(json).map_err(|e| invalid(format!("not JSON ({e})")))?;
        parse_rule_set(&value).map_err(invalid)
    }

    /// Evaluates the rules with `params`: the endpoint of the first rule
    /// whose conditions hold, or the message of an `error` rule.
    pub fn resolve(&self, params: &EndpointParams) -> Result<Endpoint, EndpointError> {
        eval::resolve(self, params)
    }

    /// The rule set's `version`.
    pub fn version(&self) -> &str {
        &self.version
    }

    /// The names of the rule set's parameters, in the order of the JSON.
    pub fn parameter_names(&self) -> impl Iterator<Item = &str> {
        self.parameters.iter().map(|p| p.name.as_str())
    }
}

pub(crate) fn invalid(message: impl std::fmt::Display) -> EndpointError {
    EndpointError::new(format!("invalid endpoint rule set: {message}"))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ParamType {
    String,
    Bool,
    StringArray,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Parameter {
    pub(crate) name: String,
    pub(crate) kind: ParamType,
    pub(crate) builtin: Option<String>,
    pub(crate) required: bool,
    pub(crate) default: Option<eval::Value>,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Rule {
    pub(crate) conditions: Vec<Condition>,
    pub(crate) kind: RuleKind,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum RuleKind {
    Endpoint {
        url: Expr,
        headers: Vec<(String, Vec<Expr>)>,
        properties: Vec<(String, Expr)>,
    },
    Error(Expr),
    Tree(Vec<Rule>),
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Condition {
    pub(crate) call: Call,
    pub(crate) assign: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Expr {
    Template(Vec<TemplatePart>),
    Bool(bool),
    Int(i64),
    Array(Vec<Expr>),
    Object(Vec<(String, Expr)>),
    Ref(String),
    Call(Box<Call>),
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum TemplatePart {
    Literal(String),
    Ref(String),
    /// `{name#path}`: `getAttr(name, "path")`.
    Attr(String, Vec<PathPart>),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum PathPart {
    Key(String),
    Index(usize),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Function {
    IsSet,
    Not,
    BooleanEquals,
    StringEquals,
    GetAttr,
    Substring,
    UriEncode,
    ParseUrl,
    IsValidHostLabel,
    Partition,
    ParseArn,
    IsVirtualHostableS3Bucket,
}

impl Function {
    fn from_name(name: &str) -> Option<(Function, usize)> {
        Some(match name {
            "isSet" => (Function::IsSet, 1),
            "not" => (Function::Not, 1),
            "booleanEquals" => (Function::BooleanEquals, 2),
            "stringEquals" => (Function::StringEquals, 2),
            "getAttr" => (Function::GetAttr, 2),
            "substring" => (Function::Substring, 4),
            "uriEncode" => (Function::UriEncode, 1),
            "parseURL" => (Function::ParseUrl, 1),
            "isValidHostLabel" => (Function::IsValidHostLabel, 2),
            "aws.partition" => (Function::Partition, 1),
            "aws.parseArn" => (Function::ParseArn, 1),
            "aws.isVirtualHostableS3Bucket" => (Function::IsVirtualHostableS3Bucket, 2),
            _ => return None,
        })
    }

    pub(crate) fn name(self) -> &'static str {
        match self {
            Function::IsSet => "isSet",
            Function::Not => "not",
            Function::BooleanEquals => "booleanEquals",
            Function::StringEquals => "stringEquals",
            Function::GetAttr => "getAttr",
            Function::Substring => "substring",
            Function::UriEncode => "uriEncode",
            Function::ParseUrl => "parseURL",
            Function::IsValidHostLabel => "isValidHostLabel",
            Function::Partition => "aws.partition",
            Function::ParseArn => "aws.parseArn",
            Function::IsVirtualHostableS3Bucket => "aws.isVirtualHostableS3Bucket",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Call {
    pub(crate) function: Function,
    pub(crate) args: Vec<Expr>,
    /// `getAttr`'s path, parsed once (its second argument is a literal).
    pub(crate) path: Vec<PathPart>,
}

type Parse<T> = Result<T, String>;

fn parse_rule_set(value: &Value) -> Parse<RuleSet> {
    let object = value
        .as_object()
        .ok_or("the rule set is not a JSON object")?;
    let version = match object.get("version") {
        Some(Value::String(v)) => v.clone(),
        Some(other) => return Err(format!("`version` is not a string: {other}")),
        None => String::new(),
    };
    let parameters = match object.get("parameters") {
        Some(Value::Object(params)) => params
            .iter()
            .map(|(name, p)| parse_parameter(name, p))
            .collect::<Parse<Vec<_>>>()?,
        None => Vec::new(),
        Some(_) => return Err("`parameters` is not an object".into()),
    };
    let rules = parse_rules(object.get("rules"), "rules")?;
    Ok(RuleSet {
        version,
        parameters,
        rules,
    })
}

fn parse_parameter(name: &str, value: &Value) -> Parse<Parameter> {
    let at = format!("parameter `{name}`");
    let object = value
        .as_object()
        .ok_or_else(|| format!("{at} is not an object"))?;
    let kind = match object.get("type").and_then(Value::as_str) {
        Some(t) if t.eq_ignore_ascii_case("string") => ParamType::String,
        Some(t) if t.eq_ignore_ascii_case("boolean") => ParamType::Bool,
        Some(t) if t.eq_ignore_ascii_case("stringArray") => ParamType::StringArray,
        Some(t) => return Err(format!("{at} has the unknown type `{t}`")),
        None => return Err(format!("{at} has no `type`")),
    };
    let builtin = match object.get("builtIn") {
        Some(Value::String(b)) => Some(b.clone()),
        None => None,
        Some(_) => return Err(format!("{at}: `builtIn` is not a string")),
    };
    let required = match object.get("required") {
        Some(Value::Bool(r)) => *r,
        None => false,
        Some(_) => return Err(format!("{at}: `required` is not a boolean")),
    };
    let default = match object.get("default") {
        None => None,
        Some(value) => Some(
            eval::Value::from_param_json(value, kind)
                .ok_or_else(|| format!("{at}: `default` {value} does not fit its type"))?,
        ),
    };
    Ok(Parameter {
        name: name.to_string(),
        kind,
        builtin,
        required,
        default,
    })
}

fn parse_rules(value: Option<&Value>, at: &str) -> Parse<Vec<Rule>> {
    let rules = value
        .and_then(Value::as_array)
        .ok_or_else(|| format!("`{at}` is missing or not an array"))?;
    rules
        .iter()
        .enumerate()
        .map(|(i, rule)| parse_rule(rule, &format!("{at}[{i}]")))
        .collect()
}

fn parse_rule(value: &Value, at: &str) -> Parse<Rule> {
    let object = value
        .as_object()
        .ok_or_else(|| format!("{at} is not an object"))?;
    let conditions = match object.get("conditions") {
        Some(Value::Array(items)) => items
            .iter()
            .enumerate()
            .map(|(i, c)| parse_condition(c, &format!("{at}.conditions[{i}]")))
            .collect::<Parse<Vec<_>>>()?,
        None => Vec::new(),
        Some(_) => return Err(format!("{at}.conditions is not an array")),
    };
    let field = |key: &str| {
        object
            .get(key)
            .ok_or_else(|| format!("{at} is of type `{}` but has no `{key}`", rule_type(object)))
    };
    let kind = match rule_type(object) {
        "endpoint" => parse_endpoint(field("endpoint")?, &format!("{at}.endpoint"))?,
        "error" => RuleKind::Error(parse_expr(field("error")?, &format!("{at}.error"))?),
        "tree" => RuleKind::Tree(parse_rules(object.get("rules"), &format!("{at}.rules"))?),
        other => return Err(format!("{at} has the unknown type `{other}`")),
    };
    Ok(Rule { conditions, kind })
}

fn rule_type(object: &Map<String, Value>) -> &str {
    object.get("type").and_then(Value::as_str).unwrap_or("")
}

fn parse_endpoint(value: &Value, at: &str) -> Parse<RuleKind> {
    let object = value
        .as_object()
        .ok_or_else(|| format!("{at} is not an object"))?;
    let url = parse_expr(
        object
            .get("url")
            .ok_or_else(|| format!("{at} has no `url`"))?,
        &format!("{at}.url"),
    )?;
    let headers = match object.get("headers") {
        Some(Value::Object(headers)) => headers
            .iter()
            .map(|(name, values)| {
                let at = format!("{at}.headers.{name}");
                let values = values
                    .as_array()
                    .ok_or_else(|| format!("{at} is not an array"))?
                    .iter()
                    .map(|v| parse_expr(v, &at))
                    .collect::<Parse<Vec<_>>>()?;
                Ok((name.clone(), values))
            })
            .collect::<Parse<Vec<_>>>()?,
        None => Vec::new(),
        Some(_) => return Err(format!("{at}.headers is not an object")),
    };
    let properties = match object.get("properties") {
        Some(Value::Object(props)) => props
            .iter()
            .map(|(name, v)| {
                Ok((
                    name.clone(),
                    parse_expr(v, &format!("{at}.properties.{name}"))?,
                ))
            })
            .collect::<Parse<Vec<_>>>()?,
        None => Vec::new(),
        Some(_) => return Err(format!("{at}.properties is not an object")),
    };
    Ok(RuleKind::Endpoint {
        url,
        headers,
        properties,
    })
}

fn parse_condition(value: &Value, at: &str) -> Parse<Condition> {
    let object = value
        .as_object()
        .ok_or_else(|| format!("{at} is not an object"))?;
    let call = parse_call(object, at)?;
    let assign = match object.get("assign") {
        Some(Value::String(name)) => Some(name.clone()),
        None => None,
        Some(_) => return Err(format!("{at}.assign is not a string")),
    };
    Ok(Condition { call, assign })
}

fn parse_call(object: &Map<String, Value>, at: &str) -> Parse<Call> {
    let name = object
        .get("fn")
        .and_then(Value::as_str)
        .ok_or_else(|| format!("{at} has no `fn`"))?;
    let (function, arity) = Function::from_name(name)
        .ok_or_else(|| format!("{at} calls the unknown function `{name}`"))?;
    let argv = object
        .get("argv")
        .and_then(Value::as_array)
        .ok_or_else(|| format!("{at} (`{name}`) has no `argv` array"))?;
    if argv.len() != arity {
        return Err(format!(
            "{at}: `{name}` takes {arity} argument{}, got {}",
            if arity == 1 { "" } else { "s" },
            argv.len()
        ));
    }
    let mut path = Vec::new();
    let mut args = Vec::with_capacity(arity);
    for (i, arg) in argv.iter().enumerate() {
        if function == Function::GetAttr && i == 1 {
            let text = arg
                .as_str()
                .ok_or_else(|| format!("{at}: the path of `getAttr` is not a string"))?;
            path =
                parse_path(text).ok_or_else(|| format!("{at}: invalid `getAttr` path `{text}`"))?;
        } else {
            args.push(parse_expr(arg, &format!("{at}.argv[{i}]"))?);
        }
    }
    Ok(Call {
        function,
        args,
        path,
    })
}

fn parse_expr(value: &Value, at: &str) -> Parse<Expr> {
    Ok(match value {
        Value::String(text) => {
            Expr::Template(parse_template(text).map_err(|e| format!("{at}: {e}"))?)
        }
        Value::Bool(b) => Expr::Bool(*b),
        Value::Number(n) => Expr::Int(
            n.as_i64()
                .ok_or_else(|| format!("{at}: {n} is not an integer"))?,
        ),
        Value::Array(items) => Expr::Array(
            items
                .iter()
                .enumerate()
                .map(|(i, item)| parse_expr(item, &format!("{at}[{i}]")))
                .collect::<Parse<Vec<_>>>()?,
        ),
        Value::Object(object) => {
            if let Some(name) = object.get("ref") {
                let name = name
                    .as_str()
                    .ok_or_else(|| format!("{at}: `ref` is not a string"))?;
                Expr::Ref(name.to_string())
            } else if object.contains_key("fn") {
                Expr::Call(Box::new(parse_call(object, at)?))
            } else {
                Expr::Object(
                    object
                        .iter()
                        .map(|(k, v)| Ok((k.clone(), parse_expr(v, &format!("{at}.{k}"))?)))
                        .collect::<Parse<Vec<_>>>()?,
                )
            }
        }
        Value::Null => return Err(format!("{at} is null")),
    })
}

/// Splits a string literal into text and `{name}` / `{name#path}`
/// references; `{{` and `}}` stand for literal braces.
pub(crate) fn parse_template(text: &str) -> Parse<Vec<TemplatePart>> {
    let mut parts = Vec::new();
    let mut literal = String::new();
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            '{' if chars.peek().map(|&(_, c)| c) == Some('{') => {
                chars.next();
                literal.push('{');
            }
            '}' if chars.peek().map(|&(_, c)| c) == Some('}') => {
                chars.next();
                literal.push('}');
            }
            '{' => {
                let rest = text.get(i + 1..).unwrap_or("");
                let close = rest
                    .find('}')
                    .ok_or_else(|| format!("template `{text}` has a `{{` without its `}}`"))?;
                let inner = rest.get(..close).unwrap_or("");
                if !literal.is_empty() {
                    parts.push(TemplatePart::Literal(std::mem::take(&mut literal)));
                }
                parts.push(match inner.split_once('#') {
                    Some((name, path)) => TemplatePart::Attr(
                        name.to_string(),
                        parse_path(path)
                            .ok_or_else(|| format!("template `{text}`: invalid path `{path}`"))?,
                    ),
                    None if !inner.is_empty() => TemplatePart::Ref(inner.to_string()),
                    None => return Err(format!("template `{text}` has an empty `{{}}`")),
                });
                // Skip the reference and its closing brace.
                for _ in 0..inner.chars().count() + 1 {
                    chars.next();
                }
            }
            '}' => return Err(format!("template `{text}` has a `}}` without its `{{`")),
            c => literal.push(c),
        }
    }
    if !literal.is_empty() || parts.is_empty() {
        parts.push(TemplatePart::Literal(literal));
    }
    Ok(parts)
}

/// `a.b[2]`, `resourceId[0]`, `[0]`: keys separated by dots, each followed
/// by any number of `[index]`.
pub(crate) fn parse_path(text: &str) -> Option<Vec<PathPart>> {
    let mut parts = Vec::new();
    for segment in text.split('.') {
        let (key, mut indexes) = match segment.find('[') {
            Some(open) => (segment.get(..open)?, segment.get(open..)?),
            None => (segment, ""),
        };
        if !key.is_empty() {
            parts.push(PathPart::Key(key.to_string()));
        } else if indexes.is_empty() {
            return None;
        }
        while !indexes.is_empty() {
            let inner = indexes.strip_prefix('[')?;
            let close = inner.find(']')?;
            let index = inner.get(..close)?;
            if index.is_empty() || !index.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            parts.push(PathPart::Index(index.parse().ok()?));
            indexes = inner.get(close + 1..)?;
        }
    }
    Some(parts)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error(json: &str) -> String {
        RuleSet::parse(json).unwrap_err().to_string()
    }

    #[test]
    fn templates_split_references_attributes_and_escapes() {
        assert_eq!(
            parse_template("https://{Region}.{p#dnsSuffix}/{{x}}").unwrap(),
            vec![
                TemplatePart::Literal("https://".into()),
                TemplatePart::Ref("Region".into()),
                TemplatePart::Literal(".".into()),
                TemplatePart::Attr("p".into(), vec![PathPart::Key("dnsSuffix".into())]),
                TemplatePart::Literal("/{x}".into()),
            ]
        );
        assert_eq!(
            parse_template("").unwrap(),
            vec![TemplatePart::Literal(String::new())]
        );
        assert!(parse_template("https://{Region")
            .unwrap_err()
            .contains("without its"));
        assert!(parse_template("a}b").unwrap_err().contains("without its"));
        assert!(parse_template("{}").unwrap_err().contains("empty"));
    }

    #[test]
    fn paths_take_keys_and_indexes() {
        use PathPart::{Index, Key};
        assert_eq!(parse_path("[0]"), Some(vec![Index(0)]));
        assert_eq!(
            parse_path("resourceId[2]"),
            Some(vec![Key("resourceId".into()), Index(2)])
        );
        assert_eq!(
            parse_path("a.b[1][3]"),
            Some(vec![Key("a".into()), Key("b".into()), Index(1), Index(3)])
        );
        for bad in ["a[", "a[x]", "a[]", "a..b", "a[1]b", ""] {
            assert_eq!(parse_path(bad), None, "{bad}");
        }
    }

    #[test]
    fn malformed_rule_sets_say_what_is_wrong() {
        assert!(error("[").contains("not JSON"));
        assert!(error("[]").contains("not a JSON object"));
        assert!(error(r#"{"parameters":{}}"#).contains("`rules` is missing"));
        assert!(
            error(r#"{"parameters":{"R":{"type":"number"}},"rules":[]}"#)
                .contains("parameter `R` has the unknown type `number`")
        );
        assert!(
            error(r#"{"parameters":{"R":{"type":"boolean","default":"x"}},"rules":[]}"#)
                .contains("`default` \"x\" does not fit")
        );
        let unknown = error(
            r#"{"rules":[{"conditions":[{"fn":"frob","argv":[]}],"type":"error","error":"e"}]}"#,
        );
        assert!(
            unknown.contains("rules[0].conditions[0] calls the unknown function `frob`"),
            "{unknown}"
        );
        let arity = error(
            r#"{"rules":[{"conditions":[{"fn":"not","argv":[true,false]}],"type":"error","error":"e"}]}"#,
        );
        assert!(arity.contains("`not` takes 1 argument, got 2"), "{arity}");
        let no_endpoint = error(r#"{"rules":[{"conditions":[],"type":"endpoint"}]}"#);
        assert!(
            no_endpoint.contains("rules[0] is of type `endpoint` but has no `endpoint`"),
            "{no_endpoint}"
        );
        assert!(error(r#"{"rules":[{"conditions":[],"type":"maybe"}]}"#)
            .contains("unknown type `maybe`"));
        assert!(error(r#"{"rules":[{"type":"error","error":"{oops"}]}"#).contains("without its"));
        assert!(error(r#"{"rules":[{"type":"tree"}]}"#).contains("rules[0].rules` is missing"));
    }
}
