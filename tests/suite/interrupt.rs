//! Interrupted runs: a run stopped part way keeps a contiguous prefix of its
//! trials in a valid record marked `interrupted`; a run of the rest merges
//! with it into exactly the uninterrupted run's record, byte for byte.

use clout::study::run::{RunRecord, Shard};
use clout::{Runner, Scenario};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

fn json(record: &RunRecord) -> String {
    serde_json::to_string_pretty(record).unwrap()
}

/// Runs `shard` of `scenario`, raising the stop flag once `after` trials
/// (counted over all parts) are done.
fn interrupted(scenario: &Scenario, shard: Shard, after: u64, threads: usize) -> RunRecord {
    let stop = AtomicBool::new(false);
    let raise = |done: u64| {
        if done >= after {
            stop.store(true, Ordering::Relaxed);
        }
    };
    let runner = Runner::new(scenario.run.seed).threads(threads).progress(&raise).stop_on(&stop);
    scenario.run_shard(&runner, shard).unwrap()
}

#[test]
fn partial_and_rest_merge_into_the_uninterrupted_run() {
    // (scenario, trials, given-state trials, stop after): the conditional
    // scenario is stopped once in each of its two parts.
    let cases = [
        ("snapshot", 20_000, None, 5_000),
        ("yule", 50_000, None, 9_000),
        ("gibrat", 20_000, None, 3_000),
        ("micro-influencer", 12_000, Some(6_000), 4_000),
        ("micro-influencer", 12_000, Some(6_000), 14_000),
        ("default", 12_000, None, 3_000), // a rare-event run: its pilot is redone, identically
    ];
    for (name, trials, given, after) in cases {
        let mut scenario = Scenario::builtin(name).unwrap();
        scenario.run.trials = trials;
        if let Some(start) = scenario.start.as_mut() {
            start.trials = given;
        }
        if let Some(rare) = scenario.rare.as_mut() {
            rare.pilot_roots = 2_000;
        }
        let whole = json(&scenario.run().unwrap());
        for threads in [1, 2] {
            let partial = interrupted(&scenario, Shard::WHOLE, after, threads);
            assert!(partial.interrupted, "{name}: stopped after {after}");
            let coverage = partial.coverage.clone().unwrap();
            // What was done is a prefix: each part's trials from 0, in one
            // range, the parts before the stopped one complete.
            let mut done_before = 0;
            for part in &coverage {
                assert!(part.ranges.len() <= 1, "{name}: {coverage:?}");
                if let Some(&[lo, hi]) = part.ranges.first() {
                    assert_eq!(lo, 0);
                    done_before += hi;
                }
            }
            assert!(
                done_before >= after && done_before < trials + given.unwrap_or(0),
                "{name}: {done_before}"
            );
            // The partial record is a valid record: it reads back as itself.
            let text = json(&partial);
            // (its statistics, that is: the report is recomputed when it is
            // merged, and a merge is a piece, no longer an interrupted run).
            let back = serde_json::from_str::<RunRecord>(&text).unwrap();
            let mut same = partial.clone();
            same.interrupted = false;
            assert_eq!(RunRecord::merge(&[back], &["p.json".into()], true).unwrap(), same);
            let rest =
                scenario.run_rest(&Runner::new(scenario.run.seed), Shard::WHOLE, &partial, "p.json").unwrap();
            assert!(!rest.interrupted);
            let names = ["p.json".to_string(), "rest.json".to_string()];
            let merged = RunRecord::merge(&[rest, partial], &names, false).unwrap();
            assert_eq!(json(&merged), whole, "{name}, {threads} thread(s), stopped after {after}");
        }
    }
}

#[test]
fn an_interrupted_shard_resumes_into_that_shard() {
    let mut scenario = Scenario::builtin("default").unwrap();
    scenario.set_brute();
    scenario.run.trials = 30_000;
    let shard = Shard { index: 1, count: 3 };
    let uninterrupted = json(&scenario.run_shard(&Runner::new(scenario.run.seed), shard).unwrap());
    let partial = interrupted(&scenario, shard, 1_000, 2);
    let held = &partial.coverage.as_ref().unwrap()[0].ranges;
    assert_eq!(held[0][0], 10_000, "the shard's own trials, from its start");
    // A rest of the rest: interrupted again, then finished.
    let stop = AtomicBool::new(false);
    let raise = |done: u64| {
        if done >= 1_000 {
            stop.store(true, Ordering::Relaxed);
        }
    };
    let runner = Runner::new(scenario.run.seed).threads(1).progress(&raise).stop_on(&stop);
    let second = scenario.run_rest(&runner, shard, &partial, "p.json").unwrap();
    assert!(second.interrupted);
    let names: Vec<String> = ["p", "p2", "p3"].iter().map(|s| s.to_string()).collect();
    let both = RunRecord::merge(&[partial.clone(), second.clone()], &names, true).unwrap();
    let third = scenario.run_rest(&Runner::new(scenario.run.seed), shard, &both, "p+p2").unwrap();
    let merged = RunRecord::merge(&[second, third, partial], &names, true).unwrap();
    assert_eq!(json(&merged), uninterrupted);
}

