//! Label benchmarks (placeholder while the renderer is written).
fn main() {}
