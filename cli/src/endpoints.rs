//! `opgen check-endpoints`: a service's `smithy.rules#endpointTests` cases
//! run against the runtime's rules engine, each failure shown as a diff of
//! what the case expects and what the engine gives.
//!
//! ```
//! use opgen_cli::endpoints::{check_case, EndpointCase};
//! let rules = opgen::endpoint::RuleSet::parse(r#"{"version":"1.0","parameters":{},
//!     "rules":[{"conditions":[],"type":"error","error":"nope"}]}"#).unwrap();
//! let case: serde_json::Value = serde_json::json!({
//!     "documentation": "always fails", "params": {}, "expect": {"error": "nope"}});
//! let case = EndpointCase::from_json(&case).unwrap();
//! assert_eq!(check_case(&rules, &case), Ok(()));
//! ```

use opgen::endpoint::{EndpointParams, ParamValue, RuleSet};
use opgen::{Document, Endpoint};
use serde_json::Value;
use std::collections::BTreeMap;

/// One test case: `params` in, the expected endpoint or error out.
#[derive(Debug, Clone, PartialEq)]
pub struct EndpointCase {
    /// The case's `documentation` (empty when it has none).
    pub documentation: String,
    /// The parameters, by rule-set parameter name.
    pub params: EndpointParams,
    /// The normalized expectation, one fact per line (see [`describe`]).
    pub expected: Vec<String>,
}

impl EndpointCase {
    /// Reads a case of `smithy.rules#endpointTests` (or of the engine suite
    /// in `endpoints/cases`). `operationInputs` are not read: the `params`
    /// of a case already hold what the inputs would bind.
    pub fn from_json(case: &Value) -> Result<EndpointCase, String> {
        let documentation = case
            .get("documentation")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string();
        let mut params = EndpointParams::new();
        if let Some(given) = case.get("params") {
            let given = given
                .as_object()
                .ok_or_else(|| format!("{documentation:?}: `params` is not an object"))?;
            for (name, value) in given {
                params.set(name.clone(), param_value(value).ok_or_else(|| {
                    format!("{documentation:?}: parameter `{name}` has the unsupported value {value}")
                })?);
            }
        }
        let expect = case
            .get("expect")
            .ok_or_else(|| format!("{documentation:?}: no `expect`"))?;
        let expected = if let Some(message) = expect.get("error") {
            let message = message
                .as_str()
                .ok_or_else(|| format!("{documentation:?}: `expect.error` is not a string"))?;
            vec![format!("error: {message}")]
        } else if let Some(endpoint) = expect.get("endpoint") {
            expected_endpoint(endpoint).map_err(|e| format!("{documentation:?}: {e}"))?
        } else {
            return Err(format!(
                "{documentation:?}: `expect` has neither `endpoint` nor `error`"
            ));
        };
        Ok(EndpointCase {
            documentation,
            params,
            expected,
        })
    }
}

fn param_value(value: &Value) -> Option<ParamValue> {
    Some(match value {
        Value::String(s) => ParamValue::String(s.clone()),
        Value::Bool(b) => ParamValue::Bool(*b),
        Value::Array(items) => ParamValue::StringArray(
            items
                .iter()
                .map(|item| item.as_str().map(str::to_string))
                .collect::<Option<Vec<_>>>()?,
        ),
        _ => return None,
    })
}

fn expected_endpoint(endpoint: &Value) -> Result<Vec<String>, String> {
    let url = endpoint
        .get("url")
        .and_then(Value::as_str)
        .ok_or("`expect.endpoint.url` is missing")?;
    let mut headers: BTreeMap<String, Vec<String>> = BTreeMap::new();
    if let Some(given) = endpoint.get("headers") {
        for (name, values) in given.as_object().ok_or("`headers` is not an object")? {
            let values = values
                .as_array()
                .ok_or("a header's values are not an array")?
                .iter()
                .map(|v| v.as_str().map(str::to_string))
                .collect::<Option<Vec<_>>>()
                .ok_or("a header value is not a string")?;
            headers.insert(name.clone(), values);
        }
    }
    let properties: BTreeMap<String, Document> = match endpoint.get("properties") {
        Some(given) => serde_json::from_value(given.clone())
            .map_err(|e| format!("`properties` is not an object of documents: {e}"))?,
        None => BTreeMap::new(),
    };
    Ok(lines(url, &headers, &properties))
}

/// What `endpoint` or `error` says, one fact per line in a fixed order, so
/// that two outcomes are equal when their lines are: `url: …`, then
/// `header NAME: …` per header (values in order), then
/// `property NAME: JSON` per property; or `error: MESSAGE`.
pub fn describe(outcome: &Result<Endpoint, opgen::EndpointError>) -> Vec<String> {
    match outcome {
        Ok(endpoint) => {
            let mut headers: BTreeMap<String, Vec<String>> = BTreeMap::new();
            for (name, value) in endpoint.headers() {
                headers.entry(name.clone()).or_default().push(value.clone());
            }
            lines(endpoint.url(), &headers, endpoint.properties())
        }
        Err(error) => vec![format!("error: {error}")],
    }
}

