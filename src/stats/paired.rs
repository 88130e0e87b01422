//! Paired differences of proportions: two estimates of a tier's odds on
//! the same trials (common random numbers), compared trial by trial.
//!
//! With `a_i`, `m_i` the indicators "trial `i` reached the tier" and "trial
//! `i` counts" (always 1 for a plain run; "matched" for creators like you),
//! an estimate's odds are `p = sum a / sum m`, and the difference `d = p_P -
//! p_B` has the delta-method standard error `sd(z) / sqrt(n)` over trials of
//!
//!   `z_i = (a_i^P - p_P m_i^P) / mbar_P - (a_i^B - p_B m_i^B) / mbar_B`,
//!
//! with a normal interval `d -/+ z SE`. For a plain run this is the usual
//! paired (McNemar-type) difference of proportions, whose variance is
//! driven by the discordant trials; their counts are kept so a reader can
//! tell when too few (under about 10) make the normal interval rough. The
//! unpaired interval, from the two estimates' own standard errors as if run
//! on independent luck, is given beside it to show what pairing buys.
//! Sweeps and attribution's counterfactuals both use it.

use crate::tier::Tier;
use serde::{Deserialize, Serialize};

/// A difference in odds with its paired and unpaired 95% intervals.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct DifferenceEstimate {
    /// Odds at the point minus odds at the baseline.
    pub difference: f64,
    /// Paired standard error (delta method over paired trials).
    pub std_error: f64,
    /// Lower end of the paired 95% interval.
    pub lower: f64,
    /// Upper end of the paired 95% interval.
    pub upper: f64,
    /// The standard error had the two points run on independent luck.
    pub unpaired_std_error: f64,
    /// Lower end of the unpaired 95% interval.
    pub unpaired_lower: f64,
    /// Upper end of the unpaired 95% interval.
    pub unpaired_upper: f64,
}

/// One tier's difference between a point and the baseline.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct PairedDifference {
    /// The tier.
    pub tier: Tier,
    /// The difference with its intervals; `None` when either point has no
    /// counted trial (nobody matched).
    pub estimate: Option<DifferenceEstimate>,
    /// Trials that reached the tier at this point but not at the baseline.
    pub point_only: u64,
    /// Trials that reached the tier at the baseline but not at this point.
    pub baseline_only: u64,
}

/// The paired and unpaired difference of one tier's odds from the 16 joint
/// counts of `(a_P, m_P, a_B, m_B)`: cell `c` counts the trials whose bit 0
/// is `a_P` (reached at the point), bit 1 `m_P` (counted at the point), bit
/// 2 `a_B` and bit 3 `m_B` (the same at the baseline); `n` trials in all;
/// `z` the normal quantile of the interval.
pub fn paired_difference(tier: Tier, cells: &[u64; 16], n: u64, z: f64) -> PairedDifference {
    let bit = |cell: usize, k: usize| ((cell >> k) & 1) as f64;
    let total = |k: usize| cells.iter().enumerate().map(|(c, &count)| bit(c, k) * count as f64).sum::<f64>();
    let (hits_p, counted_p, hits_b, counted_b) = (total(0), total(1), total(2), total(3));
    let count = |pred: &dyn Fn(usize) -> bool| (0..16).filter(|&c| pred(c)).map(|c| cells[c]).sum::<u64>();
    let point_only = count(&|c| bit(c, 0) == 1.0 && bit(c, 2) == 0.0);
    let baseline_only = count(&|c| bit(c, 0) == 0.0 && bit(c, 2) == 1.0);
    if counted_p == 0.0 || counted_b == 0.0 || n < 2 {
        return PairedDifference { tier, estimate: None, point_only, baseline_only };
    }
    let nf = n as f64;
    let (p_p, p_b) = (hits_p / counted_p, hits_b / counted_b);
    let (mbar_p, mbar_b) = (counted_p / nf, counted_b / nf);
    let (mut paired, mut alone_p, mut alone_b) = (0.0, 0.0, 0.0);
    for (c, &k) in cells.iter().enumerate() {
        if k == 0 {
            continue;
        }
        let zp = (bit(c, 0) - p_p * bit(c, 1)) / mbar_p;
        let zb = (bit(c, 2) - p_b * bit(c, 3)) / mbar_b;
        paired += k as f64 * (zp - zb) * (zp - zb);
        alone_p += k as f64 * zp * zp;
        alone_b += k as f64 * zb * zb;
    }
    let se = |sum_sq: f64| (sum_sq / (nf - 1.0) / nf).sqrt();
    let difference = p_p - p_b;
    let interval = |se: f64| (difference - z * se, difference + z * se);
    let paired_se = se(paired);
    let unpaired_se = (se(alone_p).powi(2) + se(alone_b).powi(2)).sqrt();
    let (lower, upper) = interval(paired_se);
    let (unpaired_lower, unpaired_upper) = interval(unpaired_se);
    PairedDifference {
        tier,
        estimate: Some(DifferenceEstimate {
            difference,
            std_error: paired_se,
            lower,
            upper,
            unpaired_std_error: unpaired_se,
            unpaired_lower,
            unpaired_upper,
        }),
        point_only,
        baseline_only,
    }
}
