//! What every command shares: flags, failures, and running any study on the
//! executor (shards, resume, Ctrl-C/SIGTERM with a record of the trials
//! done, progress, output) or merging its records.

use clout::report::Render;
use clout::study::executor::{self, RecordOf, Study};
use clout::study::files::{RecordFileError, read_merged};
use clout::{Runner, ScenarioError};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicI32, Ordering};
use std::time::Instant;

#[cfg(feature = "plot")]
pub use crate::calibrate::plot_calibration;
pub use crate::calibrate::{CalibrateArgs, calibrate, merge_calibration};

/// Why a command failed.
pub enum Failure {
    /// The user's input is wrong: exit code 2.
    BadInput(String),
    /// Writing the output failed: exit code 1.
    Output(String),
    /// Stopped by a signal (what was done is saved and said): exit code
    /// 128 + the signal's number.
    Interrupted(ExitCode),
}

impl Failure {
    /// Says what failed on stderr, in one line (a control character quoted
    /// from an input, such as a newline in a field's name, is written
    /// escaped), and gives the exit code.
    pub fn exit_code(self) -> ExitCode {
        use clout::error::one_line;
        match self {
            Failure::BadInput(message) => {
                eprintln!("error: {}", one_line(&message));
                ExitCode::from(2)
            }
            Failure::Output(message) => {
                eprintln!("error: {}", one_line(&message));
                ExitCode::from(1)
            }
            Failure::Interrupted(code) => code,
        }
    }
}

impl From<ScenarioError> for Failure {
    fn from(e: ScenarioError) -> Self {
        Failure::BadInput(e.to_string())
    }
}

impl From<RecordFileError> for Failure {
    fn from(e: RecordFileError) -> Self {
        Failure::BadInput(e.to_string())
    }
}

/// A command line clap refused: help and version as clap prints them; else
/// one line, like every other bad input (clap's first paragraph, joined).
pub fn usage_error(e: clap::Error) -> ExitCode {
    use clap::error::ErrorKind::{DisplayHelp, DisplayVersion};
    if matches!(e.kind(), DisplayHelp | DisplayVersion) {
        e.exit()
    }
    let text = e.render().to_string();
    let first: Vec<&str> = text.lines().take_while(|l| !l.trim().is_empty()).map(str::trim).collect();
    eprintln!("{}", first.join(" "));
    ExitCode::from(2)
}

/// A whole number in `[low, high]` for a flag, `1e6` style allowed.
fn whole(text: &str, low: u64, high: u64, what: &str) -> Result<u64, String> {
    clout::scenario::parse_whole(text, low, high)
        .ok_or_else(|| format!("{what} must be a whole number from {low} to {high} (1e6 style is fine)"))
}

/// `--trials` (and other counts): 1 to 1e12, as in scenario files.
pub fn parse_trials(text: &str) -> Result<u64, String> {
    whole(text, 1, clout::model::MAX_TRIALS, "the number of trials")
}

/// `--seed`: 0 to 2^63 - 1, what a scenario file's seed (a TOML integer) holds.
/// `--years`: a number of years from 0.1 to 100 (a career of 36 to 36,500 days).
pub fn parse_years(text: &str) -> Result<f64, String> {
    text.trim()
        .parse::<f64>()
        .ok()
        .filter(|y| (0.1..=100.0).contains(y))
        .ok_or_else(|| format!("{text:?} is not a number of years from 0.1 to 100"))
}

fn parse_seed(text: &str) -> Result<u64, String> {
    whole(text, 0, i64::MAX as u64, "the seed")
}

/// `--threads`: 0 (one per core) to 1024.
fn parse_threads(text: &str) -> Result<u16, String> {
    whole(text, 0, 1024, "the number of threads (0: one per core)").map(|t| t as u16)
}

