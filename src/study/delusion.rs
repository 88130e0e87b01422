//! The delusion gap of a Career cohort scenario ([`crate::experiment::delusion`]
//! has the estimators and their equations): the cohort, the self-assessed
//! cohort and the snapshot of visible accounts, in one record.

use crate::dist::Law;
use crate::error::FieldError;
use crate::experiment::delusion::{
    CohortSummary, DelusionCohort, DelusionReport, DelusionSpec, MoneyGap, View, VisibleOdds, VisibleSummary,
    factor, proportion,
};
use crate::model::career::conditional::CreatorsLikeYou;
use crate::model::career::money::short_amount;
use crate::model::platform::Field;
use crate::model::{Model, Summary};
use crate::runner::Runner;
use crate::scenario::{ModelKind, Scenario};
use crate::stats::{Estimate, Proportion};
use crate::study::executor::{Part, PartRun, RecordOf, Study, run_model};
use serde::{Deserialize, Serialize};
use std::ops::Range;

/// The delusion gap of a Career cohort scenario with a `[condition]` (the
/// observed state).
#[derive(Debug, Clone)]
pub struct Delusion {
    scenario: Scenario,
    spec: DelusionSpec,
    cohort: DelusionCohort,
    self_cohort: DelusionCohort,
    self_talent: f64,
    visible: VisibleOdds,
}

impl Delusion {
    /// Builds the three runs of `scenario` (checked; `run.method` and `[rare]` are ignored).
    pub fn new(scenario: &Scenario) -> Result<Delusion, FieldError> {
        if scenario.model != ModelKind::Career {
            return Err(FieldError::new(
                "model",
                format!("{:?}", scenario.model.name()),
                "the delusion gap needs model = \"career\"",
            ));
        }
        if scenario.sweep.is_some() {
            return Err(FieldError::new(
                "sweep",
                "(a section)",
                "the delusion gap runs one scenario, not a sweep: run the sweep with `clout sweep`, or remove [sweep]",
            ));
        }
        let Some(condition) = scenario.condition else {
            return Err(FieldError::new(
                "condition",
                "(missing)",
                "the delusion gap needs [condition], the state a creator observes (e.g. career_day = 730, \
                 followers = { low = 9000, high = 11000 }); see the built-in delusion-gap scenario",
            ));
        };
        if scenario.start.is_some() {
            return Err(FieldError::new(
                "start",
                "(a section)",
                "is not used by the delusion gap (the self-assessed odds are set by \
                 delusion.self_talent_percentile); remove it",
            ));
        }
        let spec = scenario.delusion.unwrap_or_default();
        spec.validate(Some(&condition)).map_err(|e| e.within("delusion"))?;
        let mut plain = scenario.clone();
        plain.set_brute();
        // The level compared is the goal of the careers run, so they track it.
        let mut tiers = plain.tiers.unwrap_or_default();
        let tier = spec.tier.unwrap_or(tiers.goal);
        tiers.goal = tier;
        plain.tiers = Some(tiers);
        let resolved = plain.resolved()?;
        // With [competition], the one field solved here is every view's.
        let career = resolved.career_model()?;
        let visible = VisibleOdds::new(&career, spec.snapshot_platform_day, tier).map_err(|e| {
            if e.field == "platform_day" {
                FieldError { field: "delusion.snapshot_platform_day".into(), ..e }
            } else {
                e.within("delusion.snapshot")
            }
        })?;
        let mut self_spec = *career.spec();
        let self_talent = self_spec.population.talent.quantile(
            spec.self_talent_percentile / 100.0,
            crate::model::career::TALENT_RANGE.0,
            crate::model::career::TALENT_RANGE.1,
        );
        self_spec.population.talent = Law::Fixed { value: self_talent };
        let like_you = |career| CreatorsLikeYou::new(career, condition).map_err(|e| e.within("condition"));
        let self_cohort =
            DelusionCohort::new(like_you(career.with_spec(self_spec)?)?, tier, spec.growth_days);
        let cohort = DelusionCohort::new(like_you(career)?, tier, spec.growth_days);
        let mut scenario = resolved;
        scenario.delusion = Some(DelusionSpec { tier: Some(tier), ..spec });
        Ok(Delusion { scenario, spec, cohort, self_cohort, self_talent, visible })
    }

    /// The field each part's careers run in (cohort, self-assessed cohort,
    /// snapshot), with `[competition]`: the one field, shared.
    pub fn fields(&self) -> [Option<&Field>; 3] {
        [
            self.cohort.like_you().career().field(),
            self.self_cohort.like_you().career().field(),
            self.visible.career().field(),
        ]
    }

