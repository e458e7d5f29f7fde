"""``loyaltysem pls DATA --model MODEL``: PLS-SEM as SmartPLS / seminr compute it."""

from __future__ import annotations

import argparse

from loyaltysem.cli._common import add_data_options, add_reverse_options, load_from_args


def _int_in(lo: int, hi: int, *, zero: bool = False):
    """argparse type: an integer in [lo, hi] (or 0 when ``zero``)."""

    def parse(text: str) -> int:
        try:
            v = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from None
        if (zero and v == 0) or lo <= v <= hi:
            return v
        also = "0 or " if zero else ""
        raise argparse.ArgumentTypeError(f"{v} is outside {also}{lo}..{hi}")

    return parse


def _level(text: str) -> float:
    try:
        v = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a number") from None
    if not 0.5 <= v < 1:
        raise argparse.ArgumentTypeError(f"{v} is outside 0.5..0.999 (e.g. 0.95)")
    return v


def add_parser(sub) -> None:
    p = sub.add_parser(
        "pls",
        help="PLS-SEM (partial least squares path modelling, as SmartPLS / seminr)",
        description="Estimate a PLS path model: '=~' constructs in mode A, '<~' in mode B, "
        "'~' structural paths (lavaan syntax, or the project's TOML with mode = \"B\"); a "
        "construct measured by constructs is higher-order (disjoint two-stage approach). "
        "Reports weights, loadings, paths, R2, f2, alpha, rhoA, rhoC, AVE, HTMT, "
        "Fornell-Larcker, VIFs, effects, Q2 and PLSpredict; --bootstrap adds SE, t, p and "
        "percentile/BCa intervals. Missing answers are mean-replaced (counted).",
    )
    add_data_options(p)
    add_reverse_options(p)
    p.add_argument("--scheme", choices=["path", "factorial", "centroid"], default="path")
    p.add_argument("--consistent", action="store_true", help="PLSc for the '=~' constructs")
    p.add_argument(
        "--bootstrap",
        type=_int_in(2, 100_000, zero=True),
        nargs="?",
        const=5000,
        default=0,
        metavar="N",
        help="bootstrap draws (0..100000; --bootstrap alone: 5000 as SmartPLS)",
    )
    p.add_argument(
        "--seed", type=_int_in(0, 2**32 - 1), default=None, help="random seed (default 12345)"
    )
    p.add_argument("--level", type=_level, default=0.95, help="confidence level (0.95)")
    p.add_argument("--jobs", type=_int_in(1, 256), default=None, help="worker processes")
    p.add_argument(
        "--omission-distance",
        type=_int_in(2, 100),
        default=7,
        metavar="D",
        help="blindfolding omission distance for Q2 (2..100, default 7)",
    )
    p.add_argument(
        "--predict-folds",
        type=_int_in(2, 100, zero=True),
        default=10,
        metavar="K",
        help="PLSpredict folds (2..100, 0 = skip; default 10)",
    )
    p.add_argument("--max-iter", type=_int_in(1, 10_000), default=300, help="iteration limit (300)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from loyaltysem.base.errors import InputError
    from loyaltysem.base.fileio import write_json
    from loyaltysem.base.validate import DEFAULT_SEED
    from loyaltysem.pls import pls, read_pls_model

    if not args.model:
        raise InputError("--model MODEL is required (lavaan syntax with =~, <~ and ~, or TOML)")
    model = read_pls_model(args.model)
    survey = load_from_args(args, model.to_instrument())
    seed = DEFAULT_SEED if args.seed is None else args.seed
    res = pls(
        survey,
        model,
        scheme=args.scheme,
        consistent=args.consistent,
        max_iter=args.max_iter,
        omission_distance=args.omission_distance,
        n_boot=args.bootstrap,
        seed=seed,
        level=args.level,
        n_jobs=args.jobs,
    )
    if args.predict_folds and res.higher_order:
        from loyaltysem.pls.result import no_predict_notice

        res.warnings.append(no_predict_notice())
    elif args.predict_folds:
        if args.predict_folds > res.n:
            raise InputError(f"--predict-folds {args.predict_folds} exceeds n = {res.n}")
        res.run_predict(folds=args.predict_folds, seed=seed)
    if args.json:
        write_json(res.to_dict(), args.json)
    if args.json != "-":
        print(res.summary())
    return 0
