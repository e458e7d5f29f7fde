"""Figures without global matplotlib state: every figure is a ``matplotlib.figure.Figure``
with its own Agg canvas (object-oriented API: no pyplot, no ``matplotlib.use``), so drawing or
saving one never changes the backend of the user's session (a notebook's ``plt.show()``
keeps working). The report (:mod:`loyaltysem.report.figures`) and the results' ``plot()``
methods draw with these pieces (and import this module only when they draw).

* :func:`figure` / :func:`save`: a new figure, and writing one (PNG/SVG/PDF by suffix, whole
  or not at all);
* :func:`path_figure`: a path diagram (latent variables as ellipses, observed ones as
  rectangles, one labelled arrow per path, R² in the endogenous nodes);
* :func:`distribution_figure`: a bootstrap distribution with its estimate and interval;
* :func:`interaction_figure`: predicted Y at low/mean/high moderator values (Aiken & West
  1991);
* :func:`power_figure`: power against N per parameter.
"""

from __future__ import annotations

import io
import textwrap
import unicodedata
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

WIDTH_IN = 15 / 2.54  # printed width in the Word/HTML/LaTeX report (A4 text width)
LABEL_PT, NODE_PT = 8.5, 9.0


class PlotFigure(Figure):
    """``matplotlib.figure.Figure`` with ``_repr_png_``: Jupyter shows it when a cell returns
    it, also where pyplot was never imported (and so never registered its display hook)."""

    def _repr_png_(self) -> bytes:
        buf = io.BytesIO()
        self.savefig(buf, format="png", dpi=100, bbox_inches="tight")
        return buf.getvalue()


def figure(width: float, height: float):
    """A new ``matplotlib.figure.Figure`` of ``width`` x ``height`` inches with its own Agg
    canvas (shown in Jupyter when a cell returns it).

    Example:
        >>> from matplotlib.figure import Figure
        >>> fig = figure(4, 3)
        >>> isinstance(fig, Figure), type(fig.canvas).__name__
        (True, 'FigureCanvasAgg')
    """
    fig = PlotFigure(figsize=(width, height))
    FigureCanvasAgg(fig)
    return fig


#: what matplotlib would write that changes from one run to the next: the time in SVG, PDF
#: and PostScript files (``None`` leaves the entry out) and the random salt of SVG ids
_NO_DATES = {"svg": {"Date": None}, "pdf": {"CreationDate": None},
             "ps": {"CreationDate": None}, "eps": {"CreationDate": None}}  # fmt: skip
SVG_SALT = "loyaltysem"


def savefig(fig, target, fmt: str | None = None, metadata: dict | None = None, **kw) -> None:
    """``fig.savefig`` without time stamps and random ids, so the same figure gives the same
    bytes: no creation date in SVG, PDF and PS files, SVG ids from a fixed salt (matplotlib
    draws a random one per file otherwise). ``fmt``: the format (None: from the file's
    suffix, else PNG); ``metadata`` adds entries (e.g. a PNG "Description").

    Example:
        >>> buf = io.BytesIO()
        >>> savefig(figure(1, 1), buf, "svg")
        >>> b"<dc:date>" in buf.getvalue()
        False
    """
    import matplotlib

    if fmt is None:
        fmt = Path(str(target)).suffix.lstrip(".").lower() if isinstance(target, str | Path) else ""
    fmt = fmt or "png"
    meta = {**_NO_DATES.get(fmt, {}), **(metadata or {})}
    with matplotlib.rc_context({"svg.hashsalt": SVG_SALT}):
        fig.savefig(target, format=fmt, metadata=meta or None, **kw)


def save(fig, path: str | Path, dpi: int = 200, **kw) -> Path:
    """Write ``fig`` to ``path`` (format from the suffix), whole or not at all.

    Example:
        >>> save(figure(2, 2), "out/empty.png")  # doctest: +SKIP
    """
    from loyaltysem.base.fileio import atomic_file

    path = Path(path)
    with atomic_file(path) as tmp, warnings.catch_warnings():
        warnings.simplefilter("ignore")
        savefig(fig, tmp, path.suffix.lstrip(".").lower() or "png", dpi=dpi, **kw)
    return path


