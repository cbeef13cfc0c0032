# Two commands: `make serve` (set up, build and serve the sample archive) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: serve desk build test lint clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

serve: $(STAMP)
	$(BIN)/meldungen serve

# The editing desk at /admin/ over the local checkout (its npm packages from package-lock.json).
desk: $(STAMP)
	test -f node_modules/decap-cms/package.json || npm ci --no-audit --no-fund --loglevel=error
	$(BIN)/meldungen serve --cms

build: $(STAMP)
	$(BIN)/meldungen build

# pytest runs everything: Python tests, Node's test runner (tests/js) and headless Chromium,
# one test file per worker on every core (pytest-xdist), the slowest tests listed at the end.
# pytest's exit 5 (no tests collected) fails with a message: it means the suite is missing.
PYTEST_ARGS ?= -n auto --dist loadfile --durations=15
test: $(STAMP)
	sh scripts/ensure-test-tools
	$(BIN)/python -m pytest $(PYTEST_ARGS) || { rc=$$?; \
	  [ $$rc -eq 5 ] && echo "pytest collected no tests (exit 5)" >&2; exit $$rc; }

lint: $(STAMP)
	$(BIN)/ruff check generator tests benchmarks scripts

clean:
	rm -rf output .output* .cache
