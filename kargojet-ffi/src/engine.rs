//! The engine behind the facade: the orchestrator built from the configuration, the company,
//! its default policy and label template, the wallet and (for sandbox instances) the running
//! simulators. Every method is a conversion and a call; they run on the facade's runtime.
//!
//! Rust adapters (the Python and Node bindings) call these methods directly on the facade's
//! runtime ([`crate::KargoJet::engine`], [`crate::KargoJet::handle`]); the `*_domain` methods
//! return the domain values so an adapter can convert them lazily with this crate's
//! conversions.

use crate::bulk::{self, BulkOptions, BulkPlan, BulkPurchase};
use crate::config::{self, KargoJetConfig};
use crate::connectors::{self, CarrierConfig};
use crate::error::KargoJetError;
use crate::input::{PolicyInput, QuoteRequest, ShipRequest};
use crate::insights::{InsightFinding, Insights, InsightsRequest};
use crate::money::parse_opt_money;
use crate::output::{Balances, Label, LabelFormat, LabelSource, Quote, QuoteOutcome, Shipment};
use crate::sandbox::{self, SandboxFault, SandboxOperation};
use kargojet::Money;
use kargojet::carrier::{AccountId, Carrier, CarrierId};
use kargojet::error::{Code, Error};
use kargojet::label::LabelTemplate;
use kargojet::orchestrator::{self, OfferChoice, Orchestrator};
use kargojet::pricing::{self, SelectionPolicy};
use kargojet::sandbox::Sandbox;
use kargojet::shipment::{ShipmentId, ShipmentRequest};
use kargojet::time::{ManualClock, SharedClock, SystemClock};
use kargojet::wallet::{FundingConfig, MemoryLedgerStore, TransferId, Wallet, WalletFunding};
use std::borrow::Borrow;
use std::sync::Arc;
use std::time::Duration;

/// A connector and the account it acts for.
type Registration = (Arc<dyn Carrier>, AccountId);

/// The orchestrator and everything a facade call needs.
pub struct Engine {
    orchestrator: Orchestrator,
    company: String,
    policy: SelectionPolicy,
    template: Option<LabelTemplate>,
    funding: Option<Arc<WalletFunding>>,
    clock: SharedClock,
    sandbox: Option<Sandbox>,
    id: u64,
}

/// Engine ids, unique in the process (adapters key caches by them).
static NEXT_ID: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);

impl std::fmt::Debug for Engine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Engine")
            .field("company", &self.company)
            .field("carriers", &self.orchestrator.carrier_ids())
            .field("sandbox", &self.sandbox.is_some())
            .finish_non_exhaustive()
    }
}

fn sandbox_connector(sandbox: &Sandbox, id: &CarrierId) -> Option<Arc<dyn Carrier>> {
    sandbox.connectors().iter().find(|c| c.id() == *id).cloned()
}

