//! Narrators put a [`Snapshot`] and its [`Finding`]s into words: a summary, and answers to
//! questions in natural language ("hangi taşıyıcı, hangi bölge, hangi risk?") grounded in the
//! snapshot's numbers. [`RuleNarrator`] is always available and needs nothing; the language
//! model narrator (feature `llm`) falls back to it on any failure and says so.

use super::findings::Finding;
use super::format::{
    carrier_short, count_en, count_tr, days_en, days_tr, money_en, money_tr, percent_en,
    percent_tr, region_en,
};
use super::snapshot::{ProvinceStats, Snapshot};
use super::stats::GroupStats;
use crate::carrier::CarrierId;
use crate::error::Code;
use crate::geo::{Region, fold};
use crate::time::turkey_offset;
use async_trait::async_trait;
use serde::{Deserialize, Serialize};

/// The language of a narration.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Language {
    /// Turkish.
    #[default]
    Tr,
    /// English.
    En,
}

/// Who wrote a narration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum NarrationSource {
    /// The rule-based narrator.
    RuleBased,
    /// A language model.
    Model {
        /// The model's name as configured.
        model: String,
    },
}

/// Why a language model's text was replaced by the rule-based one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fallback {
    /// Stable code of the failure (`transport.timeout`, `rate.limited`, `protocol.malformed`,
    /// `transport.http_status`, `transport.connection`, `auth.failed`).
    pub code: Code,
    /// What failed.
    pub detail: String,
}

/// A narrator's text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Narration {
    /// The text.
    pub text: String,
    /// Its language.
    pub language: Language,
    /// Who wrote it.
    pub source: NarrationSource,
    /// Set when a language model failed and the rule-based text stands in for it (the text
    /// then starts with a note saying so).
    pub fallback: Option<Fallback>,
}

impl Narration {
    /// True when the rule-based text stands in for a failed language model.
    pub fn is_fallback(&self) -> bool {
        self.fallback.is_some()
    }
}

/// Puts a snapshot into words. Implementations never fail: a narrator that depends on a
/// service falls back to rule-based text and says so in [`Narration::fallback`].
#[async_trait]
pub trait Narrator: Send + Sync {
    /// A summary of the snapshot and its main findings.
    async fn summary(
        &self,
        snapshot: &Snapshot,
        findings: &[Finding],
        language: Language,
    ) -> Narration;

    /// An answer to `question`, using only the snapshot's numbers and the findings.
    async fn answer(
        &self,
        snapshot: &Snapshot,
        findings: &[Finding],
        question: &str,
        language: Language,
    ) -> Narration;
}

/// The rule-based narrator: fixed sentences filled with the snapshot's numbers. Questions are
/// answered by topic (carrier, region, risk, desi, cash on delivery, cost, speed), recognized
/// from keywords in Turkish or English; a named carrier or region narrows the answer to it.
#[derive(Debug, Clone, Copy, Default)]
pub struct RuleNarrator;

/// How many findings a summary lists.
const SUMMARY_FINDINGS: usize = 3;
/// How many provinces a region answer lists.
const TOP_PROVINCES: usize = 5;

/// A topic a question can be about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Topic {
    Carrier,
    Region,
    Risk,
    Desi,
    Cod,
    Cost,
    Speed,
}

const KEYWORDS: &[(Topic, &[&str])] = &[
    (
        Topic::Carrier,
        &[
            "tasiyici",
            "firma",
            "kargo sirket",
            "carrier",
            "courier",
            "hangi kargo",
        ],
    ),
    (
        Topic::Region,
        &[
            "bolge", "region", "iller", "sehir", "province", "city", "cities", "nereye", "where",
        ],
    ),
    (
        Topic::Risk,
        &[
            "risk", "sorun", "problem", "iade", "return", "kayip", "hasar", "uyari", "bulgu",
            "finding", "tehlike", "issue",
        ],
    ),
    (
        Topic::Desi,
        &["desi", "olcu", "paket", "dimension", "packag", "volumetric"],
    ),
    (Topic::Cod, &["kapida", "cod$", "tahsilat", "cash", "odeme"]),
    (
        Topic::Cost,
        &[
            "maliyet",
            "ucret",
            "fiyat",
            "para",
            "cost",
            "ucuz",
            "pahali",
            "price",
            "cheap",
            "expensive",
            "tasarruf",
            "saving",
            "harca",
            "spend",
            "tutar",
        ],
    ),
    (
        Topic::Speed,
        &[
            "hiz", "sure", "gun$", "gunde", "transit", "fast", "speed", "yavas", "slow", "gecik",
            "days", "late",
        ],
    ),
];

