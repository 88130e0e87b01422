//! A creator's follower history, read from a CSV file: career days (or
//! dates) and follower counts as platforms display them.
//!
//! The file has a header row naming its columns (in any order, any case):
//!
//! * `day` (career days since the creator's first day, an integer `>= 1`)
//!   or `date` (`YYYY-MM-DD`; the creator's first day is then given
//!   separately, [`HistoryOptions::started`]);
//! * `followers`: a count as a platform shows it: `9874`, `9,874`, `10.2k`,
//!   `10K`, `1.5M`. A shown count stands for every true count that rounds to
//!   it: `10.2k` for `[10,150, 10,250)`, `9,874` for `[9,873.5, 9,874.5)`;
//!   that interval is what the inference reads ([`Row::low`], [`Row::high`]);
//! * optionally `posts_per_week`: the creator's posting rate over the
//!   period up to the row (the model's effort; the history's average is
//!   used, the model holding effort constant over a career).
//!
//! Every bad input is a one-line [`HistoryError`] naming the file, the row
//! (its line number), the field, the value and what is allowed.

use crate::error::one_line;
use crate::model::career::{EFFORT_RANGE, MAX_DAYS, NICHE_RANGE};
use serde::{Deserialize, Serialize};
use std::fmt;

/// The largest history file read: 1 MiB (a daily history of 100 years is
/// about 0.7 MiB).
pub const MAX_HISTORY_BYTES: u64 = 1 << 20;
/// The most rows a history may have: one a day for 100 years.
pub const MAX_HISTORY_ROWS: usize = MAX_DAYS as usize;

/// A history that cannot be read: displays as
/// `FILE: row N: FIELD = VALUE: WHAT IS ALLOWED`, on one line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryError {
    /// The file.
    pub file: String,
    /// The line of the file (1 is the header), or 0 for the file as a whole.
    pub row: usize,
    /// The column (or `file`).
    pub field: String,
    /// The value refused, as written.
    pub value: String,
    /// What is allowed.
    pub allowed: String,
}

impl fmt::Display for HistoryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let file = one_line(&self.file);
        if self.row == 0 {
            write!(f, "{file}: {}", one_line(&self.allowed))
        } else {
            write!(
                f,
                "{file}: row {}: {} = {:?}: {}",
                self.row,
                one_line(&self.field),
                one_line(&self.value),
                one_line(&self.allowed)
            )
        }
    }
}

impl std::error::Error for HistoryError {}

/// How to read a history's dates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct HistoryOptions {
    /// The creator's first day (days since 1970-01-01), for a history of
    /// dates: a row's career day is its date minus this day.
    pub started: Option<i64>,
}

/// One row: a career day and the interval of true counts the shown count
/// stands for.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Row {
    /// The line of the file it came from.
    pub line: usize,
    /// Career days done (`>= 1`).
    pub day: u32,
    /// The count as shown, read as a number (`10.2k` is 10,200).
    pub shown: f64,
    /// The lowest true count that is shown so.
    pub low: f64,
    /// The highest (exclusive).
    pub high: f64,
}

/// A history, checked: days strictly increasing, counts within the model's
/// range.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct History {
    /// The rows, in order of day.
    pub rows: Vec<Row>,
    /// The average posts a week over the rows that give it, if any do.
    pub posts_per_week: Option<f64>,
}

impl History {
    /// The last row (a history has at least one).
    pub fn last(&self) -> &Row {
        self.rows.last().expect("a history has rows")
    }
}

