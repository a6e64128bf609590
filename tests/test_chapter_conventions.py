"""The book's conventions, checked on every chapter notebook (CONTRIBUTING.md).

nbval proves that each notebook re-runs to its stored outputs; these tests
catch what nbval cannot see: cells stored without outputs (nbval skips them),
numbers typed into the prose instead of glued, figures without alt text,
chapters without exercises and hidden solutions, library code defined in a
notebook.
"""

import json
import pathlib
import re

import pytest

CHAPTERS = sorted((pathlib.Path(__file__).parents[1] / "chapters").glob("*.ipynb"))
# A decimal number outside math, code and glue roles ("0.5", "47.6"), but not
# a section number such as "Example 5.6.1".
TYPED_DECIMAL = re.compile(r"(?<![\w{`.$])\d+\.\d+(?![\w}`]|\.\d)")
MATH_OR_CODE = re.compile(r"\$\$.*?\$\$|\$[^$]*\$|```.*?```|`[^`]*`", re.S)


def cells(path):
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def source(cell):
    text = cell["source"]
    return text if isinstance(text, str) else "".join(text)


def markdown(path):
    return "\n".join(source(c) for c in cells(path) if c["cell_type"] == "markdown")


def test_there_are_chapters():
    assert CHAPTERS, "no notebooks in chapters/"


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_every_code_cell_is_stored_executed(path):
    unrun = [i for i, c in enumerate(cells(path))
             if c["cell_type"] == "code" and c.get("execution_count") is None]
    assert not unrun, f"cells {unrun} have no stored run: nbval would skip them"


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_no_number_is_typed_into_the_prose(path):
    prose = MATH_OR_CODE.sub(" ", markdown(path))
    assert not TYPED_DECIMAL.findall(prose), "glue computed values instead"


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_every_figure_has_alt_text(path):
    missing = []
    for index, cell in enumerate(cells(path)):
        has_image = any("image/png" in output.get("data", {})
                        for output in cell.get("outputs", []))
        alt = cell.get("metadata", {}).get("mystnb", {}).get("image", {}).get("alt")
        if has_image and not alt:
            missing.append(index)
    assert not missing, f"figure cells {missing} have no mystnb.image.alt"


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_chapter_closes_with_exercises_and_hidden_solutions(path):
    text = markdown(path)
    exercises = re.findall(r"```\{exercise\}", text)
    solutions = re.findall(r"```\{solution-start\}[^\n]*\n:class: dropdown", text)
    assert len(exercises) >= 3, "a chapter has at least three exercises"
    assert len(solutions) == len(exercises), "every exercise has a hidden solution"


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_no_library_code_outside_labelled_naive_versions(path):
    # A function defined in a chapter belongs in xentlib, unless it is the
    # deliberately naive version shown failing, or part of an exercise solution.
    offenders, in_solution = [], False
    for index, cell in enumerate(cells(path)):
        text = source(cell)
        if cell["cell_type"] == "markdown":
            # One cell may close a solution and open the next: the last one wins.
            gates = re.findall(r"\{solution-(start|end)\}", text)
            if gates:
                in_solution = gates[-1] == "start"
            continue
        defines = re.search(r"^(def|class) ", text, re.M)
        if defines and not in_solution and "naive" not in text.lower():
            offenders.append(index)
    assert not offenders, f"cells {offenders} define library code in the notebook"


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_kernel_is_python3(path):
    metadata = json.loads(path.read_text(encoding="utf-8"))["metadata"]
    assert metadata.get("kernelspec", {}).get("name") == "python3"


# --- Stored outputs that every machine reproduces (README: "Showing a number") ---

NOTEBOOKS = CHAPTERS + sorted((pathlib.Path(__file__).parents[1] / "backmatter").glob("*.ipynb"))
# A decimal number in printed text: "0.6918360050285671", "-2.1e-17", "24.11".
DECIMAL = re.compile(r"(?<![\w.])-?(\d+\.\d+)(?:[eE][+-]?\d+)?(?![\w.])")
# Rounding noise is a few units in the 16th significant digit; long sums and BLAS
# kernels change the 12th-15th. Ten digits is the most a stored output may carry.
MOST_PORTABLE_DIGITS = 10
GLUE_TEXT = re.compile(r"\{glue:text\}`([\w-]+):([^`]+)`")


