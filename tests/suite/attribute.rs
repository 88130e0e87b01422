//! Attribution: Sobol indices against exact values (Ishigami, an additive
//! model), luck replays on models with known answers, counterfactual edits.

use clout::experiment::attribute::{
    Additive, AttributeSpec, Change, Counterfactuals, Ishigami, Replays, Sobol, TraitEdit,
};
use clout::model::career::{CareerModel, CareerSpec};
use clout::stats::Estimate;
use clout::study::attribute::Attribution;
use clout::{Model, Runner, Scenario, Tier};

/// `|estimate - exact| <= 4 SE`, with a message.
fn within_4se(what: &str, e: &Estimate, exact: f64) {
    let z = (e.value - exact) / e.std_error;
    assert!(z.abs() <= 4.0, "{what}: {} vs exact {exact} (SE {}, z {z:.2})", e.value, e.std_error);
}

#[test]
fn ishigami_indices_match_the_exact_values() {
    let model = Ishigami { a: 7.0, b: 0.1 };
    let (s1, st) = model.exact();
    assert!((s1[0] - 0.3139).abs() < 1e-4 && (st[2] - 0.2437).abs() < 1e-4);
    let sobol = Sobol::new(model, 100);
    let report = sobol.report(&Runner::new(11).run(&sobol, 200_000).summary);
    let y = report.output("y").unwrap();
    for (i, name) in ["x1", "x2", "x3"].iter().enumerate() {
        let input = y.input(name).unwrap();
        eprintln!("{name}: S1 {:?} ST {:?}", input.first_order, input.total);
        within_4se(&format!("S1 {name}"), &input.first_order, s1[i]);
        within_4se(&format!("ST {name}"), &input.total, st[i]);
        assert!(input.first_order.std_error < 0.01 && input.total.std_error < 0.01);
        // Total >= first order, within their errors.
        let slack = 4.0 * (input.first_order.std_error + input.total.std_error);
        assert!(input.total.value >= input.first_order.value - slack);
    }
    // The first-order indices sum to 1 - S13 = 0.7563 (< 1: x1 and x3 interact).
    let sum = y.sum_first_order.unwrap();
    within_4se("sum S1", &sum, s1.iter().sum());
    assert!(sum.value <= 1.0 + 4.0 * sum.std_error);
}

#[test]
fn additive_model_shares_are_recovered() {
    let model = Additive { weights: vec![2.0, 1.0, 0.5], luck_weight: 1.5 };
    let exact = model.exact();
    let sobol = Sobol::new(model, 100);
    let report = sobol.report(&Runner::new(5).run(&sobol, 100_000).summary);
    let y = report.output("y").unwrap();
    for (i, input) in y.indices.iter().enumerate() {
        eprintln!("{}: {:?} {:?}", input.input, input.first_order, input.total);
        within_4se(&format!("S1 {}", input.input), &input.first_order, exact[i]);
        within_4se(&format!("ST {}", input.input), &input.total, exact[i]);
    }
    assert_eq!(y.indices.last().unwrap().input, "luck");
    within_4se("sum S1", y.sum_first_order.as_ref().unwrap(), 1.0);
}

#[test]
fn ishigami_intervals_cover_the_exact_indices() {
    // 400 independent small runs (2,000 rows each): how often does each 95%
    // interval hold the exact index? (Measured: docs/VALIDATION.md.)
    let model = Ishigami { a: 7.0, b: 0.1 };
    let (s1, st) = model.exact();
    let sobol = Sobol::new(model, 100);
    let reps = 400;
    let mut covered = [[0u32; 3]; 2];
    for rep in 0..reps {
        let report = sobol.report(&Runner::new(1000 + rep).threads(1).run(&sobol, 2_000).summary);
        let y = &report.outputs[0];
        for (i, input) in y.indices.iter().enumerate() {
            let holds = |e: &Estimate, x: f64| u32::from(e.lower <= x && x <= e.upper);
            covered[0][i] += holds(&input.first_order, s1[i]);
            covered[1][i] += holds(&input.total, st[i]);
        }
    }
    eprintln!("coverage S1 {:?} ST {:?} of {reps}", covered[0], covered[1]);
    // Binomial(400, 0.95) lies in [362, 398] with probability > 0.9999.
    for c in covered.iter().flatten() {
        assert!((362..=398).contains(c), "coverage {c} of {reps}: S1 {:?} ST {:?}", covered[0], covered[1]);
    }
}

