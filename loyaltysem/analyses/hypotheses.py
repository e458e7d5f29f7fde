"""Hypothesis tests: each hypothesised path with its estimate and test (two-sided normal
test, lavaan's p-value). Whether a hypothesis is supported is decided in
:mod:`loyaltysem.judgment.hypotheses`.
"""

from __future__ import annotations

import pandas as pd

from loyaltysem.base.errors import InstrumentError
from loyaltysem.survey.instrument import Hypothesis


def hypothesis_table(
    estimates: pd.DataFrame,
    hypotheses: list[Hypothesis],
    *,
    group: int = 1,
) -> pd.DataFrame:
    """One row per hypothesis: id, path, expected sign, est, se, z, pvalue, std.all (the
    decision is :func:`loyaltysem.judgment.hypotheses.decide`'s).

    ``estimates`` is lavaan's ``parameterEstimates(standardized = TRUE)`` form.

    Example:
        >>> from loyaltysem.survey.instrument import Hypothesis
        >>> est = pd.DataFrame({"lhs": ["SAT"], "op": ["~"], "rhs": ["INF"], "group": [1],
        ...     "est": [.3], "se": [.1], "z": [3.0], "pvalue": [.003], "std.all": [.25]})
        >>> out = hypothesis_table(est, [Hypothesis("H1", "SAT", "INF", "+")])
        >>> out[["pvalue", "std.all"]].values.tolist()
        [[0.003, 0.25]]
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
            }
        )
    return pd.DataFrame(rows)
