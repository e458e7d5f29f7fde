"""Warnings as data: a :class:`Notice` is the English console line of a warning together with
a code and the fields it was made from, so the report translates it by its code (the
``[warn]`` table of the catalogue, :mod:`loyaltysem.report.i18n`) instead of parsing the
English back.

A Notice *is* its English text (a ``str`` subclass): it prints, compares, hashes, sorts,
serialises to JSON, shows its ``repr`` and answers ``"Heywood" in w`` exactly as the plain
string did, so the lists of warnings every result carries keep working unchanged (a frozen
dataclass would not hash with its dict of fields, sort, nor serialise). Code that makes a
new text from a warning keeps the code with :func:`prefixed`. A warning issued through Python's
``warnings`` module keeps its Notice too: ``warnings.warn(Notice(...), Category)`` and
:func:`from_warning` on what ``catch_warnings(record=True)`` caught.

Codes are ``area.what`` in lower case (``boot.not_converged``); every code a module emits has
an entry in both languages of the catalogue (``tests/test_i18n.py`` checks it), with the same
placeholders as the fields given here.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Any

__all__ = ["Notice", "from_warning", "prefixed"]


class Notice(str):
    """A warning: ``str(notice)`` / ``notice.text`` the English console line, ``code`` what
    it is (a catalogue key under ``warn.``), ``fields`` the values its translation needs.

    Example:
        >>> w = Notice("boot.not_converged", "3 of 50 draws did not converge", k=3, n=50)
        >>> w.code, dict(w.fields), "converge" in w, w == "3 of 50 draws did not converge"
        ('boot.not_converged', {'k': 3, 'n': 50}, True, True)
    """

    code: str
    fields: MappingProxyType

    def __new__(cls, code: str, text: str, /, **fields: Any) -> Notice:
        if not isinstance(code, str) or not code:
            raise TypeError("a Notice needs a code (e.g. 'boot.not_converged')")
        obj = super().__new__(cls, text)
        object.__setattr__(obj, "code", code)
        object.__setattr__(obj, "fields", MappingProxyType(dict(fields)))
        return obj

    @property
    def text(self) -> str:
        """The English console line (a plain ``str``)."""
        return str.__str__(self)

    def __setattr__(self, name: str, value) -> None:
        raise AttributeError("a Notice is immutable")

    def with_fields(self, **fields: Any) -> Notice:
        """The same warning with some fields replaced (the report names a variable in the
        chapter's language).

        Example:
            >>> w = Notice("groups.too_few", "gender: fewer than two groups", variable="gender")
            >>> dict(w.with_fields(variable="性别").fields), w.with_fields().code
            ({'variable': '性别'}, 'groups.too_few')
        """
        return _rebuild(self.code, self.text, {**self.fields, **fields})

    def __reduce__(self):  # pickling (joblib workers), copy and deepcopy
        return (_rebuild, (self.code, self.text, dict(self.fields)))


def _rebuild(code: str, text: str, fields: dict) -> Notice:
    return Notice(code, text, **fields)


def prefixed(prefix: str, message: str) -> str:
    """``"{prefix}: {message}"``, still the same Notice (code and fields) when ``message`` is
    one; the report's translation leaves the prefix out, as it always did.

    Example:
        >>> w = prefixed("ulmc", Notice("sem.not_converged", "the optimizer did not converge"))
        >>> str(w), w.code
        ('ulmc: the optimizer did not converge', 'sem.not_converged')
    """
    text = f"{prefix}: {message}"
    if isinstance(message, Notice):
        return Notice(message.code, text, **message.fields)
    return text


def from_warning(caught) -> str:
    """The Notice a Python warning carries (a ``warnings.WarningMessage`` or a ``Warning``),
    else its text.

    Example:
        >>> import warnings
        >>> with warnings.catch_warnings(record=True) as w:
        ...     warnings.simplefilter("always")
        ...     warnings.warn(Notice("x.y", "something odd", n=1), UserWarning)
        >>> from_warning(w[0]).code
        'x.y'
    """
    message = getattr(caught, "message", caught)
    args = getattr(message, "args", ())
    if args and isinstance(args[0], Notice):
        return args[0]
    return str(message)
