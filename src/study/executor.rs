//! The executor: every study runs on it into one generic [`Record`].
//!
//! A [`Study`] is a resolved scenario turned into named *parts*, each a
//! [`Model`] run over trials `0..n` on its own seed, whose summaries merge
//! exactly. The executor owns what every study needs and none writes for
//! itself:
//!
//! * **shards**: shard `k` of `n` runs trials `[k N / n, (k + 1) N / n)` of
//!   every part of `N` trials ([`Shard`]);
//! * **interruption**: when the runner's stop flag rises (SIGINT, SIGTERM),
//!   every part stops at a chunk boundary and the record holds the prefix
//!   done, marked `interrupted`, with its `coverage`;
//! * **resume**: [`resume`] runs exactly the trials a record lacks;
//! * **merges**: [`merge`] joins records of pieces of one run, checking
//!   that they are pieces of the same run and hold disjoint trials; when
//!   they hold every trial the result is the whole run's record, byte for
//!   byte, because a report is a function of the merged summary alone.
//!
//! Every piece read back is checked (schema, version, seed, scenario,
//! coverage against the summary's counts, the summary's shape against the
//! study's) before it is merged, so a damaged or foreign file is an error
//! naming it, never a panic or a silently wrong answer.

use crate::error::bounded::{at_most, at_most_optional};
use crate::error::{FieldError, ScenarioError, one_line};
use crate::model::Model;
use crate::runner::Runner;
use crate::scenario::Scenario;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use std::fmt::Debug;
use std::ops::Range;

/// The most ranges of trials a record's coverage lists for a part (a
/// million: far more than the pieces any run is split into); a record read
/// back with more is refused as it is read.
pub const MAX_RANGES: usize = 1 << 20;

/// The most parts a study has (attribution and the delusion gap have
/// three): a record's coverage lists at most this many.
pub const MAX_PARTS: usize = 16;

/// One of `count` equal shards of a run's trials (0-based `index`): shard `k`
/// of `n` runs trials `[k N / n, (k + 1) N / n)` of each part of `N` trials,
/// so the shards of any `n` partition the trials exactly.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shard {
    /// Which shard, `0 <= index < count`.
    pub index: u64,
    /// How many shards.
    pub count: u64,
}

impl Shard {
    /// The whole run as one shard.
    pub const WHOLE: Shard = Shard { index: 0, count: 1 };

    /// Parses `K/N` (0-based `K`), checking `K < N` and `N <= trials`.
    pub fn parse(text: &str, trials: u64) -> Result<Shard, String> {
        let (k, n) = text.split_once('/').ok_or_else(|| format!("--shard {text}: must be K/N, e.g. 0/4"))?;
        let number = |s: &str| {
            s.trim().parse::<u64>().map_err(|_| format!("--shard {text}: K and N must be whole numbers"))
        };
        let (index, count) = (number(k)?, number(n)?);
        if count == 0 || index >= count {
            return Err(format!("--shard {text}: need 0 <= K < N (shards are numbered from 0)"));
        }
        if count > trials {
            return Err(format!(
                "--shard {text}: N must be at most the {trials} trials, so no shard is empty"
            ));
        }
        Ok(Shard { index, count })
    }

    /// This shard's trial indices in a run of `trials` trials.
    pub fn range(&self, trials: u64) -> Range<u64> {
        let at = |k: u64| (u128::from(k) * u128::from(trials) / u128::from(self.count)) as u64;
        at(self.index)..at(self.index + 1)
    }
}

/// The trials of one part of a run that a record holds. A plain run has one
/// part, `trials`; a conditional run has `creators_like_you` and/or
/// `given_state`, each with its own trial count.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PartTrials {
    /// The part's name.
    pub part: String,
    /// How many trials the part has in the whole run.
    pub of: u64,
    /// The trial indices held, as `[start, end)` pairs, increasing, disjoint
    /// and not touching; at most [`MAX_RANGES`].
    #[serde(deserialize_with = "at_most_ranges")]
    pub ranges: Vec<[u64; 2]>,
}

