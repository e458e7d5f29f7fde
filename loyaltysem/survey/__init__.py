"""Stage 1, the survey: reading the questionnaire and its model.

``loaders`` (every data format, encodings, labels, missing codes, checks naming file, column
and row; the formats read in ``csv_excel`` and ``stat_files``, cleaned alike in ``cleaning``),
``instrument`` and ``schema`` (the TOML model file, validated key by key),
``syntax`` (lavaan model syntax), ``spec`` (items, constructs, hypotheses), ``keying``
(reverse-keyed items), ``moderation`` (declared moderators), ``data`` (the ``Survey`` every
later stage receives). Imports nothing above it.
"""
