"""The Python bindings against the command line: the same scenario and seed
give the same JSON bytes; errors carry the same one-line messages; runs
release the GIL, obey thread counts and stop on Ctrl-C with their record."""

import json
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time

import numpy as np
import pytest

import clout

WHAT_IF = {"run.trials": 3000}


def small(name, **overrides):
    """A built-in scenario with small sizes."""
    return clout.Scenario.builtin(name).with_overrides(overrides)


def cli_json(cli, tmp_path, *args):
    """The bytes of `clout ARGS --format json --out FILE`."""
    out = tmp_path / "cli.json"
    cli(*args, "--format", "json", "--out", out, "-q")
    return out.read_bytes()


def scenario_file(tmp_path, scenario):
    """The scenario as a TOML file the command line reads."""
    path = tmp_path / "scenario.toml"
    path.write_text(scenario.to_toml())
    return path


# Scenarios: built-in, file, TOML, dict, overrides.


def test_builtins_are_listed_with_descriptions():
    names = dict(clout.builtins())
    assert {"default", "what-if", "effort-vs-timing", "delusion-gap"} <= set(names)
    assert names["what-if"] == clout.Scenario.builtin("what-if").description
    assert names["default"] == clout.Scenario.builtin("default").description


def test_a_scenario_loads_from_a_file_toml_and_a_dict_alike(repo):
    builtin = clout.Scenario.builtin("what-if")
    assert clout.Scenario.load(repo / "scenarios" / "what-if.toml") == builtin
    assert clout.Scenario.from_toml(builtin.to_toml()) == builtin
    assert clout.Scenario.from_dict(builtin.to_dict()) == builtin
    assert builtin.source == "what-if" and builtin.name == "what-if"


def test_overrides_set_fields_by_path_and_none_unsets_them():
    scenario = small("what-if", **{"run.trials": 1234, "population.talent": 0.6})
    fields = scenario.to_dict()
    assert fields["run"]["trials"] == 1234
    assert fields["population"]["talent"] == {"dist": "fixed", "value": 0.6}
    assert clout.Scenario.builtin("what-if").to_dict()["run"]["trials"] != 1234
    brute = clout.Scenario.builtin("default").brute()
    assert brute.to_dict()["run"].get("method", "brute") == "brute" and brute.to_dict().get("rare") is None
    assert small("default", **{"run.method": "brute", "rare": None}) == brute


# The same records as the command line, byte for byte.


def test_a_run_is_the_command_lines_json_byte_for_byte(cli, tmp_path):
    record = small("what-if", **WHAT_IF).run(seed=11, threads=2)
    assert record.to_json().encode() == cli_json(cli, tmp_path, "run", "what-if", "--trials", 3000, "--seed", 11)
    assert record.schema == "clout.run/7" and record.seed == 11 and not record.interrupted
    assert record.coverage is None


def test_target_and_years_are_the_command_lines_flags(cli, tmp_path):
    record = small("what-if", **WHAT_IF).run(seed=4, target="20k", years=2)
    expected = cli_json(cli, tmp_path, "run", "what-if", "--trials", 3000, "--seed", 4, "--target", "20k", "--years", 2)
    assert record.to_json().encode() == expected
    # An income a year joins money.levels and leads the answer, as --target '$50k' does.
    record = small("make-a-living", **{"run.trials": 3000}).run(seed=4, target="$50k")
    expected = cli_json(cli, tmp_path, "run", "make-a-living", "--trials", 3000, "--seed", 4, "--target", "$50k")
    assert record.to_json().encode() == expected
    assert record.to_dict()["scenario"]["money"]["goal"] == 50000
    assert record.to_table().splitlines()[1].startswith("The chance of earning at least $50,000 a year")
    # Attribution asks what decides an engaged audience, as `clout attribute --target '1k engaged'`.
    sizes = {"attribute.sobol_rows": 300, "attribute.replay_creators": 20, "attribute.counterfactual_creators": 100}
    record = small("make-a-living", **sizes).attribute(seed=4, target="1k engaged")
    scenario = scenario_file(tmp_path, small("make-a-living", **sizes))
    expected = cli_json(cli, tmp_path, "attribute", scenario, "--seed", 4, "--target", "1k engaged")
    assert record.to_json().encode() == expected
    assert record.to_dict()["scenario"]["engagement"]["goal"] == 1000


