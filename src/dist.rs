//! Laws of creator traits (talent, effort, entry day, niche size): the one
//! family a scenario's population and importance sampling's proposals share.
//!
//! In a scenario file a trait is either a number, meaning every creator has
//! that value (a "what-if" creator), or a table naming a law:
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
//!
//! A rare-event proposal (`[rare.proposal]`) is a law of the same family as
//! the population's, where a uniform trait takes a `Beta` on its range
//! (`{ dist = "beta", alpha = 2, beta = 1, low = 0, high = 3650 }`): importance
//! sampling reads a population's uniform as `Beta(1, 1)`
//! ([`Law::uniform_as_beta`]).
//!
//! Two kinds of method: the population's (`validate`, `sampler`,
//! `expectation`, `raw_cdf`, `quantile`, `sample_clamped_at_least`) draw and
//! integrate the clamped trait; the raw-draw ones (`sample`,
//! `sample_at_least`, `ln_pdf`, `ln_cdf`, `ln_sf`, `validate_against`) are
//! what importance sampling draws and weighs. Each keeps the arithmetic it
//! has always had, so every number a run prints stays the same.

use crate::error::{FieldError, finite, positive};
use rand::{Rng, RngExt};
use rand_distr::{Distribution, LogNormal, Normal, Uniform};
use serde::de::{self, MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize};
use std::fmt;

/// The law of one creator trait across the population, or of a raw draw
/// importance sampling makes (a proposal).
///
/// Build one with a validated constructor ([`Law::normal`], ...); a
/// population's trait is further checked against its range by
/// [`Law::validate`], a proposal against the population's law by
/// [`Law::validate_against`].
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "dist", rename_all = "lowercase", deny_unknown_fields)]
pub enum Law {
    /// Every creator has `value` (weight 1 in importance sampling).
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
    /// Log-normal with the given median (`exp(mu)`) and log-scale `sigma`.
    #[serde(rename = "lognormal")]
    LogNormal {
        /// Median, > 0.
        median: f64,
        /// Standard deviation of the logarithm, > 0.
        sigma: f64,
    },
    /// Uniform on `[low, high]`: a population's trait, drawn by
    /// `rand_distr`'s uniform. Importance sampling reads it as its
    /// `Beta(1, 1)` form ([`Law::uniform_as_beta`]).
    Uniform {
        /// Lower end.
        low: f64,
        /// Upper end, > low.
        high: f64,
    },
    /// `Beta(alpha, beta)` stretched to `[low, high]`: a proposal for a
    /// uniform trait (`alpha = beta = 1` is the population's uniform).
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

/// `field.name`; `name` alone when `field` is empty, `field` alone when
/// `name` is.
fn path(field: &str, name: &str) -> String {
    match (field.is_empty(), name.is_empty()) {
        (true, _) => name.to_string(),
        (false, true) => field.to_string(),
        (false, false) => format!("{field}.{name}"),
    }
}

impl Law {
    /// Every creator has `value` (finite).
    pub fn fixed(value: f64) -> Result<Law, FieldError> {
        Law::Fixed { value }.checked()
    }

    /// `Normal(mean, sd)`: a finite mean, `sd > 0`.
    pub fn normal(mean: f64, sd: f64) -> Result<Law, FieldError> {
        Law::Normal { mean, sd }.checked()
    }

    /// Log-normal with `median > 0` and log-scale `sigma > 0`.
    pub fn lognormal(median: f64, sigma: f64) -> Result<Law, FieldError> {
        Law::LogNormal { median, sigma }.checked()
    }

    /// Uniform on `[low, high]`, finite ends, `high > low`.
    pub fn uniform(low: f64, high: f64) -> Result<Law, FieldError> {
        Law::Uniform { low, high }.checked()
    }

