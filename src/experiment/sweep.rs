//! Sweeps: a scenario run at many parameter points, each compared with a
//! baseline point on the same luck.
//!
//! A sweep is data: a scenario's `[sweep]` section names fields by their
//! dotted paths (`population.effort`, `platform.conversion`,
//! `population.talent.sd`, ...).
//!
//! * `design = "grid"` (the default), `[sweep.grid]`: a list scans, a scalar
//!   holds (as in Agents.jl's `paramscan`); the points are the full grid of
//!   the lists, the first path varying slowest.
//! * `design = "sobol"`, `points = N`, `[sweep.ranges]` with `path = [low, high]`:
//!   `N` points of an Owen-scrambled Sobol sequence (Burley 2020, via the
//!   `sobol_burley` crate, seeded by the run's seed) spread over the box of
//!   ranges, for spaces too large for a grid. A field holding a whole number
//!   gets the rounded value.
//! * `baseline` (default 0): the index of the point every other is compared with.
//!
//! **Paired comparisons.** One trial of a sweep runs trial `i` of every point
//! on the same keyed streams `(seed, i, ...)`: every point sees the same
//! creators' luck, and trial `i` of point `p` is exactly trial `i` of point
//! `p`'s scenario run alone. The difference in the odds of a tier between a
//! point and the baseline is estimated from the paired trials. With
//! `a_i`, `m_i` the indicators "trial `i` reached the tier" and "trial `i`
//! counts" (always 1 for a plain run; "matched" for creators like you), a
//! point's odds are `p = sum a / sum m`, and the difference `d = p_P - p_B`
//! has the delta-method standard error `sd(z) / sqrt(n)` over trials of
//!
//!   `z_i = (a_i^P - p_P m_i^P) / mbar_P - (a_i^B - p_B m_i^B) / mbar_B`,
//!
//! with a 95% normal interval `d -/+ 1.96 SE`. For a plain run this is the
//! usual paired (McNemar-type) difference of proportions, whose variance is
//! driven by the discordant trials (reached at one point but not the other);
//! their counts are reported so that a reader can tell when too few make the
//! normal interval rough (fewer than about 10). The unpaired interval, from
//! the two points' own standard errors as if run on independent luck, is
//! reported beside it to show what pairing buys. A point whose only change
//! is one the model ignores has identical trials: the difference is exactly
//! 0 with standard error 0.

use crate::error::FieldError;
use crate::experiment::conditional::{
    CreatorsLikeYou, GivenState, LikeYouOutcome, LikeYouReport, LikeYouSummary,
};
use crate::model::career::{Career, CareerModel, CareerReport, CareerSummary};
use crate::model::{Model, Summary};
use crate::random::TrialStreams;
use crate::runner::Runner;
use crate::scenario::{Scenario, ScenarioModel};
use crate::stats::normal_quantile_two_sided;
use crate::tier::Tier;
use serde::{Deserialize, Serialize};

/// The most careers (points times trials) a sweep runs unless told it may
/// run more (`Sweep::allow_large`, `clout sweep --allow-large`): 1e9, about
/// three hours of five-year careers on two cores.
pub const MAX_SWEEP_CAREERS: u64 = 1_000_000_000;

/// The most points a sweep may have.
pub const MAX_POINTS: usize = 10_000;

/// How a sweep's points are laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Design {
    /// The full grid of `[sweep.grid]`'s lists.
    #[default]
    Grid,
    /// `points` points of a scrambled Sobol sequence over `[sweep.ranges]`.
    Sobol,
}

/// The `[sweep]` section of a scenario.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SweepSpec {
    /// The layout of the points.
    #[serde(default)]
    pub design: Design,
    /// Grid: `path = [values]` scans, `path = value` holds; in document order.
    #[serde(default, skip_serializing_if = "toml::Table::is_empty")]
    pub grid: toml::Table,
    /// Sobol: `path = [low, high]`.
    #[serde(default, skip_serializing_if = "toml::Table::is_empty")]
    pub ranges: toml::Table,
    /// Sobol: how many points.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub points: Option<usize>,
    /// The index of the baseline point (default 0, the first).
    #[serde(default)]
    pub baseline: usize,
}

