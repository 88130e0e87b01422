//! What a model can do, beside [`Model`]: the capabilities studies need.
//!
//! A study states the capabilities it needs as trait bounds (importance
//! sampling needs [`Inputs`], which needs [`Levels`]), and each model
//! implements the ones it can next to its own code. A model that lacks one
//! is refused by the compiler, not at run time.

use crate::dist::Law;
use crate::model::Model;
use crate::model::career::money::MAX_INCOME_LEVELS;
use crate::random::{Source, TrialStreams};
use crate::tier::LEVEL_SLOTS;

/// One input a trial draws once: its name, its stream, the population's law.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Input {
    /// The trait's name (`talent`, `effort`, `entry_day`, `niche`, `drift`).
    pub name: &'static str,
    /// The stream it is drawn from.
    pub source: Source,
    /// The population's law of its raw draw.
    pub prior: Law,
    /// The range the model clamps the draw to: a draw beyond an end counts
    /// as that end, an atom whose weight is the ratio of the two laws'
    /// masses beyond it.
    pub range: (f64, f64),
    /// A lower bound the draw is conditioned on (a creator with `F`
    /// followers has a niche of at least `F`): population and proposal are
    /// both truncated there, each renormalised by its mass above it.
    pub floor: Option<f64>,
}

/// What one root did: how far it got, and which levels it reached.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Root {
    /// How far it got, on the scale of [`Levels::progress_of`]: the log
    /// of the peak followers for a career.
    pub progress: f64,
    /// The largest value any of its copies reached, on the levels' own
    /// scale: peak followers for a career, the path's peak for Gibrat.
    pub peak: f64,
    /// The weighted share of the root's copies that reached each level
    /// (without splitting, 1 where reached and 0 elsewhere).
    pub hits: [f64; LEVEL_SLOTS],
    /// Simulated time (creator-days, steps), over all copies.
    pub work: u64,
    /// The weighted share of the root's copies whose income reached each
    /// income level ([`Levels::income_levels`]; zeros without money).
    pub earned: [f64; MAX_INCOME_LEVELS],
    /// The largest income of any of its copies (0 without money).
    pub income: f64,
    /// The weighted share of the root's copies whose engaged audience at
    /// the horizon reached each engaged-audience level
    /// ([`Levels::audience_levels`]; zeros without engagement).
    pub engaged: [f64; MAX_INCOME_LEVELS],
    /// The largest engaged audience of any of its copies (0 without engagement).
    pub audience: f64,
}

impl Root {
    /// Bit `k` set when some copy reached level `k`.
    pub fn reached(&self) -> u8 {
        self.hits.iter().enumerate().fold(0, |m, (k, &h)| m | (u8::from(h > 0.0) << k))
    }
}

/// Fixed splitting of a root's career at follower levels (RESTART; see
/// [`crate::experiment::rare`]): the levels, the copies at each, and when not to split.
#[derive(Debug, Clone, PartialEq)]
pub struct SplitPlan {
    /// The follower levels, increasing.
    pub levels: Vec<u64>,
    /// Copies a path becomes at each level it crosses.
    pub copies: u32,
    /// No copies when fewer days than this remain to the horizon.
    pub min_days: u32,
    /// No copies for a creator whose niche is below this (the target).
    pub target: f64,
}

/// A model whose trials reach levels by first passage (tiers of followers
/// for a career, a barrier for Gibrat): what rare-event estimators estimate.
pub trait Levels: Model {
    /// The levels whose odds are estimated, in the order of
    /// [`Root::hits`] (for a career, the slot order of
    /// [`crate::tier::Tiers::levels`]; not always lowest first): name and
    /// threshold.
    fn levels(&self) -> Vec<(String, f64)>;
    /// The progress that reaching `threshold` means, on the scale of
    /// [`Root::progress`].
    fn progress_of(&self, threshold: f64) -> f64;
    /// The position in [`Levels::levels`] of the level the scenario asks
    /// about (the goal; what importance sampling aims at unless told).
    fn goal(&self) -> usize;
    /// The income levels whose odds are estimated beside the follower
    /// levels, in the order of [`Root::earned`] (name and income a year),
    /// and the days income is counted over: none by default (a career with
    /// `[money]` has its `money.levels`).
    fn income_levels(&self) -> (Vec<(String, f64)>, u32) {
        (Vec::new(), 365)
    }
    /// The engaged-audience levels whose odds are estimated beside the
    /// follower levels, in the order of [`Root::engaged`] (name and
    /// engagements a post): none by default (a career with `[engagement]`
    /// or `[money]` has its `engagement.audience_levels`, `1k engaged`).
    fn audience_levels(&self) -> Vec<(String, f64)> {
        Vec::new()
    }
    /// The levels (bit `k` for level `k`) every trial has reached before it
    /// starts: odds 1, reported as such. None by default.
    fn certain(&self) -> u8 {
        0
    }

    /// The CSV columns of the levels, `{prefix}{name}` each, comma
    /// separated, lowest first (`day_nano,day_micro,...`): the one place the
    /// rows of a run ([`crate::Model::write_row`]) name its levels.
    fn level_columns(&self, prefix: &str) -> String {
        let names: Vec<String> = self.levels().iter().map(|(name, _)| format!("{prefix}{name}")).collect();
        names.join(",")
    }
}

/// A model whose trial draws a few inputs once (a creator's traits, a
/// drift) and then runs on its luck streams: what importance sampling
/// reweights. Each input names its stream, the population's law and the
/// range the model clamps it to.
pub trait Inputs: Levels {
    /// The inputs drawn at the start of a trial, in the order [`Inputs::root`]
    /// takes them.
    fn inputs(&self) -> Vec<Input>;
    /// One trial (a root) from raw input draws (clamped by the model), with
    /// the luck of `streams`, split at the levels of `plan` if one is given
    /// (only asked of models that [`Inputs::can_split`]).
    fn root(&self, streams: &TrialStreams, raw: &[f64], plan: Option<&SplitPlan>) -> Root;
    /// Whether [`Inputs::root`] can split its paths.
    fn can_split(&self) -> bool {
        false
    }
}
