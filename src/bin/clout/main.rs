//! `clout`: run a scenario and print the odds of reaching each influencer tier.
//!
//! A thin shell over the library: everything here is a public library call.

use clap::{Parser, Subcommand, ValueEnum};
use clout::{RunRecord, Runner, Scenario, ScenarioError};
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

mod study;

/// Monte Carlo odds that a social-media creator reaches each influencer tier
/// (nano 1k, micro 10k, mid 50k, macro 500k, mega 1M followers), driven by
/// talent, effort, timing and luck.
///
/// With no command, runs the built-in default scenario: a new creator on a
/// ten-year-old platform, followed for five years.
#[derive(Parser)]
#[command(version, after_help = EXAMPLES)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

const EXAMPLES: &str = "Examples:
  clout                                   the default scenario, as a table
  clout run scenarios/what-if.toml        a scenario file
  clout run what-if --trials 1000000      a built-in scenario with more trials
  clout run --format json --out run.json  machine-readable output
  clout sweep scenarios/effort-vs-timing.toml   a sweep: every point against a baseline, paired
  clout run yule --shard 2/4 --format json --out s2.json   one shard of four (0-based)
  clout merge s0.json s1.json s2.json s3.json            the whole run, byte for byte
  clout run default --trials 1e8 --resume part.json --format json --out rest.json
                                          after Ctrl-C or SIGTERM: run the rest, then
  clout merge part.json rest.json         join them into the uninterrupted run's record
  clout plot run.json --out pictures      SVG pictures of a JSON record
  clout calibrate hypeauditor-2026        fit the model to HypeAuditor's 2026 tier shares
  clout attribute default                 how much is talent, effort, timing, niche, luck
  clout delusion                          the odds of macro seen six ways, against the truth
  clout check my.toml                     validate a scenario without running it
  clout scenarios                         list the built-in scenarios";

#[derive(Subcommand)]
enum Command {
    /// Run a scenario and report the odds of every tier with 95% intervals.
    Run(RunArgs),
    /// Run a sweep (a scenario with a [sweep] section): every point's odds, and
    /// each point's difference from the baseline with paired 95% intervals.
    Sweep(SweepArgs),
    /// Merge the records of a run's shards into the record of the whole run
    /// (byte for byte the JSON of the unsharded run).
    Merge(MergeArgs),
    /// Draw a record's pictures as SVG files: tier odds with intervals, the
    /// followers' tail, days to reach each tier; for a sweep, odds across
    /// points; for attribution, the Sobol indices; for the delusion gap, each view.
    Plot(PlotArgs),
    /// Fit a scenario's parameters to published tier shares (a targets file):
    /// fitted values with 95% intervals, each target against the fit on new
    /// luck, held-out checks.
    Calibrate(CalibrateArgs),
    /// Why creators succeed: Sobol indices of talent, effort, entry day, niche
    /// and luck (first order and total, 95% intervals), luck replays of the
    /// same creators, and counterfactual edits on the same luck.
    Attribute(AttributeArgs),
    /// The delusion gap: true, survivor, visible, creators-like-you,
    /// self-assessed and extrapolated odds of the goal tier, each with its
    /// interval and as a factor over the true odds.
    Delusion(DelusionArgs),
    /// Validate a scenario file and print it with every default filled in.
    Check {
        /// A scenario file (TOML) or the name of a built-in scenario.
        scenario: String,
    },
    /// List the built-in scenarios.
    Scenarios,
}

#[derive(clap::Args, Default)]
struct RunArgs {
    /// A scenario file (TOML) or the name of a built-in scenario [default: default].
    scenario: Option<String>,
    #[command(flatten)]
    common: Common,
    #[command(flatten)]
    pieces: study::Pieces,
    /// How odds are estimated, overriding the scenario's run.method: brute
    /// (plain Monte Carlo) or rare (importance sampling of the traits, tuned
    /// by a pilot; Career and Gibrat).
    #[arg(long, value_enum)]
    method: Option<MethodArg>,
}

#[derive(Clone, Copy, ValueEnum)]
enum MethodArg {
    /// Plain Monte Carlo.
    Brute,
    /// Importance sampling of the traits with a cross-entropy pilot.
    Rare,
}

/// The flags `run`, `sweep` and `delusion` share.
#[derive(clap::Args, Default)]
struct Common {
    /// Number of trials (careers), overriding the scenario's run.trials.
    #[arg(long, allow_negative_numbers = true, value_parser = parse_trials)]
    trials: Option<u64>,
    #[command(flatten)]
    flags: Flags,
}

