//! Paired differences of proportions: two estimates of a tier's chance on
//! the same trials (common random numbers), compared trial by trial.
//!
//! **A plain difference** (every trial counts at both points). With `a` the
//! trials that reached the tier at both points, `b` at the point only, `c`
//! at the baseline only, `d` at neither (`n` in all), the difference is
//! `D = (b - c) / n`, driven by the discordant trials `b + c`. Three
//! intervals and one test are computed:
//!
//! * **Newcombe's hybrid score interval** (Newcombe 1998, Stat Med 17:2635,
//!   method 10; recommended by Fagerland, Lydersen & Laake 2014, Stat Med
//!   33:2850), the one reported. With `p1 = (a + b)/n`, `p2 = (a + c)/n`,
//!   their Wilson intervals `[l1, u1]`, `[l2, u2]` ([`crate::stats::wilson`])
//!   and the corrected phi coefficient `phi = A' / sqrt((a+b)(c+d)(a+c)(b+d))`
//!   with `A = ad - bc` and `A' = A - n/2` when `A > n/2`, `0` when `0 <= A
//!   <= n/2`, `A` when `A < 0` (0 when a margin is empty; Newcombe's
//!   correction, as in Fagerland, Lydersen & Laake 2017, *Statistical
//!   Analysis of Contingency Tables*, ch. 8),
//!
//!   `lower = D - sqrt((p1 - l1)^2 - 2 phi (p1 - l1)(u2 - p2) + (u2 - p2)^2)`,
//!   `upper = D + sqrt((u1 - p1)^2 - 2 phi (u1 - p1)(p2 - l2) + (p2 - l2)^2)`.
//!
//!   Never zero-width: with no discordant trial it still spans the Wilson
//!   half-widths of the two margins.
//! * **Tango's score interval** (Tango 1998, Stat Med 17:891), [`tango`]: the
//!   `delta` with `|T(delta)| <= z`, `T = (b - c - n delta) / sqrt(n (2 q +
//!   delta (1 - delta)))`, `q` the restricted maximum-likelihood estimate of
//!   the baseline-only cell, `q = (sqrt(W^2 + 8 n c delta (1 - delta)) - W)
//!   / (4 n)`, `W = -b - c + (2n - b + c) delta`. Measured beside Newcombe's
//!   (docs/VALIDATION.md, "Paired differences"), not reported.
//! * **The delta method** (normal interval `D -/+ z SE`, `SE^2 = ((b + c)/n -
//!   D^2) / (n - 1)`): kept as `std_error`, and for the interval only where
//!   the counts above cannot be formed (next paragraph). At few discordant
//!   trials it undercovers (4 against 0 excluded 0) and at none it is
//!   zero-width.
//! * **The exact McNemar test** of no difference: given `m = b + c`, `b ~
//!   Binomial(m, 1/2)` under the null, two-sided `p = min(1, 2 P(X <=
//!   min(b, c)))`, and its mid-p (Fagerland, Lydersen & Laake 2013, BMC Med
//!   Res Methodol 13:91). **The reported interval never excludes 0 when this
//!   exact test does not reject at the interval's level**: where Newcombe's
//!   would, it is widened to reach 0, and `widened` says so (a union with a
//!   value the data cannot reject only raises coverage).
//!
//! **A difference of ratio estimates** ("creators like you": `p = sum a /
//! sum m` over the trials that count, `m_i` the indicator "trial `i`
//! counts"). When the same trials count at both points, the plain analysis
//! above applies to them (`n` = the trials counted). When they differ, the
//! difference has the delta-method standard error `sd(z) / sqrt(n)` over
//! trials of `z_i = (a_i^P - p_P m_i^P) / mbar_P - (a_i^B - p_B m_i^B) /
//! mbar_B`, and the interval reported is the unpaired square-and-add
//! (MOVER) interval of the two ratio estimates' Wilson intervals (Newcombe
//! 1998, Stat Med 17:873, method 10; Zou & Donner 2008): it ignores the
//! pairing, so it is wider than it need be, but it holds at few hits.
//!
//! The unpaired interval, the same square-and-add of the two estimates'
//! Wilson intervals as if run on independent luck (never zero-width), and
//! the unpaired delta-method standard error are given beside every
//! difference to show what pairing buys. Sweeps and attribution's counterfactuals both use this.

