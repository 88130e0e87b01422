//! Coverage of calibration's 95% parameter intervals at small counts
//! (docs/CALIBRATION.md, "When the intervals are trusted").
//!
//! Each cell is a census of `n_eff` accounts drawn from a model whose
//! shares are exact functions of its parameters, with one rare category
//! (like the top influencer bands): `n_eff` of 100, 1,000 or 10,000, and the
//! rare category's expected count `n_eff r` from 0.5 to 100. The census is
//! Multinomial(n_eff, p(theta0)) / n_eff, fitted by `fit_shares` exactly as
//! `clout calibrate` fits (bounded parameters searched on the logistic scale,
//! a target share of 0 adding nothing to the deviance, no interval at a
//! bound), and each parameter's interval is checked against `theta0`:
//!
//! * Wald: `x̂ -/+ 1.96 sd` from the Fisher information (what clout prints);
//!   a replicate with no interval (at a bound, or singular) counts as a miss;
//! * LR: the profile likelihood-ratio interval `{theta_k: G_k(theta_k) -
//!   G(thetâ) <= 3.84}`, `G_k` the deviance minimised over the others.
//!
//! The four models (categories: `1 - 0.3 - r`, 0.2, 0.1, `r`, or log-normal
//! bands with the top one holding `r`):
//!
//! * `location`: ordered logit, `P(Y >= j) = logistic(d_j + theta)`: one
//!   parameter that moves every category;
//! * `tail`: the rare category's share of the top two, `logistic(e + theta)`:
//!   one parameter told only by the rare category against its neighbour;
//! * `loc+tail`: both (two parameters), like share_rate and the niche median,
//!   whose ridge only the mega share tells apart;
//! * `lognormal`: log followers ~ Normal(mu, sigma), bands 1k-10k, 10k-50k,
//!   50k-E, E+ among 1k+, `E` set so that the top band holds `r` (two parameters).
//!
//! Replicates per cell from the first argument (default 4,000; 9 s on 2 cores):
//!
//! ```text
//! cargo run --release --example calibration_coverage
//! ```

mod common;

use clout::FieldError;
use clout::study::calibrate::{MIN_EFFECTIVE_COUNT, fit_shares};
use rand::SeedableRng;
use rayon::prelude::*;
use statrs::distribution::{ContinuousCDF, Normal};

/// Census sizes and the rare category's expected counts in each.
const GRID: [(f64, &[f64]); 3] = [
    (100.0, &[0.5, 1.0, 2.0, 5.0]),
    (1000.0, &[0.5, 1.0, 2.0, 5.0, 10.0, 20.0, 50.0]),
    (10_000.0, &[0.5, 1.0, 2.0, 5.0, 10.0, 20.0, 50.0, 100.0]),
];

/// The chi-square(1) 95% point.
const CHI2_95: f64 = 3.841_458_820_694_124;

#[derive(Clone, Copy, Debug, PartialEq)]
enum Kind {
    Location,
    Tail,
    LocationTail,
    LogNormal,
}

impl Kind {
    const ALL: [Kind; 4] = [Kind::Location, Kind::Tail, Kind::LocationTail, Kind::LogNormal];

    fn name(self) -> &'static str {
        match self {
            Kind::Location => "location",
            Kind::Tail => "tail",
            Kind::LocationTail => "loc+tail",
            Kind::LogNormal => "lognormal",
        }
    }
}

/// A model with its truth: `shares(theta)`, bounds, and `theta0`.
struct Model {
    kind: Kind,
    /// The rare category's share at the truth.
    rare: f64,
    /// Logits of `P(Y >= j)`, j = 1, 2 (logit models), and of the rare share of the top two.
    d: [f64; 3],
    /// The top band's lower edge in log followers (lognormal).
    top: f64,
}

fn logistic(x: f64) -> f64 {
    1.0 / (1.0 + (-x).exp())
}

fn logit(p: f64) -> f64 {
    (p / (1.0 - p)).ln()
}

/// A parameter's bounds on its own scale (`theta = low + (high - low) logistic(x)`),
/// as `clout calibrate` searches it; the truth is the middle (`x0 = 0`).
const LOGIT_BOUNDS: (f64, f64) = (-8.0, 8.0);
/// mu in [3, 15]; ln sigma in [ln 0.3, ln 7.5] (sigma on a log scale, truth 1.5).
const MU_BOUNDS: (f64, f64) = (3.0, 15.0);
const LN_SIGMA_BOUNDS: (f64, f64) = (-1.2039728043259361, 2.0149030205422647);

