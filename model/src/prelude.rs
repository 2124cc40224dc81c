//! The Smithy prelude: the `smithy.api#` shapes every model may target.

use crate::graph::{Shape, ShapeKind};
use crate::{ShapeId, Traits};
use serde_json::{json, Value};
use std::collections::BTreeMap;

/// Makes the `@default` value of a primitive prelude shape.
type DefaultValue = Option<fn() -> Value>;

/// Simple prelude shapes: name, type, and the `@default` of the primitive ones.
const SIMPLE: &[(&str, ShapeKind, DefaultValue)] = &[
    ("String", ShapeKind::String, None),
    ("Blob", ShapeKind::Blob, None),
    ("BigInteger", ShapeKind::BigInteger, None),
    ("BigDecimal", ShapeKind::BigDecimal, None),
    ("Timestamp", ShapeKind::Timestamp, None),
    ("Document", ShapeKind::Document, None),
    ("Boolean", ShapeKind::Boolean, None),
    (
        "PrimitiveBoolean",
        ShapeKind::Boolean,
        Some(|| json!(false)),
    ),
    ("Byte", ShapeKind::Byte, None),
    ("PrimitiveByte", ShapeKind::Byte, Some(|| json!(0))),
    ("Short", ShapeKind::Short, None),
    ("PrimitiveShort", ShapeKind::Short, Some(|| json!(0))),
    ("Integer", ShapeKind::Integer, None),
    ("PrimitiveInteger", ShapeKind::Integer, Some(|| json!(0))),
    ("Long", ShapeKind::Long, None),
    ("PrimitiveLong", ShapeKind::Long, Some(|| json!(0))),
    ("Float", ShapeKind::Float, None),
    ("PrimitiveFloat", ShapeKind::Float, Some(|| json!(0))),
    ("Double", ShapeKind::Double, None),
    ("PrimitiveDouble", ShapeKind::Double, Some(|| json!(0))),
];

/// Every prelude shape, including `smithy.api#Unit`.
pub(crate) fn shapes() -> impl Iterator<Item = Shape> {
    let simple = SIMPLE.iter().filter_map(|(name, kind, default)| {
        let mut traits = BTreeMap::new();
        if let Some(default) = default {
            traits.insert("smithy.api#default".to_string(), default());
        }
        Some(Shape::new(
            ShapeId::parse(&format!("smithy.api#{name}"))?,
            *kind,
            Traits::new(traits),
        ))
    });
    let unit = ShapeId::parse("smithy.api#Unit").map(|id| {
        let mut traits = BTreeMap::new();
        traits.insert("smithy.api#unitType".to_string(), json!({}));
        Shape::new(id, ShapeKind::Structure, Traits::new(traits))
    });
    simple.chain(unit)
}
