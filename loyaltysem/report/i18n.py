"""Every word the report prints, in English and Chinese (one catalogue).

``t(key, lang, **fields)`` looks a key up and fills ``{fields}``. Keys are grouped by prefix:
``title.*`` table titles, ``col.*`` column headers, ``row.*`` row labels, ``note.*`` table
notes, ``para.*`` the paragraph under a table, ``fig.*`` figure titles and axis words,
``sec.*`` section headings, ``warn.*`` console warnings as the report shows them.
Citations are written ``[[key]]`` and become "(Author, year)" with an entry in the reference
list (see :mod:`loyaltysem.report.references`).
"""

from __future__ import annotations

import re

_T: dict[str, dict[str, str]] = {
    # ------------------------------------------------------------------ general words
    "report_title": {"en": "Data Analysis and Results", "zh": "数据分析与结果"},
    "table": {"en": "Table", "zh": "表"},
    "figure": {"en": "Figure", "zh": "图"},
    "continued": {"en": "(continued)", "zh": "续表"},
    "note": {"en": "Note.", "zh": "注："},
    "warning": {"en": "Warning:", "zh": "警告："},
    "references": {"en": "References", "zh": "参考文献"},
    "supported": {"en": "Supported", "zh": "支持"},
    "not_supported": {"en": "Not supported", "zh": "不支持"},
    "partly_supported": {"en": "Partly supported", "zh": "部分支持"},
    "acceptable": {"en": "Acceptable", "zh": "可接受"},
    "good": {"en": "Good", "zh": "良好"},
    "poor": {"en": "Not met", "zh": "未达标"},
    "yes": {"en": "Yes", "zh": "是"},
    "no": {"en": "No", "zh": "否"},
    "none": {"en": "none", "zh": "无"},
    "missing": {"en": "Missing", "zh": "缺失"},
    "list_sep": {"en": ", ", "zh": "、"},
    "and": {"en": " and ", "zh": "和"},
    "measurement_model": {"en": "Measurement model", "zh": "测量模型"},
    "structural_model": {"en": "Structural model", "zh": "结构模型"},
    "failed_mark": {
        "en": "† Below the cut-off of {criterion} {sources}.",
        "zh": "†未达到参考标准{criterion}{sources}。",
    },
    "n_note": {"en": "N = {n}.", "zh": "N = {n}。"},
    "n_note_listwise": {
        "en": "N = {n} (respondents with a complete set of answers).",
        "zh": "N = {n}（全部题项作答完整的样本）。",
    },
    "stars": {
        "en": "* p < .05, ** p < .01, *** p < .001.",
        "zh": "* p < 0.05，** p < 0.01，*** p < 0.001。",
    },
    "full_stop": {"en": ".", "zh": "。"},
    # ------------------------------------------------------------------ sections
    "sec.sample": {"en": "Sample", "zh": "样本概况"},
    "sec.descriptives": {"en": "Descriptive Statistics of the Items", "zh": "题项描述性统计"},
    "sec.cmb": {"en": "Common Method Bias", "zh": "共同方法偏差检验"},
    "sec.reliability": {"en": "Reliability", "zh": "信度分析"},
    "sec.validity": {"en": "Validity", "zh": "效度分析"},
    "sec.correlations": {
        "en": "Construct Means and Correlations",
        "zh": "描述性统计与相关分析",
    },
    "sec.differences": {"en": "Demographic Differences", "zh": "人口统计变量的差异分析"},
    "sec.sem": {
        "en": "Structural Model and Hypothesis Tests",
        "zh": "结构方程模型与假设检验",
    },
    "sec.mediation": {"en": "Mediation", "zh": "中介效应检验"},
    "sec.groups": {"en": "Multi-Group Analysis", "zh": "多群组分析"},
    "sec.hypotheses": {"en": "Summary of Hypothesis Tests", "zh": "假设检验结果汇总"},
    "sec.summary": {"en": "Chapter Summary", "zh": "本章小结"},
    # ------------------------------------------------------------------ table titles
    "title.valid_sample": {"en": "Questionnaires Collected and Valid", "zh": "问卷回收与有效问卷"},
    "title.screening": {"en": "Data Screening", "zh": "数据筛查"},
    "title.sample_profile": {"en": "Sample Profile", "zh": "样本描述性统计"},
    "title.descriptives": {"en": "Item Descriptive Statistics", "zh": "题项描述性统计"},
    "title.cmb": {
        "en": "Common Method Bias: Harman's Single-Factor Test",
        "zh": "共同方法偏差检验（Harman单因子检验）",
    },
    "title.cmb_cfa": {
        "en": "Common Method Bias: Confirmatory Factor Analysis",
        "zh": "共同方法偏差的验证性因子分析检验",
    },
    "title.reliability": {"en": "Reliability Analysis", "zh": "信度分析"},
    "title.kmo": {"en": "KMO and Bartlett's Test", "zh": "KMO和巴特利特检验"},
    "title.variance": {"en": "Total Variance Explained", "zh": "总方差解释"},
    "title.loadings": {"en": "Rotated Factor Matrix", "zh": "旋转后的因子载荷矩阵"},
    "title.loadings_pca": {"en": "Rotated Component Matrix", "zh": "旋转后的成分矩阵"},
    "title.convergent": {
        "en": "Confirmatory Factor Analysis and Convergent Validity",
        "zh": "验证性因子分析与收敛效度",
    },
    "title.fornell_larcker": {
        "en": "Discriminant Validity: Fornell-Larcker Criterion",
        "zh": "区分效度（Fornell-Larcker准则）",
    },
    "title.htmt": {
        "en": "Discriminant Validity: Heterotrait-Monotrait Ratio (HTMT)",
        "zh": "区分效度（HTMT）",
    },
    "title.construct_scores": {
        "en": "Means, Standard Deviations and Correlations of the Constructs",
        "zh": "各变量的均值、标准差与相关系数",
    },
    "title.group_differences": {
        "en": "Differences in the Constructs by Demographic Variables",
        "zh": "人口统计变量在各变量上的差异分析",
    },
    "title.fit": {"en": "Model Fit", "zh": "模型拟合度"},
    "title.paths": {"en": "Path Coefficients and Hypothesis Tests", "zh": "路径系数与假设检验"},
    "title.r2": {"en": "Explained Variance (R²)", "zh": "解释方差（R²）"},
    "title.mediation": {
        "en": "Mediation: Decomposition of Effects (Bootstrap)",
        "zh": "中介效应分解（Bootstrap）",
    },
    "title.invariance": {"en": "Measurement Invariance across Groups", "zh": "跨群组测量不变性"},
    "title.group_paths": {
        "en": "Path Coefficients Compared across Groups",
        "zh": "路径系数的跨群组比较",
    },
    "title.hypotheses": {"en": "Summary of Hypothesis Tests", "zh": "假设检验结果汇总"},
    # ------------------------------------------------------------------ column headers
    "col.variable": {"en": "Variable", "zh": "变量"},
    "col.category": {"en": "Category", "zh": "类别"},
    "col.n": {"en": "n", "zh": "人数"},
    "col.count": {"en": "n", "zh": "数量"},
    "col.percent": {"en": "%", "zh": "百分比（%）"},
    "col.item": {"en": "Item", "zh": "题项"},
    "col.construct": {"en": "Construct", "zh": "变量"},
    "col.mean": {"en": "M", "zh": "均值"},
    "col.sd": {"en": "SD", "zh": "标准差"},
    "col.min": {"en": "Min", "zh": "最小值"},
    "col.max": {"en": "Max", "zh": "最大值"},
    "col.skew": {"en": "Skewness", "zh": "偏度"},
    "col.kurtosis": {"en": "Kurtosis", "zh": "峰度"},
    "col.citc": {"en": "CITC", "zh": "CITC"},
    "col.alpha_if_deleted": {"en": "α if item deleted", "zh": "项已删除的α"},
    "col.alpha": {"en": "Cronbach's α", "zh": "Cronbach's α"},
    "col.loading": {"en": "Std. loading", "zh": "标准化载荷"},
    "col.se": {"en": "SE", "zh": "标准误"},
    "col.z": {"en": "z (C.R.)", "zh": "z（C.R.）"},
    "col.p": {"en": "p", "zh": "p"},
    "col.cr": {"en": "CR", "zh": "CR"},
    "col.ave": {"en": "AVE", "zh": "AVE"},
    "col.index": {"en": "Index", "zh": "指标"},
    "col.cutoff": {"en": "Cut-off", "zh": "参考标准"},
    "col.verdict": {"en": "Verdict", "zh": "判断"},
    "col.hypothesis": {"en": "Hypothesis", "zh": "假设"},
    "col.statement": {"en": "Hypothesis as stated", "zh": "假设内容"},
    "col.path": {"en": "Path", "zh": "路径"},
    "col.estimate": {"en": "Estimate", "zh": "非标准化系数"},
    "col.beta": {"en": "β", "zh": "标准化系数β"},
    "col.result": {"en": "Result", "zh": "结论"},
    "col.effect": {"en": "Effect", "zh": "效应"},
    "col.effect_type": {"en": "Type", "zh": "效应类型"},
    "col.boot_se": {"en": "Boot SE", "zh": "Boot标准误"},
    "col.ci": {"en": "95% CI", "zh": "95%置信区间"},
    "col.share": {"en": "Share of total", "zh": "效应占比"},
    "col.r2": {"en": "R²", "zh": "R²"},
    "col.statistic": {"en": "Statistic", "zh": "统计量"},
    "col.value": {"en": "Value", "zh": "值"},
    "col.component": {"en": "Component", "zh": "成分"},
    "col.factor": {"en": "Factor", "zh": "因子"},
    "col.eigenvalue": {"en": "Eigenvalue", "zh": "特征值"},
    "col.variance_pct": {"en": "% of variance", "zh": "方差百分比"},
    "col.cumulative_pct": {"en": "Cumulative %", "zh": "累积百分比"},
    "col.rotation_ss": {"en": "Rotation SS loadings", "zh": "旋转载荷平方和"},
    "col.rotation_cum": {"en": "Rotation cumulative %", "zh": "旋转累积百分比"},
    "col.flag": {"en": "Flag", "zh": "标记"},
    "col.model": {"en": "Model", "zh": "模型"},
    "col.step": {"en": "Model", "zh": "模型"},
    "col.chisq": {"en": "χ²", "zh": "χ²"},
    "col.df": {"en": "df", "zh": "df"},
    "col.delta_chisq": {"en": "Δχ²", "zh": "Δχ²"},
    "col.delta_df": {"en": "Δdf", "zh": "Δdf"},
    "col.delta_cfi": {"en": "ΔCFI", "zh": "ΔCFI"},
    "col.delta_rmsea": {"en": "ΔRMSEA", "zh": "ΔRMSEA"},
    "col.decision": {"en": "Decision", "zh": "结论"},
    # ------------------------------------------------------------------ row labels
    "row.collected": {"en": "Questionnaires collected", "zh": "回收问卷"},
    "row.any_missing": {"en": "with at least one missing answer", "zh": "至少有一个缺失回答"},
    "row.straightliner": {
        "en": "straight-liners (same answer to every item)",
        "zh": "直线作答（所有题项答案相同）",
    },
    "row.speeder": {
        "en": "speeders (under 1/3 of the median time)",
        "zh": "答题过快（少于中位时长的1/3）",
    },
    "row.attention_failed": {"en": "failed attention checks", "zh": "未通过注意力检测题"},
    "row.outlier": {
        "en": "multivariate outliers (Mahalanobis, p < .001)",
        "zh": "多元异常值（马氏距离，p < 0.001）",
    },
    "row.used_listwise": {
        "en": "used in the CFA and SEM (complete answers)",
        "zh": "进入CFA与SEM的样本（作答完整）",
    },
    "row.used_fiml": {
        "en": "used in the CFA and SEM (FIML, all respondents)",
        "zh": "进入CFA与SEM的样本（FIML，全部样本）",
    },
    "row.harman_share": {
        "en": "Variance explained by the first unrotated factor (%)",
        "zh": "第一个未旋转因子解释的方差（%）",
    },
    "row.harman_n_eigen": {
        "en": "Factors with eigenvalue > 1",
        "zh": "特征值大于1的因子数",
    },
    "row.kmo": {"en": "Kaiser-Meyer-Olkin measure", "zh": "KMO取样适切性量数"},
    "row.bartlett_chisq": {
        "en": "Bartlett's test: approx. χ²",
        "zh": "巴特利特球形检验：近似卡方",
    },
    "row.bartlett_df": {"en": "df", "zh": "自由度"},
    "row.bartlett_p": {"en": "p", "zh": "显著性"},
    "row.cross_loading": {"en": "cross-loading", "zh": "交叉载荷"},
    "row.no_salient": {"en": "no salient loading", "zh": "无显著载荷"},
    "row.direct": {"en": "Direct effect", "zh": "直接效应"},
    "row.indirect": {"en": "Indirect effect", "zh": "间接效应"},
    "row.total_indirect": {"en": "Total indirect effect", "zh": "总间接效应"},
    "row.total": {"en": "Total effect", "zh": "总效应"},
    "row.full_mediation": {"en": "Full mediation", "zh": "完全中介"},
    "row.partial_mediation": {"en": "Partial mediation", "zh": "部分中介"},
    "row.no_mediation": {"en": "No mediation", "zh": "无中介"},
    "row.significant": {"en": "Significant", "zh": "显著"},
    "row.not_significant": {"en": "Not significant", "zh": "不显著"},
    "row.invariant": {"en": "Invariant", "zh": "具有不变性"},
    "row.not_invariant": {"en": "Not invariant", "zh": "不具有不变性"},
    "row.differs": {"en": "Differs", "zh": "存在差异"},
    "row.equal": {"en": "No difference", "zh": "无显著差异"},
    "step.configural": {"en": "Configural", "zh": "形态等值"},
    "step.metric": {"en": "Metric (loadings)", "zh": "弱等值（因子载荷）"},
    "step.scalar": {"en": "Scalar (+ intercepts)", "zh": "强等值（+截距）"},
    "step.strict": {"en": "Strict (+ residuals)", "zh": "严格等值（+残差）"},
    # fit-table row labels
    "fit.chisq": {"en": "χ²", "zh": "χ²"},
    "fit.chisq.scaled": {"en": "χ² (Yuan-Bentler scaled)", "zh": "χ²（Yuan-Bentler校正）"},
    "fit.df": {"en": "df", "zh": "df"},
    "fit.chisq/df": {"en": "χ²/df", "zh": "χ²/df"},
    "fit.gfi": {"en": "GFI", "zh": "GFI"},
    "fit.agfi": {"en": "AGFI", "zh": "AGFI"},
    "fit.nfi": {"en": "NFI", "zh": "NFI"},
    "fit.ifi": {"en": "IFI", "zh": "IFI"},
    "fit.tli": {"en": "TLI (NNFI)", "zh": "TLI（NNFI）"},
    "fit.cfi": {"en": "CFI", "zh": "CFI"},
    "fit.rmsea": {"en": "RMSEA", "zh": "RMSEA"},
    "fit.rmsea.ci": {"en": "RMSEA 90% CI", "zh": "RMSEA 90%置信区间"},
    "fit.srmr": {"en": "SRMR", "zh": "SRMR"},
    "fit.robust": {"en": " (robust)", "zh": "（稳健）"},
    "fit.scaled": {"en": " (scaled)", "zh": "（校正）"},
    # ------------------------------------------------------------------ figures
    "fig.research_model": {"en": "Hypothesized research model", "zh": "研究假设模型"},
    "fig.path_diagram": {
        "en": "Structural model with standardized coefficients",
        "zh": "结构模型标准化路径系数",
    },
    "fig.scree": {"en": "Scree plot with parallel analysis", "zh": "碎石图与平行分析"},
    "fig.heatmap": {"en": "Correlations of the constructs (CFA)", "zh": "构念间相关系数（CFA）"},
    "fig.observed": {"en": "Observed data", "zh": "实际数据"},
    "fig.random": {"en": "Random data (parallel analysis)", "zh": "随机数据（平行分析）"},
    "fig.component": {"en": "Component", "zh": "成分"},
    "fig.eigenvalue": {"en": "Eigenvalue", "zh": "特征值"},
    "fig.legend_sig": {"en": "significant (p < .05)", "zh": "显著（p < 0.05）"},
    "fig.legend_ns": {"en": "not significant", "zh": "不显著"},
    "fig.legend_stars": {
        "en": "* p < .05  ** p < .01  *** p < .001",
        "zh": "* p < 0.05  ** p < 0.01  *** p < 0.001",
    },
    "fig.legend_hyp": {"en": "hypothesized path", "zh": "研究假设路径"},
    "fig.paths": {"en": "Structural paths", "zh": "结构路径"},
    "fig.indirect": {"en": "Indirect effects", "zh": "间接效应"},
    "fig.sample_size": {"en": "N", "zh": "样本量"},
    "fig.power": {"en": "power", "zh": "统计检验力"},
}