/// Days since 1970-01-01 of a `YYYY-MM-DD` date (proleptic Gregorian), or
/// `None` if it is not one (Hinnant's `days_from_civil`).
pub fn parse_date(text: &str) -> Option<i64> {
    let parts: Vec<&str> = text.trim().split('-').collect();
    let [y, m, d] = parts.as_slice() else { return None };
    if y.len() != 4 || m.len() != 2 || d.len() != 2 {
        return None;
    }
    let (y, m, d): (i64, i64, i64) = (y.parse().ok()?, m.parse().ok()?, d.parse().ok()?);
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let month_days = [31, if leap { 29 } else { 28 }, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    if !(1..=12).contains(&m) || d < 1 || d > month_days[(m - 1) as usize] {
        return None;
    }
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some(era * 146_097 + doe - 719_468)
}

/// A count as a platform shows it, with the interval of true counts it
/// stands for: `(shown, low, high)`. `None` if it is not one.
pub fn parse_count(text: &str) -> Option<(f64, f64, f64)> {
    let t = text.trim();
    let (digits, unit) = match t.chars().last()? {
        'k' | 'K' => (&t[..t.len() - 1], 1e3),
        'm' | 'M' => (&t[..t.len() - 1], 1e6),
        'b' | 'B' => (&t[..t.len() - 1], 1e9),
        _ => (t, 1.0),
    };
    let digits = digits.trim();
    // Thousands separators only without a unit, and only in groups of three.
    let plain: String = if unit == 1.0 && digits.contains(',') {
        let groups: Vec<&str> = digits.split(',').collect();
        let ok = !groups[0].is_empty()
            && groups[0].len() <= 3
            && groups[1..].iter().all(|g| g.len() == 3)
            && groups.iter().all(|g| g.bytes().all(|b| b.is_ascii_digit()));
        if !ok {
            return None;
        }
        groups.concat()
    } else {
        digits.to_string()
    };
    let (whole, decimals) = plain.split_once('.').unwrap_or((&plain, ""));
    let valid = !whole.is_empty()
        && whole.bytes().all(|b| b.is_ascii_digit())
        && decimals.bytes().all(|b| b.is_ascii_digit())
        && !(plain.contains('.') && decimals.is_empty())
        && (unit != 1.0 || decimals.is_empty());
    if !valid {
        return None;
    }
    let value: f64 = plain.parse().ok()?;
    let shown = value * unit;
    let half = 0.5 * unit * 10f64.powi(-(decimals.len() as i32));
    Some((shown, (shown - half).max(0.0), shown + half))
}

/// The column indices of a header: `(day or date, followers, posts)`, and
/// whether the first is a date.
fn columns(
    header: &str,
    err: &dyn Fn(usize, &str, &str, &str) -> HistoryError,
) -> Result<(usize, bool, usize, Option<usize>), HistoryError> {
    let names: Vec<String> = header.split(',').map(|c| c.trim().to_ascii_lowercase()).collect();
    let find = |name: &str| names.iter().position(|n| n == name);
    let allowed = "the header must name a `day` (or `date`) column and a `followers` column \
                   (and optionally `posts_per_week`)";
    let (time, is_date) = match (find("day"), find("date")) {
        (Some(i), None) => (i, false),
        (None, Some(i)) => (i, true),
        _ => return Err(err(1, "header", header, allowed)),
    };
    let followers = find("followers").ok_or_else(|| err(1, "header", header, allowed))?;
    for name in &names {
        if !["day", "date", "followers", "posts_per_week"].contains(&name.as_str()) {
            return Err(err(1, "header", header, &format!("unknown column {name:?}: {allowed}")));
        }
    }
    Ok((time, is_date, followers, find("posts_per_week")))
}

/// Reads a history from the text of file `file` (module docs).
pub fn parse_history(text: &str, file: &str, options: HistoryOptions) -> Result<History, HistoryError> {
    let err = |row: usize, field: &str, value: &str, allowed: &str| HistoryError {
        file: file.to_string(),
        row,
        field: field.to_string(),
        value: value.to_string(),
        allowed: allowed.to_string(),
    };
    let whole = |allowed: &str| err(0, "file", "", allowed);
    if text.len() as u64 > MAX_HISTORY_BYTES {
        return Err(whole("is larger than 1 MiB, more than any history (one row a day for 100 years)"));
    }
    let mut lines = text.lines().enumerate().map(|(i, l)| (i + 1, l)).filter(|(_, l)| !l.trim().is_empty());
    let Some((_, header)) = lines.next() else {
        return Err(whole("is empty: a history needs a header (day,followers) and at least one row"));
    };
    let (time, is_date, followers, posts) = columns(header, &err)?;
    let width = header.split(',').count();
    let started = match (is_date, options.started) {
        (true, None) => {
            return Err(whole(
                "gives dates: say the creator's first day (--started YYYY-MM-DD) so dates become career days",
            ));
        }
        (_, s) => s,
    };
    let layout = Layout { time, is_date, followers, posts, width, started };
    let mut rows: Vec<Row> = Vec::new();
    let (mut posts_sum, mut posts_rows) = (0.0, 0usize);
    for (line, text) in lines {
        if rows.len() >= MAX_HISTORY_ROWS {
            return Err(err(line, "file", "", &format!("has more than {MAX_HISTORY_ROWS} rows")));
        }
        let (row, posts) = parse_row(line, text, &layout, rows.last(), &err)?;
        if let Some(rate) = posts {
            posts_sum += rate;
            posts_rows += 1;
        }
        rows.push(row);
    }
    if rows.is_empty() {
        return Err(whole("has a header but no rows: a history needs at least one row"));
    }
    Ok(History { rows, posts_per_week: (posts_rows > 0).then(|| posts_sum / posts_rows as f64) })
}

/// Where a history's columns are, and how its days are read.
struct Layout {
    time: usize,
    is_date: bool,
    followers: usize,
    posts: Option<usize>,
    width: usize,
    started: Option<i64>,
}

/// One row of a history (line `line`, text `text`), after `prev`: the row
/// and its posts a week, if given.
fn parse_row(
    line: usize,
    text: &str,
    layout: &Layout,
    prev: Option<&Row>,
    err: &dyn Fn(usize, &str, &str, &str) -> HistoryError,
) -> Result<(Row, Option<f64>), HistoryError> {
    let Layout { time, is_date, followers, posts, width, started } = *layout;
    let cells: Vec<&str> = text.split(',').map(str::trim).collect();
    // A count with thousands separators holds commas: "9,874" quoted.
    let cells = rejoin_quoted(&cells);
    if cells.len() != width {
        return Err(err(line, "row", text, &format!("must have {width} cells, as the header has")));
    }
    let day = if is_date {
        let date = parse_date(&cells[time])
            .ok_or_else(|| err(line, "date", &cells[time], "must be a date YYYY-MM-DD"))?;
        let d = date - started.expect("checked");
        if d < 1 {
            return Err(err(line, "date", &cells[time], "must be after the creator's first day (--started)"));
        }
        d
    } else {
        cells[time]
            .parse::<i64>()
            .map_err(|_| err(line, "day", &cells[time], "must be a whole number of career days >= 1"))?
    };
    if !(1..i64::from(MAX_DAYS)).contains(&day) {
        return Err(err(line, "day", &day.to_string(), &format!("must lie in [1, {}]", MAX_DAYS - 1)));
    }
    let day = day as u32;
    if let Some(prev) = prev
        && day <= prev.day
    {
        let what = if day == prev.day { "duplicates" } else { "comes before" };
        return Err(err(
            line,
            if is_date { "date" } else { "day" },
            &cells[time],
            &format!(
                "{what} the day of row {} (day {}): rows must be in increasing order of day",
                prev.line, prev.day
            ),
        ));
    }
    let shown = cells[followers].trim_matches('"');
    let (value, low, high) = parse_count(shown).ok_or_else(|| {
        let allowed = if shown.trim_start().starts_with('-') {
            "must not be negative"
        } else {
            "must be a count as shown: 9874, 9,874, 10.2k, 10K, 1.5M (no sign, no exponent)"
        };
        err(line, "followers", shown, allowed)
    })?;
    if value > NICHE_RANGE.1 {
        return Err(err(line, "followers", shown, &format!("must be at most {:e}", NICHE_RANGE.1)));
    }
    let rate = match posts.map(|p| &cells[p]).filter(|c| !c.is_empty()) {
        None => None,
        Some(cell) => {
            let rate: f64 = cell
                .parse()
                .ok()
                .filter(|r: &f64| r.is_finite())
                .ok_or_else(|| err(line, "posts_per_week", cell, "must be a number of posts a week"))?;
            if !(EFFORT_RANGE.0..=EFFORT_RANGE.1).contains(&rate) {
                let allowed = format!(
                    "must lie in [{}, {}] (the model's effort range)",
                    EFFORT_RANGE.0, EFFORT_RANGE.1
                );
                return Err(err(line, "posts_per_week", cell, &allowed));
            }
            Some(rate)
        }
    };
    Ok((Row { line, day, shown: value, low, high }, rate))
}

/// Cells split at commas, with a quoted cell that held commas (`"9,874"`)
/// joined again.
fn rejoin_quoted(cells: &[&str]) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(cells.len());
    let mut open: Option<String> = None;
    for &cell in cells {
        match open.take() {
            Some(mut acc) => {
                acc.push(',');
                acc.push_str(cell);
                if cell.ends_with('"') {
                    out.push(acc.trim_matches('"').to_string());
                } else {
                    open = Some(acc);
                }
            }
            None if cell.starts_with('"') && !(cell.len() > 1 && cell.ends_with('"')) => {
                open = Some(cell.to_string())
            }
            None => out.push(cell.trim_matches('"').to_string()),
        }
    }
    if let Some(acc) = open {
        out.push(acc); // an unclosed quote: left as is, refused as a count
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Result<History, String> {
        parse_history(text, "h.csv", HistoryOptions::default()).map_err(|e| e.to_string())
    }

    #[test]
    fn counts_as_shown_stand_for_their_rounding() {
        assert_eq!(parse_count("10.2k"), Some((10_200.0, 10_150.0, 10_250.0)));
        assert_eq!(parse_count("10K"), Some((10_000.0, 9_500.0, 10_500.0)));
        assert_eq!(parse_count("1.5M"), Some((1.5e6, 1.45e6, 1.55e6)));
        assert_eq!(parse_count("9,874"), Some((9_874.0, 9_873.5, 9_874.5)));
        assert_eq!(parse_count("0"), Some((0.0, 0.0, 0.5)));
        for bad in ["-5", "1e4", "10.k", "1,23", "k", "", "12.5", "1.2.3k", "ten"] {
            assert_eq!(parse_count(bad), None, "{bad}");
        }
    }

    #[test]
    fn dates_are_days_since_1970() {
        assert_eq!(parse_date("1970-01-01"), Some(0));
        assert_eq!(parse_date("2024-03-01"), Some(19_783));
        assert_eq!(parse_date("2023-02-29"), None);
        assert_eq!(parse_date("2024-2-1"), None);
    }

    #[test]
    fn a_good_history_reads() {
        let h = read("day,followers,posts_per_week\n7,12,3\n14,\"1,020\",5\n30,2.5k,\n").unwrap();
        assert_eq!(h.rows.len(), 3);
        assert_eq!(h.rows[1].shown, 1020.0);
        assert_eq!((h.rows[2].low, h.rows[2].high), (2450.0, 2550.0));
        assert_eq!(h.posts_per_week, Some(4.0));
        let dated = parse_history(
            "date,followers\n2024-01-08,10\n",
            "d.csv",
            HistoryOptions { started: parse_date("2024-01-01") },
        )
        .unwrap();
        assert_eq!(dated.rows[0].day, 7);
    }

    #[test]
    fn bad_histories_name_the_row() {
        let cases = [
            ("", "h.csv: is empty"),
            ("day,followers\n", "h.csv: has a header but no rows"),
            ("when,followers\n1,2\n", "h.csv: row 1: header"),
            ("day,followers\n5,10\n3,12\n", "h.csv: row 3: day = \"3\": comes before the day of row 2"),
            ("day,followers\n5,10\n5,12\n", "h.csv: row 3: day = \"5\": duplicates"),
            ("day,followers\n5,-10\n", "h.csv: row 2: followers = \"-10\": must not be negative"),
            ("day,followers\n5,10.2.1k\n", "h.csv: row 2: followers = \"10.2.1k\": must be a count"),
            ("day,followers\n40000,10\n", "h.csv: row 2: day = \"40000\": must lie in [1, 36499]"),
            ("day,followers\n5\n", "h.csv: row 2: row = \"5\": must have 2 cells"),
            ("date,followers\n2024-01-01,1\n", "h.csv: gives dates"),
            ("day,followers,posts_per_week\n5,1,99\n", "h.csv: row 2: posts_per_week = \"99\""),
        ];
        for (text, start) in cases {
            let e = read(text).unwrap_err();
            assert!(e.starts_with(start), "{text:?}: {e}");
            assert!(!e.contains('\n'));
        }
        let huge = "day,followers\n".to_string() + &"1,1\n".repeat(300_000);
        assert!(read(&huge).unwrap_err().contains("larger than 1 MiB"));
        let many: String =
            "day,followers\n".to_string() + &(1..=36_499).map(|d| format!("{d},1\n")).collect::<String>();
        assert!(read(&many).is_ok());
    }
}
