//! Coverage of the attribution intervals of a rare tier: Sobol S1 and ST, the
//! traits' share and `P(reach | reached in another)` of luck replays, at few
//! hits (docs/VALIDATION.md, "Attribution of rare tiers").
//!
//! The model is [`Threshold`]: a tier reached when `x1 + 0.7 x2 + luck`
//! (standard normal inputs) exceeds a threshold, so its odds are as small as
//! the threshold makes them and every index is known exactly. Each cell runs
//! independent studies (each on its own seed, one thread) sized so that the
//! expected number of hits is 10 to 3,000, and counts how often each 95%
//! interval holds the exact value. A second table pools every estimate and
//! groups it by its support (the rows or creators it rests on:
//! [`clout::experiment::attribute::IndexSupport`], `repeat_creators`), which
//! is what clout's trust flag reads. Replicates per cell can be given:
//!
//! ```text
//! cargo run --release --example sobol_coverage            # 400 a cell, about 4 minutes on 2 cores
//! cargo run --release --example sobol_coverage -- 1000
//! ```

mod common;

use clout::experiment::attribute::{
    Additive, MIN_INDEX_SUPPORT, MIN_REPEAT_CREATORS, Replays, Sobol, Threshold,
};
use clout::{Model, Runner};
use rayon::prelude::*;

/// Odds of the tier and expected hits among the Sobol `A` and `B` points (or
/// among every replay).
const CELLS: [(f64, f64); 10] = [
    (1e-2, 10.0),
    (1e-2, 30.0),
    (1e-2, 100.0),
    (1e-2, 300.0),
    (1e-2, 1000.0),
    (1e-2, 3000.0),
    (1e-3, 30.0),
    (1e-3, 100.0),
    (1e-3, 300.0),
    (1e-3, 1000.0),
];
/// Replays of each creator.
const REPLAYS: u32 = 8;
/// Lower edges of the support bins of the pooled table.
const BINS: [u64; 7] = [0, 5, 10, 20, 50, 100, 300];

fn model(odds: f64) -> Threshold {
    use statrs::distribution::{ContinuousCDF as _, Normal};
    let additive = Additive { weights: vec![1.0, 0.7], luck_weight: 1.0 };
    let threshold = additive.variance().sqrt() * Normal::standard().inverse_cdf(1.0 - odds);
    Threshold { additive, threshold }
}

/// One estimate of one study: which kind, its support, whether it held the exact value.
#[derive(Clone, Copy)]
struct Hit {
    kind: usize,
    input: usize,
    support: u64,
    covered: bool,
    outside: bool,
}

const KINDS: [&str; 4] = ["S1", "ST", "traits share", "P(reach | another)"];

