# trienkhai — `make demo` runs it, `make test` proves it. See README.md.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 8000
PG_URL ?= postgres://trienkhai:trienkhai@127.0.0.1:5432/trienkhai
# A streaming replica of PG_URL's server (scripts/postgres-replica.sh): the replica tests.
PG_REPLICA_URL ?= postgres://trienkhai:trienkhai@127.0.0.1:5433/trienkhai
XDIST  ?= -n 2
# The slowest tests, printed by every run of the suite: the 15-minute budget's ledger.
DURATIONS ?= --durations=25

.PHONY: demo demo-deps test test-sqlite test-postgres lint bench guide system-deps postgres postgres-replica clean

$(BIN)/.installed: requirements/lock.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -r requirements/lock.txt
	# Pure data that declares Python >= 3.12: see docs/decisions/0003-vietnam-provinces.md
	$(BIN)/pip install -q --no-deps --ignore-requires-python vietnam-provinces==2026.9.0
	$(BIN)/pip install -q --no-deps -e .
	touch $@

demo: demo-deps $(BIN)/.installed
	$(BIN)/trienkhai demo --port $(PORT)

# What documents need to run (LibreOffice Writer, the fonts, cairo); `make test` installs
# them with the rest (system-deps).
demo-deps:
	bash scripts/system-deps.sh demo

system-deps:
	bash scripts/system-deps.sh

postgres: system-deps
	bash scripts/postgres.sh

postgres-replica: postgres
	bash scripts/postgres-replica.sh

lint: $(BIN)/.installed
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy src
	$(BIN)/trienkhai manage makemigrations --check --dry-run

test-sqlite: $(BIN)/.installed
	TRIENKHAI_DATABASE_URL=sqlite:///$(CURDIR)/var/test.sqlite3 $(BIN)/pytest $(XDIST) $(DURATIONS) -p no:cacheprovider

test-postgres: $(BIN)/.installed postgres-replica
	TRIENKHAI_DATABASE_URL=$(PG_URL) TRIENKHAI_REPLICA_URL=$(PG_REPLICA_URL) \
		$(BIN)/pytest $(XDIST) $(DURATIONS) -p no:cacheprovider

test: system-deps $(BIN)/.installed lint test-sqlite test-postgres

bench: $(BIN)/.installed postgres
	PG_URL=$(PG_URL) $(BIN)/python -m bench

# The user guide's pictures (docs/guide/img), taken by the browser tests.
guide: $(BIN)/.installed
	TRIENKHAI_GUIDE_SHOTS=$(CURDIR)/docs/guide/img TRIENKHAI_DATABASE_URL=sqlite:///$(CURDIR)/var/test.sqlite3 \
		$(BIN)/pytest $(XDIST) -p no:cacheprovider tests/browser

clean:
	rm -rf $(VENV) var test-artifacts