/// One point of a sweep: its parameter values and the scenario they make.
#[derive(Debug, Clone)]
pub struct SweepPoint {
    /// The value of each swept path, in the order of [`Sweep::paths`].
    pub values: Vec<toml::Value>,
    /// The base scenario with these values set, resolved (and without its `[sweep]`).
    pub scenario: Scenario,
}

/// The model behind one point.
#[derive(Debug, Clone)]
enum PointModel {
    Plain(Box<CareerModel>),
    Given(Box<GivenState>),
    LikeYou(Box<CreatorsLikeYou>),
}

/// One point's outcome of one trial.
#[derive(Debug, Clone)]
pub enum PointOutcome {
    /// A career (plain run, or continued from a given state).
    Career(Career),
    /// A creator followed for "creators like you".
    LikeYou(LikeYouOutcome),
}

impl PointOutcome {
    /// Whether the trial counts for the odds, and which tiers it reached.
    fn marks(&self) -> (bool, [bool; 5]) {
        let reached = |c: &Career| c.reached_day.map(|d| d.is_some());
        match self {
            PointOutcome::Career(c) => (true, reached(c)),
            PointOutcome::LikeYou(o) => match &o.matched {
                Some((_, c)) => (true, reached(c)),
                None => (false, [false; 5]),
            },
        }
    }
}

/// A validated sweep, ready to run.
#[derive(Debug, Clone)]
pub struct Sweep {
    base: Scenario,
    paths: Vec<String>,
    points: Vec<SweepPoint>,
    baseline: usize,
    models: Vec<PointModel>,
}

/// Sets `path` (dotted) in `table` to `value`. Every step must exist, except
/// that a whole value may replace a table (a number for a trait distribution).
pub(crate) fn set_path(
    table: &mut toml::Table,
    path: &str,
    value: toml::Value,
    round: bool,
) -> Result<(), String> {
    let mut parts = path.split('.').peekable();
    let mut here = table;
    let mut walked = String::new();
    while let Some(part) = parts.next() {
        if !walked.is_empty() {
            walked.push('.');
        }
        walked.push_str(part);
        if !here.contains_key(part) {
            let known: Vec<&str> = here.keys().map(String::as_str).collect();
            return Err(format!("no field `{walked}` in the scenario (there: {})", known.join(", ")));
        }
        let slot = here.get_mut(part).expect("checked above");
        if parts.peek().is_none() {
            // Keep whole numbers whole where the field holds one (rounding a
            // Sobol point's value; a grid's value must already be whole).
            *slot = match (&*slot, value) {
                (toml::Value::Integer(_), toml::Value::Float(f))
                    if f.is_finite() && (round || f.fract() == 0.0) && f.abs() < 9e15 =>
                {
                    toml::Value::Integer(f.round() as i64)
                }
                (_, value) => value,
            };
            return Ok(());
        }
        here = match slot {
            toml::Value::Table(t) => t,
            _ => return Err(format!("`{walked}` holds a value, not a section, so `{path}` does not exist")),
        };
    }
    Err("an empty path".to_string())
}

/// A short form of a value for tables and error messages.
pub fn show_value(value: &toml::Value) -> String {
    match value {
        toml::Value::String(s) => format!("{s:?}"),
        other => other.to_string(),
    }
}

