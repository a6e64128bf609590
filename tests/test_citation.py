"""CITATION.cff: valid, and the source of the intro page's BibTeX entry."""

import importlib.util
import pathlib
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parents[1]


def book_meta():
    """The book's Sphinx extension that turns CITATION.cff into BibTeX."""
    spec = importlib.util.spec_from_file_location("book_meta", ROOT / "_ext" / "book_meta.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_citation_cff_is_valid_against_the_schema():
    cffconvert = pathlib.Path(sys.executable).with_name("cffconvert")
    result = subprocess.run([str(cffconvert), "--validate", "-i", str(ROOT / "CITATION.cff")],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_bibtex_entry_carries_key_title_version_and_site():
    meta = book_meta()
    entry = meta.citation_bibtex("https://example.org/book/")
    cff = meta.citation_metadata()
    assert entry.startswith("@misc{cross_entropy_derived,")
    assert f"title = {{{cff['title']}}}" in entry
    assert f"version = {{{cff['version']}}}" in entry
    assert "url = {https://example.org/book/}" in entry
    # A group author is braced twice, or BibTeX splits it at the comma into
    # "Last, First" ("The Cross-Entropy" and "Derived authors").
    assert "author = {{The Cross-Entropy, Derived authors}}" in entry
    assert entry.count("{") == entry.count("}")


def test_intro_page_holds_the_marker_the_entry_replaces():
    assert book_meta().BIBTEX_MARKER in (ROOT / "intro.md").read_text(encoding="utf-8")
