//! Engagement and money: options of the Career model, off by default.
//!
//! # Engagement (`[engagement]`)
//!
//! Each post's engagements (likes and comments) come from the audience
//! that sees it as a follower: the active followers `A` (the visible
//! followers `F` when inactive followers are off). On a posting day with
//! `k` posts, the engagements of the day are
//!
//! ```text
//! E ~ Binomial(k A, r_eff(A)),   r_eff(A) = r(A) (1 - lambda sigma)
//! r(A) = min(1, r_inf + a (1 + A)^(-b))
//! ```
//!
//! (the sum of `k` posts' `Binomial(A, r_eff)`), where `r(A)` is the
//! engagement rate ([`Engagement::rate`]), `sigma` the sponsored share of
//! posts and `lambda` the engagement it costs ([`Money`]; `sigma = 0`
//! without money). The curve's defaults `r_inf = 0.015`, `a = 0.77`,
//! `b = 0.43` are a least-squares fit (on log rates) to Markerly's like
//! rates of about 2M Instagram accounts (8% under 1k followers, 4% at
//! 1k-10k, 2.37% at 10k-100k, 1.66% at 1M-10M; issue 25), each tier read at
//! its geometric middle (316, 3,162, 31,623 and 3,162,278 followers): the
//! curve (with these rounded parameters) gives 7.97%, 3.91%, 2.39% and
//! 1.62% there (within 2.4% of each, relative; `cargo test --release
//! --test suite money::the_engagement -- --nocapture` prints them),
//! flattening with size as the data do. The engaged audience of
//! a creator is `A r_eff(A)`, the engagements a post expects.
//!
//! # Money (`[money]`)
//!
//! A creator's yearly income is counted over the last `window_days` (365)
//! days they are observed (the horizon's last year):
//!
//! ```text
//! income = brand + ads - costs
//! brand  = sum over sponsored posts in the window of  p_e A r_eff(A)
//! ads    = rpm * views / 1000   if followers at the horizon >= 1,000 and
//!                               views * minutes_per_view / 60 >= 4,000 hours
//!        = 0                    otherwise
//! ```
//!
//! Each post is sponsored with probability `sigma` (`sponsored_share`); a
//! sponsored post is paid `p_e` (`price_per_engagement`) per engagement it
//! expects, `A r_eff(A)` (the rate-card rule "recent average engagements
//! times $0.14"). A day's views are the impressions of step 4 (on
//! non-followers, at most the niche) plus the followers its posts reach,
//! `O(a) sum_j L_j A` (openness is the share of followers a post reaches).
//! The ad gate is YouTube's Partner Programme's (1,000 subscribers and
//! 4,000 public watch hours in the last 12 months), checked once at the
//! horizon on the window's views; when open, all the window's views earn
//! `rpm` (USD per 1,000 views, after the platform's share).
//!
//! The draws of engagement (the day's engagements and its sponsored posts)
//! come from their own stream, [`crate::random::Source::Engagement`], drawn
//! only on posting days inside the window (and only with the option on),
//! so every other draw of a career is as it was.

use crate::error::{FieldError, within};
use crate::stats::{Chance, Estimate, LogHistogram, Moments, Proportion};
use serde::{Deserialize, Serialize};

use super::summary::QuantileEstimate;
use crate::tier::{TIER_COUNT, Tier};

/// The engagement rate's curve (`[engagement]`; the module docs give the
/// equation and the fit to Markerly's tiers).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Engagement {
    /// `r_inf`: the rate the curve flattens to, in `[0, 1]`. Default 0.015
    /// (fitted to Markerly's tiers).
    pub rate_floor: f64,
    /// `a`: the scale of the rate's fall, in `[0, 1e3]`. Default 0.77 (fitted).
    pub rate_scale: f64,
    /// `b`: how fast the rate falls with the audience, in `[0, 5]`. Default 0.43 (fitted).
    pub rate_exponent: f64,
    /// Engaged audiences (engagements a post expects at the horizon) whose
    /// chance is reported, whole numbers from 1, increasing, at most
    /// [`MAX_INCOME_LEVELS`]. Default 1,000: Kevin Kelly's "1,000 true fans"
    /// (2008), the audience a creator is said to live from; a rule of thumb,
    /// not a measurement.
    pub audience_levels: IncomeLevels,
    /// The engaged audience the study asks about, one of `audience_levels`
    /// (`clout run --target '1k engaged'` sets it): answered first, in place
    /// of the follower goal, and aimed at by importance sampling when
    /// `rare.target` names nothing. Default: none (the follower goal, or
    /// `money.goal`, leads).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub goal: Option<f64>,
}