# Console warnings as the report shows them (pattern -> template per language). A warning
# no pattern matches is shown as it is in English and translated generically in Chinese.
_WARNINGS: list[tuple[str, dict[str, str]]] = [
    (
        r"Heywood case(?: in group '(?P<g>[^']*)')?: the \(residual\) variance of '(?P<v>[^']+)'"
        r" is negative \((?P<x>[-\d.]+)\)",
        {
            "en": "Heywood case: the (residual) variance of {v} is negative ({x}); the "
            "solution is not admissible.",
            "zh": "出现Heywood现象：{v}的（残差）方差为负（{x}），解不可接受。",
        },
    ),
    (
        r"the optimizer did not converge",
        {
            "en": "The estimation did not converge; the estimates are not trustworthy.",
            "zh": "模型估计未收敛，估计值不可信。",
        },
    ),
    (
        r"covariance matrix of the latent variables.* not positive definite",
        {
            "en": "The covariance matrix of the latent variables is not positive definite "
            "(a correlation above 1 or a negative variance).",
            "zh": "潜变量协方差矩阵非正定（相关系数大于1或方差为负）。",
        },
    ),
    (
        r"(?P<k>\d+) of (?P<n>\d+) respondents with missing answers.* were not used",
        {
            "en": "{k} of {n} respondents with missing answers were left out (listwise deletion).",
            "zh": "{n}个样本中有{k}个含缺失回答，按列表删除未纳入分析。",
        },
    ),
    (
        r"(?P<k>\d+) of (?P<n>\d+) bootstrap draws did not converge",
        {
            "en": "{k} of {n} bootstrap draws did not converge and were left out.",
            "zh": "{n}次Bootstrap抽样中有{k}次未收敛，已排除。",
        },
    ),
    (
        r"item (?P<v>\S+): communality (?P<x>[\d.]+) >= \.995",
        {
            "en": "Item {v}: communality {x} ≥ .995 (Heywood case).",
            "zh": "题项{v}的共同度为{x}（≥ 0.995，Heywood现象）。",
        },
    ),
    (
        r"pairwise deletion.*at least (?P<k>\d+) per pair\); n = (?P<n>\d+) rows, "
        r"(?P<m>\d+) of them",
        {
            "en": "Pairwise deletion: each correlation uses the respondents who answered both "
            "items (at least {k} per pair); {m} of the {n} respondents left an answer out.",
            "zh": "采用成对删除：每个相关系数基于同时回答两个题项的样本计算（每对至少{k}个）；"
            "{n}个样本中有{m}个存在缺失回答。",
        },
    ),
    (
        r"item (?P<v>\S+) correlates negatively \(r = (?P<x>[-\d.]+)\) with the sum of the "
        r"other items of (?P<c>\S+?):",
        {
            "en": "Item {v} correlates negatively (r = {x}) with the other items of {c}: it is "
            "probably reverse-keyed and was not reversed, so alpha, CR and the loadings of {c} "
            "are not interpretable.",
            "zh": "题项{v}与{c}其余题项之和呈负相关（r = {x}），可能为反向计分题但未作反向处理，"
            "{c}的α系数、组合信度与载荷不可解读。",
        },
    ),
    (
        r"(?P<m>\S+) extraction did not converge",
        {"en": "The factor extraction did not converge.", "zh": "因子提取未收敛。"},
    ),
    (
        r"(?P<k>\d+) missing answers replaced by the item mean",
        {
            "en": "{k} missing answers were replaced by the item mean (mean replacement).",
            "zh": "共{k}个缺失回答以题项均值替代（均值替代法）。",
        },
    ),
    (
        r"the PLS algorithm did not converge in (?P<k>\d+) iterations",
        {
            "en": "The PLS algorithm did not converge in {k} iterations.",
            "zh": "PLS算法在{k}次迭代内未收敛。",
        },
    ),
    (
        r"construct (?P<c>\S+) \(mode B\): item VIF above 5 for (?P<v>.+?) \(",
        {
            "en": "Formative construct {c}: indicator VIF above 5 for {v}.",
            "zh": "形成型构念{c}中{v}的VIF大于5。",
        },
    ),
    (
        r"n = (?P<n>\d+) is a multiple of the omission distance (?P<d>\d+)",
        {
            "en": "N = {n} is a multiple of the omission distance {d}: blindfolding leaves out "
            "whole respondents.",
            "zh": "样本量{n}为遗漏距离{d}的整数倍，遮蔽时会整行遗漏。",
        },
    ),
    (
        r"(?P<k>\d+) of (?P<n>\d+) bootstrap draws failed and were left out of the intervals, "
        r"as lavaan drops them: (?P<e>\d+) with an ordered item's category empty in the draw "
        r"\(or singular sample statistics\), (?P<c>\d+) did not converge",
        {
            "en": "{k} of {n} bootstrap draws were left out ({e} with an answer category empty "
            "in the draw, {c} not converged), as lavaan drops them.",
            "zh": "{n}次Bootstrap抽样中有{k}次被排除（{e}次因某题项的作答类别在该次抽样中为空，"
            "{c}次未收敛），与lavaan的处理一致。",
        },
    ),
    (
        r"Mardia's multivariate kurtosis critical ratio (?P<z>[\d.]+) > (?P<c>[\d.]+) "
        r"\(Bentler 2005\): consider a robust estimator \(MLR\)",
        {
            "en": "Mardia's multivariate kurtosis critical ratio is {z} (> {c}; Bentler, 2005): "
            "a robust estimator (MLR) is advisable.",
            "zh": "Mardia多元峰度临界比为{z}（> {c}；Bentler, 2005），建议采用稳健估计（MLR）。",
        },
    ),
    (
        r"Mardia's multivariate kurtosis critical ratio (?P<z>[\d.]+) > (?P<c>[\d.]+) "
        r"\(Bentler 2005\)$",
        {
            "en": "Mardia's multivariate kurtosis critical ratio is {z} (> {c}; Bentler, 2005).",
            "zh": "Mardia多元峰度临界比为{z}（> {c}；Bentler, 2005）。",
        },
    ),
    (
        r"the ULMC did not converge from the measurement model's estimates; fitted from "
        r"default start values",
        {
            "en": "The ULMC did not converge from the measurement model's estimates and was "
            "fitted from default start values.",
            "zh": "ULMC模型以测量模型估计值为初值时未收敛，已改用默认初值估计。",
        },
    ),
    (
        r"(?P<k>\d+) of (?P<n>\d+) bootstrap samples could not be estimated",
        {
            "en": "{k} of {n} bootstrap samples could not be estimated and were left out.",
            "zh": "{n}次Bootstrap抽样中有{k}次无法估计，已排除。",
        },
    ),
    (
        r"(?P<k>\d+) of (?P<n>\d+) respondents removed by screening",
        {
            "en": "{k} of {n} respondents were removed by screening.",
            "zh": "{n}个样本中有{k}个在数据筛查中被剔除。",
        },
    ),
]


def t(key: str, lang: str, **fields) -> str:
    """The text of ``key`` in ``lang`` (English when there is no translation), filled in."""
    entry = _T[key]
    text = entry.get(lang) or entry["en"]
    return text.format(**fields) if fields else text


def col(key: str, lang: str) -> str:
    return t(f"col.{key}", lang)


def title(key: str, lang: str) -> str:
    return t(f"title.{key}", lang)


def has(key: str) -> bool:
    return key in _T


def warning_text(message: str, lang: str) -> str:
    """A console warning in the report's language (known messages are translated)."""
    for pattern, text in _WARNINGS:
        m = re.search(pattern, message)
        if m:
            return text[lang].format(**{k: v for k, v in m.groupdict().items() if v})
    if lang == "zh":
        return "分析过程中出现其他警告，详见命令行输出。"
    return message[:1].upper() + message[1:] + ("" if message.endswith(".") else ".")


def catalogue() -> dict[str, dict[str, str]]:
    """The whole catalogue (for tests: every key has both languages)."""
    return _T


