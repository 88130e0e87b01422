//! Models: each is a validated parameter struct whose one trial is a sample.
//!
//! A model implements [`Model`]: it draws one trial's outcome from the keyed
//! random streams of that trial ([`crate::random::TrialStreams`]), says how
//! outcomes are summarised, and turns a summary into its report. The
//! [`crate::runner::Runner`] runs any model; the experiments in
//! [`crate::experiment`] are models too (one trial = one matched-or-not
//! creator, one career from a given state), so they get the runner's
//! determinism, threads and ranges for free.
//!
//! Each model's summary sits beside it (in its own module), so reports and
//! summaries never import the renderers in [`crate::report`].

pub mod bianconi_barabasi;
pub mod career;
pub mod gibrat;
pub mod inputs;
pub mod platform;
pub mod talent_luck;
pub mod world;
pub mod yule;

use crate::random::TrialStreams;

/// Whether an optional rate is zero (off): such a field is left out of a
/// scenario's echo, so records of runs without it are unchanged.
pub(crate) fn is_zero(rate: &f64) -> bool {
    *rate == 0.0
}

/// The most trials any run, part or study may ask for (1e12): far beyond
/// what one machine runs; every trial count a spec or scenario states is
/// checked against it.
pub const MAX_TRIALS: u64 = 1_000_000_000_000;

/// A Monte Carlo model: a random variable whose one draw is one trial.
///
/// Contract: `sample_trial` draws only from the streams it is handed, so a
/// trial's outcome depends on its key `(seed, trial)` alone; `report` reads
/// only the summary (and the model's parameters), so a summary merged from
/// shards gives the same report as the unsharded run.
pub trait Model: Sync {
    /// The outcome of one trial.
    type Outcome;
    /// The mergeable statistics of many outcomes.
    type Summary: Summary<Self::Outcome>;
    /// What a user reads: estimates with their intervals.
    type Report;

    /// Draws one trial's outcome from the trial's keyed streams.
    fn sample_trial(&self, streams: &TrialStreams) -> Self::Outcome;

    /// An empty summary, ready to record this model's outcomes.
    fn new_summary(&self) -> Self::Summary;

    /// The report of a summary of this model's outcomes.
    fn report(&self, summary: &Self::Summary) -> Self::Report;

    /// The amount of simulated time in one outcome, in the model's unit
    /// (creator-days for Career), for throughput figures. Zero when the
    /// notion does not apply.
    fn simulated_time(&self, outcome: &Self::Outcome) -> u64 {
        let _ = outcome;
        0
    }

    /// Appends one CSV row (ending in a newline) describing trial `trial`'s
    /// outcome, for a run that writes its trials
    /// ([`crate::runner::Runner::rows`]). Models without rows write nothing
    /// (the default).
    fn write_row(&self, trial: u64, outcome: &Self::Outcome, out: &mut Vec<u8>) {
        let _ = (trial, outcome, out);
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
    /// The invariants a summary read from a file must meet beyond its
    /// shape: counts within the trials they are counted among, nested
    /// counts nested (reaching mega implies reaching nano), sums that fit
    /// their counts. `Err` says which, in words. Every summary clout reads
    /// back (`merge`, `--resume`, `plot`) is checked here before a report is
    /// made from it, so a forged or damaged record is refused instead of
    /// believed. Summaries whose every value is valid by construction keep
    /// the default.
    fn check(&self) -> Result<(), String> {
        Ok(())
    }
    /// Whether `other` was kept with the same settings (histogram
    /// precisions, tier thresholds...), so the two can merge. Summaries of
    /// one shape whatever their settings keep the default.
    fn same_shape(&self, other: &Self) -> bool {
        let _ = other;
        true
    }
}

/// `Err` naming `what` when `count` exceeds `among` (of `whole`): the
/// common check of [`Summary::check`].
pub fn within_count(what: &str, count: u64, whole: &str, among: u64) -> Result<(), String> {
    if count <= among { Ok(()) } else { Err(format!("{what} is {count}, more than the {among} {whole}")) }
}
