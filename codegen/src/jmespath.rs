//! The JMESPath of waiter acceptors, translated into Rust at expansion
//! time: [`parse`] the expression, [`check`] it against the IR (every field
//! resolved, every value typed), then [`to_tokens`] writes the Rust that
//! reads it from the generated structs. No JMESPath engine runs at run
//! time.
//!
//! The subset is what real waiters use: field paths (`a.b.c`), projections
//! (`a[].b`), flattening (`[]`), filters (`a[?b == 'x']`), `length`,
//! `contains`, comparisons with literals, `&&`, `||` and `!`. An
//! `inputOutput` matcher reads the virtual object `{input, output}`.
//!
//! Every value is an `Option` in the generated code: JMESPath's `null` is
//! `None`. Strings are `&str` (enums by their wire string), numbers `f64`,
//! structures `&S`, lists a `Vec` of their non-null elements (projections
//! drop nulls, as JMESPath does).

use crate::ir::{NamedKind, StructureIr, TypeIr, TypeRef};
use proc_macro2::{Ident, Literal, TokenStream};
use quote::quote;
use serde_json::Value;

/// A parsed expression.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Ast {
    /// `@`, or the value a projection or filter is applied to.
    Current,
    Field(Box<Ast>, String),
    /// `x[]`: a list of lists made one list.
    Flatten(Box<Ast>),
    /// `x[?cond]`.
    Filter(Box<Ast>, Box<Ast>),
    /// The right side applied to each element of the left (a list).
    Project(Box<Ast>, Box<Ast>),
    Literal(Value),
    Compare(CompareOp, Box<Ast>, Box<Ast>),
    And(Box<Ast>, Box<Ast>),
    Or(Box<Ast>, Box<Ast>),
    Not(Box<Ast>),
    Function(String, Vec<Ast>),
}

/// A comparison operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CompareOp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Ident(String),
    Literal(Value),
    Dot,
    Flatten,
    FilterStart,
    Close,
    LParen,
    RParen,
    Comma,
    At,
    Compare(CompareOp),
    And,
    Or,
    Not,
}

fn lex(src: &str) -> Result<Vec<Token>, String> {
    let chars: Vec<char> = src.chars().collect();
    let mut tokens = Vec::new();
    let mut i = 0;
    let peek = |i: usize| chars.get(i).copied();
    while let Some(c) = peek(i) {
        i += 1;
        let token = match c {
            ' ' | '\t' | '\n' | '\r' => continue,
            '.' => Token::Dot,
            '@' => Token::At,
            ',' => Token::Comma,
            '(' => Token::LParen,
            ')' => Token::RParen,
            ']' => Token::Close,
            '[' => match peek(i) {
                Some(']') => {
                    i += 1;
                    Token::Flatten
                }
                Some('?') => {
                    i += 1;
                    Token::FilterStart
                }
                _ => return Err("indexes, slices and wildcards are not supported".into()),
            },
            '=' if peek(i) == Some('=') => {
                i += 1;
                Token::Compare(CompareOp::Eq)
            }
            '!' if peek(i) == Some('=') => {
                i += 1;
                Token::Compare(CompareOp::Ne)
            }
            '!' => Token::Not,
            '<' | '>' => {
                let or_equal = peek(i) == Some('=');
                if or_equal {
                    i += 1;
                }
                Token::Compare(match (c, or_equal) {
                    ('<', false) => CompareOp::Lt,
                    ('<', true) => CompareOp::Le,
                    ('>', false) => CompareOp::Gt,
                    _ => CompareOp::Ge,
                })
            }
            '&' if peek(i) == Some('&') => {
                i += 1;
                Token::And
            }
            '|' if peek(i) == Some('|') => {
                i += 1;
                Token::Or
            }
            '\'' | '`' | '"' => {
                let start = i;
                while peek(i).is_some_and(|d| d != c) {
                    // A backslash escapes the quote.
                    i += if peek(i) == Some('\\') { 2 } else { 1 };
                }
                if peek(i) != Some(c) {
                    return Err(format!("unterminated {c}"));
                }
                let text: String = chars.get(start..i).unwrap_or_default().iter().collect();
                i += 1;
                match c {
                    '\'' => Token::Literal(Value::String(text.replace("\\'", "'"))),
                    '`' => Token::Literal(
                        serde_json::from_str(text.trim())
                            .map_err(|_| format!("invalid JSON literal `{text}`"))?,
                    ),
                    _ => Token::Ident(
                        serde_json::from_str(&format!("\"{text}\""))
                            .map_err(|_| format!("invalid quoted identifier \"{text}\""))?,
                    ),
                }
            }
            c if c.is_ascii_alphabetic() || c == '_' => {
                let start = i - 1;
                while peek(i).is_some_and(|d| d.is_ascii_alphanumeric() || d == '_') {
                    i += 1;
                }
                Token::Ident(chars.get(start..i).unwrap_or_default().iter().collect())
            }
            other => return Err(format!("unexpected `{other}`")),
        };
        tokens.push(token);
    }
    Ok(tokens)
}

