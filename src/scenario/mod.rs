//! Scenario files: a question written as TOML.
//!
//! A scenario names a model, says how many trials to run with which seed,
//! and sets the model's parameters; anything left out takes its documented
//! default. Unknown fields are refused, and every value is checked: an error
//! names the file, the field, the value and what is allowed, e.g.
//! `bad.toml: population.talent.sd = -1: must be > 0`.
//!
//! ```
//! use clout::{Scenario, Tier};
//! let scenario = Scenario::from_toml_str(r#"
//!     name = "what-if"
//!     [run]
//!     trials = 1000
//!     [population]
//!     talent = 0.7
//!     effort = 5
//! "#, "what-if.toml").unwrap();
//! let model = scenario.career_model().unwrap();
//! assert_eq!(model.spec().population.talent, clout::Law::Fixed { value: 0.7 });
//! ```

pub mod sweep;

use crate::error::{FieldError, ScenarioError};
use crate::experiment::attribute::AttributeSpec;
use crate::experiment::delusion::DelusionSpec;
use crate::experiment::rare::{ImportanceSampler, Method, RareReport, RareSpec, RareSummary};
use crate::model::MAX_TRIALS;
use crate::model::bianconi_barabasi::{BianconiBarabasiModel, BianconiBarabasiSpec};
use crate::model::career::conditional::{ConditionSpec, Conditional, CreatorsLikeYou, GivenState, StartSpec};
use crate::model::career::{
    CareerModel, CareerSpec, Observation, Persistence, Platform, Population, TrajectorySpec,
};
use crate::model::gibrat::{GibratModel, GibratSpec};
use crate::model::platform::{CompetitionSpec, Field, FieldKind};
use crate::model::talent_luck::{
    TalentLuckModel, TalentLuckNonSpatialModel, TalentLuckNonSpatialSpec, TalentLuckSpec,
};
use crate::model::world::{WorldModel, WorldPrice, WorldSpec};
use crate::model::yule::{YuleModel, YuleSpec};
use crate::runner::Runner;
use crate::scenario::sweep::{Sweep, SweepSpec};
use crate::tier::Tiers;
use serde::{Deserialize, Serialize};
use std::ops::Range;
use std::path::Path;

/// The largest scenario file read: 1 MiB (a scenario is a short text).
pub const MAX_SCENARIO_BYTES: u64 = 1 << 20;
/// The longest `name`, in characters.
pub const MAX_NAME_CHARS: usize = 200;
/// The longest `description`, in characters.
pub const MAX_DESCRIPTION_CHARS: usize = 2_000;

/// Which model a scenario runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ModelKind {
    /// The Career model ([`crate::model::career`]), the default.
    #[default]
    Career,
    /// Geometric Brownian motion with a barrier ([`crate::model::gibrat`]), section `[gibrat]`.
    Gibrat,
    /// The Yule pure-birth process ([`crate::model::yule`]), section `[yule]`.
    Yule,
    /// Spatial Talent vs Luck ([`crate::model::talent_luck`]), section `[talent_vs_luck]`.
    TalentVsLuck,
    /// Non-spatial Talent vs Luck, section `[talent_vs_luck_nonspatial]`.
    TalentVsLuckNonspatial,
    /// Preferential attachment with fitness ([`crate::model::bianconi_barabasi`]),
    /// section `[bianconi_barabasi]`.
    BianconiBarabasi,
}

impl ModelKind {
    /// The name used in scenario files.
    pub fn name(self) -> &'static str {
        match self {
            ModelKind::Career => "career",
            ModelKind::Gibrat => "gibrat",
            ModelKind::Yule => "yule",
            ModelKind::TalentVsLuck => "talent_vs_luck",
            ModelKind::TalentVsLuckNonspatial => "talent_vs_luck_nonspatial",
            ModelKind::BianconiBarabasi => "bianconi_barabasi",
        }
    }
}

/// How a scenario is run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RunSettings {
    /// Number of trials, in `[1, 1e12]`, written plainly or like `1e5` (as
    /// on the command line). Default 100,000.
    #[serde(deserialize_with = "whole_number")]
    pub trials: u64,
    /// Seed of the random streams. Default 2026.
    pub seed: u64,
    /// How odds are estimated: `brute` (plain Monte Carlo, the default) or
    /// `rare` (importance sampling of the traits, tuned by a pilot: see the
    /// `[rare]` section and [`crate::experiment::rare`]).
    #[serde(skip_serializing_if = "Method::is_brute")]
    pub method: Method,
}

/// A whole number in `[low, high]` written plainly (`100000`) or in
/// scientific notation (`1e5`, `2.5e6`), as scenario files and the command
/// line take counts; `None` otherwise.
pub fn parse_whole(text: &str, low: u64, high: u64) -> Option<u64> {
    let text = text.trim();
    let value = text.parse::<u64>().ok().or_else(|| whole_of(text.parse::<f64>().ok()?))?;
    (low..=high).contains(&value).then_some(value)
}

/// `f` as a whole number, when it is one that a `u64` holds (`1e5`, `2.5e6`).
fn whole_of(f: f64) -> Option<u64> {
    (f.fract() == 0.0 && (0.0..1.8e19).contains(&f)).then_some(f as u64)
}

/// A count written as a TOML integer or as a float that is a whole number
/// (`1e5`, `2.5e6`), as the command line takes it; the range is checked with
/// the rest of the scenario.
fn whole_number<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<u64, D::Error> {
    struct Whole;
    impl serde::de::Visitor<'_> for Whole {
        type Value = u64;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            write!(f, "a whole number from 1 to {MAX_TRIALS:e} (1e5 style is fine)")
        }
        fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<u64, E> {
            Ok(v)
        }
        fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<u64, E> {
            u64::try_from(v).map_err(|_| E::invalid_value(serde::de::Unexpected::Signed(v), &self))
        }
        fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<u64, E> {
            whole_of(v)
                .filter(|&n| n <= MAX_TRIALS)
                .ok_or_else(|| E::invalid_value(serde::de::Unexpected::Float(v), &self))
        }
    }
    deserializer.deserialize_any(Whole)
}

impl Default for RunSettings {
    fn default() -> Self {
        RunSettings { trials: 100_000, seed: 2026, method: Method::Brute }
    }
}

