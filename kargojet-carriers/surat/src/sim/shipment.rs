//! One simulated Sürat shipment: its scripted life (advanced by the clock), Sürat's own
//! tracking number once accepted, the measurement, and the tracking JSON it shows.

use crate::wire::{Gonderi, Movement, TrackedShipment};
use chrono::{DateTime, Utc};
use kargojet_carrier_common::sim::Timeline;
use kargojet_core::time::turkey_offset;
use rust_decimal::Decimal;
use std::time::Duration;

/// How a simulated shipment's life goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Scenario {
    /// Accepted, moved, delivered.
    #[default]
    Delivered,
    /// A failed delivery, then back to the sender.
    ReturnedToSender,
    /// Never accepted by a branch (stays "kabul bekleniyor").
    NeverAccepted,
}

/// A step of a shipment's life, as Sürat reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stage {
    /// `KargonunDurumuSayi`.
    pub code: u32,
    /// `KargonunDurumu`.
    pub status_text: &'static str,
    /// `KargoHareketKargonunDurumuSayi` of the movement.
    pub movement_code: &'static str,
    /// `Islem` of the movement.
    pub movement_text: &'static str,
    /// The step is a delivery to the recipient (or back to the sender).
    pub terminal: bool,
    /// `DevirSebebi` set from this step on.
    pub devir: Option<&'static str>,
    /// `IadeDurum` is `Evet` from this step on.
    pub iade: bool,
}

const fn stage(
    code: u32,
    status_text: &'static str,
    movement_code: &'static str,
    movement_text: &'static str,
) -> Stage {
    Stage {
        code,
        status_text,
        movement_code,
        movement_text,
        terminal: false,
        devir: None,
        iade: false,
    }
}

const ACCEPTED: Stage = stage(1, "Evrak Oluşturuldu", "1", "Evrak Oluşturuldu");
const LOADED: Stage = stage(2, "Transfer Aşamasında", "1", "Kargo Araca Yüklendi");
const ARRIVED: Stage = stage(3, "Transfer Aşamasında", "4", "Araç Varış Yaptı");
const AT_BRANCH: Stage = stage(4, "Teslimat Şubesinde", "4", "Teslimat Şubesine Ulaştı");
const OUT: Stage = stage(5, "Dağıtıma Çıkarıldı", "5", "Dağıtıma Çıkarıldı");
const DELIVERED: Stage = Stage {
    terminal: true,
    ..stage(6, "Teslim Edildi", "6", "Teslim Edildi")
};
const FAILED: Stage = Stage {
    devir: Some("Alıcı adreste bulunamadı"),
    ..stage(
        5,
        "Teslim Edilemedi",
        "5",
        "Teslim Edilemedi - Alıcı adreste bulunamadı",
    )
};
const RETURNING: Stage = Stage {
    devir: Some("Alıcı adreste bulunamadı"),
    iade: true,
    ..stage(9, "İade Sürecinde", "9", "İade Sürecinde")
};
const RETURNED: Stage = Stage {
    terminal: true,
    devir: Some("Alıcı adreste bulunamadı"),
    iade: true,
    ..stage(12, "İade Teslim Edildi", "12", "İade Teslim Edildi")
};

const fn hours(h: u64) -> Duration {
    Duration::from_secs(h * 3600)
}

/// When the branch accepts a new shipment (after this, `GonderiGeriCek` is refused).
pub const ACCEPTANCE_AFTER: Duration = hours(2);

/// The script of a scenario.
pub fn timeline(scenario: Scenario) -> Timeline<Stage> {
    let common = [
        (ACCEPTANCE_AFTER, ACCEPTED),
        (hours(4), LOADED),
        (hours(12), ARRIVED),
        (hours(20), AT_BRANCH),
        (hours(24), OUT),
    ];
    let steps = match scenario {
        Scenario::NeverAccepted => Vec::new(),
        Scenario::Delivered => common.into_iter().chain([(hours(28), DELIVERED)]).collect(),
        Scenario::ReturnedToSender => common
            .into_iter()
            .chain([
                (hours(28), FAILED),
                (hours(30), RETURNING),
                (hours(60), RETURNED),
            ])
            .collect(),
    };
    Timeline::new(steps)
}

/// A shipment held by the simulator.
#[derive(Debug, Clone)]
pub struct SimShipment {
    /// The cari it belongs to.
    pub cari: String,
    /// What was sent.
    pub gonderi: Gonderi,
    /// When it was registered.
    pub created_at: DateTime<Utc>,
    /// Its life.
    pub timeline: Timeline<Stage>,
    /// Sürat's 14-digit number (shown from acceptance on, or at once with a barcode create).
    pub kargo_takip_no: String,
    /// Sürat's 11-digit barcode number.
    pub barkod_no: String,
    /// Created through the barcode call (the number is known at once).
    pub barcode_at_creation: bool,
    /// When it was withdrawn, if it was.
    pub cancelled_at: Option<DateTime<Utc>>,
    /// The desi the branch measures (defaults to the declared one).
    pub measured_desi: Decimal,
}

