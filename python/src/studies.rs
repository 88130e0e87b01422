//! Running studies from Python: runs, sweeps, attribution, the delusion gap
//! (on the executor, as `clout run`, `sweep`, `attribute` and `delusion`
//! run them), comparisons and forecasts. Each turns its arguments into the
//! command line's overrides and calls the library.

use crate::record::{Kind, PyRecord};
use crate::scenario::PyScenario;
use crate::{bad, interrupted, stoppable, threads};
use clout::Runner;
use clout::scenario::StudyKind;
use clout::scenario::sweep::Sweep;
use clout::study::attribute::Attribution;
use clout::study::delusion::Delusion;
use clout::study::executor::{self, RecordOf, Shard, Study};
use clout::study::run::PlainRun;
use pyo3::prelude::*;
use std::path::PathBuf;

/// How a study runs: the runner's settings and the pieces asked for.
struct Options {
    seed: u64,
    threads: usize,
    shard: Shard,
    resume: Vec<Kind>,
    allow_large: bool,
}

/// `--years` and `--target` of the command line, applied to `scenario` as
/// `clout run` applies them (a cohort's horizon, with the description
/// saying so; the goal, which a `[rare]` or `[delusion]` level gives way to;
/// an income a year; an engaged audience where `kind` answers about one,
/// [`clout::scenario::Target::check_asked_by`]).
fn goal_and_years(
    scenario: &mut clout::Scenario,
    kind: StudyKind,
    target: Option<&str>,
    years: Option<f64>,
) -> PyResult<()> {
    if let Some(years) = years {
        scenario.follow_for_years(years).map_err(|e| bad(format!("years = {years}: {e}")))?;
    }
    if let Some(text) = target {
        let target =
            clout::scenario::Target::parse(text).map_err(|e| bad(format!("target = {text:?}: {e}")))?;
        target.check_asked_by(kind).map_err(|e| bad(format!("target = {text:?}: {e}")))?;
        scenario.aim(target).map_err(|e| bad(format!("target = {text:?}: {e}")))?;
    }
    Ok(())
}

/// Runs `study` with `options` (the whole run, a shard, or the rest of
/// interrupted pieces) with the GIL released and Ctrl-C watched; `wrap` and
/// `unwrap` move its records in and out of [`Kind`].
fn execute<S: Study>(
    py: Python<'_>,
    study: &S,
    options: Options,
    wrap: fn(RecordOf<S>) -> Kind,
    unwrap: fn(&Kind) -> Option<&RecordOf<S>>,
) -> PyResult<PyRecord>
where
    RecordOf<S>: Send + Sync,
{
    let Options { seed, threads, shard, resume, allow_large } = options;
    let used = Runner::new(seed).threads(threads).threads_used();
    executor::check_size(S::NAME, study.careers() / shard.count.max(1), used, allow_large)
        .map_err(|e| bad(format!("arguments: {e} (allow_large=True)")))?;
    let mut pieces = Vec::with_capacity(resume.len());
    for piece in &resume {
        pieces.push(unwrap(piece).cloned().ok_or_else(|| {
            bad(format!("resume: records of a {} are resumed with records of a {}", S::NAME, S::NAME))
        })?);
    }
    let names: Vec<String> = (1..=pieces.len()).map(|i| format!("resume[{}]", i - 1)).collect();
    let done = if pieces.is_empty() {
        None
    } else {
        Some(executor::merge::<S>(&pieces, &names, true).map_err(bad)?)
    };
    let (result, signal) = stoppable(py, |stop| {
        let runner = Runner::new(seed).threads(threads).stop_on(stop);
        match &done {
            None => executor::run(study, &runner, shard).map_err(|e| format!("arguments: {e}")),
            Some(done) => {
                executor::resume(study, &runner, shard, done, &names.join(" + ")).map_err(|e| e.to_string())
            }
        }
    });
    let record = PyRecord { kind: wrap(result.map_err(bad)?) };
    match signal {
        None => Ok(record),
        Some(signal) => {
            let held = record.coverage_text().unwrap_or_else(|| "every trial".into());
            Err(interrupted(py, signal, Py::new(py, record)?.into_any(), &held))
        }
    }
}

/// Runs a study of `scenario`: `kind` is ``run`` (plain or conditional),
/// ``sweep``, ``attribute`` or ``delusion``. The Python functions of
/// ``clout`` (``Scenario.run``, ``Scenario.sweep``, ...) call this.
#[pyfunction]
#[pyo3(signature = (kind, scenario, *, seed = None, threads = None, target = None, years = None,
                    shard = None, resume = Vec::new(), allow_large = false))]
#[allow(clippy::too_many_arguments)] // keyword arguments of one Python call
pub fn run_study(
    py: Python<'_>,
    kind: &str,
    scenario: &PyScenario,
    seed: Option<u64>,
    threads: Option<usize>,
    target: Option<String>,
    years: Option<f64>,
    shard: Option<(u64, u64)>,
    resume: Vec<PyRef<'_, PyRecord>>,
    allow_large: bool,
) -> PyResult<PyRecord> {
    let mut inner = scenario.inner.clone();
    if let Some(seed) = seed {
        if seed > i64::MAX as u64 {
            return Err(bad(format!("seed = {seed}: must be a whole number from 0 to {}", i64::MAX)));
        }
        inner.run.seed = seed;
    }
    let kind = StudyKind::parse(kind).map_err(bad)?;
    goal_and_years(&mut inner, kind, target.as_deref(), years)?;
    let options = Options {
        seed: inner.run.seed,
        threads: self::threads(threads)?,
        shard: shard.map_or(Shard::WHOLE, |(index, count)| Shard { index, count }),
        resume: resume.iter().map(|r| r.kind.clone()).collect(),
        allow_large,
    };
    let source = &scenario.source;
    let built = |e: clout::error::FieldError| bad(format!("{source}: {e}"));
    match kind {
        StudyKind::Run => {
            let study = PlainRun::new(&inner).map_err(built)?;
            execute(py, &study, options, Kind::Run, |k| if let Kind::Run(r) = k { Some(r) } else { None })
        }
        StudyKind::Sweep => {
            let study = inner.sweep().map_err(bad)?;
            execute::<Sweep>(py, &study, options, Kind::Sweep, |k| {
                if let Kind::Sweep(r) = k { Some(r) } else { None }
            })
        }
        StudyKind::Attribute => {
            inner.attribute.get_or_insert_default();
            let study = Attribution::new(&inner).map_err(built)?;
            execute(py, &study, options, Kind::Attribution, |k| {
                if let Kind::Attribution(r) = k { Some(r) } else { None }
            })
        }
        StudyKind::Delusion => {
            let study = Delusion::new(&inner).map_err(built)?;
            execute(py, &study, options, Kind::Delusion, |k| {
                if let Kind::Delusion(r) = k { Some(r) } else { None }
            })
        }
    }
}

