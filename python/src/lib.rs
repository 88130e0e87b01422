//! The Python bindings of clout (`import clout`): conversion only.
//!
//! Every call goes to the library's public API, as the `clout` command line
//! does: scenarios load and validate through [`clout::Scenario`], studies run
//! on [`clout::study::executor`] (shards, resume, interruption), records are
//! written as the command line writes them (pretty JSON and a newline, so the
//! same scenario and seed give the same bytes) and read back checked through
//! [`clout::study::files`]. Errors are raised as `clout.CloutError` (a
//! `ValueError`) with the library's one-line message; failed writes as
//! `OSError`.
//!
//! Runs release the GIL: the work runs on its own thread while the calling
//! thread, holding the GIL only for a moment every 100 ms, checks
//! for Ctrl-C; on it the run's stop flag rises, the run stops at a chunk
//! boundary, and `KeyboardInterrupt` is raised with the record of the trials
//! done as its `record` attribute (resume it with `resume=[record]`).

use pyo3::exceptions::{PyKeyboardInterrupt, PyOSError, PyValueError};
use pyo3::prelude::*;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

mod record;
mod scenario;
mod studies;

pyo3::create_exception!(
    clout,
    CloutError,
    PyValueError,
    "Bad input: a scenario, record, history or argument clout refuses. The message is the \
     command line's one line: the file, the field, the value and what is allowed."
);

/// A bad-input error with the library's one-line message.
pub(crate) fn bad(message: impl std::fmt::Display) -> PyErr {
    CloutError::new_err(clout::error::one_line(&message.to_string()).to_string())
}

/// A failed write, as `OSError`.
pub(crate) fn io_error(message: impl std::fmt::Display) -> PyErr {
    PyOSError::new_err(clout::error::one_line(&message.to_string()).to_string())
}

/// How often a waiting call takes the GIL to look for Ctrl-C.
const SIGNAL_POLL: Duration = Duration::from_millis(100);

/// How often, between those, it looks whether the work has finished (the
/// most a call returns after its work).
const FINISHED_POLL: Duration = Duration::from_millis(5);

/// Runs `work` (given the stop flag) on a thread of its own with the GIL
/// released, checking for Ctrl-C (and other signals Python handles) on the
/// calling thread meanwhile. Returns what `work` returned and the signal's
/// exception if one was raised: the flag rose and `work` returned what it
/// had done so far.
pub(crate) fn stoppable<T: Send>(
    py: Python<'_>,
    work: impl FnOnce(&AtomicBool) -> T + Send,
) -> (T, Option<PyErr>) {
    let stop = AtomicBool::new(false);
    std::thread::scope(|scope| {
        let handle = scope.spawn(|| work(&stop));
        let mut signal = None;
        loop {
            let finished = py.detach(|| {
                let started = std::time::Instant::now();
                while !handle.is_finished() && started.elapsed() < SIGNAL_POLL {
                    std::thread::sleep(FINISHED_POLL);
                }
                handle.is_finished()
            });
            if finished {
                break;
            }
            if let Err(e) = py.check_signals() {
                stop.store(true, Ordering::SeqCst);
                signal.get_or_insert(e);
            }
        }
        let value = match handle.join() {
            Ok(value) => value,
            Err(panic) => std::panic::resume_unwind(panic),
        };
        (value, signal)
    })
}

/// The exception for a run stopped by Ctrl-C: the signal's own exception
/// (`KeyboardInterrupt`) with `record` set to the record of the work done.
pub(crate) fn interrupted(py: Python<'_>, signal: PyErr, record: Py<PyAny>, held: &str) -> PyErr {
    let error = if signal.is_instance_of::<PyKeyboardInterrupt>(py) {
        PyKeyboardInterrupt::new_err(format!(
            "clout: stopped; the exception's `record` holds {held}: run the rest with resume=[record]"
        ))
    } else {
        signal
    };
    // Setting an attribute of a fresh exception instance cannot fail.
    let _ = error.value(py).setattr("record", record);
    error
}

/// Worker threads: `threads` when given, else the `CLOUT_THREADS`
/// environment variable, else 0 (one per core). Results never depend on it.
pub(crate) fn threads(threads: Option<usize>) -> PyResult<usize> {
    if let Some(threads) = threads {
        return Ok(threads);
    }
    match std::env::var("CLOUT_THREADS") {
        Err(_) => Ok(0),
        Ok(text) => clout::scenario::parse_whole(&text, 0, clout::Runner::MAX_THREADS as u64)
            .map(|t| t as usize)
            .ok_or_else(|| {
                bad(format!(
                    "CLOUT_THREADS = {text:?}: must be a whole number from 0 to {} (0: one per core)",
                    clout::Runner::MAX_THREADS
                ))
            }),
    }
}

/// The native half of the `clout` package (see `clout/__init__.py`).
#[pymodule]
fn _clout(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("CloutError", m.py().get_type::<CloutError>())?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add_class::<scenario::PyScenario>()?;
    m.add_class::<record::PyRecord>()?;
    m.add_function(wrap_pyfunction!(studies::run_study, m)?)?;
    m.add_function(wrap_pyfunction!(studies::compare, m)?)?;
    m.add_function(wrap_pyfunction!(studies::forecast, m)?)?;
    m.add_function(wrap_pyfunction!(record::read, m)?)?;
    m.add_function(wrap_pyfunction!(record::merge, m)?)?;
    m.add_function(wrap_pyfunction!(scenario::builtins, m)?)?;
    Ok(())
}