# ---------------------------------------------------------------------------- notes, text
# Paragraphs: "<T>" is the table's own label ("表4-5"), "<F:key>" a figure's label,
# "[[source]]" a citation. Sentences end with their own full stop.
_P: dict[str, dict[str, str]] = {
    # notes
    "note.screening.listwise": {
        "en": "Flagged respondents are reported and kept in the data [[meade2012]]. "
        "Respondents with a missing answer were left out of the CFA and SEM (listwise "
        "deletion).",
        "zh": "被标记的样本仅作报告，仍保留在数据中[[meade2012]]。含缺失回答的样本未纳入"
        "验证性因子分析与结构方程模型（列表删除）。",
    },
    "note.screening.fiml": {
        "en": "Flagged respondents are reported and kept in the data [[meade2012]]. "
        "Respondents with missing answers were kept: the CFA and SEM use every available "
        "answer (full-information maximum likelihood, FIML [[enders2010]]).",
        "zh": "被标记的样本仅作报告，仍保留在数据中[[meade2012]]。含缺失回答的样本均被保留："
        "验证性因子分析与结构方程模型采用全信息极大似然估计（FIML）利用全部已有回答"
        "[[enders2010]]。",
    },
    "note.descriptives": {
        "en": "Skewness and excess kurtosis (0 for a normal distribution); |skewness| < 3 "
        "and |kurtosis| < 10 indicate no severe non-normality [[kline2016]].",
        "zh": "偏度与超额峰度（正态分布为0）；|偏度| < 3且|峰度| < 10表明不存在严重的非正态"
        "[[kline2016]]。",
    },
    "note.mardia": {
        "en": "Mardia's multivariate kurtosis b2p = {b2p}, critical ratio z = {z}; the "
        "critical ratio should be below 5 [[mardia1970]][[bentler2005]].",
        "zh": "Mardia多元峰度b2p = {b2p}，临界比z = {z}，临界比应小于5"
        "[[mardia1970]][[bentler2005]]。",
    },
    "note.harman": {
        "en": "Harman's single-factor test: unrotated principal components of all items "
        "[[podsakoff2003]]; a first factor below 40% suggests no serious common method bias "
        "(some use 50%).",
        "zh": "Harman单因子检验：对全部题项做未旋转的主成分分析[[podsakoff2003]][[zhou2004]]；"
        "第一个因子解释的方差低于40%表明不存在严重的共同方法偏差（亦有采用50%者）。",
    },
    "note.reliability": {
        "en": "CITC = corrected item-total correlation. α ≥ .70 is acceptable "
        "[[nunnally1978]]; CITC ≥ .50 (.30 or .40 also used); α if item deleted should not "
        "exceed the construct's α.",
        "zh": "CITC为校正的项总计相关性。α ≥ 0.70可接受[[nunnally1978]]；CITC ≥ 0.50"
        "（亦有采用0.30或0.40者）；项已删除的α不应高于该变量的α。",
    },
    "note.kmo": {
        "en": "KMO > .70 (≥ .60 minimum) [[kaiser1974]]; Bartlett's test of sphericity "
        "p < .05 [[bartlett1954]].",
        "zh": "KMO > 0.70（最低0.60）[[kaiser1974]]；巴特利特球形检验p < 0.05[[bartlett1954]]。",
    },
    "note.variance": {
        "en": "Initial eigenvalues of the correlation matrix; {k} factors extracted; "
        "parallel analysis compares them with those of random data [[horn1965]]. A "
        "cumulative share above 50-60% is usually expected [[hair2019]].",
        "zh": "相关矩阵的初始特征值；共提取{k}个因子；平行分析将其与随机数据的特征值比较"
        "[[horn1965]]。累积方差解释率一般应高于50%～60%[[hair2019]]。",
    },
    "note.loadings": {
        "en": "Extraction: {method}; rotation: {rotation}; columns 1-{k} are the "
        "{unit}. Loadings below {thr} are not shown; each item should load above .50 on "
        "one factor with no cross-loading [[hair2019]].",
        "zh": "提取方法：{method}；旋转方法：{rotation}；表头1～{k}为{unit}序号。小于{thr}的"
        "载荷未显示；各题项应在一个因子上的载荷大于0.50且无交叉载荷[[hair2019]]。",
    },
    "note.convergent": {
        "en": "Standardized loadings from the CFA of the measurement model; the first loading "
        "of each construct is fixed (no SE). Loadings below {cut} are marked (≥ .50 is the "
        "minimum and ≥ .70 the ideal [[hair2019]]); CR ≥ .70 (≥ .60 [[bagozzi1988]]); "
        "AVE ≥ .50 [[fornell1981]].",
        "zh": "标准化载荷来自测量模型的验证性因子分析；各变量第一个载荷为固定参数（无标准误）。"
        "低于{cut}的载荷予以标记（最低要求0.50，理想值0.70[[hair2019]]）；CR ≥ 0.70"
        "（≥ 0.60[[bagozzi1988]]）；AVE ≥ 0.50[[fornell1981]]。",
    },
    "crit.convergent": {
        "en": "loading ≥ {cut}, CR ≥ .70, AVE ≥ .50",
        "zh": "载荷 ≥ {cut}、CR ≥ 0.70、AVE ≥ 0.50",
    },
    "note.fornell": {
        "en": "Diagonal: square root of AVE; below it: correlations of the constructs from "
        "the CFA. Each diagonal value should exceed the correlations in its row and column "
        "[[fornell1981]].",
        "zh": "对角线为AVE的平方根，下三角为验证性因子分析得到的变量间相关系数。对角线值应大于"
        "其所在行和列的相关系数[[fornell1981]]。",
    },
    "crit.fornell": {
        "en": "√AVE above every correlation of the construct",
        "zh": "√AVE大于该变量与其他变量的相关系数",
    },
    "note.htmt": {
        "en": "HTMT < .85 (strict) or < .90 (liberal) supports discriminant validity "
        "[[henseler2015]].",
        "zh": "HTMT < 0.85（严格）或 < 0.90（宽松）表明具有区分效度[[henseler2015]]。",
    },
    "note.fit": {
        "en": "Cut-offs: χ²/df < 3 (< 5 acceptable) [[kline2016]]; GFI > .90, AGFI > .90 "
        "(> .80 tolerated) [[joreskog1984]]; NFI > .90 [[bentler1980]]; IFI > .90 "
        "[[bollen1989]]; TLI > .90 [[tucker1973]]; CFI > .90 [[bentler1990]]; RMSEA < .08 "
        "[[browne1993]]; SRMR < .08 [[hu1999]]. The verdict refers to the structural model.",
        "zh": "参考标准：χ²/df < 3（< 5可接受）[[kline2016]]；GFI > 0.90、AGFI > 0.90"
        "（> 0.80可容忍）[[joreskog1984]]；NFI > 0.90[[bentler1980]]；IFI > 0.90"
        "[[bollen1989]]；TLI > 0.90[[tucker1973]]；CFI > 0.90[[bentler1990]]；"
        "RMSEA < 0.08[[browne1993]]；SRMR < 0.08[[hu1999]]。判断针对结构模型。",
    },
    "note.fit.strict": {
        "en": "Strict cut-offs [[hu1999]]: CFI and TLI ≥ .95, RMSEA ≤ .06, SRMR ≤ .08; "
        "χ²/df < 3 [[kline2016]]; GFI, AGFI, NFI, IFI > .90 [[joreskog1984]][[bentler1980]]"
        "[[bollen1989]]. The verdict refers to the structural model.",
        "zh": "严格标准[[hu1999]]：CFI、TLI ≥ 0.95，RMSEA ≤ 0.06，SRMR ≤ 0.08；χ²/df < 3"
        "[[kline2016]]；GFI、AGFI、NFI、IFI > 0.90[[joreskog1984]][[bentler1980]]"
        "[[bollen1989]]。判断针对结构模型。",
    },
    "note.fit.mlr": {
        "en": "Robust maximum likelihood (MLR): χ² with the Yuan-Bentler scaling, robust "
        "CFI, TLI and RMSEA [[yuan2000]]; GFI and AGFI are the normal-theory values.",
        "zh": "采用稳健极大似然估计（MLR）：χ²为Yuan-Bentler校正值，CFI、TLI与RMSEA为稳健"
        "指标[[yuan2000]]；GFI与AGFI为正态理论下的数值。",
    },
    "note.fit.fiml": {
        "en": "Full-information maximum likelihood (FIML) with all respondents: GFI and AGFI "
        "are not reported because they are defined for complete data; SRMR compares with "
        "the saturated model estimated from all available answers [[enders2010]].",
        "zh": "采用全信息极大似然估计（FIML）并保留全部样本：GFI与AGFI仅适用于完整数据，故未"
        "报告；SRMR以基于全部已有回答估计的饱和模型为比较基准[[enders2010]]。",
    },
    "note.paths": {
        "en": "Unstandardized estimates with SEs and z tests (C.R.); β = standardized "
        "coefficient. A hypothesis is supported when p < .05 and the sign is as expected.",
        "zh": "非标准化系数及其标准误与z检验（C.R.）；β为标准化系数。p < 0.05且方向与预期一致"
        "时假设得到支持。",
    },
    "note.r2": {
        "en": "R² of each endogenous construct in the structural model.",
        "zh": "结构模型中各内生变量的R²。",
    },
    "note.mediation": {
        "en": "Nonparametric bootstrap with {n_boot} resamples, {kind} 95% CI; an indirect "
        "effect is significant when its CI excludes 0 [[preacher2008]][[efron1993]].",
        "zh": "非参数Bootstrap抽样{n_boot}次，{kind}95%置信区间；置信区间不包含0时间接效应"
        "显著[[preacher2008]][[wen2014]]。",
    },
    "ci.percentile": {"en": "percentile", "zh": "百分位"},
    "ci.bc": {"en": "bias-corrected percentile", "zh": "偏差校正的百分位"},
    "ci.bca": {"en": "bias-corrected and accelerated", "zh": "偏差校正加速"},
    "note.invariance": {
        "en": "Each step adds equality constraints to the previous one; invariance holds when "
        "ΔCFI ≥ -.01 [[cheung2002]] and ΔRMSEA ≤ .015 [[chen2007]].",
        "zh": "每一步在前一步基础上增加等值约束；ΔCFI ≥ -0.01[[cheung2002]]且ΔRMSEA ≤ 0.015"
        "[[chen2007]]时具有不变性。",
    },
    "note.group_paths": {
        "en": "b = unstandardized and β = standardized coefficient in each group (stars: z "
        "test of b); Δχ² compares the model with the path constrained equal across groups "
        "against the free model.",
        "zh": "b为各组的非标准化路径系数（星号为其z检验结果），β为标准化路径系数；Δχ²为将该路径"
        "限定跨组相等的模型与自由估计模型之比较。",
    },
    "note.group_paths.cr": {
        "en": "C.R. of difference = (b of {b} − b of {a}) / √(SE² of {a} + SE² of {b}), "
        "the critical ratio for differences between parameters; |C.R.| > 1.96: the path "
        "differs at p < .05 [[byrne2010]].",
        "zh": "差异临界比C.R. =（{b}组b − {a}组b）/ √（{a}组SE² + {b}组SE²），即参数间差异的"
        "临界比；|C.R.| > 1.96表示该路径在p < 0.05水平上存在组间差异[[byrne2010]]。",
    },
    "para.group_paths.diff1": {
        "en": "As <T> shows, the path {which} differs significantly across {group} (Δχ² test); "
        "the other paths do not.",
        "zh": "由<T>可知，路径{which}在{group}之间存在显著差异（Δχ²检验），其余路径无显著差异。",
    },
    "para.group_paths.cr": {
        "en": " By the critical ratio for differences, |C.R.| exceeds 1.96 for {which}.",
        "zh": "差异临界比表明，{which}的|C.R.|大于1.96，存在组间差异。",
    },
    "para.group_paths.cr0": {
        "en": " No critical ratio for differences exceeds 1.96 in absolute value.",
        "zh": "各路径的差异临界比绝对值均未超过1.96。",
    },
    "sum.group_paths": {
        "en": "{k} of the {total} structural paths differ significantly across {group} ({order}). ",
        "zh": "{total}条结构路径中有{k}条在{group}（{order}）之间存在显著差异。",
    },
    "note.hypotheses": {
        "en": "Hypotheses as stated in the model file; results from the path coefficients.",
        "zh": "假设内容取自模型文件；结论依据路径系数检验结果。",
    },
    "efa.method.minres": {"en": "minimum residual (minres)", "zh": "最小残差法"},
    "efa.method.ml": {"en": "maximum likelihood", "zh": "极大似然法"},
    "efa.method.principal": {"en": "principal axis factoring", "zh": "主轴因子法"},
    "efa.method.pca": {"en": "principal components", "zh": "主成分分析法"},
    "efa.rotation.varimax": {"en": "varimax", "zh": "最大方差法"},
    "efa.rotation.promax": {"en": "promax", "zh": "最优斜交法"},
    "efa.rotation.oblimin": {"en": "direct oblimin", "zh": "直接斜交法"},
    "efa.rotation.none": {"en": "none", "zh": "未旋转"},
    "efa.unit.fa": {"en": "factors", "zh": "因子"},
    "efa.unit.pca": {"en": "components", "zh": "成分"},
    "hyp.positive": {"en": "{x} has a positive effect on {y}.", "zh": "{x}对{y}有正向影响。"},
    "hyp.negative": {"en": "{x} has a negative effect on {y}.", "zh": "{x}对{y}有负向影响。"},
    "hyp.effect": {"en": "{x} has an effect on {y}.", "zh": "{x}对{y}有显著影响。"},
    # paragraphs
    "para.screening": {
        "en": "As <T> shows, {n} questionnaires were collected; {miss} respondents left at "
        "least one item unanswered, {sl} gave the same answer to every item, {sp} answered "
        "in under a third of the median time, {att} failed an attention check and {out} were "
        "multivariate outliers. The CFA and SEM are based on {used} respondents ({pct}%). ",
        "zh": "由<T>可知，本研究共回收问卷{n}份，其中{miss}份至少有一个题项未作答，{sl}份"
        "所有题项答案相同（直线作答），{sp}份答题时长少于中位时长的三分之一，{att}份未通过"
        "注意力检测题，{out}份为多元异常值。进入验证性因子分析与结构方程模型的样本为{used}份"
        "（占{pct}%）。",
    },
    "para.profile": {
        "en": "<T> describes the {n} respondents: {parts}.",
        "zh": "<T>为{n}名受访者的基本特征：{parts}。",
    },
    "para.profile.part": {
        "en": "the largest group by {var} is {cat} ({pct}%)",
        "zh": "{var}以{cat}为主（{pct}%）",
    },
    "para.descriptives.ok": {
        "en": "As <T> shows, the item means range from {mlo} to {mhi} and the standard "
        "deviations from {slo} to {shi}; the largest absolute skewness is {s} and the largest "
        "absolute kurtosis {k}, both within |3| and |10| [[kline2016]], so no item departs "
        "severely from normality. ",
        "zh": "由<T>可知，各题项均值介于{mlo}至{mhi}之间，标准差介于{slo}至{shi}之间；偏度绝对值"
        "最大为{s}，峰度绝对值最大为{k}，均未超过3和10的标准[[kline2016]]，数据不存在严重的"
        "非正态分布。",
    },
    "para.descriptives.bad": {
        "en": "As <T> shows, the item means range from {mlo} to {mhi} and the standard "
        "deviations from {slo} to {shi}; the largest absolute skewness is {s} and the largest "
        "absolute kurtosis {k}: the items marked † exceed |3| or |10| [[kline2016]] and are "
        "clearly non-normal. ",
        "zh": "由<T>可知，各题项均值介于{mlo}至{mhi}之间，标准差介于{slo}至{shi}之间；偏度绝对值"
        "最大为{s}，峰度绝对值最大为{k}：标†的题项超过3或10的标准[[kline2016]]，"
        "明显偏离正态分布。",
    },
    "para.mardia.ok": {
        "en": "Mardia's multivariate kurtosis has a critical ratio of {z} (< 5), so maximum "
        "likelihood estimation is appropriate.",
        "zh": "Mardia多元峰度临界比为{z}（小于5），适合采用极大似然估计。",
    },
    "para.mardia.bad": {
        "en": "Mardia's multivariate kurtosis has a critical ratio of {z}, above 5: the data "
        "are not multivariate normal, and a robust estimator (MLR) is advisable.",
        "zh": "Mardia多元峰度临界比为{z}，大于5，数据不满足多元正态，建议采用稳健估计（MLR）。",
    },
    "para.harman.ok": {
        "en": "As <T> shows, {k} factors have an eigenvalue above 1 and the first unrotated "
        "factor explains {share}% of the variance, below the 40% criterion: common method "
        "bias is not serious.",
        "zh": "由<T>可知，特征值大于1的因子共{k}个，第一个未旋转因子解释的方差为{share}%，"
        "低于40%的标准，说明本研究不存在严重的共同方法偏差。",
    },
    "para.harman.bad": {
        "en": "As <T> shows, the first unrotated factor explains {share}% of the variance, "
        "which is not below the 40% criterion: common method bias may be serious.",
        "zh": "由<T>可知，第一个未旋转因子解释的方差为{share}%，未低于40%的标准，"
        "可能存在较严重的共同方法偏差。",
    },
    "para.reliability": {
        "en": "As <T> shows, Cronbach's α of the constructs ranges from {lo} to {hi}",
        "zh": "由<T>可知，各变量的Cronbach's α系数介于{lo}至{hi}之间",
    },
    "para.reliability.alpha_ok": {
        "en": ", all above .70 [[nunnally1978]]. ",
        "zh": "，均高于0.70[[nunnally1978]]。",
    },
    "para.reliability.alpha_bad": {
        "en": "; {which} is below the .70 criterion [[nunnally1978]]. ",
        "zh": "；其中{which}低于0.70的标准[[nunnally1978]]，信度未达要求。",
    },
    "para.reliability.citc_ok": {
        "en": "Every corrected item-total correlation exceeds .50. ",
        "zh": "各题项的CITC均大于0.50。",
    },
    "para.reliability.citc_bad": {
        "en": "The corrected item-total correlation of {which} is below .50. ",
        "zh": "题项{which}的CITC低于0.50。",
    },
    "para.reliability.aid_bad": {
        "en": "Deleting {which} would raise the construct's α. ",
        "zh": "删除题项{which}后该变量的α系数会升高。",
    },
    "para.kmo.ok": {
        "en": "As <T> shows, the KMO measure is {kmo} (above .70) and Bartlett's test is "
        "significant (χ² = {chisq}, df = {df}, {p}): the items are suitable for factor "
        "analysis.",
        "zh": "由<T>可知，KMO值为{kmo}，大于0.70；巴特利特球形检验显著（χ² = {chisq}，"
        "df = {df}，{p}），数据适合进行因子分析。",
    },
    "para.kmo.bad": {
        "en": "As <T> shows, the KMO measure is {kmo}, below .70, although Bartlett's test "
        "is significant (χ² = {chisq}, df = {df}, {p}): the items are only marginally "
        "suitable for factor analysis.",
        "zh": "由<T>可知，KMO值为{kmo}，低于0.70的标准；巴特利特球形检验显著（χ² = {chisq}，"
        "df = {df}，{p}），数据进行因子分析的适宜性一般。",
    },
    "para.variance.ok": {
        "en": "As <T> shows, {eig} components have an eigenvalue above 1 and parallel "
        "analysis suggests {pa} factors; the {k} extracted factors explain {cum}% of the "
        "variance, above 50%. ",
        "zh": "由<T>可知，特征值大于1的成分有{eig}个，平行分析建议提取{pa}个因子；提取的{k}个"
        "因子累计解释了{cum}%的方差，高于50%的标准。",
    },
    "para.variance.bad": {
        "en": "As <T> shows, {eig} components have an eigenvalue above 1 and parallel "
        "analysis suggests {pa} factors; the {k} extracted factors explain only {cum}% of the "
        "variance, below 50%. ",
        "zh": "由<T>可知，特征值大于1的成分有{eig}个，平行分析建议提取{pa}个因子；提取的{k}个"
        "因子累计仅解释了{cum}%的方差，低于50%的标准。",
    },
    "para.fig.scree": {
        "en": "<F> plots the eigenvalues against those of random data; parallel analysis "
        "retains {pa} factors.",
        "zh": "<F>为碎石图与平行分析结果，平行分析建议保留{pa}个因子。",
    },
    "para.loadings": {
        "en": "As <T> shows, each item's largest loading on the {k} rotated factors ranges "
        "from {lo} to {hi}",
        "zh": "由<T>可知，各题项在{k}个旋转后因子上的最大载荷介于{lo}至{hi}之间",
    },
    "para.loadings.ok": {
        "en": "; every item loads above .50 on its own factor with no cross-loading, as the "
        "questionnaire intends.",
        "zh": "，均大于0.50且无交叉载荷，因子结构与问卷设计一致。",
    },
    "para.loadings.bad": {
        "en": "; {which} load below .50 or on more than one factor and deserve a second look.",
        "zh": "；题项{which}的载荷低于0.50或存在交叉载荷，需进一步审视。",
    },
    "para.convergent": {
        "en": "As <T> shows, the standardized loadings range from {lo} to {hi}, CR from "
        "{crlo} to {crhi} and AVE from {avelo} to {avehi}. ",
        "zh": "由<T>可知，各题项的标准化因子载荷介于{lo}至{hi}之间，组合信度（CR）介于{crlo}"
        "至{crhi}之间，平均方差抽取量（AVE）介于{avelo}至{avehi}之间。",
    },
    "para.convergent.ok": {
        "en": "Every criterion is met: the constructs have good convergent validity.",
        "zh": "各项指标均达到标准，量表具有良好的收敛效度。",
    },
    "para.convergent.weak": {
        "en": "The loadings of {which} are below {cut}. ",
        "zh": "其中{which}的载荷低于{cut}。",
    },
    "para.convergent.cr": {
        "en": "The CR of {which} is below .70. ",
        "zh": "{which}的CR低于0.70。",
    },
    "para.convergent.ave": {
        "en": "The AVE of {which} is below .50 [[fornell1981]], so the convergent validity "
        "of these constructs is not fully established. ",
        "zh": "{which}的AVE低于0.50的标准[[fornell1981]]，其收敛效度未完全达到要求。",
    },
    "para.fornell.ok": {
        "en": "As <T> shows, the square root of each construct's AVE (smallest {dmin}) "
        "exceeds its correlations with the other constructs (largest {rmax}): the constructs "
        "are distinct [[fornell1981]].",
        "zh": "由<T>可知，各变量AVE的平方根（最小为{dmin}）均大于该变量与其他变量的相关系数"
        "（最大为{rmax}），说明各变量之间具有良好的区分效度[[fornell1981]]。",
    },
    "para.fornell.bad": {
        "en": "As <T> shows, for {which} the square root of AVE does not exceed every "
        "correlation with the other constructs: discriminant validity is not established "
        "for them [[fornell1981]].",
        "zh": "由<T>可知，{which}的AVE平方根未大于其与其他变量的全部相关系数，"
        "其区分效度未达到Fornell-Larcker准则的要求[[fornell1981]]。",
    },
    "para.fig.heatmap": {
        "en": "<F> shows the same correlations as a heatmap.",
        "zh": "<F>以热力图展示了上述变量间的相关系数。",
    },
    "para.htmt.ok": {
        "en": "As <T> shows, the largest HTMT is {hmax}, below .85: discriminant validity "
        "is supported [[henseler2015]].",
        "zh": "由<T>可知，HTMT最大值为{hmax}，低于0.85，进一步支持了区分效度[[henseler2015]]。",
    },
    "para.htmt.bad": {
        "en": "As <T> shows, the HTMT of {which} reaches .85 or more (largest {hmax}): "
        "discriminant validity of these pairs is doubtful [[henseler2015]].",
        "zh": "由<T>可知，{which}的HTMT达到或超过0.85（最大为{hmax}），这些变量之间的区分效度"
        "存疑[[henseler2015]]。",
    },
    "para.research_model": {
        "en": "<F:research_model> shows the research model with its {h} hypotheses.",
        "zh": "本研究的假设模型如<F:research_model>所示，共包含{h}条研究假设。",
    },
    "para.fit.intro": {
        "en": "As <T> shows, the structural model has χ²/df = {chisqdf}, CFI = {cfi}, "
        "TLI = {tli}, RMSEA = {rmsea} and SRMR = {srmr}",
        "zh": "由<T>可知，结构模型的χ²/df = {chisqdf}，CFI = {cfi}，TLI = {tli}，"
        "RMSEA = {rmsea}，SRMR = {srmr}",
    },
    "para.fit.ok": {
        "en": "; every index meets its cut-off, so both models fit the data well.",
        "zh": "，各项拟合指标均达到参考标准，测量模型与结构模型的拟合良好。",
    },
    "para.fit.bad": {
        "en": "; not every cut-off is met: {which}.",
        "zh": "，但并非所有指标均达到参考标准：{which}未达标。",
    },
    "para.paths": {
        "en": "As <T> shows, {s} of the {k} hypotheses are supported. ",
        "zh": "由<T>可知，{k}条研究假设中有{s}条得到支持。",
    },
    "para.paths.item": {
        "en": "{id} ({path}, β = {beta}, {p})",
        "zh": "{id}（{path}，β = {beta}，{p}）",
    },
    "para.paths.sup": {"en": "Supported: {which}. ", "zh": "得到支持的有：{which}。"},
    "para.paths.notsup": {
        "en": "Not supported: {which}. ",
        "zh": "未得到支持的有：{which}。",
    },
    "para.fig.path_diagram": {
        "en": "<F> shows the estimated model; dashed arrows are paths that are not significant.",
        "zh": "<F>为结构模型的标准化路径系数，虚线表示不显著的路径。",
    },
    "para.r2": {
        "en": "As <T> shows, the model explains R² of {which}.",
        "zh": "由<T>可知，各内生变量被解释的方差比例（R²）分别为：{which}。",
    },
    "para.mediation": {
        "en": "As <T> shows, {s} of the {k} indirect effects are significant ({kind} "
        "bootstrap CI with {n_boot} resamples excludes 0).",
        "zh": "由<T>可知，{k}个间接效应中有{s}个显著（{n_boot}次Bootstrap抽样的{kind}"
        "置信区间不包含0）。",
    },
    "para.invariance.ok": {
        "en": "As <T> shows, the measurement model is invariant across {group} ({groups}) "
        "at every step.",
        "zh": "由<T>可知，测量模型在{group}（{groups}）之间各步骤均具有不变性。",
    },
    "para.invariance.bad": {
        "en": "As <T> shows, invariance across {group} ({groups}) does not hold at the "
        "{which} step.",
        "zh": "由<T>可知，测量模型在{group}（{groups}）之间的{which}步骤不具有不变性。",
    },
    "para.group_paths.diff": {
        "en": "As <T> shows, the paths {which} differ significantly across {group}.",
        "zh": "由<T>可知，路径{which}在{group}之间存在显著差异。",
    },
    "para.group_paths.same": {
        "en": "As <T> shows, no path differs significantly across {group}.",
        "zh": "由<T>可知，各路径在{group}之间均无显著差异。",
    },
    "para.hypotheses": {
        "en": "<T> summarizes the tests: {s} of the {k} hypotheses are supported and {ns} are not.",
        "zh": "<T>汇总了假设检验结果：{k}条假设中{s}条得到支持，{ns}条未得到支持。",
    },
    # failed criteria (for the chapter summary)
    "fail.mardia": {"en": "Mardia's critical ratio {z} > 5", "zh": "Mardia临界比{z}大于5"},
    "fail.normal": {"en": "non-normal items {items}", "zh": "题项{items}非正态"},
    "fail.harman": {"en": "first factor {share}% ≥ 40%", "zh": "第一个因子解释{share}%（≥ 40%）"},
    "fail.alpha": {"en": "α of {which} below .70", "zh": "{which}的α低于0.70"},
    "fail.citc": {"en": "CITC of {which} below .50", "zh": "{which}的CITC低于0.50"},
    "fail.kmo": {"en": "KMO {kmo} below .70", "zh": "KMO为{kmo}，低于0.70"},
    "fail.variance": {
        "en": "cumulative variance {cum}% below 50%",
        "zh": "累计方差解释率{cum}%低于50%",
    },
    "fail.efa": {"en": "EFA loadings of {which}", "zh": "探索性因子分析中{which}的载荷"},
    "fail.weak": {"en": "CFA loadings of {which} below {cut}", "zh": "{which}的载荷低于{cut}"},
    "fail.cr": {"en": "CR of {which} below .70", "zh": "{which}的CR低于0.70"},
    "fail.ave": {"en": "AVE of {which} below .50", "zh": "{which}的AVE低于0.50"},
    "fail.fornell": {"en": "Fornell-Larcker for {which}", "zh": "{which}未满足Fornell-Larcker准则"},
    "fail.htmt": {"en": "HTMT of {which} ≥ .85", "zh": "{which}的HTMT ≥ 0.85"},
    "fail.invariance": {"en": "invariance at the {which} step", "zh": "{which}步骤的测量不变性"},
    # summary sentences
    "sum.intro": {
        "en": "This chapter analysed the survey data step by step. ",
        "zh": "本章对问卷数据进行了系统分析。",
    },
    "sum.screening": {
        "en": "Of {n} questionnaires, {used} entered the structural equation model. ",
        "zh": "共回收问卷{n}份，{used}份进入结构方程模型分析。",
    },
    "sum.harman": {
        "en": "Harman's test ({share}%) shows no serious common method bias. ",
        "zh": "Harman单因子检验（{share}%）表明不存在严重的共同方法偏差。",
    },
    "sum.reliability": {
        "en": "Cronbach's α ranges from {lo} to {hi}. ",
        "zh": "各变量的Cronbach's α介于{lo}至{hi}之间。",
    },
    "sum.fit.ok": {
        "en": "The measurement and structural models fit the data well. ",
        "zh": "测量模型与结构模型拟合良好。",
    },
    "sum.fit.bad": {
        "en": "The model fit does not meet every cut-off. ",
        "zh": "模型拟合未能满足全部参考标准。",
    },
    "sum.paths": {
        "en": "{s} of {k} hypotheses are supported (not supported: {which}). ",
        "zh": "{k}条研究假设中{s}条得到支持（未得到支持：{which}）。",
    },
    "sum.failed": {
        "en": "Criteria not met, to be discussed in the thesis: {which}.",
        "zh": "需要在论文中说明的未达标之处：{which}。",
    },
    "sum.all_ok": {
        "en": "Every criterion applied in this chapter is met.",
        "zh": "本章采用的各项标准均已达到。",
    },
}
_P2: dict[str, dict[str, str]] = {
    "title.differences_by": {
        "en": "Differences in the Constructs by {var}",
        "zh": "不同{var}受访者在各变量上的差异分析",
    },
    "col.posthoc": {"en": "Post hoc", "zh": "事后比较"},
    "n_note_pairwise": {
        "en": "N = {n} to {nmax} (pairwise: respondents who answered both constructs).",
        "zh": "N = {n}～{nmax}（成对删除：同时回答两个变量的样本）。",
    },
    "para.correlations.fl": {
        "en": " Each correlation is below the square roots of AVE of its two constructs on the "
        "diagonal.",
        "zh": "各相关系数均小于对角线上相应变量AVE的平方根。",
    },
    "note.correlations": {
        "en": "Construct scores are the means of their items. Below the diagonal: Pearson "
        "correlations; on the diagonal: square root of AVE [[fornell1981]].",
        "zh": "变量得分为其题项的均值。下三角为Pearson相关系数，对角线为AVE的平方根"
        "[[fornell1981]]。",
    },
    "para.correlations": {
        "en": "As <T> shows, the construct means range from {mlo} to {mhi}; the "
        "correlations range from {rlo} to {rhi}, and {k} of the {total} are significant "
        "(p < .05), which gives first support to the hypotheses tested below.",
        "zh": "由<T>可知，各变量均值介于{mlo}至{mhi}之间；变量间相关系数介于{rlo}至{rhi}之间，"
        "{total}对相关中有{k}对显著（p < 0.05），为后续假设检验提供了初步支持。",
    },
    "note.differences.t": {
        "en": "Cells: M (SD). Independent-samples t test; ‡ Welch's correction where "
        "Levene's test rejects equal variances (p < .05) [[levene1960]][[welch1947]]; "
        "d = Cohen's d [[cohen1988]]. Computed with scipy.",
        "zh": "单元格为均值 ± 标准差。独立样本t检验；‡表示Levene检验方差不齐（p < 0.05）时采用"
        "Welch校正[[levene1960]][[welch1947]]；d为Cohen's d[[cohen1988]]。使用scipy计算。",
    },
    "note.differences.anova": {
        "en": "Cells: M (SD). One-way ANOVA; ‡ Welch's ANOVA where Levene's test rejects "
        "equal variances (p < .05) [[levene1960]][[welch1947]]; η² = eta squared "
        "[[cohen1988]]; post hoc: {method} (groups numbered as in the header). Computed with "
        "scipy.",
        "zh": "单元格为均值 ± 标准差。单因素方差分析；‡表示Levene检验方差不齐（p < 0.05）时采用"
        "Welch方差分析[[levene1960]][[welch1947]]；η²为效应量[[cohen1988]]；事后比较采用"
        "{method}（组别序号见表头）。使用scipy计算。",
    },
    "posthoc.tukey": {"en": "Tukey's HSD", "zh": "Tukey HSD法"},
    "posthoc.lsd": {"en": "Fisher's LSD", "zh": "LSD法"},
    "posthoc.scheffe": {"en": "Scheffé's test", "zh": "Scheffé法"},
    "posthoc.games-howell": {"en": "Games-Howell", "zh": "Games-Howell法"},
    "para.differences.sig": {
        "en": "As <T> shows, respondents differing in {var} differ significantly in {which}; "
        "the other constructs show no significant difference.",
        "zh": "由<T>可知，不同{var}的受访者在{which}上存在显著差异，在其他变量上差异不显著。",
    },
    "diff.higher": {"en": "{g} higher", "zh": "{g}较高"},
    "diff.highest": {"en": "{g} highest", "zh": "{g}最高"},
    "para.differences.none": {
        "en": "As <T> shows, respondents differing in {var} do not differ significantly in "
        "any construct (p ≥ .05).",
        "zh": "由<T>可知，不同{var}的受访者在各变量上均无显著差异（p ≥ 0.05）。",
    },
    "sum.differences": {
        "en": "{var} makes a significant difference in {k} construct(s). ",
        "zh": "{var}在{k}个变量上存在显著差异。",
    },
}
_P2.update(
    {
        "cmb.model.one_factor": {"en": "Single factor", "zh": "单因子模型"},
        "cmb.model.measurement": {"en": "Measurement model", "zh": "测量模型"},
        "cmb.model.ulmc": {
            "en": "Measurement model + method factor (ULMC)",
            "zh": "测量模型＋方法因子（ULMC）",
        },
        "note.cmb_cfa": {
            "en": "All items on one factor (single factor), the measurement model, and the "
            "measurement model with an unmeasured latent method factor loading on every item "
            "(ULMC) [[podsakoff2003]][[williams1989]]. Δ = ULMC minus the measurement model; "
            "common method bias is not serious when ΔCFI and ΔTLI < .10 and ΔRMSEA and ΔSRMR "
            "< .05 [[wen2004]]; † a change beyond its cut-off.",
            "zh": "单因子模型将全部题项归入一个因子；ULMC在测量模型基础上加入一个在所有题项上均有"
            "载荷的方法因子[[podsakoff2003]][[williams1989]]。Δ为ULMC与测量模型之差；ΔCFI、"
            "ΔTLI小于0.10且ΔRMSEA、ΔSRMR小于0.05时不存在严重的共同方法偏差[[wen2004]]；"
            "†表示超过参考标准。",
        },
        "para.cmb_cfa": {
            "en": "As <T> shows, the single-factor model fits poorly (CFI = {cfi}, RMSEA = "
            "{rmsea}), far worse than the measurement model. ",
            "zh": "由<T>可知，单因子模型的拟合很差（CFI = {cfi}，RMSEA = {rmsea}），"
            "远差于测量模型。",
        },
        "para.cmb_cfa.ulmc.ok": {
            "en": "Adding a method factor changes the fit only slightly (ΔCFI = {dcfi}, ΔTLI = "
            "{dtli}, ΔRMSEA = {drmsea}, ΔSRMR = {dsrmr}), within the cut-offs: common method "
            "bias is not serious.",
            "zh": "加入方法因子后，模型拟合变化很小（ΔCFI = {dcfi}，ΔTLI = {dtli}，ΔRMSEA = "
            "{drmsea}，ΔSRMR = {dsrmr}），均未超过参考标准，进一步说明不存在严重的共同方法偏差。",
        },
        "para.cmb_cfa.ulmc.bad": {
            "en": "Adding a method factor improves the fit beyond the cut-offs (ΔCFI = {dcfi}, "
            "ΔTLI = {dtli}, ΔRMSEA = {drmsea}, ΔSRMR = {dsrmr}): common method bias may be "
            "serious.",
            "zh": "加入方法因子后，模型拟合的改善超过参考标准（ΔCFI = {dcfi}，ΔTLI = {dtli}，"
            "ΔRMSEA = {drmsea}，ΔSRMR = {dsrmr}），可能存在较严重的共同方法偏差。",
        },
        "para.cmb_cfa.ulmc.na": {
            "en": "The model with a method factor did not give an admissible solution, so the "
            "ULMC test cannot be interpreted.",
            "zh": "加入方法因子的模型未得到可接受的解，ULMC检验结果无法解释。",
        },
        "fail.cmb_cfa": {
            "en": "the method-factor test (ULMC)",
            "zh": "方法因子检验（ULMC）未通过",
        },
        "sum.cmb_cfa": {
            "en": "The method-factor test (ULMC) confirms it. ",
            "zh": "方法因子检验（ULMC）进一步证实了这一点。",
        },
    }
)
_P2.update(
    {
        "col.effect_type": {"en": "Effect", "zh": "效应"},
        "col.effect_value": {"en": "Estimate", "zh": "效应值"},
        "med.via": {"en": "Indirect via {path}", "zh": "间接效应（经{path}）"},
        "med.direct": {"en": "Direct effect", "zh": "直接效应"},
        "med.total_indirect": {"en": "Total indirect effect", "zh": "总间接效应"},
        "med.total": {"en": "Total effect", "zh": "总效应"},
        "med.verdict.full": {"en": "Full mediation", "zh": "完全中介"},
        "med.verdict.partial": {"en": "Partial mediation", "zh": "部分中介"},
        "med.verdict.competitive": {"en": "Suppression", "zh": "遮掩效应"},
        "med.verdict.none": {"en": "No mediation", "zh": "中介不成立"},
        "ci.delta": {"en": "delta-method (normal)", "zh": "delta法（正态近似）"},
        "note.mediation.boot": {
            "en": "Unstandardized effects; Boot SE and 95% CI from {n_boot} bootstrap resamples "
            "({kind} CI) [[efron1993]][[preacher2008]]. An effect is significant when its CI "
            "excludes 0. Full mediation: indirect effect significant, direct effect not (or no "
            "direct path in the model); partial: both significant [[wen2014]]. Share = effect / "
            "total effect.",
            "zh": "效应为非标准化值；Boot标准误与95%置信区间基于{n_boot}次Bootstrap抽样（{kind}"
            "置信区间）[[efron1993]][[preacher2008]]，置信区间不包含0时效应显著。间接效应显著而"
            "直接效应不显著（或模型未设定直接路径）为完全中介，二者均显著为部分中介[[wen2014]]。"
            "效应占比 = 效应值 / 总效应。",
        },
        "note.mediation.delta": {
            "en": "Unstandardized effects with delta-method standard errors and normal 95% CIs "
            "(no bootstrap was run; a bootstrap is recommended [[preacher2008]]). Full "
            "mediation: indirect effect significant, direct effect not; partial: both "
            "significant [[wen2014]].",
            "zh": "效应为非标准化值，标准误与95%置信区间采用delta法（未进行Bootstrap抽样，建议采用"
            "Bootstrap法[[preacher2008]]）。间接效应显著而直接效应不显著为完全中介，二者均显著为"
            "部分中介[[wen2014]]。",
        },
        "para.mediation.decomp": {
            "en": "As <T> shows, of the {k} predictor-outcome pairs linked by indirect paths, {s} "
            "have a significant total indirect effect ({kind} 95% CI excluding 0): {full} full "
            "and {partial} partial mediation. ",
            "zh": "由<T>可知，在存在间接路径的{k}组自变量—因变量关系中，有{s}组的总间接效应显著"
            "（{kind}95%置信区间不包含0），其中完全中介{full}组、部分中介{partial}组。",
        },
        "para.mediation.partial": {
            "en": "Partial mediation (share of the total effect mediated): {which}.",
            "zh": "部分中介（中介效应占总效应的比例）为：{which}。",
        },
        "sum.mediation": {
            "en": "{s} of {k} indirect relations are significant. ",
            "zh": "{k}组间接关系中{s}组的中介效应显著。",
        },
    }
)
_P2.update(
    {
        "col.item_row": {"en": "Item", "zh": "项目"},
        "col.flagged": {"en": "Flagged", "zh": "标记数"},
        "vs.collected": {"en": "Questionnaires collected", "zh": "回收问卷"},
        "vs.straightliner": {
            "en": "Straight-lining (same answer to every item)",
            "zh": "规律作答（所有题项答案相同）",
        },
        "vs.speeder": {
            "en": "Speeding (under 1/3 of the median time)",
            "zh": "作答时间过短（少于中位时长的1/3）",
        },
        "vs.attention_failed": {"en": "Failed attention check", "zh": "未通过注意力检测题"},
        "vs.incomplete": {"en": "Incomplete answers", "zh": "缺答过多"},
        "vs.outlier": {"en": "Multivariate outlier", "zh": "多元异常值"},
        "vs.other": {"en": "Other", "zh": "其他"},
        "vs.removed": {"en": "Invalid questionnaires removed", "zh": "剔除无效问卷"},
        "vs.valid": {"en": "Valid questionnaires", "zh": "有效问卷"},
        "note.valid.dropped": {
            "en": "Careless respondents were removed; a respondent with several reasons is "
            "counted once, under the first. ",
            "zh": "存在多种原因的无效问卷只计一次（按表中第一个原因）。",
        },
        "note.valid.kept": {
            "en": "Flagged respondents were kept: the model file does not ask for careless "
            "respondents to be removed. ",
            "zh": "被标记的样本未被剔除（模型文件未要求剔除粗心作答的样本）。",
        },
        "para.valid": {
            "en": "As <T> shows, {n} questionnaires were collected; {removed} were removed as "
            "invalid, leaving {valid} valid questionnaires (valid rate {rate}%). The CFA and SEM "
            "are based on {used} respondents. ",
            "zh": "由<T>可知，本研究共回收问卷{n}份，剔除无效问卷{removed}份，得到有效问卷"
            "{valid}份，有效回收率为{rate}%；进入验证性因子分析与结构方程模型的样本为{used}份。",
        },
        "para.valid.kept": {
            "en": "{k} flagged respondents were kept in the analysis.",
            "zh": "另有{k}份问卷被标记为疑似粗心作答，但仍保留在分析中。",
        },
        "sum.valid": {
            "en": "Of {n} questionnaires, {valid} were valid ({rate}%) and {used} entered the "
            "structural equation model. ",
            "zh": "共回收问卷{n}份，有效问卷{valid}份（有效回收率{rate}%），{used}份进入结构方程"
            "模型分析。",
        },
    }
)
_P2.update(
    {
        "note.missing.listwise": {
            "en": "Respondents with a missing answer were left out of the CFA and SEM (listwise "
            "deletion).",
            "zh": "含缺失回答的样本未纳入验证性因子分析与结构方程模型（列表删除）。",
        },
        "note.missing.fiml": {
            "en": "Respondents with missing answers were kept: the CFA and SEM use every "
            "available answer (full-information maximum likelihood, FIML [[enders2010]]).",
            "zh": "含缺失回答的样本均被保留：验证性因子分析与结构方程模型采用全信息极大似然估计"
            "（FIML）利用全部已有回答[[enders2010]]。",
        },
    }
)
_P.update(_P2)
_T.update(_P)

