//! `clout compare`: compare files are validated with one-line errors naming
//! the file and field; a small comparison runs end to end, its record reads
//! back checked and shows and draws through the command line; two identical
//! variants get identical fits and answers bit for bit, and the criterion is
//! its formula; a comparison stopped in a calibration or in the answers
//! resumes into the uninterrupted record; damaged records are refused.

use clout::study::compare::{CompareRecord, Comparison, Loaders, REJECT_DELTA, aic};
use clout::{Runner, Scenario};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, Ordering};

/// A comparison of two variants fitted to the census alone (one free
/// parameter each), with tiny sizes: `variants` is the `[[variant]]` text.
fn small(variants: &str) -> String {
    format!(
        r#"name = "small"
description = "a test"
targets = "hypeauditor-2026"
[run]
trials = 2000
seed = 7
max_evaluations = 10
verify_trials = 3000
[answers]
seed = 11
newcomer_trials = 1000
like_you_trials = 5000
sobol_rows = 100
{variants}"#
    )
}

const TWO_SAME: &str = r#"
[[variant]]
name = "a"
options = { "persistence.dormant_unfollow_rate" = 7.5e-4 }
fit = { "platform.share_rate" = { low = 0.2, high = 3.0, start = 1.0, scale = "log" } }
[[variant]]
name = "b"
options = { "persistence.dormant_unfollow_rate" = 7.5e-4 }
fit = { "platform.share_rate" = { low = 0.2, high = 3.0, start = 1.0, scale = "log" } }
"#;

fn parse(text: &str) -> Result<Comparison, String> {
    let data =
        |f: &str| clout::study::calibrate::targets::builtin_data(f).map(str::to_string).ok_or("no".into());
    let targets = |t: &str| clout::study::calibrate::Calibration::builtin(t).map_err(|e| e.to_string());
    let loaders = Loaders { scenario: &Scenario::builtin, data: &data, targets: &targets };
    Comparison::from_toml_str(text, "small.toml", &loaders).map_err(|e| e.to_string())
}

/// The uninterrupted record of the two identical variants (run once).
fn whole() -> &'static CompareRecord {
    static WHOLE: OnceLock<CompareRecord> = OnceLock::new();
    WHOLE.get_or_init(|| parse(&small(TWO_SAME)).unwrap().run(&Runner::new(0), &|_, _, _| {}).unwrap())
}

#[test]
fn bad_compare_files_are_one_line_errors_naming_the_file_and_field() {
    let one = small(TWO_SAME).split("[[variant]]\nname = \"b\"").next().unwrap().to_string();
    let cases = [
        (one, "variant"),
        (small(TWO_SAME).replace("name = \"b\"", "name = \"a\""), "variant[1].name"),
        (small(TWO_SAME).replace("dormant_unfollow_rate\" = 7.5e-4 }\nfit = { \"platform.share_rate\" = { low = 0.2, high = 3.0, start = 1.0, scale = \"log\" } }\n[[variant]]\nname = \"b\"", "dormant_unfolow_rate\" = 7.5e-4 }\nfit = { \"platform.share_rate\" = { low = 0.2, high = 3.0, start = 1.0, scale = \"log\" } }\n[[variant]]\nname = \"b\""), "variant[0].options"),
        (small(TWO_SAME).replacen("low = 0.2", "low = 5.0", 1), "variant[0].fit"),
        (small(TWO_SAME).replace("platform.share_rate", "platform.share_rat"), "variant[0].fit"),
        (small(TWO_SAME).replace("targets = \"hypeauditor-2026\"\n", ""), "targets"),
        (small(TWO_SAME).replace("sobol_rows = 100", "sobol_rows = 1"), "answers.sobol_rows"),
        (small(TWO_SAME).replace("seed = 11", "seed = 11\nrows = 3"), "small.toml: 11:1"),
    ];
    for (text, field) in cases {
        let e = parse(&text).map(|_| ()).expect_err(field);
        assert!(e.starts_with("small.toml: "), "{e}");
        assert!(e.contains(field), "{field:?} not in {e}");
        assert!(!e.contains('\n'), "{e}");
    }
    let e = Comparison::load("/no/such/compare.toml").map(|_| ()).unwrap_err().to_string();
    assert!(e.starts_with("/no/such/compare.toml: cannot read"), "{e}");
    assert!(parse(&small(TWO_SAME)).is_ok());
    Comparison::builtin("variants-2026").expect("the shipped comparison is valid");
}

