//! Rare odds: importance sampling of the traits, with a proposal found by
//! the cross-entropy method.
//!
//! Reaching macro is decided mostly by the traits drawn at the start. So
//! each *root* (one career) draws its raw traits `x` from a proposal `g`
//! instead of the population `f`, and carries the weight `w = f(x) / g(x)`
//! (the densities of the raw draws, before clamping to the trait's range,
//! which is a fixed function of them). With `Y_r = w_r 1[root r reaches
//! level k]`, over `n` independent roots:
//!
//! ```text
//! p_hat = mean_r Y_r,   SE = sd_r(Y_r) / sqrt(n),   95% interval p_hat +- 1.96 SE
//! ```
//!
//! unbiased for any `g` that covers `f` where hits happen; every level
//! (tier) is estimated from the same roots. (An estimate is a probability:
//! it is reported as at most 1, and a level every root reached before it
//! started, as a given state's lower tiers, as exactly 1.)
//!
//! **The proposal actually used** is the defensive mixture `a f + (1 - a) h`
//! (Hesterberg 1995; `a` = `defensive`, 0.1 by default): each root picks its
//! component on the [`Source::Proposal`] stream, and its weight `f / (a f +
//! (1 - a) h)` is at most `1 / a`, which keeps the common tiers estimable
//! and every weight bounded. Densities are those of the *clamped* traits: a
//! draw beyond an end of a trait's range (effort past 28 posts a week) is
//! that end, an atom weighted by the two laws' masses beyond it; a trait
//! conditioned on a floor (a given state's niche, at least its followers) is
//! truncated there in both laws. The mean weight of all roots, 1 in
//! expectation, is reported as a check of the proposal.
//!
//! **Finding g (cross-entropy method; Rubinstein & Kroese 2004, de Boer et
//! al. 2005).** Start from `g_0 = f`. Round `t` draws `pilot_roots` roots
//! from `g_t` and scores each by how far it got (the log of its peak
//! followers). If at least a fraction `elite` of them reached the target,
//! stop: `g_t` is the proposal. Otherwise keep the top `elite` fraction by
//! score and refit each trait's law `h` to them by weighted maximum likelihood
//! (weights `f / g_t`): the mean and sd of the raw value for a normal, of
//! its logarithm for a log-normal, moments of the position in `[low, high]`
//! for a uniform (fitted as a Beta). Two safeguards, measured to matter:
//! each fitted sd is floored at `sd_floor` times the population's (a
//! proposal much narrower than the population gives the weights an
//! infinite variance, and intervals that lie), and updates are smoothed
//! (`new = smoothing * fit + (1 - smoothing) * old`). A fixed trait keeps
//! its value. If round 0 cannot rank the roots (every score equal), the
//! run falls back to the population itself (plain Monte Carlo) and says so.
//!
//! **Diagnostics.** The effective sample size of *all* weights is tiny even
//! in healthy runs (most roots miss and carry small weights), so it says
//! nothing. The report gives, per level, the effective sample size of the
//! hitting roots' weights, `(sum w)^2 / sum w^2`, and the largest root's
//! share of the estimate. An interval is flagged as untrustworthy when
//! fewer than [`MIN_HITS`] roots hit, the hitting ESS is below [`MIN_ESS`],
//! or one root holds more than [`MAX_SHARE`] of the estimate.
//!
//! **Fixed splitting** (optional, [`SplitSpec`]): a career that first
//! crosses a follower level below the target continues as `copies` careers
//! on new luck branches, each with `1/copies` of its weight; a day that
//! crosses several levels splits at each. Roots stay independent, so the
//! estimator is the same, with each root's value the weighted share of its
//! copies that reached a level (`CareerModel::walk_root`).
//!
//! **Exact merges.** Each level keeps the number of hitting roots, the
//! exact sum of their values `w h` and of their squares, and the largest
//! ([`ExactSum`]: every `f64` held as an integer times a power of two, so
//! no scale is fixed in advance and a weight of 1e-30 is held as exactly as
//! one of 1): any split of the roots over threads, shards or interrupted
//! runs merges bit for bit, and the estimate, its variance `(n Q - S^2) /
//! (n^2 (n - 1))` and the hitting ESS are rounded once, when reported. (An
//! earlier fixed point, `round(w 2^48)`, rounded the weights of roots
//! hitting levels below about 1e-15 to a few units: 14% low at 2.8e-16 and
//! exactly 0 at 6.7e-21, while marked trusted.) A root's value below the
//! smallest normal `f64` (2.2e-308) has lost precision before it is summed;
//! such roots are counted and make the level's interval untrusted.

use crate::dist::Law;
use crate::error::FieldError;
use crate::model::career::money::MAX_INCOME_LEVELS;
use crate::model::inputs::{Input, Inputs, Root, SplitPlan};
use crate::model::{Model, Summary};
use crate::random::{Source, TrialStreams};
use crate::runner::Runner;
use crate::stats::{Chance, Chances, ExactSum, REACHED_ALREADY};
use crate::tier::LEVEL_SLOTS;
use rand::RngExt as _;
use serde::{Deserialize, Serialize};

/// Fewest hitting roots for an interval to be trusted.
pub const MIN_HITS: u64 = 30;
/// Smallest effective sample size of the hitting roots' weights for an
/// interval to be trusted.
pub const MIN_ESS: f64 = 30.0;
/// Largest share of an estimate one root may hold for its interval to be
/// trusted (healthy runs measured here stay near 0.1%).
pub const MAX_SHARE: f64 = 0.01;
/// The pilot stops at a round whose elite level is no higher than the best
/// of this many rounds before it (docs/MODEL.md, the rare method).
const STALL_ROUNDS: usize = 3;
/// Trial indices of the pilot's roots start here (a run's own roots are
/// below 1e12 < 2^40), so the pilot never shares a stream with the run.
const PILOT_TRIALS: u64 = 1 << 62;

pub use crate::stats::Method;

