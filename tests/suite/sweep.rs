//! Sweeps: each point is exactly its scenario run alone; paired differences
//! are exact where they must be, narrower than unpaired ones on a real edit,
//! and right against separate large runs; bad sweeps are one-line errors.

use clout::study::sweep::{CareerOdds, LikeYouOdds, PointAnswer, SweepRecord};
use clout::{Runner, Scenario, Tier};
use std::process::Command;

use crate::common;

fn sweep_of(text: &str) -> SweepRecord {
    let scenario = Scenario::from_toml_str(text, "sweep.toml").unwrap_or_else(|e| panic!("{e}"));
    let sweep = scenario.sweep().unwrap_or_else(|e| panic!("{e}"));
    sweep.run(&Runner::new(scenario.run.seed)).unwrap()
}

/// The load error of a scenario, which must be one line naming the field's
/// `s.toml:line:column`; returned with the position taken out.
fn error_of(text: &str) -> String {
    let e = Scenario::from_toml_str(text, "s.toml").unwrap_err().to_string();
    assert!(!e.contains('\n'), "{e}");
    common::without_position(&e, "s.toml")
}

#[test]
fn each_point_is_its_scenario_run_alone() {
    let mut scenario = Scenario::builtin("effort-vs-timing").unwrap();
    scenario.run.trials = 3000;
    let sweep = scenario.sweep().unwrap();
    let record = sweep.run(&Runner::new(77).threads(2)).unwrap();
    assert_eq!(record.report.as_ref().unwrap().points.len(), 4);
    for (point, report) in sweep.points().iter().zip(&record.report.as_ref().unwrap().points) {
        let mut alone = point.scenario.clone();
        alone.run.seed = 77;
        let alone = alone.run().unwrap();
        let PointAnswer::Career(answer) = &report.answer else { panic!("a plain Career sweep") };
        // A sweep keeps each point's odds and means, not its distributions:
        // they equal those of the point's full report, field for field.
        assert_eq!(&CareerOdds::from(alone.career().unwrap()), answer, "point {}", report.index);
        assert!(answer.tiers[0].reached.successes > 0, "the check must see careers that grow");
    }
}

#[test]
fn a_field_the_model_ignores_gives_identical_points_and_zero_differences() {
    // With quit_stall = 0 the aspiration decides nothing.
    let record = sweep_of(
        "[run]\ntrials = 4000\n[population]\nentry_day = 30\n[persistence]\nquit_stall = 0\n\
         [sweep.grid]\n\"persistence.aspiration\" = [0.1, 0.5, 3.0]\n",
    );
    let base = &record.report.as_ref().unwrap().points[0];
    for p in &record.report.as_ref().unwrap().points[1..] {
        assert_eq!(p.answer, base.answer, "point {}", p.index);
        for d in &p.versus_baseline {
            let e = d.estimate.unwrap();
            assert_eq!((e.difference, e.std_error, d.point_only, d.baseline_only), (0.0, 0.0, 0, 0));
            assert!(e.unpaired_std_error > 0.0 || base.answer.proportion(d.tier).unwrap().successes == 0);
            // No discordant trial is no proof of no effect: the interval has
            // width around 0, and the exact test cannot reject.
            assert!(e.lower < 0.0 && e.upper > 0.0 && e.exact_p == Some(1.0) && !e.widened, "{e:?}");
            assert!(e.unpaired_lower < 0.0 && e.unpaired_upper > 0.0, "{e:?}");
        }
    }
    assert!(
        base.answer.proportion(Tier::Nano).unwrap().successes > 100,
        "the check must see careers that grow"
    );
}

