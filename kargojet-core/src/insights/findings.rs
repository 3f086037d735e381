//! Rule-based findings: each rule reads a [`Snapshot`] (and, for trends, the previous period's)
//! and reports what it found with the numbers behind it, a suggested action and the money at
//! stake, in Turkish and English. [`findings`] returns them ranked by money at stake.
//!
//! | rule | when | money at stake |
//! |---|---|---|
//! | [`FindingKind::DesiMismatch`] | a carrier measured more than declared on ≥ `desi_mismatch_rate` % of its measured shipments | the desi differences charged |
//! | [`FindingKind::CheaperCarrierInRegion`] | in a region, another carrier is ≥ `cheaper_by_percent` % cheaper per desi than the most used one, not slower by more than `slower_by_days_max` and not worse at delivering by more than `delivery_rate_margin` points | (cost per desi difference) × the most used carrier's desi there |
//! | [`FindingKind::ReturnRateRise`] | a carrier's return rate rose ≥ `return_rise_factor` × and ≥ `return_rise_points` points since the previous period | (rise in points / 100) × closed shipments × cost per shipment |
//! | [`FindingKind::RegionReturnRate`] | a region's return rate is ≥ `region_return_factor` × and ≥ `region_return_points` points above the overall one | (excess points / 100) × closed shipments there × cost per shipment there |
//! | [`FindingKind::LowDeliveryRate`] | a carrier's delivery rate is ≥ `low_delivery_points` points below the overall one | (missing points / 100) × its closed shipments × its cost per shipment |
//! | [`FindingKind::CodReturnRisk`] | cash-on-delivery shipments come back ≥ `cod_return_factor` × and ≥ `cod_return_points` points more often than prepaid ones | (excess points / 100) × closed COD shipments × their cost per shipment |
//!
//! A group is judged only with at least `min_shipments` shipments behind the rate (closed
//! shipments for rates, measured ones for desi, shipments for cost). Money at stake is rounded
//! to the kuruş, half up; the percentages in texts come from the snapshot (one decimal).

use super::format::{
    carrier_short, count_en, count_tr, dative, days_en, days_tr, locative, money_en, money_tr,
    percent_en, percent_tr, region_en, times_word_en, times_word_tr,
};
use super::snapshot::Snapshot;
use super::stats::{GroupStats, RATE_DP};
use crate::carrier::CarrierId;
use crate::geo::Region;
use crate::money::Money;
use rust_decimal::{Decimal, RoundingStrategy};
use rust_decimal_macros::dec;
use serde::{Deserialize, Serialize};

/// What a finding is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FindingKind {
    /// A carrier often measures more desi than declared.
    DesiMismatch,
    /// Another carrier is cheaper to a region.
    CheaperCarrierInRegion,
    /// A carrier's return rate rose since the previous period.
    ReturnRateRise,
    /// Shipments to a region come back more often than the rest.
    RegionReturnRate,
    /// A carrier delivers less often than the others.
    LowDeliveryRate,
    /// Cash-on-delivery shipments come back more often than prepaid ones.
    CodReturnRisk,
}

impl FindingKind {
    /// The stable id (`desi_mismatch`).
    pub fn id(self) -> &'static str {
        match self {
            FindingKind::DesiMismatch => "desi_mismatch",
            FindingKind::CheaperCarrierInRegion => "cheaper_carrier_in_region",
            FindingKind::ReturnRateRise => "return_rate_rise",
            FindingKind::RegionReturnRate => "region_return_rate",
            FindingKind::LowDeliveryRate => "low_delivery_rate",
            FindingKind::CodReturnRisk => "cod_return_risk",
        }
    }
}

/// The unit of an [`Evidence`] value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    /// Percent (one decimal).
    Percent,
    /// Percentage points.
    Points,
    /// Days.
    Days,
    /// Turkish lira.
    Try,
    /// A count of shipments.
    Count,
    /// Desi.
    Desi,
    /// A plain factor (×).
    Factor,
}