/// Output formats.
#[derive(Clone, Copy, clap::ValueEnum, Default, PartialEq)]
pub enum Format {
    /// A readable table.
    #[default]
    Table,
    /// The full record (scenario, seed, version, report, statistics) as JSON.
    Json,
    /// One row per estimate.
    Csv,
    /// The table with every diagnostic (`--verbose`).
    #[value(skip)]
    Verbose,
}

impl Format {
    /// This format, a table made verbose when `verbose`.
    pub fn verbose(self, verbose: bool) -> Format {
        if verbose && self == Format::Table { Format::Verbose } else { self }
    }
}

/// The flags of every command that runs a scenario: seed, threads, output.
#[derive(clap::Args, Default)]
pub struct Flags {
    /// Seed of the random streams, overriding the file's run.seed.
    #[arg(long, allow_negative_numbers = true, value_parser = parse_seed)]
    pub seed: Option<u64>,
    /// Worker threads, 0 to 1024; 0 means one per core. Results do not depend on it.
    #[arg(long, default_value_t = 0, allow_negative_numbers = true, value_parser = parse_threads)]
    pub threads: u16,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Write the output to this file instead of standard output.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// No progress bar.
    #[arg(long, short)]
    pub quiet: bool,
    /// Tables show every diagnostic of the method (the importance sampler's
    /// pilot, weights and per-level hits; plain runs' exact intervals).
    #[arg(long, short)]
    pub verbose: bool,
    /// Run even more than 1e9 careers (the command says how long that would take before refusing it).
    #[arg(long)]
    pub allow_large: bool,
}

impl Flags {
    /// The size rule for `careers` of work named `what`, with these flags.
    pub fn check_size(&self, what: &str, careers: u64) -> Result<(), Failure> {
        executor::check_size(what, careers, self.runner(0).threads_used(), self.allow_large)
            .map_err(|e| Failure::BadInput(format!("command line: {e}")))
    }

    /// A runner with `seed` and these flags' threads.
    pub fn runner<'a>(&self, seed: u64) -> Runner<'a> {
        Runner::new(seed).threads(usize::from(self.threads))
    }
}

/// The flags that make a run a piece of a larger one.
#[derive(clap::Args, Default, Clone)]
pub struct Pieces {
    /// Run only shard K of N (0 <= K < N) of the trials, for a cluster job
    /// array; write it with --format json and join the shards with `clout merge`.
    #[arg(long, value_name = "K/N")]
    pub shard: Option<String>,
    /// The JSON record of an interrupted run (repeat the flag for several
    /// pieces): run only the trials it lacks. `clout merge` joins it and the
    /// new record into the record of the uninterrupted run.
    #[arg(long, value_name = "RECORD")]
    pub resume: Vec<PathBuf>,
}

/// The stop flag raised by the first SIGINT or SIGTERM, and which it was.
///
/// A second signal ends the process at once (a user pressing Ctrl-C twice),
/// except when it comes within [`Signals::GRACE`] of the first (one event
/// delivered twice: a cluster signalling the job step and its shell, a
/// terminal's process group) or while the record of the work done is being
/// written: then it is ignored, so the record is never lost to it.
pub struct Signals {
    /// Raised on the first signal.
    pub stop: Arc<AtomicBool>,
    signal: Arc<AtomicI32>,
    saving: Arc<AtomicBool>,
}

impl Signals {
    /// How long after the first signal a second one is taken for the same event.
    pub const GRACE: std::time::Duration = std::time::Duration::from_secs(1);

