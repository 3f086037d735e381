//! The rule-based narrator on the hand-computed fixture: summaries and answers grounded in the
//! snapshot's numbers, in Turkish and English.
#![allow(clippy::unwrap_used)]

use chrono::{TimeZone, Utc};
use kargojet_core::insights::{
    Finding, FindingRules, Language, NarrationSource, Narrator, Period, RuleNarrator,
    ShipmentRecord, Snapshot, findings,
};
use kargojet_core::time::turkey_offset;

fn setup() -> (Snapshot, Vec<Finding>) {
    let records: Vec<ShipmentRecord> =
        serde_json::from_str(include_str!("fixtures/insights/march-2026.json")).unwrap();
    let at = |m, d| {
        turkey_offset()
            .with_ymd_and_hms(2026, m, d, 0, 0, 0)
            .unwrap()
            .with_timezone(&Utc)
    };
    let march = Period::new(at(3, 1), at(4, 1)).unwrap();
    let now = Snapshot::build(&records, march).unwrap();
    let before = Snapshot::build(&records, march.previous()).unwrap();
    let rules = FindingRules {
        min_shipments: 2,
        ..FindingRules::default()
    };
    let f = findings(&now, Some(&before), &rules);
    (now, f)
}

#[tokio::test]
async fn the_summary_states_the_snapshot_numbers_in_turkish() {
    let (s, f) = setup();
    let n = RuleNarrator.summary(&s, &f, Language::Tr).await;
    assert_eq!(n.source, NarrationSource::RuleBased);
    assert!(!n.is_fallback());
    let t = &n.text;
    for expected in [
        "Dönem 01.03.2026 – 31.03.2026",
        "12 gönderi (1 iptal), toplam 933,00 TL",
        "gönderi başına 77,75 TL, desi başına 23,62 TL",
        "Teslim başarısı %63,6, iade oranı %27,3, ortalama teslim süresi 1,8 gün",
        "Aras %41,7 (5), HepsiJET %33,3 (4), Sürat %25 (3)",
        "Kapıda ödeme payı %41,7 (5 gönderi, 2.950,00 TL; ortalama 590,00 TL)",
        "ölçülen 8 gönderiden 4 tanesinde (%50), ek ücret 78,50 TL",
        "1. Kapıda ödemeli gönderilerde iade oranı %60, peşin ödemelilerde %0",
        "2. Doğu Anadolu'ya HepsiJET %23,4 daha ucuz ve 1 gün daha hızlı",
        "3. Ege'de iade oranı %66,7",
    ] {
        assert!(t.contains(expected), "missing «{expected}» in:\n{t}");
    }
    // Only the three main findings.
    assert!(!t.contains("4. "), "{t}");
}

#[tokio::test]
async fn the_summary_in_english_uses_english_numbers() {
    let (s, f) = setup();
    let t = RuleNarrator.summary(&s, &f, Language::En).await.text;
    for expected in [
        "Period 01.03.2026 – 31.03.2026: 12 shipments (1 cancelled), TRY 933.00 in total",
        "Delivery rate 63.6%, return rate 27.3%, average transit 1.8 days",
        "HepsiJET is 23.4% cheaper and 1 day faster to Eastern Anatolia",
    ] {
        assert!(t.contains(expected), "missing «{expected}» in:\n{t}");
    }
}

