"""Exceptions raised by loyaltysem.

Every problem with the user's input is an :class:`InputError` (or a subclass); its message is
one line that names the file, the column and the row where they apply. The CLI prints that
line and exits with status 2. Anything else that escapes is a bug (exit status 1).
"""

from __future__ import annotations


class LoyaltysemError(Exception):
    """Base class of every documented loyaltysem exception."""


class InputError(LoyaltysemError, ValueError):
    """Bad input data or usage: the message names file, column and row where they apply.

    Example:
        >>> str(InputError("text in a numeric item", file="s.csv", column="SAT1", row=12))
        "s.csv: column 'SAT1', row 12: text in a numeric item"
    """

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        column: str | None = None,
        row: int | None = None,
    ) -> None:
        self.message = " ".join(str(message).split())
        self.file = None if file is None else str(file)
        self.column = column
        self.row = row
        super().__init__(self._format())

    def _format(self) -> str:
        where = []
        if self.column is not None:
            where.append(f"column '{self.column}'")
        if self.row is not None:
            where.append(f"row {self.row}")
        prefix = ""
        if self.file:
            prefix = f"{self.file}: "
        if where:
            prefix += ", ".join(where) + ": "
        return prefix + self.message


class InstrumentError(InputError):
    """The instrument or model file is malformed (unknown construct, duplicate item, ...)."""


class ModelSyntaxError(InputError):
    """lavaan model syntax that cannot be parsed; the message names the line.

    Example:
        >>> str(ModelSyntaxError("unknown operator '=>'", line=3, file="model.lav"))
        "model.lav: line 3: unknown operator '=>'"
    """

    def __init__(self, message: str, *, line: int | None = None, file: str | None = None):
        self.line = line
        text = message if line is None else f"line {line}: {message}"
        super().__init__(text, file=file)


class OutputError(InputError):
    """An output path loyaltysem refuses to write: an input file, a file or folder it did not
    write, a device, or a folder it cannot create. Nothing has been written when it is raised.

    Example:
        >>> str(OutputError("is an input file; it would be overwritten", file="survey.csv"))
        'survey.csv: is an input file; it would be overwritten'
    """


class LimitError(InputError):
    """A request beyond a documented limit (bootstrap draws, replications, sample size,
    memory); the message gives the limit and its reason."""


class EstimationError(LoyaltysemError, RuntimeError):
    """The model cannot be estimated (not identified, singular matrices, no convergence)."""


class IdentificationError(EstimationError):
    """The model has more free parameters than sample moments, or an unidentified scale."""
