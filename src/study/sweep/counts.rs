//! What a sweep keeps of each point: a fixed number of integers whatever
//! the trials, so that a sweep's memory and record grow with its points
//! alone (docs/PERFORMANCE.md, "Memory").
//!
//! A Career run's full summary
//! ([`CareerSummary`](crate::model::career::CareerSummary)) grows with the
//! values it has seen: its histograms of days and followers and its talent
//! x followers rank table reach about 1.2 MB of JSON a point at 100,000
//! trials, so a sweep of a few hundred such points wrote a record clout
//! could not read back. A sweep compares odds; it keeps, per point, what
//! its table, CSV and picture show (every tier's odds by and at the
//! horizon) and the exact means, each counted exactly as the full summary
//! counts it: a point's numbers here are its scenario's run alone, field for
//! field ([`CareerOdds::from`] a [`CareerReport`]). The distributions
//! (quantiles, the followers' tail, talent's ranks) are that run's.

use crate::model::Summary;
use crate::model::career::conditional::{LikeYouOutcome, LikeYouReport};
use crate::model::career::{Career, CareerReport};
use crate::stats::Proportion;
use crate::tier::{TIER_COUNT, Tier, Tiers};
use serde::{Deserialize, Serialize};

/// Mergeable counts of the careers of one point: per tier, those that
/// reached it by the horizon (first passage) and those at or above it at the
/// horizon; those still active; the exact sums of final followers and of
/// career days.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CareerCounts {
    tiers: Tiers,
    trials: u64,
    reached: [u64; TIER_COUNT],
    at_horizon: [u64; TIER_COUNT],
    active: u64,
    followers: u128,
    career_days: u128,
}

impl CareerCounts {
    /// No career yet, for these tiers.
    pub fn new(tiers: Tiers) -> Self {
        CareerCounts {
            tiers,
            trials: 0,
            reached: [0; TIER_COUNT],
            at_horizon: [0; TIER_COUNT],
            active: 0,
            followers: 0,
            career_days: 0,
        }
    }

    /// Whether `other` counts the same tiers, so the two merge (a check of
    /// what a file held).
    pub fn same_shape(&self, other: &CareerCounts) -> bool {
        self.tiers == other.tiers
    }

    /// The odds and means, at 95% confidence.
    pub fn report(&self) -> CareerOdds {
        let n = self.trials;
        let mean = |sum: u128| (n > 0).then(|| sum as f64 / n as f64);
        CareerOdds {
            trials: n,
            goal: self.tiers.goal_name(),
            tiers: Tier::ALL
                .iter()
                .map(|&tier| TierOdds {
                    tier,
                    threshold: self.tiers.threshold(tier),
                    reached: Proportion::new(self.reached[tier.index()], n),
                    at_horizon: Proportion::new(self.at_horizon[tier.index()], n),
                })
                .collect(),
            active_at_horizon: Proportion::new(self.active, n),
            mean_followers: mean(self.followers),
            mean_career_days: mean(self.career_days),
            creator_days: u64::try_from(self.career_days).unwrap_or(u64::MAX),
        }
    }
}

impl Summary<Career> for CareerCounts {
    fn record(&mut self, c: &Career) {
        self.trials += 1;
        for (count, day) in self.reached.iter_mut().zip(&c.reached_day) {
            *count += u64::from(day.is_some());
        }
        for (count, &t) in self.at_horizon.iter_mut().zip(&self.tiers.thresholds()) {
            *count += u64::from(c.followers >= t);
        }
        self.active += u64::from(c.active);
        self.followers += u128::from(c.followers);
        self.career_days += u128::from(c.career_days);
    }

    fn merge(&mut self, other: &Self) {
        assert_eq!(self.tiers, other.tiers, "counts of different tier schemes");
        self.trials += other.trials;
        for i in 0..TIER_COUNT {
            self.reached[i] += other.reached[i];
            self.at_horizon[i] += other.at_horizon[i];
        }
        self.active += other.active;
        self.followers += other.followers;
        self.career_days += other.career_days;
    }

    fn trials(&self) -> u64 {
        self.trials
    }

    fn same_shape(&self, other: &Self) -> bool {
        CareerCounts::same_shape(self, other)
    }

    /// A higher tier is reached only by careers that reached the lower
    /// ones, and held at the horizon only by careers that reached it and
    /// hold the lower ones; active careers are careers; career days are at
    /// most `u32::MAX` a career; the followers add up to at least each
    /// tier's threshold for every career held at it.
    fn check(&self) -> Result<(), String> {
        use crate::model::within_count;
        let n = self.trials;
        within_count("active creators", self.active, "careers", n)?;
        let (mut reached_below, mut held_below) = (n, n);
        for (k, tier) in Tier::ALL.iter().enumerate() {
            let (reached, held) = (self.reached[k], self.at_horizon[k]);
            let name = tier.name();
            within_count(
                &format!("careers reaching {name}"),
                reached,
                "that reached the tier below (or careers)",
                reached_below,
            )?;
            within_count(&format!("careers at {name} at the horizon"), held, "that reached it", reached)?;
            within_count(
                &format!("careers at {name} at the horizon"),
                held,
                "at the tier below at the horizon (or careers)",
                held_below,
            )?;
            (reached_below, held_below) = (reached, held);
        }
        if self.career_days > u128::from(n) * u128::from(u32::MAX) {
            return Err(format!(
                "its career days add up to {}, more than {n} careers can last",
                self.career_days
            ));
        }
        let thresholds = self.tiers.thresholds();
        let least: u128 = (0..TIER_COUNT)
            .map(|k| {
                let in_band = self.at_horizon[k] - self.at_horizon.get(k + 1).copied().unwrap_or(0);
                u128::from(in_band) * u128::from(thresholds[k])
            })
            .sum();
        if self.followers < least {
            return Err(format!(
                "its final followers add up to {}, fewer than the {least} its careers at each tier hold",
                self.followers
            ));
        }
        Ok(())
    }
}

