//! Every real model of `../shared/models` loads, and every operation of it
//! is found by name and has a closure.

use opgen_model::{ModelError, ShapeGraph};
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
fn every_shared_model_loads_and_every_operation_resolves() {
    let Some(files) = shared_models() else { return };
    assert_eq!(files.len(), 7, "expected the 7 models of ../shared/models");
    for file in files {
        let graph = ShapeGraph::load(&file).unwrap_or_else(|e| panic!("{e}"));
        let operations = graph.operations();
        assert!(!operations.is_empty(), "{}: no operations", file.display());
        for op in &operations {
            let found = graph.find_operation(op.name()).unwrap();
            assert_eq!(&found, op);
            assert_eq!(graph.find_operation(op.as_str()).unwrap(), *op);
            let closure = graph.closure(std::slice::from_ref(op)).unwrap();
            assert!(closure.contains(op));
        }
        assert_eq!(graph.files(), std::slice::from_ref(&file));
    }
}

#[test]
fn control_plane_has_153_operations() {
    let Some(files) = shared_models() else { return };
    let file = files
        .iter()
        .find(|f| f.ends_with("bedrock-agentcore-control-2023-06-05.json"))
        .unwrap();
    let graph = ShapeGraph::load(file).unwrap();
    assert_eq!(graph.operations().len(), 153);
}

#[test]
fn unknown_operation_suggests_the_closest_name() {
    let Some(files) = shared_models() else { return };
    let file = files
        .iter()
        .find(|f| f.ends_with("2025-10-13.json"))
        .unwrap();
    let graph = ShapeGraph::load(file).unwrap();
    let err = graph.find_operation("GetResourceOAuth2Token").unwrap_err();
    assert!(matches!(err, ModelError::UnknownOperation { .. }));
    assert_eq!(
        err.to_string(),
        "unknown operation \"GetResourceOAuth2Token\"; did you mean \"GetResourceOauth2Token\"?"
    );
}