    /// `Beta(alpha, beta)` stretched to `[low, high]`: shapes > 0, finite
    /// ends, `high > low`.
    pub fn beta(alpha: f64, beta: f64, low: f64, high: f64) -> Result<Law, FieldError> {
        Law::Beta { alpha, beta, low, high }.checked()
    }

    /// This law if [`Law::check`] accepts it (errors name the bare parameter).
    fn checked(self) -> Result<Law, FieldError> {
        self.check("")?;
        Ok(self)
    }

    /// The checks every law of its family needs, whatever it describes:
    /// finite parameters, spreads and shapes > 0, a log-normal's median
    /// > 0, ends in order. Errors name `field.parameter`.
    fn check(&self, field: &str) -> Result<(), FieldError> {
        match *self {
            Law::Fixed { value } => finite(if field.is_empty() { "value" } else { field }, value).map(drop),
            Law::Normal { mean, sd } => {
                finite(&path(field, "mean"), mean)?;
                positive(&path(field, "sd"), sd).map(drop)
            }
            Law::LogNormal { median, sigma } => {
                positive(&path(field, "median"), median)?;
                positive(&path(field, "sigma"), sigma).map(drop)
            }
            Law::Uniform { low, high } => Law::ends(field, low, high),
            Law::Beta { alpha, beta, low, high } => {
                positive(&path(field, "alpha"), alpha)?;
                positive(&path(field, "beta"), beta)?;
                Law::ends(field, low, high)
            }
        }
    }

    /// Finite ends with `high > low`.
    fn ends(field: &str, low: f64, high: f64) -> Result<(), FieldError> {
        finite(&path(field, "low"), low)?;
        finite(&path(field, "high"), high)?;
        if high <= low {
            return Err(FieldError::new(path(field, "high"), high, format!("must be > low = {low}")));
        }
        Ok(())
    }

    /// The family's name, as a file writes it in `dist`.
    fn family(&self) -> &'static str {
        match self {
            Law::Fixed { .. } => "fixed",
            Law::Normal { .. } => "normal",
            Law::LogNormal { .. } => "lognormal",
            Law::Uniform { .. } => "uniform",
            Law::Beta { .. } => "beta",
        }
    }

    /// This law as importance sampling draws, fits and weighs it: a
    /// uniform becomes `Beta(1, 1)` on its range, every other law is
    /// itself. (A `Beta(1, 1)` draws `low + (high - low) u` from one
    /// uniform `u`, not as [`Law::sampler`] draws a uniform trait.)
    pub fn uniform_as_beta(&self) -> Law {
        match *self {
            Law::Uniform { low, high } => Law::Beta { alpha: 1.0, beta: 1.0, low, high },
            law => law,
        }
    }

    /// Checks a population's trait against the trait's range `[low, high]`:
    /// a fixed value, a normal mean, a log-normal median and a uniform's
    /// ends must lie in it; spreads must be > 0 (a log-normal's sigma at
    /// most 10). A beta is refused: it is a proposal's law, not a
    /// population's. `field` names the trait in error messages.
    pub fn validate(&self, field: &str, low: f64, high: f64) -> Result<(), FieldError> {
        let inside = |name: &str, v: f64| -> Result<(), FieldError> {
            let path = path(field, name);
            finite(&path, v)?;
            if v < low || v > high {
                return Err(FieldError::new(path, v, format!("must lie in [{low}, {high}]")));
            }
            Ok(())
        };
        match *self {
            Law::Fixed { value } => inside("", value),
            Law::Normal { mean, .. } => {
                inside("mean", mean)?;
                self.check(field)
            }
            Law::LogNormal { median, sigma } => {
                positive(&path(field, "median"), median)?;
                inside("median", median)?;
                self.check(field)?;
                if sigma > 10.0 {
                    return Err(FieldError::new(path(field, "sigma"), sigma, "must be <= 10"));
                }
                Ok(())
            }
            Law::Uniform { low: a, high: b } => {
                inside("low", a)?;
                inside("high", b)?;
                self.check(field)
            }
            Law::Beta { .. } => Err(FieldError::new(
                path(field, "dist"),
                "beta",
                "must be one of fixed, normal, lognormal, uniform (a beta is a rare-event proposal's law)",
            )),
        }
    }

