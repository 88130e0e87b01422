//! Forecasts from a creator's own follower history: what the history says
//! about the creator's unobserved traits, and their chances from here.
//!
//! # The observation model
//!
//! A history is a list of career days `t_j` and counts `D_j` as a platform
//! shows them ([`history`]); a shown count stands for the interval
//! `[lo_j, hi_j)` of true counts that round to it. The count shown is the
//! rounding of `Y_j`, where `Y_j + 1 = (F_{t_j} + 1) e^{eta_j}`,
//! `eta_j ~ Normal(0, sigma^2)` independent, `F_t` the career's followers
//! after day `t`, and `sigma` the *noise* ([`ForecastSpec::noise`]), so
//!
//!   `P(D_j | F) = Phi((ln(hi_j + 1) - ln(F + 1)) / sigma) - Phi((ln(lo_j + 1) - ln(F + 1)) / sigma)`.
//!
//! The noise is an assumption, not a published figure: it stands for
//! counts read at another hour than the day's end, and for what the model
//! does not capture (Wilkinson 2013, "Approximate Bayesian computation
//! (ABC) gives exact results under the assumption of model error",
//! Statistical Applications in Genetics and Molecular Biology 12(2): with
//! this error made part of the model, the posterior below is exact, not
//! approximate). The creator is also known to be still posting on the last
//! day of the history (they are the one asking): careers that quit before
//! it have likelihood 0.
//!
//! # The posterior, by a sequential Monte Carlo sampler
//!
//! The unknowns are the traits the history does not state (talent, niche,
//! effort unless posts a week are given, the entry day unless the platform's
//! age is given), written `theta`, and the career's luck `u` (its keyed
//! streams, [`crate::random`]): the path `F = F(theta, u)` is a fixed
//! function of both, so the posterior of `(theta, u)` is
//! `pi(theta, u) ∝ p(theta) p(u) L(theta, u)`, `L = prod_j P(D_j | F_{t_j}(theta, u))`.
//! It is sampled by an SMC sampler with adaptive tempering (Del Moral,
//! Doucet & Jasra 2006, JRSS B 68(3); Jasra, Stephens, Doucet & Tsagaris
//! 2011, Scand. J. Statist. 38(1)) through `pi_beta ∝ p(theta) p(u) L^beta`,
//! `beta` from 0 to 1:
//!
//! 1. `N` particles from the population given "still posting on the last
//!    day" (drawn by rejection), `beta = 0`.
//! 2. The next `beta' > beta` is the one whose incremental weights
//!    `L^(beta' - beta)` have an effective sample size of `N / 2` (1 if
//!    that is still above `N / 2`), found by bisection; the particles are
//!    resampled systematically by those weights; the log evidence adds
//!    `ln mean_i L_i^(beta' - beta)`.
//! 3. Each particle then makes rounds of three Metropolis-Hastings moves
//!    that leave `pi_beta'` invariant: a Gaussian random walk of `theta`
//!    (on the log scale of log-normal traits; step `2.38 / sqrt(d)` times
//!    each coordinate's spread among the particles, Roberts & Rosenthal
//!    2001) *with the luck kept* (common random numbers: the same posts,
//!    reach and viral draws), accepted with
//!    `min(1, p(theta') L(theta', u)^beta / (p(theta) L(theta, u)^beta))`;
//!    the same for one coordinate alone, in turn, with step `2.38` times
//!    its spread (Metropolis within Gibbs: a trait the history hardly
//!    constrains, such as a niche far above the counts, then mixes over its
//!    whole range, which the joint step, sized for the constrained traits,
//!    does not; without it the shipped 104-row history's niche had a
//!    posterior 90th percentile of 111k at 300 particles against about
//!    260k from the population's law above the counts, and its chance of
//!    macro was 0.28% [0.08%, 0.96%] against 0.99% to 1.77% in four runs
//!    with it, at 300 and 1,000 particles, each interval overlapping the
//!    others, docs/guide/src/forecast.md);
//!    and a redraw of one luck channel from its prior (the channels in
//!    turn: post times, reach, viral posts, follows, unfollows, quitting;
//!    each channel is keyed on its own, [`crate::model::career::CareerLuck::per_channel`], so the
//!    others are kept), accepted with `min(1, (L(theta, u') / L(theta, u))^beta)`.
//!    The rounds are at least [`ForecastSpec::moves`], and enough that a
//!    particle stays put throughout with chance about 5% at the last
//!    step's acceptance, at most [`MAX_ROUNDS`].
//! 4. Repeat from 2 until `beta = 1`.
//!
//! The sampler runs [`ForecastSpec::replicates`] times on streams of their
//! own; their spread is the Monte Carlo error of every number reported
//! (sampler and futures together); a chance's interval is a score interval
//! at the effective size that spread implies (`chance_interval`).
//!
//! # The answers
//!
//! From each posterior particle's state on the last day of the history,
//! [`ForecastSpec::futures`] careers continue on new luck to `years` after
//! it. The chance of a level is the share of those careers that reach it
//! (the posterior predictive chance, a level already reached in the
//! particle's path counting as reached, as [`crate::model::career::conditional`]
//! does). Its interval is the replicates' `t` interval. Beside it, the
//! posterior standard deviation of the creator's own chance `p(theta, state)`
//! (what the history leaves unknown about them), estimated without the
//! futures' binomial noise: `Var = mean_i h_i (h_i - 1) / (R (R - 1)) - p^2`
//! for `h_i` hits of `R` futures of particle `i` (an unbiased estimate of
//! `E[p^2]`, by the law of total variance).
//!
//! A history the model cannot produce is reported as such: if, for some
//! row, the posterior median of its standardized residual (the distance of
//! `ln(F + 1)` from the row's interval, in units of the noise) is beyond
//! [`MISFIT_SD`], or the sampler cannot reach `beta = 1` in
//! [`MAX_STEPS`] steps, the answer names the row and gives no posterior.

pub mod history;
pub mod predictive;

use crate::dist::Law;
use crate::error::FieldError;
use crate::model::career::trajectory::DayList;
use crate::model::career::{
    CareerModel, CareerSpec, CareerState, Creator, MAX_DAYS, Observation, Stop, Stopped, TrajectorySpec,
};
use crate::model::inputs::Levels;
use crate::random::{Source, TrialStreams};
use history::{History, Row};
use rand::RngExt;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