/// Parses an expression of the supported subset.
pub(crate) fn parse(src: &str) -> Result<Ast, String> {
    let tokens = lex(src)?;
    let mut parser = Parser { tokens, at: 0 };
    let ast = parser.or()?;
    match parser.tokens.get(parser.at) {
        None => Ok(ast),
        Some(t) => Err(format!("unexpected {t:?}")),
    }
}

struct Parser {
    tokens: Vec<Token>,
    at: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.at)
    }

    fn next(&mut self) -> Option<Token> {
        let t = self.tokens.get(self.at).cloned();
        self.at += 1;
        t
    }

    fn expect(&mut self, token: Token) -> Result<(), String> {
        match self.next() {
            Some(t) if t == token => Ok(()),
            other => Err(format!("expected {token:?}, found {other:?}")),
        }
    }

    fn or(&mut self) -> Result<Ast, String> {
        let mut left = self.and()?;
        while self.peek() == Some(&Token::Or) {
            self.at += 1;
            left = Ast::Or(Box::new(left), Box::new(self.and()?));
        }
        Ok(left)
    }

    fn and(&mut self) -> Result<Ast, String> {
        let mut left = self.not()?;
        while self.peek() == Some(&Token::And) {
            self.at += 1;
            left = Ast::And(Box::new(left), Box::new(self.not()?));
        }
        Ok(left)
    }

    fn not(&mut self) -> Result<Ast, String> {
        if self.peek() == Some(&Token::Not) {
            self.at += 1;
            return Ok(Ast::Not(Box::new(self.not()?)));
        }
        self.compare()
    }

    fn compare(&mut self) -> Result<Ast, String> {
        let left = self.postfix()?;
        if let Some(Token::Compare(op)) = self.peek() {
            let op = *op;
            self.at += 1;
            let right = self.postfix()?;
            return Ok(Ast::Compare(op, Box::new(left), Box::new(right)));
        }
        Ok(left)
    }

    /// A primary expression and its `.field`, `[]` and `[?…]` steps. After
    /// `[]` or a filter the following steps apply to each element (a
    /// projection); a further `[]` flattens the projection's result.
    fn postfix(&mut self) -> Result<Ast, String> {
        let mut base = self.primary()?;
        // The steps applied to each element, while projecting.
        let mut each: Option<Ast> = None;
        loop {
            match self.peek() {
                Some(Token::Dot) => {
                    self.at += 1;
                    let Some(Token::Ident(name)) = self.next() else {
                        return Err("expected a field name after `.`".into());
                    };
                    match &mut each {
                        Some(e) => *e = Ast::Field(Box::new(e.clone()), name),
                        None => base = Ast::Field(Box::new(base), name),
                    }
                }
                Some(Token::Flatten) => {
                    self.at += 1;
                    base = Ast::Flatten(Box::new(project(base, each.take())));
                    each = Some(Ast::Current);
                }
                Some(Token::FilterStart) => {
                    self.at += 1;
                    let cond = self.or()?;
                    self.expect(Token::Close)?;
                    base = Ast::Filter(Box::new(project(base, each.take())), Box::new(cond));
                    each = Some(Ast::Current);
                }
                _ => return Ok(project(base, each)),
            }
        }
    }

    fn primary(&mut self) -> Result<Ast, String> {
        match self.next() {
            Some(Token::At) => Ok(Ast::Current),
            Some(Token::Literal(v)) => Ok(Ast::Literal(v)),
            Some(Token::LParen) => {
                let inner = self.or()?;
                self.expect(Token::RParen)?;
                Ok(inner)
            }
            Some(Token::Ident(name)) if self.peek() == Some(&Token::LParen) => {
                self.at += 1;
                let mut args = Vec::new();
                if self.peek() != Some(&Token::RParen) {
                    loop {
                        args.push(self.or()?);
                        if self.peek() != Some(&Token::Comma) {
                            break;
                        }
                        self.at += 1;
                    }
                }
                self.expect(Token::RParen)?;
                Ok(Ast::Function(name, args))
            }
            Some(Token::Ident(name)) => Ok(Ast::Field(Box::new(Ast::Current), name)),
            // `[]` with nothing before it flattens the current value.
            Some(Token::Flatten) => Ok(Ast::Flatten(Box::new(Ast::Current))),
            other => Err(format!("unexpected {other:?}")),
        }
    }
}

