//! Statistics of many careers (mergeable) and the report they give.

use crate::model::Summary;
use crate::model::career::Career;
use crate::model::career::money::{Money, MoneyReport, MoneySummary};
use crate::stats::{
    Chance, Chances, Interval, LogHistogram, Proportion, RankTable, normal_quantile_two_sided,
};
use crate::tier::{Level, TIER_COUNT, Tier, Tiers};
use serde::{Deserialize, Serialize};

/// Talent is binned into this many equal bins on `[0, 1]` for rank statistics.
pub const TALENT_BINS: u32 = 1000;
/// Followers are binned in log buckets of this precision (exact below 64,
/// about 3% wide above) for rank statistics.
const RANK_PRECISION: u32 = 6;

/// Mergeable statistics of many careers (integers only; see [`Summary`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CareerSummary {
    tiers: Tiers,
    trials: u64,
    /// Career day each level was first reached, per level in the slot
    /// order of [`Tiers::levels`]; its count is the number who reached it.
    reach_day: Vec<LogHistogram>,
    /// Careers at or above each level at the horizon, in the same order.
    at_horizon: Vec<u64>,
    followers: LogHistogram,
    talent_followers: RankTable,
    active: u64,
    career_days: LogHistogram,
    /// Followers on each trajectory day, among the careers observed that long.
    trajectory: Vec<DaySummary>,
    /// Active followers at the horizon, kept only when the model has
    /// inactive followers (`platform.inactive_rate`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    active_followers: Option<LogHistogram>,
    /// Engagement and income, kept only with `[engagement]` or `[money]` on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    money: Option<Box<MoneySummary>>,
}

/// Followers on one career day, among the careers observed that long.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DaySummary {
    /// The career day.
    pub day: u32,
    /// Followers after that day, one value per career observed that long.
    pub followers: LogHistogram,
}

impl CareerSummary {
    /// Whether `other` has this summary's shape (tiers, histogram
    /// precisions), so the two merge (a check of what a file held).
    pub fn same_shape(&self, other: &CareerSummary) -> bool {
        let histograms = |s: &CareerSummary| {
            let mut p: Vec<u32> = s.reach_day.iter().map(LogHistogram::precision).collect();
            p.extend([s.followers.precision(), s.career_days.precision()]);
            p.extend(s.trajectory.iter().map(|d| d.followers.precision()));
            p
        };
        self.tiers == other.tiers
            && self.days() == other.days()
            && self.active_followers.is_some() == other.active_followers.is_some()
            && match (&self.money, &other.money) {
                (Some(a), Some(b)) => a.same_shape(b),
                (a, b) => a.is_none() && b.is_none(),
            }
            && histograms(self) == histograms(other)
            && self.at_horizon.len() == other.at_horizon.len()
    }

    /// The tiers it counts.
    pub fn tiers(&self) -> Tiers {
        self.tiers
    }

    /// The trajectory days summarised.
    pub fn days(&self) -> Vec<u32> {
        self.trajectory.iter().map(|d| d.day).collect()
    }

    /// An empty summary for these tiers and trajectory days.
    pub fn new(tiers: Tiers, days: &[u32]) -> Self {
        CareerSummary {
            tiers,
            trials: 0,
            reach_day: vec![LogHistogram::default(); tiers.levels().len()],
            at_horizon: vec![0; tiers.levels().len()],
            followers: LogHistogram::default(),
            talent_followers: RankTable::new(),
            active: 0,
            career_days: LogHistogram::default(),
            trajectory: days
                .iter()
                .map(|&day| DaySummary { day, followers: LogHistogram::default() })
                .collect(),
            active_followers: None,
            money: None,
        }
    }

    /// The same summary, also keeping engagement, the careers reaching each
    /// engaged audience of `audience_levels`, and (with `money`) income (a
    /// model with `[engagement]` or `[money]` on).
    pub fn with_money(mut self, money: Option<&Money>, audience_levels: &[f64]) -> Self {
        self.money = Some(Box::new(MoneySummary::new(money.map(|m| m.levels.as_slice()), audience_levels)));
        self
    }

