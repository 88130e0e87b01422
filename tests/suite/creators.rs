//! Creators files (`clout run --creators`, `clout::study::creators`): one
//! row per trial, in trial order on any number of threads, whose aggregate
//! is the run's report; pieces (stopped runs and their rests, shards) write
//! the rows of exactly their trials; the size rule and write failures.

use clout::model::career::summary::QuantileEstimate;
use clout::runner::RowSink;
use clout::stats::LogHistogram;
use clout::study::creators::{CreatorsError, MAX_ROWS, check_rows};
use clout::study::run::{RunRecord, Shard};
use clout::{Runner, Scenario, Summary, Tier};
use std::sync::atomic::{AtomicBool, Ordering};

/// The rows of `scenario`'s shard, with the record.
fn export(scenario: &Scenario, runner: &Runner, shard: Shard) -> (RunRecord, String) {
    let mut csv = Vec::new();
    let (record, rows) = scenario.run_writing_creators(runner, shard, &mut csv, false).unwrap();
    let text = String::from_utf8(csv).unwrap();
    assert_eq!(rows as usize, text.lines().count() - 1);
    (record, text)
}

/// The CSV's rows as fields, by column name.
struct Table {
    header: Vec<String>,
    rows: Vec<Vec<String>>,
}

impl Table {
    fn parse(text: &str) -> Table {
        let mut lines = text.lines();
        let header = lines.next().unwrap().split(',').map(String::from).collect::<Vec<_>>();
        let rows: Vec<Vec<String>> = lines.map(|l| l.split(',').map(String::from).collect()).collect();
        assert!(rows.iter().all(|r| r.len() == header.len()), "every row has every column");
        Table { header, rows }
    }
    fn column(&self, name: &str) -> Vec<&str> {
        let k = self.header.iter().position(|h| h == name).unwrap_or_else(|| panic!("no column {name}"));
        self.rows.iter().map(|r| r[k].as_str()).collect()
    }
    fn numbers(&self, name: &str) -> Vec<f64> {
        self.column(name).iter().map(|v| v.parse().unwrap()).collect()
    }
}

#[test]
fn a_plain_export_has_a_row_per_career_whose_aggregate_is_the_report() {
    let mut scenario = Scenario::builtin("early-entrant").unwrap();
    scenario.run.trials = 30_000;
    let (record, text) = export(&scenario, &Runner::new(scenario.run.seed), Shard::WHOLE);
    let report = record.career().unwrap();
    let table = Table::parse(&text);
    assert_eq!(
        table.header.join(","),
        "trial,talent,effort,entry_day,niche,weight,followers,day_nano,day_micro,day_mid,day_macro,day_mega,active,\
         quit_day"
    );
    assert_eq!(table.rows.len(), 30_000);
    let trials: Vec<u64> = table.column("trial").iter().map(|t| t.parse().unwrap()).collect();
    assert_eq!(trials, (0..30_000).collect::<Vec<u64>>(), "rows in trial order");
    assert!(table.column("weight").iter().all(|w| *w == "1"));
    // Each tier: the rows with a day are the careers that reached it.
    for tier in Tier::ALL {
        let reached = table.column(&format!("day_{}", tier.name())).iter().filter(|d| !d.is_empty()).count();
        assert_eq!(reached as u64, report.proportion(tier).successes, "{tier}");
        let threshold = report.tier(tier).chance.threshold;
        let at_end = table.numbers("followers").iter().filter(|&&f| f >= threshold).count();
        assert_eq!(at_end as u64, report.tier(tier).at_horizon.successes, "{tier}");
    }
    assert!(report.proportion(Tier::Mega).successes > 0, "the check must see every tier");
    // The followers' histogram: the same mean, quantiles and intervals.
    let mut followers = LogHistogram::default();
    for f in table.numbers("followers") {
        followers.record(f as u64);
    }
    assert_eq!(followers.mean(), report.followers.mean);
    let f = &report.followers;
    for (q, got) in [(0.5, f.p50), (0.9, f.p90), (0.99, f.p99), (0.999, f.p999)] {
        assert_eq!(QuantileEstimate::of(&followers, q), got, "q = {q}");
    }
    // Active at the horizon, and the quit days: the career lengths' histogram.
    let active = table.column("active");
    let quit = table.column("quit_day");
    assert_eq!(
        active.iter().filter(|a| **a == "true").count() as u64,
        report.careers.active_at_horizon.successes
    );
    let mut days = LogHistogram::default();
    for (a, q) in active.iter().zip(&quit) {
        assert_eq!(*a == "true", q.is_empty(), "a quit day exactly for those who quit");
        days.record(if q.is_empty() { 1825 } else { q.parse().unwrap() });
    }
    assert_eq!(days.mean(), report.careers.mean_career_days);
    assert_eq!(days.quantile(0.5), report.careers.median_career_days);
    // The traits are the creators the run drew.
    let model = scenario.career_model().unwrap();
    for (t, talent) in table.numbers("talent").iter().enumerate().step_by(997) {
        let drawn = model.sample_creator(&clout::TrialStreams::new(scenario.run.seed, t as u64)).clamped();
        assert_eq!(*talent, drawn.talent, "trial {t}");
    }
}

