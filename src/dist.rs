//! Distributions of creator traits (talent, effort, entry day, niche size).
//!
//! In a scenario file a trait is either a number, meaning every creator has
//! that value (a "what-if" creator), or a table naming a distribution:
//!
//! ```toml
//! talent    = 0.7                                        # fixed
//! talent    = { dist = "normal", mean = 0.5, sd = 0.15 }  # clamped to the trait's range
//! effort    = { dist = "lognormal", median = 3.0, sigma = 0.8 }
//! entry_day = { dist = "uniform", low = 0, high = 3650 }
//! ```
//!
//! Every draw is clamped to the trait's range (talent `[0, 1]`, effort
//! `[0.1, 28]` posts a week, ...), as the model specifies.

use crate::error::{FieldError, finite, positive};
use rand::{Rng, RngExt};
use rand_distr::{Distribution, LogNormal, Normal, Uniform};
use serde::de::{self, MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize};
use std::fmt;

/// The distribution of one creator trait across the population.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "dist", rename_all = "snake_case", deny_unknown_fields)]
pub enum TraitDist {
    /// Every creator has `value`.
    Fixed {
        /// The value.
        value: f64,
    },
    /// `Normal(mean, sd)`, clamped to the trait's range.
    Normal {
        /// Mean.
        mean: f64,
        /// Standard deviation, > 0.
        sd: f64,
    },
    /// Log-normal with the given median (`exp(mu)`) and log-scale `sigma`,
    /// clamped to the trait's range.
    #[serde(rename = "lognormal")]
    LogNormal {
        /// Median, > 0.
        median: f64,
        /// Standard deviation of the logarithm, > 0.
        sigma: f64,
    },
    /// Uniform on `[low, high]`.
    Uniform {
        /// Lower end.
        low: f64,
        /// Upper end, > low.
        high: f64,
    },
}

impl TraitDist {
    /// Checks the parameters against the trait's range `[low, high]`: a fixed
    /// value, a normal mean, a log-normal median and a uniform's ends must lie
    /// in it; spreads must be > 0. `field` names the trait in error messages.
    pub fn validate(&self, field: &str, low: f64, high: f64) -> Result<(), FieldError> {
        let inside = |name: &str, v: f64| -> Result<(), FieldError> {
            let path = if name.is_empty() { field.to_string() } else { format!("{field}.{name}") };
            finite(&path, v)?;
            if v < low || v > high {
                return Err(FieldError::new(path, v, format!("must lie in [{low}, {high}]")));
            }
            Ok(())
        };
        match *self {
            TraitDist::Fixed { value } => inside("", value),
            TraitDist::Normal { mean, sd } => {
                inside("mean", mean)?;
                positive(&format!("{field}.sd"), sd).map(drop)
            }
            TraitDist::LogNormal { median, sigma } => {
                positive(&format!("{field}.median"), median)?;
                inside("median", median)?;
                positive(&format!("{field}.sigma"), sigma)?;
                if sigma > 10.0 {
                    return Err(FieldError::new(format!("{field}.sigma"), sigma, "must be <= 10"));
                }
                Ok(())
            }
            TraitDist::Uniform { low: a, high: b } => {
                inside("low", a)?;
                inside("high", b)?;
                if b <= a {
                    return Err(FieldError::new(format!("{field}.high"), b, format!("must be > low = {a}")));
                }
                Ok(())
            }
        }
    }

    /// A sampler that clamps to `[low, high]`. Call [`TraitDist::validate`] first.
    pub fn sampler(&self, low: f64, high: f64) -> TraitSampler {
        let kind = match *self {
            TraitDist::Fixed { value } => SamplerKind::Fixed(value),
            TraitDist::Normal { mean, sd } => SamplerKind::Normal(Normal::new(mean, sd).expect("validated")),
            TraitDist::LogNormal { median, sigma } => {
                SamplerKind::LogNormal(LogNormal::new(median.ln(), sigma).expect("validated"))
            }
            TraitDist::Uniform { low, high } => {
                SamplerKind::Uniform(Uniform::new_inclusive(low, high).expect("validated"))
            }
        };
        TraitSampler { kind, low, high }
    }