#[test]
fn replays_of_a_deterministic_model_agree_and_traits_explain_everything() {
    let model = Additive { weights: vec![1.0, 0.5], luck_weight: 0.0 };
    let replays = Replays::new(model, 4, 100);
    let report = replays.report(&Runner::new(3).run(&replays, 5_000).summary);
    let y = report.output("y").unwrap();
    let share = y.traits_share.as_ref().unwrap();
    assert_eq!((share.value, share.std_error), (1.0, 0.0));
    let hit = report.output("y>0").unwrap();
    assert_eq!(hit.traits_share.as_ref().unwrap().value, 1.0);
    let agreement = hit.agreement.as_ref().unwrap();
    assert_eq!(agreement.given_another.as_ref().unwrap().value, 1.0);
    let rho = report.rank_correlation.as_ref().unwrap();
    assert_eq!(rho.value, 1.0);
}

#[test]
fn replays_of_a_model_whose_traits_do_nothing_give_a_traits_share_of_zero() {
    let model = Additive { weights: vec![0.0, 0.0], luck_weight: 1.0 };
    // K = 4: one creator in 16 never has y > 0, enough of both kinds.
    let replays = Replays::new(model, 4, 100);
    let report = replays.report(&Runner::new(4).run(&replays, 20_000).summary);
    let y = report.output("y").unwrap();
    eprintln!("luck only: {y:?}\n{:?}\n{:?}", report.output("y>0"), report.rank_correlation);
    within_4se("traits share", y.traits_share.as_ref().unwrap(), 0.0);
    let hit = report.output("y>0").unwrap();
    within_4se("traits share of y>0", hit.traits_share.as_ref().unwrap(), 0.0);
    let agreement = hit.agreement.as_ref().unwrap();
    within_4se("lift", agreement.lift.as_ref().unwrap(), 1.0);
    within_4se("P(y>0)", agreement.odds.as_ref().unwrap(), 0.5);
    within_4se("rank correlation", report.rank_correlation.as_ref().unwrap(), 0.0);
}

#[test]
fn replays_recover_the_additive_traits_share() {
    let model = Additive { weights: vec![2.0, 1.0], luck_weight: 1.5 };
    let exact: f64 = model.exact()[..2].iter().sum();
    let replays = Replays::new(model, 6, 100);
    let report = replays.report(&Runner::new(6).run(&replays, 30_000).summary);
    let share = report.output("y").unwrap().traits_share.unwrap();
    eprintln!("additive traits share {share:?} exact {exact}");
    within_4se("traits share", &share, exact);
}

fn small_spec() -> AttributeSpec {
    AttributeSpec {
        sobol_rows: 20_000,
        replay_creators: 10_000,
        counterfactual_creators: 20_000,
        ..AttributeSpec::default()
    }
}

#[test]
fn career_luck_total_index_agrees_with_the_replays() {
    // Two estimators of one quantity: Sobol's total index of luck, and one
    // minus the traits' share from luck replays (ANALYSES: the closed index
    // of the traits is 1 - luck's total).
    let mut scenario = Scenario::builtin("why-creators-succeed").unwrap();
    scenario.attribute = Some(small_spec());
    let record = Attribution::new(&scenario).unwrap().run(&Runner::new(8));
    let r = record.report.as_ref().unwrap();
    let sobol = r.sobol.output("log10(1+followers)").unwrap();
    let luck = &sobol.input("luck").unwrap().total;
    let traits = r.replays.output("log10(1+followers)").unwrap().traits_share.unwrap();
    let z = (luck.value - (1.0 - traits.value)) / (luck.std_error.hypot(traits.std_error));
    eprintln!("luck ST {luck:?}\ntraits share {traits:?}\nz {z:.2}");
    assert!(z.abs() < 4.0, "luck ST {luck:?} vs 1 - traits share {traits:?}: z {z:.2}");
    // Sums are sane, and every total is at least its first order (within error).
    let sum = sobol.sum_first_order.as_ref().unwrap();
    assert!(sum.value <= 1.0 + 4.0 * sum.std_error);
    for i in &sobol.indices {
        assert!(
            i.total.value >= i.first_order.value - 4.0 * i.total.std_error.hypot(i.first_order.std_error)
        );
        assert!(i.changes_output, "{} varies in this scenario", i.input);
    }
    // Intervals narrow enough to rank the four factors.
    for i in &sobol.indices {
        assert!(i.total.upper - i.total.lower < 0.03, "{}: {:?}", i.input, i.total);
    }
}