/// A scenario: the model, its parameters and how to run it.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// Short name.
    #[serde(default)]
    pub name: String,
    /// The question the scenario asks, in words.
    #[serde(default)]
    pub description: String,
    /// The model to run (default `career`).
    #[serde(default)]
    pub model: ModelKind,
    /// Trials and seed.
    #[serde(default)]
    pub run: RunSettings,
    /// Career: how careers are observed (cohort or snapshot).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub observation: Option<Observation>,
    /// Career: the distributions of creator traits.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub population: Option<Population>,
    /// Career: platform parameters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub platform: Option<Platform>,
    /// Career: quitting rules.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub persistence: Option<Persistence>,
    /// Career: tier thresholds and the goal tier.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tiers: Option<Tiers>,
    /// Career: the career days on which followers are summarised (default:
    /// one month to five years, within the longest career observed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trajectory: Option<TrajectorySpec>,
    /// Career: each post's engagement (*engagement*; off when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub engagement: Option<crate::model::career::money::Engagement>,
    /// Career: a yearly income from brand deals and ads, and the income
    /// levels reported (*money*; off when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub money: Option<crate::model::career::money::Money>,
    /// Career, conditional odds "given a state": the state to continue from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start: Option<StartSpec>,
    /// Career, conditional odds "creators like you": what was observed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub condition: Option<ConditionSpec>,
    /// A sweep over this scenario's fields (run with `clout sweep`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sweep: Option<SweepSpec>,
    /// How a `run.method = "rare"` run finds its proposal (Career and Gibrat).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rare: Option<RareSpec>,
    /// Career: how `clout attribute` runs (Sobol rows, luck replays,
    /// counterfactual edits); defaults when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attribute: Option<AttributeSpec>,
    /// Career: how `clout delusion` runs (the tier, the growth window, the
    /// snapshot a viewer sees); defaults when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delusion: Option<DelusionSpec>,
    /// Gibrat: parameters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gibrat: Option<GibratSpec>,
    /// Yule: parameters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub yule: Option<YuleSpec>,
    /// Spatial Talent vs Luck: parameters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub talent_vs_luck: Option<TalentLuckSpec>,
    /// Non-spatial Talent vs Luck: parameters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub talent_vs_luck_nonspatial: Option<TalentLuckNonSpatialSpec>,
    /// Career: creators competing for attention (the platform model's
    /// field, [`crate::model::platform`]); none: Career's openness.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub competition: Option<CompetitionSpec>,
    /// Career: run worlds of creators competing together
    /// ([`crate::model::world`]) instead of careers one at a time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub world: Option<WorldSpec>,
    /// Bianconi-Barabasi: parameters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bianconi_barabasi: Option<BianconiBarabasiSpec>,
}

/// The models a plain run runs through [`crate::model::Model`] alone,
/// listed once: each line is a variant of [`ScenarioModel`],
/// [`crate::study::run::RunSummary`] and [`crate::study::run::Report`] (its
/// name, doc), how the scenario holds the model, the model, its summary and
/// its report. `plain_models!(m)` calls the macro `m` with the list, which
/// writes those enums and every match over them (the plain run's parts,
/// checks, merges, reports, tables); a new model of this kind is one line
/// here, its section of the scenario and its arm in [`Scenario::resolve`].
/// Conditional and rare-event runs, which are not one `Model`, are written
/// beside them by hand.
macro_rules! plain_models {
    ($apply:ident) => {
        $apply! {
            Career("The Career model (boxed: it is much larger than the others).",
                Box<$crate::model::career::CareerModel>, $crate::model::career::CareerModel,
                $crate::model::career::CareerSummary, $crate::model::career::CareerReport),
            Gibrat("Geometric Brownian motion.",
                $crate::model::gibrat::GibratModel, $crate::model::gibrat::GibratModel,
                $crate::model::gibrat::GibratSummary, $crate::model::gibrat::GibratReport),
            Yule("The Yule process.",
                $crate::model::yule::YuleModel, $crate::model::yule::YuleModel,
                $crate::model::yule::YuleSummary, $crate::model::yule::YuleReport),
            TalentVsLuck("Spatial Talent vs Luck.",
                $crate::model::talent_luck::TalentLuckModel, $crate::model::talent_luck::TalentLuckModel,
                $crate::model::talent_luck::TalentLuckSummary, $crate::model::talent_luck::TalentLuckReport),
            TalentVsLuckNonspatial("Non-spatial Talent vs Luck.",
                $crate::model::talent_luck::TalentLuckNonSpatialModel,
                $crate::model::talent_luck::TalentLuckNonSpatialModel,
                $crate::model::talent_luck::NonSpatialSummary, $crate::model::talent_luck::NonSpatialReport),
            BianconiBarabasi("Preferential attachment with fitness (Bianconi-Barabasi).",
                $crate::model::bianconi_barabasi::BianconiBarabasiModel,
                $crate::model::bianconi_barabasi::BianconiBarabasiModel,
                $crate::model::bianconi_barabasi::BbSummary, $crate::model::bianconi_barabasi::BbReport),
            World("Worlds of the platform model (a Career scenario with `[world]`).",
                Box<$crate::model::world::WorldModel>, $crate::model::world::WorldModel,
                $crate::model::world::WorldSummary, $crate::model::world::WorldReport),
        }
    };
}
pub(crate) use plain_models;

/// Writes [`ScenarioModel`] from the list of [`plain_models!`].
macro_rules! scenario_model {
    ($($variant:ident($doc:literal, $held:ty, $model:ty, $summary:ty, $report:ty)),* $(,)?) => {
        /// The validated model a scenario names, ready to run.
        #[derive(Debug, Clone)]
        pub enum ScenarioModel {
            $(
                #[doc = $doc]
                $variant($held),
            )*
            /// Conditional odds of the Career model (`[start]` and/or `[condition]`).
            Conditional(Box<Conditional>),
            /// A rare-event run (`run.method = "rare"`) of the Career or Gibrat model.
            Rare(Box<RareSetup>),
        }
    };
}
plain_models!(scenario_model);

/// A rare-event run of one of the models that support it.
#[derive(Debug, Clone)]
pub enum RareSetup {
    /// The Career model.
    Career(Box<ImportanceSampler<CareerModel>>),
    /// Gibrat (with a random drift for the traits to reweight).
    Gibrat(Box<ImportanceSampler<GibratModel>>),
    /// Careers continued from a given state (`[start]`).
    Given(Box<ImportanceSampler<GivenState>>),
}

