//! Conditional odds: "I have 10k followers after two years. What are *my* odds?"
//!
//! Two answers, each a [`Model`] run by the ordinary runner (so it is
//! reproducible on any thread count and mergeable across trial ranges):
//!
//! * **Given a state** ([`GivenState`], a scenario's `[start]` section): the
//!   creator is active on career day `d0` with `F0` followers, on platform day
//!   `p0` (so they entered on platform day `p0 - d0`), with `F_prev` followers
//!   at the last review. Traits are stated (a value, or a percentile of the
//!   population's distribution) or drawn from the population. One trial is one
//!   career continued from that state to the horizon:
//!   `P(reach tier by the horizon | F_d0 = F0, traits)`, averaged over the
//!   traits that are drawn. A drawn niche is drawn conditioned on `M >= F0`
//!   (a creator with `F0` followers has a niche of at least `F0`); nothing
//!   else about the traits is inferred from the state. That is the point of
//!   comparison: it is what a creator who assumes their own traits would
//!   compute.
//! * **Creators like you** ([`CreatorsLikeYou`], a scenario's `[condition]`
//!   section): only what a creator can observe. The whole population runs
//!   from its first day; a creator *matches* on the first career day `t` in
//!   the window `[d - w, d + w]` on which their followers lie in
//!   `[F_lo, F_hi]` (and, if asked, they are still active), and their career
//!   continues from there to the horizon. The odds are
//!   `P(reach tier by the horizon | matched)`, estimated by the share of
//!   matched careers that do, with binomial intervals: matched careers are
//!   i.i.d. draws from the population given the match, since every trial is
//!   an independent draw and the match depends on its own path only. The
//!   matched creators' traits are reported beside the population's: that
//!   shift (talent, effort and niche inferred from the observed path) and
//!   its limits are the honest answer.
//!
//! In both, a tier counts as reached if the career's followers were ever at
//! or above its threshold by the horizon; a given state counts the tiers at
//! or below `F0` as reached on day `d0`.

use crate::dist::Law;
use crate::error::FieldError;
use crate::model::career::summary::QuantileEstimate;
use crate::model::career::{
    CREATOR_TRAITS, Career, CareerModel, CareerReport, CareerSummary, Creator, EFFORT_RANGE, MAX_DAYS,
    NICHE_RANGE, Observation, Population, StartPoint, Stop, Stopped, TALENT_RANGE, creator_of,
};
use crate::model::inputs::{Input, Inputs, Levels, Root, SplitPlan};
use crate::model::{MAX_TRIALS, Model, Summary};
use crate::random::{Source, TrialStreams};
use crate::stats::{Estimate, LogHistogram, Moments, Proportion};
use serde::de::{self, MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize};
use std::fmt;

/// A trait of a creator in a given state: a value, or a percentile of the
/// population's distribution. In a scenario file: a number, or
/// `{ percentile = 90 }`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(untagged)]
pub enum StartTrait {
    /// This value.
    Value(f64),
    /// The population's `percentile`-th percentile (0 < percentile < 100).
    Percentile {
        /// The percentile, in `(0, 100)`.
        percentile: f64,
    },
}

