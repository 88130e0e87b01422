//! Data targets: one published statistic a file (`targets/data/*.toml`),
//! with its source and date, listed by a calibration with a weight.
//!
//! A calibration file (`targets/*.toml`) lists its targets:
//!
//! ```toml
//! [[target]]
//! file = "data/hypeauditor-2026-shares.toml"   # relative to the calibration file
//! weight = 1000                                # the accounts the target is worth
//! [[target]]
//! file = "data/youtube-1m-given-100k.toml"
//! weight = 1000
//! held_out = true                              # fitted without it, checked against it
//! ```
//!
//! A data file states what was observed, by whom and when, and the numbers as
//! published:
//!
//! ```toml
//! name = "ccdf-slope-100k-1m"
//! kind = "slope"                 # shares, ratio, slope, or growth (recorded, not fitted)
//! description = "..."
//! date = "2019-12"               # when the data were observed
//! [source]
//! authors = "..."
//! title = "..."
//! year = 2020
//! url = "https://..."            # where a public copy is ("" when none)
//! [slope]
//! from = 100000
//! to = 1000000
//! low = -1.0
//! high = -0.94
//! ```
//!
//! Every kind is a statement about the followers of the accounts in a
//! snapshot, so every kind becomes categories of final followers whose
//! shares the model gives:
//! * `shares`: bands of tiers among the accounts at or above the lowest band
//!   (the census; the rest, if any, is a category too);
//! * `ratio`: `P(followers >= above | followers >= given) = value`, two categories;
//! * `slope`: the follower CCDF's slope per decade between `from` and `to`,
//!   `s = log10(P(>= to) / P(>= from)) / log10(to / from)`, published as a
//!   range `[low, high]` over sources; fitted as the ratio `P(>= to | >= from)
//!   = (to / from)^s` at the range's middle `s`;
//! * `growth`: counts of accounts over a threshold at several platform dates,
//!   recorded with their source but refused by a calibration (the reason is
//!   [`GROWTH_LEFT_OUT`]).

use crate::error::FieldError;
use serde::{Deserialize, Serialize};

use super::Band;

/// The data targets built into clout (the files in `targets/data/`): the
/// path a calibration names them by, file text.
pub const BUILTIN_DATA: &[(&str, &str)] = &[
    ("data/hypeauditor-2026-shares.toml", include_str!("../../../targets/data/hypeauditor-2026-shares.toml")),
    ("data/youtube-1m-given-100k.toml", include_str!("../../../targets/data/youtube-1m-given-100k.toml")),
    ("data/ccdf-slope-100k-1m.toml", include_str!("../../../targets/data/ccdf-slope-100k-1m.toml")),
    ("data/ccdf-slope-above-1m.toml", include_str!("../../../targets/data/ccdf-slope-above-1m.toml")),
    (
        "data/youtube-million-channels.toml",
        include_str!("../../../targets/data/youtube-million-channels.toml"),
    ),
];

/// The largest data file read: 64 KiB.
pub const MAX_DATA_BYTES: u64 = 64 * 1024;

/// The most targets a calibration may list.
pub const MAX_TARGETS: usize = 16;

/// Why a `growth` target is recorded but not fitted.
pub const GROWTH_LEFT_OUT: &str = "is recorded data that clout does not fit: a count of accounts over a \
     threshold at several platform dates is the arrival of creators times their growth, and the snapshot \
     scenario's arrivals (entry_day ~ Uniform over ten years) are an assumption, not YouTube's; fitting the \
     growth shape would tune share_rate and the niche to stand in for the arrivals (docs/CALIBRATION.md, \
     \"Left out\")";

/// A target as a calibration file lists it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TargetEntry {
    /// The data file: a path relative to the calibration file, or a built-in
    /// one (`data/hypeauditor-2026-shares.toml`).
    pub file: String,
    /// What the target is worth in the objective: the accounts `w_t` its
    /// statistic is taken to rest on, in `[1, 1e9]` (see [`super::deviance`]).
    pub weight: f64,
    /// Fitted without it, then checked against it with an interval.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub held_out: bool,
    /// The file's data, as read (a record keeps it, so it is checked and
    /// resumed without the file).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data: Option<TargetData>,
}

