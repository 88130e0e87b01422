//! Exact sums of non-negative floating-point values, for estimators whose
//! terms span hundreds of orders of magnitude (importance weights).
//!
//! Every finite `f64` is an integer times a power of two, `x = m 2^e`
//! (`m < 2^53`, `-1075 <= e`; [`num_traits::Float::integer_decode`]), so a
//! sum of them is held exactly as one big integer times a power of two,
//! `S = M 2^E` ([`num_bigint::BigUint`]), and so is a sum of their squares
//! (`x^2 = m^2 2^{2e}`). Nothing is rounded until a report reads the sum,
//! so any split of the terms over threads, shards or resumed pieces merges
//! into the same bits, whatever the order, and no scale has to be chosen in
//! advance: a weight of 1e-30 is held as exactly as a weight of 1.
//!
//! The representation is canonical (`M` odd, or `M = 0` with `E = 0`), so
//! two sums of the same values compare and serialize equal. In JSON a sum is
//! `{"mantissa": "<hex>", "exponent": E}`; reading one checks both.

use num_bigint::BigUint;
use num_traits::{Float as _, ToPrimitive as _, Zero as _};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::cmp::Ordering;

/// An exact sum of non-negative finite `f64` values (module docs).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExactSum {
    mantissa: BigUint,
    exponent: i64,
}

impl ExactSum {
    /// The empty sum.
    pub fn new() -> Self {
        ExactSum::default()
    }

    /// Whether nothing but zeros has been added.
    pub fn is_zero(&self) -> bool {
        self.mantissa.is_zero()
    }

    /// Adds `x`, exactly.
    ///
    /// # Panics
    /// If `x` is negative, infinite or NaN (a programming error: callers
    /// check their terms).
    pub fn add(&mut self, x: f64) {
        assert!(x.is_finite() && x >= 0.0, "ExactSum::add takes a finite non-negative value, not {x}");
        let (m, e, _) = x.integer_decode();
        self.add_scaled(BigUint::from(m), i64::from(e));
    }

    /// Adds `x²`, exactly (no rounding of the square).
    ///
    /// # Panics
    /// As [`ExactSum::add`].
    pub fn add_square(&mut self, x: f64) {
        assert!(x.is_finite() && x >= 0.0, "ExactSum::add_square takes a finite non-negative value, not {x}");
        let (m, e, _) = x.integer_decode();
        let m = u128::from(m);
        self.add_scaled(BigUint::from(m * m), 2 * i64::from(e));
    }

    /// Adds another sum, exactly.
    pub fn merge(&mut self, other: &ExactSum) {
        self.add_scaled(other.mantissa.clone(), other.exponent);
    }

    /// `self + mantissa 2^exponent`, normalized.
    fn add_scaled(&mut self, mantissa: BigUint, exponent: i64) {
        if mantissa.is_zero() {
            return;
        }
        if self.mantissa.is_zero() {
            *self = ExactSum { mantissa, exponent }.normalized();
            return;
        }
        let low = self.exponent.min(exponent);
        let mut sum = std::mem::take(&mut self.mantissa) << (self.exponent - low) as u64;
        sum += mantissa << (exponent - low) as u64;
        *self = ExactSum { mantissa: sum, exponent: low }.normalized();
    }

    fn normalized(self) -> Self {
        match self.mantissa.trailing_zeros() {
            None => ExactSum::default(),
            Some(0) => self,
            Some(z) => ExactSum { mantissa: self.mantissa >> z, exponent: self.exponent + z as i64 },
        }
    }

    /// The sum, rounded to the nearest `f64` (to within one part in 2^63
    /// before that rounding); `f64::INFINITY` beyond its range.
    pub fn to_f64(&self) -> f64 {
        big_to_f64(&self.mantissa, self.exponent)
    }

    /// `n Q - S^2`, where `self` is the sum of squares `Q` and `sum` the sum
    /// `S` of the same terms, padded with zeros to `n` terms in all: `n (n -
    /// 1)` times their sample variance, computed exactly and rounded once.
    /// `None` when it would be negative, which no set of `n` real terms can
    /// give (the two sums do not belong together).
    pub fn centred(&self, sum: &ExactSum, n: u64) -> Option<f64> {
        let square = &sum.mantissa * &sum.mantissa;
        let square_exp = 2 * sum.exponent;
        let scaled = &self.mantissa * BigUint::from(n);
        if square.is_zero() {
            return Some(big_to_f64(&scaled, self.exponent));
        }
        if scaled.is_zero() {
            return None;
        }
        let low = self.exponent.min(square_exp);
        let a = scaled << (self.exponent - low) as u64;
        let b = square << (square_exp - low) as u64;
        match a.cmp(&b) {
            Ordering::Less => None,
            Ordering::Equal => Some(0.0),
            Ordering::Greater => Some(big_to_f64(&(a - b), low)),
        }
    }
}

