//! The default scenario's odds: a new creator on a mature platform, five
//! years, by the rare-event method the scenario asks for (every tier from one
//! run), then macro by plain Monte Carlo with the same budget of careers.
//!
//! `cargo run --release --example odds [TRIALS]`

use clout::{Scenario, Tier};

fn main() -> Result<(), clout::ScenarioError> {
    let mut scenario = Scenario::builtin("default")?;
    if let Some(trials) = std::env::args().nth(1).and_then(|a| a.parse().ok()) {
        scenario.run.trials = trials;
    }
    let record = scenario.run()?;
    let report = record.rare().expect("the default scenario is a rare-event run");
    println!(
        "{} careers from the proposal, seed {}: odds of each tier within five years",
        report.roots, record.seed
    );
    for level in &report.levels {
        println!(
            "  {:<6} {:>11.6}%   95% CI [{:.6}%, {}]{}",
            level.chance.level,
            100.0 * level.chance.estimate,
            100.0 * level.chance.lower,
            level.chance.upper.map_or("-".into(), |u| format!("{:.6}%", 100.0 * u)),
            if level.chance.trusted { "" } else { "   (not to be trusted: see the table)" }
        );
    }
    // The same number of careers drawn from the population.
    scenario.set_brute();
    let plain = scenario.run()?;
    let odds = plain.career().expect("a Career run").proportion(Tier::Macro);
    println!(
        "plain Monte Carlo, {} careers: macro {:.6}%   95% CI [{:.6}%, {:.6}%]",
        scenario.run.trials,
        100.0 * odds.estimate,
        100.0 * odds.wilson.lower,
        100.0 * odds.wilson.upper
    );
    Ok(())
}