# ---------------------------------------------------------------------------- moderation
_MOD: dict[str, dict[str, str]] = {
    "sec.moderation": {"en": "Moderation", "zh": "调节效应检验"},
    "title.moderation": {
        "en": "Moderation by {z}: Interaction and Simple Slopes",
        "zh": "{z}的调节效应检验",
    },
    "title.moderated_mediation": {
        "en": "Moderated Mediation by {z}: Conditional Indirect Effects",
        "zh": "有调节的中介效应检验（{z}）",
    },
    "mod.n_note": {
        "en": "N = {n} (respondents with a complete set of answers, the moderator's items "
        "included).",
        "zh": "N = {n}（包括调节变量题项在内全部作答完整的样本）。",
    },
    "mod.sd_unit": {"en": " SD", "zh": "个标准差"},
    "mod.or": {"en": " or ", "zh": "或"},
    "mod.jn.everywhere": {"en": "significant at every value", "zh": "在所有取值上均显著"},
    "mod.jn.nowhere": {"en": "significant at no value", "zh": "在任何取值上均不显著"},
    "mod.panel.coef": {"en": "Regression on {y}", "zh": "对{y}的回归"},
    "mod.panel.slopes": {"en": "Simple slopes of {x}", "zh": "{x}的简单斜率"},
    "mod.level.low": {"en": "Low {z} (M − 1 SD)", "zh": "低{z}"},
    "mod.level.mean": {"en": "Mean {z} (M)", "zh": "{z}均值"},
    "mod.level.high": {"en": "High {z} (M + 1 SD)", "zh": "高{z}"},
    "mod.jn": {"en": "Johnson–Neyman region", "zh": "J-N法显著区域"},
    "mod.cond": {"en": "Conditional indirect effect", "zh": "条件间接效应"},
    "mod.level_col": {"en": "{z}", "zh": "水平"},
    "mod.at.low": {"en": "M − 1 SD", "zh": "低"},
    "mod.at.mean": {"en": "M", "zh": "均值"},
    "mod.at.high": {"en": "M + 1 SD", "zh": "高"},
    "mod.note.latent": {
        "en": "Unstandardized coefficients with SEs, z tests and 95% CIs; β = standardized "
        "coefficient. Latent interaction: the items of {x} and {z} were mean-centred and "
        "multiplied in matched pairs, and the products centred again (double-mean-centring) "
        "and used as the indicators of {x} × {z}, with correlated residuals where two "
        "products share an item [[marsh2004]][[lin2010]]. A main effect is the slope at the "
        "mean of the other variable. Simple slopes of {x} at the mean of {z} and 1 SD below "
        "and above it (SD = {sd}, estimated in the model), delta-method SEs [[aiken1991]]; "
        "Johnson–Neyman region: the values of {z} (centred, mean 0) at which the slope of {x} "
        "is significant at p < .05 [[johnson1936]][[bauer2005]].",
        "zh": "表中为非标准化系数及其标准误、z检验与95%置信区间；β为标准化系数。潜变量交互项："
        "{x}与{z}的题项先中心化，再按配对相乘并再次中心化（双重均值中心化），作为{x} × {z}的"
        "指标，共享题项的乘积指标残差相关[[marsh2004]][[lin2010]][[wen2005]]。主效应为另一变量"
        "取均值时的斜率。{x}的简单斜率分别在{z}取低（均值减1个标准差）、均值和高（均值加1个"
        "标准差）水平时计算（标准差 = {sd}，由模型估计），标准误采用delta法[[aiken1991]]；"
        "J-N法显著区域为{x}的斜率在p < 0.05水平显著时{z}（中心化后）的取值范围"
        "[[johnson1936]][[bauer2005]]。",
    },
    "mod.note.observed": {
        "en": "Unstandardized coefficients with SEs, z tests and 95% CIs; β = standardized "
        "coefficient. The interaction is the product of the mean-centred {x} and {z}, centred "
        "again; a main effect is the slope at the mean of the other variable. Simple slopes "
        "of {x} at the mean of {z} and 1 SD below and above it (SD = {sd}), delta-method SEs "
        "[[aiken1991]]; Johnson–Neyman region: the values of {z} (centred) at which the slope "
        "of {x} is significant at p < .05 [[johnson1936]][[bauer2005]].",
        "zh": "表中为非标准化系数及其标准误、z检验与95%置信区间；β为标准化系数。交互项为中心化后"
        "的{x}与{z}之积（再次中心化）[[wen2005]]；主效应为另一变量取均值时的斜率。{x}的简单斜率"
        "分别在{z}取低（均值减1个标准差）、均值和高（均值加1个标准差）水平时计算（标准差 = "
        "{sd}），标准误采用delta法[[aiken1991]]；J-N法显著区域为{x}的斜率在p < 0.05水平显著时"
        "{z}（中心化后）的取值范围[[johnson1936]][[bauer2005]]。",
    },
    "mod.note.separate": {
        "en": "The moderation model adds {z} and the interaction to the structural model; the "
        "other hypotheses are tested in the model without them.",
        "zh": "调节效应模型在结构模型中加入{z}及交互项；其他假设的检验基于未加入调节变量的模型。",
    },
    "fig.interaction": {
        "en": "Moderating effect of {z} on the relationship between {x} and {y}",
        "zh": "{z}对{x}与{y}关系的调节作用",
    },
    "fig.mod.low": {"en": "Low {z} (−1 SD)", "zh": "低{z}（−1个标准差）"},
    "fig.mod.mean": {"en": "Mean {z}", "zh": "{z}均值"},
    "fig.mod.high": {"en": "High {z} (+1 SD)", "zh": "高{z}（+1个标准差）"},
    "fig.mod.x_low": {"en": "Low (−1 SD)", "zh": "低（−1个标准差）"},
    "fig.mod.x_high": {"en": "High (+1 SD)", "zh": "高（+1个标准差）"},
    "mod.para.fig": {
        "en": "<F> plots the simple slopes: the predicted {y} at low and high {x} for low, "
        "mean and high {z}.",
        "zh": "<F>绘制了简单斜率：{z}分别取低、中、高水平时，{y}随{x}变化的预测值。",
    },
    "mod.para.sig": {
        "en": "As <T> shows, the interaction of {x} and {z} on {y} is significant (b = {b}, "
        "SE = {se}, z = {zv}, {p}, β = {beta}): ",
        "zh": "由<T>可知，{x}与{z}的交互项对{y}的影响显著（b = {b}，SE = {se}，z = {zv}，{p}，"
        "β = {beta}），",
    },
    "mod.para.ns": {
        "en": "As <T> shows, the interaction of {x} and {z} on {y} is not significant (b = "
        "{b}, SE = {se}, z = {zv}, {p}, β = {beta}). ",
        "zh": "由<T>可知，{x}与{z}的交互项对{y}的影响不显著（b = {b}，SE = {se}，z = {zv}，{p}，"
        "β = {beta}）。",
    },
    "mod.para.weakens": {
        "en": "{z} weakens the effect of {x} on {y}. ",
        "zh": "即{z}削弱了{x}对{y}的影响。",
    },
    "mod.para.strengthens": {
        "en": "{z} strengthens the effect of {x} on {y}. ",
        "zh": "即{z}增强了{x}对{y}的影响。",
    },
    "mod.para.hyp.sup": {"en": "Hypothesis {id} is supported. ", "zh": "假设{id}得到支持。"},
    "mod.para.hyp.notsup": {
        "en": "Hypothesis {id} is not supported. ",
        "zh": "假设{id}未得到支持。",
    },
    "mod.slope.low": {"en": "{b} at low {z} ({p})", "zh": "低{z}时为{b}（{p}）"},
    "mod.slope.mean": {"en": "{b} at mean {z} ({p})", "zh": "{z}取均值时为{b}（{p}）"},
    "mod.slope.high": {"en": "{b} at high {z} ({p})", "zh": "高{z}时为{b}（{p}）"},
    "mod.para.slopes": {
        "en": "The simple slope of {x} on {y} is {which}. ",
        "zh": "{x}对{y}的简单斜率：{which}。",
    },
    "mod.para.jn.region": {
        "en": "By the Johnson–Neyman technique, the slope of {x} is significant where {region}.",
        "zh": "J-N法表明，当{region}时，{x}的斜率显著。",
    },
    "mod.para.jn.everywhere": {
        "en": "By the Johnson–Neyman technique, the slope of {x} is significant at every value "
        "of the moderator.",
        "zh": "J-N法表明，{x}的斜率在调节变量的所有取值上均显著。",
    },
    "mod.para.jn.nowhere": {
        "en": "By the Johnson–Neyman technique, the slope of {x} is not significant at any "
        "value of the moderator.",
        "zh": "J-N法表明，{x}的斜率在调节变量的任何取值上均不显著。",
    },
    "mod.sum.sig": {
        "en": "{z} moderates the effect of {x} on {y}. ",
        "zh": "{z}对{x}与{y}之间的关系具有显著的调节作用。",
    },
    "mod.sum.ns": {
        "en": "{z} does not significantly moderate the effect of {x} on {y}. ",
        "zh": "{z}对{x}与{y}关系的调节作用不显著。",
    },
    "mod.index": {"en": "Index of moderated mediation", "zh": "有调节的中介指数"},
    "mod.note.modmed.boot": {
        "en": "Unstandardized indirect effects through the moderated path. Index of moderated "
        "mediation = the interaction coefficient of the moderated path times the other path's "
        "coefficient [[hayes2015]]; conditional indirect effects at the mean of {z} and 1 SD "
        "below and above it. Boot SE and 95% CI from {n_boot} bootstrap resamples ({kind} "
        "CI); an effect is significant when its CI excludes 0 [[preacher2008]].",
        "zh": "表中为经过被调节路径的非标准化间接效应。有调节的中介指数 = 被调节路径的交互项系数 × "
        "另一段路径系数[[hayes2015]][[fang2018]]；条件间接效应分别在{z}取低（均值减1个标准差）、"
        "均值和高（均值加1个标准差）水平时计算。Boot标准误与95%置信区间基于{n_boot}次Bootstrap抽样（{kind}置信区间），置信区间"
        "不包含0时效应显著[[preacher2008]]。",
    },
    "mod.note.modmed.delta": {
        "en": "Unstandardized indirect effects through the moderated path. Index of moderated "
        "mediation = the interaction coefficient of the moderated path times the other path's "
        "coefficient [[hayes2015]]; conditional indirect effects at the mean of {z} and 1 SD "
        "below and above it, with delta-method SEs and normal 95% CIs (no bootstrap was run; a "
        "bootstrap is recommended [[preacher2008]]).",
        "zh": "表中为经过被调节路径的非标准化间接效应。有调节的中介指数 = 被调节路径的交互项系数 × "
        "另一段路径系数[[hayes2015]][[fang2018]]；条件间接效应分别在{z}取低（均值减1个标准差）、"
        "均值和高（均值加1个标准差）水平时计算，标准误与95%置信区间采用delta法（未进行Bootstrap抽样，建议采用Bootstrap法"
        "[[preacher2008]]）。",
    },
    "mod.stage.first": {"en": "first stage", "zh": "前半段路径"},
    "mod.stage.second": {"en": "second stage", "zh": "后半段路径"},
    "mod.stage.both": {"en": "first or second stage", "zh": "前半段或后半段路径"},
    "mod.para.modmed": {
        "en": "As <T> shows, {k} indirect effects pass through the path {z} moderates ({stage}); ",
        "zh": "由<T>可知，共有{k}个间接效应经过{z}所调节的路径（{stage}）；",
    },
    "mod.para.modmed.sig": {
        "en": "the index of moderated mediation is significant for {which} (95% CI excludes 0): "
        "these indirect effects depend on the moderator.",
        "zh": "其中{which}的有调节的中介指数显著（95%置信区间不包含0），即这些间接效应随调节变量"
        "的取值而变化。",
    },
    "mod.para.modmed.none": {
        "en": "no index of moderated mediation is significant (every 95% CI includes 0), so "
        "the indirect effects do not depend on {z}.",
        "zh": "各有调节的中介指数均不显著（95%置信区间均包含0），即间接效应不随{z}而变化。",
    },
    "mod.sum.modmed": {
        "en": "{s} of {k} indices of moderated mediation by {z} are significant. ",
        "zh": "以{z}为调节变量的{k}个有调节的中介指数中{s}个显著。",
    },
    "hyp.moderation": {
        "en": "{z} moderates the effect of {x} on {y}.",
        "zh": "{z}调节{x}对{y}的影响。",
    },
    "note.hypotheses.moderation": {
        "en": "{ids}: tested in the moderation model (N = {n}).",
        "zh": "{ids}在调节效应模型中检验（N = {n}）。",
    },
    "col.cr_diff": {"en": "C.R. of difference", "zh": "差异临界比（C.R.）"},
    "col.group_b": {"en": "b ({g})", "zh": "b（{g}）"},
    "col.group_beta": {"en": "β ({g})", "zh": "β（{g}）"},
    "col.group_se": {"en": "SE ({g})", "zh": "SE（{g}）"},
}
_T.update(_MOD)

