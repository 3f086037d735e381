//! Bulk import from files: the golden CSV with every kind of broken row, the same rows in other
//! encodings and delimiters and as an XLSX workbook (same result), header matching and saved
//! mappings, file-level errors, and error reports that import again once fixed.
//!
//! `KARGOJET_UPDATE_GOLDEN=1 cargo test -p kargojet-core --test bulk_import` rewrites
//! `tests/fixtures/bulk/orders.expected.json` after a deliberate change; review its diff.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod bulk_support;

use bulk_support::*;
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

#[test]
fn the_csv_error_report_imports_again_and_fixed_it_is_accepted() {
    let original = import(&fixture("orders.csv"));
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
