//! `opgen diff`: what changed between two versions of a model, operation by
//! operation, judged by what it does to code compiled with opgen.
//!
//! The rules mirror the generator (`codegen/src/lower.rs` and
//! `codegen/src/emit/`), so that "compatible" means "code written against
//! the old model still compiles against the new one":
//!
//! - structures are `#[non_exhaustive]`, built through builders and read
//!   through getters, so an added member is compatible and a removed one
//!   breaking;
//! - members of an operation's input are always `Option`, so their
//!   `@required` may come and go (only `build()` starts or stops failing);
//!   elsewhere a member is `Option` unless `@required` without
//!   `@clientOptional`, and a change of that changes its getter's type
//!   (except for lists, whose getter is a slice either way);
//! - enums, unions and `{Op}Error` are `#[non_exhaustive]` with an unknown
//!   arm, so added values, variants and errors are compatible, removed ones
//!   breaking;
//! - a member whose Rust type changes (another primitive, another named
//!   shape, a stream instead of a blob, a sparse list) is breaking;
//! - `@paginated` gives `Op::paginate`: gaining it is compatible, losing it
//!   (or a new `items` path) breaking;
//! - traits that only change the wire (`@jsonName`, `@httpHeader`,
//!   `@timestampFormat`, `@xmlName`, …) are compatible: the regenerated
//!   code follows them. Documentation is ignored.
//!
//! ```
//! let old = opgen_model::ShapeGraph::from_json("old.json", r#"{"smithy": "2.0", "shapes": {
//!     "ex#Get": {"type": "operation", "output": {"target": "ex#GetOutput"}},
//!     "ex#GetOutput": {"type": "structure", "members": {"a": {"target": "smithy.api#String"}}}
//! }}"#).unwrap();
//! let new = opgen_model::ShapeGraph::from_json("new.json", r#"{"smithy": "2.0", "shapes": {
//!     "ex#Get": {"type": "operation", "output": {"target": "ex#GetOutput"}},
//!     "ex#GetOutput": {"type": "structure", "members": {}}
//! }}"#).unwrap();
//! let report = opgen_cli::diff::diff(&old, &new, &[]).unwrap();
//! assert_eq!(report.summary(), "1 change: 1 breaking, 0 compatible");
//! assert!(report.to_string().contains("breaking    removed member GetOutput$a"));
//! ```

use opgen_model::{Member, Shape, ShapeGraph, ShapeId, ShapeKind};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

/// Whether code compiled against the old model still compiles.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// It does not.
    Breaking,
    /// It does (behaviour may still change, e.g. the wire format).
    Compatible,
}

impl Severity {
    /// `breaking` or `compatible`.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Breaking => "breaking",
            Severity::Compatible => "compatible",
        }
    }
}

/// One difference between the models.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Change {
    /// Its effect on compiled code.
    pub severity: Severity,
    /// What changed, e.g. `removed member GetOutput$a`.
    pub description: String,
}

/// The changes of each operation, by operation name, operations in name
/// order; operations without a change are left out.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    /// Changes per operation name, each list sorted, breaking first.
    pub operations: BTreeMap<String, Vec<Change>>,
}

impl Report {
    /// The distinct changes: a shape reached by several operations is
    /// listed under each, but counted once.
    pub fn distinct(&self) -> BTreeSet<&Change> {
        self.operations.values().flatten().collect()
    }

    /// Whether any change is breaking.
    pub fn is_breaking(&self) -> bool {
        self.distinct()
            .iter()
            .any(|c| c.severity == Severity::Breaking)
    }

    /// `N changes: N breaking, N compatible`, counting distinct changes.
    pub fn summary(&self) -> String {
        let distinct = self.distinct();
        let breaking = distinct
            .iter()
            .filter(|c| c.severity == Severity::Breaking)
            .count();
        format!(
            "{} change{}: {breaking} breaking, {} compatible",
            distinct.len(),
            if distinct.len() == 1 { "" } else { "s" },
            distinct.len() - breaking
        )
    }
}

impl fmt::Display for Report {
    /// Each operation with changes, then its changes indented, then the
    /// summary line.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (operation, changes) in &self.operations {
            writeln!(f, "{operation}")?;
            for change in changes {
                writeln!(
                    f,
                    "  {:<10}  {}",
                    change.severity.as_str(),
                    change.description
                )?;
            }
        }
        writeln!(f, "{}", self.summary())
    }
}

