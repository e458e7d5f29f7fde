"""``loyaltysem power --model MODEL --n 200,300,500,800 --reps 1000``: sample-size planning."""

from __future__ import annotations

import argparse


def add_parser(sub) -> None:
    p = sub.add_parser(
        "power",
        help="Monte Carlo and RMSEA power for candidate sample sizes",
        description="Power of every structural path and indirect effect at each "
        "N, by Monte Carlo from a population model (lavaan syntax with "
        "standardized values), and the RMSEA tests' power (MacCallum et al. 1996).",
    )
    p.add_argument(
        "--model",
        required=True,
        metavar="MODEL",
        help="population model: lavaan syntax with values, e.g. "
        "models/online_loyalty_population.lav",
    )
    p.add_argument("--n", default="200,300,500,800", help="candidate sample sizes")
    p.add_argument("--reps", type=int, default=1000)
    p.add_argument("--seed", type=int, default=None, help="random seed (default 12345)")
    p.add_argument("--alpha", type=float, default=0.05)
    p.add_argument("--target", type=float, default=0.80)
    p.add_argument("--continuous", action="store_true", help="normal data instead of 7-point")
    p.add_argument(
        "--jobs",
        type=int,
        default=None,
        help="worker processes (default: this process, or all cores when the replications "
        "would take over 6 s)",
    )
    p.add_argument("--json", metavar="OUT")
    p.add_argument("--out", metavar="DIR", help="also write the tables (CSV) and power curves")
    p.add_argument("--lang", choices=["en", "zh"], default="en")
    p.set_defaults(func=run)


MAX_N = 100_000


def run(args: argparse.Namespace) -> int:
    from pathlib import Path

    from loyaltysem.analyses.power import monte_carlo_power, rmsea_power_table
    from loyaltysem.base.errors import InputError
    from loyaltysem.base.fileio import write_json
    from loyaltysem.base.validate import DEFAULT_SEED
    from loyaltysem.survey.instrument import read_model_text

    path = Path(args.model)
    syntax = read_model_text(path)
    try:
        ns = [int(x) for x in args.n.split(",") if x.strip()]
    except ValueError:
        raise InputError(
            f"--n must be a comma-separated list of integers, not '{args.n}'"
        ) from None
    if not ns or min(ns) < 10:
        raise InputError("--n needs sample sizes of at least 10")
    if max(ns) > MAX_N:
        raise InputError(
            f"--n {max(ns):,} is above {MAX_N:,}: every replication simulates and fits a data "
            "set of that size (at N = 100,000 power is 1 for any effect worth reporting)"
        )
    res = monte_carlo_power(
        syntax,
        ns,
        args.reps,
        seed=DEFAULT_SEED if args.seed is None else args.seed,
        alpha=args.alpha,
        target=args.target,
        scale=None if args.continuous else (1, 7),
        n_jobs=args.jobs,
        progress=args.json != "-",
    )
    out = res.to_dict()
    df = float(res.fit["df"].iloc[0])
    out["rmsea"] = rmsea_power_table(df, ns, args.alpha).to_dict("records")
    out["warnings"] = res.warnings
    if args.json:
        write_json(out, args.json)
    if args.out:
        import pandas as pd

        from loyaltysem.base.fileio import atomic_directory
        from loyaltysem.report.figures import power_curves

        with atomic_directory(args.out) as tmp:
            res.table.to_csv(tmp / "power.csv", index=False)
            res.fit.to_csv(tmp / "fit.csv", index=False)
            res.min_n.to_csv(tmp / "min_n.csv", index=False)
            pd.DataFrame(out["rmsea"]).to_csv(tmp / "rmsea_power.csv", index=False)
            power_curves(res.table, tmp / "power_curves.png", target=args.target, lang=args.lang)
    if args.json != "-":
        wide = res.table.pivot(index="parameter", columns="n", values="power")
        print(wide.round(3).to_string())
        print(res.min_n.to_string(index=False))
    return 0
