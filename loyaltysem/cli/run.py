"""``loyaltysem run [DATA] [--model MODEL] [--out DIR]``: the whole chain to a report folder."""

from __future__ import annotations

import argparse

from loyaltysem.cli._common import (
    add_estimator_option,
    add_missing_option,
    add_reverse_options,
    estimator_help,
)


def add_parser(sub) -> None:
    p = sub.add_parser(
        "run",
        help="run the whole analysis and write the report (no arguments: the bundled example)",
        description="Load, screen, check reliability and factor structure, fit the CFA and the "
        "structural model, and write the results chapter (tables and figures) to --out.",
    )
    p.add_argument("data", nargs="?", metavar="DATA", help="data file (default: bundled example)")
    p.add_argument("--model", metavar="MODEL", help="model file (TOML or lavaan syntax)")
    p.add_argument("--out", default="report", metavar="DIR", help="report folder (default: report)")
    p.add_argument(
        "--lang",
        choices=["en", "zh", "both"],
        default="both",
        help="report language(s); both: English in DIR, Chinese in DIR/zh",
    )
    add_estimator_option(p, estimator_help())
    add_missing_option(p)
    p.add_argument("--missing-codes", metavar="CODES", help="values that mean missing, e.g. -99")
    p.add_argument("--encoding", help="text encoding of a CSV file (default: detected)")
    p.add_argument("--sheet", help="Excel sheet name or number")
    add_reverse_options(p)
    p.add_argument(
        "--bootstrap",
        type=int,
        default=None,
        metavar="N",
        help="bootstrap draws for the mediation and moderated-mediation tables (default 1000, "
        "under --missing fiml 0; 0: delta-method intervals); with --method pls the draws of "
        "every PLS test (default 5000, as SmartPLS)",
    )
    p.add_argument("--seed", type=int, default=None)
    p.add_argument(
        "--ci",
        choices=["percentile", "bc", "bca"],
        default="bc",
        help="bootstrap interval of the mediation table (default bc: bias-corrected)",
    )
    p.add_argument(
        "--chapter",
        type=_chapter_number,
        default=4,
        metavar="N",
        help="chapter number of the report's captions and headings (default 4: 表4-1)",
    )
    p.add_argument(
        "--method",
        choices=["cb", "pls"],
        default="cb",
        type=str.lower,
        help="cb: covariance-based SEM (lavaan's numbers, default); pls: PLS-SEM (SmartPLS / "
        "seminr's numbers, path weighting, 5000 bootstrap draws by default)",
    )
    p.add_argument("--group", metavar="COL", help="column for invariance and path comparison")
    p.add_argument(
        "--drop-careless",
        action="store_true",
        default=None,
        help="remove straight-liners, speeders and failed attention checks before the "
        "analysis (default: the model file's [screening] setting, else keep them flagged)",
    )
    p.add_argument(
        "--efa-method",
        choices=["minres", "pca"],
        default="minres",
        type=str.lower,
        help="EFA extraction: minres (psych) or pca (principal components + varimax, SPSS)",
    )
    p.add_argument(
        "--ordered",
        metavar="ITEMS",
        help="items answered on ordered categories, comma-separated, or 'all' (estimated with "
        "WLSMV on polychoric correlations, with ordinal alpha and categorical omega); 'none' "
        "overrides the model file's [scale] ordered",
    )
    p.add_argument(
        "--allow-negative",
        action="store_true",
        help="go on when a construct's alpha is negative or a reverse-keyed item still runs "
        "against its construct after the declared reversal (the file may hold it already "
        "recoded); the report's reliability note says so",
    )
    p.set_defaults(func=run)


def _chapter_number(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"a whole number is needed, not {text!r}") from None
    if not 1 <= n <= 99:
        raise argparse.ArgumentTypeError(f"must be between 1 and 99 (got {n})")
    return n


def run(args: argparse.Namespace) -> int:
    from loyaltysem.base.errors import InputError
    from loyaltysem.cli._common import load_from_args, ordered_from_args
    from loyaltysem.examples import example_paths
    from loyaltysem.pipeline.analysis import analyze

    if args.data is None:
        paths = example_paths()
        args.data = str(paths["data_sav"])
        args.model = args.model or str(paths["model"])
    if not args.model:
        raise InputError("--model MODEL is required with your own data")
    ordered = ordered_from_args(args)
    model = args.model
    if args.method == "pls":
        if ordered:
            raise InputError("--ordered is for --method cb (WLSMV); PLS-SEM uses the scores")
        if args.missing == "fiml":
            raise InputError("--missing fiml is for --method cb; PLS-SEM replaces missing "
                             "answers by the item mean")  # fmt: skip
        if args.group:
            raise InputError("--group (multi-group comparison) is available with --method cb")
        from loyaltysem.pls import read_pls_model

        model = read_pls_model(args.model)
        survey = load_from_args(args, model.to_instrument())
    else:
        survey = load_from_args(args)
    if args.bootstrap is None:  # FIML refits per draw take minutes: ask for them explicitly
        args.bootstrap = 5000 if args.method == "pls" else 0 if args.missing == "fiml" else 1000
    result = analyze(
        survey,
        model,
        method=args.method,
        estimator=args.estimator if args.method == "cb" else None,
        missing=args.missing,
        ordered=ordered,
        bootstrap=args.bootstrap,
        seed=args.seed,
        ci=args.ci,
        progress=args.bootstrap > 0,
        group=args.group,
        efa_method=args.efa_method,
        chapter=args.chapter,
        drop_careless=args.drop_careless,
        allow_negative=args.allow_negative,
    )
    written = result.write_report(args.out, lang=args.lang)
    print(repr(result))
    print(f"report written to {args.out}/ ({len(written)} files)")
    for w in result.all_warnings():
        print(f"warning: {w}")
    return 0
