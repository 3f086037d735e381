//! Kolay Gelsin's push notifications: the carrier POSTs one JSON body per event to a URL the
//! merchant registers with it, authenticated either with HTTP Basic auth (a user name and
//! password the merchant chooses) or, for a "No Auth" endpoint, with a fixed hash value the
//! merchant chooses, sent in a request header. Pushes come from `95.0.169.14`
//! ([`is_kolay_gelsin_source`]).
//!
//! [`receive`] is what a server calls with the raw headers and body: it authenticates the push
//! (constant-time comparison), parses it and returns normalized [`PushedEvent`]s, each with a
//! stable [`PushedEvent::event_id`] so a re-delivered push is recognised.
//!
//! ```
//! use kargojet_kolaygelsin::webhook::{receive, WebhookAuth, WebhookConfig};
//! let cfg = WebhookConfig { auth: WebhookAuth::hash("s3cr3t-hash"), customer_id: Some(29) };
//! let body = br#"{"CargoEventType": "29", "ShipmentId": "884213", "ShipmentItemId": "1553021",
//!   "CustomerBarcode": "KJ2400000601", "CustomerId": "29", "TimeStamp": "2024-03-13T12:05:00+03:00"}"#;
//! let events = receive(&cfg, &[("X-KolayGelsin-Hash", "s3cr3t-hash")], body).expect("authentic");
//! assert_eq!(events[0].event.status.map(|s| s.id()), Some("delivered"));
//! assert!(receive(&cfg, &[("X-KolayGelsin-Hash", "guess")], body).is_err());
//! ```

use crate::map;
use crate::status;
use crate::wire::{self, Scalar};
use base64::Engine;
use kargojet_core::carrier::CarrierId;
use kargojet_core::error::{Code, Error, Result};
use kargojet_core::shipment::MerchantKey;
use kargojet_core::tracking::TrackingEvent;
use std::fmt;
use std::net::{IpAddr, Ipv4Addr};
use subtle::ConstantTimeEq;

/// The address Kolay Gelsin pushes from (the merchant's server must allow it).
pub const SOURCE_IP: IpAddr = IpAddr::V4(Ipv4Addr::new(95, 0, 169, 14));

/// The header carrying the hash value of a "No Auth" endpoint. The carrier's document does not
/// name the header (the name is agreed at onboarding): this default is KargoJet's choice and
/// [`WebhookAuth::Hash`] takes any name.
pub const DEFAULT_HASH_HEADER: &str = "X-KolayGelsin-Hash";

/// How pushes are authenticated (agreed with Kolay Gelsin at onboarding).
#[derive(Clone, PartialEq, Eq)]
pub enum WebhookAuth {
    /// `Authorization: Basic base64(username:password)`.
    Basic {
        /// The user name given to Kolay Gelsin.
        username: String,
        /// The password given to Kolay Gelsin.
        password: String,
    },
    /// A fixed value in a request header.
    Hash {
        /// The header name.
        header: String,
        /// The value given to Kolay Gelsin.
        value: String,
    },
}

impl fmt::Debug for WebhookAuth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WebhookAuth::Basic { username, .. } => f
                .debug_struct("Basic")
                .field("username", username)
                .field("password", &"***")
                .finish(),
            WebhookAuth::Hash { header, .. } => f
                .debug_struct("Hash")
                .field("header", header)
                .field("value", &"***")
                .finish(),
        }
    }
}

fn bad(field: &str, why: &str) -> Error {
    Error::invalid(Code::WebhookInvalidSignature, field, why)
}

fn find<'a, K: AsRef<str>, V: AsRef<str>>(headers: &'a [(K, V)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(k, _)| k.as_ref().trim().eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_ref().trim())
}

fn same(a: &[u8], b: &[u8]) -> bool {
    bool::from(a.ct_eq(b))
}

