//! The variants' deviances paired on the check's careers.
//!
//! Every variant's fit is checked on the same luck (`run.seed + 1`, the same
//! careers' keys), so the Monte Carlo errors of two variants' deviances are
//! correlated: a creator who reaches a million followers under one variant
//! often does under another. Taking them as independent (the two standard
//! errors in quadrature) misstates the error of their difference.
//!
//! The pairing replays every variant's check on those careers together, in
//! `G = 20` groups of consecutive careers, and estimates the errors by the
//! delete-a-group jackknife (Kott 2001, "The delete-a-group jackknife", J.
//! Official Statistics 17(4):521-526): with `G_(-g)` a deviance computed
//! without group `g` and `G_(.)` their mean,
//!
//!   `Var G = (G - 1) / G sum_g (G_(-g) - G_(.))²`,
//!
//! and likewise the covariance of two variants' deviances and the variance of
//! their difference. The jackknife follows the deviance's curvature where the
//! linearised standard error of a calibration (`deviance_se`, the delta
//! method) does not: at 10,000 careers a check, the replicate spread of a
//! difference of two deviances was 1.7 times the delta method's figure
//! (`cargo test --release --lib compare::paired -- --ignored --nocapture`).
//!
//! The replay must give each calibration's deviance again, bit for bit, or
//! the record is not made.

use crate::error::FieldError;
use crate::model::{Model, Summary};
use crate::random::TrialStreams;
use crate::runner::Runner;
use crate::study::calibrate::{BandCounts, BandModel, BandOutcome, Calibration, CalibrationRecord};
use serde::{Deserialize, Serialize};

/// The variants' deviances paired on the check's careers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pairing {
    /// The check's luck (every variant's `run.seed + 1`).
    pub seed: u64,
    /// The check's careers per variant.
    pub trials: u64,
    /// The jackknife's groups of consecutive careers.
    pub groups: u64,
    /// Each variant's deviance's standard error, by the jackknife.
    pub se: Vec<f64>,
    /// `correlation[v][u]`: the correlation of variants `v` and `u`'s
    /// deviances over the check's careers (1 on the diagonal).
    pub correlation: Vec<Vec<f64>>,
}

impl Pairing {
    /// The Monte Carlo standard error of `G_v - G_u`, by the jackknife:
    /// `sqrt(se_v² + se_u² - 2 r se_v se_u)` (0 when rounding makes it
    /// negative).
    pub fn difference_se(&self, v: usize, u: usize) -> f64 {
        let (se_v, se_u, r) = (self.se[v], self.se[u], self.correlation[v][u]);
        (se_v * se_v + se_u * se_u - 2.0 * r * se_v * se_u).max(0.0).sqrt()
    }

    /// The pairing's invariants for `variants` finished variants: an
    /// `n x n` symmetric matrix of finite correlations within `[-1, 1]`,
    /// 1 on its diagonal, and the check's seed and careers as every
    /// variant's calibration ran them. `Err` names the field.
    pub fn check(&self, variants: &[&CalibrationRecord]) -> Result<(), FieldError> {
        let n = variants.len();
        if self.groups != GROUPS {
            return Err(FieldError::new("paired.groups", self.groups, format!("must be {GROUPS}")));
        }
        if self.se.len() != n || self.se.iter().any(|s| !(s.is_finite() && *s >= 0.0)) {
            return Err(FieldError::new(
                "paired.se",
                format!("({} values)", self.se.len()),
                format!("must be {n} finite standard errors, none negative"),
            ));
        }
        if self.correlation.len() != n || self.correlation.iter().any(|row| row.len() != n) {
            return Err(FieldError::new(
                "paired.correlation",
                format!("({} rows)", self.correlation.len()),
                format!("must be a {n} x {n} matrix, one row and column per variant"),
            ));
        }
        for (v, row) in self.correlation.iter().enumerate() {
            for (u, &r) in row.iter().enumerate() {
                let sound = r.is_finite()
                    && (-1.0 - 1e-9..=1.0 + 1e-9).contains(&r)
                    && r == self.correlation[u][v]
                    && (v != u || r == 1.0);
                if !sound {
                    return Err(FieldError::new(
                        format!("paired.correlation[{v}][{u}]"),
                        r,
                        "must be a correlation in [-1, 1], symmetric, 1 on the diagonal",
                    ));
                }
            }
        }
        for (v, c) in variants.iter().enumerate() {
            let s = &c.report.search;
            if (s.verify_seed, s.verify_trials) != (self.seed, self.trials) {
                return Err(FieldError::new(
                    "paired.seed",
                    format!("{} (careers {})", self.seed, self.trials),
                    format!(
                        "must be the check's seed and careers of variants[{v}]: {} (careers {})",
                        s.verify_seed, s.verify_trials
                    ),
                ));
            }
        }
        Ok(())
    }
}

/// The jackknife's groups.
pub const GROUPS: u64 = 20;

/// Every variant's careers on the same keys.
struct JointBands {
    models: Vec<BandModel>,
}

/// The careers counted under every variant.
#[derive(Debug, Clone)]
struct JointCounts(Vec<BandCounts>);

