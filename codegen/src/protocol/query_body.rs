//! The query body codec of awsQuery and ec2Query requests: `ToQuery` impls
//! of generated structures and unions, writing each set member as
//! `key=value` pairs whose keys spell the path to the value. The two
//! protocols name keys differently (`Flavor`); everything else is shared.

use crate::ir::{FieldIr, NamedKind, StructureIr, TypeIr, TypeRef, UnionIr, XmlIr};
use opgen_model::TimestampFormat;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::document_body::timestamp_format_tokens;

/// How a query protocol names keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Flavor {
    /// awsQuery: `@xmlName` keys; lists `Key.member.N` (the list member's
    /// `@xmlName` replaces `member`) or, `@xmlFlattened`, `Key.N`; an empty
    /// list is sent as `Key=`.
    AwsQuery,
    /// ec2Query: `@ec2QueryName` keys (else the capitalized `@xmlName` or
    /// member name); every list is `Key.N`, and an empty one is not sent.
    Ec2Query,
}

impl Flavor {
    fn key(self, xml: &XmlIr) -> &str {
        match self {
            Flavor::AwsQuery => &xml.name,
            Flavor::Ec2Query => &xml.ec2_query_name,
        }
    }
}

/// The `ToQuery` impl of a generated structure or union (enums are written
/// inline as their value). A structure holding a stream is a whole HTTP
/// message, never part of a query body.
pub(crate) fn emit_codec(flavor: Flavor, ty: &TypeIr) -> TokenStream {
    match ty {
        TypeIr::Structure(s) if s.has_stream() => TokenStream::new(),
        TypeIr::Structure(s) => emit_structure(flavor, s),
        TypeIr::Union(u) => emit_union(flavor, u),
        TypeIr::Enum(_) => TokenStream::new(),
    }
}

fn emit_structure(flavor: Flavor, shape: &StructureIr) -> TokenStream {
    let name = &shape.ident;
    let writes: Vec<TokenStream> = shape
        .fields
        .iter()
        .map(|f| write_field(flavor, f))
        .collect();
    let (writer, prefix) = if writes.is_empty() {
        (quote!(_writer), quote!(_prefix))
    } else {
        (quote!(writer), quote!(prefix))
    };
    quote! {
        impl ::opgen::__private::query::ToQuery for #name {
            #[inline]
            fn to_query(&self, #writer: &mut ::opgen::__private::query::Writer, #prefix: &str) {
                #(#writes)*
            }
        }
    }
}

