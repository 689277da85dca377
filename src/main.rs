//! Entry point: chooses the allocator and mounts the app, nothing else.

/// Talc instead of the default dlmalloc: a faster allocator and a smaller download.
#[cfg(all(not(target_feature = "atomics"), target_family = "wasm"))]
#[global_allocator]
static TALC: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

fn main() {
    kiosk::customer::start();
}
