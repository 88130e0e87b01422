//! Comparison of Career variants: which one do the data support, and do
//! the headline answers depend on it?
//!
//! A compare file (TOML, `compare/*.toml`) names the targets (a targets
//! file, or its own `[[target]]` list as in a calibration: each data file
//! with its weight, some held out) and two to four variants, each a base
//! scenario, option overrides (the mechanisms of docs/MODEL.md) and its
//! free parameters with ranges (as a calibration's `[fit]`):
//!
//! ```toml
//! name = "variants-2026"
//! targets = "census-and-tail-2026"   # a built-in targets name, or a file relative to this one
//! [run]                               # optional: replaces the targets' [run] (trials per evaluation, ...)
//! trials = 60000
//! [answers]                           # the headline answers' sizes (defaults below)
//! newcomer_trials = 60000
//! [[variant]]
//! name = "soft-niche"
//! scenario = "snapshot"               # default
//! options = { "platform.niche_saturation" = "soft" }
//! [variant.fit]
//! "platform.share_rate" = { low = 0.05, high = 2.0, start = 0.5, scale = "log" }
//! ```
//!
//! Each variant is fitted by [`Calibration`] (the one optimiser, its
//! intervals and identifiability; the targets file's own scenario, `[fit]`
//! and `[hold]` are replaced by the variant's). Under each fitted variant the
//! headline answers are run: a newcomer's chance of macro (the built-in
//! `default` scenario), the "like you" chance of `micro-influencer` (its
//! creators like you, about 10k followers two years in, reaching its goal,
//! macro), when the base scenario (with the variant's options) has
//! `[money]` naming a `money.goal`, a newcomer's chance of earning that goal
//! a year (`default` with the base's `[engagement]` and `[money]`,
//! importance sampling aimed at the goal), and the total Sobol indices of
//! luck, talent and effort for `log10(1 + followers)` (attribution of
//! `default`), each with the variant's options and fitted values set. The
//! follower answers run without money (an option setting `money.*` would
//! otherwise aim their importance sampling at the income goal).
//!
//! # The criterion
//!
//! The deviance a calibration minimises is `-2 log L` of the fitted targets
//! up to a constant that is the same for every variant (the same targets
//! and weights), so Akaike's criterion is
//!
//!   `AIC_v = G_v + 2 k_v`,
//!
//! with `G_v` the fitted targets' deviance at the fitted point on new luck
//! (the calibration's check) and `k_v` its free parameters ([`aic`], the one
//! copy). Differences `Delta_v = AIC_v - min AIC` rank the variants; the
//! Akaike weight `exp(-Delta_v / 2) / sum exp(-Delta / 2)` is a variant's
//! relative support. A variant with `Delta_v > `[`REJECT_DELTA`]` = 10` has
//! "essentially no support" (Burnham & Anderson 2002, *Model Selection and
//! Multimodel Inference*, 2nd ed., Springer, section 2.6). `G` is a Monte
//! Carlo estimate, so a variant is rejected only when `Delta_v - 2 se_v > 10`,
//! `se_v` the standard error of the two deviances' difference, paired on the
//! check's careers that every variant shares ([`Pairing`]); the others are
//! the variants the data cannot reject, and the spread of each headline
//! answer across them is reported as the model uncertainty.

mod paired;

pub use paired::Pairing;

use crate::error::{FieldError, ScenarioError};
use crate::experiment::attribute::AttributeSpec;
use crate::model::career::money::{Engagement, Money};
use crate::runner::Runner;
use crate::scenario::Scenario;
use crate::scenario::sweep::set_path;
use crate::stats::Chances as _;
use crate::study::attribute::Attribution;
use crate::study::calibrate::{
    Calibrated, Calibration, CalibrationPiece, CalibrationRecord, CalibrationRun, TargetEntry, TargetsSpec,
    targets,
};
use crate::study::files::{RecordFileError, read_record_text};
use crate::study::run::PlainRun;
use serde::{Deserialize, Serialize};
use std::path::Path;

/// The compare files built into clout (the files in `compare/`): name, file text.
pub const BUILTIN_COMPARISONS: &[(&str, &str)] =
    &[("variants-2026", include_str!("../../compare/variants-2026.toml"))];

/// The largest compare file read: 64 KiB.
pub const MAX_COMPARE_BYTES: u64 = 64 * 1024;

/// The fewest variants a comparison holds.
pub const MIN_VARIANTS: usize = 2;

/// The most variants a comparison holds.
pub const MAX_VARIANTS: usize = 4;

/// The criterion difference above which a variant is rejected: `Delta AIC >
/// 10` is "essentially no support" (Burnham & Anderson 2002, section 2.6).
pub const REJECT_DELTA: f64 = 10.0;

/// The largest size of a headline run a compare file may ask for.
pub const MAX_ANSWER_TRIALS: u64 = 100_000_000;

/// Akaike's criterion of a fitted variant: `G + 2 k` (module docs).
pub fn aic(deviance: f64, parameters: usize) -> f64 {
    deviance + 2.0 * parameters as f64
}

/// `options` and `fit` of a variant, read in bounded memory.
fn variant_table<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<toml::Table, D::Error> {
    crate::error::bounded::bounded_table(deserializer, "variant")
}

/// A compare file as written.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CompareSpec {
    /// A short name.
    pub name: String,
    /// What is compared, in a sentence.
    #[serde(default)]
    pub description: String,
    /// A targets file (a built-in name, or a path relative to the compare
    /// file) whose targets, weights, held-out targets and `[run]` are used.
    /// Exactly one of `targets` and `[[target]]`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub targets: Option<String>,
    /// Data targets listed here instead (as a calibration's `[[target]]`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub target: Vec<TargetEntry>,
    /// The calibrations' run (careers per evaluation, seed, budget),
    /// replacing the targets file's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub run: Option<CalibrationRun>,
    /// The headline answers' sizes.
    #[serde(default)]
    pub answers: AnswersSpec,
    /// The variants, two to four.
    pub variant: Vec<VariantSpec>,
}

/// The `[answers]` section: how large the headline runs under each fitted
/// variant are. Every field has a default.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct AnswersSpec {
    /// Seed of the headline runs (the same for every variant: common random
    /// numbers). Default 2026.
    pub seed: u64,
    /// Careers of the newcomer's run (`default`, importance sampling of
    /// macro; its pilot's roots a round are at most this, and at least
    /// 1,000). Default 60,000.
    pub newcomer_trials: u64,
    /// Careers simulated for `micro-influencer`'s creators like you.
    /// Default 1,000,000.
    pub like_you_trials: u64,
    /// Rows of the Sobol design (7 careers each). Default 20,000.
    pub sobol_rows: u64,
}

