//! The delusion gap: how far each way a creator might see their odds is from
//! the truth.
//!
//! The essay behind clout: barriers are low, micro-influencers multiply, and
//! aspirational success stories make them overestimate their odds. Each view
//! of the odds of reaching the goal tier (macro, by default) by the horizon
//! is measured against the true odds, as odds with a 95% interval and as a
//! factor over the true odds:
//!
//! * **true**: `P(reach)` among every creator who started (a cohort of the
//!   scenario, from the first day);
//! * **survivor**: the same among creators still posting at the horizon
//!   (quitters are invisible);
//! * **visible**: the share of accounts at or above the tier among the
//!   accounts a viewer sees, in a snapshot of the platform on day `P`
//!   (creators joined uniformly over days `0..P`), each account weighted by
//!   its impressions a day at average luck, `(e / 7) (F + O(P) (d0 + s F))`:
//!   posts a day times the followers who see a post plus the non-followers
//!   it reaches (creators who quit post nothing and weigh 0). Big accounts
//!   fill feeds. The unweighted share of every account is reported beside it;
//! * **creators like you**: `P(reach | the observed state)` ("creators like
//!   you", the scenario's `[condition]`), the honest answer for someone in
//!   that state;
//! * **self-assessed**: the same "creators like you" odds, had every creator
//!   the talent at the population's 90th percentile (`self_talent_percentile`):
//!   what someone in that state who believes they are in the top 10% would
//!   compute. The other traits are those the observed state implies (a
//!   "given a state" run with the population's effort and niche, as in the
//!   `micro-influencer` scenario, ignores what the state says about them);
//! * **extrapolated**: the share of creators like you whose growth over the
//!   last `growth_days` days, compounded, reaches the tier by the horizon
//!   (growth factor `g = F_d / F_{d - growth_days}`; the tier `T` is
//!   projected `growth_days ln(T / F_d) / ln g` days after the match; `g <= 1`
//!   projects never; from 0 followers, at once); and beside it the share of
//!   those projectors who actually got there by their projected day.
//!
//! # In money (with `[money]`)
//!
//! The same views of the chance of earning at least the income goal in the
//! income window (the last `money.window_days` days of the horizon; the
//! goal is `money.goal` if set, else the level of `money.levels` nearest
//! $30,000 by ratio, [`income_goal`]: "a living", the default levels'
//! $30k): true, survivor, visible (the impression-weighted share of the
//! snapshot's accounts whose last year earned the goal; creators younger
//! than the window count the days they have), census, creators like you
//! and self-assessed, each with its factor over the true chance. And the
//! **extrapolated income**: each creator like you compounds their growth
//! over the last `growth_days` days to the horizon `H`,
//!
//! ```text
//! F_H = min(F_d g^((H - d) / growth_days), max(M, F_d)),   g = F_d / F_{d - growth_days}
//! ```
//!
//! (from 0 followers, infinite growth: the cap; `g < 1` projects a shrinking
//! audience), the cap being the creator's niche `M` (the audience the model
//! lets them have), or their followers now if already beyond it, and expects
//! the income a still audience of `F_H` followers, all active, earns in the
//! window at their own effort: the model's closed form,
//! [`crate::model::career::CareerModel::still_income`] (brand deals from the
//! engagement curve, plus ads if the gate would be open, minus costs; the
//! same functions of the money module the simulation uses). Against it, the
//! model's income of those same creators: the mean and median of both, and
//! the share whose actual income reached what they expected.
//!
//! The true, survivor, like-you and extrapolated odds come from one cohort
//! run ([`DelusionCohort`], one trial = one creator from the first day, who
//! matches the condition exactly as [`crate::model::career::conditional::CreatorsLikeYou`]
//! matches), the self-assessed odds from a second cohort with talent fixed,
//! the visible odds from a snapshot run ([`VisibleOdds`]). Factors are ratios of two
//! estimates with the MOVER interval on the log scale ([`factor`]'s docs hold the
//! equation), treating the two as independent; for views from the cohort run, which
//! share creators with the true odds, that is conservative. The visible odds'
//! interval is trusted only with [`MIN_EFFECTIVE_HITS`] effective hits; below,
//! the table says NOT TRUSTED and JSON has `trusted: false`.
//!
//! # In the platform's field (with `[competition]`)
//!
//! Every view runs in the one field the scenario's platform solves
//! ([`crate::model::platform`]; [`CareerModel::with_spec`] hands it to the
//! self-assessed cohort and the snapshot, so it is solved once and the
//! self-assessed creators, whose talent alone differs, meet the price the
//! real population makes). In a solved field the snapshot's accounts enter
//! at the platform's entry rate over days `0..P`
//! ([`crate::model::platform::CompetitionSpec::entry_day_within`] on the
//! `PlatformEntry` stream; uniform at `entry_growth = 0`), and a post's
//! discovery at average luck is the field's `p(P) q^kappa (1 + F / F0)^gamma`
//! in place of `O(P) d0`:
//! `(e / 7) (F + p(P) q^kappa (1 + F / F0)^gamma + O(P) s F)`. Career's
//! openness field (`field = "openness"`) is Career's snapshot exactly.

use crate::dist::Law;
use crate::error::FieldError;
use crate::model::career::conditional::{ConditionSpec, CreatorsLikeYou};
use crate::model::career::money::Money;
use crate::model::career::summary::QuantileEstimate;
use crate::model::career::{CareerModel, Creator, Observation};
use crate::model::{MAX_TRIALS, Model, Summary};
use crate::random::{Source, TrialStreams};
use crate::stats::{
    CrossMoments, Estimate, Interval, LogHistogram, Moments, Proportion, kish_effective_size,
    normal_quantile_two_sided, wilson_at,
};
use crate::tier::Goal;
use rand::RngExt;
use serde::{Deserialize, Serialize};

