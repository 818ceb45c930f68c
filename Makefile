# One command to run the sandbox, one to test it. Each sets up .venv first
# (again whenever pyproject.toml or constraints.txt changes).
VENV ?= .venv
PYTHON ?= python3
STAMP := $(VENV)/.installed

.PHONY: serve test openapi bench fuzz

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[test]'
	touch $(STAMP)

serve: $(STAMP)  ## run on http://127.0.0.1:8080 with fixtures/default.yaml
	$(VENV)/bin/fintech-sandbox serve $(ARGS)

test: $(STAMP)  ## ruff, the whole test suite, then the partner-style suite through the pytest plugin
	$(VENV)/bin/ruff check .
	$(VENV)/bin/python -m pytest $(ARGS)
	$(VENV)/bin/python -m pytest -p sandbox examples/partner_suite -q -n 4

openapi: $(STAMP)  ## re-export openapi/<provider>.json after changing a schema
	$(VENV)/bin/fintech-sandbox openapi export

bench: $(STAMP)  ## every benchmark: flat at 1k..100k records, and side by side with Prism
	$(VENV)/bin/python bench/bench_ibanera.py $(ARGS)
	$(VENV)/bin/python bench/bench_weavr.py $(ARGS)
	$(VENV)/bin/python bench/flatness.py
	$(VENV)/bin/python bench/plugin_overhead.py
	$(VENV)/bin/python bench/compare_prism.py

fuzz: $(STAMP)  ## schemathesis with every check over each provider's document, 100 examples per operation and mode
	SANDBOX_FUZZ_EXAMPLES=$${SANDBOX_FUZZ_EXAMPLES:-100} $(VENV)/bin/python -m pytest -q -s tests/*/test_schemathesis.py
