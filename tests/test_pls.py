"""PLS-SEM against R's seminr 2.3 (fixtures from tests/fixtures/make_pls_fixtures.R) on the
ECSI mobile-phone model and the corporate-reputation models of Hair et al.'s primer, plus
independent re-computations (a data-based PLS loop, blindfolding through the public API,
jackknife by refitting) and bad input."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from loyaltysem.base.errors import InputError
from loyaltysem.pls import parse_pls_syntax, pls, read_pls_model
from loyaltysem.pls.algorithm import case_weight_correlations, estimate
from loyaltysem.pls.assess import stat_values
from loyaltysem.pls.bootstrap import summarize

FIX = Path(__file__).parent / "fixtures" / "pls"
SURVEYS = Path(__file__).parent / "data" / "surveys"
TOL = 1e-6  # seminr's numbers are reproduced to ~1e-14; the issue asks for 1e-4
CASES = {
    "ecsi_mobi_modeA": "ecsi_mobi",
    "ecsi_mobi_factorial": "ecsi_mobi",
    "ecsi_mobi_plsc": "ecsi_mobi",
    "corp_rep_simple": "corporate_reputation",
    "corp_rep_ext": "corporate_reputation",
}

# batch size and worker count leave a draw unchanged (bit for bit on every OpenBLAS kernel
# tried); compared with a tolerance so that no assertion rests on the CPU's float kernel
SAME = dict(rtol=1e-10, atol=1e-14)


def mat(d: dict) -> pd.DataFrame:
    vals = [[np.nan if v is None else v for v in row] for row in d["values"]]
    return pd.DataFrame(vals, index=d["rows"], columns=d["cols"], dtype=float)


@pytest.fixture(scope="module")
def fitted():
    out = {}
    for case, data in CASES.items():
        fx = json.loads((FIX / f"{case}.json").read_text())
        df = pd.read_csv(SURVEYS / f"{data}.csv")
        res = pls(df, fx["model"], scheme=fx["scheme"], consistent=fx["consistent"],
                  missing_codes=[-99])  # fmt: skip
        out[case] = (fx, df, res)
    return out


def close(mine: pd.DataFrame, ref: pd.DataFrame, tol: float = TOL) -> None:
    sub = mine.loc[ref.index, ref.columns].to_numpy(float)
    ok = ~np.isnan(ref.to_numpy())
    np.testing.assert_allclose(sub[ok], ref.to_numpy()[ok], atol=tol, rtol=0)


@pytest.mark.parametrize("case", list(CASES))
def test_estimates_match_seminr(fitted, case):
    fx, _, res = fitted[case]
    assert res.n == fx["n"]
    assert res.iterations == fx["iterations"]
    close(res.weights, mat(fx["weights"]))
    close(res.loadings, mat(fx["loadings"]))
    close(res.paths, mat(fx["paths"]))
    r2 = mat(fx["r2"])
    close(pd.DataFrame([res.r2, res.r2_adj], index=["Rsq", "AdjRsq"]), r2)
    close(res.total_effects, mat(fx["total_effects"]))
    close(res.total_effects - res.paths, mat(fx["total_indirect"]))
    close(res.scores.head(5).set_axis(range(1, 6)), mat(fx["scores_head"]).set_axis(range(1, 6)))


@pytest.mark.parametrize("case", list(CASES))
def test_assessment_matches_seminr(fitted, case):
    fx, _, res = fitted[case]
    close(res.reliability, mat(fx["reliability"]))
    ref = mat(fx["htmt"])
    ht = res.htmt.loc[ref.index, ref.columns]
    mirrored = ref.combine_first(ref.T).loc[ref.index, ref.columns]
    close(ht, mirrored)
    close(res.fornell_larcker, mat(fx["fornell_larcker"]))
    close(res.cross_loadings, mat(fx["cross_loadings"]))
    for c, vifs in fx["vif_items"].items():
        np.testing.assert_allclose(res.vif_items[c][list(vifs)], list(vifs.values()), atol=TOL)
    for t, vifs in fx["vif_antecedents"].items():
        for s, v in vifs.items():
            if v is not None:
                assert res.vif_inner[t][s] == pytest.approx(v, abs=TOL)
    f2 = mat(fx["f2"])
    for (t, s), v in res.f2.items():
        assert v == pytest.approx(f2.loc[s, t], abs=TOL), (s, t)


def test_primer_numbers_corporate_reputation(fitted):
    """Values of the primer's model (Hair et al. 2021, ch. 5-6; seminr demo code), 3 dp."""
    _, _, res = fitted["corp_rep_ext"]
    assert round(res.paths.loc["QUAL", "COMP"], 3) == 0.430
    assert round(res.paths.loc["CUSA", "CUSL"], 3) == 0.505
    assert round(res.r2["CUSL"], 3) == 0.562
    assert round(res.reliability.loc["COMP", "rhoA"], 3) == 0.786
    assert res.n_missing == 11 and any("mean" in w for w in res.warnings)


