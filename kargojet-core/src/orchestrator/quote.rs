//! `Orchestrator::quote`: every carrier × agreement priced locally, live rates concurrently
//! under a deadline, exclusions with coded reasons, ranking by the policy.

use super::Orchestrator;
use crate::carrier::{Capabilities, CarrierId};
use crate::error::{Code, Error, Result};
use crate::parcel::{DesiRule, round_up_to_step};
use crate::pricing::{
    Agreement, CarrierFailure, Exclusion, KurusLines, Offer, PriceInput, Quote, Rank, Route,
    SelectionPolicy,
};
use crate::shipment::ShipmentRequest;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// A request for offers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuoteRequest {
    /// The company asking (own agreements of other companies are never used).
    pub company: String,
    /// The shipment.
    pub shipment: ShipmentRequest,
    /// How to choose.
    #[serde(default)]
    pub policy: SelectionPolicy,
}

/// Billable values computed once per distinct desi rule: (rule, raw units, stepped value).
struct Billables {
    rules: [(DesiRule, i64, Decimal); 4],
    len: usize,
}

impl Billables {
    fn new() -> Self {
        Billables {
            rules: [(DesiRule::default(), 0, Decimal::ZERO); 4],
            len: 0,
        }
    }

    /// (raw billable in 1/1000 desi, billable after rounding to the step) for `rule`.
    fn get(&mut self, rule: DesiRule, shipment: &ShipmentRequest) -> (i64, Decimal) {
        if let Some((_, raw, stepped)) = self.rules[..self.len].iter().find(|(r, _, _)| *r == rule)
        {
            return (*raw, *stepped);
        }
        let raw_rule = DesiRule {
            step: Decimal::ZERO,
            ..rule
        };
        let raw = raw_rule.billable_units(&shipment.parcels);
        let stepped = rule.billable(&shipment.parcels);
        if self.len < self.rules.len() {
            self.rules[self.len] = (rule, raw, stepped);
            self.len += 1;
        }
        (raw, stepped)
    }
}

impl Orchestrator {
    /// Prices the shipment with every carrier × agreement open to the company and ranks the
    /// offers. Partial by design: offers, exclusions (with coded reasons) and live-rate
    /// failures come back together. Fails as a whole only on invalid input, or when no carrier
    /// could be asked at all (`quote.no_offer`).
    pub async fn quote(&self, request: &QuoteRequest) -> Result<Quote> {
        let route = self.checked_route(request)?;
        // Local offers come out of `price_locally` ranked; live ones join them and the whole
        // list is ranked again.
        let mut quote = self.price_locally(request, &route);
        if self.has_live {
            self.add_live_rates(request, &route, &mut quote).await;
            rank(&mut quote.offers, &request.policy);
        }
        if quote.offers.is_empty() && quote.excluded.is_empty() && quote.failures.is_empty() {
            return Err(no_offer(request));
        }
        Ok(quote)
    }

    /// Validates the shipment (and a policy that names carriers or limits) and gives the
    /// route: the checks every quote makes before pricing.
    #[inline]
    pub(super) fn checked_route(&self, request: &QuoteRequest) -> Result<Route> {
        request.shipment.validate()?;
        if !request.policy.preferred.is_empty()
            || !request.policy.excluded.is_empty()
            || request.policy.only_preferred
            || request.policy.max_desi.is_some()
        {
            request.policy.validate(self.carrier_ids())?;
        }
        Ok(Route::between(
            request.shipment.sender.address.plate,
            request.shipment.recipient.address.plate,
        ))
    }

    fn price_locally(&self, request: &QuoteRequest, route: &Route) -> Quote {
        let mut candidates = Vec::with_capacity(self.plans.len());
        let mut excluded = Vec::new();
        self.rank_locally(request, route, &mut candidates, &mut excluded);
        let mut offers = Vec::with_capacity(candidates.len());
        for c in &candidates {
            if let Some(offer) = self.priced_offer(request, route, c) {
                offers.push(offer);
            }
        }
        Quote {
            offers,
            excluded,
            failures: Vec::new(),
        }
    }

