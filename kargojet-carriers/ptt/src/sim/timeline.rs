//! The simulated life of a PTT parcel: movement codes as PTT reports them, at offsets from the
//! `kabulEkle2` that loaded it, on common's [`Timeline`].

use kargojet_carrier_common::sim::Timeline;
use std::time::Duration;

/// Where a movement happens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Office {
    /// The sender's district office.
    Origin,
    /// A transfer centre between the two.
    Hub,
    /// The recipient's district office (`VMERK`).
    Destination,
}

/// One movement of the script.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Step {
    /// `IKODU`.
    pub ikodu: &'static str,
    /// `ISLEM`.
    pub islem: &'static str,
    /// Where.
    pub office: Office,
}

/// Which life a parcel lives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Scenario {
    /// Registered, accepted, moved, delivered.
    #[default]
    Delivered,
    /// A failed attempt, then back to the sender.
    ReturnedToSender,
}

/// The `IKODU` of acceptance: from here on `barkodVeriSil` is refused and `GR` is reported.
pub const ACCEPTED: &str = "1";

/// How long after loading the parcel first shows in tracking (before: an empty result).
pub const REGISTERED_AFTER: Duration = Duration::from_secs(2 * 3600);

const fn h(hours: u64) -> Duration {
    Duration::from_secs(hours * 3600)
}

const fn step(ikodu: &'static str, islem: &'static str, office: Office) -> Step {
    Step {
        ikodu,
        islem,
        office,
    }
}

fn common_start() -> Vec<(Duration, Step)> {
    vec![
        (
            REGISTERED_AFTER,
            step("701", "Kayıt Edildi", Office::Origin),
        ),
        (h(24), step(ACCEPTED, "Kabul Edildi", Office::Origin)),
        (h(25), step("3", "Torbaya Eklendi", Office::Origin)),
        (h(30), step("77", "Sevk Edildi", Office::Origin)),
        (
            h(36),
            step("92", "Torbasının Geliş Kaydı Yapıldı", Office::Hub),
        ),
        (h(37), step("6", "Torbadan Alındı", Office::Hub)),
        (
            h(48),
            step("11", "Geliş Kaydı Yapıldı", Office::Destination),
        ),
        (h(49), step("7", "Dağıtıcıya Verildi", Office::Destination)),
    ]
}

/// The script of a scenario.
pub fn script(s: Scenario) -> Timeline<Step> {
    let mut steps = common_start();
    match s {
        Scenario::Delivered => {
            steps.push((h(53), step("100", "Teslim Edildi", Office::Destination)))
        }
        Scenario::ReturnedToSender => steps.extend([
            (
                h(53),
                step("124", "Adreste Yok / Kapalı", Office::Destination),
            ),
            (h(72), step("99", "İade Edilecek", Office::Destination)),
            (h(78), step("77", "Sevk Edildi", Office::Destination)),
            (
                h(120),
                step("120", "Göndericisine Teslim Edildi", Office::Origin),
            ),
        ]),
    }
    Timeline::new(steps)
}