/// A part's ranges, at most [`MAX_RANGES`] ([`at_most`]).
fn at_most_ranges<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Vec<[u64; 2]>, D::Error> {
    at_most(deserializer, MAX_RANGES, "coverage.ranges")
}

/// A record's coverage, at most [`MAX_PARTS`] parts ([`at_most_optional`]).
fn at_most_parts<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<Vec<PartTrials>>, D::Error> {
    at_most_optional(deserializer, MAX_PARTS, "coverage")
}

impl PartTrials {
    /// The ranges as `start..end`.
    pub fn ranges(&self) -> Vec<Range<u64>> {
        self.ranges.iter().map(|&[a, b]| a..b).collect()
    }

    /// Trials held.
    pub fn held(&self) -> u64 {
        self.ranges.iter().map(|[a, b]| b.saturating_sub(*a)).sum()
    }
}

/// `ranges` sorted, with touching ranges joined and empty ones dropped.
pub(crate) fn coalesce(mut ranges: Vec<Range<u64>>) -> Vec<Range<u64>> {
    ranges.retain(|r| r.start < r.end);
    ranges.sort_by_key(|r| r.start);
    let mut out: Vec<Range<u64>> = Vec::with_capacity(ranges.len());
    for r in ranges {
        match out.last_mut() {
            Some(last) if last.end >= r.start => last.end = last.end.max(r.end),
            _ => out.push(r),
        }
    }
    out
}

/// The parts of `want` not in `held` (both increasing and disjoint).
pub(crate) fn subtract(want: &[Range<u64>], held: &[Range<u64>]) -> Vec<Range<u64>> {
    let mut out = Vec::new();
    for w in want {
        let mut at = w.start;
        for h in held.iter().filter(|h| h.end > w.start && h.start < w.end) {
            if h.start > at {
                out.push(at..h.start);
            }
            at = at.max(h.end);
        }
        if at < w.end {
            out.push(at..w.end);
        }
    }
    out
}

/// `[a, b)` ranges in words, the first few of them.
pub(crate) fn describe(ranges: &[Range<u64>]) -> String {
    let mut words: Vec<String> = ranges.iter().take(3).map(|r| format!("[{}, {})", r.start, r.end)).collect();
    if ranges.len() > 3 {
        words.push(format!("and {} more", ranges.len() - 3));
    }
    words.join(", ")
}

/// Why records cannot be merged. Each names the files (or record numbers)
/// involved and says what differs.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MergeError {
    /// Nothing to merge.
    #[error("no records to merge")]
    Empty,
    /// Records of different runs.
    #[error(
        "{} and {} are not parts of the same run: their {what} differ{}",
        one_line(.first),
        one_line(.other),
        one_line(.detail)
    )]
    Mismatch {
        /// The first record's name.
        first: String,
        /// The differing record's name.
        other: String,
        /// What differs: scenario, seed, clout version, model, schema.
        what: String,
        /// The two values, where short.
        detail: String,
    },
    /// The same trials twice.
    #[error(
        "{} and {} both hold {}trials [{start}, {end}) (overlapping records)",
        one_line(.first),
        one_line(.other),
        one_line(.part)
    )]
    Overlap {
        /// The part, with a colon and space, or empty for a plain run.
        part: String,
        /// First trial held twice.
        start: u64,
        /// End of the trials held twice.
        end: u64,
        /// One record holding them.
        first: String,
        /// The other.
        other: String,
    },
    /// Trials missing, and no partial merge was asked for (`missing` reads
    /// "trials [0, 1000) of 4000 are missing").
    #[error("{} (a gap): merge them too, or ask for a partial merge", one_line(.missing))]
    Gap {
        /// The missing trials, in words.
        missing: String,
    },
    /// The records do not fit together (a damaged or edited file).
    #[error("{}: its summary does not fit the others: {}", one_line(.name), one_line(.reason))]
    Inconsistent {
        /// The record's name.
        name: String,
        /// What is wrong.
        reason: String,
    },
}

