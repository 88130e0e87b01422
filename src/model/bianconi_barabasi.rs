//! The Bianconi-Barabasi fitness model: preferential attachment with fitness,
//! the limit of the platform model where follows go to creators in
//! proportion to fitness x popularity (Bianconi & Barabasi 2001, EPL 54:436).
//!
//! One trial is one world of `days` platform days. On day `t = 1, 2, ...`
//! one creator enters with a fitness `eta ~ Uniform[0, 1]` and no followers;
//! then `m` follows go out one at a time, each to creator `i` with probability
//!
//! `eta_i (k_i + a) / Z`,   `Z = sum_j eta_j (k_j + a)`,
//!
//! with `k_i` its followers and `a` the initial attractiveness every creator
//! starts with (so that a newcomer can be followed). No unfollows, no quitting.
//!
//! **The growth exponent.** In the continuum limit
//! `d(k_i + a)/dt = m eta_i (k_i + a) / Z(t)`. With `Z(t) = m C t` this gives
//!
//! `k_i(t) + a = a (t / t_i)^(eta_i / C)`,
//!
//! and `Z` summed over creators entered at every day `s <= t` and every
//! fitness, `Z = a t int_0^1 eta / (1 - eta / C) d eta`, closes the loop:
//!
//! `C ln(C / (C - 1)) = 1 + m / a`.
//!
//! With `a = m` (a newcomer as attractive as Bianconi-Barabasi's node that
//! arrives with its `m` links) this is their `C ln(C / (C - 1)) = 2`,
//! `C = 1.2550`: growth exponents `eta / C` of 0.797 at fitness 1 and 0.398 at
//! fitness 0.5. [`exponent_constant`] solves it.
//!
//! **What a trial measures.** The creators entering on days
//! `probe_day, probe_day + 1` take the fitnesses `probe_fitness` instead of a
//! draw (the probes); each probe's exponent is estimated from its growth
//! between day `observe_from` and the last day,
//!
//! `beta = ln(E[k(T) + a] / E[k(t_1) + a]) / ln(T / t_1)`,
//!
//! the means taken over independent replicate worlds (the standard error by
//! the delta method over worlds, [`CrossMoments::delta`]); and the world's
//! constant as `Z(T) / (m T)`, averaged over worlds. The ratio of means, not
//! the mean of each world's log ratio: `k + a` grows like a Polya urn, whose
//! mean grows exactly at the mean-field rate, while the log of a small count
//! is biased low (`E ln X < ln E X`; at fitness 0.5, `k(t_1) + a` about 15,
//! the mean of log ratios came out 0.365 +- 0.009 against 0.398).
//!
//! Follows are drawn by a Fenwick tree over the creators' weights
//! (`O(log days)` a follow), all from the trial's [`Source::Main`] stream:
//! a world of `10^5` days and `m = 1` takes a few milliseconds.

use crate::error::{FieldError, positive, within};
use crate::model::{Model, Summary};
use crate::random::{Source, TrialStreams};
use crate::stats::{CrossMoments, Estimate, Moments};
use rand::{Rng, RngExt};
use serde::{Deserialize, Serialize};

/// The most days (creators) a world may have: 10^7 (about 160 MB of tree and counts).
pub const MAX_DAYS: u32 = 10_000_000;
/// The most follows a day may give out.
pub const MAX_FOLLOWS_PER_DAY: u32 = 10_000;

/// Parameters of the Bianconi-Barabasi model (the `[bianconi_barabasi]` section of a scenario).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct BianconiBarabasiSpec {
    /// Platform days in a world (one creator enters each day), in `[10, 10^7]`. Default 100,000.
    pub days: u32,
    /// Follows given out each day, `m`, in `[1, 10000]`. Default 1.
    pub follows_per_day: u32,
    /// Initial attractiveness `a` of every creator, in `(0, 10^6]`. Default 1 (`= m`: Bianconi
    /// and Barabasi's `C ln(C / (C - 1)) = 2`).
    pub initial_attractiveness: f64,
    /// The fitnesses of the two probe creators, each in `(0, 1]`. Default `[1.0, 0.5]`.
    pub probe_fitness: [f64; 2],
    /// The day the first probe enters (the second enters the next day), in `[1, days / 10]`.
    /// Default 10.
    pub probe_day: u32,
    /// The day from which a probe's growth exponent is measured (to the last day), in
    /// `(probe_day + 1, days)`. Default 10,000.
    pub observe_from: u32,
}

impl Default for BianconiBarabasiSpec {
    fn default() -> Self {
        BianconiBarabasiSpec {
            days: 100_000,
            follows_per_day: 1,
            initial_attractiveness: 1.0,
            probe_fitness: [1.0, 0.5],
            probe_day: 10,
            observe_from: 10_000,
        }
    }
}

