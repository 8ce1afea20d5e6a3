# Sparrow: `make run` serves the API with built-in defaults, `make test` runs
# every test against a real PostgreSQL. With DATABASE_URL unset both use a
# private cluster under .data/postgres, started on demand.
GO      ?= go
BIN     := bin/sparrow
MODULE  := github.com/sparrow-coach/sparrow

.PHONY: all build run test fuzz bench lint vet fmt web web-check db-start db-stop db-status clean dredd

all: build

build:
	$(GO) build -o $(BIN) ./cmd/sparrow

run: build
	./$(BIN) serve

# The database is started first so a missing PostgreSQL is reported once,
# clearly, before any test runs.
test: build
	@if [ -z "$$DATABASE_URL" ]; then ./$(BIN) db start >/dev/null; fi
	$(MAKE) --no-print-directory lint
	$(MAKE) --no-print-directory web-check
	$(GO) test -race -count=1 -timeout 20m ./...
	$(MAKE) --no-print-directory fuzz

# fuzz: a short run of each fuzz test (`go test -fuzz` takes one package and
# one target per run). Their seed corpora (testdata/fuzz/FuzzX, committed)
# also run as ordinary tests in `make test`; FUZZTIME=5m (or 5000000x) digs
# deeper, and whatever a run finds is written to testdata/fuzz to commit as a
# regression. The default is a count of executions, not a duration: with a
# duration, Go before 1.27 can fail a run with a bare "context deadline
# exceeded" at the deadline when a loaded machine starves its workers
# (golang/go#75804; seen in a CI run here, no input written, rerun clean).
# 50,000 executions took 3-12 s per target on this machine.
FUZZTIME ?= 50000x
FUZZ_TARGETS := \
	./api:FuzzDecodeBody \
	./integrations/clerk:FuzzParseWebhook \
	./integrations/elevenlabs:FuzzParseWebhook \
	./domain/transcriptfile:FuzzParse
fuzz:
	@set -e; for t in $(FUZZ_TARGETS); do \
	  pkg=$${t%%:*}; name=$${t##*:}; \
	  echo "fuzz $$pkg $$name ($(FUZZTIME))"; \
	  $(GO) test -run '^$$' -fuzz "^$$name\$$" -fuzztime $(FUZZTIME) $$pkg; \
	done

bench: build
	./$(BIN) bench

vet:
	$(GO) vet ./...

# lint: gofmt, go vet, and the walls of ADR 0007 (scripts/lint-walls): domain
# imports only the standard library, api only app/domain and HTTP libraries,
# app no integrations, and only eventstore touches the event log's tables.
lint: vet
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	  if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi
	@scripts/lint-walls

# web: rebuild the browser app (web/src -> web/dist, committed) and its API
# types from docs/openapi.yaml. Needs Node.js; `go build` does not.
web:
	cd web && npm ci --no-audit --no-fund --loglevel=error && npm run gen && npx tsc --noEmit -p . && node build.mjs

# web-check: fail when web/dist or the generated API types do not match their
# sources (esbuild's output is deterministic), or when the type check fails.
web-check:
	@if ! command -v node >/dev/null 2>&1; then \
	  echo "!!! web-check SKIPPED: Node.js is not installed, so web/dist is NOT checked against web/src !!!"; exit 0; fi; \
	  set -e; tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT; cd web; \
	  cmp -s package-lock.json node_modules/.sparrow-lock 2>/dev/null || { npm ci --no-audit --no-fund --loglevel=error >/dev/null && cp package-lock.json node_modules/.sparrow-lock; }; \
	  npx openapi-typescript ../docs/openapi.yaml -o "$$tmp/schema.d.ts" >/dev/null 2>&1; \
	  diff -u src/api/schema.d.ts "$$tmp/schema.d.ts" || { echo "web/src/api/schema.d.ts is stale: run make web"; exit 1; }; \
	  npx tsc --noEmit -p .; \
	  node build.mjs "$$tmp/dist"; \
	  diff -r dist "$$tmp/dist" || { echo "web/dist does not match web/src: run make web and commit web/dist"; exit 1; }; \
	  cmp -s node_modules/axe-core/axe.min.js ../cmd/sparrow/testdata/axe.min.js || { echo "cmd/sparrow/testdata/axe.min.js is not the axe-core of web/package-lock.json: copy it"; exit 1; }; \
	  echo "web-check: web/dist matches web/src"

# dredd: every 2xx example of docs/openapi.yaml against a fresh server (Node.js needed; see scripts/dredd/run).
dredd:
	scripts/dredd/run

fmt:
	gofmt -w $$(git ls-files '*.go')

db-start: build
	./$(BIN) db start

db-stop: build
	./$(BIN) db stop

db-status: build
	./$(BIN) db status

clean:
	rm -rf bin
