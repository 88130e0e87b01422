//! Talent vs Luck (Pluchino, Biondo & Rapisarda 2018, *Advances in Complex
//! Systems* 21:1850014), spatial and non-spatial.
//!
//! # Spatial ([`TalentLuckModel`]): one trial is one whole world
//!
//! `agents` agents (default 1000) sit at fixed, distinct integer sites of a
//! `world_size × world_size` square (default 201) that wraps at the edges,
//! with talent drawn from `Normal(0.6, 0.1)` clamped to `[0, 1]` and capital
//! `C0 = 10` each. `events` events (default 500), a `lucky_share` of them (half)
//! lucky and the rest unlucky, start at uniformly random points. Each of
//! `steps` steps (80, six months each: forty years) every event first moves
//! `event_step` units (2) in a uniformly random direction, then every agent
//! with one or more events within distance `radius` (1) takes one of them,
//! chosen uniformly at random: a lucky one doubles its capital with
//! probability equal to its talent, an unlucky one halves it.
//!
//! The outcome is the world's statistics: share of capital held by the top 20%,
//! Gini, fractions of agents above / below / at initial capital, capital and
//! talent of the richest agent, and whether the most talented agent is the richest.
//!
//! # Non-spatial ([`TalentLuckNonSpatialModel`]): one trial is one agent
//!
//! Each step the agent doubles with probability `a = p_event p_lucky T` and
//! halves with probability `b = p_event (1 - p_lucky)`, so
//! `E[C_n] = C0 (1 + a - b/2)^n` for an agent of talent `T`.

use crate::dist::{Law, TraitSampler};
use crate::error::{FieldError, positive, within};
use crate::model::{Model, Summary};
use crate::random::{Source, TrialStreams};
use crate::stats::{Moments, Proportion};
use rand::{Rng, RngExt};
use rand_distr::Distribution;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Parameters of the spatial model (the `[talent_vs_luck]` section).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct TalentLuckSpec {
    /// Agents, in `[2, world_size²]`. Default 1000.
    pub agents: u32,
    /// Side of the wrapping square world, in `[3, 10000]`. Default 201.
    pub world_size: u32,
    /// Talent, clamped to `[0, 1]`. Default `Normal(0.6, 0.1)`.
    #[serde(deserialize_with = "Law::number_or_table")]
    pub talent: Law,
    /// Initial capital of every agent, > 0. Default 10.
    pub initial_capital: f64,
    /// Events in the world, in `[0, 1e6]`. Default 500.
    pub events: u32,
    /// Share of events that are lucky, in `[0, 1]`. Default 0.5.
    pub lucky_share: f64,
    /// Time steps, in `[1, 100000]`. Default 80 (six months each).
    pub steps: u32,
    /// Distance an event moves each step, in `[0, world_size]`. Default 2.
    pub event_step: f64,
    /// An event within this distance of an agent reaches it, in `(0, (world_size - 3) / 2]`. Default 1.
    pub radius: f64,
}

impl Default for TalentLuckSpec {
    fn default() -> Self {
        TalentLuckSpec {
            agents: 1000,
            world_size: 201,
            talent: Law::Normal { mean: 0.6, sd: 0.1 },
            initial_capital: 10.0,
            events: 500,
            lucky_share: 0.5,
            steps: 80,
            event_step: 2.0,
            radius: 1.0,
        }
    }
}

/// The spatial Talent vs Luck model, validated.
#[derive(Debug, Clone)]
pub struct TalentLuckModel {
    spec: TalentLuckSpec,
    talent: TraitSampler,
    lucky_events: u32,
}

