//! Pearson's chi-square goodness-of-fit test.

use statrs::distribution::{ChiSquared, ContinuousCDF};

/// The result of a chi-square goodness-of-fit test.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GoodnessOfFit {
    /// Pearson's statistic `Σ (O - E)² / E` over the pooled bins.
    pub statistic: f64,
    /// Degrees of freedom: pooled bins minus one.
    pub dof: usize,
    /// `P(χ²_dof >= statistic)`.
    pub p_value: f64,
}

/// Tests observed counts against bin probabilities (which should sum to 1).
/// Neighbouring bins are pooled, left to right, until each pooled bin expects
/// at least 5 observations (Cochran's rule); a last pool short of 5 joins the
/// one before it.
///
/// # Panics
/// If the slices differ in length or there are fewer than two pooled bins.
pub fn chi_square_gof(observed: &[u64], probabilities: &[f64]) -> GoodnessOfFit {
    assert_eq!(observed.len(), probabilities.len(), "one probability per bin");
    let n: u64 = observed.iter().sum();
    let mut pools: Vec<(f64, f64)> = Vec::new(); // (observed, expected)
    let (mut o, mut e) = (0.0, 0.0);
    for (&count, &p) in observed.iter().zip(probabilities) {
        o += count as f64;
        e += p * n as f64;
        if e >= 5.0 {
            pools.push((o, e));
            (o, e) = (0.0, 0.0);
        }
    }
    if e > 0.0 || o > 0.0 {
        match pools.last_mut() {
            Some(last) => {
                last.0 += o;
                last.1 += e;
            }
            None => pools.push((o, e)),
        }
    }
    assert!(pools.len() >= 2, "need at least two bins expecting 5 or more");
    let statistic: f64 = pools.iter().map(|&(o, e)| (o - e) * (o - e) / e).sum();
    let dof = pools.len() - 1;
    let p_value = 1.0 - ChiSquared::new(dof as f64).expect("dof >= 1").cdf(statistic);
    GoodnessOfFit { statistic, dof, p_value }
}