impl Summary<Vec<BandOutcome>> for JointCounts {
    fn record(&mut self, outcome: &Vec<BandOutcome>) {
        for (m, o) in self.0.iter_mut().zip(outcome) {
            m.record(o);
        }
    }

    fn merge(&mut self, other: &Self) {
        for (m, o) in self.0.iter_mut().zip(&other.0) {
            m.merge(o);
        }
    }

    fn trials(&self) -> u64 {
        self.0.first().map_or(0, |m| m.trials)
    }
}

impl Model for JointBands {
    type Outcome = Vec<BandOutcome>;
    type Summary = JointCounts;
    type Report = JointCounts;

    fn sample_trial(&self, streams: &TrialStreams) -> Self::Outcome {
        self.models.iter().map(|m| m.sample_trial(streams)).collect()
    }

    fn new_summary(&self) -> JointCounts {
        JointCounts(self.models.iter().map(Model::new_summary).collect())
    }

    fn report(&self, summary: &JointCounts) -> JointCounts {
        summary.clone()
    }
}

/// `all` without the careers of `part` (exact: integer sums).
fn without(all: &BandCounts, part: &BandCounts) -> BandCounts {
    let less = |a: &[u128], b: &[u128]| a.iter().zip(b).map(|(x, y)| x - y).collect();
    BandCounts {
        edges: all.edges.clone(),
        counts: all.counts.iter().zip(&part.counts).map(|(x, y)| x - y).collect(),
        weights: less(&all.weights, &part.weights),
        squares: less(&all.squares, &part.squares),
        trials: all.trials - part.trials,
    }
}

/// Replays the check of every variant in `fitted` (its calibration and its
/// record) on the same careers and pairs their deviances. `None` when the
/// runner's stop flag cut the replay short; an error when a variant's
/// replayed deviance is not its calibration's (the record does not belong
/// to these calibrations) or the checks' luck differs.
pub(super) fn pair(
    fitted: &[(&Calibration, &CalibrationRecord)],
    runner: &Runner,
) -> Result<Option<Pairing>, FieldError> {
    let Some(&(first, _)) = fitted.first() else {
        return Err(FieldError::new("variants", "(none)", "pairing needs the finished variants"));
    };
    let (seed, trials) = first.verification_size();
    let mut at = Vec::with_capacity(fitted.len());
    for (v, (c, record)) in fitted.iter().enumerate() {
        if c.verification_size() != (seed, trials) {
            return Err(FieldError::new(
                format!("variants[{v}].run"),
                "(check)",
                "every variant's check must run on the same luck and careers to be paired",
            ));
        }
        at.push((*c, record.report.parameters.iter().map(|p| p.value).collect()));
    }
    let Some(check) = paired_check(&at, runner, seed, trials)? else {
        return Ok(None);
    };
    for (v, ((_, record), deviance)) in fitted.iter().zip(&check.deviances).enumerate() {
        if deviance.to_bits() != record.report.deviance.to_bits() {
            return Err(FieldError::new(
                format!("variants[{v}].calibration.report.deviance"),
                record.report.deviance,
                format!(
                    "must be what its check's careers give again ({deviance}): the record is not this comparison's"
                ),
            ));
        }
    }
    Ok(Some(check.pairing))
}

/// Every variant's deviance on the same careers, and their pairing.
pub(super) struct PairedCheck {
    /// `G_v` per variant, on all the careers.
    pub deviances: Vec<f64>,
    /// Each variant's delta-method standard error (a calibration's
    /// `deviance_se`), for the validation of the jackknife against it.
    #[cfg(test)]
    pub delta_se: Vec<f64>,
    /// Their jackknife standard errors and correlations.
    pub pairing: Pairing,
}

