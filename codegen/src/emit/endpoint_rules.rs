//! The endpoint rule set (`smithy.rules#endpointRuleSet`) compiled into one
//! Rust function per service and expansion: each rule a labeled block whose
//! conditions `break` out of it when they fail, assignments as locals with
//! their static type (string, boolean, string array, the records of
//! `parseURL`, `aws.partition` and `aws.parseArn`), tree rules as nested
//! blocks. The functions of the rules language are the runtime's own
//! (`opgen::__private::endpoint`), so compiled and interpreted rules agree
//! by construction; the oracle test (`tests/endpoint-rules`) checks it on
//! every shared rule set.
//!
//! A rule set this compiler does not understand (an unknown function, a
//! type mismatch, an attribute no record has) is not an error: the caller
//! embeds the JSON for the runtime's interpreter instead, which reports
//! the problem when a call reaches it.

use proc_macro2::{Ident, Punct, Spacing, Span, TokenStream};
use quote::{format_ident, quote, ToTokens};
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// Nesting beyond this is refused (and interpreted), so that a hostile
/// model cannot exhaust the macro's stack.
const MAX_DEPTH: usize = 64;

/// The static type of a value; each has one borrowed form in the
/// generated code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ty {
    /// `&str`.
    Str,
    /// `bool`.
    Bool,
    /// `i64` (literals only).
    Int,
    /// `&[String]`.
    StrArray,
    /// `&__e::Url`.
    Url,
    /// `&'static __e::PartitionOutputs`.
    Partition,
    /// `&__e::Arn`.
    Arn,
}

/// A name in scope: the tokens that read it and whether they are an
/// `Option` (a parameter without a value, default or `required`).
#[derive(Clone)]
struct Var {
    tokens: TokenStream,
    ty: Ty,
    optional: bool,
}

type Scope = BTreeMap<String, Var>;

/// Where statements go while compiling one rule, and what a failed
/// condition (or an unset value) does there.
struct Ctx {
    stmts: Vec<TokenStream>,
    fail: TokenStream,
    scope: Scope,
}

type Compile<T> = Result<T, String>;

/// `#vis fn #name(params) -> Result<Endpoint, EndpointError>` for `rules`,
/// or why it cannot be compiled.
pub(crate) fn compile_rule_set(
    rules: &Value,
    vis: TokenStream,
    name: &Ident,
) -> Compile<TokenStream> {
    let mut compiler = Compiler { next: 0 };
    let object = rules.as_object().ok_or("the rule set is not an object")?;
    let mut scope = Scope::new();
    let mut setup = Vec::new();
    if let Some(params) = object.get("parameters") {
        let params = params.as_object().ok_or("`parameters` is not an object")?;
        for (name, param) in params {
            let (stmt, var) = compiler.parameter(name, param)?;
            setup.push(stmt);
            scope.insert(name.clone(), var);
        }
    }
    let rules = object
        .get("rules")
        .and_then(Value::as_array)
        .ok_or("`rules` is missing")?;
    let (body, always) = compiler.rules(rules, 0, &scope)?;
    let fall_through = (!always).then(|| quote!(Err(__e::no_match())));
    Ok(quote! {
        #[doc(hidden)]
        #[allow(unused_variables, unused_imports, unused_parens, unreachable_code, unused_labels, clippy::all, clippy::pedantic)]
        #vis fn #name(
            params: &::opgen::__private::endpoint::EndpointParams,
        ) -> ::core::result::Result<
            ::opgen::__private::endpoint::Endpoint,
            ::opgen::__private::endpoint::EndpointError,
        > {
            use ::opgen::__private::endpoint as __e;
            use ::core::option::Option::{None, Some};
            use ::core::result::Result::{Err, Ok};
            #(#setup)*
            #body
            #fall_through
        }
    })
}

struct Compiler {
    next: usize,
}

impl Compiler {
    fn temp(&mut self) -> Ident {
        self.next += 1;
        format_ident!("t{}", self.next)
    }

