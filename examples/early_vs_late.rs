//! Timing: does starting early beat starting late? The same population of
//! creators, entering one month after launch or ten years after.
//!
//! `cargo run --release --example early_vs_late [TRIALS]`

use clout::{Proportion, Scenario, Tier};

fn main() -> Result<(), clout::ScenarioError> {
    let trials: u64 = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(200_000);
    let mut early = Scenario::builtin("early-entrant")?;
    let mut late = Scenario::builtin("late-entrant")?;
    early.run.trials = trials;
    late.run.trials = trials;
    let (early, late) = (early.run()?, late.run()?);
    let (e, l) = (early.career().unwrap(), late.career().unwrap());
    println!("{trials} careers each, five years from entry; 95% Wilson intervals\n");
    println!("  {:<6} {:>28} {:>28} {:>10}", "tier", "early (day 30)", "late (day 3650)", "ratio");
    for tier in Tier::ALL {
        let (a, b) = (e.odds(tier), l.odds(tier));
        let ratio = if b.estimate > 0.0 { format!("{:.1}x", a.estimate / b.estimate) } else { "-".into() };
        println!("  {:<6} {:>28} {:>28} {:>10}", tier.name(), show(&a), show(&b), ratio);
    }
    Ok(())
}

fn show(p: &Proportion) -> String {
    format!("{:.4}% [{:.4}, {:.4}]", 100.0 * p.estimate, 100.0 * p.wilson.lower, 100.0 * p.wilson.upper)
}
