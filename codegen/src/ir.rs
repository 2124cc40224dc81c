//! The intermediate representation: what `lower` makes of the shape graph
//! and what the emitters and protocols read. Plain values: names are
//! resolved, traits typed, and nothing here refers back to the graph, so an
//! emitter cannot reach past the IR into the JSON model.

use crate::protocol::ProtocolKind;
use opgen_model::{EnumValue, ShapeId, TimestampFormat, XmlNamespace};
use proc_macro2::Ident;
use serde_json::Value;

/// Everything one expansion generates.
pub(crate) struct Ir {
    /// The operations, sorted by shape id.
    pub(crate) operations: Vec<OperationIr>,
    /// The structures, enums and unions the operations reach, sorted by
    /// shape id (shared shapes once).
    pub(crate) types: Vec<TypeIr>,
    /// Derive serde on the generated types.
    pub(crate) serde: bool,
}

impl Ir {
    /// The structure `id`, if the expansion generates it.
    pub(crate) fn structure(&self, id: &ShapeId) -> Option<&StructureIr> {
        self.types.iter().find_map(|t| match t {
            TypeIr::Structure(s) if &s.id == id => Some(s),
            _ => None,
        })
    }
}

/// Facts of the service an operation belongs to.
#[derive(Clone)]
pub(crate) struct ServiceIr {
    pub(crate) id: ShapeId,
    /// `aws.api#service` `sdkId`, else the shape name.
    pub(crate) sdk_id: String,
    /// The service shape's `version`.
    pub(crate) version: String,
    /// `aws.auth#sigv4` `name`.
    pub(crate) signing_name: String,
    /// `aws.api#service` `endpointPrefix`.
    pub(crate) endpoint_prefix: String,
    /// The protocol the expansion speaks (chosen from the ones the service
    /// lists, or the `protocol =` override).
    pub(crate) protocol: ProtocolKind,
    /// `@awsQueryCompatible`: error codes come from `x-amzn-query-error`.
    pub(crate) query_compatible: bool,
    /// `smithy.rules#endpointRuleSet`.
    pub(crate) endpoint_rules: Option<Value>,
    /// `@xmlNamespace` of the service, which awsQuery and ec2Query
    /// responses declare.
    pub(crate) xml_namespace: Option<XmlNamespace>,
    /// restXml `noErrorWrapping`: error bodies are rooted at `<Error>`
    /// (S3) instead of `<ErrorResponse><Error>`.
    pub(crate) no_error_wrapping: bool,
}

/// One operation.
pub(crate) struct OperationIr {
    pub(crate) id: ShapeId,
    /// The operation's name in the model (`GetItem`).
    pub(crate) name: String,
    /// The operation type (`GetItem`).
    pub(crate) ident: Ident,
    /// Its error enum (`GetItemError`).
    pub(crate) error_ident: Ident,
    pub(crate) docs: Option<String>,
    pub(crate) service: ServiceIr,
    pub(crate) input: Option<ShapeRef>,
    pub(crate) output: Option<ShapeRef>,
    /// `{Op}Input`, naming the input whatever the model calls it; `None`
    /// when the input already has that name or another shape does.
    pub(crate) input_alias: Option<Ident>,
    /// `{Op}Output`, likewise.
    pub(crate) output_alias: Option<Ident>,
    /// The modeled errors, operation's first, then the service's.
    pub(crate) errors: Vec<ErrorRef>,
    /// `@http`; protocols that bind HTTP require it.
    pub(crate) http: Option<HttpIr>,
    /// `@endpoint` `hostPrefix`.
    pub(crate) host_prefix: Option<String>,
    /// `@requestCompression` encodings.
    pub(crate) request_compression: Vec<String>,
    /// `@auth([])` (on the operation, else on the service): sent without
    /// credentials or signature.
    pub(crate) unsigned: bool,
    /// `@httpChecksumRequired`, when no `@httpChecksum` checksum that is
    /// always sent replaces its `Content-MD5`.
    pub(crate) checksum_required: bool,
    /// `aws.protocols#httpChecksum`, its members resolved to input fields.
    pub(crate) http_checksum: Option<HttpChecksumIr>,
    /// `@staticContextParams`: endpoint parameter name and value.
    pub(crate) static_context_params: Vec<(String, StaticParam)>,
    /// `@paginated`, completed by the service's, when the operation has it.
    pub(crate) pagination: Option<PaginationIr>,
    /// `smithy.waiters#waitable`, by waiter name.
    pub(crate) waiters: Vec<WaiterIr>,
}

