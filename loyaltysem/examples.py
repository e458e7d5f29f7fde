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
        >>> sorted(example_paths())  # doctest: +NORMALIZE_WHITESPACE
        ['codebook', 'data_csv', 'data_sav', 'model', 'model_lav', 'moderator_population',
         'population']
    """
    models, data = _root("models"), _root("data")
    return {
        "model": models / "online_loyalty.toml",
        "model_lav": models / "online_loyalty.lav",
        "population": models / "online_loyalty_population.lav",
        "moderator_population": models / "online_loyalty_moderator_population.lav",
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
    to flag), and the three switching-cost items SWC1-SWC3 after LOY4 (the moderator of
    ``models/online_loyalty_moderator_population.lav``, see :func:`moderator_answers`; drawn
    from a separate random stream, so every other column is what it was without them). The
    same seed gives the same data.

    Example:
        >>> df = make_example_data()
        >>> df.shape
        (400, 48)
    """
    import numpy as np
    import pandas as pd

    from loyaltysem.semcore.resample.simulate import simulate
    from loyaltysem.survey.instrument import read_instrument

    paths = example_paths()
    inst = read_instrument(paths["model"])
    population = paths["population"].read_text(encoding="utf-8")
    items = simulate(
        population,
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
    swc = moderator_answers(items, population, seed, n)
    return pd.concat([demo[["id"]], items, swc, demo.drop(columns="id")], axis=1)


MODERATOR_STREAM = 17  # the moderator's own stream: numpy.random.default_rng([seed, 17])


def moderator_population() -> dict:
    """The moderator's population values from ``models/online_loyalty_moderator_population.lav``:
    factor, loadings, outcome y, focal predictor x, main effect b, interaction g and the
    category shares of the answers."""
    import re

    from loyaltysem.semcore.model.product_indicators import _rewrite
    from loyaltysem.survey.syntax import parse_syntax

    text = example_paths()["moderator_population"].read_text(encoding="utf-8")
    rewritten, pairs = _rewrite(text)
    rows = parse_syntax(rewritten)
    ((x, z),) = pairs
    loadings = {r.rhs: float(r.modifier.fixed[0]) for r in rows if r.op == "=~"}
    reg = {r.rhs: float(r.modifier.fixed[0]) for r in rows if r.op == "~"}
    probs = re.search(r"^#\s*probs:\s*(.+)$", text, flags=re.M)
    return {
        "factor": z,
        "loadings": loadings,
        "y": next(r.lhs for r in rows if r.op == "~"),
        "x": x,
        "b": reg[z],
        "g": reg[f"{x}.{z}"],
        "probs": tuple(float(v) for v in probs.group(1).split()),
    }


def _latent_given_items(z, population: str, names: list[str], sigma):
    """Draw-ready moments of the latent variables given the item scores z (all jointly
    normal): E(eta | z) = Phi L' S^-1 z, Cov = Phi - Phi L' S^-1 L Phi, with the latent
    correlations Phi recovered from the item correlations (sigma_ij / (l_i l_j))."""
    import numpy as np

    from loyaltysem.survey.syntax import parse_syntax

    rows = parse_syntax(population)
    meas = [(r.lhs, r.rhs, float(r.modifier.fixed[0])) for r in rows if r.op == "=~"]
    factors = list(dict.fromkeys(f for f, _, _ in meas))
    lam = np.zeros((len(names), len(factors)))
    first = {}
    for f, item, value in meas:
        lam[names.index(item), factors.index(f)] = value
        first.setdefault(f, (names.index(item), value))
    phi = np.eye(len(factors))
    for a, fa in enumerate(factors):
        for b, fb in enumerate(factors[:a]):
            (i, li), (j, lj) = first[fa], first[fb]
            phi[a, b] = phi[b, a] = sigma[i, j] / (li * lj)
    cross = lam @ phi  # Cov(items, latents)
    weights = np.linalg.solve(sigma, cross)  # S^-1 L Phi
    mean = z @ weights
    cov = phi - cross.T @ weights
    structural = {(r.lhs, r.rhs): float(r.modifier.fixed[0]) for r in rows if r.op == "~"}
    return factors, mean, cov, structural


def moderator_answers(items, population: str, seed: int, n: int):
    """SWC1-SWC3 for the respondents of ``items`` (see the population file for the model).

    The continuous item scores behind ``items`` are drawn again exactly as
    :func:`loyaltysem.semcore.resample.simulate.simulate` drew them; the latent scores given those
    scores, the
    moderator and its answers come from a separate stream (``MODERATOR_STREAM``), so the other
    columns do not change. Straight-liners give the same answer to SWC1-SWC3; about 3% of
    respondents leave one SWC answer out (MCAR).
    """
    import numpy as np
    import pandas as pd

    from loyaltysem.semcore.resample.simulate import (
        DEFAULT_CATEGORY_PROBS_7,
        likert_thresholds,
        population_moments,
    )

    names, sigma, r2 = population_moments(population)
    z = np.random.default_rng(seed).multivariate_normal(
        np.zeros(len(names)), sigma, size=n, method="cholesky"
    )
    codes = np.searchsorted(likert_thresholds(DEFAULT_CATEGORY_PROBS_7), z) + 1.0
    kept = items[names].to_numpy(dtype=float)
    straight = items[names].nunique(axis=1).eq(1).to_numpy() & ~np.isnan(kept).any(axis=1)
    check = ~np.isnan(kept) & ~straight[:, None]
    check[:, [names.index(c) for c in ("DES4", "LOY4") if c in names]] = False
    if not np.array_equal(codes[check], kept[check]):
        raise RuntimeError("the example's item scores are not the ones simulate() drew")
    spec = moderator_population()
    factors, mean, cov, structural = _latent_given_items(z, population, names, sigma)
    rng = np.random.default_rng([seed, MODERATOR_STREAM])
    eta = mean + rng.standard_normal((n, len(factors))) @ np.linalg.cholesky(cov).T
    y, x = spec["y"], spec["x"]
    zeta = eta[:, factors.index(y)].copy()
    for (lhs, rhs), value in structural.items():
        if lhs == y:
            zeta -= value * eta[:, factors.index(rhs)]
    sd_zeta = np.sqrt(1.0 - r2[y])
    rho = np.clip((spec["b"] + spec["g"] * eta[:, factors.index(x)]) / sd_zeta, -0.98, 0.98)
    swc = rho * zeta / sd_zeta + np.sqrt(1 - rho**2) * rng.standard_normal(n)
    lam = np.array(list(spec["loadings"].values()))
    scores = swc[:, None] * lam + rng.standard_normal((n, len(lam))) * np.sqrt(1 - lam**2)
    answers = np.searchsorted(likert_thresholds(spec["probs"]), scores) + 1.0
    answers[straight] = kept[straight, :1]
    drop = (rng.random(n) < 0.03) & ~straight
    which = rng.integers(0, len(lam), n)
    answers[np.where(drop)[0], which[drop]] = np.nan
    return pd.DataFrame(answers, columns=list(spec["loadings"]), index=items.index)


def write_example_data(out_dir=None, seed: int = EXAMPLE_SEED, n: int = EXAMPLE_N) -> dict:
    """Write the example as CSV and as SPSS .sav (variable and value labels) plus a codebook."""
    from pathlib import Path

    import pyreadstat

    from loyaltysem.base.fileio import atomic_file, atomic_write_text
    from loyaltysem.survey.instrument import read_instrument

    paths = example_paths()
    out = Path(out_dir) if out_dir else paths["data_csv"].parent
    inst = read_instrument(paths["model"])
    df = make_example_data(seed, n)
    with atomic_file(out / "online_loyalty.csv") as tmp:
        df.to_csv(tmp, index=False, float_format="%g", lineterminator="\n")
    mod_items = [it for m in inst.moderators for it in m.items]
    labels = {it.code: it.text.get("en", it.code) for it in inst.items + mod_items}
    labels.update({d.code: d.name["en"] for d in inst.demographics})
    labels.update({"id": "Respondent ID", "duration_sec": "Completion time (seconds)"})
    scale = {v: t["en"] for v, t in inst.scale_labels.items()}
    value_labels = {code: scale for code in inst.item_codes + [it.code for it in mod_items]}
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
    for m in inst.moderators:
        for it in m.items:
            en, zh = it.text.get("en", ""), it.text.get("zh", "")
            lines.append(
                f"| {it.code} | {m.code} (moderator) | {en} | {zh} | {lo}-{hi} agreement |"
            )
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
    lines += _moderator_codebook(inst)
    return "\n".join(lines) + "\n"


def _moderator_codebook(inst) -> list[str]:
    if not inst.moderators:
        return []
    spec = moderator_population()
    f, x, y, g = spec["factor"], spec["x"], spec["y"], spec["g"]
    loadings = ", ".join(f"{v:.2f}" for v in spec["loadings"].values())
    return [
        "",
        f"Moderator: {f} (switching cost, {', '.join(spec['loadings'])}), made from",
        "`models/online_loyalty_moderator_population.lav` after the other columns and from its",
        "own random stream, so those columns are the same with or without it. Population:",
        f"{f} is standard normal, independent of {x}, with standardized loadings {loadings};",
        f"E({y} | ...) = ... + {spec['b']:.2f} {f} {'-' if g < 0 else '+'} {abs(g):.2f} {x} x {f}",
        f"(standardized): the simple slope of {x} on {y} changes by {g:+.2f} per SD of {f}",
        "(hypothesis H15 of `models/online_loyalty.toml`). About 3% of respondents leave one",
        f"{f} answer out; the straight-liners give their one answer here too.",
    ]


if __name__ == "__main__":
    print(write_example_data())
