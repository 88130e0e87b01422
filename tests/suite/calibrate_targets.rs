//! Data targets (issue 23): each a file with its source and date, read and
//! refused in one line; several fitted at once with their weights, recovering
//! the parameters that made them; a held-out target reported with its interval.

use clout::scenario::ScenarioModel;
use clout::study::calibrate::targets::{BUILTIN_DATA, TargetData};
use clout::study::calibrate::{BandModel, Calibration, TargetKind};
use clout::{Runner, Scenario};

/// A small, fast Career world: a five-year-old platform (as tests/suite/calibrate.rs).
const WORLD: &str = r#"
name = "small world"
[run]
trials = 1000
seed = 1
[observation]
kind = "snapshot"
platform_day = 1500
[population]
entry_day = { dist = "uniform", low = 0, high = 1500 }
niche = { dist = "lognormal", median = 20000, sigma = 1.5 }
# Without the default's dormant decay: at 7.5e-4 it leaves the niche's sigma
# unidentified by these targets in this young world (its interval spans the
# bounds). A variant's own recovery: calibrate::the_dormant_decay_variants_own.
[persistence]
dormant_unfollow_rate = 0
[tiers]
nano = 300
micro = 1000
mid = 3000
macro = 10000
mega = 30000
"#;

fn world() -> Scenario {
    Scenario::from_toml_str(WORLD, "world.toml").unwrap()
}

/// A data file's text: `kind` with its section `body`, and a valid source.
fn data(name: &str, kind: &str, body: &str) -> String {
    format!(
        "name = \"{name}\"\nkind = \"{kind}\"\ndate = \"2019-12\"\n\
         [source]\nauthors = \"A. Author\"\ntitle = \"A title\"\nyear = 2020\nurl = \"https://example.org/a\"\n\
         [{kind}]\n{body}\n"
    )
}

/// A calibration of the world from `text`, its data files from `files`.
fn calibration(text: &str, files: &[(&str, String)]) -> Result<Calibration, String> {
    let read = |file: &str| {
        files
            .iter()
            .find(|(n, _)| *n == file)
            .map(|(_, t)| t.clone())
            .ok_or_else(|| "no such file".to_string())
    };
    Calibration::from_toml_str_with(text, "c.toml", |_| Ok(world()), &read).map_err(|e| e.to_string())
}

#[test]
fn the_built_in_data_targets_are_valid_with_a_source_and_a_date() {
    for (file, text) in BUILTIN_DATA {
        let d = TargetData::from_toml_str(text).unwrap_or_else(|e| panic!("{file}: {e}"));
        assert!(d.source.year >= 2016 && !d.source.authors.is_empty() && !d.date.is_empty(), "{file}");
        assert!(d.source.url.starts_with("https://"), "{file}: a public copy");
    }
    let c = Calibration::builtin("census-and-tail-2026").unwrap();
    assert_eq!(c.spec().target.len(), 4);
    assert!(c.spec().target.iter().all(|t| t.data.is_some()));
    assert_eq!(c.bands().len(), 4, "the census's bands are the report's bands");
    // The slopes as published: YouTube's 100k-1M and 1M-10M.
    let slope = TargetData::from_toml_str(BUILTIN_DATA[2].1).unwrap();
    assert_eq!(slope.kind, TargetKind::Slope);
    let s = slope.slope.unwrap();
    assert_eq!((s.from, s.to, s.low, s.high), (100_000, 1_000_000, -1.0, -0.92));
    assert!((s.ratio_at(-0.997) - 0.1007).abs() < 1e-3);
}

