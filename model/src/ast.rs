//! The Smithy 2.0 JSON AST as serde types, nothing else: no validation, no
//! resolution. See <https://smithy.io/2.0/spec/json-ast.html>.

use serde::de::{MapAccess, Visitor};
use serde::{Deserialize, Deserializer};
use serde_json::Value;
use std::collections::BTreeMap;
use std::fmt;

/// A whole model file.
#[derive(Debug, Deserialize)]
pub struct AstModel {
    /// The Smithy IDL version, `"2.0"` (or `"1.0"`).
    pub smithy: String,
    /// Model metadata.
    #[serde(default)]
    pub metadata: BTreeMap<String, Value>,
    /// Shapes keyed by absolute shape id.
    #[serde(default)]
    pub shapes: BTreeMap<String, AstShape>,
}

/// A reference to another shape: `{"target": "ns#Name"}`.
#[derive(Debug, Clone, Deserialize)]
pub struct AstTarget {
    /// The absolute id of the target.
    pub target: String,
}

/// A member: a target and its traits.
#[derive(Debug, Clone, Deserialize)]
pub struct AstMember {
    /// The absolute id of the member's target.
    pub target: String,
    /// Member traits keyed by absolute trait id.
    #[serde(default)]
    pub traits: BTreeMap<String, Value>,
}

/// One shape (or an `apply` statement), every type in one flat struct: the
/// fields a type does not use are absent.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AstShape {
    /// `structure`, `string`, `operation`, `apply`, …
    #[serde(rename = "type")]
    pub kind: String,
    /// Traits keyed by absolute trait id.
    #[serde(default)]
    pub traits: BTreeMap<String, Value>,
    /// Members of structures, unions, enums and intEnums, in model order.
    #[serde(default)]
    pub members: Option<OrderedMembers>,
    /// The member of a list or set.
    pub member: Option<AstMember>,
    /// The key of a map.
    pub key: Option<AstMember>,
    /// The value of a map.
    pub value: Option<AstMember>,
    /// Operation input.
    pub input: Option<AstTarget>,
    /// Operation output.
    pub output: Option<AstTarget>,
    /// Operation errors, or the common errors of a service.
    #[serde(default)]
    pub errors: Vec<AstTarget>,
    /// Operations bound to a service or resource.
    #[serde(default)]
    pub operations: Vec<AstTarget>,
    /// Operations bound to a resource's collection.
    #[serde(default)]
    pub collection_operations: Vec<AstTarget>,
    /// Resources bound to a service or resource.
    #[serde(default)]
    pub resources: Vec<AstTarget>,
    /// Resource lifecycle operations.
    pub create: Option<AstTarget>,
    /// Resource lifecycle operation.
    pub put: Option<AstTarget>,
    /// Resource lifecycle operation.
    pub read: Option<AstTarget>,
    /// Resource lifecycle operation.
    pub update: Option<AstTarget>,
    /// Resource lifecycle operation.
    pub delete: Option<AstTarget>,
    /// Resource lifecycle operation.
    pub list: Option<AstTarget>,
    /// The service version.
    pub version: Option<String>,
}

/// Members in the order the model lists them (a JSON object, order kept).
#[derive(Debug, Clone, Default)]
pub struct OrderedMembers(pub Vec<(String, AstMember)>);

impl<'de> Deserialize<'de> for OrderedMembers {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct MembersVisitor;
        impl<'de> Visitor<'de> for MembersVisitor {
            type Value = OrderedMembers;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object of members")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut members = Vec::new();
                while let Some((name, member)) = map.next_entry::<String, AstMember>()? {
                    members.push((name, member));
                }
                Ok(OrderedMembers(members))
            }
        }
        deserializer.deserialize_map(MembersVisitor)
    }
}
