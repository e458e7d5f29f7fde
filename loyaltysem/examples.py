"""Where the bundled example model and data live (repository checkout or installed wheel)."""

from __future__ import annotations

from pathlib import Path

_PKG = Path(__file__).resolve().parent


def _root(kind: str) -> Path:
    for base in (_PKG.parent / kind, _PKG / "_bundled" / kind):
        if base.is_dir():
            return base
    raise FileNotFoundError(f"the bundled {kind}/ folder is missing from this installation")


def example_paths() -> dict[str, Path]:
    """Paths of the bundled example: model (TOML), lavaan syntax, population model, data.

    Example:
        >>> sorted(example_paths())
        ['codebook', 'data_csv', 'data_sav', 'model', 'model_lav', 'population']
    """
    models, data = _root("models"), _root("data")
    return {
        "model": models / "online_loyalty.toml",
        "model_lav": models / "online_loyalty.lav",
        "population": models / "online_loyalty_population.lav",
        "data_sav": data / "online_loyalty.sav",
        "data_csv": data / "online_loyalty.csv",
        "codebook": data / "codebook.md",
    }


EXAMPLE_SEED = 20261122
EXAMPLE_N = 400


def make_example_data(seed: int = EXAMPLE_SEED, n: int = EXAMPLE_N):
    """The bundled example survey, drawn from ``models/online_loyalty_population.lav``.

    400 respondents, 39 seven-point items (DES4 and LOY4 reverse-keyed, stored as answered),
    about 10% of respondents with 1-3 answers missing completely at random, demographics
    (gender, age band, shopping frequency, education), an id and the completion time in
    seconds (a few speeders under 120 s and a few straight-liners, so screening has something
    to flag). The same seed gives the same data.

    Example:
        >>> df = make_example_data()
        >>> df.shape
        (400, 45)
    """
    import numpy as np
    import pandas as pd

    from .instrument import read_instrument
    from .simulate import simulate

    paths = example_paths()
    inst = read_instrument(paths["model"])
    items = simulate(
        paths["population"].read_text(encoding="utf-8"),
        n,
        seed=seed,
        scale=(int(inst.scale_min), int(inst.scale_max)),
        reverse=tuple(inst.reverse_items),
        missing_share_respondents=0.10,
    )[inst.item_codes]
    rng = np.random.default_rng(seed + 1)
    # a few straight-liners: the same answer to every item
    for i in rng.choice(n, size=4, replace=False):
        items.iloc[i, :] = float(rng.integers(4, 8))
    demo = pd.DataFrame(
        {
            "id": np.arange(1, n + 1),
            "gender": rng.choice([1, 2], size=n, p=[0.44, 0.56]),
            "age_band": rng.choice([1, 2, 3, 4], size=n, p=[0.35, 0.33, 0.22, 0.10]),
            "frequency": rng.choice([1, 2, 3, 4], size=n, p=[0.15, 0.40, 0.28, 0.17]),
            "education": rng.choice([1, 2, 3, 4], size=n, p=[0.12, 0.23, 0.48, 0.17]),
        }
    )
    duration = np.round(np.exp(rng.normal(np.log(420), 0.35, size=n)))
    duration[rng.choice(n, size=6, replace=False)] = rng.integers(60, 115, size=6)
    demo["duration_sec"] = duration.astype(int)
    return pd.concat([demo[["id"]], items, demo.drop(columns="id")], axis=1)


def write_example_data(out_dir=None, seed: int = EXAMPLE_SEED, n: int = EXAMPLE_N) -> dict:
    """Write the example as CSV and as SPSS .sav (variable and value labels) plus a codebook."""
    from pathlib import Path

    import pyreadstat

    from .fileio import atomic_file, atomic_write_text
    from .instrument import read_instrument

    paths = example_paths()
    out = Path(out_dir) if out_dir else paths["data_csv"].parent
    inst = read_instrument(paths["model"])
    df = make_example_data(seed, n)
    with atomic_file(out / "online_loyalty.csv") as tmp:
        df.to_csv(tmp, index=False, float_format="%g", lineterminator="\n")
    labels = {it.code: it.text.get("en", it.code) for it in inst.items}
    labels.update({d.code: d.name["en"] for d in inst.demographics})
    labels.update({"id": "Respondent ID", "duration_sec": "Completion time (seconds)"})
    scale = {v: t["en"] for v, t in inst.scale_labels.items()}
    value_labels = {code: scale for code in inst.item_codes}
    value_labels.update(
        {d.code: {v: t["en"] for v, t in d.values.items()} for d in inst.demographics}
    )
    with atomic_file(out / "online_loyalty.sav") as tmp:
        pyreadstat.write_sav(
            df,
            str(tmp),
            column_labels=[labels.get(c, c) for c in df.columns],
            variable_value_labels=value_labels,
        )
        _pin_sav_timestamp(tmp)
    atomic_write_text(out / "codebook.md", _codebook(inst, df, seed))
    return {"csv": out / "online_loyalty.csv", "sav": out / "online_loyalty.sav"}


def _pin_sav_timestamp(path) -> None:
    """SPSS headers carry the creation date and time (bytes 92-108): pin them so that the same
    seed gives a byte-identical file."""
    with open(path, "r+b") as fh:
        fh.seek(92)
        fh.write(b"22 Nov 26" + b"00:00:00")


def _codebook(inst, df, seed) -> str:
    lines = [
        "# Codebook: online_loyalty (simulated example survey)",
        "",
        f"Made by `loyaltysem.examples.write_example_data(seed={seed})` from",
        "`models/online_loyalty_population.lav` (standardized population values) and the",
        "instrument `models/online_loyalty.toml`. Same seed, same file. "
        f"{len(df)} respondents; missing answers are empty cells (CSV) / system-missing (SPSS).",
        "",
        "| column | construct | wording (en) | 中文 | coding |",
        "| --- | --- | --- | --- | --- |",
        "| id | - | Respondent ID | 编号 | 1..N |",
    ]
    lo, hi = int(inst.scale_min), int(inst.scale_max)
    for c in inst.constructs:
        for it in c.items:
            coding = f"{lo}-{hi} agreement" + (
                " (REVERSE-keyed: recode 8 - x)" if it.reverse else ""
            )
            en, zh = it.text.get("en", ""), it.text.get("zh", "")
            lines.append(f"| {it.code} | {c.code} | {en} | {zh} | {coding} |")
    for d in inst.demographics:
        coding = "; ".join(f"{int(v)} = {t['en']}" for v, t in d.values.items())
        lines.append(f"| {d.code} | - | {d.name['en']} | {d.name.get('zh', '')} | {coding} |")
    lines.append("| duration_sec | - | Completion time (seconds) | 答题时长（秒） | seconds |")
    lines += [
        "",
        "Scale labels: "
        + "; ".join(
            f"{int(v)} = {t['en']} ({t.get('zh', '')})" for v, t in inst.scale_labels.items()
        ),
        "",
        "Built-in data features (for screening): about 10% of respondents have 1-3 answers missing",
        "completely at random; 4 straight-liners; 6 speeders (under 120 seconds).",
    ]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(write_example_data())