/// Topics, carriers and regions a question names.
#[derive(Debug, Default)]
struct Question {
    topics: Vec<Topic>,
    carriers: Vec<CarrierId>,
    regions: Vec<Region>,
}

fn parse_question(q: &str, snapshot: &Snapshot) -> Question {
    let folded = fold(q);
    let padded = format!(" {folded} ");
    let words: Vec<&str> = folded.split(' ').collect();
    // A key is a word prefix (`tasiyici` matches `tasiyicilar`), a whole word when it ends in
    // `$` (`gun$` must not match `guneydogu`), or a phrase when it has a space.
    let has = |k: &str| {
        if let Some(exact) = k.strip_suffix('$') {
            words.contains(&exact)
        } else if k.contains(' ') {
            padded.contains(&format!(" {k}"))
        } else {
            words.iter().any(|w| w.starts_with(k))
        }
    };
    let mut out = Question::default();
    for (topic, keys) in KEYWORDS {
        if keys.iter().any(|k| has(k)) {
            out.topics.push(*topic);
        }
    }
    for c in snapshot.by_carrier.iter().map(|c| &c.carrier) {
        // Whole words only: `aras` must not match `arasinda` ("between").
        let name = fold(carrier_short(c));
        if padded.contains(&format!(" {name} ")) {
            out.carriers.push(c.clone());
        }
    }
    for r in Region::ALL {
        let name = fold(r.name_tr());
        let en = fold(region_en(r));
        let en = en.trim_start_matches("the ").trim_end_matches(" region");
        if padded.contains(&format!(" {name}")) || padded.contains(&format!(" {en}")) {
            out.regions.push(r);
        }
    }
    // The leading space keeps "Doğu Anadolu" from matching inside "Güneydoğu Anadolu".
    if !out.carriers.is_empty() && !out.topics.contains(&Topic::Carrier) {
        out.topics.push(Topic::Carrier);
    }
    if !out.regions.is_empty() && !out.topics.contains(&Topic::Region) {
        out.topics.push(Topic::Region);
    }
    out.topics.sort();
    out
}

fn period_text(s: &Snapshot) -> String {
    let from = s.period.from.with_timezone(&turkey_offset());
    let last = (s.period.to - chrono::Duration::nanoseconds(1)).with_timezone(&turkey_offset());
    format!("{} – {}", from.format("%d.%m.%Y"), last.format("%d.%m.%Y"))
}

fn opt_percent(d: Option<rust_decimal::Decimal>, lang: Language) -> String {
    match (d, lang) {
        (Some(d), Language::Tr) => percent_tr(d),
        (Some(d), Language::En) => percent_en(d),
        (None, _) => "–".to_string(),
    }
}

fn opt_money(m: Option<crate::money::Money>, lang: Language) -> String {
    match (m, lang) {
        (Some(m), Language::Tr) => money_tr(m),
        (Some(m), Language::En) => money_en(m),
        (None, _) => "–".to_string(),
    }
}

fn opt_days(d: Option<rust_decimal::Decimal>, lang: Language) -> String {
    match (d, lang) {
        (Some(d), Language::Tr) => days_tr(d),
        (Some(d), Language::En) => days_en(d),
        (None, _) => "–".to_string(),
    }
}

fn count(n: u32, lang: Language) -> String {
    match lang {
        Language::Tr => count_tr(n),
        Language::En => count_en(n),
    }
}

