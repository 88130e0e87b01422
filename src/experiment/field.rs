//! Solving a platform's field: the price of attention `p(a)` on every
//! platform day, by fixed-point iteration ([`crate::model::platform`]).
//!
//! Each iteration runs `solver_careers` careers i.i.d. in the current field
//! ([`FieldCareers`]): a career enters on platform day `a0`, drawn from the
//! entry rate ([`CompetitionSpec::entry_day_within`] over `[0, D)`, `u`
//! uniform on the [`Source::PlatformEntry`] stream), with talent,
//! effort and niche from the population, and runs until the platform's last
//! day `D` or until it quits. Each of its active days adds its expected
//! weight
//!
//! `(e / 7) r(e) q^kappa E[V] (1 + F / F0)^gamma`,
//!
//! `E[V] = 1 + v q (alpha x_m / (alpha - 1) - 1)` (`E[L] = 1`; `F` as of the
//! career's last posting day or review), to its platform day
//! `floor(a0) + t`. With `Lambda = int_0^D lambda` creators entering in all,
//! `W(a) = Lambda / N sum_i w_i(a)` over the `N` careers, its standard
//! error `Lambda sd_i(w_i(a)) / sqrt(N)`. Then
//!
//! `p <- p^(1 - damping) (A / (W0 + W))^damping`,
//!
//! starting from Career's `d0 O(a)`, until no day's price moves by more than
//! `tolerance` (relative, `|ln p_new - ln p|`). Every iteration runs the same
//! careers' keys (domain [`FIELD_DOMAIN`] of the seed), so the map iterated is
//! one fixed function and the solve is reproducible bit for bit on any
//! number of threads (the sums are fixed point).

use crate::dist::Law;
use crate::error::FieldError;
use crate::model::career::{
    CareerModel, CareerSpec, CareerState, Observation, Platform, Population, TrajectorySpec, Watch,
};
use crate::model::platform::{CompetitionSpec, Field};
use crate::model::{Model, Summary};
use crate::random::{Source, TrialStreams};
use crate::runner::Runner;
use crate::tier::Tiers;
use rand::RngExt;
use std::sync::Arc;

/// The stream domain of the solver's careers: no study has this many parts.
pub const FIELD_DOMAIN: u64 = 1 << 20;

/// Fixed-point scale of the summed weights (2^20).
const SCALE: f64 = 1_048_576.0;
/// The largest weight a day of one career records (2^40, about 1.1e12): larger ones are clamped.
const MAX_WEIGHT: f64 = 1_099_511_627_776.0;

/// A solved field and how the solve went.
#[derive(Debug, Clone, PartialEq)]
pub struct Solution {
    /// The field.
    pub field: Arc<Field>,
    /// Iterations run.
    pub iterations: u32,
    /// The largest relative change of a day's price at the last iteration.
    pub change: f64,
    /// `W(a)` of the careers run in the last field, a platform day each.
    pub weight: Vec<f64>,
    /// Its standard error.
    pub weight_se: Vec<f64>,
}

/// Careers entering at the platform's entry rate in a given field, one a
/// trial; the outcome is its expected weight on each of its active days.
pub struct FieldCareers {
    career: CareerModel,
    spec: CompetitionSpec,
    /// `v (alpha x_m / (alpha - 1) - 1)`: a post's expected boost is
    /// `E[V] = 1 + q` times this, for talent `q`.
    viral_mean_excess: f64,
}

/// One career's expected weight by platform day: runs `(first day, end day, weight a day)`.
pub type Segments = Vec<(u32, u32, f64)>;

impl FieldCareers {
    /// The solver's careers under `spec` (its `[competition]` set) in `field`:
    /// the platform's creators, without one creator's offsets ([`platform_spec`]).
    pub fn new(spec: CareerSpec, field: Arc<Field>) -> Result<Self, FieldError> {
        let spec = platform_spec(spec);
        let competition = spec.competition.expect("a competing spec");
        let pl = &spec.platform;
        if pl.viral_shape <= 1.0 {
            return Err(FieldError::new(
                "platform.viral_shape",
                pl.viral_shape,
                "must be > 1 when creators compete ([competition]): a post's expected weight needs a finite mean boost",
            ));
        }
        let career = CareerModel::in_field(spec, field)?;
        let viral_mean_excess =
            pl.viral_rate * (pl.viral_shape * pl.viral_scale / (pl.viral_shape - 1.0) - 1.0);
        Ok(FieldCareers { career, spec: competition, viral_mean_excess })
    }

