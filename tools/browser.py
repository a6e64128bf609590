"""Headless Chromium on a locally served folder: shared by the site check and the PDF.

Debian's ``chromium`` (``CHROMIUM`` overrides the path), driven by Playwright,
with the flags this project's offline machines need; a folder served on
127.0.0.1; and the one readiness rule both users wait for.
"""

import contextlib
import functools
import http.server
import os
import shutil
import threading

CHROMIUM = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
# Without the background-networking flags Chromium phones home at start-up.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# What a reader waits for, and nothing else: MathJax's first typesetting pass
# (MathJax 3 resolves startup.promise when it is done), the web fonts, and every
# image. Waiting for "network idle" instead (500 ms without a request) is a
# guess that a loaded machine can miss.
WAIT_UNTIL_READY = """
async () => {
  let mathjax = "no MathJax";
  if (window.MathJax && window.MathJax.startup) {
    await window.MathJax.startup.promise;
    mathjax = "typeset";
  }
  await document.fonts.ready;
  await Promise.all(Array.from(document.images, (image) => image.complete ? null
    : new Promise((done) => {
        image.addEventListener("load", done);
        image.addEventListener("error", done);
      })));
  return mathjax;
}
"""


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


@contextlib.contextmanager
def serve(directory):
    """Serve ``directory`` on 127.0.0.1 (a free port); yield its base URL."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()


@contextlib.contextmanager
def chromium():
    """A headless Chromium browser (Playwright), closed afterwards."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()
