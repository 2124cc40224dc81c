//! Event streams: how an event message becomes a variant of the generated
//! union (in the protocol's body format) and back, the receiver a
//! generated output holds and the sender of an input.

use super::document_body::{inserts, reads, Format};
use super::xml_body::read_members;
use crate::ir::{EventBinding, FieldIr, Ir, NamedKind, OperationIr, TypeIr, TypeRef, UnionIr};
use crate::lower::Diagnostics;
use proc_macro2::TokenStream;
use quote::quote;

/// The body format of event payloads.
#[derive(Clone, Copy)]
pub(crate) enum EventFormat {
    /// JSON or CBOR.
    Document(Format),
    /// XML (restXml).
    Xml,
}

/// `__from_event` of an event union: `:event-type` names the member; an
/// event structure's `@eventHeader` members come from the headers, its
/// `@eventPayload` member from the whole payload, the others from the
/// payload read as a document of `format`.
pub(crate) fn emit_from_event(format: EventFormat, ir: &Ir, union: &UnionIr) -> TokenStream {
    let name = &union.ident;
    let arms = union.variants.iter().map(|v| {
        let ident = &v.ident;
        let member = &v.name;
        let value = match &v.ty {
            TypeRef::Named {
                ident: target,
                kind: NamedKind::Structure,
                boxed,
            } => {
                let value = event_structure(format, ir, target);
                if *boxed {
                    quote!(::std::boxed::Box::new(#value))
                } else {
                    value
                }
            }
            TypeRef::Unit => quote!(::opgen::Unit),
            // Smithy allows only structures in event streams.
            _ => quote!(
                return ::core::result::Result::Err(
                    ::std::format!("event {} is not a structure", #member)
                )
            ),
        };
        quote!(::core::option::Option::Some(#member) => #name::#ident(#value),)
    });
    quote! {
        impl #name {
            #[doc(hidden)]
            #[inline]
            pub fn __from_event(
                message: &::opgen::event_stream::Message,
            ) -> ::core::result::Result<Self, ::std::string::String> {
                ::core::result::Result::Ok(match message.header_str(":event-type") {
                    #(#arms)*
                    _ => #name::Unknown,
                })
            }
        }
    }
}

/// An expression of the event structure `target` read from `message`.
fn event_structure(format: EventFormat, ir: &Ir, target: &proc_macro2::Ident) -> TokenStream {
    let Some(shape) = ir.types.iter().find_map(|t| match t {
        TypeIr::Structure(s) if &s.ident == target => Some(s),
        _ => None,
    }) else {
        return quote!(
            return ::core::result::Result::Err(::std::string::String::from(
                "unknown event structure"
            ))
        );
    };
    if shape.fields.is_empty() {
        // Nothing to read: the payload is empty or ignorable.
        return quote!(#target {});
    }
    let bound = shape.fields.iter().any(|f| f.event.is_some());
    if !bound {
        return read_document(format, &quote!(#target));
    }
    let shape_name = shape.name();
    let mut inits = Vec::new();
    let mut body = Vec::new();
    for field in &shape.fields {
        let ident = &field.ident;
        let member = &field.name;
        let value = match field.event {
            Some(EventBinding::Header) => {
                quote!(::opgen::__private::event_stream::header(message, #member)?)
            }
            Some(EventBinding::Payload) => payload_member(format, field),
            None => {
                body.push(field);
                continue;
            }
        };
        let value = if field.optional {
            value
        } else {
            quote!((#value).ok_or_else(|| ::std::format!("{}.{}: required member is missing", #shape_name, #member))?)
        };
        inits.push(quote!(#ident: #value,));
    }
    if body.is_empty() {
        return quote!(#target { #(#inits)* });
    }
    match format {
        EventFormat::Document(format) => {
            let object = payload_object(format);
            let reads = reads(format, shape, body.iter().copied());
            quote! {{
                let object = &#object?;
                #target {
                    #(#inits)*
                    #reads
                }
            }}
        }
        EventFormat::Xml => {
            let members = read_members(shape, body.iter().copied());
            let (locals, reads, xml_inits) = (members.locals, members.reads, members.inits);
            quote! {{
                let document = ::opgen::__private::xml::XmlDocument::parse(message.payload())?;
                let node = document.root();
                #locals
                #reads
                #target {
                    #(#inits)*
                    #xml_inits
                }
            }}
        }
    }
}

/// The whole payload read as a document of the type `rust`.
fn read_document(format: EventFormat, rust: &TokenStream) -> TokenStream {
    match format {
        EventFormat::Document(format) => {
            let object = payload_object(format);
            let (read_trait, read_fn) = (format.read_trait(), format.read_fn());
            let value = format.map_value(quote!(#object?));
            quote!(<#rust as #read_trait>::#read_fn(&#value)?)
        }
        EventFormat::Xml => quote! {
            <#rust as ::opgen::__private::xml::FromXml>::from_xml(
                ::opgen::__private::xml::XmlDocument::parse(message.payload())?.root(),
            )?
        },
    }
}

/// The `@eventPayload` member, an `Option`: a blob or string is the raw
/// payload, a structure the payload as a document.
fn payload_member(format: EventFormat, field: &FieldIr) -> TokenStream {
    let payload = quote!(message.payload());
    match &field.ty {
        TypeRef::Blob { .. } => {
            quote!(::core::option::Option::Some(::opgen::Blob::new(#payload.to_vec())))
        }
        TypeRef::String { .. } => quote! {
            ::core::option::Option::Some(::std::string::String::from_utf8(#payload.to_vec())
                .map_err(|_| ::std::string::String::from("the event payload is not UTF-8"))?)
        },
        ty => {
            let rust = crate::emit::types::rust_type(ty);
            let value = read_document(format, &rust);
            quote!(::core::option::Option::Some(#value))
        }
    }
}

/// A `Result<map, String>` of the message payload as a document map.
fn payload_object(format: Format) -> TokenStream {
    match format {
        Format::Json { .. } => {
            quote!(::opgen::__private::event_stream::json_object(
                message.payload()
            ))
        }
        Format::Cbor => quote!(::opgen::__private::event_stream::cbor_object(
            message.payload()
        )),
    }
}

/// The receiver of the event stream member `field` (an
/// `EventStream` type), reading `body` (in scope).
pub(crate) fn receiver(ir: &Ir, field: &FieldIr) -> TokenStream {
    let TypeRef::EventStream {
        union, op, error, ..
    } = &field.ty
    else {
        return quote!(body);
    };
    let exceptions = ir
        .types
        .iter()
        .find_map(|t| match t {
            TypeIr::Union(u) if &u.ident == union => Some(u.exceptions.as_slice()),
            _ => None,
        })
        .unwrap_or_default()
        .iter()
        .map(|(member, code)| quote!((#member, #code)));
    quote! {
        ::opgen::event_stream::EventReceiver::<#union, #error>::__new(
            body,
            ::opgen::__private::event_stream::EventDecoders {
                event: #union::__from_event,
                exception: ::opgen::__private::event_stream::exception::<#op>,
                exceptions: &[#(#exceptions),*],
            },
        )
    }
}

/// Reports an event stream in the output of `op`, for protocols that do
/// not carry them yet.
pub(crate) fn check_unsupported(
    ir: &Ir,
    op: &OperationIr,
    protocol: &str,
    diagnostics: &mut Diagnostics,
) {
    let output = op.output.as_ref().and_then(|o| ir.structure(&o.id));
    if let Some(field) = output.and_then(|s| s.event_stream()) {
        diagnostics.error(
            &op.id,
            format!(
                "event streams over {protocol} are not supported yet (member `{}`); leave out the operations that use them",
                field.name
            ),
        );
    }
}

/// The `impl Operation` items of an RPC operation whose output holds an
/// event stream: the other members come from the `initial-response`
/// event the client read (none read: all unset).
pub(crate) fn rpc_streaming(format: Format, ir: &Ir, op: &OperationIr) -> TokenStream {
    let Some(shape) = op.output.as_ref().and_then(|o| ir.structure(&o.id)) else {
        return TokenStream::new();
    };
    let Some(stream) = shape.event_stream() else {
        return TokenStream::new();
    };
    let name = &shape.ident;
    let stream_ident = &stream.ident;
    let receiver = receiver(ir, stream);
    let receiver = if stream.optional {
        quote!(::core::option::Option::Some(#receiver))
    } else {
        receiver
    };
    let others = shape.fields.iter().filter(|f| !f.ty.is_event_stream());
    let reads = reads(format, shape, others);
    let object = match format {
        Format::Json { .. } => {
            quote!(::opgen::__private::event_stream::json_object(&initial)?)
        }
        Format::Cbor => quote!(::opgen::__private::event_stream::cbor_object(&initial)?),
    };
    quote! {
        const STREAMING_RESPONSE: bool = true;
        const EVENT_STREAM_RESPONSE: bool = true;
        const INITIAL_RESPONSE: bool = true;

        #[inline]
        fn deserialize_streaming(
            response: ::opgen::__private::http::Response<::opgen::ByteStream>,
        ) -> ::core::result::Result<Self::Output, ::opgen::Error<Self::Error>> {
            let (head, body) = response.into_parts();
            let head = ::opgen::__private::http::Response::from_parts(head, ());
            let initial = ::opgen::__private::event_stream::initial_response(&head)
                .cloned()
                .unwrap_or_default();
            let output = (|| -> ::core::result::Result<#name, ::std::string::String> {
                let object = &#object;
                ::core::result::Result::Ok(#name {
                    #stream_ident: #receiver,
                    #reads
                })
            })();
            output.map_err(|reason| {
                ::opgen::Error::Response(::opgen::ResponseError::new(reason, &head.map(|()| initial)))
            })
        }
    }
}

/// `__to_event` of an event union an input sends: the message of a
/// variant, `:event-type` naming the member; an event structure's
/// `@eventHeader` members become headers, its `@eventPayload` member the
/// whole payload, the others the payload written as a document of
/// `format`.
pub(crate) fn emit_to_event(format: Format, ir: &Ir, union: &UnionIr) -> TokenStream {
    if !union.input_events {
        return TokenStream::new();
    }
    let name = &union.ident;
    let arms = union.variants.iter().map(|v| {
        let ident = &v.ident;
        let member = &v.name;
        let structure = match &v.ty {
            TypeRef::Named {
                ident: target,
                kind: NamedKind::Structure,
                ..
            } => ir.types.iter().find_map(|t| match t {
                TypeIr::Structure(s) if &s.ident == target => Some(s),
                _ => None,
            }),
            _ => None,
        };
        let Some(shape) = structure else {
            // A unit member: an event without content.
            return quote! {
                #name::#ident(_) => ::opgen::__private::event_stream::event_message(
                    #member,
                    ::std::vec::Vec::new(),
                    ::core::option::Option::None,
                ),
            };
        };
        let mut headers = Vec::new();
        let mut payload = None;
        let mut body = Vec::new();
        for field in &shape.fields {
            match field.event {
                Some(EventBinding::Header) => headers.push(field),
                Some(EventBinding::Payload) => payload = Some(field),
                None => body.push(field),
            }
        }
        let mut_kw = (!headers.is_empty()).then(|| quote!(mut));
        let headers = headers.iter().map(|f| {
            let field = &f.ident;
            let header = &f.name;
            let push = quote! {
                headers.push(::opgen::event_stream::Header::new(
                    #header,
                    ::opgen::__private::event_stream::ToHeader::to_header(header),
                ));
            };
            if f.optional {
                quote!(if let ::core::option::Option::Some(header) = &value.#field { #push })
            } else {
                quote!({ let header = &value.#field; #push })
            }
        });
        let payload = match payload {
            Some(f) => write_payload_member(format, f),
            None if body.is_empty() => quote!(::core::option::Option::None),
            None => {
                let inserts = inserts(format, body.iter().copied(), quote!(value));
                let new_map = format.new_map();
                let map = format.map_value(quote!(object));
                let document = document_payload(format, map);
                quote! {
                    ::core::option::Option::Some({
                        let mut object = #new_map;
                        #inserts
                        #document
                    })
                }
            }
        };
        quote! {
            #name::#ident(value) => {
                let #mut_kw headers = ::std::vec::Vec::new();
                #(#headers)*
                ::opgen::__private::event_stream::event_message(#member, headers, #payload)
            }
        }
    });
    quote! {
        impl #name {
            #[doc(hidden)]
            #[inline]
            pub fn __to_event(
                &self,
            ) -> ::core::result::Result<::opgen::event_stream::Message, ::std::string::String> {
                ::core::result::Result::Ok(match self {
                    #(#arms)*
                    #name::Unknown => {
                        return ::core::result::Result::Err(::std::string::String::from(
                            "the Unknown event cannot be sent",
                        ))
                    }
                    #name::__NonExhaustive(never) => never.unreachable(),
                })
            }
        }
    }
}

/// An `Option<(Bytes, &str)>` of the payload and its content type, from
/// the `@eventPayload` member `field` of `value`: a blob or string is the
/// raw payload, anything else a document.
fn write_payload_member(format: Format, field: &FieldIr) -> TokenStream {
    let ident = &field.ident;
    let bytes = match &field.ty {
        TypeRef::Blob { .. } => quote! {
            (::opgen::__private::bytes::Bytes::copy_from_slice(payload.as_bytes()), "application/octet-stream")
        },
        TypeRef::String { .. } => quote! {
            (::opgen::__private::bytes::Bytes::copy_from_slice(payload.as_bytes()), "text/plain")
        },
        _ => {
            let (write_trait, write_fn) = (format.write_trait(), format.write_fn());
            document_payload(format, quote!(#write_trait::#write_fn(payload)))
        }
    };
    let get = if field.optional {
        quote!(value.#ident.as_ref())
    } else {
        quote!(::core::option::Option::Some(&value.#ident))
    };
    quote!(#get.map(|payload| #bytes))
}

/// A `(Bytes, &str)` of a document value `value` of `format` and its
/// content type.
fn document_payload(format: Format, value: TokenStream) -> TokenStream {
    match format {
        Format::Json { .. } => quote!(::opgen::__private::event_stream::json_payload(#value)),
        Format::Cbor => quote!(::opgen::__private::event_stream::cbor_payload(#value)),
    }
}

/// Reports an event stream in the input of `op`, for protocols that do
/// not send them yet.
pub(crate) fn check_no_input_stream(
    ir: &Ir,
    op: &OperationIr,
    protocol: &str,
    diagnostics: &mut Diagnostics,
) {
    let input = op.input.as_ref().and_then(|i| ir.structure(&i.id));
    if let Some(field) = input.and_then(|s| s.input_event_stream()) {
        diagnostics.error(
            &op.id,
            format!(
                "input event streams over {protocol} are not supported yet (member `{}`); leave out the operations that send them",
                field.name
            ),
        );
    }
}