    /// Starts a thread that receives SIGINT and SIGTERM (signal-hook's
    /// iterator: no code of ours runs in a handler) and acts on each.
    pub fn install() -> Result<Signals, Failure> {
        use signal_hook::consts::{SIGINT, SIGTERM};
        let mut incoming = signal_hook::iterator::Signals::new([SIGINT, SIGTERM])
            .map_err(|e| Failure::Output(format!("cannot install the signal handlers: {e}")))?;
        let signals = Signals {
            stop: Arc::new(AtomicBool::new(false)),
            signal: Arc::new(AtomicI32::new(0)),
            saving: Arc::new(AtomicBool::new(false)),
        };
        let (stop, signal, saving) =
            (Arc::clone(&signals.stop), Arc::clone(&signals.signal), Arc::clone(&signals.saving));
        std::thread::spawn(move || {
            let mut first: Option<Instant> = None;
            for sig in incoming.forever() {
                match first {
                    None => {
                        first = Some(Instant::now());
                        signal.store(sig, Ordering::SeqCst);
                        stop.store(true, Ordering::SeqCst);
                    }
                    Some(t) if t.elapsed() >= Self::GRACE && !saving.load(Ordering::SeqCst) => {
                        eprintln!(
                            "clout: a second signal: stopped at once, and the work in flight was not kept"
                        );
                        std::process::exit(128 + sig);
                    }
                    Some(_) => {} // the first event again, or the record is being written
                }
            }
        });
        Ok(signals)
    }

    /// Says that the record of the work done is being written: a second
    /// signal from now on is ignored, so it cannot cost the record.
    pub fn saving(&self) {
        self.saving.store(true, Ordering::SeqCst);
    }

    /// The signal's name and the exit code it gives (128 + its number).
    pub fn caught(&self) -> (&'static str, ExitCode) {
        let signal = self.signal.load(Ordering::SeqCst);
        let name = if signal == signal_hook::consts::SIGTERM { "SIGTERM" } else { "SIGINT" };
        (name, ExitCode::from(u8::try_from(128 + signal).unwrap_or(130)))
    }
}

/// A creators file a run writes as it proceeds (`clout run --creators`):
/// where, and its header line.
pub struct Rows {
    /// The file.
    pub path: PathBuf,
    /// Its header (the columns of the run's model).
    pub header: String,
}

/// After a run stopped by a signal: keeps the trials done as a JSON record
/// (the output itself with `--format json`, else a new `clout-interrupted`
/// file beside the output) and says how to run the rest with `again`
/// (`kept` says what else was kept: the creators file).
fn save_interrupted<S: Study>(
    signals: &Signals,
    flags: &Flags,
    timing: &str,
    (record, kept): (&RecordOf<S>, &str),
    again: &str,
) -> Result<(), Failure>
where
    RecordOf<S>: Render,
{
    let (signal_name, code) = signals.caught();
    let nothing = record.coverage.as_ref().is_some_and(|parts| parts.iter().all(|p| p.ranges.is_empty()));
    let Some(held) = record.coverage_in_words().filter(|_| !nothing) else {
        eprintln!("clout: stopped by {signal_name} before any trial finished: nothing to keep");
        return Err(Failure::Interrupted(code));
    };
    let saved = keep_interrupted(signals, flags, |out, format| emit(record, format, timing, out))?;
    let (piece, stem) = if flags.format == Format::Json && flags.out.is_none() {
        ("RECORD".to_string(), "clout")
    } else {
        (saved.clone(), saved.trim_end_matches(".json").trim_end_matches("-rest"))
    };
    let rest = unused_path(&format!("{stem}-rest"));
    eprintln!(
        "clout: stopped by {signal_name}; {saved} holds {held}{kept}. Run the rest with `{again} --resume {piece} \
         --format json --out {}`, then `clout merge` the pieces.",
        rest.display()
    );
    Err(Failure::Interrupted(code))
}

/// Writes the output of a command stopped by a signal and keeps its JSON
/// record: the output itself with `--format json`, else a new
/// `clout-interrupted` file beside it. `write(out, format)` writes the
/// record in `format` to `out` (standard output for `None`). Returns where
/// the record is. A second signal from here on is ignored, so it cannot
/// cost the record.
pub fn keep_interrupted(
    signals: &Signals,
    flags: &Flags,
    write: impl Fn(Option<&Path>, Format) -> Result<(), Failure>,
) -> Result<String, Failure> {
    signals.saving();
    write(flags.out.as_deref(), flags.format)?;
    Ok(match (flags.format, &flags.out) {
        (Format::Json, Some(out)) => out.display().to_string(),
        (Format::Json, None) => "standard output".to_string(),
        _ => {
            let path = unused_path("clout-interrupted");
            write(Some(&path), Format::Json)?;
            path.display().to_string()
        }
    })
}

