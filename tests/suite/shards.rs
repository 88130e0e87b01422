//! Shards: any split of a run into shards merges back into exactly the
//! unsharded run's record, byte for byte; bad merges are refused in one line.

use clout::study::run::{MergeError, RunRecord, Shard};
use clout::{Runner, Scenario};
use std::process::Command;

fn json(record: &RunRecord) -> String {
    serde_json::to_string_pretty(record).unwrap()
}

fn shards(scenario: &Scenario, count: u64) -> Vec<RunRecord> {
    (0..count)
        .map(|index| scenario.run_shard(&Runner::new(scenario.run.seed), Shard { index, count }).unwrap())
        .collect()
}

fn names(n: usize) -> Vec<String> {
    (0..n).map(|i| format!("shard-{i}.json")).collect()
}

#[test]
fn one_two_three_and_seven_shards_merge_to_the_same_bytes() {
    for (name, trials) in [("snapshot", 5000), ("yule", 5000), ("micro-influencer", 7000), ("gibrat", 3000)] {
        let mut scenario = Scenario::builtin(name).unwrap();
        scenario.run.trials = trials;
        if let Some(start) = scenario.start.as_mut() {
            start.trials = Some(3000); // the given-state part, split the same way
        }
        let whole = json(&scenario.run().unwrap());
        for count in [1, 2, 3, 7] {
            let mut parts = shards(&scenario, count);
            parts.reverse(); // the order of the files does not matter
            let merged = RunRecord::merge(&parts, &names(parts.len()), false).unwrap();
            assert_eq!(json(&merged), whole, "{name}, {count} shards");
        }
    }
}

#[test]
fn shard_ranges_partition_the_trials() {
    for trials in [1u64, 7, 1000, 1_000_000_007] {
        for count in [1u64, 2, 3, 7] {
            if count > trials {
                continue;
            }
            let ranges: Vec<_> = (0..count).map(|index| Shard { index, count }.range(trials)).collect();
            assert_eq!(ranges[0].start, 0);
            assert_eq!(ranges.last().unwrap().end, trials);
            assert!(ranges.windows(2).all(|w| w[0].end == w[1].start && w[0].start < w[0].end));
        }
    }
    assert!(Shard::parse("3/3", 10).is_err());
    assert!(Shard::parse("0/0", 10).is_err());
    assert!(Shard::parse("0/11", 10).unwrap_err().contains("at most the 10 trials"));
    assert!(Shard::parse("-1/4", 10).is_err());
    assert!(Shard::parse("1-4", 10).unwrap_err().contains("must be K/N"));
    assert_eq!(Shard::parse("2/4", 10).unwrap(), Shard { index: 2, count: 4 });
}

#[test]
fn missing_overlapping_and_foreign_shards_are_refused() {
    let mut scenario = Scenario::builtin("yule").unwrap();
    scenario.run.trials = 4000;
    let parts = shards(&scenario, 4);
    let n = names(4);
    let e = RunRecord::merge(&[parts[0].clone(), parts[1].clone(), parts[3].clone()], &n, false).unwrap_err();
    assert_eq!(
        e.to_string(),
        "trials [2000, 3000) of 4000 are missing (a gap): merge them too, or ask for a partial merge"
    );
    let e = RunRecord::merge(
        &[parts[0].clone(), parts[1].clone(), parts[1].clone(), parts[2].clone()],
        &n,
        false,
    )
    .unwrap_err();
    assert!(matches!(e, MergeError::Overlap { start: 1000, end: 2000, .. }), "{e}");
    assert_eq!(
        e.to_string(),
        "shard-1.json and shard-2.json both hold trials [1000, 2000) (overlapping records)"
    );
    let mut other_seed = scenario.clone();
    other_seed.run.seed = 99;
    let foreign = other_seed.run_shard(&Runner::new(99), Shard { index: 2, count: 4 }).unwrap();
    let e = RunRecord::merge(&[parts[0].clone(), parts[1].clone(), foreign, parts[3].clone()], &n, false)
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        "shard-0.json and shard-2.json are not parts of the same run: their seeds differ (2026 against 99)"
    );
    let mut other_scenario = scenario.clone();
    other_scenario.yule.as_mut().unwrap().time = 1.0;
    let foreign = other_scenario.run_shard(&Runner::new(2026), Shard { index: 2, count: 4 }).unwrap();
    let e = RunRecord::merge(&[parts[0].clone(), parts[1].clone(), foreign, parts[3].clone()], &n, false)
        .unwrap_err();
    assert!(e.to_string().contains("their scenarios differ"), "{e}");
    // Shards of different counts merge when they hold disjoint trials ...
    let three = shards(&scenario, 3);
    let halves = shards(&scenario, 2);
    // ... and are refused when they overlap.
    let e = RunRecord::merge(&[parts[1].clone(), three[0].clone()], &n, false).unwrap_err();
    assert!(e.to_string().contains("both hold trials [1000, 1333)"), "{e}");
    let mixed =
        RunRecord::merge(&[halves[0].clone(), parts[2].clone(), parts[3].clone()], &n, false).unwrap();
    assert_eq!(json(&mixed), json(&scenario.run().unwrap()));
    let mut old = parts[1].clone();
    old.clout_version = "0.0.1".into();
    let e = RunRecord::merge(&[parts[0].clone(), old], &n, false).unwrap_err();
    assert!(e.to_string().contains("their clout versions differ"), "{e}");

    // Coverage that cannot be (beyond the run, out of order, not matching
    // the summary) is refused before anything is sized by it.
    for (ranges, says) in [
        (vec![[0, u64::MAX]], "within [0, 4000)"),
        (vec![[500, 1000], [0, 100]], "increasing and apart"),
        (vec![[0, 999]], "its summary holds 1000 trials, its coverage 999"),
    ] {
        let mut forged = parts[0].clone();
        forged.coverage.as_mut().unwrap()[0].ranges = ranges;
        let e = RunRecord::merge(&[forged], &n, false).unwrap_err();
        assert!(e.to_string().contains(says), "{e}");
    }
    // A shard of a conditional run must hold a trial of each part.
    let mut small = Scenario::builtin("micro-influencer").unwrap();
    small.run.trials = 1000;
    small.start.as_mut().unwrap().trials = Some(3);
    let e = small.run_shard(&Runner::new(1), Shard { index: 0, count: 4 }).unwrap_err().to_string();
    assert!(e.contains("must be K/N with 0 <= K < N <= 3"), "{e}");
    // A partial merge, when asked for, says which trials it holds.
    let partial = RunRecord::merge(&[parts[0].clone(), parts[3].clone()], &n, true).unwrap();
    let held = &partial.coverage.as_ref().unwrap()[0];
    assert_eq!((held.of, held.ranges.clone()), (4000, vec![[0, 1000], [3000, 4000]]));
    assert_eq!(held.held(), 2000);
    // ... and merges on with the rest into the whole run.
    let whole = RunRecord::merge(&[partial, parts[1].clone(), parts[2].clone()], &n, false).unwrap();
    assert_eq!(json(&whole), json(&scenario.run().unwrap()));
}

