//! Stopping and resuming a calibration (issue 19).
//!
//! Every evaluation of the model a calibration makes (the search's points,
//! the Jacobian's for the intervals, the fitted point on new luck) goes
//! through one log, which keeps its key (what it is for, the parameter
//! point `theta` as exact `f64` bits, the careers, the seed) and its
//! mergeable [`BandCounts`]. When the runner's stop flag rises, the
//! evaluation in flight is dropped (never kept half) and the calibration
//! returns a [`CalibrationPiece`] holding the evaluations that finished.
//!
//! Resuming runs the whole calibration again with the piece as a cache: an
//! evaluation whose key the piece holds takes its stored counts instead of
//! running. The objective is a deterministic function of `theta` (common
//! random numbers), so the search retraces the interrupted run's path, then
//! goes on; the record is the uninterrupted run's, byte for byte. A piece is
//! checked before it is trusted ([`Calibration::check_piece`]).

use super::{BandCounts, Calibration, CalibrationRecord, TargetsSpec, WEIGHT_ONE};
use crate::error::{FieldError, ScenarioError};
use crate::model::{MAX_TRIALS, Summary, within_count};
use crate::runner::Runner;
use crate::scenario::Scenario;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

/// What an evaluation of the model is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EvaluationKind {
    /// A point of the Nelder-Mead search (`run.trials` careers on `run.seed`).
    Search,
    /// A point of the search's coarse rounds (the first
    /// [`CalibrationRun::coarse_trials`](super::CalibrationRun::coarse_trials)
    /// careers on `run.seed`).
    Coarse,
    /// A point of the Jacobian at the optimum, for the intervals (the
    /// search's careers and seed).
    Interval,
    /// The fitted point on new luck (`run.verify_trials` careers on
    /// `run.seed + 1`): the bands, the deviance and the held-out checks.
    Verification,
}

impl EvaluationKind {
    /// The word used in tables.
    pub fn name(self) -> &'static str {
        match self {
            EvaluationKind::Search => "search",
            EvaluationKind::Coarse => "coarse search",
            EvaluationKind::Interval => "interval",
            EvaluationKind::Verification => "verification",
        }
    }
}

/// One evaluation of the model: `trials` careers at the point `theta` on the
/// streams of `seed`, and what they gave.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Evaluation {
    /// What it is for.
    pub kind: EvaluationKind,
    /// The parameter point, in the order of the targets' `[fit]`, each value
    /// as its IEEE 754 bits (`f64::to_bits`): the key is exact, whatever a
    /// JSON reader does with decimals.
    pub theta_bits: Vec<u64>,
    /// Careers run.
    pub trials: u64,
    /// The seed of their streams.
    pub seed: u64,
    /// Their final followers, counted between the calibration's edges.
    pub counts: BandCounts,
}

impl Evaluation {
    /// The parameter point.
    pub fn theta(&self) -> Vec<f64> {
        self.theta_bits.iter().map(|&b| f64::from_bits(b)).collect()
    }
}

/// The record of a calibration stopped part way (SIGINT, SIGTERM, a raised
/// stop flag): the evaluations that finished, to resume it from
/// ([`Calibration::resume`]). It has the schema of [`CalibrationRecord`],
/// `"interrupted": true`, and `evaluations` in place of `report`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CalibrationPiece {
    /// Schema identifier ([`CalibrationRecord::SCHEMA`]).
    pub schema: String,
    /// The clout version that ran it (only that version resumes it).
    pub clout_version: String,
    /// The targets, as read (with `--trials` and `--seed` applied).
    pub targets: TargetsSpec,
    /// The base scenario, resolved.
    pub scenario: Scenario,
    /// Always `true`: a piece, not a finished calibration.
    pub interrupted: bool,
    /// The evaluations that finished, in the order they were made.
    pub evaluations: Vec<Evaluation>,
}

impl CalibrationPiece {
    /// How many evaluations of each kind it holds: search (coarse or not),
    /// interval, verification.
    pub fn held(&self) -> [usize; 3] {
        let count = |k: EvaluationKind| self.evaluations.iter().filter(|e| e.kind == k).count();
        [
            count(EvaluationKind::Search) + count(EvaluationKind::Coarse),
            count(EvaluationKind::Interval),
            count(EvaluationKind::Verification),
        ]
    }