use crate::stats::interval::{beta_reg, wilson};
use crate::tier::Tier;
use serde::{Deserialize, Serialize};
use statrs::function::gamma::ln_gamma;

/// How the reported interval of a difference was formed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DifferenceMethod {
    /// Newcombe's hybrid score interval for paired proportions.
    NewcombePaired,
    /// The unpaired square-and-add interval of two ratio estimates whose
    /// counted trials differ.
    UnpairedScore,
}

impl DifferenceMethod {
    /// The name JSON and CSV give it (`newcombe_paired`, `unpaired_score`).
    pub fn name(self) -> &'static str {
        match self {
            Self::NewcombePaired => "newcombe_paired",
            Self::UnpairedScore => "unpaired_score",
        }
    }
}

/// A difference in chances with its intervals and the exact test.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct DifferenceEstimate {
    /// Chance at the point minus chance at the baseline.
    pub difference: f64,
    /// Lower end of the reported 95% interval.
    pub lower: f64,
    /// Upper end of the reported 95% interval.
    pub upper: f64,
    /// How that interval was formed.
    pub method: DifferenceMethod,
    /// Whether it was widened to reach 0 because the exact McNemar test
    /// does not reject no difference (module docs).
    pub widened: bool,
    /// The exact (conditional) McNemar p-value of no difference; `None`
    /// for ratio estimates whose counted trials differ.
    pub exact_p: Option<f64>,
    /// Its mid-p version.
    pub mid_p: Option<f64>,
    /// Paired standard error by the delta method (large-count figure).
    pub std_error: f64,
    /// The standard error had the two points run on independent luck.
    pub unpaired_std_error: f64,
    /// Lower end of the unpaired 95% interval (square-and-add of the two
    /// Wilson intervals, module docs).
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

/// The 2 x 2 table of a paired comparison: trials that reached the tier at
/// both points, at the point only, at the baseline only, and at neither.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PairedCounts {
    /// Reached at both.
    pub both: u64,
    /// Reached at the point only.
    pub point_only: u64,
    /// Reached at the baseline only.
    pub baseline_only: u64,
    /// Reached at neither.
    pub neither: u64,
}

impl PairedCounts {
    /// Trials in all.
    pub fn n(&self) -> u64 {
        self.both + self.point_only + self.baseline_only + self.neither
    }

    /// The difference `(b - c) / n`.
    pub fn difference(&self) -> f64 {
        (self.point_only as f64 - self.baseline_only as f64) / self.n() as f64
    }

    /// The delta-method (Wald) interval `D -/+ z SE`, with `SE^2 = ((b + c)/n
    /// - D^2) / (n - 1)` (module docs; zero-width at no discordant trial).
    pub fn delta(&self, z: f64) -> (f64, f64) {
        let n = self.n() as f64;
        let d = self.difference();
        let se = ((((self.point_only + self.baseline_only) as f64 / n) - d * d).max(0.0) / (n - 1.0)).sqrt();
        (d - z * se, d + z * se)
    }

    /// Newcombe's hybrid score interval (module docs) at level `confidence`.
    pub fn newcombe(&self, confidence: f64) -> (f64, f64) {
        let (a, b, c, d) = (self.both, self.point_only, self.baseline_only, self.neither);
        let n = self.n();
        let nf = n as f64;
        let (p1, p2) = ((a + b) as f64 / nf, (a + c) as f64 / nf);
        let w1 = wilson(a + b, n, confidence);
        let w2 = wilson(a + c, n, confidence);
        let margins = [a + b, c + d, a + c, b + d].map(|m| m as f64);
        let denominator = margins.iter().product::<f64>().sqrt();
        let cross = a as f64 * d as f64 - b as f64 * c as f64;
        let corrected = if cross > nf / 2.0 {
            cross - nf / 2.0
        } else if cross >= 0.0 {
            0.0
        } else {
            cross
        };
        let phi = if denominator > 0.0 { corrected / denominator } else { 0.0 };
        let (dl1, du1) = (p1 - w1.lower, w1.upper - p1);
        let (dl2, du2) = (p2 - w2.lower, w2.upper - p2);
        let diff = p1 - p2;
        let lower = diff - (dl1 * dl1 - 2.0 * phi * dl1 * du2 + du2 * du2).max(0.0).sqrt();
        let upper = diff + (du1 * du1 - 2.0 * phi * du1 * dl2 + dl2 * dl2).max(0.0).sqrt();
        (lower.max(-1.0), upper.min(1.0))
    }