    /// `let pN = …;` reading the parameter with its default and
    /// requiredness, in the order of the rule set (as the interpreter).
    fn parameter(&mut self, name: &str, param: &Value) -> Compile<(TokenStream, Var)> {
        let object = param
            .as_object()
            .ok_or_else(|| format!("parameter `{name}` is not an object"))?;
        let kind = object.get("type").and_then(Value::as_str).unwrap_or("");
        let (reader, ty) = if kind.eq_ignore_ascii_case("string") {
            (quote!(string_param), Ty::Str)
        } else if kind.eq_ignore_ascii_case("boolean") {
            (quote!(bool_param), Ty::Bool)
        } else if kind.eq_ignore_ascii_case("stringArray") {
            (quote!(string_array_param), Ty::StrArray)
        } else {
            return Err(format!("parameter `{name}` has the type `{kind}`"));
        };
        let builtin = match object.get("builtIn") {
            Some(Value::String(b)) => quote!(Some(#b)),
            None => quote!(None),
            Some(_) => return Err(format!("parameter `{name}`: `builtIn` is not a string")),
        };
        let required = object.get("required").and_then(Value::as_bool) == Some(true);
        let ident = self.temp();
        let read = quote!(__e::#reader(params, #name, #builtin)?);
        let (stmt, optional) = match (object.get("default"), ty) {
            (None, _) if required => (
                quote!(let #ident = __e::required(#read, #name, #builtin)?;),
                false,
            ),
            (None, _) => (quote!(let #ident = #read;), true),
            (Some(Value::String(s)), Ty::Str) => (quote!(let #ident = #read.unwrap_or(#s);), false),
            (Some(Value::Bool(b)), Ty::Bool) => (quote!(let #ident = #read.unwrap_or(#b);), false),
            (Some(Value::Array(items)), Ty::StrArray) => {
                let items = items
                    .iter()
                    .map(|item| {
                        item.as_str()
                            .map(|s| quote!(::std::string::String::from(#s)))
                    })
                    .collect::<Option<Vec<_>>>()
                    .ok_or_else(|| format!("parameter `{name}`: a default item is not a string"))?;
                let default = self.temp();
                (
                    quote! {
                        let #default = [#(#items),*];
                        let #ident = #read.unwrap_or(&#default);
                    },
                    false,
                )
            }
            (Some(_), _) => return Err(format!("parameter `{name}`: the default does not fit")),
        };
        Ok((
            stmt,
            Var {
                tokens: ident.into_token_stream(),
                ty,
                optional,
            },
        ))
    }

    /// The rules in order; each returns when it applies.
    /// The rules in order, each returning when it applies; and whether the
    /// last one always applies (has no conditions), so that nothing after
    /// it is reachable, and nothing is emitted after it.
    fn rules(
        &mut self,
        rules: &[Value],
        depth: usize,
        scope: &Scope,
    ) -> Compile<(TokenStream, bool)> {
        if depth > MAX_DEPTH {
            return Err(format!("rules nested deeper than {MAX_DEPTH}"));
        }
        let mut out = TokenStream::new();
        for rule in rules {
            let (tokens, unconditional) = self.rule(rule, depth, scope)?;
            out.extend(tokens);
            if unconditional {
                return Ok((out, true));
            }
        }
        Ok((out, false))
    }

    /// A rule, and whether it has no conditions (then its statements go
    /// straight into the enclosing block, which they end).
    fn rule(&mut self, rule: &Value, depth: usize, scope: &Scope) -> Compile<(TokenStream, bool)> {
        let object = rule.as_object().ok_or("a rule is not an object")?;
        let label = label(depth);
        let mut ctx = Ctx {
            stmts: Vec::new(),
            fail: quote!(break #label),
            scope: scope.clone(),
        };
        let conditions = match object.get("conditions") {
            Some(Value::Array(conditions)) => conditions.as_slice(),
            None => &[],
            Some(_) => return Err("`conditions` is not an array".into()),
        };
        for condition in conditions {
            self.condition(condition, &mut ctx)?;
        }
        // An unset value in what the rule returns is a malformed rule set.
        ctx.fail = quote!(return Err(__e::unset()));
        let kind = object.get("type").and_then(Value::as_str).unwrap_or("");
        let field = |key: &str| {
            object
                .get(key)
                .ok_or_else(|| format!("a rule of type `{kind}` has no `{key}`"))
        };
        let body = match kind {
            "endpoint" => self.endpoint(field("endpoint")?, &mut ctx)?,
            "error" => {
                let message = self.string(field("error")?, &mut ctx)?;
                quote!(return Err(__e::error(#message));)
            }
            "tree" => {
                let inner = field("rules")?
                    .as_array()
                    .ok_or("`rules` of a tree rule is not an array")?;
                let (inner, always) = self.rules(inner, depth + 1, &ctx.scope)?;
                let fall_through = (!always).then(|| quote!(return Err(__e::tree_no_match());));
                quote! {
                    #inner
                    #fall_through
                }
            }
            other => return Err(format!("a rule has the type `{other}`")),
        };
        let stmts = &ctx.stmts;
        Ok(if conditions.is_empty() {
            (quote!(#(#stmts)* #body), true)
        } else {
            (quote!(#label: { #(#stmts)* #body }), false)
        })
    }

    /// A condition: its call, a `break` when it is unset or `false`, and
    /// its assignment.
    fn condition(&mut self, condition: &Value, ctx: &mut Ctx) -> Compile<()> {
        let object = condition
            .as_object()
            .ok_or("a condition is not an object")?;
        // `isSet(ref)` on its own: unwrapped once, so that the rest of the
        // rule reads the value without another test.
        if object.get("fn").and_then(Value::as_str) == Some("isSet")
            && !object.contains_key("assign")
        {
            let argv = object.get("argv").and_then(Value::as_array);
            if let Some([Value::Object(arg)]) = argv.map(Vec::as_slice) {
                if let (Some(Value::String(name)), 1) = (arg.get("ref"), arg.len()) {
                    self.reference(name, ctx)?;
                    return Ok(());
                }
            }
        }
        let (tokens, ty) = self.call(object, ctx)?;
        let fail = &ctx.fail;
        let assign = match object.get("assign") {
            Some(Value::String(name)) => Some(name.clone()),
            None => None,
            Some(_) => return Err("`assign` is not a string".into()),
        };
        let tokens = if ty == Ty::Bool && assign.is_none() {
            ctx.stmts.push(quote!(if !#tokens { #fail; }));
            tokens
        } else if ty == Ty::Bool {
            let ident = self.temp();
            ctx.stmts.push(quote! {
                let #ident = #tokens;
                if !#ident { #fail; }
            });
            ident.into_token_stream()
        } else {
            // Non-boolean values are set by now (unset ones broke out).
            tokens
        };
        if let Some(name) = assign {
            ctx.scope.insert(
                name,
                Var {
                    tokens,
                    ty,
                    optional: false,
                },
            );
        }
        Ok(())
    }

    /// An expression in its borrowed form; every unset value on the way
    /// runs `ctx.fail`, as unset propagates to the condition in the rules
    /// language (`isSet` aside).
    fn expr(&mut self, value: &Value, ctx: &mut Ctx) -> Compile<(TokenStream, Ty)> {
        match value {
            Value::String(text) => Ok((self.template(text, ctx)?, Ty::Str)),
            Value::Bool(b) => Ok((quote!(#b), Ty::Bool)),
            Value::Number(n) => {
                let n = n.as_i64().ok_or_else(|| format!("{n} is not an integer"))?;
                Ok((quote!(#n), Ty::Int))
            }
            Value::Object(object) if object.contains_key("ref") => {
                let name = object
                    .get("ref")
                    .and_then(Value::as_str)
                    .ok_or("`ref` is not a string")?;
                self.reference(name, ctx)
            }
            Value::Object(object) if object.contains_key("fn") => self.call(object, ctx),
            other => Err(format!("{other} is not a value a function takes")),
        }
    }

    /// `{"ref": name}`: an optional parameter is unwrapped once, and the
    /// rest of the rule reads the unwrapped local.
    fn reference(&mut self, name: &str, ctx: &mut Ctx) -> Compile<(TokenStream, Ty)> {
        let var = ctx
            .scope
            .get(name)
            .cloned()
            .ok_or_else(|| format!("`{name}` is neither a parameter nor assigned before"))?;
        if !var.optional {
            return Ok((var.tokens, var.ty));
        }
        let ident = self.temp();
        let (tokens, fail) = (&var.tokens, &ctx.fail);
        ctx.stmts
            .push(quote!(let Some(#ident) = #tokens else { #fail; };));
        let unwrapped = Var {
            tokens: ident.into_token_stream(),
            ty: var.ty,
            optional: false,
        };
        ctx.scope.insert(name.to_string(), unwrapped.clone());
        Ok((unwrapped.tokens, unwrapped.ty))
    }

    fn call(&mut self, object: &Map<String, Value>, ctx: &mut Ctx) -> Compile<(TokenStream, Ty)> {
        let name = object
            .get("fn")
            .and_then(Value::as_str)
            .ok_or("a call has no `fn`")?;
        let argv: &[Value] = object
            .get("argv")
            .and_then(Value::as_array)
            .map(Vec::as_slice)
            .ok_or_else(|| format!("`{name}` has no `argv`"))?;
        let arity = match name {
            "isSet" | "not" | "uriEncode" | "parseURL" | "aws.partition" | "aws.parseArn" => 1,
            "booleanEquals" | "stringEquals" | "getAttr" | "isValidHostLabel" => 2,
            "aws.isVirtualHostableS3Bucket" => 2,
            "substring" => 4,
            other => return Err(format!("the function `{other}`")),
        };
        if argv.len() != arity {
            return Err(format!("`{name}` with {} arguments", argv.len()));
        }
        if name == "isSet" {
            return self.is_set(argv.first().unwrap_or(&Value::Null), ctx);
        }
        if name == "getAttr" {
            let (base, ty) = self.expr(argv.first().unwrap_or(&Value::Null), ctx)?;
            let path = argv
                .get(1)
                .and_then(Value::as_str)
                .ok_or("the path of `getAttr` is not a string")?;
            return self.get_attr(base, ty, path, ctx);
        }
        let mut args = Vec::with_capacity(arity);
        for arg in argv {
            args.push(self.expr(arg, ctx)?);
        }
        let arg = |i: usize, want: Ty| match args.get(i) {
            Some((tokens, ty)) if *ty == want => Ok(tokens.clone()),
            got => Err(format!(
                "argument {} of `{name}` is {:?}, not {want:?}",
                i + 1,
                got.map(|(_, ty)| ty)
            )),
        };
        Ok(match name {
            "not" => {
                let a = arg(0, Ty::Bool)?;
                (quote!((!#a)), Ty::Bool)
            }
            "booleanEquals" => {
                let (a, b) = (arg(0, Ty::Bool)?, arg(1, Ty::Bool)?);
                // Against a literal (nearly always): the value or its negation.
                let literal = |v: &Value| v.as_bool();
                match (
                    argv.first().and_then(literal),
                    argv.get(1).and_then(literal),
                ) {
                    (_, Some(true)) => (a, Ty::Bool),
                    (Some(true), _) => (b, Ty::Bool),
                    (_, Some(false)) => (quote!((!#a)), Ty::Bool),
                    (Some(false), _) => (quote!((!#b)), Ty::Bool),
                    _ => (quote!((#a == #b)), Ty::Bool),
                }
            }
            "stringEquals" => {
                let (a, b) = (arg(0, Ty::Str)?, arg(1, Ty::Str)?);
                (quote!((#a == #b)), Ty::Bool)
            }
            "isValidHostLabel" | "aws.isVirtualHostableS3Bucket" => {
                let f = if name == "isValidHostLabel" {
                    quote!(is_valid_host_label)
                } else {
                    quote!(is_virtual_hostable_s3_bucket)
                };
                let (a, b) = (arg(0, Ty::Str)?, arg(1, Ty::Bool)?);
                (quote!(__e::#f(#a, #b)), Ty::Bool)
            }
            "uriEncode" => {
                let (a, t) = (arg(0, Ty::Str)?, self.temp());
                ctx.stmts.push(quote!(let #t = __e::uri_encode(#a);));
                (quote!(#t.as_str()), Ty::Str)
            }
            "substring" => {
                let (s, start) = (arg(0, Ty::Str)?, arg(1, Ty::Int)?);
                let (stop, reverse) = (arg(2, Ty::Int)?, arg(3, Ty::Bool)?);
                let t = self.fallible(quote!(__e::substring(#s, #start, #stop, #reverse)), ctx);
                (quote!(#t.as_str()), Ty::Str)
            }
            "parseURL" => {
                let a = arg(0, Ty::Str)?;
                let t = self.fallible(quote!(__e::parse_url(#a)), ctx);
                (quote!((&#t)), Ty::Url)
            }
            "aws.partition" => {
                let a = arg(0, Ty::Str)?;
                let t = self.fallible(quote!(__e::partition(#a)), ctx);
                (quote!(#t), Ty::Partition)
            }
            "aws.parseArn" => {
                let a = arg(0, Ty::Str)?;
                let t = self.fallible(quote!(__e::parse_arn(#a)), ctx);
                (quote!((&#t)), Ty::Arn)
            }
            other => return Err(format!("the function `{other}`")),
        })
    }

    /// `let Some(tN) = call else { fail };`.
    fn fallible(&mut self, call: TokenStream, ctx: &mut Ctx) -> Ident {
        let t = self.temp();
        let fail = &ctx.fail;
        ctx.stmts
            .push(quote!(let Some(#t) = #call else { #fail; };));
        t
    }

    /// `isSet(value)`: whether the value is set, without failing the
    /// condition when it is not.
    fn is_set(&mut self, value: &Value, ctx: &mut Ctx) -> Compile<(TokenStream, Ty)> {
        if let Some(name) = value.get("ref").and_then(Value::as_str) {
            let var = ctx
                .scope
                .get(name)
                .ok_or_else(|| format!("`{name}` is neither a parameter nor assigned before"))?;
            let tokens = &var.tokens;
            return Ok((
                if var.optional {
                    quote!(#tokens.is_some())
                } else {
                    quote!(true)
                },
                Ty::Bool,
            ));
        }
        // Anything else: evaluated in a closure whose `None` is "unset".
        let mut inner = Ctx {
            stmts: Vec::new(),
            fail: quote!(return None),
            scope: ctx.scope.clone(),
        };
        let (tokens, _) = self.expr(value, &mut inner)?;
        let stmts = &inner.stmts;
        Ok((
            quote!((|| { #(#stmts)* let _ = #tokens; Some(()) })().is_some()),
            Ty::Bool,
        ))
    }

    /// `getAttr(base, path)`: record fields by key, string array items by
    /// `[index]` (unset past the end).
    fn get_attr(
        &mut self,
        mut tokens: TokenStream,
        mut ty: Ty,
        path: &str,
        ctx: &mut Ctx,
    ) -> Compile<(TokenStream, Ty)> {
        for part in parse_path(path).ok_or_else(|| format!("the path `{path}`"))? {
            (tokens, ty) = match (part, ty) {
                (PathPart::Index(i), Ty::StrArray) => {
                    let t = self.fallible(quote!(__e::index(#tokens, #i)), ctx);
                    (t.into_token_stream(), Ty::Str)
                }
                (PathPart::Key(key), record) => {
                    let (field, field_ty) = record_field(record, &key)
                        .ok_or_else(|| format!("the attribute `{key}` of {record:?}"))?;
                    let field = format_ident!("{field}");
                    match field_ty {
                        Ty::Str if record != Ty::Partition => {
                            (quote!(#tokens.#field.as_str()), Ty::Str)
                        }
                        Ty::StrArray => (quote!(#tokens.#field.as_slice()), Ty::StrArray),
                        _ => (quote!(#tokens.#field), field_ty),
                    }
                }
                (part, ty) => return Err(format!("the path part {part:?} of {ty:?}")),
            };
        }
        Ok((tokens, ty))
    }

    /// A string template in its borrowed form: a literal as it is, else the
    /// parts joined into a local.
    fn template(&mut self, text: &str, ctx: &mut Ctx) -> Compile<TokenStream> {
        let parts = self.template_parts(text, ctx)?;
        if let [single] = parts.as_slice() {
            return Ok(single.clone());
        }
        let t = self.temp();
        ctx.stmts.push(quote!(let #t = [#(#parts),*].concat();));
        Ok(quote!(#t.as_str()))
    }

    /// Each part of a template as a `&str`.
    fn template_parts(&mut self, text: &str, ctx: &mut Ctx) -> Compile<Vec<TokenStream>> {
        let mut parts = Vec::new();
        for part in parse_template(text).ok_or_else(|| format!("the template `{text}`"))? {
            parts.push(match part {
                TemplatePart::Literal(text) => quote!(#text),
                TemplatePart::Ref(name) => {
                    let (tokens, ty) = self.reference(&name, ctx)?;
                    if ty != Ty::Str {
                        return Err(format!("the template `{text}` refers to {ty:?}"));
                    }
                    tokens
                }
                TemplatePart::Attr(name, path) => {
                    let (base, ty) = self.reference(&name, ctx)?;
                    let (tokens, ty) = self.get_attr(base, ty, &path, ctx)?;
                    if ty != Ty::Str {
                        return Err(format!("the template `{text}` refers to {ty:?}"));
                    }
                    tokens
                }
            });
        }
        Ok(parts)
    }

    /// A value that must be a string (URL, header, error message), as an
    /// `impl Into<String>`: a template's parts are joined in place, without
    /// a copy.
    fn string(&mut self, value: &Value, ctx: &mut Ctx) -> Compile<TokenStream> {
        if let Value::String(text) = value {
            let parts = self.template_parts(text, ctx)?;
            return Ok(match parts.as_slice() {
                [single] => single.clone(),
                _ => quote!([#(#parts),*].concat()),
            });
        }
        match self.expr(value, ctx)? {
            (tokens, Ty::Str) => Ok(tokens),
            (_, ty) => Err(format!("{value} is {ty:?}, not a string")),
        }
    }

    /// `return Ok(Endpoint::new(url).with_header(…).with_property(…));`.
    fn endpoint(&mut self, endpoint: &Value, ctx: &mut Ctx) -> Compile<TokenStream> {
        let object = endpoint.as_object().ok_or("an endpoint is not an object")?;
        let url = self.string(object.get("url").ok_or("an endpoint has no `url`")?, ctx)?;
        let mut calls = Vec::new();
        if let Some(headers) = object.get("headers") {
            let headers = headers.as_object().ok_or("`headers` is not an object")?;
            for (name, values) in headers {
                for value in values.as_array().ok_or("a header is not an array")? {
                    let value = self.string(value, ctx)?;
                    calls.push(quote!(.with_header(#name, #value)));
                }
            }
        }
        if let Some(properties) = object.get("properties") {
            let properties = properties
                .as_object()
                .ok_or("`properties` is not an object")?;
            for (name, value) in properties {
                let value = self.document(value, 0, ctx)?;
                calls.push(quote!(.with_property(#name, #value)));
            }
        }
        Ok(quote!(return Ok(__e::Endpoint::new(#url) #(#calls)*);))
    }

    /// A property value as a `Document`.
    fn document(&mut self, value: &Value, depth: usize, ctx: &mut Ctx) -> Compile<TokenStream> {
        if depth > MAX_DEPTH {
            return Err(format!("a property nested deeper than {MAX_DEPTH}"));
        }
        Ok(match value {
            Value::Array(items) => {
                let items = items
                    .iter()
                    .map(|item| self.document(item, depth + 1, ctx))
                    .collect::<Compile<Vec<_>>>()?;
                quote!(__e::Document::Array(::std::vec![#(#items),*]))
            }
            Value::Object(object) if !object.contains_key("ref") && !object.contains_key("fn") => {
                let fields = object
                    .iter()
                    .map(|(key, value)| {
                        let value = self.document(value, depth + 1, ctx)?;
                        Ok(quote!((#key, #value)))
                    })
                    .collect::<Compile<Vec<_>>>()?;
                quote!(__e::object([#(#fields),*]))
            }
            Value::Number(n) => {
                let n = n.as_i64().ok_or_else(|| format!("{n} is not an integer"))? as f64;
                quote!(__e::Document::Number(#n))
            }
            Value::String(_) => {
                let value = self.string(value, ctx)?;
                quote!(__e::string(#value))
            }
            value => match self.expr(value, ctx)? {
                (tokens, Ty::Str) => quote!(__e::string(#tokens)),
                (tokens, Ty::Bool) => quote!(__e::Document::Bool(#tokens)),
                (tokens, Ty::StrArray) => quote!(__e::strings(#tokens)),
                (_, ty) => return Err(format!("a property of type {ty:?}")),
            },
        })
    }
}

/// The field of a record and its type, by the attribute name the rules
/// language gives it.
fn record_field(record: Ty, key: &str) -> Option<(&'static str, Ty)> {
    Some(match (record, key) {
        (Ty::Url, "scheme") => ("scheme", Ty::Str),
        (Ty::Url, "authority") => ("authority", Ty::Str),
        (Ty::Url, "path") => ("path", Ty::Str),
        (Ty::Url, "normalizedPath") => ("normalized_path", Ty::Str),
        (Ty::Url, "isIp") => ("is_ip", Ty::Bool),
        (Ty::Partition, "name") => ("name", Ty::Str),
        (Ty::Partition, "dnsSuffix") => ("dns_suffix", Ty::Str),
        (Ty::Partition, "dualStackDnsSuffix") => ("dual_stack_dns_suffix", Ty::Str),
        (Ty::Partition, "supportsFIPS") => ("supports_fips", Ty::Bool),
        (Ty::Partition, "supportsDualStack") => ("supports_dual_stack", Ty::Bool),
        (Ty::Partition, "implicitGlobalRegion") => ("implicit_global_region", Ty::Str),
        (Ty::Arn, "partition") => ("partition", Ty::Str),
        (Ty::Arn, "service") => ("service", Ty::Str),
        (Ty::Arn, "region") => ("region", Ty::Str),
        (Ty::Arn, "accountId") => ("account_id", Ty::Str),
        (Ty::Arn, "resourceId") => ("resource_id", Ty::StrArray),
        _ => return None,
    })
}

/// The label of the rule blocks at `depth` (distinct from the enclosing
/// ones, the same for siblings).
fn label(depth: usize) -> TokenStream {
    let mut tokens = TokenStream::new();
    tokens.extend([proc_macro2::TokenTree::Punct(Punct::new(
        '\'',
        Spacing::Joint,
    ))]);
    tokens.extend([proc_macro2::TokenTree::Ident(Ident::new(
        &format!("r{depth}"),
        Span::call_site(),
    ))]);
    tokens
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum TemplatePart {
    Literal(String),
    Ref(String),
    /// `{name#path}`.
    Attr(String, String),
}

/// The parts of a template, as the runtime's `parse_template` splits it:
/// `{name}`, `{name#path}`, and `{{`/`}}` for literal braces.
fn parse_template(text: &str) -> Option<Vec<TemplatePart>> {
    let mut parts = Vec::new();
    let mut literal = String::new();
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        rest = rest.get(c.len_utf8()..)?;
        match c {
            '{' if rest.starts_with('{') => {
                rest = rest.get(1..)?;
                literal.push('{');
            }
            '}' if rest.starts_with('}') => {
                rest = rest.get(1..)?;
                literal.push('}');
            }
            '{' => {
                let close = rest.find('}')?;
                let inner = rest.get(..close)?;
                rest = rest.get(close + 1..)?;
                if !literal.is_empty() {
                    parts.push(TemplatePart::Literal(std::mem::take(&mut literal)));
                }
                parts.push(match inner.split_once('#') {
                    Some((name, path)) => TemplatePart::Attr(name.to_string(), path.to_string()),
                    None if !inner.is_empty() => TemplatePart::Ref(inner.to_string()),
                    None => return None,
                });
            }
            '}' => return None,
            c => literal.push(c),
        }
    }
    if !literal.is_empty() || parts.is_empty() {
        parts.push(TemplatePart::Literal(literal));
    }
    Some(parts)
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum PathPart {
    Key(String),
    Index(usize),
}

/// `a.b[2]`, `resourceId[0]`, `[0]`, as the runtime's `parse_path` reads it.
fn parse_path(text: &str) -> Option<Vec<PathPart>> {
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
