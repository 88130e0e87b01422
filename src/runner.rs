//! The Monte Carlo runner: many trials of any [`Model`], in parallel,
//! reproducible bit for bit.
//!
//! * Trial `i` of a run with seed `s` draws from the keyed streams
//!   `(s, i, source, 0)` of [`crate::random`]: one generator per source of
//!   randomness (each trait, each luck channel). The streams depend only on
//!   the key, never on which thread runs the trial.
//! * Trials are grouped in chunks of [`Runner::CHUNK`] indices. Each worker
//!   thread claims the next chunk in index order (one atomic add) and
//!   records its trials into its own summary. Summaries hold integer counts
//!   and sums only, so merging is exact and order-free: the result is
//!   identical on 1 or 64 threads and for any split of the trial range.
//! * Claiming in order is what makes a run stoppable: when the flag given to
//!   [`Runner::stop_on`] is raised, no worker claims another chunk, each
//!   finishes the chunk in hand, and the trials done are exactly the prefix
//!   of the range up to the last chunk claimed ([`RunOutput::trials`]). A
//!   run of the rest of the range merges with it into the whole.
//! * Memory does not grow with the number of trials: one summary per
//!   thread, and the outcome of the trial in hand. The per-thread summaries
//!   are merged into the first of them, so a run's peak is `threads`
//!   summaries, never a copy per chunk (a sweep's summary holds every
//!   point's: docs/PERFORMANCE.md, "Memory"). The runner takes no lock,
//!   atomic or allocation per trial; a summary allocates only when a value
//!   first lands in a new histogram bucket or rank cell.
//! * A run can also write one row per trial ([`Runner::rows`]), in trial
//!   order, while it proceeds: each chunk's rows are written once every
//!   earlier chunk's are, and a worker runs at most a window of trials ahead
//!   of the first unwritten one ([`RowSink`]), so memory stays bounded.

mod rows;

use crate::model::{Model, Summary};
use crate::random::TrialStreams;
use rows::ChunkRows;
pub use rows::RowSink;
use std::ops::Range;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

/// The summary of a run together with its bookkeeping.
#[derive(Debug, Clone)]
pub struct RunOutput<S> {
    /// The statistics of the trials.
    pub summary: S,
    /// The seed of the run.
    pub seed: u64,
    /// The trial indices that were run: the whole range asked for, or a
    /// prefix of it when the run was stopped (see [`Runner::stop_on`]).
    pub trials: Range<u64>,
    /// Simulated time in the model's unit (creator-days for Career).
    pub work: u64,
}

/// What [`Runner::run_ranges`] did.
#[derive(Debug, Clone)]
pub struct RangesOutput<S> {
    /// The statistics of the trials run; `None` if none ran.
    pub summary: Option<S>,
    /// The trial ranges run: a prefix of those asked for, the last perhaps cut short.
    pub done: Vec<Range<u64>>,
    /// Simulated time in the model's unit.
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
    domain: u64,
    threads: usize,
    progress: Option<&'a (dyn Fn(u64) + Sync)>,
    progress_offset: u64,
    stop: Option<&'a AtomicBool>,
    rows: Option<&'a dyn ChunkRows>,
}

impl<'a> Runner<'a> {
    /// Trials per chunk: the unit of parallel work and of merging.
    pub const CHUNK: u64 = 1024;

    /// A runner with this seed, on all cores.
    pub fn new(seed: u64) -> Self {
        Runner { seed, domain: 0, threads: 0, progress: None, progress_offset: 0, stop: None, rows: None }
    }