impl Default for AnswersSpec {
    fn default() -> Self {
        AnswersSpec { seed: 2026, newcomer_trials: 60_000, like_you_trials: 1_000_000, sobol_rows: 20_000 }
    }
}

/// One variant as written.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VariantSpec {
    /// Its name in the table.
    pub name: String,
    /// The base scenario of its fit: a built-in name or a path relative to
    /// the compare file. Default `snapshot`.
    #[serde(default = "default_scenario")]
    pub scenario: String,
    /// Dotted path -> value: options set in the base scenario and in the
    /// headline scenarios (`"platform.niche_saturation" = "soft"`).
    #[serde(default, skip_serializing_if = "toml::Table::is_empty", deserialize_with = "variant_table")]
    pub options: toml::Table,
    /// Dotted path -> `{ low, high, start, scale }`: its free parameters.
    #[serde(deserialize_with = "variant_table")]
    pub fit: toml::Table,
}

fn default_scenario() -> String {
    "snapshot".to_string()
}

/// Why a compare file could not be used: the file and its field, in one line.
#[derive(Debug, thiserror::Error)]
pub enum CompareError {
    /// The file could not be read.
    #[error("{path}: cannot read: {message}")]
    Io {
        /// The file.
        path: String,
        /// What went wrong.
        message: String,
    },
    /// A field is wrong.
    #[error("{source_name}: {error}")]
    Invalid {
        /// The file (with line and column where known).
        source_name: String,
        /// The field, its value, what is allowed.
        error: FieldError,
    },
    /// The text is not TOML of the compare schema.
    #[error("{source_name}: {at}{message}")]
    Toml {
        /// The file.
        source_name: String,
        /// `line:column: `, where known.
        at: String,
        /// What the parser said.
        message: String,
    },
    /// No built-in compare file has this name.
    #[error("no built-in comparison named {name:?}; the built-in ones are: {known}")]
    UnknownBuiltin {
        /// The name asked for.
        name: String,
        /// The names that exist.
        known: String,
    },
}

/// How a compare file reaches what it names: base scenarios, data targets
/// and targets files, each by its name in the file.
pub struct Loaders<'a> {
    /// A scenario by name or path.
    pub scenario: &'a dyn Fn(&str) -> Result<Scenario, ScenarioError>,
    /// A data target's text by its `file`.
    pub data: &'a dyn Fn(&str) -> Result<String, String>,
    /// A targets file's calibration by name or path.
    pub targets: &'a dyn Fn(&str) -> Result<Calibration, String>,
}

/// The scenarios and targets files a compare file names: files relative to
/// its folder (a name that is a file there, or ends in `.toml`), else built in.
struct Beside<'p>(&'p Path);

impl Beside<'_> {
    fn scenario(&self, name: &str) -> Result<Scenario, ScenarioError> {
        let file = self.0.join(name);
        if file.exists() || name.ends_with(".toml") { Scenario::load(file) } else { Scenario::builtin(name) }
    }

    fn targets(&self, name: &str) -> Result<Calibration, String> {
        let file = self.0.join(name);
        if file.exists() || name.ends_with(".toml") {
            Calibration::load(file)
        } else {
            Calibration::builtin(name)
        }
        .map_err(|e| e.to_string())
    }
}

/// One variant, validated: its calibration and its headline scenarios
/// (options set, fitted values not yet).
#[derive(Debug, Clone)]
struct Variant {
    calibration: Calibration,
    newcomer: Scenario,
    like_you: Scenario,
    /// The newcomer's scenario with the base scenario's `[engagement]` and
    /// `[money]`, aimed at its `money.goal` or `engagement.goal` (when one
    /// names a goal).
    goal_run: Option<Scenario>,
    /// Why there is no income answer although money is on.
    goal_note: Option<String>,
}

/// A validated comparison, ready to run.
#[derive(Debug, Clone)]
pub struct Comparison {
    spec: CompareSpec,
    variants: Vec<Variant>,
}

/// Sets `path` in `table` to `value`, making the last step (an option off
/// by default is absent from a scenario's table) but no section.
fn set_option(table: &mut toml::Table, path: &str, value: &toml::Value) -> Result<(), String> {
    let (head, last) = match path.rsplit_once('.') {
        Some((head, last)) => (Some(head), last),
        None => (None, path),
    };
    let mut here = table;
    if let Some(head) = head {
        for (i, part) in head.split('.').enumerate() {
            let walked = head.split('.').take(i + 1).collect::<Vec<_>>().join(".");
            let slot = here.entry(part.to_string()).or_insert_with(|| toml::Value::Table(toml::Table::new()));
            here = match slot {
                toml::Value::Table(t) => t,
                _ => {
                    return Err(format!(
                        "`{walked}` holds a value, not a section, so `{path}` does not exist"
                    ));
                }
            };
        }
    }
    here.insert(last.to_string(), value.clone());
    Ok(())
}

/// `scenario` with `options` and then `fitted` (path, value) set, resolved.
fn edited(
    scenario: &Scenario,
    options: &toml::Table,
    fitted: &[(String, f64)],
) -> Result<Scenario, FieldError> {
    let mut table = toml::Table::try_from(scenario)
        .map_err(|e| FieldError::new("scenario", &scenario.name, format!("cannot be edited: {e}")))?;
    crate::scenario::sweep::without_field_checksum(&mut table);
    for (path, value) in options {
        let shown = crate::scenario::sweep::show_value(value);
        set_option(&mut table, path, value)
            .map_err(|m| FieldError::new(format!("options.\"{path}\""), &shown, m))?;
    }
    for (path, value) in fitted {
        set_path(&mut table, path, toml::Value::Float(*value), false)
            .map_err(|m| FieldError::new(format!("fit.\"{path}\""), value, m))?;
    }
    let edited: Scenario = toml::Value::Table(table)
        .try_into()
        .map_err(|e: toml::de::Error| FieldError::new("options", "(values)", e.message().trim()))?;
    edited.resolved()
}

