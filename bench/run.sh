#!/usr/bin/env bash
# Benchmarks that print ratios measured side by side in the same run (these machines are noisy).
#   bench/run.sh step-overhead   1,000 local no-op steps vs a bash loop of the same commands
#   bench/run.sh startup         cold wall time of --help, validate, and the ALM-45654 dry-run
#   bench/run.sh ssh-fanout      1 and 10 commands on 50 loopback sshd hosts vs parallel-ssh, an ssh loop
#                                and Ansible (command and raw modules, pipelining; ANSIBLE=0 skips it)
#   bench/run.sh audit           audit verify and audit list over 1,000,000 events in 10,000 runs
#                                (BASELINE=main bench/run.sh audit: the engine at main too, side by side)
#   bench/run.sh memory          heap, threads and RSS of one run holding 1,000 SSH sessions open at once
#   bench/run.sh import          runbook import of the 40 MRS alarm documents (validity, dry-runs, edges
#                                reproduced by ref, TODOs, time), then of 600 (the 40 copied with other alarm ids)
#   bench/run.sh serve           runbook serve: alert -> first command p50/p99 over 200 alerts (warm), and a
#                                1,000-alert storm of one-step runbooks drained, vs a receiver that forks a shell
#                                per alert (the prometheus-am-executor pattern)
#   bench/run.sh scale           the same 1,000-alert storm drained by 1 and by 3 runbook serve on one real
#                                PostgreSQL, and one trail line through TrailStore: directory journal vs PostgreSQL
#   bench/run.sh mutation        PIT mutation testing of the safety-critical classes (shell quoting, redaction,
#                                audit verifier, host keys, locks, input validation, kubectl argv); survivors
#                                listed, each explained in docs/mutation.md; prints the score last
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

# The test fixtures' classes (SshLabMain, AuditTrailGenerator), built offline after ensure_built.
build_fixtures() { (cd "$here" && mvn -q -B -o -DskipTests -Dspotless.check.skip=true package -pl test-fixtures -am >/dev/null); }

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
  # The library index lives in the state directory: a first validate writes it (as any command
  # that reads the library does, except a dry run), then every measured command finds it warm.
  local state; state=$(mktemp -d)
  trap 'rm -rf "$state"' RETURN
  "$runbook" --state-dir "$state" validate >/dev/null
  local help=() validate=() dry=() cold=()
  run_cmds() {
    # interleaved, so that a noisy neighbour slows every command alike
    help+=("$(ms "$runbook" --state-dir "$state" --help)")
    validate+=("$(ms "$runbook" --state-dir "$state" validate)")
    dry+=("$(ms "$runbook" --state-dir "$state" run ALM-45654 --dry-run -p HostName=mrs-node-1 -p StandbyHost=mrs-node-2)")
    cold+=("$(ms "$runbook" --state-dir "$state/none" run ALM-45654 --dry-run -p HostName=mrs-node-1 -p StandbyHost=mrs-node-2)")
  }
  for r in $(seq 1 "$reps"); do run_cmds; done
  local h v d c
  h=$(printf '%s\n' "${help[@]}" | median); v=$(printf '%s\n' "${validate[@]}" | median)
  d=$(printf '%s\n' "${dry[@]}" | median); c=$(printf '%s\n' "${cold[@]}" | median)
  ratio() { awk -v a="$1" -v b="$2" 'BEGIN{printf "%.2f", a/b}'; }
  echo "machine: $(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg); median of $reps cold JVMs each, launcher script and CDS included"
  echo "                                          median    ratio to --help   goal"
  printf 'runbook --help                            %5s ms\n' "$h"
  printf 'runbook validate (whole library)          %5s ms    %5sx            <= 4x\n' "$v" "$(ratio "$v" "$h")"
  printf 'run ALM-45654 --dry-run (index warm)      %5s ms    %5sx            <= 3x\n' "$d" "$(ratio "$d" "$h")"
  printf 'run ALM-45654 --dry-run (no index)        %5s ms    %5sx\n' "$c" "$(ratio "$c" "$h")"
}