/// The constant `C > 1` solving `C ln(C / (C - 1)) = 1 + m / a` (module
/// docs), by bisection to machine precision. `C ln(C / (C - 1))` falls from
/// infinity (at `C -> 1`) to 1 (at `C -> infinity`), so the root is unique
/// for every `m / a > 0`.
pub fn exponent_constant(follows_per_day: f64, initial_attractiveness: f64) -> f64 {
    let target = 1.0 + follows_per_day / initial_attractiveness;
    let f = |c: f64| c * (c / (c - 1.0)).ln() - target;
    let (mut low, mut high) = (1.0 + 1e-15, 2.0);
    while f(high) > 0.0 {
        high *= 2.0;
    }
    for _ in 0..200 {
        let mid = 0.5 * (low + high);
        if f(mid) > 0.0 { low = mid } else { high = mid }
    }
    0.5 * (low + high)
}

/// The Bianconi-Barabasi model, validated.
#[derive(Debug, Clone)]
pub struct BianconiBarabasiModel {
    spec: BianconiBarabasiSpec,
}

impl BianconiBarabasiModel {
    /// Validates the parameters (ranges in [`BianconiBarabasiSpec`]).
    pub fn new(spec: BianconiBarabasiSpec) -> Result<Self, FieldError> {
        if !(10..=MAX_DAYS).contains(&spec.days) {
            return Err(FieldError::new("days", spec.days, format!("must lie in [10, {MAX_DAYS}]")));
        }
        if !(1..=MAX_FOLLOWS_PER_DAY).contains(&spec.follows_per_day) {
            return Err(FieldError::new(
                "follows_per_day",
                spec.follows_per_day,
                format!("must lie in [1, {MAX_FOLLOWS_PER_DAY}]"),
            ));
        }
        positive("initial_attractiveness", spec.initial_attractiveness)?;
        within("initial_attractiveness", spec.initial_attractiveness, 0.0, 1e6)?;
        for (i, &eta) in spec.probe_fitness.iter().enumerate() {
            if !(eta > 0.0 && eta <= 1.0) {
                return Err(FieldError::new(format!("probe_fitness[{i}]"), eta, "must lie in (0, 1]"));
            }
        }
        if !(1..=spec.days / 10).contains(&spec.probe_day) {
            return Err(FieldError::new(
                "probe_day",
                spec.probe_day,
                format!("must lie in [1, days / 10 = {}]", spec.days / 10),
            ));
        }
        if spec.observe_from <= spec.probe_day + 1 || spec.observe_from >= spec.days {
            return Err(FieldError::new(
                "observe_from",
                spec.observe_from,
                format!(
                    "must lie in ({}, {}) (after the probes enter, before the last day)",
                    spec.probe_day + 1,
                    spec.days
                ),
            ));
        }
        Ok(BianconiBarabasiModel { spec })
    }

    /// The parameters.
    pub fn spec(&self) -> &BianconiBarabasiSpec {
        &self.spec
    }

    /// `C` of this world's `m` and `a` ([`exponent_constant`]).
    pub fn constant(&self) -> f64 {
        exponent_constant(f64::from(self.spec.follows_per_day), self.spec.initial_attractiveness)
    }

    /// Draws one world from `rng` (module docs).
    pub fn draw<R: Rng + ?Sized>(&self, rng: &mut R) -> BbWorld {
        let spec = &self.spec;
        let a = spec.initial_attractiveness;
        let mut tree = Fenwick::new(spec.days as usize);
        let mut fitness = vec![0.0f64; spec.days as usize];
        let mut followers = vec![0u64; spec.days as usize];
        let probe = |i: usize| spec.probe_fitness[i - (spec.probe_day as usize - 1)];
        let probes = spec.probe_day as usize - 1..spec.probe_day as usize + 1;
        let mut at_observe_from = [0.0f64; 2];
        for day in 1..=spec.days as usize {
            let i = day - 1;
            fitness[i] = if probes.contains(&i) { probe(i) } else { rng.random::<f64>() };
            tree.add(i, fitness[i] * a);
            for _ in 0..spec.follows_per_day {
                let j = tree.find(rng.random::<f64>() * tree.total(), day);
                followers[j] += 1;
                tree.add(j, fitness[j]);
            }
            if day == spec.observe_from as usize {
                for (k, p) in probes.clone().enumerate() {
                    at_observe_from[k] = followers[p] as f64 + a;
                }
            }
        }
        let growth = [0, 1].map(|k| {
            let end = followers[probes.start + k] as f64 + a;
            [self.scaled(k, at_observe_from[k], spec.observe_from), self.scaled(k, end, spec.days)]
        });
        let z: f64 = fitness.iter().zip(&followers).map(|(eta, &k)| eta * (k as f64 + a)).sum();
        BbWorld { growth, constant: z / (f64::from(spec.follows_per_day) * f64::from(spec.days)) }
    }

