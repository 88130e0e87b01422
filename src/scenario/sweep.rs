//! A scenario's `[sweep]` section resolved into its points: the grid or
//! Sobol design over dotted paths, each point a scenario of its own with
//! its validated model (the sweep itself runs in [`crate::study::sweep`]).

use crate::error::FieldError;
use crate::error::bounded::bounded_table;
use crate::model::career::CareerModel;
use crate::model::career::conditional::{CreatorsLikeYou, GivenState};
use crate::scenario::{Scenario, ScenarioModel};
use serde::{Deserialize, Serialize};

/// The most points a sweep may have.
pub const MAX_POINTS: usize = 10_000;

/// The most bytes a point adds to a sweep's record (`--format json`),
/// besides its swept values: its answer, its differences from the baseline
/// and its counts, every number written at its longest (a test in
/// `study::sweep` measures it). With the values, the scenario and
/// [`RECORD_HEADER_BYTES`], a sweep's record is at most
/// [`Sweep::record_bytes`], which must be within the
/// [`MAX_RECORD_BYTES`](crate::error::MAX_RECORD_BYTES) clout reads back:
/// 10,000 points of a few swept values take at most about 200 MiB.
pub const RECORD_BYTES_PER_POINT: u64 = 20 << 10;

/// The most bytes a sweep's record takes besides its points and scenario:
/// its header, the report's and summary's own fields, and a piece's
/// coverage of a few hundred ranges.
pub const RECORD_HEADER_BYTES: u64 = 16 << 10;

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
    #[serde(default, skip_serializing_if = "toml::Table::is_empty", deserialize_with = "grid_table")]
    pub grid: toml::Table,
    /// Sobol: `path = [low, high]`.
    #[serde(default, skip_serializing_if = "toml::Table::is_empty", deserialize_with = "ranges_table")]
    pub ranges: toml::Table,
    /// Sobol: how many points.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub points: Option<usize>,
    /// The index of the baseline point (default 0, the first).
    #[serde(default)]
    pub baseline: usize,
}

/// `[sweep.grid]`, read in bounded memory ([`bounded_table`]).
fn grid_table<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<toml::Table, D::Error> {
    bounded_table(deserializer, "sweep.grid")
}