impl Engine {
    /// Builds the engine (inside the facade's runtime: simulators are tokio servers).
    pub async fn build(config: &KargoJetConfig) -> Result<Engine, KargoJetError> {
        let company = config.company_checked()?;
        let wants_sandbox = config.carriers.iter().any(|c| c.sandbox);
        let sandbox = if wants_sandbox {
            Some(Sandbox::start_at(ManualClock::new(chrono::Utc::now()))?)
        } else {
            None
        };
        let clock: SharedClock = match &sandbox {
            Some(s) => Arc::new(s.clock().clone()),
            None => Arc::new(SystemClock),
        };
        let mut registrations: Vec<Registration> = Vec::new();
        for (i, c) in config.carriers.iter().enumerate() {
            registrations.extend(Self::carrier_connectors(c, i, &company, sandbox.as_ref())?);
        }
        let transit = config::transit_table(config)?;
        // An orchestrator for quoting with `agreements`; the engine's own one adds the
        // stores and the wallet below.
        let quoting = |agreements: Vec<Arc<pricing::Agreement>>| {
            let mut b = Orchestrator::builder()
                .transit(transit.clone())
                .clock(clock.clone());
            for (carrier, account) in &registrations {
                b = b.carrier(carrier.clone(), account.clone());
            }
            for a in agreements {
                b = b.shared_agreement(a);
            }
            if let Some(ms) = config.live_rate_deadline_ms {
                b = b.live_rate_deadline(Duration::from_millis(ms));
            }
            b
        };
        let agreements = config::agreements(config, &company)?;
        let mut builder = quoting(agreements.clone());
        let funding = match &config.wallet {
            Some(w) => {
                let wallet = Wallet::new(Arc::new(MemoryLedgerStore::new()), clock.clone());
                let limit = parse_opt_money(w.credit_limit.as_deref(), "wallet.credit_limit")?
                    .unwrap_or(Money::zero());
                wallet.open_company(&company, limit).await?;
                if let Some(amount) =
                    parse_opt_money(w.opening_balance.as_deref(), "wallet.opening_balance")?
                {
                    wallet
                        .top_up(
                            &TransferId::new(format!("opening:{company}")),
                            &company,
                            amount,
                            "opening balance",
                        )
                        .await?;
                }
                let funding = Arc::new(WalletFunding::with_shared(
                    wallet,
                    agreements.iter().cloned(),
                    FundingConfig::default(),
                ));
                builder = builder.funding(funding.clone());
                Some(funding)
            }
            None => None,
        };
        if let Some(p) = &config.merchant_key_prefix {
            builder = builder.merchant_key_prefix(p.clone());
        }
        let policy = config
            .policy
            .as_ref()
            .map(PolicyInput::to_domain)
            .transpose()?
            .unwrap_or_default();
        Ok(Engine {
            orchestrator: builder.build()?,
            company,
            policy,
            template: config::label_template(config)?,
            funding,
            clock,
            sandbox,
            id: NEXT_ID.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
        })
    }

    fn carrier_connectors(
        c: &CarrierConfig,
        index: usize,
        company: &str,
        sandbox: Option<&Sandbox>,
    ) -> Result<Vec<Registration>, KargoJetError> {
        let account = c.account(company);
        let Some(sandbox) = sandbox.filter(|_| c.sandbox) else {
            return Ok(vec![(connectors::connector(c, company)?, account)]);
        };
        if !account.is_platform() {
            return Err(KargoJetError::invalid(
                Code::RequestInvalidConfig,
                &format!("carriers[{index}].account_name"),
                "sandbox carriers use the platform account",
            ));
        }
        if c.carrier.trim() == "*" {
            return Ok(sandbox
                .connectors()
                .iter()
                .map(|c| (c.clone(), account.clone()))
                .collect());
        }
        let id = CarrierId::parse(&c.carrier);
        let connector = sandbox_connector(sandbox, &id).ok_or_else(|| {
            KargoJetError::invalid(
                Code::RequestUnknownCarrier,
                &format!("carriers[{index}].carrier"),
                format!("no simulator for '{id}' in this build"),
            )
        })?;
        Ok(vec![(connector, account)])
    }

    /// This engine's id, unique in the process (never reused).
    pub fn id(&self) -> u64 {
        self.id
    }

    /// The orchestrator.
    pub fn orchestrator(&self) -> &Orchestrator {
        &self.orchestrator
    }

    /// The configured company.
    pub fn company(&self) -> &str {
        &self.company
    }

    /// The configured default policy.
    pub fn policy(&self) -> &SelectionPolicy {
        &self.policy
    }

    /// The running simulators of a sandbox instance.
    pub fn sandbox(&self) -> Option<&Sandbox> {
        self.sandbox.as_ref()
    }

    /// The known carriers' ids.
    pub fn carriers(&self) -> Vec<String> {
        self.orchestrator
            .carrier_ids()
            .iter()
            .map(|c| c.as_str().to_string())
            .collect()
    }

    fn company_or<'a>(&'a self, company: Option<&'a str>) -> &'a str {
        company
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .unwrap_or(&self.company)
    }