impl Sweep {
    /// Builds the sweep of a resolved scenario with a `[sweep]` section:
    /// expands and validates every point. Errors name `sweep.FIELD` or the
    /// point and path that failed, e.g.
    /// `sweep point 3 (population.effort = -1): population.effort = -1: must lie in [0.1, 28]`.
    pub fn new(scenario: &Scenario) -> Result<Sweep, FieldError> {
        let spec = scenario
            .sweep
            .clone()
            .ok_or_else(|| FieldError::new("sweep", "(missing)", "a sweep needs a [sweep] section"))?;
        let mut base = scenario.clone();
        base.sweep = None;
        let base_table = toml::Table::try_from(&base)
            .map_err(|e| FieldError::new("sweep", "(the base scenario)", format!("cannot be edited: {e}")))?;
        let (paths, grid_values) = match spec.design {
            Design::Grid => grid(&spec)?,
            Design::Sobol => sobol(&spec, scenario.run.seed)?,
        };
        if grid_values.len() > MAX_POINTS {
            return Err(FieldError::new(
                "sweep",
                grid_values.len(),
                format!("points: a sweep may have at most {MAX_POINTS}"),
            ));
        }
        if spec.baseline >= grid_values.len() {
            return Err(FieldError::new(
                "sweep.baseline",
                spec.baseline,
                format!("must be the index of a point, 0 to {}", grid_values.len() - 1),
            ));
        }
        // A path that does not exist is the sweep's error, not a point's.
        let section = if spec.design == Design::Grid { "grid" } else { "ranges" };
        for (k, path) in paths.iter().enumerate() {
            let first = grid_values[0][k].clone();
            set_path(&mut base_table.clone(), path, first.clone(), true).map_err(|message| {
                FieldError::new(format!("sweep.{section}.\"{path}\""), show_value(&first), message)
            })?;
        }
        let mut points = Vec::with_capacity(grid_values.len());
        let mut models = Vec::with_capacity(grid_values.len());
        for (index, values) in grid_values.into_iter().enumerate() {
            let described = || {
                paths
                    .iter()
                    .zip(&values)
                    .map(|(p, v)| format!("{p} = {}", show_value(v)))
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            let fail =
                |message: String| FieldError::new(format!("sweep point {index}"), described(), message);
            let mut table = base_table.clone();
            for (path, value) in paths.iter().zip(&values) {
                set_path(&mut table, path, value.clone(), spec.design == Design::Sobol).map_err(fail)?;
            }
            let point: Scenario = toml::Value::Table(table)
                .try_into()
                .map_err(|e: toml::de::Error| fail(e.message().trim().to_string()))?;
            // The point's own field error, named within the point:
            // `sweep point 3 (population.effort = -1): population.effort = -1: must lie in ...`.
            let (point, model) = point.resolve().map_err(|e| FieldError {
                field: format!("sweep point {index} ({}): {}", described(), e.field),
                ..e
            })?;
            let model = match model {
                ScenarioModel::Career(m) => PointModel::Plain(m),
                ScenarioModel::Conditional(c) => match (c.creators_like_you, c.given_state) {
                    (Some(like), None) => PointModel::LikeYou(Box::new(like)),
                    (None, Some(given)) => PointModel::Given(Box::new(given)),
                    _ => {
                        return Err(fail(
                            "has both [start] and [condition]: sweep each answer in a scenario of its own"
                                .to_string(),
                        ));
                    }
                },
                ScenarioModel::Rare(_) => {
                    return Err(fail(
                        "has run.method = \"rare\": sweeps run plain Monte Carlo, paired by common random numbers; set run.method = \"brute\" and remove [rare]"
                            .to_string(),
                    ));
                }
                _ => return Err(fail("sweeps run Career scenarios (plain or conditional)".to_string())),
            };
            points.push(SweepPoint { values, scenario: point });
            models.push(model);
        }
        let trials = |p: &SweepPoint| match &p.scenario.start {
            Some(s) if p.scenario.condition.is_none() => s.trials.unwrap_or(p.scenario.run.trials),
            _ => p.scenario.run.trials,
        };
        if points.iter().any(|p| trials(p) != trials(&points[0])) {
            return Err(FieldError::new(
                "sweep",
                "start.trials",
                "must be the same at every point (paired comparisons pair trial i with trial i)",
            ));
        }
        let mut base = scenario.clone();
        base.run.trials = trials(&points[0]);
        Ok(Sweep { base, paths, points, baseline: spec.baseline, models })
    }

    /// The swept paths, in order.
    pub fn paths(&self) -> &[String] {
        &self.paths
    }

    /// The points.
    pub fn points(&self) -> &[SweepPoint] {
        &self.points
    }

    /// The index of the baseline point.
    pub fn baseline(&self) -> usize {
        self.baseline
    }

    /// Trials per point (each point runs trials `0..trials`).
    pub fn trials(&self) -> u64 {
        self.base.run.trials
    }

    /// Careers the sweep runs: points times trials.
    pub fn careers(&self) -> u64 {
        self.trials().saturating_mul(self.points.len() as u64)
    }

    /// The limit on careers, as an error naming it, unless `allow_large`.
    pub fn check_size(&self, allow_large: bool) -> Result<(), FieldError> {
        if !allow_large && self.careers() > MAX_SWEEP_CAREERS {
            return Err(FieldError::new(
                "sweep",
                format!(
                    "{} points x {} trials = {:e} careers",
                    self.points.len(),
                    self.trials(),
                    self.careers() as f64
                ),
                format!(
                    "is more than {MAX_SWEEP_CAREERS:e} careers; allow it with --allow-large (Sweep::run_large)"
                ),
            ));
        }
        Ok(())
    }

    /// Runs the sweep with the runner's seed (one runner call: its progress
    /// counts trials of the whole sweep), refusing more than
    /// [`MAX_SWEEP_CAREERS`] careers.
    pub fn run(&self, runner: &Runner) -> Result<SweepRecord, FieldError> {
        self.check_size(false)?;
        Ok(self.run_large(runner))
    }

    /// Runs the sweep whatever its size.
    pub fn run_large(&self, runner: &Runner) -> SweepRecord {
        let model = SweepModel { sweep: self };
        let summary = runner.run(&model, self.trials()).summary;
        let report = model.report(&summary);
        let mut scenario = self.base.clone();
        scenario.run.seed = runner.seed();
        SweepRecord {
            schema: SweepRecord::SCHEMA.to_string(),
            clout_version: env!("CARGO_PKG_VERSION").to_string(),
            seed: runner.seed(),
            trials: self.trials(),
            scenario,
            report,
            summary,
        }
    }
}

type Grid = (Vec<String>, Vec<Vec<toml::Value>>);

fn grid(spec: &SweepSpec) -> Result<Grid, FieldError> {
    if !spec.ranges.is_empty() || spec.points.is_some() {
        return Err(FieldError::new(
            "sweep.design",
            "\"grid\"",
            "takes [sweep.grid]; ranges and points belong to design = \"sobol\"",
        ));
    }
    if spec.grid.is_empty() {
        return Err(FieldError::new(
            "sweep.grid",
            "(empty)",
            "must name at least one field: path = [values]",
        ));
    }
    let mut paths = Vec::new();
    let mut axes: Vec<Vec<toml::Value>> = Vec::new();
    for (path, value) in &spec.grid {
        let values = match value {
            toml::Value::Array(list) if list.is_empty() => {
                return Err(FieldError::new(
                    format!("sweep.grid.\"{path}\""),
                    "[]",
                    "is empty: a list scans its values, so it needs at least one",
                ));
            }
            toml::Value::Array(list) => list.clone(),
            scalar => vec![scalar.clone()],
        };
        check_sweepable(&format!("sweep.grid.\"{path}\""), path)?;
        paths.push(path.clone());
        axes.push(values);
    }
    let count = axes.iter().try_fold(1usize, |n, a| n.checked_mul(a.len())).filter(|&n| n <= MAX_POINTS);
    let Some(count) = count else {
        return Err(FieldError::new(
            "sweep.grid",
            axes.iter().map(|a| a.len().to_string()).collect::<Vec<_>>().join(" x "),
            format!("points: a sweep may have at most {MAX_POINTS}"),
        ));
    };
    let mut points = Vec::with_capacity(count);
    for index in 0..count {
        // The first path varies slowest.
        let mut rest = index;
        let mut values = vec![toml::Value::Boolean(false); axes.len()];
        for (axis, slot) in axes.iter().zip(values.iter_mut()).rev() {
            *slot = axis[rest % axis.len()].clone();
            rest /= axis.len();
        }
        points.push(values);
    }
    Ok((paths, points))
}

fn sobol(spec: &SweepSpec, seed: u64) -> Result<Grid, FieldError> {
    if !spec.grid.is_empty() {
        return Err(FieldError::new(
            "sweep.design",
            "\"sobol\"",
            "takes [sweep.ranges]; [sweep.grid] belongs to design = \"grid\"",
        ));
    }
    let n = spec
        .points
        .ok_or_else(|| FieldError::new("sweep.points", "(missing)", "design = \"sobol\" needs points = N"))?;
    if n == 0 || n > MAX_POINTS {
        return Err(FieldError::new("sweep.points", n, format!("must lie in [1, {MAX_POINTS}]")));
    }
    if spec.ranges.is_empty() {
        return Err(FieldError::new(
            "sweep.ranges",
            "(empty)",
            "must name at least one field: path = [low, high]",
        ));
    }
    if spec.ranges.len() > sobol_burley::NUM_DIMENSIONS as usize {
        return Err(FieldError::new(
            "sweep.ranges",
            spec.ranges.len(),
            format!("fields: at most {}", sobol_burley::NUM_DIMENSIONS),
        ));
    }
    let mut paths = Vec::new();
    let mut bounds = Vec::new();
    for (path, value) in &spec.ranges {
        let field = format!("sweep.ranges.\"{path}\"");
        check_sweepable(&field, path)?;
        let number = |v: &toml::Value| match v {
            toml::Value::Float(f) if f.is_finite() => Some(*f),
            toml::Value::Integer(i) => Some(*i as f64),
            _ => None,
        };
        let pair = match value {
            toml::Value::Array(list) if list.len() == 2 => number(&list[0]).zip(number(&list[1])),
            _ => None,
        };
        match pair {
            Some((low, high)) if low < high => bounds.push((low, high)),
            _ => {
                return Err(FieldError::new(
                    field,
                    show_value(value),
                    "must be [low, high]: two finite numbers, low < high",
                ));
            }
        }
        paths.push(path.clone());
    }
    // The scramble seed is the run's seed folded to 32 bits.
    let scramble = (seed ^ (seed >> 32)) as u32;
    let points = (0..n as u32)
        .map(|i| {
            bounds
                .iter()
                .enumerate()
                .map(|(d, &(low, high))| {
                    let u = f64::from(sobol_burley::sample(i, d as u32, scramble));
                    toml::Value::Float(low + u * (high - low))
                })
                .collect()
        })
        .collect();
    Ok((paths, points))
}

/// Pairing needs one seed and one trial count, and a sweep one model.
fn check_sweepable(field: &str, path: &str) -> Result<(), FieldError> {
    let first = path.split('.').next().unwrap_or_default();
    if matches!(first, "run" | "model" | "sweep" | "name" | "description") {
        return Err(FieldError::new(
            field,
            "(a path)",
            format!(
                "`{first}` cannot be swept: every point runs the same model, seed and trials so that \
                 trials pair (set them with --seed and --trials)"
            ),
        ));
    }
    Ok(())
}

/// A sweep as a model: one trial runs trial `i` of every point.
struct SweepModel<'a> {
    sweep: &'a Sweep,
}