/// The `[delusion]` section of a scenario: how `clout delusion` runs. Every
/// field has a default.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct DelusionSpec {
    /// The level whose odds are compared: a tier, or any follower count
    /// (`"100k"`). Default: the scenario's goal.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tier: Option<Goal>,
    /// The "recent growth" window of the extrapolation, in days. Default 30.
    pub growth_days: u32,
    /// The platform day of the snapshot a viewer sees. Default 3650 (the
    /// platform at ten years, as in the built-in `snapshot` scenario).
    pub snapshot_platform_day: u32,
    /// Creators in the snapshot. Default 2,000,000.
    pub snapshot_trials: u64,
    /// The talent percentile the self-assessed odds assume, in `(0, 100)`. Default 90.
    pub self_talent_percentile: f64,
}

impl Default for DelusionSpec {
    fn default() -> Self {
        DelusionSpec {
            tier: None,
            growth_days: 30,
            snapshot_platform_day: 3650,
            snapshot_trials: 2_000_000,
            self_talent_percentile: 90.0,
        }
    }
}

impl DelusionSpec {
    /// Checks every field against the observed state (errors name the field within `[delusion]`).
    pub fn validate(&self, condition: Option<&ConditionSpec>) -> Result<(), FieldError> {
        if self.growth_days == 0 {
            return Err(FieldError::new("growth_days", 0, "must be >= 1"));
        }
        if let Some(c) = condition {
            let earliest = c.career_day.saturating_sub(c.window_days);
            if self.growth_days > earliest {
                return Err(FieldError::new(
                    "growth_days",
                    self.growth_days,
                    format!(
                        "must be <= condition.career_day - condition.window_days = {earliest} (growth is measured \
                         over days of career already done)"
                    ),
                ));
            }
        }
        if !(1..=crate::model::career::MAX_DAYS).contains(&self.snapshot_platform_day) {
            return Err(FieldError::new(
                "snapshot_platform_day",
                self.snapshot_platform_day,
                format!("must lie in [1, {}]", crate::model::career::MAX_DAYS),
            ));
        }
        if !(self.self_talent_percentile > 0.0 && self.self_talent_percentile < 100.0) {
            return Err(FieldError::new(
                "self_talent_percentile",
                self.self_talent_percentile,
                "must lie strictly between 0 and 100",
            ));
        }
        if !(2..=MAX_TRIALS).contains(&self.snapshot_trials) {
            return Err(FieldError::new(
                "snapshot_trials",
                self.snapshot_trials,
                format!("must lie in [2, {MAX_TRIALS}]"),
            ));
        }
        Ok(())
    }
}

/// One creator of the cohort: from the first day to the horizon, matched
/// against the observed state on the way.
#[derive(Debug, Clone)]
pub struct DelusionCohort {
    like_you: CreatorsLikeYou,
    tier: Goal,
    growth_days: u32,
    /// The income goal, with `[money]` ([`income_goal`]).
    income_goal: Option<f64>,
}

/// The outcome of one creator of [`DelusionCohort`].
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct CohortOutcome {
    /// With `[money]`: what the creator earned, and expected if they matched.
    pub money: Option<MoneyOutcome>,
    /// Reached the tier by the horizon.
    pub reached: bool,
    /// Still posting at the horizon.
    pub active: bool,
    /// Matched the observed state.
    pub matched: bool,
    /// Matched, and their compounded recent growth reaches the tier by the horizon.
    pub projects: bool,
    /// Projected, and reached the tier by the projected day.
    pub on_time: bool,
    /// Career days simulated.
    pub days: u32,
}

impl DelusionCohort {
    /// The tier whose odds the cohort estimates.
    pub fn tier(&self) -> Goal {
        self.tier
    }

    /// The creators like you the cohort follows.
    pub fn like_you(&self) -> &CreatorsLikeYou {
        &self.like_you
    }

    /// The cohort of the creators of `like_you`'s model, matched against its
    /// condition, for `tier`, with growth measured over `growth_days` (at
    /// most the window's first day; validated by [`crate::study::delusion::Delusion::new`]).
    pub fn new(like_you: CreatorsLikeYou, tier: Goal, growth_days: u32) -> Self {
        let income_goal = like_you.career().spec().money.as_ref().map(income_goal);
        DelusionCohort { like_you, tier, growth_days, income_goal }
    }

    /// The income goal whose chance the cohort estimates (with `[money]`).
    pub fn income_goal(&self) -> Option<f64> {
        self.income_goal
    }

    /// The followers at career day `horizon` of followers growing by the
    /// factor `g = followers / before` every `growth_days` days from
    /// `followers` on day `day`, `F_d g^((H - d) / growth_days)`, at most
    /// `cap` (and at least 0); from `before = 0` (infinite growth), `cap`.
    /// A shrinking creator (`g < 1`) projects a shrinking audience.
    pub fn projected_followers(&self, day: u32, followers: u64, before: u64, horizon: u32, cap: f64) -> u64 {
        let projected = if before == 0 {
            cap
        } else {
            let g = followers as f64 / before as f64;
            let periods = f64::from(horizon.saturating_sub(day)) / f64::from(self.growth_days);
            (followers as f64 * g.powf(periods)).min(cap)
        };
        projected.max(0.0).round() as u64
    }

    /// What a creator who matched on `day` with `followers` followers
    /// (`before`, `growth_days` earlier) expects to earn in the income
    /// window ending at `horizon` (module docs): their projected followers,
    /// at most their niche or their followers now, whichever is larger,
    /// held through the window ([`crate::model::career::CareerModel::still_income`]).
    fn expected_income(
        &self,
        creator: Creator,
        (day, followers, before): (u32, u64, u64),
        horizon: u32,
    ) -> f64 {
        let cap = creator.niche.max(followers as f64);
        let projected = self.projected_followers(day, followers, before, horizon, cap);
        self.like_you.career().still_income(creator, projected, horizon).unwrap_or(0.0)
    }

