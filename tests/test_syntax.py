"""lavaan model syntax: parsing, parameter-table defaults and clear errors with line numbers."""

from __future__ import annotations

import numpy as np
import pytest

from loyaltysem.base.errors import IdentificationError, ModelSyntaxError
from loyaltysem.semcore.model.partable import build_partable
from loyaltysem.survey.syntax import parse_syntax


def test_operators_modifiers_and_comments():
    rows = parse_syntax(
        """# measurement
        f =~ x1 + a*x2 + 0.5*x3   ! fixed loading
        f ~~ start(1.2)*f; y ~ b*f + 1
        ind := a*b
        """
    )
    got = [(r.lhs, r.op, r.rhs) for r in rows]
    assert got == [
        ("f", "=~", "x1"),
        ("f", "=~", "x2"),
        ("f", "=~", "x3"),
        ("f", "~~", "f"),
        ("y", "~", "f"),
        ("y", "~1", ""),
        ("ind", ":=", "a*b"),
    ]
    assert rows[1].modifier.label == ["a"]
    assert rows[2].modifier.fixed == [0.5]
    assert rows[3].modifier.start == [1.2]


def test_statement_continued_on_next_line():
    rows = parse_syntax("f =~ x1 + x2 +\n     x3\n")
    assert [r.rhs for r in rows] == ["x1", "x2", "x3"]


def test_group_vectors():
    rows = parse_syntax("f =~ x1 + c(a1, a2)*x2 + c(1, NA)*x3")
    assert rows[1].modifier.label == ["a1", "a2"]
    assert rows[2].modifier.fixed == [1.0, None]


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("f =~ x1 + x2\ng => x3", 2, "unknown operator '=>'"),
        ("f =~ x1 + x2\ng x3", 2, "no operator"),
        ("f =~ x1 + + x2", 1, "empty term"),
        ("f =~ x1\nf <~ x2", 2, "not supported"),
        ("f =~ x1 + x2\n\nd := a*b", 3, "'a' is not a parameter label"),
        ("f =~ x1 + 1x2", 1, "not a valid variable name"),
    ],
)
def test_errors_name_the_line(text, line, message):
    with pytest.raises(ModelSyntaxError, match=message) as err:
        build_partable(text, file="model.lav")
    assert f"model.lav: line {line}:" in str(err.value)
    assert "\n" not in str(err.value)


def test_duplicate_row_is_an_error():
    with pytest.raises(ModelSyntaxError, match="specified twice"):
        build_partable("f =~ x1 + x2 + x3\nf =~ x2")


def test_lavaan_defaults_for_a_cfa():
    pt = build_partable("visual =~ x1 + x2 + x3\ntextual =~ x4 + x5 + x6")
    first = pt[(pt.op == "=~") & (pt.rhs.isin(["x1", "x4"]))]
    assert (first.free == 0).all() and (first.ustart == 1).all()  # auto.fix.first
    variances = pt[(pt.op == "~~") & (pt.lhs == pt.rhs)]
    assert len(variances) == 8 and (variances.free > 0).all()  # auto.var
    cov = pt[(pt.op == "~~") & (pt.lhs != pt.rhs)]
    assert cov[["lhs", "rhs"]].values.tolist() == [["visual", "textual"]]  # auto.cov.lv.x
    assert pt.free.max() == 13


def test_equal_labels_share_one_parameter():
    pt = build_partable("f1 =~ x1 + a*x2\nf2 =~ x3 + a*x4")
    shared = pt[pt.label == "a"]
    assert shared.free.nunique() == 1


def test_std_lv_frees_loadings_and_fixes_variances():
    pt = build_partable("f =~ x1 + x2 + x3", std_lv=True)
    assert (pt[pt.op == "=~"].free > 0).all()
    var = pt[(pt.lhs == "f") & (pt.op == "~~")]
    assert var.free.iloc[0] == 0 and var.ustart.iloc[0] == 1.0


def test_meanstructure_adds_intercepts_and_fixed_latent_means():
    pt = build_partable("f =~ x1 + x2 + x3", meanstructure=True)
    ints = pt[pt.op == "~1"]
    assert ints.set_index("lhs").loc[["x1", "x2", "x3"], "free"].gt(0).all()
    assert ints.set_index("lhs").loc["f", "ustart"] == 0.0


def test_unidentified_model_is_reported(example_frame):
    from loyaltysem.semcore.estimation import sem

    with pytest.raises(IdentificationError, match="not identified"):
        sem("f =~ NA*INF1 + INF2 + INF3", example_frame.dropna())
    assert np.isfinite(1.0)