/// One part of a study: its name (in records and errors), its number of
/// trials, and the seed of its streams.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Part {
    /// The part's name, e.g. `sobol`, `replays`.
    pub name: &'static str,
    /// Trials in the whole run.
    pub trials: u64,
}

/// What running some ranges of one part did.
#[derive(Debug, Clone, Default)]
pub struct PartRun {
    /// The ranges run (a prefix of those asked for when stopped).
    pub done: Vec<Range<u64>>,
    /// Simulated time (creator-days for careers).
    pub work: u64,
}

/// Runs `ranges` of `model` on `runner` into `summary`: the body of most
/// [`Study::run_part`]s.
pub fn run_model<M: Model>(
    runner: &Runner,
    model: &M,
    ranges: &[Range<u64>],
    offset: &mut u64,
    summary: &mut M::Summary,
) -> PartRun {
    use crate::model::Summary as _;
    let out = runner.run_ranges(model, ranges, offset);
    match out.summary {
        // Moved, not merged into a copy: an empty summary merged with `s`
        // is `s` (the `Summary` contract), and a sweep's is large.
        Some(s) if summary.trials() == 0 => *summary = s,
        Some(s) => summary.merge(&s),
        None => {}
    }
    PartRun { done: out.done, work: out.work }
}

/// The most careers a command runs unless told it may run more
/// (`--allow-large`): 1e9, about three hours on two cores at
/// [`MICROSECONDS_PER_CAREER`].
pub const MAX_CAREERS: u64 = 1_000_000_000;

/// One thread's time for one career, rounded up from docs/PERFORMANCE.md's
/// measurements (16-27 us for the Career scenarios, one thread): the rate
/// the size rule's time estimate uses.
pub const MICROSECONDS_PER_CAREER: f64 = 25.0;

/// The one rule for huge work, in every command: more than [`MAX_CAREERS`]
/// careers is refused, with how long it would take on `threads` threads,
/// unless `allow_large`. `what` names the work (e.g. `"sweep"`), `careers`
/// its size.
pub fn check_size(what: &str, careers: u64, threads: usize, allow_large: bool) -> Result<(), FieldError> {
    if allow_large || careers <= MAX_CAREERS {
        return Ok(());
    }
    let hours = careers as f64 * MICROSECONDS_PER_CAREER * 1e-6 / threads.max(1) as f64 / 3600.0;
    let time = if hours < 48.0 { format!("{hours:.0} hours") } else { format!("{:.0} days", hours / 24.0) };
    Err(FieldError::new(
        what,
        format!("{careers:e} careers"),
        format!(
            "is more than {MAX_CAREERS:e} careers: about {time} on {threads} thread(s) at \
             {MICROSECONDS_PER_CAREER} us a career (docs/PERFORMANCE.md); allow it with --allow-large"
        ),
    ))
}

/// A scenario turned into parts that the executor runs into a [`Record`].
///
/// Contract: `report` reads only the summary (and the study's settings),
/// and `merge` is exact, so the record merged from any pieces equals the
/// whole run's; `check` refuses a summary of another shape (a damaged or
/// foreign file) so that `merge` never meets one.
pub trait Study: Sync + Sized {
    /// The schema identifier of the study's records, e.g. `clout.attribution/4`.
    const SCHEMA: &'static str;
    /// What the study is called in messages (`run`, `sweep`, `attribution`).
    const NAME: &'static str;
    /// What the study reports.
    type Report: Debug + Clone + PartialEq + Serialize + DeserializeOwned;
    /// The mergeable statistics of all its parts.
    type Summary: Debug + Clone + PartialEq + Serialize + DeserializeOwned;

