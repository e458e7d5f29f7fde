"""Figures: the research model, the estimated path diagram, the scree plot, the correlation
heatmap and power curves.

Chinese text uses Noto Sans SC from the ``pylopdf-fonts-zh-cn`` package (SIL Open Font
License), registered with matplotlib's font manager when a figure is drawn, so Chinese figures
render on any machine without a system CJK font. Figures are drawn at the size they are
printed (15 cm wide, A4 text width) so their 8-9 pt labels stay 8-9 pt on the page.
"""

from __future__ import annotations

import json
import textwrap
import unicodedata
import warnings
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib import font_manager  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402
from matplotlib.patches import Ellipse, FancyArrowPatch, Rectangle  # noqa: E402

from loyaltysem.report.format import bounded, stars  # noqa: E402
from loyaltysem.report.i18n import t  # noqa: E402

WIDTH_IN = 15 / 2.54  # printed width in the Word/HTML/LaTeX report
LABEL_PT, NODE_PT = 8.5, 9.0
_REGISTERED: list[str] = []


def register_cjk_fonts() -> list[str]:
    """Add the packaged Noto Sans SC / Noto Serif SC to matplotlib (once); their names."""
    if _REGISTERED:
        return _REGISTERED
    try:
        import pylopdf_fonts_zh_cn as fonts
    except ImportError:  # pragma: no cover - a declared dependency
        return []
    for path in (fonts.sans_path(), fonts.serif_path()):
        if Path(path).exists():
            font_manager.fontManager.addfont(str(path))
            _REGISTERED.append(font_manager.FontProperties(fname=str(path)).get_name())
    return _REGISTERED


def cjk_font() -> str | None:
    """The sans-serif font with Chinese glyphs used for figures (Noto Sans SC)."""
    names = register_cjk_fonts()
    return names[0] if names else None


def _style(lang: str) -> dict:
    family = [cjk_font() or "DejaVu Sans", "DejaVu Sans"] if lang == "zh" else ["DejaVu Sans"]
    return {"font.family": family, "font.size": NODE_PT, "axes.unicode_minus": lang != "zh"}


