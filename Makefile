# One command to run the sandbox, one to test it. Each sets up .venv first
# (again whenever pyproject.toml or constraints.txt changes): serving needs
# only the sandbox's own dependencies; testing adds the test extras.
VENV ?= .venv
PYTHON ?= python3
PIP := $(VENV)/bin/python -m pip install --disable-pip-version-check --progress-bar on -c constraints.txt
SERVING := $(VENV)/.serving
TESTING := $(VENV)/.testing

.PHONY: serve test screenshots openapi bench fuzz dist image

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)

$(SERVING): pyproject.toml constraints.txt | $(VENV)/bin/python
	$(PIP) -e .
	touch $(SERVING)

$(TESTING): $(SERVING)
	$(PIP) -e '.[test]'
	touch $(TESTING)

serve: $(SERVING)  ## run on http://127.0.0.1:8080 with the default scenario
	$(VENV)/bin/fintech-sandbox serve $(ARGS)

# pytest-xdist workers for the suite: one per core of a 2-core machine keeps the run well under 10 minutes
WORKERS ?= 2

# The dashboard's browser tests drive Debian's Chromium (Playwright cannot download a browser here)
CHROMIUM := /usr/bin/chromium
$(CHROMIUM):
	@echo "installing Debian's chromium for the dashboard's browser tests (tests/ui/test_browser.py)"
	$(if $(filter 0,$(shell id -u)),,sudo) apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $(if $(filter 0,$(shell id -u)),,sudo) apt-get install -y -qq chromium

test: $(TESTING) | $(CHROMIUM)  ## ruff, the whole test suite, then the partner-style suite through the pytest plugin
	$(VENV)/bin/ruff check .
	$(VENV)/bin/python -m pytest -n $(WORKERS) $(ARGS)
	$(VENV)/bin/python -m pytest -p sandbox examples/partner_suite -q -n 4

screenshots: $(TESTING) | $(CHROMIUM)  ## retake the README's screenshots of the dashboard (docs/screenshots)
	SANDBOX_SCREENSHOTS=docs/screenshots $(VENV)/bin/python -m pytest tests/ui/test_browser.py -q

openapi: $(SERVING)  ## re-export openapi/<provider>.json after changing a schema
	$(VENV)/bin/fintech-sandbox openapi export

dist: $(SERVING)  ## a wheel in dist/ (pip install 'dist/fintech_sandbox-<version>-py3-none-any.whl[pytest]')
	$(VENV)/bin/python -m pip wheel --no-deps --disable-pip-version-check -w dist .

image:  ## the container image, where a Docker engine runs (CI: docker build, then docker push to your registry)
	docker build -t fintech-sandbox .

bench: $(TESTING)  ## every benchmark: flat at 1k..100k records, webhooks, the journal, the dashboard, side by side with Prism
	$(VENV)/bin/python bench/bench_ibanera.py $(ARGS)
	$(VENV)/bin/python bench/bench_weavr.py $(ARGS)
	$(VENV)/bin/python bench/flatness.py
	$(VENV)/bin/python bench/plugin_overhead.py
	$(VENV)/bin/python bench/webhooks.py
	$(VENV)/bin/python bench/journal.py
	$(VENV)/bin/python bench/dashboard.py
	$(VENV)/bin/python bench/compare_prism.py

fuzz: $(TESTING)  ## schemathesis with every check over each provider's document, 100 examples per operation and mode
	SANDBOX_FUZZ_EXAMPLES=$${SANDBOX_FUZZ_EXAMPLES:-100} SANDBOX_FUZZ_SEEDS=$${SANDBOX_FUZZ_SEEDS:-1,2,3} \
		$(VENV)/bin/python -m pytest -q -s tests/*/test_schemathesis.py
