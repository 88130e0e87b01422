//! What the coverage examples share: reading their one argument, and
//! drawing a census.

use rand_distr::{Binomial, Distribution};

/// The replicates per cell from the first command-line argument: `default`
/// when it is absent; a whole number of at least `least`, or a clear message
/// and exit code 2.
pub fn replicates_arg(default: u64, least: u64) -> u64 {
    let Some(text) = std::env::args().nth(1) else {
        return default;
    };
    match text.parse() {
        Ok(r) if r >= least => r,
        _ => {
            eprintln!("replicates per cell must be a whole number of at least {least}, not {text:?}");
            std::process::exit(2);
        }
    }
}

/// A census of `n` accounts drawn from the shares `p` (a multinomial draw
/// by conditional binomials), as shares.
#[allow(dead_code)] // not every example that shares this module draws censuses
pub fn census(p: &[f64], n: u64, rng: &mut rand_xoshiro::Xoshiro256PlusPlus) -> Vec<f64> {
    let (mut left, mut mass) = (n, 1.0);
    let mut shares = Vec::new();
    for (j, &pj) in p.iter().enumerate() {
        let c = if j + 1 == p.len() || left == 0 {
            left
        } else {
            Binomial::new(left, (pj / mass).clamp(0.0, 1.0)).expect("valid").sample(rng)
        };
        shares.push(c as f64 / n as f64);
        left -= c;
        mass -= pj;
    }
    shares
}
