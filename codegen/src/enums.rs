//! Enums (string and int) and unions, each with an `Unknown` variant so that
//! values added to the model later are kept, not rejected.

use crate::context::Context;
use crate::docs::doc_attrs;
use crate::naming::{field_ident, type_ident, variant_ident};
use crate::structure::REDACTED;
use crate::types::rust_type;
use opgen_model::{EnumValue, Shape, ShapeKind};
use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};
use std::collections::BTreeMap;

/// Variant identifiers of a shape's members; members that collide are reported.
fn variants<'a>(ctx: &Context, shape: &'a Shape) -> Vec<(Ident, &'a opgen_model::Member)> {
    let mut seen: BTreeMap<String, &str> = BTreeMap::new();
    let mut out = Vec::new();
    for member in &shape.members {
        let ident = variant_ident(&member.name);
        if let Some(first) = seen.insert(ident.to_string(), &member.name) {
            ctx.diagnostics.error(
                format!("{}${}", shape.id, member.name),
                format!(
                    "members `{first}` and `{}` both become the variant `{ident}`; rename one in the model",
                    member.name
                ),
            );
            continue;
        }
        out.push((ident, member));
    }
    out
}

pub(crate) fn emit_enum(ctx: &Context, shape: &Shape) -> TokenStream {
    let name = type_ident(shape.id.name());
    let docs = doc_attrs(
        shape.traits.documentation(),
        &format!("The `{}` enum of the model.", shape.id.name()),
    );
    let variants = variants(ctx, shape);
    let is_int = shape.kind == ShapeKind::IntEnum;
    let mut names = Vec::new();
    let mut values = Vec::new();
    let mut decls = Vec::new();
    for (ident, member) in &variants {
        let value = match member.traits.enum_value() {
            Some(value) => value,
            None if !is_int => EnumValue::String(member.name.clone()),
            None => {
                ctx.diagnostics.error(
                    format!("{}${}", shape.id, member.name),
                    "an intEnum member needs an @enumValue",
                );
                continue;
            }
        };
        let doc = doc_attrs(
            member.traits.documentation(),
            &match &value {
                EnumValue::String(s) => format!("`{s}`"),
                EnumValue::Int(i) => format!("`{i}`"),
            },
        );
        decls.push(quote!(#doc #ident,));
        names.push(ident.clone());
        values.push(value);
    }
    let serde = ctx.options.serde.then(|| emit_enum_serde(&name, is_int));
    let body = if is_int {
        emit_int_enum(&name, &docs, &decls, &names, &values)
    } else {
        emit_string_enum(&name, &docs, &decls, &names, &values)
    };
    quote!(#body #serde)
}

/// serde as the wire value (a string, or an integer for intEnums), so an
/// unknown value round-trips too.
fn emit_enum_serde(name: &Ident, is_int: bool) -> TokenStream {
    let (ser, de) = if is_int {
        (
            quote!(serializer.serialize_i32(self.as_i32())),
            quote!(<i32 as ::opgen::__private::serde::Deserialize>::deserialize(deserializer).map(#name::from)),
        )
    } else {
        (
            quote!(serializer.serialize_str(self.as_str())),
            quote!(<::std::string::String as ::opgen::__private::serde::Deserialize>::deserialize(deserializer).map(#name::from)),
        )
    };
    quote! {
        impl ::opgen::__private::serde::Serialize for #name {
            fn serialize<S: ::opgen::__private::serde::Serializer>(&self, serializer: S) -> ::core::result::Result<S::Ok, S::Error> {
                #ser
            }
        }

        impl<'de> ::opgen::__private::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::opgen::__private::serde::Deserializer<'de>>(deserializer: D) -> ::core::result::Result<Self, D::Error> {
                #de
            }
        }
    }
}

fn emit_string_enum(
    name: &Ident,
    docs: &TokenStream,
    decls: &[TokenStream],
    names: &[Ident],
    values: &[EnumValue],
) -> TokenStream {
    let texts: Vec<String> = values
        .iter()
        .map(|v| match v {
            EnumValue::String(s) => s.clone(),
            EnumValue::Int(i) => i.to_string(),
        })
        .collect();
    quote! {
        #docs
        ///
        /// Values this version of the model does not know are kept in
        /// `Unknown`; match it with a wildcard so that new values added to the
        /// model keep your code compiling.
        #[derive(::core::clone::Clone, ::core::fmt::Debug, ::core::cmp::PartialEq, ::core::cmp::Eq, ::core::hash::Hash, ::core::cmp::PartialOrd, ::core::cmp::Ord)]
        #[non_exhaustive]
        pub enum #name {
            #(#decls)*
            /// A value this version of the model does not know, as received.
            Unknown(::std::string::String),
            /// Not a value: makes a wildcard arm necessary in user `match`es,
            /// so that values added to the model later break no build.
            #[doc(hidden)]
            __NonExhaustive(::opgen::__private::NonExhaustive),
        }

        impl #name {
            /// The value as sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #(#name::#names => #texts,)*
                    #name::Unknown(value) => value.as_str(),
                    #name::__NonExhaustive(never) => never.unreachable(),
                }
            }

            /// Every value the model defines, in model order.
            pub const fn values() -> &'static [&'static str] {
                &[#(#texts),*]
            }
        }

        impl ::core::convert::From<&str> for #name {
            fn from(value: &str) -> Self {
                match value {
                    #(#texts => #name::#names,)*
                    other => #name::Unknown(::std::string::String::from(other)),
                }
            }
        }

        impl ::core::convert::From<::std::string::String> for #name {
            fn from(value: ::std::string::String) -> Self {
                #name::from(value.as_str())
            }
        }

        impl ::core::str::FromStr for #name {
            type Err = ::core::convert::Infallible;
            fn from_str(value: &str) -> ::core::result::Result<Self, Self::Err> {
                ::core::result::Result::Ok(#name::from(value))
            }
        }

        impl ::core::convert::AsRef<str> for #name {
            fn as_ref(&self) -> &str {
                self.as_str()
            }
        }

        impl ::core::fmt::Display for #name {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::opgen::__private::json::ToJson for #name {
            fn to_json(&self) -> ::opgen::__private::serde_json::Value {
                ::opgen::__private::serde_json::Value::String(::std::string::String::from(self.as_str()))
            }
        }

        impl ::opgen::__private::json::FromJson for #name {
            fn from_json(value: &::opgen::__private::serde_json::Value) -> ::core::result::Result<Self, ::std::string::String> {
                value
                    .as_str()
                    .map(#name::from)
                    .ok_or_else(|| ::opgen::__private::json::expected("a string", value))
            }
            fn missing() -> ::core::option::Option<Self> {
                ::core::option::Option::Some(#name::Unknown(::std::string::String::new()))
            }
        }
    }
}

