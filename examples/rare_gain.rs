//! The rare-event method against brute force, side by side, on the default
//! parameters (cohort, entry at platform day 3650, five years): for macro
//! and for mega, the 95% interval's relative half-width, the wall time
//! (pilot included) and the efficiency gain, relative variance x CPU time of
//! brute force over the method's.
//!
//! ```sh
//! cargo run --release --example rare_gain                 # 400,000 roots per target, 1e6 brute-force careers
//! cargo run --release --example rare_gain -- 200000 2000000
//! ```
//!
//! Brute force's relative variance per career is the binomial one,
//! `(1 - p) / p`, at the method's estimate of `p` (brute force sees too
//! few macro or mega careers to estimate its own in a short run); its cost
//! per career is measured here on the same machine, in the same run.

use clout::experiment::rare::{Method, RareSpec};
use clout::{Runner, Scenario};
use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let roots: u64 = args.next().map_or(Ok(400_000), |s| s.parse())?;
    let careers: u64 = args.next().map_or(Ok(1_000_000), |s| s.parse())?;
    let threads = rayon::current_num_threads() as f64;

    let mut brute = Scenario::builtin("default")?;
    brute.set_brute();
    brute.run.trials = careers;
    let started = Instant::now();
    let record = brute.run_with(&Runner::new(brute.run.seed))?;
    let brute_cpu = started.elapsed().as_secs_f64() * threads / careers as f64;
    let career = record.career().expect("a Career run");
    println!(
        "brute force: {careers} careers in {:.1} s on {threads} threads: {:.2} us of CPU a career",
        brute_cpu * careers as f64 / threads,
        brute_cpu * 1e6
    );
    println!(
        "{:<6} {:>12} {:>22} {:>9} {:>8} {:>10} {:>12} {:>8}",
        "target", "estimate", "95% interval", "+-", "wall s", "pilot", "brute z", "gain"
    );
    for target in ["macro", "mega"] {
        let mut scenario = Scenario::builtin("default")?;
        scenario.run.method = Method::Rare;
        scenario.rare = Some(RareSpec { target: Some(target.into()), ..RareSpec::default() });
        scenario.run.trials = roots;
        let started = Instant::now();
        let record = scenario.run_with(&Runner::new(scenario.run.seed))?;
        let wall = started.elapsed().as_secs_f64();
        let report = record.rare().expect("a rare run");
        let level = report.level(target).expect("the target level");
        let p = level.chance.estimate;
        let relvar_rare = (level.chance.std_error / p).powi(2);
        let relvar_brute_per_career = (1.0 - p) / p;
        let gain = relvar_brute_per_career * brute_cpu / (relvar_rare * wall * threads);
        let tier = clout::Tier::ALL.iter().find(|t| t.name() == target).expect("a tier");
        let b = career.proportion(*tier);
        let z = (p - b.estimate) / (level.chance.std_error.powi(2) + b.std_error.powi(2)).sqrt();
        let pilot = report.pilot.as_ref().expect("a pilot");
        println!(
            "{target:<6} {p:>12.4e} {:>22} {:>8.2}% {wall:>8.1} {:>10} {z:>12.2} {gain:>7.0}x",
            format!("[{:.4e}, {:.4e}]", level.chance.lower, level.chance.upper.unwrap_or(f64::NAN)),
            100.0 * level.relative_half_width.unwrap_or(f64::NAN),
            format!("{} rds", pilot.rounds.len()),
        );
    }
    Ok(())
}
