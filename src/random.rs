//! Keyed random streams: every draw belongs to a source, and every source of
//! every trial has its own generator.
//!
//! A stream is keyed by `(seed, domain, trial, source, branch)`:
//!
//! * `seed`: the run's seed;
//! * `domain`: which part of a study the trial belongs to (0 for the first
//!   part, and for a plain run; the executor gives part `k` domain `k`), so
//!   that the parts of one study never share streams, and no part of one
//!   run shares streams with another run's;
//! * `trial`: the trial's index in the run;
//! * `source`: what the draws are for ([`Source`]): each creator trait
//!   (talent, effort, entry day, niche) and each luck channel (posting times,
//!   reach luck, viral posts, follows, unfollows, quitting);
//! * `branch`: which copy of the trial (0 for the trial itself; other numbers
//!   for its luck replays and splitting clones).
//!
//! The same key gives the same draws on any thread count, shard or machine.
//! Because each source has its own stream, editing one input leaves every
//! other source's draws as they were: a creator given more talent still posts
//! at exactly the same times and draws the same reach luck for each post, so
//! paired runs ("the same creator, with talent + 0.1") differ only through
//! the edit, which is what makes counterfactual differences tight (common
//! random numbers).
//!
//! # How a key becomes a generator
//!
//! The generator is xoshiro256++ (Blackman & Vigna 2021, ACM TOMS 47(4):36), a
//! fixed algorithm (not `StdRng`/`SmallRng`, which may change between releases
//! of rand). Its 256-bit state is the first four outputs of SplitMix64
//! (Steele, Lea & Flood 2014) started at a 64-bit hash of the key:
//!
//! ```text
//! h = mix(seed + G)
//! h = mix(h ^ mix(domain + 5G))        only when domain != 0
//! h = mix(h ^ mix(trial  + 2G))
//! h = mix(h ^ mix(source + 3G))
//! h = mix(h ^ mix(branch + 4G))
//! ```
//!
//! where `G = 0x9E3779B97F4A7C15` and `mix` is SplitMix64's output function
//! (a bijection of 64-bit words). Domain 0 skips its line, so the keys of
//! the first part of every study are those of a plain run. A unit test pins
//! the first output of one stream to a value computed independently from
//! the published algorithms.

use rand::SeedableRng;
use rand_xoshiro::Xoshiro256PlusPlus;
use serde::{Deserialize, Serialize};

/// The generator of one stream.
pub type StreamRng = Xoshiro256PlusPlus;

/// SplitMix64's increment, the golden ratio in 64-bit fixed point.
const GAMMA: u64 = 0x9E37_79B9_7F4A_7C15;

/// SplitMix64's output function (Stafford's "mix13" variant).
#[inline]
fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// What a stream's draws are for. The numbering is part of the stream keys,
/// so it never changes; new sources get new numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[repr(u32)]
pub enum Source {
    /// Trait: talent `q`.
    Talent = 1,
    /// Trait: effort `e`.
    Effort = 2,
    /// Trait: entry day `a0`.
    EntryDay = 3,
    /// Trait: niche size `M`.
    Niche = 4,
    /// Luck: the times of posts (exponential gaps of the posting process).
    PostTimes = 10,
    /// Luck: per-post reach luck `L`.
    Reach = 11,
    /// Luck: which posts go viral, and how far.
    Viral = 12,
    /// Luck: follows `G`.
    Follows = 13,
    /// Luck: unfollows `U`.
    Unfollows = 14,
    /// Luck: the quitting coin at each review.
    Quitting = 15,
    /// Where, within a run of quiet days, the unfollows of the run fell:
    /// the bridge that gives a career's followers on a trajectory day
    /// between two events ([`crate::model::career::trajectory`]). Drawn
    /// only for trajectories, so no other stream depends on it.
    Trajectory = 16,
    /// Rare-event runs: which component of a defensive mixture a root's
    /// traits come from.
    Proposal = 20,
    /// Forecasts from a history (`crate::experiment::forecast`): the
    /// random-walk steps and acceptance coins of the sampler's moves, and
    /// its resampling. Drawn only by forecasts, so no other stream depends on it.
    Inference = 21,
    /// The one stream of a model that does not separate its sources (the
    /// reference models: Gibrat, Yule, Talent vs Luck).
    Main = 100,
    /// Luck: followers leaving a creator who quit (dormant decay,
    /// `persistence.dormant_unfollow_rate`). Drawn only when that option
    /// is on, so no other stream depends on it.
    Dormant = 101,
    /// Luck: followers going inactive (`platform.inactive_rate`). Drawn
    /// only when that option is on, so no other stream depends on it.
    Inactive = 102,
    /// The entry day of a career simulated to solve a platform's field
    /// (`crate::experiment::field`), drawn from the entry rate `lambda(a)`.
    /// Drawn only by the solver, so no other stream depends on it.
    PlatformEntry = 103,
    /// Luck: each post's engagements and whether it is sponsored
    /// (`[engagement]`, `[money]`). Drawn only when those options are on,
    /// so no other stream depends on it.
    Engagement = 110,
}