    /// The same summary, also keeping the active followers at the horizon
    /// (a model with inactive followers: `platform.inactive_rate`).
    pub fn with_active_followers(mut self) -> Self {
        self.active_followers = Some(LogHistogram::default());
        self
    }

    /// The report at 95% confidence (through [`crate::Model::report`]).
    pub(crate) fn report(&self, money: Option<&Money>) -> CareerReport {
        let n = self.trials;
        let goal = self.tiers.goal_slot();
        let mut levels: Vec<(usize, Level)> = self.tiers.levels().into_iter().enumerate().collect();
        levels.sort_by_key(|(_, level)| level.followers);
        let levels = levels
            .into_iter()
            .map(|(i, level)| {
                let days = &self.reach_day[i];
                let reached = Proportion::new(days.count(), n);
                LevelReport {
                    chance: Chance::brute(level.name, level.followers as f64, i == goal, &reached),
                    tier: level.tier,
                    clopper_pearson: reached.clopper_pearson,
                    days_to_reach: DayQuantiles {
                        p10: days.quantile(0.10),
                        p50: days.quantile(0.50),
                        p90: days.quantile(0.90),
                    },
                    at_horizon: Proportion::new(self.at_horizon[i], n),
                }
            })
            .collect();
        let f = &self.followers;
        // Accounts in each tier's band [threshold, next threshold) at the horizon,
        // among those at or above the lowest tier: the form published tier shares take.
        let listed = self.at_horizon[0];
        let tier_mix_at_horizon = Tier::ALL
            .iter()
            .map(|&tier| {
                let i = tier.index();
                let above_next = if i + 1 < TIER_COUNT { self.at_horizon[i + 1] } else { 0 };
                TierShare { tier, share: Proportion::new(self.at_horizon[i] - above_next, listed) }
            })
            .collect();
        CareerReport {
            trials: n,
            goal: self.tiers.goal_name(),
            levels,
            tier_mix_at_horizon,
            followers: FollowerReport {
                mean: f.mean(),
                p50: QuantileEstimate::of(f, 0.5),
                p90: QuantileEstimate::of(f, 0.9),
                p99: QuantileEstimate::of(f, 0.99),
                p999: QuantileEstimate::of(f, 0.999),
                gini: f.gini(),
                top_1pct_share: f.top_share(0.01),
                ccdf: follower_ccdf(f),
            },
            careers: CareerLengthReport {
                active_at_horizon: Proportion::new(self.active, n),
                median_career_days: self.career_days.quantile(0.5),
                mean_career_days: self.career_days.mean(),
            },
            talent: TalentReport {
                spearman_talent_followers: self.talent_followers.spearman(),
                top_1pct_mean_talent_percentile: self.talent_followers.mean_x_percentile_of_top(0.01),
                top_0_1pct_mean_talent_percentile: self.talent_followers.mean_x_percentile_of_top(0.001),
            },
            creator_days: u64::try_from(self.career_days.sum()).unwrap_or(u64::MAX),
            trajectory: self.trajectory.iter().map(DaySummary::report).collect(),
            active_followers: self.active_followers.as_ref().map(|a| ActiveReport {
                mean: a.mean(),
                share_active: a.mean().zip(f.mean()).map(|(a, f)| if f > 0.0 { a / f } else { 1.0 }),
                p10: QuantileEstimate::of(a, 0.10),
                p50: QuantileEstimate::of(a, 0.50),
                p90: QuantileEstimate::of(a, 0.90),
                p99: QuantileEstimate::of(a, 0.99),
            }),
            engagement: self.money.as_ref().map(|m| m.report(money, self.tiers.thresholds())),
        }
    }
}

impl DaySummary {
    /// The day's quantiles with their intervals, and its mean.
    fn report(&self) -> DayReport {
        let f = &self.followers;
        DayReport {
            day: self.day,
            observed: f.count(),
            mean: f.mean(),
            p10: QuantileEstimate::of(f, 0.10),
            p50: QuantileEstimate::of(f, 0.50),
            p90: QuantileEstimate::of(f, 0.90),
            p99: QuantileEstimate::of(f, 0.99),
        }
    }
}