impl Model for SweepModel<'_> {
    type Outcome = Vec<PointOutcome>;
    type Summary = SweepSummary;
    type Report = SweepReport;

    fn sample_trial(&self, streams: &TrialStreams) -> Vec<PointOutcome> {
        self.sweep
            .models
            .iter()
            .map(|m| match m {
                PointModel::Plain(model) => PointOutcome::Career(model.sample_trial(streams)),
                PointModel::Given(model) => PointOutcome::Career(model.sample_trial(streams)),
                PointModel::LikeYou(like) => PointOutcome::LikeYou(like.sample_trial(streams)),
            })
            .collect()
    }

    fn new_summary(&self) -> SweepSummary {
        SweepSummary {
            trials: 0,
            baseline: self.sweep.baseline,
            points: self
                .sweep
                .models
                .iter()
                .map(|m| match m {
                    PointModel::Plain(model) => PointSummary::Career(Box::new(model.new_summary())),
                    PointModel::Given(model) => PointSummary::Career(Box::new(model.new_summary())),
                    PointModel::LikeYou(like) => PointSummary::CreatorsLikeYou(Box::new(like.new_summary())),
                })
                .collect(),
            pairs: vec![[[0; 16]; 5]; self.sweep.models.len()],
        }
    }

    fn report(&self, summary: &SweepSummary) -> SweepReport {
        let z = normal_quantile_two_sided(0.95);
        let points = self
            .sweep
            .points
            .iter()
            .zip(&self.sweep.models)
            .zip(&summary.points)
            .zip(&summary.pairs)
            .enumerate()
            .map(|(index, (((point, model), point_summary), pairs))| {
                let answer = match (model, point_summary) {
                    (PointModel::Plain(m), PointSummary::Career(s)) => {
                        PointAnswer::Career(Box::new(m.report(s)))
                    }
                    (PointModel::Given(m), PointSummary::Career(s)) => {
                        PointAnswer::Career(Box::new(m.report(s)))
                    }
                    (PointModel::LikeYou(m), PointSummary::CreatorsLikeYou(s)) => {
                        PointAnswer::CreatorsLikeYou(Box::new(m.report(s)))
                    }
                    _ => unreachable!("a point's summary matches its model"),
                };
                let versus_baseline = Tier::ALL
                    .iter()
                    .map(|&tier| paired_difference(tier, &pairs[tier.index()], summary.trials, z))
                    .collect();
                PointReport {
                    index,
                    baseline: index == self.sweep.baseline,
                    values: self
                        .sweep
                        .paths
                        .iter()
                        .zip(&point.values)
                        .map(|(path, value)| ParameterValue { path: path.clone(), value: value.clone() })
                        .collect(),
                    answer,
                    versus_baseline,
                }
            })
            .collect();
        SweepReport {
            trials: summary.trials,
            baseline: self.sweep.baseline,
            paths: self.sweep.paths.clone(),
            points,
        }
    }

    fn work(&self, outcome: &Vec<PointOutcome>) -> u64 {
        outcome
            .iter()
            .map(|o| match o {
                PointOutcome::Career(c) => u64::from(c.career_days),
                PointOutcome::LikeYou(l) => u64::from(l.days),
            })
            .sum()
    }
}

