//! Running a scenario: a [`Scenario`] in, a [`RunRecord`] out.
//!
//! A record carries everything needed to reproduce and read a run: the crate
//! version, the full resolved scenario, the seed and trial range, the report,
//! and the mergeable summary the report was computed from (so records of
//! trial ranges can be merged later into the record of the whole run).
//! Its JSON schema is documented in the README ("Output") and identified by
//! [`RunRecord::SCHEMA`]. Fields are only ever added within one schema version.

use crate::error::ScenarioError;
use crate::experiment::rare::{RareReport, RareSummary};
use crate::model::Model;
use crate::model::career::conditional::{ConditionalReport, ConditionalSummary};
use crate::model::career::{CareerReport, CareerSummary};
use crate::model::gibrat::{GibratReport, GibratSummary};
use crate::model::talent_luck::{NonSpatialReport, NonSpatialSummary, TalentLuckReport, TalentLuckSummary};
use crate::model::yule::{YuleReport, YuleSummary};
use crate::runner::Runner;
use crate::scenario::{ModelKind, Scenario, ScenarioModel};
use crate::study::executor::{
    Header, coverage, held_ranges, rest_of_shard, same_pieces, same_run, union_of_pieces,
};
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

/// Everything needed to reproduce and read a run: the crate version, the
/// full resolved scenario, the seed and trial range, the report, and the
/// mergeable summary it came from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunRecord {
    /// Schema identifier of this JSON document.
    pub schema: String,
    /// Version of clout that produced it.
    pub clout_version: String,
    /// The model that ran.
    pub model: ModelKind,
    /// The seed of the random streams.
    pub seed: u64,
    /// First trial index held: 0 for a whole run; else the start of the
    /// first range of the first part in `coverage`.
    pub first_trial: u64,
    /// Number of trials held: `run.trials` for a whole run; else the trials
    /// held of the first part in `coverage`.
    pub trials: u64,
    /// The scenario with every default filled in.
    pub scenario: Scenario,
    /// What the run found.
    pub report: Report,
    /// The statistics the report was computed from, mergeable exactly with
    /// those of other trial ranges of the same scenario and seed.
    pub summary: RunSummary,
    /// The trials of each part this record holds, when it is not the whole
    /// run: a shard, an interrupted run, a partial merge. Absent for a whole
    /// run, so merging all the pieces gives the whole run's bytes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub coverage: Option<Vec<PartTrials>>,
    /// The run was stopped (by SIGINT or SIGTERM) before it held every trial
    /// it was asked for; `coverage` says which it holds, and a run of the
    /// rest (`clout run --resume`) merges with it into the whole.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub interrupted: bool,
}