impl Summary<Career> for CareerSummary {
    fn same_shape(&self, other: &CareerSummary) -> bool {
        CareerSummary::same_shape(self, other)
    }
    fn record(&mut self, c: &Career) {
        self.trials += 1;
        for (days, day) in self.reach_day.iter_mut().zip(&c.reached_day) {
            if let Some(day) = day {
                days.record(u64::from(*day));
            }
        }
        for (at, level) in self.at_horizon.iter_mut().zip(self.tiers.levels()) {
            *at += u64::from(c.followers >= level.followers);
        }
        self.followers.record(c.followers);
        let talent_bin = ((c.creator.talent * f64::from(TALENT_BINS)) as u32).min(TALENT_BINS - 1);
        let follower_bin = LogHistogram::bucket_index(c.followers, RANK_PRECISION) as u32;
        self.talent_followers.record(talent_bin, follower_bin);
        self.active += u64::from(c.active);
        self.career_days.record(u64::from(c.career_days));
        for (day, &followers) in self.trajectory.iter_mut().zip(c.at_days.as_slice()) {
            day.followers.record(followers);
        }
        if let Some(active) = &mut self.active_followers {
            active.record(c.active_followers);
        }
        if let (Some(money), Some(earnings)) = (&mut self.money, &c.earnings) {
            let band = self.tiers.thresholds().iter().filter(|&&t| c.followers >= t).count();
            money.record(earnings, band);
        }
    }

    fn merge(&mut self, other: &Self) {
        assert_eq!(self.tiers, other.tiers, "summaries of different tier schemes");
        self.trials += other.trials;
        for (a, b) in self.at_horizon.iter_mut().zip(&other.at_horizon) {
            *a += b;
        }
        for (a, b) in self.reach_day.iter_mut().zip(&other.reach_day) {
            a.merge(b);
        }
        self.followers.merge(&other.followers);
        self.talent_followers.merge(&other.talent_followers);
        self.active += other.active;
        self.career_days.merge(&other.career_days);
        assert_eq!(self.days(), other.days(), "summaries of different trajectory days");
        for (a, b) in self.trajectory.iter_mut().zip(&other.trajectory) {
            a.followers.merge(&b.followers);
        }
        assert_eq!(
            self.active_followers.is_some(),
            other.active_followers.is_some(),
            "summaries with and without active followers"
        );
        if let (Some(a), Some(b)) = (&mut self.active_followers, &other.active_followers) {
            a.merge(b);
        }
        assert_eq!(self.money.is_some(), other.money.is_some(), "summaries with and without money");
        if let (Some(a), Some(b)) = (&mut self.money, &other.money) {
            a.merge(b);
        }
    }

    fn trials(&self) -> u64 {
        self.trials
    }

    /// Every career records its final followers, its career days and its
    /// talent once; a tier reached is counted at most once per career, and
    /// a higher tier only by careers that reached the lower ones; followers
    /// at or above a threshold at the horizon mean the tier was reached;
    /// a career observed on a trajectory day was observed on the days
    /// before it, and the days increase.
    fn check(&self) -> Result<(), String> {
        use crate::model::within_count;
        let n = self.trials;
        for (what, count) in [
            ("final followers", self.followers.count()),
            ("career lengths", self.career_days.count()),
            ("talent-followers pairs", self.talent_followers.count()),
            ("active followers", self.active_followers.as_ref().map_or(n, LogHistogram::count)),
        ] {
            if count != n {
                return Err(format!("its {what} count {count} careers, its trials {n}"));
            }
        }
        within_count("active creators", self.active, "careers", n)?;
        if let Some(money) = &self.money {
            money.check(n)?;
        }
        let mut levels: Vec<(usize, Level)> = self.tiers.levels().into_iter().enumerate().collect();
        if self.reach_day.len() != levels.len() || self.at_horizon.len() != levels.len() {
            return Err(format!(
                "it counts {} levels reached and {} at the horizon, its tiers and goal make {}",
                self.reach_day.len(),
                self.at_horizon.len(),
                levels.len()
            ));
        }
        levels.sort_by_key(|(_, level)| level.followers);
        let mut above = n;
        for (i, level) in levels {
            let reached = self.reach_day[i].count();
            within_count(
                &format!("careers reaching {}", level.name),
                reached,
                "that reached the level below (or careers)",
                above,
            )?;
            within_count(
                &format!("careers at {} at the horizon", level.name),
                self.at_horizon[i],
                "that reached it",
                reached,
            )?;
            above = reached;
        }
        let mut observed = n;
        let mut after = 0;
        for d in &self.trajectory {
            if d.day <= after {
                return Err(format!("its trajectory day {} comes after day {after}", d.day));
            }
            within_count(
                &format!("careers observed on day {}", d.day),
                d.followers.count(),
                "observed on the day before (or careers)",
                observed,
            )?;
            (observed, after) = (d.followers.count(), d.day);
        }
        Ok(())
    }
}

