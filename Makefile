# Sparrow: `make run` serves the API with built-in defaults, `make test` runs
# every test against a real PostgreSQL. With DATABASE_URL unset both use a
# private cluster under .data/postgres, started on demand.
GO      ?= go
BIN     := bin/sparrow
MODULE  := github.com/sparrow-coach/sparrow

.PHONY: all build run test bench lint vet fmt db-start db-stop db-status clean dredd

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
	$(GO) test -race -count=1 -timeout 20m ./...

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