fn lines(
    url: &str,
    headers: &BTreeMap<String, Vec<String>>,
    properties: &BTreeMap<String, Document>,
) -> Vec<String> {
    let mut out = vec![format!("url: {url}")];
    for (name, values) in headers {
        out.push(format!("header {name}: {}", values.join(", ")));
    }
    for (name, value) in properties {
        let json = serde_json::to_string(value).unwrap_or_else(|e| format!("<{e}>"));
        out.push(format!("property {name}: {json}"));
    }
    out
}

/// Runs `case` against `rules`: `Ok` when the engine gives what the case
/// expects, else the diff (`- expected` / `+ got` lines, common lines
/// indented).
pub fn check_case(rules: &RuleSet, case: &EndpointCase) -> Result<(), String> {
    let got = describe(&rules.resolve(&case.params));
    if got == case.expected {
        return Ok(());
    }
    let mut diff = String::new();
    for line in &case.expected {
        let mark = if got.contains(line) { ' ' } else { '-' };
        diff.push_str(&format!("  {mark} {line}\n"));
    }
    for line in got.iter().filter(|line| !case.expected.contains(line)) {
        diff.push_str(&format!("  + {line}\n"));
    }
    Err(diff)
}

/// The result of one case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseResult {
    /// The case's documentation.
    pub documentation: String,
    /// `Err` holds the diff, or why the case could not be read.
    pub outcome: Result<(), String>,
}

/// Runs every case of an `endpointTests` value (`{"testCases": [...]}`)
/// against the rule set `rules` (the `endpointRuleSet` value). An
/// unparseable rule set is an `Err`; an unreadable case is a failed case.
pub fn run_tests(rules: &Value, tests: &Value) -> Result<Vec<CaseResult>, String> {
    let rules = RuleSet::parse(&rules.to_string()).map_err(|e| e.to_string())?;
    let cases = tests
        .get("testCases")
        .and_then(Value::as_array)
        .ok_or("the endpoint tests have no `testCases` array")?;
    Ok(cases
        .iter()
        .map(|case| match EndpointCase::from_json(case) {
            Ok(parsed) => CaseResult {
                outcome: check_case(&rules, &parsed),
                documentation: parsed.documentation,
            },
            Err(e) => CaseResult {
                documentation: case
                    .get("documentation")
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_string(),
                outcome: Err(format!("  unreadable case: {e}\n")),
            },
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn rules() -> Value {
        json!({"version": "1.0",
            "parameters": {"Region": {"type": "string", "builtIn": "AWS::Region", "required": true}},
            "rules": [{"conditions": [], "type": "endpoint", "endpoint": {
                "url": "https://x.{Region}.example",
                "headers": {"h": ["1", "2"]},
                "properties": {"authSchemes": [{"name": "sigv4", "signingRegion": "{Region}"}]}}}]})
    }

    #[test]
    fn a_matching_case_passes_and_a_wrong_one_shows_a_diff() {
        let tests = json!({"testCases": [
            {"documentation": "right", "params": {"Region": "us-east-1"}, "expect": {"endpoint": {
                "url": "https://x.us-east-1.example", "headers": {"h": ["1", "2"]},
                "properties": {"authSchemes": [{"signingRegion": "us-east-1", "name": "sigv4"}]}}}},
            {"documentation": "wrong url", "params": {"Region": "us-east-1"},
             "expect": {"endpoint": {"url": "https://y.us-east-1.example"}}},
            {"documentation": "no expect", "params": {}},
        ]});
        let results = run_tests(&rules(), &tests).unwrap();
        assert_eq!(results[0].outcome, Ok(()));
        let diff = results[1].outcome.clone().unwrap_err();
        assert!(
            diff.contains("  - url: https://y.us-east-1.example\n"),
            "{diff}"
        );
        assert!(
            diff.contains("  + url: https://x.us-east-1.example\n"),
            "{diff}"
        );
        assert!(diff.contains("  + header h: 1, 2\n"), "{diff}");
        assert!(results[2]
            .outcome
            .clone()
            .unwrap_err()
            .contains("no `expect`"));
    }

    #[test]
    fn an_unexpected_error_is_a_failure() {
        let tests = json!({"testCases": [
            {"documentation": "missing region", "params": {}, "expect": {"error": "other"}}]});
        let results = run_tests(&rules(), &tests).unwrap();
        let diff = results[0].outcome.clone().unwrap_err();
        assert!(diff.contains("  - error: other\n"), "{diff}");
        assert!(
            diff.contains("  + error: missing required endpoint parameter `Region`"),
            "{diff}"
        );
    }
}