    /// The career day by which followers growing by the factor `g` every
    /// `growth_days` days from `followers` on day `day` reach `target`;
    /// `None` if they never do.
    pub fn projected_day(&self, day: u32, followers: u64, before: u64, target: u64) -> Option<f64> {
        if followers >= target {
            return Some(f64::from(day));
        }
        if before == 0 {
            return Some(f64::from(day)); // infinite growth
        }
        let g = followers as f64 / before as f64;
        (g > 1.0).then(|| {
            f64::from(day) + f64::from(self.growth_days) * (target as f64 / followers as f64).ln() / g.ln()
        })
    }
}

impl Model for DelusionCohort {
    type Outcome = CohortOutcome;
    type Summary = CohortSummary;
    type Report = CohortSummary;

    fn sample_trial(&self, streams: &TrialStreams) -> CohortOutcome {
        let career = self.like_you.career();
        let creator = career.sample_creator(streams);
        let horizon = career.horizon_days(creator.entry_day);
        let mut state = career.entry_state(streams, creator, horizon);
        let (first, last) = self.like_you.window();
        let look_back = first - self.growth_days;
        // Followers on each day from look_back on, for the growth at a match.
        let mut history: Vec<u64> = Vec::with_capacity((last - look_back + 1) as usize);
        let matched = self.like_you.find_match(&mut state, look_back, |_, f| history.push(f)).map(|day| {
            let before = history[(day - self.growth_days - look_back) as usize];
            (day, state.followers(), before)
        });
        // Finished as creators like you are (earnings and, after a quit,
        // dormant decay of the followers, which the odds here never read).
        let model = career;
        let career = model.finish_unwatched(streams, state);
        let tiers = &model.spec().tiers;
        let target = tiers.followers_of(self.tier);
        // The level is one the career tracks (the study makes it the goal).
        let reached_day = tiers.slot_of(self.tier).and_then(|slot| career.reached_day[slot]);
        let mut outcome = CohortOutcome {
            reached: reached_day.is_some(),
            active: career.active,
            matched: matched.is_some(),
            days: career.career_days,
            money: self.income_goal.map(|goal| {
                let income = career.earnings.map_or(0.0, |e| e.income);
                MoneyOutcome {
                    earned: income >= goal,
                    income,
                    expected: matched.map(|m| self.expected_income(career.creator, m, career.horizon_days)),
                }
            }),
            ..CohortOutcome::default()
        };
        if let Some((day, followers, before)) = matched
            && let Some(projected) = self.projected_day(day, followers, before, target)
            && projected <= f64::from(career.horizon_days)
        {
            outcome.projects = true;
            outcome.on_time = reached_day.is_some_and(|d| f64::from(d) <= projected.max(f64::from(day)));
        }
        outcome
    }

    fn new_summary(&self) -> CohortSummary {
        CohortSummary { money: self.income_goal.map(|_| CohortMoney::default()), ..CohortSummary::default() }
    }

    fn report(&self, summary: &CohortSummary) -> CohortSummary {
        summary.clone()
    }

    fn simulated_time(&self, outcome: &CohortOutcome) -> u64 {
        u64::from(outcome.days)
    }
}

/// "A living": the income a year the delusion gap in money asks about
/// when `money.goal` names none, $30,000 (the default levels' "a living",
/// [`crate::model::career::money::IncomeLevels`]).
pub const A_LIVING: f64 = 30_000.0;

/// The income goal of the delusion gap in money: `money.goal` if set, else
/// the level of `money.levels` nearest [`A_LIVING`] by ratio (the smallest
/// `|ln(level / 30,000)|`, a level of 0 the farthest; of two as near, the
/// lower).
pub fn income_goal(money: &Money) -> f64 {
    money.goal.unwrap_or_else(|| {
        let distance = |level: f64| if level > 0.0 { (level / A_LIVING).ln().abs() } else { f64::INFINITY };
        let levels = money.levels.as_slice();
        levels.iter().copied().fold(levels[0], |best, l| if distance(l) < distance(best) { l } else { best })
    })
}

/// One creator's money in [`DelusionCohort`] (with `[money]`).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct MoneyOutcome {
    /// Earned at least the income goal in the window.
    pub earned: bool,
    /// Income in the window.
    pub income: f64,
    /// Matched: the income their extrapolated followers would earn.
    pub expected: Option<f64>,
}

/// The money of a [`DelusionCohort`] run: integers and fixed-point sums.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CohortMoney {
    /// Creators who earned at least the goal.
    pub earned: u64,
    /// Creators still posting at the horizon who earned it.
    pub active_earned: u64,
    /// Matched creators who earned it.
    pub matched_earned: u64,
    /// Matched creators whose income reached what they expected.
    pub reached_expected: u64,
    /// Matched creators' expected income (whole units, below 0 as 0).
    expected: LogHistogram,
    /// Their actual income (whole units, below 0 as 0).
    actual: LogHistogram,
    /// The same in thousands, for means with intervals.
    expected_thousands: Moments,
    actual_thousands: Moments,
}

impl CohortMoney {
    fn record(&mut self, o: &CohortOutcome, m: &MoneyOutcome) {
        let n = |b: bool| u64::from(b);
        self.earned += n(m.earned);
        self.active_earned += n(o.active && m.earned);
        self.matched_earned += n(o.matched && m.earned);
        if let Some(expected) = m.expected {
            self.reached_expected += n(m.income >= expected);
            self.expected.record(expected.max(0.0).round() as u64);
            self.actual.record(m.income.max(0.0).round() as u64);
            self.expected_thousands.record(expected / 1000.0);
            self.actual_thousands.record(m.income / 1000.0);
        }
    }

    fn merge(&mut self, o: &Self) {
        self.earned += o.earned;
        self.active_earned += o.active_earned;
        self.matched_earned += o.matched_earned;
        self.reached_expected += o.reached_expected;
        self.expected.merge(&o.expected);
        self.actual.merge(&o.actual);
        self.expected_thousands.merge(&o.expected_thousands);
        self.actual_thousands.merge(&o.actual_thousands);
    }

