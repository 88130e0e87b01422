//! Reports: what a run found, as a table, JSON or CSV.
//!
//! The JSON form of a run is a [`RunRecord`]; its schema is documented in the
//! README ("Output") and identified by [`RunRecord::SCHEMA`]. Fields are only
//! ever added within one schema version.

pub mod career;

use crate::error::ScenarioError;
use crate::model::gibrat::GibratReport;
use crate::model::talent_luck::{NonSpatialReport, TalentLuckReport};
use crate::model::yule::YuleReport;
use crate::runner::Runner;
use crate::scenario::{ModelKind, Scenario, ScenarioModel};
use career::CareerReport;
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
}

impl Report {
    /// The readable table.
    pub fn to_table(&self) -> String {
        match self {
            Report::Career(r) => r.to_table(),
            Report::Gibrat(r) => r.to_table(),
            Report::Yule(r) => r.to_table(),
            Report::TalentVsLuck(r) => r.to_table(),
            Report::TalentVsLuckNonspatial(r) => r.to_table(),
        }
    }

    /// CSV.
    pub fn to_csv(&self) -> String {
        match self {
            Report::Career(r) => r.to_csv(),
            Report::Gibrat(r) => r.to_csv(),
            Report::Yule(r) => r.to_csv(),
            Report::TalentVsLuck(r) => r.to_csv(),
            Report::TalentVsLuckNonspatial(r) => r.to_csv(),
        }
    }
}

/// Everything needed to reproduce and read a run: the crate version, the
/// full resolved scenario, the seed and trial range, and the report.
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
}

impl RunRecord {
    /// Identifier of the JSON schema of a record.
    pub const SCHEMA: &'static str = "clout.run/1";

    /// The Career report, if this was a Career run.
    pub fn career(&self) -> Option<&CareerReport> {
        match &self.report {
            Report::Career(r) => Some(r),
            _ => None,
        }
    }

    /// The readable table: a header naming the scenario, seed and version, then the report.
    pub fn to_table(&self) -> String {
        let header = format!(
            "clout {} | scenario {:?}: {} | model {:?} | seed {} | trials {}\n\n",
            self.clout_version,
            self.scenario.name,
            self.scenario.description,
            self.model,
            self.seed,
            self.trials
        );
        header + &self.report.to_table()
    }

    /// CSV, one row per tier (or per statistic for the reference models).
    pub fn to_csv(&self) -> String {
        self.report.to_csv()
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
    /// progress); the runner's seed is used. A scenario changed by hand after
    /// loading is validated again: an invalid one is an error naming the
    /// scenario (by its `name`) and the field.
    pub fn run_with(&self, runner: &Runner) -> Result<RunRecord, ScenarioError> {
        let (scenario, model) = self.clone().resolve().map_err(|error| ScenarioError::Invalid {
            source_name: if self.name.is_empty() {
                "<scenario>".to_string()
            } else {
                format!("scenario {:?}", self.name)
            },
            error,
        })?;
        let trials = scenario.run.trials;
        let report = match &model {
            ScenarioModel::Career(m) => Report::Career(runner.run(m.as_ref(), trials).summary.report()),
            ScenarioModel::Gibrat(m) => Report::Gibrat(runner.run(m, trials).summary.report(m.spec())),
            ScenarioModel::Yule(m) => Report::Yule(runner.run(m, trials).summary.report(m.spec())),
            ScenarioModel::TalentVsLuck(m) => Report::TalentVsLuck(runner.run(m, trials).summary.report()),
            ScenarioModel::TalentVsLuckNonspatial(m) => {
                Report::TalentVsLuckNonspatial(runner.run(m, trials).summary.report(m.spec()))
            }
        };
        Ok(scenario.record(report, runner.seed(), 0))
    }

    /// Wraps a report with this scenario's bookkeeping.
    pub fn record(&self, report: Report, seed: u64, first_trial: u64) -> RunRecord {
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
        }
    }
}
