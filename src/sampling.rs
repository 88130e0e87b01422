//! Exact samplers for the counts the models draw in their inner loops.
//!
//! Thin wrappers that accept the degenerate cases (mean 0, n = 0, p = 0) that
//! the models produce routinely, so the simulation code stays free of special
//! cases. They sample exactly the named distribution.

use rand::Rng;
use rand_distr::{Binomial, Distribution, Poisson};

/// A draw from `Poisson(mean)`; 0 when `mean <= 0`.
///
/// rand_distr's sampler: Knuth's multiplication method below mean 12, the
/// Ahrens–Dieter (1982) transformed-rejection method above.
#[inline]
pub fn poisson<R: Rng + ?Sized>(rng: &mut R, mean: f64) -> u64 {
    if mean > 0.0 {
        // Means are capped far below MAX_LAMBDA by the models' validated ranges.
        Poisson::new(mean).map_or(0, |d| d.sample(rng) as u64)
    } else {
        0
    }
}

/// A draw from `Binomial(n, p)`; 0 when `n = 0` or `p <= 0`.
///
/// rand_distr's sampler: inversion (BINV) for small `n·p`, BTPE
/// (Kachitvichyanukul & Schmeiser 1988) otherwise.
#[inline]
pub fn binomial<R: Rng + ?Sized>(rng: &mut R, n: u64, p: f64) -> u64 {
    if n == 0 || p <= 0.0 {
        return 0;
    }
    if p >= 1.0 {
        return n;
    }
    Binomial::new(n, p).map_or(0, |d| d.sample(rng))
}