/// Effort 3 -> 4 posts a week on a fixed creator: the paired interval is
/// narrower than the unpaired one, and the difference agrees with the one
/// two separate, much larger runs estimate.
#[test]
fn paired_intervals_are_narrower_and_right() {
    let base = "[observation]\nkind = \"cohort\"\nhorizon_days = 730\n\
                [population]\nentry_day = 30\neffort = 3\n\
                [tiers]\nnano = 100\nmicro = 200\nmid = 300\nmacro = 1000\nmega = 3000\n";
    let record = sweep_of(&format!(
        "{base}[run]\ntrials = 20000\nseed = 5\n[sweep.grid]\n\"population.effort\" = [3, 4]\n"
    ));
    let large = |effort: u32, seed: u64| {
        let text = base.replace("effort = 3", &format!("effort = {effort}"));
        let mut s = Scenario::from_toml_str(&text, "large.toml").unwrap();
        s.run.trials = 200_000;
        s.run.seed = seed;
        s.run().unwrap().career().unwrap().clone()
    };
    let (three, four) = (large(3, 101), large(4, 102));
    let point = &record.report.as_ref().unwrap().points[1];
    for tier in [Tier::Nano, Tier::Micro, Tier::Mid] {
        let d = point.versus_baseline[tier.index()];
        let e = d.estimate.unwrap();
        let (a, b) = (four.proportion(tier), three.proportion(tier));
        let truth = a.estimate - b.estimate;
        let truth_se = (a.std_error.powi(2) + b.std_error.powi(2)).sqrt();
        eprintln!(
            "effort 3 -> 4, {tier}: paired {:+.5} [{:+.5}, {:+.5}] (SE {:.5}); unpaired [{:+.5}, {:+.5}] (SE {:.5}); \
             discordant {}/{}; separate runs of 200,000: {truth:+.5} +- {truth_se:.5}",
            e.difference,
            e.lower,
            e.upper,
            e.std_error,
            e.unpaired_lower,
            e.unpaired_upper,
            e.unpaired_std_error,
            d.point_only,
            d.baseline_only
        );
        assert!(d.point_only + d.baseline_only >= 10, "{tier}: enough discordant trials for the check");
        assert!(e.std_error < 0.8 * e.unpaired_std_error, "{tier}: pairing must narrow the interval");
        // Both estimates agree with the separate runs within 4 combined
        // standard errors (a 95% interval alone would miss 1 time in 20).
        let z = (e.difference - truth) / (e.std_error.powi(2) + truth_se.powi(2)).sqrt();
        assert!(z.abs() < 4.0, "{tier}: paired estimate {} against {truth}: z = {z}", e.difference);
        let z = (e.difference - truth) / (e.unpaired_std_error.powi(2) + truth_se.powi(2)).sqrt();
        assert!(z.abs() < 4.0, "{tier}: unpaired z = {z}");
    }
}

#[test]
fn sobol_points_fill_their_ranges() {
    let text = "[run]\ntrials = 200\n[population]\nentry_day = 3650\n\
                [sweep]\ndesign = \"sobol\"\npoints = 16\n\
                [sweep.ranges]\n\"platform.conversion\" = [0.01, 0.03]\n\"observation.horizon_days\" = [100, 400]\n";
    let scenario = Scenario::from_toml_str(text, "sobol.toml").unwrap();
    let sweep = scenario.sweep().unwrap();
    assert_eq!(sweep.points().len(), 16);
    let mut halves = [0; 2];
    for p in sweep.points() {
        let c = p.scenario.platform.unwrap().conversion;
        assert!((0.01..=0.03).contains(&c), "{c}");
        halves[usize::from(c > 0.02)] += 1;
        let clout::model::career::Observation::Cohort { horizon_days } = p.scenario.observation.unwrap()
        else {
            panic!()
        };
        assert!((100..=400).contains(&horizon_days), "a whole number of days in range: {horizon_days}");
    }
    assert_eq!(halves, [8, 8], "a Sobol sequence splits each range evenly");
    // Deterministic given the seed.
    let again = Scenario::from_toml_str(text, "sobol.toml").unwrap().sweep().unwrap();
    assert_eq!(again.points()[5].values, sweep.points()[5].values);
}

#[test]
fn conditional_scenarios_sweep_too() {
    let text = "[run]\ntrials = 3000\n[population]\nentry_day = 3650\n\
                [condition]\ncareer_day = 365\nfollowers = { low = 100, high = 400 }\n\
                [sweep.grid]\n\"condition.followers.high\" = [400, 1000]\n\
                \"condition.followers\" = [{ low = 100, high = 400 }, { low = 5000000, high = 6000000 }]\n";
    let record = sweep_of(text);
    let points = &record.report.as_ref().unwrap().points;
    assert_eq!(points.len(), 4);
    let PointAnswer::CreatorsLikeYou(like) = &points[0].answer else { panic!("a creators-like-you sweep") };
    assert!(like.matched > 10, "{}", like.matched);
    // The point's odds are those of its scenario run alone, field for field.
    let scenario = Scenario::from_toml_str(text, "sweep.toml").unwrap();
    let alone = scenario.sweep().unwrap().points()[0].scenario.run().unwrap();
    let alone = alone.conditional().unwrap().creators_like_you.as_ref().unwrap();
    assert_eq!(&LikeYouOdds::from(alone), like);
    assert!(like.odds.as_ref().unwrap().tiers[0].reached.successes > 0, "{like:?}");
    // A point nobody can match reports no odds and no difference, never NaN.
    let PointAnswer::CreatorsLikeYou(none) = &points[1].answer else { panic!() };
    assert_eq!(none.matched, 0);
    assert!(points[1].versus_baseline.iter().all(|d| d.estimate.is_none()));
    let json = serde_json::to_string(&record).unwrap();
    assert!(!json.contains("NaN"));
    assert!(record.to_table().contains("nobody matched"));
}