impl Default for Engagement {
    fn default() -> Self {
        Engagement {
            rate_floor: 0.015,
            rate_scale: 0.77,
            rate_exponent: 0.43,
            audience_levels: IncomeLevels::try_from(vec![1000.0]).expect("one level"),
            goal: None,
        }
    }
}

impl Engagement {
    /// The engagement rate of a post seen by an audience of `audience`
    /// followers: `r(A) = min(1, r_inf + a (1 + A)^(-b))` (module docs).
    pub fn rate(&self, audience: f64) -> f64 {
        (self.rate_floor + self.rate_scale * (1.0 + audience).powf(-self.rate_exponent)).min(1.0)
    }

    pub(crate) fn validate(&self) -> Result<(), FieldError> {
        within("rate_floor", self.rate_floor, 0.0, 1.0)?;
        within("rate_scale", self.rate_scale, 0.0, 1e3)?;
        within("rate_exponent", self.rate_exponent, 0.0, 5.0)?;
        check_levels(
            "audience_levels",
            &self.audience_levels,
            1.0,
            "a whole audience from 1 to 1e15 (engagements a post expects)",
        )?;
        match self.goal {
            Some(goal) if !self.audience_levels.as_slice().contains(&goal) => Err(FieldError::new(
                "goal",
                goal,
                format!("must be one of audience_levels = {:?}", self.audience_levels.as_slice()),
            )),
            _ => Ok(()),
        }
    }

    /// The goal's name as reports name engaged-audience levels (`1k engaged`), if any.
    pub fn goal_name(&self) -> Option<String> {
        self.goal.and_then(|g| Engagement::audience_level_names(&[g as u64]).next())
    }

    /// The audience levels' names in reports: `1k engaged`.
    pub(crate) fn audience_level_names(levels: &[u64]) -> impl Iterator<Item = String> + '_ {
        levels.iter().map(|&l| format!("{} engaged", short_amount(l as f64)))
    }
}

/// Each of `levels` a whole number from `lowest` to 1e15 (`what` says what
/// it counts), each above the one before; errors name `field`.
fn check_levels(field: &str, levels: &IncomeLevels, lowest: f64, what: &str) -> Result<(), FieldError> {
    let mut below = lowest - 1.0;
    for &level in levels.as_slice() {
        if !(level.is_finite() && level >= lowest && level.fract() == 0.0 && level <= 1e15) {
            return Err(FieldError::new(field, level, format!("must be {what}")));
        }
        if level <= below {
            return Err(FieldError::new(field, level, format!("must be above the level before it, {below}")));
        }
        below = level;
    }
    Ok(())
}

/// The currencies incomes are counted in: US dollars only.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum Currency {
    /// US dollars.
    #[default]
    USD,
}

/// Most income levels a scenario may ask for.
pub const MAX_INCOME_LEVELS: usize = 8;

/// Income levels (a year, in the scenario's currency), increasing: at most
/// [`MAX_INCOME_LEVELS`], each `>= 0`. Written as a list.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct IncomeLevels {
    values: [f64; MAX_INCOME_LEVELS],
    len: usize,
}

impl IncomeLevels {
    /// The levels, in the order written.
    pub fn as_slice(&self) -> &[f64] {
        &self.values[..self.len]
    }
}

impl Default for IncomeLevels {
    /// $10,000 (a low income), $30,000 (about a median full-time wage's
    /// half; an assumption of "a living"), $100,000 and $1,000,000 a year:
    /// the levels of issue 25 and the Spotify figures it cites.
    fn default() -> Self {
        IncomeLevels::try_from(vec![10_000.0, 30_000.0, 100_000.0, 1_000_000.0]).expect("valid defaults")
    }
}

impl TryFrom<Vec<f64>> for IncomeLevels {
    type Error = String;
    fn try_from(levels: Vec<f64>) -> Result<Self, String> {
        if levels.is_empty() || levels.len() > MAX_INCOME_LEVELS {
            return Err(format!("income levels: {} given, 1 to {MAX_INCOME_LEVELS} allowed", levels.len()));
        }
        let mut values = [0.0; MAX_INCOME_LEVELS];
        values[..levels.len()].copy_from_slice(&levels);
        Ok(IncomeLevels { values, len: levels.len() })
    }
}

impl Serialize for IncomeLevels {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.as_slice().serialize(s)
    }
}

impl<'de> Deserialize<'de> for IncomeLevels {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        IncomeLevels::try_from(Vec::<f64>::deserialize(d)?).map_err(serde::de::Error::custom)
    }
}

