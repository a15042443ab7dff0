//! The app's own command line, parsed before any window opens: `--data-dir DIR` (or
//! `--data-dir=DIR`), `--key-file`, `--sync-interval SECS`, `--rendering auto|gpu|cpu`, `--help`,
//! `--version`. Anything else is refused, except the
//! flags a test driver adds (`--automation`, WebKitWebDriver's) and whatever follows `--`.
//! No tauri types here, so the parser tests without a display.

use std::ffi::OsString;
use std::fmt;
use std::path::PathBuf;

use crate::rendering::{RenderingChoice, UnknownRendering};

/// What `--help` prints.
pub const USAGE: &str = "\
Usage: referral-desk [OPTIONS]

Books patients into other organisations' schedules over FHIR.

Options:
  --data-dir DIR   keep every file (worklist, log, keys, preferences) in DIR
                   instead of the user's profile; also REFDESK_DATA_DIR
  --key-file       keep the signing key in a 0600 file in the data directory
                   instead of the system keyring; also REFDESK_KEY_FILE=1
  --sync-interval SECS
                   sync with the organisations every SECS seconds instead of
                   every 5 minutes; also REFDESK_SYNC_INTERVAL_SECS
  --rendering auto|gpu|cpu
                   draw the window through the GPU or on the CPU; auto (the
                   default) draws on the CPU when no GPU can be used, which
                   takes less memory than software GL; also REFDESK_RENDERING
  --help           print this help and exit
  --version        print the version and exit
";

/// Flags a driver or launcher adds that the app itself does not use.
const TOLERATED: &[&str] = &["--automation"];

/// The options the app runs with.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Options {
    /// `--data-dir`; `None` when not given or given empty (the environment or the platform
    /// default then decides).
    pub data_dir: Option<PathBuf>,
    /// `--key-file`.
    pub key_file: bool,
    /// `--sync-interval`: seconds between background syncs (positive).
    pub sync_interval_secs: Option<u64>,
    /// `--rendering`; `None` when not given (the environment, then `auto`, decides).
    pub rendering: Option<RenderingChoice>,
}

/// What the command line asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Invocation {
    Run(Options),
    Help,
    Version,
}

/// Why the command line was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ArgsError {
    /// A flag that takes a value came last.
    MissingValue(&'static str),
    /// A flag that takes no value was given one (`--key-file=yes`).
    UnexpectedValue(&'static str),
    /// Not one of ours, nor one a driver adds.
    Unknown(String),
    /// A value that is not what the flag takes (`--sync-interval=soon`).
    BadValue(&'static str),
    /// `--rendering` with a value that is not one of its choices.
    BadRendering(UnknownRendering),
}

impl fmt::Display for ArgsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::MissingValue(flag) => write!(f, "{flag} needs a value"),
            Self::UnexpectedValue(flag) => write!(f, "{flag} takes no value"),
            Self::Unknown(arg) => write!(f, "unknown argument {arg}"),
            Self::BadValue(flag) => write!(f, "{flag} needs a positive whole number"),
            Self::BadRendering(err) => write!(f, "--rendering: {err}"),
        }?;
        f.write_str(" (referral-desk --help lists the options)")
    }
}

impl std::error::Error for ArgsError {}

