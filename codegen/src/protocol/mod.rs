//! The wire protocols: one file each, behind one trait. Nothing outside this
//! module matches on the protocol; the emitters ask the operation's
//! protocol for the serializer, the deserializer and the body codecs.

mod aws_json;
mod aws_query;
mod document_body;
mod event_stream;
mod http_bindings;
mod query_body;
mod rest_json1;
mod rest_xml;
mod rpc_v2_cbor;
pub(crate) mod xml_body;

use crate::ir::{ErrorRef, FieldIr, Ir, OperationIr, StructureIr, TypeIr, TypeRef};
use crate::lower::Diagnostics;
use proc_macro2::TokenStream;
use quote::quote;

/// The AWS protocols, in the order a service that lists several is spoken
/// with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum ProtocolKind {
    RpcV2Cbor,
    AwsJson1_0,
    AwsJson1_1,
    RestJson1,
    RestXml,
    AwsQuery,
    Ec2Query,
}

impl ProtocolKind {
    /// Every protocol, in order of preference.
    pub(crate) const ALL: &'static [ProtocolKind] = &[
        ProtocolKind::RpcV2Cbor,
        ProtocolKind::AwsJson1_0,
        ProtocolKind::AwsJson1_1,
        ProtocolKind::RestJson1,
        ProtocolKind::RestXml,
        ProtocolKind::AwsQuery,
        ProtocolKind::Ec2Query,
    ];

    /// The name users write in `protocol = "…"` (the trait's name).
    pub(crate) fn name(self) -> &'static str {
        self.trait_id().rsplit('#').next().unwrap_or_default()
    }

    /// The shape id of the protocol trait on a service.
    pub(crate) fn trait_id(self) -> &'static str {
        match self {
            ProtocolKind::RpcV2Cbor => "smithy.protocols#rpcv2Cbor",
            ProtocolKind::AwsJson1_0 => "aws.protocols#awsJson1_0",
            ProtocolKind::AwsJson1_1 => "aws.protocols#awsJson1_1",
            ProtocolKind::RestJson1 => "aws.protocols#restJson1",
            ProtocolKind::RestXml => "aws.protocols#restXml",
            ProtocolKind::AwsQuery => "aws.protocols#awsQuery",
            ProtocolKind::Ec2Query => "aws.protocols#ec2Query",
        }
    }

    /// The protocol named `name` (`awsJson1_0`), case-insensitively.
    pub(crate) fn from_name(name: &str) -> Option<ProtocolKind> {
        ProtocolKind::ALL
            .iter()
            .copied()
            .find(|p| p.name().eq_ignore_ascii_case(name))
    }

    pub(crate) fn is_supported(self) -> bool {
        implementation(self).is_some()
    }
}

/// What a protocol contributes to the generated code.
pub(crate) trait Protocol: Sync {
    /// The `::opgen::Protocol` variant.
    fn runtime_tag(&self) -> TokenStream;

    /// Reports what this protocol cannot do with `op` (called by `lower`).
    fn check(&self, ir: &Ir, op: &OperationIr, diagnostics: &mut Diagnostics);

    /// Body codec impls of a generated type, and any parsing helpers of
    /// output and error structures.
    fn type_items(&self, ir: &Ir, ty: &TypeIr) -> TokenStream;

    /// The body of `Operation::serialize`: `input: &Self::Input` and
    /// `endpoint: &Endpoint` are in scope; evaluates to
    /// `Result<http::Request<Bytes>, BuildError>`.
    fn serialize(&self, ir: &Ir, op: &OperationIr) -> TokenStream;

    /// The successful branch of `Operation::deserialize`: `response:
    /// http::Response<Bytes>` is in scope; evaluates to
    /// `Result<Self::Output, opgen::Error<Self::Error>>`.
    fn deserialize(&self, ir: &Ir, op: &OperationIr) -> TokenStream;

    /// Statements that bind `meta: opgen::ErrorMetadata` (and whatever
    /// `decode_error` reads) from `response: &http::Response<Bytes>`.
    fn error_metadata(&self, op: &OperationIr) -> TokenStream;