/// What a following earns (`[money]`; the module docs give the equations).
/// Every price is in `currency` (USD only).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Money {
    /// The currency of every price and level: `"USD"` only.
    pub currency: Currency,
    /// `p_e`: the price of a sponsored post per engagement it expects, `>= 0`.
    /// Default 0.14 USD: the rate-card rule for an Instagram photo post,
    /// "recent average engagements x $0.14" (video $0.20), as published in
    /// influencer pricing guides (e.g. Ainfluencer's pricing guide); a rule
    /// of thumb, not a measured market price.
    pub price_per_engagement: f64,
    /// `sigma`: the share of posts that are sponsored, in `[0, 1]`. Default
    /// 0.1: an assumption (Launchmetrics, as reported by Business Insider in
    /// April 2020, measured 35% of fashion, luxury and beauty influencers'
    /// posts as branded in February 2020 and 4% in April; no figure for
    /// creators at large).
    pub sponsored_share: f64,
    /// `lambda`: the engagement sponsoring costs, in `[0, 1]`: every post's
    /// rate is multiplied by `1 - lambda sigma`. Default 0.5: an assumption.
    /// Fainmesser & Galeotti 2021 (AEJ: Microeconomics 13(4)) give the
    /// direction (sponsored content lowers the audience's engagement, and so
    /// the price of the next sponsored post), not its size; Markerly found
    /// sponsored and other posts liked alike, InfluencerDB sponsored posts
    /// engaged more (2.4% against 1.9%), so the size is uncertain.
    pub sponsored_engagement_loss: f64,
    /// Ad revenue per 1,000 views, after the platform's share, `>= 0`.
    /// Default 2 USD: an assumption within the commonly quoted YouTube RPM
    /// range (about $1-5; "$2 or more is good"); RPM is after YouTube's 45%.
    pub rpm: f64,
    /// Minutes watched per view, for the watch-hour gate, `>= 0`. Default
    /// 4: an assumption (no published average view duration across channels).
    pub watch_minutes_per_view: f64,
    /// Followers needed for ad revenue. Default 1,000: YouTube Partner
    /// Programme's subscriber threshold.
    pub ad_min_followers: u64,
    /// Watch hours in the window needed for ad revenue, `>= 0`. Default
    /// 4,000: YouTube Partner Programme's public watch hours in 12 months.
    pub ad_min_watch_hours: f64,
    /// Costs a year (equipment, time bought, fees), `>= 0`. Default 0: left
    /// to the user.
    pub costs: f64,
    /// The days income is counted over, ending at the horizon, in `[1, 36500]`. Default 365.
    pub window_days: u32,
    /// Income levels a year, each `>= 0` (default 10,000, 30,000, 100,000,
    /// 1,000,000): the chance of earning at least each is reported.
    pub levels: IncomeLevels,
    /// The income a year the run asks about, one of `levels` (`clout run
    /// --target '$50k'` sets it): answered first, in place of the follower
    /// goal, and aimed at by importance sampling when `rare.target` names
    /// nothing. Default: none (the follower goal leads).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub goal: Option<f64>,
}

impl Default for Money {
    fn default() -> Self {
        Money {
            currency: Currency::USD,
            price_per_engagement: 0.14,
            sponsored_share: 0.1,
            sponsored_engagement_loss: 0.5,
            rpm: 2.0,
            watch_minutes_per_view: 4.0,
            ad_min_followers: 1_000,
            ad_min_watch_hours: 4_000.0,
            costs: 0.0,
            window_days: 365,
            levels: IncomeLevels::default(),
            goal: None,
        }
    }
}

impl Money {
    pub(crate) fn validate(&self) -> Result<(), FieldError> {
        within("price_per_engagement", self.price_per_engagement, 0.0, 1e6)?;
        within("sponsored_share", self.sponsored_share, 0.0, 1.0)?;
        within("sponsored_engagement_loss", self.sponsored_engagement_loss, 0.0, 1.0)?;
        within("rpm", self.rpm, 0.0, 1e4)?;
        within("watch_minutes_per_view", self.watch_minutes_per_view, 0.0, 1e4)?;
        within("ad_min_watch_hours", self.ad_min_watch_hours, 0.0, 1e12)?;
        within("costs", self.costs, 0.0, 1e12)?;
        if !(1..=super::MAX_DAYS).contains(&self.window_days) {
            return Err(FieldError::new(
                "window_days",
                self.window_days,
                format!("must lie in [1, {}]", super::MAX_DAYS),
            ));
        }
        check_levels("levels", &self.levels, 0.0, "a whole income from 0 to 1e15 (currency units a year)")?;
        if let Some(goal) = self.goal
            && !self.levels.as_slice().contains(&goal)
        {
            return Err(FieldError::new(
                "goal",
                goal,
                format!("must be one of levels = {:?}", self.levels.as_slice()),
            ));
        }
        Ok(())
    }

    /// The goal's name as reports name income levels (`$50k`), if any.
    pub fn goal_name(&self) -> Option<String> {
        self.goal.map(|g| format!("${}", short_amount(g)))
    }