/// The `[rare]` section: how the proposal is found (or stated).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RareSpec {
    /// The level the proposal aims at: a level's name (a tier, or the goal's
    /// count as reports name it, `"100k"`), an income level of `[money]` as
    /// reports name it (`"$100k"`), an engaged-audience level of
    /// `[engagement]` as reports name it (`"1k engaged"`), `barrier` for
    /// Gibrat. Default: the scenario's goal ([`crate::tier::Tiers::goal`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
    /// Roots per pilot round, in `[1000, 1e7]`. Default 20,000.
    pub pilot_roots: u64,
    /// Most pilot rounds, in `[1, 100]`. Default 20.
    pub max_rounds: u32,
    /// Elite fraction, in `[0.01, 0.5]`: the top share of roots a round
    /// refits to, and the share of hits that ends the pilot; a fifth of it
    /// when the target is an income level. Default 0.1.
    pub elite: f64,
    /// Weight of the new fit in each update, in `(0, 1]`. Default 0.7.
    pub smoothing: f64,
    /// Floor of each fitted sd, as a multiple of the population's, in
    /// `[0.1, 1]`. Default 0.75.
    pub sd_floor: f64,
    /// Share of roots drawn from the population itself (a defensive
    /// mixture, Hesterberg 1995), in `[0, 0.5]`: bounds every weight by
    /// `1 / defensive`, so the lower tiers keep usable estimates and no
    /// root can carry an unbounded weight. Default 0.1.
    pub defensive: f64,
    /// Fixed splitting of each career at follower levels below the target
    /// (`[rare.splitting]`); none by default.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub splitting: Option<SplitSpec>,
    /// A proposal stated by the user, trait by trait (`talent = { dist =
    /// "normal", mean = 0.8, sd = 0.15 }`); traits not named are drawn
    /// from the population. Skips the pilot.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub proposal: Option<toml::Table>,
}

impl Default for RareSpec {
    fn default() -> Self {
        RareSpec {
            target: None,
            pilot_roots: 20_000,
            max_rounds: 20,
            elite: 0.1,
            smoothing: 0.7,
            sd_floor: 0.75,
            defensive: 0.1,
            splitting: None,
            proposal: None,
        }
    }
}

impl RareSpec {
    /// The defaults, aiming at the level named `target` (a tier name for a
    /// career, `barrier` for Gibrat).
    pub fn aiming_at(target: &str) -> RareSpec {
        RareSpec { target: Some(target.into()), ..RareSpec::default() }
    }
}

/// The `[rare.splitting]` section: levels below the target, `factor` apart.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SplitSpec {
    /// Levels, in `[1, 10]`: at `target / factor^i` for `i = 1..=levels`.
    /// Default 3.
    pub levels: u32,
    /// Ratio between levels, in `[1.5, 1000]`. Default 3.
    pub factor: f64,
    /// Copies a path becomes at each level, in `[2, 10]`. Default 2.
    pub copies: u32,
    /// No copies when fewer days than this remain, in `[0, 36500]`. Default 30.
    pub min_days: u32,
}

impl Default for SplitSpec {
    fn default() -> Self {
        SplitSpec { levels: 3, factor: 3.0, copies: 2, min_days: 30 }
    }
}

impl SplitSpec {
    /// The plan for a target threshold (errors name fields within the section).
    fn plan(&self, target: f64, can_split: bool) -> Result<SplitPlan, FieldError> {
        if !can_split {
            return Err(FieldError::new(
                "levels",
                self.levels,
                "this model's paths cannot be split (Career only)",
            ));
        }
        if !(1..=10).contains(&self.levels) {
            return Err(FieldError::new("levels", self.levels, "must lie in [1, 10]"));
        }
        crate::error::within("factor", self.factor, 1.5, 1000.0)?;
        if !(2..=10).contains(&self.copies) {
            return Err(FieldError::new("copies", self.copies, "must lie in [2, 10]"));
        }
        if self.min_days > 36_500 {
            return Err(FieldError::new("min_days", self.min_days, "must lie in [0, 36500]"));
        }
        let levels: Vec<u64> =
            (1..=self.levels).rev().map(|i| (target / self.factor.powi(i as i32)).round() as u64).collect();
        if levels[0] < 1 || levels.windows(2).any(|w| w[0] >= w[1]) {
            return Err(FieldError::new(
                "levels",
                self.levels,
                format!(
                    "with factor {} puts levels below 1 follower or not increasing: {levels:?}",
                    self.factor
                ),
            ));
        }
        Ok(SplitPlan { levels, copies: self.copies, min_days: self.min_days, target })
    }
}

/// What the proposal aims at: a follower level, or an income level (the
/// position in [`Levels::levels`] or [`Levels::income_levels`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Aim {
    Level(usize),
    Income(usize),
    Audience(usize),
}

/// A validated rare-event setup for one model.
#[derive(Debug, Clone)]
pub struct ImportanceSampler<M> {
    model: M,
    spec: RareSpec,
    aim: Aim,
    traits: Vec<Input>,
    stated: Option<Vec<Law>>,
    split: Option<SplitPlan>,
    levels: usize,
    income_levels: Vec<(String, f64)>,
    window_days: u32,
    audience_levels: Vec<(String, f64)>,
}

