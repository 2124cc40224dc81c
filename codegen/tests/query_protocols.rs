//! What the awsQuery and ec2Query generators refuse, and what they pick:
//! the wire format itself is pinned by the conformance suite
//! (`tests/conformance`), these pin the diagnostics and the choices made
//! before any byte is written.

use opgen_codegen::{generate, Options};
use opgen_model::ShapeGraph;
use serde_json::json;

/// A one-operation service speaking `protocols` (trait ids), whose input
/// has the member `value` targeting `target` (with `member_traits`).
fn model(protocols: &[&str], target: &str, member_traits: serde_json::Value) -> ShapeGraph {
    let mut service_traits = serde_json::Map::new();
    for protocol in protocols {
        service_traits.insert((*protocol).to_string(), json!({}));
    }
    service_traits.insert(
        "smithy.api#xmlNamespace".into(),
        json!({"uri": "https://example.com/"}),
    );
    let model = json!({
        "smithy": "2.0",
        "shapes": {
            "test#Service": {
                "type": "service",
                "version": "2020-01-08",
                "operations": [{"target": "test#Op"}],
                "traits": service_traits,
            },
            "test#Op": {
                "type": "operation",
                "input": {"target": "test#OpInput"},
                "output": {"target": "test#OpOutput"},
                "errors": [{"target": "test#Oops"}],
            },
            "test#OpInput": {
                "type": "structure",
                "members": {"value": {"target": target, "traits": member_traits}},
            },
            "test#OpOutput": {"type": "structure", "members": {}},
            "test#Oops": {
                "type": "structure",
                "members": {"Message": {"target": "smithy.api#String"}},
                "traits": {
                    "smithy.api#error": "client",
                    "aws.protocols#awsQueryError": {"code": "Oops.Custom", "httpResponseCode": 400},
                },
            },
            "test#Stream": {"type": "blob", "traits": {"smithy.api#streaming": {}}},
        },
    });
    ShapeGraph::from_json("test", &model.to_string()).unwrap()
}

fn problems(graph: &ShapeGraph, options: &Options) -> Vec<String> {
    let op = graph.find_operation("Op").unwrap();
    match generate(graph, &[op], options) {
        Ok(_) => Vec::new(),
        Err(problems) => problems.iter().map(|p| p.to_string()).collect(),
    }
}

fn code(graph: &ShapeGraph, options: &Options) -> String {
    let op = graph.find_operation("Op").unwrap();
    generate(graph, &[op], options)
        .unwrap_or_else(|problems| panic!("{problems:#?}"))
        .to_string()
}

#[test]
fn query_protocols_refuse_documents_and_streams() {
    for (protocol, name) in [
        ("aws.protocols#awsQuery", "awsQuery"),
        ("aws.protocols#ec2Query", "ec2Query"),
    ] {
        let documents = problems(
            &model(&[protocol], "smithy.api#Document", json!({})),
            &Options::default(),
        );
        assert_eq!(documents.len(), 1, "{documents:?}");
        assert!(
            documents[0].contains(&format!("{name} cannot carry a document member")),
            "{documents:?}"
        );
        let streams = problems(
            &model(&[protocol], "test#Stream", json!({})),
            &Options::default(),
        );
        assert!(
            streams
                .iter()
                .any(|p| p.contains("@streaming blob") && p.contains(name)),
            "{streams:?}"
        );
        assert!(problems(
            &model(&[protocol], "smithy.api#String", json!({})),
            &Options::default()
        )
        .is_empty());
    }
}

#[test]
fn the_query_protocols_come_last_and_can_be_chosen() {
    let graph = model(
        &["aws.protocols#awsQuery", "aws.protocols#awsJson1_0"],
        "smithy.api#String",
        json!({}),
    );
    assert!(code(&graph, &Options::default()).contains(":: opgen :: Protocol :: AwsJson1_0"));
    let query = code(
        &graph,
        &Options::default().with_protocol(Some("awsQuery".into())),
    );
    assert!(query.contains(":: opgen :: Protocol :: AwsQuery"));
    assert!(query.contains("query :: Writer :: new (\"Op\" , \"2020-01-08\")"));
}

#[test]
fn modeled_errors_are_matched_by_their_query_error_code() {
    for protocol in ["aws.protocols#awsQuery", "aws.protocols#ec2Query"] {
        let text = code(
            &model(&[protocol], "smithy.api#String", json!({})),
            &Options::default(),
        );
        assert!(
            text.contains(
                "Some (\"Oops\") | :: core :: option :: Option :: Some (\"Oops.Custom\")"
            ),
            "{protocol}"
        );
    }
    // awsJson matches the shape name alone, unless @awsQueryCompatible.
    let json = code(
        &model(
            &["aws.protocols#awsJson1_0"],
            "smithy.api#String",
            json!({}),
        ),
        &Options::default(),
    );
    assert!(!json.contains("Oops.Custom"));
}

#[test]
fn ec2_query_keys_prefer_the_ec2_query_name() {
    let graph = model(
        &["aws.protocols#ec2Query"],
        "smithy.api#String",
        json!({"aws.protocols#ec2QueryName": "QueryKey", "smithy.api#xmlName": "xmlKey"}),
    );
    let text = code(&graph, &Options::default());
    assert!(text.contains("key (prefix , \"QueryKey\")"), "{text}");
    let graph = model(
        &["aws.protocols#awsQuery"],
        "smithy.api#String",
        json!({"aws.protocols#ec2QueryName": "QueryKey", "smithy.api#xmlName": "xmlKey"}),
    );
    assert!(code(&graph, &Options::default()).contains("key (prefix , \"xmlKey\")"));
}
