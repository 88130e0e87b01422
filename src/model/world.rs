//! Worlds of the platform model (issue 24): one trial is one platform of `N`
//! creators simulated day by day together, competing for the attention of
//! that world (not of a solved field).
//!
//! **Who enters.** Creator `i` of trial (world group) `g` draws talent,
//! effort and niche from the population, and an entry day
//! `a0 = floor(365 / g_e ln(1 + u (e^(g_e D / 365) - 1)))` from the entry
//! rate `lambda(a) = lambda0 exp(g_e a / 365)` on `[0, D)` (`u` uniform on
//! the [`Source::PlatformEntry`] stream; `floor(u D)` at `g_e = 0`), `D` the
//! platform's days (`competition.platform_days`). The scenario's
//! `population.entry_day` and `[observation]` are not used: every creator is
//! followed from entry to the platform's last day.
//!
//! **A day `a` of a world.** Creators entering on day `a` join; then every
//! active creator posting that day draws its posts and their weight
//! `w = r(e) q^kappa (1 + F / F0)^gamma sum_j L_j V_j`
//! ([`crate::model::career::world`]); the world's weight
//! `W_N(a) = sum w` is summed in fixed point (2^-20, each creator-day's
//! weight clamped at 2^40), so the sum is the same in any order and on any
//! number of threads; the price is
//!
//! `p(a) = A(a) / (W0 + (Lambda / N) W_N(a))`,
//!
//! with `Lambda = int_0^D lambda` the creators the full platform has: a world
//! of `N` creators is the platform scaled down by `N / Lambda` (its attention
//! and the rest of its feed too), so that worlds of every size have the same
//! price in expectation, and the field's ([`crate::model::platform`]) as
//! `N` grows. Then every poster's step 4 is paid at `p(a)`. With
//! `world.price = "field"` the price is the solved field's `p(a)` instead
//! (careers independent in the field: the comparison for the check that
//! worlds converge to the field).
//!
//! **Replicas.** With `world.replicas = R >= 2`, a trial is `R` worlds of the
//! same creators (same traits and entry days) on independent luck (branch
//! `r + 1` of each creator's streams, `r = 0..R`), as in Salganik, Dodds &
//! Watts (2006, Science 311:854)'s independent "worlds" of one music market.
//!
//! **What a trial reports** (means over its `R` worlds; intervals over
//! trials): the share of creators reaching each level by the platform's last
//! day (first passage); the Gini coefficient of final followers
//! `G = 2 sum_k k x_(k) / (N sum x) - (N + 1) / N` (`x_(k)` in increasing
//! order); the top-1% share (followers of the `ceil(N / 100)` largest over
//! all); and with `R >= 2`:
//! - **unpredictability** `U = mean over pairs r < r' of mean_i |s_ir - s_ir'|`,
//!   `s_ir = F_ir / sum_j F_jr` the creator's market share in world `r`
//!   (Salganik et al.'s measure, with followers as their downloads),
//!   reported as `N U` (relative to the mean share `1 / N`);
//! - **luck's share** of the variance of `y = ln(1 + F)`, by the variance
//!   components of a one-way random-effects model ([`luck_share`]): the
//!   variance of the same creator's `y` across worlds over that plus the
//!   variance of creators' mean `y`: 0 when the traits decide, 1 when the
//!   same creators' outcomes vary as much as different creators'.
//!
//! **Streams.** Creator `i` of trial `g` in part `k` of a study draws from
//! the keys `(seed, 2^48 + k 2^40 + g, i, source, branch)`: traits and entry
//! on branch 0, the luck of replica `r` on branch `r + 1`. No other part
//! of clout uses domains at or above 2^48.
//!
//! **Memory.** A world holds each creator's traits and entry day (48 bytes)
//! and final followers and levels (9 bytes), and a full career state (about
//! 500 bytes, [`CareerState`]) only while the creator is active; creators
//! done are dropped when they are half of the active set, so a world takes
//! at most `57 N + 2 x 600 x (most creators active at once)` bytes, below
//! `1.2 kB x N` (535 MB measured at `N = 10^6`, docs/PERFORMANCE.md).
//! [`MAX_CREATORS`] bounds `N`.

