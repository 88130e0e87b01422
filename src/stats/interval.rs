//! Binomial proportions with 95% (or any level) confidence intervals.
//!
//! Two intervals are reported for every estimated probability:
//!
//! * **Wilson score** (Wilson 1927, JASA 22:209): the closed form
//!   `(p̂ + z²/2n ± z·sqrt(p̂(1-p̂)/n + z²/4n²)) / (1 + z²/n)`. Close to nominal
//!   coverage on average, even for rare events.
//! * **Clopper–Pearson** (Clopper & Pearson 1934, Biometrika 26:404): the exact
//!   interval that inverts the binomial tails, `lower = B⁻¹(α/2; x, n-x+1)`,
//!   `upper = B⁻¹(1-α/2; x+1, n-x)`, where `B⁻¹` is the quantile of a Beta
//!   distribution. Conservative: coverage is at least nominal for every `p`.
//!
//! The Beta quantile is found by bisection on the regularized incomplete beta
//! function, so it terminates after a fixed number of halvings whatever the
//! shapes (statrs 0.19's `Beta::inverse_cdf` can loop forever for shapes near
//! 1e7, statrs issue 435, and its `beta_reg` stops its continued fraction after
//! 140 terms, which is too few once the shapes pass about 1e5).

use serde::{Deserialize, Serialize};
use statrs::function::erf::erfc_inv;
use statrs::function::gamma::ln_gamma;

/// A confidence interval `[lower, upper]` for a probability.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Interval {
    /// Lower end, in `[0, 1]`.
    pub lower: f64,
    /// Upper end, in `[0, 1]`.
    pub upper: f64,
}

impl Interval {
    /// Whether `p` lies inside the closed interval.
    pub fn contains(&self, p: f64) -> bool {
        self.lower <= p && p <= self.upper
    }
}

/// An estimated probability: `successes` out of `trials`, with its standard
/// error and two confidence intervals at level `confidence`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Proportion {
    /// Trials in which the event happened.
    pub successes: u64,
    /// Trials run.
    pub trials: u64,
    /// Point estimate `successes / trials` (0 when there are no trials).
    pub estimate: f64,
    /// Standard error `sqrt(p̂(1-p̂)/n)`.
    pub std_error: f64,
    /// Confidence level of both intervals, e.g. 0.95.
    pub confidence: f64,
    /// Wilson score interval, with the Poisson limit for 1 to 3 successes
    /// or failures ([`wilson_modified`]).
    pub wilson: Interval,
    /// Clopper–Pearson exact interval.
    pub clopper_pearson: Interval,
}

impl Proportion {
    /// The estimate of `successes / trials` with 95% intervals.
    ///
    /// ```
    /// use clout::stats::Proportion;
    /// let p = Proportion::new(12, 10_000);
    /// assert!(p.wilson.contains(0.0012) && p.clopper_pearson.contains(0.0012));
    /// assert!(p.clopper_pearson.lower < p.estimate && p.estimate < p.clopper_pearson.upper);
    /// ```
    ///
    /// # Panics
    /// If `successes > trials` (a programming error, not an input error).
    pub fn new(successes: u64, trials: u64) -> Self {
        Self::with_confidence(successes, trials, 0.95)
    }

    /// As [`Proportion::new`] at another confidence level in `(0, 1)`.
    pub fn with_confidence(successes: u64, trials: u64, confidence: f64) -> Self {
        assert!(successes <= trials, "successes must not exceed trials");
        assert!(confidence > 0.0 && confidence < 1.0, "confidence must lie in (0, 1)");
        let n = trials as f64;
        let estimate = if trials == 0 { 0.0 } else { successes as f64 / n };
        let std_error = if trials == 0 { f64::NAN } else { (estimate * (1.0 - estimate) / n).sqrt() };
        Proportion {
            successes,
            trials,
            estimate,
            std_error,
            confidence,
            wilson: wilson_modified(successes, trials, confidence),
            clopper_pearson: clopper_pearson(successes, trials, confidence),
        }
    }
}

/// The two-sided standard-normal quantile `z` with `P(|Z| <= z) = confidence`.
pub fn normal_quantile_two_sided(confidence: f64) -> f64 {
    // Phi^{-1}(1 - alpha/2) = sqrt(2) * erfc^{-1}(alpha)
    std::f64::consts::SQRT_2 * erfc_inv(1.0 - confidence)
}

