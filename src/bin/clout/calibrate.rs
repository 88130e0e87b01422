//! `clout calibrate`: fit a scenario to published tier shares; on SIGINT or
//! SIGTERM keep the evaluations done, and resume from them (`--resume`).

use crate::study::{Failure, Flags, Format, Signals, check_output, emit, keep_interrupted, write_output};
use clout::study::calibrate::{Calibrated, Calibration, CalibrationPiece, CalibrationRecord};
use clout::study::files::{read_calibration, read_calibration_unchecked};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Instant;

/// `clout calibrate` flags.
#[derive(clap::Args)]
pub struct CalibrateArgs {
    /// A targets file (TOML) or the name of a built-in one (hypeauditor-2026,
    /// census-and-tail-2026).
    targets: String,
    /// Careers per evaluation, overriding the targets' run.trials.
    #[arg(long, allow_negative_numbers = true, value_parser = crate::study::parse_trials)]
    trials: Option<u64>,
    /// Also write the base scenario with the fitted values to this TOML file.
    #[arg(long, value_name = "TOML")]
    write_scenario: Option<PathBuf>,
    /// The JSON record of this calibration stopped part way (SIGINT,
    /// SIGTERM): its evaluations are taken instead of run, and the
    /// calibration goes on to the uninterrupted run's record, byte for byte.
    #[arg(long, value_name = "RECORD")]
    resume: Option<PathBuf>,
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

/// The piece `--resume` names, checked against `calibration`.
fn read_piece(calibration: &Calibration, path: &Path) -> Result<CalibrationPiece, Failure> {
    let name = path.display().to_string();
    match read_calibration_unchecked(path)? {
        Calibrated::Interrupted(piece) => {
            calibration.check_piece(&piece, &name)?;
            Ok(*piece)
        }
        Calibrated::Finished(_) => Err(Failure::BadInput(format!(
            "{name}: is the record of a finished calibration (it has a report), not a piece of a stopped one: \
             nothing to resume (`clout merge {name}` shows it again)"
        ))),
    }
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

/// Fits the targets' parameters (resuming `--resume`'s piece); writes the
/// record (and the fitted scenario), or on SIGINT or SIGTERM the piece of
/// the evaluations done.
pub fn calibrate(args: CalibrateArgs) -> Result<(), Failure> {
    let calibration = load(&args)?;
    args.flags.check_size("calibration (trials x evaluations)", calibration.careers())?;
    check_output(args.flags.out.as_deref())?;
    check_output(args.write_scenario.as_deref())?;
    let piece = args.resume.as_deref().map(|path| read_piece(&calibration, path)).transpose()?;
    let spinner = spinner(args.flags.quiet);
    let best = Mutex::new(f64::INFINITY);
    let observe = |n: usize, deviance: f64| {
        let mut best = best.lock().expect("not poisoned");
        *best = best.min(deviance);
        if let Some(bar) = &spinner {
            bar.set_message(format!("evaluation {n}, best deviance {:.2}", *best));
            bar.tick();
        }
    };
    let started = Instant::now();
    let signals = Signals::install()?;
    let runner = args.flags.runner(calibration.spec().run.seed).stop_on(&signals.stop);
    let result = match (&piece, &args.resume) {
        (Some(piece), Some(path)) => calibration
            .resume_observed(&runner, piece, &path.display().to_string(), &observe)
            .map_err(Failure::from),
        _ => calibration
            .run_observed(&runner, &observe)
            .map_err(|e| Failure::BadInput(format!("{}: {e}", args.targets))),
    };
    if let Some(bar) = &spinner {
        bar.finish_and_clear();
    }
    match result? {
        Calibrated::Finished(record) => write_record(&args, &record, started),
        Calibrated::Interrupted(piece) => {
            save_piece(&signals, &args, &piece, *best.lock().expect("not poisoned"))
        }
    }
}

/// Writes a finished calibration's record in the chosen format (and the
/// fitted scenario, if asked).
fn write_record(args: &CalibrateArgs, record: &CalibrationRecord, started: Instant) -> Result<(), Failure> {
    if let Some(file) = &args.write_scenario {
        let text = toml::to_string(&record.report.fitted_scenario).expect("a scenario serializes");
        write_output(Some(file), &text)?;
    }
    let timing = format!(
        "ran in {:.1} s on {} thread(s)\n",
        started.elapsed().as_secs_f64(),
        args.flags.runner(0).threads_used()
    );
    emit(record, args.flags.format, &timing, args.flags.out.as_deref())
}

/// After a calibration stopped by a signal: keeps the evaluations done as a
/// JSON piece (the output itself with `--format json`, else a new
/// `clout-interrupted` file), and says in one line how to finish it.
fn save_piece(
    signals: &Signals,
    args: &CalibrateArgs,
    piece: &CalibrationPiece,
    best: f64,
) -> Result<(), Failure> {
    let (signal_name, code) = signals.caught();
    if piece.evaluations.is_empty() {
        eprintln!(
            "clout: stopped by {signal_name} before any evaluation of the calibration finished: nothing to keep"
        );
        return Err(Failure::Interrupted(code));
    }
    let flags = &args.flags;
    let saved = keep_interrupted(signals, flags, |out, format| emit(piece, format, "", out))?;
    let name = if flags.format == Format::Json && flags.out.is_none() { "RECORD" } else { &saved };
    eprintln!(
        "clout: stopped by {signal_name}; {saved} holds the calibration's first {}, best deviance so far \
         {best:.2}. Finish it with `{}`.",
        piece.held_in_words(),
        again(args, name)
    );
    Err(Failure::Interrupted(code))
}

/// The command line that resumes the calibration from the piece `piece`:
/// the same targets, careers, seed and output.
fn again(args: &CalibrateArgs, piece: &str) -> String {
    let mut line = format!("clout calibrate {}", args.targets);
    if let Some(trials) = args.trials {
        line += &format!(" --trials {trials}");
    }
    if let Some(seed) = args.flags.seed {
        line += &format!(" --seed {seed}");
    }
    if args.flags.allow_large {
        line += " --allow-large";
    }
    line += &format!(" --resume {piece}");
    match args.flags.format {
        Format::Table => {}
        Format::Verbose => line += " --verbose",
        Format::Json => line += " --format json",
        Format::Csv => line += " --format csv",
    }
    for (flag, file) in [("--out", &args.flags.out), ("--write-scenario", &args.write_scenario)] {
        if let Some(file) = file {
            line += &format!(" {flag} {}", file.display());
        }
    }
    line
}

/// `clout merge` of a calibration record: one file (a calibration is not
/// split into pieces), checked and shown again in `format`.
pub fn merge_calibration(files: &[PathBuf], format: Format, out: Option<&Path>) -> Result<(), Failure> {
    if files.len() > 1 {
        return Err(Failure::BadInput(format!(
            "{}: a calibration record, and {} more file(s): a calibration is not split into pieces to merge; \
             `clout merge` takes one calibration record, checks it and shows it again (finish a stopped one \
             with `clout calibrate TARGETS --resume RECORD`)",
            files[0].display(),
            files.len() - 1
        )));
    }
    match read_calibration(&files[0])? {
        Calibrated::Finished(record) => emit(record.as_ref(), format, "", out),
        Calibrated::Interrupted(piece) => emit(piece.as_ref(), format, "", out),
    }
}

/// `clout plot` of a calibration record: checked, then its band fit drawn
/// (`calibration.svg`); a piece of a stopped calibration has no report to draw.
#[cfg(feature = "plot")]
pub fn plot_calibration(path: &Path, out: &Path) -> Result<(), Failure> {
    use clout::report::plot::Plot;
    let name = path.display();
    let record = match read_calibration(path)? {
        Calibrated::Finished(record) => record,
        Calibrated::Interrupted(_) => {
            return Err(Failure::BadInput(format!(
                "{name}: a calibration stopped part way has no report to draw yet: finish it with \
                 `clout calibrate TARGETS --resume {name}`"
            )));
        }
    };
    for file in record.plot(out).map_err(|e| Failure::BadInput(format!("{name}: {e}")))? {
        println!("{}", file.display());
    }
    Ok(())
}