#[test]
fn a_null_edit_is_exactly_zero_and_pairing_narrows_real_ones() {
    let career = CareerModel::new(CareerSpec::default()).unwrap();
    let edits = vec![
        TraitEdit::new("nothing", "talent", Change { add: Some(0.0), ..Change::default() }),
        TraitEdit::new("talent + 0.1", "talent", Change { add: Some(0.1), ..Change::default() }),
    ];
    let model = Counterfactuals::new(career, edits);
    let report = model.report(&Runner::new(9).run(&model, 30_000).summary);
    for t in &report.edits[0].tiers {
        let d = t.difference.estimate.unwrap();
        assert_eq!((d.difference, d.std_error), (0.0, 0.0), "{:?}", t.tier);
        assert_eq!((t.difference.point_only, t.difference.baseline_only), (0, 0));
    }
    let log = report.edits[0].log_followers_difference.unwrap();
    assert_eq!((log.value, log.std_error), (0.0, 0.0));
    let nano = &report.edits[1].tiers[Tier::Nano.index()].difference;
    let d = nano.estimate.unwrap();
    assert!(d.difference > 0.0 && d.lower > 0.0, "{d:?}");
    eprintln!("talent + 0.1, nano: {d:?}");
    assert!(d.std_error < 0.6 * d.unpaired_std_error, "{d:?}");
}

#[test]
fn attribution_is_the_same_on_one_and_two_threads() {
    let mut scenario = Scenario::builtin("default").unwrap();
    scenario.attribute = Some(AttributeSpec {
        sobol_rows: 3_000,
        replay_creators: 2_000,
        counterfactual_creators: 3_000,
        ..small_spec()
    });
    let attribution = Attribution::new(&scenario).unwrap();
    let one = attribution.run(&Runner::new(5).threads(1));
    let two = attribution.run(&Runner::new(5).threads(2));
    assert_eq!(one, two);
    assert_eq!(one.scenario.name, "default");
    assert_eq!(one.clout_version, env!("CARGO_PKG_VERSION"));
    assert_eq!(
        serde_json::to_string(&one).unwrap(),
        serde_json::to_string(&two).unwrap(),
        "the JSON records are byte for byte the same"
    );
}

#[test]
fn bad_attribute_sections_are_refused_with_the_field() {
    let base = "name = \"x\"\n";
    let cases = [
        ("[attribute]\nsobol_rows = 0\n", "attribute.sobol_rows = 0: must lie in [2, 1000000000]"),
        ("[attribute]\nreplays = 1\n", "attribute.replays = 1: must lie in [2, 64]"),
        ("[attribute]\nreplays = 65\n", "attribute.replays = 65"),
        ("[attribute]\nrows = 5\n", "unknown field `rows`"),
        ("[[attribute.counterfactuals]]\nname = \"x\"\n", "changes no trait"),
        (
            "[[attribute.counterfactuals]]\nname = \"\"\ntalent = { add = 0.1 }\n",
            "must be 1 to 200 characters",
        ),
        (
            "[[attribute.counterfactuals]]\nname = \"x\"\ntalent = { add = 0.1, scale = 2 }\n",
            "attribute.counterfactuals[0].talent = (a table): must hold exactly one of add, scale or set",
        ),
        (
            "[[attribute.counterfactuals]]\nname = \"x\"\neffort = { scale = 0 }\n",
            "effort.scale = 0: must be > 0",
        ),
        ("[[attribute.counterfactuals]]\nname = \"x\"\nniche = { set = nan }\n", "niche.set = NaN"),
        ("[[attribute.counterfactuals]]\nname = \"x\"\nluck = { add = 1 }\n", "unknown field `luck`"),
        (
            "model = \"yule\"\n[attribute]\nsobol_rows = 10\n",
            "attribute = (a section): belongs to model = \"career\"",
        ),
        ("[delusion]\ngrowth_days = 0\n", "delusion.growth_days = 0: must be >= 1"),
        ("[delusion]\nself_talent_percentile = 100\n", "delusion.self_talent_percentile = 100"),
        ("[delusion]\nsnapshot_trials = 1\n", "delusion.snapshot_trials = 1"),
        ("[delusion]\ntier = \"giga\"\n", "delusion.tier: \"giga\" is neither a tier"),
        (
            "[condition]\ncareer_day = 100\nfollowers = { low = 1, high = 2 }\nwindow_days = 10\n[delusion]\ngrowth_days = 91\n",
            "delusion.growth_days = 91: must be <= condition.career_day - condition.window_days = 90",
        ),
    ];
    for (text, expected) in cases {
        let text = if text.starts_with("model") { text.to_string() } else { format!("{base}{text}") };
        let error = Scenario::from_toml_str(&text, "bad.toml").unwrap_err().to_string();
        assert!(error.contains(expected), "{text}\ngave: {error}\nexpected: {expected}");
        assert!(error.starts_with("bad.toml"), "{error}");
    }
    // Attribution refuses conditional scenarios; the delusion gap needs a condition.
    let micro = Scenario::builtin("micro-influencer").unwrap();
    let e = Attribution::new(&micro).unwrap_err().to_string();
    assert!(e.contains("start = (a section): attribution runs careers from their first day"), "{e}");
    let e = clout::study::delusion::Delusion::new(&Scenario::builtin("default").unwrap())
        .unwrap_err()
        .to_string();
    assert!(e.contains("condition = (missing): the delusion gap needs [condition]"), "{e}");
    let e = clout::study::delusion::Delusion::new(&micro).unwrap_err().to_string();
    assert!(e.contains("start = (a section): is not used by the delusion gap"), "{e}");
}