    /// The offer of a ranked candidate, with its breakdown from the lines
    /// [`Orchestrator::rank_locally`] priced (`None` is never returned; the option is kept
    /// for callers that build offers from other sources).
    pub(super) fn priced_offer(
        &self,
        _request: &QuoteRequest,
        route: &Route,
        c: &Candidate,
    ) -> Option<Offer> {
        let plan = &self.plans[c.plan];
        let breakdown = plan.agreement.breakdown_of(&c.lines);
        Some(make_offer(
            &plan.agreement,
            route,
            c.stepped,
            breakdown,
            plan.transit[route.zone.index()],
            false,
        ))
    }

    /// Every local plan open to the company, priced by its total only and ranked by the
    /// policy into `candidates` (cleared first); the plans left out go to `excluded` with
    /// their coded reason. Offers are ranked as light candidates and built afterwards, once,
    /// in their final order (an `Offer` is a few hundred bytes; sorting them would move each
    /// several times), and only for the candidates the caller shows.
    pub(super) fn rank_locally(
        &self,
        request: &QuoteRequest,
        route: &Route,
        candidates: &mut Vec<Candidate>,
        excluded: &mut Vec<Exclusion>,
    ) {
        candidates.clear();
        let shipment = &request.shipment;
        let policy = &request.policy;
        let mut billables = Billables::new();
        let mut quote_only_caps: Option<Capabilities> = None;
        for (plan_index, plan) in self
            .plans
            .iter()
            .enumerate()
            .filter(|(_, p)| p.agreement.applies_to(&request.company))
        {
            let agreement = &plan.agreement;
            let carrier = agreement.carrier();
            let exclude = |code: Code, detail: String| Exclusion {
                carrier: carrier.clone(),
                agreement_id: Some(agreement.id_shared()),
                code,
                detail,
            };
            if let Some(reason) = policy_reason(policy, carrier) {
                excluded.push(exclude(reason.0, reason.1));
                continue;
            }
            // Without a connector the tariff still prices (quote-only); `ship` skips such offers.
            let caps = match &plan.connector {
                Some(reg) if reg.capabilities.live_rates => continue, // priced by add_live_rates
                Some(reg) => &reg.capabilities,
                None => quote_only_caps.get_or_insert_with(|| Capabilities {
                    cod: true,
                    cod_card: true,
                    ..Capabilities::default()
                }),
            };
            let (raw, stepped) = billables.get(agreement.tariff().rule(), shipment);
            if let Some(reason) = capability_reason(agreement, caps, shipment, policy, stepped) {
                excluded.push(exclude(reason.0, reason.1));
                continue;
            }
            let transit = plan.transit[route.zone.index()];
            let input = price_input(request, route, raw);
            match agreement.priced_lines(&input) {
                Some((lines, total)) => candidates.push(Candidate {
                    key: rank_key(policy, carrier, total, transit),
                    plan: plan_index,
                    stepped,
                    total_kurus: total,
                    lines,
                }),
                None => {
                    if let Err(e) = agreement.total(&input) {
                        excluded.push(exclude(e.code(), e.message_en()));
                    }
                }
            }
        }
        // Stable: ties keep the plan order, as `rank` does.
        candidates.sort_by_key(|c| c.key);
    }