fn emit_int_enum(
    name: &Ident,
    docs: &TokenStream,
    decls: &[TokenStream],
    names: &[Ident],
    values: &[EnumValue],
) -> TokenStream {
    let numbers: Vec<i32> = values
        .iter()
        .map(|v| match v {
            EnumValue::Int(i) => i32::try_from(*i).unwrap_or(i32::MAX),
            EnumValue::String(_) => 0,
        })
        .collect();
    quote! {
        #docs
        ///
        /// Values this version of the model does not know are kept in
        /// `Unknown`; match it with a wildcard.
        #[derive(::core::clone::Clone, ::core::marker::Copy, ::core::fmt::Debug, ::core::cmp::PartialEq, ::core::cmp::Eq, ::core::hash::Hash, ::core::cmp::PartialOrd, ::core::cmp::Ord)]
        #[non_exhaustive]
        pub enum #name {
            #(#decls)*
            /// A value this version of the model does not know, as received.
            Unknown(i32),
            /// Not a value: makes a wildcard arm necessary in user `match`es,
            /// so that values added to the model later break no build.
            #[doc(hidden)]
            __NonExhaustive(::opgen::__private::NonExhaustive),
        }

        impl #name {
            /// The value as sent on the wire.
            pub fn as_i32(&self) -> i32 {
                match self {
                    #(#name::#names => #numbers,)*
                    #name::Unknown(value) => *value,
                    #name::__NonExhaustive(never) => never.unreachable(),
                }
            }

            /// Every value the model defines, in model order.
            pub const fn values() -> &'static [i32] {
                &[#(#numbers),*]
            }
        }

        impl ::core::convert::From<i32> for #name {
            fn from(value: i32) -> Self {
                match value {
                    #(#numbers => #name::#names,)*
                    other => #name::Unknown(other),
                }
            }
        }

        impl ::core::fmt::Display for #name {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                ::core::fmt::Display::fmt(&self.as_i32(), f)
            }
        }

        impl ::opgen::__private::json::ToJson for #name {
            fn to_json(&self) -> ::opgen::__private::serde_json::Value {
                ::opgen::__private::serde_json::Value::from(self.as_i32())
            }
        }

        impl ::opgen::__private::json::FromJson for #name {
            fn from_json(value: &::opgen::__private::serde_json::Value) -> ::core::result::Result<Self, ::std::string::String> {
                <i32 as ::opgen::__private::json::FromJson>::from_json(value).map(#name::from)
            }
        }
    }
}

