"""``loyaltysem reliability DATA --model MODEL``: alpha, CITC, CR, AVE, omega, HTMT."""

from __future__ import annotations

import argparse

from ._common import add_data_options, load_from_args


def add_parser(sub) -> None:
    p = sub.add_parser(
        "reliability",
        help="reliability and validity per construct",
        description="Cronbach's alpha, CITC, alpha if deleted, CR, AVE, omega "
        "(from the CFA), HTMT and the Fornell-Larcker table.",
    )
    add_data_options(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    import pandas as pd

    from ..errors import InputError
    from ..estimation import sem
    from ..fileio import write_json
    from ..reliability import convergent_validity, fornell_larcker, htmt, reliability_table

    if not args.model:
        raise InputError("--model MODEL is required")
    survey = load_from_args(args)
    inst = survey.instrument
    ci = inst.construct_items
    X = survey.data[inst.item_codes]
    rel = reliability_table(X, ci)
    cfa = sem(inst.measurement_syntax(), survey)
    val = convergent_validity(cfa.estimates, ci, X.dropna().cov(ddof=0))
    lv = list(ci)
    est = cfa.estimates
    fc = pd.DataFrame(1.0, index=lv, columns=lv)
    for _, r in est[(est["op"] == "~~") & est["lhs"].isin(lv) & est["rhs"].isin(lv)].iterrows():
        fc.loc[r["lhs"], r["rhs"]] = fc.loc[r["rhs"], r["lhs"]] = r["std.all"]
    fl = fornell_larcker(fc, val["ave"])
    h = htmt(survey.data, ci)
    constructs = rel.to_dict()
    loads = est[est["op"] == "=~"].set_index("rhs")["std.all"]
    for c, entry in constructs.items():
        for key in ("cr", "ave", "sqrt.ave", "omega"):
            entry[key] = val.loc[c, key] if c in val.index else None
        for item, irow in entry["items"].items():
            irow["loading.std"] = loads.get(item)
    out = {
        "n": cfa.n,
        "warnings": list(rel.warnings) + list(cfa.warnings),
        "constructs": constructs,
        "htmt": {a: {b: h.loc[a, b] for b in lv if b != a} for a in lv},
        "fornell_larcker": {a: {b: fl.loc[a, b] for b in lv} for a in lv},
    }
    if args.json:
        write_json(out, args.json)
    if args.json != "-":
        print(rel.constructs.round(3).to_string())
        print(val.round(3).to_string())
    return 0
