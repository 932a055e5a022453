#!/usr/bin/env bash
# Scale-out under a real Slurm (issue 10): starts a private single-node Slurm cluster on this host
# (munged + slurmctld + slurmd, a minimal slurm.conf naming this host with its CPUs, state and logs
# in a temporary directory, ports 16817/16818 so a system Slurm is left alone), then
#   1. runs contrib/datatrove/rmprep_datatrove.py unchanged under datatrove's
#      SlurmPipelineExecutor (plan, 4 ranks as a job array of at most 2 at once, merge, chained
#      with Slurm dependencies), and
#   2. runs the README's copy-paste example (`sbatch --array` of `rmprep shard` ranks taking the
#      rank from SLURM_ARRAY_TASK_ID, then `sbatch --dependency=afterok:` for the merge),
# and compares both merged directories byte for byte with one `rmprep convert --targets`.
# Needs root (slurmd and munged are started here), slurm-wlm and munge (Debian:
# `apt install slurm-wlm munge`) and datatrove 0.10.1 in the peer venv; skips with a message
# when any is missing or the cluster does not come up. Not part of `make test` or `make parity`
# (it starts system daemons); run it by hand:  bash scripts/slurm-local.sh
# Environment: SLURM_LOCAL_PORT (default 16817; slurmd uses the next port), KEEP=1 keeps the
# temporary directory (logs, slurm.conf) for inspection.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
BIN="$ROOT/.build/release/rmprep"
[[ -x "$BIN" ]] || BIN="$ROOT/.build/debug/rmprep"
[[ -x "$BIN" ]] || { echo "slurm-local: build rmprep first (swift build --product rmprep)" >&2; exit 1; }
skip() { echo "SKIP: $*"; exit 0; }
for tool in munged slurmctld slurmd sbatch squeue scontrol sinfo runuser; do
  command -v "$tool" >/dev/null || skip "$tool not found (apt install slurm-wlm munge)"
done
[[ $(id -u) == 0 ]] || skip "starting munged and slurmd needs root"
id munge >/dev/null 2>&1 || skip "no munge user (apt install munge)"
[[ -r /etc/munge/munge.key ]] || skip "no /etc/munge/munge.key (apt install munge creates it)"
PY=$(scripts/venv.sh datatrove==0.10.1) || skip "datatrove cannot be installed"
VENV="$(dirname "$(dirname "$PY")")"
PORT=${SLURM_LOCAL_PORT:-16817}
HOST=$(hostname -s)
CPUS=$(nproc)
MEMORY=$(awk '/^MemTotal/ {print int($2 / 1024 * 0.9)}' /proc/meminfo)

tmp=$(mktemp -d /tmp/slurm-local.XXXXXX)
chmod 755 "$tmp"
mkdir -p "$tmp"/{state,spool,log,run,munge}
chown munge:munge "$tmp/munge"
chmod 755 "$tmp/munge"  # munged wants its socket directory searchable by all
stop_daemons() {
  local pidfile
  for pidfile in "$tmp/run/slurmd.pid" "$tmp/run/slurmctld.pid" "$tmp/munge/munged.pid"; do
    [[ -s "$pidfile" ]] && kill "$(cat "$pidfile")" 2>/dev/null || true
  done
  sleep 1
}
cleanup() {
  stop_daemons
  if [[ ${KEEP:-0} == 1 ]]; then echo "slurm-local: kept $tmp" >&2; else rm -rf "$tmp"; fi
}
trap cleanup EXIT

# The cluster: one node (this host), one partition, no accounting, no cgroups (containers often
# have none), processes tracked by /proc.
runuser -u munge -- munged --socket="$tmp/munge/munge.socket" --pid-file="$tmp/munge/munged.pid" \
  --log-file="$tmp/munge/munged.log" --seed-file="$tmp/munge/munged.seed" ||
  skip "munged does not start (see $tmp/munge/munged.log)"
