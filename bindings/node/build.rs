//! Platform link settings for a Node addon (`-undefined dynamic_lookup` on macOS, and so on).

fn main() {
    napi_build::setup();
}