/// `base` with `each` applied to its elements, when projecting.
fn project(base: Ast, each: Option<Ast>) -> Ast {
    match each {
        None | Some(Ast::Current) => base,
        Some(each) => Ast::Project(Box::new(base), Box::new(each)),
    }
}

/// The static type of a value.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Ty {
    Str,
    Bool,
    Num,
    /// A generated structure.
    Struct(Ident),
    List(Box<Ty>),
    /// The `{input, output}` object of an `inputOutput` matcher, of these
    /// structures.
    InputOutput {
        input: Ident,
        output: Ident,
    },
}

impl Ty {
    fn describe(&self) -> String {
        match self {
            Ty::Str => "a string".into(),
            Ty::Bool => "a boolean".into(),
            Ty::Num => "a number".into(),
            Ty::Struct(s) => format!("the structure `{s}`"),
            Ty::List(t) => format!("a list of {}", t.describe()),
            Ty::InputOutput { .. } => "the input and output".into(),
        }
    }

    /// Elements of this type can be copied into a filter's scope.
    fn is_copy(&self) -> bool {
        !matches!(self, Ty::List(_))
    }
}

/// A checked expression: every field resolved, every value typed.
#[derive(Debug, Clone)]
pub(crate) enum Typed {
    Current,
    /// `input` or `output` of the `{input, output}` object.
    Root(Ident),
    Field {
        of: Box<Typed>,
        ident: Ident,
        optional: bool,
        ty: TypeRef,
    },
    Flatten(Box<Typed>, bool),
    Filter(Box<Typed>, Box<Typed>, Ty),
    Project(Box<Typed>, Box<Typed>),
    Str(String),
    Bool(bool),
    Num(f64),
    Compare(CompareOp, Box<Typed>, Box<Typed>),
    And(Box<Typed>, Ty, Box<Typed>, Ty),
    Or(Box<Typed>, Ty, Box<Typed>, Ty),
    Not(Box<Typed>, Ty),
    Length(Box<Typed>, Ty),
    Contains(Box<Typed>, Ty, Box<Typed>),
}

/// Types `ast` against the generated structures, the current value being
/// of type `root`.
pub(crate) fn check(ast: &Ast, root: &Ty, types: &[TypeIr]) -> Result<(Typed, Ty), String> {
    Checker { types }.check(ast, root)
}

