"""loyaltysem: survey research from questionnaire data to a thesis results chapter, with
lavaan / semTools / psych / PROCESS numbers.

The verbs (each a plain function: a survey or a fitted model in, a result out)::

    import loyaltysem as ls
    paths = ls.example_paths()
    survey = ls.load(paths["data_csv"], paths["model"])  # reverse=, scale= as the CLI
    ls.screen(survey)                    # missing answers, careless respondents, outliers
    ls.reliability(survey)               # alpha, CITC, omega, CR, AVE, HTMT
    ls.efa(survey)                       # KMO, Bartlett, parallel analysis, EFA
    fit = ls.sem(paths["model"], survey) # also ls.cfa; lavaan's names
    boot = ls.bootstrap(fit, 1000)       # ls.mediation(fit, boot), ls.effects, ls.modindices
    ls.moderation, ls.invariance, ls.pls, ls.process, ls.power, ls.compare
    result = ls.analyze(survey, paths["model"])        # the whole chain, as `loyaltysem run`
    ls.write_report(result, "report/")   # the results chapter (English and Chinese)
    ls.init_model("my_survey.sav")       # a model file proposed for a data file

Every result has ``summary()``, ``to_frame()`` (its main table), ``tables()`` (every table),
``to_dict()`` (JSON-ready) and a short display in Jupyter; figures come from ``plot()`` (a
matplotlib Figure: EFA scree, path diagrams, interaction plots, bootstrap distributions,
power curves). Defaults are the CLI's (1000 bootstrap draws for CB-SEM and 5000 for PLS-SEM
in ``analyze``, the report in both languages, seed 12345). Errors in the input raise
``ls.InputError`` (subclasses ``InstrumentError``, ``ModelSyntaxError``, ``OutputError``,
``LimitError``). Names are imported when first used, so ``import loyaltysem`` stays fast.
"""

from __future__ import annotations

import importlib
import sys
import types

from loyaltysem.base.errors import (  # noqa: F401 - importable as ls.InputError etc.
    EstimationError,
    IdentificationError,
    InputError,
    InstrumentError,
    LimitError,
    LoyaltysemError,
    ModelSyntaxError,
    OutputError,
)

__version__ = "0.1.0"

#: the verbs, in the order of an analysis: name -> module (imported on first use)
VERBS = {
    "load": "survey.loaders",
    "screen": "psychometrics.screening",
    "reliability": "verbs",
    "efa": "verbs",
    "cfa": "semcore.estimation",
    "sem": "semcore.estimation",
    "bootstrap": "semcore.resample.bootstrap",
    "mediation": "verbs",
    "effects": "verbs",
    "modindices": "verbs",
    "moderation": "verbs",
    "invariance": "verbs",
    "compare": "analyses.compare",
    "pls": "pls.core",
    "process": "analyses.process.analysis",
    "power": "verbs",
    "analyze": "pipeline.analysis",
    "write_report": "report.write",
    "init_model": "pipeline.init_model",
}

#: helpers and types, importable but not the bulk of ``help(loyaltysem)``
_HELPERS = {
    "example_paths": "examples",
    "read_instrument": "survey.instrument",
    "parse_syntax": "survey.syntax",
    "simulate": "semcore.resample.simulate",
    "Instrument": "survey.instrument",
    "Survey": "survey.data",
}
_API = {**VERBS, **_HELPERS}

_ERRORS = [
    "EstimationError",
    "IdentificationError",
    "InputError",
    "InstrumentError",
    "LimitError",
    "LoyaltysemError",
    "ModelSyntaxError",
    "OutputError",
]

__all__ = [*VERBS, "example_paths", "read_instrument", "parse_syntax", "simulate"]


def __getattr__(name: str):
    if name in _API:
        target = f"{__name__}.{_API[name]}"
        try:
            module = importlib.import_module(target)
        except ModuleNotFoundError as exc:
            if exc.name != target:
                raise
            raise AttributeError(f"loyaltysem.{name} is not in this version ({target})") from None
        value = getattr(module, name)
        if name not in _SHADOWED:
            globals()[name] = value  # the next lookup is a plain attribute
        return value
    raise AttributeError(f"module 'loyaltysem' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(__all__) | set(_HELPERS) | set(_ERRORS) | {"__version__", "VERBS"})


#: verbs named like a subpackage: importing ``loyaltysem.pls`` sets the package attribute
#: ``pls`` to the subpackage, so the verb is looked up by name (``ls.pls`` is always the
#: function; the subpackage stays ``sys.modules["loyaltysem.pls"]``, and
#: ``from loyaltysem.pls import ...`` works as usual)
_SHADOWED = frozenset(n for n in VERBS if n == _API[n].split(".")[0])


class _Package(types.ModuleType):
    def __getattribute__(self, name: str):
        value = super().__getattribute__(name)
        if name in _SHADOWED and isinstance(value, types.ModuleType):
            return getattr(importlib.import_module(f"{__name__}.{_API[name]}"), name)
        return value


sys.modules[__name__].__class__ = _Package
