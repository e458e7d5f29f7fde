"""``loyaltysem efa DATA``: KMO, Bartlett, parallel analysis and exploratory factor analysis."""

from __future__ import annotations

import argparse

from loyaltysem.cli._common import add_data_options, add_reverse_options, load_from_args


def add_parser(sub) -> None:
    p = sub.add_parser(
        "efa",
        help="KMO, Bartlett, parallel analysis and EFA",
        description="Factorability tests and exploratory factor analysis.",
    )
    add_data_options(p)
    add_reverse_options(p)
    p.add_argument("--items", help="comma-separated items (default: the model's items)")
    p.add_argument("--n-factors", default="parallel", help="a number, or 'parallel'")
    p.add_argument("--method", choices=["minres", "ml", "principal"], default="minres")
    p.add_argument(
        "--rotation", choices=["varimax", "promax", "oblimin", "none"], default="varimax"
    )
    p.add_argument(
        "--seed", type=int, default=None, help="seed of the parallel analysis (default 12345)"
    )
    p.add_argument(
        "--n-iter", type=int, default=50, help="resampled data sets in the parallel analysis"
    )
    p.add_argument(
        "--missing",
        choices=["pairwise", "listwise"],
        default="pairwise",
        type=str.lower,
        help="missing answers in KMO, Bartlett, parallel analysis and the EFA: pairwise "
        "(psych's default: every row, each correlation from the rows that answered both "
        "items) or listwise (complete rows only)",
    )
    p.set_defaults(func=run)


def _items(args, survey) -> list[str]:
    from loyaltysem.base.errors import InputError

    if args.items:
        items = [i.strip() for i in args.items.split(",") if i.strip()]
        missing = [i for i in items if i not in survey.data.columns]
        if missing:
            raise InputError("item not in the data", file=args.data, column=missing[0])
    else:
        items = list(survey.items or [])
    if len(items) < 2:
        raise InputError("name the items with --items A,B,C or give --model MODEL", file=args.data)
    return items


def run(args: argparse.Namespace) -> int:
    from loyaltysem.base.errors import InputError
    from loyaltysem.base.fileio import write_json
    from loyaltysem.base.notice import prefixed
    from loyaltysem.base.validate import DEFAULT_SEED
    from loyaltysem.psychometrics.descriptives import apply_missing_rule
    from loyaltysem.psychometrics.efa import bartlett, efa, kmo, parallel_analysis
    from loyaltysem.psychometrics.keying import keying_notices

    survey = load_from_args(args)
    items = _items(args, survey)
    X = survey.data[items]
    X_used, info = apply_missing_rule(X, args.missing)
    k, b = kmo(X, args.missing), bartlett(X, args.missing)
    seed = DEFAULT_SEED if args.seed is None else args.seed
    pa = parallel_analysis(X, n_iter=args.n_iter, seed=seed, missing=args.missing)
    if args.n_factors == "parallel":
        n = max(pa.n_factors, 1)
    else:
        try:
            n = int(args.n_factors)
        except ValueError:
            raise InputError("--n-factors must be a number or 'parallel'") from None
    res = efa(X, n, args.method, args.rotation, missing=args.missing)
    msgs = []
    if info["message"]:
        msgs.append(prefixed("KMO, Bartlett, parallel analysis and EFA", info["message"]))
    msgs += [w for w in res.warnings if not w.startswith("EFA: ")]
    ci = {c: [i for i in its if i in items] for c, its in survey.construct_items.items()}
    msgs += keying_notices(X_used, ci, survey.recoded)
    rule = {"missing": info["missing"], "n": info["n"]}
    out = {
        **rule,
        "n_rows": info["n_rows"],
        "n_complete": info["n_complete"],
        "item_n": info["item_n"],
        "pairwise_n_min": info["pairwise_n_min"],
        "warnings": msgs,
        "kmo": {"overall": k["overall"], "items": k["items"].to_dict(), **rule},
        "bartlett": b,
        "parallel": {"n_factors": pa.n_factors, "n_components": pa.n_components, **rule},
        "eigenvalues": list(res.eigenvalues),
        "loadings": res.loadings.to_dict(orient="index"),
        "communalities": res.communalities.to_dict(),
        "variance": {k2: list(v) for k2, v in res.variance.to_dict(orient="list").items()},
        "phi": None if res.phi is None else res.phi.to_dict(orient="index"),
    }
    if args.json:
        write_json(out, args.json)
    if args.json != "-":
        how = "pairwise (psych's default)" if args.missing == "pairwise" else "listwise"
        print(f"missing answers: {how}, n = {info['n']} of {info['n_rows']} rows")
        print(f"KMO = {k['overall']:.3f}; Bartlett chi2 = {b['chisq']:.2f}, df = {b['df']:.0f}")
        print(f"parallel analysis: {pa.n_factors} factors, {pa.n_components} components")
        print(res.loadings.round(3).to_string())
        for w in msgs:
            print(f"warning: {w}")
    return 0