    /// Whether the ad gate is open: `followers >= ad_min_followers` and
    /// `watch_hours >= ad_min_watch_hours` (YouTube's rule).
    pub fn ads_allowed(&self, followers: u64, watch_hours: f64) -> bool {
        followers >= self.ad_min_followers && watch_hours >= self.ad_min_watch_hours
    }

    /// The ads of a window of `views` views by a creator with `followers`
    /// followers at the horizon: `(watch hours, gate open, revenue)`, the
    /// revenue `rpm views / 1000` when the gate is open, else 0 (module docs).
    pub fn ads(&self, followers: u64, views: f64) -> (f64, bool, f64) {
        let hours = views * self.watch_minutes_per_view / 60.0;
        let allowed = self.ads_allowed(followers, hours);
        (hours, allowed, if allowed { self.rpm * views / 1000.0 } else { 0.0 })
    }

    /// The share of engagement every post keeps when a share `sigma` of
    /// posts is sponsored: `1 - lambda sigma`.
    pub fn engagement_kept(&self) -> f64 {
        1.0 - self.sponsored_engagement_loss * self.sponsored_share
    }

    /// What `sponsored` sponsored posts, each seen by `audience` followers
    /// engaging at the effective rate `rate`, are paid: each `p_e A r_eff(A)`.
    pub fn brand_pay(&self, sponsored: f64, audience: f64, rate: f64) -> f64 {
        sponsored * self.price_per_engagement * audience * rate
    }
}

/// The settings of engagement and money a model runs with (resolved from
/// a spec: money implies engagement at its defaults).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Earning {
    pub engagement: Engagement,
    /// `None`: engagement only, no income.
    pub money: Option<Money>,
}

impl Earning {
    /// The rate every post's engagement is drawn at, `r_eff(A) = r(A) (1 - lambda sigma)`.
    pub fn effective_rate(&self, audience: f64) -> f64 {
        self.engagement.rate(audience) * self.money.map_or(1.0, |m| m.engagement_kept())
    }

    /// The share of posts sponsored (0 without money).
    pub fn sponsored_share(&self) -> f64 {
        self.money.map_or(0.0, |m| m.sponsored_share)
    }

    /// The days income is counted over (365 without money, for engagement per post).
    pub fn window_days(&self) -> u32 {
        self.money.map_or(365, |m| m.window_days)
    }

    /// One career's earnings from its window's `ledger`, with `followers`
    /// and `active` followers at the horizon.
    pub fn earnings(&self, ledger: &Ledger, followers: u64, active: u64) -> Earnings {
        let engaged_audience = active as f64 * self.effective_rate(active as f64);
        let (watch_hours, ads_allowed, ads, income) = match self.money {
            Some(m) => {
                let (hours, allowed, ads) = m.ads(followers, ledger.views);
                (hours, allowed, ads, ledger.brand + ads - m.costs)
            }
            None => (0.0, false, 0.0, 0.0),
        };
        Earnings { engaged_audience, ledger: *ledger, watch_hours, ads_allowed, ads, income }
    }

    /// The expected income of a still audience (`None` without money): a
    /// creator whose `followers` followers, all active, stay put through
    /// a window of `posts` posts, each seen by `views_per_post` viewers,
    ///
    /// ```text
    /// income = n sigma p_e F r_eff(F) + ads(F, n v) - costs
    /// ```
    ///
    /// (`n` posts, `v` views a post, the ads of [`Money::ads`]): the
    /// expectation of [`Earning::earnings`] when nothing but the
    /// sponsored draws is random.
    pub fn still_income(&self, followers: u64, posts: f64, views_per_post: f64) -> Option<f64> {
        let m = self.money?;
        let f = followers as f64;
        let brand = m.brand_pay(posts * m.sponsored_share, f, self.effective_rate(f));
        Some(brand + m.ads(followers, posts * views_per_post).2 - m.costs)
    }
}

/// What a career's posts in the income window did: counts and sums.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Ledger {
    /// Posts in the window.
    pub posts: u64,
    /// Their engagements.
    pub engagements: u64,
    /// The audiences that saw them: the sum over posts of the active
    /// followers `A` of their day (the trials of the engagement draws), so
    /// `engagements / seen` is the rate the posts were engaged at.
    pub seen: u64,
    /// Sponsored posts among them.
    pub sponsored: u64,
    /// What the sponsored posts were paid.
    pub brand: f64,
    /// The window's views (impressions on non-followers plus followers reached).
    pub views: f64,
}

