#!/usr/bin/env bash
# Runs libFuzzer targets built by fuzz/module.mk, each for SECONDS, and
# prints one line per target: executions, coverage (edges and features),
# corpus size.  Every seed of fixtures/fuzz/<target>/ is replayed first.
# A crash, leak, timeout or sanitizer report stops the run: the log's
# tail is printed and the input stays in BUILD/fuzz/crashes/.
# Usage: fuzz/run.sh BUILD SECONDS [--scratch] TARGET...
#   --scratch   new inputs go to a temporary corpus (removed after);
#               otherwise to BUILD/fuzz/corpus/<target>/, kept for later runs
set -u
build=$1 secs=$2
shift 2
scratch=
if [ "${1:-}" = --scratch ]; then scratch=1; shift; fi

# The dictionary of a target (libFuzzer takes one), or none.
dict_of() {
  case $1 in
    mock_h1|mock_range|ref_judge) echo fixtures/fuzz/http.dict ;;
    mock_upload|ref_upload) echo fixtures/fuzz/upload.dict ;;
    mock_faults|mock_control) echo fixtures/fuzz/faults.dict ;;
    conf_gaps) echo fixtures/fuzz/gaps.dict ;;
  esac
}

status=0
for t in "$@"; do
  bin=$build/fuzz/$t seeds=fixtures/fuzz/$t
  logs=$build/fuzz/logs crashes=$build/fuzz/crashes
  mkdir -p "$logs" "$crashes" "$seeds"
  if [ -n "$scratch" ]; then
    corpus=$(mktemp -d "${TMPDIR:-/tmp}/docts-fuzz-$t.XXXXXX")
  else
    corpus=$build/fuzz/corpus/$t
    mkdir -p "$corpus"
  fi
  dict=$(dict_of "$t")
  log=$logs/$t.log
  # -timeout: an input that takes 10 s is a hang; -max_len: HTTP/2
  # needs a few frames, the rest far less.
  "$bin" -max_total_time="$secs" -timeout=10 -max_len=8192 \
    -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$crashes/$t-" ${dict:+-dict=$dict} \
    "$corpus" "$seeds" >"$log" 2>&1
  rc=$?
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
  done_line=$(grep -E '^#[0-9]+[[:space:]]+(DONE|INITED)' "$log" | tail -n 1)
  cov=$(sed -nE 's/.* cov: ([0-9]+).*/\1/p' <<<"$done_line")
  ft=$(sed -nE 's/.* ft: ([0-9]+).*/\1/p' <<<"$done_line")
  corp=$(sed -nE 's/.* corp: ([0-9]+).*/\1/p' <<<"$done_line")
  nseeds=$(find "$seeds" -type f | wc -l)
  if [ $rc -ne 0 ]; then
    echo "fuzz $t: FAILED (exit $rc) after ${runs:-?} runs; log $log:" >&2
    grep -E 'ERROR|SUMMARY|runtime error|Test unit written|deadly signal' \
      "$log" | head -n 20 >&2
    status=1
  else
    printf 'fuzz %-12s %10s runs in %ss, cov %s edges, ft %s, corpus %s (%s seeds)\n' \
      "$t" "${runs:-?}" "$secs" "${cov:-?}" "${ft:-?}" "${corp:-?}" "$nseeds"
  fi
  [ -n "$scratch" ] && rm -rf "$corpus"
done
exit $status
