//! Every study on the executor: shards merge into the whole run byte for
//! byte, an interrupted run resumes into it, damaged or foreign pieces are
//! refused in one line, and the command line does all of it for `clout
//! attribute`, `clout delusion` and `clout sweep`.

use clout::experiment::attribute::AttributeSpec;
use clout::scenario::sweep::Sweep;
use clout::study::attribute::Attribution;
use clout::study::delusion::Delusion;
use clout::study::executor::{self, MergeError, RecordOf, Shard, Study};
use clout::{Runner, Scenario};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

fn attribution() -> Attribution {
    let mut scenario = Scenario::builtin("default").unwrap();
    let spec = AttributeSpec {
        sobol_rows: 3_000,
        replay_creators: 600,
        counterfactual_creators: 3_000,
        ..Default::default()
    };
    scenario.attribute = Some(spec);
    Attribution::new(&scenario).unwrap()
}

fn delusion() -> Delusion {
    let mut scenario = Scenario::builtin("delusion-gap").unwrap();
    scenario.run.trials = 4_000;
    scenario.delusion.get_or_insert_with(Default::default).snapshot_trials = 3_000;
    Delusion::new(&scenario).unwrap()
}

fn sweep() -> Sweep {
    let mut scenario = Scenario::builtin("effort-vs-timing").unwrap();
    scenario.run.trials = 6_000;
    scenario.sweep().unwrap()
}

fn json<S: Study>(record: &RecordOf<S>) -> String {
    serde_json::to_string_pretty(record).unwrap()
}

fn names(n: usize) -> Vec<String> {
    (0..n).map(|i| format!("piece{i}.json")).collect()
}

/// Shards of 3 and of 4, in any order, merge into the whole run's record;
/// a missing shard is a gap, a repeated one an overlap.
fn shards_merge_into_the_whole<S: Study>(study: &S, what: &str) {
    let seed = study.scenario().run.seed;
    let whole = executor::run(study, &Runner::new(seed), Shard::WHOLE).unwrap();
    assert!(whole.coverage.is_none() && !whole.interrupted, "{what}");
    for count in [3, 4] {
        let mut pieces: Vec<_> = (0..count)
            .map(|index| executor::run(study, &Runner::new(seed).threads(1), Shard { index, count }).unwrap())
            .collect();
        pieces.reverse();
        let merged = executor::merge::<S>(&pieces, &names(pieces.len()), false).unwrap();
        assert_eq!(json::<S>(&merged), json::<S>(&whole), "{what}: {count} shards");
        let gap = executor::merge::<S>(&pieces[1..], &names(count as usize - 1), false).unwrap_err();
        assert!(matches!(gap, MergeError::Gap { .. }), "{what}: {gap}");
        let partial = executor::merge::<S>(&pieces[1..], &names(count as usize - 1), true).unwrap();
        assert!(partial.coverage.is_some(), "{what}");
        let twice = [pieces[0].clone(), pieces[0].clone()];
        let overlap = executor::merge::<S>(&twice, &names(2), false).unwrap_err();
        assert!(matches!(overlap, MergeError::Overlap { .. }), "{what}: {overlap}");
    }
}

/// Stopped after `after` trials (over all parts), resumed, merged: the
/// whole run's record, on 1 and 2 threads.
fn interrupted_runs_resume_into_the_whole<S: Study>(study: &S, after: &[u64], what: &str) {
    let seed = study.scenario().run.seed;
    let whole = json::<S>(&executor::run(study, &Runner::new(seed), Shard::WHOLE).unwrap());
    for &after in after {
        for threads in [1, 2] {
            let stop = AtomicBool::new(false);
            let raise = |done: u64| {
                if done >= after {
                    stop.store(true, Ordering::Relaxed);
                }
            };
            let runner = Runner::new(seed).threads(threads).progress(&raise).stop_on(&stop);
            let partial = executor::run(study, &runner, Shard::WHOLE).unwrap();
            assert!(partial.interrupted, "{what}: stopped after {after}");
            // It reads back as itself, but for its report, which merging
            // recomputes from the summary.
            let back: RecordOf<S> = serde_json::from_str(&json::<S>(&partial)).unwrap();
            assert_eq!(back.report, None, "{what}");
            assert_eq!(back.summary, partial.summary, "{what}");
            assert_eq!(back.coverage, partial.coverage, "{what}");
            let rest = executor::resume(study, &Runner::new(seed), Shard::WHOLE, &partial, "p.json").unwrap();
            assert!(!rest.interrupted, "{what}");
            let merged = executor::merge::<S>(&[rest, partial], &names(2), false).unwrap();
            assert_eq!(json::<S>(&merged), whole, "{what}: stopped after {after} on {threads} thread(s)");
        }
    }
}

