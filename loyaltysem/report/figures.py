"""Figures: the research model, the estimated path diagram, the scree plot, the correlation
heatmap and power curves.

Chinese text uses Noto Sans SC from the ``pylopdf-fonts-zh-cn`` package (SIL Open Font
License), registered with matplotlib's font manager when a figure is drawn, so Chinese figures
render on any machine without a system CJK font. Figures are drawn at the size they are
printed (15 cm wide, A4 text width) so their 8-9 pt labels stay 8-9 pt on the page. Every
figure is a ``matplotlib.figure.Figure`` with its own canvas
(:mod:`loyaltysem.base.plotting`): writing a report never switches the session's matplotlib
backend.
"""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import matplotlib
import numpy as np
import pandas as pd
from matplotlib import font_manager

from loyaltysem.base import plotting
from loyaltysem.report.format import bounded, stars
from loyaltysem.report.i18n import t

WIDTH_IN = plotting.WIDTH_IN  # printed width in the Word/HTML/LaTeX report
LABEL_PT, NODE_PT = plotting.LABEL_PT, plotting.NODE_PT
_REGISTERED: list[str] = []
GREY = "0.5"  # the research model's arrows from a second-order construct to its dimensions


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
        plotting.savefig(fig, path, metadata=metadata, dpi=dpi, **extra)


def _model_figure(estimates, path, labels, lang, r2, label_of, dashed_of, legend,
                  moderators=(), hierarchy_color: str = "black") -> list[str]:  # fmt: skip
    r2_text = {}
    if r2 is not None:
        r2_text = {n: f"R² = {bounded(v, lang, 2)}" for n, v in r2.items() if isinstance(n, str)}
    with matplotlib.rc_context(_style(lang)):
        fig = plotting.path_figure(
            estimates, label_of=label_of, dashed_of=dashed_of, labels=labels,
            r2_text=r2_text, legend=legend, moderators=moderators,
            hierarchy_color=hierarchy_color,
        )  # fmt: skip
        for one in path if isinstance(path, (list, tuple)) else [path]:
            _save(fig, one)  # one drawing, saved in each format asked for
    return []


def path_diagram(estimates, r2, path, *, labels=None, lang: str = "en", group: int = 1):
    """The estimated structural model: standardized coefficients with stars on their arrows,
    non-significant paths dashed, R² in the endogenous constructs, observed variables as
    rectangles, latent ones as ellipses, and a legend. ``path``: a file, or a list of files
    (one drawing saved in each format)."""
    legend = [(t("fig.legend_sig", lang), "-"), (t("fig.legend_ns", lang), "--"),
              (t("fig.legend_stars", lang), "none")]  # fmt: skip
    return _model_figure(
        estimates, path, labels, lang, r2,
        lambda r: bounded(r["std.all"], lang, 2).replace("-", "\u2212") + stars(r["pvalue"]),
        plotting.not_significant, legend,
    )  # fmt: skip


def research_model(estimates, hypotheses: dict, path, *, labels=None, lang: str = "en",
                   moderators=()):  # fmt: skip
    """The hypothesized model: every structural path with its hypothesis label (H1 ...), a
    second-order construct's arrows to its first-order constructs in grey (not hypotheses);
    ``moderators`` (code, y, x, label): a moderator of the path x -> y drawn with an arrow
    to the middle of that path."""
    legend = [(t("fig.legend_hyp", lang), "-")]
    if plotting.hierarchy(estimates):  # second-order constructs: their dimensions in grey
        legend.append((t("ho.legend", lang), GREY))
    return _model_figure(
        estimates, path, labels, lang, None,
        lambda r: hypotheses.get((r["lhs"], r["rhs"]), ""), lambda r: False, legend,
        moderators, GREY,
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
    with matplotlib.rc_context(_style(lang)):
        fig = plotting.figure(WIDTH_IN * 0.8, 3.2)
        ax = fig.add_subplot()
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
    with matplotlib.rc_context(_style(lang)):
        fig = plotting.power_figure(
            table, target=target, labels=labels,
            titles=(t("fig.paths", lang), t("fig.indirect", lang)),
            xlabel=t("fig.sample_size", lang), ylabel=t("fig.power", lang),
        )  # fmt: skip
        _save(fig, path, dpi=150)


def correlation_heatmap(
    matrix: pd.DataFrame, path: str | Path, *, labels=None, lang: str = "en"
) -> None:
    """Lower-triangular heatmap of construct correlations (values printed in the cells)."""
    names = [labels(c) if labels else c for c in matrix.index]
    m = matrix.to_numpy(dtype=float)
    masked = np.where(np.tril(np.ones_like(m, dtype=bool)), m, np.nan)
    k = len(names)
    with matplotlib.rc_context(_style(lang)):
        fig = plotting.figure(min(WIDTH_IN, 1.6 + 0.42 * k), 0.8 + 0.38 * k)
        ax = fig.add_subplot()
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
