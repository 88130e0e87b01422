"""The same run from Python and from the command line, side by side
(docs/PERFORMANCE.md, "Python bindings").

    python python/examples/benchmark.py [SCENARIO] [TRIALS] [THREADS] [REPEATS]

Runs the scenario (default: what-if, 200,000 trials, 2 threads, 5 repeats,
alternating) with `clout run ... --format json` (CLOUT, else
target/release/clout) and with `clout.Scenario.run`, checks that both give
the same JSON bytes, and prints each one's wall time (the CLI's includes
starting the process and writing the file; Python's includes writing the
JSON to the same kind of file), and each one's CPU time (user + system, all
threads: the CLI's process from getrusage, Python's from process_time), the
steadier figure on a shared machine.
"""

import os
import pathlib
import resource
import statistics
import subprocess
import sys
import tempfile
import time

import clout

REPO = pathlib.Path(__file__).resolve().parents[2]


def main() -> None:
    name = sys.argv[1] if len(sys.argv) > 1 else "what-if"
    trials = int(float(sys.argv[2])) if len(sys.argv) > 2 else 200_000
    threads = int(sys.argv[3]) if len(sys.argv) > 3 else 2
    repeats = int(sys.argv[4]) if len(sys.argv) > 4 else 5
    binary = os.environ.get("CLOUT", str(REPO / "target" / "release" / "clout"))
    scenario = clout.Scenario.builtin(name).with_overrides({"run.trials": trials})
    seed = 2026
    timings = {"cli": [], "python": []}
    cpu = {"cli": [], "python": []}

    def children_cpu() -> float:
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        return usage.ru_utime + usage.ru_stime

    with tempfile.TemporaryDirectory() as folder:
        cli_out, py_out = pathlib.Path(folder, "cli.json"), pathlib.Path(folder, "py.json")
        for _ in range(repeats):
            started, cpu_started = time.perf_counter(), children_cpu()
            subprocess.run(
                [binary, "run", name, "--trials", str(trials), "--seed", str(seed), "--threads", str(threads),
                 "--format", "json", "--out", str(cli_out), "-q"],
                check=True,
            )
            timings["cli"].append(time.perf_counter() - started)
            cpu["cli"].append(children_cpu() - cpu_started)
            started, cpu_started = time.perf_counter(), time.process_time()
            scenario.run(seed=seed, threads=threads).write(py_out)
            timings["python"].append(time.perf_counter() - started)
            cpu["python"].append(time.process_time() - cpu_started)
        same = cli_out.read_bytes() == py_out.read_bytes()
    print(f"{name}, {trials} trials, {threads} thread(s), {repeats} repeats; same JSON bytes: {same}")
    for who, seconds in timings.items():
        print(
            f"{who:>7}: wall median {statistics.median(seconds):.3f} s (min {min(seconds):.3f}, "
            f"max {max(seconds):.3f}); CPU median {statistics.median(cpu[who]):.3f} s "
            f"(min {min(cpu[who]):.3f}, max {max(cpu[who]):.3f})"
        )
    for what, figures in (("wall", timings), ("CPU", cpu)):
        ratio = statistics.median(figures["python"]) / statistics.median(figures["cli"])
        print(f"python / cli, {what} medians: {ratio:.3f}")
    if not same:
        sys.exit("the records differ")


if __name__ == "__main__":
    main()