    /// An expression `Result<E, String>` reading the modeled error `error`
    /// after `error_metadata`'s statements.
    fn decode_error(&self, ir: &Ir, error: &ErrorRef) -> TokenStream;

    /// Associated items of the operation type (`HTTP_METHOD`, …).
    fn operation_items(&self, _op: &OperationIr) -> TokenStream {
        TokenStream::new()
    }

    /// A `bool` expression: whether `response` (an
    /// `&http::Response<Bytes>`) is an error. Every status outside 2xx is;
    /// a protocol may also recognise an error sent with a success status.
    fn is_error(&self, _ir: &Ir, _op: &OperationIr) -> TokenStream {
        quote!(!response.status().is_success())
    }

    /// `impl Operation` items for an output read as a stream.
    fn streaming(&self, _ir: &Ir, _op: &OperationIr) -> TokenStream {
        TokenStream::new()
    }

    /// Whether error responses name modeled errors by their
    /// `@awsQueryError` code (when they have one) rather than by shape
    /// name: the query protocols always do, the others for
    /// `@awsQueryCompatible` services.
    fn query_error_codes(&self, op: &OperationIr) -> bool {
        op.service.query_compatible
    }
}

/// The implementation of `kind`, if opgen has one.
fn implementation(kind: ProtocolKind) -> Option<&'static dyn Protocol> {
    match kind {
        ProtocolKind::RestJson1 => Some(&rest_json1::RestJson1),
        ProtocolKind::AwsJson1_0 => Some(&aws_json::AWS_JSON_1_0),
        ProtocolKind::AwsJson1_1 => Some(&aws_json::AWS_JSON_1_1),
        ProtocolKind::RpcV2Cbor => Some(&rpc_v2_cbor::RpcV2Cbor),
        ProtocolKind::RestXml => Some(&rest_xml::RestXml),
        ProtocolKind::AwsQuery => Some(&aws_query::AWS_QUERY),
        ProtocolKind::Ec2Query => Some(&aws_query::EC2_QUERY),
    }
}

/// The implementation of a protocol `lower` chose, which is supported.
pub(crate) fn protocol(kind: ProtocolKind) -> &'static dyn Protocol {
    implementation(kind).unwrap_or(&rest_json1::RestJson1)
}

/// The input structure of `op`, if it has one.
pub(crate) fn input<'ir>(ir: &'ir Ir, op: &OperationIr) -> Option<&'ir StructureIr> {
    op.input.as_ref().and_then(|i| ir.structure(&i.id))
}

