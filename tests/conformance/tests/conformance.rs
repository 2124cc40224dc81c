//! Runs every conformance case of `../shared/conformance` of each protocol
//! opgen speaks through the code opgen generated for its model: requests are
//! compared with the expected HTTP request, responses parsed and compared
//! with the expected output or error. Each protocol ends with
//! `conformance PROTOCOL: N passed, N failed, N skipped`.

use bytes::Bytes;
use opgen::__private::cbor;
use opgen_conformance::{CaseValue, InputCase, OutputCase};
use opgen_model::{ShapeGraph, ShapeId, ShapeKind};
use serde_json::{Map, Value};
use std::collections::BTreeMap;
use std::path::PathBuf;

/// Cases we deliberately do not pass yet, each with the protocol and the
/// reason.
const SKIPS: &[(&str, &str, &str)] = &[];

fn load(protocol: &str, file: &str) -> Vec<Value> {
    let path = PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/conformance"
    ))
    .join(protocol)
    .join(file);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let file: Value = serde_json::from_str(&text).unwrap();
    file["cases"].as_array().cloned().unwrap()
}

/// How a protocol writes the case's values.
#[derive(Clone, Copy)]
enum Wire {
    /// JSON; `json_names`: whether keys honour `@jsonName` (restJson1;
    /// awsJson ignores it).
    Json { json_names: bool },
    /// CBOR (rpcv2Cbor).
    Cbor,
    /// XML (restXml).
    Xml,
}

/// The case's value in the protocol's body format.
fn case_value(wire: Wire, graph: &ShapeGraph, target: &ShapeId, value: &Value) -> CaseValue {
    match wire {
        Wire::Json { .. } => CaseValue::Json(to_wire(wire, graph, target, value)),
        Wire::Cbor => CaseValue::Cbor(to_cbor(graph, target, value)),
        Wire::Xml => {
            let mut out = String::new();
            xml_element(graph, "Value", target, None, value, &mut out);
            CaseValue::Xml(out)
        }
    }
}

fn xml_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\r', "&#xD;")
}

/// The element `name` holding the case's `value` of shape `target` as
/// restXml puts it on the wire (`member` is the member that holds it, for
/// its `@timestampFormat`), so that the generated `FromXml` reads it back.
fn xml_element(
    graph: &ShapeGraph,
    name: &str,
    target: &ShapeId,
    member: Option<&opgen_model::Member>,
    value: &Value,
    out: &mut String,
) {
    out.push('<');
    out.push_str(name);
    let shape = graph.shape(target);
    if let (Some(shape), Value::Object(object)) = (shape, value) {
        if shape.kind == ShapeKind::Structure {
            for (key, v) in object {
                let Some(m) = shape.member(key).filter(|m| m.traits.xml_attribute()) else {
                    continue;
                };
                if !v.is_null() {
                    let text = xml_scalar(graph, &m.target, Some(m), v);
                    let attr = m.traits.xml_name().unwrap_or(&m.name);
                    out.push_str(&format!(" {attr}=\"{}\"", xml_escape(&text)));
                }
            }
        }
    }
    out.push('>');
    let Some(shape) = shape else {
        out.push_str(&xml_escape(&value.to_string()));
        out.push_str(&format!("</{name}>"));
        return;
    };
    let item_name =
        |m: &opgen_model::Member, default: &str| m.traits.xml_name().unwrap_or(default).to_string();
    match (shape.kind, value) {
        (ShapeKind::Structure | ShapeKind::Union, Value::Object(object)) => {
            for (key, v) in object {
                let Some(m) = shape.member(key) else { continue };
                if v.is_null() || m.traits.xml_attribute() {
                    continue;
                }
                let element = item_name(m, &m.name);
                let inner = graph.shape(&m.target);
                match (inner, v) {
                    (Some(list), Value::Array(items))
                        if m.traits.xml_flattened()
                            && matches!(list.kind, ShapeKind::List | ShapeKind::Set) =>
                    {
                        for item in items {
                            xml_element(graph, &element, &list.members[0].target, None, item, out);
                        }
                    }
                    (Some(map), Value::Object(entries))
                        if m.traits.xml_flattened() && map.kind == ShapeKind::Map =>
                    {
                        let (k, vm) = (&map.members[0], &map.members[1]);
                        for (key, v) in entries {
                            out.push_str(&format!("<{element}>"));
                            xml_element(
                                graph,
                                &item_name(k, "key"),
                                &k.target,
                                None,
                                &Value::String(key.clone()),
                                out,
                            );
                            xml_element(graph, &item_name(vm, "value"), &vm.target, None, v, out);
                            out.push_str(&format!("</{element}>"));
                        }
                    }
                    _ => xml_element(graph, &element, &m.target, Some(m), v, out),
                }
            }
        }
        (ShapeKind::List | ShapeKind::Set, Value::Array(items)) => {
            let item = &shape.members[0];
            for v in items {
                xml_element(
                    graph,
                    &item_name(item, "member"),
                    &item.target,
                    None,
                    v,
                    out,
                );
            }
        }
        (ShapeKind::Map, Value::Object(entries)) => {
            let (k, vm) = (&shape.members[0], &shape.members[1]);
            for (key, v) in entries {
                out.push_str("<entry>");
                xml_element(
                    graph,
                    &item_name(k, "key"),
                    &k.target,
                    None,
                    &Value::String(key.clone()),
                    out,
                );
                xml_element(graph, &item_name(vm, "value"), &vm.target, None, v, out);
                out.push_str("</entry>");
            }
        }
        (_, Value::Null) => {}
        _ => out.push_str(&xml_escape(&xml_scalar(graph, target, member, value))),
    }
    out.push_str(&format!("</{name}>"));
}