impl TalentLuckModel {
    /// Validates the parameters.
    pub fn new(spec: TalentLuckSpec) -> Result<Self, FieldError> {
        if !(3..=10_000).contains(&spec.world_size) {
            return Err(FieldError::new("world_size", spec.world_size, "must lie in [3, 10000]"));
        }
        let sites = u64::from(spec.world_size).pow(2);
        if spec.agents < 2 || u64::from(spec.agents) > sites.min(1_000_000) {
            return Err(FieldError::new(
                "agents",
                spec.agents,
                format!("must lie in [2, {}] (one agent a site)", sites.min(1_000_000)),
            ));
        }
        spec.talent.validate("talent", 0.0, 1.0)?;
        positive("initial_capital", spec.initial_capital)?;
        within("initial_capital", spec.initial_capital, 0.0, 1e12)?;
        if spec.events > 1_000_000 {
            return Err(FieldError::new("events", spec.events, "must lie in [0, 1000000]"));
        }
        within("lucky_share", spec.lucky_share, 0.0, 1.0)?;
        if !(1..=100_000).contains(&spec.steps) {
            return Err(FieldError::new("steps", spec.steps, "must lie in [1, 100000]"));
        }
        let size = f64::from(spec.world_size);
        within("event_step", spec.event_step, 0.0, size)?;
        positive("radius", spec.radius)?;
        // The neighbourhood searched around an event must not wrap onto itself.
        let widest = ((size - 3.0) / 2.0).floor();
        if spec.radius > widest {
            return Err(FieldError::new(
                "radius",
                spec.radius,
                format!("must be <= (world_size - 3) / 2 = {widest}"),
            ));
        }
        Ok(TalentLuckModel {
            talent: spec.talent.sampler(0.0, 1.0),
            lucky_events: (f64::from(spec.events) * spec.lucky_share).round() as u32,
            spec,
        })
    }

    /// The parameters.
    pub fn spec(&self) -> &TalentLuckSpec {
        &self.spec
    }
}

/// The statistics of one world at the end.
#[derive(Debug, Clone, PartialEq)]
pub struct World {
    /// Share of all capital held by the richest 20% of agents.
    pub top20_share: f64,
    /// Gini coefficient of capital.
    pub gini: f64,
    /// Fraction of agents that end above their initial capital.
    pub above_initial: f64,
    /// Fraction that end below it.
    pub below_initial: f64,
    /// Fraction that end exactly at it.
    pub at_initial: f64,
    /// Capital of the richest agent.
    pub richest_capital: f64,
    /// Talent of the richest agent (the lowest-numbered one among ties).
    pub richest_talent: f64,
    /// Whether the most talented agent has the highest capital (ties count).
    pub most_talented_is_richest: bool,
    /// Each agent's final capital as `C0 2^k`: the net doublings `k`.
    pub doublings: Vec<i32>,
}

impl World {
    /// Builds the statistics from each agent's talent and net doublings.
    pub fn from_agents(initial_capital: f64, talents: &[f64], doublings: Vec<i32>) -> World {
        let n = doublings.len();
        let mut capital: Vec<f64> = doublings.iter().map(|&k| initial_capital * 2f64.powi(k)).collect();
        let (mut richest, mut most_talented) = (0usize, 0usize);
        for i in 1..n {
            if capital[i] > capital[richest] {
                richest = i;
            }
            if talents[i] > talents[most_talented] {
                most_talented = i;
            }
        }
        let frac =
            |pred: &dyn Fn(i32) -> bool| doublings.iter().filter(|&&k| pred(k)).count() as f64 / n as f64;
        let (above, below, at) = (frac(&|k| k > 0), frac(&|k| k < 0), frac(&|k| k == 0));
        let richest_capital = capital[richest];
        let most_talented_is_richest = capital[most_talented] == richest_capital;
        capital.sort_by(f64::total_cmp);
        let total: f64 = capital.iter().sum();
        let top = n.div_ceil(5);
        let top20_share = capital[n - top..].iter().sum::<f64>() / total;
        let weighted: f64 = capital.iter().enumerate().map(|(i, c)| (i + 1) as f64 * c).sum();
        let nf = n as f64;
        let gini = 2.0 * weighted / (nf * total) - (nf + 1.0) / nf;
        World {
            top20_share,
            gini,
            above_initial: above,
            below_initial: below,
            at_initial: at,
            richest_capital,
            richest_talent: talents[richest],
            most_talented_is_richest,
            doublings,
        }
    }
}

