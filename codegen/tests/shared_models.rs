//! Every operation of every real model in `../shared/models` generates (or is
//! reported as unsupported with a reason), and generation is deterministic.

use opgen_codegen::{generate, Options};
use opgen_model::ShapeGraph;
use std::path::PathBuf;

fn shared_models() -> Option<Vec<PathBuf>> {
    let root = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/models"));
    if !root.is_dir() {
        eprintln!("skipped: ../shared/models is absent");
        return None;
    }
    let mut files = Vec::new();
    for dir in ["bedrock-agentcore", "other"] {
        for entry in std::fs::read_dir(root.join(dir)).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "json") {
                files.push(path);
            }
        }
    }
    files.sort();
    Some(files)
}

#[test]
fn every_operation_of_the_shared_models_generates() {
    let Some(files) = shared_models() else { return };
    let mut generated = 0;
    let mut unsupported = Vec::new();
    for file in &files {
        let graph = ShapeGraph::load(file).unwrap();
        let operations: Vec<_> = graph.operations().into_iter().collect();
        for op in &operations {
            match generate(&graph, std::slice::from_ref(op), &Options::default()) {
                Ok(_) => generated += 1,
                Err(problems) => {
                    for p in problems {
                        unsupported.push(format!(
                            "{}: {}",
                            file.file_name().unwrap().to_string_lossy(),
                            p
                        ));
                    }
                }
            }
        }
        // All operations of a model in one invocation, sharing shapes.
        if let Err(problems) = generate(&graph, &operations, &Options::default()) {
            let names: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
            assert!(
                names
                    .iter()
                    .all(|n| unsupported.iter().any(|u| u.ends_with(n.as_str()))),
                "problems only when generating together: {names:#?}"
            );
        }
    }
    unsupported.sort();
    unsupported.dedup();
    println!(
        "models: {generated} operations generated, {} problems",
        unsupported.len()
    );
    for u in &unsupported {
        println!("  unsupported: {u}");
    }
    // The only constructs allowed to fail are the ones we do not support yet.
    for u in &unsupported {
        assert!(
            u.contains("event streams") || u.contains("not supported yet"),
            "unexpected generation failure: {u}"
        );
    }
}

#[test]
fn generation_is_deterministic() {
    let graph = ShapeGraph::bundled().unwrap();
    let op = graph.find_operation("GetResourceOauth2Token").unwrap();
    let first = generate(&graph, std::slice::from_ref(&op), &Options::default()).unwrap();
    let second = generate(&graph, std::slice::from_ref(&op), &Options::default()).unwrap();
    assert_eq!(first.to_string(), second.to_string());
}