def stars(p) -> str:
    """'***', '**', '*' or '' for p < .001, .01, .05."""
    if p is None or not np.isfinite(p):
        return ""
    return "***" if p < 0.001 else "**" if p < 0.01 else "*" if p < 0.05 else ""


def not_significant(row) -> bool:
    """Is a path diagram's arrow dashed (not significant at .05)? A fixed parameter (no p,
    e.g. the marker loading of a higher-order factor) is not; a regression without a p is.

    Example:
        >>> not_significant({"op": "~", "pvalue": 0.2}), not_significant({"op": "=~",
        ...                                                               "pvalue": np.nan})
        (True, False)
    """
    p = row["pvalue"]
    if row["op"] == "=~":
        return bool(p is not None and np.isfinite(p) and p >= 0.05)
    return not (p < 0.05)


# --------------------------------------------------------------------------- path diagrams
def _layers(paths: pd.DataFrame, nodes: list[str]) -> dict[str, int]:
    layer = {n: 0 for n in nodes}
    for _ in range(len(nodes)):
        for lhs, rhs in zip(paths["lhs"], paths["rhs"], strict=True):
            layer[lhs] = max(layer[lhs], layer[rhs] + 1)
    return layer


def wrap(text: str, narrow: bool = False) -> str:
    """A node's label in lines: 6 characters of CJK text, 13 of Latin text per line
    (``narrow``, the smaller first-order factors under a higher-order one: 11 Latin, at most
    4 CJK characters a line in lines of even length).

    Example:
        >>> wrap("售前售后服务", narrow=True)
        '售前售\\n后服务'
    """
    wide = any(unicodedata.east_asian_width(c) in ("W", "F") for c in text)
    if wide:
        step = 6 if not narrow else -(-len(text) // -(-len(text) // 4))
        return "\n".join(text[i : i + step] for i in range(0, len(text), step))
    return textwrap.fill(text, 11 if narrow else 13, break_long_words=False,
                         break_on_hyphens=False)  # fmt: skip


def hierarchy(estimates: pd.DataFrame) -> dict[str, list[str]]:
    """Higher-order factor -> the latent variables it is measured by (``=~`` rows whose
    right-hand side is itself a factor).

    Example:
        >>> est = pd.DataFrame({"lhs": ["A", "B", "G", "G"], "op": ["=~"] * 4,
        ...                     "rhs": ["a1", "b1", "A", "B"]})
        >>> hierarchy(est)
        {'G': ['A', 'B']}
    """
    loads = estimates[estimates["op"] == "=~"]
    latent = set(loads["lhs"])
    out: dict[str, list[str]] = {}
    for lhs, rhs in zip(loads["lhs"], loads["rhs"], strict=True):
        if rhs in latent and rhs not in out.setdefault(lhs, []):
            out[lhs].append(rhs)
    return {k: v for k, v in out.items() if v}


def diagram_layout(estimates: pd.DataFrame, group: int = 1):
    """Nodes, latent nodes, layers, paths, positions (inches), height and box width of the
    structural model in lavaan-style ``estimates`` (``=~`` and ``~`` rows). The first-order
    factors of a higher-order factor are not placed here (:func:`hierarchy_layout` puts
    them in a row below); their layer is -1, and each higher-order factor goes to the bottom
    of its layer, next to that row."""
    est = estimates[estimates["group"].isin([group, 0])]
    paths = est[est["op"] == "~"].reset_index(drop=True)
    latent = list(dict.fromkeys(est.loc[est["op"] == "=~", "lhs"]))
    higher = hierarchy(est)
    dims = {d for ds in higher.values() for d in ds}
    inner = paths[~paths["lhs"].isin(dims) & ~paths["rhs"].isin(dims)]
    used = set(inner["lhs"]) | set(inner["rhs"]) | set(higher)
    nodes = [n for n in latent if n in used and n not in dims] or [
        n for n in latent if n not in dims] or latent  # fmt: skip
    for n in list(inner["rhs"]) + list(inner["lhs"]):
        if n not in nodes:
            nodes.append(n)
    layer = _layers(inner, nodes)
    n_layers = max(layer.values()) + 1
    by_layer = {k: [n for n in nodes if layer[n] == k] for k in range(n_layers)}
    # sources with an arrow that skips a layer go to the top, out of the way of the others;
    # higher-order factors to the bottom, next to the row of their first-order factors
    skips = {r["rhs"] for _, r in inner.iterrows() if layer[r["lhs"]] - layer[r["rhs"]] > 1}
    by_layer[0] = [n for n in by_layer[0] if n in skips] + [
        n for n in by_layer[0] if n not in skips
    ]
    for k, members in by_layer.items():
        by_layer[k] = [n for n in members if n not in higher] + [
            n for n in members if n in higher]  # fmt: skip
    layer.update({d: -1 for d in dims})
    tallest = max(len(v) for v in by_layer.values())
    step = 0.66
    height = max(3.2, step * tallest + 0.9)
    weights = [1.0 + 0.12 * sum(1 for _, r in inner.iterrows() if layer[r["rhs"]] == k)
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
            srcs = [pos[r["rhs"]][1] for _, r in inner.iterrows()
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


def _draw_nodes(ax, pos, latent, labels, r2_text, box_w, box_h, fontsize=NODE_PT):
    from matplotlib.patches import Ellipse, Rectangle

    for n, (x, y) in pos.items():
        if n not in latent:
            ax.add_patch(Rectangle((x - box_w / 2, y - box_h / 2), box_w, box_h, fill=False,
                                   lw=1.0))  # fmt: skip
        else:
            ax.add_patch(Ellipse((x, y), box_w, box_h, fill=False, lw=1.0))
        name = wrap(labels(n) if labels else n, narrow=box_w < 1.0)
        if n in r2_text:
            name += f"\n{r2_text[n]}"
        ax.text(x, y, name, ha="center", va="center", fontsize=fontsize, linespacing=1.05)


def hierarchy_layout(pos: dict, higher: dict[str, list[str]], box_w: float, box_h: float,
                     per_row: int = 7) -> tuple[dict, float]:  # fmt: skip
    """Positions (inches) of the first-order factors of the higher-order factors in
    ``higher``: a row (rows of at most ``per_row``, later ones staggered) below the nodes at
    ``pos``, in the order of their higher-order factors; and their box width (narrower than
    ``box_w`` when a row holds more than five).

    Example:
        >>> pos = {"G": (0.6, 2.0), "Y": (4.0, 2.0)}
        >>> dims, w = hierarchy_layout(pos, {"G": ["A", "B"]}, 1.05, 0.5)
        >>> sorted(dims), dims["A"][1] < 2.0
        (['A', 'B'], True)
    """
    owners = sorted(higher, key=lambda h: pos.get(h, (0.0, 0.0))[0])
    dims = [d for h in owners for d in higher[h] if d not in pos]
    if not dims:
        return {}, box_w
    n_row = min(len(dims), per_row)
    slot = (WIDTH_IN - 0.1) / n_row
    width = min(box_w, slot - 0.05)
    top = min(y for _, y in pos.values()) - box_h - 0.8
    out = {}
    for i, d in enumerate(dims):
        row, k = divmod(i, per_row)
        n_this = min(per_row, len(dims) - row * per_row)
        x0 = (WIDTH_IN - n_this * slot) / 2 + slot / 2
        if row % 2 and n_this == n_row:
            x0 += slot / 2 if x0 + (n_this - 0.5) * slot < WIDTH_IN - slot / 2 else -slot / 2
        out[d] = (x0 + k * slot, top - row * (box_h + 0.35))
    return out, width


def _draw_hierarchy(ax, rows: pd.DataFrame, pos: dict, dim_box: tuple, box: tuple,
                    label_of, dashed_of, color: str = "black") -> None:  # fmt: skip
    """An arrow from each higher-order factor (node size ``box``) to each of its first-order
    factors (``dim_box``; ``rows``: their ``=~`` rows), labelled near the first-order one."""
    from matplotlib.patches import FancyArrowPatch

    for _, r in rows.iterrows():
        (x0, y0), (x1, y1) = pos[r["lhs"]], pos[r["rhs"]]
        start = _edge_point(x0, y0, x1, y1, box[0] / 2, box[1] / 2, False)
        end = _edge_point(x1, y1, x0, y0, dim_box[0] / 2, dim_box[1] / 2, False)
        ax.add_patch(FancyArrowPatch(
            start, end, arrowstyle="-|>", mutation_scale=9, lw=0.9, color=color,
            linestyle="--" if dashed_of(r) else "-", shrinkA=0, shrinkB=0,
        ))  # fmt: skip
        text = label_of(r)
        if text:
            lx, ly = _arc_point(start, end, 0.0, 0.72)
            ax.text(lx, ly, text, fontsize=LABEL_PT, ha="center", va="center", zorder=5,
                    bbox={"boxstyle": "square,pad=0.12", "fc": "white", "ec": "none"})  # fmt: skip


def _edge_geometry(paths, pos, latent, box_w, box_h) -> dict:
    """(start, end, rad) of each path's arrow, keyed by (lhs, rhs): straight, or an arc
    (matplotlib's arc3) around a node that sits on the straight line."""
    hw, hh = box_w / 2, box_h / 2
    out = {}
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
        out[(r["lhs"], r["rhs"])] = (start, end, rad)
    return out


def _arc_point(start, end, rad: float, t: float) -> tuple[float, float]:
    """The point at ``t`` (0-1) on the arc3 curve from ``start`` to ``end``: a quadratic
    Bezier curve whose control point is ``rad`` times the chord off its middle."""
    dx, dy = end[0] - start[0], end[1] - start[1]
    x = start[0] + t * dx + rad * dy * 2 * t * (1 - t)
    y = start[1] + t * dy - rad * dx * 2 * t * (1 - t)
    return x, y


def _draw_edges(ax, paths, geometry, layer, label_of, dashed_of):
    from matplotlib.patches import FancyArrowPatch

    for _, r in paths.iterrows():
        start, end, rad = geometry[(r["lhs"], r["rhs"])]
        ax.add_patch(FancyArrowPatch(
            start, end, arrowstyle="-|>", mutation_scale=9, lw=0.9, color="black",
            linestyle="--" if dashed_of(r) else "-", connectionstyle=f"arc3,rad={rad}",
            shrinkA=0, shrinkB=0,
        ))  # fmt: skip
        fan_in = (paths["lhs"] == r["lhs"]).sum()
        skip = layer[r["lhs"]] - layer[r["rhs"]] > 1
        tpos = 0.62 if skip and fan_in <= 3 else (0.35 if fan_in > 3 else 0.5)
        lx, ly = _arc_point(start, end, rad, tpos)
        ax.text(lx, ly, label_of(r), fontsize=LABEL_PT, ha="center", va="center", zorder=5,
                bbox={"boxstyle": "square,pad=0.12", "fc": "white", "ec": "none"})  # fmt: skip


def _moderator_places(pos, moderators, box_w, box_h, geometry) -> list[tuple]:
    """(code, (x, y) of its node, (x, y) of the point it points at on the moderated arrow,
    label) for each moderator: below that point, or above it when a construct sits there."""
    out = []
    for z, y, x, label in moderators:
        if x not in pos or y not in pos:
            continue
        # 40% along the arrow (on its arc when it bends): left of its label (drawn at 50-62%)
        if (y, x) in geometry:
            mx, my = _arc_point(*geometry[(y, x)], 0.4)
        else:
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
            and not any(  # nor a node on the way to the arrow
                abs(px - mx) < box_w / 2 and min(sp[1], my) < py < max(sp[1], my)
                for px, py in pos.values()
            )
        ]
        out.append((z, (free or spots)[0], (mx, my), label))
    return out


def _draw_moderators(ax, places, labels, box_w, box_h) -> None:
    from matplotlib.patches import Ellipse, FancyArrowPatch

    for z, (x, y), (mx, my), label in places:
        ax.add_patch(Ellipse((x, y), box_w, box_h, fill=False, lw=1.0))
        ax.text(x, y, wrap(labels(z) if labels else z), ha="center", va="center",
                fontsize=NODE_PT, linespacing=1.05)  # fmt: skip
        start = (x, y + box_h / 2) if my > y else (x, y - box_h / 2)
        ax.add_patch(FancyArrowPatch(start, (mx, my), arrowstyle="-|>", mutation_scale=9,
                                     lw=0.9, color="black", shrinkA=0, shrinkB=0))  # fmt: skip
        ax.text(x + 0.08, (start[1] + my) / 2, label, fontsize=LABEL_PT, ha="left",
                va="center", zorder=5)  # fmt: skip


def _legend_color(style: str) -> str:
    return "none" if style == "none" else "black" if style in ("-", "--") else style


def path_figure(
    estimates: pd.DataFrame,
    *,
    label_of,
    dashed_of=lambda r: False,
    labels=None,
    r2_text: dict | None = None,
    legend: list[tuple[str, str]] = (),
    moderators=(),
    group: int = 1,
    hierarchy_color: str = "black",
):
    """A path diagram of the ``~`` rows of ``estimates`` (lavaan's columns; ``=~`` rows make
    their left-hand sides latent; a higher-order factor's ``=~`` rows draw its first-order
    factors in a row below, with an arrow to each): ``label_of(row)`` is an arrow's label
    (of a ``~`` or a second-order ``=~`` row), ``dashed_of(row)`` whether it is dashed,
    ``labels(node)`` a node's name, ``r2_text[node]`` a line under it,
    ``legend`` (text, line style "-", "--", "none" or a colour name such as "grey" for a
    solid line of that colour) below the diagram, ``moderators`` (code, y, x, label) an arrow
    from a moderator to the middle of the path x -> y and ``hierarchy_color`` the colour of
    the arrows from a higher-order factor to its first-order factors.

    Example:
        >>> est = pd.DataFrame({"lhs": ["Y"], "op": ["~"], "rhs": ["X"], "group": [1]})
        >>> fig = path_figure(est, label_of=lambda r: "b")
        >>> len(fig.axes)
        1
    """
    from matplotlib.lines import Line2D

    nodes, latent, layer, paths, pos, height, box_w = diagram_layout(estimates, group)
    r2_text = r2_text or {}
    box_h = 0.56 if r2_text else 0.5
    est = estimates[estimates["group"].isin([group, 0])]
    higher = hierarchy(est)
    dim_pos, dim_w = hierarchy_layout(pos, higher, box_w, box_h)
    every = {**pos, **dim_pos}
    geometry = _edge_geometry(paths, every, latent, box_w, box_h)
    places = _moderator_places(pos, moderators, box_w, box_h, geometry)
    ys = [y for _, y in every.values()] + [p[1][1] for p in places]
    arcs = [_arc_point(*g, t)[1] for g in geometry.values() if g[2] for t in np.linspace(0, 1, 21)]
    top = max(ys + [a - box_h / 2 for a in arcs]) + box_h / 2 + 0.1
    bottom = min(ys + [a + box_h / 2 for a in arcs]) - box_h / 2 - (0.55 if legend else 0.15)
    fig = figure(WIDTH_IN, top - bottom)
    ax = fig.add_axes([0, 0, 1, 1])
    ax.set_xlim(0, WIDTH_IN)
    ax.set_ylim(bottom, top)
    ax.axis("off")
    _draw_nodes(ax, pos, latent, labels, r2_text, box_w, box_h)
    narrow = dim_w < box_w  # more than five first-order factors in a row: smaller nodes
    dim_h = box_h + (0.08 if narrow else 0.0)
    _draw_nodes(ax, dim_pos, latent, labels, {}, dim_w, dim_h,
                LABEL_PT - 0.5 if narrow else NODE_PT)  # fmt: skip
    _draw_edges(ax, paths, geometry, layer, label_of, dashed_of)
    rows = est[(est["op"] == "=~") & est["rhs"].isin(list(dim_pos))]
    _draw_hierarchy(ax, rows, every, (dim_w, dim_h), (box_w, box_h), label_of, dashed_of,
                    hierarchy_color)  # fmt: skip
    _draw_moderators(ax, places, labels, box_w, box_h)
    if legend:
        handles = [Line2D([], [], color=_legend_color(ls), lw=0.9,
                          ls=ls if ls in ("-", "--") else "-", label=text)
                   for text, ls in legend]  # fmt: skip
        ax.legend(handles=handles, loc="lower center", bbox_to_anchor=(0.5, 0.0), ncol=3,
                  fontsize=LABEL_PT, frameon=False, handlelength=2.5)  # fmt: skip
    return fig


# --------------------------------------------------------------------------- other figures
def distribution_figure(draws: np.ndarray, estimate: float, interval=(np.nan, np.nan), *,
                        title: str = "", xlabel: str = "bootstrap estimate"):  # fmt: skip
    """A histogram of bootstrap draws, the estimate (solid line) and the interval (dashed).

    Example:
        >>> fig = distribution_figure(np.random.default_rng(1).normal(size=200), 0.0, (-2, 2))
        >>> len(fig.axes[0].lines)
        3
    """
    draws = np.asarray(draws, dtype=float)
    draws = draws[np.isfinite(draws)]
    fig = figure(WIDTH_IN * 0.8, 3.2)
    ax = fig.add_subplot()
    ax.hist(draws, bins=min(60, max(10, len(draws) // 20)), color="0.75", edgecolor="white")
    ax.axvline(estimate, color="black", lw=1.2, label="estimate")
    for k, v in enumerate(interval):
        if v is not None and np.isfinite(v):
            ax.axvline(v, color="black", lw=1, ls="--", label="interval" if k == 0 else None)
    ax.set_xlabel(xlabel)
    ax.set_ylabel("draws")
    if title:
        ax.set_title(title, fontsize=10)
    ax.spines[["top", "right"]].set_visible(False)
    ax.legend(frameon=False, fontsize=8)
    fig.tight_layout()
    return fig


def interaction_figure(
    lines: pd.DataFrame,
    *,
    x_label: str,
    y_label: str,
    legend_labels=("Low (-1 SD)", "Mean", "High (+1 SD)"),
    legend_title: str | None = None,
    x_tick_labels=("-1 SD", "+1 SD"),
    title: str | None = None,
    width: float = WIDTH_IN * 0.62,
):
    """Predicted Y against X, one line per moderator value (``lines``: z_sd, x_sd, y_hat,
    as :func:`loyaltysem.analyses.interactions.interaction_lines` gives them).

    Example:
        >>> lines = pd.DataFrame({"z_sd": [0, 0], "x_sd": [-1, 1], "y_hat": [0.0, 1.0]})
        >>> fig = interaction_figure(lines, x_label="X", y_label="Y", legend_labels=["Mean"])
    """
    at = list(dict.fromkeys(lines["z_sd"]))
    if len(legend_labels) != len(at):
        raise ValueError("legend_labels needs one label per moderator value")
    styles = ["--", "-", ":"] if len(at) == 3 else ["-"] * len(at)
    markers = ["o", "s", "^"] if len(at) == 3 else ["o"] * len(at)
    fig = figure(width, width * 0.95)
    ax = fig.add_subplot()
    for i, k in enumerate(at):
        part = lines[lines["z_sd"] == k]
        ax.plot(part["x_sd"], part["y_hat"], styles[i], marker=markers[i], color="black",
                linewidth=1.2, markersize=4, label=legend_labels[i])  # fmt: skip
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
    return fig


def power_figure(table: pd.DataFrame, *, target: float = 0.80, labels=None,
                 titles=("Paths", "Indirect effects"), xlabel: str = "Sample size (N)",
                 ylabel: str = "Power"):  # fmt: skip
    """Power against N for every path and indirect effect (one line each, ``table``: kind,
    parameter, n, power), the target power dashed.

    Example:
        >>> t = pd.DataFrame({"kind": ["path"] * 2, "parameter": ["Y~X"] * 2,
        ...                   "n": [100, 200], "power": [0.5, 0.8]})
        >>> len(power_figure(t).axes)
        2
    """
    params = list(dict.fromkeys(table["parameter"]))
    fig = figure(11, 4.5)
    axes = fig.subplots(1, 2, sharey=True)
    for ax, kind, title in zip(axes, ("path", "indirect"), titles, strict=True):
        sub = table[table["kind"] == kind]
        for p in params:
            rows = sub[sub["parameter"] == p].sort_values("n")
            if len(rows):
                ax.plot(
                    rows["n"], rows["power"], marker="o", lw=1, label=labels(p) if labels else p
                )
        ax.axhline(target, color="grey", ls="--", lw=0.8)
        ax.set_title(title)
        ax.set_xlabel(xlabel)
        ax.set_ylim(0, 1.02)
        if len(sub) and sub["parameter"].nunique() <= 16:
            ax.legend(fontsize=6, ncol=2)
    axes[0].set_ylabel(ylabel)
    fig.tight_layout()
    return fig
