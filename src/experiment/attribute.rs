//! Attribution: how much of success is talent, effort, timing, niche and luck.
//!
//! Three analyses, each a [`Model`] on the one [`crate::runner::Runner`] (so reproducible bit
//! for bit on any number of threads), on any model that says what its
//! inputs are ([`FactorModel`]): the Career model ([`CareerFactors`]) and two
//! reference functions with exact answers ([`Ishigami`], [`Additive`]).
//!
//! # Sobol indices (Saltelli 2010 design, Jansen 1999 total order)
//!
//! Inputs `X = (talent, effort, entry day, niche, luck)`, luck being one
//! group: every luck stream of a career ([`crate::random`]), entered through
//! its key. Output `Y`: `log10(1 + final followers)`, or the indicator of
//! reaching a tier. One row `r` of the design draws two independent points
//! `A` (trial `2r` of the seed's streams) and `B` (trial `2r + 1`); `AB_i` is
//! `A` with input `i` taken from `B` (for luck: `A`'s traits on `B`'s luck
//! streams). A row costs `k + 2` careers. Over `N` rows:
//!
//! ```text
//! V     = mean((f(A)² + f(B)²) / 2) - mean((f(A) + f(B)) / 2)²
//! S_i   = mean((f(B) - Ȳ) (f(AB_i) - f(A))) / V        first order (Saltelli 2010)
//! ST_i  = mean((f(A) - f(AB_i))²) / (2 V)              total (Jansen 1999)
//! ```
//!
//! `S_i` is the share of `Var(Y)` that input `i` explains alone,
//! `Var(E[Y | X_i]) / Var(Y)`; `ST_i` the share it has a hand in, with every
//! interaction, `E[Var(Y | X_~i)] / Var(Y)`. Centring `f(B)` on the mean `Ȳ`
//! of the `A` and `B` values changes nothing in expectation (`f(AB_i) - f(A)`
//! has mean 0) and cuts the estimator's variance when `|Ȳ|` is large.
//! Every index is a smooth function of means over rows, so its standard
//! error comes from the delta method over rows ([`CrossMoments`]), with a 95%
//! normal interval; so does the sum of the first-order indices
//! (`1 - sum` is the share of interactions).
//!
//! A tier's indicator gets indices only when the `A` and `B` points hold at
//! least `min_hits` hits and as many misses: with fewer the variance is too
//! rough to divide by. Even then a rare tier's `S_i` can rest on a handful of
//! rows (those where `B` reaches the tier and `AB_i` differs from `A`: about
//! `N (S_i P (1 - P) + P²)`), where its normal interval does not hold; each
//! index carries its support ([`IndexSupport`]) and is trusted only with at
//! least [`MIN_INDEX_SUPPORT`] rows (measured: docs/VALIDATION.md,
//! "Attribution of rare tiers").
//!
//! # Re-running history (after Salganik, Dodds & Watts 2006)
//!
//! Keep each creator's traits and replay their luck `K` times (branches
//! `0..K` of the trial's streams: traits keep branch 0, luck gets a new
//! stream per branch). With `y_j` the output of replay `j` of one creator:
//!
//! * the traits' share of the variance `Var(E[Y | traits]) / Var(Y) = 1 -
//!   E[Var(Y | traits)] / Var(Y)`, the closed Sobol index of the traits
//!   together (1 minus it is luck's total index), estimated with the
//!   unbiased within-creator variance `sum_j (y_j - ȳ)² / (K - 1)`;
//! * for a tier, `P(reach in a replay | reached in another)` against
//!   `P(reach)`: with `H` a creator's hits in `K` replays, the first is
//!   `E[H (H - 1)] / E[(K - 1) H]` (every ordered pair of replays), the
//!   second `E[H] / K`; their ratio (the lift) says how much one success
//!   predicts another: 1 when luck is everything;
//! * Spearman's rank correlation of the output between replays 0 and 1, with
//!   the Fisher-z interval of Bonett & Wright (2000), standard error
//!   `sqrt((1 + rho²/2) / (n - 3))` on the z scale.
//!
//! # Counterfactuals on the same luck
//!
//! [`Counterfactuals`]: each creator runs as drawn and with each
//! [`TraitEdit`] (talent + 0.1, twice the effort, joining five years earlier:
//! any edit, as data), every run on the same luck streams. The difference in
//! every tier's odds comes with the paired interval (driven by the discordant
//! creators, as in [`crate::study::sweep`]) and, beside it, the interval
//! had the two runs used independent luck. An edit that changes nothing
//! gives exactly 0 with standard error 0.

use crate::error::FieldError;
use crate::model::career::{CREATOR_TRAITS, Career, CareerModel, Creator};
use crate::model::inputs::Inputs as _;
use crate::model::{MAX_TRIALS, Model, Summary};
use crate::random::{Source, TrialStreams};
use crate::stats::{
    CrossMoments, Estimate, LevelVersusBaseline, Moments, PairedDifference, PairedLevels, Proportion,
    RankTable, normal_quantile_two_sided, paired_cell, paired_difference,
};
use crate::tier::{TIER_COUNT, Tier};
use rand::RngExt;
use rand_distr::StandardNormal;
use serde::{Deserialize, Serialize};

/// A model whose inputs can be told apart: traits drawn once per trial, each
/// separately replaceable, and (optionally) luck, given by the keyed streams
/// it evaluates on. The attribution analyses run on any such model.
pub trait FactorModel: Sync {
    /// One draw of every trait.
    type Traits: Clone + Send + Sync;

    /// The names of the traits, in input order.
    fn trait_names(&self) -> Vec<String>;
    /// Whether the output depends on the luck streams (then "luck" is an
    /// input group after the traits).
    fn has_luck(&self) -> bool;
    /// The names of the outputs.
    fn output_names(&self) -> Vec<String>;
    /// Whether output `index` is an indicator (0 or 1), such as reaching a tier.
    fn is_indicator(&self, index: usize) -> bool;
    /// Draws every trait from a trial's trait streams.
    fn draw_traits(&self, streams: &TrialStreams) -> Self::Traits;
    /// Replaces trait `index` of `traits` with that of `from`.
    fn take_trait(&self, traits: &mut Self::Traits, from: &Self::Traits, index: usize);
    /// Evaluates the outputs for `traits` on the luck streams of `luck`,
    /// writing them into `out`; returns the simulated time (creator-days), or 0.
    fn evaluate(&self, traits: &Self::Traits, luck: &TrialStreams, out: &mut [f64]) -> u64;

    /// The input names: the traits, then "luck" if the model has luck.
    fn input_names(&self) -> Vec<String> {
        let mut names = self.trait_names();
        if self.has_luck() {
            names.push("luck".to_string());
        }
        names
    }
}

/// The Career model as a [`FactorModel`]: traits talent, effort, entry day
/// and niche; luck every luck stream; outputs `log10(1 + final followers)` and
/// the indicator of reaching each tier (first passage by the horizon); with
/// `[money]` `log10(1 + income)` and the indicator of each income level; with
/// `[engagement]` (or `[money]`) `log10(1 + engaged audience)` and the
/// indicator of each engaged-audience level (`1k engaged`).
#[derive(Debug, Clone)]
pub struct CareerFactors {
    career: CareerModel,
    /// With `[money]`, its income levels (name, amount a year).
    income: Vec<(String, f64)>,
    /// With `[engagement]` (or `[money]`), its engaged-audience levels
    /// (name, engagements a post).
    audience: Vec<(String, f64)>,
}

impl CareerFactors {
    /// The Career model's factors.
    pub fn new(career: CareerModel) -> Self {
        use crate::model::inputs::Levels as _;
        let income = career.income_levels().0;
        let audience = career.audience_levels();
        CareerFactors { career, income, audience }
    }

    /// The model.
    pub fn career(&self) -> &CareerModel {
        &self.career
    }

    /// The index of `log10(1 + income)` among the outputs, with `[money]`.
    fn log_income_at(&self) -> Option<usize> {
        (!self.income.is_empty()).then_some(1 + TIER_COUNT)
    }

    /// The index of `log10(1 + engaged audience)` among the outputs, with
    /// `[engagement]` (or `[money]`): after the income outputs.
    fn log_audience_at(&self) -> Option<usize> {
        let after_income = self.log_income_at().map_or(1 + TIER_COUNT, |at| at + 1 + self.income.len());
        (!self.audience.is_empty()).then_some(after_income)
    }
}

/// The name of output 0 of [`CareerFactors`].
pub const LOG_FOLLOWERS: &str = "log10(1+followers)";

