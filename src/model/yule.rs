//! The Yule process: pure birth at rate `lambda` per individual.
//!
//! Starting from `n0` individuals at time 0, each individual gives birth at
//! rate `lambda`; one trial is the population `N_t` at time `t`. Exactly,
//!
//! `P(N_t = n) = C(n-1, n0-1) e^(-lambda n0 t) (1 - e^(-lambda t))^(n - n0)`, `n >= n0`
//!
//! (a negative binomial), with mean `n0 e^(lambda t)`. The simulation is the
//! process itself: in state `n` the next birth comes after an `Exp(lambda n)` wait.

use crate::error::{FieldError, positive, within};
use crate::model::{Model, Summary};
use crate::random::{Source, TrialStreams};
use crate::stats::{GoodnessOfFit, LogHistogram, chi_square_gof};
use rand::{Rng, RngExt};
use rand_distr::{Distribution, Exp1};
use serde::{Deserialize, Serialize};
use statrs::function::gamma::ln_gamma;

/// The largest expected final population accepted, `n0 e^(lambda t) <= 1e7`.
pub const MAX_EXPECTED_SIZE: f64 = 1e7;

/// Parameters of the Yule model (the `[yule]` section of a scenario).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct YuleSpec {
    /// Birth rate per individual per unit time, > 0. Default 1.
    pub lambda: f64,
    /// Individuals at time 0, >= 1. Default 1.
    pub initial: u64,
    /// Time `t` at which the population is observed, > 0. Default 2.
    pub time: f64,
}

impl Default for YuleSpec {
    fn default() -> Self {
        YuleSpec { lambda: 1.0, initial: 1, time: 2.0 }
    }
}

impl YuleSpec {
    /// `P(N_t = n)` (module docs), 0 below `n0`.
    pub fn pmf(&self, n: u64) -> f64 {
        if n < self.initial {
            return 0.0;
        }
        let (n0, k) = (self.initial as f64, (n - self.initial) as f64);
        let p = (-self.lambda * self.time).exp();
        let ln_choose = ln_gamma(n as f64) - ln_gamma(n0) - ln_gamma(k + 1.0);
        (ln_choose + n0 * p.ln() + k * (-p).ln_1p()).exp()
    }

    /// `E[N_t] = n0 e^(lambda t)`.
    pub fn mean(&self) -> f64 {
        self.initial as f64 * (self.lambda * self.time).exp()
    }

    /// `Var[N_t] = n0 (1 - p) / p²` with `p = e^(-lambda t)`.
    pub fn variance(&self) -> f64 {
        let p = (-self.lambda * self.time).exp();
        self.initial as f64 * (1.0 - p) / (p * p)
    }
}

/// The Yule model, validated.
#[derive(Debug, Clone)]
pub struct YuleModel {
    spec: YuleSpec,
}

impl YuleModel {
    /// Validates the parameters; the expected final size must stay below [`MAX_EXPECTED_SIZE`].
    pub fn new(spec: YuleSpec) -> Result<Self, FieldError> {
        positive("lambda", spec.lambda)?;
        positive("time", spec.time)?;
        if !(1..=1_000_000).contains(&spec.initial) {
            return Err(FieldError::new("initial", spec.initial, "must lie in [1, 1000000]"));
        }
        within("time", spec.time, 0.0, 1e9)?;
        let mean = spec.mean();
        if mean.is_nan() || mean > MAX_EXPECTED_SIZE {
            return Err(FieldError::new(
                "time",
                spec.time,
                format!(
                    "makes the expected population initial * exp(lambda * time) = {mean:.3e}, more than 1e7"
                ),
            ));
        }
        Ok(YuleModel { spec })
    }

    /// The parameters.
    pub fn spec(&self) -> &YuleSpec {
        &self.spec
    }
}

impl YuleModel {
    /// Draws one trial's outcome from `rng` (run by the runner on the
    /// trial's one stream, [`Source::Main`]).
    pub fn draw<R: Rng + ?Sized>(&self, rng: &mut R) -> u64 {
        let mut n = self.spec.initial;
        let mut clock = 0.0;
        loop {
            clock += rng.sample::<f64, _>(Exp1) / (self.spec.lambda * n as f64);
            if clock > self.spec.time {
                return n;
            }
            n += 1;
        }
    }
}