/// The paired and unpaired difference of one tier's odds from the 16 joint
/// counts of `(a_P, m_P, a_B, m_B)` (module docs).
pub(crate) fn paired_difference(tier: Tier, cells: &[u64; 16], n: u64, z: f64) -> PairedDifference {
    let bit = |cell: usize, k: usize| ((cell >> k) & 1) as f64;
    let total = |k: usize| cells.iter().enumerate().map(|(c, &count)| bit(c, k) * count as f64).sum::<f64>();
    let (hits_p, counted_p, hits_b, counted_b) = (total(0), total(1), total(2), total(3));
    let count = |pred: &dyn Fn(usize) -> bool| (0..16).filter(|&c| pred(c)).map(|c| cells[c]).sum::<u64>();
    let point_only = count(&|c| bit(c, 0) == 1.0 && bit(c, 2) == 0.0);
    let baseline_only = count(&|c| bit(c, 0) == 0.0 && bit(c, 2) == 1.0);
    if counted_p == 0.0 || counted_b == 0.0 || n < 2 {
        return PairedDifference { tier, estimate: None, point_only, baseline_only };
    }
    let nf = n as f64;
    let (p_p, p_b) = (hits_p / counted_p, hits_b / counted_b);
    let (mbar_p, mbar_b) = (counted_p / nf, counted_b / nf);
    let (mut paired, mut alone_p, mut alone_b) = (0.0, 0.0, 0.0);
    for (c, &k) in cells.iter().enumerate() {
        if k == 0 {
            continue;
        }
        let zp = (bit(c, 0) - p_p * bit(c, 1)) / mbar_p;
        let zb = (bit(c, 2) - p_b * bit(c, 3)) / mbar_b;
        paired += k as f64 * (zp - zb) * (zp - zb);
        alone_p += k as f64 * zp * zp;
        alone_b += k as f64 * zb * zb;
    }
    let se = |sum_sq: f64| (sum_sq / (nf - 1.0) / nf).sqrt();
    let difference = p_p - p_b;
    let interval = |se: f64| (difference - z * se, difference + z * se);
    let paired_se = se(paired);
    let unpaired_se = (se(alone_p).powi(2) + se(alone_b).powi(2)).sqrt();
    let (lower, upper) = interval(paired_se);
    let (unpaired_lower, unpaired_upper) = interval(unpaired_se);
    PairedDifference {
        tier,
        estimate: Some(DifferenceEstimate {
            difference,
            std_error: paired_se,
            lower,
            upper,
            unpaired_std_error: unpaired_se,
            unpaired_lower,
            unpaired_upper,
        }),
        point_only,
        baseline_only,
    }
}