impl Comparison {
    /// Reads a compare file; the scenarios, targets files and data files it
    /// names are paths relative to its folder, or built-in names.
    pub fn load(path: impl AsRef<Path>) -> Result<Comparison, CompareError> {
        use crate::error::{ReadTextError, read_text_capped};
        let path = path.as_ref();
        let name = path.display().to_string();
        let text = read_text_capped(path, MAX_COMPARE_BYTES).map_err(|e| CompareError::Io {
            path: name.clone(),
            message: match e {
                ReadTextError::Io(e) => e.to_string(),
                ReadTextError::TooLarge => format!("is larger than {} KiB", MAX_COMPARE_BYTES / 1024),
                ReadTextError::NotUtf8 { .. } => "is not UTF-8 text".into(),
            },
        })?;
        let folder = path.parent().map(Path::to_path_buf).unwrap_or_default();
        let beside = Beside(&folder);
        let data = |file: &str| -> Result<String, String> {
            let at = folder.join(file);
            if !at.exists()
                && let Some(text) = targets::builtin_data(file)
            {
                return Ok(text.to_string());
            }
            read_text_capped(&at, targets::MAX_DATA_BYTES).map_err(|e| {
                format!("cannot read {}: {}", at.display(), crate::error::one_line(&format!("{e:?}")))
            })
        };
        Comparison::from_toml_str(
            &text,
            &name,
            &Loaders { scenario: &|s| beside.scenario(s), data: &data, targets: &|t| beside.targets(t) },
        )
    }

    /// A compare file (a path, or a name ending in `.toml`) or a built-in
    /// comparison, with its calibrations' careers per evaluation and seed
    /// replaced when given (`clout compare --trials --seed`): the scenarios
    /// and targets it names are read again from the same places, the
    /// targets' data being in the spec already. `Err` is one line.
    pub fn open(name: &str, trials: Option<u64>, seed: Option<u64>) -> Result<Comparison, String> {
        let path = Path::new(name);
        let comparison = if path.exists() || name.ends_with(".toml") {
            Comparison::load(path)
        } else {
            Comparison::builtin(name)
        }
        .map_err(|e| e.to_string())?;
        if trials.is_none() && seed.is_none() {
            return Ok(comparison);
        }
        let mut spec = comparison.spec.clone();
        let mut run = spec.run.unwrap_or(comparison.calibrations()[0].spec().run);
        run.trials = trials.unwrap_or(run.trials);
        run.seed = seed.unwrap_or(run.seed);
        spec.run = Some(run);
        let folder = if path.exists() {
            path.parent().map(Path::to_path_buf).unwrap_or_default()
        } else {
            Default::default()
        };
        let beside = Beside(&folder);
        let data = |f: &str| Err(format!("{f}: not read again"));
        let loaders =
            Loaders { scenario: &|s| beside.scenario(s), data: &data, targets: &|t| beside.targets(t) };
        Comparison::new(spec, &loaders).map_err(|e| format!("command line: {name}: {e}"))
    }

    /// A built-in compare file by name (see [`BUILTIN_COMPARISONS`]); what it
    /// names is built in too.
    pub fn builtin(name: &str) -> Result<Comparison, CompareError> {
        let (_, text) = BUILTIN_COMPARISONS.iter().find(|(n, _)| *n == name).ok_or_else(|| {
            CompareError::UnknownBuiltin {
                name: name.to_string(),
                known: BUILTIN_COMPARISONS.iter().map(|(n, _)| *n).collect::<Vec<_>>().join(", "),
            }
        })?;
        let data = |file: &str| {
            targets::builtin_data(file).map(str::to_string).ok_or_else(|| "is not built in".into())
        };
        let targets = |t: &str| Calibration::builtin(t).map_err(|e| e.to_string());
        let loaders = Loaders { scenario: &Scenario::builtin, data: &data, targets: &targets };
        Comparison::from_toml_str(text, &format!("<built-in comparison {name}>"), &loaders)
    }

    /// Parses and validates compare text (`source_name` labels errors).
    pub fn from_toml_str(
        text: &str,
        source_name: &str,
        load: &Loaders<'_>,
    ) -> Result<Comparison, CompareError> {
        let invalid =
            |error: FieldError| CompareError::Invalid { source_name: source_name.to_string(), error };
        let spec: CompareSpec = toml::from_str(text).map_err(|e| {
            let at = e.span().map(|s| {
                let before = &text[..s.start.min(text.len())];
                let line = before.matches('\n').count() + 1;
                let column = before.len() - before.rfind('\n').map_or(0, |i| i + 1) + 1;
                format!("{line}:{column}: ")
            });
            CompareError::Toml {
                source_name: source_name.to_string(),
                at: at.unwrap_or_default(),
                message: crate::error::one_line(e.message().trim()).into_owned(),
            }
        })?;
        Comparison::new(spec, load).map_err(invalid)
    }

    /// Validates a compare spec, loading what it names. Errors name the
    /// field (`variant[1].options."platform.niche_saturation"`).
    pub fn new(mut spec: CompareSpec, load: &Loaders<'_>) -> Result<Comparison, FieldError> {
        let targets = Comparison::targets_spec(&mut spec, load)?;
        let n = spec.variant.len();
        if !(MIN_VARIANTS..=MAX_VARIANTS).contains(&n) {
            return Err(FieldError::new(
                "variant",
                format!("({n} variants)"),
                format!("a comparison holds {MIN_VARIANTS} to {MAX_VARIANTS} [[variant]]s"),
            ));
        }
        Comparison::check_answers(&spec.answers)?;
        let mut variants = Vec::with_capacity(n);
        for (i, v) in spec.variant.iter().enumerate() {
            let within = format!("variant[{i}]");
            if v.name.trim().is_empty() || v.name.len() > 40 {
                return Err(FieldError::new(
                    format!("{within}.name"),
                    format!("{:?}", v.name),
                    "must be 1 to 40 characters",
                ));
            }
            if spec.variant[..i].iter().any(|w| w.name == v.name) {
                return Err(FieldError::new(
                    format!("{within}.name"),
                    format!("{:?}", v.name),
                    "is the name of an earlier variant: names are unique",
                ));
            }
            variants.push(Comparison::variant(&spec, &targets, v, load).map_err(|e| e.within(&within))?);
        }
        Ok(Comparison { spec, variants })
    }

