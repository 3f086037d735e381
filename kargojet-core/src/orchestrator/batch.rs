//! `Orchestrator::quote_batch`: many shipments ranked in one call. Each shipment is validated
//! and priced by every open agreement exactly as [`Orchestrator::quote`] does, ranked by the
//! kuruş totals alone, and only the best offer gets its line-by-line breakdown: the cheap path
//! for a platform that rates thousands of orders at once and shows each one's winner.

use super::Orchestrator;
use super::quote::{Candidate, QuoteRequest, no_offer};
use crate::error::Result;
use crate::money::Money;
use crate::pricing::{Quote, RankedBatch, RankedOffer, RankedQuote, Route};
use std::borrow::Borrow;

/// How many quotes of a batch wait for live-rate carriers at once (only when a carrier with a
/// live rate API is registered; local quotes never wait).
pub const LIVE_BATCH_CONCURRENCY: usize = 64;

impl Orchestrator {
    /// Quotes many shipments: one result per request, in order. A request that cannot be
    /// quoted (an invalid shipment or policy, `quote.no_offer`) is an `Err` in its place; the
    /// others are unaffected.
    ///
    /// Each [`RankedQuote`] ranks the same offers in the same order as [`Orchestrator::quote`]
    /// with the same exclusions and failures, but carries only each offer's total (its
    /// agreement an index into the batch's agreements); the best offer alone is built with its
    /// breakdown. Local tariffs are priced one request after the other on the calling task
    /// (they never wait); with a live-rate carrier registered, up to
    /// [`LIVE_BATCH_CONCURRENCY`] full quotes wait for their carriers at once.
    pub async fn quote_batch<R>(&self, requests: &[R]) -> RankedBatch
    where
        R: Borrow<QuoteRequest>,
    {
        let mut out = Vec::with_capacity(requests.len());
        if self.has_live {
            for chunk in requests.chunks(LIVE_BATCH_CONCURRENCY) {
                let quotes =
                    futures::future::join_all(chunk.iter().map(|r| self.quote(r.borrow()))).await;
                out.extend(quotes.into_iter().map(|q| q.map(|q| self.ranked(q))));
            }
        } else {
            // One scratch list of candidates for the whole batch.
            let mut candidates = Vec::with_capacity(self.plans.len());
            for r in requests {
                out.push(self.rank_one(r.borrow(), &mut candidates));
            }
        }
        RankedBatch::new(self.plan_agreements.clone(), out)
    }

    /// One request of a local batch: validated, ranked by totals, the best offer built.
    fn rank_one(
        &self,
        request: &QuoteRequest,
        candidates: &mut Vec<Candidate>,
    ) -> Result<RankedQuote> {
        let route: Route = self.checked_route(request)?;
        let mut excluded = Vec::new();
        self.rank_locally(request, &route, candidates, &mut excluded);
        if candidates.is_empty() && excluded.is_empty() {
            return Err(no_offer(request));
        }
        let best = candidates
            .first()
            .and_then(|c| self.priced_offer(request, &route, c))
            .map(Box::new);
        let zone = route.zone.index();
        let offers = candidates
            .iter()
            .map(|c| RankedOffer {
                // Plan indexes fit: the builder holds fewer than 2³² agreements.
                agreement: c.plan as u32,
                total: Money::from_kurus(c.total_kurus),
                billable_desi: c.stepped,
                transit_days: self.plans[c.plan].transit[zone],
                live: false,
            })
            .collect();
        Ok(RankedQuote {
            offers,
            best,
            excluded,
            failures: Vec::new(),
        })
    }