/// What kind of statistic a data target is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TargetKind {
    /// Tier shares among accounts at or above the lowest band.
    Shares,
    /// `P(followers >= above | followers >= given)`.
    Ratio,
    /// The follower CCDF's slope per decade between two follower counts.
    Slope,
    /// Counts over a threshold at several platform dates (recorded, not fitted).
    Growth,
}

impl TargetKind {
    /// The kind's name in a file.
    pub fn name(self) -> &'static str {
        match self {
            TargetKind::Shares => "shares",
            TargetKind::Ratio => "ratio",
            TargetKind::Slope => "slope",
            TargetKind::Growth => "growth",
        }
    }
}

/// Where a target's numbers were published.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourceSpec {
    /// Authors, or the organisation.
    pub authors: String,
    /// The title of the publication.
    pub title: String,
    /// Where it appeared (a journal and issue, a report series), if anywhere.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub venue: String,
    /// The year of publication.
    pub year: u32,
    /// A public copy (`https://...`), or empty when there is none.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub url: String,
}

/// One published number behind a target, e.g. one source of a slope.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Evidence {
    /// Who published it (short).
    pub source: String,
    /// The number derived from it.
    pub value: f64,
    /// The published numbers and the arithmetic.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
}

/// `[ratio]`: `P(followers >= above | followers >= given) = value`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RatioSpec {
    /// Followers of the accounts counted.
    pub above: u64,
    /// Followers of the accounts counted among, `< above`.
    pub given: u64,
    /// The published value, in `(0, 1)`.
    pub value: f64,
}

/// `[slope]`: the CCDF's slope per decade between `from` and `to`, in `[low, high]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SlopeSpec {
    /// The lower follower count, `>= 1`.
    pub from: u64,
    /// The upper follower count, `> from`.
    pub to: u64,
    /// The lowest published slope per decade, `< 0`.
    pub low: f64,
    /// The highest published slope per decade, in `[low, 0)`.
    pub high: f64,
    /// The published numbers behind the range.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub evidence: Vec<Evidence>,
}

impl SlopeSpec {
    /// Decades between `from` and `to`: `log10(to / from)`.
    pub fn decades(&self) -> f64 {
        (self.to as f64 / self.from as f64).log10()
    }

    /// The ratio `P(>= to | >= from) = 10^(s decades)` at slope `s`.
    pub fn ratio_at(&self, slope: f64) -> f64 {
        10f64.powf(slope * self.decades())
    }

    /// The slope per decade of a ratio `p = P(>= to | >= from)`.
    pub fn slope_of(&self, p: f64) -> f64 {
        p.log10() / self.decades()
    }
}

/// One count of a growth target.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GrowthPoint {
    /// When it was counted (`YYYY`, `YYYY-MM` or `YYYY-MM-DD`).
    pub date: String,
    /// The count, as published.
    pub count: f64,
}

/// `[growth]`: accounts at or above `threshold` at several dates.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GrowthSpec {
    /// The follower threshold counted.
    pub threshold: u64,
    /// When the platform opened (`YYYY`...).
    pub opened: String,
    /// The counts, in date order.
    pub points: Vec<GrowthPoint>,
}

/// A data target file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TargetData {
    /// A short name.
    pub name: String,
    /// Its kind; the section of that name holds the numbers.
    pub kind: TargetKind,
    /// What it is, in a sentence.
    #[serde(default)]
    pub description: String,
    /// When the data were observed (`YYYY`, `YYYY-MM` or `YYYY-MM-DD`).
    pub date: String,
    /// Where the numbers were published.
    pub source: SourceSpec,
    /// Further sources, or how the numbers were derived.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
    /// `kind = "shares"`: band name -> share (as in a calibration's `[shares]`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shares: Option<toml::Table>,
    /// `kind = "ratio"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ratio: Option<RatioSpec>,
    /// `kind = "slope"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub slope: Option<SlopeSpec>,
    /// `kind = "growth"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub growth: Option<GrowthSpec>,
}

