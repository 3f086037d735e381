//! Hot-path parsing: the 2,281-byte, 10-event SOAP tracking answer of
//! `../shared/anchors/soap_parse_lxml.py`, read with `body_of` + `XmlCursor` into a result with
//! every timestamp parsed (the yardstick's `lxml_to_dataclasses` stage does the same).

use chrono::{DateTime, FixedOffset};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use kargojet_carrier_common::SoapError;
use kargojet_carrier_common::dates;
use kargojet_carrier_common::soap::{BodyStart, body_of, open_body};
use kargojet_carrier_common::xml::{Element, XmlCursor};
use std::hint::black_box;

const EVENTS: [(&str, &str, &str, &str, &str); 10] = [
    (
        "2024-03-04T09:12:00",
        "Esenyurt Şube",
        "İstanbul",
        "100",
        "Kargo kabul edildi",
    ),
    (
        "2024-03-04T18:40:00",
        "Hadımköy TM",
        "İstanbul",
        "200",
        "TM'ye ulaştı",
    ),
    (
        "2024-03-04T23:05:00",
        "Hadımköy TM",
        "İstanbul",
        "210",
        "TM'den çıktı",
    ),
    (
        "2024-03-05T06:30:00",
        "Gölbaşı TM",
        "Ankara",
        "200",
        "TM'ye ulaştı",
    ),
    (
        "2024-03-05T08:15:00",
        "Gölbaşı TM",
        "Ankara",
        "210",
        "TM'den çıktı",
    ),
    (
        "2024-03-05T14:50:00",
        "Kırşehir Şube",
        "Kırşehir",
        "300",
        "Varış şubesine ulaştı",
    ),
    (
        "2024-03-06T08:05:00",
        "Kırşehir Şube",
        "Kırşehir",
        "400",
        "Dağıtıma çıkarıldı",
    ),
    (
        "2024-03-06T12:20:00",
        "Kırşehir Şube",
        "Kırşehir",
        "450",
        "Alıcı adreste bulunamadı",
    ),
    (
        "2024-03-07T08:10:00",
        "Kırşehir Şube",
        "Kırşehir",
        "400",
        "Dağıtıma çıkarıldı",
    ),
    (
        "2024-03-07T11:47:00",
        "Kırşehir Şube",
        "Kırşehir",
        "500",
        "Teslim edildi - Gülşen Öztürk",
    ),
];

fn document() -> String {
    let ev: String = EVENTS
        .iter()
        .map(|(d, b, c, code, txt)| {
            format!("<t:Hareket><t:Tarih>{d}</t:Tarih><t:Birim>{b}</t:Birim><t:Il>{c}</t:Il><t:Durum>{code}</t:Durum><t:Aciklama>{txt}</t:Aciklama></t:Hareket>")
        })
        .collect();
    format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?><s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Header/><s:Body>\
<t:KargoTakipResponse xmlns:t=\"http://kargo.example/takip\"><t:KargoTakipResult><t:Sonuc>0</t:Sonuc><t:Mesaj>Başarılı</t:Mesaj>\
<t:TakipNo>7300123456789</t:TakipNo><t:Desi>3.5</t:Desi><t:AliciIl>Kırşehir</t:AliciIl><t:Hareketler>{ev}</t:Hareketler>\
</t:KargoTakipResult></t:KargoTakipResponse></s:Body></s:Envelope>"
    )
}

#[derive(Debug, Default)]
struct Event {
    at: Option<DateTime<FixedOffset>>,
    branch: String,
    city: String,
    code: String,
    text: String,
}

#[derive(Debug, Default)]
struct Tracking {
    number: String,
    desi: String,
    city: String,
    events: Vec<Event>,
}

fn parse(raw: &str) -> Result<Tracking, SoapError> {
    let BodyStart::Payload {
        element,
        mut cursor,
    } = open_body(raw)?
    else {
        return Err(SoapError::Missing("payload".into()));
    };
    let mut out = Tracking {
        events: Vec::with_capacity(10),
        ..Tracking::default()
    };
    let result = cursor
        .next_child(&element)?
        .ok_or(SoapError::Missing("KargoTakipResult".into()))?;
    parse_result(&mut cursor, &result, &mut out)?;
    cursor.finish()?;
    Ok(out)
}

fn parse_result<'a>(
    cur: &mut XmlCursor<'a>,
    result: &Element<'a>,
    out: &mut Tracking,
) -> Result<(), SoapError> {
    while let Some(field) = cur.next_child(result)? {
        match field.local_name() {
            "TakipNo" => out.number = cur.text(&field)?.into_owned(),
            "Desi" => out.desi = cur.text(&field)?.into_owned(),
            "AliciIl" => out.city = cur.text(&field)?.into_owned(),
            "Hareketler" => {
                while let Some(h) = cur.next_child(&field)? {
                    let mut ev = Event::default();
                    while let Some(f) = cur.next_child(&h)? {
                        match f.local_name() {
                            "Tarih" => ev.at = dates::iso(&cur.text(&f)?),
                            "Birim" => ev.branch = cur.text(&f)?.into_owned(),
                            "Il" => ev.city = cur.text(&f)?.into_owned(),
                            "Durum" => ev.code = cur.text(&f)?.into_owned(),
                            "Aciklama" => ev.text = cur.text(&f)?.into_owned(),
                            _ => cur.skip(&f)?,
                        }
                    }
                    out.events.push(ev);
                }
            }
            _ => cur.skip(&field)?,
        }
    }
    Ok(())
}

fn bench(c: &mut Criterion) {
    let doc = document();
    let parsed = parse(&doc).expect("the document parses");
    assert_eq!(parsed.events.len(), 10);
    assert!(parsed.events.iter().all(|e| e.at.is_some()
        && !e.branch.is_empty()
        && !e.city.is_empty()
        && !e.code.is_empty()
        && !e.text.is_empty()));
    assert_eq!(
        (
            parsed.number.as_str(),
            parsed.desi.as_str(),
            parsed.city.as_str()
        ),
        ("7300123456789", "3.5", "Kırşehir")
    );
    let mut g = c.benchmark_group("soap_tracking_2kb");
    g.throughput(Throughput::Elements(1));
    g.bench_function("body_of", |b| {
        b.iter(|| body_of(black_box(&doc)).map(|_| ()))
    });
    g.bench_function("cursor_to_struct_with_dates", |b| {
        b.iter(|| parse(black_box(&doc)).map(|t| t.events.len()))
    });
    g.bench_function("quick_xml_events_only", |b| {
        b.iter(|| {
            let mut r = quick_xml::reader::Reader::from_str(black_box(&doc));
            let mut n = 0usize;
            loop {
                match r.read_event() {
                    Ok(quick_xml::events::Event::Eof) | Err(_) => break,
                    Ok(_) => n += 1,
                }
            }
            n
        })
    });
    g.bench_function("cursor_walk_only", |b| {
        b.iter(|| {
            let mut c = XmlCursor::new(black_box(&doc));
            let mut n = 0usize;
            while let Ok(Some(_)) = c.next_element() {
                n += 1;
            }
            n
        })
    });
    g.bench_function("ten_iso_dates", |b| {
        b.iter(|| {
            EVENTS
                .iter()
                .filter(|e| dates::iso(black_box(e.0)).is_some())
                .count()
        })
    });
    g.finish();
    println!("document bytes: {}", doc.len());
}

criterion_group!(benches, bench);
criterion_main!(benches);
