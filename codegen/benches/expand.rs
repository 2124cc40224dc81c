//! Prints how long the macro's work takes: parsing a model and generating
//! operations (what `include_operation!` does, minus the compiler bridge).
//!
//! Run: `cargo bench -p opgen-codegen --bench expand`

use opgen_codegen::{generate, Options};
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

/// Codegen problems as one error.
fn problems(list: Vec<opgen_codegen::CodegenError>) -> Box<dyn Error> {
    let lines: Vec<String> = list.iter().map(ToString::to_string).collect();
    lines.join("\n").into()
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1e3)
}

fn main() -> Result<(), Box<dyn Error>> {
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
    Ok(())
}
