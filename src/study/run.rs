//! Running a scenario: a [`Scenario`] in, a [`RunRecord`] out.
//!
//! A plain run is a [`Study`] ([`PlainRun`]) like any other: its parts are
//! its model's trials (or a conditional scenario's `creators_like_you` and
//! `given_state`), and it gets shards, resume, interruption and merges from
//! the executor ([`crate::study::executor`]). Its record is the executor's
//! [`Record`], with the schema [`RunRecord::SCHEMA`], documented in the
//! README ("Output"). Fields are only ever added within one schema version.

use crate::error::{FieldError, ScenarioError};
use crate::experiment::rare::{RareReport, RareSummary};
use crate::model::career::conditional::{ConditionalReport, ConditionalSummary};
use crate::model::career::{CareerReport, CareerSummary};
use crate::model::gibrat::{GibratReport, GibratSummary};
use crate::model::talent_luck::{NonSpatialReport, NonSpatialSummary, TalentLuckReport, TalentLuckSummary};
use crate::model::yule::{YuleReport, YuleSummary};
use crate::model::{Model, Summary};
use crate::runner::Runner;
use crate::scenario::{Scenario, ScenarioModel};
use crate::study::executor::{self, Part, PartRun, Record, Study, run_model};
pub use crate::study::executor::{MergeError, PartTrials, Shard};
use serde::{Deserialize, Serialize};
use std::ops::Range;

/// The report of one model's run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Report {
    /// A Career run.
    Career(CareerReport),
    /// A Gibrat run.
    Gibrat(GibratReport),
    /// A Yule run.
    Yule(YuleReport),
    /// A spatial Talent vs Luck run.
    TalentVsLuck(TalentLuckReport),
    /// A non-spatial Talent vs Luck run.
    TalentVsLuckNonspatial(NonSpatialReport),
    /// A rare-event run (importance sampling of the traits).
    Rare(Box<RareReport>),
    /// Conditional odds of a Career scenario (last: its fields are all optional).
    Conditional(Box<ConditionalReport>),
}

/// The mergeable summary behind a report, tagged by the model it belongs to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RunSummary {
    /// A Career run.
    Career(CareerSummary),
    /// A Gibrat run.
    Gibrat(GibratSummary),
    /// A Yule run.
    Yule(YuleSummary),
    /// A spatial Talent vs Luck run.
    TalentVsLuck(TalentLuckSummary),
    /// A non-spatial Talent vs Luck run.
    TalentVsLuckNonspatial(NonSpatialSummary),
    /// Conditional odds of a Career scenario.
    Conditional(Box<ConditionalSummary>),
    /// A rare-event run.
    Rare(Box<RareSummary>),
}