    /// What it holds, in words: `17 evaluations (15 of the search, 2 for the intervals)`.
    pub fn held_in_words(&self) -> String {
        let [search, interval, verification] = self.held();
        let mut parts = vec![format!("{search} of the search")];
        if interval > 0 {
            parts.push(format!("{interval} for the intervals"));
        }
        if verification > 0 {
            parts.push(format!("{verification} on new luck"));
        }
        let n = self.evaluations.len();
        format!("{n} evaluation{} ({})", if n == 1 { "" } else { "s" }, parts.join(", "))
    }
}

/// What a calibration gave: its record, or the piece of one stopped part way.
#[derive(Debug, Clone, PartialEq)]
pub enum Calibrated {
    /// It finished.
    Finished(Box<CalibrationRecord>),
    /// The runner's stop flag rose first: the evaluations that finished.
    Interrupted(Box<CalibrationPiece>),
}

/// The key of an evaluation: kind, theta's bits, trials, seed.
type Key = (EvaluationKind, Vec<u64>, u64, u64);

/// The one place every evaluation of a calibration goes through: it takes
/// an evaluation from the piece being resumed when the piece holds its key,
/// else runs it, and keeps every evaluation that finished, in order.
pub(super) struct Log<'a> {
    cache: HashMap<Key, &'a BandCounts>,
    done: Mutex<Vec<Evaluation>>,
    stopped: AtomicBool,
}

impl<'a> Log<'a> {
    /// A log that takes the evaluations of `resumed` (checked) instead of running them.
    pub(super) fn new(resumed: Option<&'a CalibrationPiece>) -> Log<'a> {
        let cache = resumed
            .map(|p| {
                p.evaluations
                    .iter()
                    .map(|e| ((e.kind, e.theta_bits.clone(), e.trials, e.seed), &e.counts))
                    .collect()
            })
            .unwrap_or_default();
        Log { cache, done: Mutex::new(Vec::new()), stopped: AtomicBool::new(false) }
    }

    /// The counts of `trials` careers at `theta` on `runner`'s seed, for
    /// `kind`: from the cache, or run. An evaluation cut short by the stop
    /// flag is an error, and is not kept.
    pub(super) fn counts(
        &self,
        calibration: &Calibration,
        kind: EvaluationKind,
        theta: &[f64],
        runner: &Runner,
        trials: u64,
    ) -> Result<BandCounts, FieldError> {
        let theta_bits: Vec<u64> = theta.iter().map(|v| v.to_bits()).collect();
        let key = (kind, theta_bits, trials, runner.seed());
        let counts = match self.cache.get(&key) {
            Some(&counts) => counts.clone(),
            None => calibration.whole_counts_at(theta, runner, trials)?.ok_or_else(|| {
                self.stopped.store(true, Ordering::SeqCst);
                super::stopped_error()
            })?,
        };
        let (kind, theta_bits, trials, seed) = key;
        let evaluation = Evaluation { kind, theta_bits, trials, seed, counts: counts.clone() };
        self.done.lock().expect("not poisoned").push(evaluation);
        Ok(counts)
    }

    /// Whether an evaluation was cut short by the stop flag.
    pub(super) fn stopped(&self) -> bool {
        self.stopped.load(Ordering::SeqCst)
    }

    /// The evaluations that finished, in order.
    pub(super) fn into_evaluations(self) -> Vec<Evaluation> {
        self.done.into_inner().expect("not poisoned")
    }
}

/// The largest weight of one career in fixed point: `2 x 2^32` (see [`super::BandModel`]).
const MAX_WEIGHT: u128 = 2 * WEIGHT_ONE as u128;

impl BandCounts {
    /// [`Summary::check`] of band counts (documented there).
    pub(super) fn check_invariants(&self) -> Result<(), String> {
        self.check_shape()?;
        within_count("the careers", self.trials, "a run may have", MAX_TRIALS)?;
        let total = self.counts.iter().map(|&c| u128::from(c)).sum::<u128>();
        if total != u128::from(self.trials) {
            return Err(format!("its bins count {total} careers, its trials {}", self.trials));
        }
        for (i, (&c, (&w, &q))) in self.counts.iter().zip(self.weights.iter().zip(&self.squares)).enumerate()
        {
            // Each count is at most MAX_TRIALS (checked above): no overflow.
            let n = u128::from(c);
            if w > n * MAX_WEIGHT || q > n * MAX_WEIGHT * MAX_WEIGHT {
                return Err(format!("bin {i}: weights above what {c} careers can weigh"));
            }
            if (w as f64).powi(2) > n as f64 * q as f64 * (1.0 + 1e-12) {
                return Err(format!("bin {i}: the weight sum does not fit its sum of squares"));
            }
        }
        Ok(())
    }

