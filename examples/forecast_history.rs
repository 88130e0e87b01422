//! How the shipped history `examples/histories/creator-10k.csv` was made: a
//! creator of talent 0.85, effort 10 posts a week and niche 300,000 starting
//! on a ten-year-old platform (entry day 3650), observed weekly for two years
//! through the forecast's observation model (noise 0.02, counts shown as a
//! platform shows them), on the first luck (keys `(2026, domain 9, trial)`)
//! that leaves them between 9.5k and 10.5k on day 728.
//!
//! ```sh
//! cargo run --release --example forecast_history > examples/histories/creator-10k.csv
//! ```

use clout::experiment::forecast::{display_count, simulate_history};
use clout::model::career::{CareerModel, CareerSpec, Creator, Observation};
use clout::random::TrialStreams;

fn main() {
    let mut spec = CareerSpec::default();
    spec.population.entry_day = clout::dist::Law::Fixed { value: 3650.0 };
    spec.observation = Observation::Cohort { horizon_days: 800 };
    let model = CareerModel::new(spec).expect("a valid spec");
    let days: Vec<u32> = (1..=104).map(|w| w * 7).collect();
    let creator = Creator { talent: 0.85, effort: 10.0, entry_day: 3650.0, niche: 300_000.0 };
    for trial in 0.. {
        let history =
            simulate_history(&model, creator, &TrialStreams::in_domain(2026, 9, trial), &days, 0.02);
        if let Some(h) = history.filter(|h| (9_500.0..=10_500.0).contains(&h.last().shown)) {
            println!("day,followers");
            for r in &h.rows {
                println!("{},{}", r.day, display_count(r.shown));
            }
            return;
        }
    }
}
