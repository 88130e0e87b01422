//! `clout calibrate`: fit a scenario to published tier shares.

use crate::study::{Failure, Flags, check_output, render, write_output};
use clout::study::calibrate::Calibration;
use std::io::IsTerminal;
use std::path::PathBuf;
use std::time::Instant;

/// `clout calibrate` flags.
#[derive(clap::Args)]
pub struct CalibrateArgs {
    /// A targets file (TOML) or the name of a built-in one (hypeauditor-2026).
    targets: String,
    /// Careers per evaluation, overriding the targets' run.trials.
    #[arg(long, allow_negative_numbers = true, value_parser = crate::study::parse_trials)]
    trials: Option<u64>,
    /// Also write the base scenario with the fitted values to this TOML file.
    #[arg(long, value_name = "TOML")]
    write_scenario: Option<PathBuf>,
    // --seed is the search's (the targets' run.seed); the check runs on seed + 1.
    #[command(flatten)]
    flags: Flags,
}

/// The targets file or built-in targets, with `--trials` and `--seed`.
fn load(args: &CalibrateArgs) -> Result<Calibration, Failure> {
    let bad = |e: &dyn std::fmt::Display| Failure::BadInput(e.to_string());
    let path = PathBuf::from(&args.targets);
    let calibration = if path.exists() || args.targets.ends_with(".toml") {
        Calibration::load(&path)
    } else {
        Calibration::builtin(&args.targets)
    }
    .map_err(|e| bad(&e))?;
    if args.trials.is_none() && args.flags.seed.is_none() {
        return Ok(calibration);
    }
    let mut spec = calibration.spec().clone();
    spec.run.trials = args.trials.unwrap_or(spec.run.trials);
    spec.run.seed = args.flags.seed.unwrap_or(spec.run.seed);
    Calibration::new(spec, calibration.base().clone()).map_err(|e| bad(&format!("command line: {e}")))
}

/// A spinner on stderr when it is a terminal and not `--quiet`.
fn spinner(quiet: bool) -> Option<indicatif::ProgressBar> {
    (!quiet && std::io::stderr().is_terminal()).then(|| {
        let bar = indicatif::ProgressBar::new_spinner();
        let style = indicatif::ProgressStyle::with_template("{spinner} {msg}, {elapsed} elapsed");
        bar.set_style(style.expect("a valid template"));
        bar
    })
}

/// Fits the targets' parameters; writes the record (and the fitted scenario).
pub fn calibrate(args: CalibrateArgs) -> Result<(), Failure> {
    let calibration = load(&args)?;
    args.flags.check_size("calibration (trials x evaluations)", calibration.careers())?;
    check_output(args.flags.out.as_deref())?;
    check_output(args.write_scenario.as_deref())?;
    let spinner = spinner(args.flags.quiet);
    let best = std::sync::Mutex::new(f64::INFINITY);
    let observe = |n: usize, deviance: f64| {
        let mut best = best.lock().expect("not poisoned");
        *best = best.min(deviance);
        if let Some(bar) = &spinner {
            bar.set_message(format!("evaluation {n}, best deviance {:.2}", *best));
            bar.tick();
        }
    };
    let started = Instant::now();
    let signals = crate::study::Signals::install()?;
    let runner = args.flags.runner(calibration.spec().run.seed).stop_on(&signals.stop);
    let result = calibration.run_observed(&runner, &observe);
    if let Some(bar) = &spinner {
        bar.finish_and_clear();
    }
    if signals.stop.load(std::sync::atomic::Ordering::SeqCst) {
        // A search cannot be resumed: say in one line what was lost.
        let (name, code) = signals.caught();
        eprintln!(
            "clout: stopped by {name} after {:.0} s of the calibration's search (best deviance so far {:.2}); \
             a calibration cannot be resumed, so nothing was kept: run it again",
            started.elapsed().as_secs_f64(),
            *best.lock().expect("not poisoned")
        );
        return Err(Failure::Interrupted(code));
    }
    let record = result.map_err(|e| Failure::BadInput(format!("{}: {e}", args.targets)))?;
    if let Some(file) = &args.write_scenario {
        let text = toml::to_string(&record.report.fitted_scenario).expect("a scenario serializes");
        write_output(Some(file), &text)?;
    }
    let timing = format!(
        "ran in {:.1} s on {} thread(s)\n",
        started.elapsed().as_secs_f64(),
        args.flags.runner(0).threads_used()
    );
    write_output(args.flags.out.as_deref(), &render(&record, args.flags.format, &timing))
}