pub(crate) fn emit_union(ctx: &Context, shape: &Shape) -> TokenStream {
    let name = type_ident(shape.id.name());
    if shape.traits.streaming() {
        ctx.diagnostics.error(
            &shape.id,
            "event streams (@streaming unions) are not supported yet; leave out the operations that use them",
        );
        return TokenStream::new();
    }
    let docs = doc_attrs(
        shape.traits.documentation(),
        &format!(
            "The `{}` union of the model: exactly one member is set.",
            shape.id.name()
        ),
    );
    let variants = variants(ctx, shape);
    let serde = ctx.options.serde;
    let decls = variants.iter().map(|(ident, member)| {
        let ty = rust_type(ctx, &member.target, Some(&shape.id));
        let doc = doc_attrs(
            member.traits.documentation(),
            &format!("The `{}` member.", member.name),
        );
        let name = &member.name;
        let rename = serde.then(|| quote!(#[serde(rename = #name)]));
        quote!(#doc #rename #ident(#ty),)
    });
    let serde_derive = crate::structure::serde_derive(ctx);
    let skip_unknown = serde.then(|| quote!(#[serde(skip)]));
    let accessors = variants.iter().map(|(ident, member)| {
        let ty = rust_type(ctx, &member.target, Some(&shape.id));
        let as_fn = format_ident!(
            "as_{}",
            field_ident(&member.name)
                .to_string()
                .trim_start_matches("r#")
        );
        let is_fn = format_ident!(
            "is_{}",
            field_ident(&member.name)
                .to_string()
                .trim_start_matches("r#")
        );
        let doc = format!(" The `{}` member, if it is the one set.", member.name);
        let is_doc = format!(" Whether the `{}` member is the one set.", member.name);
        quote! {
            #[doc = #doc]
            pub fn #as_fn(&self) -> ::core::option::Option<&#ty> {
                match self {
                    #name::#ident(value) => ::core::option::Option::Some(value),
                    _ => ::core::option::Option::None,
                }
            }

            #[doc = #is_doc]
            pub fn #is_fn(&self) -> bool {
                ::core::matches!(self, #name::#ident(_))
            }
        }
    });
    let debug_arms = variants.iter().map(|(ident, member)| {
        let label = ident.to_string();
        if ctx.is_sensitive(member) || shape.traits.sensitive() {
            quote!(#name::#ident(_) => f.debug_tuple(#label).field(&#REDACTED).finish(),)
        } else {
            quote!(#name::#ident(value) => f.debug_tuple(#label).field(value).finish(),)
        }
    });
    let to_json = variants.iter().map(|(ident, member)| {
        let wire = member.traits.json_name().unwrap_or(&member.name);
        let value = crate::structure::json_value(ctx, member, quote!(value));
        quote!(#name::#ident(value) => { object.insert(::std::string::String::from(#wire), #value); })
    });
    let from_json = variants.iter().map(|(ident, member)| {
        let wire = member.traits.json_name().unwrap_or(&member.name);
        let shape_name = shape.id.name();
        quote! {
            #wire => #name::#ident(
                ::opgen::__private::json::FromJson::from_json(value)
                    .map_err(|e| ::std::format!("{}.{}: {}", #shape_name, #wire, e))?,
            ),
        }
    });
    let shape_name = shape.id.name();
    quote! {
        #docs
        #[derive(::core::clone::Clone, ::core::cmp::PartialEq)]
        #serde_derive
        #[non_exhaustive]
        pub enum #name {
            #(#decls)*
            /// A member this version of the model does not know.
            #skip_unknown
            Unknown,
            /// Not a member: makes a wildcard arm necessary in user `match`es,
            /// so that members added to the model later break no build.
            #[doc(hidden)]
            #skip_unknown
            __NonExhaustive(::opgen::__private::NonExhaustive),
        }

        impl #name {
            #(#accessors)*

            /// Whether the member set is one this version of the model does not know.
            pub fn is_unknown(&self) -> bool {
                ::core::matches!(self, #name::Unknown)
            }
        }

        impl ::core::fmt::Debug for #name {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                match self {
                    #(#debug_arms)*
                    #name::Unknown => f.write_str("Unknown"),
                    #name::__NonExhaustive(never) => never.unreachable(),
                }
            }
        }

        impl ::opgen::__private::json::ToJson for #name {
            fn to_json(&self) -> ::opgen::__private::serde_json::Value {
                let mut object = ::opgen::__private::serde_json::Map::new();
                match self {
                    #(#to_json)*
                    #name::Unknown => {}
                    #name::__NonExhaustive(never) => never.unreachable(),
                }
                ::opgen::__private::serde_json::Value::Object(object)
            }
        }

        impl ::opgen::__private::json::FromJson for #name {
            fn from_json(value: &::opgen::__private::serde_json::Value) -> ::core::result::Result<Self, ::std::string::String> {
                let object = ::opgen::__private::json::object(value, #shape_name)?;
                let mut set = object.iter().filter(|(key, value)| !value.is_null() && key.as_str() != "__type");
                let (key, value) = match (set.next(), set.next()) {
                    (::core::option::Option::Some(entry), ::core::option::Option::None) => entry,
                    (::core::option::Option::None, _) => {
                        return ::core::result::Result::Err(::std::format!("{}: no member is set", #shape_name))
                    }
                    _ => {
                        return ::core::result::Result::Err(::std::format!("{}: more than one member is set", #shape_name))
                    }
                };
                ::core::result::Result::Ok(match key.as_str() {
                    #(#from_json)*
                    _ => #name::Unknown,
                })
            }
        }
    }
}