/// With `[money]`, the output after the tiers: `log10(1 + income)` (a
/// negative income counted as 0), then each income level's indicator.
pub const LOG_INCOME: &str = "log10(1+income)";

/// With `[engagement]` (or `[money]`), the output after the income levels:
/// `log10(1 + engaged audience)` (engagements a post expected at the horizon,
/// [`crate::model::career::money::Earnings::engaged_audience`]), then each
/// engaged-audience level's indicator.
pub const LOG_ENGAGED: &str = "log10(1+engaged audience)";

impl FactorModel for CareerFactors {
    type Traits = Creator;

    fn trait_names(&self) -> Vec<String> {
        self.career.inputs().iter().map(|input| input.name.to_string()).collect()
    }
    fn has_luck(&self) -> bool {
        true
    }
    fn output_names(&self) -> Vec<String> {
        let log_income = self.log_income_at().map(|_| LOG_INCOME.to_string());
        let log_audience = self.log_audience_at().map(|_| LOG_ENGAGED.to_string());
        std::iter::once(LOG_FOLLOWERS.to_string())
            .chain(Tier::ALL.iter().map(|t| t.name().to_string()))
            .chain(log_income)
            .chain(self.income.iter().map(|(name, _)| name.clone()))
            .chain(log_audience)
            .chain(self.audience.iter().map(|(name, _)| name.clone()))
            .collect()
    }
    fn is_indicator(&self, index: usize) -> bool {
        index > 0 && Some(index) != self.log_income_at() && Some(index) != self.log_audience_at()
    }
    fn draw_traits(&self, streams: &TrialStreams) -> Creator {
        self.career.sample_creator(streams)
    }
    fn take_trait(&self, traits: &mut Creator, from: &Creator, index: usize) {
        traits.set_input(index, from.input(index));
    }
    fn evaluate(&self, creator: &Creator, luck: &TrialStreams, out: &mut [f64]) -> u64 {
        let career = self.career.simulate(luck, *creator, self.career.horizon_days(creator.entry_day));
        career_outputs(&career, out);
        let log10 = |x: f64| x.max(0.0).ln_1p() / std::f64::consts::LN_10;
        // A log value, then an indicator per level, from output `at` on.
        let mut put = |at: Option<usize>, value: f64, levels: &[(String, f64)]| {
            if let Some(at) = at {
                out[at] = log10(value);
                for (o, (_, level)) in out[at + 1..=at + levels.len()].iter_mut().zip(levels) {
                    *o = f64::from(u8::from(value >= *level));
                }
            }
        };
        let (income, audience) = career.earnings.map_or((0.0, 0.0), |e| (e.income, e.engaged_audience));
        put(self.log_income_at(), income, &self.income);
        put(self.log_audience_at(), audience, &self.audience);
        u64::from(career.career_days)
    }
}

/// Writes a career's outputs: `log10(1 + followers)`, then each tier reached (0 or 1).
fn career_outputs(career: &Career, out: &mut [f64]) {
    out[0] = (career.followers as f64).ln_1p() / std::f64::consts::LN_10;
    for (o, reached) in out[1..=TIER_COUNT].iter_mut().zip(&career.reached_day) {
        *o = f64::from(u8::from(reached.is_some()));
    }
}

/// The Ishigami function (Ishigami & Homma 1990), the standard check of
/// Sobol estimators: `Y = sin x1 + a sin² x2 + b x3⁴ sin x1` with `x1, x2, x3`
/// independent uniform on `[-pi, pi]` (all three drawn from the trial's
/// `Main` stream) and no luck. Its indices are known exactly
/// ([`Ishigami::exact`]); with `a = 7, b = 0.1`: `S = (0.3139, 0.4424, 0)`,
/// `ST = (0.5576, 0.4424, 0.2437)`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Ishigami {
    /// `a`, 7 in the usual test.
    pub a: f64,
    /// `b`, 0.1 in the usual test.
    pub b: f64,
}

impl Ishigami {
    /// The exact first-order and total indices of `x1, x2, x3`:
    /// `V = a²/8 + b pi⁴/5 + b² pi⁸/18 + 1/2`, `V1 = (1 + b pi⁴/5)² / 2`,
    /// `V2 = a²/8`, `V13 = b² pi⁸ (1/18 - 1/50)`, all other parts 0.
    pub fn exact(&self) -> ([f64; 3], [f64; 3]) {
        let pi4 = std::f64::consts::PI.powi(4);
        let v1 = 0.5 * (1.0 + self.b * pi4 / 5.0).powi(2);
        let v2 = self.a * self.a / 8.0;
        let v13 = self.b * self.b * pi4 * pi4 * (1.0 / 18.0 - 1.0 / 50.0);
        let v = v1 + v2 + v13;
        ([v1 / v, v2 / v, 0.0], [(v1 + v13) / v, v2 / v, v13 / v])
    }
}

impl FactorModel for Ishigami {
    type Traits = [f64; 3];

    fn trait_names(&self) -> Vec<String> {
        ["x1", "x2", "x3"].map(String::from).to_vec()
    }
    fn has_luck(&self) -> bool {
        false
    }
    fn output_names(&self) -> Vec<String> {
        vec!["y".to_string()]
    }
    fn is_indicator(&self, _: usize) -> bool {
        false
    }
    fn draw_traits(&self, streams: &TrialStreams) -> [f64; 3] {
        let mut rng = streams.rng(Source::Main);
        let pi = std::f64::consts::PI;
        [0; 3].map(|_| rng.random_range(-pi..pi))
    }
    fn take_trait(&self, traits: &mut [f64; 3], from: &[f64; 3], index: usize) {
        traits[index] = from[index];
    }
    fn evaluate(&self, x: &[f64; 3], _: &TrialStreams, out: &mut [f64]) -> u64 {
        out[0] = x[0].sin() + self.a * x[1].sin().powi(2) + self.b * x[2].powi(4) * x[0].sin();
        0
    }
}

/// An additive model with known variance shares:
/// `Y = sum_i w_i x_i + luck_weight e`, each `x_i` standard normal from its
/// own trait stream (talent, effort, entry day, niche: at most four), `e`
/// standard normal from the `Reach` luck stream. Exactly `S_i = ST_i =
/// w_i² / V`, and luck's `luck_weight² / V`, with `V = sum w_i² + luck_weight²`.
/// A second output is the indicator `Y > 0`.
///
/// With `luck_weight = 0` it is deterministic given its traits (every
/// replay agrees); with every `w_i = 0` its traits do nothing.
#[derive(Debug, Clone, PartialEq)]
pub struct Additive {
    /// The weights of the traits (one to four).
    pub weights: Vec<f64>,
    /// The weight of luck.
    pub luck_weight: f64,
}

impl Additive {
    /// The exact share of the variance of `Y` due to each input (traits, then luck).
    pub fn exact(&self) -> Vec<f64> {
        let v = self.variance();
        self.weights.iter().chain(std::iter::once(&self.luck_weight)).map(|w| w * w / v).collect()
    }

    /// `V = Var(Y) = sum w_i² + luck_weight²`.
    pub fn variance(&self) -> f64 {
        self.weights.iter().map(|w| w * w).sum::<f64>() + self.luck_weight * self.luck_weight
    }

    /// `Y` for traits `x` on the luck of `luck`.
    fn sum(&self, x: &[f64; 4], luck: &TrialStreams) -> f64 {
        let e: f64 = luck.rng(Source::Reach).sample(StandardNormal);
        self.weights.iter().zip(x).map(|(w, x)| w * x).sum::<f64>() + self.luck_weight * e
    }
}

impl FactorModel for Additive {
    type Traits = [f64; 4];

    fn trait_names(&self) -> Vec<String> {
        (1..=self.weights.len().min(4)).map(|i| format!("x{i}")).collect()
    }
    fn has_luck(&self) -> bool {
        true
    }
    fn output_names(&self) -> Vec<String> {
        vec!["y".to_string(), "y>0".to_string()]
    }
    fn is_indicator(&self, index: usize) -> bool {
        index == 1
    }
    fn draw_traits(&self, streams: &TrialStreams) -> [f64; 4] {
        Source::TRAITS.map(|s| streams.rng(s).sample(StandardNormal))
    }
    fn take_trait(&self, traits: &mut [f64; 4], from: &[f64; 4], index: usize) {
        traits[index] = from[index];
    }
    fn evaluate(&self, x: &[f64; 4], luck: &TrialStreams, out: &mut [f64]) -> u64 {
        let y = self.sum(x, luck);
        out[0] = y;
        out[1] = f64::from(u8::from(y > 0.0));
        0
    }
}