    /// `Lambda = int_0^D lambda(a) da`: creators entering over the platform's days.
    pub fn entrants(&self) -> f64 {
        let (d, g) = (f64::from(self.spec.platform_days), self.spec.entry_growth / 365.0);
        if g.abs() < 1e-12 { self.spec.entry_rate * d } else { self.spec.entry_rate * (g * d).exp_m1() / g }
    }
}

/// The segments of one career: a weight a day, closed at each change of followers.
struct WeightWatch<'a> {
    segments: &'a mut Segments,
    offset: u32,
    start: u32,
    followers: u64,
    weight_of: &'a dyn Fn(u64) -> f64,
    tracks_followers: bool,
}

impl Watch for WeightWatch<'_> {
    fn event(&mut self, day: u32, followers: u64) {
        if self.tracks_followers && followers != self.followers && day > self.start {
            let w = (self.weight_of)(self.followers);
            self.segments.push((self.offset + self.start, self.offset + day, w));
            self.start = day;
        }
        self.followers = followers;
    }
}

impl Model for FieldCareers {
    type Outcome = Segments;
    type Summary = WeightSums;
    type Report = ();

    fn sample_trial(&self, streams: &TrialStreams) -> Segments {
        let u: f64 = streams.rng(Source::PlatformEntry).random();
        let a0 = self.spec.entry_day_within(u, f64::from(self.spec.platform_days));
        let mut creator = self.career.sample_creator(streams);
        creator.entry_day = a0;
        let d = self.spec.platform_days;
        let offset = a0 as u32;
        let horizon = d - offset;
        let mut state: CareerState = self.career.entry_state(streams, creator, horizon);
        let creator = state.creator();
        let pl = &self.career.spec().platform;
        let per_day = creator.effort / 7.0
            * pl.post_reach(creator.effort)
            * self.spec.appeal_of(creator.talent)
            * (1.0 + creator.talent * self.viral_mean_excess);
        let spec = self.spec;
        let weight_of = move |f: u64| {
            let w = if spec.popularity_bias == 0.0 { per_day } else { per_day * spec.popularity(f as f64) };
            w.min(MAX_WEIGHT)
        };
        let mut segments = Segments::new();
        let mut watch = WeightWatch {
            segments: &mut segments,
            offset,
            start: 0,
            followers: 0,
            weight_of: &weight_of,
            tracks_followers: spec.popularity_bias != 0.0,
        };
        self.career.advance_watched(&mut state, crate::model::career::Stop::Horizon, &mut watch);
        let (start, followers) = (watch.start, watch.followers);
        let end = state.day();
        if end > start {
            segments.push((offset + start, offset + end, weight_of(followers)));
        }
        segments
    }

    fn new_summary(&self) -> WeightSums {
        WeightSums::new(self.spec.platform_days as usize)
    }

    fn report(&self, _: &WeightSums) {}
}

/// Per platform day, the fixed-point sum of the careers' weights and of
/// their squares, kept as difference arrays (a career adds a run of days in
/// two entries; its runs never overlap, so squares add the same way).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WeightSums {
    careers: u64,
    sum: Vec<i128>,
    sum_sq: Vec<i128>,
}

impl WeightSums {
    fn new(days: usize) -> Self {
        WeightSums { careers: 0, sum: vec![0; days + 1], sum_sq: vec![0; days + 1] }
    }

    /// `(mean, variance)` over careers of the weight on each platform day.
    fn per_day(&self) -> Vec<(f64, f64)> {
        let n = self.careers.max(1) as f64;
        let (mut s, mut q) = (0i128, 0i128);
        let days = self.sum.len() - 1;
        (0..days)
            .map(|a| {
                s += self.sum[a];
                q += self.sum_sq[a];
                let mean = s as f64 / SCALE / n;
                let mean_sq = q as f64 / SCALE / n;
                (mean, (mean_sq - mean * mean).max(0.0))
            })
            .collect()
    }
}

impl Summary<Segments> for WeightSums {
    fn record(&mut self, segments: &Segments) {
        self.careers += 1;
        let last = self.sum.len() - 1;
        for &(start, end, w) in segments {
            let (start, end) = ((start as usize).min(last), (end as usize).min(last));
            let fixed = (w * SCALE).round() as i128;
            let square = (fixed * fixed) >> 20;
            self.sum[start] += fixed;
            self.sum[end] -= fixed;
            self.sum_sq[start] += square;
            self.sum_sq[end] -= square;
        }
    }
    fn merge(&mut self, other: &Self) {
        self.careers += other.careers;
        for (a, b) in self.sum.iter_mut().zip(&other.sum) {
            *a += b;
        }
        for (a, b) in self.sum_sq.iter_mut().zip(&other.sum_sq) {
            *a += b;
        }
    }
    fn trials(&self) -> u64 {
        self.careers
    }
}