    /// The targets every variant is fitted to: the targets file's (its
    /// `[run]` replaced by the compare file's), or the listed `[[target]]`s.
    fn targets_spec(spec: &mut CompareSpec, load: &Loaders<'_>) -> Result<TargetsSpec, FieldError> {
        let mut targets = match (&spec.targets, spec.target.is_empty()) {
            (Some(name), true) => (load.targets)(name)
                .map_err(|m| FieldError::new("targets", format!("{name:?}"), m))?
                .spec()
                .clone(),
            (None, false) => {
                targets::read_entries(&mut spec.target, load.data)?;
                TargetsSpec {
                    name: spec.name.clone(),
                    description: String::new(),
                    source: String::new(),
                    scenario: String::new(),
                    n_eff: 1000.0,
                    run: CalibrationRun::default(),
                    shares: toml::Table::new(),
                    fit: toml::Table::new(),
                    hold: toml::Table::new(),
                    check: Vec::new(),
                    target: spec.target.clone(),
                }
            }
            _ => {
                return Err(FieldError::new(
                    "targets",
                    "(both or neither)",
                    "name the targets once: targets = \"a targets file\", or a [[target]] list",
                ));
            }
        };
        if let Some(run) = spec.run {
            targets.run = run;
        }
        targets.hold = toml::Table::new();
        Ok(targets)
    }

    /// Checks `[answers]`.
    fn check_answers(a: &AnswersSpec) -> Result<(), FieldError> {
        for (field, value) in [
            ("answers.newcomer_trials", a.newcomer_trials),
            ("answers.like_you_trials", a.like_you_trials),
            ("answers.sobol_rows", a.sobol_rows),
        ] {
            if !(2..=MAX_ANSWER_TRIALS).contains(&value) {
                return Err(FieldError::new(field, value, format!("must lie in [2, {MAX_ANSWER_TRIALS}]")));
            }
        }
        if a.seed > i64::MAX as u64 {
            return Err(FieldError::new("answers.seed", a.seed, "must be at most 2^63 - 1"));
        }
        Ok(())
    }

    /// One variant: its base scenario with its options, its calibration,
    /// and its headline scenarios with its options.
    fn variant(
        spec: &CompareSpec,
        targets: &TargetsSpec,
        v: &VariantSpec,
        load: &Loaders<'_>,
    ) -> Result<Variant, FieldError> {
        let read = |name: &str| {
            (load.scenario)(name).map_err(|e| {
                FieldError::new("scenario", format!("{name:?}"), crate::error::one_line(&e.to_string()))
            })
        };
        let base = edited(&read(&v.scenario)?, &v.options, &[])?;
        let mut t = targets.clone();
        t.name = format!("{}: {}", spec.name, v.name);
        t.scenario = v.scenario.clone();
        t.fit = v.fit.clone();
        let money = (base.engagement, base.money);
        let calibration = Calibration::new(t, base)?;
        let headline = |name: &str| -> Result<Scenario, FieldError> {
            let s = Scenario::builtin(name).map_err(|e| FieldError::new("scenario", name, e.to_string()))?;
            let s = edited(&s, &v.options, &[])
                .map_err(|e| e.within(&format!("(the headline scenario {name})")))?;
            // Each fitted path must exist in the headline scenarios too.
            let mut table =
                toml::Table::try_from(&s).map_err(|e| FieldError::new("scenario", name, e.to_string()))?;
            for path in calibration.paths() {
                set_path(&mut table, path, toml::Value::Float(0.0), false).map_err(|m| {
                    FieldError::new(
                        format!("fit.\"{path}\""),
                        "(a path)",
                        format!("{m}, in the headline scenario {name}"),
                    )
                })?;
            }
            Ok(s)
        };
        let mut newcomer = headline("default")?;
        let mut like_you = headline("micro-influencer")?;
        like_you.start = None;
        let (goal_run, goal_note) = Comparison::goal_scenario(money, &newcomer)?;
        // The follower answers count followers: money (an option may set
        // it) would turn their importance sampling towards the income goal.
        for s in [&mut newcomer, &mut like_you] {
            (s.engagement, s.money) = (None, None);
        }
        Ok(Variant { calibration, newcomer, like_you, goal_run, goal_note })
    }

    /// The newcomer's goal run: `newcomer` with the base scenario's
    /// `[engagement]` and `[money]`, importance sampling aimed at its
    /// `money.goal` (an income a year) or its `engagement.goal` (an engaged
    /// audience; the two are never both set); `(None, None)` when neither
    /// section is on, `(None, note)` when the one on names no goal.
    fn goal_scenario(
        (engagement, money): (Option<Engagement>, Option<Money>),
        newcomer: &Scenario,
    ) -> Result<(Option<Scenario>, Option<String>), FieldError> {
        use crate::scenario::Target;
        let target = match (money.and_then(|m| m.goal), engagement.and_then(|e| e.goal)) {
            (Some(income), _) => Target::Income(income),
            (None, Some(audience)) => Target::Engaged(audience),
            (None, None) => {
                let note = match (money, engagement) {
                    (Some(_), _) => {
                        "income: the base scenario's [money] names no goal (money.goal), so no income answer"
                    }
                    (None, Some(_)) => {
                        "engaged audience: the base scenario's [engagement] names no goal (engagement.goal), \
                         so no engaged-audience answer"
                    }
                    (None, None) => return Ok((None, None)),
                };
                return Ok((None, Some(note.into())));
            }
        };
        let mut run = newcomer.clone();
        (run.engagement, run.money) = (engagement, money);
        run.aim(target)?;
        Ok((Some(run.resolved().map_err(|e| e.within("(the newcomer's goal run)"))?), None))
    }

    /// The compare file as read (data targets' data filled in).
    pub fn spec(&self) -> &CompareSpec {
        &self.spec
    }

    /// Each variant's calibration, in the file's order.
    pub fn calibrations(&self) -> Vec<&Calibration> {
        self.variants.iter().map(|v| &v.calibration).collect()
    }

    /// Careers the comparison may simulate at most (for the size rule,
    /// [`crate::study::executor::check_size`]): every calibration's, and the
    /// headline runs' (the newcomer's importance sampler's pilot counted as
    /// its trials again, and so the income run's when money is on; a Sobol
    /// row is 7 careers).
    pub fn careers(&self) -> u64 {
        let a = &self.spec.answers;
        let answers = a
            .newcomer_trials
            .saturating_mul(2)
            .saturating_add(a.like_you_trials)
            .saturating_add(a.sobol_rows.saturating_mul(7));
        let income = |v: &Variant| if v.goal_run.is_some() { a.newcomer_trials.saturating_mul(2) } else { 0 };
        self.variants
            .iter()
            .map(|v| v.calibration.careers().saturating_add(answers).saturating_add(income(v)))
            .fold(0, u64::saturating_add)
    }
}

/// A headline answer with its 95% interval.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Answer {
    /// The estimate.
    pub value: f64,
    /// Lower end of its 95% interval.
    pub lower: f64,
    /// Upper end; `None` when the method bounds nothing above (importance
    /// sampling with no hit).
    pub upper: Option<f64>,
}