/// The text of a scalar case value: timestamps in the member's or target's
/// format (XML's default `date-time`), blobs in base64.
fn xml_scalar(
    graph: &ShapeGraph,
    target: &ShapeId,
    member: Option<&opgen_model::Member>,
    value: &Value,
) -> String {
    let shape = graph.shape(target);
    match (shape.map(|s| s.kind), value) {
        (Some(ShapeKind::Blob), Value::String(raw)) => {
            opgen::__private::json::base64_encode(raw.as_bytes())
        }
        (Some(ShapeKind::Timestamp), Value::Number(n)) => {
            use opgen_model::TimestampFormat as F;
            let format = member
                .and_then(|m| m.traits.timestamp_format())
                .or_else(|| shape.and_then(|s| s.traits.timestamp_format()))
                .unwrap_or(F::DateTime);
            let seconds = n.as_f64().unwrap_or_default();
            let whole = seconds.floor();
            let millis = ((seconds - whole) * 1000.0).round() as u32;
            let time = opgen::DateTime::from_secs_and_nanos(whole as i64, millis * 1_000_000);
            match format {
                F::EpochSeconds => n.to_string(),
                F::HttpDate => time.fmt_http_date(),
                F::DateTime => time.fmt_date_time(),
            }
        }
        (_, Value::String(text)) => text.clone(),
        (_, other) => other.to_string(),
    }
}

/// The case's value (conventions of the conformance README) as the CBOR
/// data item rpcv2Cbor puts on the wire: blobs as byte strings, timestamps
/// as tag 1, float specials as floats.
fn to_cbor(graph: &ShapeGraph, target: &ShapeId, value: &Value) -> cbor::Value {
    let Some(shape) = graph.shape(target) else {
        return cbor::from_json(value);
    };
    let element = |name: &str| shape.member(name).map(|m| m.target.clone());
    match (shape.kind, value) {
        (_, Value::Null) => cbor::Value::Null,
        (ShapeKind::Structure | ShapeKind::Union, Value::Object(object)) => cbor::Value::Map(
            object
                .iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(name, v)| {
                    let value = match shape.member(name) {
                        Some(member) => to_cbor(graph, &member.target, v),
                        None => cbor::from_json(v),
                    };
                    (name.clone(), value)
                })
                .collect(),
        ),
        (ShapeKind::List | ShapeKind::Set, Value::Array(items)) => {
            let item = element("member");
            cbor::Value::Array(
                items
                    .iter()
                    .map(|i| match &item {
                        Some(t) => to_cbor(graph, t, i),
                        None => cbor::from_json(i),
                    })
                    .collect(),
            )
        }
        (ShapeKind::Map, Value::Object(entries)) => {
            let item = element("value");
            cbor::Value::Map(
                entries
                    .iter()
                    .map(|(k, v)| {
                        let value = match &item {
                            Some(t) => to_cbor(graph, t, v),
                            None => cbor::from_json(v),
                        };
                        (k.clone(), value)
                    })
                    .collect(),
            )
        }
        (ShapeKind::Blob, Value::String(raw)) => cbor::Value::Bytes(raw.as_bytes().to_vec()),
        (ShapeKind::Timestamp, Value::Number(n)) => cbor::Value::Tag(
            cbor::TAG_EPOCH_SECONDS,
            Box::new(cbor::Value::Float(n.as_f64().unwrap_or_default())),
        ),
        (ShapeKind::Float | ShapeKind::Double, Value::String(special)) => {
            cbor::Value::Float(match special.as_str() {
                "NaN" => f64::NAN,
                "Infinity" => f64::INFINITY,
                "-Infinity" => f64::NEG_INFINITY,
                _ => return cbor::from_json(value),
            })
        }
        (ShapeKind::Float | ShapeKind::Double, Value::Number(n)) => {
            cbor::Value::Float(n.as_f64().unwrap_or_default())
        }
        _ => cbor::from_json(value),
    }
}

