//! Running a scenario: a [`Scenario`] in, a [`RunRecord`] out.
//!
//! A record carries everything needed to reproduce and read a run: the crate
//! version, the full resolved scenario, the seed and trial range, the report,
//! and the mergeable summary the report was computed from (so records of
//! trial ranges can be merged later into the record of the whole run).
//! Its JSON schema is documented in the README ("Output") and identified by
//! [`RunRecord::SCHEMA`]. Fields are only ever added within one schema version.

use crate::error::ScenarioError;
use crate::experiment::conditional::{ConditionalReport, ConditionalSummary};
use crate::model::Model;
use crate::model::career::{CareerReport, CareerSummary};
use crate::model::gibrat::{GibratReport, GibratSummary};
use crate::model::talent_luck::{NonSpatialReport, NonSpatialSummary, TalentLuckReport, TalentLuckSummary};
use crate::model::yule::{YuleReport, YuleSummary};
use crate::runner::Runner;
use crate::scenario::{ModelKind, Scenario, ScenarioModel};
use serde::{Deserialize, Serialize};

/// The report of one model's run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Report {
    /// A Career run.
    Career(CareerReport),
    /// A Gibrat run.
    Gibrat(GibratReport),
    /// A Yule run.
    Yule(YuleReport),
    /// A spatial Talent vs Luck run.
    TalentVsLuck(TalentLuckReport),
    /// A non-spatial Talent vs Luck run.
    TalentVsLuckNonspatial(NonSpatialReport),
    /// Conditional odds of a Career scenario (last: its fields are all optional).
    Conditional(Box<ConditionalReport>),
}

/// The mergeable summary behind a report, tagged by the model it belongs to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RunSummary {
    /// A Career run.
    Career(CareerSummary),
    /// A Gibrat run.
    Gibrat(GibratSummary),
    /// A Yule run.
    Yule(YuleSummary),
    /// A spatial Talent vs Luck run.
    TalentVsLuck(TalentLuckSummary),
    /// A non-spatial Talent vs Luck run.
    TalentVsLuckNonspatial(NonSpatialSummary),
    /// Conditional odds of a Career scenario.
    Conditional(Box<ConditionalSummary>),
}

/// One of `count` equal shards of a run's trials (0-based `index`): shard `k`
/// of `n` runs trials `[k N / n, (k + 1) N / n)` of a run of `N`, so the shards
/// of any `n` partition the trials exactly.
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
    pub fn range(&self, trials: u64) -> std::ops::Range<u64> {
        let at = |k: u64| (u128::from(k) * u128::from(trials) / u128::from(self.count)) as u64;
        at(self.index)..at(self.index + 1)
    }
}

/// The shards a record holds: which of how many.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShardSet {
    /// How many shards the run was split into.
    pub count: u64,
    /// The shards this record holds, increasing.
    pub indices: Vec<u64>,
}

/// Everything needed to reproduce and read a run: the crate version, the
/// full resolved scenario, the seed and trial range, the report, and the
/// mergeable summary it came from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunRecord {
    /// Schema identifier of this JSON document.
    pub schema: String,
    /// Version of clout that produced it.
    pub clout_version: String,
    /// The model that ran.
    pub model: ModelKind,
    /// The seed of the random streams.
    pub seed: u64,
    /// First trial index run (0 unless a range was run).
    pub first_trial: u64,
    /// Number of trials run.
    pub trials: u64,
    /// The scenario with every default filled in.
    pub scenario: Scenario,
    /// What the run found.
    pub report: Report,
    /// The statistics the report was computed from, mergeable exactly with
    /// those of other trial ranges of the same scenario and seed.
    pub summary: RunSummary,
    /// The shards this record holds, when it is not the whole run (absent
    /// for a whole run, so merging every shard gives the whole run's bytes).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shards: Option<ShardSet>,
}

impl RunRecord {
    /// Identifier of the JSON schema of a record.
    pub const SCHEMA: &'static str = "clout.run/1";

