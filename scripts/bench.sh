#!/usr/bin/env bash
# Prints the figures of BENCHMARKS.md: clean release build time and stripped
# size, CPU per call against a loopback stub, and the macro's expansion time.
#
#   bash scripts/bench.sh            # opgen only
#   bash scripts/bench.sh --with-sdk # also the official SDK making the same call (slow: minutes)
#   bash scripts/bench.sh --cpu-only # only CPU per call, with the binaries an earlier run built
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

clean_build() { # name, target dir, then the cargo command
  local name=$1 dir=$2; shift 2
  rm -rf "$dir"
  mkdir -p "$(dirname "$dir")"
  local t0 t1
  t0=$(date +%s.%N)
  CARGO_TARGET_DIR="$dir" "$@" >/dev/null 2>"$dir.log" || { cat "$dir.log"; exit 1; }
  t1=$(date +%s.%N)
  awk -v n="$name" -v a="$t0" -v b="$t1" 'BEGIN { printf "%s: clean release build %.1f s\n", n, b - a }'
}

stripped_size() { # name, binary
  local copy
  copy=$(mktemp)
  cp "$2" "$copy"
  strip "$copy"
  awk -v n="$1" -v s="$(stat -c %s "$copy")" 'BEGIN { printf "%s: stripped binary %.2f MB (%d bytes)\n", n, s / 1e6, s }'
  rm -f "$copy"
}

# CPU (user + system) of one run of a binary making N calls.
cpu_seconds() { # binary, calls
  /usr/bin/time -f "%U %S" -o /tmp/opgen-bench-time "$1" "$2" >/dev/null
  awk '{ printf "%.3f", $1 + $2 }' /tmp/opgen-bench-time
}

cpu_per_call() { # name, binary
  local base full
  base=$(cpu_seconds "$2" 0)
  full=$(cpu_seconds "$2" "$calls")
  awk -v n="$1" -v b="$base" -v f="$full" -v c="$calls" \
    'BEGIN { printf "%s: CPU per call %.1f us (%d calls: %.3f s, startup alone: %.3f s)\n", n, (f - b) / c * 1e6, c, f, b }'
}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

if [ "$cpu_only" = 0 ]; then
# 1. The README's main job: the example (client and loopback stub), from nothing.
dir="$root/target/bench-example"
clean_build "opgen example" "$dir" cargo build --release --locked --example get_resource_oauth2_token
stripped_size "opgen example" "$dir/release/examples/get_resource_oauth2_token"

# 2. The same call as the SDK program below, client only.
mkdir -p "$work/opgen/src"
cat > "$work/opgen/Cargo.toml" <<TOML
[package]
name = "opgen-call"
version = "0.1.0"
edition = "2021"
publish = false

[dependencies]
opgen = { path = "$root/runtime" }
tokio = { version = "1", features = ["rt", "macros"] }

[profile.release]
codegen-units = 16

[workspace]
TOML
cat > "$work/opgen/src/main.rs" <<'RS'
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
cp "$root/Cargo.lock" "$work/opgen/Cargo.lock"
clean_build "opgen call" "$root/target/bench-call" cargo build --release --manifest-path "$work/opgen/Cargo.toml"
stripped_size "opgen call" "$root/target/bench-call/release/opgen-call"

# 3. The official SDK making the same call (kept out of CI: minutes of build).
if [ "$with_sdk" = 1 ]; then
  mkdir -p "$work/sdk/src"
  cat > "$work/sdk/Cargo.toml" <<'TOML'
[package]
name = "sdk-call"
version = "0.1.0"
edition = "2021"
publish = false

[dependencies]
aws-config = { version = "1", features = ["behavior-version-latest"] }
aws-sdk-bedrockagentcore = "1"
tokio = { version = "1", features = ["rt", "macros"] }

[profile.release]
codegen-units = 16

[workspace]
TOML
  cat > "$work/sdk/src/main.rs" <<'RS'
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
  (cd "$work/sdk" && cargo generate-lockfile -q)
  clean_build "sdk call" "$root/target/bench-sdk" cargo build --release --manifest-path "$work/sdk/Cargo.toml"
  stripped_size "sdk call" "$root/target/bench-sdk/release/sdk-call"
fi

fi

# 4. CPU per call against a loopback stub (a separate process, not counted).
coproc STUB { python3 "$root/scripts/stub_server.py"; }
read -r port <&"${STUB[0]}"
export AWS_ENDPOINT_URL="http://127.0.0.1:$port" AWS_REGION=us-east-1 \
  AWS_ACCESS_KEY_ID=AKIDEXAMPLE AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY \
  AWS_EC2_METADATA_DISABLED=true AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null
cpu_per_call "opgen call" "$root/target/bench-call/release/opgen-call"
[ "$with_sdk" = 1 ] && cpu_per_call "sdk call" "$root/target/bench-sdk/release/sdk-call"
exec {STUB[1]}>&-
wait "$STUB_PID" 2>/dev/null || true

# 5. The macro: parse + generate, in process (what include_operation! does).
[ "$cpu_only" = 1 ] && exit 0
cargo bench --locked -q -p opgen-codegen --bench expand 2>/dev/null | grep -v '^$'

# 6. `cargo check` of generated code, dependencies already checked: the
#    macro (unoptimized, as cargo builds proc-macros) plus type checking.
check_time() { # label, package, touched file, extra cargo args
  cargo check -q --locked -p "$2" $4 >/dev/null 2>&1
  touch "$3"
  local t0 t1
  t0=$(date +%s.%N)
  cargo check -q --locked -p "$2" $4 >/dev/null 2>&1
  t1=$(date +%s.%N)
  awk -v n="$1" -v a="$t0" -v b="$t1" 'BEGIN { printf "cargo check, %s: %.2f s\n", n, b - a }'
}
check_time "the bundled operation" opgen-tests tests/tests/generated_lints.rs "--test generated_lints"
if [ -d ../shared/models ]; then
  check_time "all 440 operations of the 7 shared models" opgen-models-check tests/models/src/lib.rs ""
fi
