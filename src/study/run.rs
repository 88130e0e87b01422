//! Running a scenario: a [`Scenario`] in, a [`RunRecord`] out.
//!
//! A plain run is a [`Study`] ([`PlainRun`]) like any other: its parts are
//! its model's trials (or a conditional scenario's `creators_like_you` and
//! `given_state`), and it gets shards, resume, interruption and merges from
//! the executor ([`crate::study::executor`]). Its record is the executor's
//! [`Record`], with the schema [`RunRecord::SCHEMA`], documented in the
//! guide (docs/guide/src/output.md). Fields are only ever added within one schema version.

use crate::error::{FieldError, ScenarioError};
use crate::experiment::rare::{RareReport, RareSummary};
use crate::model::career::CareerReport;
use crate::model::career::conditional::{ConditionalReport, ConditionalSummary};
use crate::model::{Model, Summary};
use crate::runner::Runner;
use crate::scenario::{Scenario, ScenarioModel};
use crate::stats::{Chance, Chances};
use crate::study::executor::{self, Part, PartRun, Record, Study, run_model};
pub use crate::study::executor::{MergeError, PartTrials, Shard};
use serde::{Deserialize, Serialize};
use std::borrow::Borrow;
use std::ops::Range;

/// Writes [`Report`], [`RunSummary`] and their matches over the plain
/// models from the list of [`crate::scenario::plain_models!`].
macro_rules! run_types {
    ($($variant:ident($doc:literal, $held:ty, $model:ty, $summary:ty, $report:ty)),* $(,)?) => {
        /// The report of one model's run.
        #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
        #[serde(untagged)]
        // A record holds one report, so the variants' sizes (a Career
        // report's is about 500 bytes) cost nothing worth a box.
        #[allow(clippy::large_enum_variant)]
        pub enum Report {
            $(
                #[doc = $doc]
                $variant($report),
            )*
            /// A rare-event run (importance sampling of the traits).
            Rare(Box<RareReport>),
            /// Conditional odds of a Career scenario (last: its fields are all optional).
            Conditional(Box<ConditionalReport>),
        }

        /// The mergeable summary behind a report, tagged by the model it belongs to.
        #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum RunSummary {
            $(
                #[doc = $doc]
                $variant($summary),
            )*
            /// Conditional odds of a Career scenario.
            Conditional(Box<ConditionalSummary>),
            /// A rare-event run.
            Rare(Box<RareSummary>),
        }

        impl PlainRun {
            /// The summary of no trial of a plain model, or `None` for the others.
            fn empty_plain(&self) -> Option<RunSummary> {
                match &self.model {
                    $(ScenarioModel::$variant(m) => {
                        Some(RunSummary::$variant(Borrow::<$model>::borrow(m).new_summary()))
                    })*
                    _ => None,
                }
            }

            /// Runs `ranges` of a plain model into `summary`, or `None` for the others.
            fn run_plain(
                &self,
                runner: &Runner,
                ranges: &[Range<u64>],
                offset: &mut u64,
                summary: &mut RunSummary,
            ) -> Option<PartRun> {
                match (&self.model, summary) {
                    $((ScenarioModel::$variant(m), RunSummary::$variant(s)) => {
                        Some(run_model(runner, Borrow::<$model>::borrow(m), ranges, offset, s))
                    })*
                    _ => None,
                }
            }
        }

        impl ScenarioModel {
            /// Whether `summary` is of this plain model and its shape (`None`:
            /// not a plain model, or not its summary).
            fn plain_fits(&self, summary: &RunSummary) -> Option<bool> {
                match (self, summary) {
                    $((ScenarioModel::$variant(m), RunSummary::$variant(s)) => {
                        Some(Borrow::<$model>::borrow(m).new_summary().same_shape(s))
                    })*
                    _ => None,
                }
            }

            /// The report of a plain model's summary (`None`: not a plain
            /// model, or not its summary).
            fn plain_report(&self, summary: &RunSummary) -> Option<Report> {
                match (self, summary) {
                    $((ScenarioModel::$variant(m), RunSummary::$variant(s)) => {
                        Some(Report::$variant(Borrow::<$model>::borrow(m).report(s)))
                    })*
                    _ => None,
                }
            }
        }

        impl RunSummary {
            /// The plain model's summary inside, as the [`Summary`] trait
            /// needs it: its check, its trials.
            fn plain(&self) -> Option<(Result<(), String>, u64)> {
                match self {
                    $(RunSummary::$variant(s) => Some((s.check(), s.trials())),)*
                    _ => None,
                }
            }

            /// Adds `other` when both are summaries of the same plain model
            /// (`None`: not both plain, or of different models).
            fn merge_plain(&mut self, other: &RunSummary) -> Option<()> {
                match (self, other) {
                    $((RunSummary::$variant(a), RunSummary::$variant(b)) => {
                        a.merge(b);
                        Some(())
                    })*
                    _ => None,
                }
            }
        }
    };
}
crate::scenario::plain_models!(run_types);