/// One waiter of `smithy.waiters#waitable`.
pub(crate) struct WaiterIr {
    /// The waiter's name in the model (`TableExists`).
    pub(crate) name: String,
    /// `wait_until_table_exists`.
    pub(crate) fn_ident: Ident,
    pub(crate) docs: Option<String>,
    /// `minDelay` and `maxDelay`, in seconds.
    pub(crate) min_delay: u64,
    pub(crate) max_delay: u64,
    pub(crate) acceptors: Vec<AcceptorIr>,
}

/// An acceptor: the state it moves the waiter to when its matcher matches.
pub(crate) struct AcceptorIr {
    pub(crate) state: AcceptorState,
    pub(crate) matcher: MatcherIr,
    /// The matcher as the model writes it, for docs and the outcome.
    pub(crate) description: String,
}

/// `success`, `failure` or `retry`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum AcceptorState {
    Success,
    Failure,
    Retry,
}

/// What an acceptor matches.
pub(crate) enum MatcherIr {
    /// `success: true` matches any output, `false` any error.
    Success(bool),
    /// The service error whose code is one of these.
    ErrorType(Vec<String>),
    /// `output` or `inputOutput`: the translated path and its comparison.
    Path {
        path: crate::jmespath::Typed,
        comparator: Comparator,
        expected: String,
        /// `inputOutput`: the path also reads the input.
        input: bool,
    },
}

/// How a path's value is compared with `expected`.
// The variants are the specification's comparator names.
#[allow(clippy::enum_variant_names)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Comparator {
    StringEquals,
    BooleanEquals,
    AllStringEquals,
    AnyStringEquals,
}

/// `aws.protocols#httpChecksum` of an operation.
pub(crate) struct HttpChecksumIr {
    /// `requestAlgorithmMember`: the caller's choice of request checksum.
    pub(crate) request_algorithm: Option<ChecksumMemberIr>,
    /// `requestChecksumRequired`.
    pub(crate) request_required: bool,
    /// `requestValidationModeMember`: the caller's request to validate the
    /// response checksum (`ENABLED`).
    pub(crate) validation_mode: Option<ChecksumMemberIr>,
    /// `responseAlgorithms`, as the model spells them (`CRC32`).
    pub(crate) response_algorithms: Vec<String>,
}

/// An input member that `@httpChecksum` names: a string or a string enum.
pub(crate) struct ChecksumMemberIr {
    pub(crate) ident: Ident,
    /// Whether the Rust field is an `Option`.
    pub(crate) optional: bool,
    /// Whether it is a generated enum (read with `as_str`).
    pub(crate) is_enum: bool,
    /// The header it is bound to, for protocols with HTTP bindings.
    pub(crate) header: Option<String>,
}

/// The merged `@paginated` of an operation, resolved to fields.
pub(crate) struct PaginationIr {
    /// The input member that carries the token (top level).
    pub(crate) input_token: Ident,
    /// Its model name.
    pub(crate) input_token_name: String,
    /// The fields from the output down to the output token.
    pub(crate) output_token_path: Vec<PathStep>,
    /// The model's `outputToken` path (`a.b.token`).
    pub(crate) output_token_name: String,
    /// The type of the token, the same in the input and the output.
    pub(crate) token_type: TypeRef,
    /// `items`, when the model names them.
    pub(crate) items: Option<ItemsIr>,
    /// The input member that sets the page size, and its model name.
    pub(crate) page_size: Option<(Ident, String)>,
}