/// A date `YYYY`, `YYYY-MM` or `YYYY-MM-DD` with a year in `[1900, 2100]`.
fn check_date(field: &str, date: &str) -> Result<(), FieldError> {
    let parts: Vec<&str> = date.split('-').collect();
    let numbers: Option<Vec<u32>> = parts.iter().map(|p| p.parse().ok()).collect();
    let ok = match numbers.as_deref() {
        Some([y]) => parts[0].len() == 4 && (1900..=2100).contains(y),
        Some([y, m]) => parts[0].len() == 4 && (1900..=2100).contains(y) && (1..=12).contains(m),
        Some([y, m, d]) => {
            parts[0].len() == 4 && (1900..=2100).contains(y) && (1..=12).contains(m) && (1..=31).contains(d)
        }
        _ => false,
    };
    if ok {
        Ok(())
    } else {
        Err(FieldError::new(
            field,
            format!("{date:?}"),
            "must be a date YYYY, YYYY-MM or YYYY-MM-DD (year 1900-2100)",
        ))
    }
}

impl TargetData {
    /// Parses and validates a data file's text; errors name the field.
    pub fn from_toml_str(text: &str) -> Result<TargetData, FieldError> {
        let data: TargetData = toml::from_str(text).map_err(|e| {
            let at = e.span().map(|s| {
                let before = &text[..s.start.min(text.len())];
                format!("line {}", before.matches('\n').count() + 1)
            });
            FieldError::new(at.unwrap_or_else(|| "(file)".into()), "(text)", e.message().trim().to_string())
        })?;
        data.check()?;
        Ok(data)
    }

    /// Checks the fields: a name, a date, a source with a year and a
    /// public URL (or none), and exactly the section of its kind, valid.
    pub fn check(&self) -> Result<(), FieldError> {
        if self.name.trim().is_empty() {
            return Err(FieldError::new("name", "\"\"", "must name the target"));
        }
        check_date("date", &self.date)?;
        let s = &self.source;
        for (field, v) in [("source.authors", &s.authors), ("source.title", &s.title)] {
            if v.trim().is_empty() {
                return Err(FieldError::new(field, "\"\"", "must say who published the numbers, and where"));
            }
        }
        if !(1900..=2100).contains(&s.year) {
            return Err(FieldError::new("source.year", s.year, "must lie in [1900, 2100]"));
        }
        if !(s.url.is_empty() || s.url.starts_with("https://") || s.url.starts_with("http://")) {
            return Err(FieldError::new(
                "source.url",
                format!("{:?}", s.url),
                "must start with https:// (or be empty)",
            ));
        }
        let present = [
            (TargetKind::Shares, self.shares.is_some()),
            (TargetKind::Ratio, self.ratio.is_some()),
            (TargetKind::Slope, self.slope.is_some()),
            (TargetKind::Growth, self.growth.is_some()),
        ];
        for (kind, there) in present {
            if there != (kind == self.kind) {
                let allowed = if there {
                    format!(
                        "is given, but kind = {:?}: give only the [{}] section",
                        self.kind.name(),
                        self.kind.name()
                    )
                } else {
                    format!("is missing: kind = {:?} needs it", kind.name())
                };
                return Err(FieldError::new(kind.name(), "(section)", allowed));
            }
        }
        match self.kind {
            TargetKind::Shares => Ok(()), // checked against the scenario's tiers by the calibration
            TargetKind::Ratio => check_ratio(self.ratio.as_ref().expect("checked present")),
            TargetKind::Slope => check_slope(self.slope.as_ref().expect("checked present")),
            TargetKind::Growth => check_growth(self.growth.as_ref().expect("checked present")),
        }
    }
}

