//! Reproduces Talent vs Luck (Pluchino, Biondo & Rapisarda 2018): runs whole
//! worlds of the published model and prints each world statistic's mean and
//! spread next to what the paper reports.
//!
//! `cargo run --release --example talent_vs_luck [WORLDS]` (default 200)

use clout::Scenario;

fn main() -> Result<(), clout::ScenarioError> {
    let mut scenario = Scenario::builtin("talent-vs-luck")?;
    scenario.run.trials = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(200);
    let record = scenario.run()?;
    println!("seed {}, clout {}\n", record.seed, record.clout_version);
    print!("{}", record.report.as_ref().expect("a run's report").to_table());
    println!(
        "\nThe paper's claims: capital ends heavy-tailed, about 20% of agents hold about 80% of it, and the\n\
         richest agent is rarely the most talented. See docs/VALIDATION.md for where these numbers differ."
    );
    Ok(())
}