impl RareSetup {
    /// Runs `ranges` of roots (the pilot first, whole), stopping early if
    /// the runner's stop flag rises; returns the summary and the ranges done.
    /// `offset` counts trials for the progress callback across calls.
    pub fn run_ranges(
        &self,
        runner: &Runner,
        ranges: &[Range<u64>],
        offset: &mut u64,
    ) -> (RareSummary, Vec<Range<u64>>) {
        match self {
            RareSetup::Career(r) => r.run_ranges(runner, ranges, offset),
            RareSetup::Gibrat(r) => r.run_ranges(runner, ranges, offset),
            RareSetup::Given(r) => r.run_ranges(runner, ranges, offset),
        }
    }

    /// The report of a summary of this setup's roots.
    pub fn report(&self, summary: &RareSummary) -> RareReport {
        match self {
            RareSetup::Career(r) => r.report(summary),
            RareSetup::Gibrat(r) => r.report(summary),
            RareSetup::Given(r) => r.report(summary),
        }
    }

    /// The validated `[rare]` settings, the target resolved.
    pub fn spec(&self) -> &RareSpec {
        match self {
            RareSetup::Career(r) => r.spec(),
            RareSetup::Gibrat(r) => r.spec(),
            RareSetup::Given(r) => r.spec(),
        }
    }

    /// How many levels its roots are scored at.
    pub fn levels(&self) -> usize {
        use crate::model::inputs::Levels as _;
        match self {
            RareSetup::Career(r) => r.model().levels().len(),
            RareSetup::Gibrat(r) => r.model().levels().len(),
            RareSetup::Given(r) => r.model().levels().len(),
        }
    }

    /// A summary of no root, with this setup's follower and income levels.
    pub fn empty_summary(&self) -> RareSummary {
        match self {
            RareSetup::Career(r) => r.empty_summary(),
            RareSetup::Gibrat(r) => r.empty_summary(),
            RareSetup::Given(r) => r.empty_summary(),
        }
    }

    /// Roots a run has: the scenario's `run.trials`, or for a given state
    /// its own `start.trials`.
    pub fn trials(&self, run_trials: u64) -> u64 {
        match self {
            RareSetup::Given(r) => r.model().trials(),
            _ => run_trials,
        }
    }
}

/// What a run is aimed at (`clout run --target`, Python's `target=`): a
/// follower level, an income a year or an engaged audience: success measured
/// three ways.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Target {
    /// A tier or any follower count.
    Level(crate::tier::Goal),
    /// An income a year, in the scenario's currency (`$100k`).
    Income(f64),
    /// An engaged audience at the horizon, engagements a post expects (`1k
    /// engaged`: "1,000 true fans"; `engagement.audience_levels`).
    Engaged(f64),
}

/// The word after a count that makes it an engaged audience (`1k engaged`).
const ENGAGED: &str = "engaged";

/// A study a scenario runs as, from the command line (`clout run`, ...) or
/// Python (`Scenario.run`, ...): what [`Target::check_asked_by`] asks about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StudyKind {
    /// `clout run`: every level's odds.
    Run,
    /// `clout sweep`: every point against the baseline.
    Sweep,
    /// `clout attribute`: Sobol indices, luck replays, counterfactuals.
    Attribute,
    /// `clout delusion`: the goal's odds seen six ways.
    Delusion,
}

impl StudyKind {
    /// Every kind, in the command line's order.
    pub const ALL: [StudyKind; 4] =
        [StudyKind::Run, StudyKind::Sweep, StudyKind::Attribute, StudyKind::Delusion];

    /// The command's name: `run`, `sweep`, `attribute`, `delusion`.
    pub fn name(self) -> &'static str {
        match self {
            StudyKind::Run => "run",
            StudyKind::Sweep => "sweep",
            StudyKind::Attribute => "attribute",
            StudyKind::Delusion => "delusion",
        }
    }

    /// The kind named `name`, else a one-line error naming the four.
    pub fn parse(name: &str) -> Result<StudyKind, String> {
        StudyKind::ALL.into_iter().find(|k| k.name() == name).ok_or_else(|| {
            format!("kind = {name:?}: must be \"run\", \"sweep\", \"attribute\" or \"delusion\"")
        })
    }
}

impl Target {
    /// A tier (`macro`), a follower count (`100k`, `1.5M`, `250000`), after
    /// `$` an income a year (`$100k`, `$30000`), or before `engaged` an
    /// engaged audience (`1k engaged`, `500 engaged`), as reports name them.
    pub fn parse(text: &str) -> Result<Target, String> {
        let trimmed = text.trim();
        if let Some(count) = trimmed.strip_suffix(ENGAGED) {
            return crate::tier::parse_followers(count).map(|n| Target::Engaged(n as f64)).map_err(|_| {
                format!(
                    "{text:?} is not an engaged audience: a whole number of engagements a post before \"{ENGAGED}\" (1k engaged, 500 engaged)"
                )
            });
        }
        match trimmed.strip_prefix('$') {
            Some(amount) => {
                crate::tier::parse_followers(amount).map(|a| Target::Income(a as f64)).map_err(|_| {
                    format!("{text:?} is not an income a year: a whole amount after $ ($10k, $30000, $1.5M)")
                })
            }
            None => crate::tier::Goal::parse(text).map(Target::Level).map_err(|e| {
                format!("{e}, nor an income a year ($100k) or an engaged audience (1k engaged)")
            }),
        }
    }
}

impl Target {
    /// Whether `study` answers about this target, else why not in words:
    /// every study asks about a follower level or an income a year; an
    /// engaged audience is among the answers of `run`, `sweep` and
    /// `attribute`, not of the delusion gap (its extrapolation projects
    /// followers and income, not engagement). The command line and Python
    /// both ask here.
    pub fn check_asked_by(&self, study: StudyKind) -> Result<(), String> {
        match self {
            Target::Engaged(_) if study == StudyKind::Delusion => Err(format!(
                "`{}` asks about follower levels and incomes (an engaged audience is not \
                 among its answers; `run`, `sweep` and `attribute` answer it)",
                study.name()
            )),
            _ => Ok(()),
        }
    }
}

impl std::fmt::Display for Target {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        use crate::model::career::money::short_amount;
        match self {
            Target::Level(goal) => goal.fmt(f),
            Target::Income(amount) => write!(f, "${}", short_amount(*amount)),
            Target::Engaged(audience) => write!(f, "{} {ENGAGED}", short_amount(*audience)),
        }
    }
}

