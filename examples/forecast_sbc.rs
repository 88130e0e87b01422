//! Simulation-based calibration of `clout forecast`'s posterior
//! ([`clout::experiment::forecast::calibration_shares`]): creators drawn
//! from the default population (entry day 3650), each with a monthly
//! history over a year, inferred; where each true trait falls among the
//! posterior draws should be uniform.
//!
//! ```sh
//! cargo run --release --example forecast_sbc -- 200            # CREATORS [MOVES NOISE PARTICLES]
//! cargo run --release --example forecast_sbc -- 60 6 0.1 400   # a smaller noise, more particles
//! ```
//!
//! Defaults: 6 moves, noise 0.2 (the forecast's default), 100 particles per
//! replicate, 2 replicates, seed 2026.
//!
//! Prints, per trait, the counts of the shares in ten bins and Pearson's
//! chi-square against uniform (9 degrees of freedom; its 99th percentile is
//! 21.67), with the p-value.

use clout::experiment::forecast::{ForecastSpec, calibration_shares};
use clout::model::career::CareerSpec;

fn main() {
    let creators: u64 = std::env::args().nth(1).map_or(200, |a| a.parse().expect("a number of creators"));
    let days: Vec<u32> = (1..=12).map(|m| m * 30).collect();
    let moves: usize = std::env::args().nth(2).map_or(6, |a| a.parse().expect("moves"));
    let noise: f64 = std::env::args().nth(3).map_or(0.2, |a| a.parse().expect("noise"));
    let particles: usize = std::env::args().nth(4).map_or(100, |a| a.parse().expect("particles"));
    let settings = ForecastSpec { particles, replicates: 2, moves, noise, ..ForecastSpec::default() };
    let mut spec = CareerSpec::default();
    spec.population.entry_day = clout::dist::Law::Fixed { value: 3650.0 };
    let started = std::time::Instant::now();
    let shares = calibration_shares(spec, creators, &days, settings);
    println!(
        "{creators} creators, a monthly history over a year each, {} particles x {} replicates, noise {}, seed {}",
        settings.particles, settings.replicates, settings.noise, settings.seed
    );
    for (k, name) in ["talent", "effort", "niche"].iter().enumerate() {
        let mut bins = [0u64; 10];
        for s in &shares {
            bins[((s[k] * 10.0) as usize).min(9)] += 1;
        }
        let g = clout::stats::chi_square_gof(&bins, &[0.1; 10]).expect("enough creators");
        println!("{name:<7} bins {bins:?}  chi2 {:.2} ({} df)  p {:.3}", g.statistic, g.dof, g.p_value);
    }
    println!("{:.0} s", started.elapsed().as_secs_f64());
}
