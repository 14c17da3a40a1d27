# AnomalyNCD experiment framework.
#   make ablations   run the whole study (PROFILE=quick on the embedded benchmark)
#   make test        the test suite (CI runs this)

GO        ?= go
PROFILE   ?= quick
WORKERS   ?= 0
RUNNER    ?= local
STORE     ?= store
DATA      ?=
MAPS      ?=
BIN       := bin/ancd

.PHONY: all build ablations test test-race vet fmt bench clean

all: build

build:
	$(GO) build -o $(BIN) ./cmd/ancd

ablations: build
	./$(BIN) ablations --profile $(PROFILE) --store $(STORE) --workers $(WORKERS) --runner $(RUNNER) $(if $(DATA),--data $(DATA)) $(if $(MAPS),--maps $(MAPS)) --results RESULTS.md --plots plots/out

vet:
	$(GO) vet ./...
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || (echo "gofmt needed:"; gofmt -l $$(git ls-files '*.go'); exit 1)

test: vet
	$(GO) test -timeout 20m ./...
	$(GO) test -race -timeout 10m ./runners/... ./results/...

bench:
	$(GO) test -run '^$$' -bench . -benchmem ./core/...

clean:
	rm -rf bin