    /// The shape of counts between `edges`: increasing edges, and one count,
    /// weight sum and squared-weight sum per bin.
    fn check_shape(&self) -> Result<(), String> {
        if !self.edges.windows(2).all(|w| w[0] < w[1]) {
            return Err("its edges are not increasing".into());
        }
        let bins = self.edges.len() + 1;
        if [self.counts.len(), self.weights.len(), self.squares.len()] != [bins; 3] {
            return Err(format!(
                "it has {} counts, {} weight sums and {} squared-weight sums for {bins} bins",
                self.counts.len(),
                self.weights.len(),
                self.squares.len()
            ));
        }
        Ok(())
    }
}

impl Calibration {
    /// Checks that `piece` (read from `name`) is a piece of this calibration
    /// and that its counts can be: the schema, this clout's version, the
    /// seed, the careers, the targets and base scenario field for field, and
    /// each evaluation's key and counts (the calibration's edges, counts
    /// adding up to its careers, weight sums within what that many careers
    /// can weigh). Each refusal is one line naming `name` and the field.
    pub fn check_piece(&self, piece: &CalibrationPiece, name: &str) -> Result<(), ScenarioError> {
        let invalid = |error| ScenarioError::Invalid { source_name: name.to_string(), error };
        self.check_piece_header(piece).map_err(invalid)?;
        for (i, e) in piece.evaluations.iter().enumerate() {
            self.check_evaluation(e).map_err(|e| invalid(e.within(&format!("evaluations[{i}]"))))?;
        }
        Ok(())
    }

    /// The fields that say which calibration a piece is of.
    fn check_piece_header(&self, piece: &CalibrationPiece) -> Result<(), FieldError> {
        let version = env!("CARGO_PKG_VERSION");
        let (ours, theirs) = (&self.spec.run, &piece.targets.run);
        if piece.schema != CalibrationRecord::SCHEMA {
            return Err(FieldError::new(
                "schema",
                format!("{:?}", piece.schema),
                format!("must be {:?}", CalibrationRecord::SCHEMA),
            ));
        }
        if !piece.interrupted {
            return Err(FieldError::new(
                "interrupted",
                false,
                "must be true: a piece of a calibration stopped part way",
            ));
        }
        if piece.clout_version != version {
            return Err(FieldError::new(
                "clout_version",
                &piece.clout_version,
                format!("must be {version}, the version resuming it (resume with the version that ran it)"),
            ));
        }
        if theirs.seed != ours.seed {
            return Err(FieldError::new(
                "targets.run.seed",
                theirs.seed,
                format!(
                    "must be this calibration's seed {}: resume with the interrupted run's --seed",
                    ours.seed
                ),
            ));
        }
        if theirs.trials != ours.trials {
            return Err(FieldError::new(
                "targets.run.trials",
                theirs.trials,
                format!(
                    "must be this calibration's {}: resume with the interrupted run's --trials",
                    ours.trials
                ),
            ));
        }
        crate::error::must_equal(
            "targets",
            format!("{:?}", piece.targets.name),
            &self.spec,
            &piece.targets,
            "must be the targets being calibrated, field for field (the same targets file)",
        )?;
        crate::error::must_equal(
            "scenario",
            format!("{:?}", piece.scenario.name),
            &self.base,
            &piece.scenario,
            "must be the targets' base scenario, field for field (the same scenario file)",
        )
    }

