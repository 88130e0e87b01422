//! Pictures of reports, as SVG files (plotters' SVG backend; feature `plot`).
//!
//! * `tier_odds.svg`: the odds of every tier on a log scale, with 95% Wilson
//!   intervals (one series per answer of a conditional run). A tier nobody
//!   reached has no point on a log scale: its interval's upper end is drawn
//!   alone, down to the bottom of the plot.
//! * `followers_ccdf.svg`: `P(final followers >= x)` on log-log axes.
//! * `days_to_reach.svg`: the career day each tier is first reached, 10th to
//!   90th percentile with the median marked, among those who reach it.
//! * `trajectory.svg`: followers over career days: the 10th to 90th
//!   percentile as a band, the median with its 95% interval, and the 99th
//!   percentile, at each trajectory day, on a log scale.
//! * `income.svg` (a run with `[money]`): the chance of earning at least
//!   `x` a year against `x` on log-log axes, from the income levels (with
//!   their 95% Wilson intervals) and the income's percentiles (with their
//!   95% intervals of the income); for an importance-sampled run, the
//!   income levels' weighted estimates with their normal 95% intervals.
//! * `sweep.svg` (a sweep record): each tier's odds at each point (named by
//!   its swept values), with its interval, on a log scale; above [`MAX_PLOTTED_POINTS`]
//!   points, every `k`-th is drawn (and the baseline and the last), as the
//!   axis says.
//! * `sobol.svg` (an attribution record): each input's first-order and total
//!   Sobol index of `log10(1 + followers)`, with 95% intervals.
//! * `delusion.svg` (a delusion record): the odds of the tier seen each way,
//!   with 95% intervals, on a log scale.
//! * `calibration.svg` (a calibration record): each band's target share
//!   against the fitted model's on new luck, with its 95% interval, on a log
//!   scale.
//!
//! Every function reads a report (never a model) and returns the files it
//! wrote, or a [`PlotError`] saying which series the record lacks.

use crate::model::career::CareerReport;
use crate::model::career::money::{Currency, IncomeReport, short_amount};
use crate::model::career::summary::DayReport;
use crate::report::career::fmt_prob;
use crate::stats::{Chance, Chances, Estimate, Proportion};
use crate::study::attribute::AttributionRecord;
use crate::study::calibrate::CalibrationRecord;
use crate::study::delusion::DelusionRecord;
use crate::study::forecast::ForecastRecord;
use crate::study::run::{Report, RunRecord};
use crate::study::sweep::SweepRecord;
use crate::tier::{TIER_COUNT, Tier};
use plotters::prelude::*;
use std::path::{Path, PathBuf};

/// Why a picture could not be drawn.
#[derive(Debug, thiserror::Error)]
pub enum PlotError {
    /// The record has no series this picture needs.
    #[error("{0}")]
    NoSeries(String),
    /// Drawing or writing failed.
    #[error("{path}: cannot draw: {message}")]
    Draw {
        /// The file.
        path: PathBuf,
        /// What went wrong.
        message: String,
    },
}

const SIZE: (u32, u32) = (800, 500);
const PALETTE: [RGBColor; TIER_COUNT] = [
    RGBColor(31, 119, 180),
    RGBColor(214, 39, 40),
    RGBColor(44, 160, 44),
    RGBColor(148, 103, 189),
    RGBColor(255, 127, 14),
];

fn draw_error(path: &Path) -> impl Fn(String) -> PlotError + '_ {
    move |message| PlotError::Draw { path: path.to_path_buf(), message }
}

/// The smallest positive value worth a log axis: a decade below the smallest
/// positive lower end, at most 1e-3 and at least 1e-12.
fn log_floor(values: impl Iterator<Item = f64>) -> f64 {
    let smallest = values.filter(|v| *v > 0.0).fold(1e-3, f64::min);
    10f64.powf(smallest.log10().floor() - 1.0).max(1e-12)
}

/// Draws one picture to `path`: `draw` fills a white drawing area of the
/// pictures' size, which is then written atomically (a failed draw or write
/// leaves the old file whole).
fn picture(
    path: &Path,
    draw: impl FnOnce(&DrawingArea<SVGBackend<'_>, plotters::coord::Shift>) -> Result<(), PlotError>,
) -> Result<(), PlotError> {
    let fail = draw_error(path);
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, SIZE).into_drawing_area();
        root.fill(&WHITE).map_err(|e| fail(e.to_string()))?;
        draw(&root)?;
        root.present().map_err(|e| fail(e.to_string()))?;
    }
    crate::error::write_atomic(path, svg.as_bytes()).map_err(|e| fail(e.to_string()))
}

/// A chart builder on `root` with the pictures' caption, margin and label areas.
fn titled<'a, 'b>(
    root: &'a DrawingArea<SVGBackend<'b>, plotters::coord::Shift>,
    title: &str,
) -> ChartBuilder<'a, 'static, SVGBackend<'b>> {
    let mut builder = ChartBuilder::on(root);
    builder.caption(title, ("sans-serif", 20)).margin(15).x_label_area_size(40).y_label_area_size(70);
    builder
}

/// A labelled line through `points` with a dot at each, in `color`.
fn dotted_line<'a, 'b: 'a, X: Ranged<ValueType = f64>, Y: Ranged<ValueType = f64>>(
    chart: &mut ChartContext<'a, SVGBackend<'b>, Cartesian2d<X, Y>>,
    label: &str,
    color: RGBColor,
    points: Vec<(f64, f64)>,
    fail: &dyn Fn(String) -> PlotError,
) -> Result<(), PlotError> {
    chart
        .draw_series(LineSeries::new(points.clone(), color.stroke_width(2)))
        .map_err(|e| fail(e.to_string()))?
        .label(label)
        .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], color.stroke_width(2)));
    chart
        .draw_series(points.into_iter().map(|xy| Circle::new(xy, 3, color.filled())))
        .map_err(|e| fail(e.to_string()))?;
    Ok(())
}