# ----------------------------------------------------------------------------- bootstrap


def _draw_setup(fitted, case):
    fx, df, res = fitted[case]
    lay = res.layout
    X = df[list(lay.items)].replace(-99, np.nan).to_numpy(float)
    obs = ~np.isnan(X)
    xc = np.where(obs, X - np.nanmean(X, axis=0), 0.0)
    draws = fx["bootstrap"]["draws"]
    w = np.stack([np.bincount(np.array(d["index"]) - 1, minlength=len(X)) for d in draws])
    S, _ = case_weight_correlations(xc, obs, w)
    return fx, res, lay, S, draws


@pytest.mark.parametrize("case", ["corp_rep_ext", "ecsi_mobi_plsc"])
def test_bootstrap_draws_match_seminr(fitted, case):
    """Same resamples as seminr's bootstrap_model (set.seed(seed + i)), each re-estimated
    with mean replacement inside the resample (and PLSc for the ECSI reflective model)."""
    fx, res, lay, S, draws = _draw_setup(fitted, case)
    est = estimate(S, lay, res.scheme, res.consistent)
    cons, items = list(lay.constructs), list(lay.items)
    for b, d in enumerate(draws):
        close(pd.DataFrame(est.paths[b], index=cons, columns=cons), mat(d["paths"]))
        close(pd.DataFrame(est.W[b], index=items, columns=cons), mat(d["weights"]))
        close(pd.DataFrame(est.L[b], index=items, columns=cons), mat(d["loadings"]))


def test_bootstrap_summary_matches_seminr(fitted):
    """Mean, SD, t and percentile (type 7) limits of seminr's summary(boot, alpha = .05)."""
    fx, res, lay, S, _ = _draw_setup(fitted, "corp_rep_ext")
    spec_rows = res.estimates
    from loyaltysem.pls.assess import stat_spec

    spec = stat_spec(lay, res.model.paths)
    est = estimate(S, lay)
    draws = stat_values(spec, est, S, lay)
    table = summarize(spec, spec_rows["est"].to_numpy(), draws, 0.95, None)
    ref = mat(fx["bootstrap"]["paths"])
    for name, row in ref.iterrows():
        s, t = (x.strip() for x in name.split("->"))
        r = table[(table["kind"] == "path") & (table["lhs"] == t) & (table["rhs"] == s)].iloc[0]
        got = [r["est"], r["boot.mean"], r["se"], r["t"], r["ci.lower"], r["ci.upper"]]
        np.testing.assert_allclose(got, row.to_numpy(), atol=TOL)
    ref = fx["bootstrap"]["specific"]["comp_cusa_cusl"]
    r = table[(table["kind"] == "indirect") & (table["rhs"] == "COMP") & (table["lhs"] == "CUSL")]
    r = r[r["through"] == "CUSA"].iloc[0]
    assert r["est"] == pytest.approx(ref["Original Est."], abs=TOL)
    assert r["se"] == pytest.approx(ref["Bootstrap SD"], abs=TOL)
    assert r["ci.lower"] == pytest.approx(ref["2.5% CI"], abs=TOL)
    assert r["ci.upper"] == pytest.approx(ref["97.5% CI"], abs=TOL)
    ht = mat(fx["bootstrap"]["htmt"])
    for name, row in ht.iterrows():
        a, b = (x.strip() for x in name.split("->"))
        sel = (table["kind"] == "htmt") & (
            ((table["lhs"] == a) & (table["rhs"] == b))
            | ((table["lhs"] == b) & (table["rhs"] == a))
        )
        r = table[sel].iloc[0]
        np.testing.assert_allclose([r["est"], r["se"]], row.iloc[[0, 2]].to_numpy(), atol=TOL)


