//! The chance of reaching a follower level, however it was estimated: the
//! one answer type every run gives ([`Chance`]), and the accessors every
//! report that holds chances shares ([`Chances`]).
//!
//! Plain Monte Carlo (`method = "brute"`) and importance sampling
//! (`method = "rare"`) answer the same question, so they fill the same
//! fields: the level, its follower threshold, whether it is the goal, the
//! estimate with its standard error and 95% interval, the hits behind it,
//! and whether the interval can be trusted (with the reason when not).
//! What only one method has (Clopper-Pearson bounds and days to reach for
//! plain runs; the hitting roots' effective size and the largest root's
//! share for importance sampling) sits beside it in each method's report,
//! and after the shared columns in CSV ([`CHANCE_CSV_HEADER`]).

use crate::tier::parse_followers;
use serde::{Deserialize, Serialize};

/// How a scenario's chances are estimated (`[run] method`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Method {
    /// Plain Monte Carlo: every trial drawn from the population; the
    /// interval is Wilson's score interval with the Poisson limit at 1-3
    /// hits ([`crate::stats::wilson_modified`]).
    #[default]
    Brute,
    /// Importance sampling of the traits with a proposal found by the
    /// cross-entropy method (`crate::experiment::rare`); the interval is
    /// normal over independent roots.
    Rare,
}

impl Method {
    /// Whether this is the default method (kept out of written scenarios).
    pub fn is_brute(&self) -> bool {
        *self == Method::Brute
    }

    /// The method in a few words, for tables.
    pub fn in_words(&self) -> &'static str {
        match self {
            Method::Brute => "plain Monte Carlo",
            Method::Rare => "importance sampling of the traits",
        }
    }
}

/// The note of a level every trial had reached before it started (a given
/// state's followers are at or above it): its chance is 1, exactly.
pub const REACHED_ALREADY: &str = "reached already (the starting followers are at or above it)";

/// The chance of reaching one follower level by the horizon.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Chance {
    /// The level's name: a tier (`"macro"`), a goal count (`"100k"`), or
    /// a reference model's level (`"barrier"`).
    pub level: String,
    /// Its threshold (followers, for a career).
    pub threshold: f64,
    /// Whether it is the level the scenario asks about.
    pub goal: bool,
    /// How it was estimated.
    pub method: Method,
    /// Careers run (plain Monte Carlo) or roots drawn (importance sampling).
    pub trials: u64,
    /// Of them, those that reached the level.
    pub hits: u64,
    /// The chance, a probability in `[0, 1]`.
    pub estimate: f64,
    /// Its standard error.
    pub std_error: f64,
    /// Lower end of the 95% interval.
    pub lower: f64,
    /// Upper end of the 95% interval; `None` when importance sampling had
    /// no hit, which bounds nothing above.
    pub upper: Option<f64>,
    /// Whether the interval can be trusted at the counts in hand.
    pub trusted: bool,
    /// Why it cannot be trusted, or that the level was reached already;
    /// empty otherwise.
    pub note: String,
}

impl Chance {
    /// A plain Monte Carlo chance of reaching `level` (threshold
    /// `threshold`; the goal or not) from its proportion of hits: the
    /// estimate, its standard error and its Wilson interval.
    pub fn brute(level: String, threshold: f64, goal: bool, reached: &crate::stats::Proportion) -> Chance {
        Chance {
            level,
            threshold,
            goal,
            method: Method::Brute,
            trials: reached.trials,
            hits: reached.successes,
            estimate: reached.estimate,
            std_error: reached.std_error,
            lower: reached.wilson.lower,
            upper: Some(reached.wilson.upper),
            trusted: true,
            note: String::new(),
        }
    }

    /// "About 1 in N": the reciprocal of the estimate, `None` at 0.
    pub fn one_in(&self) -> Option<f64> {
        (self.estimate > 0.0).then(|| 1.0 / self.estimate)
    }

    /// Whether the level was reached before the trials started.
    pub fn reached_already(&self) -> bool {
        self.note == REACHED_ALREADY
    }

    /// The CSV fields of [`CHANCE_CSV_HEADER`], comma-separated (the note
    /// quoted).
    pub fn csv_fields(&self) -> String {
        format!(
            "{},{},{},{},{},{},{},{},{},{},{},\"{}\"",
            self.level,
            self.threshold,
            self.goal,
            serde_json::to_value(self.method)
                .ok()
                .and_then(|v| v.as_str().map(String::from))
                .unwrap_or_default(),
            self.trials,
            self.hits,
            self.estimate,
            self.std_error,
            self.lower,
            self.upper.map_or(String::new(), |u| u.to_string()),
            self.trusted,
            self.note.replace('"', "\"\"")
        )
    }
}

/// The CSV columns every chance fills, first in every run's CSV; each
/// method's own columns follow.
pub const CHANCE_CSV_HEADER: &str =
    "level,threshold,goal,method,trials,hits,chance,std_error,lower,upper,trusted,note";

/// A report of chances of reaching levels: the accessors plain and
/// importance-sampled runs share.
///
/// ```
/// use clout::{Scenario, Tier, stats::Chances};
/// let mut scenario = Scenario::builtin("what-if").unwrap();
/// scenario.run.trials = 2_000;
/// let record = scenario.run()?;
/// let micro = record.chance(Tier::Micro).expect("a tier is always a level");
/// assert!(micro.lower <= micro.estimate);
/// assert_eq!(record.chance("10k"), Some(micro)); // micro's threshold, by count
/// // Any follower level can be the goal; every report then answers for it too.
/// scenario.tiers.get_or_insert_default().goal = "20k".parse().unwrap();
/// let record = scenario.run()?;
/// let goal = record.goal_chance().expect("the goal is a level");
/// assert_eq!((goal.level.as_str(), goal.threshold), ("20k", 20_000.0));
/// # Ok::<(), clout::ScenarioError>(())
/// ```
pub trait Chances {
    /// Every level's chance, lowest threshold first.
    fn chances(&self) -> Vec<&Chance>;

    /// The chance of one level, by name (`"macro"`, a [`crate::Tier`],
    /// `"100k"`) or by its threshold written as a follower count
    /// (`"10000"`, `"1e4"`, `"10k"`).
    fn chance(&self, level: impl AsRef<str>) -> Option<&Chance> {
        let level = level.as_ref();
        let chances = self.chances();
        if let Some(found) = chances.iter().find(|c| c.level == level) {
            return Some(found);
        }
        let followers = parse_followers(level).ok()? as f64;
        chances.into_iter().find(|c| c.threshold == followers)
    }

    /// The chance of the level the scenario asks about.
    fn goal_chance(&self) -> Option<&Chance> {
        self.chances().into_iter().find(|c| c.goal)
    }
}
