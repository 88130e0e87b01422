//! Creators files: one CSV row per trial of a Career run, written in trial
//! order while the run proceeds (`clout run --creators FILE.csv`).
//!
//! **A plain run** writes one row per creator
//! ([`crate::CareerModel::row_header`]):
//!
//! ```text
//! trial,talent,effort,entry_day,niche,weight,followers,day_nano,day_micro,day_mid,day_macro,day_mega,active,quit_day
//! ```
//!
//! the trial index, the four traits (clamped to their ranges, as the career
//! ran them), the weight 1, the final followers, the career day each level
//! was first reached (empty if never; one column per level, named from the
//! model's [`crate::model::inputs::Levels`]), whether the creator was still
//! active at the horizon, and the quit day (career days, for those who quit).
//!
//! **A rare-event run** (`method = "rare"`) writes one row per *root*
//! ([`crate::experiment::rare::ImportanceSampler::row_header`]):
//!
//! ```text
//! trial,talent,effort,entry_day,niche,weight,peak_followers,hit_nano,hit_micro,hit_mid,hit_macro,hit_mega
//! ```
//!
//! the root's traits (drawn from the proposal), its weight `f/g`, its peak
//! followers over all its split copies, and per level the weighted share of
//! its copies that reached it (1 or 0 without splitting). The rows are the
//! estimator's terms: a level's estimate is the mean over the rows of
//! `weight * hit`, and its hits are the rows where `hit > 0`.
//!
//! **In order, in bounded memory**: the runner writes each chunk's rows
//! once every earlier chunk's are written ([`RowSink`]), so the file is the
//! same bytes on any number of threads and memory does not grow with the
//! trials.
//!
//! **Bounded**: more than [`MAX_ROWS`] rows is refused unless asked for
//! (`--allow-large`, the flag of the rule for huge work), saying how large
//! the file would be.
//!
//! **Pieces**: a shard writes the rows of its trials; a run stopped by a
//! signal writes the rows of exactly the trials its record holds (a prefix
//! of each range); a resumed run writes the rows of the trials it runs. The
//! pieces' rows, in trial order, are the whole run's rows, byte for byte.

use crate::error::{FieldError, ScenarioError};
use crate::runner::{RowSink, Runner};
use crate::scenario::{RareSetup, Scenario, ScenarioModel};
use crate::study::executor::{self, Shard, Study as _};
use crate::study::run::{PlainRun, RunRecord};
use std::io::Write;
use std::path::Path;

/// The most rows written unless the caller allows more (`--allow-large`).
pub const MAX_ROWS: u64 = 1_000_000;

/// About how many bytes a row takes, for the size rule's estimate: the
/// default scenario's rows average 87 bytes (`clout run --method brute
/// --trials 100000 --creators c.csv`, then `wc -c c.csv`: 8,731,218) and
/// its rare-event rows 101 (`clout run --trials 100000 --creators r.csv`:
/// 10,081,558).
pub const BYTES_PER_ROW: u64 = 100;

