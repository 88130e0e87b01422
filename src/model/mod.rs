//! Models: each is a validated parameter struct whose one trial is a sample.
//!
//! A model implements [`Model`]: it draws one trial's outcome from a random
//! number generator it is handed (so any generator and any seeding works, and
//! one model value can be sampled from many threads at once), and says how
//! outcomes are summarised. The [`crate::runner::Runner`] runs any model.

pub mod career;
pub mod gibrat;
pub mod talent_luck;
pub mod yule;

use rand::Rng;

/// A Monte Carlo model: a random variable whose one draw is one trial.
///
/// Models also implement `rand::distr::Distribution<Self::Outcome>`, so
/// `rng.sample(&model)` reads as "draw one outcome".
pub trait Model: Sync {
    /// The outcome of one trial.
    type Outcome;
    /// The mergeable statistics of many outcomes.
    type Summary: Summary<Self::Outcome>;

    /// Draws one trial's outcome.
    fn sample_trial<R: Rng + ?Sized>(&self, rng: &mut R) -> Self::Outcome;

    /// An empty summary, ready to record this model's outcomes.
    fn new_summary(&self) -> Self::Summary;

    /// The amount of simulated time in one outcome, in the model's unit
    /// (creator-days for Career), for throughput figures. Zero when the
    /// notion does not apply.
    fn work(&self, outcome: &Self::Outcome) -> u64 {
        let _ = outcome;
        0
    }
}

/// Statistics of many trials that can be merged.
///
/// Contract: `merge` must be exact, associative and commutative, so that the
/// summary of any split of a run's trials merges into exactly the summary of
/// the whole run. clout's summaries hold only integer counts and sums for
/// this reason.
pub trait Summary<O>: Send + Clone {
    /// Adds one outcome.
    fn record(&mut self, outcome: &O);
    /// Adds all the outcomes summarised by `other`.
    fn merge(&mut self, other: &Self);
    /// Trials recorded.
    fn trials(&self) -> u64;
}
