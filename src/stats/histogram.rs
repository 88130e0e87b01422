//! A mergeable histogram of non-negative integers with bounded relative error.
//!
//! Values below `2^precision` get a bucket each (exact); above, every octave
//! `[2^e, 2^(e+1))` is split into `2^(precision-1)` equal buckets, so a bucket's
//! width is at most `2^-(precision-1)` of its values (0.2% at the default
//! precision 10). Each bucket keeps its count and the exact integer sum of its
//! values, so means, totals and shares are exact, and quantiles, Gini and top
//! shares err only within a bucket. Counts and sums are integers: merging is
//! exact, associative and commutative, which is what lets the runner merge
//! chunks of trials in any grouping and still give bit-identical results.
//!
//! Memory is bounded by what a histogram holds, not by its largest value:
//! buckets below [`DENSE_BUCKETS`] are arrays indexed by bucket (fast to
//! count into), the rarer buckets above are a sorted list of the non-empty
//! ones. A histogram takes at most 192 KiB plus 32 bytes a non-empty
//! bucket above, so a record read back cannot make one allocate more than
//! its text describes (a single bucket near `u64::MAX` once took 39 MB).

use serde::{Deserialize, Serialize};

/// Mergeable log-bucketed histogram of `u64` values (see the module docs).
///
/// Serialized sparsely, as its precision and the non-empty buckets
/// `[index, count, sum]` in increasing index order; reading one back checks
/// that every bucket is possible (index in range, sum within the bucket's
/// bounds), so a damaged file is an error, not a wrong answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(into = "SparseHistogram", try_from = "SparseHistogram")]
pub struct LogHistogram {
    precision: u32,
    /// Counts of buckets `0..counts.len()` (at most [`DENSE_BUCKETS`]),
    /// up to the highest non-empty one.
    counts: Vec<u64>,
    /// Their sums.
    sums: Vec<u128>,
    /// The non-empty buckets at or above [`DENSE_BUCKETS`], as `(index,
    /// count, sum)` in increasing index order.
    above: Vec<(u32, u64, u128)>,
}

/// Buckets below this index are kept in arrays, those above as a list of
/// the non-empty ones (the module docs say why). At the default precision
/// the arrays cover every value below `2^24`.
pub const DENSE_BUCKETS: usize = 8192;

/// The serialized form of a [`LogHistogram`].
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct SparseHistogram {
    precision: u32,
    buckets: Vec<(u64, u64, u128)>,
}

impl From<LogHistogram> for SparseHistogram {
    fn from(h: LogHistogram) -> Self {
        let buckets = h.non_empty().map(|(i, c, s)| (i as u64, c, s)).collect();
        SparseHistogram { precision: h.precision, buckets }
    }
}

impl TryFrom<SparseHistogram> for LogHistogram {
    type Error = String;
    fn try_from(data: SparseHistogram) -> Result<Self, String> {
        if !(2..=16).contains(&data.precision) {
            return Err(format!("histogram precision {} must lie in 2..=16", data.precision));
        }
        let mut h = LogHistogram::new(data.precision);
        let last = h.bucket_of(u64::MAX) as u64;
        let mut previous = None;
        for &(index, count, sum) in &data.buckets {
            if index > last || previous.is_some_and(|p| index <= p) {
                return Err(format!("histogram bucket {index}: indices must increase and be at most {last}"));
            }
            previous = Some(index);
            let (low, high) = h.bucket_bounds(index as usize);
            let (c, s) = (u128::from(count), sum);
            if count == 0 || s < c * u128::from(low) || s > c * u128::from(high) {
                return Err(format!(
                    "histogram bucket {index}: count {count} and sum {sum} do not fit values in [{low}, {high}]"
                ));
            }
            h.add(index as usize, count, sum);
        }
        Ok(h)
    }
}

impl Default for LogHistogram {
    fn default() -> Self {
        Self::new(Self::DEFAULT_PRECISION)
    }
}

/// One non-empty bucket of a [`LogHistogram`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bucket {
    /// Smallest value the bucket holds.
    pub low: u64,
    /// Largest value the bucket holds.
    pub high: u64,
    /// How many values fell in it.
    pub count: u64,
    /// Their exact sum.
    pub sum: u128,
}