impl Answer {
    fn of_chance(c: &crate::stats::Chance) -> Answer {
        Answer { value: c.estimate, lower: c.lower, upper: c.upper }
    }

    fn of_estimate(e: &crate::stats::Estimate) -> Answer {
        Answer { value: e.value, lower: e.lower, upper: Some(e.upper) }
    }

    /// Finite, `lower <= value <= upper`, and for a chance or an index within `[0, 1]`
    /// (a Sobol estimate and its interval may stray a little outside; only
    /// finiteness and order are checked for those when `unit` is false).
    fn check(&self, unit: bool) -> bool {
        let upper = self.upper.unwrap_or(f64::INFINITY);
        let ordered = self.lower <= self.value
            && self.value <= upper
            && self.value.is_finite()
            && self.lower.is_finite();
        ordered && (!unit || (0.0..=1.0).contains(&self.value) && self.lower >= 0.0 && upper.min(1.0) <= 1.0)
    }
}

/// The headline answers under one fitted variant.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Answers {
    /// A newcomer's chance of macro (`default`, importance sampling).
    pub newcomer_macro: Option<Answer>,
    /// The "like you" chance of macro: `micro-influencer`'s creators like
    /// you (about 10k followers two years in) reaching its goal, macro, in
    /// three more years.
    pub like_you_macro: Option<Answer>,
    /// A newcomer's chance of earning at least the income goal a year
    /// (`default` with the base scenario's `[engagement]` and `[money]`,
    /// importance sampling aimed at its `money.goal`); absent when the base
    /// scenario has no `[money]`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub newcomer_income: Option<Answer>,
    /// The income goal a year of `newcomer_income` (the base scenario's
    /// `money.goal`, in its currency).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub income_goal: Option<f64>,
    /// A newcomer's chance of an engaged audience of at least the engaged
    /// goal (`default` with the base scenario's `[engagement]`, importance
    /// sampling aimed at its `engagement.goal`); absent when the base
    /// scenario names no engaged goal.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub newcomer_engaged: Option<Answer>,
    /// The engaged goal of `newcomer_engaged` (engagements a post, the base
    /// scenario's `engagement.goal`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub engaged_goal: Option<f64>,
    /// Luck's total Sobol index of `log10(1 + followers)` (`default`).
    pub luck_total: Option<Answer>,
    /// Talent's total Sobol index.
    pub talent_total: Option<Answer>,
    /// Effort's total Sobol index.
    pub effort_total: Option<Answer>,
    /// Why an answer is missing, one reason a line.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

impl Answers {
    /// The first [`Answers::CHANCES`] answers of [`Answers::named`] are
    /// chances; the rest Sobol indices.
    pub const CHANCES: usize = 4;

    /// The position of the newcomer's chance of the income goal in [`Answers::named`].
    pub const INCOME: usize = 2;

    /// The position of the newcomer's chance of the engaged goal in [`Answers::named`].
    pub const ENGAGED: usize = 3;

    /// The answers with their names, in the table's order.
    pub fn named(&self) -> [(&'static str, Option<&Answer>); 7] {
        [
            ("newcomer's chance of macro", self.newcomer_macro.as_ref()),
            ("like-you chance of macro", self.like_you_macro.as_ref()),
            ("newcomer earning income goal", self.newcomer_income.as_ref()),
            ("newcomer with engaged goal", self.newcomer_engaged.as_ref()),
            ("luck's share (total Sobol)", self.luck_total.as_ref()),
            ("talent's total Sobol", self.talent_total.as_ref()),
            ("effort's total Sobol", self.effort_total.as_ref()),
        ]
    }
}

/// One fitted variant: its calibration's record and its headline answers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VariantResult {
    /// The variant's name.
    pub name: String,
    /// Its calibration (fitted values, intervals, each target's fit).
    pub calibration: CalibrationRecord,
    /// The headline answers under it.
    pub answers: Answers,
}

/// The largest absolute correlation of two fitted parameters that is not
/// called a ridge: above it the targets hardly tell the two apart.
pub const RIDGE_CORRELATION: f64 = 0.95;

impl VariantResult {
    /// Free parameters `k`.
    pub fn parameters(&self) -> usize {
        self.calibration.report.parameters.len()
    }

    /// The fitted targets' deviance `G` on new luck (the calibration's check).
    pub fn deviance(&self) -> f64 {
        self.calibration.report.deviance
    }

    /// [`aic`] of this variant.
    pub fn aic(&self) -> f64 {
        aic(self.deviance(), self.parameters())
    }

    /// Held-out targets and checks that agree with the fit, and how many there are.
    pub fn held_out(&self) -> (usize, usize) {
        let r = &self.calibration.report;
        let targets = r.targets.iter().filter(|t| t.held_out);
        let passed =
            targets.clone().filter(|t| t.agrees).count() + r.checks.iter().filter(|c| c.agrees).count();
        (passed, targets.count() + r.checks.len())
    }

    /// The condition number of the fitted parameters' correlation matrix
    /// (its largest eigenvalue over its smallest; 1 for uncorrelated
    /// parameters, infinite for a singular fit): `None` when the fit was
    /// singular (no correlations).
    pub fn condition_number(&self) -> Option<f64> {
        let c = self.calibration.report.correlations.as_ref()?;
        let n = c.len();
        let m = nalgebra::DMatrix::from_fn(n, n, |i, j| c[i][j]);
        let eigen = m.symmetric_eigenvalues();
        let (lo, hi) = eigen.iter().fold((f64::INFINITY, 0.0f64), |(lo, hi), &e| (lo.min(e), hi.max(e)));
        Some(if lo > 0.0 { hi / lo } else { f64::INFINITY })
    }

    /// The ridges: pairs of parameters correlated beyond
    /// [`RIDGE_CORRELATION`], or the whole fit when it was singular.
    pub fn ridges(&self) -> Vec<String> {
        let r = &self.calibration.report;
        let Some(c) = &r.correlations else {
            return vec!["singular: the targets cannot tell the parameters apart".into()];
        };
        let name = |k: usize| r.parameters[k].path.rsplit('.').next().unwrap_or_default().to_string();
        let mut out = Vec::new();
        for (i, row) in c.iter().enumerate() {
            for (j, &rho) in row.iter().enumerate().skip(i + 1) {
                if rho.abs() > RIDGE_CORRELATION {
                    out.push(format!("{} ~ {} (r = {rho:.2})", name(i), name(j)));
                }
            }
        }
        out
    }
}

