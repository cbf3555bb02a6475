# actornode — see README.md. Everything a target needs is installed by the
# Makefile itself into .tools/ (Go tools) or, for protoc, from Debian.

GO            ?= go
TOOLBIN       := $(CURDIR)/.tools/bin
BTCD_VERSION  := v0.26.2
PROTOC_VERSION := 3.21.12
PROTOC_DEB    := 3.21.12-3+deb12u1
PROTOC_GEN_GO_VERSION := v1.36.12
JAEGER_MOD    := internal/tools/jaeger
PROTOS        := $(shell find . -name '*.proto' -not -path './.tools/*' | sort)
GOFILES        = $(shell git ls-files '*.go' 2>/dev/null || find . -name '*.go' -not -path './.tools/*')

export PATH := $(TOOLBIN):$(PATH)

.PHONY: all build test vet fmt-check fuzz-smoke tools proto proto-tools proto-check demo bench clean

all: build

build:
	$(GO) build -o bin/actornode ./cmd/actornode

## test: vet, gofmt, generated-code drift, every test with the race detector,
## then a short run of each fuzz target on the parsers of untrusted input.
test: tools proto-check vet fmt-check
	$(GO) test -race -count=1 -timeout 15m ./...
	$(MAKE) fuzz-smoke

FUZZTIME ?= 10s
FUZZ_TARGETS := ./addrman/bookfile:FuzzDecode ./addrman/book:FuzzAddOps \
	./peerman/peercore:FuzzStep ./connman/evict:FuzzSelect \
	./telemetry/peerfilter:FuzzParse ./telemetry/dump:FuzzReadRecords \
	./telemetry/capture:FuzzReader \
	./chain/download:FuzzStep ./chain/blockcheck:FuzzCheck

## fuzz-smoke: each fuzz target for FUZZTIME (make fuzz-smoke FUZZTIME=5m for longer).
fuzz-smoke:
	@for t in $(FUZZ_TARGETS); do pkg=$${t%%:*}; fn=$${t##*:}; \
	  echo "fuzz $$pkg $$fn ($(FUZZTIME))"; \
	  $(GO) test -run '^$$' -fuzz "^$$fn$$" -fuzztime $(FUZZTIME) $$pkg || exit 1; done

vet:
	$(GO) vet ./...

fmt-check:
	@bad=$$(gofmt -l $(GOFILES)); if [ -n "$$bad" ]; then echo "gofmt would change:"; echo "$$bad"; exit 1; fi

## tools: the real peers and generators the tests use (btcd, btcctl, protoc,
## and jaeger as the real trace sink of the tracing tests and the demo).
tools: $(TOOLBIN)/btcd $(TOOLBIN)/btcctl $(TOOLBIN)/jaeger proto-tools

$(TOOLBIN)/btcd:
	GOBIN=$(TOOLBIN) GOFLAGS= $(GO) install github.com/btcsuite/btcd@$(BTCD_VERSION)

$(TOOLBIN)/btcctl:
	GOBIN=$(TOOLBIN) GOFLAGS= $(GO) install github.com/btcsuite/btcd/cmd/btcctl@$(BTCD_VERSION)

# Jaeger v2 all-in-one (OTLP in, query API and UI out, in-memory storage),
# built from source: `go install` refuses it because Jaeger's go.mod has a
# replace directive, so the nested module $(JAEGER_MOD) pins the version
# (go.mod, go.sum) and repeats that replace. A cold build takes about 6.5
# minutes on 2 idle cores (10 on a busy machine) and yields an 85 MB binary
# (120 MB without -s -w); it is skipped while the binary exists, so delete it
# after a version bump. The binary has no jaeger-ui assets (they are built
# with npm, outside the Go module): the UI is a placeholder page, the query
# JSON API that internal/jaegertest reads is complete.
$(TOOLBIN)/jaeger:
	cd $(JAEGER_MOD) && v=$$(GOWORK=off GOFLAGS= $(GO) list -m -f '{{.Version}}' github.com/jaegertracing/jaeger) && \
	  GOWORK=off GOFLAGS= $(GO) build -trimpath \
	    -ldflags "-s -w -X github.com/jaegertracing/jaeger/internal/version.latestVersion=$$v" \
	    -o $@.tmp github.com/jaegertracing/jaeger/cmd/jaeger
	mv $@.tmp $@

$(TOOLBIN)/protoc-gen-go:
	GOBIN=$(TOOLBIN) GOFLAGS= $(GO) install google.golang.org/protobuf/cmd/protoc-gen-go@$(PROTOC_GEN_GO_VERSION)

proto-tools: $(TOOLBIN)/protoc-gen-go
	@if ! command -v protoc >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    (apt-get update -qq && apt-get install -y -qq protobuf-compiler=$(PROTOC_DEB)) >/dev/null; \
	  else echo "protoc $(PROTOC_VERSION) is missing: apt-get install protobuf-compiler=$(PROTOC_DEB)"; exit 1; fi; \
	fi
	@v=$$(protoc --version); if [ "$$v" != "libprotoc $(PROTOC_VERSION)" ]; then \
	  echo "protoc must be $(PROTOC_VERSION) (got '$$v'): apt-get install protobuf-compiler=$(PROTOC_DEB)"; exit 1; fi

## proto: regenerate the Go code of every boundary .proto.
proto: proto-tools
	protoc -I . -I $$($(GO) list -m -f '{{.Dir}}' github.com/asynkron/protoactor-go)/actor \
	  --go_out=. --go_opt=module=github.com/actornode/actornode $(PROTOS)

## proto-check: fail if the committed generated code differs from what `make proto` writes.
proto-check: proto-tools
	@tmp=$$(mktemp -d); \
	protoc -I . -I $$($(GO) list -m -f '{{.Dir}}' github.com/asynkron/protoactor-go)/actor \
	  --go_out=$$tmp --go_opt=module=github.com/actornode/actornode $(PROTOS) || exit 1; \
	rc=0; for f in $$(cd $$tmp && find . -name '*.pb.go'); do \
	  cmp -s $$tmp/$$f $$f || { echo "generated code is stale: $$f (run make proto)"; rc=1; }; done; \
	rm -rf $$tmp; exit $$rc

## demo: a local regtest network (btcd plus actornode) on loopback.
demo: build $(TOOLBIN)/btcd $(TOOLBIN)/btcctl
	$(GO) run ./cmd/demo --actornode bin/actornode --btcd-dir $(TOOLBIN)

## bench: the benchmark suite (cmd/benchsuite) against bin/actornode and btcd,
## which rewrites the generated block at the top of docs/benchmarks.md, then
## the Go micro benchmarks quoted further down (skipped with BENCH_QUICK=1).
## BENCH_QUICK=1: one run per figure and smaller figures; BENCH_RUNS=N: N runs.
bench:
	$(GO) build -o bin/actornode ./cmd/actornode
	$(GO) build -o bin/benchsuite ./cmd/benchsuite
	bin/benchsuite -actornode bin/actornode -out docs/benchmarks.md $(if $(BENCH_QUICK),-quick) $(if $(BENCH_RUNS),-runs $(BENCH_RUNS))
	@if [ -z "$(BENCH_QUICK)" ]; then \
	  $(GO) test -run '^$$' -bench . -benchmem -count 5 ./sockman/ ./cmd/actornode/node/ ./addrman/book/ ./addrman/bookfile/ | tee .bench.txt; fi

clean:
	rm -rf bin .bench.txt
