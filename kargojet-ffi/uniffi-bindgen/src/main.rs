//! uniffi's bindgen, built from the same uniffi version as `kargojet-ffi`, so the generated
//! Kotlin and Swift always match the library's scaffolding.

fn main() {
    uniffi::uniffi_bindgen_main()
}
