"""Text handling for the loaders: encoding detection and Likert-label lookup (private)."""

from __future__ import annotations

import codecs
import re
import unicodedata

from loyaltysem.base.errors import InputError

# Chinese survey platforms (问卷星/Wenjuanxin, 腾讯问卷, 见数) and Excel's "CSV" export on a
# Chinese Windows write GBK, which GB18030 extends; UTF-16 comes from Excel's "Unicode text".
_CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]")
_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def _check_codec(encoding: str, file: str) -> str:
    try:
        return codecs.lookup(encoding).name
    except LookupError:
        raise InputError(
            f"unknown encoding '{encoding}' (try utf-8 or gb18030)", file=file
        ) from None


def decode_bytes(raw: bytes, file: str, encoding: str | None = None) -> tuple[str, str, str]:
    """Decode a text data file; returns (text, encoding used, how it was chosen).

    With ``encoding`` given, that codec is used strictly. Otherwise: a UTF-16 or UTF-8 byte
    order mark decides; then strict UTF-8; then GB18030 (a superset of GBK/GB2312) when the
    decoded text is Chinese; then charset-normalizer's guess. Nothing is ever decoded with
    replacement characters: an undecodable file is an :class:`InputError`.
    """
    if encoding:
        name = _check_codec(encoding, file)
        if name == "utf-8" and raw.startswith(codecs.BOM_UTF8):
            name = "utf-8-sig"
        try:
            return raw.decode(name), name, "given"
        except UnicodeDecodeError as exc:
            raise InputError(
                f"cannot decode the file as {encoding}: byte 0x{raw[exc.start]:02x} at offset "
                f"{exc.start} is invalid (try another --encoding, e.g. gb18030 or utf-8)",
                file=file,
            ) from None
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return raw.decode("utf-16"), "utf-16", "byte order mark"
        except UnicodeDecodeError:
            pass
    if raw.startswith(codecs.BOM_UTF8):
        try:
            return raw.decode("utf-8-sig"), "utf-8-sig", "byte order mark"
        except UnicodeDecodeError:
            pass
    try:
        return raw.decode("utf-8"), "utf-8", "detected"
    except UnicodeDecodeError:
        pass
    try:
        text = raw.decode("gb18030")
    except UnicodeDecodeError:
        text = None
    if text is not None:
        sample = _NON_ASCII.findall(text[:2_000_000])
        cjk = sum(1 for ch in sample if _CJK.match(ch))
        if sample and cjk >= 0.8 * len(sample):
            return text, "gb18030", "detected"
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(raw[:2_000_000]).best()
    except Exception:  # noqa: BLE001 - a failing guesser only means no guess
        best = None
    if best is not None and best.encoding:
        try:
            return raw.decode(best.encoding), best.encoding, "guessed"
        except (UnicodeDecodeError, LookupError):
            pass
    raise InputError(
        "cannot decode the file as UTF-8 or GB18030/GBK; save it as UTF-8 or pass --encoding",
        file=file,
    )


def normalize_label(text: object) -> str:
    """Compare labels ignoring case, full-width forms and spaces ("非常 同意" == "非常同意")."""
    s = unicodedata.normalize("NFKC", str(text)).casefold()
    return re.sub(r"\s+", "", s)