#[test]
fn a_damaged_summary_is_an_error_not_a_panic() {
    let mut scenario = Scenario::builtin("snapshot").unwrap();
    scenario.run.trials = 2000;
    let parts = shards(&scenario, 2);
    // Statistics that cannot be (a bucket holding values outside it) do not even load ...
    let mut value = serde_json::to_value(&parts[1]).unwrap();
    value["summary"]["career"]["followers"]["precision"] = 12.into();
    let e = serde_json::from_value::<RunRecord>(value).unwrap_err().to_string();
    assert!(e.contains("do not fit values in"), "{e}");
    // ... and statistics kept under other settings (tiers) do not merge.
    let mut value = serde_json::to_value(&parts[1]).unwrap();
    value["summary"]["career"]["tiers"]["nano"] = 5.into();
    let damaged: RunRecord = serde_json::from_value(value).unwrap();
    let e = RunRecord::merge(&[parts[0].clone(), damaged], &names(2), false).unwrap_err();
    assert!(e.to_string().starts_with("shard-1.json: its summary does not fit the others"), "{e}");
    // A record alone is checked against its own scenario before it is
    // merged or reported: a tier's histogram missing (refused as it is
    // read: there is one per tier), one kept at another precision, or
    // another model's statistics, are errors, not a panic in the report.
    let whole = scenario.run().unwrap();
    let mut value = serde_json::to_value(&whole).unwrap();
    value["summary"]["career"]["reach_day"].as_array_mut().unwrap().pop();
    let short: RunRecord = serde_json::from_value(value).unwrap();
    let e = RunRecord::merge(&[short], &names(1), false).unwrap_err().to_string();
    assert!(e.contains("it counts 4 levels reached and 5 at the horizon, its tiers and goal make 5"), "{e}");
    // Days below 1024 have the same bucket at precisions 10 and 11: careers
    // of 1,000 days, and a level some career reached.
    let mut young = scenario.clone();
    young.observation = Some(clout::model::career::Observation::Cohort { horizon_days: 1000 });
    let mut value = serde_json::to_value(young.run().unwrap()).unwrap();
    let levels = value["summary"]["career"]["reach_day"].as_array_mut().unwrap();
    let early = levels.iter_mut().find(|h| {
        let buckets = h["buckets"].as_array().unwrap();
        !buckets.is_empty() && buckets.iter().all(|b| b[0].as_u64().unwrap() < 1024)
    });
    early.expect("a level reached")["precision"] = 11.into();
    let other: RunRecord = serde_json::from_value(value).unwrap();
    let e = RunRecord::merge(&[other], &names(1), false).unwrap_err().to_string();
    assert!(e.contains("its statistics were kept with other settings"), "{e}");
    let mut value = serde_json::to_value(&whole).unwrap();
    value["summary"] = serde_json::json!({ "gibrat": { "trials": 2000, "hits": 3 } });
    let foreign: RunRecord = serde_json::from_value(value).unwrap();
    let e = RunRecord::merge(&[foreign], &names(1), false).unwrap_err().to_string();
    assert!(e.contains("belongs to another model"), "{e}");
}

