//! What-if: a specific creator on a mature platform, varying talent and
//! effort. Which buys more odds of reaching micro and mid tier: being better,
//! or posting more? A sweep: every cell runs the same creators' luck.
//!
//! `cargo run --release --example talent_vs_effort [TRIALS_PER_CELL]`

use clout::scenario::sweep::SweepSpec;
use clout::{Runner, Scenario, Tier};

fn main() -> Result<(), clout::ScenarioError> {
    let trials: u64 = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(50_000);
    let talents = [0.5, 0.6, 0.7, 0.8, 0.9];
    let efforts = [1.0, 3.0, 5.0, 10.0, 20.0];
    let mut scenario = Scenario::builtin("what-if")?;
    scenario.run.trials = trials;
    let mut grid = toml::Table::new();
    grid.insert("population.talent".into(), toml::Value::Array(talents.iter().map(|&q| q.into()).collect()));
    grid.insert("population.effort".into(), toml::Value::Array(efforts.iter().map(|&e| e.into()).collect()));
    scenario.sweep = Some(SweepSpec { grid, ..SweepSpec::default() });
    let record = scenario.sweep()?.run_large(&Runner::new(scenario.run.seed));
    // Points run through the grid with talent varying slowest.
    for tier in [Tier::Micro, Tier::Mid] {
        println!(
            "\nodds of reaching {tier} within five years (%, {trials} careers a cell, the same luck in every cell)"
        );
        print!("  {:>14}", "talent \\ posts/wk");
        for e in efforts {
            print!(" {e:>9}");
        }
        println!();
        for (row, q) in talents.iter().enumerate() {
            print!("  {q:>17}");
            for column in 0..efforts.len() {
                let point = &record.report.as_ref().unwrap().points[row * efforts.len() + column];
                let odds = point.answer.proportion(tier).expect("a plain Career sweep");
                print!(" {:>9.3}", 100.0 * odds.estimate);
            }
            println!();
        }
    }
    Ok(())
}