    /// The study of a scenario (validated): how a record's own scenario is
    /// turned back into its study to resume or merge it.
    fn from_scenario(scenario: &Scenario) -> Result<Self, FieldError>;
    /// The scenario it runs, every default filled in (its seed is replaced
    /// by the runner's in records).
    fn scenario(&self) -> &Scenario;
    /// The parts, in the order they run. Part `k` draws from stream
    /// domain `k` ([`crate::random`]): trial `i` of it from the keys
    /// `(seed, k, i, ...)`, so no two parts share a stream, and the first
    /// part's keys are a plain run's.
    fn parts(&self) -> Vec<Part>;
    /// A summary of no trial of any part.
    fn empty(&self) -> Self::Summary;
    /// Runs `ranges` of part `k` (the runner has the part's seed) into `summary`.
    fn run_part(
        &self,
        k: usize,
        runner: &Runner,
        ranges: &[Range<u64>],
        offset: &mut u64,
        summary: &mut Self::Summary,
    ) -> PartRun;
    /// Trials of part `k` that `summary` holds.
    fn held(&self, summary: &Self::Summary, k: usize) -> u64;
    /// Why `summary` cannot be this study's (another shape), if it cannot.
    fn check(&self, summary: &Self::Summary) -> Result<(), String>;
    /// Adds `other` (checked) to `into`.
    fn merge(&self, into: &mut Self::Summary, other: &Self::Summary);
    /// The report of a summary.
    fn report(&self, summary: &Self::Summary) -> Self::Report;

    /// Careers the whole study simulates (for the size rule,
    /// [`check_size`]); by default one per trial of every part.
    fn careers(&self) -> u64 {
        self.parts().iter().fold(0u64, |a, p| a.saturating_add(p.trials))
    }

    /// The whole run on `runner` (its seed, threads, progress, stop flag).
    fn run_whole(&self, runner: &Runner) -> RecordOf<Self> {
        run(self, runner, Shard::WHOLE).expect("the whole run is one shard of every part")
    }
}

/// A study's record: what ran (schema, version, seed, scenario), what it
/// found, and the mergeable statistics it was found from. One layout for
/// every study (`clout run` keeps its own [`crate::RunRecord`] for now).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Record<R, S> {
    /// Schema identifier of this JSON document ([`Study::SCHEMA`]).
    pub schema: String,
    /// Version of clout that produced it.
    pub clout_version: String,
    /// The seed of the random streams.
    pub seed: u64,
    /// The scenario, every default filled in.
    pub scenario: Scenario,
    /// Simulated time of the trials held (creator-days for careers).
    pub work: u64,
    /// What the study found. Never read from a file: a record read back
    /// has none until [`merge`] (of it alone, or with other pieces)
    /// recomputes it from the checked summary, so a report cannot disagree
    /// with its statistics (and a piece's report, whose estimates over few
    /// trials may be undefined, need not be representable in JSON).
    #[serde(default = "no_report", skip_serializing_if = "Option::is_none", deserialize_with = "ignored")]
    pub report: Option<R>,
    /// The statistics the report was computed from, mergeable with those of
    /// other pieces of the same run.
    pub summary: S,
    /// The trials of each part held, when not the whole run (a shard, an
    /// interrupted run, a partial merge); absent for a whole run. A study
    /// has at most [`MAX_PARTS`] parts.
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "at_most_parts")]
    pub coverage: Option<Vec<PartTrials>>,
    /// Stopped (SIGINT or SIGTERM) before holding every trial asked for.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub interrupted: bool,
}

/// No report (see [`Record::report`]).
fn no_report<R>() -> Option<R> {
    None
}

/// Reads a field's value and drops it (see [`Record::report`]).
fn ignored<'de, D: serde::Deserializer<'de>, R>(deserializer: D) -> Result<Option<R>, D::Error> {
    serde::de::IgnoredAny::deserialize(deserializer)?;
    Ok(None)
}

/// The record type of a study.
pub type RecordOf<S> = Record<<S as Study>::Report, <S as Study>::Summary>;