fn clout(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_clout")).args(args).output().unwrap()
}

#[test]
fn the_command_line_shards_and_merges_byte_for_byte() {
    let dir = std::env::temp_dir().join(format!("clout-shards-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = |name: &str| dir.join(name).to_str().unwrap().to_string();
    let whole = clout(&["run", "default", "--trials", "3000", "--format", "json", "-q"]);
    assert!(whole.status.success());
    for k in 0..3 {
        let shard = format!("{k}/3");
        let out = path(&format!("s{k}.json"));
        let o = clout(&[
            "run", "default", "--trials", "3000", "--shard", &shard, "--format", "json", "--out", &out,
        ]);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    }
    let merged = clout(&["merge", &path("s0.json"), &path("s1.json"), &path("s2.json")]);
    assert!(merged.status.success(), "{}", String::from_utf8_lossy(&merged.stderr));
    assert_eq!(merged.stdout, whole.stdout, "merged shards are the unsharded run, byte for byte");
    let gap = clout(&["merge", &path("s0.json"), &path("s2.json")]);
    assert_eq!(gap.status.code(), Some(2));
    let err = String::from_utf8_lossy(&gap.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("trials [1000, 2000) of 3000 are missing"), "{err}");
    let bad = clout(&["run", "default", "--trials", "3000", "--shard", "3/3"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("need 0 <= K < N"));
    std::fs::write(path("junk.json"), "{ \"schema\": 1 }").unwrap();
    let junk = clout(&["merge", &path("junk.json")]);
    assert_eq!(junk.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&junk.stderr).contains("not a clout record"));
    std::fs::remove_dir_all(&dir).ok();
}

/// A forged or damaged record whose counts cannot be (more careers active,
/// at a tier or reaching it than ran; a higher tier reached by more than
/// the lower; hits above trials; sums that are not their histogram's) is
/// refused in one line naming the broken invariant, by a merge of it alone
/// as by a merge with others; before, some made the report panic (exit 101).
#[test]
fn records_whose_counts_cannot_be_are_refused_in_one_line() {
    use serde_json::Value;
    let record = |name: &str, trials: u64| {
        let mut scenario = Scenario::builtin(name).unwrap();
        scenario.run.trials = trials;
        if let Some(start) = scenario.start.as_mut() {
            start.trials = Some(trials);
        }
        serde_json::to_string(&scenario.run().unwrap()).unwrap()
    };
    let (snapshot, gibrat, yule, micro) = (
        record("snapshot", 2000),
        record("gibrat", 2000),
        record("yule", 2000),
        record("micro-influencer", 2000),
    );
    // Each sound record merges alone (the checks hold on real runs).
    for text in [&snapshot, &gibrat, &yule, &micro] {
        let sound: RunRecord = serde_json::from_str(text).unwrap();
        RunRecord::merge(&[sound], &names(1), false).unwrap();
    }
    // An edit of the record's JSON.
    fn edit(text: &str, f: impl Fn(&mut Value)) -> String {
        let mut value: Value = serde_json::from_str(text).unwrap();
        f(&mut value);
        value.to_string()
    }
    let cases: Vec<(String, &str)> = vec![
        (
            edit(&snapshot, |v| v["summary"]["career"]["active"] = 1_000_000.into()),
            "active creators is 1000000, more than the 2000 careers",
        ),
        (
            edit(&snapshot, |v| v["summary"]["career"]["at_horizon"][4] = 5000.into()),
            "careers at mega at the horizon is 5000",
        ),
        (
            edit(&snapshot, |v| v["summary"]["career"]["trials"] = 1999.into()),
            "its final followers count 2000 careers, its trials 1999",
        ),
        (
            edit(&gibrat, |v| v["summary"]["gibrat"]["hits"] = 5000.into()),
            "hits is 5000, more than the 2000 paths",
        ),
        (
            {
                // The summary is the record's last field, its sum the last "sum".
                let at = yule.rfind("\"sum\":").unwrap() + 6;
                let end = at + yule[at..].find([',', '}']).unwrap();
                format!("{}7{}", &yule[..at], &yule[end..])
            },
            "its sum 7 is not the sum of its histogram's sizes",
        ),
        (
            {
                let given = micro.find("\"given_state\":").unwrap();
                let at = given + micro[given..].find("\"active\":").unwrap() + 9;
                let end = at + micro[at..].find([',', '}']).unwrap();
                format!("{}1000000{}", &micro[..at], &micro[end..])
            },
            "active creators is 1000000",
        ),
        (
            edit(&snapshot, |v| {
                v["summary"]["career"]["reach_day"][0]["buckets"] = Value::Array(vec![]);
                v["summary"]["career"]["at_horizon"][0] = 0.into();
            }),
            "careers reaching micro is",
        ),
    ];
    for (k, (text, says)) in cases.into_iter().enumerate() {
        let forged: RunRecord = serde_json::from_str(&text).unwrap();
        let e = RunRecord::merge(&[forged], &names(1), true).unwrap_err().to_string();
        assert!(e.starts_with("shard-0.json: ") && e.contains(says) && !e.contains('\n'), "case {k}: {e}");
    }
}
