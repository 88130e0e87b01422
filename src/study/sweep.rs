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
//! point and the baseline is estimated from the paired trials, with the
//! paired and the unpaired interval ([`crate::stats::paired_difference`],
//! where the equation is). A point whose only change is one the model
//! ignores has identical trials: the difference is exactly 0 with standard
//! error 0, and its interval still has width around 0 (no discordant trial
//! is no proof of no effect).

mod counts;

pub use counts::{CareerCounts, CareerOdds, LikeYouCounts, LikeYouOdds, TierOdds};

use crate::error::FieldError;
use crate::error::bounded::at_most;
use crate::model::career::Career;
use crate::model::career::conditional::LikeYouOutcome;
use crate::model::career::money::Earnings;
use crate::model::{Model, Summary};
use crate::random::TrialStreams;
use crate::runner::Runner;
use crate::scenario::Scenario;
use crate::scenario::sweep::{MAX_POINTS, PointModel, Sweep};
use crate::stats::normal_quantile_two_sided;
use crate::stats::{LevelVersusBaseline, PairedDifference, PairedLevels, paired_cell, paired_difference};
use crate::study::executor::{Part, PartRun, RecordOf, Study, check_size, run_model};
use crate::tier::{TIER_COUNT, Tier};
use serde::{Deserialize, Serialize};
use std::ops::Range;

/// One point's outcome of one trial.
#[derive(Debug, Clone)]
pub enum PointOutcome {
    /// A career (plain run, or continued from a given state).
    Career(Career),
    /// A creator followed for "creators like you".
    LikeYou(LikeYouOutcome),
}

impl PointOutcome {
    /// The career the trial counts, if it counts (a creator like you who matched).
    fn counted(&self) -> Option<&Career> {
        match self {
            PointOutcome::Career(c) => Some(c),
            PointOutcome::LikeYou(o) => o.matched.as_ref().map(|(_, c)| c),
        }
    }

    /// Whether the trial counts for the odds, and which tiers it reached.
    fn marks(&self) -> (bool, [bool; TIER_COUNT]) {
        // The tiers are the first slots of a career's levels.
        let reached = |c: &Career| std::array::from_fn(|t| c.reached_day[t].is_some());
        match self {
            PointOutcome::Career(c) => (true, reached(c)),
            PointOutcome::LikeYou(o) => match &o.matched {
                Some((_, c)) => (true, reached(c)),
                None => (false, [false; TIER_COUNT]),
            },
        }
    }
}

impl Sweep {
    /// The size rule ([`check_size`]) for this sweep's careers (points
    /// times trials), on `threads` threads, unless `allow_large`.
    pub fn check_size(&self, threads: usize, allow_large: bool) -> Result<(), FieldError> {
        check_size(
            &format!("sweep ({} points x {} trials)", self.points.len(), self.trials()),
            self.careers(),
            threads,
            allow_large,
        )
    }

    /// Runs the sweep with the runner's seed (one runner call: its progress
    /// counts trials of the whole sweep), refusing more than
    /// [`MAX_CAREERS`](crate::study::executor::MAX_CAREERS) careers.
    pub fn run(&self, runner: &Runner) -> Result<SweepRecord, FieldError> {
        self.check_size(runner.threads_used(), false)?;
        Ok(self.run_large(runner))
    }

    /// Runs the sweep whatever its size (the whole run;
    /// [`crate::study::executor`] runs shards and rests).
    pub fn run_large(&self, runner: &Runner) -> SweepRecord {
        self.run_whole(runner)
    }
}

/// One part, `trials`: trial `i` runs trial `i` of every point on the
/// run's seed (paired by common random numbers).
impl Study for Sweep {
    const SCHEMA: &'static str = "clout.sweep/6";
    const NAME: &'static str = "sweep";
    type Report = SweepReport;
    type Summary = SweepSummary;

    fn from_scenario(scenario: &Scenario) -> Result<Self, FieldError> {
        Sweep::new(scenario)
    }

