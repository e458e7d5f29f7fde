"""``loyaltysem screen DATA [--model MODEL] [options] [--json OUT] [--out DIR]``.

Loads the data, screens it (:func:`loyaltysem.psychometrics.screening.screen`) and prints a summary.
``--json OUT`` writes :meth:`ScreeningResult.to_dict` (``n``, ``n_input``, ``warnings``,
``policy``, ``removed_counts``, ``removed``, ``missing``, ``flags``, ``descriptives``,
``mardia``, ``profile``, ``log``); ``--out DIR`` writes the tables as CSV (UTF-8 with BOM, so
Excel shows Chinese text) plus the screened data, whole or not at all.
"""

from __future__ import annotations

import argparse

from loyaltysem.cli._common import add_data_options, load_from_args


def add_parser(sub) -> None:
    p = sub.add_parser(
        "screen",
        help="screen the data: missing answers, straight-lining, speeders, attention checks, "
        "descriptives, Mardia, outliers, sample profile",
        description="Screen questionnaire data. Respondents are flagged, and dropped only "
        "when asked; every removal is listed with its reason.",
    )
    add_data_options(p)
    p.add_argument(
        "--policy",
        choices=["listwise", "max_missing", "fiml", "none"],
        default="listwise",
        help="missing answers: listwise (drop incomplete respondents; default), max_missing "
        "(drop those above --max-missing-share), fiml/none (drop nobody)",
    )
    p.add_argument(
        "--max-missing-share",
        type=float,
        default=0.2,
        metavar="SHARE",
        help="with --policy max_missing: largest share of unanswered items kept (default 0.2)",
    )
    p.add_argument("--drop-straightliners", action="store_true", help="drop straight-liners")
    p.add_argument("--drop-speeders", action="store_true", help="drop speeders")
    p.add_argument(
        "--min-duration",
        type=float,
        metavar="SECONDS",
        help="speeder threshold (default: a third of the median completion time)",
    )
    p.add_argument("--duration-column", metavar="COL", help="completion-time column")
    p.add_argument(
        "--drop-attention", action="store_true", help="drop respondents failing attention checks"
    )
    p.add_argument(
        "--drop-outliers",
        action="store_true",
        help="drop multivariate outliers (Mahalanobis p < .001)",
    )
    p.add_argument("--lang", choices=["en", "zh"], default="en", help="sample-profile labels")
    p.add_argument("--out", metavar="DIR", help="write the screening tables (CSV) into DIR")
    p.set_defaults(func=run)


def _write_tables(res, folder: str) -> list[str]:
    from loyaltysem.base.fileio import atomic_directory, write_json
    from loyaltysem.report.writers.files import neutralise_frame

    tables = {
        "missing_by_item.csv": res.missing_by_item.reset_index(),
        "missing_by_respondent.csv": res.missing_by_respondent,
        "flags.csv": res.flags,
        "removed.csv": res.removed,
        "descriptives.csv": res.descriptives.reset_index(),
        "outliers.csv": res.flags.loc[res.flags["outlier"]],
        "sample_profile.csv": res.profile,
        "screened_data.csv": res.survey.data,
    }
    with atomic_directory(folder) as tmp:
        for name, df in tables.items():
            neutralise_frame(df).to_csv(tmp / name, index=False, encoding="utf-8-sig")
        write_json(res.to_dict(), tmp / "screening.json")
        (tmp / "log.txt").write_text("\n".join(res.survey.log) + "\n", encoding="utf-8")
    return sorted(tables) + ["log.txt", "screening.json"]


def run(args: argparse.Namespace) -> int:
    from loyaltysem.base.fileio import write_json
    from loyaltysem.psychometrics.screening import screen
    from loyaltysem.report.i18n import t

    survey = load_from_args(args)
    res = screen(
        survey,
        policy=args.policy,
        max_missing_share=args.max_missing_share,
        drop_straightliners=args.drop_straightliners,
        drop_speeders=args.drop_speeders,
        min_duration=args.min_duration,
        duration_column=args.duration_column,
        drop_attention=args.drop_attention,
        drop_outliers=args.drop_outliers,
        lang=args.lang,
        missing_label=t("missing", args.lang),
    )
    if args.json:
        write_json(res.to_dict(), args.json)
    written = _write_tables(res, args.out) if args.out else []
    if args.json != "-":
        print(res.summary())
        if survey.recoded:
            print(f"reverse-keyed items recoded: {', '.join(survey.recoded)}")
        for w in res.warnings:
            print(f"warning: {w}")
        if written:
            print(f"tables written to {args.out}/ ({len(written)} files)")
    return 0
