//! Writes, for each model of `../shared/models`, one `include_operation!`
//! naming every operation the generator supports, and the list of those it
//! does not (event stream inputs), with the reason.

use opgen_model::{ShapeGraph, ShapeId, ShapeKind};
use std::fmt::Write;
use std::path::{Path, PathBuf};

const MODELS: &[(&str, &str)] = &[
    ("agentcore_2025_07_16", "bedrock-agentcore/2025-07-16.json"),
    ("agentcore_2025_10_13", "bedrock-agentcore/2025-10-13.json"),
    ("agentcore_2026_06_22", "bedrock-agentcore/2026-06-22.json"),
    (
        "agentcore_control",
        "other/bedrock-agentcore-control-2023-06-05.json",
    ),
    ("lambda", "other/lambda-2015-03-31.json"),
    ("dataexchange", "other/dataexchange-2017-07-25.json"),
    ("mediatailor", "other/mediatailor-2018-04-23.json"),
    ("dynamodb", "protocols/dynamodb-2012-08-10.json"),
    ("sqs", "protocols/sqs-2012-11-05.json"),
    ("kinesis", "protocols/kinesis-2013-12-02.json"),
    (
        "secrets_manager",
        "protocols/secrets-manager-2017-10-17.json",
    ),
    ("cloudwatch", "protocols/cloudwatch-2010-08-01.json"),
    ("sts", "protocols/sts-2011-06-15.json"),
    ("sns", "protocols/sns-2010-03-31.json"),
    ("cloudwatch_query", "protocols/cloudwatch-2010-08-01.json"),
    ("s3", "protocols/s3-2006-03-01.json"),
];

/// Modules whose model is spoken with another protocol than its first:
/// CloudWatch also lists awsQuery, which its older clients still speak.
const PROTOCOL_OVERRIDES: &[(&str, &str)] = &[("cloudwatch_query", "awsQuery")];

fn main() {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap_or_default());
    let out = PathBuf::from(std::env::var("OUT_DIR").unwrap_or_default());
    let shared = manifest.join("../../../shared/models");
    println!("cargo::rerun-if-changed={}", shared.display());
    println!("cargo::rustc-check-cfg=cfg(opgen_shared_models)");
    let mut summary = String::from("/// Per model: name, operations compiled, operations left out with the reason.\npub static MODELS: &[crate::ModelSummary] = &[\n");
    if shared.is_dir() {
        println!("cargo::rustc-cfg=opgen_shared_models");
    }
    for (module, file) in MODELS {
        let path = shared.join(file);
        let mut code = String::new();
        let (supported, unsupported) = if path.is_file() {
            split(&path)
        } else {
            (Vec::new(), Vec::new())
        };
        if !supported.is_empty() {
            let names: Vec<String> = supported.iter().map(|n| format!("{n:?}")).collect();
            let protocol = PROTOCOL_OVERRIDES
                .iter()
                .find(|(m, _)| m == module)
                .map(|(_, p)| format!(", protocol = {p:?}"))
                .unwrap_or_default();
            let _ = write!(
                code,
                "opgen::include_operation!({}, model = \"../../../shared/models/{file}\"{protocol});",
                names.join(", ")
            );
        }
        if !supported.is_empty() {
            code.push_str(&helpers(&path, &supported));
        }
        let _ = std::fs::write(out.join(format!("{module}.rs")), code);
        let _ = writeln!(
            summary,
            "    ({module:?}, &[{}], &[{}]),",
            supported
                .iter()
                .map(|n| format!("{n:?}"))
                .collect::<Vec<_>>()
                .join(", "),
            unsupported
                .iter()
                .map(|(n, why)| format!("({n:?}, {why:?})"))
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    summary.push_str("];\n");
    let _ = std::fs::write(out.join("summary.rs"), summary);
}

/// `HELPERS`: the number of paginators and waiters of the `supported`
/// operations, in a const that names each (`ListTables::paginate`,
/// `DescribeTable::wait_until_table_exists`), so that one the macro did
/// not generate fails the build instead of being counted.
fn helpers(path: &Path, supported: &[String]) -> String {
    let Ok(graph) = ShapeGraph::load(path) else {
        return String::new();
    };
    let mut names = String::new();
    let (mut paginators, mut waiters) = (0, 0);
    for op in graph.operations() {
        let name = op.name();
        let Some(shape) = graph.shape(&op) else {
            continue;
        };
        if !supported.iter().any(|s| s == name) {
            continue;
        }
        if shape.traits.has("smithy.api#paginated") {
            paginators += 1;
            let _ = writeln!(names, "    let _ = {name}::paginate;");
        }
        if let Some(w) = shape
            .traits
            .get("smithy.waiters#waitable")
            .and_then(|w| w.as_object())
        {
            for waiter in w.keys() {
                waiters += 1;
                let _ = writeln!(names, "    let _ = {name}::wait_until_{};", snake(waiter));
            }
        }
    }
    format!(
        "\n/// Paginators and waiters generated here.\npub const HELPERS: (usize, usize) = {{\n{names}    ({paginators}, {waiters})\n}};\n"
    )
}

/// `FunctionActiveV2` → `function_active_v2`, as the generator names
/// waiter functions.
fn snake(name: &str) -> String {
    let chars: Vec<char> = name.chars().collect();
    let mut out = String::new();
    for (i, c) in chars.iter().enumerate() {
        let prev = i.checked_sub(1).and_then(|p| chars.get(p));
        let next = chars.get(i + 1);
        if c.is_ascii_uppercase()
            && prev.is_some_and(|p| {
                p.is_ascii_lowercase()
                    || p.is_ascii_digit()
                    || (p.is_ascii_uppercase() && next.is_some_and(|n| n.is_ascii_lowercase()))
            })
        {
            out.push('_');
        }
        out.push(c.to_ascii_lowercase());
    }
    out
}

/// Operations the generator supports, and the others with the reason.
fn split(path: &Path) -> (Vec<String>, Vec<(String, String)>) {
    let Ok(graph) = ShapeGraph::load(path) else {
        return (Vec::new(), Vec::new());
    };
    let mut supported = Vec::new();
    let mut unsupported = Vec::new();
    for op in graph.operations() {
        // Output streams are generated; an input stream (one way or
        // bidirectional) is not yet.
        let input = graph.shape(&op).and_then(|o| o.input.as_ref());
        let input_stream = input.and_then(|i| graph.shape(i)).and_then(|i| {
            i.members
                .iter()
                .find(|m| is_event_stream(&graph, &m.target))
        });
        match input_stream {
            Some(member) => unsupported.push((
                op.name().to_string(),
                format!(
                    "event stream input {} (@streaming union) is not supported yet",
                    member.target.name()
                ),
            )),
            None => supported.push(op.name().to_string()),
        }
    }
    (supported, unsupported)
}

fn is_event_stream(graph: &ShapeGraph, id: &ShapeId) -> bool {
    graph
        .shape(id)
        .is_some_and(|s| s.kind == ShapeKind::Union && s.traits.streaming())
}
