//! Gibrat's law: geometric Brownian motion with an upper barrier.
//!
//! `dF = mu F dt + sigma F dW`, `F(0) = S0`. One trial is one path over
//! `[0, T]`; its outcome is whether `F` reaches the barrier `B > S0`.
//!
//! With `nu = mu - sigma²/2` and `b = ln(B / S0) > 0`, the exact probability of
//! reaching `B` by time `T` (the first-passage law of Brownian motion with drift) is
//!
//! `P = Phi((-b + nu T) / (sigma sqrt T)) + exp(2 nu b / sigma²) Phi((-b - nu T) / (sigma sqrt T))`.
//!
//! The path is simulated in `steps` equal steps of `dt = T / steps` of the
//! exact log-normal increment `ln F(t + dt) - ln F(t) ~ Normal(nu dt, sigma² dt)`.
//! With `monitoring = "continuous"` (the default) the barrier is checked on the
//! continuous path, exactly: between two grid points `x0, x1 < b` (log scale)
//! the Brownian bridge crosses `b` with probability
//! `exp(-2 (b - x0)(b - x1) / (sigma² dt))`, so the estimate is unbiased for
//! any number of steps. With `monitoring = "discrete"` the barrier is checked
//! at the grid points only, which underestimates `P` (by a relative amount of
//! order `sqrt(dt)`; Broadie, Glasserman & Kou 1997) — kept to show that bias.
//!
//! **A random drift.** With `mu_sd > 0` each path first draws its own drift
//! `mu_i ~ Normal(mu, mu_sd)` (on the [`Source::Talent`] stream: a "trait"),
//! and the exact probability is `P` above integrated over the drift,
//! `int P(mu + mu_sd z) phi(z) dz`, by composite Simpson's rule on
//! `z in [-12, 12]` with 24,000 intervals (the integrand is smooth, and the
//! normal's mass beyond 12 sd is below 1e-32). This is the exact check of the
//! rare-event estimator, which reweights the drift ([`Inputs`]).

use crate::dist::Law;
use crate::error::{FieldError, positive, within};
use crate::model::inputs::{Input, Inputs, Levels, Root, SplitPlan};
use crate::model::{Model, Summary};
use crate::random::{Source, TrialStreams};
use crate::stats::Proportion;
use crate::tier::LEVEL_SLOTS;
use rand::{Rng, RngExt};
use rand_distr::{Distribution, StandardNormal};
use serde::{Deserialize, Serialize};
use statrs::distribution::{ContinuousCDF, Normal};

/// How the barrier is watched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Monitoring {
    /// On the continuous path (Brownian bridge between steps): exact.
    #[default]
    Continuous,
    /// At the grid points only: biased low.
    Discrete,
}

/// Parameters of the Gibrat model (the `[gibrat]` section of a scenario).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct GibratSpec {
    /// Drift `mu` per unit time, in `[-100, 100]`. Default 0.0008 (a day: about 2.4% a month, the
    /// growth of established Instagram accounts, Quintly 2019).
    pub mu: f64,
    /// Volatility `sigma` per square-root unit time, in `(0, 100]`. Default 0.02.
    pub sigma: f64,
    /// Initial size `S0`, > 0. Default 1,000 followers.
    pub initial: f64,
    /// Barrier `B`, > `S0`. Default 10,000 followers (micro tier).
    pub barrier: f64,
    /// Horizon `T`, > 0. Default 1825 (five years of days).
    pub horizon: f64,
    /// Steps of the simulated path, in `[1, 1e6]`. Default 100.
    pub steps: u32,
    /// How the barrier is watched. Default continuous (exact).
    pub monitoring: Monitoring,
    /// Spread of a random drift, in `[0, 100]`: each path draws its drift
    /// from `Normal(mu, mu_sd)`. Default 0 (every path has drift `mu`).
    #[serde(skip_serializing_if = "crate::model::is_zero")]
    pub mu_sd: f64,
}

impl Default for GibratSpec {
    fn default() -> Self {
        GibratSpec {
            mu: 0.0008,
            sigma: 0.02,
            initial: 1_000.0,
            barrier: 10_000.0,
            horizon: 1825.0,
            steps: 100,
            monitoring: Monitoring::Continuous,
            mu_sd: 0.0,
        }
    }
}