    /// The Career report, if this was a plain Career run.
    pub fn career(&self) -> Option<&CareerReport> {
        match &self.report {
            Report::Career(r) => Some(r),
            _ => None,
        }
    }

    /// The conditional report, if the scenario asked for conditional odds.
    pub fn conditional(&self) -> Option<&ConditionalReport> {
        match &self.report {
            Report::Conditional(r) => Some(r),
            _ => None,
        }
    }
}

impl Scenario {
    /// Runs the scenario's trials with its seed on all cores.
    ///
    /// ```
    /// use clout::{Scenario, Tier};
    /// let mut scenario = Scenario::builtin("what-if").unwrap();
    /// scenario.run.trials = 2_000;
    /// let record = scenario.run()?;
    /// let odds = record.career().unwrap().odds(Tier::Micro);
    /// println!("micro: {:.3} [{:.3}, {:.3}]", odds.estimate, odds.wilson.lower, odds.wilson.upper);
    /// # Ok::<(), clout::ScenarioError>(())
    /// ```
    pub fn run(&self) -> Result<RunRecord, ScenarioError> {
        self.run_with(&Runner::new(self.run.seed))
    }

    /// Runs the scenario's trials with a configured runner (threads,
    /// progress); the runner's seed is used. A scenario changed by hand after
    /// loading is validated again: an invalid one is an error naming the
    /// scenario (by its `name`) and the field.
    pub fn run_with(&self, runner: &Runner) -> Result<RunRecord, ScenarioError> {
        self.run_shard(runner, Shard::WHOLE)
    }

    /// Runs shard `shard` of the scenario's trials (each part of a
    /// conditional scenario is split the same way). The record carries the
    /// shard and its mergeable summary; [`RunRecord::merge`] joins shards.
    pub fn run_shard(&self, runner: &Runner, shard: Shard) -> Result<RunRecord, ScenarioError> {
        let invalid = |error| ScenarioError::Invalid { source_name: self.source_label(), error };
        if self.sweep.is_some() {
            return Err(invalid(crate::error::FieldError::new(
                "sweep",
                "(a section)",
                "makes this a sweep: run it with `clout sweep` (Scenario::sweep in the library)",
            )));
        }
        let (scenario, model) = self.clone().resolve().map_err(invalid)?;
        let trials = scenario.run.trials;
        // Every part's shard must hold a trial: a conditional run's [start] part
        // splits its own start.trials the same way.
        let fewest = scenario.start.and_then(|s| s.trials).map_or(trials, |t| t.min(trials));
        if shard.count == 0 || shard.index >= shard.count || shard.count > fewest {
            return Err(invalid(crate::error::FieldError::new(
                "shard",
                format!("{}/{}", shard.index, shard.count),
                format!("must be K/N with 0 <= K < N <= {fewest}, the fewest trials of any part of the run"),
            )));
        }
        let range = shard.range(trials);
        let (report, summary) = match &model {
            ScenarioModel::Conditional(m) => {
                let (r, s) = m.run_shard(runner, trials, shard);
                (Report::Conditional(Box::new(r)), RunSummary::Conditional(Box::new(s)))
            }
            _ => {
                let summary = match &model {
                    ScenarioModel::Career(m) => {
                        RunSummary::Career(runner.run_range(m.as_ref(), range.clone()).summary)
                    }
                    ScenarioModel::Gibrat(m) => {
                        RunSummary::Gibrat(runner.run_range(m, range.clone()).summary)
                    }
                    ScenarioModel::Yule(m) => RunSummary::Yule(runner.run_range(m, range.clone()).summary),
                    ScenarioModel::TalentVsLuck(m) => {
                        RunSummary::TalentVsLuck(runner.run_range(m, range.clone()).summary)
                    }
                    ScenarioModel::TalentVsLuckNonspatial(m) => {
                        RunSummary::TalentVsLuckNonspatial(runner.run_range(m, range.clone()).summary)
                    }
                    ScenarioModel::Conditional(_) => unreachable!("handled above"),
                };
                (model.report(&summary).expect("a summary of this model"), summary)
            }
        };
        let mut record = scenario.record(report, summary, runner.seed(), range.start);
        if shard != Shard::WHOLE {
            record.trials = range.end - range.start;
            record.shards = Some(ShardSet { count: shard.count, indices: vec![shard.index] });
        }
        Ok(record)
    }

