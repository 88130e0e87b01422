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
//! Which posts go viral is drawn as geometric gaps between viral posts.
//! Quitting is checked only at reviews, and a trial ends when the creator quits.

use crate::dist::{TraitDist, TraitSampler};
use crate::error::{FieldError, finite, positive, within};
use crate::model::Model;
use crate::report::career::CareerSummary;
use crate::sampling::{binomial, binomial_by_inversion, binomial_small_p, poisson};
use crate::tier::Tiers;
use rand::{Rng, RngExt};
use rand_distr::{Distribution, Exp1, Geometric, Pareto, StandardNormal};
use serde::{Deserialize, Serialize};

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
    #[serde(deserialize_with = "TraitDist::number_or_table")]
    pub talent: TraitDist,
    /// Effort `e`, posts a week, in `[0.1, 28]`. Default log-normal with median
    /// 3 and sigma 0.8, clamped.
    #[serde(deserialize_with = "TraitDist::number_or_table")]
    pub effort: TraitDist,
    /// Timing `a0`: platform age in days on the creator's first day, `>= 0`.
    /// Default `Uniform(0, 3650)`, entry spread over the platform's first ten years.
    #[serde(deserialize_with = "TraitDist::number_or_table")]
    pub entry_day: TraitDist,
    /// Niche size `M`: the audience that could ever follow, in `[1, 1e12]`.
    /// Default log-normal with median 1e6 and sigma 1.5.
    #[serde(deserialize_with = "TraitDist::number_or_table")]
    pub niche: TraitDist,
}

impl Default for Population {
    fn default() -> Self {
        Population {
            talent: TraitDist::Normal { mean: 0.5, sd: 0.15 },
            effort: TraitDist::LogNormal { median: 3.0, sigma: 0.8 },
            entry_day: TraitDist::Uniform { low: 0.0, high: 3650.0 },
            niche: TraitDist::LogNormal { median: 1e6, sigma: 1.5 },
        }
    }
}

/// How the platform turns posts into followers. Defaults are MODEL.md's
/// provisional values, to be calibrated against the sources in `docs/MODEL.md`.
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
    /// `s`: non-follower impressions per follower reached (shares), `>= 0`. Default 0.3.
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
}

impl Default for Platform {
    fn default() -> Self {
        Platform {
            openness_floor: 0.25,
            openness_decay_days: 730.0,
            discovery: 100.0,
            share_rate: 0.3,
            conversion: 0.02,
            unfollow_rate: 0.0005,
            reach_sigma: 1.0,
            viral_rate: 0.002,
            viral_scale: 10.0,
            viral_shape: 1.5,
        }
    }
}

impl Platform {
    /// Openness `O(a) = o_inf + (1 - o_inf) exp(-a / tau_O)` at platform age `a` days.
    pub fn openness(&self, age_days: f64) -> f64 {
        self.openness_floor + (1.0 - self.openness_floor) * (-age_days / self.openness_decay_days).exp()
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
}

impl Default for Persistence {
    fn default() -> Self {
        Persistence { review_days: 30, quit_base: 0.02, quit_stall: 0.04, aspiration: 0.10 }
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

/// The outcome of one career.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Career {
    /// Who the creator was.
    pub creator: Creator,
    /// Followers at the horizon (or when the creator quit; they stay).
    pub followers: u64,
    /// Career day (from 1) on which each tier, in the order of
    /// [`crate::tier::Tier::ALL`], was first reached; `None` if never.
    pub reached_day: [Option<u32>; 5],
    /// Still posting at the horizon.
    pub active: bool,
    /// Days of active career (the horizon, or the review day the creator quit).
    pub career_days: u32,
    /// Days observed (the horizon for this creator).
    pub horizon_days: u32,
}

/// The Career model, validated and ready to sample.
///
/// ```
/// use clout::model::career::{CareerModel, CareerSpec};
/// use clout::{Runner, Tier};
/// let model = CareerModel::new(CareerSpec::default()).unwrap();
/// let report = Runner::new(7).run(&model, 2_000).summary.report();
/// let macro_odds = report.odds(Tier::Macro);
/// assert!(macro_odds.wilson.lower <= macro_odds.estimate);
/// ```
#[derive(Debug, Clone)]
pub struct CareerModel {
    spec: CareerSpec,
    talent: TraitSampler,
    effort: TraitSampler,
    entry_day: TraitSampler,
    niche: TraitSampler,
    viral: Pareto<f64>,
    reach_log_mean: f64,
    ln_keep: f64,
    thresholds: [u64; 5],
    /// `exp(-t / tau_O)` for every career day `t < MAX_DAYS`.
    decay: Vec<f64>,
}

impl CareerModel {
    /// Validates `spec` and prepares the samplers. An error names the field
    /// by its path in a scenario file, e.g. `population.talent.sd = -1: must be > 0`.
    pub fn new(spec: CareerSpec) -> Result<Self, FieldError> {
        spec.observation.validate().map_err(|e| e.within("observation"))?;
        let p = &spec.population;
        let (e_lo, e_hi) = spec.observation.entry_day_range();
        p.talent.validate("population.talent", TALENT_RANGE.0, TALENT_RANGE.1)?;
        p.effort.validate("population.effort", EFFORT_RANGE.0, EFFORT_RANGE.1)?;
        p.entry_day.validate("population.entry_day", e_lo, e_hi)?;
        p.niche.validate("population.niche", NICHE_RANGE.0, NICHE_RANGE.1)?;
        spec.platform.validate().map_err(|e| e.within("platform"))?;
        spec.persistence.validate().map_err(|e| e.within("persistence"))?;
        spec.tiers.validate().map_err(|e| e.within("tiers"))?;
        let pl = &spec.platform;
        let viral = Pareto::new(pl.viral_scale, pl.viral_shape)
            .map_err(|_| FieldError::new("platform.viral_shape", pl.viral_shape, "must be > 0"))?;
        finite("platform.unfollow_rate", pl.unfollow_rate)?;
        Ok(CareerModel {
            talent: p.talent.sampler(TALENT_RANGE.0, TALENT_RANGE.1),
            effort: p.effort.sampler(EFFORT_RANGE.0, EFFORT_RANGE.1),
            entry_day: p.entry_day.sampler(e_lo, e_hi),
            niche: p.niche.sampler(NICHE_RANGE.0, NICHE_RANGE.1),
            viral,
            reach_log_mean: -0.5 * pl.reach_sigma * pl.reach_sigma,
            ln_keep: (-pl.unfollow_rate).ln_1p(),
            thresholds: spec.tiers.thresholds(),
            decay: (0..MAX_DAYS).map(|t| (-f64::from(t) / pl.openness_decay_days).exp()).collect(),
            spec,
        })
    }

