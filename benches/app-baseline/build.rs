//! Build script of the empty baseline app: tauri-build reads tauri.conf.json.
fn main() {
    tauri_build::build();
}
