"""Figures: the structural model as a path diagram, and the correlation heatmap.

The path diagram is laid out in layers by the structural model's order (antecedents left,
outcomes right), with standardized coefficients and significance stars on the arrows,
non-significant paths dashed and R² inside the endogenous constructs.
"""

from __future__ import annotations

import textwrap
import warnings
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib import font_manager  # noqa: E402
from matplotlib.patches import Ellipse, FancyArrowPatch  # noqa: E402

from .format import num, stars  # noqa: E402

_CJK_FONTS = (
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "WenQuanYi Micro Hei",
    "SimHei",
    "Microsoft YaHei",
    "PingFang SC",
    "Heiti SC",
    "AR PL UMing CN",
)


def cjk_font() -> str | None:
    """A font with Chinese glyphs known to matplotlib, or None."""
    available = {f.name for f in font_manager.fontManager.ttflist}
    for name in _CJK_FONTS:
        if name in available:
            return name
    return None


def _layers(paths: pd.DataFrame, nodes: list[str]) -> dict[str, int]:
    layer = {n: 0 for n in nodes}
    for _ in range(len(nodes)):
        for lhs, rhs in zip(paths["lhs"], paths["rhs"], strict=True):
            layer[lhs] = max(layer[lhs], layer[rhs] + 1)
    return layer


def path_diagram(
    estimates: pd.DataFrame,
    r2: pd.Series,
    path: str | Path,
    *,
    labels=None,
    lang: str = "en",
    group: int = 1,
) -> list[str]:
    """Draw the structural model; returns the warnings (e.g. no CJK font)."""
    warns = []
    if lang == "zh" and cjk_font() is None:
        warns.append(
            "no font with Chinese glyphs is installed: the path diagram uses the "
            "construct codes (install fonts-noto-cjk for Chinese labels)"
        )
        labels = None
    est = estimates[estimates["group"].isin([group, 0])]
    paths = est[est["op"] == "~"]
    latent = list(dict.fromkeys(est.loc[est["op"] == "=~", "lhs"]))
    nodes = [n for n in latent if n in set(paths["lhs"]) | set(paths["rhs"])] or latent
    for n in list(paths["lhs"]) + list(paths["rhs"]):
        if n not in nodes:
            nodes.append(n)
    layer = _layers(paths, nodes)
    n_layers = max(layer.values()) + 1
    by_layer = {k: [n for n in nodes if layer[n] == k] for k in range(n_layers)}
    tallest = max(len(v) for v in by_layer.values())
    width, height = 3.2 * n_layers + 1, max(4.0, 1.1 * tallest + 1)
    pos = {}
    for k, members in by_layer.items():
        ys = np.linspace(height - 0.8, 0.8, len(members)) if len(members) > 1 else [height / 2]
        for n, y in zip(members, ys, strict=True):
            pos[n] = (1.2 + 3.2 * k, y)
    font = {"family": cjk_font()} if (lang == "zh" and cjk_font()) else {}
    fig, ax = plt.subplots(figsize=(width, height))
    ax.set_xlim(0, width)
    ax.set_ylim(0, height)
    ax.axis("off")
    rx, ry = 1.05, 0.4
    for n, (x, y) in pos.items():
        ax.add_patch(Ellipse((x, y), 2 * rx, 2 * ry, fill=False, lw=1.2))
        name = textwrap.fill(labels(n) if labels else n, 16 if lang == "en" else 8)
        text = name if n not in r2.index else f"{name}\nR² = {num(r2[n], 2, False)}"
        ax.text(x, y, text, ha="center", va="center", fontsize=9, **font)
    for _, r in paths.iterrows():
        (x0, y0), (x1, y1) = pos[r["rhs"]], pos[r["lhs"]]
        sig = r["pvalue"] < 0.05
        skip = layer[r["lhs"]] - layer[r["rhs"]] > 1
        if skip and y0 >= height / 2:  # over an intermediate layer: arc above the nodes
            start, end, rad = (x0, y0 + ry), (x1, y1 + ry), -0.35
        elif skip:  # from the lower half: arc below
            start, end, rad = (x0, y0 - ry), (x1, y1 - ry), 0.35
        else:
            start, end, rad = (x0 + rx, y0), (x1 - rx, y1), 0.0
        arrow = FancyArrowPatch(
            start,
            end,
            arrowstyle="-|>",
            mutation_scale=12,
            lw=1.1,
            color="black",
            linestyle="-" if sig else "--",
            connectionstyle=f"arc3,rad={rad}",
        )
        ax.add_patch(arrow)
        if skip:
            mx, my = (start[0] + end[0]) / 2, (start[1] + end[1]) / 2
            dx, dy = end[0] - start[0], end[1] - start[1]
            lx, ly = mx + 0.5 * rad * dy, my - 0.5 * rad * dx  # apex of the arc3 Bezier
        else:
            t = 0.28  # near the source: labels of converging arrows stay apart
            lx, ly = start[0] + t * (end[0] - start[0]), start[1] + t * (end[1] - start[1])
        ax.text(
            lx,
            ly,
            num(r["std.all"], 2, False) + stars(r["pvalue"]),
            fontsize=8,
            ha="center",
            va="center",
            bbox={"boxstyle": "round,pad=0.1", "fc": "white", "ec": "none", "alpha": 0.9},
        )
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fig.savefig(path, dpi=200, bbox_inches="tight")
    plt.close(fig)
    return warns