/// The first stream domain of forecasts: replicate `r` draws from domain
/// `DOMAIN + r`, apart from every study's parts (0, 1, 2).
pub const DOMAIN: u64 = 1 << 20;
/// The most tempering steps a replicate takes before the history is
/// declared one the model cannot produce.
pub const MAX_STEPS: usize = 200;
/// A row whose posterior median residual is beyond this many noise
/// standard deviations is one the model cannot produce: a correct model
/// puts a row there with chance 6e-7 (two-sided normal tail at 5).
pub const MISFIT_SD: f64 = 5.0;
/// The most rounds of moves after one resampling (module docs, step 3).
pub const MAX_ROUNDS: usize = 12;
/// Candidates a particle draws from the population before the history is
/// declared one no creator stays active through.
const MAX_CANDIDATES: u64 = 10_000;
/// Days of the forecast's bands (followers' quantiles), evenly spread.
const BAND_DAYS: u32 = 24;

/// How a forecast is computed.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ForecastSpec {
    /// Particles per replicate, in `[20, 1e5]`. Default 300.
    pub particles: usize,
    /// Independent replicates of the sampler, in `[2, 64]`. Default 4.
    pub replicates: usize,
    /// The fewest rounds of moves (one of the traits, one of the luck) after
    /// each resampling, in `[1, 12]`; more when few are accepted
    /// ([`MAX_ROUNDS`]). Default 6, so each luck channel is redrawn once.
    pub moves: usize,
    /// `sigma`, the noise of a shown count on the log scale, in
    /// `[0.001, 2]`. Default 0.2 (an assumption: module docs, and docs/VALIDATION.md for why not smaller).
    pub noise: f64,
    /// Years forecast after the last row, in `(0, 100]`. Default 3.
    pub years: f64,
    /// Careers continued from each posterior particle, in `[2, 1000]`. Default 8.
    pub futures: usize,
    /// The seed of every stream.
    pub seed: u64,
}

impl Default for ForecastSpec {
    fn default() -> Self {
        ForecastSpec {
            particles: 300,
            replicates: 4,
            moves: 6,
            noise: 0.2,
            years: 3.0,
            futures: 8,
            seed: 2026,
        }
    }
}

impl ForecastSpec {
    fn validate(&self) -> Result<(), FieldError> {
        let whole = |name: &str, v: usize, lo: usize, hi: usize| {
            if (lo..=hi).contains(&v) {
                Ok(())
            } else {
                Err(FieldError::new(name, v, format!("must lie in [{lo}, {hi}]")))
            }
        };
        whole("particles", self.particles, 20, 100_000)?;
        whole("replicates", self.replicates, 2, 64)?;
        whole("moves", self.moves, 1, MAX_ROUNDS)?;
        whole("futures", self.futures, 2, 1000)?;
        crate::error::within("noise", self.noise, 0.001, 2.0)?;
        crate::error::within("years", self.years, 0.0, 100.0)?;
        if self.years <= 0.0 {
            return Err(FieldError::new("years", self.years, "must be > 0"));
        }
        Ok(())
    }
}

/// Traits the creator states, beside their history.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct Known {
    /// Posts a week (the history's `posts_per_week`), fixing effort.
    pub effort: Option<f64>,
    /// The platform's age (days) on the creator's first day, fixing the entry day.
    pub entry_day: Option<f64>,
}

/// One free trait: where it sits in a [`Creator`], and its population law
/// (sampled on the log scale when log-normal).
#[derive(Debug, Clone, Copy)]
struct Coordinate {
    index: usize,
    law: Law,
}

impl Coordinate {
    fn log(&self) -> bool {
        matches!(self.law, Law::LogNormal { .. })
    }
    /// The log prior density of coordinate `z`, up to a constant.
    fn ln_prior(&self, z: f64) -> f64 {
        match self.law {
            Law::Normal { mean, sd } => -0.5 * ((z - mean) / sd).powi(2),
            Law::LogNormal { median, sigma } => -0.5 * ((z - median.ln()) / sigma).powi(2),
            Law::Uniform { low, high } => {
                if (low..=high).contains(&z) {
                    0.0
                } else {
                    f64::NEG_INFINITY
                }
            }
            law => law.ln_pdf(z),
        }
    }
    fn value(&self, z: f64) -> f64 {
        if self.log() { z.exp() } else { z }
    }
    fn draw(&self, rng: &mut crate::random::StreamRng) -> f64 {
        let x = self.law.sample(rng);
        if self.log() { x.ln() } else { x }
    }
}

/// One particle: the free traits' coordinates, the luck, the log likelihood.
#[derive(Debug, Clone, Copy)]
struct Particle {
    z: [f64; 4],
    /// The streams of each luck channel, in the order of [`Source::LUCK`].
    luck: [TrialStreams; 6],
    loglik: f64,
}

/// What a stream key of a forecast is for (the top byte of its trial index).
#[derive(Clone, Copy)]
enum Purpose {
    Candidate = 1,
    Move = 2,
    Luck = 3,
    Resample = 4,
    Future = 5,
}

/// The trial index of a forecast's stream: purpose, a counter, a particle slot.
fn key(purpose: Purpose, counter: u64, slot: usize) -> u64 {
    ((purpose as u64) << 56) | ((counter & 0xFFFF_FFFF) << 24) | (slot as u64 & 0xFF_FFFF)
}

/// `ln Q(x)`, `Q` the standard normal's upper tail, accurate far into it.
fn ln_upper_tail(x: f64) -> f64 {
    if x < 30.0 {
        (0.5 * statrs::function::erf::erfc(x / std::f64::consts::SQRT_2)).ln()
    } else {
        // Mills ratio series: Q(x) = phi(x) / x (1 - 1/x^2 + 3/x^4 - ...).
        let x2 = x * x;
        -0.5 * x2 - (x * (2.0 * std::f64::consts::PI).sqrt()).ln() + (1.0 - 1.0 / x2 + 3.0 / (x2 * x2)).ln()
    }
}

/// `ln(Phi(b) - Phi(a))` for `a < b`, stable in both tails.
fn ln_normal_interval(a: f64, b: f64) -> f64 {
    if a >= 0.0 {
        let (qa, qb) = (ln_upper_tail(a), ln_upper_tail(b));
        qa + (-(qb - qa).exp()).ln_1p()
    } else if b <= 0.0 {
        ln_normal_interval(-b, -a)
    } else {
        (1.0 - ln_upper_tail(-a).exp() - ln_upper_tail(b).exp()).max(f64::MIN_POSITIVE).ln()
    }
}

