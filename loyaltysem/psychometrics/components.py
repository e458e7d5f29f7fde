"""Principal component analysis with varimax rotation, as SPSS users report their
"exploratory factor analysis" (Analyze > Dimension Reduction > Factor, extraction Principal
components, rotation Varimax with Kaiser normalization).

Loadings of the first k components are the eigenvectors of the item correlation matrix R
scaled by the square roots of their eigenvalues (L = V_k Λ_k^½; Jolliffe 2002, sec. 2.1);
communalities are the row sums of squares of L. The rotation is Kaiser's (1958) varimax with
Kaiser normalization (as psych::principal and SPSS). Columns are signed and ordered as psych
orders them (positive column sums, decreasing variance). Complete rows only (SPSS's default
listwise deletion).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from loyaltysem.base.errors import InputError
from loyaltysem.psychometrics.efa import (
    EFAResult,
    _check_not_singular,
    _corr,
    _numeric,
    _psych_order,
    _rotate,
)
from loyaltysem.psychometrics.rotation import rotation_name


def principal_components(
    df: pd.DataFrame, n_components: int, rotation: str | None = "varimax"
) -> EFAResult:
    """The rotated component matrix of the items in ``df`` (an :class:`EFAResult` with
    ``method="pca"``; ``variance`` holds the rotated sums of squared loadings).

    Example:
        >>> import numpy as np, pandas as pd
        >>> rng = np.random.default_rng(0)
        >>> f = rng.normal(size=(300, 2))
        >>> x = np.hstack([f[:, [0]] + rng.normal(size=(300, 3)), f[:, [1]] + rng.normal(size=(300, 3))])
        >>> principal_components(pd.DataFrame(x, columns=list("abcdef")), 2).loadings.shape
        (6, 2)
    """  # noqa: E501
    data = _numeric(df).dropna()
    p = data.shape[1]
    k = int(n_components)
    if k < 1 or k > p:
        raise InputError(f"the number of components must be between 1 and {p} (got {k})")
    if len(data) < 3:
        raise InputError("fewer than three complete rows: no component analysis is possible")
    R = _corr(data)
    _check_not_singular(R, data.columns, "component analysis")
    values, vectors = np.linalg.eigh(R)
    order = np.argsort(values)[::-1]
    values, vectors = values[order], vectors[:, order]
    L0 = vectors[:, :k] * np.sqrt(values[:k])
    L0, _ = _psych_order(L0, None)
    rot = rotation_name(rotation)
    msgs: list[str] = []
    L, phi = _rotate(L0, rot, msgs)
    L, phi = _psych_order(L, phi)
    names = [f"C{i + 1}" for i in range(k)]
    h2 = np.sum(L0**2, axis=1)
    ss = np.diag(L.T @ L) if phi is None else np.diag(phi @ L.T @ L)
    variance = pd.DataFrame(
        {"ss_loadings": ss, "proportion": ss / p, "cumulative": np.cumsum(ss / p)}, index=names
    )
    return EFAResult(
        loadings=pd.DataFrame(L, index=data.columns, columns=names),
        communalities=pd.Series(h2, index=data.columns, name="communality"),
        variance=variance,
        phi=None if phi is None else pd.DataFrame(phi, index=names, columns=names),
        eigenvalues=values,
        method="pca",
        rotation=rot,
        unrotated=pd.DataFrame(L0, index=data.columns, columns=names),
        structure=pd.DataFrame(L if phi is None else L @ phi, index=data.columns, columns=names),
        uniquenesses=pd.Series(1 - h2, index=data.columns, name="uniqueness"),
        n=len(data),
        warnings=msgs,
    )
