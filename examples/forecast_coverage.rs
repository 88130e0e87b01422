//! Coverage of `clout forecast`'s predictive bands and calibration of its
//! level chances against simulated futures
//! ([`clout::experiment::forecast::predictive::predictive_checks`]):
//! creators drawn from the default population (entry day 3650), each with
//! a monthly history over a year, forecast three years on; each true career
//! then goes on, on its own luck.
//!
//! ```sh
//! cargo run --release --example forecast_coverage -- 200           # CREATORS [AT_LEAST] [PARTICLES] [YEARS]
//! cargo run --release --example forecast_coverage -- 200 1000      # creators showing 1,000+ after a year
//! ```
//!
//! Defaults: every creator (`AT_LEAST` 0), 100 particles per replicate, 2 replicates, 6 moves, noise 0.2
//! (the forecast's default), 8 futures per particle, 3 years, seed 2026.
//!
//! Prints the share of band days whose true count lies in the 50% band
//! (25th to 75th percentile) and in the 90% band (5th to 95th), pooled
//! and by thirds of the forecast's span, each with a standard error over
//! creators (a creator's band days are not independent); then, per level
//! and per bin of forecast chance, the chances' sum against the levels
//! reached, `z = (reached - sum p) / sqrt(sum p (1 - p))`.

use clout::experiment::forecast::ForecastSpec;
use clout::experiment::forecast::predictive::{PredictiveCheck, predictive_checks};
use clout::model::career::CareerSpec;

fn main() {
    let arg = |k: usize| std::env::args().nth(k);
    let creators: u64 = arg(1).map_or(200, |a| a.parse().expect("a number of creators"));
    let at_least: f64 = arg(2).map_or(0.0, |a| a.parse().expect("followers shown at least"));
    let particles: usize = arg(3).map_or(100, |a| a.parse().expect("particles"));
    let years: f64 = arg(4).map_or(3.0, |a| a.parse().expect("years"));
    let days: Vec<u32> = (1..=12).map(|m| m * 30).collect();
    let settings = ForecastSpec { particles, replicates: 2, moves: 6, years, ..ForecastSpec::default() };
    let mut spec = CareerSpec::default();
    spec.population.entry_day = clout::dist::Law::Fixed { value: 3650.0 };
    let started = std::time::Instant::now();
    let checks = predictive_checks(spec, creators, &days, at_least, settings);
    let fitted: Vec<&PredictiveCheck> = checks.iter().filter(|c| c.fits).collect();
    println!(
        "{creators} creators showing at least {at_least} followers after a monthly history over a year, \
         forecast {years} years: {} particles x {} replicates, noise {}, {} futures each, seed {}; {} \
         histories the model fits",
        settings.particles,
        settings.replicates,
        settings.noise,
        settings.futures,
        settings.seed,
        fitted.len()
    );
    bands(&fitted);
    levels(&fitted);
    println!("{:.0} s", started.elapsed().as_secs_f64());
}

/// Coverage of the 50% and 90% bands, pooled and by thirds of the span.
fn bands(fitted: &[&PredictiveCheck]) {
    let days = fitted.first().map_or(0, |c| c.bands.len());
    let thirds = [
        (0, days / 3, "first third"),
        (days / 3, 2 * days / 3, "second third"),
        (2 * days / 3, days, "last third"),
    ];
    println!("\nband days                  50% band (nominal 0.50)     90% band (nominal 0.90)");
    for (from, to, name) in [(0, days, "all")].into_iter().chain(thirds) {
        let per_creator = |inside: fn(&clout::experiment::forecast::Band, f64) -> bool| -> Vec<f64> {
            fitted
                .iter()
                .map(|c| {
                    let part = &c.bands[from..to];
                    part.iter().filter(|(b, f)| inside(b, *f as f64)).count() as f64 / part.len() as f64
                })
                .collect()
        };
        let fifty = mean_se(&per_creator(|b, f| b.p25 <= f && f <= b.p75));
        let ninety = mean_se(&per_creator(|b, f| b.p05 <= f && f <= b.p95));
        println!(
            "{name:<13} ({:>2} days)     {:.3} +- {:.3}               {:.3} +- {:.3}",
            to - from,
            fifty.0,
            fifty.1,
            ninety.0,
            ninety.1
        );
    }
}

/// The level chances' calibration: per level, and per bin of chance.
fn levels(fitted: &[&PredictiveCheck]) {
    let all: Vec<_> = fitted.iter().flat_map(|c| &c.levels).collect();
    let mut names: Vec<&str> = Vec::new();
    for l in &all {
        if !names.contains(&l.name.as_str()) {
            names.push(&l.name);
        }
    }
    println!("\nlevel / chance       creators   sum of chances   reached        z");
    let row = |name: &str, picked: Vec<&&clout::experiment::forecast::predictive::LevelCheck>| {
        let n = picked.len();
        let sum: f64 = picked.iter().map(|l| l.chance).sum();
        let var: f64 = picked.iter().map(|l| l.chance * (1.0 - l.chance)).sum();
        let reached = picked.iter().filter(|l| l.reached).count();
        let z = if var > 0.0 { (reached as f64 - sum) / var.sqrt() } else { 0.0 };
        println!("{name:<18} {n:>10} {sum:>16.2} {reached:>9} {z:>+8.2}");
    };
    for name in &names {
        row(name, all.iter().filter(|l| l.name == *name).collect());
    }
    for (low, high) in [(0.0f64, 0.01f64), (0.01, 0.1), (0.1, 0.5), (0.5, 1.01)] {
        row(
            &format!("p in [{low}, {})", high.min(1.0)),
            all.iter().filter(|l| l.chance >= low && l.chance < high).collect(),
        );
    }
}

/// Mean and its standard error.
fn mean_se(values: &[f64]) -> (f64, f64) {
    let n = values.len() as f64;
    let mean = values.iter().sum::<f64>() / n;
    let var = values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1.0).max(1.0);
    (mean, (var / n).sqrt())
}