/// One line of figures for a group.
fn group_line(label: &str, s: &GroupStats, lang: Language) -> String {
    match lang {
        Language::Tr => format!(
            "{label}: {} gönderi, gönderi başına {}, desi başına {}, teslim {}, iade {}, ortalama {}",
            count_tr(s.shipments),
            opt_money(s.cost_per_shipment, lang),
            opt_money(s.cost_per_desi, lang),
            opt_percent(s.delivery_rate, lang),
            opt_percent(s.return_rate, lang),
            opt_days(s.avg_transit_days, lang),
        ),
        Language::En => format!(
            "{label}: {} shipments, {} per shipment, {} per desi, delivered {}, returned {}, average {}",
            count_en(s.shipments),
            opt_money(s.cost_per_shipment, lang),
            opt_money(s.cost_per_desi, lang),
            opt_percent(s.delivery_rate, lang),
            opt_percent(s.return_rate, lang),
            opt_days(s.avg_transit_days, lang),
        ),
    }
}

fn finding_line(i: usize, f: &Finding, lang: Language) -> String {
    match lang {
        Language::Tr => format!(
            "{}. {} (risk altındaki tutar {})",
            i + 1,
            f.text_tr(),
            money_tr(f.money_at_stake)
        ),
        Language::En => format!(
            "{}. {} (money at stake {})",
            i + 1,
            f.text_en(),
            money_en(f.money_at_stake)
        ),
    }
}

impl RuleNarrator {
    /// The summary text.
    pub fn summary_text(&self, s: &Snapshot, findings: &[Finding], lang: Language) -> String {
        let t = &s.totals;
        let mut out = Vec::new();
        match lang {
            Language::Tr => {
                out.push(format!(
                    "Dönem {}: {} gönderi ({} iptal), toplam {}; gönderi başına {}, desi başına {}.",
                    period_text(s),
                    count_tr(t.shipments),
                    count_tr(t.cancelled),
                    money_tr(t.total_cost),
                    opt_money(t.cost_per_shipment, lang),
                    opt_money(t.cost_per_desi, lang),
                ));
                out.push(format!(
                    "Teslim başarısı {}, iade oranı {}, ortalama teslim süresi {}.",
                    opt_percent(t.delivery_rate, lang),
                    opt_percent(t.return_rate, lang),
                    opt_days(t.avg_transit_days, lang),
                ));
            }
            Language::En => {
                out.push(format!(
                    "Period {}: {} shipments ({} cancelled), {} in total; {} per shipment, {} per desi.",
                    period_text(s),
                    count_en(t.shipments),
                    count_en(t.cancelled),
                    money_en(t.total_cost),
                    opt_money(t.cost_per_shipment, lang),
                    opt_money(t.cost_per_desi, lang),
                ));
                out.push(format!(
                    "Delivery rate {}, return rate {}, average transit {}.",
                    opt_percent(t.delivery_rate, lang),
                    opt_percent(t.return_rate, lang),
                    opt_days(t.avg_transit_days, lang),
                ));
            }
        }
        if !s.by_carrier.is_empty() {
            let mix: Vec<String> = s
                .by_carrier
                .iter()
                .map(|c| {
                    format!(
                        "{} {} ({})",
                        carrier_short(&c.carrier),
                        opt_percent(c.share, lang),
                        count(c.stats.shipments, lang)
                    )
                })
                .collect();
            out.push(match lang {
                Language::Tr => format!("Taşıyıcılar: {}.", mix.join(", ")),
                Language::En => format!("Carriers: {}.", mix.join(", ")),
            });
        }
        out.push(cod_text(s, lang));
        out.push(desi_total_text(t, lang));
        if findings.is_empty() {
            out.push(match lang {
                Language::Tr => "Kurallara göre öne çıkan bir bulgu yok.".to_string(),
                Language::En => "No rule flagged anything.".to_string(),
            });
        } else {
            out.push(match lang {
                Language::Tr => "Öne çıkan bulgular:".to_string(),
                Language::En => "Main findings:".to_string(),
            });
            for (i, f) in findings.iter().take(SUMMARY_FINDINGS).enumerate() {
                out.push(finding_line(i, f, lang));
            }
        }
        out.join("\n")
    }

