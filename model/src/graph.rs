use crate::ast::{AstMember, AstModel, AstShape, AstTarget};
use crate::error::{Location, ModelError};
use crate::load::SourceFile;
use crate::{prelude, ShapeId, Traits};
use std::collections::BTreeMap;
use std::fmt;
use std::path::PathBuf;

/// The type of a shape.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[allow(missing_docs)]
pub enum ShapeKind {
    Blob,
    Boolean,
    String,
    Byte,
    Short,
    Integer,
    Long,
    Float,
    Double,
    BigInteger,
    BigDecimal,
    Timestamp,
    Document,
    Enum,
    IntEnum,
    List,
    Set,
    Map,
    Structure,
    Union,
    Service,
    Operation,
    Resource,
}

impl ShapeKind {
    fn parse(text: &str) -> Option<ShapeKind> {
        use ShapeKind::*;
        Some(match text {
            "blob" => Blob,
            "boolean" => Boolean,
            "string" => String,
            "byte" => Byte,
            "short" => Short,
            "integer" => Integer,
            "long" => Long,
            "float" => Float,
            "double" => Double,
            "bigInteger" => BigInteger,
            "bigDecimal" => BigDecimal,
            "timestamp" => Timestamp,
            "document" => Document,
            "enum" => Enum,
            "intEnum" => IntEnum,
            "list" => List,
            "set" => Set,
            "map" => Map,
            "structure" => Structure,
            "union" => Union,
            "service" => Service,
            "operation" => Operation,
            "resource" => Resource,
            _ => return None,
        })
    }

    /// The type as the JSON AST spells it.
    pub fn as_str(self) -> &'static str {
        use ShapeKind::*;
        match self {
            Blob => "blob",
            Boolean => "boolean",
            String => "string",
            Byte => "byte",
            Short => "short",
            Integer => "integer",
            Long => "long",
            Float => "float",
            Double => "double",
            BigInteger => "bigInteger",
            BigDecimal => "bigDecimal",
            Timestamp => "timestamp",
            Document => "document",
            Enum => "enum",
            IntEnum => "intEnum",
            List => "list",
            Set => "set",
            Map => "map",
            Structure => "structure",
            Union => "union",
            Service => "service",
            Operation => "operation",
            Resource => "resource",
        }
    }

    /// Whether shapes of this type have named members that become fields or
    /// variants (structure, union, enum, intEnum).
    pub fn has_named_members(self) -> bool {
        matches!(
            self,
            ShapeKind::Structure | ShapeKind::Union | ShapeKind::Enum | ShapeKind::IntEnum
        )
    }
}

impl fmt::Display for ShapeKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A member of a shape: its name, target and traits.
#[derive(Debug, Clone, PartialEq)]
pub struct Member {
    /// The member name as in the model (`workloadIdentityToken`; `member`,
    /// `key`, `value` for lists and maps).
    pub name: String,
    /// The member's target shape.
    pub target: ShapeId,
    /// The member's own traits (not those of the target).
    pub traits: Traits,
}

/// A resolved shape.
#[derive(Debug, Clone, PartialEq)]
pub struct Shape {
    /// Its absolute id.
    pub id: ShapeId,
    /// Its type.
    pub kind: ShapeKind,
    /// Its traits, `apply` statements merged in.
    pub traits: Traits,
    /// Members in model order: named members of structures, unions and
    /// enums; `member` of lists and sets; `key` and `value` of maps.
    pub members: Vec<Member>,
    /// Operation input (`None`: `smithy.api#Unit`).
    pub input: Option<ShapeId>,
    /// Operation output (`None`: `smithy.api#Unit`).
    pub output: Option<ShapeId>,
    /// Errors of an operation, or common errors of a service.
    pub errors: Vec<ShapeId>,
    /// Operations bound to a service or resource (lifecycle and collection
    /// operations of a resource included).
    pub operations: Vec<ShapeId>,
    /// Resources bound to a service or resource.
    pub resources: Vec<ShapeId>,
    /// Service version.
    pub version: Option<String>,
    /// Where the shape is defined (`None` for the prelude).
    pub location: Option<Location>,
}

impl Shape {
    pub(crate) fn new(id: ShapeId, kind: ShapeKind, traits: Traits) -> Shape {
        Shape {
            id,
            kind,
            traits,
            members: Vec::new(),
            input: None,
            output: None,
            errors: Vec::new(),
            operations: Vec::new(),
            resources: Vec::new(),
            version: None,
            location: None,
        }
    }

    /// The member named `name`.
    pub fn member(&self, name: &str) -> Option<&Member> {
        self.members.iter().find(|m| m.name == name)
    }
}

/// A validated model: every shape of every file read, plus the prelude.
#[derive(Debug, Clone)]
pub struct ShapeGraph {
    pub(crate) shapes: BTreeMap<ShapeId, Shape>,
    pub(crate) files: Vec<PathBuf>,
}

