//! One row per trial, written in trial order while a run proceeds, in
//! bounded memory (see [`RowSink`]).

use std::collections::BTreeMap;
use std::io::Write;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Condvar, Mutex, MutexGuard};

/// Where a run's rows go ([`crate::Runner::rows`]): each worker writes the
/// rows of the chunk it runs ([`crate::Model::write_row`]) into a buffer of
/// its own and hands it here; the buffers are written to the output in
/// trial order as soon as every earlier chunk's is. A worker does not start
/// a chunk more than [`RowSink::window`] trials past the first one not yet
/// written, so memory is bounded by that window whatever the number of
/// trials. Chunks claimed are always finished (the runner's contract), so
/// the chunk holding the first unwritten trial is always being run and the
/// wait ends.
///
/// A failed write is kept ([`RowSink::finish`] returns it) and stops the
/// run: no worker claims another chunk.
///
/// ```
/// use clout::{Runner, runner::RowSink, model::career::{CareerModel, CareerSpec}};
/// let model = CareerModel::new(CareerSpec::default()).unwrap();
/// let mut csv = Vec::new();
/// let sink = RowSink::new(&mut csv);
/// sink.write_header(model.row_header().as_bytes());
/// let run = Runner::new(42).threads(2).rows(&sink).run(&model, 3_000);
/// assert_eq!(sink.finish().unwrap(), 3_000);
/// drop(sink);
/// assert_eq!(String::from_utf8(csv).unwrap().lines().count(), 1 + 3_000);
/// assert_eq!(run.trials, 0..3_000);
/// ```
pub struct RowSink<'w> {
    state: Mutex<Pending<'w>>,
    written: Condvar,
    failed: AtomicBool,
    window: u64,
}

struct Pending<'w> {
    /// The first trial whose row is not written yet.
    next: u64,
    /// Finished chunks waiting for earlier ones: first trial -> (end, rows).
    chunks: BTreeMap<u64, (u64, Vec<u8>)>,
    out: Box<dyn Write + Send + 'w>,
    rows: u64,
    error: Option<std::io::Error>,
}

impl<'w> RowSink<'w> {
    /// Trials a worker may run ahead of the first unwritten one, by
    /// default: 64 chunks (about 9 MB of Career rows).
    pub const WINDOW: u64 = 64 * crate::runner::Runner::CHUNK;

    /// A sink writing to `out` (buffered here).
    pub fn new(out: impl Write + Send + 'w) -> RowSink<'w> {
        RowSink {
            state: Mutex::new(Pending {
                next: 0,
                chunks: BTreeMap::new(),
                out: Box::new(std::io::BufWriter::with_capacity(1 << 16, out)),
                rows: 0,
                error: None,
            }),
            written: Condvar::new(),
            failed: AtomicBool::new(false),
            window: Self::WINDOW,
        }
    }

    /// The same sink letting workers run at most `trials` ahead (at least one chunk).
    pub fn with_window(mut self, trials: u64) -> Self {
        self.window = trials.max(crate::runner::Runner::CHUNK);
        self
    }

    /// Trials a worker may run ahead of the first unwritten one.
    pub fn window(&self) -> u64 {
        self.window
    }

    fn lock(&self) -> MutexGuard<'_, Pending<'w>> {
        self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Writes `bytes` (a header) before any row.
    pub fn write_header(&self, bytes: &[u8]) {
        let mut p = self.lock();
        if p.error.is_none()
            && let Err(e) = p.out.write_all(bytes)
        {
            p.error = Some(e);
            self.failed.store(true, Ordering::Relaxed);
        }
    }

    /// Whether a write failed (the run then stops claiming chunks).
    pub fn failed(&self) -> bool {
        self.failed.load(Ordering::Relaxed)
    }

    /// Trials whose rows were written so far (one row each for a model
    /// with rows, [`crate::Model::write_row`]).
    pub fn rows(&self) -> u64 {
        self.lock().rows
    }

    /// Flushes the output: the trials whose rows were written, or the
    /// first write error.
    pub fn finish(&self) -> std::io::Result<u64> {
        let mut p = self.lock();
        if let Some(e) = p.error.take() {
            return Err(e);
        }
        p.out.flush()?;
        Ok(p.rows)
    }
}

/// What the runner asks of a [`RowSink`] (whatever its output's lifetime).
pub(crate) trait ChunkRows: Sync {
    /// Rows of a range starting at `first` come next (the runner calls it
    /// before each range it runs).
    fn begin(&self, first: u64);
    /// Waits until the chunk starting at `first` is within the window.
    fn wait_for_room(&self, first: u64);
    /// The rows of trials `first..end`, written now if every earlier row is.
    fn put(&self, first: u64, end: u64, rows: Vec<u8>);
    /// Whether a write failed.
    fn failed(&self) -> bool;
}

impl ChunkRows for RowSink<'_> {
    fn begin(&self, first: u64) {
        let mut p = self.lock();
        debug_assert!(p.chunks.is_empty(), "every chunk of the previous range was written");
        p.next = first;
    }

    fn wait_for_room(&self, first: u64) {
        let mut p = self.lock();
        while first >= p.next.saturating_add(self.window) {
            p = self.written.wait(p).unwrap_or_else(|poisoned| poisoned.into_inner());
        }
    }

    fn failed(&self) -> bool {
        RowSink::failed(self)
    }

    fn put(&self, first: u64, end: u64, rows: Vec<u8>) {
        let mut guard = self.lock();
        let p = &mut *guard;
        p.chunks.insert(first, (end, rows));
        let mut wrote = false;
        while let Some((end, rows)) = p.chunks.remove(&p.next) {
            if p.error.is_none()
                && let Err(e) = p.out.write_all(&rows)
            {
                p.error = Some(e);
                self.failed.store(true, Ordering::Relaxed);
            }
            p.rows += end - p.next;
            p.next = end;
            wrote = true;
        }
        if wrote {
            self.written.notify_all();
        }
    }
}
