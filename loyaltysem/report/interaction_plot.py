"""The interaction plot: predicted Y against X at low, mean and high values of the moderator
(Aiken & West 1991, ch. 2): one line per moderator value, Y_hat = b0 + b1 x + b2 w + b3 x w
with x and w as deviations from their means (latent variables: mean 0) and b0 the
intercept of Y when the model has a mean structure (else 0). All labels come from the
caller, so the report can pass Chinese text; a font with Chinese glyphs (Noto Sans SC from
``pylopdf-fonts-zh-cn``) is used when a label needs one.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import pandas as pd

from loyaltysem.analyses.interactions import _coef, moderator_sd

WIDTH_IN = 15 / 2.54 * 0.62  # about 9.3 cm: fits beside text or two to a row


def interaction_lines(
    result, y: str, x: str, z: str, *, at_sd=(-1.0, 0.0, 1.0), x_sd: float = 1.0, group: int = 1
) -> pd.DataFrame:
    """Predicted values of Y at X = -x_sd..+x_sd SD for each moderator value (long format:
    z_sd, x_sd, x_value, w_value, y_hat)."""
    b1, _ = _coef(result, y, "~", x, group)
    b2, _ = _coef(result, y, "~", z, group)
    b3, _ = _coef(result, y, "~", f"{x}:{z}", group)
    est = result.estimates
    b0 = est[(est["lhs"] == y) & (est["op"] == "~1") & (est["group"] == group)]["est"]
    b0 = float(b0.iloc[0]) if len(b0) else 0.0
    sx, sz = moderator_sd(result, x, group), moderator_sd(result, z, group)
    rows = []
    for k in at_sd:
        w = k * sz
        for j in (-x_sd, x_sd):
            xv = j * sx
            rows.append((k, j, xv, w, b0 + b1 * xv + b2 * w + b3 * xv * w))
    return pd.DataFrame(rows, columns=["z_sd", "x_sd", "x_value", "w_value", "y_hat"])


def _needs_cjk(texts) -> bool:
    return any(any(ord(ch) > 0x2E7F for ch in str(t)) for t in texts if t)


def _cjk_family() -> list[str]:
    from matplotlib import font_manager

    try:
        import pylopdf_fonts_zh_cn as fonts
    except ImportError:  # pragma: no cover - a declared dependency
        return ["DejaVu Sans"]
    names = []
    for p in (fonts.sans_path(),):
        if Path(p).exists():
            font_manager.fontManager.addfont(str(p))
            names.append(font_manager.FontProperties(fname=str(p)).get_name())
    return names + ["DejaVu Sans"]


def interaction_plot(
    result,
    y: str,
    x: str,
    z: str,
    path,
    *,
    x_label: str,
    y_label: str,
    legend_labels=("Low (-1 SD)", "Mean", "High (+1 SD)"),
    legend_title: str | None = None,
    x_tick_labels=("-1 SD", "+1 SD"),
    title: str | None = None,
    at_sd=(-1.0, 0.0, 1.0),
    group: int = 1,
    dpi: int = 200,
) -> Path:
    """Draw the interaction plot of ``y ~ x:z`` and save it to ``path`` (format from the
    suffix: .png, .svg, .pdf). Returns the path.

    Example:
        >>> interaction_plot(fit, "LOY", "SAT", "SWC", "fig.png",  # doctest: +SKIP
        ...     x_label="满意度", y_label="忠诚度",
        ...     legend_labels=("低转换成本", "平均", "高转换成本"), legend_title="转换成本")
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    if len(legend_labels) != len(at_sd):
        raise ValueError("legend_labels needs one label per moderator value")
    lines = interaction_lines(result, y, x, z, at_sd=at_sd, group=group)
    texts = [x_label, y_label, legend_title, title, *legend_labels, *x_tick_labels]
    family = _cjk_family() if _needs_cjk(texts) else ["DejaVu Sans"]
    styles = ["--", "-", ":"] if len(at_sd) == 3 else ["-"] * len(at_sd)
    markers = ["o", "s", "^"] if len(at_sd) == 3 else ["o"] * len(at_sd)
    with matplotlib.rc_context(
        {"font.family": family, "font.size": 9, "axes.unicode_minus": False}
    ):
        fig, ax = plt.subplots(figsize=(WIDTH_IN, WIDTH_IN * 0.95))
        for i, k in enumerate(at_sd):
            part = lines[lines["z_sd"] == k]
            ax.plot(
                part["x_sd"], part["y_hat"], styles[i], marker=markers[i], color="black",
                linewidth=1.2, markersize=4, label=legend_labels[i],
            )  # fmt: skip
        ax.set_xticks(sorted(lines["x_sd"].unique()), list(x_tick_labels))
        ax.set_xlim(-1.3, 1.3)
        ax.set_xlabel(x_label)
        ax.set_ylabel(y_label)
        if title:
            ax.set_title(title)
        ax.spines[["top", "right"]].set_visible(False)
        # below the axes, where no line runs (inside, it hides a slope's end point)
        ax.legend(title=legend_title, frameon=False, fontsize=8, title_fontsize=8,
                  loc="upper center", bbox_to_anchor=(0.5, -0.2), ncol=1)  # fmt: skip
        fig.tight_layout()
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            fig.savefig(path, dpi=dpi, bbox_inches="tight", pad_inches=0.05)
        plt.close(fig)
    return path
