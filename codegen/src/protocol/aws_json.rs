//! `aws.protocols#awsJson1_0` and `awsJson1_1`: JSON-RPC. The whole input is
//! the JSON body of a `POST /`, `X-Amz-Target` names the operation, HTTP
//! binding traits are ignored, and errors name their shape in `__type`.

use super::document_body::{emit_codec, read_error, read_output, Format};
use super::event_stream::EventFormat;
use super::{check_host_prefix, rpc_serialize, Protocol};
use crate::ir::{ErrorRef, Ir, OperationIr, TypeIr};
use crate::lower::Diagnostics;
use proc_macro2::TokenStream;
use quote::quote;

/// awsJson keys ignore `@jsonName`.
const FORMAT: Format = Format::Json { json_names: false };

pub(crate) struct AwsJson {
    content_type: &'static str,
    version: Version,
}

#[derive(Clone, Copy)]
enum Version {
    V1_0,
    V1_1,
}

pub(crate) static AWS_JSON_1_0: AwsJson = AwsJson {
    content_type: "application/x-amz-json-1.0",
    version: Version::V1_0,
};

pub(crate) static AWS_JSON_1_1: AwsJson = AwsJson {
    content_type: "application/x-amz-json-1.1",
    version: Version::V1_1,
};

impl Protocol for AwsJson {
    fn runtime_tag(&self) -> TokenStream {
        match self.version {
            Version::V1_0 => quote!(::opgen::Protocol::AwsJson1_0),
            Version::V1_1 => quote!(::opgen::Protocol::AwsJson1_1),
        }
    }

    fn check(&self, ir: &Ir, op: &OperationIr, diagnostics: &mut Diagnostics) {
        check_host_prefix(ir, op, diagnostics);
        super::check_no_byte_stream(ir, op, "awsJson", diagnostics);
        super::event_stream::check_no_input_stream(ir, op, "awsJson", diagnostics);
    }

    fn type_items(&self, ir: &Ir, ty: &TypeIr) -> TokenStream {
        match ty {
            TypeIr::Union(u) if u.event_stream => {
                super::event_stream::emit_from_event(EventFormat::Document(FORMAT), ir, u)
            }
            _ => emit_codec(FORMAT, ty),
        }
    }

    fn serialize(&self, ir: &Ir, op: &OperationIr) -> TokenStream {
        let content_type = self.content_type;
        let target = format!("{}.{}", op.service.id.name(), op.name);
        let query_compatible = op.service.query_compatible;
        rpc_serialize(
            ir,
            op,
            quote!(::opgen::__private::json::ToJson::to_json(input)),
            quote!(::opgen::__private::serde_json::Value::Object(
                ::opgen::__private::serde_json::Map::new()
            )),
            |body| quote!(::opgen::__private::aws_json::request(#content_type, #target, #body, #query_compatible)),
        )
    }

    fn deserialize(&self, ir: &Ir, op: &OperationIr) -> TokenStream {
        match op.output.as_ref().and_then(|o| ir.structure(&o.id)) {
            // Read as the client reads one arriving, initial response first.
            Some(shape) if shape.event_stream().is_some() => quote! {
                <Self as ::opgen::Operation>::deserialize_streaming(
                    ::opgen::__private::event_stream::with_initial_response(response),
                )
            },
            Some(shape) => read_output(
                FORMAT,
                &shape.ident,
                quote!(::opgen::__private::rest::json_body),
            ),
            None => quote!(::core::result::Result::Ok(())),
        }
    }

    fn error_metadata(&self, op: &OperationIr) -> TokenStream {
        let query_compatible = op.service.query_compatible;
        quote! {
            let body = ::opgen::__private::rest::error_body(response);
            let meta = ::opgen::__private::aws_json::error_metadata(response, &body, #query_compatible);
        }
    }

    fn decode_error(&self, _ir: &Ir, error: &ErrorRef) -> TokenStream {
        read_error(FORMAT, &error.ident)
    }

    fn streaming(&self, ir: &Ir, op: &OperationIr) -> TokenStream {
        super::event_stream::rpc_streaming(FORMAT, ir, op)
    }
}
