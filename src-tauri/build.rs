//! Build script: lets tauri-build read tauri.conf.json and capabilities/ and embed the ACL.
fn main() {
    tauri_build::build();
}