/// Rebinds `input` to a copy with every unset `@idempotencyToken` member
/// filled with a fresh token, as the service expects one per logical call.
pub(crate) fn fill_idempotency_tokens(fields: &[FieldIr]) -> TokenStream {
    let tokens: Vec<_> = fields
        .iter()
        .filter(|f| f.idempotency_token && f.optional)
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

/// Reports a `@streaming` blob in the input or output of `op`, which only
/// protocols with HTTP bindings can carry (as the whole body).
pub(crate) fn check_no_byte_stream(
    ir: &Ir,
    op: &OperationIr,
    protocol: &str,
    diagnostics: &mut Diagnostics,
) {
    let streams = [&op.input, &op.output]
        .into_iter()
        .flatten()
        .filter_map(|s| ir.structure(&s.id))
        .find(|s| s.has_byte_stream());
    if let Some(shape) = streams {
        diagnostics.error(
            &shape.id,
            format!(
                "a @streaming blob member needs a protocol with HTTP bindings; {protocol} has none"
            ),
        );
    }
}

/// Reports a document member anywhere in the expansion, which the XML
/// and query protocols have no form for.
pub(crate) fn check_no_documents(
    ir: &Ir,
    op: &OperationIr,
    protocol: &str,
    diagnostics: &mut Diagnostics,
) {
    fn has_document(ty: &TypeRef) -> bool {
        match ty {
            TypeRef::Document => true,
            TypeRef::List { item, .. } => has_document(item),
            TypeRef::Map { value, .. } => has_document(value),
            _ => false,
        }
    }
    for ty in &ir.types {
        let id = match ty {
            TypeIr::Structure(s) if s.fields.iter().any(|f| has_document(&f.ty)) => &s.id,
            TypeIr::Union(u) if u.variants.iter().any(|v| has_document(&v.ty)) => &u.id,
            _ => continue,
        };
        diagnostics.error(
            id,
            format!(
                "{protocol} cannot carry a document member (needed by operation {})",
                op.name
            ),
        );
    }
}

/// The body of `serialize` for an RPC protocol, whose whole input is the
/// body: `body` is the body expression of an input (`input` in scope, its
/// idempotency tokens filled), `no_input` the body of an operation without
/// one, and `request` makes the request builder from the body expression.
pub(crate) fn rpc_serialize(
    ir: &Ir,
    op: &OperationIr,
    body: TokenStream,
    no_input: TokenStream,
    request: impl FnOnce(TokenStream) -> TokenStream,
) -> TokenStream {
    let (fill_tokens, body) = match input(ir, op) {
        Some(shape) => (fill_idempotency_tokens(&shape.fields), body),
        None => (quote!(let _ = input;), no_input),
    };
    let request = request(body);
    let build = build_with_host_prefix(ir, op);
    quote! {
        #fill_tokens
        let request = #request;
        #build
    }
}

/// Whether `op`'s `@endpoint` host prefix has labels, which read the input.
pub(crate) fn host_prefix_reads_input(op: &OperationIr) -> bool {
    op.host_prefix.as_ref().is_some_and(|p| p.contains('{'))
}

/// Reports `@endpoint` host prefix labels without an input member.
pub(crate) fn check_host_prefix(ir: &Ir, op: &OperationIr, diagnostics: &mut Diagnostics) {
    let Some(prefix) = &op.host_prefix else {
        return;
    };
    let fields = input(ir, op)
        .map(|s| s.fields.as_slice())
        .unwrap_or_default();
    for label in prefix_labels(prefix) {
        if !fields.iter().any(|f| f.name == label) {
            diagnostics.error(
                &op.id,
                format!("the @endpoint host prefix label `{{{label}}}` has no input member of that name"),
            );
        }
    }
}

fn prefix_labels(prefix: &str) -> Vec<&str> {
    let mut labels = Vec::new();
    let mut rest = prefix;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}') else {
            break;
        };
        labels.push(&rest[open + 1..open + close]);
        rest = &rest[open + close + 1..];
    }
    labels
}

/// `request.build(endpoint)`, with the `@endpoint` host prefix applied
/// (its labels filled from the input's `@hostLabel` members).
pub(crate) fn build_with_host_prefix(ir: &Ir, op: &OperationIr) -> TokenStream {
    let Some(prefix) = &op.host_prefix else {
        return quote!(request.build(endpoint));
    };
    let input = input(ir, op);
    let fields = input.map(|s| s.fields.as_slice()).unwrap_or_default();
    let shape_name = input.map(|s| s.name()).unwrap_or_default();
    let mut format = String::new();
    let mut args = Vec::new();
    let mut rest = prefix.as_str();
    while let Some(open) = rest.find('{') {
        format.push_str(&rest[..open].replace('{', "{{").replace('}', "}}"));
        let Some(close) = rest[open..].find('}') else {
            break;
        };
        let label = &rest[open + 1..open + close];
        if let Some(field) = fields.iter().find(|f| f.name == label) {
            let ident = &field.ident;
            let name = &field.name;
            format.push_str("{}");
            args.push(if field.optional {
                quote!(::opgen::__private::rest::host_label(#shape_name, #name, input.#ident.as_deref())?)
            } else {
                quote!(::opgen::__private::rest::host_label(#shape_name, #name, ::core::option::Option::Some(input.#ident.as_str()))?)
            });
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
