//! The Tauri shell of Referral Desk: builder, plugins, the main window and command registration.
//! Logic lives in the crates below (`referral-core`, `referral-api`); this crate only wires.

pub mod args;
mod commands;
mod data_dir;
mod logging;
pub mod rendering;
mod state;
mod sync_loop;

use std::sync::atomic::{AtomicBool, Ordering};

use tauri::{App, AppHandle, Manager, RunEvent, WebviewWindowBuilder};

use crate::data_dir::DataDir;

/// Builds and runs the app with `options` (see [`args::parse`]) until its last window closes,
/// then shuts the core down.
pub fn run(options: args::Options) -> Result<(), tauri::Error> {
    let data_dir = data_dir::choose(options.data_dir, std::env::var_os(data_dir::DATA_DIR_ENV))
        .map(DataDir::new);
    let key_file = options.key_file;
    let sync_every = sync_loop::interval(options.sync_interval_secs);
    let rendering_env = std::env::var(rendering::RENDERING_ENV).ok();
    let (rendering_choice, rendering_env_error) =
        rendering::choice(options.rendering, rendering_env.as_deref());
    let mut window_state = tauri_plugin_window_state::Builder::new();
    if let Some(dir) = &data_dir {
        // The plugin joins this to its config dir; an absolute path replaces that dir.
        window_state = window_state.with_filename(dir.window_state().to_string_lossy());
    }
    tauri::Builder::default()
        .plugin(logging::plugin(data_dir.as_ref()))
        .plugin(tauri_plugin_store::Builder::new().build())
        .plugin(tauri_plugin_notification::init())
        .plugin(window_state.build())
        .setup(move |app| {
            if let Some(err) = &rendering_env_error {
                log::warn!(
                    "{}: {err}; choosing automatically",
                    rendering::RENDERING_ENV
                );
            }
            let rendering = rendering::resolve(rendering_choice, || {
                rendering::render_node_usable(std::path::Path::new(rendering::DRI_DIR))
            });
            setup(app, data_dir.clone(), key_file, sync_every, rendering)
        })
        .invoke_handler(commands::handler())
        .build(tauri::generate_context!())?
        .run(on_event);
    Ok(())
}

/// SIGTERM (logout, `kill`, a test driver) and SIGINT (Ctrl-C) ask the app to exit the way
/// closing its last window does, so the core's shutdown runs instead of the process dying.
async fn exit_on_signal(handle: AppHandle) {
    use tokio::signal::unix::{SignalKind, signal};
    let (Ok(mut term), Ok(mut int)) = (
        signal(SignalKind::terminate()),
        signal(SignalKind::interrupt()),
    ) else {
        log::warn!("could not listen for SIGTERM/SIGINT; they will end the app without shutdown");
        return;
    };
    tokio::select! {
        _ = term.recv() => {}
        _ = int.recv() => {}
    }
    log::info!("exit requested by signal");
    handle.exit(0);
}

/// Set when the core's shutdown starts, so a second exit request does not run it again.
static SHUTDOWN_STARTED: AtomicBool = AtomicBool::new(false);
/// Set once the core's shutdown has run, so the exit it requests goes through.
static SHUTDOWN_DONE: AtomicBool = AtomicBool::new(false);

/// On the first exit request (last window closed, or `exit`), holds the exit back while the
/// core releases this session's holds and stops the sandbox (bounded), then exits.
fn on_event(handle: &AppHandle, event: RunEvent) {
    let RunEvent::ExitRequested { api, code, .. } = event else {
        return;
    };
    if SHUTDOWN_DONE.load(Ordering::SeqCst) {
        return;
    }
    let Some(core) = handle.try_state::<referral_core::App>() else {
        return;
    };
    api.prevent_exit();
    if SHUTDOWN_STARTED.swap(true, Ordering::SeqCst) {
        return;
    }
    let core = core.inner().clone();
    let handle = handle.clone();
    tauri::async_runtime::spawn(async move {
        state::shut_down(core).await;
        SHUTDOWN_DONE.store(true, Ordering::SeqCst);
        handle.exit(code.unwrap_or(0));
    });
}

/// Switches the window's webview to WebKit's non-composited mode (pages drawn on the CPU); see
/// [`rendering`]. Called from `setup` on the main thread, the closure runs at once, while the web
/// process is still starting; WebKit leaves compositing mode for the page (measured: the web
/// process idles about 80 MB smaller, docs/benchmarks.md).
#[cfg(target_os = "linux")]
fn draw_on_cpu(window: &tauri::WebviewWindow) -> tauri::Result<()> {
    use webkit2gtk::{HardwareAccelerationPolicy, SettingsExt, WebViewExt};
    window.with_webview(|webview| {
        if let Some(settings) = webview.inner().settings() {
            settings.set_hardware_acceleration_policy(HardwareAccelerationPolicy::Never);
        }
    })
}

/// Other platforms draw the way their webview decides.
#[cfg(not(target_os = "linux"))]
fn draw_on_cpu(_window: &tauri::WebviewWindow) -> tauri::Result<()> {
    Ok(())
}

/// Resolves the data directory, opens the main window, and builds the core's `App` state.
fn setup(
    app: &mut App,
    given: Option<DataDir>,
    key_file: bool,
    sync_every: std::time::Duration,
    rendering: rendering::Rendering,
) -> Result<(), Box<dyn std::error::Error>> {
    let dir = match given {
        Some(dir) => dir,
        None => DataDir::new(app.path().app_data_dir()?),
    };
    std::fs::create_dir_all(dir.root())?;
    log::info!("data directory: {}", dir.root().display());
    // The window first: WebKit starts its processes and loads the page while the core opens
    // its database. No command reaches the core before this function returns (the event loop
    // has not run yet), and by then the core is managed.
    let config = app
        .config()
        .app
        .windows
        .iter()
        .find(|window| window.label == "main")
        .ok_or("tauri.conf.json declares no \"main\" window")?
        .clone();
    let mut window =
        WebviewWindowBuilder::from_config(app.handle(), &config)?.data_directory(dir.webview());
    match dir.preferences_script() {
        Some(script) => window = window.initialization_script(script),
        None => log::warn!(
            "the data directory's path is not UTF-8: the theme preference is kept in the \
             platform's app data directory instead"
        ),
    }
    let window = window.build()?;
    log::info!("rendering: {}", rendering.as_str());
    if rendering == rendering::Rendering::Cpu {
        draw_on_cpu(&window)?;
    }
    let core = state::build(&dir, key_file)?;
    app.manage(core.clone());
    let ui_ready = sync_loop::ui_ready(app.handle());
    tauri::async_runtime::spawn(sync_loop::run(
        app.handle().clone(),
        core,
        sync_every,
        ui_ready,
    ));
    tauri::async_runtime::spawn(exit_on_signal(app.handle().clone()));
    app.manage(dir);
    Ok(())
}
