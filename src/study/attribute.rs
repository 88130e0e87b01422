//! Attribution of a Career scenario ([`crate::experiment::attribute`] has
//! the estimators and their equations): Sobol indices, luck replays and
//! counterfactuals, as the scenario's `[attribute]` section (or the
//! defaults) asks, in one record.

use crate::error::FieldError;
use crate::experiment::attribute::{
    AttributeSpec, CareerFactors, CounterfactualReport, CounterfactualSummary, Counterfactuals, ReplayReport,
    ReplaySummary, Replays, Sobol, SobolReport, SobolSummary,
};
use crate::model::{Model, Summary};
use crate::runner::Runner;
use crate::scenario::{ModelKind, Scenario};
use crate::study::executor::{Part, PartRun, RecordOf, Study, run_model};
use serde::{Deserialize, Serialize};
use std::ops::Range;

/// Attribution of a Career scenario: Sobol indices, luck replays and
/// counterfactuals, as its `[attribute]` section (or the defaults) asks.
///
/// ```
/// use clout::study::attribute::Attribution;
/// use clout::{Runner, Scenario};
/// let mut scenario = Scenario::builtin("default")?;
/// let mut spec = clout::experiment::attribute::AttributeSpec::default();
/// (spec.sobol_rows, spec.replay_creators, spec.counterfactual_creators) = (500, 200, 500);
/// scenario.attribute = Some(spec);
/// let record = Attribution::new(&scenario)?.run(&Runner::new(scenario.run.seed));
/// let report = record.report.as_ref().ok_or("a run has its report")?;
/// let luck = report.sobol.output("log10(1+followers)").unwrap().input("luck").unwrap();
/// assert!(luck.total.lower <= luck.total.value);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
pub struct Attribution {
    scenario: Scenario,
    spec: AttributeSpec,
    sobol: Sobol<CareerFactors>,
    replays: Replays<CareerFactors>,
    counterfactuals: Counterfactuals,
}

impl Attribution {
    /// The attribution of `scenario` (a Career scenario without `[start]` or
    /// `[condition]`; `run.method` and `[rare]` are ignored: attribution
    /// samples the population as it is).
    pub fn new(scenario: &Scenario) -> Result<Attribution, FieldError> {
        if scenario.model != ModelKind::Career {
            return Err(FieldError::new(
                "model",
                format!("{:?}", scenario.model.name()),
                "attribution needs model = \"career\" (talent, effort, timing, niche and luck)",
            ));
        }
        if scenario.sweep.is_some() {
            return Err(FieldError::new(
                "sweep",
                "(a section)",
                "attribution runs one scenario, not a sweep: run the sweep with `clout sweep`, or remove [sweep]",
            ));
        }
        if scenario.start.is_some() || scenario.condition.is_some() {
            return Err(FieldError::new(
                if scenario.start.is_some() { "start" } else { "condition" },
                "(a section)",
                "attribution runs careers from their first day; remove [start] and [condition]",
            ));
        }
        let spec = scenario.attribute.clone().unwrap_or_default();
        spec.validate().map_err(|e| e.within("attribute"))?;
        let career = scenario.career_model()?;
        if !career.spec().population.correlation.is_off() {
            return Err(FieldError::new(
                "population.correlation",
                "(correlated traits)",
                "must be 0 for attribution: its Sobol indices mix traits of different creators, \
                 which takes them as independent",
            ));
        }
        let factors = CareerFactors::new(career.clone());
        let mut scenario = scenario.clone();
        scenario.attribute = Some(spec.clone());
        Ok(Attribution {
            scenario,
            sobol: Sobol::new(factors.clone(), spec.min_hits),
            replays: Replays::new(factors, spec.replays, spec.min_hits),
            counterfactuals: Counterfactuals::new(career, spec.counterfactuals.clone()),
            spec,
        })
    }

    /// The settings.
    pub fn spec(&self) -> &AttributeSpec {
        &self.spec
    }

    /// Runs the three parts on `runner`'s seed and threads (the whole run;
    /// [`crate::study::executor`] runs shards and rests).
    pub fn run(&self, runner: &Runner) -> AttributionRecord {
        self.run_whole(runner)
    }
}