impl<'de> Deserialize<'de> for StartTrait {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = StartTrait;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a number (the trait's value) or a table { percentile = P } with 0 < P < 100")
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<StartTrait, E> {
                Ok(StartTrait::Value(v))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<StartTrait, E> {
                Ok(StartTrait::Value(v as f64))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<StartTrait, E> {
                Ok(StartTrait::Value(v as f64))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<StartTrait, A::Error> {
                let mut percentile = None;
                while let Some(key) = map.next_key::<String>()? {
                    if key != "percentile" {
                        return Err(de::Error::unknown_field(&key, &["percentile"]));
                    }
                    percentile = Some(map.next_value::<f64>()?);
                }
                percentile
                    .map(|percentile| StartTrait::Percentile { percentile })
                    .ok_or_else(|| de::Error::missing_field("percentile"))
            }
        }
        deserializer.deserialize_any(V)
    }
}

/// The `[start]` section: a creator's state to continue from ("given a state").
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StartSpec {
    /// Career days already done, `d0`; must leave days before the horizon.
    pub career_day: u32,
    /// Followers now, `F0`.
    pub followers: u64,
    /// The platform's age (days) today, `p0 >= d0`: the creator entered on
    /// platform day `p0 - d0`. Defaults to `entry_day + career_day` when the
    /// population's entry day is a fixed value; required otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub platform_day: Option<u32>,
    /// Followers at the last review, `F_prev`, which the next review compares
    /// against. Default: `followers` once a review has happened
    /// (`career_day >= review_days`), else 0 (the model's value before the
    /// first review, and the only one allowed then).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub followers_at_last_review: Option<u64>,
    /// Talent: a value, `{ percentile = P }`, or absent to draw it from the population.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub talent: Option<StartTrait>,
    /// Effort (posts a week): a value, a percentile, or absent to draw it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub effort: Option<StartTrait>,
    /// Niche size: a value, a percentile, or absent to draw it from the
    /// population conditioned on being at least `followers`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub niche: Option<StartTrait>,
    /// Careers to run from the state. Default: the scenario's `run.trials`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trials: Option<u64>,
}

/// A follower range `[low, high]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FollowerRange {
    /// Fewest followers that match.
    pub low: u64,
    /// Most followers that match, `>= low`.
    pub high: u64,
}

impl FollowerRange {
    /// Whether `followers` lies in the range.
    pub fn contains(&self, followers: u64) -> bool {
        (self.low..=self.high).contains(&followers)
    }
}

fn yes() -> bool {
    true
}

/// The `[condition]` section: what a creator can observe of themselves
/// ("creators like you").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConditionSpec {
    /// The career day of the observation, `d >= 1`.
    pub career_day: u32,
    /// The followers observed on that day.
    pub followers: FollowerRange,
    /// Half-width of the window of days, `w`: a creator matches on the first
    /// day in `[d - w, d + w]` with followers in the range. Default 0.
    #[serde(default)]
    pub window_days: u32,
    /// Only creators still posting on the matching day match. Default true.
    #[serde(default = "yes")]
    pub still_active: bool,
}

/// A trait value, validated against its range.
fn trait_value(
    field: &str,
    choice: Option<StartTrait>,
    population: &Law,
    (low, high): (f64, f64),
) -> Result<Option<f64>, FieldError> {
    match choice {
        None => Ok(None),
        Some(StartTrait::Value(v)) => {
            Law::Fixed { value: v }.validate(field, low, high)?;
            Ok(Some(v))
        }
        Some(StartTrait::Percentile { percentile }) => {
            let path = format!("{field}.percentile");
            if !(percentile > 0.0 && percentile < 100.0) {
                return Err(FieldError::new(path, percentile, "must lie strictly between 0 and 100"));
            }
            Ok(Some(population.quantile(percentile / 100.0, low, high)))
        }
    }
}

/// The state's platform day `p0` (stated, or the fixed entry day plus
/// `career_day`) and the creator's entry day `p0 - d0`, checked: `p0` in
/// range, not before the creator entered, and `d0` before the horizon so
/// the career has days left.
fn start_platform_day(career: &CareerModel, spec: &StartSpec) -> Result<(u32, f64), FieldError> {
    let model = career.spec();
    let pop = &model.population;
    let platform_day = match (spec.platform_day, pop.entry_day) {
        (Some(day), _) => day,
        (None, Law::Fixed { value }) => (value + f64::from(spec.career_day)).round() as u32,
        (None, _) => {
            return Err(FieldError::new(
                "platform_day",
                "(missing)",
                "is required when population.entry_day is a distribution: the platform's age today",
            ));
        }
    };
    if platform_day > MAX_DAYS {
        return Err(FieldError::new("platform_day", platform_day, format!("must lie in [0, {MAX_DAYS}]")));
    }
    if spec.career_day > platform_day {
        return Err(FieldError::new(
            "platform_day",
            platform_day,
            format!(
                "must be >= career_day = {} (the creator entered on platform day platform_day - career_day)",
                spec.career_day
            ),
        ));
    }
    let entry_day = f64::from(platform_day - spec.career_day);
    let horizon = career.horizon_days(entry_day);
    if spec.career_day >= horizon {
        let what = match model.observation {
            Observation::Cohort { horizon_days } => format!("observation.horizon_days = {horizon_days}"),
            Observation::Snapshot { platform_day: snap } => {
                format!("the snapshot's career day {horizon} (observation.platform_day = {snap})")
            }
        };
        return Err(FieldError::new(
            "career_day",
            spec.career_day,
            format!("must be before the horizon, {what}, so the career has days left"),
        ));
    }
    if let Some(window) = career.income_window_days()
        && horizon.saturating_sub(window) < spec.career_day
    {
        return Err(FieldError::new(
            "career_day",
            spec.career_day,
            format!(
                "must be at most the income window's first day, {} (the horizon {horizon} minus money.window_days \
                 = {window}): the posts before the given state are not known, so its income cannot be counted",
                horizon.saturating_sub(window)
            ),
        ));
    }
    Ok((platform_day, entry_day))
}

