//! Exact samplers for the counts the models draw in their inner loops.
//!
//! The Career model draws a Poisson (new followers) and one or two binomials
//! (unfollows) on every posting day, almost always with a small mean. rand_distr's
//! samplers are exact but build their constants on every call (a `powf`, logs),
//! which dominated the run time. Here small means use **sequential-search
//! inversion** with no setup beyond one `exp` (Devroye 1986, *Non-Uniform
//! Random Variate Generation*, §X.3 for the Poisson and §X.4, algorithm
//! "BINV" of Kachitvichyanukul & Schmeiser 1988, for the binomial); larger
//! Poisson means use Hörmann's PTRS, and larger binomial means rand_distr's
//! BTPE, whose setup is then small next to the draw.
//!
//! Inversion is exact up to floating-point rounding of the cumulative sum; a
//! search that runs past 127 (a tail below 1e-60 at these means, reachable
//! only through rounding) restarts with a fresh uniform.

use rand::{Rng, RngExt};
use rand_distr::{Binomial, Distribution};
use statrs::function::gamma::ln_gamma;

/// Means below this use inversion; at or above, transformed rejection
/// (Poisson) or rand_distr's BTPE (binomial).
pub const INVERSION_MAX_MEAN: f64 = 10.0;

/// Largest count the inversion searches reach before restarting: for a mean
/// below [`INVERSION_MAX_MEAN`] the tail beyond it is below 1e-60, so only
/// floating-point rounding can get there.
const SEARCH_LIMIT: usize = 127;

/// `1 / k` for `k` in `0..=SEARCH_LIMIT` (entry 0 unused): the inversion
/// searches multiply instead of divide.
static RECIPROCALS: [f64; SEARCH_LIMIT + 1] = {
    let mut table = [0.0; SEARCH_LIMIT + 1];
    let mut k = 1;
    while k <= SEARCH_LIMIT {
        table[k] = 1.0 / k as f64;
        k += 1;
    }
    table
};

/// A draw from `Poisson(mean)`; 0 when `mean <= 0` (or NaN).
///
/// Below mean 10: inversion by sequential search from 0, with the exact
/// shortcut that `u <= 1 - mean` means 0 (as `exp(-mean) >= 1 - mean`).
/// From mean 10: PTRS, the transformed rejection with squeeze of Hörmann
/// (1993, *Insurance: Mathematics and Economics* 12:39), whose setup is one
/// square root and which accepts about 86% of draws without a logarithm.
#[inline]
pub fn poisson<R: Rng + ?Sized>(rng: &mut R, mean: f64) -> u64 {
    if mean.is_nan() || mean <= 0.0 {
        return 0;
    }
    if mean >= INVERSION_MAX_MEAN {
        return poisson_ptrs(rng, mean);
    }
    loop {
        let mut u: f64 = rng.random();
        if u <= 1.0 - mean {
            return 0;
        }
        let mut p = (-mean).exp();
        let mut k = 0;
        while u > p && k < SEARCH_LIMIT {
            u -= p;
            k += 1;
            p *= mean * RECIPROCALS[k];
        }
        if u <= p {
            return k as u64;
        }
    }
}

/// PTRS (Hörmann 1993) for `mean >= 10`.
fn poisson_ptrs<R: Rng + ?Sized>(rng: &mut R, mean: f64) -> u64 {
    let smu = mean.sqrt();
    let b = 0.931 + 2.53 * smu;
    let a = -0.059 + 0.02483 * b;
    let inv_alpha = 1.1239 + 1.1328 / (b - 3.4);
    let v_r = 0.9277 - 3.6224 / (b - 2.0);
    loop {
        let u = rng.random::<f64>() - 0.5;
        let v: f64 = rng.random();
        let us = 0.5 - u.abs();
        if us <= 0.0 {
            continue;
        }
        let k = ((2.0 * a / us + b) * u + mean + 0.43).floor();
        if us >= 0.07 && v <= v_r {
            return k as u64;
        }
        if k < 0.0 || (us < 0.013 && v > us) {
            continue;
        }
        let lhs = (v * inv_alpha / (a / (us * us) + b)).ln();
        let rhs = -mean + k * mean.ln() - ln_gamma(k + 1.0);
        if lhs <= rhs {
            return k as u64;
        }
    }
}

/// A draw from `Binomial(n, p)`; 0 when `n = 0` or `p <= 0`, `n` when `p >= 1`.
#[inline]
pub fn binomial<R: Rng + ?Sized>(rng: &mut R, n: u64, p: f64) -> u64 {
    if n == 0 || p.is_nan() || p <= 0.0 {
        return 0;
    }
    if p >= 1.0 {
        return n;
    }
    if p > 0.5 {
        return n - binomial_small_p(rng, n, 1.0 - p, p.ln());
    }
    binomial_small_p(rng, n, p, (-p).ln_1p())
}