    /// One evaluation of a piece: a key this calibration makes (its careers
    /// and seed for the kind, a point inside the bounds), and counts of that
    /// many careers between the calibration's edges.
    fn check_evaluation(&self, e: &Evaluation) -> Result<(), FieldError> {
        let run = &self.spec.run;
        let kind = e.kind.name();
        let (trials, seed) = match e.kind {
            EvaluationKind::Search | EvaluationKind::Interval => (run.trials, run.seed),
            EvaluationKind::Coarse => (
                run.coarse_trials().ok_or_else(|| {
                    FieldError::new(
                        "kind",
                        kind,
                        "is not an evaluation of these targets: they have no coarse rounds",
                    )
                })?,
                run.seed,
            ),
            EvaluationKind::Verification => (self.verify_trials(), run.verify_seed()),
        };
        if e.seed != seed {
            return Err(FieldError::new(
                "seed",
                e.seed,
                format!("must be {seed}, the seed of a {kind} evaluation"),
            ));
        }
        if e.trials != trials {
            return Err(FieldError::new(
                "trials",
                e.trials,
                format!("must be {trials}, the careers of a {kind} evaluation"),
            ));
        }
        if e.theta_bits.len() != self.parameters.len() {
            return Err(FieldError::new(
                "theta_bits",
                format!("({} values)", e.theta_bits.len()),
                format!("must hold one value per fitted parameter ({})", self.parameters.len()),
            ));
        }
        for (p, theta) in self.parameters.iter().zip(e.theta()) {
            if !(p.spec.low..=p.spec.high).contains(&theta) {
                return Err(FieldError::new(
                    "theta_bits",
                    theta,
                    format!("must lie in {}'s bounds [{}, {}]", p.path, p.spec.low, p.spec.high),
                ));
            }
        }
        self.check_counts(&e.counts, trials)
            .map_err(|reason| FieldError::new("counts", "(the counts)", reason))
    }

    /// Counts of `trials` careers between this calibration's edges
    /// ([`Summary::check`]), with the weights of its sampling: exactly one
    /// (`2^32`) a career without a niche tail.
    fn check_counts(&self, counts: &BandCounts, trials: u64) -> Result<(), String> {
        if counts.edges != self.edges {
            return Err(format!("its edges {:?} are not the calibration's {:?}", counts.edges, self.edges));
        }
        if counts.trials != trials {
            return Err(format!("they count {} careers, the evaluation ran {trials}", counts.trials));
        }
        counts.check()?;
        if self.spec.run.niche_tail == 0.0 {
            let one = WEIGHT_ONE as u128;
            for (i, (&c, (&w, &q))) in
                counts.counts.iter().zip(counts.weights.iter().zip(&counts.squares)).enumerate()
            {
                if w != u128::from(c) * one || q != u128::from(c) * one * one {
                    return Err(format!(
                        "bin {i}: weights of {c} careers must be {c} x 2^32 without a niche tail"
                    ));
                }
            }
        }
        Ok(())
    }
}

impl Calibrated {
    /// Checks a calibration record read from `name` against the calibration
    /// its own targets and base scenario make (the record of a finished
    /// calibration: [`Calibration::check_record`]; a piece:
    /// [`Calibration::check_piece`]). One line naming `name` and the field.
    pub fn check(&self, name: &str) -> Result<(), ScenarioError> {
        let (targets, scenario) = match self {
            Calibrated::Finished(r) => (&r.targets, &r.scenario),
            Calibrated::Interrupted(p) => (&p.targets, &p.scenario),
        };
        let calibration = Calibration::new(targets.clone(), scenario.clone()).map_err(|error| {
            ScenarioError::Invalid { source_name: name.to_string(), error: error.within("targets") }
        })?;
        match self {
            Calibrated::Finished(r) => calibration.check_record(r, name),
            Calibrated::Interrupted(p) => calibration.check_piece(p, name),
        }
    }
}

impl Calibration {
    /// Checks that `record` (read from `name`) is the record of a finished
    /// run of this calibration, as far as it can be without the evaluations
    /// (a finished record does not keep them): the schema, this clout's
    /// version, the base scenario, the search's settings, the parameters
    /// (bounds, values inside them, intervals around them), the bands and
    /// held-out checks (the targets', with shares of at most the careers
    /// they are among), and the fitted scenario (the base at the fitted
    /// values). One line naming `name` and the field.
    pub fn check_record(&self, record: &CalibrationRecord, name: &str) -> Result<(), ScenarioError> {
        let invalid = |error| ScenarioError::Invalid { source_name: name.to_string(), error };
        let version = env!("CARGO_PKG_VERSION");
        if record.schema != CalibrationRecord::SCHEMA {
            let allowed = format!("must be {:?}", CalibrationRecord::SCHEMA);
            return Err(invalid(FieldError::new("schema", format!("{:?}", record.schema), allowed)));
        }
        if record.clout_version != version {
            let allowed =
                format!("must be {version}, the version reading it (read it with the version that ran it)");
            return Err(invalid(FieldError::new("clout_version", &record.clout_version, allowed)));
        }
        let name_of = |s: &Scenario| format!("{:?}", s.name);
        crate::error::must_equal(
            "targets",
            format!("{:?}", record.targets.name),
            &self.spec,
            &record.targets,
            "must be the targets being calibrated, field for field",
        )
        .and_then(|()| {
            crate::error::must_equal(
                "scenario",
                name_of(&record.scenario),
                &self.base,
                &record.scenario,
                "must be the targets' base scenario as resolved, field for field",
            )
        })
        .map_err(invalid)?;
        self.check_report(&record.report).map_err(|e| invalid(e.within("report")))
    }

