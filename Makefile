# Goldthread: `make demo` serves the demo council; `make test` runs the whole suite.
# Both start from a bare machine: they create .venv, install the locked requirements,
# build the front-end assets and (for tests) install Chromium when it is missing.

VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
DEMO_ENV := GOLDTHREAD_MODE=demo

.PHONY: demo test install assets chromium pdf-libraries lint serve clean

$(STAMP): requirements/dev.txt pyproject.toml
	test -x $(PY) || "$$(scripts/find-python.sh)" -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements/dev.txt
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $(STAMP)

install: $(STAMP)

assets: $(STAMP)
	$(PY) scripts/build_assets.py

chromium:
	@command -v chromium >/dev/null 2>&1 || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

# WeasyPrint (PDF) lays text out with Pango; CairoSVG (charts in Word) draws with Cairo.
pdf-libraries:
	@ldconfig -p | grep -q libpangoft2-1.0.so.0 && ldconfig -p | grep -q libcairo.so.2 || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0 libcairo2 fonts-liberation >/dev/null; }

demo: assets pdf-libraries
	$(DEMO_ENV) $(PY) -m goldthread migrate --noinput -v0
	$(DEMO_ENV) $(PY) -m goldthread load-demo --if-empty
	$(DEMO_ENV) $(PY) -m goldthread demo-logins
	@echo "Serving the demo council at http://127.0.0.1:8000 (Ctrl+C to stop)"
	$(DEMO_ENV) $(PY) -m goldthread runserver 127.0.0.1:8000 --noreload

test: assets chromium pdf-libraries
	scripts/test.sh

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

clean:
	rm -rf $(VENV) var frontend/node_modules goldthread/static/dist
