"""``loyaltysem run [DATA] [--model MODEL] [--out DIR]``: the whole chain to a report folder."""

from __future__ import annotations

import argparse

from loyaltysem.cli._common import (
    add_estimator_option,
    add_missing_codes_options,
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
    for add_options in (  # the option groups, in this order in --help
        _add_data_options,
        _add_bootstrap_options,
        _add_analysis_options,
        _add_process_options,
    ):
        add_options(p)
    p.set_defaults(func=run)


def _add_data_options(p: argparse.ArgumentParser) -> None:
    """DATA, --model, the report folder and language, the estimator and how the file is read."""
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
    add_missing_codes_options(p)
    p.add_argument("--encoding", help="text encoding of a CSV file (default: detected)")
    p.add_argument("--sheet", help="Excel sheet name or number")
    add_reverse_options(p)


def _add_bootstrap_options(p: argparse.ArgumentParser) -> None:
    """The bootstrap draws, the seed, the worker processes and the interval."""
    p.add_argument(
        "--bootstrap",
        type=int,
        default=None,
        metavar="N",
        help="bootstrap draws for the mediation and moderated-mediation tables (default 1000, "
        "under --missing fiml 0; 0: delta-method intervals); with --method pls the draws of "
        "every PLS test (default 5000, as SmartPLS)",
    )
    p.add_argument(
        "--seed",
        type=int,
        default=None,
        help="seed of every random step (bootstrap, parallel analysis; default 12345): the same "
        "command gives the same report",
    )
    p.add_argument(
        "--jobs",
        type=int,
        default=None,
        help="worker processes for the bootstrap draws (default: this process, or all cores "
        "when the draws would take over 6 s); the report is the same for any number",
    )
    p.add_argument(
        "--ci",
        choices=["percentile", "bc", "bca"],
        default="bc",
        help="bootstrap interval of the mediation table (default bc: bias-corrected)",
    )


def _add_analysis_options(p: argparse.ArgumentParser) -> None:
    """The chapter number, the method, groups, careless answers, EFA, ordered items, rival
    models and the web page's progress lines."""
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
    # JSON lines on stdout for the local web page (loyaltysem gui): the stages and the
    # bootstrap's chunks as they run; see docs/gui.md
    p.add_argument("--progress-json", action="store_true", help=argparse.SUPPRESS)
    p.add_argument(
        "--allow-negative",
        action="store_true",
        help="go on when a construct's alpha is negative or a reverse-keyed item still runs "
        "against its construct after the declared reversal (the file may hold it already "
        "recoded); the report's reliability note says so",
    )
    p.add_argument(
        "--compare",
        action="append",
        metavar="MODEL",
        help="a rival model file (.lav or TOML) fitted to the same respondents and compared "
        "with --model in the chapter (chi-square difference tests as lavTestLRT, AIC, BIC, fit "
        "indices); repeat for several",
    )


def _json_progress():
    """``(on_step, progress)`` callbacks printing one JSON object a line, flushed."""
    import json

    def on_step(name: str) -> None:
        print(json.dumps({"step": name}), flush=True)

    def progress(done: int, total: int, what: str) -> None:
        print(json.dumps({"progress": what, "done": done, "total": total}), flush=True)

    return on_step, progress


def _add_process_options(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group(
        "PROCESS", "a Hayes PROCESS model on construct scores in the chapter (as [[process]] "
        "in the model file)"
    )  # fmt: skip
    g.add_argument("--process", type=int, metavar="N", help="PROCESS model number (e.g. 7)")
    g.add_argument("--x", help="focal predictor X: a construct or a data column")
    g.add_argument("--y", help="outcome Y")
    g.add_argument("--m", help="mediator(s), comma-separated (in causal order for model 6)")
    g.add_argument("--w", help="moderator W")
    g.add_argument("--z", help="second moderator Z (models 2 and 3)")
    g.add_argument("--cov", help="covariates, comma-separated")


def process_from_args(args: argparse.Namespace) -> list:
    """The PROCESS model asked for with --process (none without it)."""
    from loyaltysem.base.errors import InputError
    from loyaltysem.survey.process_spec import process_spec

    given = [k for k in ("x", "y", "m", "w", "z", "cov") if getattr(args, k, None)]
    if args.process is None:
        if given:
            raise InputError(f"--{given[0]} belongs to a PROCESS model: add --process N")
        return []
    split = {k: [v.strip() for v in getattr(args, k).split(",") if v.strip()]
             for k in ("m", "cov") if getattr(args, k)}  # fmt: skip
    raw = {"model": args.process, **{k: getattr(args, k) for k in given}, **split}
    return [process_spec(raw, "--process")]


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
    from loyaltysem.pipeline.options import default_draws

    if args.data is None:
        paths = example_paths()
        args.data = str(paths["data_sav"])
        args.model = args.model or str(paths["model"])
    if not args.model:
        raise InputError("--model MODEL is required with your own data")
    on_step, progress = _json_progress() if args.progress_json else (None, None)
    if on_step:
        on_step("load")
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
        if args.compare:
            raise InputError("--compare (rival models) is available with --method cb")
        from loyaltysem.pls import read_pls_model

        model = read_pls_model(args.model)
        survey = load_from_args(args, model.to_instrument())
    else:
        survey = load_from_args(args)
    if args.bootstrap is None:  # the library's default (FIML refits per draw take minutes)
        args.bootstrap = default_draws(args.method, args.missing)
    result = analyze(
        survey,
        model,
        method=args.method,
        estimator=args.estimator if args.method == "cb" else None,
        missing=args.missing,
        ordered=ordered,
        n_boot=args.bootstrap,
        seed=args.seed,
        n_jobs=args.jobs,
        ci=args.ci,
        progress=progress or args.bootstrap > 0,
        group=args.group,
        efa_method=args.efa_method,
        chapter=args.chapter,
        drop_careless=args.drop_careless,
        process=process_from_args(args),
        on_step=on_step,
        allow_negative=args.allow_negative,
        compare=tuple(args.compare or ()),
    )
    if on_step:
        on_step("report")
    written = result.write_report(args.out, lang=args.lang)
    print(repr(result))
    print(f"report written to {args.out}/ ({len(written)} files)")
    for w in result.all_warnings():
        print(f"warning: {w}")
    return 0