    /// Tango's score interval (module docs) for normal quantile `z`, by
    /// bisection of the score statistic on each side of the estimate.
    pub fn tango(&self, z: f64) -> (f64, f64) {
        let (b, c) = (self.point_only as f64, self.baseline_only as f64);
        let n = self.n() as f64;
        let score = |delta: f64| {
            let numerator = b - c - n * delta;
            if numerator == 0.0 {
                return 0.0;
            }
            let w = -b - c + (2.0 * n - b + c) * delta;
            let x = 8.0 * n * c * delta * (1.0 - delta);
            let root = (w * w + x).max(0.0).sqrt();
            // q = (root - w) / 4n, in the form that does not cancel when w > 0.
            let q =
                if w > 0.0 { 2.0 * c * delta * (1.0 - delta) / (root + w) } else { (root - w) / (4.0 * n) };
            let variance = n * (2.0 * q + delta * (1.0 - delta));
            if variance <= 0.0 { numerator.signum() * f64::INFINITY } else { numerator / variance.sqrt() }
        };
        let d = self.difference();
        // T falls as delta rises: the lower end solves T = z on [-1, D], the upper T = -z on [D, 1].
        let solve = |mut low: f64, mut high: f64, target: f64| {
            for _ in 0..200 {
                let mid = 0.5 * (low + high);
                if mid <= low || mid >= high {
                    break;
                }
                if score(mid) > target {
                    low = mid;
                } else {
                    high = mid;
                }
            }
            0.5 * (low + high)
        };
        let lower = if score(-1.0) <= z { -1.0 } else { solve(-1.0, d, z) };
        let upper = if score(1.0) >= -z { 1.0 } else { solve(d, 1.0, -z) };
        (lower, upper)
    }

    /// The exact McNemar test of no difference: the two-sided p-value and
    /// its mid-p (module docs).
    pub fn mcnemar(&self) -> (f64, f64) {
        mcnemar(self.point_only, self.baseline_only)
    }

    /// The reported interval: Newcombe's, widened to reach 0 where the exact
    /// McNemar test does not reject at this level; and whether it was.
    pub fn reported(&self, confidence: f64) -> ((f64, f64), bool) {
        let (lower, upper) = self.newcombe(confidence);
        let (p, _) = self.mcnemar();
        if p > 1.0 - confidence && (lower > 0.0 || upper < 0.0) {
            ((lower.min(0.0), upper.max(0.0)), true)
        } else {
            ((lower, upper), false)
        }
    }
}

/// The exact McNemar p-value and mid-p of `b` against `c` discordant
/// trials: `X ~ Binomial(b + c, 1/2)`, `p = min(1, 2 P(X <= min))`, mid-p
/// `= min(1, 2 (P(X <= min) - P(X = min) / 2))`; both 1 at no discordant trial.
pub fn mcnemar(b: u64, c: u64) -> (f64, f64) {
    let (k, m) = (b.min(c), b + c);
    if m == 0 {
        return (1.0, 1.0);
    }
    let (kf, mf) = (k as f64, m as f64);
    // P(X <= k) = I_{1/2}(m - k, k + 1).
    let tail = beta_reg(mf - kf, kf + 1.0, 0.5);
    let point =
        (ln_gamma(mf + 1.0) - ln_gamma(kf + 1.0) - ln_gamma(mf - kf + 1.0) - mf * std::f64::consts::LN_2)
            .exp();
    ((2.0 * tail).min(1.0), (2.0 * (tail - 0.5 * point)).clamp(0.0, 1.0))
}