/// CBOR data items equal by value: maps unordered (they decode sorted),
/// integers and floats of any width by value, NaN equal to NaN, floats
/// within `f32` rounding.
fn cbor_equal(a: &cbor::Value, b: &cbor::Value) -> bool {
    use cbor::Value as V;
    let float = |v: &V| match v {
        V::Float(f) => Some(*f),
        V::Integer(i) => Some(*i as f64),
        _ => None,
    };
    match (a, b) {
        (V::Integer(x), V::Integer(y)) => x == y,
        (V::Float(_) | V::Integer(_), V::Float(_) | V::Integer(_)) => {
            let (x, y) = (float(a).unwrap_or_default(), float(b).unwrap_or_default());
            x == y || (x.is_nan() && y.is_nan()) || (x as f32) == (y as f32)
        }
        (V::Array(x), V::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| cbor_equal(a, b))
        }
        (V::Map(x), V::Map(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| cbor_equal(v, w)))
        }
        (V::Tag(t, x), V::Tag(u, y)) => t == u && cbor_equal(x, y),
        _ => a == b,
    }
}

fn base64_field(spec: &Value, field: &str) -> Option<Vec<u8>> {
    spec[field]
        .as_str()
        .map(|text| opgen::__private::json::base64_decode(text).unwrap_or_default())
}

/// The case's value (conventions of the conformance README) in the JSON wire
/// form the generated `FromJson` reads: member (or `@jsonName`) keys, base64
/// blobs.
fn to_wire(wire: Wire, graph: &ShapeGraph, target: &ShapeId, value: &Value) -> Value {
    let Some(shape) = graph.shape(target) else {
        return value.clone();
    };
    match (shape.kind, value) {
        (ShapeKind::Structure | ShapeKind::Union, Value::Object(object)) => {
            let mut out = Map::new();
            for (name, v) in object {
                if v.is_null() {
                    continue;
                }
                match shape.member(name) {
                    Some(member) => {
                        let key = match member.traits.json_name() {
                            Some(name) if matches!(wire, Wire::Json { json_names: true }) => {
                                name.to_string()
                            }
                            _ => member.name.clone(),
                        };
                        out.insert(key, to_wire(wire, graph, &member.target, v));
                    }
                    None => {
                        out.insert(name.clone(), v.clone());
                    }
                }
            }
            Value::Object(out)
        }
        (ShapeKind::List | ShapeKind::Set, Value::Array(items)) => {
            let member = &shape.members[0].target;
            Value::Array(
                items
                    .iter()
                    .map(|i| {
                        if i.is_null() {
                            Value::Null
                        } else {
                            to_wire(wire, graph, member, i)
                        }
                    })
                    .collect(),
            )
        }
        (ShapeKind::Map, Value::Object(entries)) => {
            let member = &shape.members[1].target;
            Value::Object(
                entries
                    .iter()
                    .map(|(k, v)| {
                        (
                            k.clone(),
                            if v.is_null() {
                                Value::Null
                            } else {
                                to_wire(wire, graph, member, v)
                            },
                        )
                    })
                    .collect(),
            )
        }
        (ShapeKind::Blob, Value::String(raw)) => {
            Value::String(opgen::__private::json::base64_encode(raw.as_bytes()))
        }
        _ => value.clone(),
    }
}

