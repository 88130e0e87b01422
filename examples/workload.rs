//! The work a Career scenario asks of the simulator: expected posts and
//! posting days per creator-day (docs/PERFORMANCE.md quotes these).
//!
//! `cargo run --release --example workload [SCENARIO] [CAREERS]` (default: default, 20000)

use clout::TrialStreams;
use clout::{Model, Scenario};

fn main() -> Result<(), clout::ScenarioError> {
    let mut args = std::env::args().skip(1);
    let name = args.next().unwrap_or_else(|| "default".into());
    let careers: u64 = args.next().and_then(|a| a.parse().ok()).unwrap_or(20_000);
    let scenario = Scenario::builtin(&name)?;
    let model = scenario.career_model().map_err(|error| clout::ScenarioError::Invalid {
        source_name: format!("<built-in {name}>"),
        error,
    })?;
    // Given a career's effort e and length, posts are Poisson(e/7) a day, so
    // the expected posts and posting days follow without counting them.
    let (mut days, mut posts, mut posting_days) = (0.0, 0.0, 0.0);
    for trial in 0..careers {
        let c = model.sample_trial(&TrialStreams::new(scenario.run.seed, trial));
        let d = f64::from(c.career_days);
        let rate = c.creator.effort / 7.0;
        days += d;
        posts += d * rate;
        posting_days += d * -(-rate).exp_m1();
    }
    println!("scenario {name}, {careers} careers, {days:.0} creator-days");
    println!("posts per creator-day        {:.3}", posts / days);
    println!("posting days per creator-day {:.3}", posting_days / days);
    Ok(())
}
