#!/usr/bin/env python3
"""The Career model of docs/MODEL.md, vectorised with NumPy: a daily-step
reference implementation for speed and agreement comparisons with clout.

It reads the same scenario file (TOML) as clout, simulates `trials` careers
day by day (all creators at once, one array operation per step of the model),
and prints JSON: the tier odds with 95% Wilson intervals, creator-days, and
the wall time. Only cohort scenarios are supported.

    python3 career_numpy.py ../../scenarios/default.toml --trials 100000 --seed 1
"""
import argparse
import json
import math
import sys
import time

try:
    import numpy as np
except ImportError:
    raise SystemExit("career_numpy.py needs NumPy: pip install numpy")

try:
    import tomllib
except ImportError:  # Python < 3.11
    import tomli as tomllib

DEFAULTS = {
    "population": {
        "talent": {"dist": "normal", "mean": 0.5, "sd": 0.15},
        "effort": {"dist": "lognormal", "median": 3.0, "sigma": 0.8},
        "entry_day": {"dist": "uniform", "low": 0.0, "high": 3650.0},
        "niche": {"dist": "lognormal", "median": 1e6, "sigma": 1.5},
    },
    "platform": {
        "openness_floor": 0.25, "openness_decay_days": 730.0, "discovery": 100.0,
        "share_rate": 0.3, "conversion": 0.02, "unfollow_rate": 0.0005, "reach_sigma": 1.0,
        "viral_rate": 0.002, "viral_scale": 10.0, "viral_shape": 1.5,
    },
    "persistence": {"review_days": 30, "quit_base": 0.02, "quit_stall": 0.04, "aspiration": 0.10},
    "tiers": {"nano": 1000, "micro": 10000, "mid": 50000, "macro": 500000, "mega": 1000000},
}
RANGES = {"talent": (0.0, 1.0), "effort": (0.1, 28.0), "entry_day": (0.0, 36500.0), "niche": (1.0, 1e12)}


def draw(rng, spec, n, low, high):
    if not isinstance(spec, dict):
        x = np.full(n, float(spec))
    elif spec["dist"] == "fixed":
        x = np.full(n, float(spec["value"]))
    elif spec["dist"] == "normal":
        x = rng.normal(spec["mean"], spec["sd"], n)
    elif spec["dist"] == "lognormal":
        x = rng.lognormal(math.log(spec["median"]), spec["sigma"], n)
    elif spec["dist"] == "uniform":
        x = rng.uniform(spec["low"], spec["high"], n)
    else:
        raise SystemExit(f"unknown distribution {spec['dist']}")
    return np.clip(x, low, high)


def wilson(x, n, z=1.959963984540054):
    p = x / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return max(0.0, centre - half), min(1.0, centre + half)


def simulate(scenario, trials, seed):
    rng = np.random.default_rng(seed)
    pop = {**DEFAULTS["population"], **scenario.get("population", {})}
    pl = {**DEFAULTS["platform"], **scenario.get("platform", {})}
    ps = {**DEFAULTS["persistence"], **scenario.get("persistence", {})}
    tiers = {**DEFAULTS["tiers"], **scenario.get("tiers", {})}
    obs = scenario.get("observation", {"kind": "cohort", "horizon_days": 1825})
    if obs.get("kind", "cohort") != "cohort":
        raise SystemExit("the NumPy reference supports cohort scenarios only")
    horizon = int(obs.get("horizon_days", 1825))
    names = ["nano", "micro", "mid", "macro", "mega"]
    thresholds = np.array([tiers[t] for t in names], dtype=np.int64)

    q = draw(rng, pop["talent"], trials, *RANGES["talent"])
    e = draw(rng, pop["effort"], trials, *RANGES["effort"])
    a0 = draw(rng, pop["entry_day"], trials, *RANGES["entry_day"])
    m = draw(rng, pop["niche"], trials, *RANGES["niche"])

    f = np.zeros(trials, dtype=np.int64)
    active = np.ones(trials, dtype=bool)
    reached = np.zeros((trials, 5), dtype=bool)
    at_last_review = np.zeros(trials, dtype=np.int64)
    career_days = np.zeros(trials, dtype=np.int64)
    sigma = pl["reach_sigma"]
    mu_l = -0.5 * sigma * sigma
    for t in range(horizon):
        idx = np.flatnonzero(active)
        if idx.size == 0:
            break
        career_days[idx] += 1
        fa = f[idx]
        # Step 1: openness.
        o = pl["openness_floor"] + (1 - pl["openness_floor"]) * np.exp(-(a0[idx] + t) / pl["openness_decay_days"])
        # Step 2: posts today.
        k = rng.poisson(e[idx] / 7.0)
        # Step 3: reach luck and viral hits, post by post.
        reach = np.zeros(idx.size)
        viral_reach = np.zeros(idx.size)
        for j in range(int(k.max()) if k.size else 0):
            has = k > j
            nj = int(has.sum())
            luck = rng.lognormal(mu_l, sigma, nj) if sigma > 0 else np.ones(nj)
            viral = rng.random(nj) < pl["viral_rate"] * q[idx][has]
            boost = np.where(viral, pl["viral_scale"] * (1.0 - rng.random(nj)) ** (-1.0 / pl["viral_shape"]), 1.0)
            reach[has] += luck
            viral_reach[has] += luck * boost
        # Step 4: impressions, follows, unfollows.
        impressions = np.minimum(m[idx], o * (pl["discovery"] * viral_reach + pl["share_rate"] * fa * reach))
        mean = pl["conversion"] * q[idx] * impressions * np.maximum(0.0, 1.0 - fa / m[idx])
        gained = rng.poisson(mean)
        lost = rng.binomial(fa, pl["unfollow_rate"])
        fa = fa + gained - lost
        f[idx] = fa
        reached[idx] |= fa[:, None] >= thresholds[None, :]
        # Step 5: reviews.
        if (t + 1) % ps["review_days"] == 0:
            stalled = fa < at_last_review[idx] * (1 + ps["aspiration"])
            quit_p = ps["quit_base"] + ps["quit_stall"] * stalled
            quits = rng.random(idx.size) < quit_p
            at_last_review[idx] = fa
            active[idx[quits]] = False
    return names, thresholds, reached, int(career_days.sum())


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("scenario")
    ap.add_argument("--trials", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    with open(args.scenario, "rb") as fh:
        scenario = tomllib.load(fh)
    start = time.perf_counter()
    names, thresholds, reached, creator_days = simulate(scenario, args.trials, args.seed)
    seconds = time.perf_counter() - start
    tiers = []
    for i, name in enumerate(names):
        x = int(reached[:, i].sum())
        lo, hi = wilson(x, args.trials)
        tiers.append({"tier": name, "threshold": int(thresholds[i]), "reached": x,
                      "estimate": x / args.trials, "wilson": [lo, hi]})
    json.dump({"implementation": "numpy", "numpy": np.__version__, "trials": args.trials, "seed": args.seed,
               "seconds": seconds, "creator_days": creator_days,
               "ns_per_creator_day": seconds * 1e9 / creator_days, "tiers": tiers}, sys.stdout, indent=1)
    print()


if __name__ == "__main__":
    main()