/// A row on the log scale: `(day, ln(lo + 1), ln(hi + 1), line, shown)`.
#[derive(Debug, Clone, Copy)]
struct Seen {
    day: u32,
    ln_low: f64,
    ln_high: f64,
}

/// A forecast from a history, ready to run ([`Forecaster::run`]).
#[derive(Debug, Clone)]
pub struct Forecaster {
    career: CareerModel,
    history: History,
    spec: ForecastSpec,
    known: Known,
    coords: Vec<Coordinate>,
    base: Creator,
    seen: Vec<Seen>,
    horizon: u32,
}

/// What a forecast found.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ForecastReport {
    /// The settings it ran with.
    pub spec: ForecastSpec,
    /// The traits stated beside the history.
    pub known: Known,
    /// The history read, in order of day.
    pub history: Vec<Row>,
    /// The career day of the forecast's end: the last row's day plus `years`.
    pub horizon_day: u32,
    /// Whether the model can produce the history, and if not, where it breaks.
    pub verdict: Verdict,
    /// Each trait's posterior beside the population (empty when the model
    /// cannot produce the history).
    pub traits: Vec<TraitPosterior>,
    /// The chance of each level within `years` (empty when the model cannot
    /// produce the history).
    pub levels: Vec<LevelForecast>,
    /// Followers' quantiles on days from the last row to the horizon.
    pub bands: Vec<Band>,
    /// The creator's naive extrapolation: their recent growth, per day, on
    /// the log scale (`None` when the history gives no growth to extrapolate).
    pub naive_growth_per_day: Option<f64>,
    /// How the sampler went.
    pub fit: Fit,
}

/// Whether the model can produce the history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Verdict {
    /// It can: the posterior's median residual of every row is within [`MISFIT_SD`].
    Fits,
    /// It cannot: the row that breaks it.
    CannotProduce {
        /// The row's line in the file.
        line: usize,
        /// Its career day.
        day: u32,
        /// The count shown.
        shown: f64,
        /// The posterior median of the careers' followers that day.
        closest: f64,
        /// The posterior median residual, in noise standard deviations.
        residual_sd: f64,
        /// Why, in words.
        reason: String,
    },
}

/// One trait's posterior.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TraitPosterior {
    /// `talent`, `effort`, `entry_day` or `niche`.
    pub name: String,
    /// The value, when stated or fixed by the population (no posterior).
    pub fixed: Option<f64>,
    /// Posterior 10th, 50th and 90th percentiles (clamped values).
    pub p10: f64,
    /// Posterior median.
    pub p50: f64,
    /// Posterior 90th percentile.
    pub p90: f64,
    /// The population's median.
    pub population_p50: f64,
    /// Where the posterior median sits in the population, in percent
    /// (`None` for a fixed trait).
    pub population_percentile: Option<f64>,
}

/// The chance of one level within the forecast's years.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LevelForecast {
    /// The level's name (`micro`, `100k`).
    pub name: String,
    /// Its follower threshold.
    pub threshold: f64,
    /// Whether it is the scenario's goal (or `--target`).
    pub goal: bool,
    /// Whether the history's last count shows it reached already.
    pub reached_already: bool,
    /// The posterior predictive chance of reaching it by the horizon.
    pub chance: f64,
    /// Its Monte Carlo standard error (the replicates' spread).
    pub std_error: f64,
    /// 95% interval: Korn & Graubard's score interval with the design's
    /// effective size (see `chance_interval`).
    pub lower: f64,
    /// Upper end.
    pub upper: f64,
    /// The posterior standard deviation of the creator's own chance.
    pub posterior_sd: f64,
    /// The career day the naive extrapolation reaches it (`None`: never).
    pub naive_day: Option<f64>,
}

/// Followers' quantiles among the forecast's careers on one day.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Band {
    /// Career day.
    pub day: u32,
    /// 5th percentile.
    pub p05: f64,
    /// 25th.
    pub p25: f64,
    /// Median.
    pub p50: f64,
    /// 75th.
    pub p75: f64,
    /// 95th.
    pub p95: f64,
}

/// How the sampler went, per replicate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Fit {
    /// Tempering steps taken.
    pub steps: Vec<usize>,
    /// Log evidence `ln p(history)` (up to the rounding's constant).
    pub log_evidence: Vec<f64>,
    /// Share of trait moves accepted.
    pub trait_acceptance: Vec<f64>,
    /// Share of luck refreshes accepted.
    pub luck_acceptance: Vec<f64>,
    /// The largest posterior median residual over the rows, in noise sds.
    pub worst_residual_sd: f64,
    /// The line of that row.
    pub worst_line: usize,
}

/// One replicate's particles at `beta = 1`, with its diagnostics.
struct Replicate {
    particles: Vec<Particle>,
    steps: usize,
    log_evidence: f64,
    accepted: [u64; 2],
    tried: u64,
}

/// Every replicate's particles at `beta = 1`, and how the sampler went.
type Sampled = (Vec<Vec<Particle>>, Fit);

/// Why a replicate could not finish.
enum Stall {
    /// No creator of the population stays active through the history.
    NobodyActive,
    /// `beta` did not reach 1 in [`MAX_STEPS`] steps: the exponent reached
    /// and the particles there.
    Steps(f64, Vec<Particle>),
}

impl Forecaster {
    /// A forecast of `history` under the Career model `spec` (its
    /// observation is replaced by a cohort followed to `years` after the
    /// last row). Errors name the setting. A spec with `[competition]`
    /// needs its field: [`Forecaster::in_field_of`].
    pub fn new(
        spec: CareerSpec,
        history: History,
        known: Known,
        settings: ForecastSpec,
    ) -> Result<Self, FieldError> {
        Self::build(spec, None, history, known, settings)
    }

    /// A forecast of `history` under `model`, in its field
    /// ([`CareerModel::with_spec`]: the field `model` faces, shared, not
    /// solved again): the creator's career, past and future, meets the
    /// platform's price of attention from their entry day on. The history
    /// and the years forecast must stay within the field's platform days.
    /// As [`Forecaster::new`] otherwise.
    pub fn in_field_of(
        model: &CareerModel,
        history: History,
        known: Known,
        settings: ForecastSpec,
    ) -> Result<Self, FieldError> {
        Self::build(*model.spec(), Some(model), history, known, settings)
    }