def _save(fig, path: str | Path, dpi: int = 200, metadata: dict | None = None,
          tight: bool = False) -> None:  # fmt: skip
    """Write the figure; ``tight``: crop to what is drawn (long tick labels stay whole)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    extra = {"bbox_inches": "tight", "pad_inches": 0.05} if tight else {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fig.savefig(path, dpi=dpi, metadata=metadata, **extra)
    plt.close(fig)


# --------------------------------------------------------------------------- model layout
def _layers(paths: pd.DataFrame, nodes: list[str]) -> dict[str, int]:
    layer = {n: 0 for n in nodes}
    for _ in range(len(nodes)):
        for lhs, rhs in zip(paths["lhs"], paths["rhs"], strict=True):
            layer[lhs] = max(layer[lhs], layer[rhs] + 1)
    return layer


def _wrap(text: str, lang: str) -> str:
    wide = any(unicodedata.east_asian_width(c) in ("W", "F") for c in text)
    if wide:
        return "\n".join(text[i : i + 6] for i in range(0, len(text), 6))
    return textwrap.fill(text, 13, break_long_words=False, break_on_hyphens=False)


def _layout(estimates: pd.DataFrame, group: int = 1):
    """Nodes, layers, edges and positions (inches) of the structural model."""
    est = estimates[estimates["group"].isin([group, 0])]
    paths = est[est["op"] == "~"].reset_index(drop=True)
    latent = list(dict.fromkeys(est.loc[est["op"] == "=~", "lhs"]))
    nodes = [n for n in latent if n in set(paths["lhs"]) | set(paths["rhs"])] or latent
    for n in list(paths["rhs"]) + list(paths["lhs"]):
        if n not in nodes:
            nodes.append(n)
    layer = _layers(paths, nodes)
    n_layers = max(layer.values()) + 1
    by_layer = {k: [n for n in nodes if layer[n] == k] for k in range(n_layers)}
    # sources with an arrow that skips a layer go to the top, out of the way of the others
    skips = {r["rhs"] for _, r in paths.iterrows() if layer[r["lhs"]] - layer[r["rhs"]] > 1}
    by_layer[0] = [n for n in by_layer[0] if n in skips] + [
        n for n in by_layer[0] if n not in skips
    ]
    tallest = max(len(v) for v in by_layer.values())
    step = 0.66
    height = max(3.2, step * tallest + 0.9)
    weights = [1.0 + 0.12 * sum(1 for _, r in paths.iterrows() if layer[r["rhs"]] == k)
               for k in range(n_layers - 1)]  # fmt: skip
    box_w = 1.05
    span = WIDTH_IN - box_w - 0.1
    xs = [0.05 + box_w / 2]
    for w in weights:
        xs.append(xs[-1] + span * w / sum(weights) if weights else xs[-1])
    pos = {}
    mid = height / 2 + 0.2
    for k, members in by_layer.items():
        if len(members) == 1 and k > 0:  # a lone node sits at the mean of its sources
            srcs = [pos[r["rhs"]][1] for _, r in paths.iterrows()
                    if r["lhs"] == members[0] and r["rhs"] in pos]  # fmt: skip
            ys = [float(np.mean(srcs)) if srcs else mid]
        elif len(members) == 1:
            ys = [mid]
        else:
            ys = list(np.linspace(mid + step * (len(members) - 1) / 2,
                                  mid - step * (len(members) - 1) / 2, len(members)))  # fmt: skip
        for n, y in zip(members, ys, strict=True):
            pos[n] = (xs[k], y)
    return nodes, latent, layer, paths, pos, height, box_w


def _edge_point(x0, y0, x1, y1, hw, hh, rect):
    """Where the line from the node centre (x0, y0) towards (x1, y1) leaves the node."""
    dx, dy = x1 - x0, y1 - y0
    if rect:
        s = min(hw / abs(dx) if dx else np.inf, hh / abs(dy) if dy else np.inf)
    else:
        s = 1 / np.sqrt((dx / hw) ** 2 + (dy / hh) ** 2)
    return x0 + s * dx, y0 + s * dy


def _draw_nodes(ax, pos, latent, labels, r2, lang, box_w, box_h):
    for n, (x, y) in pos.items():
        rect = n not in latent
        if rect:
            ax.add_patch(Rectangle((x - box_w / 2, y - box_h / 2), box_w, box_h, fill=False,
                                   lw=1.0))  # fmt: skip
        else:
            ax.add_patch(Ellipse((x, y), box_w, box_h, fill=False, lw=1.0))
        name = _wrap(labels(n) if labels else n, lang)
        if r2 is not None and n in r2.index:
            name += f"\nR² = {bounded(r2[n], lang, 2)}"
        ax.text(x, y, name, ha="center", va="center", fontsize=NODE_PT, linespacing=1.05)


def _draw_edges(ax, paths, pos, latent, layer, box_w, box_h, label_of, dashed_of):
    hw, hh = box_w / 2, box_h / 2
    for _, r in paths.iterrows():
        (x0, y0), (x1, y1) = pos[r["rhs"]], pos[r["lhs"]]
        start = _edge_point(x0, y0, x1, y1, hw, hh, r["rhs"] not in latent)
        end = _edge_point(x1, y1, x0, y0, hw, hh, r["lhs"] not in latent)
        rad = 0.0
        between = [n for n, (x, y) in pos.items() if start[0] + 0.1 < x < end[0] - 0.1
                   and abs(y - (start[1] + (end[1] - start[1]) * (x - start[0])
                                / (end[0] - start[0]))) < hh + 0.05]  # fmt: skip
        if between:
            rad = -0.25 if y0 >= pos[between[0]][1] else 0.25
        ax.add_patch(FancyArrowPatch(
            start, end, arrowstyle="-|>", mutation_scale=9, lw=0.9, color="black",
            linestyle="--" if dashed_of(r) else "-", connectionstyle=f"arc3,rad={rad}",
            shrinkA=0, shrinkB=0,
        ))  # fmt: skip
        fan_in = (paths["lhs"] == r["lhs"]).sum()
        skip = layer[r["lhs"]] - layer[r["rhs"]] > 1
        tpos = 0.62 if skip and fan_in <= 3 else (0.35 if fan_in > 3 else 0.5)
        lx = start[0] + tpos * (end[0] - start[0])
        ly = start[1] + tpos * (end[1] - start[1])
        if rad:
            dx, dy = end[0] - start[0], end[1] - start[1]
            lx, ly = lx + rad * dy * 2 * tpos * (1 - tpos), ly - rad * dx * 2 * tpos * (1 - tpos)
        ax.text(lx, ly, label_of(r), fontsize=LABEL_PT, ha="center", va="center", zorder=5,
                bbox={"boxstyle": "square,pad=0.12", "fc": "white", "ec": "none"})  # fmt: skip


def _moderator_places(pos, moderators, box_w, box_h) -> list[tuple]:
    """(code, (x, y) of its node, (x, y) of the point it points at on the moderated arrow,
    label) for each moderator: below that point, or above it when a construct sits there."""
    out = []
    for z, y, x, label in moderators:
        if x not in pos or y not in pos:
            continue
        # 40% along the arrow: left of its label (drawn at 50-62%)
        mx = pos[x][0] + 0.4 * (pos[y][0] - pos[x][0])
        my = pos[x][1] + 0.4 * (pos[y][1] - pos[x][1])
        taken = list(pos.values()) + [p[1] for p in out]
        spots = [(mx, my + dy) for dy in (-1.0, -1.4, 1.0, 1.4, -1.9, 1.9)]
        free = [
            sp
            for sp in spots
            if not any(
                abs(px - sp[0]) < box_w and abs(py - sp[1]) < 1.5 * box_h for px, py in taken
            )
        ]
        out.append((z, (free or spots)[0], (mx, my), label))
    return out


def _draw_moderators(ax, places, labels, lang, box_w, box_h) -> None:
    for z, (x, y), (mx, my), label in places:
        ax.add_patch(Ellipse((x, y), box_w, box_h, fill=False, lw=1.0))
        ax.text(x, y, _wrap(labels(z) if labels else z, lang), ha="center", va="center",
                fontsize=NODE_PT, linespacing=1.05)  # fmt: skip
        start = (x, y + box_h / 2) if my > y else (x, y - box_h / 2)
        ax.add_patch(FancyArrowPatch(start, (mx, my), arrowstyle="-|>", mutation_scale=9,
                                     lw=0.9, color="black", shrinkA=0, shrinkB=0))  # fmt: skip
        ax.text(x + 0.08, (start[1] + my) / 2, label, fontsize=LABEL_PT, ha="left",
                va="center", zorder=5)  # fmt: skip


def _model_figure(estimates, path, labels, lang, r2, label_of, dashed_of, legend,
                  moderators=()) -> list[str]:  # fmt: skip
    nodes, latent, layer, paths, pos, height, box_w = _layout(estimates)
    box_h = 0.5 if r2 is None else 0.56
    places = _moderator_places(pos, moderators, box_w, box_h)
    ys = [y for _, y in pos.values()] + [p[1][1] for p in places]
    top, bottom = max(ys) + box_h / 2 + 0.1, min(ys) - box_h / 2 - 0.55
    with plt.rc_context(_style(lang)):
        fig = plt.figure(figsize=(WIDTH_IN, top - bottom))
        ax = fig.add_axes([0, 0, 1, 1])
        ax.set_xlim(0, WIDTH_IN)
        ax.set_ylim(bottom, top)
        ax.axis("off")
        _draw_nodes(ax, pos, latent, labels, r2, lang, box_w, box_h)
        _draw_edges(ax, paths, pos, latent, layer, box_w, box_h, label_of, dashed_of)
        _draw_moderators(ax, places, labels, lang, box_w, box_h)
        ax.legend(handles=legend, loc="lower center", bbox_to_anchor=(0.5, 0.0), ncol=3,
                  fontsize=LABEL_PT, frameon=False, handlelength=2.5)  # fmt: skip
        _save(fig, path)
    return []


def path_diagram(estimates, r2, path, *, labels=None, lang: str = "en", group: int = 1):
    """The estimated structural model: standardized coefficients with stars on their arrows,
    non-significant paths dashed, R² in the endogenous constructs, observed variables as
    rectangles, latent ones as ellipses, and a legend."""
    legend = [
        Line2D([], [], color="black", lw=0.9, label=t("fig.legend_sig", lang)),
        Line2D([], [], color="black", lw=0.9, ls="--", label=t("fig.legend_ns", lang)),
        Line2D([], [], color="none", label=t("fig.legend_stars", lang)),
    ]
    return _model_figure(
        estimates, path, labels, lang, r2,
        lambda r: bounded(r["std.all"], lang, 2).replace("-", "\u2212") + stars(r["pvalue"]),
        lambda r: not (r["pvalue"] < 0.05), legend,
    )  # fmt: skip


def research_model(estimates, hypotheses: dict, path, *, labels=None, lang: str = "en",
                   moderators=()):  # fmt: skip
    """The hypothesized model: every structural path with its hypothesis label (H1 ...);
    ``moderators`` (code, y, x, label): a moderator of the path x -> y drawn with an arrow
    to the middle of that path."""
    legend = [Line2D([], [], color="black", lw=0.9, label=t("fig.legend_hyp", lang))]
    return _model_figure(
        estimates, path, labels, lang, None,
        lambda r: hypotheses.get((r["lhs"], r["rhs"]), ""), lambda r: False, legend,
        moderators,
    )  # fmt: skip


# --------------------------------------------------------------------------- other figures
def scree_plot(
    observed: np.ndarray,
    threshold: np.ndarray,
    retained: int,
    path: str | Path,
    lang: str = "en",
    *,
    quantile: float = 0.95,
) -> dict:
    """The scree plot parallel analysis decides on: the observed factor eigenvalues (those
    :func:`~loyaltysem.psychometrics.efa.parallel_analysis` counts, psych's ``fa.parallel``
    "FA" line), the ``quantile`` of the resampled data's eigenvalues they are compared with,
    and the ``retained`` count marked (the leading eigenvalues above the resampled curve,
    filled; a dotted line after the last one). The data drawn are returned and stored in the
    PNG's "Description" text chunk as JSON (so a reader can check the figure against the
    text).

    Example:
        >>> obs, q95 = np.array([3.1, 1.4, .3]), np.array([.5, .3, .2])
        >>> scree_plot(obs, q95, 2, "scree.png")["retained"]  # doctest: +SKIP
        2
    """
    observed, threshold = np.asarray(observed, float), np.asarray(threshold, float)
    k = np.arange(1, len(observed) + 1)
    kept = k <= retained
    with plt.rc_context(_style(lang)):
        fig, ax = plt.subplots(figsize=(WIDTH_IN * 0.8, 3.2))
        ax.plot(k, observed, "-", lw=1, color="black", zorder=2)
        ax.plot(k[kept], observed[kept], "o", ms=4, color="black", zorder=3,
                label=t("fig.observed_factors", lang))  # fmt: skip
        ax.plot(k[~kept], observed[~kept], "o", ms=4, mfc="white", color="black", zorder=3,
                label=t("fig.observed_rest", lang))  # fmt: skip
        ax.plot(k, threshold, "--", lw=1, color="grey", zorder=1,
                label=t("fig.resampled", lang, q=f"{100 * quantile:g}"))  # fmt: skip
        if 0 < retained < len(k):
            ax.axvline(retained + 0.5, color="grey", lw=0.7, ls=":")
        ax.annotate(t("fig.retained", lang, k=retained), xy=(retained + 0.5, 0.97),
                    xycoords=("data", "axes fraction"), ha="left", va="top", fontsize=8,
                    xytext=(3, 0), textcoords="offset points")  # fmt: skip
        ax.set_xlabel(t("fig.factor", lang))
        ax.set_ylabel(t("fig.eigenvalue_factor", lang))
        ax.legend(frameon=False, loc="upper right", bbox_to_anchor=(1, 0.88))
        fig.tight_layout()
        data = {"retained": int(retained), "observed": observed.round(6).tolist(),
                "threshold": threshold.round(6).tolist(), "quantile": float(quantile)}  # fmt: skip
        _save(fig, path, metadata={"Description": json.dumps(data)})
    return data


def power_curves(
    table: pd.DataFrame, path: str | Path, *, target: float = 0.80, labels=None, lang: str = "en"
) -> None:
    """Power against N for every path and indirect effect (one line each), the target dashed."""
    params = list(dict.fromkeys(table["parameter"]))
    with plt.rc_context(_style(lang)):
        fig, axes = plt.subplots(1, 2, figsize=(11, 4.5), sharey=True)
        for ax, kind in zip(axes, ("path", "indirect"), strict=True):
            sub = table[table["kind"] == kind]
            for p in params:
                rows = sub[sub["parameter"] == p].sort_values("n")
                if len(rows):
                    name = labels(p) if labels else p
                    ax.plot(rows["n"], rows["power"], marker="o", lw=1, label=name)
            ax.axhline(target, color="grey", ls="--", lw=0.8)
            ax.set_title(t("fig.paths" if kind == "path" else "fig.indirect", lang))
            ax.set_xlabel(t("fig.sample_size", lang))
            ax.set_ylim(0, 1.02)
            if len(sub) and sub["parameter"].nunique() <= 16:
                ax.legend(fontsize=6, ncol=2)
        axes[0].set_ylabel(t("fig.power", lang))
        fig.tight_layout()
        _save(fig, path, dpi=150)


def correlation_heatmap(
    matrix: pd.DataFrame, path: str | Path, *, labels=None, lang: str = "en"
) -> None:
    """Lower-triangular heatmap of construct correlations (values printed in the cells)."""
    names = [labels(c) if labels else c for c in matrix.index]
    m = matrix.to_numpy(dtype=float)
    masked = np.where(np.tril(np.ones_like(m, dtype=bool)), m, np.nan)
    k = len(names)
    with plt.rc_context(_style(lang)):
        fig, ax = plt.subplots(figsize=(min(WIDTH_IN, 1.6 + 0.42 * k), 0.8 + 0.38 * k))
        im = ax.imshow(masked, cmap="RdBu_r", vmin=-1, vmax=1)
        ax.set_xticks(range(k), [str(i + 1) for i in range(k)], fontsize=8)
        ax.set_yticks(range(k), [f"{i + 1}. {n}" for i, n in enumerate(names)], fontsize=8)
        for i in range(k):
            for j in range(i + 1):
                ax.text(j, i, bounded(m[i, j], lang, 2), ha="center", va="center", fontsize=6.5,
                        color="white" if abs(m[i, j]) > 0.6 else "black")  # fmt: skip
        fig.colorbar(im, ax=ax, shrink=0.7)
        ax.spines[:].set_visible(False)
        fig.tight_layout()
        _save(fig, path, dpi=150, tight=True)
