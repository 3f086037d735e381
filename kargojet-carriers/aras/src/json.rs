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
    // Nested values are skipped; scalars are text, booleans `1`/`0`.
    r.record_memo(keys, "1", "0", |key, v| {
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
        if let Some(col) = column {
            *c.column_mut(col) = v.map(Val);
        }
        Ok(())
    })
}

/// The records of `Cargo` (an object, an array of objects or `null`), each read by `each`.
fn cargo<'a>(r: &mut JsonReader<'a>, each: &mut impl FnMut(&mut JsonReader<'a>) -> R<()>) -> R<()> {
    match r.peek() {
        Some(b'{') => each(r),
        Some(b'[') => r.array(|r| each(r)),
        Some(b'n') => r.null(),
        _ => r.error("Cargo must be an object, an array or null"),
    }
}

/// The `{"QueryResult":{"Cargo":…}}` wrapper, with `each` reading every record.
fn document<'a>(
    text: &'a str,
    mut each: impl FnMut(&mut JsonReader<'a>) -> R<()>,
) -> Result<(), String> {
    let mut r = JsonReader::new(text);
    let read = r.object(|r, key| {
        if key != "QueryResult" {
            return r.skip();
        }
        match r.peek() {
            Some(b'n') => r.null(),
            Some(b'{') => r.object(|r, key| {
                if key == "Cargo" {
                    cargo(r, &mut each)
                } else {
                    r.skip()
                }
            }),
            _ => r.error("QueryResult must be an object or null"),
        }
    });
    read.and_then(|()| r.end()).map_err(|e| e.to_string())
}

/// Parses a `GetQueryJSONResult` text into its cargo records (empty for `QueryResult: null`).
pub fn parse(text: &str) -> Result<Vec<QueryCargo<'_>>, String> {
    let mut out = Vec::new();
    let mut memo = Memo::new();
    document(text, |r| {
        if out.capacity() == 0 {
            // One status record per entry: room for a typical history up front.
            out.reserve(16);
        }
        out.push(QueryCargo::default());
        match out.last_mut() {
            Some(c) => record(r, c, &mut memo),
            None => Ok(()),
        }
    })?;
    Ok(out)
}

/// Why [`for_each_record`] stopped.
#[derive(Debug)]
pub enum Stopped<E> {
    /// The text is not the expected JSON.
    Json(String),
    /// `f` failed on a record.
    Caller(E),
}

/// Reads a `GetQueryJSONResult` text and hands each cargo record to `f` as soon as it is read
/// (into one record buffer, reused: no list of records is built). The whole text is always
/// read, so a malformed text is `Json` even when `f` failed on an earlier record — the same
/// answer as [`parse`] first, then `f` on each record.
pub fn for_each_record<'t, E>(
    text: &'t str,
    mut f: impl FnMut(&QueryCargo<'t>) -> Result<(), E>,
) -> Result<(), Stopped<E>> {
    let mut failed = None;
    let mut memo = Memo::new();
    let mut rec = QueryCargo::default();
    document(text, |r| {
        rec = QueryCargo::default();
        record(r, &mut rec, &mut memo)?;
        if failed.is_none() {
            if let Err(e) = f(&rec) {
                failed = Some(e);
            }
        }
        Ok(())
    })
    .map_err(Stopped::Json)?;
    match failed {
        Some(e) => Err(Stopped::Caller(e)),
        None => Ok(()),
    }
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
    fn streaming_gives_the_records_parse_gives_and_json_errors_win() {
        let doc = r#"{"QueryResult":{"Cargo":[{"DURUM_KODU":"1","DURUMU":"A"},{"DURUMU":"B","DURUM_KODU":2},{"X":[1],"DURUM_KODU":"3"}]}}"#;
        let all = parse(doc).unwrap_or_default();
        let mut seen = Vec::new();
        let streamed = for_each_record(doc, |c| {
            seen.push(c.clone().status_code.map(|v| v.as_str().to_string()));
            Ok::<(), ()>(())
        });
        assert!(streamed.is_ok());
        let want: Vec<_> = all
            .iter()
            .map(|c| c.status_code.as_ref().map(|v| v.as_str().to_string()))
            .collect();
        assert_eq!(seen, want);
        assert_eq!(seen.len(), 3);
        // The caller's error stops the calls; a later syntax error still wins.
        let mut calls = 0;
        let r = for_each_record(doc, |_| {
            calls += 1;
            Err::<(), &str>("no")
        });
        assert!(matches!(r, Err(Stopped::Caller("no"))));
        assert_eq!(calls, 1);
        let broken = doc.replace(r#""3"}"#, r#""3""#);
        let r = for_each_record(&broken, |_| Err::<(), &str>("no"));
        assert!(matches!(r, Err(Stopped::Json(_))));
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
