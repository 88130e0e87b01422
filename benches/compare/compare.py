#!/usr/bin/env python3
"""Runs clout and the NumPy reference on the same scenario and prints the
speed ratio and the tier odds side by side; the odds must agree within their
intervals (a two-proportion z-test per tier, |z| < 4).

    python3 benches/compare/compare.py [SCENARIO] [--trials N]

Needs numpy (pip install numpy) and a release build of clout (it runs
`cargo build --release` first). Not part of CI.
"""
import argparse
import json
import math
import os
import subprocess
import sys

here = os.path.dirname(os.path.abspath(__file__))
root = os.path.abspath(os.path.join(here, "..", ".."))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("scenario", nargs="?", default=os.path.join(root, "scenarios", "early-entrant.toml"))
    ap.add_argument("--trials", type=int, default=100_000)
    ap.add_argument("--threads", type=int, default=1, help="clout threads (NumPy runs on one)")
    args = ap.parse_args()

    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=root, check=True)
    clout = json.loads(subprocess.run(
        [os.path.join(root, "target", "release", "clout"), "run", args.scenario, "--trials", str(args.trials),
         "--threads", str(args.threads), "--format", "json", "--quiet"],
        check=True, capture_output=True, text=True).stdout)
    # clout's JSON has no timing (it must be identical across runs); time it here.
    import time
    start = time.perf_counter()
    subprocess.run([os.path.join(root, "target", "release", "clout"), "run", args.scenario, "--trials",
                    str(args.trials), "--threads", str(args.threads), "--format", "json", "--quiet"],
                   check=True, capture_output=True)
    clout_seconds = time.perf_counter() - start
    numpy = json.loads(subprocess.run(
        [sys.executable, os.path.join(here, "career_numpy.py"), args.scenario, "--trials", str(args.trials)],
        check=True, capture_output=True, text=True).stdout)

    days_c = clout["report"]["creator_days"]
    ns_c = clout_seconds * 1e9 / days_c
    ns_n = numpy["ns_per_creator_day"]
    print(f"scenario {os.path.relpath(args.scenario, root)}, {args.trials} careers each")
    print(f"clout ({args.threads} thread): {clout_seconds:.2f} s, {days_c} creator-days, {ns_c:.1f} ns per creator-day"
          " (whole process)")
    print(f"NumPy {numpy['numpy']} (1 thread): {numpy['seconds']:.2f} s, {numpy['creator_days']} creator-days, "
          f"{ns_n:.1f} ns per creator-day")
    print(f"speed ratio: clout is {ns_n / ns_c:.1f}x faster per creator-day\n")
    print(f"{'tier':<6} {'clout odds [95% Wilson]':>34} {'NumPy odds [95% Wilson]':>34} {'z':>6}")
    worst = 0.0
    for c, n in zip(clout["report"]["tiers"], numpy["tiers"]):
        pc, pn = c["reached"]["estimate"], n["estimate"]
        nc, nn = c["reached"]["trials"], numpy["trials"]
        pooled = (c["reached"]["successes"] + n["reached"]) / (nc + nn)
        se = math.sqrt(pooled * (1 - pooled) * (1 / nc + 1 / nn)) if 0 < pooled < 1 else float("nan")
        z = (pc - pn) / se if se == se and se > 0 else 0.0
        worst = max(worst, abs(z))
        w = c["reached"]["wilson"]
        print(f"{c['tier']:<6} {pc:>12.5f} [{w['lower']:.5f}, {w['upper']:.5f}] "
              f"{pn:>12.5f} [{n['wilson'][0]:.5f}, {n['wilson'][1]:.5f}] {z:>6.2f}")
    print(f"\nlargest |z| = {worst:.2f}: {'agree' if worst < 4 else 'DISAGREE'} within 4 standard errors")
    sys.exit(0 if worst < 4 else 1)


if __name__ == "__main__":
    main()
