# The doors into the house: make demo, make test, make eval, make bench, make lint.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STORE  ?= kg-store
OUT    ?= out
SHARED ?= ../shared

.PHONY: venv demo test eval bench lint clean

# The stamp is rebuilt whenever pyproject.toml changes, so dependencies stay in step.
$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

venv: $(VENV)/.installed

demo: venv
	@mkdir -p $(OUT)
	$(BIN)/kg ingest --store $(STORE) seeds
	$(BIN)/kg query --store $(STORE) articles
	$(BIN)/kg query --store $(STORE) agreements
	$(BIN)/kg stats --store $(STORE)
	$(BIN)/kg export --store $(STORE) --format turtle -o $(OUT)/graph.ttl
	$(BIN)/kg viz --store $(STORE) -o $(OUT)/graph.html
	@echo
	@echo "Store:         $(STORE)/  (query it: $(BIN)/kg query --store $(STORE) agreements)"
	@echo "Graph:         $(OUT)/graph.ttl"
	@echo "Network page:  $(OUT)/graph.html  (open it in a browser)"

test: venv
	$(BIN)/pytest -q tests --ignore=tests/benchmarks

# Scores the development set with the shared scorer: scratch store, TriG export, score.py.
eval: venv
	@rm -rf $(OUT)/eval-store && mkdir -p $(OUT)
	-$(BIN)/kg ingest --store $(OUT)/eval-store tests/devset/articles
	$(BIN)/kg export --store $(OUT)/eval-store --format trig -o $(OUT)/devset.trig
	$(BIN)/python $(SHARED)/eval/score.py --gold tests/devset/gold --graph $(OUT)/devset.trig

# Generates 2,000 synthetic articles into a temp dir and prints the table (BENCH_ARGS="--n 100000" is
# the target run); results in tests/benchmarks/results/latest.json.
bench: venv
	$(BIN)/python tests/benchmarks/run.py $(BENCH_ARGS)

lint: venv
	@test -x $(BIN)/ruff || $(BIN)/python -m pip install --quiet -e '.[test,lint]'
	$(BIN)/ruff check kg tests

clean:
	rm -rf $(VENV) $(STORE) $(OUT) build *.egg-info .pytest_cache
