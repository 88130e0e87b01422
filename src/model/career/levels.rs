//! The Career model's capabilities ([`crate::model::inputs`]): its tiers
//! as levels, its creator traits as the inputs a trial draws once, and a
//! root walked to its horizon, split at follower levels when asked.

use crate::dist::Law;
use crate::model::career::money::{Earnings, Engagement, MAX_INCOME_LEVELS, short_amount};
use crate::model::career::{
    Career, CareerModel, CareerState, Creator, EFFORT_RANGE, MAX_DAYS, NICHE_RANGE, Population, Stop,
    Stopped, TALENT_RANGE,
};
use crate::model::inputs::{Input, Inputs, Levels, Root, SplitPlan};
use crate::random::{Source, TrialStreams};
use crate::tier::LEVEL_SLOTS;

/// The creator of raw input draws, in the order of [`Inputs::inputs`].
pub(crate) fn creator_of(raw: &[f64]) -> Creator {
    let mut creator = Creator { talent: 0.0, effort: 0.0, entry_day: 0.0, niche: 0.0 };
    for (index, &value) in raw.iter().enumerate() {
        creator.set_input(index, value);
    }
    creator
}

impl Creator {
    /// Trait `index` in the order of the career's [`Inputs::inputs`]:
    /// talent, effort, entry day, niche.
    pub fn input(&self, index: usize) -> f64 {
        [self.talent, self.effort, self.entry_day, self.niche][index]
    }

    /// Sets trait `index` (in the order of [`Creator::input`]).
    pub fn set_input(&mut self, index: usize, value: f64) {
        let slot = match index {
            0 => &mut self.talent,
            1 => &mut self.effort,
            2 => &mut self.entry_day,
            _ => &mut self.niche,
        };
        *slot = value;
    }
}

impl Levels for CareerModel {
    fn levels(&self) -> Vec<(String, f64)> {
        self.spec().tiers.levels().into_iter().map(|l| (l.name, l.followers as f64)).collect()
    }

    fn progress_of(&self, threshold: f64) -> f64 {
        threshold.ln_1p()
    }

    fn goal(&self) -> usize {
        self.spec().tiers.goal_slot()
    }

    /// With `[money]`, its levels, named as reports name them (`$10k`).
    fn income_levels(&self) -> (Vec<(String, f64)>, u32) {
        match self.earning.and_then(|e| e.money) {
            Some(m) => (
                m.levels.as_slice().iter().map(|&l| (format!("${}", short_amount(l)), l)).collect(),
                m.window_days,
            ),
            None => (Vec::new(), 365),
        }
    }

    /// With `[engagement]` (or `[money]`), its audience levels, named as
    /// reports name them (`1k engaged`).
    fn audience_levels(&self) -> Vec<(String, f64)> {
        self.earning.map_or_else(Vec::new, |e| {
            let levels = e.engagement.audience_levels;
            let whole: Vec<u64> = levels.as_slice().iter().map(|&l| l as u64).collect();
            Engagement::audience_level_names(&whole).zip(levels.as_slice().iter().copied()).collect()
        })
    }
}

/// The four creator traits, in the order of [`Creator`]'s fields: each
/// one's name (as scenario files write it), stream and range (what any
/// creator's trait is held to, [`Creator::clamped`]). The one list of them:
/// [`Inputs::inputs`] gives each its population's law, and
/// [`Creator::clamped`], Sobol's factors (through the inputs), attribution's
/// edits and the "creators like you" traits read it.
pub(crate) const CREATOR_TRAITS: [(&str, Source, (f64, f64)); 4] = [
    ("talent", Source::Talent, TALENT_RANGE),
    ("effort", Source::Effort, EFFORT_RANGE),
    ("entry_day", Source::EntryDay, (0.0, MAX_DAYS as f64)),
    ("niche", Source::Niche, NICHE_RANGE),
];

impl Population {
    /// The population's law of each trait, in the order of [`CREATOR_TRAITS`].
    pub(crate) fn laws(&self) -> [&Law; 4] {
        [&self.talent, &self.effort, &self.entry_day, &self.niche]
    }
}

/// The four creator traits, in the order of [`Creator`]'s fields, each
/// with its population's law as importance sampling reads it (a uniform as
/// `Beta(1, 1)`): what importance sampling, Sobol and the conditional
/// models read.
impl Inputs for CareerModel {
    fn inputs(&self) -> Vec<Input> {
        CREATOR_TRAITS
            .iter()
            .zip(self.spec().population.laws())
            .map(|(&(name, source, range), law)| Input {
                name,
                source,
                prior: law.uniform_as_beta(),
                range,
                floor: None,
            })
            .collect()
    }

    fn root(&self, streams: &TrialStreams, raw: &[f64], plan: Option<&SplitPlan>) -> Root {
        let creator = creator_of(raw).clamped();
        self.walk_root(
            self.entry_state(streams, creator, self.horizon_days(creator.entry_day)),
            streams,
            plan,
        )
    }

    fn can_split(&self) -> bool {
        true
    }
}

impl CareerModel {
    /// The header line of a plain run's rows, one per creator
    /// ([`crate::Model::write_row`]): `trial`, the four traits (clamped),
    /// `weight` (1: drawn from the population), final `followers`, the
    /// career day each level was first reached (`day_nano`, ...; empty if
    /// never), `active` at the horizon, and `quit_day` (the career days of a
    /// creator who quit; empty if active).
    pub fn row_header(&self) -> String {
        let traits: Vec<&str> = CREATOR_TRAITS.iter().map(|t| t.0).collect();
        format!(
            "trial,{},weight,followers,{},active,quit_day\n",
            traits.join(","),
            self.level_columns("day_")
        )
    }