/// One point's summary.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PointSummary {
    /// A plain or given-state Career point.
    Career(Box<CareerSummary>),
    /// A "creators like you" point.
    CreatorsLikeYou(Box<LikeYouSummary>),
}

/// Mergeable statistics of a sweep: each point's summary, and per point and
/// tier the joint counts of `(reached, counted)` at the point and at the
/// baseline over paired trials (16 cells, index `a_P + 2 m_P + 4 a_B + 8 m_B`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SweepSummary {
    trials: u64,
    baseline: usize,
    points: Vec<PointSummary>,
    pairs: Vec<[[u64; 16]; 5]>,
}

impl SweepSummary {
    /// The summary of point `index`.
    pub fn point(&self, index: usize) -> Option<&PointSummary> {
        self.points.get(index)
    }
}

impl Summary<Vec<PointOutcome>> for SweepSummary {
    fn record(&mut self, outcomes: &Vec<PointOutcome>) {
        self.trials += 1;
        let base = outcomes[self.baseline].marks();
        for ((outcome, summary), pairs) in outcomes.iter().zip(&mut self.points).zip(&mut self.pairs) {
            match (outcome, summary) {
                (PointOutcome::Career(c), PointSummary::Career(s)) => s.record(c),
                (PointOutcome::LikeYou(o), PointSummary::CreatorsLikeYou(s)) => s.record(o),
                _ => unreachable!("a point's outcome matches its summary"),
            }
            let (counted, reached) = outcome.marks();
            for t in 0..5 {
                let cell = usize::from(reached[t])
                    | usize::from(counted) << 1
                    | usize::from(base.1[t]) << 2
                    | usize::from(base.0) << 3;
                pairs[t][cell] += 1;
            }
        }
    }