fn case_graph(case: &Value) -> ShapeGraph {
    ShapeGraph::from_json("case", &case["model"].to_string()).unwrap()
}

fn header_value(value: &str) -> String {
    value.replace(", ", ",")
}

/// Differences between the serialized request and the expectation.
fn check_request(
    request: &http::Request<Bytes>,
    expected: &Value,
    unordered: &Unordered,
) -> Vec<String> {
    let mut problems = Vec::new();
    if request.method().as_str() != expected["method"] {
        problems.push(format!(
            "method {} != {}",
            request.method(),
            expected["method"]
        ));
    }
    let uri = request.uri();
    if uri.path() != expected["path"] {
        problems.push(format!("path {:?} != {}", uri.path(), expected["path"]));
    }
    let mut actual_query: Vec<String> = uri
        .query()
        .map(|q| {
            q.split('&')
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default();
    let mut expected_query: Vec<String> = expected["queryParams"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    actual_query.sort();
    expected_query.sort();
    if actual_query != expected_query {
        problems.push(format!("query {actual_query:?} != {expected_query:?}"));
    }
    if let Some(headers) = expected["headers"].as_object() {
        for (name, value) in headers {
            let want = header_value(value.as_str().unwrap_or_default());
            let got: Vec<String> = request
                .headers()
                .get_all(name.as_str())
                .iter()
                .map(|v| header_value(v.to_str().unwrap_or("<non-ascii>")))
                .collect();
            if got.join(",") != want {
                problems.push(format!("header {name}: {got:?} != {want:?}"));
            }
        }
    }
    for name in expected["forbidHeaders"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
    {
        if request.headers().contains_key(name) {
            problems.push(format!("forbidden header {name} is present"));
        }
    }
    for name in expected["requireHeaders"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
    {
        // Content-Length is set by the transport when it frames the body.
        if !request.headers().contains_key(name) && !name.eq_ignore_ascii_case("content-length") {
            problems.push(format!("required header {name} is absent"));
        }
    }
    if let Some(host) = expected["host"].as_str() {
        if uri.authority().map(|a| a.as_str()) != Some(host) {
            problems.push(format!("host {:?} != {host:?}", uri.authority()));
        }
    }
    if let Some(want) = base64_field(expected, "bodyBase64") {
        let actual = request.body();
        if want.is_empty() {
            if !actual.is_empty() {
                problems.push(format!("body {actual:?} != no body"));
            }
        } else {
            match (cbor::decode(actual), cbor::decode(&want)) {
                (Ok(got), Ok(want)) if cbor_equal(&got, &want) => {}
                (got, want) => problems.push(format!("CBOR body {got:?} != {want:?}")),
            }
        }
    }
    if let Some(body) = expected["body"].as_str() {
        let actual = request.body();
        if expected["bodyMediaType"] == "application/x-www-form-urlencoded" {
            let (got, want) = (form_pairs(actual), form_pairs(body.as_bytes()));
            if got != want {
                problems.push(format!("form body {got:?} != {want:?}"));
            }
        } else if expected["bodyMediaType"] == "application/json" {
            let want: Value = serde_json::from_str(body).unwrap_or(Value::Null);
            let got: Value = serde_json::from_slice(actual)
                .unwrap_or(Value::String(String::from_utf8_lossy(actual).into_owned()));
            if !json_equal(&got, &want) {
                problems.push(format!("body {got} != {want}"));
            }
        } else if expected["bodyMediaType"] == "application/xml" {
            let got = String::from_utf8_lossy(actual);
            match (xml_tree(&got), xml_tree(body)) {
                (Ok(g), Ok(w)) if xml_canonical(&g, unordered) == xml_canonical(&w, unordered) => {}
                (g, w) => problems.push(format!(
                    "XML body {got:?} != {body:?}\n    got      {}\n    expected {}",
                    g.map(|t| xml_canonical(&t, unordered))
                        .unwrap_or_else(|e| e),
                    w.map(|t| xml_canonical(&t, unordered))
                        .unwrap_or_else(|e| e),
                )),
            }
        } else if actual.as_ref() != body.as_bytes() {
            problems.push(format!(
                "body {:?} != {body:?}",
                String::from_utf8_lossy(actual)
            ));
        }
    }
    problems
}

/// Element names whose children (wrapped maps) or same-named sibling runs
/// (flattened maps) hold map entries: a map has no order, so those are
/// compared as multisets.
#[derive(Default)]
struct Unordered {
    children_of: std::collections::BTreeSet<String>,
    runs_of: std::collections::BTreeSet<String>,
}

fn unordered_elements(graph: &ShapeGraph) -> Unordered {
    let mut unordered = Unordered::default();
    for shape in graph.shapes() {
        for m in &shape.members {
            if graph
                .shape(&m.target)
                .is_some_and(|t| t.kind == ShapeKind::Map)
            {
                let name = m.traits.xml_name().unwrap_or(&m.name).to_string();
                if m.traits.xml_flattened() {
                    unordered.runs_of.insert(name);
                } else {
                    unordered.children_of.insert(name);
                }
            }
        }
    }
    unordered
}

/// An element of an XML body: qualified name, attributes, children, text.
struct XmlElement {
    namespace: String,
    local: String,
    attributes: std::collections::BTreeSet<(String, String, String)>,
    children: Vec<XmlElement>,
    text: String,
}

type OpenElement = (
    XmlElement,
    String,
    Vec<(String, String)>,
    Vec<(String, String, String)>,
);

/// Parses an XML document into its element tree, resolving namespaces;
/// `xmlns` declarations are not attributes.
fn xml_tree(text: &str) -> Result<XmlElement, String> {
    use xmlparser::{ElementEnd, Token, Tokenizer};
    // Open elements: the element, its prefix, its namespace bindings
    // (prefix, URI) and its attributes (prefix, local name, value), the
    // last two until the start tag ends.
    let mut stack: Vec<OpenElement> = Vec::new();
    let mut scopes: Vec<Vec<(String, String)>> = Vec::new();
    let resolve = |scopes: &[Vec<(String, String)>], prefix: &str| -> String {
        scopes
            .iter()
            .rev()
            .flat_map(|s| s.iter().rev())
            .find(|(p, _)| p == prefix)
            .map(|(_, uri)| uri.clone())
            .unwrap_or_default()
    };
    let mut root = None;
    for token in Tokenizer::from(text) {
        match token.map_err(|e| format!("invalid XML: {e}"))? {
            Token::ElementStart { prefix, local, .. } => stack.push((
                XmlElement {
                    namespace: String::new(),
                    local: local.to_string(),
                    attributes: Default::default(),
                    children: Vec::new(),
                    text: String::new(),
                },
                prefix.to_string(),
                Vec::new(),
                Vec::new(),
            )),
            Token::Attribute {
                prefix,
                local,
                value,
                ..
            } => {
                let Some(top) = stack.last_mut() else {
                    continue;
                };
                let value = unescape_xml(value.as_str());
                if prefix.as_str() == "xmlns" {
                    top.2.push((local.to_string(), value));
                } else if prefix.is_empty() && local.as_str() == "xmlns" {
                    top.2.push((String::new(), value));
                } else {
                    top.3.push((prefix.to_string(), local.to_string(), value));
                }
            }
            Token::ElementEnd { end, .. } => match end {
                ElementEnd::Open => {
                    let Some(top) = stack.last_mut() else {
                        continue;
                    };
                    scopes.push(std::mem::take(&mut top.2));
                    top.0.namespace = resolve(&scopes, &top.1);
                    for (prefix, local, value) in std::mem::take(&mut top.3) {
                        let ns = if prefix.is_empty() {
                            String::new()
                        } else {
                            resolve(&scopes, &prefix)
                        };
                        top.0.attributes.insert((ns, local, value));
                    }
                }
                ElementEnd::Close(..) | ElementEnd::Empty => {
                    let Some((mut element, prefix, bindings, attrs)) = stack.pop() else {
                        return Err("unbalanced XML".into());
                    };
                    if matches!(end, ElementEnd::Empty) {
                        scopes.push(bindings);
                        element.namespace = resolve(&scopes, &prefix);
                        for (prefix, local, value) in attrs {
                            let ns = if prefix.is_empty() {
                                String::new()
                            } else {
                                resolve(&scopes, &prefix)
                            };
                            element.attributes.insert((ns, local, value));
                        }
                    }
                    scopes.pop();
                    match stack.last_mut() {
                        Some(parent) => parent.0.children.push(element),
                        None => root = Some(element),
                    }
                }
            },
            Token::Text { text } => {
                if let Some(top) = stack.last_mut() {
                    top.0.text.push_str(&unescape_xml(text.as_str()));
                }
            }
            Token::Cdata { text, .. } => {
                if let Some(top) = stack.last_mut() {
                    top.0.text.push_str(text.as_str());
                }
            }
            _ => {}
        }
    }
    root.ok_or_else(|| "no root element".into())
}

fn unescape_xml(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        let Some(end) = rest[at..].find(';') else {
            break;
        };
        let entity = &rest[at + 1..at + end];
        let c = match entity {
            "lt" => Some('<'),
            "gt" => Some('>'),
            "amp" => Some('&'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            e if e.starts_with("#x") => u32::from_str_radix(&e[2..], 16)
                .ok()
                .and_then(char::from_u32),
            e if e.starts_with('#') => e[1..].parse().ok().and_then(char::from_u32),
            _ => None,
        };
        match c {
            Some(c) => out.push(c),
            None => out.push_str(&rest[at..at + end + 1]),
        }
        rest = &rest[at + end + 1..];
    }
    out.push_str(rest);
    out
}

/// A canonical text of an element: comparing two of these compares the
/// trees as the conformance README says (qualified names, attributes as a
/// set, children in order but map entries unordered, whitespace-only text
/// between elements ignored, leaf text exact).
fn xml_canonical(element: &XmlElement, unordered: &Unordered) -> String {
    let mut children: Vec<String> = element
        .children
        .iter()
        .map(|c| xml_canonical(c, unordered))
        .collect();
    if unordered.children_of.contains(&element.local) {
        children.sort();
    } else {
        let mut i = 0;
        while i < children.len() {
            let name = &element.children[i].local;
            let mut j = i + 1;
            while j < children.len() && &element.children[j].local == name {
                j += 1;
            }
            if unordered.runs_of.contains(name) {
                children[i..j].sort();
            }
            i = j;
        }
    }
    let text = if element.children.is_empty() || !element.text.trim().is_empty() {
        format!("{:?}", element.text)
    } else {
        String::new()
    };
    format!(
        "{{{}}}{}{:?}({}){}",
        element.namespace,
        element.local,
        element.attributes,
        children.join(","),
        text
    )
}

/// The pairs of a form body, percent-decoded (no `+` decoding: the README
/// says no body has `+` or spaces), as a sorted multiset.
fn form_pairs(body: &[u8]) -> Vec<(String, String)> {
    let text = String::from_utf8_lossy(body);
    let decode = |part: &str| {
        let mut out = Vec::new();
        let bytes = part.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            let hex = bytes
                .get(i + 1..i + 3)
                .and_then(|h| std::str::from_utf8(h).ok())
                .and_then(|h| u8::from_str_radix(h, 16).ok());
            match (bytes[i], hex) {
                (b'%', Some(byte)) => {
                    out.push(byte);
                    i += 3;
                }
                (byte, _) => {
                    out.push(byte);
                    i += 1;
                }
            }
        }
        String::from_utf8_lossy(&out).into_owned()
    };
    let mut pairs: Vec<(String, String)> = text
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            (decode(key), decode(value))
        })
        .collect();
    pairs.sort();
    pairs
}

/// JSON equality with numbers by value and f32 rounding allowed.
fn json_equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => {
            let (x, y) = (
                x.as_f64().unwrap_or(f64::NAN),
                y.as_f64().unwrap_or(f64::NAN),
            );
            x == y || (x as f32) == (y as f32)
        }
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| json_equal(a, b))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| json_equal(v, w)))
        }
        _ => a == b,
    }
}