fn check_ratio(r: &RatioSpec) -> Result<(), FieldError> {
    if !(r.value.is_finite() && r.value > 0.0 && r.value < 1.0) {
        return Err(FieldError::new("ratio.value", r.value, "must lie in (0, 1)"));
    }
    if r.given == 0 || r.above <= r.given {
        return Err(FieldError::new("ratio.above", r.above, format!("must be > given = {} >= 1", r.given)));
    }
    Ok(())
}

fn check_slope(s: &SlopeSpec) -> Result<(), FieldError> {
    if s.from == 0 || s.to <= s.from {
        return Err(FieldError::new("slope.to", s.to, format!("must be > from = {} >= 1", s.from)));
    }
    if !(s.low.is_finite() && s.low < 0.0 && s.low >= -10.0) {
        return Err(FieldError::new("slope.low", s.low, "must lie in [-10, 0) (a CCDF falls)"));
    }
    if !(s.high.is_finite() && s.high >= s.low && s.high < 0.0) {
        return Err(FieldError::new("slope.high", s.high, format!("must lie in [low = {}, 0)", s.low)));
    }
    for (i, e) in s.evidence.iter().enumerate() {
        if !e.value.is_finite() {
            return Err(FieldError::new(
                format!("slope.evidence[{i}].value"),
                e.value,
                "must be a finite number",
            ));
        }
    }
    Ok(())
}

fn check_growth(g: &GrowthSpec) -> Result<(), FieldError> {
    check_date("growth.opened", &g.opened)?;
    if g.points.len() < 2 {
        return Err(FieldError::new(
            "growth.points",
            g.points.len(),
            "must hold at least two counts (a shape)",
        ));
    }
    for (i, p) in g.points.iter().enumerate() {
        check_date(&format!("growth.points[{i}].date"), &p.date)?;
        if !(p.count.is_finite() && p.count >= 0.0) {
            return Err(FieldError::new(
                format!("growth.points[{i}].count"),
                p.count,
                "must be a count >= 0",
            ));
        }
        if i > 0 && p.date <= g.points[i - 1].date {
            return Err(FieldError::new(
                format!("growth.points[{i}].date"),
                format!("{:?}", p.date),
                "must come after the point before it (dates in order)",
            ));
        }
    }
    Ok(())
}

/// Reads a shares table's bands and target shares against the scenario's tiers.
pub(super) type ReadBands<'a> = dyn Fn(&toml::Table) -> Result<(Vec<Band>, Vec<f64>), FieldError> + 'a;

/// The statistic of a two-category target, for its report.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Statistic {
    /// `P(>= above | >= given)`, the value published.
    Ratio(f64),
    /// A slope per decade over `decades`, published in `[low, high]`.
    Slope { decades: f64, low: f64, high: f64 },
}

/// A target as the objective sees it: categories of final followers, each
/// with a target share, among the accounts at or above `among`; the accounts
/// in no band (when `rest`) are the last category.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Component {
    /// The target's name (the data's).
    pub name: String,
    /// The data file named, or `[shares]` for a calibration's own.
    pub file: String,
    /// Its kind.
    pub kind: TargetKind,
    /// Accounts it is worth: its weight.
    pub weight: f64,
    /// Checked, not fitted.
    pub held_out: bool,
    /// The bands.
    pub bands: Vec<Band>,
    /// The bands' target shares.
    pub targets: Vec<f64>,
    /// The lowest follower count counted.
    pub among: u64,
    /// Whether some accounts counted are in no band (the rest, a category).
    pub rest: bool,
    /// The published statistic of a ratio or slope.
    pub statistic: Option<Statistic>,
}

impl Component {
    /// Target share of each category: the bands, then the rest (if any).
    pub fn target_shares(&self) -> Vec<f64> {
        let rest = (1.0 - self.targets.iter().sum::<f64>()).max(0.0);
        self.targets.iter().copied().chain(self.rest.then_some(rest)).collect()
    }

    /// Categories, the rest included.
    pub fn len(&self) -> usize {
        self.bands.len() + usize::from(self.rest)
    }

