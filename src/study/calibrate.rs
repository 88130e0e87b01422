//! Calibration: fit a scenario's parameters to published statistics.
//!
//! A targets file (TOML, `targets/*.toml`) names a base scenario (a snapshot
//! of a platform, as published censuses are), the data targets to fit, each
//! a file with its source and date (`targets/data/*.toml`, see [`targets`])
//! and its weight, the parameters to fit (dotted paths with bounds),
//! parameters to hold at stated values, and targets held out (fitted
//! without, checked against after). A calibration may also give tier shares
//! inline (`[shares]`, weighted `n_eff`) and held-out `[[check]]`s, as
//! before data files existed. [`Calibration::run`] finds the parameters that
//! make the scenario closest to the targets and says how sure that is. The
//! built-in `hypeauditor-2026` targets are the source of the Career model's
//! `platform.share_rate` and niche defaults.
//!
//! ```toml
//! name = "census-and-tail-2026"
//! scenario = "snapshot"        # a built-in name, or a path relative to this file
//! [run]
//! trials = 150000              # careers per evaluation, all on the same luck
//! niche_tail = 0.02            # weighted sampling of the niche's top 2% (see BandModel)
//! [[target]]
//! file = "data/hypeauditor-2026-shares.toml"
//! weight = 1000                # the accounts the target is worth
//! [[target]]
//! file = "data/ccdf-slope-100k-1m.toml"
//! weight = 1000
//! [[target]]
//! file = "data/youtube-1m-given-100k.toml"
//! weight = 1000
//! held_out = true
//! [fit]
//! "platform.share_rate" = { low = 0.05, high = 2.0, start = 0.5, scale = "log" }
//! [hold]
//! "population.niche.sigma" = 2.0
//! ```
//!
//! # The objective
//!
//! Every target is categories of final followers counted among the accounts
//! at or above some count: a census's bands (a tier's band `[threshold,
//! next threshold)`, or a run of tiers `"mid-macro"`, the accounts in no
//! listed band forming the rest), or the two sides of a ratio or slope
//! ([`targets`]). With target shares `q_tj` and the model's shares
//! `p_tj(theta)`, a target worth `w_t` accounts has the multinomial
//! pseudo-likelihood `log L_t = w_t sum_j q_tj ln p_tj` (ANALYSES section 6),
//! and clout minimises the sum of the fitted targets' deviances
//! ([`group_deviance`], the one copy of the formula):
//!
//!   `G(theta) = sum_t 2 w_t sum_j q_tj ln(q_tj / p_tj(theta))`,
//!
//! which is `-2 log` of the targets' joint likelihood (taken as independent)
//! up to a constant, and 0 when every share is hit. With `[shares]` alone it
//! is `2 n_eff sum_j q_j ln(q_j / p_j)`, bit for bit as before. A weight is
//! a statement of trust, not a sample size: vendors disagree by tens of
//! percentage points, so a census is worth 1,000 accounts, and every
//! interval below scales as `1 / sqrt(w)`.
//!
//! Each `p_j(theta)` is the share among `trials` careers on the keyed streams
//! of one seed: every candidate `theta` replays the same creators' luck
//! (common random numbers), so differences between candidates are differences
//! of the parameters, not of luck, and the objective is a deterministic
//! function of `theta`. A band no career reaches counts as half a career so
//! that the deviance stays finite.
//!
//! # The search
//!
//! Each parameter `theta_k` in `(low_k, high_k)` is searched on an unbounded
//! scale `x_k`: `theta = low + (high - low) / (1 + e^-x)`, or the same on
//! `ln theta` for `scale = "log"`. Nelder-Mead (the `argmin` crate) minimises
//! `G` over `x` from the stated start, then restarts from its best point with
//! a fresh simplex (a standard guard against a collapsed simplex).
//!
//! # Intervals
//!
//! At the optimum `x̂`, the Jacobian `J_jk = dp_j / dx_k` is taken by central
//! differences (step 0.1 on the `x` scale, same luck), and the Fisher
//! information of the fitted targets is `I = sum_t w_t J_t' diag(1/p_t) J_t`
//! (with `[shares]` alone, `n_eff J' diag(1/p) J`). The
//! covariance of `x̂` is `I^-1`; each parameter's 95% interval is
//! `x̂_k -/+ 1.96 sd_k` mapped back to `theta` (so it respects the bounds and
//! may be asymmetric), and the correlations of the `x̂_k` are reported. A
//! singular `I` means the targets cannot tell the parameters apart: no
//! intervals, and the report says so. A parameter within 1% of a bound is
//! flagged: its interval is not meaningful and the fit is a misfit.
//!
//! The interval is trusted only when the census holds enough accounts in
//! the categories the parameter leans on: its effective count
//! `m_k = n_eff (sum_j a_kj² p_j)³ / (sum_j a_kj³ p_j)²` (several targets:
//! `m_k = kappa_2³ / kappa_3²`, `kappa_r = sum_t w_t sum_j (a_tkj - mean)^r p_tj`),
//! with `a_kj = (I^-1 J')_kj / p_j` the influence of category `j` on `x̂_k`
//! (`1 / sqrt(m_k)` is the skewness of `x̂_k`'s linear approximation), must
//! be at least [`MIN_EFFECTIVE_COUNT`] = 10, where coverage was measured
//! nominal; below it, or with none in the band, 95% intervals covered as
//! little as 0.34 (`examples/calibration_coverage.rs`). An untrusted
//! interval is printed with NOT TRUSTED and its reason, and JSON carries
//! `effective_count` and `trusted`.
//!
//! # Checks of the fit
//!
//! The fitted point is re-run on independent luck (`seed + 1`,
//! `verify_trials` careers), so the reported shares are not flattered by
//! the search having tuned itself to one seed's luck. There:
//! * each band's share with its 95% interval (Wilson's at Kish's effective
//!   size `S² / Q` of the weighted careers: never zero-width) and relative error;
//! * the deviance, its Monte Carlo standard error by the delta method,
//!   `Var(G) = (4 / D) (sum_j n_j² / p_j - n_eff²)` with `n_j = n_eff q_j`
//!   and `D` the accounts counted (several targets share careers: the
//!   delta method over the fine bins of followers, see `deviance_se`), and
//!   its chi-square p-value on `sum_t (categories_t - 1) - parameters`
//!   degrees of freedom over the fitted targets (none when the fit is saturated);
//! * each held-out check `P(followers >= above | followers >= given)` with
//!   its Wilson interval, beside the published value;
//! * each `[[target]]`, fitted or held out, with its term of the deviance and
//!   each category's (or its ratio's or slope's) 95% interval holding the
//!   fit's uncertainty as well as the Monte Carlo error: a held-out target
//!   agrees when its published value (or range) meets that interval.
//!
//! # Stopping and resuming
//!
//! Every evaluation of the model (the search's, the Jacobian's, the check on
//! new luck) goes through one log. When the runner's stop flag rises,
//! [`Calibration::run_observed`] returns a [`CalibrationPiece`] holding the
//! evaluations that finished; [`Calibration::resume`] runs the calibration
//! again taking those from the piece, and gives the uninterrupted run's
//! record byte for byte (see [`resume`]).

use crate::error::{FieldError, ScenarioError};
use crate::model::career::{CareerModel, NICHE_RANGE};
use crate::model::{MAX_TRIALS, Model, Summary};
use crate::random::{Source, TrialStreams};
use crate::runner::Runner;
use crate::scenario::sweep::{set_path, show_value};
use crate::scenario::{Scenario, ScenarioModel};
use crate::tier::Tier;
use argmin::core::{CostFunction, Executor, State};
use argmin::solver::neldermead::NelderMead;
use rand::RngExt;
use serde::{Deserialize, Serialize};
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};

pub mod resume;
pub mod targets;
use resume::Log;
pub use resume::{Calibrated, CalibrationPiece, Evaluation, EvaluationKind};
use targets::Component;
pub use targets::{TargetData, TargetEntry, TargetKind};

/// The targets files built into clout (the files in `targets/`): name, file text.
pub const BUILTIN_TARGETS: &[(&str, &str)] = &[
    ("hypeauditor-2026", include_str!("../../targets/hypeauditor-2026.toml")),
    ("census-and-tail-2026", include_str!("../../targets/census-and-tail-2026.toml")),
];

/// The largest targets file read: 64 KiB.
pub const MAX_TARGETS_BYTES: u64 = 64 * 1024;

/// The most parameters a calibration may fit.
pub const MAX_PARAMETERS: usize = 8;

/// The most objective evaluations a calibration may be allowed.
pub const MAX_EVALUATIONS: usize = 100_000;

/// The least effective count `m` at which a fitted parameter's 95% interval
/// is trusted: 10 accounts of the census.
///
/// `m` ([`SharesFit::effective_counts`]) is the expected count of the census
/// categories a parameter's estimate leans on, read off the fit: about
/// `n_eff p_j` for a parameter told only by a rare band `j` against a common
/// one (the niche median against share_rate, told apart by the mega share
/// alone), and large for one told by common bands, whatever the rare ones hold.
///
/// Measured against exact models with one rare category, censuses of 100 to
/// 10,000 accounts, 4,000 a cell (`cargo run --release --example
/// calibration_coverage`, 9 s; docs/CALIBRATION.md): where the category a
/// parameter leans on expects 5 accounts or more, the Wald interval covers
/// 0.946-0.966; at 2 it covers 0.82-0.83 and at 0.5 only 0.34 (a census with
/// no account there sends the parameter to a bound, and the intervals that
/// are printed cover 0.87-0.88). A parameter told by common categories covers
/// 0.947-0.958 even at 0.5 expected accounts in the rare one, so the smallest
/// count over all categories would flag it for nothing. An observed count of
/// 10 puts the expected count above 4.8 (one-sided 97.5% Poisson bound), so
/// `m >= 10` trusts where coverage was measured nominal: trusted intervals
/// pooled cover 0.949 (362,803 of them); cells where 90% of the fits are
/// trusted cover 0.946 at worst, cells where 90% are flagged 0.34 at worst
/// (mean 0.60, no interval counted a miss).
pub const MIN_EFFECTIVE_COUNT: f64 = 10.0;

/// The relative error within which a band counts as matched in the report.
pub const MATCH_TOLERANCE: f64 = 0.20;

/// `shares` of a targets file, read in bounded memory
/// ([`crate::error::bounded::bounded_table`]): a calibration record holds
/// its targets, and is read back.
fn shares_table<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<toml::Table, D::Error> {
    crate::error::bounded::bounded_table(deserializer, "shares")
}

/// `fit` of a targets file, read in bounded memory.
fn fit_table<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<toml::Table, D::Error> {
    crate::error::bounded::bounded_table(deserializer, "fit")
}

/// `hold` of a targets file, read in bounded memory.
fn hold_table<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<toml::Table, D::Error> {
    crate::error::bounded::bounded_table(deserializer, "hold")
}

/// A targets file: what was observed, which parameters to fit, what to hold out.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TargetsSpec {
    /// A short name.
    pub name: String,
    /// What the targets are, in a sentence.
    #[serde(default)]
    pub description: String,
    /// Where the numbers come from (a citation).
    #[serde(default)]
    pub source: String,
    /// The base scenario: a built-in name, or a file path (relative to the
    /// targets file). Its Career model is run at every candidate.
    pub scenario: String,
    /// How many accounts the census is worth in the pseudo-likelihood, in
    /// `[1, 1e9]`. Default 1,000 (modest trust: vendors disagree).
    #[serde(default = "default_n_eff")]
    pub n_eff: f64,
    /// Trials, seed and the search's budget.
    #[serde(default)]
    pub run: CalibrationRun,
    /// Band name -> observed share among accounts at or above the lowest
    /// band. A band is a tier (`nano` = `[nano, micro)` followers) or a run of
    /// tiers (`"mid-macro"` = `[mid, mega)`); shares in `[0, 1]`, summing to at most 1.
    /// Weighted `n_eff`. May be empty when `[[target]]` lists a fitted target.
    #[serde(default, skip_serializing_if = "toml::Table::is_empty", deserialize_with = "shares_table")]
    pub shares: toml::Table,
    /// Dotted path -> `{ low, high, start, scale }`: the parameters to fit.
    #[serde(deserialize_with = "fit_table")]
    pub fit: toml::Table,
    /// Dotted path -> value: parameters set in the base scenario and held
    /// (for one the targets cannot separate from a fitted one).
    #[serde(default, skip_serializing_if = "toml::Table::is_empty", deserialize_with = "hold_table")]
    pub hold: toml::Table,
    /// Held-out checks: published statistics not fitted, compared after.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub check: Vec<CheckSpec>,
    /// Data targets (`targets/data/*.toml`), each with its weight, fitted
    /// together with `[shares]` or held out ([`targets`]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub target: Vec<TargetEntry>,
}

