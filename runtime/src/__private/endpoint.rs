//! What a compiled endpoint rule set calls: `include_operation!` turns a
//! service's `smithy.rules#endpointRuleSet` into one Rust function per
//! expansion (see `opgen-codegen`'s `emit/endpoint_rules.rs`), made of
//! these helpers and the rules engine's own functions, so that compiled
//! and interpreted rules share every function and every message.

pub use crate::endpoint::functions::{
    is_valid_host_label, is_virtual_hostable_s3_bucket, parse_arn, parse_url, substring,
    uri_encode, Arn, Url,
};
pub use crate::endpoint::partitions::PartitionOutputs;
pub use crate::endpoint::{Endpoint, EndpointParams, ResolveFn};
pub use crate::{Document, EndpointError};

use crate::endpoint::{missing_param, wrong_param_type, ParamValue};
use std::collections::BTreeMap;

/// `aws.partition(region)`.
pub fn partition(region: &str) -> Option<&'static PartitionOutputs> {
    crate::endpoint::partitions::partition_of(region).map(|p| &p.outputs)
}

/// The `string` parameter `name` (bound to `builtin`), if given.
pub fn string_param<'p>(
    params: &'p EndpointParams,
    name: &str,
    builtin: Option<&str>,
) -> Result<Option<&'p str>, EndpointError> {
    match params.lookup(name, builtin) {
        None => Ok(None),
        Some((ParamValue::String(s), _)) => Ok(Some(s)),
        Some((value, how)) => Err(wrong_param_type(name, how, "a string", value)),
    }
}

/// The `boolean` parameter `name` (bound to `builtin`), if given.
pub fn bool_param(
    params: &EndpointParams,
    name: &str,
    builtin: Option<&str>,
) -> Result<Option<bool>, EndpointError> {
    match params.lookup(name, builtin) {
        None => Ok(None),
        Some((ParamValue::Bool(b), _)) => Ok(Some(*b)),
        Some((value, how)) => Err(wrong_param_type(name, how, "a boolean", value)),
    }
}

/// The `stringArray` parameter `name` (bound to `builtin`), if given.
pub fn string_array_param<'p>(
    params: &'p EndpointParams,
    name: &str,
    builtin: Option<&str>,
) -> Result<Option<&'p [String]>, EndpointError> {
    match params.lookup(name, builtin) {
        None => Ok(None),
        Some((ParamValue::StringArray(items), _)) => Ok(Some(items)),
        Some((value, how)) => Err(wrong_param_type(name, how, "an array of strings", value)),
    }
}

/// A required parameter's value, or the error naming it.
pub fn required<T>(
    value: Option<T>,
    name: &str,
    builtin: Option<&str>,
) -> Result<T, EndpointError> {
    value.ok_or_else(|| missing_param(name, builtin))
}

/// The message of an `error` rule.
pub fn error(message: impl Into<String>) -> EndpointError {
    EndpointError::new(message)
}

/// No rule applied.
pub fn no_match() -> EndpointError {
    crate::endpoint::no_rule_matched()
}

/// A tree rule's conditions held but none of its rules applied.
pub fn tree_no_match() -> EndpointError {
    crate::endpoint::no_rule_matched_in_tree()
}

/// An endpoint, header or message refers to an unset value: the rule set
/// is malformed.
pub fn unset() -> EndpointError {
    crate::endpoint::rules::invalid("a template refers to an unset value")
}

/// Item `i` of a string array (`getAttr(array, "[i]")`).
pub fn index(items: &[String], i: usize) -> Option<&str> {
    items.get(i).map(String::as_str)
}

/// A string property value.
pub fn string(value: impl Into<String>) -> Document {
    Document::String(value.into())
}

/// An object property value.
pub fn object<const N: usize>(fields: [(&str, Document); N]) -> Document {
    Document::Object(
        fields
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect::<BTreeMap<_, _>>(),
    )
}

/// A string array as a property value.
pub fn strings(items: &[String]) -> Document {
    Document::Array(items.iter().cloned().map(Document::String).collect())
}
