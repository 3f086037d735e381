//! The library wired for this server: one [`Orchestrator`] over the SQL stores, the sandbox
//! connectors, the platform agreements and every seller's own carrier accounts, paying through
//! the [`Wallet`] on the SQL ledger. Changing a carrier account rebuilds the orchestrator
//! (requests in flight keep the one they started with).

use crate::carriers;
use crate::crypto::KeyRing;
use crate::error::ServerError;
use crate::sandbox::SandboxRuntime;
use crate::store::{CarrierAccountRecord, Database};
use kargojet::carrier::{AccountId, CarrierId};
use kargojet::money::Money;
use kargojet::orchestrator::Orchestrator;
use kargojet::pricing::{self, Agreement, CodFee, Fees, Tariff, TransitTable};
use kargojet::time::SharedClock;
use kargojet::wallet::{FundingConfig, Wallet, WalletFunding};
use std::collections::BTreeMap;
use std::sync::{Arc, RwLock};

/// How many of the highest used numbers of a range are read (invalid ones among them, such as a
/// 13-digit key with a wrong check digit, are skipped; the highest valid one counts).
const ISSUED_LOOKUP: u32 = 64;

/// The orchestrator, the wallet and what they are built from.
pub struct Engine {
    current: RwLock<Arc<Orchestrator>>,
    /// The wallet.
    pub wallet: Wallet,
    funding: Arc<WalletFunding>,
    platform: Vec<Arc<Agreement>>,
    transit: TransitTable,
    db: Database,
    sandbox: Arc<SandboxRuntime>,
    keys: KeyRing,
    clock: SharedClock,
    rebuild: tokio::sync::Mutex<()>,
    ptt_barcodes: carriers::PttBarcodes,
}

impl std::fmt::Debug for Engine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Engine").finish_non_exhaustive()
    }
}

/// The associated data that binds a carrier account's ciphertext to its row.
pub fn credentials_aad(rec: &CarrierAccountRecord) -> Vec<u8> {
    format!("{}|{}|{}|{}", rec.id, rec.company, rec.carrier, rec.name).into_bytes()
}

/// The agreement id of a seller's own account.
pub fn own_agreement_id(company: &str, carrier: &str, name: &str) -> String {
    format!("own:{company}:{carrier}:{name}")
}

/// Parses a contract tariff for `carrier` (TOML, see `Tariff::from_toml`).
pub fn parse_tariff(carrier: &CarrierId, toml: &str) -> kargojet::Result<Tariff> {
    let t = Tariff::from_toml(toml).map_err(|e| match e {
        kargojet::Error::InvalidRequest {
            code,
            field,
            detail,
        } => kargojet::Error::InvalidRequest {
            code,
            field: format!("tariff.{field}").replace("tariff.tariff", "tariff"),
            detail,
        },
        other => other,
    })?;
    if t.carrier() != carrier {
        return Err(kargojet::Error::invalid(
            kargojet::Code::RequestInvalidTariff,
            "tariff.carrier",
            format!(
                "the tariff is for {}, the account for {carrier}",
                t.carrier()
            ),
        ));
    }
    Ok(t)
}

impl Engine {
    /// Builds the engine on `db` and the running `sandbox`.
    pub async fn start(
        db: Database,
        sandbox: Arc<SandboxRuntime>,
        keys: KeyRing,
    ) -> Result<Engine, kargojet::Error> {
        let clock: SharedClock = Arc::new(sandbox.clock().clone());
        let wallet = Wallet::new(db.ledger.clone(), clock.clone());
        let platform: Vec<Arc<Agreement>> = pricing::illustrative_platform_agreements()?
            .into_iter()
            .map(Arc::new)
            .collect();
        let funding = Arc::new(WalletFunding::with_shared(
            wallet.clone(),
            platform.clone(),
            FundingConfig::default(),
        ));
        let transit = pricing::transit_days()?;
        let first = Self::build(&db, &sandbox, &platform, &transit, &funding, &clock, &[])?;
        let engine = Engine {
            current: RwLock::new(Arc::new(first)),
            wallet,
            funding,
            platform,
            transit,
            db,
            sandbox,
            keys,
            clock,
            rebuild: tokio::sync::Mutex::new(()),
            ptt_barcodes: carriers::PttBarcodes::new(),
        };
        engine.reload_accounts().await?;
        Ok(engine)
    }