/// The mesh of followers (log scale) against career days.
fn followers_by_day_mesh<'a, 'b: 'a>(
    chart: &mut ChartContext<
        'a,
        SVGBackend<'b>,
        Cartesian2d<plotters::coord::types::RangedCoordf64, LogCoord<f64>>,
    >,
    fail: &dyn Fn(String) -> PlotError,
) -> Result<(), PlotError> {
    chart
        .configure_mesh()
        .x_label_formatter(&|x| format!("{x:.0}"))
        .y_label_formatter(&|y| format!("{y:.0e}"))
        .x_desc("career day")
        .y_desc("followers (log scale; 0 drawn at 1)")
        .draw()
        .map_err(|e| fail(e.to_string()))
}

/// The legend of `chart`'s labelled series, boxed in its `position` corner.
fn legend<'a, 'b: 'a, X: Ranged, Y: Ranged>(
    chart: &mut ChartContext<'a, SVGBackend<'b>, Cartesian2d<X, Y>>,
    position: SeriesLabelPosition,
    fail: &dyn Fn(String) -> PlotError,
) -> Result<(), PlotError> {
    chart
        .configure_series_labels()
        .border_style(BLACK)
        .background_style(WHITE.mix(0.8))
        .position(position)
        .draw()
        .map_err(|e| fail(e.to_string()))
}

/// A tier's odds with the interval drawn: Wilson's for a proportion, the
/// normal interval of a rare-event estimate.
#[derive(Debug, Clone, Copy)]
struct Odds {
    estimate: f64,
    lower: f64,
    upper: f64,
}

impl From<Proportion> for Odds {
    fn from(p: Proportion) -> Self {
        Odds { estimate: p.estimate, lower: p.wilson.lower, upper: p.wilson.upper }
    }
}

/// Draws `tier_odds.svg`: one series per `(label, odds per tier)`.
fn tier_odds(
    path: &Path,
    title: &str,
    levels: &[String],
    series: &[(&str, Vec<Option<Odds>>)],
) -> Result<(), PlotError> {
    estimates(path, title, levels, "level", "chance of reaching the level (log scale)", series, Scale::Log)
}

/// A chance as a plotted point with its interval; none without an upper end.
fn chance_odds(c: &Chance) -> Option<Odds> {
    c.upper.map(|upper| Odds { estimate: c.estimate, lower: c.lower, upper })
}

/// The names of a report's levels, lowest first: the x axis of `tier_odds.svg`.
fn level_names(chances: &[&Chance]) -> Vec<String> {
    chances.iter().map(|c| c.level.clone()).collect()
}

/// The y axis of [`estimates`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scale {
    /// Log scale from a decade below the smallest positive value to 1.
    Log,
    /// Linear from `min(0, lowest)` to `max(1, highest)`.
    Linear,
}

/// Estimates with their 95% intervals at categorical positions: one series
/// per `(label, one value or none per category)`, side by side, the
/// interval a whisker and the estimate a dot.
fn estimates(
    path: &Path,
    title: &str,
    categories: &[String],
    x_desc: &str,
    y_desc: &str,
    series: &[(&str, Vec<Option<Odds>>)],
    scale: Scale,
) -> Result<(), PlotError> {
    let fail = draw_error(path);
    let values =
        || series.iter().flat_map(|(_, s)| s.iter().flatten().flat_map(|p| [p.lower, p.estimate, p.upper]));
    let n = categories.len() as f64;
    let label = |v: &f64| {
        let i = v.round();
        if (v - i).abs() < 1e-9 && (0.0..n).contains(&i) {
            categories[i as usize].clone()
        } else {
            String::new()
        }
    };
    picture(path, |root| {
        let mut builder = titled(root, title);
        match scale {
            Scale::Log => {
                let floor = log_floor(values());
                let mut chart = builder
                    .build_cartesian_2d(-0.5f64..n - 0.5, (floor..1.0f64).log_scale())
                    .map_err(|e| fail(e.to_string()))?;
                let axes = Axes { categories: &label, count: categories.len(), x_desc, y_desc };
                whiskers(&mut chart, &axes, &|y| format!("{y:.0e}"), series, (floor, 0.0), &fail)?;
            }
            Scale::Linear => {
                let low = values().filter(|v| v.is_finite()).fold(0.0, f64::min);
                let high = values().filter(|v| v.is_finite()).fold(1.0, f64::max);
                // An axis whose width overflows would never finish its ticks.
                if !(high - low).is_finite() {
                    return Err(fail(format!(
                        "values from {low:e} to {high:e} span more than an axis can draw"
                    )));
                }
                let mut chart = builder
                    .build_cartesian_2d(-0.5f64..n - 0.5, low..high)
                    .map_err(|e| fail(e.to_string()))?;
                let axes = Axes { categories: &label, count: categories.len(), x_desc, y_desc };
                let open = (f64::NEG_INFINITY, f64::NEG_INFINITY);
                whiskers(&mut chart, &axes, &|y| format!("{y:.1}"), series, open, &fail)?;
            }
        }
        Ok(())
    })
}

/// The x axis of [`estimates`]: the name at each of `count` categorical
/// positions, and each axis's description.
struct Axes<'s> {
    categories: &'s dyn Fn(&f64) -> String,
    count: usize,
    x_desc: &'s str,
    y_desc: &'s str,
}

