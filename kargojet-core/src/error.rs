//! Errors of the core: one enum grouped by what the caller can do, each error with a stable
//! dotted code, Turkish and English messages, the field path where it applies and, for transport
//! failures, whether the request may have reached the carrier.

use crate::carrier::CarrierId;
use serde::{Deserialize, Serialize};
use std::fmt;

/// Whether a request may have reached the carrier when it failed.
///
/// A `create` that is `MaybeSent` is never retried blindly: it is reconciled by asking the
/// carrier for the merchant reference, or resent where the carrier rejects duplicates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SendState {
    /// The request certainly did not leave this process (e.g. connection refused).
    NotSent,
    /// The request may have been received (e.g. a timeout after the body was written).
    MaybeSent,
    /// The request was received and answered (e.g. an HTTP 5xx answer).
    Sent,
}

macro_rules! codes {
    ($( $(#[$meta:meta])* $variant:ident = $code:literal, tr: $tr:literal, en: $en:literal; )*) => {
        /// A stable error code. Its string form (`request.invalid_address`) crosses every FFI
        /// boundary unchanged; never rename one, only add.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum Code {
            $( $(#[$meta])* $variant, )*
        }

        impl Code {
            /// Every code, in declaration order.
            pub const ALL: &'static [Code] = &[$(Code::$variant,)*];

            /// The stable dotted string form, e.g. `carrier.rejected`.
            pub fn as_str(self) -> &'static str {
                match self { $(Code::$variant => $code,)* }
            }

            /// The Turkish message for this code.
            pub fn message_tr(self) -> &'static str {
                match self { $(Code::$variant => $tr,)* }
            }

            /// The English message for this code.
            pub fn message_en(self) -> &'static str {
                match self { $(Code::$variant => $en,)* }
            }

            /// Parses the dotted string form back into a code.
            pub fn parse(s: &str) -> Option<Code> {
                match s { $($code => Some(Code::$variant),)* _ => None }
            }
        }
    };
}