/// One field on a path through nested structures.
pub(crate) struct PathStep {
    pub(crate) ident: Ident,
    /// Whether the Rust field is an `Option`.
    pub(crate) optional: bool,
}

/// The items of the pages of a paginated operation.
pub(crate) struct ItemsIr {
    /// The fields from the output down to the list or map of items.
    pub(crate) path: Vec<PathStep>,
    /// The model's `items` path.
    pub(crate) name: String,
    /// The list or map type of that member.
    pub(crate) ty: TypeRef,
}

/// A reference to a generated structure.
#[derive(Clone)]
pub(crate) struct ShapeRef {
    pub(crate) id: ShapeId,
    pub(crate) ident: Ident,
}

/// A modeled error of an operation.
pub(crate) struct ErrorRef {
    pub(crate) ident: Ident,
    /// The code the service sends for it: the shape name.
    pub(crate) code: String,
    /// `@awsQueryError` `code`, which query-compatible services send instead.
    pub(crate) query_code: Option<String>,
}

/// A `@staticContextParams` value.
pub(crate) enum StaticParam {
    String(String),
    Bool(bool),
    StringList(Vec<String>),
}

/// `@http`.
pub(crate) struct HttpIr {
    pub(crate) method: String,
    pub(crate) path: Vec<UriPiece>,
    /// Literal query items of the URI (`?x-id=GetObject`).
    pub(crate) literal_query: Vec<(String, Option<String>)>,
    pub(crate) code: u16,
}

/// A piece of an `@http` URI path.
pub(crate) enum UriPiece {
    Literal(String),
    Label { name: String, greedy: bool },
}

/// A generated type.
pub(crate) enum TypeIr {
    Structure(StructureIr),
    Enum(EnumIr),
    Union(UnionIr),
}

/// What a structure is used as in this expansion.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Roles {
    pub(crate) input: bool,
    pub(crate) output: bool,
    pub(crate) error: bool,
}

pub(crate) struct StructureIr {
    pub(crate) id: ShapeId,
    pub(crate) ident: Ident,
    pub(crate) builder_ident: Ident,
    pub(crate) docs: Option<String>,
    /// The rustdoc line when the model has none.
    pub(crate) default_doc: String,
    pub(crate) fields: Vec<FieldIr>,
    /// `@sensitive` on the structure: `Debug` redacts it whole.
    pub(crate) sensitive: bool,
    pub(crate) roles: Roles,
    /// `@error` facts, for error structures.
    pub(crate) error: Option<ErrorIr>,
    /// The root element of a document of this structure: `@xmlName`, else
    /// the shape name.
    pub(crate) xml_name: String,
    /// `@xmlNamespace` of the structure.
    pub(crate) xml_namespace: Option<XmlNamespace>,
}

impl StructureIr {
    /// The model name of the shape.
    pub(crate) fn name(&self) -> &str {
        self.id.name()
    }

    /// Whether a member is a `@streaming` blob: the structure is then a
    /// whole HTTP message, read once, never a body value.
    pub(crate) fn has_byte_stream(&self) -> bool {
        self.fields.iter().any(|f| f.ty.is_byte_stream())
    }

    /// The member that is an event stream, if any: the structure is then
    /// an input or output used once, never a body value.
    pub(crate) fn event_stream(&self) -> Option<&FieldIr> {
        self.fields.iter().find(|f| f.ty.is_event_stream())
    }

    /// The member that is an input event stream, if any.
    pub(crate) fn input_event_stream(&self) -> Option<&FieldIr> {
        self.fields
            .iter()
            .find(|f| matches!(f.ty, TypeRef::EventStream { input: true, .. }))
    }

    /// Whether a member is read as a stream (bytes or events).
    pub(crate) fn has_stream(&self) -> bool {
        self.fields
            .iter()
            .any(|f| f.ty.is_byte_stream() || f.ty.is_event_stream())
    }
}

/// `@error` and `@retryable` of an error structure.
pub(crate) struct ErrorIr {
    pub(crate) retryable: bool,
    pub(crate) throttling: bool,
}

