//! Writes the TypeScript bindings (ts-rs) for every type the command list names, plus
//! `commands.ts`, the typed map the UI's client is checked against.

use std::path::Path;

use ts_rs::{Config, ExportError};

use crate::commands::{commands_ts, export_command_types, export_extra_types};

/// Why the bindings could not be written.
#[derive(Debug, thiserror::Error)]
pub enum BindingsError {
    #[error("ts-rs could not export a type: {0}")]
    Export(#[from] ExportError),
    #[error("could not write {path}: {source}")]
    Write {
        path: String,
        source: std::io::Error,
    },
}

/// Exports every binding into `dir` (created if missing). Existing files are overwritten; stale
/// ones are left for the caller to remove.
pub fn export_bindings(dir: &Path) -> Result<(), BindingsError> {
    let cfg = Config::new().with_out_dir(dir);
    export_command_types(&cfg)?;
    export_extra_types(&cfg)?;
    crate::admin::export_admin_types(&cfg)?;
    let path = dir.join("commands.ts");
    std::fs::write(&path, commands_ts()).map_err(|source| BindingsError::Write {
        path: path.display().to_string(),
        source,
    })
}