def scree_plot(
    observed: np.ndarray, simulated: np.ndarray, path: str | Path, lang: str = "en"
) -> None:
    """Observed eigenvalues beside those of random data (parallel analysis)."""
    fig, ax = plt.subplots(figsize=(6, 4))
    k = np.arange(1, len(observed) + 1)
    ax.plot(k, observed, "o-", label="observed" if lang == "en" or not cjk_font() else "实际数据")
    ax.plot(k, simulated, "x--", label="random (parallel analysis)")
    ax.axhline(1.0, color="grey", lw=0.8)
    ax.set_xlabel("component")
    ax.set_ylabel("eigenvalue")
    ax.legend()
    fig.savefig(path, dpi=150, bbox_inches="tight")
    plt.close(fig)


def power_curves(
    table: pd.DataFrame, path: str | Path, *, target: float = 0.80, labels=None, lang: str = "en"
) -> None:
    """Power against N for every path and indirect effect (one line each), the target dashed."""
    params = list(dict.fromkeys(table["parameter"]))
    fig, axes = plt.subplots(1, 2, figsize=(11, 4.5), sharey=True)
    titles = {
        "path": {"en": "Structural paths", "zh": "结构路径"},
        "indirect": {"en": "Indirect effects", "zh": "间接效应"},
    }
    font = {"family": cjk_font()} if (lang == "zh" and cjk_font()) else {}
    use_lang = lang if (lang == "en" or cjk_font()) else "en"
    for ax, kind in zip(axes, ("path", "indirect"), strict=True):
        sub = table[table["kind"] == kind]
        for p in params:
            rows = sub[sub["parameter"] == p].sort_values("n")
            if len(rows):
                name = labels(p) if labels else p
                ax.plot(rows["n"], rows["power"], marker="o", lw=1, label=name)
        ax.axhline(target, color="grey", ls="--", lw=0.8)
        ax.set_title(titles[kind][use_lang], **font)
        ax.set_xlabel("N" if use_lang == "en" else "样本量", **font)
        ax.set_ylim(0, 1.02)
        if len(sub) and sub["parameter"].nunique() <= 16:
            ax.legend(fontsize=6, ncol=2)
    axes[0].set_ylabel("power" if use_lang == "en" else "统计检验力", **font)
    fig.tight_layout()
    fig.savefig(path, dpi=150)
    plt.close(fig)


def correlation_heatmap(
    matrix: pd.DataFrame, path: str | Path, *, labels=None, lang: str = "en"
) -> None:
    """Lower-triangular heatmap of construct correlations (values printed in the cells)."""
    use_labels = labels if (lang == "en" or cjk_font()) else None
    names = [use_labels(c) if use_labels else c for c in matrix.index]
    m = matrix.to_numpy(dtype=float)
    masked = np.where(np.tril(np.ones_like(m, dtype=bool)), m, np.nan)
    k = len(names)
    fig, ax = plt.subplots(figsize=(1.0 + 0.55 * k, 0.8 + 0.5 * k))
    im = ax.imshow(masked, cmap="RdBu_r", vmin=-1, vmax=1)
    font = {"family": cjk_font()} if (lang == "zh" and cjk_font()) else {}
    ax.set_xticks(range(k), [str(i + 1) for i in range(k)], fontsize=8)
    ax.set_yticks(range(k), [f"{i + 1}. {n}" for i, n in enumerate(names)], fontsize=8, **font)
    for i in range(k):
        for j in range(i + 1):
            ax.text(
                j,
                i,
                num(m[i, j], 2, False),
                ha="center",
                va="center",
                fontsize=6.5,
                color="white" if abs(m[i, j]) > 0.6 else "black",
            )
    fig.colorbar(im, ax=ax, shrink=0.7)
    ax.spines[:].set_visible(False)
    fig.tight_layout()
    fig.savefig(path, dpi=150)
    plt.close(fig)
