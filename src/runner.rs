//! The Monte Carlo runner: many trials of any [`Model`], in parallel,
//! reproducible bit for bit.
//!
//! * Trial `i` of a run with seed `s` draws from the keyed streams
//!   `(s, i, source, 0)` of [`crate::random`]: one generator per source of
//!   randomness (each trait, each luck channel). The streams depend only on
//!   the key, never on which thread runs the trial.
//! * Trials are grouped in chunks of [`Runner::CHUNK`] indices; each chunk
//!   fills its own summary, and rayon merges the summaries as they finish.
//!   Summaries hold integer counts and sums only, so merging is exact and
//!   order-free: the result is identical on 1 or 64 threads and for any split
//!   of the trial range.
//! * Memory does not grow with the number of trials: rayon's reduction is a
//!   tree walked depth first, so a few summaries per thread are alive at once.
//!   The runner takes no lock, atomic or allocation per trial (one atomic add
//!   per chunk feeds the progress callback); a summary allocates only when a
//!   value first lands in a new histogram bucket or rank cell.

use crate::model::{Model, Summary};
use crate::random::TrialStreams;
use std::ops::Range;

/// The summary of a run together with its bookkeeping.
#[derive(Debug, Clone)]
pub struct RunOutput<S> {
    /// The statistics of the trials.
    pub summary: S,
    /// The seed of the run.
    pub seed: u64,
    /// The trial indices that were run.
    pub trials: Range<u64>,
    /// Simulated time in the model's unit (creator-days for Career).
    pub work: u64,
}

/// Runs trials of a model. Built with [`Runner::new`], adjusted with the
/// `threads` and `progress` methods.
///
/// ```
/// use clout::{Runner, model::career::{CareerModel, CareerSpec}};
/// let model = CareerModel::new(CareerSpec::default()).unwrap();
/// let one = Runner::new(42).threads(1).run(&model, 500);
/// let two = Runner::new(42).threads(2).run(&model, 500);
/// assert_eq!(one.summary, two.summary);
/// ```
pub struct Runner<'a> {
    seed: u64,
    threads: usize,
    progress: Option<&'a (dyn Fn(u64) + Sync)>,
    progress_offset: u64,
}

impl<'a> Runner<'a> {
    /// Trials per chunk: the unit of parallel work and of merging.
    pub const CHUNK: u64 = 1024;

    /// A runner with this seed, on all cores.
    pub fn new(seed: u64) -> Self {
        Runner { seed, threads: 0, progress: None, progress_offset: 0 }
    }

    /// The seed of the run.
    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// Most worker threads a runner starts.
    pub const MAX_THREADS: usize = 1024;

    /// Number of worker threads; 0 (the default) means one per core. More
    /// than [`Runner::MAX_THREADS`] are capped (results never depend on it).
    pub fn threads(mut self, threads: usize) -> Self {
        self.threads = threads.min(Self::MAX_THREADS);
        self
    }

    /// A callback told the number of trials finished so far, every few chunks.
    pub fn progress(mut self, callback: &'a (dyn Fn(u64) + Sync)) -> Self {
        self.progress = Some(callback);
        self
    }

    /// The same runner, adding `offset` to the counts its progress callback
    /// is told: for experiments that run several batches under one progress bar.
    pub fn with_progress_offset(&self, offset: u64) -> Runner<'a> {
        Runner { progress_offset: self.progress_offset + offset, ..*self }
    }

    /// Runs trials `0..trials`.
    pub fn run<M: Model>(&self, model: &M, trials: u64) -> RunOutput<M::Summary> {
        self.run_range(model, 0..trials)
    }

    /// Runs the trials with indices in `range`. The summaries of adjacent
    /// ranges merge into exactly the summary of their union, so a run can be
    /// split across processes or machines.
    pub fn run_range<M: Model>(&self, model: &M, range: Range<u64>) -> RunOutput<M::Summary> {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(self.threads)
            .build()
            .expect("a thread pool can be built");
        pool.install(|| self.run_in_pool(model, range))
    }

    fn run_in_pool<M: Model>(&self, model: &M, range: Range<u64>) -> RunOutput<M::Summary> {
        use rayon::prelude::*;
        use std::sync::atomic::{AtomicU64, Ordering};
        let first_chunk = range.start / Self::CHUNK;
        let end_chunk = range.end.div_ceil(Self::CHUNK);
        let done = AtomicU64::new(0);
        // Summaries merge exactly and in any order (the `Summary` contract), so
        // rayon may combine chunks however its work stealing finds best: no
        // barrier between waves of work, and still bit-identical results.
        let (summary, work) = (first_chunk..end_chunk)
            .into_par_iter()
            .map(|c| {
                let lo = (c * Self::CHUNK).max(range.start);
                let hi = ((c + 1) * Self::CHUNK).min(range.end);
                let part = self.run_chunk(model, lo..hi);
                if let Some(report) = self.progress {
                    report(self.progress_offset + done.fetch_add(hi - lo, Ordering::Relaxed) + (hi - lo));
                }
                part
            })
            .reduce(
                || (model.new_summary(), 0),
                |(mut a, wa), (b, wb)| {
                    a.merge(&b);
                    (a, wa + wb)
                },
            );
        RunOutput { summary, seed: self.seed, trials: range, work }
    }

    fn run_chunk<M: Model>(&self, model: &M, trials: Range<u64>) -> (M::Summary, u64) {
        let mut summary = model.new_summary();
        let mut work = 0u64;
        for trial in trials {
            let outcome = model.sample_trial(&TrialStreams::new(self.seed, trial));
            work += model.work(&outcome);
            summary.record(&outcome);
        }
        (summary, work)
    }
}
