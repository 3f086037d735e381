//! Any bytes as a CSV shipment list: the import gives row results or a coded file error, never
//! a panic; every rejected row has a coded error, and the error report is written and read
//! back without a panic.
#![no_main]
use kargojet_core::bulk::{self, ImportOptions, SourceFormat};
use kargojet_core::shipment::{AddressDraft, PartyDraft};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(sender) = PartyDraft {
        name: "Moda Tekstil Ltd.".into(),
        phone: "02163456789".into(),
        email: None,
        address: AddressDraft {
            province: "İstanbul".into(),
            district: "Kadıköy".into(),
            line: "Moda Cad. No: 12".into(),
            postal_code: None,
        },
    }
    .validate("sender") else {
        return;
    };
    let options = ImportOptions {
        format: Some(SourceFormat::Csv),
        ..ImportOptions::new(sender)
    };
    match bulk::import(data, &options) {
        Ok(r) => {
            assert_eq!(r.total_rows(), r.accepted.len() + r.rejected.len());
            for x in &r.rejected {
                assert!(!x.errors.is_empty());
                assert!(
                    x.errors
                        .iter()
                        .all(|e| !e.code.as_str().is_empty() && e.row == x.row)
                );
            }
            if let Ok(report) = r.error_report_csv() {
                let _ = bulk::import(&report, &options);
            }
        }
        Err(e) => {
            assert!(
                e.code().as_str().starts_with("bulk.") || e.code().as_str().starts_with("request.")
            );
            let _ = (e.message_tr(), e.message_en());
        }
    }
});