    fn scenario(&self) -> &Scenario {
        &self.base
    }

    fn parts(&self) -> Vec<Part> {
        vec![Part { name: "trials", trials: self.trials() }]
    }

    fn empty(&self) -> SweepSummary {
        SweepModel { sweep: self }.new_summary()
    }

    fn run_part(
        &self,
        _: usize,
        runner: &Runner,
        ranges: &[Range<u64>],
        offset: &mut u64,
        summary: &mut SweepSummary,
    ) -> PartRun {
        run_model(runner, &SweepModel { sweep: self }, ranges, offset, summary)
    }

    fn held(&self, summary: &SweepSummary, _: usize) -> u64 {
        summary.trials
    }

    /// Every point runs every trial: points times trials.
    fn careers(&self) -> u64 {
        Sweep::careers(self)
    }

    fn check(&self, summary: &SweepSummary) -> Result<(), String> {
        if self.empty().same_shape(summary) {
            summary.check()
        } else {
            Err("its statistics have another shape than its sweep's points".into())
        }
    }

    fn merge(&self, into: &mut SweepSummary, other: &SweepSummary) {
        into.merge(other);
    }

    fn report(&self, summary: &SweepSummary) -> SweepReport {
        SweepModel { sweep: self }.report(summary)
    }
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
                    PointModel::Plain(model) => {
                        PointSummary::Career(CareerCounts::new(model.new_summary().tiers()))
                    }
                    PointModel::Given(model) => {
                        PointSummary::Career(CareerCounts::new(model.new_summary().tiers()))
                    }
                    PointModel::LikeYou(like) => {
                        PointSummary::CreatorsLikeYou(LikeYouCounts::new(like.new_summary().tiers()))
                    }
                })
                .collect(),
            pairs: vec![[[0; 16]; TIER_COUNT]; self.sweep.models.len()],
            income_levels: self.sweep.income_levels.iter().map(|&(_, level)| level).collect(),
            income_pairs: PairedLevels::new(
                self.sweep.income_levels.iter().map(|&(_, level)| level).collect(),
                self.sweep.models.len(),
            )
            .cells,
            audience: PairedLevels::new(
                self.sweep.audience_levels.iter().map(|&(_, level)| level).collect(),
                self.sweep.models.len(),
            ),
        }
    }

    fn report(&self, summary: &SweepSummary) -> SweepReport {
        let z = normal_quantile_two_sided(0.95);
        let points = self
            .sweep
            .points
            .iter()
            .zip(&summary.points)
            .zip(&summary.pairs)
            .enumerate()
            .map(|(index, ((point, point_summary), pairs))| {
                let answer = match point_summary {
                    PointSummary::Career(s) => PointAnswer::Career(s.report()),
                    PointSummary::CreatorsLikeYou(s) => PointAnswer::CreatorsLikeYou(s.report()),
                };
                let versus_baseline = Tier::ALL
                    .iter()
                    .map(|&tier| paired_difference(tier, &pairs[tier.index()], summary.trials, z))
                    .collect();
                let cells = summary.income_pairs.get(index).map_or(&[][..], Vec::as_slice);
                let income = PairedLevels::report_cells(cells, &self.sweep.income_levels, summary.trials, z);
                let audience = summary.audience.report(index, &self.sweep.audience_levels, summary.trials, z);
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
                    income,
                    audience,
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

    fn simulated_time(&self, outcome: &Vec<PointOutcome>) -> u64 {
        outcome
            .iter()
            .map(|o| match o {
                PointOutcome::Career(c) => u64::from(c.career_days),
                PointOutcome::LikeYou(l) => u64::from(l.days),
            })
            .sum()
    }
}

/// One point's summary: a fixed number of integers whatever the trials
/// (the counts module's docs say why).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PointSummary {
    /// A plain or given-state Career point.
    Career(CareerCounts),
    /// A "creators like you" point.
    CreatorsLikeYou(LikeYouCounts),
}

/// Mergeable statistics of a sweep: each point's summary, and per point and
/// tier the joint counts of `(reached, counted)` at the point and at the
/// baseline over paired trials (16 cells, index `a_P + 2 m_P + 4 a_B + 8 m_B`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SweepSummary {
    trials: u64,
    baseline: usize,
    #[serde(deserialize_with = "at_most_points")]
    points: Vec<PointSummary>,
    #[serde(deserialize_with = "at_most_pairs")]
    pairs: Vec<[[u64; 16]; TIER_COUNT]>,
    /// With `[money]`: the income levels (a year), and per point and level the
    /// same 16 paired cells of `(earned, counted)` at the point and the baseline.
    #[serde(default, skip_serializing_if = "Vec::is_empty", deserialize_with = "at_most_levels")]
    income_levels: Vec<f64>,
    #[serde(default, skip_serializing_if = "Vec::is_empty", deserialize_with = "at_most_income_pairs")]
    income_pairs: Vec<Vec<[u64; 16]>>,
    /// With `[engagement]` (or `[money]`): the engaged-audience levels and
    /// their paired cells, the same way.
    #[serde(default, skip_serializing_if = "PairedLevels::is_empty")]
    audience: PairedLevels,
}

