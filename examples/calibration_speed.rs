//! A calibration with and without a coarse start, side by side: the same
//! targets file, seed and budget, once with every round of the search on all
//! `run.trials` careers and once with the first rounds (simplex steps 0.6
//! and 0.4) on a share of them (`run.coarse_fraction`). For each: wall time,
//! evaluations (coarse and full), the fitted parameters with their 95%
//! intervals, the deviance on the search's luck and on new luck (with its
//! Monte Carlo standard error), and each fitted target's deviance on new
//! luck. "Equal accuracy" means the two fits' points lie inside each other's
//! intervals and their deviances on new luck agree within their errors.
//!
//! ```sh
//! cargo run --release --example calibration_speed                       # hypeauditor-2026, a tenth
//! cargo run --release --example calibration_speed -- census-and-tail-2026 0.1
//! cargo run --release --example calibration_speed -- hypeauditor-2026 0.1 30000   # smaller: 30,000 careers
//! ```

use clout::Runner;
use clout::study::calibrate::{Calibration, CalibrationRecord};
use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let name = args.next().unwrap_or_else(|| "hypeauditor-2026".into());
    let fraction: f64 = args.next().map_or(Ok(0.1), |s| s.parse())?;
    let trials: Option<u64> = args.next().map(|s| s.parse()).transpose()?;
    let base = Calibration::builtin(&name)?;
    let threads = rayon::current_num_threads();
    println!("targets {name:?}, {threads} thread(s), clout {}", env!("CARGO_PKG_VERSION"));
    let mut rows = Vec::new();
    for coarse_fraction in [0.0, fraction] {
        let mut spec = base.spec().clone();
        spec.run.coarse_fraction = coarse_fraction;
        if let Some(t) = trials {
            spec.run.trials = t;
        }
        let calibration = Calibration::new(spec, base.base().clone())?;
        let (started, cpu) = (Instant::now(), cpu_seconds());
        let record = calibration.run(&Runner::new(0))?;
        let wall = started.elapsed().as_secs_f64();
        let cpu = cpu_seconds().zip(cpu).map(|(after, before)| after - before);
        describe(coarse_fraction, wall, cpu, &record);
        rows.push((wall, cpu, record));
    }
    let (plain, coarse) = (&rows[0], &rows[1]);
    println!(
        "\nspeed-up in wall time: {:.2}x ({:.0} s against {:.0} s)",
        plain.0 / coarse.0,
        coarse.0,
        plain.0
    );
    if let (Some(a), Some(b)) = (plain.1, coarse.1) {
        println!("speed-up in processor time: {:.2}x ({b:.0} s against {a:.0} s)", a / b);
    }
    let (plain, coarse) = ((plain.0, &plain.2), (coarse.0, &coarse.2));
    for (p, c) in plain.1.report.parameters.iter().zip(&coarse.1.report.parameters) {
        let inside = |v: f64, i: Option<[f64; 2]>| i.is_some_and(|[lo, hi]| (lo..=hi).contains(&v));
        println!(
            "{:<28} plain {:>10.4} coarse {:>10.4}: each inside the other's interval: {}",
            p.path,
            p.value,
            c.value,
            inside(p.value, c.interval) && inside(c.value, p.interval)
        );
    }
    let (a, b) = (&plain.1.report, &coarse.1.report);
    let z = (b.deviance - a.deviance) / a.deviance_se.hypot(b.deviance_se);
    println!(
        "deviance on new luck: plain {:.2} +- {:.2}, coarse {:.2} +- {:.2} (difference {z:+.2} se)",
        a.deviance, a.deviance_se, b.deviance, b.deviance_se
    );
    Ok(())
}

/// The processor time this process has used (user and system, all
/// threads), from Linux's `/proc/self/stat`; `None` elsewhere. On a shared
/// machine it measures the work better than the wall time does.
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command's closing parenthesis; utime and stime are
    // the 14th and 15th fields of the line, in clock ticks (100 a second
    // on Linux: USER_HZ).
    let rest = &stat[stat.rfind(')')? + 2..];
    let fields: Vec<&str> = rest.split(' ').collect();
    let ticks: f64 = fields.get(11)?.parse::<f64>().ok()? + fields.get(12)?.parse::<f64>().ok()?;
    Some(ticks / 100.0)
}

/// One calibration's figures.
fn describe(coarse_fraction: f64, wall: f64, cpu: Option<f64>, record: &CalibrationRecord) {
    let r = &record.report;
    let s = &r.search;
    let cpu = cpu.map_or(String::new(), |c| format!(" ({c:.1} s of processor time)"));
    println!(
        "\ncoarse_fraction {coarse_fraction}: {wall:.1} s{cpu}; {} evaluations ({} of {} careers, {} of {}), {} restart(s), {}",
        s.evaluations,
        s.coarse_evaluations,
        s.coarse_trials.unwrap_or(0),
        s.evaluations - s.coarse_evaluations,
        s.trials,
        s.restarts,
        if s.converged { "converged" } else { "budget reached" }
    );
    for p in &r.parameters {
        let interval = p.interval.map_or("(none)".to_string(), |[lo, hi]| format!("[{lo:.4}, {hi:.4}]"));
        println!("  {:<28} {:>12.4} {interval}", p.path, p.value);
    }
    println!(
        "  deviance: search luck {:.3}, new luck {:.3} +- {:.3}",
        r.deviance_search, r.deviance, r.deviance_se
    );
    for t in &r.targets {
        println!(
            "  {:<28} deviance {:>8.2}{}",
            t.name,
            t.deviance,
            if t.held_out { " (held out)" } else { "" }
        );
    }
    for b in &r.bands {
        println!("  band {:<10} target {:.5} model {:.5}", b.band.name, b.target, b.model.estimate);
    }
}
