#!/usr/bin/env bash
# `make fuzz`: each cargo-fuzz target in core/fuzz (inspect, verify, keys, pam_args, presign) for
# FUZZ_SECONDS (default 60), one after another, from a corpus seeded from tests/vectors; then one
# summary line per target. Installs what it lacks (rustup's nightly, minimal profile; cargo-fuzz,
# pinned), only when it lacks it.
#
#   FUZZ_SECONDS=120 bash tests/fuzz.sh            # every target
#   FUZZ_TARGETS="verify keys" bash tests/fuzz.sh  # some
#
# The corpus grows in core/fuzz/corpus/<target>/ and crashes land in core/fuzz/artifacts/<target>/
# (both ignored by git). A crash fails the run: turn it into a regression test in core/tests (or
# the crate it belongs to), fix it, then delete the artifact.
set -euo pipefail
. "$(dirname "$0")/need.sh"

CARGO_FUZZ_VERSION=0.13.2
seconds="${FUZZ_SECONDS:-60}"
targets="${FUZZ_TARGETS:-inspect verify keys pam_args presign}"

need_nightly() {
    rustup run nightly rustc --version >/dev/null 2>&1 && return 0
    echo "installing rustup's nightly (minimal profile; once per machine)" >&2
    rustup toolchain install nightly --profile minimal >/dev/null
}
need_cargo_fuzz() {
    [ "$(cargo fuzz --version 2>/dev/null)" = "cargo-fuzz $CARGO_FUZZ_VERSION" ] && return 0
    echo "installing cargo-fuzz $CARGO_FUZZ_VERSION (about 2.5 min; once per machine)" >&2
    cargo install --quiet cargo-fuzz --version "$CARGO_FUZZ_VERSION"
}

step "fuzz: tools"
need_nightly
need_cargo_fuzz
cd "$root/core/fuzz"
python3 seeds.py
step "fuzz: build"
cargo +nightly fuzz build -O

failed=0
summary=()
for t in $targets; do
    step "fuzz: $t for ${seconds}s"
    mkdir -p "corpus/$t" "artifacts/$t"
    before=$(ls "artifacts/$t" | wc -l)
    log="$(cargo_target)/fuzz-$t.log"
    mkdir -p "$(dirname "$log")"
    status=0
    cargo +nightly fuzz run -O "$t" "corpus/$t" -- -max_total_time="$seconds" -print_final_stats=1 \
        >"$log" 2>&1 || status=$?
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    crashes=$(( $(ls "artifacts/$t" | wc -l) - before ))
    line="fuzz $t: ${runs:-?} executions in ${seconds}s, corpus $(ls "corpus/$t" | wc -l) files, $crashes crashes"
    if [ "$status" != 0 ] || [ "$crashes" != 0 ]; then
        failed=1
        line="$line (exit $status; see $log and core/fuzz/artifacts/$t/)"
        grep -m 5 -E "panicked|ERROR: libFuzzer|SUMMARY" "$log" >&2 || true
    fi
    echo "$line"
    summary+=("$line")
done
echo
printf '%s\n' "${summary[@]}"
exit "$failed"