fn main() {
    let replicates = common::replicates_arg(400, 50);
    println!("Coverage of nominal 95% intervals for a tier of odds P, {replicates} studies a cell");
    println!(
        "(Monte Carlo SE about {:.3} at 0.95). Model: 1{{x1 + 0.7 x2 + luck > t}}.",
        (0.0475 / replicates as f64).sqrt()
    );
    println!("Sobol: rows = hits / (2 P); replays: creators = hits / (8 P), 8 replays each.\n");
    println!(
        "{:>6} {:>6} | {:>7} {:>7} {:>7} {:>7} {:>7} {:>7} | {:>12} {:>12} | {:>9}",
        "P",
        "E[hit]",
        "S1 x1",
        "S1 x2",
        "S1 luck",
        "ST x1",
        "ST x2",
        "ST luck",
        "traits share",
        "P(|another)",
        "S outside"
    );
    let mut pooled = Vec::new();
    for (odds, hits) in CELLS {
        let m = model(odds);
        let exact = m.exact();
        let rows = (hits / (2.0 * odds)).round() as u64;
        let creators = (hits / (f64::from(REPLAYS) * odds)).round() as u64;
        let sobol = Sobol::new(m.clone(), 0);
        let replays = Replays::new(m, REPLAYS, 0);
        let cell: Vec<Hit> = (0..replicates)
            .into_par_iter()
            .flat_map_iter(|rep| {
                let mut found = Vec::new();
                let seed = 0x50B0_0000 + rep;
                let report = sobol.report(&Runner::new(seed).threads(1).run(&sobol, rows).summary);
                for (i, input) in report.outputs[0].indices.iter().enumerate() {
                    let support = input.support.expect("an indicator output");
                    for (kind, e, x, n) in [
                        (0, &input.first_order, exact.first_order[i], support.first_order),
                        (1, &input.total, exact.total[i], support.total),
                    ] {
                        let covered = e.lower <= x && x <= e.upper;
                        let outside = e.value < 0.0 || e.value > 1.0;
                        found.push(Hit { kind, input: i, support: n, covered, outside });
                    }
                }
                let report = replays.report(&Runner::new(seed).threads(1).run(&replays, creators).summary);
                let o = &report.outputs[0];
                let support = o.repeat_creators.expect("an indicator output");
                let given = o.agreement.as_ref().and_then(|a| a.given_another.as_ref());
                for (kind, e, x) in
                    [(2, o.traits_share.as_ref(), exact.traits_share), (3, given, exact.given_another)]
                {
                    if let Some(e) = e {
                        let covered = e.lower <= x && x <= e.upper;
                        found.push(Hit { kind, input: 0, support, covered, outside: false });
                    }
                }
                found
            })
            .collect();
        let rate = |kind: usize, input: usize| {
            let chosen: Vec<&Hit> = cell.iter().filter(|h| h.kind == kind && h.input == input).collect();
            if chosen.is_empty() {
                return "-".to_string();
            }
            format!("{:.3}", chosen.iter().filter(|h| h.covered).count() as f64 / chosen.len() as f64)
        };
        let mut line = format!("{odds:>6} {hits:>6} |");
        for kind in 0..2 {
            for input in 0..3 {
                line += &format!(" {:>7}", rate(kind, input));
            }
        }
        line += &format!(" | {:>12} {:>12}", rate(2, 0), rate(3, 0));
        let sobol_estimates: Vec<&Hit> = cell.iter().filter(|h| h.kind < 2).collect();
        let outside = sobol_estimates.iter().filter(|h| h.outside).count() as f64;
        line += &format!(" | {:>9.3}", outside / sobol_estimates.len().max(1) as f64);
        println!("{line}");
        pooled.extend(cell);
    }
    println!("\nCoverage pooled over every cell and input, by support (estimates in the bin in brackets).");
    println!(
        "Support: S1 and ST, the rows whose term is not zero; replays, the creators reaching the tier twice or more."
    );
    let mut header = format!("{:<20}", "support");
    for (j, lo) in BINS.iter().enumerate() {
        let label = match BINS.get(j + 1) {
            Some(hi) => format!("{lo}-{}", hi - 1),
            None => format!("{lo}+"),
        };
        header += &format!(" {label:>13}");
    }
    println!("{header}");
    for (kind, name) in KINDS.iter().enumerate() {
        let mut line = format!("{name:<20}");
        for (j, &lo) in BINS.iter().enumerate() {
            let hi = BINS.get(j + 1).copied().unwrap_or(u64::MAX);
            let chosen: Vec<&Hit> =
                pooled.iter().filter(|h| h.kind == kind && (lo..hi).contains(&h.support)).collect();
            line += &if chosen.is_empty() {
                format!(" {:>13}", "-")
            } else {
                let c = chosen.iter().filter(|h| h.covered).count() as f64 / chosen.len() as f64;
                format!(" {:>13}", format!("{c:.3} ({})", chosen.len()))
            };
        }
        println!("{line}");
    }
    println!(
        "\nPooled, as clout flags them (trusted: support of at least {MIN_INDEX_SUPPORT} rows for S1 and ST, \
         {MIN_REPEAT_CREATORS} repeat creators for the replays):"
    );
    for (kind, name) in KINDS.iter().enumerate() {
        let least = if kind < 2 { MIN_INDEX_SUPPORT } else { MIN_REPEAT_CREATORS };
        let rate = |trusted: bool| {
            let chosen: Vec<&Hit> =
                pooled.iter().filter(|h| h.kind == kind && (h.support >= least) == trusted).collect();
            let c = chosen.iter().filter(|h| h.covered).count() as f64 / chosen.len().max(1) as f64;
            format!("{c:.3} ({})", chosen.len())
        };
        println!("{name:<20} trusted {:>14}   flagged {:>14}", rate(true), rate(false));
    }
    let m = model(1e-3);
    let e = m.exact();
    println!(
        "\nExact at P = 1e-3: S1 {:.4?}  ST {:.4?}  traits share {:.4}  P(reach | another) {:.4}",
        e.first_order, e.total, e.traits_share, e.given_another
    );
}