    /// Each count within the group of `c` it is counted in.
    fn check(&self, c: &CohortSummary) -> Result<(), String> {
        use crate::model::within_count;
        within_count("earned", self.earned, "creators", c.creators)?;
        within_count("active_earned", self.active_earned, "active", c.active)?;
        within_count("matched_earned", self.matched_earned, "matched", c.matched)?;
        within_count("reached_expected", self.reached_expected, "matched", c.matched)?;
        for (what, count) in [
            ("expected incomes", self.expected.count()),
            ("actual incomes", self.actual.count()),
            ("expected income moments", self.expected_thousands.count()),
            ("actual income moments", self.actual_thousands.count()),
        ] {
            if count != c.matched {
                return Err(format!("its {what} count {count} creators, its matched creators {}", c.matched));
            }
        }
        Ok(())
    }

    /// What the matched creators expected against what they earned.
    pub fn extrapolated(&self) -> ExtrapolatedIncome {
        let thousands = |m: &Moments| m.mean_estimate().map(|e| e.map_increasing(|x| 1000.0 * x));
        ExtrapolatedIncome {
            creators: self.expected.count(),
            expected_mean: thousands(&self.expected_thousands),
            expected_median: QuantileEstimate::of(&self.expected, 0.5),
            actual_mean: thousands(&self.actual_thousands),
            actual_median: QuantileEstimate::of(&self.actual, 0.5),
            reached_expected: proportion(&Proportion::new(self.reached_expected, self.expected.count())),
            reached_expected_count: self.reached_expected,
        }
    }
}

/// What creators like you who extrapolate expect to earn, against what they earn.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExtrapolatedIncome {
    /// Creators like you (each extrapolates).
    pub creators: u64,
    /// Mean expected income, with Student's 95% interval.
    pub expected_mean: Option<Estimate>,
    /// Median expected income (below 0 as 0), with its distribution-free interval.
    pub expected_median: Option<QuantileEstimate>,
    /// Mean actual income in the window, with Student's 95% interval.
    pub actual_mean: Option<Estimate>,
    /// Median actual income (below 0 as 0).
    pub actual_median: Option<QuantileEstimate>,
    /// The share whose actual income reached what they expected, with its Wilson interval.
    pub reached_expected: Estimate,
    /// How many.
    pub reached_expected_count: u64,
}

/// Counts of a [`DelusionCohort`] run.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct CohortSummary {
    /// With `[money]`: the money counts (absent without).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub money: Option<CohortMoney>,
    /// Creators.
    pub creators: u64,
    /// Creators who reached the tier.
    pub reached: u64,
    /// Creators still posting at the horizon.
    pub active: u64,
    /// Of them, those who reached the tier.
    pub active_reached: u64,
    /// Creators who matched the observed state.
    pub matched: u64,
    /// Of them, those who reached the tier.
    pub matched_reached: u64,
    /// Matched creators whose compounded growth reaches the tier by the horizon.
    pub projectors: u64,
    /// Of them, those who reached it by their projected day.
    pub projectors_on_time: u64,
}

impl Summary<CohortOutcome> for CohortSummary {
    fn record(&mut self, o: &CohortOutcome) {
        let n = |b: bool| u64::from(b);
        self.creators += 1;
        self.reached += n(o.reached);
        self.active += n(o.active);
        self.active_reached += n(o.active && o.reached);
        self.matched += n(o.matched);
        self.matched_reached += n(o.matched && o.reached);
        self.projectors += n(o.projects);
        self.projectors_on_time += n(o.on_time);
        if let (Some(money), Some(m)) = (&mut self.money, &o.money) {
            money.record(o, m);
        }
    }

    fn merge(&mut self, o: &Self) {
        self.creators += o.creators;
        self.reached += o.reached;
        self.active += o.active;
        self.active_reached += o.active_reached;
        self.matched += o.matched;
        self.matched_reached += o.matched_reached;
        self.projectors += o.projectors;
        self.projectors_on_time += o.projectors_on_time;
        // Summaries of one study have one shape (the study checks it).
        if let (Some(a), Some(b)) = (&mut self.money, &o.money) {
            a.merge(b);
        }
    }

    fn trials(&self) -> u64 {
        self.creators
    }
    /// Each count is among the group it is counted in.
    fn check(&self) -> Result<(), String> {
        use crate::model::within_count;
        within_count("reached", self.reached, "creators", self.creators)?;
        within_count("active", self.active, "creators", self.creators)?;
        within_count("active_reached", self.active_reached, "active", self.active)?;
        within_count("active_reached", self.active_reached, "reached", self.reached)?;
        within_count("matched", self.matched, "creators", self.creators)?;
        within_count("matched_reached", self.matched_reached, "matched", self.matched)?;
        within_count("projectors", self.projectors, "matched", self.matched)?;
        within_count("projectors_on_time", self.projectors_on_time, "projectors", self.projectors)?;
        self.money.as_ref().map_or(Ok(()), |m| m.check(self))
    }
}

/// The visible odds: a snapshot of the platform, each account weighted by
/// its impressions a day (module docs).
#[derive(Debug, Clone)]
pub struct VisibleOdds {
    career: CareerModel,
    tier: Goal,
    /// The income goal, with `[money]` ([`income_goal`]).
    income_goal: Option<f64>,
    /// Platform openness `O(P)` on the snapshot's day.
    openness: f64,
    /// In a solved field: the snapshot's day `P` and the platform day whose
    /// price its accounts pay (`P` plus `competition.price_offset_days`).
    in_field: Option<(f64, f64)>,
}

