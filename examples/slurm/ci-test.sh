#!/usr/bin/env bash
# A real single-node SLURM cluster on this machine (Debian's slurm-wlm and
# munge): a 4-task job array of a small scenario through clout-array.sh, then
# `clout merge`, compared byte for byte with the unsharded run. Then a larger
# array whose running tasks are sent SIGTERM by `scancel` (as a time limit
# would), resubmitted to resume, and merged: again byte for byte the
# unsharded run. Run by .ci/run as root; installs what it needs. CLOUT names
# the clout binary to test.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
clout="${CLOUT:?set CLOUT to the clout binary}"
clout="$(cd "$(dirname "$clout")" && pwd)/$(basename "$clout")"

if ! command -v sbatch >/dev/null || ! command -v munged >/dev/null; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -q slurm-wlm munge >/dev/null 2>&1 \
    || { apt-get update -q >/dev/null && apt-get install -y -q slurm-wlm munge >/dev/null; }
fi

host="$(hostname -s)"
cpus="$(nproc)"
mem_mb=$(( $(awk '/MemTotal/ {print $2}' /proc/meminfo) / 1024 * 9 / 10 ))
mkdir -p /etc/slurm /var/spool/slurmctld /var/spool/slurmd /var/log/slurm /run/munge
cat > /etc/slurm/slurm.conf <<CONF
ClusterName=clout-ci
SlurmctldHost=$host
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
StateSaveLocation=/var/spool/slurmctld
SlurmdSpoolDir=/var/spool/slurmd
SlurmctldPidFile=/run/slurmctld.pid
SlurmdPidFile=/run/slurmd.pid
SlurmctldLogFile=/var/log/slurm/slurmctld.log
SlurmdLogFile=/var/log/slurm/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SchedulerType=sched/backfill
ReturnToService=2
MpiDefault=none
JobCompType=jobcomp/none
NodeName=$host CPUs=$cpus RealMemory=$mem_mb State=UNKNOWN
PartitionName=ci Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF

# munge: a key, and the daemon as user munge.
if [ ! -s /etc/munge/munge.key ]; then
  dd if=/dev/urandom of=/etc/munge/munge.key bs=1024 count=1 status=none
fi
chown munge:munge /etc/munge/munge.key /run/munge /var/log/munge /var/lib/munge 2>/dev/null || true
chmod 400 /etc/munge/munge.key
if ! pgrep -x munged >/dev/null; then
  runuser -u munge -- /usr/sbin/munged
fi
munge -n | unmunge >/dev/null

# The controller and the node daemon (restarted, so the config above holds).
pkill -x slurmctld 2>/dev/null || true
pkill -x slurmd 2>/dev/null || true
sleep 1
/usr/sbin/slurmctld -c
/usr/sbin/slurmd -c
for _ in $(seq 60); do
  if sinfo -h -o %t 2>/dev/null | grep -qE '^(idle|mix|alloc)'; then break; fi
  sleep 0.5
done
sinfo

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$work"
scenario=snapshot
flags=(--trials 4000 --seed 11)
"$clout" run "$scenario" "${flags[@]}" --quiet --format json --out single.json
# Waits for job array $1 to leave the queue (at most $2 seconds).
wait_for() {
  for _ in $(seq $(( $2 * 2 ))); do
    if [ -z "$(squeue -h -j "$1" 2>/dev/null)" ]; then return 0; fi
    sleep 0.5
  done
  echo "job array $1 did not finish in $2 s"; squeue; cat "$work"/task-*.log; exit 1
}

job=$(CLOUT="$clout" sbatch --parsable --array=0-3 --chdir="$work" --output="$work/task-%a.log" \
  "$here/clout-array.sh" "$scenario" "$work/shards" "${flags[@]}")
echo "submitted job array $job"
wait_for "$job" 120
ls shards
if [ "$(ls shards | wc -l)" != 4 ]; then
  echo "expected 4 shard records"; cat task-*.log; exit 1
fi
"$clout" merge shards/shard-*.json --out merged.json
cmp single.json merged.json
echo "SLURM: a 4-task job array merged to the unsharded run's record, byte for byte"

# Interrupted and resumed: shards of about 8 s on one core each; the tasks
# running after 3 s get SIGTERM, keep what they did, and a second submission
# of the same array finishes every shard.
flags=(--trials 2000000 --seed 12)
"$clout" run "$scenario" "${flags[@]}" --quiet --format json --out single.json
job=$(CLOUT="$clout" sbatch --parsable --array=0-3 --chdir="$work" --output="$work/cut-%a.log" \
  "$here/clout-array.sh" "$scenario" "$work/cut" "${flags[@]}")
for _ in $(seq 60); do
  if squeue -h -j "$job" -t R | grep -q .; then break; fi
  sleep 0.5
done
sleep 3
scancel --signal=TERM --full --state=RUNNING "$job" || true  # may race a task that just ended
wait_for "$job" 120
cat cut-*.log
cut=$(grep -l '"interrupted": true' cut/*.json | wc -l)
echo "$cut shard(s) interrupted"
if [ "$cut" = 0 ]; then echo "expected SIGTERM to interrupt a running task"; exit 1; fi
job=$(CLOUT="$clout" sbatch --parsable --array=0-3 --chdir="$work" --output="$work/resume-%a.log" \
  "$here/clout-array.sh" "$scenario" "$work/cut" "${flags[@]}")
wait_for "$job" 120
cat resume-*.log
ls cut
"$clout" merge cut/shard-*.json --out merged.json
cmp single.json merged.json
echo "SLURM: $cut task(s) stopped by SIGTERM, resumed by resubmission, merged to the unsharded run, byte for byte"
