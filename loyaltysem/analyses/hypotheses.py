"""Hypothesis decisions: each hypothesised path, its estimate and test, supported or not.

A directional hypothesis (sign ``+`` or ``-``) is supported when the path is significant at
``alpha`` (two-sided normal test, lavaan's p-value) and its estimate has the expected sign;
a ``two-sided`` hypothesis when the path is significant (the convention of Hair et al. 2019
and of Chinese theses: "p < .05, 假设成立").
"""

from __future__ import annotations

import pandas as pd

from loyaltysem.base.errors import InstrumentError
from loyaltysem.survey.instrument import Hypothesis


def hypothesis_table(
    estimates: pd.DataFrame,
    hypotheses: list[Hypothesis],
    *,
    alpha: float = 0.05,
    group: int = 1,
) -> pd.DataFrame:
    """One row per hypothesis: id, path, expected sign, est, se, z, pvalue, std.all, supported.

    ``estimates`` is lavaan's ``parameterEstimates(standardized = TRUE)`` form.

    Example:
        >>> from loyaltysem.survey.instrument import Hypothesis
        >>> est = pd.DataFrame({"lhs": ["SAT"], "op": ["~"], "rhs": ["INF"], "group": [1],
        ...     "est": [.3], "se": [.1], "z": [3.0], "pvalue": [.003], "std.all": [.25]})
        >>> out = hypothesis_table(est, [Hypothesis("H1", "SAT", "INF", "+")])
        >>> out[["supported", "std.all"]].values.tolist()
        [[True, 0.25]]
    """
    paths = estimates[(estimates["op"] == "~") & (estimates["group"] == group)]
    index = {(r["lhs"], r["rhs"]): r for r in paths.to_dict(orient="records")}
    rows = []
    for h in hypotheses:
        row = index.get((h.lhs, h.rhs))
        if row is None:
            raise InstrumentError(
                f"hypothesis {h.id} names the path '{h.path}', which is not in the model"
            )
        est, p = float(row["est"]), float(row["pvalue"])
        significant = p < alpha
        if h.sign == "+":
            supported = significant and est > 0
        elif h.sign == "-":
            supported = significant and est < 0
        else:
            supported = significant
        rows.append(
            {
                "id": h.id,
                "path": f"{h.rhs} -> {h.lhs}",
                "lhs": h.lhs,
                "rhs": h.rhs,
                "sign": h.sign,
                "est": est,
                "se": float(row["se"]),
                "z": float(row["z"]),
                "pvalue": p,
                "std.all": float(row.get("std.all", float("nan"))),
                "supported": bool(supported),
            }
        )
    return pd.DataFrame(rows)