/// The record of a plain run: the crate version, the full resolved
/// scenario, the seed, the report, and the mergeable summary it came from
/// (with the trials held when it is a piece of a run).
pub type RunRecord = Record<Report, RunSummary>;

/// The chances a run found, whatever its method: a plain Career run's, an
/// importance-sampled run's (Career or Gibrat), or a conditional run's
/// (creators like you when the scenario asks and anybody matched, else
/// the given state). None for the reference models' reports, which
/// answer other questions, and for a record read back before its merge.
impl Chances for RunRecord {
    fn chances(&self) -> Vec<&Chance> {
        match self.report.as_ref() {
            Some(Report::Career(r)) => r.chances(),
            Some(Report::Rare(r)) => r.chances(),
            Some(Report::Conditional(c)) => {
                match (c.creators_like_you.as_ref().and_then(|l| l.odds.as_ref()), &c.given_state) {
                    (Some(r), _) => r.chances(),
                    (None, Some(g)) => g.odds.chances(),
                    (None, None) => Vec::new(),
                }
            }
            _ => Vec::new(),
        }
    }
}

impl RunRecord {
    /// Identifier of the JSON schema of a run's record ([`PlainRun`]'s).
    pub const SCHEMA: &'static str = <PlainRun as Study>::SCHEMA;

    /// The Career report, if this was a plain Career run.
    pub fn career(&self) -> Option<&CareerReport> {
        match self.report.as_ref()? {
            Report::Career(r) => Some(r),
            _ => None,
        }
    }

    /// The conditional report, if the scenario asked for conditional odds.
    pub fn conditional(&self) -> Option<&ConditionalReport> {
        match self.report.as_ref()? {
            Report::Conditional(r) => Some(r),
            _ => None,
        }
    }

    /// The rare-event report, if the scenario ran with `run.method = "rare"`.
    pub fn rare(&self) -> Option<&RareReport> {
        match self.report.as_ref()? {
            Report::Rare(r) => Some(r),
            _ => None,
        }
    }

    /// Merges records of pieces of one run: shards, interrupted runs and
    /// their rests, partial merges (`names` label them in errors, e.g. file
    /// names). See [`executor::merge`]: with every trial present the result
    /// is exactly the record of the whole run, byte for byte; with some
    /// missing it is an error unless `allow_partial`.
    pub fn merge(
        records: &[RunRecord],
        names: &[String],
        allow_partial: bool,
    ) -> Result<RunRecord, MergeError> {
        executor::merge::<PlainRun>(records, names, allow_partial)
    }
}

/// A plain run of a scenario (no `[sweep]`): its resolved model's trials,
/// as a [`Study`].
#[derive(Debug, Clone)]
pub struct PlainRun {
    scenario: Scenario,
    model: ScenarioModel,
}

impl PlainRun {
    /// The run of `scenario`, resolved and validated; a scenario with a
    /// `[sweep]` section is refused (it is a [`crate::scenario::sweep::Sweep`]).
    pub fn new(scenario: &Scenario) -> Result<PlainRun, FieldError> {
        if scenario.sweep.is_some() {
            return Err(FieldError::new(
                "sweep",
                "(a section)",
                "makes this a sweep: run it with `clout sweep` (Scenario::sweep in the library)",
            ));
        }
        let (scenario, model) = scenario.clone().resolve()?;
        Ok(PlainRun { scenario, model })
    }