    /// Probe `k`'s `k + a` on day `day`, divided by `a (day / t_k)^eta_k`
    /// (its growth at exponent `eta >= eta / C`), so that the recorded values
    /// stay of order 1 or less whatever the horizon (fixed point, [`CrossMoments`]).
    fn scaled(&self, k: usize, attractiveness: f64, day: u32) -> f64 {
        let entry = f64::from(self.spec.probe_day) + k as f64;
        let eta = self.spec.probe_fitness[k];
        attractiveness / (self.spec.initial_attractiveness * (f64::from(day) / entry).powf(eta))
    }
}

/// A Fenwick (binary indexed) tree of non-negative weights: add to one,
/// total, and find the index where a running sum crosses a value.
struct Fenwick {
    tree: Vec<f64>,
}

impl Fenwick {
    fn new(n: usize) -> Self {
        Fenwick { tree: vec![0.0; n + 1] }
    }

    fn add(&mut self, index: usize, delta: f64) {
        let mut i = index + 1;
        while i < self.tree.len() {
            self.tree[i] += delta;
            i += i & i.wrapping_neg();
        }
    }

    fn total(&self) -> f64 {
        let mut i = self.tree.len() - 1;
        let mut sum = 0.0;
        while i > 0 {
            sum += self.tree[i];
            i -= i & i.wrapping_neg();
        }
        sum
    }

    /// The smallest index whose prefix sum exceeds `value`, among the first
    /// `present` (rounding can carry a search past them; it stops at the last).
    fn find(&self, mut value: f64, present: usize) -> usize {
        let n = self.tree.len() - 1;
        let mut position = 0;
        let mut step = n.next_power_of_two();
        while step > 0 {
            let next = position + step;
            if next <= n && self.tree[next] <= value {
                position = next;
                value -= self.tree[next];
            }
            step >>= 1;
        }
        position.min(present - 1)
    }
}

/// One world's measurements.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BbWorld {
    /// Each probe's `k + a` on day `observe_from` and on the last day,
    /// scaled by `a (day / t_k)^eta_k` (`BianconiBarabasiModel::scaled`).
    pub growth: [[f64; 2]; 2],
    /// `Z(T) / (m T)`, the world's estimate of `C`.
    pub constant: f64,
}

impl BianconiBarabasiModel {
    /// Probe `k`'s growth exponent, `eta_k + ln(mean y(T) / mean y(t_1)) / ln(T / t_1)`
    /// with `y` the scaled `k + a` (module docs), and its delta-method standard error.
    fn exponent(&self, summary: &BbSummary, k: usize) -> Estimate {
        let m = &summary.growth;
        let (i, j) = (2 * k, 2 * k + 1);
        let span = (f64::from(self.spec.days) / f64::from(self.spec.observe_from)).ln();
        let (start, end) = (m.mean(i), m.mean(j));
        let value = self.spec.probe_fitness[k] + (end / start).ln() / span;
        let mut gradient = [0.0; 4];
        gradient[i] = -1.0 / (start * span);
        gradient[j] = 1.0 / (end * span);
        m.delta(value, &gradient).unwrap_or(Estimate::normal(f64::NAN, f64::NAN, 0.95))
    }
}

impl Model for BianconiBarabasiModel {
    type Outcome = BbWorld;
    type Summary = BbSummary;
    type Report = BbReport;

    fn sample_trial(&self, streams: &TrialStreams) -> BbWorld {
        self.draw(&mut streams.rng(Source::Main))
    }

    fn new_summary(&self) -> BbSummary {
        BbSummary::default()
    }

    fn report(&self, summary: &BbSummary) -> BbReport {
        let c = self.constant();
        let estimate = |m: &Moments| m.mean_estimate().unwrap_or(Estimate::normal(f64::NAN, f64::NAN, 0.95));
        BbReport {
            worlds: summary.trials(),
            exact_constant: c,
            constant: estimate(&summary.constant),
            probe_fitness: self.spec.probe_fitness,
            exact_exponents: self.spec.probe_fitness.map(|eta| eta / c),
            exponents: [0, 1].map(|k| self.exponent(summary, k)),
        }
    }

    fn simulated_time(&self, _: &BbWorld) -> u64 {
        u64::from(self.spec.days)
    }
}

/// The moments, over worlds, of the probes' scaled `k + a` (both days,
/// with their covariances) and of the constant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BbSummary {
    growth: CrossMoments,
    constant: Moments,
}

