//! Placeholder so the workspace loads while the parse benchmark is written.
fn main() {}