    fn build(
        spec: CareerSpec,
        model: Option<&CareerModel>,
        history: History,
        known: Known,
        settings: ForecastSpec,
    ) -> Result<Self, FieldError> {
        settings.validate()?;
        if !spec.population.correlation.is_off() {
            return Err(FieldError::new(
                "population.correlation",
                "(correlated traits)",
                "must be 0 for a forecast: its sampler moves each trait under its own population law, \
                 as independent",
            ));
        }
        let last = history.last();
        let horizon = f64::from(last.day) + (settings.years * 365.0).round();
        if horizon > f64::from(MAX_DAYS) {
            return Err(FieldError::new(
                "years",
                settings.years,
                format!(
                    "the history's last row (line {}, day {}) plus the years forecast must be within {MAX_DAYS} days",
                    last.line, last.day
                ),
            ));
        }
        let horizon = horizon as u32;
        let mut spec = spec;
        spec.observation = Observation::Cohort { horizon_days: horizon };
        spec.trajectory = TrajectorySpec { days: DayList::new(&[]).expect("an empty list is valid") };
        if let Some(e) = known.effort {
            spec.population.effort = Law::fixed(e).map_err(|e| e.within("effort"))?;
        }
        if let Some(a) = known.entry_day {
            crate::error::within("platform_day", a, 0.0, f64::from(MAX_DAYS))?;
            spec.population.entry_day = Law::fixed(a)?;
        }
        let career = match model {
            Some(model) => {
                spec.check_within_field()?;
                model.with_spec(spec)?
            }
            None => CareerModel::new(spec)?,
        };
        let p = &career.spec().population;
        let laws = [p.talent, p.effort, p.entry_day, p.niche];
        let mut base = Creator { talent: 0.0, effort: 0.0, entry_day: 0.0, niche: 0.0 };
        let mut coords = Vec::new();
        for (index, law) in laws.into_iter().enumerate() {
            match law {
                Law::Fixed { value } => base.set_input(index, value),
                law => coords.push(Coordinate { index, law }),
            }
        }
        let seen = history
            .rows
            .iter()
            .map(|r| Seen { day: r.day, ln_low: r.low.ln_1p(), ln_high: r.high.ln_1p() })
            .collect();
        Ok(Forecaster { career, history, spec: settings, known, coords, base, seen, horizon })
    }

    /// The settings.
    pub fn spec(&self) -> &ForecastSpec {
        &self.spec
    }

    /// The creator of coordinates `z`.
    fn creator(&self, z: &[f64; 4]) -> Creator {
        let mut c = self.base;
        for (k, co) in self.coords.iter().enumerate() {
            c.set_input(co.index, co.value(z[k]));
        }
        c
    }

    fn ln_prior(&self, z: &[f64; 4]) -> f64 {
        self.coords.iter().enumerate().map(|(k, co)| co.ln_prior(z[k])).sum()
    }

    /// `ln P(D_j | F)` for row `j` (module docs).
    fn ln_shown(&self, j: usize, followers: u64) -> f64 {
        let s = &self.seen[j];
        let x = (followers as f64).ln_1p();
        let sigma = self.spec.noise;
        ln_normal_interval((s.ln_low - x) / sigma, (s.ln_high - x) / sigma)
    }

    /// Row `j`'s residual for `followers`: the distance of `ln(F + 1)` from
    /// its interval in noise sds, positive when the career is above it.
    fn residual(&self, j: usize, followers: u64) -> f64 {
        let s = &self.seen[j];
        let x = (followers as f64).ln_1p();
        ((x - s.ln_high).max(0.0) - (s.ln_low - x).max(0.0)) / self.spec.noise
    }

    /// The career of `z` on `luck` walked through the history's days,
    /// calling `seen(row, followers)`: its log likelihood (minus infinity if
    /// the creator quits before the last row) and its state on the last day.
    fn walk(
        &self,
        z: &[f64; 4],
        luck: &[TrialStreams; 6],
        mut seen: impl FnMut(usize, u64),
    ) -> (f64, CareerState) {
        let mut state = self.career.entry_state_per_channel(luck, self.creator(z), self.horizon);
        let mut loglik = 0.0;
        for (j, s) in self.seen.iter().enumerate() {
            if self.career.advance(&mut state, Stop::Day(s.day)) == Stopped::Quit {
                return (f64::NEG_INFINITY, state);
            }
            seen(j, state.followers());
            loglik += self.ln_shown(j, state.followers());
        }
        (loglik, state)
    }

    /// Particle `slot` of replicate `domain` at `beta = 0`: the first of its
    /// candidates from the population who stays active through the history.
    fn initial(&self, domain: u64, slot: usize) -> Result<Particle, Stall> {
        for candidate in 0..MAX_CANDIDATES {
            let luck =
                TrialStreams::in_domain(self.spec.seed, domain, key(Purpose::Candidate, candidate, slot));
            let mut z = [0.0; 4];
            for (k, co) in self.coords.iter().enumerate() {
                let source = crate::model::career::CREATOR_TRAITS[co.index].1;
                z[k] = co.draw(&mut luck.rng(source));
            }
            let luck = [luck; 6];
            let (loglik, _) = self.walk(&z, &luck, |_, _| {});
            if loglik > f64::NEG_INFINITY {
                return Ok(Particle { z, luck, loglik });
            }
        }
        Err(Stall::NobodyActive)
    }
}

/// The effective sample size of weights `exp(delta * loglik_i)`.
fn ess(particles: &[Particle], delta: f64) -> f64 {
    let top = particles.iter().map(|p| delta * p.loglik).fold(f64::NEG_INFINITY, f64::max);
    let (mut s, mut s2) = (0.0, 0.0);
    for p in particles {
        let w = (delta * p.loglik - top).exp();
        s += w;
        s2 += w * w;
    }
    s * s / s2
}

/// Systematic resampling of `particles` by the weights `exp(delta *
/// loglik_i)`, with one uniform `u`; returns the resampled particles and
/// `ln mean_i w_i`.
fn resample(particles: &[Particle], delta: f64, u: f64) -> (Vec<Particle>, f64) {
    let n = particles.len();
    let top = particles.iter().map(|p| delta * p.loglik).fold(f64::NEG_INFINITY, f64::max);
    let w: Vec<f64> = particles.iter().map(|p| (delta * p.loglik - top).exp()).collect();
    let total: f64 = w.iter().sum();
    let mut out = Vec::with_capacity(n);
    let (mut cumulative, mut i) = (w[0] / total, 0);
    for k in 0..n {
        let point = (k as f64 + u) / n as f64;
        while point > cumulative && i + 1 < n {
            i += 1;
            cumulative += w[i] / total;
        }
        out.push(particles[i]);
    }
    (out, top + (total / n as f64).ln())
}

