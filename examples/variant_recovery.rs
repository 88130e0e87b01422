//! Recovery of a Career variant and model selection between variants over
//! replicate synthetic censuses (issue 23; docs/VALIDATION.md, "Which
//! variant: recovery and selection").
//!
//! The world is the calibration tests' small one (`tests/suite/calibrate.rs`:
//! a snapshot of a five-year-old platform, bands at 300 / 1k / 3k / 10k
//! followers), in two variants: `plain` (no dormant decay) and `dormant`
//! (followers leave a creator who quit at 5e-3 a day; in this young world
//! the shipped 7.5e-4 moves no share by more than 0.005). For each
//! generating variant, its shares at the truth (share_rate 0.5, niche sigma
//! 1.2) come from 400,000 careers on their own seed; each replicate draws a
//! census of `n_eff` accounts from them (Multinomial(n_eff, q) / n_eff) and
//! fits BOTH variants to it, exactly as `clout calibrate` fits (the two
//! parameters free, 30,000 careers an evaluation on the replicate's own
//! seed, budget 120, a check on new luck). It reports:
//!
//! * coverage: how often each parameter's 95% interval of the generating
//!   variant's own fit holds the truth (a replicate without an interval
//!   counts as a miss), with the binomial standard error;
//! * the confusion table: which variant the lower deviance on new luck
//!   picks (both have two free parameters, so AIC = G + 4 ranks as G does).
//!
//! Arguments: replicates per generating variant (default 10) and `n_eff`
//! (default 2,000, the tests' census). Each replicate is two fits.
//!
//! ```text
//! cargo run --release --example variant_recovery -- 10 2000
//! ```

mod common;

use clout::scenario::ScenarioModel;
use clout::study::calibrate::{BandModel, Calibration};
use clout::{Runner, Scenario};
use rand::SeedableRng;

/// The calibration tests' small world.
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

/// The variants: name and dormant decay a day.
const VARIANTS: [(&str, f64); 2] = [("plain", 0.0), ("dormant", 5e-3)];

/// The truth: share_rate and niche sigma.
const TRUTH: [f64; 2] = [0.5, 1.2];

fn world(dormant: f64) -> Scenario {
    let mut s = Scenario::from_toml_str(WORLD, "world.toml").expect("the world parses");
    s.persistence.get_or_insert_default().dormant_unfollow_rate = dormant;
    s
}

/// The shares (nano, micro, mid, macro-mega) of the variant at the truth.
fn shares(dormant: f64) -> Vec<f64> {
    let mut s = world(dormant);
    s.platform = Some(clout::model::career::Platform { share_rate: TRUTH[0], ..Default::default() });
    s.population.as_mut().expect("a population").niche =
        clout::Law::LogNormal { median: 2e4, sigma: TRUTH[1] };
    let Ok((_, ScenarioModel::Career(career))) = s.resolve() else { panic!("a career scenario") };
    let model = BandModel { career: *career, edges: vec![300, 1000, 3000, 10000], niche_tail: 0.0 };
    let counts = Runner::new(99).run(&model, 400_000).summary;
    [(300, Some(1000)), (1000, Some(3000)), (3000, Some(10000)), (10000, None)]
        .iter()
        .map(|&(a, b)| counts.share(a, b, 300).estimate)
        .collect()
}

/// One fit of the variant with `dormant` to the census `q`: per parameter
/// whether its interval holds the truth, and the deviance on new luck.
fn fit(q: &[f64], n_eff: u64, dormant: f64, seed: u64) -> ([bool; 2], f64) {
    let text = format!(
        "name = \"t\"\nscenario = \"world\"\nn_eff = {n_eff}\n[run]\ntrials = 30000\nseed = {seed}\n\
         max_evaluations = 120\n[shares]\nnano = {}\nmicro = {}\nmid = {}\nmacro-mega = {}\n[fit]\n\
         \"platform.share_rate\" = {{ low = 0.05, high = 3.0, start = 0.3, scale = \"log\" }}\n\
         \"population.niche.sigma\" = {{ low = 0.3, high = 3.0, start = 1.8 }}\n",
        q[0], q[1], q[2], q[3]
    );
    let c = Calibration::from_toml_str(&text, "t.toml", |_| Ok(world(dormant))).expect("the targets parse");
    let r = c.run(&Runner::new(0)).expect("the fit runs").report;
    let covered =
        |k: usize| r.parameters[k].interval.is_some_and(|[lo, hi]| lo <= TRUTH[k] && TRUTH[k] <= hi);
    ([covered(0), covered(1)], r.deviance)
}

fn main() {
    let replicates = common::replicates_arg(10, 1);
    let n_eff: u64 = std::env::args().nth(2).map_or(2000, |t| {
        t.parse().ok().filter(|&n| n >= 100).unwrap_or_else(|| {
            eprintln!("n_eff must be a whole number of at least 100, not {t:?}");
            std::process::exit(2);
        })
    });
    println!(
        "{replicates} replicate censuses of {n_eff} accounts per generating variant; truth share_rate 0.5, sigma 1.2"
    );
    let mut confusion = [[0u64; 2]; 2];
    for (g, &(name, dormant)) in VARIANTS.iter().enumerate() {
        let q = shares(dormant);
        println!("{name}: shares (nano, micro, mid, macro-mega) {q:.4?}");
        let mut rng = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(0xD0_u64 + g as u64);
        let mut covered = [0u64; 2];
        for r in 0..replicates {
            let census = common::census(&q, n_eff, &mut rng);
            let seed = 1000 + r;
            let fits: Vec<([bool; 2], f64)> =
                VARIANTS.iter().map(|&(_, d)| fit(&census, n_eff, d, seed)).collect();
            for (k, c) in fits[g].0.iter().enumerate() {
                covered[k] += u64::from(*c);
            }
            let picked = usize::from(fits[1].1 < fits[0].1);
            confusion[g][picked] += 1;
            println!(
                "  replicate {r}: G plain {:.2}, G dormant {:.2}: picks {}; own fit covers share_rate {}, sigma {}",
                fits[0].1, fits[1].1, VARIANTS[picked].0, fits[g].0[0], fits[g].0[1]
            );
        }
        let n = replicates as f64;
        for (k, path) in ["share_rate", "niche sigma"].iter().enumerate() {
            let p = covered[k] as f64 / n;
            println!(
                "{name}: coverage of {path} {}/{replicates} = {:.2} (se {:.2})",
                covered[k],
                p,
                (p * (1.0 - p) / n).sqrt()
            );
        }
    }
    println!("confusion (rows: generating variant; columns: picked by the lower G on new luck)");
    println!("  {:<10} {:>8} {:>8}", "", VARIANTS[0].0, VARIANTS[1].0);
    for (g, row) in confusion.iter().enumerate() {
        println!("  {:<10} {:>8} {:>8}", VARIANTS[g].0, row[0], row[1]);
    }
}