codes! {
    /// A request field is invalid (generic).
    RequestInvalid = "request.invalid",
        tr: "İstek geçersiz", en: "The request is invalid";
    /// A parcel dimension is zero, negative or beyond the carrier's limit.
    RequestInvalidDimensions = "request.invalid_dimensions",
        tr: "Paket ölçüleri geçersiz", en: "Parcel dimensions are invalid";
    /// A weight is zero, negative or not a number.
    RequestInvalidWeight = "request.invalid_weight",
        tr: "Ağırlık geçersiz", en: "Weight is invalid";
    /// A parcel or shipment exceeds a carrier's weight or desi limit.
    RequestLimitExceeded = "request.limit_exceeded",
        tr: "Gönderi taşıyıcının ağırlık/desi sınırını aşıyor", en: "The shipment exceeds the carrier's weight/desi limit";
    /// An address is incomplete or malformed.
    RequestInvalidAddress = "request.invalid_address",
        tr: "Adres geçersiz", en: "The address is invalid";
    /// A province name or plate code is unknown.
    RequestUnknownProvince = "request.unknown_province",
        tr: "İl bulunamadı", en: "Unknown province";
    /// A district name is unknown within its province.
    RequestUnknownDistrict = "request.unknown_district",
        tr: "İlçe bulunamadı", en: "Unknown district";
    /// A phone number is not a valid Turkish number.
    RequestInvalidPhone = "request.invalid_phone",
        tr: "Telefon numarası geçersiz", en: "The phone number is invalid";
    /// An amount of money is negative, zero where not allowed, or malformed.
    RequestInvalidAmount = "request.invalid_amount",
        tr: "Tutar geçersiz", en: "The amount is invalid";
    /// Two amounts in different currencies were combined.
    RequestCurrencyMismatch = "request.currency_mismatch",
        tr: "Para birimleri uyuşmuyor", en: "Currencies do not match";
    /// A tariff file or table is malformed (overlaps, holes, negative prices, bad columns).
    RequestInvalidTariff = "request.invalid_tariff",
        tr: "Tarife geçersiz", en: "The tariff is invalid";
    /// A carrier id is not registered.
    RequestUnknownCarrier = "request.unknown_carrier",
        tr: "Taşıyıcı bilinmiyor", en: "Unknown carrier";
    /// A selection policy is contradictory or names unknown carriers.
    RequestInvalidPolicy = "request.invalid_policy",
        tr: "Seçim politikası geçersiz", en: "The selection policy is invalid";
    /// The same idempotency key was used with a different request.
    RequestIdempotencyMismatch = "request.idempotency_mismatch",
        tr: "Aynı idempotency anahtarı farklı bir istekle kullanıldı", en: "The idempotency key was already used with a different request";
    /// A configuration value is missing or invalid.
    RequestInvalidConfig = "request.invalid_config",
        tr: "Yapılandırma geçersiz", en: "The configuration is invalid";
    /// The carrier does not offer this operation.
    UnsupportedOperation = "unsupported.operation",
        tr: "Taşıyıcı bu işlemi desteklemiyor", en: "The carrier does not support this operation";
    /// The carrier does not accept cash on delivery, or not this amount.
    UnsupportedCod = "unsupported.cod",
        tr: "Taşıyıcı bu kapıda ödeme tutarını kabul etmiyor", en: "The carrier does not accept this cash-on-delivery amount";
    /// The carrier cannot produce a label in the asked format.
    UnsupportedLabelFormat = "unsupported.label_format",
        tr: "Etiket biçimi desteklenmiyor", en: "The label format is not supported";
    /// The carrier rejected the credentials.
    AuthFailed = "auth.failed",
        tr: "Kimlik doğrulama başarısız", en: "Authentication failed";
    /// A token expired and could not be refreshed.
    AuthExpired = "auth.expired",
        tr: "Oturum süresi doldu", en: "The session token expired";
    /// The carrier asked us to slow down.
    RateLimited = "rate.limited",
        tr: "Taşıyıcı istek sınırına ulaşıldı", en: "The carrier's rate limit was reached";
    /// The carrier answered with a business error (its code travels in `carrier_code`).
    CarrierRejected = "carrier.rejected",
        tr: "Taşıyıcı isteği reddetti", en: "The carrier rejected the request";
    /// The carrier already has a shipment with this merchant key (a resend's expected answer).
    CarrierDuplicate = "carrier.duplicate",
        tr: "Taşıyıcıda bu referansla bir gönderi zaten var", en: "The carrier already has a shipment with this reference";
    /// The carrier did not answer within the deadline.
    TransportTimeout = "transport.timeout",
        tr: "Taşıyıcı zamanında yanıt vermedi", en: "The carrier did not answer in time";
    /// The connection to the carrier failed.
    TransportConnection = "transport.connection",
        tr: "Taşıyıcıya bağlanılamadı", en: "Could not connect to the carrier";
    /// The carrier answered with an unexpected HTTP status.
    TransportHttpStatus = "transport.http_status",
        tr: "Taşıyıcı beklenmeyen bir HTTP durumu döndürdü", en: "The carrier answered with an unexpected HTTP status";
    /// The carrier's answer could not be parsed (the raw body is kept).
    ProtocolMalformed = "protocol.malformed",
        tr: "Taşıyıcı yanıtı çözümlenemedi", en: "The carrier's response could not be parsed";
    /// The shipment is not known.
    NotFoundShipment = "not_found.shipment",
        tr: "Gönderi bulunamadı", en: "Shipment not found";
    /// No tariff is registered for the carrier, zone or desi.
    NotFoundTariff = "not_found.tariff",
        tr: "Uygun tarife bulunamadı", en: "No tariff applies";
    /// No carrier could be asked for a quote, or every offer was excluded.
    QuoteNoOffer = "quote.no_offer",
        tr: "Hiçbir taşıyıcıdan teklif alınamadı", en: "No carrier could give an offer";
    /// The carrier is excluded by the policy's exclusion list.
    PolicyExcluded = "policy.excluded",
        tr: "Taşıyıcı politika ile hariç tutuldu", en: "The carrier is excluded by the policy";
    /// Only preferred carriers are allowed and this one is not among them.
    PolicyNotPreferred = "policy.not_preferred",
        tr: "Taşıyıcı tercih edilenler arasında değil", en: "The carrier is not among the preferred carriers";
    /// Cash on delivery is required and the carrier does not offer it.
    PolicyCodUnavailable = "policy.cod_unavailable",
        tr: "Taşıyıcı kapıda ödeme sunmuyor", en: "The carrier does not offer cash on delivery";
    /// The cash-on-delivery amount is above the carrier's cap.
    PolicyCodAboveCap = "policy.cod_above_cap",
        tr: "Kapıda ödeme tutarı taşıyıcının üst sınırını aşıyor", en: "The cash-on-delivery amount is above the carrier's cap";
    /// The shipment's desi is above the policy's or carrier's maximum.
    PolicyMaxDesi = "policy.max_desi",
        tr: "Desi üst sınırı aşıldı", en: "The desi is above the maximum";
    /// The state of the shipment does not allow the operation (e.g. cancel after pickup).
    ShipmentInvalidState = "shipment.invalid_state",
        tr: "Gönderinin durumu bu işleme izin vermiyor", en: "The shipment's state does not allow this operation";
    /// The carrier may have created the shipment and it could not be confirmed yet: retry later
    /// with the same idempotency key (nothing is created twice).
    ShipmentUnreconciled = "shipment.unreconciled",
        tr: "Gönderinin taşıyıcıda oluşup oluşmadığı henüz doğrulanamadı; aynı anahtarla tekrar deneyin", en: "Could not confirm yet whether the carrier created the shipment; retry with the same key";
    /// Not enough available balance in the wallet.
    WalletInsufficientFunds = "wallet.insufficient_funds",
        tr: "Cüzdan bakiyesi yetersiz", en: "Insufficient wallet balance";
    /// A wallet account (company or platform) is not open.
    WalletUnknownAccount = "wallet.unknown_account",
        tr: "Cüzdan hesabı bulunamadı", en: "Unknown wallet account";
    /// A hold (blocked amount) with this id does not exist.
    WalletHoldNotFound = "wallet.hold_not_found",
        tr: "Bloke kaydı bulunamadı", en: "Hold not found";
    /// A post takes more than the hold has left.
    WalletPostExceedsHold = "wallet.post_exceeds_hold",
        tr: "Çekilen tutar bloke tutarını aşıyor", en: "The posted amount exceeds the hold";
    /// The hold was already voided.
    WalletHoldVoided = "wallet.hold_voided",
        tr: "Bloke zaten çözülmüş", en: "The hold was already voided";
    /// The hold was already posted.
    WalletHoldPosted = "wallet.hold_posted",
        tr: "Bloke zaten tahsil edilmiş", en: "The hold was already posted";
    /// The hold expired and its amount went back.
    WalletHoldExpired = "wallet.hold_expired",
        tr: "Blokenin süresi dolmuş", en: "The hold has expired";
    /// A transfer id was used again with different content.
    WalletTransferConflict = "wallet.transfer_conflict",
        tr: "Aynı işlem numarası farklı içerikle kullanıldı", en: "The transfer id was already used with different content";
    /// A referenced (corrected) transfer does not exist.
    WalletTransferNotFound = "wallet.transfer_not_found",
        tr: "İşlem bulunamadı", en: "Transfer not found";
    /// The movement would take the balance below the company's credit limit.
    WalletCreditLimitExceeded = "wallet.credit_limit_exceeded",
        tr: "Kredi limiti aşılıyor", en: "The credit limit would be exceeded";
    /// A transfer amount is zero or negative.
    WalletNonPositiveAmount = "wallet.non_positive_amount",
        tr: "İşlem tutarı sıfırdan büyük olmalı", en: "The transfer amount must be positive";
    /// A transfer or batch breaks a ledger rule (same account on both sides, a hold not closed in full, …).
    WalletInvalidTransfer = "wallet.invalid_transfer",
        tr: "Cüzdan işlemi geçersiz", en: "The wallet transfer is invalid";
    /// A webhook signature is missing, malformed, stale or wrong.
    WebhookInvalidSignature = "webhook.invalid_signature",
        tr: "Webhook imzası geçersiz", en: "The webhook signature is invalid";
    /// A store (database) failed.
    StoreFailed = "store.failed",
        tr: "Kayıt deposu hatası", en: "The store failed";
    /// A label template is invalid (the field path names what).
    LabelInvalidTemplate = "label.invalid_template",
        tr: "Etiket şablonu geçersiz", en: "The label template is invalid";
    /// A label size name is not one of the known sizes.
    LabelUnknownSize = "label.unknown_size",
        tr: "Etiket boyutu bilinmiyor", en: "Unknown label size";
    /// A logo is not a valid PNG or JPEG image.
    LabelInvalidLogo = "label.invalid_logo",
        tr: "Logo geçerli bir PNG veya JPEG görseli değil", en: "The logo is not a valid PNG or JPEG image";
    /// A barcode payload has characters the symbology cannot carry, or is too long.
    LabelBarcodeUnencodable = "label.barcode_unencodable",
        tr: "Barkod verisi kodlanamıyor", en: "The barcode payload cannot be encoded";
    /// A label's content is invalid (empty list, bad piece number, …).
    LabelInvalidData = "label.invalid_data",
        tr: "Etiket içeriği geçersiz", en: "The label content is invalid";
    /// A PDF to merge could not be read.
    LabelInvalidPdf = "label.invalid_pdf",
        tr: "Birleştirilecek PDF okunamadı", en: "A PDF to merge could not be read";
    /// A bulk upload is neither a readable CSV nor a readable XLSX workbook.
    BulkUnreadableFile = "bulk.unreadable_file",
        tr: "Dosya okunamadı (CSV veya XLSX olmalı)", en: "The file could not be read (it must be CSV or XLSX)";
    /// A bulk upload has no header row or no data row.
    BulkEmptyFile = "bulk.empty_file",
        tr: "Dosyada başlık satırı veya gönderi satırı yok", en: "The file has no header row or no shipment row";
    /// A bulk upload is larger than allowed: too many bytes, rows or columns, or an XLSX
    /// workbook that would expand to too much (a decompression bomb).
    BulkTooLarge = "bulk.too_large",
        tr: "Dosya izin verilenden büyük (boyut, satır veya sütun sınırı aşıldı)", en: "The file is larger than allowed (size, row or column limit exceeded)";
    /// A required column is neither in the header nor in the column mapping.
    BulkMissingColumn = "bulk.missing_column",
        tr: "Zorunlu sütun bulunamadı", en: "A required column is missing";
    /// Several columns match one field; a column mapping must say which one to use.
    BulkAmbiguousColumn = "bulk.ambiguous_column",
        tr: "Birden fazla sütun aynı alana karşılık geliyor", en: "Several columns match the same field";
    /// A saved column mapping names a column the file does not have, or one column twice.
    BulkInvalidMapping = "bulk.invalid_mapping",
        tr: "Sütun eşlemesi bu dosyaya uymuyor", en: "The column mapping does not fit this file";
    /// A required cell of a row is empty.
    BulkMissingValue = "bulk.missing_value",
        tr: "Zorunlu hücre boş", en: "A required cell is empty";
    /// A cell that must hold a number does not.
    BulkInvalidNumber = "bulk.invalid_number",
        tr: "Hücre geçerli bir sayı değil", en: "The cell is not a valid number";
    /// A cell holds a value that is not one of the accepted ones.
    BulkInvalidValue = "bulk.invalid_value",
        tr: "Hücredeki değer kabul edilmiyor", en: "The cell's value is not accepted";
    /// A row's desi disagrees with its dimensions by more than one desi.
    BulkDesiMismatch = "bulk.desi_mismatch",
        tr: "Desi değeri ölçülerle uyuşmuyor", en: "The desi does not match the dimensions";
    /// The same order number appears on an earlier row of the file.
    BulkDuplicateOrder = "bulk.duplicate_order",
        tr: "Aynı sipariş numarası dosyada birden fazla kez var", en: "The same order number appears more than once in the file";
    /// An API request body is not valid JSON (or not the declared content type).
    RequestMalformedBody = "request.malformed_body",
        tr: "İstek gövdesi okunamadı", en: "The request body could not be read";
    /// An API request body names a field that does not exist.
    RequestUnknownField = "request.unknown_field",
        tr: "İstekte tanınmayan bir alan var", en: "The request has an unknown field";
    /// An API request body lacks a required field.
    RequestMissingField = "request.missing_field",
        tr: "İstekte zorunlu bir alan eksik", en: "A required field is missing";
    /// An API request value has the wrong type or is not one of the allowed values.
    RequestInvalidValue = "request.invalid_value",
        tr: "Alanın türü veya değeri geçersiz", en: "A field has the wrong type or an unknown value";
    /// An API request body is larger than the server accepts.
    RequestBodyTooLarge = "request.body_too_large",
        tr: "İstek gövdesi çok büyük", en: "The request body is too large";
    /// An API request has a content type the operation does not accept.
    RequestUnsupportedMediaType = "request.unsupported_media_type",
        tr: "İçerik türü desteklenmiyor", en: "The content type is not supported";
    /// The HTTP method is not allowed on this path.
    RequestMethodNotAllowed = "request.method_not_allowed",
        tr: "Bu adreste bu HTTP yöntemi kullanılamaz", en: "The HTTP method is not allowed here";
    /// The caller is authenticated but its role does not allow the operation.
    AuthForbidden = "auth.forbidden",
        tr: "Bu işlem için yetkiniz yok", en: "Your role does not allow this operation";
    /// An object (other than a shipment) is not known to the caller's company.
    NotFoundResource = "not_found.resource",
        tr: "Kayıt bulunamadı", en: "The resource was not found";
    /// A feature is not enabled on this server (e.g. questions without a configured LLM).
    UnsupportedFeature = "unsupported.feature",
        tr: "Bu özellik bu sunucuda etkin değil", en: "This feature is not enabled on this server";
    /// An internal invariant was broken; please report it.
    Internal = "internal.error",
        tr: "Beklenmeyen iç hata", en: "Unexpected internal error";
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Code {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Code::parse(&s).ok_or_else(|| serde::de::Error::custom(format!("unknown code {s}")))
    }
}