/// A quantile with a 95% distribution-free confidence interval: the values
/// at the order-statistic ranks `floor(n q - h)` and `ceil(n q + h) + 1`,
/// `h = 1.96 sqrt(n q (1 - q))` (normal approximation to the binomial count
/// of values below the quantile). Values are exact below 1024 and within
/// 0.2% above (the histogram's buckets).
///
/// The interval `[X_(l), X_(u)]` holds the true quantile `ξ` of a continuous
/// law exactly when `l <= B <= u - 1`, `B ~ Binomial(n, q)` the values below
/// `ξ`, so its exact coverage `P(l <= B <= u - 1)` is known from `n` and `q`
/// alone (higher for values with ties). It is at least 0.95 wherever both
/// ranks fall inside `1..=n`, and collapses where one is cut to the sample's
/// end (0.40 for the 90th percentile of 5 values, 0.61 for the 99.9th of
/// 1,000): a sample cannot bound a quantile beyond its extremes. An interval
/// whose exact coverage is below 0.95 is marked `trusted: false`, and tables
/// print no interval for it (docs/VALIDATION.md, "Quantiles at few careers").
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct QuantileEstimate {
    /// The probability level, e.g. 0.99.
    pub q: f64,
    /// The estimated quantile (nearest rank).
    pub value: f64,
    /// Lower end of the 95% interval.
    pub lower: f64,
    /// Upper end of the 95% interval.
    pub upper: f64,
    /// Whether the interval's exact coverage for a continuous law,
    /// `P(l <= B <= u - 1)`, is at least 0.95; it falls below only where a
    /// rank is cut to the first or last value, which then bounds nothing.
    pub trusted: bool,
}

impl QuantileEstimate {
    /// The `q`-quantile of `hist` with its interval, or `None` when empty.
    pub fn of(hist: &LogHistogram, q: f64) -> Option<Self> {
        let n = hist.count();
        let value = hist.quantile(q)?;
        let nf = n as f64;
        let half = normal_quantile_two_sided(0.95) * (nf * q * (1.0 - q)).sqrt();
        let lo_rank = ((nf * q - half).floor().max(0.0) as u64).clamp(1, n);
        let hi_rank = ((nf * q + half).ceil() as u64 + 1).clamp(1, n);
        Some(QuantileEstimate {
            q,
            value,
            lower: hist.value_at_rank(lo_rank)?,
            upper: hist.value_at_rank(hi_rank)?,
            trusted: rank_interval_coverage(n, q, lo_rank, hi_rank) >= 0.95,
        })
    }
}

/// The exact coverage of the order-statistic interval `[X_(l), X_(u)]` for
/// the `q`-quantile of `n` values from a continuous law: `P(l <= B <= u - 1)`,
/// `B ~ Binomial(n, q)`.
fn rank_interval_coverage(n: u64, q: f64, l: u64, u: u64) -> f64 {
    use statrs::distribution::{Binomial, DiscreteCDF};
    let Ok(b) = Binomial::new(q, n) else { return 0.0 };
    let below = if l == 0 { 0.0 } else { b.cdf(l - 1) };
    if u == 0 { 0.0 } else { (b.cdf(u - 1) - below).max(0.0) }
}