#[test]
fn bad_sweeps_are_one_line_errors_naming_the_path() {
    let base = "[run]\ntrials = 100\n";
    let e = error_of(&format!("{base}[sweep.grid]\n\"population.efort\" = [1, 2]\n"));
    assert!(e.starts_with("s.toml: sweep.grid.\"population.efort\" = 1: no field `population.efort`"), "{e}");
    let e = error_of(&format!("{base}[sweep.grid]\n\"platform.conversion.x\" = [1, 2]\n"));
    assert!(e.contains("`platform.conversion` holds a value, not a section"), "{e}");
    let e = error_of(&format!("{base}[sweep.grid]\n\"population.effort\" = [3, -1]\n"));
    assert_eq!(
        e,
        "s.toml: sweep point 1 (population.effort = -1): population.effort = -1: must lie in [0.1, 28]"
    );
    let e = error_of(&format!("{base}[sweep.grid]\n\"platform.conversion\" = [\"high\"]\n"));
    assert!(e.starts_with("s.toml: sweep point 0 = platform.conversion = \"high\": invalid type"), "{e}");
    let e = error_of(&format!("{base}[sweep.grid]\n\"platform.conversion\" = []\n"));
    assert!(e.starts_with("s.toml: sweep.grid.\"platform.conversion\" = []: is empty"), "{e}");
    let e = error_of(&format!("{base}[sweep.grid]\n\"run.trials\" = [1, 2]\n"));
    assert!(e.contains("`run` cannot be swept"), "{e}");
    let e = error_of(&format!(
        "{base}[sweep]\nbaseline = 2\n[sweep.grid]\n\"platform.conversion\" = [0.1, 0.2]\n"
    ));
    assert!(e.starts_with("s.toml: sweep.baseline = 2: must be the index of a point, 0 to 1"), "{e}");
    let e = error_of(&format!(
        "{base}[sweep]\ndesign = \"sobol\"\n[sweep.ranges]\n\"platform.conversion\" = [0.1, 0.2]\n"
    ));
    assert!(e.starts_with("s.toml: sweep.points = (missing)"), "{e}");
    let e = error_of(&format!(
        "{base}[sweep]\ndesign = \"sobol\"\npoints = 4\n[sweep.ranges]\n\"platform.conversion\" = [0.2, 0.1]\n"
    ));
    assert!(e.contains("must be [low, high]"), "{e}");
    let e = error_of(&format!("{base}[sweep]\ndesign = \"sobol\"\npoints = 4\n"));
    assert!(e.starts_with("s.toml: sweep.ranges = (empty)"), "{e}");
    let many = format!("[{}]", vec!["0.1"; 10_001].join(", "));
    let e = error_of(&format!(
        "{base}[sweep.grid]\n\"platform.conversion\" = [0.1]\n\"platform.share_rate\" = {many}\n"
    ));
    assert!(e.contains("a sweep may have at most 10000"), "{e}");
    let e = error_of(&format!("{base}[sweep]\ngird = 1\n"));
    assert!(e.contains("unknown field `gird`"), "{e}");
}

fn clout(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_clout")).args(args).output().unwrap()
}

