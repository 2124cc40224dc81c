//! Generates one module per conformance case of each protocol under
//! `../shared/conformance/` with the real generator, plus a table per
//! protocol that the tests run.

use opgen_model::ShapeGraph;
use serde_json::Value;
use std::fmt::Write;
use std::path::PathBuf;

/// The protocols opgen speaks, by directory, and the module each one's
/// cases go in.
const PROTOCOLS: &[(&str, &str)] = &[
    ("restJson1", "rest_json1"),
    ("awsJson1_0", "aws_json1_0"),
    ("awsJson1_1", "aws_json1_1"),
    ("rpcv2Cbor", "rpc_v2_cbor"),
    ("restXml", "rest_xml"),
    ("awsQuery", "aws_query"),
    ("ec2Query", "ec2_query"),
];

/// How the generated types of a protocol are read from a case's values:
/// the `CaseValue` accessor, and the expression reading a type `T` from
/// `value` (a reference to the accessor's value), `Result<T, String>`.
struct Codec {
    accessor: &'static str,
    kind: CodecKind,
}

enum CodecKind {
    Json,
    Cbor,
    Xml,
}

impl Codec {
    /// The expression reading `ty` from the case value `params`.
    fn decode(&self, ty: &str, params: &str) -> String {
        let accessor = self.accessor;
        match self.kind {
            CodecKind::Json => format!(
                "<{ty} as ::opgen::__private::json::FromJson>::from_json({params}.{accessor}()?)?"
            ),
            CodecKind::Cbor => format!(
                "<{ty} as ::opgen::__private::cbor::FromCbor>::from_cbor({params}.{accessor}()?)?"
            ),
            CodecKind::Xml => format!(
                "{{ let document = ::opgen::__private::xml::XmlDocument::parse({params}.{accessor}()?.as_bytes())?; \
                 <{ty} as ::opgen::__private::xml::FromXml>::from_xml(document.root())? }}"
            ),
        }
    }
}

fn codec(protocol: &str) -> Codec {
    match protocol {
        "rpcv2Cbor" => Codec {
            accessor: "cbor",
            kind: CodecKind::Cbor,
        },
        // The query protocols read XML responses, so their generated
        // types all read XML too.
        "restXml" | "awsQuery" | "ec2Query" => Codec {
            accessor: "xml",
            kind: CodecKind::Xml,
        },
        _ => Codec {
            accessor: "json",
            kind: CodecKind::Json,
        },
    }
}

fn main() {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap_or_default());
    let out = PathBuf::from(std::env::var("OUT_DIR").unwrap_or_default()).join("cases.rs");
    println!("cargo::rerun-if-changed=build.rs");
    let mut code = String::new();
    for (protocol, module) in PROTOCOLS {
        let dir = manifest.join("../../../shared/conformance").join(protocol);
        println!("cargo::rerun-if-changed={}", dir.display());
        let _ = writeln!(
            code,
            "/// The `{module}` conformance cases.\npub mod {module} {{\nuse super::*;"
        );
        protocol_cases(&dir, &codec(protocol), &mut code);
        code.push_str("}\n");
    }
    std::fs::write(&out, code).unwrap_or_else(|e| panic!("write {}: {e}", out.display()));
}

