//! Connector configuration with Yurtiçi's real credential shapes: one web-service user per
//! payment type (the payment type is bound to the user, never sent in the request).

use kargojet_carrier_common::http::HttpConfig;
use kargojet_core::carrier::AccountId;
use kargojet_core::shipment::{CodPayment, ShipmentRequest};
use kargojet_core::time::{SharedClock, SystemClock};
use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

/// One `wsUserName` / `wsPassword` pair.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    /// `wsUserName`.
    pub user_name: String,
    /// `wsPassword`.
    pub password: String,
}

impl Credentials {
    /// A user and its password.
    pub fn new(user_name: impl Into<String>, password: impl Into<String>) -> Credentials {
        Credentials {
            user_name: user_name.into(),
            password: password.into(),
        }
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Credentials({}, ***)", self.user_name)
    }
}

/// The payment types Yurtiçi binds to separate users.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PaymentType {
    /// Gönderici ödemeli: the sender pays the freight.
    SenderPays,
    /// Alıcı ödemeli: the receiver pays the freight (not used by KargoJet's flow today).
    ReceiverPays,
    /// Tahsilatlı nakit: COD collected in cash.
    CodCash,
    /// Tahsilatlı kredi kartı: COD collected by card.
    CodCard,
}

impl PaymentType {
    /// The payment type a shipment needs.
    pub fn of(shipment: &ShipmentRequest) -> PaymentType {
        match shipment.cod.map(|c| c.payment) {
            None => PaymentType::SenderPays,
            Some(CodPayment::Cash) => PaymentType::CodCash,
            Some(CodPayment::Card) => PaymentType::CodCard,
        }
    }

    /// Config name (`sender_pays`, `cod_cash`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            PaymentType::SenderPays => "sender_pays",
            PaymentType::ReceiverPays => "receiver_pays",
            PaymentType::CodCash => "cod_cash",
            PaymentType::CodCard => "cod_card",
        }
    }
}

/// The users of one Yurtiçi customer account, one per payment type it has a contract for.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Users {
    /// Sender-pays user (also used for queries, cancels and return codes).
    pub sender_pays: Option<Credentials>,
    /// Receiver-pays user.
    pub receiver_pays: Option<Credentials>,
    /// COD-cash user.
    pub cod_cash: Option<Credentials>,
    /// COD-card user.
    pub cod_card: Option<Credentials>,
}

impl Users {
    /// The user for a payment type.
    pub fn for_payment(&self, p: PaymentType) -> Option<&Credentials> {
        match p {
            PaymentType::SenderPays => self.sender_pays.as_ref(),
            PaymentType::ReceiverPays => self.receiver_pays.as_ref(),
            PaymentType::CodCash => self.cod_cash.as_ref(),
            PaymentType::CodCard => self.cod_card.as_ref(),
        }
    }

    /// Every configured user with its payment type, sender-pays first.
    pub fn all(&self) -> Vec<(PaymentType, &Credentials)> {
        [
            PaymentType::SenderPays,
            PaymentType::CodCash,
            PaymentType::CodCard,
            PaymentType::ReceiverPays,
        ]
        .into_iter()
        .filter_map(|p| self.for_payment(p).map(|c| (p, c)))
        .collect()
    }
}

/// `TR` or `EN`: sent as `userLanguage` (create, cancel) or `wsLanguage` (query, return codes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Language {
    /// Turkish.
    #[default]
    Tr,
    /// English.
    En,
}

impl Language {
    /// Wire value.
    pub fn as_str(self) -> &'static str {
        match self {
            Language::Tr => "TR",
            Language::En => "EN",
        }
    }
}

/// Options of the create mapping.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreateOptions {
    /// Language of the carrier's messages.
    pub language: Language,
    /// Send declared `desi` / `kg` (only if the contract allows; off by default).
    pub send_measurements: bool,
    /// COD invoice on a separate document (`ttDocumentSaveType` 1) instead of the same (0).
    pub separate_cod_invoice: bool,
    /// Card COD: installment count (`dcSelectedCredit`).
    pub card_installments: u32,
    /// Card COD: allow a single payment (`dcCreditRule` 1) instead of letting the customer
    /// choose (0).
    pub card_allow_single_payment: bool,
}

impl Default for CreateOptions {
    fn default() -> Self {
        CreateOptions {
            language: Language::Tr,
            send_measurements: false,
            separate_cod_invoice: false,
            card_installments: 1,
            card_allow_single_payment: true,
        }
    }
}

/// Waits until a point on the connector's clock. Production sleeps; a simulated clock moves
/// itself forward (see `sim::ManualSleeper`).
#[async_trait::async_trait]
pub trait Sleeper: Send + Sync + fmt::Debug {
    /// Waits for `d` on the connector's clock.
    async fn sleep(&self, d: Duration);
}

/// Sleeps on the tokio timer.
#[derive(Debug, Default, Clone, Copy)]
pub struct TokioSleeper;

#[async_trait::async_trait]
impl Sleeper for TokioSleeper {
    async fn sleep(&self, d: Duration) {
        tokio::time::sleep(d).await;
    }
}

/// The connector's configuration.
#[derive(Debug, Clone)]
pub struct YurticiConfig {
    /// Endpoint of `ShippingOrderDispatcherServices` (test, production or a simulator).
    pub endpoint: String,
    /// Users by KargoJet account (the platform's, and sellers' own contracts).
    pub accounts: BTreeMap<AccountId, Users>,
    /// Create mapping options.
    pub create: CreateOptions,
    /// `fieldName` for return codes: 16 in production, 53 (or 3) on the test service.
    pub return_field_name: String,
    /// How many days a return code stays valid.
    pub return_code_valid_days: u32,
    /// Timeout of one create/cancel call.
    pub write_timeout: Duration,
    /// Timeout of one query call.
    pub read_timeout: Duration,
    /// Shortest interval between identical `queryShipment` calls (the service blocks faster
    /// repeats; about a minute).
    pub min_query_interval: Duration,
    /// The clock (dates of return codes, the query interval).
    pub clock: SharedClock,
    /// How the connector waits on that clock.
    pub sleeper: Arc<dyn Sleeper>,
    /// HTTP client settings (retries and backoff for queries; creates are never retried).
    pub http: HttpConfig,
}

impl YurticiConfig {
    /// A configuration for `endpoint` with the platform account's users, production defaults
    /// otherwise.
    pub fn new(endpoint: impl Into<String>, platform_users: Users) -> YurticiConfig {
        let mut accounts = BTreeMap::new();
        accounts.insert(AccountId::platform(), platform_users);
        YurticiConfig {
            endpoint: endpoint.into(),
            accounts,
            create: CreateOptions::default(),
            return_field_name: "16".into(),
            return_code_valid_days: 14,
            write_timeout: Duration::from_secs(20),
            read_timeout: Duration::from_secs(15),
            min_query_interval: Duration::from_secs(60),
            clock: Arc::new(SystemClock),
            sleeper: Arc::new(TokioSleeper),
            http: HttpConfig::default(),
        }
    }

    /// The carrier's published test service with its published sender-pays test user
    /// (`YKTEST` / `YK`) and the test `fieldName` 53.
    pub fn test_service() -> YurticiConfig {
        let users = Users {
            sender_pays: Some(Credentials::new("YKTEST", "YK")),
            ..Users::default()
        };
        let mut c = YurticiConfig::new(crate::wire::TEST_URL, users);
        c.return_field_name = "53".into();
        c
    }

    /// Adds (or replaces) the users of an account.
    pub fn with_account(mut self, account: AccountId, users: Users) -> YurticiConfig {
        self.accounts.insert(account, users);
        self
    }
}