/// One career's engagement and income (with `[engagement]` or `[money]` on).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Earnings {
    /// Engagements a post expects at the horizon, `A r_eff(A)`.
    pub engaged_audience: f64,
    /// The window's posts, engagements, sponsored posts, brand income and views.
    pub ledger: Ledger,
    /// Watch hours in the window.
    pub watch_hours: f64,
    /// Whether the ad gate was open.
    pub ads_allowed: bool,
    /// Ad revenue in the window.
    pub ads: f64,
    /// Income in the window: brand + ads - costs.
    pub income: f64,
}

/// Mergeable statistics of engagement and income (integers and fixed-point
/// sums only).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MoneySummary {
    /// Income levels counted (whole currency units), when money is on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    income_levels: Option<Vec<u64>>,
    /// Careers whose income reached each level.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    at_least: Vec<u64>,
    careers: u64,
    /// Income (whole units, below 0 counted as 0).
    income: LogHistogram,
    /// Income, brand income and ads in thousands: for means with intervals.
    income_thousands: Moments,
    brand_thousands: Moments,
    ads_thousands: Moments,
    /// Careers whose ad gate was open.
    ads_allowed: u64,
    /// Engaged audience at the horizon (rounded).
    engaged_audience: LogHistogram,
    /// Careers with a post in the window, and their engagement per post.
    engagement_per_post: Moments,
    /// Posts and engagements in all windows.
    posts: u64,
    engagements: u64,
    /// The same by band of final followers: below the lowest tier, then
    /// each tier's band (`TIER_COUNT + 1` entries; empty in a record written
    /// before bands were kept).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    by_tier: Vec<TierEngagementSummary>,
    /// Engaged-audience levels counted (`engagement.audience_levels`; empty
    /// in a record written before they were kept).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    audience_levels: Vec<u64>,
    /// Careers whose engaged audience at the horizon reached each level.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    audience_at_least: Vec<u64>,
}

/// Mergeable engagement of the careers whose final followers lie in one
/// band (integers and fixed-point sums only).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TierEngagementSummary {
    careers: u64,
    /// Engaged audience at the horizon, in thousands (so the fixed point
    /// of [`Moments`] holds a billion-follower audience).
    engaged_audience_thousands: Moments,
    /// Among careers with a post in the window: engagements per post, in thousands.
    engagement_per_post_thousands: Moments,
    /// Posts, their engagements and the audiences that saw them, in all windows.
    posts: u64,
    engagements: u64,
    seen: u64,
}

impl TierEngagementSummary {
    fn new() -> Self {
        TierEngagementSummary {
            careers: 0,
            engaged_audience_thousands: Moments::new(),
            engagement_per_post_thousands: Moments::new(),
            posts: 0,
            engagements: 0,
            seen: 0,
        }
    }

    fn record(&mut self, e: &Earnings) {
        self.careers += 1;
        self.engaged_audience_thousands.record(e.engaged_audience / 1000.0);
        if e.ledger.posts > 0 {
            self.engagement_per_post_thousands
                .record(e.ledger.engagements as f64 / e.ledger.posts as f64 / 1000.0);
        }
        self.posts += e.ledger.posts;
        self.engagements += e.ledger.engagements;
        self.seen += e.ledger.seen;
    }

    fn merge(&mut self, other: &TierEngagementSummary) {
        self.careers += other.careers;
        self.engaged_audience_thousands.merge(&other.engaged_audience_thousands);
        self.engagement_per_post_thousands.merge(&other.engagement_per_post_thousands);
        self.posts += other.posts;
        self.engagements += other.engagements;
        self.seen += other.seen;
    }

    /// Counts within the band's careers; engagements within their trials.
    fn check(&self) -> Result<(), String> {
        use crate::model::within_count;
        if self.engaged_audience_thousands.count() != self.careers {
            return Err(format!(
                "a tier band's engaged audiences count {} careers, its careers {}",
                self.engaged_audience_thousands.count(),
                self.careers
            ));
        }
        within_count(
            "a tier band's careers with posts",
            self.engagement_per_post_thousands.count(),
            "its careers",
            self.careers,
        )?;
        within_count(
            "a tier band's engagements",
            self.engagements,
            "the audiences that saw its posts",
            self.seen,
        )
    }

    fn report(&self, tier: Option<Tier>, from: u64, below: Option<u64>) -> TierEngagement {
        let units = |m: &Moments| m.mean_estimate().map(|e| e.map_increasing(|x| 1000.0 * x));
        TierEngagement {
            tier,
            followers_from: from,
            followers_below: below,
            careers: self.careers,
            posting_careers: self.engagement_per_post_thousands.count(),
            engagement_per_post: units(&self.engagement_per_post_thousands),
            engaged_audience: units(&self.engaged_audience_thousands),
            posts: self.posts,
            engagements: self.engagements,
            seen: self.seen,
            engagement_rate: (self.seen > 0).then(|| self.engagements as f64 / self.seen as f64),
        }
    }
}

