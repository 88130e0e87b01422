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

    /// The mean with its standard error and Student's 95% interval,
    /// `mean -/+ t_{0.975, n-1} sd / sqrt(n)`: exact for normal values at any
    /// `n` (the normal quantile's interval covers 0.88 at 5 values), and the
    /// normal one for many (docs/VALIDATION.md, "Means of few values").
    /// `None` with fewer than two values.
    pub fn mean_estimate(&self) -> Option<Estimate> {
        use statrs::distribution::{ContinuousCDF, StudentsT};
        let (mean, se) = (self.mean()?, self.std_error()?);
        let df = (self.count - 1) as f64;
        let t = StudentsT::new(0.0, 1.0, df).map_or(f64::NAN, |t| t.inverse_cdf(0.975));
        let half = t * se;
        Some(Estimate {
            value: mean,
            std_error: se,
            confidence: 0.95,
            lower: mean - half,
            upper: mean + half,
        })
    }
}

/// Means and covariances of a vector of real values, in the fixed point of
/// [`Moments`] (so merging is exact, associative and commutative), for
/// estimators that are smooth functions of several means (Sobol indices,
/// ratio estimators). The standard error of such a function comes from the
/// delta method, [`CrossMoments::delta`].
///
/// Each coordinate is clamped to `[-Moments::LIMIT, Moments::LIMIT]`;
/// [`CrossMoments::clamped`] counts the values that were, so a report can say
/// so rather than be silently wrong.
///
/// ```
/// use clout::stats::CrossMoments;
/// let mut m = CrossMoments::new(2);
/// for (x, y) in [(1.0, 2.0), (2.0, 4.0), (3.0, 7.0)] {
///     m.record(&[x, y]);
/// }
/// // The ratio of the means, 12 / 6, and its delta-method standard error.
/// let (mx, my) = (m.mean(0), m.mean(1));
/// let ratio = m.delta(my / mx, &[-my / (mx * mx), 1.0 / mx]).unwrap();
/// assert!((ratio.value - 2.1666666).abs() < 1e-6 && ratio.std_error > 0.0);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CrossMoments {
    dim: usize,
    count: u64,
    clamped: u64,
    sums: Vec<i128>,
    /// Sums of products `z_i z_j` for `i <= j`, row by row (upper triangle).
    products: Vec<i128>,
}

impl CrossMoments {
    /// An empty accumulator of vectors of `dim` coordinates.
    pub fn new(dim: usize) -> Self {
        CrossMoments { dim, count: 0, clamped: 0, sums: vec![0; dim], products: vec![0; dim * (dim + 1) / 2] }
    }

    /// Coordinates of each vector.
    pub fn dim(&self) -> usize {
        self.dim
    }

    /// Whether `other` holds vectors of `dim` coordinates with sums of the
    /// right lengths, so the two merge (a check of what a file held).
    pub fn has_dim(&self, dim: usize) -> bool {
        self.dim == dim && self.sums.len() == dim && self.products.len() == dim * (dim + 1) / 2
    }

    /// Adds one vector.
    ///
    /// # Panics
    /// If `z` has the wrong length or a NaN coordinate: both are bugs upstream.
    pub fn record(&mut self, z: &[f64]) {
        assert_eq!(z.len(), self.dim, "a vector of the wrong length");
        let mut fixed = [0i128; 64];
        let mut heap;
        let fixed: &mut [i128] = if self.dim <= 64 {
            &mut fixed[..self.dim]
        } else {
            heap = vec![0i128; self.dim];
            &mut heap
        };
        for (f, &v) in fixed.iter_mut().zip(z) {
            assert!(!v.is_nan(), "a NaN statistic");
            if v.abs() > Moments::LIMIT {
                self.clamped += 1;
            }
            *f = (v.clamp(-Moments::LIMIT, Moments::LIMIT) * SCALE).round() as i128;
        }
        self.count += 1;
        let mut k = 0;
        for i in 0..self.dim {
            self.sums[i] += fixed[i];
            for j in i..self.dim {
                self.products[k] += (fixed[i] * fixed[j]) >> 32;
                k += 1;
            }
        }
    }

    /// Adds every vector recorded in `other` (of the same dimension).
    ///
    /// # Panics
    /// If the dimensions differ.
    pub fn merge(&mut self, other: &CrossMoments) {
        assert_eq!(self.dim, other.dim, "merging accumulators of different dimensions");
        self.count += other.count;
        self.clamped += other.clamped;
        self.sums.iter_mut().zip(&other.sums).for_each(|(a, b)| *a += b);
        self.products.iter_mut().zip(&other.products).for_each(|(a, b)| *a += b);
    }