/// One number behind a finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evidence {
    /// Stable name (`mismatch_rate`, `cost_per_desi_alternative`, …).
    pub name: String,
    /// Value.
    pub value: Decimal,
    /// Unit.
    pub unit: Unit,
}

fn ev(name: &str, value: Decimal, unit: Unit) -> Evidence {
    Evidence {
        name: name.to_string(),
        value: value.normalize(),
        unit,
    }
}

/// A finding: what was found, the numbers behind it, what to do, and the money at stake.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    /// Rule.
    pub kind: FindingKind,
    /// The carrier it is about (the cheaper one for [`FindingKind::CheaperCarrierInRegion`]).
    pub carrier: Option<CarrierId>,
    /// The carrier it compares against (the most used one in the region), if any.
    pub compared_to: Option<CarrierId>,
    /// The destination region it is about, if any.
    pub region: Option<Region>,
    /// Money at stake in the period (see the module docs for each rule's formula).
    pub money_at_stake: Money,
    /// The numbers behind it.
    pub evidence: Vec<Evidence>,
    /// Headline in Turkish (`Aras'ta desi farkı oranı %18`).
    pub headline_tr: String,
    /// The numbers in a Turkish sentence.
    pub detail_tr: String,
    /// Suggested action in Turkish.
    pub action_tr: String,
    /// Headline in English.
    pub headline_en: String,
    /// The numbers in an English sentence.
    pub detail_en: String,
    /// Suggested action in English.
    pub action_en: String,
}

impl Finding {
    /// `headline — action` in Turkish.
    pub fn text_tr(&self) -> String {
        format!("{} — {}", self.headline_tr, self.action_tr)
    }

    /// `headline — action` in English.
    pub fn text_en(&self) -> String {
        format!("{} — {}", self.headline_en, self.action_en)
    }

    /// An evidence value by name.
    pub fn value(&self, name: &str) -> Option<Decimal> {
        self.evidence
            .iter()
            .find(|e| e.name == name)
            .map(|e| e.value)
    }
}

/// Thresholds of the rules (see the module docs).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct FindingRules {
    /// Fewest shipments behind a rate for a group to be judged.
    pub min_shipments: u32,
    /// Desi mismatch rate (percent) from which a carrier is reported.
    pub desi_mismatch_rate: Decimal,
    /// How much cheaper per desi (percent) an alternative must be.
    pub cheaper_by_percent: Decimal,
    /// How many days slower an alternative may be.
    pub slower_by_days_max: Decimal,
    /// How many delivery-rate points worse an alternative may be.
    pub delivery_rate_margin: Decimal,
    /// Factor of return-rate rise from which a carrier is reported.
    pub return_rise_factor: Decimal,
    /// Points of return-rate rise from which a carrier is reported.
    pub return_rise_points: Decimal,
    /// Factor above the overall return rate from which a region is reported.
    pub region_return_factor: Decimal,
    /// Points above the overall return rate from which a region is reported.
    pub region_return_points: Decimal,
    /// Points below the overall delivery rate from which a carrier is reported.
    pub low_delivery_points: Decimal,
    /// Factor of the COD return rate over the prepaid one from which it is reported.
    pub cod_return_factor: Decimal,
    /// Points of the COD return rate over the prepaid one from which it is reported.
    pub cod_return_points: Decimal,
}

impl Default for FindingRules {
    fn default() -> Self {
        FindingRules {
            min_shipments: 10,
            desi_mismatch_rate: dec!(10),
            cheaper_by_percent: dec!(10),
            slower_by_days_max: dec!(0.5),
            delivery_rate_margin: dec!(3),
            return_rise_factor: dec!(1.5),
            return_rise_points: dec!(2),
            region_return_factor: dec!(1.5),
            region_return_points: dec!(3),
            low_delivery_points: dec!(5),
            cod_return_factor: dec!(2),
            cod_return_points: dec!(3),
        }
    }
}