impl ShapeGraph {
    /// The shape with id `id`.
    pub fn shape(&self, id: &ShapeId) -> Option<&Shape> {
        self.shapes.get(id)
    }

    /// Every shape, ordered by id.
    pub fn shapes(&self) -> impl Iterator<Item = &Shape> {
        self.shapes.values()
    }

    /// The files the model was read from (empty for an in-memory model).
    pub fn files(&self) -> &[PathBuf] {
        &self.files
    }

    /// Resolves the AST of parsed files into a graph and validates it.
    pub(crate) fn build(files: &[(SourceFile, AstModel)]) -> Result<ShapeGraph, ModelError> {
        let mut shapes: BTreeMap<ShapeId, Shape> =
            prelude::shapes().map(|s| (s.id.clone(), s)).collect();
        let mut applies = Vec::new();
        for (source, model) in files {
            if !model.smithy.starts_with('1') && !model.smithy.starts_with('2') {
                return Err(ModelError::Json {
                    location: source.location_of("\"smithy\""),
                    message: format!(
                        "unsupported Smithy version \"{}\"; expected \"2.0\"",
                        model.smithy
                    ),
                });
            }
            for (key, ast) in &model.shapes {
                let invalid = |message: String| ModelError::Invalid {
                    location: source.location_of_shape(key),
                    shape: key.clone(),
                    message,
                };
                let id = ShapeId::parse(key).ok_or_else(|| {
                    invalid("the key is not an absolute shape id (`namespace#Name`)".into())
                })?;
                if ast.kind == "apply" {
                    applies.push((source, id, ast));
                    continue;
                }
                if id.member().is_some() {
                    return Err(invalid("a shape id may not have a `$member` part".into()));
                }
                let shape = convert_shape(id.clone(), ast, source.location_of_shape(key))
                    .map_err(invalid)?;
                if let Some(previous) = shapes.get(&id) {
                    if previous.id.is_prelude() {
                        return Err(invalid("redefines a prelude shape".into()));
                    }
                    if previous != &shape {
                        let first = previous
                            .location
                            .as_ref()
                            .map(|l| l.to_string())
                            .unwrap_or_default();
                        return Err(invalid(format!(
                            "defined twice, differently (first at {first})"
                        )));
                    }
                }
                shapes.insert(id, shape);
            }
        }
        for (source, id, ast) in applies {
            let root = id.root();
            let Some(shape) = shapes.get_mut(&root) else {
                return Err(ModelError::Invalid {
                    location: source.location_of_shape(id.as_str()),
                    shape: id.to_string(),
                    message: "`apply` targets a shape that does not exist".into(),
                });
            };
            match id.member() {
                None => shape.traits.merge(&ast.traits),
                Some(member) => match shape.members.iter_mut().find(|m| m.name == member) {
                    Some(m) => m.traits.merge(&ast.traits),
                    None => {
                        return Err(ModelError::Invalid {
                            location: source.location_of_shape(id.as_str()),
                            shape: id.to_string(),
                            message: "`apply` targets a member that does not exist".into(),
                        })
                    }
                },
            }
        }
        let graph = ShapeGraph {
            shapes,
            files: files
                .iter()
                .filter_map(|(source, _)| source.path.clone())
                .collect(),
        };
        graph.validate()?;
        Ok(graph)
    }

    fn validate(&self) -> Result<(), ModelError> {
        for shape in self.shapes.values() {
            let invalid = |message: std::string::String| ModelError::Invalid {
                location: shape.location.clone().unwrap_or(Location {
                    file: PathBuf::from("<prelude>"),
                    line: 1,
                    column: 1,
                }),
                shape: shape.id.to_string(),
                message,
            };
            let expect = |id: &ShapeId, what: &str, kinds: &[ShapeKind]| match self.shapes.get(id) {
                None => Err(invalid(format!(
                    "{what} targets `{id}`, which is not defined in the model"
                ))),
                Some(target) if !kinds.is_empty() && !kinds.contains(&target.kind) => {
                    Err(invalid(format!(
                        "{what} targets `{id}`, a {}, but must target a {}",
                        target.kind,
                        kinds
                            .iter()
                            .map(|k| k.as_str())
                            .collect::<Vec<_>>()
                            .join(" or ")
                    )))
                }
                Some(_) => Ok(()),
            };
            use ShapeKind::*;
            let value_kinds: &[ShapeKind] = &[
                Blob, Boolean, String, Byte, Short, Integer, Long, Float, Double, BigInteger,
                BigDecimal, Timestamp, Document, Enum, IntEnum, List, Set, Map, Structure, Union,
            ];
            for member in &shape.members {
                let what = format!("member `{}`", member.name);
                if matches!(shape.kind, Enum | IntEnum) {
                    expect(&member.target, &what, &[])?;
                } else {
                    expect(&member.target, &what, value_kinds)?;
                }
            }
            for io in [&shape.input, &shape.output].into_iter().flatten() {
                expect(io, "operation input/output", &[Structure])?;
            }
            for error in &shape.errors {
                expect(error, "error", &[Structure])?;
            }
            for op in &shape.operations {
                expect(op, "operation binding", &[Operation])?;
            }
            for resource in &shape.resources {
                expect(resource, "resource binding", &[Resource])?;
            }
        }
        self.check_collection_cycles()
    }

