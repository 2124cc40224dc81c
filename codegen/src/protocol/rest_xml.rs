//! `aws.protocols#restXml`: the HTTP bindings with XML bodies.
//!
//! The input's body members go in a root element named after the input
//! structure (`@xmlName`, else the shape name); a structure or union
//! payload is the root itself, named after the member's `@xmlName`, else
//! its target's. A root declares the structure's `@xmlNamespace`, else the
//! service's. Errors are `<ErrorResponse><Error>…</Error></ErrorResponse>`,
//! or `<Error>…</Error>` with `noErrorWrapping` (S3); the code is `<Code>`.

use super::http_bindings::{self, check_http, emit_serialize, BodyCodec};
use super::xml_body::{self, emit_codec, namespace, read_members, MemberReads};
use super::Protocol;
use crate::emit::types::rust_type;
use crate::ir::{ErrorRef, FieldIr, Ir, OperationIr, StructureIr, TypeIr, TypeRef};
use crate::lower::Diagnostics;
use proc_macro2::TokenStream;
use quote::quote;

pub(crate) struct RestXml;

/// XML bodies and payloads.
struct XmlBody;

/// The element name of a document payload member: its `@xmlName`, else
/// the target's (`@xmlName` or shape name).
fn payload_root(ir: &Ir, field: &FieldIr) -> String {
    if field.xml.name != field.name {
        return field.xml.name.clone();
    }
    let TypeRef::Named { ident, .. } = &field.ty else {
        return field.xml.name.clone();
    };
    ir.types
        .iter()
        .find_map(|t| match t {
            TypeIr::Structure(s) if &s.ident == ident => Some(s.xml_name.clone()),
            TypeIr::Union(u) if &u.ident == ident => Some(u.xml_name.clone()),
            _ => None,
        })
        .unwrap_or_else(|| field.xml.name.clone())
}

impl BodyCodec for XmlBody {
    fn write_body(
        &self,
        _ir: &Ir,
        op: &OperationIr,
        input: &StructureIr,
        fields: &[&FieldIr],
    ) -> TokenStream {
        let root = &input.xml_name;
        let ns = namespace(
            input
                .xml_namespace
                .as_ref()
                .or(op.service.xml_namespace.as_ref()),
        );
        let attributes = fields
            .iter()
            .filter(|f| f.xml.attribute)
            .map(|f| xml_body::write_attribute(f, quote!(input)));
        let members = fields
            .iter()
            .filter(|f| !f.xml.attribute)
            .map(|f| xml_body::write_member(f, quote!(input)));
        quote! {
            let mut writer = ::opgen::__private::xml::XmlWriter::new();
            writer.open(#root, #ns);
            #(#attributes)*
            writer.close_start();
            #(#members)*
            writer.end(#root);
            request.body(::opgen::__private::rest_xml::xml_body(writer), "application/xml");
        }
    }

    fn write_payload(
        &self,
        ir: &Ir,
        op: &OperationIr,
        field: &FieldIr,
        value: TokenStream,
    ) -> TokenStream {
        let root = payload_root(ir, field);
        let member_ns = namespace(field.xml.namespace.as_ref());
        let service_ns = namespace(op.service.xml_namespace.as_ref());
        // An unset payload sends no body at all.
        quote! {
            if let ::core::option::Option::Some(value) = #value {
                let mut writer = ::opgen::__private::xml::XmlWriter::new();
                writer.root(#root, #member_ns, #service_ns, value);
                request.body(::opgen::__private::rest_xml::xml_body(writer), "application/xml");
            }
        }
    }

    fn read_body(&self, shape: &StructureIr, fields: &[&FieldIr]) -> (TokenStream, TokenStream) {
        let MemberReads {
            locals,
            reads,
            inits,
        } = read_members(shape, fields.iter().copied());
        let node = if shape.roles.error {
            // Error bodies are read leniently: the code and status still
            // name the error when the body is empty or not XML.
            quote! {
                let document = ::opgen::__private::rest_xml::error_document(response);
                let node = document.as_ref().and_then(::opgen::__private::rest_xml::error_element);
            }
        } else {
            quote! {
                let document = ::opgen::__private::rest_xml::body_document(response)?;
                let node = document.as_ref().map(::opgen::__private::xml::XmlDocument::root);
            }
        };
        let statements = quote! {
            #node
            #locals
            if let ::core::option::Option::Some(node) = node {
                #reads
            }
        };
        (statements, inits)
    }

    fn read_payload(&self, _ir: &Ir, field: &FieldIr) -> TokenStream {
        let rust = rust_type(&field.ty);
        quote! {
            match ::opgen::__private::rest_xml::body_document(response)? {
                ::core::option::Option::Some(document) => ::core::option::Option::Some(
                    <#rust as ::opgen::__private::xml::FromXml>::from_xml(document.root())?,
                ),
                ::core::option::Option::None => ::core::option::Option::None,
            }
        }
    }

    fn missing(&self) -> TokenStream {
        quote!(::opgen::__private::xml::FromXml::missing)
    }
}

impl Protocol for RestXml {
    fn runtime_tag(&self) -> TokenStream {
        quote!(::opgen::Protocol::RestXml)
    }

    fn check(&self, ir: &Ir, op: &OperationIr, diagnostics: &mut Diagnostics) {
        check_http(ir, op, "restXml", diagnostics);
        super::check_no_documents(ir, op, "restXml", diagnostics);
        super::event_stream::check_no_input_stream(ir, op, "restXml", diagnostics);
    }

    fn type_items(&self, ir: &Ir, ty: &TypeIr) -> TokenStream {
        let codec = match ty {
            TypeIr::Union(u) if u.event_stream => {
                super::event_stream::emit_from_event(super::event_stream::EventFormat::Xml, ir, u)
            }
            _ => emit_codec(ty),
        };
        http_bindings::type_items(&XmlBody, codec, ir, ty)
    }

    fn serialize(&self, ir: &Ir, op: &OperationIr) -> TokenStream {
        emit_serialize(&XmlBody, ir, op)
    }

    fn deserialize(&self, ir: &Ir, op: &OperationIr) -> TokenStream {
        http_bindings::deserialize(ir, op)
    }

    fn is_error(&self, ir: &Ir, op: &OperationIr) -> TokenStream {
        // S3 (the `noErrorWrapping` service) may answer 200 and then send an
        // `<Error>` document when a long copy or upload completion fails
        // after the status went out. A streamed output is never read here.
        let output = op.output.as_ref().and_then(|o| ir.structure(&o.id));
        let buffered = output.is_none_or(|s| !s.has_stream() && s.xml_name != "Error");
        if op.service.no_error_wrapping && buffered {
            quote! {
                !response.status().is_success()
                    || ::opgen::__private::rest_xml::is_error_document(response.body())
            }
        } else {
            quote!(!response.status().is_success())
        }
    }

    fn error_metadata(&self, op: &OperationIr) -> TokenStream {
        let wrapped = !op.service.no_error_wrapping;
        quote! {
            let meta = ::opgen::__private::rest_xml::error_metadata(response, #wrapped);
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
