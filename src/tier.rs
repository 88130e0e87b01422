//! Influencer tiers and their follower thresholds.

use crate::error::FieldError;
use serde::{Deserialize, Serialize};
use std::fmt;

/// How many tiers there are: the length of every per-tier array.
pub const TIER_COUNT: usize = 5;

/// How many follower levels a Career tracks at most: the five tiers and a
/// goal that is not one of them ([`Tiers::levels`]). The length of
/// [`crate::model::career::Career::reached_day`].
pub const LEVEL_SLOTS: usize = TIER_COUNT + 1;

/// An influencer tier, reached on the first day a creator's followers are at
/// or above its threshold (first passage, even if followers later fall).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Tier {
    /// Nano influencer, default threshold 1,000 followers.
    Nano,
    /// Micro influencer, default threshold 10,000 followers.
    Micro,
    /// Mid-tier influencer, default threshold 50,000 followers.
    Mid,
    /// Macro influencer, default threshold 500,000 followers: the default goal.
    Macro,
    /// Mega influencer, default threshold 1,000,000 followers.
    Mega,
}

impl Tier {
    /// All tiers, smallest first.
    pub const ALL: [Tier; TIER_COUNT] = [Tier::Nano, Tier::Micro, Tier::Mid, Tier::Macro, Tier::Mega];

    /// Position in [`Tier::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }

    /// Lower-case name, as in scenario files.
    pub fn name(self) -> &'static str {
        match self {
            Tier::Nano => "nano",
            Tier::Micro => "micro",
            Tier::Mid => "mid",
            Tier::Macro => "macro",
            Tier::Mega => "mega",
        }
    }
}

impl AsRef<str> for Tier {
    fn as_ref(&self) -> &str {
        self.name()
    }
}

impl fmt::Display for Tier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Follower thresholds of the five tiers and the goal tier of a scenario.
///
/// Defaults are the five-tier scheme of Mediakix, Hootsuite and HypeAuditor:
/// nano 1k, micro 10k, mid 50k, macro 500k, mega 1M. Other published schemes put
/// micro's top at 100k and macro at 100k to 1M; a scenario can choose.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Tiers {
    /// Followers to count as a nano influencer.
    #[serde(deserialize_with = "follower_count")]
    pub nano: u64,
    /// Followers to count as a micro influencer.
    #[serde(deserialize_with = "follower_count")]
    pub micro: u64,
    /// Followers to count as a mid-tier influencer.
    #[serde(deserialize_with = "follower_count")]
    pub mid: u64,
    /// Followers to count as a macro influencer.
    #[serde(rename = "macro", deserialize_with = "follower_count")]
    pub macro_: u64,
    /// Followers to count as a mega influencer.
    #[serde(deserialize_with = "follower_count")]
    pub mega: u64,
    /// The level the headline answer is about: a tier (`"macro"`) or any
    /// follower count (`100000`, `"100k"`, `"1.5M"`, `"1e5"`).
    pub goal: Goal,
}

impl Default for Tiers {
    fn default() -> Self {
        Tiers {
            nano: 1_000,
            micro: 10_000,
            mid: 50_000,
            macro_: 500_000,
            mega: 1_000_000,
            goal: Goal::Tier(Tier::Macro),
        }
    }
}

impl Tiers {
    /// Thresholds in the order of [`Tier::ALL`].
    pub fn thresholds(&self) -> [u64; TIER_COUNT] {
        [self.nano, self.micro, self.mid, self.macro_, self.mega]
    }

    /// Threshold of one tier.
    pub fn threshold(&self, tier: Tier) -> u64 {
        self.thresholds()[tier.index()]
    }

