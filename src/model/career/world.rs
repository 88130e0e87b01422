//! One creator's day inside a world ([`crate::model::world`]): Career's
//! steps split at the price of attention, so that a world can sum the day's
//! post weights of all its creators before any of them is paid.
//!
//! A posting day `k` (0-based career day, platform day `a0 + k`) of a
//! creator in a world runs in two halves:
//!
//! 1. [`CareerModel::world_posts`]: the quiet days and reviews before day `k`
//!    (drawn as Career draws them), then steps 2-3 for every post of the
//!    day. Its weight is `w = r(e) q^kappa (1 + F / F0)^gamma sum_j L_j V_j`
//!    with `F` the followers before the day.
//! 2. [`CareerModel::world_follows`]: given the day's price `p` of the
//!    world, step 4 with `I = min(M, p w + O(a) r(e) s F sum_j L_j)`, the
//!    levels crossed, and a review that falls at the day's end (step 5).
//!
//! Days without a post are not visited: their unfollows and reviews are
//! drawn when the next posting day comes (or at the world's end,
//! [`CareerModel::advance`] to the horizon), exactly as Career draws them.
//! Without competition for attention this is Career's career in
//! distribution (the quiet runs are split at posting days, so the draws of
//! unfollows differ from [`CareerModel::advance`]'s in one go).

use super::{CareerModel, CareerState, DayReach, Pace};
use crate::random::{Source, TrialStreams};

/// The first half of a creator's posting day in a world: the day's posts.
#[derive(Debug, Clone, Copy)]
pub struct WorldPosts {
    reach: DayReach,
    /// `r(e) q^kappa (1 + F / F0)^gamma sum_j L_j V_j`.
    weight: f64,
    /// Followers before the day.
    before: u64,
    /// The day's 0-based career day.
    career_day: u32,
}

impl WorldPosts {
    /// The day's post weight `w` (module docs).
    pub fn weight(&self) -> f64 {
        self.weight
    }
}

/// What stays fixed through a creator's life in a world.
#[derive(Debug, Clone, Copy)]
pub struct WorldPace(Pace);

impl CareerModel {
    /// The pace of `state`'s creator (kept by a world beside the state).
    pub fn world_pace(&self, state: &CareerState) -> WorldPace {
        WorldPace(self.pace(state.creator))
    }

    /// The 0-based career day of the creator's next post, or `None` when it
    /// falls at or past the horizon (or the creator has quit).
    #[inline]
    pub fn next_post_day(&self, state: &CareerState) -> Option<u32> {
        (state.active && state.next_post < f64::from(state.horizon_days)).then_some(state.next_post as u32)
    }

    /// The first half of posting day `career_day` (module docs): `None` when
    /// the creator quits at a review before it. Call only on the day
    /// [`CareerModel::next_post_day`] names. The quiet days and reviews
    /// before it are Career's (`advance_career`'s, without a watch).
    pub fn world_posts(
        &self,
        state: &mut CareerState,
        pace: &WorldPace,
        career_day: u32,
    ) -> Option<WorldPosts> {
        let review_days = self.spec.persistence.review_days;
        let CareerState { ref mut luck, ref mut next_post, ref mut plain_before_viral, .. } = *state;
        while state.next_review <= career_day {
            let quiet = state.next_review - state.day;
            state.followers = self.after_quiet_days(&mut luck.unfollows, state.followers, quiet);
            state.day = state.next_review;
            state.next_review = state.next_review.saturating_add(review_days);
            if self.quits(luck, &mut state.followers_at_last_review, state.followers) {
                state.active = false;
                state.active_followers = state.followers;
                return None;
            }
        }
        state.followers = self.after_quiet_days(&mut luck.unfollows, state.followers, career_day - state.day);
        state.day = career_day;
        let before = state.followers;
        let reach =
            self.posts_of_the_day(luck, &pace.0, (next_post, plain_before_viral), f64::from(career_day + 1));
        let popularity = self.spec.competition.map_or(1.0, |c| c.popularity(before as f64));
        let weight = pace.0.post_reach * pace.0.appeal * popularity * reach.viral_reach;
        Some(WorldPosts { reach, weight, before, career_day })
    }