/// Compares the Career variants of a compare file (or a built-in
/// comparison, e.g. ``variants-2026``), as ``clout compare`` does:
/// ``trials`` and ``seed`` are its ``--trials`` and ``--seed``; ``resume``
/// a record of the same comparison stopped by Ctrl-C.
#[pyfunction]
#[pyo3(signature = (comparison, *, trials = None, seed = None, threads = None, resume = None))]
pub fn compare(
    py: Python<'_>,
    comparison: &str,
    trials: Option<u64>,
    seed: Option<u64>,
    threads: Option<usize>,
    resume: Option<PyRef<'_, PyRecord>>,
) -> PyResult<PyRecord> {
    let built =
        py.detach(|| clout::study::compare::Comparison::open(comparison, trials, seed)).map_err(bad)?;
    let done = match resume.as_deref().map(|r| &r.kind) {
        None => None,
        Some(Kind::Compare(done)) => Some(done.clone()),
        Some(_) => return Err(bad("resume: a comparison is resumed with a comparison's record")),
    };
    let threads = self::threads(threads)?;
    let seed = built.spec().answers.seed;
    let (result, signal) = stoppable(py, |stop| {
        let runner = Runner::new(seed).threads(threads).stop_on(stop);
        let observe = |_: usize, _: &str, _: &str| {};
        match &done {
            None => built.run(&runner, &observe).map_err(|e| format!("{comparison}: {e}")),
            Some(done) => built.resume(&runner, done, "resume", &observe).map_err(|e| e.to_string()),
        }
    });
    let record = PyRecord { kind: Kind::Compare(result.map_err(bad)?) };
    match signal {
        None => Ok(record),
        Some(signal) => Err(interrupted(py, signal, Py::new(py, record)?.into_any(), "the variants done")),
    }
}

/// A creator's own follower history in, their chances out, as ``clout
/// forecast`` does (its flags are the keyword arguments).
#[pyfunction]
#[pyo3(signature = (history, *, scenario = None, years = 3.0, target = None, started = None,
                    platform_day = None, particles = None, replicates = None, noise = None,
                    seed = None, threads = None))]
#[allow(clippy::too_many_arguments)] // keyword arguments of one Python call
pub fn forecast(
    py: Python<'_>,
    history: PathBuf,
    scenario: Option<&PyScenario>,
    years: f64,
    target: Option<String>,
    started: Option<String>,
    platform_day: Option<f64>,
    particles: Option<usize>,
    replicates: Option<usize>,
    noise: Option<f64>,
    seed: Option<u64>,
    threads: Option<usize>,
) -> PyResult<PyRecord> {
    use clout::experiment::forecast::history::{HistoryOptions, parse_date};
    use clout::experiment::forecast::{ForecastSpec, Known};
    use clout::study::forecast::{ForecastRecord, read_history};
    let mut scenario = match scenario {
        Some(s) => s.inner.clone(),
        None => clout::Scenario::builtin("default").map_err(bad)?,
    };
    if let Some(text) = &target {
        let goal = clout::tier::Goal::parse(text).map_err(|e| bad(format!("target = {text:?}: {e}")))?;
        scenario.tiers.get_or_insert_default().goal = goal;
    }
    if !(0.1..=100.0).contains(&years) {
        return Err(bad(format!("years = {years}: must be a number of years from 0.1 to 100")));
    }
    let started = match &started {
        None => None,
        Some(text) => Some(
            parse_date(text).ok_or_else(|| bad(format!("started = {text:?}: must be a date YYYY-MM-DD")))?,
        ),
    };
    let file = history.display().to_string();
    let read = read_history(&history, HistoryOptions { started }).map_err(bad)?;
    let known = Known { effort: read.posts_per_week, entry_day: platform_day };
    let defaults = ForecastSpec::default();
    let spec = ForecastSpec {
        particles: particles.unwrap_or(defaults.particles),
        replicates: replicates.unwrap_or(defaults.replicates),
        noise: noise.unwrap_or(defaults.noise),
        years,
        seed: seed.unwrap_or(scenario.run.seed),
        ..defaults
    };
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(self::threads(threads)?)
        .build()
        .map_err(|e| bad(format!("threads: {e}")))?;
    let (result, signal) =
        stoppable(py, |_| pool.install(|| ForecastRecord::run(&scenario, &file, read, known, spec)));
    let record = PyRecord { kind: Kind::Forecast(result.map_err(|e| bad(format!("{file}: {e}")))?) };
    match signal {
        None => Ok(record),
        Some(signal) => Err(interrupted(py, signal, Py::new(py, record)?.into_any(), "the whole forecast")),
    }
}