/// The scenarios built into clout (the files in `scenarios/`): name, file text.
pub const BUILTIN: &[(&str, &str)] = &[
    ("default", include_str!("../../scenarios/default.toml")),
    ("early-entrant", include_str!("../../scenarios/early-entrant.toml")),
    ("late-entrant", include_str!("../../scenarios/late-entrant.toml")),
    ("what-if", include_str!("../../scenarios/what-if.toml")),
    ("snapshot", include_str!("../../scenarios/snapshot.toml")),
    ("micro-influencer", include_str!("../../scenarios/micro-influencer.toml")),
    ("make-a-living", include_str!("../../scenarios/make-a-living.toml")),
    ("micro-living", include_str!("../../scenarios/micro-living.toml")),
    ("effort-vs-timing", include_str!("../../scenarios/effort-vs-timing.toml")),
    ("why-creators-succeed", include_str!("../../scenarios/why-creators-succeed.toml")),
    ("delusion-gap", include_str!("../../scenarios/delusion-gap.toml")),
    ("gibrat", include_str!("../../scenarios/gibrat.toml")),
    ("yule", include_str!("../../scenarios/yule.toml")),
    ("talent-vs-luck", include_str!("../../scenarios/talent-vs-luck.toml")),
    ("talent-vs-luck-nonspatial", include_str!("../../scenarios/talent-vs-luck-nonspatial.toml")),
    ("bianconi-barabasi", include_str!("../../scenarios/bianconi-barabasi.toml")),
    ("saturation", include_str!("../../scenarios/saturation.toml")),
    ("popularity-bias", include_str!("../../scenarios/popularity-bias.toml")),
    ("early-entrant-split", include_str!("../../scenarios/early-entrant-split.toml")),
];

impl Scenario {
    /// Parses and validates scenario text; `source_name` (a file name) prefixes errors.
    pub fn from_toml_str(text: &str, source_name: &str) -> Result<Scenario, ScenarioError> {
        // Where a field sits in the text: `file:line:column`, or just the file.
        let at = |position: Option<(usize, usize)>| match position {
            Some((line, column)) => format!("{source_name}:{line}:{column}"),
            None => source_name.to_string(),
        };
        let syntax = |e: toml::de::Error| ScenarioError::Parse {
            source_name: at(e.span().map(|s| line_column(text, s.start))),
            message: e.message().trim().to_string(),
        };
        let deserializer = toml::Deserializer::parse(text).map_err(syntax)?;
        // The path of the field a type error is about, for errors in nested tables.
        let parsed: Scenario = serde_path_to_error::deserialize(deserializer).map_err(|e| {
            let path = e.path().to_string();
            let message = e.inner().message().trim().to_string();
            let message = plain_types(&message);
            // The path stops at a table when serde buffered it (an internally
            // tagged enum like [observation]); the message's quoted value, or
            // an unknown field's name, finds the key within it.
            let quoted = message.split('`').nth(1).unwrap_or_default();
            let field = if message.starts_with("unknown field `") && !path.ends_with(quoted) {
                if path == "." { quoted.to_string() } else { format!("{path}.{quoted}") }
            } else {
                key_holding(text, &path, quoted).unwrap_or_else(|| path.clone())
            };
            let position =
                locate(text, &field).or_else(|| e.inner().span().map(|s| line_column(text, s.start)));
            let message = if field == "." { message } else { format!("{field}: {message}") };
            ScenarioError::Parse { source_name: at(position), message }
        })?;
        parsed
            .resolved()
            .map_err(|error| ScenarioError::Invalid { source_name: at(locate(text, &error.field)), error })
    }

    /// Reads, parses and validates a scenario file.
    ///
    /// At most [`MAX_SCENARIO_BYTES`] are read, so a huge or endless input
    /// (`/dev/zero`, a pipe) is refused without filling memory.
    pub fn load(path: impl AsRef<Path>) -> Result<Scenario, ScenarioError> {
        use crate::error::{ReadTextError, read_text_capped};
        let path = path.as_ref();
        let name = path.display().to_string();
        let parse = |message: String| ScenarioError::Parse { source_name: name.clone(), message };
        let text = read_text_capped(path, MAX_SCENARIO_BYTES).map_err(|e| match e {
            ReadTextError::Io(source) => ScenarioError::Io { path: path.to_path_buf(), source },
            ReadTextError::TooLarge => parse(format!(
                "is larger than {} KiB; a scenario is a short text file (is this the right file?)",
                MAX_SCENARIO_BYTES / 1024
            )),
            ReadTextError::NotUtf8 { valid_up_to } => {
                parse(format!("is not UTF-8 text (invalid byte at offset {valid_up_to})"))
            }
        })?;
        Scenario::from_toml_str(&text, &name)
    }

    /// Follows every creator `years` years from their first day (a
    /// cohort's horizon; `clout run --years`), the description saying so
    /// (it may name another horizon). `Err`, in words, for years outside
    /// 0.1 to 100 or a scenario observing a snapshot.
    pub fn follow_for_years(&mut self, years: f64) -> Result<(), String> {
        use crate::model::career::Observation;
        if !(0.1..=100.0).contains(&years) {
            return Err(format!("{years} is not a number of years from 0.1 to 100"));
        }
        if let Some(Observation::Snapshot { .. }) = self.observation {
            return Err(
                "this scenario observes a snapshot (observation.platform_day), not careers from their \
                        first day: years apply to cohort scenarios"
                    .into(),
            );
        }
        self.observation = Some(Observation::Cohort { horizon_days: (years * 365.0).round() as u32 });
        self.description = format!("{} (followed {years} years here: --years {years})", self.description)
            .trim_start()
            .to_string();
        Ok(())
    }

    /// Makes `goal` the scenario's goal (`clout run --target`): importance
    /// sampling aims at it and the delusion gap compares with it, so a
    /// level named in the scenario's `[rare]` or `[delusion]` gives way.
    pub fn aim_at(&mut self, goal: crate::tier::Goal) {
        self.tiers.get_or_insert_default().goal = goal;
        if let Some(money) = &mut self.money {
            money.goal = None;
        }
        if let Some(engagement) = &mut self.engagement {
            engagement.goal = None;
        }
        if let Some(rare) = &mut self.rare {
            rare.target = None;
        }
        if let Some(delusion) = &mut self.delusion {
            delusion.tier = None;
        }
    }

