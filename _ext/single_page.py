"""Sphinx extension: the single-page HTML build that the PDF is printed from.

sphinx-proof and sphinx-exercise register how their nodes (theorems,
definitions, exercises, solutions) are written for the ``html`` builder only,
so ``singlehtml`` stops at the first ``{prf:definition}``. The single page uses
the same HTML writer, so the same handlers are registered for it.
"""

from sphinx.application import Sphinx


def reuse_html_handlers(app):
    if app.builder.name != "singlehtml":
        return
    handlers = app.registry.translation_handlers
    single = handlers.setdefault("singlehtml", {})
    for node_name, visitors in handlers.get("html", {}).items():
        single.setdefault(node_name, visitors)


def setup(app: Sphinx):
    app.connect("builder-inited", reuse_html_handlers)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