/// Every stable error code as its dotted string, for bindings and documentation.
pub fn error_codes() -> Vec<&'static str> {
    Code::ALL.iter().map(|c| c.as_str()).collect()
}

/// The one error type of the core, grouped by what the caller can do about it.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The caller's input is wrong; fix the named field.
    #[error("{code} at `{field}`: {detail}")]
    InvalidRequest {
        /// Stable code.
        code: Code,
        /// Path of the offending field, e.g. `parcels[1].length_cm`.
        field: String,
        /// What is wrong, with the offending value.
        detail: String,
    },
    /// The operation or option is not offered.
    #[error("{code}: {detail}")]
    Unsupported {
        /// Stable code.
        code: Code,
        /// The carrier that lacks it, if any.
        carrier: Option<CarrierId>,
        /// What is missing.
        detail: String,
    },
    /// Credentials were rejected or expired.
    #[error("{code}: {detail}")]
    Auth {
        /// Stable code.
        code: Code,
        /// The carrier that rejected them.
        carrier: Option<CarrierId>,
        /// Details (never the secret itself).
        detail: String,
    },
    /// The carrier asked us to slow down.
    #[error("{code}: retry after {retry_after_ms:?} ms")]
    RateLimited {
        /// Stable code.
        code: Code,
        /// The carrier.
        carrier: Option<CarrierId>,
        /// How long the carrier asked us to wait, when it said.
        retry_after_ms: Option<u64>,
    },
    /// The carrier answered with a business error.
    #[error("{code}: {carrier} [{carrier_code}] {carrier_message}")]
    CarrierRejected {
        /// Stable code (usually `carrier.rejected`).
        code: Code,
        /// The carrier that rejected.
        carrier: CarrierId,
        /// The carrier's own error code, never promoted to a KargoJet code.
        carrier_code: String,
        /// The carrier's own message.
        carrier_message: String,
    },
    /// The carrier did not answer in time.
    #[error("{code}: {detail} ({send_state:?})")]
    Timeout {
        /// Stable code.
        code: Code,
        /// The carrier.
        carrier: Option<CarrierId>,
        /// Whether the request may have been received.
        send_state: SendState,
        /// Which operation timed out and after how long.
        detail: String,
    },
    /// The connection failed or the carrier answered with an unexpected HTTP status.
    #[error("{code}: {detail} ({send_state:?})")]
    Transport {
        /// Stable code.
        code: Code,
        /// The carrier.
        carrier: Option<CarrierId>,
        /// Whether the request may have been received.
        send_state: SendState,
        /// HTTP status if there was an answer.
        http_status: Option<u16>,
        /// What failed.
        detail: String,
    },
    /// The carrier's answer could not be understood. The raw body is kept.
    #[error("{code}: {detail}")]
    Protocol {
        /// Stable code.
        code: Code,
        /// The carrier.
        carrier: Option<CarrierId>,
        /// What could not be parsed.
        detail: String,
        /// The raw body exactly as received (lossily decoded if not UTF-8).
        raw: String,
    },
    /// An object is not known.
    #[error("{code}: {detail}")]
    NotFound {
        /// Stable code.
        code: Code,
        /// Which object.
        detail: String,
    },
    /// The request conflicts with the current state (idempotency, shipment state, replays).
    #[error("{code}: {detail}")]
    Conflict {
        /// Stable code.
        code: Code,
        /// What conflicts.
        detail: String,
    },
    /// Not enough money in the wallet.
    #[error("{code}: {detail}")]
    InsufficientFunds {
        /// Stable code.
        code: Code,
        /// Needed and available amounts.
        detail: String,
    },
    /// A bug or a failing store.
    #[error("{code}: {detail}")]
    Internal {
        /// Stable code.
        code: Code,
        /// What broke.
        detail: String,
    },
}

