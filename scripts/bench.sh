#!/usr/bin/env bash
# Prints the figures of BENCHMARKS.md: clean release build time and stripped
# size, CPU per call against a loopback stub, and the macro's expansion time.
#
#   bash scripts/bench.sh            # opgen only
#   bash scripts/bench.sh --with-sdk # also the official SDK making the same call (slow: minutes)
#   bash scripts/bench.sh --cpu-only # only CPU per call and one-call process, with the binaries an earlier run built
#
# The last lines are the table of issue 14: each figure for opgen and the
# SDK (with --with-sdk) and their ratio, from this one run.
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

# Figures of the closing table, by row: fig[row.opgen], fig[row.sdk].
declare -A fig
summary() {
  local row
  echo
  echo "| figure | opgen | official SDK | ratio | aim |"
  echo "| --- | --- | --- | --- | --- |"
  while IFS='|' read -r row label unit aim; do
    [ -n "${fig[$row.opgen]:-}${fig[$row.sdk]:-}" ] || continue
    echo "| $label | ${fig[$row.opgen]:-n/a} $unit | ${fig[$row.sdk]:-n/a} $unit | $(ratio "${fig[$row.opgen]:-}" "${fig[$row.sdk]:-}") | $aim |"
  done <<'ROWS'
build|clean release build of the call|s|<= 0.30x
size|stripped binary of the call|MB|<= 0.22x
cpu|CPU per call, loopback|us|<= 0.4x
wall|one process making one call, wall (median)|ms|<= 0.5x
proc_cpu|one process making one call, CPU (median)|ms|<= 0.5x
big|every operation of the AgentCore control plane (153, the shared model with the most operations; no SageMaker model is shared), clean release build|s|<= 0.3x
edit|edit-compile loop (touch the call's file, cargo build, debug)|s|<= 0.5x
edit_o3|the same with build-override opt-level 3 (opgen only)|s|
ROWS
}

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
fig[build.opgen]=$last
stripped_size "opgen call" "$root/target/bench-call/release/opgen-call"
fig[size.opgen]=$last

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
  fig[build.sdk]=$last
  stripped_size "sdk call" "$root/target/bench-sdk/release/sdk-call"
  fig[size.sdk]=$last
fi

fi

# 4. CPU per call against a loopback stub (a separate process, not counted).
stub_start
cpu_per_call "opgen call" "$root/target/bench-call/release/opgen-call"
fig[cpu.opgen]=$last
one_call "opgen call" "$root/target/bench-call/release/opgen-call"
fig[wall.opgen]=$last fig[proc_cpu.opgen]=$last_cpu
if [ "$with_sdk" = 1 ]; then
  cpu_per_call "sdk call" "$root/target/bench-sdk/release/sdk-call"
  fig[cpu.sdk]=$last
  one_call "sdk call" "$root/target/bench-sdk/release/sdk-call"
  fig[wall.sdk]=$last fig[proc_cpu.sdk]=$last_cpu
fi
stub_stop

if [ "$cpu_only" = 1 ]; then
  summary
  exit 0
fi

# 5. The edit-compile loop of the call's crate (debug): as is, with the
#    macro built optimized (the build-override README recommends), and
#    the SDK's crate.
edit_compile "opgen call" "$work/opgen/src/main.rs" "$root/target/bench-call-debug" --manifest-path "$work/opgen/Cargo.toml"
fig[edit.opgen]=$last
CARGO_PROFILE_DEV_BUILD_OVERRIDE_OPT_LEVEL=3 \
  edit_compile "opgen call, build-override opt-level 3" "$work/opgen/src/main.rs" "$root/target/bench-call-debug-o3" --manifest-path "$work/opgen/Cargo.toml"
fig[edit_o3.opgen]=$last
if [ "$with_sdk" = 1 ]; then
  edit_compile "sdk call" "$work/sdk/src/main.rs" "$root/target/bench-sdk-debug" --manifest-path "$work/sdk/Cargo.toml"
  fig[edit.sdk]=$last
fi

# 6. A crate with every operation of the shared model with the most
#    operations (the AgentCore control plane, 153), against the SDK crate
#    of that service: the stand-in for SageMaker, which is not shared.
big_model=../shared/models/other/bedrock-agentcore-control-2023-06-05.json
if [ -f "$big_model" ] && [ "${BENCH_SKIP_BIG:-0}" != 1 ]; then
  big_model=$(absolute "$big_model")
  progress "listing the control plane's operations (opgen list)"
  ops=$(cargo run -q --locked -p opgen-cli -- list --model "$big_model" | awk '/^  / { printf "%s\"%s\"", sep, $1; sep = ", " }')
  count=$(echo "$ops" | tr ',' '\n' | grep -c .)
  scratch_crate "$work/big" opgen-control-all "opgen = { path = \"$root/runtime\" }" lib.rs <<RS
opgen::include_operation!($ops, model = "$big_model");
RS
  scratch_lock "$work/big" workspace
  clean_build "opgen, all $count control-plane operations" "$root/target/bench-big" cargo build --release --manifest-path "$work/big/Cargo.toml"
  fig[big.opgen]=$last
  if [ "$with_sdk" = 1 ]; then
    scratch_crate "$work/bigsdk" sdk-control-all 'aws-sdk-bedrockagentcorecontrol = "1"' lib.rs <<'RS'
pub use aws_sdk_bedrockagentcorecontrol::Client;
RS
    scratch_lock "$work/bigsdk" latest
    clean_build "sdk, aws-sdk-bedrockagentcorecontrol" "$root/target/bench-big-sdk" cargo build --release --manifest-path "$work/bigsdk/Cargo.toml"
    fig[big.sdk]=$last
  fi
fi

# 7. The macro: parse + generate, in process (what include_operation! does).
progress "the macro's expansion time"
cargo bench --locked -q -p opgen-codegen --bench expand 2>/dev/null | grep -v '^$'

# 8. `cargo check` of generated code, dependencies already checked: the
#    macro (unoptimized, as cargo builds proc-macros) plus type checking.
check_time "the bundled operation" tests/tests/generated_lints.rs --locked -p opgen-tests --test generated_lints
if [ -d ../shared/models ]; then
  check_time "every operation of the shared models (tests/models)" tests/models/src/lib.rs --locked -p opgen-models-check
fi

summary