    /// Aims the scenario at `target` (`clout run --target`): a follower level
    /// becomes the goal ([`Scenario::aim_at`]); an income a year joins
    /// `money.levels` (kept increasing, at most
    /// [`crate::model::career::money::MAX_INCOME_LEVELS`]) and becomes
    /// `money.goal`, which the answer leads with and importance sampling aims
    /// at (a level named in `[rare]` gives way). An income needs `[money]`.
    ///
    /// An engaged audience joins `engagement.audience_levels` (kept
    /// increasing) and becomes `engagement.goal`, which the answer leads with
    /// and importance sampling aims at (a level named in `[rare]` gives
    /// way). It needs `[engagement]` or `[money]`.
    pub fn aim(&mut self, target: Target) -> Result<(), FieldError> {
        let amount = match target {
            Target::Level(goal) => {
                self.aim_at(goal);
                return Ok(());
            }
            Target::Income(amount) => amount,
            Target::Engaged(audience) => return self.aim_engaged(audience),
        };
        let name = format!("${}", crate::model::career::money::short_amount(amount));
        let Some(money) = &mut self.money else {
            return Err(FieldError::new(
                "money",
                "(absent)",
                format!("an income target ({name}) needs a [money] section: income is counted only with it"),
            ));
        };
        let mut levels = money.levels.as_slice().to_vec();
        if !levels.contains(&amount) {
            levels.push(amount);
            levels.sort_by(f64::total_cmp);
            money.levels =
                levels.try_into().map_err(|e: String| FieldError::new("money.levels", &name, e))?;
        }
        money.goal = Some(amount);
        if let Some(engagement) = &mut self.engagement {
            engagement.goal = None;
        }
        if let Some(rare) = &mut self.rare {
            rare.target = None;
        }
        Ok(())
    }

    /// [`Scenario::aim`] at an engaged audience of `audience` engagements a post.
    fn aim_engaged(&mut self, audience: f64) -> Result<(), FieldError> {
        let name = Target::Engaged(audience).to_string();
        if self.engagement.is_none() && self.money.is_none() {
            return Err(FieldError::new(
                "engagement",
                "(absent)",
                format!(
                    "an engaged-audience target ({name}) needs an [engagement] or [money] section: \
                     engagement is counted only with one"
                ),
            ));
        }
        let engagement = self.engagement.get_or_insert_default();
        let mut levels = engagement.audience_levels.as_slice().to_vec();
        if !levels.contains(&audience) {
            levels.push(audience);
            levels.sort_by(f64::total_cmp);
            engagement.audience_levels = levels
                .try_into()
                .map_err(|e: String| FieldError::new("engagement.audience_levels", &name, e))?;
        }
        engagement.goal = Some(audience);
        if let Some(money) = &mut self.money {
            money.goal = None;
        }
        if let Some(rare) = &mut self.rare {
            rare.target = None;
        }
        Ok(())
    }

    /// The engaged audience the scenario asks about, by its report name
    /// (`1k engaged`): `engagement.goal`, else a `rare.target` naming an
    /// engaged audience; `None` when it asks about a follower level or an
    /// income (`money.goal` leads over both).
    pub fn engaged_goal_name(&self) -> Option<String> {
        if self.money.is_some_and(|m| m.goal.is_some()) {
            return None;
        }
        self.engagement.and_then(|e| e.goal_name()).or_else(|| {
            let target = self.rare.as_ref()?.target.as_deref()?;
            matches!(Target::parse(target), Ok(Target::Engaged(_))).then(|| target.to_string())
        })
    }

    /// A built-in scenario by name (see [`BUILTIN`]).
    pub fn builtin(name: &str) -> Result<Scenario, ScenarioError> {
        let (_, text) =
            BUILTIN.iter().find(|(n, _)| *n == name).ok_or_else(|| ScenarioError::UnknownBuiltin {
                name: name.to_string(),
                known: BUILTIN.iter().map(|(n, _)| *n).collect::<Vec<_>>().join(", "),
            })?;
        Scenario::from_toml_str(text, &format!("<built-in {name}>"))
    }

    /// Validates every field and fills every section of the model with its
    /// defaults, so the result records the full scenario that runs.
    pub fn resolved(self) -> Result<Scenario, FieldError> {
        self.resolve().map(|(scenario, _)| scenario)
    }

    /// [`Scenario::resolved`], also returning the validated model, so a run
    /// builds it once. A scenario with a `[sweep]` also has every point built
    /// and checked, so a bad point is a load error.
    pub fn resolve(self) -> Result<(Scenario, ScenarioModel), FieldError> {
        let (scenario, built) = self.resolve_base()?;
        if scenario.sweep.is_some() {
            Sweep::new(&scenario)?;
        }
        Ok((scenario, built))
    }

    /// [`Scenario::resolve`] without building a sweep's points (for
    /// [`Scenario::sweep`], which builds them once itself).
    pub(crate) fn resolve_base(mut self) -> Result<(Scenario, ScenarioModel), FieldError> {
        self.check_sizes()?;
        self.check_sections()?;
        let built = self.build_model()?;
        let built = self.apply_method(built)?;
        Ok((self, built))
    }

    /// The name and description within their lengths, and `run.trials` in range.
    fn check_sizes(&self) -> Result<(), FieldError> {
        for (field, text, most) in
            [("name", &self.name, MAX_NAME_CHARS), ("description", &self.description, MAX_DESCRIPTION_CHARS)]
        {
            let chars = text.chars().count();
            if chars > most {
                return Err(FieldError::new(
                    field,
                    format!("({chars} characters)"),
                    format!("must be at most {most} characters"),
                ));
            }
        }
        if self.run.trials == 0 || self.run.trials > MAX_TRIALS {
            return Err(FieldError::new(
                "run.trials",
                self.run.trials,
                format!("must lie in [1, {MAX_TRIALS}]"),
            ));
        }
        Ok(())
    }

