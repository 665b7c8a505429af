//! Benchmarks only; see `ratios.rs` (what `make bench` runs), `core.rs` (criterion) and
//! docs/benchmarks.md. Run with `cargo bench -p iamauth-benches`. What the harnesses share:

/// The 720-character STS-shaped session token every session-token case signs with, `/ + =`
/// included (benches/counts/src/main.rs builds the same one).
pub fn session_token() -> String {
    let mut t = String::from("IQoJb3JpZ2luX2VjEXAMPLE//////////wEaCXVzLWVhc3QtMSJHMEUCIQD+");
    while t.len() < 720 {
        t.push_str("Zm9vYmFy/+=EXAMPLE");
    }
    t
}