impl<M: Inputs> ImportanceSampler<M> {
    /// Validates `spec` for `model` (errors name fields within `[rare]`).
    pub fn new(model: M, spec: RareSpec) -> Result<Self, FieldError> {
        let levels = model.levels();
        let mut spec = spec;
        let (income_levels, window_days) = model.income_levels();
        let audience_levels = model.audience_levels();
        let named = spec.target.get_or_insert_with(|| levels[model.goal()].0.clone()).clone();
        let at = |list: &[(String, f64)]| list.iter().position(|(name, _)| *name == named);
        let aim = match (at(&levels), at(&income_levels), at(&audience_levels)) {
            (Some(k), _, _) => Aim::Level(k),
            (None, Some(k), _) => Aim::Income(k),
            (None, None, Some(k)) => Aim::Audience(k),
            (None, None, None) => {
                let names: Vec<&str> = levels
                    .iter()
                    .chain(&income_levels)
                    .chain(&audience_levels)
                    .map(|l| l.0.as_str())
                    .collect();
                return Err(FieldError::new(
                    "target",
                    format!("{named:?}"),
                    format!("must be one of the scenario's levels: {}", names.join(", ")),
                ));
            }
        };
        if !(1_000..=10_000_000).contains(&spec.pilot_roots) {
            return Err(FieldError::new("pilot_roots", spec.pilot_roots, "must lie in [1000, 10000000]"));
        }
        if !(1..=100).contains(&spec.max_rounds) {
            return Err(FieldError::new("max_rounds", spec.max_rounds, "must lie in [1, 100]"));
        }
        crate::error::within("elite", spec.elite, 0.01, 0.5)?;
        crate::error::within("smoothing", spec.smoothing, 0.0, 1.0)?;
        if spec.smoothing <= 0.0 {
            return Err(FieldError::new("smoothing", spec.smoothing, "must lie in (0, 1]"));
        }
        crate::error::within("sd_floor", spec.sd_floor, 0.1, 1.0)?;
        crate::error::within("defensive", spec.defensive, 0.0, 0.5)?;
        let traits = model.inputs();
        let stated = match &spec.proposal {
            None => None,
            Some(table) => {
                let mut laws: Vec<Law> = traits.iter().map(|t| t.prior).collect();
                for (name, value) in table {
                    let field = format!("proposal.{name}");
                    let k = traits.iter().position(|t| t.name == name).ok_or_else(|| {
                        let names: Vec<&str> = traits.iter().map(|t| t.name).collect();
                        FieldError::new(
                            &field,
                            "(a law)",
                            format!("is not a trait of this model: {}", names.join(", ")),
                        )
                    })?;
                    let law: Law = value.clone().try_into().map_err(|e: toml::de::Error| {
                        FieldError::new(
                            &field,
                            value,
                            format!(
                                "must be a law such as {{ dist = \"normal\", mean = 0.8, sd = 0.15 }}: {}",
                                e.message()
                            ),
                        )
                    })?;
                    law.validate_against(&traits[k].prior, &field)?;
                    laws[k] = law;
                }
                Some(laws)
            }
        };
        let split = match &spec.splitting {
            None => None,
            Some(sp) => {
                let Aim::Level(target) = aim else {
                    return Err(FieldError::new(
                        "splitting",
                        "(a section)",
                        format!(
                            "splits at follower levels, so it cannot aim at an income or an engaged audience ({named})"
                        ),
                    ));
                };
                let threshold = levels[target].1;
                Some(sp.plan(threshold, model.can_split()).map_err(|e| e.within("splitting"))?)
            }
        };
        let levels = levels.len();
        Ok(ImportanceSampler {
            model,
            spec,
            aim,
            traits,
            stated,
            split,
            levels,
            income_levels,
            window_days,
            audience_levels,
        })
    }

    /// The model.
    pub fn model(&self) -> &M {
        &self.model
    }

    /// The validated settings, the target resolved (the goal, unless named).
    pub fn spec(&self) -> &RareSpec {
        &self.spec
    }

    /// Finds the proposal (the pilot), then runs `range` of roots from it.
    /// The pilot ignores the runner's stop flag and progress (it is short
    /// and must finish for the proposal to be the same in every piece).
    pub fn run_range(
        &self,
        runner: &Runner,
        range: std::ops::Range<u64>,
    ) -> (RareSummary, std::ops::Range<u64>) {
        let (summary, mut done) = self.run_ranges(runner, std::slice::from_ref(&range), &mut 0);
        (summary, done.pop().unwrap_or(range.start..range.start))
    }

    /// As [`ImportanceSampler::run_range`] for several ranges, in order, stopping early if
    /// the runner's stop flag rises; returns the ranges done.
    pub fn run_ranges(
        &self,
        runner: &Runner,
        ranges: &[std::ops::Range<u64>],
        offset: &mut u64,
    ) -> (RareSummary, Vec<std::ops::Range<u64>>) {
        let pilot = self.pilot(runner);
        let weighted = Weighted { rare: self, laws: pilot.proposal.clone() };
        let out = runner.run_ranges(&weighted, ranges, offset);
        let done = out.done;
        let mut summary = out.summary.unwrap_or_else(|| weighted.new_summary());
        // A run stopped before any root ran keeps no pilot (it may have
        // been cut short too), so it merges with any piece of the run.
        summary.pilot = (!done.is_empty()).then_some(pilot);
        (summary, done)
    }

    /// The pilot: the proposal, stated or found by the cross-entropy method.
    /// It checks the runner's stop flag between rounds (and then returns
    /// early; [`ImportanceSampler::run_ranges`] keeps no pilot of a run that ran no root).
    pub fn pilot(&self, runner: &Runner) -> Pilot {
        let priors: Vec<Law> = self.traits.iter().map(|t| t.prior).collect();
        if let Some(laws) = &self.stated {
            return Pilot {
                proposal: laws.clone(),
                rounds: Vec::new(),
                roots: 0,
                work: 0,
                outcome: PilotOutcome::Stated,
            };
        }
        let quiet = runner.unattended();
        let n = self.spec.pilot_roots;
        let elite_n = ((self.elite_share() * n as f64).ceil() as usize).max(2);
        let mut law = priors.clone();
        let mut rounds = Vec::new();
        let mut gammas: Vec<f64> = Vec::new();
        let (mut roots, mut work) = (0, 0);
        for t in 0..u64::from(self.spec.max_rounds) {
            if runner.stopped() {
                // Interrupted: no root will run from this proposal.
                return Pilot { proposal: law, rounds, roots, work, outcome: PilotOutcome::RoundsUsed };
            }
            let first = PILOT_TRIALS + (t << 40);
            let batch = PilotRoundModel { rare: self, laws: law.clone() };
            let mut draws = quiet.run_range(&batch, first..first + n).summary.draws;
            draws.sort_by_key(|d| d.trial);
            roots += n;
            work += draws.iter().map(|d| d.work).sum::<u64>();
            let hits = draws.iter().filter(|d| d.hit).count();
            // Scores from best to worst; the elite is the top `elite_n`.
            let mut order: Vec<usize> = (0..draws.len()).collect();
            order.sort_by(|&a, &b| draws[b].progress.total_cmp(&draws[a].progress).then(a.cmp(&b)));
            let gamma = self.elite_threshold(&draws, &order, elite_n);
            let lowest = draws[*order.last().expect("roots")].progress;
            // An income aim's scores below 0 rank careers that earned
            // nothing (by their followers): their elite level is $0.
            rounds.push(PilotRound {
                proposal: law.clone(),
                hit_share: hits as f64 / n as f64,
                elite_level: gamma.max(0.0).exp_m1(),
            });
            gammas.push(gamma);
            if hits >= elite_n {
                return Pilot { proposal: law, rounds, roots, work, outcome: PilotOutcome::Reached };
            }
            if gamma <= lowest && t == 0 {
                // Every score ties: nothing to rank, nothing to fit.
                return Pilot { proposal: priors, rounds, roots, work, outcome: PilotOutcome::NothingToFit };
            }
            // This round's elite level is no higher than the best of the
            // `STALL_ROUNDS` rounds before it.
            let best_before = gammas
                .iter()
                .rev()
                .skip(1)
                .take(STALL_ROUNDS)
                .map(|g| g.exp_m1())
                .fold(f64::NEG_INFINITY, f64::max);
            if gamma <= lowest || (gammas.len() > STALL_ROUNDS && gamma.exp_m1() <= best_before) {
                return Pilot { proposal: law, rounds, roots, work, outcome: PilotOutcome::Stalled };
            }
            let elite: Vec<&Draw> =
                order.iter().take_while(|&&i| draws[i].progress >= gamma).map(|&i| &draws[i]).collect();
            law = self.refit(&law, &priors, &elite);
        }
        Pilot { proposal: law, rounds, roots, work, outcome: PilotOutcome::RoundsUsed }
    }