fn bounded(x: f64, (low, high): (f64, f64)) -> f64 {
    low + (high - low) * logistic(x)
}

impl Model {
    fn new(kind: Kind, rare: f64) -> Model {
        let (s1, s2) = (0.3 + rare, 0.1 + rare);
        let d = [logit(s1), logit(s2), logit(rare / s2)];
        let normal = Normal::new(9.0, 1.5).expect("valid");
        let all = normal.sf(1e3f64.ln());
        let top = normal.inverse_cdf(1.0 - rare * all);
        Model { kind, rare, d, top }
    }

    fn parameters(&self) -> usize {
        match self.kind {
            Kind::Location | Kind::Tail => 1,
            Kind::LocationTail | Kind::LogNormal => 2,
        }
    }

    /// Shares at search coordinates `x` (truth at `x = 0`).
    fn shares(&self, x: &[f64]) -> Vec<f64> {
        let survival = |shift: f64, tail: f64| {
            let s1 = logistic(self.d[0] + shift);
            let s2 = logistic(self.d[1] + shift);
            let s3 = s2 * logistic(self.d[2] + tail);
            vec![1.0 - s1, s1 - s2, s2 - s3, s3]
        };
        match self.kind {
            Kind::Location => survival(bounded(x[0], LOGIT_BOUNDS), 0.0),
            Kind::Tail => survival(0.0, bounded(x[0], LOGIT_BOUNDS)),
            Kind::LocationTail => survival(bounded(x[0], LOGIT_BOUNDS), bounded(x[1], LOGIT_BOUNDS)),
            Kind::LogNormal => {
                let mu = bounded(x[0], MU_BOUNDS);
                let sigma = bounded(x[1], LN_SIGMA_BOUNDS).exp();
                let normal = Normal::new(mu, sigma).expect("valid");
                let edges = [1e3f64.ln(), 1e4f64.ln(), 5e4f64.ln(), self.top];
                let sf: Vec<f64> = edges.iter().map(|&e| normal.sf(e)).collect();
                let all = sf[0];
                vec![(sf[0] - sf[1]) / all, (sf[1] - sf[2]) / all, (sf[2] - sf[3]) / all, sf[3] / all]
            }
        }
    }

    /// The truth's search coordinates: the middle of every parameter's bounds.
    fn x0(&self) -> Vec<f64> {
        let lognormal = [{ (9.0 - MU_BOUNDS.0) / (MU_BOUNDS.1 - MU_BOUNDS.0) }, {
            (1.5f64.ln() - LN_SIGMA_BOUNDS.0) / (LN_SIGMA_BOUNDS.1 - LN_SIGMA_BOUNDS.0)
        }];
        match self.kind {
            Kind::LogNormal => lognormal.iter().map(|&u| logit(u)).collect(),
            _ => vec![0.0; self.parameters()],
        }
    }
}

/// One replicate's verdict on one parameter.
#[derive(Clone, Copy)]
struct Verdict {
    /// The Wald interval exists and holds the truth.
    wald: bool,
    /// A Wald interval was printed (not at a bound, information not singular).
    printed: bool,
    /// The LR interval holds the truth.
    lr: bool,
    /// The fit's effective count of the parameter.
    effective: f64,
    /// The smallest `n_eff q_j` of the census over all categories.
    smallest: f64,
}

