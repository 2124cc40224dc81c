//! `aws.protocols#awsQuery` and `aws.protocols#ec2Query`: every request is a
//! form-encoded `POST /` naming the operation (`Action`) and the API
//! version, with the input's members as `key=value` pairs (see
//! `query_body`); responses and errors are XML. HTTP binding traits are
//! ignored. The two differ in key names, list keys and response wrappers.

use super::query_body::{self, Flavor};
use super::xml_body;
use super::{check_host_prefix, rpc_serialize, Protocol};
use crate::ir::{ErrorRef, Ir, OperationIr, TypeIr};
use crate::lower::Diagnostics;
use proc_macro2::TokenStream;
use quote::quote;

pub(crate) struct AwsQuery {
    flavor: Flavor,
}

pub(crate) static AWS_QUERY: AwsQuery = AwsQuery {
    flavor: Flavor::AwsQuery,
};

pub(crate) static EC2_QUERY: AwsQuery = AwsQuery {
    flavor: Flavor::Ec2Query,
};

impl AwsQuery {
    fn name(&self) -> &'static str {
        match self.flavor {
            Flavor::AwsQuery => "awsQuery",
            Flavor::Ec2Query => "ec2Query",
        }
    }
}

impl Protocol for AwsQuery {
    fn runtime_tag(&self) -> TokenStream {
        match self.flavor {
            Flavor::AwsQuery => quote!(::opgen::Protocol::AwsQuery),
            Flavor::Ec2Query => quote!(::opgen::Protocol::Ec2Query),
        }
    }

    fn check(&self, ir: &Ir, op: &OperationIr, diagnostics: &mut Diagnostics) {
        check_host_prefix(ir, op, diagnostics);
        super::check_no_byte_stream(ir, op, self.name(), diagnostics);
        super::event_stream::check_no_input_stream(ir, op, self.name(), diagnostics);
        super::check_no_documents(ir, op, self.name(), diagnostics);
        super::event_stream::check_unsupported(ir, op, self.name(), diagnostics);
    }

    fn type_items(&self, _ir: &Ir, ty: &TypeIr) -> TokenStream {
        let query = query_body::emit_codec(self.flavor, ty);
        let xml = xml_body::emit_codec(ty);
        quote!(#query #xml)
    }

    fn serialize(&self, ir: &Ir, op: &OperationIr) -> TokenStream {
        let action = &op.name;
        let version = &op.service.version;
        let writer = quote!(::opgen::__private::query::Writer::new(#action, #version));
        rpc_serialize(
            ir,
            op,
            quote! {{
                let mut writer = #writer;
                ::opgen::__private::query::ToQuery::to_query(input, &mut writer, "");
                writer
            }},
            writer.clone(),
            |body| quote!(::opgen::__private::query::request(#body)),
        )
    }

    fn deserialize(&self, ir: &Ir, op: &OperationIr) -> TokenStream {
        let Some(output) = op.output.as_ref().and_then(|o| ir.structure(&o.id)) else {
            return quote!(::core::result::Result::Ok(()));
        };
        let ident = &output.ident;
        // awsQuery wraps the output in `<{Op}Result>` (whatever the
        // output's `@xmlName`); ec2Query puts it right in the root.
        let result = match self.flavor {
            Flavor::AwsQuery => {
                let name = format!("{}Result", op.name);
                quote!(::core::option::Option::Some(#name))
            }
            Flavor::Ec2Query => quote!(::core::option::Option::None),
        };
        quote! {
            ::opgen::__private::query::read_output::<#ident>(&response, #result)
                .map_err(::opgen::Error::Response)
        }
    }

    fn error_metadata(&self, op: &OperationIr) -> TokenStream {
        // Only modeled errors are read from the element.
        let element = (!op.errors.is_empty()).then(|| {
            quote! {
                let document = ::opgen::__private::rest_xml::error_document(response);
                let error_element = document.as_ref().and_then(::opgen::__private::rest_xml::error_element);
            }
        });
        quote! {
            #element
            let meta = ::opgen::__private::rest_xml::error_metadata(response, true);
        }
    }

    fn decode_error(&self, _ir: &Ir, error: &ErrorRef) -> TokenStream {
        let ident = &error.ident;
        quote!(::opgen::__private::query::read_error::<#ident>(error_element))
    }

    fn query_error_codes(&self, _op: &OperationIr) -> bool {
        true
    }
}