impl TalentLuckModel {
    /// Draws one trial's outcome from `rng` (run by the runner on the
    /// trial's one stream, [`Source::Main`]).
    pub fn draw<R: Rng + ?Sized>(&self, rng: &mut R) -> World {
        let s = &self.spec;
        let side = s.world_size as usize;
        let size = f64::from(s.world_size);
        let n = s.agents as usize;
        // Agents at distinct random sites; `site[y * side + x]` is the agent there.
        let mut site = vec![u32::MAX; side * side];
        let mut position = Vec::with_capacity(n);
        while position.len() < n {
            let (x, y) = (rng.random_range(0..side), rng.random_range(0..side));
            if site[y * side + x] == u32::MAX {
                site[y * side + x] = position.len() as u32;
                position.push((x, y));
            }
        }
        let talents: Vec<f64> = (0..n).map(|_| self.talent.sample(rng)).collect();
        let mut events: Vec<(f64, f64)> =
            (0..s.events).map(|_| (rng.random::<f64>() * size, rng.random::<f64>() * size)).collect();
        let mut doublings = vec![0i32; n];
        // Per step: how many events reached each agent, and the one it keeps
        // (reservoir sampling: the j-th event to arrive replaces the kept one with probability 1/j).
        let mut reached = vec![0u32; n];
        let mut kept = vec![0u32; n];
        let mut touched: Vec<u32> = Vec::new();
        let r = s.radius;
        let reach = r.ceil() as i64;
        for _ in 0..s.steps {
            for (e, (ex, ey)) in events.iter_mut().enumerate() {
                let angle = rng.random::<f64>() * std::f64::consts::TAU;
                *ex = (*ex + s.event_step * angle.cos()).rem_euclid(size);
                *ey = (*ey + s.event_step * angle.sin()).rem_euclid(size);
                let (cx, cy) = (ex.floor() as i64, ey.floor() as i64);
                for dy in -reach..=reach + 1 {
                    for dx in -reach..=reach + 1 {
                        let (sx, sy) = ((cx + dx).rem_euclid(side as i64), (cy + dy).rem_euclid(side as i64));
                        let agent = site[sy as usize * side + sx as usize];
                        if agent == u32::MAX {
                            continue;
                        }
                        // Distance on the torus.
                        let mut ddx = (sx as f64 - *ex).abs();
                        let mut ddy = (sy as f64 - *ey).abs();
                        ddx = ddx.min(size - ddx);
                        ddy = ddy.min(size - ddy);
                        if ddx * ddx + ddy * ddy <= r * r {
                            let a = agent as usize;
                            if reached[a] == 0 {
                                touched.push(agent);
                            }
                            reached[a] += 1;
                            if rng.random_range(0..reached[a]) == 0 {
                                kept[a] = e as u32;
                            }
                        }
                    }
                }
            }
            for &agent in &touched {
                let a = agent as usize;
                if kept[a] < self.lucky_events {
                    if rng.random::<f64>() < talents[a] {
                        doublings[a] += 1;
                    }
                } else {
                    doublings[a] -= 1;
                }
                reached[a] = 0;
            }
            touched.clear();
        }
        World::from_agents(s.initial_capital, &talents, doublings)
    }
}

impl Model for TalentLuckModel {
    type Outcome = World;
    type Summary = TalentLuckSummary;
    type Report = TalentLuckReport;

    fn sample_trial(&self, streams: &TrialStreams) -> World {
        self.draw(&mut streams.rng(Source::Main))
    }

    fn report(&self, summary: &TalentLuckSummary) -> TalentLuckReport {
        summary.report()
    }

    fn new_summary(&self) -> TalentLuckSummary {
        TalentLuckSummary::default()
    }

    fn simulated_time(&self, _: &World) -> u64 {
        u64::from(self.spec.steps) * u64::from(self.spec.events)
    }
}

impl Distribution<World> for TalentLuckModel {
    fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> World {
        self.draw(rng)
    }
}

/// Mean and spread over worlds of each world statistic, and the pooled
/// distribution of every agent's final capital.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TalentLuckSummary {
    top20_share: Moments,
    gini: Moments,
    above_initial: Moments,
    below_initial: Moments,
    at_initial: Moments,
    log10_richest_capital: Moments,
    richest_talent: Moments,
    most_talented_is_richest: u64,
    doublings: BTreeMap<i32, u64>,
}

