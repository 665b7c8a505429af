//! Benchmarks only; see `core.rs` and docs/benchmarks.md. Run with `cargo bench -p iamauth-benches`.