/// `W(a)` and its standard error from `careers` run in a field (module docs).
pub fn weights(careers: &FieldCareers, runner: &Runner, n: u64) -> (Vec<f64>, Vec<f64>) {
    let sums = runner.in_domain(FIELD_DOMAIN).run(careers, n).summary;
    let scale = careers.entrants();
    let nf = n as f64;
    sums.per_day().into_iter().map(|(mean, var)| (scale * mean, scale * (var / nf).sqrt())).unzip()
}

/// `spec` as the platform's creators are: without the offsets of one
/// creator's openness and price (`platform.openness_offset_days`,
/// `competition.price_offset_days`), which move what a creator meets, not
/// the platform it meets it on; and without what only observes them: the
/// observation and trajectory (the solver follows every career to the
/// platform's last day), the entry day's law (the solver draws it from the
/// entry rate, on a stream of its own) and the tiers (levels record
/// crossings, they change no career). The field is solved from this, so
/// scenarios of one platform observed in different ways share one field.
pub fn platform_spec(spec: CareerSpec) -> CareerSpec {
    let competition = spec.competition.map(|c| c.platform_only());
    let platform = Platform { openness_offset_days: 0.0, ..spec.platform };
    let observation = Observation::Cohort { horizon_days: competition.map_or(1, |c| c.platform_days) };
    let population = Population { entry_day: Law::Fixed { value: 0.0 }, ..spec.population };
    CareerSpec {
        observation,
        population,
        platform,
        trajectory: TrajectorySpec::default_for(&observation),
        tiers: Tiers::default(),
        competition,
        ..spec
    }
}

/// Solves the field of `spec` (its `[competition]` set) from `seed` (module
/// docs), as its platform's creators make it ([`platform_spec`]). `Err`
/// names `competition.solver_iterations` when the iteration has not
/// converged within them.
pub fn solve(spec: CareerSpec, seed: u64) -> Result<Solution, FieldError> {
    let spec = platform_spec(spec);
    let competition = spec.competition.expect("a competing spec");
    let days = competition.platform_days;
    let runner = Runner::new(seed);
    let d0 = spec.platform.discovery;
    let mut price: Vec<f64> = (0..days).map(|a| d0 * spec.platform.openness(f64::from(a))).collect();
    let mut change = f64::INFINITY;
    for iteration in 1..=competition.solver_iterations {
        let field = Arc::new(Field::from_prices(competition, price.clone())?);
        let careers = FieldCareers::new(spec, field.clone())?;
        let (weight, weight_se) = weights(&careers, &runner, competition.solver_careers);
        change = 0.0;
        let next: Vec<f64> = (0..days)
            .map(|a| {
                let target = competition.price(a, weight[a as usize]);
                let old = price[a as usize].max(f64::MIN_POSITIVE);
                let step = target.ln() - old.ln();
                change = f64::max(change, step.abs());
                (old.ln() + competition.damping * step).exp()
            })
            .collect();
        if change < competition.tolerance {
            return Ok(Solution { field, iterations: iteration, change, weight, weight_se });
        }
        price = next;
    }
    Err(FieldError::new(
        "competition.solver_iterations",
        competition.solver_iterations,
        format!(
            "the field did not converge: a day's price still moved by {change:.2e} (tolerance {:.0e}); allow more iterations or damp less",
            competition.tolerance
        ),
    ))
}

/// [`solve`], once per process for each spec and seed: a run builds its
/// model more than once (the scenario's resolve, then a study's parts), and
/// a sweep's points that share settings share their field.
pub fn solve_cached(spec: CareerSpec, seed: u64) -> Result<Solution, FieldError> {
    type Solved = Vec<(String, u64, Solution)>;
    static SOLVED: std::sync::Mutex<Solved> = std::sync::Mutex::new(Vec::new());
    let key = format!("{:?}", platform_spec(spec));
    if let Some((_, _, s)) =
        SOLVED.lock().expect("the field cache").iter().find(|(k, s, _)| *k == key && *s == seed)
    {
        return Ok(s.clone());
    }
    let solution = solve(spec, seed)?;
    let mut cache = SOLVED.lock().expect("the field cache");
    if cache.len() >= 64 {
        cache.remove(0);
    }
    cache.push((key, seed, solution.clone()));
    Ok(solution)
}
