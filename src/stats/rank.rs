//! Rank statistics of a pair of variables in bounded memory.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A sparse two-way table of counts over `(x bin, y bin)`, from which rank
/// statistics of the binned variables are computed exactly: Spearman's rho
/// with mid-ranks for ties, and the mean x-percentile of the top `y` values.
///
/// The bins are the caller's (clout uses 1000 equal talent bins on `[0, 1]`
/// and log buckets of followers 3% wide), so every statistic is that of the
/// binned variables; memory is bounded by the number of occupied cells, not
/// by the number of trials, and tables merge exactly.
///
/// Serialized as the list of occupied cells `[x, y, count]`, and read
/// back cell by cell into the table (no list of them held beside it).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(into = "Vec<(u32, u32, u64)>")]
pub struct RankTable {
    cells: BTreeMap<(u32, u32), u64>,
}

impl From<RankTable> for Vec<(u32, u32, u64)> {
    fn from(table: RankTable) -> Self {
        table.cells.into_iter().map(|((x, y), c)| (x, y, c)).collect()
    }
}

impl<'de> Deserialize<'de> for RankTable {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Cells;
        impl<'de> serde::de::Visitor<'de> for Cells {
            type Value = RankTable;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a list of rank table cells [x, y, count]")
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<RankTable, A::Error> {
                let mut table = RankTable::new();
                while let Some((x, y, c)) = seq.next_element::<(u32, u32, u64)>()? {
                    if c == 0 || table.cells.insert((x, y), c).is_some() {
                        return Err(serde::de::Error::custom(format!(
                            "rank table cell ({x}, {y}): counts must be > 0 and cells distinct"
                        )));
                    }
                }
                Ok(table)
            }
        }
        deserializer.deserialize_seq(Cells)
    }
}

impl RankTable {
    /// An empty table.
    pub fn new() -> Self {
        Self::default()
    }

    /// Counts one observation in cell `(x, y)`.
    pub fn record(&mut self, x: u32, y: u32) {
        *self.cells.entry((x, y)).or_insert(0) += 1;
    }

    /// Adds the counts of `other`.
    pub fn merge(&mut self, other: &RankTable) {
        for (&k, &c) in &other.cells {
            *self.cells.entry(k).or_insert(0) += c;
        }
    }

    /// Observations counted.
    pub fn count(&self) -> u64 {
        self.cells.values().sum()
    }

    /// Mid-ranks (1-based) of every occupied bin of one coordinate.
    fn mid_ranks(&self, coord: impl Fn(&(u32, u32)) -> u32) -> BTreeMap<u32, f64> {
        let mut totals: BTreeMap<u32, u64> = BTreeMap::new();
        for (k, &c) in &self.cells {
            *totals.entry(coord(k)).or_insert(0) += c;
        }
        let mut below = 0u64;
        totals
            .into_iter()
            .map(|(bin, c)| {
                let r = below as f64 + (c as f64 + 1.0) / 2.0;
                below += c;
                (bin, r)
            })
            .collect()
    }

    /// Spearman's rank correlation of the binned x and y (mid-ranks for ties),
    /// or `None` when either variable is constant or the table is empty.
    pub fn spearman(&self) -> Option<f64> {
        let n = self.count() as f64;
        if n < 2.0 {
            return None;
        }
        let rx = self.mid_ranks(|k| k.0);
        let ry = self.mid_ranks(|k| k.1);
        let mean = (n + 1.0) / 2.0;
        let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
        for (&(x, y), &c) in &self.cells {
            let (dx, dy) = (rx[&x] - mean, ry[&y] - mean);
            let c = c as f64;
            sxy += c * dx * dy;
            sxx += c * dx * dx;
            syy += c * dy * dy;
        }
        (sxx > 0.0 && syy > 0.0).then(|| sxy / (sxx * syy).sqrt())
    }

