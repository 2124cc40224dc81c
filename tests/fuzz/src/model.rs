//! `model_loader`: arbitrary JSON text through the model loader and, when it
//! loads, the generator, as the macro drives them.

use opgen_codegen::{generate, Options};
use opgen_model::{ShapeGraph, ShapeId, ShapeKind};

/// At most this many operations are generated one by one per input, to keep
/// each execution short.
const MAX_OPERATIONS: usize = 8;

/// The input is the text of a model file (invalid UTF-8 replaced).
///
/// Invariants: no panic; a model that does not load is an error with a
/// message; for a model that loads, each operation (looked up by name, as the
/// macro does) generates either Rust that parses as a file or a non-empty
/// list of errors, each naming a shape and saying what is wrong; all the
/// operations of the model generated together do the same.
pub fn model_loader(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let graph = match ShapeGraph::from_json("fuzz.json", &text) {
        Ok(graph) => graph,
        Err(e) => {
            let message = e.to_string();
            assert!(!message.is_empty(), "an error without a message: {e:?}");
            return;
        }
    };
    let operations: Vec<ShapeId> = graph
        .shapes()
        .filter(|shape| shape.kind == ShapeKind::Operation)
        .map(|shape| shape.id.clone())
        .collect();
    for id in operations.iter().take(MAX_OPERATIONS) {
        // The macro accepts the absolute id and the plain name.
        let found = graph.find_operation(&id.to_string());
        assert!(
            found.as_ref().is_ok_and(|f| f == id),
            "operation {id} not found by its id: {found:?}"
        );
        if let Err(e) = graph.find_operation(id.name()) {
            assert!(!e.to_string().is_empty());
        }
        let serde = id.name().len() % 2 == 0;
        check_generated(&graph, std::slice::from_ref(id), serde);
    }
    if operations.len() > 1 {
        check_generated(&graph, &operations, false);
    }
    let _ = graph.find_operation("NoSuchOperation");
}

fn check_generated(graph: &ShapeGraph, operations: &[ShapeId], serde: bool) {
    let options = Options::default().with_serde(serde);
    match generate(graph, operations, &options) {
        Ok(tokens) => {
            if let Err(e) = syn::parse2::<syn::File>(tokens.clone()) {
                panic!("generated code for {operations:?} does not parse: {e}\n{tokens}");
            }
        }
        Err(errors) => {
            assert!(!errors.is_empty(), "an empty error list for {operations:?}");
            for error in errors {
                assert!(
                    !error.shape.is_empty() && !error.message.is_empty(),
                    "an error without a shape or message: {error:?}"
                );
            }
        }
    }
}