impl Source {
    /// The creator traits, in the order talent, effort, entry day, niche.
    pub const TRAITS: [Source; 4] = [Source::Talent, Source::Effort, Source::EntryDay, Source::Niche];
    /// The luck channels of a career.
    pub const LUCK: [Source; 6] = [
        Source::PostTimes,
        Source::Reach,
        Source::Viral,
        Source::Follows,
        Source::Unfollows,
        Source::Quitting,
    ];
}

/// The full key of one stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct StreamKey {
    /// The run's seed.
    pub seed: u64,
    /// The part of a study the trial belongs to (0: the first, or a plain run).
    #[serde(default)]
    pub domain: u64,
    /// The trial's index.
    pub trial: u64,
    /// What the draws are for.
    pub source: Source,
    /// Which copy of the trial: 0 for the trial itself.
    pub branch: u64,
}

impl StreamKey {
    /// The 64-bit hash of the key that seeds the stream (module docs).
    pub fn hash(&self) -> u64 {
        finish_hash(trial_prefix(self.seed, self.domain, self.trial), self.source, self.branch)
    }

    /// The stream's generator, at its start.
    pub fn rng(&self) -> StreamRng {
        generator(self.hash())
    }
}

/// The part of a key's hash that depends on the seed, domain and trial only.
#[inline]
fn trial_prefix(seed: u64, domain: u64, trial: u64) -> u64 {
    let mut h = mix(seed.wrapping_add(GAMMA));
    if domain != 0 {
        h = mix(h ^ mix(domain.wrapping_add(GAMMA.wrapping_mul(5))));
    }
    mix(h ^ mix(trial.wrapping_add(GAMMA.wrapping_mul(2))))
}

/// The rest of a key's hash, from its trial prefix.
#[inline]
fn finish_hash(prefix: u64, source: Source, branch: u64) -> u64 {
    let h = mix(prefix ^ mix(u64::from(source as u32).wrapping_add(GAMMA.wrapping_mul(3))));
    mix(h ^ mix(branch.wrapping_add(GAMMA.wrapping_mul(4))))
}

/// xoshiro256++ with the state of four SplitMix64 outputs started at `hash`.
#[inline]
fn generator(hash: u64) -> StreamRng {
    let mut x = hash;
    let mut state = [0u8; 32];
    for word in state.chunks_exact_mut(8) {
        x = x.wrapping_add(GAMMA);
        word.copy_from_slice(&mix(x).to_le_bytes());
    }
    Xoshiro256PlusPlus::from_seed(state)
}

/// The streams of one trial (and one branch of it): hands out a fresh
/// generator for each [`Source`].
///
/// ```
/// use clout::random::{Source, TrialStreams};
/// use rand::Rng;
/// let streams = TrialStreams::new(2026, 7);
/// let a: u64 = streams.rng(Source::Talent).next_u64();
/// // The same key always gives the same stream; another source another one.
/// assert_eq!(a, TrialStreams::new(2026, 7).rng(Source::Talent).next_u64());
/// assert_ne!(a, streams.rng(Source::Effort).next_u64());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TrialStreams {
    seed: u64,
    domain: u64,
    trial: u64,
    branch: u64,
    /// The hash of `(seed, domain, trial)`, shared by every source's key.
    prefix: u64,
}