impl<R, S> Record<R, S> {
    /// The fields that say which run it belongs to.
    pub(crate) fn header(&self) -> Header<'_> {
        Header {
            schema: &self.schema,
            clout_version: &self.clout_version,
            seed: self.seed,
            scenario: &self.scenario,
        }
    }

    /// The trials held, in words (`sobol: trials [0, 5120) of 100000; ...`),
    /// or `None` for a whole run.
    pub fn coverage_in_words(&self) -> Option<String> {
        coverage_in_words(self.coverage.as_deref())
    }
}

/// The trials held by `coverage`, in words, or `None` for a whole run.
pub(crate) fn coverage_in_words(coverage: Option<&[PartTrials]>) -> Option<String> {
    let coverage = coverage?;
    let words: Vec<String> = coverage
        .iter()
        .map(|p| {
            let part = if coverage.len() > 1 { format!("{}: ", p.part) } else { String::new() };
            let ranges = p.ranges();
            let held = if ranges.is_empty() {
                "no trials".to_string()
            } else {
                format!("trials {}", describe(&ranges))
            };
            format!("{part}{held} of {}", p.of)
        })
        .collect();
    Some(words.join("; "))
}

/// The parts as `(name, trials)`.
fn named(parts: &[Part]) -> Vec<(&'static str, u64)> {
    parts.iter().map(|p| (p.name, p.trials)).collect()
}

/// Checks that every part's shard of `shard.count` holds a trial.
fn check_shard(parts: &[Part], shard: Shard) -> Result<(), FieldError> {
    let fewest = parts.iter().map(|p| p.trials).min().unwrap_or(1);
    if shard.count == 0 || shard.index >= shard.count || shard.count > fewest {
        return Err(FieldError::new(
            "shard",
            format!("{}/{}", shard.index, shard.count),
            format!("must be K/N with 0 <= K < N <= {fewest}, the fewest trials of any part of the run"),
        ));
    }
    Ok(())
}

/// Runs shard `shard` ([`Shard::WHOLE`] for the whole run) of `study` with
/// `runner` (its seed, threads, progress and stop flag).
pub fn run<S: Study>(study: &S, runner: &Runner, shard: Shard) -> Result<RecordOf<S>, FieldError> {
    let parts = study.parts();
    check_shard(&parts, shard)?;
    let want: Vec<Vec<Range<u64>>> = parts.iter().map(|p| vec![shard.range(p.trials)]).collect();
    Ok(run_ranges(study, runner, &parts, &want))
}

/// Runs the trials of shard `shard` that `done` (a record of an
/// interrupted run of this study and seed, perhaps merged from several)
/// lacks; [`merge`] of `done` and the result is the record of the shard run
/// uninterrupted. `done_name` (a file name) labels errors: a record of
/// another run, one that holds no trial of the shard, or one that holds all.
pub fn resume<S: Study>(
    study: &S,
    runner: &Runner,
    shard: Shard,
    done: &RecordOf<S>,
    done_name: &str,
) -> Result<RecordOf<S>, ScenarioError> {
    let parts = study.parts();
    let invalid = |error| ScenarioError::Invalid { source_name: done_name.to_string(), error };
    check_shard(&parts, shard).map_err(invalid)?;
    let mut ours = study.scenario().clone();
    ours.run.seed = runner.seed();
    same_run(done.header(), S::SCHEMA, runner.seed(), &ours).map_err(invalid)?;
    study
        .check(&done.summary)
        .map_err(|reason| invalid(FieldError::new("summary", "(the statistics)", reason)))?;
    let named = named(&parts);
    let held = held_ranges(done.coverage.as_deref(), &named, |k| study.held(&done.summary, k))
        .map_err(|reason| invalid(FieldError::new("coverage", "(the trials held)", reason)))?;
    let rest = rest_of_shard(&named, shard, &held).map_err(invalid)?;
    Ok(run_ranges(study, runner, &parts, &rest))
}