cat >"$tmp/slurm.conf" <<EOF
ClusterName=local
SlurmctldHost=$HOST
SlurmctldPort=$PORT
SlurmdPort=$((PORT + 1))
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$tmp/munge/munge.socket
SlurmUser=root
SlurmdUser=root
StateSaveLocation=$tmp/state
SlurmdSpoolDir=$tmp/spool
SlurmctldPidFile=$tmp/run/slurmctld.pid
SlurmdPidFile=$tmp/run/slurmd.pid
SlurmctldLogFile=$tmp/log/slurmctld.log
SlurmdLogFile=$tmp/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
ReturnToService=2
MpiDefault=none
SwitchType=switch/none
MinJobAge=3600
NodeName=$HOST CPUs=$CPUS RealMemory=$MEMORY State=UNKNOWN
PartitionName=local Nodes=$HOST Default=YES MaxTime=INFINITE State=UP
EOF
export SLURM_CONF="$tmp/slurm.conf"
slurmctld || skip "slurmctld does not start (see $tmp/log/slurmctld.log)"
slurmd || skip "slurmd does not start (see $tmp/log/slurmd.log)"
for ((i = 0; i < 30; i++)); do
  [[ $(sinfo -h -N -o '%t' 2>/dev/null) == idle ]] && break
  sleep 1
done
[[ $(sinfo -h -N -o '%t' 2>/dev/null) == idle ]] ||
  { tail -5 "$tmp/log/slurmctld.log" "$tmp/log/slurmd.log" >&2; skip "the Slurm node did not come up"; }
echo "slurm-local: $(sinfo -V), node $HOST with $CPUS CPUs up" >&2

# wait_all: until the queue is empty (this cluster runs only this script's jobs), then fails
# unless every job it ran ended COMPLETED (MinJobAge keeps them listed).
wait_all() {
  local i state
  for ((i = 0; i < 900; i++)); do
    [[ -z $(squeue -h -o '%i' 2>/dev/null) ]] && break
    sleep 1
  done
  [[ -z $(squeue -h -o '%i') ]] || { squeue >&2; echo "slurm-local: jobs still queued" >&2; return 1; }
  if scontrol -o show job | grep -v 'JobState=COMPLETED' | grep -q JobId; then
    scontrol -o show job | grep -v 'JobState=COMPLETED' | grep -o 'JobId=[0-9]* .*JobState=[A-Z_]*' >&2
    echo "slurm-local: a job did not complete" >&2
    return 1
  fi
}
jobs_run() { scontrol -o show job | grep -c JobId; }

# Inputs: two plain JSONL files and a gzip one holding duplicates of the first (across ranks).
data="$tmp/data"
mkdir -p "$data"
"$BIN" synth --pairs 1200 --seed 61 -o "$data/a.jsonl" 2>/dev/null
"$BIN" synth --pairs 300 --seed 62 -o "$data/b.jsonl" 2>/dev/null
head -50 "$data/a.jsonl" | gzip -c >"$data/c.jsonl.gz"
"$BIN" tokenizer train "$data/a.jsonl" --vocab-size 400 -o "$data/tok.json" 2>/dev/null
INPUTS=("$data/a.jsonl" "$data/b.jsonl" "$data/c.jsonl.gz")
FLAGS=(--tokenizer "$data/tok.json" --targets seq2seq --val-fraction 0.1)
"$BIN" convert "${INPUTS[@]}" "${FLAGS[@]}" -o "$data/single" 2>/dev/null

# 1. datatrove's SlurmPipelineExecutor: the jobs run `launch_pickled_pipeline` from the venv and
#    unpickle the steps by importing the adapter, so contrib/ goes on their PYTHONPATH (sbatch
#    passes the environment on).
export PYTHONPATH="$ROOT/contrib:$ROOT/contrib/datatrove${PYTHONPATH:+:$PYTHONPATH}"
dt="$tmp/datatrove"
mkdir -p "$dt"
cd "$dt"
cat >"$tmp/submit_pipeline.py" <<'PY'
import sys
from datatrove.executor import SlurmPipelineExecutor
from rmprep_datatrove import executors
from rmprep_scaleout import ScaleOutJob