fn round_money(m: Decimal) -> Money {
    Money::try_lira(m).round_kurus()
}

fn round_rate(d: Decimal) -> Decimal {
    d.round_dp_with_strategy(RATE_DP, RoundingStrategy::MidpointAwayFromZero)
}

/// The freight spent on `points` percent of a group's closed shipments.
fn excess_cost(points: Decimal, s: &GroupStats) -> Money {
    let per = s.cost_per_shipment.map(|m| m.amount).unwrap_or_default();
    round_money(points / Decimal::ONE_HUNDRED * Decimal::from(s.closed()) * per)
}

/// Every finding for `current` (and, for trends, `previous`), most money at stake first; ties
/// by rule, carrier and region.
pub fn findings(
    current: &Snapshot,
    previous: Option<&Snapshot>,
    rules: &FindingRules,
) -> Vec<Finding> {
    let mut out = Vec::new();
    desi_mismatch(current, rules, &mut out);
    cheaper_in_region(current, rules, &mut out);
    if let Some(prev) = previous {
        return_rise(current, prev, rules, &mut out);
    }
    region_returns(current, rules, &mut out);
    low_delivery(current, rules, &mut out);
    cod_returns(current, rules, &mut out);
    out.sort_by(|a, b| {
        b.money_at_stake
            .cmp(&a.money_at_stake)
            .then(a.kind.cmp(&b.kind))
            .then(a.carrier.cmp(&b.carrier))
            .then(a.region.cmp(&b.region))
    });
    out
}

fn desi_mismatch(snap: &Snapshot, rules: &FindingRules, out: &mut Vec<Finding>) {
    for c in &snap.by_carrier {
        let s = &c.stats;
        let Some(rate) = s.desi_mismatch_rate else {
            continue;
        };
        if s.measured < rules.min_shipments || s.measured == 0 || rate < rules.desi_mismatch_rate {
            continue;
        }
        let name = carrier_short(&c.carrier);
        let lost = s.desi_money_lost.round_kurus();
        out.push(Finding {
            kind: FindingKind::DesiMismatch,
            carrier: Some(c.carrier.clone()),
            compared_to: None,
            region: None,
            money_at_stake: lost,
            evidence: vec![
                ev("mismatch_rate", rate, Unit::Percent),
                ev("mismatches", s.desi_mismatches.into(), Unit::Count),
                ev("measured", s.measured.into(), Unit::Count),
                ev("money_lost", lost.amount, Unit::Try),
            ],
            headline_tr: format!("{} desi farkı oranı {}", locative(name), percent_tr(rate)),
            detail_tr: format!(
                "Ölçülen {} gönderiden {} tanesinde taşıyıcı beyan edilenden yüksek desi ölçtü; desi farkı olarak {} ödendi.",
                count_tr(s.measured),
                count_tr(s.desi_mismatches),
                money_tr(lost)
            ),
            action_tr: "paketleme ölçülerini kontrol edin".to_string(),
            headline_en: format!("Desi mismatch rate at {name} is {}", percent_en(rate)),
            detail_en: format!(
                "The carrier measured more desi than declared on {} of {} measured shipments; {} was paid in desi differences.",
                count_en(s.desi_mismatches),
                count_en(s.measured),
                money_en(lost)
            ),
            action_en: "check your packaging dimensions".to_string(),
        });
    }
}