/// Runs `want[k]` of each part `k` in order and records what was done: all
/// of it, or (if the runner's stop flag rose) a prefix, marked interrupted.
fn run_ranges<S: Study>(study: &S, runner: &Runner, parts: &[Part], want: &[Vec<Range<u64>>]) -> RecordOf<S> {
    let mut summary = study.empty();
    let (mut offset, mut work) = (0, 0);
    let mut done = Vec::with_capacity(parts.len());
    for (k, ranges) in want.iter().enumerate() {
        let ran = study.run_part(k, &runner.in_domain(k as u64), ranges, &mut offset, &mut summary);
        work += ran.work;
        done.push(ran.done);
    }
    let mut scenario = study.scenario().clone();
    scenario.run.seed = runner.seed();
    let whole = parts.iter().zip(&done).all(|(p, d)| d.len() == 1 && d[0] == (0..p.trials));
    Record {
        schema: S::SCHEMA.to_string(),
        clout_version: env!("CARGO_PKG_VERSION").to_string(),
        seed: runner.seed(),
        scenario,
        work,
        report: Some(study.report(&summary)),
        summary,
        coverage: (!whole).then(|| coverage(&named(parts), &done)),
        interrupted: done.as_slice() != want,
    }
}

/// Merges records of pieces of one run of a study: shards, interrupted runs
/// and their rests, partial merges (`names` label them in errors). They
/// must share the schema, clout version, seed and scenario and hold
/// disjoint trials; with every trial present the result is exactly the
/// record of the whole run, byte for byte; with some missing it is an error
/// unless `allow_partial`, which gives a record of the trials present.
pub fn merge<S: Study>(
    records: &[RecordOf<S>],
    names: &[String],
    allow_partial: bool,
) -> Result<RecordOf<S>, MergeError> {
    let first = records.first().ok_or(MergeError::Empty)?;
    let name = |i: usize| names.get(i).cloned().unwrap_or_else(|| format!("record {}", i + 1));
    let headers: Vec<Header> = records.iter().map(Record::header).collect();
    same_pieces(&headers, &name, S::SCHEMA)?;
    let study = S::from_scenario(&first.scenario)
        .map_err(|e| MergeError::Inconsistent { name: name(0), reason: format!("its scenario: {e}") })?;
    let parts = study.parts();
    let named = named(&parts);
    let mut held = Vec::with_capacity(records.len());
    for (i, r) in records.iter().enumerate() {
        study.check(&r.summary).map_err(|reason| MergeError::Inconsistent { name: name(i), reason })?;
        let own = held_ranges(r.coverage.as_deref(), &named, |k| study.held(&r.summary, k))
            .map_err(|reason| MergeError::Inconsistent { name: name(i), reason })?;
        held.push(own);
    }
    let (present, missing) = union_of_pieces(&named, &held, &name, allow_partial)?;
    let mut summary = first.summary.clone();
    for r in &records[1..] {
        study.merge(&mut summary, &r.summary);
    }
    Ok(Record {
        schema: first.schema.clone(),
        clout_version: first.clout_version.clone(),
        seed: first.seed,
        scenario: first.scenario.clone(),
        work: records.iter().map(|r| r.work).sum(),
        report: Some(study.report(&summary)),
        summary,
        coverage: missing.then(|| coverage(&named, &present)),
        interrupted: false,
    })
}

/// The fields that say which run a record belongs to.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Header<'a> {
    /// Its schema.
    pub schema: &'a str,
    /// The clout version that wrote it.
    pub clout_version: &'a str,
    /// Its seed.
    pub seed: u64,
    /// Its resolved scenario.
    pub scenario: &'a Scenario,
}

