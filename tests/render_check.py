"""Render a Word report to PDF with LibreOffice and read its text back (shared by the report
tests); skips where LibreOffice or poppler is missing."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest


def docx_to_pdf_text(docx: Path, outdir: Path) -> tuple[Path, str]:
    """The PDF LibreOffice makes of ``docx`` and its text (pdftotext); asserts that no glyph
    is missing (no tofu box, no replacement character)."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None or shutil.which("pdftotext") is None:
        pytest.skip("LibreOffice / poppler are not installed")
    res = subprocess.run(
        [soffice, "--headless", "--convert-to", "pdf", "--outdir", str(outdir), str(docx)],
        capture_output=True,
        timeout=240,
    )
    pdf = outdir / (docx.stem + ".pdf")
    assert res.returncode == 0 and pdf.exists()
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    assert "\u25a1" not in text and "\ufffd" not in text  # no tofu / replacement glyphs
    return pdf, text
