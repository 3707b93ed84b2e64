# Two commands matter: `make run` (start the server on the embedded defaults) and
# `make test` (install everything and run the whole test suite).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed

.PHONY: run test lint bench clean

$(INSTALLED): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(INSTALLED)

run: $(INSTALLED)
	$(BIN)/photo-api serve

test: $(INSTALLED)
	$(BIN)/ruff check photo_api tests bench
	$(BIN)/pytest

lint: $(INSTALLED)
	$(BIN)/ruff check photo_api tests bench
	$(BIN)/ruff format --check photo_api tests bench

bench: $(INSTALLED)
	$(BIN)/python -m bench.upload_local
	$(BIN)/python -m bench.sync
	$(BIN)/python -m bench.replication

clean:
	rm -rf $(VENV) .pytest_cache