@pytest.fixture(scope="module")
def simple(fitted):
    fx, df, _ = fitted["corp_rep_simple"]
    return fx, df


def test_bootstrap_same_for_any_worker_count(simple):
    fx, df = simple
    kw = dict(missing_codes=[-99], q2=False, n_boot=60, seed=11)
    one = pls(df, fx["model"], n_jobs=1, **kw)
    two = pls(df, fx["model"], n_jobs=2, **kw)
    np.testing.assert_allclose(one.bootstrap.draws, two.bootstrap.draws, **SAME)
    assert one.bootstrap.n_failed == 0
    t = one.estimates
    assert {"se", "t", "pvalue", "ci.lower", "ci.upper", "ci"} <= set(t)
    assert (t["ci"] == "percentile").all() and not any(c.startswith("bca.") for c in t)
    paths = t[t["kind"] == "path"]
    assert (paths["ci.lower"] < paths["est"]).all() and (paths["est"] < paths["ci.upper"]).all()
    bca = one.bootstrap.intervals("bca")  # the same draws, BCa
    assert (bca["ci"] == "bca").all() and not np.allclose(bca["ci.lower"], t["ci.lower"])
    rows = one.to_dict()["paths"]  # the JSON keeps the contract's percentile and bca.* keys
    assert {"ci.lower", "ci.upper", "bca.lower", "bca.upper"} <= set(rows[0])


def test_bootstrap_on_dask(simple):
    distributed = pytest.importorskip("dask.distributed")
    fx, df = simple
    kw = dict(missing_codes=[-99], q2=False, n_boot=40, seed=3)
    ref = pls(df, fx["model"], n_jobs=1, **kw)
    with (
        distributed.LocalCluster(n_workers=1, processes=False) as cluster,
        distributed.Client(cluster) as client,
    ):
        res = pls(df, fx["model"], client=client, **kw)
    np.testing.assert_allclose(ref.bootstrap.draws, res.bootstrap.draws, **SAME)


def test_jackknife_acceleration_by_refitting(simple):
    """BCa's acceleration from the batched leave-one-out equals refits without each row."""
    from loyaltysem.pls.bootstrap import _estimate_weighted, _Job

    fx, df = simple
    res = pls(df, fx["model"], missing_codes=[-99], q2=False)
    lay = res.layout
    X = df[list(lay.items)].replace(-99, np.nan).to_numpy(float)
    obs = ~np.isnan(X)
    xc = np.where(obs, X - np.nanmean(X, axis=0), 0.0)
    from loyaltysem.pls.assess import stat_spec

    spec = stat_spec(lay, res.model.paths)
    job = _Job(xc, obs, lay, spec, "path", False, 300, 1e-7)
    rows = [0, 1, 57]  # row 1 has a missing answer
    w = np.ones((len(rows), len(X)))
    w[np.arange(len(rows)), rows] = 0
    jack, ok = _estimate_weighted(job, w)
    assert ok.all()
    for k, r in enumerate(rows):
        refit = pls(df.drop(index=r), fx["model"], missing_codes=[-99], q2=False)
        np.testing.assert_allclose(jack[k], refit.estimates["est"].to_numpy(), atol=1e-9)


# ----------------------------------------------------------------------------- prediction


@pytest.mark.parametrize("technique", ["DA", "EA"])
def test_plspredict_matches_seminr(fitted, technique):
    fx, _, res = fitted["corp_rep_ext"]
    ref = fx[f"predict_{technique}"]
    order = np.array(ref["order"]) - 1
    pred = res.run_predict(folds=ref["folds"], technique=technique, order=order)
    t = pred.table
    for key, cols in (("pls_oos", ["PLS.RMSE", "PLS.MAE"]), ("lm_oos", ["LM.RMSE", "LM.MAE"])):
        m = mat(ref[key])
        np.testing.assert_allclose(t.loc[m.columns, cols].to_numpy().T, m.to_numpy(), atol=TOL)