/// The simulated coverage of each paired interval at one true 2 x 2 table
/// (docs/VALIDATION.md, "Paired differences"): the share of replicates
/// whose interval holds the true difference `P(point only) - P(baseline
/// only)`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct PairedCoverage {
    /// Replicates drawn.
    pub replicates: u64,
    /// The delta method ([`PairedCounts::delta`]).
    pub delta: f64,
    /// Tango's score interval ([`PairedCounts::tango`]).
    pub tango: f64,
    /// Newcombe's hybrid score interval ([`PairedCounts::newcombe`]).
    pub newcombe: f64,
    /// The reported interval ([`PairedCounts::reported`]).
    pub reported: f64,
    /// Replicates whose reported interval was zero-width (never, by design;
    /// counted so that a test can say so).
    pub zero_width: u64,
}

/// The coverage of the paired intervals at level `confidence` over
/// `replicates` tables of `n` trials drawn from the multinomial with cell
/// probabilities `[both, point only, baseline only, neither]` (summing to
/// 1), on the xoshiro256++ stream seeded by `seed`: each table is drawn as
/// `a ~ Bin(n, p_a)`, `b ~ Bin(n - a, p_b / (1 - p_a))`, `c ~ Bin(n - a - b,
/// p_c / (1 - p_a - p_b))`, `d` the rest.
pub fn paired_coverage(
    probabilities: [f64; 4],
    n: u64,
    replicates: u64,
    seed: u64,
    confidence: f64,
) -> PairedCoverage {
    use rand::SeedableRng;
    let [pa, pb, pc, _] = probabilities;
    let truth = pb - pc;
    let z = crate::stats::normal_quantile_two_sided(confidence);
    let mut rng = crate::random::StreamRng::seed_from_u64(seed);
    let holds = |(lower, upper): (f64, f64)| u64::from(lower <= truth && truth <= upper);
    let (mut delta, mut tango, mut newcombe, mut reported, mut zero_width) = (0, 0, 0, 0, 0);
    let conditional = |p: f64, rest: f64| if rest > 0.0 { (p / rest).min(1.0) } else { 0.0 };
    for _ in 0..replicates {
        let a = crate::sampling::binomial(&mut rng, n, pa);
        let b = crate::sampling::binomial(&mut rng, n - a, conditional(pb, 1.0 - pa));
        let c = crate::sampling::binomial(&mut rng, n - a - b, conditional(pc, 1.0 - pa - pb));
        let table = PairedCounts { both: a, point_only: b, baseline_only: c, neither: n - a - b - c };
        delta += holds(table.delta(z));
        tango += holds(table.tango(z));
        newcombe += holds(table.newcombe(confidence));
        let (interval, _) = table.reported(confidence);
        reported += holds(interval);
        zero_width += u64::from(interval.0 >= interval.1);
    }
    let share = |k: u64| k as f64 / replicates as f64;
    PairedCoverage {
        replicates,
        delta: share(delta),
        tango: share(tango),
        newcombe: share(newcombe),
        reported: share(reported),
        zero_width,
    }
}

/// The cell of the 16 joint counts of [`paired_difference`] for one trial:
/// at the point and at the baseline, `None` when the trial is not counted
/// there, else whether it reached the level.
pub fn paired_cell(point: Option<bool>, baseline: Option<bool>) -> usize {
    usize::from(point == Some(true))
        | usize::from(point.is_some()) << 1
        | usize::from(baseline == Some(true)) << 2
        | usize::from(baseline.is_some()) << 3
}

/// Any level (an income's, an engaged audience's, a tier's) at a point
/// against the baseline, on the same trials: its chance at the point and
/// the paired difference ([`paired_estimate`]). A sweep's points and the
/// counterfactual edits of attribution report their income levels so.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LevelVersusBaseline {
    /// The level's name (`$10k`).
    pub level: String,
    /// Its threshold (an amount a year, a count).
    pub threshold: f64,
    /// The chance of reaching it at this point (among the counted trials),
    /// with its intervals; `None` when no trial counted.
    pub chance: Option<crate::stats::Proportion>,
    /// The difference from the baseline with its intervals; `None` when
    /// either point counted no trial.
    pub estimate: Option<DifferenceEstimate>,
    /// Trials that reached it at this point but not at the baseline.
    pub point_only: u64,
    /// Trials that reached it at the baseline but not at this point.
    pub baseline_only: u64,
}