    /// Vectors recorded.
    pub fn count(&self) -> u64 {
        self.count
    }

    /// Coordinates that were clamped to `±Moments::LIMIT` (0 in any sound use).
    pub fn clamped(&self) -> u64 {
        self.clamped
    }

    /// The mean of coordinate `i` (0 when empty).
    pub fn mean(&self, i: usize) -> f64 {
        if self.count == 0 { 0.0 } else { self.sums[i] as f64 / SCALE / self.count as f64 }
    }

    /// The sum over every vector of `z_i z_j`, as recorded (in fixed point:
    /// exact when the coordinates are whole numbers of modest size, such as
    /// the `0, ±1` terms of estimators on indicators; then the sum of
    /// `z_i²` counts the vectors whose coordinate `i` is not zero).
    pub fn sum_of_products(&self, i: usize, j: usize) -> f64 {
        let (i, j) = if i <= j { (i, j) } else { (j, i) };
        // Index of (i, j) in the upper triangle, row by row.
        let k = i * self.dim - i * (i + 1) / 2 + j;
        self.products[k] as f64 / SCALE
    }

    /// The sample covariance of coordinates `i` and `j` (divisor `n - 1`; 0
    /// with fewer than two vectors).
    pub fn covariance(&self, i: usize, j: usize) -> f64 {
        if self.count < 2 {
            return 0.0;
        }
        let n = self.count as f64;
        let mean_product = self.sum_of_products(i, j) / n;
        (mean_product - self.mean(i) * self.mean(j)) * n / (n - 1.0)
    }

    /// The estimate `value` of a smooth function `g` of the means, whose
    /// gradient at the means is `gradient`, with its delta-method standard
    /// error `sqrt(gradient' Σ gradient / n)` and 95% normal interval; `None`
    /// with fewer than two vectors or a non-finite value.
    ///
    /// # Panics
    /// If `gradient` has the wrong length.
    pub fn delta(&self, value: f64, gradient: &[f64]) -> Option<Estimate> {
        assert_eq!(gradient.len(), self.dim, "a gradient of the wrong length");
        if self.count < 2 || !value.is_finite() || gradient.iter().any(|g| !g.is_finite()) {
            return None;
        }
        let mut var = 0.0;
        for (i, gi) in gradient.iter().enumerate() {
            if *gi == 0.0 {
                continue;
            }
            for (j, gj) in gradient.iter().enumerate() {
                if *gj != 0.0 {
                    var += gi * gj * self.covariance(i, j);
                }
            }
        }
        let se = (var.max(0.0) / self.count as f64).sqrt();
        Some(Estimate::normal(value, se, 0.95))
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

    #[test]
    fn cross_moments_match_direct_formulas_and_merge_exactly() {
        let data = [(1.0, 2.0, -1.0), (2.0, 4.5, 0.5), (3.0, 7.0, 0.0), (-4.0, 1.0, 2.5), (0.5, 0.25, -3.0)];
        let mut all = CrossMoments::new(3);
        let (mut a, mut b) = (CrossMoments::new(3), CrossMoments::new(3));
        for (i, &(x, y, z)) in data.iter().enumerate() {
            all.record(&[x, y, z]);
            if i % 2 == 0 { a.record(&[x, y, z]) } else { b.record(&[x, y, z]) }
        }
        b.merge(&a);
        assert_eq!(all, b);
        let n = data.len() as f64;
        let mx = data.iter().map(|d| d.0).sum::<f64>() / n;
        let my = data.iter().map(|d| d.1).sum::<f64>() / n;
        let cxy = data.iter().map(|d| (d.0 - mx) * (d.1 - my)).sum::<f64>() / (n - 1.0);
        assert!((all.mean(0) - mx).abs() < 1e-9 && (all.mean(1) - my).abs() < 1e-9);
        assert!((all.covariance(0, 1) - cxy).abs() < 1e-8);
        assert!((all.covariance(1, 0) - cxy).abs() < 1e-8);
        // The delta method of a linear function is the exact standard error of the mean.
        let lin = all.delta(mx + my, &[1.0, 1.0, 0.0]).unwrap();
        let vx = all.covariance(0, 0);
        let vy = all.covariance(1, 1);
        assert!((lin.std_error - ((vx + vy + 2.0 * cxy) / n).sqrt()).abs() < 1e-9);
        let mut big = CrossMoments::new(1);
        big.record(&[1e9]);
        assert_eq!(big.clamped(), 1);
        assert_eq!(CrossMoments::new(2).delta(1.0, &[1.0, 0.0]), None);
    }
}