    /// Every model section present belongs to the scenario's model.
    fn check_sections(&self) -> Result<(), FieldError> {
        let career_sections = [
            ("observation", self.observation.is_some()),
            ("population", self.population.is_some()),
            ("platform", self.platform.is_some()),
            ("persistence", self.persistence.is_some()),
            ("tiers", self.tiers.is_some()),
            ("trajectory", self.trajectory.is_some()),
            ("engagement", self.engagement.is_some()),
            ("money", self.money.is_some()),
            ("start", self.start.is_some()),
            ("condition", self.condition.is_some()),
            ("attribute", self.attribute.is_some()),
            ("delusion", self.delusion.is_some()),
            ("competition", self.competition.is_some()),
            ("world", self.world.is_some()),
        ];
        let other_sections = [
            (ModelKind::Gibrat, self.gibrat.is_some()),
            (ModelKind::Yule, self.yule.is_some()),
            (ModelKind::TalentVsLuck, self.talent_vs_luck.is_some()),
            (ModelKind::TalentVsLuckNonspatial, self.talent_vs_luck_nonspatial.is_some()),
            (ModelKind::BianconiBarabasi, self.bianconi_barabasi.is_some()),
        ];
        let model = self.model;
        let wrong_model = |section: &str, belongs: &str| {
            FieldError::new(
                section,
                "(a section)",
                format!(
                    "belongs to model = \"{belongs}\", but this scenario has model = \"{}\"",
                    model.name()
                ),
            )
        };
        if model != ModelKind::Career
            && let Some((section, _)) = career_sections.iter().find(|(_, present)| *present)
        {
            return Err(wrong_model(section, "career"));
        }
        if let Some((kind, _)) = other_sections.iter().find(|(kind, present)| *present && *kind != model) {
            return Err(wrong_model(kind.name(), kind.name()));
        }
        Ok(())
    }

    /// The scenario's model, built and validated, its section filled with
    /// defaults (before `run.method` applies).
    fn build_model(&mut self) -> Result<ScenarioModel, FieldError> {
        Ok(match self.model {
            ModelKind::Career => self.build_career()?,
            ModelKind::Gibrat => ScenarioModel::Gibrat(
                GibratModel::new(*self.gibrat.get_or_insert_with(Default::default))
                    .map_err(|e| e.within("gibrat"))?,
            ),
            ModelKind::Yule => ScenarioModel::Yule(
                YuleModel::new(*self.yule.get_or_insert_with(Default::default))
                    .map_err(|e| e.within("yule"))?,
            ),
            ModelKind::TalentVsLuck => ScenarioModel::TalentVsLuck(
                TalentLuckModel::new(*self.talent_vs_luck.get_or_insert_with(Default::default))
                    .map_err(|e| e.within("talent_vs_luck"))?,
            ),
            ModelKind::TalentVsLuckNonspatial => ScenarioModel::TalentVsLuckNonspatial(
                TalentLuckNonSpatialModel::new(
                    *self.talent_vs_luck_nonspatial.get_or_insert_with(Default::default),
                )
                .map_err(|e| e.within("talent_vs_luck_nonspatial"))?,
            ),
            ModelKind::BianconiBarabasi => ScenarioModel::BianconiBarabasi(
                BianconiBarabasiModel::new(*self.bianconi_barabasi.get_or_insert_with(Default::default))
                    .map_err(|e| e.within("bianconi_barabasi"))?,
            ),
        })
    }

    /// The Career model with its sections filled with defaults and its
    /// `[attribute]` and `[delusion]` checked: plain, or conditional on a
    /// `[start]` state (stored back resolved) or a `[condition]`.
    fn build_career(&mut self) -> Result<ScenarioModel, FieldError> {
        let observation = *self.observation.get_or_insert_with(Default::default);
        self.trajectory.get_or_insert_with(|| TrajectorySpec::default_for(&observation));
        self.population.get_or_insert_with(Default::default);
        self.platform.get_or_insert_with(Default::default);
        self.persistence.get_or_insert_with(Default::default);
        self.tiers.get_or_insert_with(Default::default);
        if let Some(world) = self.world.clone() {
            return self.build_world(world);
        }
        let career = self.career_model()?;
        if let (Some(competition), Some(field)) = (self.competition.as_mut(), career.field()) {
            competition.checksum = Some(field.checksum());
        }
        if let Some(spec) = &self.attribute {
            spec.validate().map_err(|e| e.within("attribute"))?;
        }
        if let Some(spec) = &self.delusion {
            spec.validate(self.condition.as_ref()).map_err(|e| e.within("delusion"))?;
        }
        if self.start.is_none() && self.condition.is_none() {
            return Ok(ScenarioModel::Career(Box::new(career)));
        }
        if self.start.is_some() && !career.spec().population.correlation.is_off() {
            return Err(FieldError::new(
                "population.correlation",
                "(correlated traits)",
                "must be 0 with a [start] section: a given state draws the traits it does not state \
                 as independent of those it does",
            ));
        }
        let given_state = match &self.start {
            Some(spec) => {
                let model =
                    GivenState::new(career.clone(), spec, self.run.trials).map_err(|e| e.within("start"))?;
                self.start = Some(*model.spec());
                Some(model)
            }
            None => None,
        };
        let creators_like_you = match self.condition {
            Some(condition) => {
                Some(CreatorsLikeYou::new(career, condition).map_err(|e| e.within("condition"))?)
            }
            None => None,
        };
        Ok(ScenarioModel::Conditional(Box::new(Conditional { creators_like_you, given_state })))
    }

    /// Worlds of the platform model ([`WorldModel`]): `[competition]` filled
    /// with its defaults, its field solved when `world.price = "field"`.
    fn build_world(&mut self, world: WorldSpec) -> Result<ScenarioModel, FieldError> {
        if let Some(section) = [("start", self.start.is_some()), ("condition", self.condition.is_some())]
            .iter()
            .find_map(|&(name, present)| present.then_some(name))
        {
            return Err(FieldError::new(
                section,
                "(a section)",
                "is not run by worlds ([world]): remove one of them",
            ));
        }
        self.competition.get_or_insert_with(Default::default);
        let spec = self.career_spec();
        let competition = spec.competition.expect("filled above");
        competition.validate().map_err(|e| e.within("competition"))?;
        let field = match world.price {
            WorldPrice::Own => None,
            // Worlds refuse it in one line (`world.price` needs a solved field).
            WorldPrice::Field if competition.field == FieldKind::Openness => None,
            WorldPrice::Field => {
                let field = crate::experiment::field::solve_cached(spec, self.run.seed)?.field;
                if let Some(stated) = self.competition.and_then(|c| c.checksum)
                    && stated != field.checksum()
                {
                    return Err(FieldError::new(
                        "competition.checksum",
                        stated,
                        format!("names another field than the one solved ({})", field.checksum()),
                    ));
                }
                if let Some(c) = self.competition.as_mut() {
                    c.checksum = Some(field.checksum());
                }
                Some(field)
            }
        };
        Ok(ScenarioModel::World(Box::new(WorldModel::new(spec, world, field)?)))
    }