    /// The resolved model it runs.
    pub fn model(&self) -> &ScenarioModel {
        &self.model
    }
}

impl Study for PlainRun {
    const SCHEMA: &'static str = "clout.run/7";
    const NAME: &'static str = "run";
    type Report = Report;
    type Summary = RunSummary;

    fn from_scenario(scenario: &Scenario) -> Result<Self, FieldError> {
        PlainRun::new(scenario)
    }

    fn scenario(&self) -> &Scenario {
        &self.scenario
    }

    fn parts(&self) -> Vec<Part> {
        self.model
            .parts(self.scenario.run.trials)
            .into_iter()
            .map(|(name, trials)| Part { name, trials })
            .collect()
    }

    fn empty(&self) -> RunSummary {
        if let Some(empty) = self.empty_plain() {
            return empty;
        }
        match &self.model {
            ScenarioModel::Rare(m) => RunSummary::Rare(Box::new(m.empty_summary())),
            _ => RunSummary::Conditional(Box::new(ConditionalSummary {
                creators_like_you: None,
                given_state: None,
            })),
        }
    }

    fn run_part(
        &self,
        k: usize,
        runner: &Runner,
        ranges: &[Range<u64>],
        offset: &mut u64,
        summary: &mut RunSummary,
    ) -> PartRun {
        if let Some(ran) = self.run_plain(runner, ranges, offset, summary) {
            return ran;
        }
        match (&self.model, summary) {
            (ScenarioModel::Rare(m), RunSummary::Rare(s)) => {
                let (ran, done) = m.run_ranges(runner, ranges, offset);
                let work = ran.work;
                s.merge_checked(&ran).expect("pieces of one rare-event run merge");
                PartRun { done, work }
            }
            (ScenarioModel::Conditional(m), RunSummary::Conditional(s)) => {
                // The parts in order: creators like you (when asked), then the given state.
                let like = k == 0 && m.creators_like_you.is_some();
                if like {
                    let model = m.creators_like_you.as_ref().expect("asked for");
                    run_optional(runner, model, ranges, offset, &mut s.creators_like_you)
                } else {
                    let model = m.given_state.as_ref().expect("the other part");
                    run_optional(runner, model, ranges, offset, &mut s.given_state)
                }
            }
            _ => unreachable!("the empty summary is of the study's own model"),
        }
    }

    fn held(&self, summary: &RunSummary, k: usize) -> u64 {
        let parts = self.model.parts(self.scenario.run.trials);
        parts.get(k).map_or(0, |&(name, _)| summary.part_trials(name))
    }

    fn check(&self, summary: &RunSummary) -> Result<(), String> {
        self.model.fits(summary)
    }

    fn merge(&self, into: &mut RunSummary, other: &RunSummary) {
        into.merge(other).expect("summaries checked to be of the study's model");
    }

    fn report(&self, summary: &RunSummary) -> Report {
        self.model.report(summary).expect("a summary of the study's model")
    }
}

/// Runs `ranges` of a part whose summary is absent until a trial of it runs.
fn run_optional<M: Model>(
    runner: &Runner,
    model: &M,
    ranges: &[Range<u64>],
    offset: &mut u64,
    summary: &mut Option<M::Summary>,
) -> PartRun {
    let mut ran = model.new_summary();
    let out = run_model(runner, model, ranges, offset, &mut ran);
    if !out.done.is_empty() {
        match summary {
            Some(s) => s.merge(&ran),
            None => *summary = Some(ran),
        }
    }
    out
}

impl Scenario {
    /// Runs the scenario's trials with its seed on all cores.
    ///
    /// ```
    /// use clout::{Scenario, Tier};
    /// let mut scenario = Scenario::builtin("what-if").unwrap();
    /// scenario.run.trials = 2_000;
    /// let record = scenario.run()?;
    /// let odds = record.career().unwrap().proportion(Tier::Micro);
    /// println!("micro: {:.3} [{:.3}, {:.3}]", odds.estimate, odds.wilson.lower, odds.wilson.upper);
    /// # Ok::<(), clout::ScenarioError>(())
    /// ```
    pub fn run(&self) -> Result<RunRecord, ScenarioError> {
        self.run_with(&Runner::new(self.run.seed))
    }