def significant_digits(decimal):
    """Significant digits written in a decimal string ("0.0340" -> 3, "24.10" -> 4)."""
    mantissa = decimal.lstrip("-").split("e")[0].split("E")[0].replace(".", "")
    return len(mantissa.lstrip("0"))


def output_texts(path):
    """Every printed or displayed plain text of the notebook, with its cell index."""
    for index, cell in enumerate(cells(path)):
        for output in cell.get("outputs", []):
            text = output.get("text") or output.get("data", {}).get("text/plain", "")
            yield index, text if isinstance(text, str) else "".join(text)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_stored_outputs_carry_only_portable_digits(path):
    too_long = [(index, match.group(0))
                for index, text in output_texts(path)
                for match in DECIMAL.finditer(text)
                if significant_digits(match.group(1)) > MOST_PORTABLE_DIGITS]
    assert not too_long, (
        f"cells print more than {MOST_PORTABLE_DIGITS} significant digits, which "
        f"differ between machines: {too_long[:5]}; format them or use glue_number")


def glued_texts(path):
    """The stored text/plain of every glued value, by glue name."""
    glued = {}
    for cell in cells(path):
        for output in cell.get("outputs", []):
            name = output.get("metadata", {}).get("scrapbook", {}).get("name")
            if name and "text/plain" in output.get("data", {}):
                text = output["data"]["text/plain"]
                glued[name] = text if isinstance(text, str) else "".join(text)
    return glued


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_prose_shows_no_more_digits_than_were_glued(path):
    """A glued float keeps the digits it really has (8, or fewer on request);
    a format that prints more would print digits that were rounded away.

    Values with at most three significant digits are taken as exact (0.5, 0.38)
    and may be shown with trailing zeros.
    """
    glued = glued_texts(path)
    too_precise = []
    for name, spec in GLUE_TEXT.findall(markdown(path)):
        stored = glued.get(name, "")
        if not DECIMAL.fullmatch(stored) or spec[-1] not in "efg%":
            continue
        stored_digits = significant_digits(DECIMAL.fullmatch(stored).group(1))
        shown = DECIMAL.search(format(float(stored), spec).replace(",", ""))
        if shown and stored_digits > 3 and significant_digits(shown.group(1)) > stored_digits:
            too_precise.append(f"{name}:{spec} of {stored}")
    assert not too_precise, f"the prose shows rounded-away digits: {too_precise}"


# --- Cross-references that follow the table of contents (issue 11, item 8) ---

TOC = pathlib.Path(__file__).parents[1] / "_toc.yml"
DOC_LINK = re.compile(r"\{doc\}`(?:[^`<]*<)?([^`>]+)>?`")
WHAT_COMES_NEXT = re.compile(r"^## What comes next\s*\n(.*?)(?=^#{1,2} |\Z)", re.S | re.M)


def toc_chapters():
    """The chapter stems in _toc.yml order ("01_surprise", ...)."""
    files = re.findall(r"^\s*-\s*file:\s*chapters/(\S+)\s*$",
                       TOC.read_text(encoding="utf-8"), re.M)
    return [pathlib.PurePosixPath(f).stem for f in files]


def test_toc_lists_every_chapter():
    assert sorted(toc_chapters()) == sorted(p.stem for p in CHAPTERS)


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_what_comes_next_points_forward(path):
    """A "What comes next" section links only to later chapters of the toc,
    at least one (the last chapter, which closes the book, links to none)."""
    section = WHAT_COMES_NEXT.search(markdown(path))
    if section is None:
        pytest.skip("no What comes next section")
    order = toc_chapters()
    here = order.index(path.stem)
    targets = [pathlib.PurePosixPath(t.strip()).stem
               for t in DOC_LINK.findall(section.group(1))]
    chapters = [t for t in targets if t in order]
    backwards = [t for t in chapters if order.index(t) <= here]
    assert not backwards, f"What comes next points back to {backwards}"
    if here < len(order) - 1:
        assert chapters, "What comes next links to no later chapter"


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_nothing_is_in_preparation(path):
    """Every chapter exists: no prose, code or generated output (such as the
    errata table) may still announce one as "in preparation"."""
    texts = [source(c) for c in cells(path)]
    for cell in cells(path):
        for output in cell.get("outputs", []):
            for value in [output.get("text", "")] + list(output.get("data", {}).values()):
                texts.append(value if isinstance(value, str) else "".join(map(str, value)))
    found = [t for t in texts if "in preparation" in t.lower()]
    assert not found, f"{len(found)} cells or outputs say 'in preparation'"
