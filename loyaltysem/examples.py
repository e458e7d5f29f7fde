"""Where the bundled example model and data live (repository checkout or installed wheel)."""

from __future__ import annotations

from pathlib import Path

_PKG = Path(__file__).resolve().parent


def _root(kind: str) -> Path:
    for base in (_PKG.parent / kind, _PKG / "_bundled" / kind):
        if base.is_dir():
            return base
    raise FileNotFoundError(f"the bundled {kind}/ folder is missing from this installation")


def example_paths() -> dict[str, Path]:
    """Paths of the bundled example: model (TOML), lavaan syntax, population model, data.

    Example:
        >>> sorted(example_paths())
        ['codebook', 'data_csv', 'data_sav', 'model', 'model_lav', 'population']
    """
    models, data = _root("models"), _root("data")
    return {
        "model": models / "online_loyalty.toml",
        "model_lav": models / "online_loyalty.lav",
        "population": models / "online_loyalty_population.lav",
        "data_sav": data / "online_loyalty.sav",
        "data_csv": data / "online_loyalty.csv",
        "codebook": data / "codebook.md",
    }