#[test]
fn the_rows_are_the_same_bytes_on_one_and_two_threads() {
    let mut scenario = Scenario::builtin("snapshot").unwrap();
    scenario.run.trials = 20_000;
    let one = export(&scenario, &Runner::new(3).threads(1), Shard::WHOLE).1;
    let two = export(&scenario, &Runner::new(3).threads(2), Shard::WHOLE).1;
    assert_eq!(one, two);
    // A window of one chunk: workers wait for the rows before theirs.
    let model = scenario.career_model().unwrap();
    let mut csv = Vec::new();
    let sink = RowSink::new(&mut csv).with_window(1);
    assert_eq!(sink.window(), Runner::CHUNK);
    sink.write_header(model.row_header().as_bytes());
    let summary = Runner::new(3).threads(2).rows(&sink).run(&model, 20_000).summary;
    assert_eq!(sink.finish().unwrap(), 20_000);
    drop(sink);
    assert_eq!(String::from_utf8(csv).unwrap(), one);
    assert_eq!(summary.trials(), 20_000);
}

#[test]
fn a_rare_export_has_a_row_per_root_whose_weighted_sums_are_the_estimates() {
    let mut scenario = Scenario::builtin("default").unwrap();
    scenario.run.trials = 8_000;
    scenario.rare.as_mut().unwrap().pilot_roots = 2_000;
    let (record, text) = export(&scenario, &Runner::new(scenario.run.seed), Shard::WHOLE);
    let rare = record.rare().unwrap();
    let table = Table::parse(&text);
    assert_eq!(
        table.header.join(","),
        "trial,talent,effort,entry_day,niche,weight,peak_followers,hit_nano,hit_micro,hit_mid,hit_macro,hit_mega"
    );
    assert_eq!(table.rows.len() as u64, rare.roots);
    let weights = table.numbers("weight");
    for level in &rare.levels {
        let hits = table.numbers(&format!("hit_{}", level.chance.level));
        let sum: f64 = weights.iter().zip(&hits).map(|(w, h)| w * h).sum();
        let estimate = sum / rare.roots as f64;
        assert!(
            (estimate - level.chance.estimate).abs() <= 1e-12 * level.chance.estimate.max(1e-300),
            "{}: rows give {estimate}, the report {}",
            level.chance.level,
            level.chance.estimate
        );
        assert_eq!(
            hits.iter().filter(|&&h| h > 0.0).count() as u64,
            level.chance.hits,
            "{}",
            level.chance.level
        );
        // A root reached a level exactly when its peak is at the threshold.
        for (peak, hit) in table.numbers("peak_followers").iter().zip(&hits) {
            assert_eq!(*peak >= level.chance.threshold, *hit > 0.0, "{}", level.chance.level);
        }
    }
    assert!(rare.levels[3].chance.hits > 30, "the check must see macro roots");
}

/// `scenario` stopped by the runner's stop flag after `after` trials, writing rows.
fn stopped(scenario: &Scenario, after: u64, threads: usize) -> (RunRecord, String) {
    let stop = AtomicBool::new(false);
    let raise = |done: u64| {
        if done >= after {
            stop.store(true, Ordering::Relaxed);
        }
    };
    let runner = Runner::new(scenario.run.seed).threads(threads).progress(&raise).stop_on(&stop);
    export(scenario, &runner, Shard::WHOLE)
}

#[test]
fn a_stopped_run_writes_the_rows_of_its_trials_and_the_rest_the_others() {
    for name in ["what-if", "default"] {
        let mut scenario = Scenario::builtin(name).unwrap();
        scenario.run.trials = 12_000;
        if let Some(rare) = scenario.rare.as_mut() {
            rare.pilot_roots = 2_000;
        }
        let whole = export(&scenario, &Runner::new(scenario.run.seed), Shard::WHOLE).1;
        for threads in [1, 2] {
            let (partial, rows) = stopped(&scenario, 5_000, threads);
            assert!(partial.interrupted, "{name}");
            let held = partial.coverage.as_ref().unwrap()[0].ranges.clone();
            assert_eq!(held.len(), 1);
            let [lo, hi] = held[0];
            assert_eq!((lo, rows.lines().count() as u64 - 1), (0, hi), "{name}: the rows of the trials held");
            assert!(whole.starts_with(&rows), "{name}: the first {hi} rows of the whole run");
            // The rest writes the other rows; together, the whole run's.
            let mut rest_rows = Vec::new();
            let header =
                clout::study::creators::header(&clout::study::run::PlainRun::new(&scenario).unwrap())
                    .unwrap();
            let runner = Runner::new(scenario.run.seed).threads(threads);
            let (rest, n) = clout::study::creators::write_rows(&header, &mut rest_rows, &runner, |r| {
                scenario.run_rest(r, Shard::WHOLE, &partial, "p.json").unwrap()
            })
            .unwrap();
            assert_eq!(n, 12_000 - hi);
            let rest_rows = String::from_utf8(rest_rows).unwrap();
            assert_eq!(rows + rest_rows.split_once('\n').unwrap().1, whole, "{name}");
            let merged = RunRecord::merge(&[partial, rest], &["p".into(), "r".into()], false).unwrap();
            assert!(merged.coverage.is_none());
        }
    }
}