impl Forecaster {
    /// The next tempering exponent after `beta` (module docs, step 2).
    fn next_beta(&self, particles: &[Particle], beta: f64) -> f64 {
        let target = 0.5 * particles.len() as f64;
        if ess(particles, 1.0 - beta) >= target {
            return 1.0;
        }
        let (mut lo, mut hi) = (0.0, 1.0 - beta);
        for _ in 0..60 {
            let mid = 0.5 * (lo + hi);
            if ess(particles, mid) >= target { lo = mid } else { hi = mid }
        }
        // At least a sliver of progress, so the steps end.
        beta + lo.max(1e-12)
    }

    /// The random-walk step of each coordinate: `2.38 / sqrt(d)` times its
    /// spread among the particles (at least a thousandth of the prior's).
    fn scales(&self, particles: &[Particle]) -> [f64; 4] {
        let d = self.coords.len().max(1) as f64;
        let n = particles.len() as f64;
        let mut out = [0.0; 4];
        for (k, co) in self.coords.iter().enumerate() {
            let mean = particles.iter().map(|p| p.z[k]).sum::<f64>() / n;
            let var = particles.iter().map(|p| (p.z[k] - mean).powi(2)).sum::<f64>() / n;
            let prior_sd = match co.law {
                Law::Normal { sd, .. } => sd,
                Law::LogNormal { sigma, .. } => sigma,
                Law::Uniform { low, high } | Law::Beta { low, high, .. } => (high - low) / 12f64.sqrt(),
                Law::Fixed { .. } => 0.0,
            };
            out[k] = 2.38 / d.sqrt() * var.sqrt().max(1e-3 * prior_sd);
        }
        out
    }

    /// Module docs, step 3: the moves of particle `slot` at `beta`; returns
    /// it with the counts of accepted trait and luck moves.
    fn moved(
        &self,
        mut p: Particle,
        beta: f64,
        scales: &[f64; 4],
        (domain, step, rounds): (u64, usize, usize),
        slot: usize,
    ) -> (Particle, [u64; 2]) {
        let mut accepted = [0u64; 2];
        for round in 0..rounds {
            let counter = (step * MAX_ROUNDS + round) as u64;
            let mut rng = TrialStreams::in_domain(self.spec.seed, domain, key(Purpose::Move, counter, slot))
                .rng(Source::Inference);
            if !self.coords.is_empty() {
                let mut z = p.z;
                for (k, s) in scales.iter().enumerate().take(self.coords.len()) {
                    z[k] += s * rng.sample::<f64, _>(rand_distr::StandardNormal);
                }
                let u: f64 = rng.random();
                accepted[0] += u64::from(self.metropolis(&mut p, z, beta, u));
            }
            // One trait alone, in turn (module docs, step 3).
            if !self.coords.is_empty() {
                let k = round % self.coords.len();
                let mut z = p.z;
                let d = (self.coords.len() as f64).sqrt();
                z[k] += scales[k] * d * rng.sample::<f64, _>(rand_distr::StandardNormal);
                let u: f64 = rng.random();
                accepted[0] += u64::from(self.metropolis(&mut p, z, beta, u));
            }
            // One luck channel redrawn, in turn, the others kept.
            let mut luck = p.luck;
            luck[(step + round) % 6] =
                TrialStreams::in_domain(self.spec.seed, domain, key(Purpose::Luck, counter, slot));
            let (loglik, _) = self.walk(&p.z, &luck, |_, _| {});
            let u: f64 = rng.random();
            if loglik > f64::NEG_INFINITY && u.ln() < beta * (loglik - p.loglik) {
                p = Particle { luck, loglik, ..p };
                accepted[1] += 1;
            }
        }
        (p, accepted)
    }

    /// A Metropolis-Hastings step of the traits to `z` with the luck kept
    /// (module docs, step 3), accepted when `ln u` is below the log ratio of
    /// `p(theta) L(theta, u)^beta`; true if `p` moved.
    fn metropolis(&self, p: &mut Particle, z: [f64; 4], beta: f64, u: f64) -> bool {
        let prior = self.ln_prior(&z);
        if prior == f64::NEG_INFINITY {
            return false;
        }
        let (loglik, _) = self.walk(&z, &p.luck, |_, _| {});
        let ratio = prior - self.ln_prior(&p.z) + beta * (loglik - p.loglik);
        let moved = loglik > f64::NEG_INFINITY && u.ln() < ratio;
        if moved {
            p.z = z;
            p.loglik = loglik;
        }
        moved
    }

    /// Rounds of moves for the next step, from the share `a` of rounds in
    /// which a particle moved at the last one: enough that a particle stays
    /// put throughout with chance about 5%, `ln 0.05 / ln(1 - a)`, at least
    /// [`ForecastSpec::moves`] and at most [`MAX_ROUNDS`].
    fn rounds(&self, a: f64) -> usize {
        let a = a.clamp(1e-3, 0.99);
        ((0.05f64.ln() / (1.0 - a).ln()).ceil() as usize).clamp(self.spec.moves, MAX_ROUNDS)
    }

    /// One replicate of the sampler (module docs, steps 1-4).
    fn replicate(&self, r: usize) -> Result<Replicate, Stall> {
        let domain = DOMAIN + r as u64;
        let n = self.spec.particles;
        let mut particles =
            (0..n).into_par_iter().map(|i| self.initial(domain, i)).collect::<Result<Vec<_>, _>>()?;
        let (mut beta, mut log_evidence, mut accepted, mut tried) = (0.0, 0.0, [0u64; 2], 0u64);
        let mut rounds = self.spec.moves;
        for step in 0..MAX_STEPS {
            let next = self.next_beta(&particles, beta);
            let mut rng =
                TrialStreams::in_domain(self.spec.seed, domain, key(Purpose::Resample, step as u64, 0))
                    .rng(Source::Inference);
            let (resampled, increment) = resample(&particles, next - beta, rng.random());
            log_evidence += increment;
            beta = next;
            let scales = self.scales(&resampled);
            let moved: Vec<(Particle, [u64; 2])> = resampled
                .into_par_iter()
                .enumerate()
                .map(|(i, p)| self.moved(p, beta, &scales, (domain, step, rounds), i))
                .collect();
            particles = moved.iter().map(|m| m.0).collect();
            let mut this_step = 0;
            for (_, a) in &moved {
                accepted[0] += a[0];
                accepted[1] += a[1];
                this_step += a[0] + a[1];
            }
            tried += (n * rounds) as u64;
            rounds = self.rounds(this_step as f64 / (n * rounds) as f64);
            if beta >= 1.0 {
                return Ok(Replicate { particles, steps: step + 1, log_evidence, accepted, tried });
            }
        }
        Err(Stall::Steps(beta, particles))
    }
}