/// The three parts run on the same seed, each in its own stream domain
/// (0, 1, 2), so their creators are different: three independent estimates.
impl Study for Attribution {
    const SCHEMA: &'static str = "clout.attribution/4";
    const NAME: &'static str = "attribution";
    type Report = AttributionReport;
    type Summary = AttributionSummary;

    fn from_scenario(scenario: &Scenario) -> Result<Self, FieldError> {
        Attribution::new(scenario)
    }

    fn scenario(&self) -> &Scenario {
        &self.scenario
    }

    fn parts(&self) -> Vec<Part> {
        vec![
            Part { name: "sobol", trials: self.spec.sobol_rows },
            Part { name: "replays", trials: self.spec.replay_creators },
            Part { name: "counterfactuals", trials: self.spec.counterfactual_creators },
        ]
    }

    /// A Sobol row runs `inputs + 2` careers, a replayed creator `replays`,
    /// a counterfactual creator one as drawn and one per edit.
    fn careers(&self) -> u64 {
        let s = &self.spec;
        let inputs = self.sobol.inputs() as u64;
        s.sobol_rows
            .saturating_mul(inputs + 2)
            .saturating_add(s.replay_creators.saturating_mul(u64::from(s.replays)))
            .saturating_add(s.counterfactual_creators.saturating_mul(s.counterfactuals.len() as u64 + 1))
    }

    fn empty(&self) -> AttributionSummary {
        AttributionSummary {
            sobol: self.sobol.new_summary(),
            replays: self.replays.new_summary(),
            counterfactuals: self.counterfactuals.new_summary(),
        }
    }

    fn run_part(
        &self,
        k: usize,
        runner: &Runner,
        ranges: &[Range<u64>],
        offset: &mut u64,
        s: &mut AttributionSummary,
    ) -> PartRun {
        match k {
            0 => run_model(runner, &self.sobol, ranges, offset, &mut s.sobol),
            1 => run_model(runner, &self.replays, ranges, offset, &mut s.replays),
            _ => run_model(runner, &self.counterfactuals, ranges, offset, &mut s.counterfactuals),
        }
    }

    fn held(&self, s: &AttributionSummary, k: usize) -> u64 {
        [s.sobol.trials(), s.replays.trials(), s.counterfactuals.trials()][k]
    }

    fn check(&self, s: &AttributionSummary) -> Result<(), String> {
        let empty = self.empty();
        let fits = [
            ("sobol", empty.sobol.same_shape(&s.sobol)),
            ("replays", empty.replays.same_shape(&s.replays)),
            ("counterfactuals", empty.counterfactuals.same_shape(&s.counterfactuals)),
        ];
        match fits.iter().find(|(_, fits)| !fits) {
            Some((part, _)) => Err(format!("its {part} statistics have another shape than its scenario's")),
            None => s.counterfactuals.check().map_err(|e| format!("its counterfactuals: {e}")),
        }
    }

    fn merge(&self, into: &mut AttributionSummary, other: &AttributionSummary) {
        into.sobol.merge(&other.sobol);
        into.replays.merge(&other.replays);
        into.counterfactuals.merge(&other.counterfactuals);
    }

    fn report(&self, s: &AttributionSummary) -> AttributionReport {
        AttributionReport {
            sobol: self.sobol.report(&s.sobol),
            replays: self.replays.report(&s.replays),
            counterfactuals: self.counterfactuals.report(&s.counterfactuals),
        }
    }
}

/// The mergeable statistics of the three parts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AttributionSummary {
    /// Sobol rows.
    pub sobol: SobolSummary,
    /// Replayed creators.
    pub replays: ReplaySummary,
    /// Counterfactual creators.
    pub counterfactuals: CounterfactualSummary,
}

/// What attribution found, in three parts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AttributionReport {
    /// Sobol indices.
    pub sobol: SobolReport,
    /// Luck replays.
    pub replays: ReplayReport,
    /// Counterfactual edits.
    pub counterfactuals: CounterfactualReport,
}

/// The record of an attribution run (JSON schema [`Attribution::SCHEMA`],
/// `clout attribute --format json`).
pub type AttributionRecord = RecordOf<Attribution>;