/// Wilson score interval for `x` successes in `n` trials (`[0, 1]` when `n = 0`).
pub fn wilson(x: u64, n: u64, confidence: f64) -> Interval {
    if n == 0 {
        return Interval { lower: 0.0, upper: 1.0 };
    }
    wilson_at(x as f64 / n as f64, n as f64, confidence)
}

/// Wilson's score interval for a proportion `p` among `n` (any positive
/// size: an effective one, such as [`kish_effective_size`] of weighted
/// values, as Korn & Graubard 1998 use for weighted proportions):
/// `(p + z²/2n -/+ z sqrt(p(1-p)/n + z²/4n²)) / (1 + z²/n)`; exactly 0 (1)
/// at the end when `p` is 0 (1), so `[0, z²/(n + z²)]` at `p = 0`: never
/// zero-width. `[0, 1]` when `n` is not positive.
pub fn wilson_at(p: f64, n: f64, confidence: f64) -> Interval {
    if n.is_nan() || n <= 0.0 {
        return Interval { lower: 0.0, upper: 1.0 };
    }
    let z = normal_quantile_two_sided(confidence);
    let z2 = z * z;
    let denom = 1.0 + z2 / n;
    let centre = (p + z2 / (2.0 * n)) / denom;
    let half = z * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt() / denom;
    Interval {
        lower: if p <= 0.0 { 0.0 } else { (centre - half).max(0.0) },
        upper: if p >= 1.0 { 1.0 } else { (centre + half).min(1.0) },
    }
}

/// Kish's effective sample size of weighted values, `(sum w)² / sum w²`:
/// how many equally weighted values carry as much information (0 when the
/// squares sum to nothing).
pub fn kish_effective_size(sum: f64, sum_of_squares: f64) -> f64 {
    if sum_of_squares > 0.0 { sum * sum / sum_of_squares } else { 0.0 }
}

/// The Wilson interval with its dip near `x = 1` mended, the interval every
/// [`Proportion`] carries.
///
/// The score interval's coverage falls to about 0.895 of a nominal 95% when
/// the expected count is about 0.55 (its lower limit for `x = 1`, about
/// `0.18 / n`, sits above `p` for a whole band of `p`). Brown, Cai &
/// DasGupta (2001, *Statistical Science* 16:101, §4.1.1) mend it by taking
/// a Poisson bound for the lower limit when `1 <= x <= x*`, with `x* = 2`
/// for `n <= 50` and `x* = 3` above. clout takes the exact one-sided Poisson
/// limit at `alpha / 2`: the `lambda` with `P(Poisson(lambda) >= x) = alpha /
/// 2`, which is the `alpha / 2` quantile of Gamma(x, 1), over `n` (and the
/// mirror image for the upper limit when `n - x <= x*`), where it is below
/// Wilson's. Exact coverage over expected counts 0.2-30 and `n` from 50 to
/// 1e5 (`cargo test --release --test suite validation::proportion_intervals`):
/// worst 0.919 at `n = 50` and 0.929 at `n >= 100`, instead of Wilson's
/// 0.895 (docs/VALIDATION.md).
pub fn wilson_modified(x: u64, n: u64, confidence: f64) -> Interval {
    use statrs::distribution::{ContinuousCDF as _, Gamma};
    let mut w = wilson(x, n, confidence);
    let most = if n <= 50 { 2 } else { 3 };
    let tail = (1.0 - confidence) / 2.0;
    let poisson_lower = |k: u64| Gamma::new(k as f64, 1.0).map_or(0.0, |g| g.inverse_cdf(tail)) / n as f64;
    if (1..=most).contains(&x) {
        w.lower = w.lower.min(poisson_lower(x));
    }
    if n > x && (1..=most).contains(&(n - x)) {
        w.upper = w.upper.max(1.0 - poisson_lower(n - x));
    }
    w
}

/// Clopper–Pearson interval for `x` successes in `n` trials (`[0, 1]` when `n = 0`).
pub fn clopper_pearson(x: u64, n: u64, confidence: f64) -> Interval {
    if n == 0 {
        return Interval { lower: 0.0, upper: 1.0 };
    }
    let tail = (1.0 - confidence) / 2.0;
    let (xf, nf) = (x as f64, n as f64);
    let lower = if x == 0 { 0.0 } else { beta_quantile(tail, xf, nf - xf + 1.0) };
    let upper = if x == n { 1.0 } else { beta_quantile(1.0 - tail, xf + 1.0, nf - xf) };
    Interval { lower, upper }
}