/// Checks that `done` is a record of the run being resumed: the schema,
/// this clout's version, the seed and the resolved scenario `ours`.
pub(crate) fn same_run(done: Header, schema: &str, seed: u64, ours: &Scenario) -> Result<(), FieldError> {
    let version = env!("CARGO_PKG_VERSION");
    if done.schema != schema {
        return Err(FieldError::new("schema", done.schema, format!("must be {schema:?}")));
    }
    if done.clout_version != version {
        return Err(FieldError::new(
            "clout_version",
            done.clout_version,
            format!("must be {version}, the version resuming it (resume with the version that ran it)"),
        ));
    }
    if done.seed != seed {
        return Err(FieldError::new(
            "seed",
            done.seed,
            format!("must be this run's seed {seed}: resume with the interrupted run's --seed"),
        ));
    }
    crate::error::must_equal(
        "scenario",
        format!("{:?}", done.scenario.name),
        ours,
        done.scenario,
        "must be the scenario being run, field for field (the same file, the same --trials)",
    )
}

/// Checks that records are pieces of one run (the schema `schema`, one
/// clout version, this one's, one seed, one scenario).
pub(crate) fn same_pieces(
    headers: &[Header],
    name: &dyn Fn(usize) -> String,
    schema: &str,
) -> Result<(), MergeError> {
    let first = headers.first().ok_or(MergeError::Empty)?;
    for (i, r) in headers.iter().enumerate() {
        let mismatch = |what: &str, a: String, b: String| MergeError::Mismatch {
            first: name(0),
            other: name(i),
            what: what.to_string(),
            detail: if a.len() + b.len() < 80 { format!(" ({a} against {b})") } else { String::new() },
        };
        if r.schema != first.schema {
            return Err(mismatch("schemas", first.schema.into(), r.schema.into()));
        }
        if r.clout_version != first.clout_version {
            return Err(mismatch("clout versions", first.clout_version.into(), r.clout_version.into()));
        }
        if r.seed != first.seed {
            return Err(mismatch("seeds", first.seed.to_string(), r.seed.to_string()));
        }
        if r.scenario != first.scenario {
            return Err(mismatch("scenarios", first.scenario.name.clone(), r.scenario.name.clone()));
        }
    }
    if first.schema != schema {
        return Err(MergeError::Inconsistent {
            name: name(0),
            reason: format!("its schema is {:?}, not {schema:?}", first.schema),
        });
    }
    let ours = env!("CARGO_PKG_VERSION");
    if first.clout_version != ours {
        return Err(MergeError::Mismatch {
            first: name(0),
            other: format!("this clout ({ours})"),
            what: "clout versions".into(),
            detail: format!(
                " ({} against {ours}): merge with the version that ran the pieces",
                first.clout_version
            ),
        });
    }
    Ok(())
}