/// Result with the core error.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// An invalid-request error for `field`.
    pub fn invalid(code: Code, field: impl Into<String>, detail: impl Into<String>) -> Self {
        Error::InvalidRequest {
            code,
            field: field.into(),
            detail: detail.into(),
        }
    }

    /// An internal error.
    pub fn internal(detail: impl Into<String>) -> Self {
        Error::Internal {
            code: Code::Internal,
            detail: detail.into(),
        }
    }

    /// A conflict error.
    pub fn conflict(code: Code, detail: impl Into<String>) -> Self {
        Error::Conflict {
            code,
            detail: detail.into(),
        }
    }

    /// A not-found error.
    pub fn not_found(code: Code, detail: impl Into<String>) -> Self {
        Error::NotFound {
            code,
            detail: detail.into(),
        }
    }

    /// An unsupported-operation error for a carrier.
    pub fn unsupported(carrier: Option<CarrierId>, detail: impl Into<String>) -> Self {
        Error::Unsupported {
            code: Code::UnsupportedOperation,
            carrier,
            detail: detail.into(),
        }
    }

    /// A carrier business rejection.
    pub fn rejected(
        carrier: CarrierId,
        carrier_code: impl Into<String>,
        carrier_message: impl Into<String>,
    ) -> Self {
        Error::CarrierRejected {
            code: Code::CarrierRejected,
            carrier,
            carrier_code: carrier_code.into(),
            carrier_message: carrier_message.into(),
        }
    }

    /// A protocol error keeping the raw body.
    pub fn protocol(
        carrier: Option<CarrierId>,
        detail: impl Into<String>,
        raw: impl Into<String>,
    ) -> Self {
        Error::Protocol {
            code: Code::ProtocolMalformed,
            carrier,
            detail: detail.into(),
            raw: raw.into(),
        }
    }

    /// The stable code.
    pub fn code(&self) -> Code {
        match self {
            Error::InvalidRequest { code, .. }
            | Error::Unsupported { code, .. }
            | Error::Auth { code, .. }
            | Error::RateLimited { code, .. }
            | Error::CarrierRejected { code, .. }
            | Error::Timeout { code, .. }
            | Error::Transport { code, .. }
            | Error::Protocol { code, .. }
            | Error::NotFound { code, .. }
            | Error::Conflict { code, .. }
            | Error::InsufficientFunds { code, .. }
            | Error::Internal { code, .. } => *code,
        }
    }

    /// The field path, for invalid requests.
    pub fn field(&self) -> Option<&str> {
        match self {
            Error::InvalidRequest { field, .. } => Some(field),
            _ => None,
        }
    }

    /// The carrier involved, if any.
    pub fn carrier(&self) -> Option<&CarrierId> {
        match self {
            Error::Unsupported { carrier, .. }
            | Error::Auth { carrier, .. }
            | Error::RateLimited { carrier, .. }
            | Error::Timeout { carrier, .. }
            | Error::Transport { carrier, .. }
            | Error::Protocol { carrier, .. } => carrier.as_ref(),
            Error::CarrierRejected { carrier, .. } => Some(carrier),
            _ => None,
        }
    }

    /// The carrier's own error code, for carrier rejections.
    pub fn carrier_code(&self) -> Option<&str> {
        match self {
            Error::CarrierRejected { carrier_code, .. } => Some(carrier_code),
            _ => None,
        }
    }

    /// Whether the request may have reached the carrier. `None` for errors that are not about
    /// sending (invalid input, rejections are `Sent`).
    pub fn send_state(&self) -> Option<SendState> {
        match self {
            Error::Timeout { send_state, .. } | Error::Transport { send_state, .. } => {
                Some(*send_state)
            }
            Error::CarrierRejected { .. } | Error::Protocol { .. } | Error::RateLimited { .. } => {
                Some(SendState::Sent)
            }
            Error::InvalidRequest { .. } | Error::Unsupported { .. } => Some(SendState::NotSent),
            _ => None,
        }
    }

    /// True when the request may have been received and its effect is unknown.
    pub fn is_maybe_sent(&self) -> bool {
        match self {
            Error::Timeout { send_state, .. } | Error::Transport { send_state, .. } => {
                *send_state != SendState::NotSent
            }
            Error::Protocol { .. } => true,
            _ => false,
        }
    }

    /// Whether the same call may succeed if repeated (for safe operations).
    pub fn is_retryable(&self) -> bool {
        matches!(
            self,
            Error::Timeout { .. } | Error::Transport { .. } | Error::RateLimited { .. }
        )
    }

    /// The raw carrier body, for protocol errors.
    pub fn raw(&self) -> Option<&str> {
        match self {
            Error::Protocol { raw, .. } => Some(raw),
            _ => None,
        }
    }

    fn detail(&self) -> String {
        match self {
            Error::InvalidRequest { detail, field, .. } => format!("{field}: {detail}"),
            Error::Unsupported { detail, .. }
            | Error::Auth { detail, .. }
            | Error::Timeout { detail, .. }
            | Error::Transport { detail, .. }
            | Error::Protocol { detail, .. }
            | Error::NotFound { detail, .. }
            | Error::Conflict { detail, .. }
            | Error::InsufficientFunds { detail, .. }
            | Error::Internal { detail, .. } => detail.clone(),
            Error::RateLimited { retry_after_ms, .. } => match retry_after_ms {
                Some(ms) => format!("{ms} ms"),
                None => String::new(),
            },
            Error::CarrierRejected {
                carrier,
                carrier_code,
                carrier_message,
                ..
            } => {
                format!("{carrier} [{carrier_code}] {carrier_message}")
            }
        }
    }

    /// The message in Turkish: the code's message and the details.
    pub fn message_tr(&self) -> String {
        join_message(self.code().message_tr(), &self.detail())
    }

    /// The message in English: the code's message and the details.
    pub fn message_en(&self) -> String {
        join_message(self.code().message_en(), &self.detail())
    }
}

