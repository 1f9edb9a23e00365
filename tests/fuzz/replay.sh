#!/usr/bin/env bash
# replay.sh — runs every committed corpus file (tests/fuzz/corpus/<target>/*) through its libFuzzer
# target once and prints TAP, one line per target:  ok 1 - fuzz_body replays 77 corpus files
# Fast (seconds once built): no fuzzing, just the inputs, under ASan/UBSan.  A crash, sanitizer
# report, leak or invariant failure is "not ok" with the tail of the report as # lines.
#
# Usage: tests/fuzz/replay.sh [target ...]        (default: every tests/fuzz/fuzz_*.c)
# Environment: FUZZ_BUILD (default build-fuzz); QD_FUZZ_NO_BUILD=1 skips the make step (make
# fuzz-replay has built the targets already).  Without it the targets are built (or brought up
# to date) with make first, so tests/run can call this directly.
set -u
cd "$(dirname "$0")/../.." || exit 1
FUZZ_BUILD=${FUZZ_BUILD:-build-fuzz}

if [ $# -gt 0 ]; then
  targets=("$@")
else
  targets=()
  for f in tests/fuzz/fuzz_*.c; do t=$(basename "$f" .c); targets+=("$t"); done
fi

echo "1..${#targets[@]}"
if [ "${QD_FUZZ_NO_BUILD:-0}" != 1 ]; then
  bins=(); for t in "${targets[@]}"; do bins+=("$FUZZ_BUILD/$t"); done
  # A clean make: not the -j jobserver or variables of a make that may have started tests/run.
  if ! out=$(env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make --no-print-directory -j"$(nproc)" \
             "${bins[@]}" 2>&1); then
    n=0
    for t in "${targets[@]}"; do n=$((n+1)); echo "not ok $n - $t replay: build failed"; done
    printf '%s\n' "$out" | tail -20 | sed 's/^/# /'
    exit 1
  fi
fi

n=0; bad=0
for t in "${targets[@]}"; do
  n=$((n+1))
  bin=$FUZZ_BUILD/$t
  dir=tests/fuzz/corpus/$t
  mapfile -t files < <(find "$dir" -type f 2>/dev/null | sort)
  if [ ! -x "$bin" ]; then
    echo "not ok $n - $t replay: $bin not built"; bad=$((bad+1)); continue
  fi
  if [ ${#files[@]} -eq 0 ]; then
    echo "not ok $n - $t replay: no corpus files in $dir"; bad=$((bad+1)); continue
  fi
  # Given files (not a directory) libFuzzer runs each once and stops at the first failure.
  # The artifact prefix keeps a crash copy out of the working tree.
  tmp=$(mktemp -d); log=$tmp/log
  ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1} timeout 300 "$bin" -timeout=10 \
      -artifact_prefix="$tmp/" "${files[@]}" >"$log" 2>&1
  rc=$?
  ran=$(grep -c '^Executed ' "$log")
  if [ $rc -eq 0 ] && [ "$ran" -eq ${#files[@]} ]; then
    echo "ok $n - $t replays ${#files[@]} corpus files"
  else
    bad=$((bad+1))
    last=$(grep '^Running: ' "$log" | tail -1 | sed 's/^Running: //')
    echo "not ok $n - $t replay: exit $rc after $ran of ${#files[@]} files (failing input: ${last:-?})"
    awk '/^fuzz_[a-z]+: /{d=1; print; next} d && /^  [^ ]/{print; next} {d=0}
         /==[0-9]+==ERROR|runtime error|^SUMMARY/{print}
         /^    #[0-9]+ .* (\/[^ ]*\/)?(src|tests\/fuzz)\//{print}' "$log" | head -25 | sed 's/^/# /'
  fi
  rm -rf "$tmp"
done
[ $bad -eq 0 ]