impl Summary<World> for TalentLuckSummary {
    fn record(&mut self, w: &World) {
        self.top20_share.record(w.top20_share);
        self.gini.record(w.gini);
        self.above_initial.record(w.above_initial);
        self.below_initial.record(w.below_initial);
        self.at_initial.record(w.at_initial);
        self.log10_richest_capital.record(w.richest_capital.log10());
        self.richest_talent.record(w.richest_talent);
        self.most_talented_is_richest += u64::from(w.most_talented_is_richest);
        for &k in &w.doublings {
            *self.doublings.entry(k).or_insert(0) += 1;
        }
    }
    fn merge(&mut self, o: &Self) {
        self.top20_share.merge(&o.top20_share);
        self.gini.merge(&o.gini);
        self.above_initial.merge(&o.above_initial);
        self.below_initial.merge(&o.below_initial);
        self.at_initial.merge(&o.at_initial);
        self.log10_richest_capital.merge(&o.log10_richest_capital);
        self.richest_talent.merge(&o.richest_talent);
        self.most_talented_is_richest += o.most_talented_is_richest;
        for (&k, &c) in &o.doublings {
            *self.doublings.entry(k).or_insert(0) += c;
        }
    }
    fn trials(&self) -> u64 {
        self.top20_share.count()
    }
    /// Every statistic counts every world once; the richest is the most
    /// talented in at most every world; shares and Gini coefficients lie
    /// in `[0, 1]`.
    fn check(&self) -> Result<(), String> {
        let n = self.top20_share.count();
        for (what, m) in [
            ("gini", &self.gini),
            ("above_initial", &self.above_initial),
            ("below_initial", &self.below_initial),
            ("at_initial", &self.at_initial),
            ("log10_richest_capital", &self.log10_richest_capital),
            ("richest_talent", &self.richest_talent),
        ] {
            if m.count() != n {
                return Err(format!("its {what} counts {} worlds, its top20_share {n}", m.count()));
            }
        }
        crate::model::within_count("most_talented_is_richest", self.most_talented_is_richest, "worlds", n)?;
        for (what, m) in [("top20_share", &self.top20_share), ("gini", &self.gini)] {
            if let Some(mean) = m.mean()
                && !(0.0..=1.0).contains(&mean)
            {
                return Err(format!("its mean {what} is {mean}, outside [0, 1]"));
            }
        }
        Ok(())
    }
}

/// Mean, standard deviation across worlds, and standard error of the mean.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Spread {
    /// Mean over worlds.
    pub mean: f64,
    /// Standard deviation across worlds.
    pub sd: f64,
    /// Standard error of the mean.
    pub std_error: f64,
}

impl From<&Moments> for Spread {
    fn from(m: &Moments) -> Self {
        Spread {
            mean: m.mean().unwrap_or(f64::NAN),
            sd: m.sd().unwrap_or(f64::NAN),
            std_error: m.std_error().unwrap_or(f64::NAN),
        }
    }
}

/// What a spatial Talent vs Luck run found.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TalentLuckReport {
    /// Worlds simulated.
    pub worlds: u64,
    /// Share of capital held by the top 20% of agents.
    pub top20_share: Spread,
    /// Gini coefficient of capital.
    pub gini: Spread,
    /// Fraction of agents above initial capital.
    pub above_initial: Spread,
    /// Fraction below.
    pub below_initial: Spread,
    /// Fraction exactly at it.
    pub at_initial: Spread,
    /// log10 of the richest agent's capital.
    pub log10_richest_capital: Spread,
    /// Talent of the richest agent.
    pub richest_talent: Spread,
    /// Probability that the most talented agent is the richest.
    pub most_talented_is_richest: Proportion,
    /// Pooled over all agents of all worlds: `(k, agents)` with final capital `C0 2^k`.
    pub capital_doublings: Vec<(i32, u64)>,
    /// Pooled share of all capital held by the top 1% of agents (heavy tail).
    pub pooled_top1_share: f64,
}

impl TalentLuckSummary {
    /// The report.
    pub(crate) fn report(&self) -> TalentLuckReport {
        let pooled: Vec<(i32, u64)> = self.doublings.iter().map(|(&k, &c)| (k, c)).collect();
        TalentLuckReport {
            worlds: self.trials(),
            top20_share: (&self.top20_share).into(),
            gini: (&self.gini).into(),
            above_initial: (&self.above_initial).into(),
            below_initial: (&self.below_initial).into(),
            at_initial: (&self.at_initial).into(),
            log10_richest_capital: (&self.log10_richest_capital).into(),
            richest_talent: (&self.richest_talent).into(),
            most_talented_is_richest: Proportion::new(self.most_talented_is_richest, self.trials()),
            pooled_top1_share: top_share_of_doublings(&pooled, 0.01),
            capital_doublings: pooled,
        }
    }
}

