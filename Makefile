# TSF Assistant. The two commands a newcomer needs: `make run` and `make test`.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON_VERSION := $(shell cat .python-version)
VENV := .venv
BIN := $(VENV)/bin
SPACY_DIR := var/spacy/en_tsf
MODEL := models/tsf.tar.gz
# The model depends on its configuration and data, and on the code that shapes what the
# classifier learns from (the custom components and the text normalisation they use).
TRAINING_INPUTS := rasa_project/config.yml $(shell find rasa_project/domain data -name '*.yml' | sort) \
	$(wildcard tsf_nlu/*.py) tsf_knowledge/clauses.py tsf_knowledge/spelling.py \
	tsf_knowledge/data/spelling.yml
RASA_PATHS := --config rasa_project/config.yml --domain rasa_project/domain --data data

export RASA_TELEMETRY_ENABLED := false
export TF_CPP_MIN_LOG_LEVEL := 2
export PIP_DISABLE_PIP_VERSION_CHECK := 1
export PIP_PROGRESS_BAR := off

.PHONY: help run test install model spacy teams-app slack-app lint unit validate conversations e2e nlu eval bench \
	clean browser-deps postgres deploy-deps

help:
	@echo "make run   - install, train if needed, and start the assistant (chat page on :8080)"
	@echo "make test  - install, lint, and run every test (unit, actions, Rasa, end-to-end)"
	@echo "make bench - measure NLU, latency, throughput and resources; write benchmarks/report.md"

## Environment ---------------------------------------------------------------

# Python 3.10 from pyenv (as in .python-version), else any python3.10 on the PATH.
PYTHON310 = $(shell for candidate in "$$HOME/.pyenv/versions/$(PYTHON_VERSION)/bin/python3" \
	"$$(command -v python3.10 || true)"; do \
	[ -n "$$candidate" ] && [ -x "$$candidate" ] && "$$candidate" -c \
	'import sys; sys.exit(sys.version_info[:2] != (3, 10))' 2>/dev/null && echo "$$candidate" && break; \
	done)

$(BIN)/python:
	@test -n "$(PYTHON310)" || { echo "Python 3.10 is needed (pyenv install $(PYTHON_VERSION))."; exit 1; }
	"$(PYTHON310)" -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade "pip<25"
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $@

install: $(VENV)/.installed

$(SPACY_DIR)/meta.json: tsf_knowledge/language.py $(VENV)/.installed
	$(BIN)/python -m tsf_runtime.build_spacy $(SPACY_DIR)

spacy: $(SPACY_DIR)/meta.json

## Model ---------------------------------------------------------------------

# Trains only when the configuration, domain or training data changed.
$(MODEL): $(TRAINING_INPUTS) $(SPACY_DIR)/meta.json
	$(BIN)/rasa train $(RASA_PATHS) --out models --fixed-model-name tsf
	touch $@

model: $(MODEL)

## Run -----------------------------------------------------------------------

run: $(MODEL)
	$(BIN)/python -m tsf_runtime.launcher

## Tests ---------------------------------------------------------------------

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

nlu: install
	$(BIN)/python -m tsf_knowledge.nlu_export

# PostgreSQL 15 for the integration tests (they start their own throwaway server).
postgres:
	@command -v initdb >/dev/null || [ -x /usr/lib/postgresql/15/bin/initdb ] || \
		{ apt-get update -qq && apt-get install -y -qq postgresql-15 >/dev/null; }

# docker-compose (to validate the compose file), Redis and nginx for the deployment tests.
deploy-deps:
	@{ command -v docker-compose && command -v redis-server && command -v nginx; } >/dev/null || \
		{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
		--no-install-recommends docker-compose redis-server nginx-light >/dev/null; }

# browser-deps also brings the npm test dependencies: the Teams manifest schema is among them.
unit: install spacy postgres deploy-deps browser-deps
	$(BIN)/python -m tsf_knowledge.nlu_export --check
	$(BIN)/pytest

validate: install
	$(BIN)/rasa data validate --fail-on-warnings $(RASA_PATHS)

conversations: $(MODEL)
	$(BIN)/rasa test core --stories tests/conversations --model $(MODEL) \
		--fail-on-prediction-errors --out results/conversations
	@grep -q "None of the test stories failed" results/conversations/failed_test_stories.yml || \
		{ cat results/conversations/failed_test_stories.yml; exit 1; }

# Debian's Chromium (Playwright drives it; its own browser download is not used) and axe-core.
browser-deps:
	bash scripts/install-browser-deps.sh

e2e: $(MODEL) browser-deps deploy-deps
	$(BIN)/pytest -m e2e tests/e2e tests/integration/test_scale_out.py

test: lint unit validate model conversations e2e

## Evaluation ----------------------------------------------------------------

# Understanding through the running bot: both blind sets (tests/data/blind*/, never trained on),
# CLINC150's validation queries and the held-out questions, recorded in benchmarks/report.md;
# then 5-fold NLU cross-validation and the lead pipeline against a local webhook receiver.
eval: $(MODEL)
	$(BIN)/python -m benchmarks.blind_eval --out results/blind_eval.json --record after
	$(BIN)/rasa test nlu --nlu data/nlu --config rasa_project/config.yml \
		--cross-validation --folds 5 --out results/nlu_cv
	$(BIN)/python -m benchmarks.nlu_report results/nlu_cv
	$(BIN)/python -m benchmarks.lead_pipeline --leads 200

# Everything measured (NLU, latency and throughput against a `rasa init` baseline built on
# the fly, memory, training, the lead pipeline): writes benchmarks/report.md and its plots.
bench: $(MODEL)
	$(BIN)/python -m benchmarks.bench

# The Teams app package (manifest filled from MICROSOFT_APP_ID and TSF_TEAMS_*, and the icons).
teams-app: install
	$(BIN)/python -m tsf_runtime.teams_app build/tsf-teams-app.zip

# The Slack app manifest (request URLs on TSF_PUBLIC_RASA_URL), to paste into "From a manifest".
slack-app: install
	$(BIN)/python -m tsf_runtime.slack_app build/slack-app-manifest.json

clean:
	rm -rf models results .rasa var/spacy
