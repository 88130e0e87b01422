//! Lists and tables read from files in bounded memory.
//!
//! A record or scenario read back is parsed into typed values, and most
//! take about as many bytes in memory as their text (a number of a summary,
//! a count). Two kinds did not: a list with no limit of its own (a sweep's
//! points, a record's coverage) and a TOML table of free values (a sweep's
//! `[sweep.grid]`), where two bytes of text (`1,`) become a 32-byte value
//! and a forged 63 MB record made `clout merge` peak at 7.04 GiB. Here each
//! is refused, in one line, as soon as it passes its limit, before more is
//! built.

use serde::Deserialize;
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use std::cell::Cell;
use std::fmt;
use std::marker::PhantomData;

/// A `Vec<T>` of at most `max` items, refused at its `max + 1`-th item as
/// it is read, with an error naming `what` (the field). Fields call it
/// through a function of their own for `#[serde(deserialize_with)]`.
pub fn at_most<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
    deserializer: D,
    max: usize,
    what: &'static str,
) -> Result<Vec<T>, D::Error> {
    struct Items<T> {
        max: usize,
        what: &'static str,
        item: PhantomData<T>,
    }
    impl<'de, T: Deserialize<'de>> Visitor<'de> for Items<T> {
        type Value = Vec<T>;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            write!(f, "a list of at most {} items", self.max)
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<T>, A::Error> {
            let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(self.max).min(4096));
            while let Some(item) = seq.next_element()? {
                if items.len() == self.max {
                    return Err(de::Error::custom(format!(
                        "{}: more than {} items, more than any clout record holds there",
                        self.what, self.max
                    )));
                }
                items.push(item);
            }
            Ok(items)
        }
    }
    deserializer.deserialize_seq(Items { max, what, item: PhantomData })
}

/// [`at_most`] of an optional list (a field that may be absent or `null`).
pub fn at_most_optional<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
    deserializer: D,
    max: usize,
    what: &'static str,
) -> Result<Option<Vec<T>>, D::Error> {
    struct Optional<T> {
        max: usize,
        what: &'static str,
        item: PhantomData<T>,
    }
    impl<'de, T: Deserialize<'de>> Visitor<'de> for Optional<T> {
        type Value = Option<Vec<T>>;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            write!(f, "null or a list of at most {} items", self.max)
        }
        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
            at_most(deserializer, self.max, self.what).map(Some)
        }
    }
    deserializer.deserialize_option(Optional { max, what, item: PhantomData })
}

/// The most values a [`bounded_table`] holds, counting those inside lists
/// and tables: ten times a sweep's 10,000 points, each a value or a small
/// table.
pub const MAX_TABLE_VALUES: usize = 100_000;

/// A TOML table of at most [`MAX_TABLE_VALUES`] values (nested ones
/// counted): what `toml::Table`'s own reading gives, refused as soon as it
/// passes the limit, with an error naming `what` (the field). Fields call
/// it through a function of their own for `#[serde(deserialize_with)]`.
pub fn bounded_table<'de, D: Deserializer<'de>>(
    deserializer: D,
    what: &'static str,
) -> Result<toml::Table, D::Error> {
    let left = Cell::new(MAX_TABLE_VALUES);
    match (ValueSeed { left: &left, what }).deserialize(deserializer)? {
        toml::Value::Table(table) => Ok(table),
        other => Err(de::Error::custom(format!("expected a table, found {}", other.type_str()))),
    }
}

/// Reads one TOML value, counting it and every value inside it against
/// `left`; `what` names the table in errors.
struct ValueSeed<'a> {
    left: &'a Cell<usize>,
    what: &'static str,
}

impl ValueSeed<'_> {
    /// Counts one value; an error past the limit.
    fn take<E: de::Error>(&self) -> Result<(), E> {
        match self.left.get().checked_sub(1) {
            Some(left) => {
                self.left.set(left);
                Ok(())
            }
            None => Err(E::custom(format!(
                "{}: more than {MAX_TABLE_VALUES} values, more than any scenario needs",
                self.what
            ))),
        }
    }
}

impl<'de> DeserializeSeed<'de> for ValueSeed<'_> {
    type Value = toml::Value;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<toml::Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

/// The key toml gives a datetime read as a map (`toml_datetime`'s private
/// field name).
const DATETIME_KEY: &str = "$__toml_private_datetime";

