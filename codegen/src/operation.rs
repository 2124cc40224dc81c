//! The operation type: service metadata and the sans-IO restJson1
//! serialization of its input and deserialization of its output and errors.

use crate::context::Context;
use crate::docs::doc_attrs;
use crate::naming::type_ident;
use crate::structure::{fields, json_inserts, json_reads, timestamp_format_tokens, Field};
use opgen_model::{Shape, ShapeKind, TimestampFormat};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

/// Where a member of an HTTP message goes.
enum Binding<'s> {
    Label,
    Query(&'s str),
    QueryParams,
    Header(&'s str),
    PrefixHeaders(&'s str),
    ResponseCode,
    Payload,
    Body,
}

fn binding<'s>(field: &Field<'s>) -> Binding<'s> {
    let t = &field.member.traits;
    if t.http_label() {
        Binding::Label
    } else if let Some(name) = t.http_query() {
        Binding::Query(name)
    } else if t.http_query_params() {
        Binding::QueryParams
    } else if let Some(name) = t.http_header() {
        Binding::Header(name)
    } else if let Some(prefix) = t.http_prefix_headers() {
        Binding::PrefixHeaders(prefix)
    } else if t.http_response_code() {
        Binding::ResponseCode
    } else if t.http_payload() {
        Binding::Payload
    } else {
        Binding::Body
    }
}

