//! Running any study on the executor from the command line: shards, resume,
//! Ctrl-C/SIGTERM with a record of the trials done, and merges.

use crate::{Failure, Flags, Format, check_output, progress_bar, read_record, render, write_output};
use clout::Runner;
use clout::study::executor::{self, PartTrials, RecordOf, Shard, Study};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Instant;

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

impl Pieces {
    /// The shard asked for, checked against the fewest trials of any part.
    pub fn shard(&self, fewest: u64) -> Result<Shard, Failure> {
        match &self.shard {
            Some(text) => Shard::parse(text, fewest).map_err(Failure::BadInput),
            None => Ok(Shard::WHOLE),
        }
    }

    /// The command line that runs the rest of an interrupted run: `again`
    /// (the command and its own flags) with this shard and these pieces.
    pub fn again(&self, mut again: String) -> String {
        if let Some(shard) = &self.shard {
            again += &format!(" --shard {shard}");
        }
        for piece in &self.resume {
            again += &format!(" --resume {}", piece.display());
        }
        again
    }
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
    signal: Arc<AtomicUsize>,
    /// Set while the interrupted run's record is written.
    saving: Arc<AtomicBool>,
}

impl Signals {
    /// How long after the first signal a second one is taken for the same event.
    pub const GRACE: std::time::Duration = std::time::Duration::from_secs(1);

    /// Installs the handlers: each SIGINT or SIGTERM raises `stop`, records
    /// which it was and counts itself (atomic stores only: safe in a
    /// handler); a watcher thread ends the process on a second signal that
    /// comes after the grace period and not while the record is written.
    pub fn install() -> Result<Signals, Failure> {
        use signal_hook::consts::{SIGINT, SIGTERM};
        use signal_hook::flag;
        let stop = Arc::new(AtomicBool::new(false));
        let signal = Arc::new(AtomicUsize::new(0));
        let count = Arc::new(AtomicUsize::new(0));
        let saving = Arc::new(AtomicBool::new(false));
        for sig in [SIGINT, SIGTERM] {
            let counted = Arc::clone(&count);
            // SAFETY: the action only adds to an atomic, which is async-signal-safe.
            let installed = flag::register_usize(sig, Arc::clone(&signal), sig as usize)
                .and_then(|_| flag::register(sig, Arc::clone(&stop)))
                .and_then(|_| unsafe {
                    signal_hook::low_level::register(sig, move || {
                        counted.fetch_add(1, Ordering::SeqCst);
                    })
                });
            installed
                .map_err(|e| Failure::Output(format!("cannot install the handler of signal {sig}: {e}")))?;
        }
        let (watched, watched_signal, watched_saving) =
            (Arc::clone(&count), Arc::clone(&signal), Arc::clone(&saving));
        std::thread::spawn(move || {
            let mut first: Option<std::time::Instant> = None;
            loop {
                std::thread::sleep(std::time::Duration::from_millis(20));
                let n = watched.load(Ordering::SeqCst);
                if n >= 1 && first.is_none() {
                    first = Some(std::time::Instant::now());
                }
                if n >= 2
                    && first.is_some_and(|t| t.elapsed() >= Self::GRACE)
                    && !watched_saving.load(Ordering::SeqCst)
                {
                    let sig = watched_signal.load(Ordering::Relaxed) as i32;
                    eprintln!("clout: a second signal: stopped at once, and the work in flight was not kept");
                    std::process::exit(128 + sig);
                }
                if n >= 2 && first.is_some_and(|t| t.elapsed() < Self::GRACE) {
                    // One event delivered twice: forget the repeat.
                    watched.store(1, Ordering::SeqCst);
                }
            }
        });
        Ok(Signals { stop, signal, saving })
    }

    /// The signal's name and the exit code it gives (128 + its number).
    pub fn caught(&self) -> (&'static str, std::process::ExitCode) {
        let signal = self.signal.load(Ordering::Relaxed) as i32;
        let name = if signal == signal_hook::consts::SIGTERM { "SIGTERM" } else { "SIGINT" };
        (name, std::process::ExitCode::from(u8::try_from(128 + signal).unwrap_or(130)))
    }
}

/// After a run stopped by a signal: keeps the trials done as a JSON record
/// (the output itself with `--format json`, else a new `clout-interrupted`
/// file beside the output) and says how to run the rest. `again` is the
/// command that resumes it, without `--resume` of the new piece;
/// `coverage` the record's, `held` the same in words.
pub fn save_interrupted(
    signals: &Signals,
    flags: &Flags,
    (text, json): (&str, &str),
    (coverage, held): (Option<&[PartTrials]>, Option<String>),
    again: &str,
) -> Result<(), Failure> {
    let (signal_name, code) = signals.caught();
    let nothing = coverage.is_some_and(|parts| parts.iter().all(|p| p.ranges.is_empty()));
    let Some(held) = held.filter(|_| !nothing) else {
        eprintln!("clout: stopped by {signal_name} before any trial finished: nothing to keep");
        return Err(Failure::Interrupted(code));
    };
    // A second signal now must not cost the record being written.
    signals.saving.store(true, Ordering::SeqCst);
    write_output(flags.out.as_deref(), text)?;
    let saved = if flags.format == Format::Json {
        flags.out.as_ref().map_or("standard output".to_string(), |p| p.display().to_string())
    } else {
        let path = unused_path("clout-interrupted", "json");
        write_output(Some(&path), json)?;
        path.display().to_string()
    };
    let (piece, stem) = if flags.format == Format::Json && flags.out.is_none() {
        ("RECORD".to_string(), "clout".to_string())
    } else {
        (saved.clone(), saved.trim_end_matches(".json").trim_end_matches("-rest").to_string())
    };
    let rest = unused_path(&format!("{stem}-rest"), "json");
    eprintln!(
        "clout: stopped by {signal_name}; {saved} holds {held}. Run the rest with `{again} --resume {piece} \
         --format json --out {}`, then `clout merge` the pieces.",
        rest.display()
    );
    Err(Failure::Interrupted(code))
}

