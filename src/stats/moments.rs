//! Mean and spread of a real-valued statistic, mergeable exactly.

use serde::{Deserialize, Serialize};

/// Count, sum and sum of squares of real values in fixed point (2^-32
/// resolution), held in 128-bit integers, so that merging is exact,
/// associative and commutative like every clout summary. Values must lie in
/// `[-2^24, 2^24]` (larger ones are clamped: record large quantities on a log
/// scale); they are rounded to the nearest multiple of 2^-32
/// (about 2.3e-10), far below any Monte Carlo error.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Moments {
    count: u64,
    sum: i128,
    sum_sq: i128,
}

/// An estimate of a real quantity with its standard error and a confidence
/// interval from the normal law: `value ∓ z SE`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Estimate {
    /// The point estimate.
    pub value: f64,
    /// Its standard error.
    pub std_error: f64,
    /// Confidence level of the interval, e.g. 0.95.
    pub confidence: f64,
    /// Lower end of the interval.
    pub lower: f64,
    /// Upper end of the interval.
    pub upper: f64,
}

impl Estimate {
    /// `value ∓ z se`, with `z` the two-sided normal quantile at `confidence`.
    pub fn normal(value: f64, std_error: f64, confidence: f64) -> Self {
        let half = crate::stats::normal_quantile_two_sided(confidence) * std_error;
        Estimate { value, std_error, confidence, lower: value - half, upper: value + half }
    }

    /// The same estimate carried through an increasing function (e.g. `10^x`
    /// for a geometric mean); the standard error is carried by the delta method.
    pub fn map_increasing(&self, f: impl Fn(f64) -> f64) -> Self {
        let h = self.std_error.max(1e-12) * 1e-3;
        let slope = (f(self.value + h) - f(self.value - h)) / (2.0 * h);
        Estimate {
            value: f(self.value),
            std_error: self.std_error * slope.abs(),
            confidence: self.confidence,
            lower: f(self.lower),
            upper: f(self.upper),
        }
    }
}

const SCALE: f64 = 4_294_967_296.0; // 2^32

impl Moments {
    /// Largest magnitude a recorded value may have.
    pub const LIMIT: f64 = 16_777_216.0; // 2^24: squares stay below 2^80 each, 2^120 summed over 2^40 values

    /// An empty accumulator.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds one value (clamped to `[-LIMIT, LIMIT]`; NaN is refused).
    ///
    /// # Panics
    /// If `value` is NaN: a statistic that is NaN is a bug upstream.
    pub fn record(&mut self, value: f64) {
        assert!(!value.is_nan(), "a NaN statistic");
        let v = value.clamp(-Self::LIMIT, Self::LIMIT);
        let fixed = (v * SCALE).round() as i128;
        self.count += 1;
        self.sum += fixed;
        self.sum_sq += (fixed * fixed) >> 32;
    }

    /// Adds every value recorded in `other`.
    pub fn merge(&mut self, other: &Moments) {
        self.count += other.count;
        self.sum += other.sum;
        self.sum_sq += other.sum_sq;
    }

    /// Values recorded.
    pub fn count(&self) -> u64 {
        self.count
    }

    /// Mean, or `None` when empty.
    pub fn mean(&self) -> Option<f64> {
        (self.count > 0).then(|| self.sum as f64 / SCALE / self.count as f64)
    }

    /// Sample standard deviation (divisor `n - 1`), or `None` with fewer than two values.
    pub fn sd(&self) -> Option<f64> {
        if self.count < 2 {
            return None;
        }
        let n = self.count as f64;
        let mean = self.sum as f64 / SCALE / n;
        let mean_sq = self.sum_sq as f64 / SCALE / n;
        Some(((mean_sq - mean * mean) * n / (n - 1.0)).max(0.0).sqrt())
    }

    /// Standard error of the mean, `sd / sqrt(n)`.
    pub fn std_error(&self) -> Option<f64> {
        self.sd().map(|sd| sd / (self.count as f64).sqrt())
    }

    /// The mean with its standard error and 95% interval (normal law, valid
    /// for the many i.i.d. values clout records), or `None` with fewer than
    /// two values.
    pub fn mean_estimate(&self) -> Option<Estimate> {
        Some(Estimate::normal(self.mean()?, self.std_error()?, 0.95))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mean_and_sd_of_known_values() {
        let mut m = Moments::new();
        for v in [2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0] {
            m.record(v);
        }
        assert!((m.mean().unwrap() - 5.0).abs() < 1e-9);
        // Sample sd with n - 1: sqrt(32 / 7).
        assert!((m.sd().unwrap() - (32.0f64 / 7.0).sqrt()).abs() < 1e-9);
        let mut a = Moments::new();
        let mut b = Moments::new();
        for (i, v) in [0.1, -3.5, 1e6, 0.333, 16_777_216.0, -16_777_216.0].iter().enumerate() {
            if i % 2 == 0 { a.record(*v) } else { b.record(*v) }
        }
        let mut ab = a;
        ab.merge(&b);
        b.merge(&a);
        assert_eq!(ab, b);
        assert_eq!(Moments::new().mean(), None);
    }
}
