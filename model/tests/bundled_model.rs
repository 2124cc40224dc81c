//! The bundled model (`bundled/bedrock-agentcore.json`) must agree with the
//! real Bedrock AgentCore model on every shape, member, target and trait of the
//! closure of `GetResourceOauth2Token`; only the documentation differs (it is
//! written in our own words).
//!
//! This test deliberately uses only `serde`/`serde_json`, not the
//! `opgen-model` API, so that it checks the file independently of the loader.

use std::collections::BTreeSet;
use std::fmt;

use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::Value;

const BUNDLED: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/bundled/bedrock-agentcore.json"
);
const REAL: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../shared/models/bedrock-agentcore/2025-10-13.json"
);

const SERVICE: &str = "com.amazonaws.bedrockagentcore#AmazonBedrockAgentCore";
const OPERATION: &str = "com.amazonaws.bedrockagentcore#GetResourceOauth2Token";
const DOC: &str = "smithy.api#documentation";
const PRELUDE: &str = "smithy.api#";

/// A JSON value that keeps the order of object keys (the workspace's
/// `serde_json` has no `preserve_order`, and member order matters in Smithy).
#[derive(Clone, Debug, PartialEq)]
enum Json {
    Null,
    Bool(bool),
    Number(serde_json::Number),
    String(String),
    Array(Vec<Json>),
    Object(Vec<(String, Json)>),
}

impl<'de> Deserialize<'de> for Json {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct JsonVisitor;