pub(crate) fn emit_operation(ctx: &Context, op: &Shape) -> TokenStream {
    let name = type_ident(op.id.name());
    let error = format_ident!("{}Error", name);
    let op_name = op.id.name();
    let Ok(service) = ctx.graph.service_of(&op.id) else {
        ctx.diagnostics.error(
            &op.id,
            "the operation is not bound to a service shape, so it has no protocol, signing name or endpoint",
        );
        return TokenStream::new();
    };
    if !service.traits.has("aws.protocols#restJson1") {
        ctx.diagnostics.error(
            &service.id,
            "only the aws.protocols#restJson1 protocol is supported; this service does not declare it",
        );
    }
    let Some(http) = op.traits.http() else {
        ctx.diagnostics
            .error(&op.id, "a restJson1 operation needs an @http trait");
        return TokenStream::new();
    };
    let service_meta = service_metadata(service);
    let endpoint = crate::endpoint::emit_endpoint(ctx, op, service);
    let (endpoint_module_items, endpoint_impl_items) = (endpoint.module_items, endpoint.impl_items);
    let input_ty = match &op.input {
        Some(id) => {
            let ident = type_ident(id.name());
            quote!(#ident)
        }
        None => quote!(()),
    };
    let output_ty = match &op.output {
        Some(id) => {
            let ident = type_ident(id.name());
            quote!(#ident)
        }
        None => quote!(()),
    };
    let input_shape = op.input.as_ref().and_then(|id| ctx.shape(id));
    let serialize = emit_serialize(ctx, op, input_shape, &http);
    let output_shape = op.output.as_ref().and_then(|id| ctx.shape(id));
    let streams_output = output_shape
        .is_some_and(|shape| shape.members.iter().any(|m| ctx.is_byte_stream(&m.target)));
    let output = match output_shape {
        Some(shape) if streams_output => {
            let ident = type_ident(shape.id.name());
            quote! {
                let raw = ::core::clone::Clone::clone(response.body());
                ::opgen::__private::rest::parse_streaming(response.map(::opgen::ByteStream::new), raw, #ident::__from_http)
            }
        }
        Some(shape) => {
            let ident = type_ident(shape.id.name());
            quote! {
                #ident::__from_http(&response)
                    .map_err(|reason| ::opgen::Error::Response(::opgen::ResponseError::new(reason, &response)))
            }
        }
        None => quote!(::core::result::Result::Ok(())),
    };
    let streaming = output_shape.filter(|_| streams_output).map(|shape| {
        let ident = type_ident(shape.id.name());
        quote! {
            const STREAMING_RESPONSE: bool = true;

            fn deserialize_streaming(
                response: ::opgen::__private::http::Response<::opgen::ByteStream>,
            ) -> ::core::result::Result<Self::Output, ::opgen::Error<Self::Error>> {
                ::opgen::__private::rest::parse_streaming(response, ::opgen::__private::bytes::Bytes::new(), #ident::__from_http)
            }
        }
    });
    let error_arms: Vec<TokenStream> = ctx.graph.operation_errors(&op.id).into_iter().map(|id| {
        let code = id.name().to_string();
        let ident = type_ident(id.name());
        quote! {
            ::core::option::Option::Some(#code) => match #ident::__from_http(response) {
                ::core::result::Result::Ok(e) => #error::#ident(e.__with_meta(meta)),
                // The code names a modeled error but its body does not fit
                // the model: keep what is known rather than fail the parse.
                ::core::result::Result::Err(_) => #error::Unhandled(::opgen::UnhandledError::new(meta, response)),
            },
        }
    }).collect();
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
    // An operation shared by several inputs would make `send` ambiguous.
    let shares_input = ctx
        .operations
        .iter()
        .filter(|other| ctx.graph.shape(other).and_then(|s| s.input.as_ref()) == op.input.as_ref())
        .count()
        > 1;
    let operation_input = (op.input.is_some() && !shares_input).then(|| {
        quote! {
            impl ::opgen::OperationInput for #input_ty {
                type Operation = #name;
            }
        }
    });
    let docs = doc_attrs(
        op.traits.documentation(),
        &format!("The `{op_name}` operation."),
    );
    let method = http.method.clone();
    let code = proc_macro2::Literal::u16_unsuffixed(http.code);
    let encodings: Vec<&str> = op
        .traits
        .get("smithy.api#requestCompression")
        .and_then(|t| t.get("encodings"))
        .and_then(|e| e.as_array())
        .map(|list| list.iter().filter_map(|e| e.as_str()).collect())
        .unwrap_or_default();
    let request_compression = (!encodings.is_empty())
        .then(|| quote!(const REQUEST_COMPRESSION: &'static [&'static str] = &[#(#encodings),*];));
    quote! {
        #docs
        ///
        /// Send it with [`Client::send`](::opgen::Client::send), or use the
        /// sans-IO [`Operation`](::opgen::Operation) methods directly.
        #[derive(::core::fmt::Debug, ::core::clone::Clone, ::core::marker::Copy, ::core::default::Default)]
        pub struct #name;

        #endpoint_module_items

        impl #name {
            /// The HTTP method of the operation.
            pub const HTTP_METHOD: &'static str = #method;
            /// The status code of a successful response.
            pub const HTTP_SUCCESS_CODE: u16 = #code;

            fn __error(response: &::opgen::__private::http::Response<::opgen::__private::bytes::Bytes>) -> ::opgen::Error<#error> {
                let body = ::opgen::__private::rest::error_body(response);
                let meta = ::opgen::__private::rest::error_metadata(response, &body);
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
            const SERVICE: &'static ::opgen::ServiceMetadata = &#service_meta;
            #endpoint_impl_items

            fn serialize(
                input: &Self::Input,
                endpoint: &::opgen::Endpoint,
            ) -> ::core::result::Result<::opgen::__private::http::Request<::opgen::__private::bytes::Bytes>, ::opgen::BuildError> {
                #serialize
            }

            fn deserialize(
                response: ::opgen::__private::http::Response<::opgen::__private::bytes::Bytes>,
            ) -> ::core::result::Result<Self::Output, ::opgen::Error<Self::Error>> {
                if !response.status().is_success() {
                    return ::core::result::Result::Err(Self::__error(&response));
                }
                #output
            }

            #streaming
        }

        #operation_input
    }
}

fn service_metadata(service: &Shape) -> TokenStream {
    let string = |trait_id: &str, key: &str| {
        service
            .traits
            .get(trait_id)
            .and_then(|v| v.get(key))
            .and_then(|v| v.as_str())
            .map(str::to_string)
    };
    let shape_id = service.id.to_string();
    let sdk_id =
        string("aws.api#service", "sdkId").unwrap_or_else(|| service.id.name().to_string());
    let signing_name = string("aws.auth#sigv4", "name")
        .or_else(|| string("aws.api#service", "endpointPrefix"))
        .unwrap_or_else(|| service.id.name().to_ascii_lowercase());
    let endpoint_prefix =
        string("aws.api#service", "endpointPrefix").unwrap_or_else(|| signing_name.clone());
    let api_version = service.version.clone().unwrap_or_default();
    quote! {
        ::opgen::ServiceMetadata {
            shape_id: #shape_id,
            sdk_id: #sdk_id,
            api_version: #api_version,
            signing_name: #signing_name,
            endpoint_prefix: #endpoint_prefix,
            protocol: ::opgen::Protocol::RestJson1,
        }
    }
}

/// The pieces of an `@http` URI pattern.
enum UriPiece<'u> {
    Literal(&'u str),
    Label { name: &'u str, greedy: bool },
}

fn parse_uri(uri: &str) -> (Vec<UriPiece<'_>>, Vec<(&str, Option<&str>)>) {
    let (path, query) = uri.split_once('?').unwrap_or((uri, ""));
    let mut pieces = Vec::new();
    let mut rest = path;
    while let Some(open) = rest.find('{') {
        if open > 0 {
            pieces.push(UriPiece::Literal(&rest[..open]));
        }
        let Some(close) = rest[open..].find('}') else {
            break;
        };
        let label = &rest[open + 1..open + close];
        pieces.push(match label.strip_suffix('+') {
            Some(name) => UriPiece::Label { name, greedy: true },
            None => UriPiece::Label {
                name: label,
                greedy: false,
            },
        });
        rest = &rest[open + close + 1..];
    }
    if !rest.is_empty() {
        pieces.push(UriPiece::Literal(rest));
    }
    let literal_query = query
        .split('&')
        .filter(|q| !q.is_empty())
        .map(|q| match q.split_once('=') {
            Some((k, v)) => (k, Some(v)),
            None => (q, None),
        })
        .collect();
    (pieces, literal_query)
}

/// A `String` expression for a scalar value `v` (a reference) in a label,
/// query or header, using `default` when the member has no timestamp format.
fn text(ctx: &Context, field: &Field, v: TokenStream, default: TimestampFormat) -> TokenStream {
    scalar_text(ctx, field, &field.member.target, v, default)
}

fn scalar_text(
    ctx: &Context,
    field: &Field,
    target: &opgen_model::ShapeId,
    v: TokenStream,
    default: TimestampFormat,
) -> TokenStream {
    match ctx.kind(target) {
        Some(ShapeKind::Timestamp) => {
            let format = field
                .member
                .traits
                .timestamp_format()
                .or_else(|| ctx.shape(target).and_then(|t| t.traits.timestamp_format()))
                .unwrap_or(default);
            let format = timestamp_format_tokens(format);
            quote!(::opgen::__private::rest::timestamp_text(#v, #format))
        }
        Some(ShapeKind::Enum) => quote!(::std::string::String::from(#v.as_str())),
        Some(ShapeKind::IntEnum) => quote!(::std::string::ToString::to_string(&#v.as_i32())),
        Some(ShapeKind::String)
            if ctx
                .shape(target)
                .is_some_and(|t| t.traits.media_type().is_some()) =>
        {
            quote!(::opgen::__private::json::base64_encode(#v.as_bytes()))
        }
        _ => quote!(::opgen::__private::rest::TextValue::to_text(#v)),
    }
}

fn list_member(ctx: &Context, field: &Field) -> Option<opgen_model::ShapeId> {
    let shape = ctx.shape(&field.member.target)?;
    matches!(shape.kind, ShapeKind::List | ShapeKind::Set)
        .then(|| shape.member("member").map(|m| m.target.clone()))
        .flatten()
}

fn emit_serialize(
    ctx: &Context,
    op: &Shape,
    input: Option<&Shape>,
    http: &opgen_model::HttpTrait,
) -> TokenStream {
    let method = http.method.as_str();
    let (pieces, literal_query) = parse_uri(&http.uri);
    let Some(input) = input else {
        let path = pieces.iter().filter_map(|p| match p {
            UriPiece::Literal(l) => Some(quote!(request.path(#l);)),
            UriPiece::Label { .. } => None,
        });
        let endpoint_expr = host_prefix(ctx, op, &[]);
        return quote! {
            let _ = input;
            let mut request = ::opgen::__private::rest::RequestBuilder::new(#method);
            #(#path)*
            #endpoint_expr
        };
    };
    let shape_name = input.id.name();
    let fields = fields(ctx, input);
    let fill_tokens = fill_idempotency_tokens(&fields);
    if !fill_tokens.is_empty() && fields.iter().any(|f| ctx.is_byte_stream(&f.member.target)) {
        // Filling a token copies the input, and a stream cannot be copied.
        ctx.diagnostics.error(
            &input.id,
            "an input with both a @streaming payload and an @idempotencyToken member is not supported yet",
        );
    }
    let mut path = Vec::new();
    for piece in &pieces {
        match piece {
            UriPiece::Literal(l) => path.push(quote!(request.path(#l);)),
            UriPiece::Label { name, greedy } => {
                let Some(field) = fields.iter().find(|f| f.member.name == *name) else {
                    ctx.diagnostics.error(
                        &op.id,
                        format!(
                            "the @http URI label `{{{name}}}` has no input member of that name"
                        ),
                    );
                    continue;
                };
                let ident = &field.ident;
                let member_name = &field.member.name;
                let value = text(ctx, field, quote!(value), TimestampFormat::DateTime);
                let get = if field.optional {
                    quote! {
                        let value = input.#ident.as_ref().ok_or_else(|| ::opgen::BuildError::missing_member(#shape_name, #member_name))?;
                    }
                } else {
                    quote!(let value = &input.#ident;)
                };
                path.push(quote! {
                    {
                        #get
                        request.label(#shape_name, #member_name, &#value, #greedy)?;
                    }
                });
            }
        }
    }
    let literal_query = literal_query.iter().map(|(k, v)| match v {
        Some(v) => quote!(request.literal_query(#k, ::core::option::Option::Some(#v));),
        None => quote!(request.literal_query(#k, ::core::option::Option::None);),
    });

    let mut bindings = Vec::new();
    let mut body_fields = Vec::new();
    let mut payload = None;
    for field in &fields {
        let ident = &field.ident;
        let access = if field.optional {
            quote!(if let ::core::option::Option::Some(value) = &input.#ident)
        } else {
            quote!(let value = &input.#ident; if true)
        };
        match binding(field) {
            Binding::Label | Binding::ResponseCode => {}
            Binding::Query(name) => {
                let stmt = match list_member(ctx, field) {
                    Some(item_target) => {
                        let item = scalar_text(
                            ctx,
                            field,
                            &item_target,
                            quote!(item),
                            TimestampFormat::DateTime,
                        );
                        quote!(for item in value.iter() { request.query(#name, &#item); })
                    }
                    None => {
                        let value = text(ctx, field, quote!(value), TimestampFormat::DateTime);
                        quote!(request.query(#name, &#value);)
                    }
                };
                bindings.push(quote!(#access { #stmt }));
            }
            Binding::QueryParams => {
                let value_is_list = ctx
                    .shape(&field.member.target)
                    .and_then(|m| m.member("value"))
                    .and_then(|v| ctx.kind(&v.target))
                    .is_some_and(|k| matches!(k, ShapeKind::List | ShapeKind::Set));
                let stmt = if value_is_list {
                    quote! {
                        request.query_params(value.iter().flat_map(|(k, items)| items.iter().map(move |item| (k.as_str(), item.as_str()))));
                    }
                } else {
                    quote!(request.query_params(value.iter().map(|(k, v)| (k.as_str(), v.as_str())));)
                };
                bindings.push(quote!(#access { #stmt }));
            }
            Binding::Header(name) => {
                let stmt = match list_member(ctx, field) {
                    Some(item_target) => {
                        let item = scalar_text(
                            ctx,
                            field,
                            &item_target,
                            quote!(item),
                            TimestampFormat::HttpDate,
                        );
                        // An http-date holds a comma of its own but is never quoted.
                        let item = if ctx.kind(&item_target) == Some(ShapeKind::Timestamp) {
                            item
                        } else {
                            quote!(::opgen::__private::rest::header_list_item(&#item))
                        };
                        quote! {
                            let items: ::std::vec::Vec<::std::string::String> = value.iter().map(|item| #item).collect();
                            if !items.is_empty() {
                                request.header(#name, items.join(", "));
                            }
                        }
                    }
                    None => {
                        let value = text(ctx, field, quote!(value), TimestampFormat::HttpDate);
                        quote!(request.header(#name, #value);)
                    }
                };
                bindings.push(quote!(#access { #stmt }));
            }
            Binding::PrefixHeaders(prefix) => {
                bindings.push(quote! {
                    #access {
                        for (suffix, value) in value.iter() {
                            request.header(&::std::format!("{}{}", #prefix, suffix), ::std::string::String::clone(value));
                        }
                    }
                });
            }
            Binding::Payload => payload = Some(field),
            Binding::Body => body_fields.push(field),
        }
    }
    let body = match payload {
        Some(field) => emit_payload(ctx, field),
        None if body_fields.is_empty() => quote!(),
        None => {
            let inserts = json_inserts(ctx, body_fields.iter().copied(), quote!(input));
            quote! {
                let mut object = ::opgen::__private::serde_json::Map::new();
                #inserts
                request.json_body(::opgen::__private::serde_json::Value::Object(object));
            }
        }
    };
    let endpoint_expr = host_prefix(ctx, op, &fields);
    let checksum = op
        .traits
        .has("smithy.api#httpChecksumRequired")
        .then(|| quote!(request.content_md5();));
    let uses_input = pieces.iter().any(|p| matches!(p, UriPiece::Label { .. }))
        || !bindings.is_empty()
        || !body_fields.is_empty()
        || payload.is_some()
        || op
            .traits
            .endpoint_host_prefix()
            .is_some_and(|p| p.contains('{'));
    let ignore_input = (!uses_input).then(|| quote!(let _ = input;));
    quote! {
        #ignore_input
        #fill_tokens
        let mut request = ::opgen::__private::rest::RequestBuilder::new(#method);
        #(#path)*
        #(#literal_query)*
        #(#bindings)*
        #body
        #checksum
        #endpoint_expr
    }
}

/// Rebinds `input` to a copy with every unset `@idempotencyToken` member
/// filled with a fresh token, as the service expects one per logical call.
fn fill_idempotency_tokens(fields: &[Field]) -> TokenStream {
    let tokens: Vec<_> = fields
        .iter()
        .filter(|f| f.member.traits.idempotency_token() && f.optional)
        .map(|f| &f.ident)
        .collect();
    if tokens.is_empty() {
        return TokenStream::new();
    }
    quote! {
        let filled;
        let input = if #(input.#tokens.is_none())||* {
            let mut copy = ::core::clone::Clone::clone(input);
            #(
                if copy.#tokens.is_none() {
                    copy.#tokens = ::core::option::Option::Some(::opgen::__private::idempotency_token());
                }
            )*
            filled = copy;
            &filled
        } else {
            input
        };
    }
}

fn emit_payload(ctx: &Context, field: &Field) -> TokenStream {
    let ident = &field.ident;
    let target = ctx.shape(&field.member.target);
    let media_type = target.and_then(|t| t.traits.media_type().map(str::to_string));
    let value = if field.optional {
        quote!(input.#ident.as_ref())
    } else {
        quote!(::core::option::Option::Some(&input.#ident))
    };
    match target.map(|t| t.kind) {
        Some(ShapeKind::Blob) if ctx.is_byte_stream(&field.member.target) => {
            let content_type = media_type.unwrap_or_else(|| "application/octet-stream".into());
            quote! {
                if let ::core::option::Option::Some(value) = #value {
                    request.body(::opgen::__private::rest::stream_body(value)?, #content_type);
                }
            }
        }
        Some(ShapeKind::Blob) => {
            let content_type = media_type.unwrap_or_else(|| "application/octet-stream".into());
            quote! {
                if let ::core::option::Option::Some(value) = #value {
                    request.body(::opgen::__private::bytes::Bytes::copy_from_slice(value.as_bytes()), #content_type);
                }
            }
        }
        Some(ShapeKind::String | ShapeKind::Enum) => {
            let content_type = media_type.unwrap_or_else(|| "text/plain".into());
            quote! {
                if let ::core::option::Option::Some(value) = #value {
                    request.body(::opgen::__private::bytes::Bytes::from(::std::string::String::from(value.as_ref() as &str)), #content_type);
                }
            }
        }
        Some(ShapeKind::Structure) => quote! {
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

fn host_prefix(ctx: &Context, op: &Shape, fields: &[Field]) -> TokenStream {
    let Some(prefix) = op.traits.endpoint_host_prefix() else {
        return quote!(request.build(endpoint));
    };
    let mut format = String::new();
    let mut args = Vec::new();
    let mut rest = prefix;
    while let Some(open) = rest.find('{') {
        format.push_str(&rest[..open].replace('{', "{{").replace('}', "}}"));
        let Some(close) = rest[open..].find('}') else {
            break;
        };
        let label = &rest[open + 1..open + close];
        match fields.iter().find(|f| f.member.name == label) {
            Some(field) => {
                let ident = &field.ident;
                let name = &field.member.name;
                let shape_name = op.input.as_ref().map(|i| i.name().to_string()).unwrap_or_default();
                format.push_str("{}");
                args.push(if field.optional {
                    quote!(::opgen::__private::rest::host_label(#shape_name, #name, input.#ident.as_deref())?)
                } else {
                    quote!(::opgen::__private::rest::host_label(#shape_name, #name, ::core::option::Option::Some(input.#ident.as_str()))?)
                });
            }
            None => ctx.diagnostics.error(
                &op.id,
                format!("the @endpoint host prefix label `{{{label}}}` has no input member of that name"),
            ),
        }
        rest = &rest[open + close + 1..];
    }
    format.push_str(rest);
    if args.is_empty() {
        return quote!(request.build(&endpoint.with_host_prefix(#prefix)));
    }
    quote! {
        let prefix = ::std::format!(#format, #(#args),*);
        request.build(&endpoint.with_host_prefix(&prefix))
    }
}

/// `__from_http` of an output or error structure: members from headers,
/// status code, payload and JSON body.
pub(crate) fn emit_from_http(ctx: &Context, shape: &Shape) -> TokenStream {
    let name = type_ident(shape.id.name());
    let shape_name = shape.id.name();
    let fields = fields(ctx, shape);
    let mut inits = Vec::new();
    let mut body_fields = Vec::new();
    let mut needs_body = false;
    for field in &fields {
        let ident = &field.ident;
        let wrap = |value: TokenStream| {
            if field.optional {
                value
            } else {
                let member = &field.member.name;
                quote! {
                    (#value).or_else(|| ::opgen::__private::json::FromJson::missing())
                        .ok_or_else(|| ::std::format!("{}.{}: required member is missing", #shape_name, #member))?
                }
            }
        };
        match binding(field) {
            Binding::Header(header) => {
                let parse = parse_header(ctx, field);
                let value = wrap(quote! {
                    match ::opgen::__private::rest::header(response, #header) {
                        ::core::option::Option::Some(text) => ::core::option::Option::Some((#parse)(text.as_str()).map_err(|e| ::std::format!("{}.{} (header {}): {}", #shape_name, #header, #header, e))?),
                        ::core::option::Option::None => ::core::option::Option::None,
                    }
                });
                inits.push(quote!(#ident: #value,));
            }
            Binding::PrefixHeaders(prefix) => {
                let value = wrap(quote! {
                    ::core::option::Option::Some(::opgen::__private::rest::prefix_headers(response, #prefix)).filter(|m| !m.is_empty())
                });
                inits.push(quote!(#ident: #value,));
            }
            Binding::ResponseCode => {
                let value = wrap(quote!(::core::option::Option::Some(i32::from(
                    response.status().as_u16()
                ))));
                inits.push(quote!(#ident: #value,));
            }
            // The stream is the body itself, so it is never missing.
            Binding::Payload if ctx.is_byte_stream(&field.member.target) => {
                let value = if field.optional {
                    quote!(::core::option::Option::Some(body))
                } else {
                    quote!(body)
                };
                inits.push(quote!(#ident: #value,));
            }
            Binding::Payload => {
                let value = wrap(payload_value(ctx, field));
                inits.push(quote!(#ident: #value,));
            }
            Binding::Label | Binding::Query(_) | Binding::QueryParams | Binding::Body => {
                needs_body = true;
                body_fields.push(field);
            }
        }
    }
    let reads = json_reads(ctx, shape, body_fields.iter().copied());
    let is_error = ctx.errors.contains(&shape.id) || shape.traits.error().is_some();
    let body = needs_body.then(|| {
        if is_error {
            // Error bodies are read leniently: an HTML page from a proxy
            // still yields the error its code header names.
            quote!(let object = &::opgen::__private::rest::error_body(response);)
        } else {
            quote! {
                let object = &::opgen::__private::rest::json_body(response).map_err(|e| ::std::string::String::from(e.reason()))?;
            }
        }
    });
    let meta = is_error.then(|| quote!(__meta: ::core::default::Default::default(),));
    let ignore_response = (inits.is_empty() && !needs_body).then(|| quote!(let _ = response;));
    if fields.iter().any(|f| ctx.is_byte_stream(&f.member.target)) {
        // The body is the payload stream; everything else is in the head.
        return quote! {
            impl #name {
                #[doc(hidden)]
                pub fn __from_http(
                    response: &::opgen::__private::http::Response<()>,
                    body: ::opgen::ByteStream,
                ) -> ::core::result::Result<Self, ::std::string::String> {
                    #ignore_response
                    ::core::result::Result::Ok(#name {
                        #(#inits)*
                    })
                }
            }
        };
    }
    quote! {
        impl #name {
            #[doc(hidden)]
            pub fn __from_http(
                response: &::opgen::__private::http::Response<::opgen::__private::bytes::Bytes>,
            ) -> ::core::result::Result<Self, ::std::string::String> {
                #ignore_response
                #body
                ::core::result::Result::Ok(#name {
                    #(#inits)*
                    #reads
                    #meta
                })
            }
        }
    }
}

/// A closure `|&str| -> Result<T, String>` parsing a header value.
fn parse_header(ctx: &Context, field: &Field) -> TokenStream {
    let scalar = |target: &opgen_model::ShapeId| -> TokenStream {
        match ctx.kind(target) {
            Some(ShapeKind::Timestamp) => {
                let format = field
                    .member
                    .traits
                    .timestamp_format()
                    .or_else(|| ctx.shape(target).and_then(|t| t.traits.timestamp_format()))
                    .unwrap_or(TimestampFormat::HttpDate);
                let format = timestamp_format_tokens(format);
                quote!(|text: &str| ::opgen::__private::rest::timestamp_from_text(text, #format))
            }
            Some(ShapeKind::Enum) => {
                let ident = type_ident(target.name());
                quote!(|text: &str| -> ::core::result::Result<#ident, ::std::string::String> { ::core::result::Result::Ok(#ident::from(text)) })
            }
            Some(ShapeKind::IntEnum) => {
                let ident = type_ident(target.name());
                quote!(|text: &str| <i32 as ::opgen::__private::rest::TextValue>::from_text(text).map(#ident::from))
            }
            Some(ShapeKind::String)
                if ctx
                    .shape(target)
                    .is_some_and(|t| t.traits.media_type().is_some()) =>
            {
                quote!(::opgen::__private::rest::base64_text)
            }
            _ => {
                let ty = crate::types::rust_type(ctx, target, None);
                quote!(<#ty as ::opgen::__private::rest::TextValue>::from_text)
            }
        }
    };
    match list_member(ctx, field) {
        Some(item) => {
            let parse_item = scalar(&item);
            let is_http_date = ctx.kind(&item) == Some(ShapeKind::Timestamp);
            quote! {
                |text: &str| {
                    ::opgen::__private::rest::split_header_values(text, #is_http_date)
                        .iter()
                        .map(|item| (#parse_item)(item.as_str()))
                        .collect::<::core::result::Result<::std::vec::Vec<_>, ::std::string::String>>()
                }
            }
        }
        None => scalar(&field.member.target),
    }
}

fn payload_value(ctx: &Context, field: &Field) -> TokenStream {
    match ctx.kind(&field.member.target) {
        Some(ShapeKind::Blob) => quote! {
            ::core::option::Option::Some(::opgen::Blob::new(response.body().to_vec())).filter(|b| !b.as_bytes().is_empty())
        },
        Some(ShapeKind::String) => quote! {
            if response.body().is_empty() {
                ::core::option::Option::None
            } else {
                ::core::option::Option::Some(::std::string::String::from_utf8(response.body().to_vec()).map_err(|_| ::std::string::String::from("the payload is not UTF-8"))?)
            }
        },
        Some(ShapeKind::Enum) => {
            let ident = type_ident(field.member.target.name());
            quote! {
                if response.body().is_empty() {
                    ::core::option::Option::None
                } else {
                    ::core::option::Option::Some(#ident::from(::std::string::String::from_utf8_lossy(response.body()).as_ref()))
                }
            }
        }
        _ => quote! {
            if response.body().iter().all(u8::is_ascii_whitespace) {
                ::core::option::Option::None
            } else {
                let value: ::opgen::__private::serde_json::Value = ::opgen::__private::serde_json::from_slice(response.body())
                    .map_err(|e| ::std::format!("invalid JSON payload: {}", e))?;
                ::core::option::Option::Some(::opgen::__private::json::FromJson::from_json(&value)?)
            }
        },
    }
}