    /// The report's parts against this calibration.
    fn check_report(&self, r: &super::CalibrationReport) -> Result<(), FieldError> {
        let run = &self.spec.run;
        let s = &r.search;
        let expected = (run.trials, run.seed, run.max_evaluations, self.verify_trials(), run.verify_seed());
        if (s.trials, s.seed, s.max_evaluations, s.verify_trials, s.verify_seed) != expected {
            return Err(FieldError::new(
                "search",
                "(the search's settings)",
                "must be the targets' run.trials, seed, max_evaluations and verify_trials",
            ));
        }
        if s.coarse_trials != run.coarse_trials() {
            let words = |t: Option<u64>| t.map_or("none".to_string(), |t| t.to_string());
            return Err(FieldError::new(
                "search.coarse_trials",
                words(s.coarse_trials),
                format!("must be the careers of the targets' coarse rounds ({})", words(run.coarse_trials())),
            ));
        }
        if s.coarse_evaluations > s.evaluations || (s.coarse_trials.is_none() && s.coarse_evaluations > 0) {
            return Err(FieldError::new(
                "search.coarse_evaluations",
                s.coarse_evaluations,
                format!(
                    "must be at most the search's {} evaluations (0 without coarse rounds)",
                    s.evaluations
                ),
            ));
        }
        if r.accounts > s.verify_trials {
            let allowed = format!("must be at most the {} careers of the check on new luck", s.verify_trials);
            return Err(FieldError::new("accounts", r.accounts, allowed));
        }
        let sound = |x: f64| x.is_finite() && x >= 0.0;
        if !sound(r.deviance) || !sound(r.deviance_se) || r.targets.iter().any(|t| !sound(t.deviance)) {
            return Err(FieldError::new(
                "deviance",
                r.deviance,
                "every deviance and its standard error must be finite and >= 0",
            ));
        }
        // The fitted parameters' correlations: k x k, symmetric, 1 on the
        // diagonal, each in [-1, 1] (within rounding).
        let k = r.parameters.len();
        if let Some(c) = &r.correlations {
            let entry = |i: usize, j: usize| c.get(i).and_then(|row| row.get(j)).copied().unwrap_or(f64::NAN);
            let square = c.len() == k && c.iter().all(|row| row.len() == k);
            let valid = (0..k).all(|i| {
                (entry(i, i) - 1.0).abs() <= 1e-9
                    && (0..k).all(|j| {
                        (-1.0..=1.0).contains(&entry(i, j)) && (entry(i, j) - entry(j, i)).abs() <= 1e-9
                    })
            });
            if !square || !valid {
                return Err(FieldError::new(
                    "correlations",
                    "(matrix)",
                    format!(
                        "must be {k} x {k} (the parameters), symmetric, 1 on the diagonal, each in [-1, 1]"
                    ),
                ));
            }
        }
        let theta = self.check_fitted(&r.parameters)?;
        self.check_band_fits(&r.bands)?;
        self.check_check_results(&r.checks)?;
        self.check_target_fits(&r.targets)?;
        let mut fitted = self.scenario_at(&theta).map_err(|e| e.within("fitted_scenario"))?;
        fitted.run = self.base.run;
        crate::error::must_equal(
            "fitted_scenario",
            format!("{:?}", r.fitted_scenario.name),
            &fitted,
            &r.fitted_scenario,
            "must be the base scenario at the fitted values, field for field",
        )
    }