/// Days from the first day of a career to a tier, among those who reach it.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct DayQuantiles {
    /// 10th percentile.
    pub p10: Option<f64>,
    /// Median.
    pub p50: Option<f64>,
    /// 90th percentile.
    pub p90: Option<f64>,
}

/// The chance of one level (a tier, or a goal that is no tier) in a plain
/// run, with what only plain Monte Carlo gives.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LevelReport {
    /// The chance of reaching it by the horizon (first passage), as every
    /// method gives it: the interval is Wilson's, mended at 1-3 hits.
    #[serde(flatten)]
    pub chance: Chance,
    /// The tier it is, if it is one.
    pub tier: Option<Tier>,
    /// The Clopper-Pearson (exact) 95% interval of the same chance.
    pub clopper_pearson: Interval,
    /// Career day of first reaching it, among those who do.
    pub days_to_reach: DayQuantiles,
    /// Probability of being at or above the threshold at the horizon.
    pub at_horizon: Proportion,
}

impl LevelReport {
    /// The chance of reaching it as a [`Proportion`]: hits of trials,
    /// with both intervals.
    pub fn reached(&self) -> Proportion {
        Proportion::new(self.chance.hits, self.chance.trials)
    }
}

/// Distribution of final followers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FollowerReport {
    /// Mean (exact).
    pub mean: Option<f64>,
    /// Median.
    pub p50: Option<QuantileEstimate>,
    /// 90th percentile.
    pub p90: Option<QuantileEstimate>,
    /// 99th percentile.
    pub p99: Option<QuantileEstimate>,
    /// 99.9th percentile.
    pub p999: Option<QuantileEstimate>,
    /// Gini coefficient of final followers (0 equal, 1 one creator has all).
    pub gini: Option<f64>,
    /// Share of all followers held by the top 1% of creators.
    pub top_1pct_share: Option<f64>,
    /// The complementary distribution `P(F >= x)` at `x` = 1, 2, 5, 10, 20,
    /// 50, ... up to the largest count seen: the tail a log-log plot shows.
    pub ccdf: Vec<CcdfPoint>,
}

/// One point of a complementary distribution function.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct CcdfPoint {
    /// The follower count `x`.
    pub followers: u64,
    /// `P(F >= x)`, the share of careers ending with at least `x` followers.
    pub share: f64,
}

/// `P(F >= x)` on the 1-2-5 sequence: exact below 1024, where every count
/// has a bucket of its own; above, counted from the first bucket boundary at
/// or above `x` (within 0.2% of `x`, the histogram's resolution).
fn follower_ccdf(h: &LogHistogram) -> Vec<CcdfPoint> {
    let n = h.count();
    if n == 0 {
        return Vec::new();
    }
    let max = h.buckets().next_back().map_or(0, |b| b.high);
    let mut points = Vec::new();
    let mut decade = 1u64;
    'outer: loop {
        for m in [1, 2, 5] {
            let x = m * decade;
            if x > max {
                break 'outer;
            }
            let at_least: u64 = h.buckets().filter(|b| b.low >= x).map(|b| b.count).sum();
            points.push(CcdfPoint { followers: x, share: at_least as f64 / n as f64 });
        }
        decade = match decade.checked_mul(10) {
            Some(d) => d,
            None => break,
        };
    }
    points
}

/// How long careers last.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct CareerLengthReport {
    /// Share of creators still posting at the horizon.
    pub active_at_horizon: Proportion,
    /// Median days of active career.
    pub median_career_days: Option<f64>,
    /// Mean days of active career (exact).
    pub mean_career_days: Option<f64>,
}

/// Is the most successful the most talented?
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct TalentReport {
    /// Spearman's rho between talent (1000 bins) and final followers (3% log
    /// buckets), mid-ranks for ties; `None` when talent is fixed.
    pub spearman_talent_followers: Option<f64>,
    /// Mean talent percentile (0-100; 50 = average) of the top 1% by followers.
    pub top_1pct_mean_talent_percentile: Option<f64>,
    /// Mean talent percentile of the top 0.1% by followers.
    pub top_0_1pct_mean_talent_percentile: Option<f64>,
}