/// Mergeable counts of one "creators like you" point: the creators
/// followed, and the counts of the careers of those who matched.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LikeYouCounts {
    trials: u64,
    careers: CareerCounts,
}

impl LikeYouCounts {
    /// No creator yet, for these tiers.
    pub fn new(tiers: Tiers) -> Self {
        LikeYouCounts { trials: 0, careers: CareerCounts::new(tiers) }
    }

    /// Whether `other` counts the same tiers, so the two merge.
    pub fn same_shape(&self, other: &LikeYouCounts) -> bool {
        self.careers.same_shape(&other.careers)
    }

    /// The share of creators who matched and the odds among them, at 95%
    /// confidence (`odds` is `None` when nobody matched).
    pub fn report(&self) -> LikeYouOdds {
        let matched = self.careers.trials;
        LikeYouOdds {
            population: self.trials,
            matched,
            selection: Proportion::new(matched, self.trials),
            odds: (matched > 0).then(|| self.careers.report()),
        }
    }
}

impl Summary<LikeYouOutcome> for LikeYouCounts {
    fn record(&mut self, outcome: &LikeYouOutcome) {
        self.trials += 1;
        if let Some((_, career)) = &outcome.matched {
            self.careers.record(career);
        }
    }

    fn merge(&mut self, other: &Self) {
        self.trials += other.trials;
        self.careers.merge(&other.careers);
    }

    fn trials(&self) -> u64 {
        self.trials
    }

    fn same_shape(&self, other: &Self) -> bool {
        LikeYouCounts::same_shape(self, other)
    }

    /// The careers matched are among the creators followed, and hold the
    /// invariants of [`CareerCounts`].
    fn check(&self) -> Result<(), String> {
        crate::model::within_count("creators matched", self.careers.trials, "followed", self.trials)?;
        self.careers.check()
    }
}

/// One tier's odds at a point of a sweep.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct TierOdds {
    /// The tier.
    pub tier: Tier,
    /// Its follower threshold.
    pub threshold: u64,
    /// Probability of reaching it by the horizon (first passage), with intervals.
    pub reached: Proportion,
    /// Probability of being at or above the threshold at the horizon.
    pub at_horizon: Proportion,
}

/// What a sweep reports of a Career point: the fields of the point's
/// scenario's own [`CareerReport`] that a sweep keeps, equal to them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CareerOdds {
    /// Careers simulated.
    pub trials: u64,
    /// The level the scenario asks about (a tier's name, or a count's:
    /// a sweep compares the five tiers).
    pub goal: String,
    /// One entry per tier, smallest first.
    pub tiers: Vec<TierOdds>,
    /// Share of creators still posting at the horizon.
    pub active_at_horizon: Proportion,
    /// Mean final followers (exact).
    pub mean_followers: Option<f64>,
    /// Mean days of active career (exact).
    pub mean_career_days: Option<f64>,
    /// Total days of active careers simulated.
    pub creator_days: u64,
}

impl CareerOdds {
    /// The probability of reaching `tier` by the horizon, with its intervals.
    pub fn proportion(&self, tier: Tier) -> Proportion {
        self.tiers[tier.index()].reached
    }
}

/// The fields a sweep keeps of a full report.
impl From<&CareerReport> for CareerOdds {
    fn from(r: &CareerReport) -> Self {
        CareerOdds {
            trials: r.trials,
            goal: r.goal.clone(),
            tiers: r
                .levels
                .iter()
                .filter_map(|l| {
                    Some(TierOdds {
                        tier: l.tier?,
                        threshold: l.chance.threshold as u64,
                        reached: l.reached(),
                        at_horizon: l.at_horizon,
                    })
                })
                .collect(),
            active_at_horizon: r.careers.active_at_horizon,
            mean_followers: r.followers.mean,
            mean_career_days: r.careers.mean_career_days,
            creator_days: r.creator_days,
        }
    }
}

/// What a sweep reports of a "creators like you" point: the fields of the
/// point's own [`LikeYouReport`] that a sweep keeps, equal to them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LikeYouOdds {
    /// Creators simulated from their first day.
    pub population: u64,
    /// Creators who matched.
    pub matched: u64,
    /// The share of creators who match, with intervals.
    pub selection: Proportion,
    /// The odds among the matched careers; `None` when nobody matched.
    pub odds: Option<CareerOdds>,
}

impl LikeYouOdds {
    /// The odds of `tier` among the matched creators, if any matched.
    pub fn odds_of(&self, tier: Tier) -> Option<Proportion> {
        self.odds.as_ref().map(|r| r.proportion(tier))
    }
}

/// The fields a sweep keeps of a full report.
impl From<&LikeYouReport> for LikeYouOdds {
    fn from(r: &LikeYouReport) -> Self {
        LikeYouOdds {
            population: r.population,
            matched: r.matched,
            selection: r.selection,
            odds: r.odds.as_ref().map(CareerOdds::from),
        }
    }
}