    /// Runs the scenario's trials with a configured runner (threads,
    /// progress, a stop flag); the runner's seed is used. A scenario changed
    /// by hand after loading is validated again: an invalid one is an error
    /// naming the scenario (by its `name`) and the field.
    pub fn run_with(&self, runner: &Runner) -> Result<RunRecord, ScenarioError> {
        self.run_shard(runner, Shard::WHOLE)
    }

    /// Runs shard `shard` of the scenario's trials (each part of a
    /// conditional scenario is split the same way). The record carries the
    /// trials it holds and its mergeable summary; [`RunRecord::merge`] joins
    /// records. If the runner's stop flag rises, the record holds a prefix of
    /// the shard's trials and is marked `interrupted`.
    pub fn run_shard(&self, runner: &Runner, shard: Shard) -> Result<RunRecord, ScenarioError> {
        let invalid = |error| ScenarioError::Invalid { source_name: self.source_label(), error };
        let study = PlainRun::new(self).map_err(invalid)?;
        executor::run(&study, runner, shard).map_err(invalid)
    }

    /// Runs the trials of shard `shard` (the whole run: [`Shard::WHOLE`])
    /// that `done`, a record of an interrupted run of this scenario and
    /// seed, does not hold. [`RunRecord::merge`] of `done` and the result is
    /// exactly the record of the shard run uninterrupted. `done_name` (a file
    /// name) labels errors: a record of another run (scenario, seed, clout
    /// version), one that holds no trial of the shard, or one that holds all.
    pub fn run_rest(
        &self,
        runner: &Runner,
        shard: Shard,
        done: &RunRecord,
        done_name: &str,
    ) -> Result<RunRecord, ScenarioError> {
        let invalid = |error| ScenarioError::Invalid { source_name: self.source_label(), error };
        let study = PlainRun::new(self).map_err(invalid)?;
        executor::resume(&study, runner, shard, done, done_name)
    }

    /// How errors name this scenario: by its `name`, or `<scenario>`.
    pub(crate) fn source_label(&self) -> String {
        if self.name.is_empty() { "<scenario>".to_string() } else { format!("scenario {:?}", self.name) }
    }

    /// The validated sweep of a scenario with a `[sweep]` section.
    pub fn sweep(&self) -> Result<crate::scenario::sweep::Sweep, ScenarioError> {
        let invalid = |error| ScenarioError::Invalid { source_name: self.source_label(), error };
        let (scenario, _) = self.clone().resolve_base().map_err(invalid)?;
        crate::scenario::sweep::Sweep::new(&scenario).map_err(invalid)
    }
}
impl ScenarioModel {
    /// The parts of a run of this model, with their trial counts (`run_trials`
    /// is the scenario's `run.trials`): `trials` for a plain run;
    /// `creators_like_you` and/or `given_state` for a conditional one.
    pub fn parts(&self, run_trials: u64) -> Vec<(&'static str, u64)> {
        match self {
            ScenarioModel::Conditional(m) => {
                let mut parts = Vec::new();
                if m.creators_like_you.is_some() {
                    parts.push(("creators_like_you", run_trials));
                }
                if let Some(given) = &m.given_state {
                    parts.push(("given_state", given.trials()));
                }
                parts
            }
            ScenarioModel::Rare(m) => vec![("trials", m.trials(run_trials))],
            _ => vec![("trials", run_trials)],
        }
    }