/// The mesh, whiskers, dots and legend of [`estimates`] on either y axis
/// (its ticks written by `y_label`): whiskers are cut at `floor`, and dots
/// drawn for estimates above `dot_above`.
fn whiskers<'a, 'b: 'a, Y: Ranged<ValueType = f64> + plotters::coord::ranged1d::ValueFormatter<f64>>(
    chart: &mut ChartContext<'a, SVGBackend<'b>, Cartesian2d<plotters::coord::types::RangedCoordf64, Y>>,
    axes: &Axes<'_>,
    y_label: &dyn Fn(&f64) -> String,
    series: &[(&str, Vec<Option<Odds>>)],
    (floor, dot_above): (f64, f64),
    fail: &dyn Fn(String) -> PlotError,
) -> Result<(), PlotError> {
    chart
        .configure_mesh()
        .x_labels(axes.count)
        .x_label_formatter(axes.categories)
        .y_label_formatter(y_label)
        .x_desc(axes.x_desc)
        .y_desc(axes.y_desc)
        .draw()
        .map_err(|e| fail(e.to_string()))?;
    let width = 0.6 / series.len() as f64;
    for (k, (label, odds)) in series.iter().enumerate() {
        let color = PALETTE[k % PALETTE.len()];
        let shift = (k as f64 - (series.len() as f64 - 1.0) / 2.0) * width;
        let bars =
            odds.iter().enumerate().filter_map(|(i, p)| p.map(|p| (i as f64 + shift, p))).map(|(x, p)| {
                PathElement::new(
                    vec![(x, p.lower.max(floor)), (x, p.upper.max(floor))],
                    color.stroke_width(2),
                )
            });
        chart.draw_series(bars).map_err(|e| fail(e.to_string()))?;
        let points = odds
            .iter()
            .enumerate()
            .filter_map(|(i, p)| p.filter(|p| p.estimate > dot_above).map(|p| (i as f64 + shift, p.estimate)))
            .map(|xy| Circle::new(xy, 4, color.filled()));
        chart
            .draw_series(points)
            .map_err(|e| fail(e.to_string()))?
            .label(*label)
            .legend(move |(x, y)| Circle::new((x + 10, y), 4, color.filled()));
    }
    legend(chart, SeriesLabelPosition::UpperRight, &fail)?;
    Ok(())
}

/// Draws `followers_ccdf.svg` for each `(label, report)`.
fn followers_ccdf(path: &Path, title: &str, reports: &[(&str, &CareerReport)]) -> Result<(), PlotError> {
    let fail = draw_error(path);
    let series: Vec<(&str, Vec<(f64, f64)>)> = reports
        .iter()
        .map(|(label, r)| {
            let points =
                r.followers.ccdf.iter().filter(|p| p.share > 0.0).map(|p| (p.followers as f64, p.share));
            (*label, points.collect())
        })
        .collect();
    let max_x = series.iter().flat_map(|(_, s)| s.iter().map(|p| p.0)).fold(10.0, f64::max) * 2.0;
    let floor = log_floor(series.iter().flat_map(|(_, s)| s.iter().map(|p| p.1)));
    picture(path, |root| {
        let mut chart = titled(root, title)
            .build_cartesian_2d((1.0f64..max_x).log_scale(), (floor..1.0f64).log_scale())
            .map_err(|e| fail(e.to_string()))?;
        chart
            .configure_mesh()
            .x_label_formatter(&|x| format!("{x:.0e}"))
            .y_label_formatter(&|y| format!("{y:.0e}"))
            .x_desc("final followers x (log scale)")
            .y_desc("share of careers with at least x (log scale)")
            .draw()
            .map_err(|e| fail(e.to_string()))?;
        for (k, (label, points)) in series.into_iter().enumerate() {
            let color = PALETTE[k % PALETTE.len()];
            dotted_line(&mut chart, label, color, points, &fail)?;
        }
        // The tail falls from the upper left to the lower right: the upper right is free.
        legend(&mut chart, SeriesLabelPosition::UpperRight, &fail)?;
        Ok(())
    })
}

/// Draws `days_to_reach.svg`: per tier, the 10th-90th percentile of the day
/// of first reaching it, with the median.
fn days_to_reach(path: &Path, title: &str, report: &CareerReport) -> Result<(), PlotError> {
    let fail = draw_error(path);
    let rows: Vec<(usize, f64, f64, f64)> = report
        .levels
        .iter()
        .enumerate()
        .filter_map(|(i, t)| {
            let d = t.days_to_reach;
            Some((i, d.p10?, d.p50?, d.p90?))
        })
        .collect();
    let names: Vec<String> = report.levels.iter().map(|l| l.chance.level.clone()).collect();
    let top = names.len() as f64 - 0.5;
    let level_at = |v: &f64| {
        let i = v.round();
        if (v - i).abs() < 1e-9 && (0.0..names.len() as f64).contains(&i) {
            names[i as usize].clone()
        } else {
            String::new()
        }
    };
    if rows.is_empty() {
        return Err(PlotError::NoSeries(
            "no career reached any tier, so there are no days to reach to plot".into(),
        ));
    }
    let max_day = rows.iter().map(|r| r.3).fold(1.0, f64::max) * 1.05;
    picture(path, |root| {
        let mut chart = titled(root, title)
            .build_cartesian_2d(0f64..max_day, -0.5f64..top)
            .map_err(|e| fail(e.to_string()))?;
        chart
            .configure_mesh()
            .y_labels(names.len())
            .y_label_formatter(&level_at)
            .x_label_formatter(&|x| format!("{x:.0}"))
            .x_desc("career day of first reaching the level (10th, 50th, 90th percentile)")
            .y_desc("level")
            .draw()
            .map_err(|e| fail(e.to_string()))?;
        let color = PALETTE[0];
        chart
            .draw_series(rows.iter().map(|&(i, lo, _, hi)| {
                Rectangle::new([(lo, i as f64 - 0.2), (hi, i as f64 + 0.2)], color.mix(0.4).filled())
            }))
            .map_err(|e| fail(e.to_string()))?;
        chart
            .draw_series(rows.iter().map(|&(i, _, mid, _)| {
                PathElement::new(vec![(mid, i as f64 - 0.3), (mid, i as f64 + 0.3)], BLACK.stroke_width(3))
            }))
            .map_err(|e| fail(e.to_string()))?;
        Ok(())
    })
}