fn run_input(wire: Wire, case: &Value, runner: &InputCase) -> Result<(), String> {
    let run = runner.run.map_err(|e| format!("generation failed: {e}"))?;
    let graph = case_graph(case);
    let op = graph
        .find_operation(case["operation"].as_str().unwrap())
        .unwrap();
    let params = match graph.shape(&op).and_then(|s| s.input.clone()) {
        Some(input) => case_value(wire, &graph, &input, &case["params"]),
        None => CaseValue::Json(Value::Object(Map::new())),
    };
    let endpoint = case["endpoint"].as_str().unwrap_or("https://example.com");
    let request = run(&params, endpoint)?;
    let problems = check_request(&request, &case["request"], &unordered_elements(&graph));
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("\n    "))
    }
}

fn run_output(wire: Wire, case: &Value, runner: &OutputCase) -> Result<(), String> {
    let run = runner.run.map_err(|e| format!("generation failed: {e}"))?;
    let graph = case_graph(case);
    let op = graph
        .find_operation(case["operation"].as_str().unwrap())
        .unwrap();
    let spec = &case["response"];
    let mut response =
        http::Response::builder().status(spec["status"].as_u64().unwrap_or(200) as u16);
    for (name, value) in spec["headers"].as_object().into_iter().flatten() {
        response = response.header(name.as_str(), value.as_str().unwrap_or_default());
    }
    let body = base64_field(spec, "bodyBase64").unwrap_or_else(|| {
        spec["body"]
            .as_str()
            .unwrap_or_default()
            .as_bytes()
            .to_vec()
    });
    let response = response
        .body(Bytes::from(body))
        .map_err(|e| e.to_string())?;
    let error = &case["error"];
    if error.is_object() {
        let shape = error["shape"]
            .as_str()
            .map(|s| s.rsplit('#').next().unwrap_or(s).to_string());
        let expected = match error["shape"].as_str().and_then(ShapeId::parse) {
            Some(id) => case_value(wire, &graph, &id, &error["params"]),
            None => CaseValue::Json(Value::Object(Map::new())),
        };
        let meta = run(response, &expected, shape.as_deref())?.ok_or("expected an error")?;
        if let Some(code) = error["code"].as_str() {
            if meta.code() != Some(code) {
                return Err(format!("error code {:?} != {code:?}", meta.code()));
            }
        }
        if let Some(message) = error["message"].as_str() {
            if meta.message() != Some(message) {
                return Err(format!("error message {:?} != {message:?}", meta.message()));
            }
        }
        Ok(())
    } else {
        let expected = match graph.shape(&op).and_then(|s| s.output.clone()) {
            Some(output) => case_value(wire, &graph, &output, &case["result"]),
            None => CaseValue::Json(Value::Object(Map::new())),
        };
        run(response, &expected, None).map(|_| ())
    }
}

