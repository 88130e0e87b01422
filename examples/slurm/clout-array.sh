#!/usr/bin/env bash
# One shard of a clout run per task of a SLURM job array; `clout merge` joins them.
#
#   sbatch --array=0-3 examples/slurm/clout-array.sh SCENARIO OUTDIR [clout run flags...]
#   # when the array has finished (squeue shows none of its tasks):
#   clout merge OUTDIR/shard-*.json --out merged.json
#
# Task K of an array 0-(N-1) runs shard K/N: trials [K T/N, (K+1) T/N) of the
# scenario's T trials, with the scenario's seed, on the cores SLURM gives it.
# The merged record is byte for byte the record of the unsharded run.
#
# A task cut short (its time limit, `scancel --signal=TERM --full`, Ctrl-C)
# keeps the trials it finished: clout writes them as an interrupted record.
# Submit the same array again and each task resumes its shard from the
# pieces already in OUTDIR (a finished shard's task does nothing); merge all
# the pieces at the end as above.
# CLOUT (default: `clout` on the PATH) names the binary.
#SBATCH --job-name=clout
#SBATCH --cpus-per-task=1
#SBATCH --output=clout-%A_%a.log
set -euo pipefail
scenario="$1"
outdir="$2"
shift 2
: "${SLURM_ARRAY_TASK_ID:?run this under sbatch --array=0-(N-1)}"
: "${SLURM_ARRAY_TASK_COUNT:?run this under sbatch --array=0-(N-1)}"
k="$SLURM_ARRAY_TASK_ID"
mkdir -p "$outdir"
# The pieces of this shard that earlier attempts kept.
resume=()
for piece in "$outdir/shard-$k".*.json; do
  if [ -e "$piece" ]; then resume+=(--resume "$piece"); fi
done
# SLURM signals the whole task at its time limit: this shell waits for clout
# to write what it finished rather than die first.
trap 'echo "task $k: SIGTERM; clout keeps the trials it finished" >&2' TERM
errors="$outdir/.shard-$k.${SLURM_JOB_ID:-0}.err"
status=0
"${CLOUT:-clout}" run "$scenario" "$@" "${resume[@]}" \
  --shard "$k/$SLURM_ARRAY_TASK_COUNT" \
  --threads "${SLURM_CPUS_PER_TASK:-1}" --quiet --format json \
  --out "$outdir/shard-$k.${SLURM_JOB_ID:-0}.json" 2>"$errors" || status=$?
cat "$errors" >&2
if [ "$status" = 2 ] && grep -q "nothing to resume" "$errors"; then
  echo "shard $k/$SLURM_ARRAY_TASK_COUNT is already complete in $outdir"
  status=0
fi
rm -f "$errors"
exit "$status"