impl MoneySummary {
    /// An empty summary; income `levels` when money is on, and the
    /// engaged-audience levels `audience`.
    pub(crate) fn new(levels: Option<&[f64]>, audience: &[f64]) -> Self {
        let income_levels: Option<Vec<u64>> = levels.map(|l| l.iter().map(|&x| x.ceil() as u64).collect());
        MoneySummary {
            at_least: vec![0; income_levels.as_ref().map_or(0, Vec::len)],
            income_levels,
            careers: 0,
            income: LogHistogram::default(),
            income_thousands: Moments::new(),
            brand_thousands: Moments::new(),
            ads_thousands: Moments::new(),
            ads_allowed: 0,
            engaged_audience: LogHistogram::default(),
            engagement_per_post: Moments::new(),
            posts: 0,
            engagements: 0,
            by_tier: vec![TierEngagementSummary::new(); TIER_COUNT + 1],
            audience_levels: audience.iter().map(|&x| x as u64).collect(),
            audience_at_least: vec![0; audience.len()],
        }
    }

    /// Whether the two merge (the same levels, both with or both without bands).
    pub(crate) fn same_shape(&self, other: &MoneySummary) -> bool {
        self.income_levels == other.income_levels
            && self.at_least.len() == other.at_least.len()
            && self.by_tier.len() == other.by_tier.len()
            && self.audience_levels == other.audience_levels
            && self.audience_at_least.len() == other.audience_at_least.len()
    }

    /// Adds one career's earnings; `band` is the band of its final
    /// followers (0 below the lowest tier, `i + 1` in tier `i`'s band).
    pub(crate) fn record(&mut self, e: &Earnings, band: usize) {
        if let Some(b) = self.by_tier.get_mut(band) {
            b.record(e);
        }
        self.careers += 1;
        if let Some(levels) = &self.income_levels {
            for (at, &level) in self.at_least.iter_mut().zip(levels) {
                *at += u64::from(e.income >= level as f64);
            }
        }
        self.income.record(e.income.max(0.0).round() as u64);
        self.income_thousands.record(e.income / 1000.0);
        self.brand_thousands.record(e.ledger.brand / 1000.0);
        self.ads_thousands.record(e.ads / 1000.0);
        self.ads_allowed += u64::from(e.ads_allowed);
        self.engaged_audience.record(e.engaged_audience.round() as u64);
        for (at, &level) in self.audience_at_least.iter_mut().zip(&self.audience_levels) {
            *at += u64::from(e.engaged_audience >= level as f64);
        }
        if e.ledger.posts > 0 {
            self.engagement_per_post.record(e.ledger.engagements as f64 / e.ledger.posts as f64);
        }
        self.posts += e.ledger.posts;
        self.engagements += e.ledger.engagements;
    }

    /// Adds every career of `other` (of the same shape).
    pub(crate) fn merge(&mut self, other: &MoneySummary) {
        assert!(self.same_shape(other), "money summaries of different income levels");
        self.careers += other.careers;
        for (a, b) in self.at_least.iter_mut().zip(&other.at_least) {
            *a += b;
        }
        self.income.merge(&other.income);
        self.income_thousands.merge(&other.income_thousands);
        self.brand_thousands.merge(&other.brand_thousands);
        self.ads_thousands.merge(&other.ads_thousands);
        self.ads_allowed += other.ads_allowed;
        self.engaged_audience.merge(&other.engaged_audience);
        self.engagement_per_post.merge(&other.engagement_per_post);
        self.posts += other.posts;
        self.engagements += other.engagements;
        for (a, b) in self.by_tier.iter_mut().zip(&other.by_tier) {
            a.merge(b);
        }
        for (a, b) in self.audience_at_least.iter_mut().zip(&other.audience_at_least) {
            *a += b;
        }
    }

    /// Every count within its careers (`trials`), levels nested.
    pub(crate) fn check(&self, trials: u64) -> Result<(), String> {
        use crate::model::within_count;
        for (what, count) in [
            ("income", self.income.count()),
            ("income moments", self.income_thousands.count()),
            ("engaged audiences", self.engaged_audience.count()),
            ("careers with money", self.careers),
        ] {
            if count != trials {
                return Err(format!("its {what} count {count} careers, its trials {trials}"));
            }
        }
        within_count("careers with ads", self.ads_allowed, "careers", trials)?;
        within_count("careers with posts", self.engagement_per_post.count(), "careers", trials)?;
        let mut above = trials;
        for &at in &self.at_least {
            within_count(
                "careers earning an income level",
                at,
                "earning the level below (or careers)",
                above,
            )?;
            above = at;
        }
        if self.audience_at_least.len() != self.audience_levels.len()
            || self.audience_levels.len() > MAX_INCOME_LEVELS
        {
            return Err(format!(
                "it counts {} engaged-audience levels for {} levels named ({MAX_INCOME_LEVELS} allowed)",
                self.audience_at_least.len(),
                self.audience_levels.len()
            ));
        }
        let mut above = trials;
        for &at in &self.audience_at_least {
            within_count(
                "careers reaching an engaged audience",
                at,
                "reaching the level below (or careers)",
                above,
            )?;
            above = at;
        }
        self.check_bands()
    }

