//! Entry point: only mounts the app.
fn main() {
    kiosk::start();
}