# Starts N real sshd hosts on 127.0.0.2… (and ALIASES host names spread over them) in $work/lab;
# they stay up until stop_lab. Sets lab and cfg.
start_lab() {
  build_fixtures
  lab="$work/lab"
  cfg="$lab/ssh_config"
  mkfifo "$work/hold"
  java -cp "$here/test-fixtures/target/classes" dev.runbook.fixtures.SshLabMain "$1" "$lab" "${2:-$1}" < "$work/hold" > "$work/lab.log" 2>&1 &
  lab_pid=$!
  exec 9> "$work/hold"   # holding the fifo open keeps the lab up; closing it stops every sshd
  for i in $(seq 1 1200); do [ -f "$lab/ready" ] || [ -f "$lab/failed" ] || ! kill -0 "$lab_pid" 2>/dev/null && break; sleep 0.1; done
  [ -f "$lab/ready" ] || { echo "lab failed: $(cat "$work/lab.log")" >&2; exit 1; }
}

stop_lab() {
  exec 9>&-
  wait "$lab_pid" || true
}

# A runbook BENCH-FANOUT-N: N steps (the given argv) on each host of Hosts, all hosts at once.
fanout_runbook() {
  local n=$1 parallel=$2 argv=$3
  {
    echo "runbook: BENCH-FANOUT-$n"
    echo "title: $n commands on each host"
    echo "params: {Hosts: {type: hosts, required: true}}"
    echo "targets: {node: {ssh: \"\${inputs.host}\"}}"
    echo "procedures:"
    echo "  on-host:"
    echo "    inputs: {host: {type: host, required: true}}"
    echo "    steps:"
    for c in $(seq 1 "$n"); do echo "      - {id: c$c, on: node, shell: {argv: $argv}, changes: false}"; done
    echo "steps:"
    echo "  - {id: all, foreach: \"\${params.Hosts}\", as: host, parallel: $parallel, call: on-host, with: {host: \"\${host}\"}}"
  } > "$work/runbooks/fanout-$n.yaml"
}