    /// Each trait's law refitted to the elite by weighted maximum likelihood
    /// (weights f/g), the sd floored and the update smoothed.
    fn refit(&self, law: &[Law], priors: &[Law], elite: &[&Draw]) -> Vec<Law> {
        let max_ln = elite.iter().map(|d| d.ln_weight).fold(f64::NEG_INFINITY, f64::max);
        let weights: Vec<f64> = elite.iter().map(|d| (d.ln_weight - max_ln).exp()).collect();
        let total: f64 = weights.iter().sum();
        law.iter()
            .zip(priors)
            .enumerate()
            .map(|(k, (old, prior))| {
                if matches!(old, Law::Fixed { .. }) {
                    return *old;
                }
                let c: Vec<f64> = elite.iter().map(|d| old.coordinate(d.raw[k])).collect();
                let mean = c.iter().zip(&weights).map(|(c, w)| c * w).sum::<f64>() / total;
                let var = c.iter().zip(&weights).map(|(c, w)| w * (c - mean).powi(2)).sum::<f64>() / total;
                let floor = self.spec.sd_floor * prior.moments().1;
                let sd = var.sqrt().max(floor);
                let (old_mean, old_sd) = old.moments();
                let a = self.spec.smoothing;
                old.with_moments(a * mean + (1.0 - a) * old_mean, a * sd + (1.0 - a) * old_sd)
            })
            .collect()
    }

    /// Raw traits on their streams, and the log weight. With `defensive =
    /// a > 0` the root draws from the mixture `a f + (1 - a) g` (which
    /// component, from the [`Source::Proposal`] stream) and its weight is
    /// `f / (a f + (1 - a) g) <= 1 / a`; with `a = 0` from `g`, weight `f / g`.
    /// Densities are those of the clamped traits: a draw beyond an end of
    /// the trait's range is that end, an atom (see [`Input::range`]).
    fn draw(&self, streams: &TrialStreams, laws: &[Law], defensive: f64) -> ([f64; 4], f64) {
        let from_population = defensive > 0.0 && streams.rng(Source::Proposal).random::<f64>() < defensive;
        let mut raw = [0.0; 4];
        let mut ln_g_over_f = 0.0;
        for (k, (t, law)) in self.traits.iter().zip(laws).enumerate() {
            let drawn = if from_population { &t.prior } else { law };
            let x = match t.floor {
                Some(floor) => drawn.sample_at_least(&mut streams.rng(t.source), floor),
                None => drawn.sample(&mut streams.rng(t.source)),
            };
            raw[k] = x;
            if law != &t.prior {
                if let Some(floor) = t.floor {
                    // Each law renormalised by its mass above the floor.
                    ln_g_over_f += t.prior.ln_sf(floor) - law.ln_sf(floor);
                }
                let (lo, hi) = t.range;
                ln_g_over_f += if x <= lo {
                    law.ln_cdf(lo) - t.prior.ln_cdf(lo)
                } else if x >= hi {
                    law.ln_sf(hi) - t.prior.ln_sf(hi)
                } else {
                    law.ln_pdf(x) - t.prior.ln_pdf(x)
                };
            }
        }
        // ln w = -ln(a + (1 - a) g/f), computed without overflow.
        let ln_weight = if defensive > 0.0 {
            let (p, q) = (defensive.ln(), (1.0 - defensive).ln() + ln_g_over_f);
            let m = p.max(q);
            -(m + ((p - m).exp() + (q - m).exp()).ln())
        } else {
            -ln_g_over_f
        };
        (raw, ln_weight)
    }

    /// The header line of a run's rows, one per root
    /// ([`crate::Model::write_row`]): `trial`, the inputs (clamped to their
    /// ranges, as the model runs them), the root's `weight` f/g, its
    /// `peak_followers` (over all its split copies), and for each level the
    /// weighted share of its copies that reached it (`hit_nano`, ...: 1 or
    /// 0 without splitting). `weight` times a level's share, averaged over
    /// the rows, is the level's estimate.
    pub fn row_header(&self) -> String {
        let inputs: Vec<&str> = self.traits.iter().map(|t| t.name).collect();
        let income: String = self
            .income_levels
            .iter()
            .chain(&self.audience_levels)
            .map(|(name, _)| format!(",hit_{name}"))
            .collect();
        format!(
            "trial,{},weight,peak_followers,{}{income}\n",
            inputs.join(","),
            self.model.level_columns("hit_")
        )
    }

    /// A summary of no root, with the model's follower and income levels.
    pub fn empty_summary(&self) -> RareSummary {
        let mut summary = RareSummary::new(self.levels);
        summary.income = vec![LevelSums::default(); self.income_levels.len()];
        summary.audience = vec![LevelSums::default(); self.audience_levels.len()];
        summary
    }

    /// The report of a summary of this setup's roots.
    pub fn report(&self, summary: &RareSummary) -> RareReport {
        let levels = self.model.levels();
        let goal = &levels[self.model.goal()].0;
        let mut report =
            summary.report(&levels, self.model.certain(), &self.traits, &self.target_name(&levels), goal);
        report.income = summary.extra_report(&self.income_levels, &summary.income);
        report.audience_levels = summary.extra_report(&self.audience_levels, &summary.audience);
        report.income_window_days = (!self.income_levels.is_empty()).then_some(self.window_days);
        report
    }