/// Share of total capital held by the top `fraction` of agents, for capital `2^k` counts.
fn top_share_of_doublings(counts: &[(i32, u64)], fraction: f64) -> f64 {
    let n: u64 = counts.iter().map(|&(_, c)| c).sum();
    if n == 0 {
        return f64::NAN;
    }
    let total: f64 = counts.iter().map(|&(k, c)| c as f64 * 2f64.powi(k)).sum();
    let mut left = ((fraction * n as f64).ceil() as u64).max(1);
    let mut held = 0.0;
    for &(k, c) in counts.iter().rev() {
        let take = left.min(c);
        held += take as f64 * 2f64.powi(k);
        left -= take;
        if left == 0 {
            break;
        }
    }
    held / total
}

impl TalentLuckReport {
    /// The reproduction table: each statistic next to what the paper reports.
    pub fn to_table(&self) -> String {
        let row = |name: &str, s: &Spread, paper: &str| {
            format!("  {name:<34} {:>9.3} {:>9.3} {:>9.3}   {paper}\n", s.mean, s.sd, s.std_error)
        };
        let mut out = format!(
            "{} worlds of Talent vs Luck (Pluchino, Biondo & Rapisarda 2018)\n  {:<34} {:>9} {:>9} {:>9}   {}\n",
            self.worlds, "world statistic", "mean", "sd", "SE", "paper"
        );
        out += &row("share of capital held by top 20%", &self.top20_share, "about 0.80 (the 80/20 rule)");
        out += &row("Gini of capital", &self.gini, "-");
        out += &row("fraction above initial capital", &self.above_initial, "-");
        out += &row("fraction below initial capital", &self.below_initial, "-");
        out += &row("fraction at initial capital", &self.at_initial, "-");
        out += &row("log10 capital of the richest", &self.log10_richest_capital, "-");
        out += &row("talent of the richest", &self.richest_talent, "not far above the mean talent 0.6");
        let p = &self.most_talented_is_richest;
        out += &format!(
            "  {:<34} {:>9.3}   95% CI [{:.3}, {:.3}]   rarely\n",
            "P(most talented is the richest)", p.estimate, p.wilson.lower, p.wilson.upper
        );
        out += &format!(
            "  {:<34} {:>9.3}   heavy-tailed final capital\n",
            "pooled share held by the top 1%", self.pooled_top1_share
        );
        out
    }

    /// CSV: one row per statistic.
    pub fn to_csv(&self) -> String {
        let mut out = String::from("statistic,mean,sd,std_error\n");
        for (name, s) in [
            ("top20_share", &self.top20_share),
            ("gini", &self.gini),
            ("above_initial", &self.above_initial),
            ("below_initial", &self.below_initial),
            ("at_initial", &self.at_initial),
            ("log10_richest_capital", &self.log10_richest_capital),
            ("richest_talent", &self.richest_talent),
        ] {
            out += &format!("{name},{},{},{}\n", s.mean, s.sd, s.std_error);
        }
        let p = &self.most_talented_is_richest;
        out += &format!("most_talented_is_richest,{},,{}\n", p.estimate, p.std_error);
        out
    }
}

/// Parameters of the non-spatial model (the `[talent_vs_luck_nonspatial]` section).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct TalentLuckNonSpatialSpec {
    /// Talent `T`, clamped to `[0, 1]`. Default `Normal(0.6, 0.1)`.
    #[serde(deserialize_with = "Law::number_or_table")]
    pub talent: Law,
    /// Initial capital `C0`, > 0. Default 10.
    pub initial_capital: f64,
    /// Chance of an event each step, in `[0, 1]`. Default 0.038: in the spatial
    /// model's default world an agent meets an event in a step with chance
    /// `1 - exp(-500 π 1² / 201²) ≈ 0.038`.
    pub p_event: f64,
    /// Chance an event is lucky, in `[0, 1]`. Default 0.5.
    pub p_lucky: f64,
    /// Steps `n`, in `[1, 100000]`. Default 80.
    pub steps: u32,
}

impl Default for TalentLuckNonSpatialSpec {
    fn default() -> Self {
        TalentLuckNonSpatialSpec {
            talent: Law::Normal { mean: 0.6, sd: 0.1 },
            initial_capital: 10.0,
            p_event: 0.038,
            p_lucky: 0.5,
            steps: 80,
        }
    }
}