#[test]
fn attribution_shards_and_resumes_into_the_whole_run() {
    let study = attribution();
    shards_merge_into_the_whole(&study, "attribution");
    // Progress is told per chunk of 1,024 trials and each thread finishes
    // the chunk in hand, so each stop leaves a later chunk unclaimed: in the
    // Sobol part, after the replays (one chunk) before the counterfactuals,
    // and in the counterfactuals.
    interrupted_runs_resume_into_the_whole(&study, &[1_100, 3_300, 4_000], "attribution");
}

#[test]
fn the_delusion_gap_shards_and_resumes_into_the_whole_run() {
    let study = delusion();
    shards_merge_into_the_whole(&study, "delusion");
    interrupted_runs_resume_into_the_whole(&study, &[1_100, 5_200, 8_500], "delusion");
}

#[test]
fn a_sweep_shards_and_resumes_into_the_whole_run() {
    let study = sweep();
    shards_merge_into_the_whole(&study, "sweep");
    interrupted_runs_resume_into_the_whole(&study, &[1_100], "sweep");
}

#[test]
fn foreign_and_damaged_pieces_are_refused_in_one_line() {
    let study = attribution();
    let seed = study.scenario().run.seed;
    let half = |index| executor::run(&study, &Runner::new(seed), Shard { index, count: 2 }).unwrap();
    let (a, b) = (half(0), half(1));
    let one_line = |e: MergeError| {
        let text = e.to_string();
        assert_eq!(text.lines().count(), 1, "{text}");
        text
    };
    // Another seed.
    let other = executor::run(&study, &Runner::new(seed + 1), Shard { index: 1, count: 2 }).unwrap();
    let e = one_line(executor::merge::<Attribution>(&[a.clone(), other], &names(2), false).unwrap_err());
    assert!(e.contains("seeds differ"), "{e}");
    // A summary of another shape (a file edited by hand): an error, no panic.
    let mut text = serde_json::to_value(&b).unwrap();
    text["summary"]["sobol"]["inputs"] = serde_json::json!(3);
    let damaged: RecordOf<Attribution> = serde_json::from_value(text).unwrap();
    let e = one_line(executor::merge::<Attribution>(&[a.clone(), damaged], &names(2), false).unwrap_err());
    assert!(e.contains("piece1.json") && e.contains("sobol statistics have another shape"), "{e}");
    // Coverage that disagrees with the summary's counts.
    let mut lying = b.clone();
    lying.coverage.as_mut().unwrap()[0].ranges = vec![[1_500, 2_000]];
    let e = one_line(executor::merge::<Attribution>(&[a.clone(), lying], &names(2), false).unwrap_err());
    assert!(e.contains("its summary holds 1500 trials, its coverage 500"), "{e}");
    // Resuming a record of another study's schema.
    let mut foreign = a.clone();
    foreign.schema = "clout.delusion/4".into();
    let e = executor::resume(&study, &Runner::new(seed), Shard::WHOLE, &foreign, "p.json").unwrap_err();
    assert!(
        e.to_string().starts_with("p.json: schema = clout.delusion/4: must be \"clout.attribution/4\""),
        "{e}"
    );
    // A shard finer than a part has trials.
    let e = executor::run(&study, &Runner::new(seed), Shard { index: 0, count: 601 }).unwrap_err();
    assert!(e.to_string().contains("N <= 600, the fewest trials of any part"), "{e}");
}

fn clout() -> Command {
    Command::new(env!("CARGO_BIN_EXE_clout"))
}

fn ok(out: &std::process::Output) -> String {
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout.clone()).unwrap()
}