fn join_message(base: &str, detail: &str) -> String {
    if detail.is_empty() {
        base.to_string()
    } else {
        format!("{base} — {detail}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn every_code_has_both_messages_and_a_unique_dotted_name() {
        let mut seen = HashSet::new();
        for code in Code::ALL {
            assert!(
                !code.message_tr().trim().is_empty(),
                "{code} has no Turkish message"
            );
            assert!(
                !code.message_en().trim().is_empty(),
                "{code} has no English message"
            );
            assert_ne!(
                code.message_tr(),
                code.message_en(),
                "{code} is not translated"
            );
            assert!(code.as_str().contains('.'), "{code} is not dotted");
            assert!(seen.insert(code.as_str()), "{code} is duplicated");
            assert_eq!(Code::parse(code.as_str()), Some(*code));
        }
        assert_eq!(error_codes().len(), Code::ALL.len());
    }

    #[test]
    fn messages_carry_field_and_detail() {
        let e = Error::invalid(
            Code::RequestInvalidPhone,
            "recipient.phone",
            "'123' is too short",
        );
        assert_eq!(e.code().as_str(), "request.invalid_phone");
        assert_eq!(e.field(), Some("recipient.phone"));
        assert!(e.message_tr().starts_with("Telefon numarası geçersiz"));
        assert!(e.message_en().contains("recipient.phone"));
        assert_eq!(e.send_state(), Some(SendState::NotSent));
    }

    #[test]
    fn timeouts_after_sending_are_maybe_sent_and_retryable() {
        let e = Error::Timeout {
            code: Code::TransportTimeout,
            carrier: Some(CarrierId::Yurtici),
            send_state: SendState::MaybeSent,
            detail: "create after 10 s".into(),
        };
        assert!(e.is_maybe_sent());
        assert!(e.is_retryable());
        assert_eq!(e.carrier(), Some(&CarrierId::Yurtici));
    }
}