impl LevelVersusBaseline {
    /// The level named `level` at `threshold` from its 16 joint counts
    /// ([`paired_cell`]) over `n` trials, intervals at the two-sided normal
    /// quantile `z`.
    pub fn of(level: &str, threshold: f64, cells: &[u64; 16], n: u64, z: f64) -> Self {
        let (estimate, point_only, baseline_only) = paired_estimate(cells, n, z);
        let at = |bits: usize| (0..16).filter(|c| c & bits == bits).map(|c| cells[c]).sum::<u64>();
        LevelVersusBaseline {
            level: level.to_string(),
            threshold,
            chance: (at(0b10) > 0).then(|| crate::stats::Proportion::new(at(0b11), at(0b10))),
            estimate,
            point_only,
            baseline_only,
        }
    }
}

/// Paired counts of one measure's levels (an income a year, an engaged
/// audience) at several points against a baseline, on the same trials:
/// `cells[point][level]` holds the 16 cells of [`paired_cell`] (reached at
/// the point, counted there, reached at the baseline, counted there).
/// Mergeable and checked; what counterfactual edits and sweeps keep of their
/// money levels. The associated functions work on the two parts held apart
/// (a sweep's income, whose record names them `income_levels` and
/// `income_pairs`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PairedLevels {
    /// The levels' thresholds.
    pub levels: Vec<f64>,
    /// Per point, per level, the 16 paired cells.
    pub cells: Vec<Vec<[u64; 16]>>,
}

impl PairedLevels {
    /// Zero counts of `levels` at `points` points (no points when there are no levels).
    pub fn new(levels: Vec<f64>, points: usize) -> Self {
        let points = if levels.is_empty() { 0 } else { points };
        PairedLevels { cells: vec![vec![[0; 16]; levels.len()]; points], levels }
    }

    /// Whether it counts nothing (no levels).
    pub fn is_empty(&self) -> bool {
        self.cells.is_empty()
    }

    /// Counts one trial: each point's value (`None` where the trial is not
    /// counted there) against the baseline's.
    pub fn record(&mut self, values: impl IntoIterator<Item = Option<f64>>, baseline: Option<f64>) {
        Self::record_into(&self.levels, &mut self.cells, values, baseline);
    }

    /// [`PairedLevels::record`] on the parts held apart.
    pub fn record_into(
        levels: &[f64],
        cells: &mut [Vec<[u64; 16]>],
        values: impl IntoIterator<Item = Option<f64>>,
        baseline: Option<f64>,
    ) {
        for (value, cells) in values.into_iter().zip(cells.iter_mut()) {
            for (&level, cells) in levels.iter().zip(cells.iter_mut()) {
                cells[paired_cell(value.map(|x| x >= level), baseline.map(|x| x >= level))] += 1;
            }
        }
    }

    /// Adds `other`'s counts (of the same shape, [`PairedLevels::same_shape`]).
    pub fn merge(&mut self, other: &PairedLevels) {
        Self::merge_into(&mut self.cells, &other.cells);
    }

    /// [`PairedLevels::merge`] on the cells held apart.
    pub fn merge_into(cells: &mut [Vec<[u64; 16]>], other: &[Vec<[u64; 16]>]) {
        for (a, b) in cells.iter_mut().zip(other) {
            for (a, b) in a.iter_mut().zip(b) {
                a.iter_mut().zip(b).for_each(|(x, y)| *x += y);
            }
        }
    }

    /// Whether `other` counts the same levels at as many points.
    pub fn same_shape(&self, other: &PairedLevels) -> bool {
        self.levels == other.levels
            && self.cells.len() == other.cells.len()
            && self.cells.iter().zip(&other.cells).all(|(a, b)| a.len() == b.len())
    }

    /// None, or `points` lists of a level's cells each, every level's cells
    /// adding up to `trials`; `what` names the measure in the error.
    pub fn check(&self, points: usize, trials: u64, what: &str) -> Result<(), String> {
        Self::check_cells(&self.levels, &self.cells, points, trials, what)
    }