/// What one posterior particle gives: its residuals on the history's rows,
/// its creator, and its futures' hits and followers on the band days.
struct Walked {
    residuals: Vec<f64>,
    creator: Creator,
    hits: Vec<u32>,
    band_followers: Vec<u64>,
}

/// The 95% interval of a forecast chance `p`, the mean over `replicates`
/// independent particle sets of each set's share of futures that reach a
/// level, with standard error `se` from the replicates' spread.
///
/// The futures of one particle share its creator, so they are not `particles
/// x futures` independent trials. Korn & Graubard (1998, *Survey
/// Methodology* 24:193) give the interval for such a proportion: a score
/// interval (here Wilson's, [`crate::stats::wilson_at`]) at the design's
/// effective size `n* = p(1 - p) / se²`, shrunk by `(z / t)²` for the
/// replicates' few degrees of freedom (`t` the Student quantile that
/// `t_975` is) and never above the futures run. With no hit at all (`se =
/// 0`), the effective size is the particles, one per creator, so the upper
/// end is about `z² / particles`. Unlike `p -/+ t se`, it never reaches 0
/// while a future has reached the level and stays inside `[0, 1]`.
fn chance_interval(p: f64, se: f64, t_975: f64, particles: usize, futures: f64) -> crate::stats::Interval {
    let z = crate::stats::normal_quantile_two_sided(0.95);
    let most = particles as f64 * futures;
    let n = if p <= 0.0 || p >= 1.0 || se <= 0.0 {
        particles as f64
    } else {
        (p * (1.0 - p) / (se * se) * (z / t_975).powi(2)).min(most)
    };
    crate::stats::wilson_at(p, n, 0.95)
}

/// The `q`-quantile of sorted values (the lower of the two middle ones).
fn quantile_sorted(sorted: &[f64], q: f64) -> f64 {
    let n = sorted.len();
    sorted[((q * n as f64).floor() as usize).min(n - 1)]
}

fn sorted(mut values: Vec<f64>) -> Vec<f64> {
    values.sort_by(f64::total_cmp);
    values
}

impl Forecaster {
    /// Every replicate of the sampler, with its diagnostics.
    fn replicates(&self) -> Result<Sampled, Box<(Stall, Fit)>> {
        let mut fit = Fit::default();
        let mut replicates = Vec::with_capacity(self.spec.replicates);
        for r in 0..self.spec.replicates {
            match self.replicate(r) {
                Ok(rep) => {
                    fit.steps.push(rep.steps);
                    fit.log_evidence.push(rep.log_evidence);
                    fit.trait_acceptance.push(rep.accepted[0] as f64 / rep.tried as f64);
                    fit.luck_acceptance.push(rep.accepted[1] as f64 / rep.tried as f64);
                    replicates.push(rep.particles);
                }
                Err(stall) => return Err(Box::new((stall, fit))),
            }
        }
        Ok((replicates, fit))
    }

    /// The posterior's draws of the creator (traits clamped), every
    /// replicate's particles in order, or `None` if the sampler could not
    /// finish: what the simulation-based calibration ranks true traits among.
    pub fn posterior(&self) -> Option<Vec<Creator>> {
        let (replicates, _) = self.replicates().ok()?;
        Some(replicates.iter().flatten().map(|p| self.creator(&p.z).clamped()).collect())
    }

    /// The days of the bands: evenly spread from the last row to the horizon.
    fn band_days(&self) -> Vec<u32> {
        let last = self.history.last().day;
        let span = self.horizon - last;
        let mut days: Vec<u32> = (1..=BAND_DAYS)
            .map(|m| last + (u64::from(span) * u64::from(m)).div_ceil(u64::from(BAND_DAYS)) as u32)
            .collect();
        days.dedup();
        days
    }

    /// Particle `slot` of replicate `domain`: walked through the history
    /// again (the same career) and continued on new luck.
    fn walked(&self, p: &Particle, domain: u64, slot: usize, band_days: &[u32]) -> Walked {
        let mut residuals = vec![0.0; self.seen.len()];
        let (_, state) = self.walk(&p.z, &p.luck, |j, f| residuals[j] = self.residual(j, f));
        let levels = self.career.levels().len();
        let mut hits = vec![0u32; levels];
        let mut band_followers = Vec::with_capacity(self.spec.futures * band_days.len());
        for future in 0..self.spec.futures {
            let mut s = state.clone();
            s.reseed_luck(&TrialStreams::in_domain(
                self.spec.seed,
                domain,
                key(Purpose::Future, future as u64, slot),
            ));
            self.career.redraw_memoryless(&mut s);
            for &day in band_days {
                self.career.advance(&mut s, Stop::Day(day));
                band_followers.push(s.followers());
            }
            for (k, reached) in s.career().reached_day.iter().take(levels).enumerate() {
                hits[k] += u32::from(reached.is_some());
            }
        }
        Walked { residuals, creator: state.creator(), hits, band_followers }
    }

    /// Runs the forecast (module docs). Reproducible bit for bit from the
    /// seed on any number of threads.
    pub fn run(&self) -> ForecastReport {
        let (replicates, mut fit) = match self.replicates() {
            Ok(done) => done,
            Err(stalled) => return self.stalled(stalled.0, stalled.1),
        };
        let band_days = self.band_days();
        let walked: Vec<Vec<Walked>> = replicates
            .iter()
            .enumerate()
            .map(|(r, ps)| {
                ps.par_iter()
                    .enumerate()
                    .map(|(i, p)| self.walked(p, DOMAIN + r as u64, i, &band_days))
                    .collect()
            })
            .collect();
        let all: Vec<&Walked> = walked.iter().flatten().collect();
        let (worst_line, worst) = self.worst_row(&all);
        fit.worst_line = self.history.rows[worst_line].line;
        fit.worst_residual_sd = worst;
        if worst.abs() > MISFIT_SD {
            let verdict = self.cannot(
                worst_line,
                worst,
                &all,
                "no career the model gives comes within 5 noise sds of it",
            );
            return self.report(verdict, Vec::new(), Vec::new(), Vec::new(), fit);
        }
        let traits = self.traits(&all);
        let levels = self.levels(&walked);
        let bands = self.bands(&all, &band_days);
        self.report(Verdict::Fits, traits, levels, bands, fit)
    }

