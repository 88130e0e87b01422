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
use crate::model::Model;
use crate::model::career::{CareerReport, CareerSummary};
use crate::model::gibrat::{GibratReport, GibratSummary};
use crate::model::talent_luck::{NonSpatialReport, NonSpatialSummary, TalentLuckReport, TalentLuckSummary};
use crate::model::yule::{YuleReport, YuleSummary};
use crate::runner::Runner;
use crate::scenario::{ModelKind, Scenario, ScenarioModel};
use serde::{Deserialize, Serialize};

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
    /// First trial index run (0 unless a range was run).
    pub first_trial: u64,
    /// Number of trials run.
    pub trials: u64,
    /// The scenario with every default filled in.
    pub scenario: Scenario,
    /// What the run found.
    pub report: Report,
    /// The statistics the report was computed from, mergeable exactly with
    /// those of other trial ranges of the same scenario and seed.
    pub summary: RunSummary,
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

/// Runs `trials` trials of `model` and returns its report and summary.
fn run_model<M: Model>(runner: &Runner, model: &M, trials: u64) -> (M::Report, M::Summary) {
    let summary = runner.run(model, trials).summary;
    (model.report(&summary), summary)
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
    /// progress); the runner's seed is used. A scenario changed by hand after
    /// loading is validated again: an invalid one is an error naming the
    /// scenario (by its `name`) and the field.
    pub fn run_with(&self, runner: &Runner) -> Result<RunRecord, ScenarioError> {
        let invalid = |error| ScenarioError::Invalid { source_name: self.source_label(), error };
        if self.sweep.is_some() {
            return Err(invalid(crate::error::FieldError::new(
                "sweep",
                "(a section)",
                "makes this a sweep: run it with `clout sweep` (Scenario::sweep in the library)",
            )));
        }
        let (scenario, model) = self.clone().resolve().map_err(invalid)?;
        let trials = scenario.run.trials;
        let (report, summary) = match &model {
            ScenarioModel::Career(m) => {
                let (r, s) = run_model(runner, m.as_ref(), trials);
                (Report::Career(r), RunSummary::Career(s))
            }
            ScenarioModel::Gibrat(m) => {
                let (r, s) = run_model(runner, m, trials);
                (Report::Gibrat(r), RunSummary::Gibrat(s))
            }
            ScenarioModel::Yule(m) => {
                let (r, s) = run_model(runner, m, trials);
                (Report::Yule(r), RunSummary::Yule(s))
            }
            ScenarioModel::TalentVsLuck(m) => {
                let (r, s) = run_model(runner, m, trials);
                (Report::TalentVsLuck(r), RunSummary::TalentVsLuck(s))
            }
            ScenarioModel::TalentVsLuckNonspatial(m) => {
                let (r, s) = run_model(runner, m, trials);
                (Report::TalentVsLuckNonspatial(r), RunSummary::TalentVsLuckNonspatial(s))
            }
            ScenarioModel::Conditional(m) => {
                let (r, s) = m.run(runner, trials);
                (Report::Conditional(Box::new(r)), RunSummary::Conditional(Box::new(s)))
            }
        };
        Ok(scenario.record(report, summary, runner.seed(), 0))
    }

    /// How errors name this scenario: by its `name`, or `<scenario>`.
    fn source_label(&self) -> String {
        if self.name.is_empty() { "<scenario>".to_string() } else { format!("scenario {:?}", self.name) }
    }

    /// The validated sweep of a scenario with a `[sweep]` section.
    pub fn sweep(&self) -> Result<crate::experiment::sweep::Sweep, ScenarioError> {
        let invalid = |error| ScenarioError::Invalid { source_name: self.source_label(), error };
        let (scenario, _) = self.clone().resolve().map_err(invalid)?;
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
        }
    }
}