fn protocol_cases(dir: &std::path::Path, codec: &Codec, code: &mut String) {
    let input = std::fs::read_to_string(dir.join("input.json")).ok();
    let output = std::fs::read_to_string(dir.join("output.json")).ok();
    let (Some(input), Some(output)) = (input, output) else {
        code.push_str("/// Whether the shared conformance cases were found.\npub const AVAILABLE: bool = false;\n");
        code.push_str("/// Request cases.\npub static INPUT_CASES: &[InputCase] = &[];\n");
        code.push_str("/// Response cases.\npub static OUTPUT_CASES: &[OutputCase] = &[];\n");
        return;
    };
    code.push_str(
        "/// Whether the shared conformance cases were found.\npub const AVAILABLE: bool = true;\n",
    );
    let mut table = String::from("/// Request cases.\npub static INPUT_CASES: &[InputCase] = &[\n");
    for (i, case) in cases(&input).iter().enumerate() {
        let id = case["id"].as_str().unwrap_or_default();
        let run = match generate(case) {
            Ok((tokens, has_input)) => {
                let input = if has_input {
                    format!(
                        "let input = {};",
                        codec.decode("<Op as ::opgen::Operation>::Input", "params")
                    )
                } else {
                    "let _ = params; let input = ();".to_string()
                };
                let _ = write!(
                    code,
                    "#[allow(missing_docs, dead_code, clippy::all)]\npub mod input_{i} {{\n{tokens}\n\
                     type Op = {op};\n\
                     pub fn run(params: &crate::CaseValue, endpoint: &str) -> ::core::result::Result<::opgen::__private::http::Request<::opgen::__private::bytes::Bytes>, ::std::string::String> {{\n\
                     {input}\n\
                     let mut request = ::opgen::test_util::with_fixed_idempotency_token(\"00000000-0000-4000-8000-000000000000\", || <Op as ::opgen::Operation>::serialize(&input, &::opgen::Endpoint::new(endpoint))).map_err(|e| e.to_string())?;\n\
                     ::opgen::compress_request::<Op>(&mut request, &::core::default::Default::default()).map_err(|e| e.to_string())?;\n\
                     ::core::result::Result::Ok(request)\n}}\n}}\n",
                    op = op_name(case),
                );
                format!("Ok(input_{i}::run)")
            }
            Err(e) => format!("Err({e:?})"),
        };
        let _ = writeln!(table, "    InputCase {{ id: {id:?}, run: {run} }},");
    }
    table.push_str("];\n");
    table.push_str("/// Response cases.\npub static OUTPUT_CASES: &[OutputCase] = &[\n");
    for (i, case) in cases(&output).iter().enumerate() {
        let id = case["id"].as_str().unwrap_or_default();
        let run = match generate(case) {
            Ok((tokens, _)) => {
                let _ = write!(
                    code,
                    "#[allow(missing_docs, dead_code, clippy::all)]\npub mod output_{i} {{\n{tokens}\n{}\n}}\n",
                    output_runner(case, codec)
                );
                format!("Ok(output_{i}::run)")
            }
            Err(e) => format!("Err({e:?})"),
        };
        let _ = writeln!(table, "    OutputCase {{ id: {id:?}, run: {run} }},");
    }
    table.push_str("];\n");
    code.push_str(&table);
}

/// The cases of a file, each with its model's JSON text in file order:
/// `serde_json::Value` sorts object keys, and the order of a structure's
/// members is the order of its XML elements.
fn cases(text: &str) -> Vec<Value> {
    let file: Value = serde_json::from_str(text).unwrap_or(Value::Null);
    let models: Vec<String> = serde_json::from_str::<ModelTexts>(text)
        .map(|m| m.cases.into_iter().map(|c| c.model.0).collect())
        .unwrap_or_default();
    let mut cases = file["cases"].as_array().cloned().unwrap_or_default();
    for (case, model) in cases.iter_mut().zip(models) {
        case["modelText"] = Value::String(model);
    }
    cases
}

#[derive(serde::Deserialize)]
struct ModelTexts {
    cases: Vec<CaseModel>,
}

#[derive(serde::Deserialize)]
struct CaseModel {
    model: OrderedJson,
}

/// A JSON value re-written as text with object keys in document order.
struct OrderedJson(String);

impl<'de> serde::Deserialize<'de> for OrderedJson {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer
            .deserialize_any(OrderedVisitor)
            .map(OrderedJson)
    }
}

struct OrderedVisitor;

