# Two commands for a fresh machine (Python 3.11+, pip, make):
#   make book   create .venv, install, build the HTML into _build/html
#   make test   xentlib tests, nbval over every chapter, the strict build, the browser check
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
PORT   ?= 8000
# Warnings are errors (-W), broken references too (-n); --keep-going lists them all.
BUILD_FLAGS := -W -n --keep-going

.PHONY: book test lint test-lib test-notebooks test-site notebooks serve clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Reinstall only when the pins or the package metadata change.
$(STAMP): requirements.txt pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 >/dev/null
	touch $@

book: $(STAMP)
	$(BIN)/jupyter-book build . $(BUILD_FLAGS)

test: lint test-lib test-notebooks book test-site

# The numerical core: ruff (lint and format) and mypy, configured in
# pyproject.toml (the book kit and xentlib/symbolic are excluded there).
lint: $(STAMP)
	$(BIN)/ruff check xentlib
	$(BIN)/ruff format --check xentlib
	$(BIN)/mypy

test-lib: $(STAMP)
	$(BIN)/python -m pytest tests xentlib --ignore=tests/site --doctest-modules -q

# Notebooks are committed executed; nbval re-runs each and compares the outputs.
test-notebooks: $(STAMP)
	$(BIN)/python -m pytest --nbval --nbval-current-env \
	  --nbval-sanitize-with tests/nbval_sanitize.cfg chapters backmatter -q -p no:cacheprovider

# Serves _build/html, opens every page in headless Chromium; skips (and says so)
# when Debian's chromium is not installed.
test-site: $(STAMP)
	$(BIN)/python -m pytest tests/site -q -rs

# Re-execute every notebook in place (after editing one): chapters first, then
# the back matter that indexes them.
notebooks: $(STAMP)
	$(BIN)/python tools/execute_notebooks.py chapters/*.ipynb backmatter/*.ipynb

serve:
	$(BIN)/python -m http.server --directory _build/html --bind 127.0.0.1 $(PORT)

clean:
	rm -rf _build .pytest_cache .hypothesis
