//! Sets `cfg(opgen_shared)` when the real models of `../shared/models` (beside
//! the workspace) are there, so that the tests that expand
//! `include_operation!` against them compile only then; without them the
//! crate still builds and those tests print that they are skipped.
//! Likewise `cfg(opgen_shared_protocols)` for the DynamoDB and SQS models of
//! `../shared/models/protocols` that `tests/aws_json_wire.rs` expands.

use std::path::Path;

/// The models `tests/model_history.rs` expands, relative to this crate.
const SHARED_MODELS: &str = "../../shared/models/bedrock-agentcore";
const VERSIONS: [&str; 3] = ["2025-07-16.json", "2025-10-13.json", "2026-06-22.json"];

/// The models `tests/aws_json_wire.rs` and the README's examples (S3 and STS
/// presigning) expand, relative to this crate.
const PROTOCOLS: &str = "../../shared/models/protocols";
const PROTOCOL_MODELS: [&str; 4] = [
    "dynamodb-2012-08-10.json",
    "sqs-2012-11-05.json",
    "s3-2006-03-01.json",
    "sts-2011-06-15.json",
];

fn main() {
    println!("cargo::rustc-check-cfg=cfg(opgen_shared)");
    println!("cargo::rustc-check-cfg=cfg(opgen_shared_protocols)");
    // A missing path would make cargo rerun this script, and rebuild the
    // crate, on every build; watch only what exists (and this file). Once
    // ../shared appears, `touch tests/build.rs` (or any change here) picks
    // it up.
    println!("cargo::rerun-if-changed=build.rs");
    let dir = Path::new(SHARED_MODELS);
    if VERSIONS.iter().all(|v| dir.join(v).is_file()) {
        println!("cargo::rustc-cfg=opgen_shared");
        println!("cargo::rerun-if-changed={SHARED_MODELS}");
    }
    let dir = Path::new(PROTOCOLS);
    if PROTOCOL_MODELS.iter().all(|m| dir.join(m).is_file()) {
        println!("cargo::rustc-cfg=opgen_shared_protocols");
        for model in PROTOCOL_MODELS {
            println!("cargo::rerun-if-changed={PROTOCOLS}/{model}");
        }
    } else {
        println!("cargo::warning=../shared/models is absent: the README's code blocks and the tests that expand the shared models are skipped");
    }
}