/// The state's followers must fit the creator's niche: at most a stated (or
/// fixed) niche, and below the largest niche the population draws.
fn check_followers_in_niche(
    spec: &StartSpec,
    niche: Option<f64>,
    pop: &Population,
) -> Result<(), FieldError> {
    let followers = spec.followers as f64;
    match (niche, pop.niche) {
        (Some(m), _) | (None, Law::Fixed { value: m }) if followers > m => {
            return Err(FieldError::new(
                "followers",
                spec.followers,
                format!(
                    "must be <= the creator's niche size {m} (nobody has more followers than their niche)"
                ),
            ));
        }
        (Some(_), _) | (None, Law::Fixed { .. }) => {}
        (None, dist) if dist.raw_cdf(followers) >= 1.0 - 1e-12 => {
            return Err(FieldError::new(
                "followers",
                spec.followers,
                "is above every niche size the population draws (population.niche): state the niche",
            ));
        }
        _ => {}
    }
    Ok(())
}

/// The followers at the last review: as stated (0 before the first review,
/// at most the largest niche), else 0 before the first review and the
/// state's followers after it.
fn start_followers_at_last_review(spec: &StartSpec, review_days: u32) -> Result<u64, FieldError> {
    let before_first_review = spec.career_day < review_days;
    Ok(match spec.followers_at_last_review {
        Some(f) if before_first_review && f != 0 => {
            return Err(FieldError::new(
                "followers_at_last_review",
                f,
                format!(
                    "must be 0 before the first review (career_day {} < persistence.review_days = {review_days})",
                    spec.career_day
                ),
            ));
        }
        // Followers are bounded by the largest niche a creator can
        // have, so no count above it is a state a career can be in.
        Some(f) if f as f64 > NICHE_RANGE.1 => {
            return Err(FieldError::new(
                "followers_at_last_review",
                f,
                format!("must be at most {:e}, the largest niche (population.niche's range)", NICHE_RANGE.1),
            ));
        }
        Some(f) => f,
        None if before_first_review => 0,
        None => spec.followers,
    })
}
/// A validated start state with its traits resolved (see [`GivenState`]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ResolvedStart {
    /// The state: career day, followers, followers at the last review.
    pub point: StartPoint,
    /// Platform day on which the creator entered, `p0 - d0` (`p0` is the
    /// resolved spec's `platform_day`).
    pub entry_day: f64,
    /// Stated talent, or `None` to draw it.
    pub talent: Option<f64>,
    /// Stated effort, or `None` to draw it.
    pub effort: Option<f64>,
    /// Stated niche, or `None` to draw it (at least `followers`).
    pub niche: Option<f64>,
    /// Careers to run.
    pub trials: u64,
}

/// Continue careers from a given state (module docs): one trial is one career.
#[derive(Debug, Clone)]
pub struct GivenState {
    career: CareerModel,
    start: ResolvedStart,
    spec: StartSpec,
}

impl GivenState {
    /// Careers this part runs (`start.trials`, or the run's trials).
    pub fn trials(&self) -> u64 {
        self.start.trials
    }

    /// Shares the career model's tables with equal ones in `tables`
    /// ([`CareerModel::share_tables`]).
    pub(crate) fn share_tables(&mut self, tables: &mut Vec<std::sync::Arc<[f64]>>) {
        self.career.share_tables(tables);
    }

    /// Validates `spec` against the model (errors name fields relative to the
    /// `[start]` section, e.g. `career_day`) and fills its defaults.
    /// `run_trials` is the default number of careers.
    pub fn new(career: CareerModel, spec: &StartSpec, run_trials: u64) -> Result<Self, FieldError> {
        let model = career.spec();
        let pop = &model.population;
        let review_days = model.persistence.review_days;
        let (platform_day, entry_day) = start_platform_day(&career, spec)?;
        if spec.followers as f64 > NICHE_RANGE.1 {
            return Err(FieldError::new(
                "followers",
                spec.followers,
                format!("must be <= {:e}", NICHE_RANGE.1),
            ));
        }
        let talent = trait_value("talent", spec.talent, &pop.talent, TALENT_RANGE)?;
        let effort = trait_value("effort", spec.effort, &pop.effort, EFFORT_RANGE)?;
        let niche = trait_value("niche", spec.niche, &pop.niche, NICHE_RANGE)?;
        check_followers_in_niche(spec, niche, pop)?;
        let at_last_review = start_followers_at_last_review(spec, review_days)?;
        let trials = spec.trials.unwrap_or(run_trials);
        if trials == 0 || trials > MAX_TRIALS {
            return Err(FieldError::new("trials", trials, format!("must lie in [1, {MAX_TRIALS}]")));
        }
        let resolved_spec = StartSpec {
            platform_day: Some(platform_day),
            followers_at_last_review: Some(at_last_review),
            trials: Some(trials),
            ..*spec
        };
        let start = ResolvedStart {
            point: StartPoint {
                career_day: spec.career_day,
                followers: spec.followers,
                followers_at_last_review: at_last_review,
            },
            entry_day,
            talent,
            effort,
            niche,
            trials,
        };
        Ok(GivenState { career, start, spec: resolved_spec })
    }