def test_q2_blindfolding_by_the_public_api(fitted):
    """Q2 of CUSL recomputed round by round: cells left out as NaN, pls() mean-replaces them
    and re-estimates, the prediction is loading x sum(path x antecedent score)."""
    fx, df, res = fitted["corp_rep_simple"]
    items = res.model.items
    X = df[items].replace(-99, np.nan)
    X = X.fillna(X.mean())
    Z = (X - X.mean()) / X.std(ddof=1)
    block = res.model.constructs["CUSL"]
    preds = res.model.predecessors("CUSL")
    n, m = len(Z), len(block)
    cell = (np.arange(n * m) % 7).reshape(m, n).T
    sse = sso = 0.0
    for d in range(7):
        Zd = Z.copy()
        vals = Zd[block].to_numpy().copy()
        vals[cell == d] = np.nan
        Zd[block] = vals
        fill = np.nanmean(vals, axis=0)
        r = pls(Zd, res.model, q2=False)
        full = Zd.fillna(Zd.mean())
        yhat = r.scores[preds].to_numpy() @ r.paths.loc[preds, "CUSL"].to_numpy()
        zhat = yhat[:, None] * r.loadings.loc[block, "CUSL"].to_numpy()[None, :]
        pred = full[block].mean().to_numpy() + full[block].std(ddof=1).to_numpy() * zhat
        act = Z[block].to_numpy()
        sse += np.sum(((act - pred) ** 2)[cell == d])
        sso += np.sum(((act - fill) ** 2)[cell == d])
    assert res.q2["CUSL"] == pytest.approx(1 - sse / sso, abs=1e-10)
    assert 0 < res.q2["CUSA"] < 1


# ----------------------------------------------------------------------------- algorithm


def _data_pls(Xs: np.ndarray, model, scheme: str) -> np.ndarray:
    """Plain data-based PLS loop (standardized n x p data, no correlation shortcut)."""
    names, items = model.names, model.items
    K = len(names)
    W = np.zeros((len(items), K))
    for k, c in enumerate(names):
        for i in model.constructs[c]:
            W[items.index(i), k] = 1.0
    adj = np.zeros((K, K))
    for s, t in model.paths:
        adj[names.index(s), names.index(t)] = 1
    for _ in range(301):
        Y = Xs @ W
        Y = (Y - Y.mean(0)) / Y.std(0, ddof=1)
        R = np.corrcoef(Y, rowvar=False)
        E = np.sign(R) * (adj + adj.T) if scheme == "centroid" else R * (adj + adj.T)
        Zp = Y @ E
        Zp = (Zp - Zp.mean(0)) / Zp.std(0, ddof=1)
        Wn = np.zeros_like(W)
        for k, c in enumerate(names):
            idx = [items.index(i) for i in model.constructs[c]]
            Xb = Xs[:, idx]
            if model.modes[c] == "A":
                Wn[idx, k] = Xb.T @ Zp[:, k] / (len(Xs) - 1)
            else:
                Wn[idx, k] = np.linalg.lstsq(Xb, Zp[:, k], rcond=None)[0]
        Wn /= (Xs @ Wn).std(0, ddof=1)
        done = np.abs(Wn - W).sum() < 1e-7
        W = Wn
        if done:
            break
    return W


@pytest.mark.parametrize("scheme", ["centroid", "factorial"])
def test_schemes_against_data_based_loop(fitted, scheme):
    fx, df, _ = fitted["corp_rep_ext"]
    res = pls(df, fx["model"], scheme=scheme, missing_codes=[-99], q2=False)
    X = df[res.model.items].replace(-99, np.nan)
    X = X.fillna(X.mean()).to_numpy(float)
    Xs = (X - X.mean(0)) / X.std(0, ddof=1)
    W = _data_pls(Xs, res.model, scheme)
    np.testing.assert_allclose(res.weights.to_numpy(), W, atol=1e-6)