/// The variants ranked by the criterion.
#[derive(Debug, Clone, PartialEq)]
pub struct Ranking {
    /// Each variant's AIC, in the file's order.
    pub aic: Vec<f64>,
    /// `AIC - min AIC`.
    pub delta: Vec<f64>,
    /// Akaike weights, `exp(-delta / 2)` normalised.
    pub weight: Vec<f64>,
    /// The Monte Carlo standard error of each `delta`: of the difference of
    /// its deviance and the best's, paired on the check's careers by the
    /// jackknife ([`Pairing::difference_se`]); without a pairing (a record
    /// from before it) the two calibrations' delta-method standard errors in
    /// quadrature, taken as independent.
    /// 0 for the best.
    pub delta_se: Vec<f64>,
    /// Whether `delta_se` is paired.
    pub paired: bool,
    /// `delta - 2 delta_se > `[`REJECT_DELTA`]: worse than the best beyond
    /// the criterion's threshold even at two standard errors of Monte Carlo
    /// noise.
    pub rejected: Vec<bool>,
    /// The variant with the least AIC (the first of equals).
    pub best: usize,
}

/// A comparison's record (JSON schema [`CompareRecord::SCHEMA`]); a
/// comparison stopped part way holds the variants finished, and the one in
/// progress as far as it went, marked `interrupted`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CompareRecord {
    /// [`CompareRecord::SCHEMA`].
    pub schema: String,
    /// The clout version that ran it.
    pub clout_version: String,
    /// The compare file as read (data targets' data filled in).
    pub comparison: CompareSpec,
    /// The variants finished, in the file's order.
    pub variants: Vec<VariantResult>,
    /// The variant in progress, fitted but without its answers yet.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fitted: Option<CalibrationRecord>,
    /// The variant in progress, its calibration stopped part way.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub in_progress: Option<CalibrationPiece>,
    /// The variants' deviances paired on the check's careers, once every
    /// variant is done (absent from records made before pairing existed:
    /// `--resume` adds it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub paired: Option<Pairing>,
    /// Stopped (SIGINT, SIGTERM) before every variant was done and paired.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub interrupted: bool,
}

impl CompareRecord {
    /// The schema of comparison records.
    pub const SCHEMA: &'static str = "clout.compare/2";

    /// The variants ranked by [`aic`]; `None` with no variant done.
    pub fn ranking(&self) -> Option<Ranking> {
        let aic: Vec<f64> = self.variants.iter().map(VariantResult::aic).collect();
        let (best, min) = aic
            .iter()
            .enumerate()
            .fold((None, f64::INFINITY), |(b, m), (i, &a)| if a < m { (Some(i), a) } else { (b, m) });
        let best = best?;
        let delta: Vec<f64> = aic.iter().map(|a| a - min).collect();
        let raw: Vec<f64> = delta.iter().map(|d| (-d / 2.0).exp()).collect();
        let total: f64 = raw.iter().sum();
        let weight = raw.iter().map(|w| w / total).collect();
        let se = |i: usize| self.variants[i].calibration.report.deviance_se;
        let paired = self.paired.as_ref().filter(|p| p.se.len() == aic.len());
        let delta_se: Vec<f64> = (0..aic.len())
            .map(|i| match paired {
                _ if i == best => 0.0,
                Some(p) => p.difference_se(best, i),
                None => se(best).hypot(se(i)),
            })
            .collect();
        let rejected = delta.iter().zip(&delta_se).map(|(&d, &e)| d - 2.0 * e > REJECT_DELTA).collect();
        Some(Ranking { aic, delta, delta_se, paired: paired.is_some(), weight, rejected, best })
    }

    /// The range of one answer's estimates, and of its intervals' ends,
    /// over the variants not rejected: `([min, max] of estimates, [least
    /// lower end, greatest upper end])`. `None` when no such variant has it.
    pub fn spread(&self, answer: usize) -> Option<([f64; 2], [f64; 2])> {
        let ranking = self.ranking()?;
        let kept = self.variants.iter().zip(&ranking.rejected).filter(|(_, r)| !**r);
        let answers: Vec<Answer> = kept.filter_map(|(v, _)| v.answers.named()[answer].1.copied()).collect();
        if answers.is_empty() {
            return None;
        }
        let fold = |f: fn(&Answer) -> f64, max: bool| {
            answers.iter().map(f).fold(if max { f64::NEG_INFINITY } else { f64::INFINITY }, |a, b| {
                if max { a.max(b) } else { a.min(b) }
            })
        };
        let upper =
            answers.iter().map(|a| a.upper.unwrap_or(f64::INFINITY)).fold(f64::NEG_INFINITY, f64::max);
        Some(([fold(|a| a.value, false), fold(|a| a.value, true)], [fold(|a| a.lower, false), upper]))
    }
}

/// What a comparison is doing, for a progress display: the variant (its
/// index and name) and the step (`fit: evaluation 12, deviance 40.1`,
/// `answers`).
pub type Observe<'a> = dyn Fn(usize, &str, &str) + Sync + 'a;

impl Comparison {
    /// Runs the comparison: each variant fitted in turn (on the targets'
    /// `run.seed`, checked on `seed + 1`), then its headline answers (on
    /// `answers.seed`), on the runner's threads. When the runner's stop flag
    /// rises, the record holds the variants finished and the one in
    /// progress as far as it went, marked `interrupted`.
    pub fn run(&self, runner: &Runner, observe: &Observe<'_>) -> Result<CompareRecord, FieldError> {
        let record = CompareRecord {
            schema: CompareRecord::SCHEMA.to_string(),
            clout_version: env!("CARGO_PKG_VERSION").to_string(),
            comparison: self.spec.clone(),
            variants: Vec::new(),
            fitted: None,
            in_progress: None,
            paired: None,
            interrupted: false,
        };
        self.run_from(runner, record, "", observe)
    }

    /// Resumes the comparison stopped in `done` (read from `name`): checked
    /// first ([`Comparison::check_done`]), its finished variants are kept,
    /// the one in progress resumed from its calibration's piece (or its
    /// fit), and the rest run. Finished, the record is the uninterrupted
    /// run's, byte for byte.
    pub fn resume(
        &self,
        runner: &Runner,
        done: &CompareRecord,
        name: &str,
        observe: &Observe<'_>,
    ) -> Result<CompareRecord, ScenarioError> {
        self.check_done(done, name)?;
        let invalid =
            |error| ScenarioError::Invalid { source_name: format!("comparison {:?}", self.spec.name), error };
        self.run_from(runner, done.clone(), name, observe).map_err(invalid)
    }