/// `STEM.json` in the current folder, or `STEM-2.json`, `STEM-3.json`... if taken.
fn unused_path(stem: &str) -> PathBuf {
    (1..)
        .map(|k| PathBuf::from(if k == 1 { format!("{stem}.json") } else { format!("{stem}-{k}.json") }))
        .find(|p| !p.exists())
        .expect("some name is free")
}

/// Runs `study` (a shard of it, or the rest of interrupted pieces) with the
/// flags' threads and a progress bar, stopping cleanly on SIGINT or SIGTERM;
/// writes the record in the chosen format, and `rows` (a creators file) as
/// it runs. `again` is the command that reruns it (for the message after
/// an interruption).
pub fn run<S: Study>(
    study: &S,
    pieces: &Pieces,
    flags: &Flags,
    rows: Option<&Rows>,
    again: &str,
) -> Result<(), Failure>
where
    RecordOf<S>: Render,
{
    let parts = study.parts();
    let shard = match &pieces.shard {
        Some(text) => executor::Shard::parse(text, parts.iter().map(|p| p.trials).min().unwrap_or(1))
            .map_err(Failure::BadInput)?,
        None => executor::Shard::WHOLE,
    };
    flags.check_size(S::NAME, study.careers() / shard.count)?;
    check_output(flags.out.as_deref())?;
    let done = (!pieces.resume.is_empty()).then(|| read_merged::<S>(&pieces.resume, true)).transpose()?;
    let total: u64 = parts.iter().map(|p| shard.range(p.trials)).map(|r| r.end - r.start).sum();
    let held =
        done.as_ref().and_then(|d| d.coverage.as_ref()).map_or(0, |c| c.iter().map(|p| p.held()).sum());
    if let Some(rows) = rows {
        clout::study::creators::check_rows(total.saturating_sub(held), flags.allow_large)
            .map_err(|e| Failure::BadInput(format!("command line: --{e}")))?;
        check_output(Some(&rows.path))?;
    }
    let bar = progress_bar(flags.quiet, total.saturating_sub(held));
    let tick = |n: u64| bar.as_ref().inspect(|bar| bar.set_position(n)).map_or((), |_| ());
    let signals = Signals::install()?;
    let started = Instant::now();
    let runner = flags.runner(study.scenario().run.seed).progress(&tick).stop_on(&signals.stop);
    let (record, kept) = execute(study, &runner, (shard, done.as_ref(), pieces), rows)?;
    let (seconds, threads) = (started.elapsed().as_secs_f64(), runner.threads_used());
    if let Some(bar) = &bar {
        bar.finish_and_clear();
    }
    let timing = format!("ran in {seconds:.1} s on {threads} thread(s)")
        + &if study.scenario().model == clout::scenario::ModelKind::Career {
            format!(", {:.1} M creator-days/s\n", record.work as f64 / seconds / 1e6)
        } else {
            "\n".to_string()
        };
    if !record.interrupted {
        return emit(&record, flags.format.verbose(flags.verbose), &timing, flags.out.as_deref());
    }
    let mut again = again.to_string() + if flags.allow_large { " --allow-large" } else { "" };
    if let Some(shard) = &pieces.shard {
        again += &format!(" --shard {shard}");
    }
    for piece in &pieces.resume {
        again += &format!(" --resume {}", piece.display());
    }
    save_interrupted::<S>(&signals, flags, &timing, (&record, &kept), &again)
}