impl Bucket {
    /// Mean of the values in the bucket.
    pub fn mean(&self) -> f64 {
        self.sum as f64 / self.count as f64
    }
}

impl LogHistogram {
    /// Default precision: exact below 1024, within 0.2% above.
    pub const DEFAULT_PRECISION: u32 = 10;

    /// The precision of its buckets (histograms merge only at equal precision).
    pub fn precision(&self) -> u32 {
        self.precision
    }

    /// An empty histogram, exact below `2^precision` (precision in 2..=16).
    pub fn new(precision: u32) -> Self {
        assert!((2..=16).contains(&precision), "precision must lie in 2..=16");
        LogHistogram { precision, counts: Vec::new(), sums: Vec::new(), above: Vec::new() }
    }

    /// Bucket index of `value`.
    #[inline]
    pub fn bucket_of(&self, value: u64) -> usize {
        Self::bucket_index(value, self.precision)
    }

    /// Bucket index of `value` in a histogram of precision `p`.
    #[inline]
    pub fn bucket_index(value: u64, p: u32) -> usize {
        if value < (1u64 << p) {
            value as usize
        } else {
            let e = 63 - value.leading_zeros(); // e >= p
            let shift = e - (p - 1);
            let half = 1usize << (p - 1);
            (1usize << p) + (e - p) as usize * half + ((value >> shift) as usize - half)
        }
    }

    /// Smallest and largest value of bucket `index`.
    pub fn bucket_bounds(&self, index: usize) -> (u64, u64) {
        let p = self.precision;
        let exact = 1usize << p;
        if index < exact {
            return (index as u64, index as u64);
        }
        let half = 1usize << (p - 1);
        let e = p + ((index - exact) / half) as u32;
        let shift = e - (p - 1);
        let mantissa = ((index - exact) % half + half) as u64;
        let low = mantissa << shift;
        (low, low + ((1u64 << shift) - 1))
    }

    /// Adds one value.
    #[inline]
    pub fn record(&mut self, value: u64) {
        self.add(self.bucket_of(value), 1, u128::from(value));
    }

    /// Adds `count` values summing to `sum` to bucket `i`.
    #[inline]
    fn add(&mut self, i: usize, count: u64, sum: u128) {
        if i < DENSE_BUCKETS {
            if i >= self.counts.len() {
                self.counts.resize(i + 1, 0);
                self.sums.resize(i + 1, 0);
            }
            self.counts[i] += count;
            self.sums[i] += sum;
        } else {
            let i = i as u32; // below 2^21 at precision 16
            match self.above.binary_search_by_key(&i, |b| b.0) {
                Ok(k) => {
                    self.above[k].1 += count;
                    self.above[k].2 += sum;
                }
                Err(k) => self.above.insert(k, (i, count, sum)),
            }
        }
    }

    /// Adds every value of `other` (which must have the same precision).
    pub fn merge(&mut self, other: &LogHistogram) {
        assert_eq!(self.precision, other.precision, "histograms of different precision");
        if other.counts.len() > self.counts.len() {
            self.counts.resize(other.counts.len(), 0);
            self.sums.resize(other.counts.len(), 0);
        }
        for (i, (&c, &s)) in other.counts.iter().zip(&other.sums).enumerate() {
            self.counts[i] += c;
            self.sums[i] += s;
        }
        if self.above.is_empty() {
            self.above.clone_from(&other.above);
            return;
        }
        // Both lists are sorted: merge them in one pass.
        let mut merged = Vec::with_capacity(self.above.len() + other.above.len());
        let (mut a, mut b) = (self.above.iter().peekable(), other.above.iter().peekable());
        while let (Some(&&x), Some(&&y)) = (a.peek(), b.peek()) {
            merged.push(match x.0.cmp(&y.0) {
                std::cmp::Ordering::Less => *a.next().expect("peeked"),
                std::cmp::Ordering::Greater => *b.next().expect("peeked"),
                std::cmp::Ordering::Equal => {
                    a.next();
                    b.next();
                    (x.0, x.1 + y.1, x.2 + y.2)
                }
            });
        }
        merged.extend(a.chain(b));
        self.above = merged;
    }

