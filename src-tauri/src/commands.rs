//! The commands the webview may invoke, generated from the one command list
//! (`referral_api::for_each_command!`, crates/referral-api/src/command_list.rs): one
//! `#[tauri::command]` adapter per entry, forwarding its one request struct (invoke key
//! `request`) to the `referral_api::handlers` function of the same name, and [`handler`], the
//! `generate_handler!` list of exactly those adapters. An entry whose handler is missing, or
//! whose handler takes or returns other types, fails to compile here. build.rs grants the same
//! list in capabilities/default.json.

use referral_api::ApiError;
use referral_api::admin::*;
use referral_api::appointment::*;
use referral_api::booking::*;
use referral_api::codes::*;
use referral_api::find::*;
use referral_api::handlers;
use referral_api::keys::*;
use referral_api::organisation::*;
use referral_api::patient::*;
use referral_api::queue::*;
use referral_api::referral::*;
use referral_api::resume::*;
use referral_api::settings::*;
use referral_api::status::*;
use referral_api::sync::*;
use referral_core::App;
use tauri::State;
use tauri::ipc::{Channel, Invoke, IpcResponse};

/// Forwards each progress message to the webview's channel. A failed send means the webview went
/// away; the command still finishes and is recorded.
fn forward<T: IpcResponse + Send + Sync>(channel: Channel<T>) -> impl Fn(T) + Send + Sync {
    move |message| drop(channel.send(message))
}

/// The callback generating one adapter per list entry; a `[progress: T]` entry also takes the
/// channel `onProgress` and streams `T` over it as results arrive.
macro_rules! adapters {
    ($($name:ident : $req:ident => $res:ident $([progress: $progress:ident])?),* $(,)?) => {
        $(
            #[tauri::command]
            async fn $name(
                app: State<'_, App>,
                request: $req,
                $(on_progress: Channel<$progress>,)?
            ) -> Result<$res, ApiError> {
                handlers::$name(&app, request $(, forward::<$progress>(on_progress))?).await
            }
        )*
    };
}

referral_api::for_each_command!(adapters);

/// The invoke handler registering exactly the listed commands.
pub fn handler() -> impl Fn(Invoke) -> bool + Send + Sync + 'static {
    macro_rules! handler_list {
        ($($name:ident : $req:ident => $res:ident $([progress: $progress:ident])?),* $(,)?) => {
            tauri::generate_handler![$($name),*]
        };
    }
    referral_api::for_each_command!(handler_list)
}