fn default_n_eff() -> f64 {
    1000.0
}

/// The `[run]` section of a targets file.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct CalibrationRun {
    /// Careers per evaluation of the objective, all on the same luck.
    /// Default 300,000.
    pub trials: u64,
    /// Seed of the search's luck; the fitted point is verified on `seed + 1`.
    pub seed: u64,
    /// Careers of the verification run at the fitted point. Default `4 x trials`.
    pub verify_trials: Option<u64>,
    /// The most objective evaluations the search may use. Default 400.
    pub max_evaluations: usize,
    /// Half the careers draw their niche from this top share of the niche
    /// distribution, weighted (see [`BandModel`]), in `[0, 0.5]`; 0 (the
    /// default) draws every niche from the population. Big accounts need big
    /// niches, so a small tail (0.02) multiplies the careers in the top bands.
    pub niche_tail: f64,
    /// The share of `trials` the search's first, coarse rounds run on, in
    /// `[0, 0.5]`: with `c > 0` the rounds of simplex step 0.6 and 0.4 use
    /// the first `max(1, round(c x trials))` careers of the search's luck
    /// (the same streams, so still common random numbers), and the rounds of
    /// step 0.2 and 0.1 all `trials` from the coarse rounds' best point.
    /// 0 (the default) runs every round on all of them (steps 0.6, 0.4,
    /// 0.2), as clout 0.1 did. The intervals and the check on new luck are
    /// the same either way; docs/CALIBRATION.md ("Faster: a coarse start")
    /// measures what it saves.
    #[serde(skip_serializing_if = "is_zero")]
    pub coarse_fraction: f64,
}

fn is_zero(v: &f64) -> bool {
    *v == 0.0
}

fn is_zero_count(v: &usize) -> bool {
    *v == 0
}

impl CalibrationRun {
    /// Careers of the coarse rounds: `max(1, round(coarse_fraction x
    /// trials))`, or none without a coarse stage.
    pub fn coarse_trials(&self) -> Option<u64> {
        (self.coarse_fraction > 0.0)
            .then(|| ((self.trials as f64 * self.coarse_fraction).round() as u64).max(1))
    }

    /// The seed of the check on new luck: `seed + 1` (a seed is at most
    /// `2^63 - 1`, a TOML integer, so this cannot overflow).
    pub fn verify_seed(&self) -> u64 {
        self.seed + 1
    }
}

impl Default for CalibrationRun {
    fn default() -> Self {
        CalibrationRun {
            trials: 300_000,
            seed: 2026,
            verify_trials: None,
            max_evaluations: 400,
            niche_tail: 0.0,
            coarse_fraction: 0.0,
        }
    }
}

/// How a parameter is searched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Scale {
    /// Evenly on `[low, high]`.
    #[default]
    Linear,
    /// Evenly on `[ln low, ln high]` (both bounds > 0).
    Log,
}

/// One parameter to fit, as written in `[fit]`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FitSpec {
    /// Lower bound.
    pub low: f64,
    /// Upper bound, `> low`.
    pub high: f64,
    /// Where the search starts, strictly inside the bounds. Default: the
    /// base scenario's value when it lies inside them, else the middle.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start: Option<f64>,
    /// The scale of the search.
    #[serde(default)]
    pub scale: Scale,
}

/// A held-out statistic: `P(followers >= above | followers >= given)` in the
/// model, against a published `value`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CheckSpec {
    /// What it is.
    pub name: String,
    /// Where the value comes from.
    #[serde(default)]
    pub source: String,
    /// Followers of the accounts counted.
    pub above: u64,
    /// Followers of the accounts counted among, `< above`.
    pub given: u64,
    /// The published value, in `[0, 1]`.
    pub value: f64,
}

/// A band of final followers `[from, to)` (`to = None`: no upper end).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Band {
    /// The name in the targets file (`nano`, `mid-macro`).
    pub name: String,
    /// Lowest followers in the band.
    pub from: u64,
    /// First followers above the band; `None` for the top band.
    pub to: Option<u64>,
}

/// A parameter being fitted, validated.
#[derive(Debug, Clone, PartialEq)]
struct Parameter {
    path: String,
    spec: FitSpec,
    start: f64,
}

impl Parameter {
    /// The ends of the search interval on its own scale.
    fn ends(&self) -> (f64, f64) {
        match self.spec.scale {
            Scale::Linear => (self.spec.low, self.spec.high),
            Scale::Log => (self.spec.low.ln(), self.spec.high.ln()),
        }
    }

    /// `theta` from the unbounded `x`.
    fn value(&self, x: f64) -> f64 {
        let (a, b) = self.ends();
        let y = a + (b - a) / (1.0 + (-x).exp());
        let theta = match self.spec.scale {
            Scale::Linear => y,
            Scale::Log => y.exp(),
        };
        theta.clamp(self.spec.low, self.spec.high)
    }

    /// The unbounded `x` of `theta` (strictly inside the bounds).
    fn unbounded(&self, theta: f64) -> f64 {
        let (a, b) = self.ends();
        let y = match self.spec.scale {
            Scale::Linear => theta,
            Scale::Log => theta.ln(),
        };
        let u = (y - a) / (b - a);
        (u / (1.0 - u)).ln()
    }
}

/// A validated calibration, ready to run.
#[derive(Debug, Clone)]
pub struct Calibration {
    spec: TargetsSpec,
    base: Scenario,
    base_table: toml::Table,
    bands: Vec<Band>,
    targets: Vec<f64>,
    among: u64,
    parameters: Vec<Parameter>,
    edges: Vec<u64>,
    /// Whether some accounts at or above the lowest band fall in no listed band.
    rest: bool,
    /// Every target: `[shares]` (if any) first, then the `[[target]]`s in order.
    components: Vec<Component>,
}

/// Why a targets file could not be used: the file and its field, in one line.
#[derive(Debug, thiserror::Error)]
pub enum TargetsError {
    /// The file could not be read.
    #[error("{path}: cannot read: {source}")]
    Io {
        /// The file.
        path: String,
        /// What the operating system said.
        source: std::io::Error,
    },
    /// The text is not TOML of the targets schema, or a field is out of range.
    #[error("{source_name}: {message}")]
    Invalid {
        /// The file (with line and column where known).
        source_name: String,
        /// Which field, which value, what is allowed.
        message: String,
    },
    /// The base scenario could not be loaded.
    #[error("{source_name}: scenario: {error}")]
    Scenario {
        /// The targets file.
        source_name: String,
        /// The scenario's own error.
        error: ScenarioError,
    },
    /// No built-in targets file has this name.
    #[error("no built-in targets named {name:?}; the built-in ones are: {known}")]
    UnknownBuiltin {
        /// The name asked for.
        name: String,
        /// The names that exist.
        known: String,
    },
}

impl Calibration {
    /// Reads a targets file; its `scenario` is a path relative to the file's
    /// folder, or a built-in scenario's name.
    pub fn load(path: impl AsRef<Path>) -> Result<Calibration, TargetsError> {
        use crate::error::{ReadTextError, read_text_capped};
        let path = path.as_ref();
        let name = path.display().to_string();
        let invalid = |message: String| TargetsError::Invalid { source_name: name.clone(), message };
        let text = read_text_capped(path, MAX_TARGETS_BYTES).map_err(|e| match e {
            ReadTextError::Io(source) => TargetsError::Io { path: name.clone(), source },
            ReadTextError::TooLarge => {
                invalid(format!("is larger than {} KiB; a targets file is short", MAX_TARGETS_BYTES / 1024))
            }
            ReadTextError::NotUtf8 { .. } => invalid("is not UTF-8 text".to_string()),
        })?;
        let folder = path.parent().map(Path::to_path_buf).unwrap_or_default();
        let data = |file: &str| -> Result<String, String> {
            let path = folder.join(file);
            if !path.exists()
                && let Some(text) = targets::builtin_data(file)
            {
                return Ok(text.to_string());
            }
            read_text_capped(&path, targets::MAX_DATA_BYTES).map_err(|e| match e {
                ReadTextError::Io(source) => format!("cannot read {}: {source}", path.display()),
                ReadTextError::TooLarge => {
                    format!("{} is larger than {} KiB", path.display(), targets::MAX_DATA_BYTES / 1024)
                }
                ReadTextError::NotUtf8 { .. } => format!("{} is not UTF-8 text", path.display()),
            })
        };
        let scenario = |scenario: &str| {
            let file = folder.join(scenario);
            if file.exists() || scenario.ends_with(".toml") {
                Scenario::load(file)
            } else {
                Scenario::builtin(scenario)
            }
        };
        Calibration::from_toml_str_with(&text, &name, scenario, &data)
    }

    /// A built-in targets file by name (see [`BUILTIN_TARGETS`]); its scenario is built in too.
    pub fn builtin(name: &str) -> Result<Calibration, TargetsError> {
        let (_, text) =
            BUILTIN_TARGETS.iter().find(|(n, _)| *n == name).ok_or_else(|| TargetsError::UnknownBuiltin {
                name: name.to_string(),
                known: BUILTIN_TARGETS.iter().map(|(n, _)| *n).collect::<Vec<_>>().join(", "),
            })?;
        Calibration::from_toml_str(text, &format!("<built-in targets {name}>"), Scenario::builtin)
    }

    /// Parses and validates targets text; `scenario` loads the base scenario
    /// by its name in the file. Data targets (`[[target]] file`) are the
    /// built-in ones ([`targets::BUILTIN_DATA`]).
    pub fn from_toml_str(
        text: &str,
        source_name: &str,
        scenario: impl Fn(&str) -> Result<Scenario, ScenarioError>,
    ) -> Result<Calibration, TargetsError> {
        let data = |file: &str| {
            targets::builtin_data(file).map(str::to_string).ok_or_else(|| {
                let known: Vec<&str> = targets::BUILTIN_DATA.iter().map(|(n, _)| *n).collect();
                format!("is not a built-in data target; the built-in ones are: {}", known.join(", "))
            })
        };
        Calibration::from_toml_str_with(text, source_name, scenario, &data)
    }

    /// [`Calibration::from_toml_str`], reading each data target's text with
    /// `data` (its `file` -> text, or why not).
    pub fn from_toml_str_with(
        text: &str,
        source_name: &str,
        scenario: impl Fn(&str) -> Result<Scenario, ScenarioError>,
        data: &dyn Fn(&str) -> Result<String, String>,
    ) -> Result<Calibration, TargetsError> {
        let invalid =
            |message: String| TargetsError::Invalid { source_name: source_name.to_string(), message };
        if let Ok(data) = TargetData::from_toml_str(text) {
            return Err(invalid(format!(
                "kind = {:?}: is a data target, not a calibration: list it under [[target]] in a calibration \
                 file (file = \"...\", weight = ...; docs/CALIBRATION.md)",
                data.kind.name()
            )));
        }
        let mut spec: TargetsSpec = toml::from_str(text).map_err(|e| {
            let at = e.span().map(|s| {
                let before = &text[..s.start.min(text.len())];
                let line = before.matches('\n').count() + 1;
                let column = before.len() - before.rfind('\n').map_or(0, |i| i + 1) + 1;
                format!("{line}:{column}: ")
            });
            invalid(format!("{}{}", at.unwrap_or_default(), e.message().trim()))
        })?;
        targets::read_entries(&mut spec.target, data).map_err(|e| invalid(e.to_string()))?;
        let base = scenario(&spec.scenario)
            .map_err(|error| TargetsError::Scenario { source_name: source_name.to_string(), error })?;
        Calibration::new(spec, base).map_err(|e| invalid(e.to_string()))
    }

    /// Validates a targets spec against its base scenario. Errors name the
    /// field (`shares.mega`, `fit."platform.conversion".low`, `check[0].value`).
    pub fn new(spec: TargetsSpec, base: Scenario) -> Result<Calibration, FieldError> {
        Calibration::check_run(&spec)?;
        let (base, base_table) = Calibration::held_base(&spec, base)?;

        // Targets, their bands from the base scenario's tiers.
        let components = Calibration::read_components(&spec, &base)?;
        let primary = components.iter().find(|c| c.kind == TargetKind::Shares && !c.held_out);
        let first = components.iter().find(|c| !c.held_out).expect("a fitted target, checked");
        let (bands, targets, among, rest) = match primary {
            Some(c) => (c.bands.clone(), c.targets.clone(), c.among, c.rest),
            None => (vec![], vec![], first.among, false),
        };

        // Parameters.
        let parameters = Calibration::read_parameters(&spec.fit, &base_table)?;
        let mut calibration = Calibration {
            spec,
            base,
            base_table,
            bands,
            targets,
            among,
            parameters,
            edges: vec![],
            rest,
            components,
        };
        calibration.check_bounds()?;
        Calibration::check_checks(&calibration.spec.check)?;
        let mut edges: Vec<u64> = calibration
            .components
            .iter()
            .flat_map(|c| c.bands.iter().flat_map(|b| [Some(b.from), b.to]).chain([Some(c.among)]))
            .flatten()
            .collect();
        edges.extend(calibration.spec.check.iter().flat_map(|c| [c.above, c.given]));
        edges.sort_unstable();
        edges.dedup();
        calibration.edges = edges;
        Ok(calibration)
    }