    /// The seed of the run.
    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// The same runner on the streams of part `domain` of a study (see
    /// [`crate::random`]): trial `i` draws from `(seed, domain, i, ...)`.
    /// Domain 0, the default, is a plain run's.
    pub fn in_domain(&self, domain: u64) -> Runner<'a> {
        Runner { domain, ..*self }
    }

    /// The part of a study whose streams the runner draws from.
    pub fn domain(&self) -> u64 {
        self.domain
    }

    /// Most worker threads a runner starts.
    pub const MAX_THREADS: usize = 1024;

    /// Number of worker threads; 0 (the default) means one per core. More
    /// than [`Runner::MAX_THREADS`] are capped (results never depend on it).
    pub fn threads(mut self, threads: usize) -> Self {
        self.threads = threads.min(Self::MAX_THREADS);
        self
    }

    /// The worker threads a run will use: the set number, or one per core.
    pub fn threads_used(&self) -> usize {
        if self.threads == 0 { rayon::current_num_threads() } else { self.threads }
    }

    /// A callback told the number of trials finished so far, every few chunks.
    pub fn progress(mut self, callback: &'a (dyn Fn(u64) + Sync)) -> Self {
        self.progress = Some(callback);
        self
    }

    /// Stop early when `flag` is raised (by a signal handler, say): workers
    /// claim no new chunk, finish the chunks in hand, and the run returns the
    /// summary of the prefix of trials done, with that prefix in
    /// [`RunOutput::trials`]. Results never depend on when the flag rises,
    /// only how many trials they cover.
    ///
    /// ```
    /// use clout::{Runner, model::career::{CareerModel, CareerSpec}};
    /// use std::sync::atomic::{AtomicBool, Ordering};
    /// let model = CareerModel::new(CareerSpec::default()).unwrap();
    /// let stop = AtomicBool::new(false);
    /// let raise = |done: u64| if done >= 3_000 { stop.store(true, Ordering::Relaxed) };
    /// let part = Runner::new(42).threads(2).progress(&raise).stop_on(&stop).run(&model, 100_000);
    /// assert!(part.trials.end >= 3_000 && part.trials.end < 100_000);
    /// let rest = Runner::new(42).run_range(&model, part.trials.end..100_000);
    /// let mut summary = part.summary;
    /// clout::model::Summary::merge(&mut summary, &rest.summary);
    /// assert_eq!(summary, Runner::new(42).run(&model, 100_000).summary);
    /// ```
    pub fn stop_on(mut self, flag: &'a AtomicBool) -> Self {
        self.stop = Some(flag);
        self
    }

    /// Whether the stop flag (if any) has been raised, or writing rows failed.
    pub fn stopped(&self) -> bool {
        self.stop.is_some_and(|flag| flag.load(Ordering::Relaxed)) || self.rows.is_some_and(|r| r.failed())
    }

    /// Also write one row per trial into `sink`, in trial order, as the run
    /// proceeds ([`Model::write_row`]; models without rows write none).
    /// Stopped runs write the rows of exactly the trials they ran; a failed
    /// write stops the run (see [`RowSink::finish`]).
    pub fn rows<'b>(&self, sink: &'b RowSink<'_>) -> Runner<'b>
    where
        'a: 'b,
    {
        Runner { rows: Some(sink), ..*self }
    }

    /// The same runner (seed, threads) without progress callback, stop
    /// flag or rows: for work that must finish, such as a rare-event pilot.
    pub fn unattended(&self) -> Runner<'a> {
        Runner { progress: None, stop: None, rows: None, ..*self }
    }

    /// The same threads and stop flag with another seed, without the
    /// progress callback or rows: for work of many runs that reports its
    /// own progress but must stop when asked (a calibration's evaluations).
    pub fn reseeded_stoppable(&self, seed: u64) -> Runner<'a> {
        Runner { seed, domain: 0, progress: None, progress_offset: 0, rows: None, ..*self }
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

    /// Runs `ranges` in order, as [`Runner::run_range`] each, until the stop
    /// flag rises: the merged summary (`None` if no trial ran), the ranges
    /// done (a prefix of `ranges`, the last perhaps cut short) and the
    /// simulated time. `offset` counts the trials done for the progress
    /// callback, across calls.
    pub fn run_ranges<M: Model>(
        &self,
        model: &M,
        ranges: &[Range<u64>],
        offset: &mut u64,
    ) -> RangesOutput<M::Summary> {
        let mut out: RangesOutput<M::Summary> = RangesOutput { summary: None, done: Vec::new(), work: 0 };
        for range in ranges {
            if self.stopped() {
                break;
            }
            let run = self.with_progress_offset(*offset).run_range(model, range.clone());
            *offset += run.trials.end - run.trials.start;
            out.work += run.work;
            if !run.trials.is_empty() {
                out.done.push(run.trials.clone());
                match out.summary.as_mut() {
                    Some(s) => s.merge(&run.summary),
                    None => out.summary = Some(run.summary),
                }
            }
            if run.trials.end < range.end {
                break;
            }
        }
        out
    }

    fn run_in_pool<M: Model>(&self, model: &M, range: Range<u64>) -> RunOutput<M::Summary> {
        if let Some(sink) = self.rows {
            sink.begin(range.start);
        }
        let first_chunk = range.start / Self::CHUNK;
        let end_chunk = range.end.div_ceil(Self::CHUNK);
        let next = AtomicU64::new(first_chunk);
        let done = AtomicU64::new(0);
        // Every worker claims chunks in index order until none is left or the
        // stop flag rises; every chunk claimed is finished. Summaries merge
        // exactly and in any order (the `Summary` contract), so each worker
        // records into one summary of its own (no summary per chunk: a
        // sweep's holds every point's), and the per-thread summaries are
        // merged into the first at the end.
        let parts = rayon::broadcast(|_| {
            let mut summary = model.new_summary();
            let mut work = 0u64;
            while !self.stopped() {
                let c = next.fetch_add(1, Ordering::Relaxed);
                if c >= end_chunk {
                    break;
                }
                let lo = (c * Self::CHUNK).max(range.start);
                let hi = ((c + 1) * Self::CHUNK).min(range.end);
                work += match self.rows {
                    None => self.run_chunk(model, lo..hi, &mut summary, None),
                    Some(sink) => {
                        sink.wait_for_room(lo);
                        let mut rows = Vec::new();
                        let ran = self.run_chunk(model, lo..hi, &mut summary, Some(&mut rows));
                        sink.put(lo, hi, rows);
                        ran
                    }
                };
                if let Some(report) = self.progress {
                    report(self.progress_offset + done.fetch_add(hi - lo, Ordering::Relaxed) + (hi - lo));
                }
            }
            (summary, work)
        });
        let mut parts = parts.into_iter();
        let (mut summary, mut work) = parts.next().unwrap_or_else(|| (model.new_summary(), 0));
        for (part, part_work) in parts {
            summary.merge(&part);
            work += part_work;
        }
        // The chunks claimed are first_chunk..claimed, all finished.
        let claimed = next.load(Ordering::Relaxed).min(end_chunk);
        let end = (claimed * Self::CHUNK).clamp(range.start, range.end);
        RunOutput { summary, seed: self.seed, trials: range.start..end, work }
    }

    /// Runs `trials` into `summary` (recording a trial is merging the
    /// summary of that trial alone: exact), writing their rows into `rows`
    /// if given; returns their simulated time.
    fn run_chunk<M: Model>(
        &self,
        model: &M,
        trials: Range<u64>,
        summary: &mut M::Summary,
        mut rows: Option<&mut Vec<u8>>,
    ) -> u64 {
        let mut work = 0u64;
        for trial in trials {
            let outcome = model.sample_trial(&TrialStreams::in_domain(self.seed, self.domain, trial));
            work += model.simulated_time(&outcome);
            summary.record(&outcome);
            if let Some(rows) = rows.as_deref_mut() {
                model.write_row(trial, &outcome, rows);
            }
        }
        work
    }
}
