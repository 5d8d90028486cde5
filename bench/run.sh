#!/usr/bin/env bash
# Benchmarks that print ratios measured side by side in the same run (these machines are noisy).
#   bench/run.sh step-overhead   1,000 local no-op steps vs a bash loop of the same commands
#   bench/run.sh startup         cold wall time of --help, validate, and the ALM-45654 dry-run
# Each prints its figures, and its ratio last.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
runbook="$here/runbook"
work=$(mktemp -d /tmp/runbook-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
reps=${REPS:-5}

# Wall time of a command in milliseconds (bash's own clock, no external tool).
ms() {
  local start end
  start=$(date +%s%N)
  "$@" >/dev/null 2>&1 || { echo "benchmark command failed: $*" >&2; exit 1; }
  end=$(date +%s%N)
  echo $(( (end - start) / 1000000 ))
}

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : int((a[NR/2]+a[NR/2+1])/2)}'; }

ensure_built() { "$runbook" --version >/dev/null; }

step_overhead() {
  local steps=${STEPS:-1000}
  mkdir -p "$work/runbooks"
  {
    echo "runbook: BENCH-NOOP"
    echo "title: $steps no-op steps"
    echo "steps:"
    for i in $(seq 1 "$steps"); do echo "  - {id: s$i, shell: {argv: [/bin/true]}, changes: false}"; done
  } > "$work/runbooks/noop.yaml"
  ensure_built
  local bash_ms=() engine_ms=() nosync_ms=()
  for r in $(seq 1 "$reps"); do
    bash_ms+=("$(ms bash -c "for i in \$(seq 1 $steps); do /bin/true; done")")
    engine_ms+=("$(ms "$runbook" --state-dir "$work/state" --runbooks "$work/runbooks" run BENCH-NOOP)")
    nosync_ms+=("$(RUNBOOK_FSYNC=off ms "$runbook" --state-dir "$work/state-nosync" --runbooks "$work/runbooks" run BENCH-NOOP)")
  done
  local b e n
  b=$(printf '%s\n' "${bash_ms[@]}" | median)
  e=$(printf '%s\n' "${engine_ms[@]}" | median)
  n=$(printf '%s\n' "${nosync_ms[@]}" | median)
  echo "machine: $(nproc) cores, $(uname -r); $steps steps, median of $reps runs each, interleaved"
  echo "bash loop of /bin/true:              ${b} ms  ($(awk -v t="$b" -v s="$steps" 'BEGIN{printf "%.2f", t/s}') ms/command)"
  echo "runbook, trail with fsync:           ${e} ms  ($(awk -v t="$e" -v s="$steps" 'BEGIN{printf "%.2f", t/s}') ms/step, JVM start included)"
  echo "runbook, trail without fsync:        ${n} ms  ($(awk -v t="$n" -v s="$steps" 'BEGIN{printf "%.2f", t/s}') ms/step)"
  echo "ratio runbook/bash (fsync on):  $(awk -v e="$e" -v b="$b" 'BEGIN{printf "%.2f", e/b}')x   (goal <= 1.5x)"
  echo "ratio runbook/bash (fsync off): $(awk -v e="$n" -v b="$b" 'BEGIN{printf "%.2f", e/b}')x"
}

startup() {
  ensure_built
  local help=() validate=() dry=()
  for r in $(seq 1 "$reps"); do
    help+=("$(ms "$runbook" --help)")
    validate+=("$(ms "$runbook" validate)")
    dry+=("$(ms "$runbook" run ALM-45654 --dry-run -p HostName=mrs-node-1 -p StandbyHost=mrs-node-2)")
  done
  echo "machine: $(nproc) cores; median of $reps cold runs (a new JVM each), launcher script included"
  echo "runbook --help:                    $(printf '%s\n' "${help[@]}" | median) ms   (goal <= 150 ms)"
  echo "runbook validate (library):        $(printf '%s\n' "${validate[@]}" | median) ms   (goal <= 400 ms)"
  echo "runbook run ALM-45654 --dry-run:   $(printf '%s\n' "${dry[@]}" | median) ms   (goal <= 400 ms)"
}

case "${1:-}" in
  step-overhead) step_overhead ;;
  startup) startup ;;
  *) sed -n '2,6p' "$0"; exit 2 ;;
esac