    /// How errors name this scenario: by its `name`, or `<scenario>`.
    fn source_label(&self) -> String {
        if self.name.is_empty() { "<scenario>".to_string() } else { format!("scenario {:?}", self.name) }
    }

    /// The validated sweep of a scenario with a `[sweep]` section.
    pub fn sweep(&self) -> Result<crate::experiment::sweep::Sweep, ScenarioError> {
        let invalid = |error| ScenarioError::Invalid { source_name: self.source_label(), error };
        let (scenario, _) = self.clone().resolve_base().map_err(invalid)?;
        crate::experiment::sweep::Sweep::new(&scenario).map_err(invalid)
    }

    /// Wraps a report and its summary with this scenario's bookkeeping.
    pub fn record(&self, report: Report, summary: RunSummary, seed: u64, first_trial: u64) -> RunRecord {
        let mut scenario = self.clone();
        scenario.run.seed = seed;
        RunRecord {
            schema: RunRecord::SCHEMA.to_string(),
            clout_version: env!("CARGO_PKG_VERSION").to_string(),
            model: self.model,
            seed,
            first_trial,
            trials: self.run.trials,
            scenario,
            report,
            summary,
            shards: None,
        }
    }
}

impl ScenarioModel {
    /// The report of a summary of this model's outcomes, or `None` when the
    /// summary belongs to another model.
    pub fn report(&self, summary: &RunSummary) -> Option<Report> {
        Some(match (self, summary) {
            (ScenarioModel::Career(m), RunSummary::Career(s)) => Report::Career(m.report(s)),
            (ScenarioModel::Gibrat(m), RunSummary::Gibrat(s)) => Report::Gibrat(m.report(s)),
            (ScenarioModel::Yule(m), RunSummary::Yule(s)) => Report::Yule(m.report(s)),
            (ScenarioModel::TalentVsLuck(m), RunSummary::TalentVsLuck(s)) => {
                Report::TalentVsLuck(m.report(s))
            }
            (ScenarioModel::TalentVsLuckNonspatial(m), RunSummary::TalentVsLuckNonspatial(s)) => {
                Report::TalentVsLuckNonspatial(m.report(s))
            }
            (ScenarioModel::Conditional(m), RunSummary::Conditional(s)) => {
                Report::Conditional(Box::new(m.report(s)))
            }
            _ => return None,
        })
    }
}

impl RunSummary {
    /// Adds the statistics of `other`, a summary of other trials of the same
    /// model; an error when it belongs to another model.
    fn merge(&mut self, other: &RunSummary) -> Result<(), String> {
        fn both<T: Clone, O>(
            a: &mut Option<T>,
            b: &Option<T>,
            merge: impl Fn(&mut T, &T) -> O,
        ) -> Result<(), String> {
            match (a.as_mut(), b) {
                (Some(a), Some(b)) => {
                    merge(a, b);
                    Ok(())
                }
                (None, None) => Ok(()),
                _ => Err("one record has a part (creators like you, given a state) the other lacks".into()),
            }
        }
        use crate::model::Summary as _;
        match (self, other) {
            (RunSummary::Career(a), RunSummary::Career(b)) => a.merge(b),
            (RunSummary::Gibrat(a), RunSummary::Gibrat(b)) => a.merge(b),
            (RunSummary::Yule(a), RunSummary::Yule(b)) => a.merge(b),
            (RunSummary::TalentVsLuck(a), RunSummary::TalentVsLuck(b)) => a.merge(b),
            (RunSummary::TalentVsLuckNonspatial(a), RunSummary::TalentVsLuckNonspatial(b)) => a.merge(b),
            (RunSummary::Conditional(a), RunSummary::Conditional(b)) => {
                both(&mut a.creators_like_you, &b.creators_like_you, |a, b| a.merge(b))?;
                both(&mut a.given_state, &b.given_state, |a, b| a.merge(b))?;
            }
            _ => return Err("the records hold summaries of different models".into()),
        }
        Ok(())
    }
}