    /// The model as `run.method` runs it: as built for brute force (a
    /// `[rare]` section beside it checked), or wrapped in its rare-event setup
    /// (the `[rare]` section filled with the model's default target).
    fn apply_method(&mut self, built: ScenarioModel) -> Result<ScenarioModel, FieldError> {
        Ok(match (self.run.method, built) {
            (Method::Brute, built) => {
                // A [rare] section beside method = "brute" holds the settings
                // `--method rare` uses: checked now, unused by this run.
                if let Some(spec) = self.rare.clone() {
                    rare_setup(self.model, spec, built.clone()).map_err(|e| {
                        if e.field == "run.method" {
                            FieldError::new(
                                "rare",
                                "(a section)",
                                format!("applies to run.method = \"rare\", which {}", e.allowed),
                            )
                        } else {
                            e
                        }
                    })?;
                }
                built
            }
            (Method::Rare, built) => {
                if self.model == ModelKind::Career && !self.career_spec().population.correlation.is_off() {
                    return Err(FieldError::new(
                        "population.correlation",
                        "(correlated traits)",
                        "must be 0 with run.method = \"rare\": importance sampling weighs each trait by \
                         its own density, as independent; use \"brute\"",
                    ));
                }
                // A target left unnamed stays so in the scenario: it follows the
                // goal (the income goal, when `money.goal` names one).
                let mut spec = self.rare.get_or_insert_with(RareSpec::default).clone();
                if spec.target.is_none() {
                    spec.target = self.money.and_then(|m| m.goal_name()).or_else(|| self.engaged_goal_name());
                }
                ScenarioModel::Rare(Box::new(rare_setup(self.model, spec, built)?))
            }
        })
    }

    /// Switches the scenario to plain Monte Carlo: `run.method = "brute"`,
    /// and no `[rare]` section (its settings apply to rare-event runs only,
    /// and a brute scenario refuses it).
    pub fn set_brute(&mut self) {
        self.run.method = Method::Brute;
        self.rare = None;
    }

    /// The Career specification of this scenario (defaults where a section is absent).
    pub fn career_spec(&self) -> CareerSpec {
        let observation = self.observation.unwrap_or_default();
        CareerSpec {
            observation,
            population: self.population.unwrap_or_default(),
            platform: self.platform.unwrap_or_default(),
            persistence: self.persistence.unwrap_or_default(),
            tiers: self.tiers.unwrap_or_default(),
            trajectory: self.trajectory.unwrap_or_else(|| TrajectorySpec::default_for(&observation)),
            engagement: self.engagement,
            money: self.money,
            competition: self.competition.map(|c| CompetitionSpec { checksum: None, ..c }),
        }
    }

    /// Trials the scenario runs in all: `run.trials`, plus the careers of a
    /// `[start]` section when it has one beside a `[condition]` (each part runs
    /// its own). For progress bars.
    pub fn total_trials(&self) -> u64 {
        let given = self.start.map_or(0, |s| s.trials.unwrap_or(self.run.trials));
        match (self.condition.is_some(), self.start.is_some()) {
            (_, false) => self.run.trials,
            (false, true) => given,
            (true, true) => self.run.trials.saturating_add(given),
        }
    }

    /// The validated Career model of this scenario.
    ///
    /// With `[competition]`, careers face the platform's field: Career's
    /// openness (`field = "openness"`) or the field solved from the
    /// scenario's seed ([`crate::experiment::field::solve_cached`]), whose
    /// checksum must be the section's when it states one.
    pub fn career_model(&self) -> Result<CareerModel, FieldError> {
        let spec = self.career_spec();
        let Some(competition) = spec.competition else { return CareerModel::new(spec) };
        competition.validate().map_err(|e| e.within("competition"))?;
        let field = match competition.field {
            FieldKind::Openness if competition.price_offset_days != 0.0 => {
                return Err(FieldError::new(
                    "competition.price_offset_days",
                    competition.price_offset_days,
                    "needs a solved field (competition.field = \"solved\"): Career's openness field has no price to offset",
                ));
            }
            FieldKind::Openness => std::sync::Arc::new(Field::openness(competition)),
            FieldKind::Solved => {
                spec.check_within_field()?;
                crate::experiment::field::solve_cached(spec, self.run.seed)?.field
            }
        };
        if let Some(stated) = self.competition.and_then(|c| c.checksum)
            && stated != field.checksum()
        {
            return Err(FieldError::new(
                "competition.checksum",
                stated,
                format!(
                    "is not the checksum {} of the field solved here (another seed, settings or clout)",
                    field.checksum()
                ),
            ));
        }
        CareerModel::in_field(spec, field)
    }
}

/// The rare-event setup of a resolved model under `spec`, validating both:
/// the one place that says which models importance sampling serves.
fn rare_setup(model: ModelKind, spec: RareSpec, built: ScenarioModel) -> Result<RareSetup, FieldError> {
    Ok(match built {
        ScenarioModel::Career(career) => {
            RareSetup::Career(Box::new(ImportanceSampler::new(*career, spec).map_err(|e| e.within("rare"))?))
        }
        ScenarioModel::Gibrat(gibrat) => {
            RareSetup::Gibrat(Box::new(ImportanceSampler::new(gibrat, spec).map_err(|e| e.within("rare"))?))
        }
        ScenarioModel::Conditional(c) if c.creators_like_you.is_none() => {
            let given = c.given_state.expect("a conditional run has a part");
            RareSetup::Given(Box::new(ImportanceSampler::new(given, spec).map_err(|e| e.within("rare"))?))
        }
        ScenarioModel::Conditional(_) => {
            return Err(FieldError::new(
                "run.method",
                "\"rare\"",
                "is not yet available for \"creators like you\" ([condition]); it is for a given state ([start] alone): use \"brute\"",
            ));
        }
        ScenarioModel::World(_) => {
            return Err(FieldError::new(
                "run.method",
                "\"rare\"",
                "is not available for worlds ([world]): importance sampling reweighs one creator's traits, and a world's \
                 trial is many creators together; use \"brute\", or run the creator in the platform's field \
                 ([competition] without [world])",
            ));
        }
        _ => {
            return Err(FieldError::new(
                "run.method",
                "\"rare\"",
                format!("is available for model = \"career\" and \"gibrat\", not \"{}\"", model.name()),
            ));
        }
    })
}

