"""Writes the small test survey in every supported format (run from the repository root).

    .venv/bin/python tests/data/loaders/make_loader_data.py

The same 40 respondents x 9 Likert items (1-5, LOY3 reverse-keyed), an attention check,
demographics, completion time and a Chinese text column are saved as CSV (UTF-8, UTF-8 with
BOM, GBK), TSV, Excel, SPSS (.sav with user-missing code 9, .zsav, .por), Stata, SAS
transport (.xpt) and SAS7BDAT (written by R's haven), and as CSVs whose Likert answers are
text labels (Chinese and English). The files are committed; the tests only read them.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import numpy as np
import pandas as pd
import pyreadstat

HERE = Path(__file__).resolve().parent
ITEMS = ["SAT1", "SAT2", "SAT3", "TRU1", "TRU2", "TRU3", "LOY1", "LOY2", "LOY3"]
LIKERT_ZH = {1: "非常不同意", 2: "不同意", 3: "一般", 4: "同意", 5: "非常同意"}
LIKERT_EN = {1: "Strongly disagree", 2: "Disagree", 3: "Neutral", 4: "Agree", 5: "Strongly agree"}
CITIES = ["北京", "上海", "广州", "深圳", "成都"]


def frame() -> pd.DataFrame:
    rng = np.random.default_rng(20261122)
    n = 40
    f = rng.normal(size=(n, 1))
    x = 3 + 0.9 * f + rng.normal(scale=0.8, size=(n, len(ITEMS)))
    x = np.clip(np.rint(x), 1, 5)
    x[:, ITEMS.index("LOY3")] = 6 - x[:, ITEMS.index("LOY3")]  # raw answers, reverse-keyed
    df = pd.DataFrame(x, columns=ITEMS)
    df.loc[5, ITEMS] = 3.0  # a straight-liner (raw answers all 3)
    df.loc[17, ITEMS] = 4.0  # another one
    for r, c in [(2, "SAT2"), (9, "TRU1"), (9, "TRU3"), (21, "LOY2"), (30, "SAT2"), (33, "SAT1")]:
        df.loc[r, c] = np.nan
    df.loc[12, ITEMS[:6]] = np.nan  # a respondent who quit after the first page
    att = np.full(n, 4.0)
    att[[7, 25]] = [2.0, 5.0]  # failed the attention check
    duration = rng.integers(180, 900, size=n).astype(float)
    duration[[3, 14, 28]] = [45.0, 60.0, 38.0]  # speeders
    out = pd.DataFrame(
        {
            "id": np.arange(1001, 1001 + n, dtype=float),
            "gender": rng.integers(1, 3, size=n).astype(float),
            "age_band": rng.integers(1, 4, size=n).astype(float),
            "duration": duration,
        }
    )
    out = pd.concat([out, df], axis=1)
    out["ATT1"] = att
    out["city"] = [CITIES[i % 5] for i in range(n)]
    out.loc[11, "gender"] = np.nan
    return out


VAR_LABELS = {
    "id": "Respondent ID",
    "gender": "Gender",
    "age_band": "Age",
    "duration": "Completion time (seconds)",
    **{c: f"Item {c}" for c in ITEMS},
    "ATT1": "Attention check: choose Agree",
    "city": "City",
}
VALUE_LABELS = {
    "gender": {1.0: "Male", 2.0: "Female"},
    "age_band": {1.0: "18-24", 2.0: "25-30", 3.0: "31 and over"},
    **{c: {float(k): v for k, v in LIKERT_EN.items()} for c in ITEMS},
}


def main() -> None:
    df = frame()
    df.to_csv(HERE / "small_survey.csv", index=False, encoding="utf-8")
    df.to_csv(HERE / "small_survey_bom.csv", index=False, encoding="utf-8-sig")
    df.to_csv(HERE / "small_survey_gbk.csv", index=False, encoding="gbk")
    df.to_csv(HERE / "small_survey.tsv", index=False, sep="\t", encoding="utf-8")
    with pd.ExcelWriter(HERE / "small_survey.xlsx", engine="openpyxl") as xw:
        pd.DataFrame({"note": ["the data are on the second sheet"]}).to_excel(
            xw, sheet_name="README", index=False
        )
        df.to_excel(xw, sheet_name="data", index=False)
    # SPSS: SAT2's missing answers are stored as the user-missing code 9
    sav = df.copy()
    sav["SAT2"] = sav["SAT2"].fillna(9.0)
    common = dict(column_labels=VAR_LABELS, variable_value_labels=VALUE_LABELS)
    pyreadstat.write_sav(sav, HERE / "small_survey.sav", missing_ranges={"SAT2": [9]}, **common)
    pyreadstat.write_sav(
        sav, HERE / "small_survey.zsav", compress=True, missing_ranges={"SAT2": [9]}, **common
    )
    ascii_df = df.drop(columns=["city"])
    ascii_labels = {k: v for k, v in VAR_LABELS.items() if k != "city"}
    pyreadstat.write_por(ascii_df, HERE / "small_survey.por", column_labels=ascii_labels)
    pyreadstat.write_dta(df, HERE / "small_survey.dta", version=15, **common)
    pyreadstat.write_xport(
        ascii_df, HERE / "small_survey.xpt", column_labels=ascii_labels, file_format_version=8
    )
    subprocess.run(
        [
            "Rscript",
            "-e",
            "d <- read.csv(commandArgs(TRUE)[1]); d$city <- NULL; "
            "suppressWarnings(haven::write_sas(d, commandArgs(TRUE)[2]))",
            str(HERE / "small_survey.csv"),
            str(HERE / "small_survey.sas7bdat"),
        ],
        check=True,
    )
    # Likert answers exported as text (问卷星 "按选项文本" / an English platform)
    zh = df.copy()
    en = df.copy()
    for c in ITEMS + ["ATT1"]:
        zh[c] = df[c].map(LIKERT_ZH)
        en[c] = df[c].map(LIKERT_EN)
    zh["gender"] = df["gender"].map({1.0: "男", 2.0: "女"})
    zh.to_csv(HERE / "small_survey_labels_zh.csv", index=False, encoding="gb18030")
    en.to_csv(HERE / "small_survey_labels_en.csv", index=False, encoding="utf-8")
    # A platform export with its own column names, mapped by the instrument's `column`
    q = df.rename(columns={c: f"Q{i + 5}_{1}" for i, c in enumerate(ITEMS)})
    q.to_csv(HERE / "small_survey_platform.csv", index=False)


if __name__ == "__main__":
    main()