    /// Each fitted parameter: one of this calibration's, once, with its
    /// value inside its bounds and its interval (if any) around its value.
    /// The fitted point, in the calibration's order. (Matched by path: a
    /// record's order is its targets' `[fit]`, which a JSON tool may sort.)
    fn check_fitted(&self, fitted: &[super::FittedParameter]) -> Result<Vec<f64>, FieldError> {
        if fitted.len() != self.parameters.len() {
            let allowed = format!("must be the {} fitted in the targets", self.parameters.len());
            return Err(FieldError::new("parameters", format!("({} parameters)", fitted.len()), allowed));
        }
        let mut theta = vec![None; fitted.len()];
        for (i, f) in fitted.iter().enumerate() {
            let field = format!("parameters[{i}]");
            let k = self.parameters.iter().position(|p| p.path == f.path).filter(|&k| theta[k].is_none());
            let Some(k) = k else {
                return Err(FieldError::new(field, &f.path, "must be a parameter the targets fit, once"));
            };
            let p = &self.parameters[k];
            if (f.low, f.high, f.scale, f.start) != (p.spec.low, p.spec.high, p.spec.scale, p.start) {
                let allowed = "must be fitted as the targets fit it (bounds, scale, start)";
                return Err(FieldError::new(field, &f.path, allowed));
            }
            if !(f.low..=f.high).contains(&f.value) {
                let allowed = format!("must lie in [{}, {}]", f.low, f.high);
                return Err(FieldError::new(format!("{field}.value"), f.value, allowed));
            }
            if let Some([a, b]) = f.interval
                && !(f.low <= a && a <= f.value && f.value <= b && b <= f.high)
            {
                let allowed = format!("must hold the value {} within the bounds", f.value);
                return Err(FieldError::new(format!("{field}.interval"), format!("[{a}, {b}]"), allowed));
            }
            theta[k] = Some(f.value);
        }
        Ok(theta.into_iter().flatten().collect())
    }

    /// The bands of the report: this calibration's (and the rest), each
    /// once with its target (matched by name, as the parameters are).
    fn check_band_fits(&self, fits: &[super::BandFit]) -> Result<(), FieldError> {
        let mut bands = self.bands.clone();
        if self.rest {
            bands.push(super::Band { name: "rest".into(), from: self.among, to: None });
        }
        if fits.len() != bands.len() {
            let allowed = format!("must be the {} bands of the targets (and the rest, if any)", bands.len());
            return Err(FieldError::new("bands", format!("({} bands)", fits.len()), allowed));
        }
        let q = self.target_shares();
        let mut seen = vec![false; bands.len()];
        for (i, fit) in fits.iter().enumerate() {
            let k = bands.iter().position(|b| *b == fit.band).filter(|&k| !seen[k] && q[k] == fit.target);
            let Some(k) = k else {
                let allowed = "must be a band of the targets, once, with its target share";
                return Err(FieldError::new(format!("bands[{i}]"), &fit.band.name, allowed));
            };
            seen[k] = true;
            check_share(&fit.model).map_err(|e| e.within(&format!("bands[{i}].model")))?;
        }
        Ok(())
    }

