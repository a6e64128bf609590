"""xentbook.book_index: the labelled equations read from the chapter notebooks.

The real chapters are checked against an independent reading of their
markdown (a plain regular expression, not the parser under test) and against
SymPy's own LaTeX for objects the chapters glue; synthetic notebooks cover the
parser's corners (nesting, code fences, both glue storage forms, errors).
"""

import json
import pathlib
import re

import nbformat
import pytest
import sympy as sp
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from xentbook import book_index
from xentbook.latex import book_latex
from xentlib import symbolic
from xentbook.book_index import (chapter_markdown, chapter_title, labelled_equations,
                                strip_math_delimiters)
from xentlib.symbolic import information as ce

ROOT = pathlib.Path(__file__).parents[2]
CHAPTERS = sorted((ROOT / "chapters").glob("[0-9]*.ipynb"))
# A {glue:math} fence (backticks or colons) and the option lines that follow.
GLUE_MATH = re.compile(
    r"^(?:`{3,}|:{3,})\{glue:math\}[ \t]+(\S+)[ \t]*\n((?:[ \t]*:[\w-]+:.*\n)*)", re.M)


def markdown_sources(path):
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return ["".join(c["source"]) if isinstance(c["source"], list) else c["source"]
            for c in cells if c["cell_type"] == "markdown"]


def labels_by_regex(path):
    """(glue key, label) of every labelled {glue:math}, in reading order."""
    found = []
    for source in markdown_sources(path):
        for match in GLUE_MATH.finditer(source + "\n"):
            label = re.search(r":label:\s*(\S+)", match.group(2))
            if label:
                found.append((match.group(1), label.group(1)))
    return found


def by_label(path):
    return {equation.label: equation for equation in labelled_equations(path)}


def test_there_are_chapters():
    assert CHAPTERS


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_every_glue_math_label_of_a_chapter_is_found(path):
    expected = labels_by_regex(path)
    equations = labelled_equations(path)
    assert expected, "a chapter without labelled equations: is the regex stale?"
    assert [(e.name, e.label) for e in equations] == expected
    for equation in equations:
        assert equation.latex.strip(), f"{equation.label}: empty LaTeX"
        assert not equation.latex.startswith(("$", r"\displaystyle"))


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_each_equation_sits_under_a_heading_of_its_chapter(path):
    headings = {h.strip() for source in markdown_sources(path)
                for h in re.findall(r"^#{1,6} (.+)$", source, re.M)}
    for equation in labelled_equations(path):
        assert equation.heading in headings, equation.label


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_no_labelled_display_math_escapes_the_index(path):
    # The index lists glued equations only; a hand-typed labelled display
    # ({math} with :label:, $$...$$ (label), \label{}) would be missing from it.
    text = "\n".join(markdown_sources(path))
    math_directive = re.findall(
        r"^(?:`{3,}|:{3,})\{math\}[^\n]*\n(?:[ \t]*:[\w-]+:.*\n)*?[ \t]*:label:",
        text, re.M)
    dollar_label = re.findall(r"\$\$[ \t]*\([\w-]+\)", text)
    assert not (math_directive or dollar_label or r"\label{" in text)


def test_chapter_1_final_result_is_the_checked_objects_latex():
    forced = by_label(ROOT / "chapters" / "01_surprise.ipynb")["eq-surprise-forced"]
    assert forced.latex == book_latex(symbolic.forced_surprisal())
    assert forced.latex == r"I\left(p\right) = - c \log p"


def test_chapter_4_definition_is_the_book_printers_latex():
    # Rendered by the chapter with book_latex(..., order="none") as a string.
    definition = by_label(ROOT / "chapters" / "04_cross_entropy.ipynb")["eq-ce-def"]
    expected = ce.definitions()["cross_entropy"].equation()
    assert definition.latex == book_latex(expected, order="none")


def test_chapter_titles_are_level_one_headings():
    for path in CHAPTERS:
        title = chapter_title(path)
        assert any(source.lstrip().startswith(f"# {title}")
                   for source in markdown_sources(path))


def glued(name, latex, *, display=True):
    """A stored glue output, as myst-nb's glue() writes it."""
    prefix = "" if display else "application/papermill.record/"
    return new_output(
        "display_data",
        data={prefix + "text/latex": f"$\\displaystyle {latex}$",
              prefix + "text/plain": "<IPython.core.display.Math object>"},
        metadata={"scrapbook": {"name": name, "mime_prefix": prefix}})


def write_notebook(tmp_path, cells, name="07_synthetic.ipynb"):
    notebook = new_notebook(cells=cells)
    path = tmp_path / name
    nbformat.write(notebook, path)
    return path


SYNTHETIC_MARKDOWN = """\
# A synthetic chapter

## First section

```python
# a comment in a code block, not a heading
```

````markdown
```{glue:math} eq_example
:label: eq-in-a-code-block
```
````

:::{prf:definition} Something
:label: def-something

```{glue:math} eq_a
:label: eq-a
```
:::

```{glue:math} eq_unlabelled
```

## Second section

:::{glue:math} eq_b
---
label: eq-b
---
:::
"""