    async fn add_live_rates(&self, request: &QuoteRequest, route: &Route, quote: &mut Quote) {
        let shipment = &request.shipment;
        let live: Vec<&Arc<Agreement>> = self
            .agreements
            .iter()
            .filter(|a| {
                a.applies_to(&request.company)
                    && policy_reason(&request.policy, a.carrier()).is_none()
            })
            .filter(|a| {
                self.connectors
                    .get(&(a.carrier().clone(), a.account().clone()))
                    .is_some_and(|r| r.capabilities.live_rates)
            })
            .collect();
        let deadline = self.live_deadline;
        let asks = live.iter().map(|a| {
            let reg = self
                .connectors
                .get(&(a.carrier().clone(), a.account().clone()));
            async move {
                let Some(reg) = reg else {
                    return Err(Error::internal("connector vanished"));
                };
                match tokio::time::timeout(deadline, reg.carrier.quote(shipment)).await {
                    Ok(r) => r,
                    Err(_) => Err(Error::Timeout {
                        code: Code::TransportTimeout,
                        carrier: Some(a.carrier().clone()),
                        send_state: crate::error::SendState::MaybeSent,
                        detail: format!("live rate after {} ms", deadline.as_millis()),
                    }),
                }
            }
        });
        let results = futures::future::join_all(asks).await;
        for (agreement, result) in live.into_iter().zip(results) {
            let carrier = agreement.carrier();
            let Some(reg) = self
                .connectors
                .get(&(carrier.clone(), agreement.account().clone()))
            else {
                continue;
            };
            let rule = agreement.tariff().rule();
            let raw: Decimal = shipment
                .parcels
                .iter()
                .map(|p| p.billable_with(rule.divisor))
                .sum();
            let stepped = round_up_to_step(raw, rule.step);
            if let Some(reason) = capability_reason(
                agreement,
                &reg.capabilities,
                shipment,
                &request.policy,
                stepped,
            ) {
                quote.excluded.push(Exclusion {
                    carrier: carrier.clone(),
                    agreement_id: Some(agreement.id_shared()),
                    code: reason.0,
                    detail: reason.1,
                });
                continue;
            }
            let input = PriceInput::new(*route, raw)
                .with_cod(shipment.cod.map(|c| c.amount))
                .with_sms(shipment.sms)
                .with_insurance(shipment.insured_value);
            let rate = result.and_then(|rates| {
                let service = agreement.tariff().service();
                rates
                    .into_iter()
                    .find(|r| service.is_none() || r.service.as_deref() == service)
                    .ok_or_else(|| {
                        Error::not_found(
                            Code::NotFoundTariff,
                            format!("{carrier} returned no rate for this service"),
                        )
                    })
            });
            match rate.and_then(|r| {
                agreement
                    .price_with_cost(r.cost, &input)
                    .map(|b| (b, r.transit_days))
            }) {
                Ok((breakdown, days)) => {
                    let transit = days
                        .map(|d| crate::pricing::TransitDays { min: d, max: d })
                        .or_else(|| self.transit.days(carrier, route));
                    quote.offers.push(make_offer(
                        agreement, route, stepped, breakdown, transit, true,
                    ));
                }
                Err(e) => {
                    quote.failures.push(CarrierFailure {
                        carrier: carrier.clone(),
                        code: e.code(),
                        detail: e.message_en(),
                        error: Some(e.clone()),
                    });
                    // Fall back to the local tariff when it prices this route.
                    if let Ok(b) = agreement.price(&input) {
                        quote.offers.push(make_offer(
                            agreement,
                            route,
                            stepped,
                            b,
                            self.transit.days(carrier, route),
                            false,
                        ));
                    }
                }
            }
        }
    }
}

/// `quote.no_offer`: no agreement is open to the company at all.
#[cold]
pub(super) fn no_offer(request: &QuoteRequest) -> Error {
    Error::not_found(
        Code::QuoteNoOffer,
        format!("no agreement is open to company '{}'", request.company),
    )
}

fn make_offer(
    agreement: &Agreement,
    route: &Route,
    stepped: Decimal,
    breakdown: crate::pricing::PriceBreakdown,
    transit: Option<crate::pricing::TransitDays>,
    live: bool,
) -> Offer {
    let tariff = agreement.tariff();
    Offer {
        carrier: agreement.carrier().clone(),
        agreement_id: agreement.id_shared(),
        agreement: agreement.kind(),
        account: agreement.account().clone(),
        zone: agreement
            .zone_for(route)
            .unwrap_or(crate::pricing::ZoneKey::All),
        billable_desi: stepped,
        breakdown,
        transit_days: transit,
        illustrative: tariff.is_illustrative(),
        live,
    }
}

fn policy_reason(policy: &SelectionPolicy, carrier: &CarrierId) -> Option<(Code, String)> {
    if policy.excluded.contains(carrier) {
        return Some((
            Code::PolicyExcluded,
            format!("{carrier} is excluded by the policy"),
        ));
    }
    if policy.only_preferred && !policy.preferred.contains(carrier) {
        return Some((
            Code::PolicyNotPreferred,
            format!("{carrier} is not preferred"),
        ));
    }
    None
}