#[test]
fn shards_write_their_rows_and_together_the_whole_run() {
    let mut scenario = Scenario::builtin("what-if").unwrap();
    scenario.run.trials = 10_000;
    let whole = export(&scenario, &Runner::new(1), Shard::WHOLE).1;
    let mut joined = String::new();
    for index in 0..3 {
        let rows = export(&scenario, &Runner::new(1), Shard { index, count: 3 }).1;
        joined += if index == 0 { &rows } else { rows.split_once('\n').unwrap().1 };
    }
    assert_eq!(joined, whole);
}

#[test]
fn too_many_rows_a_failed_write_and_other_models_are_refused_in_one_line() {
    assert!(check_rows(MAX_ROWS, false).is_ok() && check_rows(MAX_ROWS + 1, true).is_ok());
    let e = check_rows(5_000_000, false).unwrap_err().to_string();
    assert_eq!(
        e,
        "creators = 5000000 rows: is more than 1e6 rows: a file of about 500 MB at about 100 bytes a row; allow \
         it with --allow-large"
    );
    let mut scenario = Scenario::builtin("what-if").unwrap();
    scenario.run.trials = 2_000_000;
    let e = scenario.run_writing_creators(&Runner::new(1), Shard::WHOLE, Vec::new(), false).unwrap_err();
    assert!(
        e.to_string().starts_with("scenario \"what-if\": creators = 2000000 rows: is more than 1e6"),
        "{e}"
    );
    // Half of two million: within the rule, not run here.
    assert!(check_rows(Shard { index: 0, count: 2 }.range(2_000_000).end, false).is_ok());

    /// A disk that fills after 64 KiB.
    struct Full(usize);
    impl std::io::Write for Full {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            if self.0 + buf.len() > 1 << 16 {
                return Err(std::io::Error::other("no space left on device"));
            }
            self.0 += buf.len();
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    scenario.run.trials = 200_000;
    let e =
        scenario.run_writing_creators(&Runner::new(1).threads(2), Shard::WHOLE, Full(0), false).unwrap_err();
    assert!(matches!(e, CreatorsError::Write { .. }), "{e}");
    assert_eq!(e.to_string(), "<writer>: cannot write: no space left on device");

    // The file form: atomic, its path checked first, the old file kept on failure.
    let dir = std::env::temp_dir().join(format!("clout-creators-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("c.csv");
    scenario.run.trials = 3_000;
    let (_, rows) = scenario.run_writing_creators_to(&Runner::new(1), Shard::WHOLE, &path, false).unwrap();
    assert_eq!(std::fs::read_to_string(&path).unwrap().lines().count() as u64, rows + 1);
    let old = std::fs::read(&path).unwrap();
    let gibrat = Scenario::builtin("gibrat").unwrap();
    let e = gibrat.run_writing_creators_to(&Runner::new(1), Shard::WHOLE, &path, false).unwrap_err();
    assert_eq!(
        e.to_string(),
        "scenario \"gibrat\": creators = (a file): writes the creators of Career runs (brute force or method = \
         \"rare\"), not model = \"gibrat\""
    );
    assert_eq!(std::fs::read(&path).unwrap(), old);
    let e = scenario
        .run_writing_creators_to(&Runner::new(1), Shard::WHOLE, &dir.join("missing/c.csv"), false)
        .unwrap_err();
    assert!(
        e.to_string().starts_with(&format!("{}: cannot write: ", dir.join("missing/c.csv").display())),
        "{e}"
    );
    let leftovers =
        std::fs::read_dir(&dir).unwrap().filter(|f| f.as_ref().unwrap().file_name() != "c.csv").count();
    assert_eq!(leftovers, 0, "no temporary file is left");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn models_without_rows_write_none() {
    let model = clout::model::yule::YuleModel::new(Default::default()).unwrap();
    let mut csv = Vec::new();
    let sink = RowSink::new(&mut csv);
    let run = Runner::new(1).rows(&sink).run(&model, 5_000);
    assert_eq!((run.summary.trials(), sink.finish().unwrap()), (5_000, 5_000));
    drop(sink);
    assert!(csv.is_empty());
}