/// Why two models could not be compared.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiffError(pub String);

impl fmt::Display for DiffError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for DiffError {}

/// Compares every operation of `old` and `new` (bound to a service, or all
/// operation shapes of a model without one), or only those named in
/// `operations`; a name found in neither model is an error.
pub fn diff(
    old: &ShapeGraph,
    new: &ShapeGraph,
    operations: &[String],
) -> Result<Report, DiffError> {
    let old_ops = operations_by_name(old);
    let new_ops = operations_by_name(new);
    let names: BTreeSet<&str> = if operations.is_empty() {
        old_ops.keys().chain(new_ops.keys()).copied().collect()
    } else {
        let unknown: Vec<&str> = operations
            .iter()
            .map(String::as_str)
            .filter(|n| !old_ops.contains_key(n) && !new_ops.contains_key(n))
            .collect();
        if !unknown.is_empty() {
            return Err(DiffError(format!(
                "no operation named {} in either model",
                unknown
                    .iter()
                    .map(|n| format!("\"{n}\""))
                    .collect::<Vec<_>>()
                    .join(", ")
            )));
        }
        operations.iter().map(String::as_str).collect()
    };
    let inputs = top_inputs(new);
    let mut report = Report::default();
    for name in names {
        let mut walk = Walk::new(old, new, &inputs);
        match (old_ops.get(name), new_ops.get(name)) {
            (Some(_), None) => walk.breaking(format!("removed operation {name}")),
            (None, Some(_)) => walk.compatible(format!("added operation {name}")),
            (Some(o), Some(n)) => walk.operation(o, n),
            (None, None) => {}
        }
        let mut changes: Vec<Change> = walk.changes.into_iter().collect();
        changes.sort();
        if !changes.is_empty() {
            report.operations.insert(name.to_string(), changes);
        }
    }
    Ok(report)
}

fn operations_by_name(graph: &ShapeGraph) -> BTreeMap<&str, &Shape> {
    let mut bound = graph.operations();
    if bound.is_empty() {
        bound = graph
            .shapes()
            .filter(|s| s.kind == ShapeKind::Operation)
            .map(|s| s.id.clone())
            .collect();
    }
    graph
        .shapes()
        .filter(|s| bound.contains(&s.id))
        .map(|s| (s.id.name(), s))
        .collect()
}

/// Traits of a member that change only what goes over the wire.
const WIRE_TRAITS: &[&str] = &[
    "smithy.api#jsonName",
    "smithy.api#httpHeader",
    "smithy.api#httpLabel",
    "smithy.api#httpQuery",
    "smithy.api#httpQueryParams",
    "smithy.api#httpPayload",
    "smithy.api#httpPrefixHeaders",
    "smithy.api#httpResponseCode",
    "smithy.api#timestampFormat",
    "smithy.api#xmlName",
    "smithy.api#xmlAttribute",
    "smithy.api#xmlFlattened",
    "smithy.api#xmlNamespace",
    "smithy.api#hostLabel",
    "smithy.api#idempotencyToken",
    "smithy.api#eventHeader",
    "smithy.api#eventPayload",
    "smithy.api#mediaType",
    "aws.protocols#ec2QueryName",
    "smithy.rules#contextParam",
];

/// Traits of an operation that change only what goes over the wire.
const OPERATION_WIRE_TRAITS: &[&str] = &[
    "smithy.api#http",
    "smithy.api#endpoint",
    "smithy.api#httpChecksumRequired",
    "aws.protocols#httpChecksum",
    "smithy.api#requestCompression",
];

/// Which structure role a shape plays, for the optionality rule.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Role {
    /// An operation's input: every member is `Option`.
    Input,
    /// Anything else: `Option` unless required and not client-optional.
    Other,
}

/// One operation's comparison: the pairs of shapes already compared (so a
/// recursive shape is walked once) and the changes found.
struct Walk<'g> {
    old: &'g ShapeGraph,
    new: &'g ShapeGraph,
    /// The structures of `new` that are operation inputs.
    inputs: &'g BTreeSet<ShapeId>,
    seen: BTreeSet<(ShapeId, ShapeId)>,
    changes: BTreeSet<Change>,
}

