#!/usr/bin/env bash
# One shard of a clout run per task of a SLURM job array; `clout merge` joins them.
#
#   sbatch --array=0-3 examples/slurm/clout-array.sh SCENARIO OUTDIR [clout run flags...]
#   # when the array has finished (squeue shows none of its tasks):
#   clout merge OUTDIR/shard-*.json --out OUTDIR/merged.json
#
# Task K of an array 0-(N-1) runs shard K/N: trials [K T/N, (K+1) T/N) of the
# scenario's T trials, with the scenario's seed, on the cores SLURM gives it.
# The merged record is byte for byte the record of the unsharded run.
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
mkdir -p "$outdir"
"${CLOUT:-clout}" run "$scenario" "$@" \
  --shard "$SLURM_ARRAY_TASK_ID/$SLURM_ARRAY_TASK_COUNT" \
  --threads "${SLURM_CPUS_PER_TASK:-1}" --quiet --format json \
  --out "$outdir/shard-$SLURM_ARRAY_TASK_ID.json"
