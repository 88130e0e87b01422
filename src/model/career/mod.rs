//! The Career model: one trial is one creator's career on one platform.
//!
//! Four factors drive a career, each separately controllable:
//!
//! | factor | symbol | enters through |
//! |---|---|---|
//! | talent, in `[0, 1]` | `q` | follow conversion, chance a post goes viral |
//! | effort, posts a week | `e` | how many draws of the reach lottery a creator gets |
//! | timing, platform age on the first day | `a0` | platform openness `O(a)` |
//! | luck | | every random draw below |
//!
//! plus the niche size `M` (the audience that could ever follow) and the
//! persistence rules.
//!
//! # One day `t` of an active creator with `F` followers (platform age `a = a0 + t`)
//!
//! 1. Openness `O(a) = o_inf + (1 - o_inf) exp(-a / tau_O)`.
//! 2. Posts today `k ~ Poisson(e / 7)`.
//! 3. For each post `j`: reach luck `L_j ~ LogNormal(mean 1, sigma_L)` (log-mean
//!    `-sigma_L²/2`); with probability `v q` the post goes viral with
//!    `V_j ~ Pareto(scale x_m, shape alpha_v)`, else `V_j = 1`.
//! 4. Impressions on non-followers `I = min(M, O(a) Σ_j L_j (d0 V_j + s F))`;
//!    new followers `G ~ Poisson(c q I max(0, 1 - F/M))`; unfollows
//!    `U ~ Binomial(F, u)`; then `F <- F + G - U`.
//! 5. Every `review_days` days of career (after the 30th, 60th, ... day), after
//!    step 4, the creator quits with probability
//!    `quit_base + quit_stall [F < F_prev (1 + aspiration)]`, where `F_prev` is
//!    `F` at the previous review (0 at the start). A creator who quits is
//!    inactive from then on and keeps the followers they had.
//!
//! A tier is reached on the first day `F >=` its threshold (first passage).
//! Days are counted from 1: a tier reached on the first day of a career has
//! `reached_day = 1`.
//!
//! # How it is sampled (exactly the distribution above)
//!
//! Posts form a Poisson process of rate `e / 7` a day, so the number of posts
//! on each day is an independent `Poisson(e / 7)`: the simulation draws the
//! exponential gaps between posts and jumps from one posting day to the next.
//! On a day without a post, `I = 0` and so `G = 0`: only unfollows happen, and
//! `g` such days remove `Binomial(F, 1 - (1 - u)^g)` followers in one draw.
//! Which posts go viral is drawn as geometric gaps between viral posts (by
//! inversion). Quitting is checked only at reviews, and a trial ends when the
//! creator quits.
//!
//! # Where the randomness comes from
//!
//! Each trait and each luck channel draws from its own keyed stream
//! ([`crate::random`]): talent, effort, entry day and niche one draw each;
//! posting times (the exponential gaps), reach luck (one normal per post),
//! viral posts (one geometric gap and one Pareto boost per viral post),
//! follows, unfollows, and quitting (one uniform per review, always drawn).
//! So the same trial with talent edited posts at exactly the same times with
//! the same reach luck: paired comparisons differ only through the edit.
//!
//! # A career is a resumable value
//!
//! [`CareerState`] holds everything needed to continue a career (followers,
//! day, the next post's time, the next review, the followers at the last
//! review, the tiers reached, and the luck streams). [`CareerModel::advance`]
//! continues it to a [`Stop`]: the horizon, a career day, or a follower
//! level. A plain trial is the special case "from the entry state to the
//! horizon"; conditional odds start from another state
//! ([`CareerModel::start_state`]) or stop at a career day to look.

pub mod conditional;
mod levels;
pub mod money;
pub(crate) use levels::CREATOR_TRAITS;
pub mod summary;
pub mod trajectory;
pub mod world;

pub(crate) use levels::creator_of;

use crate::dist::{Law, TraitSampler};
use crate::error::{FieldError, finite, positive, within};
use crate::model::Model;
use crate::model::platform::{CompetitionSpec, Field, FieldKind};
use crate::random::{Source, StreamRng, TrialStreams};
use crate::sampling::{binomial, binomial_by_inversion, binomial_small_p, poisson};
use crate::tier::{LEVEL_SLOTS, Tiers};
use money::{Earning, Earnings, Engagement, Ledger, Money};
use rand::{Rng, RngExt};
use rand_distr::{Distribution, Exp1, Pareto, StandardNormal};
use serde::{Deserialize, Serialize};
pub use summary::{ActiveReport, CareerReport, CareerSummary};
pub use trajectory::{DayFollowers, TrajectorySpec, Watch};
use trajectory::{DayWatch, Events};

/// The longest horizon or platform day accepted: 100 years.
pub const MAX_DAYS: u32 = 36_500;

/// Range of talent `q`.
pub const TALENT_RANGE: (f64, f64) = (0.0, 1.0);
/// Range of effort `e`, posts a week (MODEL: clamped to `[0.1, 28]`).
pub const EFFORT_RANGE: (f64, f64) = (0.1, 28.0);
/// Range of the niche size `M`: at least one follower, at most 1e12.
pub const NICHE_RANGE: (f64, f64) = (1.0, 1e12);

/// Who the creators are: a distribution for each trait, drawn once per trial.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Population {
    /// Talent `q` in `[0, 1]`. Default `Normal(0.5, 0.15)` clamped to `[0, 1]`.
    #[serde(deserialize_with = "Law::number_or_table")]
    pub talent: Law,
    /// Effort `e`, posts a week, in `[0.1, 28]`. Default log-normal with median
    /// 3 and sigma 0.8, clamped: an assumption. No published distribution of
    /// creators' posting frequency was found; the benchmark reports (Rival IQ's
    /// yearly industry reports) give brands' typical rates, not creators'
    /// spread, and platform advice (Instagram's Mosseri, 2021: two feed posts a
    /// week; schedulers: 3-5) is consistent with the median, not a measurement.
    /// docs/ATTRIBUTION.md gives how much effort's Sobol index moves with sigma.
    #[serde(deserialize_with = "Law::number_or_table")]
    pub effort: Law,
    /// Timing `a0`: platform age in days on the creator's first day, `>= 0`.
    /// Default `Uniform(0, 3650)`, entry spread over the platform's first ten years.
    #[serde(deserialize_with = "Law::number_or_table")]
    pub entry_day: Law,
    /// Niche size `M`: the audience that could ever follow, in `[1, 1e12]`.
    /// Default log-normal with median 62,900 and sigma 2.28: fitted, with
    /// `platform.share_rate` and dormant decay on, to HypeAuditor's 2026 tier
    /// shares of Instagram and the follower CCDF's slopes above 100k
    /// (`clout calibrate census-and-tail-2026`, docs/CALIBRATION.md, "The
    /// shipped fit"). Half the niches are below 62,900; one in a hundred
    /// exceeds 12.6 million.
    #[serde(deserialize_with = "Law::number_or_table")]
    pub niche: Law,
    /// How talent, effort and niche go together (*correlated traits*).
    /// Default all 0, off: each trait is drawn on its own.
    #[serde(skip_serializing_if = "TraitCorrelation::is_off")]
    pub correlation: TraitCorrelation,
}

impl Default for Population {
    fn default() -> Self {
        Population {
            talent: Law::Normal { mean: 0.5, sd: 0.15 },
            effort: Law::LogNormal { median: 3.0, sigma: 0.8 },
            entry_day: Law::Uniform { low: 0.0, high: 3650.0 },
            niche: Law::LogNormal { median: 62900.0, sigma: 2.28 },
            correlation: TraitCorrelation::default(),
        }
    }
}

/// Correlated traits through a Gaussian copula: talent, effort and niche
/// are drawn as `x_k = F_k^-1(Phi(Z_k))`, each trait's own law `F_k`
/// (clamped to its range) applied to a standard normal `Z_k`, where
/// `(Z_talent, Z_effort, Z_niche)` are jointly normal with these
/// correlations. Each trait keeps its law; the correlation is that of the
/// normal scores `Z` (Spearman's rank correlation of the traits is
/// `(6 / pi) asin(rho / 2)`). A niche that grows with talent is
/// `talent_niche > 0`. All 0 (the default) is off: the traits are drawn
/// independently, exactly as without this section. The entry day stays
/// independent. Each correlation lies in `(-1, 1)`, and the three together
/// must be those of some three variables (a positive definite matrix).
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct TraitCorrelation {
    /// Correlation of talent's and effort's normal scores.
    pub talent_effort: f64,
    /// Correlation of talent's and the niche's normal scores.
    pub talent_niche: f64,
    /// Correlation of effort's and the niche's normal scores.
    pub effort_niche: f64,
}

impl TraitCorrelation {
    /// Whether every correlation is 0 (the traits are independent).
    pub fn is_off(&self) -> bool {
        self.talent_effort == 0.0 && self.talent_niche == 0.0 && self.effort_niche == 0.0
    }

    /// Whether the niche is correlated with another trait.
    pub fn involves_niche(&self) -> bool {
        self.talent_niche != 0.0 || self.effort_niche != 0.0
    }