    /// A full quote (with live rates) in the ranked form.
    fn ranked(&self, quote: Quote) -> RankedQuote {
        let offers = quote
            .offers
            .iter()
            .filter_map(|o| {
                let plan = self
                    .plans
                    .iter()
                    .position(|p| *p.agreement.id() == *o.agreement_id)?;
                Some(RankedOffer {
                    agreement: plan as u32,
                    total: o.breakdown.total,
                    billable_desi: o.billable_desi,
                    transit_days: o.transit_days,
                    live: o.live,
                })
            })
            .collect();
        RankedQuote {
            offers,
            best: quote.offers.into_iter().next().map(Box::new),
            excluded: quote.excluded,
            failures: quote.failures,
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;
    use crate::carrier::{
        AccountId, Capabilities, Carrier, CarrierId, CreateRequest, LiveRate, ReferenceLookup,
        ShipmentRef, TrackingUpdate,
    };
    use crate::error::{Code, Error};
    use crate::money::Money;
    use crate::parcel::Parcel;
    use crate::pricing::{
        Agreement, Rank, SelectionPolicy, Tariff, ZoneKey, illustrative_platform_agreements,
        transit_days,
    };
    use crate::shipment::{
        AddressDraft, CreatedShipment, MerchantKey, PartyDraft, ShipmentDraft, ShipmentRequest,
    };
    use futures::FutureExt;
    use rust_decimal::Decimal;
    use rust_decimal_macros::dec;
    use std::sync::Arc;

    fn party(name: &str, province: &str, district: &str) -> PartyDraft {
        PartyDraft {
            name: name.into(),
            phone: "05321234567".into(),
            email: None,
            address: AddressDraft {
                province: province.into(),
                district: district.into(),
                line: "Cumhuriyet Cad. No 5".into(),
                postal_code: None,
            },
        }
    }

    fn shipment(to: (&str, &str), kg: Decimal, cod: Option<Decimal>) -> ShipmentRequest {
        ShipmentDraft {
            sender: party("Moda Tekstil", "İstanbul", "Kadıköy"),
            recipient: party("Ayşe Yılmaz", to.0, to.1),
            parcels: vec![Parcel::new(dec!(40), dec!(30), dec!(20), kg)],
            cod_amount: cod.map(Money::try_lira),
            ..Default::default()
        }
        .validate()
        .unwrap()
    }

    fn request(shipment: ShipmentRequest, policy: SelectionPolicy) -> QuoteRequest {
        QuoteRequest {
            company: "acme".into(),
            shipment,
            policy,
        }
    }

    /// Varied shipments: near and far, light and heavy, with and without COD (7.500 TL is
    /// above some carriers' caps, so those are excluded with a reason).
    fn requests(policy: &SelectionPolicy) -> Vec<QuoteRequest> {
        let places = [
            ("Van", "İpekyolu"),
            ("İstanbul", "Beşiktaş"),
            ("Ankara", "Çankaya"),
            ("İzmir", "Konak"),
        ];
        let cods = [None, Some(dec!(149.90)), Some(dec!(1250)), Some(dec!(7500))];
        (0..48)
            .map(|i| {
                let kg = Decimal::from(1 + (i * 7) % 60) + dec!(0.5);
                let s = shipment(places[i % places.len()], kg, cods[(i / 4) % cods.len()]);
                request(s, policy.clone())
            })
            .collect()
    }

    fn illustrative() -> Orchestrator {
        Orchestrator::builder()
            .agreements(illustrative_platform_agreements().unwrap())
            .transit(transit_days().unwrap())
            .build()
            .unwrap()
    }

    /// The ranked quote must be the full quote without breakdowns, offer for offer.
    fn assert_same(batch: &RankedBatch, ranked: &RankedQuote, full: &Quote, what: &str) {
        assert_eq!(ranked.offers.len(), full.offers.len(), "{what}");
        for (r, o) in ranked.offers.iter().zip(&full.offers) {
            let agreement = batch.agreement(r);
            assert_eq!(agreement.carrier(), &o.carrier, "{what}");
            assert_eq!(agreement.id(), &*o.agreement_id, "{what}");
            assert_eq!(r.total, o.breakdown.total, "{what}");
            assert_eq!(r.billable_desi, o.billable_desi, "{what}");
            assert_eq!(r.transit_days, o.transit_days, "{what}");
            assert_eq!(r.live, o.live, "{what}");
        }
        assert_eq!(ranked.best.as_deref(), full.offers.first(), "{what}");
        assert_eq!(ranked.excluded, full.excluded, "{what}");
        assert_eq!(ranked.failures, full.failures, "{what}");
    }

    #[test]
    fn a_batch_ranks_like_single_quotes_under_every_policy() {
        let o = illustrative();
        let policies = [
            SelectionPolicy::default(),
            SelectionPolicy {
                rank: Rank::Fastest,
                ..SelectionPolicy::default()
            },
            SelectionPolicy {
                preferred: vec![CarrierId::Ptt, CarrierId::Aras],
                excluded: vec![CarrierId::Yurtici],
                max_desi: Some(dec!(30)),
                ..SelectionPolicy::default()
            },
        ];
        let mut exclusions = 0;
        for policy in &policies {
            let requests = requests(policy);
            let batch = o.quote_batch(&requests).now_or_never().unwrap();
            assert_eq!(batch.len(), requests.len());
            for (i, (r, ranked)) in requests.iter().zip(&batch.results).enumerate() {
                let full = o.quote(r).now_or_never().unwrap().unwrap();
                let ranked = ranked.as_ref().unwrap();
                assert_same(
                    &batch,
                    ranked,
                    &full,
                    &format!("{:?} request {i}", policy.rank),
                );
                exclusions += ranked.excluded.len();
            }
        }
        assert!(exclusions > 0, "the COD caps and the policy exclude some");
    }

    #[test]
    fn the_cheapest_is_the_lowest_total_whatever_the_ranking() {
        let o = illustrative();
        let fastest = SelectionPolicy {
            rank: Rank::Fastest,
            ..SelectionPolicy::default()
        };
        let mut differ = 0;
        let fast_batch = o.quote_batch(&requests(&fastest)).now_or_never().unwrap();
        let cheap_batch = o
            .quote_batch(&requests(&SelectionPolicy::default()))
            .now_or_never()
            .unwrap();
        for (fast, cheap) in fast_batch.results.iter().zip(&cheap_batch.results) {
            let (fast, cheap) = (fast.as_ref().unwrap(), cheap.as_ref().unwrap());
            let lowest = fast.cheapest().unwrap();
            assert_eq!(lowest.total, cheap.offers[0].total);
            assert!(fast.offers.iter().all(|o| o.total >= lowest.total));
            differ += usize::from(fast.offers[0].agreement != cheap.offers[0].agreement);
        }
        assert!(differ > 0, "the fastest offer is not always the cheapest");
    }

    #[test]
    fn a_bad_request_is_an_error_in_its_place_and_the_rest_are_quoted() {
        let o = illustrative();
        let mut requests = requests(&SelectionPolicy::default());
        requests[3].shipment.parcels.clear();
        requests[5].policy.preferred = vec![CarrierId::Custom("nobody".into())];
        let batch = o.quote_batch(&requests).now_or_never().unwrap();
        let codes: Vec<_> = batch
            .results
            .iter()
            .map(|r| r.as_ref().err().map(|e| e.code()))
            .collect();
        assert_eq!(codes[3], Some(Code::RequestInvalid));
        assert_eq!(codes[5], Some(Code::RequestUnknownCarrier));
        assert_eq!(codes.iter().filter(|c| c.is_some()).count(), 2);
        for i in [3, 5] {
            let single = o.quote(&requests[i]).now_or_never().unwrap();
            assert_eq!(single.err().map(|e| e.code()), codes[i]);
        }
    }

    #[test]
    fn no_open_agreement_is_quote_no_offer() {
        let tariff = Tariff::builder("own_aras".to_string(), CarrierId::Aras)
            .band(ZoneKey::All, dec!(0), dec!(100), dec!(80))
            .build()
            .unwrap();
        let o = Orchestrator::builder()
            .agreement(
                Agreement::own("other", "main", Arc::new(tariff))
                    .build()
                    .unwrap(),
            )
            .build()
            .unwrap();
        let r = request(
            shipment(("Van", "İpekyolu"), dec!(2), None),
            SelectionPolicy::default(),
        );
        let batch = o.quote_batch(&[r]).now_or_never().unwrap();
        assert_eq!(
            batch.results[0].as_ref().err().map(|e| e.code()),
            Some(Code::QuoteNoOffer)
        );
    }

    /// A carrier with a live rate API that answers with a fixed cost.
    struct Live;

    #[async_trait::async_trait]
    impl Carrier for Live {
        fn id(&self) -> CarrierId {
            CarrierId::Sendeo
        }
        fn capabilities(&self) -> Capabilities {
            Capabilities {
                cod: true,
                live_rates: true,
                ..Capabilities::default()
            }
        }
        async fn quote(&self, _shipment: &ShipmentRequest) -> Result<Vec<LiveRate>> {
            tokio::task::yield_now().await;
            Ok(vec![LiveRate {
                service: None,
                cost: Money::try_lira(dec!(1.00)),
                transit_days: Some(1),
            }])
        }
        async fn create(&self, _request: &CreateRequest) -> Result<CreatedShipment> {
            Err(Error::unsupported(Some(CarrierId::Sendeo), "create"))
        }
        async fn cancel(&self, _shipment: &ShipmentRef) -> Result<()> {
            Err(Error::unsupported(Some(CarrierId::Sendeo), "cancel"))
        }
        async fn track(&self, _shipment: &ShipmentRef) -> Result<TrackingUpdate> {
            Err(Error::unsupported(Some(CarrierId::Sendeo), "track"))
        }
        async fn find_by_reference(
            &self,
            _key: &MerchantKey,
            _account: &AccountId,
        ) -> Result<ReferenceLookup> {
            Err(Error::unsupported(Some(CarrierId::Sendeo), "lookup"))
        }
    }

    #[tokio::test]
    async fn live_rates_join_the_ranking_in_a_batch() {
        let o = Orchestrator::builder()
            .agreements(illustrative_platform_agreements().unwrap())
            .transit(transit_days().unwrap())
            .carrier(Arc::new(Live), AccountId::platform())
            .build()
            .unwrap();
        // More requests than wait at once, so the batch runs in several rounds.
        let requests: Vec<_> = (0..LIVE_BATCH_CONCURRENCY + 6)
            .map(|i| {
                let kg = Decimal::from(1 + i % 20);
                request(
                    shipment(("Van", "İpekyolu"), kg, None),
                    SelectionPolicy::default(),
                )
            })
            .collect();
        let batch = o.quote_batch(&requests).await;
        for (r, ranked) in requests.iter().zip(&batch.results) {
            let ranked = ranked.as_ref().unwrap();
            assert_same(&batch, ranked, &o.quote(r).await.unwrap(), "live");
            // A 1 TL carrier cost undercuts every tariff.
            assert!(ranked.offers[0].live);
            assert_eq!(
                batch.agreement(&ranked.offers[0]).carrier(),
                &CarrierId::Sendeo
            );
        }
    }
}
