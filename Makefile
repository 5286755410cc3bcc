# Personal OS API — the two commands of the README are `make run` and `make test`
# (`make package` builds the AWS deployment offline; `make test` runs it too).
#
# Node.js 22 is used for every node/npm call: the machine's own when it is >= 22, otherwise a
# pinned Node 22 fetched from the npm registry into .tools/ (scripts/ensure-node.sh).
# The test emulator (moto's server) and cfn-lint live in their own virtualenv, .tools/venv.

SHELL := /bin/bash
NODE_BIN := $(shell ./scripts/ensure-node.sh)
export PATH := $(if $(NODE_BIN),$(NODE_BIN):)$(PATH)
VENV := .tools/venv

.PHONY: run test bench lint format typecheck package create-table import emulator clean help

help:
	@echo "make run    - install what is missing, then start the API on http://127.0.0.1:8000 (docs at /docs)"
	@echo "make test   - install what is missing, then run tsc, ESLint, Prettier and the Vitest suite"
	@echo "make bench  - run the benchmarks and print their figures"
	@echo "make package - package the AWS deployment offline (osls, no credentials) and cfn-lint it"
	@echo "make import FILE=dump.json EMAIL=you@example.com [PASSWORD=...] - import a localStorage dump"
	@echo "make emulator - run the DynamoDB emulator (moto) on http://127.0.0.1:5000"

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

$(VENV)/.installed: tools/requirements.txt
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check -r tools/requirements.txt
	@touch $@

run: node_modules/.installed
	npm start

test: node_modules/.installed $(VENV)/.installed package
	npm test

package: node_modules/.installed $(VENV)/.installed
	./scripts/package.sh

bench: node_modules/.installed $(VENV)/.installed
	npm run bench

lint: node_modules/.installed
	npm run lint

typecheck: node_modules/.installed
	npm run typecheck

format: node_modules/.installed
	npm run format

emulator: $(VENV)/.installed
	$(VENV)/bin/moto_server -H 127.0.0.1 -p 5000

create-table: node_modules/.installed
	npm run cli -- create-table

import: node_modules/.installed
	$(if $(and $(FILE),$(EMAIL)),,$(error make import needs FILE=dump.json and EMAIL=you@example.com))
	npm run cli -- import-localstorage "$(FILE)" --email "$(EMAIL)" $(if $(PASSWORD),--password "$(PASSWORD)")

clean:
	rm -rf node_modules .tools .data .serverless .esbuild dist