impl WebhookAuth {
    /// A hash value in [`DEFAULT_HASH_HEADER`].
    pub fn hash(value: impl Into<String>) -> WebhookAuth {
        WebhookAuth::Hash {
            header: DEFAULT_HASH_HEADER.into(),
            value: value.into(),
        }
    }

    /// Checks the secrets are usable (non-empty; no `:` in a Basic user name; a header name of
    /// token characters).
    pub fn validate(&self) -> Result<()> {
        let cfg = |field: &str, why: &str| Error::invalid(Code::RequestInvalidConfig, field, why);
        match self {
            WebhookAuth::Basic { username, password } => {
                if username.is_empty() || username.contains(':') {
                    return Err(cfg("webhook.username", "must be non-empty without ':'"));
                }
                if password.is_empty() {
                    return Err(cfg("webhook.password", "must not be empty"));
                }
            }
            WebhookAuth::Hash { header, value } => {
                let token = !header.is_empty()
                    && header
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b"-_".contains(&b));
                if !token {
                    return Err(cfg(
                        "webhook.header",
                        "must be a header name (letters, digits, '-', '_')",
                    ));
                }
                if value.trim().is_empty() {
                    return Err(cfg("webhook.value", "must not be empty"));
                }
            }
        }
        Ok(())
    }

    /// The header a sender adds to a push (the simulator uses it).
    pub fn header(&self) -> (String, String) {
        match self {
            WebhookAuth::Basic { username, password } => {
                let b64 = base64::engine::general_purpose::STANDARD
                    .encode(format!("{username}:{password}"));
                ("Authorization".into(), format!("Basic {b64}"))
            }
            WebhookAuth::Hash { header, value } => (header.clone(), value.clone()),
        }
    }

    /// Checks a push's headers, comparing secrets in constant time. Every failure is
    /// `webhook.invalid_signature` naming the header.
    pub fn check<K: AsRef<str>, V: AsRef<str>>(&self, headers: &[(K, V)]) -> Result<()> {
        match self {
            WebhookAuth::Basic { username, password } => {
                let v = find(headers, "authorization")
                    .ok_or_else(|| bad("Authorization", "missing"))?;
                let (scheme, cred) = v
                    .split_once(' ')
                    .ok_or_else(|| bad("Authorization", "not Basic credentials"))?;
                if !scheme.eq_ignore_ascii_case("basic") {
                    return Err(bad("Authorization", "not Basic credentials"));
                }
                let given = base64::engine::general_purpose::STANDARD
                    .decode(cred.trim().as_bytes())
                    .map_err(|_| bad("Authorization", "credentials are not base64"))?;
                let expected = format!("{username}:{password}");
                if same(&given, expected.as_bytes()) {
                    Ok(())
                } else {
                    Err(bad("Authorization", "user name or password does not match"))
                }
            }
            WebhookAuth::Hash { header, value } => {
                let v = find(headers, header).ok_or_else(|| bad(header, "missing"))?;
                if same(v.as_bytes(), value.trim().as_bytes()) {
                    Ok(())
                } else {
                    Err(bad(header, "hash value does not match"))
                }
            }
        }
    }
}

/// What the receiving side knows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebhookConfig {
    /// How pushes are authenticated.
    pub auth: WebhookAuth,
    /// The merchant's `CustomerId`: a push naming another customer is refused (none: not
    /// checked).
    pub customer_id: Option<i64>,
}

/// One pushed event, normalized, with the references to find its shipment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PushedEvent {
    /// Stable id of the event: the same event pushed twice has the same id
    /// (`kolay_gelsin:<ShipmentId>:<ShipmentItemId>:<CargoEventType>:<unix ms>`).
    pub event_id: String,
    /// The parcel's `CustomerBarcode`: the merchant key for the first parcel (`-2`, `-3` …
    /// for the others).
    pub customer_barcode: Option<String>,
    /// Kolay Gelsin's shipment number.
    pub shipment_id: Option<String>,
    /// Kolay Gelsin's parcel id.
    pub shipment_item_id: Option<String>,
    /// The merchant order key.
    pub customer_specific_code: Option<String>,
    /// The merchant's parcel tracking id.
    pub customer_tracking_id: Option<String>,
    /// The return leg's shipment number, when the event names one.
    pub return_shipment_id: Option<String>,
    /// `(DocumentId, DocumentType)` of a proof document, for `GetDocumentForHistory`.
    pub document: Option<(String, i64)>,
    /// The event, normalized exactly as the same event is when polled.
    pub event: TrackingEvent,
}

