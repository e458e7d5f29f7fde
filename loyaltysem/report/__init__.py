"""The thesis report: tables (tables.py), number formatting (format.py), two languages
(i18n/: the catalogue en.toml and zh.toml), writers for CSV/Markdown/HTML/Excel/Word
(writers.py) and figures (figures.py).
The report only formats what the analysis computed."""