    /// [`PairedLevels::check`] on the parts held apart.
    pub fn check_cells(
        levels: &[f64],
        cells: &[Vec<[u64; 16]>],
        points: usize,
        trials: u64,
        what: &str,
    ) -> Result<(), String> {
        if cells.is_empty() {
            return Ok(());
        }
        if cells.len() != points {
            return Err(format!("it pairs {what} at {} points, its points are {points}", cells.len()));
        }
        for (k, at) in cells.iter().enumerate() {
            if at.len() != levels.len() {
                return Err(format!("point {k} pairs {} {what} levels of {}", at.len(), levels.len()));
            }
            for (level, cells) in levels.iter().zip(at) {
                if cells.iter().try_fold(0u64, |a, &c| a.checked_add(c)) != Some(trials) {
                    return Err(format!(
                        "point {k}'s paired counts of {what} {level} do not add up to its {trials} trials"
                    ));
                }
            }
        }
        Ok(())
    }

    /// Point `point`'s levels against the baseline, named by `names` (the
    /// levels' `(name, threshold)` in order), over `n` trials at the
    /// two-sided normal quantile `z`; empty when nothing is counted.
    pub fn report(&self, point: usize, names: &[(String, f64)], n: u64, z: f64) -> Vec<LevelVersusBaseline> {
        Self::report_cells(self.cells.get(point).map_or(&[][..], Vec::as_slice), names, n, z)
    }

    /// [`PairedLevels::report`] of one point's cells held apart.
    pub fn report_cells(
        cells: &[[u64; 16]],
        names: &[(String, f64)],
        n: u64,
        z: f64,
    ) -> Vec<LevelVersusBaseline> {
        names
            .iter()
            .zip(cells)
            .map(|((name, level), cells)| LevelVersusBaseline::of(name, *level, cells, n, z))
            .collect()
    }
}

/// The paired and unpaired difference of one tier's chances from the 16
/// joint counts of `(a_P, m_P, a_B, m_B)`: cell `c` counts the trials whose
/// bit 0 is `a_P` (reached at the point), bit 1 `m_P` (counted at the
/// point), bit 2 `a_B` and bit 3 `m_B` (the same at the baseline); `n`
/// trials in all; intervals at the level whose two-sided normal quantile
/// is `z` (e.g. 1.96 for 95%).
pub fn paired_difference(tier: Tier, cells: &[u64; 16], n: u64, z: f64) -> PairedDifference {
    let (estimate, point_only, baseline_only) = paired_estimate(cells, n, z);
    PairedDifference { tier, estimate, point_only, baseline_only }
}

