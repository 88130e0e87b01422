//! `clout`: run a scenario and print the odds of reaching each influencer tier.
//!
//! A thin shell over the library: each command loads, overrides, builds a
//! study and hands it to [`study::run`]; everything else is a library call.

use clap::{Parser, Subcommand, ValueEnum};
use clout::Scenario;
use clout::study::calibrate::CalibrationRecord;
use clout::study::compare::CompareRecord;
use clout::study::forecast::ForecastRecord;
use clout::study::{attribute::Attribution, delusion::Delusion, executor::Study, run::PlainRun};
use std::path::PathBuf;
use std::process::ExitCode;

mod calibrate;
mod compare;
mod forecast;
mod study;
use study::{Failure, Flags, Format, Pieces};

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
  clout run --creators creators.csv       also one CSV row per career, written as the run goes
  clout sweep scenarios/effort-vs-timing.toml   a sweep: every point against a baseline, paired
  clout run yule --shard 2/4 --format json --out s2.json   one shard of four (0-based)
  clout merge s0.json s1.json s2.json s3.json            the whole run, byte for byte
  clout run default --trials 1e8 --resume part.json --format json --out rest.json
                                          after Ctrl-C or SIGTERM: run the rest, then
  clout merge part.json rest.json         join them into the uninterrupted run's record
  clout show run.json                     a saved record's table again (--format csv: its CSV)
  clout plot run.json --out pictures      SVG pictures of a JSON record
  clout calibrate hypeauditor-2026        fit the model to HypeAuditor's 2026 tier shares
  clout compare variants-2026            which Career variant the data support, answers under each
  clout attribute default                 how much is talent, effort, timing, niche, luck
  clout delusion                          the odds of macro seen six ways, against the truth
  clout forecast examples/histories/creator-10k.csv --plot pictures
                                          your own history: what it says about you, your chances
  clout check my.toml                     validate a scenario without running it
  clout scenarios                         list the built-in scenarios";

#[derive(Subcommand)]
enum Command {
    /// Run a scenario and report the odds of every tier with 95% intervals.
    Run(RunArgs),
    /// Run a sweep (a scenario with a [sweep] section): every point's odds, and
    /// each point's difference from the baseline with paired 95% intervals.
    Sweep(SweepArgs),
    /// Merge the records of a run's pieces (shards, interrupted runs and their
    /// rests) into the record of the whole run (byte for byte the JSON of the
    /// unsharded run); with one file, check it and show it again (a
    /// calibration record is one file: checked and shown again).
    Merge(MergeArgs),
    /// Show a saved record again (any kind clout writes), checked and its
    /// report rebuilt from its statistics: as the command printed it, or CSV or JSON.
    Show(ShowArgs),
    /// Draw a record's pictures as SVG files: tier odds with intervals, the
    /// followers' tail, days to reach each tier; for a sweep, odds across
    /// points; for attribution, the Sobol indices; for the delusion gap, each
    /// view; for a calibration, each band's target against the fit.
    Plot(PlotArgs),
    /// Fit a scenario's parameters to published tier shares (a targets file):
    /// fitted values with 95% intervals, each target against the fit on new
    /// luck, held-out checks.
    Calibrate(study::CalibrateArgs),
    /// Compare variants of the Career model (a compare file): each fitted to
    /// the same targets, ranked by AIC, with the headline answers under each
    /// and their spread across the variants the data cannot reject.
    Compare(compare::CompareArgs),
    /// Why creators succeed: Sobol indices of talent, effort, entry day, niche
    /// and luck (first order and total, 95% intervals), luck replays of the
    /// same creators, and counterfactual edits on the same luck.
    Attribute(AttributeArgs),
    /// The delusion gap: true, survivor, visible, creators-like-you,
    /// self-assessed and extrapolated odds of the goal tier, each with its
    /// interval and as a factor over the true odds.
    Delusion(DelusionArgs),
    /// A creator's own follower history in, their chances out: what the
    /// history says about their talent, effort and niche (posterior against
    /// the population), the chance of each level within N years with
    /// intervals, and their naive extrapolation beside it.
    Forecast(forecast::ForecastArgs),
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
    pieces: Pieces,
    /// How odds are estimated, overriding the scenario's run.method: brute
    /// (plain Monte Carlo) or rare (importance sampling of the traits, tuned
    /// by a pilot; Career and Gibrat).
    #[arg(long, value_enum)]
    method: Option<MethodArg>,
    /// Also write one CSV row per creator (per root with --method rare) to
    /// this file, in trial order as the run proceeds: traits, weight,
    /// followers, the day each tier was reached, active, quit day. At most
    /// 1e6 rows without --allow-large.
    #[arg(long, value_name = "FILE.csv")]
    creators: Option<PathBuf>,
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
    #[arg(long, allow_negative_numbers = true, value_parser = study::parse_trials)]
    trials: Option<u64>,
    /// The level to ask about, overriding tiers.goal: a tier (macro) or any
    /// follower count (100k, 1.5M, 1e5, 250000); or, with [money], an income
    /// a year ('$100k': added to money.levels); or, with [engagement] or
    /// [money], an engaged audience ('1k engaged': added to
    /// engagement.audience_levels; not for delusion). Importance sampling
    /// aims at it.
    #[arg(long, value_parser = clout::scenario::Target::parse)]
    target: Option<clout::scenario::Target>,
    /// Follow each creator this many years from their first day (0.1 to
    /// 100), overriding observation.horizon_days (a cohort scenario's).
    #[arg(long, value_parser = study::parse_years)]
    years: Option<f64>,
    #[command(flatten)]
    flags: Flags,
}

