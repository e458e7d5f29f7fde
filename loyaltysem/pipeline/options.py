"""What the user asked the run to do, decided once at the start (``analyze``'s keyword
arguments, checked and with their defaults filled in). Every stage reads this object; none
re-decides a default."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from loyaltysem.base import validate
from loyaltysem.base.errors import InputError
from loyaltysem.semcore.estimate.options import Options, resolve_options

METHODS = ("cb", "pls")
INTERVALS = ("bc", "percentile", "bca")
EFA_METHODS = ("minres", "pca")
#: bootstrap draws when the user gives none (``loyaltysem run``'s and ``analyze()``'s default):
#: PLS-SEM 5000 (SmartPLS), CB-SEM 1000, FIML 0 (a refit per draw takes minutes)
DRAWS = {"pls": 5000, "cb": 1000, "fiml": 0}
LANGUAGES = ("en", "zh", "both")


def default_draws(method: str = "cb", missing: str = "listwise") -> int:
    """Bootstrap draws when none are asked for: 5000 for PLS-SEM, 0 under FIML, else 1000.

    Example:
        >>> default_draws("pls"), default_draws("cb"), default_draws("cb", "fiml")
        (5000, 1000, 0)
    """
    if method == "pls":
        return DRAWS["pls"]
    return DRAWS["fiml"] if str(missing).lower() == "fiml" else DRAWS["cb"]


@dataclass(frozen=True)
class RunOptions:
    """The run's choices. ``estimator`` None: ML, or WLSMV when items are ordered;
    ``ordered``: the items analysed as ordered categories (already resolved against the
    model); ``n_boot``: bootstrap draws for the intervals of the indirect effects (PLS: of
    every path; :func:`default_draws` when not given); ``seed``: the seed of every random
    step (:data:`validate.DEFAULT_SEED` when the
    user gives none, so the same command gives the same chapter)."""

    method: str = "cb"
    estimator: str | None = None
    missing: str = "listwise"
    ordered: tuple[str, ...] = ()
    n_boot: int = 0
    seed: int = validate.DEFAULT_SEED
    ci: str = "bc"
    n_jobs: int | None = None
    progress: bool | Callable[[int, int, str], None] = False  # a callable: see analyze()
    group: str | None = None
    efa_method: str = "minres"
    drop_careless: bool | None = None
    moderation: bool = True
    chapter: int = 4
    strict: bool = False
    allow_negative: bool = False  # go on when a construct's reverse keying fails
    fit: Options | None = None  # the estimator's meaning, resolved once (CB-SEM)
    process: tuple = ()  # PROCESS models asked for beside the model file's [[process]]
    compare: tuple[str, ...] = ()  # rival model files (run --compare), CB-SEM

    @property
    def ordered_items(self) -> list[str]:
        return list(self.ordered)

    @property
    def moderation_estimator(self) -> str:
        """The moderation models' estimator: the run's, except with ordered items, whose
        product indicators are not ordered categories (then the continuous default, ML)."""
        if self.fit is None or not self.fit.categorical:
            return self.estimator
        return resolve_options(None, self.missing).estimator


def run_options(**kw) -> RunOptions:
    """Check ``analyze``'s arguments once: one-line :class:`InputError` for a bad value."""
    if kw.get("method", "cb") not in METHODS:
        raise InputError(f"method must be 'cb' or 'pls', not {kw.get('method')!r}")
    if kw.get("ci", "bc") not in INTERVALS:
        raise InputError(f"ci must be one of {', '.join(INTERVALS)}, not {kw.get('ci')!r}")
    if kw.get("efa_method", "minres") not in EFA_METHODS:
        raise InputError(f"efa_method must be 'minres' or 'pca', not {kw.get('efa_method')!r}")
    seed = validate.seed(kw.get("seed"))
    kw["seed"] = validate.DEFAULT_SEED if seed is None else seed
    n_boot = kw.get("n_boot")
    if n_boot is None:
        n_boot = default_draws(kw.get("method", "cb"), kw.get("missing", "listwise"))
    kw["n_boot"] = validate.count(n_boot, "n_boot", 0, validate.MAX_DRAWS)
    kw["chapter"] = int(kw.get("chapter", 4))
    kw["strict"] = bool(kw.get("strict", False))
    kw["allow_negative"] = bool(kw.get("allow_negative", False))
    if kw.get("method") == "pls":
        if kw.get("missing", "listwise") != "listwise":
            raise InputError(
                "PLS-SEM replaces missing answers by the item mean (as SmartPLS and seminr); "
                "FIML is for covariance-based SEM"
            )
        if kw.get("group"):
            raise InputError("the multi-group comparison is available for covariance-based SEM")
        if kw.get("compare"):
            raise InputError("the rival-model comparison (--compare) is for covariance-based SEM")
    rivals = kw.get("compare") or ()
    kw["compare"] = (str(rivals),) if isinstance(rivals, str) else tuple(str(m) for m in rivals)
    for m in kw["compare"]:  # before any stage runs
        if not Path(m).is_file():
            raise InputError("rival model file not found", file=m)
    return RunOptions(**kw)