fn capability_reason(
    agreement: &Agreement,
    caps: &crate::carrier::Capabilities,
    shipment: &ShipmentRequest,
    policy: &SelectionPolicy,
    billable: Decimal,
) -> Option<(Code, String)> {
    let carrier = agreement.carrier();
    if (policy.cod_required || shipment.cod.is_some()) && (!caps.cod || !agreement.offers_cod()) {
        return Some((
            Code::PolicyCodUnavailable,
            format!(
                "{carrier} offers no cash on delivery under {}",
                agreement.id()
            ),
        ));
    }
    if let Some(cod) = &shipment.cod {
        if cod.payment == crate::shipment::CodPayment::Card && !caps.cod_card {
            return Some((
                Code::PolicyCodUnavailable,
                format!("{carrier} takes no card at the door"),
            ));
        }
        let cap = match (caps.cod_max, agreement.cod_max()) {
            (Some(a), Some(b)) => Some(if a.amount < b.amount { a } else { b }),
            (a, b) => a.or(b),
        };
        if let Some(cap) = cap {
            if cod.amount.amount > cap.amount {
                return Some((
                    Code::PolicyCodAboveCap,
                    format!(
                        "COD {} is above {carrier}'s cap of {}",
                        cod.amount.to_turkish(),
                        cap.to_turkish()
                    ),
                ));
            }
        }
    }
    if !caps.multi_parcel && shipment.parcels.len() > 1 {
        return Some((
            Code::RequestLimitExceeded,
            format!("{carrier} takes one parcel per shipment"),
        ));
    }
    if let Some(max) = caps.max_kg_per_parcel {
        if let Some((i, p)) = shipment
            .parcels
            .iter()
            .enumerate()
            .find(|(_, p)| p.weight_kg > max)
        {
            return Some((
                Code::RequestLimitExceeded,
                format!(
                    "parcels[{i}] weighs {} kg, {carrier} takes at most {max} kg",
                    p.weight_kg
                ),
            ));
        }
    }
    for (max, whose) in [(caps.max_desi, "carrier"), (policy.max_desi, "policy")] {
        if let Some(max) = max {
            if billable > max {
                return Some((
                    Code::PolicyMaxDesi,
                    format!("{billable} desi is above the {whose} maximum of {max}"),
                ));
            }
        }
    }
    None
}

/// A priced plan waiting for its place in the ranking.
pub(super) struct Candidate {
    key: (usize, i64, i64),
    /// Index of the plan in [`Orchestrator::plans`].
    pub(super) plan: usize,
    /// Billable desi after the tariff's step.
    pub(super) stepped: Decimal,
    /// What the seller pays in kuruş (the breakdown's total).
    pub(super) total_kurus: i64,
    /// The priced lines, for the breakdown of the offers built from the ranking.
    lines: KurusLines,
}

/// The price input of a shipment for a billable value in 1/1000 desi.
#[inline]
fn price_input(request: &QuoteRequest, route: &Route, units: i64) -> PriceInput {
    let shipment = &request.shipment;
    PriceInput::from_units(*route, units)
        .with_cod(shipment.cod.map(|c| c.amount))
        .with_sms(shipment.sms)
        .with_insurance(shipment.insured_value)
}

/// The sort key of an offer under the policy: preference, then total or transit days.
#[inline]
fn rank_key(
    policy: &SelectionPolicy,
    carrier: &CarrierId,
    total_kurus: i64,
    transit: Option<crate::pricing::TransitDays>,
) -> (usize, i64, i64) {
    let days = transit
        .map(|d| (i64::from(d.max) << 8) | i64::from(d.min))
        .unwrap_or(i64::MAX);
    let pref = if policy.preferred.is_empty() {
        0
    } else {
        policy.preference(carrier)
    };
    match policy.rank {
        Rank::Cheapest => (pref, total_kurus, days),
        Rank::Fastest => (pref, days, total_kurus),
    }
}

/// Sorts offers by the policy: preferred carriers first, then cheapest or fastest; ties keep
/// the plan order, which the builder sorts by carrier id, then agreement id. Keys are integers
/// computed once per offer; the sort is stable and permutes the offers in place.
pub(crate) fn rank(offers: &mut [Offer], policy: &SelectionPolicy) {
    if offers.len() < 2 {
        return;
    }
    offers.sort_by_cached_key(|o| {
        rank_key(
            policy,
            &o.carrier,
            o.breakdown.total.to_kurus(),
            o.transit_days,
        )
    });
}
