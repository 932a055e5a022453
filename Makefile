# Seq2SeqRM — the two set-up commands are `make demo` and `make test` (README.md).
# Every target installs the Debian packages it needs first (scripts/deps.sh). Drop-in hooks keep this
# file stable: tests in scripts/test.d/*.sh, peer checks in scripts/parity.d/*.sh, benchmarks in
# Benchmarks/*/run.sh.

SHELL := /bin/bash
.PHONY: deps build release lint format test parity bench demo experiment real clean

deps:
	@scripts/deps.sh

build: deps
	swift build

release: deps
	swift build -c release

lint:
	swift format lint --strict -r Sources Tests Package.swift

format:
	swift format -i -r Sources Tests Package.swift

test: deps lint
	swift build --build-tests
	swift test
	swift build -c release
	scripts/run-dir.sh scripts/test.d

parity: release
	scripts/run-dir.sh scripts/parity.d

bench: release
	@scripts/deps.sh hyperfine time
	@for b in Benchmarks/*/run.sh; do bash "$$b" || echo "benchmark $$b failed" >&2; done

demo: release
	scripts/demo.sh

experiment: release
	scripts/experiment.sh

real: release
	scripts/real.sh

clean:
	rm -rf .build demo-out report experiment-out real-out
