//! Times as microseconds since the epoch when events, bans and profiles are
//! stored for the marketing join (chrono's own serde support would rebuild
//! polars, and its text form is slower to write and read).

use chrono::{DateTime, NaiveDateTime};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

fn to_micros(at: &NaiveDateTime) -> i64 {
    at.and_utc().timestamp_micros()
}

fn from_micros<E: serde::de::Error>(micros: i64) -> Result<NaiveDateTime, E> {
    DateTime::from_timestamp_micros(micros)
        .map(|t| t.naive_utc())
        .ok_or_else(|| E::custom("time out of range"))
}

pub fn serialize<S: Serializer>(at: &NaiveDateTime, s: S) -> Result<S::Ok, S::Error> {
    to_micros(at).serialize(s)
}

pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveDateTime, D::Error> {
    from_micros(i64::deserialize(d)?)
}

pub mod optional {
    use super::*;

    pub fn serialize<S: Serializer>(at: &Option<NaiveDateTime>, s: S) -> Result<S::Ok, S::Error> {
        at.as_ref().map(to_micros).serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<NaiveDateTime>, D::Error> {
        Option::<i64>::deserialize(d)?.map(from_micros).transpose()
    }
}
