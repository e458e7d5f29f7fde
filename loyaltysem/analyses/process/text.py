"""PROCESS-style text of a result (the layout of PROCESS v4's output, 4 decimals)."""

from __future__ import annotations

import pandas as pd

RULE = "*" * 75


def banner(title: str = "") -> str:
    """A line of stars with ``title`` in the middle, 75 wide."""
    if not title:
        return RULE
    side = (75 - len(title) - 2) // 2
    return f"{'*' * side} {title} {'*' * (75 - side - len(title) - 2)}"


def _fmt(v) -> str:
    return "" if v is None else f"{v:.4f}" if isinstance(v, float) else str(v)


def _table(rows: list[dict], cols: list[str], names: list[str] | None = None, index=None) -> str:
    frame = pd.DataFrame([[r.get(c) for c in cols] for r in rows], columns=names or cols)
    if index is not None:
        frame.index = index
    else:
        frame.index = [""] * len(frame)
    return frame.to_string(formatters={c: _fmt for c in frame.columns})


def _header(res) -> list[str]:
    v = res.variables
    lines = [RULE, f"Model : {res.model}", f"    Y : {v['y']}", f"    X : {v['x']}"]
    for i, m in enumerate(v["m"], 1):
        label = f"M{i}" if len(v["m"]) > 1 else "M"
        lines.append(f"{label:>5} : {m}")
    for key in ("w", "z"):
        if v[key]:
            lines.append(f"    {key.upper()} : {v[key]}")
    if res.cov:
        lines += ["", "Covariates:", "      " + " ".join(res.cov)]
    lines += ["", f"Sample size: {res.n}"]
    if res.boot:
        lines.append(f"Custom seed: {res.seed}")
    return lines


def _outcome_block(res, o) -> list[str]:
    f_label = f"F({res.hc})" if res.hc else "F"
    se_label = f"se({res.hc})" if res.hc else "se"
    lines = ["", RULE, f"Outcome Variable: {o['outcome']}", "", "Model Summary"]
    lines.append(
        _table(
            [o],
            ["r", "r2", "mse", "F", "df1", "df2", "pvalue"],
            ["R", "R-sq", "MSE", f_label, "df1", "df2", "p"],
        )
    )
    lines += ["", "Model"]
    coefs = o["coefficients"]
    lines.append(
        _table(
            coefs,
            ["coeff", "se", "t", "pvalue", "llci", "ulci"],
            ["coeff", se_label, "t", "p", "LLCI", "ULCI"],
            [c["term"] for c in coefs],
        )
    )
    tests = [t for t in res.interaction_tests if t["outcome"] == o["outcome"]]
    if tests:
        lines += ["", "Test(s) of highest order unconditional interaction(s):"]
        lines.append(
            _table(
                tests,
                ["r2_change", "F", "df1", "df2", "pvalue"],
                ["R2-chng", f_label, "df1", "df2", "p"],
                [t["term"] for t in tests],
            )
        )
    for focal in dict.fromkeys(
        r["focal"] for r in res.conditional_effects if r["outcome"] == o["outcome"]
    ):
        rows = [
            r
            for r in res.conditional_effects
            if r["outcome"] == o["outcome"] and r["focal"] == focal
        ]
        mods = list(rows[0]["w"])
        flat = [{**r["w"], **r} for r in rows]
        lines += [
            "",
            "----------",
            f"    Focal predictor: {focal}",
            "",
            "Conditional effects of the focal predictor at values of the moderator(s):",
        ]
        lines.append(
            _table(
                flat,
                mods + ["effect", "se", "t", "pvalue", "llci", "ulci"],
                mods + ["effect", se_label, "t", "p", "LLCI", "ULCI"],
            )
        )
    if res.johnson_neyman and o["outcome"] == res.variables["y"]:
        lines += ["", "Moderator value(s) defining Johnson-Neyman significance region(s):"]
        lines.append(
            _table(
                res.johnson_neyman,
                ["value", "pct_below", "pct_above"],
                ["Value", "% below", "% above"],
            )
        )
    return lines