/// The share of one tier's band among accounts at or above the lowest tier.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct TierShare {
    /// The tier: its band runs from its threshold up to the next tier's.
    pub tier: Tier,
    /// Accounts in the band at the horizon, out of accounts at or above the
    /// lowest tier's threshold.
    pub share: Proportion,
}

/// Followers on one career day: quantiles with 95% distribution-free
/// intervals (as [`FollowerReport`]'s), among the careers observed that long.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct DayReport {
    /// The career day (followers after its steps).
    pub day: u32,
    /// Careers observed that long (all of a cohort's when the day is within
    /// its horizon; in a snapshot, the creators who entered early enough).
    pub observed: u64,
    /// Mean followers (exact).
    pub mean: Option<f64>,
    /// 10th percentile.
    pub p10: Option<QuantileEstimate>,
    /// Median.
    pub p50: Option<QuantileEstimate>,
    /// 90th percentile.
    pub p90: Option<QuantileEstimate>,
    /// 99th percentile.
    pub p99: Option<QuantileEstimate>,
}

/// What a Career run found. Every probability carries 95% Wilson and
/// Clopper–Pearson intervals.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CareerReport {
    /// Careers simulated.
    pub trials: u64,
    /// The level the scenario asks about (a tier's name, or a count's, `"100k"`).
    pub goal: String,
    /// One entry per level (the tiers, and a goal that is no tier), lowest first.
    pub levels: Vec<LevelReport>,
    /// At the horizon, among accounts at or above the lowest tier: the share in
    /// each tier's band (comparable with published tier shares in snapshot runs).
    pub tier_mix_at_horizon: Vec<TierShare>,
    /// Distribution of final followers.
    pub followers: FollowerReport,
    /// Career length and quitting.
    pub careers: CareerLengthReport,
    /// Talent against success.
    pub talent: TalentReport,
    /// Total days of active careers simulated (for throughput).
    pub creator_days: u64,
    /// Followers on each trajectory day (`[trajectory] days`), in order.
    pub trajectory: Vec<DayReport>,
    /// The active audience at the horizon, beside the visible one
    /// (`followers`): only when the model has inactive followers
    /// (`platform.inactive_rate`), and absent from the record otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub active_followers: Option<ActiveReport>,
    /// Engagement and income (with `[engagement]` or `[money]` on).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub engagement: Option<MoneyReport>,
}

/// Active followers at the horizon (those who still share), with 95%
/// distribution-free intervals as [`FollowerReport`]'s.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ActiveReport {
    /// Mean active followers (exact).
    pub mean: Option<f64>,
    /// Mean active followers over mean (visible) followers.
    pub share_active: Option<f64>,
    /// 10th percentile.
    pub p10: Option<QuantileEstimate>,
    /// Median.
    pub p50: Option<QuantileEstimate>,
    /// 90th percentile.
    pub p90: Option<QuantileEstimate>,
    /// 99th percentile.
    pub p99: Option<QuantileEstimate>,
}

impl CareerReport {
    /// The probability of reaching `tier` by the horizon as a
    /// [`Proportion`] (Wilson and Clopper-Pearson intervals): plain runs'
    /// detail. The answer every method shares is [`Chances::chance`].
    pub fn proportion(&self, tier: Tier) -> Proportion {
        self.level(tier.name()).map_or(Proportion::new(0, 0), LevelReport::reached)
    }

    /// The report of level `name` (a tier's, or the goal's), with what only
    /// plain runs give.
    pub fn level(&self, name: &str) -> Option<&LevelReport> {
        self.levels.iter().find(|l| l.chance.level == name)
    }

    /// The level that is `tier`.
    pub fn tier(&self, tier: Tier) -> &LevelReport {
        self.levels.iter().find(|l| l.tier == Some(tier)).expect("every tier is a level")
    }
}

impl Chances for CareerReport {
    fn chances(&self) -> Vec<&Chance> {
        self.levels.iter().map(|l| &l.chance).collect()
    }
}
