//! Where the fingerprint key comes from. In order: a key file named on the
//! command line or in the config (`--fingerprint-key-file`), the
//! `REGAUDIT_FINGERPRINT_KEY` environment variable (what CI passes as a
//! secret), else this user's key file (`$XDG_CONFIG_HOME/regaudit/fingerprint.key`
//! or `~/.config/regaudit/fingerprint.key`), created with 32 random bytes and
//! mode 0600 on first use. A team shares one key (the file, or the variable)
//! so fingerprints agree across machines; a new key makes every fingerprint new.

use crate::error::{Error, InputError};
use crate::finding::FingerprintKey;
use std::io::Write;
use std::path::{Path, PathBuf};

pub const KEY_ENV: &str = "REGAUDIT_FINGERPRINT_KEY";

/// Where the key came from, for the CLI to tell the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeySource {
    File(PathBuf),
    Environment,
    /// This user's key file; `created` when this run made it.
    UserFile {
        path: PathBuf,
        created: bool,
    },
}

pub struct LoadedKey {
    pub key: FingerprintKey,
    pub source: KeySource,
}

pub fn load_key(explicit: Option<&Path>) -> Result<LoadedKey, Error> {
    if let Some(path) = explicit {
        return Ok(LoadedKey {
            key: read_key_file(path)?,
            source: KeySource::File(path.to_path_buf()),
        });
    }
    if let Ok(secret) = std::env::var(KEY_ENV) {
        if secret.trim().is_empty() {
            return Err(Error::Usage(format!("{KEY_ENV} is set but empty")));
        }
        return Ok(LoadedKey {
            key: FingerprintKey::from_secret(secret.trim().as_bytes()),
            source: KeySource::Environment,
        });
    }
    let path = user_key_path().ok_or_else(|| {
        Error::Usage(format!(
            "no fingerprint key: set {KEY_ENV}, give --fingerprint-key-file, or set HOME"
        ))
    })?;
    let created = !path.exists();
    if created {
        create_key_file(&path)?;
    }
    Ok(LoadedKey {
        key: read_key_file(&path)?,
        source: KeySource::UserFile { path, created },
    })
}

fn user_key_path() -> Option<PathBuf> {
    let config = std::env::var_os("XDG_CONFIG_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".config")))?;
    Some(config.join("regaudit").join("fingerprint.key"))
}

fn read_key_file(path: &Path) -> Result<FingerprintKey, Error> {
    let bytes = std::fs::read(path).map_err(|e| InputError::io(path, &e))?;
    let secret = bytes.trim_ascii();
    if secret.is_empty() {
        return Err(InputError::new(path, "the fingerprint key file is empty").into());
    }
    Ok(FingerprintKey::from_secret(secret))
}

/// 32 random bytes as hex, written to a new 0600 file.
fn create_key_file(path: &Path) -> Result<(), Error> {
    let fail = |e: std::io::Error| Error::Output {
        path: path.to_path_buf(),
        message: format!("cannot create the fingerprint key: {e}"),
    };
    let mut random = [0u8; 32];
    getrandom::fill(&mut random).map_err(|e| fail(std::io::Error::other(e.to_string())))?;
    let hex: String = random.iter().map(|b| format!("{b:02x}")).collect();
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(fail)?;
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    match options.open(path) {
        Ok(mut file) => writeln!(file, "{hex}").map_err(fail),
        // Another run created it first: use that one.
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(fail(e)),
    }
}