    /// `E[f(X)]` for `X` drawn from this distribution and clamped to
    /// `[low, high]` (the clamped mass sits at the ends): exact for a fixed
    /// value, otherwise composite Simpson's rule with 4000 panels over the
    /// interior, which is accurate to about 1e-12 for smooth `f`.
    pub fn expectation(&self, low: f64, high: f64, f: impl Fn(f64) -> f64) -> f64 {
        use statrs::distribution::{Continuous, ContinuousCDF, LogNormal as SLogNormal, Normal as SNormal};
        type Curve = Box<dyn Fn(f64) -> f64>;
        let (cdf, pdf): (Curve, Curve) = match *self {
            TraitDist::Fixed { value } => return f(value.clamp(low, high)),
            TraitDist::Normal { mean, sd } => {
                let d = SNormal::new(mean, sd).expect("validated");
                (Box::new(move |x| d.cdf(x)), Box::new(move |x| d.pdf(x)))
            }
            TraitDist::LogNormal { median, sigma } => {
                let d = SLogNormal::new(median.ln(), sigma).expect("validated");
                (Box::new(move |x| d.cdf(x)), Box::new(move |x| d.pdf(x)))
            }
            TraitDist::Uniform { low: a, high: b } => (
                Box::new(move |x: f64| ((x - a) / (b - a)).clamp(0.0, 1.0)),
                Box::new(move |x| if (a..=b).contains(&x) { 1.0 / (b - a) } else { 0.0 }),
            ),
        };
        let (lo, hi) = match *self {
            TraitDist::Uniform { low: a, high: b } => (a.max(low), b.min(high)),
            _ => (low, high),
        };
        let below = cdf(low);
        let above = 1.0 - cdf(high);
        let panels = 4000;
        let h = (hi - lo) / panels as f64;
        let g = |x: f64| f(x) * pdf(x);
        let mut inner = g(lo) + g(hi);
        for i in 1..panels {
            inner += g(lo + i as f64 * h) * if i % 2 == 1 { 4.0 } else { 2.0 };
        }
        below * f(low) + above * f(high) + inner * h / 3.0
    }

    /// `P(X <= x)` for `X` drawn from this distribution before clamping.
    pub fn raw_cdf(&self, x: f64) -> f64 {
        use statrs::distribution::{ContinuousCDF, Normal as SNormal};
        match *self {
            TraitDist::Fixed { value } => f64::from(u8::from(x >= value)),
            TraitDist::Normal { mean, sd } => SNormal::new(mean, sd).expect("validated").cdf(x),
            TraitDist::LogNormal { median, sigma } => {
                if x <= 0.0 {
                    0.0
                } else {
                    SNormal::new(median.ln(), sigma).expect("validated").cdf(x.ln())
                }
            }
            TraitDist::Uniform { low, high } => ((x - low) / (high - low)).clamp(0.0, 1.0),
        }
    }

    /// The `p`-quantile (`p` in `[0, 1]`) of this distribution clamped to
    /// `[low, high]`: the quantile of the unclamped distribution, clamped.
    pub fn quantile(&self, p: f64, low: f64, high: f64) -> f64 {
        use statrs::distribution::{ContinuousCDF, Normal as SNormal};
        let p = p.clamp(0.0, 1.0);
        let x = match *self {
            TraitDist::Fixed { value } => value,
            TraitDist::Normal { mean, sd } => SNormal::new(mean, sd).expect("validated").inverse_cdf(p),
            TraitDist::LogNormal { median, sigma } => {
                (median.ln() + sigma * SNormal::standard().inverse_cdf(p)).exp()
            }
            TraitDist::Uniform { low: a, high: b } => a + p * (b - a),
        };
        if x.is_nan() { low } else { x.clamp(low, high) }
    }

    /// A draw from this distribution clamped to `[low, high]`, conditioned on
    /// being at least `floor`: inversion of a uniform on `[F(floor), 1)`,
    /// where `F` is the unclamped distribution function. Exact; used where a
    /// state rules values out (a creator with `F` followers has a niche of at
    /// least `F`). Callers check [`TraitDist::raw_cdf`]`(floor) < 1` first.
    pub fn sample_at_least<R: Rng + ?Sized>(&self, rng: &mut R, floor: f64, low: f64, high: f64) -> f64 {
        let below = self.raw_cdf(floor);
        let u: f64 = rng.random();
        self.quantile(below + u * (1.0 - below), low, high).max(floor.min(high))
    }

