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
//! assert_eq!(model.spec().population.talent, clout::TraitDist::Fixed { value: 0.7 });
//! ```

use crate::error::{FieldError, ScenarioError};
use crate::experiment::conditional::{ConditionSpec, Conditional, CreatorsLikeYou, GivenState, StartSpec};
use crate::experiment::sweep::{Sweep, SweepSpec};
use crate::model::career::{CareerModel, CareerSpec, Observation, Persistence, Platform, Population};
use crate::model::gibrat::{GibratModel, GibratSpec};
use crate::model::talent_luck::{
    TalentLuckModel, TalentLuckNonSpatialModel, TalentLuckNonSpatialSpec, TalentLuckSpec,
};
use crate::model::yule::{YuleModel, YuleSpec};
use crate::tier::Tiers;
use serde::{Deserialize, Serialize};
use std::path::Path;

/// The most trials a scenario may ask for (1e12).
pub const MAX_TRIALS: u64 = 1_000_000_000_000;

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
        }
    }
}

/// How a scenario is run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RunSettings {
    /// Number of trials, in `[1, 1e12]`. Default 100,000.
    pub trials: u64,
    /// Seed of the random streams. Default 2026.
    pub seed: u64,
}

impl Default for RunSettings {
    fn default() -> Self {
        RunSettings { trials: 100_000, seed: 2026 }
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
    /// Career, conditional odds "given a state": the state to continue from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start: Option<StartSpec>,
    /// Career, conditional odds "creators like you": what was observed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub condition: Option<ConditionSpec>,
    /// A sweep over this scenario's fields (run with `clout sweep`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sweep: Option<SweepSpec>,
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
}

/// The validated model a scenario names, ready to run.
#[derive(Debug, Clone)]
pub enum ScenarioModel {
    /// The Career model (boxed: it is much larger than the others).
    Career(Box<CareerModel>),
    /// Conditional odds of the Career model (`[start]` and/or `[condition]`).
    Conditional(Box<Conditional>),
    /// Geometric Brownian motion.
    Gibrat(GibratModel),
    /// The Yule process.
    Yule(YuleModel),
    /// Spatial Talent vs Luck.
    TalentVsLuck(TalentLuckModel),
    /// Non-spatial Talent vs Luck.
    TalentVsLuckNonspatial(TalentLuckNonSpatialModel),
}

/// The scenarios built into clout (the files in `scenarios/`): name, file text.
pub const BUILTIN: &[(&str, &str)] = &[
    ("default", include_str!("../scenarios/default.toml")),
    ("early-entrant", include_str!("../scenarios/early-entrant.toml")),
    ("late-entrant", include_str!("../scenarios/late-entrant.toml")),
    ("what-if", include_str!("../scenarios/what-if.toml")),
    ("snapshot", include_str!("../scenarios/snapshot.toml")),
    ("micro-influencer", include_str!("../scenarios/micro-influencer.toml")),
    ("effort-vs-timing", include_str!("../scenarios/effort-vs-timing.toml")),
    ("gibrat", include_str!("../scenarios/gibrat.toml")),
    ("yule", include_str!("../scenarios/yule.toml")),
    ("talent-vs-luck", include_str!("../scenarios/talent-vs-luck.toml")),
    ("talent-vs-luck-nonspatial", include_str!("../scenarios/talent-vs-luck-nonspatial.toml")),
];

impl Scenario {
    /// Parses and validates scenario text; `source_name` (a file name) prefixes errors.
    pub fn from_toml_str(text: &str, source_name: &str) -> Result<Scenario, ScenarioError> {
        let parsed: Scenario = toml::from_str(text).map_err(|e| ScenarioError::Parse {
            source_name: source_name.to_string(),
            message: describe_toml_error(text, &e),
        })?;
        parsed
            .resolved()
            .map_err(|error| ScenarioError::Invalid { source_name: source_name.to_string(), error })
    }

