"""``loyaltysem process DATA --process-model N --x X --y Y ... [--model MODEL]``: Hayes'
PROCESS (v4 conventions) on columns of the data file or, with ``--model``, on construct
scores (the mean of each construct's items after reverse keying)."""

from __future__ import annotations

import argparse

from loyaltysem.cli._common import add_data_options


def _names(text: str | None) -> list[str]:
    return [p.strip() for p in (text or "").split(",") if p.strip()]


def add_parser(sub) -> None:
    p = sub.add_parser(
        "process",
        help="Hayes' PROCESS models (moderation, mediation, conditional process analysis)",
        description="OLS regression-based mediation, moderation and conditional process "
        "analysis as Hayes' PROCESS v4: models 1, 2, 3, 4, 5, 6, 7, 8, 14, 15, 58, 59; "
        "percentile bootstrap intervals for indirect effects; moderators probed at their "
        "16th, 50th and 84th percentiles. Rows missing a variable in use are deleted.",
    )
    add_data_options(p)
    p.add_argument(
        "--process-model", type=int, required=True, metavar="N", help="PROCESS model number"
    )
    p.add_argument("--x", required=True, help="the focal predictor X (a column)")
    p.add_argument("--y", required=True, help="the outcome Y (a column)")
    p.add_argument("--m", help="mediator(s), comma-separated (in causal order for model 6)")
    p.add_argument("--w", help="the moderator W")
    p.add_argument("--z", help="the second moderator Z (models 2 and 3)")
    p.add_argument("--cov", help="covariates, comma-separated (in every equation)")
    p.add_argument(
        "--bootstrap",
        "--boot",
        dest="bootstrap",
        type=int,
        default=5000,
        metavar="N",
        help="bootstrap draws for indirect effects (default 5000; 0: none); --boot is the "
        "same option under PROCESS's name",
    )
    p.add_argument("--seed", type=int, default=None, help="random seed (default 12345)")
    p.add_argument(
        "--hc",
        type=str.upper,
        choices=["HC0", "HC1", "HC2", "HC3", "HC4"],
        help="heteroskedasticity-consistent standard errors",
    )
    p.add_argument(
        "--center", action="store_true", help="mean-centre the variables that form products"
    )
    p.add_argument("--conf", type=float, default=95.0, help="confidence level in percent (95)")
    p.add_argument(
        "--ci",
        choices=["percentile", "bc"],
        default="percentile",
        type=str.lower,
        help="bootstrap interval: percentile (PROCESS's default) or bias-corrected",
    )
    p.add_argument(
        "--probe",
        choices=["percentiles", "meansd"],
        default="percentiles",
        type=str.lower,
        help="moderator values: 16th/50th/84th percentiles or mean +-1 SD",
    )
    p.add_argument("--mcx", action="store_true", help="X is multicategorical (indicator codes)")
    p.add_argument("--mcw", action="store_true", help="W is multicategorical (indicator codes)")
    p.add_argument("--jobs", type=int, default=None, help="worker processes for the bootstrap")
    p.set_defaults(func=run)


def frame_from_args(args: argparse.Namespace):
    """The DataFrame PROCESS analyses: the data file's columns (after ``--missing-codes``);
    with ``--model``, the constructs named by --x/--m/--y/--w/--z/--cov as item means after
    reverse keying (other names stay data columns)."""
    from loyaltysem.cli._common import load_from_args

    survey = load_from_args(args)
    if not args.model:
        return survey.data
    from loyaltysem.pipeline.process import score_frame

    names = [args.x, *_names(args.m), args.y, args.w, args.z, *_names(args.cov)]
    frame, _ = score_frame(survey, survey.instrument, list(dict.fromkeys(n for n in names if n)))
    return frame


def run(args: argparse.Namespace) -> int:
    from loyaltysem.analyses.process import process
    from loyaltysem.base.fileio import write_json
    from loyaltysem.base.validate import DEFAULT_SEED

    res = process(
        frame_from_args(args),
        args.process_model,
        x=args.x,
        y=args.y,
        m=_names(args.m),
        w=args.w,
        z=args.z,
        cov=_names(args.cov),
        n_boot=args.bootstrap,
        seed=DEFAULT_SEED if args.seed is None else args.seed,
        hc=args.hc,
        center=args.center,
        conf=args.conf,
        ci=args.ci,
        probe=args.probe,
        n_jobs=args.jobs,
        mcx="indicator" if args.mcx else None,
        mcw="indicator" if args.mcw else None,
    )
    if args.json:
        write_json(res.to_dict(), args.json)
    if args.json != "-":
        print(res.summary())
    return 0
