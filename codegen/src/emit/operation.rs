//! The operation type: service metadata, endpoint items, and the
//! `Operation` impl whose wire half the service's protocol writes.

use crate::docs::doc_attrs;
use crate::emit::endpoint::emit_endpoint;
use crate::ir::{ChecksumMemberIr, Ir, OperationIr};
use crate::protocol::protocol;
use proc_macro2::TokenStream;
use quote::quote;

/// `owner`: the operation that emits the service's endpoint rules;
/// `compiled`: they are compiled into a resolver function.
/// `shares_input`: another operation of the expansion has the same input.
pub(crate) fn emit_operation(
    ir: &Ir,
    op: &OperationIr,
    owner: &str,
    compiled: bool,
    shares_input: bool,
) -> TokenStream {
    let protocol = protocol(op.service.protocol);
    let name = &op.ident;
    let error = &op.error_ident;
    let op_name = &op.name;
    let service_meta = service_metadata(op, protocol.runtime_tag());
    let endpoint = emit_endpoint(ir, op, owner, compiled);
    let (endpoint_module_items, endpoint_impl_items) = (endpoint.module_items, endpoint.impl_items);
    let input_ty = match &op.input {
        Some(input) => {
            let ident = &input.ident;
            quote!(#ident)
        }
        None => quote!(()),
    };
    let output_ty = match &op.output {
        Some(output) => {
            let ident = &output.ident;
            quote!(#ident)
        }
        None => quote!(()),
    };
    let serialize = protocol.serialize(ir, op);
    let output = protocol.deserialize(ir, op);
    let streaming = protocol.streaming(ir, op);
    let error_metadata = protocol.error_metadata(op);
    let is_error = protocol.is_error(ir, op);
    let error_arms: Vec<TokenStream> = op
        .errors
        .iter()
        .map(|e| {
            let ident = &e.ident;
            let code = &e.code;
            // A query protocol, or a query-compatible service, sends the
            // `@awsQueryError` code instead.
            let query_code = e
                .query_code
                .as_ref()
                .filter(|c| protocol.query_error_codes(op) && *c != code)
                .map(|c| quote!(| ::core::option::Option::Some(#c)));
            let decode = protocol.decode_error(ir, e);
            quote! {
                ::core::option::Option::Some(#code) #query_code => match #decode {
                    ::core::result::Result::Ok(e) => #error::#ident(e.__with_meta(meta)),
                    // The code names a modeled error but its body does not fit
                    // the model: keep what is known rather than fail the parse.
                    ::core::result::Result::Err(_) => #error::Unhandled(::opgen::UnhandledError::new(meta, response)),
                },
            }
        })
        .collect();
    let unhandled = quote!(#error::Unhandled(::opgen::UnhandledError::new(meta, response)));
    let dispatch = if error_arms.is_empty() {
        unhandled
    } else {
        quote! {
            match meta.code() {
                #(#error_arms)*
                _ => #unhandled,
            }
        }
    };
    let operation_input = (op.input.is_some() && !shares_input).then(|| {
        quote! {
            impl ::opgen::OperationInput for #input_ty {
                type Operation = #name;
            }
        }
    });
    let docs = doc_attrs(op.docs.as_deref(), &format!("The `{op_name}` operation."));
    let alias = |alias: &Option<proc_macro2::Ident>, ty: &TokenStream, role: &str| {
        alias.as_ref().map(|alias| {
            let doc = if ty.is_empty() || ty.to_string() == "()" {
                format!(" The {role} of `{op_name}`, which has none: `()`.")
            } else {
                format!(" The {role} of `{op_name}`, by the operation's name (the model calls it `{ty}`).")
            };
            quote! {
                #[doc = #doc]
                pub type #alias = #ty;
            }
        })
    };
    let input_alias = alias(&op.input_alias, &input_ty, "input");
    let output_alias = alias(&op.output_alias, &output_ty, "output");
    let method_consts = protocol.operation_items(op);
    let encodings = &op.request_compression;
    let request_compression = (!encodings.is_empty())
        .then(|| quote!(const REQUEST_COMPRESSION: &'static [&'static str] = &[#(#encodings),*];));
    let http_checksum = http_checksum(op);
    let unsigned = op.unsigned.then(|| {
        quote!(
            const UNSIGNED: bool = true;
        )
    });
    quote! {
        #docs
        ///
        /// Send it with [`Client::send`](::opgen::Client::send), or use the
        /// sans-IO [`Operation`](::opgen::Operation) methods directly.
        #[derive(::core::fmt::Debug, ::core::clone::Clone, ::core::marker::Copy, ::core::default::Default)]
        pub struct #name;

        #endpoint_module_items

        impl #name {
            #method_consts

            #[inline]
            fn __error(response: &::opgen::__private::http::Response<::opgen::__private::bytes::Bytes>) -> ::opgen::Error<#error> {
                #error_metadata
                let error = #dispatch;
                ::opgen::Error::Service(::opgen::ServiceError::new(error, response))
            }
        }

        impl ::opgen::Operation for #name {
            type Input = #input_ty;
            type Output = #output_ty;
            type Error = #error;

            const NAME: &'static str = #op_name;
            #request_compression
            #unsigned
            #http_checksum
            const SERVICE: &'static ::opgen::ServiceMetadata = &#service_meta;
            #endpoint_impl_items

            #[inline]
            fn serialize(
                input: &Self::Input,
                endpoint: &::opgen::Endpoint,
            ) -> ::core::result::Result<::opgen::__private::http::Request<::opgen::__private::bytes::Bytes>, ::opgen::BuildError> {
                #serialize
            }

            #[inline]
            fn deserialize(
                response: ::opgen::__private::http::Response<::opgen::__private::bytes::Bytes>,
            ) -> ::core::result::Result<Self::Output, ::opgen::Error<Self::Error>> {
                if #is_error {
                    return ::core::result::Result::Err(Self::__error(&response));
                }
                #output
            }

            #streaming
        }

        #operation_input
        #input_alias
        #output_alias
    }
}

/// `HTTP_CHECKSUM` and `checksum_members` of an operation with
/// `@httpChecksum`, which the client reads to add and check checksums
/// whatever the protocol.
fn http_checksum(op: &OperationIr) -> TokenStream {
    let Some(checksum) = &op.http_checksum else {
        return TokenStream::new();
    };
    let option_str = |value: Option<&String>| match value {
        Some(value) => quote!(::core::option::Option::Some(#value)),
        None => quote!(::core::option::Option::None),
    };
    let required = checksum.request_required;
    let algorithm = &checksum.request_algorithm;
    let mode = &checksum.validation_mode;
    let algorithm_member = algorithm.is_some();
    let mode_member = mode.is_some();
    let algorithm_header = option_str(algorithm.as_ref().and_then(|m| m.header.as_ref()));
    let mode_header = option_str(mode.as_ref().and_then(|m| m.header.as_ref()));
    let response_algorithms = &checksum.response_algorithms;
    let value = |member: &Option<ChecksumMemberIr>| match member {
        None => quote!(::core::option::Option::None),
        Some(member) => {
            let ident = &member.ident;
            match (member.optional, member.is_enum) {
                (true, true) => quote!(input.#ident.as_ref().map(|v| v.as_str())),
                (true, false) => quote!(input.#ident.as_deref()),
                (false, _) => quote!(::core::option::Option::Some(input.#ident.as_str())),
            }
        }
    };
    let members = (algorithm_member || mode_member).then(|| {
        let algorithm = value(algorithm);
        let mode = value(mode);
        quote! {
            fn checksum_members(input: &Self::Input) -> ::opgen::ChecksumMembers<'_> {
                ::opgen::ChecksumMembers {
                    request_algorithm: #algorithm,
                    validation_mode: #mode,
                }
            }
        }
    });
    quote! {
        const HTTP_CHECKSUM: ::core::option::Option<&'static ::opgen::HttpChecksum> =
            ::core::option::Option::Some(&::opgen::HttpChecksum {
                request_checksum_required: #required,
                request_algorithm_member: #algorithm_member,
                request_algorithm_header: #algorithm_header,
                validation_mode_member: #mode_member,
                validation_mode_header: #mode_header,
                response_algorithms: &[#(#response_algorithms),*],
            });
        #members
    }
}

fn service_metadata(op: &OperationIr, protocol: TokenStream) -> TokenStream {
    let service = &op.service;
    let shape_id = service.id.to_string();
    let sdk_id = &service.sdk_id;
    let signing_name = &service.signing_name;
    let endpoint_prefix = &service.endpoint_prefix;
    let api_version = &service.version;
    quote! {
        ::opgen::ServiceMetadata {
            shape_id: #shape_id,
            sdk_id: #sdk_id,
            api_version: #api_version,
            signing_name: #signing_name,
            endpoint_prefix: #endpoint_prefix,
            protocol: #protocol,
        }
    }
}

#[cfg(test)]
mod tests {
    use opgen_model::ShapeGraph;

    /// The code of `Ping` and `Pong` in a service whose own `@auth` is
    /// `service_auth`, `Ping` carrying `ping_auth`.
    fn generate(service_auth: &str, ping_auth: &str) -> (String, String) {
        let model = format!(
            r#"{{
            "smithy": "2.0",
            "shapes": {{
                "com.example#Service": {{
                    "type": "service",
                    "version": "2024-01-01",
                    "operations": [{{"target": "com.example#Ping"}}, {{"target": "com.example#Pong"}}],
                    "traits": {{
                        "aws.protocols#restJson1": {{}},
                        "aws.api#service": {{"sdkId": "Example", "endpointPrefix": "example"}},
                        "aws.auth#sigv4": {{"name": "example"}}
                        {service_auth}
                    }}
                }},
                "com.example#Ping": {{
                    "type": "operation",
                    "traits": {{"smithy.api#http": {{"method": "POST", "uri": "/ping"}} {ping_auth}}},
                    "input": {{"target": "smithy.api#Unit"}},
                    "output": {{"target": "smithy.api#Unit"}}
                }},
                "com.example#Pong": {{
                    "type": "operation",
                    "traits": {{"smithy.api#http": {{"method": "POST", "uri": "/pong"}}}},
                    "input": {{"target": "smithy.api#Unit"}},
                    "output": {{"target": "smithy.api#Unit"}}
                }}
            }}
        }}"#
        );
        let graph = ShapeGraph::from_json("auth.json", &model).unwrap();
        let code = |name: &str| {
            let op = graph.find_operation(name).unwrap();
            crate::generate(&graph, &[op], &crate::Options::default())
                .unwrap()
                .to_string()
        };
        (code("Ping"), code("Pong"))
    }

    const UNSIGNED: &str = "const UNSIGNED : bool = true ;";

    /// `@auth([])` on an operation, or on its service for the operations
    /// without their own `@auth`, makes the client send it unsigned.
    #[test]
    fn empty_auth_makes_an_operation_unsigned() {
        let (ping, pong) = generate(
            "",
            r#", "smithy.api#auth": [], "smithy.api#optionalAuth": {}"#,
        );
        assert!(ping.contains(UNSIGNED), "{ping}");
        assert!(!pong.contains(UNSIGNED));

        let (ping, pong) = generate(
            r#", "smithy.api#auth": []"#,
            r#", "smithy.api#auth": ["aws.auth#sigv4"]"#,
        );
        assert!(!ping.contains(UNSIGNED));
        assert!(pong.contains(UNSIGNED), "{pong}");

        let (ping, pong) = generate("", "");
        assert!(!ping.contains(UNSIGNED) && !pong.contains(UNSIGNED));
    }
}