    /// The `[start]` section with its defaults filled in.
    pub fn spec(&self) -> &StartSpec {
        &self.spec
    }

    /// The resolved start.
    pub fn start(&self) -> &ResolvedStart {
        &self.start
    }

    /// The creator of one trial: stated traits as stated, the others drawn
    /// from the population on their own streams (the niche at least `F0`).
    pub fn creator(&self, streams: &TrialStreams) -> Creator {
        let pop = &self.career.spec().population;
        let s = &self.start;
        let draw = |source: Source, dist: &Law, (lo, hi): (f64, f64)| {
            dist.sampler(lo, hi).sample(&mut streams.rng(source))
        };
        use rand_distr::Distribution;
        Creator {
            talent: s.talent.unwrap_or_else(|| draw(Source::Talent, &pop.talent, TALENT_RANGE)),
            effort: s.effort.unwrap_or_else(|| draw(Source::Effort, &pop.effort, EFFORT_RANGE)),
            entry_day: s.entry_day,
            niche: s.niche.unwrap_or_else(|| {
                if s.point.followers as f64 <= NICHE_RANGE.0 {
                    // Nothing to condition on: the population's own draw (so a
                    // start at the entry state is exactly a plain trial).
                    return draw(Source::Niche, &pop.niche, NICHE_RANGE);
                }
                pop.niche.sample_clamped_at_least(
                    &mut streams.rng(Source::Niche),
                    s.point.followers as f64,
                    NICHE_RANGE.0,
                    NICHE_RANGE.1,
                )
            }),
        }
    }
}

impl Model for GivenState {
    type Outcome = Career;
    type Summary = CareerSummary;
    type Report = CareerReport;

    fn sample_trial(&self, streams: &TrialStreams) -> Career {
        let creator = self.creator(streams);
        let horizon = self.career.horizon_days(creator.entry_day);
        let state = self.career.start_state(streams, creator, horizon, self.start.point);
        self.career.finish(streams, state)
    }

    fn new_summary(&self) -> CareerSummary {
        self.career.summary_after(self.start.point.career_day)
    }

    /// The career's report, the levels at or below the starting followers
    /// marked reached already (chance 1 by construction).
    fn report(&self, summary: &CareerSummary) -> CareerReport {
        let mut report = self.career.report(summary);
        for level in &mut report.levels {
            if level.chance.threshold <= self.start.point.followers as f64 {
                level.chance.note = crate::stats::REACHED_ALREADY.to_string();
            }
        }
        report
    }

    fn simulated_time(&self, outcome: &Career) -> u64 {
        u64::from(outcome.career_days.saturating_sub(self.start.point.career_day))
    }
}

/// A given state's levels are the career's; the tiers at or below the
/// starting followers are certain.
impl Levels for GivenState {
    fn levels(&self) -> Vec<(String, f64)> {
        self.career.levels()
    }

    fn progress_of(&self, threshold: f64) -> f64 {
        self.career.progress_of(threshold)
    }

    fn goal(&self) -> usize {
        self.career.goal()
    }

    fn income_levels(&self) -> (Vec<(String, f64)>, u32) {
        self.career.income_levels()
    }

    fn audience_levels(&self) -> Vec<(String, f64)> {
        self.career.audience_levels()
    }

    fn certain(&self) -> u8 {
        let followers = self.start.point.followers as f64;
        self.career.levels().iter().enumerate().fold(0, |m, (k, &(_, t))| m | (u8::from(followers >= t) << k))
    }
}