    /// A sampler that clamps to `[low, high]`. Call [`Law::validate`] first.
    pub fn sampler(&self, low: f64, high: f64) -> TraitSampler {
        let kind = match *self {
            Law::Fixed { value } => SamplerKind::Fixed(value),
            Law::Normal { mean, sd } => SamplerKind::Normal(Normal::new(mean, sd).expect("validated")),
            Law::LogNormal { median, sigma } => {
                SamplerKind::LogNormal(LogNormal::new(median.ln(), sigma).expect("validated"))
            }
            Law::Uniform { low, high } => {
                SamplerKind::Uniform(Uniform::new_inclusive(low, high).expect("validated"))
            }
            Law::Beta { .. } => SamplerKind::Raw(*self),
        };
        TraitSampler { kind, low, high }
    }

    /// `E[f(X)]` for `X` drawn from this law and clamped to `[low, high]`
    /// (the clamped mass sits at the ends): exact for a fixed value,
    /// otherwise composite Simpson's rule with 4000 panels over the
    /// interior, which is accurate to about 1e-12 for smooth `f`.
    pub fn expectation(&self, low: f64, high: f64, f: impl Fn(f64) -> f64) -> f64 {
        use statrs::distribution::{
            Beta as SBeta, Continuous, ContinuousCDF, LogNormal as SLogNormal, Normal as SNormal,
        };
        type Curve = Box<dyn Fn(f64) -> f64>;
        let (cdf, pdf): (Curve, Curve) = match *self {
            Law::Fixed { value } => return f(value.clamp(low, high)),
            Law::Normal { mean, sd } => {
                let d = SNormal::new(mean, sd).expect("validated");
                (Box::new(move |x| d.cdf(x)), Box::new(move |x| d.pdf(x)))
            }
            Law::LogNormal { median, sigma } => {
                let d = SLogNormal::new(median.ln(), sigma).expect("validated");
                (Box::new(move |x| d.cdf(x)), Box::new(move |x| d.pdf(x)))
            }
            Law::Uniform { low: a, high: b } => (
                Box::new(move |x: f64| ((x - a) / (b - a)).clamp(0.0, 1.0)),
                Box::new(move |x| if (a..=b).contains(&x) { 1.0 / (b - a) } else { 0.0 }),
            ),
            Law::Beta { alpha, beta, low: a, high: b } => {
                let d = SBeta::new(alpha, beta).expect("validated shapes");
                (
                    Box::new(move |x: f64| d.cdf(((x - a) / (b - a)).clamp(0.0, 1.0))),
                    Box::new(
                        move |x| if (a..=b).contains(&x) { d.pdf((x - a) / (b - a)) / (b - a) } else { 0.0 },
                    ),
                )
            }
        };
        let (lo, hi) = match *self {
            Law::Uniform { low: a, high: b } | Law::Beta { low: a, high: b, .. } => (a.max(low), b.min(high)),
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

    /// `P(X <= x)` for `X` drawn from this law before clamping.
    pub fn raw_cdf(&self, x: f64) -> f64 {
        use statrs::distribution::{Beta as SBeta, ContinuousCDF, Normal as SNormal};
        match *self {
            Law::Fixed { value } => f64::from(u8::from(x >= value)),
            Law::Normal { mean, sd } => SNormal::new(mean, sd).expect("validated").cdf(x),
            Law::LogNormal { median, sigma } => {
                if x <= 0.0 {
                    0.0
                } else {
                    SNormal::new(median.ln(), sigma).expect("validated").cdf(x.ln())
                }
            }
            Law::Uniform { low, high } => ((x - low) / (high - low)).clamp(0.0, 1.0),
            Law::Beta { alpha, beta, low, high } => SBeta::new(alpha, beta)
                .expect("validated shapes")
                .cdf(((x - low) / (high - low)).clamp(0.0, 1.0)),
        }
    }

    /// The `p`-quantile (`p` in `[0, 1]`) of this law clamped to
    /// `[low, high]`: the quantile of the unclamped law, clamped.
    pub fn quantile(&self, p: f64, low: f64, high: f64) -> f64 {
        use statrs::distribution::{Beta as SBeta, ContinuousCDF, Normal as SNormal};
        let p = p.clamp(0.0, 1.0);
        let x = match *self {
            Law::Fixed { value } => value,
            Law::Normal { mean, sd } => SNormal::new(mean, sd).expect("validated").inverse_cdf(p),
            Law::LogNormal { median, sigma } => {
                (median.ln() + sigma * SNormal::standard().inverse_cdf(p)).exp()
            }
            Law::Uniform { low: a, high: b } => a + p * (b - a),
            Law::Beta { alpha, beta, low: a, high: b } => {
                a + (b - a) * SBeta::new(alpha, beta).expect("validated shapes").inverse_cdf(p)
            }
        };
        if x.is_nan() { low } else { x.clamp(low, high) }
    }

    /// A draw from this law clamped to `[low, high]`, conditioned on being
    /// at least `floor`: inversion of a uniform on `[F(floor), 1)`, where
    /// `F` is the unclamped distribution function. Exact; used where a
    /// state rules values out (a creator with `F` followers has a niche of
    /// at least `F`). Callers check [`Law::raw_cdf`]`(floor) < 1` first.
    /// (Importance sampling's conditioned raw draw is [`Law::sample_at_least`].)
    pub fn sample_clamped_at_least<R: Rng + ?Sized>(
        &self,
        rng: &mut R,
        floor: f64,
        low: f64,
        high: f64,
    ) -> f64 {
        let below = self.raw_cdf(floor);
        let u: f64 = rng.random();
        self.quantile(below + u * (1.0 - below), low, high).max(floor.min(high))
    }

    /// Deserializes a population's trait from a number (fixed) or a
    /// `{ dist = ... }` table (a beta is refused later, by [`Law::validate`]).
    /// Use as `#[serde(deserialize_with = "Law::number_or_table")]`.
    pub fn number_or_table<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Law, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Law;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str(
                    "a number (every creator the same) or a table such as \
                     { dist = \"normal\", mean = 0.5, sd = 0.15 } with dist one of \
                     fixed, normal, lognormal, uniform",
                )
            }
            fn visit_f64<E: de::Error>(self, value: f64) -> Result<Law, E> {
                Ok(Law::Fixed { value })
            }
            fn visit_i64<E: de::Error>(self, value: i64) -> Result<Law, E> {
                Ok(Law::Fixed { value: value as f64 })
            }
            fn visit_u64<E: de::Error>(self, value: u64) -> Result<Law, E> {
                Ok(Law::Fixed { value: value as f64 })
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Law, A::Error> {
                Law::deserialize(de::value::MapAccessDeserializer::new(map))
            }
        }
        deserializer.deserialize_any(V)
    }