    /// The validated specification.
    pub fn spec(&self) -> &CareerSpec {
        &self.spec
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

    /// Simulates one career of `creator` observed for `horizon_days` days
    /// (steps 1-5 of the module docs). Traits are clamped to their ranges and
    /// horizons beyond [`MAX_DAYS`] are cut to it.
    pub fn simulate<R: Rng + ?Sized>(&self, rng: &mut R, creator: Creator, horizon_days: u32) -> Career {
        self.simulate_observed(rng, creator, horizon_days, |_, _| {})
    }

    /// As [`CareerModel::simulate`], also returning the follower count after
    /// every day on which it can have changed, as `(career day, followers)`
    /// pairs: each posting day, each review, and the horizon. Between two
    /// listed days followers only fall (unfollows on quiet days).
    pub fn trajectory<R: Rng + ?Sized>(
        &self,
        rng: &mut R,
        creator: Creator,
        horizon_days: u32,
    ) -> (Career, Vec<(u32, u64)>) {
        let mut path = Vec::new();
        let career = self.simulate_observed(rng, creator, horizon_days, |day, f| path.push((day, f)));
        (career, path)
    }

    /// Draws a creator from the population.
    pub fn sample_creator<R: Rng + ?Sized>(&self, rng: &mut R) -> Creator {
        Creator {
            talent: self.talent.sample(rng),
            effort: self.effort.sample(rng),
            entry_day: self.entry_day.sample(rng),
            niche: self.niche.sample(rng),
        }
    }

    /// Days a creator who entered on platform day `entry_day` is observed.
    pub fn horizon_days(&self, entry_day: f64) -> u32 {
        match self.spec.observation {
            Observation::Cohort { horizon_days } => horizon_days,
            Observation::Snapshot { platform_day } => (f64::from(platform_day) - entry_day).max(0.0) as u32,
        }
    }

    #[inline(always)]
    fn simulate_observed<R: Rng + ?Sized>(
        &self,
        rng: &mut R,
        creator: Creator,
        horizon_days: u32,
        mut observe: impl FnMut(u32, u64),
    ) -> Career {
        // A creator built by hand is held to the traits' ranges (NaN becomes the low end).
        let clamp = |x: f64, (lo, hi): (f64, f64)| if x.is_nan() { lo } else { x.clamp(lo, hi) };
        let creator = Creator {
            talent: clamp(creator.talent, TALENT_RANGE),
            effort: clamp(creator.effort, EFFORT_RANGE),
            entry_day: clamp(creator.entry_day, (0.0, f64::from(MAX_DAYS))),
            niche: clamp(creator.niche, NICHE_RANGE),
        };
        let Creator { talent, effort, entry_day, niche } = creator;
        let horizon_days = horizon_days.min(MAX_DAYS);
        let pl = &self.spec.platform;
        let ps = &self.spec.persistence;
        let mean_gap = 7.0 / effort; // days between posts, on average
        let viral_chance = pl.viral_rate * talent;
        let follow_chance = pl.conversion * talent;
        let horizon = f64::from(horizon_days);
        let inv_niche = 1.0 / niche;
        // O(a0 + t) = o_inf + (1 - o_inf) exp(-a0 / tau_O) exp(-t / tau_O).
        let early_openness = (1.0 - pl.openness_floor) * (-entry_day / pl.openness_decay_days).exp();

        let mut career = Career {
            creator,
            followers: 0,
            reached_day: [None; 5],
            active: true,
            career_days: horizon_days,
            horizon_days,
        };
        let mut next_tier = 0usize;
        let mut next_threshold = self.thresholds[0];
        let mut days_done: u32 = 0; // days whose step 4 has been applied
        let mut next_review = ps.review_days; // review after this many days
        let mut at_last_review: u64 = 0;
        let mut next_post: f64 = rng.sample::<f64, _>(Exp1) * mean_gap;
        // Step 3's viral coin, flipped for every post, is sampled as the number of
        // plain posts before the next viral one: Geometric(v q), exactly the same
        // sequence of coins, at one draw per viral post instead of one per post.
        let gap_to_viral = Geometric::new(viral_chance).expect("v q lies in [0, 1]");
        let mut plain_before_viral = gap_to_viral.sample(rng);

        // Step 5 at a review; true if the creator quits.
        let mut quits = |rng: &mut R, followers: u64| -> bool {
            let stalled = (followers as f64) < at_last_review as f64 * (1.0 + ps.aspiration);
            at_last_review = followers;
            let quit = ps.quit_base + if stalled { ps.quit_stall } else { 0.0 };
            quit > 0.0 && rng.random::<f64>() < quit
        };

        loop {
            let post_day = if next_post < horizon { next_post as u32 } else { horizon_days };
            // Reviews that fall on quiet days before the next post (or the horizon).
            while next_review <= post_day {
                career.followers = self.after_quiet_days(rng, career.followers, next_review - days_done);
                days_done = next_review;
                observe(days_done, career.followers);
                next_review = next_review.saturating_add(ps.review_days);
                if quits(rng, career.followers) {
                    career.active = false;
                    career.career_days = days_done;
                    return career;
                }
            }
            if post_day >= horizon_days {
                career.followers = self.after_quiet_days(rng, career.followers, horizon_days - days_done);
                if days_done < horizon_days {
                    observe(horizon_days, career.followers);
                }
                return career;
            }
            let followers = self.after_quiet_days(rng, career.followers, post_day - days_done);

            // Steps 2-3: every post that falls on this day.
            let (mut reach, mut viral_reach) = (0.0, 0.0);
            // Posts in [post_day, post_day + 1); post_day < horizon, so the day ends by the horizon.
            let day_end = f64::from(post_day + 1);
            while next_post < day_end {
                let z: f64 = rng.sample(StandardNormal);
                let luck = (self.reach_log_mean + pl.reach_sigma * z).exp();
                let boost = if plain_before_viral == 0 {
                    plain_before_viral = gap_to_viral.sample(rng);
                    self.viral.sample(rng)
                } else {
                    plain_before_viral -= 1;
                    1.0
                };
                reach += luck;
                viral_reach += luck * boost;
                next_post += rng.sample::<f64, _>(Exp1) * mean_gap;
            }

            // Step 4.
            let f = followers as f64;
            let openness = pl.openness_floor + early_openness * self.decay[post_day as usize];
            let impressions =
                (openness * (pl.discovery * viral_reach + pl.share_rate * f * reach)).min(niche);
            let gained = poisson(rng, follow_chance * impressions * (1.0 - f * inv_niche).max(0.0));
            let lost = if pl.unfollow_rate <= 0.5 {
                binomial_small_p(rng, followers, pl.unfollow_rate, self.ln_keep)
            } else {
                binomial(rng, followers, pl.unfollow_rate)
            };
            career.followers = followers - lost + gained;
            days_done = post_day + 1;
            observe(days_done, career.followers);
            while career.followers >= next_threshold {
                career.reached_day[next_tier] = Some(days_done);
                next_tier += 1;
                next_threshold = self.thresholds.get(next_tier).copied().unwrap_or(u64::MAX);
            }
            if days_done == next_review {
                next_review = next_review.saturating_add(ps.review_days);
                if quits(rng, career.followers) {
                    career.active = false;
                    career.career_days = days_done;
                    return career;
                }
            }
        }
    }
}

impl Model for CareerModel {
    type Outcome = Career;
    type Summary = CareerSummary;

    fn sample_trial<R: Rng + ?Sized>(&self, rng: &mut R) -> Career {
        let creator = self.sample_creator(rng);
        self.simulate(rng, creator, self.horizon_days(creator.entry_day))
    }

    fn new_summary(&self) -> CareerSummary {
        CareerSummary::new(self.spec.tiers)
    }

    fn work(&self, outcome: &Career) -> u64 {
        u64::from(outcome.career_days)
    }
}

impl Distribution<Career> for CareerModel {
    fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> Career {
        self.sample_trial(rng)
    }
}