#[test]
fn bad_data_files_get_one_line_errors_naming_the_field_and_value() {
    let ratio = "above = 1000\ngiven = 300\nvalue = 0.2";
    let slope = "from = 1000\nto = 10000\nlow = -1.2\nhigh = -0.9";
    let cases = [
        (
            data("r", "ratio", "above = 1000\ngiven = 300\nvalue = 1.5"),
            "ratio.value = 1.5: must lie in (0, 1)",
        ),
        (
            data("r", "ratio", "above = 300\ngiven = 300\nvalue = 0.2"),
            "ratio.above = 300: must be > given = 300",
        ),
        (
            data("s", "slope", "from = 1000\nto = 10000\nlow = 0.5\nhigh = 0.9"),
            "slope.low = 0.5: must lie in [-10, 0)",
        ),
        (
            data("s", "slope", "from = 1000\nto = 10000\nlow = -1\nhigh = -1.5"),
            "slope.high = -1.5: must lie in [low = -1, 0)",
        ),
        (data("s", "ratio", slope), "unknown field `from`"),
        (
            data("r", "ratio", ratio).replace("date = \"2019-12\"", "date = \"late 2019\""),
            "date = \"late 2019\": must be a date",
        ),
        (
            data("r", "ratio", ratio).replace("year = 2020", "year = 20"),
            "source.year = 20: must lie in [1900, 2100]",
        ),
        (
            data("r", "ratio", ratio).replace("https://example.org/a", "example.org"),
            "source.url = \"example.org\": must start with https://",
        ),
        (
            data("r", "ratio", ratio).replace("authors = \"A. Author\"", "authors = \"\""),
            "source.authors = \"\": must say who",
        ),
        (
            data("r", "ratio", ratio).replace("kind = \"ratio\"", "kind = \"slope\""),
            "ratio = (section): is given, but kind = \"slope\": give only the [slope] section",
        ),
        (
            data("r", "ratio", ratio).replace("kind = \"ratio\"", "kind = \"likes\""),
            "unknown variant `likes`",
        ),
        (
            data(
                "g",
                "growth",
                "threshold = 1000\nopened = \"2005\"\npoints = [{ date = \"2012\", count = 5 }, { date = \"2010\", count = 9 }]",
            ),
            "growth.points[1].date = \"2010\": must come after",
        ),
    ];
    for (text, expected) in &cases {
        let e = TargetData::from_toml_str(text).expect_err(expected).to_string();
        assert!(e.contains(expected), "{e:?} does not say {expected:?}");
        assert!(!e.contains('\n'), "{e:?}");
        // Through a calibration, the error also names the target and its file.
        let c = "name = \"c\"\nscenario = \"world\"\n[[target]]\nfile = \"data/bad.toml\"\nweight = 100\n\
             [fit]\n\"platform.share_rate\" = { low = 0.05, high = 3.0 }\n";
        let e = calibration(c, &[("data/bad.toml", text.clone())]).expect_err(expected);
        assert!(
            e.starts_with("c.toml: ") && e.contains("target[0] (data/bad.toml)") && e.contains(expected),
            "{e}"
        );
        assert!(!e.contains('\n'), "{e:?}");
    }
}

