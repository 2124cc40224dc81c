//! The HTTP bindings of restJson1 and restXml (labels, query, headers,
//! prefix headers, status code, payloads, host prefix, idempotency
//! tokens): one emitter, parameterised by the body codec, which is all
//! that differs between the two protocols.

use super::document_body::timestamp_format_tokens;
use super::{build_with_host_prefix, check_host_prefix, fill_idempotency_tokens, input};
use crate::emit::types::rust_type;
use crate::ir::{
    Binding, FieldIr, Ir, NamedKind, OperationIr, StructureIr, TypeIr, TypeRef, UriPiece,
};
use crate::lower::Diagnostics;
use opgen_model::TimestampFormat;
use proc_macro2::TokenStream;
use quote::quote;

/// What an HTTP-binding protocol puts in a body: the request body of the
/// input's body members or document payload, and the reading of both from
/// a response.
pub(crate) trait BodyCodec {
    /// Statements (with `input` and `request` in scope) that set the body
    /// from the input's body members `fields` (never empty).
    fn write_body(
        &self,
        ir: &Ir,
        op: &OperationIr,
        input: &StructureIr,
        fields: &[&FieldIr],
    ) -> TokenStream;

    /// Statements that set the body from a payload member that is a
    /// document value (structure, union, list, map, document); `value` is
    /// an `Option<&T>` expression.
    fn write_payload(
        &self,
        ir: &Ir,
        op: &OperationIr,
        field: &FieldIr,
        value: TokenStream,
    ) -> TokenStream;

    /// Statements (with `response` in scope) reading the body members
    /// `fields` of the output or error `shape`, and the field initialisers
    /// that finish them.
    fn read_body(&self, shape: &StructureIr, fields: &[&FieldIr]) -> (TokenStream, TokenStream);

    /// An `Option<T>` expression reading a document payload member from
    /// `response` (`?` may return a `String` error).
    fn read_payload(&self, ir: &Ir, field: &FieldIr) -> TokenStream;

    /// The path of the `missing()` function of the codec's read trait,
    /// which fills a required member the service left out.
    fn missing(&self) -> TokenStream;
}

