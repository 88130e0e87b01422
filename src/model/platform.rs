//! Creators competing for finite attention (issue 24): the platform model's
//! field, on Career's mechanics.
//!
//! On platform day `a` (days since the platform opened) creators enter at the
//! rate `lambda(a) = lambda0 exp(g a / 365)` and the audience spends
//! `A(a) = A0 exp(h a / 365)` impressions a day on discovery. A post of a
//! creator with talent `q`, effort `e` and `F` followers has the weight
//!
//! `w = r(e) q^kappa L V (1 + F / F0)^gamma`
//!
//! (reach luck `L`, viral boost `V`, Career's `r(e)` of
//! `platform.frequency_elasticity`, the appeal `q^kappa` and the feed's
//! popularity bias), and its discovery impressions are `p(a) w` with the
//! price of attention
//!
//! `p(a) = A(a) / (W0 + W(a))`,   `W(a)` = the day's summed post weights,
//!
//! `W0` the weight of everything else in the feed (so that `p(0) = A0 / W0`,
//! the opening price). Career's step 4 becomes
//!
//! `I = min(M, p(a) sum_j w_j + O(a) r(e) s F sum_j L_j)`:
//!
//! followers' shares stay as in Career. Career is the case `p(a) = d0 O(a)`,
//! `gamma = 0`, `kappa = 0`, which [`FieldKind::Openness`] states; the code
//! computes it as Career does (`O(a) r(e) (d0 sum L V + s F sum L)`), so that
//! case gives Career's careers bit for bit.
//!
//! **The field.** On a large platform `W(a)` is nearly deterministic: the
//! expected weight of every creator entered so far. [`Field`] holds
//! `p(a)` for every platform day `a < platform_days`, solved once by
//! fixed-point iteration (`crate::experiment::field`): careers i.i.d. in the
//! current field, entering at `lambda(a)`, each active day adding its
//! expected weight `(e / 7) r(e) q^kappa E[V] (1 + F / F0)^gamma` (with
//! `E[L] = 1`, `E[V] = 1 + v q (alpha x_m / (alpha - 1) - 1)`) to its
//! platform day; then `p <- p^(1 - damping) (A / (W0 + W))^damping` until no
//! day's price moves by more than `tolerance` (relative).

use crate::error::{FieldError, finite, positive, within};
use serde::{Deserialize, Serialize};

/// The most platform days a field may span (100 years).
pub const MAX_PLATFORM_DAYS: u32 = 36_500;

/// Which price of attention careers face.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FieldKind {
    /// Solved from entry, attention and competition (module docs).
    #[default]
    Solved,
    /// Career's `p(a) = d0 O(a)`: the reduction check.
    Openness,
}

/// The `[competition]` section of a Career scenario: creators compete for
/// attention through the field (module docs).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct CompetitionSpec {
    /// Solved, or Career's openness (the reduction). Default solved.
    pub field: FieldKind,
    /// `lambda0`: creators entering a day at platform day 0, > 0. Default 1000 (an assumption:
    /// only ratios `A0 / lambda0`, `W0 / lambda0` matter).
    pub entry_rate: f64,
    /// `g`: growth rate of entry, per year (continuous), in `[-5, 5]`. Default 0.162
    /// `= ln 1.176`: YouTube Partner Program channels, 2M (2021) to 3M (2024), +17.6% a year
    /// (company statements, issue 24).
    pub entry_growth: f64,
    /// `A0`: discovery impressions the audience gives a day at platform day 0, > 0.
    /// Default 1e7 (an assumption, set so that a mature platform's price is near Career's
    /// `d0 o_inf = 25`).
    pub attention: f64,
    /// `h`: growth rate of attention, per year (continuous), in `[-5, 5]`. Default 0.0953
    /// `= ln 1.10`: Spotify's payouts, about +10% from 2023 to 2024 (company statements,
    /// issue 24), taken as the growth of the attention listeners give (an assumption).
    pub attention_growth: f64,
    /// `p(0) = A0 / W0`: the price on the opening day, > 0. Default 100 (Career's `d0 O(0)`).
    pub opening_price: f64,
    /// `gamma`: the feed's popularity bias, in `[0, 2]`. Default 0 (none).
    pub popularity_bias: f64,
    /// `F0`: the followers at which the bias doubles a post's weight (`gamma = 1`), > 0.
    /// Default 1000 (an assumption).
    pub popularity_scale: f64,
    /// `kappa`: the appeal's exponent, `q^kappa` in a post's weight, in `[0, 10]`. Default 0
    /// (talent acts through conversion and virality only, as in Career).
    pub appeal: f64,
    /// Platform days the field spans, `[0, platform_days)`; every career observed must end
    /// within it. Default 5475 (ten years of entry and five of career).
    pub platform_days: u32,
    /// Careers simulated in each iteration of the solve, in `[100, 1e7]`. Default 20000.
    pub solver_careers: u64,
    /// The most iterations, in `[1, 1000]`. Default 60.
    pub solver_iterations: u32,
    /// The largest relative change of any day's price at which the solve stops, in
    /// `(0, 0.5]`. Default 1e-3.
    pub tolerance: f64,
    /// The damping of each step, in `(0, 1]`. Default 0.5.
    pub damping: f64,
    /// Days added to the platform day at which a creator meets the price of
    /// attention, in `[0, platform_days)`: a creator who entered on platform
    /// day `a0` pays `p(a0 + offset + t)` on career day `t`. Default 0, off.
    /// An experimental control of the creator, not of the platform: the
    /// field is solved without it (the platform's creators enter and pay as
    /// ever), and careers observed must stay within the field with it
    /// (`a0 + offset + horizon <= platform_days`). With
    /// `platform.openness_offset_days` it splits the early entrant's
    /// advantage into openness and competition (the `early-entrant-split`
    /// scenario).
    #[serde(skip_serializing_if = "crate::model::is_zero")]
    pub price_offset_days: f64,
    /// The solved field's checksum ([`Field::checksum`], 48 bits), written
    /// back by a run so that its record names the field its careers ran in;
    /// a scenario that states one is refused when the field solved differs
    /// (another seed, settings or clout). None in a scenario one writes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub checksum: Option<u64>,
}