def test_json_follows_contract(fitted):
    _, _, res = fitted["corp_rep_ext"]
    d = res.to_dict()
    json.dumps(d, allow_nan=False, default=float)
    for key in ("n", "warnings", "iterations", "paths", "weights", "loadings", "r2", "r2.adj",
                "reliability", "htmt", "vif", "q2"):  # fmt: skip
        assert key in d
    p = next(r for r in d["paths"] if r["lhs"] == "CUSA" and r["rhs"] == "COMP")
    assert p["op"] == "~" and p["se"] is None and p["f2"] == pytest.approx(0.0177464, abs=1e-6)
    assert d["reliability"]["COMP"]["rhoA"] == pytest.approx(0.7855756, abs=1e-6)
    assert d["htmt"]["COMP"]["LIKE"] == pytest.approx(res.htmt.loc["COMP", "LIKE"])
    assert d["vif"]["CUSA"]["COMP"] == pytest.approx(1.686104, abs=1e-6)
    w = next(r for r in d["weights"] if r["item"] == "qual_1")
    assert w["construct"] == "QUAL" and w["mode"] == "B"
    assert "<i>HTMT</i>" in res._repr_html_() and "Path coefficients" in res.summary()


# ----------------------------------------------------------------------------- models, input


def test_syntax_modes_and_toml(tmp_path):
    m = parse_pls_syntax("A <~ a1 + a2; B =~ b1 + b2\nC =~ c1  # note <~\nB ~ A\nC ~ A + B")
    assert m.modes == {"A": "B", "B": "A", "C": "A"}
    assert m.paths == [("A", "B"), ("A", "C"), ("B", "C")]
    toml = tmp_path / "m.toml"
    toml.write_text(
        '[[constructs]]\ncode = "A"\nmode = "B"\nitems = ["a1", "a2"]\n'
        '[[constructs]]\ncode = "B"\nitems = ["b1", "b2"]\n'
        '[structural]\nsyntax = "B ~ A"\n'
    )
    t = read_pls_model(toml)
    assert t.modes == {"A": "B", "B": "A"} and t.paths == [("A", "B")]


@pytest.fixture(scope="module")
def corp():
    return pd.read_csv(SURVEYS / "corporate_reputation.csv").replace(-99, np.nan)


SIMPLE = "COMP =~ comp_1 + comp_2 + comp_3\nCUSL =~ cusl_1 + cusl_2\nCUSL ~ COMP\n"


@pytest.mark.parametrize(
    "syntax, words",
    [
        ("COMP =~ comp_1 + comp_2\nCUSL =~\nCUSL ~ COMP", ["CUSL", "no items"]),
        ("COMP =~ comp_1 + comp_2\nCUSL ~ COMP", ["CUSL", "no items"]),
        (SIMPLE + "LIKE =~ like_1\n", ["LIKE", "no structural path"]),
        (SIMPLE + "CUSL =~ comp_1\n", ["comp_1", "COMP", "CUSL"]),
        (SIMPLE + "COMP ~ CUSL\n", ["feedback loop"]),
    ],
)
def test_bad_models(corp, syntax, words):
    with pytest.raises(InputError) as e:
        pls(corp, syntax)
    msg = str(e.value)
    assert "\n" not in msg and all(w in msg for w in words), msg


def test_toml_construct_without_items(tmp_path):
    toml = tmp_path / "m.toml"
    toml.write_text('[[constructs]]\ncode = "A"\nitems = []\n[structural]\nsyntax = ""\n')
    with pytest.raises(InputError, match="construct A has no items"):
        read_pls_model(toml)


def test_collinear_mode_b_block(corp):
    d = corp.assign(qual_9=corp["qual_1"].fillna(4) + 2 * corp["qual_2"].fillna(4))
    d["qual_1"] = d["qual_1"].fillna(4)
    d["qual_2"] = d["qual_2"].fillna(4)
    model = "QUAL <~ qual_1 + qual_2 + qual_3 + qual_9\n" + SIMPLE + "COMP ~ QUAL\n"
    with pytest.raises(InputError) as e:
        pls(d, model)
    msg = str(e.value)
    assert "QUAL" in msg and "collinear" in msg
    assert all(i in msg for i in ("qual_1", "qual_2", "qual_9")) and "qual_3" not in msg


def test_constant_absent_and_text_items(corp):
    with pytest.raises(InputError, match=r"column 'comp_2'.*item comp_2 of construct COMP is"):
        pls(corp.assign(comp_2=3.0), SIMPLE)
    with pytest.raises(InputError, match=r"item cusl_2 \(construct CUSL\) is not in the data"):
        pls(corp.drop(columns="cusl_2"), SIMPLE)
    bad = corp.astype({"comp_1": object})
    bad.loc[5, "comp_1"] = "agree"
    with pytest.raises(InputError, match=r"column 'comp_1', row 7: text 'agree'"):
        pls(bad, SIMPLE)


