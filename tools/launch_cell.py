"""The first code cell of every notebook: install the book's packages where missing.

A learner who opens a chapter on Colab (or in any fresh Python) has neither
``xentlib`` nor the book kit ``xentbook``. This cell installs both from the
book's repository, and does nothing where they are importable (a local
``.venv``, Binder, which installs ``requirements.txt``). It is tagged
``remove-cell``: the website does not show it.

``XENT_BOOK_REQUIREMENTS`` (space-separated pip requirements) replaces the
repository as the source, e.g. with locally built wheels; the test
``tests/test_launch_cell.py`` runs the cell that way in a fresh virtual
environment.

    .venv/bin/python tools/launch_cell.py chapters/*.ipynb backmatter/*.ipynb

puts (or refreshes) the cell at the top of each notebook.
"""

import argparse
import pathlib

import nbformat
import yaml

ROOT = pathlib.Path(__file__).resolve().parents[1]
# The book's canonical repository, as the website's buttons name it (a fork
# changes _config.yml and re-runs this script).
REPOSITORY = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))["repository"]["url"]
TAG = "launch-install"

CELL_SOURCE = f'''\
# On Colab or in a fresh Python: install xentlib and the book kit if missing.
import importlib.util, os, shlex, subprocess, sys
if not all(importlib.util.find_spec(name) for name in ("xentlib", "xentbook")):
    requirements = shlex.split(os.environ.get("XENT_BOOK_REQUIREMENTS", (
        "'xentlib[symbolic] @ git+{REPOSITORY}' "
        "'xentbook @ git+{REPOSITORY}#subdirectory=bookkit'")))
    subprocess.check_call([sys.executable, "-m", "pip", "install", "--quiet",
                           *requirements])'''


def launch_cell():
    """A fresh copy of the cell, hidden on the website."""
    cell = nbformat.v4.new_code_cell(CELL_SOURCE)
    cell.metadata["tags"] = ["remove-cell", TAG]
    return cell


def put_launch_cell(notebook):
    """Insert the cell before the first code cell, or refresh it if present."""
    for index, cell in enumerate(notebook.cells):
        if TAG in cell.metadata.get("tags", []):
            fresh = launch_cell()
            fresh.id, fresh.execution_count = cell.get("id"), cell.get("execution_count")
            notebook.cells[index] = fresh
            return
    first_code = next(i for i, cell in enumerate(notebook.cells) if cell.cell_type == "code")
    notebook.cells.insert(first_code, launch_cell())


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="+", type=pathlib.Path)
    for path in parser.parse_args(argv).notebooks:
        notebook = nbformat.read(path, as_version=4)
        put_launch_cell(notebook)
        nbformat.write(notebook, path)


if __name__ == "__main__":
    main()