    /// The follower levels every report answers for, in slot order: the
    /// five tiers, then the goal when it is a follower count that is no
    /// tier's threshold (named as [`followers_name`] writes it, `"100k"`).
    /// A goal count equal to a tier's threshold is that tier.
    pub fn levels(&self) -> Vec<Level> {
        let mut levels: Vec<Level> = Tier::ALL
            .iter()
            .zip(self.thresholds())
            .map(|(tier, followers)| Level { name: tier.name().to_string(), followers, tier: Some(*tier) })
            .collect();
        if let Goal::Followers(followers) = self.goal
            && !self.thresholds().contains(&followers)
        {
            levels.push(Level { name: followers_name(followers), followers, tier: None });
        }
        levels
    }

    /// The followers a goal (a tier, or a count) stands for under these thresholds.
    pub fn followers_of(&self, goal: Goal) -> u64 {
        match goal {
            Goal::Tier(tier) => self.threshold(tier),
            Goal::Followers(n) => n,
        }
    }

    /// The slot in [`Tiers::levels`] of the level at `goal`'s followers,
    /// if these levels track it (a count is tracked when it is a tier's
    /// threshold or the goal).
    pub fn slot_of(&self, goal: Goal) -> Option<usize> {
        let followers = self.followers_of(goal);
        self.levels().iter().position(|l| l.followers == followers)
    }

    /// The slot of the goal in [`Tiers::levels`].
    pub fn goal_slot(&self) -> usize {
        match self.goal {
            Goal::Tier(tier) => tier.index(),
            Goal::Followers(f) => self.thresholds().iter().position(|&t| t == f).unwrap_or(TIER_COUNT),
        }
    }

    /// The goal's name as reports write it: a tier's name, or a count's
    /// short form (`"100k"`).
    pub fn goal_name(&self) -> String {
        self.levels().swap_remove(self.goal_slot()).name
    }

    /// Thresholds must be at least 1 and strictly increasing from nano to
    /// mega; a goal count at least 1.
    pub fn validate(&self) -> Result<(), FieldError> {
        if self.goal == Goal::Followers(0) {
            return Err(FieldError::new("goal", 0, "must be a tier's name or a follower count >= 1"));
        }
        let t = self.thresholds();
        if t[0] < 1 {
            return Err(FieldError::new("nano", t[0], "must be >= 1"));
        }
        for i in 1..5 {
            if t[i] <= t[i - 1] {
                return Err(FieldError::new(
                    Tier::ALL[i].name(),
                    t[i],
                    format!(
                        "must be > {} = {} (thresholds increase from nano to mega)",
                        Tier::ALL[i - 1],
                        t[i - 1]
                    ),
                ));
            }
        }
        Ok(())
    }
}

/// The level a scenario's headline answer is about (`[tiers] goal`, the
/// command line's `--target`): one of the five tiers, or any follower count.
/// Written in a scenario file as a tier's name (`"macro"`), or as a count:
/// `100000`, `1e5`, `"100k"`, `"1.5M"` ([`parse_followers`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Goal {
    /// A tier: its threshold is the scenario's.
    Tier(Tier),
    /// Any follower count.
    Followers(u64),
}

impl Goal {
    /// A tier's name, or a follower count as [`parse_followers`] reads it.
    pub fn parse(text: &str) -> Result<Goal, String> {
        let name = text.trim().to_ascii_lowercase();
        if let Some(&tier) = Tier::ALL.iter().find(|t| t.name() == name) {
            return Ok(Goal::Tier(tier));
        }
        parse_followers(text).map(Goal::Followers).map_err(|_| {
            format!(
                "{text:?} is neither a tier (nano, micro, mid, macro, mega) nor a follower count \
                 (100000, 1e5, 100k, 1.5M)"
            )
        })
    }
}

impl std::str::FromStr for Goal {
    type Err = String;
    fn from_str(text: &str) -> Result<Goal, String> {
        Goal::parse(text)
    }
}

impl From<Tier> for Goal {
    fn from(tier: Tier) -> Goal {
        Goal::Tier(tier)
    }
}