#[test]
fn the_command_line_shards_sweeps_and_the_delusion_gap() {
    let dir = std::env::temp_dir().join(format!("clout-studies-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let cases: [(&str, &str, &[&str]); 2] = [
        ("sweep", "effort-vs-timing", &["--trials", "2000"]),
        ("delusion", "delusion-gap", &["--trials", "3000", "--snapshot-trials", "3000"]),
    ];
    for (command, scenario, size) in cases {
        let mut base = vec![command, scenario, "-q", "--format", "json"];
        base.extend_from_slice(size);
        let whole = ok(&clout().args(&base).output().unwrap());
        let mut files = Vec::new();
        for k in 0..3 {
            let file = format!("{command}-{k}.json");
            let shard = format!("{k}/3");
            let out =
                clout().args(&base).args(["--shard", &shard, "--out", &file]).current_dir(&dir).output();
            ok(&out.unwrap());
            files.push(file);
        }
        let merged = ok(&clout().arg("merge").args(&files).current_dir(&dir).output().unwrap());
        assert_eq!(merged, whole, "clout {command}: three shards merged are the whole run, byte for byte");
        // Two of three merge only when asked, and the table says what they hold.
        let gap = clout().arg("merge").args(&files[..2]).current_dir(&dir).output().unwrap();
        assert_eq!(gap.status.code(), Some(2));
        let mut partial = clout();
        partial.args(["merge", "--partial", "--format", "table"]).args(&files[..2]).current_dir(&dir);
        let table = ok(&partial.output().unwrap());
        assert!(table.starts_with("PARTIAL: holds "), "{table}");
    }
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn clout_attribute_keeps_the_trials_done_on_sigterm_and_resumes() {
    let dir = std::env::temp_dir().join(format!("clout-attribute-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let size = ["--sobol-rows", "20000", "--replay-creators", "5000", "--counterfactual-creators", "20000"];
    let base: Vec<&str> =
        ["attribute", "default", "-q", "--format", "json"].into_iter().chain(size).collect();
    // One thread, so the run cannot finish before the signal arrives.
    let child = clout()
        .args(&base)
        .args(["--threads", "1", "--out", "p.json"])
        .current_dir(&dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(1500));
    assert!(Command::new("kill").args(["-TERM", &child.id().to_string()]).status().unwrap().success());
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(143), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("stopped by SIGTERM; p.json holds sobol: trials [0, "), "{err}");
    assert!(
        err.contains("clout attribute default --sobol-rows 20000 --replay-creators 5000 --counterfactual-creators 20000 --resume p.json --format json --out p-rest.json"),
        "{err}"
    );
    let partial: RecordOf<Attribution> =
        serde_json::from_str(&std::fs::read_to_string(dir.join("p.json")).unwrap()).unwrap();
    assert!(partial.interrupted);
    let rest = clout().args(&base).args(["--resume", "p.json", "--out", "r.json"]).current_dir(&dir).output();
    ok(&rest.unwrap());
    let merged = ok(&clout().args(["merge", "p.json", "r.json"]).current_dir(&dir).output().unwrap());
    let whole = ok(&clout().args(&base).output().unwrap());
    assert_eq!(merged, whole, "partial + rest is the uninterrupted attribution, byte for byte");
    std::fs::remove_dir_all(&dir).ok();
}

/// Study records whose counts cannot be (more creators reaching the tier
/// than were drawn, accounts at the tier above the accounts, counterfactual
/// cells that do not add up to the creators, sweep points' paired counts
/// that do not add up to the trials) are refused in one line, alone or
/// with others, before any report is made from them.
#[test]
fn study_records_whose_counts_cannot_be_are_refused() {
    use serde_json::Value;
    fn forged<S: Study>(study: &S, edit: impl Fn(&mut Value)) -> String {
        let record = executor::run(study, &Runner::new(study.scenario().run.seed), Shard::WHOLE).unwrap();
        let mut value: Value = serde_json::from_str(&serde_json::to_string(&record).unwrap()).unwrap();
        edit(&mut value);
        let record: RecordOf<S> = serde_json::from_value(value).unwrap();
        let e = executor::merge::<S>(&[record], &names(1), true).unwrap_err().to_string();
        assert_eq!(e.lines().count(), 1, "{e}");
        e
    }
    let d = delusion();
    let e = forged(&d, |v| v["summary"]["cohort"]["reached"] = 1_000_000.into());
    assert!(e.contains("its cohort: reached is 1000000, more than the 4000 creators"), "{e}");
    let e = forged(&d, |v| v["summary"]["snapshot"]["at_tier"] = 1_000_000.into());
    assert!(e.contains("its snapshot: accounts at the tier is 1000000"), "{e}");
    let e = forged(&d, |v| v["summary"]["self_assessed"]["matched_reached"] = 1_000_000.into());
    assert!(e.contains("its self-assessed cohort: matched_reached is 1000000"), "{e}");
    let e = forged(&sweep(), |v| v["summary"]["pairs"][1][0][0] = 9.into());
    assert!(e.contains("point 1's paired counts of tier 0 do not add up"), "{e}");
    // A sweep point's own counts (clout.sweep/6): nested tiers, held tiers
    // reached, followers enough for the careers held at each tier.
    let point = |v: &mut Value| v["summary"]["points"][2]["career"].take();
    let e = forged(&sweep(), |v| {
        let mut p = point(v);
        p["reached"][1] = (p["reached"][0].as_u64().unwrap() + 1).into();
        v["summary"]["points"][2]["career"] = p;
    });
    assert!(e.contains("point 2: careers reaching micro is"), "{e}");
    let e = forged(&sweep(), |v| {
        let mut p = point(v);
        p["at_horizon"][0] = (p["reached"][0].as_u64().unwrap() + 1).into();
        v["summary"]["points"][2]["career"] = p;
    });
    assert!(e.contains("point 2: careers at nano at the horizon is"), "{e}");
    let e = forged(&sweep(), |v| {
        let mut p = point(v);
        p["followers"] = 999.into();
        v["summary"]["points"][2]["career"] = p;
    });
    assert!(e.contains("point 2: its final followers add up to 999, fewer than the"), "{e}");
    let e = forged(&sweep(), |v| {
        let mut p = point(v);
        p["career_days"] = u64::MAX.into();
        v["summary"]["points"][2]["career"] = p;
    });
    assert!(e.contains("point 2: its career days add up to"), "{e}");
}