    /// The answer text for `question`.
    pub fn answer_text(
        &self,
        s: &Snapshot,
        findings: &[Finding],
        question: &str,
        lang: Language,
    ) -> String {
        let q = parse_question(question, s);
        if q.topics.is_empty() {
            let hint = match lang {
                Language::Tr => {
                    "Şu konularda sorabilirsiniz: taşıyıcı, bölge, risk, desi, kapıda ödeme, maliyet, teslim süresi."
                }
                Language::En => {
                    "You can ask about: carriers, regions, risks, desi, cash on delivery, cost, transit time."
                }
            };
            return format!("{}\n{hint}", self.summary_text(s, findings, lang));
        }
        let mut out = Vec::new();
        for topic in &q.topics {
            match topic {
                Topic::Carrier => out.extend(carrier_answer(s, &q, lang)),
                Topic::Region => out.extend(region_answer(s, &q, lang)),
                Topic::Risk => out.extend(risk_answer(findings, &q, lang)),
                Topic::Desi => out.extend(desi_answer(s, &q, lang)),
                Topic::Cod => out.push(cod_text(s, lang)),
                Topic::Cost => out.extend(cost_answer(s, findings, lang)),
                Topic::Speed => out.extend(speed_answer(s, &q, lang)),
            }
        }
        out.join("\n")
    }
}

fn cod_text(s: &Snapshot, lang: Language) -> String {
    let c = &s.cod;
    match lang {
        Language::Tr => format!(
            "Kapıda ödeme payı {} ({} gönderi, {}; ortalama {}); tahsil edilen {}, iade dönen {}. İade oranı kapıda ödemede {}, peşin ödemede {}.",
            opt_percent(s.totals.cod_share, lang),
            count_tr(c.cod.shipments),
            money_tr(c.cod.cod_amount),
            opt_money(c.average_amount, lang),
            money_tr(c.collected),
            money_tr(c.returned_amount),
            opt_percent(c.cod.return_rate, lang),
            opt_percent(c.prepaid.return_rate, lang),
        ),
        Language::En => format!(
            "Cash on delivery share {} ({} shipments, {}; average {}); collected {}, came back {}. Return rate {} with cash on delivery, {} prepaid.",
            opt_percent(s.totals.cod_share, lang),
            count_en(c.cod.shipments),
            money_en(c.cod.cod_amount),
            opt_money(c.average_amount, lang),
            money_en(c.collected),
            money_en(c.returned_amount),
            opt_percent(c.cod.return_rate, lang),
            opt_percent(c.prepaid.return_rate, lang),
        ),
    }
}

fn desi_total_text(t: &GroupStats, lang: Language) -> String {
    match lang {
        Language::Tr => format!(
            "Desi farkı: ölçülen {} gönderiden {} tanesinde ({}), ek ücret {}.",
            count_tr(t.measured),
            count_tr(t.desi_mismatches),
            opt_percent(t.desi_mismatch_rate, lang),
            money_tr(t.desi_money_lost),
        ),
        Language::En => format!(
            "Desi differences: {} of {} measured shipments ({}), {} charged.",
            count_en(t.desi_mismatches),
            count_en(t.measured),
            opt_percent(t.desi_mismatch_rate, lang),
            money_en(t.desi_money_lost),
        ),
    }
}

fn wanted_carriers<'a>(s: &'a Snapshot, q: &Question) -> Vec<&'a super::snapshot::CarrierStats> {
    s.by_carrier
        .iter()
        .filter(|c| q.carriers.is_empty() || q.carriers.contains(&c.carrier))
        .collect()
}

fn best_by(
    s: &Snapshot,
    key: impl Fn(&GroupStats) -> Option<rust_decimal::Decimal>,
    lowest: bool,
) -> Option<(&CarrierId, rust_decimal::Decimal)> {
    s.by_carrier
        .iter()
        .filter_map(|c| key(&c.stats).map(|v| (&c.carrier, v)))
        .reduce(|a, b| {
            let better = if lowest { b.1 < a.1 } else { b.1 > a.1 };
            if better { b } else { a }
        })
}