#[test]
fn replay_intervals_cover_their_exact_values() {
    // Y_j = 2 x1 + x2 + 1.5 e_j: two replays of one creator are bivariate
    // normal with correlation r = 5 / 7.25. Exactly: the traits' share is r,
    // Spearman's rho is (6 / pi) asin(r / 2), and for Y > 0,
    // P(reach | reached in another) = 1/2 + asin(r) / pi.
    let model = Additive { weights: vec![2.0, 1.0], luck_weight: 1.5 };
    let r: f64 = 5.0 / 7.25;
    let pi = std::f64::consts::PI;
    let (share, rho, given) = (r, 6.0 / pi * (r / 2.0).asin(), 0.5 + r.asin() / pi);
    let replays = Replays::new(model, 4, 100);
    let reps = 400;
    let mut covered = [0u32; 3];
    for rep in 0..reps {
        let report = replays.report(&Runner::new(5000 + rep).threads(1).run(&replays, 2_000).summary);
        let holds = |e: &Estimate, x: f64| u32::from(e.lower <= x && x <= e.upper);
        covered[0] += holds(report.output("y").unwrap().traits_share.as_ref().unwrap(), share);
        covered[1] += holds(report.rank_correlation.as_ref().unwrap(), rho);
        let agreement = report.output("y>0").unwrap().agreement.as_ref().unwrap();
        covered[2] += holds(agreement.given_another.as_ref().unwrap(), given);
    }
    eprintln!("coverage of traits share, Spearman, P(reach | another): {covered:?} of {reps}");
    for c in covered {
        assert!((362..=398).contains(&c), "coverage {covered:?} of {reps}");
    }
}

#[test]
fn threshold_model_exact_indices_match_the_orthant_formulas_at_threshold_zero() {
    // At t = 0, q(rho) = 1/4 + asin(rho) / (2 pi) (Sheppard's orthant
    // probability), so S_i = 2 asin(rho_i) / pi and P(reach | another) =
    // 1/2 + asin(rho_traits) / pi: an independent check of the quadrature.
    use clout::experiment::attribute::Threshold;
    let additive = Additive { weights: vec![1.0, 0.7], luck_weight: 1.0 };
    let shares = additive.exact();
    let exact = Threshold { additive, threshold: 0.0 }.exact();
    let pi = std::f64::consts::PI;
    for (i, rho) in shares.iter().enumerate() {
        assert!((exact.first_order[i] - 2.0 * rho.asin() / pi).abs() < 1e-9, "S1 {i}: {exact:?}");
        assert!((exact.total[i] - (1.0 - 2.0 * (1.0 - rho).asin() / pi)).abs() < 1e-9, "ST {i}: {exact:?}");
    }
    let traits = shares[0] + shares[1];
    assert!((exact.given_another - (0.5 + traits.asin() / pi)).abs() < 1e-9);
    assert!((exact.odds - 0.5).abs() < 1e-12);
}