impl Model for YuleModel {
    type Outcome = u64;
    type Summary = YuleSummary;
    type Report = YuleReport;

    fn sample_trial(&self, streams: &TrialStreams) -> u64 {
        self.draw(&mut streams.rng(Source::Main))
    }

    fn report(&self, summary: &YuleSummary) -> YuleReport {
        summary.report(&self.spec)
    }

    fn new_summary(&self) -> YuleSummary {
        YuleSummary::new(self.spec.initial)
    }

    fn simulated_time(&self, outcome: &u64) -> u64 {
        outcome - self.spec.initial
    }
}

impl Distribution<u64> for YuleModel {
    fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> u64 {
        self.draw(rng)
    }
}

/// Precision of the births histogram: exact below 2^14 = 16384 births.
const PRECISION: u32 = 14;

/// The distribution of births `N_t - n0` (exact below 16384) and the exact
/// first two moments of `N_t`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct YuleSummary {
    initial: u64,
    births: LogHistogram,
    sum: u128,
    sum_sq: u128,
}

impl YuleSummary {
    /// Whether `other` has this summary's shape (the process's start, the
    /// histogram's precision), so the two merge (a check of what a file held).
    pub fn same_shape(&self, other: &YuleSummary) -> bool {
        self.initial == other.initial && self.births.precision() == other.births.precision()
    }

    /// An empty summary for a process started from `initial` individuals.
    pub fn new(initial: u64) -> Self {
        YuleSummary { initial, births: LogHistogram::new(PRECISION), sum: 0, sum_sq: 0 }
    }
}

impl Summary<u64> for YuleSummary {
    fn same_shape(&self, other: &YuleSummary) -> bool {
        YuleSummary::same_shape(self, other)
    }
    fn record(&mut self, n: &u64) {
        self.births.record(n - self.initial);
        self.sum += u128::from(*n);
        self.sum_sq += u128::from(*n) * u128::from(*n);
    }
    fn merge(&mut self, other: &Self) {
        assert_eq!(self.initial, other.initial, "summaries of different processes");
        self.births.merge(&other.births);
        self.sum += other.sum;
        self.sum_sq += other.sum_sq;
    }
    fn trials(&self) -> u64 {
        self.births.count()
    }
    /// The sums are those of the histogram's values (`n = n0 + births`),
    /// and the sum of squares is at least `sum² / trials` (Cauchy-Schwarz),
    /// so the variance is not negative.
    fn check(&self) -> Result<(), String> {
        let n = u128::from(self.births.count());
        let expected = self.births.sum().checked_add(u128::from(self.initial) * n);
        if expected != Some(self.sum) {
            return Err(format!("its sum {} is not the sum of its histogram's sizes", self.sum));
        }
        // sum_sq * n >= sum², compared without overflow as floats with a margin.
        if n > 0 && (self.sum_sq as f64) * (n as f64) < (self.sum as f64).powi(2) * (1.0 - 1e-9) {
            return Err(format!("its sum of squares {} is below what its sum allows", self.sum_sq));
        }
        Ok(())
    }
}

impl YuleSummary {
    /// The estimates next to the exact values, with a chi-square test of the
    /// whole distribution (bins `n0, n0 + 1, ...` pooled to expect >= 5 each).
    pub(crate) fn report(&self, spec: &YuleSpec) -> YuleReport {
        let n = self.trials();
        let nf = n as f64;
        let mean = self.sum as f64 / nf;
        let var = (self.sum_sq as f64 / nf - mean * mean) * nf / (nf - 1.0);
        // Exact bins up to where the histogram stops being exact, then one tail bin.
        // Births 0..=last are counted exactly; everything above goes to one tail bin.
        let last = (1u64 << PRECISION) - 1;
        let mut observed = vec![0u64; last as usize + 2];
        for b in self.births.buckets() {
            let i = if b.high <= last { b.low as usize } else { observed.len() - 1 };
            observed[i] += b.count;
        }
        let mut probs: Vec<f64> = (0..=last).map(|k| spec.pmf(spec.initial + k)).collect();
        probs.push((1.0 - probs.iter().sum::<f64>()).max(0.0));
        let gof = chi_square_gof(&observed, &probs);
        YuleReport {
            trials: n,
            mean,
            mean_std_error: (var / nf).sqrt(),
            exact_mean: spec.mean(),
            variance: var,
            exact_variance: spec.variance(),
            p_initial: observed[0] as f64 / nf,
            exact_p_initial: spec.pmf(spec.initial),
            goodness_of_fit: gof.map(GofReport::from),
        }
    }
}