struct Checker<'a> {
    types: &'a [TypeIr],
}

impl Checker<'_> {
    fn structure(&self, ident: &Ident) -> Option<&StructureIr> {
        self.types.iter().find_map(|t| match t {
            TypeIr::Structure(s) if &s.ident == ident => Some(s),
            _ => None,
        })
    }

    /// The type a member of Rust type `ty` has in an expression.
    fn value_type(&self, ty: &TypeRef) -> Result<Ty, String> {
        Ok(match ty {
            TypeRef::String { .. } => Ty::Str,
            TypeRef::Boolean => Ty::Bool,
            TypeRef::Byte
            | TypeRef::Short
            | TypeRef::Integer
            | TypeRef::Long
            | TypeRef::Float
            | TypeRef::Double => Ty::Num,
            TypeRef::Named { ident, kind, .. } => match kind {
                NamedKind::Enum => Ty::Str,
                NamedKind::Structure => Ty::Struct(ident.clone()),
                _ => return Err(format!("`{ident}` (an intEnum or union) cannot be read")),
            },
            TypeRef::List { item, .. } => Ty::List(Box::new(self.value_type(item)?)),
            other => return Err(format!("a member of type {other:?} cannot be read")),
        })
    }

    fn check(&self, ast: &Ast, current: &Ty) -> Result<(Typed, Ty), String> {
        Ok(match ast {
            Ast::Current => (Typed::Current, current.clone()),
            Ast::Field(of, name) => {
                let (of, of_ty) = self.check(of, current)?;
                match &of_ty {
                    Ty::InputOutput { input, output } => match name.as_str() {
                        "input" => (Typed::Root(ident("input")), Ty::Struct(input.clone())),
                        "output" => (Typed::Root(ident("output")), Ty::Struct(output.clone())),
                        _ => return Err(format!("`{name}` is neither `input` nor `output`")),
                    },
                    Ty::Struct(s) => {
                        let structure = self
                            .structure(s)
                            .ok_or_else(|| format!("`{s}` is not a generated structure"))?;
                        let field = structure
                            .fields
                            .iter()
                            .find(|f| f.name == *name)
                            .ok_or_else(|| {
                                format!("`{}` has no member `{name}`", structure.name())
                            })?;
                        let ty = self.value_type(&field.ty)?;
                        (
                            Typed::Field {
                                of: Box::new(of),
                                ident: field.ident.clone(),
                                optional: field.optional,
                                ty: field.ty.clone(),
                            },
                            ty,
                        )
                    }
                    other => return Err(format!("`{name}` is read from {}", other.describe())),
                }
            }
            Ast::Flatten(list) => {
                let (list, ty) = self.check(list, current)?;
                match ty {
                    Ty::List(item) => match *item {
                        Ty::List(inner) => (Typed::Flatten(Box::new(list), true), Ty::List(inner)),
                        item => (
                            Typed::Flatten(Box::new(list), false),
                            Ty::List(Box::new(item)),
                        ),
                    },
                    other => return Err(format!("`[]` is applied to {}", other.describe())),
                }
            }
            Ast::Filter(list, cond) => {
                let (list, ty) = self.check(list, current)?;
                let Ty::List(item) = ty else {
                    return Err(format!("a filter is applied to {}", ty.describe()));
                };
                if !item.is_copy() {
                    return Err("a filter over a list of lists is not supported".into());
                }
                let (cond, cond_ty) = self.check(cond, &item)?;
                (
                    Typed::Filter(Box::new(list), Box::new(cond), cond_ty),
                    Ty::List(item),
                )
            }
            Ast::Project(list, each) => {
                let (list, ty) = self.check(list, current)?;
                let Ty::List(item) = ty else {
                    return Err(format!("a projection is applied to {}", ty.describe()));
                };
                let (each, each_ty) = self.check(each, &item)?;
                (
                    Typed::Project(Box::new(list), Box::new(each)),
                    Ty::List(Box::new(each_ty)),
                )
            }
            Ast::Literal(value) => match value {
                Value::String(s) => (Typed::Str(s.clone()), Ty::Str),
                Value::Bool(b) => (Typed::Bool(*b), Ty::Bool),
                Value::Number(n) => (Typed::Num(n.as_f64().unwrap_or_default()), Ty::Num),
                other => return Err(format!("the literal `{other}` is not supported")),
            },
            Ast::Compare(op, left, right) => {
                let (left, left_ty) = self.check(left, current)?;
                let (right, right_ty) = self.check(right, current)?;
                let comparable = match op {
                    CompareOp::Eq | CompareOp::Ne => {
                        matches!(left_ty, Ty::Str | Ty::Bool | Ty::Num)
                    }
                    _ => left_ty == Ty::Num,
                };
                if !comparable || left_ty != right_ty {
                    return Err(format!(
                        "{} and {} cannot be compared with {op:?}",
                        left_ty.describe(),
                        right_ty.describe()
                    ));
                }
                (
                    Typed::Compare(*op, Box::new(left), Box::new(right)),
                    Ty::Bool,
                )
            }
            Ast::And(left, right) | Ast::Or(left, right) => {
                let (l, lt) = self.check(left, current)?;
                let (r, rt) = self.check(right, current)?;
                let (l, r) = (Box::new(l), Box::new(r));
                let typed = match ast {
                    Ast::And(..) => Typed::And(l, lt, r, rt),
                    _ => Typed::Or(l, lt, r, rt),
                };
                (typed, Ty::Bool)
            }
            Ast::Not(inner) => {
                let (inner, ty) = self.check(inner, current)?;
                (Typed::Not(Box::new(inner), ty), Ty::Bool)
            }
            Ast::Function(name, args) => match (name.as_str(), args.as_slice()) {
                ("length", [arg]) => {
                    let (arg, ty) = self.check(arg, current)?;
                    if !matches!(ty, Ty::Str | Ty::List(_)) {
                        return Err(format!("`length` of {}", ty.describe()));
                    }
                    (Typed::Length(Box::new(arg), ty), Ty::Num)
                }
                ("contains", [haystack, needle]) => {
                    let (haystack, hay_ty) = self.check(haystack, current)?;
                    let (needle, needle_ty) = self.check(needle, current)?;
                    let fits = match &hay_ty {
                        Ty::Str => needle_ty == Ty::Str,
                        Ty::List(item) => {
                            **item == needle_ty && matches!(needle_ty, Ty::Str | Ty::Bool | Ty::Num)
                        }
                        _ => false,
                    };
                    if !fits {
                        return Err(format!(
                            "`contains` of {} in {}",
                            needle_ty.describe(),
                            hay_ty.describe()
                        ));
                    }
                    (
                        Typed::Contains(Box::new(haystack), hay_ty, Box::new(needle)),
                        Ty::Bool,
                    )
                }
                _ => {
                    return Err(format!(
                        "the function `{name}` with {} arguments is not supported",
                        args.len()
                    ))
                }
            },
        })
    }
}