        impl<'de> Visitor<'de> for JsonVisitor {
            type Value = Json;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_unit<E>(self) -> Result<Json, E> {
                Ok(Json::Null)
            }
            fn visit_bool<E>(self, v: bool) -> Result<Json, E> {
                Ok(Json::Bool(v))
            }
            fn visit_u64<E>(self, v: u64) -> Result<Json, E> {
                Ok(Json::Number(v.into()))
            }
            fn visit_i64<E>(self, v: i64) -> Result<Json, E> {
                Ok(Json::Number(v.into()))
            }
            fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Json, E> {
                serde_json::Number::from_f64(v)
                    .map(Json::Number)
                    .ok_or_else(|| E::custom("non-finite number"))
            }
            fn visit_str<E>(self, v: &str) -> Result<Json, E> {
                Ok(Json::String(v.to_owned()))
            }
            fn visit_string<E>(self, v: String) -> Result<Json, E> {
                Ok(Json::String(v))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Json, A::Error> {
                let mut items = Vec::new();
                while let Some(item) = seq.next_element()? {
                    items.push(item);
                }
                Ok(Json::Array(items))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Json, A::Error> {
                let mut entries: Vec<(String, Json)> = Vec::new();
                while let Some((key, value)) = map.next_entry::<String, Json>()? {
                    if entries.iter().any(|(k, _)| *k == key) {
                        return Err(serde::de::Error::custom(format!("duplicate key {key:?}")));
                    }
                    entries.push((key, value));
                }
                Ok(Json::Object(entries))
            }
        }

        deserializer.deserialize_any(JsonVisitor)
    }
}

impl Json {
    fn get(&self, key: &str) -> Option<&Json> {
        match self {
            Json::Object(entries) => entries.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    fn get_mut(&mut self, key: &str) -> Option<&mut Json> {
        match self {
            Json::Object(entries) => entries.iter_mut().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    fn entries(&self) -> &[(String, Json)] {
        match self {
            Json::Object(entries) => entries,
            _ => &[],
        }
    }

    fn keys(&self) -> Vec<&str> {
        self.entries().iter().map(|(k, _)| k.as_str()).collect()
    }

    fn as_str(&self) -> Option<&str> {
        match self {
            Json::String(s) => Some(s),
            _ => None,
        }
    }

    fn as_array(&self) -> &[Json] {
        match self {
            Json::Array(items) => items,
            _ => &[],
        }
    }

    fn target(&self) -> Option<&str> {
        self.get("target").and_then(Json::as_str)
    }

    /// Plain `serde_json::Value` (object key order no longer matters).
    fn to_value(&self) -> Value {
        match self {
            Json::Null => Value::Null,
            Json::Bool(b) => Value::Bool(*b),
            Json::Number(n) => Value::Number(n.clone()),
            Json::String(s) => Value::String(s.clone()),
            Json::Array(items) => Value::Array(items.iter().map(Json::to_value).collect()),
            Json::Object(entries) => Value::Object(
                entries
                    .iter()
                    .map(|(k, v)| (k.clone(), v.to_value()))
                    .collect(),
            ),
        }
    }
}

fn parse(path: &str, text: &str) -> Json {
    let mut de = serde_json::Deserializer::from_str(text);
    let json = Json::deserialize(&mut de).unwrap_or_else(|e| panic!("{path}: {e}"));
    de.end().unwrap_or_else(|e| panic!("{path}: {e}"));
    json
}

fn load(path: &str) -> Json {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    parse(path, &text)
}

/// The real model, or `None` (with a message) when `../shared` is absent.
fn load_real() -> Option<Json> {
    if !std::path::Path::new(REAL).exists() {
        eprintln!("skipped: ../shared/models is absent");
        return None;
    }
    Some(load(REAL))
}

fn shapes(model: &Json) -> &Json {
    model.get("shapes").expect("model has no `shapes`")
}

/// Every shape reachable from `root` (root included), in discovery order,
/// following input/output/errors and member/key/value/members targets, but
/// not prelude (`smithy.api#`) shapes. Targets missing from the model are
/// reported in `missing`.
fn closure(shapes: &Json, root: &str, missing: &mut Vec<String>) -> Vec<String> {
    let mut seen: Vec<String> = Vec::new();
    let mut stack = vec![root.to_owned()];
    while let Some(id) = stack.pop() {
        if id.starts_with(PRELUDE) || seen.contains(&id) {
            continue;
        }
        let Some(shape) = shapes.get(&id) else {
            missing.push(id);
            continue;
        };
        seen.push(id.clone());
        let mut targets: Vec<&str> = Vec::new();
        for key in ["input", "output", "member", "key", "value"] {
            targets.extend(shape.get(key).and_then(Json::target));
        }
        if let Some(errors) = shape.get("errors") {
            targets.extend(errors.as_array().iter().filter_map(Json::target));
        }
        if let Some(members) = shape.get("members") {
            targets.extend(members.entries().iter().filter_map(|(_, m)| m.target()));
        }
        stack.extend(targets.into_iter().rev().map(str::to_owned));
    }
    seen
}

/// Whitespace- and case-insensitive form of a documentation text, so that a
/// copy with cosmetic changes still counts as a copy.
fn normalize_doc(doc: &str) -> String {
    doc.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// Compares the traits of `theirs` and `ours` (a shape or a member, named
/// `what`): equal as JSON values once documentation is removed; where they
/// document, we document too, in other words.
fn compare_traits(what: &str, theirs: &Json, ours: &Json, diffs: &mut Vec<String>) {
    let empty = Json::Object(Vec::new());
    let theirs = theirs.get("traits").unwrap_or(&empty);
    let ours = ours.get("traits").unwrap_or(&empty);

    let mut names: BTreeSet<&str> = theirs.keys().into_iter().collect();
    names.extend(ours.keys());
    for name in names {
        if name == DOC {
            continue;
        }
        match (theirs.get(name), ours.get(name)) {
            (Some(t), Some(o)) => {
                let (t, o) = (t.to_value(), o.to_value());
                if t != o {
                    diffs.push(format!(
                        "{what}: trait {name} differs: real {t}, bundled {o}"
                    ));
                }
            }
            (Some(t), None) => {
                diffs.push(format!(
                    "{what}: trait {name} is missing (real: {})",
                    t.to_value()
                ));
            }
            (None, Some(o)) => {
                diffs.push(format!(
                    "{what}: trait {name} is not in the real model (bundled: {})",
                    o.to_value()
                ));
            }
            (None, None) => unreachable!(),
        }
    }

    match (theirs.get(DOC), ours.get(DOC)) {
        (Some(t), Some(o)) => match (t.as_str(), o.as_str()) {
            (Some(t), Some(o)) => {
                if o.trim().is_empty() {
                    diffs.push(format!("{what}: {DOC} is empty"));
                } else if normalize_doc(t) == normalize_doc(o) {
                    diffs.push(format!(
                        "{what}: {DOC} is the real model's text, not our own words"
                    ));
                } else if t.trim_start().starts_with('<') && !o.trim_start().starts_with('<') {
                    diffs.push(format!("{what}: {DOC} is not HTML like the real model's"));
                }
            }
            _ => diffs.push(format!("{what}: {DOC} is not a string")),
        },
        (Some(_), None) => diffs.push(format!("{what}: {DOC} is missing")),
        (None, Some(o)) => {
            if o.as_str().is_none_or(|s| s.trim().is_empty()) {
                diffs.push(format!("{what}: {DOC} is empty or not a string"));
            }
        }
        (None, None) => {}
    }
}

/// Compares a member (also a list `member` or a map `key`/`value`).
fn compare_member(what: &str, theirs: &Json, ours: &Json, diffs: &mut Vec<String>) {
    let (t, o) = (theirs.target(), ours.target());
    if t != o {
        diffs.push(format!("{what}: target differs: real {t:?}, bundled {o:?}"));
    }
    compare_other_keys(what, theirs, ours, &["target", "traits"], diffs);
    compare_traits(what, theirs, ours, diffs);
}

/// Compares, as JSON values, the keys of two objects that are not in `skip`.
fn compare_other_keys(
    what: &str,
    theirs: &Json,
    ours: &Json,
    skip: &[&str],
    diffs: &mut Vec<String>,
) {
    let mut keys: BTreeSet<&str> = theirs.keys().into_iter().collect();
    keys.extend(ours.keys());
    for key in keys.into_iter().filter(|k| !skip.contains(k)) {
        let t = theirs.get(key).map(Json::to_value);
        let o = ours.get(key).map(Json::to_value);
        if t != o {
            let show = |v: &Option<Value>| v.as_ref().map_or("absent".to_owned(), Value::to_string);
            diffs.push(format!(
                "{what}: `{key}` differs: real {}, bundled {}",
                show(&t),
                show(&o)
            ));
        }
    }
}

fn compare_shape(id: &str, theirs: &Json, ours: &Json, diffs: &mut Vec<String>) {
    let (tt, ot) = (theirs.get("type"), ours.get("type"));
    if tt != ot {
        diffs.push(format!(
            "{id}: type differs: real {:?}, bundled {:?}",
            tt.and_then(Json::as_str),
            ot.and_then(Json::as_str)
        ));
    }

    let skip = ["type", "traits", "members", "member", "key", "value"];
    compare_other_keys(id, theirs, ours, &skip, diffs);

    let empty = Json::Object(Vec::new());
    let (tm, om) = (
        theirs.get("members").unwrap_or(&empty),
        ours.get("members").unwrap_or(&empty),
    );
    if tm.keys() != om.keys() {
        diffs.push(format!(
            "{id}: member names or order differ: real {:?}, bundled {:?}",
            tm.keys(),
            om.keys()
        ));
    }
    for (name, t) in tm.entries() {
        if let Some(o) = om.get(name) {
            compare_member(&format!("{id}${name}"), t, o, diffs);
        }
    }

    for key in ["member", "key", "value"] {
        match (theirs.get(key), ours.get(key)) {
            (Some(t), Some(o)) => compare_member(&format!("{id}${key}"), t, o, diffs),
            (Some(_), None) => diffs.push(format!("{id}: `{key}` is missing")),
            (None, Some(_)) => diffs.push(format!("{id}: `{key}` is not in the real model")),
            (None, None) => {}
        }
    }

    compare_traits(id, theirs, ours, diffs);
}

fn compare_service(theirs: &Json, ours: &Json, diffs: &mut Vec<String>) {
    let id = SERVICE;
    if ours.get("type").and_then(Json::as_str) != Some("service") {
        diffs.push(format!("{id}: type is not `service`"));
    }
    let (tv, ov) = (theirs.get("version"), ours.get("version"));
    if tv.is_none() || tv != ov {
        diffs.push(format!(
            "{id}: version differs: real {:?}, bundled {:?}",
            tv.and_then(Json::as_str),
            ov.and_then(Json::as_str)
        ));
    }
    let operations: Vec<Option<&str>> = ours
        .get("operations")
        .map(|ops| ops.as_array().iter().map(Json::target).collect())
        .unwrap_or_default();
    if operations != [Some(OPERATION)] {
        diffs.push(format!(
            "{id}: operations should be exactly [{OPERATION}], bundled {operations:?}"
        ));
    }
    let real_ops = theirs
        .get("operations")
        .map(Json::as_array)
        .unwrap_or_default();
    if !real_ops.iter().any(|op| op.target() == Some(OPERATION)) {
        diffs.push(format!("{id}: the real model's service lacks {OPERATION}"));
    }
    // Anything else a service may carry (resources, errors, rename, ...) would
    // pull in shapes outside the closure: the bundled service has none of it.
    for key in ours.keys() {
        if !["type", "version", "operations", "traits"].contains(&key) {
            diffs.push(format!("{id}: unexpected `{key}` in the bundled service"));
        }
    }
    compare_traits(id, theirs, ours, diffs);
}

/// All the differences between the bundled model and the real one; empty
/// when they agree.
fn differences(real: &Json, bundled: &Json) -> Vec<String> {
    let mut diffs = Vec::new();
    if bundled.get("smithy").and_then(Json::as_str) != Some("2.0") {
        diffs.push("bundled model: `smithy` is not \"2.0\"".to_owned());
    }
    let (real_shapes, ours) = (shapes(real), shapes(bundled));

    let mut missing = Vec::new();
    let expected = closure(real_shapes, OPERATION, &mut missing);
    for id in missing {
        diffs.push(format!("real model: target {id} is not defined"));
    }

    let mut expected_ids: BTreeSet<&str> = expected.iter().map(String::as_str).collect();
    expected_ids.insert(SERVICE);
    let ours_ids: BTreeSet<&str> = ours.keys().into_iter().collect();
    for id in expected_ids.difference(&ours_ids) {
        diffs.push(format!("{id}: missing from the bundled model"));
    }
    for id in ours_ids.difference(&expected_ids) {
        diffs.push(format!(
            "{id}: in the bundled model but not in the closure of {OPERATION}"
        ));
    }

    match (real_shapes.get(SERVICE), ours.get(SERVICE)) {
        (Some(t), Some(o)) => compare_service(t, o, &mut diffs),
        (None, _) => diffs.push(format!("{SERVICE}: missing from the real model")),
        (_, None) => {} // already reported
    }
    for id in &expected {
        if let (Some(t), Some(o)) = (real_shapes.get(id), ours.get(id)) {
            compare_shape(id, t, o, &mut diffs);
        }
    }
    diffs
}

fn assert_no_differences(diffs: &[String]) {
    assert!(
        diffs.is_empty(),
        "the bundled model disagrees with the real model in {} place(s):\n  {}",
        diffs.len(),
        diffs.join("\n  ")
    );
}

#[test]
fn bundled_model_agrees_with_real_model() {
    let bundled = load(BUNDLED);

    // Layout rules of the file itself (these need no real model).
    let ids = shapes(&bundled).keys();
    let mut sorted = ids.clone();
    sorted.sort_unstable();
    assert_eq!(ids, sorted, "bundled shapes must be sorted by shape id");

    let Some(real) = load_real() else { return };
    let diffs = differences(&real, &bundled);
    assert_no_differences(&diffs);

    let mut ids = shapes(&bundled).keys();
    ids.retain(|id| *id != SERVICE);
    eprintln!(
        "bundled model agrees with the real model on {} closure shapes + the service",
        ids.len()
    );
}

/// The comparison must be able to fail: each alteration of a correct copy is
/// reported, naming the shape and the member or trait that differs.
#[test]
fn altered_copies_are_detected() {
    let bundled = load(BUNDLED);
    let Some(real) = load_real() else { return };
    assert_no_differences(&differences(&real, &bundled));

    const REQUEST: &str = "com.amazonaws.bedrockagentcore#GetResourceOauth2TokenRequest";
    const THROTTLING: &str = "com.amazonaws.bedrockagentcore#ThrottlingException";
    const SCOPES_LIST: &str = "com.amazonaws.bedrockagentcore#ScopesListType";
    const FLOW: &str = "com.amazonaws.bedrockagentcore#Oauth2FlowType";

    fn shape_mut<'a>(model: &'a mut Json, id: &str) -> &'a mut Json {
        model
            .get_mut("shapes")
            .and_then(|s| s.get_mut(id))
            .unwrap_or_else(|| panic!("{id} not in the bundled model"))
    }
    fn traits_mut(node: &mut Json) -> &mut Vec<(String, Json)> {
        match node.get_mut("traits") {
            Some(Json::Object(entries)) => entries,
            _ => panic!("no traits"),
        }
    }
    fn members_mut(node: &mut Json) -> &mut Vec<(String, Json)> {
        match node.get_mut("members") {
            Some(Json::Object(entries)) => entries,
            _ => panic!("no members"),
        }
    }
    fn real_doc(real: &Json, id: &str, member: &str) -> Json {
        shapes(real)
            .get(id)
            .and_then(|s| s.get("members"))
            .and_then(|m| m.get(member))
            .and_then(|m| m.get("traits"))
            .and_then(|t| t.get(DOC))
            .cloned()
            .expect("real documentation")
    }

    type Alteration = Box<dyn Fn(&mut Json, &Json)>;
    let cases: Vec<(&str, Alteration, &str)> = vec![
        (
            "member target changed",
            Box::new(|m, _| {
                let scopes = shape_mut(m, REQUEST).get_mut("members").unwrap();
                let scopes = scopes.get_mut("scopes").unwrap();
                *scopes.get_mut("target").unwrap() = Json::String("smithy.api#String".into());
            }),
            "GetResourceOauth2TokenRequest$scopes: target differs",
        ),
        (
            "members reordered",
            Box::new(|m, _| members_mut(shape_mut(m, REQUEST)).swap(0, 1)),
            "GetResourceOauth2TokenRequest: member names or order differ",
        ),
        (
            "member removed",
            Box::new(|m, _| {
                members_mut(shape_mut(m, REQUEST)).retain(|(k, _)| k != "customState");
            }),
            "GetResourceOauth2TokenRequest: member names or order differ",
        ),
        (
            "member trait removed",
            Box::new(|m, _| {
                let member = shape_mut(m, REQUEST).get_mut("members").unwrap();
                let member = member.get_mut("oauth2Flow").unwrap();
                traits_mut(member).retain(|(k, _)| k != "smithy.api#required");
            }),
            "GetResourceOauth2TokenRequest$oauth2Flow: trait smithy.api#required is missing",
        ),
        (
            "shape trait added",
            Box::new(|m, _| {
                traits_mut(shape_mut(m, THROTTLING))
                    .push(("smithy.api#retryable".into(), Json::Object(Vec::new())));
            }),
            "ThrottlingException: trait smithy.api#retryable is not in the real model",
        ),
        (
            "shape trait value changed",
            Box::new(|m, _| {
                let code = traits_mut(shape_mut(m, THROTTLING))
                    .iter_mut()
                    .find(|(k, _)| k == "smithy.api#httpError")
                    .unwrap();
                code.1 = Json::Number(503.into());
            }),
            "ThrottlingException: trait smithy.api#httpError differs",
        ),
        (
            "list member target changed",
            Box::new(|m, _| {
                let member = shape_mut(m, SCOPES_LIST).get_mut("member").unwrap();
                *member.get_mut("target").unwrap() = Json::String("smithy.api#String".into());
            }),
            "ScopesListType$member: target differs",
        ),
        (
            "enum value changed",
            Box::new(|m, _| {
                let member = shape_mut(m, FLOW).get_mut("members").unwrap();
                let member = member.get_mut("M2M").unwrap();
                traits_mut(member)[0].1 = Json::String("m2m".into());
            }),
            "Oauth2FlowType$M2M: trait smithy.api#enumValue differs",
        ),
        (
            "shape type changed",
            Box::new(|m, _| {
                *shape_mut(m, FLOW).get_mut("type").unwrap() = Json::String("string".into());
            }),
            "Oauth2FlowType: type differs",
        ),
        (
            "documentation removed",
            Box::new(|m, _| {
                let member = shape_mut(m, REQUEST).get_mut("members").unwrap();
                let member = member.get_mut("scopes").unwrap();
                traits_mut(member).retain(|(k, _)| k != DOC);
            }),
            "GetResourceOauth2TokenRequest$scopes: smithy.api#documentation is missing",
        ),
        (
            "documentation copied from the real model",
            Box::new(|m, real| {
                let doc = real_doc(real, REQUEST, "customState");
                let member = shape_mut(m, REQUEST).get_mut("members").unwrap();
                let member = member.get_mut("customState").unwrap();
                *member.get_mut("traits").unwrap().get_mut(DOC).unwrap() = doc;
            }),
            "GetResourceOauth2TokenRequest$customState: smithy.api#documentation is the real model's text",
        ),
        (
            "shape removed",
            Box::new(|m, _| match m.get_mut("shapes") {
                Some(Json::Object(entries)) => entries.retain(|(k, _)| k != SCOPES_LIST),
                _ => unreachable!(),
            }),
            "ScopesListType: missing from the bundled model",
        ),
        (
            "extra shape",
            Box::new(|m, _| match m.get_mut("shapes") {
                Some(Json::Object(entries)) => entries.push((
                    "com.amazonaws.bedrockagentcore#Extra".into(),
                    Json::Object(vec![("type".into(), Json::String("string".into()))]),
                )),
                _ => unreachable!(),
            }),
            "bedrockagentcore#Extra: in the bundled model but not in the closure",
        ),
        (
            "service operation added",
            Box::new(|m, _| {
                let svc = shape_mut(m, SERVICE);
                if let Some(Json::Array(ops)) = svc.get_mut("operations") {
                    ops.push(Json::Object(vec![(
                        "target".into(),
                        Json::String("com.amazonaws.bedrockagentcore#GetResourceApiKey".into()),
                    )]));
                }
            }),
            "AmazonBedrockAgentCore: operations should be exactly",
        ),
        (
            "endpoint rule changed",
            Box::new(|m, _| {
                let svc = shape_mut(m, SERVICE);
                let rules = traits_mut(svc)
                    .iter_mut()
                    .find(|(k, _)| k == "smithy.rules#endpointRuleSet")
                    .unwrap();
                *rules.1.get_mut("version").unwrap() = Json::String("9.9".into());
            }),
            "AmazonBedrockAgentCore: trait smithy.rules#endpointRuleSet differs",
        ),
        (
            "service version changed",
            Box::new(|m, _| {
                *shape_mut(m, SERVICE).get_mut("version").unwrap() =
                    Json::String("2025-10-13".into());
            }),
            "AmazonBedrockAgentCore: version differs",
        ),
    ];

    let mut failures = Vec::new();
    for (name, alter, expected) in &cases {
        let mut altered = bundled.clone();
        alter(&mut altered, &real);
        assert_ne!(altered, bundled, "case {name:?} did not alter the model");
        let diffs = differences(&real, &altered);
        if !diffs.iter().any(|d| d.contains(expected)) {
            failures.push(format!(
                "case {name:?}: expected a difference containing {expected:?}, got {diffs:?}"
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
