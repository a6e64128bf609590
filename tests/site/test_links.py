"""Every link inside the built book leads somewhere: no Chromium needed.

For each page of ``_build/html``, every relative ``href`` must name a file that
was built, and its ``#fragment``, if any, an ``id`` on that page. Sphinx's
nitpicky build catches an ``{eq}`` or ``{ref}`` to an unknown label, but not a
link that a toc change, a renamed file or a raw HTML anchor breaks.
Equation links get a second check: the link text is the number the equation
shows on its own page, so "(4.6)" in the text means the equation numbered 4.6.
"""

import html.parser
import pathlib
import urllib.parse

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
SITE = ROOT / "_build" / "html"
# Folders of assets and sources, whose HTML (if any) is not the book's.
ASSET_FOLDERS = {"_static", "_sources", "_images", "_downloads"}
# Links that leave the book on purpose (launch buttons, repository, citations'
# DOIs): followed by a reader's click, never fetched by a page.
OUTSIDE = ("http:", "https:", "mailto:", "javascript:", "data:")


class _PageParser(html.parser.HTMLParser):
    """Collect a page's ids, its links, and the text of equation links and numbers."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.ids = set()
        self.links = []  # (href, text)
        self.equation_numbers = {}  # id -> shown number, e.g. "(4.6)"
        self._open_link = None
        self._open_number = None  # id of the equation whose number is being read
        self._last_equation_id = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.add(attrs["id"])
            if attrs["id"].startswith("equation-"):
                self._last_equation_id = attrs["id"]
        classes = (attrs.get("class") or "").split()
        if tag == "a" and attrs.get("href"):
            self._open_link = [attrs["href"], ""]
        if tag == "span" and "eqno" in classes and self._last_equation_id:
            self._open_number = [self._last_equation_id, ""]

    def handle_data(self, data):
        if self._open_link is not None:
            self._open_link[1] += data
        if self._open_number is not None and self._open_link is None:
            # Text inside the permalink ("#") nested in the number is not the number.
            self._open_number[1] += data

    def handle_endtag(self, tag):
        if tag == "a" and self._open_link is not None:
            self.links.append((self._open_link[0], self._open_link[1].strip()))
            self._open_link = None
        if tag == "span" and self._open_number is not None:
            equation_id, text = self._open_number
            self.equation_numbers[equation_id] = text.strip()
            self._open_number = None
            self._last_equation_id = None


def built_pages():
    if not SITE.is_dir():
        return []
    return sorted(
        path for path in SITE.rglob("*.html")
        if not ASSET_FOLDERS & set(path.relative_to(SITE).parts)
    )


@pytest.fixture(scope="module")
def parsed_pages():
    """Every built page, parsed once: path -> parser."""
    pages = {}
    for path in built_pages():
        parser = _PageParser()
        parser.feed(path.read_text(encoding="utf-8"))
        pages[path.resolve()] = parser
    return pages


def test_site_is_built():
    assert SITE.joinpath("index.html").is_file(), (
        f"no book at {SITE}: run `make book` first"
    )


def internal_links(page, parser):
    """(target file, fragment, href, text) for every link that stays in the book."""
    for href, text in parser.links:
        if href.startswith(OUTSIDE):
            continue
        split = urllib.parse.urlsplit(href)
        target = (page.parent / urllib.parse.unquote(split.path)).resolve() \
            if split.path else page.resolve()
        yield target, urllib.parse.unquote(split.fragment), href, text


@pytest.mark.parametrize(
    "page", built_pages(), ids=lambda path: path.relative_to(SITE).as_posix()
)
def test_every_internal_link_resolves(page, parsed_pages):
    parser = parsed_pages[page.resolve()]
    broken = []
    for target, fragment, href, _ in internal_links(page, parser):
        if target.is_dir():
            target = target / "index.html"
        if not target.exists():
            broken.append(f"{href}: no file {target.relative_to(SITE.resolve())}")
        elif fragment and target.suffix == ".html":
            ids = parsed_pages[target].ids if target in parsed_pages else set()
            if fragment not in ids:
                broken.append(f"{href}: no id {fragment!r} on that page")
    assert not broken, f"{len(broken)} broken links: {broken[:10]}"


@pytest.mark.parametrize(
    "page", built_pages(), ids=lambda path: path.relative_to(SITE).as_posix()
)
def test_equation_links_show_the_equations_number(page, parsed_pages):
    parser = parsed_pages[page.resolve()]
    wrong = []
    for target, fragment, href, text in internal_links(page, parser):
        if not fragment.startswith("equation-") or target not in parsed_pages:
            continue
        # The permalink "#" beside each equation's own number is not a reference.
        if text in {"", "#"}:
            continue
        shown = parsed_pages[target].equation_numbers.get(fragment)
        if shown is None:
            wrong.append(f"{href}: the target shows no number")
        elif text != shown:
            wrong.append(f"{href}: link says {text!r}, the equation is {shown!r}")
    assert not wrong, f"{len(wrong)} equation links: {wrong[:10]}"


def test_the_checks_above_have_equation_links_to_check(parsed_pages):
    """Guards the two tests above against passing on a book with no references."""
    equation_links = [
        href for page, parser in parsed_pages.items()
        for _, fragment, href, text in internal_links(page, parser)
        if fragment.startswith("equation-") and text not in {"", "#"}
    ]
    assert len(equation_links) >= 20, equation_links
