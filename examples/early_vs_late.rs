//! Timing: does starting early beat starting late? The same creators, on the
//! same luck, entering one month after launch or ten years after: a two-point
//! sweep, so the difference comes with a paired interval.
//!
//! `cargo run --release --example early_vs_late [TRIALS]`

use clout::scenario::sweep::SweepSpec;
use clout::{Proportion, Runner, Scenario, Tier};

fn main() -> Result<(), clout::ScenarioError> {
    let trials: u64 = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(200_000);
    let mut scenario = Scenario::builtin("late-entrant")?;
    scenario.run.trials = trials;
    let mut grid = toml::Table::new();
    grid.insert("population.entry_day".into(), toml::Value::Array(vec![3650.into(), 30.into()]));
    scenario.sweep = Some(SweepSpec { grid, ..SweepSpec::default() }); // baseline: the first point, late
    let record = scenario.sweep()?.run_large(&Runner::new(scenario.run.seed));
    let (late, early) =
        (&record.report.as_ref().unwrap().points[0], &record.report.as_ref().unwrap().points[1]);
    println!("{trials} careers each, five years from entry, the same creators and luck; 95% intervals\n");
    println!(
        "  {:<6} {:>28} {:>28} {:>36}",
        "tier", "late (day 3650)", "early (day 30)", "early - late (paired)"
    );
    for tier in Tier::ALL {
        let (l, e) = (late.answer.proportion(tier).unwrap(), early.answer.proportion(tier).unwrap());
        let d = early.versus_baseline[tier.index()].estimate.unwrap();
        let diff =
            format!("{:+.4} [{:+.4}, {:+.4}] pp", 100.0 * d.difference, 100.0 * d.lower, 100.0 * d.upper);
        println!("  {:<6} {:>28} {:>28} {:>36}", tier.name(), show(&l), show(&e), diff);
    }
    Ok(())
}

fn show(p: &Proportion) -> String {
    format!("{:.4}% [{:.4}, {:.4}]", 100.0 * p.estimate, 100.0 * p.wilson.lower, 100.0 * p.wilson.upper)
}