/// A rare indicator with exact indices: `Y = 1{L > t}` with `L` the
/// [`Additive`] model's sum, `L = sum_i w_i x_i + luck_weight e` (standard
/// normal inputs, variance `sigma² = sum w_i² + luck_weight²`). It checks the
/// Sobol and replay intervals of tiers reached by few creators, where
/// `P(Y = 1) = 1 - Phi(t / sigma)` is as small as the threshold makes it.
/// One output, `y>t`, an indicator.
///
/// Exactly (with `tau = t / sigma` and `rho_S` the share of `sigma²` of the
/// inputs `S`): `E[Y | X_S] = Phi((sqrt(rho_S) Z - tau) / sqrt(1 - rho_S))`
/// with `Z` standard normal, so `Var(E[Y | X_S]) = q(rho_S) - P²`,
///
/// ```text
/// q(rho) = E[ Phi((sqrt(rho) Z - tau) / sqrt(1 - rho))² ]     (q(0) = P², q(1) = P)
/// S_i    = (q(rho_i) - P²) / (P (1 - P))
/// ST_i   = 1 - (q(1 - rho_i) - P²) / (P (1 - P))
/// traits' share = (q(rho_traits) - P²) / (P (1 - P)),  P(Y = 1 in a replay | in another) = q(rho_traits) / P
/// ```
///
/// `q` is a one-dimensional integral, computed by the trapezoid rule on a fine
/// grid ([`Threshold::exact`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Threshold {
    /// The sum `L` and its inputs.
    pub additive: Additive,
    /// The threshold `t`.
    pub threshold: f64,
}

/// The exact answers of a [`Threshold`] model.
#[derive(Debug, Clone, PartialEq)]
pub struct ThresholdExact {
    /// `P(Y = 1)`.
    pub odds: f64,
    /// `S_i` of each input (traits, then luck).
    pub first_order: Vec<f64>,
    /// `ST_i` of each input (traits, then luck).
    pub total: Vec<f64>,
    /// `Var(E[Y | traits]) / Var(Y)`.
    pub traits_share: f64,
    /// `P(Y = 1 in a replay | Y = 1 in another replay of the same traits)`.
    pub given_another: f64,
}

impl Threshold {
    /// The exact indices (type docs).
    pub fn exact(&self) -> ThresholdExact {
        use statrs::distribution::{ContinuousCDF as _, Normal};
        let normal = Normal::standard();
        let shares = self.additive.exact();
        let sigma = self.additive.variance().sqrt();
        let tau = self.threshold / sigma;
        let p = normal.cdf(-tau);
        let q = |rho: f64| -> f64 {
            if rho <= 0.0 {
                return p * p;
            }
            if rho >= 1.0 {
                return p;
            }
            // The integrand's step is sqrt(1 - rho) wide: a grid of a
            // hundredth of that (and of 1e-3) over [-12, 12] is exact to far
            // below any Monte Carlo error.
            let h = (1e-3f64).min((1.0 - rho).sqrt() / 100.0);
            let n = (24.0 / h).ceil() as usize;
            let h = 24.0 / n as f64;
            let (a, b) = (rho.sqrt(), (1.0 - rho).sqrt());
            let f = |z: f64| {
                let phi = (-0.5 * z * z).exp() / (2.0 * std::f64::consts::PI).sqrt();
                phi * normal.cdf((a * z - tau) / b).powi(2)
            };
            let inner: f64 = (1..n).map(|j| f(-12.0 + j as f64 * h)).sum();
            h * (inner + 0.5 * (f(-12.0) + f(12.0)))
        };
        let v = p * (1.0 - p);
        let first_order = shares.iter().map(|&r| (q(r) - p * p) / v).collect();
        let total = shares.iter().map(|&r| 1.0 - (q(1.0 - r) - p * p) / v).collect();
        let rho_traits: f64 = shares[..shares.len() - 1].iter().sum();
        let q_traits = q(rho_traits);
        ThresholdExact {
            odds: p,
            first_order,
            total,
            traits_share: (q_traits - p * p) / v,
            given_another: q_traits / p,
        }
    }
}

impl FactorModel for Threshold {
    type Traits = [f64; 4];

    fn trait_names(&self) -> Vec<String> {
        self.additive.trait_names()
    }
    fn has_luck(&self) -> bool {
        true
    }
    fn output_names(&self) -> Vec<String> {
        vec!["y>t".to_string()]
    }
    fn is_indicator(&self, _: usize) -> bool {
        true
    }
    fn draw_traits(&self, streams: &TrialStreams) -> [f64; 4] {
        self.additive.draw_traits(streams)
    }
    fn take_trait(&self, traits: &mut [f64; 4], from: &[f64; 4], index: usize) {
        self.additive.take_trait(traits, from, index);
    }
    fn evaluate(&self, x: &[f64; 4], luck: &TrialStreams, out: &mut [f64]) -> u64 {
        out[0] = f64::from(u8::from(self.additive.sum(x, luck) > self.threshold));
        0
    }
}

// ---------------------------------------------------------------------------
// Sobol indices
// ---------------------------------------------------------------------------

/// Sobol indices of a [`FactorModel`]: one trial is one row of the Saltelli
/// design (module docs), `k + 2` evaluations.
///
/// ```
/// use clout::experiment::attribute::{Ishigami, Sobol};
/// use clout::{Model, Runner};
/// let sobol = Sobol::new(Ishigami { a: 7.0, b: 0.1 }, 100);
/// let report = sobol.report(&Runner::new(1).run(&sobol, 20_000).summary);
/// let x2 = report.outputs[0].input("x2").unwrap();
/// // S1 of x2 is exactly 0.4424.
/// assert!((x2.first_order.value - 0.4424).abs() < 4.0 * x2.first_order.std_error);
/// ```
#[derive(Debug, Clone)]
pub struct Sobol<F> {
    model: F,
    min_hits: u64,
    shape: Shape,
}

/// How many traits, inputs and outputs a [`FactorModel`] has, read once
/// (the names are allocated strings; trials only need the counts).
#[derive(Debug, Clone, Copy)]
struct Shape {
    traits: usize,
    inputs: usize,
    outputs: usize,
}

impl Shape {
    fn of<F: FactorModel>(model: &F) -> Shape {
        let traits = model.trait_names().len();
        Shape { traits, inputs: traits + usize::from(model.has_luck()), outputs: model.output_names().len() }
    }
}

impl<F: FactorModel> Sobol<F> {
    /// Sobol indices of `model`; indicator outputs get indices only with at
    /// least `min_hits` hits and as many misses among the `A` and `B` points.
    pub fn new(model: F, min_hits: u64) -> Self {
        let shape = Shape::of(&model);
        Sobol { model, min_hits, shape }
    }

    /// The inputs resampled (the traits, and luck when the model has it):
    /// a row evaluates the model `inputs + 2` times.
    pub fn inputs(&self) -> usize {
        self.shape.inputs
    }
}

/// One row of the Saltelli design: per output, `f(A), f(B), f(AB_1) .. f(AB_k)`.
#[derive(Debug, Clone, PartialEq)]
pub struct SobolRow {
    /// The values, output by output.
    pub values: Vec<f64>,
    /// Simulated time of the row's evaluations.
    pub work: u64,
}

impl<F: FactorModel> Model for Sobol<F> {
    type Outcome = SobolRow;
    type Summary = SobolSummary;
    type Report = SobolReport;

    fn sample_trial(&self, streams: &TrialStreams) -> SobolRow {
        let (seed, row) = (streams.seed(), streams.trial());
        let a_streams = TrialStreams::new(seed, row.wrapping_mul(2));
        let b_streams = TrialStreams::new(seed, row.wrapping_mul(2).wrapping_add(1));
        let m = &self.model;
        let Shape { traits, inputs: k, outputs } = self.shape;
        let width = k + 2;
        let mut values = vec![0.0; outputs * width];
        let mut out = vec![0.0; outputs];
        let mut work = 0;
        let mut put = |column: usize, out: &[f64]| {
            for (o, v) in out.iter().enumerate() {
                values[o * width + column] = *v;
            }
        };
        let a = m.draw_traits(&a_streams);
        let b = m.draw_traits(&b_streams);
        work += m.evaluate(&a, &a_streams, &mut out);
        put(0, &out);
        work += m.evaluate(&b, &b_streams, &mut out);
        put(1, &out);
        for i in 0..traits {
            let mut ab = a.clone();
            m.take_trait(&mut ab, &b, i);
            work += m.evaluate(&ab, &a_streams, &mut out);
            put(2 + i, &out);
        }
        if m.has_luck() {
            work += m.evaluate(&a, &b_streams, &mut out);
            put(2 + traits, &out);
        }
        SobolRow { values, work }
    }