#[test]
fn the_command_line_runs_sweeps_reproducibly_and_refuses_huge_ones() {
    let run = |threads: &str, format: &str| {
        let o = clout(&[
            "sweep",
            "effort-vs-timing",
            "--trials",
            "2000",
            "--threads",
            threads,
            "--format",
            format,
        ]);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        String::from_utf8(o.stdout).unwrap()
    };
    let json = run("1", "json");
    assert_eq!(json, run("2", "json"));
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["schema"], "clout.sweep/6");
    assert_eq!(v["seed"], 2026);
    assert_eq!(v["report"]["points"].as_array().unwrap().len(), 4);
    let csv = run("0", "csv");
    assert_eq!(csv.lines().count(), 1 + 4 * 5, "a header, then one row per point and tier");
    assert!(csv.starts_with("point,baseline,\"population.effort.median\",\"population.entry_day\",tier,"));
    let table = run("0", "table");
    assert!(
        table.contains("point 0 (baseline): population.effort.median = 3.0, population.entry_day = 3650")
    );

    let o = clout(&["sweep", "effort-vs-timing", "--trials", "300000000"]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("1.2e9 careers") && err.contains("--allow-large"), "{err}");
    let o = clout(&["run", "effort-vs-timing"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("run it with `clout sweep`"));
    let o = clout(&["sweep", "default"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("a sweep needs a [sweep] section"));
}

#[test]
fn given_state_points_are_their_scenarios_run_alone() {
    let text = "[run]\ntrials = 100\n[observation]\nkind = \"cohort\"\nhorizon_days = 1095\n\
                [population]\nentry_day = 3650\n[start]\ncareer_day = 365\nfollowers = 5000\ntrials = 2000\n\
                [sweep.grid]\n\"start.followers\" = [5000, 20000]\n";
    let scenario = Scenario::from_toml_str(text, "given.toml").unwrap();
    let sweep = scenario.sweep().unwrap();
    let record = sweep.run(&Runner::new(scenario.run.seed).threads(2)).unwrap();
    let points = &record.report.as_ref().unwrap().points;
    assert_eq!((points.len(), record.report.as_ref().unwrap().trials), (2, 2000));
    for (point, report) in sweep.points().iter().zip(points) {
        let alone = point.scenario.run().unwrap();
        let alone = &alone.conditional().unwrap().given_state.as_ref().unwrap().odds;
        let PointAnswer::Career(answer) = &report.answer else { panic!("a given state is a Career point") };
        assert_eq!(&CareerOdds::from(alone), answer, "point {}", report.index);
        assert!(answer.tiers[0].reached.successes > 0, "{answer:?}");
    }
}

/// A sweep keeps a fixed number of integers a point: its record's summary
/// is the same size at 200 trials a point as at 20 (a full Career summary's
/// histograms and rank table grow with the values seen).
#[test]
fn a_points_summary_does_not_grow_with_its_trials() {
    let size = |trials: u64| {
        let mut scenario = Scenario::builtin("effort-vs-timing").unwrap();
        scenario.run.trials = trials;
        let record = scenario.sweep().unwrap().run(&Runner::new(7)).unwrap();
        let summary = serde_json::to_value(&record.summary).unwrap();
        // Every count written at its longest: the size a point can reach.
        summary.to_string().chars().filter(|c| !c.is_ascii_digit()).count()
    };
    assert_eq!(size(20), size(2000));
}

/// The characters of `text` with every number written at its longest: 24
/// characters (an `f64` such as `-2.2250738585072014e-308`; a `u64` has at
/// most 20), 39 for the `u128` sums of followers and career days.
fn longest(text: &str) -> usize {
    let (mut bytes, mut chars, mut in_string, mut key) = (0, text.chars().peekable(), false, String::new());
    let mut last_key = String::new();
    while let Some(c) = chars.next() {
        if in_string {
            bytes += 1;
            match c {
                '\\' => {
                    chars.next();
                    bytes += 1;
                }
                '"' => {
                    in_string = false;
                    last_key = std::mem::take(&mut key);
                }
                c => key.push(c),
            }
        } else if c == '"' {
            in_string = true;
            bytes += 1;
        } else if c == '-' || c.is_ascii_digit() {
            while chars.peek().is_some_and(|c| c.is_ascii_digit() || "+-.eE".contains(*c)) {
                chars.next();
            }
            bytes += if matches!(last_key.as_str(), "followers" | "career_days") { 39 } else { 24 };
        } else {
            bytes += 1;
        }
    }
    bytes
}

/// A sweep's record stays within the bound it states before running
/// (`Sweep::record_bytes`, under the 256 MiB clout reads back): each point,
/// every number written at its longest, within `RECORD_BYTES_PER_POINT`;
/// and a sweep whose record could be larger is refused before any point is
/// built.
#[test]
fn a_sweeps_record_is_within_the_bound_it_states() {
    use clout::scenario::sweep::RECORD_BYTES_PER_POINT;
    let plain = "[run]\ntrials = 3000\n[population]\nentry_day = 30\n\
                 [sweep.grid]\n\"population.effort\" = [2, { dist = \"lognormal\", median = 3.0, sigma = 0.8 }]\n\
                 \"platform.conversion\" = [0.01, 0.02]\n";
    let like = "[run]\ntrials = 3000\n[population]\nentry_day = 3650\n\
                [condition]\ncareer_day = 365\nfollowers = { low = 100, high = 400 }\n\
                [sweep.grid]\n\"condition.followers.high\" = [400, 1000]\n";
    let mut widest = 0;
    for text in [plain, like] {
        let scenario = Scenario::from_toml_str(text, "sweep.toml").unwrap();
        let sweep = scenario.sweep().unwrap();
        let record = sweep.run(&Runner::new(scenario.run.seed)).unwrap();
        let json = serde_json::to_string_pretty(&record).unwrap();
        assert!(json.len() as u64 <= sweep.record_bytes(), "{} > {}", json.len(), sweep.record_bytes());
        let v: serde_json::Value = serde_json::from_str(&json).unwrap();
        for k in 0..sweep.points().len() {
            let mut answer = v["report"]["points"][k].clone();
            answer.as_object_mut().unwrap().remove("values");
            assert!(answer["versus_baseline"][1]["estimate"].is_object() || k == 0, "every field written");
            let parts = [answer, v["summary"]["points"][k].clone(), v["summary"]["pairs"][k].clone()];
            // Each part as it sits in the record: three levels deep, 6 spaces a line.
            let point: usize = parts
                .iter()
                .map(|p| serde_json::to_string_pretty(p).unwrap())
                .map(|t| longest(&t) + 6 * t.lines().count() + 2)
                .sum();
            widest = widest.max(point);
            assert!(point as u64 <= RECORD_BYTES_PER_POINT, "point {k}: {point} bytes at its longest");
        }
    }
    println!("a point at its longest: {widest} bytes, bound {RECORD_BYTES_PER_POINT}");
    // 10,000 points whose values are 10 KB each would need 300 MB.
    let long: Vec<String> = (0..100).map(|k| format!("\"{k}{}\"", "x".repeat(10_000))).collect();
    let days: Vec<String> = (0..100).map(|k| (k * 30).to_string()).collect();
    let text = format!(
        "[run]\ntrials = 10\n[sweep.grid]\n\"population.effort.median\" = [{}]\n\"population.entry_day\" = [{}]\n",
        long.join(", "),
        days.join(", ")
    );
    let e = error_of(&text);
    assert_eq!(
        e,
        "s.toml: sweep = 10000 points: would write a record of up to 294 MiB, more than the 256 MiB \
         clout reads back (20 KiB a point besides its values): sweep fewer points, or shorter values"
    );
}

/// Career options that are off are not written in a scenario, yet a sweep
/// can set them like any field: point 0 (off) is the base scenario exactly,
/// the others have the option on; a misspelt option is still refused.
#[test]
fn options_that_are_off_can_be_swept() {
    let base = "[run]\ntrials = 200\nseed = 3\n[observation]\nkind = \"cohort\"\nhorizon_days = 365\n";
    let record = sweep_of(&format!(
        "{base}[sweep.grid]\n\"platform.inactive_rate\" = [0.0, 4.1e-4]\n\
         \"population.correlation.talent_effort\" = [0.0, 0.3]\n\
         \"persistence.dormant_unfollow_rate\" = [0.0, 1e-3]\n\"platform.niche_saturation\" = [\"hard\", \"soft\"]\n"
    ));
    let points = &record.report.as_ref().unwrap().points;
    assert_eq!(points.len(), 16);
    let plain = Scenario::from_toml_str(base, "base.toml").unwrap();
    let (plain, _) = plain.resolve().unwrap();
    let scenario = |k: usize| record.scenario.sweep().unwrap().points()[k].scenario.clone();
    assert_eq!(scenario(0).platform, plain.platform);
    assert_eq!(scenario(0).population, plain.population);
    let last = scenario(15);
    let (platform, population) = (last.platform.unwrap(), last.population.unwrap());
    assert_eq!((platform.inactive_rate, population.correlation.talent_effort), (4.1e-4, 0.3));
    assert_eq!(last.persistence.unwrap().dormant_unfollow_rate, 1e-3);
    let e = error_of(&format!("{base}[sweep.grid]\n\"platform.inactive_rat\" = [0.0, 1e-4]\n"));
    assert!(e.contains("inactive_rat") && e.contains("no field"), "{e}");
}

/// Sweeps report income (issue 25): each point's chance of each income
/// level is that of its scenario run alone, hit for hit; the paired
/// difference is the discordant trials' over the trials; the CSV has a row
/// per point and income level; income levels that differ between points
/// are refused in one line.
#[test]
fn sweeps_report_income_paired_with_the_baseline() {
    let text = format!(
        "{}\n[sweep]\nbaseline = 0\n[sweep.grid]\n\"money.sponsored_share\" = [0.1, 0.3]\n",
        clout::scenario::BUILTIN.iter().find(|(n, _)| *n == "make-a-living").unwrap().1
    );
    let mut scenario = Scenario::from_toml_str(&text, "sweep.toml").unwrap();
    scenario.run.trials = 20_000;
    // An income goal (`--target '$10k'`) changes no count; the answer leads with it.
    scenario.aim(clout::scenario::Target::Income(10_000.0)).unwrap();
    let sweep = scenario.sweep().unwrap();
    let record = sweep.run(&Runner::new(5).threads(2)).unwrap();
    let report = record.report.as_ref().unwrap();
    let chance = |p: usize| report.points[p].income[0].chance.unwrap().estimate;
    let best = if chance(1) > chance(0) {
        "Point 1 (money.sponsored_share = 0.3): "
    } else {
        "The baseline, point 0"
    };
    let table = record.to_table();
    let asked = "Which point gives the best chance of earning at least $10,000 a year? ";
    assert!(table.contains(&format!("{asked}{best}")), "{table}");
    // Aimed at an engaged audience instead (`--target '1k engaged'`), the answer leads with it.
    let mut aimed = record.clone();
    aimed.scenario.money.as_mut().unwrap().goal = None;
    aimed.scenario.engagement.get_or_insert_default().goal = Some(1000.0);
    let engaged = |p: usize| report.points[p].audience[0].chance.unwrap().estimate;
    let best = if engaged(1) > engaged(0) { "Point 1 (" } else { "The baseline, point 0" };
    let asked =
        "Which point gives the best chance of having an engaged audience of at least 1,000 (1k engaged)? ";
    let table = aimed.to_table();
    assert!(table.contains(&format!("{asked}{best}")), "{table}");
    let mut discordant = 0;
    for (point, p) in sweep.points().iter().zip(&report.points) {
        let mut alone = point.scenario.clone();
        alone.run.seed = 5;
        let alone = alone.run().unwrap();
        let engagement = alone.career().unwrap().engagement.clone().unwrap();
        let income = engagement.income.clone().unwrap();
        // Engaged-audience levels too (make-a-living's 1k engaged), each the point's own.
        assert_eq!(p.audience.len(), engagement.audience_levels.len());
        assert!(!p.audience.is_empty());
        for (swept, own) in p.audience.iter().zip(&engagement.audience_levels) {
            let chance = swept.chance.unwrap();
            assert_eq!((swept.level.as_str(), chance.successes), (own.level.as_str(), own.hits));
        }
        assert_eq!(p.income.len(), 4);
        for (swept, own) in p.income.iter().zip(&income.levels) {
            assert_eq!(swept.level, own.level);
            let chance = swept.chance.unwrap();
            assert_eq!(
                (chance.successes, chance.trials),
                (own.hits, own.trials),
                "point {} {}",
                p.index,
                own.level
            );
            let e = swept.estimate.as_ref().unwrap();
            let by_count = (swept.point_only as f64 - swept.baseline_only as f64) / 20_000.0;
            assert!((e.difference - by_count).abs() < 1e-12, "{} against {by_count}", e.difference);
            assert!(e.lower < e.upper, "never a zero-width interval");
            discordant += swept.point_only + swept.baseline_only;
        }
    }
    assert!(discordant > 0, "a larger sponsored share must change some incomes");
    let csv = record.to_csv();
    assert_eq!(csv.lines().filter(|l| l.starts_with("1,false,\"0.3\",$10k,")).count(), 1, "{csv}");
    let message = error_of(
        &text.replace("\"money.sponsored_share\" = [0.1, 0.3]", "\"money.levels\" = [[10000], [20000]]"),
    );
    assert!(message.contains("money.levels") && message.contains("same at every point"), "{message}");
}