#[test]
fn identical_variants_give_identical_fits_and_answers_and_the_criterion_is_its_formula() {
    let record = whole();
    assert!(!record.interrupted);
    let (a, b) = (&record.variants[0], &record.variants[1]);
    assert_eq!((a.name.as_str(), b.name.as_str()), ("a", "b"));
    assert_eq!(a.calibration.report, b.calibration.report, "the same fit, bit for bit");
    assert_eq!(a.answers, b.answers, "the same answers, bit for bit");
    assert!(a.answers.newcomer_macro.is_some() && a.answers.luck_total.is_some());
    for v in &record.variants {
        assert_eq!(v.aic().to_bits(), (v.calibration.report.deviance + 2.0).to_bits());
        assert_eq!(v.aic(), aic(v.deviance(), 1));
    }
    let r = record.ranking().unwrap();
    assert_eq!(r.delta, vec![0.0, 0.0]);
    assert_eq!(r.weight, vec![0.5, 0.5]);
    assert_eq!(r.best, 0);
    assert_eq!(r.rejected, vec![false, false]);
    let ([lo, hi], _) = record.spread(0).unwrap();
    assert_eq!(lo, hi, "no spread across identical variants");
    // Paired on the check's careers, identical variants' deviances correlate perfectly.
    let paired = record.paired.as_ref().expect("a finished comparison is paired");
    assert_eq!((paired.seed, paired.trials), (8, 3000), "the check's luck (seed + 1) and careers");
    assert!((paired.correlation[0][1] - 1.0).abs() < 1e-12, "{:?}", paired.correlation);
    assert!(paired.se[0] > 0.0 && paired.se[0] == paired.se[1], "{:?}", paired.se);
    assert!(r.paired);
    // The criterion's arithmetic on made-up deviances: Delta and Akaike weights.
    let mut shifted = record.clone();
    shifted.variants[1].calibration.report.deviance += 2.0 * REJECT_DELTA - 0.5;
    shifted.variants[0].calibration.report.deviance_se = 3.0;
    shifted.variants[1].calibration.report.deviance_se = 4.0;
    shifted.paired.as_mut().unwrap().se = vec![3.0, 4.0];
    let r = shifted.ranking().unwrap();
    assert!((r.delta[1] - 19.5).abs() < 1e-9, "{}", r.delta[1]);
    let w = 1.0 / (1.0 + (-r.delta[1] / 2.0).exp());
    assert!((r.weight[0] - w).abs() < 1e-15);
    // Paired with correlation 1, the difference's standard error is |4 - 3| = 1: rejected.
    assert!((r.delta_se[1] - 1.0).abs() < 1e-6, "{:?}", r.delta_se);
    assert_eq!(r.rejected, vec![false, true]);
    // Unpaired (a record from before pairing), Delta 19.5 with a standard error of 5 (3 and 4 in
    // quadrature): 19.5 - 2 x 5 is not above 10.
    shifted.paired = None;
    let r = shifted.ranking().unwrap();
    assert!(!r.paired);
    assert_eq!((r.delta_se.clone(), r.rejected.clone()), (vec![0.0, 5.0], vec![false, false]));
    shifted.variants[1].calibration.report.deviance += 1.0;
    assert_eq!(shifted.ranking().unwrap().rejected, vec![false, true]);
}