/// A structure member.
pub(crate) struct FieldIr {
    /// The member name in the model, which is also its default wire name.
    pub(crate) name: String,
    pub(crate) ident: Ident,
    pub(crate) docs: Option<String>,
    pub(crate) ty: TypeRef,
    /// Whether the Rust field is an `Option`.
    pub(crate) optional: bool,
    /// `@required` (and not an idempotency token, which is filled in).
    pub(crate) required: bool,
    /// Where the member goes in an HTTP message, for protocols that bind HTTP.
    pub(crate) binding: Binding,
    /// The JSON key: `@jsonName`, else the member name.
    pub(crate) json_name: String,
    /// `@timestampFormat` of the member, else of its target.
    pub(crate) timestamp_format: Option<TimestampFormat>,
    /// `@sensitive` on the member, its target, or the items of a collection.
    pub(crate) sensitive: bool,
    /// `@default`, when not `null`.
    pub(crate) default: Option<Value>,
    pub(crate) idempotency_token: bool,
    /// `@contextParam` `name`.
    pub(crate) context_param: Option<String>,
    /// XML and query naming.
    pub(crate) xml: XmlIr,
    /// `@eventHeader` / `@eventPayload`, in event structures.
    pub(crate) event: Option<EventBinding>,
}

/// Where a member of an event goes in its message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum EventBinding {
    /// `@eventHeader`: the header of the member's name.
    Header,
    /// `@eventPayload`: the whole payload.
    Payload,
}

/// How a member, list member or map key or value is named in an XML
/// document or a query string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct XmlIr {
    /// The element or attribute name: `@xmlName`, else the member name.
    pub(crate) name: String,
    /// `@xmlAttribute`: an attribute of the enclosing element.
    pub(crate) attribute: bool,
    /// `@xmlFlattened`: a list or map without a wrapping element.
    pub(crate) flattened: bool,
    /// `@xmlNamespace` of the element.
    pub(crate) namespace: Option<XmlNamespace>,
    /// The ec2Query key: `@ec2QueryName`, else the capitalized `@xmlName`,
    /// else the capitalized member name.
    pub(crate) ec2_query_name: String,
}

/// Where a member goes in an HTTP message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Binding {
    Label,
    Query(String),
    QueryParams,
    Header(String),
    PrefixHeaders(String),
    ResponseCode,
    Payload,
    Body,
}

/// The Rust type of a value, with what the protocols need to know of it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum TypeRef {
    /// `@mediaType` strings are base64 in headers.
    String {
        media_type: Option<String>,
    },
    Boolean,
    Byte,
    Short,
    Integer,
    Long,
    Float,
    Double,
    /// `format` is the target shape's `@timestampFormat`.
    Timestamp {
        format: Option<TimestampFormat>,
    },
    Blob {
        media_type: Option<String>,
    },
    /// A `@streaming` blob.
    ByteStream {
        media_type: Option<String>,
    },
    /// A `@streaming` union in an operation's output (the events of
    /// `union`, errors of the operation `op` (`error`)) or, when `input`,
    /// in its input.
    EventStream {
        union: Ident,
        op: Ident,
        error: Ident,
        input: bool,
    },
    Document,
    BigNumber,
    Unit,
    /// `item_xml` names the list's `member` (`member` by default).
    List {
        item: Box<TypeRef>,
        sparse: bool,
        item_xml: Box<XmlIr>,
    },
    /// `key_xml` and `value_xml` name the map's `key` and `value`.
    Map {
        value: Box<TypeRef>,
        sparse: bool,
        key_xml: Box<XmlIr>,
        value_xml: Box<XmlIr>,
    },
    /// A generated type; `boxed` where it leads back to its container.
    Named {
        ident: Ident,
        kind: NamedKind,
        boxed: bool,
    },
}

/// What a generated type is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum NamedKind {
    Structure,
    Union,
    Enum,
    IntEnum,
}

impl TypeRef {
    pub(crate) fn is_byte_stream(&self) -> bool {
        matches!(self, TypeRef::ByteStream { .. })
    }

