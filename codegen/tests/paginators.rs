//! `@paginated` in codegen (`tests/ui/models/paginated.json`): the
//! service's trait completed by the operation's, nested paths, map items,
//! and unresolvable paths reported against the operation.
//! `tests/tests/paginators.rs` compiles and runs the generated code.

use opgen_codegen::{generate, Options};
use opgen_model::ShapeGraph;
use std::path::Path;

fn model() -> ShapeGraph {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/ui/models/paginated.json");
    ShapeGraph::load(&path).unwrap()
}

fn generated(operations: &[&str]) -> Result<String, Vec<opgen_codegen::CodegenError>> {
    let graph = model();
    let ids: Vec<_> = operations
        .iter()
        .map(|op| graph.find_operation(op).unwrap())
        .collect();
    generate(&graph, &ids, &Options::default()).map(|tokens| tokens.to_string())
}

#[test]
fn service_defaults_are_completed_by_the_operation() {
    let code = generated(&["ListWidgets"]).unwrap();
    // Tokens and page size from the service, items from the operation.
    assert!(
        code.contains("-> :: opgen :: Paginator < ListWidgets , :: std :: string :: String >"),
        "{code}"
    );
    assert!(
        code.contains("input . next_token = :: core :: option :: Option :: Some (token)"),
        "{code}"
    );
    assert!(
        code.contains("output . page . next_token . as_ref () . filter"),
        "{code}"
    );
    assert!(code.contains("pub fn paginate_items"), "{code}");
    assert!(
        code.contains(":: core :: option :: Option :: Some (output . page . widgets)"),
        "{code}"
    );
    assert!(
        code.contains("Set `max_results` (the model's `maxResults`)"),
        "{code}"
    );
}

#[test]
fn map_items_are_key_value_pairs() {
    let code = generated(&["ListNames"]).unwrap();
    assert!(code.contains("pub fn paginate ("), "{code}");
    // Map items are (key, value) pairs.
    assert!(
        code.contains(":: opgen :: Items < ListNames , :: std :: string :: String , (:: std :: string :: String , i32) >"),
        "{code}"
    );
}

#[test]
fn a_missing_member_on_the_path_is_an_error_naming_the_operation_and_path() {
    let errors = generated(&["BadPath"]).unwrap_err();
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert_eq!(errors[0].operation.as_deref(), Some("BadPath"));
    let message = &errors[0].message;
    assert!(
        message.contains("`outputToken` path `page.missing` of `BadPath`"),
        "{message}"
    );
    assert!(
        message.contains("`Page` has no member `missing`"),
        "{message}"
    );
}

#[test]
fn a_path_through_a_non_structure_is_an_error() {
    let errors = generated(&["ThroughString", "ListWidgets"]).unwrap_err();
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert_eq!(errors[0].operation.as_deref(), Some("ThroughString"));
    let message = &errors[0].message;
    assert!(
        message.contains(
            "path `label.token` of `ThroughString` goes through `label`, which is not a structure"
        ),
        "{message}"
    );
}