/// Runs one protocol's cases and prints its summary line.
fn run_suite(
    protocol: &str,
    wire: Wire,
    available: bool,
    input_cases: &[InputCase],
    output_cases: &[OutputCase],
) {
    if !available {
        eprintln!("conformance {protocol}: skipped (../shared/conformance is absent)");
        return;
    }
    let skips: BTreeMap<&str, &str> = SKIPS
        .iter()
        .filter(|(p, _, _)| *p == protocol)
        .map(|(_, id, reason)| (*id, *reason))
        .collect();
    let (mut passed, mut failed, mut skipped) = (0, 0, 0);
    let mut failures = Vec::new();
    let inputs = load(protocol, "input.json");
    let outputs = load(protocol, "output.json");
    assert_eq!(inputs.len(), input_cases.len());
    assert_eq!(outputs.len(), output_cases.len());
    let results = inputs
        .iter()
        .zip(input_cases)
        .map(|(case, runner)| (runner.id, "input", run_input(wire, case, runner)))
        .chain(
            outputs
                .iter()
                .zip(output_cases)
                .map(|(case, runner)| (runner.id, "output", run_output(wire, case, runner))),
        );
    for (id, kind, result) in results {
        if let Some(reason) = skips.get(id) {
            // A skip must stay honest: a case that passes leaves the list.
            assert!(result.is_err(), "{id} passes now: remove it from SKIPS");
            skipped += 1;
            println!("skip {protocol} {kind} {id}: {reason}");
            continue;
        }
        match result {
            Ok(()) => passed += 1,
            Err(problem) => {
                failed += 1;
                failures.push(format!("FAIL {protocol} {kind} {id}:\n    {problem}"));
            }
        }
    }
    for failure in &failures {
        println!("{failure}");
    }
    println!("conformance {protocol}: {passed} passed, {failed} failed, {skipped} skipped");
    assert_eq!(failed, 0, "{failed} {protocol} conformance cases failed");
}