/// `STEM.EXT` in the current folder, or `STEM-2.EXT`, `STEM-3.EXT`... if taken.
pub fn unused_path(stem: &str, ext: &str) -> PathBuf {
    (1..)
        .map(|k| {
            if k == 1 {
                PathBuf::from(format!("{stem}.{ext}"))
            } else {
                PathBuf::from(format!("{stem}-{k}.{ext}"))
            }
        })
        .find(|p| !p.exists())
        .expect("some name is free")
}

/// Records of study `S` read from files, each checked to be one of its schema.
pub fn read_records<S: Study>(paths: &[PathBuf]) -> Result<(Vec<RecordOf<S>>, Vec<String>), Failure> {
    let names: Vec<String> = paths.iter().map(|f| f.display().to_string()).collect();
    let mut records = Vec::with_capacity(paths.len());
    for (path, name) in paths.iter().zip(&names) {
        let text = read_record(path)?;
        let record: RecordOf<S> = serde_json::from_str(&text)
            .map_err(|e| Failure::BadInput(format!("{name}: not a {} record: {e}", S::SCHEMA)))?;
        records.push(record);
    }
    Ok((records, names))
}

/// One record of study `S` read from a file, checked, its report
/// recomputed from its summary (as a merge of one piece).
pub fn read_one<S: Study>(path: &std::path::Path) -> Result<RecordOf<S>, Failure> {
    let (records, names) = read_records::<S>(std::slice::from_ref(&path.to_path_buf()))?;
    executor::merge::<S>(&records, &names, true).map_err(|e| Failure::BadInput(e.to_string()))
}

/// Runs `study` (a shard of it, or the rest of interrupted pieces) with the
/// flags' threads and a progress bar, stopping cleanly on SIGINT or SIGTERM;
/// writes the record in the chosen format. `again` is the command that
/// reruns it (for the message after an interruption).
pub fn run<S: Study>(
    study: &S,
    pieces: &Pieces,
    flags: &Flags,
    again: &str,
    table: impl Fn(&RecordOf<S>) -> String,
    csv: impl Fn(&RecordOf<S>) -> String,
) -> Result<(), Failure> {
    let seed = study.scenario().run.seed;
    let parts = study.parts(seed);
    let shard = pieces.shard(parts.iter().map(|p| p.trials).min().unwrap_or(1))?;
    flags.check_size(
        S::SCHEMA.trim_start_matches("clout.").split('/').next().unwrap_or("study"),
        study.careers() / shard.count,
    )?;
    check_output(flags.out.as_deref())?;
    let done = if pieces.resume.is_empty() {
        None
    } else {
        let (records, names) = read_records::<S>(&pieces.resume)?;
        let joined =
            executor::merge::<S>(&records, &names, true).map_err(|e| Failure::BadInput(e.to_string()))?;
        Some((joined, names.join(" + ")))
    };
    let total: u64 = parts.iter().map(|p| shard.range(p.trials)).map(|r| r.end - r.start).sum();
    let held: u64 =
        done.as_ref().and_then(|(d, _)| d.coverage.as_ref()).map_or(0, |c| c.iter().map(|p| p.held()).sum());
    let bar = progress_bar(flags.quiet, total.saturating_sub(held));
    let tick = |n: u64| {
        if let Some(bar) = &bar {
            bar.set_position(n);
        }
    };
    let signals = Signals::install()?;
    let started = Instant::now();
    let runner = Runner::new(seed).threads(usize::from(flags.threads)).progress(&tick).stop_on(&signals.stop);
    let record = match &done {
        None => executor::run(study, &runner, shard)
            .map_err(|e| Failure::BadInput(format!("command line: {e}")))?,
        Some((done, name)) => executor::resume(study, &runner, shard, done, name)?,
    };
    let seconds = started.elapsed().as_secs_f64();
    if let Some(bar) = &bar {
        bar.finish_and_clear();
    }
    let text = render(&record, flags.format, || table(&record), || csv(&record), seconds, flags.threads);
    if !record.interrupted {
        return write_output(flags.out.as_deref(), &text);
    }
    let json = serde_json::to_string_pretty(&record).expect("a record serializes") + "\n";
    let coverage = (record.coverage.as_deref(), record.coverage_in_words());
    save_interrupted(
        &signals,
        flags,
        (&text, &json),
        coverage,
        &pieces.again(again.to_string() + flags.again()),
    )
}

/// Merges record files of study `S` into the record of the whole run (or,
/// with `partial`, of the trials present).
pub fn merge<S: Study>(
    paths: &[PathBuf],
    partial: bool,
    format: Format,
    out: Option<&std::path::Path>,
    table: impl Fn(&RecordOf<S>) -> String,
    csv: impl Fn(&RecordOf<S>) -> String,
) -> Result<(), Failure> {
    let (records, names) = read_records::<S>(paths)?;
    let record =
        executor::merge::<S>(&records, &names, partial).map_err(|e| Failure::BadInput(e.to_string()))?;
    let text = match format {
        Format::Table => table(&record),
        Format::Json => serde_json::to_string_pretty(&record).expect("a record serializes") + "\n",
        Format::Csv => csv(&record),
    };
    write_output(out, &text)
}