impl TalentLuckNonSpatialSpec {
    /// `E[C_n] = C0 E_T[(1 + a - b/2)^n]` with `a = p_event p_lucky T`,
    /// `b = p_event (1 - p_lucky)`: exact for a fixed talent, by quadrature over
    /// the clamped talent distribution otherwise.
    pub fn exact_mean_capital(&self) -> f64 {
        let b = self.p_event * (1.0 - self.p_lucky);
        let n = self.steps as i32;
        self.initial_capital
            * self.talent.expectation(0.0, 1.0, |t| (1.0 + self.p_event * self.p_lucky * t - b / 2.0).powi(n))
    }
}

/// The non-spatial Talent vs Luck model, validated.
#[derive(Debug, Clone)]
pub struct TalentLuckNonSpatialModel {
    spec: TalentLuckNonSpatialSpec,
    talent: TraitSampler,
}

impl TalentLuckNonSpatialModel {
    /// Validates the parameters.
    pub fn new(spec: TalentLuckNonSpatialSpec) -> Result<Self, FieldError> {
        spec.talent.validate("talent", 0.0, 1.0)?;
        positive("initial_capital", spec.initial_capital)?;
        within("initial_capital", spec.initial_capital, 0.0, 1e12)?;
        within("p_event", spec.p_event, 0.0, 1.0)?;
        within("p_lucky", spec.p_lucky, 0.0, 1.0)?;
        if !(1..=100_000).contains(&spec.steps) {
            return Err(FieldError::new("steps", spec.steps, "must lie in [1, 100000]"));
        }
        Ok(TalentLuckNonSpatialModel { talent: spec.talent.sampler(0.0, 1.0), spec })
    }

    /// The parameters.
    pub fn spec(&self) -> &TalentLuckNonSpatialSpec {
        &self.spec
    }
}

/// One agent of the non-spatial model.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Agent {
    /// Talent.
    pub talent: f64,
    /// Net doublings `k`: final capital is `C0 2^k`.
    pub doublings: i32,
}

impl TalentLuckNonSpatialModel {
    /// Draws one trial's outcome from `rng` (run by the runner on the
    /// trial's one stream, [`Source::Main`]).
    pub fn draw<R: Rng + ?Sized>(&self, rng: &mut R) -> Agent {
        let talent = self.talent.sample(rng);
        let a = self.spec.p_event * self.spec.p_lucky * talent;
        let b = self.spec.p_event * (1.0 - self.spec.p_lucky);
        let mut doublings = 0i32;
        for _ in 0..self.spec.steps {
            let u: f64 = rng.random();
            if u < a {
                doublings += 1;
            } else if u < a + b {
                doublings -= 1;
            }
        }
        Agent { talent, doublings }
    }
}

impl Model for TalentLuckNonSpatialModel {
    type Outcome = Agent;
    type Summary = NonSpatialSummary;
    type Report = NonSpatialReport;

    fn sample_trial(&self, streams: &TrialStreams) -> Agent {
        self.draw(&mut streams.rng(Source::Main))
    }

    fn report(&self, summary: &NonSpatialSummary) -> NonSpatialReport {
        summary.report(&self.spec)
    }

    fn new_summary(&self) -> NonSpatialSummary {
        NonSpatialSummary::default()
    }

    fn simulated_time(&self, _: &Agent) -> u64 {
        u64::from(self.spec.steps)
    }
}

impl Distribution<Agent> for TalentLuckNonSpatialModel {
    fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> Agent {
        self.draw(rng)
    }
}

/// Counts of agents by net doublings (exact).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NonSpatialSummary {
    doublings: BTreeMap<i32, u64>,
}

impl Summary<Agent> for NonSpatialSummary {
    fn record(&mut self, a: &Agent) {
        *self.doublings.entry(a.doublings).or_insert(0) += 1;
    }
    fn merge(&mut self, o: &Self) {
        for (&k, &c) in &o.doublings {
            *self.doublings.entry(k).or_insert(0) += c;
        }
    }
    fn trials(&self) -> u64 {
        self.doublings.values().sum()
    }
}

