//! The opt-in key file store: one PKCS#8 PEM per key, mode 0600, refused when others can read it.

use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::{KeyStore, Secret, check_name};
use crate::error::AuthError;
use crate::key::SigningKey;

/// Keys as `<dir>/<name>.pem` files readable only by their owner. Use it only where no OS secret
/// store is reachable and the user has explicitly chosen it.
#[derive(Debug, Clone)]
pub struct FileKeyStore {
    dir: PathBuf,
}

impl FileKeyStore {
    /// A store in `dir` (created with mode 0700 on first save).
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        Self { dir: dir.into() }
    }

    /// The file a key name maps to.
    pub fn path_of(&self, name: &str) -> Result<PathBuf, AuthError> {
        check_name(name)?;
        Ok(self.dir.join(format!("{name}.pem")))
    }
}

fn io_error(path: &Path) -> impl FnOnce(std::io::Error) -> AuthError + '_ {
    move |source| AuthError::KeyFile {
        path: path.to_owned(),
        source: Arc::new(source),
    }
}

impl KeyStore for FileKeyStore {
    fn load(&self, name: &str) -> Result<SigningKey, AuthError> {
        let pem = self.read_private(name, &self.path_of(name)?)?;
        SigningKey::from_pkcs8_pem(&pem)
    }

    fn save(&self, name: &str, key: &SigningKey) -> Result<(), AuthError> {
        let path = self.path_of(name)?;
        self.write_private(&path, key.to_pkcs8_pem().expose().as_bytes())
    }

    fn delete(&self, name: &str) -> Result<(), AuthError> {
        let path = self.path_of(name)?;
        match fs::remove_file(&path) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            other => other.map_err(io_error(&path)),
        }
    }

    fn load_secret(&self, name: &str) -> Result<Secret, AuthError> {
        Secret::from_hex(&self.read_private(name, &self.secret_path(name)?)?)
    }

    fn save_secret(&self, name: &str, secret: &Secret) -> Result<(), AuthError> {
        let path = self.secret_path(name)?;
        self.write_private(&path, secret.to_hex().as_bytes())
    }
}

impl FileKeyStore {
    /// The file a secret name maps to (`<dir>/<name>.secret`).
    fn secret_path(&self, name: &str) -> Result<PathBuf, AuthError> {
        check_name(name)?;
        Ok(self.dir.join(format!("{name}.secret")))
    }

    /// The text of a private file; a missing file is [`AuthError::KeyNotFound`].
    fn read_private(&self, name: &str, path: &Path) -> Result<String, AuthError> {
        let file = match fs::File::open(path) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(AuthError::KeyNotFound {
                    name: name.to_owned(),
                });
            }
            other => other.map_err(io_error(path))?,
        };
        check_private(path, &file)?;
        std::io::read_to_string(file).map_err(io_error(path))
    }

    /// Writes a private file beside its target and renames it, so a crash never leaves a
    /// half-written key.
    fn write_private(&self, path: &Path, contents: &[u8]) -> Result<(), AuthError> {
        create_private_dir(&self.dir)?;
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("key");
        let tmp = self.dir.join(format!(".{name}.tmp"));
        let _ = fs::remove_file(&tmp);
        let mut file = create_private_file(&tmp).map_err(io_error(&tmp))?;
        file.write_all(contents).map_err(io_error(&tmp))?;
        file.sync_all().map_err(io_error(&tmp))?;
        fs::rename(&tmp, path).map_err(io_error(path))
    }
}

#[cfg(unix)]
fn create_private_file(path: &Path) -> std::io::Result<fs::File> {
    use std::os::unix::fs::OpenOptionsExt as _;
    fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
}

#[cfg(not(unix))]
fn create_private_file(path: &Path) -> std::io::Result<fs::File> {
    fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
}

#[cfg(unix)]
fn create_private_dir(dir: &Path) -> Result<(), AuthError> {
    use std::os::unix::fs::DirBuilderExt as _;
    if dir.is_dir() {
        return Ok(());
    }
    fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
        .map_err(io_error(dir))
}

#[cfg(not(unix))]
fn create_private_dir(dir: &Path) -> Result<(), AuthError> {
    fs::create_dir_all(dir).map_err(io_error(dir))
}

/// Refuses a key file that its group or other users can read or write: the key may already be
/// compromised, and silently using it would hide that.
#[cfg(unix)]
fn check_private(path: &Path, file: &fs::File) -> Result<(), AuthError> {
    use std::os::unix::fs::PermissionsExt as _;
    let mode = file
        .metadata()
        .map_err(io_error(path))?
        .permissions()
        .mode()
        & 0o777;
    if mode & 0o077 != 0 {
        return Err(AuthError::InsecureKeyFile {
            path: path.to_owned(),
            mode,
        });
    }
    Ok(())
}

#[cfg(not(unix))]
fn check_private(_path: &Path, _file: &fs::File) -> Result<(), AuthError> {
    Ok(())
}
