//! What every emitter shares: the graph, the closure being generated, the
//! role of each shape, and the diagnostics collected so far.

use crate::{naming, CodegenError, Options};
use opgen_model::{Member, Shape, ShapeGraph, ShapeId, ShapeKind};
use proc_macro2::TokenStream;
use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};

/// Problems collected while generating; reported together at the end.
#[derive(Debug, Default)]
pub struct Diagnostics(RefCell<Vec<CodegenError>>);

impl Diagnostics {
    pub(crate) fn error(&self, shape: impl ToString, message: impl Into<String>) {
        self.0.borrow_mut().push(CodegenError {
            shape: shape.to_string(),
            message: message.into(),
        });
    }

    fn take(&self) -> Vec<CodegenError> {
        std::mem::take(&mut self.0.borrow_mut())
    }
}

pub(crate) struct Context<'a> {
    pub(crate) graph: &'a ShapeGraph,
    pub(crate) operations: Vec<ShapeId>,
    pub(crate) closure: BTreeSet<ShapeId>,
    pub(crate) options: &'a Options,
    /// Structures used as an operation input (all members optional in Rust).
    pub(crate) inputs: BTreeSet<ShapeId>,
    /// Structures used as an operation output.
    pub(crate) outputs: BTreeSet<ShapeId>,
    /// Structures used as an operation error.
    pub(crate) errors: BTreeSet<ShapeId>,
    pub(crate) diagnostics: Diagnostics,
}

impl<'a> Context<'a> {
    pub(crate) fn new(
        graph: &'a ShapeGraph,
        operations: &[ShapeId],
        options: &'a Options,
    ) -> Result<Self, Vec<CodegenError>> {
        let mut ops: Vec<ShapeId> = operations.to_vec();
        ops.sort();
        ops.dedup();
        let closure = graph.closure(&ops).map_err(|e| {
            vec![CodegenError {
                shape: ops
                    .iter()
                    .map(ShapeId::to_string)
                    .collect::<Vec<_>>()
                    .join(", "),
                message: e.to_string(),
            }]
        })?;
        let mut ctx = Context {
            graph,
            operations: ops,
            closure,
            options,
            inputs: BTreeSet::new(),
            outputs: BTreeSet::new(),
            errors: BTreeSet::new(),
            diagnostics: Diagnostics::default(),
        };
        for op in ctx.operations.clone() {
            if let Some(shape) = graph.shape(&op) {
                ctx.inputs.extend(shape.input.clone());
                ctx.outputs.extend(shape.output.clone());
            }
            ctx.errors.extend(graph.operation_errors(&op));
        }
        Ok(ctx)
    }

    /// The shape `id`; a dangling id (which validation rules out) is
    /// reported and yields `None`.
    pub(crate) fn shape(&self, id: &ShapeId) -> Option<&'a Shape> {
        let shape = self.graph.shape(id);
        if shape.is_none() {
            self.diagnostics
                .error(id, "internal error: shape is not in the model");
        }
        shape
    }

    pub(crate) fn kind(&self, id: &ShapeId) -> Option<ShapeKind> {
        self.shape(id).map(|s| s.kind)
    }

    /// Whether `id` is a `@streaming` blob, which becomes a `ByteStream`.
    pub(crate) fn is_byte_stream(&self, id: &ShapeId) -> bool {
        self.shape(id)
            .is_some_and(|s| s.kind == ShapeKind::Blob && s.traits.streaming())
    }

    /// Whether `member` of `container` is sensitive, on itself or its target.
    pub(crate) fn is_sensitive(&self, member: &Member) -> bool {
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
    /// Emits everything, then fails with every diagnostic if there was any.
    pub(crate) fn emit_all(&self) -> Result<TokenStream, Vec<CodegenError>> {
        self.check_type_names();
        let mut out = TokenStream::new();
        for id in &self.closure {
            let Some(shape) = self.shape(id) else {
                continue;
            };
            match shape.kind {
                ShapeKind::Structure => {
                    out.extend(crate::structure::emit_structure(self, shape));
                    if self.outputs.contains(id) || self.errors.contains(id) {
                        out.extend(crate::operation::emit_from_http(self, shape));
                    }
                }
                ShapeKind::Enum | ShapeKind::IntEnum => {
                    out.extend(crate::enums::emit_enum(self, shape))
                }
                ShapeKind::Union => out.extend(crate::enums::emit_union(self, shape)),
                _ => {}
            }
        }
        for op in &self.operations {
            let Some(shape) = self.shape(op) else {
                continue;
            };
            out.extend(crate::operation::emit_operation(self, shape));
            out.extend(crate::error::emit_op_error(self, shape));
        }
        let problems = self.diagnostics.take();
        if problems.is_empty() {
            Ok(out)
        } else {
            Err(problems)
        }
    }

    /// Every generated type name must be unique in the module.
    fn check_type_names(&self) {
        let mut names: BTreeMap<String, String> = BTreeMap::new();
        let mut claim = |name: String, source: String| {
            if let Some(previous) = names.get(&name) {
                self.diagnostics.error(
                    &source,
                    format!(
                        "generates type `{name}`, which `{previous}` also generates; generate these operations in separate modules"
                    ),
                );
            } else {
                names.insert(name, source);
            }
        };
        for id in &self.closure {
            let Some(shape) = self.graph.shape(id) else {
                continue;
            };
            let name = naming::type_name(id.name());
            match shape.kind {
                ShapeKind::Structure => {
                    claim(format!("{name}Builder"), format!("{id} (builder)"));
                    claim(name, id.to_string());
                }
                ShapeKind::Enum | ShapeKind::IntEnum | ShapeKind::Union => {
                    claim(name, id.to_string())
                }
                ShapeKind::Operation => {
                    claim(format!("{name}Error"), format!("{id} (error enum)"));
                    claim(name, id.to_string());
                }
                _ => {}
            }
        }
    }
}
