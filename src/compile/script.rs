//! The SQL script of a plan: the rows views (cells trimmed as the local
//! reader trims them), the findings table as the union of the rules'
//! queries, and per-rule counts. Statements end with a line holding only
//! `;`, so a runner can split the script without parsing SQL.

use super::dialect::Engine;
use super::exprs::cell;
use super::manifest::{Source, FINDINGS_SCHEMA, ROW_COUNT_RULE};
use super::nested::column_ref;

/// The engine key's derivation from the fingerprint secret, for the DuckDB CLI.
pub const KEY_LABEL: &str = "regaudit sql value key v1:";

pub fn assemble(
    engine: Engine,
    sources: &[Source],
    queries: &[(String, String)],
    findings_path: &str,
) -> String {
    let e = engine;
    let mut out;
    let mut statements: Vec<String> = Vec::new();
    let mut statement = |text: String| statements.push(text);
    match e {
        Engine::Duckdb => {
            out = format!(
                "-- regaudit {version}: findings for DuckDB. The engine key comes from the variable\n\
                 -- regaudit_key, never from this file; with the DuckDB CLI:\n\
                 --   duckdb -cmd \"SET VARIABLE regaudit_key = sha256('{KEY_LABEL}' || getenv('REGAUDIT_FINGERPRINT_KEY'))\" < plan.sql\n\
                 -- or run run_duckdb.py, which does the same from the environment.\n",
                version = env!("CARGO_PKG_VERSION")
            );
            statement("SET TimeZone = 'UTC'".into());
            statement(
                "SELECT CASE WHEN getvariable('regaudit_key') IS NULL OR getvariable('regaudit_key') = '' \
                 THEN error('regaudit: set the variable regaudit_key first (see the top of this script)') END AS key_check"
                    .into(),
            );
            statement(
                "CREATE OR REPLACE TEMP VIEW regaudit_key AS SELECT CAST(getvariable('regaudit_key') AS VARCHAR) AS k"
                    .into(),
            );
            for s in sources {
                statement(format!(
                    "CREATE OR REPLACE TEMP VIEW {} AS SELECT * FROM {}",
                    s.view,
                    duckdb_reader(s)
                ));
            }
        }
        Engine::Spark => {
            out = format!(
                "-- regaudit {}: findings for Spark SQL. run_spark.py creates the views\n\
                 -- regaudit_key and regaudit_source_N, then runs these statements in order.\n",
                env!("CARGO_PKG_VERSION")
            );
            statement("SET spark.sql.session.timeZone = UTC".into());
        }
    }
    for (n, s) in sources.iter().enumerate() {
        let nested = s.nested().then(|| s.fields());
        let column = |name: &str| cell(e, &column_ref(e, nested.as_ref(), name));
        let row = match e {
            // In read order: DuckDB keeps insertion order for a plain scan.
            Engine::Duckdb => "row_number() OVER ()",
            // Spark has no row order across partitions: findings name records.
            Engine::Spark => "CAST(NULL AS BIGINT)",
        };
        let key = match &s.key {
            Some(k) => column(k),
            None => format!("CAST(NULL AS {})", e.text_type()),
        };
        let mut cols = vec![format!("{row} AS __row"), format!("{key} AS __key")];
        // Which ban is named depends on a log's order, and which row gives a
        // record's marketing profile on the register's. Spark has no order
        // after a repartition: the runner numbers every source's rows as it
        // reads them (`monotonically_increasing_id`), before repartitioning.
        match e {
            Engine::Duckdb if s.log.is_some() => {
                cols.push("row_number() OVER () AS __order".into())
            }
            Engine::Duckdb => {}
            Engine::Spark => cols.push("__regaudit_order AS __order".into()),
        }
        for &i in &s.columns_read {
            cols.push(format!("{} AS c{i}", column(&s.columns[i].name)));
        }
        let kind = match e {
            Engine::Duckdb => "TEMP TABLE",
            Engine::Spark => "TEMP VIEW",
        };
        statement(format!(
            "CREATE OR REPLACE {kind} regaudit_rows_{n} AS SELECT {} FROM {}",
            cols.join(",\n  "),
            s.view
        ));
    }
    let empty: Vec<String> = FINDINGS_SCHEMA
        .iter()
        .map(|(name, _)| {
            let ty = if *name == "row" {
                "BIGINT"
            } else {
                e.text_type()
            };
            format!("CAST(NULL AS {ty}) AS {}", e.ident(name))
        })
        .collect();
    let mut union = vec![format!("SELECT {} WHERE 1 = 0", empty.join(", "))];
    union.extend(queries.iter().map(|(id, q)| format!("-- {id}\n{q}")));
    // Each source's row count, for the report's input table: a row of
    // pseudo-rule `__rows` (`readback` takes it out of the findings).
    union.extend(sources.iter().enumerate().map(|(n, s)| {
        let text = e.text_type();
        let null = format!("CAST(NULL AS {text})");
        let values = [
            // Not a bare literal: Sail 0.7.2 pushes `regaudit_counts`' filter
            // on a constant below this global count, which then still yields
            // its one row; a rule computed from the count stays above it.
            format!("CASE WHEN count(*) >= 0 THEN {} END", e.lit(ROW_COUNT_RULE)),
            "'info'".into(),
            e.lit(&s.register),
            e.lit(&s.file),
            "count(*)".into(),
            null.clone(),
            e.lit(&s.view),
            "''".into(),
            null.clone(),
            "''".into(),
            null,
            "''".into(),
        ];
        let named: Vec<String> = values
            .iter()
            .zip(FINDINGS_SCHEMA)
            .map(|(value, (name, _))| format!("{value} AS {}", e.ident(name)))
            .collect();
        format!(
            "-- rows read from {}\nSELECT {} FROM regaudit_rows_{n}",
            s.view,
            named.join(", ")
        )
    }));
    let table = match e {
        Engine::Duckdb => "TABLE",
        Engine::Spark => "TEMP VIEW",
    };
    statement(format!(
        "CREATE OR REPLACE {table} regaudit_findings AS\n{}",
        union.join("\nUNION ALL\n")
    ));
    statement(format!(
        "CREATE OR REPLACE {table} regaudit_counts AS SELECT rule, count(*) AS findings FROM regaudit_findings WHERE rule <> '{ROW_COUNT_RULE}' GROUP BY rule"
    ));
    if e == Engine::Duckdb {
        statement(format!(
            "COPY regaudit_findings TO {} (FORMAT parquet)",
            e.lit(findings_path)
        ));
    }
    for s in statements {
        out.push_str(&s);
        out.push_str("\n;\n");
    }
    out
}

/// DuckDB reads a local path with the options the local reader found; a
/// table name is used as it is.
fn duckdb_reader(s: &Source) -> String {
    let e = Engine::Duckdb;
    if !s.is_path {
        return s.table.clone();
    }
    match s.format.as_str() {
        "csv" => format!(
            "read_csv({}, header = true, all_varchar = true, delim = {}, quote = '\"', escape = '\"', auto_detect = false, columns = {{{}}})",
            e.lit(&s.table),
            e.lit(&s.delimiter.unwrap_or(',').to_string()),
            s.columns
                .iter()
                .map(|c| format!("{}: 'VARCHAR'", e.lit(&c.name)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        "parquet" => format!("read_parquet({})", e.lit(&s.table)),
        // Every leaf as text, named by path (`nested`).
        _ => format!(
            "read_json({}, format = {}, columns = {})",
            e.lit(&s.table),
            e.lit(if s.format == "ndjson" {
                "newline_delimited"
            } else {
                "array"
            }),
            s.fields().duckdb_columns()
        ),
    }
}
