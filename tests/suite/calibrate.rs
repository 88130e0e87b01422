//! Calibration: the fitting estimator against an exact model (recovery,
//! the Fisher information, the coverage of its intervals), recovery of the
//! Career model's own parameters, the weighted niche-tail estimator against
//! plain Monte Carlo, misfit reports, determinism and bad targets files.

use clout::model::Summary;
use clout::scenario::ScenarioModel;
use clout::study::calibrate::{BandModel, Calibration, deviance, fit_shares};
use clout::{FieldError, Runner, Scenario};
use rand::SeedableRng;
use rand_distr::{Binomial, Distribution};
use statrs::distribution::{ContinuousCDF, Normal};

/// Band edges (followers) of the exact model: HypeAuditor's bands.
const EDGES: [f64; 3] = [1e4, 5e4, 1e6];

/// The exact model: log followers ~ Normal(mu, sigma); the shares of the four
/// bands among accounts with at least 1,000 followers. `x = (mu, ln sigma)`.
fn lognormal_shares(x: &[f64]) -> Result<Vec<f64>, FieldError> {
    let normal = Normal::new(x[0], x[1].exp()).expect("valid");
    let sf = |f: f64| normal.sf(f.ln());
    let all = sf(1e3);
    let mut out = Vec::new();
    let mut from = 1e3;
    for to in EDGES {
        out.push((sf(from) - sf(to)) / all);
        from = to;
    }
    out.push(sf(from) / all);
    Ok(out)
}

/// `mu = 9` (median 8,100 followers), `sigma = 1.5`: every band informative
/// (the parameters' correlation is about -0.73).
const X0: [f64; 2] = [9.0, 0.4054651081081644];

#[test]
fn exact_targets_are_fitted_back_exactly_with_the_exact_fisher_information() {
    let q = lognormal_shares(&X0).unwrap();
    let fit = fit_shares(&lognormal_shares, vec![7.5, 0.0], &q, 1000.0, 600, &|_, _| {}).unwrap();
    assert!(fit.deviance < 1e-3, "deviance {}", fit.deviance);
    let c = fit.covariance.clone().expect("identified");
    for (i, (a, b)) in fit.x.iter().zip(X0).enumerate() {
        // Far closer to the truth than the interval is wide.
        assert!((a - b).abs() < 0.05 * c[(i, i)].sqrt(), "fitted {:?} against {X0:?}", fit.x);
    }
    // The exact information n sum (dp/dx)² / p by a fine central difference.
    let h = 1e-5;
    let mut exact = [[0.0; 2]; 2];
    let p = lognormal_shares(&X0).unwrap();
    let grad = |i: usize| {
        let mut up = X0.to_vec();
        let mut down = X0.to_vec();
        up[i] += h;
        down[i] -= h;
        let (u, d) = (lognormal_shares(&up).unwrap(), lognormal_shares(&down).unwrap());
        u.iter().zip(&d).map(|(u, d)| (u - d) / (2.0 * h)).collect::<Vec<f64>>()
    };
    let (g0, g1) = (grad(0), grad(1));
    for j in 0..p.len() {
        let g = [g0[j], g1[j]];
        for a in 0..2 {
            for b in 0..2 {
                exact[a][b] += 1000.0 * g[a] * g[b] / p[j];
            }
        }
    }
    let det = exact[0][0] * exact[1][1] - exact[0][1] * exact[1][0];
    let inverse = [[exact[1][1] / det, -exact[0][1] / det], [-exact[1][0] / det, exact[0][0] / det]];
    let c = fit.covariance.expect("identified");
    for a in 0..2 {
        for b in 0..2 {
            let rel = (c[(a, b)] - inverse[a][b]).abs() / inverse[a][a].abs().max(inverse[b][b].abs());
            // The Jacobian's step (0.1, coarse enough to rise above Monte Carlo
            // noise in a simulation) costs 1.5-4% here.
            assert!(rel < 0.05, "covariance {c} against exact {inverse:?}");
        }
    }
}

