//! The code generated for the bundled `GetResourceOauth2Token`, pinned as a
//! reviewed snapshot (`tests/snapshots/get_resource_oauth2_token.rs`, bless
//! with `EXPECTORATE=overwrite`), formatted exactly as `opgen expand` prints
//! it, and compiled here with warnings denied.

use opgen_codegen::Options;
use opgen_model::{ShapeGraph, BUNDLED_MODEL, BUNDLED_MODEL_NAME};
use std::collections::BTreeMap;

/// The snapshot itself, compiled: a warning in generated code fails the
/// build of this test. `dead_code` alone is allowed: a test crate is a
/// binary, so the public items it does not call count as unused, which they
/// would not be in the user's library. `include!` rather than `#[path]`, so
/// that `cargo fmt` does not follow the module into the snapshot and
/// reformat it.
#[deny(warnings)]
#[allow(dead_code)]
mod snapshot {
    include!("../snapshots/get_resource_oauth2_token.rs");
}

/// The code of an operation with an output event stream, pinned and
/// compiled the same way (`tests/snapshots/watch_things.rs`).
#[deny(warnings)]
#[allow(dead_code)]
mod event_stream_snapshot {
    include!("../snapshots/watch_things.rs");
}

const OPERATION: &str = "GetResourceOauth2Token";

/// What `opgen expand GetResourceOauth2Token` prints for `graph`.
fn expand(graph: &ShapeGraph) -> String {
    let op = graph.find_operation(OPERATION).unwrap();
    opgen_cli::expand_to_string(graph, &[op], &Options::default(), BUNDLED_MODEL_NAME)
        .unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn bundled_operation_matches_snapshot() {
    let source = expand(&ShapeGraph::bundled().unwrap());
    expectorate::assert_contents("snapshots/get_resource_oauth2_token.rs", &source);
}

#[test]
fn event_stream_operation_matches_snapshot() {
    let name = "ui/models/event-stream.json";
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/ui/models/event-stream.json");
    let graph = ShapeGraph::load(std::path::Path::new(path)).unwrap();
    let op = graph.find_operation("WatchThings").unwrap();
    let source = opgen_cli::expand_to_string(&graph, &[op], &Options::default(), name)
        .unwrap_or_else(|e| panic!("{e}"));
    expectorate::assert_contents("snapshots/watch_things.rs", &source);
}

#[test]
fn generating_twice_gives_identical_text() {
    let graph = ShapeGraph::bundled().unwrap();
    assert_eq!(expand(&graph), expand(&graph));
    assert_eq!(expand(&graph), expand(&ShapeGraph::bundled().unwrap()));
}

/// The bundled model's text with its shapes in reverse id order; each shape's
/// own text (and so its member order, which is meaningful) is kept verbatim.
fn bundled_with_shapes_reversed() -> String {
    type Raw = Box<serde_json::value::RawValue>;
    let mut top: BTreeMap<String, Raw> = serde_json::from_str(BUNDLED_MODEL).unwrap();
    let shapes: BTreeMap<String, Raw> = serde_json::from_str(top["shapes"].get()).unwrap();
    let entries: Vec<String> = shapes
        .iter()
        .rev()
        .map(|(id, shape)| format!("{}: {}", serde_json::to_string(id).unwrap(), shape.get()))
        .collect();
    let reversed = format!("{{\n{}\n}}", entries.join(",\n"));
    top.insert(
        "shapes".to_string(),
        serde_json::value::RawValue::from_string(reversed).unwrap(),
    );
    serde_json::to_string(&top).unwrap()
}

#[test]
fn shape_order_in_the_model_file_does_not_change_the_output() {
    let reversed_text = bundled_with_shapes_reversed();
    assert_ne!(reversed_text, BUNDLED_MODEL);
    let first_shape = |text: &str| {
        let at = text.find("\"shapes\"").unwrap();
        let rest = &text[at + "\"shapes\"".len()..];
        let start = rest.find('"').unwrap() + 1;
        rest[start..start + rest[start..].find('"').unwrap()].to_string()
    };
    assert_ne!(first_shape(&reversed_text), first_shape(BUNDLED_MODEL));
    let reversed = ShapeGraph::from_json(BUNDLED_MODEL_NAME, &reversed_text).unwrap();
    assert_eq!(
        expand(&reversed),
        expand(&ShapeGraph::bundled().unwrap()),
        "the output depends on the order of shapes in the model file"
    );
}

mod compiled {
    use super::snapshot::*;
    use bytes::Bytes;
    use opgen::Operation;

    fn endpoint() -> opgen::Endpoint {
        opgen::Endpoint::new("https://bedrock-agentcore.us-east-1.amazonaws.com")
    }

    #[test]
    fn snapshot_builder_and_serialize_produce_the_wire_request() {
        let input = GetResourceOauth2TokenRequest::builder()
            .workload_identity_token("workload-token")
            .resource_credential_provider_name("github-provider")
            .scopes(["repo"])
            .oauth2_flow(Oauth2FlowType::M2m)
            .custom_parameters([("prompt", "consent")])
            .build()
            .unwrap();
        assert_eq!(input.scopes(), ["repo"]);
        assert!(format!("{input:?}").contains("*** Sensitive Data Redacted ***"));
        assert!(!format!("{input:?}").contains("workload-token"));

        let request = GetResourceOauth2Token::serialize(&input, &endpoint()).unwrap();
        assert_eq!(request.method(), "POST");
        assert_eq!(
            request.uri().to_string(),
            "https://bedrock-agentcore.us-east-1.amazonaws.com/identities/oauth2/token"
        );
        let body: serde_json::Value = serde_json::from_slice(request.body()).unwrap();
        assert_eq!(
            body,
            serde_json::json!({
                "workloadIdentityToken": "workload-token",
                "resourceCredentialProviderName": "github-provider",
                "scopes": ["repo"],
                "oauth2Flow": "M2M",
                "customParameters": {"prompt": "consent"}
            })
        );
    }

    #[test]
    fn snapshot_builder_names_the_missing_required_member() {
        let err = GetResourceOauth2TokenRequest::builder()
            .workload_identity_token("t")
            .scopes(["a"])
            .oauth2_flow(Oauth2FlowType::UserFederation)
            .build()
            .unwrap_err();
        assert!(
            err.to_string().contains("resourceCredentialProviderName"),
            "{err}"
        );
    }

    #[test]
    fn snapshot_deserialize_parses_output_and_modeled_errors() {
        let ok = http::Response::builder()
            .status(200)
            .body(Bytes::from_static(
                br#"{"accessToken":"tok","sessionStatus":"IN_PROGRESS"}"#,
            ))
            .unwrap();
        let output = GetResourceOauth2Token::deserialize(ok).unwrap();
        assert_eq!(output.access_token(), Some("tok"));
        assert_eq!(output.authorization_url(), None);
        assert_eq!(output.session_status(), Some(&SessionStatus::InProgress));

        let denied = http::Response::builder()
            .status(403)
            .header("x-amzn-errortype", "AccessDeniedException")
            .body(Bytes::from_static(br#"{"message":"no"}"#))
            .unwrap();
        let err = GetResourceOauth2Token::deserialize(denied)
            .unwrap_err()
            .into_service_error();
        assert!(err.is_access_denied_exception(), "{err:?}");
        assert_eq!(err.message(), Some("no"));
    }
}