use crate::error::FieldError;
use crate::model::career::world::{WorldPace, WorldPosts};
use crate::model::career::{CareerModel, CareerSpec, CareerState, Creator, Stop};
use crate::model::platform::{CompetitionSpec, Field};
use crate::model::{Model, Summary};
use crate::random::{Source, TrialStreams};
use crate::stats::{Estimate, Moments};
use crate::tier::Level;
use rand::RngExt;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// The most creators a world may have.
pub const MAX_CREATORS: u64 = 10_000_000;
/// The most worlds of the same creators in a trial.
pub const MAX_REPLICAS: u32 = 16;
/// The first stream domain of worlds' creators (module docs).
pub const WORLD_DOMAIN: u64 = 1 << 48;
/// The next-post day of a creator with no post left (quit, or past the horizon).
const DONE: u32 = u32::MAX;
/// Fixed-point scale of a world's summed weight (2^20).
const SCALE: f64 = 1_048_576.0;
/// The largest weight one creator-day adds to a world's sum (2^40).
const MAX_WEIGHT: f64 = 1_099_511_627_776.0;

/// Which price a world's creators are paid at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WorldPrice {
    /// The world's own `A(a) / (W0 + (Lambda / N) W_N(a))` (module docs).
    #[default]
    Own,
    /// The solved field's `p(a)`: careers independent in the field.
    Field,
}

/// The `[world]` section of a Career scenario: run worlds (module docs).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct WorldSpec {
    /// `N`, creators in a world, in `[10, 1e7]`. Default 10,000.
    pub creators: u64,
    /// `R`, worlds of the same creators in a trial, in `[1, 16]`. Default 1.
    pub replicas: u32,
    /// The world's own price, or the solved field's. Default own.
    pub price: WorldPrice,
    /// Feeds to compare: each value of `gamma` (in `[0, 2]`, at most 8) runs
    /// the trial's worlds again, the same creators on the same luck (paired).
    /// Empty (the default): `competition.popularity_bias` alone.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub popularity_biases: Vec<f64>,
}

impl Default for WorldSpec {
    fn default() -> Self {
        WorldSpec { creators: 10_000, replicas: 1, price: WorldPrice::Own, popularity_biases: Vec::new() }
    }
}

impl WorldSpec {
    /// Checks every range; errors name the field.
    pub fn validate(&self) -> Result<(), FieldError> {
        if !(10..=MAX_CREATORS).contains(&self.creators) {
            return Err(FieldError::new(
                "creators",
                self.creators,
                format!("must lie in [10, {MAX_CREATORS}]"),
            ));
        }
        if !(1..=MAX_REPLICAS).contains(&self.replicas) {
            return Err(FieldError::new(
                "replicas",
                self.replicas,
                format!("must lie in [1, {MAX_REPLICAS}]"),
            ));
        }
        if self.popularity_biases.len() > 8 {
            return Err(FieldError::new(
                "popularity_biases",
                format!("({} values)", self.popularity_biases.len()),
                "must have at most 8 values",
            ));
        }
        for (k, &gamma) in self.popularity_biases.iter().enumerate() {
            crate::error::within(&format!("popularity_biases[{k}]"), gamma, 0.0, 2.0)?;
        }
        if !self.popularity_biases.is_empty() && self.price == WorldPrice::Field {
            return Err(FieldError::new(
                "price",
                "\"field\"",
                "cannot go with popularity_biases (the field is solved for competition.popularity_bias alone)",
            ));
        }
        Ok(())
    }
}

/// The world model, validated (module docs).
#[derive(Debug, Clone)]
pub struct WorldModel {
    /// The career model of each feed compared (one, without `popularity_biases`).
    careers: Vec<CareerModel>,
    spec: WorldSpec,
    competition: CompetitionSpec,
    /// The solved field, with `price = "field"`.
    field: Option<Arc<Field>>,
    levels: Vec<Level>,
}

/// A creator of a world before entry: the index, entry day and traits.
#[derive(Debug, Clone, Copy)]
struct Entrant {
    id: u32,
    day: u32,
    creator: Creator,
}

/// An active creator of a world.
struct Member {
    id: u32,
    day: u32,
    /// The creator's luck in this replica (its dormant decay at the end).
    luck: TrialStreams,
    state: CareerState,
    pace: WorldPace,
    posts: Option<WorldPosts>,
}

/// One world's end: every creator's final followers and levels reached.
struct WorldEnd {
    followers: Vec<u64>,
    levels: Vec<u8>,
    creator_days: u64,
}