#[test]
fn intervals_cover_the_truth_95_percent_of_the_time() {
    // 400 censuses of 1,000 accounts drawn from the exact model: the 95%
    // interval of each parameter must hold the truth about 95% of the time.
    let q = lognormal_shares(&X0).unwrap();
    let n = 1000u64;
    let mut rng = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(2026);
    let runs = 400;
    let mut covered = [0u32; 2];
    for _ in 0..runs {
        // A multinomial draw by conditional binomials.
        let (mut left, mut mass) = (n, 1.0);
        let mut shares = Vec::new();
        for (j, &p) in q.iter().enumerate() {
            let c = if j + 1 == q.len() || left == 0 {
                left
            } else {
                Binomial::new(left, (p / mass).min(1.0)).unwrap().sample(&mut rng)
            };
            shares.push(c as f64 / n as f64);
            left -= c;
            mass -= p;
        }
        let fit = fit_shares(&lognormal_shares, vec![7.5, 0.0], &shares, n as f64, 600, &|_, _| {}).unwrap();
        let c = fit.covariance.expect("identified");
        for i in 0..2 {
            let sd = c[(i, i)].sqrt();
            if (fit.x[i] - X0[i]).abs() <= 1.959964 * sd {
                covered[i] += 1;
            }
        }
    }
    for (i, c) in covered.iter().enumerate() {
        let rate = f64::from(*c) / f64::from(runs);
        // Binomial SE of a 95% rate over 400 runs is 1.1%: 4 SE either side.
        assert!((0.906..=0.994).contains(&rate), "parameter {i}: coverage {rate}");
    }
}

/// A small, fast Career world for recovery: a five-year-old platform.
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

fn targets(shares: &str, fit: &str, run: &str) -> String {
    format!(
        "name = \"t\"\nscenario = \"world\"\nn_eff = 2000\n[run]\n{run}\n[shares]\n{shares}\n[fit]\n{fit}\n"
    )
}

fn calibration(text: &str) -> Result<Calibration, String> {
    calibration_in(text, 0.0)
}

/// The small world with followers leaving creators who quit at `dormant` a
/// day (issue 23's dormant decay; 0: off, the world as it is).
fn world_with(dormant: f64) -> Scenario {
    let mut s = world();
    s.persistence.get_or_insert_default().dormant_unfollow_rate = dormant;
    s
}

fn calibration_in(text: &str, dormant: f64) -> Result<Calibration, String> {
    Calibration::from_toml_str(text, "t.toml", |_| Ok(world_with(dormant))).map_err(|e| e.to_string())
}

/// The world's shares of (nano, micro, mid, macro-mega) at a share rate and
/// niche sigma (and dormant decay), from a large run on its own seed.
fn world_shares(share_rate: f64, sigma: f64, dormant: f64) -> Vec<f64> {
    let mut s = world_with(dormant);
    s.platform = Some(clout::model::career::Platform { share_rate, ..Default::default() });
    s.population.as_mut().unwrap().niche = clout::Law::LogNormal { median: 2e4, sigma };
    let Ok((_, ScenarioModel::Career(career))) = s.resolve() else { panic!("a career scenario") };
    let model = BandModel { career: *career, edges: vec![300, 1000, 3000, 10000], niche_tail: 0.0 };
    let counts = Runner::new(99).run(&model, 400_000).summary;
    let among = counts.share(300, None, 300);
    assert!(among.careers > 10_000, "{among:?}");
    [(300, Some(1000)), (1000, Some(3000)), (3000, Some(10000)), (10000, None)]
        .iter()
        .map(|&(a, b)| counts.share(a, b, 300).estimate)
        .collect()
}

#[test]
#[ignore = "slow tier: cargo test --release -- --ignored (CI runs it)"]
fn the_career_models_own_parameters_are_fitted_back_within_their_intervals() {
    // With every round on all the careers, and with a coarse start (the
    // first rounds on a quarter of them, 15,000): both find the truth.
    for coarse in ["", "\ncoarse_fraction = 0.25"] {
        fitted_back_within_intervals(coarse, 0.0);
    }
}