    /// The lower Cholesky factor `L` of the correlation matrix of
    /// (talent, effort, niche) (`Z = L W` for independent standard normals
    /// `W`), or an error naming the field when a correlation is outside
    /// `(-1, 1)` or the three are no correlation matrix.
    pub fn cholesky(&self) -> Result<[[f64; 3]; 3], FieldError> {
        for (name, rho) in [
            ("talent_effort", self.talent_effort),
            ("talent_niche", self.talent_niche),
            ("effort_niche", self.effort_niche),
        ] {
            if !(rho > -1.0 && rho < 1.0) {
                return Err(FieldError::new(name, rho, "must lie in (-1, 1)"));
            }
        }
        let (te, tn, en) = (self.talent_effort, self.talent_niche, self.effort_niche);
        let l11 = (1.0 - te * te).sqrt();
        let l21 = (en - tn * te) / l11;
        let rest = 1.0 - tn * tn - l21 * l21;
        if rest <= 1e-12 {
            return Err(FieldError::new(
                "effort_niche",
                en,
                format!(
                    "with talent_effort = {te} and talent_niche = {tn} the three are no correlations \
                     of three traits (the matrix is not positive definite)"
                ),
            ));
        }
        Ok([[1.0, 0.0, 0.0], [te, l11, 0.0], [tn, l21, rest.sqrt()]])
    }
}

/// How the platform turns posts into followers. `share_rate` is calibrated
/// (docs/CALIBRATION.md); the others are MODEL.md's documented values, with
/// their sources in `docs/MODEL.md`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Platform {
    /// `o_inf`: openness once the platform is saturated, in `[0, 1]`. Default
    /// 0.25 (organic reach fell to about a quarter to a third of its early
    /// level on Facebook 2012-2014 and Instagram 2020-2022).
    pub openness_floor: f64,
    /// `tau_O`: days over which openness decays, > 0. Default 730 (two years).
    pub openness_decay_days: f64,
    /// `d0`: non-follower impressions a post gets from discovery, `>= 0`. Default 100.
    pub discovery: f64,
    /// `s`: non-follower impressions per follower reached (shares), `>= 0`.
    /// Default 0.527: fitted, with the niche sizes, to HypeAuditor's 2026 tier
    /// shares of Instagram and the follower CCDF's slopes above 100k
    /// (`clout calibrate census-and-tail-2026`, docs/CALIBRATION.md).
    pub share_rate: f64,
    /// `c`: chance an impression on a non-follower becomes a follow, per unit
    /// talent, in `[0, 1]`. Default 0.02.
    pub conversion: f64,
    /// `u`: chance a follower unfollows on a given day, in `[0, 1]`. Default 0.0005.
    pub unfollow_rate: f64,
    /// `sigma_L`: log-scale spread of per-post reach luck, in `[0, 5]`. Default 1.0.
    pub reach_sigma: f64,
    /// `v`: chance a post goes viral at talent 1, in `[0, 1]`. Default 0.002.
    pub viral_rate: f64,
    /// `x_m`: Pareto scale of a viral post's reach multiplier, > 0. Default 10.
    pub viral_scale: f64,
    /// `alpha_v`: Pareto shape of a viral post's reach multiplier, > 0. Default 1.5.
    pub viral_shape: f64,
    /// `delta`: the daily rate at which a follower goes inactive, in `[0, 1]`
    /// (*inactive followers*). Default 0, off. When on, each follower is
    /// active when gained and stays active a further day with probability
    /// `exp(-delta)`, so one gained on day `s` is active on day `t` with
    /// probability `exp(-delta (t - s))`; inactive followers are still
    /// counted (the visible audience: tiers, unfollows, the niche) but no
    /// longer share, so the share term of step 4 uses the active followers
    /// `A` instead of `F`. Garcia et al. 2017 (user survival about 86% a
    /// year) give `delta = -ln(0.86) / 365 = 4.1e-4`; the option stays off
    /// by default.
    #[serde(skip_serializing_if = "crate::model::is_zero")]
    pub inactive_rate: f64,
    /// `beta`: how fast each post's reach falls with posting frequency, in
    /// `[0, 2]` (*diminishing returns to posting*; [`Platform::post_reach`]).
    /// Default 0, off: every post reaches as far whatever the frequency.
    #[serde(skip_serializing_if = "crate::model::is_zero")]
    pub frequency_elasticity: f64,
    /// How gains slow as followers fill the niche `M` (*a soft niche*;
    /// [`NicheSaturation`]). Default `"hard"`: the wall of step 4.
    #[serde(skip_serializing_if = "NicheSaturation::is_hard")]
    pub niche_saturation: NicheSaturation,
    /// Days added to the platform day at which a creator meets openness, in
    /// `[0, 36500]`: a creator who entered on platform day `a0` meets
    /// `O(a0 + offset + t)` on career day `t` (in step 4's shares, and
    /// without `[competition]` in its discovery too). Default 0, off: every
    /// creator meets the openness of its own platform day. An experimental
    /// control, not a property of a platform: with
    /// `competition.price_offset_days` it splits the early entrant's advantage
    /// into openness and competition (the `early-entrant-split` scenario).
    #[serde(skip_serializing_if = "crate::model::is_zero")]
    pub openness_offset_days: f64,
}

/// The effort at which [`Platform::post_reach`] is 1: 3 posts a week, the
/// default population's median effort, so the median creator's posts
/// reach as far with diminishing returns on as off.
pub const REFERENCE_EFFORT: f64 = 3.0;

/// How new followers slow as followers `F` fill the niche `M`: the factor
/// on step 4's follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum NicheSaturation {
    /// `max(0, 1 - F/M)`: no follows once `F` reaches `M` (a wall).
    #[default]
    Hard,
    /// `exp(-F/M)`: the same slope at `F = 0`, but follows only slow as
    /// `F` passes `M` (to 37% of the empty niche's at `F = M`, 5% at `3M`),
    /// so a niche is where growth saturates, not a cap.
    Soft,
}

impl NicheSaturation {
    /// Whether this is the default wall (then left out of a scenario's echo).
    pub fn is_hard(&self) -> bool {
        *self == NicheSaturation::Hard
    }
}

impl Default for Platform {
    fn default() -> Self {
        Platform {
            openness_floor: 0.25,
            openness_decay_days: 730.0,
            discovery: 100.0,
            share_rate: 0.527,
            conversion: 0.02,
            unfollow_rate: 0.0005,
            reach_sigma: 1.0,
            viral_rate: 0.002,
            viral_scale: 10.0,
            viral_shape: 1.5,
            inactive_rate: 0.0,
            frequency_elasticity: 0.0,
            niche_saturation: NicheSaturation::Hard,
            openness_offset_days: 0.0,
        }
    }
}

impl Platform {
    /// Openness `O(a) = o_inf + (1 - o_inf) exp(-a / tau_O)` at platform age `a` days.
    pub fn openness(&self, age_days: f64) -> f64 {
        self.openness_floor + (1.0 - self.openness_floor) * (-age_days / self.openness_decay_days).exp()
    }

    /// The reach of each post relative to a creator posting
    /// [`REFERENCE_EFFORT`] times a week, for effort `e` posts a week:
    ///
    /// ```text
    /// r(e) = (e / e_ref)^(-beta),   e_ref = 3 posts a week, beta = frequency_elasticity
    /// ```
    ///
    /// It multiplies every post's impressions (discovery and shares), so
    /// a week's reach grows as `e^(1 - beta)`: posting twice as often gains
    /// `2^(1 - beta)` times the reach, not twice. Exactly 1 when `beta = 0`
    /// (off). The form follows Wu & Huberman 2009 (arXiv:0904.0489; 10
    /// million YouTube videos): the more often a producer uploads, the less
    /// likely each upload is to succeed. They measure the direction, not
    /// this exponent: `beta` is an assumption, to be fitted.
    pub fn post_reach(&self, effort: f64) -> f64 {
        (effort / REFERENCE_EFFORT).powf(-self.frequency_elasticity)
    }

    fn validate(&self) -> Result<(), FieldError> {
        within("openness_floor", self.openness_floor, 0.0, 1.0)?;
        positive("openness_decay_days", self.openness_decay_days)?;
        within("openness_decay_days", self.openness_decay_days, 0.0, 1e7)?;
        within("discovery", self.discovery, 0.0, 1e9)?;
        within("share_rate", self.share_rate, 0.0, 1e3)?;
        within("conversion", self.conversion, 0.0, 1.0)?;
        within("unfollow_rate", self.unfollow_rate, 0.0, 1.0)?;
        within("reach_sigma", self.reach_sigma, 0.0, 5.0)?;
        within("viral_rate", self.viral_rate, 0.0, 1.0)?;
        positive("viral_scale", self.viral_scale)?;
        within("viral_scale", self.viral_scale, 0.0, 1e9)?;
        positive("viral_shape", self.viral_shape)?;
        within("viral_shape", self.viral_shape, 0.0, 1e3)?;
        within("inactive_rate", self.inactive_rate, 0.0, 1.0)?;
        within("frequency_elasticity", self.frequency_elasticity, 0.0, 2.0)?;
        within("openness_offset_days", self.openness_offset_days, 0.0, f64::from(MAX_DAYS))?;
        Ok(())
    }
}