    /// The row with the largest posterior median residual, and that residual.
    fn worst_row(&self, all: &[&Walked]) -> (usize, f64) {
        let mut worst = (0, 0.0f64);
        for j in 0..self.seen.len() {
            let median = quantile_sorted(&sorted(all.iter().map(|w| w.residuals[j]).collect()), 0.5);
            if median.abs() > worst.1.abs() {
                worst = (j, median);
            }
        }
        worst
    }

    /// The verdict for row `j`.
    fn cannot(&self, j: usize, residual: f64, all: &[&Walked], reason: &str) -> Verdict {
        let row = &self.history.rows[j];
        // Back from the residual to the followers it stands for (the median's career).
        let s = &self.seen[j];
        let ln_f = if residual >= 0.0 {
            s.ln_high + residual * self.spec.noise
        } else {
            s.ln_low + residual * self.spec.noise
        };
        let _ = all;
        Verdict::CannotProduce {
            line: row.line,
            day: row.day,
            shown: row.shown,
            closest: ln_f.exp_m1().max(0.0).round(),
            residual_sd: residual,
            reason: reason.to_string(),
        }
    }

    /// The report of a sampler that could not finish.
    fn stalled(&self, stall: Stall, fit: Fit) -> ForecastReport {
        let verdict = match stall {
            Stall::NobodyActive => {
                let row = self.history.last();
                Verdict::CannotProduce {
                    line: row.line,
                    day: row.day,
                    shown: row.shown,
                    closest: 0.0,
                    residual_sd: f64::INFINITY.min(f64::MAX),
                    reason: format!("no creator of {MAX_CANDIDATES} drawn stays active to this day"),
                }
            }
            Stall::Steps(beta, particles) => {
                let residuals: Vec<Walked> = particles
                    .iter()
                    .map(|p| {
                        let mut residuals = vec![0.0; self.seen.len()];
                        let (_, state) = self.walk(&p.z, &p.luck, |j, f| residuals[j] = self.residual(j, f));
                        Walked {
                            residuals,
                            creator: state.creator(),
                            hits: Vec::new(),
                            band_followers: Vec::new(),
                        }
                    })
                    .collect();
                let all: Vec<&Walked> = residuals.iter().collect();
                let (j, worst) = self.worst_row(&all);
                let reason = format!(
                    "the sampler could not fit the history in {MAX_STEPS} steps (tempering reached {beta:.3e})"
                );
                self.cannot(j, worst, &all, &reason)
            }
        };
        self.report(verdict, Vec::new(), Vec::new(), Vec::new(), fit)
    }

    fn report(
        &self,
        verdict: Verdict,
        traits: Vec<TraitPosterior>,
        levels: Vec<LevelForecast>,
        bands: Vec<Band>,
        fit: Fit,
    ) -> ForecastReport {
        ForecastReport {
            spec: self.spec,
            known: self.known,
            history: self.history.rows.clone(),
            horizon_day: self.horizon,
            verdict,
            traits,
            levels,
            bands,
            naive_growth_per_day: self.naive_growth(),
            fit,
        }
    }

    /// Growth per day on the log scale over the last 90 days of the
    /// history (from the first row in them to the last; from day 0 with no
    /// followers when the history has one row): what a creator who
    /// extrapolates their recent growth assumes continues.
    fn naive_growth(&self) -> Option<f64> {
        let rows = &self.history.rows;
        let last = self.history.last();
        let first = rows.iter().find(|r| r.day + 90 >= last.day && r.day < last.day);
        let (day0, f0) = first.map_or((0, 0.0), |r| (r.day, r.shown));
        let rate = ((last.shown + 1.0).ln() - (f0 + 1.0).ln()) / f64::from(last.day - day0);
        (rate > 0.0).then_some(rate)
    }
}

impl Forecaster {
    /// Each trait's posterior beside the population.
    fn traits(&self, all: &[&Walked]) -> Vec<TraitPosterior> {
        let p = &self.career.spec().population;
        let laws = [p.talent, p.effort, p.entry_day, p.niche];
        crate::model::career::CREATOR_TRAITS
            .iter()
            .enumerate()
            .map(|(index, &(name, _, (lo, hi)))| {
                let values = sorted(all.iter().map(|w| w.creator.input(index)).collect());
                let law = laws[index];
                let fixed = match law {
                    Law::Fixed { value } => Some(value.clamp(lo, hi)),
                    _ => None,
                };
                let p50 = quantile_sorted(&values, 0.5);
                TraitPosterior {
                    name: name.to_string(),
                    fixed,
                    p10: quantile_sorted(&values, 0.1),
                    p50,
                    p90: quantile_sorted(&values, 0.9),
                    population_p50: law.quantile(0.5, lo, hi),
                    population_percentile: fixed.is_none().then(|| 100.0 * law.raw_cdf(p50)),
                }
            })
            .collect()
    }

    /// The chance of each level (module docs, "The answers").
    fn levels(&self, walked: &[Vec<Walked>]) -> Vec<LevelForecast> {
        use statrs::distribution::{ContinuousCDF, StudentsT};
        let futures = self.spec.futures as f64;
        let replicates = walked.len() as f64;
        let t =
            StudentsT::new(0.0, 1.0, replicates - 1.0).expect("at least two replicates").inverse_cdf(0.975);
        let last = self.history.last();
        let goal = self.career.goal();
        let growth = self.naive_growth();
        self.career
            .levels()
            .into_iter()
            .enumerate()
            .map(|(k, (name, threshold))| {
                let per: Vec<f64> = walked
                    .iter()
                    .map(|ws| {
                        ws.iter().map(|w| f64::from(w.hits[k])).sum::<f64>() / (ws.len() as f64 * futures)
                    })
                    .collect();
                let chance = per.iter().sum::<f64>() / replicates;
                let var = per.iter().map(|p| (p - chance).powi(2)).sum::<f64>() / (replicates - 1.0);
                let std_error = (var / replicates).sqrt();
                let particles: usize = walked.iter().map(Vec::len).sum();
                let interval = chance_interval(chance, std_error, t, particles, futures);
                // E[p^2] without the futures' binomial noise.
                let second: f64 = walked
                    .iter()
                    .flatten()
                    .map(|w| {
                        let h = f64::from(w.hits[k]);
                        h * (h - 1.0) / (futures * (futures - 1.0))
                    })
                    .sum::<f64>()
                    / particles as f64;
                let naive_day = match growth {
                    _ if threshold <= last.shown => Some(f64::from(last.day)),
                    Some(rate) => {
                        Some(f64::from(last.day) + ((threshold + 1.0).ln() - (last.shown + 1.0).ln()) / rate)
                    }
                    None => None,
                };
                LevelForecast {
                    name,
                    threshold,
                    goal: k == goal,
                    reached_already: last.low >= threshold,
                    chance,
                    std_error,
                    lower: interval.lower,
                    upper: interval.upper,
                    posterior_sd: (second - chance * chance).max(0.0).sqrt(),
                    naive_day,
                }
            })
            .collect()
    }

