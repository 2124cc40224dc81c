#!/usr/bin/env bash
# Prints the figures of BENCHMARKS.md: clean release build time and stripped
# size of the example, and the macro's expansion time.
#
#   bash scripts/bench.sh            # opgen only
#   bash scripts/bench.sh --with-sdk # also the official SDK making the same call (slow: minutes)
#
# Builds go to target/bench-* so the normal target/ stays warm.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
with_sdk=0
[ "${1:-}" = "--with-sdk" ] && with_sdk=1

echo "machine: $(nproc) cores, $(rustc --version)"

clean_build() { # name, target dir, then the cargo command
  local name=$1 dir=$2; shift 2
  rm -rf "$dir"
  local t0=$(date +%s.%N)
  CARGO_TARGET_DIR="$dir" "$@" >/dev/null 2>"$dir.log" || { cat "$dir.log"; exit 1; }
  local t1=$(date +%s.%N)
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

# 1. opgen: the example, from nothing (dependencies included).
dir="$root/target/bench-opgen"
clean_build opgen "$dir" cargo build --release --locked --example get_resource_oauth2_token
stripped_size opgen "$dir/release/examples/get_resource_oauth2_token"

# 2. The macro: parse + generate, in process (what include_operation! does).
cargo bench --locked -q -p opgen-codegen --bench expand 2>/dev/null | grep -v '^$'

# 3. The official SDK making the same call (kept out of CI: minutes of build).
if [ "$with_sdk" = 1 ]; then
  sdk=$(mktemp -d)
  mkdir -p "$sdk/src"
  cat > "$sdk/Cargo.toml" <<'TOML'
[package]
name = "sdk-get-resource-oauth2-token"
version = "0.1.0"
edition = "2021"
publish = false

[dependencies]
aws-config = { version = "1", features = ["behavior-version-latest"] }
aws-sdk-bedrockagentcore = "1"
tokio = { version = "1", features = ["rt-multi-thread", "macros"] }

[profile.release]
codegen-units = 16
TOML
  cat > "$sdk/src/main.rs" <<'RS'
use aws_sdk_bedrockagentcore::types::Oauth2FlowType;

#[tokio::main]
async fn main() {
    let config = aws_config::load_from_env().await;
    let client = aws_sdk_bedrockagentcore::Client::new(&config);
    let result = client
        .get_resource_oauth2_token()
        .workload_identity_token("workload-token")
        .resource_credential_provider_name("github-provider")
        .scopes("repo")
        .oauth2_flow(Oauth2FlowType::M2M)
        .send()
        .await;
    println!("{result:?}");
}
RS
  (cd "$sdk" && cargo generate-lockfile -q)
  clean_build sdk "$root/target/bench-sdk" cargo build --release --manifest-path "$sdk/Cargo.toml"
  stripped_size sdk "$root/target/bench-sdk/release/sdk-get-resource-oauth2-token"
  rm -rf "$sdk"
fi
