//! napi-rs link setup for the Node add-on.

fn main() {
    napi_build::setup();
}