impl VisibleOdds {
    /// A snapshot of `career`'s population and platform on day `platform_day`
    /// for `tier`, in `career`'s field (module docs): entry days uniform over
    /// `0..platform_day`, or, in a solved field, at the platform's entry rate
    /// over those days. In a solved field `platform_day` (plus the price
    /// offset) must be at most the field's days.
    pub fn new(career: &CareerModel, platform_day: u32, tier: Goal) -> Result<Self, FieldError> {
        let mut spec = *career.spec();
        spec.observation = Observation::Snapshot { platform_day };
        spec.population.entry_day = Law::Uniform { low: 0.0, high: f64::from(platform_day) };
        let day = f64::from(platform_day);
        let openness = spec.platform.openness(day);
        let income_goal = spec.money.as_ref().map(income_goal);
        let in_field = match (career.field(), spec.competition) {
            (Some(field), Some(competition)) if !field.is_openness() => {
                let days = competition.platform_days;
                if day + competition.price_offset_days > f64::from(days) {
                    return Err(FieldError::new(
                        "platform_day",
                        platform_day,
                        format!(
                            "must be at most competition.platform_days = {days} less competition.price_offset_days: \
                             the snapshot's accounts live in the solved field"
                        ),
                    ));
                }
                Some((day, day + competition.price_offset_days))
            }
            _ => None,
        };
        Ok(VisibleOdds { career: career.with_spec(spec)?, tier, income_goal, openness, in_field })
    }

    /// The model its accounts run in (the scenario's, seen on the snapshot's day).
    pub fn career(&self) -> &CareerModel {
        &self.career
    }
}

/// Impressions a day are recorded in millions: on the default platform even
/// an account of 1e12 followers (the largest niche) posting four times a day
/// stays within the fixed-point range; a weight beyond it is clamped, and the
/// report counts and flags it.
const IMPRESSION_UNIT: f64 = 1e6;

/// One account of a snapshot: its weight, whether it is at or above the
/// tier, its days, and (with `[money]`) whether its last year's income
/// reached the goal.
pub type Account = (f64, bool, u32, Option<bool>);

impl Model for VisibleOdds {
    type Outcome = Account;
    type Summary = VisibleSummary;
    type Report = VisibleSummary;

    fn sample_trial(&self, streams: &TrialStreams) -> Account {
        let mut creator = self.career.sample_creator(streams);
        let competing = self.in_field.zip(self.career.spec().competition);
        if let Some(((day, _), competition)) = competing {
            let u: f64 = streams.rng(Source::PlatformEntry).random();
            creator.entry_day = competition.entry_day_within(u, day);
        }
        let career = self.career.simulate(streams, creator, self.career.horizon_days(creator.entry_day));
        let pl = &self.career.spec().platform;
        let f = career.followers as f64;
        // A post's non-followers at average luck: Career's `O(P) (d0 + s F)`,
        // or in a solved field `p q^kappa (1 + F / F0)^gamma + O(P) s F`
        // (the price replaces `O(P) d0`, crate::model::platform).
        let reached = match (competing, self.career.field()) {
            (Some(((_, price_day), competition)), Some(field)) => {
                field.price_for(price_day, f) * competition.appeal_of(career.creator.talent)
                    + self.openness * pl.share_rate * f
            }
            _ => self.openness * (pl.discovery + pl.share_rate * f),
        };
        let weight =
            if career.active { career.creator.effort / 7.0 * (f + reached) / IMPRESSION_UNIT } else { 0.0 };
        let at_tier = career.followers >= self.career.spec().tiers.followers_of(self.tier);
        let earned = self.income_goal.map(|goal| career.earnings.is_some_and(|e| e.income >= goal));
        (weight, at_tier, career.career_days, earned)
    }

    fn new_summary(&self) -> VisibleSummary {
        VisibleSummary {
            at_tier: 0,
            weights: CrossMoments::new(2),
            money: self.income_goal.map(|_| VisibleIncome { earning: 0, weights: CrossMoments::new(2) }),
        }
    }

    fn report(&self, summary: &VisibleSummary) -> VisibleSummary {
        summary.clone()
    }

    fn simulated_time(&self, outcome: &Account) -> u64 {
        u64::from(outcome.2)
    }
}

/// Statistics of a snapshot: accounts, those at or above the tier, and the
/// cross moments of `(w 1[at tier], w)`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VisibleSummary {
    /// Accounts at or above the tier.
    pub at_tier: u64,
    weights: CrossMoments,
    /// With `[money]`: the same for the income goal (absent without).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub money: Option<VisibleIncome>,
}

/// A snapshot's accounts whose last year's income reached the goal, and
/// the cross moments of `(w 1[earned], w)`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VisibleIncome {
    /// Accounts whose income reached the goal.
    pub earning: u64,
    weights: CrossMoments,
}

impl VisibleIncome {
    /// The impression-weighted share of accounts earning the goal
    /// ([`VisibleSummary::weighted_share`]'s estimator).
    pub fn weighted_share(&self) -> Option<Estimate> {
        weighted_share_of(&self.weights)
    }

    /// Kish's effective number of accounts earning the goal.
    pub fn effective_hits(&self) -> f64 {
        effective_hits_of(&self.weights)
    }

    /// Whether the weighted share's interval can be trusted (as [`VisibleSummary::trusted`]).
    pub fn trusted(&self) -> bool {
        self.effective_hits() >= MIN_EFFECTIVE_HITS && self.weights.clamped() == 0
    }
}

impl VisibleSummary {
    /// Whether its moments have the dimension a snapshot keeps (a check of
    /// what a file held).
    pub fn has_shape(&self) -> bool {
        self.weights.has_dim(2)
    }

    /// Accounts in the snapshot.
    pub fn accounts(&self) -> u64 {
        self.weights.count()
    }

