//! `aws.protocols#awsQuery` and `aws.protocols#ec2Query`: every request is a
//! form-encoded `POST /` naming the operation (`Action`) and the API
//! version, with the input's members as `key=value` pairs (see
//! `query_body`); responses and errors are XML. HTTP binding traits are
//! ignored. The two differ in key names, list keys and response wrappers.

use super::query_body::{self, Flavor};
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
        // The types are shared by every operation of the expansion: check
        // them once, not once per operation.
        if ir.operations.first().is_some_and(|first| first.id == op.id) {
            for ty in &ir.types {
                match ty {
                    TypeIr::Structure(s) => {
                        for f in &s.fields {
                            query_body::check_type(
                                &f.ty,
                                &format!("{}${}", s.id, f.name),
                                diagnostics,
                            );
                        }
                    }
                    TypeIr::Union(u) => {
                        for v in &u.variants {
                            query_body::check_type(
                                &v.ty,
                                &format!("{}${}", u.id, v.name),
                                diagnostics,
                            );
                        }
                    }
                    TypeIr::Enum(_) => {}
                }
            }
        }
    }

    fn type_items(&self, ir: &Ir, ty: &TypeIr) -> TokenStream {
        let codec = query_body::emit_codec(self.flavor, ty);
        let values = super::json_values(ir, ty);
        quote!(#codec #values)
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

    fn deserialize(&self, _ir: &Ir, _op: &OperationIr) -> TokenStream {
        quote! {
            ::core::result::Result::Err(::opgen::Error::Response(::opgen::ResponseError::new(
                "query responses are not read yet",
                &response,
            )))
        }
    }

    fn error_metadata(&self, _op: &OperationIr) -> TokenStream {
        quote! {
            let meta = ::opgen::ErrorMetadata::new(::core::option::Option::None, ::core::option::Option::None, ::core::option::Option::None);
        }
    }

    fn decode_error(&self, _ir: &Ir, error: &ErrorRef) -> TokenStream {
        let ident = &error.ident;
        quote!(::core::result::Result::<#ident, ::std::string::String>::Err(::std::string::String::new()))
    }

    fn query_error_codes(&self, _op: &OperationIr) -> bool {
        true
    }
}
