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

from loyaltysem.analyses.interactions import interaction_lines
from loyaltysem.base import plotting

__all__ = ["interaction_lines", "interaction_plot"]

WIDTH_IN = 15 / 2.54 * 0.62  # about 9.3 cm: fits beside text or two to a row


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

    if len(legend_labels) != len(at_sd):
        raise ValueError("legend_labels needs one label per moderator value")
    lines = interaction_lines(result, y, x, z, at_sd=at_sd, group=group)
    texts = [x_label, y_label, legend_title, title, *legend_labels, *x_tick_labels]
    family = _cjk_family() if _needs_cjk(texts) else ["DejaVu Sans"]
    with matplotlib.rc_context(
        {"font.family": family, "font.size": 9, "axes.unicode_minus": False}
    ):
        fig = plotting.interaction_figure(
            lines, x_label=x_label, y_label=y_label, legend_labels=legend_labels,
            legend_title=legend_title, x_tick_labels=x_tick_labels, title=title, width=WIDTH_IN,
        )  # fmt: skip
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            plotting.savefig(fig, path, dpi=dpi, bbox_inches="tight", pad_inches=0.05)
    return path