    /// Every target as the objective sees it: `[shares]` (weight `n_eff`),
    /// if any, then each `[[target]]` in order; at least one fitted.
    fn read_components(spec: &TargetsSpec, base: &Scenario) -> Result<Vec<Component>, FieldError> {
        let thresholds = base.tiers.unwrap_or_default().thresholds();
        let read_bands = |shares: &toml::Table| Calibration::read_bands(shares, &thresholds);
        let mut components = Vec::new();
        if !spec.shares.is_empty() || spec.target.is_empty() {
            let (bands, targets) = read_bands(&spec.shares)?;
            let among = bands.iter().map(|b| b.from).min().expect("bands is not empty");
            let rest = Calibration::leaves_rest(&bands);
            components.push(Component {
                name: spec.name.clone(),
                file: "[shares]".into(),
                kind: TargetKind::Shares,
                weight: spec.n_eff,
                held_out: false,
                bands,
                targets,
                among,
                rest,
                statistic: None,
            });
        }
        for (i, entry) in spec.target.iter().enumerate() {
            components.push(Component::from_entry(&format!("target[{i}]"), entry, &read_bands)?);
        }
        if components.iter().all(|c| c.held_out) {
            return Err(FieldError::new(
                "target",
                "(all held out)",
                "must fit at least one target: give [shares] or a [[target]] without held_out = true",
            ));
        }
        Ok(components)
    }

    /// Checks `n_eff` and the `[run]` section against their ranges.
    fn check_run(spec: &TargetsSpec) -> Result<(), FieldError> {
        if !(spec.n_eff.is_finite() && (1.0..=1e9).contains(&spec.n_eff)) {
            return Err(FieldError::new(
                "n_eff",
                spec.n_eff,
                "must lie in [1, 1e9] (accounts the census is worth)",
            ));
        }
        let run = spec.run;
        if run.trials == 0 || run.trials > MAX_TRIALS {
            return Err(FieldError::new("run.trials", run.trials, format!("must lie in [1, {MAX_TRIALS}]")));
        }
        if let Some(v) = run.verify_trials
            && (v == 0 || v > MAX_TRIALS)
        {
            return Err(FieldError::new("run.verify_trials", v, format!("must lie in [1, {MAX_TRIALS}]")));
        }
        if run.seed > i64::MAX as u64 - 1 {
            return Err(FieldError::new("run.seed", run.seed, format!("must lie in [0, {}]", i64::MAX - 1)));
        }
        if !(1..=MAX_EVALUATIONS).contains(&run.max_evaluations) {
            return Err(FieldError::new(
                "run.max_evaluations",
                run.max_evaluations,
                format!("must lie in [1, {MAX_EVALUATIONS}]"),
            ));
        }
        if !(run.niche_tail.is_finite() && (0.0..=0.5).contains(&run.niche_tail)) {
            return Err(FieldError::new(
                "run.niche_tail",
                run.niche_tail,
                "must lie in [0, 0.5] (0: no tail sampling)",
            ));
        }
        if !(run.coarse_fraction.is_finite() && (0.0..=0.5).contains(&run.coarse_fraction)) {
            return Err(FieldError::new(
                "run.coarse_fraction",
                run.coarse_fraction,
                "must lie in [0, 0.5] (0: every round of the search on all the careers)",
            ));
        }
        Ok(())
    }

    /// The base scenario at the search's trials and seed, with the `[hold]`
    /// values set: resolved, and as the table every candidate is edited from.
    /// It must be a plain Career scenario, and no path both fitted and held.
    fn held_base(spec: &TargetsSpec, base: Scenario) -> Result<(Scenario, toml::Table), FieldError> {
        let mut base = base;
        base.run.trials = spec.run.trials;
        base.run.seed = spec.run.seed;
        // Each candidate solves its field from the search's seed at its own
        // parameters: a checksum names one field, not those of a fit.
        if let Some(c) = base.competition.as_mut() {
            c.checksum = None;
        }
        let (base, model) = base.resolve()?;
        let scenario_name = format!("scenario {:?}", base.name);
        match model {
            ScenarioModel::Career(_) if base.sweep.is_none() => {}
            _ => {
                return Err(FieldError::new(
                    "scenario",
                    &scenario_name,
                    "must be a plain Career scenario (no [sweep], [condition], [start] or run.method = \"rare\"): calibration compares the shares of all accounts",
                ));
            }
        }
        let mut base_table = crate::scenario::sweep::editable_table(&base)
            .map_err(|e| FieldError::new("scenario", &scenario_name, format!("cannot be edited: {e}")))?;
        for (path, value) in &spec.hold {
            let field = format!("hold.\"{path}\"");
            if spec.fit.contains_key(path) {
                return Err(FieldError::new(
                    &field,
                    show_value(value),
                    "is also in [fit]: a parameter is fitted or held",
                ));
            }
            set_path(&mut base_table, path, value.clone(), false)
                .map_err(|m| FieldError::new(&field, show_value(value), m))?;
        }
        // The base as held: parsed and validated once.
        let held: Scenario = toml::Value::Table(base_table.clone())
            .try_into()
            .map_err(|e: toml::de::Error| FieldError::new("hold", "(values)", e.message().trim()))?;
        let base = held.resolved().map_err(|e| {
            if spec.hold.is_empty() {
                e
            } else {
                FieldError::new("hold", "(values)", format!("make an invalid scenario: {e}"))
            }
        })?;
        Ok((base, base_table))
    }

    /// The bands of `[shares]`, in the file's order, and their target shares:
    /// each a tier or a run of tiers of `thresholds`, the bands disjoint, the
    /// shares in `[0, 1]` summing to at most 1. At least one band.
    fn read_bands(shares: &toml::Table, thresholds: &[u64]) -> Result<(Vec<Band>, Vec<f64>), FieldError> {
        let mut bands = Vec::new();
        let mut targets = Vec::new();
        for (name, value) in shares {
            let field = format!("shares.{name}");
            let (first, last) = match name.split_once('-') {
                Some((a, b)) => (tier_named(&field, a)?, tier_named(&field, b)?),
                None => {
                    let i = tier_named(&field, name)?;
                    (i, i)
                }
            };
            if last < first {
                return Err(FieldError::new(
                    &field,
                    format!("{name:?}"),
                    "must run from a lower tier to a higher one",
                ));
            }
            let share =
                value.as_float().or_else(|| value.as_integer().map(|i| i as f64)).ok_or_else(|| {
                    FieldError::new(&field, show_value(value), "must be a number (a share in [0, 1])")
                })?;
            if !(share.is_finite() && (0.0..=1.0).contains(&share)) {
                return Err(FieldError::new(&field, share, "must lie in [0, 1]"));
            }
            let band =
                Band { name: name.clone(), from: thresholds[first], to: thresholds.get(last + 1).copied() };
            if let Some(other) = bands.iter().find(|b: &&Band| {
                b.from < band.to.unwrap_or(u64::MAX) && band.from < b.to.unwrap_or(u64::MAX)
            }) {
                return Err(FieldError::new(
                    &field,
                    share,
                    format!("overlaps band {:?}: bands must be disjoint", other.name),
                ));
            }
            bands.push(band);
            targets.push(share);
        }
        if bands.is_empty() {
            return Err(FieldError::new(
                "shares",
                "(empty)",
                "must give the share of at least one band, e.g. nano = 0.815",
            ));
        }
        let total: f64 = targets.iter().sum();
        if total > 1.0 + 1e-6 {
            return Err(FieldError::new(
                "shares",
                format!("(sum {total})"),
                "must sum to at most 1 (shares of the same accounts)",
            ));
        }
        Ok((bands, targets))
    }

    /// The parameters of `[fit]`, in the file's order: at least one, at most
    /// [`MAX_PARAMETERS`], each read by [`Calibration::read_parameter`].
    fn read_parameters(fit: &toml::Table, base_table: &toml::Table) -> Result<Vec<Parameter>, FieldError> {
        if fit.is_empty() {
            return Err(FieldError::new(
                "fit",
                "(empty)",
                "must name at least one parameter to fit: \"path\" = { low, high }",
            ));
        }
        if fit.len() > MAX_PARAMETERS {
            return Err(FieldError::new("fit", fit.len(), format!("parameters: at most {MAX_PARAMETERS}")));
        }
        fit.iter().map(|(path, value)| Calibration::read_parameter(path, value, base_table)).collect()
    }

    /// One parameter of `[fit]`: finite bounds `low < high` (`low > 0` on the
    /// log scale), a path naming a real-valued number of the base scenario,
    /// and its start (stated, else the base's value when inside the bounds,
    /// else the middle of the search's scale).
    fn read_parameter(
        path: &str,
        value: &toml::Value,
        base_table: &toml::Table,
    ) -> Result<Parameter, FieldError> {
        let field = format!("fit.\"{path}\"");
        let fit: FitSpec = value.clone().try_into().map_err(|e: toml::de::Error| {
            FieldError::new(&field, show_value(value), e.message().trim().to_string())
        })?;
        for (name, v) in [("low", fit.low), ("high", fit.high)] {
            if !v.is_finite() {
                return Err(FieldError::new(format!("{field}.{name}"), v, "must be a finite number"));
            }
        }
        if fit.high <= fit.low {
            return Err(FieldError::new(
                format!("{field}.high"),
                fit.high,
                format!("must be > low = {}", fit.low),
            ));
        }
        if fit.scale == Scale::Log && fit.low <= 0.0 {
            return Err(FieldError::new(format!("{field}.low"), fit.low, "must be > 0 for scale = \"log\""));
        }
        let current = get_path(base_table, path).ok_or_else(|| {
            FieldError::new(
                &field,
                "(path)",
                "names no number in the scenario (e.g. platform.conversion, population.niche.median)",
            )
        })?;
        let inside = |v: f64| v > fit.low && v < fit.high;
        let start = match fit.start {
            Some(s) if !inside(s) => {
                return Err(FieldError::new(
                    format!("{field}.start"),
                    s,
                    format!("must lie strictly inside ({}, {})", fit.low, fit.high),
                ));
            }
            Some(s) => s,
            None if inside(current) => current,
            None => match fit.scale {
                Scale::Linear => 0.5 * (fit.low + fit.high),
                Scale::Log => (fit.low * fit.high).sqrt(),
            },
        };
        // Only a real-valued field can take the search's values: a
        // whole-number one (review_days, a tier threshold) is refused
        // here, naming it, not at the first evaluation.
        let mut probe = base_table.clone();
        set_path(&mut probe, path, toml::Value::Float(start + 0.25 * (fit.high - start)), false)
            .map_err(|m| FieldError::new(&field, "(path)", m))?;
        if let Err(e) = Scenario::deserialize(toml::Value::Table(probe)) {
            return Err(FieldError::new(
                &field,
                "(path)",
                format!(
                    "cannot take a fitted value ({}): only real-valued parameters can be fitted, not whole numbers \
                     such as review_days or tier thresholds",
                    e.message().trim()
                ),
            ));
        }
        Ok(Parameter { path: path.to_string(), spec: fit, start })
    }

    /// Whether some accounts at or above the lowest band fall in no listed
    /// band: a gap between the bands, or a top band with an upper end.
    fn leaves_rest(bands: &[Band]) -> bool {
        let mut sorted: Vec<&Band> = bands.iter().collect();
        sorted.sort_by_key(|b| b.from);
        sorted.windows(2).any(|w| w[0].to != Some(w[1].from)) || sorted.last().is_some_and(|b| b.to.is_some())
    }

    /// Every bound and start must make a valid scenario (the others at their start).
    fn check_bounds(&self) -> Result<(), FieldError> {
        let starts: Vec<f64> = self.parameters.iter().map(|p| p.start).collect();
        for (k, p) in self.parameters.iter().enumerate() {
            for (name, v) in [("low", p.spec.low), ("high", p.spec.high), ("start", p.start)] {
                let mut theta = starts.clone();
                theta[k] = v;
                self.scenario_at(&theta).map_err(|e| {
                    FieldError::new(
                        format!("fit.\"{}\".{name}", p.path),
                        v,
                        format!("makes an invalid scenario: {e}"),
                    )
                })?;
            }
        }
        Ok(())
    }