#[tokio::test]
async fn which_carrier_which_region_which_risk() {
    let (s, f) = setup();
    let n = RuleNarrator
        .answer(
            &s,
            &f,
            "Hangi taşıyıcı, hangi bölge, hangi risk?",
            Language::Tr,
        )
        .await;
    let t = &n.text;
    for expected in [
        // Carriers.
        "Aras: 5 gönderi, gönderi başına 94,00 TL, desi başına 26,11 TL, teslim %75, iade %25, ortalama 2,2 gün, pay %41,7, desi farkı %75",
        "Desi başına en ucuz: HepsiJET; en hızlı: Sürat; teslim başarısı en yüksek: Aras.",
        // Regions and provinces.
        "Doğu Anadolu: 5 gönderi, gönderi başına 108,00 TL, desi başına 22,50 TL, teslim %80, iade %20, ortalama 2,3 gün",
        "En çok gönderilen iller: Ankara (3), İzmir (3), Van (3), Erzurum (2), İstanbul (1).",
        // Risks, by money at stake, with their numbers.
        "Riskler (risk altındaki tutara göre):",
        "1. Kapıda ödemeli gönderilerde iade oranı %60, peşin ödemelilerde %0 — kapıda ödemeli siparişleri göndermeden önce SMS veya arama ile teyit edin (risk altındaki tutar 283,80 TL)",
        "İade oranı Sürat'te iki katına çıktı",
    ] {
        assert!(t.contains(expected), "missing «{expected}» in:\n{t}");
    }
}

#[tokio::test]
async fn a_named_carrier_or_region_narrows_the_answer() {
    let (s, f) = setup();
    let t = RuleNarrator
        .answer(&s, &f, "Aras'ta desi durumu ne?", Language::Tr)
        .await
        .text;
    assert!(
        t.contains("Aras: 4 ölçümde 3 fark (%75), ek ücret 60,50 TL"),
        "{t}"
    );
    assert!(!t.contains("HepsiJET: "), "{t}");
    let t = RuleNarrator
        .answer(&s, &f, "Ege bölgesinde iade riski var mı?", Language::Tr)
        .await
        .text;
    assert!(t.contains("Ege: 3 gönderi"), "{t}");
    assert!(!t.contains("Doğu Anadolu: "), "{t}");
    assert!(t.contains("Ege'de iade oranı %66,7 (genel %27,3)"), "{t}");
    assert!(!t.contains("Kapıda ödemeli gönderilerde"), "{t}");
    // "arasında" ("between") is not Aras; "Güneydoğu" is not a question about days.
    let t = RuleNarrator
        .answer(
            &s,
            &f,
            "Güneydoğu Anadolu ile Ege arasında fark var mı?",
            Language::Tr,
        )
        .await
        .text;
    assert!(!t.contains("Aras: "), "{t}");
    assert!(!t.contains("ortalama 2,2 gün ("), "{t}");
}

#[tokio::test]
async fn speed_cost_and_cod_questions_in_english() {
    let (s, f) = setup();
    let t = RuleNarrator
        .answer(
            &s,
            &f,
            "Which carrier is fastest and what does it cost?",
            Language::En,
        )
        .await
        .text;
    for expected in [
        "Aras: average 2.2 days (3 deliveries; kisa 1 day, uzun 2.8 days)",
        "HepsiJET: average 1.6 days (3 deliveries; kisa 1.3 days, uzun 1.8 days)",
        "TRY 933.00 in total (12 shipments); TRY 77.75 per shipment, TRY 23.62 per desi.",
        "Per desi: HepsiJET TRY 20.37, Sürat TRY 23.50, Aras TRY 26.11.",
    ] {
        assert!(t.contains(expected), "missing «{expected}» in:\n{t}");
    }
    let t = RuleNarrator
        .answer(&s, &f, "kapıda ödeme tahsilatı ne durumda?", Language::Tr)
        .await
        .text;
    assert!(
        t.contains("tahsil edilen 1.500,00 TL, iade dönen 1.450,00 TL"),
        "{t}"
    );
}

#[tokio::test]
async fn an_unrecognized_question_gets_the_summary_and_a_hint() {
    let (s, f) = setup();
    let t = RuleNarrator
        .answer(&s, &f, "Merhaba!", Language::Tr)
        .await
        .text;
    assert!(t.starts_with("Dönem 01.03.2026"), "{t}");
    assert!(t.ends_with(
        "Şu konularda sorabilirsiniz: taşıyıcı, bölge, risk, desi, kapıda ödeme, maliyet, teslim süresi."
    ));
}