impl NonSpatialSummary {
    /// Mean final capital next to `E[C_n]`, and the shape of the distribution.
    pub(crate) fn report(&self, spec: &TalentLuckNonSpatialSpec) -> NonSpatialReport {
        let n = self.trials() as f64;
        let c0 = spec.initial_capital;
        let (mut s1, mut s2) = (0.0, 0.0);
        for (&k, &c) in &self.doublings {
            let x = c0 * 2f64.powi(k);
            s1 += c as f64 * x;
            s2 += c as f64 * x * x;
        }
        let mean = s1 / n;
        let var = (s2 / n - mean * mean) * n / (n - 1.0);
        let above: u64 = self.doublings.range(1..).map(|(_, &c)| c).sum();
        let pooled: Vec<(i32, u64)> = self.doublings.iter().map(|(&k, &c)| (k, c)).collect();
        NonSpatialReport {
            agents: self.trials(),
            mean_capital: mean,
            mean_std_error: (var / n).sqrt(),
            exact_mean_capital: spec.exact_mean_capital(),
            above_initial: Proportion::new(above, self.trials()),
            top20_share: top_share_of_doublings(&pooled, 0.2),
            top1_share: top_share_of_doublings(&pooled, 0.01),
        }
    }
}

/// What a non-spatial Talent vs Luck run found.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct NonSpatialReport {
    /// Agents simulated.
    pub agents: u64,
    /// Mean final capital.
    pub mean_capital: f64,
    /// Its standard error.
    pub mean_std_error: f64,
    /// `E[C_n]`.
    pub exact_mean_capital: f64,
    /// Probability of ending above initial capital.
    pub above_initial: Proportion,
    /// Share of capital held by the top 20% of all agents.
    pub top20_share: f64,
    /// Share held by the top 1%.
    pub top1_share: f64,
}

impl NonSpatialReport {
    /// A readable table.
    pub fn to_table(&self) -> String {
        format!(
            "{} agents:\n  mean final capital {:.4} +- {:.4} (SE)   exact E[C_n] {:.4}   ({:+.2} SE)\n  \
             P(above initial) {:.4} [{:.4}, {:.4}]   top 20% hold {:.3}   top 1% hold {:.3}\n",
            self.agents,
            self.mean_capital,
            self.mean_std_error,
            self.exact_mean_capital,
            (self.mean_capital - self.exact_mean_capital) / self.mean_std_error,
            self.above_initial.estimate,
            self.above_initial.wilson.lower,
            self.above_initial.wilson.upper,
            self.top20_share,
            self.top1_share
        )
    }

    /// CSV: one row per statistic.
    pub fn to_csv(&self) -> String {
        format!(
            "statistic,estimate,std_error,exact\nmean_capital,{},{},{}\nabove_initial,{},{},\ntop20_share,{},,\ntop1_share,{},,\n",
            self.mean_capital,
            self.mean_std_error,
            self.exact_mean_capital,
            self.above_initial.estimate,
            self.above_initial.std_error,
            self.top20_share,
            self.top1_share
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn world_statistics_of_a_known_population() {
        // Five agents: capitals 10 * 2^k for k = -1, 0, 0, 1, 3 -> 5, 10, 10, 20, 80 (total 125).
        let w = World::from_agents(10.0, &[0.5, 0.6, 0.9, 0.4, 0.7], vec![-1, 0, 0, 1, 3]);
        assert!((w.top20_share - 80.0 / 125.0).abs() < 1e-12);
        assert_eq!((w.above_initial, w.below_initial, w.at_initial), (0.4, 0.2, 0.4));
        assert_eq!(w.richest_capital, 80.0);
        assert_eq!(w.richest_talent, 0.7);
        assert!(!w.most_talented_is_richest);
        // Gini of (5, 10, 10, 20, 80): 2 * (5 + 20 + 30 + 80 + 400) / (5 * 125) - 6/5.
        assert!((w.gini - (2.0 * 535.0 / 625.0 - 1.2)).abs() < 1e-12);
    }

    #[test]
    fn refuses_impossible_worlds() {
        let too_many = TalentLuckSpec { agents: 10, world_size: 3, ..TalentLuckSpec::default() };
        assert_eq!(TalentLuckModel::new(too_many).unwrap_err().field, "agents");
        let wide = TalentLuckSpec { radius: 150.0, ..TalentLuckSpec::default() };
        assert_eq!(TalentLuckModel::new(wide).unwrap_err().field, "radius");
    }
}
