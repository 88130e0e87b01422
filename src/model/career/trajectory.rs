//! Followers at chosen career days: the `[trajectory]` section, and how a
//! career's followers on a day between two events are drawn exactly.
//!
//! A career is simulated from event to event (posting days, reviews, the
//! horizon); the unfollows of a run of quiet days between two events are one
//! binomial draw, applied at the run's end. So the followers on a quiet day
//! `d` inside such a run, between the last event `(t0, F0)` and the run's end
//! `(t1, F1)`, are never computed by the simulation. They are drawn here by a
//! *binomial bridge*: each follower stays a day with probability `s = 1 - u`,
//! so of the `F0 - F1` who left during the run, each left after day `d`
//! (and so is still counted on day `d`) independently with probability
//!
//! ```text
//! P(left after d | left by t1) = (s^(d-t0) - s^(t1-t0)) / (1 - s^(t1-t0)),
//! F(d) = F1 + Binomial(F0 - F1, that probability).
//! ```
//!
//! This is the exact conditional law of `F(d)` given the whole simulated
//! path, so `F(d)` has its exact law jointly with the path (and with the
//! followers on every other day): the same as stopping the career on day
//! `d` would give ([`crate::model::career::Stop::Day`]). The bridge draws
//! from a stream of its own ([`Source::Trajectory`]), touched only when
//! someone left during the run; every other stream's draws are those of a
//! run without trajectories. A creator who quit keeps their followers on
//! every later day up to their horizon; days past a creator's horizon are
//! not observed (a snapshot's late entrants are observed for fewer days).

use crate::error::FieldError;
use crate::model::career::{MAX_DAYS, Observation};
use crate::random::{Source, StreamRng, TrialStreams};
use crate::sampling::binomial;
use serde::{Deserialize, Serialize};

/// The most trajectory days a scenario may ask for.
pub const MAX_TRAJECTORY_DAYS: usize = 16;

/// The career days summarised when a scenario names none: one month, three
/// and six months, then one to five years (those within the observation's
/// longest career: [`TrajectorySpec::default_for`]).
pub const DEFAULT_TRAJECTORY_DAYS: [u32; 8] = [30, 90, 180, 365, 730, 1095, 1460, 1825];

/// Up to [`MAX_TRAJECTORY_DAYS`] career days, written in a scenario as a
/// list (`days = [30, 365]`). Held in place, so a [`crate::CareerSpec`]
/// stays a plain value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DayList {
    len: u8,
    days: [u32; MAX_TRAJECTORY_DAYS],
}

impl DayList {
    /// The days, in the order given.
    pub fn as_slice(&self) -> &[u32] {
        &self.days[..usize::from(self.len)]
    }

    /// A list of `days`; an error when there are more than [`MAX_TRAJECTORY_DAYS`].
    pub fn new(days: &[u32]) -> Result<DayList, String> {
        if days.len() > MAX_TRAJECTORY_DAYS {
            return Err(format!("has {} days, at most {MAX_TRAJECTORY_DAYS} are allowed", days.len()));
        }
        let mut list = DayList { len: days.len() as u8, days: [0; MAX_TRAJECTORY_DAYS] };
        list.days[..days.len()].copy_from_slice(days);
        Ok(list)
    }
}

impl TryFrom<Vec<u32>> for DayList {
    type Error = String;
    fn try_from(days: Vec<u32>) -> Result<DayList, String> {
        DayList::new(&days)
    }
}

impl From<DayList> for Vec<u32> {
    fn from(list: DayList) -> Vec<u32> {
        list.as_slice().to_vec()
    }
}

impl Serialize for DayList {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.as_slice().serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for DayList {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<DayList, D::Error> {
        let days = Vec::<u32>::deserialize(deserializer)?;
        DayList::new(&days).map_err(serde::de::Error::custom)
    }
}

/// The `[trajectory]` section: the career days on which every creator's
/// followers are summarised (quantiles with intervals at each day).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TrajectorySpec {
    /// Career days, increasing, each in `[1, 36500]`; at most 16; an empty
    /// list summarises none. Default: 30, 90, 180, 365, 730, 1095, 1460 and
    /// 1825, those within the observation's longest career. A day past a
    /// creator's horizon does not count that creator.
    pub days: DayList,
}