    /// The impression-weighted share of accounts at or above the tier,
    /// `R = sum w_hit / sum w`, with its delta-method standard error and a
    /// 95% interval on the log scale, `R exp(-/+ z SE / R)`: the weights
    /// are heavy-tailed, so `R`'s law is skewed right, and the log scale
    /// covers better than the symmetric interval at every size measured
    /// (docs/VALIDATION.md, "The delusion table at few hits"). With no
    /// impression at the tier, `R = 0` and the upper limit is Wilson's at 0
    /// hits among Kish's effective number of accounts `n* = (sum w)² / sum w²`,
    /// `z² / (n* + z²)` (the effective-sample-size score interval of Korn &
    /// Graubard 1998), and its mirror image when every impression is at the
    /// tier: never zero-width. `None` without impressions.
    pub fn weighted_share(&self) -> Option<Estimate> {
        weighted_share_of(&self.weights)
    }

    /// Values clamped in the fixed-point sums (0 in any sound run).
    pub fn clamped(&self) -> u64 {
        self.weights.clamped()
    }

    /// Kish's effective number of hits, `(sum w_hit)² / sum w_hit²`: how
    /// many equally weighted accounts at the tier would carry as much
    /// information as those seen. A few heavy accounts make it small.
    pub fn effective_hits(&self) -> f64 {
        effective_hits_of(&self.weights)
    }

    /// Whether the weighted share's interval can be trusted:
    /// at least [`MIN_EFFECTIVE_HITS`] effective hits and no weight clamped.
    pub fn trusted(&self) -> bool {
        self.effective_hits() >= MIN_EFFECTIVE_HITS && self.clamped() == 0
    }
}

/// The impression-weighted share of the first coordinate of `(w 1[hit], w)`
/// ([`VisibleSummary::weighted_share`] gives the estimator).
fn weighted_share_of(weights: &CrossMoments) -> Option<Estimate> {
    let (a, b) = (weights.mean(0), weights.mean(1));
    if b <= 0.0 {
        return None;
    }
    if a <= 0.0 || a >= b {
        // No impression at the tier, or every one: Wilson's interval at
        // Kish's effective number of accounts (at most the accounts seen:
        // squares of tiny weights may round to 0 in fixed point).
        let accounts = weights.count() as f64;
        let n = kish_effective_size(b * accounts, weights.sum_of_products(1, 1));
        let value = if a <= 0.0 { 0.0 } else { 1.0 };
        let Interval { lower, upper } =
            wilson_at(value, if n > 0.0 { n.min(accounts) } else { accounts }, 0.95);
        return Some(Estimate { value, std_error: 0.0, confidence: 0.95, lower, upper });
    }
    let z = normal_quantile_two_sided(0.95);
    let linear = weights.delta(a / b, &[1.0 / b, -a / (b * b)])?;
    let spread = (z * linear.std_error / linear.value).exp();
    Some(Estimate { lower: linear.value / spread, upper: (linear.value * spread).min(1.0), ..linear })
}

/// Kish's effective number of hits of `(w 1[hit], w)`, `(sum w_hit)² / sum w_hit²`.
fn effective_hits_of(weights: &CrossMoments) -> f64 {
    kish_effective_size(weights.mean(0) * weights.count() as f64, weights.sum_of_products(0, 0))
}

/// The fewest effective hits ([`VisibleSummary::effective_hits`]) at which
/// the impression-weighted share's interval is trusted. Measured on
/// heavy-tailed weights (LogNormal(0, 1.5), 1,600 snapshots of 3-100
/// expected hits, `cargo test --release --lib weighted_share_at_few_hits`):
/// see docs/VALIDATION.md, "The delusion table at few hits".
pub const MIN_EFFECTIVE_HITS: f64 = 30.0;

impl Summary<Account> for VisibleSummary {
    fn record(&mut self, &(w, at_tier, _, earned): &Account) {
        self.at_tier += u64::from(at_tier);
        self.weights.record(&[if at_tier { w } else { 0.0 }, w]);
        if let (Some(m), Some(earned)) = (&mut self.money, earned) {
            m.earning += u64::from(earned);
            m.weights.record(&[if earned { w } else { 0.0 }, w]);
        }
    }

    fn merge(&mut self, o: &Self) {
        self.at_tier += o.at_tier;
        self.weights.merge(&o.weights);
        // Summaries of one study have one shape (the study checks it).
        if let (Some(a), Some(b)) = (&mut self.money, &o.money) {
            a.earning += b.earning;
            a.weights.merge(&b.weights);
        }
    }

    fn trials(&self) -> u64 {
        self.accounts()
    }
    /// Accounts at the tier are among the accounts; the weights at the
    /// tier are part of all the weights, none negative.
    fn check(&self) -> Result<(), String> {
        crate::model::within_count("accounts at the tier", self.at_tier, "accounts", self.accounts())?;
        let (hit, all) = (self.weights.mean(0), self.weights.mean(1));
        if !(0.0 <= hit && hit <= all * (1.0 + 1e-12)) {
            return Err(format!("its mean weight at the tier {hit} is not within its mean weight {all}"));
        }
        if let Some(m) = &self.money {
            crate::model::within_count("accounts earning the goal", m.earning, "accounts", self.accounts())?;
            if !m.weights.has_dim(2) || m.weights.count() != self.accounts() {
                return Err("its income weights have another shape or count than its accounts".into());
            }
        }
        Ok(())
    }
}

/// One way of seeing the odds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct View {
    /// Short name: true, survivor, visible, census, like_you, self_assessed,
    /// extrapolated, extrapolators_on_time.
    pub view: String,
    /// What it is, in words.
    pub description: String,
    /// The odds with their standard error and 95% interval (mended Wilson
    /// for a plain proportion, delta method on the log scale for the
    /// weighted share).
    pub odds: Estimate,
    /// Events and the population they are counted in (`None` for a weighted share).
    pub counts: Option<(u64, u64)>,
    /// The odds as a factor over the true odds, with its 95% interval.
    pub factor: Option<Estimate>,
    /// Whether the odds' interval (and so the factor's) holds at the
    /// counts in hand. Proportions always do (mended Wilson, measured at
    /// any count); the impression-weighted share only with at least
    /// [`MIN_EFFECTIVE_HITS`] effective hits.
    pub trusted: bool,
}