/// When creators give up.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Persistence {
    /// Days between reviews of progress, in `[1, 36500]`. Default 30 (monthly).
    pub review_days: u32,
    /// Chance of quitting at any review, in `[0, 1]`. Default 0.02.
    pub quit_base: f64,
    /// Extra chance of quitting at a review where growth fell short of the
    /// aspiration, in `[0, 1]`, with `quit_base + quit_stall <= 1`. Default 0.04.
    pub quit_stall: f64,
    /// Growth per review the creator expects (0.10 = 10%), in `[0, 100]`. Default 0.10.
    pub aspiration: f64,
    /// `u_dormant`: after quitting, the chance a follower leaves on a given
    /// day, in `[0, 1]` (*dormant decay*). At 0 a creator who quits keeps
    /// every follower. Otherwise the followers at quitting `F_q` are
    /// thinned binomially, so `t` days later they number
    /// `Binomial(F_q, (1 - u_dormant)^t)`. YouTube channels lose 22-26% of
    /// their subscribers a year regardless of activity (issue 23's figure),
    /// which is `u_dormant` from `1 - 0.78^(1/365) = 6.8e-4` to
    /// `1 - 0.74^(1/365) = 8.2e-4`. Default 7.5e-4, the middle: on since
    /// `clout compare variants-2026` chose dormant decay over clout 0.1's
    /// model, a soft niche and diminishing returns (docs/CALIBRATION.md,
    /// "Which variant the data support"). 0 turns it off (clout 0.1).
    // Always written: an echo without it would be read back as the default,
    // and the default changed (records before clout.run/7 etc. meant 0).
    pub dormant_unfollow_rate: f64,
}

impl Default for Persistence {
    fn default() -> Self {
        Persistence {
            review_days: 30,
            quit_base: 0.02,
            quit_stall: 0.04,
            aspiration: 0.10,
            dormant_unfollow_rate: 7.5e-4,
        }
    }
}

impl Persistence {
    fn validate(&self) -> Result<(), FieldError> {
        if !(1..=MAX_DAYS).contains(&self.review_days) {
            return Err(FieldError::new(
                "review_days",
                self.review_days,
                format!("must lie in [1, {MAX_DAYS}]"),
            ));
        }
        within("quit_base", self.quit_base, 0.0, 1.0)?;
        within("quit_stall", self.quit_stall, 0.0, 1.0)?;
        if self.quit_base + self.quit_stall > 1.0 {
            return Err(FieldError::new(
                "quit_stall",
                self.quit_stall,
                format!(
                    "must be <= 1 - quit_base = {} (it is a probability on top of quit_base)",
                    1.0 - self.quit_base
                ),
            ));
        }
        within("aspiration", self.aspiration, 0.0, 100.0)?;
        within("dormant_unfollow_rate", self.dormant_unfollow_rate, 0.0, 1.0)?;
        Ok(())
    }
}

/// How careers are observed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Observation {
    /// Every creator is followed for `horizon_days` days from their first day
    /// (whatever their entry day): "what are the odds within five years?".
    Cohort {
        /// Days of career observed, in `[1, 36500]`.
        horizon_days: u32,
    },
    /// Everyone is observed on one platform day; a creator who entered on
    /// platform day `a0` has had `floor(platform_day - a0)` days. Entry days are
    /// clamped to `[0, platform_day]`. Published tier shares are snapshots.
    Snapshot {
        /// The platform day of the snapshot, in `[1, 36500]`.
        platform_day: u32,
    },
}

impl Default for Observation {
    fn default() -> Self {
        Observation::Cohort { horizon_days: 1825 }
    }
}

impl Observation {
    fn validate(&self) -> Result<(), FieldError> {
        let (name, days) = match *self {
            Observation::Cohort { horizon_days } => ("horizon_days", horizon_days),
            Observation::Snapshot { platform_day } => ("platform_day", platform_day),
        };
        if (1..=MAX_DAYS).contains(&days) {
            Ok(())
        } else {
            Err(FieldError::new(name, days, format!("must lie in [1, {MAX_DAYS}] days")))
        }
    }

    /// The most career days any creator is observed: the cohort's horizon, or
    /// the snapshot's platform day (a creator who entered on day 0).
    pub fn longest_career(&self) -> u32 {
        match *self {
            Observation::Cohort { horizon_days } => horizon_days,
            Observation::Snapshot { platform_day } => platform_day,
        }
    }

    /// The range entry days are clamped to.
    pub fn entry_day_range(&self) -> (f64, f64) {
        match *self {
            Observation::Cohort { .. } => (0.0, f64::from(MAX_DAYS)),
            Observation::Snapshot { platform_day } => (0.0, f64::from(platform_day)),
        }
    }
}

/// Everything that defines a Career model, as written in a scenario file.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct CareerSpec {
    /// How careers are observed.
    pub observation: Observation,
    /// Who the creators are.
    pub population: Population,
    /// How the platform turns posts into followers.
    pub platform: Platform,
    /// When creators give up.
    pub persistence: Persistence,
    /// Tier thresholds and the goal tier.
    pub tiers: Tiers,
    /// The career days on which followers are summarised.
    pub trajectory: TrajectorySpec,
    /// Engagement of each post (*engagement*, [`money`]). Default `None`, off.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub engagement: Option<Engagement>,
    /// A yearly income from brand deals and ads (*money*, [`money`]; on
    /// implies engagement). Default `None`, off.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub money: Option<Money>,
    /// Creators competing for attention ([`crate::model::platform`]); none: Career.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub competition: Option<CompetitionSpec>,
}

impl CareerSpec {
    /// With a solved field (`[competition]`, `field = "solved"`): checks that
    /// every career observed stays within the field's platform days: a
    /// cohort's from the latest entry day the population allows (a fixed
    /// entry day, a uniform's upper end, else the observation's latest)
    /// through its horizon, a snapshot's to its platform day; moved by
    /// `competition.price_offset_days`. Errors name the `[competition]`
    /// field. Nothing to check otherwise.
    pub fn check_within_field(&self) -> Result<(), FieldError> {
        let Some(competition) = self.competition.filter(|c| c.field == FieldKind::Solved) else {
            return Ok(());
        };
        let (last, observed) = match self.observation {
            Observation::Cohort { horizon_days } => {
                let latest = match self.population.entry_day {
                    Law::Fixed { value } => value,
                    Law::Uniform { high, .. } => high,
                    _ => self.observation.entry_day_range().1,
                }
                .min(self.observation.entry_day_range().1);
                (
                    latest + f64::from(horizon_days),
                    format!("the latest entry day {latest} plus {horizon_days} days of career"),
                )
            }
            Observation::Snapshot { platform_day } => {
                (f64::from(platform_day), format!("the snapshot's platform day {platform_day}"))
            }
        };
        let offset = competition.price_offset_days;
        let days = competition.platform_days;
        if offset > 0.0 && last + offset > f64::from(days) {
            return Err(FieldError::new(
                "competition.price_offset_days",
                offset,
                format!(
                    "must keep every career observed within the field: {observed} plus the offset must be at most platform_days = {days}"
                ),
            ));
        }
        if last > f64::from(days) {
            return Err(FieldError::new(
                "competition.platform_days",
                days,
                format!("must cover every career observed: {observed}"),
            ));
        }
        Ok(())
    }
}

/// One creator's traits, drawn once per trial from the [`Population`].
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Creator {
    /// Talent `q`, in `[0, 1]`.
    pub talent: f64,
    /// Effort `e`, posts a week.
    pub effort: f64,
    /// Platform age in days on the first day, `a0`.
    pub entry_day: f64,
    /// Niche size `M`.
    pub niche: f64,
}

impl Creator {
    /// The same creator with every trait held to its range (NaN becomes the low end).
    /// The ranges are those of the career's inputs
    /// ([`crate::model::inputs::Inputs::inputs`]).
    pub fn clamped(self) -> Creator {
        let mut creator = self;
        for (index, &(_, _, (lo, hi))) in levels::CREATOR_TRAITS.iter().enumerate() {
            let x = creator.input(index);
            creator.set_input(index, if x.is_nan() { lo } else { x.clamp(lo, hi) });
        }
        creator
    }
}

/// The outcome of one career.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Career {
    /// Who the creator was.
    pub creator: Creator,
    /// Followers at the horizon: those the creator had when they quit,
    /// unless dormant decay thins them (`persistence.dormant_unfollow_rate`).
    pub followers: u64,
    /// Active followers at the horizon (`platform.inactive_rate`): those of
    /// `followers` who still share; all of them when the option is off.
    pub active_followers: u64,
    /// Career day (from 1) on which each level, in the slot order of
    /// [`Tiers::levels`] (the tiers in the order of
    /// [`crate::tier::Tier::ALL`], then a goal that is no tier), was first
    /// reached; `None` if never (and in slots past the scenario's levels). A
    /// career started from a given state counts the levels at or below its
    /// starting followers as reached on its starting day.
    pub reached_day: [Option<u32>; LEVEL_SLOTS],
    /// Still posting at the horizon.
    pub active: bool,
    /// Days of active career (the horizon, or the review day the creator quit).
    pub career_days: u32,
    /// Days observed (the horizon for this creator).
    pub horizon_days: u32,
    /// Followers on each of the model's trajectory days up to the horizon
    /// ([`CareerModel::trajectory_days`]), drawn exactly
    /// ([`trajectory`]): filled by [`CareerModel::simulate`] (every plain
    /// trial); empty for a career advanced by hand ([`CareerState::career`]).
    pub at_days: DayFollowers,
    /// Engagement and income (with `[engagement]` or `[money]` on; else
    /// `None`): filled by [`CareerModel::simulate`] and [`CareerModel::finish`].
    pub earnings: Option<Earnings>,
}

/// The luck of one career: one generator per luck channel, each on its own
/// keyed stream ([`crate::random`]), so editing a trait leaves every luck
/// channel's draws as they were.
#[derive(Debug, Clone)]
pub struct CareerLuck {
    post_times: StreamRng,
    reach: StreamRng,
    viral: StreamRng,
    follows: StreamRng,
    unfollows: StreamRng,
    quitting: StreamRng,
    /// Followers going inactive: drawn only with `platform.inactive_rate` on.
    inactive: StreamRng,
    /// Engagements and sponsored posts: drawn only with engagement on.
    engagement: StreamRng,
}