    /// The target's name, a follower level's or an income level's.
    fn target_name(&self, levels: &[(String, f64)]) -> String {
        match self.aim {
            Aim::Level(k) => levels[k].0.clone(),
            Aim::Income(k) => self.income_levels[k].0.clone(),
            Aim::Audience(k) => self.audience_levels[k].0.clone(),
        }
    }

    /// The elite fraction of the pilot: `elite`, or a fifth of it for an
    /// income aim. About a tenth of the careers of `make-a-living` earn
    /// anything in the window, so the top tenth by income is nearly every
    /// earner, its level (a few cents) does not rise, and the pilot stalled
    /// (measured: aiming at $100k, an elite share of 0.1 stalled after 4
    /// rounds; 0.03 and 0.02 reached the target in 4; docs/VALIDATION.md).
    fn elite_share(&self) -> f64 {
        match self.aim {
            Aim::Income(_) => self.spec.elite / 5.0,
            Aim::Level(_) | Aim::Audience(_) => self.spec.elite,
        }
    }

    /// The elite's threshold: the score of the `elite_n`-th best root; for
    /// an income aim whose elite would hold careers that earned nothing, the
    /// lowest income of those that earned, when at least a tenth of
    /// `elite_n` did (the elite is then the earners: followers alone rank
    /// the others poorly, as most of them quit before the window).
    fn elite_threshold(&self, draws: &[Draw], order: &[usize], elite_n: usize) -> f64 {
        let gamma = draws[order[elite_n - 1]].progress;
        let earners = order.iter().take_while(|&&i| draws[i].progress > 0.0).count();
        match self.aim {
            Aim::Income(_) if gamma <= 0.0 && earners >= (elite_n / 10).max(2) => {
                draws[order[earners - 1]].progress
            }
            _ => gamma,
        }
    }

    /// Whether `root` reached the target, and its pilot score: for a
    /// follower level the log of its peak followers (the target's score
    /// `ln(1 + threshold)`); for an income level `ln(1 + income)` when it
    /// earned, and below 0 when not, where `-1 / (1 + ln(1 + peak))` ranks
    /// the careers that earned nothing by their followers (which lead to
    /// income), so the first rounds can rank roots that all earn $0; for an
    /// engaged-audience level the same with the engaged audience at the
    /// horizon in place of the income.
    fn score(&self, root: &Root) -> (bool, f64) {
        match self.aim {
            Aim::Level(k) => {
                let target = self.model.progress_of(self.model.levels()[k].1);
                (root.progress >= target, root.progress)
            }
            Aim::Income(k) => {
                let score =
                    if root.income > 0.0 { root.income.ln_1p() } else { -1.0 / (1.0 + root.progress) };
                (root.earned[k] > 0.0, score)
            }
            Aim::Audience(k) => {
                let score =
                    if root.audience > 0.0 { root.audience.ln_1p() } else { -1.0 / (1.0 + root.progress) };
                (root.engaged[k] > 0.0, score)
            }
        }
    }
}

/// One pilot root: its raw traits, log weight, score, whether it hit the target.
#[derive(Debug, Clone, PartialEq)]
struct Draw {
    trial: u64,
    raw: [f64; 4],
    ln_weight: f64,
    progress: f64,
    hit: bool,
    work: u64,
}

/// A pilot round's roots, kept whole (sorted by trial afterwards).
#[derive(Debug, Clone, Default)]
struct Draws {
    draws: Vec<Draw>,
}

impl Summary<Draw> for Draws {
    fn record(&mut self, outcome: &Draw) {
        self.draws.push(outcome.clone());
    }
    fn merge(&mut self, other: &Self) {
        self.draws.extend_from_slice(&other.draws);
    }
    fn trials(&self) -> u64 {
        self.draws.len() as u64
    }
}

/// A pilot round as a model on the runner.
struct PilotRoundModel<'a, M> {
    rare: &'a ImportanceSampler<M>,
    laws: Vec<Law>,
}

impl<M: Inputs> Model for PilotRoundModel<'_, M> {
    type Outcome = Draw;
    type Summary = Draws;
    type Report = ();
    fn sample_trial(&self, streams: &TrialStreams) -> Draw {
        let (raw, ln_weight) = self.rare.draw(streams, &self.laws, 0.0);
        let root = self.rare.model.root(streams, &raw, None);
        let (hit, progress) = self.rare.score(&root);
        Draw { trial: streams.trial(), raw, ln_weight, progress, hit, work: root.work }
    }
    fn new_summary(&self) -> Draws {
        Draws::default()
    }
    fn report(&self, _: &Draws) {}
    fn simulated_time(&self, outcome: &Draw) -> u64 {
        outcome.work
    }
}

/// The weighted run as a model on the runner.
struct Weighted<'a, M> {
    rare: &'a ImportanceSampler<M>,
    laws: Vec<Law>,
}

/// One weighted root: its traits, weight, peak and the levels it reached.
#[derive(Debug, Clone, Copy)]
pub struct WeightedRoot {
    raw: [f64; 4],
    ln_weight: f64,
    peak: f64,
    hits: [f64; LEVEL_SLOTS],
    earned: [f64; MAX_INCOME_LEVELS],
    engaged: [f64; MAX_INCOME_LEVELS],
    work: u64,
}

impl<M: Inputs> Model for Weighted<'_, M> {
    type Outcome = WeightedRoot;
    type Summary = RareSummary;
    type Report = ();
    fn sample_trial(&self, streams: &TrialStreams) -> WeightedRoot {
        let (raw, ln_weight) = self.rare.draw(streams, &self.laws, self.rare.spec.defensive);
        let root = self.rare.model.root(streams, &raw, self.rare.split.as_ref());
        WeightedRoot {
            raw,
            ln_weight,
            peak: root.peak,
            hits: root.hits,
            earned: root.earned,
            engaged: root.engaged,
            work: root.work,
        }
    }
    fn new_summary(&self) -> RareSummary {
        self.rare.empty_summary()
    }
    fn report(&self, _: &RareSummary) {}
    fn simulated_time(&self, outcome: &WeightedRoot) -> u64 {
        outcome.work
    }

    /// One row per root ([`ImportanceSampler::row_header`]).
    fn write_row(&self, trial: u64, root: &WeightedRoot, out: &mut Vec<u8>) {
        use std::io::Write as _;
        let _ = write!(out, "{trial}");
        for (&x, input) in root.raw.iter().zip(&self.rare.traits) {
            let (lo, hi) = input.range;
            let _ = write!(out, ",{}", if x.is_nan() { lo } else { x.clamp(lo, hi) });
        }
        let _ = write!(out, ",{:e},{}", root.ln_weight.exp(), root.peak);
        let (income, audience) = (self.rare.income_levels.len(), self.rare.audience_levels.len());
        for share in root.hits[..self.rare.levels]
            .iter()
            .chain(&root.earned[..income])
            .chain(&root.engaged[..audience])
        {
            let _ = write!(out, ",{share}");
        }
        let _ = writeln!(out);
    }
}