impl GibratSpec {
    /// The exact probability of reaching the barrier by the horizon (module docs).
    /// With a random drift (`mu_sd > 0`), integrated over the drift.
    pub fn exact_hit_probability(&self) -> f64 {
        let at = |mu: f64| gbm_hit_probability(mu, self.sigma, self.initial, self.barrier, self.horizon);
        if self.mu_sd == 0.0 {
            return at(self.mu);
        }
        let (intervals, reach) = (24_000, 12.0);
        let h = 2.0 * reach / f64::from(intervals);
        let f = |z: f64| {
            at(self.mu + self.mu_sd * z) * (-0.5 * z * z).exp() / (2.0 * std::f64::consts::PI).sqrt()
        };
        let mut sum = f(-reach) + f(reach);
        for i in 1..intervals {
            sum += f(-reach + f64::from(i) * h) * if i % 2 == 1 { 4.0 } else { 2.0 };
        }
        sum * h / 3.0
    }
}

/// `P(max_{t <= T} F(t) >= B)` for geometric Brownian motion (module docs).
pub fn gbm_hit_probability(mu: f64, sigma: f64, initial: f64, barrier: f64, horizon: f64) -> f64 {
    let nu = mu - 0.5 * sigma * sigma;
    let b = (barrier / initial).ln();
    let s = sigma * horizon.sqrt();
    let phi = Normal::standard();
    let first = phi.cdf((-b + nu * horizon) / s);
    // exp(2 nu b / sigma^2) * Phi(.) taken in logs so neither factor
    // overflows, with ln Phi exact far into the tail, where Phi underflows
    // although the product need not be small.
    let second =
        (2.0 * nu * b / (sigma * sigma) + crate::stats::ln_normal_cdf((-b - nu * horizon) / s)).exp();
    (first + second).min(1.0)
}

/// The Gibrat model, validated.
///
/// ```
/// use clout::model::gibrat::{GibratModel, GibratSpec};
/// use clout::{Model, Runner};
/// let model = GibratModel::new(GibratSpec::default()).unwrap();
/// let report = model.report(&Runner::new(1).run(&model, 20_000).summary);
/// assert!((report.hit.estimate - report.exact).abs() < 5.0 * report.hit.std_error);
/// ```
#[derive(Debug, Clone)]
pub struct GibratModel {
    spec: GibratSpec,
    log_barrier: f64,
    step_mean: f64,
    step_sd: f64,
    bridge_scale: f64,
}

impl GibratModel {
    /// Validates the parameters.
    pub fn new(spec: GibratSpec) -> Result<Self, FieldError> {
        within("mu", spec.mu, -100.0, 100.0)?;
        positive("sigma", spec.sigma)?;
        within("sigma", spec.sigma, 0.0, 100.0)?;
        positive("initial", spec.initial)?;
        within("initial", spec.initial, 0.0, 1e15)?;
        within("barrier", spec.barrier, 0.0, 1e15)?;
        if spec.barrier <= spec.initial {
            return Err(FieldError::new(
                "barrier",
                spec.barrier,
                format!("must be > initial = {}", spec.initial),
            ));
        }
        positive("horizon", spec.horizon)?;
        within("horizon", spec.horizon, 0.0, 1e7)?;
        within("mu_sd", spec.mu_sd, 0.0, 100.0)?;
        if !(1..=1_000_000).contains(&spec.steps) {
            return Err(FieldError::new("steps", spec.steps, "must lie in [1, 1000000]"));
        }
        let dt = spec.horizon / f64::from(spec.steps);
        let nu = spec.mu - 0.5 * spec.sigma * spec.sigma;
        Ok(GibratModel {
            spec,
            log_barrier: (spec.barrier / spec.initial).ln(),
            step_mean: nu * dt,
            step_sd: spec.sigma * dt.sqrt(),
            bridge_scale: -2.0 / (spec.sigma * spec.sigma * dt),
        })
    }

    /// The parameters.
    pub fn spec(&self) -> &GibratSpec {
        &self.spec
    }
}

/// One path: did it reach the barrier, and after how many steps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GibratPath {
    /// The step during which the barrier was first reached, if it was.
    pub hit_step: Option<u32>,
}