#[test]
fn restjson1_conformance() {
    use opgen_conformance::rest_json1::*;
    let wire = Wire::Json { json_names: true };
    run_suite("restJson1", wire, AVAILABLE, INPUT_CASES, OUTPUT_CASES);
}

#[test]
fn awsjson1_0_conformance() {
    use opgen_conformance::aws_json1_0::*;
    let wire = Wire::Json { json_names: false };
    run_suite("awsJson1_0", wire, AVAILABLE, INPUT_CASES, OUTPUT_CASES);
}

#[test]
fn awsjson1_1_conformance() {
    use opgen_conformance::aws_json1_1::*;
    let wire = Wire::Json { json_names: false };
    run_suite("awsJson1_1", wire, AVAILABLE, INPUT_CASES, OUTPUT_CASES);
}

#[test]
fn rpcv2cbor_conformance() {
    use opgen_conformance::rpc_v2_cbor::*;
    run_suite(
        "rpcv2Cbor",
        Wire::Cbor,
        AVAILABLE,
        INPUT_CASES,
        OUTPUT_CASES,
    );
}

#[test]
fn restxml_conformance() {
    use opgen_conformance::rest_xml::*;
    run_suite("restXml", Wire::Xml, AVAILABLE, INPUT_CASES, OUTPUT_CASES);
}