/// Why records cannot be merged. Each names the files (or record numbers)
/// involved and says what differs.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MergeError {
    /// Nothing to merge.
    #[error("no records to merge")]
    Empty,
    /// Records of different runs.
    #[error("{first} and {other} are not shards of the same run: their {what} differ{detail}")]
    Mismatch {
        /// The first record's name.
        first: String,
        /// The differing record's name.
        other: String,
        /// What differs: scenario, seed, clout version, model, shard count, schema.
        what: String,
        /// The two values, where short.
        detail: String,
    },
    /// The same shard twice.
    #[error("shard {index} of {count} is in both {first} and {other} (overlapping shards)")]
    Overlap {
        /// The shard.
        index: u64,
        /// Of how many.
        count: u64,
        /// One record holding it.
        first: String,
        /// The other.
        other: String,
    },
    /// Shards missing, and no partial merge was asked for (`missing` reads
    /// "shard 3 of 4 is missing" or "shards 2, 5 of 7 are missing").
    #[error("{missing} (a gap): merge it too, or ask for a partial merge")]
    Gap {
        /// The missing shard indices, comma separated.
        missing: String,
        /// Of how many.
        count: u64,
    },
    /// The summaries do not fit together (a damaged or edited file).
    #[error("{name}: its summary does not fit the others: {reason}")]
    Inconsistent {
        /// The record's name.
        name: String,
        /// What is wrong.
        reason: String,
    },
}

impl RunRecord {
    /// The shards this record holds (a whole run holds shard 0 of 1).
    pub fn shard_set(&self) -> ShardSet {
        self.shards.clone().unwrap_or(ShardSet { count: 1, indices: vec![0] })
    }