/// The Rust expression of `typed`: an `Option` of its value, reading the
/// current value from `cur` and the roots from `input` and `output`.
pub(crate) fn to_tokens(typed: &Typed) -> TokenStream {
    match typed {
        Typed::Current => quote!(cur),
        Typed::Root(ident) => quote!(::core::option::Option::Some(#ident)),
        Typed::Field {
            of,
            ident,
            optional,
            ty,
        } => {
            let of = to_tokens(of);
            let place = if *optional {
                quote!(#of.and_then(|v| v.#ident.as_ref()))
            } else {
                quote!(#of.map(|v| &v.#ident))
            };
            let convert = convert(ty);
            quote!(#place.and_then(|x| #convert))
        }
        Typed::Flatten(list, nested) => {
            let list = to_tokens(list);
            if *nested {
                quote!(#list.map(|l| l.into_iter().flatten().collect::<::std::vec::Vec<_>>()))
            } else {
                list
            }
        }
        Typed::Filter(list, cond, cond_ty) => {
            let list = to_tokens(list);
            let cond = truthy(&to_tokens(cond), cond_ty);
            quote!(#list.map(|l| l.into_iter().filter(|cur| {
                let cur = ::core::option::Option::Some(*cur);
                #cond
            }).collect::<::std::vec::Vec<_>>()))
        }
        Typed::Project(list, each) => {
            let list = to_tokens(list);
            let each = to_tokens(each);
            quote!(#list.map(|l| l.into_iter().filter_map(|cur| {
                let cur = ::core::option::Option::Some(cur);
                #each
            }).collect::<::std::vec::Vec<_>>()))
        }
        Typed::Str(s) => quote!(::core::option::Option::Some(#s)),
        Typed::Bool(b) => quote!(::core::option::Option::Some(#b)),
        Typed::Num(n) => {
            let n = Literal::f64_suffixed(*n);
            quote!(::core::option::Option::Some(#n))
        }
        Typed::Compare(op, left, right) => {
            let (left, right) = (to_tokens(left), to_tokens(right));
            match op {
                CompareOp::Eq => quote!(::core::option::Option::Some(#left == #right)),
                CompareOp::Ne => quote!(::core::option::Option::Some(#left != #right)),
                _ => {
                    let op = match op {
                        CompareOp::Lt => quote!(<),
                        CompareOp::Le => quote!(<=),
                        CompareOp::Gt => quote!(>),
                        _ => quote!(>=),
                    };
                    // JMESPath orders numbers only; anything else is null.
                    // Parenthesized: a `match` opening a statement would
                    // end there.
                    quote!((match (#left, #right) {
                        (::core::option::Option::Some(a), ::core::option::Option::Some(b)) => ::core::option::Option::Some(a #op b),
                        _ => ::core::option::Option::None,
                    }))
                }
            }
        }
        Typed::And(l, lt, r, rt) => {
            let (l, r) = (truthy(&to_tokens(l), lt), truthy(&to_tokens(r), rt));
            quote!(::core::option::Option::Some(#l && #r))
        }
        Typed::Or(l, lt, r, rt) => {
            let (l, r) = (truthy(&to_tokens(l), lt), truthy(&to_tokens(r), rt));
            quote!(::core::option::Option::Some(#l || #r))
        }
        Typed::Not(inner, ty) => {
            let inner = truthy(&to_tokens(inner), ty);
            quote!(::core::option::Option::Some(!#inner))
        }
        Typed::Length(arg, ty) => {
            let arg = to_tokens(arg);
            match ty {
                Ty::Str => quote!(#arg.map(|s| s.chars().count() as f64)),
                _ => quote!(#arg.map(|l| l.len() as f64)),
            }
        }
        Typed::Contains(haystack, ty, needle) => {
            let (haystack, needle) = (to_tokens(haystack), to_tokens(needle));
            let found = match ty {
                Ty::Str => quote!(h.contains(n)),
                _ => quote!(h.contains(&n)),
            };
            quote!(::core::option::Option::Some(
                #haystack.is_some_and(|h| #needle.is_some_and(|n| #found))
            ))
        }
    }
}

/// The expression value `x: &T` of a member of type `ty`, as an `Option`.
fn convert(ty: &TypeRef) -> TokenStream {
    let some = quote!(::core::option::Option::Some);
    match ty {
        TypeRef::String { .. } => quote!(#some(x.as_str())),
        TypeRef::Named {
            kind: NamedKind::Enum,
            ..
        } => quote!(#some(x.as_str())),
        TypeRef::Named { boxed: true, .. } => quote!(#some(&**x)),
        TypeRef::Boolean => quote!(#some(*x)),
        TypeRef::List { item, sparse, .. } => {
            let item = convert(item);
            let each = if *sparse {
                quote!(|x| x.as_ref().and_then(|x| #item))
            } else {
                quote!(|x| #item)
            };
            quote!(#some(x.iter().filter_map(#each).collect::<::std::vec::Vec<_>>()))
        }
        TypeRef::Byte
        | TypeRef::Short
        | TypeRef::Integer
        | TypeRef::Long
        | TypeRef::Float
        | TypeRef::Double => quote!(#some(*x as f64)),
        _ => quote!(#some(x)),
    }
}

/// Whether the value `value` of type `ty` is truthy: JMESPath's false
/// values are null, `false`, and empty strings and lists.
pub(crate) fn truthy(value: &TokenStream, ty: &Ty) -> TokenStream {
    match ty {
        Ty::Bool => quote!(#value.unwrap_or(false)),
        Ty::Str => quote!(#value.is_some_and(|s| !s.is_empty())),
        Ty::List(_) => quote!(#value.is_some_and(|l| !l.is_empty())),
        _ => quote!(#value.is_some()),
    }
}

fn ident(name: &str) -> Ident {
    Ident::new(name, proc_macro2::Span::call_site())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(of: Ast, name: &str) -> Ast {
        Ast::Field(Box::new(of), name.into())
    }

    #[test]
    fn field_paths_parse_left_to_right() {
        assert_eq!(
            parse("a.b.c").unwrap(),
            field(field(field(Ast::Current, "a"), "b"), "c")
        );
    }

    #[test]
    fn steps_after_flatten_project_over_the_elements() {
        assert_eq!(
            parse("a[].b").unwrap(),
            Ast::Project(
                Box::new(Ast::Flatten(Box::new(field(Ast::Current, "a")))),
                Box::new(field(Ast::Current, "b"))
            )
        );
        // A second `[]` flattens the result of the first projection.
        assert_eq!(
            parse("a[].b[]").unwrap(),
            Ast::Flatten(Box::new(Ast::Project(
                Box::new(Ast::Flatten(Box::new(field(Ast::Current, "a")))),
                Box::new(field(Ast::Current, "b"))
            )))
        );
    }

    #[test]
    fn filters_take_a_condition_and_literals_of_each_kind() {
        let ast = parse("a[?b == 'x' || c != `3`].d").unwrap();
        let Ast::Project(filter, each) = ast else {
            panic!("{ast:?}")
        };
        assert_eq!(*each, field(Ast::Current, "d"));
        let Ast::Filter(list, cond) = *filter else {
            panic!()
        };
        assert_eq!(*list, field(Ast::Current, "a"));
        assert_eq!(
            *cond,
            Ast::Or(
                Box::new(Ast::Compare(
                    CompareOp::Eq,
                    Box::new(field(Ast::Current, "b")),
                    Box::new(Ast::Literal(Value::String("x".into())))
                )),
                Box::new(Ast::Compare(
                    CompareOp::Ne,
                    Box::new(field(Ast::Current, "c")),
                    Box::new(Ast::Literal(serde_json::json!(3)))
                ))
            )
        );
    }

    #[test]
    fn functions_not_and_precedence() {
        assert_eq!(
            parse("length(a) > `0` && !b").unwrap(),
            Ast::And(
                Box::new(Ast::Compare(
                    CompareOp::Gt,
                    Box::new(Ast::Function(
                        "length".into(),
                        vec![field(Ast::Current, "a")]
                    )),
                    Box::new(Ast::Literal(serde_json::json!(0)))
                )),
                Box::new(Ast::Not(Box::new(field(Ast::Current, "b"))))
            )
        );
        assert_eq!(
            parse("contains(a, 'x')").unwrap(),
            Ast::Function(
                "contains".into(),
                vec![
                    field(Ast::Current, "a"),
                    Ast::Literal(Value::String("x".into()))
                ]
            )
        );
        assert_eq!(parse("`true`").unwrap(), Ast::Literal(Value::Bool(true)));
    }

    #[test]
    fn unsupported_syntax_is_an_error() {
        assert!(parse("a[0]").unwrap_err().contains("indexes"));
        assert!(parse("a | b").unwrap_err().contains("unexpected"));
        assert!(parse("'open").unwrap_err().contains("unterminated"));
        assert!(parse("a.").is_err());
    }

    fn string() -> TypeRef {
        TypeRef::String { media_type: None }
    }

    fn fixture() -> Vec<TypeIr> {
        crate::ir::test_structures(&[
            (
                "Output",
                &[
                    ("Status", string(), true),
                    ("Items", list_of("Item"), true),
                    ("Count", TypeRef::Integer, false),
                ],
            ),
            (
                "Item",
                &[("State", string(), true), ("Ok", TypeRef::Boolean, true)],
            ),
        ])
    }

    fn list_of(name: &str) -> TypeRef {
        crate::ir::test_list(TypeRef::Named {
            ident: ident(name),
            kind: NamedKind::Structure,
            boxed: false,
        })
    }

    fn typed(src: &str) -> Result<(String, Ty), String> {
        let types = fixture();
        check(&parse(src)?, &Ty::Struct(ident("Output")), &types)
            .map(|(t, ty)| (to_tokens(&t).to_string().replace(' ', ""), ty))
    }

    #[test]
    fn fields_and_projections_are_typed_against_the_structures() {
        let (code, ty) = typed("Status").unwrap();
        assert_eq!(ty, Ty::Str);
        assert_eq!(code, "cur.and_then(|v|v.status.as_ref()).and_then(|x|::core::option::Option::Some(x.as_str()))");
        assert_eq!(
            typed("Items[].State").unwrap().1,
            Ty::List(Box::new(Ty::Str))
        );
        assert_eq!(
            typed("Items[?Ok].State").unwrap().1,
            Ty::List(Box::new(Ty::Str))
        );
        assert_eq!(typed("length(Items) > Count").unwrap().1, Ty::Bool);
        assert_eq!(typed("contains(Items[].State, 'x')").unwrap().1, Ty::Bool);
    }

    #[test]
    fn input_output_paths_start_at_input_or_output() {
        let types = fixture();
        let root = Ty::InputOutput {
            input: ident("Item"),
            output: ident("Output"),
        };
        let check = |src: &str| {
            check(&parse(src).unwrap(), &root, &types)
                .map(|(t, ty)| (to_tokens(&t).to_string().replace(' ', ""), ty))
        };
        let (code, ty) = check("output.Count == length(input.State)").unwrap();
        assert_eq!(ty, Ty::Bool);
        assert!(
            code.contains("::core::option::Option::Some(output).map(|v|&v.count)"),
            "{code}"
        );
        assert!(
            code.contains("::core::option::Option::Some(input).and_then(|v|v.state.as_ref())"),
            "{code}"
        );
        assert_eq!(
            check("result.Count").unwrap_err(),
            "`result` is neither `input` nor `output`"
        );
    }

    #[test]
    fn untypable_expressions_say_why() {
        assert_eq!(typed("Nope").unwrap_err(), "`Output` has no member `Nope`");
        assert!(typed("Status.Deeper")
            .unwrap_err()
            .contains("read from a string"));
        assert!(typed("Status > `1`")
            .unwrap_err()
            .contains("cannot be compared"));
        assert!(typed("Status == `1`")
            .unwrap_err()
            .contains("cannot be compared"));
        assert!(typed("Count[]")
            .unwrap_err()
            .contains("`[]` is applied to a number"));
        assert!(typed("sort(Items)").unwrap_err().contains("`sort`"));
        assert!(typed("contains(Items, 'x')")
            .unwrap_err()
            .contains("`contains`"));
    }
}