# ---------------------------------------------------------------------------- PLS-SEM
_PLS: dict[str, dict[str, str]] = {
    "sec.pls_measurement": {
        "en": "Measurement Model Assessment (PLS-SEM)",
        "zh": "测量模型评估（PLS-SEM）",
    },
    "sec.pls_discriminant": {"en": "Discriminant Validity (PLS-SEM)", "zh": "区分效度（PLS-SEM）"},
    "sec.pls_structural": {
        "en": "Structural Model Assessment and Hypothesis Tests (PLS-SEM)",
        "zh": "结构模型评估与假设检验（PLS-SEM）",
    },
    "title.pls_measurement": {
        "en": "Reflective Measurement Model: Outer Loadings, Reliability and Convergent Validity",
        "zh": "反映型测量模型：外部载荷、信度与收敛效度",
    },
    "title.pls_formative": {
        "en": "Formative Measurement Model: Outer Weights and Collinearity",
        "zh": "形成型测量模型：外部权重与共线性",
    },
    "title.pls_htmt": {
        "en": "Discriminant Validity: HTMT with Bootstrap Confidence Intervals",
        "zh": "区分效度：HTMT及其Bootstrap置信区间",
    },
    "title.pls_fornell": {
        "en": "Discriminant Validity: Fornell-Larcker Criterion (PLS-SEM)",
        "zh": "区分效度：Fornell-Larcker准则（PLS-SEM）",
    },
    "title.pls_cross": {"en": "Cross-Loadings", "zh": "交叉载荷"},
    "title.pls_vif": {
        "en": "Collinearity of the Structural Model (Inner VIF)",
        "zh": "结构模型共线性检验（内部VIF）",
    },
    "title.pls_paths": {
        "en": "Path Coefficients and Hypothesis Tests (Bootstrap)",
        "zh": "路径系数与假设检验（Bootstrap）",
    },
    "title.pls_r2": {
        "en": "Explanatory Power and Predictive Relevance (R², Adjusted R², Q²)",
        "zh": "解释力与预测相关性（R²、调整后R²、Q²）",
    },
    "title.pls_predict": {
        "en": "Out-of-Sample Predictive Power (PLSpredict)",
        "zh": "样本外预测能力检验",
    },
    "title.pls_mediation": {
        "en": "Mediation: Specific Indirect Effects (Bootstrap)",
        "zh": "中介效应检验：特定间接效应（Bootstrap）",
    },
    "col.outer_loading": {"en": "Outer loading", "zh": "外部载荷"},
    "col.indicator_rel": {"en": "Indicator reliability", "zh": "指标信度"},
    "col.outer_weight": {"en": "Outer weight", "zh": "外部权重"},
    "col.pair": {"en": "Constructs", "zh": "构念对"},
    "col.boot_sd": {"en": "SD (bootstrap)", "zh": "Bootstrap标准差"},
    "col.r2_adj": {"en": "Adjusted R²", "zh": "调整后R²"},
    "col.r2_level": {"en": "Explanatory power", "zh": "解释力"},
    "col.pls_rmse": {"en": "RMSE (PLS-SEM)", "zh": "RMSE（PLS-SEM）"},
    "col.pls_mae": {"en": "MAE (PLS-SEM)", "zh": "MAE（PLS-SEM）"},
    "col.lm_rmse": {"en": "RMSE (LM)", "zh": "RMSE（线性模型）"},
    "col.lm_mae": {"en": "MAE (LM)", "zh": "MAE（线性模型）"},
    "col.direct": {"en": "Direct effect", "zh": "直接效应"},
    "col.med_type": {"en": "Type of mediation", "zh": "中介类型"},
    "n_note_pls": {
        "en": "N = {n} (missing answers replaced by the item mean).",
        "zh": "N = {n}（缺失回答以题项均值替代）。",
    },
    "row.used_pls": {
        "en": "used in the PLS-SEM (missing answers mean-replaced)",
        "zh": "进入PLS-SEM分析的样本（缺失值以均值替代）",
    },
    "note.screening.pls": {
        "en": "Flagged respondents are reported and kept in the data [[meade2012]]. Missing "
        "answers were replaced by the item mean for the PLS-SEM (the SmartPLS default).",
        "zh": "被标记的样本仅作报告，仍保留在数据中[[meade2012]]。PLS-SEM分析中缺失回答以题项均值"
        "替代[[hair2022]]。",
    },
    "note.missing.pls": {
        "en": "Missing answers were replaced by the item mean for the PLS-SEM (the SmartPLS "
        "default) [[hair2022]].",
        "zh": "PLS-SEM分析中缺失回答以题项均值替代[[hair2022]]。",
    },
    "para.valid.pls": {
        "en": "As <T> shows, {n} questionnaires were collected; {removed} were removed as "
        "invalid, leaving {valid} valid questionnaires (valid rate {rate}%). The PLS-SEM is "
        "based on {used} respondents. ",
        "zh": "由<T>可知，本研究共回收问卷{n}份，剔除无效问卷{removed}份，得到有效问卷{valid}份，"
        "有效回收率为{rate}%；进入PLS-SEM分析的样本为{used}份。",
    },
    "sum.valid.pls": {
        "en": "Of {n} questionnaires, {valid} were valid ({rate}%) and {used} entered the "
        "PLS-SEM. ",
        "zh": "共回收问卷{n}份，有效问卷{valid}份（有效回收率{rate}%），{used}份进入PLS-SEM分析。",
    },
    "note.hypotheses.pls": {
        "en": "Hypotheses as stated in the model file; results from the bootstrap tests of the "
        "PLS path coefficients (p < .05 and the sign as expected).",
        "zh": "假设内容取自模型文件；结论依据PLS路径系数的Bootstrap检验结果（p < 0.05且方向与预期"
        "一致）。",
    },
    "pls.note.noboot": {
        "en": "No bootstrap was run, so the estimates have no tests.",
        "zh": "未进行Bootstrap抽样，故未给出显著性检验。",
    },
    "pls.note.boot": {
        "en": "SD, t, p and percentile 95% CIs from {n_boot} bootstrap resamples; t = "
        "estimate / SD with N − 1 df [[hair2022]].",
        "zh": "标准差、t值、p值与百分位95%置信区间基于{n_boot}次Bootstrap抽样；t = 估计值 / "
        "标准差，自由度为N − 1[[hair2022]]。",
    },
    "pls.scheme.path": {"en": "path", "zh": "路径"},
    "pls.scheme.factorial": {"en": "factorial", "zh": "因子"},
    "pls.scheme.centroid": {"en": "centroid", "zh": "重心"},
    "pls.note.algorithm": {
        "en": "PLS path algorithm with the {scheme} weighting scheme, standardized indicators, "
        "stop criterion 10⁻⁷ ({it} iterations).",
        "zh": "采用PLS路径算法（{scheme}加权方案，指标标准化，收敛标准10⁻⁷，迭代{it}次）。",
    },
    "pls.note.measurement": {
        "en": "Indicator reliability = outer loading². Cut-offs [[hair2022]]: outer loading ≥ "
        ".708; Cronbach's α, ρA [[dijkstra2015]] and composite reliability ρC between .70 and "
        ".95; AVE ≥ .50 [[fornell1981]].",
        "zh": "指标信度 = 外部载荷的平方。参考标准[[hair2022]]：外部载荷 ≥ 0.708；Cronbach's α、"
        "ρA[[dijkstra2015]]与组合信度ρC介于0.70与0.95之间；AVE ≥ 0.50[[fornell1981]]。",
    },
    "pls.note.missing": {
        "en": "{k} missing answers were replaced by the item mean.",
        "zh": "共{k}个缺失回答以题项均值替代。",
    },
    "pls.note.single": {
        "en": "{which}: measured by a single item, so reliability and convergent validity do "
        "not apply [[hair2022]].",
        "zh": "{which}为单题项构念，不适用信度与收敛效度评估[[hair2022]]。",
    },
    "pls.note.reflective_only": {
        "en": "The criterion applies to reflective constructs with several items; {which} "
        "are not shown.",
        "zh": "该准则适用于多题项的反映型构念，{which}未列出。",
    },
    "pls.note.failed": {
        "en": "† Beyond the cut-off.",
        "zh": "†表示未达到参考标准。",
    },
    "pls.para.measurement": {
        "en": "As <T> shows, the outer loadings range from {lo} to {hi}; Cronbach's α ranges "
        "from {alo} to {ahi}, ρA from {rlo} to {rhi}, ρC from {clo} to {chi} and AVE from "
        "{vlo} to {vhi}. ",
        "zh": "由<T>可知，各题项的外部载荷介于{lo}至{hi}之间；Cronbach's α介于{alo}至{ahi}之间，"
        "ρA介于{rlo}至{rhi}之间，组合信度ρC介于{clo}至{chi}之间，AVE介于{vlo}至{vhi}之间。",
    },
    "pls.para.measurement.weak": {
        "en": "The loadings of {which} are below .708; an item with a loading between .40 and "
        ".708 is kept unless removing it raises ρC or AVE above its cut-off [[hair2022]]. ",
        "zh": "{which}的外部载荷低于0.708；载荷介于0.40与0.708之间的题项，仅当删除后能使组合信度"
        "或AVE达到标准时才予以删除[[hair2022]]。",
    },
    "pls.para.measurement.alpha": {
        "en": "Cronbach's α of {which} lies outside .70–.95. ",
        "zh": "{which}的Cronbach's α不在0.70～0.95范围内。",
    },
    "pls.para.measurement.rhoA": {
        "en": "ρA of {which} lies outside .70–.95. ",
        "zh": "{which}的ρA不在0.70～0.95范围内。",
    },
    "pls.para.measurement.rhoC": {
        "en": "ρC of {which} lies outside .70–.95. ",
        "zh": "{which}的组合信度ρC不在0.70～0.95范围内。",
    },
    "pls.para.measurement.AVE": {
        "en": "The AVE of {which} is below .50. ",
        "zh": "{which}的AVE低于0.50。",
    },
    "pls.para.measurement.ok": {
        "en": "Every value meets its cut-off: the reflective measurement model has adequate "
        "indicator reliability, internal consistency and convergent validity.",
        "zh": "各项指标均达到参考标准，反映型测量模型具有良好的指标信度、内部一致性与收敛效度。",
    },
    "pls.fail.loading": {
        "en": "PLS outer loadings of {which} below .708",
        "zh": "{which}的外部载荷低于0.708",
    },
    "pls.fail.alpha": {"en": "α of {which} outside .70–.95", "zh": "{which}的α不在0.70～0.95之间"},
    "pls.fail.rhoA": {"en": "ρA of {which} outside .70–.95", "zh": "{which}的ρA不在0.70～0.95之间"},
    "pls.fail.rhoC": {"en": "ρC of {which} outside .70–.95", "zh": "{which}的ρC不在0.70～0.95之间"},
    "pls.fail.AVE": {"en": "AVE of {which} below .50", "zh": "{which}的AVE低于0.50"},
    "pls.sum.measurement": {
        "en": "In the PLS-SEM, composite reliability ρC ranges from {clo} to {chi} and the "
        "lowest AVE is {vlo}. ",
        "zh": "PLS-SEM中各构念的组合信度ρC介于{clo}至{chi}之间，AVE最小为{vlo}。",
    },
    "pls.note.formative": {
        "en": "Outer weights of the formative (mode B) constructs with their bootstrap tests; "
        "VIF = variance inflation factor of each indicator (critical at ≥ {cut}) [[hair2022]]. "
        "† VIF at or above {cut}, or a non-significant weight with an outer loading below .50 "
        "(candidate for removal).",
        "zh": "形成型（模式B）构念的外部权重及其Bootstrap检验；VIF为各指标的方差膨胀因子（≥ {cut}"
        "表示存在严重共线性）[[hair2022]]。†表示VIF ≥ {cut}，或权重不显著且外部载荷低于0.50"
        "（可考虑删除）。",
    },
    "pls.para.formative": {
        "en": "As <T> shows for the formative constructs {which}, ",
        "zh": "由<T>可知，对于形成型构念{which}，",
    },
    "pls.para.formative.vif": {
        "en": "the VIF of {which} is at or above {cut} (critical collinearity). ",
        "zh": "{which}的VIF不低于{cut}，存在严重共线性。",
    },
    "pls.para.formative.vif_ok": {
        "en": "every indicator's VIF is below {cut}, so collinearity is not critical. ",
        "zh": "各指标的VIF均低于{cut}，不存在严重共线性。",
    },
    "pls.para.formative.drop": {
        "en": "The weights of {which} are not significant and their loadings are below .50: "
        "consider removing them if theory allows.",
        "zh": "{which}的权重不显著且外部载荷低于0.50，在理论允许时可考虑删除。",
    },
    "pls.fail.vif_outer": {"en": "outer VIF of {which}", "zh": "{which}的外部VIF"},
    "pls.fail.weight": {
        "en": "non-significant weights with low loadings ({which})",
        "zh": "{which}的权重不显著且载荷较低",
    },
    "pls.note.htmt": {
        "en": "Heterotrait-monotrait ratio of correlations [[henseler2015]]; discriminant "
        "validity holds when the HTMT and the upper bound of its 95% CI are below .85, or .90 "
        "for conceptually similar constructs [[hair2022]]. † at or above .85.",
        "zh": "异质—单质相关比[[henseler2015]]；HTMT及其95%置信区间上限均低于0.85（概念相近的构念"
        "为0.90）时具有区分效度[[hair2022]]。†表示不低于0.85。",
    },
    "pls.para.htmt": {
        "en": "As <T> shows, the largest of the {k} HTMT ratios is {hmax} ({pair}). ",
        "zh": "由<T>可知，{k}对构念的HTMT中最大值为{hmax}（{pair}）。",
    },
    "pls.para.htmt.ok": {
        "en": "Every upper bound of the bootstrap 95% CIs is below .85 (largest {umax}): the "
        "constructs are empirically distinct.",
        "zh": "各HTMT的Bootstrap 95%置信区间上限均低于0.85（最大为{umax}），各构念之间具有"
        "区分效度。",
    },
    "pls.para.htmt.bad": {
        "en": "For {which} the HTMT or the upper bound of its 95% CI reaches .85, so "
        "discriminant validity is in doubt for these pairs.",
        "zh": "{which}的HTMT或其95%置信区间上限达到0.85，这些构念之间的区分效度存疑。",
    },
    "pls.fail.htmt": {"en": "HTMT of {which} (≥ .85)", "zh": "{which}的HTMT（≥ 0.85）"},
    "pls.note.fornell": {
        "en": "Below the diagonal: correlations of the PLS construct scores; on the diagonal: "
        "square root of AVE; the diagonal should exceed every correlation in its row and column "
        "[[fornell1981]]. The criterion misses many violations in PLS-SEM, so HTMT is the main "
        "test [[henseler2015]].",
        "zh": "下三角为PLS构念得分之间的相关系数，对角线为AVE的平方根，对角线数值应大于其所在行与"
        "列的相关系数[[fornell1981]]。该准则在PLS-SEM中识别能力有限，故以HTMT为主要依据"
        "[[henseler2015]]。",
    },
    "pls.para.fornell.ok": {
        "en": "As <T> shows, the square root of each construct's AVE (smallest {dmin}) exceeds "
        "its correlations with the other constructs (largest {rmax}).",
        "zh": "由<T>可知，各构念AVE的平方根（最小为{dmin}）均大于其与其他构念的相关系数（最大为"
        "{rmax}）。",
    },
    "pls.para.fornell.bad": {
        "en": "As <T> shows, for {which} the square root of AVE does not exceed every "
        "correlation with another construct (largest correlation {rmax}).",
        "zh": "由<T>可知，{which}的AVE平方根未能大于其与其他构念的全部相关系数（最大相关系数为"
        "{rmax}）。",
    },
    "pls.note.cross": {
        "en": "Correlations of each item with the construct scores; columns: {cols}. An item "
        "should load highest on its own construct [[hair2022]]; † it does not.",
        "zh": "各题项与各构念得分的相关系数；列序号：{cols}。每个题项在其所属构念上的载荷应高于在"
        "其他构念上的交叉载荷[[hair2022]]；†表示未满足。",
    },
    "pls.para.cross.ok": {
        "en": "As <T> shows, every item loads higher on its own construct than on any other.",
        "zh": "由<T>可知，各题项在所属构念上的载荷均高于其在其他构念上的交叉载荷。",
    },
    "pls.para.cross.bad": {
        "en": "As <T> shows, {which} load as high or higher on another construct than on "
        "their own.",
        "zh": "由<T>可知，{which}在其他构念上的交叉载荷不低于其在所属构念上的载荷。",
    },
    "pls.fail.cross": {"en": "cross-loadings of {which}", "zh": "{which}的交叉载荷"},
    "pls.note.vif": {
        "en": "VIF of each predictor among the predictors of the same construct; collinearity "
        "is critical at VIF ≥ {cut} (values from 3 to 5 may already matter) [[hair2022]]. † at "
        "or above {cut}.",
        "zh": "同一内生构念的各前因变量之间的方差膨胀因子；VIF ≥ {cut}表示存在严重共线性（3～5之间"
        "亦可能有影响）[[hair2022]]。†表示不低于{cut}。",
    },
    "pls.para.vif": {
        "en": "As <T> shows, the inner VIF values range from {lo} to {hi}",
        "zh": "由<T>可知，结构模型中各前因变量的VIF介于{lo}至{hi}之间",
    },
    "pls.para.vif.ok": {
        "en": ", all below {cut}: collinearity does not bias the path coefficients.",
        "zh": "，均低于{cut}，共线性不会对路径系数造成偏误。",
    },
    "pls.para.vif.bad": {
        "en": "; {which} reach {cut} (critical collinearity).",
        "zh": "；其中{which}达到{cut}，存在严重共线性。",
    },
    "pls.fail.vif_inner": {"en": "inner VIF of {which}", "zh": "{which}的内部VIF"},
    "pls.note.paths": {
        "en": "β = path coefficient (standardized); f² = effect size (.02 small, .15 medium, "
        ".35 large) [[cohen1988]][[hair2022]]. A hypothesis is supported when p < .05 and the "
        "sign is as expected.",
        "zh": "β为标准化路径系数；f²为效应量（0.02为小，0.15为中，0.35为大）[[cohen1988]]"
        "[[hair2022]]。p < 0.05且方向与预期一致时假设得到支持。",
    },
    "pls.para.paths": {
        "en": "As <T> shows, {s} of the {k} hypotheses are supported by the bootstrap tests. ",
        "zh": "由<T>可知，经Bootstrap检验，{k}条研究假设中有{s}条得到支持。",
    },
    "pls.para.paths.item": {
        "en": "{id} ({path}, β = {beta}, t = {t}, {p})",
        "zh": "{id}（{path}，β = {beta}，t = {t}，{p}）",
    },
    "pls.f2.large": {"en": "large for {which}", "zh": "{which}为大效应"},
    "pls.f2.medium": {"en": "medium for {which}", "zh": "{which}为中等效应"},
    "pls.f2.small": {"en": "small for {which}", "zh": "{which}为小效应"},
    "pls.para.f2": {
        "en": "The effect sizes f² are {which}; the other paths have no substantial effect "
        "(f² < .02).",
        "zh": "从效应量f²看，{which}；其余路径的效应量低于0.02。",
    },
    "fig.pls_paths": {
        "en": "PLS-SEM structural model with path coefficients",
        "zh": "PLS-SEM结构模型路径系数",
    },
    "pls.para.fig.paths": {
        "en": "<F> shows the estimated model with the R² of the endogenous constructs; dashed "
        "arrows are paths that are not significant.",
        "zh": "<F>为PLS-SEM结构模型的路径系数及内生构念的R²，虚线表示不显著的路径。",
    },
    "pls.r2.substantial": {"en": "Substantial", "zh": "较强"},
    "pls.r2.moderate": {"en": "Moderate", "zh": "中等"},
    "pls.r2.weak": {"en": "Weak", "zh": "较弱"},
    "pls.r2.very_weak": {"en": "Below weak", "zh": "很弱"},
    "pls.note.r2": {
        "en": "R² of .75, .50 and .25: substantial, moderate and weak explanatory power "
        "[[hair2022]]; Q² by blindfolding (omission distance {d}) above 0 indicates predictive "
        "relevance [[stone1974]][[geisser1974]]. † Q² not above 0.",
        "zh": "R²达到0.75、0.50和0.25分别表示较强、中等和较弱的解释力[[hair2022]]；遗漏距离为{d}时"
        "计算的Q²大于0表示模型具有预测相关性[[stone1974]][[geisser1974]]。"
        "†表示Q²不大于0。",
    },
    "pls.para.r2": {
        "en": "As <T> shows, the R² values are {which}. ",
        "zh": "由<T>可知，各内生构念的R²分别为：{which}。",
    },
    "pls.para.q2.ok": {
        "en": "Every Q² is above 0 ({lo} to {hi}): the model has predictive relevance.",
        "zh": "各Q²均大于0（介于{lo}至{hi}之间），模型具有预测相关性。",
    },
    "pls.para.q2.bad": {
        "en": "Q² of {which} is not above 0: the model lacks predictive relevance for them.",
        "zh": "{which}的Q²不大于0，模型对其缺乏预测相关性。",
    },
    "pls.fail.q2": {"en": "Q² of {which} not above 0", "zh": "{which}的Q²不大于0"},
    "pls.note.predict": {
        "en": "{folds}-fold cross-validation ({reps} repetition); prediction errors of the "
        "PLS-SEM against a linear regression of each indicator on all exogenous indicators "
        "(LM). Predictive power is high when the PLS-SEM error is lower for every indicator, "
        "medium for the majority, low for a minority [[shmueli2019]]. † PLS-SEM error not "
        "below LM.",
        "zh": "采用{folds}折交叉验证（重复{reps}次）；将PLS-SEM的预测误差与以全部外生题项为自变量的"
        "线性回归（线性模型）比较。PLS-SEM的误差在全部、多数、少数题项上低于线性模型时，预测能力"
        "分别为高、中、低[[shmueli2019]]。†表示PLS-SEM的误差不低于线性模型。",
    },
    "pls.predict.high": {"en": "high", "zh": "较高"},
    "pls.predict.medium": {"en": "medium", "zh": "中等"},
    "pls.predict.low": {"en": "low", "zh": "较低"},
    "pls.predict.none": {"en": "lacking", "zh": "不足"},
    "pls.para.predict": {
        "en": "As <T> shows, the PLS-SEM predicts {s} of the {k} indicators of the endogenous "
        "constructs with a lower RMSE than the linear benchmark: its out-of-sample predictive "
        "power is {level}. ",
        "zh": "由<T>可知，在内生构念的{k}个题项中，PLS-SEM对其中{s}个题项的预测误差（RMSE）低于"
        "线性模型，模型的样本外预测能力{level}。",
    },
    "pls.para.predict.worse": {
        "en": "The linear benchmark predicts {which} at least as well.",
        "zh": "对{which}，线性模型的预测误差不高于PLS-SEM。",
    },
    "pls.sum.predict": {
        "en": "The out-of-sample predictive power (PLSpredict) is {level}. ",
        "zh": "样本外预测检验表明模型的预测能力{level}。",
    },
    "pls.med.full": {"en": "Indirect-only (full)", "zh": "仅间接效应（完全中介）"},
    "pls.med.complementary": {
        "en": "Complementary (partial)",
        "zh": "互补型（部分中介）",
    },
    "pls.med.competitive": {"en": "Competitive (partial)", "zh": "竞争型（部分中介）"},
    "pls.med.direct_only": {"en": "Direct-only (none)", "zh": "仅直接效应（无中介）"},
    "pls.med.none": {"en": "No effect (none)", "zh": "无效应（无中介）"},
    "pls.note.mediation": {
        "en": "Specific indirect effects (product of the path coefficients along the chain); "
        "an indirect effect is significant when its CI excludes 0. Types after Zhao, Lynch and "
        "Chen [[zhao2010]][[hair2022]]: indirect-only = full mediation; complementary "
        "(direct effect of the same sign) or competitive (opposite sign) = partial mediation. "
        "Direct effect: the path from the first to the last construct (— none in the model).",
        "zh": "特定间接效应为链上各路径系数之积；置信区间不包含0时间接效应显著。中介类型的划分"
        "[[zhao2010]][[hair2022]]：仅间接效应显著为完全中介；直接效应亦显著且同号为互补型、"
        "异号为竞争型，均为部分中介。直接效应为首尾两个构念之间的路径（—表示模型中无此路径）。",
    },
    "pls.para.mediation": {
        "en": "As <T> shows, {s} of the {k} specific indirect effects are significant "
        "(bootstrap 95% CI excluding 0): {full} indirect-only (full) and {partial} partial "
        "mediation.",
        "zh": "由<T>可知，{k}个特定间接效应中有{s}个显著（Bootstrap 95%置信区间不包含0），其中"
        "完全中介{full}个、部分中介{partial}个。",
    },
}
_T.update(_PLS)