/// `m 2^e` as the nearest `f64`: the top 64 bits of `m`, then the power of
/// two applied in two halves so neither overflows before the product.
fn big_to_f64(m: &BigUint, e: i64) -> f64 {
    let bits = m.bits();
    if bits == 0 {
        return 0.0;
    }
    let drop = bits.saturating_sub(64);
    let top = (m >> drop).to_u64().expect("at most 64 bits remain") as f64;
    let e = e.saturating_add(drop as i64).clamp(-4000, 4000) as i32;
    top * 2f64.powi(e / 2) * 2f64.powi(e - e / 2)
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Written {
    mantissa: String,
    exponent: i64,
}

impl Serialize for ExactSum {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        Written { mantissa: self.mantissa.to_str_radix(16), exponent: self.exponent }.serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for ExactSum {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        use serde::de::Error as _;
        let w = Written::deserialize(deserializer)?;
        if w.mantissa.is_empty()
            || w.mantissa.len() > 4096
            || !w.mantissa.bytes().all(|b| b.is_ascii_hexdigit())
        {
            return Err(D::Error::custom(format!(
                "an exact sum's mantissa is a hexadecimal number of 1 to 4096 digits, not {:?}",
                w.mantissa.chars().take(40).collect::<String>()
            )));
        }
        let mantissa = BigUint::parse_bytes(w.mantissa.as_bytes(), 16).expect("checked hexadecimal");
        if !(-5000..=5000).contains(&w.exponent) {
            return Err(D::Error::custom(format!(
                "an exact sum's exponent lies in [-5000, 5000], not {}",
                w.exponent
            )));
        }
        let sum = ExactSum { mantissa, exponent: w.exponent };
        if sum.clone().normalized() != sum {
            return Err(D::Error::custom(
                "an exact sum is written in lowest terms (an odd mantissa, or 0 with exponent 0)",
            ));
        }
        Ok(sum)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sums_of_values_across_600_orders_of_magnitude_are_exact_and_order_free() {
        let values = [1e-300, 3.0, 0.1, 1e-25, 7.5e200, 0.1, 5e-324, 2.0f64.powi(-60)];
        let mut forward = ExactSum::new();
        values.iter().for_each(|&v| forward.add(v));
        let mut backward = ExactSum::new();
        values.iter().rev().for_each(|&v| backward.add(v));
        assert_eq!(forward, backward);
        let (mut left, mut right) = (ExactSum::new(), ExactSum::new());
        values[..3].iter().for_each(|&v| left.add(v));
        values[3..].iter().for_each(|&v| right.add(v));
        left.merge(&right);
        assert_eq!(left, forward);
        // 1e-25 added to 1 is lost in f64 but not here: subtracting 1 back
        // (via the centred form with n = 1: Q - S^2 on one term is 0) keeps it.
        let mut tiny = ExactSum::new();
        tiny.add(1.0);
        tiny.add(1e-25);
        let mut one = ExactSum::new();
        one.add(1.0);
        assert_ne!(tiny, one);
        assert_eq!(tiny.to_f64(), 1.0);
    }

    #[test]
    fn to_f64_is_the_rounded_sum() {
        let mut s = ExactSum::new();
        for _ in 0..10 {
            s.add(0.1);
        }
        // The exact sum of ten copies of the double nearest 0.1, rounded once.
        assert_eq!(s.to_f64(), 1.0000000000000000555_f64);
        let mut t = ExactSum::new();
        t.add(1e-310);
        assert_eq!(t.to_f64(), 1e-310);
        assert_eq!(ExactSum::new().to_f64(), 0.0);
    }

    #[test]
    fn the_centred_sum_of_squares_is_exact_for_tiny_terms() {
        // Terms 1e-25 and 3e-25 padded to n = 4: S = 4e-25, Q = 1e-49,
        // n Q - S^2 = 4e-49 - 1.6e-49 = 2.4e-49.
        let (mut s, mut q) = (ExactSum::new(), ExactSum::new());
        for x in [1e-25, 3e-25] {
            s.add(x);
            q.add_square(x);
        }
        let c = q.centred(&s, 4).unwrap();
        assert!((c / 2.4e-49 - 1.0).abs() < 1e-12, "{c:e}");
        // Equal terms with no padding: exactly 0.
        let (mut s, mut q) = (ExactSum::new(), ExactSum::new());
        for _ in 0..3 {
            s.add(1e-200);
            q.add_square(1e-200);
        }
        assert_eq!(q.centred(&s, 3), Some(0.0));
        // A sum of squares too small for its sum cannot come from real terms.
        assert_eq!(q.centred(&s, 2), None);
    }

    #[test]
    fn serialization_round_trips_and_reading_checks_the_form() {
        let mut s = ExactSum::new();
        s.add(1e-25);
        s.add(12.5);
        let json = serde_json::to_string(&s).unwrap();
        assert_eq!(serde_json::from_str::<ExactSum>(&json).unwrap(), s);
        for bad in [
            r#"{"mantissa": "", "exponent": 0}"#,
            r#"{"mantissa": "xyz", "exponent": 0}"#,
            r#"{"mantissa": "2", "exponent": 0}"#,
            r#"{"mantissa": "1", "exponent": 99999}"#,
            r#"{"mantissa": "0", "exponent": 3}"#,
        ] {
            let e = serde_json::from_str::<ExactSum>(bad).unwrap_err().to_string();
            assert!(e.contains("exact sum"), "{bad}: {e}");
        }
    }
}