impl WorldModel {
    /// The worlds of `spec` (its `[competition]` set; `field` the solved field
    /// when `world.price = "field"`). Refuses the Career options a world does
    /// not carry yet, in one line each.
    pub fn new(spec: CareerSpec, world: WorldSpec, field: Option<Arc<Field>>) -> Result<Self, FieldError> {
        world.validate().map_err(|e| e.within("world"))?;
        let competition = spec.competition.ok_or_else(|| {
            FieldError::new("competition", "(absent)", "a [world] needs a [competition] section")
        })?;
        let not_yet = |field: &str, value: String| {
            FieldError::new(field, value, "is not yet carried by worlds ([world]): leave it off")
        };
        if spec.platform.inactive_rate > 0.0 {
            return Err(not_yet("platform.inactive_rate", spec.platform.inactive_rate.to_string()));
        }
        let offsets = [
            ("platform.openness_offset_days", spec.platform.openness_offset_days),
            ("competition.price_offset_days", competition.price_offset_days),
        ];
        if let Some((field, days)) = offsets.into_iter().find(|&(_, days)| days != 0.0) {
            return Err(FieldError::new(
                field,
                days,
                "is not used by worlds ([world]): every creator of a world meets its own platform day; leave it off",
            ));
        }
        if spec.engagement.is_some() || spec.money.is_some() {
            return Err(not_yet("engagement", "(a section)".to_string()));
        }
        if world.price == WorldPrice::Field && field.as_ref().is_none_or(|f| f.is_openness()) {
            return Err(FieldError::new(
                "world.price",
                "\"field\"",
                "needs a solved field (competition.field = \"solved\")",
            ));
        }
        let gammas = if world.popularity_biases.is_empty() {
            vec![competition.popularity_bias]
        } else {
            world.popularity_biases.clone()
        };
        let careers = gammas
            .iter()
            .map(|&popularity_bias| {
                let competition = CompetitionSpec { popularity_bias, ..competition };
                let spec = CareerSpec { competition: Some(competition), ..spec };
                CareerModel::in_field(spec, Arc::new(Field::openness(competition)))
            })
            .collect::<Result<Vec<_>, _>>()?;
        let levels = spec.tiers.levels();
        Ok(WorldModel { careers, spec: world, competition, field, levels })
    }

    /// The `[world]` settings.
    pub fn spec(&self) -> &WorldSpec {
        &self.spec
    }

    /// `Lambda = int_0^D lambda(a) da`: creators the full platform has.
    pub fn entrants(&self) -> f64 {
        let c = &self.competition;
        let (d, g) = (f64::from(c.platform_days), c.entry_growth / 365.0);
        if g.abs() < 1e-12 { c.entry_rate * d } else { c.entry_rate * (g * d).exp_m1() / g }
    }

    /// The entry day for a uniform `u` (module docs).
    fn entry_day(&self, u: f64) -> u32 {
        let c = &self.competition;
        let (d, g) = (f64::from(c.platform_days), c.entry_growth / 365.0);
        let a = if g.abs() < 1e-12 { u * d } else { (u * (g * d).exp_m1()).ln_1p() / g };
        (a.max(0.0) as u32).min(c.platform_days - 1)
    }

    /// The streams of creator `id` of trial `streams` (module docs), branch 0.
    fn creator_streams(streams: &TrialStreams, id: u32) -> TrialStreams {
        let domain = WORLD_DOMAIN + (streams.domain() << 40) + streams.trial();
        TrialStreams::in_domain(streams.seed(), domain, u64::from(id))
    }

    /// The trial's creators, by entry day (then index).
    fn entrants_of(&self, streams: &TrialStreams) -> Vec<Entrant> {
        let n = self.spec.creators as u32;
        let mut entrants: Vec<Entrant> = (0..n)
            .into_par_iter()
            .with_min_len(4096)
            .map(|id| {
                let s = Self::creator_streams(streams, id);
                let day = self.entry_day(s.rng(Source::PlatformEntry).random());
                let creator = Creator { entry_day: f64::from(day), ..self.careers[0].sample_creator(&s) };
                Entrant { id, day, creator }
            })
            .collect();
        entrants.sort_by_key(|e| (e.day, e.id));
        entrants
    }

