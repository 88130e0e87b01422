//! Worlds of the platform model (issue 24): one trial is one platform of N
//! creators day by day, paid at that world's own price of attention.

use clout::model::world::{FeedReport, WorldModel, gini, luck_share, top_share, unpredictability};
use clout::scenario::{Scenario, ScenarioModel};
use clout::stats::Estimate;
use clout::{Model, Runner};

/// A platform of five years (`platform_days = 1825`), creators of the
/// saturation scenario's population and share rate as clout 0.1 shipped
/// them (niche median 4,870, sigma 2.12, share_rate 1.04: the tests'
/// fixture, not today's defaults; at today's 0.527 too few creators reach
/// micro for the convergence test's standard errors), with `world` as the
/// `[world]` section and `extra` appended to `[competition]`.
fn platform(world: &str, extra: &str, trials: u64) -> Scenario {
    let text = format!(
        "name = \"platform\"\n[run]\ntrials = {trials}\nseed = 2026\n\
         [population]\ntalent = {{ dist = \"normal\", mean = 0.5, sd = 0.15 }}\n\
         effort = {{ dist = \"lognormal\", median = 3.0, sigma = 0.8 }}\n\
         niche = {{ dist = \"lognormal\", median = 4870, sigma = 2.12 }}\n\
         [platform]\nshare_rate = 1.04\n\
         [competition]\nplatform_days = 1825\nsolver_careers = 40000\n{extra}\n[world]\n{world}\n"
    );
    Scenario::from_toml_str(&text, "platform.toml").unwrap()
}

fn model_of(scenario: Scenario) -> (u64, u64, WorldModel) {
    let (scenario, model) = scenario.resolve().unwrap();
    let ScenarioModel::World(model) = model else { panic!("not worlds") };
    (scenario.run.seed, scenario.run.trials, *model)
}

/// Each feed's report.
fn report(scenario: Scenario) -> Vec<FeedReport> {
    let (seed, trials, model) = model_of(scenario);
    model.report(&Runner::new(seed).run(&model, trials).summary).feeds
}

/// `(a - b) / sqrt(se_a^2 + se_b^2)`.
fn z(a: &Estimate, b: &Estimate) -> f64 {
    (a.value - b.value) / (a.std_error.powi(2) + b.std_error.powi(2)).sqrt()
}

/// The statistics on small inputs, by hand.
#[test]
fn inequality_and_unpredictability_by_hand() {
    // Gini of (0, 0, 0, 4): 2 (4 * 4) / (4 * 4) - 5 / 4 = 0.75; of equal values 0.
    assert!((gini(&[0, 4, 0, 0]) - 0.75).abs() < 1e-12);
    assert_eq!(gini(&[3, 3, 3]), 0.0);
    assert_eq!(gini(&[0, 0]), 0.0);
    // Top 1% of 200 values is the largest 2.
    let mut x = vec![1u64; 198];
    x.extend([101, 101]);
    assert!((top_share(&x) - 202.0 / 400.0).abs() < 1e-12);
    // Two worlds of two creators, shares (1, 0) and (0, 1): |1 - 0| for each, mean 1, N U = 2.
    assert!((unpredictability(&[vec![5, 0], vec![0, 7]]) - 2.0).abs() < 1e-12);
    assert_eq!(unpredictability(&[vec![5, 2], vec![10, 4]]), 0.0);
    // The same outcome in every world: no luck; outcomes that differ only across worlds: all luck.
    assert_eq!(luck_share(&[vec![1, 100], vec![1, 100]]), 0.0);
    assert!((luck_share(&[vec![0, 0], vec![9, 9]]) - 1.0).abs() < 1e-12);
    // Two creators, two worlds: y = ln(1 + F) of (0, ln 10) and (ln 100, ln 100 + ln 10) nearly:
    // within 0.5 (ln 10)^2 each; creators' means differ by ln 100.
    let y = |f: u64| (f as f64).ln_1p();
    let (a, b) = ([y(0), y(9)], [y(99), y(999)]);
    let within = ((a[0] - a[1]).powi(2) / 2.0 + (b[0] - b[1]).powi(2) / 2.0) / 2.0;
    let means = ((a[0] + a[1]) / 2.0 - (b[0] + b[1]) / 2.0).powi(2) / 2.0;
    let share = within / (within + means - within / 2.0);
    assert!((luck_share(&[vec![0, 99], vec![9, 999]]) - share).abs() < 1e-12);
}