impl PushedEvent {
    /// The merchant key this event belongs to, when the barcode is the first parcel's.
    pub fn merchant_key(&self) -> Option<MerchantKey> {
        self.customer_barcode.clone().map(MerchantKey)
    }
}

/// The stable id of an event.
pub fn event_id(
    shipment_id: Option<&str>,
    item_id: Option<&str>,
    code: &str,
    time: chrono::DateTime<chrono::FixedOffset>,
) -> String {
    format!(
        "kolay_gelsin:{}:{}:{}:{}",
        shipment_id.unwrap_or("-"),
        item_id.unwrap_or("-"),
        code.trim(),
        time.timestamp_millis()
    )
}

/// True when `ip` is Kolay Gelsin's push address (IPv4-mapped IPv6 too).
pub fn is_kolay_gelsin_source(ip: IpAddr) -> bool {
    ip.to_canonical() == SOURCE_IP
}

fn text(s: &Option<Scalar>) -> Option<String> {
    s.as_ref()
        .filter(|v| !v.is_blank())
        .map(|v| v.text().into_owned())
}

fn str_text(s: &Option<String>) -> Option<String> {
    s.as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(String::from)
}

fn pushed(
    e: &wire::WebhookEvent,
    ids: (
        Option<String>,
        Option<String>,
        Option<String>,
        Option<String>,
    ),
    raw: &str,
) -> Result<PushedEvent> {
    let (shipment_id, item_id, barcode, specific) = ids;
    let code = text(&e.cargo_event_type).ok_or_else(|| {
        Error::protocol(
            Some(CarrierId::KolayGelsin),
            "push has no CargoEventType",
            raw,
        )
    })?;
    let time = map::event_time(e.time_stamp.as_deref(), raw)?;
    let detail = e.event_detail_model.as_ref();
    let mut event = map::event_of(&code, time, e.location_name.as_deref(), detail, None, false);
    let leg = detail.and_then(|d| text(&d.return_shipment_id));
    // A push carries no history: a 31 without a return leg cannot tell a cancellation (before
    // pickup) from a return (after): its status is left to the history.
    if status::event(&code).is_some_and(|k| k.code == status::STOPPED_BY_SENDER) && leg.is_none() {
        event.status = None;
    }
    let document = str_text(&e.document_id).and_then(|id| {
        let t = e
            .document_type
            .as_ref()
            .and_then(Scalar::as_i64)
            .filter(|t| *t > 0)?;
        Some((id, t))
    });
    Ok(PushedEvent {
        event_id: event_id(shipment_id.as_deref(), item_id.as_deref(), &code, time),
        customer_barcode: barcode,
        shipment_id,
        shipment_item_id: item_id,
        customer_specific_code: specific,
        customer_tracking_id: text(&e.customer_tracking_id),
        return_shipment_id: leg,
        document,
        event,
    })
}

fn from_event(e: &wire::WebhookEvent, raw: &str) -> Result<PushedEvent> {
    pushed(
        e,
        (
            text(&e.shipment_id),
            text(&e.shipment_item_id),
            text(&e.customer_barcode),
            text(&e.customer_specific_code),
        ),
        raw,
    )
}

fn bad_body(detail: String, raw: &str) -> Error {
    Error::protocol(Some(CarrierId::KolayGelsin), detail, raw)
}