    fn policy_or(&self, policy: Option<&PolicyInput>) -> Result<SelectionPolicy, KargoJetError> {
        match policy {
            Some(p) => p.to_domain(),
            None => Ok(self.policy.clone()),
        }
    }

    /// A domain quote request for a validated shipment (`None`: the configured policy and
    /// company).
    pub fn quote_request(
        &self,
        shipment: ShipmentRequest,
        policy: Option<&PolicyInput>,
        company: Option<&str>,
    ) -> Result<orchestrator::QuoteRequest, KargoJetError> {
        Ok(orchestrator::QuoteRequest {
            company: self.company_or(company).to_string(),
            shipment,
            policy: self.policy_or(policy)?,
        })
    }

    /// The domain quote for a domain request.
    pub async fn quote_domain(
        &self,
        request: &orchestrator::QuoteRequest,
    ) -> Result<pricing::Quote, Error> {
        self.orchestrator.quote(request).await
    }

    /// Offers for one shipment, best first, with the carriers left out and why.
    pub async fn quote(&self, request: QuoteRequest) -> Result<Quote, KargoJetError> {
        let r = self.quote_request(
            request.shipment.to_domain()?,
            request.policy.as_ref(),
            request.company.as_deref(),
        )?;
        Ok(Quote::from(&self.quote_domain(&r).await?))
    }

    /// Quotes many domain requests for ranking ([`Orchestrator::quote_batch`]): one result per
    /// request, in order; each ranks every offer by its total and prices only the best one line
    /// by line. Local quotes run one after the other on the calling task (they never wait);
    /// with a live-rate carrier registered, several quotes wait for their carriers at once.
    pub async fn quote_batch_domain<R>(&self, requests: &[R]) -> pricing::RankedBatch
    where
        R: Borrow<orchestrator::QuoteRequest>,
    {
        self.orchestrator.quote_batch(requests).await
    }

    /// Quotes many shipments in one call: one outcome (ranked offers, the best in full, or the
    /// error with its code) per request, in order.
    pub async fn quote_batch(&self, requests: Vec<QuoteRequest>) -> Vec<QuoteOutcome> {
        let mut slots: Vec<Option<KargoJetError>> = Vec::with_capacity(requests.len());
        let mut valid: Vec<orchestrator::QuoteRequest> = Vec::with_capacity(requests.len());
        for r in requests {
            let prepared = r
                .shipment
                .to_domain()
                .and_then(|s| self.quote_request(s, r.policy.as_ref(), r.company.as_deref()));
            match prepared {
                Ok(q) => {
                    valid.push(q);
                    slots.push(None);
                }
                Err(e) => slots.push(Some(e)),
            }
        }
        let batch = self.quote_batch_domain(&valid).await;
        let agreements = batch.agreements();
        let mut quotes = batch.results.iter();
        slots
            .into_iter()
            .map(|slot| match slot {
                None => match quotes.next() {
                    Some(q) => QuoteOutcome::from_domain(q, agreements),
                    None => QuoteOutcome {
                        quote: None,
                        error: Some(KargoJetError::internal("batch result missing").info()),
                    },
                },
                Some(e) => QuoteOutcome {
                    quote: None,
                    error: Some(e.info()),
                },
            })
            .collect()
    }

    /// Buys a shipment: the best offer (or the chosen carrier), idempotent by key.
    pub async fn ship(&self, request: ShipRequest) -> Result<Shipment, KargoJetError> {
        let shipment = request.shipment.to_domain()?;
        let choice = request
            .carrier
            .as_deref()
            .filter(|c| !c.trim().is_empty())
            .map(|c| OfferChoice {
                carrier: CarrierId::parse(c),
                agreement_id: request.agreement_id.clone().filter(|a| !a.is_empty()),
            });
        let r = orchestrator::ShipRequest {
            company: self.company_or(request.company.as_deref()).to_string(),
            shipment,
            policy: self.policy_or(request.policy.as_ref())?,
            idempotency_key: request.idempotency_key,
            choice,
        };
        Ok(Shipment::from(&self.orchestrator.ship(&r).await?))
    }