def _effects_block(res) -> list[str]:
    lines = ["", banner("DIRECT AND INDIRECT EFFECTS OF X ON Y")]
    mods = list(res.direct[0]["w"]) if res.direct else []
    title = "Conditional direct effect(s) of X on Y:" if mods else "Direct effect of X on Y:"
    flat = [{**r["w"], **r} for r in res.direct]
    se_label = f"se({res.hc})" if res.hc else "se"
    xcol = ["x"] if "x" in res.direct[0] else []
    lines += [
        "",
        title,
        _table(
            flat,
            xcol + mods + ["effect", "se", "t", "pvalue", "llci", "ulci"],
            xcol + mods + ["effect", se_label, "t", "p", "LLCI", "ULCI"],
        ),
    ]
    for path in dict.fromkeys(r["path"] for r in res.indirect):
        rows = [r for r in res.indirect if r["path"] == path]
        mods = list(rows[0]["w"])
        flat = [{**r["w"], **r} for r in rows]
        lines += ["", f"Indirect effect: {path}"]
        lines.append(
            _table(
                flat,
                mods + ["effect", "boot.se", "boot.llci", "boot.ulci"],
                mods + ["Effect", "BootSE", "BootLLCI", "BootULCI"],
            )
        )
        idx = [r for r in res.index_moderated_mediation if r["path"] == path]
        if idx:
            lines += ["", "     Index of moderated mediation:"]
            lines.append(
                _table(
                    idx,
                    ["index", "boot.se", "boot.llci", "boot.ulci"],
                    ["Index", "BootSE", "BootLLCI", "BootULCI"],
                    [r["moderator"] for r in idx],
                )
            )
    if res.standardized_indirect:
        kind = res.standardized_indirect[0]["standardization"]
        lines += ["", f"{kind.capitalize()}ly standardized indirect effect(s) of X on Y:"]
        lines.append(
            _table(
                res.standardized_indirect,
                ["effect", "boot.se", "boot.llci", "boot.ulci"],
                ["Effect", "BootSE", "BootLLCI", "BootULCI"],
                [r["path"] for r in res.standardized_indirect],
            )
        )
    return lines


def _notes(res) -> list[str]:
    lines = [
        "",
        banner("ANALYSIS NOTES AND ERRORS"),
        "",
        f"Level of confidence for all confidence intervals in output: {res.conf:g}",
    ]
    if res.boot:
        kind = "percentile" if res.ci == "percentile" else "bias-corrected"
        lines.append(
            f"Number of bootstrap samples for {kind} bootstrap confidence intervals: {res.boot}"
        )
        if res.boot_replaced:
            lines.append(f"Bootstrap samples replaced (not estimable): {res.boot_replaced}")
    what = {
        "percentiles": "the 16th, 50th, and 84th percentiles",
        "meansd": "the mean and +/- SD from the mean",
    }[res.probe]
    for name, vals in res.probes.items():
        lines.append(
            f"{name} values in conditional tables are {what}"
            + (" (or its two values when dichotomous)." if len(vals) == 2 else ".")
        )
    if res.hc:
        lines.append(f"A heteroscedasticity consistent covariance matrix ({res.hc}) was used.")
    if res.center:
        lines.append("Mean centered prior to analysis: " + ", ".join(res.center))
    if res.n_missing:
        lines.append(f"Cases deleted for missing data: {res.n_missing}")
    lines += [f"NOTE: {t}" for t in res.notes]
    return lines


def summary_text(res) -> str:
    """The whole PROCESS-style output of ``res`` as one string."""
    lines = _header(res)
    for o in res.outcomes:
        lines += _outcome_block(res, o)
    if res.direct:
        lines += _effects_block(res)
    lines += _notes(res)
    return "\n".join(lines)