/// Quantile of Beta(a, b) at probability `prob`, by bisection on
/// [`beta_reg`]. Always terminates: at most 1100 halvings of `[0, 1]` (enough
/// to reach adjacent floating-point numbers anywhere in the interval), each a
/// call that is itself bounded.
pub fn beta_quantile(prob: f64, a: f64, b: f64) -> f64 {
    debug_assert!(prob > 0.0 && prob < 1.0 && a > 0.0 && b > 0.0);
    let (mut lo, mut hi) = (0.0_f64, 1.0_f64);
    for _ in 0..1100 {
        let mid = 0.5 * (lo + hi);
        if mid <= lo || mid >= hi {
            break;
        }
        if beta_reg(a, b, mid) < prob {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    0.5 * (lo + hi)
}

/// Most continued-fraction terms [`beta_reg`] evaluates. The fraction needs
/// about `sqrt(max(a, b))` terms near the mode, so this covers shapes up to
/// about 1e12, far beyond any trial count clout runs.
const MAX_CF_TERMS: u32 = 10_000_000;

/// The regularized incomplete beta function `I_x(a, b)`, for `a, b > 0` and
/// `x` in `[0, 1]`.
///
/// Evaluated by the continued fraction of Numerical Recipes §6.4 (modified
/// Lentz), on the side of the mode where it converges, with the prefactor
/// `x^a (1-x)^b / (a B(a, b))` taken in logs. Unlike statrs' `beta_reg` it
/// runs until the fraction has converged to machine precision (bounded by
/// ten million terms), so it stays accurate for shapes of 1e8 and more.
pub fn beta_reg(a: f64, b: f64, x: f64) -> f64 {
    if x <= 0.0 {
        return 0.0;
    }
    if x >= 1.0 {
        return 1.0;
    }
    let ln_front = ln_gamma(a + b) - ln_gamma(a) - ln_gamma(b) + a * x.ln() + b * (-x).ln_1p();
    if x < (a + 1.0) / (a + b + 2.0) {
        (ln_front.exp() * beta_cf(a, b, x) / a).clamp(0.0, 1.0)
    } else {
        (1.0 - ln_front.exp() * beta_cf(b, a, 1.0 - x) / b).clamp(0.0, 1.0)
    }
}

fn beta_cf(a: f64, b: f64, x: f64) -> f64 {
    const TINY: f64 = 1e-300;
    let nonzero = |v: f64| if v.abs() < TINY { TINY } else { v };
    let (qab, qap, qam) = (a + b, a + 1.0, a - 1.0);
    let mut c = 1.0;
    let mut d = 1.0 / nonzero(1.0 - qab * x / qap);
    let mut h = d;
    // One modified-Lentz update with partial numerator `aa`; returns the factor applied to h.
    let lentz = |aa: f64, c: &mut f64, d: &mut f64| {
        *d = 1.0 / nonzero(1.0 + aa * *d);
        *c = nonzero(1.0 + aa / *c);
        *d * *c
    };
    for m in 1..=MAX_CF_TERMS {
        let m = f64::from(m);
        let m2 = 2.0 * m;
        h *= lentz(m * (b - m) * x / ((qam + m2) * (a + m2)), &mut c, &mut d);
        let del = lentz(-(a + m) * (qab + m) * x / ((a + m2) * (qap + m2)), &mut c, &mut d);
        h *= del;
        if (del - 1.0).abs() < 4.0 * f64::EPSILON {
            break;
        }
    }
    h
}

/// `ln Phi(x)` for the standard normal, accurate for any `x`: directly
/// where `Phi(x)` is well above the underflow limit, and below `x = -30` by
/// the asymptotic series of the Mills ratio, `Phi(x) = phi(x) / |x| (1 -
/// 1/x^2 + 3/x^4 - 15/x^6 + 105/x^8 - ...)`, whose first omitted term is
/// below 1e-13 there.
pub fn ln_normal_cdf(x: f64) -> f64 {
    use statrs::distribution::{ContinuousCDF as _, Normal};
    if x > -30.0 {
        return Normal::standard().cdf(x).ln();
    }
    let t = 1.0 / (x * x);
    let series = 1.0 - t * (1.0 - 3.0 * t * (1.0 - 5.0 * t * (1.0 - 7.0 * t)));
    -0.5 * x * x - (-x).ln() - 0.5 * (2.0 * std::f64::consts::PI).ln() + series.ln()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn beta_reg_matches_closed_forms() {
        // I_x(1, 1) = x; I_x(a, 1) = x^a; I_x(1, b) = 1 - (1-x)^b.
        for &x in &[0.01, 0.3, 0.5, 0.9] {
            assert!((beta_reg(1.0, 1.0, x) - x).abs() < 1e-14);
            assert!((beta_reg(3.5, 1.0, x) - x.powf(3.5)).abs() < 1e-13);
            assert!((beta_reg(1.0, 7.0, x) - (1.0 - (1.0 - x).powi(7))).abs() < 1e-13);
        }
    }

    #[test]
    fn beta_reg_agrees_with_statrs_for_moderate_shapes() {
        for &(a, b, x) in &[(2.0, 3.0, 0.4), (10.0, 20.0, 0.3), (50.0, 5.0, 0.95), (0.5, 0.5, 0.2)] {
            let ours = beta_reg(a, b, x);
            let theirs = statrs::function::beta::beta_reg(a, b, x);
            assert!((ours - theirs).abs() < 1e-12, "a={a} b={b} x={x}: {ours} vs {theirs}");
        }
    }

    #[test]
    fn clopper_pearson_terminates_and_is_right_at_1e8() {
        let n = 100_000_000u64;
        // x = 0: upper = 1 - (alpha/2)^(1/n); x = n: lower = (alpha/2)^(1/n).
        let zero = clopper_pearson(0, n, 0.95);
        let exact_upper = -(0.025f64.ln() / n as f64).exp_m1();
        assert_eq!(zero.lower, 0.0);
        assert!((zero.upper - exact_upper).abs() < 1e-6 * exact_upper, "{zero:?} vs {exact_upper}");
        let all = clopper_pearson(n, n, 0.95);
        let exact_lower = (0.025f64.ln() / n as f64).exp();
        assert_eq!(all.upper, 1.0);
        assert!((all.lower - exact_lower).abs() < 1e-12, "{all:?} vs {exact_lower}");
        // Interior points: close to the Wilson interval when x is large.
        for &x in &[1u64, 100, 10_000, 50_000_000, n - 1] {
            let cp = clopper_pearson(x, n, 0.95);
            let w = wilson(x, n, 0.95);
            let p = x as f64 / n as f64;
            assert!(cp.lower < p && p < cp.upper, "x={x}: {cp:?}");
            assert!(cp.lower <= cp.upper && cp.lower >= 0.0 && cp.upper <= 1.0);
            if (100..=n - 100).contains(&x) {
                let width = w.upper - w.lower;
                assert!((cp.lower - w.lower).abs() < 0.1 * width, "x={x}: {cp:?} vs {w:?}");
                assert!((cp.upper - w.upper).abs() < 0.1 * width, "x={x}: {cp:?} vs {w:?}");
            }
        }
    }

    #[test]
    fn clopper_pearson_matches_known_values() {
        // R: binom.test(3, 10)$conf.int = 0.06673951 0.65245285
        let cp = clopper_pearson(3, 10, 0.95);
        assert!((cp.lower - 0.06673951).abs() < 1e-7, "{cp:?}");
        assert!((cp.upper - 0.65245285).abs() < 1e-7, "{cp:?}");
        // R: binom.test(1, 1000)$conf.int = 2.531749e-05 5.558924e-03
        let cp = clopper_pearson(1, 1000, 0.95);
        assert!((cp.lower - 2.531749e-05).abs() < 1e-10, "{cp:?}");
        assert!((cp.upper - 5.558924e-03).abs() < 1e-8, "{cp:?}");
    }

    #[test]
    fn wilson_matches_closed_form() {
        // x = 3, n = 10, z = 1.959964: (0.1077913, 0.6032219)
        let w = wilson(3, 10, 0.95);
        assert!((w.lower - 0.1077913).abs() < 1e-6, "{w:?}");
        assert!((w.upper - 0.6032219).abs() < 1e-6, "{w:?}");
        assert_eq!(wilson(0, 10, 0.95).lower, 0.0);
        assert_eq!(wilson(10, 10, 0.95).upper, 1.0);
        assert!((normal_quantile_two_sided(0.95) - 1.959963984540054).abs() < 1e-12);
    }
}