/// The flags of every command that runs a scenario: seed, threads, output.
#[derive(clap::Args, Default)]
struct Flags {
    /// Seed of the random streams, overriding the file's run.seed.
    #[arg(long, allow_negative_numbers = true, value_parser = parse_seed)]
    seed: Option<u64>,
    /// Worker threads, 0 to 1024; 0 means one per core. Results do not depend on it.
    #[arg(long, default_value_t = 0, allow_negative_numbers = true, value_parser = parse_threads)]
    threads: u16,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
    /// Write the output to this file instead of standard output.
    #[arg(long)]
    out: Option<PathBuf>,
    /// No progress bar.
    #[arg(long, short)]
    quiet: bool,
    /// Run even more than 1e9 careers (the command says how long that would
    /// take before refusing it).
    #[arg(long)]
    allow_large: bool,
}

impl Flags {
    /// The size rule for `careers` of work named `what`, with these flags.
    fn check_size(&self, what: &str, careers: u64) -> Result<(), Failure> {
        let threads = Runner::new(0).threads(usize::from(self.threads)).threads_used();
        clout::study::executor::check_size(what, careers, threads, self.allow_large)
            .map_err(|e| Failure::BadInput(format!("command line: {e}")))
    }

    /// ` --allow-large` when set, for the command line that runs the rest.
    fn again(&self) -> &'static str {
        if self.allow_large { " --allow-large" } else { "" }
    }
}

#[derive(clap::Args)]
struct MergeArgs {
    /// The JSON records of the shards (from `clout run --shard K/N --format json`).
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// Merge the shards present even if some are missing; the record lists them.
    #[arg(long)]
    partial: bool,
    /// Output format of the merged record.
    #[arg(long, value_enum, default_value_t = Format::Json)]
    format: Format,
    /// Write the output to this file instead of standard output.
    #[arg(long)]
    out: Option<PathBuf>,
}

#[derive(clap::Args)]
struct PlotArgs {
    /// A JSON record from `clout run`, `sweep`, `attribute` or `delusion` with `--format json`.
    record: PathBuf,
    /// The folder to write the SVG files into (created if needed).
    #[arg(long, default_value = ".")]
    out: PathBuf,
}

#[derive(clap::Args)]
struct CalibrateArgs {
    /// A targets file (TOML) or the name of a built-in one (hypeauditor-2026).
    targets: String,
    /// Careers per evaluation, overriding the targets' run.trials.
    #[arg(long, allow_negative_numbers = true, value_parser = parse_trials)]
    trials: Option<u64>,
    /// Also write the base scenario with the fitted values to this TOML file.
    #[arg(long, value_name = "TOML")]
    write_scenario: Option<PathBuf>,
    // --seed is the search's (the targets' run.seed); the check runs on seed + 1.
    #[command(flatten)]
    flags: Flags,
}

#[derive(clap::Args)]
struct AttributeArgs {
    /// A Career scenario file (TOML) or the name of a built-in one [default: default].
    scenario: Option<String>,
    /// Rows of the Saltelli design, overriding attribute.sobol_rows.
    #[arg(long, allow_negative_numbers = true, value_parser = parse_trials)]
    sobol_rows: Option<u64>,
    /// Creators whose luck is replayed, overriding attribute.replay_creators.
    #[arg(long, allow_negative_numbers = true, value_parser = parse_trials)]
    replay_creators: Option<u64>,
    /// Creators run as drawn and edited, overriding attribute.counterfactual_creators.
    #[arg(long, allow_negative_numbers = true, value_parser = parse_trials)]
    counterfactual_creators: Option<u64>,
    #[command(flatten)]
    flags: Flags,
    #[command(flatten)]
    pieces: study::Pieces,
}

#[derive(clap::Args)]
struct DelusionArgs {
    /// A Career scenario with [condition] and [start] sections (file or
    /// built-in name) [default: delusion-gap].
    scenario: Option<String>,
    #[command(flatten)]
    common: Common,
    /// Accounts in the snapshot a viewer sees, overriding delusion.snapshot_trials.
    #[arg(long, allow_negative_numbers = true, value_parser = parse_trials)]
    snapshot_trials: Option<u64>,
    #[command(flatten)]
    pieces: study::Pieces,
}

