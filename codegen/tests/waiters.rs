//! `smithy.waiters#waitable` in codegen (`tests/ui/models/waiters.json`):
//! every matcher becomes Rust, and an expression the translator refuses is
//! a compile error naming the operation, the waiter and the expression.
//! `tests/tests/waiters.rs` compiles and runs the generated code.

use opgen_codegen::{generate, Options};
use opgen_model::ShapeGraph;
use std::path::Path;

fn generated(operation: &str) -> Result<String, Vec<opgen_codegen::CodegenError>> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/ui/models/waiters.json");
    let graph = ShapeGraph::load(&path).unwrap();
    let id = graph.find_operation(operation).unwrap();
    generate(&graph, &[id], &Options::default()).map(|tokens| tokens.to_string())
}

#[test]
fn each_waiter_is_a_wait_until_function_with_its_acceptors() {
    let code = generated("GetFleet").unwrap();
    for waiter in [
        "wait_until_fleet_ready",
        "wait_until_fleet_gone",
        "wait_until_fleet_scaled",
    ] {
        assert!(
            code.contains(&format!("pub async fn {waiter} (")),
            "{waiter}: {code}"
        );
    }
    // The model's delays, and the acceptors as the model writes them.
    assert!(
        code.contains("Self :: __wait_until_fleet_ready_acceptor , 1u64 , 8u64"),
        "{code}"
    );
    assert!(
        code.contains("Self :: __wait_until_fleet_gone_acceptor , 2u64 , 120u64"),
        "{code}"
    );
    assert!(
        code.contains("\"output `fleet.nodes[].state` allStringEquals `running`\""),
        "{code}"
    );
    // A path holding backticks is a double-backtick code span.
    assert!(
        code.contains("\" - failure on output `` contains(fleet.nodes[].tags[], 'broken') || !fleet.ready && length(fleet.nodes) > `0` `` booleanEquals `true`\""),
        "{code}"
    );
    // An absolute shape id in errorType is matched by the shape name.
    assert!(
        code.contains("is_some_and (| code | code == \"FleetNotFound\")"),
        "{code}"
    );
    // The rustdoc lists the acceptors with their states, in order.
    let ready_doc = [
        "\" - success on output `fleet.nodes[].state` allStringEquals `running`\"",
        "\" - failure on output `fleet.nodes[].state` anyStringEquals `failed`\"",
        "\" - failure on output `fleet.status` stringEquals `DELETED`\"",
        "\" - retry on errorType `FleetNotFound`\"",
    ];
    let at: Vec<usize> = ready_doc
        .iter()
        .map(|line| code.find(line).unwrap_or_else(|| panic!("{line}: {code}")))
        .collect();
    assert!(at.windows(2).all(|w| w[0] < w[1]), "{at:?}");
    assert!(
        code.contains("\" Waits until every node of the fleet is running.\""),
        "{code}"
    );
}

#[test]
fn an_untranslatable_expression_is_an_error_naming_waiter_and_expression() {
    let errors = generated("BadPath").unwrap_err();
    let messages: Vec<String> = errors.iter().map(ToString::to_string).collect();
    assert_eq!(messages.len(), 1, "{messages:?}");
    assert!(
        messages[0].contains(
            "waiter `FirstNodeRunning` of `BadPath`: cannot translate the JMESPath `fleet.nodes[0].state`: indexes, slices and wildcards are not supported"
        ),
        "{messages:?}"
    );
}