    /// One world of `entrants` on the luck of `replica` (module docs).
    /// Active creators sit in `active`, beside `next`, the platform day of
    /// each one's next post ([`DONE`] once it has none left), so a day
    /// touches the states of its posters only; those done are written to
    /// the world's end and dropped when they are half of `active`.
    fn world(
        &self,
        career: &CareerModel,
        streams: &TrialStreams,
        entrants: &[Entrant],
        replica: u32,
    ) -> WorldEnd {
        let n = entrants.len();
        let days = self.competition.platform_days;
        let scale = self.entrants() / n as f64;
        let mut end = WorldEnd { followers: vec![0; n], levels: vec![0; n], creator_days: 0 };
        let (mut active, mut next): (Vec<Member>, Vec<u32>) = (Vec::new(), Vec::new());
        let (mut entered, mut done) = (0, 0);
        for day in 0..days {
            let joining = entrants[entered..].partition_point(|e| e.day <= day);
            let joined: Vec<(Member, u32)> = entrants[entered..entered + joining]
                .par_iter()
                .with_min_len(256)
                .map(|e| self.member(career, streams, e, replica))
                .collect();
            for (m, d) in joined {
                done += usize::from(d == DONE);
                active.push(m);
                next.push(d);
            }
            entered += joining;
            let weight: u128 = active
                .par_iter_mut()
                .zip(next.par_iter())
                .with_min_len(1024)
                .filter(|(_, d)| **d == day)
                .map(|(m, _)| {
                    m.posts = career.world_posts(&mut m.state, &m.pace, day - m.day);
                    m.posts.map_or(0, |p| (p.weight().min(MAX_WEIGHT) * SCALE).round() as u128)
                })
                .sum();
            let price = match &self.field {
                Some(field) => field.prices()[day as usize],
                None => self.competition.price(day, scale * weight as f64 / SCALE),
            };
            done += active
                .par_iter_mut()
                .zip(next.par_iter_mut())
                .with_min_len(1024)
                .filter(|(_, d)| **d == day)
                .map(|(m, d)| {
                    if let Some(posts) = m.posts.take() {
                        career.world_follows(&mut m.state, &m.pace, posts, price);
                    }
                    *d = next_day(career, m);
                    usize::from(*d == DONE)
                })
                .sum::<usize>();
            if 2 * done > active.len().max(1024) {
                compact(career, &mut active, &mut next, &mut end);
                done = 0;
            }
        }
        for m in active {
            retire(career, m, &mut end);
        }
        end
    }

    /// Creator `e` entering a world on the luck of `replica`, and the platform day of its first post.
    fn member(
        &self,
        career: &CareerModel,
        streams: &TrialStreams,
        e: &Entrant,
        replica: u32,
    ) -> (Member, u32) {
        let luck = Self::creator_streams(streams, e.id).branch(u64::from(replica) + 1);
        let horizon = self.competition.platform_days - e.day;
        let state = career.entry_state(&luck, e.creator, horizon);
        let pace = career.world_pace(&state);
        let m = Member { id: e.id, day: e.day, luck, state, pace, posts: None };
        let d = next_day(career, &m);
        (m, d)
    }
}

/// The platform day of `m`'s next post, or [`DONE`].
fn next_day(career: &CareerModel, m: &Member) -> u32 {
    career.next_post_day(&m.state).map_or(DONE, |k| m.day + k)
}

/// Writes the creators done to the world's end and drops them.
fn compact(career: &CareerModel, active: &mut Vec<Member>, next: &mut Vec<u32>, end: &mut WorldEnd) {
    let (mut kept, mut kept_next) = (Vec::with_capacity(active.len()), Vec::with_capacity(next.len()));
    for (m, d) in active.drain(..).zip(next.drain(..)) {
        if d == DONE {
            retire(career, m, end);
        } else {
            kept.push(m);
            kept_next.push(d);
        }
    }
    *active = kept;
    *next = kept_next;
}

/// Writes a creator's end into `end`: the quiet days and reviews left to
/// the horizon first (it posts no more).
fn retire(career: &CareerModel, mut m: Member, end: &mut WorldEnd) {
    career.advance(&mut m.state, Stop::Horizon);
    let id = m.id as usize;
    end.followers[id] = career.world_end_followers(&m.state, &m.luck);
    end.levels[id] = career.reached_levels(&m.state);
    end.creator_days += u64::from(m.state.day());
}