    /// Smithy allows recursion only through a structure or union: a list or
    /// map that contains itself through lists and maps alone would be an
    /// infinitely nested type (and the generator would recurse forever).
    fn check_collection_cycles(&self) -> Result<(), ModelError> {
        /// The element of a collection, when it is a collection itself.
        fn element<'g>(shapes: &'g BTreeMap<ShapeId, Shape>, id: &ShapeId) -> Option<&'g ShapeId> {
            let shape = shapes.get(id)?;
            let member = match shape.kind {
                ShapeKind::List | ShapeKind::Set => shape.member("member"),
                ShapeKind::Map => shape.member("value"),
                _ => None,
            }?;
            let target = shapes.get(&member.target)?;
            matches!(
                target.kind,
                ShapeKind::List | ShapeKind::Set | ShapeKind::Map
            )
            .then_some(&member.target)
        }
        // Each collection has at most one collection element, so following
        // the chain from every start finds each cycle; `done` keeps the walk
        // linear in the number of shapes.
        let mut done: std::collections::BTreeSet<&ShapeId> = std::collections::BTreeSet::new();
        for start in self.shapes.values() {
            let mut path: Vec<&ShapeId> = Vec::new();
            let mut current = Some(&start.id);
            while let Some(id) = current {
                if done.contains(id) {
                    break;
                }
                if let Some(at) = path.iter().position(|p| *p == id) {
                    let cycle: Vec<String> = path[at..].iter().map(|p| format!("`{p}`")).collect();
                    return Err(ModelError::Invalid {
                        location: self.shapes.get(id).and_then(|s| s.location.clone()).unwrap_or(Location {
                            file: PathBuf::from("<prelude>"),
                            line: 1,
                            column: 1,
                        }),
                        shape: id.to_string(),
                        message: format!(
                            "the collection contains itself ({} → `{id}`) without a structure or union in between, which Smithy does not allow; wrap the element in a structure",
                            cycle.join(" → ")
                        ),
                    });
                }
                path.push(id);
                current = element(&self.shapes, id);
            }
            done.extend(path);
        }
        Ok(())
    }
}

fn convert_shape(id: ShapeId, ast: &AstShape, location: Location) -> Result<Shape, String> {
    let kind = ShapeKind::parse(&ast.kind)
        .ok_or_else(|| format!("unknown shape type \"{}\"", ast.kind))?;
    let mut shape = Shape::new(id, kind, Traits::new(ast.traits.clone()));
    shape.location = Some(location);
    let target = |t: &AstTarget, what: &str| {
        ShapeId::parse(&t.target)
            .ok_or_else(|| format!("{what} target \"{}\" is not an absolute shape id", t.target))
    };
    let member = |name: &str, m: &AstMember| -> Result<Member, String> {
        Ok(Member {
            name: name.to_string(),
            target: ShapeId::parse(&m.target).ok_or_else(|| {
                format!(
                    "member `{name}` target \"{}\" is not an absolute shape id",
                    m.target
                )
            })?,
            traits: Traits::new(m.traits.clone()),
        })
    };
    match kind {
        ShapeKind::List | ShapeKind::Set => {
            let m = ast
                .member
                .as_ref()
                .ok_or_else(|| format!("a {kind} needs a `member`"))?;
            shape.members.push(member("member", m)?);
        }
        ShapeKind::Map => {
            let k = ast.key.as_ref().ok_or("a map needs a `key`")?;
            let v = ast.value.as_ref().ok_or("a map needs a `value`")?;
            shape.members.push(member("key", k)?);
            shape.members.push(member("value", v)?);
        }
        k if k.has_named_members() => {
            for (name, m) in ast.members.iter().flat_map(|m| m.0.iter()) {
                shape.members.push(member(name, m)?);
            }
        }
        _ => {}
    }
    let unit_to_none = |id: ShapeId| (id.as_str() != "smithy.api#Unit").then_some(id);
    if let Some(input) = &ast.input {
        shape.input = unit_to_none(target(input, "input")?);
    }
    if let Some(output) = &ast.output {
        shape.output = unit_to_none(target(output, "output")?);
    }
    for e in &ast.errors {
        shape.errors.push(target(e, "error")?);
    }
    let lifecycle = [
        &ast.create,
        &ast.put,
        &ast.read,
        &ast.update,
        &ast.delete,
        &ast.list,
    ];
    for op in ast
        .operations
        .iter()
        .chain(&ast.collection_operations)
        .chain(lifecycle.into_iter().flatten())
    {
        shape.operations.push(target(op, "operation")?);
    }
    for r in &ast.resources {
        shape.resources.push(target(r, "resource")?);
    }
    shape.version = ast.version.clone();
    Ok(shape)
}