/// Parses the arguments after the program name. `--help` and `--version` win as soon as they are
/// seen; for `--data-dir` the last one wins.
pub fn parse(args: impl IntoIterator<Item = OsString>) -> Result<Invocation, ArgsError> {
    let mut options = Options::default();
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        let text = arg.to_string_lossy();
        // `--flag=value`; a path that is not UTF-8 passes intact only in the `--flag value` form.
        let (flag, inline) = match text.split_once('=') {
            Some((flag, value)) if flag.starts_with("--") => (flag, Some(OsString::from(value))),
            _ => (text.as_ref(), None),
        };
        match flag {
            "--" => break,
            "--help" | "-h" => return Ok(Invocation::Help),
            "--version" | "-V" => return Ok(Invocation::Version),
            "--key-file" if inline.is_none() => options.key_file = true,
            "--key-file" => return Err(ArgsError::UnexpectedValue("--key-file")),
            "--data-dir" => {
                let value = match inline {
                    Some(value) => value,
                    None => args.next().ok_or(ArgsError::MissingValue("--data-dir"))?,
                };
                options.data_dir = (!value.is_empty()).then(|| PathBuf::from(value));
            }
            "--sync-interval" => {
                let value = match inline {
                    Some(value) => value,
                    None => args
                        .next()
                        .ok_or(ArgsError::MissingValue("--sync-interval"))?,
                };
                let secs = value.to_string_lossy().trim().parse::<u64>().ok();
                options.sync_interval_secs = Some(
                    secs.filter(|s| *s > 0)
                        .ok_or(ArgsError::BadValue("--sync-interval"))?,
                );
            }
            "--rendering" => {
                let value = match inline {
                    Some(value) => value,
                    None => args.next().ok_or(ArgsError::MissingValue("--rendering"))?,
                };
                let choice = value.to_string_lossy().parse::<RenderingChoice>();
                options.rendering = Some(choice.map_err(ArgsError::BadRendering)?);
            }
            flag if TOLERATED.contains(&flag) => {}
            _ => return Err(ArgsError::Unknown(text.into_owned())),
        }
    }
    Ok(Invocation::Run(options))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests")]
    use super::*;

    fn parse_strs(list: &[&str]) -> Result<Invocation, ArgsError> {
        parse(list.iter().map(OsString::from))
    }

    fn run(options: Options) -> Result<Invocation, ArgsError> {
        Ok(Invocation::Run(options))
    }

    fn data_dir(path: &str) -> Options {
        Options {
            data_dir: Some(PathBuf::from(path)),
            ..Options::default()
        }
    }

    #[test]
    fn sync_interval_takes_a_positive_number_of_seconds() {
        let every = |secs| Options {
            sync_interval_secs: Some(secs),
            ..Options::default()
        };
        assert_eq!(parse_strs(&["--sync-interval", "4"]), run(every(4)));
        assert_eq!(parse_strs(&["--sync-interval=60"]), run(every(60)));
        for bad in ["--sync-interval=0", "--sync-interval=soon"] {
            assert_eq!(
                parse_strs(&[bad]),
                Err(ArgsError::BadValue("--sync-interval"))
            );
        }
    }

    #[test]
    fn rendering_takes_one_of_its_choices() {
        let drawn = |choice| Options {
            rendering: Some(choice),
            ..Options::default()
        };
        assert_eq!(
            parse_strs(&["--rendering", "cpu"]),
            run(drawn(RenderingChoice::Cpu))
        );
        assert_eq!(
            parse_strs(&["--rendering=GPU"]),
            run(drawn(RenderingChoice::Gpu))
        );
        assert_eq!(
            parse_strs(&["--rendering=auto"]),
            run(drawn(RenderingChoice::Auto))
        );
        let err = parse_strs(&["--rendering=software"]).unwrap_err();
        assert_eq!(
            err,
            ArgsError::BadRendering(UnknownRendering("software".to_owned()))
        );
        let message = err.to_string();
        assert!(
            message.contains("software") && message.contains("auto, gpu, cpu"),
            "{message}"
        );
        assert_eq!(
            parse_strs(&["--rendering"]),
            Err(ArgsError::MissingValue("--rendering"))
        );
    }

    #[test]
    fn data_dir_takes_its_value_after_a_space_or_an_equals_sign() {
        assert_eq!(
            parse_strs(&["--data-dir", "/tmp/x"]),
            run(data_dir("/tmp/x"))
        );
        assert_eq!(parse_strs(&["--data-dir=/tmp/x"]), run(data_dir("/tmp/x")));
        assert_eq!(parse_strs(&["--data-dir=/a=b"]), run(data_dir("/a=b")));
        assert_eq!(
            parse_strs(&["--data-dir", "/first", "--data-dir=/last"]),
            run(data_dir("/last"))
        );
    }

    #[test]
    fn an_empty_data_dir_means_not_given_and_a_missing_one_is_refused() {
        assert_eq!(parse_strs(&["--data-dir="]), run(Options::default()));
        assert_eq!(parse_strs(&["--data-dir", ""]), run(Options::default()));
        assert_eq!(
            parse_strs(&["--data-dir"]),
            Err(ArgsError::MissingValue("--data-dir"))
        );
    }

    #[test]
    fn key_file_is_a_switch() {
        let both = Options {
            key_file: true,
            ..data_dir("/d")
        };
        assert_eq!(parse_strs(&["--key-file", "--data-dir", "/d"]), run(both));
        assert_eq!(
            parse_strs(&["--key-file=yes"]),
            Err(ArgsError::UnexpectedValue("--key-file"))
        );
    }

    #[test]
    fn help_and_version_win_over_everything_else() {
        assert_eq!(
            parse_strs(&["--data-dir", "/d", "--help"]),
            Ok(Invocation::Help)
        );
        assert_eq!(parse_strs(&["-h", "--bogus"]), Ok(Invocation::Help));
        assert_eq!(parse_strs(&["--version"]), Ok(Invocation::Version));
        assert_eq!(parse_strs(&["-V"]), Ok(Invocation::Version));
    }

    #[test]
    fn unknown_arguments_are_refused_with_their_name() {
        for bogus in ["--bogus", "--bogus=1", "-x", "stray", "--data_dir=/d"] {
            let err = parse_strs(&[bogus]).unwrap_err();
            assert_eq!(err, ArgsError::Unknown(bogus.to_owned()));
            let message = err.to_string();
            assert!(
                message.contains(bogus) && message.contains("--help"),
                "{message}"
            );
        }
    }

    #[test]
    fn driver_flags_and_everything_after_a_double_dash_are_tolerated() {
        assert_eq!(
            parse_strs(&["--automation", "--data-dir=/d", "--", "--bogus", "x"]),
            run(data_dir("/d"))
        );
        assert_eq!(parse_strs(&[]), run(Options::default()));
    }

    #[test]
    fn usage_names_every_option() {
        for flag in [
            "--data-dir DIR",
            "--key-file",
            "--sync-interval SECS",
            "--rendering auto|gpu|cpu",
            "--help",
            "--version",
        ] {
            assert!(USAGE.contains(flag), "usage misses {flag}");
        }
    }
}