    /// Runs the cohort, the self-assessed cohort and the snapshot (the
    /// whole run; [`crate::study::executor`] runs shards and rests).
    pub fn run(&self, runner: &Runner) -> DelusionRecord {
        self.run_whole(runner)
    }
}

/// The cohort (`run.trials` creators, stream domain 0), the self-assessed
/// cohort (as many, domain 1) and the snapshot (`delusion.snapshot_trials`
/// accounts, domain 2): three sets of different creators on one seed.
impl Study for Delusion {
    const SCHEMA: &'static str = "clout.delusion/4";
    const NAME: &'static str = "delusion";
    type Report = DelusionReport;
    type Summary = DelusionSummary;

    fn from_scenario(scenario: &Scenario) -> Result<Self, FieldError> {
        Delusion::new(scenario)
    }

    fn scenario(&self) -> &Scenario {
        &self.scenario
    }

    fn parts(&self) -> Vec<Part> {
        let trials = self.scenario.run.trials;
        vec![
            Part { name: "cohort", trials },
            Part { name: "self_assessed", trials },
            Part { name: "snapshot", trials: self.spec.snapshot_trials },
        ]
    }

    fn empty(&self) -> DelusionSummary {
        DelusionSummary {
            cohort: self.cohort.new_summary(),
            self_assessed: self.self_cohort.new_summary(),
            snapshot: self.visible.new_summary(),
        }
    }

    fn run_part(
        &self,
        k: usize,
        runner: &Runner,
        ranges: &[Range<u64>],
        offset: &mut u64,
        s: &mut DelusionSummary,
    ) -> PartRun {
        match k {
            0 => run_model(runner, &self.cohort, ranges, offset, &mut s.cohort),
            1 => run_model(runner, &self.self_cohort, ranges, offset, &mut s.self_assessed),
            _ => run_model(runner, &self.visible, ranges, offset, &mut s.snapshot),
        }
    }

    fn held(&self, s: &DelusionSummary, k: usize) -> u64 {
        [s.cohort.trials(), s.self_assessed.trials(), s.snapshot.trials()][k]
    }

    fn check(&self, s: &DelusionSummary) -> Result<(), String> {
        let money = self.cohort.income_goal().is_some();
        if [s.cohort.money.is_some(), s.self_assessed.money.is_some(), s.snapshot.money.is_some()]
            != [money; 3]
        {
            return Err(format!(
                "its statistics {} money, its scenario {}",
                if money { "lack" } else { "hold" },
                if money { "has [money]" } else { "has none" }
            ));
        }
        if s.snapshot.has_shape() {
            s.cohort.check().map_err(|e| format!("its cohort: {e}"))?;
            s.self_assessed.check().map_err(|e| format!("its self-assessed cohort: {e}"))?;
            s.snapshot.check().map_err(|e| format!("its snapshot: {e}"))
        } else {
            Err("its snapshot statistics have another shape than a snapshot's".into())
        }
    }

    fn merge(&self, into: &mut DelusionSummary, other: &DelusionSummary) {
        into.cohort.merge(&other.cohort);
        into.self_assessed.merge(&other.self_assessed);
        into.snapshot.merge(&other.snapshot);
    }

