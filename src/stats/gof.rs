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
/// one before it. `None` when fewer than two pooled bins remain (too few
/// observations, or all the probability in one bin): there is nothing to test.
///
/// # Panics
/// If the slices differ in length.
pub fn chi_square_gof(observed: &[u64], probabilities: &[f64]) -> Option<GoodnessOfFit> {
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
    if pools.len() < 2 {
        return None;
    }
    let statistic: f64 = pools.iter().map(|&(o, e)| (o - e) * (o - e) / e).sum();
    let dof = pools.len() - 1;
    let p_value = 1.0 - ChiSquared::new(dof as f64).expect("dof >= 1").cdf(statistic);
    Some(GoodnessOfFit { statistic, dof, p_value })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statistic_of_a_known_table() {
        // 100 throws of a fair coin, 60 heads: (60-50)²/50 + (40-50)²/50 = 4, 1 dof, p = 0.0455.
        let g = chi_square_gof(&[60, 40], &[0.5, 0.5]).unwrap();
        assert!((g.statistic - 4.0).abs() < 1e-12 && g.dof == 1);
        assert!((g.p_value - 0.0455003).abs() < 1e-6, "{g:?}");
        assert_eq!(chi_square_gof(&[3], &[1.0]), None);
    }
}