fn cheaper_in_region(snap: &Snapshot, rules: &FindingRules, out: &mut Vec<Finding>) {
    for region in Region::ALL {
        let in_region: Vec<(&CarrierId, &GroupStats)> = snap
            .by_carrier_region
            .iter()
            .filter(|s| s.region == region && s.stats.shipments >= rules.min_shipments.max(1))
            .filter(|s| s.stats.cost_per_desi.is_some())
            .map(|s| (&s.carrier, &s.stats))
            .collect();
        // The most used carrier there (the list is ordered by shipments, then id).
        let Some(&(inc_id, inc)) = in_region.first() else {
            continue;
        };
        let Some(inc_cpd) = inc.cost_per_desi.map(|m| m.amount) else {
            continue;
        };
        if inc_cpd <= Decimal::ZERO {
            continue;
        }
        let mut best: Option<(Money, &CarrierId, &GroupStats, Decimal, Decimal)> = None;
        for &(alt_id, alt) in in_region.iter().skip(1) {
            let Some(alt_cpd) = alt.cost_per_desi.map(|m| m.amount) else {
                continue;
            };
            let cheaper = round_rate((inc_cpd - alt_cpd) / inc_cpd * Decimal::ONE_HUNDRED);
            if cheaper < rules.cheaper_by_percent {
                continue;
            }
            if let (Some(a), Some(i)) = (alt.avg_transit_days, inc.avg_transit_days) {
                if a - i > rules.slower_by_days_max {
                    continue;
                }
            }
            if let (Some(a), Some(i)) = (alt.delivery_rate, inc.delivery_rate) {
                if i - a > rules.delivery_rate_margin {
                    continue;
                }
            }
            let saving = round_money((inc_cpd - alt_cpd) * inc.total_desi);
            if best.as_ref().is_none_or(|(m, ..)| saving > *m) {
                best = Some((saving, alt_id, alt, cheaper, alt_cpd));
            }
        }
        let Some((saving, alt_id, alt, cheaper, alt_cpd)) = best else {
            continue;
        };
        let (alt_name, inc_name) = (carrier_short(alt_id), carrier_short(inc_id));
        let region_tr = region.name_tr();
        let faster = match (inc.avg_transit_days, alt.avg_transit_days) {
            (Some(i), Some(a)) => Some(i - a),
            _ => None,
        };
        let shown = faster.map(round_rate);
        let (speed_tr, speed_en) = match faster {
            Some(d) if shown > Some(Decimal::ZERO) => (
                format!(" ve {} daha hızlı", days_tr(d)),
                format!(" and {} faster", days_en(d)),
            ),
            Some(d) if shown < Some(Decimal::ZERO) => (
                format!(", {} daha yavaş", days_tr(-d)),
                format!(", {} slower", days_en(-d)),
            ),
            Some(_) => (", aynı hızda".to_string(), ", as fast".to_string()),
            None => (String::new(), String::new()),
        };
        let mut evidence = vec![
            ev("cheaper_percent", cheaper, Unit::Percent),
            ev("cost_per_desi_current", inc_cpd, Unit::Try),
            ev("cost_per_desi_alternative", alt_cpd, Unit::Try),
            ev("shipments_current", inc.shipments.into(), Unit::Count),
            ev("shipments_alternative", alt.shipments.into(), Unit::Count),
            ev("desi_current", inc.total_desi, Unit::Desi),
        ];
        if let Some(d) = faster {
            evidence.push(ev("days_faster", d, Unit::Days));
        }
        out.push(Finding {
            kind: FindingKind::CheaperCarrierInRegion,
            carrier: Some(alt_id.clone()),
            compared_to: Some(inc_id.clone()),
            region: Some(region),
            money_at_stake: saving,
            evidence,
            headline_tr: format!(
                "{} {alt_name} {} daha ucuz{speed_tr}",
                dative(region_tr),
                percent_tr(cheaper)
            ),
            detail_tr: format!(
                "{region_tr} gönderilerinin çoğu {} ({} gönderi, desi başına {}); {alt_name} desi başına {} ({} gönderi). Aynı gönderiler {alt_name} ile {} daha ucuza giderdi.",
                locative(inc_name),
                count_tr(inc.shipments),
                money_tr(Money::try_lira(inc_cpd)),
                money_tr(Money::try_lira(alt_cpd)),
                count_tr(alt.shipments),
                money_tr(saving)
            ),
            action_tr: format!(
                "{region_tr} gönderilerinde {inc_name} yerine {} öncelik verin",
                dative(alt_name)
            ),
            headline_en: format!(
                "{alt_name} is {} cheaper{speed_en} to {}",
                percent_en(cheaper),
                region_en(region)
            ),
            detail_en: format!(
                "Most shipments to {} go with {inc_name} ({} shipments, {} per desi); {alt_name} costs {} per desi ({} shipments). The same shipments would have cost {} less with {alt_name}.",
                region_en(region),
                count_en(inc.shipments),
                money_en(Money::try_lira(inc_cpd)),
                money_en(Money::try_lira(alt_cpd)),
                count_en(alt.shipments),
                money_en(saving)
            ),
            action_en: format!(
                "prefer {alt_name} over {inc_name} for {} (a preferred carrier in the selection policy)",
                region_en(region)
            ),
        });
    }
}