    fn merge(&mut self, other: &Self) {
        self.trials += other.trials;
        for (a, b) in self.points.iter_mut().zip(&other.points) {
            match (a, b) {
                (PointSummary::Career(a), PointSummary::Career(b)) => a.merge(b),
                (PointSummary::CreatorsLikeYou(a), PointSummary::CreatorsLikeYou(b)) => a.merge(b),
                _ => panic!("summaries of different sweeps"),
            }
        }
        for (a, b) in self.pairs.iter_mut().zip(&other.pairs) {
            for (a, b) in a.iter_mut().zip(b) {
                for (a, b) in a.iter_mut().zip(b) {
                    *a += b;
                }
            }
        }
    }

    fn trials(&self) -> u64 {
        self.trials
    }
}

/// A difference in odds with its paired and unpaired 95% intervals.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct DifferenceEstimate {
    /// Odds at the point minus odds at the baseline.
    pub difference: f64,
    /// Paired standard error (delta method over paired trials).
    pub std_error: f64,
    /// Lower end of the paired 95% interval.
    pub lower: f64,
    /// Upper end of the paired 95% interval.
    pub upper: f64,
    /// The standard error had the two points run on independent luck.
    pub unpaired_std_error: f64,
    /// Lower end of the unpaired 95% interval.
    pub unpaired_lower: f64,
    /// Upper end of the unpaired 95% interval.
    pub unpaired_upper: f64,
}