/// A given state under the rare-event method: the career's inputs, with
/// the traits stated fixed and the others reweighted (the niche conditioned
/// on at least the starting followers, in the population and the proposal
/// alike); the entry day is fixed by the state.
impl Inputs for GivenState {
    fn inputs(&self) -> Vec<Input> {
        let s = &self.start;
        let followers = s.point.followers as f64;
        let mut inputs = self.career.inputs();
        for input in &mut inputs {
            let stated = match input.source {
                Source::Talent => s.talent,
                Source::Effort => s.effort,
                Source::Niche => s.niche,
                _ => Some(s.entry_day),
            };
            if let Some(value) = stated {
                input.prior = Law::Fixed { value };
            }
            if input.source == Source::EntryDay {
                input.range = (f64::NEG_INFINITY, f64::INFINITY);
            }
            if input.source == Source::Niche && s.niche.is_none() && followers > NICHE_RANGE.0 {
                input.floor = Some(followers);
            }
        }
        inputs
    }

    fn root(&self, streams: &TrialStreams, raw: &[f64], plan: Option<&SplitPlan>) -> Root {
        let creator = creator_of(raw);
        let horizon = self.career.horizon_days(creator.entry_day);
        let state = self.career.start_state(streams, creator, horizon, self.start.point);
        self.career.walk_root(state, streams, plan)
    }

    fn can_split(&self) -> bool {
        true
    }
}

/// Creators like you (module docs): one trial is one creator of the
/// population, followed from their first day; those who match continue to
/// the horizon.
#[derive(Debug, Clone)]
pub struct CreatorsLikeYou {
    career: CareerModel,
    condition: ConditionSpec,
}

impl CreatorsLikeYou {
    /// Shares the career model's tables with equal ones in `tables`
    /// ([`CareerModel::share_tables`]).
    pub(crate) fn share_tables(&mut self, tables: &mut Vec<std::sync::Arc<[f64]>>) {
        self.career.share_tables(tables);
    }

    /// Validates the condition against the model (errors name fields relative
    /// to the `[condition]` section).
    pub fn new(career: CareerModel, condition: ConditionSpec) -> Result<Self, FieldError> {
        let c = &condition;
        if c.career_day == 0 {
            return Err(FieldError::new(
                "career_day",
                0,
                "must be >= 1 (day 0 is the first day, with 0 followers)",
            ));
        }
        if c.followers.high < c.followers.low {
            return Err(FieldError::new(
                "followers.high",
                c.followers.high,
                format!("must be >= followers.low = {} (the range is empty)", c.followers.low),
            ));
        }
        if c.window_days >= c.career_day {
            return Err(FieldError::new(
                "window_days",
                c.window_days,
                format!("must be < career_day = {} (the window starts after day 0)", c.career_day),
            ));
        }
        let last = c.career_day.saturating_add(c.window_days);
        let (horizon, what) = match career.spec().observation {
            Observation::Cohort { horizon_days } => (horizon_days, "observation.horizon_days"),
            Observation::Snapshot { platform_day } => (platform_day, "observation.platform_day"),
        };
        if last >= horizon {
            return Err(FieldError::new(
                "career_day",
                c.career_day,
                format!(
                    "plus window_days = {} must be before the horizon ({what} = {horizon}): no career in the run \
                     reaches the window with days left",
                    c.window_days
                ),
            ));
        }
        if let Law::Fixed { value: niche } = career.spec().population.niche
            && c.followers.low as f64 > niche
        {
            return Err(FieldError::new(
                "followers.low",
                c.followers.low,
                format!("is above every creator's niche (population.niche = {niche}): nobody can match"),
            ));
        }
        if c.followers.low as f64 > NICHE_RANGE.1 {
            return Err(FieldError::new(
                "followers.low",
                c.followers.low,
                format!("must be <= {:e}", NICHE_RANGE.1),
            ));
        }
        Ok(CreatorsLikeYou { career, condition })
    }

    /// The condition.
    pub fn condition(&self) -> &ConditionSpec {
        &self.condition
    }

    /// The window of career days `[d - w, d + w]`.
    pub fn window(&self) -> (u32, u32) {
        let c = &self.condition;
        (c.career_day - c.window_days, c.career_day + c.window_days)
    }

    /// The model.
    pub fn career(&self) -> &CareerModel {
        &self.career
    }

    /// Advances `state` (from before day `from`, at most the window's first
    /// day) one day at a time, calling `seen(day, followers)` after each, to
    /// the first day of the window on which it matches the condition;
    /// returns that day, or `None` if it never does (or quits first, when
    /// the condition asks for active creators). A match needs days left
    /// after it, so the window ends before the horizon.
    pub fn find_match(
        &self,
        state: &mut crate::model::career::CareerState,
        from: u32,
        mut seen: impl FnMut(u32, u64),
    ) -> Option<u32> {
        let (first, last) = self.window();
        let c = &self.condition;
        for day in from..=last.min(state.horizon_days().saturating_sub(1)) {
            let stopped = self.career.advance(state, Stop::Day(day));
            if stopped == Stopped::Quit && c.still_active {
                return None; // a creator who quit never posts again
            }
            seen(day, state.followers());
            if day >= first && c.followers.contains(state.followers()) && (state.active() || !c.still_active)
            {
                return Some(day);
            }
        }
        None
    }
}

