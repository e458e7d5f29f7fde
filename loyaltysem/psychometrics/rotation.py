"""Factor rotations, step for step as R computes them for ``psych::fa``.

* varimax: Kaiser's (1958) criterion by ``stats::varimax`` (Kaiser row normalisation on, the
  SVD iteration, stop when the criterion grows by a factor below 1 + 1e-5);
* promax: Hendrickson & White (1964) as ``psych::fa(rotate = "promax")`` runs it
  (``psych::kaiser`` + ``psych::Promax``): rows normalised to unit length, varimax, target
  the loadings raised to the power m = 4 keeping their sign, least-squares fit, columns
  rescaled, Phi = U^-1 U^-T; rows scaled back. ``kaiser=False`` is ``stats::promax`` (and
  ``psych::Promax``) without the row normalisation;
* gradient projection (GPA; Jennrich 2001, 2002; Bernaards & Jennrich 2005) as
  ``GPArotation::GPForth`` (orthogonal) and ``GPFoblq`` (oblique): start at the identity,
  step-size doubling and up to 11 halvings, stop when the Frobenius norm of the projected
  gradient is below ``eps`` = 1e-5 (at most 1000 iterations), no row normalisation unless
  asked. Criteria as in GPArotation: quartimax (Carroll 1953; Neuhaus & Wrigley 1954),
  oblimin with gamma = 0, i.e. quartimin (Carroll 1953; Jennrich & Sampson 1966), geomin
  (Yates 1987; delta = .01), equamax as ``psych::equamax`` (the Crawford & Ferguson 1970
  family with kappa = k / (2p)), oblimax (Saunders 1961; run orthogonally here, where it
  agrees with quartimax; GPArotation's oblique oblimax lets the factors collapse).

An oblique rotation gives the pattern loadings L = A T^-T and the factor correlations
Phi = T'T; an orthogonal one L = A T. Factors are neither signed nor ordered here: psych::fa
does that afterwards (``efa._psych_order``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from loyaltysem.base.errors import InputError
from loyaltysem.base.result import ResultMixin

ORTHOGONAL = ("varimax", "quartimax", "equamax", "geominT", "oblimax")
OBLIQUE = ("promax", "oblimin", "quartimin", "geominQ")
ALIASES = {"geomin_ort": "geominT", "geomin_obl": "geominQ"}
Criterion = Callable[[np.ndarray], tuple[float, np.ndarray]]


@dataclass
class RotationResult(ResultMixin):
    """A rotated solution (see :func:`rotate`): ``loadings`` (pattern matrix when oblique),
    ``phi`` (factor correlations; None when orthogonal), ``rotmat`` (orthogonal: L = A T;
    oblique: L = A T^-T, GPArotation's ``Th``; varimax/promax: R's ``rotmat``, L = A rotmat),
    ``converged`` and ``iterations`` of the iterative step."""

    loadings: pd.DataFrame
    phi: pd.DataFrame | None
    rotmat: np.ndarray
    method: str
    converged: bool
    iterations: int


# --------------------------------------------------------------------------- criteria
def quartimax_criterion(L: np.ndarray) -> tuple[float, np.ndarray]:
    """Quartimax, GPArotation's ``vgQ.quartimax``: f = -sum(L^4) / 4, gradient -L^3.

    Example:
        >>> quartimax_criterion(np.eye(2))[0]
        -0.5
    """
    L2 = L**2
    return -float(np.sum(L2 * L2)) / 4, -(L**3)


def oblimin_criterion(L: np.ndarray, gam: float = 0.0) -> tuple[float, np.ndarray]:
    """Oblimin, GPArotation's ``vgQ.oblimin``: X = (I - gam/p 11') L^2 (11' - I),
    f = sum(L^2 * X) / 4, gradient L * X (gam = 0: quartimin; Jennrich 2002).

    Example:
        >>> oblimin_criterion(np.eye(2))[0]
        0.0
    """
    L2 = L**2
    X = L2.sum(axis=1, keepdims=True) - L2
    if gam != 0:
        X = X - gam * X.mean(axis=0)
    return float(np.sum(L2 * X)) / 4, L * X


def geomin_criterion(L: np.ndarray, delta: float = 0.01) -> tuple[float, np.ndarray]:
    """Geomin (Yates 1987), GPArotation's ``vgQ.geomin``: f = sum_i prod_j (l_ij^2 + delta)^(1/k).

    Example:
        >>> round(geomin_criterion(np.eye(2), 0.01)[0], 4)
        0.201
    """
    k = L.shape[1]
    L2 = L**2 + delta
    pro = np.exp(np.log(L2).sum(axis=1) / k)
    return float(pro.sum()), (2 / k) * (L / L2) * pro[:, None]


def cf_criterion(L: np.ndarray, kappa: float = 0.0) -> tuple[float, np.ndarray]:
    """Crawford & Ferguson (1970), GPArotation's ``vgQ.cf``: (1 - kappa) times the row
    complexity plus kappa times the column complexity of L^2.

    Example:
        >>> cf_criterion(np.eye(2), 0.25)[0]
        0.0
    """
    L2 = L**2
    rows = L2.sum(axis=1, keepdims=True) - L2  # L^2 (11' - I)
    cols = L2.sum(axis=0, keepdims=True) - L2  # (11' - I) L^2
    f = (1 - kappa) * float(np.sum(L2 * rows)) / 4 + kappa * float(np.sum(L2 * cols)) / 4
    return f, (1 - kappa) * L * rows + kappa * L * cols


def oblimax_criterion(L: np.ndarray) -> tuple[float, np.ndarray]:
    """Oblimax (Saunders 1961), GPArotation's ``vgQ.oblimax``:
    f = -(log sum L^4 - 2 log sum L^2).

    Example:
        >>> round(oblimax_criterion(np.eye(2))[0], 4)
        0.6931
    """
    s4, s2 = float(np.sum(L**4)), float(np.sum(L**2))
    return -float(np.log(s4) - 2 * np.log(s2)), -(4 * L**3 / s4 - 4 * L / s2)


# --------------------------------------------------------------------------- GPA
def _kaiser_weights(A: np.ndarray, normalize: bool) -> np.ndarray:
    return np.sqrt(np.sum(A**2, axis=1))[:, None] if normalize else np.ones((A.shape[0], 1))


def gpa_orthogonal(
    A: np.ndarray,
    criterion: Criterion,
    normalize: bool = False,
    eps: float = 1e-5,
    maxit: int = 1000,
) -> tuple[np.ndarray, np.ndarray, bool, int]:
    """Orthogonal gradient projection (Jennrich 2001; Bernaards & Jennrich 2005), step for
    step ``GPArotation::GPForth``: T from the identity, projected gradient
    Gp = G - T (T'G + G'T)/2, a step of twice the last size halved (at most 11 times) until
    f falls by more than s^2 al / 2, T the orthogonal polar factor of T - al Gp; stop when
    s = ||Gp||_F < ``eps``. Returns (L = A T, T, converged, iterations).

    Example:
        >>> A = np.array([[.8, .3], [.7, .4], [.3, .8], [.2, .7]])
        >>> L, T, ok, it = gpa_orthogonal(A, quartimax_criterion)
        >>> ok, bool(np.allclose(T.T @ T, np.eye(2)))
        (True, True)
    """
    W = _kaiser_weights(A, normalize)
    A = A / W
    T = np.eye(A.shape[1])
    al = 1.0
    L = A @ T
    f, Gq = criterion(L)
    G = A.T @ Gq
    iterations = 0
    for it in range(maxit + 1):  # R: for (iter in 0:maxit), s tested before each step
        iterations = it
        M = T.T @ G
        Gp = G - T @ ((M + M.T) / 2)
        s = float(np.sqrt(np.sum(Gp**2)))
        if s < eps:
            break
        al *= 2
        for _ in range(11):
            U, _d, Vt = np.linalg.svd(T - al * Gp)
            Tt = U @ Vt
            L = A @ Tt
            ft, Gqt = criterion(L)
            if ft < f - 0.5 * s**2 * al:
                break
            al /= 2
        T, f, G = Tt, ft, A.T @ Gqt
    return L * W, T, s < eps, iterations


def gpa_oblique(
    A: np.ndarray,
    criterion: Criterion,
    normalize: bool = False,
    eps: float = 1e-5,
    maxit: int = 1000,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, bool, int]:
    """Oblique gradient projection (Jennrich 2002; Bernaards & Jennrich 2005), step for step
    ``GPArotation::GPFoblq``: T from the identity with unit-length columns, L = A T^-T,
    gradient G = -(L' Gq T^-1)', projected Gp = G - T diag(1'(T * G)), the step size search
    of :func:`gpa_orthogonal` with the columns of T - al Gp rescaled to unit length; stop
    when ||Gp||_F < ``eps``. Returns (L, T, Phi = T'T, converged, iterations).

    Example:
        >>> A = np.array([[.8, .3], [.7, .4], [.3, .8], [.2, .7]])
        >>> L, T, phi, ok, it = gpa_oblique(A, oblimin_criterion)
        >>> ok, bool(phi[0, 1] > 0.3)
        (True, True)
    """
    W = _kaiser_weights(A, normalize)
    A = A / W
    T = np.eye(A.shape[1])
    al = 1.0
    Ti = np.linalg.inv(T)
    L = A @ Ti.T
    f, Gq = criterion(L)
    G = -(L.T @ Gq @ Ti).T
    iterations = 0
    for it in range(maxit + 1):
        iterations = it
        Gp = G - T * np.sum(T * G, axis=0)
        s = float(np.sqrt(np.sum(Gp**2)))
        if s < eps:
            break
        al *= 2
        for _ in range(11):
            X = T - al * Gp
            Tt = X / np.sqrt(np.sum(X**2, axis=0))
            Ti = np.linalg.inv(Tt)
            L = A @ Ti.T
            ft, Gqt = criterion(L)
            if f - ft > 0.5 * s**2 * al:
                break
            al /= 2
        T, f = Tt, ft
        G = -(L.T @ Gqt @ Ti).T
    return L * W, T, T.T @ T, s < eps, iterations


# --------------------------------------------------------------------------- varimax, promax
def varimax(
    A: np.ndarray, normalize: bool = True, eps: float = 1e-5, maxit: int = 1000
) -> tuple[np.ndarray, np.ndarray, bool, int]:
    """Kaiser's (1958) varimax exactly as ``stats::varimax`` (what ``psych::fa`` calls):
    rows scaled to unit length (Kaiser normalisation), T = U V' from the SVD of
    B = A'(Z^3 - Z diag(1'Z^2)/p), Z = A T, until the sum of the singular values grows by
    less than a factor 1 + ``eps``. Returns (L = A T, T, converged, iterations).

    Example:
        >>> A = np.array([[.8, .3], [.7, .4], [.3, .8], [.2, .7]])
        >>> L, T, ok, it = varimax(A)
        >>> bool(np.allclose(L @ L.T, A @ A.T))
        True
    """
    sc = np.sqrt(np.sum(A**2, axis=1))[:, None] if normalize else np.ones((A.shape[0], 1))
    x = A / sc
    p, k = x.shape
    T = np.eye(k)
    d, converged, iterations = 0.0, False, 0
    for it in range(1, maxit + 1):
        iterations = it
        z = x @ T
        B = x.T @ (z**3 - z * (np.sum(z**2, axis=0) / p))
        U, sv, Vt = np.linalg.svd(B)
        T = U @ Vt
        dpast, d = d, float(np.sum(sv))
        if d < dpast * (1 + eps):
            converged = True
            break
    return (x @ T) * sc, T, converged, iterations


def _promax_fit(x: np.ndarray, m: float) -> np.ndarray:
    """psych::Promax's U: the least-squares fit of x U to x |x|^(m-1), columns rescaled so
    that diag((U'U)^-1) = 1 (with psych's approximation when U'U is singular)."""
    Q = x * np.abs(x) ** (m - 1)
    U = np.linalg.lstsq(x, Q, rcond=None)[0]
    UU = U.T @ U
    try:
        d = np.diag(np.linalg.inv(UU))
    except np.linalg.LinAlgError:  # factors exactly uncorrelated: psych's approximation
        vals, vecs = np.linalg.eigh(UU)
        vals = np.where(vals < np.finfo(float).eps, 100 * np.finfo(float).eps, vals)
        UU = (vecs * vals) @ vecs.T
        np.fill_diagonal(UU, 1.0)
        d = np.diag(np.linalg.inv(UU))
    return U * np.sqrt(d)


def promax(
    A: np.ndarray, m: float = 4, kaiser: bool = True
) -> tuple[np.ndarray, np.ndarray, np.ndarray, bool, int]:
    """Promax (Hendrickson & White 1964) as ``psych::fa(rotate = "promax")``:
    ``psych::kaiser(A, "Promax")`` scales the rows of A to unit length, ``psych::Promax``
    (``stats::promax`` plus Phi) rotates them by varimax (``stats::varimax``), fits
    x U ~ x |x|^(m - 1) by least squares, rescales U's columns so that diag((U'U)^-1) = 1,
    and gives the loadings x U scaled back by the row lengths, rotmat = T U and
    Phi = U^-1 U^-T. ``kaiser=False``: ``stats::promax`` / ``psych::Promax`` on A itself.
    Returns (L, rotmat, Phi, varimax converged, varimax iterations).

    Example:
        >>> A = np.array([[.8, .3], [.7, .4], [.3, .8], [.2, .7]])
        >>> L, rotmat, phi, ok, it = promax(A)
        >>> bool(np.allclose(L, A @ rotmat)), bool(phi[0, 1] > 0.3)
        (True, True)
    """
    h = np.sqrt(np.sum(A**2, axis=1))[:, None] if kaiser else np.ones((A.shape[0], 1))
    x, T, converged, it = varimax(A / h)
    U = _promax_fit(x, m)
    Ui = np.linalg.inv(U)
    return (x @ U) * h, T @ U, Ui @ Ui.T, converged, it


# --------------------------------------------------------------------------- dispatcher
def _criterion(method: str, p: int, k: int, gam: float, delta: float) -> Criterion:
    if method in ("quartimax", "oblimax"):
        return quartimax_criterion if method == "quartimax" else oblimax_criterion
    if method == "equamax":  # psych::equamax: cfT with kappa = k / (2p)
        return lambda L: cf_criterion(L, k / (2 * p))
    if method in ("geominT", "geominQ"):
        return lambda L: geomin_criterion(L, delta)
    g = 0.0 if method == "quartimin" else gam
    return lambda L: oblimin_criterion(L, g)


def rotation_name(method: str | None) -> str | None:
    """The canonical name of a rotation (None for "none"/None); an unknown name raises
    :class:`InputError`.

    Example:
        >>> rotation_name("geomin_obl"), rotation_name("none")
        ('geominQ', None)
    """
    if method is None or method == "none":
        return None
    name = ALIASES.get(method, method)
    if name not in ORTHOGONAL + OBLIQUE:
        raise InputError(
            f"unknown rotation '{method}': use one of {', '.join(ORTHOGONAL + OBLIQUE)} or none"
        )
    return name


def rotate(
    loadings: pd.DataFrame | np.ndarray,
    method: str = "varimax",
    *,
    normalize: bool | None = None,
    gam: float = 0.0,
    delta: float = 0.01,
    m: float = 4,
    eps: float = 1e-5,
    maxit: int = 1000,
) -> RotationResult:
    """Rotate an unrotated loading matrix as ``psych::fa(rotate = method)`` does (before its
    sign and order convention; see the module docstring for each rotation and its source).

    ``normalize``: Kaiser row normalisation; None keeps R's default (on for varimax and
    promax as psych calls them, off for GPArotation's GPA rotations). ``gam`` (oblimin),
    ``delta`` (geomin), ``m`` (promax power), ``eps``/``maxit`` (GPA stopping rule).
    A single factor is returned unrotated.

    Example:
        >>> A = pd.DataFrame([[.8, .3], [.7, .4], [.3, .8], [.2, .7]], columns=["F1", "F2"])
        >>> res = rotate(A, "oblimin")
        >>> res.loadings.shape, res.phi.shape, res.converged
        ((4, 2), (2, 2), True)
    """
    name = rotation_name(method)
    frame = loadings if isinstance(loadings, pd.DataFrame) else pd.DataFrame(loadings)
    A = frame.to_numpy(dtype=float)
    if not np.isfinite(A).all():
        raise InputError("the loadings to rotate contain missing or infinite values")
    p, k = A.shape
    phi = None
    if name is None or k < 2:
        T, converged, it = np.eye(k), True, 0
        L = A.copy()
    elif name == "varimax":
        L, T, converged, it = varimax(A, True if normalize is None else normalize, eps, maxit)
    elif name == "promax":
        L, T, phi, converged, it = promax(A, m, True if normalize is None else normalize)
    elif name in ORTHOGONAL:
        crit = _criterion(name, p, k, gam, delta)
        L, T, converged, it = gpa_orthogonal(A, crit, bool(normalize), eps, maxit)
    else:
        crit = _criterion(name, p, k, gam, delta)
        L, T, phi, converged, it = gpa_oblique(A, crit, bool(normalize), eps, maxit)
    cols = frame.columns
    return RotationResult(
        loadings=pd.DataFrame(L, index=frame.index, columns=cols),
        phi=None if phi is None else pd.DataFrame(phi, index=cols, columns=cols),
        rotmat=T,
        method=name or "none",
        converged=bool(converged),
        iterations=int(it),
    )