#[test]
fn a_record_round_trips_and_shows_and_draws_through_the_command_line() {
    let record = whole();
    let dir = std::env::temp_dir().join(format!("clout-compare-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("small.json");
    std::fs::write(&file, serde_json::to_string_pretty(record).unwrap()).unwrap();
    assert_eq!(&CompareRecord::read(&file).unwrap(), record);
    let clout = |args: &[&str]| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_clout")).args(args).output().unwrap();
        (out.status.code(), String::from_utf8(out.stdout).unwrap(), String::from_utf8(out.stderr).unwrap())
    };
    let path = file.to_str().unwrap();
    let (code, table, _) = clout(&["show", path]);
    assert_eq!(code, Some(0));
    assert!(table.starts_with("COMPARISON small: a test\nThe data favour \"a\""), "{table}");
    assert_eq!(table, record_table(record));
    let (code, csv, _) = clout(&["show", path, "--format", "csv"]);
    assert_eq!(code, Some(0));
    assert!(csv.starts_with("variant,quantity,value,lower,upper\n\"a\",\"parameters\",1,,\n"), "{csv}");
    let (code, json, _) = clout(&["show", path, "--format", "json"]);
    assert_eq!((code, serde_json::from_str::<CompareRecord>(&json).unwrap()), (Some(0), record.clone()));
    if cfg!(feature = "plot") {
        let (code, written, e) = clout(&["plot", path, "--out", dir.join("pictures").to_str().unwrap()]);
        assert_eq!(code, Some(0), "{e}");
        let svg = std::fs::read_to_string(written.trim()).unwrap();
        for label in ["small: headline answers", "newcomer&apos;s chance of macro", "variant"] {
            assert!(svg.contains(label) || svg.contains(&label.replace("&apos;", "'")), "{label}");
        }
    }
    // Damaged records: one line naming the file and what is wrong.
    let text = serde_json::to_string_pretty(record).unwrap();
    let damaged = [
        (text.replacen("\"name\": \"b\"", "\"name\": \"c\"", 1), "variants[1].name"),
        (text.replacen("\"clout.compare/2\"", "\"clout.compare/0\"", 1), "schema"),
        (text.replacen("\"variants\": [", "\"interrupted\": true, \"variants\": [", 1), "interrupted"),
        (answers_outside(record), "variants[0].answers"),
    ];
    for (bad, what) in damaged {
        std::fs::write(&file, &bad).unwrap();
        let (code, _, e) = clout(&["show", path]);
        assert_eq!(code, Some(2), "{what}: {e}");
        assert!(
            e.starts_with(&format!("error: {path}")) && e.contains(what) && e.lines().count() == 1,
            "{what}: {e}"
        );
    }
}

/// The record with an answer outside its interval.
fn answers_outside(record: &CompareRecord) -> String {
    let mut bad = record.clone();
    bad.variants[0].answers.newcomer_macro.as_mut().unwrap().value = 2.0;
    serde_json::to_string(&bad).unwrap()
}

fn record_table(r: &CompareRecord) -> String {
    r.to_table()
}

/// Stops the comparison when `at` (variant, step prefix) is first observed,
/// then resumes it from the record, through JSON as a file would.
fn stopped_and_resumed(at: (usize, &str)) -> (CompareRecord, CompareRecord) {
    let comparison = parse(&small(TWO_SAME)).unwrap();
    let stop = AtomicBool::new(false);
    let runner = Runner::new(0).threads(2).stop_on(&stop);
    let observe = |i: usize, _: &str, step: &str| {
        if i == at.0 && step.starts_with(at.1) {
            stop.store(true, Ordering::SeqCst);
        }
    };
    let piece = comparison.run(&runner, &observe).unwrap();
    let piece: CompareRecord =
        CompareRecord::from_text(&serde_json::to_string(&piece).unwrap(), "piece").unwrap();
    let rest = comparison.resume(&Runner::new(0).threads(1), &piece, "piece", &|_, _, _| {}).unwrap();
    (piece, rest)
}

#[test]
fn a_comparison_stopped_in_a_fit_resumes_into_the_uninterrupted_record() {
    let (piece, rest) = stopped_and_resumed((1, "fit: evaluation 4"));
    assert!(piece.interrupted && piece.variants.len() == 1 && piece.in_progress.is_some(), "{piece:?}");
    assert_eq!(piece.in_progress.as_ref().unwrap().evaluations.len(), 4);
    assert_eq!(&rest, whole());
    assert_eq!(serde_json::to_string(&rest).unwrap(), serde_json::to_string(whole()).unwrap());
}

#[test]
fn a_comparison_stopped_in_its_pairing_resumes_into_the_uninterrupted_record() {
    let (piece, rest) = stopped_and_resumed((1, "pairing"));
    assert!(piece.interrupted && piece.variants.len() == 2 && piece.paired.is_none(), "{piece:?}");
    assert_eq!(&rest, whole());
    // A finished record from before pairing existed resumes into the paired one.
    let mut unpaired = whole().clone();
    (unpaired.paired, unpaired.interrupted) = (None, false);
    let text = serde_json::to_string(&unpaired).unwrap();
    let unpaired = CompareRecord::from_text(&text, "old.json").expect("an unpaired finished record reads");
    let paired = parse(&small(TWO_SAME))
        .unwrap()
        .resume(&Runner::new(0), &unpaired, "old.json", &|_, _, _| {})
        .unwrap();
    assert_eq!(&paired, whole());
    // A pairing that does not fit the record is refused in one line.
    let mut bad = whole().clone();
    bad.paired.as_mut().unwrap().correlation[0][1] = 1.5;
    let e =
        CompareRecord::from_text(&serde_json::to_string(&bad).unwrap(), "bad.json").unwrap_err().to_string();
    assert!(e.starts_with("bad.json") && e.contains("paired.correlation[0][1]") && !e.contains('\n'), "{e}");
    let mut bad = whole().clone();
    bad.paired.as_mut().unwrap().seed = 9;
    let e =
        CompareRecord::from_text(&serde_json::to_string(&bad).unwrap(), "bad.json").unwrap_err().to_string();
    assert!(e.contains("paired.seed"), "{e}");
}

#[test]
fn a_comparison_stopped_in_the_answers_resumes_into_the_uninterrupted_record() {
    let (piece, rest) = stopped_and_resumed((0, "answers"));
    assert!(piece.interrupted && piece.variants.is_empty() && piece.fitted.is_some(), "{piece:?}");
    assert_eq!(&rest, whole());
    let e = parse(&small(TWO_SAME).replace("seed = 11", "seed = 12"))
        .unwrap()
        .resume(&Runner::new(0), &piece, "piece.json", &|_, _, _| {})
        .unwrap_err()
        .to_string();
    assert!(e.starts_with("piece.json: comparison") && !e.contains('\n'), "{e}");
}

/// The platform model as a variant: `[competition]` set through `options` (the field solved
/// again at every candidate of its fit, from the search's seed, and its headline answers
/// run in the field of its fitted parameters), beside today's Career, at tiny sizes.
#[test]
fn a_variant_in_the_platforms_field_is_fitted_and_answers_in_its_field() {
    let text = small(&two_variants(("career", ""), ("field", r#""competition.solver_careers" = 200"#)))
        .replace("max_evaluations = 10", "max_evaluations = 6")
        .replace("like_you_trials = 5000", "like_you_trials = 2000")
        .replace("sobol_rows = 100", "sobol_rows = 50");
    let record = parse(&text).unwrap().run(&Runner::new(0), &|_, _, _| {}).unwrap();
    assert!(!record.interrupted);
    let (career, field) = (&record.variants[0], &record.variants[1]);
    assert!(career.calibration.scenario.competition.is_none());
    let competition = field.calibration.scenario.competition.expect("the field variant competes");
    assert_eq!((competition.solver_careers, competition.checksum.is_some()), (200, true));
    let fitted = &field.calibration.report.parameters[0];
    assert!(fitted.value > 0.2 && fitted.value < 3.0, "{fitted:?}");
    assert!(field.answers.newcomer_macro.is_some() && field.answers.luck_total.is_some());
    // The fields differ from Career's openness, and so do the fit and the answers.
    assert_ne!(career.calibration.report.deviance, field.calibration.report.deviance);
    assert_ne!(career.answers.newcomer_macro, field.answers.newcomer_macro);
    let json = serde_json::to_string(&record).unwrap();
    assert_eq!(CompareRecord::from_text(&json, "field.json").unwrap(), record);
}

/// Two variants named `a` and `b`, each with its `options` (inline TOML, may be empty),
/// fitting the share rate alone.
fn two_variants((a, a_options): (&str, &str), (b, b_options): (&str, &str)) -> String {
    [(a, a_options), (b, b_options)]
        .iter()
        .map(|(name, options)| {
            format!(
                "[[variant]]\nname = \"{name}\"\noptions = {{ {options} }}\nfit = {{ \"platform.share_rate\" = \
                 {{ low = 0.2, high = 3.0, start = 1.0, scale = \"log\" }} }}\n"
            )
        })
        .collect()
}

#[test]
fn the_newcomers_chance_of_the_income_goal_is_the_importance_sampled_run_of_default_with_money() {
    // Small fits (three evaluations of 1,000 careers): the answers are what is tested.
    // Variant "a" turns money on with a goal; "b" turns it on without one.
    let text = small(&two_variants(("a", r#""money.goal" = 10000"#), ("b", r#""money.rpm" = 2.0"#)))
        .replace("max_evaluations = 10", "max_evaluations = 3")
        .replace("trials = 2000", "trials = 1000")
        .replace("verify_trials = 3000", "verify_trials = 1500")
        .replace("like_you_trials = 5000", "like_you_trials = 2000");
    let record = parse(&text).unwrap().run(&Runner::new(0), &|_, _, _| {}).unwrap();
    let (a, b) = (&record.variants[0].answers, &record.variants[1].answers);
    assert_eq!(a.income_goal, Some(10_000.0));
    let income = a.newcomer_income.expect("money.goal set: an income answer");
    // The same run by hand: `default` with the option and the fitted share rate, importance
    // sampling aimed at $10k (its pilot at most the run's 1,000 careers), on the answers' seed.
    let share_rate = record.variants[0].calibration.report.parameters[0].value;
    let mut scenario = Scenario::builtin("default").unwrap();
    scenario.platform.as_mut().unwrap().share_rate = share_rate;
    scenario.money = Some(clout::model::career::money::Money { goal: Some(10_000.0), ..Default::default() });
    (scenario.run.trials, scenario.run.seed) = (1000, 11);
    scenario.rare.as_mut().unwrap().pilot_roots = 1000;
    let by_hand = scenario.run().unwrap();
    let rare = by_hand.rare().expect("default runs importance sampling");
    assert_eq!(rare.target, "$10k", "aimed at the income goal");
    let chance = &rare.income.iter().find(|l| l.chance.threshold == 10_000.0).unwrap().chance;
    // The follower answers run without money: the same as a variant without it would give.
    assert!(a.newcomer_macro.is_some());
    // Money without a goal: no income answer, and a note saying why.
    assert_eq!((b.newcomer_income, b.income_goal), (None, None));
    assert!(b.notes.iter().any(|n| n.contains("money.goal")), "{:?}", b.notes);
    the_goal_answer_is_shown(
        &record,
        (&income, chance),
        [
            "newcomer earning income goal",
            "money.goal, $10k a year",
            "\"a\",\"income goal\",10000,,",
            "income goal",
        ],
    );
}

/// A goal's answer in a comparison: the importance-sampled run's `chance`
/// exactly, positive, in the table (its row `name` with `goal` beside it), in
/// the CSV (its row, and the goal's `csv_goal` row), in the record read
/// back; and not in a comparison without the goal (`absent`).
fn the_goal_answer_is_shown(
    record: &CompareRecord,
    (answer, chance): (&clout::study::compare::Answer, &clout::stats::Chance),
    [name, goal, csv_goal, absent]: [&str; 4],
) {
    assert_eq!((answer.value, answer.lower, answer.upper), (chance.estimate, chance.lower, chance.upper));
    assert!(answer.value > 0.0 && answer.lower < answer.value, "{answer:?}");
    let table = record.to_table();
    assert!(table.contains(name) && table.contains(goal), "{table}");
    let csv = record.to_csv();
    assert!(csv.contains(&format!("\"a\",\"{name}\",{},", answer.value)) && csv.contains(csv_goal), "{csv}");
    let text = serde_json::to_string(record).unwrap();
    assert_eq!(&CompareRecord::from_text(&text, "goal.json").unwrap(), record);
    assert!(!whole().to_table().contains(absent));
}

#[test]
fn the_newcomers_chance_of_the_engaged_goal_is_the_importance_sampled_run_of_default_with_engagement() {
    // Variant "a" turns engagement on with a goal of 100 engagements a post; "b" without one.
    let text = small(&two_variants(
        ("a", r#""engagement.goal" = 100"#),
        ("b", r#""engagement.rate_floor" = 0.015"#),
    ))
    .replace("max_evaluations = 10", "max_evaluations = 3")
    .replace("trials = 2000", "trials = 1000")
    .replace("verify_trials = 3000", "verify_trials = 1500")
    .replace("like_you_trials = 5000", "like_you_trials = 2000");
    // `engagement.goal` must be one of the audience levels: 100 is not among the default [1000].
    let e = parse(&text).unwrap_err().to_string();
    assert!(e.contains("engagement.goal") && e.contains("audience_levels") && !e.contains('\n'), "{e}");
    let text = text.replace(
        r#""engagement.goal" = 100"#,
        r#""engagement.audience_levels" = [100], "engagement.goal" = 100"#,
    );
    let record = parse(&text).unwrap().run(&Runner::new(0), &|_, _, _| {}).unwrap();
    let (a, b) = (&record.variants[0].answers, &record.variants[1].answers);
    assert_eq!((a.engaged_goal, a.income_goal, a.newcomer_income), (Some(100.0), None, None));
    let engaged = a.newcomer_engaged.expect("engagement.goal set: an engaged answer");
    // The same run by hand: `default` with the option and the fitted share rate, importance
    // sampling aimed at 100 engaged, on the answers' seed.
    let share_rate = record.variants[0].calibration.report.parameters[0].value;
    let mut scenario = Scenario::builtin("default").unwrap();
    scenario.platform.as_mut().unwrap().share_rate = share_rate;
    scenario.engagement = Some(clout::model::career::money::Engagement {
        audience_levels: vec![100.0].try_into().unwrap(),
        goal: Some(100.0),
        ..Default::default()
    });
    (scenario.run.trials, scenario.run.seed) = (1000, 11);
    scenario.rare.as_mut().unwrap().pilot_roots = 1000;
    let by_hand = scenario.run().unwrap();
    let rare = by_hand.rare().expect("default runs importance sampling");
    assert_eq!(rare.target, "100 engaged", "aimed at the engaged goal");
    // Engagement without a goal: no answer, and a note saying why.
    assert_eq!((b.newcomer_engaged, b.engaged_goal), (None, None));
    assert!(b.notes.iter().any(|n| n.contains("engagement.goal")), "{:?}", b.notes);
    the_goal_answer_is_shown(
        &record,
        (&engaged, &rare.audience_levels[0].chance),
        [
            "newcomer with engaged goal",
            "engagement.goal, 100 engaged",
            "\"a\",\"engaged goal\",100,,",
            "engaged goal",
        ],
    );
}