    /// A raw draw (before any clamping): a uniform's as [`Law::sampler`]
    /// draws it, a `Beta(1, 1)`'s from one uniform `u` as `low + (high - low) u`.
    pub fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        match *self {
            Law::Fixed { value } => value,
            Law::Normal { mean, sd } => mean + sd * rng.sample::<f64, _>(rand_distr::StandardNormal),
            Law::LogNormal { median, sigma } => {
                (median.ln() + sigma * rng.sample::<f64, _>(rand_distr::StandardNormal)).exp()
            }
            Law::Uniform { low, high } => Uniform::new_inclusive(low, high).expect("validated").sample(rng),
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
    /// tail `floor` lies); bisection on the distribution function for a Beta
    /// (and a uniform, as its `Beta(1, 1)`).
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
            Law::Uniform { low, high } | Law::Beta { low, high, .. } => {
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
            Law::Uniform { .. } => self.uniform_as_beta().ln_pdf(x),
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
            Law::Uniform { .. } => self.uniform_as_beta().ln_cdf(x),
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
            Law::Uniform { .. } => self.uniform_as_beta().ln_sf(x),
            Law::Beta { alpha, beta, low, high } => {
                let shape = statrs::distribution::Beta::new(alpha, beta).expect("validated shapes");
                shape.sf(((x - low) / (high - low)).clamp(0.0, 1.0)).ln()
            }
        }
    }