#[test]
fn rare_tier_indices_resting_on_few_rows_are_flagged_and_well_supported_ones_hold() {
    use clout::experiment::attribute::{MIN_INDEX_SUPPORT, Threshold};
    use statrs::distribution::{ContinuousCDF as _, Normal};
    let additive = Additive { weights: vec![1.0, 0.7], luck_weight: 1.0 };
    let threshold = additive.variance().sqrt() * Normal::standard().inverse_cdf(1.0 - 1e-3);
    let model = Threshold { additive, threshold };
    let exact = model.exact();
    let sobol = Sobol::new(model.clone(), 0);
    // About 100 hits: S1 of x2 (exactly 0.0057) rests on a row or two.
    let few = sobol.report(&Runner::new(21).threads(1).run(&sobol, 50_000).summary);
    let o = &few.outputs[0];
    let x2 = o.input("x2").unwrap();
    assert!(!x2.first_order_trusted && !o.trusted, "{x2:?}");
    assert!(x2.support.unwrap().first_order < MIN_INDEX_SUPPORT);
    // With 4,000 expected hits every total index and the first-order ones of
    // x1 and luck (0.0288) rest on enough rows, x2's (0.0057) still on about
    // 13; every estimate is within 4 SE of the exact value.
    let many = sobol.report(&Runner::new(22).run(&sobol, 2_000_000).summary);
    let o = &many.outputs[0];
    for input in &o.indices {
        assert!(input.total_trusted && input.first_order_trusted == (input.input != "x2"), "{input:?}");
    }
    for (i, input) in o.indices.iter().enumerate() {
        within_4se(&format!("S1 {}", input.input), &input.first_order, exact.first_order[i]);
        within_4se(&format!("ST {}", input.input), &input.total, exact.total[i]);
    }
    let replays = Replays::new(model, 8, 0);
    let report = replays.report(&Runner::new(23).run(&replays, 200_000).summary);
    let r = &report.outputs[0];
    assert!(r.trusted && r.repeat_creators.unwrap() >= 50, "{r:?}");
    within_4se("traits share", r.traits_share.as_ref().unwrap(), exact.traits_share);
    let given = r.agreement.as_ref().unwrap().given_another.as_ref().unwrap();
    within_4se("P(reach | another)", given, exact.given_another);
}

/// With `[money]`, attribution's outputs add `log10(1 + income)` and each
/// income level's indicator after the tiers, then `log10(1 + engaged
/// audience)` and each engaged-audience level's indicator, each that of the
/// career the creator lives on the same luck; with `[engagement]` alone, the
/// engaged outputs only; without either they are the six of before.
#[test]
fn attribution_outputs_income_and_engaged_audience() {
    use clout::experiment::attribute::{CareerFactors, FactorModel, LOG_ENGAGED, LOG_FOLLOWERS, LOG_INCOME};
    use clout::random::TrialStreams;
    let plain = CareerFactors::new(clout::Scenario::builtin("default").unwrap().career_model().unwrap());
    assert_eq!(plain.output_names().len(), 6);
    use clout::model::career::money::{Engagement, IncomeLevels};
    let mut engaged_only = clout::Scenario::builtin("default").unwrap();
    let audience_levels = IncomeLevels::try_from(vec![100.0, 1000.0]).unwrap();
    engaged_only.engagement = Some(Engagement { audience_levels, ..Engagement::default() });
    let engaged_only = engaged_only.career_model().unwrap();
    let names = CareerFactors::new(engaged_only).output_names();
    assert_eq!(
        names,
        [LOG_FOLLOWERS, "nano", "micro", "mid", "macro", "mega", LOG_ENGAGED, "100 engaged", "1k engaged"]
    );
    let model = clout::Scenario::builtin("make-a-living").unwrap().career_model().unwrap();
    let factors = CareerFactors::new(model.clone());
    let names = factors.output_names();
    assert_eq!(
        names,
        [
            LOG_FOLLOWERS,
            "nano",
            "micro",
            "mid",
            "macro",
            "mega",
            LOG_INCOME,
            "$10k",
            "$30k",
            "$100k",
            "$1M",
            LOG_ENGAGED,
            "1k engaged"
        ]
    );
    assert!((0..names.len()).all(|o| factors.is_indicator(o) != [0, 6, 11].contains(&o)));
    let (mut earning, mut engaged, mut out) = (0, 0, vec![0.0; names.len()]);
    let log10 = |x: f64| x.max(0.0).ln_1p() / std::f64::consts::LN_10;
    for trial in 0..3000 {
        let streams = TrialStreams::new(8, trial);
        let creator = factors.draw_traits(&streams);
        factors.evaluate(&creator, &streams, &mut out);
        let career = model.simulate(&streams, creator, model.horizon_days(creator.entry_day));
        let earnings = career.earnings.unwrap();
        let income = earnings.income;
        assert_eq!(out[6], log10(income), "trial {trial}");
        for (k, level) in [10_000.0, 30_000.0, 100_000.0, 1_000_000.0].into_iter().enumerate() {
            assert_eq!(out[7 + k], f64::from(u8::from(income >= level)), "trial {trial}, level {level}");
        }
        assert_eq!(out[11], log10(earnings.engaged_audience), "trial {trial}");
        assert_eq!(out[12], f64::from(u8::from(earnings.engaged_audience >= 1000.0)), "trial {trial}");
        earning += u64::from(income > 0.0);
        engaged += u64::from(out[12] == 1.0);
    }
    assert!(earning > 0, "some careers must earn for the check to see incomes");
    assert!(engaged > 0, "some careers must reach 1k engaged for the check to see it");
}