    /// Followers' quantiles on the band days, over every future of every particle.
    fn bands(&self, all: &[&Walked], band_days: &[u32]) -> Vec<Band> {
        let d = band_days.len();
        band_days
            .iter()
            .enumerate()
            .map(|(m, &day)| {
                let values = sorted(
                    all.iter()
                        .flat_map(|w| w.band_followers.iter().skip(m).step_by(d).map(|&f| f as f64))
                        .collect(),
                );
                Band {
                    day,
                    p05: quantile_sorted(&values, 0.05),
                    p25: quantile_sorted(&values, 0.25),
                    p50: quantile_sorted(&values, 0.5),
                    p75: quantile_sorted(&values, 0.75),
                    p95: quantile_sorted(&values, 0.95),
                }
            })
            .collect()
    }
}

/// A count as a platform shows it: exact below 10,000 (`9874`), else with
/// one decimal in thousands (`10.2k`) or millions (`1.5M`).
pub fn display_count(count: f64) -> String {
    let rounded_k = (count / 100.0).round() / 10.0;
    if count < 9_999.5 {
        format!("{}", count.round())
    } else if rounded_k < 1000.0 {
        format!("{rounded_k:.1}k")
    } else {
        format!("{:.1}M", (count / 1e5).round() / 10.0)
    }
}

/// A synthetic history: the career of `creator` on the luck of `streams`
/// under `model`, observed on `days` through the observation model (module
/// docs: noise `noise` drawn from `streams`' [`Source::Inference`] stream,
/// then shown as [`display_count`] does). `None` if the creator quits
/// before the last day. The simulation-based calibration's data.
pub fn simulate_history(
    model: &CareerModel,
    creator: Creator,
    streams: &TrialStreams,
    days: &[u32],
    noise: f64,
) -> Option<History> {
    let last = *days.last()?;
    simulate_history_state(model, model.entry_state(streams, creator, last), streams, days, noise)
        .map(|(history, _)| history)
}

/// [`simulate_history`] from `state` (a career at its entry), returning
/// also the career on the history's last day, to continue it.
pub(crate) fn simulate_history_state(
    model: &CareerModel,
    mut state: CareerState,
    streams: &TrialStreams,
    days: &[u32],
    noise: f64,
) -> Option<(History, CareerState)> {
    let mut rng = streams.rng(Source::Inference);
    let mut rows = Vec::with_capacity(days.len());
    for (i, &day) in days.iter().enumerate() {
        if model.advance(&mut state, Stop::Day(day)) == Stopped::Quit {
            return None;
        }
        let eta: f64 = noise * rng.sample::<f64, _>(rand_distr::StandardNormal);
        let y = ((state.followers() as f64).ln_1p() + eta).exp_m1().max(0.0);
        let (shown, low, high) = history::parse_count(&display_count(y)).expect("a shown count reads");
        rows.push(Row { line: i + 2, day, shown, low, high });
    }
    Some((History { rows, posts_per_week: None }, state))
}

/// Simulation-based calibration (Talts, Betancourt, Simpson, Vehtari &
/// Gelman 2018, arXiv:1804.06788; Cook, Gelman & Rubin 2006, JCGS 15(3)):
/// for `creators` creators drawn from `spec`'s population (keys
/// `(seed, domain 7, trial)`), each still posting on the last of `days`
/// (those who quit are drawn again: the forecast conditions on it), their
/// history is simulated through the observation model and inferred with
/// `settings` (the entry day stated); returns, per creator, the share of
/// posterior draws below the true talent, effort and niche (ties count
/// half). With a right posterior each share is uniform on `[0, 1]`.
pub fn calibration_shares(
    spec: CareerSpec,
    creators: u64,
    days: &[u32],
    settings: ForecastSpec,
) -> Vec<[f64; 3]> {
    let last = *days.last().expect("at least one day");
    let truth =
        CareerModel::new(CareerSpec { observation: Observation::Cohort { horizon_days: last }, ..spec })
            .expect("a valid spec");
    let mut out = Vec::new();
    for (streams, creator, run) in study_creators(&truth, settings) {
        if out.len() as u64 >= creators {
            break;
        }
        let Some(history) = simulate_history(&truth, creator, &streams, days, settings.noise) else {
            continue;
        };
        let known = Known { effort: None, entry_day: Some(creator.entry_day) };
        let forecaster = Forecaster::new(spec, history, known, run).expect("a valid forecast");
        let Some(draws) = forecaster.posterior() else { continue };
        let share = |value: f64, pick: fn(&Creator) -> f64| {
            let below = draws.iter().filter(|c| pick(c) < value).count() as f64;
            let ties = draws.iter().filter(|c| pick(c) == value).count() as f64;
            (below + 0.5 * ties) / draws.len() as f64
        };
        out.push([
            share(creator.talent, |c| c.talent),
            share(creator.effort, |c| c.effort),
            share(creator.niche, |c| c.niche),
        ]);
    }
    out
}

/// The simulated creators of a study of the forecast ([`calibration_shares`],
/// [`predictive::predictive_checks`]): for trial 0, 1, ... its streams
/// (domain 7 of `settings.seed`), a creator drawn from `truth`'s population,
/// and the forecast's settings with that creator's own seed.
pub(crate) fn study_creators(
    truth: &CareerModel,
    settings: ForecastSpec,
) -> impl Iterator<Item = (TrialStreams, Creator, ForecastSpec)> + '_ {
    (0u64..).map(move |trial| {
        let streams = TrialStreams::in_domain(settings.seed, 7, trial);
        let creator = truth.sample_creator(&streams).clamped();
        let seed = settings.seed ^ (trial + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        (streams, creator, ForecastSpec { seed, ..settings })
    })
}