impl Default for BbSummary {
    fn default() -> Self {
        BbSummary { growth: CrossMoments::new(4), constant: Moments::new() }
    }
}

impl Summary<BbWorld> for BbSummary {
    fn record(&mut self, world: &BbWorld) {
        let [[a, b], [c, d]] = world.growth;
        self.growth.record(&[a, b, c, d]);
        self.constant.record(world.constant);
    }
    fn merge(&mut self, other: &Self) {
        self.growth.merge(&other.growth);
        self.constant.merge(&other.constant);
    }
    fn trials(&self) -> u64 {
        self.constant.count()
    }
    /// Every statistic counts every world.
    fn check(&self) -> Result<(), String> {
        let n = self.constant.count();
        if self.growth.count() != n {
            return Err(format!("its probes' growth does not count its {n} worlds"));
        }
        Ok(())
    }
    fn same_shape(&self, other: &Self) -> bool {
        self.growth.has_dim(4) && other.growth.has_dim(4)
    }
}

/// What the worlds found, next to the continuum theory.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct BbReport {
    /// Worlds simulated.
    pub worlds: u64,
    /// `C` solving `C ln(C / (C - 1)) = 1 + m / a`.
    pub exact_constant: f64,
    /// `Z(T) / (m T)`, mean over worlds with its standard error.
    pub constant: Estimate,
    /// The probes' fitnesses.
    pub probe_fitness: [f64; 2],
    /// `eta / C` for each probe.
    pub exact_exponents: [f64; 2],
    /// Each probe's measured growth exponent, mean over worlds with its standard error.
    pub exponents: [Estimate; 2],
}

impl BbReport {
    /// A readable table.
    pub fn to_table(&self) -> String {
        let row = |name: String, e: &Estimate, exact: f64| {
            format!(
                "  {name:<22} {:.4} +- {:.4} (SE)   theory {:.4}   ({:+.2} SE)\n",
                e.value,
                e.std_error,
                exact,
                (e.value - exact) / e.std_error
            )
        };
        let mut out = format!("{} worlds (standard errors over worlds):\n", self.worlds);
        out += &row("C = Z(T) / (m T)".to_string(), &self.constant, self.exact_constant);
        for k in 0..2 {
            let name = format!("exponent, fitness {}", self.probe_fitness[k]);
            out += &row(name, &self.exponents[k], self.exact_exponents[k]);
        }
        out
    }

    /// CSV: one row per statistic.
    pub fn to_csv(&self) -> String {
        let mut out = String::from("statistic,estimate,std_error,theory\n");
        out += &format!(
            "constant,{},{},{}\n",
            self.constant.value, self.constant.std_error, self.exact_constant
        );
        for k in 0..2 {
            let e = &self.exponents[k];
            out += &format!(
                "exponent_fitness_{},{},{},{}\n",
                self.probe_fitness[k], e.value, e.std_error, self.exact_exponents[k]
            );
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_constant_is_bianconi_barabasis() {
        let c = exponent_constant(1.0, 1.0);
        assert!((c - 1.2550).abs() < 5e-5, "{c}");
        assert!((c * (c / (c - 1.0)).ln() - 2.0).abs() < 1e-12);
        assert!((1.0 / c - 0.797).abs() < 5e-4 && (0.5 / c - 0.398).abs() < 5e-4);
    }

    #[test]
    fn refuses_bad_parameters() {
        let bad = BianconiBarabasiSpec { observe_from: 5, ..Default::default() };
        let e = BianconiBarabasiModel::new(bad).unwrap_err();
        assert!(e.to_string().starts_with("observe_from = 5: must lie in (11, 100000)"), "{e}");
        let bad = BianconiBarabasiSpec { probe_fitness: [1.0, 0.0], ..Default::default() };
        assert_eq!(
            BianconiBarabasiModel::new(bad).unwrap_err().to_string(),
            "probe_fitness[1] = 0: must lie in (0, 1]"
        );
        let bad = BianconiBarabasiSpec { initial_attractiveness: -1.0, ..Default::default() };
        assert_eq!(BianconiBarabasiModel::new(bad).unwrap_err().field, "initial_attractiveness");
    }

    #[test]
    fn fenwick_finds_the_crossing() {
        let mut t = Fenwick::new(5);
        for (i, w) in [1.0, 0.0, 2.0, 3.0, 0.5].iter().enumerate() {
            t.add(i, *w);
        }
        assert_eq!(t.total(), 6.5);
        let found: Vec<usize> =
            [0.0, 0.99, 1.0, 2.9, 3.0, 5.99, 6.0, 6.49].iter().map(|&v| t.find(v, 5)).collect();
        assert_eq!(found, [0, 0, 2, 2, 3, 3, 4, 4]);
    }
}
