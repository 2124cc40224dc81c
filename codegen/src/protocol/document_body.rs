//! The document body codecs: JSON (restJson1, awsJson) and CBOR
//! (rpcv2Cbor) put the same data model on the wire in two encodings, so one
//! emitter writes both: `ToJson`/`FromJson` or `ToCbor`/`FromCbor` impls of
//! generated types, and the member reads and writes protocols use for the
//! parts of a message that are a document.

use crate::ir::{EnumIr, FieldIr, StructureIr, TypeIr, TypeRef, UnionIr};
use opgen_model::TimestampFormat;
use proc_macro2::{Ident, TokenStream};
use quote::quote;

/// A document encoding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Format {
    /// JSON; `json_names` says whether keys honour `@jsonName` (restJson1
    /// does, awsJson ignores the trait).
    Json { json_names: bool },
    /// CBOR: keys are member names, timestamps always epoch seconds (tag 1).
    Cbor,
}

/// The runtime paths a codec impl names.
struct Paths {
    module: TokenStream,
    write_trait: TokenStream,
    write_fn: TokenStream,
    read_trait: TokenStream,
    read_fn: TokenStream,
    value_ty: TokenStream,
}

impl Format {
    fn paths(self) -> Paths {
        Paths {
            module: self.module(),
            write_trait: self.write_trait(),
            write_fn: self.write_fn(),
            read_trait: self.read_trait(),
            read_fn: self.read_fn(),
            value_ty: self.value_type(),
        }
    }

    /// The runtime module of the codec.
    fn module(self) -> TokenStream {
        match self {
            Format::Json { .. } => quote!(::opgen::__private::json),
            Format::Cbor => quote!(::opgen::__private::cbor),
        }
    }

    /// The runtime's value type.
    pub(crate) fn value_type(self) -> TokenStream {
        match self {
            Format::Json { .. } => quote!(::opgen::__private::serde_json::Value),
            Format::Cbor => quote!(::opgen::__private::cbor::Value),
        }
    }

