"""Measurement invariance, step by step: each step's verdict, decided once.

Rule (Cheung & Rensvold 2002; Chen 2007; Putnick & Bornstein 2016): a step (metric, scalar,
strict) holds when the change in CFI from the previous step is at least -.010 and the change
in RMSEA at most .015. The chi-square difference test (scaled under MLR, scaled-shifted
under WLSMV) is reported beside it for every step; because it rejects trivial differences
in large samples, the decision rests on ΔCFI / ΔRMSEA, and where Δχ² rejects a step that
ΔCFI / ΔRMSEA accept the verdict says so (caveat "chisq_rejects"). With groups smaller than
300, Chen (2007) suggests the stricter ΔCFI ≥ -.005 and ΔRMSEA ≤ .010; the verdict records
whether the step holds by that rule too (caveat "small_groups", value "strict_accepted").
"""

from __future__ import annotations

import math

import pandas as pd

from loyaltysem.judgment.verdict import Verdict

RULE = "chen2007"
CFI_DROP = -0.010  # Cheung & Rensvold (2002); Chen (2007)
RMSEA_RISE = 0.015  # Chen (2007)
CFI_DROP_SMALL = -0.005  # Chen (2007): total N <= 300 or unequal group sizes
RMSEA_RISE_SMALL = 0.010
LARGE_GROUP = 300
ALPHA = 0.05


def invariance_step(
    step: str,
    cfi_diff: float,
    rmsea_diff: float,
    chisq_diff: float = math.nan,
    df_diff: float = math.nan,
    pvalue: float = math.nan,
    group_n: tuple[int, ...] = (),
) -> Verdict:
    """The verdict of one invariance step against the step before it.

    Example:
        >>> v = invariance_step("scalar", -0.004, 0.002, 49.4, 27, 0.005, (180, 186))
        >>> v.outcome, v.caveats
        ('accepted', ('chisq_rejects', 'small_groups'))
        >>> invariance_step("metric", -0.015, 0.004).outcome
        'rejected'
    """
    ok = cfi_diff >= CFI_DROP - 1e-12 and rmsea_diff <= RMSEA_RISE + 1e-12
    strict_ok = cfi_diff >= CFI_DROP_SMALL - 1e-12 and rmsea_diff <= RMSEA_RISE_SMALL + 1e-12
    caveats = []
    p = float(pvalue)
    if math.isfinite(p):
        if ok and p < ALPHA:
            caveats.append("chisq_rejects")
        elif not ok and p >= ALPHA:
            caveats.append("chisq_accepts")
    small = bool(group_n) and min(group_n) < LARGE_GROUP
    if small:
        caveats.append("small_groups")
    values = {"cfi.diff": float(cfi_diff), "rmsea.diff": float(rmsea_diff),
              "chisq.diff": float(chisq_diff), "df.diff": float(df_diff), "pvalue": p,
              "group.n": list(group_n), "strict_accepted": bool(strict_ok)}  # fmt: skip
    return Verdict(step, "accepted" if ok else "rejected", RULE, values, tuple(caveats))


def judge_invariance(comparisons: pd.DataFrame, group_n: tuple[int, ...] = ()) -> dict:
    """Step name -> verdict for every row of ``InvarianceResult.comparisons`` (columns to,
    cfi.diff, rmsea.diff, chisq.diff, df.diff, pvalue).

    Example:
        >>> comp = pd.DataFrame({"to": ["metric"], "cfi.diff": [0.0], "rmsea.diff": [0.0],
        ...     "chisq.diff": [25.2], "df.diff": [27], "pvalue": [0.565]})
        >>> judge_invariance(comp)["metric"].outcome
        'accepted'
    """
    out = {}
    for _, r in comparisons.iterrows():
        out[r["to"]] = invariance_step(
            r["to"], float(r["cfi.diff"]), float(r["rmsea.diff"]),
            float(r.get("chisq.diff", math.nan)), float(r.get("df.diff", math.nan)),
            float(r.get("pvalue", math.nan)), tuple(int(n) for n in group_n),
        )  # fmt: skip
    return out


def highest_step(verdicts: dict) -> str | None:
    """The last step of the sequence up to which every step holds (None: not even the
    first comparison; the configural model is the baseline).

    Example:
        >>> v = {"metric": Verdict("metric", "accepted", RULE),
        ...      "scalar": Verdict("scalar", "rejected", RULE)}
        >>> highest_step(v)
        'metric'
    """
    last = None
    for name, v in verdicts.items():
        if v.outcome != "accepted":
            break
        last = name
    return last