    fn report(&self, summary: &DelusionSummary) -> DelusionReport {
        let c = &summary.cohort;
        let tier = self.cohort.tier();
        let threshold = self.cohort.like_you().career().spec().tiers.followers_of(tier);
        let name = tier.to_string();
        let cond = self.cohort.like_you().condition();
        let state = format!(
            "{}-{} followers on career day {}{}",
            cond.followers.low,
            cond.followers.high,
            cond.career_day,
            if cond.window_days > 0 { format!(" +-{}", cond.window_days) } else { String::new() }
        );
        let truth = proportion(&Proportion::new(c.reached, c.creators));
        let mut views = Vec::new();
        // Proportions are trusted: their interval holds at any count (module docs).
        let mut push = |view: &str, description: String, odds: Estimate, counts, trusted| {
            let factor = factor(&odds, &truth);
            views.push(View { view: view.to_string(), description, odds, counts, factor, trusted });
        };
        let counted = |x: u64, n: u64| (proportion(&Proportion::new(x, n)), Some((x, n)));
        let (odds, counts) = counted(c.reached, c.creators);
        push("true", format!("every creator who started: P({name} by the horizon)"), odds, counts, true);
        let (odds, counts) = counted(c.active_reached, c.active);
        push(
            "survivor",
            "creators still posting at the horizon (quitters are invisible)".into(),
            odds,
            counts,
            true,
        );
        let v = &summary.snapshot;
        let p = self.spec.snapshot_platform_day;
        if let Some(odds) = v.weighted_share() {
            push(
                "visible",
                format!(
                    "{name}+ share of the accounts a viewer sees on platform day {p}, weighted by impressions"
                ),
                odds,
                None,
                v.trusted(),
            );
        }
        let (odds, counts) = counted(v.at_tier, v.accounts());
        push(
            "census",
            format!("{name}+ share of every account on platform day {p}, unweighted"),
            odds,
            counts,
            true,
        );
        let (odds, counts) = counted(c.matched_reached, c.matched);
        push("like_you", format!("creators like you ({state}): the honest odds"), odds, counts, true);
        let s = &summary.self_assessed;
        let (odds, counts) = counted(s.matched_reached, s.matched);
        push(
            "self_assessed",
            format!(
                "creators like you, had they all talent at the {}th percentile ({:.3})",
                self.spec.self_talent_percentile, self.self_talent
            ),
            odds,
            counts,
            true,
        );
        let (odds, counts) = counted(c.projectors, c.matched);
        push(
            "extrapolated",
            format!(
                "creators like you whose last {} days' growth, compounded, reaches {name} by the horizon",
                self.spec.growth_days
            ),
            odds,
            counts,
            true,
        );
        let (odds, counts) = counted(c.projectors_on_time, c.projectors);
        push(
            "extrapolators_on_time",
            "of those, the share who got there by their projected day".into(),
            odds,
            counts,
            true,
        );
        DelusionReport {
            tier,
            threshold,
            views,
            cohort: c.clone(),
            snapshot_accounts: v.accounts(),
            clamped: v.clamped(),
            snapshot_at_tier: v.at_tier,
            snapshot_effective_hits: v.effective_hits(),
            money: self.money_gap(summary),
        }
    }
}

impl Delusion {
    /// The delusion gap in money, with `[money]`: the chance of earning the
    /// income goal seen each way (as the follower views, factors over the
    /// true chance) and the extrapolated income ([`crate::experiment::delusion`]).
    fn money_gap(&self, summary: &DelusionSummary) -> Option<MoneyGap> {
        let goal = self.cohort.income_goal()?;
        let (c, s, v) = (&summary.cohort, &summary.self_assessed, &summary.snapshot);
        let (cm, sm, vm) = (c.money.as_ref()?, s.money.as_ref()?, v.money.as_ref()?);
        let money = self.scenario.money.unwrap_or_default();
        let name = format!("${}", short_amount(goal));
        let p = self.spec.snapshot_platform_day;
        let counted = |x: u64, n: u64| (proportion(&Proportion::new(x, n)), Some((x, n)), true);
        let (truth, _, _) = counted(cm.earned, c.creators);
        let window = money.window_days;
        let mut rows = vec![
            (
                "true",
                format!("every creator who started: P(>= {name} in the last {window} days)"),
                counted(cm.earned, c.creators),
            ),
            ("survivor", "creators still posting at the horizon".into(), counted(cm.active_earned, c.active)),
        ];
        if let Some(odds) = vm.weighted_share() {
            let what = format!(
                "share of the accounts a viewer sees on platform day {p} earning {name}+ in their last year, weighted by impressions"
            );
            rows.push(("visible", what, (odds, None, vm.trusted())));
        }
        rows.extend([
            (
                "census",
                format!("share of every account on platform day {p} earning {name}+, unweighted"),
                counted(vm.earning, v.accounts()),
            ),
            (
                "like_you",
                "creators like you: the honest chance".into(),
                counted(cm.matched_earned, c.matched),
            ),
            (
                "self_assessed",
                "creators like you, had they all the self-assessed talent".into(),
                counted(sm.matched_earned, s.matched),
            ),
        ]);
        let views = rows
            .into_iter()
            .map(|(view, description, (odds, counts, trusted))| View {
                view: view.to_string(),
                description,
                factor: factor(&odds, &truth),
                odds,
                counts,
                trusted,
            })
            .collect();
        Some(MoneyGap {
            goal,
            goal_name: name,
            window_days: window,
            views,
            snapshot_earning: vm.earning,
            snapshot_effective_hits: vm.effective_hits(),
            extrapolated: cm.extrapolated(),
        })
    }
}

/// The mergeable statistics of the three parts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DelusionSummary {
    /// The cohort.
    pub cohort: CohortSummary,
    /// The self-assessed cohort.
    pub self_assessed: CohortSummary,
    /// The snapshot of visible accounts.
    pub snapshot: VisibleSummary,
}

/// The record of a delusion run (JSON schema [`Delusion::SCHEMA`],
/// `clout delusion --format json`).
pub type DelusionRecord = RecordOf<Delusion>;