/// Draws `trajectory.svg`: followers at each trajectory day, the 10th to
/// 90th percentile as a band, the median (with its 95% interval) and the
/// 99th percentile as lines, on a log scale where 0 is drawn at 1.
fn trajectory(path: &Path, title: &str, days: &[DayReport]) -> Result<(), PlotError> {
    let fail = draw_error(path);
    let value = |q: Option<crate::model::career::summary::QuantileEstimate>| q.map(|q| q.value.max(1.0));
    let rows: Vec<(f64, f64, f64, f64, f64, f64, f64)> = days
        .iter()
        .filter_map(|d| {
            let median = d.p50?;
            Some((
                f64::from(d.day),
                value(d.p10)?,
                median.value.max(1.0),
                median.lower.max(1.0),
                median.upper.max(1.0),
                value(d.p90)?,
                value(d.p99)?,
            ))
        })
        .collect();
    if rows.is_empty() {
        return Err(PlotError::NoSeries("no career was observed on any trajectory day".into()));
    }
    let max_day = rows.iter().map(|r| r.0).fold(1.0, f64::max) * 1.05;
    let top = rows.iter().map(|r| r.6.max(r.4)).fold(10.0, f64::max) * 2.0;
    picture(path, |root| {
        let mut chart = titled(root, title)
            .build_cartesian_2d(0f64..max_day, (1.0f64..top).log_scale())
            .map_err(|e| fail(e.to_string()))?;
        followers_by_day_mesh(&mut chart, &fail)?;
        let [band, mid, high] = [PALETTE[0], PALETTE[1], PALETTE[4]];
        let area: Vec<(f64, f64)> =
            rows.iter().map(|r| (r.0, r.5)).chain(rows.iter().rev().map(|r| (r.0, r.1))).collect();
        chart
            .draw_series(std::iter::once(Polygon::new(area, band.mix(0.25).filled())))
            .map_err(|e| fail(e.to_string()))?
            .label("p10 to p90")
            .legend(move |(x, y)| Rectangle::new([(x, y - 5), (x + 20, y + 5)], band.mix(0.25).filled()));
        chart
            .draw_series(
                rows.iter().map(|r| PathElement::new(vec![(r.0, r.3), (r.0, r.4)], mid.stroke_width(2))),
            )
            .map_err(|e| fail(e.to_string()))?;
        for (label, color, points) in [
            ("median (95% interval)", mid, rows.iter().map(|r| (r.0, r.2)).collect::<Vec<_>>()),
            ("p99", high, rows.iter().map(|r| (r.0, r.6)).collect()),
        ] {
            dotted_line(&mut chart, label, color, points, &fail)?;
        }
        legend(&mut chart, SeriesLabelPosition::UpperLeft, &fail)?;
        Ok(())
    })
}

/// A point of `income.svg`: an income `x` a year and the chance of earning
/// at least it, with the interval drawn (vertical for a level, horizontal
/// for a percentile), and its name.
#[derive(Debug, Clone)]
struct IncomePoint {
    name: String,
    x: f64,
    chance: f64,
    /// The 95% interval: of the chance (a level) or of the income (a percentile).
    lower: f64,
    upper: f64,
}

/// What `income.svg` draws: each income level's chance with its interval,
/// the income's percentiles (a plain run's; none from importance sampling),
/// the currency, the window, and how the levels' intervals were made.
struct IncomePicture {
    levels: Vec<IncomePoint>,
    percentiles: Vec<IncomePoint>,
    currency: Currency,
    window_days: u32,
    intervals: &'static str,
}

/// An income level's point: its chance with its 95% interval.
fn level_point(c: &Chance) -> IncomePoint {
    IncomePoint {
        name: format!("{} {}", c.level, fmt_prob(c.estimate)),
        x: c.threshold,
        chance: c.estimate,
        lower: c.lower,
        upper: c.upper.unwrap_or(c.estimate),
    }
}

/// The points of a plain run's `income.svg`: each income level with its
/// Wilson interval of the chance, and each positive percentile `p` of the
/// income (its value earned or more by a share `1 - p` of the careers) with
/// its distribution-free interval of the income.
fn income_points(income: &IncomeReport) -> IncomePicture {
    let levels = income.levels.iter().map(level_point).filter(|p| p.x > 0.0).collect();
    let percentiles = [("p50", income.p50), ("p90", income.p90), ("p99", income.p99), ("p99.9", income.p999)]
        .into_iter()
        .filter_map(|(name, q)| q.filter(|q| q.value > 0.0).map(|q| (name, q)))
        .map(|(name, q)| IncomePoint {
            name: name.to_string(),
            x: q.value,
            chance: 1.0 - q.q,
            lower: q.lower,
            upper: q.upper,
        })
        .collect();
    IncomePicture {
        levels,
        percentiles,
        currency: income.currency,
        window_days: income.window_days,
        intervals: "income levels, 95% Wilson intervals",
    }
}

/// The points of an importance-sampled run's `income.svg`: each income
/// level's weighted estimate (the mean of `w 1[earned at least it]` over
/// the careers) with its normal 95% interval; the record holds no income
/// distribution, so no percentiles. `None` without `[money]`.
fn rare_income_points(r: &crate::experiment::rare::RareReport) -> Option<IncomePicture> {
    let window_days = r.income_window_days?;
    Some(IncomePicture {
        levels: r.income.iter().map(|l| level_point(&l.chance)).filter(|p| p.x > 0.0).collect(),
        percentiles: Vec::new(),
        currency: Currency::default(),
        window_days,
        intervals: "income levels, 95% intervals of the weighted estimates",
    })
}

