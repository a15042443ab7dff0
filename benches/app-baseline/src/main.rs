//! An empty Tauri 2 app (one window, a static page, no plugins, no commands): the memory
//! baseline for the Referral Desk benchmark.
fn main() {
    if let Err(err) = tauri::Builder::default().run(tauri::generate_context!()) {
        eprintln!("app-baseline: {err}");
        std::process::exit(1);
    }
}