/// Chi-square goodness of fit in a report.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct GofReport {
    /// Pearson's statistic.
    pub statistic: f64,
    /// Degrees of freedom.
    pub dof: usize,
    /// `P(chi² >= statistic)` under the exact distribution.
    pub p_value: f64,
}

impl From<GoodnessOfFit> for GofReport {
    fn from(g: GoodnessOfFit) -> Self {
        GofReport { statistic: g.statistic, dof: g.dof, p_value: g.p_value }
    }
}

/// What a Yule run found, next to the exact values.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct YuleReport {
    /// Trials.
    pub trials: u64,
    /// Mean of `N_t`.
    pub mean: f64,
    /// Its standard error.
    pub mean_std_error: f64,
    /// `n0 e^(lambda t)`.
    pub exact_mean: f64,
    /// Sample variance of `N_t`.
    pub variance: f64,
    /// `n0 (1 - p) / p²`.
    pub exact_variance: f64,
    /// Share of trials with no birth (`N_t = n0`).
    pub p_initial: f64,
    /// `e^(-lambda n0 t)`.
    pub exact_p_initial: f64,
    /// Chi-square test of the whole distribution against the exact one.
    pub goodness_of_fit: Option<GofReport>,
}

impl YuleReport {
    /// A readable table.
    pub fn to_table(&self) -> String {
        let gof = self.goodness_of_fit.map_or("-".to_string(), |g| {
            format!("chi-square {:.1} on {} dof, p = {:.3}", g.statistic, g.dof, g.p_value)
        });
        format!(
            "{} trials of N_t:\n  mean      {:.4} +- {:.4} (SE)   exact {:.4}   ({:+.2} SE)\n  \
             variance  {:.4}   exact {:.4}\n  P(N_t = n0) {:.5}   exact {:.5}\n  whole distribution: {}\n",
            self.trials,
            self.mean,
            self.mean_std_error,
            self.exact_mean,
            (self.mean - self.exact_mean) / self.mean_std_error,
            self.variance,
            self.exact_variance,
            self.p_initial,
            self.exact_p_initial,
            gof
        )
    }

    /// CSV: one row per statistic.
    pub fn to_csv(&self) -> String {
        format!(
            "statistic,estimate,std_error,exact\nmean,{},{},{}\nvariance,{},,{}\np_initial,{},,{}\n",
            self.mean,
            self.mean_std_error,
            self.exact_mean,
            self.variance,
            self.exact_variance,
            self.p_initial,
            self.exact_p_initial
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pmf_sums_to_one_with_the_right_mean() {
        let spec = YuleSpec { lambda: 0.7, initial: 3, time: 1.5 };
        let (mut total, mut mean) = (0.0, 0.0);
        for n in 0..5000 {
            total += spec.pmf(n);
            mean += n as f64 * spec.pmf(n);
        }
        assert!((total - 1.0).abs() < 1e-12, "{total}");
        assert!((mean - spec.mean()).abs() < 1e-9, "{mean}");
        assert_eq!(spec.pmf(2), 0.0);
        assert!((spec.pmf(3) - (-0.7f64 * 3.0 * 1.5).exp()).abs() < 1e-15);
    }

    #[test]
    fn large_initial_populations_report_without_panicking() {
        use crate::Runner;
        let spec = YuleSpec { lambda: 0.001, initial: 50_000, time: 1.0 };
        let model = YuleModel::new(spec).unwrap();
        let report = Runner::new(1).run(&model, 2_000).summary.report(&spec);
        // About 50 births each: the exact mean 50050.03 within 4 standard errors.
        assert!((report.mean - spec.mean()).abs() < 4.0 * report.mean_std_error, "{report:?}");
        assert!(report.goodness_of_fit.is_some());
    }

    #[test]
    fn refuses_absurd_sizes() {
        let e = YuleModel::new(YuleSpec { lambda: 1.0, initial: 1, time: 30.0 }).unwrap_err();
        assert!(e.to_string().starts_with("time = 30: makes the expected population"), "{e}");
    }
}