#[test]
fn xml_bodies_compare_as_trees() {
    let none = Unordered::default();
    let canon = |text: &str| xml_canonical(&xml_tree(text).unwrap(), &none);
    assert_eq!(
        canon("<a xmlns=\"urn:x\" y=\"1\" x=\"2\">\n  <b>t</b>\n</a>"),
        canon("<p:a xmlns:p=\"urn:x\" x=\"2\" y=\"1\"><p:b>t</p:b></p:a>")
    );
    assert_ne!(canon("<a><b>t</b><c/></a>"), canon("<a><c/><b>t</b></a>"));
    assert_ne!(canon("<a><b> t</b></a>"), canon("<a><b>t</b></a>"));
    assert_ne!(canon("<a xmlns=\"urn:x\"/>"), canon("<a/>"));
    let maps = Unordered {
        children_of: ["m".to_string()].into(),
        runs_of: Default::default(),
    };
    let canon_maps = |text: &str| xml_canonical(&xml_tree(text).unwrap(), &maps);
    assert_eq!(
        canon_maps("<a><m><entry><key>1</key></entry><entry><key>2</key></entry></m></a>"),
        canon_maps("<a><m><entry><key>2</key></entry><entry><key>1</key></entry></m></a>")
    );
}

#[test]
fn awsquery_conformance() {
    use opgen_conformance::aws_query::*;
    run_suite("awsQuery", Wire::Xml, AVAILABLE, INPUT_CASES, OUTPUT_CASES);
}

#[test]
fn ec2query_conformance() {
    use opgen_conformance::ec2_query::*;
    run_suite("ec2Query", Wire::Xml, AVAILABLE, INPUT_CASES, OUTPUT_CASES);
}

#[test]
fn form_bodies_compare_as_multisets_of_decoded_pairs() {
    let a = form_pairs(b"Action=Op&Version=1&T=2015-01-25T08%3A00%3A00Z&L=");
    let b = form_pairs(b"L=&T=2015-01-25T08:00:00Z&Version=1&Action=Op");
    assert_eq!(a, b);
    assert_ne!(
        a,
        form_pairs(b"Action=Op&Version=1&T=2015-01-25T08%3A00%3A00Z")
    );
    assert_ne!(
        form_pairs(b"A=1&A=1"),
        form_pairs(b"A=1"),
        "a repeated pair counts twice"
    );
}

#[test]
fn request_comparison_reports_each_difference() {
    let request = http::Request::builder()
        .method("POST")
        .uri("https://example.com/path?a=1")
        .header("x-list", "a, b")
        .body(Bytes::from_static(b"{\"n\": 1.1}"))
        .unwrap();
    let matching = serde_json::json!({
        "method": "POST", "path": "/path", "queryParams": ["a=1"],
        "headers": {"X-List": "a,b"}, "body": "{\"n\": 1.1}", "bodyMediaType": "application/json"
    });
    let none = Unordered::default();
    assert_eq!(
        check_request(&request, &matching, &none),
        Vec::<String>::new()
    );
    let mut wrong = matching.clone();
    wrong["method"] = "GET".into();
    wrong["queryParams"] = serde_json::json!(["a=2"]);
    wrong["forbidHeaders"] = serde_json::json!(["x-list"]);
    wrong["body"] = "{\"n\": 2}".into();
    assert_eq!(check_request(&request, &wrong, &none).len(), 4);
}