/// Draws `income.svg`: the chance of earning at least `x` a year against
/// `x`, on log-log axes: each income level's chance as a dot on a line with
/// its 95% interval as a vertical bar (a level nobody reached: its upper
/// end alone, down to the bottom), named with its chance, and each positive
/// percentile of the income as a square with its 95% interval of the income
/// as a horizontal bar.
fn income_ccdf(path: &Path, title: &str, income: &IncomePicture) -> Result<(), PlotError> {
    let fail = draw_error(path);
    let (levels, percentiles) = (&income.levels, &income.percentiles);
    let all = || levels.iter().chain(percentiles);
    let floor = log_floor(
        levels.iter().flat_map(|p| [p.chance, p.lower, p.upper]).chain(percentiles.iter().map(|p| p.chance)),
    );
    // From the decade below the smallest income drawn: an interval's lower
    // end further left (down to $0) is cut at the axis.
    let left = all().map(|p| p.x).filter(|x| *x > 0.0).fold(f64::INFINITY, f64::min);
    let left = if left.is_finite() { 10f64.powf(left.log10().floor()) } else { 1.0 };
    let right = all().flat_map(|p| [p.x, p.upper]).fold(left * 10.0, f64::max) * 3.0;
    picture(path, |root| {
        let mut chart = titled(root, title)
            .build_cartesian_2d((left..right).log_scale(), (floor..1.0f64).log_scale())
            .map_err(|e| fail(e.to_string()))?;
        chart
            .configure_mesh()
            .x_label_formatter(&|x| format!("${}", short_amount(*x)))
            .y_label_formatter(&|y| format!("{y:.0e}"))
            .x_desc(format!(
                "income x, {} {} (log scale)",
                currency_name(income.currency),
                per(income.window_days)
            ))
            .y_desc("chance of earning at least x (log scale)")
            .draw()
            .map_err(|e| fail(e.to_string()))?;
        let [color, spread] = [PALETTE[0], PALETTE[1]];
        let bar = |a: (f64, f64), b: (f64, f64), c: RGBColor| PathElement::new(vec![a, b], c.stroke_width(2));
        chart
            .draw_series(
                levels.iter().map(|p| bar((p.x, p.lower.max(floor)), (p.x, p.upper.max(floor)), color)),
            )
            .map_err(|e| fail(e.to_string()))?;
        let reached: Vec<&IncomePoint> = levels.iter().filter(|p| p.chance > 0.0).collect();
        chart
            .draw_series(LineSeries::new(reached.iter().map(|p| (p.x, p.chance)), color.stroke_width(2)))
            .map_err(|e| fail(e.to_string()))?
            .label(income.intervals)
            .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], color.stroke_width(2)));
        chart
            .draw_series(reached.iter().map(|p| Circle::new((p.x, p.chance), 4, color.filled())))
            .map_err(|e| fail(e.to_string()))?;
        chart
            .draw_series(levels.iter().map(|p| {
                let name = Text::new(p.name.clone(), (6, -18), ("sans-serif", 14).into_font().color(&color));
                EmptyElement::at((p.x, p.upper.max(floor))) + name
            }))
            .map_err(|e| fail(e.to_string()))?;
        if !percentiles.is_empty() {
            chart
                .draw_series(
                    percentiles
                        .iter()
                        .map(|p| bar((p.lower.max(left), p.chance), (p.upper, p.chance), spread)),
                )
                .map_err(|e| fail(e.to_string()))?;
            chart
                .draw_series(percentiles.iter().map(|p| {
                    let dot = Rectangle::new([(-4, -4), (4, 4)], spread.filled());
                    let name =
                        Text::new(p.name.clone(), (6, 6), ("sans-serif", 14).into_font().color(&spread));
                    EmptyElement::at((p.x, p.chance)) + dot + name
                }))
                .map_err(|e| fail(e.to_string()))?
                .label("percentiles of income, 95% intervals")
                .legend(move |(x, y)| Rectangle::new([(x + 6, y - 4), (x + 14, y + 4)], spread.filled()));
        }
        legend(&mut chart, SeriesLabelPosition::UpperRight, &fail)?;
        Ok(())
    })
}

/// Draws `income.svg` of the run `name` into `dir`, its title ending in
/// `how` (the method, when not a plain run's); returns its path.
fn income_picture(dir: &Path, name: &str, picture: &IncomePicture, how: &str) -> Result<PathBuf, PlotError> {
    let title =
        format!("{name}: the chance of earning at least $x {}, 95% intervals{how}", per(picture.window_days));
    let path = dir.join("income.svg");
    income_ccdf(&path, &title, picture)?;
    Ok(path)
}

/// The currency's name on an axis.
fn currency_name(currency: Currency) -> &'static str {
    match currency {
        Currency::USD => "US dollars",
    }
}

/// How an income window reads after an amount: "a year" for 365 days.
fn per(window_days: u32) -> String {
    if window_days == 365 { "a year".to_string() } else { format!("in {window_days} days") }
}