/// The trials a record holds of each of `parts`, checked: the coverage
/// must list those parts, each range non-empty, within the part, increasing
/// and apart, and `count(k)` (the summary's trials of part `k`) must equal
/// the trials of its ranges. No coverage means the whole run.
pub(crate) fn held_ranges(
    coverage: Option<&[PartTrials]>,
    parts: &[(&'static str, u64)],
    count: impl Fn(usize) -> u64,
) -> Result<Vec<Vec<Range<u64>>>, String> {
    let held: Vec<Vec<Range<u64>>> = match coverage {
        None => parts.iter().map(|&(_, of)| std::iter::once(0..of).collect()).collect(),
        Some(coverage) => {
            let names: Vec<&str> = coverage.iter().map(|p| p.part.as_str()).collect();
            let expected: Vec<&str> = parts.iter().map(|p| p.0).collect();
            if names != expected {
                return Err(format!("its coverage lists parts {names:?}, the scenario has {expected:?}"));
            }
            let mut held = Vec::new();
            for (p, &(name, of)) in coverage.iter().zip(parts) {
                if p.of != of {
                    return Err(format!("part {name} of {} trials, the scenario has {of}", p.of));
                }
                let ranges = p.ranges();
                let ordered = ranges.iter().all(|r| r.start < r.end && r.end <= of)
                    && ranges.windows(2).all(|w| w[0].end < w[1].start);
                if !ordered {
                    return Err(format!(
                        "part {name}: ranges must be non-empty, within [0, {of}), increasing and apart"
                    ));
                }
                held.push(ranges);
            }
            held
        }
    };
    for (k, (&(name, _), ranges)) in parts.iter().zip(&held).enumerate() {
        let trials: u64 = ranges.iter().map(|r| r.end - r.start).sum();
        if count(k) != trials {
            return Err(format!("part {name}: its summary holds {} trials, its coverage {trials}", count(k)));
        }
    }
    Ok(held)
}

/// The ranges of shard `shard` of each part that `held` lacks; an error
/// when it lacks all (the record is of another shard) or none.
pub(crate) fn rest_of_shard(
    parts: &[(&'static str, u64)],
    shard: Shard,
    held: &[Vec<Range<u64>>],
) -> Result<Vec<Vec<Range<u64>>>, FieldError> {
    let want: Vec<Vec<Range<u64>>> = parts.iter().map(|&(_, of)| vec![shard.range(of)]).collect();
    let rest: Vec<Vec<Range<u64>>> = want.iter().zip(held).map(|(w, h)| subtract(w, h)).collect();
    let shard_words = if shard == Shard::WHOLE {
        "the run".to_string()
    } else {
        format!("shard {}/{}", shard.index, shard.count)
    };
    if rest.iter().all(Vec::is_empty) {
        return Err(FieldError::new(
            "coverage",
            "(the trials held)",
            format!("already holds every trial of {shard_words}: nothing to resume"),
        ));
    }
    if rest == want {
        return Err(FieldError::new(
            "coverage",
            "(the trials held)",
            format!("holds no trial of {shard_words}: resume with the interrupted run's --shard"),
        ));
    }
    Ok(rest)
}

/// Ranges of trials, part by part.
type PartRanges = Vec<Vec<Range<u64>>>;

/// The union of the pieces' trials, part by part, and whether some are
/// missing: an error on an overlap, and on a gap unless `allow_partial`.
pub(crate) fn union_of_pieces(
    parts: &[(&'static str, u64)],
    held: &[Vec<Vec<Range<u64>>>],
    name: &dyn Fn(usize) -> String,
    allow_partial: bool,
) -> Result<(PartRanges, bool), MergeError> {
    let label = |k: usize| if parts.len() > 1 { format!("{}: ", parts[k].0) } else { String::new() };
    let mut missing = Vec::new();
    let mut present = Vec::new();
    for k in 0..parts.len() {
        let mut all: Vec<(Range<u64>, usize)> =
            held.iter().enumerate().flat_map(|(i, h)| h[k].iter().map(move |r| (r.clone(), i))).collect();
        all.sort_by_key(|(r, _)| r.start);
        for pair in all.windows(2) {
            let ((a, i), (b, j)) = (&pair[0], &pair[1]);
            if a.end > b.start {
                return Err(MergeError::Overlap {
                    part: label(k),
                    start: b.start,
                    end: a.end.min(b.end),
                    first: name(*i),
                    other: name(*j),
                });
            }
        }
        let union = coalesce(all.into_iter().map(|(r, _)| r).collect());
        let gaps = subtract(std::slice::from_ref(&(0..parts[k].1)), &union);
        if !gaps.is_empty() {
            missing.push(format!("{}trials {} of {}", label(k), describe(&gaps), parts[k].1));
        }
        present.push(union);
    }
    if !missing.is_empty() && !allow_partial {
        return Err(MergeError::Gap { missing: format!("{} are missing", missing.join("; ")) });
    }
    Ok((present, !missing.is_empty()))
}

/// The coverage of `done` of each of `parts`.
pub(crate) fn coverage(parts: &[(&'static str, u64)], done: &[Vec<Range<u64>>]) -> Vec<PartTrials> {
    parts
        .iter()
        .zip(done)
        .map(|(&(part, of), ranges)| PartTrials {
            part: part.to_string(),
            of,
            ranges: ranges.iter().map(|r| [r.start, r.end]).collect(),
        })
        .collect()
}