#[derive(clap::Args)]
struct SweepArgs {
    /// A scenario file (TOML) with a [sweep] section, or the name of a built-in one.
    scenario: String,
    #[command(flatten)]
    common: Common,
    #[command(flatten)]
    pieces: study::Pieces,
}

/// A whole number written plainly or in scientific notation (`1e6`), in `[low, high]`.
fn parse_whole(text: &str, low: u64, high: u64, what: &str) -> Result<u64, String> {
    let value = text.trim().parse::<u64>().ok().or_else(|| {
        let f = text.trim().parse::<f64>().ok()?;
        (f.fract() == 0.0 && (0.0..1.8e19).contains(&f)).then_some(f as u64)
    });
    match value {
        Some(v) if (low..=high).contains(&v) => Ok(v),
        _ => Err(format!("{what} must be a whole number from {low} to {high} (1e6 style is fine)")),
    }
}

/// `--trials`: 1 to 1e12, as in scenario files.
fn parse_trials(text: &str) -> Result<u64, String> {
    parse_whole(text, 1, clout::model::MAX_TRIALS, "the number of trials")
}

/// `--seed`: 0 to 2^63 - 1, the range a scenario file's seed can hold (a
/// TOML integer), so a run's resolved scenario can always be written back.
fn parse_seed(text: &str) -> Result<u64, String> {
    parse_whole(text, 0, i64::MAX as u64, "the seed")
}

/// `--threads`: 0 (one per core) to 1024.
fn parse_threads(text: &str) -> Result<u16, String> {
    parse_whole(text, 0, 1024, "the number of threads (0: one per core)").map(|t| t as u16)
}

#[derive(Clone, Copy, ValueEnum, Default, PartialEq)]
enum Format {
    /// A readable table.
    #[default]
    Table,
    /// The full run record (scenario, seed, version, report) as JSON.
    Json,
    /// One row per tier.
    Csv,
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e)
            if matches!(
                e.kind(),
                clap::error::ErrorKind::DisplayHelp | clap::error::ErrorKind::DisplayVersion
            ) =>
        {
            e.exit()
        }
        Err(e) => {
            // One line, like every other bad input: clap's first paragraph (the
            // flag, the value, the range), joined.
            let text = e.render().to_string();
            let first: Vec<&str> = text.lines().take_while(|l| !l.trim().is_empty()).map(str::trim).collect();
            eprintln!("{}", first.join(" "));
            return ExitCode::from(2);
        }
    };
    let result = match cli.command.unwrap_or(Command::Run(RunArgs::default())) {
        Command::Run(args) => run(args),
        Command::Sweep(args) => sweep(args),
        Command::Merge(args) => merge(args),
        Command::Plot(args) => plot(args),
        Command::Calibrate(args) => calibrate(args),
        Command::Attribute(args) => attribute(args),
        Command::Delusion(args) => delusion(args),
        Command::Check { scenario } => {
            load(&scenario).map(|s| print!("{}", toml::to_string(&s).expect("a scenario serializes")))
        }
        Command::Scenarios => {
            for (name, _) in clout::scenario::BUILTIN {
                let s = Scenario::builtin(name).expect("built-in scenarios are valid");
                println!("{name:<26} {}", s.description);
            }
            Ok(())
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::BadInput(message)) => {
            eprintln!("error: {message}");
            ExitCode::from(2)
        }
        Err(Failure::Output(message)) => {
            eprintln!("error: {message}");
            ExitCode::from(1)
        }
        Err(Failure::Interrupted(code)) => code,
    }
}

enum Failure {
    /// The user's input is wrong: exit code 2.
    BadInput(String),
    /// Writing the output failed: exit code 1.
    Output(String),
    /// Stopped by a signal (what was done is saved and said): exit code
    /// 128 + the signal's number.
    Interrupted(ExitCode),
}

impl From<ScenarioError> for Failure {
    fn from(e: ScenarioError) -> Self {
        Failure::BadInput(e.to_string())
    }
}

/// A scenario from a file path, or else a built-in name.
fn load(name: &str) -> Result<Scenario, Failure> {
    let path = PathBuf::from(name);
    if path.exists() || name.ends_with(".toml") {
        Ok(Scenario::load(&path)?)
    } else {
        Ok(Scenario::builtin(name)?)
    }
}

