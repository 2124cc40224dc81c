#!/usr/bin/env bash
# The S3 (restXml) figures of BENCHMARKS.md: the same GetObject call (the
# body streamed to the end) made by opgen and by the official SDK
# (aws-sdk-s3): clean release build time and stripped size; then
# `cargo check` of a crate holding every S3 operation opgen generates. Slow
# (minutes; the SDK build alone is many); never run by CI. Needs ../shared
# beside the repository.
#
#   bash scripts/bench_s3.sh            # opgen only
#   bash scripts/bench_s3.sh --with-sdk # also the official SDK
#
# Programs are built in temporary crates outside the repository, into
# target/bench-s3-*. The expansion time of all S3 operations, without the
# compiler, is the `all operations, s3-2006-03-01.json` line of
# `cargo bench -p opgen-codegen --bench expand`.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
with_sdk=0
[ "${1:-}" = "--with-sdk" ] && with_sdk=1
calls=1

# shellcheck source=scripts/bench_lib.sh
. "$root/scripts/bench_lib.sh"

model="$root/../shared/models/protocols/s3-2006-03-01.json"
if [ ! -f "$model" ]; then
  echo "bench_s3: $model is missing (../shared must be beside the repository)" >&2
  exit 1
fi
model=$(absolute "$model")

echo "machine: $(nproc) cores, $(rustc --version)"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# 1. opgen's GetObject, the body read chunk by chunk.
scratch_crate "$work/opgen" opgen-get-object "opgen = { path = \"$root/runtime\" }
tokio = { version = \"1\", features = [\"rt\", \"macros\"] }" <<RS
mod s3 {
    opgen::include_operation!("GetObject", model = "$model");
}
use s3::GetObjectInput;

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let client = opgen::Client::new(opgen::Config::from_env().to_builder().force_path_style(true).build());
    let input = GetObjectInput::builder().bucket("b").key("k").build().expect("input");
    let mut output = client.send(input).await.expect("call");
    let mut body = output.take_body().expect("a body");
    let mut total = 0;
    while let Some(chunk) = body.next().await {
        total += chunk.expect("chunk").len();
    }
    println!("{total} bytes");
}
RS
scratch_lock "$work/opgen" workspace
clean_build "opgen GetObject" "$root/target/bench-s3-call" cargo build --release --manifest-path "$work/opgen/Cargo.toml"
stripped_size "opgen GetObject" "$root/target/bench-s3-call/release/opgen-get-object"

# 2. The official SDK making the same call.
if [ "$with_sdk" = 1 ]; then
  scratch_crate "$work/sdk" sdk-get-object 'aws-config = { version = "1", features = ["behavior-version-latest"] }
aws-sdk-s3 = "1"
tokio = { version = "1", features = ["rt", "macros"] }' <<'RS'
#[tokio::main(flavor = "current_thread")]
async fn main() {
    let config = aws_config::load_from_env().await;
    let s3_config = aws_sdk_s3::config::Builder::from(&config).force_path_style(true).build();
    let client = aws_sdk_s3::Client::from_conf(s3_config);
    let output = client.get_object().bucket("b").key("k").send().await.expect("call");
    let mut body = output.body;
    let mut total = 0;
    while let Some(chunk) = body.try_next().await.expect("chunk") {
        total += chunk.len();
    }
    println!("{total} bytes");
}
RS
  scratch_lock "$work/sdk" latest
  (cd "$work/sdk" && cargo tree -q --depth 1 -e normal | sed 's/^/sdk crates: /' >&2) || true
  clean_build "sdk GetObject" "$root/target/bench-s3-sdk" cargo build --release --manifest-path "$work/sdk/Cargo.toml"
  stripped_size "sdk GetObject" "$root/target/bench-s3-sdk/release/sdk-get-object"
fi

# 3. `cargo check` of a crate holding every S3 operation opgen generates
#    (event streams left out until they are supported), dependencies
#    already checked.
progress "listing S3's operations (opgen list)"
ops=$(cargo run -q --locked -p opgen-cli -- list --model "$model" | awk '/^  / && !/SelectObjectContent/ { printf "%s\"%s\"", sep, $1; sep = ", " }')
count=$(echo "$ops" | tr ',' '\n' | grep -c .)
scratch_crate "$work/check" opgen-s3-all "opgen = { path = \"$root/runtime\" }" lib.rs <<RS
opgen::include_operation!($ops, model = "$model");
RS
scratch_lock "$work/check" workspace
CARGO_TARGET_DIR="$root/target/bench-s3-check" \
  check_time "all $count S3 operations in one invocation" "$work/check/src/lib.rs" --manifest-path "$work/check/Cargo.toml"