/// Runs `trials` careers on `seed` under every calibration at its point
/// `theta` (the same keys for all), in [`GROUPS`] groups, and pairs their
/// deviances by the jackknife; `None` when the stop flag cut the run short.
pub(super) fn paired_check(
    at: &[(&Calibration, Vec<f64>)],
    runner: &Runner,
    seed: u64,
    trials: u64,
) -> Result<Option<PairedCheck>, FieldError> {
    let models = at.iter().map(|(c, theta)| c.band_model_at(theta)).collect::<Result<Vec<_>, _>>()?;
    let model = JointBands { models };
    let runner = runner.reseeded_stoppable(seed);
    let mut groups = Vec::with_capacity(GROUPS as usize);
    for g in 0..GROUPS {
        let range = trials * g / GROUPS..trials * (g + 1) / GROUPS;
        let out = runner.run_range(&model, range.clone());
        if out.trials != range {
            return Ok(None);
        }
        groups.push(out.summary);
    }
    let mut all = model.new_summary();
    for g in &groups {
        all.merge(g);
    }
    let deviance = |v: usize, counts: &BandCounts| at[v].0.deviance_coefficients(counts).0;
    let n = at.len();
    let deviances: Vec<f64> = (0..n).map(|v| deviance(v, &all.0[v])).collect();
    #[cfg(test)]
    let delta_se = (0..n)
        .map(|v| {
            let (_, c) = at[v].0.deviance_coefficients(&all.0[v]);
            c.iter().zip(&all.0[v].squares).map(|(c, &q)| c * c * q as f64).sum::<f64>().sqrt()
                / crate::study::calibrate::WEIGHT_ONE
        })
        .collect();
    // Leave-one-group-out deviances, centred: `d[v][g] = G_(-g) - G_(.)`.
    let d: Vec<Vec<f64>> = (0..n)
        .map(|v| {
            let left: Vec<f64> = groups.iter().map(|g| deviance(v, &without(&all.0[v], &g.0[v]))).collect();
            let mean = left.iter().sum::<f64>() / left.len() as f64;
            left.iter().map(|x| x - mean).collect()
        })
        .collect();
    let k = GROUPS as f64;
    let covariance =
        |v: usize, u: usize| (k - 1.0) / k * d[v].iter().zip(&d[u]).map(|(a, b)| a * b).sum::<f64>();
    let se: Vec<f64> = (0..n).map(|v| covariance(v, v).sqrt()).collect();
    let mut correlation = vec![vec![1.0; n]; n];
    for v in 0..n {
        for u in v + 1..n {
            let scale = se[v] * se[u];
            let r = if scale > 0.0 { (covariance(v, u) / scale).clamp(-1.0, 1.0) } else { 0.0 };
            (correlation[v][u], correlation[u][v]) = (r, r);
        }
    }
    let pairing = Pairing { seed, trials, groups: GROUPS, se, correlation };
    Ok(Some(PairedCheck {
        deviances,
        #[cfg(test)]
        delta_se,
        pairing,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::study::compare::Comparison;

    /// Over `R` replicate checks (seeds 1 to R, the fitted points of the
    /// shipped comparison's full run held fixed), the spread of `G_today -
    /// G_dormant` is what the paired standard error says, within 4 standard
    /// errors of a sample standard deviation (`1 / sqrt(2 (R - 1))`
    /// relative), and smaller than the unpaired one.
    #[test]
    #[ignore = "slow statistical tier (cargo test --release -- --ignored)"]
    fn the_paired_standard_error_is_the_spread_of_the_difference_over_replicate_checks() {
        const R: u64 = 40;
        const TRIALS: u64 = 10_000;
        let comparison = Comparison::builtin("variants-2026").unwrap();
        // share_rate, niche median, niche sigma: docs/guide/src/compare.md's full run.
        let at = [
            (&comparison.variants[0].calibration, vec![0.473, 113_000.0, 2.18]),
            (&comparison.variants[2].calibration, vec![0.571, 46_100.0, 2.22]),
        ];
        let runner = Runner::new(0);
        let (mut differences, mut paired, mut unpaired, mut r) = (vec![], 0.0, 0.0, 0.0);
        let mut delta_method = 0.0;
        for seed in 1..=R {
            let check = paired_check(&at, &runner, seed, TRIALS).unwrap().unwrap();
            let [g_a, g_b] = check.deviances[..] else { unreachable!() };
            let [se_a, se_b] = check.pairing.se[..] else { unreachable!() };
            differences.push(g_a - g_b);
            paired += check.pairing.difference_se(0, 1).powi(2) / R as f64;
            unpaired += (se_a * se_a + se_b * se_b) / R as f64;
            delta_method += check.delta_se.iter().map(|s| s * s).sum::<f64>() / R as f64;
            r += check.pairing.correlation[0][1] / R as f64;
        }
        let mean = differences.iter().sum::<f64>() / R as f64;
        let sd = (differences.iter().map(|d| (d - mean).powi(2)).sum::<f64>() / (R - 1) as f64).sqrt();
        let ratio = sd / paired.sqrt();
        let tolerance = 4.0 / (2.0 * (R - 1) as f64).sqrt();
        println!(
            "replicate sd of G_today - G_dormant {sd:.2}; paired se {:.2} (ratio {ratio:.3}, allowed 1 +- \
             {tolerance:.3}); unpaired se {:.2}; mean correlation {r:.3}; the delta method's unpaired se {:.2}",
            paired.sqrt(),
            unpaired.sqrt(),
            delta_method.sqrt()
        );
        assert!((ratio - 1.0).abs() < tolerance, "ratio {ratio}");
        assert!(paired < unpaired);
    }

    #[test]
    fn the_difference_se_is_the_two_in_quadrature_less_their_covariance() {
        let p = Pairing {
            seed: 1,
            trials: 10,
            groups: GROUPS,
            se: vec![3.0, 4.0],
            correlation: vec![vec![1.0, 0.5], vec![0.5, 1.0]],
        };
        // 9 + 16 - 2 * 0.5 * 3 * 4 = 13.
        assert!((p.difference_se(0, 1) - 13f64.sqrt()).abs() < 1e-12);
        let independent = Pairing { correlation: vec![vec![1.0, 0.0], vec![0.0, 1.0]], ..p.clone() };
        assert!((independent.difference_se(0, 1) - 5.0).abs() < 1e-12);
        let same = Pairing { se: vec![3.0, 3.0], correlation: vec![vec![1.0, 1.0], vec![1.0, 1.0]], ..p };
        assert_eq!(same.difference_se(0, 1), 0.0);
    }
}