    /// The non-empty buckets as `(index, count, sum)`, in increasing index order.
    fn non_empty(&self) -> impl DoubleEndedIterator<Item = (usize, u64, u128)> + '_ {
        let dense = self.counts.iter().zip(&self.sums).enumerate().filter(|(_, (c, _))| **c > 0);
        let dense = dense.map(|(i, (&c, &s))| (i, c, s));
        dense.chain(self.above.iter().map(|&(i, c, s)| (i as usize, c, s)))
    }

    /// Number of values recorded.
    pub fn count(&self) -> u64 {
        self.counts.iter().sum::<u64>() + self.above.iter().map(|b| b.1).sum::<u64>()
    }

    /// Exact sum of the values recorded.
    pub fn sum(&self) -> u128 {
        self.sums.iter().sum::<u128>() + self.above.iter().map(|b| b.2).sum::<u128>()
    }

    /// Exact mean, or `None` when empty.
    pub fn mean(&self) -> Option<f64> {
        let n = self.count();
        (n > 0).then(|| self.sum() as f64 / n as f64)
    }

    /// The non-empty buckets in increasing order of value.
    pub fn buckets(&self) -> impl DoubleEndedIterator<Item = Bucket> + '_ {
        self.non_empty().map(|(i, count, sum)| {
            let (low, high) = self.bucket_bounds(i);
            Bucket { low, high, count, sum }
        })
    }

    /// The value of the `rank`-th smallest observation (1-based): exact when
    /// its bucket holds one value, otherwise the mean of its bucket.
    pub fn value_at_rank(&self, rank: u64) -> Option<f64> {
        let mut seen = 0u64;
        for b in self.buckets() {
            seen += b.count;
            if seen >= rank.max(1) {
                return Some(if b.low == b.high { b.low as f64 } else { b.mean() });
            }
        }
        None
    }

    /// The `q`-quantile (nearest-rank definition: the smallest recorded value
    /// with at least a fraction `q` of values at or below it), or `None` when empty.
    pub fn quantile(&self, q: f64) -> Option<f64> {
        let n = self.count();
        if n == 0 {
            return None;
        }
        let rank = ((q.clamp(0.0, 1.0) * n as f64).ceil() as u64).clamp(1, n);
        self.value_at_rank(rank)
    }

    /// Gini coefficient of the values, or `None` when empty or all zero.
    ///
    /// `G = 2 Σ_i i x_(i) / (n Σ x) - (n + 1) / n` over the sorted values, with
    /// the values inside one bucket taken as equal to the bucket's mean (which
    /// can only lower G, by at most the bucket's relative width).
    pub fn gini(&self) -> Option<f64> {
        let n = self.count() as f64;
        let total = self.sum() as f64;
        if n == 0.0 || total == 0.0 {
            return None;
        }
        let mut below = 0.0;
        let mut weighted = 0.0;
        for b in self.buckets() {
            let c = b.count as f64;
            weighted += b.sum as f64 * (below + (c + 1.0) / 2.0);
            below += c;
        }
        Some(2.0 * weighted / (n * total) - (n + 1.0) / n)
    }

    /// Share of the total held by the largest `fraction` of values (the top
    /// `ceil(fraction * n)`), or `None` when empty or all zero. Inside the
    /// bucket that straddles the cut, values are taken at the bucket's mean.
    pub fn top_share(&self, fraction: f64) -> Option<f64> {
        let n = self.count();
        let total = self.sum() as f64;
        if n == 0 || total == 0.0 {
            return None;
        }
        let mut left = ((fraction.clamp(0.0, 1.0) * n as f64).ceil() as u64).max(1);
        let mut held = 0.0;
        for b in self.buckets().rev() {
            let take = left.min(b.count);
            held += if take == b.count { b.sum as f64 } else { take as f64 * b.mean() };
            left -= take;
            if left == 0 {
                break;
            }
        }
        Some(held / total)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buckets_round_trip_and_bound_relative_error() {
        let h = LogHistogram::new(10);
        let mut last = 0;
        for v in (0..5000u64).chain([1 << 20, (1 << 40) + 12345, u64::MAX / 3, u64::MAX]) {
            let i = h.bucket_of(v);
            let (lo, hi) = h.bucket_bounds(i);
            assert!(lo <= v && v <= hi, "{v} not in bucket {i} = [{lo}, {hi}]");
            assert!((hi - lo) as f64 <= v as f64 / 512.0 + 1.0);
            if v < 5000 {
                assert!(i >= last);
                last = i;
            }
        }
        for v in 0..1024 {
            assert_eq!(h.bucket_bounds(h.bucket_of(v)), (v, v));
        }
    }

    #[test]
    fn statistics_of_known_data() {
        let mut h = LogHistogram::default();
        for v in 1..=100u64 {
            h.record(v);
        }
        assert_eq!(h.count(), 100);
        assert_eq!(h.sum(), 5050);
        assert_eq!(h.quantile(0.5), Some(50.0));
        assert_eq!(h.quantile(0.9), Some(90.0));
        assert_eq!(h.quantile(1.0), Some(100.0));
        // Gini of 1..=n is (n - 1) / (3n).
        assert!((h.gini().unwrap() - 99.0 / 300.0).abs() < 1e-12);
        // Top 1% is the single value 100.
        assert!((h.top_share(0.01).unwrap() - 100.0 / 5050.0).abs() < 1e-12);
    }

    #[test]
    fn merge_equals_recording_everything() {
        let (mut a, mut b, mut all) =
            (LogHistogram::default(), LogHistogram::default(), LogHistogram::default());
        for v in 0..10_000u64 {
            let x = v * v * 37 % 1_000_003;
            if v % 3 == 0 {
                a.record(x)
            } else {
                b.record(x)
            }
            all.record(x);
        }
        let mut ab = a.clone();
        ab.merge(&b);
        b.merge(&a);
        assert_eq!(ab, all);
        assert_eq!(b, all);
    }

    #[test]
    fn buckets_above_the_arrays_count_and_merge_like_the_rest() {
        let (mut a, mut b, mut all) =
            (LogHistogram::default(), LogHistogram::default(), LogHistogram::default());
        for v in 0..20_000u64 {
            // Values from 0 to about 2^50, most beyond the arrays' 2^24.
            let x = (v * v * 2_654_435_761) % (1 << (v % 51));
            if v % 3 == 0 {
                a.record(x)
            } else {
                b.record(x)
            }
            all.record(x);
        }
        assert!(!all.above.is_empty() && all.counts.len() <= DENSE_BUCKETS);
        let mut ab = a.clone();
        ab.merge(&b);
        b.merge(&a);
        assert_eq!(ab, all);
        assert_eq!(b, all);
        let back: LogHistogram = serde_json::from_str(&serde_json::to_string(&all).unwrap()).unwrap();
        assert_eq!(back, all);
        let indices: Vec<usize> = all.non_empty().map(|(i, _, _)| i).collect();
        assert!(indices.windows(2).all(|w| w[0] < w[1]), "buckets in increasing order");
        assert_eq!(all.count(), 20_000);
        assert_eq!(all.buckets().map(|b| b.sum).sum::<u128>(), all.sum());
    }

    #[test]
    fn a_bucket_near_the_top_read_back_allocates_no_array() {
        // Before, this 50-byte text made a 39 MB histogram: a forged record
        // of 20 such made `clout merge` peak at 756 MiB.
        let top = LogHistogram::new(16).bucket_of(u64::MAX - (1 << 48));
        let (low, _) = LogHistogram::new(16).bucket_bounds(top);
        let text = format!("{{\"precision\":16,\"buckets\":[[{top},1,{low}]]}}");
        let h: LogHistogram = serde_json::from_str(&text).unwrap();
        assert_eq!((h.counts.capacity(), h.sums.capacity(), h.above.len()), (0, 0, 1));
        assert_eq!((h.count(), h.quantile(0.5)), (1, Some(low as f64)));
    }

    #[test]
    fn empty_histogram_has_no_statistics() {
        let h = LogHistogram::default();
        assert_eq!(h.quantile(0.5), None);
        assert_eq!(h.gini(), None);
        assert_eq!(h.top_share(0.01), None);
        assert_eq!(h.mean(), None);
    }
}
