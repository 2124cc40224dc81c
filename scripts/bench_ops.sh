#!/usr/bin/env bash
# Code per operation (BENCHMARKS.md "Code per operation"): the stripped
# size of programs calling the first 1 and 10 operations of the AgentCore
# control plane, and the release build of a library crate holding all of
# them, rebuilt alone after a touch (its dependencies already built).
#
#   bash scripts/bench_ops.sh
#
# Built in temporary crates outside the repository, into target/bench-ops.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
calls=0

# shellcheck source=scripts/bench_lib.sh
. "$root/scripts/bench_lib.sh"

model=../shared/models/other/bedrock-agentcore-control-2023-06-05.json
if [ ! -f "$model" ]; then
  echo "skipped: $model is absent (needs ../shared)"
  exit 0
fi
model=$(absolute "$model")
echo "machine: $(nproc) cores, $(rustc --version), load $(cut -d' ' -f1-3 /proc/loadavg)"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
target="$root/target/bench-ops"
progress "listing the control plane's operations (opgen list)"
mapfile -t ops < <(cargo run -q --locked -p opgen-cli -- list --model "$model" | awk '/^  / { print $1 }')

deps="opgen = { path = \"$root/runtime\" }
tokio = { version = \"1\", features = [\"rt\", \"macros\"] }"

# A program calling the first $1 operations, each behind a condition the
# compiler cannot see through.
program() {
  local n=$1 names="" calls_src="" op
  for op in "${ops[@]:0:$n}"; do
    names+="\"$op\", "
    calls_src+="        if let Ok(input) = cp::${op}Input::builder().build() { let _ = client.send(input).await; }
"
  done
  scratch_crate "$work/ops$n" "ops$n" "$deps" <<RS
mod cp {
    opgen::include_operation!(${names}model = "$model");
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let client = opgen::Client::from_env();
    if std::env::args().count() > 5 {
$calls_src    }
}
RS
  scratch_lock "$work/ops$n" workspace
  progress "building ops$n"
  CARGO_TARGET_DIR="$target" cargo build -q --release --manifest-path "$work/ops$n/Cargo.toml"
  cp "$target/release/ops$n" "$work/bin"
  strip "$work/bin"
  size[$n]=$(stat -c %s "$work/bin")
}

declare -A size
program 1
program 10
echo "ops1: ${size[1]} B stripped; ops10: ${size[10]} B; per added operation: $(awk -v a="${size[1]}" -v b="${size[10]}" 'BEGIN { printf "%.1f KB", (b - a) / 9 / 1000 }')"

names=""
for op in "${ops[@]}"; do names+="\"$op\", "; done
scratch_crate "$work/lib" opgen-control-all "opgen = { path = \"$root/runtime\" }" lib.rs <<RS
opgen::include_operation!(${names}model = "$model");
RS
scratch_lock "$work/lib" workspace
progress "building the ${#ops[@]}-operation library crate"
CARGO_TARGET_DIR="$target" cargo build -q --release --manifest-path "$work/lib/Cargo.toml"
for run in 1 2; do
  touch "$work/lib/src/lib.rs"
  t0=$(date +%s.%N)
  CARGO_TARGET_DIR="$target" cargo build -q --release --manifest-path "$work/lib/Cargo.toml"
  t1=$(date +%s.%N)
  echo "library of ${#ops[@]} operations, crate alone, run $run: $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f s", b - a }') (load $(cut -d' ' -f1 /proc/loadavg))"
done