/// Recovery of a variant (issue 23): with dormant decay on in the world that
/// makes the shares and in the model fitted, the fit finds the truth as the
/// plain model does. At 5e-3 a day (followers halve in 139 days after a
/// quit), not the shipped comparison's 7.5e-4: in this young world (a
/// snapshot at day 1,500) 7.5e-4 moves no share by more than 0.005, which
/// would make the check the plain model's again.
#[test]
#[ignore = "slow tier: cargo test --release -- --ignored (CI runs it)"]
fn the_dormant_decay_variants_own_parameters_are_fitted_back_within_their_intervals() {
    // The option changes the shares the fit sees (else the check would be the plain one's).
    let (plain, dormant) = (world_shares(0.5, 1.2, 0.0), world_shares(0.5, 1.2, 5e-3));
    println!("shares (nano, micro, mid, macro-mega) plain {plain:.4?}, with dormant decay {dormant:.4?}");
    assert!(plain.iter().zip(&dormant).any(|(a, b)| (a - b).abs() > 0.01), "{plain:?} against {dormant:?}");
    fitted_back_within_intervals("", 5e-3);
}

fn fitted_back_within_intervals(coarse: &str, dormant: f64) {
    let truth = [0.5, 1.2];
    let q = world_shares(truth[0], truth[1], dormant);
    let shares = format!("nano = {}\nmicro = {}\nmid = {}\nmacro-mega = {}", q[0], q[1], q[2], q[3]);
    let fit = "\"platform.share_rate\" = { low = 0.05, high = 3.0, start = 0.15, scale = \"log\" }\n\
               \"population.niche.sigma\" = { low = 0.3, high = 3.0, start = 2.2 }";
    let run = format!("trials = 60000\nseed = 5\nmax_evaluations = 120{coarse}");
    let c = calibration_in(&targets(&shares, fit, &run), dormant).unwrap();
    let record = c.run(&Runner::new(0)).unwrap();
    let r = &record.report;
    assert_eq!(record.scenario.persistence.unwrap_or_default().dormant_unfollow_rate, dormant);
    assert_eq!(r.search.coarse_trials, (!coarse.is_empty()).then_some(15000));
    for (p, t) in r.parameters.iter().zip(truth) {
        let [lo, hi] = p.interval.expect("identified");
        println!(
            "dormant {dormant}{coarse:?}: {} fitted {:.4} [{lo:.4}, {hi:.4}], truth {t}",
            p.path, p.value
        );
        assert!(
            lo <= t && t <= hi,
            "{coarse}: {}: truth {t} outside [{lo}, {hi}] (fitted {})",
            p.path,
            p.value
        );
        // And the interval says something: it excludes the far start.
        assert!(!(lo..=hi).contains(&p.start), "{coarse}: {}: start {} inside [{lo}, {hi}]", p.path, p.start);
    }
    assert!(r.misfit.is_empty(), "{:?}", r.misfit);
    assert_eq!(r.degrees_of_freedom, 1);
    assert!(r.p_value.unwrap() > 1e-3, "{:?}", r.p_value);
}

#[test]
fn a_target_the_model_cannot_reach_is_reported_as_a_misfit() {
    let shares = "nano = 0.01\nmacro-mega = 0.99";
    let fit = "\"platform.share_rate\" = { low = 0.05, high = 1.0, scale = \"log\" }";
    let c = calibration(&targets(shares, fit, "trials = 5000\nmax_evaluations = 40")).unwrap();
    let record = c.run(&Runner::new(0)).unwrap();
    let r = &record.report;
    assert!(!r.misfit.is_empty());
    assert!(r.parameters[0].at_bound, "{:?}", r.parameters[0]);
    assert!(r.parameters[0].interval.is_none());
    assert!(r.misfit.iter().any(|m| m.contains("at a bound")), "{:?}", r.misfit);
    assert!(r.misfit.iter().any(|m| m.starts_with("macro-mega")), "{:?}", r.misfit);
    assert!(r.deviance.is_finite() && r.deviance > 100.0, "{}", r.deviance);
    // Middle tiers are not listed, so they form the rest (target 0).
    assert_eq!(r.bands.last().unwrap().band.name, "rest");
    assert!(record.to_table().contains("MISFIT"));
}