#[test]
fn bad_target_lists_get_one_line_errors() {
    let fit = "[fit]\n\"platform.share_rate\" = { low = 0.05, high = 3.0 }\n";
    let ok = data("r", "ratio", "above = 1000\ngiven = 300\nvalue = 0.2");
    let growth = data(
        "g",
        "growth",
        "threshold = 1000\nopened = \"2005\"\npoints = [{ date = \"2010\", count = 5 }, { date = \"2012\", count = 68 }]",
    );
    let head = "name = \"c\"\nscenario = \"world\"\n";
    let cases = [
        (
            format!("{head}[[target]]\nfile = \"r.toml\"\nweight = 0\n{fit}"),
            "target[0].weight = 0: must lie in [1, 1e9]",
        ),
        (
            format!("{head}[[target]]\nfile = \"none.toml\"\nweight = 10\n{fit}"),
            "target[0].file = \"none.toml\": no such file",
        ),
        (
            format!("{head}[[target]]\nfile = \"r.toml\"\nweight = 10\nheld_out = true\n{fit}"),
            "must fit at least one target",
        ),
        (
            format!("{head}[[target]]\nfile = \"g.toml\"\nweight = 10\n{fit}"),
            "is recorded data that clout does not fit",
        ),
        (format!("{head}[[target]]\nfile = \"r.toml\"\nweight = 10\nfit = 3\n{fit}"), "unknown field `fit`"),
    ];
    for (text, expected) in &cases {
        let e = calibration(text, &[("r.toml", ok.clone()), ("g.toml", growth.clone())]).expect_err(expected);
        assert!(e.contains(expected), "{e:?} does not say {expected:?}");
        assert!(!e.contains('\n'), "{e:?}");
    }
    // A data file given where a calibration is expected says so.
    let e = calibration(&ok, &[]).unwrap_err();
    assert!(e.contains("kind = \"ratio\": is a data target, not a calibration"), "{e}");
    // Files are read relative to the calibration file, and named in errors.
    let dir = std::env::temp_dir().join(format!("clout-targets-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("data")).unwrap();
    std::fs::write(dir.join("world.toml"), WORLD).unwrap();
    std::fs::write(dir.join("data/r.toml"), ok.replace("value = 0.2", "value = 2")).unwrap();
    let text = format!(
        "name = \"c\"\nscenario = \"world.toml\"\n[[target]]\nfile = \"data/r.toml\"\nweight = 10\n{fit}"
    );
    std::fs::write(dir.join("c.toml"), text).unwrap();
    let e = Calibration::load(dir.join("c.toml")).unwrap_err().to_string();
    assert!(e.contains("c.toml: target[0] (data/r.toml).ratio.value = 2: must lie in (0, 1)"), "{e}");
    std::fs::write(dir.join("data/r.toml"), ok).unwrap();
    let c = Calibration::load(dir.join("c.toml")).unwrap();
    assert_eq!(c.spec().target[0].data.as_ref().unwrap().name, "r");
    std::fs::remove_dir_all(&dir).unwrap();
}

/// The world's `P(>= above | >= given)` for every pair asked, at a share
/// rate and niche sigma, from a large run on its own seed.
fn world_ratios(share_rate: f64, sigma: f64, pairs: &[(u64, Option<u64>, u64)]) -> Vec<f64> {
    let mut s = world();
    s.platform = Some(clout::model::career::Platform { share_rate, ..Default::default() });
    s.population.as_mut().unwrap().niche = clout::Law::LogNormal { median: 2e4, sigma };
    let Ok((_, ScenarioModel::Career(career))) = s.resolve() else { panic!("a career scenario") };
    let model = BandModel { career: *career, edges: vec![300, 1000, 3000, 10000, 30000], niche_tail: 0.0 };
    let counts = Runner::new(99).run(&model, 400_000).summary;
    pairs.iter().map(|&(a, b, among)| counts.share(a, b, among).estimate).collect()
}

/// Shares of nano and micro among 300+ (the rest: mid and up), a slope per
/// decade between 1,000 and 10,000 followers, and, held out, `P(>= 30k | >=
/// 3k)`: all simulated by the model at share_rate 0.5 and niche sigma 1.2,
/// then fitted back (share_rate and sigma free) from a far start.
#[test]
#[ignore = "slow tier: cargo test --release -- --ignored (CI runs it)"]
fn several_targets_simulated_by_the_model_are_fitted_back_within_their_intervals() {
    let truth = [0.5, 1.2];
    let pairs = [(300, Some(1000), 300), (1000, Some(3000), 300), (10_000, None, 1000), (30_000, None, 3000)];
    let v = world_ratios(truth[0], truth[1], &pairs);
    let slope = v[2].log10(); // one decade, 1k to 10k
    let files = [
        ("shares.toml", data("census", "shares", &format!("nano = {}\nmicro = {}", v[0], v[1]))),
        (
            "slope.toml",
            data("slope", "slope", &format!("from = 1000\nto = 10000\nlow = {slope}\nhigh = {slope}")),
        ),
        ("top.toml", data("top", "ratio", &format!("above = 30000\ngiven = 3000\nvalue = {}", v[3]))),
    ];
    let text = "name = \"several\"\nscenario = \"world\"\n\
        [run]\ntrials = 20000\nseed = 5\nmax_evaluations = 80\n\
        [[target]]\nfile = \"shares.toml\"\nweight = 1000\n\
        [[target]]\nfile = \"slope.toml\"\nweight = 1000\n\
        [[target]]\nfile = \"top.toml\"\nweight = 1000\nheld_out = true\n\
        [fit]\n\"platform.share_rate\" = { low = 0.05, high = 3.0, start = 0.15, scale = \"log\" }\n\
        \"population.niche.sigma\" = { low = 0.3, high = 3.0, start = 2.2 }\n";
    let c = calibration(text, &files).unwrap();
    let record = c.run(&Runner::new(0)).unwrap();
    let r = &record.report;
    for (p, t) in r.parameters.iter().zip(truth) {
        let [lo, hi] = p.interval.expect("identified");
        assert!(lo <= t && t <= hi, "{}: truth {t} outside [{lo}, {hi}] (fitted {})", p.path, p.value);
        assert!(!(lo..=hi).contains(&p.start), "{}: start {} inside [{lo}, {hi}]", p.path, p.start);
    }
    // Shares (3 categories) and a slope (2): 3 free numbers, 2 parameters.
    assert_eq!(r.degrees_of_freedom, 1);
    assert!(r.misfit.is_empty(), "{:?}", r.misfit);
    assert_eq!(r.bands.len(), 3, "nano, micro and the rest");
    assert_eq!(r.targets.len(), 3);
    // The objective is the sum of the fitted targets' terms.
    let fitted: f64 = r.targets.iter().filter(|t| !t.held_out).map(|t| t.deviance).sum();
    assert!((fitted - r.deviance).abs() < 1e-9 * r.deviance.max(1.0), "{fitted} against {}", r.deviance);
    // The held-out ratio, with an interval that holds the fit's uncertainty
    // (wider than the Monte Carlo interval alone), agrees with the model that made it.
    let top = &r.targets[2];
    assert!(top.held_out && top.fit_uncertainty);
    let s = top.statistic.as_ref().expect("a ratio");
    let mc = &top.categories[0].model;
    assert!(s.lower < mc.lower && s.upper > mc.upper, "{s:?} against {mc:?}");
    assert!(top.agrees && s.lower <= v[3] && v[3] <= s.upper, "{s:?} against {}", v[3]);
    let table = record.to_table();
    assert!(table.contains("top (ratio, held out, weight 1000)"), "{table}");
    assert!(table.contains("slope per decade: published"), "{table}");
    eprintln!("made by share_rate 0.5, sigma 1.2; targets {v:?}\n{table}");
}

/// A short calibration (few careers, few evaluations): a held-out target is
/// reported with an interval holding the fit's uncertainty as well as the
/// Monte Carlo error, in the record and the table; a fitted slope's term is
/// part of the objective and a held-out one's is not.
#[test]
fn a_held_out_target_is_reported_with_its_interval() {
    let files = [
        ("shares.toml", data("census", "shares", "nano = 0.7\nmicro = 0.2")),
        ("slope.toml", data("slope", "slope", "from = 1000\nto = 10000\nlow = -1.1\nhigh = -0.9")),
        ("top.toml", data("top", "ratio", "above = 30000\ngiven = 3000\nvalue = 0.05")),
    ];
    let text = "name = \"short\"\nscenario = \"world\"\n\
        [run]\ntrials = 4000\nseed = 5\nmax_evaluations = 25\n\
        [[target]]\nfile = \"shares.toml\"\nweight = 300\n\
        [[target]]\nfile = \"slope.toml\"\nweight = 300\n\
        [[target]]\nfile = \"top.toml\"\nweight = 300\nheld_out = true\n\
        [fit]\n\"platform.share_rate\" = { low = 0.05, high = 3.0, start = 0.5, scale = \"log\" }\n\
        \"population.niche.sigma\" = { low = 0.3, high = 3.0, start = 1.5 }\n";
    let record = calibration(text, &files).unwrap().run(&Runner::new(0)).unwrap();
    let r = &record.report;
    let terms: Vec<(bool, f64)> = r.targets.iter().map(|t| (t.held_out, t.deviance)).collect();
    let fitted: f64 = terms.iter().filter(|t| !t.0).map(|t| t.1).sum();
    assert!((fitted - r.deviance).abs() < 1e-9 * r.deviance.max(1.0), "{terms:?} against {}", r.deviance);
    assert!(terms[2].1 > 0.0, "the held-out term is computed: {terms:?}");
    let top = &r.targets[2];
    let s = top.statistic.as_ref().expect("a ratio");
    assert_eq!((s.target_low, s.target_high), (0.05, 0.05));
    let mc = &top.categories[0].model;
    assert!(top.fit_uncertainty, "identified");
    assert!(
        s.lower <= mc.lower && s.upper >= mc.upper && s.upper - s.lower > mc.upper - mc.lower,
        "{s:?} {mc:?}"
    );
    assert_eq!(top.agrees, s.lower <= 0.05 && 0.05 <= s.upper);
    // A slope's interval is the ratio's, mapped: log10(p) over one decade.
    let slope = r.targets[1].statistic.as_ref().expect("a slope");
    let [lo, hi] = r.targets[1].prediction[0];
    assert!(
        (slope.lower - lo.log10()).abs() < 1e-12 && (slope.upper - hi.log10()).abs() < 1e-12,
        "{slope:?}"
    );
    let table = record.to_table();
    let line = format!(
        "P(>= above | >= given): published 0.0500, model {:.4} [{:.4}, {:.4}]",
        s.model, s.lower, s.upper
    );
    assert!(table.contains(&line), "{table}");
    assert!(table.contains("top (ratio, held out, weight 300)"), "{table}");
    // The record reads back and checks against its own targets.
    let json = serde_json::to_string(&record).unwrap();
    let back = clout::study::files::calibration_from_text(&json, "r.json").unwrap();
    assert!(matches!(back, clout::study::calibrate::Calibrated::Finished(_)));
}
