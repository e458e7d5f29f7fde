"""Every word the report prints, in English and Chinese."""

from __future__ import annotations

TEXT = {
    "report_title": {"en": "Results", "zh": "数据分析与结果"},
    "table": {"en": "Table", "zh": "表"},
    "figure": {"en": "Figure", "zh": "图"},
    "note": {"en": "Note.", "zh": "注："},
    "supported": {"en": "Supported", "zh": "支持"},
    "not_supported": {"en": "Not supported", "zh": "不支持"},
    "acceptable": {"en": "Acceptable", "zh": "可接受"},
    "good": {"en": "Good", "zh": "良好"},
    "poor": {"en": "Poor", "zh": "不理想"},
    "yes": {"en": "Yes", "zh": "是"},
    "no": {"en": "No", "zh": "否"},
    "measurement_model": {"en": "Measurement model (CFA)", "zh": "测量模型（CFA）"},
    "structural_model": {"en": "Structural model", "zh": "结构模型"},
}

TITLES = {
    "sample_profile": {"en": "Sample Profile", "zh": "样本描述性统计"},
    "descriptives": {"en": "Item Descriptive Statistics", "zh": "题项描述性统计"},
    "cmb": {
        "en": "Common Method Bias: Harman's Single-Factor Test",
        "zh": "共同方法偏差检验（Harman单因子检验）",
    },
    "reliability": {"en": "Reliability Analysis", "zh": "信度分析"},
    "kmo": {"en": "KMO and Bartlett's Test", "zh": "KMO和巴特利特检验"},
    "variance": {"en": "Total Variance Explained", "zh": "总方差解释"},
    "loadings": {"en": "Rotated Factor Matrix", "zh": "旋转后的因子载荷矩阵"},
    "convergent": {
        "en": "Confirmatory Factor Analysis and Convergent Validity",
        "zh": "验证性因子分析与收敛效度",
    },
    "fornell_larcker": {
        "en": "Discriminant Validity: Fornell-Larcker Criterion",
        "zh": "区分效度（Fornell-Larcker准则）",
    },
    "htmt": {
        "en": "Discriminant Validity: Heterotrait-Monotrait Ratio (HTMT)",
        "zh": "区分效度（HTMT）",
    },
    "fit": {"en": "Model Fit", "zh": "模型拟合度"},
    "paths": {"en": "Path Coefficients and Hypothesis Tests", "zh": "路径系数与假设检验"},
    "mediation": {"en": "Mediation Effects (Bootstrap)", "zh": "中介效应检验（Bootstrap）"},
    "r2": {"en": "Explained Variance (R²)", "zh": "解释方差（R²）"},
}

COLUMNS = {
    "variable": {"en": "Variable", "zh": "变量"},
    "category": {"en": "Category", "zh": "类别"},
    "n": {"en": "n", "zh": "人数"},
    "percent": {"en": "%", "zh": "百分比（%）"},
    "item": {"en": "Item", "zh": "题项"},
    "construct": {"en": "Construct", "zh": "构念"},
    "mean": {"en": "M", "zh": "均值"},
    "sd": {"en": "SD", "zh": "标准差"},
    "min": {"en": "Min", "zh": "最小值"},
    "max": {"en": "Max", "zh": "最大值"},
    "skew": {"en": "Skewness", "zh": "偏度"},
    "kurtosis": {"en": "Kurtosis", "zh": "峰度"},
    "citc": {"en": "CITC", "zh": "校正的项总计相关性（CITC）"},
    "alpha_if_deleted": {"en": "α if item deleted", "zh": "项已删除的α"},
    "alpha": {"en": "Cronbach's α", "zh": "Cronbach's α"},
    "loading": {"en": "Std. loading", "zh": "标准化载荷"},
    "se": {"en": "SE", "zh": "标准误"},
    "z": {"en": "z (C.R.)", "zh": "z（C.R.）"},
    "p": {"en": "p", "zh": "p"},
    "cr": {"en": "CR", "zh": "组合信度CR"},
    "ave": {"en": "AVE", "zh": "平均方差抽取量AVE"},
    "index": {"en": "Index", "zh": "指标"},
    "cutoff": {"en": "Cut-off", "zh": "参考标准"},
    "verdict": {"en": "Verdict", "zh": "判断"},
    "hypothesis": {"en": "Hypothesis", "zh": "假设"},
    "path": {"en": "Path", "zh": "路径"},
    "estimate": {"en": "Estimate", "zh": "非标准化系数"},
    "beta": {"en": "β", "zh": "标准化系数β"},
    "result": {"en": "Result", "zh": "结论"},
    "effect": {"en": "Effect", "zh": "效应"},
    "boot_se": {"en": "Boot SE", "zh": "Boot标准误"},
    "ci": {"en": "95% CI", "zh": "95%置信区间"},
    "r2": {"en": "R²", "zh": "R²"},
    "statistic": {"en": "Statistic", "zh": "统计量"},
    "value": {"en": "Value", "zh": "值"},
    "component": {"en": "Component", "zh": "成分"},
    "eigenvalue": {"en": "Eigenvalue", "zh": "特征值"},
    "variance_pct": {"en": "% of variance", "zh": "方差百分比"},
    "cumulative_pct": {"en": "Cumulative %", "zh": "累积百分比"},
}


def t(key: str, lang: str) -> str:
    return TEXT[key].get(lang, TEXT[key]["en"])


def col(key: str, lang: str) -> str:
    return COLUMNS[key].get(lang, COLUMNS[key]["en"])
