//! Pictures: every SVG is rendered to pixels (resvg) and must show a plot
//! (not blank, not a solid fill), with its axes' labels and tier names in
//! the drawing; a record without the series a picture needs says so.

use clout::report::plot::{plot_run, plot_sweep};
use clout::{Runner, Scenario};
use resvg::{tiny_skia, usvg};
use std::path::{Path, PathBuf};

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("clout-plot-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Renders an SVG file; returns the share of pixels that are not white.
/// With CLOUT_PLOT_PNG set to a folder, also writes the PNG there to look at.
fn ink(svg: &Path) -> f64 {
    let text = std::fs::read_to_string(svg).unwrap();
    let mut options = usvg::Options::default();
    let fonts = options.fontdb_mut();
    fonts.load_system_fonts();
    // The SVGs ask for the generic "sans-serif"; map it to a font this machine has.
    if let Some(family) = ["DejaVu Sans", "Liberation Sans", "Arial"]
        .into_iter()
        .find(|f| fonts.faces().any(|face| face.families.iter().any(|(name, _)| name == f)))
    {
        fonts.set_sans_serif_family(family);
    }
    let tree = usvg::Tree::from_str(&text, &options).unwrap_or_else(|e| panic!("{}: {e}", svg.display()));
    let size = tree.size().to_int_size();
    let mut pixmap = tiny_skia::Pixmap::new(size.width(), size.height()).unwrap();
    resvg::render(&tree, tiny_skia::Transform::default(), &mut pixmap.as_mut());
    if let Some(dir) = std::env::var_os("CLOUT_PLOT_PNG") {
        let name = svg.file_stem().unwrap().to_string_lossy().into_owned();
        let parent = svg.parent().unwrap().file_name().unwrap().to_string_lossy().into_owned();
        pixmap.save_png(Path::new(&dir).join(format!("{parent}-{name}.png"))).unwrap();
    }
    let pixels = pixmap.pixels();
    let inked = pixels.iter().filter(|p| p.red() < 245 || p.green() < 245 || p.blue() < 245).count();
    inked as f64 / pixels.len() as f64
}

fn check(svg: &Path, labels: &[&str]) {
    let share = ink(svg);
    assert!((0.01..0.6).contains(&share), "{}: {:.1}% of pixels inked", svg.display(), 100.0 * share);
    let text = std::fs::read_to_string(svg).unwrap();
    for label in labels {
        assert!(text.contains(label), "{}: no {label:?} in the drawing", svg.display());
    }
}

#[test]
fn a_career_run_draws_odds_tail_and_days() {
    let mut scenario = Scenario::builtin("early-entrant").unwrap();
    scenario.run.trials = 20_000;
    // A goal that is no tier is a level of every picture too.
    scenario.tiers.get_or_insert_default().goal = "20k".parse().unwrap();
    let record = scenario.run().unwrap();
    let dir = temp_dir("career");
    let files = plot_run(&record, &dir).unwrap();
    let names: Vec<String> =
        files.iter().map(|f| f.file_name().unwrap().to_string_lossy().into_owned()).collect();
    assert_eq!(names, ["tier_odds.svg", "followers_ccdf.svg", "days_to_reach.svg", "trajectory.svg"]);
    check(
        &files[0],
        &["chance of reaching the level (log scale)", "level", "nano", "20k", "mega", "all creators"],
    );
    check(&files[1], &["final followers x (log scale)", "share of careers with at least x (log scale)"]);
    check(&files[2], &["career day of first reaching the level", "micro", "20k"]);
    check(
        &files[3],
        &[
            "career day",
            "followers (log scale; 0 drawn at 1)",
            "p10 to p90",
            "median (95% interval)",
            "p99",
            "1800",
        ],
    );
}

#[test]
fn a_run_without_trajectory_days_draws_no_trajectory() {
    let mut scenario = Scenario::builtin("early-entrant").unwrap();
    scenario.run.trials = 2_000;
    scenario.trajectory = Some(clout::model::career::TrajectorySpec {
        days: clout::model::career::trajectory::DayList::new(&[]).unwrap(),
    });
    let files = plot_run(&scenario.run().unwrap(), &temp_dir("no-trajectory")).unwrap();
    assert!(files.iter().all(|f| !f.ends_with("trajectory.svg")), "{files:?}");
    assert_eq!(files.len(), 3);
}

#[test]
fn conditional_and_sweep_records_draw_their_series() {
    let mut scenario = Scenario::builtin("micro-influencer").unwrap();
    scenario.run.trials = 200_000;
    scenario.start.as_mut().unwrap().trials = Some(20_000);
    let dir = temp_dir("conditional");
    let files = plot_run(&scenario.run().unwrap(), &dir).unwrap();
    check(&files[0], &["creators like you", "given your state", "macro"]);
    check(&files[1], &["final followers x (log scale)"]);

    let mut sweep = Scenario::builtin("effort-vs-timing").unwrap();
    sweep.run.trials = 20_000;
    let record = sweep.sweep().unwrap().run(&Runner::new(1)).unwrap();
    let dir = temp_dir("sweep");
    let files = plot_sweep(&record, &dir).unwrap();
    // Each point is named by its values, the baseline marked (not "point 0..3").
    check(
        &files[0],
        &[
            "odds of reaching the tier (log scale)",
            "population.effort.median",
            "nano",
            "mega",
            "3.0, 3650 (baseline)",
            "6.0, 1825",
        ],
    );
    // Categorical points are not joined by lines: every polyline is a two-point whisker.
    let svg = std::fs::read_to_string(&files[0]).unwrap();
    for polyline in svg.split("<polyline").skip(1) {
        let points = polyline.split("points=\"").nth(1).unwrap().split('"').next().unwrap();
        assert!(points.split_whitespace().count() <= 2, "a line joins points: {points}");
    }
}

/// A sweep of more points than its 800 pixels can show is drawn thinned,
/// as its axis says: a picture of about 100 KB whatever the sweep (10,000
/// points drew 949 KB before).
#[test]
fn a_large_sweep_is_drawn_thinned() {
    let text = "[run]\ntrials = 1\n[sweep]\ndesign = \"sobol\"\npoints = 2500\n\
                [sweep.ranges]\n\"population.effort.median\" = [1.0, 10.0]\n";
    let scenario = Scenario::from_toml_str(text, "many.toml").unwrap();
    let record = scenario.sweep().unwrap().run(&Runner::new(1)).unwrap();
    let dir = temp_dir("many");
    let files = plot_sweep(&record, &dir).unwrap();
    // One trial a point: odds of 0 or 1 zigzag over the whole plot, so only
    // that it draws, and what its axis says, are checked.
    assert!(ink(&files[0]) > 0.01);
    let svg = std::fs::read_to_string(&files[0]).unwrap();
    assert!(svg.contains("101 of 2500 points drawn, one in 25"), "{}: no thinning said", files[0].display());
    let bytes = std::fs::metadata(&files[0]).unwrap().len();
    println!("sweep.svg of 2,500 points: {bytes} bytes");
    assert!(bytes < 150_000, "{bytes} bytes");
}

#[test]
fn a_record_without_the_series_says_so() {
    let mut scenario = Scenario::builtin("gibrat").unwrap();
    scenario.run.trials = 100;
    let e = plot_run(&scenario.run().unwrap(), &temp_dir("gibrat")).unwrap_err().to_string();
    assert!(e.contains("a gibrat record has no tier odds"), "{e}");
}

#[test]
fn a_rare_event_run_draws_its_tier_odds() {
    let mut scenario = Scenario::builtin("default").unwrap();
    scenario.run.trials = 4_000;
    scenario.rare.as_mut().unwrap().pilot_roots = 2_000;
    let record = scenario.run().unwrap();
    let dir = temp_dir("rare");
    let files = plot_run(&record, &dir).unwrap();
    assert_eq!(files.len(), 1);
    check(
        &files[0],
        &[
            "(importance sampling)",
            "importance sampling",
            "macro",
            "chance of reaching the level (log scale)",
        ],
    );
}

#[test]
fn attribution_and_delusion_records_draw_their_pictures() {
    use clout::experiment::attribute::AttributeSpec;
    use clout::experiment::delusion::DelusionSpec;
    use clout::report::plot::{plot_attribution, plot_delusion};
    use clout::study::attribute::Attribution;
    use clout::study::delusion::Delusion;
    let mut scenario = Scenario::builtin("why-creators-succeed").unwrap();
    scenario.attribute = Some(AttributeSpec {
        sobol_rows: 3_000,
        replay_creators: 1_000,
        counterfactual_creators: 1_000,
        ..AttributeSpec::default()
    });
    let record = Attribution::new(&scenario).unwrap().run(&Runner::new(1));
    let dir = temp_dir("attribution");
    // A report whose interval spans the floats (built by hand, or by a
    // caller of the library) is refused, not drawn for ever: the axis
    // width would overflow.
    let mut huge = record.clone();
    let index = &mut huge.report.as_mut().unwrap().sobol.outputs[0].indices[0].first_order;
    (index.lower, index.upper) = (-1e308, 1e308);
    let e = plot_attribution(&huge, &dir).unwrap_err().to_string();
    assert!(e.contains("span more than an axis can draw"), "{e}");
    let files = plot_attribution(&record, &dir).unwrap();
    assert_eq!(files, vec![dir.join("sobol.svg")]);
    check(
        &files[0],
        &[
            "talent",
            "effort",
            "entry_day",
            "niche",
            "luck",
            "first order S1",
            "total ST",
            "share of the variance",
        ],
    );

    let mut scenario = Scenario::builtin("delusion-gap").unwrap();
    scenario.run.trials = 60_000;
    scenario.delusion = Some(DelusionSpec { snapshot_trials: 20_000, ..scenario.delusion.unwrap() });
    let record = Delusion::new(&scenario).unwrap().run(&Runner::new(1));
    let dir = temp_dir("delusion");
    let files = plot_delusion(&record, &dir).unwrap();
    assert_eq!(files, vec![dir.join("delusion.svg")]);
    check(
        &files[0],
        &["true", "survivor", "visible", "like you", "extrapolated", "on time", "odds (log scale)"],
    );
}

#[test]
fn a_calibration_record_draws_its_band_fit() {
    use clout::report::plot::plot_calibration;
    use clout::study::calibrate::Calibration;
    let targets = "name = \"small\"\nscenario = \"snapshot\"\n[run]\ntrials = 1500\nmax_evaluations = 8\n\
                   [shares]\nnano = 0.8\nmicro = 0.15\nmid = 0.04\n\
                   [fit]\n\"platform.share_rate\" = { low = 0.05, high = 2.0, scale = \"log\" }\n";
    let c = Calibration::from_toml_str(targets, "t.toml", Scenario::builtin).unwrap();
    let record = c.run(&Runner::new(0)).unwrap();
    let dir = temp_dir("calibration");
    let files = plot_calibration(&record, &dir).unwrap();
    assert_eq!(files, vec![dir.join("calibration.svg")]);
    // The bands, the rest (macro and mega, target 1%), both series and the axes.
    check(
        &files[0],
        &[
            "nano",
            "micro",
            "mid",
            "rest",
            "target",
            "fitted model",
            "share of the accounts counted (log scale)",
        ],
    );
}

#[test]
fn a_comparison_record_draws_its_answers_under_each_variant() {
    use clout::report::plot::plot_compare;
    use clout::study::calibrate::{Calibration, targets::builtin_data};
    use clout::study::compare::{Comparison, Loaders};
    let fit = "fit = { \"platform.share_rate\" = { low = 0.2, high = 3.0, start = 1.0, scale = \"log\" } }";
    let text = format!(
        "name = \"small\"\ntargets = \"hypeauditor-2026\"\n[run]\ntrials = 1500\nmax_evaluations = 6\n\
         [answers]\nnewcomer_trials = 1000\nlike_you_trials = 2000\nsobol_rows = 100\n\
         [[variant]]\nname = \"hard\"\n{fit}\n\
         [[variant]]\nname = \"soft\"\noptions = {{ \"platform.niche_saturation\" = \"soft\" }}\n{fit}\n"
    );
    let data = |f: &str| builtin_data(f).map(str::to_string).ok_or_else(|| "not built in".to_string());
    let targets = |t: &str| Calibration::builtin(t).map_err(|e| e.to_string());
    let loaders = Loaders { scenario: &Scenario::builtin, data: &data, targets: &targets };
    let comparison = Comparison::from_toml_str(&text, "c.toml", &loaders).unwrap();
    let record = comparison.run(&Runner::new(0), &|_, _, _| {}).unwrap();
    let dir = temp_dir("compare");
    let files = plot_compare(&record, &dir).unwrap();
    assert_eq!(files, vec![dir.join("compare.svg")]);
    // Both variants, the answers as series, and the axes.
    check(
        &files[0],
        &[
            "hard",
            "soft",
            "chance of macro",
            "total Sobol",
            "variant",
            "chance or total Sobol index (log scale)",
        ],
    );
}

/// A run with `[money]` draws `income.svg`: the chance of earning at least
/// each income level with its Wilson interval, and the income's positive
/// percentiles, on log-log axes; the same run without `[money]` draws none.
#[test]
fn a_run_with_money_draws_its_income_picture() {
    let mut scenario = Scenario::builtin("make-a-living").unwrap();
    scenario.run.trials = 20_000;
    let record = scenario.run().unwrap();
    let dir = temp_dir("income");
    let files = plot_run(&record, &dir).unwrap();
    assert_eq!(files.last(), Some(&dir.join("income.svg")), "{files:?}");
    let income = match record.report.as_ref().unwrap() {
        clout::study::run::Report::Career(r) => r.engagement.as_ref().unwrap().income.clone().unwrap(),
        other => panic!("not a career report: {other:?}"),
    };
    // Every level is named in the picture, and the percentiles that earn something.
    let mut labels = vec![
        "make-a-living: the chance of earning at least $x a year, 95% intervals",
        "income x, US dollars a year (log scale)",
        "chance of earning at least x (log scale)",
        "income levels, 95% Wilson intervals",
        "percentiles of income, 95% intervals",
        "$10k",
        "$30k",
        "$100k",
        "$1M",
    ];
    assert!(income.p99.unwrap().value > 0.0, "a percentile to draw: {:?}", income.p99);
    labels.push("p99");
    check(files.last().unwrap(), &labels);
    // The line through the levels someone reached is one polyline of that many points.
    let svg = std::fs::read_to_string(files.last().unwrap()).unwrap();
    let polylines: Vec<usize> = svg
        .split("<polyline")
        .skip(1)
        .map(|p| p.split("points=\"").nth(1).unwrap().split('"').next().unwrap().split_whitespace().count())
        .collect();
    let reached = income.levels.iter().filter(|c| c.hits > 0).count();
    assert!(reached >= 3, "{:?}", income.levels);
    assert!(polylines.contains(&reached), "no line through the {reached} levels reached: {polylines:?}");

    scenario.money = None;
    let files = plot_run(&scenario.run().unwrap(), &temp_dir("no-income")).unwrap();
    assert!(files.iter().all(|f| !f.ends_with("income.svg")), "{files:?}");
}

/// An importance-sampled run with `[money]` draws `income.svg` from its
/// weighted estimates: each income level named with its weighted chance, and
/// the line through the levels reached placed at exactly those chances (the
/// pixels an affine function of log10 chance and log10 income, within the
/// one pixel an SVG coordinate is rounded to); no percentiles (the record
/// holds no income distribution).
#[test]
fn an_importance_sampled_run_draws_its_income_picture_from_its_weights() {
    let mut scenario = Scenario::builtin("make-a-living").unwrap();
    scenario.aim(clout::scenario::Target::Income(100_000.0)).unwrap();
    scenario.run.method = clout::experiment::rare::Method::Rare;
    scenario.run.trials = 4_000;
    scenario.rare.get_or_insert_default().pilot_roots = 2_000;
    let record = scenario.run().unwrap();
    let rare = record.rare().expect("an importance-sampled record");
    let dir = temp_dir("rare-income");
    let files = plot_run(&record, &dir).unwrap();
    assert_eq!(files, [dir.join("tier_odds.svg"), dir.join("income.svg")]);
    let chances: Vec<_> = rare.income.iter().map(|l| &l.chance).collect();
    let names: Vec<String> = chances
        .iter()
        .map(|c| format!("{} {}", c.level, clout::report::career::fmt_prob(c.estimate)))
        .collect();
    let mut labels = vec![
        "make-a-living: the chance of earning at least $x a year, 95% intervals (importance sampling)",
        "income levels, 95% intervals of the weighted estimates",
    ];
    labels.extend(names.iter().map(String::as_str));
    check(&files[1], &labels);
    let svg = std::fs::read_to_string(&files[1]).unwrap();
    assert!(!svg.contains("percentiles of income"), "no percentiles from a weighted record");
    let reached: Vec<_> = chances.iter().filter(|c| c.estimate > 0.0).collect();
    assert!(reached.len() >= 3, "{chances:?}");
    let line: Vec<(f64, f64)> = svg
        .split("<polyline")
        .skip(1)
        .map(|p| p.split("points=\"").nth(1).unwrap().split('"').next().unwrap())
        .map(|points| {
            points
                .split_whitespace()
                .map(|xy| xy.split_once(',').map(|(x, y)| (x.parse().unwrap(), y.parse().unwrap())).unwrap())
                .collect::<Vec<(f64, f64)>>()
        })
        .find(|points| points.len() == reached.len())
        .expect("a line through the levels reached");
    // Each pixel coordinate is affine in the log of the record's value: the
    // first and last points fix the map, the others must fall on it.
    let affine = |values: Vec<f64>, pixels: Vec<f64>| {
        let (v0, v1, p0, p1) = (values[0], values[values.len() - 1], pixels[0], pixels[pixels.len() - 1]);
        for (v, p) in values.iter().zip(&pixels) {
            let predicted = p0 + (p1 - p0) * (v - v0) / (v1 - v0);
            assert!((predicted - p).abs() <= 1.5, "pixel {p}, predicted {predicted}: {values:?} {pixels:?}");
        }
    };
    affine(reached.iter().map(|c| c.estimate.log10()).collect(), line.iter().map(|p| p.1).collect());
    affine(reached.iter().map(|c| c.threshold.log10()).collect(), line.iter().map(|p| p.0).collect());
}