/// A draw from `Binomial(n, p)` for `0 < p <= 0.5` given `ln_q = ln(1 - p)`,
/// which callers with a fixed `p` compute once.
#[inline]
pub fn binomial_small_p<R: Rng + ?Sized>(rng: &mut R, n: u64, p: f64, ln_q: f64) -> u64 {
    let u: f64 = rng.random();
    binomial_by_inversion(rng, u, n, p, ln_q)
}

/// `Binomial(n, p)` for `0 < p <= 0.5` by inversion of the uniform `u`
/// (BINV: `P(0) = q^n`, `P(k) = P(k-1) (n-k+1)/k · p/q`), or by BTPE when
/// `n p >= 12` (then `u` is not used).
///
/// Callers that can tell `u <= 1 - n p` cheaply know the answer is 0 without
/// calling this (Bernoulli's inequality, `q^n >= 1 - n p`): most calls in the
/// Career model end there, with no transcendental function evaluated.
#[inline(always)]
pub fn binomial_by_inversion<R: Rng + ?Sized>(rng: &mut R, u: f64, n: u64, p: f64, ln_q: f64) -> u64 {
    let mean = n as f64 * p;
    if n == 0 || u <= 1.0 - mean {
        return 0;
    }
    if mean >= INVERSION_MAX_MEAN {
        return Binomial::new(n, p).map_or(0, |d| d.sample(rng));
    }
    let ratio = p / (1.0 - p);
    let p0 = (n as f64 * ln_q).exp();
    let limit = (n as usize).min(SEARCH_LIMIT);
    let mut u = u;
    loop {
        let (mut k, mut prob) = (0usize, p0);
        while u > prob && k < limit {
            u -= prob;
            k += 1;
            prob *= (n - k as u64 + 1) as f64 * RECIPROCALS[k] * ratio;
        }
        if u <= prob || k == n as usize {
            return k as u64;
        }
        u = rng.random();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::chi_square_gof;
    use rand::SeedableRng;
    use statrs::distribution::{Binomial as ExactBinomial, Discrete, Poisson as ExactPoisson};

    const DRAWS: usize = 200_000;

    fn counts(draws: impl Iterator<Item = u64>, bins: usize) -> Vec<u64> {
        let mut c = vec![0u64; bins];
        for d in draws {
            c[(d as usize).min(bins - 1)] += 1;
        }
        c
    }

    #[test]
    fn poisson_matches_its_pmf() {
        let mut rng = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(11);
        for &mean in &[0.003f64, 0.4, 3.0, 9.99, 10.0, 11.9, 40.0, 1234.5] {
            let bins = (mean + 10.0 * mean.sqrt() + 10.0) as usize;
            let obs = counts((0..DRAWS).map(|_| poisson(&mut rng, mean)), bins);
            let exact = ExactPoisson::new(mean).unwrap();
            let mut probs: Vec<f64> = (0..bins as u64 - 1).map(|k| exact.pmf(k)).collect();
            probs.push(1.0 - probs.iter().sum::<f64>());
            let gof = chi_square_gof(&obs, &probs).unwrap();
            assert!(gof.p_value > 1e-3, "Poisson({mean}): {gof:?}");
        }
        assert_eq!(poisson(&mut rng, 0.0), 0);
        assert_eq!(poisson(&mut rng, f64::NAN), 0);
    }

    #[test]
    fn binomial_matches_its_pmf() {
        let mut rng = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(12);
        for &(n, p) in
            &[(1u64, 0.3), (50, 0.0005), (20_000, 0.0005), (100, 0.11), (30, 0.9), (1_000_000, 0.001)]
        {
            let mean = n as f64 * p;
            let bins = ((mean + 10.0 * mean.sqrt() + 10.0) as usize).min(n as usize + 1);
            let obs = counts((0..DRAWS).map(|_| binomial(&mut rng, n, p)), bins.max(2));
            let exact = ExactBinomial::new(p, n).unwrap();
            let mut probs: Vec<f64> = (0..obs.len() as u64 - 1).map(|k| exact.pmf(k)).collect();
            probs.push(1.0 - probs.iter().sum::<f64>());
            let gof = chi_square_gof(&obs, &probs).unwrap();
            assert!(gof.p_value > 1e-3, "Binomial({n}, {p}): {gof:?}");
        }
        assert_eq!(binomial(&mut rng, 0, 0.5), 0);
        assert_eq!(binomial(&mut rng, 7, 1.0), 7);
        assert_eq!(binomial(&mut rng, 7, 0.0), 0);
    }
}