    /// The second half of a posting day at the world's `price` (module
    /// docs): follows, unfollows, levels, and a review at the day's end.
    pub fn world_follows(&self, state: &mut CareerState, pace: &WorldPace, posts: WorldPosts, price: f64) {
        let pace = &pace.0;
        let pl = &self.spec.platform;
        let day = posts.career_day;
        let decay = self.decay.get(day as usize).copied();
        let decay = decay.unwrap_or_else(|| (-f64::from(day) / pl.openness_decay_days).exp());
        let openness = pace.floor + pace.early_openness * decay;
        let before = posts.before;
        let impressions = (price * posts.weight
            + openness * pl.share_rate * before as f64 * posts.reach.reach)
            .min(pace.niche);
        let gained = self.gained(&mut state.luck, pace, impressions, before);
        let audience = super::Audience { followers: before, active: before };
        let after = self.after_the_day::<false>(&mut state.luck, audience, gained);
        let followers = after.followers;
        state.followers = followers;
        state.active_followers = followers;
        state.day = day + 1;
        for (slot, &threshold) in self.thresholds.iter().enumerate() {
            if followers >= threshold && state.reached_day[slot].is_none() {
                state.reached_day[slot] = Some(day + 1);
            }
        }
        if state.day == state.next_review {
            state.next_review = state.next_review.saturating_add(self.spec.persistence.review_days);
            if self.quits(&mut state.luck, &mut state.followers_at_last_review, followers) {
                state.active = false;
            }
        }
    }

    /// The followers at the world's end of `state`, advanced to its horizon:
    /// those it has or, after a quit with dormant decay on
    /// (`persistence.dormant_unfollow_rate = u_d`), those left of them,
    /// `Binomial(F_q, (1 - u_d)^t)` for the `t` days from the quit to the
    /// horizon, from the creator's own [`Source::Dormant`] stream of `luck`
    /// (a lone career draws the same thinning, split at its trajectory
    /// days). A quitter posts no more, so its decay changes no price.
    pub fn world_end_followers(&self, state: &CareerState, luck: &TrialStreams) -> u64 {
        let u_dormant = self.spec.persistence.dormant_unfollow_rate;
        if state.active || u_dormant <= 0.0 {
            return state.followers;
        }
        let days = state.horizon_days.saturating_sub(state.day);
        super::dormant_thinning(&mut luck.rng(Source::Dormant), state.followers, days, (-u_dormant).ln_1p())
    }

    /// The levels `state`'s career has reached so far, in the slot order of
    /// [`crate::tier::Tiers::levels`], as a bit set.
    pub fn reached_levels(&self, state: &CareerState) -> u8 {
        state
            .reached_day
            .iter()
            .enumerate()
            .filter(|(_, r)| r.is_some())
            .fold(0, |bits, (k, _)| bits | 1 << k)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::career::{CareerSpec, Creator, Stop};

    /// A world member's end after a quit is its followers at the quit
    /// thinned binomially over the days to the horizon: summed over
    /// careers, `sum F_end` against `sum F_q (1 - u_d)^t`, within 4
    /// standard errors `sqrt(sum F_q p (1 - p))`; and with the option off
    /// the end is the followers at the quit, exactly.
    #[test]
    fn a_quitters_followers_at_the_worlds_end_are_thinned_binomially() {
        let u = 2e-3;
        let mut spec = CareerSpec::default();
        spec.persistence.quit_base = 0.3;
        spec.persistence.dormant_unfollow_rate = u;
        let model = CareerModel::new(spec).unwrap();
        let off = CareerModel::new(CareerSpec {
            persistence: crate::model::career::Persistence { dormant_unfollow_rate: 0.0, ..spec.persistence },
            ..spec
        })
        .unwrap();
        let creator = Creator { talent: 0.8, effort: 7.0, entry_day: 0.0, niche: 1e6 };
        let (mut got, mut expected, mut var, mut quits) = (0.0, 0.0, 0.0, 0);
        for trial in 0..4000 {
            let luck = TrialStreams::new(5, trial);
            let mut state = model.entry_state(&luck, creator, 1000);
            model.advance(&mut state, Stop::Horizon);
            let end = model.world_end_followers(&state, &luck);
            assert_eq!(off.world_end_followers(&state, &luck), state.followers);
            if state.active {
                assert_eq!(end, state.followers);
                continue;
            }
            quits += 1;
            let p = (f64::from(state.horizon_days - state.day) * (-u).ln_1p()).exp();
            let f = state.followers as f64;
            got += end as f64;
            expected += f * p;
            var += f * p * (1.0 - p);
        }
        assert!(quits > 1000 && var > 1e4, "quits {quits}, variance {var}");
        let z = (got - expected) / var.sqrt();
        assert!(z.abs() < 4.0, "followers left {got} against {expected}: z = {z:.2}");
    }
}
