"""The local web page (``loyaltysem gui``): a server on 127.0.0.1 and one static page that take
a student from the data file to the results chapter (see docs/gui.md).

``server`` (the HTTP routes and their guards), ``session`` (one browser's folder, data file
and proposal), ``modelfile`` (the page's model document and the TOML model file), ``preview``
(the research model figure), ``jobs`` (``loyaltysem run`` in a child process), ``catalogue``
(the page's words, ``messages/*.toml``), ``static/`` (the page). Only ``loyaltysem.cli.gui``
imports this package.
"""