    /// The current orchestrator.
    pub fn orchestrator(&self) -> Arc<Orchestrator> {
        self.current
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// The funding hook (for COD and desi operations).
    pub fn funding(&self) -> &WalletFunding {
        &self.funding
    }

    /// The clock the library runs on.
    pub fn clock(&self) -> &SharedClock {
        &self.clock
    }

    /// Opens an account's credentials.
    pub fn open_credentials(
        &self,
        rec: &CarrierAccountRecord,
    ) -> Result<BTreeMap<String, String>, kargojet::Error> {
        let plain = self.keys.open(&rec.sealed, &credentials_aad(rec))?;
        serde_json::from_slice(&plain).map_err(|_| {
            ServerError::Internal("stored credentials are not a JSON object".into()).into()
        })
    }

    /// The credential key ring.
    pub fn keys(&self) -> &KeyRing {
        &self.keys
    }

    /// The running simulators.
    pub fn sandbox(&self) -> &SandboxRuntime {
        &self.sandbox
    }

    /// Rebuilds the orchestrator with every stored carrier account.
    pub async fn reload_accounts(&self) -> Result<(), kargojet::Error> {
        let _one = self.rebuild.lock().await;
        let accounts = self.db.carrier_accounts.all().await?;
        let mut own = Vec::with_capacity(accounts.len());
        for rec in &accounts {
            match self.own_account(rec).await {
                Ok(o) => own.push(o),
                // The database failed (reading the barcodes a PTT account used): keep the
                // current orchestrator rather than drop the account from it.
                Err(e) if e.code() == kargojet::Code::StoreFailed => return Err(e),
                // A broken row must not take every other company down with it.
                Err(e) => {
                    tracing::error!(account = %rec.id, company = %rec.company, code = %e.code(), "carrier account skipped")
                }
            }
        }
        let built = Self::build(
            &self.db,
            &self.sandbox,
            &self.platform,
            &self.transit,
            &self.funding,
            &self.clock,
            &own,
        )?;
        *self.current.write().unwrap_or_else(|p| p.into_inner()) = Arc::new(built);
        Ok(())
    }

    /// The connector and agreement of one stored account. A PTT account's connector continues
    /// after the highest barcode of its range this server already used (stored shipments of
    /// every company, attempts in flight), read once per account and range in this process.
    pub async fn own_account(
        &self,
        rec: &CarrierAccountRecord,
    ) -> Result<OwnAccount, kargojet::Error> {
        let carrier = CarrierId::parse(&rec.carrier);
        let creds = self.open_credentials(rec)?;
        let account = AccountId::seller(&rec.company, &rec.name);
        let issued = self.issued_numbers(&carrier, &account, &creds).await?;
        let connector = carriers::connector_for(
            &self.sandbox,
            &carrier,
            &account,
            &creds,
            &self.ptt_barcodes,
            &issued,
        )?;
        let tariff = parse_tariff(&carrier, &rec.tariff)?;
        let mut fees = Fees::default();
        if let Some(c) = &rec.cod_fee {
            fees.cod = Some(CodFee::Percent {
                percent: c.percent,
                min: Money::try_lira(c.min),
            });
            fees.cod_max = c.max_cod.map(Money::try_lira);
        }
        let agreement = Agreement::own(&rec.company, &rec.name, Arc::new(tariff))
            .id(own_agreement_id(&rec.company, &rec.carrier, &rec.name))
            .fees(fees)
            .build()?;
        Ok(OwnAccount {
            connector,
            account,
            agreement: Arc::new(agreement),
        })
    }

    /// The numbers a connector that draws them itself must not offer again: for a PTT account
    /// without an allocator yet, the barcodes of its range already used (credentials that do
    /// not name a valid range are left to the connector's checks).
    async fn issued_numbers(
        &self,
        carrier: &CarrierId,
        account: &AccountId,
        creds: &BTreeMap<String, String>,
    ) -> Result<Vec<String>, kargojet::Error> {
        if *carrier != CarrierId::Ptt {
            return Ok(Vec::new());
        }
        let Ok(range) = carriers::ptt_barcode_range(creds) else {
            return Ok(Vec::new());
        };
        if self.ptt_barcodes.has(account, range) {
            return Ok(Vec::new());
        }
        let (low, high) = carriers::ptt_bounds(range)?;
        self.db
            .shipment_query
            .used_merchant_keys(carrier.as_str(), &low, &high, ISSUED_LOOKUP)
            .await
    }

    #[allow(clippy::too_many_arguments)]
    fn build(
        db: &Database,
        sandbox: &SandboxRuntime,
        platform: &[Arc<Agreement>],
        transit: &TransitTable,
        funding: &Arc<WalletFunding>,
        clock: &SharedClock,
        own: &[OwnAccount],
    ) -> Result<Orchestrator, kargojet::Error> {
        let mut b = Orchestrator::builder()
            .transit(transit.clone())
            .clock(clock.clone())
            .funding(Arc::new(crate::jobs::events::EventingFunding::new(
                funding.clone(),
            )))
            .shipment_store(db.shipments.clone())
            .idempotency_store(db.idempotency.clone());
        for c in sandbox.connectors() {
            b = b.carrier(c.clone(), AccountId::platform());
        }
        for a in platform {
            b = b.shared_agreement(a.clone());
        }
        for o in own {
            b = b
                .carrier(o.connector.clone(), o.account.clone())
                .shared_agreement(o.agreement.clone());
        }
        b.build()
    }
}

/// A seller's own account, ready to register.
#[derive(Clone)]
pub struct OwnAccount {
    /// The connector with the seller's credentials.
    pub connector: Arc<dyn kargojet::carrier::Carrier>,
    /// Its account id.
    pub account: AccountId,
    /// The seller's agreement.
    pub agreement: Arc<Agreement>,
}