fn write_field(flavor: Flavor, field: &FieldIr) -> TokenStream {
    let ident = &field.ident;
    let wire = flavor.key(&field.xml);
    let write = write_value(
        flavor,
        &field.ty,
        field.timestamp_format,
        field.xml.flattened,
        quote!(value),
        quote!(key),
        0,
    );
    let bind = if field.optional {
        quote!(if let ::core::option::Option::Some(value) = &self.#ident)
    } else {
        quote!(let value = &self.#ident; )
    };
    if field.optional {
        quote! {
            #bind {
                let key = ::opgen::__private::query::key(prefix, #wire);
                #write
            }
        }
    } else {
        quote! {
            {
                #bind
                let key = ::opgen::__private::query::key(prefix, #wire);
                #write
            }
        }
    }
}

fn emit_union(flavor: Flavor, shape: &UnionIr) -> TokenStream {
    let name = &shape.ident;
    let arms = shape.variants.iter().map(|v| {
        let ident = &v.ident;
        let wire = flavor.key(&v.xml);
        let write = write_value(
            flavor,
            &v.ty,
            v.timestamp_format,
            v.xml.flattened,
            quote!(value),
            quote!(key),
            0,
        );
        quote! {
            #name::#ident(value) => {
                let key = ::opgen::__private::query::key(prefix, #wire);
                #write
            }
        }
    });
    quote! {
        impl ::opgen::__private::query::ToQuery for #name {
            #[inline]
            fn to_query(&self, writer: &mut ::opgen::__private::query::Writer, prefix: &str) {
                match self {
                    #(#arms)*
                    #name::Unknown => {}
                    #name::__NonExhaustive(never) => never.unreachable(),
                }
            }
        }
    }
}

/// Statements writing `value` (a reference to a value of `ty`) under the
/// key `key` (a `String` expression); `flattened` is the member's
/// `@xmlFlattened`, `depth` keeps the bindings of nested collections apart.
fn write_value(
    flavor: Flavor,
    ty: &TypeRef,
    format: Option<TimestampFormat>,
    flattened: bool,
    value: TokenStream,
    key: TokenStream,
    depth: usize,
) -> TokenStream {
    let text = quote!(::opgen::__private::rest::TextValue::to_text);
    match ty {
        TypeRef::String { .. }
        | TypeRef::Boolean
        | TypeRef::Byte
        | TypeRef::Short
        | TypeRef::Integer
        | TypeRef::Long
        | TypeRef::Float
        | TypeRef::Double
        | TypeRef::BigNumber
        | TypeRef::Blob { .. } => quote!(writer.value(&#key, &#text(#value));),
        TypeRef::Timestamp { format: target } => {
            // Query timestamps are date-times unless the member or its
            // target says otherwise.
            let format =
                timestamp_format_tokens(format.or(*target).unwrap_or(TimestampFormat::DateTime));
            quote!(writer.value(&#key, &::opgen::__private::rest::timestamp_text(#value, #format));)
        }
        TypeRef::Named { ident, kind, .. } => match kind {
            NamedKind::Enum => quote!(writer.value(&#key, #value.as_str());),
            NamedKind::IntEnum => quote!(writer.value(&#key, &#text(&#value.as_i32()));),
            NamedKind::Structure | NamedKind::Union => {
                quote!(<#ident as ::opgen::__private::query::ToQuery>::to_query(#value, writer, &#key);)
            }
        },
        // A unit union member carries no data: its key alone says it is set.
        TypeRef::Unit => quote!(writer.value(&#key, "");),
        TypeRef::List {
            item,
            sparse,
            item_xml,
        } => {
            let (index, item_binding, item_key) = (
                format_ident!("index_{depth}"),
                format_ident!("item_{depth}"),
                format_ident!("key_{depth}"),
            );
            let member = match flavor {
                Flavor::Ec2Query => quote!(::core::option::Option::None),
                Flavor::AwsQuery if flattened => quote!(::core::option::Option::None),
                Flavor::AwsQuery => {
                    let name = &item_xml.name;
                    quote!(::core::option::Option::Some(#name))
                }
            };
            let empty = (flavor == Flavor::AwsQuery).then(|| {
                quote! {
                    if #value.is_empty() {
                        writer.value(&#key, "");
                    }
                }
            });
            let write = write_value(
                flavor,
                item,
                None,
                false,
                quote!(#item_binding),
                quote!(#item_key),
                depth + 1,
            );
            let body = if *sparse {
                quote! {
                    if let ::core::option::Option::Some(#item_binding) = #item_binding {
                        #write
                    }
                }
            } else {
                write
            };
            quote! {
                #empty
                for (#index, #item_binding) in #value.iter().enumerate() {
                    let #item_key = ::opgen::__private::query::item_key(&#key, #member, #index);
                    #body
                }
            }
        }
        TypeRef::Map {
            value: value_ty,
            sparse,
            key_xml,
            value_xml,
        } => {
            let (index, entry_key, map_key, map_value) = (
                format_ident!("index_{depth}"),
                format_ident!("entry_{depth}"),
                format_ident!("map_key_{depth}"),
                format_ident!("map_value_{depth}"),
            );
            let value_key = format_ident!("value_key_{depth}");
            // Both protocols name entries `key` and `value` unless the map
            // says otherwise; ec2Query capitalizes member keys only.
            let (key_name, value_name) = (&key_xml.name, &value_xml.name);
            let write = write_value(
                flavor,
                value_ty,
                None,
                false,
                quote!(#map_value),
                quote!(#value_key),
                depth + 1,
            );
            let body = if *sparse {
                quote! {
                    if let ::core::option::Option::Some(#map_value) = #map_value {
                        #write
                    }
                }
            } else {
                write
            };
            quote! {
                for (#index, (#map_key, #map_value)) in ::opgen::__private::xml::sorted(#value).into_iter().enumerate() {
                    let #entry_key = ::opgen::__private::query::entry_key(&#key, #flattened, #index);
                    writer.value(&::opgen::__private::query::key(&#entry_key, #key_name), #map_key);
                    let #value_key = ::opgen::__private::query::key(&#entry_key, #value_name);
                    #body
                }
            }
        }
        // Refused by `check_no_documents` and `check_no_byte_stream`.
        TypeRef::Document | TypeRef::ByteStream { .. } | TypeRef::EventStream { .. } => {
            TokenStream::new()
        }
    }
}