#[test]
fn a_rest_of_another_run_is_refused_in_one_line() {
    let mut scenario = Scenario::builtin("yule").unwrap();
    scenario.run.trials = 20_000;
    let partial = interrupted(&scenario, Shard::WHOLE, 2_000, 2);
    let seed = scenario.run.seed;
    let refuse = |s: &Scenario, runner: &Runner, shard: Shard, done: &RunRecord| {
        let e = s.run_rest(runner, shard, done, "p.json").unwrap_err().to_string();
        assert_eq!(e.lines().count(), 1, "{e}");
        e
    };
    let e = refuse(&scenario, &Runner::new(7), Shard::WHOLE, &partial);
    assert!(e.starts_with("p.json: seed = 2026: must be this run's seed 7"), "{e}");
    let mut more = scenario.clone();
    more.run.trials = 30_000;
    let e = refuse(&more, &Runner::new(seed), Shard::WHOLE, &partial);
    assert!(e.starts_with("p.json: scenario = \"yule\": must be the scenario being run"), "{e}");
    // ... and says which field differs.
    assert!(e.ends_with("[first difference: scenario.run.trials = 20000, here 30000]"), "{e}");
    let e = refuse(&scenario, &Runner::new(seed), Shard { index: 1, count: 2 }, &partial);
    assert!(e.contains("holds no trial of shard 1/2"), "{e}");
    let whole = scenario.run().unwrap();
    let e = refuse(&scenario, &Runner::new(seed), Shard::WHOLE, &whole);
    assert!(e.contains("already holds every trial of the run"), "{e}");
    let mut old = partial.clone();
    old.clout_version = "0.0.1".into();
    let e = refuse(&scenario, &Runner::new(seed), Shard::WHOLE, &old);
    assert!(e.starts_with("p.json: clout_version = 0.0.1: must be"), "{e}");
}

fn clout() -> Command {
    Command::new(env!("CARGO_BIN_EXE_clout"))
}

/// Starts `clout ARGS` in `dir`, sends `signal` after `wait`, and returns its output.
fn signalled(dir: &std::path::Path, args: &[&str], signal: &str, wait: Duration) -> std::process::Output {
    let child =
        clout().args(args).current_dir(dir).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    std::thread::sleep(wait);
    let sent = Command::new("kill").args([signal, &child.id().to_string()]).status().unwrap();
    assert!(sent.success());
    child.wait_with_output().unwrap()
}