/// "iki katına çıktı" / "doubled" when the ratio is within a quarter of a whole multiple from
/// 2 to 10, else `None`.
fn multiple(ratio: Decimal) -> Option<u32> {
    let n = ratio.round();
    if (ratio - n).abs() > dec!(0.25) {
        return None;
    }
    u32::try_from(n.mantissa() / 10i128.pow(n.scale()))
        .ok()
        .filter(|n| (2..=10).contains(n))
}

fn return_rise(cur: &Snapshot, prev: &Snapshot, rules: &FindingRules, out: &mut Vec<Finding>) {
    for c in &cur.by_carrier {
        let Some(p) = prev.carrier(&c.carrier) else {
            continue;
        };
        let (s, ps) = (&c.stats, &p.stats);
        if s.closed() < rules.min_shipments.max(1) || ps.closed() < rules.min_shipments.max(1) {
            continue;
        }
        let (Some(now), Some(before)) = (s.return_rate, ps.return_rate) else {
            continue;
        };
        let rise = now - before;
        if rise < rules.return_rise_points || now < before * rules.return_rise_factor {
            continue;
        }
        let name = carrier_short(&c.carrier);
        let ratio = (before > Decimal::ZERO).then(|| now / before);
        let times = ratio.and_then(multiple);
        let headline_tr = match times.and_then(times_word_tr) {
            Some(w) => format!("İade oranı {} {w} katına çıktı", locative(name)),
            None => format!("İade oranı {} yükseldi", locative(name)),
        };
        let headline_en = match times {
            Some(n) => match times_word_en(n) {
                Some(w) => format!("Return rate at {name} {w}"),
                None => format!("Return rate at {name} rose {n}-fold"),
            },
            None => format!("Return rate at {name} rose"),
        };
        let money = excess_cost(rise, s);
        let mut evidence = vec![
            ev("return_rate", now, Unit::Percent),
            ev("return_rate_previous", before, Unit::Percent),
            ev("rise_points", rise, Unit::Points),
            ev("returned", s.returned.into(), Unit::Count),
            ev("closed", s.closed().into(), Unit::Count),
        ];
        if let Some(r) = ratio {
            evidence.push(ev("factor", r.round_dp(2), Unit::Factor));
        }
        out.push(Finding {
            kind: FindingKind::ReturnRateRise,
            carrier: Some(c.carrier.clone()),
            compared_to: None,
            region: None,
            money_at_stake: money,
            evidence,
            headline_tr,
            detail_tr: format!(
                "Önceki dönemde {} iken bu dönemde {} oldu (sonuçlanan {} gönderiden {} iade); fazladan iadelerin navlunu {}.",
                percent_tr(before),
                percent_tr(now),
                count_tr(s.closed()),
                count_tr(s.returned),
                money_tr(money)
            ),
            action_tr: format!(
                "{name} gönderilerinde iade nedenlerini (adres, alıcıya ulaşılamadı) inceleyin; sürerse gönderileri başka bir taşıyıcıya kaydırın"
            ),
            headline_en,
            detail_en: format!(
                "It was {} in the previous period and is {} now ({} returned of {} closed shipments); the freight of the extra returns is {}.",
                percent_en(before),
                percent_en(now),
                count_en(s.returned),
                count_en(s.closed()),
                money_en(money)
            ),
            action_en: format!(
                "look into why {name} shipments come back (address, recipient unreachable); if it persists, move volume to another carrier"
            ),
        });
    }
}