impl<'g> Walk<'g> {
    fn new(old: &'g ShapeGraph, new: &'g ShapeGraph, inputs: &'g BTreeSet<ShapeId>) -> Self {
        Walk {
            old,
            new,
            inputs,
            seen: BTreeSet::new(),
            changes: BTreeSet::new(),
        }
    }

    fn breaking(&mut self, description: String) {
        self.changes.insert(Change {
            severity: Severity::Breaking,
            description,
        });
    }

    fn compatible(&mut self, description: String) {
        self.changes.insert(Change {
            severity: Severity::Compatible,
            description,
        });
    }

    fn operation(&mut self, old: &'g Shape, new: &'g Shape) {
        let name = new.id.name();
        for (which, o, n) in [
            ("input", &old.input, &new.input),
            ("output", &old.output, &new.output),
        ] {
            match (o, n) {
                (Some(o), Some(n)) => {
                    if o.name() != n.name() {
                        // Code that names it `{Op}Input`/`{Op}Output` (the
                        // uniform aliases) keeps compiling; the model's own
                        // name is gone.
                        let alias = format!(
                            "{name}{}",
                            if which == "input" { "Input" } else { "Output" }
                        );
                        self.breaking(format!(
                            "{which} of {name} renamed from {} to {} (`{alias}` names both)",
                            o.name(),
                            n.name()
                        ));
                    }
                    let role = if which == "input" {
                        Role::Input
                    } else {
                        Role::Other
                    };
                    self.structure(o, n, role);
                }
                (None, Some(n)) => self.breaking(format!("{which} of {name} is now {}", n.name())),
                (Some(o), None) => {
                    self.breaking(format!("{which} of {name} is now empty (was {})", o.name()))
                }
                (None, None) => {}
            }
        }
        let old_errors = self.old.operation_errors(&old.id);
        let new_errors = self.new.operation_errors(&new.id);
        let by_name = |errors: &[ShapeId]| -> BTreeMap<String, ShapeId> {
            errors
                .iter()
                .map(|e| (e.name().to_string(), e.clone()))
                .collect()
        };
        let (old_errors, new_errors) = (by_name(&old_errors), by_name(&new_errors));
        for (error, o) in &old_errors {
            match new_errors.get(error) {
                None => self.breaking(format!("removed error {error} of {name}")),
                Some(n) => self.structure(o, n, Role::Other),
            }
        }
        for error in new_errors.keys() {
            if !old_errors.contains_key(error) {
                self.compatible(format!("added error {error} of {name}"));
            }
        }
        self.wire_traits(&old.traits, &new.traits, name, OPERATION_WIRE_TRAITS);
        self.paginator(&paginated(self.old, old), &paginated(self.new, new), name);
    }

    /// `@paginated` makes `Op::paginate` (and `Op::paginate_items` when it
    /// names the items): gaining one is compatible, losing one breaking; a
    /// new items path may change the items' type, new tokens only the wire.
    fn paginator(
        &mut self,
        old: &Option<serde_json::Map<String, Value>>,
        new: &Option<serde_json::Map<String, Value>>,
        name: &str,
    ) {
        match (old, new) {
            (None, Some(_)) => self.compatible(format!("added paginator {name}::paginate")),
            (Some(_), None) => self.breaking(format!("removed paginator {name}::paginate")),
            (Some(o), Some(n)) => {
                for field in ["items", "inputToken", "outputToken", "pageSize"] {
                    let (of, nf) = (o.get(field), n.get(field));
                    if of == nf {
                        continue;
                    }
                    let show = |v: Option<&Value>| v.map_or("absent".to_string(), Value::to_string);
                    let text = format!(
                        "paginator {name}: {field} changed from {} to {}",
                        show(of),
                        show(nf)
                    );
                    if field == "items" {
                        self.breaking(format!("{text} (paginate_items yields other items)"));
                    } else {
                        self.compatible(text);
                    }
                }
            }
            (None, None) => {}
        }
    }

    /// Compares two shapes that sit at the same place of the operation.
    fn shape(&mut self, old: &ShapeId, new: &ShapeId) {
        if old.is_prelude() && new.is_prelude() {
            return;
        }
        if !self.seen.insert((old.clone(), new.clone())) {
            return;
        }
        let (Some(o), Some(n)) = (self.old.shape(old), self.new.shape(new)) else {
            return;
        };
        if o.kind != n.kind {
            // The member comparison has reported the type change already.
            return;
        }
        match o.kind {
            ShapeKind::Structure => {
                let role = if self.inputs.contains(&n.id) {
                    Role::Input
                } else {
                    Role::Other
                };
                self.structure(old, new, role);
            }
            ShapeKind::Union => self.union(o, n),
            ShapeKind::Enum | ShapeKind::IntEnum => self.enumeration(o, n),
            ShapeKind::List | ShapeKind::Set | ShapeKind::Map => {
                for (om, nm) in o.members.iter().zip(&n.members) {
                    self.shape(&om.target, &nm.target);
                }
            }
            _ => {}
        }
    }