# ---------------------------------------------------------------------------- ordered items
_ORD: dict[str, dict[str, str]] = {
    "col.alpha_ordinal": {"en": "Ordinal α", "zh": "有序α"},
    "col.omega_cat": {"en": "ω (categorical)", "zh": "类别ω"},
    "para.mardia.ordered": {
        "en": "Mardia's multivariate kurtosis has a critical ratio of {z}. ",
        "zh": "Mardia多元峰度临界比为{z}。",
    },
    "para.estimator.ordered": {
        "en": "The items are answered on {k}-point scales, that is, in ordered categories; "
        "{reason} The CFA and the structural model are therefore estimated with {est} "
        "(diagonally weighted least squares on the polychoric correlations, robust standard "
        "errors and a mean- and variance-adjusted χ² [[flora2004]]; lavaan's ordered = "
        "[[rosseel2012]]) instead of maximum likelihood, which treats answers as continuous "
        "and normal [[li2016]].",
        "zh": "各题项采用{k}点量表作答，属于有序分类变量；{reason}因此验证性因子分析与结构方程"
        "模型采用{est}估计（基于多分格相关矩阵的对角加权最小二乘法，稳健标准误及均值与方差"
        "校正的χ²[[flora2004]]；lavaan的ordered设定[[rosseel2012]]），而非假定数据连续且"
        "服从正态分布的极大似然估计[[li2016]]。",
    },
    "reason.ordered.few": {
        "en": "with five or fewer categories, maximum likelihood underestimates the loadings "
        "and the categorical estimator is preferable [[rhemtulla2012]].",
        "zh": "当类别数不超过5个时，极大似然估计会低估因子载荷，宜采用类别数据估计方法"
        "[[rhemtulla2012]]。",
    },
    "reason.ordered.skew": {
        "en": "the answers are skewed (the largest absolute skewness is {s}), and with "
        "asymmetric categories the categorical estimator is preferable [[rhemtulla2012]].",
        "zh": "作答分布偏斜（偏度绝对值最大为{s}），类别分布不对称时宜采用类别数据估计方法"
        "[[rhemtulla2012]]。",
    },
    "reason.ordered.chosen": {
        "en": "this study models them as such (with {k} categories and roughly symmetric "
        "answers, robust maximum likelihood would give similar results [[rhemtulla2012]]).",
        "zh": "本研究按有序分类变量处理（类别数为{k}且分布大致对称时，稳健极大似然估计的结果"
        "与之相近[[rhemtulla2012]]）。",
    },
    "para.reliability.ordinal": {
        "en": "Because the items are ordered categories, ordinal α (Cronbach's α on the "
        "polychoric correlations [[zumbo2007]]) is also reported; it ranges from {lo} to "
        "{hi}. ",
        "zh": "由于题项为有序分类变量，另报告基于多分格相关矩阵的有序α系数[[zumbo2007]]，介于"
        "{lo}至{hi}之间。",
    },
    "note.reliability.ordinal": {
        "en": "Ordinal α: α of the polychoric correlation matrix [[zumbo2007]], each construct "
        "on the respondents who answered all its items.",
        "zh": "有序α：基于多分格相关矩阵计算的α系数[[zumbo2007]]，各变量采用其全部题项均有"
        "作答的样本。",
    },
    "note.convergent.ordinal": {
        "en": "The CFA is estimated with {est} on the polychoric correlations; ω (categorical), "
        "semTools' compRelSEM for ordered items, is the reliability of the summed item "
        "scores [[green2009]].",
        "zh": "验证性因子分析基于多分格相关矩阵采用{est}估计；类别ω即semTools中compRelSEM对"
        "有序题项给出的题项总分信度[[green2009]]。",
    },
    "para.convergent.omega_cat": {
        "en": "The categorical ω of the constructs ranges from {lo} to {hi}. ",
        "zh": "各变量的类别ω系数介于{lo}至{hi}之间。",
    },
    "note.fit.wlsmv": {
        "en": "{est} [[flora2004]]: χ² is the mean- and variance-adjusted (scaled-shifted) "
        "statistic; CFI, TLI and RMSEA are computed from it (lavaan's "
        ".scaled values, as Mplus reports them); GFI and AGFI are not reported for ordered "
        "items.",
        "zh": "{est}估计[[flora2004]]：χ²为均值与方差校正（scaled-shifted）统计量"
        "；CFI、TLI与RMSEA据此计算（lavaan的.scaled值，与Mplus报告的一致）；"
        "有序题项不报告GFI与AGFI。",
    },
    "mod.note.ordered": {
        "en": "Product indicators of ordered items are not ordered categories: the moderation "
        "model treats the item scores as continuous (maximum likelihood).",
        "zh": "有序题项的乘积指标不再是有序分类变量，故调节效应模型将题项得分视为连续变量"
        "（极大似然估计）。",
    },
}
_ORD.update(
    {
        "note.htmt.ordinal": {
            "en": "HTMT from the polychoric correlations of the ordered items.",
            "zh": "HTMT基于有序题项的多分格相关系数计算。",
        },
        "step.scalar.ordered": {"en": "Scalar (+ thresholds)", "zh": "强等值（+阈值）"},
        "note.invariance.ordered": {
            "en": "Ordered items: χ² is the scaled-shifted statistic and Δχ² lavaan's scaled "
            "difference test; the scalar step constrains the thresholds.",
            "zh": "有序题项：χ²为均值与方差校正统计量，Δχ²为lavaan的校正差异检验；强等值步骤"
            "限定阈值相等。",
        },
        "fit.chisq.shifted": {"en": "χ² (scaled-shifted)", "zh": "χ²（均值与方差校正）"},
        "note.fit.nogfi": {
            "en": "Cut-offs: χ²/df < 3 (< 5 acceptable) [[kline2016]]; NFI > .90 "
            "[[bentler1980]]; IFI > .90 [[bollen1989]]; TLI > .90 [[tucker1973]]; CFI > .90 "
            "[[bentler1990]]; RMSEA < .08 [[browne1993]]; SRMR < .08 [[hu1999]]. The verdict "
            "refers to the structural model.",
            "zh": "参考标准：χ²/df < 3（< 5可接受）[[kline2016]]；NFI > 0.90[[bentler1980]]；"
            "IFI > 0.90[[bollen1989]]；TLI > 0.90[[tucker1973]]；CFI > 0.90[[bentler1990]]；"
            "RMSEA < 0.08[[browne1993]]；SRMR < 0.08[[hu1999]]。判断针对结构模型。",
        },
        "note.fit.strict.nogfi": {
            "en": "Strict cut-offs [[hu1999]]: CFI and TLI ≥ .95, RMSEA ≤ .06, SRMR ≤ .08; "
            "χ²/df < 3 [[kline2016]]; NFI, IFI > .90 [[bentler1980]][[bollen1989]]. The "
            "verdict refers to the structural model.",
            "zh": "严格标准[[hu1999]]：CFI、TLI ≥ 0.95，RMSEA ≤ 0.06，SRMR ≤ 0.08；χ²/df < 3"
            "[[kline2016]]；NFI、IFI > 0.90[[bentler1980]][[bollen1989]]。判断针对结构模型。",
        },
    }
)
_T.update(_ORD)
