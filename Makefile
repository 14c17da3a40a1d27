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

.PHONY: all build ablations test test-race vet fmt bench clean docs

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

# The README's data gallery and detector table, at the quick profile
# (docs/gallery/*.png, docs/detectors.md). Regenerate after changing core/synth or core/detect.
DOCS_TMP ?= /tmp/ancd-docs
docs: build
	rm -rf $(DOCS_TMP) && mkdir -p docs/gallery
	./$(BIN) synth --profile quick --seed 3407 --out $(DOCS_TMP)/data
	for m in patchcore padim musc gt-noisy; do \
	  ./$(BIN) detect --data $(DOCS_TMP)/data/mvtec --format mvtec --method $$m --out $(DOCS_TMP)/mvtec-$$m || exit 1; \
	  ./$(BIN) detect --data $(DOCS_TMP)/data/mtd --format mtd --method $$m --out $(DOCS_TMP)/mtd-$$m || exit 1; \
	done
	./$(BIN) detect --data $(DOCS_TMP)/data/mvtec --format mvtec --method musc --category capsule --out $(DOCS_TMP)/gal-capsule --gallery docs/gallery
	./$(BIN) detect --data $(DOCS_TMP)/data/mvtec --format mvtec --method musc --category wood --out $(DOCS_TMP)/gal-wood --gallery docs/gallery
	./$(BIN) detect --data $(DOCS_TMP)/data/mtd --format mtd --method musc --out $(DOCS_TMP)/gal-mtd --gallery docs/gallery
	./$(BIN) results detectors docs/detectors.md $(DOCS_TMP)/mvtec-*/detect.json $(DOCS_TMP)/mtd-*/detect.json