impl CareerLuck {
    /// The luck streams of one trial (and branch).
    pub fn new(streams: &TrialStreams) -> Self {
        Self::per_channel(&[*streams; 6])
    }

    /// Luck whose channel `Source::LUCK[k]` draws from `streams[k]`'s
    /// stream of that source: each channel keyed on its own, so one channel's
    /// luck can be redrawn with the others kept (a forecast's moves,
    /// [`crate::experiment::forecast`]). Six equal `streams` give
    /// [`CareerLuck::new`]'s luck.
    pub fn per_channel(streams: &[TrialStreams; 6]) -> Self {
        // Bound in the order of `Source::LUCK`, the one list of channels.
        let [post_times, reach, viral, follows, unfollows, quitting] =
            std::array::from_fn(|k| streams[k].rng(Source::LUCK[k]));
        CareerLuck {
            post_times,
            reach,
            viral,
            follows,
            unfollows,
            quitting,
            // Followers going inactive ride with the quitting channel: a
            // move that redraws one redraws both (drawn only with
            // `platform.inactive_rate` on).
            inactive: streams[5].rng(Source::Inactive),
            // Engagement rides with the reach channel (drawn only with
            // `[engagement]` or `[money]` on).
            engagement: streams[1].rng(Source::Engagement),
        }
    }
}

/// Where a career stands after some days: everything needed to continue it,
/// as a value. Cloning it clones the luck streams too, so a clone continues
/// with exactly the same draws; give a clone other luck with
/// [`CareerState::reseed_luck`].
///
/// A plain run is `CareerModel::start_state` at the entry state, advanced
/// to the horizon; conditional runs start from another state or stop at a
/// career day to look at it.
#[derive(Debug, Clone)]
pub struct CareerState {
    creator: Creator,
    horizon_days: u32,
    /// Days whose steps 1-5 have been applied.
    day: u32,
    followers: u64,
    active: bool,
    reached_day: [Option<u32>; LEVEL_SLOTS],
    /// Career time (days) of the next post.
    next_post: f64,
    /// Plain posts before the next viral one.
    plain_before_viral: u64,
    /// Career day of the next review.
    next_review: u32,
    followers_at_last_review: u64,
    /// Active followers (with `platform.inactive_rate` on; else unused).
    active_followers: u64,
    /// Posts, engagements and income in the income window (with
    /// engagement on; else empty).
    ledger: Ledger,
    luck: CareerLuck,
}

impl CareerState {
    /// The creator (traits clamped to their ranges).
    pub fn creator(&self) -> Creator {
        self.creator
    }
    /// Career days done so far.
    pub fn day(&self) -> u32 {
        self.day
    }
    /// Followers now.
    pub fn followers(&self) -> u64 {
        self.followers
    }
    /// Still posting.
    pub fn active(&self) -> bool {
        self.active
    }
    /// The last career day this career is observed.
    pub fn horizon_days(&self) -> u32 {
        self.horizon_days
    }
    /// Followers at the last review (0 before the first).
    pub fn followers_at_last_review(&self) -> u64 {
        self.followers_at_last_review
    }

    /// The career as it stands: followers now, active days so far.
    pub fn career(&self) -> Career {
        Career {
            creator: self.creator,
            followers: self.followers,
            reached_day: self.reached_day,
            active: self.active,
            career_days: self.day,
            horizon_days: self.horizon_days,
            at_days: DayFollowers::default(),
            active_followers: self.active_followers,
            earnings: None,
        }
    }

    /// Gives the state the luck of another branch of its trial, keeping its
    /// position (for luck replays and splitting). Only memoryless parts of
    /// the state depend on past luck draws (the next post time and the count
    /// of plain posts before a viral one); callers that need them redrawn use
    /// [`CareerModel::redraw_memoryless`].
    pub fn reseed_luck(&mut self, streams: &TrialStreams) {
        self.luck = CareerLuck::new(streams);
    }

    /// Active followers now (all followers unless `platform.inactive_rate` is on).
    pub fn active_followers(&self) -> u64 {
        self.active_followers
    }
}

/// Where [`CareerModel::advance`] stops.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stop {
    /// At the horizon (or when the creator quits).
    Horizon,
    /// After this career day's steps 1-5 (or earlier at the horizon or a quit).
    Day(u32),
    /// After the first day that ends with at least this many followers (or
    /// at the horizon or a quit).
    Followers(u64),
}

/// Why [`CareerModel::advance`] stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stopped {
    /// The horizon was reached, active.
    Horizon,
    /// The requested career day was reached, before the horizon.
    Day,
    /// The requested follower level was reached.
    Followers,
    /// The creator quit (now or earlier): the career is over.
    Quit,
}

/// The Career model, validated and ready to sample.
///
/// ```
/// use clout::model::career::{CareerModel, CareerSpec};
/// use clout::{Model, Runner, Tier};
/// let model = CareerModel::new(CareerSpec::default()).unwrap();
/// let report = model.report(&Runner::new(7).run(&model, 2_000).summary);
/// let macro_odds = report.proportion(Tier::Macro);
/// assert!(macro_odds.wilson.lower <= macro_odds.estimate);
/// ```
#[derive(Debug, Clone)]
pub struct CareerModel {
    spec: CareerSpec,
    talent: TraitSampler,
    effort: TraitSampler,
    entry_day: TraitSampler,
    niche: TraitSampler,
    /// The Cholesky factor of the traits' correlations, when they have any
    /// ([`TraitCorrelation`]).
    copula: Option<[[f64; 3]; 3]>,
    viral: Pareto<f64>,
    reach_log_mean: f64,
    ln_keep: f64,
    /// Follower levels in the slot order of [`Tiers::levels`].
    thresholds: Vec<u64>,
    /// The slots of `thresholds`, lowest threshold first: the order levels
    /// are crossed in.
    ascending: Vec<usize>,
    /// `exp(-t / tau_O)` for every career day `t` the observation reaches;
    /// shared between models that compute the same one
    /// ([`CareerModel::share_tables`]).
    decay: std::sync::Arc<[f64]>,
    /// Engagement and money, when on.
    earning: Option<Earning>,
    /// The price of attention careers face, when creators compete
    /// ([`CareerModel::in_field`]); `None`: Career's `d0 O(a)`.
    field: Option<std::sync::Arc<Field>>,
}

impl CareerModel {
    /// The model of `spec` whose careers face `field`'s price of attention
    /// ([`crate::model::platform`]): `spec.competition` must be the field's
    /// settings, and a solved field needs `platform.openness_floor > 0`
    /// (discovery is carried through openness, module docs of the platform).
    pub fn in_field(spec: CareerSpec, field: std::sync::Arc<Field>) -> Result<Self, FieldError> {
        // The field is the platform's: a creator's price offset is not part of it.
        if spec.competition.map(|c| c.platform_only()) != Some(field.spec().platform_only()) {
            return Err(FieldError::new("competition", "(a field)", "was solved under other settings"));
        }
        if !field.is_openness() && spec.platform.openness_floor <= 0.0 {
            return Err(FieldError::new(
                "platform.openness_floor",
                spec.platform.openness_floor,
                "must be > 0 when creators compete for attention ([competition])",
            ));
        }
        let mut model = CareerModel::build(spec)?;
        model.field = Some(field);
        Ok(model)
    }

    /// The field careers face, if creators compete.
    pub fn field(&self) -> Option<&Field> {
        self.field.as_deref()
    }

    /// The model of `spec` in this model's field, the one field shared and
    /// not solved again ([`CareerModel::in_field`]), or Career's when this
    /// model has none: how an analysis builds its variants of one scenario
    /// (another observation, a trait fixed) so that every one meets the
    /// price of attention of the same platform.
    pub fn with_spec(&self, spec: CareerSpec) -> Result<Self, FieldError> {
        match &self.field {
            Some(field) => CareerModel::in_field(spec, field.clone()),
            None => CareerModel::new(spec),
        }
    }

    /// Validates `spec` and prepares the samplers. An error names the field
    /// by its path in a scenario file, e.g. `population.talent.sd = -1: must be > 0`.
    /// A spec with `[competition]` needs its field: [`CareerModel::in_field`].
    pub fn new(spec: CareerSpec) -> Result<Self, FieldError> {
        if spec.competition.is_some() {
            return Err(FieldError::new(
                "competition",
                "(a section)",
                "needs its solved field: build the model through its scenario (Scenario::career_model)",
            ));
        }
        CareerModel::build(spec)
    }