    pub(crate) fn write_trait(self) -> TokenStream {
        let module = self.module();
        match self {
            Format::Json { .. } => quote!(#module::ToJson),
            Format::Cbor => quote!(#module::ToCbor),
        }
    }

    pub(crate) fn read_trait(self) -> TokenStream {
        let module = self.module();
        match self {
            Format::Json { .. } => quote!(#module::FromJson),
            Format::Cbor => quote!(#module::FromCbor),
        }
    }

    /// `to_json` / `to_cbor`.
    pub(crate) fn write_fn(self) -> TokenStream {
        match self {
            Format::Json { .. } => quote!(to_json),
            Format::Cbor => quote!(to_cbor),
        }
    }

    /// `from_json` / `from_cbor`.
    pub(crate) fn read_fn(self) -> TokenStream {
        match self {
            Format::Json { .. } => quote!(from_json),
            Format::Cbor => quote!(from_cbor),
        }
    }

    /// A new, empty map of the value type.
    pub(crate) fn new_map(self) -> TokenStream {
        match self {
            Format::Json { .. } => quote!(::opgen::__private::serde_json::Map::new()),
            Format::Cbor => quote!(::opgen::__private::cbor::Map::new()),
        }
    }

    /// The value of the map `map`.
    pub(crate) fn map_value(self, map: TokenStream) -> TokenStream {
        match self {
            Format::Json { .. } => quote!(::opgen::__private::serde_json::Value::Object(#map)),
            Format::Cbor => quote!(::opgen::__private::cbor::Value::Map(#map)),
        }
    }

    /// The wire key of a member.
    fn key<'a>(self, name: &'a str, json_name: &'a str) -> &'a str {
        match self {
            Format::Json { json_names: true } => json_name,
            _ => name,
        }
    }

    /// The value expression of a member value `value` (a reference).
    fn member_value(
        self,
        ty: &TypeRef,
        format: Option<TimestampFormat>,
        value: TokenStream,
    ) -> TokenStream {
        match (self, ty) {
            (Format::Json { .. }, TypeRef::Timestamp { .. }) => {
                let format =
                    timestamp_format_tokens(format.unwrap_or(TimestampFormat::EpochSeconds));
                quote!(::opgen::__private::json::timestamp_to_json(#value, #format))
            }
            _ => {
                let (write_trait, write_fn) = (self.write_trait(), self.write_fn());
                quote!(#write_trait::#write_fn(#value))
            }
        }
    }
}

pub(crate) fn timestamp_format_tokens(format: TimestampFormat) -> TokenStream {
    match format {
        TimestampFormat::DateTime => quote!(::opgen::__private::json::TimestampFormat::DateTime),
        TimestampFormat::HttpDate => quote!(::opgen::__private::json::TimestampFormat::HttpDate),
        TimestampFormat::EpochSeconds => {
            quote!(::opgen::__private::json::TimestampFormat::EpochSeconds)
        }
    }
}

/// Statements that insert `fields` of `source` (an expression of the
/// structure) into a map of the format named `object`.
pub(crate) fn inserts<'f>(
    format: Format,
    fields: impl IntoIterator<Item = &'f FieldIr>,
    source: TokenStream,
) -> TokenStream {
    let inserts = fields.into_iter().map(|f| {
        let ident = &f.ident;
        let wire = format.key(&f.name, &f.json_name);
        if f.optional {
            let value = format.member_value(&f.ty, f.timestamp_format, quote!(value));
            quote! {
                if let ::core::option::Option::Some(value) = &#source.#ident {
                    object.insert(::std::string::String::from(#wire), #value);
                }
            }
        } else {
            let value = format.member_value(&f.ty, f.timestamp_format, quote!(&#source.#ident));
            quote!(object.insert(::std::string::String::from(#wire), #value);)
        }
    });
    quote!(#(#inserts)*)
}

/// Field initialisers reading `fields` from a map of the format named `object`.
pub(crate) fn reads<'f>(
    format: Format,
    shape: &StructureIr,
    fields: impl IntoIterator<Item = &'f FieldIr>,
) -> TokenStream {
    let module = format.module();
    let shape_name = shape.name();
    let reads = fields.into_iter().map(|f| {
        let ident = &f.ident;
        let wire = format.key(&f.name, &f.json_name);
        if let (true, Some(default)) = (f.optional, &f.default) {
            // A member the service left out takes the model's @default.
            let default = default.to_string();
            quote!(#ident: #module::member_or_default(object, #shape_name, #wire, #default)?,)
        } else if f.optional {
            quote!(#ident: #module::member(object, #shape_name, #wire)?,)
        } else {
            quote!(#ident: #module::required_member(object, #shape_name, #wire)?,)
        }
    });
    quote!(#(#reads)*)
}

/// The successful branch of `deserialize` for a protocol whose whole
/// output is the body document: `body` is the runtime function that reads
/// the response body as the format's map.
pub(crate) fn read_output(format: Format, output: &Ident, body: TokenStream) -> TokenStream {
    let (read_trait, read_fn) = (format.read_trait(), format.read_fn());
    let value = format.map_value(quote!(map));
    quote! {
        let map = #body(&response).map_err(::opgen::Error::Response)?;
        <#output as #read_trait>::#read_fn(&#value)
            .map_err(|reason| ::opgen::Error::Response(::opgen::ResponseError::new(reason, &response)))
    }
}

/// Reads the modeled error `error` from the parsed error body map `body`.
pub(crate) fn read_error(format: Format, error: &Ident) -> TokenStream {
    let (read_trait, read_fn) = (format.read_trait(), format.read_fn());
    let value = format.map_value(quote!(::core::clone::Clone::clone(&body)));
    quote!(<#error as #read_trait>::#read_fn(&#value))
}

/// The codec impls of a generated type. A structure holding a stream is
/// only ever a whole HTTP message, never a document value.
pub(crate) fn emit_codec(format: Format, ty: &TypeIr) -> TokenStream {
    match ty {
        TypeIr::Structure(s) if s.has_stream() => TokenStream::new(),
        TypeIr::Structure(s) => emit_structure(format, s),
        TypeIr::Union(u) => emit_union(format, u),
        TypeIr::Enum(e) => emit_enum(format, e),
    }
}

fn emit_structure(format: Format, shape: &StructureIr) -> TokenStream {
    let name = &shape.ident;
    let shape_name = shape.name();
    let Paths {
        module,
        write_trait,
        write_fn,
        read_trait,
        read_fn,
        value_ty: value,
    } = format.paths();
    let inserts = inserts(format, &shape.fields, quote!(self));
    let reads = reads(format, shape, &shape.fields);
    let meta = shape
        .roles
        .error
        .then(|| quote!(__meta: ::core::default::Default::default(),));
    let object_binding = if shape.fields.is_empty() {
        quote!(let _ = #module::object(value, #shape_name)?;)
    } else {
        quote!(let object = #module::object(value, #shape_name)?;)
    };
    let mut_kw = (!shape.fields.is_empty()).then(|| quote!(mut));
    let new_map = format.new_map();
    let map_value = format.map_value(quote!(object));
    quote! {
        impl #write_trait for #name {
            #[inline]
            fn #write_fn(&self) -> #value {
                let #mut_kw object = #new_map;
                #inserts
                #map_value
            }
        }

        impl #read_trait for #name {
            #[inline]
            fn #read_fn(value: &#value) -> ::core::result::Result<Self, ::std::string::String> {
                #object_binding
                ::core::result::Result::Ok(#name {
                    #reads
                    #meta
                })
            }
        }
    }
}

fn emit_union(format: Format, shape: &UnionIr) -> TokenStream {
    let name = &shape.ident;
    let shape_name = shape.id.name();
    let Paths {
        module,
        write_trait,
        write_fn,
        read_trait,
        read_fn,
        value_ty,
    } = format.paths();
    let to_arms = shape.variants.iter().map(|v| {
        let ident = &v.ident;
        let wire = format.key(&v.name, &v.json_name);
        let value = format.member_value(&v.ty, v.timestamp_format, quote!(value));
        quote!(#name::#ident(value) => { object.insert(::std::string::String::from(#wire), #value); })
    });
    let from_arms = shape.variants.iter().map(|v| {
        let ident = &v.ident;
        let wire = format.key(&v.name, &v.json_name);
        quote! {
            #wire => #name::#ident(
                #read_trait::#read_fn(value)
                    .map_err(|e| ::std::format!("{}.{}: {}", #shape_name, #wire, e))?,
            ),
        }
    });
    let is_null = match format {
        Format::Json { .. } => quote!(value.is_null()),
        Format::Cbor => quote!(::opgen::__private::cbor::is_null(value)),
    };
    let new_map = format.new_map();
    let map_value = format.map_value(quote!(object));
    quote! {
        impl #write_trait for #name {
            #[inline]
            fn #write_fn(&self) -> #value_ty {
                let mut object = #new_map;
                match self {
                    #(#to_arms)*
                    #name::Unknown => {}
                    #name::__NonExhaustive(never) => never.unreachable(),
                }
                #map_value
            }
        }

        impl #read_trait for #name {
            #[inline]
            fn #read_fn(value: &#value_ty) -> ::core::result::Result<Self, ::std::string::String> {
                let object = #module::object(value, #shape_name)?;
                let mut set = object.iter().filter(|(key, value)| !#is_null && key.as_str() != "__type");
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
                    #(#from_arms)*
                    _ => #name::Unknown,
                })
            }
        }
    }
}

fn emit_enum(format: Format, shape: &EnumIr) -> TokenStream {
    let name = &shape.ident;
    let Paths {
        module,
        write_trait,
        write_fn,
        read_trait,
        read_fn,
        value_ty,
    } = format.paths();
    if shape.int {
        return quote! {
            impl #write_trait for #name {
                #[inline]
                fn #write_fn(&self) -> #value_ty {
                    #write_trait::#write_fn(&self.as_i32())
                }
            }

            impl #read_trait for #name {
                #[inline]
                fn #read_fn(value: &#value_ty) -> ::core::result::Result<Self, ::std::string::String> {
                    <i32 as #read_trait>::#read_fn(value).map(#name::from)
                }
            }
        };
    }
    quote! {
        impl #write_trait for #name {
            #[inline]
            fn #write_fn(&self) -> #value_ty {
                #write_trait::#write_fn(&::std::string::String::from(self.as_str()))
            }
        }

        impl #read_trait for #name {
            #[inline]
            fn #read_fn(value: &#value_ty) -> ::core::result::Result<Self, ::std::string::String> {
                <::std::string::String as #read_trait>::#read_fn(value)
                    .map(|text| #name::from(text.as_str()))
                    .map_err(|_| #module::expected("a string", value))
            }
            #[inline]
            fn missing() -> ::core::option::Option<Self> {
                ::core::option::Option::Some(#name::Unknown(::std::string::String::new()))
            }
        }
    }
}