    /// The held-out checks: values in `[0, 1]`, `above > given`.
    fn check_checks(checks: &[CheckSpec]) -> Result<(), FieldError> {
        for (i, check) in checks.iter().enumerate() {
            let field = format!("check[{i}]");
            if !(check.value.is_finite() && (0.0..=1.0).contains(&check.value)) {
                return Err(FieldError::new(format!("{field}.value"), check.value, "must lie in [0, 1]"));
            }
            if check.above <= check.given {
                return Err(FieldError::new(
                    format!("{field}.above"),
                    check.above,
                    format!("must be > given = {}", check.given),
                ));
            }
        }
        Ok(())
    }

    /// The targets as read.
    pub fn spec(&self) -> &TargetsSpec {
        &self.spec
    }

    /// The base scenario, resolved (run.trials and run.seed are the search's).
    pub fn base(&self) -> &Scenario {
        &self.base
    }

    /// The bands, in the order of the file.
    pub fn bands(&self) -> &[Band] {
        &self.bands
    }

    /// The paths of the parameters being fitted, in the order of the file.
    pub fn paths(&self) -> Vec<&str> {
        self.parameters.iter().map(|p| p.path.as_str()).collect()
    }

    /// The parameters' values at search coordinates `x`.
    fn theta(&self, x: &[f64]) -> Vec<f64> {
        self.parameters.iter().zip(x).map(|(p, &x)| p.value(x)).collect()
    }

    /// Careers the calibration may simulate at most: every evaluation of the
    /// search's budget, the Jacobian's two per parameter, and the check on
    /// new luck (for the size rule, `study::executor::check_size`).
    pub fn careers(&self) -> u64 {
        let run = &self.spec.run;
        let evaluations = (run.max_evaluations + 2 * self.parameters.len() + 1) as u64;
        run.trials.saturating_mul(evaluations).saturating_add(self.verify_trials())
    }

    /// Careers of the check on new luck: `run.verify_trials`, by default
    /// four times an evaluation's.
    fn verify_trials(&self) -> u64 {
        let run = &self.spec.run;
        run.verify_trials.unwrap_or(run.trials.saturating_mul(4).min(MAX_TRIALS))
    }

    /// The base scenario with the fitted paths set to `theta`, resolved.
    pub fn scenario_at(&self, theta: &[f64]) -> Result<Scenario, FieldError> {
        self.model_at(theta).map(|(s, _)| s)
    }

    fn model_at(&self, theta: &[f64]) -> Result<(Scenario, CareerModel), FieldError> {
        let mut table = self.base_table.clone();
        for (p, &v) in self.parameters.iter().zip(theta) {
            set_path(&mut table, &p.path, toml::Value::Float(v), false)
                .map_err(|m| FieldError::new(&p.path, v, m))?;
        }
        let scenario: Scenario = toml::Value::Table(table)
            .try_into()
            .map_err(|e: toml::de::Error| FieldError::new("fit", "(point)", e.message().trim()))?;
        match scenario.resolve()? {
            (s, ScenarioModel::Career(m)) => Ok((s, *m)),
            _ => Err(FieldError::new("fit", "(point)", "no longer makes a plain Career scenario")),
        }
    }

    /// Final-follower counts of `trials` careers at `theta` on the runner's
    /// seed; an error when the runner's stop flag cut the run short.
    pub fn counts_at(&self, theta: &[f64], runner: &Runner, trials: u64) -> Result<BandCounts, FieldError> {
        self.whole_counts_at(theta, runner, trials)?.ok_or_else(stopped_error)
    }

    /// The careers an evaluation at `theta` runs, each counted in the fine
    /// bins of followers with its weight (the niche's top drawn more often
    /// when `run.niche_tail > 0`).
    pub(crate) fn band_model_at(&self, theta: &[f64]) -> Result<BandModel, FieldError> {
        let (_, career) = self.model_at(theta)?;
        if self.spec.run.niche_tail > 0.0 && career.spec().population.correlation.involves_niche() {
            return Err(FieldError::new(
                "run.niche_tail",
                self.spec.run.niche_tail,
                "must be 0 when population.correlation correlates the niche: the weighted niche draw \
                 takes it as independent",
            ));
        }
        Ok(BandModel { career, edges: self.edges.clone(), niche_tail: self.spec.run.niche_tail })
    }

    /// The fitted targets' deviance of `counts` and its linearisation over
    /// careers: `G ~ G + sum_i w_i c_b(i)` to first order, one coefficient
    /// `c_b` per fine bin of followers (see [`Calibration::deviance_se`]),
    /// with `w_i` a career's weight (1 unweighted).
    pub(crate) fn deviance_coefficients(&self, counts: &BandCounts) -> (f64, Vec<f64>) {
        let p = self.probabilities(counts);
        let q = self.all_target_shares();
        (group_deviance(&q, &p, &self.groups()), self.bin_coefficients(counts, &q, &p))
    }

    /// The verification's checks: the search's luck (`run.seed + 1`) and
    /// careers.
    pub(crate) fn verification_size(&self) -> (u64, u64) {
        (self.spec.run.verify_seed(), self.verify_trials())
    }

    /// [`Calibration::counts_at`], `None` when the stop flag cut the run short.
    fn whole_counts_at(
        &self,
        theta: &[f64],
        runner: &Runner,
        trials: u64,
    ) -> Result<Option<BandCounts>, FieldError> {
        let model = self.band_model_at(theta)?;
        let out = runner.run(&model, trials);
        // Counts of part of the careers would move the search as if they
        // were the model's: an evaluation cut short is dropped, never kept.
        Ok((out.summary.trials() == trials).then_some(out.summary))
    }

    /// Target share of each category of the primary shares target (the
    /// bands, then the rest if any).
    fn target_shares(&self) -> Vec<f64> {
        let rest = (1.0 - self.targets.iter().sum::<f64>()).max(0.0);
        self.targets.iter().copied().chain(self.rest.then_some(rest)).collect()
    }

    /// Every target's categories' shares from counts, as probabilities for
    /// the objective, one target after another (the held out ones too).
    fn probabilities(&self, counts: &BandCounts) -> Vec<f64> {
        self.components.iter().flat_map(|c| c.probabilities(counts)).collect()
    }

    /// Every target's categories' target shares, one target after another.
    fn all_target_shares(&self) -> Vec<f64> {
        self.components.iter().flat_map(Component::target_shares).collect()
    }

    /// Every target's place in the objective: its categories, weight, and
    /// whether it is fitted.
    fn groups(&self) -> Vec<TargetGroup> {
        self.components
            .iter()
            .map(|c| TargetGroup { len: c.len(), weight: c.weight, fitted: !c.held_out })
            .collect()
    }

    /// Runs the calibration with the targets' seed on the runner's threads
    /// (the runner's own seed is not used: the search runs on `run.seed`, the
    /// verification on `run.seed + 1`). A runner stopped part way is an
    /// error here; [`Calibration::run_observed`] keeps the work done.
    pub fn run(&self, runner: &Runner) -> Result<CalibrationRecord, FieldError> {
        match self.run_observed(runner, &|_, _| {})? {
            Calibrated::Finished(record) => Ok(*record),
            Calibrated::Interrupted(piece) => Err(FieldError::new(
                "run",
                "(stopped)",
                format!(
                    "the calibration was stopped after {}; Calibration::run_observed keeps them to resume",
                    piece.held_in_words()
                ),
            )),
        }
    }

    /// [`Calibration::run`], telling `observe` the number and the deviance of
    /// each evaluation of the search (for a progress display). When the
    /// runner's stop flag rises, the evaluation in flight is dropped and the
    /// calibration gives the piece of the evaluations that finished
    /// ([`Calibrated::Interrupted`]), to [`Calibration::resume`].
    pub fn run_observed(
        &self,
        runner: &Runner,
        observe: &(dyn Fn(usize, f64) + Sync),
    ) -> Result<Calibrated, FieldError> {
        self.run_logged(runner, Log::new(None), observe)
    }

    /// Resumes the calibration stopped in `piece` (read from `name`): checked
    /// first ([`Calibration::check_piece`]), it is run again with the
    /// piece's evaluations taken instead of run, so the search retraces the
    /// stopped run's path and goes on. Finished, the record is the
    /// uninterrupted run's, byte for byte; stopped again, the new piece holds
    /// the old one's evaluations too. A piece refused names `name`; an error
    /// of the run itself names the targets.
    pub fn resume(
        &self,
        runner: &Runner,
        piece: &CalibrationPiece,
        name: &str,
    ) -> Result<Calibrated, ScenarioError> {
        self.resume_observed(runner, piece, name, &|_, _| {})
    }

    /// [`Calibration::resume`], telling `observe` of each evaluation of the
    /// search, as [`Calibration::run_observed`] does.
    pub fn resume_observed(
        &self,
        runner: &Runner,
        piece: &CalibrationPiece,
        name: &str,
        observe: &(dyn Fn(usize, f64) + Sync),
    ) -> Result<Calibrated, ScenarioError> {
        self.check_piece(piece, name)?;
        self.run_logged(runner, Log::new(Some(piece)), observe).map_err(|error| ScenarioError::Invalid {
            source_name: format!("targets {:?}", self.spec.name),
            error,
        })
    }

    /// Runs the calibration with every evaluation through `log`: its
    /// record, or the piece of the evaluations done when an evaluation was
    /// cut short by the stop flag.
    fn run_logged(
        &self,
        runner: &Runner,
        log: Log<'_>,
        observe: &(dyn Fn(usize, f64) + Sync),
    ) -> Result<Calibrated, FieldError> {
        match self.fit(runner, &log, observe) {
            Ok(record) => Ok(Calibrated::Finished(Box::new(record))),
            Err(_) if log.stopped() => Ok(Calibrated::Interrupted(Box::new(CalibrationPiece {
                schema: CalibrationRecord::SCHEMA.to_string(),
                clout_version: env!("CARGO_PKG_VERSION").to_string(),
                targets: self.spec.clone(),
                scenario: self.base.clone(),
                interrupted: true,
                evaluations: log.into_evaluations(),
            }))),
            Err(e) => Err(e),
        }
    }

    /// The calibration: the search, the intervals, the check on new luck,
    /// every evaluation through `log`.
    fn fit(
        &self,
        runner: &Runner,
        log: &Log<'_>,
        observe: &(dyn Fn(usize, f64) + Sync),
    ) -> Result<CalibrationRecord, FieldError> {
        let run = self.spec.run;
        let search = runner.reseeded_stoppable(run.seed);
        let probabilities = |kind: EvaluationKind, x: &[f64]| -> Result<Vec<f64>, FieldError> {
            let trials = match kind {
                EvaluationKind::Coarse => run.coarse_trials().unwrap_or(run.trials),
                _ => run.trials,
            };
            Ok(self.probabilities(&log.counts(self, kind, &self.theta(x), &search, trials)?))
        };
        let start: Vec<f64> = self.parameters.iter().map(|p| p.unbounded(p.start)).collect();
        let groups = self.groups();
        let found = fit_targets_logged(
            &probabilities,
            start,
            &self.all_target_shares(),
            &groups,
            Plan { max_evaluations: run.max_evaluations, coarse: run.coarse_fraction > 0.0 },
            observe,
        )?;
        let k = self.parameters.len();
        let theta = self.theta(&found.x);
        let parameters = self.fitted_parameters(&found, &theta);
        let correlations = found.covariance.as_ref().map(correlations);

        // Verification on independent luck.
        let verify_trials = self.verify_trials();
        let verify = runner.reseeded_stoppable(run.verify_seed());
        let counts = log.counts(self, EvaluationKind::Verification, &theta, &verify, verify_trials)?;
        let p = self.probabilities(&counts);
        let q = self.all_target_shares();
        let deviance = group_deviance(&q, &p, &groups);
        let (accounts, _, _) = counts.sums(self.among, None);
        let deviance_se = self.deviance_se(&counts, &q, &p);
        let df = groups.iter().filter(|g| g.fitted).map(|g| g.len as i64 - 1).sum::<i64>() - k as i64;
        let p_value = chi_square_p(deviance, df);
        let bands = self.band_fits(&counts);
        let checks = self.check_results(&counts);
        let targets = self.target_fits(&counts, &found);
        let mut misfit = misfits(&parameters, &bands, found.covariance.is_none());
        misfit.extend(target_misfits(&targets, self.spec.shares.is_empty()));
        let (fitted_scenario, _) = self.model_at(&theta)?;
        let mut fitted_scenario = fitted_scenario;
        fitted_scenario.run = self.base.run;
        let report = CalibrationReport {
            parameters,
            correlations,
            bands,
            deviance,
            deviance_se,
            deviance_search: found.deviance,
            degrees_of_freedom: df,
            p_value,
            checks,
            targets,
            accounts,
            search: SearchReport {
                evaluations: found.evaluations,
                max_evaluations: run.max_evaluations,
                restarts: found.restarts,
                converged: found.converged,
                trials: run.trials,
                coarse_trials: run.coarse_trials(),
                coarse_evaluations: found.coarse_evaluations,
                seed: run.seed,
                verify_trials,
                verify_seed: run.verify_seed(),
            },
            misfit,
            fitted_scenario,
        };
        Ok(CalibrationRecord {
            schema: CalibrationRecord::SCHEMA.to_string(),
            clout_version: env!("CARGO_PKG_VERSION").to_string(),
            targets: self.spec.clone(),
            scenario: self.base.clone(),
            report,
        })
    }