    /// Appends the row of `career`, trial `trial` (see [`CareerModel::row_header`]).
    pub(crate) fn write_career_row(&self, trial: u64, career: &Career, out: &mut Vec<u8>) {
        use std::io::Write as _;
        let c = &career.creator;
        let _ = write!(
            out,
            "{trial},{},{},{},{},1,{}",
            c.talent, c.effort, c.entry_day, c.niche, career.followers
        );
        // The levels in slot order (`Levels::levels`): the tiers, then a goal
        // that is no tier.
        for day in &career.reached_day[..self.thresholds.len()] {
            let _ = match day {
                Some(day) => write!(out, ",{day}"),
                None => write!(out, ","),
            };
        }
        let _ = if career.active {
            writeln!(out, ",true,")
        } else {
            writeln!(out, ",false,{}", career.career_days)
        };
    }

    /// A career state advanced to its horizon as a rare-event root: the log
    /// of its peak followers, the tiers it reached, the days simulated.
    /// With a `plan` (fixed splitting), when a path first crosses a level it
    /// continues as `copies` paths (itself, and clones on new luck branches
    /// with their memoryless parts redrawn), each with `1/copies` of its
    /// weight; a jump across several levels at once splits at each
    /// (`copies^d` paths). No copies when the niche is below the target or
    /// fewer than `min_days` days remain.
    pub fn walk_root(&self, state: CareerState, streams: &TrialStreams, plan: Option<&SplitPlan>) -> Root {
        let levels = plan.map_or(&[][..], |p| p.levels.as_slice());
        let first = levels.iter().position(|&l| l > state.followers()).unwrap_or(levels.len());
        let hopeless = plan.is_none_or(|p| state.creator().niche < p.target);
        let mut stack = vec![(state, 1.0f64, first)];
        let mut hits = [0.0f64; LEVEL_SLOTS];
        let (mut earned, mut income) = ([0.0f64; MAX_INCOME_LEVELS], 0.0f64);
        let (mut engaged, mut audience) = ([0.0f64; MAX_INCOME_LEVELS], 0.0f64);
        let (mut peak, mut work, mut branch) = (0u64, 0u64, 0u64);
        while let Some((mut s, weight, next)) = stack.pop() {
            let from = s.day();
            peak = peak.max(s.followers());
            if let Some(plan) = plan.filter(|_| next < levels.len() && !hopeless) {
                let stopped =
                    self.advance_observed(&mut s, Stop::Followers(levels[next]), |_, f| peak = peak.max(f));
                if stopped == Stopped::Followers && s.horizon_days().saturating_sub(s.day()) >= plan.min_days
                {
                    work += u64::from(s.day() - from);
                    let beyond = levels[next..].iter().take_while(|&&l| s.followers() >= l).count();
                    let copies = u64::from(plan.copies).pow(beyond as u32);
                    let share = weight / copies as f64;
                    for c in (0..copies).rev() {
                        let mut copy = s.clone();
                        if c > 0 {
                            branch += 1;
                            copy.reseed_luck(&streams.branch(branch));
                            self.redraw_memoryless(&mut copy);
                        }
                        stack.push((copy, share, next + beyond));
                    }
                    continue;
                }
            }
            self.advance_observed(&mut s, Stop::Horizon, |_, f| peak = peak.max(f));
            work += u64::from(s.day() - from);
            for (hit, day) in hits.iter_mut().zip(s.career().reached_day) {
                if day.is_some() {
                    *hit += weight;
                }
            }
            // The income and engaged audience as a plain run counts them
            // (followers at the horizon thinned after a quit, from the
            // trial's streams).
            if let Some(earning) = self.earning
                && let Some(copy) = self.earnings_at_horizon(&s, streams)
            {
                let levels = earning.money.as_ref().map_or(&[][..], |m| m.levels.as_slice());
                income = income.max(copy.income);
                audience = audience.max(copy.engaged_audience);
                let audience_levels = earning.engagement.audience_levels;
                for (shares, levels, value) in [
                    (&mut earned, levels, copy.income),
                    (&mut engaged, audience_levels.as_slice(), copy.engaged_audience),
                ] {
                    for (share, &level) in shares.iter_mut().zip(levels) {
                        if value >= level {
                            *share += weight;
                        }
                    }
                }
            }
        }
        let progress = (peak as f64).ln_1p();
        Root { progress, peak: peak as f64, hits, work, earned, income, engaged, audience }
    }

    /// The earnings of a career stopped in `state` (at its horizon, or
    /// quit), as [`CareerModel::simulate`] reports them; `None` without
    /// engagement.
    fn earnings_at_horizon(&self, state: &CareerState, streams: &TrialStreams) -> Option<Earnings> {
        self.with_days(state, self.day_watch(state, streams), streams).earnings
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_trait_list_names_the_fields_that_hold_each_trait() {
        let creator = Creator { talent: 0.5, effort: 2.0, entry_day: 3.0, niche: 4.0 };
        let population = Population {
            talent: Law::Fixed { value: 0.5 },
            effort: Law::Fixed { value: 2.0 },
            entry_day: Law::Fixed { value: 3.0 },
            niche: Law::Fixed { value: 4.0 },
            correlation: Default::default(),
        };
        let (c, p) = (serde_json::to_value(creator).unwrap(), serde_json::to_value(population).unwrap());
        for (index, (&(name, _, _), law)) in CREATOR_TRAITS.iter().zip(population.laws()).enumerate() {
            assert_eq!(c[name], creator.input(index), "{name}");
            assert_eq!(p[name], serde_json::to_value(law).unwrap(), "{name}");
            assert_eq!(*law, Law::Fixed { value: creator.input(index) }, "{name}");
        }
    }
}