/// Draws the pictures of a run record into `dir` (created if needed) and
/// returns the files written. A record whose model reports no tier odds (the
/// reference models) is an error that says so.
pub fn plot_run(record: &RunRecord, dir: &Path) -> Result<Vec<PathBuf>, PlotError> {
    let Some(report) = record.report.as_ref() else {
        return Err(PlotError::NoSeries(crate::report::NO_REPORT.trim_end().to_string()));
    };
    std::fs::create_dir_all(dir).map_err(|e| draw_error(dir)(e.to_string()))?;
    let name = &record.scenario.name;
    let file = |f: &str| dir.join(f);
    match report {
        Report::Career(r) => {
            let chances = r.chances();
            let odds: Vec<Option<Odds>> = chances.iter().map(|c| chance_odds(c)).collect();
            let mut written = Vec::new();
            tier_odds(
                &file("tier_odds.svg"),
                &format!("{name}: chance of each level, 95% intervals"),
                &level_names(&chances),
                &[("all creators", odds)],
            )?;
            written.push(file("tier_odds.svg"));
            followers_ccdf(
                &file("followers_ccdf.svg"),
                &format!("{name}: the followers' tail"),
                &[("final followers", r)],
            )?;
            written.push(file("followers_ccdf.svg"));
            if days_to_reach(&file("days_to_reach.svg"), &format!("{name}: days to reach each level"), r)
                .is_ok()
            {
                written.push(file("days_to_reach.svg"));
            }
            let title = format!("{name}: followers by career day");
            if trajectory(&file("trajectory.svg"), &title, &r.trajectory).is_ok() {
                written.push(file("trajectory.svg"));
            }
            if let Some(income) = r.engagement.as_ref().and_then(|m| m.income.as_ref()) {
                written.push(income_picture(dir, name, &income_points(income), "")?);
            }
            Ok(written)
        }
        Report::Conditional(c) => {
            let mut reports: Vec<(&str, &CareerReport)> = Vec::new();
            if let Some(r) = c.creators_like_you.as_ref().and_then(|l| l.odds.as_ref()) {
                reports.push(("creators like you", r));
            }
            if let Some(g) = &c.given_state {
                reports.push(("given your state", &g.odds));
            }
            let Some(&(_, reference)) = reports.first() else {
                return Err(PlotError::NoSeries(
                    "nobody matched \"creators like you\" and there is no given state: no chance to plot"
                        .into(),
                ));
            };
            let names = level_names(&reference.chances());
            let series: Vec<(&str, Vec<Option<Odds>>)> = reports
                .iter()
                .map(|&(label, r)| (label, names.iter().map(|n| r.chance(n).and_then(chance_odds)).collect()))
                .collect();
            tier_odds(
                &file("tier_odds.svg"),
                &format!("{name}: chance of each level, 95% intervals"),
                &names,
                &series,
            )?;
            let mut written = vec![file("tier_odds.svg")];
            if !reports.is_empty() {
                followers_ccdf(
                    &file("followers_ccdf.svg"),
                    &format!("{name}: the followers' tail"),
                    &reports,
                )?;
                written.push(file("followers_ccdf.svg"));
            }
            Ok(written)
        }
        Report::Rare(r) if r.levels.len() > 1 => {
            // The estimate with its normal 95% interval; a level no root
            // reached has no upper end, so no point.
            let chances = r.chances();
            let odds: Vec<Option<Odds>> = chances.iter().map(|c| chance_odds(c)).collect();
            tier_odds(
                &file("tier_odds.svg"),
                &format!("{name}: chance of each level, 95% intervals (importance sampling)"),
                &level_names(&chances),
                &[("importance sampling", odds)],
            )?;
            let mut written = vec![file("tier_odds.svg")];
            if let Some(picture) = rare_income_points(r) {
                written.push(income_picture(dir, name, &picture, " (importance sampling)")?);
            }
            Ok(written)
        }
        _ => Err(PlotError::NoSeries(format!(
            "a {} record has no tier odds, follower distribution or days to reach to plot (those come from Career runs)",
            record.scenario.model.name()
        ))),
    }
}

impl From<&Estimate> for Odds {
    fn from(e: &Estimate) -> Self {
        Odds { estimate: e.value, lower: e.lower, upper: e.upper }
    }
}

/// Draws `sobol.svg` for an attribution record: each input's first-order
/// and total Sobol index of `log10(1 + followers)`, with 95% intervals.
pub fn plot_attribution(record: &AttributionRecord, dir: &Path) -> Result<Vec<PathBuf>, PlotError> {
    let Some(report) = record.report.as_ref() else {
        return Err(PlotError::NoSeries(crate::report::NO_REPORT.trim_end().to_string()));
    };
    std::fs::create_dir_all(dir).map_err(|e| draw_error(dir)(e.to_string()))?;
    let output = report.sobol.outputs.first().filter(|o| !o.indices.is_empty()).ok_or_else(|| {
        PlotError::NoSeries("the attribution record has no Sobol indices of its first output".into())
    })?;
    let inputs: Vec<String> = output.indices.iter().map(|i| i.input.clone()).collect();
    let first: Vec<Option<Odds>> = output.indices.iter().map(|i| Some((&i.first_order).into())).collect();
    let total: Vec<Option<Odds>> = output.indices.iter().map(|i| Some((&i.total).into())).collect();
    let path = dir.join("sobol.svg");
    estimates(
        &path,
        &format!("{}: Sobol indices of {}, 95% intervals", record.scenario.name, output.output),
        &inputs,
        "input",
        "share of the variance",
        &[("first order S1", first), ("total ST", total)],
        Scale::Linear,
    )?;
    Ok(vec![path])
}

