//! `GetQueryJSONResult` (the tracking hot path) read with common's JSON pull reader
//! ([`kargojet_carrier_common::json_pull`]): the `{"QueryResult":{"Cargo":{…}|[…]|null}}`
//! wrapper around flat records of strings and numbers. Strings without escapes are borrowed
//! from the input. Other keys and nested values are skipped (and still checked). Any malformed
//! input is an `Err`; it never panics.

use crate::wire::{QueryCargo, Val};
use kargojet_carrier_common::json_pull::{JsonError, JsonReader, KeyMemo};

type R<T> = Result<T, JsonError>;

/// What the previous records told about each key position: the keys themselves (compared in
/// place by the reader) and the column each one names.
struct Memo<'a> {
    keys: KeyMemo<'a>,
    columns: Vec<Option<usize>>,
}

impl Memo<'_> {
    fn new() -> Self {
        Memo {
            keys: KeyMemo::new(),
            columns: Vec::with_capacity(32),
        }
    }
}

fn record<'a>(r: &mut JsonReader<'a>, c: &mut QueryCargo<'a>, memo: &mut Memo<'a>) -> R<()> {
    let Memo { keys, columns } = memo;
    r.object_memo(keys, |r, key| {
        let column = match columns.get(key.position) {
            // The same key as last time at this position: the same column.
            Some(&col) if key.same => col,
            _ => {
                let col = QueryCargo::column(key.name).map(|(col, _)| col);
                if columns.len() <= key.position {
                    columns.resize(key.position + 1, None);
                }
                columns[key.position] = col;
                col
            }
        };
        match r.peek() {
            Some(b'{' | b'[') => r.skip(),
            _ => {
                let v = r.scalar_text("1", "0")?;
                if let Some(col) = column {
                    *c.column_mut(col) = v.map(Val);
                }
                Ok(())
            }
        }
    })
}

/// Reads a record straight into a new last element of `out`.
fn push_record<'a>(
    r: &mut JsonReader<'a>,
    out: &mut Vec<QueryCargo<'a>>,
    memo: &mut Memo<'a>,
) -> R<()> {
    out.push(QueryCargo::default());
    match out.last_mut() {
        Some(c) => record(r, c, memo),
        None => Ok(()),
    }
}

fn cargo<'a>(r: &mut JsonReader<'a>, out: &mut Vec<QueryCargo<'a>>) -> R<()> {
    let mut memo = Memo::new();
    match r.peek() {
        Some(b'{') => push_record(r, out, &mut memo),
        Some(b'[') => {
            // One status record per entry: room for a typical history up front.
            out.reserve(16);
            r.array(|r| push_record(r, out, &mut memo))
        }
        Some(b'n') => r.null(),
        _ => r.error("Cargo must be an object, an array or null"),
    }
}

/// Parses a `GetQueryJSONResult` text into its cargo records (empty for `QueryResult: null`).
pub fn parse(text: &str) -> Result<Vec<QueryCargo<'_>>, String> {
    let mut r = JsonReader::new(text);
    let mut out = Vec::new();
    let read = r.object(|r, key| {
        if key != "QueryResult" {
            return r.skip();
        }
        match r.peek() {
            Some(b'n') => r.null(),
            Some(b'{') => r.object(|r, key| {
                if key == "Cargo" {
                    cargo(r, &mut out)
                } else {
                    r.skip()
                }
            }),
            _ => r.error("QueryResult must be an object or null"),
        }
    });
    read.and_then(|()| r.end()).map_err(|e| e.to_string())?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &Option<Val<'_>>) -> Option<String> {
        v.as_ref().map(|v| v.as_str().to_string())
    }

    #[test]
    fn wrapper_forms_spellings_and_escapes() -> Result<(), String> {
        let one = parse(
            r#"{"QueryResult":{"Cargo":{"KARGO TAKİP NO":3513773163316,"DURUM_KODU":"2","X":{"a":[1,2]}}}}"#,
        )?;
        assert_eq!(one.len(), 1);
        assert_eq!(s(&one[0].tracking_number).as_deref(), Some("3513773163316"));
        assert_eq!(s(&one[0].status_code).as_deref(), Some("2"));
        let many = parse(
            r#" { "QueryResult" : { "Cargo" : [ {"DURUMU":"TESL\u0130M \"ED\u0130LD\u0130\""}, {"DURUM_KODU":null} ] } } "#,
        )?;
        assert_eq!(many.len(), 2);
        assert_eq!(
            s(&many[0].status_text).as_deref(),
            Some("TESLİM \"EDİLDİ\"")
        );
        assert_eq!(many[1].status_code, None);
        assert!(parse(r#"{"QueryResult":null}"#)?.is_empty());
        assert!(parse(r#"{"QueryResult":{"Cargo":null}}"#)?.is_empty());
        assert_eq!(
            s(&parse(r#"{"QueryResult":{"Cargo":{"DURUMU":"\ud83d\ude00"}}}"#)?[0].status_text)
                .as_deref(),
            Some("😀")
        );
        Ok(())
    }

    #[test]
    fn malformed_json_is_an_error() {
        for bad in [
            "",
            "{",
            "{\"QueryResult\":",
            "{\"QueryResult\":{\"Cargo\":[{]}}",
            "{\"QueryResult\":{}} x",
            "[1]",
            "{\"QueryResult\":{\"Cargo\":{\"A\":\"\\x\"}}}",
            "{\"QueryResult\":{\"Cargo\":{\"A\":\"\\ud800\"}}}",
            "{\"QueryResult\":{\"Cargo\":{\"A\":\"abc}}}",
            "{\"QueryResult\":{\"Cargo\":{\"A\":-}}}",
            "{\"QueryResult\":{\"Cargo\":{\"A\":tru}}}",
            "{\"QueryResult\":{\"Cargo\":\"x\"}}",
            "{\"QueryResult\":{\"Cargo\":{\"A\":\"\u{1}\"}}}",
        ] {
            assert!(parse(bad).is_err(), "{bad:?} parsed");
        }
        let deep = format!(
            "{{\"QueryResult\":{{\"Z\":{}1{}}}}}",
            "[".repeat(200),
            "]".repeat(200)
        );
        assert!(parse(&deep).is_err());
    }
}