def test_a_rare_event_run_is_the_command_lines_json(cli, tmp_path):
    scenario = small("default", **{"run.trials": 2000, "rare.pilot_roots": 2000})
    record = scenario.run(seed=3)
    assert record.to_json().encode() == cli_json(cli, tmp_path, "run", scenario_file(tmp_path, scenario), "--seed", 3)


def test_a_sweep_is_the_command_lines_json_and_a_table_per_point_and_level(cli, tmp_path):
    record = small("effort-vs-timing", **{"run.trials": 2000}).sweep(seed=2026)
    expected = cli_json(cli, tmp_path, "sweep", "effort-vs-timing", "--trials", 2000, "--seed", 2026)
    assert record.to_json().encode() == expected
    table = record.levels()
    report = record.to_dict()["report"]
    assert len(table) == len(report["points"]) * 5
    first = report["points"][1]["answer"]["career"]["tiers"][0]
    row = table[(table["point"] == 1) & (table["tier"] == first["tier"])].iloc[0]
    assert row["reached.estimate"] == first["reached"]["estimate"]
    assert row["population.effort.median"] == 3.0
    assert "versus_baseline.estimate.difference" in table.columns


def test_attribution_delusion_and_conditional_odds_are_the_command_lines_json(cli, tmp_path):
    cases = [
        ("attribute", small("why-creators-succeed", **{
            "attribute.sobol_rows": 256, "attribute.replay_creators": 100,
            "attribute.counterfactual_creators": 500})),
        ("delusion", small("delusion-gap", **{"run.trials": 2000, "delusion.snapshot_trials": 2000})),
        ("run", small("micro-influencer", **{"run.trials": 2000, "start.trials": 500})),
    ]
    for command, scenario in cases:
        record = getattr(scenario, command)(seed=9, threads=2)
        path = scenario_file(tmp_path, scenario)
        assert record.to_json().encode() == cli_json(cli, tmp_path, command, path, "--seed", 9), command


def test_a_comparison_and_a_forecast_are_the_command_lines_json(cli, tmp_path, repo, monkeypatch):
    record = clout.compare(str(repo / "fuzz" / "tiny-compare.toml"), threads=2)
    assert record.to_json().encode() == cli_json(cli, tmp_path, "compare", repo / "fuzz" / "tiny-compare.toml")
    record.write(tmp_path / "compare.json")
    assert clout.read(tmp_path / "compare.json").to_json() == record.to_json()
    with pytest.raises(clout.CloutError, match="one file, never in pieces"):
        clout.read(tmp_path / "compare.json", tmp_path / "compare.json")
    history = "examples/histories/creator-10k.csv"
    monkeypatch.chdir(repo)  # the record names the history file as given
    record = clout.forecast(history, particles=20, replicates=2, seed=1, target="200k")
    args = ("forecast", history, "--particles", 20, "--replicates", 2, "--seed", 1, "--target", "200k")
    assert record.to_json().encode() == cli_json(cli, tmp_path, *args)
    record.write(tmp_path / "forecast.json")
    assert clout.read(tmp_path / "forecast.json").to_json() == record.to_json()
    levels = record.levels()
    assert "200k" in set(levels["name"]) and list(levels["chance"]) == [
        level["chance"] for level in record.to_dict()["report"]["levels"]]


# Per-level results.


def test_levels_are_the_records_numbers_as_a_dataframe():
    record = small("what-if", **WHAT_IF).run(seed=1)
    table = record.levels()
    rows = record.to_dict()["report"]["levels"]
    assert list(table["level"]) == [r["level"] for r in rows]
    assert list(table["estimate"]) == [r["estimate"] for r in rows]
    assert list(table["hits"] / table["trials"]) == list(table["estimate"])  # plain Monte Carlo: hits / trials
    assert list(table["clopper_pearson.upper"]) == [r["clopper_pearson"]["upper"] for r in rows]


def test_levels_are_numpy_arrays_without_pandas(monkeypatch):
    monkeypatch.setitem(sys.modules, "pandas", None)  # `import pandas` fails
    record = small("what-if", **WHAT_IF).run(seed=1)
    table = record.levels()
    assert isinstance(table, dict) and isinstance(table["estimate"], np.ndarray)
    assert table["estimate"].dtype == float and table["goal"].dtype == bool and table["hits"].dtype == np.int64
    rows = record.to_dict()["report"]["levels"]
    assert table["estimate"].tolist() == [r["estimate"] for r in rows]
    assert table["level"].tolist() == [r["level"] for r in rows]


