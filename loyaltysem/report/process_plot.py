"""The simple-slopes figure of a PROCESS model (Hayes 2022, ch. 7): the predicted outcome of
the equation in which X is moderated, against X from its 16th to its 84th percentile, one
line per probed value of the moderator; every other predictor at its mean. Drawn with
matplotlib's object-oriented API (no pyplot state, the caller's backend untouched)."""

from __future__ import annotations

from pathlib import Path

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from loyaltysem.base import plotting
from loyaltysem.report.interaction_plot import WIDTH_IN, _cjk_family, _needs_cjk


def slope_lines(run) -> tuple[str, str, list[tuple[float, list[float], list[float]]]]:
    """(outcome, moderator, [(w, x values, predicted values)]) of the first moderated
    equation of ``run`` (a pipeline ProcessRun)."""
    ce = run.result.conditional_effects[0]
    y, x = ce["outcome"], ce["focal"]
    ((w, _),) = ce["w"].items()
    eq = next(o for o in run.result.outcomes if o["outcome"] == y)
    coef = {c["term"]: c["coeff"] for c in eq["coefficients"]}
    xs = run.quantiles.get(x) or [run.means[x] - 1.0, run.means[x] + 1.0]
    lines = []
    for wv in run.result.probes[w]:
        ys = []
        for xv in xs:
            at = dict(run.means) | {x: xv, w: wv}
            yhat = coef.get("constant", 0.0)
            for term, b in coef.items():
                if term == "constant":
                    continue
                value = 1.0
                for part in term.split("*"):
                    value *= at.get(part, 0.0)
                yhat += b * value
            ys.append(yhat)
        lines.append((float(wv), list(xs), ys))
    return y, w, lines


def process_plot(run, path, names: dict, lang: str, dpi: int = 200) -> Path:
    """Draw the simple slopes of ``run`` into ``path`` (format from the suffix)."""
    _, _, lines = slope_lines(run)
    labels = [f"{names['w']} = {w:.2f}" for w, _, _ in lines]
    texts = [names["x"], names["y"], *labels]
    family = _cjk_family() if _needs_cjk(texts) else ["DejaVu Sans"]
    fig = Figure(figsize=(WIDTH_IN, WIDTH_IN * 0.9))
    FigureCanvasAgg(fig)
    styles = ["--", "-", ":", "-."]
    with __import__("matplotlib").rc_context({"font.family": family, "font.size": 9}):
        ax = fig.add_subplot()
        for i, (_, xs, ys) in enumerate(lines):
            ax.plot(xs, ys, styles[i % 4], marker="o", color="black", linewidth=1.2,
                    markersize=4, label=labels[i])  # fmt: skip
        ax.set_xlabel(names["x"])
        ax.set_ylabel(names["y"])
        ax.spines[["top", "right"]].set_visible(False)
        ax.legend(frameon=False, fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.2))
        fig.tight_layout()
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        plotting.savefig(fig, path, dpi=dpi, bbox_inches="tight", pad_inches=0.05)
    return path