/// A sweep summary's income levels, at most
/// [`crate::model::career::money::MAX_INCOME_LEVELS`] ([`at_most`]).
fn at_most_levels<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Vec<f64>, D::Error> {
    at_most(deserializer, crate::model::career::money::MAX_INCOME_LEVELS, "summary.income_levels")
}

/// A sweep summary's paired income counts, one list per point ([`at_most`]).
fn at_most_income_pairs<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<Vec<Vec<[u64; 16]>>, D::Error> {
    at_most(deserializer, MAX_POINTS, "summary.income_pairs")
}

/// A sweep summary's points, at most [`MAX_POINTS`] ([`at_most`]).
fn at_most_points<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Vec<PointSummary>, D::Error> {
    at_most(deserializer, MAX_POINTS, "summary.points")
}

/// A sweep summary's paired counts, one per point ([`at_most`]).
fn at_most_pairs<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<Vec<[[u64; 16]; TIER_COUNT]>, D::Error> {
    at_most(deserializer, MAX_POINTS, "summary.pairs")
}

impl SweepSummary {
    /// Whether `other` has this summary's shape (the points, their kinds and
    /// statistics), so the two merge (a check of what a file held).
    pub fn same_shape(&self, other: &SweepSummary) -> bool {
        let points = self.points.iter().zip(&other.points).all(|pair| match pair {
            (PointSummary::Career(a), PointSummary::Career(b)) => a.same_shape(b),
            (PointSummary::CreatorsLikeYou(a), PointSummary::CreatorsLikeYou(b)) => a.same_shape(b),
            _ => false,
        });
        self.baseline == other.baseline
            && self.points.len() == other.points.len()
            && self.pairs.len() == other.pairs.len()
            && self.income_levels == other.income_levels
            && self.income_pairs.len() == other.income_pairs.len()
            && self.income_pairs.iter().zip(&other.income_pairs).all(|(a, b)| a.len() == b.len())
            && self.audience.same_shape(&other.audience)
            && points
    }

    /// The summary of point `index`.
    pub fn point(&self, index: usize) -> Option<&PointSummary> {
        self.points.get(index)
    }
}