impl fmt::Display for Goal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Goal::Tier(tier) => f.write_str(tier.name()),
            Goal::Followers(n) => f.write_str(&followers_name(*n)),
        }
    }
}

impl Serialize for Goal {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Goal::Tier(tier) => serializer.serialize_str(tier.name()),
            Goal::Followers(n) => serializer.serialize_u64(*n),
        }
    }
}

impl<'de> Deserialize<'de> for Goal {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Goal, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = Goal;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a tier (nano, micro, mid, macro, mega) or a follower count (100000, 1e5, \"100k\", \"1.5M\")")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Goal, E> {
                Goal::parse(v).map_err(E::custom)
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Goal, E> {
                Ok(Goal::Followers(v))
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Goal, E> {
                u64::try_from(v)
                    .map(Goal::Followers)
                    .map_err(|_| E::custom(format!("{v}: {}", FOLLOWERS_ALLOWED)))
            }
            fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Goal, E> {
                followers_of(v)
                    .map(Goal::Followers)
                    .ok_or_else(|| E::custom(format!("{v}: {}", FOLLOWERS_ALLOWED)))
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

/// One follower level a report answers for: a tier, or a scenario's goal
/// that is no tier ([`Tiers::levels`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Level {
    /// Its name: a tier's (`"macro"`) or a count's short form (`"100k"`).
    pub name: String,
    /// Followers to reach.
    pub followers: u64,
    /// The tier it is, if it is one.
    pub tier: Option<Tier>,
}

/// What a follower count may be written as, for error messages.
const FOLLOWERS_ALLOWED: &str =
    "a follower count is a whole number from 1 to 1e15, written 100000, 1e5, 100k, 2.5M or 1B";

/// The largest follower count clout takes (far above any account).
pub const MAX_FOLLOWERS: u64 = 1_000_000_000_000_000;

/// `v` as a follower count, when it is a whole number from 1 to [`MAX_FOLLOWERS`].
fn followers_of(v: f64) -> Option<u64> {
    (v.fract() == 0.0 && (1.0..=MAX_FOLLOWERS as f64).contains(&v)).then_some(v as u64)
}

/// A follower count as people write it: `100000`, `100_000`, `1e5`, `100k`,
/// `1.5M`, `2B` (k = 1e3, M = 1e6, B = 1e9; either case), a whole number
/// from 1 to 1e15.
pub fn parse_followers(text: &str) -> Result<u64, String> {
    let t = text.trim().replace('_', "");
    let (number, scale) = match t.chars().last() {
        Some('k' | 'K') => (&t[..t.len() - 1], 1e3),
        Some('m' | 'M') => (&t[..t.len() - 1], 1e6),
        Some('b' | 'B') => (&t[..t.len() - 1], 1e9),
        _ => (&t[..], 1.0),
    };
    let whole = number.parse::<u64>().ok().filter(|_| scale == 1.0);
    let value = match whole {
        Some(n) => Some(n).filter(|n| (1..=MAX_FOLLOWERS).contains(n)),
        None => number.parse::<f64>().ok().filter(|v| v.is_finite()).and_then(|v| {
            // 1.5 * 1e6 is computed exactly after rounding to the nearest
            // whole number when the written digits make one.
            let x = v * scale;
            let rounded = x.round();
            ((x - rounded).abs() <= 1e-9 * rounded.max(1.0)).then_some(rounded).and_then(followers_of)
        }),
    };
    value.ok_or_else(|| format!("{text:?}: {FOLLOWERS_ALLOWED}"))
}

/// A follower count's short name, read back by [`parse_followers`]: `100k`,
/// `1.5M`, `2B` when the count is a whole number of hundreds (thousands,
/// ...), else the digits (`123456`).
pub fn followers_name(n: u64) -> String {
    for (scale, suffix) in [(1_000_000_000u64, "B"), (1_000_000, "M"), (1_000, "k")] {
        if n >= scale && n.is_multiple_of(scale / 10) {
            let tenths = n / (scale / 10);
            return if tenths.is_multiple_of(10) {
                format!("{}{suffix}", tenths / 10)
            } else {
                format!("{}.{}{suffix}", tenths / 10, tenths % 10)
            };
        }
    }
    n.to_string()
}

/// A tier threshold as scenario files may write it: an integer, a whole
/// float (`1e5`) or a string (`"100k"`), read by [`parse_followers`].
fn follower_count<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<u64, D::Error> {
    struct Count;
    impl serde::de::Visitor<'_> for Count {
        type Value = u64;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str(FOLLOWERS_ALLOWED)
        }
        fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<u64, E> {
            Ok(v)
        }
        fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<u64, E> {
            u64::try_from(v).map_err(|_| E::custom(format!("{v}: {FOLLOWERS_ALLOWED}")))
        }
        fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<u64, E> {
            followers_of(v).ok_or_else(|| E::custom(format!("{v}: {FOLLOWERS_ALLOWED}")))
        }
        fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<u64, E> {
            parse_followers(v).map_err(E::custom)
        }
    }
    deserializer.deserialize_any(Count)
}

#[cfg(test)]
mod level_tests {
    use super::*;