/// `Protocol::type_items` of an HTTP-binding protocol: the body codec
/// impls `codec_items` of `ty`, and `__from_http` of output and error
/// structures.
pub(crate) fn type_items(
    codec: &dyn BodyCodec,
    codec_items: TokenStream,
    ir: &Ir,
    ty: &TypeIr,
) -> TokenStream {
    let from_http = match ty {
        TypeIr::Structure(s) if s.roles.output || s.roles.error => emit_from_http(codec, ir, s),
        _ => TokenStream::new(),
    };
    quote!(#codec_items #from_http)
}

/// `Operation::deserialize` of an HTTP-binding protocol: the output's
/// `__from_http`, reading a streaming payload without buffering it.
pub(crate) fn deserialize(ir: &Ir, op: &OperationIr) -> TokenStream {
    match op.output.as_ref().and_then(|o| ir.structure(&o.id)) {
        Some(shape) if shape.has_stream() => {
            let ident = &shape.ident;
            quote! {
                let raw = ::core::clone::Clone::clone(response.body());
                ::opgen::__private::rest::parse_streaming(response.map(::opgen::ByteStream::new), raw, #ident::__from_http)
            }
        }
        Some(shape) => {
            let ident = &shape.ident;
            quote! {
                #ident::__from_http(&response)
                    .map_err(|reason| ::opgen::Error::Response(::opgen::ResponseError::new(reason, &response)))
            }
        }
        None => quote!(::core::result::Result::Ok(())),
    }
}

/// `HTTP_METHOD` and `HTTP_SUCCESS_CODE` of the operation type.
pub(crate) fn operation_items(op: &OperationIr) -> TokenStream {
    let Some(http) = &op.http else {
        return TokenStream::new();
    };
    let method = &http.method;
    let code = proc_macro2::Literal::u16_unsuffixed(http.code);
    quote! {
        /// The HTTP method of the operation.
        pub const HTTP_METHOD: &'static str = #method;
        /// The status code of a successful response.
        pub const HTTP_SUCCESS_CODE: u16 = #code;
    }
}

/// The `impl Operation` items of an output whose payload is a stream.
pub(crate) fn streaming(ir: &Ir, op: &OperationIr) -> TokenStream {
    let Some(shape) = op
        .output
        .as_ref()
        .and_then(|o| ir.structure(&o.id))
        .filter(|s| s.has_stream())
    else {
        return TokenStream::new();
    };
    let ident = &shape.ident;
    let events = shape.event_stream().map(|_| {
        quote!(
            const EVENT_STREAM_RESPONSE: bool = true;
        )
    });
    quote! {
        const STREAMING_RESPONSE: bool = true;
        #events

        #[inline]
        fn deserialize_streaming(
            response: ::opgen::__private::http::Response<::opgen::ByteStream>,
        ) -> ::core::result::Result<Self::Output, ::opgen::Error<Self::Error>> {
            ::opgen::__private::rest::parse_streaming(response, ::opgen::__private::bytes::Bytes::new(), #ident::__from_http)
        }
    }
}

/// What every protocol with HTTP bindings needs of an operation: `@http`,
/// a member for every URI and host label, and an input whose idempotency
/// token can be filled without copying a stream.
pub(crate) fn check_http(ir: &Ir, op: &OperationIr, protocol: &str, diagnostics: &mut Diagnostics) {
    check_host_prefix(ir, op, diagnostics);
    let Some(http) = &op.http else {
        diagnostics.error(
            &op.id,
            format!("a {protocol} operation needs an @http trait"),
        );
        return;
    };
    let fields = input(ir, op)
        .map(|s| s.fields.as_slice())
        .unwrap_or_default();
    for piece in &http.path {
        if let UriPiece::Label { name, .. } = piece {
            if !fields.iter().any(|f| &f.name == name) {
                diagnostics.error(
                    &op.id,
                    format!("the @http URI label `{{{name}}}` has no input member of that name"),
                );
            }
        }
    }
    if let Some(input) = input(ir, op) {
        if let Some(field) = input
            .input_event_stream()
            .filter(|f| f.binding != Binding::Payload)
        {
            diagnostics.error(
                &input.id,
                format!(
                    "the input event stream `{}` must be the @httpPayload",
                    field.name
                ),
            );
        }
        let fills_token = fields.iter().any(|f| f.idempotency_token && f.optional);
        if fills_token && input.has_stream() {
            // Filling a token copies the input, and a stream cannot be copied.
            diagnostics.error(
                &input.id,
                "an input with both a @streaming payload and an @idempotencyToken member is not supported yet",
            );
        }
    }
}

/// A `String` expression for a scalar value `v` (a reference) of type `ty`
/// in a label, query or header, in `format` when it is a timestamp.
fn scalar_text(ty: &TypeRef, format: TimestampFormat, v: TokenStream) -> TokenStream {
    match ty {
        // Headers carry `@mediaType` strings (JSON documents) as base64.
        TypeRef::String {
            media_type: Some(_),
        } => quote!(::opgen::__private::json::base64_encode(#v.as_bytes())),
        _ => super::xml_body::scalar_text(ty, format, v),
    }
}

/// The timestamp format of `field` (or of the items of a list `field`),
/// with the binding's default.
fn format_of(field: &FieldIr, ty: &TypeRef, default: TimestampFormat) -> TimestampFormat {
    let of_target = match ty {
        TypeRef::Timestamp { format } => *format,
        _ => None,
    };
    field.timestamp_format.or(of_target).unwrap_or(default)
}

fn list_item(field: &FieldIr) -> Option<&TypeRef> {
    match &field.ty {
        TypeRef::List { item, .. } => Some(item),
        _ => None,
    }
}

pub(crate) fn emit_serialize(codec: &dyn BodyCodec, ir: &Ir, op: &OperationIr) -> TokenStream {
    let Some(http) = &op.http else {
        // `check_http` reported it; such an operation is never emitted.
        return quote!(::core::result::Result::Err(::opgen::BuildError::other(
            "the operation has no @http trait"
        )));
    };
    let method = http.method.as_str();
    let build = build_with_host_prefix(ir, op);
    let Some(input) = input(ir, op) else {
        let path = http.path.iter().filter_map(|p| match p {
            UriPiece::Literal(l) => Some(quote!(request.path(#l);)),
            UriPiece::Label { .. } => None,
        });
        return quote! {
            let _ = input;
            let mut request = ::opgen::__private::rest::RequestBuilder::new(#method);
            #(#path)*
            #build
        };
    };
    let shape_name = input.name();
    let fields = &input.fields;
    let fill_tokens = fill_idempotency_tokens(fields);
    let mut path = Vec::new();
    for piece in &http.path {
        match piece {
            UriPiece::Literal(l) => path.push(quote!(request.path(#l);)),
            UriPiece::Label { name, greedy } => {
                let Some(field) = fields.iter().find(|f| &f.name == name) else {
                    continue;
                };
                let ident = &field.ident;
                let member_name = &field.name;
                let value = scalar_text(
                    &field.ty,
                    format_of(field, &field.ty, TimestampFormat::DateTime),
                    quote!(value),
                );
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
    let literal_query = http.literal_query.iter().map(|(k, v)| match v {
        Some(v) => quote!(request.literal_query(#k, ::core::option::Option::Some(#v));),
        None => quote!(request.literal_query(#k, ::core::option::Option::None);),
    });

    let mut bindings = Vec::new();
    let mut body_fields = Vec::new();
    let mut payload = None;
    for field in fields {
        let ident = &field.ident;
        let access = if field.optional {
            quote!(if let ::core::option::Option::Some(value) = &input.#ident)
        } else {
            quote!(let value = &input.#ident; if true)
        };
        match &field.binding {
            Binding::Label | Binding::ResponseCode => {}
            Binding::Query(name) => {
                let stmt = match list_item(field) {
                    Some(item) => {
                        let text = scalar_text(
                            item,
                            format_of(field, item, TimestampFormat::DateTime),
                            quote!(item),
                        );
                        quote!(for item in value.iter() { request.query(#name, &#text); })
                    }
                    None => {
                        let value = scalar_text(
                            &field.ty,
                            format_of(field, &field.ty, TimestampFormat::DateTime),
                            quote!(value),
                        );
                        quote!(request.query(#name, &#value);)
                    }
                };
                bindings.push(quote!(#access { #stmt }));
            }
            Binding::QueryParams => {
                let value_is_list = matches!(&field.ty, TypeRef::Map { value, .. } if matches!(**value, TypeRef::List { .. }));
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
                let stmt = match list_item(field) {
                    Some(item) => {
                        let text = scalar_text(
                            item,
                            format_of(field, item, TimestampFormat::HttpDate),
                            quote!(item),
                        );
                        // An http-date holds a comma of its own but is never quoted.
                        let text = if matches!(item, TypeRef::Timestamp { .. }) {
                            text
                        } else {
                            quote!(::opgen::__private::rest::header_list_item(&#text))
                        };
                        quote! {
                            let items: ::std::vec::Vec<::std::string::String> = value.iter().map(|item| #text).collect();
                            if !items.is_empty() {
                                request.header(#name, items.join(", "));
                            }
                        }
                    }
                    None => {
                        let value = scalar_text(
                            &field.ty,
                            format_of(field, &field.ty, TimestampFormat::HttpDate),
                            quote!(value),
                        );
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
        Some(field) => emit_payload(codec, ir, op, field),
        None if body_fields.is_empty() => quote!(),
        None => codec.write_body(ir, op, input, &body_fields),
    };
    let checksum = op.checksum_required.then(|| quote!(request.content_md5();));
    // The input's events go with the request, in its extensions, for the
    // client to send as the body.
    let build = match input.input_event_stream() {
        Some(_) => quote! {
            let built = { #build };
            built.map(|mut request| {
                request.extensions_mut().insert(events);
                request
            })
        },
        None => build,
    };
    let uses_input = http
        .path
        .iter()
        .any(|p| matches!(p, UriPiece::Label { .. }))
        || !bindings.is_empty()
        || !body_fields.is_empty()
        || payload.is_some()
        || super::host_prefix_reads_input(op);
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
        #build
    }
}

fn emit_payload(codec: &dyn BodyCodec, ir: &Ir, op: &OperationIr, field: &FieldIr) -> TokenStream {
    let ident = &field.ident;
    let value = if field.optional {
        quote!(input.#ident.as_ref())
    } else {
        quote!(::core::option::Option::Some(&input.#ident))
    };
    match &field.ty {
        TypeRef::ByteStream { media_type } => {
            let content_type = media_type.as_deref().unwrap_or("application/octet-stream");
            quote! {
                if let ::core::option::Option::Some(value) = #value {
                    request.body(::opgen::__private::rest::stream_body(value)?, #content_type);
                }
            }
        }
        TypeRef::EventStream { union, .. } => {
            let shape_name = input(ir, op).map(|s| s.name()).unwrap_or_default();
            let member = &field.name;
            quote! {
                let events = ::opgen::__private::event_stream::input_events(#value, #shape_name, #member, #union::__to_event)?;
                request.header("x-amz-content-sha256", ::std::string::String::from(::opgen::__private::event_stream::STREAMING_EVENTS_PAYLOAD));
                request.body(::opgen::__private::bytes::Bytes::new(), ::opgen::__private::event_stream::CONTENT_TYPE);
            }
        }
        TypeRef::Blob { media_type } => {
            let content_type = media_type.as_deref().unwrap_or("application/octet-stream");
            quote! {
                if let ::core::option::Option::Some(value) = #value {
                    request.body(::opgen::__private::bytes::Bytes::copy_from_slice(value.as_bytes()), #content_type);
                }
            }
        }
        TypeRef::String { media_type } => {
            text_payload(value, media_type.as_deref().unwrap_or("text/plain"))
        }
        TypeRef::Named {
            kind: NamedKind::Enum,
            ..
        } => text_payload(value, "text/plain"),
        _ => codec.write_payload(ir, op, field, value),
    }
}

fn text_payload(value: TokenStream, content_type: &str) -> TokenStream {
    quote! {
        if let ::core::option::Option::Some(value) = #value {
            request.body(::opgen::__private::bytes::Bytes::from(::std::string::String::from(value.as_ref() as &str)), #content_type);
        }
    }
}

/// `__from_http` of an output or error structure: members from headers,
/// status code, payload and body.
pub(crate) fn emit_from_http(codec: &dyn BodyCodec, ir: &Ir, shape: &StructureIr) -> TokenStream {
    let name = &shape.ident;
    let shape_name = shape.name();
    let mut inits = Vec::new();
    let mut body_fields = Vec::new();
    let mut needs_body = false;
    let missing = codec.missing();
    for field in &shape.fields {
        let ident = &field.ident;
        let wrap = |value: TokenStream| {
            if field.optional {
                value
            } else {
                let member = &field.name;
                quote! {
                    (#value).or_else(#missing)
                        .ok_or_else(|| ::std::format!("{}.{}: required member is missing", #shape_name, #member))?
                }
            }
        };
        if field.ty.is_event_stream() {
            let receiver = super::event_stream::receiver(ir, field);
            let value = if field.optional {
                quote!(::core::option::Option::Some(#receiver))
            } else {
                receiver
            };
            inits.push(quote!(#ident: #value,));
            continue;
        }
        match &field.binding {
            Binding::Header(header) => {
                let parse = parse_header(field);
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
                    ::core::option::Option::Some(::opgen::__private::rest::prefix_headers(response, #prefix))
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
            Binding::Payload if field.ty.is_byte_stream() => {
                let value = if field.optional {
                    quote!(::core::option::Option::Some(body))
                } else {
                    quote!(body)
                };
                inits.push(quote!(#ident: #value,));
            }
            Binding::Payload => {
                let value = wrap(payload_value(codec, ir, field));
                inits.push(quote!(#ident: #value,));
            }
            Binding::Label | Binding::Query(_) | Binding::QueryParams | Binding::Body => {
                needs_body = true;
                body_fields.push(field);
            }
        }
    }
    let is_error = shape.roles.error;
    let (body, reads) = if needs_body {
        codec.read_body(shape, &body_fields)
    } else {
        (TokenStream::new(), TokenStream::new())
    };
    let meta = is_error.then(|| quote!(__meta: ::core::default::Default::default(),));
    // Streams are read from the body alone, never from the head.
    let reads_head = shape.fields.iter().any(|f| {
        let stream =
            f.ty.is_event_stream() || (f.ty.is_byte_stream() && f.binding == Binding::Payload);
        !stream
    });
    let ignore_response = (!reads_head).then(|| quote!(let _ = response;));
    if shape.has_stream() {
        // The body is the payload stream; everything else is in the head.
        return quote! {
            impl #name {
                #[doc(hidden)]
                #[inline]
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
            #[inline]
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
fn parse_header(field: &FieldIr) -> TokenStream {
    let scalar = |ty: &TypeRef| -> TokenStream {
        match ty {
            TypeRef::Timestamp { .. } => {
                let format =
                    timestamp_format_tokens(format_of(field, ty, TimestampFormat::HttpDate));
                quote!(|text: &str| ::opgen::__private::rest::timestamp_from_text(text, #format))
            }
            TypeRef::Named {
                ident,
                kind: NamedKind::Enum,
                ..
            } => {
                quote!(|text: &str| -> ::core::result::Result<#ident, ::std::string::String> { ::core::result::Result::Ok(#ident::from(text)) })
            }
            TypeRef::Named {
                ident,
                kind: NamedKind::IntEnum,
                ..
            } => {
                quote!(|text: &str| <i32 as ::opgen::__private::rest::TextValue>::from_text(text).map(#ident::from))
            }
            TypeRef::String {
                media_type: Some(_),
            } => quote!(::opgen::__private::rest::base64_text),
            _ => {
                let ty = rust_type(ty);
                quote!(<#ty as ::opgen::__private::rest::TextValue>::from_text)
            }
        }
    };
    match list_item(field) {
        Some(item) => {
            let parse_item = scalar(item);
            let is_http_date = matches!(item, TypeRef::Timestamp { .. });
            quote! {
                |text: &str| {
                    ::opgen::__private::rest::split_header_values(text, #is_http_date)
                        .iter()
                        .map(|item| (#parse_item)(item.as_str()))
                        .collect::<::core::result::Result<::std::vec::Vec<_>, ::std::string::String>>()
                }
            }
        }
        None => scalar(&field.ty),
    }
}

fn payload_value(codec: &dyn BodyCodec, ir: &Ir, field: &FieldIr) -> TokenStream {
    match &field.ty {
        TypeRef::Blob { .. } => quote! {
            ::core::option::Option::Some(::opgen::Blob::new(response.body().to_vec())).filter(|b| !b.as_bytes().is_empty())
        },
        TypeRef::String { .. } => quote! {
            if response.body().is_empty() {
                ::core::option::Option::None
            } else {
                ::core::option::Option::Some(::std::string::String::from_utf8(response.body().to_vec()).map_err(|_| ::std::string::String::from("the payload is not UTF-8"))?)
            }
        },
        TypeRef::Named {
            ident,
            kind: NamedKind::Enum,
            ..
        } => quote! {
            if response.body().is_empty() {
                ::core::option::Option::None
            } else {
                ::core::option::Option::Some(#ident::from(::std::string::String::from_utf8_lossy(response.body()).as_ref()))
            }
        },
        _ => codec.read_payload(ir, field),
    }
}