/// One trial of [`CreatorsLikeYou`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LikeYouOutcome {
    /// The creator (traits clamped to their ranges).
    pub creator: Creator,
    /// The matching day and the career continued from it, if the creator matched.
    pub matched: Option<(u32, Career)>,
    /// Career days simulated.
    pub days: u32,
}

impl Model for CreatorsLikeYou {
    type Outcome = LikeYouOutcome;
    type Summary = LikeYouSummary;
    type Report = LikeYouReport;

    fn sample_trial(&self, streams: &TrialStreams) -> LikeYouOutcome {
        let creator = self.career.sample_creator(streams);
        let horizon = self.career.horizon_days(creator.entry_day);
        let mut state = self.career.entry_state(streams, creator, horizon);
        let first = self.window().0;
        if let Some(day) = self.find_match(&mut state, first, |_, _| {}) {
            let career = self.career.finish_unwatched(streams, state);
            return LikeYouOutcome {
                creator: career.creator,
                matched: Some((day, career)),
                days: career.career_days,
            };
        }
        LikeYouOutcome { creator: state.creator(), matched: None, days: state.day() }
    }

    fn new_summary(&self) -> LikeYouSummary {
        // The matched careers are advanced without watching the days.
        LikeYouSummary::new(self.career.summary_after(u32::MAX))
    }

    fn report(&self, summary: &LikeYouSummary) -> LikeYouReport {
        let matched = summary.careers.trials();
        LikeYouReport {
            condition: self.condition,
            population: summary.trials,
            matched,
            selection: Proportion::new(matched, summary.trials),
            odds: (matched > 0).then(|| self.career.report(&summary.careers)),
            traits: TraitKind::ALL
                .iter()
                .map(|&kind| TraitShift {
                    name: kind.name().to_string(),
                    population: summary.population.get(kind).describe(kind),
                    matched: summary.matched.get(kind).describe(kind),
                })
                .collect(),
        }
    }

    fn simulated_time(&self, outcome: &LikeYouOutcome) -> u64 {
        u64::from(outcome.days)
    }
}

/// The creator traits whose distribution a report compares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TraitKind {
    /// Talent, in `[0, 1]`.
    Talent,
    /// Effort, posts a week.
    Effort,
    /// Niche size (its mean is reported on a log scale: the geometric mean).
    Niche,
    /// Entry day (platform age on the first day).
    EntryDay,
}

impl TraitKind {
    /// Every trait, in report order.
    pub const ALL: [TraitKind; 4] =
        [TraitKind::Talent, TraitKind::Effort, TraitKind::Niche, TraitKind::EntryDay];

    /// The trait's place among the career's inputs (and [`Creator::input`]).
    fn index(self) -> usize {
        match self {
            TraitKind::Talent => 0,
            TraitKind::Effort => 1,
            TraitKind::EntryDay => 2,
            TraitKind::Niche => 3,
        }
    }

    /// The trait's name in scenario files.
    pub fn name(self) -> &'static str {
        CREATOR_TRAITS[self.index()].0
    }

    /// Histogram units per trait unit (the histogram holds integers).
    fn scale(self) -> f64 {
        match self {
            TraitKind::Talent | TraitKind::Effort => 1e6,
            TraitKind::Niche => 1.0,
            TraitKind::EntryDay => 1e3,
        }
    }

    fn value(self, c: &Creator) -> f64 {
        c.input(self.index())
    }
}

/// Mergeable statistics of one trait: mean and spread (of `log10` for the
/// niche) in fixed point, and a histogram (0.2% resolution) for quantiles.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TraitStats {
    moments: Moments,
    histogram: LogHistogram,
}

impl Default for TraitStats {
    fn default() -> Self {
        TraitStats { moments: Moments::new(), histogram: LogHistogram::default() }
    }
}

impl TraitStats {
    fn record(&mut self, kind: TraitKind, value: f64) {
        let for_mean = if kind == TraitKind::Niche { value.log10() } else { value };
        self.moments.record(for_mean);
        self.histogram.record((value * kind.scale()).round() as u64);
    }

    fn merge(&mut self, other: &TraitStats) {
        self.moments.merge(&other.moments);
        self.histogram.merge(&other.histogram);
    }