    /// Why `summary` cannot be a summary of this model (another model, or
    /// statistics of another shape: a damaged or edited file), if it cannot.
    /// A summary that fits merges with any other that fits, and reports,
    /// without a panic.
    pub fn fits(&self, summary: &RunSummary) -> Result<(), String> {
        use crate::model::Model as _;
        summary.check()?;
        let plain = self.plain_fits(summary);
        let fits = match (self, summary) {
            _ if plain.is_some() => plain == Some(true),
            (ScenarioModel::Conditional(m), RunSummary::Conditional(s)) => {
                let like = match (&m.creators_like_you, &s.creators_like_you) {
                    (Some(m), Some(s)) => m.new_summary().same_shape(s),
                    (m, s) => m.is_some() || s.is_none(),
                };
                let given = match (&m.given_state, &s.given_state) {
                    (Some(m), Some(s)) => m.new_summary().same_shape(s),
                    (m, s) => m.is_some() || s.is_none(),
                };
                like && given
            }
            (ScenarioModel::Rare(m), RunSummary::Rare(s)) => {
                s.check()?;
                let empty = m.empty_summary();
                s.levels.len() == m.levels()
                    && s.income.len() == empty.income.len()
                    && s.audience.len() == empty.audience.len()
            }
            _ => return Err("its summary belongs to another model than its scenario".into()),
        };
        if fits {
            Ok(())
        } else {
            Err("its statistics were kept with other settings (a damaged file?)".into())
        }
    }

    /// The report of a summary of this model's outcomes, or `None` when the
    /// summary belongs to another model.
    pub fn report(&self, summary: &RunSummary) -> Option<Report> {
        if let Some(report) = self.plain_report(summary) {
            return Some(report);
        }
        Some(match (self, summary) {
            (ScenarioModel::Conditional(m), RunSummary::Conditional(s)) => {
                Report::Conditional(Box::new(m.report(s)))
            }
            (ScenarioModel::Rare(m), RunSummary::Rare(s)) => Report::Rare(Box::new(m.report(s))),
            _ => return None,
        })
    }
}

impl RunSummary {
    /// The invariants of the summary inside ([`Summary::check`]): a record
    /// whose counts exceed its trials is refused before any report.
    fn check(&self) -> Result<(), String> {
        use crate::model::Summary as _;
        if let Some((check, _)) = self.plain() {
            return check;
        }
        match self {
            RunSummary::Rare(s) => s.check(),
            RunSummary::Conditional(s) => {
                s.creators_like_you.as_ref().map_or(Ok(()), |s| s.check())?;
                s.given_state.as_ref().map_or(Ok(()), |s| s.check())
            }
            _ => unreachable!("every plain summary is handled first"),
        }
    }

    /// Adds the statistics of `other`, a summary of other trials of the same
    /// model; an error when it belongs to another model.
    fn merge(&mut self, other: &RunSummary) -> Result<(), String> {
        /// Merges parts that may be absent (a part of which no trial ran).
        fn maybe<T: Clone>(a: &mut Option<T>, b: &Option<T>, merge: impl Fn(&mut T, &T)) {
            match (a.as_mut(), b) {
                (Some(a), Some(b)) => merge(a, b),
                (None, Some(b)) => *a = Some(b.clone()),
                (_, None) => {}
            }
        }
        if self.merge_plain(other).is_some() {
            return Ok(());
        }
        match (self, other) {
            (RunSummary::Rare(a), RunSummary::Rare(b)) => a.merge_checked(b)?,
            (RunSummary::Conditional(a), RunSummary::Conditional(b)) => {
                maybe(&mut a.creators_like_you, &b.creators_like_you, |a, b| a.merge(b));
                maybe(&mut a.given_state, &b.given_state, |a, b| a.merge(b));
            }
            _ => return Err("the records hold summaries of different models".into()),
        }
        Ok(())
    }

    /// Trials summarised in the part named `part` (see [`ScenarioModel::parts`]).
    fn part_trials(&self, part: &str) -> u64 {
        if let (Some((_, trials)), "trials") = (self.plain(), part) {
            return trials;
        }
        match (self, part) {
            (RunSummary::Rare(s), "trials") => s.roots,
            (RunSummary::Conditional(s), "creators_like_you") => {
                s.creators_like_you.as_ref().map_or(0, |s| s.trials())
            }
            (RunSummary::Conditional(s), "given_state") => s.given_state.as_ref().map_or(0, |s| s.trials()),
            _ => 0,
        }
    }
}