fn replicate(model: &Model, n: f64, rng: &mut rand_xoshiro::Xoshiro256PlusPlus) -> Vec<Verdict> {
    let x0 = model.x0();
    let truth = model.shares(&x0);
    let q = common::census(&truth, n as u64, rng);
    let shares = |x: &[f64]| -> Result<Vec<f64>, FieldError> { Ok(model.shares(x)) };
    let start: Vec<f64> = x0.iter().map(|x| x + 0.4).collect();
    let fit = fit_shares(&shares, start, &q, n, 600, &|_, _| {}).expect("exact shares");
    let smallest = q.iter().fold(f64::INFINITY, |m, q| m.min(n * q));
    let z = clout::stats::normal_quantile_two_sided(0.95);
    (0..x0.len())
        .map(|k| {
            let at_bound = (logistic(fit.x[k]) - 0.5).abs() > 0.49;
            let sd = fit.covariance.as_ref().map(|c| c[(k, k)].sqrt()).filter(|_| !at_bound);
            let wald = sd.is_some_and(|sd| (fit.x[k] - x0[k]).abs() <= z * sd);
            let effective = fit.effective_counts.as_ref().map_or(0.0, |m| m[k]);
            // The profile deviance at the truth: the others fitted with x_k held.
            let profile = if x0.len() == 1 {
                clout::study::calibrate::deviance(&q, &truth, n)
            } else {
                let others: Vec<f64> = (0..x0.len()).filter(|&i| i != k).map(|i| fit.x[i]).collect();
                let held = |y: &[f64]| -> Result<Vec<f64>, FieldError> {
                    let mut x = Vec::with_capacity(x0.len());
                    let mut y = y.iter();
                    for i in 0..x0.len() {
                        x.push(if i == k { x0[k] } else { *y.next().expect("one a parameter") });
                    }
                    Ok(model.shares(&x))
                };
                fit_shares(&held, others, &q, n, 600, &|_, _| {}).expect("exact shares").deviance
            };
            let lr = profile - fit.deviance <= CHI2_95;
            Verdict { wald, printed: sd.is_some(), lr, effective, smallest }
        })
        .collect()
}

struct Cell {
    kind: Kind,
    n: f64,
    expected: f64,
}

