# Two commands: `make demo` and `make test`. Everything else is set up on the way.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: install demo test lint translations messages clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $(STAMP)

# The in-browser draw verifier's BLS library (@noble/curves) and the public forms'
# proof-of-work widget (altcha), bundled from the npm registry.
ASSETS := web/static/vendor/bls12-381.js web/static/vendor/altcha.js \
	web/static/vendor/altcha-sha.js web/static/vendor/altcha.css
$(ASSETS) &: web/assets/package.json web/assets/package-lock.json web/assets/bls12-381.js \
	web/assets/altcha.js web/assets/altcha-sha.js
	cd web/assets && npm ci --no-audit --no-fund --loglevel=error && npm run --silent build

translations: $(STAMP)
	$(BIN)/pybabel -q compile --use-fuzzy -d contest/translations -D messages

# After changing user-facing text: refresh the catalog, then translate the new entries.
messages: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg -k N_ -k N_plural:1,2 -k _ -k gettext -k ngettext:1,2 -k lazy_gettext \
	  --no-location --sort-output --width 100 --project contest -o contest/translations/messages.pot .
	$(BIN)/pybabel update --no-fuzzy-matching --width 100 -i contest/translations/messages.pot \
	  -d contest/translations -D messages

install: $(STAMP) translations $(ASSETS)

demo: install
	$(BIN)/contest demo build
	$(BIN)/contest serve --bind 127.0.0.1:5000

# lint-imports checks the layering (the contracts in pyproject.toml); mypy the types.
test: install
	$(BIN)/ruff check .
	$(BIN)/lint-imports --no-cache
	$(BIN)/mypy
	$(BIN)/pytest

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache web/assets/node_modules web/static/vendor