rmprep, work, venv = sys.argv[1:4]
split = sys.argv.index("--")
job = ScaleOutJob(
    rmprep=rmprep, inputs=sys.argv[4:split], world_size=4, convert_args=sys.argv[split + 1 :],
    work_dir=work, output=work + "/merged", shard_args=["--threads", "1"])
executors(job, SlurmPipelineExecutor, workers=2, partition="local", time="00:20:00",
          cpus_per_task=1, mem_per_cpu_gb=1, venv_path=venv + "/bin/activate", qos="").run()
PY
submit() {  # submit LOG: the pipeline through datatrove (it returns once the jobs are queued)
  "$PY" "$tmp/submit_pipeline.py" "$BIN" "$dt" "$VENV" "${INPUTS[@]}" -- "${FLAGS[@]}" >"$1" 2>&1 ||
    { tail -30 "$1" >&2; echo "slurm-local: submitting with datatrove failed" >&2; exit 1; }
}
submit "$tmp/datatrove.log"
wait_all || { tail -n 20 "$dt"/logs/*/slurm_logs/* >&2 || true; exit 1; }
diff -r "$data/single" "$dt/merged" ||
  { echo "slurm-local: datatrove on Slurm: merged output differs from one rmprep convert" >&2; exit 1; }
[[ $(ls "$dt/logs/shard/completions" | wc -l) == 4 ]] ||
  { echo "slurm-local: expected 4 shard completion markers" >&2; exit 1; }
grep -h "rmprep shard: .*part-0000[0-3]-of-00004: " "$dt"/logs/*/slurm_logs/* | wc -l | grep -qx 4 ||
  { echo "slurm-local: expected 4 ranks converted in the Slurm logs" >&2; exit 1; }
echo "slurm-local: datatrove SlurmPipelineExecutor ok ($(jobs_run) Slurm jobs and array tasks:" \
  "plan, 4 ranks as an array of at most 2 at once, merge, and datatrove's stats merges;" \
  "merged = one convert)"
# Submitted again, datatrove finds every task completed and queues nothing.
before=$(jobs_run)
submit "$tmp/datatrove-again.log"
[[ $(grep -c "Skipping launch of .* tasks have already been completed" "$tmp/datatrove-again.log") == 3 &&
  $(jobs_run) == "$before" ]] ||
  { cat "$tmp/datatrove-again.log" >&2; echo "slurm-local: the re-submission queued jobs" >&2; exit 1; }
echo "slurm-local: submitted again, datatrove skipped plan, ranks and merge (all completed)"

# 2. The README's example: a job array of ranks and a dependent merge job (rmprep on PATH).
export PATH="$(dirname "$BIN"):$PATH"
run="$tmp/sbatch"
mkdir -p "$run"
cd "$run"
W=4
rmprep plan "${INPUTS[@]}" --world-size $W "${FLAGS[@]}" -o "$run/plan.json" 2>/dev/null
jid=$(sbatch --parsable --array=0-$((W - 1))%2 --cpus-per-task=1 --requeue \
  --wrap "rmprep shard --plan $run/plan.json -o $run/parts --threads 1")
mid=$(sbatch --parsable --dependency=afterok:$jid \
  --wrap "rmprep merge --plan $run/plan.json --in $run/parts -o $run/shards")
wait_all || { tail -n 20 "$run"/slurm-*.out >&2; exit 1; }
diff -r "$data/single" "$run/shards" ||
  { echo "slurm-local: sbatch array: merged output differs from one rmprep convert" >&2; exit 1; }
grep -l "rmprep shard: .*part-0000[0-3]-of-00004: " "$run"/slurm-"$jid"_*.out | wc -l | grep -qx 4 ||
  { tail -n 5 "$run"/slurm-*.out >&2; echo "slurm-local: expected 4 rank logs" >&2; exit 1; }
echo "slurm-local: sbatch --array=0-3%2 + --dependency=afterok merge ok ($(($(jobs_run) - before))" \
  "Slurm jobs and array tasks; merged = one convert)"