/// The record of a plain run: the crate version, the full resolved
/// scenario, the seed, the report, and the mergeable summary it came from
/// (with the trials held when it is a piece of a run).
pub type RunRecord = Record<Report, RunSummary>;

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
    const SCHEMA: &'static str = "clout.run/4";
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
        match &self.model {
            ScenarioModel::Career(m) => RunSummary::Career(m.new_summary()),
            ScenarioModel::Gibrat(m) => RunSummary::Gibrat(m.new_summary()),
            ScenarioModel::Yule(m) => RunSummary::Yule(m.new_summary()),
            ScenarioModel::TalentVsLuck(m) => RunSummary::TalentVsLuck(m.new_summary()),
            ScenarioModel::TalentVsLuckNonspatial(m) => RunSummary::TalentVsLuckNonspatial(m.new_summary()),
            ScenarioModel::Rare(m) => RunSummary::Rare(Box::new(RareSummary::new(m.levels()))),
            ScenarioModel::Conditional(_) => RunSummary::Conditional(Box::new(ConditionalSummary {
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
        match (&self.model, summary) {
            (ScenarioModel::Career(m), RunSummary::Career(s)) => {
                run_model(runner, m.as_ref(), ranges, offset, s)
            }
            (ScenarioModel::Gibrat(m), RunSummary::Gibrat(s)) => run_model(runner, m, ranges, offset, s),
            (ScenarioModel::Yule(m), RunSummary::Yule(s)) => run_model(runner, m, ranges, offset, s),
            (ScenarioModel::TalentVsLuck(m), RunSummary::TalentVsLuck(s)) => {
                run_model(runner, m, ranges, offset, s)
            }
            (ScenarioModel::TalentVsLuckNonspatial(m), RunSummary::TalentVsLuckNonspatial(s)) => {
                run_model(runner, m, ranges, offset, s)
            }
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
    /// let odds = record.career().unwrap().odds(Tier::Micro);
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
    fn source_label(&self) -> String {
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
        let fits = match (self, summary) {
            (ScenarioModel::Career(m), RunSummary::Career(s)) => m.new_summary().same_shape(s),
            (ScenarioModel::Yule(m), RunSummary::Yule(s)) => m.new_summary().same_shape(s),
            (ScenarioModel::Gibrat(_), RunSummary::Gibrat(_))
            | (ScenarioModel::TalentVsLuck(_), RunSummary::TalentVsLuck(_))
            | (ScenarioModel::TalentVsLuckNonspatial(_), RunSummary::TalentVsLuckNonspatial(_)) => true,
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
                s.levels.len() == m.levels()
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
        Some(match (self, summary) {
            (ScenarioModel::Career(m), RunSummary::Career(s)) => Report::Career(m.report(s)),
            (ScenarioModel::Gibrat(m), RunSummary::Gibrat(s)) => Report::Gibrat(m.report(s)),
            (ScenarioModel::Yule(m), RunSummary::Yule(s)) => Report::Yule(m.report(s)),
            (ScenarioModel::TalentVsLuck(m), RunSummary::TalentVsLuck(s)) => {
                Report::TalentVsLuck(m.report(s))
            }
            (ScenarioModel::TalentVsLuckNonspatial(m), RunSummary::TalentVsLuckNonspatial(s)) => {
                Report::TalentVsLuckNonspatial(m.report(s))
            }
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
        match self {
            RunSummary::Career(s) => s.check(),
            RunSummary::Gibrat(s) => s.check(),
            RunSummary::Yule(s) => s.check(),
            RunSummary::TalentVsLuck(s) => s.check(),
            RunSummary::TalentVsLuckNonspatial(s) => s.check(),
            RunSummary::Rare(s) => s.check(),
            RunSummary::Conditional(s) => {
                s.creators_like_you.as_ref().map_or(Ok(()), |s| s.check())?;
                s.given_state.as_ref().map_or(Ok(()), |s| s.check())
            }
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
        use crate::model::Summary as _;
        match (self, other) {
            (RunSummary::Career(a), RunSummary::Career(b)) => a.merge(b),
            (RunSummary::Gibrat(a), RunSummary::Gibrat(b)) => a.merge(b),
            (RunSummary::Yule(a), RunSummary::Yule(b)) => a.merge(b),
            (RunSummary::TalentVsLuck(a), RunSummary::TalentVsLuck(b)) => a.merge(b),
            (RunSummary::TalentVsLuckNonspatial(a), RunSummary::TalentVsLuckNonspatial(b)) => a.merge(b),
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
        use crate::model::Summary as _;
        match (self, part) {
            (RunSummary::Career(s), "trials") => s.trials(),
            (RunSummary::Gibrat(s), "trials") => s.trials(),
            (RunSummary::Yule(s), "trials") => s.trials(),
            (RunSummary::TalentVsLuck(s), "trials") => s.trials(),
            (RunSummary::TalentVsLuckNonspatial(s), "trials") => s.trials(),
            (RunSummary::Rare(s), "trials") => s.roots,
            (RunSummary::Conditional(s), "creators_like_you") => {
                s.creators_like_you.as_ref().map_or(0, |s| s.trials())
            }
            (RunSummary::Conditional(s), "given_state") => s.given_state.as_ref().map_or(0, |s| s.trials()),
            _ => 0,
        }
    }
}