impl<'de> serde::de::Visitor<'de> for OrderedVisitor {
    type Value = String;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<String, E> {
        Ok(v.to_string())
    }
    fn visit_i64<E>(self, v: i64) -> Result<String, E> {
        Ok(v.to_string())
    }
    fn visit_u64<E>(self, v: u64) -> Result<String, E> {
        Ok(v.to_string())
    }
    fn visit_f64<E>(self, v: f64) -> Result<String, E> {
        Ok(Value::from(v).to_string())
    }
    fn visit_str<E>(self, v: &str) -> Result<String, E> {
        Ok(Value::String(v.to_string()).to_string())
    }
    fn visit_unit<E>(self) -> Result<String, E> {
        Ok("null".into())
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<String, A::Error> {
        let mut items = Vec::new();
        while let Some(OrderedJson(item)) = seq.next_element()? {
            items.push(item);
        }
        Ok(format!("[{}]", items.join(",")))
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<String, A::Error> {
        let mut entries = Vec::new();
        while let Some((key, OrderedJson(value))) = map.next_entry::<String, OrderedJson>()? {
            entries.push(format!("{}:{value}", Value::String(key)));
        }
        Ok(format!("{{{}}}", entries.join(",")))
    }
}

fn model_text(case: &Value) -> String {
    case["modelText"]
        .as_str()
        .map_or_else(|| case["model"].to_string(), str::to_string)
}

fn op_name(case: &Value) -> String {
    let id = case["operation"].as_str().unwrap_or_default();
    id.rsplit('#').next().unwrap_or(id).to_string()
}

/// The generated tokens of the case's operation, and whether it has an input.
fn generate(case: &Value) -> Result<(String, bool), String> {
    let id = case["id"].as_str().unwrap_or("case");
    let graph = ShapeGraph::from_json(id, &model_text(case)).map_err(|e| e.to_string())?;
    let op = graph
        .find_operation(case["operation"].as_str().unwrap_or_default())
        .map_err(|e| e.to_string())?;
    let has_input = graph.shape(&op).is_some_and(|s| s.input.is_some());
    let tokens = opgen_codegen::generate(&graph, &[op], &opgen_codegen::Options::default())
        .map_err(|problems| {
            problems
                .iter()
                .map(|p| p.to_string())
                .collect::<Vec<_>>()
                .join("; ")
        })?;
    Ok((tokens.to_string(), has_input))
}

/// `run` for a response case: deserialize, then compare with the expected
/// output or error built from the case's values.
fn output_runner(case: &Value, codec: &Codec) -> String {
    let op = op_name(case);
    let graph = ShapeGraph::from_json("case", &model_text(case)).ok();
    let op_id = graph.as_ref().and_then(|g| {
        g.find_operation(case["operation"].as_str().unwrap_or_default())
            .ok()
    });
    let has_output = graph
        .as_ref()
        .zip(op_id.as_ref())
        .and_then(|(g, id)| g.shape(id))
        .is_some_and(|s| s.output.is_some());
    let errors: Vec<String> = graph
        .as_ref()
        .zip(op_id.as_ref())
        .map(|(g, id)| {
            g.operation_errors(id)
                .iter()
                .map(|e| e.name().to_string())
                .collect()
        })
        .unwrap_or_default();
    let expected_output = if has_output {
        format!(
            "let expected = {}; crate::same(&actual, &expected)?;",
            codec.decode("<Op as ::opgen::Operation>::Output", "expected")
        )
    } else {
        "let _ = (actual, expected);".to_string()
    };
    let mut arms = String::new();
    for e in &errors {
        let decoded = codec.decode(e, "expected");
        let _ = write!(
            arms,
            "{op}Error::{e}(actual) => {{ if error_shape != Some({e:?}) {{ return Err(format!(\"got error {e}, expected {{error_shape:?}}\")); }}\n\
             let meta = actual.meta().clone();\n\
             let expected = {decoded};\n\
             crate::same(&actual.__with_meta(::core::default::Default::default()), &expected)?; Ok(::core::option::Option::Some(meta)) }}\n"
        );
    }
    format!(
        "type Op = {op};\n\
         pub fn run(response: ::opgen::__private::http::Response<::opgen::__private::bytes::Bytes>, expected: &crate::CaseValue, error_shape: Option<&str>) -> ::core::result::Result<::core::option::Option<::opgen::ErrorMetadata>, ::std::string::String> {{\n\
         match <Op as ::opgen::Operation>::deserialize(response) {{\n\
           Ok(actual) => {{ if let Some(shape) = error_shape {{ return Err(format!(\"expected error {{shape}}, got {{actual:?}}\")); }} {expected_output} Ok(None) }}\n\
           Err(::opgen::Error::Service(e)) => match e.into_err() {{\n\
             {arms}\
             {op}Error::Unhandled(u) => if error_shape.is_none() {{ Ok(Some(u.meta().clone())) }} else {{ Err(format!(\"got an unhandled error {{u}}, expected {{error_shape:?}}\")) }},\n\
             other => Err(format!(\"unexpected error {{other:?}}\")),\n\
           }},\n\
           Err(other) => Err(format!(\"{{other}}: {{other:?}}\")),\n\
         }}\n}}"
    )
}