/// Draws `delusion.svg` for a delusion record: the odds of the tier seen
/// each way, with 95% intervals, on a log scale.
pub fn plot_delusion(record: &DelusionRecord, dir: &Path) -> Result<Vec<PathBuf>, PlotError> {
    let Some(report) = record.report.as_ref() else {
        return Err(PlotError::NoSeries(crate::report::NO_REPORT.trim_end().to_string()));
    };
    std::fs::create_dir_all(dir).map_err(|e| draw_error(dir)(e.to_string()))?;
    let r = report;
    // Short names, so eight fit under the axis.
    let short = |view: &str| match view {
        "like_you" => "like you".to_string(),
        "self_assessed" => "self".to_string(),
        "extrapolated" => "extrapolated".to_string(),
        "extrapolators_on_time" => "on time".to_string(),
        other => other.to_string(),
    };
    let views: Vec<String> = r.views.iter().map(|v| short(&v.view)).collect();
    let odds: Vec<Option<Odds>> = r.views.iter().map(|v| Some((&v.odds).into())).collect();
    let path = dir.join("delusion.svg");
    estimates(
        &path,
        &format!("{}: the odds of {}, seen each way, 95% intervals", record.scenario.name, r.tier),
        &views,
        "view",
        "odds (log scale)",
        &[(r.tier.to_string().as_str(), odds)],
        Scale::Log,
    )?;
    Ok(vec![path])
}

/// Draws `calibration.svg` for a calibration record: each band's target
/// share (and the rest's, if any) against the fitted model's share on new
/// luck with its 95% interval, on a log scale. A calibration without a
/// fitted shares target draws its data targets' categories instead.
pub fn plot_calibration(record: &CalibrationRecord, dir: &Path) -> Result<Vec<PathBuf>, PlotError> {
    std::fs::create_dir_all(dir).map_err(|e| draw_error(dir)(e.to_string()))?;
    let (bands, names): (Vec<_>, Vec<String>) = if record.report.bands.is_empty() {
        let targets = &record.report.targets;
        targets
            .iter()
            .flat_map(|t| t.categories.iter().map(move |b| (b, format!("{} {}", t.name, b.band.name))))
            .unzip()
    } else {
        record.report.bands.iter().map(|b| (b, b.band.name.clone())).unzip()
    };
    let target: Vec<Option<Odds>> =
        bands.iter().map(|b| Some(Odds { estimate: b.target, lower: b.target, upper: b.target })).collect();
    let model: Vec<Option<Odds>> = bands
        .iter()
        .map(|b| Some(Odds { estimate: b.model.estimate, lower: b.model.lower, upper: b.model.upper }))
        .collect();
    let path = dir.join("calibration.svg");
    estimates(
        &path,
        &format!("{}: target shares against the fitted model, 95% intervals", record.targets.name),
        &names,
        "band of followers",
        "share of the accounts counted (log scale)",
        &[("target", target), ("fitted model", model)],
        Scale::Log,
    )?;
    Ok(vec![path])
}

/// The most points of a sweep `sweep.svg` draws: each point is a category
/// with a whisker and a dot per tier, and 100 of them fill its 800 pixels.
/// A sweep of more is thinned to every `k`-th point, so the picture stays
/// about 100 KB whatever the sweep (a 10,000-point sweep drew 949 KB).
pub const MAX_PLOTTED_POINTS: usize = 100;

/// The indices of the points of `n` that `sweep.svg` draws, and the stride
/// `k`: all of them up to [`MAX_PLOTTED_POINTS`], else every `k`-th with
/// the baseline and the last point.
fn plotted_points(n: usize, baseline: usize) -> (Vec<usize>, usize) {
    let k = n.div_ceil(MAX_PLOTTED_POINTS).max(1);
    let mut drawn: Vec<usize> =
        (0..n).step_by(k).chain([baseline, n.saturating_sub(1)]).filter(|&i| i < n).collect();
    drawn.sort_unstable();
    drawn.dedup();
    (drawn, k)
}

/// Draws `sweep.svg` for a sweep record: every tier's odds at each point,
/// each with its 95% interval, on a log scale (thinned
/// above [`MAX_PLOTTED_POINTS`] points).
pub fn plot_sweep(record: &SweepRecord, dir: &Path) -> Result<Vec<PathBuf>, PlotError> {
    let Some(report) = record.report.as_ref() else {
        return Err(PlotError::NoSeries(crate::report::NO_REPORT.trim_end().to_string()));
    };
    std::fs::create_dir_all(dir).map_err(|e| draw_error(dir)(e.to_string()))?;
    let path = dir.join("sweep.svg");
    let points = &report.points;
    // At most MAX_PLOTTED_POINTS points are drawn (the baseline and the
    // last always). Points are categories, each named by its swept values
    // (by its index past a dozen, where the values would not fit); no line
    // joins them.
    let (drawn, stride) = plotted_points(points.len(), report.baseline);
    let categories: Vec<String> = drawn
        .iter()
        .map(|&i| {
            let p = &points[i];
            let name = if drawn.len() <= 12 {
                p.values
                    .iter()
                    .map(|v| crate::scenario::sweep::show_value(&v.value))
                    .collect::<Vec<_>>()
                    .join(", ")
            } else {
                p.index.to_string()
            };
            if p.baseline { format!("{name} (baseline)") } else { name }
        })
        .collect();
    let series: Vec<(&str, Vec<Option<Odds>>)> = Tier::ALL
        .iter()
        .map(|&t| (t.name(), drawn.iter().map(|&i| points[i].answer.proportion(t).map(Odds::from)).collect()))
        .collect();
    let thinned = if stride > 1 {
        format!("; {} of {} points drawn, one in {stride}", drawn.len(), points.len())
    } else {
        String::new()
    };
    let x_desc = if drawn.len() <= 12 {
        format!("point: {}{thinned}", report.paths.join(", "))
    } else {
        format!("point (values in the record{thinned}); parameters: {}", report.paths.join(", "))
    };
    estimates(
        &path,
        &format!("{}: odds at each point, 95% intervals", record.scenario.name),
        &categories,
        &x_desc,
        "odds of reaching the tier (log scale)",
        &series,
        Scale::Log,
    )?;
    Ok(vec![path])
}