impl RunRecord {
    /// The fields that say which run it belongs to.
    pub(crate) fn header(&self) -> Header<'_> {
        Header {
            schema: &self.schema,
            clout_version: &self.clout_version,
            seed: self.seed,
            scenario: &self.scenario,
        }
    }

    /// Identifier of the JSON schema of a record.
    pub const SCHEMA: &'static str = "clout.run/3";

    /// The Career report, if this was a plain Career run.
    pub fn career(&self) -> Option<&CareerReport> {
        match &self.report {
            Report::Career(r) => Some(r),
            _ => None,
        }
    }

    /// The conditional report, if the scenario asked for conditional odds.
    pub fn conditional(&self) -> Option<&ConditionalReport> {
        match &self.report {
            Report::Conditional(r) => Some(r),
            _ => None,
        }
    }
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
        let (scenario, model) = self.resolve_for_run(shard)?;
        let want: Vec<_> =
            model.parts(scenario.run.trials).iter().map(|&(_, of)| vec![shard.range(of)]).collect();
        Ok(scenario.run_parts(&model, runner, &want))
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
        let (scenario, model) = self.resolve_for_run(shard)?;
        let invalid = |error| ScenarioError::Invalid { source_name: done_name.to_string(), error };
        let mut ours = scenario.clone();
        ours.run.seed = runner.seed();
        same_run(done.header(), RunRecord::SCHEMA, runner.seed(), &ours).map_err(invalid)?;
        let parts = model.parts(scenario.run.trials);
        let held = done.held(&parts).map_err(|reason| {
            invalid(crate::error::FieldError::new("coverage", "(the trials held)", reason))
        })?;
        let rest = rest_of_shard(&parts, shard, &held).map_err(invalid)?;
        Ok(scenario.run_parts(&model, runner, &rest))
    }

    /// The resolved scenario and model, checked to run as a plain run in
    /// shards of `shard.count`.
    fn resolve_for_run(&self, shard: Shard) -> Result<(Scenario, ScenarioModel), ScenarioError> {
        let invalid = |error| ScenarioError::Invalid { source_name: self.source_label(), error };
        if self.sweep.is_some() {
            return Err(invalid(crate::error::FieldError::new(
                "sweep",
                "(a section)",
                "makes this a sweep: run it with `clout sweep` (Scenario::sweep in the library)",
            )));
        }
        let (scenario, model) = self.clone().resolve().map_err(invalid)?;
        // Every part's shard must hold a trial.
        let fewest = model.parts(scenario.run.trials).iter().map(|&(_, of)| of).min().unwrap_or(1);
        if shard.count == 0 || shard.index >= shard.count || shard.count > fewest {
            return Err(invalid(crate::error::FieldError::new(
                "shard",
                format!("{}/{}", shard.index, shard.count),
                format!("must be K/N with 0 <= K < N <= {fewest}, the fewest trials of any part of the run"),
            )));
        }
        Ok((scenario, model))
    }

    /// Runs the ranges `want` of each of the model's parts, in order, and
    /// records what was done: all of it, or (if the runner's stop flag rose)
    /// a prefix, marked interrupted.
    fn run_parts(&self, model: &ScenarioModel, runner: &Runner, want: &[Vec<Range<u64>>]) -> RunRecord {
        /// Runs `ranges` of one part; adds the ranges done to `done`.
        fn part<M: Model>(
            runner: &Runner,
            model: &M,
            ranges: &[Range<u64>],
            offset: &mut u64,
            done: &mut Vec<Vec<Range<u64>>>,
        ) -> Option<M::Summary> {
            let out = runner.run_ranges(model, ranges, offset);
            done.push(out.done);
            out.summary
        }
        let mut offset = 0;
        let mut done = Vec::new();
        let mut wanted = want.iter();
        let mut next = || wanted.next().map_or(&[][..], Vec::as_slice);
        let summary = match model {
            ScenarioModel::Career(m) => {
                let m = m.as_ref();
                RunSummary::Career(
                    part(runner, m, next(), &mut offset, &mut done).unwrap_or_else(|| m.new_summary()),
                )
            }
            ScenarioModel::Gibrat(m) => RunSummary::Gibrat(
                part(runner, m, next(), &mut offset, &mut done).unwrap_or_else(|| m.new_summary()),
            ),
            ScenarioModel::Yule(m) => RunSummary::Yule(
                part(runner, m, next(), &mut offset, &mut done).unwrap_or_else(|| m.new_summary()),
            ),
            ScenarioModel::TalentVsLuck(m) => RunSummary::TalentVsLuck(
                part(runner, m, next(), &mut offset, &mut done).unwrap_or_else(|| m.new_summary()),
            ),
            ScenarioModel::TalentVsLuckNonspatial(m) => RunSummary::TalentVsLuckNonspatial(
                part(runner, m, next(), &mut offset, &mut done).unwrap_or_else(|| m.new_summary()),
            ),
            ScenarioModel::Rare(m) => {
                let (summary, held) = m.run_ranges(runner, next(), &mut offset);
                done.push(held);
                RunSummary::Rare(Box::new(summary))
            }
            ScenarioModel::Conditional(m) => {
                let like = m
                    .creators_like_you
                    .as_ref()
                    .and_then(|m| part(runner, m, next(), &mut offset, &mut done));
                let given =
                    m.given_state.as_ref().and_then(|m| part(runner, m, next(), &mut offset, &mut done));
                RunSummary::Conditional(Box::new(ConditionalSummary {
                    creators_like_you: like,
                    given_state: given,
                }))
            }
        };
        let report = model.report(&summary).expect("a summary of this model");
        let mut record = self.record(report, summary, runner.seed(), 0);
        let parts = model.parts(self.run.trials);
        let whole = parts.iter().zip(&done).all(|(&(_, of), d)| d.len() == 1 && d[0] == (0..of));
        record.interrupted = done.as_slice() != want;
        if !whole {
            record.set_coverage(&parts, &done);
        }
        record
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

    /// Wraps a report and its summary with this scenario's bookkeeping.
    pub fn record(&self, report: Report, summary: RunSummary, seed: u64, first_trial: u64) -> RunRecord {
        let mut scenario = self.clone();
        scenario.run.seed = seed;
        RunRecord {
            schema: RunRecord::SCHEMA.to_string(),
            clout_version: env!("CARGO_PKG_VERSION").to_string(),
            model: self.model,
            seed,
            first_trial,
            trials: self.run.trials,
            scenario,
            report,
            summary,
            coverage: None,
            interrupted: false,
        }
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

impl RunRecord {
    /// The trials this record holds of each of `parts` (from
    /// [`ScenarioModel::parts`]), checked: the parts must be those, each
    /// range non-empty and within the part, increasing and not touching, and
    /// the summary must hold as many trials as the ranges.
    pub fn held(&self, parts: &[(&'static str, u64)]) -> Result<Vec<Vec<Range<u64>>>, String> {
        held_ranges(self.coverage.as_deref(), parts, |k| self.summary.part_trials(parts[k].0))
    }

    /// Marks the record as holding `done` of `parts`, with `first_trial` and
    /// `trials` describing the first part.
    fn set_coverage(&mut self, parts: &[(&'static str, u64)], done: &[Vec<Range<u64>>]) {
        let coverage = coverage(parts, done);
        self.first_trial = done.first().and_then(|d| d.first()).map_or(0, |r| r.start);
        self.trials = coverage.first().map_or(0, PartTrials::held);
        self.coverage = Some(coverage);
    }

    /// Merges records of pieces of one run: shards, interrupted runs and
    /// their rests, partial merges (`names` label them in errors, e.g. file
    /// names). They must share the schema, clout version, model, seed and
    /// resolved scenario, and hold disjoint trials. When together they hold
    /// every trial the result is exactly the record of the whole run (the
    /// same JSON, byte for byte); with some missing it is an error unless
    /// `allow_partial`, which gives a record of the trials present, with
    /// its coverage.
    pub fn merge(
        records: &[RunRecord],
        names: &[String],
        allow_partial: bool,
    ) -> Result<RunRecord, MergeError> {
        let first = records.first().ok_or(MergeError::Empty)?;
        let name = |i: usize| names.get(i).cloned().unwrap_or_else(|| format!("record {}", i + 1));
        let headers: Vec<Header> = records.iter().map(RunRecord::header).collect();
        same_pieces(&headers, &name, &first.schema)?;
        let (_, model) = first
            .scenario
            .clone()
            .resolve()
            .map_err(|e| MergeError::Inconsistent { name: name(0), reason: format!("its scenario: {e}") })?;
        let parts = model.parts(first.scenario.run.trials);
        let mut held = Vec::with_capacity(records.len());
        for (i, r) in records.iter().enumerate() {
            if r.model != r.scenario.model {
                return Err(MergeError::Inconsistent {
                    name: name(i),
                    reason: format!("its model {:?} is not its scenario's", r.model.name()),
                });
            }
            held.push(r.held(&parts).map_err(|reason| MergeError::Inconsistent { name: name(i), reason })?);
        }
        let (present, missing) = union_of_pieces(&parts, &held, &name, allow_partial)?;
        for (i, r) in records.iter().enumerate() {
            model.fits(&r.summary).map_err(|reason| MergeError::Inconsistent { name: name(i), reason })?;
        }
        let mut summary = first.summary.clone();
        for (i, r) in records.iter().enumerate().skip(1) {
            summary.merge(&r.summary).map_err(|reason| MergeError::Inconsistent { name: name(i), reason })?;
        }
        let report = model.report(&summary).ok_or_else(|| MergeError::Inconsistent {
            name: name(0),
            reason: "its summary belongs to another model than its scenario".into(),
        })?;
        let mut record = first.scenario.record(report, summary, first.seed, 0);
        record.clout_version = first.clout_version.clone();
        if missing {
            record.set_coverage(&parts, &present);
        }
        Ok(record)
    }

    /// The trials this record holds, in words (`trials [0, 5120) of 100000`),
    /// or `None` for a whole run.
    pub fn coverage_in_words(&self) -> Option<String> {
        crate::study::executor::coverage_in_words(self.coverage.as_deref())
    }
}