    /// A two-category component: `[above, inf)` among `[given, inf)` at `value`.
    fn two(
        entry: &TargetEntry,
        data: &TargetData,
        above: u64,
        given: u64,
        value: f64,
        statistic: Statistic,
    ) -> Self {
        Component {
            name: data.name.clone(),
            file: entry.file.clone(),
            kind: data.kind,
            weight: entry.weight,
            held_out: entry.held_out,
            bands: vec![Band { name: format!(">= {above}"), from: above, to: None }],
            targets: vec![value],
            among: given,
            rest: true,
            statistic: Some(statistic),
        }
    }

    /// The component of a listed target (`field` names it in errors); a
    /// shares target's bands are read by `read_bands` against the tiers.
    pub fn from_entry(
        field: &str,
        entry: &TargetEntry,
        read_bands: &ReadBands<'_>,
    ) -> Result<Component, FieldError> {
        if !(entry.weight.is_finite() && (1.0..=1e9).contains(&entry.weight)) {
            return Err(FieldError::new(
                format!("{field}.weight"),
                entry.weight,
                "must lie in [1, 1e9] (the accounts the target is worth)",
            ));
        }
        let data = entry.data.as_ref().ok_or_else(|| {
            FieldError::new(format!("{field}.file"), format!("{:?}", entry.file), "was not read (no data)")
        })?;
        let within = |e: FieldError| e.within(&format!("{field} ({})", entry.file));
        data.check().map_err(within)?;
        match data.kind {
            TargetKind::Shares => {
                let shares = data.shares.as_ref().expect("checked present");
                let (bands, targets) = read_bands(shares).map_err(within)?;
                let among = bands.iter().map(|b| b.from).min().expect("bands is not empty");
                let rest = super::Calibration::leaves_rest(&bands);
                Ok(Component {
                    name: data.name.clone(),
                    file: entry.file.clone(),
                    kind: data.kind,
                    weight: entry.weight,
                    held_out: entry.held_out,
                    bands,
                    targets,
                    among,
                    rest,
                    statistic: None,
                })
            }
            TargetKind::Ratio => {
                let r = data.ratio.as_ref().expect("checked present");
                Ok(Component::two(entry, data, r.above, r.given, r.value, Statistic::Ratio(r.value)))
            }
            TargetKind::Slope => {
                let s = data.slope.as_ref().expect("checked present");
                let q = s.ratio_at(0.5 * (s.low + s.high));
                let statistic = Statistic::Slope { decades: s.decades(), low: s.low, high: s.high };
                Ok(Component::two(entry, data, s.to, s.from, q, statistic))
            }
            TargetKind::Growth => {
                Err(FieldError::new(format!("{field}.file"), format!("{:?}", entry.file), GROWTH_LEFT_OUT))
            }
        }
    }
}

/// The text of a built-in data file named `file` (as a calibration names it).
pub fn builtin_data(file: &str) -> Option<&'static str> {
    let file = file.strip_prefix("./").unwrap_or(file);
    BUILTIN_DATA.iter().find(|(name, _)| *name == file).map(|(_, text)| *text)
}

/// Reads each entry's data with `read` (file name -> text, or an error
/// message), unless it already holds its data; errors name the entry and file.
pub fn read_entries(
    entries: &mut [TargetEntry],
    read: &dyn Fn(&str) -> Result<String, String>,
) -> Result<(), FieldError> {
    if entries.len() > MAX_TARGETS {
        return Err(FieldError::new("target", entries.len(), format!("targets: at most {MAX_TARGETS}")));
    }
    for (i, entry) in entries.iter_mut().enumerate() {
        if entry.data.is_some() {
            continue;
        }
        let field = format!("target[{i}].file");
        let text = read(&entry.file).map_err(|m| FieldError::new(&field, format!("{:?}", entry.file), m))?;
        let data = TargetData::from_toml_str(&text)
            .map_err(|e| e.within(&format!("target[{i}] ({})", entry.file)))?;
        entry.data = Some(data);
    }
    Ok(())
}