def test_a_record_without_levels_says_so():
    record = small("delusion-gap", **{"run.trials": 2000, "delusion.snapshot_trials": 2000}).delusion(seed=1)
    with pytest.raises(clout.CloutError, match="no per-level results"):
        record.levels()


# Reading, writing and merging records.


def test_records_are_written_read_and_shown_as_the_command_line_does(cli, tmp_path):
    record = small("what-if", **WHAT_IF).run(seed=2)
    path = tmp_path / "run.json"
    record.write(path)
    assert clout.read(path).to_json() == record.to_json()
    shown = cli("show", path).stdout.decode()
    assert shown == clout.read(path).to_table()
    assert cli("show", path, "-v").stdout.decode() == record.to_table(verbose=True) != shown
    assert cli("show", path, "--format", "csv").stdout.decode() == record.to_csv()
    record.write(tmp_path / "run.csv", format="csv")
    assert (tmp_path / "run.csv").read_text() == record.to_csv()


def test_shards_merge_into_the_whole_run_in_python_and_by_the_command_line(cli, tmp_path):
    scenario = small("what-if", **WHAT_IF)
    whole = scenario.run(seed=5)
    shards = [scenario.run(seed=5, shard=(k, 3)) for k in range(3)]
    assert all(s.coverage for s in shards)
    assert clout.merge(*shards).to_json() == whole.to_json()
    paths = []
    for k, shard in enumerate(shards):
        paths.append(tmp_path / f"s{k}.json")
        shard.write(paths[-1])
    assert clout.merge(*paths).to_json() == whole.to_json()
    assert clout.read(*paths).to_json() == whole.to_json()
    merged = cli("merge", *paths).stdout
    assert merged == whole.to_json().encode()
    with pytest.raises(clout.CloutError, match="missing"):
        clout.merge(shards[0], shards[2])
    partial = clout.merge(shards[0], shards[2], partial=True)
    assert partial.coverage == "trials [0, 1000), [2000, 3000) of 3000"


# Errors: the command line's one-line messages.