def synthetic_cells(*, with_b=True):
    outputs = [glued("eq_a", "a = 1"), glued("eq_unlabelled", "u = 0")]
    if with_b:
        outputs.append(glued("eq_b", r"\frac{b}{2} = 3", display=False))
    code = new_code_cell("glue_math(...)", outputs=outputs, execution_count=1)
    return [new_markdown_cell(SYNTHETIC_MARKDOWN), code]


def test_synthetic_notebook_is_parsed(tmp_path):
    path = write_notebook(tmp_path, synthetic_cells())
    equations = labelled_equations(path)
    assert [(e.label, e.name, e.latex, e.heading) for e in equations] == [
        ("eq-a", "eq_a", "a = 1", "First section"),
        ("eq-b", "eq_b", r"\frac{b}{2} = 3", "Second section"),
    ]
    assert chapter_title(path) == "A synthetic chapter"


def test_label_without_glued_value_names_the_key(tmp_path):
    path = write_notebook(tmp_path, synthetic_cells(with_b=False))
    with pytest.raises(ValueError, match=r"glue key 'eq_b'") as error:
        labelled_equations(path)
    assert "eq-b" in str(error.value)


def test_notebook_without_title_is_refused(tmp_path):
    path = write_notebook(tmp_path, [new_markdown_cell("## Only a section")])
    with pytest.raises(ValueError, match="level-1 heading"):
        chapter_title(path)


def test_chapter_markdown_has_number_reference_math_and_code(tmp_path):
    path = write_notebook(tmp_path, synthetic_cells())
    text = chapter_markdown(path, doc="../chapters/07_synthetic")
    assert text.startswith("## Chapter 7: A synthetic chapter\n")
    assert "{doc}`Read the chapter <../chapters/07_synthetic>`" in text
    assert "2 labelled equations" in text
    assert "**{eq}`eq-a`** \u2014 First section" in text
    assert "```{math}\n\\frac{b}{2} = 3\n```" in text
    assert "```latex\n\\frac{b}{2} = 3\n```" in text
    assert "eq-in-a-code-block" not in text and "u = 0" not in text


def test_a_code_fence_cannot_be_closed_by_the_latex():
    fenced = book_index._fence("a ```` b", "latex")
    assert fenced.startswith("`````latex\n") and fenced.endswith("\n`````")


@pytest.mark.parametrize("stored, bare", [
    (r"$\displaystyle x = 1$", "x = 1"),
    ("$$x = 1$$", "x = 1"),
    ("x = 1", "x = 1"),
    (r"  $\displaystyle \frac{1}{2}$ ", r"\frac{1}{2}"),
])
def test_strip_math_delimiters(stored, bare):
    assert strip_math_delimiters(stored) == bare


# What SymPy's printer writes and a person does not: \log{\left(2 \right)},
# I{\left(p \right)}, {q}_{i}. Teachers copy these equations into slides.
# (\hat{p}_{m} is a person's: the braces after a command are its argument.)
MACHINE_LATEX = re.compile(r"\\log\{\\left\(| \\right\)\}|(?<![A-Za-z])\{[A-Za-z]\}_\{")


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_labelled_equations_are_written_as_a_person_writes_them(path):
    machine = {equation.label: MACHINE_LATEX.findall(equation.latex)
               for equation in labelled_equations(path)}
    assert {label: found for label, found in machine.items() if found} == {}


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_every_labelled_equation_records_its_check(path):
    unrecorded = [equation.label for equation in labelled_equations(path)
                  if equation.status == book_index.NOT_RECORDED]
    assert unrecorded == []


def test_check_record_with_hypotheses_and_domains_is_printed(tmp_path):
    record = {"status": "proved for symbolic K",
              "hypotheses": [{"name": "q is a distribution",
                              "latex": r"\sum_{i=1}^{K} q_{i} = 1"}],
              "domains": [r"K \in \{1, 2, \dots\}", r"q_{i} > 0"]}
    with_record = glued("eq_a", "a = 1")
    with_record.metadata["xentbook"] = record
    outputs = [with_record, glued("eq_unlabelled", "u = 0"),
               glued("eq_b", "b = 2", display=False)]
    path = write_notebook(tmp_path, [new_markdown_cell(SYNTHETIC_MARKDOWN),
                                     new_code_cell("", outputs=outputs, execution_count=1)])
    first, second = labelled_equations(path)
    assert (first.status, first.domains) == (record["status"], tuple(record["domains"]))
    assert first.hypotheses == (("q is a distribution", r"\sum_{i=1}^{K} q_{i} = 1"),)
    assert (second.status, second.hypotheses, second.domains) == (
        book_index.NOT_RECORDED, (), ())
    text = chapter_markdown(path, doc="../chapters/07_synthetic")
    assert ("*Check:* proved for symbolic K; *assuming* $\\sum_{i=1}^{K} q_{i} = 1$ "
            "(q is a distribution); *symbols:* $K \\in \\{1, 2, \\dots\\}$, $q_{i} > 0$"
            ) in text
    assert "*Check:* check not recorded\n" in text
    tex = book_index.derivations_tex([path])
    assert ("% eq-a: proved for symbolic K; assuming q is a distribution: "
            "\\sum_{i=1}^{K} q_{i} = 1; symbols: K \\in \\{1, 2, \\dots\\}, q_{i} > 0"
            ) in tex