impl Default for CompetitionSpec {
    fn default() -> Self {
        CompetitionSpec {
            field: FieldKind::Solved,
            entry_rate: 1000.0,
            entry_growth: 0.162,
            attention: 1e7,
            attention_growth: 0.0953,
            opening_price: 100.0,
            popularity_bias: 0.0,
            popularity_scale: 1000.0,
            appeal: 0.0,
            platform_days: 5475,
            solver_careers: 20_000,
            solver_iterations: 60,
            tolerance: 1e-3,
            damping: 0.5,
            price_offset_days: 0.0,
            checksum: None,
        }
    }
}

impl CompetitionSpec {
    /// Checks every range (module and field docs); errors name the field.
    pub fn validate(&self) -> Result<(), FieldError> {
        positive("entry_rate", self.entry_rate)?;
        within("entry_rate", self.entry_rate, 0.0, 1e9)?;
        within("entry_growth", self.entry_growth, -5.0, 5.0)?;
        positive("attention", self.attention)?;
        within("attention", self.attention, 0.0, 1e15)?;
        within("attention_growth", self.attention_growth, -5.0, 5.0)?;
        positive("opening_price", self.opening_price)?;
        within("opening_price", self.opening_price, 0.0, 1e9)?;
        within("popularity_bias", self.popularity_bias, 0.0, 2.0)?;
        positive("popularity_scale", self.popularity_scale)?;
        within("popularity_scale", self.popularity_scale, 0.0, 1e12)?;
        within("appeal", self.appeal, 0.0, 10.0)?;
        if !(1..=MAX_PLATFORM_DAYS).contains(&self.platform_days) {
            return Err(FieldError::new(
                "platform_days",
                self.platform_days,
                format!("must lie in [1, {MAX_PLATFORM_DAYS}]"),
            ));
        }
        if !(100..=10_000_000).contains(&self.solver_careers) {
            return Err(FieldError::new("solver_careers", self.solver_careers, "must lie in [100, 1e7]"));
        }
        if !(1..=1000).contains(&self.solver_iterations) {
            return Err(FieldError::new(
                "solver_iterations",
                self.solver_iterations,
                "must lie in [1, 1000]",
            ));
        }
        positive("tolerance", self.tolerance)?;
        within("tolerance", self.tolerance, 0.0, 0.5)?;
        positive("damping", self.damping)?;
        within("damping", self.damping, 0.0, 1.0)?;
        finite("price_offset_days", self.price_offset_days)?;
        if !(0.0..f64::from(self.platform_days)).contains(&self.price_offset_days) {
            return Err(FieldError::new(
                "price_offset_days",
                self.price_offset_days,
                format!("must lie in [0, platform_days = {}) days", self.platform_days),
            ));
        }
        Ok(())
    }

    /// The platform's settings alone, those its field is solved under: no
    /// creator's `price_offset_days`, no checksum.
    pub fn platform_only(&self) -> CompetitionSpec {
        CompetitionSpec { price_offset_days: 0.0, checksum: None, ..*self }
    }