    /// Deserializes a trait from a number (fixed) or a `{ dist = ... }` table.
    /// Use as `#[serde(deserialize_with = "TraitDist::number_or_table")]`.
    pub fn number_or_table<'de, D: Deserializer<'de>>(deserializer: D) -> Result<TraitDist, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = TraitDist;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str(
                    "a number (every creator the same) or a table such as \
                     { dist = \"normal\", mean = 0.5, sd = 0.15 } with dist one of \
                     fixed, normal, lognormal, uniform",
                )
            }
            fn visit_f64<E: de::Error>(self, value: f64) -> Result<TraitDist, E> {
                Ok(TraitDist::Fixed { value })
            }
            fn visit_i64<E: de::Error>(self, value: i64) -> Result<TraitDist, E> {
                Ok(TraitDist::Fixed { value: value as f64 })
            }
            fn visit_u64<E: de::Error>(self, value: u64) -> Result<TraitDist, E> {
                Ok(TraitDist::Fixed { value: value as f64 })
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<TraitDist, A::Error> {
                TraitDist::deserialize(de::value::MapAccessDeserializer::new(map))
            }
        }
        deserializer.deserialize_any(V)
    }
}

#[derive(Debug, Clone, Copy)]
enum SamplerKind {
    Fixed(f64),
    Normal(Normal<f64>),
    LogNormal(LogNormal<f64>),
    Uniform(Uniform<f64>),
}

/// A ready-to-sample, clamped trait distribution (built by [`TraitDist::sampler`]).
#[derive(Debug, Clone, Copy)]
pub struct TraitSampler {
    kind: SamplerKind,
    low: f64,
    high: f64,
}

impl Distribution<f64> for TraitSampler {
    #[inline]
    fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        let x = match &self.kind {
            SamplerKind::Fixed(v) => *v,
            SamplerKind::Normal(d) => d.sample(rng),
            SamplerKind::LogNormal(d) => d.sample(rng),
            SamplerKind::Uniform(d) => d.sample(rng),
        };
        x.clamp(self.low, self.high)
    }
}

/// The law of one input's raw draw: a population's, or a proposal (what
/// importance sampling reweights). A population's uniform is a `Beta(1, 1)`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "dist", rename_all = "lowercase", deny_unknown_fields)]
pub enum Law {
    /// Always `value` (weight 1).
    Fixed {
        /// The value.
        value: f64,
    },
    /// `Normal(mean, sd)`.
    Normal {
        /// Mean.
        mean: f64,
        /// Standard deviation, > 0.
        sd: f64,
    },
    /// Log-normal with median `exp(mu)` and log-scale `sigma`.
    #[serde(rename = "lognormal")]
    LogNormal {
        /// Median, > 0.
        median: f64,
        /// Standard deviation of the logarithm, > 0.
        sigma: f64,
    },
    /// `Beta(alpha, beta)` stretched to `[low, high]` (a uniform is `alpha =
    /// beta = 1`).
    Beta {
        /// First shape, > 0.
        alpha: f64,
        /// Second shape, > 0.
        beta: f64,
        /// Lower end.
        low: f64,
        /// Upper end, > low.
        high: f64,
    },
}

impl Law {
    /// The law of a population's trait (a uniform becomes `Beta(1, 1)`).
    pub fn of(dist: &TraitDist) -> Law {
        match *dist {
            TraitDist::Fixed { value } => Law::Fixed { value },
            TraitDist::Normal { mean, sd } => Law::Normal { mean, sd },
            TraitDist::LogNormal { median, sigma } => Law::LogNormal { median, sigma },
            TraitDist::Uniform { low, high } => Law::Beta { alpha: 1.0, beta: 1.0, low, high },
        }
    }