/// [`paired_difference`] of any level (a tier's, an income's): the
/// difference with its intervals (`None` when either point counted no
/// trial), and the discordant trials, point only and baseline only.
pub fn paired_estimate(cells: &[u64; 16], n: u64, z: f64) -> (Option<DifferenceEstimate>, u64, u64) {
    let confidence =
        1.0 - 2.0 * statrs::distribution::ContinuousCDF::cdf(&statrs::distribution::Normal::standard(), -z);
    let bit = |cell: usize, k: usize| ((cell >> k) & 1) as f64;
    let total = |k: usize| cells.iter().enumerate().map(|(c, &count)| bit(c, k) * count as f64).sum::<f64>();
    let (hits_p, counted_p, hits_b, counted_b) = (total(0), total(1), total(2), total(3));
    let count = |pred: &dyn Fn(usize) -> bool| (0..16).filter(|&c| pred(c)).map(|c| cells[c]).sum::<u64>();
    let point_only = count(&|c| bit(c, 0) == 1.0 && bit(c, 2) == 0.0);
    let baseline_only = count(&|c| bit(c, 0) == 0.0 && bit(c, 2) == 1.0);
    if counted_p == 0.0 || counted_b == 0.0 || n < 2 {
        return (None, point_only, baseline_only);
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
    let paired_se = se(paired);
    let unpaired_se = (se(alone_p).powi(2) + se(alone_b).powi(2)).sqrt();
    // The trials counted at both points, as a 2 x 2 table, when they are the
    // same trials (a trial hits only where it counts, so bits 0 and 2 of a
    // counted cell are its outcomes).
    let same_counted = (0..16).all(|c| cells[c] == 0 || bit(c, 1) == bit(c, 3));
    let w_p = wilson(hits_p as u64, counted_p as u64, confidence);
    let w_b = wilson(hits_b as u64, counted_b as u64, confidence);
    let unpaired = (
        difference - ((p_p - w_p.lower).powi(2) + (w_b.upper - p_b).powi(2)).sqrt(),
        difference + ((w_p.upper - p_p).powi(2) + (p_b - w_b.lower).powi(2)).sqrt(),
    );
    let (interval, method, widened, exact) = if same_counted {
        let matched =
            |a_p: f64, a_b: f64| count(&|c| bit(c, 1) == 1.0 && bit(c, 0) == a_p && bit(c, 2) == a_b);
        let table = PairedCounts {
            both: matched(1.0, 1.0),
            point_only: matched(1.0, 0.0),
            baseline_only: matched(0.0, 1.0),
            neither: matched(0.0, 0.0),
        };
        let (interval, widened) = table.reported(confidence);
        (interval, DifferenceMethod::NewcombePaired, widened, Some(table.mcnemar()))
    } else {
        (unpaired, DifferenceMethod::UnpairedScore, false, None)
    };
    (
        Some(DifferenceEstimate {
            difference,
            lower: interval.0,
            upper: interval.1,
            method,
            widened,
            exact_p: exact.map(|e| e.0),
            mid_p: exact.map(|e| e.1),
            std_error: paired_se,
            unpaired_std_error: unpaired_se,
            unpaired_lower: unpaired.0,
            unpaired_upper: unpaired.1,
        }),
        point_only,
        baseline_only,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(a: u64, b: u64, c: u64, d: u64) -> PairedCounts {
        PairedCounts { both: a, point_only: b, baseline_only: c, neither: d }
    }

    // Cavo et al. (2012), complete response before and after consolidation
    // therapy, (a, b, c, d) = (59, 6, 16, 80): the worked example of
    // Fagerland, Lydersen & Laake (2017, ch. 8), whose R package
    // `contingencytables` gives Newcombe [-0.1186, -0.0046], Tango [-0.1240,
    // -0.0054], McNemar exact p 0.052479 and mid-p 0.034690.
    const CAVO: PairedCounts = PairedCounts { both: 59, point_only: 6, baseline_only: 16, neither: 80 };
    const Z95: f64 = 1.959963984540054;

    #[test]
    fn newcombe_tango_and_mcnemar_match_the_published_example() {
        let (lower, upper) = CAVO.newcombe(0.95);
        assert!((lower + 0.1186).abs() < 5e-5 && (upper + 0.0046).abs() < 5e-5, "[{lower}, {upper}]");
        let (lower, upper) = CAVO.tango(Z95);
        assert!((lower + 0.1240).abs() < 5e-5 && (upper + 0.0054).abs() < 5e-5, "[{lower}, {upper}]");
        let (p, mid) = CAVO.mcnemar();
        assert!((p - 0.052479).abs() < 5e-7 && (mid - 0.034690).abs() < 5e-7, "{p} {mid}");
        // Newcombe's excludes 0 here but the exact test does not reject: the
        // reported interval reaches 0.
        let ((lower, upper), widened) = CAVO.reported(0.95);
        assert!(widened && upper == 0.0 && (lower + 0.1186).abs() < 5e-5, "[{lower}, {upper}]");
    }

    #[test]
    fn tango_matches_propcis() {
        // R PropCIs 0.3-0 `scoreci.mp(b, c, n)`, which is for (c - b) / n:
        // here point_only = c and baseline_only = b (agreement to its 1e-6).
        for (point_only, baseline_only, n, lower, upper) in [
            (20, 40, 160, -0.21806423366069794, -0.030864588916301727),
            (0, 0, 100, -0.03699350357055664, 0.036993443965911865),
            (7, 1, 50, 0.011619682312011706, 0.24658078670501707),
            (5, 0, 25, 0.04016923904418947, 0.3913094520568848),
            (0, 50, 50, -1.0, -0.8573047518730164),
            (4, 11, 320, -0.04968377873301506, 0.00209718327969313),
        ] {
            let t = table(0, point_only, baseline_only, n - point_only - baseline_only);
            let (l, u) = t.tango(Z95);
            assert!((l - lower).abs() < 2e-6 && (u - upper).abs() < 2e-6, "{t:?}: [{l}, {u}]");
        }
    }

    #[test]
    fn mcnemar_exact_and_mid_p_match_their_binomial_sums() {
        // 4 against 0: p = 2 / 16 = 0.125, mid-p = 2 (1/16 - 1/32) = 0.0625.
        let (p, mid) = mcnemar(4, 0);
        assert!((p - 0.125).abs() < 1e-12 && (mid - 0.0625).abs() < 1e-12, "{p} {mid}");
        // 1 against 7 (m = 8): P(X <= 1) = 9/256, P(X = 1) = 8/256:
        // p = 18/256, mid-p = 2 (9 - 4)/256 = 10/256.
        let (p, mid) = mcnemar(1, 7);
        assert!((p - 18.0 / 256.0).abs() < 1e-12 && (mid - 10.0 / 256.0).abs() < 1e-12, "{p} {mid}");
        assert_eq!(mcnemar(0, 0), (1.0, 1.0));
        assert_eq!(mcnemar(5, 5).0, 1.0);
        // Large counts stay finite and in range.
        let (p, mid) = mcnemar(100_000, 99_000);
        assert!(p > 0.0 && p < 0.05 && mid <= p, "{p} {mid}");
    }

    #[test]
    fn no_discordant_trial_gives_an_interval_of_positive_width_around_zero() {
        for n in [50u64, 1000, 1_000_000] {
            for both in [0, 7] {
                let t = table(both, 0, 0, n - both);
                let ((lower, upper), _) = t.reported(0.95);
                assert!(lower < 0.0 && upper > 0.0, "n {n}: [{lower}, {upper}]");
                let (tl, tu) = t.tango(Z95);
                assert!(tl < 0.0 && tu > 0.0, "tango n {n}: [{tl}, {tu}]");
                let (dl, du) = t.delta(Z95);
                assert_eq!(dl, du, "the delta method is zero-width here");
            }
        }
    }

    #[test]
    fn k_against_none_contains_zero_exactly_when_the_exact_test_does_not_reject() {
        // The attribution case of the issue: 4 against 0 among a million.
        for k in 0..12u64 {
            for both in [0u64, 100] {
                let t = table(both, k, 0, 1_000_000 - both - k);
                let ((lower, upper), _) = t.reported(0.95);
                let (p, _) = t.mcnemar();
                assert!(lower < upper, "k {k}");
                if p > 0.05 {
                    assert!(lower <= 0.0 && 0.0 <= upper, "k {k}, p {p}: [{lower}, {upper}]");
                }
            }
        }
        // And the delta method excludes 0 at 4 against 0 (the defect).
        let (dl, _) = table(0, 4, 0, 999_996).delta(Z95);
        assert!(dl > 0.0);
    }

    #[test]
    fn a_plain_cell_table_reduces_to_the_two_by_two() {
        // Cells with every trial counted (bits 1 and 3 set): 0b1010 plus outcomes.
        let mut cells = [0u64; 16];
        cells[0b1111] = 12; // both
        cells[0b1011] = 2; // point only
        cells[0b1110] = 1; // baseline only
        cells[0b1010] = 14; // neither
        let d = paired_difference(Tier::Micro, &cells, 29, Z95);
        let e = d.estimate.unwrap();
        assert_eq!((d.point_only, d.baseline_only), (2, 1));
        assert_eq!(e.method, DifferenceMethod::NewcombePaired);
        let (lower, upper) = table(12, 2, 1, 14).newcombe(0.95);
        assert!((e.lower - lower).abs() < 1e-10 && (e.upper - upper).abs() < 1e-10);
        assert!(!e.widened && e.lower < 0.0 && e.upper > 0.0);
        assert_eq!(e.exact_p.unwrap(), 1.0);
    }
}
