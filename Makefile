# scaffold: the two commands are `make install` and `make test`.
GO      ?= go
PREFIX  ?= $(shell $(GO) env GOPATH)
export PATH := $(HOME)/.local/bin:$(PATH)

.PHONY: all build install test unit e2e vet bench golden uv clean

all: build

build: ## build ./scaffold
	$(GO) build -o scaffold ./cmd/scaffold

install: ## install scaffold into $(PREFIX)/bin
	$(GO) build -o $(PREFIX)/bin/scaffold ./cmd/scaffold
	@echo "installed $(PREFIX)/bin/scaffold"

test: vet unit e2e ## everything: vet, unit/golden/CLI/PTY tests, then the end-to-end suite

vet:
	$(GO) vet ./...

unit: ## Go tests without the end-to-end suite; review's parallel file pass also under the race detector
	$(GO) test -count=1 -short ./...
	$(GO) test -count=1 -short -race ./checklists/review

e2e: uv ## generate every testdata/e2e variant and run its own checks
	@mkdir -p .e2e
	@status=0; $(GO) test -count=1 -timeout 80m ./e2e || status=$$?; \
	  echo "End-to-end results (seconds per step):"; cat .e2e/report.txt 2>/dev/null; exit $$status

uv: ## install uv from PyPI when it is missing
	@command -v uv >/dev/null 2>&1 || python3 -m pip install -q --user --disable-pip-version-check uv \
	  || python3 -m pip install -q --disable-pip-version-check uv

bench: ## benchmarks: new against a write-only floor, start-up against hello-worlds, review
	$(GO) test -run '^$$' -bench . -benchmem ./generator/... ./checklists/... ./cmd/scaffold/...

golden: ## rewrite the golden trees after a deliberate template change; review the diff
	$(GO) test ./generator -run TestGolden -update

clean:
	rm -rf scaffold .e2e