/// Bit for bit on one thread and on two (fixed-point sums of the day's weights).
#[test]
fn a_world_is_the_same_on_any_thread_count() {
    let (seed, _, model) = model_of(platform("creators = 3000\nreplicas = 2", "popularity_bias = 1.0", 2));
    let one = Runner::new(seed).threads(1).run(&model, 2).summary;
    let two = Runner::new(seed).threads(2).run(&model, 2).summary;
    assert_eq!(one, two);
    let other = Runner::new(seed + 1).threads(2).run(&model, 2).summary;
    assert_ne!(one, other);
}

/// Worlds converge to the solved field: the share of creators reaching nano
/// and micro in worlds paid at their own price, against worlds of the same
/// creators paid at the solved field's price (careers independent in the
/// field), within 4 SE at N = 10,000 (SE over 10 worlds each, combined).
#[test]
#[ignore = "slow: about 20 s, 10 worlds of 10,000 creators, twice"]
fn worlds_converge_to_the_field() {
    let own = &report(platform("creators = 10000", "", 10))[0];
    let field = &report(platform("creators = 10000\nprice = \"field\"", "", 10))[0];
    for k in 0..2 {
        let (a, b) = (&own.levels[k].share, &field.levels[k].share);
        let z = z(a, b);
        eprintln!(
            "{}: own price {:.5} +- {:.5}, field {:.5} +- {:.5}, z = {z:+.2}",
            own.levels[k].name, a.value, a.std_error, b.value, b.std_error
        );
        assert!(a.std_error < 0.05 * a.value, "SE too large to test");
        assert!(z.abs() < 4.0, "{}: {z:+.2} SE", own.levels[k].name);
    }
}

/// Salganik, Dodds & Watts (2006): the same creators in independent worlds;
/// inequality (Gini) and unpredictability rise with the feed's popularity
/// bias. Each trial runs four worlds of the same 5,000 creators under gamma 0
/// and under gamma 1 (same creators, same luck keys: paired); the mean over
/// 8 trials of each trial's difference (gamma 1 minus gamma 0) must exceed
/// 4 SE (SE over trials of the paired differences).
#[test]
#[ignore = "slow: about 20 s, 8 trials of 4 worlds of 5,000 creators under two feeds"]
fn inequality_and_unpredictability_rise_with_popularity_bias() {
    use clout::random::TrialStreams;
    let (seed, trials, model) =
        model_of(platform("creators = 5000\nreplicas = 4\npopularity_biases = [0.0, 1.0]", "", 8));
    let outcomes: Vec<_> = (0..trials).map(|t| model.sample_trial(&TrialStreams::new(seed, t))).collect();
    let paired = |name: &str, stat: &dyn Fn(&clout::model::world::WorldStats) -> f64| {
        let d: Vec<f64> = outcomes.iter().map(|o| stat(&o.feeds[1]) - stat(&o.feeds[0])).collect();
        let n = d.len() as f64;
        let mean = d.iter().sum::<f64>() / n;
        let se = (d.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0) / n).sqrt();
        let at0 = outcomes.iter().map(|o| stat(&o.feeds[0])).sum::<f64>() / n;
        eprintln!(
            "{name}: gamma 0 {at0:.4}, gamma 1 minus gamma 0 {mean:+.4} +- {se:.4} (paired SE over {n} trials), z = {:+.1}",
            mean / se
        );
        assert!(mean > 4.0 * se, "{name}: {mean} +- {se}");
    };
    paired("Gini", &|s| s.gini);
    paired("unpredictability N U", &|s| s.unpredictability.unwrap());
    paired("top 1% share", &|s| s.top_share);
}

