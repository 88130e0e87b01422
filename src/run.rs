//! Running a scenario: a [`Scenario`] in, a [`RunRecord`] out.
//!
//! A record carries everything needed to reproduce and read a run: the crate
//! version, the full resolved scenario, the seed and trial range, the report,
//! and the mergeable summary the report was computed from (so records of
//! trial ranges can be merged later into the record of the whole run).
//! Its JSON schema is documented in the README ("Output") and identified by
//! [`RunRecord::SCHEMA`]. Fields are only ever added within one schema version.

use crate::error::ScenarioError;
use crate::experiment::conditional::{ConditionalReport, ConditionalSummary};
use crate::experiment::rare::{RareReport, RareSummary};
use crate::model::Model;
use crate::model::career::{CareerReport, CareerSummary};
use crate::model::gibrat::{GibratReport, GibratSummary};
use crate::model::talent_luck::{NonSpatialReport, NonSpatialSummary, TalentLuckReport, TalentLuckSummary};
use crate::model::yule::{YuleReport, YuleSummary};
use crate::runner::Runner;
use crate::scenario::{ModelKind, Scenario, ScenarioModel};
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

/// One of `count` equal shards of a run's trials (0-based `index`): shard `k`
/// of `n` runs trials `[k N / n, (k + 1) N / n)` of each part of `N` trials,
/// so the shards of any `n` partition the trials exactly.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shard {
    /// Which shard, `0 <= index < count`.
    pub index: u64,
    /// How many shards.
    pub count: u64,
}

impl Shard {
    /// The whole run as one shard.
    pub const WHOLE: Shard = Shard { index: 0, count: 1 };

    /// Parses `K/N` (0-based `K`), checking `K < N` and `N <= trials`.
    pub fn parse(text: &str, trials: u64) -> Result<Shard, String> {
        let (k, n) = text.split_once('/').ok_or_else(|| format!("--shard {text}: must be K/N, e.g. 0/4"))?;
        let number = |s: &str| {
            s.trim().parse::<u64>().map_err(|_| format!("--shard {text}: K and N must be whole numbers"))
        };
        let (index, count) = (number(k)?, number(n)?);
        if count == 0 || index >= count {
            return Err(format!("--shard {text}: need 0 <= K < N (shards are numbered from 0)"));
        }
        if count > trials {
            return Err(format!(
                "--shard {text}: N must be at most the {trials} trials, so no shard is empty"
            ));
        }
        Ok(Shard { index, count })
    }

    /// This shard's trial indices in a run of `trials` trials.
    pub fn range(&self, trials: u64) -> Range<u64> {
        let at = |k: u64| (u128::from(k) * u128::from(trials) / u128::from(self.count)) as u64;
        at(self.index)..at(self.index + 1)
    }
}

/// The trials of one part of a run that a record holds. A plain run has one
/// part, `trials`; a conditional run has `creators_like_you` and/or
/// `given_state`, each with its own trial count.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PartTrials {
    /// The part's name.
    pub part: String,
    /// How many trials the part has in the whole run.
    pub of: u64,
    /// The trial indices held, as `[start, end)` pairs, increasing, disjoint
    /// and not touching.
    pub ranges: Vec<[u64; 2]>,
}

impl PartTrials {
    /// The ranges as `start..end`.
    pub fn ranges(&self) -> Vec<Range<u64>> {
        self.ranges.iter().map(|&[a, b]| a..b).collect()
    }

    /// Trials held.
    pub fn held(&self) -> u64 {
        self.ranges.iter().map(|[a, b]| b.saturating_sub(*a)).sum()
    }
}

/// `ranges` sorted, with touching ranges joined and empty ones dropped.
fn coalesce(mut ranges: Vec<Range<u64>>) -> Vec<Range<u64>> {
    ranges.retain(|r| r.start < r.end);
    ranges.sort_by_key(|r| r.start);
    let mut out: Vec<Range<u64>> = Vec::with_capacity(ranges.len());
    for r in ranges {
        match out.last_mut() {
            Some(last) if last.end >= r.start => last.end = last.end.max(r.end),
            _ => out.push(r),
        }
    }
    out
}

