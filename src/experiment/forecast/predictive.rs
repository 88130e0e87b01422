//! Predictive checks of forecasts against simulated futures: creators are
//! drawn from the population and their histories simulated, as in
//! [`super::calibration_shares`]; each true career then goes on, on its own
//! luck, to the forecast's horizon. A calibrated forecast's 50% band
//! (25th to 75th percentile of followers) holds the true count on a band
//! day in about half the creators, its 90% band (5th to 95th) in about 90%,
//! and among creators given a chance `p` of a level about `p` reach it.
//! `cargo run --release --example forecast_coverage` prints the coverage
//! and the levels' calibration (docs/VALIDATION.md).

use super::{Band, ForecastSpec, Forecaster, Known, Verdict, simulate_history_state};
use crate::model::career::trajectory::DayList;
use crate::model::career::{CareerModel, CareerSpec, Observation, Stop, TrajectorySpec};

/// One creator's forecast beside what truly happened next.
#[derive(Debug, Clone, PartialEq)]
pub struct PredictiveCheck {
    /// Whether the model could produce the history (when not, there is no
    /// forecast to check and `bands` and `levels` are empty).
    pub fits: bool,
    /// Each band of the forecast, with the true followers on its day.
    pub bands: Vec<(Band, u64)>,
    /// Each level the history had not reached, with the forecast's chance
    /// and whether the true career reached it by the horizon.
    pub levels: Vec<LevelCheck>,
}

/// A level's forecast chance beside the truth.
#[derive(Debug, Clone, PartialEq)]
pub struct LevelCheck {
    /// The level's name (`micro`).
    pub name: String,
    /// The forecast's chance of reaching it by the horizon.
    pub chance: f64,
    /// The ends of its 95% interval (Monte Carlo error only).
    pub lower: f64,
    /// Upper end.
    pub upper: f64,
    /// Whether the true career reached it by the horizon.
    pub reached: bool,
}

/// For `creators` creators drawn from `spec`'s population (the keys and
/// creators of [`super::calibration_shares`]: those still posting on the
/// last of `days`, and, to look where the forecast has something to say,
/// showing at least `at_least` followers then; selecting on the history
/// keeps a calibrated forecast calibrated, as it conditions on the
/// history), the forecast of their simulated history with
/// `settings` (the entry day stated) beside their true future: the
/// followers on each band day and the levels reached by the horizon.
pub fn predictive_checks(
    spec: CareerSpec,
    creators: u64,
    days: &[u32],
    at_least: f64,
    settings: ForecastSpec,
) -> Vec<PredictiveCheck> {
    let last = *days.last().expect("at least one day");
    // The forecast's horizon (Forecaster::new): the last row plus the years.
    let horizon = last + (settings.years * 365.0).round() as u32;
    let truth = CareerModel::new(CareerSpec {
        observation: Observation::Cohort { horizon_days: horizon },
        trajectory: TrajectorySpec { days: DayList::new(&[]).expect("an empty list is valid") },
        ..spec
    })
    .expect("a valid spec");
    let mut out = Vec::new();
    for (streams, creator, run) in super::study_creators(&truth, settings) {
        if out.len() as u64 >= creators {
            break;
        }
        let entry = truth.entry_state(&streams, creator, horizon);
        let Some((history, mut state)) =
            simulate_history_state(&truth, entry, &streams, days, settings.noise)
        else {
            continue;
        };
        if history.last().shown < at_least {
            continue;
        }
        let known = Known { effort: None, entry_day: Some(creator.entry_day) };
        let report = Forecaster::new(spec, history, known, run).expect("a valid forecast").run();
        if report.verdict != Verdict::Fits {
            out.push(PredictiveCheck { fits: false, bands: Vec::new(), levels: Vec::new() });
            continue;
        }
        let mut bands = Vec::with_capacity(report.bands.len());
        for band in &report.bands {
            truth.advance(&mut state, Stop::Day(band.day));
            bands.push((*band, state.followers()));
        }
        truth.advance(&mut state, Stop::Horizon);
        let reached = state.career().reached_day;
        let levels = report
            .levels
            .iter()
            .enumerate()
            .filter(|(_, l)| !l.reached_already)
            .map(|(k, l)| LevelCheck {
                name: l.name.clone(),
                chance: l.chance,
                lower: l.lower,
                upper: l.upper,
                reached: reached[k].is_some(),
            })
            .collect();
        out.push(PredictiveCheck { fits: true, bands, levels });
    }
    out
}
