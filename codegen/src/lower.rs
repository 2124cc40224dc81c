//! Shape graph → IR. Every name is chosen and every trait read here, and
//! every problem is recorded here, against the shape where it is, so that the
//! emitters only ever see a consistent IR.

use crate::ir::*;
use crate::naming;
use crate::protocol::{self, ProtocolKind};
use crate::{CodegenError, Options};
use opgen_model::{EnumValue, Member, Shape, ShapeGraph, ShapeId, ShapeKind};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

/// Problems found while lowering, each at a shape (or `shape$member`).
#[derive(Debug, Default)]
pub(crate) struct Diagnostics(Vec<(String, String)>);

impl Diagnostics {
    pub(crate) fn error(&mut self, shape: impl ToString, message: impl Into<String>) {
        self.0.push((shape.to_string(), message.into()));
    }
}

/// The IR of `operations`, and the problems found, each attributed to the
/// operations that need the shape at fault.
pub(crate) struct Lowered {
    pub(crate) ir: Ir,
    pub(crate) errors: Vec<CodegenError>,
}

pub(crate) fn lower(graph: &ShapeGraph, operations: &[ShapeId], options: &Options) -> Lowered {
    let mut ops: Vec<ShapeId> = operations.to_vec();
    ops.sort();
    ops.dedup();
    let mut lowerer = Lowerer {
        graph,
        options,
        diagnostics: Diagnostics::default(),
        inputs: BTreeMap::new(),
        outputs: BTreeMap::new(),
        errors: BTreeSet::new(),
        taken: taken_names(graph),
    };
    let mut closures: Vec<(ShapeId, BTreeSet<ShapeId>)> = Vec::new();
    let mut closure = BTreeSet::new();
    let mut errors = Vec::new();
    for op in &ops {
        match graph.closure(std::slice::from_ref(op)) {
            Ok(c) => {
                closure.extend(c.iter().cloned());
                closures.push((op.clone(), c));
            }
            Err(e) => errors.push(CodegenError {
                operation: Some(op.name().to_string()),
                shape: op.to_string(),
                message: e.to_string(),
            }),
        }
        if let Some(shape) = graph.shape(op) {
            // `ops` is sorted: the first operation of a shared input names it.
            if let Some(input) = &shape.input {
                lowerer
                    .inputs
                    .entry(input.clone())
                    .or_insert_with(|| op.name().to_string());
            }
            if let Some(output) = &shape.output {
                lowerer
                    .outputs
                    .entry(output.clone())
                    .or_insert_with(|| op.name().to_string());
            }
        }
        lowerer.errors.extend(graph.operation_errors(op));
    }
    let mut types = Vec::new();
    for id in &closure {
        if let Some(ty) = lowerer.lower_type(id) {
            types.push(ty);
        }
    }
    let mut operations: Vec<OperationIr> = closures
        .iter()
        .filter_map(|(op, _)| lowerer.lower_operation(op))
        .collect();
    for op in &mut operations {
        op.pagination = lowerer.lower_pagination(op, &types);
        op.waiters = lowerer.lower_waiters(op, &types);
        op.http_checksum = lowerer.lower_http_checksum(op, &types);
        // The flexible checksum, always sent when required, satisfies the
        // service's demand for an integrity check in place of Content-MD5.
        if op
            .http_checksum
            .as_ref()
            .is_some_and(|c| c.request_required)
        {
            op.checksum_required = false;
        }
    }
    lowerer.check_type_names(&closure);
    let mut spoken: Vec<ProtocolKind> = operations.iter().map(|o| o.service.protocol).collect();
    spoken.sort();
    spoken.dedup();
    if spoken.len() > 1 {
        for op in &operations {
            lowerer.diagnostics.error(
                &op.id,
                format!(
                    "the operations of one `include_operation!` must speak one protocol, and these speak {}; include them in separate modules",
                    names(&spoken)
                ),
            );
        }
    }
    let mut ir = Ir {
        operations,
        types,
        serde: options.serde,
    };
    for op in &ir.operations {
        protocol::protocol(op.service.protocol).check(&ir, op, &mut lowerer.diagnostics);
    }
    // Each problem is blamed on every operation whose closure holds its
    // shape; one that no closure holds (a service trait) on all of them.
    for (shape, message) in lowerer.diagnostics.0 {
        let root = shape.split('$').next().unwrap_or(&shape);
        let root = ShapeId::parse(root);
        let mut blamed = false;
        for (op, closure) in &closures {
            let in_closure = root.as_ref().is_some_and(|r| closure.contains(r))
                || graph
                    .service_of(op)
                    .is_ok_and(|s| root.as_ref() == Some(&s.id));
            if in_closure {
                blamed = true;
                errors.push(CodegenError {
                    operation: Some(op.name().to_string()),
                    shape: shape.clone(),
                    message: message.clone(),
                });
            }
        }
        if !blamed {
            errors.push(CodegenError {
                operation: None,
                shape,
                message,
            });
        }
    }
    ir.operations.sort_by(|a, b| a.id.cmp(&b.id));
    Lowered { ir, errors }
}

/// Names of every generated kind of shape in the model: a generated name
/// (`{Op}Error`, `{X}Builder`) that one of them already has moves aside.
/// The whole model, not the closure, so that a name never depends on which
/// operations an expansion includes.
fn taken_names(graph: &ShapeGraph) -> BTreeSet<String> {
    graph
        .shapes()
        .filter(|s| !s.id.is_prelude())
        .filter(|s| {
            matches!(
                s.kind,
                ShapeKind::Structure
                    | ShapeKind::Union
                    | ShapeKind::Enum
                    | ShapeKind::IntEnum
                    | ShapeKind::Operation
            )
        })
        .map(|s| naming::type_name(s.id.name()))
        .collect()
}

struct Lowerer<'g> {
    graph: &'g ShapeGraph,
    options: &'g Options,
    diagnostics: Diagnostics,
    /// Operation inputs of the expansion, with the (first) operation's name.
    inputs: BTreeMap<ShapeId, String>,
    /// Operation outputs of the expansion, likewise.
    outputs: BTreeMap<ShapeId, String>,
    errors: BTreeSet<ShapeId>,
    taken: BTreeSet<String>,
}