/// Runs the shard, or the rest of `done`, on `runner`, writing `rows` (a
/// creators file, atomically) as it goes: the record, and what the file
/// holds in words for the message of an interrupted run (empty without one).
fn execute<S: Study>(
    study: &S,
    runner: &Runner,
    (shard, done, pieces): (executor::Shard, Option<&RecordOf<S>>, &Pieces),
    rows: Option<&Rows>,
) -> Result<(RecordOf<S>, String), Failure> {
    let go = |runner: &Runner| match done {
        None => {
            executor::run(study, runner, shard).map_err(|e| Failure::BadInput(format!("command line: {e}")))
        }
        Some(done) => {
            let names: Vec<String> = pieces.resume.iter().map(|p| p.display().to_string()).collect();
            Ok(executor::resume(study, runner, shard, done, &names.join(" + "))?)
        }
    };
    let Some(rows) = rows else {
        return Ok((go(runner)?, String::new()));
    };
    let (record, written) = clout::study::creators::write_rows_to(&rows.path, &rows.header, runner, go)
        .map_err(|e| Failure::Output(format!("{}: cannot write: {e}", rows.path.display())))?;
    Ok((record?, format!(" and {} their {written} creator rows", rows.path.display())))
}

/// Merges record files of study `S` into the record of the whole run (or,
/// with `partial`, of the trials present), written in `format` to `out`.
pub fn merge<S: Study>(
    paths: &[PathBuf],
    partial: bool,
    format: Format,
    out: Option<&Path>,
) -> Result<(), Failure>
where
    RecordOf<S>: Render,
{
    let record = read_merged::<S>(paths, partial)?;
    emit(&record, format, "", out)
}

/// Writes `record` in `format` to `out` (atomically) or standard output:
/// its table followed by `timing`, CSV, or pretty JSON serialized straight
/// into the file, never held whole as text (a 10,000-point sweep's record
/// is about 100 MB: docs/PERFORMANCE.md, "Memory").
pub fn emit<R: Render + serde::Serialize>(
    record: &R,
    format: Format,
    timing: &str,
    out: Option<&Path>,
) -> Result<(), Failure> {
    match format {
        Format::Json => write_with(out, |w| {
            serde_json::to_writer_pretty(&mut *w, record).map_err(std::io::Error::from)?;
            w.write_all(b"\n")
        }),
        Format::Table => write_output(out, &(record.to_table() + timing)),
        Format::Verbose => write_output(out, &(record.to_table_verbose() + timing)),
        Format::Csv => write_output(out, &record.to_csv()),
    }
}

/// A progress bar on stderr when it is a terminal and not `--quiet`.
fn progress_bar(quiet: bool, trials: u64) -> Option<indicatif::ProgressBar> {
    (!quiet && std::io::stderr().is_terminal()).then(|| {
        let bar = indicatif::ProgressBar::new(trials);
        let template = "{bar:40} {pos}/{len} trials, {elapsed} elapsed, ~{eta} left";
        bar.set_style(indicatif::ProgressStyle::with_template(template).expect("a valid template"));
        bar
    })
}

/// Refuses, before any work, an output file that cannot be written (a
/// missing folder, a folder named as the file, no permission).
pub fn check_output(out: Option<&Path>) -> Result<(), Failure> {
    match out {
        Some(path) => clout::error::check_writable(path)
            .map_err(|e| Failure::BadInput(format!("{}: cannot write there: {e}", path.display()))),
        None => Ok(()),
    }
}

/// Writes the output atomically to `out` (the old file stays whole if the
/// write fails), or to standard output.
pub fn write_output(out: Option<&Path>, text: &str) -> Result<(), Failure> {
    write_with(out, |w| w.write_all(text.as_bytes()))
}

/// Writes what `write` writes atomically to `out`, or to standard output,
/// through a buffer.
fn write_with(
    out: Option<&Path>,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<(), Failure> {
    match out {
        Some(path) => clout::error::write_atomic_with(path, |w| write(w))
            .map_err(|e| Failure::Output(format!("{}: cannot write: {e}", path.display()))),
        None => {
            let mut buffer = std::io::BufWriter::new(std::io::stdout().lock());
            write(&mut buffer)
                .and_then(|()| buffer.flush())
                .map_err(|e| Failure::Output(format!("standard output: {e}")))
        }
    }
}