    /// Each parameter as fitted at `theta` (the search's best point): its 95%
    /// interval `x̂ -/+ 1.96 sd` mapped back to `theta` (none at a bound, within
    /// 1% of it on the logistic scale, or with a singular information), and
    /// whether its effective count trusts that interval.
    fn fitted_parameters(&self, found: &SharesFit, theta: &[f64]) -> Vec<FittedParameter> {
        let z = crate::stats::normal_quantile_two_sided(0.95);
        self.parameters
            .iter()
            .enumerate()
            .map(|(i, p)| {
                let x = found.x[i];
                let at_bound = (1.0 / (1.0 + (-x).exp()) - 0.5).abs() > 0.49;
                let sd = found.covariance.as_ref().map(|c| c[(i, i)].sqrt());
                let interval = sd.filter(|_| !at_bound).map(|sd| [p.value(x - z * sd), p.value(x + z * sd)]);
                let effective_count =
                    found.effective_counts.as_ref().map(|m| m[i]).filter(|_| interval.is_some());
                FittedParameter {
                    path: p.path.clone(),
                    low: p.spec.low,
                    high: p.spec.high,
                    scale: p.spec.scale,
                    start: p.start,
                    value: theta[i],
                    interval,
                    sd_unbounded: sd,
                    at_bound,
                    effective_count,
                    trusted: effective_count.is_some_and(|m| m >= MIN_EFFECTIVE_COUNT),
                }
            })
            .collect()
    }

    /// The Monte Carlo standard error of the deviance of the verification
    /// `counts`, with target shares `q` and model shares `p` per category
    /// (every target's, one after another), by the delta method over careers.
    ///
    /// For one fitted target, `Var G = sum_b Q_b (g_b + 2 w)² / S²` over its
    /// categories `b`, with `g_b = -2 w q_b / p_b`, `S` the weight sum of the
    /// accounts it counts and `Q_b` the squared-weight sum of category `b`.
    /// For several, the careers are shared: a career in the fine bin `i`
    /// moves every target counting it, so `Var G = sum_i Q_i c_i²` with
    /// `c_i = sum_t 2 w_t (1 - q_tj / p_tj) / S_t` over the fitted targets
    /// `t` counting bin `i` (in their category `j`).
    fn deviance_se(&self, counts: &BandCounts, q: &[f64], p: &[f64]) -> f64 {
        let mut offset = 0;
        let mut fitted: Vec<(usize, &Component)> = Vec::new();
        for c in &self.components {
            if !c.held_out {
                fitted.push((offset, c));
            }
            offset += c.len();
        }
        if let [(at, c)] = fitted[..] {
            // One target: as before (its bits unchanged).
            let n_eff = c.weight;
            let (_, s_all, _) = counts.sums(c.among, None);
            let var: f64 = c
                .category_sums(counts)
                .iter()
                .enumerate()
                .map(|(j, &(_, _, q_b))| q_b * (-2.0 * n_eff * q[at + j] / p[at + j] + 2.0 * n_eff).powi(2))
                .sum();
            return if s_all > 0.0 { var.sqrt() / s_all } else { 0.0 };
        }
        let var: f64 = self
            .bin_coefficients(counts, q, p)
            .iter()
            .zip(&counts.squares)
            .map(|(c, &q_i)| q_i as f64 / (WEIGHT_ONE * WEIGHT_ONE) * c * c)
            .sum();
        var.sqrt()
    }

    /// Each fine bin's coefficient `c_i = sum_t 2 w_t (1 - q_tj / p_tj) / S_t`
    /// in the linearised deviance, over the fitted targets `t` counting bin
    /// `i` (in their category `j`), `S_t` the weight sum of the accounts `t`
    /// counts (see [`Calibration::deviance_se`]).
    fn bin_coefficients(&self, counts: &BandCounts, q: &[f64], p: &[f64]) -> Vec<f64> {
        let mut coefficient = vec![0.0; counts.counts.len()];
        let mut at = 0;
        for c in &self.components {
            let (_, s_t, _) = counts.sums(c.among, None);
            if !c.held_out && s_t > 0.0 {
                for (i, j) in c.bin_categories(counts).into_iter().enumerate() {
                    if let Some(j) = j {
                        coefficient[i] += 2.0 * c.weight * (1.0 - q[at + j] / p[at + j]) / s_t;
                    }
                }
            }
            at += c.len();
        }
        coefficient
    }

    /// The primary shares target's band fits in the verification `counts`
    /// (the rest last, if any); none without a fitted shares target.
    fn band_fits(&self, counts: &BandCounts) -> Vec<BandFit> {
        let Some(c) = self.components.iter().find(|c| c.kind == TargetKind::Shares && !c.held_out) else {
            return vec![];
        };
        category_fits(c, &c.shares(counts))
    }

    /// Each `[[target]]`'s fit in the verification `counts`: its categories
    /// with Monte Carlo intervals, its weighted deviance, and the 95%
    /// interval of each category's share with the fit's uncertainty added,
    /// against which a held-out target is checked: each half-width is the
    /// Monte Carlo (Wilson) interval's and `1.96 sqrt(J_j Cov J_j')` (the
    /// category's Jacobian row at the optimum and the parameters'
    /// covariance) added in quadrature, `sqrt(h_mc² + h_fit²)`.
    fn target_fits(&self, counts: &BandCounts, found: &SharesFit) -> Vec<TargetFit> {
        let z = crate::stats::normal_quantile_two_sided(0.95);
        let inline = self.components.len() - self.spec.target.len();
        let mut offset: usize = self.components[..inline].iter().map(Component::len).sum();
        let mut fits = Vec::new();
        for c in &self.components[inline..] {
            let shares = c.shares(counts);
            let p = c.probabilities(counts);
            let q = c.target_shares();
            let prediction: Vec<[f64; 2]> = shares
                .iter()
                .enumerate()
                .map(|(j, share)| {
                    let row = found.jacobian.row(offset + j);
                    let fit_var =
                        found.covariance.as_ref().map_or(0.0, |cov| (row * cov * row.transpose())[(0, 0)]);
                    // The Monte Carlo interval's half-widths (Wilson's, never
                    // zero-width) and the fit's, added in quadrature.
                    let fit = z * fit_var.max(0.0).sqrt();
                    let (p, lo, hi) = (share.estimate, share.lower, share.upper);
                    [(p - (p - lo).hypot(fit)).max(0.0), (p + (hi - p).hypot(fit)).min(1.0)]
                })
                .collect();
            let statistic = c.statistic.map(|s| StatisticFit::new(s, shares[0].estimate, prediction[0]));
            let agrees = match &statistic {
                Some(s) => s.agrees,
                None => q.iter().zip(&prediction).all(|(q, [lo, hi])| (lo..=hi).contains(&q)),
            };
            fits.push(TargetFit {
                name: c.name.clone(),
                file: c.file.clone(),
                kind: c.kind,
                weight: c.weight,
                held_out: c.held_out,
                deviance: deviance(&q, &p, c.weight),
                categories: category_fits(c, &shares),
                prediction,
                statistic,
                agrees,
                fit_uncertainty: found.covariance.is_some(),
            });
            offset += c.len();
        }
        fits
    }

    /// Each held-out check in the verification `counts`, beside its published value.
    fn check_results(&self, counts: &BandCounts) -> Vec<CheckResult> {
        self.spec
            .check
            .iter()
            .map(|c| {
                let model = counts.share(c.above, None, c.given);
                CheckResult {
                    name: c.name.clone(),
                    source: c.source.clone(),
                    above: c.above,
                    given: c.given,
                    value: c.value,
                    agrees: model.contains(c.value),
                    model,
                }
            })
            .collect()
    }
}

impl Component {
    /// The model's share of each category (the bands, then the rest if
    /// any) from counts, as estimates with standard errors.
    fn shares(&self, counts: &BandCounts) -> Vec<Share> {
        let (among, s_all, q_all) = counts.sums(self.among, None);
        self.category_sums(counts)
            .into_iter()
            .map(|(careers, s, q)| Share::ratio(careers, s, q, among, s_all, q_all))
            .collect()
    }

    /// Careers, weight sum and squared-weight sum of each category: the
    /// bands, then the rest (all accounts counted less the listed bands).
    fn category_sums(&self, counts: &BandCounts) -> Vec<(u64, f64, f64)> {
        let mut sums: Vec<(u64, f64, f64)> = self.bands.iter().map(|b| counts.sums(b.from, b.to)).collect();
        if self.rest {
            let (mut careers, mut s_rest, mut q_rest) = counts.sums(self.among, None);
            for &(c, sb, qb) in &sums {
                careers -= c;
                s_rest -= sb;
                q_rest -= qb;
            }
            sums.push((careers, s_rest.max(0.0), q_rest.max(0.0)));
        }
        sums
    }

    /// Shares as probabilities for the objective: a category without
    /// careers counts as half a career of weight 1 (among at least one).
    fn probabilities(&self, counts: &BandCounts) -> Vec<f64> {
        let (_, s, _) = counts.sums(self.among, None);
        let floor = 0.5 / s.max(0.5 * counts.trials.max(1) as f64);
        let shares: Vec<f64> = self.shares(counts).iter().map(|x| x.estimate).collect();
        if shares.iter().all(|&p| p >= floor) {
            return shares;
        }
        // Raising empty bands to the floor must keep the shares a
        // distribution: renormalised, the deviance is never negative
        // (Gibbs' inequality); unnormalised, a run of few careers gave
        // deviances far below 0. (Only then: a sound run keeps its bits.)
        let raised: Vec<f64> = shares.iter().map(|p| p.max(floor)).collect();
        let total: f64 = raised.iter().sum();
        raised.iter().map(|p| p / total).collect()
    }

    /// The fine bins of `counts` (between the calibration's edges) in each
    /// category: `Some(j)` for a bin of category `j`, `None` outside the
    /// accounts counted.
    fn bin_categories(&self, counts: &BandCounts) -> Vec<Option<usize>> {
        let mut category = vec![None; counts.counts.len()];
        for i in bins(&counts.edges, self.among, None) {
            category[i] = self.rest.then_some(self.bands.len());
        }
        for (j, b) in self.bands.iter().enumerate() {
            for i in bins(&counts.edges, b.from, b.to) {
                category[i] = Some(j);
            }
        }
        category
    }
}

/// Each category of `c` (its bands, then the rest) with its target share.
fn category_fits_shape(c: &Component) -> Vec<(Band, f64)> {
    let mut bands: Vec<Band> = c.bands.clone();
    if c.rest {
        bands.push(Band { name: "rest".into(), from: c.among, to: None });
    }
    bands.into_iter().zip(c.target_shares()).collect()
}

/// Each category of `c` (its bands, then the rest) with the model's `shares`.
fn category_fits(c: &Component, shares: &[Share]) -> Vec<BandFit> {
    category_fits_shape(c).into_iter().zip(shares).map(|((b, t), &s)| BandFit::new(b, t, s)).collect()
}

/// Why fitted `[[target]]`s fall short: a category off by more than
/// [`MATCH_TOLERANCE`] (and outside its Monte Carlo interval), or a slope
/// or ratio whose interval misses its published value or range.
/// The first fitted shares target is skipped when `primary_listed`: its bands
/// are the report's `bands`, whose misses [`misfits`] lists.
fn target_misfits(targets: &[TargetFit], primary_listed: bool) -> Vec<String> {
    let mut misfit = Vec::new();
    let primary = targets.iter().position(|t| t.kind == TargetKind::Shares && !t.held_out);
    for (_, t) in
        targets.iter().enumerate().filter(|(i, t)| !(t.held_out || primary_listed && primary == Some(*i)))
    {
        if let Some(s) = &t.statistic {
            if !s.agrees {
                misfit.push(format!(
                    "{}: the model's {} is {:.3} [{:.3}, {:.3}] against the published [{:.3}, {:.3}]",
                    t.name, s.name, s.model, s.lower, s.upper, s.target_low, s.target_high
                ));
            }
            continue;
        }
        for b in t.categories.iter().filter(|b| !b.matched) {
            misfit.push(format!(
                "{} {}: the model gives {:.3}% against the target {:.3}% ({:+.0}%)",
                t.name,
                b.band.name,
                100.0 * b.model.estimate,
                100.0 * b.target,
                100.0 * b.relative_error
            ));
        }
    }
    misfit
}