fn run(args: RunArgs) -> Result<(), Failure> {
    let scenario_name = args.scenario.clone().unwrap_or_else(|| "default".into());
    let (pieces, method) = (args.pieces.clone(), args.method);
    let (trials, args) = (args.common.trials, args.common.flags);
    let mut scenario = load(&scenario_name)?;
    match method {
        Some(MethodArg::Brute) => {
            scenario.set_brute();
        }
        Some(MethodArg::Rare) => scenario.run.method = clout::experiment::rare::Method::Rare,
        None => {}
    }
    if let Some(trials) = trials {
        scenario.run.trials = trials;
    }
    if let Some(seed) = args.seed {
        scenario.run.seed = seed;
    }
    let scenario = scenario.resolved().map_err(|e| Failure::BadInput(format!("command line: {e}")))?;
    if scenario.sweep.is_some() {
        return Err(Failure::BadInput(format!(
            "scenario {:?} has a [sweep] section: run it with `clout sweep`",
            scenario.name
        )));
    }
    let shard = pieces.shard(scenario.run.trials)?;
    args.check_size("run.trials", scenario.total_trials() / shard.count)?;
    check_output(args.out.as_deref())?;
    // The pieces already run, joined into one record of what they hold.
    let done = if pieces.resume.is_empty() {
        None
    } else {
        let names: Vec<String> = pieces.resume.iter().map(|f| f.display().to_string()).collect();
        let records = read_run_records(&pieces.resume, &names)?;
        let joined =
            RunRecord::merge(&records, &names, true).map_err(|e| Failure::BadInput(e.to_string()))?;
        Some((joined, names.join(" + ")))
    };
    let held =
        done.as_ref().and_then(|(d, _)| d.coverage.as_ref()).map_or(0, |c| c.iter().map(|p| p.held()).sum());
    let bar = progress_bar(args.quiet, scenario.total_trials().div_ceil(shard.count).saturating_sub(held));
    let tick = |done: u64| {
        if let Some(bar) = &bar {
            bar.set_position(done);
        }
    };
    let signals = study::Signals::install()?;
    let started = Instant::now();
    let runner = Runner::new(scenario.run.seed)
        .threads(usize::from(args.threads))
        .progress(&tick)
        .stop_on(&signals.stop);
    let record = match &done {
        None => scenario.run_shard(&runner, shard)?,
        Some((done, name)) => scenario.run_rest(&runner, shard, done, name)?,
    };
    let seconds = started.elapsed().as_secs_f64();
    if let Some(bar) = &bar {
        bar.finish_and_clear();
    }
    let json = || serde_json::to_string_pretty(&record).expect("a record serializes") + "\n";
    let text = match args.format {
        Format::Table => table_with_timing(&record, seconds, usize::from(args.threads)),
        Format::Json => json(),
        Format::Csv => record.to_csv(),
    };
    if !record.interrupted {
        return write_output(args.out.as_deref(), &text);
    }
    let mut again = format!("clout run {scenario_name}");
    if let Some(trials) = trials {
        again += &format!(" --trials {trials}");
    }
    if let Some(seed) = args.seed {
        again += &format!(" --seed {seed}");
    }
    match method {
        Some(MethodArg::Brute) => again += " --method brute",
        Some(MethodArg::Rare) => again += " --method rare",
        None => {}
    }
    again += args.again();
    let coverage = (record.coverage.as_deref(), record.coverage_in_words());
    study::save_interrupted(&signals, &args, (&text, &json()), coverage, &pieces.again(again))
}

/// Run records read from files, each checked to be one.
fn read_run_records(paths: &[PathBuf], names: &[String]) -> Result<Vec<RunRecord>, Failure> {
    paths
        .iter()
        .zip(names)
        .map(|(path, name)| {
            let text = read_record(path)?;
            serde_json::from_str(&text)
                .map_err(|e| Failure::BadInput(format!("{name}: not a clout run record: {e}")))
        })
        .collect()
}

/// The largest record `clout merge` and `clout plot` read: 256 MiB.
const MAX_RECORD_BYTES: u64 = 1 << 28;

/// A record file's text, at most [`MAX_RECORD_BYTES`].
fn read_record(path: &std::path::Path) -> Result<String, Failure> {
    use clout::error::{ReadTextError, read_text_capped};
    let name = path.display();
    read_text_capped(path, MAX_RECORD_BYTES).map_err(|e| {
        Failure::BadInput(match e {
            ReadTextError::Io(e) => format!("{name}: cannot read: {e}"),
            ReadTextError::TooLarge => format!("{name}: is larger than 256 MiB, more than any clout record"),
            ReadTextError::NotUtf8 { .. } => format!("{name}: is not UTF-8 text, so not a JSON record"),
        })
    })
}