    pub(crate) fn is_event_stream(&self) -> bool {
        matches!(self, TypeRef::EventStream { .. })
    }
}

/// A string enum or intEnum.
pub(crate) struct EnumIr {
    pub(crate) id: ShapeId,
    pub(crate) ident: Ident,
    pub(crate) docs: Option<String>,
    pub(crate) int: bool,
    pub(crate) values: Vec<EnumValueIr>,
}

pub(crate) struct EnumValueIr {
    pub(crate) ident: Ident,
    pub(crate) docs: Option<String>,
    pub(crate) value: EnumValue,
}

/// A union: one variant per member.
pub(crate) struct UnionIr {
    pub(crate) id: ShapeId,
    pub(crate) ident: Ident,
    pub(crate) docs: Option<String>,
    pub(crate) sensitive: bool,
    /// The root element of a document of this union: `@xmlName`, else the
    /// shape name.
    pub(crate) xml_name: String,
    /// `@xmlNamespace` of the union.
    pub(crate) xml_namespace: Option<XmlNamespace>,
    pub(crate) variants: Vec<VariantIr>,
    /// `@streaming`: the events of an output stream. Its `@error`
    /// members are not variants but `exceptions`.
    pub(crate) event_stream: bool,
    /// The `@error` members of an event stream: member name and the
    /// error's shape name.
    pub(crate) exceptions: Vec<(String, String)>,
    /// Whether an operation's input sends these events (they are then
    /// written as messages, not only read).
    pub(crate) input_events: bool,
}

pub(crate) struct VariantIr {
    /// The member name in the model.
    pub(crate) name: String,
    pub(crate) ident: Ident,
    pub(crate) docs: Option<String>,
    pub(crate) ty: TypeRef,
    pub(crate) json_name: String,
    pub(crate) timestamp_format: Option<TimestampFormat>,
    pub(crate) sensitive: bool,
    /// XML and query naming.
    pub(crate) xml: XmlIr,
}

/// A member of a test structure: name, type, optional.
#[cfg(test)]
pub(crate) type TestMember<'a> = (&'a str, TypeRef, bool);

/// Structures of the given names and members, for tests of what reads the
/// IR.
#[cfg(test)]
pub(crate) fn test_structures(shapes: &[(&str, &[TestMember])]) -> Vec<TypeIr> {
    let xml = |name: &str| XmlIr {
        name: name.to_string(),
        attribute: false,
        flattened: false,
        namespace: None,
        ec2_query_name: name.to_string(),
    };
    shapes
        .iter()
        .map(|(name, members)| {
            TypeIr::Structure(StructureIr {
                id: ShapeId::parse(&format!("test#{name}")).unwrap(),
                ident: crate::naming::type_ident(name),
                builder_ident: crate::naming::type_ident(&format!("{name}Builder")),
                docs: None,
                default_doc: String::new(),
                fields: members
                    .iter()
                    .map(|(member, ty, optional)| FieldIr {
                        name: member.to_string(),
                        ident: crate::naming::field_ident(member),
                        docs: None,
                        ty: ty.clone(),
                        optional: *optional,
                        required: !optional,
                        binding: Binding::Body,
                        json_name: member.to_string(),
                        timestamp_format: None,
                        sensitive: false,
                        default: None,
                        idempotency_token: false,
                        context_param: None,
                        xml: xml(member),
                        event: None,
                    })
                    .collect(),
                sensitive: false,
                roles: Roles::default(),
                error: None,
                xml_name: name.to_string(),
                xml_namespace: None,
            })
        })
        .collect()
}

/// A list of `item`, for tests.
#[cfg(test)]
pub(crate) fn test_list(item: TypeRef) -> TypeRef {
    TypeRef::List {
        item: Box::new(item),
        sparse: false,
        item_xml: Box::new(XmlIr {
            name: "member".into(),
            attribute: false,
            flattened: false,
            namespace: None,
            ec2_query_name: "Member".into(),
        }),
    }
}