impl<'de> Visitor<'de> for ValueSeed<'_> {
    type Value = toml::Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any valid TOML value")
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<toml::Value, E> {
        self.take()?;
        Ok(toml::Value::Boolean(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<toml::Value, E> {
        self.take()?;
        Ok(toml::Value::Integer(v))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<toml::Value, E> {
        self.take()?;
        i64::try_from(v).map(toml::Value::Integer).map_err(|_| E::custom("u64 value was too large"))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<toml::Value, E> {
        self.take()?;
        Ok(toml::Value::Float(v))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<toml::Value, E> {
        self.take()?;
        Ok(toml::Value::String(v.to_string()))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<toml::Value, E> {
        self.take()?;
        Ok(toml::Value::String(v))
    }
    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<toml::Value, D::Error> {
        deserializer.deserialize_any(self)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<toml::Value, A::Error> {
        self.take()?;
        let mut items = Vec::new();
        while let Some(item) = seq.next_element_seed(ValueSeed { left: self.left, what: self.what })? {
            items.push(item);
        }
        Ok(toml::Value::Array(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<toml::Value, A::Error> {
        self.take()?;
        let mut table = toml::Table::new();
        while let Some(key) = map.next_key::<String>()? {
            if key == DATETIME_KEY && table.is_empty() {
                let text: String = map.next_value()?;
                return text.parse().map(toml::Value::Datetime).map_err(de::Error::custom);
            }
            if table.contains_key(&key) {
                return Err(de::Error::custom(format!("duplicate key: `{key}`")));
            }
            let value = map.next_value_seed(ValueSeed { left: self.left, what: self.what })?;
            table.insert(key, value);
        }
        Ok(toml::Value::Table(table))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Deserialize)]
    struct Sample {
        #[serde(deserialize_with = "list")]
        list: Vec<u32>,
        #[serde(default, deserialize_with = "maybe")]
        maybe: Option<Vec<u32>>,
        #[serde(deserialize_with = "table")]
        table: toml::Table,
    }

    fn list<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<u32>, D::Error> {
        at_most(d, 3, "list")
    }

    fn maybe<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Vec<u32>>, D::Error> {
        at_most_optional(d, 2, "maybe")
    }

    fn table<'de, D: Deserializer<'de>>(d: D) -> Result<toml::Table, D::Error> {
        bounded_table(d, "table")
    }

    #[test]
    fn lists_and_tables_within_their_limits_read_as_before() {
        let text = r#"{"list": [1, 2, 3], "maybe": [4], "table": {"a": [1, 2.5, "x", {"b": true}]}}"#;
        let s: Sample = serde_json::from_str(text).unwrap();
        assert_eq!((s.list, s.maybe), (vec![1, 2, 3], Some(vec![4])));
        let plain: toml::Table = serde_json::from_str(r#"{"a": [1, 2.5, "x", {"b": true}]}"#).unwrap();
        assert_eq!(s.table, plain);
        let s: Sample = serde_json::from_str(r#"{"list": [], "table": {}}"#).unwrap();
        assert_eq!(s.maybe, None);
        let s: Sample = serde_json::from_str(r#"{"list": [], "maybe": null, "table": {}}"#).unwrap();
        assert_eq!(s.maybe, None);
        // From TOML too, datetimes included.
        let toml_text = "list = [1]\n[table]\nwhen = 1979-05-27T07:32:00Z\nx = [1, [2, 3]]\n";
        let s: Sample = toml::from_str(toml_text).unwrap();
        let plain: toml::Table = toml::from_str("when = 1979-05-27T07:32:00Z\nx = [1, [2, 3]]\n").unwrap();
        assert_eq!(s.table, plain);
    }

    #[test]
    fn lists_and_tables_past_their_limits_are_refused_in_one_line() {
        let e = serde_json::from_str::<Sample>(r#"{"list": [1, 2, 3, 4], "table": {}}"#).unwrap_err();
        assert!(
            e.to_string().starts_with("list: more than 3 items, more than any clout record holds"),
            "{e}"
        );
        let e =
            serde_json::from_str::<Sample>(r#"{"list": [], "maybe": [1, 2, 3], "table": {}}"#).unwrap_err();
        assert!(e.to_string().starts_with("maybe: more than 2 items"), "{e}");
        let many =
            format!(r#"{{"list": [], "table": {{"a": [{}]}}}}"#, vec!["1"; MAX_TABLE_VALUES].join(","));
        let e = serde_json::from_str::<Sample>(&many).unwrap_err().to_string();
        assert!(e.starts_with("table: more than 100000 values"), "{e}");
        assert!(!e.contains('\n'));
        let e = serde_json::from_str::<Sample>(r#"{"list": [], "table": {"a": 1, "a": 2}}"#).unwrap_err();
        assert!(e.to_string().starts_with("duplicate key: `a`"), "{e}");
    }
}