/// The parts of `want` not in `held` (both increasing and disjoint).
fn subtract(want: &[Range<u64>], held: &[Range<u64>]) -> Vec<Range<u64>> {
    let mut out = Vec::new();
    for w in want {
        let mut at = w.start;
        for h in held.iter().filter(|h| h.end > w.start && h.start < w.end) {
            if h.start > at {
                out.push(at..h.start);
            }
            at = at.max(h.end);
        }
        if at < w.end {
            out.push(at..w.end);
        }
    }
    out
}

/// `[a, b)` ranges in words, the first few of them.
fn describe(ranges: &[Range<u64>]) -> String {
    let mut words: Vec<String> = ranges.iter().take(3).map(|r| format!("[{}, {})", r.start, r.end)).collect();
    if ranges.len() > 3 {
        words.push(format!("and {} more", ranges.len() - 3));
    }
    words.join(", ")
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
    /// Identifier of the JSON schema of a record.
    pub const SCHEMA: &'static str = "clout.run/1";

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
        let refuse = |field: &str, value: String, allowed: String| ScenarioError::Invalid {
            source_name: done_name.to_string(),
            error: crate::error::FieldError::new(field, value, allowed),
        };
        let ours = env!("CARGO_PKG_VERSION");
        if done.schema != RunRecord::SCHEMA {
            return Err(refuse("schema", done.schema.clone(), format!("must be {:?}", RunRecord::SCHEMA)));
        }
        if done.clout_version != ours {
            return Err(refuse(
                "clout_version",
                done.clout_version.clone(),
                format!("must be {ours}, the version resuming it (resume with the version that ran it)"),
            ));
        }
        if done.seed != runner.seed() {
            return Err(refuse(
                "seed",
                done.seed.to_string(),
                format!(
                    "must be this run's seed {}: resume with the interrupted run's --seed",
                    runner.seed()
                ),
            ));
        }
        let mut ours_resolved = scenario.clone();
        ours_resolved.run.seed = runner.seed();
        if done.scenario != ours_resolved {
            return Err(refuse(
                "scenario",
                format!("{:?}", done.scenario.name),
                "must be the scenario being run, field for field (the same file, the same --trials)".into(),
            ));
        }
        let parts = model.parts(scenario.run.trials);
        let held =
            done.held(&parts).map_err(|reason| refuse("coverage", "(the trials held)".into(), reason))?;
        let want: Vec<Vec<Range<u64>>> = parts.iter().map(|&(_, of)| vec![shard.range(of)]).collect();
        let rest: Vec<Vec<Range<u64>>> = want.iter().zip(&held).map(|(w, h)| subtract(w, h)).collect();
        let shard_words = if shard == Shard::WHOLE {
            "the run".to_string()
        } else {
            format!("shard {}/{}", shard.index, shard.count)
        };
        if rest.iter().all(Vec::is_empty) {
            return Err(refuse(
                "coverage",
                "(the trials held)".into(),
                format!("already holds every trial of {shard_words}: nothing to resume"),
            ));
        }
        if rest == want {
            return Err(refuse(
                "coverage",
                "(the trials held)".into(),
                format!("holds no trial of {shard_words}: resume with the interrupted run's --shard"),
            ));
        }
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
            let (summary, held) = runner.run_ranges(model, ranges, offset);
            done.push(held);
            summary
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
    pub fn sweep(&self) -> Result<crate::experiment::sweep::Sweep, ScenarioError> {
        let invalid = |error| ScenarioError::Invalid { source_name: self.source_label(), error };
        let (scenario, _) = self.clone().resolve_base().map_err(invalid)?;
        crate::experiment::sweep::Sweep::new(&scenario).map_err(invalid)
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

/// Why records cannot be merged. Each names the files (or record numbers)
/// involved and says what differs.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MergeError {
    /// Nothing to merge.
    #[error("no records to merge")]
    Empty,
    /// Records of different runs.
    #[error("{first} and {other} are not parts of the same run: their {what} differ{detail}")]
    Mismatch {
        /// The first record's name.
        first: String,
        /// The differing record's name.
        other: String,
        /// What differs: scenario, seed, clout version, model, schema.
        what: String,
        /// The two values, where short.
        detail: String,
    },
    /// The same trials twice.
    #[error("{first} and {other} both hold {part}trials [{start}, {end}) (overlapping records)")]
    Overlap {
        /// The part, with a colon and space, or empty for a plain run.
        part: String,
        /// First trial held twice.
        start: u64,
        /// End of the trials held twice.
        end: u64,
        /// One record holding them.
        first: String,
        /// The other.
        other: String,
    },
    /// Trials missing, and no partial merge was asked for (`missing` reads
    /// "trials [0, 1000) of 4000 are missing").
    #[error("{missing} (a gap): merge them too, or ask for a partial merge")]
    Gap {
        /// The missing trials, in words.
        missing: String,
    },
    /// The records do not fit together (a damaged or edited file).
    #[error("{name}: its summary does not fit the others: {reason}")]
    Inconsistent {
        /// The record's name.
        name: String,
        /// What is wrong.
        reason: String,
    },
}

impl RunRecord {
    /// The trials this record holds of each of `parts` (from
    /// [`ScenarioModel::parts`]), checked: the parts must be those, each
    /// range non-empty and within the part, increasing and not touching, and
    /// the summary must hold as many trials as the ranges.
    pub fn held(&self, parts: &[(&'static str, u64)]) -> Result<Vec<Vec<Range<u64>>>, String> {
        let held: Vec<Vec<Range<u64>>> = match &self.coverage {
            None => parts.iter().map(|&(_, of)| std::iter::once(0..of).collect()).collect(),
            Some(coverage) => {
                let names: Vec<&str> = coverage.iter().map(|p| p.part.as_str()).collect();
                let expected: Vec<&str> = parts.iter().map(|p| p.0).collect();
                if names != expected {
                    return Err(format!("its coverage lists parts {names:?}, the scenario has {expected:?}"));
                }
                let mut held = Vec::new();
                for (p, &(name, of)) in coverage.iter().zip(parts) {
                    if p.of != of {
                        return Err(format!("part {name} of {} trials, the scenario has {of}", p.of));
                    }
                    let ranges = p.ranges();
                    let ordered = ranges.iter().all(|r| r.start < r.end && r.end <= of)
                        && ranges.windows(2).all(|w| w[0].end < w[1].start);
                    if !ordered {
                        return Err(format!(
                            "part {name}: ranges must be non-empty, within [0, {of}), increasing and apart"
                        ));
                    }
                    held.push(ranges);
                }
                held
            }
        };
        for (&(name, _), ranges) in parts.iter().zip(&held) {
            let count: u64 = ranges.iter().map(|r| r.end - r.start).sum();
            if self.summary.part_trials(name) != count {
                return Err(format!(
                    "part {name}: its summary holds {} trials, its coverage {count}",
                    self.summary.part_trials(name)
                ));
            }
        }
        Ok(held)
    }

    /// Marks the record as holding `done` of `parts`, with `first_trial` and
    /// `trials` describing the first part.
    fn set_coverage(&mut self, parts: &[(&'static str, u64)], done: &[Vec<Range<u64>>]) {
        let coverage: Vec<PartTrials> = parts
            .iter()
            .zip(done)
            .map(|(&(part, of), ranges)| PartTrials {
                part: part.to_string(),
                of,
                ranges: ranges.iter().map(|r| [r.start, r.end]).collect(),
            })
            .collect();
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
        for (i, r) in records.iter().enumerate() {
            let mismatch = |what: &str, a: String, b: String| MergeError::Mismatch {
                first: name(0),
                other: name(i),
                what: what.to_string(),
                detail: if a.len() + b.len() < 80 { format!(" ({a} against {b})") } else { String::new() },
            };
            if r.schema != first.schema {
                return Err(mismatch("schemas", first.schema.clone(), r.schema.clone()));
            }
            if r.clout_version != first.clout_version {
                return Err(mismatch("clout versions", first.clout_version.clone(), r.clout_version.clone()));
            }
            if r.seed != first.seed {
                return Err(mismatch("seeds", first.seed.to_string(), r.seed.to_string()));
            }
            if r.model != first.model {
                return Err(mismatch("models", first.model.name().into(), r.model.name().into()));
            }
            if r.scenario != first.scenario {
                return Err(mismatch("scenarios", first.scenario.name.clone(), r.scenario.name.clone()));
            }
        }
        let ours = env!("CARGO_PKG_VERSION");
        if first.clout_version != ours {
            return Err(MergeError::Mismatch {
                first: name(0),
                other: format!("this clout ({ours})"),
                what: "clout versions".into(),
                detail: format!(
                    " ({} against {ours}): merge with the version that ran the pieces",
                    first.clout_version
                ),
            });
        }
        let (_, model) = first
            .scenario
            .clone()
            .resolve()
            .map_err(|e| MergeError::Inconsistent { name: name(0), reason: format!("its scenario: {e}") })?;
        let parts = model.parts(first.scenario.run.trials);
        // Every range held, with the record holding it, part by part.
        let mut held: Vec<Vec<(Range<u64>, usize)>> = vec![Vec::new(); parts.len()];
        for (i, r) in records.iter().enumerate() {
            let own = r.held(&parts).map_err(|reason| MergeError::Inconsistent { name: name(i), reason })?;
            for (all, ranges) in held.iter_mut().zip(own) {
                all.extend(ranges.into_iter().map(|range| (range, i)));
            }
        }
        let label = |k: usize| if parts.len() > 1 { format!("{}: ", parts[k].0) } else { String::new() };
        let mut missing = Vec::new();
        let mut present = Vec::new();
        for (k, all) in held.iter_mut().enumerate() {
            all.sort_by_key(|(r, _)| r.start);
            for pair in all.windows(2) {
                let ((a, i), (b, j)) = (&pair[0], &pair[1]);
                if a.end > b.start {
                    return Err(MergeError::Overlap {
                        part: label(k),
                        start: b.start,
                        end: a.end.min(b.end),
                        first: name(*i),
                        other: name(*j),
                    });
                }
            }
            let union = coalesce(all.iter().map(|(r, _)| r.clone()).collect());
            let gaps = subtract(std::slice::from_ref(&(0..parts[k].1)), &union);
            if !gaps.is_empty() {
                missing.push(format!("{}trials {} of {}", label(k), describe(&gaps), parts[k].1));
            }
            present.push(union);
        }
        if !missing.is_empty() && !allow_partial {
            return Err(MergeError::Gap { missing: format!("{} are missing", missing.join("; ")) });
        }
        let mut summary = first.summary.clone();
        for (i, r) in records.iter().enumerate().skip(1) {
            // A damaged file can break a summary's invariants (a histogram of
            // another precision, say), which the merge checks by asserting.
            let merged = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                let mut s = summary.clone();
                s.merge(&r.summary).map(|()| s)
            }));
            summary = match merged {
                Ok(Ok(s)) => s,
                Ok(Err(reason)) => return Err(MergeError::Inconsistent { name: name(i), reason }),
                Err(_) => {
                    return Err(MergeError::Inconsistent {
                        name: name(i),
                        reason: "its statistics were kept with other settings (a damaged file?)".into(),
                    });
                }
            };
        }
        let report = model.report(&summary).ok_or_else(|| MergeError::Inconsistent {
            name: name(0),
            reason: "its summary belongs to another model than its scenario".into(),
        })?;
        let mut record = first.scenario.record(report, summary, first.seed, 0);
        record.clout_version = first.clout_version.clone();
        if !missing.is_empty() {
            record.set_coverage(&parts, &present);
        }
        Ok(record)
    }

    /// The trials this record holds, in words (`trials [0, 5120) of 100000`),
    /// or `None` for a whole run.
    pub fn coverage_in_words(&self) -> Option<String> {
        let coverage = self.coverage.as_ref()?;
        let words: Vec<String> = coverage
            .iter()
            .map(|p| {
                let part = if coverage.len() > 1 { format!("{}: ", p.part) } else { String::new() };
                let ranges = p.ranges();
                let held = if ranges.is_empty() {
                    "no trials".to_string()
                } else {
                    format!("trials {}", describe(&ranges))
                };
                format!("{part}{held} of {}", p.of)
            })
            .collect();
        Some(words.join("; "))
    }
}