/// `[sweep.ranges]`, read in bounded memory ([`bounded_table`]).
fn ranges_table<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<toml::Table, D::Error> {
    bounded_table(deserializer, "sweep.ranges")
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
pub(crate) enum PointModel {
    /// A plain Career point.
    Plain(Box<CareerModel>),
    /// A given state.
    Given(Box<GivenState>),
    /// Creators like you.
    LikeYou(Box<CreatorsLikeYou>),
}

impl PointModel {
    /// The point's income levels (its career's `money.levels`).
    fn income_levels(&self) -> Vec<(String, f64)> {
        use crate::model::inputs::Levels;
        match self {
            PointModel::Plain(m) => m.income_levels().0,
            PointModel::Given(m) => m.income_levels().0,
            PointModel::LikeYou(m) => m.career().income_levels().0,
        }
    }

    /// The point's engaged-audience levels (its career's
    /// `engagement.audience_levels`, with `[engagement]` or `[money]`).
    fn audience_levels(&self) -> Vec<(String, f64)> {
        use crate::model::inputs::Levels;
        match self {
            PointModel::Plain(m) => m.audience_levels(),
            PointModel::Given(m) => m.audience_levels(),
            PointModel::LikeYou(m) => m.career().audience_levels(),
        }
    }
}

/// A validated sweep, ready to run.
#[derive(Debug, Clone)]
pub struct Sweep {
    pub(crate) base: Scenario,
    pub(crate) paths: Vec<String>,
    pub(crate) points: Vec<SweepPoint>,
    pub(crate) baseline: usize,
    pub(crate) models: Vec<PointModel>,
    pub(crate) income_levels: Vec<(String, f64)>,
    pub(crate) audience_levels: Vec<(String, f64)>,
}

/// Career options written only when on (so that a scenario without them
/// reads and echoes as before they existed), with their off values: the
/// section, the field and the value [`editable_table`] fills in.
const OMITTED_WHEN_OFF: [(&str, &str, f64); 8] = [
    ("platform", "inactive_rate", 0.0),
    ("platform", "frequency_elasticity", 0.0),
    ("platform", "openness_offset_days", 0.0),
    ("competition", "price_offset_days", 0.0),
    ("persistence", "dormant_unfollow_rate", 0.0),
    ("population.correlation", "talent_effort", 0.0),
    ("population.correlation", "talent_niche", 0.0),
    ("population.correlation", "effort_niche", 0.0),
];

/// A scenario as a TOML table that [`set_path`] edits: every field
/// present, the Career options that are off included (`platform.niche_saturation
/// = "hard"` and [`OMITTED_WHEN_OFF`], where their section is), so a sweep,
/// a calibration's `[fit]` or `[hold]` can set them like any other field;
/// and no field checksum ([`without_field_checksum`]).
pub(crate) fn editable_table(scenario: &Scenario) -> Result<toml::Table, toml::ser::Error> {
    let mut table = toml::Table::try_from(scenario)?;
    without_field_checksum(&mut table);
    let mut fill = |section: &str, field: &str, value: toml::Value| {
        let (head, rest) = section.split_once('.').map_or((section, None), |(h, r)| (h, Some(r)));
        let Some(toml::Value::Table(here)) = table.get_mut(head) else { return };
        let here = match rest {
            Some(sub) => match here.entry(sub).or_insert_with(|| toml::Value::Table(toml::Table::new())) {
                toml::Value::Table(t) => t,
                _ => return,
            },
            None => here,
        };
        here.entry(field).or_insert(value);
    };
    for (section, field, off) in OMITTED_WHEN_OFF {
        fill(section, field, toml::Value::Float(off));
    }
    fill("platform", "niche_saturation", toml::Value::String("hard".into()));
    Ok(table)
}

/// Takes `competition.checksum` out of a scenario's table: an edited
/// scenario (a sweep's point, a calibration's candidate, a variant's
/// headline scenario) solves its own field, which the base's checksum does
/// not name.
pub(crate) fn without_field_checksum(table: &mut toml::Table) {
    if let Some(toml::Value::Table(c)) = table.get_mut("competition") {
        c.remove("checksum");
    }
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
        let base_table = editable_table(&base)
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
        check_record_bytes(scenario, &paths, &grid_values)?;
        let mut points = Vec::with_capacity(grid_values.len());
        let mut models = Vec::with_capacity(grid_values.len());
        let mut tables = Vec::new();
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
            let model = point_model(model, &mut tables).map_err(|m| fail(m.to_string()))?;
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
        let income_levels = models[0].income_levels();
        if models.iter().any(|m| m.income_levels() != income_levels) {
            return Err(FieldError::new(
                "sweep",
                "money.levels",
                "must be the same at every point, [money] at all or none (each income level is compared with the \
                 baseline's)",
            ));
        }
        let audience_levels = models[0].audience_levels();
        if models.iter().any(|m| m.audience_levels() != audience_levels) {
            return Err(FieldError::new(
                "sweep",
                "engagement.audience_levels",
                "must be the same at every point, [engagement] (or [money]) at all or none (each engaged-audience \
                 level is compared with the baseline's)",
            ));
        }
        let mut base = scenario.clone();
        base.run.trials = trials(&points[0]);
        Ok(Sweep { base, paths, points, baseline: spec.baseline, models, income_levels, audience_levels })
    }

    /// The income levels every point reports (with `[money]`; else none), by
    /// name and amount a year.
    pub fn income_levels(&self) -> &[(String, f64)] {
        &self.income_levels
    }

    /// The engaged-audience levels every point reports (with `[engagement]`
    /// or `[money]`; else none), by name (`1k engaged`) and engagements a post.
    pub fn audience_levels(&self) -> &[(String, f64)] {
        &self.audience_levels
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

    /// The most bytes the sweep's record can take as pretty JSON (`--format
    /// json`): [`RECORD_HEADER_BYTES`], the scenario, and per point
    /// [`RECORD_BYTES_PER_POINT`] plus its swept values, each as pretty JSON
    /// indented ten levels deeper, with its path. Known before any trial
    /// runs: [`Sweep::new`] refuses a sweep whose record could not be read
    /// back.
    pub fn record_bytes(&self) -> u64 {
        let values: Vec<&[toml::Value]> = self.points.iter().map(|p| p.values.as_slice()).collect();
        record_bytes(&self.base, &self.paths, &values)
    }
}

/// The model of a point of a sweep, its tables shared with the points
/// before it (`tables`), or why a sweep cannot run it.
fn point_model(
    model: ScenarioModel,
    tables: &mut Vec<std::sync::Arc<[f64]>>,
) -> Result<PointModel, &'static str> {
    Ok(match model {
        ScenarioModel::Career(mut m) => {
            m.share_tables(tables);
            PointModel::Plain(m)
        }
        ScenarioModel::Conditional(c) => match (c.creators_like_you, c.given_state) {
            (Some(mut like), None) => {
                like.share_tables(tables);
                PointModel::LikeYou(Box::new(like))
            }
            (None, Some(mut given)) => {
                given.share_tables(tables);
                PointModel::Given(Box::new(given))
            }
            _ => return Err("has both [start] and [condition]: sweep each answer in a scenario of its own"),
        },
        ScenarioModel::Rare(_) => {
            return Err(
                "has run.method = \"rare\": sweeps run plain Monte Carlo, paired by common random numbers; set run.method = \"brute\" and remove [rare]",
            );
        }
        ScenarioModel::World(_) => {
            return Err(
                "has [world]: a sweep pairs single careers by common random numbers, and a world is many creators run together; sweep the platform in its field ([competition] without [world])",
            );
        }
        _ => return Err("sweeps run Career scenarios (plain or conditional)"),
    })
}

