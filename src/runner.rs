//! The Monte Carlo runner: many trials of any [`Model`], in parallel,
//! reproducible bit for bit.
//!
//! * Trial `i` of a run with seed `s` draws from its own generator,
//!   xoshiro256++ (Blackman & Vigna 2021, ACM TOMS 47(4):36) whose 256-bit
//!   state is the `i`-th block of four outputs of a SplitMix64 stream started
//!   at the first output of SplitMix64(`s`). The streams depend only on
//!   `(s, i)`, never on which thread runs the trial, and both generators are
//!   fixed algorithms (not `StdRng`/`SmallRng`, which may change between
//!   releases of rand).
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
use rand::{Rng, SeedableRng};
use rand_xoshiro::{SplitMix64, Xoshiro256PlusPlus};
use std::ops::Range;

/// The generator each trial draws from.
pub type TrialRng = Xoshiro256PlusPlus;

/// The generator of trial `trial` in a run seeded with `seed` (see the module docs).
pub fn trial_rng(seed: u64, trial: u64) -> TrialRng {
    trial_rng_from_base(stream_base(seed), trial)
}

/// Where the SplitMix64 stream of a run's trial states starts.
fn stream_base(seed: u64) -> u64 {
    SplitMix64::seed_from_u64(seed).next_u64()
}

fn trial_rng_from_base(base: u64, trial: u64) -> TrialRng {
    const GAMMA: u64 = 0x9E37_79B9_7F4A_7C15; // SplitMix64's increment
    let mut words = SplitMix64::seed_from_u64(base.wrapping_add(trial.wrapping_mul(4).wrapping_mul(GAMMA)));
    let mut state = [0u8; 32];
    for word in state.chunks_exact_mut(8) {
        word.copy_from_slice(&words.next_u64().to_le_bytes());
    }
    Xoshiro256PlusPlus::from_seed(state)
}

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
}

impl<'a> Runner<'a> {
    /// Trials per chunk: the unit of parallel work and of merging.
    pub const CHUNK: u64 = 1024;

    /// A runner with this seed, on all cores.
    pub fn new(seed: u64) -> Self {
        Runner { seed, threads: 0, progress: None }
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
                    report(done.fetch_add(hi - lo, Ordering::Relaxed) + (hi - lo));
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
        let base = stream_base(self.seed);
        for trial in trials {
            let mut rng = trial_rng_from_base(base, trial);
            let outcome = model.sample_trial(&mut rng);
            work += model.work(&outcome);
            summary.record(&outcome);
        }
        (summary, work)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trial_streams_differ_and_are_reproducible() {
        let a: Vec<u64> = (0..4).map(|t| trial_rng(1, t).next_u64()).collect();
        let b: Vec<u64> = (0..4).map(|t| trial_rng(1, t).next_u64()).collect();
        assert_eq!(a, b);
        let mut sorted = a.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(sorted.len(), 4);
        assert_ne!(trial_rng(1, 0).next_u64(), trial_rng(2, 0).next_u64());
    }

    #[test]
    fn trial_stream_is_pinned() {
        // Changing the seeding scheme changes every published number, so it is
        // pinned to a value computed independently (a 10-line Python script of
        // SplitMix64 and xoshiro256++ from their papers' reference code).
        assert_eq!(trial_rng(2026, 7).next_u64(), 6_200_701_433_525_479_528);
    }
}
