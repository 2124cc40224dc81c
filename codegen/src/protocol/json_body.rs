//! The JSON body codec shared by restJson1 and awsJson: `ToJson` and
//! `FromJson` impls of generated types, and the member reads and writes
//! the protocols use for the parts of a message that are JSON.
//!
//! `json_names` says whether member keys honour `@jsonName`: restJson1
//! does, awsJson ignores the trait.

use crate::ir::{EnumIr, FieldIr, StructureIr, TypeIr, TypeRef, UnionIr};
use opgen_model::TimestampFormat;
use proc_macro2::TokenStream;
use quote::quote;

pub(crate) fn timestamp_format_tokens(format: TimestampFormat) -> TokenStream {
    match format {
        TimestampFormat::DateTime => quote!(::opgen::__private::json::TimestampFormat::DateTime),
        TimestampFormat::HttpDate => quote!(::opgen::__private::json::TimestampFormat::HttpDate),
        TimestampFormat::EpochSeconds => {
            quote!(::opgen::__private::json::TimestampFormat::EpochSeconds)
        }
    }
}

/// The JSON value expression of a member value `value` (a reference).
fn json_value(ty: &TypeRef, format: Option<TimestampFormat>, value: TokenStream) -> TokenStream {
    if let TypeRef::Timestamp { .. } = ty {
        let format = timestamp_format_tokens(format.unwrap_or(TimestampFormat::EpochSeconds));
        quote!(::opgen::__private::json::timestamp_to_json(#value, #format))
    } else {
        quote!(::opgen::__private::json::ToJson::to_json(#value))
    }
}

/// Statements that insert `fields` of `source` (an expression of the
/// structure) into a `serde_json::Map` named `object`.
pub(crate) fn json_inserts<'f>(
    fields: impl IntoIterator<Item = &'f FieldIr>,
    source: TokenStream,
    json_names: bool,
) -> TokenStream {
    let inserts = fields.into_iter().map(|f| {
        let ident = &f.ident;
        let wire = if json_names { &f.json_name } else { &f.name };
        if f.optional {
            let value = json_value(&f.ty, f.timestamp_format, quote!(value));
            quote! {
                if let ::core::option::Option::Some(value) = &#source.#ident {
                    object.insert(::std::string::String::from(#wire), #value);
                }
            }
        } else {
            let value = json_value(&f.ty, f.timestamp_format, quote!(&#source.#ident));
            quote!(object.insert(::std::string::String::from(#wire), #value);)
        }
    });
    quote!(#(#inserts)*)
}

/// Field initialisers reading `fields` from a `serde_json::Map` named `object`.
pub(crate) fn json_reads<'f>(
    shape: &StructureIr,
    fields: impl IntoIterator<Item = &'f FieldIr>,
    json_names: bool,
) -> TokenStream {
    let shape_name = shape.name();
    let reads = fields.into_iter().map(|f| {
        let ident = &f.ident;
        let wire = if json_names { &f.json_name } else { &f.name };
        if let (true, Some(default)) = (f.optional, &f.default) {
            // A member the service left out takes the model's @default.
            let default = default.to_string();
            quote!(#ident: ::opgen::__private::json::member_or_default(object, #shape_name, #wire, #default)?,)
        } else if f.optional {
            quote!(#ident: ::opgen::__private::json::member(object, #shape_name, #wire)?,)
        } else {
            quote!(#ident: ::opgen::__private::json::required_member(object, #shape_name, #wire)?,)
        }
    });
    quote!(#(#reads)*)
}

/// `ToJson` and `FromJson` of a generated type. A structure holding a
/// stream is only ever a whole HTTP message, never a JSON value.
pub(crate) fn emit_codec(ty: &TypeIr, json_names: bool) -> TokenStream {
    match ty {
        TypeIr::Structure(s) if s.has_byte_stream() => TokenStream::new(),
        TypeIr::Structure(s) => emit_structure(s, json_names),
        TypeIr::Union(u) => emit_union(u, json_names),
        TypeIr::Enum(e) => emit_enum(e),
    }
}

fn emit_structure(shape: &StructureIr, json_names: bool) -> TokenStream {
    let name = &shape.ident;
    let shape_name = shape.name();
    let inserts = json_inserts(&shape.fields, quote!(self), json_names);
    let reads = json_reads(shape, &shape.fields, json_names);
    let meta = shape
        .roles
        .error
        .then(|| quote!(__meta: ::core::default::Default::default(),));
    let object_binding = if shape.fields.is_empty() {
        quote!(let _ = ::opgen::__private::json::object(value, #shape_name)?;)
    } else {
        quote!(let object = ::opgen::__private::json::object(value, #shape_name)?;)
    };
    let mut_kw = (!shape.fields.is_empty()).then(|| quote!(mut));
    quote! {
        impl ::opgen::__private::json::ToJson for #name {
            fn to_json(&self) -> ::opgen::__private::serde_json::Value {
                let #mut_kw object = ::opgen::__private::serde_json::Map::new();
                #inserts
                ::opgen::__private::serde_json::Value::Object(object)
            }
        }

        impl ::opgen::__private::json::FromJson for #name {
            fn from_json(value: &::opgen::__private::serde_json::Value) -> ::core::result::Result<Self, ::std::string::String> {
                #object_binding
                ::core::result::Result::Ok(#name {
                    #reads
                    #meta
                })
            }
        }
    }
}

fn emit_union(shape: &UnionIr, json_names: bool) -> TokenStream {
    let name = &shape.ident;
    let shape_name = shape.id.name();
    let to_json = shape.variants.iter().map(|v| {
        let ident = &v.ident;
        let wire = if json_names { &v.json_name } else { &v.name };
        let value = json_value(&v.ty, v.timestamp_format, quote!(value));
        quote!(#name::#ident(value) => { object.insert(::std::string::String::from(#wire), #value); })
    });
    let from_json = shape.variants.iter().map(|v| {
        let ident = &v.ident;
        let wire = if json_names { &v.json_name } else { &v.name };
        quote! {
            #wire => #name::#ident(
                ::opgen::__private::json::FromJson::from_json(value)
                    .map_err(|e| ::std::format!("{}.{}: {}", #shape_name, #wire, e))?,
            ),
        }
    });
    quote! {
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

fn emit_enum(shape: &EnumIr) -> TokenStream {
    let name = &shape.ident;
    if shape.int {
        return quote! {
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
        };
    }
    quote! {
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