    /// The bands (when kept): one below the tiers and one per tier, each
    /// consistent, their careers and posts adding up to the whole's.
    fn check_bands(&self) -> Result<(), String> {
        if self.by_tier.is_empty() {
            return Ok(());
        }
        if self.by_tier.len() != TIER_COUNT + 1 {
            return Err(format!(
                "it keeps {} tier bands of engagement, {} allowed",
                self.by_tier.len(),
                TIER_COUNT + 1
            ));
        }
        for band in &self.by_tier {
            band.check()?;
        }
        let sum = |f: fn(&TierEngagementSummary) -> u64| self.by_tier.iter().map(f).sum::<u64>();
        for (what, bands, whole) in [
            ("careers", sum(|b| b.careers), self.careers),
            ("posts", sum(|b| b.posts), self.posts),
            ("engagements", sum(|b| b.engagements), self.engagements),
        ] {
            if bands != whole {
                return Err(format!("its tier bands' {what} add up to {bands}, its whole's are {whole}"));
            }
        }
        Ok(())
    }

    /// The report at 95% confidence; `thresholds` are the tiers' (the bands' bounds).
    pub(crate) fn report(&self, money: Option<&Money>, thresholds: [u64; TIER_COUNT]) -> MoneyReport {
        let n = self.careers;
        let thousands = |m: &Moments| m.mean_estimate().map(|e| e.map_increasing(|x| 1000.0 * x));
        let income = money.map(|m| {
            let levels = m
                .levels
                .as_slice()
                .iter()
                .zip(&self.at_least)
                .map(|(&level, &hits)| {
                    Chance::brute(
                        format!("${}", short_amount(level)),
                        level,
                        false,
                        &Proportion::new(hits, n),
                    )
                })
                .collect();
            IncomeReport {
                currency: m.currency,
                window_days: m.window_days,
                levels,
                mean: thousands(&self.income_thousands),
                mean_brand: thousands(&self.brand_thousands),
                mean_ads: thousands(&self.ads_thousands),
                ads_allowed: Proportion::new(self.ads_allowed, n),
                p50: QuantileEstimate::of(&self.income, 0.5),
                p90: QuantileEstimate::of(&self.income, 0.9),
                p99: QuantileEstimate::of(&self.income, 0.99),
                p999: QuantileEstimate::of(&self.income, 0.999),
            }
        });
        let audience_levels = Engagement::audience_level_names(&self.audience_levels)
            .zip(self.audience_levels.iter().zip(&self.audience_at_least))
            .map(|(name, (&level, &hits))| {
                Chance::brute(name, level as f64, false, &Proportion::new(hits, n))
            })
            .collect();
        MoneyReport {
            audience_levels,
            engaged_audience: EngagedReport {
                mean: self.engaged_audience.mean(),
                p50: QuantileEstimate::of(&self.engaged_audience, 0.5),
                p90: QuantileEstimate::of(&self.engaged_audience, 0.9),
                p99: QuantileEstimate::of(&self.engaged_audience, 0.99),
            },
            engagement_per_post: self.engagement_per_post.mean_estimate(),
            posting_careers: self.engagement_per_post.count(),
            posts: self.posts,
            engagements: self.engagements,
            by_tier: self
                .by_tier
                .iter()
                .enumerate()
                .map(|(band, b)| {
                    let tier = band.checked_sub(1).map(|i| Tier::ALL[i]);
                    let from = band.checked_sub(1).map_or(0, |i| thresholds[i]);
                    b.report(tier, from, thresholds.get(band).copied())
                })
                .collect(),
            income,
        }
    }
}

/// Engagement of the careers whose final followers lie in one band.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TierEngagement {
    /// The tier whose band it is; `None` below the lowest tier.
    pub tier: Option<Tier>,
    /// The band's lowest final followers (the tier's threshold; 0 below the tiers).
    pub followers_from: u64,
    /// The next tier's threshold, the band's end (`None` for the top tier).
    pub followers_below: Option<u64>,
    /// Careers ending in the band.
    pub careers: u64,
    /// Those with a post in the window.
    pub posting_careers: u64,
    /// Mean over the posting careers of their engagements per post in the
    /// window, with Student's 95% interval.
    pub engagement_per_post: Option<Estimate>,
    /// Mean engaged audience at the horizon (`A r_eff(A)`, the engagements
    /// a post expects), with Student's 95% interval.
    pub engaged_audience: Option<Estimate>,
    /// Posts in the band's windows.
    pub posts: u64,
    /// Their engagements.
    pub engagements: u64,
    /// The audiences that saw them (the sum over posts of `A`).
    pub seen: u64,
    /// The pooled engagement rate, `engagements / seen`: the mean of
    /// `r_eff(A)` over the audiences that saw the band's posts.
    pub engagement_rate: Option<f64>,
}

