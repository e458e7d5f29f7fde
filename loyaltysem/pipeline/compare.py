"""The research model against rival models (``loyaltysem run --compare MODEL``): every model
fitted to the valid sample's respondents (the same rows for all), compared as lavTestLRT
does (:func:`loyaltysem.analyses.compare.compare`), and the model the chapter keeps decided
by :func:`loyaltysem.judgment.compare.choose_model`."""

from __future__ import annotations

from pathlib import Path

from loyaltysem.analyses.compare import compare
from loyaltysem.base.errors import InputError
from loyaltysem.judgment.compare import choose_model
from loyaltysem.pipeline.options import RunOptions
from loyaltysem.pipeline.results import CompareStage, SampleStage

RESEARCH = "research"


def rival_name(k: int) -> str:
    """The name of the k-th rival model (1, 2, ...) in the comparison: "rival1", ..."""
    return f"rival{k}"


def compare_stage(sample: SampleStage, opts: RunOptions, fit_kw: dict, warnings: list,
                  main_n: int | None = None) -> CompareStage | None:  # fmt: skip
    """Fit the research model (the model file's) and ``opts.compare``'s rival model files
    (.lav or TOML) to the same respondents and decide which model is kept; None when no
    rival model is given. ``fit_kw``: the run's fit options (estimator, missing, ordered);
    ``main_n``: the N of the run's own fit (the warning on the respondents left out is
    repeated only when the comparison uses fewer, i.e. a rival model has more variables).

    Example:
        >>> opts = run_options(compare=("rival.lav",))  # doctest: +SKIP
        >>> st = compare_stage(sample, opts, {}, [])  # doctest: +SKIP
        >>> st.verdicts["choice"].values["model"]  # doctest: +SKIP
        'research'
    """
    if not opts.compare:
        return None
    inst = sample.instrument
    rivals = [str(m) for m in opts.compare]
    check_rivals(inst, rivals)
    names = [RESEARCH] + [rival_name(k) for k in range(1, len(rivals) + 1)]
    res = compare(sample.survey, [inst, *rivals], names=names, **fit_kw)
    own = [w for w in res.warnings if any(w.startswith(f"{k}: ") for k in names)]
    rows = [w for w in res.warnings if w not in own and (main_n is None or res.n < main_n)]
    warnings += [w for w in rows + own if w not in warnings]
    files = dict(zip(names, [inst.source, *rivals], strict=True))
    same = len({frozenset(f.model.mv.ov) for f in res.fits.values()}) == 1
    return CompareStage(res, files, {"choice": choose_model(res.models, res.tests,
                                                            same_variables=same)})  # fmt: skip


def check_rivals(inst, rivals: list[str]) -> None:
    """Each rival model file exists, and a TOML one declares no reverse-keyed item the
    research model does not (the data were recoded by the research model's file)."""
    from loyaltysem.survey.instrument import read_instrument

    declared = set(inst.reverse_items)
    for m in rivals:
        path = Path(m)
        if not path.is_file():
            raise InputError("rival model file not found", file=m)
        if path.suffix.lower() != ".toml":
            continue
        extra = sorted(set(read_instrument(path).reverse_items) - declared)
        if extra:
            raise InputError(
                f"declares {extra[0]} reverse-keyed but the research model does not: declare "
                "the same reverse-keyed items in every model",
                file=m,
            )
