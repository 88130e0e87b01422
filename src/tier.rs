//! Influencer tiers and their follower thresholds.

use crate::error::FieldError;
use serde::{Deserialize, Serialize};
use std::fmt;

/// How many tiers there are: the length of every per-tier array.
pub const TIER_COUNT: usize = 5;

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
    pub nano: u64,
    /// Followers to count as a micro influencer.
    pub micro: u64,
    /// Followers to count as a mid-tier influencer.
    pub mid: u64,
    /// Followers to count as a macro influencer.
    #[serde(rename = "macro")]
    pub macro_: u64,
    /// Followers to count as a mega influencer.
    pub mega: u64,
    /// The tier the headline answer is about.
    pub goal: Tier,
}

impl Default for Tiers {
    fn default() -> Self {
        Tiers { nano: 1_000, micro: 10_000, mid: 50_000, macro_: 500_000, mega: 1_000_000, goal: Tier::Macro }
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

    /// Thresholds must be at least 1 and strictly increasing from nano to mega.
    pub fn validate(&self) -> Result<(), FieldError> {
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