#[test]
fn the_same_calibration_on_one_or_two_threads_is_the_same_record() {
    let shares = "nano = 0.8\nmicro = 0.15\nmid-mega = 0.05";
    let fit = "\"platform.share_rate\" = { low = 0.05, high = 1.0, scale = \"log\" }";
    let c =
        calibration(&targets(shares, fit, "trials = 5000\nmax_evaluations = 20\nniche_tail = 0.05")).unwrap();
    let one = c.run(&Runner::new(0).threads(1)).unwrap();
    let two = c.run(&Runner::new(0).threads(2)).unwrap();
    assert_eq!(one, two);
    assert_eq!(serde_json::to_string(&one).unwrap(), serde_json::to_string(&two).unwrap());
}

#[test]
#[ignore = "slow tier: cargo test --release -- --ignored (CI runs it)"]
fn niche_tail_sampling_agrees_with_plain_monte_carlo() {
    // A snapshot world: every band's weighted share against plain
    // Monte Carlo on other luck, within 4 combined standard errors; the top
    // band's standard error must shrink a lot.
    // Niches as the calibration finds them (median 17,500, sigma 1.7): big
    // accounts need the top 1% of niches.
    let mut s = Scenario::builtin("snapshot").unwrap();
    s.population.as_mut().unwrap().niche = clout::Law::LogNormal { median: 17_500.0, sigma: 1.7 };
    s.platform = Some(clout::model::career::Platform { share_rate: 0.72, ..Default::default() });
    let Ok((_, ScenarioModel::Career(career))) = s.resolve() else { panic!("a career scenario") };
    let edges = vec![1000, 10_000, 50_000, 1_000_000];
    let plain = BandModel { career: (*career).clone(), edges: edges.clone(), niche_tail: 0.0 };
    let tail = BandModel { career: *career, edges, niche_tail: 0.02 };
    let a = Runner::new(7).run(&plain, 400_000).summary;
    let b = Runner::new(8).run(&tail, 400_000).summary;
    assert_eq!(b.trials(), 400_000);
    for (from, to) in
        [(1000, Some(10_000)), (10_000, Some(50_000)), (50_000, Some(1_000_000)), (1_000_000, None)]
    {
        let (x, y) = (a.share(from, to, 1000), b.share(from, to, 1000));
        let z = (x.estimate - y.estimate) / (x.std_error.powi(2) + y.std_error.powi(2)).sqrt();
        assert!(z.abs() < 4.0, "band from {from}: plain {x:?} tail {y:?} z {z}");
    }
    let (x, y) = (a.share(1_000_000, None, 1000), b.share(1_000_000, None, 1000));
    assert!(y.std_error / y.estimate < 0.5 * x.std_error / x.estimate, "plain {x:?} tail {y:?}");
}

#[test]
fn deviance_is_zero_at_the_targets_and_positive_elsewhere() {
    let q = [0.5, 0.3, 0.2];
    assert_eq!(deviance(&q, &q, 1000.0), 0.0);
    assert!(deviance(&q, &[0.4, 0.4, 0.2], 1000.0) > 0.0);
    // Categories with no target add nothing.
    assert_eq!(deviance(&[1.0, 0.0], &[1.0, 0.3], 10.0), 0.0);
}