/// Why a creators file could not be written.
#[derive(Debug, thiserror::Error)]
pub enum CreatorsError {
    /// The scenario is invalid, or its run has no creators to write.
    #[error(transparent)]
    Scenario(#[from] ScenarioError),
    /// Writing the rows failed (nothing is left at the file's path).
    #[error("{name}: cannot write: {source}")]
    Write {
        /// The file, or `<writer>`.
        name: String,
        /// What the operating system said.
        source: std::io::Error,
    },
}

/// The header line of `study`'s creators rows; an error naming `creators`
/// for a run that has none (not a Career run, a conditional one, or a
/// rare-event run of a given state or another model).
pub fn header(study: &PlainRun) -> Result<String, FieldError> {
    let refused = |what: &str| {
        FieldError::new(
            "creators",
            "(a file)",
            format!("writes the creators of Career runs (brute force or method = \"rare\"), not {what}"),
        )
    };
    match study.model() {
        ScenarioModel::Career(model) => Ok(model.row_header()),
        ScenarioModel::Rare(setup) => match setup.as_ref() {
            RareSetup::Career(sampler) => Ok(sampler.row_header()),
            RareSetup::Given(_) => Err(refused("a rare-event run from a given state ([start])")),
            RareSetup::Gibrat(_) => Err(refused("model = \"gibrat\"")),
        },
        ScenarioModel::Conditional(_) => Err(refused("conditional odds ([start] or [condition])")),
        _ => Err(refused(&format!("model = \"{}\"", study.scenario().model.name()))),
    }
}

/// The size rule for creators files: more than [`MAX_ROWS`] rows is
/// refused, saying how large the file would be, unless `allow_large`.
pub fn check_rows(rows: u64, allow_large: bool) -> Result<(), FieldError> {
    if allow_large || rows <= MAX_ROWS {
        return Ok(());
    }
    let bytes = rows.saturating_mul(BYTES_PER_ROW) as f64;
    let size = match bytes {
        b if b >= 1e12 => format!("{:.1} TB", b / 1e12),
        b if b >= 1e9 => format!("{:.1} GB", b / 1e9),
        b => format!("{:.0} MB", b / 1e6),
    };
    Err(FieldError::new(
        "creators",
        format!("{rows} rows"),
        format!(
            "is more than {MAX_ROWS:e} rows: a file of about {size} at about {BYTES_PER_ROW} bytes a row; \
             allow it with --allow-large"
        ),
    ))
}

/// Runs `run` on a runner that also writes one row per trial to `out`,
/// after `header`: the run's result and the rows written, or the first
/// write error (which also stops the run). `run` gets `runner` with the
/// rows added; it may run, resume or shard any study of the model whose
/// header this is.
pub fn write_rows<T>(
    header: &str,
    out: impl Write + Send,
    runner: &Runner,
    run: impl FnOnce(&Runner) -> T,
) -> std::io::Result<(T, u64)> {
    let sink = RowSink::new(out);
    sink.write_header(header.as_bytes());
    let ran = run(&runner.rows(&sink));
    let rows = sink.finish()?;
    Ok((ran, rows))
}

/// As [`write_rows`], into the file at `path`, atomically: the rows go to
/// a temporary file in the same folder, renamed over `path` when the run
/// returns (finished, or stopped with the rows of the trials done). A
/// failed write leaves `path` as it was.
pub fn write_rows_to<T>(
    path: &Path,
    header: &str,
    runner: &Runner,
    run: impl FnOnce(&Runner) -> T,
) -> std::io::Result<(T, u64)> {
    crate::error::write_atomic_with(path, |file| write_rows(header, file, runner, run))
}

impl Scenario {
    /// Runs shard `shard` of the scenario ([`Shard::WHOLE`]: all of it) as
    /// [`Scenario::run_shard`] does, also writing one CSV row per creator
    /// (per root for `method = "rare"`) to `out` in trial order (module
    /// docs): the record and the rows written. At most [`MAX_ROWS`] rows
    /// unless `allow_large`.
    ///
    /// ```
    /// use clout::{Scenario, study::executor::Shard};
    /// let mut scenario = Scenario::builtin("what-if").unwrap();
    /// scenario.run.trials = 2_000;
    /// let mut csv = Vec::new();
    /// let (record, rows) =
    ///     scenario.run_writing_creators(&clout::Runner::new(1), Shard::WHOLE, &mut csv, false)?;
    /// assert_eq!(rows, 2_000);
    /// let text = String::from_utf8(csv).unwrap();
    /// let reached = text.lines().skip(1).filter(|row| !row.split(',').nth(7).unwrap().is_empty()).count();
    /// assert_eq!(reached as u64, record.career().unwrap().proportion(clout::Tier::Nano).successes);
    /// # Ok::<(), clout::study::creators::CreatorsError>(())
    /// ```
    pub fn run_writing_creators(
        &self,
        runner: &Runner,
        shard: Shard,
        out: impl Write + Send,
        allow_large: bool,
    ) -> Result<(RunRecord, u64), CreatorsError> {
        let (study, header) = self.creators_study(shard, allow_large)?;
        let (record, rows) = write_rows(&header, out, runner, |r| executor::run(&study, r, shard))
            .map_err(|source| CreatorsError::Write { name: "<writer>".into(), source })?;
        Ok((record.map_err(|e| self.invalid(e))?, rows))
    }

    /// As [`Scenario::run_writing_creators`], into the file at `path`,
    /// written atomically ([`write_rows_to`]); the path is checked before
    /// any work.
    pub fn run_writing_creators_to(
        &self,
        runner: &Runner,
        shard: Shard,
        path: &Path,
        allow_large: bool,
    ) -> Result<(RunRecord, u64), CreatorsError> {
        let (study, header) = self.creators_study(shard, allow_large)?;
        let name = path.display().to_string();
        crate::error::check_writable(path)
            .map_err(|source| CreatorsError::Write { name: name.clone(), source })?;
        let (record, rows) = write_rows_to(path, &header, runner, |r| executor::run(&study, r, shard))
            .map_err(|source| CreatorsError::Write { name, source })?;
        Ok((record.map_err(|e| self.invalid(e))?, rows))
    }

    /// The plain run of this scenario and its rows' header, checked: a
    /// Career run, its shard's rows within the size rule.
    fn creators_study(&self, shard: Shard, allow_large: bool) -> Result<(PlainRun, String), CreatorsError> {
        let study = PlainRun::new(self).map_err(|e| self.invalid(e))?;
        let header = header(&study).map_err(|e| self.invalid(e))?;
        let rows = study.parts().iter().map(|p| shard.range(p.trials)).map(|r| r.end - r.start).sum();
        check_rows(rows, allow_large).map_err(|e| self.invalid(e))?;
        Ok((study, header))
    }

    /// A field error of this scenario, named by its source.
    fn invalid(&self, error: FieldError) -> ScenarioError {
        ScenarioError::Invalid { source_name: self.source_label(), error }
    }
}
