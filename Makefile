# Two commands matter: `make run` (start the server on the embedded defaults) and
# `make test` (install everything and run the whole test suite).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# `make run HOST=0.0.0.0 PORT=9000`; unset, the settings (file, PHOTO_API_*) decide.
HOST ?=
PORT ?=
# Test processes: two more than the cores, as tests often wait on servers and mail.
TEST_WORKERS ?= $(shell $(PYTHON) -c 'import os; print((os.cpu_count() or 1) + 2)')

.PHONY: run test test-fast lint bench clean

# What serving needs, then the test tools on top: `make run` never installs the latter.
$(VENV)/.run: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.test: $(VENV)/.run
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

run: $(VENV)/.run
	$(BIN)/photo-api serve $(if $(HOST),--host $(HOST)) $(if $(PORT),--port $(PORT))

test: lint
	$(BIN)/mypy
	$(BIN)/pytest -n $(TEST_WORKERS)

# The edit-test loop: SQLite and local storage only, no tests that start processes.
test-fast: $(VENV)/.test
	$(BIN)/pytest -n $(TEST_WORKERS) --quick

lint: $(VENV)/.test
	$(BIN)/ruff check photo_api tests bench
	$(BIN)/ruff format --check photo_api tests bench

bench: $(VENV)/.test
	$(BIN)/python -m bench.upload_local
	$(BIN)/python -m bench.sync
	$(BIN)/python -m bench.replication

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache
