//! Generated names move aside for model shapes that already have them
//! (`codegen/src/naming.rs`): `{Name}ShapeBuilder` when the model has a
//! `{Name}Builder`, `{Op}OperationError` when it has an `{Op}Error`. Pinned on
//! the tokens of `tests/ui/models/name-collisions.json`, without compiling
//! them (`tests/ui/pass/generated-names-move-aside.rs` compiles and uses them).

use opgen_codegen::{generate, Options};
use opgen_model::ShapeGraph;
use std::path::Path;

fn model() -> ShapeGraph {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/ui/models/name-collisions.json");
    ShapeGraph::load(&path).unwrap()
}

/// The token text of `operations` generated together.
fn code(operations: &[&str]) -> String {
    let graph = model();
    let ids: Vec<_> = operations
        .iter()
        .map(|op| graph.find_operation(op).unwrap())
        .collect();
    generate(&graph, &ids, &Options::default())
        .unwrap_or_else(|problems| panic!("{operations:?}: {problems:#?}"))
        .to_string()
}

/// How many times `item` (e.g. `struct AppBlockBuilder {`) is defined.
fn count(code: &str, item: &str) -> usize {
    code.matches(item).count()
}

#[test]
fn builder_of_a_structure_moves_aside_for_a_shape_named_like_it() {
    let code = code(&["DescribeAppBlock", "BatchGetJob"]);
    assert!(code.contains("struct AppBlockShapeBuilder"), "{code}");
    // The model's `AppBlockBuilder` is a structure of its own, with the
    // ordinary builder name.
    assert_eq!(count(&code, "struct AppBlockBuilder {"), 1, "{code}");
    assert!(code.contains("struct AppBlockBuilderBuilder"), "{code}");
    assert!(
        code.contains("pub fn builder () -> AppBlockShapeBuilder"),
        "{code}"
    );
}

#[test]
fn error_enum_of_an_operation_moves_aside_for_a_shape_named_like_it() {
    let code = code(&["DescribeAppBlock", "BatchGetJob"]);
    assert!(code.contains("enum BatchGetJobOperationError"), "{code}");
    assert_eq!(count(&code, "struct BatchGetJobError {"), 1, "{code}");
    assert!(!code.contains("enum BatchGetJobError"), "{code}");
    assert!(code.contains("struct BatchGetJobErrorBuilder"), "{code}");
}

#[test]
fn names_without_a_collision_keep_the_ordinary_suffix() {
    let code = code(&["DescribeAppBlock", "BatchGetJob"]);
    assert!(code.contains("enum DescribeAppBlockError"), "{code}");
    assert!(!code.contains("DescribeAppBlockOperationError"), "{code}");
    assert!(
        code.contains("struct DescribeAppBlockOutputBuilder"),
        "{code}"
    );
    assert!(code.contains("struct JobBuilder"), "{code}");
}

/// `CreateAppBlock` reaches `AppBlock` but not `AppBlockBuilder`: the
/// builder's name comes from the whole model, so two expansions of the same
/// model agree on it whatever operations each includes.
#[test]
fn moved_aside_name_does_not_depend_on_the_operations_included() {
    let alone = code(&["CreateAppBlock"]);
    assert!(!alone.contains("struct AppBlockBuilder {"), "{alone}");
    assert!(alone.contains("struct AppBlockShapeBuilder"), "{alone}");
    let together = code(&["CreateAppBlock", "DescribeAppBlock"]);
    assert!(
        together.contains("struct AppBlockShapeBuilder"),
        "{together}"
    );
    assert_eq!(count(&together, "struct AppBlockShapeBuilder"), 1);
}

#[test]
fn keyword_member_names_become_raw_or_suffixed_identifiers() {
    let code = code(&["Match"]);
    for accessor in [
        "r#match", "r#type", "r#async", "r#loop", "self_", "super_", "crate_",
    ] {
        assert!(
            code.contains(&format!("pub fn {accessor} ")),
            "{accessor}: {code}"
        );
    }
    // The wire names stay the model's.
    for wire in ["\"type\"", "\"x-self\"", "\"async\"", "\"super\""] {
        assert!(code.contains(wire), "{wire}: {code}");
    }
    assert!(code.contains("enum MatchError"), "{code}");
    assert!(code.contains("struct MatchInputBuilder"), "{code}");
}
