"""Hypotheses: supported or not, decided once for the path table, the hypothesis summary,
the chapter summary and the moderation hypotheses, in both methods.

Rule (the convention of Hair et al. 2019 and of Chinese theses, "p < .05, 假设成立"): a
directional hypothesis (sign ``+`` or ``-``) is supported when its path is significant at
``alpha`` (the two-sided test the table prints: z for CB-SEM, the bootstrap t for PLS-SEM)
and the estimate has the expected sign; a two-sided hypothesis when the path is
significant. A hypothesis whose path has no test (PLS without a bootstrap) is not supported.
A hypothesis the method cannot test (a moderation hypothesis in PLS-SEM) is "not_tested",
with the reason as its caveat. Every verdict decided on a model that fits poorly carries the
caveat "poor_fit" (:func:`loyaltysem.judgment.fit.fit_caveat`).
"""

from __future__ import annotations

import math

import pandas as pd

from loyaltysem.judgment.verdict import Verdict

RULE = "p_sign"
ALPHA = 0.05


def supported(est: float, p: float, sign: str = "two-sided", alpha: float = ALPHA) -> bool:
    """Is a hypothesis with this estimate, p and expected sign supported?

    Example:
        >>> supported(0.3, 0.003, "+"), supported(-0.3, 0.003, "+"), supported(0.1, 0.2)
        (True, False, False)
    """
    p = float(p)
    if not math.isfinite(p) or p >= alpha:
        return False
    est = float(est)
    if sign == "+":
        return est > 0
    if sign == "-":
        return est < 0
    return True


def decide(table: pd.DataFrame, caveats: tuple[str, ...] = (), alpha: float = ALPHA
           ) -> tuple[pd.DataFrame, dict]:  # fmt: skip
    """``table`` (columns id, est, pvalue, sign) with its ``supported`` column decided, and
    id -> :class:`Verdict` ("supported" / "not_supported", with ``caveats``, e.g.
    ("poor_fit",)).

    Example:
        >>> tab = pd.DataFrame({"id": ["H1"], "est": [.3], "pvalue": [.01], "sign": ["+"]})
        >>> out, v = decide(tab, ("poor_fit",))
        >>> bool(out["supported"].iloc[0]), v["H1"].caveats
        (True, ('poor_fit',))
    """
    out = table.copy()
    verdicts = {}
    flags = []
    for _, r in out.iterrows():
        ok = supported(r["est"], r["pvalue"], r.get("sign", "two-sided"), alpha)
        flags.append(ok)
        verdicts[str(r["id"])] = Verdict(
            str(r["id"]), "supported" if ok else "not_supported", RULE,
            {"est": float(r["est"]), "pvalue": float(r["pvalue"]), "alpha": alpha,
             "sign": r.get("sign", "two-sided")}, tuple(caveats),
        )  # fmt: skip
    out["supported"] = pd.Series(flags, index=out.index, dtype=bool)
    return out, verdicts


def not_tested(hid: str, reason: str) -> Verdict:
    """A hypothesis the method does not test, with the reason's code as its caveat.

    Example:
        >>> not_tested("H15", "pls_moderation").outcome
        'not_tested'
    """
    return Verdict(hid, "not_tested", RULE, {}, (reason,))


def count(verdicts: dict) -> dict[str, int]:
    """How many hypotheses are supported, not supported and not tested (the chapter
    summary's counts, the same in every table and language).

    Example:
        >>> count({"H1": Verdict("H1", "supported", RULE), "H2": not_tested("H2", "x")})
        {'total': 2, 'supported': 1, 'not_supported': 0, 'not_tested': 1}
    """
    out = {"total": len(verdicts), "supported": 0, "not_supported": 0, "not_tested": 0}
    for v in verdicts.values():
        out[v.outcome] = out.get(v.outcome, 0) + 1
    return out
