//! Career mechanisms that are options (issue 23), each checked on against
//! its exact law, with fixed seeds and tolerances of 4 standard errors (or
//! a chi-square quantile at 1e-4), and each refused with a one-line error
//! naming its field when out of range. (Off, each leaves the golden run
//! unchanged: tests/suite/golden.rs.)

use clout::model::career::trajectory::DayList;
use clout::model::career::{
    CareerModel, CareerSpec, Creator, NicheSaturation, Observation, Persistence, Platform, Population,
    StartPoint, TraitCorrelation, TrajectorySpec,
};
use clout::random::TrialStreams;
use clout::{Law, Model, Runner, Scenario};
use statrs::distribution::{Binomial, ChiSquared, ContinuousCDF, DiscreteCDF};

/// A creator with fixed traits who gains nobody (conversion 0) and loses
/// nobody while posting (unfollow rate 0): only the mechanism under test
/// moves their followers.
fn still_model(horizon_days: u32, days: &[u32], persistence: Persistence, platform: Platform) -> CareerModel {
    CareerModel::new(CareerSpec {
        observation: Observation::Cohort { horizon_days },
        population: fixed_population(),
        platform: Platform { conversion: 0.0, unfollow_rate: 0.0, ..platform },
        persistence,
        trajectory: TrajectorySpec { days: DayList::new(days).unwrap() },
        ..CareerSpec::default()
    })
    .unwrap()
}

fn fixed_population() -> Population {
    Population {
        talent: Law::Fixed { value: 0.5 },
        effort: Law::Fixed { value: 3.0 },
        entry_day: Law::Fixed { value: 0.0 },
        niche: Law::Fixed { value: 1e12 },
        ..Population::default()
    }
}

fn creator() -> Creator {
    Creator { talent: 0.5, effort: 3.0, entry_day: 0.0, niche: 1e12 }
}

/// Mean and its standard error.
fn mean_se(values: &[f64]) -> (f64, f64) {
    let n = values.len() as f64;
    let mean = values.iter().sum::<f64>() / n;
    let var = values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1.0);
    (mean, (var / n).sqrt())
}

/// Pearson's chi-square of `counts` (values 0..=n) against `Binomial(n, p)`,
/// over bins of about equal expected counts, with the 1 - 1e-4 quantile of
/// its chi-square law (degrees of freedom: bins - 1).
fn binomial_chi_square(values: &[u64], n: u64, p: f64, bins: usize) -> (f64, f64) {
    let law = Binomial::new(p, n).unwrap();
    // Bin edges at the quantiles k/bins of the law (bins merge where it is lumpy).
    let mut edges: Vec<u64> = (1..bins).map(|k| law.inverse_cdf(k as f64 / bins as f64)).collect();
    edges.dedup();
    let bin_of = |x: u64| edges.iter().take_while(|&&e| x > e).count();
    let mut observed = vec![0.0; edges.len() + 1];
    for &x in values {
        observed[bin_of(x)] += 1.0;
    }
    let mut below = 0.0;
    let mut statistic = 0.0;
    for (k, o) in observed.iter().enumerate() {
        let upto = if k < edges.len() { law.cdf(edges[k]) } else { 1.0 };
        let expected = (upto - below) * values.len() as f64;
        below = upto;
        statistic += (o - expected).powi(2) / expected;
    }
    let critical = ChiSquared::new(edges.len() as f64).unwrap().inverse_cdf(1.0 - 1e-4);
    (statistic, critical)
}

/// Asserts that `values` follow `Binomial(n, p)`: their mean within 4
/// standard errors of `n p`, and Pearson's chi-square over 12 bins below
/// its 1 - 1e-4 quantile. `what` names the sample in a failure.
fn assert_binomial(what: &str, values: &[u64], n: u64, p: f64) {
    let exact = n as f64 * p;
    let (mean, se) = mean_se(&values.iter().map(|&f| f as f64).collect::<Vec<_>>());
    assert!((mean - exact).abs() < 4.0 * se, "{what}: mean {mean} (se {se}), E = n p = {exact}");
    let (statistic, critical) = binomial_chi_square(values, n, p, 12);
    assert!(statistic < critical, "{what}: chi-square {statistic} >= {critical}");
}