impl Default for TrajectorySpec {
    /// [`DEFAULT_TRAJECTORY_DAYS`], all of them.
    fn default() -> Self {
        TrajectorySpec { days: DayList::new(&DEFAULT_TRAJECTORY_DAYS).expect("eight days fit") }
    }
}

impl TrajectorySpec {
    /// The default days within `observation`'s longest career (the
    /// horizon, or the snapshot's platform day); the longest career itself
    /// when it is shorter than the first default day.
    pub fn default_for(observation: &Observation) -> TrajectorySpec {
        let longest = observation.longest_career();
        let mut days: Vec<u32> = DEFAULT_TRAJECTORY_DAYS.iter().copied().filter(|&d| d <= longest).collect();
        if days.is_empty() {
            days.push(longest);
        }
        TrajectorySpec { days: DayList::new(&days).expect("at most eight days") }
    }

    /// Each day in `[1, MAX_DAYS]`, each after the one before.
    pub(crate) fn validate(&self) -> Result<(), FieldError> {
        let days = self.days.as_slice();
        let written = || format!("{days:?}");
        if let Some(&day) = days.iter().find(|&&d| !(1..=MAX_DAYS).contains(&d)) {
            return Err(FieldError::new(
                "days",
                written(),
                format!("day {day} is out of range: each day must lie in [1, {MAX_DAYS}]"),
            ));
        }
        if let Some(pair) = days.windows(2).find(|w| w[1] <= w[0]) {
            return Err(FieldError::new(
                "days",
                written(),
                format!("must increase: {} comes after {}", pair[1], pair[0]),
            ));
        }
        Ok(())
    }
}

/// One career's followers on the trajectory days it was observed (a prefix
/// of the model's days: those up to its horizon).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DayFollowers {
    len: u8,
    followers: [u64; MAX_TRAJECTORY_DAYS],
}

impl Default for DayFollowers {
    fn default() -> Self {
        DayFollowers { len: 0, followers: [0; MAX_TRAJECTORY_DAYS] }
    }
}

impl DayFollowers {
    /// Followers on each trajectory day observed, in the order of the days.
    pub fn as_slice(&self) -> &[u64] {
        &self.followers[..usize::from(self.len)]
    }

    fn push(&mut self, followers: u64) {
        self.followers[usize::from(self.len)] = followers;
        self.len += 1;
    }
}

/// What a career tells an observer as it advances
/// ([`crate::model::career::CareerModel::advance_watched`]).
pub trait Watch {
    /// Followers after career day `day`, on each day they can have changed:
    /// each posting day, each review, and the day the advance stops.
    fn event(&mut self, day: u32, followers: u64);
    /// A run of quiet days (no post): from `(day, followers)` after one day
    /// to `(day, followers)` after a later one (or the same, when the run
    /// is empty), followers were only thinned by unfollows. Every day of a
    /// career lies in such a run or is a posting day, which follows a run
    /// ending the day before. Default: ignored.
    #[inline(always)]
    fn quiet(&mut self, from: (u32, u64), to: (u32, u64)) {
        let _ = (from, to);
    }
}

/// A closure told every event ([`Watch::event`]), as
/// [`crate::model::career::CareerModel::advance_observed`] takes one.
pub(crate) struct Events<F>(pub F);

impl<F: FnMut(u32, u64)> Watch for Events<F> {
    #[inline(always)]
    fn event(&mut self, day: u32, followers: u64) {
        (self.0)(day, followers)
    }
}

impl<A: Watch, B: Watch> Watch for (A, B) {
    #[inline(always)]
    fn event(&mut self, day: u32, followers: u64) {
        self.0.event(day, followers);
        self.1.event(day, followers);
    }
    #[inline(always)]
    fn quiet(&mut self, from: (u32, u64), to: (u32, u64)) {
        self.0.quiet(from, to);
        self.1.quiet(from, to);
    }
}