/// The delusion table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DelusionReport {
    /// The tier whose odds are compared.
    pub tier: Goal,
    /// Its threshold.
    pub threshold: u64,
    /// Every view, the true odds first.
    pub views: Vec<View>,
    /// The cohort's counts.
    pub cohort: CohortSummary,
    /// Accounts in the snapshot.
    pub snapshot_accounts: u64,
    /// Weights clamped in the snapshot's sums (0 in any sound run).
    pub clamped: u64,
    /// Accounts at or above the tier in the snapshot.
    pub snapshot_at_tier: u64,
    /// Their effective number, [`VisibleSummary::effective_hits`].
    pub snapshot_effective_hits: f64,
    /// With `[money]`: the delusion gap in money (absent without).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub money: Option<MoneyGap>,
}

/// The delusion gap in money: the chance of earning the income goal seen
/// each way, and what extrapolating creators like you expect to earn.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MoneyGap {
    /// The income goal a year ([`income_goal`]).
    pub goal: f64,
    /// Its name as reports name income levels (`$30k`).
    pub goal_name: String,
    /// The days income is counted over, ending at the horizon.
    pub window_days: u32,
    /// Each view of the chance of earning the goal, the true chance first,
    /// factors over it: true, survivor, visible, census, like_you, self_assessed.
    pub views: Vec<View>,
    /// Accounts of the snapshot earning the goal, and their effective number.
    pub snapshot_earning: u64,
    /// [`VisibleIncome::effective_hits`].
    pub snapshot_effective_hits: f64,
    /// What creators like you who extrapolate expect, against what they earn.
    pub extrapolated: ExtrapolatedIncome,
}

impl DelusionReport {
    /// The view named `name`.
    pub fn view(&self, name: &str) -> Option<&View> {
        self.views.iter().find(|v| v.view == name)
    }
}

/// A proportion as an estimate: the Wilson interval, SE `sqrt(p (1 - p) / n)`.
pub fn proportion(p: &Proportion) -> Estimate {
    Estimate {
        value: p.estimate,
        std_error: p.std_error,
        confidence: 0.95,
        lower: p.wilson.lower,
        upper: p.wilson.upper,
    }
}