#[test]
fn the_command_line_keeps_the_trials_done_on_sigterm_and_sigint() {
    let dir = std::env::temp_dir().join(format!("clout-interrupt-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let read = |name: &str| std::fs::read_to_string(dir.join(name)).unwrap();
    // One thread, so the run cannot finish before the signal arrives.
    let common = ["run", "default", "--method", "brute", "--trials", "400000", "--threads", "1", "-q"];
    let args: Vec<&str> = common.iter().copied().chain(["--format", "json", "--out", "p.json"]).collect();
    let out = signalled(&dir, &args, "-TERM", Duration::from_millis(1500));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(143), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("stopped by SIGTERM; p.json holds trials [0, "), "{err}");
    assert!(err.contains("--method brute --resume p.json --format json --out p-rest.json"), "{err}");
    let partial: RunRecord = serde_json::from_str(&read("p.json")).unwrap();
    let held = partial.coverage.as_ref().expect("a piece has coverage")[0].held();
    assert!(partial.interrupted && held > 0 && held < 400_000);

    let rest = clout()
        .args([
            "run", "default", "--method", "brute", "--trials", "4e5", "-q", "--resume", "p.json", "--format",
            "json", "--out", "r.json",
        ])
        .current_dir(&dir)
        .output()
        .unwrap();
    assert!(rest.status.success(), "{}", String::from_utf8_lossy(&rest.stderr));
    let merged = clout().args(["merge", "p.json", "r.json"]).current_dir(&dir).output().unwrap();
    assert!(merged.status.success(), "{}", String::from_utf8_lossy(&merged.stderr));
    let whole = clout()
        .args(["run", "default", "--method", "brute", "--trials", "400000", "--format", "json", "-q"])
        .output()
        .unwrap();
    assert_eq!(merged.stdout, whole.stdout, "partial + rest is the uninterrupted run, byte for byte");

    // A table run stopped by Ctrl-C prints its partial table and keeps the
    // record in a file of its own.
    let out = signalled(&dir, &common, "-INT", Duration::from_millis(1000));
    assert_eq!(out.status.code(), Some(130));
    assert!(String::from_utf8_lossy(&out.stdout).contains("INTERRUPTED: holds trials [0, "));
    let kept: RunRecord = serde_json::from_str(&read("clout-interrupted.json")).unwrap();
    assert!(kept.interrupted);
    std::fs::remove_dir_all(&dir).ok();
}

/// A run writing its creators, stopped by SIGTERM, keeps the rows of
/// exactly the trials its record holds; the rest (run as the message says)
/// writes the others: together, the uninterrupted run's file.
#[test]
fn a_stopped_run_keeps_the_creators_of_the_trials_done() {
    let dir = std::env::temp_dir().join(format!("clout-interrupt-creators-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let read = |name: &str| std::fs::read_to_string(dir.join(name)).unwrap();
    let common = ["run", "default", "--method", "brute", "--trials", "200000", "-q", "--format", "json"];
    let args: Vec<&str> =
        common.iter().copied().chain(["--threads", "1", "--creators", "c.csv", "--out", "p.json"]).collect();
    let out = signalled(&dir, &args, "-TERM", Duration::from_millis(1500));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(143), "{err}");
    let partial: RunRecord = serde_json::from_str(&read("p.json")).unwrap();
    let held = partial.coverage.as_ref().unwrap()[0].held();
    assert!(partial.interrupted && held > 0 && held < 200_000, "{held}");
    assert!(
        err.contains(&format!(
            "p.json holds trials [0, {held}) of 200000 and c.csv their {held} creator rows"
        )),
        "{err}"
    );
    assert!(err.contains("--creators c-rest.csv --resume p.json --format json --out p-rest.json"), "{err}");
    let kept = read("c.csv");
    assert_eq!(kept.lines().count() as u64, held + 1);
    assert!(kept.lines().last().unwrap().starts_with(&format!("{},", held - 1)));
    let rest_args: Vec<&str> = common
        .iter()
        .copied()
        .chain(["--resume", "p.json", "--creators", "c-rest.csv", "--out", "r.json"])
        .collect();
    let rest = clout().args(&rest_args).current_dir(&dir).output().unwrap();
    assert!(rest.status.success(), "{}", String::from_utf8_lossy(&rest.stderr));
    let whole_args: Vec<&str> = common.iter().copied().chain(["--creators", "w.csv"]).collect();
    let whole = clout().args(&whole_args).current_dir(&dir).output().unwrap();
    assert!(whole.status.success());
    let rest_rows = read("c-rest.csv");
    assert_eq!(
        kept + rest_rows.split_once('\n').unwrap().1,
        read("w.csv"),
        "kept + rest = the whole run's rows"
    );
    std::fs::remove_dir_all(&dir).ok();
}

/// A calibration stopped by SIGTERM (a cluster's time limit) before any
/// evaluation finished says so in one line and exits 143, keeping nothing;
/// before, it died silently with nothing on stderr (and, once it checked
/// its runner, panicked inside the optimiser). One stopped later keeps its
/// evaluations (tests/suite/calibrate_resume.rs).
#[test]
fn a_stopped_calibration_with_no_evaluation_done_says_so() {
    let dir = std::env::temp_dir().join(format!("clout-calibrate-term-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    // One thread and 150,000 careers an evaluation: the first cannot finish in 1 s.
    let out = signalled(
        &dir,
        &["calibrate", "hypeauditor-2026", "--threads", "1", "--quiet"],
        "-TERM",
        Duration::from_millis(1000),
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(143), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.starts_with(
            "clout: stopped by SIGTERM before any evaluation of the calibration finished: nothing to keep"
        ),
        "{stderr}"
    );
    assert!(out.stdout.is_empty());
    assert!(!dir.join("clout-interrupted.json").exists());
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Two SIGTERMs in quick succession (one event delivered twice: a cluster
/// signalling the job step and its shell) keep the record of the trials
/// done, as one does; before, the second ended the process with nothing
/// kept. (A second signal more than `Signals::GRACE` after the first still
/// ends the process at once, as a user pressing Ctrl-C twice expects.)
#[test]
fn two_signals_together_keep_the_record() {
    let dir = std::env::temp_dir().join(format!("clout-two-signals-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let args = [
        "run",
        "default",
        "--method",
        "brute",
        "--trials",
        "400000",
        "--threads",
        "1",
        "-q",
        "--format",
        "json",
        "--out",
        "p.json",
    ];
    let child =
        clout().args(args).current_dir(&dir).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    std::thread::sleep(Duration::from_millis(1500));
    for _ in 0..2 {
        assert!(Command::new("kill").args(["-TERM", &child.id().to_string()]).status().unwrap().success());
        std::thread::sleep(Duration::from_millis(50));
    }
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(143), "{err}");
    assert!(err.contains("stopped by SIGTERM; p.json holds trials [0, "), "{err}");
    let kept: RunRecord =
        serde_json::from_str(&std::fs::read_to_string(dir.join("p.json")).unwrap()).unwrap();
    assert!(kept.interrupted && kept.coverage.as_ref().expect("a piece has coverage")[0].held() > 0);

    std::fs::remove_dir_all(&dir).ok();
}