/// Records a career's followers on the trajectory days as it advances: one
/// comparison per call, and a bridge draw only on a trajectory day that
/// falls inside a run of quiet days during which someone left.
pub(crate) struct DayWatch<'a> {
    days: &'a [u32],
    next_day: u32,
    ln_keep: f64,
    streams: &'a TrialStreams,
    rng: Option<StreamRng>,
    out: DayFollowers,
}

impl<'a> DayWatch<'a> {
    /// A watch of `days` (increasing) for a career now on career day
    /// `day`, whose followers each stay a day with probability
    /// `exp(ln_keep)`, drawing bridges from `streams`' trajectory stream.
    pub(crate) fn new(days: &'a [u32], day: u32, ln_keep: f64, streams: &'a TrialStreams) -> Self {
        let days = &days[days.iter().take_while(|&&d| d <= day).count()..];
        let next_day = days.first().copied().unwrap_or(u32::MAX);
        DayWatch { days, next_day, ln_keep, streams, rng: None, out: DayFollowers::default() }
    }

    /// The trajectory days up to `to`'s, inside the quiet run `from` to
    /// `to` or on its last day (`from` is `None` for a posting day, whose
    /// run ended the day before).
    #[cold]
    #[inline(never)]
    fn fill(&mut self, from: Option<(u32, u64)>, to: (u32, u64)) {
        while let Some(&d) = self.days.get(usize::from(self.out.len))
            && d <= to.0
        {
            let value = match from {
                Some(from) if d < to.0 => self.bridge(from, d, to),
                _ => to.1,
            };
            self.out.push(value);
        }
        self.next_day = self.days.get(usize::from(self.out.len)).copied().unwrap_or(u32::MAX);
    }

    /// Followers on day `d`, inside the quiet run from `(t0, f0)` to
    /// `(t1, f1)` (module docs).
    fn bridge(&mut self, (t0, f0): (u32, u64), d: u32, (t1, f1): (u32, u64)) -> u64 {
        let left = f0.saturating_sub(f1);
        if left == 0 {
            return f1;
        }
        let stay = self.ln_keep;
        let p = after_share(stay, d - t0, t1 - t0);
        let rng = self.rng.get_or_insert_with(|| self.streams.rng(Source::Trajectory));
        f1 + binomial(rng, left, p)
    }

    /// The followers on the days observed for a creator who quit on day
    /// `quit_day` with `followers`, and their followers at `horizon_days`,
    /// when followers keep leaving after the quit: `thin(followers, days)`
    /// gives those left after `days` more days (dormant decay), applied
    /// from one trajectory day to the next and then to the horizon.
    pub(crate) fn finish_quit(
        mut self,
        quit_day: u32,
        horizon_days: u32,
        followers: u64,
        thin: &mut impl FnMut(u64, u32) -> u64,
    ) -> (DayFollowers, u64) {
        let (mut day, mut followers) = (quit_day, followers);
        while let Some(&d) = self.days.get(usize::from(self.out.len))
            && d <= horizon_days
        {
            followers = thin(followers, d.saturating_sub(day));
            day = day.max(d);
            self.out.push(followers);
        }
        (self.out, thin(followers, horizon_days.saturating_sub(day)))
    }

    /// The followers on the days observed, once the career has stopped:
    /// a creator who quit keeps their followers on every later day up to
    /// `horizon_days`.
    pub(crate) fn finish(mut self, active: bool, horizon_days: u32, followers: u64) -> DayFollowers {
        if !active {
            while let Some(&d) = self.days.get(usize::from(self.out.len))
                && d <= horizon_days
            {
                self.out.push(followers);
            }
        }
        self.out
    }
}