#[test]
fn dormant_decay_thins_followers_binomially() {
    // A creator with 1000 followers quits at the first review (day 30,
    // quit_base 1); from then on each follower leaves with chance u a day,
    // so on day t >= 30 the followers are Binomial(1000, (1 - u)^(t - 30)).
    let u = 7.5e-4;
    let persistence =
        Persistence { quit_base: 1.0, quit_stall: 0.0, dormant_unfollow_rate: u, ..Persistence::default() };
    let days = [100, 365];
    let horizon = 730;
    let model = still_model(horizon, &days, persistence, Platform::default());
    let f0 = 1000u64;
    let trials = 20_000u64;
    let (mut at_days, mut at_horizon) = (vec![Vec::new(); days.len()], Vec::new());
    for trial in 0..trials {
        let streams = TrialStreams::new(11, trial);
        let start = StartPoint { career_day: 0, followers: f0, followers_at_last_review: 0 };
        let state = model.start_state(&streams, creator(), horizon, start);
        let career = model.finish(&streams, state);
        assert!(!career.active);
        assert_eq!(career.career_days, 30);
        for (k, &f) in career.at_days.as_slice().iter().enumerate() {
            at_days[k].push(f);
        }
        at_horizon.push(career.followers);
    }
    let checks = days.iter().zip(&at_days).chain(std::iter::once((&horizon, &at_horizon)));
    for (&day, values) in checks {
        assert_binomial(&format!("day {day}"), values, f0, (1.0 - u).powi(day as i32 - 30));
    }
}

#[test]
fn dormant_decay_off_keeps_every_follower() {
    let persistence =
        Persistence { quit_base: 1.0, quit_stall: 0.0, dormant_unfollow_rate: 0.0, ..Persistence::default() };
    let model = still_model(400, &[100], persistence, Platform::default());
    for trial in 0..100 {
        let streams = TrialStreams::new(3, trial);
        let start = StartPoint { career_day: 0, followers: 500, followers_at_last_review: 0 };
        let career = model.finish(&streams, model.start_state(&streams, creator(), 400, start));
        assert_eq!((career.followers, career.at_days.as_slice()), (500, &[500u64][..]));
    }
}

use crate::common::scenario_error;

#[test]
fn out_of_range_options_name_their_field() {
    for (section, field) in [
        ("[persistence]\ndormant_unfollow_rate = -0.1", "persistence.dormant_unfollow_rate"),
        ("[platform]\ninactive_rate = -1e-4", "platform.inactive_rate"),
        ("[platform]\ninactive_rate = 2.0", "platform.inactive_rate"),
        ("[platform]\nfrequency_elasticity = -0.5", "platform.frequency_elasticity"),
        ("[platform]\nniche_saturation = \"wall\"", "niche_saturation"),
        ("[population.correlation]\ntalent_effort = 1.0", "population.correlation.talent_effort"),
        ("[population.correlation]\ntalent_niche = -1.5", "population.correlation.talent_niche"),
        (
            "[population.correlation]\ntalent_effort = 0.9\ntalent_niche = 0.9\neffort_niche = -0.9",
            "population.correlation.effort_niche",
        ),
        ("[run]\nmethod = \"rare\"\n[population.correlation]\ntalent_effort = 0.3", "population.correlation"),
        (
            "[start]\nfollowers = 100\ncareer_day = 30\n[population.correlation]\ntalent_effort = 0.3",
            "population.correlation",
        ),
    ] {
        let message = scenario_error(section);
        assert!(message.contains(field), "{message}");
    }
}

#[test]
fn followers_present_on_day_s_are_active_on_day_t_with_chance_exp_minus_delta_t_minus_s() {
    // 2000 followers on career day 100, none gained, none quitting; each
    // leaves with chance u a day and goes inactive at rate delta: on day
    // 465 the followers are Binomial(2000, (1-u)^365) and the active ones
    // Binomial(2000, (1-u)^365 exp(-365 delta)).
    let (u, delta) = (1e-3, 2e-3);
    let never_quit = Persistence { quit_base: 0.0, quit_stall: 0.0, ..Persistence::default() };
    let platform = Platform { inactive_rate: delta, ..Platform::default() };
    let (start_day, horizon) = (100u32, 465u32);
    let mut model_spec = *still_model(horizon, &[], never_quit, platform).spec();
    model_spec.platform.unfollow_rate = u;
    let model = CareerModel::new(model_spec).unwrap();
    let f0 = 2000u64;
    let (mut followers, mut active) = (Vec::new(), Vec::new());
    for trial in 0..20_000 {
        let streams = TrialStreams::new(5, trial);
        let start = StartPoint { career_day: start_day, followers: f0, followers_at_last_review: f0 };
        let career = model.finish(&streams, model.start_state(&streams, creator(), horizon, start));
        assert!(career.active && career.active_followers <= career.followers);
        followers.push(career.followers);
        active.push(career.active_followers);
    }
    let t = f64::from(horizon - start_day);
    let stay = (1.0 - u).powf(t);
    assert_binomial("followers", &followers, f0, stay);
    assert_binomial("active followers", &active, f0, stay * (-delta * t).exp());
}