    /// `lambda(a) = lambda0 exp(g a / 365)`, creators entering a day.
    pub fn entry_rate_on(&self, day: f64) -> f64 {
        self.entry_rate * (self.entry_growth * day / 365.0).exp()
    }

    /// The entry day of a creator who entered within the platform's first
    /// `days` days, for a uniform `u`: the inverse of the entry rate's
    /// distribution on `[0, days)`,
    /// `a0 = 365 / g ln(1 + u (e^(g days / 365) - 1))` (`u days` at `g = 0`).
    pub fn entry_day_within(&self, u: f64, days: f64) -> f64 {
        let g = self.entry_growth / 365.0;
        let a = if g.abs() < 1e-12 { u * days } else { (u * (g * days).exp_m1()).ln_1p() / g };
        a.clamp(0.0, days - 1e-9)
    }

    /// `A(a) = A0 exp(h a / 365)`, discovery impressions a day.
    pub fn attention_on(&self, day: f64) -> f64 {
        self.attention * (self.attention_growth * day / 365.0).exp()
    }

    /// The appeal `q^kappa` of a creator of talent `q` in a post's weight
    /// (exactly 1 at `kappa = 0`).
    pub fn appeal_of(&self, talent: f64) -> f64 {
        if self.appeal == 0.0 { 1.0 } else { talent.powf(self.appeal) }
    }

    /// The feed's popularity bias `(1 + F / F0)^gamma` for a creator with
    /// `followers` (exactly 1 at `gamma = 0`).
    pub fn popularity(&self, followers: f64) -> f64 {
        if self.popularity_bias == 0.0 {
            1.0
        } else {
            (1.0 + followers / self.popularity_scale).powf(self.popularity_bias)
        }
    }

    /// `W0 = A0 / p(0)`: the weight of the rest of the feed.
    pub fn base_weight(&self) -> f64 {
        self.attention / self.opening_price
    }

    /// The price `A(a) / (W0 + W)` on platform day `a` when the creators' weight is `weight`.
    pub fn price(&self, day: u32, weight: f64) -> f64 {
        self.attention_on(f64::from(day)) / (self.base_weight() + weight)
    }
}

/// The price of attention `p(a)` on every platform day (module docs).
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    spec: CompetitionSpec,
    /// `p(a)` for `a = 0, 1, ..., platform_days - 1`; empty for [`FieldKind::Openness`].
    price: Vec<f64>,
}

impl Field {
    /// Career's field, `p(a) = d0 O(a)` ([`FieldKind::Openness`]).
    pub fn openness(spec: CompetitionSpec) -> Self {
        Field { spec, price: Vec::new() }
    }

    /// A field of the prices `price`, one a platform day from day 0; each must be finite and `>= 0`.
    pub fn from_prices(spec: CompetitionSpec, price: Vec<f64>) -> Result<Self, FieldError> {
        if let Some((a, p)) = price.iter().enumerate().find(|(_, p)| !(p.is_finite() && **p >= 0.0)) {
            return Err(FieldError::new(
                format!("field price on platform day {a}"),
                p,
                "must be finite and >= 0",
            ));
        }
        if price.is_empty() {
            return Err(FieldError::new("platform_days", 0, "a solved field needs at least one day"));
        }
        Ok(Field { spec, price })
    }

    /// The settings it was made under.
    pub fn spec(&self) -> &CompetitionSpec {
        &self.spec
    }

    /// `p(a)` on each platform day (empty for Career's openness).
    pub fn prices(&self) -> &[f64] {
        &self.price
    }

    /// Whether this is Career's `d0 O(a)`.
    pub fn is_openness(&self) -> bool {
        self.price.is_empty()
    }

    /// `p(a) (1 + F / F0)^gamma` on platform day `floor(age)` for a
    /// creator with `followers` (days past the field take its last day): a
    /// post's discovery impressions per unit of `r(e) q^kappa L V`. Not
    /// called for Career's openness, which reads `d0` instead.
    #[inline]
    pub fn price_for(&self, age: f64, followers: f64) -> f64 {
        let day = (age as usize).min(self.price.len() - 1);
        let price = self.price[day];
        if self.spec.popularity_bias == 0.0 { price } else { price * self.spec.popularity(followers) }
    }

    /// A 48-bit checksum (FNV-1a of the prices' bits, its low 48 bits, so
    /// that a TOML integer holds it): what a record keeps to say which
    /// field its careers ran in.
    pub fn checksum(&self) -> u64 {
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for p in &self.price {
            for b in p.to_bits().to_le_bytes() {
                h = (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3);
            }
        }
        h & 0xFFFF_FFFF_FFFF
    }
}