    /// Checks that `done` (read from `name`) is a record of this comparison
    /// stopped part way: the same compare file and clout version, and a
    /// sound record ([`CompareRecord::check`]).
    pub fn check_done(&self, done: &CompareRecord, name: &str) -> Result<(), ScenarioError> {
        let refuse = |field: &str, value: &str, allowed: &str| ScenarioError::Invalid {
            source_name: name.to_string(),
            error: FieldError::new(field, value, allowed),
        };
        done.check(name)?;
        if done.clout_version != env!("CARGO_PKG_VERSION") {
            return Err(refuse("clout_version", &done.clout_version, "must be this clout's to resume"));
        }
        if done.comparison != self.spec {
            return Err(refuse(
                "comparison",
                &format!("{:?}", done.comparison.name),
                "is not this compare file as read (resume with the file and flags that made it)",
            ));
        }
        if !done.interrupted && done.paired.is_some() {
            return Err(refuse(
                "interrupted",
                "false",
                "a finished comparison has nothing to resume (`clout show` shows it)",
            ));
        }
        Ok(())
    }

    /// Runs the variants `record` lacks, in order.
    fn run_from(
        &self,
        runner: &Runner,
        mut record: CompareRecord,
        name: &str,
        observe: &Observe<'_>,
    ) -> Result<CompareRecord, FieldError> {
        record.interrupted = false;
        for (i, v) in self.variants.iter().enumerate().skip(record.variants.len()) {
            let label = &self.spec.variant[i].name;
            let fit_observe =
                |n: usize, d: f64| observe(i, label, &format!("fit: evaluation {n}, deviance {d:.1}"));
            let calibrated = match (record.fitted.take(), record.in_progress.take()) {
                (Some(fitted), _) => Calibrated::Finished(Box::new(fitted)),
                (None, Some(piece)) => {
                    v.calibration.resume_observed(runner, &piece, name, &fit_observe).map_err(|e| {
                        FieldError::new(
                            format!("variant[{i}]"),
                            label,
                            crate::error::one_line(&e.to_string()),
                        )
                    })?
                }
                (None, None) => v
                    .calibration
                    .run_observed(runner, &fit_observe)
                    .map_err(|e| e.within(&format!("variant[{i}]")))?,
            };
            let calibration = match calibrated {
                Calibrated::Finished(r) => *r,
                Calibrated::Interrupted(piece) => {
                    record.in_progress = Some(*piece);
                    record.interrupted = true;
                    return Ok(record);
                }
            };
            observe(i, label, "answers under the fitted variant");
            match self
                .answers(v, &calibration, runner)
                .map_err(|e| e.within(&format!("variant[{i}] answers")))?
            {
                Some(answers) => {
                    record.variants.push(VariantResult { name: label.clone(), calibration, answers })
                }
                None => {
                    record.fitted = Some(calibration);
                    record.interrupted = true;
                    return Ok(record);
                }
            }
        }
        if record.paired.is_none() {
            let last = self.variants.len() - 1;
            observe(last, &self.spec.variant[last].name, "pairing the variants' checks");
            let fitted: Vec<_> = self
                .variants
                .iter()
                .zip(&record.variants)
                .map(|(v, r)| (&v.calibration, &r.calibration))
                .collect();
            match paired::pair(&fitted, runner)? {
                Some(p) => record.paired = Some(p),
                None => record.interrupted = true,
            }
        }
        Ok(record)
    }

    /// The headline answers under a fitted variant; `None` when the stop
    /// flag cut a run short (the answers are then run again on resume).
    fn answers(
        &self,
        v: &Variant,
        calibration: &CalibrationRecord,
        runner: &Runner,
    ) -> Result<Option<Answers>, FieldError> {
        use crate::study::executor::{Shard, run};
        let a = &self.spec.answers;
        let runner = runner.reseeded_stoppable(a.seed);
        let fitted: Vec<(String, f64)> =
            calibration.report.parameters.iter().map(|p| (p.path.clone(), p.value)).collect();
        // `run.seed` is what a field is solved from (the careers' luck is the
        // runner's, `answers.seed`): the fit's, so that a variant with
        // [competition] answers in the field it was fitted in.
        let fit_seed = v.calibration.base().run.seed;
        let sized = |s: &Scenario, trials: u64| -> Result<Scenario, FieldError> {
            let mut s = s.clone();
            (s.run.trials, s.run.seed) = (trials, fit_seed);
            edited(&s, &toml::Table::new(), &fitted)
        };
        let newcomer_sized = |s: &Scenario| -> Result<Scenario, FieldError> {
            let mut s = sized(s, a.newcomer_trials)?;
            // A pilot no larger than the run (at least the 1,000 roots a
            // pilot needs): the default sizes keep `default`'s 10,000.
            if let Some(rare) = &mut s.rare {
                rare.pilot_roots = rare.pilot_roots.min(a.newcomer_trials.max(1_000));
            }
            Ok(s)
        };
        let mut notes = Vec::new();
        let newcomer = run(&PlainRun::new(&newcomer_sized(&v.newcomer)?)?, &runner, Shard::WHOLE)?;
        let like_you = run(&PlainRun::new(&sized(&v.like_you, a.like_you_trials)?)?, &runner, Shard::WHOLE)?;
        if newcomer.interrupted || like_you.interrupted {
            return Ok(None);
        }
        let like_you_macro = like_you.goal_chance().map(Answer::of_chance);
        if like_you_macro.is_none() {
            notes.push(format!("like-you: no creator of {} matched the condition", a.like_you_trials));
        }
        let mut attributed = sized(&v.newcomer, a.newcomer_trials)?;
        attributed.attribute = Some(AttributeSpec {
            sobol_rows: a.sobol_rows,
            replay_creators: 2,
            counterfactual_creators: 2,
            ..AttributeSpec::default()
        });
        let (mut luck, mut talent, mut effort) = (None, None, None);
        match Attribution::new(&attributed) {
            Err(e) => notes.push(format!("Sobol indices: none: {e}")),
            Ok(attribution) => {
                let record = run(&attribution, &runner, Shard::WHOLE)?;
                if record.interrupted {
                    return Ok(None);
                }
                let output = record.report.as_ref().and_then(|r| r.sobol.output("log10(1+followers)"));
                let index =
                    |name: &str| output.and_then(|o| o.input(name)).map(|i| Answer::of_estimate(&i.total));
                (luck, talent, effort) = (index("luck"), index("talent"), index("effort"));
                if luck.is_none() {
                    notes.push("Sobol indices: the output log10(1+followers) has none (no variance)".into());
                }
            }
        }
        let newcomer_macro = newcomer.chance("macro").map(Answer::of_chance);
        notes.extend(v.goal_note.clone());
        let (mut newcomer_income, mut income_goal, mut newcomer_engaged, mut engaged_goal) =
            (None, None, None, None);
        if let Some(s) = &v.goal_run {
            let record = run(&PlainRun::new(&newcomer_sized(s)?)?, &runner, Shard::WHOLE)?;
            if record.interrupted {
                return Ok(None);
            }
            let rare = record.rare();
            if let Some(goal) = s.money.and_then(|m| m.goal) {
                let chance = rare.and_then(|r| r.income.iter().find(|l| l.chance.threshold == goal));
                (newcomer_income, income_goal) = (chance.map(|l| Answer::of_chance(&l.chance)), Some(goal));
            } else if let Some(goal) = s.engagement.and_then(|e| e.goal) {
                let chance = rare.and_then(|r| r.audience_levels.iter().find(|l| l.chance.threshold == goal));
                (newcomer_engaged, engaged_goal) = (chance.map(|l| Answer::of_chance(&l.chance)), Some(goal));
            }
        }
        Ok(Some(Answers {
            newcomer_macro,
            like_you_macro,
            newcomer_income,
            income_goal,
            newcomer_engaged,
            engaged_goal,
            luck_total: luck,
            talent_total: talent,
            effort_total: effort,
            notes,
        }))
    }
}

