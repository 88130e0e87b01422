//! Coverage of the paired-difference intervals where they are hardest: few
//! discordant trials, from 50 to a million trials (docs/VALIDATION.md,
//! "Paired differences").
//!
//! Each cell of the grid is a true 2 x 2 table: `n` trials, expected
//! discordant trials `m = n (p_b + p_c)` from 0.5 to 20 split `b : c` as
//! 1 : 0, 3 : 1 or 1 : 1, and expected concordant hits `n p_a` of 0 or 20.
//! Tables are drawn from that multinomial (20,000 replicates a cell unless
//! given: `cargo run --release --example paired_coverage -- 5000`) and each
//! interval's coverage of the true difference `p_b - p_c` is counted: the
//! delta method (what clout printed before), Tango's score interval,
//! Newcombe's hybrid score interval, and the reported one (Newcombe's,
//! widened to 0 where the exact McNemar test cannot reject).
//!
//! ```text
//! cargo run --release --example paired_coverage
//! ```

mod common;

use clout::stats::{PairedCoverage, paired_coverage};
use rayon::prelude::*;

/// Trials per table.
const TRIALS: [u64; 3] = [50, 1000, 1_000_000];
/// Expected discordant trials per table.
const DISCORDANT: [f64; 6] = [0.5, 1.0, 2.0, 5.0, 10.0, 20.0];
/// Share of the discordant trials expected at the point only.
const SPLIT: [(f64, &str); 3] = [(1.0, "1:0"), (0.75, "3:1"), (0.5, "1:1")];
/// Expected trials reaching the tier at both points.
const CONCORDANT: [f64; 2] = [0.0, 20.0];

struct Cell {
    n: u64,
    discordant: f64,
    split: f64,
    ratio: &'static str,
    concordant: f64,
}

fn main() {
    let replicates = common::replicates_arg(20_000, 100);
    let mut cells = Vec::new();
    for n in TRIALS {
        for discordant in DISCORDANT {
            for (split, ratio) in SPLIT {
                for concordant in CONCORDANT {
                    if discordant + concordant < n as f64 {
                        cells.push(Cell { n, discordant, split, ratio, concordant });
                    }
                }
            }
        }
    }
    let results: Vec<PairedCoverage> = cells
        .par_iter()
        .enumerate()
        .map(|(i, c)| {
            let nf = c.n as f64;
            let (pa, pb, pc) =
                (c.concordant / nf, c.split * c.discordant / nf, (1.0 - c.split) * c.discordant / nf);
            paired_coverage([pa, pb, pc, 1.0 - pa - pb - pc], c.n, replicates, 0xC0FFEE + i as u64, 0.95)
        })
        .collect();
    println!("Coverage of nominal 95% intervals for a paired difference, {replicates} replicates a cell");
    println!("(Monte Carlo SE about {:.4} at 0.95).\n", (0.95f64 * 0.05 / replicates as f64).sqrt());
    println!(
        "{:>9} {:>6} {:>5} {:>4} | {:>7} {:>7} {:>8} {:>8}",
        "n", "E[b+c]", "b:c", "E[a]", "delta", "Tango", "Newcombe", "reported"
    );
    for (c, r) in cells.iter().zip(&results) {
        println!(
            "{:>9} {:>6} {:>5} {:>4} | {:>7.4} {:>7.4} {:>8.4} {:>8.4}",
            c.n, c.discordant, c.ratio, c.concordant, r.delta, r.tango, r.newcombe, r.reported
        );
    }
    let zero_width: u64 = results.iter().map(|r| r.zero_width).sum();
    println!("\nzero-width reported intervals: {zero_width}");
    println!("\n{:>9} | {:>15} {:>15} {:>15} {:>15}", "n", "delta", "Tango", "Newcombe", "reported");
    println!(
        "{:>9} | {:>15} {:>15} {:>15} {:>15}",
        "", "worst / mean", "worst / mean", "worst / mean", "worst / mean"
    );
    let summary = |label: &str, pick: &dyn Fn(&Cell) -> bool| {
        let chosen: Vec<&PairedCoverage> =
            cells.iter().zip(&results).filter(|(c, _)| pick(c)).map(|(_, r)| r).collect();
        let stat = |f: fn(&PairedCoverage) -> f64| {
            let worst = chosen.iter().map(|r| f(r)).fold(f64::INFINITY, f64::min);
            let mean = chosen.iter().map(|r| f(r)).sum::<f64>() / chosen.len() as f64;
            format!("{worst:.4} / {mean:.4}")
        };
        println!(
            "{label:>9} | {:>15} {:>15} {:>15} {:>15}",
            stat(|r| r.delta),
            stat(|r| r.tango),
            stat(|r| r.newcombe),
            stat(|r| r.reported)
        );
    };
    for n in TRIALS {
        summary(&n.to_string(), &|c| c.n == n);
    }
    summary("all", &|_| true);
}
