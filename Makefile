# Targets shared by developers and CI (.ci/run calls `make test`).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
NODE_STAMP := node_modules/.installed
export COMMENTDESK_TEST_DATABASE_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/postgres

.PHONY: install demo serve test test-sqlite test-browser lint typecheck migrations-check bench bench-moderation bench-widget bench-scoring bench-campaigns clean

install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# Test-only npm tools (axe-core for the browser tests' accessibility checks), from package-lock.json.
$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $(NODE_STAMP)

demo: install
	$(BIN)/commentdesk demo --host 127.0.0.1 --port 8000

serve: install
	$(BIN)/commentdesk serve

lint: install
	$(BIN)/ruff format --check src tests scripts bench
	$(BIN)/ruff check src tests scripts bench

typecheck: install
	$(BIN)/mypy

migrations-check: install
	COMMENTDESK_DATA_DIR=$$(mktemp -d) sh -c '$(BIN)/commentdesk db upgrade && $(BIN)/commentdesk db check'

# Every test on SQLite and on PostgreSQL (COMMENTDESK_TEST_DATABASE_URL), browser tests included.
test: install $(NODE_STAMP) lint typecheck migrations-check
	$(BIN)/python -m pytest -p no:cacheprovider

test-sqlite: install $(NODE_STAMP)
	COMMENTDESK_TEST_DATABASE_URL= $(BIN)/python -m pytest -p no:cacheprovider

test-browser: install $(NODE_STAMP)
	$(BIN)/python -m pytest -p no:cacheprovider tests/browser

bench: install
	$(BIN)/python bench/thread_bench.py

bench-moderation: install
	$(BIN)/python bench/moderation_bench.py

bench-widget: install
	$(BIN)/python bench/widget_bench.py

bench-scoring: install
	$(BIN)/python bench/scoring_bench.py

bench-campaigns: install
	$(BIN)/python bench/campaign_bench.py

clean:
	rm -rf $(VENV) build *.egg-info