    /// The coordinate the cross-entropy method fits: `x` (normal), `ln x`
    /// (log-normal), the position `(x - low) / (high - low)` (Beta, uniform).
    pub(crate) fn coordinate(&self, x: f64) -> f64 {
        match *self {
            Law::Fixed { .. } | Law::Normal { .. } => x,
            Law::LogNormal { .. } => x.ln(),
            Law::Uniform { low, high } | Law::Beta { low, high, .. } => (x - low) / (high - low),
        }
    }

    /// Mean and sd of the coordinate under this law.
    pub(crate) fn moments(&self) -> (f64, f64) {
        match *self {
            Law::Fixed { value } => (value, 0.0),
            Law::Normal { mean, sd } => (mean, sd),
            Law::LogNormal { median, sigma } => (median.ln(), sigma),
            Law::Uniform { .. } => self.uniform_as_beta().moments(),
            Law::Beta { alpha, beta, .. } => {
                let s = alpha + beta;
                (alpha / s, (alpha * beta / (s * s * (s + 1.0))).sqrt())
            }
        }
    }

    /// The law of the same family whose coordinate has this mean and sd
    /// (a Beta's are held inside `(0, 1)` with a variance it can have; a
    /// uniform's is a Beta).
    pub(crate) fn with_moments(&self, mean: f64, sd: f64) -> Law {
        match *self {
            Law::Fixed { value } => Law::Fixed { value },
            Law::Normal { .. } => Law::Normal { mean, sd },
            Law::LogNormal { .. } => Law::LogNormal { median: mean.exp(), sigma: sd },
            Law::Uniform { low, high } | Law::Beta { low, high, .. } => {
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
    /// trait: the same family (a uniform population takes a beta on its
    /// range), finite parameters, positive spreads.
    pub fn validate_against(&self, prior: &Law, field: &str) -> Result<(), FieldError> {
        let prior = prior.uniform_as_beta();
        if self.family() != prior.family() {
            return Err(FieldError::new(
                field,
                self.family(),
                format!(
                    "must be a {} law, like the population's (a uniform trait takes a beta on its range)",
                    prior.family()
                ),
            ));
        }
        match (*self, prior) {
            (Law::Fixed { value }, Law::Fixed { value: p }) => {
                if value != p {
                    return Err(FieldError::new(
                        field,
                        value,
                        format!("must be the population's fixed value {p}"),
                    ));
                }
            }
            (Law::Beta { alpha, beta, low, high }, Law::Beta { low: pl, high: ph, .. }) => {
                positive(&path(field, "alpha"), alpha)?;
                positive(&path(field, "beta"), beta)?;
                if low != pl || high != ph {
                    return Err(FieldError::new(
                        path(field, "low"),
                        format!("[{low}, {high}]"),
                        format!("must be the population's range [{pl}, {ph}]"),
                    ));
                }
            }
            _ => self.check(field)?,
        }
        Ok(())
    }
}

#[derive(Debug, Clone, Copy)]
enum SamplerKind {
    Fixed(f64),
    Normal(Normal<f64>),
    LogNormal(LogNormal<f64>),
    Uniform(Uniform<f64>),
    /// A law drawn by [`Law::sample`] (a beta).
    Raw(Law),
}

/// A ready-to-sample, clamped trait law (built by [`Law::sampler`]).
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
            SamplerKind::Raw(law) => law.sample(rng),
        };
        x.clamp(self.low, self.high)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_bad_parameters_with_their_path() {
        let e = Law::Normal { mean: 0.5, sd: -1.0 }.validate("population.talent", 0.0, 1.0).unwrap_err();
        assert_eq!(e.to_string(), "population.talent.sd = -1: must be > 0");
        let e = Law::Fixed { value: 1.5 }.validate("population.talent", 0.0, 1.0).unwrap_err();
        assert_eq!(e.to_string(), "population.talent = 1.5: must lie in [0, 1]");
        let e = Law::Uniform { low: 5.0, high: 2.0 }.validate("x", 0.0, 10.0).unwrap_err();
        assert_eq!(e.field, "x.high");
        let e = Law::LogNormal { median: f64::NAN, sigma: 1.0 }.validate("x", 0.0, 10.0).unwrap_err();
        assert_eq!(e.allowed, "must be a finite number");
    }

    #[test]
    fn constructors_check_the_family_s_parameters() {
        assert_eq!(Law::normal(0.5, 0.15), Ok(Law::Normal { mean: 0.5, sd: 0.15 }));
        assert_eq!(Law::lognormal(3.0, 0.8), Ok(Law::LogNormal { median: 3.0, sigma: 0.8 }));
        assert_eq!(Law::uniform(0.0, 3650.0), Ok(Law::Uniform { low: 0.0, high: 3650.0 }));
        assert_eq!(
            Law::beta(2.0, 1.0, 0.0, 1.0),
            Ok(Law::Beta { alpha: 2.0, beta: 1.0, low: 0.0, high: 1.0 })
        );
        assert_eq!(Law::fixed(0.7), Ok(Law::Fixed { value: 0.7 }));
        assert_eq!(Law::normal(0.5, -1.0).unwrap_err().to_string(), "sd = -1: must be > 0");
        assert_eq!(Law::lognormal(0.0, 1.0).unwrap_err().field, "median");
        assert_eq!(Law::uniform(5.0, 2.0).unwrap_err().to_string(), "high = 2: must be > low = 5");
        assert_eq!(Law::beta(1.0, 0.0, 0.0, 1.0).unwrap_err().field, "beta");
        assert_eq!(Law::fixed(f64::NAN).unwrap_err().field, "value");
    }

    #[test]
    fn one_format_for_scenarios_and_records() {
        #[derive(Deserialize)]
        struct Trait {
            #[serde(deserialize_with = "Law::number_or_table")]
            t: Law,
        }
        let read = |text: &str| toml::from_str::<Trait>(&format!("t = {text}")).map(|t| t.t);
        assert_eq!(read("0.7").unwrap(), Law::Fixed { value: 0.7 });
        assert_eq!(read("3").unwrap(), Law::Fixed { value: 3.0 });
        assert_eq!(
            read("{ dist = \"normal\", mean = 0.5, sd = 0.15 }").unwrap(),
            Law::Normal { mean: 0.5, sd: 0.15 }
        );
        assert_eq!(
            read("{ dist = \"lognormal\", median = 3.0, sigma = 0.8 }").unwrap(),
            Law::LogNormal { median: 3.0, sigma: 0.8 }
        );
        assert_eq!(
            read("{ dist = \"uniform\", low = 0, high = 3650 }").unwrap(),
            Law::Uniform { low: 0.0, high: 3650.0 }
        );
        assert_eq!(read("{ dist = \"fixed\", value = 2 }").unwrap(), Law::Fixed { value: 2.0 });
        assert!(read("{ dist = \"normal\", mean = 0.5, sd = 0.15, skew = 1 }").is_err());
        // A population's trait is never a beta: it reads, and is refused with its path.
        let beta = read("{ dist = \"beta\", alpha = 2, beta = 1, low = 0, high = 1 }").unwrap();
        assert_eq!(
            beta.validate("population.talent", 0.0, 1.0).unwrap_err().to_string(),
            "population.talent.dist = beta: must be one of fixed, normal, lognormal, uniform \
             (a beta is a rare-event proposal's law)"
        );
        // Records write every law as a tagged table.
        let json = |law: Law| serde_json::to_string(&law).unwrap();
        assert_eq!(
            json(Law::Beta { alpha: 2.0, beta: 1.0, low: 0.0, high: 3650.0 }),
            r#"{"dist":"beta","alpha":2.0,"beta":1.0,"low":0.0,"high":3650.0}"#
        );
        assert_eq!(
            json(Law::LogNormal { median: 3.0, sigma: 0.8 }),
            r#"{"dist":"lognormal","median":3.0,"sigma":0.8}"#
        );
        assert_eq!(json(Law::Uniform { low: 0.0, high: 1.0 }), r#"{"dist":"uniform","low":0.0,"high":1.0}"#);
        assert_eq!(json(Law::Fixed { value: 0.5 }), r#"{"dist":"fixed","value":0.5}"#);
    }

    #[test]
    fn a_uniform_draws_as_a_trait_and_weighs_as_a_beta() {
        use rand::SeedableRng;
        let u = Law::Uniform { low: 0.0, high: 3650.0 };
        let beta = u.uniform_as_beta();
        assert_eq!(beta, Law::Beta { alpha: 1.0, beta: 1.0, low: 0.0, high: 3650.0 });
        assert_eq!(Law::Normal { mean: 0.5, sd: 0.1 }.uniform_as_beta(), Law::Normal { mean: 0.5, sd: 0.1 });
        let rng = |seed| rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(seed);
        // The population's draw: rand_distr's inclusive uniform, as always.
        let direct: f64 = Uniform::new_inclusive(0.0, 3650.0).unwrap().sample(&mut rng(5));
        assert_eq!(u.sampler(0.0, 3650.0).sample(&mut rng(5)).to_bits(), direct.to_bits());
        assert_eq!(u.sample(&mut rng(5)).to_bits(), direct.to_bits());
        // Importance sampling's: low + (high - low) u.
        assert_eq!(beta.sample(&mut rng(5)).to_bits(), (3650.0 * rng(5).random::<f64>()).to_bits());
        for x in [-1.0, 0.0, 100.0, 3650.0] {
            assert_eq!(u.ln_pdf(x).to_bits(), beta.ln_pdf(x).to_bits());
            assert_eq!(u.ln_sf(x).to_bits(), beta.ln_sf(x).to_bits());
        }
        // A proposal for a uniform trait is a beta on its range.
        let e = u.validate_against(&u, "proposal.entry_day").unwrap_err();
        assert_eq!(
            e.allowed,
            "must be a beta law, like the population's (a uniform trait takes a beta on its range)"
        );
        assert!(
            Law::Beta { alpha: 2.0, beta: 1.0, low: 0.0, high: 3650.0 }.validate_against(&u, "p").is_ok()
        );
        let e =
            Law::Beta { alpha: 2.0, beta: 1.0, low: 0.0, high: 1.0 }.validate_against(&u, "p").unwrap_err();
        assert_eq!(e.field, "p.low");
    }

    #[test]
    fn a_beta_law_integrates_and_inverts_like_one() {
        let b = Law::Beta { alpha: 2.0, beta: 1.0, low: 0.0, high: 2.0 };
        // Density x / 2 on [0, 2]: mean 4/3, P(X <= 1) = 1/4.
        assert!((b.expectation(0.0, 2.0, |x| x) - 4.0 / 3.0).abs() < 1e-9);
        assert!((b.raw_cdf(1.0) - 0.25).abs() < 1e-12);
        assert!((b.quantile(0.25, 0.0, 2.0) - 1.0).abs() < 1e-9);
    }

    #[test]
    fn expectation_of_clamped_distributions() {
        let n = Law::Normal { mean: 0.5, sd: 0.15 };
        assert!((n.expectation(0.0, 1.0, |_| 1.0) - 1.0).abs() < 1e-10);
        assert!((n.expectation(0.0, 1.0, |x| x) - 0.5).abs() < 1e-10);
        // Clamping a wide normal at 0: E[max(X, 0)] = sd * phi(0) for mean 0.
        let w = Law::Normal { mean: 0.0, sd: 1.0 };
        let expected = 1.0 / (2.0 * std::f64::consts::PI).sqrt();
        assert!((w.expectation(0.0, 40.0, |x| x) - expected).abs() < 1e-9);
        let u = Law::Uniform { low: 2.0, high: 4.0 };
        assert!((u.expectation(0.0, 10.0, |x| x * x) - 28.0 / 3.0).abs() < 1e-9);
        assert_eq!(Law::Fixed { value: 3.0 }.expectation(0.0, 1.0, |x| x), 1.0);
    }

    #[test]
    fn quantiles_invert_the_distribution_function() {
        let n = Law::Normal { mean: 0.5, sd: 0.15 };
        // The 90th percentile of Normal(0.5, 0.15) is 0.5 + 1.2815516 * 0.15.
        assert!((n.quantile(0.9, 0.0, 1.0) - (0.5 + 1.281_551_565_5 * 0.15)).abs() < 1e-9);
        assert_eq!(n.quantile(1.0, 0.0, 1.0), 1.0);
        let l = Law::LogNormal { median: 3.0, sigma: 0.8 };
        assert!((l.quantile(0.5, 0.1, 28.0) - 3.0).abs() < 1e-12);
        for p in [0.01, 0.3, 0.77] {
            let err = (l.raw_cdf(l.quantile(p, 0.0, 1e9)) - p).abs();
            assert!(err < 1e-9, "{p}: {err}");
        }
        let u = Law::Uniform { low: 2.0, high: 4.0 };
        assert_eq!(u.quantile(0.25, 0.0, 10.0), 2.5);
        assert_eq!(Law::Fixed { value: 7.0 }.quantile(0.3, 0.0, 10.0), 7.0);
    }

    #[test]
    fn draws_above_a_floor_follow_the_truncated_law() {
        use rand::SeedableRng;
        // Niche LogNormal(median 1e6, sigma 1.5) given niche >= 1e6: the median
        // of the truncated law is the population's 75th percentile.
        let mut rng = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(3);
        let d = Law::LogNormal { median: 1e6, sigma: 1.5 };
        let p75 = d.quantile(0.75, 1.0, 1e12);
        let n = 20_000;
        let above: usize =
            (0..n).map(|_| d.sample_clamped_at_least(&mut rng, 1e6, 1.0, 1e12)).filter(|&x| x > p75).count();
        let share = above as f64 / n as f64;
        assert!((share - 0.5).abs() < 4.0 * (0.25 / n as f64).sqrt(), "{share}");
        assert!((0..100).all(|_| d.sample_clamped_at_least(&mut rng, 1e6, 1.0, 1e12) >= 1e6));
    }

    #[test]
    fn draws_stay_in_range() {
        use rand::SeedableRng;
        let mut rng = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(1);
        let s = Law::Normal { mean: 0.5, sd: 1.0 }.sampler(0.0, 1.0);
        let draws: Vec<f64> = (0..10_000).map(|_| s.sample(&mut rng)).collect();
        assert!(draws.iter().all(|x| (0.0..=1.0).contains(x)));
        // About 31% of Normal(0.5, 1) lies below 0, so the clamp is active.
        let at_zero = draws.iter().filter(|&&x| x == 0.0).count() as f64 / 1e4;
        assert!((at_zero - 0.3085).abs() < 4.0 * (0.3085f64 * 0.6915 / 1e4).sqrt(), "{at_zero}");
    }
}