fn region_returns(snap: &Snapshot, rules: &FindingRules, out: &mut Vec<Finding>) {
    let Some(overall) = snap.totals.return_rate else {
        return;
    };
    for r in &snap.by_region {
        let s = &r.stats;
        let Some(rate) = s.return_rate else {
            continue;
        };
        if s.closed() < rules.min_shipments.max(1)
            || rate - overall < rules.region_return_points
            || rate < overall * rules.region_return_factor
        {
            continue;
        }
        let excess = rate - overall;
        let money = excess_cost(excess, s);
        let name = r.region.name_tr();
        out.push(Finding {
            kind: FindingKind::RegionReturnRate,
            carrier: None,
            compared_to: None,
            region: Some(r.region),
            money_at_stake: money,
            evidence: vec![
                ev("return_rate", rate, Unit::Percent),
                ev("return_rate_overall", overall, Unit::Percent),
                ev("returned", s.returned.into(), Unit::Count),
                ev("closed", s.closed().into(), Unit::Count),
            ],
            headline_tr: format!(
                "{} iade oranı {} (genel {})",
                locative(name),
                percent_tr(rate),
                percent_tr(overall)
            ),
            detail_tr: format!(
                "{name} bölgesine sonuçlanan {} gönderiden {} tanesi iade döndü; genel ortalamanın üstündeki iadelerin navlunu {}.",
                count_tr(s.closed()),
                count_tr(s.returned),
                money_tr(money)
            ),
            action_tr: "bu bölgedeki siparişlerde adresi ve telefonu teyit edin, kapıda ödemeli siparişleri SMS ile onaylatın".to_string(),
            headline_en: format!(
                "Return rate to {} is {} (overall {})",
                region_en(r.region),
                percent_en(rate),
                percent_en(overall)
            ),
            detail_en: format!(
                "{} of {} closed shipments to {} came back; the freight of the returns above the overall rate is {}.",
                count_en(s.returned),
                count_en(s.closed()),
                region_en(r.region),
                money_en(money)
            ),
            action_en: "confirm address and phone on orders to this region, and have cash-on-delivery orders confirmed by SMS".to_string(),
        });
    }
}

fn low_delivery(snap: &Snapshot, rules: &FindingRules, out: &mut Vec<Finding>) {
    let Some(overall) = snap.totals.delivery_rate else {
        return;
    };
    for c in &snap.by_carrier {
        let s = &c.stats;
        let Some(rate) = s.delivery_rate else {
            continue;
        };
        if s.closed() < rules.min_shipments.max(1) || overall - rate < rules.low_delivery_points {
            continue;
        }
        let missing = overall - rate;
        let money = excess_cost(missing, s);
        let name = carrier_short(&c.carrier);
        out.push(Finding {
            kind: FindingKind::LowDeliveryRate,
            carrier: Some(c.carrier.clone()),
            compared_to: None,
            region: None,
            money_at_stake: money,
            evidence: vec![
                ev("delivery_rate", rate, Unit::Percent),
                ev("delivery_rate_overall", overall, Unit::Percent),
                ev("delivered", s.delivered.into(), Unit::Count),
                ev("closed", s.closed().into(), Unit::Count),
            ],
            headline_tr: format!(
                "{} teslim başarısı {} (genel {})",
                locative(name),
                percent_tr(rate),
                percent_tr(overall)
            ),
            detail_tr: format!(
                "Sonuçlanan {} gönderiden {} tanesi teslim edildi; genel orana göre eksik kalan teslimatların navlunu {}.",
                count_tr(s.closed()),
                count_tr(s.delivered),
                money_tr(money)
            ),
            action_tr: format!(
                "{name} ile teslim edilemeyen gönderileri görüşün; düzelmezse bu taşıyıcının payını azaltın"
            ),
            headline_en: format!(
                "Delivery rate at {name} is {} (overall {})",
                percent_en(rate),
                percent_en(overall)
            ),
            detail_en: format!(
                "{} of {} closed shipments were delivered; the freight of the deliveries missing against the overall rate is {}.",
                count_en(s.delivered),
                count_en(s.closed()),
                money_en(money)
            ),
            action_en: format!(
                "raise the failed deliveries with {name}; if it does not improve, give this carrier a smaller share"
            ),
        });
    }
}