impl TrialStreams {
    /// The streams of trial `trial` of a run seeded with `seed`, branch 0
    /// (domain 0: a plain run, or a study's first part).
    pub fn new(seed: u64, trial: u64) -> Self {
        Self::in_domain(seed, 0, trial)
    }

    /// The streams of trial `trial` of part `domain` of a study seeded with
    /// `seed`, branch 0.
    pub fn in_domain(seed: u64, domain: u64, trial: u64) -> Self {
        TrialStreams { seed, domain, trial, branch: 0, prefix: trial_prefix(seed, domain, trial) }
    }

    /// The run's seed.
    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// The part of a study the trial belongs to.
    pub fn domain(&self) -> u64 {
        self.domain
    }

    /// The trial's index.
    pub fn trial(&self) -> u64 {
        self.trial
    }

    /// Which copy of the trial the luck streams belong to (0: the trial itself).
    pub fn branch_number(&self) -> u64 {
        self.branch
    }

    /// The same trial on another branch: luck sources get new streams, trait
    /// sources keep branch 0's (a replay of the same creator's luck).
    pub fn branch(self, branch: u64) -> Self {
        TrialStreams { branch, ..self }
    }

    /// The branch `source`'s stream uses: trait sources always use branch 0,
    /// so every branch of a trial has the same creator.
    fn branch_of(&self, source: Source) -> u64 {
        if Source::TRAITS.contains(&source) { 0 } else { self.branch }
    }

    /// The key of `source`'s stream.
    pub fn key(&self, source: Source) -> StreamKey {
        StreamKey {
            seed: self.seed,
            domain: self.domain,
            trial: self.trial,
            source,
            branch: self.branch_of(source),
        }
    }

    /// A generator for `source`, at the start of its stream (the generator of
    /// [`TrialStreams::key`]`(source)`).
    #[inline]
    pub fn rng(&self, source: Source) -> StreamRng {
        generator(finish_hash(self.prefix, source, self.branch_of(source)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::Rng;

    #[test]
    fn stream_is_pinned() {
        // Changing the keying changes every published number, so it is pinned to
        // a value computed independently: a short Python script of SplitMix64's
        // mix and xoshiro256++ written from the papers' reference code
        // (docs/VALIDATION.md, "Random streams").
        let key = StreamKey { seed: 2026, domain: 0, trial: 7, source: Source::Talent, branch: 0 };
        assert_eq!(key.hash(), PINNED_HASH);
        assert_eq!(key.rng().next_u64(), PINNED_FIRST);
    }
    const PINNED_HASH: u64 = 10_338_347_321_342_029_981;
    const PINNED_FIRST: u64 = 4_185_716_671_596_900_433;

    #[test]
    fn keys_differ_in_every_field() {
        let base = StreamKey { seed: 1, domain: 0, trial: 2, source: Source::Reach, branch: 0 };
        let first = |k: StreamKey| k.rng().next_u64();
        let variants = [
            base,
            StreamKey { seed: 2, ..base },
            StreamKey { domain: 1, ..base },
            StreamKey { domain: 2, ..base },
            StreamKey { trial: 3, ..base },
            StreamKey { source: Source::Follows, ..base },
            StreamKey { branch: 1, ..base },
        ];
        let mut firsts: Vec<u64> = variants.iter().map(|&k| first(k)).collect();
        firsts.sort();
        firsts.dedup();
        assert_eq!(firsts.len(), variants.len());
        // Swapping trial and branch is a different key too.
        assert_ne!(
            first(StreamKey { trial: 5, branch: 9, ..base }),
            first(StreamKey { trial: 9, branch: 5, ..base })
        );
    }

    #[test]
    fn trial_streams_are_their_keys_streams() {
        let s = TrialStreams::in_domain(77, 3, 123).branch(4);
        for source in Source::TRAITS.iter().chain(&Source::LUCK) {
            assert_eq!(s.rng(*source).next_u64(), s.key(*source).rng().next_u64());
        }
    }

    #[test]
    fn branches_share_traits_but_not_luck() {
        let s = TrialStreams::new(3, 4);
        let b = s.branch(2);
        assert_eq!(s.rng(Source::Talent).next_u64(), b.rng(Source::Talent).next_u64());
        assert_ne!(s.rng(Source::Reach).next_u64(), b.rng(Source::Reach).next_u64());
    }
}
