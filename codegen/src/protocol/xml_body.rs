//! The XML body codec (restXml bodies, awsQuery and ec2Query responses):
//! `ToXml`/`FromXml` impls of generated types, honouring `@xmlName`,
//! `@xmlAttribute`, `@xmlFlattened` and `@xmlNamespace`.
//!
//! A value's element name is decided by its container (the member's
//! `@xmlName`, a list's `member`, a map's `entry`/`key`/`value`), so a
//! type's impls write and read only the attributes and content of the
//! element that holds it. A structure's `FromXml` reads the children of
//! whatever element it is given, which lets a protocol start anywhere:
//! restXml at the document root, awsQuery inside `<OpResult>`, errors
//! inside `<Error>`.

use super::document_body::timestamp_format_tokens;
use crate::emit::types::rust_type;
use crate::ir::{EnumIr, FieldIr, NamedKind, StructureIr, TypeIr, TypeRef, UnionIr, XmlIr};
use opgen_model::{TimestampFormat, XmlNamespace};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

/// The runtime module.
fn xml() -> TokenStream {
    quote!(::opgen::__private::xml)
}

/// An `xml::Namespace` expression.
pub(crate) fn namespace(ns: Option<&XmlNamespace>) -> TokenStream {
    match ns {
        None => quote!(::core::option::Option::None),
        Some(XmlNamespace {
            uri,
            prefix: Some(prefix),
        }) => {
            quote!(::core::option::Option::Some((::core::option::Option::Some(#prefix), #uri)))
        }
        Some(XmlNamespace { uri, prefix: None }) => {
            quote!(::core::option::Option::Some((::core::option::Option::None, #uri)))
        }
    }
}

/// The timestamp format of a value: the member's `@timestampFormat`, else
/// the target's, else XML's `date-time`.
fn timestamp_format(member: Option<TimestampFormat>, ty: &TypeRef) -> TimestampFormat {
    let of_target = match ty {
        TypeRef::Timestamp { format } => *format,
        _ => None,
    };
    member.or(of_target).unwrap_or(TimestampFormat::DateTime)
}

/// The codec impls of a generated type. A structure holding a stream is
/// only ever a whole HTTP message, never a document value.
pub(crate) fn emit_codec(ty: &TypeIr) -> TokenStream {
    match ty {
        TypeIr::Structure(s) if s.has_stream() => TokenStream::new(),
        TypeIr::Structure(s) => emit_structure(s),
        TypeIr::Union(u) => emit_union(u),
        TypeIr::Enum(e) => emit_enum(e),
    }
}

// ---------------------------------------------------------------------------
// Writing

/// The text of a scalar `v` (a reference) of type `ty`, in `format` when
/// it is a timestamp: XML attributes and leaves, and (through
/// `http_bindings`) labels, query values and headers.
pub(crate) fn scalar_text(ty: &TypeRef, format: TimestampFormat, v: TokenStream) -> TokenStream {
    match ty {
        TypeRef::Timestamp { .. } => {
            let format = timestamp_format_tokens(format);
            quote!(::opgen::__private::rest::timestamp_text(#v, #format))
        }
        TypeRef::Named {
            kind: NamedKind::Enum,
            ..
        } => quote!(::std::string::String::from(#v.as_str())),
        TypeRef::Named {
            kind: NamedKind::IntEnum,
            ..
        } => quote!(::std::string::ToString::to_string(&#v.as_i32())),
        _ => quote!(::opgen::__private::rest::TextValue::to_text(#v)),
    }
}

/// Statements writing `v` (a reference) of type `ty` as the element `name`
/// in `ns` to `writer`.
fn write_element(
    ty: &TypeRef,
    name: &str,
    ns: TokenStream,
    format: Option<TimestampFormat>,
    v: TokenStream,
) -> TokenStream {
    match ty {
        TypeRef::Timestamp { .. } => {
            let text = scalar_text(ty, timestamp_format(format, ty), v);
            quote!(writer.text_element(#name, #ns, &#text);)
        }
        TypeRef::List { item, item_xml, .. } => {
            let write_item = write_item(item, item_xml, quote!(item));
            quote! {
                writer.open(#name, #ns);
                writer.close_start();
                for item in #v.iter() {
                    #write_item
                }
                writer.end(#name);
            }
        }
        TypeRef::Map {
            value,
            key_xml,
            value_xml,
            ..
        } => {
            let entry = write_entry(value, key_xml, value_xml);
            quote! {
                writer.open(#name, #ns);
                writer.close_start();
                for (key, value) in ::opgen::__private::xml::sorted(#v) {
                    writer.open("entry", ::core::option::Option::None);
                    writer.close_start();
                    #entry
                    writer.end("entry");
                }
                writer.end(#name);
            }
        }
        _ => quote!(writer.element(#name, #ns, #v);),
    }
}

/// Writes a list item `v`, named by the list's member.
fn write_item(item: &TypeRef, item_xml: &XmlIr, v: TokenStream) -> TokenStream {
    let ns = namespace(item_xml.namespace.as_ref());
    write_element(item, &item_xml.name, ns, None, v)
}

/// Writes a map entry's `key` and `value` elements (`key`, `value` in
/// scope as references).
fn write_entry(value: &TypeRef, key_xml: &XmlIr, value_xml: &XmlIr) -> TokenStream {
    let key_name = &key_xml.name;
    let key_ns = namespace(key_xml.namespace.as_ref());
    let write_value = write_element(
        value,
        &value_xml.name,
        namespace(value_xml.namespace.as_ref()),
        None,
        quote!(value),
    );
    quote! {
        writer.text_element(#key_name, #key_ns, key);
        #write_value
    }
}

/// Statements writing the member `field` of `source` (not an attribute).
pub(crate) fn write_member(field: &FieldIr, source: TokenStream) -> TokenStream {
    let ident = &field.ident;
    let name = &field.xml.name;
    let ns = namespace(field.xml.namespace.as_ref());
    let write = match &field.ty {
        TypeRef::List { item, item_xml, .. } if field.xml.flattened => {
            // A flattened list's items take the member's name.
            let ns = match &field.xml.namespace {
                Some(_) => ns,
                None => namespace(item_xml.namespace.as_ref()),
            };
            let write_item = write_element(item, name, ns, None, quote!(item));
            quote! {
                for item in value.iter() {
                    #write_item
                }
            }
        }
        TypeRef::Map {
            value,
            key_xml,
            value_xml,
            ..
        } if field.xml.flattened => {
            let entry = write_entry(value, key_xml, value_xml);
            quote! {
                for (key, value) in ::opgen::__private::xml::sorted(value) {
                    writer.open(#name, #ns);
                    writer.close_start();
                    #entry
                    writer.end(#name);
                }
            }
        }
        ty => write_element(ty, name, ns, field.timestamp_format, quote!(value)),
    };
    if field.optional {
        quote! {
            if let ::core::option::Option::Some(value) = &#source.#ident {
                #write
            }
        }
    } else {
        quote! {
            {
                let value = &#source.#ident;
                #write
            }
        }
    }
}

/// Statements writing the `@xmlAttribute` member `field` of `source`.
pub(crate) fn write_attribute(field: &FieldIr, source: TokenStream) -> TokenStream {
    let ident = &field.ident;
    let name = &field.xml.name;
    let text = scalar_text(
        &field.ty,
        timestamp_format(field.timestamp_format, &field.ty),
        quote!(value),
    );
    if field.optional {
        quote! {
            if let ::core::option::Option::Some(value) = &#source.#ident {
                writer.attr(#name, &#text);
            }
        }
    } else {
        quote! {
            {
                let value = &#source.#ident;
                writer.attr(#name, &#text);
            }
        }
    }
}

// ---------------------------------------------------------------------------
// Reading

/// An expression `Result<T, String>` reading a value of type `ty` from the
/// element `node` (an `XmlNode` in scope under that name).
fn read_value(ty: &TypeRef, format: Option<TimestampFormat>) -> TokenStream {
    let xml = xml();
    match ty {
        TypeRef::Timestamp { .. } => {
            let format = timestamp_format_tokens(timestamp_format(format, ty));
            quote!(#xml::timestamp(node, #format))
        }
        TypeRef::List { item, item_xml, .. } => {
            let item_name = &item_xml.name;
            let read_item = read_value(item, None);
            quote!(#xml::list(node, #item_name, |node| #read_item))
        }
        TypeRef::Map {
            value,
            key_xml,
            value_xml,
            ..
        } => {
            let (key_name, value_name) = (&key_xml.name, &value_xml.name);
            let read_value = read_value(value, None);
            quote!(#xml::map(node, "entry", #key_name, #value_name, |node| #read_value))
        }
        TypeRef::Named {
            kind: NamedKind::Enum | NamedKind::IntEnum,
            ident,
            ..
        } => quote!(<#ident as #xml::FromXml>::from_xml(node)),
        ty => {
            let rust = rust_type(ty);
            quote!(<#rust as #xml::FromXml>::from_xml(node))
        }
    }
}

/// An expression `Result<T, String>` reading an attribute's text `text`.
fn read_attribute(ty: &TypeRef, format: TimestampFormat) -> TokenStream {
    let xml = xml();
    match ty {
        TypeRef::Timestamp { .. } => {
            let format = timestamp_format_tokens(format);
            quote!(#xml::timestamp_from(text, #format))
        }
        TypeRef::Named {
            kind: NamedKind::Enum,
            ident,
            ..
        } => {
            quote!(::core::result::Result::<#ident, ::std::string::String>::Ok(#ident::from(text)))
        }
        TypeRef::Named {
            kind: NamedKind::IntEnum,
            ident,
            ..
        } => quote!(#xml::from_attr::<i32>(text).map(#ident::from)),
        ty => {
            let rust = rust_type(ty);
            quote!(#xml::from_attr::<#rust>(text))
        }
    }
}

/// What reading some members of a structure from an element takes:
/// statements (with `node` in scope, the element whose children and
/// attributes hold the members) that read them into locals, and the
/// field initialisers that finish them.
pub(crate) struct MemberReads {
    /// `let mut` locals of the members, `None` until read.
    pub(crate) locals: TokenStream,
    /// Reads the attributes and children of `node` into the locals.
    pub(crate) reads: TokenStream,
    /// The field initialisers (required members checked).
    pub(crate) inits: TokenStream,
}

/// Reads `fields` of `shape` from the element `node`.
pub(crate) fn read_members<'f>(
    shape: &StructureIr,
    fields: impl IntoIterator<Item = &'f FieldIr>,
) -> MemberReads {
    let xml = xml();
    let shape_name = shape.name();
    let mut locals = Vec::new();
    let mut attributes = Vec::new();
    let mut arms = Vec::new();
    let mut inits = Vec::new();
    for (i, field) in fields.into_iter().enumerate() {
        let local = format_ident!("member_{}", i);
        let member = &field.name;
        let name = &field.xml.name;
        let context = quote!(|e| #xml::in_member(#shape_name, #member, e));
        locals.push(quote!(let mut #local = ::core::option::Option::None;));
        if field.xml.attribute {
            let read = read_attribute(
                &field.ty,
                timestamp_format(field.timestamp_format, &field.ty),
            );
            attributes.push(quote! {
                if let ::core::option::Option::Some(text) = node.attr(#name) {
                    #local = ::core::option::Option::Some((#read).map_err(#context)?);
                }
            });
        } else {
            let arm = match &field.ty {
                TypeRef::List { item, .. } if field.xml.flattened => {
                    let read_item = read_value(item, None);
                    quote! {
                        #name => {
                            let node = child;
                            #local.get_or_insert_with(::std::vec::Vec::new).push((#read_item).map_err(#context)?);
                        }
                    }
                }
                TypeRef::Map {
                    value,
                    key_xml,
                    value_xml,
                    ..
                } if field.xml.flattened => {
                    let (key_name, value_name) = (&key_xml.name, &value_xml.name);
                    let read_value = read_value(value, None);
                    quote! {
                        #name => {
                            if let ::core::option::Option::Some((key, value)) = #xml::entry(child, #key_name, #value_name, |node| #read_value).map_err(#context)? {
                                #xml::insert(&mut #local, key, value);
                            }
                        }
                    }
                }
                ty => {
                    let read = read_value(ty, field.timestamp_format);
                    quote! {
                        #name => {
                            let node = child;
                            #local = ::core::option::Option::Some((#read).map_err(#context)?);
                        }
                    }
                }
            };
            arms.push(arm);
        }
        let ident = &field.ident;
        let init = if field.optional {
            quote!(#local)
        } else if matches!(field.ty, TypeRef::List { .. } | TypeRef::Map { .. }) {
            // A required collection the service left out is empty.
            quote!(#local.unwrap_or_default())
        } else {
            let rust = rust_type(&field.ty);
            quote! {
                #local
                    .or_else(<#rust as #xml::FromXml>::missing)
                    .ok_or_else(|| #xml::missing_member(#shape_name, #member))?
            }
        };
        inits.push(quote!(#ident: #init,));
    }
    let children = (!arms.is_empty()).then(|| {
        quote! {
            for child in node.children() {
                match child.name() {
                    #(#arms)*
                    _ => {}
                }
            }
        }
    });
    MemberReads {
        locals: quote!(#(#locals)*),
        reads: quote! {
            #(#attributes)*
            #children
        },
        inits: quote!(#(#inits)*),
    }
}

// ---------------------------------------------------------------------------
// Types

fn emit_structure(shape: &StructureIr) -> TokenStream {
    let name = &shape.ident;
    let xml = xml();
    let ns = namespace(shape.xml_namespace.as_ref());
    let attributes = shape
        .fields
        .iter()
        .filter(|f| f.xml.attribute)
        .map(|f| write_attribute(f, quote!(self)));
    let members = shape
        .fields
        .iter()
        .filter(|f| !f.xml.attribute)
        .map(|f| write_member(f, quote!(self)));
    let write_attributes = shape.fields.iter().any(|f| f.xml.attribute).then(|| {
        quote! {
            #[inline]
            fn write_attributes(&self, writer: &mut #xml::XmlWriter) {
                #(#attributes)*
            }
        }
    });
    let writer = if shape.fields.iter().any(|f| !f.xml.attribute) {
        quote!(writer)
    } else {
        quote!(_writer)
    };
    let MemberReads {
        locals,
        reads,
        inits,
    } = read_members(shape, &shape.fields);
    let meta = shape
        .roles
        .error
        .then(|| quote!(__meta: ::core::default::Default::default(),));
    let node = if shape.fields.is_empty() {
        quote!(_node)
    } else {
        quote!(node)
    };
    quote! {
        impl #xml::ToXml for #name {
            const NAMESPACE: #xml::Namespace = #ns;
            #write_attributes
            #[inline]
            fn write_content(&self, #writer: &mut #xml::XmlWriter) {
                #(#members)*
            }
        }

        impl #xml::FromXml for #name {
            #[inline]
            fn from_xml(#node: #xml::XmlNode<'_, '_>) -> ::core::result::Result<Self, ::std::string::String> {
                #locals
                #reads
                ::core::result::Result::Ok(#name {
                    #inits
                    #meta
                })
            }
        }
    }
}

fn emit_union(shape: &UnionIr) -> TokenStream {
    let name = &shape.ident;
    let shape_name = shape.id.name();
    let xml = xml();
    let ns = namespace(shape.xml_namespace.as_ref());
    let write_arms = shape.variants.iter().map(|v| {
        let ident = &v.ident;
        let write = write_element(
            &v.ty,
            &v.xml.name,
            namespace(v.xml.namespace.as_ref()),
            v.timestamp_format,
            quote!(value),
        );
        quote!(#name::#ident(value) => { #write })
    });
    let read_arms = shape.variants.iter().map(|v| {
        let ident = &v.ident;
        let wire = &v.xml.name;
        let member = &v.name;
        let read = read_value(&v.ty, v.timestamp_format);
        quote! {
            #wire => {
                let node = child;
                #name::#ident((#read).map_err(|e| #xml::in_member(#shape_name, #member, e))?)
            }
        }
    });
    quote! {
        impl #xml::ToXml for #name {
            const NAMESPACE: #xml::Namespace = #ns;
            #[inline]
            fn write_content(&self, writer: &mut #xml::XmlWriter) {
                match self {
                    #(#write_arms)*
                    #name::Unknown => {}
                    #name::__NonExhaustive(never) => never.unreachable(),
                }
            }
        }

        impl #xml::FromXml for #name {
            #[inline]
            fn from_xml(node: #xml::XmlNode<'_, '_>) -> ::core::result::Result<Self, ::std::string::String> {
                let mut set = ::core::option::Option::None;
                let mut any = false;
                for child in node.children() {
                    any = true;
                    let value = match child.name() {
                        #(#read_arms)*
                        _ => continue,
                    };
                    if set.replace(value).is_some() {
                        return ::core::result::Result::Err(::std::format!("{}: more than one member is set", #shape_name));
                    }
                }
                match set {
                    ::core::option::Option::Some(value) => ::core::result::Result::Ok(value),
                    ::core::option::Option::None if any => ::core::result::Result::Ok(#name::Unknown),
                    ::core::option::Option::None => ::core::result::Result::Err(::std::format!("{}: no member is set", #shape_name)),
                }
            }
        }
    }
}

fn emit_enum(shape: &EnumIr) -> TokenStream {
    let name = &shape.ident;
    let xml = xml();
    if shape.int {
        return quote! {
            impl #xml::ToXml for #name {
                #[inline]
                fn write_content(&self, writer: &mut #xml::XmlWriter) {
                    #xml::ToXml::write_content(&self.as_i32(), writer);
                }
            }

            impl #xml::FromXml for #name {
                #[inline]
                fn from_xml(node: #xml::XmlNode<'_, '_>) -> ::core::result::Result<Self, ::std::string::String> {
                    <i32 as #xml::FromXml>::from_xml(node).map(#name::from)
                }
            }
        };
    }
    quote! {
        impl #xml::ToXml for #name {
            #[inline]
            fn write_content(&self, writer: &mut #xml::XmlWriter) {
                writer.text(self.as_str());
            }
        }

        impl #xml::FromXml for #name {
            #[inline]
            fn from_xml(node: #xml::XmlNode<'_, '_>) -> ::core::result::Result<Self, ::std::string::String> {
                node.text().map(|text| #name::from(text.as_ref()))
            }
            #[inline]
            fn missing() -> ::core::option::Option<Self> {
                ::core::option::Option::Some(#name::Unknown(::std::string::String::new()))
            }
        }
    }
}
