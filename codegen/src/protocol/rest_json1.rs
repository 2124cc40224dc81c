//! `aws.protocols#restJson1`: the HTTP bindings with JSON bodies.

use super::document_body::{emit_codec, inserts, reads, Format};
use super::event_stream::EventFormat;
use super::http_bindings::{self, check_http, emit_serialize, BodyCodec};
use super::Protocol;
use crate::ir::{ErrorRef, FieldIr, Ir, NamedKind, OperationIr, StructureIr, TypeIr, TypeRef};
use crate::lower::Diagnostics;
use proc_macro2::TokenStream;
use quote::quote;

pub(crate) struct RestJson1;

/// restJson1 keys honour `@jsonName`.
const JSON: Format = Format::Json { json_names: true };

/// JSON bodies and payloads.
struct JsonBody;

impl BodyCodec for JsonBody {
    fn write_body(
        &self,
        _ir: &Ir,
        _op: &OperationIr,
        _input: &StructureIr,
        fields: &[&FieldIr],
    ) -> TokenStream {
        let inserts = inserts(JSON, fields.iter().copied(), quote!(input));
        quote! {
            let mut object = ::opgen::__private::serde_json::Map::new();
            #inserts
            request.json_body(::opgen::__private::serde_json::Value::Object(object));
        }
    }

    fn write_payload(
        &self,
        _ir: &Ir,
        _op: &OperationIr,
        field: &FieldIr,
        value: TokenStream,
    ) -> TokenStream {
        match &field.ty {
            TypeRef::Named {
                kind: NamedKind::Structure,
                ..
            } => quote! {
                // An unset structure payload is still sent as an empty object.
                match #value {
                    ::core::option::Option::Some(value) => request.json_body(::opgen::__private::json::ToJson::to_json(value)),
                    ::core::option::Option::None => request.json_body(::opgen::__private::serde_json::Value::Object(::opgen::__private::serde_json::Map::new())),
                }
            },
            _ => quote! {
                if let ::core::option::Option::Some(value) = #value {
                    request.json_body(::opgen::__private::json::ToJson::to_json(value));
                }
            },
        }
    }

    fn read_body(&self, shape: &StructureIr, fields: &[&FieldIr]) -> (TokenStream, TokenStream) {
        let reads = reads(JSON, shape, fields.iter().copied());
        let body = if shape.roles.error {
            // Error bodies are read leniently: an HTML page from a proxy
            // still yields the error its code header names.
            quote!(let object = &::opgen::__private::rest::error_body(response);)
        } else {
            quote! {
                let object = &::opgen::__private::rest::json_body(response).map_err(|e| ::std::string::String::from(e.reason()))?;
            }
        };
        (body, reads)
    }

    fn read_payload(&self, _ir: &Ir, _field: &FieldIr) -> TokenStream {
        quote! {
            if response.body().iter().all(u8::is_ascii_whitespace) {
                ::core::option::Option::None
            } else {
                let value: ::opgen::__private::serde_json::Value = ::opgen::__private::serde_json::from_slice(response.body())
                    .map_err(|e| ::std::format!("invalid JSON payload: {}", e))?;
                ::core::option::Option::Some(::opgen::__private::json::FromJson::from_json(&value)?)
            }
        }
    }

    fn missing(&self) -> TokenStream {
        quote!(::opgen::__private::json::FromJson::missing)
    }
}

impl Protocol for RestJson1 {
    fn runtime_tag(&self) -> TokenStream {
        quote!(::opgen::Protocol::RestJson1)
    }

    fn check(&self, ir: &Ir, op: &OperationIr, diagnostics: &mut Diagnostics) {
        check_http(ir, op, "restJson1", diagnostics);
    }

    fn type_items(&self, ir: &Ir, ty: &TypeIr) -> TokenStream {
        let codec = match ty {
            TypeIr::Union(u) if u.event_stream => {
                let from = super::event_stream::emit_from_event(EventFormat::Document(JSON), ir, u);
                let to = super::event_stream::emit_to_event(JSON, ir, u);
                quote!(#from #to)
            }
            _ => emit_codec(JSON, ty),
        };
        http_bindings::type_items(&JsonBody, codec, ir, ty)
    }

    fn serialize(&self, ir: &Ir, op: &OperationIr) -> TokenStream {
        emit_serialize(&JsonBody, ir, op)
    }

    fn deserialize(&self, ir: &Ir, op: &OperationIr) -> TokenStream {
        http_bindings::deserialize(ir, op)
    }

    fn error_metadata(&self, _op: &OperationIr) -> TokenStream {
        quote! {
            let body = ::opgen::__private::rest::error_body(response);
            let meta = ::opgen::__private::rest::error_metadata(response, &body);
        }
    }

    fn decode_error(&self, _ir: &Ir, error: &ErrorRef) -> TokenStream {
        let ident = &error.ident;
        quote!(#ident::__from_http(response))
    }

    fn operation_items(&self, op: &OperationIr) -> TokenStream {
        http_bindings::operation_items(op)
    }

    fn streaming(&self, ir: &Ir, op: &OperationIr) -> TokenStream {
        http_bindings::streaming(ir, op)
    }
}