def test_a_bad_scenario_file_is_the_command_lines_message(cli, tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text(clout.Scenario.builtin("what-if").to_toml().replace("trials = 200000", "trials = -5"))
    with pytest.raises(clout.CloutError) as error:
        clout.Scenario.load(path)
    stderr = cli("check", path, check=False).stderr.decode().strip()
    assert stderr == f"error: {error.value}"
    assert "run.trials" in str(error.value) and "\n" not in str(error.value)


def test_a_bad_record_file_is_the_command_lines_message(cli, tmp_path):
    path = tmp_path / "bad.json"
    path.write_text('{"schema": "clout.run/7", "seed": "no"}')
    with pytest.raises(clout.CloutError) as error:
        clout.read(path)
    assert cli("show", path, check=False).stderr.decode().strip() == f"error: {error.value}"


def test_bad_arguments_and_overrides_raise_clout_errors(monkeypatch):
    with pytest.raises(clout.CloutError, match="no built-in scenario named"):
        clout.Scenario.builtin("nope")
    with pytest.raises(clout.CloutError, match=r"^what-if \(with overrides\): run.trials = 0: must lie in"):
        small("what-if", **{"run.trials": 0})
    with pytest.raises(clout.CloutError, match="shard"):
        small("what-if", **WHAT_IF).run(shard=(3, 3))
    with pytest.raises(clout.CloutError, match="years = 200"):
        small("what-if", **WHAT_IF).run(years=200)
    with pytest.raises(clout.CloutError, match="allow_large"):
        small("what-if", **{"run.trials": 10**10}).run()
    with pytest.raises(clout.CloutError, match="makes this a sweep"):
        clout.Scenario.builtin("effort-vs-timing").run()
    monkeypatch.setenv("CLOUT_THREADS", "many")
    with pytest.raises(clout.CloutError, match="CLOUT_THREADS"):
        small("what-if", **WHAT_IF).run()
    with pytest.raises(OSError, match="cannot write"):
        small("what-if", **{"run.trials": 100}).run(threads=1).write("/nonexistent-folder/run.json")


# Threads, the GIL, Ctrl-C.


def test_calibration_records_are_read_and_shown_as_the_command_line_does(cli, repo):
    seeds = repo / "fuzz" / "seeds-records"
    finished = clout.read(seeds / "calibration.json")
    assert finished.schema.startswith("clout.calibration/") and not finished.interrupted
    assert finished.to_table() == cli("show", seeds / "calibration.json").stdout.decode()
    assert finished.to_json() == cli("show", seeds / "calibration.json", "--format", "json").stdout.decode()
    assert finished.to_dict()["report"]["parameters"]
    assert list(finished.svgs()) == ["calibration.svg"]
    piece = clout.read(seeds / "calibration-piece.json")
    assert piece.interrupted
    with pytest.raises(clout.CloutError, match="piece has no fit to draw"):
        piece.svgs()
    with pytest.raises(clout.CloutError, match="never in pieces"):
        clout.merge(finished, finished)


def test_the_thread_count_never_changes_the_numbers(monkeypatch):
    scenario = small("what-if", **WHAT_IF)
    one = scenario.run(seed=8, threads=1).to_json()
    assert scenario.run(seed=8, threads=2).to_json() == one
    assert scenario.run(seed=8, threads=3).to_json() == one
    monkeypatch.setenv("CLOUT_THREADS", "1")
    assert scenario.run(seed=8).to_json() == one


def test_a_run_releases_the_gil():
    counted, done = [0], threading.Event()

    def count():
        while not done.is_set():
            counted[0] += 1

    counter = threading.Thread(target=count)
    counter.start()
    started = time.perf_counter()
    try:
        small("what-if", **{"run.trials": 40_000}).run(seed=1, threads=1)
    finally:
        seconds = time.perf_counter() - started
        done.set()
        counter.join()
    # Held, the GIL would let the counter run only between the run's checks
    # for Ctrl-C (a few ticks); released, it counts for the whole run.
    assert seconds > 0.2, seconds
    assert counted[0] > 100_000 * seconds, (counted[0], seconds)


LONG = {"run.trials": 200_000}  # the child's run: several seconds on one thread; Ctrl-C comes after 1 s

INTERRUPTED = textwrap.dedent("""
    import sys, clout
    scenario = clout.Scenario.builtin("what-if").with_overrides({"run.trials": 200_000})
    print("running", flush=True)
    try:
        scenario.run(seed=6, threads=1)
    except KeyboardInterrupt as stop:
        assert stop.record.interrupted, stop.record
        stop.record.write(sys.argv[1])
        print("kept", stop.record.coverage, flush=True)
        sys.exit(0)
    sys.exit("not interrupted")
""")


def test_ctrl_c_stops_a_long_run_and_keeps_its_record_which_resumes_to_the_whole_run(tmp_path):
    part = tmp_path / "part.json"
    child = subprocess.Popen([sys.executable, "-c", INTERRUPTED, str(part)], stdout=subprocess.PIPE, text=True)
    assert child.stdout.readline().strip() == "running"
    time.sleep(1.0)
    child.send_signal(signal.SIGINT)
    out, _ = child.communicate(timeout=120)
    assert child.returncode == 0, out
    assert out.startswith("kept trials [0, "), out
    held = json.loads(part.read_text())["coverage"][0]["ranges"][0][1]
    assert 0 < held < LONG["run.trials"], held
    # The rest, run from the kept record, merges into the uninterrupted run.
    scenario = small("what-if", **LONG)
    done = clout.read(part)
    rest = scenario.run(seed=6, threads=2, resume=[done])
    assert rest.coverage == f"trials [{held}, {LONG['run.trials']}) of {LONG['run.trials']}"
    assert clout.merge(done, rest).to_json() == scenario.run(seed=6, threads=2).to_json()
    with pytest.raises(clout.CloutError, match="seed"):
        scenario.run(seed=7, resume=[done])


# Plots.


def test_plots_are_the_command_lines_svg_files(cli, tmp_path):
    record = small("what-if", **WHAT_IF).run(seed=1)
    record.write(tmp_path / "run.json")
    pictures = record.svgs()
    assert pictures and all(svg.lstrip().startswith("<svg") or svg.lstrip().startswith("<?xml") for svg in pictures.values())
    drawn = record.plot(tmp_path / "py")
    assert sorted(os.path.basename(p) for p in drawn) == sorted(pictures)
    cli("plot", tmp_path / "run.json", "--out", tmp_path / "cli")
    for name, svg in pictures.items():
        assert (tmp_path / "cli" / name).read_text() == svg, name