    /// Merges records of shards of one run (`names` label them in errors,
    /// e.g. file names). They must share the schema, clout version, model,
    /// seed, resolved scenario and shard count, and hold disjoint shards.
    /// With every shard present the result is exactly the record of the
    /// unsharded run (the same JSON, byte for byte); with some missing it is
    /// an error unless `allow_partial`, which gives a record of the shards
    /// present, marked with them.
    pub fn merge(
        records: &[RunRecord],
        names: &[String],
        allow_partial: bool,
    ) -> Result<RunRecord, MergeError> {
        let first = records.first().ok_or(MergeError::Empty)?;
        let name = |i: usize| names.get(i).cloned().unwrap_or_else(|| format!("record {}", i + 1));
        let set = first.shard_set();
        // The count comes from a file: it must fit the run before anything is sized by it.
        if set.count == 0 || set.count > first.scenario.run.trials {
            return Err(MergeError::Inconsistent {
                name: name(0),
                reason: format!(
                    "{} shards of a run of {} trials (a shard holds at least one trial)",
                    set.count, first.scenario.run.trials
                ),
            });
        }
        let mut held: Vec<Option<usize>> = vec![None; set.count as usize];
        for (i, r) in records.iter().enumerate() {
            let mismatch = |what: &str, a: String, b: String| MergeError::Mismatch {
                first: name(0),
                other: name(i),
                what: what.to_string(),
                detail: if a.len() + b.len() < 80 { format!(" ({a} against {b})") } else { String::new() },
            };
            if r.schema != first.schema {
                return Err(mismatch("schemas", first.schema.clone(), r.schema.clone()));
            }
            if r.clout_version != first.clout_version {
                return Err(mismatch("clout versions", first.clout_version.clone(), r.clout_version.clone()));
            }
            if r.seed != first.seed {
                return Err(mismatch("seeds", first.seed.to_string(), r.seed.to_string()));
            }
            if r.model != first.model {
                return Err(mismatch("models", first.model.name().into(), r.model.name().into()));
            }
            if r.scenario != first.scenario {
                return Err(mismatch("scenarios", first.scenario.name.clone(), r.scenario.name.clone()));
            }
            let own = r.shard_set();
            if own.count != set.count {
                return Err(mismatch("shard counts", set.count.to_string(), own.count.to_string()));
            }
            for &index in &own.indices {
                let slot = held.get_mut(index as usize).ok_or_else(|| MergeError::Inconsistent {
                    name: name(i),
                    reason: format!("shard {index} of {}", own.count),
                })?;
                if let Some(j) = slot {
                    return Err(MergeError::Overlap {
                        index,
                        count: set.count,
                        first: name(*j),
                        other: name(i),
                    });
                }
                *slot = Some(i);
            }
        }
        let ours = env!("CARGO_PKG_VERSION");
        if first.clout_version != ours {
            return Err(MergeError::Mismatch {
                first: name(0),
                other: format!("this clout ({ours})"),
                what: "clout versions".into(),
                detail: format!(
                    " ({} against {ours}): merge with the version that ran the shards",
                    first.clout_version
                ),
            });
        }
        let missing: Vec<String> =
            held.iter().enumerate().filter(|(_, h)| h.is_none()).map(|(k, _)| k.to_string()).collect();
        if !missing.is_empty() && !allow_partial {
            let missing = if missing.len() == 1 {
                format!("shard {} of {} is missing", missing[0], set.count)
            } else {
                format!("shards {} of {} are missing", missing.join(", "), set.count)
            };
            return Err(MergeError::Gap { missing, count: set.count });
        }
        // Each record once (a record may hold several shards), in the order
        // of its lowest shard; merging is exact in any order.
        let mut order: Vec<usize> = Vec::new();
        for &i in held.iter().flatten() {
            if !order.contains(&i) {
                order.push(i);
            }
        }
        let (_, model) = first
            .scenario
            .clone()
            .resolve()
            .map_err(|e| MergeError::Inconsistent { name: name(0), reason: format!("its scenario: {e}") })?;
        let mut summary = records[order[0]].summary.clone();
        for &i in &order[1..] {
            let other = &records[i].summary;
            // A damaged file can break a summary's invariants (a histogram of
            // another precision, say), which the merge checks by asserting.
            let merged = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                let mut s = summary.clone();
                s.merge(other).map(|()| s)
            }));
            summary = match merged {
                Ok(Ok(s)) => s,
                Ok(Err(reason)) => return Err(MergeError::Inconsistent { name: name(i), reason }),
                Err(_) => {
                    return Err(MergeError::Inconsistent {
                        name: name(i),
                        reason: "its statistics were kept with other settings (a damaged file?)".into(),
                    });
                }
            };
        }
        let report = model.report(&summary).ok_or_else(|| MergeError::Inconsistent {
            name: name(0),
            reason: "its summary belongs to another model than its scenario".into(),
        })?;
        let trials = first.scenario.run.trials;
        let present: Vec<u64> =
            held.iter().enumerate().filter(|(_, h)| h.is_some()).map(|(k, _)| k as u64).collect();
        let shards = (present.len() as u64 != set.count)
            .then(|| ShardSet { count: set.count, indices: present.clone() });
        let ranges: Vec<_> =
            present.iter().map(|&k| Shard { index: k, count: set.count }.range(trials)).collect();
        let mut record = first.scenario.record(report, summary, first.seed, ranges[0].start);
        record.clout_version = first.clout_version.clone();
        if shards.is_some() {
            record.trials = ranges.iter().map(|r| r.end - r.start).sum();
        }
        record.shards = shards;
        Ok(record)
    }
}
