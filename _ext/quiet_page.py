"""Sphinx extension: pages that load without console errors and without CDNs.

Jupyter Book 1 always loads sphinx-thebe. Its inline snippet declares
``const THEBE_JS_URL`` and is added to every page twice, so Chromium logs
"Identifier 'THEBE_JS_URL' has already been declared"; it also points at
unpkg.com. The book has live code switched off (``launch_buttons.thebe:
false``; Binder and Colab are the supported routes), so the thebe scripts are
dropped, and any other script added twice is kept once.

MathJax is loaded on every page, not only on pages with equations: a chapter
title with math appears in the navigation sidebar of every page.
"""

from sphinx.application import Sphinx


def _is_thebe(script):
    filename = getattr(script, "filename", None) or ""
    body = script.attributes.get("body", "") if hasattr(script, "attributes") else ""
    return "THEBE_JS_URL" in body or filename.endswith("sphinx-thebe.js")


def _script_key(script):
    # An inline script's filename is None or "" depending on who added it.
    attributes = getattr(script, "attributes", {})
    return (getattr(script, "filename", None) or "", attributes.get("body"))


def drop_thebe_and_duplicates(app, pagename, templatename, context, doctree):
    """Keep each page script once and drop sphinx-thebe's."""
    kept, seen = [], set()
    for script in context.get("script_files", []):
        key = _script_key(script)
        if _is_thebe(script) or key in seen:
            continue
        seen.add(key)
        kept.append(script)
    context["script_files"] = kept


def setup(app: Sphinx):
    app.set_html_assets_policy("always")
    # Late priority: run after the themes and extensions have added their scripts.
    app.connect("html-page-context", drop_thebe_and_duplicates, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