/// Bad `[world]` settings are one-line errors naming the field, the value and what is allowed.
#[test]
fn bad_world_settings_are_one_line_errors() {
    let error = |world: &str, extra: &str| {
        let text = format!("name = \"n\"\n[run]\ntrials = 2\n{extra}\n[world]\n{world}\n");
        let e = match Scenario::from_toml_str(&text, "n.toml") {
            Err(e) => e.to_string(),
            Ok(s) => s.resolve().map(|_| ()).expect_err("refused").to_string(),
        };
        assert!(!e.contains('\n'), "{e}");
        e.split_once(": ").map_or(e.clone(), |(_, rest)| rest.to_string())
    };
    assert_eq!(error("creators = 5", ""), "world.creators = 5: must lie in [10, 10000000]");
    assert_eq!(error("replicas = 17", ""), "world.replicas = 17: must lie in [1, 16]");
    let e = error("price = \"field\"", "[competition]\nfield = \"openness\"\nplatform_days = 100");
    assert!(e.starts_with("world.price = \"field\": needs a solved field"), "{e}");
    let e = error("", "[platform]\ninactive_rate = 0.001");
    assert!(e.starts_with("platform.inactive_rate = 0.001: is not yet carried by worlds"), "{e}");
    let e = error("popularity_biases = [0.5, 3.0]", "");
    assert_eq!(e, "world.popularity_biases[1] = 3: must lie in [0, 2]");
    let e = error("", "[competition]\nentry_growth = 7");
    assert_eq!(e, "competition.entry_growth = 7: must lie in [-5, 5]");
    // Importance sampling and sweeps serve single careers, not worlds: one line each, saying why.
    let e = error("creators = 100", "method = \"rare\"");
    assert!(
        e.starts_with("run.method = \"rare\": is not available for worlds ([world]): importance sampling"),
        "{e}"
    );
    let sweep = "creators = 100\n[sweep.grid]\n\"competition.entry_growth\" = [0.0, 0.2]";
    let text = format!("name = \"n\"\n[run]\ntrials = 2\n[world]\n{sweep}\n");
    let e = match Scenario::from_toml_str(&text, "n.toml") {
        Err(e) => e.to_string(),
        Ok(s) => clout::scenario::sweep::Sweep::new(&s.resolved().unwrap()).unwrap_err().to_string(),
    };
    assert!(e.contains("has [world]: a sweep pairs single careers") && !e.contains('\n'), "{e}");
}

/// Worlds converge to the field as N grows: at N = 1,000, 10,000 and 100,000 creators, the
/// share of creators reaching nano and micro in a world paid at its own price, against the
/// same world (the same creators, the same luck keys) paid at the solved field's price
/// (careers independent in the field: the field's share in expectation, at any N). The gap
/// is paired per trial, its SE over trials; it must lie within 4 SE at each N, with an SE
/// small enough to mean something. Prints the table docs/VALIDATION.md quotes.
#[test]
#[ignore = "slow: worlds of 1,000 to 100,000 creators, about 110 s (112 processor-seconds)"]
fn worlds_converge_to_the_field_as_n_grows() {
    use clout::random::TrialStreams;
    eprintln!("N | worlds | level | own price | field's price | gap (own - field) | z");
    for (n, trials) in [(1_000u64, 60u64), (10_000, 12), (100_000, 8)] {
        let (seed, _, own) = model_of(platform(&format!("creators = {n}"), "", trials));
        let (_, _, field) = model_of(platform(&format!("creators = {n}\nprice = \"field\""), "", trials));
        let pairs: Vec<(Vec<f64>, Vec<f64>)> = (0..trials)
            .map(|t| {
                let streams = TrialStreams::new(seed, t);
                let (a, b) = (own.sample_trial(&streams), field.sample_trial(&streams));
                (a.feeds[0].reached.clone(), b.feeds[0].reached.clone())
            })
            .collect();
        let m = trials as f64;
        let mean_se = |x: &[f64]| {
            let mean = x.iter().sum::<f64>() / m;
            (mean, (x.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (m - 1.0) / m).sqrt())
        };
        for (k, level) in ["nano", "micro"].iter().enumerate() {
            let a: Vec<f64> = pairs.iter().map(|p| p.0[k]).collect();
            let b: Vec<f64> = pairs.iter().map(|p| p.1[k]).collect();
            let d: Vec<f64> = pairs.iter().map(|p| p.0[k] - p.1[k]).collect();
            let ((a, sa), (b, sb), (d, sd)) = (mean_se(&a), mean_se(&b), mean_se(&d));
            let z = d / sd;
            eprintln!(
                "{n} | {trials} | {level} | {a:.5} +- {sa:.5} | {b:.5} +- {sb:.5} | {d:+.5} +- {sd:.5} | {z:+.2}"
            );
            assert!(sd < 0.1 * b, "N = {n}, {level}: SE {sd} too large to test");
            assert!(z.abs() < 4.0, "N = {n}, {level}: gap {d} is {z:+.2} SE");
        }
    }
}