    fn new_summary(&self) -> SobolSummary {
        let Shape { inputs: k, outputs, .. } = self.shape;
        SobolSummary {
            rows: 0,
            inputs: k,
            moments: vec![CrossMoments::new(2 + 3 * k); outputs],
            hits: vec![0; outputs],
        }
    }

    fn report(&self, summary: &SobolSummary) -> SobolReport {
        let names = self.model.input_names();
        let outputs = self
            .model
            .output_names()
            .into_iter()
            .enumerate()
            .map(|(o, name)| {
                let indicator = self.model.is_indicator(o);
                let hits = indicator.then_some(summary.hits[o]);
                let points = 2 * summary.rows;
                let enough = hits.is_none_or(|h| h >= self.min_hits && points - h >= self.min_hits);
                sobol_output(name, &summary.moments[o], &names, hits, enough, self.min_hits)
            })
            .collect();
        SobolReport {
            rows: summary.rows,
            evaluations_per_row: self.shape.inputs as u64 + 2,
            inputs: names,
            outputs,
        }
    }

    fn simulated_time(&self, row: &SobolRow) -> u64 {
        row.work
    }
}

/// Mergeable statistics of Sobol rows: per output, the cross moments of
/// `(a, s, u_1..u_k, d_1..d_k, t_1..t_k)` with `a = (f(A) + f(B))/2`,
/// `s = (f(A)² + f(B)²)/2`, `u_i = f(B) d_i`, `d_i = f(AB_i) - f(A)`,
/// `t_i = d_i²/2`; and the hits of indicator outputs among `A` and `B`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SobolSummary {
    rows: u64,
    inputs: usize,
    moments: Vec<CrossMoments>,
    hits: Vec<u64>,
}

impl SobolSummary {
    /// Whether `other` has this summary's shape (inputs, outputs, moment
    /// dimensions), so the two merge, and hits no more than its points.
    pub fn same_shape(&self, other: &SobolSummary) -> bool {
        self.inputs == other.inputs
            && self.moments.len() == other.moments.len()
            && self.hits.len() == other.hits.len()
            && self.moments.iter().zip(&other.moments).all(|(a, b)| b.has_dim(a.dim()))
            && other.hits.iter().all(|&h| h <= other.rows.saturating_mul(2))
    }
}

impl Summary<SobolRow> for SobolSummary {
    fn record(&mut self, row: &SobolRow) {
        let k = self.inputs;
        let width = k + 2;
        let mut z = vec![0.0; 2 + 3 * k];
        for (o, moments) in self.moments.iter_mut().enumerate() {
            let y = &row.values[o * width..(o + 1) * width];
            let (ya, yb) = (y[0], y[1]);
            z[0] = 0.5 * (ya + yb);
            z[1] = 0.5 * (ya * ya + yb * yb);
            for i in 0..k {
                let d = y[2 + i] - ya;
                z[2 + i] = yb * d;
                z[2 + k + i] = d;
                z[2 + 2 * k + i] = 0.5 * d * d;
            }
            moments.record(&z);
            self.hits[o] += u64::from(ya > 0.5) + u64::from(yb > 0.5);
        }
        self.rows += 1;
    }

    fn merge(&mut self, other: &Self) {
        self.rows += other.rows;
        self.moments.iter_mut().zip(&other.moments).for_each(|(a, b)| a.merge(b));
        self.hits.iter_mut().zip(&other.hits).for_each(|(a, b)| *a += b);
    }

    fn trials(&self) -> u64 {
        self.rows
    }
}

/// One input's Sobol indices.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InputIndices {
    /// The input (a trait, or "luck").
    pub input: String,
    /// First-order index `S_i` with its 95% interval.
    pub first_order: Estimate,
    /// Total index `ST_i` with its 95% interval.
    pub total: Estimate,
    /// False when resampling the input never changed the output in any row
    /// (the input is fixed in the scenario, or has no effect): both indices
    /// are then exactly 0.
    pub changes_output: bool,
    /// For an indicator output: how many rows the two estimates rest on.
    pub support: Option<IndexSupport>,
    /// Whether the interval of `S_i` can be trusted: always for an output
    /// that is not an indicator, else with a support of at least
    /// [`MIN_INDEX_SUPPORT`] rows.
    pub first_order_trusted: bool,
    /// Whether the interval of `ST_i` can be trusted (as `first_order_trusted`).
    pub total_trusted: bool,
}

/// The fewest rows an indicator's Sobol index must rest on ([`IndexSupport`])
/// for its normal interval to be trusted. Measured with the [`Threshold`]
/// model at odds 1e-2 and 1e-3 (`cargo run --release --example
/// sobol_coverage`, 400 studies a cell): the 95% intervals of `S_i` and
/// `ST_i` resting on fewer than 5 rows cover 0.55 to 0.62 of the time, on 5
/// to 19 rows 0.90 to 0.99, on 20 rows or more 0.89 to 0.96 (0.95 pooled).
pub const MIN_INDEX_SUPPORT: u64 = 20;

/// The fewest creators reaching an indicator in two replays or more for the
/// replays' traits' share and `P(reach | reached in another)` to be trusted.
/// Measured with the [`Threshold`] model (`cargo run --release --example
/// sobol_coverage`, 400 studies a cell): below 50 such creators the 95%
/// intervals cover 0.58 to 0.90 of the time; from 50 on 0.94 to 0.96.
pub const MIN_REPEAT_CREATORS: u64 = 50;

/// How many rows of the design an indicator's indices rest on: the rows
/// whose term of the estimator is not zero. With few of them the normal
/// interval does not hold (docs/VALIDATION.md, "Attribution of rare tiers").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct IndexSupport {
    /// Rows where `B` reaches the tier and resampling the input changes
    /// whether `A` does (the terms of `S_i`).
    pub first_order: u64,
    /// Rows where resampling the input changes whether `A` reaches the tier
    /// (the terms of `ST_i`).
    pub total: u64,
}

/// The Sobol indices of one output.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OutputIndices {
    /// The output.
    pub output: String,
    /// The output's mean over the `A` and `B` points (for a tier: its odds,
    /// with the Wilson score interval of its hits among the `2N` points).
    pub mean: Option<Estimate>,
    /// The output's variance.
    pub variance: Option<Estimate>,
    /// Hits among the `A` and `B` points, for an indicator output.
    pub hits: Option<u64>,
    /// Each input's indices; empty when the output has too few hits or no variance.
    pub indices: Vec<InputIndices>,
    /// The sum of the first-order indices (1 minus it: the share of interactions).
    pub sum_first_order: Option<Estimate>,
    /// Why there are no indices, if there are none.
    pub note: Option<String>,
    /// Values clamped in the accumulators (0 in any sound run).
    pub clamped: u64,
    /// Whether every interval of the output can be trusted: its indices
    /// (each `first_order_trusted` and `total_trusted`) and no clamped value.
    pub trusted: bool,
}

/// What a Sobol run found.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SobolReport {
    /// Rows of the design.
    pub rows: u64,
    /// Evaluations (careers) per row, `k + 2`.
    pub evaluations_per_row: u64,
    /// The inputs, in order.
    pub inputs: Vec<String>,
    /// Each output's indices.
    pub outputs: Vec<OutputIndices>,
}

impl SobolReport {
    /// The indices of the output named `name`.
    pub fn output(&self, name: &str) -> Option<&OutputIndices> {
        self.outputs.iter().find(|o| o.output == name)
    }
}

impl OutputIndices {
    /// The indices of the input named `name`.
    pub fn input(&self, name: &str) -> Option<&InputIndices> {
        self.indices.iter().find(|i| i.input == name)
    }
}