/// The Gini coefficient of `x` (module docs); 0 when all are 0.
pub fn gini(x: &[u64]) -> f64 {
    let mut sorted = x.to_vec();
    sorted.sort_unstable();
    let n = sorted.len() as f64;
    let total: f64 = sorted.iter().map(|&v| v as f64).sum();
    if total == 0.0 {
        return 0.0;
    }
    let ranked: f64 = sorted.iter().enumerate().map(|(k, &v)| (k as f64 + 1.0) * v as f64).sum();
    2.0 * ranked / (n * total) - (n + 1.0) / n
}

/// The share of the total held by the largest `ceil(N / 100)` of `x`; 0 when all are 0.
pub fn top_share(x: &[u64]) -> f64 {
    let mut sorted = x.to_vec();
    sorted.sort_unstable_by(|a, b| b.cmp(a));
    let total: f64 = sorted.iter().map(|&v| v as f64).sum();
    if total == 0.0 {
        return 0.0;
    }
    let top = sorted.len().div_ceil(100);
    sorted[..top].iter().map(|&v| v as f64).sum::<f64>() / total
}

/// `N U`: Salganik et al.'s unpredictability of market shares across the
/// worlds `followers[r]` of the same creators, times `N` (module docs).
pub fn unpredictability(followers: &[Vec<u64>]) -> f64 {
    let shares: Vec<Vec<f64>> = followers
        .iter()
        .map(|f| {
            let total: f64 = f.iter().map(|&v| v as f64).sum();
            f.iter().map(|&v| if total > 0.0 { v as f64 / total } else { 0.0 }).collect()
        })
        .collect();
    let (r, n) = (shares.len(), shares[0].len());
    let mut sum = 0.0;
    for a in 0..r {
        for b in a + 1..r {
            sum += shares[a].iter().zip(&shares[b]).map(|(x, y)| (x - y).abs()).sum::<f64>() / n as f64;
        }
    }
    n as f64 * sum / (r * (r - 1) / 2) as f64
}

/// Luck's share of the variance of `ln(1 + F)` across the worlds
/// `followers[r]` of the same creators (module docs): the variance
/// components of a one-way random-effects model, `s_w^2 / (s_w^2 + s_b^2)`
/// with `s_w^2` the mean over creators of the variance of `y_ir` across
/// worlds (denominator `R - 1`) and `s_b^2 = var_i(mean_r y_ir) - s_w^2 / R`
/// (denominator `N - 1`; at least 0); 0 when nothing varies.
pub fn luck_share(followers: &[Vec<u64>]) -> f64 {
    let (r, n) = (followers.len(), followers[0].len());
    let y = |w: usize, i: usize| (followers[w][i] as f64).ln_1p();
    let (mut within, mut sum, mut sum_sq) = (0.0, 0.0, 0.0);
    for i in 0..n {
        let mean = (0..r).map(|w| y(w, i)).sum::<f64>() / r as f64;
        within += (0..r).map(|w| (y(w, i) - mean).powi(2)).sum::<f64>() / (r - 1) as f64;
        sum += mean;
        sum_sq += mean * mean;
    }
    let within = within / n as f64;
    let means = (sum_sq - sum * sum / n as f64) / (n as f64 - 1.0);
    let between = (means - within / r as f64).max(0.0);
    if within + between > 0.0 { within / (within + between) } else { 0.0 }
}

/// One feed's statistics in a trial, each a mean over its replicas.
#[derive(Debug, Clone, PartialEq)]
pub struct WorldStats {
    /// The share of creators reaching each level, in the slot order of the levels.
    pub reached: Vec<f64>,
    /// Gini of final followers.
    pub gini: f64,
    /// The top 1%'s share of followers.
    pub top_share: f64,
    /// `N U` (with replicas).
    pub unpredictability: Option<f64>,
    /// Luck's share of the variance of `ln(1 + F)` (with replicas).
    pub luck_share: Option<f64>,
}

/// One trial: each feed's statistics (in the order of `popularity_biases`).
#[derive(Debug, Clone, PartialEq)]
pub struct WorldOutcome {
    /// A feed each.
    pub feeds: Vec<WorldStats>,
    /// Active creator-days simulated.
    pub creator_days: u64,
}

