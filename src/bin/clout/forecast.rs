//! `clout forecast HISTORY.csv`: a creator's own history in, their chances out.

use crate::study::{Failure, Flags, emit};
use clout::experiment::forecast::history::{HistoryOptions, parse_date};
use clout::experiment::forecast::{ForecastSpec, Known};
use clout::study::forecast::{ForecastRecord, read_history};
use std::path::PathBuf;

/// The arguments of `clout forecast`.
#[derive(clap::Args)]
pub struct ForecastArgs {
    /// The history: a CSV with a header `day,followers` (career days since
    /// the first post; or `date,followers` with --started), counts as the
    /// platform shows them (9874, 10.2k, 1.5M), optionally `posts_per_week`.
    history: PathBuf,
    /// The scenario whose model reads the history (file or built-in name) [default: default].
    #[arg(long)]
    scenario: Option<String>,
    /// Years to forecast after the last row (0.1 to 100).
    #[arg(long, default_value_t = 3.0, value_parser = crate::study::parse_years)]
    years: f64,
    /// A level to ask about besides the tiers: a tier (macro) or any follower count (100k).
    #[arg(long, value_parser = clout::tier::Goal::parse)]
    target: Option<clout::tier::Goal>,
    /// The creator's first day (YYYY-MM-DD), for a history of dates.
    #[arg(long)]
    started: Option<String>,
    /// The platform's age in days on the creator's first day (fixes the
    /// entry day; otherwise the scenario's population gives it).
    #[arg(long)]
    platform_day: Option<f64>,
    /// Particles per replicate of the sampler (20 to 100000).
    #[arg(long, default_value_t = ForecastSpec::default().particles)]
    particles: usize,
    /// Independent replicates of the sampler (2 to 64): their spread is the Monte Carlo error.
    #[arg(long, default_value_t = ForecastSpec::default().replicates)]
    replicates: usize,
    /// The noise of a shown count on the log scale (0.001 to 2): an assumption.
    #[arg(long, default_value_t = ForecastSpec::default().noise)]
    noise: f64,
    /// Also draw forecast.svg into this folder.
    #[arg(long, value_name = "DIR")]
    plot: Option<PathBuf>,
    #[command(flatten)]
    flags: Flags,
}

/// Runs `clout forecast`.
pub fn forecast(args: ForecastArgs) -> Result<(), Failure> {
    let flags = &args.flags;
    crate::study::check_output(flags.out.as_deref())?;
    let name = args.scenario.clone().unwrap_or_else(|| "default".into());
    let mut scenario = crate::load(&name)?;
    if let Some(goal) = args.target {
        scenario.tiers.get_or_insert_default().goal = goal;
    }
    let started = match &args.started {
        None => None,
        Some(text) => Some(parse_date(text).ok_or_else(|| {
            Failure::BadInput(format!("command line: --started = {text:?}: must be a date YYYY-MM-DD"))
        })?),
    };
    let file = args.history.display().to_string();
    let history = read_history(&args.history, HistoryOptions { started })
        .map_err(|e| Failure::BadInput(e.to_string()))?;
    let known = Known { effort: history.posts_per_week, entry_day: args.platform_day };
    let spec = ForecastSpec {
        particles: args.particles,
        replicates: args.replicates,
        noise: args.noise,
        years: args.years,
        seed: flags.seed.unwrap_or(scenario.run.seed),
        ..ForecastSpec::default()
    };
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(usize::from(flags.threads))
        .build()
        .map_err(|e| Failure::BadInput(format!("command line: --threads: {e}")))?;
    let started_at = std::time::Instant::now();
    let record = pool
        .install(|| ForecastRecord::run(&scenario, &file, history, known, spec))
        .map_err(|e| Failure::BadInput(format!("{file}: {e}")))?;
    let timing = format!("{:.1} s\n", started_at.elapsed().as_secs_f64());
    if let Some(dir) = &args.plot {
        plot(&record, dir)?;
    }
    emit(&record, flags.format, &timing, flags.out.as_deref())
}

#[cfg(feature = "plot")]
fn plot(record: &ForecastRecord, dir: &std::path::Path) -> Result<(), Failure> {
    use clout::report::plot::Plot;
    match record.plot(dir) {
        Ok(files) => {
            for file in files {
                eprintln!("{}", file.display());
            }
            Ok(())
        }
        Err(e) => Err(Failure::Output(e.to_string())),
    }
}

#[cfg(not(feature = "plot"))]
fn plot(_: &ForecastRecord, _: &std::path::Path) -> Result<(), Failure> {
    Err(Failure::BadInput("this clout was built without the `plot` feature".into()))
}