/// The weighted hits of one level (or, for the mean weight, every root's
/// weight).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LevelSums {
    /// Roots that reached the level.
    pub hits: u64,
    /// Exact sum of their values `w h`.
    pub sum: ExactSum,
    /// Exact sum of the squares of their values.
    pub sum_sq: ExactSum,
    /// The largest value.
    pub max: f64,
    /// Roots whose value was below the smallest normal `f64` (2.2e-308)
    /// and so held with lost precision (0 in any sound run).
    pub underflow: u64,
}

impl LevelSums {
    /// Adds one root's value (finite and positive).
    fn add(&mut self, value: f64) {
        self.hits += 1;
        self.sum.add(value);
        self.sum_sq.add_square(value);
        self.max = self.max.max(value);
        if value < f64::MIN_POSITIVE {
            self.underflow += 1;
        }
    }

    /// Adds the sums of other roots.
    fn merge(&mut self, other: &LevelSums) {
        self.hits += other.hits;
        self.sum.merge(&other.sum);
        self.sum_sq.merge(&other.sum_sq);
        self.max = self.max.max(other.max);
        self.underflow += other.underflow;
    }

    /// The sum, `n (n - 1)` times the variance of the values padded with
    /// zeros to `n` roots, and the hits' effective sample size `S^2 / Q`;
    /// `None` when the sums cannot come from `n` roots (a damaged record).
    fn moments(&self, n: u64) -> Option<(f64, f64, f64)> {
        let sum = self.sum.to_f64();
        let centred = self.sum_sq.centred(&self.sum, n)?;
        let sum_sq = self.sum_sq.to_f64();
        let ess = if sum_sq > 0.0 { sum / sum_sq * sum } else { 0.0 };
        Some((sum, centred, ess))
    }
}

/// The mergeable statistics of a rare-event run: roots, and each level's
/// fixed-point weighted hits; with the pilot that found the proposal.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RareSummary {
    /// Roots run.
    pub roots: u64,
    /// Simulated time of the roots (creator-days, steps).
    pub work: u64,
    /// Roots whose weight was not a finite number (its logarithm beyond
    /// about 709): an estimate with any is not to be trusted.
    pub overflow: u64,
    /// Every root's weight, for the mean weight (1 in expectation: a check
    /// of the proposal); `hits` counts the roots.
    pub all: LevelSums,
    /// Per level, lowest first.
    pub levels: Vec<LevelSums>,
    /// Per income level (with `[money]`), in the order of `money.levels`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub income: Vec<LevelSums>,
    /// Per engaged-audience level (with `[engagement]` or `[money]`), in the
    /// order of `engagement.audience_levels`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub audience: Vec<LevelSums>,
    /// The pilot (the same in every piece of a run).
    pub pilot: Option<Pilot>,
}

impl RareSummary {
    /// A summary of no root, for `levels` levels.
    pub fn new(levels: usize) -> Self {
        RareSummary {
            roots: 0,
            work: 0,
            overflow: 0,
            all: LevelSums::default(),
            levels: vec![LevelSums::default(); levels],
            income: Vec::new(),
            audience: Vec::new(),
            pilot: None,
        }
    }

    /// Why these statistics cannot come from a run of `roots` roots, if
    /// they cannot: more hits than roots, a negative or non-finite largest
    /// value, a largest value above the sum, or a sum of squares too small
    /// for its sum (checked on every record read, before a report).
    pub fn check(&self) -> Result<(), String> {
        if self.all.hits.checked_add(self.overflow).is_none_or(|k| k > self.roots) {
            return Err(format!(
                "{} weighted and {} overflowing roots of {} run",
                self.all.hits, self.overflow, self.roots
            ));
        }
        let named = std::iter::once(("all roots".to_string(), &self.all))
            .chain(self.levels.iter().enumerate().map(|(k, l)| (format!("level {k}"), l)))
            .chain(self.income.iter().enumerate().map(|(k, l)| (format!("income level {k}"), l)))
            .chain(self.audience.iter().enumerate().map(|(k, l)| (format!("engaged-audience level {k}"), l)));
        for (name, l) in named {
            let why = if l.hits > self.roots {
                format!("{} hits of {} roots", l.hits, self.roots)
            } else if l.underflow > l.hits {
                format!("{} underflowing roots of {} hits", l.underflow, l.hits)
            } else if !(l.max.is_finite() && l.max >= 0.0) {
                format!("a largest value of {}", l.max)
            } else if l.hits == 0 && !l.sum.is_zero() {
                "a sum without hits".to_string()
            } else if l.max > l.sum.to_f64() * (1.0 + 1e-12) {
                format!("a largest value {:e} above the sum {:e}", l.max, l.sum.to_f64())
            } else if l.moments(self.roots).is_none() {
                "a sum of squares too small for its sum".to_string()
            } else {
                continue;
            };
            return Err(format!("its rare-event sums are impossible ({name}: {why})"));
        }
        Ok(())
    }

    /// Adds the roots of another piece of the same run; an error when the
    /// pieces found different proposals or hold other levels.
    pub fn merge_checked(&mut self, other: &RareSummary) -> Result<(), String> {
        if self.levels.len() != other.levels.len()
            || self.income.len() != other.income.len()
            || self.audience.len() != other.audience.len()
        {
            return Err("the records estimate different levels".into());
        }
        if self.pilot.is_some() && other.pilot.is_some() && self.pilot != other.pilot {
            return Err("the records' pilots found different proposals".into());
        }
        self.merge(other);
        Ok(())
    }
}

