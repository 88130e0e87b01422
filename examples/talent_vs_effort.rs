//! What-if: a specific creator on a mature platform, varying talent and
//! effort. Which buys more odds of reaching micro and mid tier: being better,
//! or posting more?
//!
//! `cargo run --release --example talent_vs_effort [TRIALS_PER_CELL]`

use clout::{Scenario, Tier, TraitDist};

fn main() -> Result<(), clout::ScenarioError> {
    let trials: u64 = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(50_000);
    let base = Scenario::builtin("what-if")?;
    let talents = [0.5, 0.6, 0.7, 0.8, 0.9];
    let efforts = [1.0, 3.0, 5.0, 10.0, 20.0];
    for tier in [Tier::Micro, Tier::Mid] {
        println!("\nodds of reaching {tier} within five years (%, {trials} careers a cell)");
        print!("  {:>14}", "talent \\ posts/wk");
        for e in efforts {
            print!(" {e:>9}");
        }
        println!();
        for q in talents {
            print!("  {q:>17}");
            for e in efforts {
                let mut s = base.clone();
                s.run.trials = trials;
                let population = s.population.as_mut().expect("a resolved Career scenario");
                population.talent = TraitDist::Fixed { value: q };
                population.effort = TraitDist::Fixed { value: e };
                let odds = s.run()?.career().expect("a Career scenario").odds(tier);
                print!(" {:>9.3}", 100.0 * odds.estimate);
            }
            println!();
        }
    }
    Ok(())
}