impl SimShipment {
    /// The stage reached at `now`, if the branch has accepted it.
    pub fn stage_at(&self, now: DateTime<Utc>) -> Option<&Stage> {
        self.timeline.state_at(self.created_at, now)
    }

    /// Whether the branch has accepted it by `now`.
    pub fn accepted(&self, now: DateTime<Utc>) -> bool {
        self.stage_at(now).is_some()
    }

    /// The declared billable desi/kg: max(BirimDesi, BirimKg) × Adet.
    pub fn declared_desi(g: &Gonderi) -> Decimal {
        let d = g
            .BirimDesi
            .trim()
            .parse::<Decimal>()
            .unwrap_or(Decimal::ZERO);
        let k = g.BirimKg.trim().parse::<Decimal>().unwrap_or(Decimal::ZERO);
        d.max(k) * Decimal::from(g.Adet)
    }

    /// The tracking record at `now` (`None` before acceptance).
    pub fn tracked(&self, now: DateTime<Utc>) -> Option<TrackedShipment<'static>> {
        let reached: Vec<(DateTime<Utc>, &Stage)> =
            self.timeline.reached(self.created_at, now).collect();
        let (last_at, last) = *reached.last()?;
        let tr = turkey_offset();
        let movements = reached
            .iter()
            .map(|(at, s)| Movement {
                Islem: Some(s.movement_text.into()),
                IslemTarihi: Some(
                    at.with_timezone(&tr)
                        .format("%Y-%m-%dT%H:%M:%S%.3f")
                        .to_string()
                        .into(),
                ),
                KargoHareketKargonunDurumuSayi: Some(s.movement_code.into()),
            })
            .collect();
        let (net, vat, total) = price(self.measured_desi);
        Some(TrackedShipment {
            WebSiparisKodu: Some(self.gonderi.OzelKargoTakipNo.clone().into()),
            KargoTakipNo: Some(self.kargo_takip_no.clone().into()),
            BarkodNo: Some(self.barkod_no.clone().into()),
            KargonunDurumu: Some(last.status_text.into()),
            KargonunDurumuSayi: Some(last.code.to_string().into()),
            TakipUrl: Some(
                format!(
                    "https://www.suratkargo.com.tr/KargoTakip/?kargotakipno={}",
                    self.kargo_takip_no
                )
                .into(),
            ),
            TeslimTarihi: last.terminal.then(|| {
                last_at
                    .with_timezone(&tr)
                    .format("%d.%m.%Y %H:%M:%S")
                    .to_string()
                    .into()
            }),
            TeslimAlan: (last.terminal && !last.iade)
                .then(|| kargojet_core::geo::turkish_upper(&self.gonderi.KisiKurum).into()),
            PlanlananTeslimTarihi: None,
            IadeAciklama: (last.terminal && last.iade).then(|| "Göndericiye iade edildi".into()),
            IadeDurum: Some(if last.iade { "Evet" } else { "Hayır" }.into()),
            DevirSebebi: last.devir.map(Into::into),
            Tutar: Some(total.to_string().into()),
            TutarKdvsiz: Some(net.to_string().into()),
            KdvTutar: Some(vat.to_string().into()),
            ToplamDesiKg: Some(self.measured_desi.normalize().to_string().into()),
            Hareketler: Some(movements),
        })
    }
}

/// The simulator's price for a desi: 30 TL + 3 TL per desi above 1, plus 20 % KDV.
pub fn price(desi: Decimal) -> (Decimal, Decimal, Decimal) {
    let extra = (desi - Decimal::ONE).max(Decimal::ZERO);
    let mut net = Decimal::from(30) + Decimal::from(3) * extra;
    net.rescale(2);
    let mut vat = (net * Decimal::new(20, 2)).round_dp(2);
    vat.rescale(2);
    let mut total = net + vat;
    total.rescale(2);
    (net, vat, total)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prices_carry_vat() {
        let (n, v, t) = price(Decimal::from(2));
        assert_eq!(
            (n.to_string(), v.to_string(), t.to_string()),
            ("33.00".into(), "6.60".into(), "39.60".into())
        );
    }

    #[test]
    fn scripts_end_delivered_or_returned() {
        let last = |s| timeline(s).steps().last().map(|(_, st)| st.code);
        assert_eq!(last(Scenario::Delivered), Some(6));
        assert_eq!(last(Scenario::ReturnedToSender), Some(12));
        assert_eq!(last(Scenario::NeverAccepted), None);
    }
}