    fn build(spec: CareerSpec) -> Result<Self, FieldError> {
        spec.observation.validate().map_err(|e| e.within("observation"))?;
        let p = &spec.population;
        let (e_lo, e_hi) = spec.observation.entry_day_range();
        p.talent.validate("population.talent", TALENT_RANGE.0, TALENT_RANGE.1)?;
        p.effort.validate("population.effort", EFFORT_RANGE.0, EFFORT_RANGE.1)?;
        p.entry_day.validate("population.entry_day", e_lo, e_hi)?;
        p.niche.validate("population.niche", NICHE_RANGE.0, NICHE_RANGE.1)?;
        let copula = if p.correlation.is_off() {
            None
        } else {
            Some(p.correlation.cholesky().map_err(|e| e.within("population.correlation"))?)
        };
        spec.platform.validate().map_err(|e| e.within("platform"))?;
        spec.persistence.validate().map_err(|e| e.within("persistence"))?;
        spec.tiers.validate().map_err(|e| e.within("tiers"))?;
        spec.trajectory.validate().map_err(|e| e.within("trajectory"))?;
        let pl = &spec.platform;
        let viral = Pareto::new(pl.viral_scale, pl.viral_shape)
            .map_err(|_| FieldError::new("platform.viral_shape", pl.viral_shape, "must be > 0"))?;
        finite("platform.unfollow_rate", pl.unfollow_rate)?;
        if let Some(e) = &spec.engagement {
            e.validate().map_err(|e| e.within("engagement"))?;
        }
        if let Some(m) = &spec.money {
            m.validate().map_err(|e| e.within("money"))?;
        }
        if let (Some(e), Some(m)) = (&spec.engagement, &spec.money)
            && let (Some(audience), Some(_)) = (e.goal, m.goal)
        {
            return Err(FieldError::new(
                "engagement.goal",
                audience,
                "must be absent when money.goal is set: a study asks about one goal (remove one of the two)",
            ));
        }
        let earning = match (spec.engagement, spec.money) {
            (None, None) => None,
            (engagement, money) => Some(Earning { engagement: engagement.unwrap_or_default(), money }),
        };
        Ok(CareerModel {
            earning,
            talent: p.talent.sampler(TALENT_RANGE.0, TALENT_RANGE.1),
            effort: p.effort.sampler(EFFORT_RANGE.0, EFFORT_RANGE.1),
            entry_day: p.entry_day.sampler(e_lo, e_hi),
            niche: p.niche.sampler(NICHE_RANGE.0, NICHE_RANGE.1),
            copula,
            viral,
            reach_log_mean: -0.5 * pl.reach_sigma * pl.reach_sigma,
            ln_keep: (-pl.unfollow_rate).ln_1p(),
            thresholds: spec.tiers.levels().iter().map(|l| l.followers).collect(),
            ascending: {
                let levels = spec.tiers.levels();
                let mut slots: Vec<usize> = (0..levels.len()).collect();
                slots.sort_by_key(|&k| levels[k].followers);
                slots
            },
            // Only the days this observation can reach: a sweep holds a model per point.
            decay: (0..spec.observation.longest_career())
                .map(|t| (-f64::from(t) / pl.openness_decay_days).exp())
                .collect(),
            spec,
            field: None,
        })
    }

    /// The validated specification.
    pub fn spec(&self) -> &CareerSpec {
        &self.spec
    }

    /// Shares this model's precomputed table with an equal one in `tables`,
    /// or adds it there: a sweep holds a model per point, and the table
    /// (8 bytes a day of the longest career: 14.6 KB at five years) is the
    /// same at every point that keeps the observation and openness decay.
    /// The table's values are unchanged, so the model's careers are too.
    pub(crate) fn share_tables(&mut self, tables: &mut Vec<std::sync::Arc<[f64]>>) {
        match tables.iter().find(|t| t[..] == self.decay[..]) {
            Some(same) => self.decay = same.clone(),
            None => tables.push(self.decay.clone()),
        }
    }

    /// The career days on which a plain run summarises followers
    /// (`[trajectory] days`), increasing.
    pub fn trajectory_days(&self) -> &[u32] {
        self.spec.trajectory.days.as_slice()
    }

    /// An empty summary for careers continued from career day `day` (see
    /// [`CareerModel::finish`]): its trajectory days are those after `day`.
    pub fn summary_after(&self, day: u32) -> CareerSummary {
        let days = self.trajectory_days();
        let summary = self.with_active(CareerSummary::new(
            self.spec.tiers,
            &days[days.iter().take_while(|&&d| d <= day).count()..],
        ));
        match &self.earning {
            Some(e) => summary.with_money(e.money.as_ref(), e.engagement.audience_levels.as_slice()),
            None => summary,
        }
    }

    /// `summary`, keeping active followers too when this model has
    /// inactive followers.
    fn with_active(&self, summary: CareerSummary) -> CareerSummary {
        if self.spec.platform.inactive_rate > 0.0 { summary.with_active_followers() } else { summary }
    }

    /// Followers left of `followers` after `days` days without a post: each
    /// stays with probability `(1 - u)^days`.
    #[inline]
    fn after_quiet_days<R: Rng + ?Sized>(&self, rng: &mut R, followers: u64, days: u32) -> u64 {
        if followers == 0 || days == 0 {
            return followers;
        }
        let ln_stay = f64::from(days) * self.ln_keep;
        // The chance anyone leaves is at most F g u. When that bound is small
        // (the usual case) the draw is by inversion of one uniform, and a
        // uniform below 1 - F g u settles it at 0 without evaluating anything.
        let bound = followers as f64 * f64::from(days) * self.spec.platform.unfollow_rate;
        let lost = if bound <= 0.5 {
            let u: f64 = rng.random();
            if u <= 1.0 - bound {
                return followers;
            }
            binomial_by_inversion(rng, u, followers, -ln_stay.exp_m1(), ln_stay)
        } else {
            let leave = -ln_stay.exp_m1();
            if leave <= 0.5 {
                binomial_small_p(rng, followers, leave, ln_stay)
            } else {
                binomial(rng, followers, leave)
            }
        };
        followers - lost
    }

    /// Unfollows among `followers` on one day: `Binomial(followers, u)`.
    #[inline(always)]
    fn unfollows_in_a_day<R: Rng + ?Sized>(&self, rng: &mut R, followers: u64) -> u64 {
        let u = self.spec.platform.unfollow_rate;
        if u <= 0.5 { binomial_small_p(rng, followers, u, self.ln_keep) } else { binomial(rng, followers, u) }
    }

    /// Followers and active followers after `days` days without a post:
    /// unfollows thin both kinds alike ([`CareerModel::after_quiet_days`]);
    /// with inactive followers on (`INACTIVE`), the active ones left then
    /// stay active with probability `exp(-delta days)`. Without, the draws
    /// are exactly [`CareerModel::after_quiet_days`]'s.
    #[inline(always)]
    fn quiet_days<const INACTIVE: bool>(
        &self,
        luck: &mut CareerLuck,
        followers: u64,
        active: u64,
        days: u32,
    ) -> (u64, u64) {
        if !INACTIVE {
            return (self.after_quiet_days(&mut luck.unfollows, followers, days), active);
        }
        let kept_active = self.after_quiet_days(&mut luck.unfollows, active, days);
        let kept = kept_active + self.after_quiet_days(&mut luck.unfollows, followers - active, days);
        (kept, self.still_active(&mut luck.inactive, kept_active, days))
    }

    /// Of `active` followers, those still active `days` days later, each
    /// staying so with probability `exp(-delta days)` (`delta =
    /// platform.inactive_rate`; all of them when it is 0).
    #[inline]
    fn still_active<R: Rng + ?Sized>(&self, rng: &mut R, active: u64, days: u32) -> u64 {
        let delta = self.spec.platform.inactive_rate;
        if active == 0 || days == 0 || delta <= 0.0 {
            return active;
        }
        active - binomial(rng, active, -(-delta * f64::from(days)).exp_m1())
    }

    /// Draws a creator from the population, each trait from its own stream
    /// (with correlated traits, each stream gives its trait's standard
    /// normal `W_k`, and the copula of [`TraitCorrelation`] joins them).
    pub fn sample_creator(&self, streams: &TrialStreams) -> Creator {
        if let Some(l) = &self.copula {
            return self.sample_correlated(streams, l);
        }
        Creator {
            talent: self.talent.sample(&mut streams.rng(Source::Talent)),
            effort: self.effort.sample(&mut streams.rng(Source::Effort)),
            entry_day: self.entry_day.sample(&mut streams.rng(Source::EntryDay)),
            niche: self.niche.sample(&mut streams.rng(Source::Niche)),
        }
    }

    /// A creator whose talent, effort and niche are joined by the Gaussian
    /// copula with Cholesky factor `l` ([`TraitCorrelation`]).
    fn sample_correlated(&self, streams: &TrialStreams, l: &[[f64; 3]; 3]) -> Creator {
        use statrs::distribution::{ContinuousCDF, Normal};
        let w = [Source::Talent, Source::Effort, Source::Niche]
            .map(|source| streams.rng(source).sample::<f64, _>(StandardNormal));
        let z = |k: usize| l[k][0] * w[0] + l[k][1] * w[1] + l[k][2] * w[2];
        let score = Normal::standard();
        let p = &self.spec.population;
        Creator {
            talent: p.talent.quantile(score.cdf(z(0)), TALENT_RANGE.0, TALENT_RANGE.1),
            effort: p.effort.quantile(score.cdf(z(1)), EFFORT_RANGE.0, EFFORT_RANGE.1),
            entry_day: self.entry_day.sample(&mut streams.rng(Source::EntryDay)),
            niche: p.niche.quantile(score.cdf(z(2)), NICHE_RANGE.0, NICHE_RANGE.1),
        }
    }

    /// Days a creator who entered on platform day `entry_day` is observed.
    pub fn horizon_days(&self, entry_day: f64) -> u32 {
        match self.spec.observation {
            Observation::Cohort { horizon_days } => horizon_days,
            Observation::Snapshot { platform_day } => (f64::from(platform_day) - entry_day).max(0.0) as u32,
        }
    }

