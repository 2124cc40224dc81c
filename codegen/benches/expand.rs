//! Prints how long the macro's work takes: parsing a model and generating
//! operations (what `include_operation!` does, minus the compiler bridge);
//! then, for the largest shared model of each protocol, the median time to
//! generate all its operations in one invocation.
//!
//! Run: `cargo bench -p opgen-codegen --bench expand` (`-- endpoint`: only
//! the compilation of endpoint rule sets)

use opgen_codegen::{generate, generate_softly, Options};
use opgen_model::ShapeGraph;
use std::error::Error;
use std::path::Path;
use std::time::{Duration, Instant};

/// The best of `1 + more` timings: the least disturbed by the rest of the
/// machine. The value is that of the first run.
fn best<T, E>(more: usize, mut f: impl FnMut() -> Result<T, E>) -> Result<(Duration, T), E> {
    let start = Instant::now();
    let value = f()?;
    let mut best = start.elapsed();
    for _ in 0..more {
        let start = Instant::now();
        f()?;
        best = best.min(start.elapsed());
    }
    Ok((best, value))
}

/// The median of `runs` timings, the fastest and the slowest. The value is
/// that of the first run.
fn median<T, E>(
    runs: usize,
    mut f: impl FnMut() -> Result<T, E>,
) -> Result<(Duration, Duration, Duration, T), E> {
    let start = Instant::now();
    let value = f()?;
    let mut times = vec![start.elapsed()];
    for _ in 1..runs {
        let start = Instant::now();
        f()?;
        times.push(start.elapsed());
    }
    times.sort();
    let mid = times[times.len() / 2];
    Ok((mid, times[0], times[times.len() - 1], value))
}

/// Codegen problems as one error.
fn problems(list: Vec<opgen_codegen::CodegenError>) -> Box<dyn Error> {
    let lines: Vec<String> = list.iter().map(ToString::to_string).collect();
    lines.join("\n").into()
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1e3)
}

fn main() -> Result<(), Box<dyn Error>> {
    // `-- endpoint`: only the endpoint rule sets.
    if std::env::args().skip(1).any(|arg| arg == "endpoint") {
        return every_endpoint_rule_set();
    }
    let (parse, graph) = best(19, ShapeGraph::bundled)?;
    let op = graph.find_operation("GetResourceOauth2Token")?;
    let (gen, tokens) = best(19, || {
        generate(&graph, std::slice::from_ref(&op), &Options::default()).map_err(problems)
    })?;
    println!(
        "bundled model: parse {}, generate GetResourceOauth2Token {} ({} bytes of tokens)",
        ms(parse),
        ms(gen),
        tokens.to_string().len()
    );

    let control = Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../shared/models/other/bedrock-agentcore-control-2023-06-05.json"
    ));
    if !control.exists() {
        println!("control-plane model: skipped (../shared/models is absent)");
        return Ok(());
    }
    let size = std::fs::metadata(control).map(|m| m.len()).unwrap_or(0);
    let (parse, graph) = best(4, || ShapeGraph::load(control))?;
    let ops: Vec<_> = graph.operations().into_iter().collect();
    let one = graph.find_operation("CreateGateway")?;
    let (gen_one, _) = best(9, || {
        generate(&graph, std::slice::from_ref(&one), &Options::default()).map_err(problems)
    })?;
    let (gen_all, tokens) = best(2, || {
        generate(&graph, &ops, &Options::default()).map_err(problems)
    })?;
    println!(
        "control-plane model ({:.1} MB): parse {}, generate CreateGateway {}, generate all {} operations {} ({:.1} MB of tokens)",
        size as f64 / 1e6,
        ms(parse),
        ms(gen_one),
        ops.len(),
        ms(gen_all),
        tokens.to_string().len() as f64 / 1e6
    );

    for file in [
        "other/bedrock-agentcore-control-2023-06-05.json",
        "protocols/dynamodb-2012-08-10.json",
        "protocols/kinesis-2013-12-02.json",
        "protocols/cloudwatch-2010-08-01.json",
        "protocols/sns-2010-03-31.json",
        "protocols/s3-2006-03-01.json",
    ] {
        all_operations(file)?;
    }
    every_endpoint_rule_set()
}

fn every_endpoint_rule_set() -> Result<(), Box<dyn Error>> {
    for file in [
        "bedrock-agentcore/2025-10-13.json",
        "protocols/dynamodb-2012-08-10.json",
        "protocols/s3-2006-03-01.json",
    ] {
        endpoint_rules(file)?;
    }
    Ok(())
}

/// Times compiling a model's endpoint rule set into its resolver function
/// (the JSON parse of the model file included, best of 10), part of the
/// expansion of the first operation of the service.
fn endpoint_rules(file: &str) -> Result<(), Box<dyn Error>> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/models")
        .join(file);
    let text = std::fs::read_to_string(&path)?;
    let (time, tokens) = best(9, || opgen_codegen::endpoint_resolver_from_json(&text))?;
    let name = file.rsplit('/').next().unwrap_or(file);
    println!(
        "endpoint rules, {name}: parse the model and compile its rules {} ({:.0} KB of tokens)",
        ms(time),
        tokens.to_string().len() as f64 / 1e3
    );
    Ok(())
}

/// Times generating every operation of a shared model in one invocation
/// (median of 7), leaving out those the generator reports it cannot do yet
/// (event streams), and prints the protocol the generated code speaks.
fn all_operations(file: &str) -> Result<(), Box<dyn Error>> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/models")
        .join(file);
    let name = file.rsplit('/').next().unwrap_or(file);
    let graph = ShapeGraph::load(&path)?;
    let ops: Vec<_> = graph.operations().into_iter().collect();
    let soft = generate_softly(&graph, &ops, &Options::default());
    let mut left_out: Vec<(&str, &str)> = Vec::new();
    for error in &soft.errors {
        let Some(op) = error.operation.as_deref() else {
            return Err(problems(soft.errors));
        };
        if !left_out.iter().any(|(name, _)| *name == op) {
            left_out.push((op, &error.message));
        }
    }
    let rest: Vec<_> = ops
        .iter()
        .filter(|op| !left_out.iter().any(|(name, _)| *name == op.name()))
        .cloned()
        .collect();
    let (mid, min, max, tokens) = median(7, || {
        generate(&graph, &rest, &Options::default()).map_err(problems)
    })?;
    let text = tokens.to_string();
    let protocol = text
        .split(":: opgen :: Protocol :: ")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .unwrap_or("?");
    let left_out: Vec<String> = left_out
        .iter()
        .map(|(op, why)| format!("; left out {op}: {why}"))
        .collect();
    println!(
        "all operations, {name} ({protocol}): {} operations, generate median {} of 7 runs ({}–{}), {:.1} MB of tokens{}",
        rest.len(),
        ms(mid),
        ms(min),
        ms(max),
        text.len() as f64 / 1e6,
        left_out.concat()
    );
    Ok(())
}