fn merge(args: MergeArgs) -> Result<(), Failure> {
    use clout::scenario::sweep::Sweep;
    use clout::study::{attribute::Attribution, delusion::Delusion, executor::Study};
    let (files, partial, format, out) = (&args.files, args.partial, args.format, args.out.as_deref());
    check_output(out)?;
    match schema_of(&files[0])?.as_deref() {
        Some(Sweep::SCHEMA) => {
            study::merge::<Sweep>(files, partial, format, out, |r| r.to_table(), |r| r.to_csv())
        }
        Some(Attribution::SCHEMA) => {
            study::merge::<Attribution>(files, partial, format, out, |r| r.to_table(), |r| r.to_csv())
        }
        Some(Delusion::SCHEMA) => {
            study::merge::<Delusion>(files, partial, format, out, |r| r.to_table(), |r| r.to_csv())
        }
        _ => {
            let names: Vec<String> = files.iter().map(|f| f.display().to_string()).collect();
            let records = read_run_records(files, &names)?;
            let merged = RunRecord::merge(&records, &names, partial);
            let record = merged.map_err(|e| Failure::BadInput(e.to_string()))?;
            let text = match format {
                Format::Table => record.to_table(),
                Format::Json => serde_json::to_string_pretty(&record).expect("a record serializes") + "\n",
                Format::Csv => record.to_csv(),
            };
            write_output(out, &text)
        }
    }
}

/// The `schema` field of a JSON record file (`None` when it has none).
fn schema_of(path: &std::path::Path) -> Result<Option<String>, Failure> {
    // The schema alone; the record is then read from the text itself (not
    // through serde_json::Value, which would turn 128-bit sums into floats).
    #[derive(serde::Deserialize)]
    struct Schema {
        schema: Option<serde_json::Value>,
    }
    let text = read_record(path)?;
    let schema: Schema = serde_json::from_str(&text)
        .map_err(|e| Failure::BadInput(format!("{}: not a JSON record: {e}", path.display())))?;
    Ok(schema.schema.and_then(|s| s.as_str().map(str::to_string)))
}

#[cfg(feature = "plot")]
fn plot(args: PlotArgs) -> Result<(), Failure> {
    use clout::report::plot::{plot_attribution, plot_delusion, plot_run, plot_sweep};
    use clout::scenario::sweep::Sweep;
    use clout::study::{attribute::Attribution, delusion::Delusion, executor::Study};
    let name = args.record.display().to_string();
    let one = std::slice::from_ref(&args.record);
    let written = match schema_of(&args.record)?.as_deref() {
        Some(RunRecord::SCHEMA) => {
            // Checked and its report rebuilt from its summary, as a merge
            // of one piece: the stored report is never drawn.
            let names = std::slice::from_ref(&name);
            let records = read_run_records(one, names)?;
            let record =
                RunRecord::merge(&records, names, true).map_err(|e| Failure::BadInput(e.to_string()))?;
            plot_run(&record, &args.out)
        }
        Some(Sweep::SCHEMA) => plot_sweep(&study::read_one::<Sweep>(&args.record)?, &args.out),
        Some(Attribution::SCHEMA) => {
            plot_attribution(&study::read_one::<Attribution>(&args.record)?, &args.out)
        }
        Some(Delusion::SCHEMA) => plot_delusion(&study::read_one::<Delusion>(&args.record)?, &args.out),
        other => {
            return Err(Failure::BadInput(format!(
                "{name}: schema {other:?}: expected {:?}, {:?}, {:?} or {:?} (a record from clout run, sweep, \
                 attribute or delusion --format json)",
                RunRecord::SCHEMA,
                Sweep::SCHEMA,
                Attribution::SCHEMA,
                Delusion::SCHEMA
            )));
        }
    };
    let written = written.map_err(|e| Failure::BadInput(format!("{name}: {e}")))?;
    for file in written {
        println!("{}", file.display());
    }
    Ok(())
}

#[cfg(not(feature = "plot"))]
fn plot(_: PlotArgs) -> Result<(), Failure> {
    Err(Failure::BadInput("this clout was built without the `plot` feature".into()))
}

