//! Coverage of a forecast chance's 95% interval (Monte Carlo error only:
//! Korn & Graubard's score interval at the effective size the replicates'
//! spread implies, `clout::experiment::forecast`).
//!
//! The interval is about the sampler's own noise: it should hold the
//! chance the same settings give on average over seeds. So the history
//! `730,10k` (a creator at about 10k followers two years in, on the default
//! scenario's model) is forecast `RUNS` times on different seeds, each with
//! `PARTICLES` particles x 4 replicates; the mean of all runs' chances
//! stands for the truth (its standard error is the runs' sd over
//! `sqrt(RUNS)`), and each run's interval is checked against it.
//!
//! ```sh
//! cargo run --release --example forecast_intervals -- 100 100   # RUNS PARTICLES
//! ```

use clout::experiment::forecast::history::{HistoryOptions, parse_history};
use clout::experiment::forecast::{ForecastSpec, Forecaster, Known};
use clout::model::career::CareerSpec;

fn main() {
    let arg = |k: usize| std::env::args().nth(k);
    let runs: u64 = arg(1).map_or(100, |a| a.parse().expect("a number of runs"));
    let particles: usize = arg(2).map_or(100, |a| a.parse().expect("particles"));
    let history =
        parse_history("day,followers\n730,10k\n", "one.csv", HistoryOptions::default()).expect("a history");
    let known = Known { effort: None, entry_day: Some(3650.0) };
    let started = std::time::Instant::now();
    let reports: Vec<_> = (0..runs)
        .map(|r| {
            let settings = ForecastSpec { particles, seed: 1000 + r, ..ForecastSpec::default() };
            Forecaster::new(CareerSpec::default(), history.clone(), known, settings)
                .expect("a forecast")
                .run()
        })
        .collect();
    let s = reports[0].spec;
    println!(
        "{runs} forecasts of `730,10k` (entry day 3650), {particles} particles x {} replicates, {} futures each, \
         noise {}, {} years, seeds 1000-{}",
        s.replicates,
        s.futures,
        s.noise,
        s.years,
        999 + runs
    );
    println!("\nlevel    truth (mean of runs)   mean half-width   95% intervals holding it (nominal 0.95)");
    for k in 0..reports[0].levels.len() {
        let name = &reports[0].levels[k].name;
        let chances: Vec<f64> = reports.iter().map(|r| r.levels[k].chance).collect();
        let n = runs as f64;
        let truth = chances.iter().sum::<f64>() / n;
        let sd = (chances.iter().map(|c| (c - truth).powi(2)).sum::<f64>() / (n - 1.0)).sqrt();
        let held =
            reports.iter().filter(|r| r.levels[k].lower <= truth && truth <= r.levels[k].upper).count();
        let half = reports.iter().map(|r| (r.levels[k].upper - r.levels[k].lower) / 2.0).sum::<f64>() / n;
        let coverage = held as f64 / n;
        println!(
            "{name:<8} {truth:>10.5} +- {:.5}        {half:>9.5}        {coverage:.3} +- {:.3}",
            sd / n.sqrt(),
            (coverage * (1.0 - coverage) / n).sqrt().max(0.5 / n)
        );
    }
    println!("{:.0} s", started.elapsed().as_secs_f64());
}