fn carrier_answer(s: &Snapshot, q: &Question, lang: Language) -> Vec<String> {
    let mut out: Vec<String> = wanted_carriers(s, q)
        .into_iter()
        .map(|c| {
            let mut line = group_line(carrier_short(&c.carrier), &c.stats, lang);
            let extra = match lang {
                Language::Tr => format!(
                    ", pay {}, desi farkı {}",
                    opt_percent(c.share, lang),
                    opt_percent(c.stats.desi_mismatch_rate, lang)
                ),
                Language::En => format!(
                    ", share {}, desi mismatches {}",
                    opt_percent(c.share, lang),
                    opt_percent(c.stats.desi_mismatch_rate, lang)
                ),
            };
            line.push_str(&extra);
            line
        })
        .collect();
    if q.carriers.is_empty() && s.by_carrier.len() > 1 {
        let cheapest = best_by(s, |g| g.cost_per_desi.map(|m| m.amount), true);
        let fastest = best_by(s, |g| g.avg_transit_days, true);
        let surest = best_by(s, |g| g.delivery_rate, false);
        let name = |x: Option<(&CarrierId, rust_decimal::Decimal)>| {
            x.map(|(c, _)| carrier_short(c).to_string())
                .unwrap_or_else(|| "–".into())
        };
        out.push(match lang {
            Language::Tr => format!(
                "Desi başına en ucuz: {}; en hızlı: {}; teslim başarısı en yüksek: {}.",
                name(cheapest),
                name(fastest),
                name(surest)
            ),
            Language::En => format!(
                "Cheapest per desi: {}; fastest: {}; best delivery rate: {}.",
                name(cheapest),
                name(fastest),
                name(surest)
            ),
        });
    }
    if out.is_empty() {
        out.push(match lang {
            Language::Tr => "Bu dönemde gönderi yok.".to_string(),
            Language::En => "No shipments in this period.".to_string(),
        });
    }
    out
}

fn region_answer(s: &Snapshot, q: &Question, lang: Language) -> Vec<String> {
    let mut out: Vec<String> = s
        .by_region
        .iter()
        .filter(|r| q.regions.is_empty() || q.regions.contains(&r.region))
        .map(|r| {
            let label = match lang {
                Language::Tr => r.region.name_tr().to_string(),
                Language::En => region_en(r.region).to_string(),
            };
            group_line(&label, &r.stats, lang)
        })
        .collect();
    let provinces: Vec<&ProvinceStats> = s
        .by_province
        .iter()
        .filter(|p| q.regions.is_empty() || q.regions.contains(&p.region))
        .take(TOP_PROVINCES)
        .collect();
    if !provinces.is_empty() {
        let list: Vec<String> = provinces
            .iter()
            .map(|p| format!("{} ({})", p.name, count(p.stats.shipments, lang)))
            .collect();
        out.push(match lang {
            Language::Tr => format!("En çok gönderilen iller: {}.", list.join(", ")),
            Language::En => format!("Top destination provinces: {}.", list.join(", ")),
        });
    }
    if out.is_empty() {
        out.push(match lang {
            Language::Tr => "Bu bölgeye bu dönemde gönderi yok.".to_string(),
            Language::En => "No shipments to this region in this period.".to_string(),
        });
    }
    out
}

fn risk_answer(findings: &[Finding], q: &Question, lang: Language) -> Vec<String> {
    let relevant: Vec<&Finding> = findings
        .iter()
        .filter(|f| {
            (q.carriers.is_empty()
                || f.carrier.as_ref().is_some_and(|c| q.carriers.contains(c))
                || f.compared_to
                    .as_ref()
                    .is_some_and(|c| q.carriers.contains(c)))
                && (q.regions.is_empty() || f.region.is_some_and(|r| q.regions.contains(&r)))
        })
        .collect();
    if relevant.is_empty() {
        return vec![match lang {
            Language::Tr => "Kurallara göre öne çıkan bir risk yok.".to_string(),
            Language::En => "No rule flagged a risk.".to_string(),
        }];
    }
    let mut out = vec![match lang {
        Language::Tr => "Riskler (risk altındaki tutara göre):".to_string(),
        Language::En => "Risks (by money at stake):".to_string(),
    }];
    for (i, f) in relevant.iter().enumerate() {
        out.push(finding_line(i, f, lang));
        out.push(format!(
            "   {}",
            match lang {
                Language::Tr => &f.detail_tr,
                Language::En => &f.detail_en,
            }
        ));
    }
    out
}