/// The error of an evaluation cut short by the runner's stop flag.
fn stopped_error() -> FieldError {
    FieldError::new("run", "(stopped)", "the calibration was stopped during an evaluation, which is dropped")
}

/// The correlations `c_ij / sqrt(c_ii c_jj)` of a covariance matrix, row by row.
fn correlations(c: &nalgebra::DMatrix<f64>) -> Vec<Vec<f64>> {
    let k = c.nrows();
    (0..k).map(|i| (0..k).map(|j| c[(i, j)] / (c[(i, i)] * c[(j, j)]).sqrt()).collect()).collect()
}

/// The chi-square p-value of `deviance` on `df` degrees of freedom; `None`
/// when the fit is saturated (`df <= 0`).
fn chi_square_p(deviance: f64, df: i64) -> Option<f64> {
    (df > 0).then(|| {
        use statrs::distribution::{ChiSquared, ContinuousCDF};
        ChiSquared::new(df as f64).expect("df > 0").sf(deviance)
    })
}

/// Why the fit is a misfit, a line each: parameters at a bound, bands not
/// matched, and a `singular` information (no intervals).
fn misfits(parameters: &[FittedParameter], bands: &[BandFit], singular: bool) -> Vec<String> {
    let mut misfit = Vec::new();
    for p in parameters {
        if p.at_bound {
            misfit.push(format!(
                "{} = {} is at a bound of [{}, {}]: widen the bound or fit another parameter",
                p.path, p.value, p.low, p.high
            ));
        }
    }
    for b in bands {
        if !b.matched {
            misfit.push(format!(
                "{}: the model gives {:.3}% against the target {:.3}% ({:+.0}%)",
                b.band.name,
                100.0 * b.model.estimate,
                100.0 * b.target,
                100.0 * b.relative_error
            ));
        }
    }
    if singular {
        misfit.push("the targets do not tell the parameters apart (singular information): no intervals; fit fewer parameters".into());
    }
    misfit
}

/// The index in [`Tier::ALL`] of the tier called `name`, for a band of `field`.
fn tier_named(field: &str, name: &str) -> Result<usize, FieldError> {
    Tier::ALL.iter().position(|t| t.name() == name).ok_or_else(|| {
        FieldError::new(
            field,
            format!("{name:?}"),
            "is not a tier: a band is a tier (nano, micro, mid, macro, mega) or a run of them (\"mid-macro\")",
        )
    })
}

/// The number at a dotted path of a scenario table.
fn get_path(table: &toml::Table, path: &str) -> Option<f64> {
    let mut parts = path.split('.');
    let mut here = table.get(parts.next()?)?;
    for part in parts {
        here = here.as_table()?.get(part)?;
    }
    here.as_float().or_else(|| here.as_integer().map(|i| i as f64))
}

/// The deviance `G = 2 n_eff sum_j q_j ln(q_j / p_j)` of model shares `p`
/// against target shares `q` (categories with `q_j = 0` add nothing).
pub fn deviance(q: &[f64], p: &[f64], n_eff: f64) -> f64 {
    2.0 * n_eff * q.iter().zip(p).filter(|(q, _)| **q > 0.0).map(|(q, p)| q * (q / p).ln()).sum::<f64>()
}

/// One target's place among the categories [`fit_targets`] is given: its
/// next `len` categories, its weight, and whether it is fitted.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TargetGroup {
    /// Its categories (they sum to 1 among themselves).
    pub len: usize,
    /// `w_t`: the accounts the target is worth.
    pub weight: f64,
    /// Fitted (`true`), or held out: computed, not in the objective.
    pub fitted: bool,
}

/// The objective of several targets: the sum of their deviances,
///
///   `G(theta) = sum_t 2 w_t sum_j q_tj ln(q_tj / p_tj(theta))`
///
/// over the fitted targets `t`, each a multinomial of its own categories `j`
/// (target shares `q_tj`, model shares `p_tj`) worth `w_t` accounts. Each
/// term is `-2 log` of the target's likelihood ratio against a perfect fit,
/// so `G` is `-2 log` of the likelihood of the targets taken as independent
/// samples of `w_t` accounts: the weights are the statement of how much each
/// target is trusted, and the Fisher information adds up the same way
/// (`I = sum_t w_t J_t' diag(1/p_t) J_t`). One target is [`deviance`].
pub fn group_deviance(q: &[f64], p: &[f64], groups: &[TargetGroup]) -> f64 {
    let mut at = 0;
    let mut terms = Vec::with_capacity(groups.len());
    for g in groups {
        if g.fitted {
            terms.push(deviance(&q[at..at + g.len], &p[at..at + g.len], g.weight));
        }
        at += g.len;
    }
    terms.into_iter().sum()
}

/// A model of shares: every category's share (summing to 1) at a point of
/// the search coordinates.
pub type SharesFn<'a> = dyn Fn(&[f64]) -> Result<Vec<f64>, FieldError> + Sync + 'a;

/// A model of shares told what each point is for (the search or the
/// Jacobian), so a calibration can log its evaluations by kind.
type LoggedSharesFn<'a> = dyn Fn(EvaluationKind, &[f64]) -> Result<Vec<f64>, FieldError> + Sync + 'a;

/// What [`fit_shares`] found.
#[derive(Debug, Clone)]
pub struct SharesFit {
    /// The best point (search coordinates).
    pub x: Vec<f64>,
    /// The deviance there.
    pub deviance: f64,
    /// The model's shares there (every target's, held out ones too).
    pub shares: Vec<f64>,
    /// `dp_j / dx_k` there, by central differences (a row a category, held
    /// out ones too).
    pub jacobian: nalgebra::DMatrix<f64>,
    /// Covariance of `x` from the Fisher information `n_eff J' diag(1/p) J`;
    /// `None` when the information is singular (condition number over 1e12).
    pub covariance: Option<nalgebra::DMatrix<f64>>,
    /// Each coordinate's effective count (see [`MIN_EFFECTIVE_COUNT`]): the
    /// census size at which the estimating statistic of `x_k` is as skewed as
    /// a binomial count with that expectation; `None` with the covariance.
    pub effective_counts: Option<Vec<f64>>,
    /// Evaluations used by the search (the Jacobian adds `2 x parameters`).
    pub evaluations: usize,
    /// How many of them were on the coarse luck (0 without a coarse stage).
    pub coarse_evaluations: usize,
    /// Restarts of Nelder-Mead from its best point.
    pub restarts: usize,
    /// Whether the last Nelder-Mead run met its tolerance.
    pub converged: bool,
}

/// Fits model shares to target shares: minimises [`deviance`] over unbounded
/// coordinates `x` with Nelder-Mead (`argmin`) from `start` (simplex steps
/// 0.6, then restarts from the best point with steps 0.4 and 0.2 while a
/// restart gains at least 0.01), then takes the Fisher information from a
/// central-difference Jacobian (step 0.1). `shares(x)` must give every
/// category's share (summing to 1), each > 0; `observe` is told each
/// evaluation's number and deviance. This is the estimator
/// [`Calibration::run`] uses, open for any model of shares.
pub fn fit_shares(
    shares: &SharesFn<'_>,
    start: Vec<f64>,
    targets: &[f64],
    n_eff: f64,
    max_evaluations: usize,
    observe: &(dyn Fn(usize, f64) + Sync),
) -> Result<SharesFit, FieldError> {
    let groups = [TargetGroup { len: targets.len(), weight: n_eff, fitted: true }];
    let plan = Plan { max_evaluations, coarse: false };
    fit_targets_logged(&|_, x| shares(x), start, targets, &groups, plan, observe)
}

/// [`fit_shares`] for several targets at once: `shares(x)` gives every
/// target's categories one target after another, as `groups` says, and the
/// objective is [`group_deviance`] (the held-out groups are computed, with
/// their Jacobian rows, and left out of the objective and the information).
pub fn fit_targets(
    shares: &SharesFn<'_>,
    start: Vec<f64>,
    targets: &[f64],
    groups: &[TargetGroup],
    max_evaluations: usize,
    observe: &(dyn Fn(usize, f64) + Sync),
) -> Result<SharesFit, FieldError> {
    let plan = Plan { max_evaluations, coarse: false };
    fit_targets_logged(&|_, x| shares(x), start, targets, groups, plan, observe)
}

/// How a search is run: its budget of evaluations, and whether its first
/// rounds are coarse.
#[derive(Debug, Clone, Copy)]
struct Plan {
    max_evaluations: usize,
    coarse: bool,
}

impl Plan {
    /// The stages, each some rounds on the luck of its kind. A round is a
    /// Nelder-Mead search from the best point so far, its first simplex that
    /// point and one step (on the unbounded scale) along each axis; a round
    /// after a stage's first that gains less than 0.01 in deviance ends the
    /// stage. Without a coarse stage,
    /// steps 0.6, 0.4, 0.2 on the search's careers (clout 0.1's search).
    /// With one, steps 0.6 and 0.4 on the coarse careers, then 0.2 and 0.1
    /// on all of them: the fine rounds polish the coarse optimum on the
    /// same luck the plain search would have used.
    fn stages(self) -> &'static [(EvaluationKind, &'static [f64])] {
        use EvaluationKind::{Coarse, Search};
        if self.coarse {
            &[(Coarse, &[0.6, 0.4]), (Search, &[0.2, 0.1])]
        } else {
            &[(Search, &[0.6, 0.4, 0.2])]
        }
    }
}

/// [`fit_targets`] with `shares` told whether a point is the search's
/// ([`EvaluationKind::Coarse`] or [`EvaluationKind::Search`]) or the
/// Jacobian's ([`EvaluationKind::Interval`]), on the rounds of `plan`.
fn fit_targets_logged(
    shares: &LoggedSharesFn<'_>,
    start: Vec<f64>,
    targets: &[f64],
    groups: &[TargetGroup],
    plan: Plan,
    observe: &(dyn Fn(usize, f64) + Sync),
) -> Result<SharesFit, FieldError> {
    let evaluations = AtomicUsize::new(0);
    let objective = |kind| Objective {
        kind,
        shares,
        targets,
        groups,
        evaluations: &evaluations,
        observe,
        error: Default::default(),
    };
    let stages = plan.stages();
    let mut best = start;
    let mut best_cost = objective(stages[0].0).evaluate(&best)?;
    let (mut round, mut converged, mut coarse_evaluations) = (0, false, 0);
    for (stage, &(kind, steps)) in stages.iter().enumerate() {
        if stage > 0 {
            // The fine stage starts from the coarse best point's cost on all
            // the careers (one evaluation, even with the budget spent).
            coarse_evaluations = evaluations.load(Ordering::Relaxed);
            best_cost = objective(kind).evaluate(&best)?;
        }
        for (stage_round, &step) in steps.iter().enumerate() {
            let used = evaluations.load(Ordering::Relaxed);
            if used >= plan.max_evaluations {
                break;
            }
            let objective = objective(kind);
            let budget = (plan.max_evaluations - used) as u64;
            let (found, cost, done) = nelder_mead_round(&objective, &best, step, budget)?;
            converged = done;
            let improvement = best_cost - cost;
            if let Some(p) = found
                && improvement > 0.0
            {
                best = p;
                best_cost = cost;
            }
            round += 1;
            // A restart that gained less than 0.01 in deviance ends the stage.
            if stage_round > 0 && improvement < 0.01 {
                break;
            }
        }
    }
    let restarts = round.max(1) - 1;
    let evaluations = evaluations.load(Ordering::Relaxed);

    // The Fisher information from the Jacobian of the shares (same luck).
    let (p_hat, jacobian) = jacobian_at(shares, &best)?;
    // Each category weighs its target's w_t / p_j (a held-out one nothing).
    let row_weights: Vec<f64> = groups
        .iter()
        .flat_map(|g| std::iter::repeat_n(if g.fitted { g.weight } else { 0.0 }, g.len))
        .collect();
    let weights = nalgebra::DMatrix::from_diagonal(&nalgebra::DVector::from_iterator(
        p_hat.len(),
        p_hat.iter().zip(&row_weights).map(|(p, n_eff)| n_eff / p),
    ));
    let information = jacobian.transpose() * weights * &jacobian;
    let eigenvalues = information.clone().symmetric_eigenvalues();
    let (lo, hi) = eigenvalues.iter().fold((f64::INFINITY, 0.0f64), |(lo, hi), &e| (lo.min(e), hi.max(e)));
    let covariance = if lo > 0.0 && hi / lo < 1e12 {
        information.cholesky().map(|c| c.inverse()).filter(|c| c.iter().all(|v| v.is_finite()))
    } else {
        None
    };
    let effective_counts = covariance.as_ref().map(|c| effective_counts(c, &jacobian, &p_hat, groups));
    Ok(SharesFit {
        x: best,
        deviance: best_cost,
        shares: p_hat,
        jacobian,
        covariance,
        effective_counts,
        evaluations,
        coarse_evaluations,
        restarts,
        converged,
    })
}