/// Parses a push body (no authentication): the documented single event object, an array of
/// them, or an array of parcels with `CargoEventLogModelList` (the shape of the carrier's
/// webhook schema). Anything else is `protocol.malformed` with the raw body.
pub fn parse(body: &[u8]) -> Result<Vec<PushedEvent>> {
    let raw = map::text_of(body)?;
    let value: serde_json::Value =
        serde_json::from_str(raw).map_err(|e| bad_body(format!("push is not JSON: {e}"), raw))?;
    let items = match value {
        serde_json::Value::Object(_) => vec![value],
        serde_json::Value::Array(v) => v,
        _ => {
            return Err(bad_body(
                "push is neither an object nor an array".into(),
                raw,
            ));
        }
    };
    let mut out = Vec::new();
    for item in items {
        let is_model = item.get("CargoEventLogModelList").is_some();
        if is_model {
            let m: wire::ShipmentModel = serde_json::from_value(item)
                .map_err(|e| bad_body(format!("unexpected parcel in push: {e}"), raw))?;
            let ids = (
                text(&m.shipment_id),
                text(&m.shipment_item_id),
                str_text(&m.customer_barcode),
                str_text(&m.customer_specific_code),
            );
            for log in m.cargo_event_log_model_list.unwrap_or_default() {
                let e = wire::WebhookEvent {
                    time_stamp: log.time_stamp,
                    cargo_event_type: log.cargo_event_type,
                    latitude: log.latitude,
                    longitude: log.longitude,
                    location_name: log.location_name,
                    number_plate: log.number_plate,
                    courier_name: log.courier_name,
                    document_type: log.document_type,
                    document_id: log.document_id,
                    event_detail_model: log.event_detail_model,
                    customer_tracking_id: m.customer_tracking_id.as_deref().map(Scalar::from),
                    ..Default::default()
                };
                out.push(pushed(&e, ids.clone(), raw)?);
            }
        } else {
            let e: wire::WebhookEvent = serde_json::from_value(item)
                .map_err(|e| bad_body(format!("unexpected event in push: {e}"), raw))?;
            out.push(from_event(&e, raw)?);
        }
    }
    Ok(out)
}