    fn structure(&mut self, old: &ShapeId, new: &ShapeId, role: Role) {
        self.seen.insert((old.clone(), new.clone()));
        let (Some(o), Some(n)) = (self.old.shape(old), self.new.shape(new)) else {
            return;
        };
        let owner = n.id.name();
        for om in &o.members {
            let at = format!("{owner}${}", om.name);
            let Some(nm) = n.member(&om.name) else {
                self.breaking(format!("removed member {at}"));
                continue;
            };
            if !self.member_type(om, nm, &at) {
                continue;
            }
            let old_optional = role == Role::Input || is_optional(om);
            let new_optional = role == Role::Input || is_optional(nm);
            let old_required = om.traits.required();
            let new_required = nm.traits.required();
            if old_optional != new_optional {
                let what = if new_optional {
                    "is now optional"
                } else {
                    "is now required"
                };
                let ty = rust_type(self.new, &nm.target, 0);
                if ty.starts_with("list<") {
                    self.compatible(format!(
                        "member {at} {what} (its getter is a slice either way)"
                    ));
                } else {
                    self.breaking(format!(
                        "member {at} {what}: its getter returns {}",
                        if new_optional {
                            "an Option"
                        } else {
                            "the value, not an Option"
                        }
                    ));
                }
            } else if old_required != new_required {
                if new_required {
                    self.compatible(format!(
                        "member {at} is now required (still an Option; build() fails when it is unset)"
                    ));
                } else {
                    self.compatible(format!("member {at} is no longer required"));
                }
            }
            self.wire_traits(&om.traits, &nm.traits, &at, WIRE_TRAITS);
            self.shape(&om.target, &nm.target);
        }
        for nm in &n.members {
            if o.member(&nm.name).is_none() {
                let required = if role == Role::Other && !is_optional(nm) {
                    " (required: build() fails when it is unset)"
                } else {
                    ""
                };
                self.compatible(format!("added member {owner}${}{required}", nm.name));
            }
        }
    }

    /// Reports a change of the member's Rust type; `false` when there is one
    /// (the targets are then not walked).
    fn member_type(&mut self, old: &Member, new: &Member, at: &str) -> bool {
        let (o, n) = (
            rust_type(self.old, &old.target, 0),
            rust_type(self.new, &new.target, 0),
        );
        if o != n {
            self.breaking(format!("type of {at} changed from {o} to {n}"));
            return false;
        }
        true
    }

    fn union(&mut self, old: &Shape, new: &Shape) {
        let owner = new.id.name();
        for om in &old.members {
            let at = format!("{owner}${}", om.name);
            match new.member(&om.name) {
                None => self.breaking(format!("removed variant {at}")),
                Some(nm) => {
                    if self.member_type(om, nm, &at) {
                        self.wire_traits(&om.traits, &nm.traits, &at, WIRE_TRAITS);
                        self.shape(&om.target, &nm.target);
                    }
                }
            }
        }
        for nm in &new.members {
            if old.member(&nm.name).is_none() {
                self.compatible(format!("added variant {owner}${}", nm.name));
            }
        }
    }

    fn enumeration(&mut self, old: &Shape, new: &Shape) {
        let owner = new.id.name();
        let value = |m: &Member| match m.traits.enum_value() {
            Some(opgen_model::EnumValue::String(s)) => format!("\"{s}\""),
            Some(opgen_model::EnumValue::Int(i)) => i.to_string(),
            None => format!("\"{}\"", m.name),
        };
        for om in &old.members {
            match new.member(&om.name) {
                None => self.breaking(format!("removed enum value {owner}::{}", om.name)),
                Some(nm) if value(om) != value(nm) => self.compatible(format!(
                    "wire value of {owner}::{} changed from {} to {}",
                    om.name,
                    value(om),
                    value(nm)
                )),
                Some(_) => {}
            }
        }
        for nm in &new.members {
            if old.member(&nm.name).is_none() {
                self.compatible(format!("added enum value {owner}::{}", nm.name));
            }
        }
    }

