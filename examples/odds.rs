//! The default scenario's odds: a new creator on a mature platform, five years.
//!
//! `cargo run --release --example odds [TRIALS]`

use clout::{Scenario, Tier};

fn main() -> Result<(), clout::ScenarioError> {
    let mut scenario = Scenario::builtin("default")?;
    if let Some(trials) = std::env::args().nth(1).and_then(|a| a.parse().ok()) {
        scenario.run.trials = trials;
    }
    let record = scenario.run()?;
    let report = record.career().expect("a Career scenario");
    println!("{} careers, seed {}: odds of each tier within five years", report.trials, record.seed);
    for tier in Tier::ALL {
        let odds = report.odds(tier);
        println!(
            "  {:<6} {:>9.5}%   95% CI [{:.5}%, {:.5}%]",
            tier.name(),
            100.0 * odds.estimate,
            100.0 * odds.wilson.lower,
            100.0 * odds.wilson.upper
        );
    }
    Ok(())
}