fn desi_answer(s: &Snapshot, q: &Question, lang: Language) -> Vec<String> {
    let mut out = vec![desi_total_text(&s.totals, lang)];
    for c in wanted_carriers(s, q)
        .into_iter()
        .filter(|c| c.stats.measured > 0)
    {
        let st = &c.stats;
        out.push(match lang {
            Language::Tr => format!(
                "{}: {} ölçümde {} fark ({}), ek ücret {}",
                carrier_short(&c.carrier),
                count_tr(st.measured),
                count_tr(st.desi_mismatches),
                opt_percent(st.desi_mismatch_rate, lang),
                money_tr(st.desi_money_lost)
            ),
            Language::En => format!(
                "{}: {} of {} measured ({}), {} charged",
                carrier_short(&c.carrier),
                count_en(st.desi_mismatches),
                count_en(st.measured),
                opt_percent(st.desi_mismatch_rate, lang),
                money_en(st.desi_money_lost)
            ),
        });
    }
    out
}

fn cost_answer(s: &Snapshot, findings: &[Finding], lang: Language) -> Vec<String> {
    let t = &s.totals;
    let mut out = vec![match lang {
        Language::Tr => format!(
            "Toplam {} ({} gönderi); gönderi başına {}, desi başına {}.",
            money_tr(t.total_cost),
            count_tr(t.shipments),
            opt_money(t.cost_per_shipment, lang),
            opt_money(t.cost_per_desi, lang)
        ),
        Language::En => format!(
            "{} in total ({} shipments); {} per shipment, {} per desi.",
            money_en(t.total_cost),
            count_en(t.shipments),
            opt_money(t.cost_per_shipment, lang),
            opt_money(t.cost_per_desi, lang)
        ),
    }];
    let mut by_cpd: Vec<_> = s
        .by_carrier
        .iter()
        .filter(|c| c.stats.cost_per_desi.is_some())
        .collect();
    by_cpd.sort_by_key(|c| c.stats.cost_per_desi);
    if !by_cpd.is_empty() {
        let list: Vec<String> = by_cpd
            .iter()
            .map(|c| {
                format!(
                    "{} {}",
                    carrier_short(&c.carrier),
                    opt_money(c.stats.cost_per_desi, lang)
                )
            })
            .collect();
        out.push(match lang {
            Language::Tr => format!("Desi başına: {}.", list.join(", ")),
            Language::En => format!("Per desi: {}.", list.join(", ")),
        });
    }
    for (i, f) in findings
        .iter()
        .filter(|f| f.kind == super::findings::FindingKind::CheaperCarrierInRegion)
        .enumerate()
    {
        out.push(finding_line(i, f, lang));
    }
    out
}

fn speed_answer(s: &Snapshot, q: &Question, lang: Language) -> Vec<String> {
    let mut out = Vec::new();
    for c in wanted_carriers(s, q) {
        let cells: Vec<String> = s
            .transit
            .iter()
            .filter(|t| t.carrier == c.carrier && t.samples > 0)
            .map(|t| format!("{} {}", t.zone.id(), opt_days(t.avg_days, lang)))
            .collect();
        out.push(match lang {
            Language::Tr => format!(
                "{}: ortalama {} ({} teslimat; {})",
                carrier_short(&c.carrier),
                opt_days(c.stats.avg_transit_days, lang),
                count_tr(c.stats.transit_samples),
                cells.join(", ")
            ),
            Language::En => format!(
                "{}: average {} ({} deliveries; {})",
                carrier_short(&c.carrier),
                opt_days(c.stats.avg_transit_days, lang),
                count_en(c.stats.transit_samples),
                cells.join(", ")
            ),
        });
    }
    if out.is_empty() {
        out.push(match lang {
            Language::Tr => "Bu dönemde teslim edilen gönderi yok.".to_string(),
            Language::En => "No deliveries in this period.".to_string(),
        });
    }
    out
}

#[async_trait]
impl Narrator for RuleNarrator {
    async fn summary(
        &self,
        snapshot: &Snapshot,
        findings: &[Finding],
        language: Language,
    ) -> Narration {
        Narration {
            text: self.summary_text(snapshot, findings, language),
            language,
            source: NarrationSource::RuleBased,
            fallback: None,
        }
    }

    async fn answer(
        &self,
        snapshot: &Snapshot,
        findings: &[Finding],
        question: &str,
        language: Language,
    ) -> Narration {
        Narration {
            text: self.answer_text(snapshot, findings, question, language),
            language,
            source: NarrationSource::RuleBased,
            fallback: None,
        }
    }
}