impl GibratModel {
    /// Draws one trial's outcome from `rng` (run by the runner on the
    /// trial's one stream, [`Source::Main`]).
    pub fn draw<R: Rng + ?Sized>(&self, rng: &mut R) -> GibratPath {
        self.walk(rng, self.step_mean).0
    }

    /// One path with drift `mu` (per unit time), and the highest grid
    /// point it reached (log scale, `ln(F / S0)`).
    pub fn draw_with_drift<R: Rng + ?Sized>(&self, rng: &mut R, mu: f64) -> (GibratPath, f64) {
        let dt = self.spec.horizon / f64::from(self.spec.steps);
        self.walk(rng, (mu - 0.5 * self.spec.sigma * self.spec.sigma) * dt)
    }

    fn walk<R: Rng + ?Sized>(&self, rng: &mut R, step_mean: f64) -> (GibratPath, f64) {
        let b = self.log_barrier;
        let mut x = 0.0; // ln(F / S0)
        let mut peak = 0.0f64;
        for step in 1..=self.spec.steps {
            let z: f64 = rng.sample(StandardNormal);
            let next = x + step_mean + self.step_sd * z;
            if next >= b {
                return (GibratPath { hit_step: Some(step) }, b);
            }
            if self.spec.monitoring == Monitoring::Continuous {
                let cross = (self.bridge_scale * (b - x) * (b - next)).exp();
                if rng.random::<f64>() < cross {
                    return (GibratPath { hit_step: Some(step) }, b);
                }
            }
            x = next;
            peak = peak.max(x);
        }
        (GibratPath { hit_step: None }, peak)
    }
}

impl Model for GibratModel {
    type Outcome = GibratPath;
    type Summary = GibratSummary;
    type Report = GibratReport;

    fn sample_trial(&self, streams: &TrialStreams) -> GibratPath {
        if self.spec.mu_sd == 0.0 {
            return self.draw(&mut streams.rng(Source::Main));
        }
        let z: f64 = streams.rng(Source::Talent).sample(StandardNormal);
        self.draw_with_drift(&mut streams.rng(Source::Main), self.spec.mu + self.spec.mu_sd * z).0
    }

    fn report(&self, summary: &GibratSummary) -> GibratReport {
        summary.report(&self.spec)
    }

    fn new_summary(&self) -> GibratSummary {
        GibratSummary::default()
    }

    fn simulated_time(&self, outcome: &GibratPath) -> u64 {
        u64::from(outcome.hit_step.unwrap_or(self.spec.steps))
    }
}

impl Distribution<GibratPath> for GibratModel {
    fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> GibratPath {
        self.draw(rng)
    }
}

/// Counts of paths and hits.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct GibratSummary {
    trials: u64,
    hits: u64,
}

impl Summary<GibratPath> for GibratSummary {
    fn record(&mut self, outcome: &GibratPath) {
        self.trials += 1;
        self.hits += u64::from(outcome.hit_step.is_some());
    }
    fn merge(&mut self, other: &Self) {
        self.trials += other.trials;
        self.hits += other.hits;
    }
    fn trials(&self) -> u64 {
        self.trials
    }
    fn check(&self) -> Result<(), String> {
        crate::model::within_count("hits", self.hits, "paths", self.trials)
    }
}

impl GibratSummary {
    /// The estimate next to the closed form.
    pub(crate) fn report(&self, spec: &GibratSpec) -> GibratReport {
        let hit = Proportion::new(self.hits, self.trials);
        let exact = spec.exact_hit_probability();
        GibratReport {
            hit,
            exact,
            z_score: (hit.estimate - exact) / (exact * (1.0 - exact) / hit.trials as f64).sqrt(),
        }
    }
}

/// Estimated and exact probability of reaching the barrier.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct GibratReport {
    /// Estimated probability with its intervals.
    pub hit: Proportion,
    /// The closed form.
    pub exact: f64,
    /// `(estimate - exact) / sqrt(exact (1 - exact) / n)`: standard errors off the closed form.
    pub z_score: f64,
}