impl Summary<WeightedRoot> for RareSummary {
    fn record(&mut self, root: &WeightedRoot) {
        self.roots += 1;
        self.work += root.work;
        // Every root's weight, for the mean weight.
        let weight = root.ln_weight.exp();
        if !weight.is_finite() {
            self.overflow += 1;
            return;
        }
        if weight > 0.0 {
            self.all.add(weight);
        } else {
            self.all.hits += 1;
        }
        for (level, &share) in self
            .levels
            .iter_mut()
            .zip(&root.hits)
            .chain(self.income.iter_mut().zip(&root.earned))
            .chain(self.audience.iter_mut().zip(&root.engaged))
        {
            if share > 0.0 {
                let value = (root.ln_weight + share.ln()).exp();
                if value > 0.0 {
                    level.add(value);
                } else {
                    // Below the smallest subnormal: counted, not summable.
                    level.hits += 1;
                    level.underflow += 1;
                }
            }
        }
    }

    fn merge(&mut self, other: &Self) {
        self.roots += other.roots;
        self.work += other.work;
        self.overflow += other.overflow;
        self.all.merge(&other.all);
        for (a, b) in self
            .levels
            .iter_mut()
            .zip(&other.levels)
            .chain(self.income.iter_mut().zip(&other.income))
            .chain(self.audience.iter_mut().zip(&other.audience))
        {
            a.merge(b);
        }
        if self.pilot.is_none() {
            self.pilot.clone_from(&other.pilot);
        }
    }

    fn trials(&self) -> u64 {
        self.roots
    }
    fn check(&self) -> Result<(), String> {
        RareSummary::check(self)
    }
}

/// How the pilot ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PilotOutcome {
    /// The proposal was stated in the scenario; no pilot ran.
    Stated,
    /// A round's roots hit the target often enough.
    Reached,
    /// The rounds ran out before that; the last proposal is used.
    RoundsUsed,
    /// The elite's level stopped rising (a round's level no higher than
    /// the best of the 3 rounds before it, or every root of a round tied): what decides reaching the target is not in the traits.
    /// The last proposal is used.
    Stalled,
    /// Round 0 could not rank the roots (every score tied): the population
    /// itself is used (plain Monte Carlo).
    NothingToFit,
}

/// One pilot round: the proposal it drew from, the share of its roots that
/// hit the target, and the elite's threshold.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PilotRound {
    /// The laws the round drew from, trait by trait.
    pub proposal: Vec<Law>,
    /// Share of the round's roots that reached the target.
    pub hit_share: f64,
    /// The level the elite reached (peak followers, or its equivalent).
    pub elite_level: f64,
}

/// The pilot: the proposal it settled on, its rounds and its cost.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pilot {
    /// The proposal, trait by trait.
    pub proposal: Vec<Law>,
    /// Its rounds.
    pub rounds: Vec<PilotRound>,
    /// Roots it ran.
    pub roots: u64,
    /// Their simulated time.
    pub work: u64,
    /// How it ended.
    pub outcome: PilotOutcome,
}

/// One level's estimate: its [`Chance`] (the interval normal over
/// independent roots, at least 0; no upper end when no root hit, nothing
/// to bound it with), and the diagnostics of importance sampling.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LevelEstimate {
    /// The chance, as every method gives it.
    #[serde(flatten)]
    pub chance: Chance,
    /// Half-width of the interval over the estimate; `None` when no root hit.
    pub relative_half_width: Option<f64>,
    /// Effective sample size of the hitting roots' weights.
    pub hit_ess: f64,
    /// The largest single root's share of the estimate.
    pub largest_share: f64,
}

/// The proposal of one trait beside the population's law.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TraitProposal {
    /// The trait.
    pub name: String,
    /// The population's law.
    pub population: Law,
    /// The proposal used.
    pub proposal: Law,
}

/// The report of a rare-event run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RareReport {
    /// The level the scenario asks about.
    pub goal: String,
    /// The level the proposal aimed at (the goal, unless `[rare] target`
    /// says otherwise).
    pub target: String,
    /// Roots of the weighted run.
    pub roots: u64,
    /// Their simulated time (creator-days, steps).
    pub work: u64,
    /// Every level's estimate, lowest threshold first.
    pub levels: Vec<LevelEstimate>,
    /// Every income level's estimate (with `[money]`), lowest first: the
    /// chance of earning at least it over the window.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub income: Vec<LevelEstimate>,
    /// The days income is counted over, ending at the horizon (with `[money]`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub income_window_days: Option<u32>,
    /// Every engaged-audience level's estimate (with `[engagement]` or
    /// `[money]`), lowest first: the chance that the engagements a post
    /// expects at the horizon reach it (`1k engaged`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub audience_levels: Vec<LevelEstimate>,
    /// The proposal beside the population, trait by trait.
    pub proposal: Vec<TraitProposal>,
    /// The pilot's rounds, roots, cost and outcome (`None` in a record of
    /// no roots).
    pub pilot: Option<Pilot>,
    /// Roots whose weight overflowed (any makes every interval untrusted).
    pub overflow: u64,
    /// The mean weight of all roots, which is 1 in expectation: a check
    /// that the proposal covers the population.
    pub mean_weight: f64,
    /// Its standard error.
    pub mean_weight_std_error: f64,
    /// Run-wide warnings (the pilot's fallbacks), in words.
    pub warnings: Vec<String>,
}

impl RareReport {
    /// The estimate of level `name`, with its diagnostics (the chance
    /// alone: [`Chances::chance`]).
    pub fn level(&self, name: &str) -> Option<&LevelEstimate> {
        self.levels.iter().find(|l| l.chance.level == name)
    }
}

impl Chances for RareReport {
    fn chances(&self) -> Vec<&Chance> {
        self.levels.iter().map(|l| &l.chance).collect()
    }
}

