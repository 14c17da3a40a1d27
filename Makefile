# AnomalyNCD experiment framework.
#   make ablations   run the whole study (PROFILE=quick on the embedded benchmark): RESULTS.md, plots/out/, report/
#   make test        the test suite (CI runs this)
#   make bench-openblas / make test-openblas   the optional OpenBLAS build (cgo, libopenblas-dev)

GO        ?= go
PROFILE   ?= quick
WORKERS   ?= 0
RUNNER    ?= local
STORE     ?= store
DATA      ?=
DATA_MTD  ?=
BASE      ?=
MAPS      ?=
MAPS_NAME ?=
BIN       := bin/ancd
BIN_OPENBLAS := bin/ancd-openblas
# The ancd bench train setting of the README's performance table.
BENCH_TRAIN ?= --image-size 64 --patch-size 8 --dim 96 --depth 4 --heads 4 --mask-layers 2 --batch-size 32 --steps 8

.PHONY: all build build-openblas ablations backbone deps lint test test-openblas vet bench bench-train bench-openblas clean docs

all: build

build:
	$(GO) build -o $(BIN) ./cmd/ancd

ablations: build
	./$(BIN) ablations --profile $(PROFILE) --store $(STORE) --workers $(WORKERS) --runner $(RUNNER) $(if $(DATA),--data mvtec=$(DATA)) $(if $(DATA_MTD),--data mtd=$(DATA_MTD)) $(if $(BASE),--base $(BASE)) $(if $(MAPS),--maps $(MAPS)) $(if $(MAPS_NAME),--maps-name $(MAPS_NAME)) --results RESULTS.md --plots plots/out --report report

# The study's pretrained backbone as a reusable safetensors file (from the
# store when a study already pretrained it): load it with model.weights=FILE.
BACKBONE ?= backbones/$(PROFILE).safetensors
backbone: build
	./$(BIN) backbone --profile $(PROFILE) --store $(STORE) --out $(BACKBONE) --force

vet:
	$(GO) vet ./...
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || (echo "gofmt needed:"; gofmt -l $$(git ls-files '*.go'); exit 1)

# Opt-in: staticcheck at a pinned version (downloads it through the module proxy).
lint: vet
	$(GO) run honnef.co/go/tools/cmd/staticcheck@v0.8.2 ./...

# The system packages the tests need (Slurm for the Slurm tests, chromium
# for the report's browser test), installed once with apt-get when missing
# and running as root; idempotent, waits for (never races on) the package lock.
deps:
	./scripts/deps.sh

# The race detector also runs over the parallel training kernels and loop.
test: deps vet
	$(GO) test -timeout 20m ./...
	$(GO) test -race -timeout 10m ./runners/... ./results/... ./core/mgvit ./core/train

bench:
	$(GO) test -run '^$$' -bench . -benchmem ./core/...

# Training throughput of the default (pure-Go) build: ancd bench train.
bench-train: build
	./$(BIN) bench train $(BENCH_TRAIN)

# Opt-in OpenBLAS build of float32 gemm (-tags openblas): needs cgo and
# libopenblas (Debian: libopenblas-dev). Neither build nor test needs it.
build-openblas:
	CGO_ENABLED=1 $(GO) build -tags openblas -o $(BIN_OPENBLAS) ./cmd/ancd

# OpenBLAS picks its kernels when the library loads. Debian bookworm's
# 0.3.21 does not know CPUs newer than it (e.g. Sapphire Rapids) and falls
# back to its slow SSE3 "Prescott" kernels there: set OPENBLAS_CORETYPE
# (SkylakeX for AVX-512, Haswell for AVX2) in the environment or on the make
# command line. `go test -tags openblas -v -run OpenBLASBackend ./core/mgvit`
# logs the kernels in use.
OPENBLAS_CORETYPE ?=
OPENBLAS_ENV := $(if $(OPENBLAS_CORETYPE),OPENBLAS_CORETYPE=$(OPENBLAS_CORETYPE))

bench-openblas: build-openblas
	$(OPENBLAS_ENV) ./$(BIN_OPENBLAS) bench train $(BENCH_TRAIN)

test-openblas:
	$(OPENBLAS_ENV) CGO_ENABLED=1 $(GO) test -tags openblas ./core/mgvit -run 'OpenBLAS|Sgemm'

clean:
	rm -rf bin

# The README's data gallery and detector table, at the quick profile
# (docs/gallery/*.png, docs/detectors.md). Regenerate after changing core/synth or core/detect.
DOCS_TMP ?= /tmp/ancd-docs
# the quick profile's detect.musc_cells (configs/profiles/quick.yaml); other methods ignore it
DOCS_MUSC = --musc-cells 32
docs: build
	rm -rf $(DOCS_TMP) && mkdir -p docs/gallery
	./$(BIN) synth --profile quick --seed 3407 --out $(DOCS_TMP)/data
	for m in patchcore padim musc gt-noisy; do \
	  ./$(BIN) detect --data $(DOCS_TMP)/data/mvtec --format mvtec --method $$m $(DOCS_MUSC) --out $(DOCS_TMP)/mvtec-$$m || exit 1; \
	  ./$(BIN) detect --data $(DOCS_TMP)/data/mtd --format mtd --method $$m $(DOCS_MUSC) --out $(DOCS_TMP)/mtd-$$m || exit 1; \
	done
	./$(BIN) detect --data $(DOCS_TMP)/data/mvtec --format mvtec --method musc $(DOCS_MUSC) --category capsule --out $(DOCS_TMP)/gal-capsule --gallery docs/gallery
	./$(BIN) detect --data $(DOCS_TMP)/data/mvtec --format mvtec --method musc $(DOCS_MUSC) --category wood --out $(DOCS_TMP)/gal-wood --gallery docs/gallery
	./$(BIN) detect --data $(DOCS_TMP)/data/mtd --format mtd --method musc $(DOCS_MUSC) --out $(DOCS_TMP)/gal-mtd --gallery docs/gallery
	./$(BIN) results detectors docs/detectors.md $(DOCS_TMP)/mvtec-*/detect.json $(DOCS_TMP)/mtd-*/detect.json
