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

run: $(STAMP) media-tools
	$(BIN)/chequered serve --demo

# Browser tests drive Debian's Chromium (never a downloaded browser): install it when it is missing.
browser:
	@test -x /usr/bin/chromium || (apt-get update -qq && apt-get install -y -qq chromium) \
		|| (sudo -n apt-get update -qq && sudo -n apt-get install -y -qq chromium) \
		|| echo "WARNING: /usr/bin/chromium missing and not installable here; browser tests will skip"

# PDFs (WeasyPrint needs Pango), their tests (poppler's pdftotext, pdftoppm) and the result cards' fonts.
media-tools:
	@(ldconfig -p | grep -q libpango-1.0 && test -x /usr/bin/pdftotext && test -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf) \
		|| (apt-get update -qq && apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0 poppler-utils fonts-dejavu-core) \
		|| (sudo -n apt-get update -qq && sudo -n apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0 poppler-utils fonts-dejavu-core) \
		|| echo "WARNING: pango, poppler-utils or fonts-dejavu-core missing and not installable here"

test: $(STAMP) browser media-tools
	$(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy

bench: $(STAMP) media-tools
	$(BIN)/python -m benchmarks

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