/// The indices of one output from its cross moments (module docs; gradients by hand).
fn sobol_output(
    output: String,
    m: &CrossMoments,
    names: &[String],
    hits: Option<u64>,
    enough: bool,
    min_hits: u64,
) -> OutputIndices {
    let k = names.len();
    let dim = m.dim();
    let (a, s) = (m.mean(0), m.mean(1));
    let v = s - a * a;
    let grad = |entries: &[(usize, f64)]| {
        let mut g = vec![0.0; dim];
        for &(i, x) in entries {
            g[i] += x;
        }
        g
    };
    // An indicator's odds: its hits among the 2N independent A and B points,
    // with the Wilson score interval (which holds at few hits).
    let mean = match hits {
        Some(h) => {
            let p = Proportion::new(h.min(2 * m.count()), 2 * m.count());
            (m.count() > 0).then_some(Estimate {
                value: p.estimate,
                std_error: p.std_error,
                confidence: p.confidence,
                lower: p.wilson.lower,
                upper: p.wilson.upper,
            })
        }
        None => m.delta(a, &grad(&[(0, 1.0)])),
    };
    let variance = m.delta(v, &grad(&[(0, -2.0 * a), (1, 1.0)]));
    let mut out = OutputIndices {
        output,
        mean,
        variance,
        hits,
        indices: Vec::new(),
        sum_first_order: None,
        note: None,
        clamped: m.clamped(),
        trusted: m.clamped() == 0,
    };
    if !enough {
        out.note = Some(format!("too few hits or misses (fewer than {min_hits}) for indices"));
        return out;
    }
    if m.count() < 2 || v.abs() <= 1e-12 * s.abs().max(1e-300) || v <= 0.0 {
        out.note = Some("the output does not vary: no indices".to_string());
        return out;
    }
    let mut sum_value = 0.0;
    let mut sum_grad = vec![0.0; dim];
    for (i, name) in names.iter().enumerate() {
        let (u, d, t) = (m.mean(2 + i), m.mean(2 + k + i), m.mean(2 + 2 * k + i));
        // S_i = (U - A D) / V, V = S - A².
        let num = u - a * d;
        let s_i = num / v;
        let g_first = grad(&[
            (2 + i, 1.0 / v),
            (2 + k + i, -a / v),
            (0, -d / v + 2.0 * a * num / (v * v)),
            (1, -num / (v * v)),
        ]);
        // ST_i = T / V.
        let st_i = t / v;
        let g_total = grad(&[(2 + 2 * k + i, 1.0 / v), (0, 2.0 * a * t / (v * v)), (1, -t / (v * v))]);
        sum_value += s_i;
        sum_grad.iter_mut().zip(&g_first).for_each(|(a, b)| *a += b);
        if let (Some(first_order), Some(total)) = (m.delta(s_i, &g_first), m.delta(st_i, &g_total)) {
            let changes_output = m.mean(2 + 2 * k + i) != 0.0;
            // For 0/1 outputs u_i and d_i are 0 or ±1: the sum of their
            // squares counts the rows where they are not zero.
            let support = out.hits.is_some().then(|| IndexSupport {
                first_order: m.sum_of_products(2 + i, 2 + i).round() as u64,
                total: m.sum_of_products(2 + k + i, 2 + k + i).round() as u64,
            });
            let trusted = |rows: fn(&IndexSupport) -> u64| {
                support.as_ref().is_none_or(|s| rows(s) >= MIN_INDEX_SUPPORT)
            };
            out.indices.push(InputIndices {
                input: name.clone(),
                first_order,
                total,
                changes_output,
                support,
                first_order_trusted: trusted(|s| s.first_order),
                total_trusted: trusted(|s| s.total),
            });
        }
    }
    out.sum_first_order = m.delta(sum_value, &sum_grad);
    out.trusted &= out.indices.iter().all(|i| i.first_order_trusted && i.total_trusted);
    out
}

// ---------------------------------------------------------------------------
// Re-running history
// ---------------------------------------------------------------------------

/// Cross moments kept per creator of a continuous output: the within-
/// creator variance `w`, the mean square `q` and the mean.
const VALUE_MOMENTS: usize = 3;

/// Cross moments kept per creator of an indicator output (reaching a
/// tier): those of a continuous one, then the pairs of replays that both
/// reach it and the creators' hit share (for "given another replay").
const INDICATOR_MOMENTS: usize = 5;

/// Luck replays of a [`FactorModel`]: one trial is one creator's traits, run
/// on `K` branches of luck (module docs).
#[derive(Debug, Clone)]
pub struct Replays<F> {
    model: F,
    replays: u32,
    min_hits: u64,
    outputs: usize,
}

impl<F: FactorModel> Replays<F> {
    /// `replays` (`K >= 2`) luck replays of each creator of `model`. An
    /// indicator output is reported only when at least `min_hits` creators
    /// hit in some replay and as many never do: with fewer, a handful of
    /// creators would decide every number.
    ///
    /// # Panics
    /// If `replays < 2` (a spec is validated before it gets here).
    pub fn new(model: F, replays: u32, min_hits: u64) -> Self {
        assert!(replays >= 2, "luck replays need K >= 2");
        let outputs = Shape::of(&model).outputs;
        Replays { model, replays, min_hits, outputs }
    }
}

/// One creator's replays: per output, the `K` values.
#[derive(Debug, Clone, PartialEq)]
pub struct ReplayRow {
    /// The values, output by output.
    pub values: Vec<f64>,
    /// Simulated time.
    pub work: u64,
}

impl<F: FactorModel> Model for Replays<F> {
    type Outcome = ReplayRow;
    type Summary = ReplaySummary;
    type Report = ReplayReport;

    fn sample_trial(&self, streams: &TrialStreams) -> ReplayRow {
        let traits = self.model.draw_traits(streams);
        let outputs = self.outputs;
        let k = self.replays as usize;
        let mut values = vec![0.0; outputs * k];
        let mut out = vec![0.0; outputs];
        let mut work = 0;
        for j in 0..k {
            work += self.model.evaluate(&traits, &streams.branch(j as u64), &mut out);
            for (o, v) in out.iter().enumerate() {
                values[o * k + j] = *v;
            }
        }
        ReplayRow { values, work }
    }

    fn new_summary(&self) -> ReplaySummary {
        let moments = (0..self.model.output_names().len())
            .map(|o| {
                CrossMoments::new(if self.model.is_indicator(o) { INDICATOR_MOMENTS } else { VALUE_MOMENTS })
            })
            .collect();
        let outputs = self.model.output_names().len();
        ReplaySummary {
            creators: 0,
            replays: self.replays as usize,
            moments,
            hit_creators: vec![0; outputs],
            repeat_creators: vec![0; outputs],
            ranks: RankTable::new(),
        }
    }

    fn report(&self, summary: &ReplaySummary) -> ReplayReport {
        let outputs = self
            .model
            .output_names()
            .into_iter()
            .zip(&summary.moments)
            .zip(summary.hit_creators.iter().zip(&summary.repeat_creators))
            .map(|((output, m), (&hit_creators, &repeat_creators))| {
                if m.dim() == INDICATOR_MOMENTS
                    && (hit_creators < self.min_hits || summary.creators - hit_creators < self.min_hits)
                {
                    return ReplayOutput {
                        output,
                        mean: m.delta(m.mean(2), &padded(&[0.0, 0.0, 1.0], INDICATOR_MOMENTS)),
                        hit_creators: Some(hit_creators),
                        repeat_creators: Some(repeat_creators),
                        trusted: false,
                        traits_share: None,
                        agreement: None,
                        note: Some(format!(
                            "too few creators who ever reach it, or never do (fewer than {})",
                            self.min_hits
                        )),
                    };
                }
                let (w, q, mean) = (m.mean(0), m.mean(1), m.mean(2));
                let v = q - mean * mean;
                let traits_share = (v > 0.0)
                    .then(|| {
                        m.delta(
                            1.0 - w / v,
                            &padded(&[-1.0 / v, w / (v * v), -2.0 * mean * w / (v * v)], m.dim()),
                        )
                    })
                    .flatten();
                let agreement = (m.dim() == INDICATOR_MOMENTS).then(|| {
                    let (pairs, base) = (m.mean(3), m.mean(4));
                    let p = mean;
                    let given = pairs / base;
                    ReplayAgreement {
                        odds: m.delta(p, &padded(&[0.0, 0.0, 1.0], INDICATOR_MOMENTS)),
                        given_another: (base > 0.0)
                            .then(|| m.delta(given, &[0.0, 0.0, 0.0, 1.0 / base, -pairs / (base * base)]))
                            .flatten(),
                        lift: (base > 0.0 && p > 0.0)
                            .then(|| {
                                m.delta(
                                    given / p,
                                    &[
                                        0.0,
                                        0.0,
                                        -given / (p * p),
                                        1.0 / (base * p),
                                        -pairs / (base * base * p),
                                    ],
                                )
                            })
                            .flatten(),
                    }
                });
                ReplayOutput {
                    output,
                    mean: m.delta(mean, &padded(&[0.0, 0.0, 1.0], m.dim())),
                    hit_creators: (m.dim() == INDICATOR_MOMENTS).then_some(hit_creators),
                    repeat_creators: (m.dim() == INDICATOR_MOMENTS).then_some(repeat_creators),
                    trusted: m.dim() != INDICATOR_MOMENTS || repeat_creators >= MIN_REPEAT_CREATORS,
                    traits_share,
                    agreement,
                    note: None,
                }
            })
            .collect();
        ReplayReport {
            creators: summary.creators,
            replays: self.replays,
            outputs,
            rank_correlation: spearman_estimate(&summary.ranks),
        }
    }