/// `a / b` with the 95% interval of the ratio of two independent estimates
/// by the method of variance estimates recovery on the log scale (MOVER,
/// Zou & Donner 2008, *Statistics in Medicine* 27:1693): from each
/// estimate's own interval `[l, u]` around `p`,
///
/// ```text
/// ln f -/+ sqrt( (ln p_a - ln l_a)² + (ln u_b - ln p_b)² )     (lower)
///          sqrt( (ln u_a - ln p_a)² + (ln p_b - ln l_b)² )     (upper)
/// ```
///
/// so the limits inherit the intervals' behaviour at few hits (the mended
/// Wilson's for proportions), where the log-delta interval of Katz et al.
/// covers 0.33 at half an expected hit. With `a = 0` the factor is 0 and
/// its upper limit `u_a / sqrt(l_b (2 p_b - l_b))`, the MOVER ratio limit at
/// `p_a = 0`. Exact coverage: docs/VALIDATION.md, "The delusion table at
/// few hits". `None` when `b` is 0. The standard error is the log-delta
/// `f sqrt(se_a²/p_a² + se_b²/p_b²)` (0 with `a = 0`).
pub fn factor(a: &Estimate, b: &Estimate) -> Option<Estimate> {
    if b.value <= 0.0 || b.lower <= 0.0 {
        return None;
    }
    let (ln_pb, ln_lb, ln_ub) = (b.value.ln(), b.lower.ln(), b.upper.ln());
    if a.value <= 0.0 {
        return Some(Estimate {
            value: 0.0,
            std_error: 0.0,
            confidence: 0.95,
            lower: 0.0,
            upper: a.upper / (b.lower * (2.0 * b.value - b.lower)).sqrt(),
        });
    }
    let f = a.value / b.value;
    let ln_pa = a.value.ln();
    let lower = if a.lower > 0.0 {
        (ln_pa - ln_pb - ((ln_pa - a.lower.ln()).powi(2) + (ln_ub - ln_pb).powi(2)).sqrt()).exp()
    } else {
        0.0
    };
    let upper = (ln_pa - ln_pb + ((a.upper.ln() - ln_pa).powi(2) + (ln_pb - ln_lb).powi(2)).sqrt()).exp();
    let se_log = ((a.std_error / a.value).powi(2) + (b.std_error / b.value).powi(2)).sqrt();
    Some(Estimate { value: f, std_error: f * se_log, confidence: 0.95, lower, upper })
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{Rng, RngExt, SeedableRng};
    use rand_distr::{Distribution, LogNormal};

    #[test]
    fn the_income_goal_is_the_scenarios_or_the_level_nearest_a_living() {
        let with = |levels: Vec<f64>, goal| Money {
            levels: crate::model::career::money::IncomeLevels::try_from(levels).unwrap(),
            goal,
            ..Money::default()
        };
        assert_eq!(income_goal(&Money::default()), 30_000.0);
        assert_eq!(income_goal(&with(vec![10_000.0, 50_000.0], None)), 50_000.0, "by ratio: 5/3 < 3");
        assert_eq!(income_goal(&with(vec![0.0, 1_000_000.0], None)), 1_000_000.0, "0 is the farthest");
        assert_eq!(income_goal(&with(vec![15_000.0, 60_000.0], None)), 15_000.0, "as near: the lower");
        assert_eq!(income_goal(&with(vec![10_000.0, 50_000.0], Some(10_000.0))), 10_000.0, "money.goal");
    }

    #[test]
    fn weighted_share_is_never_zero_width_at_the_edges() {
        // No impression at the tier: 0 with Wilson's upper limit at 0 hits
        // among the effective accounts; here 4 equal weights, n* = 4.
        let mut none = VisibleSummary { at_tier: 0, weights: CrossMoments::new(2), money: None };
        let mut all = none.clone();
        for _ in 0..4 {
            none.record(&(2.0, false, 0, None));
            all.record(&(2.0, true, 0, None));
        }
        let z2 = normal_quantile_two_sided(0.95).powi(2);
        let e = none.weighted_share().unwrap();
        assert_eq!((e.value, e.lower), (0.0, 0.0));
        assert!((e.upper - z2 / (4.0 + z2)).abs() < 1e-12, "{e:?}");
        let e = all.weighted_share().unwrap();
        assert_eq!((e.value, e.upper), (1.0, 1.0));
        assert!((e.lower - 4.0 / (4.0 + z2)).abs() < 1e-12, "{e:?}");
        assert!(!none.trusted() && !all.trusted(), "4 accounts are too few to trust");
        // No impressions at all (every account quit): nothing to show.
        let mut quiet = VisibleSummary { at_tier: 0, weights: CrossMoments::new(2), money: None };
        quiet.record(&(0.0, true, 0, None));
        assert!(quiet.weighted_share().is_none());
    }

    #[test]
    fn weighted_share_intervals_cover_the_true_ratio() {
        // Heavy-tailed weights w ~ LogNormal(0, 1.5) and hits with P(hit | w)
        // = w / (w + 20): the impression-weighted share is
        // E[w²/(w+20)] / E[w], computed here by a 4e6-draw average, and
        // 400 runs of 20,000 accounts check the delta-method interval.
        let law = LogNormal::new(0.0, 1.5).unwrap();
        let mut rng = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(1);
        let (mut num, mut den) = (0.0, 0.0);
        for _ in 0..4_000_000 {
            let w: f64 = law.sample(&mut rng);
            num += w * w / (w + 20.0);
            den += w;
        }
        let truth = num / den;
        let mut covered = 0;
        for _ in 0..400 {
            let mut s = VisibleSummary { at_tier: 0, weights: CrossMoments::new(2), money: None };
            for _ in 0..20_000 {
                let w: f64 = law.sample(&mut rng);
                let hit = rng.random::<f64>() < w / (w + 20.0);
                s.record(&(w, hit, 0, None));
            }
            let e = s.weighted_share().unwrap();
            covered += u32::from(e.lower <= truth && truth <= e.upper);
            let _ = rng.next_u64();
        }
        // Binomial(400, 0.95) lies in [362, 398] with probability > 0.9999.
        eprintln!("weighted share: covered {covered} of 400 (truth {truth})");
        assert!((362..=398).contains(&covered), "covered {covered} of 400 (truth {truth})");
    }

    #[test]
    fn weighted_share_at_few_hits_is_flagged_where_it_does_not_cover() {
        // As above, with hits made rare: P(hit | w) = c w / (w + 20), c set
        // for 3 to 1,000 expected hits among 20,000 accounts; the truth
        // (exact, by quadrature) scales with c. Coverage is pooled by the
        // flag, that is by the effective number of hits.
        let law = LogNormal::new(0.0, 1.5).unwrap();
        let mut rng = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(7);
        // E[g(w)] for w = exp(1.5 z), z standard normal, by the trapezoid
        // rule on [-12, 12] (exact to far below the Monte Carlo error).
        let expect = |g: &dyn Fn(f64) -> f64| {
            let h = 1e-3;
            (0..=24_000)
                .map(|j| {
                    let z = -12.0 + f64::from(j) * h;
                    let end = if j == 0 || j == 24_000 { 0.5 } else { 1.0 };
                    end * h * (-0.5 * z * z).exp() / (2.0 * std::f64::consts::PI).sqrt() * g((1.5 * z).exp())
                })
                .sum::<f64>()
        };
        let num = expect(&|w| w * w / (w + 20.0));
        let den = expect(&|w| w);
        let base = expect(&|w| w / (w + 20.0));
        let (accounts, runs) = (20_000u32, 400u32);
        let (mut trusted, mut flagged) = ([0u32; 2], [0u32; 2]);
        for expected in [3.0, 10.0, 30.0, 100.0, 300.0, 1000.0] {
            let c = expected / (f64::from(accounts) * base);
            let truth = c * num / den;
            let mut row = [0u32; 2];
            for _ in 0..runs {
                let mut s = VisibleSummary { at_tier: 0, weights: CrossMoments::new(2), money: None };
                for _ in 0..accounts {
                    let w: f64 = law.sample(&mut rng);
                    let hit = rng.random::<f64>() < c * w / (w + 20.0);
                    s.record(&(w, hit, 0, None));
                }
                let covered = s.weighted_share().is_some_and(|e| e.lower <= truth && truth <= e.upper);
                let bin = if s.trusted() { &mut trusted } else { &mut flagged };
                bin[0] += u32::from(covered);
                bin[1] += 1;
                row[0] += u32::from(covered);
                row[1] += u32::from(s.trusted());
            }
            eprintln!(
                "expected hits {expected:>6}: covered {:.3}, trusted in {} of {runs}",
                f64::from(row[0]) / f64::from(runs),
                row[1]
            );
        }
        let rate = |b: [u32; 2]| f64::from(b[0]) / f64::from(b[1].max(1));
        eprintln!(
            "weighted share at few hits: trusted {} of {} covered ({:.3}), flagged {} of {} ({:.3})",
            trusted[0],
            trusted[1],
            rate(trusted),
            flagged[0],
            flagged[1],
            rate(flagged)
        );
        assert!(trusted[1] >= 400 && flagged[1] >= 400, "{trusted:?} {flagged:?}");
        // Where trusted, within 4 SE of nominal; where flagged, well below it.
        let se = (0.95 * 0.05 / f64::from(trusted[1])).sqrt();
        assert!(rate(trusted) > 0.95 - 4.0 * se, "{trusted:?}");
        assert!(rate(flagged) < 0.90, "{flagged:?}");
    }
}
