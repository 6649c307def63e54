//! Where a database password comes from, in order: the URL,
//! `REGAUDIT_DB_PASSWORD`, the driver's own variable (`PGPASSWORD`,
//! `MYSQL_PWD`), then a `.pgpass`-style file (`REGAUDIT_DB_PASSFILE`,
//! `PGPASSFILE`, or `~/.pgpass`: `host:port:database:user:password` lines,
//! `*` matching anything). The password is only ever handed to the driver;
//! `scrub` removes it from any message that might echo it.

use super::{DatabaseKind, DatabaseSource};

/// The parts of a server URL a person may see, and the password.
pub(super) struct Login {
    scheme: &'static str,
    pub user: Option<String>,
    pub host: String,
    pub port: Option<u16>,
    pub database: Option<String>,
    pub url_password: Option<String>,
}

impl Login {
    pub fn parse(source: &DatabaseSource) -> Result<Login, String> {
        match source.kind {
            DatabaseKind::Postgres => {
                let config: ::postgres::Config = source.url.parse().map_err(|_| {
                    "cannot parse the PostgreSQL URL: expected postgres://user@host:port/database"
                        .to_string()
                })?;
                let host = config
                    .get_hosts()
                    .first()
                    .map(|h| match h {
                        ::postgres::config::Host::Tcp(name) => name.clone(),
                        #[cfg(unix)]
                        ::postgres::config::Host::Unix(path) => path.display().to_string(),
                    })
                    .unwrap_or_else(|| "localhost".to_string());
                Ok(Login {
                    scheme: "postgres",
                    user: config.get_user().map(str::to_string),
                    host,
                    port: config.get_ports().first().copied(),
                    database: config.get_dbname().map(str::to_string),
                    url_password: config
                        .get_password()
                        .map(|p| String::from_utf8_lossy(p).into_owned()),
                })
            }
            DatabaseKind::Mysql => {
                let opts = ::mysql::Opts::from_url(&source.url).map_err(|_| {
                    "cannot parse the MySQL URL: expected mysql://user@host:port/database"
                        .to_string()
                })?;
                Ok(Login {
                    scheme: "mysql",
                    user: opts.get_user().map(str::to_string),
                    host: opts.get_ip_or_hostname().to_string(),
                    port: Some(opts.get_tcp_port()),
                    database: opts.get_db_name().map(str::to_string),
                    url_password: opts.get_pass().map(str::to_string),
                })
            }
            DatabaseKind::Sqlite => Err("SQLite has no login".into()),
        }
    }

    /// `postgres://user@host:port/database`, never the password.
    pub fn redacted(&self) -> String {
        let user = self
            .user
            .as_ref()
            .map(|u| format!("{u}@"))
            .unwrap_or_default();
        let port = self.port.map(|p| format!(":{p}")).unwrap_or_default();
        let database = self.database.as_deref().unwrap_or("");
        format!("{}://{user}{}{port}/{database}", self.scheme, self.host)
    }

    /// The password to log in with, from the first place that has one.
    pub fn password(&self, kind: DatabaseKind) -> Option<String> {
        let driver_variable = match kind {
            DatabaseKind::Postgres => "PGPASSWORD",
            DatabaseKind::Mysql => "MYSQL_PWD",
            DatabaseKind::Sqlite => return None,
        };
        self.url_password
            .clone()
            .or_else(|| non_empty_var("REGAUDIT_DB_PASSWORD"))
            .or_else(|| non_empty_var(driver_variable))
            .or_else(|| self.passfile_password(kind))
    }

    fn passfile_password(&self, kind: DatabaseKind) -> Option<String> {
        let path = non_empty_var("REGAUDIT_DB_PASSFILE")
            .or_else(|| non_empty_var("PGPASSFILE"))
            .map(std::path::PathBuf::from)
            .or_else(|| {
                std::env::var_os("HOME").map(|h| std::path::Path::new(&h).join(".pgpass"))
            })?;
        let text = std::fs::read_to_string(path).ok()?;
        let default_port = match kind {
            DatabaseKind::Mysql => 3306,
            _ => 5432,
        };
        let port = self.port.unwrap_or(default_port).to_string();
        let wanted = [
            self.host.as_str(),
            port.as_str(),
            self.database.as_deref().unwrap_or(""),
            self.user.as_deref().unwrap_or(""),
        ];
        text.lines()
            .filter(|l| !l.trim_start().starts_with('#') && !l.trim().is_empty())
            .map(passfile_fields)
            .find(|fields| {
                fields.len() == 5
                    && fields[..4]
                        .iter()
                        .zip(wanted)
                        .all(|(field, want)| field == "*" || field == want)
            })
            .map(|mut fields| fields.remove(4))
    }
}

/// A passfile line's five fields; `\:` and `\\` are a literal `:` and `\`.
fn passfile_fields(line: &str) -> Vec<String> {
    let mut fields = vec![String::new()];
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                if let (Some(next), Some(field)) = (chars.next(), fields.last_mut()) {
                    field.push(next);
                }
            }
            ':' if fields.len() < 5 => fields.push(String::new()),
            c => {
                if let Some(field) = fields.last_mut() {
                    field.push(c);
                }
            }
        }
    }
    fields
}

fn non_empty_var(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}

/// `message` with every password this source could log in with replaced by
/// `***`: a driver may echo what it was given.
pub(super) fn scrub(message: &str, source: &DatabaseSource) -> String {
    let mut out = message.replace(&source.url, &source.display_name());
    let Ok(login) = Login::parse(source) else {
        return out;
    };
    for secret in [login.url_password.clone(), login.password(source.kind)]
        .into_iter()
        .flatten()
        .filter(|s| !s.is_empty())
    {
        out = out.replace(&secret, "***");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passfile_fields_unescape() {
        assert_eq!(
            passfile_fields(r"db.local:5432:*:me:pa\:ss"),
            ["db.local", "5432", "*", "me", "pa:ss"]
        );
    }
}