/// [`Sweep::record_bytes`] of a sweep of `scenario` over `paths`, with
/// these values at its points.
fn record_bytes(scenario: &Scenario, paths: &[String], values: &[&[toml::Value]]) -> u64 {
    let swept: u64 = values
        .iter()
        .flat_map(|v| v.iter().zip(paths))
        .map(|(value, path)| pretty_bytes(value, 10) + 2 * path.len() as u64 + 64)
        .sum();
    let named: u64 = paths.iter().map(|p| p.len() as u64 + 16).sum();
    RECORD_HEADER_BYTES
        + pretty_bytes(scenario, 2)
        + named
        + swept
        + RECORD_BYTES_PER_POINT * values.len() as u64
}

/// Refuses, before any point is built, a sweep whose record could be larger
/// than clout reads back ([`Sweep::record_bytes`]).
fn check_record_bytes(
    scenario: &Scenario,
    paths: &[String],
    values: &[Vec<toml::Value>],
) -> Result<(), FieldError> {
    let values: Vec<&[toml::Value]> = values.iter().map(Vec::as_slice).collect();
    let bytes = record_bytes(scenario, paths, &values);
    if bytes <= crate::error::MAX_RECORD_BYTES {
        return Ok(());
    }
    Err(FieldError::new(
        "sweep",
        format!("{} points", values.len()),
        format!(
            "would write a record of up to {} MiB, more than the {} MiB clout reads back ({} KiB a point \
             besides its values): sweep fewer points, or shorter values",
            bytes >> 20,
            crate::error::MAX_RECORD_BYTES >> 20,
            RECORD_BYTES_PER_POINT >> 10
        ),
    ))
}

/// The bytes of `value` as pretty JSON indented `depth` levels (two spaces
/// each) deeper.
fn pretty_bytes<T: Serialize>(value: &T, depth: u64) -> u64 {
    let text = serde_json::to_string_pretty(value).unwrap_or_default();
    text.len() as u64 + text.lines().count() as u64 * 2 * depth
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