def test_single_item_mode_b_and_formative_rho(corp):
    res = pls(corp, "X <~ cusa\n" + SIMPLE + "COMP ~ X\n", q2=False)
    assert res.weights.loc["cusa", "X"] == pytest.approx(1.0)
    assert res.reliability.loc["X", ["alpha", "rhoC", "AVE", "rhoA"]].tolist() == [1, 1, 1, 1]


# ----------------------------------------------------------------------------- command line


def test_cli_json(tmp_path, capsys):
    from loyaltysem.cli import main

    fx = json.loads((FIX / "corp_rep_ext.json").read_text())
    model = tmp_path / "corp.lav"
    model.write_text(fx["model"])
    out = tmp_path / "pls.json"
    args = [str(SURVEYS / "corporate_reputation.csv"), "--model", str(model)]
    rc = main(["pls", *args, "--missing-codes", "-99", "--bootstrap", "50", "--seed", "2",
               "--predict-folds", "5", "--json", str(out)])  # fmt: skip
    assert rc == 0 and "Path coefficients" in capsys.readouterr().out
    d = json.loads(out.read_text())
    assert d["n"] == 344 and d["n.missing"] == 11 and d["bootstrap"]["draws"] == 50
    p = next(r for r in d["paths"] if r["lhs"] == "COMP" and r["rhs"] == "QUAL")
    assert p["est"] == pytest.approx(0.4297, abs=1e-4) and p["se"] > 0 and p["ci.lower"] < 0.43
    assert d["predict"]["folds"] == 5 and set(d["q2"]) == {"COMP", "LIKE", "CUSA", "CUSL"}
    assert d["htmt.boot"][0]["ci.upper"] > d["htmt.boot"][0]["ci.lower"]


@pytest.mark.parametrize(
    "extra, text",
    [
        (["--bootstrap", "100001"], "outside 0 or 2..100000"),
        (["--scheme", "mode_b"], "invalid choice"),
        (["--omission-distance", "1"], "outside 2..100"),
        (["--level", "2"], "outside 0.5..0.999"),
    ],
)
def test_cli_bounded_options(tmp_path, capsys, extra, text):
    from loyaltysem.cli import main

    model = tmp_path / "m.lav"
    model.write_text(SIMPLE)
    try:
        rc = main(["pls", str(SURVEYS / "corporate_reputation.csv"), "--model", str(model), *extra])
    except SystemExit as exc:  # argparse's exit, unless the CLI turns it into a return code
        rc = exc.code
    assert rc == 2 and text in capsys.readouterr().err


def test_cli_bad_model_one_line(tmp_path, capsys):
    from loyaltysem.cli import main

    model = tmp_path / "m.lav"
    model.write_text("COMP =~ comp_1 + comp_2\nCUSL ~ COMP\n")
    rc = main(["pls", str(SURVEYS / "corporate_reputation.csv"), "--model", str(model)])
    err = capsys.readouterr().err
    assert rc == 2 and "construct CUSL has no items" in err and err.count("\n") == 1


def test_cli_toml_mode_b(tmp_path):
    from loyaltysem.cli import main

    toml = tmp_path / "m.toml"
    toml.write_text(
        '[[constructs]]\ncode = "ATTR"\nmode = "B"\nitems = ["attr_1", "attr_2", "attr_3"]\n'
        '[[constructs]]\ncode = "COMP"\nitems = ["comp_1", "comp_2", "comp_3"]\n'
        '[structural]\nsyntax = "COMP ~ ATTR"\n'
    )
    out = tmp_path / "o.json"
    rc = main(["pls", str(SURVEYS / "corporate_reputation.csv"), "--model", str(toml),
               "--missing-codes", "-99", "--predict-folds", "0", "--json", str(out)])  # fmt: skip
    d = json.loads(out.read_text())
    assert rc == 0 and {w["mode"] for w in d["weights"] if w["construct"] == "ATTR"} == {"B"}
    assert d["predict"] is None and d["reliability"]["ATTR"]["rhoA"] == 1.0