    /// Reads, parses and validates a scenario file.
    pub fn load(path: impl AsRef<Path>) -> Result<Scenario, ScenarioError> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path)
            .map_err(|source| ScenarioError::Io { path: path.to_path_buf(), source })?;
        Scenario::from_toml_str(&text, &path.display().to_string())
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
    /// builds it once.
    pub fn resolve(mut self) -> Result<(Scenario, ScenarioModel), FieldError> {
        if self.run.trials == 0 || self.run.trials > MAX_TRIALS {
            return Err(FieldError::new(
                "run.trials",
                self.run.trials,
                format!("must lie in [1, {MAX_TRIALS}]"),
            ));
        }
        let career_sections = [
            ("observation", self.observation.is_some()),
            ("population", self.population.is_some()),
            ("platform", self.platform.is_some()),
            ("persistence", self.persistence.is_some()),
            ("tiers", self.tiers.is_some()),
            ("start", self.start.is_some()),
            ("condition", self.condition.is_some()),
        ];
        let other_sections = [
            (ModelKind::Gibrat, self.gibrat.is_some()),
            (ModelKind::Yule, self.yule.is_some()),
            (ModelKind::TalentVsLuck, self.talent_vs_luck.is_some()),
            (ModelKind::TalentVsLuckNonspatial, self.talent_vs_luck_nonspatial.is_some()),
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
        if model != ModelKind::Career {
            if let Some((section, _)) = career_sections.iter().find(|(_, present)| *present) {
                return Err(wrong_model(section, "career"));
            }
        }
        if let Some((kind, _)) = other_sections.iter().find(|(kind, present)| *present && *kind != model) {
            return Err(wrong_model(kind.name(), kind.name()));
        }
        let built = match self.model {
            ModelKind::Career => {
                self.observation.get_or_insert_with(Default::default);
                self.population.get_or_insert_with(Default::default);
                self.platform.get_or_insert_with(Default::default);
                self.persistence.get_or_insert_with(Default::default);
                self.tiers.get_or_insert_with(Default::default);
                let career = self.career_model()?;
                if self.start.is_none() && self.condition.is_none() {
                    ScenarioModel::Career(Box::new(career))
                } else {
                    let given_state = match &self.start {
                        Some(spec) => {
                            let model = GivenState::new(career.clone(), spec, self.run.trials)
                                .map_err(|e| e.within("start"))?;
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
                    ScenarioModel::Conditional(Box::new(Conditional { creators_like_you, given_state }))
                }
            }
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
        };
        if self.sweep.is_some() {
            // Every point is built and checked now, so a bad point is a load error.
            Sweep::new(&self)?;
        }
        Ok((self, built))
    }

    /// The Career specification of this scenario (defaults where a section is absent).
    pub fn career_spec(&self) -> CareerSpec {
        CareerSpec {
            observation: self.observation.unwrap_or_default(),
            population: self.population.unwrap_or_default(),
            platform: self.platform.unwrap_or_default(),
            persistence: self.persistence.unwrap_or_default(),
            tiers: self.tiers.unwrap_or_default(),
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
    pub fn career_model(&self) -> Result<CareerModel, FieldError> {
        CareerModel::new(self.career_spec())
    }
}

/// One line from a TOML error: where it is, in which table, and what is wrong.
fn describe_toml_error(text: &str, error: &toml::de::Error) -> String {
    let message = error.message().trim().to_string();
    let Some(span) = error.span() else {
        return message;
    };
    let before = &text[..span.start.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.len() - before.rfind('\n').map_or(0, |i| i + 1) + 1;
    let table = before
        .lines()
        .rev()
        .map(str::trim)
        .find(|l| l.starts_with('[') && l.ends_with(']'))
        .map(|t| format!(" in {t}"))
        .unwrap_or_default();
    format!("line {line}, column {column}{table}: {message}")
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
        assert_eq!(e.to_string(), "bad.toml: population.talent.sd = -1: must be > 0");
        let e = Scenario::from_toml_str("[platform]\nconversion = 2.0\n", "bad.toml").unwrap_err();
        assert_eq!(e.to_string(), "bad.toml: platform.conversion = 2: must lie in [0, 1]");
        let e = Scenario::from_toml_str("[run]\ntrials = 0\n", "bad.toml").unwrap_err();
        assert!(e.to_string().starts_with("bad.toml: run.trials = 0: must lie in [1, "), "{e}");
        let e =
            Scenario::from_toml_str("[platform]\nconversoin = 0.1\n", "typo.toml").unwrap_err().to_string();
        assert!(
            e.starts_with("typo.toml: line 2, column 1 in [platform]: unknown field `conversoin`"),
            "{e}"
        );
        let e = Scenario::from_toml_str("[tiers]\nmicro = 500\n", "t.toml").unwrap_err().to_string();
        assert!(e.contains("tiers.micro = 500: must be > nano = 1000"), "{e}");
        let e = Scenario::from_toml_str("[platform]\nshare_rate = nan\n", "n.toml").unwrap_err().to_string();
        assert_eq!(e, "n.toml: platform.share_rate = NaN: must be a finite number");
    }

    #[test]
    fn sections_must_match_the_model() {
        let e = Scenario::from_toml_str("model = \"yule\"\n[platform]\nconversion = 0.1\n", "m.toml")
            .unwrap_err();
        assert_eq!(
            e.to_string(),
            "m.toml: platform = (a section): belongs to model = \"career\", but this scenario has model = \"yule\""
        );
        let e = Scenario::from_toml_str("[gibrat]\nmu = 0.1\n", "m.toml").unwrap_err();
        assert!(e.to_string().contains("gibrat = (a section): belongs to model = \"gibrat\""), "{e}");
        let e = Scenario::from_toml_str("model = \"gibrat\"\n[gibrat]\nbarrier = 1\n", "m.toml").unwrap_err();
        assert_eq!(e.to_string(), "m.toml: gibrat.barrier = 1: must be > initial = 1000");
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