/// Of the followers who left during a run of `g` quiet days, each staying a
/// day with probability `exp(ln_keep)`, the share who left after the first
/// `k` days: `(s^k - s^g) / (1 - s^g)`.
pub(crate) fn after_share(ln_keep: f64, k: u32, g: u32) -> f64 {
    let a = (f64::from(k) * ln_keep).exp();
    let later = (f64::from(g - k) * ln_keep).exp_m1();
    let all = (f64::from(g) * ln_keep).exp_m1();
    if all == 0.0 { 0.0 } else { (a * later / all).clamp(0.0, 1.0) }
}

impl Watch for DayWatch<'_> {
    #[inline(always)]
    fn event(&mut self, day: u32, followers: u64) {
        if day >= self.next_day {
            self.fill(None, (day, followers));
        }
    }
    #[inline(always)]
    fn quiet(&mut self, from: (u32, u64), to: (u32, u64)) {
        if to.0 >= self.next_day {
            self.fill(Some(from), to);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::random::TrialStreams;

    #[test]
    fn the_bridge_gives_the_thinning_law_on_the_day_inside() {
        // F0 followers thinned over g days to F1 (one binomial draw, as the
        // career does); the bridge on day k must be Binomial(F0, s^k).
        let (f0, g, k, u) = (200u64, 40u32, 13u32, 0.02f64);
        let ln_keep = (-u).ln_1p();
        let streams = TrialStreams::new(11, 0);
        let mut rng = streams.rng(Source::Unfollows);
        let n = 20_000;
        let (mut sum, mut sum_sq) = (0.0, 0.0);
        for _ in 0..n {
            let f1 = binomial(&mut rng, f0, (f64::from(g) * ln_keep).exp());
            let left = f0 - f1;
            let fd = f1 + binomial(&mut rng, left, after_share(ln_keep, k, g));
            assert!((f1..=f0).contains(&fd));
            sum += fd as f64;
            sum_sq += (fd as f64).powi(2);
        }
        let a = (f64::from(k) * ln_keep).exp();
        let (mean, var) = (f0 as f64 * a, f0 as f64 * a * (1.0 - a));
        let got = sum / n as f64;
        let got_var = sum_sq / n as f64 - got * got;
        let se = (var / n as f64).sqrt();
        assert!((got - mean).abs() < 4.0 * se, "mean {got} against {mean} (se {se})");
        // The variance of a sample variance of binomial values: about 2 var^2 / n.
        let se_var = (2.0 * var * var / n as f64).sqrt();
        assert!((got_var - var).abs() < 4.0 * se_var, "variance {got_var} against {var}");
    }

    #[test]
    fn the_share_left_after_a_day_is_a_probability_at_the_ends() {
        assert_eq!(after_share((-0.5f64).ln_1p(), 0, 5), 1.0);
        assert_eq!(after_share((-0.5f64).ln_1p(), 5, 5), 0.0);
        assert_eq!(after_share(f64::NEG_INFINITY, 2, 5), 0.0);
        assert_eq!(after_share(0.0, 2, 5), 0.0);
    }

    #[test]
    fn days_are_checked_in_one_line() {
        let spec = |days: &[u32]| TrajectorySpec { days: DayList::new(days).unwrap() };
        let e = spec(&[30, 30]).validate().unwrap_err().to_string();
        assert_eq!(e, "days = [30, 30]: must increase: 30 comes after 30");
        let e = spec(&[0, 30]).validate().unwrap_err().to_string();
        assert_eq!(e, "days = [0, 30]: day 0 is out of range: each day must lie in [1, 36500]");
        assert!(DayList::new(&[1; 17]).unwrap_err().contains("at most 16"));
        assert!(spec(&[]).validate().is_ok());
        let short = TrajectorySpec::default_for(&Observation::Cohort { horizon_days: 400 });
        assert_eq!(short.days.as_slice(), [30, 90, 180, 365]);
        let tiny = TrajectorySpec::default_for(&Observation::Cohort { horizon_days: 10 });
        assert_eq!(tiny.days.as_slice(), [10]);
    }
}