    fn wire_traits(
        &mut self,
        old: &opgen_model::Traits,
        new: &opgen_model::Traits,
        at: &str,
        traits: &[&str],
    ) {
        for id in traits {
            let (o, n) = (old.get(id), new.get(id));
            if o == n {
                continue;
            }
            let short = id.rsplit_once('#').map_or(*id, |(_, name)| name);
            let show = |v: Option<&Value>| match v {
                None => "absent".to_string(),
                Some(Value::Object(map)) if map.is_empty() => "present".to_string(),
                Some(v) => v.to_string(),
            };
            self.compatible(format!(
                "wire: @{short} of {at} changed from {} to {}",
                show(o),
                show(n)
            ));
        }
    }
}

/// The operation's `@paginated`, completed by its service's (the
/// operation's fields win), as the generator resolves it.
fn paginated(graph: &ShapeGraph, operation: &Shape) -> Option<serde_json::Map<String, Value>> {
    const TRAIT: &str = "smithy.api#paginated";
    let own = operation.traits.get(TRAIT)?.as_object()?;
    let mut merged = graph
        .service_of(&operation.id)
        .ok()
        .and_then(|service| service.traits.get(TRAIT)?.as_object().cloned())
        .unwrap_or_default();
    merged.extend(own.iter().map(|(k, v)| (k.clone(), v.clone())));
    Some(merged)
}

/// Whether a member's field is an `Option` outside an operation input
/// (`codegen/src/lower.rs`, `lower_structure`).
fn is_optional(member: &Member) -> bool {
    member.traits.client_optional() || !member.traits.required()
}

/// The structures whose members are all `Option` wherever they are
/// reached: those marked `@input` and the inputs of operations.
fn top_inputs(graph: &ShapeGraph) -> BTreeSet<ShapeId> {
    graph
        .shapes()
        .filter(|s| s.traits.is_input())
        .map(|s| s.id.clone())
        .chain(graph.shapes().filter_map(|s| s.input.clone()))
        .collect()
}

/// The Rust type opgen generates for values of `target`, spelled so that
/// two targets have the same spelling exactly when their Rust types are the
/// same (`codegen/src/lower.rs`, `type_ref`; named shapes by their name).
fn rust_type(graph: &ShapeGraph, target: &ShapeId, depth: usize) -> String {
    let Some(shape) = graph.shape(target) else {
        return format!("unknown `{target}`");
    };
    // Collections of collections nest only so deep; the model validation
    // rejects cycles, this bounds the recursion regardless.
    if depth > 32 {
        return "…".to_string();
    }
    let element = |name: &str| {
        shape.member(name).map_or_else(
            || "?".to_string(),
            |m| rust_type(graph, &m.target, depth + 1),
        )
    };
    let sparse = |t: String| {
        if shape.traits.sparse() {
            format!("Option<{t}>")
        } else {
            t
        }
    };
    match shape.kind {
        ShapeKind::String => "String".into(),
        ShapeKind::Boolean => "bool".into(),
        ShapeKind::Byte => "i8".into(),
        ShapeKind::Short => "i16".into(),
        ShapeKind::Integer => "i32".into(),
        ShapeKind::Long => "i64".into(),
        ShapeKind::Float => "f32".into(),
        ShapeKind::Double => "f64".into(),
        ShapeKind::Timestamp => "timestamp".into(),
        ShapeKind::Blob if shape.traits.streaming() => "ByteStream".into(),
        ShapeKind::Blob => "Blob".into(),
        ShapeKind::Document => "Document".into(),
        ShapeKind::BigInteger | ShapeKind::BigDecimal => "BigNumber".into(),
        ShapeKind::List | ShapeKind::Set => format!("list<{}>", sparse(element("member"))),
        ShapeKind::Map => format!("map<String, {}>", sparse(element("value"))),
        ShapeKind::Structure if shape.traits.unit_type() => "()".into(),
        ShapeKind::Structure
        | ShapeKind::Union
        | ShapeKind::Enum
        | ShapeKind::IntEnum
        | ShapeKind::Service
        | ShapeKind::Operation
        | ShapeKind::Resource => format!("{} {}", shape.kind, target.name()),
    }
}

#[cfg(test)]
mod tests;
