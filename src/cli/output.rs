//! Writing a report: to stdout, or to `--output FILE` atomically (temporary
//! file, then rename) with mode 0600, never over an input.

use regaudit::error::Error;
use std::io::Write;
use std::path::Path;

pub fn write_report(
    output: Option<&Path>,
    inputs: &[&Path],
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<(), Error> {
    let Some(path) = output else {
        let stdout = std::io::stdout();
        let mut lock = stdout.lock();
        return match write(&mut lock).and_then(|_| lock.flush()) {
            Ok(()) => Ok(()),
            // A closed pipe (`regaudit scan … | head`) is not an error.
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
            Err(e) => Err(Error::Output {
                path: "<stdout>".into(),
                message: e.to_string(),
            }),
        };
    };
    let fail = |message: String| Error::Output {
        path: path.to_path_buf(),
        message,
    };
    if let Ok(target) = path.canonicalize() {
        if inputs
            .iter()
            .any(|i| i.canonicalize().is_ok_and(|i| i == target))
        {
            return Err(fail("refusing to overwrite an input file".into()));
        }
    }
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let mut tmp = tempfile::NamedTempFile::new_in(dir).map_err(|e| fail(e.to_string()))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(tmp.path(), std::fs::Permissions::from_mode(0o600))
            .map_err(|e| fail(e.to_string()))?;
    }
    {
        let mut buffered = std::io::BufWriter::new(tmp.as_file_mut());
        write(&mut buffered).map_err(|e| fail(e.to_string()))?;
        buffered.flush().map_err(|e| fail(e.to_string()))?;
    }
    tmp.persist(path).map_err(|e| fail(e.error.to_string()))?;
    Ok(())
}
