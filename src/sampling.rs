//! Exact samplers for the counts the models draw in their inner loops.
//!
//! The Career model draws a Poisson (new followers) and one or two binomials
//! (unfollows) on every posting day, almost always with a small mean. rand_distr's
//! samplers are exact but build their constants on every call (a `powf`, logs),
//! which dominated the run time. Here small means use **sequential-search
//! inversion** with no setup beyond one `exp` (Devroye 1986, *Non-Uniform
//! Random Variate Generation*, §X.3 for the Poisson and §X.4, algorithm
//! "BINV" of Kachitvichyanukul & Schmeiser 1988, for the binomial); larger
//! means go to rand_distr (Ahrens–Dieter 1982 rejection for the Poisson, BTPE for
//! the binomial), whose setup is then small next to the draw.
//!
//! Inversion is exact up to floating-point rounding of the cumulative sum; a
//! search that runs past where the tail probability is below 1e-300 (possible
//! only through rounding) restarts with a fresh uniform.

use rand::{Rng, RngExt};
use rand_distr::{Binomial, Distribution, Poisson};

/// Means below this use inversion; at or above, rand_distr's rejection samplers.
pub const INVERSION_MAX_MEAN: f64 = 12.0;

/// A draw from `Poisson(mean)`; 0 when `mean <= 0` (or NaN).
#[inline]
pub fn poisson<R: Rng + ?Sized>(rng: &mut R, mean: f64) -> u64 {
    if mean.is_nan() || mean <= 0.0 {
        return 0;
    }
    if mean < INVERSION_MAX_MEAN {
        // Past 60 + 12 * mean the tail is below 1e-30: only rounding gets there.
        let limit = 60 + (12.0 * mean) as u64;
        loop {
            let mut u: f64 = rng.random();
            // exp(-mean) >= 1 - mean: no need to evaluate it to know the draw is 0.
            if u <= 1.0 - mean {
                return 0;
            }
            let (mut k, mut p) = (0u64, (-mean).exp());
            while u > p {
                u -= p;
                k += 1;
                p *= mean / k as f64;
                if k > limit {
                    break;
                }
            }
            if k <= limit {
                return k;
            }
        }
    }
    // Means are bounded far below Poisson::MAX_LAMBDA by the models' validated ranges.
    Poisson::new(mean).map_or(0, |d| d.sample(rng) as u64)
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
#[inline]
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
    let limit = n.min(60 + (12.0 * mean) as u64);
    let mut u = u;
    loop {
        let (mut k, mut prob) = (0u64, p0);
        while u > prob {
            u -= prob;
            k += 1;
            if k > limit {
                break;
            }
            prob *= (n - k + 1) as f64 / k as f64 * ratio;
        }
        if k <= limit {
            return k;
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
        for &mean in &[0.003f64, 0.4, 3.0, 11.9, 12.0, 40.0] {
            let bins = (mean + 10.0 * mean.sqrt() + 10.0) as usize;
            let obs = counts((0..DRAWS).map(|_| poisson(&mut rng, mean)), bins);
            let exact = ExactPoisson::new(mean).unwrap();
            let mut probs: Vec<f64> = (0..bins as u64 - 1).map(|k| exact.pmf(k)).collect();
            probs.push(1.0 - probs.iter().sum::<f64>());
            let gof = chi_square_gof(&obs, &probs);
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
            let gof = chi_square_gof(&obs, &probs);
            assert!(gof.p_value > 1e-3, "Binomial({n}, {p}): {gof:?}");
        }
        assert_eq!(binomial(&mut rng, 0, 0.5), 0);
        assert_eq!(binomial(&mut rng, 7, 1.0), 7);
        assert_eq!(binomial(&mut rng, 7, 0.0), 0);
    }
}
