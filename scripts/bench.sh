#!/usr/bin/env bash
# Prints the figures of BENCHMARKS.md: clean release build time and stripped
# size, CPU per call against a loopback stub, and the macro's expansion time.
#
#   bash scripts/bench.sh            # opgen only
#   bash scripts/bench.sh --with-sdk # also the official SDK making the same call (slow: minutes)
#   bash scripts/bench.sh --cpu-only # only CPU per call, with the binaries an earlier run built
#
# scripts/bench_dynamodb.sh does the same for DynamoDB's GetItem; both source
# scripts/bench_lib.sh.
#
# Two programs are compared when --with-sdk is given: opgen's and the
# official SDK's, each making the same GetResourceOauth2Token call N times
# (N from argv) against the endpoint in AWS_ENDPOINT_URL. Both are built in
# temporary crates outside the repository, into target/bench-*.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
with_sdk=0
cpu_only=0
[ "${1:-}" = "--with-sdk" ] && with_sdk=1
if [ "${1:-}" = "--cpu-only" ]; then
  cpu_only=1
  [ -x "$root/target/bench-sdk/release/sdk-call" ] && with_sdk=1
fi
calls=${BENCH_CALLS:-2000}

echo "machine: $(nproc) cores, $(rustc --version)"

# shellcheck source=scripts/bench_lib.sh
. "$root/scripts/bench_lib.sh"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

if [ "$cpu_only" = 0 ]; then
# 1. The README's main job: the example (client and loopback stub), from nothing.
dir="$root/target/bench-example"
clean_build "opgen example" "$dir" cargo build --release --locked --example get_resource_oauth2_token
stripped_size "opgen example" "$dir/release/examples/get_resource_oauth2_token"

# 2. The same call as the SDK program below, client only.
scratch_crate "$work/opgen" opgen-call "opgen = { path = \"$root/runtime\" }
tokio = { version = \"1\", features = [\"rt\", \"macros\"] }" <<'RS'
mod agentcore {
    opgen::include_operation!("GetResourceOauth2Token");
}
use agentcore::{GetResourceOauth2TokenRequest, Oauth2FlowType};

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let calls: usize = std::env::args().nth(1).and_then(|n| n.parse().ok()).unwrap_or(1);
    let client = opgen::Client::from_env();
    for _ in 0..calls {
        let input = GetResourceOauth2TokenRequest::builder()
            .workload_identity_token("workload-token")
            .resource_credential_provider_name("github-provider")
            .scopes(["repo"])
            .oauth2_flow(Oauth2FlowType::M2m)
            .build()
            .expect("input");
        let output = client.send(input).await.expect("call");
        assert!(output.access_token().is_some());
    }
}
RS
scratch_lock "$work/opgen" workspace
clean_build "opgen call" "$root/target/bench-call" cargo build --release --manifest-path "$work/opgen/Cargo.toml"
stripped_size "opgen call" "$root/target/bench-call/release/opgen-call"

# 3. The official SDK making the same call (kept out of CI: minutes of build).
if [ "$with_sdk" = 1 ]; then
  scratch_crate "$work/sdk" sdk-call 'aws-config = { version = "1", features = ["behavior-version-latest"] }
aws-sdk-bedrockagentcore = "1"
tokio = { version = "1", features = ["rt", "macros"] }' <<'RS'
use aws_sdk_bedrockagentcore::types::Oauth2FlowType;

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let calls: usize = std::env::args().nth(1).and_then(|n| n.parse().ok()).unwrap_or(1);
    let config = aws_config::load_from_env().await;
    let client = aws_sdk_bedrockagentcore::Client::new(&config);
    for _ in 0..calls {
        let output = client
            .get_resource_oauth2_token()
            .workload_identity_token("workload-token")
            .resource_credential_provider_name("github-provider")
            .scopes("repo")
            .oauth2_flow(Oauth2FlowType::M2M)
            .send()
            .await
            .expect("call");
        assert!(output.access_token().is_some());
    }
}
RS
  scratch_lock "$work/sdk" latest
  clean_build "sdk call" "$root/target/bench-sdk" cargo build --release --manifest-path "$work/sdk/Cargo.toml"
  stripped_size "sdk call" "$root/target/bench-sdk/release/sdk-call"
fi

fi

# 4. CPU per call against a loopback stub (a separate process, not counted).
stub_start
cpu_per_call "opgen call" "$root/target/bench-call/release/opgen-call"
[ "$with_sdk" = 1 ] && cpu_per_call "sdk call" "$root/target/bench-sdk/release/sdk-call"
stub_stop

# 5. The macro: parse + generate, in process (what include_operation! does).
[ "$cpu_only" = 1 ] && exit 0
progress "the macro's expansion time"
cargo bench --locked -q -p opgen-codegen --bench expand 2>/dev/null | grep -v '^$'

# 6. `cargo check` of generated code, dependencies already checked: the
#    macro (unoptimized, as cargo builds proc-macros) plus type checking.
check_time "the bundled operation" tests/tests/generated_lints.rs --locked -p opgen-tests --test generated_lints
if [ -d ../shared/models ]; then
  check_time "every operation of the shared models (tests/models)" tests/models/src/lib.rs --locked -p opgen-models-check
fi