#[derive(clap::Args)]
struct MergeArgs {
    /// The JSON records of the pieces (from `--format json`), all of one kind.
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// Merge the pieces present even if some trials are missing; the record lists them.
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
struct ShowArgs {
    /// A JSON record from any command's `--format json`.
    record: PathBuf,
    /// How to show it.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
    /// A table with every diagnostic of the method.
    #[arg(long, short)]
    verbose: bool,
}

#[derive(clap::Args)]
struct PlotArgs {
    /// A JSON record from `clout run`, `sweep`, `attribute`, `delusion` or `calibrate` with `--format json`.
    record: PathBuf,
    /// The folder to write the SVG files into (created if needed).
    #[arg(long, default_value = ".")]
    out: PathBuf,
}

#[derive(clap::Args)]
struct AttributeArgs {
    /// A Career scenario file (TOML) or the name of a built-in one [default: default].
    scenario: Option<String>,
    /// Rows of the Saltelli design, overriding attribute.sobol_rows.
    #[arg(long, allow_negative_numbers = true, value_parser = study::parse_trials)]
    sobol_rows: Option<u64>,
    /// Creators whose luck is replayed, overriding attribute.replay_creators.
    #[arg(long, allow_negative_numbers = true, value_parser = study::parse_trials)]
    replay_creators: Option<u64>,
    /// Creators run as drawn and edited, overriding attribute.counterfactual_creators.
    #[arg(long, allow_negative_numbers = true, value_parser = study::parse_trials)]
    counterfactual_creators: Option<u64>,
    /// The level to ask about, as `run --target` takes it (a tier or a
    /// follower count; with [money] an income a year, '$30k'; with
    /// [engagement] or [money] an engaged audience, '1k engaged'): the
    /// answer leads with what decides reaching it.
    #[arg(long, value_parser = clout::scenario::Target::parse)]
    target: Option<clout::scenario::Target>,
    /// Follow each creator this many years from their first day (0.1 to
    /// 100), overriding observation.horizon_days.
    #[arg(long, value_parser = study::parse_years)]
    years: Option<f64>,
    #[command(flatten)]
    flags: Flags,
    #[command(flatten)]
    pieces: Pieces,
}

#[derive(clap::Args)]
struct DelusionArgs {
    /// A Career scenario with [condition] and [start] sections (file or
    /// built-in name) [default: delusion-gap].
    scenario: Option<String>,
    #[command(flatten)]
    common: Common,
    /// Accounts in the snapshot a viewer sees, overriding delusion.snapshot_trials.
    #[arg(long, allow_negative_numbers = true, value_parser = study::parse_trials)]
    snapshot_trials: Option<u64>,
    #[command(flatten)]
    pieces: Pieces,
}

#[derive(clap::Args)]
struct SweepArgs {
    /// A scenario file (TOML) with a [sweep] section, or the name of a built-in one.
    scenario: String,
    #[command(flatten)]
    common: Common,
    #[command(flatten)]
    pieces: Pieces,
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => return study::usage_error(e),
    };
    let result = match cli.command.unwrap_or(Command::Run(RunArgs::default())) {
        Command::Run(args) => run(args),
        Command::Sweep(args) => sweep(args),
        Command::Merge(args) => merge(args),
        Command::Show(args) => show(args),
        Command::Plot(args) => plot(args),
        Command::Calibrate(args) => study::calibrate(args),
        Command::Compare(args) => compare::compare(args),
        Command::Attribute(args) => attribute(args),
        Command::Delusion(args) => delusion(args),
        Command::Forecast(args) => forecast::forecast(args),
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
    result.map_or_else(Failure::exit_code, |()| ExitCode::SUCCESS)
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

/// `--years`: a cohort's horizon. `--target`: the goal of the scenario, aimed at by importance sampling
/// and compared by the delusion gap (a level named in the file's `[rare]`
/// or `[delusion]` gives way to it), a tier, a follower count or, with
/// `[money]`, an income a year ([`clout::Scenario::aim`]); the flag for `again`.
fn target_override(
    scenario: &mut Scenario,
    study: clout::scenario::StudyKind,
    target: Option<clout::scenario::Target>,
    years: Option<f64>,
) -> Result<String, Failure> {
    let mut again = String::new();
    if let Some(years) = years {
        scenario.follow_for_years(years).map_err(|e| Failure::BadInput(format!("--years: {e}")))?;
        again += &format!(" --years {years}");
    }
    let Some(target) = target else { return Ok(again) };
    target.check_asked_by(study).map_err(|e| Failure::BadInput(format!("--target '{target}': {e}")))?;
    scenario.aim(target).map_err(|e| Failure::BadInput(format!("--target {target}: {e}")))?;
    // An income's `$` is quoted for the shell.
    let shown = match target {
        clout::scenario::Target::Income(_) | clout::scenario::Target::Engaged(_) => format!("'{target}'"),
        clout::scenario::Target::Level(_) => target.to_string(),
    };
    Ok(again + &format!(" --target {shown}"))
}

/// A study of a scenario, its errors as bad input naming `name`.
fn build<S>(name: &str, built: Result<S, clout::error::FieldError>) -> Result<S, Failure> {
    built.map_err(|e| Failure::BadInput(format!("{name}: {e}")))
}

fn run(args: RunArgs) -> Result<(), Failure> {
    let name = args.scenario.unwrap_or_else(|| "default".into());
    let (trials, flags) = (args.common.trials, args.common.flags);
    let mut scenario = load(&name)?;
    let mut again = format!("clout run {name}")
        + &overrides(&mut scenario, trials, flags.seed)
        + &target_override(
            &mut scenario,
            clout::scenario::StudyKind::Run,
            args.common.target,
            args.common.years,
        )?;
    match args.method {
        Some(MethodArg::Brute) => {
            scenario.set_brute();
            again += " --method brute";
        }
        Some(MethodArg::Rare) => {
            scenario.run.method = clout::experiment::rare::Method::Rare;
            again += " --method rare";
        }
        None => {}
    }
    let plain = build(&name, PlainRun::new(&scenario))?;
    let rows = match &args.creators {
        None => None,
        Some(path) => {
            let header = clout::study::creators::header(&plain).map_err(|e| {
                Failure::BadInput(format!("{name}: --creators {}: {}", path.display(), e.allowed))
            })?;
            again += &format!(" --creators {}", rest_of(path).display());
            Some(study::Rows { path: path.clone(), header })
        }
    };
    study::run(&plain, &args.pieces, &flags, rows.as_ref(), &again)
}

/// Where the rows of the rest of an interrupted run go: `NAME-rest.csv`
/// beside `path` (`NAME-rest-2.csv`, ... if taken).
fn rest_of(path: &std::path::Path) -> PathBuf {
    let stem = path.file_stem().map_or("creators".into(), |s| s.to_string_lossy().into_owned());
    let ext = path.extension().map_or("csv".into(), |e| e.to_string_lossy().into_owned());
    (1..)
        .map(|k| {
            let suffix = if k == 1 { String::new() } else { format!("-{k}") };
            path.with_file_name(format!("{stem}-rest{suffix}.{ext}"))
        })
        .find(|p| !p.exists())
        .expect("some name is free")
}

fn sweep(args: SweepArgs) -> Result<(), Failure> {
    let (name, trials, flags) = (args.scenario, args.common.trials, args.common.flags);
    let mut scenario = load(&name)?;
    let again = format!("clout sweep {name}")
        + &overrides(&mut scenario, trials, flags.seed)
        + &target_override(
            &mut scenario,
            clout::scenario::StudyKind::Sweep,
            args.common.target,
            args.common.years,
        )?;
    let sweep = scenario.sweep().map_err(|e| Failure::BadInput(format!("command line: {e}")))?;
    study::run(&sweep, &args.pieces, &flags, None, &again)
}

fn attribute(args: AttributeArgs) -> Result<(), Failure> {
    let name = args.scenario.clone().unwrap_or_else(|| "default".into());
    let mut scenario = load(&name)?;
    let mut again = format!("clout attribute {name}")
        + &overrides(&mut scenario, None, args.flags.seed)
        + &target_override(&mut scenario, clout::scenario::StudyKind::Attribute, args.target, args.years)?;
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
    let attribution = build(&name, Attribution::new(&scenario))?;
    study::run(&attribution, &args.pieces, &args.flags, None, &again)
}

fn delusion(args: DelusionArgs) -> Result<(), Failure> {
    let name = args.scenario.clone().unwrap_or_else(|| "delusion-gap".into());
    let (trials, flags) = (args.common.trials, args.common.flags);
    let mut scenario = load(&name)?;
    let mut again = format!("clout delusion {name}")
        + &overrides(&mut scenario, trials, flags.seed)
        + &target_override(
            &mut scenario,
            clout::scenario::StudyKind::Delusion,
            args.common.target,
            args.common.years,
        )?;
    if let Some(trials) = args.snapshot_trials {
        scenario.delusion = Some(clout::experiment::delusion::DelusionSpec {
            snapshot_trials: trials,
            ..scenario.delusion.unwrap_or_default()
        });
        again += &format!(" --snapshot-trials {trials}");
    }
    let delusion = build(&name, Delusion::new(&scenario))?;
    study::run(&delusion, &args.pieces, &flags, None, &again)
}

/// Calls `$body` with the type `$S` the study whose records have the schema
/// `$schema`, or `$other` when no study has it.
macro_rules! by_schema {
    ($schema:expr, $S:ident => $body:expr, $other:ident => $otherwise:expr) => {
        match $schema.as_deref() {
            Some(PlainRun::SCHEMA) => {
                type $S = PlainRun;
                $body
            }
            Some(clout::scenario::sweep::Sweep::SCHEMA) => {
                type $S = clout::scenario::sweep::Sweep;
                $body
            }
            Some(Attribution::SCHEMA) => {
                type $S = Attribution;
                $body
            }
            Some(Delusion::SCHEMA) => {
                type $S = Delusion;
                $body
            }
            $other => $otherwise,
        }
    };
}

/// What a record file of an unknown schema is told.
fn unknown_schema(path: &std::path::Path, schema: Option<&str>) -> Failure {
    Failure::BadInput(format!(
        "{}: not a clout record of a kind this version reads: schema {schema:?}, expected {:?}, {:?}, {:?}, {:?}, \
         {:?}, {:?} or {:?} (a record from clout run, sweep, attribute, delusion, calibrate, forecast or compare --format json)",
        path.display(),
        PlainRun::SCHEMA,
        clout::scenario::sweep::Sweep::SCHEMA,
        Attribution::SCHEMA,
        Delusion::SCHEMA,
        CalibrationRecord::SCHEMA,
        ForecastRecord::SCHEMA,
        CompareRecord::SCHEMA
    ))
}

fn merge(args: MergeArgs) -> Result<(), Failure> {
    let (files, partial, format, out) = (&args.files, args.partial, args.format, args.out.as_deref());
    study::check_output(out)?;
    let schema = clout::study::files::schema_of(&files[0]).map_err(Failure::from)?;
    if schema.as_deref() == Some(CalibrationRecord::SCHEMA) {
        return study::merge_calibration(files, format, out);
    }
    if schema.as_deref() == Some(CompareRecord::SCHEMA) {
        return Err(Failure::BadInput(format!(
            "{}: a comparison record ({}) is one file, never in pieces: nothing to merge (clout show reads it; \
             finish a stopped one with `clout compare FILE --resume RECORD`)",
            files[0].display(),
            CompareRecord::SCHEMA
        )));
    }
    if schema.as_deref() == Some(ForecastRecord::SCHEMA) {
        return Err(Failure::BadInput(format!(
            "{}: a forecast record ({}) is whole, never in pieces: nothing to merge (clout show reads it)",
            files[0].display(),
            ForecastRecord::SCHEMA
        )));
    }
    by_schema!(schema, S => study::merge::<S>(files, partial, format, out),
        other => Err(unknown_schema(&files[0], other)))
}

fn show(args: ShowArgs) -> Result<(), Failure> {
    let one = std::slice::from_ref(&args.record);
    let format = args.format.verbose(args.verbose);
    let schema = clout::study::files::schema_of(&args.record)?;
    if schema.as_deref() == Some(CalibrationRecord::SCHEMA) {
        return study::merge_calibration(one, format, None);
    }
    if schema.as_deref() == Some(ForecastRecord::SCHEMA) {
        let record = ForecastRecord::read(&args.record)?;
        return study::emit(&record, format, "", None);
    }
    if schema.as_deref() == Some(CompareRecord::SCHEMA) {
        let record = CompareRecord::read(&args.record)?;
        return study::emit(&record, format, "", None);
    }
    by_schema!(schema, S => study::merge::<S>(one, true, format, None),
        other => Err(unknown_schema(&args.record, other)))
}

#[cfg(feature = "plot")]
fn plot(args: PlotArgs) -> Result<(), Failure> {
    use clout::report::plot::Plot;
    use clout::study::files::{read_merged, schema_of};
    let one = std::slice::from_ref(&args.record);
    let schema = schema_of(&args.record)?;
    if schema.as_deref() == Some(CalibrationRecord::SCHEMA) {
        return study::plot_calibration(&args.record, &args.out);
    }
    // The pictures a record's own `plot` wrote, one path a line.
    let written = |drawn: Result<Vec<std::path::PathBuf>, _>| -> Result<(), Failure> {
        let drawn: Vec<std::path::PathBuf> = drawn.map_err(|e: clout::report::plot::PlotError| {
            Failure::BadInput(format!("{}: {e}", args.record.display()))
        })?;
        for file in drawn {
            println!("{}", file.display());
        }
        Ok(())
    };
    if schema.as_deref() == Some(CompareRecord::SCHEMA) {
        return written(CompareRecord::read(&args.record)?.plot(&args.out));
    }
    if schema.as_deref() == Some(ForecastRecord::SCHEMA) {
        return written(ForecastRecord::read(&args.record)?.plot(&args.out));
    }
    // Checked and its report rebuilt from its summary, as a merge of one
    // piece: the stored report is never drawn.
    let written = by_schema!(schema, S => read_merged::<S>(one, true)?.plot(&args.out),
        other => return Err(unknown_schema(&args.record, other)));
    let written = written.map_err(|e| Failure::BadInput(format!("{}: {e}", args.record.display())))?;
    for file in written {
        println!("{}", file.display());
    }
    Ok(())
}

#[cfg(not(feature = "plot"))]
fn plot(_: PlotArgs) -> Result<(), Failure> {
    Err(Failure::BadInput("this clout was built without the `plot` feature".into()))
}