    #[test]
    fn follower_counts_read_as_people_write_them() {
        for (text, n) in [
            ("100000", 100_000),
            ("100_000", 100_000),
            ("1e5", 100_000),
            ("100k", 100_000),
            ("100K", 100_000),
            ("1.5M", 1_500_000),
            ("2.5e6", 2_500_000),
            ("0.5k", 500),
            ("2B", 2_000_000_000),
            (" 12k ", 12_000),
        ] {
            assert_eq!(parse_followers(text), Ok(n), "{text}");
        }
        for bad in ["0", "-5", "1.5", "1.0005k", "k", "abc", "1e16", "inf", "NaN", ""] {
            let e = parse_followers(bad).unwrap_err();
            assert!(e.contains("whole number from 1 to 1e15"), "{bad}: {e}");
        }
    }

    #[test]
    fn short_names_read_back_as_their_counts() {
        for (n, name) in [
            (100_000, "100k"),
            (1_500_000, "1.5M"),
            (123_456, "123456"),
            (999, "999"),
            (2_000_000_000, "2B"),
            (12_300, "12.3k"),
        ] {
            assert_eq!(followers_name(n), name);
            assert_eq!(parse_followers(name), Ok(n));
        }
    }

    #[test]
    fn a_goal_is_a_tier_or_a_count_and_a_count_at_a_tier_is_that_tier() {
        let mut tiers = Tiers { goal: Goal::parse("100k").unwrap(), ..Tiers::default() };
        let levels = tiers.levels();
        assert_eq!(levels.len(), LEVEL_SLOTS);
        assert_eq!((levels[5].name.as_str(), levels[5].followers, levels[5].tier), ("100k", 100_000, None));
        assert_eq!((tiers.goal_slot(), tiers.goal_name()), (5, "100k".to_string()));
        tiers.goal = Goal::parse("500k").unwrap();
        assert_eq!((tiers.levels().len(), tiers.goal_slot(), tiers.goal_name()), (5, 3, "macro".into()));
        assert_eq!(Goal::parse("Micro"), Ok(Goal::Tier(Tier::Micro)));
        assert!(Goal::parse("huge").unwrap_err().contains("neither a tier"));
        let read: Tiers = toml::from_str("goal = \"1.5M\"\nmicro = \"20k\"").unwrap();
        assert_eq!((read.goal, read.micro), (Goal::Followers(1_500_000), 20_000));
        let read: Tiers = toml::from_str("goal = 2e5").unwrap();
        assert_eq!(read.goal, Goal::Followers(200_000));
        assert_eq!(serde_json::to_string(&Tiers::default().goal).unwrap(), "\"macro\"");
    }
}
