//! Entry point of the customer's ticket page (`/t/#<case>.<secret>`): a build of its own, so
//! that none of its code reaches the complaint page's download.

/// Talc instead of the default dlmalloc, as in the customer's build.
#[cfg(all(not(target_feature = "atomics"), target_family = "wasm"))]
#[global_allocator]
static TALC: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

fn main() {
    kiosk::ticket::start();
}
