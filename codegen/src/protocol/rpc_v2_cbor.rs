//! `smithy.protocols#rpcv2Cbor`: RPC over `POST
//! /service/{service}/operation/{operation}` with CBOR bodies. HTTP binding
//! traits are ignored, timestamps are epoch seconds (tag 1), blobs byte
//! strings, and errors name their shape in `__type`.

use super::document_body::{emit_codec, read_error, read_output, Format};
use super::{check_host_prefix, rpc_serialize, Protocol};
use crate::ir::{ErrorRef, Ir, OperationIr, TypeIr};
use crate::lower::Diagnostics;
use proc_macro2::TokenStream;
use quote::quote;

pub(crate) struct RpcV2Cbor;

const FORMAT: Format = Format::Cbor;

impl Protocol for RpcV2Cbor {
    fn runtime_tag(&self) -> TokenStream {
        quote!(::opgen::Protocol::RpcV2Cbor)
    }

    fn check(&self, ir: &Ir, op: &OperationIr, diagnostics: &mut Diagnostics) {
        check_host_prefix(ir, op, diagnostics);
        super::check_no_byte_stream(ir, op, "rpcv2Cbor", diagnostics);
        super::event_stream::check_no_input_stream(ir, op, "rpcv2Cbor", diagnostics);
    }

    fn type_items(&self, ir: &Ir, ty: &TypeIr) -> TokenStream {
        match ty {
            TypeIr::Union(u) if u.event_stream => super::event_stream::emit_from_event(
                super::event_stream::EventFormat::Document(FORMAT),
                ir,
                u,
            ),
            _ => emit_codec(FORMAT, ty),
        }
    }

    fn serialize(&self, ir: &Ir, op: &OperationIr) -> TokenStream {
        let service = op.service.id.name();
        let operation = &op.name;
        let query_compatible = op.service.query_compatible;
        rpc_serialize(
            ir,
            op,
            quote!(::core::option::Option::Some(
                ::opgen::__private::cbor::ToCbor::to_cbor(input)
            )),
            quote!(::core::option::Option::None),
            |body| quote!(::opgen::__private::rpc_v2_cbor::request(#service, #operation, #body, #query_compatible)),
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
                quote!(::opgen::__private::rpc_v2_cbor::body),
            ),
            None => quote!(::core::result::Result::Ok(())),
        }
    }

    fn error_metadata(&self, op: &OperationIr) -> TokenStream {
        let query_compatible = op.service.query_compatible;
        quote! {
            let body = ::opgen::__private::rpc_v2_cbor::error_body(response);
            let meta = ::opgen::__private::rpc_v2_cbor::error_metadata(response, &body, #query_compatible);
        }
    }

    fn decode_error(&self, _ir: &Ir, error: &ErrorRef) -> TokenStream {
        read_error(FORMAT, &error.ident)
    }

    fn streaming(&self, ir: &Ir, op: &OperationIr) -> TokenStream {
        super::event_stream::rpc_streaming(FORMAT, ir, op)
    }
}