#[test]
fn followers_gained_on_day_s_are_active_on_day_t_with_chance_exp_minus_delta_t_minus_s() {
    // A creator gaining on average one follower a day (a post a day, each
    // reaching 100 non-followers, converting at 0.02 x talent 0.5; no
    // reach luck, no virality, no shares, no unfollows, open platform, no
    // quitting): followers gained on day s are active at the horizon H with
    // chance exp(-delta (H - 1 - s)), so E[A_H] = sum_j exp(-delta j) over
    // j < H = (1 - exp(-delta H)) / (1 - exp(-delta)), and E[F_H] = H.
    let delta = 2e-3;
    let horizon = 730u32;
    let never_quit = Persistence { quit_base: 0.0, quit_stall: 0.0, ..Persistence::default() };
    let model = CareerModel::new(CareerSpec {
        observation: Observation::Cohort { horizon_days: horizon },
        population: Population { effort: Law::Fixed { value: 7.0 }, ..fixed_population() },
        platform: Platform {
            openness_floor: 1.0,
            discovery: 100.0,
            share_rate: 0.0,
            conversion: 0.02,
            unfollow_rate: 0.0,
            reach_sigma: 0.0,
            viral_rate: 0.0,
            inactive_rate: delta,
            ..Platform::default()
        },
        persistence: never_quit,
        trajectory: TrajectorySpec { days: DayList::new(&[]).unwrap() },
        ..CareerSpec::default()
    })
    .unwrap();
    let (mut followers, mut active) = (Vec::new(), Vec::new());
    for trial in 0..10_000 {
        let career = model.sample_trial(&TrialStreams::new(9, trial));
        followers.push(career.followers as f64);
        active.push(career.active_followers as f64);
    }
    let h = f64::from(horizon);
    let expected_active = -(-delta * h).exp_m1() / -(-delta).exp_m1();
    for (values, exact) in [(&followers, h), (&active, expected_active)] {
        let (mean, se) = mean_se(values);
        assert!((mean - exact).abs() < 4.0 * se, "mean {mean} (se {se}), exact {exact}");
    }
    // The report gives the active audience beside the visible one, only
    // when the option is on.
    let report = model.report(&Runner::new(1).run(&model, 500).summary);
    let a = report.active_followers.expect("inactive followers on: the active audience is reported");
    assert!(a.share_active.unwrap() < 1.0 && a.p50.unwrap().value < report.followers.p50.unwrap().value);
    let mut off = *model.spec();
    off.platform.inactive_rate = 0.0;
    let off = CareerModel::new(off).unwrap();
    assert!(off.report(&Runner::new(1).run(&off, 100).summary).active_followers.is_none());
}

/// A creator who gains on average `c q d0 = 1` follower per post at
/// reach 1 (no reach luck, no virality, no shares, no unfollows, an open
/// platform, no quitting), posting `effort` times a week.
fn steady_model(effort: f64, niche: f64, horizon_days: u32, platform: Platform) -> CareerModel {
    let never_quit = Persistence { quit_base: 0.0, quit_stall: 0.0, ..Persistence::default() };
    CareerModel::new(CareerSpec {
        observation: Observation::Cohort { horizon_days },
        population: Population {
            effort: Law::Fixed { value: effort },
            niche: Law::Fixed { value: niche },
            ..fixed_population()
        },
        platform: Platform {
            openness_floor: 1.0,
            discovery: 100.0,
            share_rate: 0.0,
            conversion: 0.02,
            unfollow_rate: 0.0,
            reach_sigma: 0.0,
            viral_rate: 0.0,
            ..platform
        },
        persistence: never_quit,
        trajectory: TrajectorySpec { days: DayList::new(&[]).unwrap() },
        ..CareerSpec::default()
    })
    .unwrap()
}

#[test]
fn per_post_reach_falls_with_posting_frequency_as_its_equation() {
    // Each post gains Poisson(c q d0 r(e)) followers, so over H days
    // E[F_H] = (e / 7) H c q d0 r(e): the per-post reach measured from
    // followers, F_H / ((e / 7) H c q d0), against r(e) = (e / 3)^(-beta).
    let beta = 0.5;
    let horizon = 365u32;
    for (k, effort) in [0.5, 1.0, 3.0, 9.0, 21.0].into_iter().enumerate() {
        let platform = Platform { frequency_elasticity: beta, ..Platform::default() };
        let model = steady_model(effort, 1e12, horizon, platform);
        let scale = effort / 7.0 * f64::from(horizon) * 0.02 * 0.5 * 100.0;
        let reach: Vec<f64> = (0..4000)
            .map(|trial| {
                model.sample_trial(&TrialStreams::new(20 + k as u64, trial)).followers as f64 / scale
            })
            .collect();
        let (mean, se) = mean_se(&reach);
        let equation = (effort / 3.0).powf(-beta);
        assert_eq!(model.spec().platform.post_reach(effort), equation);
        assert!(
            (mean - equation).abs() < 4.0 * se,
            "effort {effort}: reach {mean} (se {se}), r(e) = {equation}"
        );
    }
}

