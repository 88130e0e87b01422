//! `clout compare`: fit each variant of a compare file, compare them, and
//! give the headline answers under each; on SIGINT or SIGTERM keep the
//! variants done (and the calibration in progress), and resume (`--resume`).

use crate::study::{Failure, Flags, Format, Signals, check_output, emit, keep_interrupted};
use clout::study::compare::{CompareRecord, Comparison};
use std::io::IsTerminal;
use std::path::PathBuf;
use std::time::Instant;

/// `clout compare` flags.
#[derive(clap::Args)]
pub struct CompareArgs {
    /// A compare file (TOML) or the name of a built-in one (variants-2026).
    comparison: String,
    /// Careers per evaluation of every calibration, overriding the file's run.trials.
    #[arg(long, allow_negative_numbers = true, value_parser = crate::study::parse_trials)]
    trials: Option<u64>,
    /// The JSON record of this comparison stopped part way (SIGINT,
    /// SIGTERM): its finished variants are kept, the one in progress goes
    /// on from where it stopped, and the record is the uninterrupted run's.
    #[arg(long, value_name = "RECORD")]
    resume: Option<PathBuf>,
    // --seed is the calibrations' (run.seed); the answers keep answers.seed.
    #[command(flatten)]
    flags: Flags,
}

/// The compare file or built-in comparison, with `--trials` and `--seed`.
fn load(args: &CompareArgs) -> Result<Comparison, Failure> {
    Comparison::open(&args.comparison, args.trials, args.flags.seed).map_err(Failure::BadInput)
}

/// Runs the comparison (resuming `--resume`'s record); writes the record,
/// or on SIGINT or SIGTERM the record of the variants done.
pub fn compare(args: CompareArgs) -> Result<(), Failure> {
    let comparison = load(&args)?;
    args.flags.check_size("comparison (every calibration and headline run)", comparison.careers())?;
    check_output(args.flags.out.as_deref())?;
    let done = match &args.resume {
        Some(path) => {
            let record = CompareRecord::read(path)?;
            comparison.check_done(&record, &path.display().to_string())?;
            Some(record)
        }
        None => None,
    };
    let n = comparison.spec().variant.len() as u64;
    let bar = (!args.flags.quiet && std::io::stderr().is_terminal()).then(|| {
        let bar = indicatif::ProgressBar::new(n);
        let style = indicatif::ProgressStyle::with_template(
            "{bar:20} {pos}/{len} variants, {msg}, {elapsed} elapsed",
        );
        bar.set_style(style.expect("a valid template"));
        bar
    });
    let observe = |i: usize, name: &str, step: &str| {
        if let Some(bar) = &bar {
            bar.set_position(i as u64);
            bar.set_message(format!("{name}: {step}"));
        }
    };
    let started = Instant::now();
    let signals = Signals::install()?;
    let runner = args.flags.runner(comparison.spec().answers.seed).stop_on(&signals.stop);
    let result = match (&done, &args.resume) {
        (Some(done), Some(path)) => {
            comparison.resume(&runner, done, &path.display().to_string(), &observe).map_err(Failure::from)
        }
        _ => comparison
            .run(&runner, &observe)
            .map_err(|e| Failure::BadInput(format!("{}: {e}", args.comparison))),
    };
    if let Some(bar) = &bar {
        bar.finish_and_clear();
    }
    let record = result?;
    if record.interrupted {
        return save_partial(&signals, &args, &record);
    }
    let timing = format!(
        "ran in {:.1} s on {} thread(s)\n",
        started.elapsed().as_secs_f64(),
        args.flags.runner(0).threads_used()
    );
    emit(&record, args.flags.format, &timing, args.flags.out.as_deref())
}

/// After a comparison stopped by a signal: keeps the record of the variants
/// done, and says in one line how to finish it.
fn save_partial(signals: &Signals, args: &CompareArgs, record: &CompareRecord) -> Result<(), Failure> {
    let (signal_name, code) = signals.caught();
    let flags = &args.flags;
    let saved = keep_interrupted(signals, flags, |out, format| emit(record, format, "", out))?;
    let name = if flags.format == Format::Json && flags.out.is_none() { "RECORD" } else { &saved };
    let mut again = format!("clout compare {}", args.comparison);
    if let Some(trials) = args.trials {
        again += &format!(" --trials {trials}");
    }
    if let Some(seed) = flags.seed {
        again += &format!(" --seed {seed}");
    }
    if flags.allow_large {
        again += " --allow-large";
    }
    again += &format!(" --resume {name}");
    if flags.format == Format::Json {
        again += " --format json";
    }
    if let Some(out) = &flags.out {
        again += &format!(" --out {}", out.display());
    }
    eprintln!(
        "clout: stopped by {signal_name}; {saved} holds {} of {} variants{}. Finish it with `{again}`.",
        record.variants.len(),
        record.comparison.variant.len(),
        if record.in_progress.is_some() || record.fitted.is_some() {
            " and the one in progress"
        } else if record.paired.is_none() && record.variants.len() == record.comparison.variant.len() {
            ", not yet paired"
        } else {
            ""
        }
    );
    Err(Failure::Interrupted(code))
}