    /// The distribution of the trait, or `None` with fewer than two values.
    pub fn describe(&self, kind: TraitKind) -> Option<TraitDistribution> {
        let mean = self.moments.mean_estimate()?;
        let mean = if kind == TraitKind::Niche { mean.map_increasing(|x| 10f64.powf(x)) } else { mean };
        let scale = kind.scale();
        let quantile = |q: f64| {
            QuantileEstimate::of(&self.histogram, q).map(|e| QuantileEstimate {
                value: e.value / scale,
                lower: e.lower / scale,
                upper: e.upper / scale,
                ..e
            })
        };
        Some(TraitDistribution {
            count: self.moments.count(),
            mean,
            mean_trusted: self.moments.count() >= MIN_VALUES_FOR_A_MEAN,
            p10: quantile(0.1)?,
            p50: quantile(0.5)?,
            p90: quantile(0.9)?,
        })
    }
}

/// The statistics of every trait of a group of creators.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct TraitsSummary {
    talent: TraitStats,
    effort: TraitStats,
    niche: TraitStats,
    entry_day: TraitStats,
}

impl TraitsSummary {
    /// Whether `other`'s histograms have this summary's precisions.
    fn same_shape(&self, other: &TraitsSummary) -> bool {
        let p = |s: &TraitsSummary| TraitKind::ALL.map(|kind| s.get(kind).histogram.precision());
        p(self) == p(other)
    }

    fn get(&self, kind: TraitKind) -> &TraitStats {
        match kind {
            TraitKind::Talent => &self.talent,
            TraitKind::Effort => &self.effort,
            TraitKind::Niche => &self.niche,
            TraitKind::EntryDay => &self.entry_day,
        }
    }

    fn get_mut(&mut self, kind: TraitKind) -> &mut TraitStats {
        match kind {
            TraitKind::Talent => &mut self.talent,
            TraitKind::Effort => &mut self.effort,
            TraitKind::Niche => &mut self.niche,
            TraitKind::EntryDay => &mut self.entry_day,
        }
    }

    fn record(&mut self, creator: &Creator) {
        for kind in TraitKind::ALL {
            self.get_mut(kind).record(kind, kind.value(creator));
        }
    }

    fn merge(&mut self, other: &TraitsSummary) {
        for kind in TraitKind::ALL {
            self.get_mut(kind).merge(other.get(kind));
        }
    }
}

/// Mergeable statistics of a "creators like you" run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LikeYouSummary {
    trials: u64,
    population: TraitsSummary,
    matched: TraitsSummary,
    careers: CareerSummary,
}

impl LikeYouSummary {
    /// Whether `other` has this summary's shape, so the two merge (a check
    /// of what a file held).
    pub fn same_shape(&self, other: &LikeYouSummary) -> bool {
        self.population.same_shape(&other.population)
            && self.matched.same_shape(&other.matched)
            && self.careers.same_shape(&other.careers)
    }

    /// The tiers its careers are counted at.
    pub fn tiers(&self) -> crate::tier::Tiers {
        self.careers.tiers()
    }

    fn new(careers: CareerSummary) -> Self {
        LikeYouSummary {
            trials: 0,
            population: TraitsSummary::default(),
            matched: TraitsSummary::default(),
            careers,
        }
    }
}

impl Summary<LikeYouOutcome> for LikeYouSummary {
    fn record(&mut self, outcome: &LikeYouOutcome) {
        self.trials += 1;
        self.population.record(&outcome.creator);
        if let Some((_, career)) = &outcome.matched {
            self.matched.record(&outcome.creator);
            self.careers.record(career);
        }
    }

    fn merge(&mut self, other: &Self) {
        self.trials += other.trials;
        self.population.merge(&other.population);
        self.matched.merge(&other.matched);
        self.careers.merge(&other.careers);
    }

    fn trials(&self) -> u64 {
        self.trials
    }
    /// Every creator drawn is in the population's trait statistics; the
    /// matched are among them, and each matched creator's career is summarised.
    fn check(&self) -> Result<(), String> {
        let matched = self.matched.talent.moments.count();
        for (group, traits, n) in
            [("population", &self.population, self.trials), ("matched", &self.matched, matched)]
        {
            for kind in TraitKind::ALL {
                let (name, t) = (kind.name(), traits.get(kind));
                if t.moments.count() != n || t.histogram.count() != n {
                    return Err(format!(
                        "its {group}'s {name} statistics count {} creators, not {n}",
                        t.moments.count()
                    ));
                }
            }
        }
        crate::model::within_count("matched creators", matched, "creators drawn", self.trials)?;
        if self.careers.trials() != matched {
            return Err(format!("it holds {} careers of {matched} matched creators", self.careers.trials()));
        }
        self.careers.check()
    }
}