/// serde's names of integer types, in words.
fn plain_types(message: &str) -> String {
    message
        .replace("expected u32", &format!("expected a whole number from 0 to {}", u32::MAX))
        .replace("expected u64", &format!("expected a whole number from 0 to {}", u64::MAX))
        .replace("expected usize", "expected a whole number >= 0")
}

/// `path.key` when the table at `path` has a key whose value is written
/// exactly as `literal` (to name the field of a buffered table's error).
fn key_holding(text: &str, path: &str, literal: &str) -> Option<String> {
    if literal.is_empty() || path == "." {
        return None;
    }
    let document = toml::de::DeTable::parse(text).ok()?;
    let mut table = document.get_ref();
    for part in path.split('.') {
        match table.get(part)?.get_ref() {
            toml::de::DeValue::Table(inner) => table = inner,
            _ => return None,
        }
    }
    table.iter().find_map(|(key, value)| {
        let written = text.get(value.span())?.trim();
        (written == literal).then(|| format!("{path}.{}", key.get_ref()))
    })
}

/// The 1-based line and column (in characters) of byte `offset` of `text`.
fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

/// Where the field at dotted `path` is written in `text` (its key's line and
/// column), or the deepest table of the path that is written there. Paths of
/// a sweep's points (`sweep point 3 (...): ...`) point at the `[sweep]` section.
fn locate(text: &str, path: &str) -> Option<(usize, usize)> {
    let path = if path.starts_with("sweep point") { "sweep" } else { path };
    let document = toml::de::DeTable::parse(text).ok()?;
    let mut table = document.get_ref();
    let mut found = None;
    for part in path.split('.') {
        let Some((key, value)) = table.get_key_value(part) else { break };
        found = Some(key.span().start);
        match value.get_ref() {
            toml::de::DeValue::Table(inner) => table = inner,
            _ => break,
        }
    }
    found.map(|offset| line_column(text, offset))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_builtin_scenario_is_valid() {
        for (name, _) in BUILTIN {
            Scenario::builtin(name).unwrap_or_else(|e| panic!("{e}"));
        }
    }

    #[test]
    fn errors_name_the_file_field_value_and_range() {
        let e = Scenario::from_toml_str(
            "[population]\ntalent = { dist = \"normal\", mean = 0.5, sd = -1 }\n",
            "bad.toml",
        )
        .unwrap_err();
        // file:line:column of the field (the column counts characters), then the field.
        assert_eq!(e.to_string(), "bad.toml:2:41: population.talent.sd = -1: must be > 0");
        let e = Scenario::from_toml_str("[platform]\nconversion = 2.0\n", "bad.toml").unwrap_err();
        assert_eq!(e.to_string(), "bad.toml:2:1: platform.conversion = 2: must lie in [0, 1]");
        let e = Scenario::from_toml_str("[run]\ntrials = 0\n", "bad.toml").unwrap_err();
        assert!(e.to_string().starts_with("bad.toml:2:1: run.trials = 0: must lie in [1, "), "{e}");
        // Trials written like 1e5, as on the command line; a fraction is not a count.
        assert_eq!(Scenario::from_toml_str("[run]\ntrials = 1e5\n", "ok.toml").unwrap().run.trials, 100_000);
        let e = Scenario::from_toml_str("[run]\ntrials = 1.5\n", "bad.toml").unwrap_err().to_string();
        assert!(
            e.contains("run.trials: invalid value: floating point `1.5`, expected a whole number from 1"),
            "{e}"
        );
        let e =
            Scenario::from_toml_str("[platform]\nconversoin = 0.1\n", "typo.toml").unwrap_err().to_string();
        assert!(e.starts_with("typo.toml:2:1: platform.conversoin: unknown field `conversoin`"), "{e}");
        // Errors inside nested and buffered tables keep the full path and the field's position.
        let e = Scenario::from_toml_str("[observation]\nkind = \"cohort\"\nhorizon_days = -5\n", "h.toml")
            .unwrap_err()
            .to_string();
        assert_eq!(
            e,
            "h.toml:3:1: observation.horizon_days: invalid value: integer `-5`, expected a whole number from 0 \
             to 4294967295"
        );
        let e = Scenario::from_toml_str("[population]\neffort = { median = 3 }\n", "m.toml").unwrap_err();
        assert_eq!(e.to_string(), "m.toml:2:1: population.effort: missing field `dist`");
        let e = Scenario::from_toml_str("[tiers]\nmicro = 500\n", "t.toml").unwrap_err().to_string();
        assert!(e.contains("tiers.micro = 500: must be > nano = 1000"), "{e}");
        let e = Scenario::from_toml_str("[platform]\nshare_rate = nan\n", "n.toml").unwrap_err().to_string();
        assert_eq!(e, "n.toml:2:1: platform.share_rate = NaN: must be a finite number");
    }

    #[test]
    fn sections_must_match_the_model() {
        let e = Scenario::from_toml_str("model = \"yule\"\n[platform]\nconversion = 0.1\n", "m.toml")
            .unwrap_err();
        assert_eq!(
            e.to_string(),
            "m.toml:2:2: platform = (a section): belongs to model = \"career\", but this scenario has model = \"yule\""
        );
        let e = Scenario::from_toml_str("[gibrat]\nmu = 0.1\n", "m.toml").unwrap_err();
        assert!(e.to_string().contains("gibrat = (a section): belongs to model = \"gibrat\""), "{e}");
        let e = Scenario::from_toml_str("model = \"gibrat\"\n[gibrat]\nbarrier = 1\n", "m.toml").unwrap_err();
        assert_eq!(e.to_string(), "m.toml:3:1: gibrat.barrier = 1: must be > initial = 1000");
    }

    #[test]
    fn resolved_scenario_records_every_section() {
        let s = Scenario::from_toml_str("", "empty.toml").unwrap();
        assert_eq!(s.population, Some(Population::default()));
        assert_eq!(s.tiers, Some(Tiers::default()));
        let text = toml::to_string(&s).unwrap();
        assert_eq!(Scenario::from_toml_str(&text, "round-trip").unwrap(), s);
    }
}
