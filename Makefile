# One command sets everything up and runs the main job (`make run`), one passes the tests (`make test`).
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
KG := $(VENV)/bin/kg
PIP := $(PY) -m pip --quiet --disable-pip-version-check
STAMP := $(VENV)/.installed-$(shell cat requirements-pip.lock requirements.lock pyproject.toml | cksum | cut -d' ' -f1)
STORE ?= oxigraph:data/store
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install run ingest serve test lint bench score clean notebooks

# Everything comes from the hashed locks, the installer first: nothing depends on what the index serves
# next. The project itself builds with the locked setuptools (no isolated build env fetching the newest).
$(STAMP): requirements-pip.lock requirements.lock pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --require-hashes --no-deps -r requirements-pip.lock
	$(PIP) install --require-hashes --no-deps -r requirements.lock
	$(PIP) install --no-deps --no-build-isolation -e .
	$(PIP) check
	rm -f $(VENV)/.installed-* && touch $@

install: $(STAMP)

ingest: install
	$(KG) ingest data/articles --store $(STORE)

run: ingest serve

# the API and the SPARQL endpoint (its query page at /sparql); the store is owned by an oxigraph child
serve: install
	$(KG) serve --store $(STORE) --host $(HOST) --port $(PORT)

test: install
	$(PY) -m pytest -q

lint: install
	$(VENV)/bin/ruff check kg api tests bench
	$(VENV)/bin/ruff format --check kg api tests bench
	$(VENV)/bin/mypy kg api

bench: install
	$(PY) bench/ingest.py

score: install
	$(PY) ../shared/eval/score.py ../shared/eval/dev --cmd "$(KG) extract {article} --format json"

# every notebook executed (on the venv's python3 kernel) and rendered with its figures to notebooks/_build/*.html
notebooks: install
	JUPYTER_PATH=$(abspath $(VENV))/share/jupyter $(PY) -m nbconvert --to html --execute --ExecutePreprocessor.kernel_name=python3 \
		--ExecutePreprocessor.timeout=120 --output-dir notebooks/_build notebooks/*.ipynb

clean:
	rm -rf data/store .pytest_cache .mypy_cache .ruff_cache