    /// The state of `creator` on their first day: no followers, no review yet.
    pub fn entry_state(&self, streams: &TrialStreams, creator: Creator, horizon_days: u32) -> CareerState {
        self.start_state(streams, creator, horizon_days, StartPoint::default())
    }

    /// The state of an active `creator` after `start.career_day` days with
    /// `start.followers` followers, `start.followers_at_last_review` at the
    /// last review (0 if none yet), observed until career day `horizon_days`
    /// (cut to [`MAX_DAYS`]); its luck comes from `streams`. Traits are
    /// clamped to their ranges. Tiers at or below the starting followers
    /// count as reached on the starting day. The posting process and the
    /// viral gaps are memoryless, so they start afresh. With inactive
    /// followers on (`platform.inactive_rate`), every starting follower
    /// counts as active.
    pub fn start_state(
        &self,
        streams: &TrialStreams,
        creator: Creator,
        horizon_days: u32,
        start: StartPoint,
    ) -> CareerState {
        let creator = creator.clamped();
        let mut reached_day = [None; LEVEL_SLOTS];
        for (reached, &threshold) in reached_day.iter_mut().zip(&self.thresholds) {
            if start.followers >= threshold {
                *reached = Some(start.career_day);
            }
        }
        let review = self.spec.persistence.review_days;
        let mut state = CareerState {
            creator,
            horizon_days: horizon_days.min(MAX_DAYS),
            day: start.career_day,
            followers: start.followers,
            active: true,
            reached_day,
            next_post: 0.0,
            plain_before_viral: 0,
            next_review: (start.career_day / review).saturating_add(1).saturating_mul(review),
            followers_at_last_review: start.followers_at_last_review,
            active_followers: start.followers,
            ledger: Ledger::default(),
            luck: CareerLuck::new(streams),
        };
        self.redraw_memoryless(&mut state);
        state
    }

    /// As [`CareerModel::entry_state`], with each luck channel keyed on its
    /// own ([`CareerLuck::per_channel`]). With six equal `streams` it is
    /// `entry_state(&streams[0], ..)`.
    pub fn entry_state_per_channel(
        &self,
        streams: &[TrialStreams; 6],
        creator: Creator,
        horizon_days: u32,
    ) -> CareerState {
        let mut state = self.entry_state(&streams[0], creator, horizon_days);
        state.luck = CareerLuck::per_channel(streams);
        self.redraw_memoryless(&mut state);
        state
    }

    /// Redraws the memoryless parts of a state from its own luck streams: the
    /// time to the next post (exponential) and the number of plain posts
    /// before the next viral one (geometric). The distribution of the rest of
    /// the career is unchanged; the draws are new.
    pub fn redraw_memoryless(&self, state: &mut CareerState) {
        let mean_gap = 7.0 / state.creator.effort;
        state.next_post = f64::from(state.day) + state.luck.post_times.sample::<f64, _>(Exp1) * mean_gap;
        let ln_plain = (-self.spec.platform.viral_rate * state.creator.talent).ln_1p();
        state.plain_before_viral = plain_posts_before_viral(&mut state.luck.viral, ln_plain);
    }

    /// Simulates one career of `creator` from their first day, observed for
    /// `horizon_days` days (steps 1-5 of the module docs), with the luck of
    /// `streams`. Traits are clamped to their ranges and horizons beyond
    /// [`MAX_DAYS`] are cut to it.
    pub fn simulate(&self, streams: &TrialStreams, creator: Creator, horizon_days: u32) -> Career {
        self.finish(streams, self.entry_state(streams, creator, horizon_days))
    }

    /// Continues `state` to its horizon (or until the creator quits), with
    /// the followers on the trajectory days after its current day in
    /// [`Career::at_days`] ([`CareerModel::summary_after`] summarises them);
    /// `streams` are the trial's, whose trajectory stream the days draw from.
    pub fn finish(&self, streams: &TrialStreams, mut state: CareerState) -> Career {
        let mut days = self.day_watch(&state, streams);
        self.advance_watched(&mut state, Stop::Horizon, &mut days);
        self.with_days(&state, days, streams)
    }

    /// A watch of the trajectory days for a career now in `state`.
    fn day_watch<'a>(&'a self, state: &CareerState, streams: &'a TrialStreams) -> DayWatch<'a> {
        DayWatch::new(self.trajectory_days(), state.day, self.ln_keep, streams)
    }

    /// The career of a stopped `state`, with the followers `days` watched.
    /// A creator who quit keeps their followers to the horizon, or, with
    /// dormant decay on (`persistence.dormant_unfollow_rate`), loses them
    /// by binomial thinning from the [`Source::Dormant`] stream, drawn on
    /// each trajectory day after the quit and at the horizon.
    fn with_days(&self, state: &CareerState, days: DayWatch, streams: &TrialStreams) -> Career {
        let mut career = self.followers_at_horizon(state, days, streams);
        career.earnings =
            self.earning.map(|e| e.earnings(&state.ledger, career.followers, career.active_followers));
        career
    }

    /// Continues `state` to its horizon (or until the creator quits) without
    /// watching trajectory days: a career continued from a day that differs
    /// between trials (creators like you, from their matching day), with
    /// its earnings and, after a quit, its dormant decay.
    pub fn finish_unwatched(&self, streams: &TrialStreams, mut state: CareerState) -> Career {
        let mut days = DayWatch::new(&[], state.day, self.ln_keep, streams);
        self.advance_watched(&mut state, Stop::Horizon, &mut days);
        self.with_days(&state, days, streams)
    }

    /// The days of the income window (the last days before the horizon whose
    /// posts count towards engagement and income), with `[engagement]` or
    /// `[money]` on.
    pub(crate) fn income_window_days(&self) -> Option<u32> {
        self.earning.map(|e| e.window_days())
    }

    /// The income a year `creator` would expect holding `followers`
    /// followers, all active, through the income window ending on career
    /// day `horizon_day` (`None` without `[money]`): the closed form of
    /// the still audience's income (`money`'s `still_income`) for `n = w e / 7` posts (`w` the window's
    /// days, at most `horizon_day`; `e` the creator's posts a week), each
    /// seen by the views of step 4 at average luck (one post of reach luck
    /// 1, not viral) on the window's last day, `impressions + O(a) r(e) F`,
    /// as a simulated posting day counts them. Money is the same function of
    /// the same views as in a simulated career; only the audience is held.
    pub fn still_income(&self, creator: Creator, followers: u64, horizon_day: u32) -> Option<f64> {
        let earning = self.earning?;
        let creator = creator.clamped();
        let pace = self.pace(creator);
        let one = DayReach { reach: 1.0, viral_reach: 1.0, posts: 1 };
        let f = followers as f64;
        let (openness, impressions) = self.impressions(&pace, horizon_day, one, f, followers);
        let posts = f64::from(earning.window_days().min(horizon_day)) * creator.effort / 7.0;
        earning.still_income(followers, posts, impressions + openness * f)
    }

    /// [`CareerModel::with_days`]'s career before its earnings.
    fn followers_at_horizon(&self, state: &CareerState, days: DayWatch, streams: &TrialStreams) -> Career {
        let mut career = state.career();
        let u_dormant = self.spec.persistence.dormant_unfollow_rate;
        if state.active || (u_dormant <= 0.0 && self.spec.platform.inactive_rate <= 0.0) {
            career.at_days = days.finish(state.active, state.horizon_days, state.followers);
            return career;
        }
        // After the quit, followers leave (dormant decay) and go inactive:
        // the active and the inactive thinned apart, so the active stay a
        // part of the followers.
        let ln_stay = (-u_dormant).ln_1p();
        let mut dormant = streams.rng(Source::Dormant);
        let mut inactive = state.luck.inactive.clone();
        let mut active = state.active_followers;
        let mut thin = |followers: u64, days: u32| {
            let kept_active = dormant_thinning(&mut dormant, active, days, ln_stay);
            let kept = kept_active + dormant_thinning(&mut dormant, followers - active, days, ln_stay);
            active = self.still_active(&mut inactive, kept_active, days);
            kept
        };
        let (at_days, followers) =
            days.finish_quit(state.day, state.horizon_days, state.followers, &mut thin);
        career.at_days = at_days;
        career.followers = followers;
        career.active_followers = active;
        career
    }

    /// As [`CareerModel::simulate`], also returning the follower count after
    /// every day on which it can have changed, as `(career day, followers)`
    /// pairs: each posting day, each review, and the horizon. Between two
    /// listed days followers only fall (unfollows on quiet days).
    pub fn trajectory(
        &self,
        streams: &TrialStreams,
        creator: Creator,
        horizon_days: u32,
    ) -> (Career, Vec<(u32, u64)>) {
        let mut path = Vec::new();
        let mut state = self.entry_state(streams, creator, horizon_days);
        let mut watch = (self.day_watch(&state, streams), Events(|day, f| path.push((day, f))));
        self.advance_watched(&mut state, Stop::Horizon, &mut watch);
        let career = self.with_days(&state, watch.0, streams);
        (career, path)
    }

    /// Continues a career until `stop` (steps 1-5 of the module docs, day by
    /// day, exactly). A state can be advanced again afterwards: advancing to
    /// day 100 and then to the horizon samples the same distribution as
    /// advancing to the horizon at once. (Not the same draws: the unfollows
    /// of a run of quiet days are one binomial draw, and a stop inside the
    /// run splits it in two. Runs that stop at the same days replay exactly.)
    pub fn advance(&self, state: &mut CareerState, stop: Stop) -> Stopped {
        self.advance_observed(state, stop, |_, _| {})
    }