    /// A stored shipment.
    pub async fn shipment(&self, id: &str) -> Result<Shipment, KargoJetError> {
        Ok(Shipment::from(
            &self
                .orchestrator
                .shipment(&ShipmentId(id.to_string()))
                .await?,
        ))
    }

    /// The company's shipments, oldest first.
    pub async fn shipments(&self) -> Result<Vec<Shipment>, KargoJetError> {
        Ok(self
            .orchestrator
            .shipments(&self.company)
            .await?
            .iter()
            .map(Shipment::from)
            .collect())
    }

    /// Polls the carrier and returns the shipment with its updated history.
    pub async fn track(&self, id: &str) -> Result<Shipment, KargoJetError> {
        Ok(Shipment::from(
            &self.orchestrator.track(&ShipmentId(id.to_string())).await?,
        ))
    }

    /// Cancels a shipment (refunded through the wallet).
    pub async fn cancel(&self, id: &str) -> Result<Shipment, KargoJetError> {
        Ok(Shipment::from(
            &self
                .orchestrator
                .cancel(&ShipmentId(id.to_string()))
                .await?,
        ))
    }

    /// The label in `format`; KargoJet renders PDF or ZPL where the carrier gives another.
    pub async fn label(
        &self,
        id: &str,
        format: LabelFormat,
        source: LabelSource,
    ) -> Result<Label, KargoJetError> {
        Ok(Label::from(
            self.orchestrator
                .label(
                    &ShipmentId(id.to_string()),
                    format.into(),
                    source.into(),
                    self.template.as_ref(),
                )
                .await?,
        ))
    }

    /// A return shipment (recipient → sender) with the same carrier.
    pub async fn create_return(
        &self,
        id: &str,
        idempotency_key: &str,
    ) -> Result<Shipment, KargoJetError> {
        Ok(Shipment::from(
            &self
                .orchestrator
                .create_return(&ShipmentId(id.to_string()), idempotency_key)
                .await?,
        ))
    }

    /// Reads a bulk file and prices every accepted row (nothing is bought).
    pub async fn bulk_quote(
        &self,
        file: &[u8],
        options: &BulkOptions,
    ) -> Result<BulkPlan, KargoJetError> {
        let (record, plan) = self.plan_file(file, options).await?;
        Ok(bulk::plan_record(record, &plan))
    }

    /// Reads a bulk file, prices it and buys every planned row (each row idempotent by the
    /// file's content and its row number), with every label in one PDF.
    pub async fn bulk_ship(
        &self,
        file: &[u8],
        options: &BulkOptions,
    ) -> Result<BulkPurchase, KargoJetError> {
        let (record, plan) = self.plan_file(file, options).await?;
        let buy = kargojet::bulk::BuyOptions {
            template: self.template.clone(),
            ..Default::default()
        };
        let bought = kargojet::bulk::buy(
            &self.orchestrator,
            &plan,
            &buy,
            &kargojet::bulk::no_progress,
        )
        .await;
        Ok(bulk::purchase_record(
            bulk::plan_record(record, &plan),
            bought,
        ))
    }

    async fn plan_file(
        &self,
        file: &[u8],
        options: &BulkOptions,
    ) -> Result<(bulk::BulkImport, kargojet::bulk::BulkPlan), KargoJetError> {
        let imported = kargojet::bulk::import(file, &options.to_domain()?)?;
        let record = bulk::import_record(&imported)?;
        let mut plan_options = kargojet::bulk::PlanOptions::new(self.company.clone());
        plan_options.policy = self.policy.clone();
        let plan = kargojet::bulk::plan(
            &self.orchestrator,
            &imported,
            &plan_options,
            &kargojet::bulk::no_progress,
        )
        .await?;
        Ok((record, plan))
    }

