# Every target bootstraps its own virtual environment from a fresh clone.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint bench clean browser media-tools

$(BIN)/python:
	$(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip uv

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/uv pip install --quiet --python $(BIN)/python -e ".[dev]"
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

test: $(STAMP) browser media-tools
	$(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy

bench: $(STAMP) browser media-tools
	$(BIN)/python -m benchmarks

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