    fn simulated_time(&self, row: &ReplayRow) -> u64 {
        row.work
    }
}

/// `head` followed by zeros, to length `dim`.
fn padded(head: &[f64], dim: usize) -> Vec<f64> {
    let mut g = head.to_vec();
    g.resize(dim, 0.0);
    g
}

/// An order-preserving map of a real value to `u32` (via `f32`'s bits), for rank tables.
fn rank_bin(y: f64) -> u32 {
    let bits = (y as f32).to_bits();
    if bits >> 31 == 1 { !bits } else { bits | 0x8000_0000 }
}

/// Spearman's rho of a rank table with the Bonett-Wright (2000) Fisher-z interval.
fn spearman_estimate(ranks: &RankTable) -> Option<Estimate> {
    let rho = ranks.spearman()?;
    let n = ranks.count() as f64;
    if n < 4.0 {
        return None;
    }
    let z = normal_quantile_two_sided(0.95);
    let se_z = ((1.0 + rho * rho / 2.0) / (n - 3.0)).sqrt();
    let center = rho.clamp(-1.0 + 1e-15, 1.0 - 1e-15).atanh();
    Some(Estimate {
        value: rho,
        std_error: se_z * (1.0 - rho * rho),
        confidence: 0.95,
        lower: (center - z * se_z).tanh().min(rho),
        upper: (center + z * se_z).tanh().max(rho),
    })
}

/// Mergeable statistics of luck replays: per output the cross moments of
/// `(w, q, m)`, within-creator variance, mean square and mean over the
/// replays, plus `(H (H - 1), (K - 1) H)` for indicators, with the creators
/// who reach an indicator in one replay and in two or more; and the rank
/// table of output 0 between replays 0 and 1.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReplaySummary {
    creators: u64,
    replays: usize,
    moments: Vec<CrossMoments>,
    hit_creators: Vec<u64>,
    repeat_creators: Vec<u64>,
    ranks: RankTable,
}

impl ReplaySummary {
    /// Whether `other` has this summary's shape (replays, outputs, moment
    /// dimensions), so the two merge, and counts of creators that can be.
    pub fn same_shape(&self, other: &ReplaySummary) -> bool {
        self.replays == other.replays
            && self.moments.len() == other.moments.len()
            && self.hit_creators.len() == other.hit_creators.len()
            && self.repeat_creators.len() == other.repeat_creators.len()
            && self.moments.iter().zip(&other.moments).all(|(a, b)| b.has_dim(a.dim()))
            && other
                .hit_creators
                .iter()
                .zip(&other.repeat_creators)
                .all(|(h, r)| r <= h && *h <= other.creators)
    }
}

impl Summary<ReplayRow> for ReplaySummary {
    fn record(&mut self, row: &ReplayRow) {
        let k = self.replays;
        let kf = k as f64;
        let counts = self.hit_creators.iter_mut().zip(&mut self.repeat_creators);
        for (o, (m, (hit_creators, repeat_creators))) in self.moments.iter_mut().zip(counts).enumerate() {
            let y = &row.values[o * k..(o + 1) * k];
            let mean = y.iter().sum::<f64>() / kf;
            let q = y.iter().map(|v| v * v).sum::<f64>() / kf;
            let w = y.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / (kf - 1.0);
            if m.dim() == INDICATOR_MOMENTS {
                let h = y.iter().filter(|&&v| v > 0.5).count() as f64;
                *hit_creators += u64::from(h > 0.0);
                *repeat_creators += u64::from(h > 1.0);
                m.record(&[w, q, mean, h * (h - 1.0), (kf - 1.0) * h]);
            } else {
                m.record(&[w, q, mean]);
            }
        }
        self.ranks.record(rank_bin(row.values[0]), rank_bin(row.values[1]));
        self.creators += 1;
    }

    fn merge(&mut self, other: &Self) {
        self.creators += other.creators;
        self.moments.iter_mut().zip(&other.moments).for_each(|(a, b)| a.merge(b));
        self.hit_creators.iter_mut().zip(&other.hit_creators).for_each(|(a, b)| *a += b);
        self.repeat_creators.iter_mut().zip(&other.repeat_creators).for_each(|(a, b)| *a += b);
        self.ranks.merge(&other.ranks);
    }

    fn trials(&self) -> u64 {
        self.creators
    }
}

/// How often success repeats across replays of the same creator.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReplayAgreement {
    /// `P(reach)` in one replay.
    pub odds: Option<Estimate>,
    /// `P(reach in a replay | reached in another replay of the same creator)`.
    pub given_another: Option<Estimate>,
    /// `given_another / odds`: 1 when luck is everything.
    pub lift: Option<Estimate>,
}

/// What the replays found for one output.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReplayOutput {
    /// The output.
    pub output: String,
    /// Its mean over every replay.
    pub mean: Option<Estimate>,
    /// For an indicator output: creators who reach it in at least one replay.
    pub hit_creators: Option<u64>,
    /// For an indicator output: creators who reach it in two replays or
    /// more, on whom the traits' share and `P(reach | reached in another)`
    /// rest (with few of them the normal intervals do not hold).
    pub repeat_creators: Option<u64>,
    /// Whether the intervals can be trusted: always for an output that is
    /// not an indicator, else with at least [`MIN_REPEAT_CREATORS`] repeat creators.
    pub trusted: bool,
    /// `Var(E[Y | traits]) / Var(Y)`: the share of the variance the traits
    /// explain (1 minus it is luck's total index); `None` if `Y` does not vary.
    pub traits_share: Option<Estimate>,
    /// For an indicator output: agreement between replays.
    pub agreement: Option<ReplayAgreement>,
    /// Why the shares are missing, if they are.
    pub note: Option<String>,
}

/// What re-running history found.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReplayReport {
    /// Creators.
    pub creators: u64,
    /// Replays of each, `K`.
    pub replays: u32,
    /// Each output.
    pub outputs: Vec<ReplayOutput>,
    /// Spearman's rank correlation of output 0 between replays 0 and 1.
    pub rank_correlation: Option<Estimate>,
}

impl ReplayReport {
    /// The output named `name`.
    pub fn output(&self, name: &str) -> Option<&ReplayOutput> {
        self.outputs.iter().find(|o| o.output == name)
    }
}

// ---------------------------------------------------------------------------
// Counterfactuals
// ---------------------------------------------------------------------------

/// A change to one trait: exactly one of `add`, `scale` (> 0) or `set`.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Change {
    /// Add this to the trait.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub add: Option<f64>,
    /// Multiply the trait by this (> 0).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scale: Option<f64>,
    /// Set the trait to this.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub set: Option<f64>,
}

impl Change {
    fn validate(&self, field: &str) -> Result<(), FieldError> {
        let given: Vec<(&str, f64)> = [("add", self.add), ("scale", self.scale), ("set", self.set)]
            .into_iter()
            .filter_map(|(n, v)| v.map(|v| (n, v)))
            .collect();
        let [(name, value)] = given[..] else {
            return Err(FieldError::new(
                field,
                "(a table)",
                "must hold exactly one of add, scale or set, e.g. { add = 0.1 }",
            ));
        };
        if !value.is_finite() || value.abs() > 1e12 {
            return Err(FieldError::new(
                format!("{field}.{name}"),
                value,
                "must be a finite number within ±1e12",
            ));
        }
        if name == "scale" && value <= 0.0 {
            return Err(FieldError::new(format!("{field}.scale"), value, "must be > 0"));
        }
        Ok(())
    }

    fn apply(&self, x: f64) -> f64 {
        match (self.add, self.scale, self.set) {
            (Some(a), _, _) => x + a,
            (_, Some(s), _) => x * s,
            (_, _, Some(v)) => v,
            _ => x,
        }
    }
}

/// A counterfactual: the same creators, with some traits changed, on the
/// same luck. Traits are held to their ranges after the change (talent in
/// `[0, 1]`, effort in `[0.1, 28]`, entry day `>= 0`, niche in `[1, 1e12]`).
///
/// ```toml
/// [[attribute.counterfactuals]]
/// name = "join five years earlier"
/// entry_day = { add = -1825 }
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TraitEdit {
    /// What the edit is, in words.
    pub name: String,
    /// Change to talent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub talent: Option<Change>,
    /// Change to effort (posts a week).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub effort: Option<Change>,
    /// Change to the entry day (platform age on the first day).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entry_day: Option<Change>,
    /// Change to the niche size.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub niche: Option<Change>,
}