/// The shares at `best` and their central-difference Jacobian (step 0.1 on
/// the unbounded scale), on the search's luck.
fn jacobian_at(
    shares: &LoggedSharesFn<'_>,
    best: &[f64],
) -> Result<(Vec<f64>, nalgebra::DMatrix<f64>), FieldError> {
    let h = 0.1;
    let p_hat = shares(EvaluationKind::Interval, best)?;
    let mut jacobian = nalgebra::DMatrix::<f64>::zeros(p_hat.len(), best.len());
    for i in 0..best.len() {
        let at = |sign: f64| {
            let mut x = best.to_vec();
            x[i] += sign * h;
            shares(EvaluationKind::Interval, &x)
        };
        let (up, down) = (at(1.0)?, at(-1.0)?);
        for j in 0..p_hat.len() {
            jacobian[(j, i)] = (up[j] - down[j]) / (2.0 * h);
        }
    }
    Ok((p_hat, jacobian))
}

/// One round of the search: Nelder-Mead (`argmin`) from the simplex of
/// `best` and one `step` along each axis, within `budget` evaluations (an
/// iteration evaluates one to k + 1 points; two is typical). Gives its best
/// point, that point's cost, and whether it met its tolerance.
fn nelder_mead_round(
    objective: &Objective<'_>,
    best: &[f64],
    step: f64,
    budget: u64,
) -> Result<(Option<Vec<f64>>, f64, bool), FieldError> {
    let mut simplex = vec![best.to_vec()];
    for i in 0..best.len() {
        let mut v = best.to_vec();
        v[i] += step;
        simplex.push(v);
    }
    let solver = NelderMead::new(simplex).with_sd_tolerance(1e-4).expect("a valid tolerance");
    let result =
        Executor::new(objective, solver).configure(|state| state.max_iters(budget.div_ceil(2).max(1))).run();
    if let Some(e) = objective.error.lock().expect("not poisoned").take() {
        return Err(e);
    }
    let result = result.map_err(|e| FieldError::new("fit", "(search)", e.to_string()))?;
    let state = result.state();
    let converged =
        matches!(state.get_termination_reason(), Some(argmin::core::TerminationReason::SolverConverged));
    Ok((state.get_best_param().cloned(), state.get_best_cost(), converged))
}

/// Each coordinate's effective count `m_k = n (sum_j a_kj² p_j)³ / (sum_j a_kj³ p_j)²`
/// (moments centred on `sum_j a_kj p_j`, which is 0 when the shares sum to
/// 1), with `a_kj = (I^-1 J')_kj / p_j` the influence of category `j`'s count
/// on `x̂_k`: to first order `x̂_k - x_k = sum_j a_kj (q_j - p_j)`, whose
/// skewness under the multinomial is `1 / sqrt(m_k)`. For a parameter told
/// only by one category of share `p` against a common one, `m_k ≈ n p`,
/// that category's expected count; a parameter told by common categories
/// has a large `m_k` whatever the rare ones hold. Finite (at most `f64::MAX`).
fn effective_counts(
    covariance: &nalgebra::DMatrix<f64>,
    jacobian: &nalgebra::DMatrix<f64>,
    p: &[f64],
    groups: &[TargetGroup],
) -> Vec<f64> {
    let k = covariance.nrows();
    let fitted = groups.iter().filter(|g| g.fitted).count();
    (0..k)
        .map(|i| {
            let a: Vec<f64> = (0..p.len())
                .map(|j| (0..k).map(|l| covariance[(i, l)] * jacobian[(j, l)]).sum::<f64>() / p[j])
                .collect();
            // Several targets: the cumulants of independent samples add,
            // kappa_2 = sum_t w_t s2_t and kappa_3 = sum_t w_t s3_t, and
            // m = kappa_2^3 / kappa_3^2 (for one target, n s2^3 / s3^2).
            let (mut kappa2, mut kappa3, mut single) = (0.0, 0.0, 0.0);
            let mut at = 0;
            for g in groups {
                let (a, p) = (&a[at..at + g.len], &p[at..at + g.len]);
                at += g.len;
                if !g.fitted {
                    continue;
                }
                let mean: f64 = a.iter().zip(p).map(|(a, p)| a * p).sum();
                let (mut s2, mut s3) = (0.0, 0.0);
                for (a, p) in a.iter().zip(p) {
                    let d = a - mean;
                    s2 += d * d * p;
                    s3 += d * d * d * p;
                }
                single = g.weight * s2.powi(3) / (s3 * s3);
                kappa2 += g.weight * s2;
                kappa3 += g.weight * s3;
            }
            let m = if fitted == 1 { single } else { kappa2.powi(3) / (kappa3 * kappa3) };
            if m.is_nan() { 0.0 } else { m.min(f64::MAX) }
        })
        .collect()
}

/// The objective for `argmin`: the deviance at `x`.
struct Objective<'a> {
    /// The luck its points are evaluated on.
    kind: EvaluationKind,
    shares: &'a LoggedSharesFn<'a>,
    targets: &'a [f64],
    groups: &'a [TargetGroup],
    evaluations: &'a AtomicUsize,
    observe: &'a (dyn Fn(usize, f64) + Sync),
    /// An error met during the search (argmin's errors lose their type).
    error: std::sync::Mutex<Option<FieldError>>,
}

impl Objective<'_> {
    fn evaluate(&self, x: &[f64]) -> Result<f64, FieldError> {
        let n = self.evaluations.fetch_add(1, Ordering::Relaxed) + 1;
        let g = group_deviance(self.targets, &(self.shares)(self.kind, x)?, self.groups);
        (self.observe)(n, g);
        Ok(g)
    }
}

impl CostFunction for &Objective<'_> {
    type Param = Vec<f64>;
    type Output = f64;

    /// The deviance at `x`. An evaluation that fails (a point the scenario
    /// refuses, a stopped runner) is kept as the search's error, which
    /// `fit_shares` returns once argmin hands back control, and costs
    /// infinity: argmin's Nelder-Mead unwraps the costs of its first simplex,
    /// so an `Err` there would panic inside the optimiser. After an error
    /// every point costs infinity unevaluated: the search is lost anyway.
    fn cost(&self, x: &Vec<f64>) -> Result<f64, argmin::core::Error> {
        if self.error.lock().expect("not poisoned").is_some() {
            return Ok(f64::INFINITY);
        }
        Ok(self.evaluate(x).unwrap_or_else(|e| {
            self.error.lock().expect("not poisoned").get_or_insert(e);
            f64::INFINITY
        }))
    }
}

/// Weights are held in fixed point, `round(w 2^32)`, so that sums are exact
/// integers and merge identically on any number of threads.
pub(crate) const WEIGHT_ONE: f64 = 4_294_967_296.0;

/// A Career model whose outcome is counted in bands of final followers.
///
/// With `niche_tail = tau > 0`, the niche is drawn by inversion of a uniform
/// `u` from the mixture "uniform on `[0, 1)` or, with probability 1/2, uniform
/// on the top `tau` of it", and the career carries the weight
/// `1 / g(u)`, `g(u) = 1/2 + [u >= 1 - tau] / (2 tau)`: at most 2, and
/// `2 tau / (1 + tau)` in the tail. The proposal acts on `u`, not on the
/// niche, so it is the same at every parameter point: the weights do not
/// depend on `theta`, and common random numbers still pair every candidate.
#[derive(Debug, Clone)]
pub struct BandModel {
    /// The careers.
    pub career: CareerModel,
    /// Follower edges, sorted: counts are kept between consecutive edges.
    pub edges: Vec<u64>,
    /// The share of the niche distribution's top that half the careers are drawn from (0: none).
    pub niche_tail: f64,
}

/// One career's final followers and weight.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BandOutcome {
    /// Followers at the horizon.
    pub followers: u64,
    /// The career's weight in fixed point, `round(w 2^32)`.
    pub weight: u64,
    /// Days of active career.
    pub career_days: u32,
}

/// Counts and weight sums of final followers between consecutive edges (mergeable, exact).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BandCounts {
    /// The edges.
    pub edges: Vec<u64>,
    /// `counts[i]`: careers with `edges[i-1] <= followers < edges[i]` (`counts[0]`
    /// below the first edge, the last at or above the last edge).
    pub counts: Vec<u64>,
    /// Sums of the fixed-point weights of those careers.
    pub weights: Vec<u128>,
    /// Sums of the squares of the fixed-point weights.
    pub squares: Vec<u128>,
    /// Careers recorded.
    pub trials: u64,
}

/// The bins of `counts` from the one holding `from` up to (not including) the one holding `to`.
fn bins(edges: &[u64], from: u64, to: Option<u64>) -> std::ops::Range<usize> {
    let first = edges.partition_point(|&e| e < from) + 1;
    let end = to.map_or(edges.len() + 1, |to| edges.partition_point(|&e| e < to) + 1);
    first..end
}

/// A share estimated as a ratio of weighted sums, with its standard error
/// (delta method) and a 95% Wilson interval at Kish's effective sample size
/// `S² / Q` (Korn & Graubard 1998): never zero-width, and it holds 0 when no
/// career is in the part.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Share {
    /// The estimate.
    pub estimate: f64,
    /// Its standard error.
    pub std_error: f64,
    /// 95% interval, lower end.
    pub lower: f64,
    /// 95% interval, upper end.
    pub upper: f64,
    /// Kish's effective sample size of the whole, `S² / Q` (the careers, when
    /// every weight is equal).
    pub effective_size: f64,
    /// Careers in the numerator.
    pub careers: u64,
    /// Careers in the denominator.
    pub among: u64,
}

impl Share {
    /// The share `p = s_b / s` of a part (careers, weight sum, squared-weight
    /// sum) of a whole, with the delta-method `Var = ((1-p)² q_b + p² (q -
    /// q_b)) / s²`.
    ///
    /// The interval is [`crate::stats::wilson_at`] with the careers replaced
    /// by Kish's (1965, *Survey Sampling*, Wiley) effective sample size
    /// `n* = s² / q` ([`crate::stats::kish_effective_size`]), as Korn &
    /// Graubard (1998, *Survey Methodology* 24:193) treat weighted
    /// proportions. With equal weights it is exactly the Wilson interval of
    /// the careers (worst coverage about 0.895, near an expected count of
    /// 0.55: see [`crate::stats::wilson_modified`]). Unlike the normal
    /// interval `p -/+ 1.96 SE` used before, it is never zero-width: with no
    /// career in the part it is `[0, z² / (n* + z²)]`; with no weight at all
    /// `[0, 1]`.
    fn ratio(careers: u64, s_b: f64, q_b: f64, among: u64, s: f64, q: f64) -> Share {
        let p = if s > 0.0 { (s_b / s).clamp(0.0, 1.0) } else { 0.0 };
        let var =
            if s > 0.0 { ((1.0 - p).powi(2) * q_b + p * p * (q - q_b).max(0.0)) / (s * s) } else { 0.0 };
        let se = var.max(0.0).sqrt();
        let n = crate::stats::kish_effective_size(s, q);
        let crate::stats::Interval { lower, upper } = crate::stats::wilson_at(p, n, 0.95);
        Share { estimate: p, std_error: se, lower, upper, effective_size: n, careers, among }
    }

    /// The interval holds `p`.
    pub fn contains(&self, p: f64) -> bool {
        (self.lower..=self.upper).contains(&p)
    }
}

impl BandCounts {
    /// Careers, weight and squared weight ending with followers in `[from, to)` (edges).
    fn sums(&self, from: u64, to: Option<u64>) -> (u64, f64, f64) {
        let r = bins(&self.edges, from, to);
        let count = self.counts[r.clone()].iter().sum();
        let w: u128 = self.weights[r.clone()].iter().sum();
        let w2: u128 = self.squares[r].iter().sum();
        (count, w as f64 / WEIGHT_ONE, w2 as f64 / (WEIGHT_ONE * WEIGHT_ONE))
    }

    /// The weighted share of careers in `[from, to)` among those in
    /// `[among, inf)`: `p = S_b / S`, `Var p = ((1-p)² Q_b + p² (Q - Q_b)) / S²`,
    /// with `S` the weight sums and `Q` the sums of squared weights.
    pub fn share(&self, from: u64, to: Option<u64>, among: u64) -> Share {
        let (careers, s_b, q_b) = self.sums(from, to);
        let (all, s, q) = self.sums(among, None);
        Share::ratio(careers, s_b, q_b, all, s, q)
    }
}

