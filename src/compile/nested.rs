//! JSON sources in the engines. The local reader flattens nested objects to
//! dotted column names (`yhteystiedot.sahkoposti`, `ingest::json_source`);
//! DuckDB reads the same file with its nesting, so its plan names such a
//! column as field `sahkoposti` of struct `yhteystiedot`, and declares every
//! leaf as text so that numbers, booleans and arrays arrive as their JSON
//! text, as the local reader keeps them. Spark's runner reads it with the
//! schema written here (`spark_schema`) and flattens the structs itself
//! (`run_spark.py`).

use super::dialect::Engine;
use super::manifest::Source;

impl Source {
    /// Whether the engine sees this source's objects nested (JSON), so its
    /// dotted names are paths.
    pub fn nested(&self) -> bool {
        matches!(self.format.as_str(), "json" | "ndjson")
    }

    /// The tree of this source's dotted column names.
    pub fn fields(&self) -> Fields {
        Fields::of(self.columns.iter().map(|c| c.name.as_str()))
    }
}

/// Column `name` as the engine refers to it. In DuckDB a JSON source's
/// dotted name is a path into its structs (`nested`: the source's fields),
/// NULL where the name is itself an object, as `run_spark.py` has it.
/// Spark's runner flattens the structs into columns of the dotted names
/// (Sail fails on struct fields beside a lambda), so there, as for every
/// flat source, a name is one identifier.
pub fn column_ref(e: Engine, nested: Option<&Fields>, name: &str) -> String {
    match nested {
        Some(fields) if e == Engine::Duckdb => {
            if fields.is_object(name) {
                return "CAST(NULL AS VARCHAR)".into();
            }
            name.split('.')
                .map(|part| e.ident(part))
                .collect::<Vec<_>>()
                .join(".")
        }
        _ => e.ident(name),
    }
}

/// The fields of one JSON object as the plan declares them, in first-seen
/// order. A key that holds an object in some records and a value in others
/// is declared as the object (the local reader makes two columns of it).
#[derive(Debug, Default, PartialEq)]
pub struct Fields(Vec<(String, Option<Fields>)>);

impl Fields {
    /// The tree of the dotted column names of a JSON source.
    pub fn of<'a>(names: impl IntoIterator<Item = &'a str>) -> Fields {
        let mut root = Fields::default();
        for name in names {
            let parts: Vec<&str> = name.split('.').collect();
            let (leaf, path) = parts.split_last().expect("split yields one part");
            let mut node = &mut root;
            for part in path {
                let at = node.position_or_insert(part);
                node = node.0[at].1.get_or_insert_with(Fields::default);
            }
            node.position_or_insert(leaf);
        }
        root
    }

    /// Whether dotted `name` leads to an object (a struct) rather than a leaf.
    pub fn is_object(&self, name: &str) -> bool {
        let mut node = self;
        let mut parts = name.split('.').peekable();
        while let Some(part) = parts.next() {
            match node.0.iter().find(|(k, _)| k == part) {
                Some((_, Some(inner))) if parts.peek().is_some() => node = inner,
                Some((_, inner)) => return parts.peek().is_none() && inner.is_some(),
                None => return false,
            }
        }
        false
    }

    fn position_or_insert(&mut self, key: &str) -> usize {
        match self.0.iter().position(|(k, _)| k == key) {
            Some(at) => at,
            None => {
                self.0.push((key.to_string(), None));
                self.0.len() - 1
            }
        }
    }

    /// DuckDB's `read_json(columns = {...})`: each top-level key and its
    /// type, a leaf `VARCHAR`.
    pub fn duckdb_columns(&self) -> String {
        let e = Engine::Duckdb;
        let entries: Vec<String> = self
            .0
            .iter()
            .map(|(key, inner)| format!("{}: {}", e.lit(key), e.lit(&duckdb_type(inner))))
            .collect();
        format!("{{{}}}", entries.join(", "))
    }
}

impl Fields {
    /// Spark's DDL schema: each top-level key and its type, a leaf `string`
    /// (a number or boolean then arrives as its JSON text).
    pub fn spark_schema(&self) -> String {
        self.spark_fields(" ")
    }

    fn spark_fields(&self, separator: &str) -> String {
        let e = Engine::Spark;
        let fields: Vec<String> = self
            .0
            .iter()
            .map(|(key, inner)| {
                let ty = match inner {
                    None => "string".to_string(),
                    Some(inner) => format!("struct<{}>", inner.spark_fields(": ")),
                };
                format!("{}{separator}{ty}", e.ident(key))
            })
            .collect();
        fields.join(", ")
    }
}

fn duckdb_type(fields: &Option<Fields>) -> String {
    match fields {
        None => "VARCHAR".into(),
        Some(fields) => {
            let inner: Vec<String> = fields
                .0
                .iter()
                .map(|(key, inner)| format!("{} {}", Engine::Duckdb.ident(key), duckdb_type(inner)))
                .collect();
            format!("STRUCT({})", inner.join(", "))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dotted_names_become_one_tree_in_first_seen_order() {
        let fields = Fields::of(["id", "contact.email", "contact.phone", "a.b.c", "contact"]);
        assert_eq!(
            fields.duckdb_columns(),
            r#"{'id': 'VARCHAR', 'contact': 'STRUCT("email" VARCHAR, "phone" VARCHAR)', 'a': 'STRUCT("b" STRUCT("c" VARCHAR))'}"#
        );
    }

    #[test]
    fn the_spark_schema_nests_structs_of_strings() {
        let fields = Fields::of(["id", "contact.email", "a.b.c", "we`ird"]);
        assert_eq!(
            fields.spark_schema(),
            "`id` string, `contact` struct<`email`: string>, `a` struct<`b`: struct<`c`: string>>, `we``ird` string"
        );
    }

    #[test]
    fn a_name_that_holds_an_object_somewhere_is_an_object() {
        let fields = Fields::of(["a", "a.b", "a.c.d", "e"]);
        assert!(fields.is_object("a"));
        assert!(fields.is_object("a.c"));
        assert!(!fields.is_object("a.b"));
        assert!(!fields.is_object("a.c.d"));
        assert!(!fields.is_object("e"));
        assert!(!fields.is_object("x.y"));
    }

    #[test]
    fn quotes_in_keys_are_escaped_for_both_layers() {
        let fields = Fields::of(["it's.\"q\""]);
        assert_eq!(
            fields.duckdb_columns(),
            r#"{'it''s': 'STRUCT("""q""" VARCHAR)'}"#
        );
    }
}