fn sweep(args: SweepArgs) -> Result<(), Failure> {
    let file = args.scenario.clone();
    let (trials, flags) = (args.common.trials, args.common.flags);
    let mut scenario = load(&file)?;
    let again = format!("clout sweep {file}") + &overrides(&mut scenario, trials, flags.seed);
    let sweep = scenario.sweep().map_err(|e| Failure::BadInput(format!("command line: {e}")))?;
    study::run(&sweep, &args.pieces, &flags, &again, |r| r.to_table(), |r| r.to_csv())
}

/// Sets `--trials` and `--seed` in the scenario; returns them as flags for
/// the command line that reruns it.
fn overrides(scenario: &mut Scenario, trials: Option<u64>, seed: Option<u64>) -> String {
    let mut flags = String::new();
    if let Some(trials) = trials {
        scenario.run.trials = trials;
        flags += &format!(" --trials {trials}");
    }
    if let Some(seed) = seed {
        scenario.run.seed = seed;
        flags += &format!(" --seed {seed}");
    }
    flags
}

fn calibrate(args: CalibrateArgs) -> Result<(), Failure> {
    use clout::study::calibrate::{Calibration, TargetsSpec};
    let bad = |e: &dyn std::fmt::Display| Failure::BadInput(e.to_string());
    let path = PathBuf::from(&args.targets);
    let calibration = if path.exists() || args.targets.ends_with(".toml") {
        Calibration::load(&path)
    } else {
        Calibration::builtin(&args.targets)
    }
    .map_err(|e| bad(&e))?;
    let calibration = if args.trials.is_some() || args.flags.seed.is_some() {
        let mut spec: TargetsSpec = calibration.spec().clone();
        spec.run.trials = args.trials.unwrap_or(spec.run.trials);
        spec.run.seed = args.flags.seed.unwrap_or(spec.run.seed);
        Calibration::new(spec, calibration.base().clone()).map_err(|e| bad(&format!("command line: {e}")))?
    } else {
        calibration
    };
    args.flags.check_size("calibration (trials x evaluations)", calibration.careers())?;
    check_output(args.flags.out.as_deref())?;
    check_output(args.write_scenario.as_deref())?;
    let spinner = (!args.flags.quiet && std::io::stderr().is_terminal()).then(|| {
        let bar = indicatif::ProgressBar::new_spinner();
        bar.set_style(
            indicatif::ProgressStyle::with_template("{spinner} {msg}, {elapsed} elapsed")
                .expect("a valid template"),
        );
        bar
    });
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
    let signals = study::Signals::install()?;
    let runner = Runner::new(calibration.spec().run.seed)
        .threads(usize::from(args.flags.threads))
        .stop_on(&signals.stop);
    let result = calibration.run_observed(&runner, &observe);
    if signals.stop.load(std::sync::atomic::Ordering::Relaxed) {
        // A search cannot be resumed: say in one line what was lost.
        if let Some(bar) = &spinner {
            bar.finish_and_clear();
        }
        let (name, code) = signals.caught();
        let best = *best.lock().expect("not poisoned");
        eprintln!(
            "clout: stopped by {name} after {:.0} s of the calibration's search (best deviance so far {best:.2}); \
             a calibration cannot be resumed, so nothing was kept: run it again",
            started.elapsed().as_secs_f64()
        );
        return Err(Failure::Interrupted(code));
    }
    let record = result.map_err(|e| bad(&format!("{}: {e}", args.targets)))?;
    let seconds = started.elapsed().as_secs_f64();
    if let Some(bar) = &spinner {
        bar.finish_and_clear();
    }
    if let Some(file) = &args.write_scenario {
        let text = toml::to_string(&record.report.fitted_scenario).expect("a scenario serializes");
        clout::error::write_atomic(file, text.as_bytes())
            .map_err(|e| Failure::Output(format!("{}: cannot write: {e}", file.display())))?;
    }
    let text = render(
        &record,
        args.flags.format,
        || record.to_table(),
        || record.to_csv(),
        seconds,
        args.flags.threads,
    );
    write_output(args.flags.out.as_deref(), &text)
}

