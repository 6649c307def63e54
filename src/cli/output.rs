//! Writing a report: to stdout, or to `--output FILE` atomically (temporary
//! file, then rename) with mode 0600, never over an input.

use regaudit::error::Error;
use regaudit::report::OutputFormat;
use std::io::Write;
use std::path::{Path, PathBuf};

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

/// Where the reports of one scan go. `-o/--output` takes `FORMAT:PATH` (a
/// format name, a colon, a path: an extra report in that format, repeatable)
/// or a plain `PATH` (the `--format` report, which otherwise goes to stdout).
/// A path that itself starts with a format name and a colon is written
/// `./json:name`.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Outputs {
    /// The file for the `--format` report; stdout when `None`.
    pub main: Option<PathBuf>,
    /// Further reports, each in its format.
    pub extra: Vec<(OutputFormat, PathBuf)>,
}

impl Outputs {
    pub fn parse(values: &[PathBuf]) -> Result<Outputs, Error> {
        let mut outputs = Outputs::default();
        for value in values {
            let extra = value.to_str().and_then(|text| {
                let (name, path) = text.split_once(':')?;
                Some((OutputFormat::from_name(name)?, PathBuf::from(path)))
            });
            match extra {
                Some((format, path)) if path.as_os_str().is_empty() || path == Path::new("-") => {
                    return Err(Error::Usage(format!(
                        "--output {}: give a file after `{}:` (stdout carries the --format report)",
                        value.display(),
                        format.name()
                    )));
                }
                Some(extra) => outputs.extra.push(extra),
                None if outputs.main.is_some() => {
                    return Err(Error::Usage(format!(
                        "--output {}: only one --output without a FORMAT: prefix (the --format report); \
                         write others as FORMAT:PATH, e.g. --output sarif:report.sarif",
                        value.display()
                    )));
                }
                None => outputs.main = Some(value.clone()),
            }
        }
        let mut seen = std::collections::BTreeSet::new();
        for path in outputs
            .main
            .iter()
            .chain(outputs.extra.iter().map(|(_, p)| p))
        {
            let same = std::path::absolute(path).unwrap_or_else(|_| path.clone());
            if !seen.insert(same) {
                return Err(Error::Usage(format!(
                    "--output {}: named twice; each report needs a file of its own",
                    path.display()
                )));
            }
        }
        Ok(outputs)
    }
}
