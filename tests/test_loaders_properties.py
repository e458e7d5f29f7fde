"""Property-based: random bytes and random frames thrown at the loaders and screening.

Nothing but the documented InputError may escape, and a frame that loads is never changed.
"""

from __future__ import annotations

import os

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from loyaltysem.base.errors import InputError
from loyaltysem.psychometrics.screening import screen
from loyaltysem.survey.loaders import load

SETTINGS = settings(
    max_examples=int(os.environ.get("LOYALTYSEM_HYPOTHESIS_EXAMPLES", "40")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
EXTS = [".csv", ".tsv", ".sav", ".zsav", ".por", ".dta", ".xlsx", ".xpt", ".sas7bdat", ".txt"]


@SETTINGS
@given(raw=st.binary(max_size=600), ext=st.sampled_from(EXTS))
def test_random_bytes_only_input_error(tmp_path_factory, raw, ext):
    path = tmp_path_factory.mktemp("b") / f"x{ext}"
    path.write_bytes(raw)
    try:
        s = load(path)
    except InputError as exc:
        assert "\n" not in str(exc)
        return
    assert len(s.data) > 0
    assert path.read_bytes() == raw


_cell = st.one_of(
    st.integers(min_value=-5, max_value=9).map(str),
    st.sampled_from(["", "NA", " 3 ", "abc", "非常同意", "Agree", "1e3", "inf", '"', ",", "-99"]),
    st.text(max_size=4),
)


@SETTINGS
@given(
    header=st.lists(st.text(min_size=0, max_size=5), min_size=1, max_size=5),
    rows=st.lists(st.lists(_cell, min_size=0, max_size=6), min_size=0, max_size=8),
    codes=st.sampled_from([None, [-99]]),
)
def test_random_text_tables_only_input_error(tmp_path_factory, header, rows, codes):
    text = ",".join(header) + "\n" + "".join(",".join(r) + "\n" for r in rows)
    path = tmp_path_factory.mktemp("t") / "x.csv"
    path.write_text(text, encoding="utf-8")
    try:
        s = load(path, missing_codes=codes)
        screen(s, policy="fiml")
    except InputError:
        pass


@SETTINGS
@given(
    values=st.lists(
        st.lists(st.one_of(st.none(), st.integers(1, 5)), min_size=4, max_size=4),
        min_size=1,
        max_size=30,
    ),
    policy=st.sampled_from(["listwise", "max_missing", "fiml"]),
    drop=st.booleans(),
)
def test_random_frames_screen_and_roundtrip(tmp_path_factory, values, policy, drop):
    df = pd.DataFrame(values, columns=["a", "b", "c", "d"], dtype=float)
    path = tmp_path_factory.mktemp("f") / "x.csv"
    df.to_csv(path, index=False)
    try:
        s = load(path)
    except InputError:
        return
    # what loads is exactly what was written (blank rows are skipped)
    expected = df[df.notna().any(axis=1)].reset_index(drop=True)
    pd.testing.assert_frame_equal(s.data[expected.columns], expected, check_dtype=False)
    try:
        res = screen(s, policy=policy, drop_straightliners=drop, drop_outliers=drop)
    except InputError:
        return
    assert res.n + len(res.removed) == res.n_input
    assert np.isfinite(res.descriptives["n"]).all()