impl GibratReport {
    /// A readable table.
    pub fn to_table(&self) -> String {
        let h = &self.hit;
        format!(
            "{} paths; probability of reaching the barrier by the horizon:\n  \
             estimate {:.6} +- {:.6} (SE)   Wilson [{:.6}, {:.6}]   Clopper-Pearson [{:.6}, {:.6}]\n  \
             exact    {:.6}   ({:+.2} standard errors)\n",
            h.trials,
            h.estimate,
            h.std_error,
            h.wilson.lower,
            h.wilson.upper,
            h.clopper_pearson.lower,
            h.clopper_pearson.upper,
            self.exact,
            self.z_score
        )
    }

    /// CSV: one row.
    pub fn to_csv(&self) -> String {
        let h = &self.hit;
        format!(
            "statistic,trials,successes,estimate,std_error,wilson_lower,wilson_upper,cp_lower,cp_upper,exact,z_score\n\
             hit_probability,{},{},{},{},{},{},{},{},{},{}\n",
            h.trials,
            h.successes,
            h.estimate,
            h.std_error,
            h.wilson.lower,
            h.wilson.upper,
            h.clopper_pearson.lower,
            h.clopper_pearson.upper,
            self.exact,
            self.z_score
        )
    }
}

/// One level, the barrier, on the scale of the log of the size.
impl Levels for GibratModel {
    fn levels(&self) -> Vec<(String, f64)> {
        vec![("barrier".to_string(), self.spec().barrier)]
    }

    fn progress_of(&self, threshold: f64) -> f64 {
        (threshold / self.spec().initial).ln()
    }

    fn goal(&self) -> usize {
        0
    }
}

/// One input, the drift (random when `mu_sd > 0`).
impl Inputs for GibratModel {
    fn inputs(&self) -> Vec<Input> {
        let spec = self.spec();
        let prior = if spec.mu_sd > 0.0 {
            Law::Normal { mean: spec.mu, sd: spec.mu_sd }
        } else {
            Law::Fixed { value: spec.mu }
        };
        vec![Input {
            name: "drift",
            source: Source::Talent,
            prior,
            range: (f64::NEG_INFINITY, f64::INFINITY),
            floor: None,
        }]
    }

    fn root(&self, streams: &TrialStreams, raw: &[f64], _: Option<&SplitPlan>) -> Root {
        let (path, peak) = self.draw_with_drift(&mut streams.rng(Source::Main), raw[0]);
        let steps = path.hit_step.unwrap_or(self.spec().steps);
        let progress = if path.hit_step.is_some() { self.progress_of(self.spec().barrier) } else { peak };
        let hit = if path.hit_step.is_some() { 1.0 } else { 0.0 };
        let mut hits = [0.0; LEVEL_SLOTS];
        hits[0] = hit;
        let peak = self.spec().initial * progress.exp();
        Root { progress, peak, hits, work: u64::from(steps), ..Root::default() }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn closed_form_limits() {
        // No drift: P = 2 Phi(-b / (sigma sqrt T)) (reflection principle with nu = 0).
        let (sigma, t, s0, barrier) = (0.3f64, 2.0f64, 1.0f64, 1.5f64);
        let mu = 0.5 * sigma * sigma; // nu = 0
        let b: f64 = (barrier / s0).ln();
        let expected = 2.0 * Normal::standard().cdf(-b / (sigma * t.sqrt()));
        assert!((gbm_hit_probability(mu, sigma, s0, barrier, t) - expected).abs() < 1e-12);
        // A barrier far above is almost never reached; a huge drift almost always.
        assert!(gbm_hit_probability(0.0, 0.1, 1.0, 1e6, 1.0) < 1e-12);
        assert!(gbm_hit_probability(50.0, 0.1, 1.0, 2.0, 1.0) > 1.0 - 1e-12);
    }

    #[test]
    fn refuses_bad_parameters() {
        let bad = GibratSpec { barrier: 500.0, ..GibratSpec::default() };
        assert_eq!(GibratModel::new(bad).unwrap_err().to_string(), "barrier = 500: must be > initial = 1000");
        let bad = GibratSpec { sigma: 0.0, ..GibratSpec::default() };
        assert_eq!(GibratModel::new(bad).unwrap_err().field, "sigma");
        let bad = GibratSpec { steps: 0, ..GibratSpec::default() };
        assert_eq!(GibratModel::new(bad).unwrap_err().field, "steps");
    }
}