    /// As [`CareerModel::advance`], calling `observe(career day, followers)`
    /// after every day on which followers can have changed (each posting
    /// day, each review, and the stopping day).
    #[inline(always)]
    pub fn advance_observed(
        &self,
        state: &mut CareerState,
        stop: Stop,
        observe: impl FnMut(u32, u64),
    ) -> Stopped {
        self.advance_watched(state, stop, &mut Events(observe))
    }

    /// The quiet days from `day` to `to`: thins `(followers, active
    /// followers)` by their unfollows (and inactivity) and tells `watch`.
    #[inline(always)]
    fn quiet_until<W: Watch, const INACTIVE: bool>(
        &self,
        luck: &mut CareerLuck,
        watch: &mut W,
        day: u32,
        audience: &mut Audience,
        to: u32,
    ) {
        let (thinned, active) =
            self.quiet_days::<INACTIVE>(luck, audience.followers, audience.active, to - day);
        watch.quiet((day, audience.followers), (to, thinned));
        *audience = Audience { followers: thinned, active };
    }

    /// Step 4's unfollows on a posting day, and the `gained` follows: the
    /// audience at the day's end. With inactive followers, active and
    /// inactive followers unfollow apart and the active ones that stay may
    /// go inactive; new followers start active.
    #[inline(always)]
    fn after_the_day<const INACTIVE: bool>(
        &self,
        luck: &mut CareerLuck,
        before: Audience,
        gained: u64,
    ) -> Audience {
        if INACTIVE {
            let lost_active = self.unfollows_in_a_day(&mut luck.unfollows, before.active);
            let kept_active = self.still_active(&mut luck.inactive, before.active - lost_active, 1);
            let lost =
                lost_active + self.unfollows_in_a_day(&mut luck.unfollows, before.followers - before.active);
            Audience { followers: before.followers - lost + gained, active: kept_active + gained }
        } else {
            let lost = self.unfollows_in_a_day(&mut luck.unfollows, before.followers);
            Audience { followers: before.followers - lost + gained, active: before.active }
        }
    }

    /// Step 5 at a review: true if the creator quits. One uniform per
    /// review, drawn whatever the chance, so review k always uses the k-th
    /// draw. `at_last_review` becomes `followers`.
    #[inline(always)]
    fn quits(&self, luck: &mut CareerLuck, at_last_review: &mut u64, followers: u64) -> bool {
        let ps = &self.spec.persistence;
        let stalled = (followers as f64) < *at_last_review as f64 * (1.0 + ps.aspiration);
        *at_last_review = followers;
        let quit = ps.quit_base + if stalled { ps.quit_stall } else { 0.0 };
        luck.quitting.random::<f64>() < quit
    }

    /// What one creator's career loop keeps fixed (see [`Pace`]).
    #[inline(always)]
    fn pace(&self, creator: Creator) -> Pace {
        let Creator { talent, effort, entry_day, niche } = creator;
        let pl = &self.spec.platform;
        // O(a0 + t) = o_inf + (1 - o_inf) exp(-a0 / tau_O) exp(-t / tau_O),
        // times each post's reach r(e) ([`Platform::post_reach`]; exactly 1 when off);
        // a0 moved by the offsets of openness and of the price (0 unless set).
        let post_reach = pl.post_reach(effort);
        let price_offset = self.spec.competition.map_or(0.0, |c| c.price_offset_days);
        Pace {
            price_day: entry_day + price_offset,
            post_reach,
            appeal: self.spec.competition.map_or(1.0, |c| c.appeal_of(talent)),
            mean_gap: 7.0 / effort,
            ln_plain: (-pl.viral_rate * talent).ln_1p(),
            follow_chance: pl.conversion * talent,
            niche,
            inv_niche: 1.0 / niche,
            soft_niche: pl.niche_saturation == NicheSaturation::Soft,
            floor: pl.openness_floor * post_reach,
            early_openness: (1.0 - pl.openness_floor)
                * (-(entry_day + pl.openness_offset_days) / pl.openness_decay_days).exp()
                * post_reach,
        }
    }

    /// Steps 2-3 for every post before `day_end`: each post's reach luck and
    /// viral boost, and the time of the next post. Returns the day's summed
    /// reach luck and summed reach luck times boost.
    #[inline(always)]
    fn posts_of_the_day(
        &self,
        luck: &mut CareerLuck,
        pace: &Pace,
        (next_post, plain_before_viral): (&mut f64, &mut u64),
        day_end: f64,
    ) -> DayReach {
        let mut day = DayReach { reach: 0.0, viral_reach: 0.0, posts: 0 };
        while *next_post < day_end {
            let z: f64 = luck.reach.sample(StandardNormal);
            let reach_luck = (self.reach_log_mean + self.spec.platform.reach_sigma * z).exp();
            let boost = if *plain_before_viral == 0 {
                let boost = self.viral.sample(&mut luck.viral);
                *plain_before_viral = plain_posts_before_viral(&mut luck.viral, pace.ln_plain);
                boost
            } else {
                *plain_before_viral -= 1;
                1.0
            };
            day.reach += reach_luck;
            day.viral_reach += reach_luck * boost;
            day.posts += 1;
            *next_post += luck.post_times.sample::<f64, _>(Exp1) * pace.mean_gap;
        }
        day
    }

    /// Step 4's impressions on `post_day`: `(openness O(a) r(e), the
    /// impressions of the day's posts on non-followers)`, the latter the
    /// discovery of the viral reach plus `sharing` followers' shares,
    /// through the platform's openness (or, competing for attention, at the
    /// field's price for a creator with `before` followers), at most the niche.
    #[inline(always)]
    fn impressions(
        &self,
        pace: &Pace,
        post_day: u32,
        day: DayReach,
        sharing: f64,
        before: u64,
    ) -> (f64, f64) {
        let pl = &self.spec.platform;
        // Past the table (a horizon longer than the observation's, asked
        // for through `simulate`), the same factor computed directly.
        let decay = self.decay.get(post_day as usize).copied();
        let decay = decay.unwrap_or_else(|| (-f64::from(post_day) / pl.openness_decay_days).exp());
        let openness = pace.floor + pace.early_openness * decay;
        // Competing for attention: p(a) w replaces d0 O(a) r(e) L V
        // ([`crate::model::platform`]); Career (and its openness field) reads d0.
        let discovery = match self.field.as_deref() {
            Some(field) if !field.is_openness() => {
                field.price_for(pace.price_day + f64::from(post_day), before as f64)
                    * pace.appeal
                    * pace.post_reach
                    / openness
            }
            _ => pl.discovery,
        };
        let impressions =
            (openness * (discovery * day.viral_reach + pl.share_rate * sharing * day.reach)).min(pace.niche);
        (openness, impressions)
    }

    /// Step 4's follows: the day's `impressions` times the niche's room
    /// left (with `before` followers) and the chance an impression follows.
    #[inline(always)]
    fn gained(&self, luck: &mut CareerLuck, pace: &Pace, impressions: f64, before: u64) -> u64 {
        let f = before as f64;
        let room =
            if pace.soft_niche { (-f * pace.inv_niche).exp() } else { (1.0 - f * pace.inv_niche).max(0.0) };
        poisson(&mut luck.follows, pace.follow_chance * impressions * room)
    }

    /// As [`CareerModel::advance`], telling `watch` every event
    /// ([`Watch::event`]) and every run of quiet days ([`Watch::quiet`]).
    /// Watching draws nothing: the career is the one
    /// [`CareerModel::advance`] gives.
    #[inline(always)]
    pub fn advance_watched<W: Watch>(&self, state: &mut CareerState, stop: Stop, watch: &mut W) -> Stopped {
        // Inactive followers (an option) get a loop of their own, so the
        // loop without them is the one it always was.
        if self.spec.platform.inactive_rate > 0.0 {
            self.advance_career::<W, true>(state, stop, watch)
        } else {
            self.advance_career::<W, false>(state, stop, watch)
        }
    }