    /// The held-out checks of the report: the targets', in order.
    fn check_check_results(&self, results: &[super::CheckResult]) -> Result<(), FieldError> {
        if results.len() != self.spec.check.len() {
            let allowed = format!("must be the {} held-out checks of the targets", self.spec.check.len());
            return Err(FieldError::new("checks", format!("({} checks)", results.len()), allowed));
        }
        for (i, (r, c)) in results.iter().zip(&self.spec.check).enumerate() {
            if (&r.name, &r.source, r.above, r.given, r.value)
                != (&c.name, &c.source, c.above, c.given, c.value)
            {
                let allowed = format!("must be the targets' check {:?}", c.name);
                return Err(FieldError::new(format!("checks[{i}]"), &r.name, allowed));
            }
            check_share(&r.model).map_err(|e| e.within(&format!("checks[{i}].model")))?;
        }
        Ok(())
    }
}

impl Calibration {
    /// The `[[target]]`s of the report: the calibration's, in order, each
    /// with its name, file, kind, weight and role, its categories (the
    /// targets' bands and shares, and the rest), shares that can be, and
    /// prediction intervals in `[0, 1]`, in order.
    fn check_target_fits(&self, fits: &[super::TargetFit]) -> Result<(), FieldError> {
        let inline = self.components.len() - self.spec.target.len();
        let components = &self.components[inline..];
        if fits.len() != components.len() {
            let allowed = format!("must be the {} [[target]]s of the calibration", components.len());
            return Err(FieldError::new("targets", format!("({} targets)", fits.len()), allowed));
        }
        for (i, (t, c)) in fits.iter().zip(components).enumerate() {
            let field = format!("targets[{i}]");
            if (&t.name, &t.file, t.kind, t.weight, t.held_out)
                != (&c.name, &c.file, c.kind, c.weight, c.held_out)
            {
                let allowed =
                    format!("must be the calibration's target {:?} ({}), as listed", c.name, c.file);
                return Err(FieldError::new(field, &t.name, allowed));
            }
            let expected = super::category_fits_shape(c);
            let shape: Vec<(&super::Band, f64)> = t.categories.iter().map(|b| (&b.band, b.target)).collect();
            let expected: Vec<(&super::Band, f64)> = expected.iter().map(|(b, q)| (b, *q)).collect();
            if shape != expected || t.prediction.len() != t.categories.len() {
                let allowed = "must be the target's categories (its bands and the rest), with their shares";
                return Err(FieldError::new(format!("{field}.categories"), t.categories.len(), allowed));
            }
            for (j, (b, [lo, hi])) in t.categories.iter().zip(&t.prediction).enumerate() {
                check_share(&b.model).map_err(|e| e.within(&format!("{field}.categories[{j}].model")))?;
                if !((0.0..=1.0).contains(lo) && (0.0..=1.0).contains(hi) && lo <= hi) {
                    let allowed = "must be an interval in [0, 1], in order";
                    return Err(FieldError::new(
                        format!("{field}.prediction[{j}]"),
                        format!("[{lo}, {hi}]"),
                        allowed,
                    ));
                }
            }
            if t.statistic.is_some() != c.statistic.is_some() {
                let allowed = "must be given for a ratio or slope target, and only then";
                return Err(FieldError::new(format!("{field}.statistic"), t.statistic.is_some(), allowed));
            }
        }
        Ok(())
    }
}

/// A share that can be: its careers among at most those it is counted
/// among, its estimate and interval ends in `[0, 1]`, in order.
fn check_share(s: &super::Share) -> Result<(), FieldError> {
    within_count("careers", s.careers, "careers it is among", s.among)
        .map_err(|reason| FieldError::new("careers", s.careers, reason))?;
    let unit = |v: f64| (0.0..=1.0).contains(&v);
    if !(unit(s.estimate) && unit(s.lower) && unit(s.upper) && s.lower <= s.upper) {
        let value = format!("{} [{}, {}]", s.estimate, s.lower, s.upper);
        return Err(FieldError::new(
            "estimate",
            value,
            "must be a share in [0, 1] with its interval in order",
        ));
    }
    Ok(())
}
