//! Prints how long the macro's work takes: parsing a model and generating
//! operations (what `include_operation!` does, minus the compiler bridge).
//!
//! Run: `cargo bench -p opgen-codegen --bench expand`

use opgen_codegen::{generate, Options};
use opgen_model::ShapeGraph;
use std::path::Path;
use std::time::{Duration, Instant};

/// The best of `runs` timings: the least disturbed by the rest of the machine.
fn best<T>(runs: usize, mut f: impl FnMut() -> T) -> (Duration, T) {
    let mut best = Duration::MAX;
    let mut last = None;
    for _ in 0..runs {
        let start = Instant::now();
        let value = f();
        best = best.min(start.elapsed());
        last = Some(value);
    }
    (best, last.expect("runs > 0"))
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1e3)
}

fn main() {
    let (parse, graph) = best(20, || ShapeGraph::bundled().expect("bundled model"));
    let op = graph.find_operation("GetResourceOauth2Token").expect("op");
    let (gen, tokens) = best(20, || {
        generate(&graph, std::slice::from_ref(&op), &Options::default()).expect("generate")
    });
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
        return;
    }
    let size = std::fs::metadata(control).map(|m| m.len()).unwrap_or(0);
    let (parse, graph) = best(5, || ShapeGraph::load(control).expect("control model"));
    let ops: Vec<_> = graph.operations().into_iter().collect();
    let one = graph
        .find_operation("CreateGateway")
        .expect("CreateGateway");
    let (gen_one, _) = best(10, || {
        generate(&graph, std::slice::from_ref(&one), &Options::default()).expect("generate")
    });
    let (gen_all, tokens) = best(3, || {
        generate(&graph, &ops, &Options::default()).expect("generate all")
    });
    println!(
        "control-plane model ({:.1} MB): parse {}, generate CreateGateway {}, generate all {} operations {} ({:.1} MB of tokens)",
        size as f64 / 1e6,
        ms(parse),
        ms(gen_one),
        ops.len(),
        ms(gen_all),
        tokens.to_string().len() as f64 / 1e6
    );
}