ssh_fanout() {
  local hosts=${HOSTS:-50} ansible=${ANSIBLE:-1}
  command -v parallel-ssh >/dev/null || { echo "needs parallel-ssh: apt-get install pssh" >&2; exit 2; }
  if [ "$ansible" = 1 ] && ! command -v ansible-playbook >/dev/null; then
    echo "needs ansible-playbook: apt-get install ansible-core (or ANSIBLE=0 to leave it out)" >&2; exit 2
  fi
  ensure_built
  start_lab "$hosts"
  mkdir -p "$work/runbooks"
  for n in 1 10; do fanout_runbook "$n" "$hosts" '["true"]'; done
  local list; list=$(paste -sd, "$lab/hosts.txt")
  export RUNBOOK_SSH_CONFIG="$cfg"
  pssh_n() { for c in $(seq 1 "$1"); do parallel-ssh -h "$lab/hosts.txt" -p "$hosts" -t 60 -x "-F $cfg -o BatchMode=yes" true >/dev/null || return 1; done; }
  ssh_loop() { while read -r h; do ssh -F "$cfg" -o BatchMode=yes "$h" true < /dev/null || return 1; done < "$lab/hosts.txt"; }
  rb() { "$runbook" --state-dir "$work/state" --runbooks "$work/runbooks" run "BENCH-FANOUT-$1" -p "Hosts=$list"; }
  # Ansible as its users run it for speed: pipelining, SSH ControlPersist (its default: one login
  # per host, reused by every task, like the engine's sessions), no fact gathering, a known
  # interpreter, forks = hosts. A fresh control directory per run, so every run logs in anew.
  { echo "[lab]"; cat "$lab/hosts.txt"
    echo "[lab:vars]"
    echo "ansible_ssh_common_args='-F $cfg -o BatchMode=yes'"
    echo "ansible_python_interpreter=/usr/bin/python3"; } > "$work/inventory"
  : > "$work/ansible.cfg"
  for n in 1 10; do
    for module in command raw; do
      { echo "- hosts: lab"; echo "  gather_facts: false"; echo "  tasks:"
        for c in $(seq 1 "$n"); do
          if [ $module = command ]; then echo "    - command: /bin/true"; else echo "    - raw: 'true'"; fi
        done; } > "$work/play-$module-$n.yml"
    done
  done
  local runs=0
  ans() {
    runs=$((runs + 1))
    local cp="$work/cp-$runs"
    mkdir -p "$cp"
    ANSIBLE_CONFIG="$work/ansible.cfg" ANSIBLE_PIPELINING=True ANSIBLE_FORKS="$hosts" \
      ANSIBLE_SSH_ARGS="-C -o ControlMaster=auto -o ControlPersist=60s" \
      ANSIBLE_SSH_CONTROL_PATH_DIR="$cp" ANSIBLE_LOCAL_TEMP="$work/ansible-tmp" \
      ANSIBLE_HOME="$work/ansible-home" \
      ansible-playbook -i "$work/inventory" "$work/play-$1-$2.yml"
  }
  # Asks the control masters a run left behind to exit (they are ours; each is told by its socket).
  ans_tidy() { for s in "$work/cp-$runs"/*; do [ -S "$s" ] && ssh -o ControlPath="$s" -O exit lab >/dev/null 2>&1; done; return 0; }
  local r1=() p1=() s1=() r10=() p10=() a1=() a10=() w1=() w10=()
  for r in $(seq 1 "${REPS:-3}"); do
    r1+=("$(ms rb 1)"); p1+=("$(ms pssh_n 1)"); s1+=("$(ms ssh_loop)")
    r10+=("$(ms rb 10)"); p10+=("$(ms pssh_n 10)")
    if [ "$ansible" = 1 ]; then
      a1+=("$(ms ans command 1)"); ans_tidy; a10+=("$(ms ans command 10)"); ans_tidy
      w1+=("$(ms ans raw 1)"); ans_tidy; w10+=("$(ms ans raw 10)"); ans_tidy
    fi
  done
  stop_lab
  local R1 P1 S1 R10 P10
  R1=$(printf '%s\n' "${r1[@]}" | median); P1=$(printf '%s\n' "${p1[@]}" | median); S1=$(printf '%s\n' "${s1[@]}" | median)
  R10=$(printf '%s\n' "${r10[@]}" | median); P10=$(printf '%s\n' "${p10[@]}" | median)
  echo "machine: $(nproc) cores; $hosts sshd hosts on 127.0.0.2-$((hosts+1)); median of ${REPS:-3} runs each, interleaved"
  echo "1 command per host:   runbook ${R1} ms   parallel-ssh ${P1} ms   ssh loop ${S1} ms"
  echo "10 commands per host: runbook ${R10} ms   parallel-ssh (10 runs) ${P10} ms"
  if [ "$ansible" = 1 ]; then
    local A1 A10 W1 W10
    A1=$(printf '%s\n' "${a1[@]}" | median); A10=$(printf '%s\n' "${a10[@]}" | median)
    W1=$(printf '%s\n' "${w1[@]}" | median); W10=$(printf '%s\n' "${w10[@]}" | median)
    echo "Ansible $(ansible-playbook --version | head -1 | tr -d '[]'), pipelining, forks $hosts:"
    echo "  1 task per host:    command module ${A1} ms   raw ${W1} ms"
    echo "  10 tasks per host:  command module ${A10} ms   raw ${W10} ms"
    echo "ratio Ansible/runbook, 1 cmd:   command $(awk -v a="$A1" -v b="$R1" 'BEGIN{printf "%.1f", a/b}')x   raw $(awk -v a="$W1" -v b="$R1" 'BEGIN{printf "%.1f", a/b}')x"
    echo "ratio Ansible/runbook, 10 cmds: command $(awk -v a="$A10" -v b="$R10" 'BEGIN{printf "%.1f", a/b}')x   raw $(awk -v a="$W10" -v b="$R10" 'BEGIN{printf "%.1f", a/b}')x   (goal >= 10x faster)"
  fi
  echo "ratio 1 cmd:   runbook/pssh $(awk -v a="$R1" -v b="$P1" 'BEGIN{printf "%.2f", a/b}')x   runbook/ssh-loop $(awk -v a="$R1" -v b="$S1" 'BEGIN{printf "%.2f", a/b}')x"
  echo "ratio 10 cmds: runbook/pssh $(awk -v a="$R10" -v b="$P10" 'BEGIN{printf "%.2f", a/b}')x   (goal <= 0.5x)"
}

memory() {
  # SESSIONS host names spread over SERVERS sshd instances (each alias is its own host and session
  # to the engine). Every host's one step opens a FIFO, says so, and blocks reading it; the script
  # waits until all have said so, samples the engine's JVM, then closes the FIFO's last writer so
  # every step ends with EOF.
  local sessions=${SESSIONS:-1000} servers=${SERVERS:-50} heap=${HEAP:-512m}
  ensure_built
  start_lab "$servers" "$sessions"
  chmod 755 "$work"
  mkfifo -m 644 "$work/release"
  exec 8<> "$work/release"
  : > "$work/up"; chmod 666 "$work/up"
  mkdir -p "$work/runbooks"
  fanout_runbook 1 "$sessions" "[sh, -c, \"exec 3< $work/release; echo up >> $work/up; cat <&3\"]"
  local list; list=$(paste -sd, "$lab/hosts.txt")
  local start end
  start=$(date +%s%N)
  RUNBOOK_SSH_CONFIG="$cfg" RUNBOOK_JAVA_OPTS="${RUNBOOK_JAVA_OPTS:-} -Xmx$heap" "$runbook" --state-dir "$work/state" --runbooks "$work/runbooks" \
    run BENCH-FANOUT-1 -p "Hosts=$list" > "$work/run.log" 2>&1 8>&- &
  local pid=$!
  local up=0 failed=0
  for i in $(seq 1 1800); do   # at most 180 s
    up=$(wc -l < "$work/up")
    failed=$(grep -c '✗ failed (connect)' "$work/run.log" || true)
    [ $((up + failed)) -ge "$sessions" ] || ! kill -0 "$pid" 2>/dev/null && break
    sleep 0.1
  done
  end=$(date +%s%N)
  if [ "$up" -lt "$sessions" ] && kill -0 "$pid" 2>/dev/null; then
    jcmd "$pid" Thread.print > /tmp/runbook-bench-memory-threads.txt 2>&1 || true
    echo "only $up of $sessions steps waiting after the deadline: thread dump in /tmp/runbook-bench-memory-threads.txt" >&2
  fi
  local established threads rss heap_used live
  established=$(ss -tnpH state established 2>/dev/null | grep -c "pid=$pid," || true)
  threads=$(awk '/^Threads:/ {print $2}' "/proc/$pid/status")
  rss=$(awk '/^VmRSS:/ {printf "%d", $2/1024}' "/proc/$pid/status")
  hwm=$(awk '/^VmHWM:/ {printf "%d", $2/1024}' "/proc/$pid/status")
  # Serial GC: young + old generation, FIELD "used" or "total" (committed), in MB.
  heap_mb() { jcmd "$pid" GC.heap_info | awk -v f="$1" '/generation/ {for (i = 1; i <= NF; i++) if ($i == f) {v = $(i+1); sub(/K,?/, "", v); t += v}} END {print int(t / 1024)}'; }
  heap_used=$(heap_mb used)
  # Thread names without their numbers: which parts of the engine hold threads per session.
  jcmd "$pid" Thread.print | awk -F'"' '/^"/ {n = $2; gsub(/[0-9]+/, "#", n); c[n]++} END {for (k in c) print c[k], k}' | sort -rn | head -n 6 > "$work/threads"
  jcmd "$pid" GC.run >/dev/null
  live=$(heap_mb used)   # after a full collection: the live set
  local committed; committed=$(heap_mb total)
  exec 8>&-   # the last writer: every step's cat reads EOF and ends
  local rc=0
  wait "$pid" || rc=$?
  [ "$rc" = 0 ] || cp "$work/run.log" /tmp/runbook-bench-memory-run.log
  stop_lab
  echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB; $servers sshd instances on 127.0.0.2-$((servers+1)), $sessions host names over them; -Xmx$heap"
  echo "logins done and every step waiting after $(( (end - start) / 1000000 )) ms; run exit code $rc ($(tail -n 1 "$work/run.log"))"
  echo "steps waiting at once: $up   logins failed: $failed   SSH connections the engine held open (ss): $established"
  echo "engine JVM: threads $threads   RSS $rss MB (peak $hwm MB)   heap committed $committed MB"
  echo "heap used $heap_used MB; live after a full GC $live MB   (goal <= 512 MB)"
  echo "threads by name (counts): $(awk '{c = $1; $1 = ""; printf "%s%s x%s", sep, substr($0, 2), c; sep = ", "}' "$work/threads")"
  echo "per session: $(awk -v h="$live" -v s="$established" 'BEGIN{if (s > 0) printf "%.0f", h*1024/s; else print "-"}') KB live heap, $(awk -v t="$threads" -v s="$established" 'BEGIN{if (s > 0) printf "%.2f", t/s; else print "-"}') threads"
}

audit_bench() {
  # BASELINE=REF also measures the engine at git REF (e.g. main) on the same trails, interleaved.
  local runs=${RUNS:-10000} events=${EVENTS:-100} baseline=${BASELINE:-}
  ensure_built
  build_fixtures
  local base=""
  if [ -n "$baseline" ]; then
    base="$work/base"
    mkdir -p "$base"
    (cd "$here" && git archive "$baseline") | tar -x -C "$base"
    "$base/runbook" --version >/dev/null
  fi
  local cp="$here/test-fixtures/target/classes:$here/engine/cli/target/runbook-cli.jar:$here/engine/cli/target/lib/*"
  local gen_start gen_end
  gen_start=$(date +%s%N)
  java -cp "$cp" dev.runbook.fixtures.AuditTrailGenerator "$work/state" "$runs" "$events"
  gen_end=$(date +%s%N)
  local lines; lines=$(cat "$work"/state/runs/*/events.jsonl | wc -l)
  local index="$work/state/run-index.tsv"
  # The launcher runs C1 only (fast start-up); SHA-256 is a CPU intrinsic only in C2.
  local c2="-XX:TieredStopAtLevel=4"
  local v=() v2=() l=() l0=() c=() bv=() bl=()
  for r in $(seq 1 "$reps"); do
    c+=("$(ms sh -c "cat '$work'/state/runs/*/events.jsonl | sha256sum")")
    v+=("$(ms "$runbook" --state-dir "$work/state" audit verify)")
    v2+=("$(RUNBOOK_JAVA_OPTS="$c2" ms "$runbook" --state-dir "$work/state" audit verify)")
    l+=("$(ms "$runbook" --state-dir "$work/state" audit list --outcome failed)")
    mv "$index" "$index.off"
    l0+=("$(ms "$runbook" --state-dir "$work/state" audit list --outcome failed)")
    mv "$index.off" "$index"
    if [ -n "$base" ]; then
      bv+=("$(ms "$base/runbook" --state-dir "$work/state" audit verify)")
      bl+=("$(ms "$base/runbook" --state-dir "$work/state" audit list --outcome failed)")
    fi
  done
  med() { printf '%s\n' "$@" | median; }
  local V V2 L L0 C; V=$(med "${v[@]}"); V2=$(med "${v2[@]}"); L=$(med "${l[@]}"); L0=$(med "${l0[@]}"); C=$(med "${c[@]}")
  echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); $runs runs, $lines events ($(du -sh "$work/state" | cut -f1)), generated in $(( (gen_end - gen_start) / 1000000 )) ms; median of $reps, interleaved"
  echo "floor: cat | sha256sum of every trail:          ${C} ms"
  echo "runbook audit verify (every run):               ${V} ms   (goal <= 2000 ms)"
  echo "  the same with C2 (RUNBOOK_JAVA_OPTS=$c2): ${V2} ms"
  echo "runbook audit list --outcome failed:            ${L} ms   (goal <= 500 ms)"
  echo "  the same without run-index.tsv (every trail): ${L0} ms"
  if [ -n "$base" ]; then
    local BV BL; BV=$(med "${bv[@]}"); BL=$(med "${bl[@]}")
    echo "baseline $baseline: audit verify ${BV} ms, audit list --outcome failed ${BL} ms"
    echo "ratio verify now/baseline: $(awk -v a="$V" -v b="$BV" 'BEGIN{printf "%.2f", a/b}')x   list now/baseline: $(awk -v a="$L" -v b="$BL" 'BEGIN{printf "%.2f", a/b}')x"
  fi
  echo "ratio verify/floor: $(awk -v a="$V" -v b="$C" 'BEGIN{printf "%.1f", a/b}')x   (C2: $(awk -v a="$V2" -v b="$C" 'BEGIN{printf "%.1f", a/b}')x)"
}

import_bench() {
  # CORPUS: the MRS alarm documents (reStructuredText); COPIES: how many times the 600-document
  # folder repeats them, each copy with alarm ids of its own.
  local corpus=${CORPUS:-$here/../shared/corpus/mrs-alarms} copies=${COPIES:-15}
  [ -d "$corpus" ] || { echo "needs the MRS alarm documents: CORPUS=DIR (default ../shared/corpus/mrs-alarms)" >&2; exit 2; }
  python3 -c 'import yaml' 2>/dev/null || { echo "needs python3 with PyYAML (apt-get install python3-yaml) for the edge count" >&2; exit 2; }
  ensure_built
  local docs; docs=$(find "$corpus" -maxdepth 1 -name '*.rst' | wc -l)
  "$runbook" import "$corpus" -o "$work/out" 2> "$work/report" || { cat "$work/report" >&2; exit 1; }
  local t=()
  for r in $(seq 1 "$reps"); do t+=("$(ms "$runbook" import "$corpus" -o "$work/out-$r")"); done
  local T; T=$(printf '%s\n' "${t[@]}" | median)
  local valid; valid=$("$runbook" validate "$work/out" 2>&1 | tail -n 1)
  # Every runbook previews: a dry-run with the alarm host when it takes one.
  local dry=0 dryfail=0
  for f in "$work"/out/*.yaml; do
    local id args=()
    id=$(basename "$f" .yaml)
    grep -q '^  HostName:' "$f" && args=(-p HostName=alarm-host-1)
    if "$runbook" --runbooks "$work/out" run "$id" --dry-run "${args[@]}" >/dev/null 2>&1; then dry=$((dry + 1)); else dryfail=$((dryfail + 1)); echo "dry-run failed: $id" >&2; fi
  done
  local edges; edges=$(python3 "$here/bench/import_edges.py" "$corpus" "$work/out")
  # 600 documents: the corpus $copies times, every alarm id renumbered per copy (the two editions
  # of one alarm stay two editions of one alarm).
  mkdir -p "$work/many"
  local ids; ids=$(ls "$corpus" | grep -o 'alm-[0-9]*' | sort -u | sed 's/alm-//')
  for k in $(seq 1 "$copies"); do
    local n=0
    for id in $ids; do
      n=$((n + 1))
      local new=$((600000 + k * 1000 + n))
      for f in "$corpus"/*"alm-$id"_*.rst; do
        local name; name=$(basename "$f" | sed "s/alm-$id/alm-$new/")
        sed -E "s/([Aa][Ll][Mm][-_])$id\b/\1$new/g; s/\b$id\b/$new/g" "$f" > "$work/many/$name"
      done
    done
  done
  local many; many=$(ls "$work/many" | wc -l)
  local m=()
  for r in $(seq 1 "$reps"); do m+=("$(ms "$runbook" import "$work/many" -o "$work/many-out-$r")"); done
  local M; M=$(printf '%s\n' "${m[@]}" | median)
  "$runbook" import "$work/many" -o "$work/many-out" 2> "$work/many-report" || { cat "$work/many-report" >&2; exit 1; }
  local manyvalid; manyvalid=$("$runbook" validate "$work/many-out" 2>&1 | tail -n 1)
  echo "machine: $(nproc) cores; median of $reps runs each (JVM start and validation of every runbook included)"
  echo "$docs documents: $(tail -n 1 "$work/report")"
  echo "validate: $valid; dry-runs: $dry ok, $dryfail failed"
  echo "$edges"
  echo "time for $docs documents: ${T} ms"
  echo "$many documents: $(tail -n 1 "$work/many-report"); validate: $manyvalid"
  echo "time for $many documents: ${M} ms   (goal <= 30000 ms)"
}

# A free port on loopback (the kernel picks it; the socket is closed before the server binds it).
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

serve_bench() {
  ensure_built
  local load="$here/bench/serve_load.py" alerts=${ALERTS:-1000} per=${PER_WEBHOOK:-10} workers=${WORKERS:-4}
  mkdir -p "$work/runbooks" "$work/marks" "$work/exec-marks"
  # One step per alert; its command writes the time it started (the latency's end) as the alert's mark.
  cat > "$work/runbooks/bench.yaml" <<'YAML'
runbook: BENCH-SERVE
title: One step per alert
alarms: [Bench]
trigger: {policy: auto}
params:
  n: {type: int, required: true}
steps:
  - id: mark
    shell: date +%s%N > "$MARKS"/${params.n}
    changes: true
YAML
  local port base
  port=$(free_port); base="http://127.0.0.1:$port"
  MARKS="$work/marks" "$runbook" --state-dir "$work/state" --runbooks "$work/runbooks" serve \
    --listen "127.0.0.1:$port" --workers "$workers" > "$work/serve.out" 2> "$work/serve.err" &
  serve_pid=$!
  local server=$serve_pid
  trap 'kill "$serve_pid" 2>/dev/null; rm -rf "$work"' EXIT
  local i
  for i in $(seq 1 600); do   # 60 s at most for the JVM to listen
    curl -sf "$base/healthz" >/dev/null 2>&1 && break
    kill -0 $server 2>/dev/null || { echo "runbook serve stopped:" >&2; cat "$work/serve.err" >&2; exit 1; }
    [ "$i" = 600 ] && { echo "runbook serve did not answer /healthz in 60 s" >&2; exit 1; }
    sleep 0.1
  done
  echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg); runbook serve with $workers workers, every alert and trail synced (fsync), one JVM kept warm"
  python3 "$load" latency "$base" "$work/marks" 0 "${LATENCY_ALERTS:-200}" 50
  python3 "$load" breakdown "$work/state" "$work/marks" 50 "${LATENCY_ALERTS:-200}"
  # The storm, on the same warm server: alerts n = 100000.., $per to a webhook as Alertmanager
  # groups them, posted as fast as one client can; drained when every run has ended.
  local rb ex
  rb=$(python3 "$load" storm "$base" "$work/marks" 100000 "$alerts" "$per")
  kill $server; wait $server 2>/dev/null || true
  # The baseline in the same script: a receiver that forks the same command as a shell script per alert.
  printf '%s\n' '#!/bin/sh' "date +%s%N > \"$work/exec-marks/\$AMX_LABEL_n\"" > "$work/exec.sh"
  ex=$(python3 "$load" executor-storm "$(free_port)" "$work/exec.sh" "$work/exec-marks" "$alerts" "$per")
  local rbs=${rb%% *} exs=${ex%% *}
  echo "storm of $alerts alerts ($per per webhook), runbook serve: drained in ${rbs} s, $(awk -v t="$rbs" -v n="$alerts" 'BEGIN{printf "%.0f", n/t}') alerts/s (posting took ${rb##* } s; each alert a queue record, a run and its trail, all synced)"
  echo "storm of $alerts alerts ($per per webhook), fork-a-shell-per-alert receiver: drained in ${exs} s, $(awk -v t="$exs" -v n="$alerts" 'BEGIN{printf "%.0f", n/t}') alerts/s (no record of anything)"
  echo "ratio runbook serve / fork-per-alert receiver (storm drain time): $(awk -v a="$rbs" -v b="$exs" 'BEGIN{printf "%.2f", a/b}')x"
}

# ScaleBench (engine/cli test scope: it starts the servers and PostgreSQL with the test fixtures)
# on the CLI module's test class path, which Maven writes out after compiling the tests offline.
scale_bench() {
  ensure_built
  local alerts=${ALERTS:-1000} lines=${LINES:-2000}
  (cd "$here" && mvn -q -B -o -DskipTests -Dspotless.check.skip=true -pl engine/cli -am test-compile \
     dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$work/cp.txt" > "$work/build.log" 2>&1) \
    || { tail -n 30 "$work/build.log" >&2; exit 1; }
  echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) before; PostgreSQL $(/usr/lib/postgresql/15/bin/postgres --version | awk '{print $3}') (initdb per measurement, fsync on), each server --workers ${WORKERS:-2}, its own state directory (trails synced)"
  java -cp "$here/engine/cli/target/test-classes:$here/engine/cli/target/classes:$(cat "$work/cp.txt")" dev.runbook.cli.ScaleBench "$alerts" "${REPS:-1}" "$lines" "${WORKERS:-2}"
  echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
}

# PIT over the classes each module names in mutation.targetClasses (profile mutation in the poms):
# engine/api, engine/core, plugins/ssh (its ITs against real sshd included), plugins/kubectl.
mutation() {
  local modules=engine/api,engine/core,plugins/ssh,plugins/kubectl
  local start end
  start=$(date +%s%N)
  (cd "$here" && mvn -B -q -P mutation -Dspotless.check.skip=true -pl "$modules" -am \
     test-compile org.pitest:pitest-maven:mutationCoverage > "$work/pit.log" 2>&1) \
    || { tail -n 40 "$work/pit.log" >&2; echo "PIT failed (whole log: kept in /tmp/runbook-bench-mutation.log)" >&2
         cp "$work/pit.log" /tmp/runbook-bench-mutation.log; exit 1; }
  end=$(date +%s%N)
  local reports=()
  for m in ${modules//,/ }; do reports+=("$here/$m/target/pit-reports/mutations.xml"); done
  echo "machine: $(nproc) cores; PIT 1.30.2 with its JUnit 5 plugin 1.2.3 and its default mutators"
  echo "time: $(( (end - start) / 1000 / 1000000 )) s for $modules (build of the modules and test fixtures included)"
  echo "reports: \$module/target/pit-reports/index.html; why each survivor lives: docs/mutation.md"
  python3 "$here/bench/mutation_report.py" "${reports[@]}"
}

case "${1:-}" in
  serve) serve_bench ;;
  step-overhead) step_overhead ;;
  startup) startup ;;
  ssh-fanout) ssh_fanout ;;
  audit) audit_bench ;;
  memory) memory ;;
  import) import_bench ;;
  scale) scale_bench ;;
  mutation) mutation ;;
  *) sed -n '2,19p' "$0"; exit 2 ;;
esac
