#!/usr/bin/env bash
# The DynamoDB (awsJson1_0) figures of BENCHMARKS.md: the same GetItem call
# made by opgen and by the official SDK (aws-sdk-dynamodb), clean release
# build time, stripped size and CPU per call against scripts/stub_server.py;
# then `cargo check` of a crate holding every DynamoDB operation. Slow
# (minutes); never run by CI. Needs ../shared beside the repository.
#
#   bash scripts/bench_dynamodb.sh            # opgen only
#   bash scripts/bench_dynamodb.sh --with-sdk # also the official SDK
#   bash scripts/bench_dynamodb.sh --cpu-only # only CPU per call, with the binaries an earlier run built
#
# Programs are built in temporary crates outside the repository, into
# target/bench-dynamodb-*. Each makes N GetItem calls (N from argv) of table
# "t", key {"pk": {"S": "k"}}, against the endpoint in AWS_ENDPOINT_URL.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
with_sdk=0
cpu_only=0
[ "${1:-}" = "--with-sdk" ] && with_sdk=1
if [ "${1:-}" = "--cpu-only" ]; then
  cpu_only=1
  [ -x "$root/target/bench-dynamodb-sdk/release/sdk-get-item" ] && with_sdk=1
fi
calls=${BENCH_CALLS:-2000}

# shellcheck source=scripts/bench_lib.sh
. "$root/scripts/bench_lib.sh"

model="$root/../shared/models/protocols/dynamodb-2012-08-10.json"
if [ ! -f "$model" ]; then
  echo "bench_dynamodb: $model is missing (../shared must be beside the repository)" >&2
  exit 1
fi
model=$(absolute "$model")

echo "machine: $(nproc) cores, $(rustc --version)"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

opgen_bin="$root/target/bench-dynamodb-call/release/opgen-get-item"
sdk_bin="$root/target/bench-dynamodb-sdk/release/sdk-get-item"

if [ "$cpu_only" = 0 ]; then
# 1. opgen's GetItem.
scratch_crate "$work/opgen" opgen-get-item "opgen = { path = \"$root/runtime\" }
tokio = { version = \"1\", features = [\"rt\", \"macros\"] }" <<RS
mod dynamodb {
    opgen::include_operation!("GetItem", model = "$model");
}
use dynamodb::{AttributeValue, GetItemInput};

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let calls: usize = std::env::args().nth(1).and_then(|n| n.parse().ok()).unwrap_or(1);
    let client = opgen::Client::from_env();
    for _ in 0..calls {
        let input = GetItemInput::builder()
            .table_name("t")
            .key([("pk".to_string(), AttributeValue::S("k".into()))])
            .build()
            .expect("input");
        let output = client.send(input).await.expect("call");
        assert!(output.item().is_some());
    }
}
RS
scratch_lock "$work/opgen" workspace
clean_build "opgen GetItem" "$root/target/bench-dynamodb-call" cargo build --release --manifest-path "$work/opgen/Cargo.toml"
stripped_size "opgen GetItem" "$opgen_bin"

# 2. The official SDK making the same call.
if [ "$with_sdk" = 1 ]; then
  scratch_crate "$work/sdk" sdk-get-item 'aws-config = { version = "1", features = ["behavior-version-latest"] }
aws-sdk-dynamodb = "1"
tokio = { version = "1", features = ["rt", "macros"] }' <<'RS'
use aws_sdk_dynamodb::types::AttributeValue;

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let calls: usize = std::env::args().nth(1).and_then(|n| n.parse().ok()).unwrap_or(1);
    let config = aws_config::load_from_env().await;
    let client = aws_sdk_dynamodb::Client::new(&config);
    for _ in 0..calls {
        let output = client
            .get_item()
            .table_name("t")
            .key("pk", AttributeValue::S("k".into()))
            .send()
            .await
            .expect("call");
        assert!(output.item().is_some());
    }
}
RS
  scratch_lock "$work/sdk" latest
  (cd "$work/sdk" && cargo tree -q --depth 1 -e normal | sed 's/^/sdk crates: /' >&2) || true
  clean_build "sdk GetItem" "$root/target/bench-dynamodb-sdk" cargo build --release --manifest-path "$work/sdk/Cargo.toml"
  stripped_size "sdk GetItem" "$sdk_bin"
fi
fi

# 3. CPU per call against the loopback stub, which answers GetItem by its
#    X-Amz-Target with {"Item": {"pk": {"S": "k"}}}.
stub_start
cpu_per_call "opgen GetItem" "$opgen_bin"
if [ "$with_sdk" = 1 ]; then
  cpu_per_call "sdk GetItem" "$sdk_bin"
fi
stub_stop
[ "$cpu_only" = 1 ] && exit 0

# 4. `cargo check` of a crate holding every DynamoDB operation in one
#    invocation (as tests/models does per model), dependencies already
#    checked.
progress "listing DynamoDB's operations (opgen list)"
ops=$(cargo run -q --locked -p opgen-cli -- list --model "$model" | awk '/^  / { printf "%s\"%s\"", sep, $1; sep = ", " }')
count=$(echo "$ops" | tr ',' '\n' | grep -c .)
scratch_crate "$work/check" opgen-dynamodb-all "opgen = { path = \"$root/runtime\" }" lib.rs <<RS
opgen::include_operation!($ops, model = "$model");
RS
scratch_lock "$work/check" workspace
CARGO_TARGET_DIR="$root/target/bench-dynamodb-check" \
  check_time "all $count DynamoDB operations in one invocation" "$work/check/src/lib.rs" --manifest-path "$work/check/Cargo.toml"
