//! `regaudit init [DIR]`: writes a commented regaudit.toml and notice.toml for
//! a new register. Also the one place draft files are written (discover
//! --write uses it): all or none, 0600, atomically, never over an existing
//! file unless --force.

use super::output::write_report;
use super::Outcome;
use clap::Args;
use regaudit::discover::{scaffold_config, scaffold_notice};
use regaudit::error::Error;
use std::path::{Path, PathBuf};

#[derive(Debug, Args)]
pub struct InitArgs {
    /// Folder to write regaudit.toml and notice.toml to (created if missing).
    #[arg(value_name = "DIR", default_value = ".")]
    dir: PathBuf,
    /// The register's export(s), written into the config (default: a
    /// placeholder `export.csv` in DIR).
    #[arg(long, num_args = 1..)]
    data: Vec<PathBuf>,
    /// Overwrite regaudit.toml and notice.toml if they exist.
    #[arg(long)]
    force: bool,
}

pub fn run(args: InitArgs) -> Result<Outcome, Error> {
    prepare_dir(&args.dir)?;
    let mut data = Vec::new();
    for file in &args.data {
        if !file.is_file() {
            return Err(Error::Input(regaudit::error::InputError::new(
                file,
                "file not found",
            )));
        }
        data.push(path_in_config(&args.dir, file)?);
    }
    let files = [
        ("regaudit.toml", scaffold_config(&data)),
        ("notice.toml", scaffold_notice()),
    ];
    write_new_files(&args.dir, &files, args.force)?;
    eprintln!(
        "wrote {0}/regaudit.toml and {0}/notice.toml; fill in the TODOs, then `regaudit scan {0}`",
        args.dir.display()
    );
    Ok(Outcome::Clean)
}

pub(super) fn prepare_dir(dir: &Path) -> Result<(), Error> {
    std::fs::create_dir_all(dir).map_err(|e| Error::Output {
        path: dir.to_path_buf(),
        message: e.to_string(),
    })
}

/// How the config in `dir` names `file`: relative when it is inside `dir`,
/// else its absolute path.
pub(super) fn path_in_config(dir: &Path, file: &Path) -> Result<String, Error> {
    let io =
        |path: &Path, e: std::io::Error| Error::Input(regaudit::error::InputError::io(path, &e));
    let dir = dir.canonicalize().map_err(|e| io(dir, e))?;
    let file = file.canonicalize().map_err(|e| io(file, e))?;
    let shown = file.strip_prefix(&dir).unwrap_or(&file);
    Ok(shown.to_string_lossy().into_owned())
}

/// Writes every file or none: an existing one stops the run unless `force`.
pub(super) fn write_new_files(
    dir: &Path,
    files: &[(&str, String)],
    force: bool,
) -> Result<(), Error> {
    if !force {
        if let Some((name, _)) = files.iter().find(|(name, _)| dir.join(name).exists()) {
            return Err(Error::Output {
                path: dir.join(name),
                message: "already exists; refusing to overwrite it (use --force)".into(),
            });
        }
    }
    for (name, text) in files {
        write_report(Some(&dir.join(name)), &[], |out| {
            out.write_all(text.as_bytes())
        })?;
    }
    Ok(())
}