/// The fewest creators whose trait means' intervals are trusted. Student's
/// interval is exact for normal values at any count, but for a log-normal
/// trait like effort (sigma 0.8) it covers 0.87 at 5 values and 0.91 at 30
/// (`cargo test --release --test suite validation::mean_intervals -- --nocapture`;
/// docs/VALIDATION.md, "Means of few values"): below 30, tables say so.
pub const MIN_VALUES_FOR_A_MEAN: u64 = 30;

/// The distribution of one trait in a group of creators.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct TraitDistribution {
    /// Creators in the group.
    pub count: u64,
    /// Mean with its 95% interval (Student's; the geometric mean for the niche).
    pub mean: Estimate,
    /// Whether the mean's interval is trusted: at least
    /// [`MIN_VALUES_FOR_A_MEAN`] creators in the group.
    pub mean_trusted: bool,
    /// 10th percentile, with its distribution-free 95% interval.
    pub p10: QuantileEstimate,
    /// Median.
    pub p50: QuantileEstimate,
    /// 90th percentile.
    pub p90: QuantileEstimate,
}

/// One trait: the population's distribution beside the matched creators'.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TraitShift {
    /// The trait's name (`talent`, `effort`, `niche`, `entry_day`).
    pub name: String,
    /// Among all creators simulated (`None` with fewer than two).
    pub population: Option<TraitDistribution>,
    /// Among the matched creators (`None` with fewer than two).
    pub matched: Option<TraitDistribution>,
}

/// What a "creators like you" run found.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LikeYouReport {
    /// The observation matched on.
    pub condition: ConditionSpec,
    /// Creators simulated from their first day.
    pub population: u64,
    /// Creators who matched.
    pub matched: u64,
    /// The share of creators who match, with intervals (with no match, its
    /// upper ends say how rare a match can still be).
    pub selection: Proportion,
    /// The odds of every tier among the matched careers, with intervals;
    /// `None` when nobody matched.
    pub odds: Option<CareerReport>,
    /// Each trait among the matched creators beside the population.
    pub traits: Vec<TraitShift>,
}

impl LikeYouReport {
    /// The chance of `tier` among the matched creators as a
    /// [`Proportion`], if any matched.
    pub fn odds_of(&self, tier: crate::tier::Tier) -> Option<Proportion> {
        self.odds.as_ref().map(|r| r.proportion(tier))
    }
}

/// What a "given a state" run found: the state, as resolved, and the odds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GivenStateReport {
    /// The `[start]` section with its defaults filled in.
    pub start: StartSpec,
    /// The traits used: a value where stated, `None` where drawn.
    pub talent: Option<f64>,
    /// Stated effort, or `None` where drawn.
    pub effort: Option<f64>,
    /// Stated niche, or `None` where drawn (at least `start.followers`).
    pub niche: Option<f64>,
    /// The odds of every tier by the horizon, with intervals.
    pub odds: CareerReport,
}

/// The conditional answers a scenario asks for, side by side.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConditionalReport {
    /// "Creators like you", if the scenario has a `[condition]` section.
    pub creators_like_you: Option<LikeYouReport>,
    /// "Given a state", if the scenario has a `[start]` section.
    pub given_state: Option<GivenStateReport>,
}

/// The summaries behind a [`ConditionalReport`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConditionalSummary {
    /// "Creators like you".
    pub creators_like_you: Option<LikeYouSummary>,
    /// "Given a state".
    pub given_state: Option<CareerSummary>,
}

/// The conditional models of a scenario, ready to run.
#[derive(Debug, Clone)]
pub struct Conditional {
    /// "Creators like you", from the `[condition]` section.
    pub creators_like_you: Option<CreatorsLikeYou>,
    /// "Given a state", from the `[start]` section.
    pub given_state: Option<GivenState>,
}

impl Conditional {
    /// The report of a summary of these models' outcomes (parts the summary
    /// lacks are absent from the report).
    pub fn report(&self, summary: &ConditionalSummary) -> ConditionalReport {
        let like =
            self.creators_like_you.as_ref().zip(summary.creators_like_you.as_ref()).map(|(m, s)| m.report(s));
        let given =
            self.given_state.as_ref().zip(summary.given_state.as_ref()).map(|(m, s)| GivenStateReport {
                start: m.spec,
                talent: m.start.talent,
                effort: m.start.effort,
                niche: m.start.niche,
                odds: m.report(s),
            });
        ConditionalReport { creators_like_you: like, given_state: given }
    }
}