    /// A raw draw (before any clamping).
    pub fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        use rand_distr::Distribution as _;
        match *self {
            Law::Fixed { value } => value,
            Law::Normal { mean, sd } => mean + sd * rng.sample::<f64, _>(rand_distr::StandardNormal),
            Law::LogNormal { median, sigma } => {
                (median.ln() + sigma * rng.sample::<f64, _>(rand_distr::StandardNormal)).exp()
            }
            Law::Beta { alpha, beta, low, high } => {
                if alpha == 1.0 && beta == 1.0 {
                    low + (high - low) * rng.random::<f64>()
                } else {
                    let u = rand_distr::Beta::new(alpha, beta).expect("validated shapes").sample(rng);
                    low + (high - low) * u
                }
            }
        }
    }

    /// A raw draw conditioned on being at least `floor`, by inversion of
    /// the upper tail (`x = S^-1(u S(floor))`, accurate however far in the
    /// tail `floor` lies); bisection on the distribution function for a Beta.
    pub fn sample_at_least<R: Rng + ?Sized>(&self, rng: &mut R, floor: f64) -> f64 {
        use statrs::distribution::ContinuousCDF as _;
        let u: f64 = rng.random::<f64>().max(f64::MIN_POSITIVE);
        let std = statrs::distribution::Normal::standard();
        match *self {
            Law::Fixed { value } => value,
            Law::Normal { mean, sd } => {
                let tail = self.ln_sf(floor);
                mean - sd * std.inverse_cdf((u.ln() + tail).exp())
            }
            Law::LogNormal { median, sigma } => {
                if floor <= 0.0 {
                    return self.sample(rng);
                }
                let tail = self.ln_sf(floor);
                (median.ln() - sigma * std.inverse_cdf((u.ln() + tail).exp())).exp()
            }
            Law::Beta { low, high, .. } => {
                let target = (u.ln() + self.ln_sf(floor)).exp(); // the survival to reach
                let (mut a, mut b) = (floor.max(low), high);
                for _ in 0..80 {
                    let mid = 0.5 * (a + b);
                    if self.ln_sf(mid).exp() > target { a = mid } else { b = mid }
                }
                0.5 * (a + b)
            }
        }
    }

    /// The log density at `x` (0 for a fixed law: its weight is 1).
    pub fn ln_pdf(&self, x: f64) -> f64 {
        use statrs::distribution::Continuous as _;
        match *self {
            Law::Fixed { .. } => 0.0,
            Law::Normal { mean, sd } => {
                let z = (x - mean) / sd;
                -0.5 * z * z - sd.ln() - 0.5 * (2.0 * std::f64::consts::PI).ln()
            }
            Law::LogNormal { median, sigma } => {
                if x <= 0.0 {
                    return f64::NEG_INFINITY;
                }
                let z = (x.ln() - median.ln()) / sigma;
                -0.5 * z * z - sigma.ln() - x.ln() - 0.5 * (2.0 * std::f64::consts::PI).ln()
            }
            Law::Beta { alpha, beta, low, high } => {
                let u = (x - low) / (high - low);
                if !(0.0..=1.0).contains(&u) {
                    return f64::NEG_INFINITY;
                }
                let shape = statrs::distribution::Beta::new(alpha, beta).expect("validated shapes");
                shape.ln_pdf(u) - (high - low).ln()
            }
        }
    }

    /// `ln P(X <= x)`.
    pub fn ln_cdf(&self, x: f64) -> f64 {
        use statrs::distribution::ContinuousCDF as _;
        match *self {
            Law::Fixed { value } => {
                if x >= value {
                    0.0
                } else {
                    f64::NEG_INFINITY
                }
            }
            Law::Normal { mean, sd } => crate::stats::ln_normal_cdf((x - mean) / sd),
            Law::LogNormal { median, sigma } => {
                if x <= 0.0 {
                    f64::NEG_INFINITY
                } else {
                    crate::stats::ln_normal_cdf((x.ln() - median.ln()) / sigma)
                }
            }
            Law::Beta { alpha, beta, low, high } => {
                let shape = statrs::distribution::Beta::new(alpha, beta).expect("validated shapes");
                shape.cdf(((x - low) / (high - low)).clamp(0.0, 1.0)).ln()
            }
        }
    }

    /// `ln P(X >= x)`.
    pub fn ln_sf(&self, x: f64) -> f64 {
        use statrs::distribution::ContinuousCDF as _;
        match *self {
            Law::Fixed { value } => {
                if x <= value {
                    0.0
                } else {
                    f64::NEG_INFINITY
                }
            }
            Law::Normal { mean, sd } => crate::stats::ln_normal_cdf((mean - x) / sd),
            Law::LogNormal { median, sigma } => {
                if x <= 0.0 {
                    0.0
                } else {
                    crate::stats::ln_normal_cdf((median.ln() - x.ln()) / sigma)
                }
            }
            Law::Beta { alpha, beta, low, high } => {
                let shape = statrs::distribution::Beta::new(alpha, beta).expect("validated shapes");
                shape.sf(((x - low) / (high - low)).clamp(0.0, 1.0)).ln()
            }
        }
    }

    /// The coordinate the cross-entropy method fits: `x` (normal), `ln x`
    /// (log-normal), the position `(x - low) / (high - low)` (Beta).
    pub(crate) fn coordinate(&self, x: f64) -> f64 {
        match *self {
            Law::Fixed { .. } | Law::Normal { .. } => x,
            Law::LogNormal { .. } => x.ln(),
            Law::Beta { low, high, .. } => (x - low) / (high - low),
        }
    }

    /// Mean and sd of the coordinate under this law.
    pub(crate) fn moments(&self) -> (f64, f64) {
        match *self {
            Law::Fixed { value } => (value, 0.0),
            Law::Normal { mean, sd } => (mean, sd),
            Law::LogNormal { median, sigma } => (median.ln(), sigma),
            Law::Beta { alpha, beta, .. } => {
                let s = alpha + beta;
                (alpha / s, (alpha * beta / (s * s * (s + 1.0))).sqrt())
            }
        }
    }

    /// The law of the same family whose coordinate has this mean and sd
    /// (a Beta's are held inside `(0, 1)` with a variance it can have).
    pub(crate) fn with_moments(&self, mean: f64, sd: f64) -> Law {
        match *self {
            Law::Fixed { value } => Law::Fixed { value },
            Law::Normal { .. } => Law::Normal { mean, sd },
            Law::LogNormal { .. } => Law::LogNormal { median: mean.exp(), sigma: sd },
            Law::Beta { low, high, .. } => {
                let m = mean.clamp(1e-3, 1.0 - 1e-3);
                let v = (sd * sd).min(0.95 * m * (1.0 - m));
                let common = m * (1.0 - m) / v - 1.0;
                // Shapes of at least 1: a density that stays finite at the
                // ends (the defensive mixture bounds the weights where it is small).
                Law::Beta { alpha: (m * common).max(1.0), beta: ((1.0 - m) * common).max(1.0), low, high }
            }
        }
    }

    /// Checks a user-stated proposal against the population's law of the
    /// trait: the same family, finite parameters, positive spreads.
    pub fn validate_against(&self, prior: &Law, field: &str) -> Result<(), FieldError> {
        let family = |l: &Law| match l {
            Law::Fixed { .. } => "fixed",
            Law::Normal { .. } => "normal",
            Law::LogNormal { .. } => "lognormal",
            Law::Beta { .. } => "beta",
        };
        if family(self) != family(prior) {
            return Err(FieldError::new(
                field,
                family(self),
                format!(
                    "must be a {} law, like the population's (a uniform trait takes a beta on its range)",
                    family(prior)
                ),
            ));
        }
        let check = |name: &str, v: f64, positive: bool| {
            let path = format!("{field}.{name}");
            crate::error::finite(&path, v)?;
            if positive && v <= 0.0 {
                return Err(FieldError::new(path, v, "must be > 0"));
            }
            Ok(())
        };
        match (*self, *prior) {
            (Law::Fixed { value }, Law::Fixed { value: p }) => {
                if value != p {
                    return Err(FieldError::new(
                        field,
                        value,
                        format!("must be the population's fixed value {p}"),
                    ));
                }
            }
            (Law::Normal { mean, sd }, _) => {
                check("mean", mean, false)?;
                check("sd", sd, true)?;
            }
            (Law::LogNormal { median, sigma }, _) => {
                check("median", median, true)?;
                check("sigma", sigma, true)?;
            }
            (Law::Beta { alpha, beta, low, high }, Law::Beta { low: pl, high: ph, .. }) => {
                check("alpha", alpha, true)?;
                check("beta", beta, true)?;
                if low != pl || high != ph {
                    return Err(FieldError::new(
                        format!("{field}.low"),
                        format!("[{low}, {high}]"),
                        format!("must be the population's range [{pl}, {ph}]"),
                    ));
                }
            }
            _ => unreachable!("families checked above"),
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_bad_parameters_with_their_path() {
        let e =
            TraitDist::Normal { mean: 0.5, sd: -1.0 }.validate("population.talent", 0.0, 1.0).unwrap_err();
        assert_eq!(e.to_string(), "population.talent.sd = -1: must be > 0");
        let e = TraitDist::Fixed { value: 1.5 }.validate("population.talent", 0.0, 1.0).unwrap_err();
        assert_eq!(e.to_string(), "population.talent = 1.5: must lie in [0, 1]");
        let e = TraitDist::Uniform { low: 5.0, high: 2.0 }.validate("x", 0.0, 10.0).unwrap_err();
        assert_eq!(e.field, "x.high");
        let e = TraitDist::LogNormal { median: f64::NAN, sigma: 1.0 }.validate("x", 0.0, 10.0).unwrap_err();
        assert_eq!(e.allowed, "must be a finite number");
    }

    #[test]
    fn expectation_of_clamped_distributions() {
        let n = TraitDist::Normal { mean: 0.5, sd: 0.15 };
        assert!((n.expectation(0.0, 1.0, |_| 1.0) - 1.0).abs() < 1e-10);
        assert!((n.expectation(0.0, 1.0, |x| x) - 0.5).abs() < 1e-10);
        // Clamping a wide normal at 0: E[max(X, 0)] = sd * phi(0) for mean 0.
        let w = TraitDist::Normal { mean: 0.0, sd: 1.0 };
        let expected = 1.0 / (2.0 * std::f64::consts::PI).sqrt();
        assert!((w.expectation(0.0, 40.0, |x| x) - expected).abs() < 1e-9);
        let u = TraitDist::Uniform { low: 2.0, high: 4.0 };
        assert!((u.expectation(0.0, 10.0, |x| x * x) - 28.0 / 3.0).abs() < 1e-9);
        assert_eq!(TraitDist::Fixed { value: 3.0 }.expectation(0.0, 1.0, |x| x), 1.0);
    }

    #[test]
    fn quantiles_invert_the_distribution_function() {
        let n = TraitDist::Normal { mean: 0.5, sd: 0.15 };
        // The 90th percentile of Normal(0.5, 0.15) is 0.5 + 1.2815516 * 0.15.
        assert!((n.quantile(0.9, 0.0, 1.0) - (0.5 + 1.281_551_565_5 * 0.15)).abs() < 1e-9);
        assert_eq!(n.quantile(1.0, 0.0, 1.0), 1.0);
        let l = TraitDist::LogNormal { median: 3.0, sigma: 0.8 };
        assert!((l.quantile(0.5, 0.1, 28.0) - 3.0).abs() < 1e-12);
        for p in [0.01, 0.3, 0.77] {
            let err = (l.raw_cdf(l.quantile(p, 0.0, 1e9)) - p).abs();
            assert!(err < 1e-9, "{p}: {err}");
        }
        let u = TraitDist::Uniform { low: 2.0, high: 4.0 };
        assert_eq!(u.quantile(0.25, 0.0, 10.0), 2.5);
        assert_eq!(TraitDist::Fixed { value: 7.0 }.quantile(0.3, 0.0, 10.0), 7.0);
    }

    #[test]
    fn draws_above_a_floor_follow_the_truncated_law() {
        use rand::SeedableRng;
        // Niche LogNormal(median 1e6, sigma 1.5) given niche >= 1e6: the median
        // of the truncated law is the population's 75th percentile.
        let mut rng = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(3);
        let d = TraitDist::LogNormal { median: 1e6, sigma: 1.5 };
        let p75 = d.quantile(0.75, 1.0, 1e12);
        let n = 20_000;
        let above: usize =
            (0..n).map(|_| d.sample_at_least(&mut rng, 1e6, 1.0, 1e12)).filter(|&x| x > p75).count();
        let share = above as f64 / n as f64;
        assert!((share - 0.5).abs() < 4.0 * (0.25 / n as f64).sqrt(), "{share}");
        assert!((0..100).all(|_| d.sample_at_least(&mut rng, 1e6, 1.0, 1e12) >= 1e6));
    }

    #[test]
    fn draws_stay_in_range() {
        use rand::SeedableRng;
        let mut rng = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(1);
        let s = TraitDist::Normal { mean: 0.5, sd: 1.0 }.sampler(0.0, 1.0);
        let draws: Vec<f64> = (0..10_000).map(|_| s.sample(&mut rng)).collect();
        assert!(draws.iter().all(|x| (0.0..=1.0).contains(x)));
        // About 31% of Normal(0.5, 1) lies below 0, so the clamp is active.
        let at_zero = draws.iter().filter(|&&x| x == 0.0).count() as f64 / 1e4;
        assert!((at_zero - 0.3085).abs() < 4.0 * (0.3085f64 * 0.6915 / 1e4).sqrt(), "{at_zero}");
    }
}
