"""``loyaltysem reliability DATA --model MODEL``: alpha, CITC, CR, AVE, omega, HTMT."""

from __future__ import annotations

import argparse

from loyaltysem.cli._common import (
    add_data_options,
    add_reverse_options,
    load_from_args,
    ordered_from_args,
)

HTMT_VERSIONS = {
    "htmt": "classic HTMT: mean heterotrait over the geometric mean of the mean monotrait "
    "correlations (Henseler, Ringle & Sarstedt 2015; semTools::htmt(htmt2 = FALSE))",
    "htmt2": "HTMT2: geometric means of the correlations (Roemer, Schuberth & Henseler 2021; "
    "semTools 0.5.6's default, htmt2 = TRUE)",
}


def add_parser(sub) -> None:
    p = sub.add_parser(
        "reliability",
        help="reliability and validity per construct",
        description="Cronbach's alpha, CITC, alpha if deleted, CR, AVE, omega "
        "(from the CFA), HTMT and HTMT2 and the Fornell-Larcker table.",
    )
    add_data_options(p)
    add_reverse_options(p)
    p.add_argument(
        "--missing",
        choices=["pairwise", "listwise"],
        default="pairwise",
        type=str.lower,
        help="missing answers in alpha, CITC and omega total: pairwise (psych's default: every "
        "row, each covariance from the rows that answered both items) or listwise (complete "
        "rows only). The CFA and HTMT use the complete rows, as lavaan and semTools do.",
    )
    p.add_argument(
        "--ordered",
        metavar="ITEMS",
        default=None,
        help="items to treat as ordered categories (comma-separated, 'all', or 'none' to override "
        "the model file's [scale] ordered): adds ordinal "
        "alpha (psych::alpha of the polychoric correlations) and, from a WLSMV CFA, "
        "semTools' categorical omega and AVE; the other numbers stay as they are",
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from loyaltysem.base.errors import InputError
    from loyaltysem.base.fileio import write_json
    from loyaltysem.psychometrics.reliability import (
        convergent_validity,
        fornell_larcker,
        htmt,
        reliability_table,
    )
    from loyaltysem.semcore.estimation import sem

    if not args.model:
        raise InputError("--model MODEL is required")
    survey = load_from_args(args)
    inst = survey.instrument
    ci = inst.construct_items
    X = survey.data[inst.item_codes]
    rel = reliability_table(X, ci, missing=args.missing, reversed_items=survey.recoded)
    cfa = sem(inst.measurement_syntax(), survey)
    complete = X.dropna()
    val = convergent_validity(cfa.estimates, ci, complete.cov(ddof=0))
    lv = list(ci)
    est = cfa.estimates
    fl = fornell_larcker(cfa.cor_lv().loc[lv, lv], val["ave"])  # model-implied (cor.lv)
    h, h2 = htmt(survey.data, ci), htmt(survey.data, ci, htmt2=True)
    constructs = rel.to_dict()
    loads = est[est["op"] == "=~"].set_index("rhs")["std.all"]
    for c, entry in constructs.items():
        for key in ("cr", "ave", "sqrt.ave", "omega"):
            entry[key] = val.loc[c, key] if c in val.index else None
        for item, irow in entry["items"].items():
            irow["loading.std"] = loads.get(item)
    out = {
        "missing": rel.missing,
        "n": rel.n,
        "n_rows": rel.n_rows,
        "n_complete": rel.n_complete,
        "warnings": list(rel.warnings) + list(cfa.warnings),
        "constructs": constructs,
        "cfa": {"n": cfa.n, "missing": cfa.missing, "estimator": cfa.estimator},
        "htmt": {a: {b: h.loc[a, b] for b in lv if b != a} for a in lv},
        "htmt2": {a: {b: h2.loc[a, b] for b in lv if b != a} for a in lv},
        "htmt_info": {"missing": "listwise", "n": len(complete), **HTMT_VERSIONS},
        "fornell_larcker": {a: {b: fl.loc[a, b] for b in lv} for a in lv},
    }
    ordinal = None
    chosen = ordered_from_args(args)
    if chosen is None:  # the model file's [scale] ordered
        chosen = list(survey.instrument.ordered) if survey.instrument is not None else None
    if chosen:
        ordinal = _ordered(chosen, survey, constructs)
        out["ordered"] = ordinal.pop("json")
        out["warnings"] += ordinal["warnings"]
    if args.json:
        write_json(out, args.json)
    if args.json != "-":
        _print(rel, val, h, h2, cfa)
        if ordinal is not None:
            _print_ordered(ordinal)
    return 0


def _ordered(chosen, survey, constructs: dict) -> dict:
    """--ordered: ordinal alpha of the constructs whose items are all ordered, and
    compRelSEM / AVE of a CFA with those items ordered (WLSMV); adds keys to ``constructs``."""
    from loyaltysem.base.errors import InputError
    from loyaltysem.psychometrics.ordinal_reliability import (
        POLYCHORIC_SOURCE,
        ordinal_alpha,
        ordinal_cfa_reliability,
    )
    from loyaltysem.semcore.estimation import sem

    inst = survey.instrument
    items = list(inst.item_codes) if chosen is True else list(chosen)
    unknown = [v for v in items if v not in inst.item_codes]
    if unknown:
        raise InputError("--ordered: not an item of the model", column=unknown[0])
    ci = {c: its for c, its in inst.construct_items.items() if set(its) <= set(items)}
    alpha = ordinal_alpha(survey.data, ci)
    cfa = sem(inst.measurement_syntax(), survey, ordered=items)
    omega = ordinal_cfa_reliability(cfa).set_index("construct")
    for c, entry in constructs.items():
        a = alpha.constructs.loc[c] if c in alpha.constructs.index else None
        o = omega.loc[c] if c in omega.index and omega.loc[c, "items"] == "ordered" else None
        entry["alpha.ordinal"] = None if a is None else a["alpha"]
        entry["n.ordinal"] = None if a is None else int(a["n"])
        for key, col in (("omega.categorical", "omega"), ("omega.latent", "omega.latent"),
                         ("ave.categorical", "ave")):  # fmt: skip
            entry[key] = None if o is None else o[col]
        rows = alpha.items[alpha.items["construct"] == c].set_index("item")
        for item, irow in entry["items"].items():
            hit = item in rows.index
            irow["citc.ordinal"] = rows.loc[item, "citc"] if hit else None
            irow["alpha.ordinal.if.deleted"] = rows.loc[item, "alpha.if.deleted"] if hit else None
    info = {
        "items": items,
        "alpha": f"psych::alpha() of {POLYCHORIC_SOURCE}; each construct on the rows that "
        "answered all its items (n.ordinal)",
        "omega": "semTools::compRelSEM() of the CFA below: Green & Yang's (2009) categorical "
        "omega (omega.categorical), omega of the latent responses (omega.latent, ord.scale = "
        "FALSE); AVE: semTools::AVE() on the polychoric correlations",
        "cfa": {"n": cfa.n, "missing": cfa.missing, "estimator": cfa.estimator},
    }
    return {"json": info, "alpha": alpha, "omega": omega, "cfa": cfa,
            "warnings": list(alpha.warnings) + list(cfa.warnings)}  # fmt: skip


def _print_ordered(ordinal: dict) -> None:
    cfa = ordinal["cfa"]
    print("\nordinal alpha: psych::alpha of lavaan's polychoric correlations")
    print(ordinal["alpha"].constructs.round(3).to_string())
    print(f"\ncompRelSEM / AVE for ordered items (CFA, {cfa.estimator}, n = {cfa.n})")
    print(ordinal["omega"].drop(columns="group").round(3).to_string())


def _print(rel, val, h, h2, cfa) -> None:
    rule = "pairwise (psych's default)" if rel.missing == "pairwise" else "listwise (complete rows)"
    print(f"alpha, CITC, omega total: missing answers {rule}, n = {rel.n}")
    print(rel.constructs.drop(columns=["missing"], errors="ignore").round(3).to_string())
    print(f"\nCR, AVE (CFA, {cfa.estimator}, {cfa.missing}, n = {cfa.n})")
    print(val.round(3).to_string())
    for key, m in (("htmt", h), ("htmt2", h2)):
        print(f"\n{key}: {HTMT_VERSIONS[key]}; complete rows")
        print(m.round(3).to_string())
    for w in rel.warnings + list(cfa.warnings):
        print(f"warning: {w}")
