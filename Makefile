# Polka: `make run` serves the demo library on SQLite; `make test` runs the suite on both engines.
# The interpreter for .venv; unset, scripts/install.sh picks one (Debian's own when it can).
PYTHON ?=
PORT ?= 8000
VENV := .venv
BIN := $(VENV)/bin

.PHONY: install run test test-sqlite test-postgresql lint format bench messages lock clean

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml requirements.lock scripts/install.sh
	PYTHON=$(PYTHON) bash scripts/install.sh
	@touch $@

run: install
	@$(BIN)/polka migrate --noinput || { echo "make run: the database could not be migrated (see the line above); nothing is served." >&2; exit 1; }
	@$(BIN)/polka demo || { echo "make run: the demo library could not be loaded (see the line above); nothing is served." >&2; exit 1; }
	@$(BIN)/polka check_port 127.0.0.1 $(PORT) || exit 1
	$(BIN)/polka runserver 127.0.0.1:$(PORT)

test: install
	bash scripts/test.sh

test-sqlite: install
	bash scripts/test.sh sqlite

test-postgresql: install
	bash scripts/test.sh postgresql

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy polka config bench
	$(BIN)/lint-imports --no-cache

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: install
	bash scripts/bench.sh

# Translations: polka/locale, and polka/APP/locale for apps that keep their own (make messages APP=news).
messages: install
	bash scripts/messages.sh $(APP)

lock:
	$(or $(PYTHON),python3.11) -m venv /tmp/polka-lock && /tmp/polka-lock/bin/pip install -q -e '.[dev]'
	{ echo "# Exact versions of every dependency (runtime and dev). Regenerate with: make lock"; \
	  /tmp/polka-lock/bin/pip freeze --exclude-editable --exclude polka; } > requirements.lock
	rm -rf /tmp/polka-lock

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
