//! Distance zones (hat) between province centres.

use serde::{Deserialize, Serialize};
use std::fmt;

/// The KGM edition of the road-distance table compiled in; record it wherever a zone is stored.
pub const KGM_EDITION: &str = "KGM İller Arası Mesafe Cetveli, 24.02.2025";

/// A distance zone as used by `tariffs-2025.csv`: same city, then road-km bands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DistanceZone {
    /// Same province (şehir içi).
    SehirIci,
    /// 1–200 km (yakın hat).
    Yakin,
    /// 201–600 km (kısa hat).
    Kisa,
    /// 601–1000 km (orta hat).
    Orta,
    /// More than 1000 km (uzun hat).
    Uzun,
}

impl DistanceZone {
    /// Every distance zone, nearest first.
    pub const ALL: [DistanceZone; 5] = [
        DistanceZone::SehirIci,
        DistanceZone::Yakin,
        DistanceZone::Kisa,
        DistanceZone::Orta,
        DistanceZone::Uzun,
    ];

    /// The zone of an intercity road distance (inclusive upper bounds).
    #[inline]
    pub fn from_km(km: u16) -> DistanceZone {
        match km {
            0 => DistanceZone::SehirIci,
            1..=200 => DistanceZone::Yakin,
            201..=600 => DistanceZone::Kisa,
            601..=1000 => DistanceZone::Orta,
            _ => DistanceZone::Uzun,
        }
    }

    /// The zone id of the tariff files (`sehir_ici`, `yakin`, `kisa`, `orta`, `uzun`).
    pub fn id(self) -> &'static str {
        match self {
            DistanceZone::SehirIci => "sehir_ici",
            DistanceZone::Yakin => "yakin",
            DistanceZone::Kisa => "kisa",
            DistanceZone::Orta => "orta",
            DistanceZone::Uzun => "uzun",
        }
    }

    /// Index 0–4 for tables.
    #[inline]
    pub fn index(self) -> usize {
        self as usize
    }

    /// Parses a zone id.
    pub fn parse(s: &str) -> Option<DistanceZone> {
        DistanceZone::ALL.into_iter().find(|z| z.id() == s.trim())
    }
}

impl fmt::Display for DistanceZone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}