impl CompareRecord {
    /// The record's invariants, one line naming `name` and the field: its
    /// schema; one to [`MAX_VARIANTS`] variants named as the compare file
    /// names them, in its order, each fitted with its `[fit]`; each
    /// calibration sound ([`Calibrated::check`], against the calibration its
    /// own targets make); answers finite and inside their intervals;
    /// `interrupted` exactly when variants are missing, and only then a
    /// variant in progress.
    pub fn check(&self, name: &str) -> Result<(), ScenarioError> {
        let bad = |field: String, value: String, allowed: &str| ScenarioError::Invalid {
            source_name: name.to_string(),
            error: FieldError::new(field, value, allowed),
        };
        if self.schema != Self::SCHEMA {
            return Err(bad(
                "schema".into(),
                format!("{:?}", self.schema),
                &format!("must be {:?}", Self::SCHEMA),
            ));
        }
        let specs = &self.comparison.variant;
        if !(MIN_VARIANTS..=MAX_VARIANTS).contains(&specs.len()) {
            return Err(bad(
                "comparison.variant".into(),
                format!("({} variants)", specs.len()),
                "a comparison holds 2 to 4 variants",
            ));
        }
        if self.variants.len() > specs.len() {
            return Err(bad(
                "variants".into(),
                format!("({} results)", self.variants.len()),
                "must hold at most the compare file's variants",
            ));
        }
        let done = self.variants.len() == specs.len();
        if (!done && !self.interrupted) || (self.interrupted && done && self.paired.is_some()) {
            return Err(bad(
                "interrupted".into(),
                self.interrupted.to_string(),
                "must be true exactly when variants (or their pairing) are missing",
            ));
        }
        if let Some(p) = &self.paired {
            if !done {
                return Err(bad(
                    "paired".into(),
                    "(present)".into(),
                    "only a comparison with every variant done pairs them",
                ));
            }
            let calibrations: Vec<&CalibrationRecord> =
                self.variants.iter().map(|v| &v.calibration).collect();
            p.check(&calibrations)
                .map_err(|e| ScenarioError::Invalid { source_name: name.to_string(), error: e })?;
        }
        if !self.interrupted && (self.fitted.is_some() || self.in_progress.is_some()) {
            return Err(bad(
                "in_progress".into(),
                "(present)".into(),
                "only a comparison stopped part way has a variant in progress",
            ));
        }
        for (i, (v, spec)) in self.variants.iter().zip(specs).enumerate() {
            self.check_variant(i, v, spec)
                .map_err(|e| ScenarioError::Invalid { source_name: name.to_string(), error: e })?;
            Calibrated::Finished(Box::new(v.calibration.clone()))
                .check(&format!("{name}: variants[{i}].calibration"))?;
        }
        if let Some(f) = &self.fitted {
            Calibrated::Finished(Box::new(f.clone())).check(&format!("{name}: fitted"))?;
        }
        if let Some(p) = &self.in_progress {
            Calibrated::Interrupted(Box::new(p.clone())).check(&format!("{name}: in_progress"))?;
        }
        Ok(())
    }

    /// One variant's result against its spec.
    fn check_variant(&self, i: usize, v: &VariantResult, spec: &VariantSpec) -> Result<(), FieldError> {
        let at = format!("variants[{i}]");
        if v.name != spec.name {
            return Err(FieldError::new(
                format!("{at}.name"),
                format!("{:?}", v.name),
                format!("must be the compare file's variant {:?}", spec.name),
            ));
        }
        if v.calibration.targets.fit != spec.fit {
            return Err(FieldError::new(
                format!("{at}.calibration.targets.fit"),
                "(parameters)",
                "must be the variant's [fit]",
            ));
        }
        // Deviances and correlations: checked with the calibration
        // (`Calibration::check_record`).
        for (k, (what, answer)) in v.answers.named().iter().enumerate() {
            if let Some(a) = answer
                && !a.check(k < Answers::CHANCES)
            {
                return Err(FieldError::new(
                    format!("{at}.answers"),
                    format!("{what} {}", a.value),
                    "must be finite, inside its interval (a chance within [0, 1])",
                ));
            }
        }
        Ok(())
    }

    /// A record parsed strictly from its text and checked; `name` labels errors.
    pub fn from_text(text: &str, name: &str) -> Result<CompareRecord, RecordFileError> {
        let record: CompareRecord = serde_json::from_str(text).map_err(|e| RecordFileError::NotARecord {
            name: name.to_string(),
            expected: Self::SCHEMA.into(),
            reason: e.to_string(),
        })?;
        record.check(name)?;
        Ok(record)
    }

    /// A record file, read (bounded) and checked.
    pub fn read(path: &Path) -> Result<CompareRecord, RecordFileError> {
        Self::from_text(&read_record_text(path)?, &path.display().to_string())
    }
}