impl WorldModel {
    /// The trial's worlds under `career`'s feed.
    fn feed(&self, career: &CareerModel, streams: &TrialStreams, entrants: &[Entrant]) -> (WorldStats, u64) {
        let n = entrants.len() as f64;
        let r = self.spec.replicas;
        let mut stats = WorldStats {
            reached: vec![0.0; self.levels.len()],
            gini: 0.0,
            top_share: 0.0,
            unpredictability: None,
            luck_share: None,
        };
        let mut creator_days = 0;
        let mut worlds = Vec::with_capacity(r as usize);
        for replica in 0..r {
            let end = self.world(career, streams, entrants, replica);
            for (slot, reached) in stats.reached.iter_mut().enumerate() {
                let count = end.levels.iter().filter(|&&b| b & (1 << slot) != 0).count();
                *reached += count as f64 / n / f64::from(r);
            }
            stats.gini += gini(&end.followers) / f64::from(r);
            stats.top_share += top_share(&end.followers) / f64::from(r);
            creator_days += end.creator_days;
            worlds.push(end.followers);
        }
        if r >= 2 {
            stats.unpredictability = Some(unpredictability(&worlds));
            stats.luck_share = Some(luck_share(&worlds));
        }
        (stats, creator_days)
    }
}

impl Model for WorldModel {
    type Outcome = WorldOutcome;
    type Summary = WorldSummary;
    type Report = WorldReport;

    fn sample_trial(&self, streams: &TrialStreams) -> WorldOutcome {
        let entrants = self.entrants_of(streams);
        let mut outcome = WorldOutcome { feeds: Vec::new(), creator_days: 0 };
        for career in &self.careers {
            let (stats, days) = self.feed(career, streams, &entrants);
            outcome.feeds.push(stats);
            outcome.creator_days += days;
        }
        outcome
    }

    fn new_summary(&self) -> WorldSummary {
        let feed = FeedSummary {
            reached: vec![Moments::new(); self.levels.len()],
            gini: Moments::new(),
            top_share: Moments::new(),
            unpredictability: Moments::new(),
            luck_share: Moments::new(),
        };
        WorldSummary { feeds: vec![feed; self.careers.len()] }
    }

    fn report(&self, summary: &WorldSummary) -> WorldReport {
        let estimate = |m: &Moments| {
            m.mean_estimate().unwrap_or(Estimate::normal(m.mean().unwrap_or(f64::NAN), f64::NAN, 0.95))
        };
        let optional = |m: &Moments| (m.count() > 0).then(|| estimate(m));
        let feeds = self
            .careers
            .iter()
            .zip(&summary.feeds)
            .map(|(career, s)| FeedReport {
                popularity_bias: career.spec().competition.map_or(0.0, |c| c.popularity_bias),
                levels: self
                    .levels
                    .iter()
                    .zip(&s.reached)
                    .map(|(l, m)| WorldLevel {
                        name: l.name.clone(),
                        followers: l.followers,
                        share: estimate(m),
                    })
                    .collect(),
                gini: estimate(&s.gini),
                top_share: estimate(&s.top_share),
                unpredictability: optional(&s.unpredictability),
                luck_share: optional(&s.luck_share),
            })
            .collect();
        WorldReport {
            trials: summary.trials(),
            creators: self.spec.creators,
            replicas: self.spec.replicas,
            price: self.spec.price,
            feeds,
        }
    }

    fn simulated_time(&self, outcome: &WorldOutcome) -> u64 {
        outcome.creator_days
    }
}

/// The moments over trials of each statistic of one feed ([`WorldStats`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeedSummary {
    reached: Vec<Moments>,
    gini: Moments,
    top_share: Moments,
    unpredictability: Moments,
    luck_share: Moments,
}

/// The moments over trials of every feed's statistics.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorldSummary {
    feeds: Vec<FeedSummary>,
}

