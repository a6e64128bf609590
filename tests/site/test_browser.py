"""Open every built page in headless Chromium, as a reader would.

For each page of ``_build/html``: no console error, no uncaught exception, no
request to any host but the local server, and, where the page has math, every
formula typeset by MathJax (no raw TeX, no MathJax error boxes). A screenshot of
each page lands in ``_build/screenshots/`` for a human to look at.

Needs Debian's ``chromium`` (``apt-get install chromium``); without it the
whole module is skipped with a message saying so, unless
``XENT_REQUIRE_BROWSER=1`` (CI sets it) turns the skip into an error.
``CHROMIUM`` overrides the executable's path.
"""

import os
import pathlib
import re
import sys
import urllib.parse

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
SITE = ROOT / "_build" / "html"
SCREENSHOTS = ROOT / "_build" / "screenshots"
sys.path.insert(0, str(ROOT / "tools"))
from browser import CHROMIUM, WAIT_UNTIL_READY, chromium, serve  # noqa: E402

ASSET_FOLDERS = {"_static", "_sources", "_images", "_downloads"}

if not pathlib.Path(CHROMIUM).exists():
    if os.environ.get("XENT_REQUIRE_BROWSER") == "1":  # set by CI: a skip would hide it
        raise RuntimeError(f"XENT_REQUIRE_BROWSER=1 but no Chromium at {CHROMIUM}")
    pytest.skip(
        f"browser check skipped: Chromium not found at {CHROMIUM} "
        "(install Debian's chromium package or set CHROMIUM)",
        allow_module_level=True,
    )
pytest.importorskip("playwright.sync_api")


REDIRECT = re.compile(r'http-equiv="Refresh" content="0; url=([^"]+)"', re.I)


def redirect_target(page_path):
    """Where a redirect-only page (Jupyter Book's ``index.html``) sends readers."""
    match = REDIRECT.search((SITE / page_path).read_text(encoding="utf-8"))
    return match and match.group(1)


def built_pages():
    """Every HTML page of the built book, relative to ``_build/html``."""
    if not SITE.is_dir():
        return []
    return sorted(
        path.relative_to(SITE).as_posix()
        for path in SITE.rglob("*.html")
        if not ASSET_FOLDERS & set(path.relative_to(SITE).parts)
    )


@pytest.fixture(scope="module")
def site_url():
    """Serve ``_build/html`` on 127.0.0.1 (a free port) for this module."""
    with serve(SITE) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    with chromium() as launched:
        yield launched


def test_book_is_built():
    assert built_pages(), f"no pages under {SITE}: run `make book` first"


COUNT_MATH = """
() => ({
  sources: document.querySelectorAll("div.math, span.math").length,
  typeset: document.querySelectorAll("mjx-container").length,
  errors: document.querySelectorAll("mjx-merror").length,
  numbered: document.querySelectorAll("div.math span.eqno").length,
  labelled: document.querySelectorAll("div.math[id], div.math span[id]").length,
})
"""

# Text a reader sees that still holds TeX (outside code and typeset math):
# math in a heading shows raw in page titles, links and prev/next buttons.
RAW_TEX = r"""
() => {
  const skip = "pre, code, script, style, mjx-container, .math, textarea";
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const found = [];
  while (walker.nextNode()) {
    const node = walker.currentNode;
    if (node.parentElement.closest(skip)) { continue; }
    if (/\\[()\[\]]|\$\$|\\(log|frac|mathrm)\b/.test(node.textContent)) {
      found.push(node.textContent.trim().slice(0, 80));
    }
  }
  if (/[\\$]/.test(document.title)) { found.push("title: " + document.title); }
  return found;
}
"""


@pytest.mark.browser
@pytest.mark.parametrize("page_path", built_pages())
def test_page_as_a_reader_sees_it(browser, site_url, page_path):
    host = urllib.parse.urlsplit(site_url).netloc
    outside, console_errors = [], []
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    # Every wait below is for an event, so this limit only ends a page that
    # truly hangs; it is generous because a busy 2-core machine renders the long
    # API page slowly (seen: over 120 s at a load average of 9).
    page.set_default_timeout(600_000)

    def only_local(route):
        url = route.request.url
        if url.startswith("data:") or urllib.parse.urlsplit(url).netloc == host:
            route.continue_()
        else:
            outside.append(url)
            route.abort()

    page.route("**/*", only_local)
    page.on("console", lambda m: m.type == "error" and console_errors.append(m.text))
    page.on("pageerror", lambda error: console_errors.append(str(error)))
    try:
        target = redirect_target(page_path)
        page.goto(f"{site_url}/{page_path}", wait_until="load")
        if target:
            page.wait_for_url(f"**/{target}")
            page.wait_for_load_state("load")
        mathjax_state = page.evaluate(WAIT_UNTIL_READY)
        math = page.evaluate(COUNT_MATH)
        raw_tex = page.evaluate(RAW_TEX)
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        shot = SCREENSHOTS / (page_path.replace("/", "__")[: -len(".html")] + ".png")
        page.screenshot(path=str(shot), full_page=True)
    finally:
        page.close()

    assert not outside, f"{page_path} requested outside hosts: {outside}"
    assert not console_errors, f"{page_path} logged console errors: {console_errors}"
    if math["sources"]:
        assert mathjax_state == "typeset", f"{page_path} has math but no MathJax"
        assert math["typeset"] >= math["sources"], (
            f"{page_path}: {math['sources']} formulas, "
            f"only {math['typeset']} typeset by MathJax"
        )
        assert math["errors"] == 0, f"{page_path}: {math['errors']} MathJax errors"
    assert not raw_tex, f"{page_path} shows raw TeX to readers: {raw_tex}"
    assert math["numbered"] >= math["labelled"], (
        f"{page_path}: {math['labelled']} labelled equations, "
        f"{math['numbered']} numbers shown"
    )
