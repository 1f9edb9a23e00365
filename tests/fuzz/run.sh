#!/usr/bin/env bash
# run.sh — fuzzes each target for FUZZ_SECONDS (make fuzz).  Per target:
#   reads    tests/fuzz/corpus/<target>/ (the committed seeds; never written)
#   writes   build-fuzz/corpus-<target>/ (new inputs), build-fuzz/crash-<target>/ (crashes,
#            leaks, timeouts), build-fuzz/<target>.log (libFuzzer output)
#   uses     tests/fuzz/<target>.dict when present
# Every target runs even when an earlier one fails; the exit status is 1 if any failed.  Ends
# with a summary: executions, exec/s, coverage (cov/ft) and corpus size per target.
# Usage: tests/fuzz/run.sh [target ...]   Environment: FUZZ_BUILD (build-fuzz), FUZZ_SECONDS
# (60), FUZZ_ARGS (extra libFuzzer flags, e.g. "-jobs=2 -workers=2" or "-max_len=8192"),
# QD_FUZZ_SKIP_KNOWN=1 (tolerate already-reported findings, see README.md).
set -u
cd "$(dirname "$0")/../.." || exit 1
FUZZ_BUILD=${FUZZ_BUILD:-build-fuzz}
FUZZ_SECONDS=${FUZZ_SECONDS:-60}
if [ $# -gt 0 ]; then targets=("$@"); else
  targets=(); for f in tests/fuzz/fuzz_*.c; do targets+=("$(basename "$f" .c)"); done
fi

failed=(); summary=()
for t in "${targets[@]}"; do
  bin=$FUZZ_BUILD/$t
  [ -x "$bin" ] || { echo "run.sh: $bin not built (make fuzz builds it)" >&2; failed+=("$t"); continue; }
  mkdir -p "$FUZZ_BUILD/corpus-$t" "$FUZZ_BUILD/crash-$t"
  dict=(); [ -f "tests/fuzz/$t.dict" ] && dict=("-dict=tests/fuzz/$t.dict")
  echo "== $t: ${FUZZ_SECONDS}s, corpus $FUZZ_BUILD/corpus-$t + tests/fuzz/corpus/$t"
  # shellcheck disable=SC2086
  "$bin" -max_total_time="$FUZZ_SECONDS" -timeout=10 -print_final_stats=1 \
      -artifact_prefix="$FUZZ_BUILD/crash-$t/" "${dict[@]}" ${FUZZ_ARGS:-} \
      "$FUZZ_BUILD/corpus-$t" "tests/fuzz/corpus/$t" >"$FUZZ_BUILD/$t.log" 2>&1
  rc=$?
  grep -E '^#[0-9]+.*(pulse|DONE|INITED)' "$FUZZ_BUILD/$t.log" | tail -2
  last=$(grep -E '^#[0-9]+' "$FUZZ_BUILD/$t.log" | tail -1)
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$FUZZ_BUILD/$t.log")
  eps=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$FUZZ_BUILD/$t.log")
  cov=$(sed -n 's/.* cov: \([0-9]*\) ft: \([0-9]*\) corp: \([^ ]*\).*/cov \1, ft \2, corpus \3/p' <<<"$last")
  if [ $rc -ne 0 ]; then
    failed+=("$t")
    echo "   FAILED (exit $rc); the report:"
    # The target's own diagnosis (fuzz_*: and its indented lines), the sanitizer's verdict and
    # the frames in this project's code, then where libFuzzer saved the input.
    awk '/^fuzz_[a-z]+: /{d=1; print; next} d && /^  [^ ]/{print; next} {d=0}
         /==[0-9]+==ERROR|runtime error|^SUMMARY|artifact_prefix/{print}
         /^    #[0-9]+ .* (\/[^ ]*\/)?(src|tests\/fuzz)\//{print}' \
      "$FUZZ_BUILD/$t.log" | head -30 | sed 's/^/   /'
    summary+=("$(printf '%-11s FAILED (see %s)' "$t" "$FUZZ_BUILD/$t.log")")
  else
    summary+=("$(printf '%-11s %10s execs  %6s exec/s  %s' "$t" "${execs:-?}" "${eps:-?}" "${cov:-?}")")
  fi
done
echo "== summary (${FUZZ_SECONDS}s per target)"
printf '   %s\n' "${summary[@]}"
if [ ${#failed[@]} -gt 0 ]; then
  echo "== failed: ${failed[*]} — crash inputs in $FUZZ_BUILD/crash-<target>/" >&2
  exit 1
fi