/// Engagement and income of a run (`engagement` in a career report).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MoneyReport {
    /// Engagements a post expects at the horizon, `A r_eff(A)`, across careers.
    pub engaged_audience: EngagedReport,
    /// Mean over careers with a post in the window of their engagements per
    /// post there, with Student's 95% interval.
    pub engagement_per_post: Option<Estimate>,
    /// Careers with a post in the window.
    pub posting_careers: u64,
    /// Posts and engagements in all windows.
    pub posts: u64,
    /// Engagements in all windows.
    pub engagements: u64,
    /// Engagement by band of final followers: below the lowest tier, then
    /// each tier's band (empty from a record written before bands were kept).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub by_tier: Vec<TierEngagement>,
    /// Income (with `[money]`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub income: Option<IncomeReport>,
    /// The chance of an engaged audience at the horizon of at least each of
    /// `engagement.audience_levels` (`1k engaged`: "1,000 true fans"), with
    /// Wilson intervals (empty from a record written before they were kept).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub audience_levels: Vec<Chance>,
}

/// The engaged audience's distribution at the horizon.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EngagedReport {
    /// Mean.
    pub mean: Option<f64>,
    /// Median with its distribution-free interval.
    pub p50: Option<QuantileEstimate>,
    /// 90th percentile.
    pub p90: Option<QuantileEstimate>,
    /// 99th percentile.
    pub p99: Option<QuantileEstimate>,
}

/// Income over the window: the chance of each level and the distribution.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IncomeReport {
    /// The currency (USD).
    pub currency: Currency,
    /// Days counted, ending at the horizon.
    pub window_days: u32,
    /// The chance of earning at least each level, with Wilson intervals.
    pub levels: Vec<Chance>,
    /// Mean income with Student's interval.
    pub mean: Option<Estimate>,
    /// Mean brand income.
    pub mean_brand: Option<Estimate>,
    /// Mean ad revenue.
    pub mean_ads: Option<Estimate>,
    /// Share of careers whose ad gate was open.
    pub ads_allowed: Proportion,
    /// Median income (a negative income counts as 0).
    pub p50: Option<QuantileEstimate>,
    /// 90th percentile.
    pub p90: Option<QuantileEstimate>,
    /// 99th percentile.
    pub p99: Option<QuantileEstimate>,
    /// 99.9th percentile.
    pub p999: Option<QuantileEstimate>,
}

/// An income level's short name, without commas (it is a CSV field and a
/// table cell): `10k`, `1M`, `2.5k`, `750`.
pub fn short_amount(x: f64) -> String {
    let (value, unit) = if x >= 1e6 {
        (x / 1e6, "M")
    } else if x >= 1e3 {
        (x / 1e3, "k")
    } else {
        (x, "")
    };
    let text = format!("{value:.3}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    format!("{text}{unit}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn income_levels_have_short_names_without_commas() {
        assert_eq!(short_amount(10_000.0), "10k");
        assert_eq!(short_amount(2_500.0), "2.5k");
        assert_eq!(short_amount(1_000_000.0), "1M");
        assert_eq!(short_amount(750.0), "750");
        assert_eq!(short_amount(0.0), "0");
    }

    #[test]
    fn the_fitted_curve_passes_near_markerly_and_falls_flattening() {
        let r = Engagement::default();
        for (followers, markerly) in
            [(316.0, 0.08), (3_162.0, 0.04), (31_623.0, 0.0237), (3_162_278.0, 0.0166)]
        {
            let relative = (r.rate(followers) - markerly).abs() / markerly;
            assert!(relative < 0.024, "{followers}: {} against {markerly}", r.rate(followers));
        }
        // Falling; from 10 followers on, each decade less than the one
        // before (flattening); never below the floor.
        let per_decade: Vec<f64> =
            (1..8).map(|k| r.rate(10f64.powi(k + 1)) / r.rate(10f64.powi(k))).collect();
        assert!(per_decade.iter().all(|&x| x < 1.0));
        assert!(per_decade.windows(2).all(|w| w[1] > w[0]), "{per_decade:?}");
        assert!(r.rate(1e12) >= r.rate_floor);
    }
}