    fn wallet(&self) -> Result<&Wallet, KargoJetError> {
        self.funding
            .as_deref()
            .map(WalletFunding::wallet)
            .ok_or_else(|| KargoJetError::from(Error::unsupported(None, "no wallet is configured")))
    }

    /// The company's wallet balances.
    pub async fn wallet_balances(&self) -> Result<Balances, KargoJetError> {
        Ok(self.wallet()?.balances(&self.company).await?.into())
    }

    /// Money paid in (`reference`: the payment's id; the same reference is credited once).
    pub async fn wallet_top_up(
        &self,
        amount: &str,
        reference: &str,
    ) -> Result<Balances, KargoJetError> {
        let wallet = self.wallet()?;
        let amount = crate::money::parse_money(amount, "amount")?;
        wallet
            .top_up(
                &TransferId::new(format!("top-up:{}:{}", self.company, reference.trim())),
                &self.company,
                amount,
                reference,
            )
            .await?;
        Ok(wallet.balances(&self.company).await?.into())
    }

    /// What the company's shipments of the last days say: snapshot, findings, summary and
    /// the answer to a question (rule-based narrator).
    pub async fn insights(&self, request: &InsightsRequest) -> Result<Insights, KargoJetError> {
        use kargojet::insights::{
            FindingRules, Period, RuleNarrator, Snapshot, findings, records_from_shipments,
        };
        let shipments = self.orchestrator.shipments(&self.company).await?;
        let desi = match &self.funding {
            Some(f) => Some(f.desi_report(&shipments).await?),
            None => None,
        };
        let records = records_from_shipments(&shipments, desi.as_ref());
        // The period ends just after now, so a shipment created this second is in it.
        let to = self.clock.now() + chrono::Duration::seconds(1);
        let days = i64::from(request.days.unwrap_or(30).clamp(1, 3660));
        let period = Period::new(to - chrono::Duration::days(days), to)?;
        let snapshot = Snapshot::build(&records, period)?;
        let previous = Snapshot::build(&records, period.previous())?;
        let found = findings(&snapshot, Some(&previous), &FindingRules::default());
        let language = request.language.into();
        let narrator = RuleNarrator;
        let answer = match request.question.as_deref().filter(|q| !q.trim().is_empty()) {
            Some(q) => Some(
                kargojet::insights::Narrator::answer(&narrator, &snapshot, &found, q, language)
                    .await
                    .text,
            ),
            None => None,
        };
        Ok(Insights {
            period_from: period.from.to_rfc3339(),
            period_to: period.to.to_rfc3339(),
            shipments: snapshot.totals.shipments,
            summary: narrator.summary_text(&snapshot, &found, language),
            answer,
            findings: found
                .iter()
                .map(|f| InsightFinding::from_domain(f, request.language))
                .collect(),
            snapshot_json: serde_json::to_string(&snapshot)
                .map_err(|e| KargoJetError::internal(format!("snapshot as JSON: {e}")))?,
        })
    }

    /// The facade's clock now (the simulated time on a sandbox), RFC 3339.
    pub fn now(&self) -> String {
        self.clock.now().to_rfc3339()
    }

    fn running_sandbox(&self) -> Result<&Sandbox, KargoJetError> {
        self.sandbox.as_ref().ok_or_else(|| {
            KargoJetError::from(Error::unsupported(
                None,
                "only a sandbox instance has a simulated clock and fault injection",
            ))
        })
    }

    /// Moves the sandbox's simulated clock forward (parcels move through their states).
    pub fn advance_sandbox_clock(&self, seconds: u64) -> Result<(), KargoJetError> {
        self.running_sandbox()?
            .advance(Duration::from_secs(seconds));
        Ok(())
    }

    /// Injects a fault into the next `times` requests of `operation` at a carrier simulator.
    pub fn sandbox_inject_fault(
        &self,
        carrier: &str,
        operation: SandboxOperation,
        fault: &SandboxFault,
        times: u32,
    ) -> Result<(), KargoJetError> {
        sandbox::inject(self.running_sandbox()?, carrier, operation, fault, times)
    }
}
