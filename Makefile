# The two commands of the README. Each installs what it needs (rustup targets, wasm-bindgen-cli,
# Debian packages, throwaway venvs, npm packages from the lockfiles; see tests/need.sh); nothing
# else is assumed beyond rustup, gcc, python3, node + npm and make.

.PHONY: demo test links versions dist test-dist test-dist-all dist-reproducible test-rust test-c counts counts-bless counts-all counts-all-bless test-java test-python test-js test-pam test-e2e test-differential test-credentials test-eks no-std vectors-check setup bench bench-render bench-docs-check fuzz differential

# The main job: an RDS token from AWS's example credentials, each SigV4 step shown, then the
# same token made from every language binding, side by side and compared.
demo:
	@echo "building the iamauth command (release; the first run takes about a minute)..." >&2
	cargo run --quiet --release -p iamauth-cli -- demo
	bash bindings/side-by-side.sh
	@echo; echo 'The token page (inspect, verify, make; nothing leaves the browser): after (cd wasm && npm run build), run'
	@echo '  python3 -m http.server --bind 127.0.0.1 --directory wasm 8000   and open http://127.0.0.1:8000/page/'

# Everything: the no_std proof, the vectors against botocore, the committed benchmark docs against
# their results (bench-docs-check), the C ABI (C tests, header diff,
# valgrind, ASan), Java over JNI, the Python package (wheel in a fresh venv, pytest), the JS suite
# on all five JS artifacts (Node addon, wasm in Node CJS/ESM, Chromium, workerd), the PAM module,
# the instruction counts of the core and the C ABI against their baseline (counts),
# the end-to-end logins against real PostgreSQL and MariaDB servers, then every Rust test (38 AWS suite cases, SDK vectors, our vectors, property and allocation tests, the CLI);
# 300 random cases of the differential (every surface against botocore, awscli's EKS tokens and the
# MSK signer's); the credential chain against botocore's on 49 fixtures; kubectl running
# `iamauth eks` as its exec plugin.
test: setup no-std vectors-check links versions bench-docs-check test-c counts test-java test-python test-js test-differential test-credentials test-eks test-pam test-e2e test-rust

# The rustup targets the no_std proof builds for (need_rust_target runs `rustup target add` for
# the missing ones; the wasm package's build adds its own).
setup:
	bash -c '. tests/need.sh && need_rust_target wasm32-unknown-unknown thumbv7em-none-eabi'

no-std: setup
	cargo build --quiet -p iamauth --no-default-features --target wasm32-unknown-unknown
	cargo build --quiet -p iamauth --no-default-features --target thumbv7em-none-eabi
	@echo "no_std: core builds for wasm32-unknown-unknown and thumbv7em-none-eabi"

# Regenerates the vectors with botocore (pinned, in a throwaway venv) and fails if the
# committed files differ.
vectors-check:
	python3 tests/vectors/generate.py --check

# Every intra-repo Markdown link and anchor resolves.
links:
	python3 tests/check-links.py

# Every package's version is Cargo's.
versions:
	python3 tests/check-versions.py

# The committed benchmark docs (docs/bench/*.svg and the generated part of docs/benchmarks.md) are
# what docs/bench/results.json renders, the charts parse as XML, and the renderer's unit test
# (benches/test_render.py, over benches/fixtures/) passes. No measuring: about a second.
bench-docs-check:
	python3 benches/render.py --check
	python3 benches/test_render.py

# The release artifacts (npm, wheels, jar, C tarballs for linux x86_64 / aarch64), SBOMs and
# SHA256SUMS into dist/, reproducibly; see RELEASING.md.
dist: versions
	bash tests/dist/dist.sh

# Each artifact installed as a user would, no Rust on PATH: x86_64 glibc here, the whole matrix
# (aarch64 under qemu, musl, the sdist) with test-dist-all.
test-dist: dist
	bash tests/dist/test.sh

test-dist-all: dist
	bash tests/dist/test.sh --all

# Two make dist runs (two paths, warm and cold) give byte-identical artifacts.
dist-reproducible:
	bash tests/dist/reproducible.sh

# The credential chain (credentials/) against botocore's resolver, fixture by fixture, on
# loopback mocks of IMDS, the container endpoint, STS and SSO.
test-credentials:
	bash tests/credentials/test.sh

# kubectl (Debian's when none is installed) runs `iamauth eks` from the README's kubeconfig
# block as its exec plugin against a loopback HTTPS server; the bearer token it sends verifies.
test-eks:
	bash tests/eks/kubectl.sh

test-c:
	bash bindings/c/test.sh

# Instructions per call by callgrind (benches/counts/README.md): the core's hot paths, their
# SHA-256 floor and iamauth_rds_token through the C ABI, against benches/counts/baseline.json;
# fails when one is more than 10% over it. About 10 s once built; installs valgrind if missing.
# counts-all adds Python and the Node addon (builds the wheel and the addon; `make bench` runs it).
# The -bless targets rewrite the baseline with this machine's counts (commit it with the change).
counts:
	bash benches/counts/check.sh

counts-bless:
	bash benches/counts/check.sh --bless

counts-all:
	bash benches/counts/check.sh --all

counts-all-bless:
	bash benches/counts/check.sh --all --bless

test-java:
	bash bindings/java/test.sh

test-python:
	bash bindings/python/test.sh

test-js:
	bash tests/js/test.sh

# pam_iamauth.so through libpam as a real application uses it (pam_start_confdir, a private
# service file), every refusal code in its log; installs libpam0g-dev and valgrind if missing.
test-pam:
	bash bindings/pam/test.sh

# Real logins: private PostgreSQL 15 and MariaDB 10.11 (TLS, pam_iamauth.so) accept tokens from
# every binding and refuse bad ones with the right code; as root, installs what is missing.
test-e2e:
	bash tests/e2e/run

test-rust:
	cargo test --workspace

# Each cargo-fuzz target in core/fuzz (inspect, verify, keys, pam_args, presign) for FUZZ_SECONDS
# (default 60), from a corpus seeded from tests/vectors; one summary line per target. Installs
# rustup's nightly and cargo-fuzz (pinned) when missing. Not part of `make test`.
FUZZ_SECONDS ?= 60
fuzz:
	FUZZ_SECONDS=$(FUZZ_SECONDS) bash tests/fuzz.sh

# N seeded random valid cases signed by botocore (pinned, throwaway venv) and by every surface
# (Rust, C, Python, Node addon, wasm, Java), compared byte for byte and each verified by core;
# SEED reproduces a run. `make test` runs a small N (test-differential).
N ?= 10000
SEED ?= 1
differential:
	bash tests/differential/run.sh --n $(N) --seed $(SEED)

test-differential:
	bash tests/differential/run.sh --n 300 --seed 1

# Every language and every peer in one sitting (benches/bench.py, whose STAGES table names each
# stage's command): the core against its floors, iamauth against aws-sigv4, C, Java, Python with
# botocore, the Node addon with @aws-sdk/rds-signer, wasm against its floor, then the instruction
# counts of every surface; a progress line per stage, logs in target/bench/logs/. Each harness writes
# target/bench/<harness>.json; they are merged into docs/bench/results.json (commit it) and rendered
# into docs/bench/*.svg and docs/benchmarks.md. STAGES=core,python (or BENCH_STAGES) runs a subset
# and renders with what is there. A failing stage fails the sitting after the others ran.
# 3 to 9 minutes on 2 shared vCPUs (warm or cold builds). bench-render re-renders the committed
# results without measuring.
STAGES ?=
bench:
	python3 benches/bench.py $(if $(STAGES),--stages $(STAGES))

bench-render:
	python3 benches/render.py
