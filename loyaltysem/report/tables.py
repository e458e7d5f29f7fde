"""Thesis tables built from the analysis DataFrames (no statistics computed here).

Each builder returns a :class:`Table`: a number, a title and a note in the chosen language,
the display DataFrame (formatted strings, APA style) and the raw numbers behind it (for CSV
and Excel, and for tests that check the numbers).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..cutoffs import FIT_CUTOFFS, judge_fit
from .format import STARS_NOTE, num, pvalue, stars
from .i18n import TITLES, col, t


@dataclass
class Table:
    key: str
    title: str
    data: pd.DataFrame
    note: str
    raw: pd.DataFrame
    number: int = 0


def _label(inst, code: str, lang: str) -> str:
    return inst.label(code, lang) if inst is not None else code


def sample_profile(profile: pd.DataFrame, lang: str) -> Table:
    d = pd.DataFrame(
        {
            col("variable", lang): profile["variable"].where(~profile["variable"].duplicated(), ""),
            col("category", lang): profile["category"],
            col("n", lang): profile["n"].astype(int).astype(str),
            col("percent", lang): profile["percent"].map(lambda x: num(x, 1)),
        }
    )
    note = {
        "en": f"N = {int(profile.groupby('variable')['n'].sum().max())}.",
        "zh": f"N = {int(profile.groupby('variable')['n'].sum().max())}。",
    }[lang]
    return Table("sample_profile", TITLES["sample_profile"][lang], d, note, profile)


def screening(
    flags: pd.DataFrame, n_input: int, n_used: int, lang: str, missing: str = "listwise"
) -> Table:
    """Counts of flagged respondents (flagged, not dropped) and the N the models used."""
    labels = {
        "en": [
            "Respondents in the data file",
            "with at least one missing answer",
            "straight-liners (same answer to every item)",
            "speeders (under 1/3 of the median time)",
            "failed attention checks",
            "multivariate outliers (Mahalanobis, p < .001)",
            "used in the CFA and SEM (listwise)",
        ],
        "zh": [
            "数据文件中的样本",
            "至少有一个缺失回答",
            "直线作答（所有题项答案相同）",
            "答题过快（少于中位时长的1/3）",
            "未通过注意力检测题",
            "多元异常值（马氏距离，p < .001）",
            "进入CFA与SEM的样本（列表删除）",
        ],
    }[lang]
    if missing != "listwise":
        labels[-1] = {"en": "used in the CFA and SEM (FIML)", "zh": "进入CFA与SEM的样本（FIML）"}[
            lang
        ]
    counts = [
        n_input,
        int((flags["n_missing"] > 0).sum()),
        int(flags["straightliner"].sum()) if "straightliner" in flags else 0,
        int(flags["speeder"].sum()) if "speeder" in flags else 0,
        int(flags["attention_failed"].sum()) if "attention_failed" in flags else 0,
        int(flags["outlier"].sum()) if "outlier" in flags else 0,
        n_used,
    ]
    d = pd.DataFrame(
        {
            col("statistic", lang): labels,
            col("n", lang): [str(c) for c in counts],
            col("percent", lang): [num(100 * c / n_input, 1) for c in counts],
        }
    )
    note = {
        "en": "Flagged respondents are reported, not removed; `loyaltysem screen --drop-...` "
        "removes them. Respondents with missing answers are left out of the CFA and SEM by "
        "listwise deletion (use --missing fiml to keep them).",
        "zh": "被标记的样本仅报告、未删除（可用 loyaltysem screen --drop-... 删除）。含缺失回答"
        "的样本在CFA与SEM中按列表删除处理（可用 --missing fiml 保留）。",
    }[lang]
    title = {"en": "Data Screening", "zh": "数据筛查"}[lang]
    raw = pd.DataFrame(
        {
            "statistic": [
                "n_input",
                "any_missing",
                "straightliner",
                "speeder",
                "attention_failed",
                "outlier",
                "n_used",
            ],
            "n": counts,
        }
    )
    return Table("screening", title, d, note, raw)


def descriptives(desc: pd.DataFrame, mardia: dict | None, lang: str) -> Table:
    d = pd.DataFrame(
        {
            col("item", lang): desc.index,
            col("n", lang): desc["n"].astype(int).astype(str).to_numpy(),
            col("mean", lang): desc["mean"].map(lambda x: num(x, 2)).to_numpy(),
            col("sd", lang): desc["sd"].map(lambda x: num(x, 2)).to_numpy(),
            col("min", lang): desc["min"].map(lambda x: num(x, 0)).to_numpy(),
            col("max", lang): desc["max"].map(lambda x: num(x, 0)).to_numpy(),
            col("skew", lang): desc["skew"].map(lambda x: num(x, 2)).to_numpy(),
            col("kurtosis", lang): desc["kurtosis"].map(lambda x: num(x, 2)).to_numpy(),
        }
    )
    extra = ""
    if mardia:
        extra = {
            "en": f" Mardia's multivariate kurtosis b2p = {num(mardia['b2p'], 2)}, "
            f"z = {num(mardia['kurtosis.z'], 2)} (critical ratio < 5; Bentler 2005).",
            "zh": f" Mardia多元峰度 b2p = {num(mardia['b2p'], 2)}，"
            f"z = {num(mardia['kurtosis.z'], 2)}（临界比 < 5；Bentler, 2005）。",
        }[lang]
    note = {
        "en": "Skewness and excess kurtosis as psych::describe (type 3); |skew| < 3 and "
        "|kurtosis| < 10 indicate no severe non-normality (Kline 2016)." + extra,
        "zh": "偏度与超额峰度按psych::describe（type 3）计算；|偏度| < 3且|峰度| < 10表明"
        "不存在严重的非正态（Kline, 2016）。" + extra,
    }[lang]
    return Table("descriptives", TITLES["descriptives"][lang], d, note, desc)


def harman(h: dict, lang: str) -> Table:
    share = 100 * h["first_factor_share"]
    d = pd.DataFrame(
        {
            col("statistic", lang): [
                {
                    "en": "Variance explained by the first unrotated factor (%)",
                    "zh": "第一个未旋转因子解释的方差（%）",
                }[lang]
            ],
            col("value", lang): [num(share, 2)],
            col("cutoff", lang): ["< 40%"],
        }
    )
    note = {
        "en": "Harman's single-factor test (Podsakoff et al. 2003); below 40% suggests no "
        "serious common method bias (some use 50%).",
        "zh": "Harman单因子检验（Podsakoff等, 2003；周浩, 龙立荣, 2004）；低于40%表明不存在"
        "严重的共同方法偏差（亦有采用50%者）。",
    }[lang]
    return Table("cmb", TITLES["cmb"][lang], d, note, pd.DataFrame([h]))


def reliability(rel, inst, lang: str) -> Table:
    rows = []
    for c, crow in rel.constructs.iterrows():
        its = rel.items[rel.items["construct"] == c]
        for k, (_, irow) in enumerate(its.iterrows()):
            rows.append(
                {
                    col("construct", lang): _label(inst, c, lang) if k == 0 else "",
                    col("item", lang): irow["item"],
                    col("citc", lang): num(irow["citc"], 3, False),
                    col("alpha_if_deleted", lang): num(irow["alpha.if.deleted"], 3, False),
                    col("alpha", lang): num(crow["alpha"], 3, False) if k == 0 else "",
                }
            )
    note = {
        "en": "CITC = corrected item-total correlation (psych's r.drop). α ≥ .70 acceptable "
        "(Nunnally 1978); CITC > .50 (.30 or .40 also used); α if item deleted should not "
        "exceed the construct's α.",
        "zh": "CITC为校正的项总计相关性。α ≥ .70可接受（Nunnally, 1978）；CITC > .50"
        "（亦有采用.30或.40者）；项已删除的α不应高于该构念的α。",
    }[lang]
    raw = rel.items.merge(rel.constructs[["alpha"]], left_on="construct", right_index=True)
    return Table("reliability", TITLES["reliability"][lang], pd.DataFrame(rows), note, raw)


def kmo_bartlett(k: dict, b: dict, lang: str) -> Table:
    names = {
        "en": [
            "Kaiser-Meyer-Olkin measure of sampling adequacy",
            "Bartlett's test: approx. chi-square",
            "df",
            "p",
        ],
        "zh": ["KMO取样适切性量数", "巴特利特球形检验：近似卡方", "自由度", "显著性"],
    }[lang]
    d = pd.DataFrame(
        {
            col("statistic", lang): names,
            col("value", lang): [
                num(k["overall"], 3, False),
                num(b["chisq"], 2),
                num(b["df"], 0),
                pvalue(b["pvalue"]),
            ],
        }
    )
    note = {
        "en": "KMO > .70 (>= .60 minimum; Kaiser 1974); Bartlett p < .05.",
        "zh": "KMO > .70（最低.60；Kaiser, 1974）；巴特利特检验 p < .05。",
    }[lang]
    raw = pd.DataFrame([{"kmo": k["overall"], **b}])
    return Table("kmo", TITLES["kmo"][lang], d, note, raw)


def variance_explained(v: pd.DataFrame, n_factors: int, lang: str) -> Table:
    v = v.iloc[: max(n_factors, 1) + 3]
    d = pd.DataFrame(
        {
            col("component", lang): v.index.astype(str),
            col("eigenvalue", lang): v["eigenvalue"].map(lambda x: num(x, 3)).to_numpy(),
            col("variance_pct", lang): v["percent"].map(lambda x: num(x, 2)).to_numpy(),
            col("cumulative_pct", lang): v["cumulative"].map(lambda x: num(x, 2)).to_numpy(),
        }
    )
    if "rotation.ss" in v:
        rot = {"en": "Rotation SS loadings", "zh": "旋转载荷平方和"}[lang]
        d[rot] = v["rotation.ss"].map(lambda x: num(x, 3)).to_numpy()
        d[rot + " %"] = v["rotation.cumulative"].map(lambda x: num(x, 2)).to_numpy()
    note = {
        "en": f"Initial eigenvalues of the correlation matrix; {n_factors} factors extracted. "
        "A cumulative share above 50-60% is usually expected.",
        "zh": f"相关矩阵的初始特征值；提取{n_factors}个因子。累积方差解释率一般应高于50%-60%。",
    }[lang]
    return Table("variance", TITLES["variance"][lang], d, note, v)


def loadings(lt: pd.DataFrame, method: str, rotation: str, threshold: float, lang: str) -> Table:
    d = lt.drop(columns=["flag"]).apply(lambda c: c.map(lambda x: num(x, 3, False)))
    d.insert(0, col("item", lang), lt.index)
    flag = {"en": "Flag", "zh": "标记"}[lang]
    d[flag] = (
        lt["flag"]
        .map(
            {
                "": "",
                "cross-loading": {"en": "cross-loading", "zh": "交叉载荷"}[lang],
                "no salient loading": {"en": "no salient loading", "zh": "无显著载荷"}[lang],
            }
        )
        .fillna("")
    )
    note = {
        "en": f"Extraction: {method}; rotation: {rotation}. "
        f"Loadings below {num(threshold, 2, False)} "
        "are blank; loadings > .50 with no cross-loadings are expected.",
        "zh": f"提取方法：{method}；旋转方法：{rotation}。小于{num(threshold, 2, False)}的载荷"
        "未显示；载荷应大于.50且无交叉载荷。",
    }[lang]
    return Table("loadings", TITLES["loadings"][lang], d.reset_index(drop=True), note, lt)


def convergent(
    estimates: pd.DataFrame, validity: pd.DataFrame, construct_items, inst, lang: str
) -> Table:
    rows, raw = [], []
    for c, its in construct_items.items():
        lo = estimates[(estimates["op"] == "=~") & (estimates["lhs"] == c)].set_index("rhs")
        for k, item in enumerate(its):
            r = lo.loc[item]
            fixed = r["se"] == 0
            rows.append(
                {
                    col("construct", lang): _label(inst, c, lang) if k == 0 else "",
                    col("item", lang): item,
                    col("loading", lang): num(r["std.all"], 3, False),
                    col("se", lang): "" if fixed else num(r["se"], 3),
                    col("z", lang): "" if fixed else num(r["z"], 2),
                    col("p", lang): "" if fixed else pvalue(r["pvalue"]),
                    col("cr", lang): num(validity.loc[c, "cr"], 3, False) if k == 0 else "",
                    col("ave", lang): num(validity.loc[c, "ave"], 3, False) if k == 0 else "",
                }
            )
            raw.append(
                {
                    "construct": c,
                    "item": item,
                    "std.all": r["std.all"],
                    "se": r["se"],
                    "z": r["z"],
                    "pvalue": r["pvalue"],
                    "cr": validity.loc[c, "cr"],
                    "ave": validity.loc[c, "ave"],
                }
            )
    note = {
        "en": "Standardized loadings from the CFA of the measurement model; the first "
        "loading of each construct is fixed to 1 (no SE). Loadings > .50 (ideally > .70); "
        "CR > .70 (> .60, Bagozzi & Yi 1988); AVE > .50 (Fornell & Larcker 1981).",
        "zh": "标准化载荷来自测量模型的验证性因子分析；各构念第一个载荷固定为1（无标准误）。"
        "载荷 > .50（理想 > .70）；CR > .70（Bagozzi & Yi, 1988：> .60）；"
        "AVE > .50（Fornell & Larcker, 1981）。",
    }[lang]
    return Table(
        "convergent", TITLES["convergent"][lang], pd.DataFrame(rows), note, pd.DataFrame(raw)
    )


def _square(m: pd.DataFrame, inst, lang: str, diag_bold: bool = False) -> pd.DataFrame:
    """A lower-triangular matrix the APA way: numbered rows ("1. Satisfaction") and numbered
    columns, so twelve constructs fit on a page."""
    names = [f"{k}. {_label(inst, c, lang)}" for k, c in enumerate(m.index, start=1)]
    numbers = [str(k) for k in range(1, len(m.index) + 1)]
    d = pd.DataFrame("", index=names, columns=numbers)
    for i, a in enumerate(m.index):
        for j, b in enumerate(m.columns):
            if j <= i:
                d.iloc[i, j] = num(m.loc[a, b], 3, False)
    d.insert(0, col("construct", lang), names)
    return d.reset_index(drop=True)


def fornell_larcker(fl: pd.DataFrame, inst, lang: str) -> Table:
    note = {
        "en": "Diagonal: square root of AVE; below: construct correlations from the CFA. "
        "Each diagonal value should exceed the correlations in its row and column "
        "(Fornell & Larcker 1981).",
        "zh": "对角线为AVE的平方根，下三角为构念间相关系数（来自CFA）。对角线值应大于其所在行和列"
        "的相关系数（Fornell & Larcker, 1981）。",
    }[lang]
    return Table(
        "fornell_larcker", TITLES["fornell_larcker"][lang], _square(fl, inst, lang), note, fl
    )


def htmt_table(h: pd.DataFrame, inst, lang: str) -> Table:
    note = {
        "en": "HTMT < .85 (strict) or < .90 (liberal) supports discriminant validity "
        "(Henseler, Ringle & Sarstedt 2015).",
        "zh": "HTMT < .85（严格）或 < .90（宽松）表明具有区分效度（Henseler, Ringle & "
        "Sarstedt, 2015）。",
    }[lang]
    return Table("htmt", TITLES["htmt"][lang], _square(h, inst, lang), note, h)


def model_fit(fits: dict[str, dict], lang: str, strict: bool = False) -> Table:
    rows, raw = [], []
    for key, label, leading, digits in FIT_CUTOFFS:
        row = {col("index", lang): label}
        for name, fm in fits.items():
            value = fm.get(key, np.nan)
            row[name] = num(value, digits, leading)
            raw.append({"model": name, "index": key, "value": value})
        cut, source, verdict_of = judge_fit(key, strict)
        row[col("cutoff", lang)] = cut
        last = list(fits.values())[-1].get(key, np.nan)
        v = verdict_of(last)
        row[col("verdict", lang)] = "" if v is None else t("acceptable" if v else "poor", lang)
        rows.append(row)
    note = {
        "en": "Cut-offs: chi-square/df < 3 (< 5 acceptable); GFI, AGFI > .90; NFI, IFI, "
        "TLI, CFI > .90 (>= .95 strict); RMSEA < .08 (<= .06 strict); SRMR < .08 "
        "(Hu & Bentler 1999; Hair et al. 2019). Verdicts refer to the last model. Values as "
        "lavaan's fitMeasures().",
        "zh": "参考标准：卡方/自由度 < 3（< 5可接受）；GFI、AGFI > .90；NFI、IFI、TLI、CFI > .90"
        "（严格标准 ≥ .95）；RMSEA < .08（严格标准 ≤ .06）；SRMR < .08（Hu & Bentler, 1999；"
        "Hair等, 2019）。判断针对最后一个模型。数值与lavaan的fitMeasures()一致。",
    }[lang]
    return Table("fit", TITLES["fit"][lang], pd.DataFrame(rows), note, pd.DataFrame(raw))


def paths(hyp: pd.DataFrame, inst, lang: str) -> Table:
    rows = []
    for _, h in hyp.iterrows():
        rows.append(
            {
                col("hypothesis", lang): h["id"],
                col(
                    "path", lang
                ): f"{_label(inst, h['rhs'], lang)} → {_label(inst, h['lhs'], lang)}",
                col("estimate", lang): num(h["est"], 3),
                col("se", lang): num(h["se"], 3),
                col("z", lang): num(h["z"], 2),
                col("p", lang): pvalue(h["pvalue"]),
                col("beta", lang): num(h["std.all"], 3, False) + stars(h["pvalue"]),
                col("result", lang): t("supported" if h["supported"] else "not_supported", lang),
            }
        )
    note = {
        "en": "Unstandardized estimates with SEs and z-tests (C.R.); β = standardized "
        "coefficient. A hypothesis is supported when p < .05 and the sign is as expected. "
        + STARS_NOTE["en"],
        "zh": "非标准化系数及其标准误和z检验（C.R.）；β为标准化系数。p < .05且方向与预期一致"
        "时假设成立。" + STARS_NOTE["zh"],
    }[lang]
    return Table("paths", TITLES["paths"][lang], pd.DataFrame(rows), note, hyp)


def mediation(eff: pd.DataFrame, inst, lang: str, n_boot: int, ci: str) -> Table:
    rows = []
    for _, e in eff.iterrows():
        chain = (
            " → ".join(_label(inst, v, lang) for v in e["effect"].split(" -> "))
            if "->" in e["effect"] and "(" not in e["effect"]
            else e["effect"]
        )
        supported = e["ci.lower"] > 0 or e["ci.upper"] < 0
        rows.append(
            {
                col("effect", lang): chain,
                col("estimate", lang): num(e["est"], 3),
                col("boot_se", lang): num(e["boot.se"], 3),
                col("ci", lang): f"[{num(e['ci.lower'], 3)}, {num(e['ci.upper'], 3)}]",
                col("beta", lang): num(e["std.all"], 3, False),
                col("result", lang): t("supported" if supported else "not_supported", lang),
            }
        )
    kind = {"percentile": "percentile", "bc": "bias-corrected", "bca": "BCa"}[ci]
    note = {
        "en": f"Nonparametric bootstrap with {n_boot} resamples, {kind} 95% CI; an indirect "
        "effect is supported when its CI excludes 0 (Preacher & Hayes 2008).",
        "zh": f"非参数Bootstrap抽样{n_boot}次，{kind} 95%置信区间；置信区间不包含0时中介效应"
        "成立（Preacher & Hayes, 2008；温忠麟, 叶宝娟, 2014）。",
    }[lang]
    return Table("mediation", TITLES["mediation"][lang], pd.DataFrame(rows), note, eff)


def r_squared(r2: pd.Series, inst, lang: str) -> Table:
    d = pd.DataFrame(
        {
            col("construct", lang): [_label(inst, c, lang) for c in r2.index],
            col("r2", lang): [num(v, 3, False) for v in r2.to_numpy()],
        }
    )
    note = {
        "en": "R² of each endogenous construct in the structural model.",
        "zh": "结构模型中各内生构念的R²。",
    }[lang]
    return Table("r2", TITLES["r2"][lang], d, note, r2.rename("r2").to_frame())
