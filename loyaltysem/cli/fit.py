"""``loyaltysem fit DATA --model MODEL``: estimate the SEM and write lavaan-named results."""

from __future__ import annotations

import argparse

from loyaltysem.cli._common import (
    add_data_options,
    add_missing_option,
    add_ordered_options,
    add_reverse_options,
    load_from_args,
    ordered_from_args,
)


def add_parser(sub) -> None:
    p = sub.add_parser(
        "fit",
        help="fit the structural equation model (lavaan-compatible estimates and fit measures)",
        description="Fit a structural equation model written in lavaan syntax and report "
        "parameterEstimates(), fitMeasures() and R-squared under lavaan's names.",
    )
    add_data_options(p)
    add_reverse_options(p)
    add_ordered_options(p)
    add_missing_option(p)
    p.add_argument("--group", metavar="COL", help="fit the model in each group of COL at once")
    p.add_argument(
        "--group-equal",
        metavar="LIST",
        default="",
        help="parameters equal across groups: loadings,intercepts,residuals,...",
    )
    p.add_argument(
        "--group-partial", metavar="LIST", default="", help='free again, e.g. "SAT =~ SAT3"'
    )
    p.add_argument("--std-lv", action="store_true", help="fix latent variances to 1")
    p.add_argument(
        "--mi",
        action="store_true",
        help="modification indices (lavaan's modindices(): mi, epc, sepc.*) into the JSON, "
        "and the 10 largest printed",
    )
    p.add_argument(
        "--bootstrap",
        type=int,
        default=0,
        metavar="N",
        help="bootstrap draws for every row's confidence interval",
    )
    p.add_argument("--seed", type=int, default=None, help="seed of --bootstrap (default 12345)")
    p.add_argument("--ci", choices=["percentile", "bc", "bca"], default="percentile")
    p.add_argument(
        "--jobs",
        type=int,
        default=None,
        help="worker processes for --bootstrap (default: this process, or all cores when the "
        "draws would take over 6 s)",
    )
    p.set_defaults(func=run)


def _split(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.split(",") if part.strip())


def run(args: argparse.Namespace) -> int:
    from loyaltysem.base.errors import InputError
    from loyaltysem.base.fileio import write_json
    from loyaltysem.semcore.estimation import sem

    if not args.model:
        raise InputError("--model MODEL is required (a lavaan syntax or TOML model file)")
    ordered = ordered_from_args(args)
    survey = load_from_args(args)
    result = sem(
        args.model,
        survey,
        ordered=ordered,
        parameterization=args.parameterization,
        estimator=args.estimator,
        missing=args.missing,
        group=args.group,
        group_equal=_split(args.group_equal),
        group_partial=_split(args.group_partial),
        std_lv=args.std_lv,
    )
    from loyaltysem.psychometrics.keying import keying_notices

    result.warnings.extend(keying_notices(survey.data, survey.construct_items, survey.recoded))
    out = result.to_dict() if args.json else {"warnings": []}  # the JSON's extra tables
    interactions = _interactions(result)
    if interactions:
        out["interactions"] = interactions
    if args.bootstrap:
        from loyaltysem.base.validate import DEFAULT_SEED
        from loyaltysem.semcore.resample.bootstrap import bootstrap, fill_intervals

        args.seed = DEFAULT_SEED if args.seed is None else args.seed
        boot = bootstrap(
            result,
            args.bootstrap,
            seed=args.seed,
            ci=args.ci,
            n_jobs=args.jobs,
            progress=args.json != "-",
        )
        filled = fill_intervals(result.estimates, boot, args.ci)
        out["estimates"] = filled.to_dict("records")
        out["bootstrap"] = {
            "draws": boot.n_boot,
            "failed": boot.n_failed,
            "seed": args.seed,
            "ci": args.ci,
        }
        out["warnings"] += boot.warnings
    mi = None
    if args.mi:
        from loyaltysem.semcore.modindices import modification_indices

        mi = modification_indices(result)
        out["modindices"] = mi.to_dict("records")
    if args.json:
        write_json(out, args.json)
    if args.json != "-":
        print(result.summary(parameters=True))
        _print_interactions(interactions)
        if args.bootstrap:
            print(_bootstrap_summary(filled, boot, args.ci))
        if mi is not None:
            _print_mi(mi, result.model.ngroups > 1)
    return 0


def _interactions(result) -> list[dict]:
    """The contract's ``interactions`` block (simple slopes at -1/0/+1 SD of the moderator
    and the Johnson-Neyman interval, as semTools' probe2WayMC) for every ``Y ~ X:Z`` row."""
    from loyaltysem.semcore.model.product_indicators import interaction_terms

    if not interaction_terms(result):  # the probing module (and scipy) only when needed
        return []
    from loyaltysem.analyses.interactions import interaction_summary

    return interaction_summary(result)


def _print_interactions(interactions: list[dict]) -> None:
    for it in interactions:
        print(
            f"\nSimple slopes of {it['x']} on {it['y']} by {it['z']} (SD {it['z_sd_value']:.3f}):"
        )
        for s in it["simple_slopes"]:
            print(
                f"  {it['z']} at {s['z_sd']:+.0f} SD: {s['est']:.3f} (se {s['se']:.3f}, "
                f"z {s['z']:.2f}, p {s['pvalue']:.3f})"
            )
        jn = it["johnson_neyman"]
        print(f"  Johnson-Neyman: lower {jn['lower']}, upper {jn['upper']} ({jn['region']})")


def _print_mi(mi, groups: bool, top: int = 10) -> None:
    """The largest modification indices, as lavaan's ``modindices(fit, sort. = TRUE)``."""
    rows = mi.sort_values("mi", ascending=False).head(top)
    if not groups:
        rows = rows.drop(columns="group")
    print(f"\nModification indices (the {len(rows)} largest of {len(mi)}):")
    print(rows.to_string(index=False, float_format=lambda v: f"{v:.3f}"))


def _bootstrap_summary(estimates, boot, ci: str) -> str:
    """The bootstrap intervals of the paths and defined parameters (the full table is in
    the JSON's estimates), with the draws that failed."""
    rows = estimates[estimates["op"].isin(["~", ":="])]
    head = (
        f"\nBootstrap: {boot.n_boot - boot.n_failed} of {boot.n_boot} draws, {ci} "
        f"{boot.level:.0%} intervals"
    )
    lines = [head] + [f"  warning: {w}" for w in boot.warnings]
    if not rows.empty:
        cols = ["lhs", "op", "rhs", "est", "boot.se", "ci.lower", "ci.upper"]
        if rows.loc[rows["op"] != ":=", "group"].nunique() > 1:
            cols.insert(3, "group")
        lines.append(
            rows[cols].to_string(index=False, na_rep="", float_format=lambda v: f"{v:.3f}")
        )
    return "\n".join(lines)
