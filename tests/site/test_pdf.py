"""The PDF of the whole book (``make pdf``): every chapter in it, no raw TeX.

Text is extracted with pypdf. MathJax draws formulas as glyphs, so a formula
that was typeset leaves no TeX in the text; one that was not shows its source.
Code (set in a monospace font) may hold TeX on purpose, in plot labels and
LaTeX strings, and is left out of that check.
"""

import json
import pathlib
import re

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
PDF = ROOT / "_build" / "html" / "cross-entropy-derived.pdf"
CHAPTERS = sorted((ROOT / "chapters").glob("*.ipynb"))
RAW_TEX = re.compile(r"\\frac|\\sum|\\log\b|\\mathrm|\$\$|\\\(|\\\[")

if not PDF.is_file():
    pytest.skip(f"no PDF at {PDF}: run `make pdf` (needs Chromium)", allow_module_level=True)


@pytest.fixture(scope="module")
def pdf_pages():
    from pypdf import PdfReader

    return PdfReader(PDF).pages


@pytest.fixture(scope="module")
def pdf_text(pdf_pages):
    return [page.extract_text() for page in pdf_pages]


def prose_text(page):
    """A page's text outside code: the runs not set in a monospace font."""
    runs = []

    def keep_prose(text, matrix, text_matrix, font, size):
        if font is None or "Mono" not in str(font.get("/BaseFont", "")):
            runs.append(text)

    page.extract_text(visitor_text=keep_prose)
    return "".join(runs)


def chapter_title(notebook):
    """The chapter's first heading, without Markdown and math."""
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    first = "".join(cells[0]["source"]).splitlines()[0]
    return first.lstrip("# ").strip()


def normalised(text):
    return re.sub(r"\s+", " ", text.replace("\ufb01", "fi").replace("\ufb00", "ff")
                  .replace("\ufb02", "fl"))


@pytest.mark.parametrize("notebook", CHAPTERS, ids=lambda p: p.stem)
def test_every_chapter_title_is_in_the_pdf(pdf_text, notebook):
    title = normalised(chapter_title(notebook))
    assert title in normalised(" ".join(pdf_text)), f"{title!r} not found in {PDF.name}"


def test_no_raw_tex_leaked_into_the_pdf(pdf_pages):
    leaks = [(number + 1, match.group(0)) for number, page in enumerate(pdf_pages)
             for match in RAW_TEX.finditer(prose_text(page))]
    assert not leaks, f"raw TeX on pages {leaks[:10]}"


def test_pages_are_numbered(pdf_text):
    total = len(pdf_text)
    assert total > 100
    assert f"page 1 of {total}" in pdf_text[0]
    assert f"page {total} of {total}" in pdf_text[-1]