impl SweepSummary {
    /// With `[money]` (or `[engagement]`), each point's paired cells of each
    /// income (engaged-audience) level: a trial reaches a level when its
    /// counted career's income (engaged audience) does.
    fn record_money(&mut self, outcomes: &[PointOutcome]) {
        let value = |o: &PointOutcome, of: fn(&Earnings) -> f64| {
            o.counted().map(|c| c.earnings.as_ref().map_or(0.0, of))
        };
        let income: fn(&Earnings) -> f64 = |e| e.income;
        let audience: fn(&Earnings) -> f64 = |e| e.engaged_audience;
        if !self.income_pairs.is_empty() {
            let base = value(&outcomes[self.baseline], income);
            let values = outcomes.iter().map(|o| value(o, income));
            PairedLevels::record_into(&self.income_levels, &mut self.income_pairs, values, base);
        }
        if !self.audience.is_empty() {
            let base = value(&outcomes[self.baseline], audience);
            self.audience.record(outcomes.iter().map(|o| value(o, audience)), base);
        }
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
                pairs[t][paired_cell(counted.then_some(reached[t]), base.0.then_some(base.1[t]))] += 1;
            }
        }
        self.record_money(outcomes);
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
        PairedLevels::merge_into(&mut self.income_pairs, &other.income_pairs);
        self.audience.merge(&other.audience);
    }

    fn trials(&self) -> u64 {
        self.trials
    }

    /// Every point ran every trial, and each tier's 16 paired cells count
    /// every trial once; each point's own summary holds its invariants.
    fn check(&self) -> Result<(), String> {
        let n = self.trials;
        for (k, (point, pairs)) in self.points.iter().zip(&self.pairs).enumerate() {
            let (trials, checked) = match point {
                PointSummary::Career(s) => (s.trials(), s.check()),
                PointSummary::CreatorsLikeYou(s) => (s.trials(), s.check()),
            };
            checked.map_err(|e| format!("point {k}: {e}"))?;
            if trials != n {
                return Err(format!("point {k} holds {trials} trials, the sweep {n}"));
            }
            for (tier, cells) in pairs.iter().enumerate() {
                let sum = cells.iter().try_fold(0u64, |a, &c| a.checked_add(c));
                if sum != Some(n) {
                    return Err(format!(
                        "point {k}'s paired counts of tier {tier} do not add up to its {n} trials"
                    ));
                }
            }
        }
        PairedLevels::check_cells(&self.income_levels, &self.income_pairs, self.points.len(), n, "income")?;
        self.audience.check(self.points.len(), n, "engaged audience")
    }
}

/// A swept path and its value at a point.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ParameterValue {
    /// The dotted path.
    pub path: String,
    /// The value there.
    pub value: toml::Value,
}

/// A point's own odds: the fields of its scenario's report run alone that
/// a sweep keeps ([`CareerOdds`], [`LikeYouOdds`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PointAnswer {
    /// A plain or given-state Career point.
    Career(CareerOdds),
    /// A "creators like you" point.
    CreatorsLikeYou(LikeYouOdds),
}

impl PointAnswer {
    /// The follower threshold of `tier` at this point.
    pub fn threshold(&self, tier: Tier) -> u64 {
        let odds = match self {
            PointAnswer::Career(c) => Some(c),
            PointAnswer::CreatorsLikeYou(l) => l.odds.as_ref(),
        };
        odds.and_then(|o| o.tiers.get(tier.index())).map_or(0, |t| t.threshold)
    }

    /// The chance of `tier` at this point (`None` where nobody matched).
    pub fn proportion(&self, tier: Tier) -> Option<crate::stats::Proportion> {
        match self {
            PointAnswer::Career(r) => Some(r.proportion(tier)),
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
    /// The point's odds, those of its scenario run alone.
    pub answer: PointAnswer,
    /// Every tier's difference from the baseline.
    pub versus_baseline: Vec<PairedDifference>,
    /// With `[money]`, every income level's chance and difference from the baseline.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub income: Vec<LevelVersusBaseline>,
    /// With `[engagement]` (or `[money]`), every engaged-audience level's
    /// chance and difference from the baseline (`1k engaged`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub audience: Vec<LevelVersusBaseline>,
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
/// [`Sweep::SCHEMA`], `clout sweep --format json`).
pub type SweepRecord = RecordOf<Sweep>;
