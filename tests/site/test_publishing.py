"""What a teacher needs to cite the built book: stable equation addresses, the
version and build date on every page, and a favicon (no 404 on first load).
No browser needed."""

import pathlib
import re
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
SITE = ROOT / "_build" / "html"
CHAPTERS = sorted((ROOT / "chapters").glob("*.ipynb"))
LABEL = re.compile(r"^:label:\s*(\S+)", re.M)
ICON = re.compile(r'<link rel="icon" href="([^"]+)"')

sys.path.insert(0, str(ROOT / "_ext"))
import book_meta  # noqa: E402  (the extension that writes footer and citation)

if not (SITE / "intro.html").is_file():
    pytest.skip("no built book: run `make book` first", allow_module_level=True)


def labels_in(notebook):
    """Every equation label a chapter's markdown declares (``:label: eq-...``)."""
    import json

    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    text = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
    return LABEL.findall(text)


@pytest.mark.parametrize("notebook", CHAPTERS, ids=lambda p: p.stem)
def test_every_labelled_equation_has_its_label_as_anchor(notebook):
    page = (SITE / "chapters" / f"{notebook.stem}.html").read_text(encoding="utf-8")
    labels = [label for label in labels_in(notebook) if label.startswith("eq-")]
    missing = [label for label in labels if f'id="equation-{label}"' not in page]
    assert not missing, f"no #equation-<label> anchor for {missing}"


def test_there_are_labelled_equations_to_check():
    assert sum(len(labels_in(n)) for n in CHAPTERS) > 50


def pages():
    return sorted(p for p in SITE.rglob("*.html") if "_static" not in p.parts)


def test_every_page_shows_version_and_build_date_and_has_a_favicon():
    version = book_meta.citation_metadata()["version"]
    footer = re.compile(rf"version {re.escape(version)}, built \d{{4}}-\d{{2}}-\d{{2}}")
    for page in pages():
        html = page.read_text(encoding="utf-8")
        if 'http-equiv="Refresh"' in html:
            continue  # index.html only redirects to the intro
        assert footer.search(html), f"{page.name}: no version {version} and date in the footer"
        icon = ICON.search(html)
        assert icon, f"{page.name}: no favicon link (browsers then ask for /favicon.ico: a 404)"
        assert (page.parent / icon.group(1)).is_file(), f"{page.name}: favicon {icon.group(1)} missing"


def test_intro_page_shows_the_generated_bibtex_entry():
    html = (SITE / "intro.html").read_text(encoding="utf-8")
    assert book_meta.BIBTEX_MARKER not in html
    assert "cross_entropy_derived" in html
