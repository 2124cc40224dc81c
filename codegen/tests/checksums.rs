//! `aws.protocols#httpChecksum` in codegen: the metadata an operation
//! declares, `@httpChecksumRequired`'s Content-MD5 replaced by a required
//! flexible checksum, and members the trait names that the input lacks or
//! cannot carry reported against the operation.
//! `tests/tests/checksums.rs` sends the generated operations.

use opgen_codegen::{generate, CodegenError, Options};
use opgen_model::ShapeGraph;
use serde_json::{json, Value};
use std::path::Path;

fn checksums_model() -> ShapeGraph {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/ui/models/checksums.json");
    ShapeGraph::load(&path).unwrap()
}

fn generated(graph: &ShapeGraph, operations: &[&str]) -> Result<String, Vec<CodegenError>> {
    let ids: Vec<_> = operations
        .iter()
        .map(|op| graph.find_operation(op).unwrap())
        .collect();
    generate(graph, &ids, &Options::default()).map(|tokens| tokens.to_string())
}

/// A restJson1 service with one operation `Put` whose input has a string
/// member `Algorithm` and a list member `Tags`, `traits` on the operation.
fn one_operation(traits: Value) -> ShapeGraph {
    let model = json!({
        "smithy": "2.0",
        "shapes": {
            "example.c#Service": {
                "type": "service",
                "version": "2024-01-01",
                "operations": [{"target": "example.c#Put"}],
                "traits": {
                    "aws.protocols#restJson1": {},
                    "aws.api#service": {"sdkId": "C", "endpointPrefix": "c"},
                    "aws.auth#sigv4": {"name": "c"}
                }
            },
            "example.c#Put": {
                "type": "operation",
                "input": {"target": "example.c#PutInput"},
                "output": {"target": "smithy.api#Unit"},
                "traits": traits
            },
            "example.c#PutInput": {
                "type": "structure",
                "members": {
                    "Algorithm": {"target": "smithy.api#String"},
                    "Tags": {"target": "example.c#Tags"}
                }
            },
            "example.c#Tags": {"type": "list", "member": {"target": "smithy.api#String"}}
        }
    });
    ShapeGraph::from_json("c.json", &model.to_string()).unwrap()
}

fn with_http(checksum: Value) -> Value {
    json!({
        "smithy.api#http": {"method": "PUT", "uri": "/"},
        "smithy.api#httpChecksumRequired": {},
        "aws.protocols#httpChecksum": checksum
    })
}

#[test]
fn the_operation_declares_its_checksum_and_reads_the_members() {
    let code = generated(&checksums_model(), &["DeleteFiles", "GetFile"]).unwrap();
    assert!(code.contains("request_checksum_required : true"), "{code}");
    assert!(
        code.contains("request_algorithm_header : :: core :: option :: Option :: Some (\"x-amz-sdk-checksum-algorithm\")"),
        "{code}"
    );
    assert!(
        code.contains("validation_mode_header : :: core :: option :: Option :: Some (\"x-amz-checksum-mode\")"),
        "{code}"
    );
    assert!(
        code.contains("response_algorithms : & [\"CRC64NVME\" , \"CRC32\" , \"CRC32C\" , \"SHA256\" , \"SHA1\" , \"MD5\"]"),
        "{code}"
    );
    assert!(
        code.contains("request_algorithm : input . checksum_algorithm . as_ref () . map (| v | v . as_str ())"),
        "{code}"
    );
    assert!(
        code.contains(
            "validation_mode : input . checksum_mode . as_ref () . map (| v | v . as_str ())"
        ),
        "{code}"
    );
}

#[test]
fn a_required_flexible_checksum_replaces_content_md5() {
    let required = one_operation(with_http(json!({
        "requestAlgorithmMember": "Algorithm",
        "requestChecksumRequired": true
    })));
    let code = generated(&required, &["Put"]).unwrap();
    assert!(!code.contains("content_md5"), "{code}");
    assert!(
        code.contains("request_algorithm : input . algorithm . as_deref ()"),
        "{code}"
    );

    // An optional one may not be sent (`WhenRequired`): MD5 stays.
    let optional = one_operation(with_http(json!({"requestAlgorithmMember": "Algorithm"})));
    let code = generated(&optional, &["Put"]).unwrap();
    assert!(code.contains("content_md5"), "{code}");
}

fn error_of(checksum: Value) -> String {
    let graph = one_operation(with_http(checksum));
    let errors = generated(&graph, &["Put"]).unwrap_err();
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert_eq!(errors[0].operation.as_deref(), Some("Put"));
    errors[0].message.clone()
}

#[test]
fn a_member_the_input_lacks_is_an_error() {
    let message = error_of(json!({"requestAlgorithmMember": "ChecksumAlgorithm"}));
    assert_eq!(
        message,
        "@httpChecksum `requestAlgorithmMember` of `Put` names `ChecksumAlgorithm`, which is not a member of its input"
    );
}

#[test]
fn a_member_that_is_not_a_string_is_an_error() {
    let message = error_of(json!({
        "requestValidationModeMember": "Tags",
        "responseAlgorithms": ["CRC32"]
    }));
    assert_eq!(
        message,
        "@httpChecksum `requestValidationModeMember` of `Put` names `Tags`, which must be a string or a string enum"
    );
}

#[test]
fn a_validation_mode_without_response_algorithms_is_an_error() {
    let message = error_of(json!({"requestValidationModeMember": "Algorithm"}));
    assert!(message.contains("no `responseAlgorithms`"), "{message}");
}

#[test]
fn malformed_properties_are_errors() {
    let message = error_of(json!({"requestChecksumRequired": "yes"}));
    assert!(message.contains("must be a boolean"), "{message}");
    let message = error_of(json!({"responseAlgorithms": "CRC32"}));
    assert!(message.contains("must be a list of strings"), "{message}");
    let message = error_of(json!({"requestAlgorithmMember": 3}));
    assert!(message.contains("must be a member name"), "{message}");
}