    /// Mean percentile (0 to 100, `100 (mid-rank - 1/2) / n`) of x among all observations,
    /// over the top `fraction` of observations by y (the top
    /// `ceil(fraction * n)`; in the y bin that straddles the cut, its x values
    /// are taken in proportion). 50 means the top are no better in x than anyone.
    pub fn mean_x_percentile_of_top(&self, fraction: f64) -> Option<f64> {
        let n = self.count();
        if n == 0 {
            return None;
        }
        let rx = self.mid_ranks(|k| k.0);
        let take_total = ((fraction.clamp(0.0, 1.0) * n as f64).ceil() as u64).max(1);
        // Group cells by y bin, highest first.
        let mut by_y: BTreeMap<u32, Vec<(u32, u64)>> = BTreeMap::new();
        for (&(x, y), &c) in &self.cells {
            by_y.entry(y).or_default().push((x, c));
        }
        let mut left = take_total as f64;
        let mut weighted = 0.0;
        for cells in by_y.values().rev() {
            let in_bin: u64 = cells.iter().map(|&(_, c)| c).sum();
            let share = (left / in_bin as f64).min(1.0);
            for &(x, c) in cells {
                weighted += share * c as f64 * (rx[&x] - 0.5);
            }
            left -= share * in_bin as f64;
            if left <= 0.0 {
                break;
            }
        }
        Some(100.0 * weighted / take_total as f64 / n as f64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spearman_of_monotone_and_reversed_data() {
        let (mut up, mut down) = (RankTable::new(), RankTable::new());
        for i in 0..100u32 {
            up.record(i, i * i);
            down.record(i, 1000 - i);
        }
        assert!((up.spearman().unwrap() - 1.0).abs() < 1e-12);
        assert!((down.spearman().unwrap() + 1.0).abs() < 1e-12);
        // The top 10% by y in `up` are x = 90..99, mid-ranks 91..100,
        // percentiles 90.5..99.5, mean 95.
        assert!((up.mean_x_percentile_of_top(0.1).unwrap() - 95.0).abs() < 1e-9);
        assert!((down.mean_x_percentile_of_top(0.1).unwrap() - 5.0).abs() < 1e-9);
    }

    #[test]
    fn spearman_with_ties_matches_textbook_value() {
        // x = [1, 2, 2, 3], y = [1, 3, 2, 2]: mid-ranks x = [1, 2.5, 2.5, 4],
        // y = [1, 4, 2.5, 2.5]; Pearson of the ranks = 2.25 / 4.5 = 0.5.
        let mut t = RankTable::new();
        for (x, y) in [(1, 1), (2, 3), (2, 2), (3, 2)] {
            t.record(x, y);
        }
        assert!((t.spearman().unwrap() - 0.5).abs() < 1e-12);
    }

    #[test]
    fn tables_read_back_cell_by_cell_and_refuse_bad_cells() {
        let mut t = RankTable::new();
        for (x, y) in [(1, 1), (2, 3), (2, 3), (3, 2)] {
            t.record(x, y);
        }
        let text = serde_json::to_string(&t).unwrap();
        assert_eq!(text, "[[1,1,1],[2,3,2],[3,2,1]]");
        assert_eq!(serde_json::from_str::<RankTable>(&text).unwrap(), t);
        for bad in ["[[1,1,0]]", "[[1,1,1],[1,1,2]]"] {
            let e = serde_json::from_str::<RankTable>(bad).unwrap_err().to_string();
            assert!(e.starts_with("rank table cell (1, 1): counts must be > 0 and cells distinct"), "{e}");
        }
    }

    #[test]
    fn constant_variable_has_no_correlation() {
        let mut t = RankTable::new();
        for y in 0..10 {
            t.record(7, y);
        }
        assert_eq!(t.spearman(), None);
        assert!((t.mean_x_percentile_of_top(0.1).unwrap() - 50.0).abs() < 1e-9);
    }
}
