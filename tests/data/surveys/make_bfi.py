"""Writes tests/data/surveys/bfi.sav: psych::bfi as an SPSS file (run from the repository root).

    .venv/bin/python tests/data/surveys/make_bfi.py

R (``make_bfi.R``) exports the 2,800 rows of psych::bfi and the item wording of
psychTools::bfi.dictionary; this script writes them as a bytecode-compressed SPSS .sav with
variable labels (the item wording), value labels for the 6-point items (1 = Very Inaccurate
... 6 = Very Accurate), gender and education, and a user-defined missing value: education's
NA is stored as 9 ("No answer"), declared missing. The reverse-keyed items are NOT recoded.
"""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
import pyreadstat

HERE = Path(__file__).resolve().parent
SCALE = {
    1: "Very Inaccurate",
    2: "Moderately Inaccurate",
    3: "Slightly Inaccurate",
    4: "Slightly Accurate",
    5: "Moderately Accurate",
    6: "Very Accurate",
}
GENDER = {1: "Males", 2: "Females"}
EDUCATION = {  # psych's ?bfi: 1 = HS, 2 = finished HS, 3 = some college, ...
    1: "HS",
    2: "Finished HS",
    3: "Some college",
    4: "College graduate",
    5: "Graduate degree",
    9: "No answer",
}
NO_ANSWER = 9


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["Rscript", str(HERE / "make_bfi.R"), tmp], check=True)
        df = pd.read_csv(Path(tmp) / "bfi.csv")
        words = pd.read_csv(Path(tmp) / "bfi_dictionary.csv").set_index("column")["wording"]
    assert df.shape == (2800, 28), df.shape
    items = list(words.index)
    df = df.astype(float)
    df["education"] = df["education"].fillna(NO_ANSWER)
    labels = {c: str(words[c]) for c in items}
    labels.update(gender="Gender", education="Education", age="Age in years")
    value_labels = {c: SCALE for c in items}
    value_labels.update(gender=GENDER, education=EDUCATION)
    formats = {c: "F1.0" for c in [*items, "gender", "education"]}
    formats["age"] = "F3.0"
    out = HERE / "bfi.sav"
    pyreadstat.write_sav(
        df,
        out,
        file_label="psych::bfi (Revelle, SAPA project)",
        column_labels=labels,
        variable_value_labels=value_labels,
        missing_ranges={"education": [NO_ANSWER]},
        variable_format=formats,
        variable_measure={c: "ordinal" for c in [*items, "education"]}
        | {"gender": "nominal", "age": "scale"},
        row_compress=True,
    )
    back, meta = pyreadstat.read_sav(out, user_missing=False)
    assert back.shape == (2800, 28) and int(back["education"].isna().sum()) == 223
    assert np.allclose(back[items].to_numpy(), df[items].to_numpy(), equal_nan=True)
    print(f"wrote {out} ({out.stat().st_size / 1024:.0f} KB)")


if __name__ == "__main__":
    main()
