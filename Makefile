# Every target bootstraps its own virtual environment from a fresh clone.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint bench soak clean browser media-tools

$(BIN)/python:
	$(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip uv

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/uv pip install --quiet --compile-bytecode --python $(BIN)/python -e ".[dev]"
	$(BIN)/python -m compileall -q src  # the project itself is installed editable: compiled here, once
	touch $(STAMP)

run: $(STAMP) browser media-tools
	$(BIN)/chequered serve --demo

# Chromium prints the PDFs (media.pdf) and runs the browser tests: Debian's, never a downloaded browser.
browser:
	@test -x /usr/bin/chromium || (apt-get update -qq && apt-get install -y -qq chromium) \
		|| (sudo -n apt-get update -qq && sudo -n apt-get install -y -qq chromium) \
		|| echo "WARNING: /usr/bin/chromium missing and not installable here; PDFs answer 503, browser tests skip"

# The PDFs' and result cards' font (DejaVu) and the PDF tests' tools (poppler's pdftotext, pdftoppm).
media-tools:
	@(test -x /usr/bin/pdftotext && test -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf) \
		|| (apt-get update -qq && apt-get install -y -qq poppler-utils fonts-dejavu-core) \
		|| (sudo -n apt-get update -qq && sudo -n apt-get install -y -qq poppler-utils fonts-dejavu-core) \
		|| echo "WARNING: poppler-utils or fonts-dejavu-core missing and not installable here"

# Tests run in parallel (pytest-xdist); tests sharing something outside tmp_path (a fixed Redis channel)
# carry one xdist_group and share a worker.
test: $(STAMP) browser media-tools
	$(BIN)/python -m pytest -q -n auto --dist loadgroup

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy

bench: $(STAMP) browser media-tools
	$(BIN)/python -m benchmarks

# Not part of test: a 24 h race at 20x into two servers on PostgreSQL and Redis (about 75 minutes).
# SOAK_RACE_MINUTES, SOAK_SPEED, SOAK_CLIENTS and SOAK_READERS make it shorter (see benchmarks/soak.py).
soak: $(STAMP)
	$(BIN)/python -m benchmarks.soak

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
