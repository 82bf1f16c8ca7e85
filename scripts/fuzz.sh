#!/usr/bin/env bash
# Builds the libFuzzer targets of fuzz/ (clang, ASan + UBSan) in build/fuzz,
# replays every saved regression input, then fuzzes each target for
# SECONDS_PER_TARGET seconds (default 20). Exits non-zero if any target
# crashes, leaks, hits undefined behaviour or breaks one of its properties;
# the crashing input is left in build/fuzz/artifacts/<target>/.
#
#   scripts/fuzz.sh          # about a minute of fuzzing, the CI smoke run
#   scripts/fuzz.sh 600      # ten minutes per target (see fuzz/README.md)
#
# Environment: FUZZ_TARGETS="fuzz_npy fuzz_recall" restricts the targets,
# FUZZ_JOBS (default 1) runs that many fuzzing processes per target.
set -uo pipefail
cd "$(dirname "$0")/.."

seconds=${1:-20}
case $seconds in
  '' | *[!0-9]*) echo "usage: scripts/fuzz.sh [SECONDS_PER_TARGET]" >&2; exit 2 ;;
esac
targets=${FUZZ_TARGETS:-"fuzz_npy fuzz_cli_args fuzz_recall fuzz_datasets"}
jobs=${FUZZ_JOBS:-1}

build=build/fuzz
cmake -S fuzz -B "$build" -DCMAKE_CXX_COMPILER="${CXX_FUZZ:-clang++}" >/dev/null || exit 1
# shellcheck disable=SC2086
cmake --build "$build" -j2 --target $targets || exit 1

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

failed=0
for t in $targets; do
  # 1. Regressions: every input once, no mutation.
  shopt -s nullglob
  regressions=(fuzz/regressions/"$t"/*)
  shopt -u nullglob
  if [ ${#regressions[@]} -gt 0 ]; then
    echo "==> $t: replaying ${#regressions[@]} regression input(s)"
    if ! "$build/$t" "${regressions[@]}" >"$build/$t.regressions.log" 2>&1; then
      echo "FAILED: $t regression (log: $build/$t.regressions.log)"
      grep -E "Running:|ERROR|property violated|exception|runtime error|SUMMARY" \
        "$build/$t.regressions.log" | head -n 20
      failed=$((failed + 1))
    fi
  fi

  # 2. Fuzzing. New inputs go to a working corpus in build/, which is seeded
  #    from (but never writes to) fuzz/corpus/<target>/.
  work=$build/corpus/$t
  artifacts=$build/artifacts/$t
  mkdir -p "$work" "$artifacts"
  echo "==> $t: fuzzing for ${seconds}s"
  fork=()
  [ "$jobs" -gt 1 ] && fork=(-fork="$jobs" -ignore_crashes=0)
  if ! "$build/$t" "${fork[@]}" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
      -max_len=4096 -print_final_stats=1 -artifact_prefix="$artifacts/" \
      "$work" "fuzz/corpus/$t" >"$build/$t.log" 2>&1; then
    echo "FAILED: $t (log: $build/$t.log; input in $artifacts/)"
    grep -E "ERROR|property violated|exception|runtime error|SUMMARY" "$build/$t.log" | head -n 20
    failed=$((failed + 1))
  else
    grep -E "^stat::number_of_executed_units|^#[0-9]+.*DONE" "$build/$t.log" | tail -n 2
  fi
done

if [ "$failed" -ne 0 ]; then
  echo "fuzz: $failed failure(s)"
  exit 1
fi
echo "fuzz: all targets clean"