fn cod_returns(snap: &Snapshot, rules: &FindingRules, out: &mut Vec<Finding>) {
    let (cod, prepaid) = (&snap.cod.cod, &snap.cod.prepaid);
    let (Some(c), Some(p)) = (cod.return_rate, prepaid.return_rate) else {
        return;
    };
    if cod.closed() < rules.min_shipments.max(1)
        || prepaid.closed() < rules.min_shipments.max(1)
        || c - p < rules.cod_return_points
        || c < p * rules.cod_return_factor
    {
        return;
    }
    let excess = c - p;
    let money = excess_cost(excess, cod);
    let lost_sales = snap.cod.returned_amount.round_kurus();
    out.push(Finding {
        kind: FindingKind::CodReturnRisk,
        carrier: None,
        compared_to: None,
        region: None,
        money_at_stake: money,
        evidence: vec![
            ev("return_rate_cod", c, Unit::Percent),
            ev("return_rate_prepaid", p, Unit::Percent),
            ev("returned_cod", cod.returned.into(), Unit::Count),
            ev("closed_cod", cod.closed().into(), Unit::Count),
            ev("cod_amount_returned", lost_sales.amount, Unit::Try),
        ],
        headline_tr: format!(
            "Kapıda ödemeli gönderilerde iade oranı {}, peşin ödemelilerde {}",
            percent_tr(c),
            percent_tr(p)
        ),
        detail_tr: format!(
            "Sonuçlanan {} kapıda ödemeli gönderiden {} tanesi iade döndü ({} tahsil edilemedi); fazladan iadelerin navlunu {}.",
            count_tr(cod.closed()),
            count_tr(cod.returned),
            money_tr(lost_sales),
            money_tr(money)
        ),
        action_tr: "kapıda ödemeli siparişleri göndermeden önce SMS veya arama ile teyit edin".to_string(),
        headline_en: format!(
            "Return rate of cash-on-delivery shipments is {}, of prepaid ones {}",
            percent_en(c),
            percent_en(p)
        ),
        detail_en: format!(
            "{} of {} closed cash-on-delivery shipments came back ({} not collected); the freight of the extra returns is {}.",
            count_en(cod.returned),
            count_en(cod.closed()),
            money_en(lost_sales),
            money_en(money)
        ),
        action_en: "confirm cash-on-delivery orders by SMS or a call before shipping".to_string(),
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn multiples_are_whole_within_a_quarter() {
        assert_eq!(multiple(dec!(2.0)), Some(2));
        assert_eq!(multiple(dec!(2.2)), Some(2));
        assert_eq!(multiple(dec!(1.9)), Some(2));
        assert_eq!(multiple(dec!(2.5)), None);
        assert_eq!(multiple(dec!(3.1)), Some(3));
        assert_eq!(multiple(dec!(1.5)), None);
        assert_eq!(multiple(dec!(12)), None);
    }
}