/// Draws `forecast.svg` of a forecast record into `dir` (created if
/// needed): the history's shown counts as points, and the forecast's bands
/// of followers (5th to 95th and 25th to 75th percentiles, the median as a
/// line) from the last row to the horizon, on a log scale. A record whose
/// history the model cannot produce has no bands: an error says so.
pub fn plot_forecast(record: &ForecastRecord, dir: &Path) -> Result<Vec<PathBuf>, PlotError> {
    let r = &record.report;
    if r.bands.is_empty() {
        return Err(PlotError::NoSeries(
            "the record has no forecast: the model cannot produce its history".into(),
        ));
    }
    std::fs::create_dir_all(dir).map_err(|e| draw_error(dir)(e.to_string()))?;
    let path = dir.join("forecast.svg");
    let fail = draw_error(&path);
    let last = r.history.last().expect("a checked record has a history");
    let start = (f64::from(last.day), last.shown.max(1.0));
    let band = |f: fn(&crate::experiment::forecast::Band) -> f64| {
        std::iter::once(start)
            .chain(r.bands.iter().map(move |b| (f64::from(b.day), f(b).max(1.0))))
            .collect::<Vec<_>>()
    };
    let top =
        r.bands.iter().map(|b| b.p95).chain(r.history.iter().map(|h| h.high)).fold(10.0, f64::max) * 2.0;
    picture(&path, |root| {
        let title = format!("{}: history and forecast", record.history_file);
        let mut chart = titled(root, &title)
            .build_cartesian_2d(0f64..f64::from(r.horizon_day) * 1.02, (1.0f64..top).log_scale())
            .map_err(|e| fail(e.to_string()))?;
        followers_by_day_mesh(&mut chart, &fail)?;
        let color = PALETTE[0];
        for (label, low, high, alpha) in [
            ("forecast, 5th to 95th percentile", band(|b| b.p05), band(|b| b.p95), 0.15),
            ("25th to 75th", band(|b| b.p25), band(|b| b.p75), 0.35),
        ] {
            let area: Vec<(f64, f64)> = high.iter().copied().chain(low.iter().rev().copied()).collect();
            chart
                .draw_series(std::iter::once(Polygon::new(area, color.mix(alpha).filled())))
                .map_err(|e| fail(e.to_string()))?
                .label(label)
                .legend(move |(x, y)| {
                    Rectangle::new([(x, y - 5), (x + 20, y + 5)], color.mix(alpha).filled())
                });
        }
        chart
            .draw_series(LineSeries::new(band(|b| b.p50), color.stroke_width(2)))
            .map_err(|e| fail(e.to_string()))?
            .label("median")
            .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], color.stroke_width(2)));
        let seen = PALETTE[1];
        chart
            .draw_series(
                r.history.iter().map(|h| Circle::new((f64::from(h.day), h.shown.max(1.0)), 3, seen.filled())),
            )
            .map_err(|e| fail(e.to_string()))?
            .label("your history")
            .legend(move |(x, y)| Circle::new((x + 10, y), 3, seen.filled()));
        legend(&mut chart, SeriesLabelPosition::UpperLeft, &fail)?;
        Ok(())
    })?;
    Ok(vec![dir.join("forecast.svg")])
}

/// Draws `compare.svg` for a comparison record: under each fitted variant
/// (a category), each headline answer with its 95% interval, on a log
/// scale (chances and Sobol indices share it; an answer without an upper
/// end is drawn at its estimate).
pub fn plot_compare(
    record: &crate::study::compare::CompareRecord,
    dir: &Path,
) -> Result<Vec<PathBuf>, PlotError> {
    if record.variants.is_empty() {
        return Err(PlotError::NoSeries("the comparison has no variant finished yet".into()));
    }
    std::fs::create_dir_all(dir).map_err(|e| draw_error(dir)(e.to_string()))?;
    let names: Vec<String> = record.variants.iter().map(|v| v.name.clone()).collect();
    let answers: Vec<_> = record.variants.iter().map(|v| v.answers.named()).collect();
    let series: Vec<(&str, Vec<Option<Odds>>)> = (0..answers[0].len())
        .map(|k| {
            let odds = answers
                .iter()
                .map(|a| {
                    a[k].1.filter(|x| x.value > 0.0).map(|x| Odds {
                        estimate: x.value,
                        lower: x.lower.max(x.value * 1e-3),
                        upper: x.upper.unwrap_or(x.value),
                    })
                })
                .collect();
            (answers[0][k].0, odds)
        })
        // An answer no variant has (the income goal without [money]) draws nothing.
        .filter(|(_, odds): &(&str, Vec<Option<Odds>>)| odds.iter().any(Option::is_some))
        .collect();
    let path = dir.join("compare.svg");
    estimates(
        &path,
        &format!("{}: headline answers under each fitted variant, 95% intervals", record.comparison.name),
        &names,
        "variant",
        "chance or total Sobol index (log scale)",
        &series,
        Scale::Log,
    )?;
    Ok(vec![path])
}

/// A record that draws its pictures into a folder (created if needed),
/// returning the files written: the one interface `clout plot` draws any
/// record through.
pub trait Plot {
    /// Draws the pictures into `dir`.
    fn plot(&self, dir: &Path) -> Result<Vec<PathBuf>, PlotError>;
}

/// [`Plot`] by each record type's drawing function.
macro_rules! plot_by {
    ($($record:ty => $draw:ident),* $(,)?) => {$(
        impl Plot for $record {
            fn plot(&self, dir: &Path) -> Result<Vec<PathBuf>, PlotError> {
                $draw(self, dir)
            }
        }
    )*};
}
plot_by!(
    RunRecord => plot_run,
    SweepRecord => plot_sweep,
    AttributionRecord => plot_attribution,
    DelusionRecord => plot_delusion,
    CalibrationRecord => plot_calibration,
    ForecastRecord => plot_forecast,
    crate::study::compare::CompareRecord => plot_compare,
);