fn attribute(args: AttributeArgs) -> Result<(), Failure> {
    use clout::study::attribute::Attribution;
    let name = args.scenario.clone().unwrap_or_else(|| "default".into());
    let mut scenario = load(&name)?;
    let mut again = format!("clout attribute {name}") + &overrides(&mut scenario, None, args.flags.seed);
    let mut spec = scenario.attribute.clone().unwrap_or_default();
    for (value, field, flag) in [
        (args.sobol_rows, &mut spec.sobol_rows, "--sobol-rows"),
        (args.replay_creators, &mut spec.replay_creators, "--replay-creators"),
        (args.counterfactual_creators, &mut spec.counterfactual_creators, "--counterfactual-creators"),
    ] {
        if let Some(value) = value {
            *field = value;
            again += &format!(" {flag} {value}");
        }
    }
    scenario.attribute = Some(spec);
    let attribution = Attribution::new(&scenario).map_err(|e| Failure::BadInput(format!("{name}: {e}")))?;
    study::run(&attribution, &args.pieces, &args.flags, &again, |r| r.to_table(), |r| r.to_csv())
}

fn delusion(args: DelusionArgs) -> Result<(), Failure> {
    use clout::study::delusion::Delusion;
    let name = args.scenario.clone().unwrap_or_else(|| "delusion-gap".into());
    let (trials, flags) = (args.common.trials, args.common.flags);
    let mut scenario = load(&name)?;
    let mut again = format!("clout delusion {name}") + &overrides(&mut scenario, trials, flags.seed);
    if let Some(trials) = args.snapshot_trials {
        scenario.delusion = Some(clout::experiment::delusion::DelusionSpec {
            snapshot_trials: trials,
            ..scenario.delusion.unwrap_or_default()
        });
        again += &format!(" --snapshot-trials {trials}");
    }
    let delusion = Delusion::new(&scenario).map_err(|e| Failure::BadInput(format!("{name}: {e}")))?;
    study::run(&delusion, &args.pieces, &flags, &again, |r| r.to_table(), |r| r.to_csv())
}

/// A record in the chosen format: its table with the time taken, pretty JSON, or CSV.
fn render<R: serde::Serialize>(
    record: &R,
    format: Format,
    table: impl FnOnce() -> String,
    csv: impl FnOnce() -> String,
    seconds: f64,
    threads: u16,
) -> String {
    match format {
        Format::Table => {
            format!("{}ran in {seconds:.1} s on {} thread(s)\n", table(), threads_used(usize::from(threads)))
        }
        Format::Json => serde_json::to_string_pretty(record).expect("a record serializes") + "\n",
        Format::Csv => csv(),
    }
}

/// A progress bar on stderr when it is a terminal and not `--quiet`.
fn progress_bar(quiet: bool, trials: u64) -> Option<indicatif::ProgressBar> {
    (!quiet && std::io::stderr().is_terminal()).then(|| {
        let bar = indicatif::ProgressBar::new(trials);
        bar.set_style(
            indicatif::ProgressStyle::with_template(
                "{bar:40} {pos}/{len} trials, {elapsed} elapsed, ~{eta} left",
            )
            .expect("a valid template"),
        );
        bar
    })
}

/// Refuses, before any work, an output file that cannot be written (a
/// missing folder, a folder named as the file, no permission).
fn check_output(out: Option<&std::path::Path>) -> Result<(), Failure> {
    match out {
        Some(path) => clout::error::check_writable(path)
            .map_err(|e| Failure::BadInput(format!("{}: cannot write there: {e}", path.display()))),
        None => Ok(()),
    }
}

/// Writes the output atomically to `out` (the old file stays whole if the
/// write fails), or to standard output.
fn write_output(out: Option<&std::path::Path>, text: &str) -> Result<(), Failure> {
    match out {
        Some(path) => clout::error::write_atomic(path, text.as_bytes())
            .map_err(|e| Failure::Output(format!("{}: cannot write: {e}", path.display()))),
        None => std::io::stdout()
            .write_all(text.as_bytes())
            .map_err(|e| Failure::Output(format!("standard output: {e}"))),
    }
}

fn threads_used(threads: usize) -> usize {
    if threads == 0 { rayon::current_num_threads() } else { threads }
}

fn table_with_timing(record: &RunRecord, seconds: f64, threads: usize) -> String {
    let threads = threads_used(threads);
    let mut text = record.to_table();
    let rate = record.career().map(|r| r.creator_days as f64 / seconds / 1e6);
    text += &format!("ran in {seconds:.1} s on {threads} thread(s)");
    if let Some(rate) = rate {
        text += &format!(", {rate:.1} M creator-days/s");
    }
    text + "\n"
}