    /// [`CareerModel::advance_watched`], with (`INACTIVE`) or without
    /// inactive followers.
    #[inline(always)]
    fn advance_career<W: Watch, const INACTIVE: bool>(
        &self,
        state: &mut CareerState,
        stop: Stop,
        watch: &mut W,
    ) -> Stopped {
        let (stop_day, level, at_stop_day) = match stop_plan(state, stop) {
            Ok(plan) => plan,
            Err(stopped) => return stopped,
        };
        let pace = self.pace(state.creator);
        let ps = &self.spec.persistence;
        let stop_time = f64::from(stop_day);

        // The loop works on locals, written back once at the end.
        let mut audience = Audience { followers: state.followers, active: state.active_followers };
        let mut day = state.day;
        let mut next_post = state.next_post;
        let mut plain_before_viral = state.plain_before_viral;
        let mut next_review = state.next_review;
        let mut at_last_review = state.followers_at_last_review;
        // Posts count towards engagement and income from this day on (never, both off).
        let window_start =
            self.earning.map_or(u32::MAX, |e| state.horizon_days.saturating_sub(e.window_days()));
        let CareerState { ref mut reached_day, ref mut luck, ref mut ledger, .. } = *state;
        // Levels are crossed lowest first, so those reached are the first
        // `next_level` of `ascending`.
        let mut next_level = reached_day.iter().filter(|r| r.is_some()).count();
        let threshold_of = |k: usize| self.ascending.get(k).map_or(u64::MAX, |&slot| self.thresholds[slot]);
        let mut next_threshold = threshold_of(next_level);

        let stopped = 'career: loop {
            let post_day = if next_post < stop_time { next_post as u32 } else { stop_day };
            // Reviews that fall on quiet days before the next post (or the stop).
            while next_review <= post_day {
                self.quiet_until::<W, INACTIVE>(luck, watch, day, &mut audience, next_review);
                day = next_review;
                watch.event(day, audience.followers);
                next_review = next_review.saturating_add(ps.review_days);
                if self.quits(luck, &mut at_last_review, audience.followers) {
                    break 'career Stopped::Quit;
                }
            }
            if post_day >= stop_day {
                self.quiet_until::<W, INACTIVE>(luck, watch, day, &mut audience, stop_day);
                if day < stop_day {
                    day = stop_day;
                    watch.event(day, audience.followers);
                }
                break at_stop_day;
            }
            self.quiet_until::<W, INACTIVE>(luck, watch, day, &mut audience, post_day);
            let before = audience;

            // Steps 2-3: every post in [post_day, post_day + 1); post_day <
            // stop_day, so the day ends by the stop.
            let reach = self.posts_of_the_day(
                luck,
                &pace,
                (&mut next_post, &mut plain_before_viral),
                f64::from(post_day + 1),
            );
            // Step 4. Those who share: every follower, or only the active ones.
            let sharing = if INACTIVE { before.active } else { before.followers };
            let (openness, impressions) =
                self.impressions(&pace, post_day, reach, sharing as f64, before.followers);
            if post_day >= window_start {
                self.earn(&mut luck.engagement, ledger, reach, sharing, (openness, impressions));
            }
            let gained = self.gained(luck, &pace, impressions, before.followers);
            audience = self.after_the_day::<INACTIVE>(luck, before, gained);
            let followers = audience.followers;
            day = post_day + 1;
            watch.event(day, followers);
            while followers >= next_threshold {
                reached_day[self.ascending[next_level]] = Some(day);
                next_level += 1;
                next_threshold = threshold_of(next_level);
            }
            if day == next_review {
                next_review = next_review.saturating_add(ps.review_days);
                if self.quits(luck, &mut at_last_review, followers) {
                    break Stopped::Quit;
                }
            }
            if followers >= level {
                break Stopped::Followers;
            }
        };
        state.active = stopped != Stopped::Quit;
        state.followers = audience.followers;
        state.day = day;
        state.next_post = next_post;
        state.plain_before_viral = plain_before_viral;
        state.next_review = next_review;
        state.followers_at_last_review = at_last_review;
        // Without inactive followers, every follower is active.
        state.active_followers = if INACTIVE { audience.active } else { audience.followers };
        stopped
    }
}

/// Where [`CareerModel::advance`] stops a career: `Ok((the stop day, the
/// follower level, what stopping on that day means))`, or `Err(why)` when
/// the career is there already (quit, at the day, or at the level).
#[inline(always)]
fn stop_plan(state: &CareerState, stop: Stop) -> Result<(u32, u64, Stopped), Stopped> {
    if !state.active {
        return Err(Stopped::Quit);
    }
    let horizon_days = state.horizon_days;
    let (stop_day, level) = match stop {
        Stop::Horizon => (horizon_days, u64::MAX),
        Stop::Day(day) => (day.min(horizon_days), u64::MAX),
        Stop::Followers(level) => (horizon_days, level),
    };
    let at_stop_day = if stop_day == horizon_days { Stopped::Horizon } else { Stopped::Day };
    if state.day >= stop_day {
        return Err(at_stop_day);
    }
    if state.followers >= level {
        return Err(Stopped::Followers);
    }
    Ok((stop_day, level, at_stop_day))
}

/// What stays fixed through one creator's career loop: their traits turned
/// into the factors of steps 2-4 (docs/MODEL.md).
#[derive(Debug, Clone, Copy)]
struct Pace {
    /// Days between posts, on average: `7 / effort`.
    mean_gap: f64,
    /// The platform day whose price of attention the creator meets on its
    /// first day (`a0 + competition.price_offset_days`), `r(e)` and the
    /// appeal `q^kappa` (1 unless creators compete).
    price_day: f64,
    post_reach: f64,
    appeal: f64,
    /// `ln(1 - viral_rate * talent)`: the log chance a post is plain.
    ln_plain: f64,
    /// The chance an impression follows: `conversion * talent`.
    follow_chance: f64,
    /// The niche `M`, and `1 / M`.
    niche: f64,
    inv_niche: f64,
    /// Saturation `exp(-F / M)` instead of the wall `max(0, 1 - F / M)`.
    soft_niche: bool,
    /// The openness floor and its early part, each times the post's reach `r(e)`.
    floor: f64,
    early_openness: f64,
}

/// Followers, and (with inactive followers) how many of them are active.
#[derive(Debug, Clone, Copy)]
struct Audience {
    followers: u64,
    active: u64,
}

/// One day's posts: summed reach luck, and summed reach luck times viral boost.
#[derive(Debug, Clone, Copy)]
struct DayReach {
    reach: f64,
    viral_reach: f64,
    /// Posts of the day.
    posts: u64,
}

/// A point in a career to start from (see [`CareerModel::start_state`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct StartPoint {
    /// Career days already done.
    pub career_day: u32,
    /// Followers now.
    pub followers: u64,
    /// Followers at the last review (0 if there has been none).
    pub followers_at_last_review: u64,
}

/// Followers left of `followers` after `days` dormant days, each follower
/// staying a day with probability `exp(ln_stay)`: `Binomial(followers,
/// exp(days ln_stay))`.
fn dormant_thinning<R: Rng + ?Sized>(rng: &mut R, followers: u64, days: u32, ln_stay: f64) -> u64 {
    if followers == 0 || days == 0 || ln_stay == 0.0 {
        return followers;
    }
    followers - binomial(rng, followers, -(f64::from(days) * ln_stay).exp_m1())
}

impl CareerModel {
    /// A posting day's engagement and income, with `[engagement]` or
    /// `[money]` on (else nothing): the day's posts seen by `sharing`
    /// followers ([`engage`]), with views `impressions + O(a) sum_j L_j A`
    /// (the impressions on non-followers plus the followers reached).
    #[inline(always)]
    fn earn(
        &self,
        rng: &mut StreamRng,
        ledger: &mut Ledger,
        reach: DayReach,
        sharing: u64,
        (openness, impressions): (f64, f64),
    ) {
        if let Some(earning) = &self.earning {
            let views = impressions + openness * reach.reach * sharing as f64;
            engage(earning, rng, ledger, reach.posts, sharing, views);
        }
    }
}

/// A posting day's engagement (the module docs of [`money`]): `posts`
/// posts seen by `audience` followers draw `Binomial(posts audience,
/// r_eff)` engagements and `Binomial(posts, sigma)` sponsored posts, each
/// paid `p_e audience r_eff`; the day's `views` join the ledger.
fn engage(
    earning: &Earning,
    rng: &mut StreamRng,
    ledger: &mut Ledger,
    posts: u64,
    audience: u64,
    views: f64,
) {
    let a = audience as f64;
    let rate = earning.effective_rate(a);
    let engagements = binomial(rng, posts.saturating_mul(audience), rate);
    let sponsored = binomial(rng, posts, earning.sponsored_share());
    ledger.posts += posts;
    ledger.engagements += engagements;
    ledger.seen += posts.saturating_mul(audience);
    ledger.sponsored += sponsored;
    if let Some(m) = &earning.money {
        ledger.brand += m.brand_pay(sponsored as f64, a, rate);
    }
    ledger.views += views;
}

/// Plain posts before the next viral one when each post goes viral with
/// probability `p = 1 - exp(ln_plain)`: `Geometric(p)` by inversion,
/// `floor(ln U / ln(1 - p))` with `U` uniform on `(0, 1]`, so that
/// `P(gap >= k) = (1 - p)^k` exactly. Inversion is monotone in `p`: the same
/// uniform gives a shorter gap to a more talented creator (common random
/// numbers across talent edits).
#[inline]
fn plain_posts_before_viral<R: Rng + ?Sized>(rng: &mut R, ln_plain: f64) -> u64 {
    let u = 1.0 - rng.random::<f64>();
    if ln_plain == 0.0 {
        return u64::MAX; // p = 0: never viral
    }
    if ln_plain == f64::NEG_INFINITY {
        return 0; // p = 1: every post
    }
    (u.ln() / ln_plain) as u64
}

impl Model for CareerModel {
    type Outcome = Career;
    type Summary = CareerSummary;
    type Report = CareerReport;

    fn sample_trial(&self, streams: &TrialStreams) -> Career {
        let creator = self.sample_creator(streams);
        self.simulate(streams, creator, self.horizon_days(creator.entry_day))
    }

    fn new_summary(&self) -> CareerSummary {
        self.summary_after(0)
    }

    fn report(&self, summary: &CareerSummary) -> CareerReport {
        summary.report(self.spec.money.as_ref())
    }

    fn simulated_time(&self, outcome: &Career) -> u64 {
        u64::from(outcome.career_days)
    }

    /// One row per creator ([`CareerModel::row_header`]).
    fn write_row(&self, trial: u64, outcome: &Career, out: &mut Vec<u8>) {
        self.write_career_row(trial, outcome, out);
    }
}

impl Distribution<Career> for CareerModel {
    /// One career on the streams of trial 0 of a run seeded by one draw of `rng`.
    fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> Career {
        self.sample_trial(&TrialStreams::new(rng.next_u64(), 0))
    }
}