impl TraitEdit {
    /// An edit named `name` that changes `trait_name` ("talent", "effort",
    /// "entry_day" or "niche") by `change`.
    pub fn new(name: &str, trait_name: &str, change: Change) -> Self {
        let mut edit =
            TraitEdit { name: name.to_string(), talent: None, effort: None, entry_day: None, niche: None };
        match trait_name {
            "talent" => edit.talent = Some(change),
            "effort" => edit.effort = Some(change),
            "entry_day" => edit.entry_day = Some(change),
            _ => edit.niche = Some(change),
        }
        edit
    }

    /// The default edits: talent + 0.1, twice the effort, joining five years earlier.
    pub fn defaults() -> Vec<TraitEdit> {
        vec![
            TraitEdit::new("talent + 0.1", "talent", Change { add: Some(0.1), ..Change::default() }),
            TraitEdit::new("twice the effort", "effort", Change { scale: Some(2.0), ..Change::default() }),
            TraitEdit::new(
                "join five years earlier",
                "entry_day",
                Change { add: Some(-1825.0), ..Change::default() },
            ),
        ]
    }

    /// Each trait's name and change, in the order of the career's inputs
    /// (and [`Creator::input`]).
    fn changes(&self) -> [(&'static str, Option<Change>); 4] {
        let changes = [self.talent, self.effort, self.entry_day, self.niche];
        std::array::from_fn(|index| (CREATOR_TRAITS[index].0, changes[index]))
    }

    /// Checks the edit (errors name the field within the edit).
    pub fn validate(&self) -> Result<(), FieldError> {
        let chars = self.name.chars().count();
        if chars == 0 || chars > 200 {
            return Err(FieldError::new("name", format!("{:?}", self.name), "must be 1 to 200 characters"));
        }
        if self.changes().iter().all(|(_, c)| c.is_none()) {
            return Err(FieldError::new(
                "name",
                format!("{:?}", self.name),
                "changes no trait: give talent, effort, entry_day or niche, e.g. talent = { add = 0.1 }",
            ));
        }
        for (index, (field, change)) in self.changes().into_iter().enumerate() {
            if let Some(c) = change {
                c.validate(field)?;
                // A stated value must be one a creator can have (an add or
                // a scale that leaves the range is held to it, as documented;
                // so is an entry day stated past the longest platform age).
                let (low, high) = match field {
                    "entry_day" => (0.0, f64::INFINITY),
                    _ => CREATOR_TRAITS[index].2,
                };
                if let Some(v) = c.set
                    && !(low..=high).contains(&v)
                {
                    return Err(FieldError::new(
                        format!("{field}.set"),
                        v,
                        format!("must lie in the trait's range [{low}, {high}]"),
                    ));
                }
            }
        }
        Ok(())
    }

    /// The creator with the edit applied, traits held to their ranges.
    pub fn apply(&self, creator: Creator) -> Creator {
        let mut edited = creator;
        for (index, (_, change)) in self.changes().into_iter().enumerate() {
            if let Some(change) = change {
                edited.set_input(index, change.apply(creator.input(index)));
            }
        }
        edited.clamped()
    }
}

/// Counterfactual edits of the Career model on the same luck: one trial is
/// one creator, run as drawn and with each edit.
#[derive(Debug, Clone)]
pub struct Counterfactuals {
    career: CareerModel,
    edits: Vec<TraitEdit>,
    /// With `[money]`, its income levels (`$10k`, amount a year), and with
    /// `[engagement]` (or `[money]`) its engaged-audience levels (`1k
    /// engaged`): each edit's chance of each beside the tiers'.
    income_levels: Vec<(String, f64)>,
    audience_levels: Vec<(String, f64)>,
}

impl Counterfactuals {
    /// Each of `edits` against the creators as drawn.
    pub fn new(career: CareerModel, edits: Vec<TraitEdit>) -> Self {
        use crate::model::inputs::Levels;
        let (income_levels, audience_levels) = (career.income_levels().0, career.audience_levels());
        Counterfactuals { career, edits, income_levels, audience_levels }
    }

    fn run(&self, streams: &TrialStreams, creator: Creator) -> Career {
        self.career.simulate(streams, creator, self.career.horizon_days(creator.entry_day))
    }
}

impl Model for Counterfactuals {
    type Outcome = Vec<Career>;
    type Summary = CounterfactualSummary;
    type Report = CounterfactualReport;

    fn sample_trial(&self, streams: &TrialStreams) -> Vec<Career> {
        let creator = self.career.sample_creator(streams).clamped();
        std::iter::once(self.run(streams, creator))
            .chain(self.edits.iter().map(|e| self.run(streams, e.apply(creator))))
            .collect()
    }

    fn new_summary(&self) -> CounterfactualSummary {
        CounterfactualSummary {
            creators: 0,
            base_hits: [0; TIER_COUNT],
            cells: vec![[[0; 16]; TIER_COUNT]; self.edits.len()],
            log_difference: vec![Moments::new(); self.edits.len()],
            log_followers: vec![Moments::new(); self.edits.len() + 1],
            income: PairedLevels::new(self.income_levels.iter().map(|l| l.1).collect(), self.edits.len()),
            audience: PairedLevels::new(self.audience_levels.iter().map(|l| l.1).collect(), self.edits.len()),
        }
    }

    fn report(&self, s: &CounterfactualSummary) -> CounterfactualReport {
        let n = s.creators;
        let z = normal_quantile_two_sided(0.95);
        let as_drawn = Tier::ALL.iter().map(|&t| (t, Proportion::new(s.base_hits[t.index()], n))).collect();
        let edits = self
            .edits
            .iter()
            .enumerate()
            .map(|(e, edit)| {
                let tiers: Vec<EditedTier> = Tier::ALL
                    .iter()
                    .map(|&tier| {
                        let cells = &s.cells[e][tier.index()];
                        let hits = (0..16).filter(|i| i & 1 != 0).map(|i| cells[i]).sum();
                        EditedTier {
                            tier,
                            edited: Proportion::new(hits, n),
                            difference: paired_difference(tier, cells, n, z),
                        }
                    })
                    .collect();
                let income = s.income.report(e, &self.income_levels, n, z);
                let audience = s.audience.report(e, &self.audience_levels, n, z);
                let d = &s.log_difference[e];
                let unpaired = match (s.log_followers[0].std_error(), s.log_followers[e + 1].std_error()) {
                    (Some(a), Some(b)) => Some((a * a + b * b).sqrt()),
                    _ => None,
                };
                EditReport {
                    edit: edit.clone(),
                    tiers,
                    income,
                    audience,
                    log_followers_difference: d
                        .mean()
                        .map(|m| Estimate::normal(m, d.std_error().unwrap_or(0.0), 0.95)),
                    log_followers_unpaired_std_error: unpaired,
                }
            })
            .collect();
        // Each edit's cells count the creators as drawn at bit 2 (the first edit's serve).
        let as_drawn_of = |levels: &PairedLevels, names: &[(String, f64)]| -> Vec<(String, Proportion)> {
            let first = levels.cells.first().map_or(&[][..], Vec::as_slice);
            names
                .iter()
                .zip(first)
                .map(|((name, _), cells)| {
                    let hits = (0..16).filter(|c| c & 0b100 != 0).map(|c| cells[c]).sum();
                    (name.clone(), Proportion::new(hits, n))
                })
                .collect()
        };
        let as_drawn_income = as_drawn_of(&s.income, &self.income_levels);
        let as_drawn_audience = as_drawn_of(&s.audience, &self.audience_levels);
        CounterfactualReport { creators: n, as_drawn, as_drawn_income, as_drawn_audience, edits }
    }

    fn simulated_time(&self, careers: &Vec<Career>) -> u64 {
        careers.iter().map(|c| u64::from(c.career_days)).sum()
    }
}

/// Mergeable statistics of counterfactuals: per edit and tier the joint
/// counts of (reached when edited, reached as drawn) in the 16-cell layout
/// of the sweep's paired differences ([`paired_cell`]); moments of
/// `log10(1 + followers)`; with `[money]` (`[engagement]`), the same joint
/// counts per edit and income (engaged-audience) level, reached when edited
/// and as drawn ([`PairedLevels`], an edit a point).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CounterfactualSummary {
    creators: u64,
    base_hits: [u64; TIER_COUNT],
    cells: Vec<[[u64; 16]; TIER_COUNT]>,
    log_difference: Vec<Moments>,
    log_followers: Vec<Moments>,
    #[serde(default, skip_serializing_if = "PairedLevels::is_empty")]
    income: PairedLevels,
    #[serde(default, skip_serializing_if = "PairedLevels::is_empty")]
    audience: PairedLevels,
}

