//! Smithy 2.0 JSON AST → a typed, validated shape graph.
//!
//! ```
//! let graph = opgen_model::ShapeGraph::bundled().unwrap();
//! let op = graph.find_operation("GetResourceOauth2Token").unwrap();
//! assert_eq!(op.name(), "GetResourceOauth2Token");
//! let shapes = graph.closure(&[op.clone()]).unwrap();
//! assert!(shapes.iter().any(|id| id.name() == "Oauth2FlowType"));
//! ```
//!
//! The pipeline is [`ast`] (serde types of the JSON, nothing else) →
//! [`ShapeGraph`] (ids resolved, prelude added, `apply` merged, targets
//! checked) → operation lookup and closure.
#![deny(missing_docs)]
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]

pub mod ast;
mod error;
mod graph;
mod load;
mod lookup;
mod prelude;
mod shape_id;
mod traits;

pub use error::{Location, ModelError};
pub use graph::{Member, Shape, ShapeGraph, ShapeKind};
pub use shape_id::ShapeId;
pub use traits::{EnumValue, ErrorKind, HttpTrait, TimestampFormat, Traits, XmlNamespace};

/// The bundled model: the Bedrock AgentCore data plane service with the
/// closure of `GetResourceOauth2Token`, used when a crate names no model.
pub const BUNDLED_MODEL: &str = include_str!("../bundled/bedrock-agentcore.json");

/// The name under which errors refer to the bundled model.
pub const BUNDLED_MODEL_NAME: &str = "<bundled bedrock-agentcore model>";
