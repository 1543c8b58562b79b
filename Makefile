# One command sets everything up and runs the main job (`make run`), one passes the tests (`make test`).
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
KG := $(VENV)/bin/kg
STAMP := $(VENV)/.installed-$(shell cat requirements.lock pyproject.toml | cksum | cut -d' ' -f1)
STORE ?= oxigraph:data/store
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install run ingest serve test lint bench score clean notebooks

$(STAMP): requirements.lock pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements.lock
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps -e .
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
