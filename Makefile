# GovCensus — two commands do everything on a fresh machine with Python 3.11 and pip:
#   make demo   collect the demo quarter against the bundled demo world, build the site into output/
#   make test   the whole test suite (installs what it needs, Debian chromium included)
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
TEST_STAMP := $(VENV)/.test-installed
PERIOD ?= 2020Q2
PORT   ?= 8000
# Two observation stores, never mixed (the collector's defaults, see README "Data folders"):
DATA      := data/observations
DEMO_DATA := data/demo/observations

.PHONY: demo test serve site browser clean bench

# pip installs without compiling every package's bytecode up front (half the install's time, most of
# it for modules never imported here): Python compiles what the commands import, once, into the
# venv's caches. So bytecode caching stays on for the commands run here, even in an environment that
# turns it off (each process would otherwise compile pandas, Pelican… again).
unexport PYTHONDONTWRITEBYTECODE
PIP := $(BIN)/pip install -q --disable-pip-version-check --no-compile

# Our own package is built with the venv's setuptools (3 s less than an isolated build environment),
# else in an isolated one (venvs of Python 3.12 and later have no setuptools).
$(STAMP): requirements.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PIP) -r requirements.txt
	$(PIP) --no-deps --no-build-isolation -e . 2>/dev/null || $(PIP) --no-deps -e .
	touch $(STAMP)

# What only the tests need (pytest, playwright, axe, actionlint…), so `make demo` does not download it.
$(TEST_STAMP): requirements-test.txt $(STAMP)
	$(PIP) -r requirements-test.txt
	touch $(TEST_STAMP)

demo: $(STAMP)
	$(BIN)/collector demo-run --period $(PERIOD) --data $(DEMO_DATA)
	@echo "demo step 3/3: building the site into output/ (Pelican)" >&2
	$(MAKE) --no-print-directory site
	@echo "The demo site is in output/. Look at it with: make serve  (then open http://127.0.0.1:$(PORT)/)"

# The site, then its search index (Pagefind, extended build: Chinese word segmentation) in output/pagefind/.
site: $(STAMP)
	$(BIN)/pelican content -s pelicanconf.py -o output -q
	$(BIN)/python -m pagefind --site output --quiet

serve:
	$(BIN)/python -m http.server --bind 127.0.0.1 --directory output $(PORT)

browser:
	@sh scripts/ensure-chromium.sh

test: $(TEST_STAMP) browser
	$(BIN)/pytest -q

# Every benchmark (bench/report.py BENCHES), then one table of every figure next to its goal
# (bench/README.md). Run some only with: make bench BENCHES="bench/site_size.py bench/site_build.py"
bench: $(VENV)/.bench-installed
	$(BIN)/python bench/report.py $(BENCHES)

# The benches reuse test fixtures (the labelled corpus, the fixture site), so they need the test dependencies too.
$(VENV)/.bench-installed: bench/requirements.txt $(TEST_STAMP)
	$(PIP) -r bench/requirements.txt
	touch $@

# An office's own registry on a fresh clone: the demo registry as a start (never overwrites one).
registry/registry.yaml:
	{ echo "# Our registry (format: docs/registry.md). Started from the demo registry: replace its entries."; \
	  tail -n +2 registry/lincang-demo.yaml; } > $@.tmp && mv $@.tmp $@

clean:
	rm -rf output .build-cache $(dir $(DEMO_DATA)) .pytest_cache