impl<'g> Lowerer<'g> {
    fn shape(&mut self, id: &ShapeId) -> Option<&'g Shape> {
        let shape = self.graph.shape(id);
        if shape.is_none() {
            self.diagnostics
                .error(id, "internal error: shape is not in the model");
        }
        shape
    }

    fn lower_type(&mut self, id: &ShapeId) -> Option<TypeIr> {
        let shape = self.shape(id)?;
        match shape.kind {
            ShapeKind::Structure if !shape.traits.unit_type() => {
                Some(TypeIr::Structure(self.lower_structure(shape)))
            }
            ShapeKind::Enum | ShapeKind::IntEnum => Some(TypeIr::Enum(self.lower_enum(shape))),
            ShapeKind::Union => self.lower_union(shape).map(TypeIr::Union),
            _ => None,
        }
    }

    fn lower_structure(&mut self, shape: &'g Shape) -> StructureIr {
        let roles = Roles {
            input: shape.traits.is_input() || self.inputs.contains_key(&shape.id),
            output: self.outputs.contains_key(&shape.id),
            error: self.errors.contains(&shape.id) || shape.traits.error().is_some(),
        };
        let mut seen: BTreeMap<String, &str> = BTreeMap::new();
        let mut fields = Vec::new();
        for member in &shape.members {
            let ident = naming::field_ident(&member.name);
            let key = ident.to_string();
            let at = format!("{}${}", shape.id, member.name);
            if let Some(first) = seen.get(&key) {
                self.diagnostics.error(
                    at,
                    format!(
                        "members `{first}` and `{}` both become the Rust name `{key}`; rename one in the model",
                        member.name
                    ),
                );
                continue;
            }
            seen.insert(key.clone(), &member.name);
            if key == "__meta" {
                self.diagnostics
                    .error(&at, "the member name `__meta` is reserved by opgen");
            }
            let idempotency_token = member.traits.idempotency_token();
            let mut ty = self.type_ref(&member.target, Some(&shape.id));
            if let Some(stream) = self.event_stream_ref(shape, &roles, member) {
                ty = stream;
            }
            let context_param = member
                .traits
                .get("smithy.rules#contextParam")
                .and_then(|t| t.get("name"))
                .and_then(Value::as_str)
                .map(str::to_string);
            if context_param.is_some() && !crate::emit::endpoint::is_context_param_type(&ty) {
                self.diagnostics.error(
                    &shape.id,
                    format!(
                        "@contextParam on member `{}` needs a string, enum, boolean or string list target",
                        member.name
                    ),
                );
            }
            fields.push(FieldIr {
                name: member.name.clone(),
                ident,
                docs: member.traits.documentation().map(str::to_string),
                ty,
                // Members of operation inputs are always optional, so that
                // adding `@required` later breaks no caller.
                optional: roles.input
                    || member.traits.client_optional()
                    || !member.traits.required(),
                required: member.traits.required() && !idempotency_token,
                binding: binding(member),
                json_name: json_name(member),
                timestamp_format: self.timestamp_format(member),
                sensitive: self.is_sensitive(member),
                default: member
                    .traits
                    .default_value()
                    .or_else(|| {
                        self.graph
                            .shape(&member.target)
                            .and_then(|t| t.traits.default_value())
                    })
                    .filter(|d| !d.is_null())
                    .cloned(),
                idempotency_token,
                context_param,
                xml: xml_ir(member),
                event: if member.traits.has("smithy.api#eventHeader") {
                    Some(EventBinding::Header)
                } else if member.traits.has("smithy.api#eventPayload") {
                    Some(EventBinding::Payload)
                } else {
                    None
                },
            });
        }
        let name = shape.id.name();
        let ident = naming::type_ident(name);
        StructureIr {
            id: shape.id.clone(),
            builder_ident: naming::builder_ident(name, &self.taken),
            ident,
            docs: shape.traits.documentation().map(str::to_string),
            default_doc: self.default_doc(shape),
            fields,
            sensitive: shape.traits.sensitive(),
            roles,
            error: roles.error.then(|| ErrorIr {
                retryable: shape.traits.retryable().is_some(),
                throttling: shape.traits.retryable() == Some(true),
            }),
            xml_name: shape.traits.xml_name().unwrap_or(name).to_string(),
            xml_namespace: shape.traits.xml_namespace(),
        }
    }

    fn default_doc(&self, shape: &Shape) -> String {
        if let Some(op) = self.inputs.get(&shape.id) {
            format!("Input of `{op}`.")
        } else if let Some(op) = self.outputs.get(&shape.id) {
            format!("Output of `{op}`.")
        } else {
            format!("The `{}` structure of the model.", shape.id.name())
        }
    }

    fn lower_enum(&mut self, shape: &'g Shape) -> EnumIr {
        let int = shape.kind == ShapeKind::IntEnum;
        let mut values = Vec::new();
        let mut seen: BTreeMap<String, &str> = BTreeMap::new();
        for member in &shape.members {
            let at = format!("{}${}", shape.id, member.name);
            let Some(ident) = self.variant(&mut seen, shape, member) else {
                continue;
            };
            let value = match member.traits.enum_value() {
                Some(EnumValue::Int(i)) if int && i32::try_from(i).is_err() => {
                    self.diagnostics
                        .error(at, format!("the intEnum value {i} does not fit in an i32"));
                    continue;
                }
                Some(value) => value,
                None if !int => EnumValue::String(member.name.clone()),
                None => {
                    self.diagnostics
                        .error(at, "an intEnum member needs an @enumValue");
                    continue;
                }
            };
            values.push(EnumValueIr {
                ident,
                docs: member.traits.documentation().map(str::to_string),
                value,
            });
        }
        EnumIr {
            id: shape.id.clone(),
            ident: naming::type_ident(shape.id.name()),
            docs: shape.traits.documentation().map(str::to_string),
            int,
            values,
        }
    }

    /// The type of `member` of `shape` when it targets a `@streaming`
    /// union, which only an operation's input or output may have; `None`
    /// for other members.
    fn event_stream_ref(
        &mut self,
        shape: &Shape,
        roles: &Roles,
        member: &Member,
    ) -> Option<TypeRef> {
        let target = self.graph.shape(&member.target)?;
        if target.kind != ShapeKind::Union || !target.traits.streaming() {
            return None;
        }
        let at = format!("{}${}", shape.id, member.name);
        if let Some(op) = self.inputs.get(&shape.id).filter(|_| roles.input) {
            return Some(TypeRef::EventStream {
                union: naming::type_ident(target.id.name()),
                op: naming::type_ident(op),
                error: naming::op_error_ident(op, &self.taken),
                input: true,
            });
        }
        let Some(op) = self.outputs.get(&shape.id) else {
            self.diagnostics.error(
                at,
                "an event stream must be a member of an operation's input or output",
            );
            return Some(TypeRef::Unit);
        };
        Some(TypeRef::EventStream {
            union: naming::type_ident(target.id.name()),
            op: naming::type_ident(op),
            error: naming::op_error_ident(op, &self.taken),
            input: false,
        })
    }

    fn lower_union(&mut self, shape: &'g Shape) -> Option<UnionIr> {
        let event_stream = shape.traits.streaming();
        let mut seen: BTreeMap<String, &str> = BTreeMap::new();
        let mut variants = Vec::new();
        let mut exceptions = Vec::new();
        for member in &shape.members {
            let is_error = self
                .graph
                .shape(&member.target)
                .is_some_and(|t| t.traits.error().is_some());
            if event_stream && is_error {
                exceptions.push((member.name.clone(), member.target.name().to_string()));
                continue;
            }
            let Some(ident) = self.variant(&mut seen, shape, member) else {
                continue;
            };
            variants.push(VariantIr {
                name: member.name.clone(),
                ident,
                docs: member.traits.documentation().map(str::to_string),
                ty: self.type_ref(&member.target, Some(&shape.id)),
                json_name: json_name(member),
                timestamp_format: self.timestamp_format(member),
                sensitive: self.is_sensitive(member),
                xml: xml_ir(member),
            });
        }
        // Sent by an input when one of the expansion's inputs has a
        // member targeting it.
        let input_events = event_stream
            && self.inputs.keys().any(|input| {
                self.graph
                    .shape(input)
                    .is_some_and(|s| s.members.iter().any(|m| m.target == shape.id))
            });
        Some(UnionIr {
            id: shape.id.clone(),
            input_events,
            ident: naming::type_ident(shape.id.name()),
            docs: shape.traits.documentation().map(str::to_string),
            sensitive: shape.traits.sensitive(),
            xml_name: shape
                .traits
                .xml_name()
                .unwrap_or(shape.id.name())
                .to_string(),
            xml_namespace: shape.traits.xml_namespace(),
            variants,
            event_stream,
            exceptions,
        })
    }

    /// The variant of `member` of an enum or union, unless an earlier
    /// member (in `seen`) already became that variant, which is reported.
    fn variant<'m>(
        &mut self,
        seen: &mut BTreeMap<String, &'m str>,
        shape: &Shape,
        member: &'m Member,
    ) -> Option<proc_macro2::Ident> {
        let ident = naming::variant_ident(&member.name);
        match seen.insert(ident.to_string(), &member.name) {
            Some(first) => {
                self.diagnostics.error(
                    format!("{}${}", shape.id, member.name),
                    format!(
                        "members `{first}` and `{}` both become the variant `{ident}`; rename one in the model",
                        member.name
                    ),
                );
                None
            }
            None => Some(ident),
        }
    }

    fn timestamp_format(&self, member: &Member) -> Option<opgen_model::TimestampFormat> {
        member.traits.timestamp_format().or_else(|| {
            self.graph
                .shape(&member.target)
                .and_then(|t| t.traits.timestamp_format())
        })
    }

    /// Whether `member` is sensitive, on itself or its target.
    fn is_sensitive(&self, member: &Member) -> bool {
        member.traits.sensitive() || self.holds_sensitive(&member.target, 0)
    }

    /// Whether values of `target` are sensitive: the shape itself, or the
    /// items of a list or values of a map (a map of secrets is secret).
    fn holds_sensitive(&self, target: &ShapeId, depth: usize) -> bool {
        let Some(shape) = self.graph.shape(target) else {
            return false;
        };
        if shape.traits.sensitive() {
            return true;
        }
        let element = match shape.kind {
            ShapeKind::List | ShapeKind::Set => shape.member("member"),
            ShapeKind::Map => shape.member("value"),
            _ => None,
        };
        // Collections nest only so deep in real models; the bound guards cycles.
        depth < 8
            && element
                .is_some_and(|m| m.traits.sensitive() || self.holds_sensitive(&m.target, depth + 1))
    }

    /// The type of values of `target` inside `container` (boxed when
    /// `target` leads back to `container` without a collection between).
    fn type_ref(&mut self, target: &ShapeId, container: Option<&ShapeId>) -> TypeRef {
        self.type_ref_at(target, container, 0)
    }

    fn type_ref_at(
        &mut self,
        target: &ShapeId,
        container: Option<&ShapeId>,
        depth: usize,
    ) -> TypeRef {
        let Some(shape) = self.shape(target) else {
            return TypeRef::Unit;
        };
        let media_type = || shape.traits.media_type().map(str::to_string);
        match shape.kind {
            ShapeKind::String => TypeRef::String {
                media_type: media_type(),
            },
            ShapeKind::Boolean => TypeRef::Boolean,
            ShapeKind::Byte => TypeRef::Byte,
            ShapeKind::Short => TypeRef::Short,
            ShapeKind::Integer => TypeRef::Integer,
            ShapeKind::Long => TypeRef::Long,
            ShapeKind::Float => TypeRef::Float,
            ShapeKind::Double => TypeRef::Double,
            ShapeKind::Timestamp => TypeRef::Timestamp {
                format: shape.traits.timestamp_format(),
            },
            ShapeKind::Blob if shape.traits.streaming() => TypeRef::ByteStream {
                media_type: media_type(),
            },
            ShapeKind::Blob => TypeRef::Blob {
                media_type: media_type(),
            },
            ShapeKind::Document => TypeRef::Document,
            ShapeKind::BigInteger | ShapeKind::BigDecimal => TypeRef::BigNumber,
            ShapeKind::List | ShapeKind::Set | ShapeKind::Map => {
                if depth > 32 {
                    // Smithy allows recursion only through structures and
                    // unions; a collection of itself has no Rust type.
                    self.diagnostics.error(
                        target,
                        "this collection contains itself without a structure or union in between, which Smithy does not allow",
                    );
                    return TypeRef::Unit;
                }
                let key = shape.member("key");
                let element = if shape.kind == ShapeKind::Map {
                    shape.member("value")
                } else {
                    shape.member("member")
                };
                let Some(element) = element else {
                    self.diagnostics
                        .error(target, "internal error: collection without its member");
                    return TypeRef::Unit;
                };
                // Collections already give indirection: no box inside them.
                let item = Box::new(self.type_ref_at(&element.target, None, depth + 1));
                let sparse = shape.traits.sparse();
                let element_xml = Box::new(xml_ir(element));
                match key {
                    Some(key) if shape.kind == ShapeKind::Map => TypeRef::Map {
                        value: item,
                        sparse,
                        key_xml: Box::new(xml_ir(key)),
                        value_xml: element_xml,
                    },
                    _ => TypeRef::List {
                        item,
                        sparse,
                        item_xml: element_xml,
                    },
                }
            }
            // `smithy.api#Unit`, the target of union members that carry no value.
            ShapeKind::Structure if shape.traits.unit_type() => TypeRef::Unit,
            ShapeKind::Enum | ShapeKind::IntEnum | ShapeKind::Structure | ShapeKind::Union => {
                let kind = match shape.kind {
                    ShapeKind::Enum => NamedKind::Enum,
                    ShapeKind::IntEnum => NamedKind::IntEnum,
                    ShapeKind::Union => NamedKind::Union,
                    _ => NamedKind::Structure,
                };
                TypeRef::Named {
                    ident: naming::type_ident(target.name()),
                    kind,
                    boxed: container.is_some_and(|c| self.reaches(target, c)),
                }
            }
            ShapeKind::Service | ShapeKind::Operation | ShapeKind::Resource => {
                self.diagnostics.error(
                    target,
                    format!("a {} cannot be a member target", shape.kind),
                );
                TypeRef::Unit
            }
        }
    }

    /// Whether `from` leads to `to` through structure and union members alone
    /// (the edges that would make a type infinitely large without a box).
    fn reaches(&self, from: &ShapeId, to: &ShapeId) -> bool {
        let mut seen = BTreeSet::new();
        let mut stack = vec![from.clone()];
        while let Some(id) = stack.pop() {
            if &id == to {
                return true;
            }
            if !seen.insert(id.clone()) {
                continue;
            }
            if let Some(shape) = self.graph.shape(&id) {
                if matches!(shape.kind, ShapeKind::Structure | ShapeKind::Union) {
                    stack.extend(shape.members.iter().map(|m| m.target.clone()));
                }
            }
        }
        false
    }

    /// The input member that S3's endpoint rules put into the URL (in the
    /// host name, or in the path with `ForcePathStyle`): a `@contextParam`
    /// `Bucket` of a service whose rules take `AWS::S3::ForcePathStyle`.
    /// Its `/{Bucket}` label then leaves the `@http` path, as in every AWS
    /// SDK, or the bucket would be in the URL twice.
    fn bucket_placed_by_rules(
        &self,
        service: &ServiceIr,
        input: Option<&ShapeId>,
    ) -> Option<String> {
        let places_bucket = service
            .endpoint_rules
            .as_ref()
            .and_then(|rules| rules.get("parameters"))
            .and_then(Value::as_object)
            .is_some_and(|params| {
                params.contains_key("Bucket")
                    && params.values().any(|p| {
                        p.get("builtIn").and_then(Value::as_str) == Some("AWS::S3::ForcePathStyle")
                    })
            });
        if !places_bucket {
            return None;
        }
        let input = self.graph.shape(input?)?;
        input
            .members
            .iter()
            .find(|m| {
                m.traits.http_label()
                    && m.traits
                        .get("smithy.rules#contextParam")
                        .and_then(|t| t.get("name"))
                        .and_then(Value::as_str)
                        == Some("Bucket")
            })
            .map(|m| m.name.clone())
    }

    fn lower_operation(&mut self, id: &ShapeId) -> Option<OperationIr> {
        let op = self.shape(id)?;
        let Ok(service_shape) = self.graph.service_of(id) else {
            self.diagnostics.error(
                id,
                "the operation is not bound to a service shape, so it has no protocol, signing name or endpoint",
            );
            return None;
        };
        let service = self.lower_service(service_shape)?;
        let name = op.id.name().to_string();
        let shape_ref = |id: &ShapeId| ShapeRef {
            id: id.clone(),
            ident: naming::type_ident(id.name()),
        };
        let errors = self
            .graph
            .operation_errors(id)
            .iter()
            .map(|e| ErrorRef {
                ident: naming::type_ident(e.name()),
                code: e.name().to_string(),
                query_code: self
                    .graph
                    .shape(e)
                    .and_then(|s| s.traits.get("aws.protocols#awsQueryError"))
                    .and_then(|t| t.get("code"))
                    .and_then(Value::as_str)
                    .map(str::to_string),
            })
            .collect();
        let bucket_placed_by_rules = self.bucket_placed_by_rules(&service, op.input.as_ref());
        let http = op.traits.http().map(|http| {
            let (mut path, literal_query) = parse_uri(&http.uri);
            if let Some(bucket) = &bucket_placed_by_rules {
                remove_leading_label(&mut path, bucket);
            }
            HttpIr {
                method: http.method,
                path,
                literal_query,
                code: http.code,
            }
        });
        let request_compression = op
            .traits
            .get("smithy.api#requestCompression")
            .and_then(|t| t.get("encodings"))
            .and_then(Value::as_array)
            .map(|list| {
                list.iter()
                    .filter_map(Value::as_str)
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default();
        // `@auth([])` on the operation, or else on its service, leaves no
        // scheme to authenticate with (STS `AssumeRoleWithWebIdentity`,
        // SSO `GetRoleCredentials`): such calls are sent unsigned.
        let unsigned = op
            .traits
            .get("smithy.api#auth")
            .or_else(|| service_shape.traits.get("smithy.api#auth"))
            .and_then(Value::as_array)
            .is_some_and(Vec::is_empty);
        let mut static_context_params = Vec::new();
        if let Some(Value::Object(params)) = op.traits.get("smithy.rules#staticContextParams") {
            for (param, value) in params {
                let value = match value.get("value") {
                    Some(Value::String(s)) => StaticParam::String(s.clone()),
                    Some(Value::Bool(b)) => StaticParam::Bool(*b),
                    Some(Value::Array(items)) if items.iter().all(Value::is_string) => {
                        StaticParam::StringList(
                            items
                                .iter()
                                .filter_map(Value::as_str)
                                .map(str::to_string)
                                .collect(),
                        )
                    }
                    _ => {
                        self.diagnostics.error(
                            id,
                            format!("@staticContextParams `{param}` needs a string, boolean or string list `value`"),
                        );
                        continue;
                    }
                };
                static_context_params.push((param.clone(), value));
            }
        }
        Some(OperationIr {
            id: id.clone(),
            ident: naming::type_ident(&name),
            error_ident: naming::op_error_ident(&name, &self.taken),
            docs: op.traits.documentation().map(str::to_string),
            service,
            input: op.input.as_ref().map(shape_ref),
            output: op.output.as_ref().map(shape_ref),
            input_alias: naming::io_alias_ident(
                &name,
                "Input",
                op.input.as_ref().map(ShapeId::name),
                &self.taken,
            ),
            output_alias: naming::io_alias_ident(
                &name,
                "Output",
                op.output.as_ref().map(ShapeId::name),
                &self.taken,
            ),
            errors,
            http,
            host_prefix: op.traits.endpoint_host_prefix().map(str::to_string),
            request_compression,
            unsigned,
            checksum_required: op.traits.has("smithy.api#httpChecksumRequired"),
            http_checksum: None,
            static_context_params,
            pagination: None,
            waiters: Vec::new(),
            name,
        })
    }

    /// The operation's `@paginated`, its members completed by the
    /// service's `@paginated` (the operation's win), resolved against the
    /// lowered input and output structures.
    fn lower_pagination(&mut self, op: &OperationIr, types: &[TypeIr]) -> Option<PaginationIr> {
        const TRAIT: &str = "smithy.api#paginated";
        let shape = self.graph.shape(&op.id)?;
        let Some(Value::Object(own)) = shape.traits.get(TRAIT) else {
            return None;
        };
        let mut merged = match self
            .graph
            .service_of(&op.id)
            .ok()
            .and_then(|s| s.traits.get(TRAIT))
        {
            Some(Value::Object(service)) => service.clone(),
            _ => serde_json::Map::new(),
        };
        merged.extend(own.iter().map(|(k, v)| (k.clone(), v.clone())));
        let member = |key: &str| merged.get(key).and_then(Value::as_str).map(str::to_string);
        let name = &op.name;
        let (Some(input_token), Some(output_token)) = (member("inputToken"), member("outputToken"))
        else {
            self.diagnostics.error(
                &op.id,
                format!("@paginated of `{name}` needs `inputToken` and `outputToken` (on the operation or the service)"),
            );
            return None;
        };
        let (Some(input), Some(output)) = (&op.input, &op.output) else {
            self.diagnostics.error(
                &op.id,
                format!("@paginated operation `{name}` needs an input and an output"),
            );
            return None;
        };
        let (token_path, token_type) =
            self.resolve_path(op, types, &output.id, "outputToken", &output_token)?;
        let (mut input_path, input_type) =
            self.resolve_path(op, types, &input.id, "inputToken", &input_token)?;
        if input_path.len() != 1 {
            self.diagnostics.error(
                &op.id,
                format!("@paginated `inputToken` of `{name}` must be a top-level input member, not the path `{input_token}`"),
            );
            return None;
        }
        if crate::emit::types::rust_type(&input_type).to_string()
            != crate::emit::types::rust_type(&token_type).to_string()
        {
            self.diagnostics.error(
                &op.id,
                format!("@paginated of `{name}`: `inputToken` `{input_token}` and `outputToken` `{output_token}` have different types"),
            );
            return None;
        }
        let input_field = input_path.remove(0);
        let items = match member("items") {
            Some(items) => {
                let (path, ty) = self.resolve_path(op, types, &output.id, "items", &items)?;
                if !matches!(ty, TypeRef::List { .. } | TypeRef::Map { .. }) {
                    self.diagnostics.error(
                        &op.id,
                        format!("@paginated `items` path `{items}` of `{name}` must lead to a list or a map"),
                    );
                    return None;
                }
                Some(ItemsIr {
                    path,
                    name: items,
                    ty,
                })
            }
            None => None,
        };
        let page_size = match member("pageSize") {
            Some(page_size) => {
                let (mut path, _) =
                    self.resolve_path(op, types, &input.id, "pageSize", &page_size)?;
                if path.len() != 1 {
                    self.diagnostics.error(
                        &op.id,
                        format!("@paginated `pageSize` of `{name}` must be a top-level input member, not the path `{page_size}`"),
                    );
                    return None;
                }
                Some((path.remove(0).ident, page_size))
            }
            None => None,
        };
        Some(PaginationIr {
            input_token: input_field.ident,
            input_token_name: input_token,
            output_token_path: token_path,
            output_token_name: output_token,
            token_type,
            items,
            page_size,
        })
    }

    /// The operation's `smithy.waiters#waitable`, each acceptor's path
    /// translated against the lowered input and output; a waiter that
    /// cannot be translated is reported and left out.
    fn lower_waiters(&mut self, op: &OperationIr, types: &[TypeIr]) -> Vec<WaiterIr> {
        let Some(Value::Object(waiters)) = self
            .graph
            .shape(&op.id)
            .and_then(|s| s.traits.get("smithy.waiters#waitable"))
        else {
            return Vec::new();
        };
        let mut lowered = Vec::new();
        for (name, waiter) in waiters {
            match lower_waiter(op, types, name, waiter) {
                Ok(w) => lowered.push(w),
                Err(why) => self
                    .diagnostics
                    .error(&op.id, format!("waiter `{name}` of `{}`: {why}", op.name)),
            }
        }
        lowered
    }

    /// The operation's `aws.protocols#httpChecksum`, its members resolved
    /// against the lowered input structure.
    fn lower_http_checksum(
        &mut self,
        op: &OperationIr,
        types: &[TypeIr],
    ) -> Option<HttpChecksumIr> {
        const TRAIT: &str = "aws.protocols#httpChecksum";
        let shape = self.graph.shape(&op.id)?;
        let value = shape.traits.get(TRAIT)?;
        let name = &op.name;
        let Value::Object(fields) = value else {
            self.diagnostics.error(
                &op.id,
                format!("@httpChecksum of `{name}` must be an object"),
            );
            return None;
        };
        let request_required = match fields.get("requestChecksumRequired") {
            None => false,
            Some(Value::Bool(b)) => *b,
            Some(_) => {
                self.diagnostics.error(
                    &op.id,
                    format!(
                        "@httpChecksum `requestChecksumRequired` of `{name}` must be a boolean"
                    ),
                );
                return None;
            }
        };
        let response_algorithms = match fields.get("responseAlgorithms") {
            None => Vec::new(),
            Some(Value::Array(items)) if items.iter().all(Value::is_string) => items
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect(),
            Some(_) => {
                self.diagnostics.error(
                    &op.id,
                    format!(
                        "@httpChecksum `responseAlgorithms` of `{name}` must be a list of strings"
                    ),
                );
                return None;
            }
        };
        let request_algorithm =
            self.checksum_member(op, types, fields, "requestAlgorithmMember")?;
        let validation_mode =
            self.checksum_member(op, types, fields, "requestValidationModeMember")?;
        if validation_mode.is_some() && response_algorithms.is_empty() {
            self.diagnostics.error(
                &op.id,
                format!("@httpChecksum of `{name}` has a `requestValidationModeMember` but no `responseAlgorithms` to validate with"),
            );
            return None;
        }
        Some(HttpChecksumIr {
            request_algorithm,
            request_required,
            validation_mode,
            response_algorithms,
        })
    }

    /// The input member an `@httpChecksum` property (`key`) names:
    /// `Some(None)` when the property is absent, `None` after a diagnostic.
    fn checksum_member(
        &mut self,
        op: &OperationIr,
        types: &[TypeIr],
        fields: &serde_json::Map<String, Value>,
        key: &str,
    ) -> Option<Option<ChecksumMemberIr>> {
        let name = &op.name;
        let Some(member) = fields.get(key) else {
            return Some(None);
        };
        let Some(member) = member.as_str() else {
            self.diagnostics.error(
                &op.id,
                format!("@httpChecksum `{key}` of `{name}` must be a member name"),
            );
            return None;
        };
        let input = op.input.as_ref().and_then(|input| {
            types.iter().find_map(|t| match t {
                TypeIr::Structure(s) if s.id == input.id => Some(s),
                _ => None,
            })
        });
        let Some(field) = input.and_then(|s| s.fields.iter().find(|f| f.name == member)) else {
            self.diagnostics.error(
                &op.id,
                format!("@httpChecksum `{key}` of `{name}` names `{member}`, which is not a member of its input"),
            );
            return None;
        };
        let is_enum = match &field.ty {
            TypeRef::String { .. } => false,
            TypeRef::Named {
                kind: NamedKind::Enum,
                ..
            } => true,
            _ => {
                self.diagnostics.error(
                    &op.id,
                    format!("@httpChecksum `{key}` of `{name}` names `{member}`, which must be a string or a string enum"),
                );
                return None;
            }
        };
        Some(Some(ChecksumMemberIr {
            ident: field.ident.clone(),
            optional: field.optional,
            is_enum,
            header: match &field.binding {
                Binding::Header(header) => Some(header.clone()),
                _ => None,
            },
        }))
    }

    /// The fields along `path` (`a.b.c`) from the structure `root`, and
    /// the type of the last; a missing member or a step through something
    /// other than a structure is reported against the operation.
    fn resolve_path(
        &mut self,
        op: &OperationIr,
        types: &[TypeIr],
        root: &ShapeId,
        key: &str,
        path: &str,
    ) -> Option<(Vec<PathStep>, TypeRef)> {
        let name = &op.name;
        let mut at = root.clone();
        let mut steps = Vec::new();
        let mut last = None;
        for (i, segment) in path.split('.').enumerate() {
            let structure = types.iter().find_map(|t| match t {
                TypeIr::Structure(s) if s.id == at => Some(s),
                _ => None,
            });
            let shape = self.graph.shape(&at);
            let (Some(structure), Some(shape)) = (structure, shape) else {
                let before = path.split('.').take(i).collect::<Vec<_>>().join(".");
                self.diagnostics.error(
                    &op.id,
                    format!("@paginated `{key}` path `{path}` of `{name}` goes through `{before}`, which is not a structure"),
                );
                return None;
            };
            let field = structure.fields.iter().find(|f| f.name == segment);
            let member = shape.members.iter().find(|m| m.name == segment);
            let (Some(field), Some(member)) = (field, member) else {
                self.diagnostics.error(
                    &op.id,
                    format!("@paginated `{key}` path `{path}` of `{name}`: `{}` has no member `{segment}`", at.name()),
                );
                return None;
            };
            steps.push(PathStep {
                ident: field.ident.clone(),
                optional: field.optional,
            });
            last = Some(field.ty.clone());
            at = member.target.clone();
        }
        Some((steps, last?))
    }

    fn lower_service(&mut self, service: &Shape) -> Option<ServiceIr> {
        let string = |trait_id: &str, key: &str| {
            service
                .traits
                .get(trait_id)
                .and_then(|v| v.get(key))
                .and_then(Value::as_str)
                .map(str::to_string)
        };
        let listed: Vec<ProtocolKind> = ProtocolKind::ALL
            .iter()
            .copied()
            .filter(|p| service.traits.has(p.trait_id()))
            .collect();
        let protocol = match &self.options.protocol {
            Some(name) => match ProtocolKind::from_name(name) {
                Some(p) if listed.contains(&p) && p.is_supported() => p,
                Some(p) if listed.contains(&p) => {
                    self.diagnostics.error(
                        &service.id,
                        format!(
                            "the {name} protocol is not supported yet; {}",
                            supported_choice(&listed)
                        ),
                    );
                    return None;
                }
                _ => {
                    self.diagnostics.error(
                        &service.id,
                        format!(
                            "the service does not list the {name} protocol; it lists {}",
                            names(&listed)
                        ),
                    );
                    return None;
                }
            },
            None => match listed.iter().copied().find(|p| p.is_supported()) {
                Some(p) => p,
                None if listed.is_empty() => {
                    self.diagnostics.error(
                        &service.id,
                        format!(
                            "the service lists no protocol opgen knows ({})",
                            names(ProtocolKind::ALL)
                        ),
                    );
                    return None;
                }
                None => {
                    self.diagnostics.error(
                        &service.id,
                        format!(
                            "the service speaks {}, which opgen does not support yet (supported: {})",
                            names(&listed),
                            names(
                                &ProtocolKind::ALL
                                    .iter()
                                    .copied()
                                    .filter(|p| p.is_supported())
                                    .collect::<Vec<_>>()
                            )
                        ),
                    );
                    return None;
                }
            },
        };
        let signing_name = string("aws.auth#sigv4", "name")
            .or_else(|| string("aws.api#service", "endpointPrefix"))
            .unwrap_or_else(|| service.id.name().to_ascii_lowercase());
        Some(ServiceIr {
            id: service.id.clone(),
            sdk_id: string("aws.api#service", "sdkId")
                .unwrap_or_else(|| service.id.name().to_string()),
            version: service.version.clone().unwrap_or_default(),
            endpoint_prefix: string("aws.api#service", "endpointPrefix")
                .unwrap_or_else(|| signing_name.clone()),
            signing_name,
            protocol,
            query_compatible: service.traits.has("aws.protocols#awsQueryCompatible"),
            endpoint_rules: service.traits.get("smithy.rules#endpointRuleSet").cloned(),
            xml_namespace: service.traits.xml_namespace(),
            no_error_wrapping: service
                .traits
                .get(ProtocolKind::RestXml.trait_id())
                .and_then(|t| t.get("noErrorWrapping"))
                .and_then(Value::as_bool)
                .unwrap_or(false),
        })
    }

    /// Every generated type name must be unique in the module.
    fn check_type_names(&mut self, closure: &BTreeSet<ShapeId>) {
        let mut names: BTreeMap<String, String> = BTreeMap::new();
        let mut clashes = Vec::new();
        let mut claim = |name: String, source: String| {
            if let Some(previous) = names.get(&name) {
                clashes.push((
                    source,
                    format!(
                        "generates type `{name}`, which `{previous}` also generates; generate these operations in separate modules"
                    ),
                ));
            } else {
                names.insert(name, source);
            }
        };
        for id in closure {
            let Some(shape) = self.graph.shape(id) else {
                continue;
            };
            let name = naming::type_name(id.name());
            match shape.kind {
                ShapeKind::Structure if !shape.traits.unit_type() => {
                    claim(
                        naming::builder_ident(id.name(), &self.taken).to_string(),
                        format!("{id} (builder)"),
                    );
                    claim(name, id.to_string());
                }
                ShapeKind::Enum | ShapeKind::IntEnum | ShapeKind::Union => {
                    claim(name, id.to_string())
                }
                ShapeKind::Operation => {
                    claim(
                        naming::op_error_ident(id.name(), &self.taken).to_string(),
                        format!("{id} (error enum)"),
                    );
                    claim(name, id.to_string());
                }
                _ => {}
            }
        }
        for (source, message) in clashes {
            let shape = source.split(' ').next().unwrap_or(&source).to_string();
            self.diagnostics.error(shape, message);
        }
    }
}

fn names(protocols: &[ProtocolKind]) -> String {
    protocols
        .iter()
        .map(|p| p.name())
        .collect::<Vec<_>>()
        .join(", ")
}

fn supported_choice(listed: &[ProtocolKind]) -> String {
    let supported: Vec<ProtocolKind> = listed
        .iter()
        .copied()
        .filter(|p| p.is_supported())
        .collect();
    if supported.is_empty() {
        "the service lists no other protocol opgen supports".to_string()
    } else {
        format!("use protocol = \"{}\"", supported[0].name())
    }
}

/// The JSON key of a member: its `@jsonName`, else its name.
fn json_name(member: &Member) -> String {
    member
        .traits
        .json_name()
        .unwrap_or(&member.name)
        .to_string()
}

/// The XML and query naming of a member (of a structure, union, list or map).
fn xml_ir(member: &Member) -> XmlIr {
    let t = &member.traits;
    let name = t.xml_name().unwrap_or(&member.name).to_string();
    let ec2_query_name = t
        .ec2_query_name()
        .map(str::to_string)
        .unwrap_or_else(|| capitalize(&name));
    XmlIr {
        name,
        attribute: t.xml_attribute(),
        flattened: t.xml_flattened(),
        namespace: t.xml_namespace(),
        ec2_query_name,
    }
}

fn capitalize(name: &str) -> String {
    let mut chars = name.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

fn binding(member: &Member) -> Binding {
    let t = &member.traits;
    if t.http_label() {
        Binding::Label
    } else if let Some(name) = t.http_query() {
        Binding::Query(name.to_string())
    } else if t.http_query_params() {
        Binding::QueryParams
    } else if let Some(name) = t.http_header() {
        Binding::Header(name.to_string())
    } else if let Some(prefix) = t.http_prefix_headers() {
        Binding::PrefixHeaders(prefix.to_string())
    } else if t.http_response_code() {
        Binding::ResponseCode
    } else if t.http_payload() {
        Binding::Payload
    } else {
        Binding::Body
    }
}

/// Removes a leading `/{label}` segment from `path`, leaving at least `/`.
fn remove_leading_label(path: &mut Vec<UriPiece>, label: &str) {
    let leads = matches!(
        path.as_slice(),
        [UriPiece::Literal(slash), UriPiece::Label { name, greedy: false }, ..]
            if slash == "/" && name == label
    );
    if !leads {
        return;
    }
    path.drain(..2);
    if !matches!(path.first(), Some(UriPiece::Literal(l)) if l.starts_with('/')) {
        path.insert(0, UriPiece::Literal("/".to_string()));
    }
}

/// The path pieces and literal query items of an `@http` URI pattern.
fn parse_uri(uri: &str) -> (Vec<UriPiece>, Vec<(String, Option<String>)>) {
    let (path, query) = uri.split_once('?').unwrap_or((uri, ""));
    let mut pieces = Vec::new();
    let mut rest = path;
    while let Some(open) = rest.find('{') {
        if open > 0 {
            pieces.push(UriPiece::Literal(rest[..open].to_string()));
        }
        let Some(close) = rest[open..].find('}') else {
            break;
        };
        let label = &rest[open + 1..open + close];
        pieces.push(match label.strip_suffix('+') {
            Some(name) => UriPiece::Label {
                name: name.to_string(),
                greedy: true,
            },
            None => UriPiece::Label {
                name: label.to_string(),
                greedy: false,
            },
        });
        rest = &rest[open + close + 1..];
    }
    if !rest.is_empty() {
        pieces.push(UriPiece::Literal(rest.to_string()));
    }
    let literal_query = query
        .split('&')
        .filter(|q| !q.is_empty())
        .map(|q| match q.split_once('=') {
            Some((k, v)) => (k.to_string(), Some(v.to_string())),
            None => (q.to_string(), None),
        })
        .collect();
    (pieces, literal_query)
}

/// One waiter of `op`, or why it cannot be generated.
fn lower_waiter(
    op: &OperationIr,
    types: &[TypeIr],
    name: &str,
    waiter: &Value,
) -> Result<WaiterIr, String> {
    let delay = |key: &str, default: u64| match waiter.get(key) {
        None => Ok(default),
        Some(v) => v
            .as_u64()
            .filter(|d| *d >= 1)
            .ok_or_else(|| format!("`{key}` must be a whole number of seconds, at least 1")),
    };
    let min_delay = delay("minDelay", 2)?;
    let max_delay = delay("maxDelay", 120)?;
    if max_delay < min_delay {
        return Err(format!(
            "`maxDelay` ({max_delay}) is less than `minDelay` ({min_delay})"
        ));
    }
    let acceptors = waiter
        .get("acceptors")
        .and_then(Value::as_array)
        .filter(|a| !a.is_empty())
        .ok_or("it has no `acceptors`")?;
    let acceptors = acceptors
        .iter()
        .map(|a| lower_acceptor(op, types, a))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(WaiterIr {
        name: name.to_string(),
        fn_ident: naming::field_ident(&format!("WaitUntil{name}")),
        docs: waiter
            .get("documentation")
            .and_then(Value::as_str)
            .map(str::to_string),
        min_delay,
        max_delay,
        acceptors,
    })
}

fn lower_acceptor(
    op: &OperationIr,
    types: &[TypeIr],
    acceptor: &Value,
) -> Result<AcceptorIr, String> {
    let state = match acceptor.get("state").and_then(Value::as_str) {
        Some("success") => AcceptorState::Success,
        Some("failure") => AcceptorState::Failure,
        Some("retry") => AcceptorState::Retry,
        other => return Err(format!("unknown acceptor state {other:?}")),
    };
    let Some(Value::Object(matcher)) = acceptor.get("matcher") else {
        return Err("an acceptor has no `matcher`".into());
    };
    let (kind, value) = match matcher.iter().next() {
        Some(entry) if matcher.len() == 1 => entry,
        _ => return Err("an acceptor's `matcher` must have exactly one member".into()),
    };
    let (matcher, description) = match (kind.as_str(), value) {
        ("success", Value::Bool(b)) => (MatcherIr::Success(*b), format!("success `{b}`")),
        ("errorType", Value::String(error)) => {
            // An absolute shape id names the shape; the service sends its
            // name, or its `@awsQueryError` code.
            let shape_name = error.rsplit('#').next().unwrap_or(error);
            let mut codes = vec![shape_name.to_string()];
            codes.extend(
                op.errors
                    .iter()
                    .filter(|e| e.code == shape_name)
                    .filter_map(|e| e.query_code.clone()),
            );
            (MatcherIr::ErrorType(codes), format!("errorType `{error}`"))
        }
        ("output" | "inputOutput", Value::Object(path_matcher)) => {
            let field = |key: &str| {
                path_matcher
                    .get(key)
                    .and_then(Value::as_str)
                    .ok_or_else(|| format!("a `{kind}` matcher has no `{key}`"))
            };
            let (path, expected, comparator) =
                (field("path")?, field("expected")?, field("comparator")?);
            let input = kind == "inputOutput";
            let root = match (&op.input, &op.output, input) {
                (_, Some(output), false) => crate::jmespath::Ty::Struct(output.ident.clone()),
                (Some(input), Some(output), true) => crate::jmespath::Ty::InputOutput {
                    input: input.ident.clone(),
                    output: output.ident.clone(),
                },
                _ => {
                    return Err(format!(
                        "a `{kind}` matcher needs the operation's input and output"
                    ))
                }
            };
            let (typed, ty) = crate::jmespath::parse(path)
                .and_then(|ast| crate::jmespath::check(&ast, &root, types))
                .map_err(|why| format!("cannot translate the JMESPath `{path}`: {why}"))?;
            use crate::jmespath::Ty;
            let comparator = match comparator {
                "stringEquals" => Comparator::StringEquals,
                "booleanEquals" => Comparator::BooleanEquals,
                "allStringEquals" => Comparator::AllStringEquals,
                "anyStringEquals" => Comparator::AnyStringEquals,
                other => return Err(format!("unknown comparator `{other}`")),
            };
            let fits = match comparator {
                Comparator::StringEquals => ty == Ty::Str,
                Comparator::BooleanEquals => ty == Ty::Bool && matches!(expected, "true" | "false"),
                _ => ty == Ty::List(Box::new(Ty::Str)),
            };
            if !fits {
                return Err(format!(
                    "the JMESPath `{path}` gives a value that `{comparator:?}` cannot compare with `{expected}`"
                ));
            }
            (
                MatcherIr::Path {
                    path: typed,
                    comparator,
                    expected: expected.to_string(),
                    input,
                },
                format!(
                    "{kind} {} {} {}",
                    code_span(path),
                    lower_first(&format!("{comparator:?}")),
                    code_span(expected)
                ),
            )
        }
        (other, _) => return Err(format!("unsupported matcher `{other}`")),
    };
    Ok(AcceptorIr {
        state,
        matcher,
        description,
    })
}

/// `text` as Markdown code: in double backticks when it holds one, as
/// JMESPath literals (`` `0` ``) do.
fn code_span(text: &str) -> String {
    if text.contains('`') {
        format!("`` {text} ``")
    } else {
        format!("`{text}`")
    }
}

/// `StringEquals` → `stringEquals`, as the model spells comparators.
fn lower_first(name: &str) -> String {
    let mut chars = name.chars();
    chars
        .next()
        .map(|c| c.to_ascii_lowercase().to_string() + chars.as_str())
        .unwrap_or_default()
}
