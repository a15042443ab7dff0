//! How the window's webview draws: through the GPU (WebKit's default) or on the CPU.
//!
//! On a machine without a GPU the app can use (virtual desktops without GPU passthrough, thin
//! clients, Xvfb), WebKitGTK's default GPU path still runs, through Mesa's software GL
//! (llvmpipe). Measured here that costs the web process about 80 MB more, and more CPU time, than
//! drawing on the CPU (docs/benchmarks.md, "desktop app"). So by default the app draws on the
//! CPU when it finds no GPU render node it may open, and leaves WebKit's default alone otherwise.
//! `--rendering` or `REFDESK_RENDERING` (`auto`, `gpu`, `cpu`) overrides the choice.
//! No tauri types here, so the choice tests without a display.

use std::fmt;
use std::fs::OpenOptions;
use std::path::Path;
use std::str::FromStr;

/// The environment variable an administrator can set instead of `--rendering`.
pub const RENDERING_ENV: &str = "REFDESK_RENDERING";

/// Where Linux puts GPU device nodes (`renderD128`, ...).
pub const DRI_DIR: &str = "/dev/dri";

/// What was asked for: `auto` (the default) picks by the machine.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum RenderingChoice {
    #[default]
    Auto,
    Gpu,
    Cpu,
}

/// A value that is not one of the choices.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownRendering(pub String);

impl fmt::Display for UnknownRendering {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "\"{}\" is not one of auto, gpu, cpu", self.0)
    }
}

impl std::error::Error for UnknownRendering {}

impl FromStr for RenderingChoice {
    type Err = UnknownRendering;

    fn from_str(value: &str) -> Result<Self, Self::Err> {
        match value.trim().to_ascii_lowercase().as_str() {
            "auto" | "" => Ok(Self::Auto),
            "gpu" => Ok(Self::Gpu),
            "cpu" => Ok(Self::Cpu),
            _ => Err(UnknownRendering(value.to_owned())),
        }
    }
}

/// How the webview will draw.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rendering {
    /// WebKit's default: composited through GL (the GPU, or software GL without one).
    Gpu,
    /// WebKit's non-composited mode: pages drawn on the CPU.
    Cpu,
}

impl Rendering {
    /// How the log names it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Gpu => "gpu",
            Self::Cpu => "cpu",
        }
    }
}

/// The command line's choice wins over the environment's; a bad environment value counts as
/// `auto` and comes back as the error to log (the command line's was refused before any window).
pub fn choice(
    from_args: Option<RenderingChoice>,
    from_env: Option<&str>,
) -> (RenderingChoice, Option<UnknownRendering>) {
    if let Some(choice) = from_args {
        return (choice, None);
    }
    match from_env.map(str::parse::<RenderingChoice>) {
        None => (RenderingChoice::Auto, None),
        Some(Ok(choice)) => (choice, None),
        Some(Err(err)) => (RenderingChoice::Auto, Some(err)),
    }
}

/// Resolves `auto`: the GPU when `gpu_usable` says there is one, the CPU otherwise. The probe
/// only runs for `auto`.
pub fn resolve(choice: RenderingChoice, gpu_usable: impl FnOnce() -> bool) -> Rendering {
    match choice {
        RenderingChoice::Gpu => Rendering::Gpu,
        RenderingChoice::Cpu => Rendering::Cpu,
        RenderingChoice::Auto if gpu_usable() => Rendering::Gpu,
        RenderingChoice::Auto => Rendering::Cpu,
    }
}

/// Whether `dri` holds a GPU render node (`renderD*`) this user may open for reading and
/// writing, which is what Mesa needs to draw on a GPU; without one it falls back to software GL.
pub fn render_node_usable(dri: &Path) -> bool {
    let Ok(entries) = std::fs::read_dir(dri) else {
        return false;
    };
    entries
        .flatten()
        .filter(|entry| entry.file_name().to_string_lossy().starts_with("renderD"))
        .any(|entry| {
            OpenOptions::new()
                .read(true)
                .write(true)
                .open(entry.path())
                .is_ok()
        })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests")]
    use super::*;

    #[test]
    fn choices_parse_in_any_case_and_anything_else_is_refused_by_name() {
        assert_eq!("auto".parse(), Ok(RenderingChoice::Auto));
        assert_eq!(" GPU ".parse(), Ok(RenderingChoice::Gpu));
        assert_eq!("Cpu".parse(), Ok(RenderingChoice::Cpu));
        assert_eq!("".parse(), Ok(RenderingChoice::Auto));
        let err = "software".parse::<RenderingChoice>().unwrap_err();
        assert_eq!(err, UnknownRendering("software".to_owned()));
        assert!(err.to_string().contains("software") && err.to_string().contains("cpu"));
    }

    #[test]
    fn the_command_line_wins_and_a_bad_environment_value_means_auto_with_an_error() {
        assert_eq!(
            choice(Some(RenderingChoice::Gpu), Some("cpu")),
            (RenderingChoice::Gpu, None)
        );
        assert_eq!(choice(None, Some("cpu")), (RenderingChoice::Cpu, None));
        assert_eq!(choice(None, None), (RenderingChoice::Auto, None));
        let (picked, err) = choice(None, Some("fast"));
        assert_eq!(picked, RenderingChoice::Auto);
        assert_eq!(err, Some(UnknownRendering("fast".to_owned())));
    }

    #[test]
    fn auto_follows_the_probe_and_an_explicit_choice_never_probes() {
        assert_eq!(resolve(RenderingChoice::Auto, || true), Rendering::Gpu);
        assert_eq!(resolve(RenderingChoice::Auto, || false), Rendering::Cpu);
        let never = || panic!("probed although the choice was explicit");
        assert_eq!(resolve(RenderingChoice::Gpu, never), Rendering::Gpu);
        assert_eq!(resolve(RenderingChoice::Cpu, never), Rendering::Cpu);
    }

    #[test]
    fn a_render_node_counts_only_when_it_exists_and_opens() {
        let dir = std::env::temp_dir().join(format!("refdesk-dri-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        assert!(!render_node_usable(&dir), "an empty directory has no GPU");
        assert!(!render_node_usable(&dir.join("missing")));
        // A card node (display only) is not a render node.
        std::fs::write(dir.join("card0"), b"").unwrap();
        assert!(!render_node_usable(&dir));
        std::fs::write(dir.join("renderD128"), b"").unwrap();
        assert!(render_node_usable(&dir));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