#[test]
fn a_soft_niche_slows_follows_as_exp_minus_f_over_m() {
    // A creator already at twice their niche (M = 1e6, F = 2e6) gains
    // exp(-2) as many as an empty niche would give under a soft niche
    // (F moves by about 1e-4 of M meanwhile: negligible), and none under
    // the hard wall.
    let (niche, f0, horizon) = (1e6, 2_000_000u64, 1000u32);
    let you = Creator { niche, effort: 7.0, ..creator() };
    let start = StartPoint { career_day: 0, followers: f0, followers_at_last_review: f0 };
    for saturation in [NicheSaturation::Soft, NicheSaturation::Hard] {
        let platform = Platform { niche_saturation: saturation, ..Platform::default() };
        let model = steady_model(7.0, niche, horizon, platform);
        let gains: Vec<f64> = (0..4000)
            .map(|trial| {
                let streams = TrialStreams::new(31, trial);
                let career = model.finish(&streams, model.start_state(&streams, you, horizon, start));
                (career.followers - f0) as f64
            })
            .collect();
        let (mean, se) = mean_se(&gains);
        let exact = match saturation {
            NicheSaturation::Soft => f64::from(horizon) * (-2.0f64).exp(),
            NicheSaturation::Hard => 0.0,
        };
        if saturation == NicheSaturation::Hard {
            assert_eq!(mean, 0.0);
        } else {
            assert!((mean - exact).abs() < 4.0 * se, "{saturation:?}: gains {mean} (se {se}), exact {exact}");
        }
    }
}

#[test]
fn correlated_traits_have_the_stated_correlation() {
    // Traits whose normal scores are exact (no clamping within 7 sd):
    // talent Normal(0.5, 0.07), effort LogNormal(3, 0.3), niche
    // LogNormal(1e4, 1). The sample correlation of the scores of n
    // creators has standard error (1 - rho^2) / sqrt(n).
    let correlation = TraitCorrelation { talent_effort: 0.5, talent_niche: 0.3, effort_niche: -0.2 };
    let model = CareerModel::new(CareerSpec {
        population: Population {
            talent: Law::Normal { mean: 0.5, sd: 0.07 },
            effort: Law::LogNormal { median: 3.0, sigma: 0.3 },
            niche: Law::LogNormal { median: 1e4, sigma: 1.0 },
            correlation,
            ..Population::default()
        },
        ..CareerSpec::default()
    })
    .unwrap();
    let n = 20_000;
    let scores: Vec<[f64; 3]> = (0..n)
        .map(|trial| {
            let c = model.sample_creator(&TrialStreams::new(41, trial));
            [(c.talent - 0.5) / 0.07, (c.effort / 3.0).ln() / 0.3, (c.niche / 1e4).ln()]
        })
        .collect();
    let pearson = |a: usize, b: usize| {
        let m = |k: usize| scores.iter().map(|s| s[k]).sum::<f64>() / n as f64;
        let (ma, mb) = (m(a), m(b));
        let cov: f64 = scores.iter().map(|s| (s[a] - ma) * (s[b] - mb)).sum();
        let var = |k: usize, mk: f64| scores.iter().map(|s| (s[k] - mk).powi(2)).sum::<f64>();
        cov / (var(a, ma) * var(b, mb)).sqrt()
    };
    for ((a, b), rho) in [((0, 1), 0.5), ((0, 2), 0.3), ((1, 2), -0.2)] {
        let r = pearson(a, b);
        let se = (1.0 - rho * rho) / (n as f64).sqrt();
        assert!((r - rho).abs() < 4.0 * se, "traits {a},{b}: r = {r}, stated {rho} (se {se})");
    }
    // Each trait keeps its own law: the talent scores are standard normal.
    let mean = scores.iter().map(|s| s[0]).sum::<f64>() / n as f64;
    assert!(mean.abs() < 4.0 / (n as f64).sqrt(), "talent score mean {mean}");
}

#[test]
fn studies_that_take_traits_as_independent_refuse_correlated_traits() {
    let text = "name = \"c\"\n[population.correlation]\ntalent_effort = 0.3\n";
    let scenario = Scenario::from_toml_str(text, "c.toml").unwrap();
    let message = clout::study::attribute::Attribution::new(&scenario).err().unwrap().to_string();
    assert!(message.contains("population.correlation") && !message.contains('\n'), "{message}");
}
