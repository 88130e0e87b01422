//! The Yule loose end of docs/VALIDATION.md: many independent runs of the
//! Yule process at n0 = 3, lambda t = 2 (`scenarios/validation/yule-n0-3.toml`),
//! pooled. A real bias of the mean shows as a pooled z far from 0; a faulty
//! sampler pushes the chi-square p-values low.
//!
//! `cargo run --release --example yule_loose_end [RUNS] [TRIALS_PER_RUN]`
//! (default 100 runs of 1e8 trials, seeds 1..=RUNS: about 10 minutes on 2 cores).

use clout::{Model, Runner, Scenario};

fn main() -> Result<(), clout::ScenarioError> {
    let mut args = std::env::args().skip(1).map(|a| a.parse::<u64>().ok());
    let runs = args.next().flatten().unwrap_or(100);
    let trials = args.next().flatten().unwrap_or(100_000_000);
    let scenario =
        Scenario::load(concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/validation/yule-n0-3.toml"))?;
    let model = clout::model::yule::YuleModel::new(scenario.yule.expect("a Yule scenario"))
        .expect("the shipped scenario is valid");
    let (mut z, mut p, mut means, mut variances) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let mut exact = 0.0;
    for seed in 1..=runs {
        let report = model.report(&Runner::new(seed).run(&model, trials).summary);
        exact = report.exact_mean;
        z.push((report.mean - report.exact_mean) / report.mean_std_error);
        p.push(report.goodness_of_fit.map_or(f64::NAN, |g| g.p_value));
        means.push(report.mean);
        variances.push(report.mean_std_error.powi(2));
        eprintln!("seed {seed}: z of the mean {:+.2}, chi-square p {:.3}", z[z.len() - 1], p[p.len() - 1]);
    }
    let n = runs as f64;
    let pooled = z.iter().sum::<f64>() / n.sqrt();
    let mean_z = z.iter().sum::<f64>() / n;
    let sd_z = (z.iter().map(|x| (x - mean_z).powi(2)).sum::<f64>() / (n - 1.0)).sqrt();
    let grand = means.iter().sum::<f64>() / n;
    let grand_se = variances.iter().sum::<f64>().sqrt() / n;
    println!("{runs} runs of {trials} trials, n0 = 3, lambda t = 2");
    println!("pooled z of the mean: {pooled:+.2} (runs' z: mean {mean_z:+.3}, sd {sd_z:.3})");
    println!(
        "grand mean {grand:.6} +- {grand_se:.6} against exact {exact:.6}: relative {:+.2e} +- {:.2e}",
        (grand - exact) / exact,
        grand_se / exact
    );
    let below = p.iter().filter(|&&x| x < 0.05).count();
    println!("chi-square p < 0.05 in {below} of {runs}");
    let mut tenths = [0usize; 10];
    for &x in &p {
        tenths[((x * 10.0) as usize).min(9)] += 1;
    }
    println!("p-values by tenths: {tenths:?}");
    // Kolmogorov-Smirnov distance of the p-values from the uniform law, with
    // its asymptotic p-value (Stephens' small-sample correction).
    let mut sorted = p.clone();
    sorted.sort_by(f64::total_cmp);
    let d = sorted
        .iter()
        .enumerate()
        .map(|(i, &x)| ((i + 1) as f64 / n - x).max(x - i as f64 / n))
        .fold(0.0, f64::max);
    let lambda = (n.sqrt() + 0.12 + 0.11 / n.sqrt()) * d;
    let ks_p: f64 =
        (1..100).map(|k| 2.0 * (-1f64).powi(k - 1) * (-2.0 * f64::from(k * k) * lambda * lambda).exp()).sum();
    println!("Kolmogorov-Smirnov against uniform: D = {d:.4}, p = {:.3}", ks_p.clamp(0.0, 1.0));
    Ok(())
}
