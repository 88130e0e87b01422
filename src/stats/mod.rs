//! Statistics: mergeable accumulators and confidence intervals.
//!
//! Everything a run accumulates is an integer count or an integer sum, so the
//! statistics of any split of the trials merge exactly into those of the whole.

mod chance;
mod exact;
mod gof;
mod histogram;
mod interval;
mod moments;
mod paired;
mod rank;

pub use chance::{CHANCE_CSV_HEADER, Chance, Chances, Method, REACHED_ALREADY};
pub use exact::ExactSum;
pub use gof::{GoodnessOfFit, chi_square_gof};
pub use histogram::{Bucket, LogHistogram};
pub use interval::{
    Interval, Proportion, beta_quantile, beta_reg, clopper_pearson, kish_effective_size, ln_normal_cdf,
    normal_quantile_two_sided, wilson, wilson_at, wilson_modified,
};
pub use moments::{CrossMoments, Estimate, Moments};
pub use paired::{
    DifferenceEstimate, DifferenceMethod, LevelVersusBaseline, PairedCounts, PairedCoverage,
    PairedDifference, PairedLevels, mcnemar, paired_cell, paired_coverage, paired_difference,
    paired_estimate,
};
pub use rank::RankTable;