#[test]
fn bad_targets_files_get_one_line_errors() {
    let fit = "\"platform.share_rate\" = { low = 0.05, high = 1.0 }";
    let cases: Vec<(String, &str)> = vec![
        (targets("nano = 0.9\nmicro = 0.2", fit, ""), "shares = (sum 1.1): must sum to at most 1"),
        (targets("nano = -0.1", fit, ""), "shares.nano = -0.1: must lie in [0, 1]"),
        (targets("giga = 0.1", fit, ""), "shares.giga = \"giga\": is not a tier"),
        (targets("nano = 0.1", "", ""), "fit = (empty): must name at least one parameter"),
        (targets("", fit, ""), "shares = (empty)"),
        (targets("nano = 0.5\nnano-micro = 0.1", fit, ""), "overlaps band \"nano\""),
        (targets("nano = nan", fit, ""), "shares.nano = NaN: must lie in [0, 1]"),
        (
            targets("nano = 0.5", "\"platform.nope\" = { low = 0, high = 1 }", ""),
            "fit.\"platform.nope\" = (path)",
        ),
        (
            targets("nano = 0.5", "\"platform.share_rate\" = { low = 1, high = 0.5 }", ""),
            "fit.\"platform.share_rate\".high = 0.5: must be > low = 1",
        ),
        (
            targets("nano = 0.5", "\"platform.share_rate\" = { low = 0.1, high = 1, start = 2 }", ""),
            "fit.\"platform.share_rate\".start = 2: must lie strictly inside (0.1, 1)",
        ),
        (
            targets("nano = 0.5", "\"platform.share_rate\" = { low = 0, high = 1, scale = \"log\" }", ""),
            "must be > 0 for scale = \"log\"",
        ),
        (
            targets("nano = 0.5", "\"platform.conversion\" = { low = 0.01, high = 5 }", ""),
            "fit.\"platform.conversion\".high = 5: makes an invalid scenario: platform.conversion = 5: must lie in [0, 1]",
        ),
        (targets("nano = 0.5", fit, "trials = 0"), "run.trials = 0: must lie in [1,"),
        (targets("nano = 0.5", fit, "niche_tail = 0.9"), "run.niche_tail = 0.9: must lie in [0, 0.5]"),
        (targets("nano = 0.5", fit, "colour = 1"), "unknown field `colour`"),
        (targets("nano = 0.5", fit, "") + "n_eff = 0\n", "n_eff"),
    ];
    for (text, expected) in cases {
        let e = calibration(&text).expect_err(&text);
        assert!(e.starts_with("t.toml: "), "{e}");
        assert!(e.contains(expected), "{e}\nexpected: {expected}");
        assert!(!e.contains('\n'), "{e}");
    }
    let hold = |h: &str| targets("nano = 0.5", fit, "") + "[hold]\n" + h + "\n";
    let e = calibration(&hold("\"population.nope\" = 1")).unwrap_err();
    assert!(e.contains("hold.\"population.nope\" = 1: no field `population.nope`"), "{e}");
    let e = calibration(&hold("\"platform.share_rate\" = 1")).unwrap_err();
    assert!(e.contains("is also in [fit]"), "{e}");
    let e = calibration(&hold("\"platform.conversion\" = 7.0")).unwrap_err();
    assert!(e.contains("hold = (values): make an invalid scenario: platform.conversion = 7"), "{e}");
    let held = calibration(&hold("\"population.niche.median\" = 5e3")).unwrap();
    assert_eq!(held.base().population.unwrap().niche, clout::Law::LogNormal { median: 5e3, sigma: 1.5 });
    let check =
        targets("nano = 0.5", fit, "") + "[[check]]\nname = \"x\"\nabove = 100\ngiven = 1000\nvalue = 0.1\n";
    assert!(calibration(&check).unwrap_err().contains("check[0].above = 100: must be > given = 1000"));
    let e = Calibration::builtin("nope").unwrap_err().to_string();
    assert!(e.contains("hypeauditor-2026"), "{e}");
    let e =
        Calibration::from_toml_str(&targets("nano = 0.5", fit, ""), "t.toml", |_| Scenario::builtin("yule"))
            .unwrap_err()
            .to_string();
    assert!(e.contains("must be a plain Career scenario"), "{e}");
}

#[test]
fn the_built_in_targets_are_valid() {
    let c = Calibration::builtin("hypeauditor-2026").unwrap();
    assert_eq!(c.paths(), ["platform.share_rate", "population.niche.median", "population.niche.sigma"]);
    assert_eq!(c.bands().len(), 4);
}
