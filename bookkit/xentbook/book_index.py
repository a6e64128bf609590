"""Read the chapter notebooks: every labelled display equation, in order.

The back-matter page *Index of derivations* lists each numbered equation of
the book with its LaTeX source. A chapter shows a derived equation as

    ```{glue:math} eq_name
    :label: eq-name
    ```

in a markdown cell, and a code cell glues the checked SymPy object under
``eq_name`` (:func:`xentbook.glue.glue_math`). The LaTeX is read from that
cell's stored output, so the index shows exactly what the chapter renders:
nothing is typed twice, and a stale index is caught by nbval (the index
notebook prints the whole generated page).

This module needs the book's own tools (``markdown-it-py`` and its plugins,
installed with Jupyter Book); they are imported only when a notebook is read.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # imported at run time only when a notebook is read
    from markdown_it import MarkdownIt

__all__ = [
    "LabelledEquation",
    "labelled_equations",
    "equations_in_notebook",
    "chapter_title",
    "strip_math_delimiters",
    "chapter_markdown",
    "derivations_tex",
    "NOT_RECORDED",
]

#: What the index says of an equation glued without the check behind it.
NOT_RECORDED = "check not recorded"

# myst-nb's glue() stores display=False values under this prefix; with
# display=True (the book's choice) the mime types are the plain ones.
_GLUE_PREFIX = "application/papermill.record/"
_LATEX = "text/latex"


@dataclass(frozen=True)
class LabelledEquation:
    """One labelled ``{glue:math}`` display equation of a chapter.

    Attributes
    ----------
    label : str
        The ``:label:`` option, the target of ``{eq}`` cross-references.
    name : str
        The glue key the LaTeX is stored under.
    latex : str
        The glued LaTeX, without its ``$\\displaystyle ...$`` wrapper.
    heading : str
        The nearest markdown heading above the equation, as MyST source
        (it may contain inline math such as ``$q = 1$``); empty if none.
    status : str
        How the equation was checked, as the checker says ("proved for
        symbolic K", "checked for K = 1..6", "checked numerically",
        "definition"); :data:`NOT_RECORDED` when the chapter glued it
        without its check (``glue_math(..., check=identity)``).
    hypotheses : tuple of (name, latex) pairs
        The assumptions the check used beyond its symbols' own.
    domains : tuple of str
        The symbols' own assumptions, as LaTeX (``q_{i} > 0``,
        ``K \\in \\{1, 2, \\dots\\}``); empty for a check recorded without them.
    """

    label: str
    name: str
    latex: str
    heading: str
    status: str = ""
    hypotheses: tuple = ()
    domains: tuple = ()


def strip_math_delimiters(text: str) -> str:
    """LaTeX without the ``$...$``/``$$...$$`` and ``\\displaystyle`` wrapper.

    IPython's ``Math`` object stores ``$\\displaystyle <latex>$``; a slide
    wants the bare ``<latex>``.

    Examples
    --------
    >>> print(strip_math_delimiters(r"$\\displaystyle I{\\left(p \\right)} = 0$"))
    I{\\left(p \\right)} = 0
    >>> print(strip_math_delimiters("$$x^2$$"))
    x^2
    """
    latex = text.strip()
    for delimiter in ("$$", "$"):
        if (
            len(latex) >= 2 * len(delimiter)
            and latex.startswith(delimiter)
            and latex.endswith(delimiter)
        ):
            latex = latex[len(delimiter) : -len(delimiter)].strip()
            break
    if latex.startswith(r"\displaystyle"):
        latex = latex[len(r"\displaystyle") :].strip()
    return latex


def _source(cell: dict[str, Any]) -> str:
    # nbformat stores a cell's source as a string or as a list of lines.
    source = cell.get("source", "")
    return source if isinstance(source, str) else "".join(source)


def _glued_latex(notebook: dict[str, Any]) -> dict[str, tuple[str | None, Any]]:
    """Map glue key -> (LaTeX, check record) for every glued value with a LaTeX form."""
    glued = {}
    for cell in notebook.get("cells", []):
        if cell.get("cell_type") != "code":
            continue
        for output in cell.get("outputs", []):
            scrapbook = output.get("metadata", {}).get("scrapbook")
            if not scrapbook:
                continue
            data = output.get("data", {})
            prefix = scrapbook.get("mime_prefix", "")
            latex = data.get(prefix + _LATEX, data.get(_GLUE_PREFIX + _LATEX))
            if isinstance(latex, list):
                latex = "".join(latex)
            # Later values win, as when myst-nb renders the page.
            glued[scrapbook["name"]] = (
                latex,
                output.get("metadata", {}).get("xentbook"),
            )
    return glued


def _markdown_parser() -> MarkdownIt:
    from markdown_it import MarkdownIt
    from mdit_py_plugins.colon_fence import colon_fence_plugin

    # Only block structure matters here: headings and fences (``` and :::).
    return MarkdownIt("commonmark").use(colon_fence_plugin)


def _directive_options(body: str) -> tuple[dict[str, str], str]:
    """Split a MyST directive body into its options and its content.

    Options are leading ``:key: value`` lines, or a ``---``-delimited block
    of ``key: value`` lines.
    """
    lines = body.splitlines()
    options = {}
    if lines and lines[0].strip() == "---":
        end = next((i for i in range(1, len(lines)) if lines[i].strip() == "---"), None)
        if end is not None:
            for line in lines[1:end]:
                key, _, value = line.partition(":")
                options[key.strip()] = value.strip()
            return options, "\n".join(lines[end + 1 :])
    index = 0
    while index < len(lines):
        match = re.match(r"^:([\w-]+):\s*(.*)$", lines[index])
        if not match:
            break
        options[match.group(1)] = match.group(2).strip()
        index += 1
    return options, "\n".join(lines[index:])


def _walk_markdown(
    source: str, parser: MarkdownIt, events: list[tuple[str, ...]]
) -> None:
    """Append ("heading", text) and ("equation", name, label) in order.

    Code fences are skipped (a ``# comment`` in a code block is not a
    heading); other directives' bodies are MyST and are read recursively, so
    an equation inside a ``prf:definition`` is found too.
    """
    tokens = parser.parse(source)
    for position, token in enumerate(tokens):
        if token.type == "heading_open":
            events.append(("heading", tokens[position + 1].content.strip()))
        elif token.type in ("fence", "colon_fence"):
            head, _, argument = token.info.strip().partition(" ")
            if not (head.startswith("{") and head.endswith("}")):
                continue
            options, content = _directive_options(token.content)
            if head == "{glue:math}":
                events.append(("equation", argument.strip(), options.get("label", "")))
            else:
                _walk_markdown(content, parser, events)


def equations_in_notebook(notebook: dict[str, Any]) -> list[LabelledEquation]:
    """The labelled glued equations of a notebook (a dict), in order.

    Parameters
    ----------
    notebook : dict
        A v4 notebook as read from JSON (or by ``nbformat``).

    Returns
    -------
    list of LabelledEquation
        One entry per ``{glue:math}`` with a ``:label:``, in reading order;
        unlabelled ``{glue:math}`` blocks are not numbered and are left out.

    Raises
    ------
    ValueError
        If a labelled equation's glue key has no stored LaTeX value (the
        notebook was not executed, or the key is misspelt).

    Examples
    --------
    >>> notebook = {"cells": [
    ...     {"cell_type": "markdown",
    ...      "source": "## Units\\n```{glue:math} eq_x\\n:label: eq-x\\n```"},
    ...     {"cell_type": "code", "source": "", "outputs": [{
    ...         "output_type": "display_data",
    ...         "data": {"text/latex": "$\\\\displaystyle x = 1$"},
    ...         "metadata": {"scrapbook": {"name": "eq_x", "mime_prefix": ""}}}]}]}
    >>> equations_in_notebook(notebook)
    [LabelledEquation(label='eq-x', name='eq_x', latex='x = 1', heading='Units',
                      status='check not recorded', hypotheses=(), domains=())]
    """
    glued = _glued_latex(notebook)
    parser = _markdown_parser()
    events: list[tuple[str, ...]] = []
    for cell in notebook.get("cells", []):
        if cell.get("cell_type") == "markdown":
            _walk_markdown(_source(cell), parser, events)

    equations, heading = [], ""
    for event in events:
        if event[0] == "heading":
            heading = event[1]
            continue
        _, name, label = event
        if not label:
            continue
        latex, record = glued.get(name, (None, None))
        if latex is None:
            raise ValueError(
                f"equation {label!r}: no glued LaTeX value for glue key {name!r} "
                "(is the notebook executed, and is the key spelt as in glue_math?)"
            )
        record = record or {"status": NOT_RECORDED, "hypotheses": []}
        equations.append(
            LabelledEquation(
                label=label,
                name=name,
                latex=strip_math_delimiters(latex),
                heading=heading,
                status=record["status"],
                hypotheses=tuple((h["name"], h["latex"]) for h in record["hypotheses"]),
                domains=tuple(record.get("domains", ())),
            )
        )
    return equations


def _read(path: str | Path) -> dict[str, Any]:
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)


def labelled_equations(path: str | Path) -> list[LabelledEquation]:
    """The labelled glued equations of the notebook at ``path``, in order.

    See :func:`equations_in_notebook`, which this reads the file for.
    """
    return equations_in_notebook(_read(path))


def chapter_title(path: str | Path) -> str:
    """The first level-1 heading of the notebook at ``path`` (MyST source)."""
    parser = _markdown_parser()
    for cell in _read(path).get("cells", []):
        if cell.get("cell_type") != "markdown":
            continue
        tokens = parser.parse(_source(cell))
        for position, token in enumerate(tokens):
            if token.type == "heading_open" and token.tag == "h1":
                return tokens[position + 1].content.strip()
    raise ValueError(f"notebook {str(path)!r} has no level-1 heading (# Title)")


def _fence(text: str, language: str) -> str:
    # A fence longer than any backtick run inside cannot be closed early.
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    ticks = "`" * max(3, longest + 1)
    return f"{ticks}{language}\n{text}\n{ticks}"


def chapter_markdown(path: str | Path, *, doc: str) -> str:
    """MyST Markdown for one chapter's part of the index of derivations.

    A heading with the chapter's number (from the file name, ``NN_topic``)
    and title, a link to the chapter, then for each labelled equation: its
    number (an ``{eq}`` reference), the heading it sits under, the equation
    rendered, and its LaTeX in a code block (the copy button copies it).

    Parameters
    ----------
    path : str or os.PathLike
        The chapter notebook.
    doc : str
        The chapter's document name as seen from the index page, for the
        ``{doc}`` link (e.g. ``"../chapters/01_surprise"``).

    Returns
    -------
    str
        MyST Markdown; the page must render it as MyST (myst-nb's
        ``render_markdown_format: myst``) for the roles to resolve.
    """
    path = Path(path)
    number = re.match(r"^(\d+)", path.name)
    title = chapter_title(path)
    heading = f"Chapter {int(number.group(1))}: {title}" if number else title
    equations = labelled_equations(path)
    lines = [
        f"## {heading}",
        "",
        f"{{doc}}`Read the chapter <{doc}>`: {len(equations)} labelled equations.",
        "",
    ]
    for equation in equations:
        where = f" \u2014 {equation.heading}" if equation.heading else ""
        lines += [
            f"**{{eq}}`{equation.label}`**{where} (label `{equation.label}`)",
            "",
            _fence(equation.latex, "{math}"),
            "",
            f"*Check:* {equation.status}" + _hypotheses_text(equation),
            "",
            _fence(equation.latex, "latex"),
            "",
        ]
    return "\n".join(lines)


def _hypotheses_text(equation: LabelledEquation) -> str:
    text = ""
    if equation.hypotheses:
        text += "; *assuming* " + ", ".join(
            f"${latex}$ ({name})" for name, latex in equation.hypotheses
        )
    if equation.domains:
        text += "; *symbols:* " + ", ".join(f"${d}$" for d in equation.domains)
    return text


def derivations_tex(paths: Iterable[Path]) -> str:
    """Every labelled equation of the chapters as a LaTeX file to ``\\input``.

    One ``equation`` environment per entry, labelled with the book's label
    (``\\label{eq-ce-def}``), preceded by a comment with its chapter, its
    check status and its hypotheses. Needs ``amsmath`` and ``amssymb``.
    """
    lines = [
        "% Cross-Entropy, Derived: every labelled equation, generated from the",
        "% chapters (backmatter/derivations.ipynb). Needs amsmath and amssymb.",
        "",
    ]
    for path in paths:
        lines.append(f"% --- {chapter_title(Path(path))}")
        for equation in labelled_equations(path):
            assumed = "; ".join(
                f"{name}: {latex}" for name, latex in equation.hypotheses
            )
            symbols = ", ".join(equation.domains)
            lines += [
                f"% {equation.label}: {equation.status}"
                + (f"; assuming {assumed}" if assumed else "")
                + (f"; symbols: {symbols}" if symbols else ""),
                "\\begin{equation}",
                f"\\label{{{equation.label}}}",
                equation.latex,
                "\\end{equation}",
                "",
            ]
    return "\n".join(lines)
