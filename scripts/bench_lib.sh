# Functions shared by scripts/bench.sh and scripts/bench_dynamodb.sh
# (sourced, not run). Figures go to stdout, progress to stderr. Expects
# `root` (the repository) and `calls` (calls per CPU run) to be set.

# The absolute path of an existing file (the macro resolves a relative
# `model = "…"` against the crate that calls it, not the caller's directory).
absolute() { # path
  echo "$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
}

progress() {
  echo "bench: $*" >&2
}

clean_build() { # name, target dir, then the cargo command
  local name=$1 dir=$2; shift 2
  progress "clean release build of $name (into ${dir#"$root"/})"
  rm -rf "$dir"
  mkdir -p "$(dirname "$dir")"
  local t0 t1
  t0=$(date +%s.%N)
  CARGO_TARGET_DIR="$dir" "$@" >/dev/null 2>"$dir.log" || { cat "$dir.log"; exit 1; }
  t1=$(date +%s.%N)
  last=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }')
  echo "$name: clean release build $last s"
}

stripped_size() { # name, binary
  local copy
  copy=$(mktemp)
  cp "$2" "$copy"
  strip "$copy"
  last=$(awk -v s="$(stat -c %s "$copy")" 'BEGIN { printf "%.2f", s / 1e6 }')
  awk -v n="$1" -v s="$(stat -c %s "$copy")" 'BEGIN { printf "%s: stripped binary %.2f MB (%d bytes)\n", n, s / 1e6, s }'
  rm -f "$copy"
}

# A binary crate outside the workspace, with the release profile of every
# program compared here; src/main.rs (or the file given) is read from stdin.
scratch_crate() { # directory, package name, [dependencies] lines, [source file]
  mkdir -p "$1/src"
  cat > "$1/Cargo.toml" <<TOML
[package]
name = "$2"
version = "0.1.0"
edition = "2021"
publish = false

[dependencies]
$3

[profile.release]
codegen-units = 16

[workspace]
TOML
  cat > "$1/src/${4:-main.rs}"
}

# Resolves a scratch crate's dependencies and downloads them, so that the
# timed build compiles only: the workspace's lock file for opgen's crates,
# the newest releases from crates.io otherwise.
scratch_lock() { # directory, "workspace" or "latest"
  if [ "$2" = workspace ]; then
    cp "$root/Cargo.lock" "$1/Cargo.lock"
  else
    (cd "$1" && cargo generate-lockfile -q)
  fi
  (cd "$1" && cargo fetch -q)
}

# CPU (user + system) of one run of a binary making N calls.
cpu_seconds() { # binary, calls
  /usr/bin/time -f "%U %S" -o /tmp/opgen-bench-time "$1" "$2" >/dev/null
  awk '{ printf "%.3f", $1 + $2 }' /tmp/opgen-bench-time
}

cpu_per_call() { # name, binary
  progress "CPU per call of $1 ($calls calls)"
  local base full
  base=$(cpu_seconds "$2" 0)
  full=$(cpu_seconds "$2" "$calls")
  last=$(awk -v b="$base" -v f="$full" -v c="$calls" 'BEGIN { printf "%.1f", (f - b) / c * 1e6 }')
  awk -v n="$1" -v b="$base" -v f="$full" -v c="$calls" \
    'BEGIN { printf "%s: CPU per call %.1f us (%d calls: %.3f s, startup alone: %.3f s)\n", n, (f - b) / c * 1e6, c, f, b }'
}

# A process making one call, run `runs` times (BENCH_RUNS, default 30)
# against the stub: median wall and median CPU (user + system, from the
# child's rusage, so microseconds rather than /usr/bin/time's 10 ms steps).
# Sets `last` to the wall and `last_cpu` to the CPU, in ms.
one_call() { # name, binary
  progress "one process making one call: $1"
  local out
  out=$(python3 - "$2" "${BENCH_RUNS:-30}" <<'PY'
import os, statistics, subprocess, sys, time
binary, runs = sys.argv[1], int(sys.argv[2])
walls, cpus = [], []
for _ in range(runs):
    t0 = time.perf_counter()
    child = subprocess.Popen([binary, "1"], stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(child.pid, 0)
    walls.append(time.perf_counter() - t0)
    if status != 0:
        sys.exit(f"{binary} failed: status {status}")
    cpus.append(usage.ru_utime + usage.ru_stime)
print(f"{statistics.median(walls) * 1e3:.2f} {statistics.median(cpus) * 1e3:.2f} {min(walls) * 1e3:.2f} {max(walls) * 1e3:.2f}")
PY
  ) || exit 1
  read -r last last_cpu lo hi <<<"$out"
  echo "$1: one process, one call: wall $last ms, CPU $last_cpu ms (medians of ${BENCH_RUNS:-30} runs; wall $lo-$hi ms)"
}

# The edit-compile loop: a debug build of a crate, then the file holding
# the call touched and `cargo build` timed (median of 3). Sets `last` (s).
edit_compile() { # name, touched file, target dir, then the arguments of `cargo build`
  local name=$1 file=$2 dir=$3; shift 3
  progress "edit-compile loop of $name (debug)"
  CARGO_TARGET_DIR="$dir" cargo build -q "$@" >/dev/null 2>&1 || { CARGO_TARGET_DIR="$dir" cargo build "$@"; exit 1; }
  local times=() t0 t1
  for _ in 1 2 3; do
    touch "$file"
    t0=$(date +%s.%N)
    CARGO_TARGET_DIR="$dir" cargo build -q "$@" >/dev/null 2>&1 || exit 1
    t1=$(date +%s.%N)
    times+=("$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')")
  done
  last=$(printf '%s\n' "${times[@]}" | sort -n | sed -n 2p)
  echo "$name: edit-compile loop (touch, cargo build, debug) $last s (runs: ${times[*]})"
}

# "a / b" with two decimals, or "n/a" when either is missing.
ratio() {
  awk -v a="${1:-}" -v b="${2:-}" 'BEGIN { if (a == "" || b == "" || b == 0) print "n/a"; else printf "%.2fx\n", a / b }'
}

# Starts scripts/stub_server.py (a separate process, its CPU not counted)
# and points the AWS environment of the programs at it.
stub_start() {
  coproc STUB { python3 "$root/scripts/stub_server.py"; }
  read -r port <&"${STUB[0]}"
  export AWS_ENDPOINT_URL="http://127.0.0.1:$port" AWS_REGION=us-east-1 \
    AWS_ACCESS_KEY_ID=AKIDEXAMPLE AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY \
    AWS_EC2_METADATA_DISABLED=true AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null
}

stub_stop() {
  exec {STUB[1]}>&-
  wait "$STUB_PID" 2>/dev/null || true
}

# `cargo check` of generated code, dependencies already checked: the macro
# (unoptimized, as cargo builds proc-macros) plus type checking. Checks
# once, touches the file holding the macro call, then times the check.
check_time() { # label, touched file, then the arguments of `cargo check`
  local label=$1 file=$2; shift 2
  progress "cargo check, $label"
  cargo check -q "$@" >/dev/null 2>&1 || { cargo check "$@"; exit 1; }
  touch "$file"
  local t0 t1
  t0=$(date +%s.%N)
  cargo check -q "$@" >/dev/null 2>&1 || { cargo check "$@"; exit 1; }
  t1=$(date +%s.%N)
  awk -v n="$label" -v a="$t0" -v b="$t1" 'BEGIN { printf "cargo check, %s: %.2f s\n", n, b - a }'
}