fn main() {
    let replicates = common::replicates_arg(4000, 20);
    let mut cells = Vec::new();
    for kind in Kind::ALL {
        for (n, counts) in GRID {
            for &expected in counts {
                cells.push(Cell { kind, n, expected });
            }
        }
    }
    let results: Vec<Vec<Verdict>> = cells
        .par_iter()
        .enumerate()
        .map(|(i, c)| {
            let model = Model::new(c.kind, c.expected / c.n);
            let mut rng = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(0xCA11B + i as u64);
            (0..replicates).flat_map(|_| replicate(&model, c.n, &mut rng)).collect()
        })
        .collect();
    let rate = |v: &[&Verdict], f: fn(&Verdict) -> bool| {
        v.iter().filter(|v| f(v)).count() as f64 / v.len().max(1) as f64
    };
    println!(
        "Coverage of calibration's nominal 95% parameter intervals, {replicates} censuses a cell \
         (Monte Carlo SE about {:.4} at 0.95; two-parameter cells pool both parameters).\n",
        (0.95f64 * 0.05 / replicates as f64).sqrt()
    );
    println!(
        "Columns: the rare category's share and expected count (E[rare]: the smallest n_eff p_j at the truth);\n\
         Wald coverage (no interval a miss), the share of fits printing one, its coverage among them, LR coverage;\n\
         the share of fits clout trusts (printed, m >= {MIN_EFFECTIVE_COUNT}), the median effective count m of the\n\
         printed ones, and the coverage of the trusted ones.\n"
    );
    println!(
        "{:>9} {:>6} {:>8} {:>7} | {:>6} {:>7} {:>9} {:>6} | {:>7} {:>8} {:>9}",
        "model",
        "n_eff",
        "rare",
        "E[rare]",
        "Wald",
        "printed",
        "|printed",
        "LR",
        "trusted",
        "median m",
        "|trusted"
    );
    let mut rows = Vec::new();
    for (c, v) in cells.iter().zip(&results) {
        let model = Model::new(c.kind, c.expected / c.n);
        let truth = model.shares(&model.x0());
        let rarest = truth.iter().fold(f64::INFINITY, |m, p| m.min(c.n * p));
        let all: Vec<&Verdict> = v.iter().collect();
        let mut m: Vec<f64> = v.iter().filter(|v| v.printed).map(|v| v.effective).collect();
        m.sort_by(f64::total_cmp);
        let median = m.get(m.len() / 2).copied().unwrap_or(0.0);
        let (wald, lr) = (rate(&all, |v| v.wald), rate(&all, |v| v.lr));
        let trusted = rate(&all, |v| v.printed && v.effective >= MIN_EFFECTIVE_COUNT);
        let shown: Vec<&Verdict> = v.iter().filter(|v| v.printed).collect();
        let kept: Vec<&Verdict> =
            shown.iter().copied().filter(|v| v.effective >= MIN_EFFECTIVE_COUNT).collect();
        let or_dash = |v: &[&Verdict]| {
            if v.is_empty() { "-".to_string() } else { format!("{:.4}", rate(v, |v| v.wald)) }
        };
        println!(
            "{:>9} {:>6} {:>8.5} {:>7.1} | {:>6.4} {:>7.4} {:>9} {:>6.4} | {:>7.3} {:>8.1} {:>9}",
            c.kind.name(),
            c.n,
            model.rare,
            rarest,
            wald,
            rate(&all, |v| v.printed),
            or_dash(&shown),
            lr,
            trusted,
            median,
            or_dash(&kept)
        );
        rows.push((c.expected, c.n, wald, lr));
    }
    println!("\nBy the rare category's expected count (all models and n_eff): Wald and LR, worst / mean");
    let mut expected: Vec<f64> = cells.iter().map(|c| c.expected).collect();
    expected.sort_by(f64::total_cmp);
    expected.dedup();
    for e in expected {
        let chosen: Vec<&(f64, f64, f64, f64)> = rows.iter().filter(|r| r.0 == e).collect();
        let worst = |f: fn(&(f64, f64, f64, f64)) -> f64| chosen.iter().map(|r| f(r)).fold(1.0, f64::min);
        let mean = |f: fn(&(f64, f64, f64, f64)) -> f64| {
            chosen.iter().map(|r| f(r)).sum::<f64>() / chosen.len() as f64
        };
        println!(
            "  E[rare] {:>5}: Wald {:.4} / {:.4}   LR {:.4} / {:.4}   ({} cells)",
            e,
            worst(|r| r.2),
            mean(|r| r.2),
            worst(|r| r.3),
            mean(|r| r.3),
            chosen.len()
        );
    }
    let printed: Vec<&Verdict> = results.iter().flatten().filter(|v| v.printed).collect();
    let pooled = |label: &str, pick: &dyn Fn(&Verdict) -> bool| {
        let v: Vec<&Verdict> = printed.iter().copied().filter(|v| pick(v)).collect();
        println!(
            "  {label:<34} Wald {:.4}  LR {:.4}  ({} intervals)",
            rate(&v, |v| v.wald),
            rate(&v, |v| v.lr),
            v.len()
        );
    };
    println!("\nPrinted intervals pooled by the fit's effective count m (see MIN_EFFECTIVE_COUNT):");
    let bins = [0.0, 1.0, 2.0, 5.0, 10.0, 20.0, 50.0, 100.0, f64::INFINITY];
    for w in bins.windows(2) {
        pooled(&format!("m in [{}, {})", w[0], w[1]), &|v| (w[0]..w[1]).contains(&v.effective));
    }
    println!("\nPrinted intervals pooled by the census's smallest count n_eff q_j (all categories):");
    for w in bins.windows(2) {
        pooled(&format!("n q_min in [{}, {})", w[0], w[1]), &|v| (w[0]..w[1]).contains(&v.smallest));
    }
    println!(
        "\nPooled by clout's flag (trusted: printed and m >= MIN_EFFECTIVE_COUNT = {MIN_EFFECTIVE_COUNT}):"
    );
    pooled("trusted", &|v| v.effective >= MIN_EFFECTIVE_COUNT);
    pooled("NOT TRUSTED, printed", &|v| v.effective < MIN_EFFECTIVE_COUNT);
    let flagged: Vec<&Verdict> =
        results.iter().flatten().filter(|v| !(v.printed && v.effective >= MIN_EFFECTIVE_COUNT)).collect();
    println!(
        "  {:<34} Wald {:.4}  LR {:.4}  ({} parameters, no interval a miss)",
        "NOT TRUSTED or none",
        rate(&flagged, |v| v.wald),
        rate(&flagged, |v| v.lr),
        flagged.len()
    );
    println!(
        "\nCells where the flag trusts 90% of the fits or more, or flags 90% or more: Wald, worst / mean"
    );
    for (label, pick) in [("trusted cells", true), ("flagged cells", false)] {
        let chosen: Vec<f64> = results
            .iter()
            .filter(|v| {
                let all: Vec<&Verdict> = v.iter().collect();
                let trusted = rate(&all, |v| v.printed && v.effective >= MIN_EFFECTIVE_COUNT);
                if pick { trusted >= 0.9 } else { trusted <= 0.1 }
            })
            .map(|v| {
                let all: Vec<&Verdict> = v.iter().collect();
                rate(&all, |v| v.wald)
            })
            .collect();
        println!(
            "  {label:<14} {:.4} / {:.4}  ({} cells)",
            chosen.iter().copied().fold(1.0, f64::min),
            chosen.iter().sum::<f64>() / chosen.len().max(1) as f64,
            chosen.len()
        );
    }
}