impl RareSummary {
    /// The report: each level's estimate, interval and diagnostics.
    /// `certain` marks (bit `k`) the levels every root reaches before it
    /// starts (a given state's followers are at or above them): odds 1.
    /// The levels come in the model's order ([`crate::model::inputs::Levels::levels`]);
    /// the report lists them lowest threshold first, `goal` marked.
    pub fn report(
        &self,
        levels: &[(String, f64)],
        certain: u8,
        traits: &[Input],
        target: &str,
        goal: &str,
    ) -> RareReport {
        let n = self.roots as f64;
        let mut estimates: Vec<LevelEstimate> = levels
            .iter()
            .zip(&self.levels)
            .enumerate()
            .map(|(k, ((name, threshold), s))| {
                let mut estimate = self.level_estimate(name, *threshold, s, certain & (1 << k) != 0);
                estimate.chance.goal = name == goal;
                estimate
            })
            .collect();
        estimates.sort_by(|a, b| a.chance.threshold.total_cmp(&b.chance.threshold));
        let proposal_laws: Vec<Law> = match &self.pilot {
            Some(p) => p.proposal.clone(),
            None => traits.iter().map(|t| t.prior).collect(),
        };
        let proposal = traits
            .iter()
            .zip(proposal_laws)
            .map(|(t, law)| TraitProposal { name: t.name.to_string(), population: t.prior, proposal: law })
            .collect();
        let mut warnings = Vec::new();
        let (all_sum, all_centred, _) = self.all.moments(self.roots).unwrap_or((0.0, 0.0, 0.0));
        let mean_weight = if n > 0.0 { all_sum / n } else { 0.0 };
        let mean_weight_std_error = if n > 1.0 { (all_centred / (n - 1.0)).sqrt() / n } else { 0.0 };
        if n > 1.0 && (mean_weight - 1.0).abs() > 4.0 * mean_weight_std_error.max(1e-12) {
            warnings.push(format!(
                "the weights average {mean_weight:.4} +- {mean_weight_std_error:.4}, not 1: the proposal misses part of the population"
            ));
        }
        if let Some(warning) = self.pilot.as_ref().and_then(|pilot| RareSummary::pilot_warning(pilot, target))
        {
            warnings.push(warning);
        }
        RareReport {
            goal: goal.to_string(),
            target: target.to_string(),
            roots: self.roots,
            work: self.work,
            levels: estimates,
            income: Vec::new(),
            income_window_days: None,
            audience_levels: Vec::new(),
            proposal,
            pilot: self.pilot.clone(),
            overflow: self.overflow,
            mean_weight,
            mean_weight_std_error,
            warnings,
        }
    }

    /// Each income or engaged-audience level's estimate (`levels`: name
    /// and value, in the order of their `sums`), never certain.
    fn extra_report(&self, levels: &[(String, f64)], sums: &[LevelSums]) -> Vec<LevelEstimate> {
        levels
            .iter()
            .zip(sums)
            .map(|((name, level), s)| self.level_estimate(name, *level, s, false))
            .collect()
    }

    /// The estimate of one level (`name` at `threshold`, its sums `s`) with
    /// its interval and whether to trust it; `certain` when every root
    /// reaches the level before it starts (odds 1).
    fn level_estimate(&self, name: &str, threshold: f64, s: &LevelSums, certain: bool) -> LevelEstimate {
        let n = self.roots as f64;
        // A record whose sums cannot come from its roots has been
        // refused on reading (RareSummary::check); zeros here only
        // keep the report total.
        let (sum, centred, hit_ess) = s.moments(self.roots).unwrap_or((0.0, 0.0, 0.0));
        // The plain mean of w h, unbiased; a probability, so at most 1.
        let raw = if n > 0.0 { sum / n } else { 0.0 };
        let estimate = if certain { 1.0 } else { raw.min(1.0) };
        // Var(mean) = (n Q - S^2) / (n^2 (n - 1)), exact before this rounding.
        let std_error = if n > 1.0 && !certain { (centred / (n - 1.0)).sqrt() / n } else { 0.0 };
        let largest_share = if sum > 0.0 { s.max / sum } else { 0.0 };
        let mut why = Vec::new();
        let chance = |estimate, std_error, lower, upper, trusted, note| Chance {
            level: name.to_string(),
            threshold,
            goal: false,
            method: Method::Rare,
            trials: self.roots,
            hits: s.hits,
            estimate,
            std_error,
            lower,
            upper,
            trusted,
            note,
        };
        if certain {
            return LevelEstimate {
                chance: chance(1.0, 0.0, 1.0, Some(1.0), true, REACHED_ALREADY.into()),
                relative_half_width: None,
                hit_ess: 0.0,
                largest_share: 0.0,
            };
        }
        if self.overflow > 0 {
            why.push(format!("{} roots had weights too large to hold", self.overflow));
        }
        if s.underflow > 0 {
            why.push(format!(
                "{} hitting roots had values below 2.2e-308, held with lost precision",
                s.underflow
            ));
        }
        if s.hits < MIN_HITS {
            why.push(format!("only {} roots hit (fewer than {MIN_HITS})", s.hits));
        } else if hit_ess < MIN_ESS {
            why.push(format!("the hits' effective sample size is {hit_ess:.0} (below {MIN_ESS})"));
        }
        if largest_share > MAX_SHARE {
            why.push(format!("one root holds {:.1}% of the estimate", 100.0 * largest_share));
        }
        let half = 1.96 * std_error;
        let hit = s.hits > 0;
        LevelEstimate {
            chance: chance(
                estimate,
                std_error,
                (raw - half).clamp(0.0, 1.0),
                hit.then_some((raw + half).min(1.0)),
                why.is_empty(),
                why.join("; "),
            ),
            relative_half_width: hit.then_some(half / estimate),
            hit_ess,
            largest_share,
        }
    }

    /// The pilot's fallback in words, if it fell back: nothing to rank,
    /// stalled, or out of rounds before reaching `target`.
    fn pilot_warning(pilot: &Pilot, target: &str) -> Option<String> {
        let share = pilot.rounds.last().map_or(0.0, |r| r.hit_share);
        match pilot.outcome {
            PilotOutcome::NothingToFit => Some(
                "the pilot could not rank its roots (every one got equally far): plain Monte Carlo was used"
                    .into(),
            ),
            PilotOutcome::Stalled => Some(format!(
                "the pilot stalled after {} rounds ({:.2}% of roots hit {target}); its last proposal was used",
                pilot.rounds.len(),
                100.0 * share
            )),
            PilotOutcome::RoundsUsed => Some(format!(
                "the pilot used all {} rounds ({:.2}% of the last round's roots hit {target}); its last proposal was used",
                pilot.rounds.len(),
                100.0 * share
            )),
            PilotOutcome::Reached | PilotOutcome::Stated => None,
        }
    }
}