impl Summary<BandOutcome> for BandCounts {
    fn record(&mut self, outcome: &BandOutcome) {
        let i = self.edges.partition_point(|&e| e <= outcome.followers);
        self.counts[i] += 1;
        let w = u128::from(outcome.weight);
        self.weights[i] += w;
        self.squares[i] += w * w;
        self.trials += 1;
    }

    fn merge(&mut self, other: &Self) {
        for i in 0..self.counts.len() {
            self.counts[i] += other.counts[i];
            self.weights[i] += other.weights[i];
            self.squares[i] += other.squares[i];
        }
        self.trials += other.trials;
    }

    fn trials(&self) -> u64 {
        self.trials
    }

    /// One count, weight sum and squared-weight sum per bin between
    /// increasing edges; the counts add up to the trials (at most
    /// [`MAX_TRIALS`]); a bin's weights are within what its careers can
    /// weigh (each at most `2 x 2^32`), none without careers, and the sums
    /// fit each other (`W² <= n Q`, Cauchy-Schwarz).
    fn check(&self) -> Result<(), String> {
        self.check_invariants()
    }
}

impl Model for BandModel {
    type Outcome = BandOutcome;
    type Summary = BandCounts;
    type Report = BandCounts;

    fn sample_trial(&self, streams: &TrialStreams) -> BandOutcome {
        let tau = self.niche_tail;
        let (career, weight) = if tau > 0.0 {
            let mut creator = self.career.sample_creator(streams);
            let mut rng = streams.rng(Source::Proposal);
            let tail = rng.random::<f64>() < 0.5;
            let v: f64 = rng.random();
            let u = if tail { 1.0 - tau * (1.0 - v) } else { v };
            let g = 0.5 + if u >= 1.0 - tau { 0.5 / tau } else { 0.0 };
            let (low, high) = NICHE_RANGE;
            creator.niche = self.career.spec().population.niche.quantile(u, low, high);
            let career = self.career.simulate(streams, creator, self.career.horizon_days(creator.entry_day));
            (career, (WEIGHT_ONE / g).round() as u64)
        } else {
            (self.career.sample_trial(streams), WEIGHT_ONE as u64)
        };
        BandOutcome { followers: career.followers, weight, career_days: career.career_days }
    }

    fn new_summary(&self) -> BandCounts {
        let n = self.edges.len() + 1;
        BandCounts {
            edges: self.edges.clone(),
            counts: vec![0; n],
            weights: vec![0; n],
            squares: vec![0; n],
            trials: 0,
        }
    }

    fn report(&self, summary: &BandCounts) -> BandCounts {
        summary.clone()
    }

    fn simulated_time(&self, outcome: &BandOutcome) -> u64 {
        u64::from(outcome.career_days)
    }
}

/// A fitted parameter.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FittedParameter {
    /// Its dotted path.
    pub path: String,
    /// Lower bound of the search.
    pub low: f64,
    /// Upper bound of the search.
    pub high: f64,
    /// The search's scale.
    pub scale: Scale,
    /// Where the search started.
    pub start: f64,
    /// The fitted value.
    pub value: f64,
    /// 95% interval (none at a bound or when the targets cannot identify it).
    pub interval: Option<[f64; 2]>,
    /// Standard deviation on the unbounded search scale.
    pub sd_unbounded: Option<f64>,
    /// Within 1% of a bound (of the search scale).
    pub at_bound: bool,
    /// The effective count `m` of the census behind the parameter's estimate
    /// (see [`MIN_EFFECTIVE_COUNT`]); none without an interval.
    pub effective_count: Option<f64>,
    /// Whether the interval can be trusted: it exists and `effective_count >=`
    /// [`MIN_EFFECTIVE_COUNT`].
    pub trusted: bool,
}

/// One band: the target against the fitted model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BandFit {
    /// The band.
    pub band: Band,
    /// The published share.
    pub target: f64,
    /// The fitted model's share among the accounts counted, with its Monte Carlo interval.
    pub model: Share,
    /// `model / target - 1` (0 when both are 0).
    pub relative_error: f64,
    /// Within [`MATCH_TOLERANCE`] of the target (relative), or within the
    /// Monte Carlo interval of it.
    pub matched: bool,
}

impl BandFit {
    fn new(band: Band, target: f64, model: Share) -> BandFit {
        let relative_error = if target > 0.0 { model.estimate / target - 1.0 } else { model.estimate };
        let matched = relative_error.abs() <= MATCH_TOLERANCE || model.contains(target);
        BandFit { band, target, model, relative_error, matched }
    }
}

/// A held-out check's result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CheckResult {
    /// What it is.
    pub name: String,
    /// Where the value comes from.
    pub source: String,
    /// Followers of the accounts counted.
    pub above: u64,
    /// Followers of the accounts counted among.
    pub given: u64,
    /// The published value.
    pub value: f64,
    /// The fitted model's `P(followers >= above | followers >= given)`.
    pub model: Share,
    /// Whether the published value lies in the model's 95% interval.
    pub agrees: bool,
}

/// A ratio's or a slope's published value against the fitted model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StatisticFit {
    /// What it is: `P(>= above | >= given)`, or `slope per decade`.
    pub name: String,
    /// The published value, or the low end of the published range.
    pub target_low: f64,
    /// The published value, or the high end of the published range.
    pub target_high: f64,
    /// The fitted model's value on new luck.
    pub model: f64,
    /// Its 95% interval with the fit's uncertainty, lower end.
    pub lower: f64,
    /// Upper end.
    pub upper: f64,
    /// Whether the interval meets the published value or range.
    pub agrees: bool,
}

impl StatisticFit {
    /// From the share of the upper category `p` and its interval `[lo, hi]`:
    /// a ratio as it is, a slope as `log10(p) / decades` (its interval
    /// mapped the same way, the ends swapped: the slope falls as `p` does).
    fn new(statistic: targets::Statistic, p: f64, [lo, hi]: [f64; 2]) -> StatisticFit {
        let (name, target_low, target_high, model, lower, upper) = match statistic {
            targets::Statistic::Ratio(v) => ("P(>= above | >= given)", v, v, p, lo, hi),
            targets::Statistic::Slope { decades, low, high } => {
                // A share of 0 has no slope: its interval's end is the
                // slope of the least positive share (finite, for JSON).
                let slope = |p: f64| p.max(f64::MIN_POSITIVE).log10() / decades;
                ("slope per decade", low, high, slope(p), slope(lo), slope(hi))
            }
        };
        let agrees = lower <= target_high && target_low <= upper;
        StatisticFit { name: name.into(), target_low, target_high, model, lower, upper, agrees }
    }
}

/// A `[[target]]` against the fitted model, from the check on new luck.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TargetFit {
    /// The target's name.
    pub name: String,
    /// Its data file.
    pub file: String,
    /// Its kind.
    pub kind: TargetKind,
    /// Its weight `w_t` (accounts it is worth).
    pub weight: f64,
    /// Checked, not fitted.
    pub held_out: bool,
    /// Its term of the objective, `2 w_t sum_j q_j ln(q_j / p_j)`, on new
    /// luck (for a held-out target, what it would have added).
    pub deviance: f64,
    /// Each category (the bands, then the rest), with Monte Carlo intervals.
    pub categories: Vec<BandFit>,
    /// Each category's 95% interval with the fit's uncertainty added: each
    /// half-width is the Monte Carlo interval's and `1.96 sqrt(J_j Cov J_j')`
    /// in quadrature.
    pub prediction: Vec<[f64; 2]>,
    /// A ratio's or slope's value, for those kinds.
    pub statistic: Option<StatisticFit>,
    /// Whether the published numbers lie in the prediction intervals.
    pub agrees: bool,
    /// Whether the intervals hold the fit's uncertainty (false: the
    /// information was singular, and they are Monte Carlo intervals only).
    pub fit_uncertainty: bool,
}

/// How the search went.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchReport {
    /// Objective evaluations used by the search (the Jacobian adds `2 x parameters`).
    pub evaluations: usize,
    /// The budget.
    pub max_evaluations: usize,
    /// Restarts of Nelder-Mead from its best point.
    pub restarts: usize,
    /// Whether the last Nelder-Mead run met its tolerance (rather than the budget).
    pub converged: bool,
    /// Careers per evaluation.
    pub trials: u64,
    /// Careers per evaluation of the coarse rounds, if any
    /// ([`CalibrationRun::coarse_fraction`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub coarse_trials: Option<u64>,
    /// How many of the search's evaluations were coarse.
    #[serde(default, skip_serializing_if = "is_zero_count")]
    pub coarse_evaluations: usize,
    /// The search's seed.
    pub seed: u64,
    /// Careers of the verification run.
    pub verify_trials: u64,
    /// The verification run's seed.
    pub verify_seed: u64,
}

/// What a calibration found.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CalibrationReport {
    /// The fitted parameters with 95% intervals.
    pub parameters: Vec<FittedParameter>,
    /// Correlations of the fitted parameters (on the search scale), in the order of `parameters`.
    pub correlations: Option<Vec<Vec<f64>>>,
    /// Each band (and the rest, if any) of the first fitted shares target
    /// (`[shares]`, else the first `[[target]]` of kind shares), target
    /// against model, from the verification run.
    pub bands: Vec<BandFit>,
    /// The objective ([`group_deviance`]) in the verification run: with
    /// `[shares]` alone, `2 n_eff sum q ln(q / p)`.
    pub deviance: f64,
    /// Its Monte Carlo standard error (delta method).
    pub deviance_se: f64,
    /// The deviance the search reached on its own luck.
    pub deviance_search: f64,
    /// Categories minus 1 minus parameters (0 or less: saturated).
    pub degrees_of_freedom: i64,
    /// Chi-square p-value of the deviance (when degrees of freedom > 0).
    pub p_value: Option<f64>,
    /// Held-out checks, from the verification run.
    pub checks: Vec<CheckResult>,
    /// Each `[[target]]` (fitted or held out), from the verification run.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub targets: Vec<TargetFit>,
    /// Accounts counted (at or above the lowest band) in the verification run.
    pub accounts: u64,
    /// The search.
    pub search: SearchReport,
    /// Why the fit falls short, one reason a line; empty when it fits.
    pub misfit: Vec<String>,
    /// The base scenario with the fitted values: run it to see the fitted world.
    pub fitted_scenario: Scenario,
}

/// The record of a calibration: everything needed to reproduce it. (A
/// calibration stopped part way is a [`CalibrationPiece`], of the same schema.)
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CalibrationRecord {
    /// Schema identifier.
    pub schema: String,
    /// The clout version that ran it.
    pub clout_version: String,
    /// The targets file, as read.
    pub targets: TargetsSpec,
    /// The base scenario, resolved.
    pub scenario: Scenario,
    /// What was found.
    pub report: CalibrationReport,
}

impl CalibrationRecord {
    /// The schema of calibration records.
    ///
    /// Version 2 added each parameter's `effective_count` and `trusted`, and
    /// made every share's interval Wilson's at Kish's effective size.
    /// Version 3 added the piece of a calibration stopped part way
    /// ([`CalibrationPiece`]: `"interrupted": true` and the `evaluations`
    /// that finished, no `report`), and reads records strictly (no unknown
    /// field); a finished calibration's record is as in version 2.
    pub const SCHEMA: &'static str = "clout.calibration/4";
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calibration_effective_count_of_a_binomial_is_n_p_q_over_one_minus_2p_squared() {
        // Two categories, the second's share logistic(x): x̂_k is the logit of
        // a binomial proportion, whose skewness is (1 - 2p) / sqrt(n p (1 - p)).
        let shares = |x: &[f64]| -> Result<Vec<f64>, FieldError> {
            let p = 1.0 / (1.0 + (-x[0]).exp());
            Ok(vec![1.0 - p, p])
        };
        let fit = fit_shares(&shares, vec![0.0], &[0.9, 0.1], 1000.0, 400, &|_, _| {}).unwrap();
        let m = fit.effective_counts.unwrap()[0];
        let exact = 1000.0 * 0.1 * 0.9 / (0.8f64 * 0.8);
        assert!((m / exact - 1.0).abs() < 0.01, "m {m} against {exact}");
    }

    #[test]
    fn calibration_share_interval_is_wilson_at_equal_weights_and_never_zero_width() {
        for (careers, among) in [(0u64, 30u64), (1, 30), (15, 30), (30, 30)] {
            let (c, n) = (careers as f64, among as f64);
            let s = Share::ratio(careers, c, c, among, n, n);
            let w = crate::stats::wilson(careers, among, 0.95);
            assert!((s.lower - w.lower).abs() < 1e-12 && (s.upper - w.upper).abs() < 1e-12, "{s:?} {w:?}");
            assert!(s.upper > s.lower && s.contains(s.estimate), "{s:?}");
        }
        let none = Share::ratio(0, 0.0, 0.0, 0, 0.0, 0.0);
        assert_eq!((none.lower, none.upper), (0.0, 1.0));
    }
}