/// Authenticates a push (`headers` as received, any case) and parses it into normalized
/// events; a push naming another `CustomerId` than `cfg.customer_id` is refused.
pub fn receive<K: AsRef<str>, V: AsRef<str>>(
    cfg: &WebhookConfig,
    headers: &[(K, V)],
    body: &[u8],
) -> Result<Vec<PushedEvent>> {
    cfg.auth.check(headers)?;
    let events = parse(body)?;
    if let Some(expected) = cfg.customer_id {
        let raw: serde_json::Value = serde_json::from_slice(body).unwrap_or_default();
        let ids: Vec<&serde_json::Value> = match &raw {
            serde_json::Value::Array(v) => v.iter().filter_map(|i| i.get("CustomerId")).collect(),
            v => v.get("CustomerId").into_iter().collect(),
        };
        for id in ids {
            let n = match id {
                serde_json::Value::Number(n) => n.as_i64(),
                serde_json::Value::String(s) if s.trim().is_empty() => continue,
                serde_json::Value::String(s) => s.trim().parse().ok(),
                serde_json::Value::Null => continue,
                _ => None,
            };
            if n != Some(expected) {
                return Err(Error::invalid(
                    Code::RequestInvalid,
                    "CustomerId",
                    format!("push for customer {id}, this account is {expected}"),
                ));
            }
        }
    }
    Ok(events)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use kargojet_core::tracking::ShipmentStatus;

    const BODY: &[u8] = br#"{"CargoEventType": "12", "ShipmentId": "884213", "ShipmentItemId": "1553021",
        "CustomerBarcode": "KJ2400000601", "CustomerId": "20", "LocationName": "TUZLA TM", "DocumentId": "",
        "DocumentType": "0", "TimeStamp": "2024-03-12T16:40:00.000+03:00", "EventDetailModel": {"DeliveredPersonName": ""}}"#;

    #[test]
    fn basic_and_hash_auth_are_checked() {
        let basic = WebhookAuth::Basic {
            username: "kg".into(),
            password: "p@ss".into(),
        };
        let (h, v) = basic.header();
        assert_eq!(h, "Authorization");
        assert!(basic.check(&[("authorization", v.as_str())]).is_ok());
        for headers in [
            vec![],
            vec![("Authorization", "Basic a2c6d3Jvbmc=")],
            vec![("Authorization", "Bearer x")],
            vec![("Authorization", "Basic !!")],
        ] {
            let e = basic.check(&headers).unwrap_err();
            assert_eq!(e.code(), Code::WebhookInvalidSignature);
        }
        let hash = WebhookAuth::hash("h-123");
        assert!(hash.check(&[("x-kolaygelsin-hash", " h-123 ")]).is_ok());
        assert_eq!(
            hash.check(&[("X-KolayGelsin-Hash", "h-124")])
                .unwrap_err()
                .field(),
            Some("X-KolayGelsin-Hash")
        );
        assert!(!format!("{hash:?}{basic:?}").contains("h-123"));
        assert!(!format!("{basic:?}").contains("p@ss"));
        assert!(basic.validate().is_ok() && hash.validate().is_ok());
        assert!(WebhookAuth::hash(" ").validate().is_err());
        assert!(
            WebhookAuth::Basic {
                username: "a:b".into(),
                password: "x".into()
            }
            .validate()
            .is_err()
        );
    }

    #[test]
    fn pushes_parse_into_stable_events() {
        let cfg = WebhookConfig {
            auth: WebhookAuth::hash("h"),
            customer_id: Some(20),
        };
        let a = receive(&cfg, &[(DEFAULT_HASH_HEADER, "h")], BODY).unwrap();
        let b = receive(&cfg, &[(DEFAULT_HASH_HEADER, "h")], BODY).unwrap();
        assert_eq!(a, b);
        assert_eq!(
            a[0].event_id,
            "kolay_gelsin:884213:1553021:12:1710250800000"
        );
        assert_eq!(a[0].event.status, Some(ShipmentStatus::PickedUp));
        assert_eq!(
            a[0].merchant_key(),
            Some(MerchantKey("KJ2400000601".into()))
        );
        assert_eq!(a[0].document, None);
        let other = WebhookConfig {
            customer_id: Some(21),
            ..cfg.clone()
        };
        assert_eq!(
            receive(&other, &[(DEFAULT_HASH_HEADER, "h")], BODY)
                .unwrap_err()
                .field(),
            Some("CustomerId")
        );
        assert_eq!(
            receive(&cfg, &[(DEFAULT_HASH_HEADER, "h")], b"{oops")
                .unwrap_err()
                .raw(),
            Some("{oops")
        );
        assert!(parse(b"42").is_err());
        assert!(
            parse(br#"{"CargoEventType": "1"}"#).is_err(),
            "no TimeStamp"
        );
        assert!(parse(br#"{"TimeStamp": "2024-03-12T16:40:00+03:00"}"#).is_err());
        let stop = parse(br#"{"CargoEventType": "31", "TimeStamp": "2024-03-12T16:40:00+03:00"}"#)
            .unwrap();
        assert_eq!(stop[0].event.status, None);
        let leg = parse(br#"{"CargoEventType": "31", "TimeStamp": "2024-03-12T16:40:00+03:00", "EventDetailModel": {"ReturnShipmentId": "9"}}"#).unwrap();
        assert_eq!(leg[0].event.status, Some(ShipmentStatus::Returning));
        assert_eq!(leg[0].return_shipment_id.as_deref(), Some("9"));
        assert!(is_kolay_gelsin_source("95.0.169.14".parse().unwrap()));
        assert!(is_kolay_gelsin_source(
            "::ffff:95.0.169.14".parse().unwrap()
        ));
        assert!(!is_kolay_gelsin_source("127.0.0.1".parse().unwrap()));
    }
}