/// One tier's difference between a point and the baseline.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct PairedDifference {
    /// The tier.
    pub tier: Tier,
    /// The difference with its intervals; `None` when either point has no
    /// counted trial (nobody matched).
    pub estimate: Option<DifferenceEstimate>,
    /// Trials that reached the tier at this point but not at the baseline.
    pub point_only: u64,
    /// Trials that reached the tier at the baseline but not at this point.
    pub baseline_only: u64,
}

/// A swept path and its value at a point.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ParameterValue {
    /// The dotted path.
    pub path: String,
    /// The value there.
    pub value: toml::Value,
}

/// A point's own report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PointAnswer {
    /// A plain or given-state Career point.
    Career(Box<CareerReport>),
    /// A "creators like you" point.
    CreatorsLikeYou(Box<LikeYouReport>),
}

impl PointAnswer {
    /// The odds of every tier at this point (`None` where nobody matched).
    pub fn odds(&self, tier: Tier) -> Option<crate::stats::Proportion> {
        match self {
            PointAnswer::Career(r) => Some(r.odds(tier)),
            PointAnswer::CreatorsLikeYou(r) => r.odds_of(tier),
        }
    }
}

/// One point of a sweep's report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PointReport {
    /// The point's index.
    pub index: usize,
    /// Whether this is the baseline.
    pub baseline: bool,
    /// The swept values.
    pub values: Vec<ParameterValue>,
    /// The point's report, as if its scenario ran alone.
    pub answer: PointAnswer,
    /// Every tier's difference from the baseline.
    pub versus_baseline: Vec<PairedDifference>,
}

/// What a sweep found.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SweepReport {
    /// Paired trials run (trials per point).
    pub trials: u64,
    /// The baseline point's index.
    pub baseline: usize,
    /// The swept paths.
    pub paths: Vec<String>,
    /// One entry per point.
    pub points: Vec<PointReport>,
}

/// Everything needed to reproduce and read a sweep (JSON schema
/// [`SweepRecord::SCHEMA`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SweepRecord {
    /// Schema identifier.
    pub schema: String,
    /// Version of clout that produced it.
    pub clout_version: String,
    /// The seed.
    pub seed: u64,
    /// Trials per point.
    pub trials: u64,
    /// The scenario with its `[sweep]` section, every default filled in.
    pub scenario: Scenario,
    /// What the sweep found.
    pub report: SweepReport,
    /// The mergeable statistics.
    pub summary: SweepSummary,
}

impl SweepRecord {
    /// Identifier of the JSON schema of a sweep record.
    pub const SCHEMA: &'static str = "clout.sweep/1";
}