impl CounterfactualSummary {
    /// Whether `other` has this summary's shape (the number of edits), so
    /// the two merge.
    pub fn same_shape(&self, other: &CounterfactualSummary) -> bool {
        self.cells.len() == other.cells.len()
            && self.log_difference.len() == other.log_difference.len()
            && self.log_followers.len() == other.log_followers.len()
            && self.income.same_shape(&other.income)
            && self.audience.same_shape(&other.audience)
    }
}

impl Summary<Vec<Career>> for CounterfactualSummary {
    fn record(&mut self, careers: &Vec<Career>) {
        let log = |c: &Career| (c.followers as f64).ln_1p() / std::f64::consts::LN_10;
        let base = &careers[0];
        self.log_followers[0].record(log(base));
        for (hits, reached) in self.base_hits.iter_mut().zip(&base.reached_day) {
            *hits += u64::from(reached.is_some());
        }
        for (e, edited) in careers[1..].iter().enumerate() {
            self.log_followers[e + 1].record(log(edited));
            self.log_difference[e].record(log(edited) - log(base));
            for t in 0..TIER_COUNT {
                // Every creator is counted at both.
                let reached = |c: &Career| Some(c.reached_day[t].is_some());
                self.cells[e][t][paired_cell(reached(edited), reached(base))] += 1;
            }
        }
        // Every creator is counted as drawn and with each edit.
        let income = |c: &Career| Some(c.earnings.map_or(0.0, |m| m.income));
        let audience = |c: &Career| Some(c.earnings.map_or(0.0, |m| m.engaged_audience));
        self.income.record(careers[1..].iter().map(income), income(base));
        self.audience.record(careers[1..].iter().map(audience), audience(base));
        self.creators += 1;
    }

    fn merge(&mut self, other: &Self) {
        self.creators += other.creators;
        self.base_hits.iter_mut().zip(&other.base_hits).for_each(|(a, b)| *a += b);
        for (a, b) in self.cells.iter_mut().zip(&other.cells) {
            for (ta, tb) in a.iter_mut().zip(b) {
                ta.iter_mut().zip(tb).for_each(|(x, y)| *x += y);
            }
        }
        self.log_difference.iter_mut().zip(&other.log_difference).for_each(|(a, b)| a.merge(b));
        self.log_followers.iter_mut().zip(&other.log_followers).for_each(|(a, b)| a.merge(b));
        self.income.merge(&other.income);
        self.audience.merge(&other.audience);
    }

    fn trials(&self) -> u64 {
        self.creators
    }
    /// Base hits are among the creators, and each edit's 16 paired cells
    /// of each tier count every creator once.
    fn check(&self) -> Result<(), String> {
        for (tier, &hits) in self.base_hits.iter().enumerate() {
            crate::model::within_count(
                &format!("tier {tier}'s hits as drawn"),
                hits,
                "creators",
                self.creators,
            )?;
        }
        let adds_up =
            |cells: &[u64; 16]| cells.iter().try_fold(0u64, |a, &c| a.checked_add(c)) == Some(self.creators);
        for (e, cells) in self.cells.iter().enumerate() {
            for (tier, cells) in cells.iter().enumerate() {
                if !adds_up(cells) {
                    return Err(format!(
                        "edit {e}'s paired counts of tier {tier} do not add up to its creators"
                    ));
                }
            }
        }
        self.income.check(self.cells.len(), self.creators, "income")?;
        self.audience.check(self.cells.len(), self.creators, "engaged audience")?;
        Ok(())
    }
}

/// One tier under one edit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EditedTier {
    /// The tier.
    pub tier: Tier,
    /// The odds with the edit.
    pub edited: Proportion,
    /// Edited minus as drawn, paired, with the unpaired interval beside it;
    /// `point_only` counts creators who reach the tier only when edited,
    /// `baseline_only` only as drawn.
    pub difference: PairedDifference,
}

/// What one edit does.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EditReport {
    /// The edit.
    pub edit: TraitEdit,
    /// Every tier.
    pub tiers: Vec<EditedTier>,
    /// With `[money]`, every income level's chance with the edit and its
    /// paired difference from the creators as drawn.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub income: Vec<LevelVersusBaseline>,
    /// With `[engagement]` (or `[money]`), every engaged-audience level's
    /// chance with the edit and its paired difference (`1k engaged`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub audience: Vec<LevelVersusBaseline>,
    /// Mean change of `log10(1 + followers)`, paired, with its 95% interval.
    pub log_followers_difference: Option<Estimate>,
    /// Its standard error had the runs used independent luck.
    pub log_followers_unpaired_std_error: Option<f64>,
}

/// What the counterfactuals found.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CounterfactualReport {
    /// Creators, each run as drawn and with every edit.
    pub creators: u64,
    /// Every tier's odds as drawn.
    pub as_drawn: Vec<(Tier, Proportion)>,
    /// With `[money]`, every income level's chance as drawn (`$10k`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub as_drawn_income: Vec<(String, Proportion)>,
    /// With `[engagement]` (or `[money]`), every engaged-audience level's
    /// chance as drawn (`1k engaged`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub as_drawn_audience: Vec<(String, Proportion)>,
    /// Each edit.
    pub edits: Vec<EditReport>,
}

// ---------------------------------------------------------------------------
// The scenario section and the whole analysis
// ---------------------------------------------------------------------------

/// The most rows, creators or pairs an attribution part may ask for (1e9).
pub const MAX_ATTRIBUTION_TRIALS: u64 = 1_000_000_000;
/// The most counterfactual edits.
pub const MAX_EDITS: usize = 16;

/// The `[attribute]` section of a scenario: how `clout attribute` runs.
/// Every field has a default.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct AttributeSpec {
    /// Rows of the Saltelli design (7 careers each for Career). Default 400,000.
    pub sobol_rows: u64,
    /// Creators whose luck is replayed. Default 100,000.
    pub replay_creators: u64,
    /// Replays of each, `K` in `[2, 64]`. Default 8.
    pub replays: u32,
    /// Creators run as drawn and with every edit. Default 400,000.
    pub counterfactual_creators: u64,
    /// Fewest hits (and misses) a tier needs among the Sobol `A` and `B`
    /// points to get indices. Default 100.
    pub min_hits: u64,
    /// The counterfactual edits. Default: talent + 0.1, twice the effort,
    /// joining five years earlier.
    pub counterfactuals: Vec<TraitEdit>,
}

impl Default for AttributeSpec {
    fn default() -> Self {
        AttributeSpec {
            sobol_rows: 400_000,
            replay_creators: 100_000,
            replays: 8,
            counterfactual_creators: 400_000,
            min_hits: 100,
            counterfactuals: TraitEdit::defaults(),
        }
    }
}

impl AttributeSpec {
    /// Checks every field (errors name the field within `[attribute]`).
    pub fn validate(&self) -> Result<(), FieldError> {
        for (field, value) in [
            ("sobol_rows", self.sobol_rows),
            ("replay_creators", self.replay_creators),
            ("counterfactual_creators", self.counterfactual_creators),
        ] {
            if !(2..=MAX_ATTRIBUTION_TRIALS).contains(&value) {
                return Err(FieldError::new(
                    field,
                    value,
                    format!("must lie in [2, {MAX_ATTRIBUTION_TRIALS}]"),
                ));
            }
        }
        if !(2..=64).contains(&self.replays) {
            return Err(FieldError::new("replays", self.replays, "must lie in [2, 64]"));
        }
        if self.min_hits > MAX_TRIALS {
            return Err(FieldError::new("min_hits", self.min_hits, format!("must be <= {MAX_TRIALS}")));
        }
        if self.counterfactuals.len() > MAX_EDITS {
            return Err(FieldError::new(
                "counterfactuals",
                format!("({} edits)", self.counterfactuals.len()),
                format!("must hold at most {MAX_EDITS} edits"),
            ));
        }
        for (i, edit) in self.counterfactuals.iter().enumerate() {
            edit.validate().map_err(|e| e.within(&format!("counterfactuals[{i}]")))?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_edit_changes_the_trait_it_names() {
        for (index, &(name, _, _)) in CREATOR_TRAITS.iter().enumerate() {
            let edit = TraitEdit::new("e", name, Change { add: Some(1.0), ..Change::default() });
            let changed: Vec<usize> =
                edit.changes().iter().enumerate().filter(|(_, (_, c))| c.is_some()).map(|(k, _)| k).collect();
            assert_eq!(changed, [index], "{name}");
            assert_eq!(edit.changes()[index].0, name);
        }
    }
}