impl Summary<WorldOutcome> for WorldSummary {
    fn record(&mut self, o: &WorldOutcome) {
        for (f, stats) in self.feeds.iter_mut().zip(&o.feeds) {
            for (m, &x) in f.reached.iter_mut().zip(&stats.reached) {
                m.record(x);
            }
            f.gini.record(stats.gini);
            f.top_share.record(stats.top_share);
            if let (Some(u), Some(l)) = (stats.unpredictability, stats.luck_share) {
                f.unpredictability.record(u);
                f.luck_share.record(l);
            }
        }
    }
    fn merge(&mut self, other: &Self) {
        for (f, g) in self.feeds.iter_mut().zip(&other.feeds) {
            for (a, b) in f.reached.iter_mut().zip(&g.reached) {
                a.merge(b);
            }
            f.gini.merge(&g.gini);
            f.top_share.merge(&g.top_share);
            f.unpredictability.merge(&g.unpredictability);
            f.luck_share.merge(&g.luck_share);
        }
    }
    fn trials(&self) -> u64 {
        self.feeds.first().map_or(0, |f| f.gini.count())
    }
    /// Every statistic of every feed counts every trial (the replicas' two, none or all).
    fn check(&self) -> Result<(), String> {
        let n = self.trials();
        for f in &self.feeds {
            let counts = f.reached.iter().chain([&f.gini, &f.top_share]).map(Moments::count);
            if counts.into_iter().any(|c| c != n) {
                return Err(format!("a statistic does not count its {n} trials"));
            }
            let u = f.unpredictability.count();
            if (u != 0 && u != n) || f.luck_share.count() != u {
                return Err(format!("unpredictability counts {u} of its {n} trials"));
            }
        }
        Ok(())
    }
    fn same_shape(&self, other: &Self) -> bool {
        self.feeds.len() == other.feeds.len()
            && self.feeds.iter().zip(&other.feeds).all(|(a, b)| a.reached.len() == b.reached.len())
    }
}

/// One level's share of creators reaching it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WorldLevel {
    /// The level's name.
    pub name: String,
    /// Its followers.
    pub followers: u64,
    /// The share of a world's creators reaching it, mean over trials.
    pub share: Estimate,
}

/// What one feed's worlds found (intervals over trials).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FeedReport {
    /// `gamma`.
    pub popularity_bias: f64,
    /// Each level's share of creators reaching it.
    pub levels: Vec<WorldLevel>,
    /// Gini of final followers.
    pub gini: Estimate,
    /// The top 1%'s share of followers.
    pub top_share: Estimate,
    /// `N U` (replicas >= 2).
    pub unpredictability: Option<Estimate>,
    /// Luck's share of the variance of `ln(1 + F)` (replicas >= 2).
    pub luck_share: Option<Estimate>,
}

/// What the worlds found, a feed each.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WorldReport {
    /// Trials (groups of `replicas` worlds a feed).
    pub trials: u64,
    /// Creators in a world.
    pub creators: u64,
    /// Worlds of the same creators in a trial.
    pub replicas: u32,
    /// The price the worlds paid at.
    pub price: WorldPrice,
    /// A feed each (`popularity_biases`, or the scenario's one).
    pub feeds: Vec<FeedReport>,
}

impl FeedReport {
    /// The statistics, a row each: `(name, estimate)`.
    fn rows(&self) -> Vec<(String, Estimate)> {
        let mut rows: Vec<(String, Estimate)> = self
            .levels
            .iter()
            .map(|l| (format!("share reaching {} ({})", l.name, l.followers), l.share))
            .collect();
        rows.push(("Gini of final followers".into(), self.gini));
        rows.push(("top 1% share of followers".into(), self.top_share));
        if let Some(u) = self.unpredictability {
            rows.push(("unpredictability N U".into(), u));
        }
        if let Some(l) = self.luck_share {
            rows.push(("luck's share of var ln(1+F)".into(), l));
        }
        rows
    }
}

impl WorldReport {
    /// A readable table, a block a feed.
    pub fn to_table(&self) -> String {
        let price = match self.price {
            WorldPrice::Own => "each world's own",
            WorldPrice::Field => "the solved field's",
        };
        let mut out = format!(
            "{} trials of {} world(s) of {} creators a feed, paid at {price} price; 95% intervals over trials:\n",
            self.trials, self.replicas, self.creators
        );
        for feed in &self.feeds {
            out += &format!("popularity bias gamma = {}:\n", feed.popularity_bias);
            for (name, e) in feed.rows() {
                out += &format!(
                    "  {name:<34} {:.6}  [{:.6}, {:.6}]  SE {:.2e}\n",
                    e.value, e.lower, e.upper, e.std_error
                );
            }
        }
        out
    }

    /// CSV: one row per feed and statistic.
    pub fn to_csv(&self) -> String {
        let mut out = String::from("popularity_bias,statistic,estimate,std_error,lower,upper\n");
        for feed in &self.feeds {
            for (name, e) in feed.rows() {
                out += &format!(
                    "{},{name},{},{},{},{}\n",
                    feed.popularity_bias, e.value, e.std_error, e.lower, e.upper
                );
            }
        }
        out
    }
}
