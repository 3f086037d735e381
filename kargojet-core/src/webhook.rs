//! Webhook signatures: `KargoJet-Signature: t=<unix>,v1=<hex HMAC-SHA256 of "t.body">`.
//!
//! Several secrets may be active at once (rotation): signing uses the newest, verification
//! accepts any. Timestamps outside the tolerance are rejected (replays); comparison is
//! constant-time.

use crate::error::{Code, Error, Result};
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

/// The HTTP header carrying the signature.
pub const SIGNATURE_HEADER: &str = "KargoJet-Signature";

/// The default tolerance between the signature's timestamp and now, in seconds.
pub const DEFAULT_TOLERANCE_SECS: i64 = 300;

type HmacSha256 = Hmac<Sha256>;

fn mac(secret: &[u8], timestamp: i64, body: &[u8]) -> Result<HmacSha256> {
    let mut m = HmacSha256::new_from_slice(secret).map_err(|_| {
        Error::invalid(
            Code::RequestInvalidConfig,
            "webhook.secret",
            "secret cannot be used as an HMAC key",
        )
    })?;
    m.update(timestamp.to_string().as_bytes());
    m.update(b".");
    m.update(body);
    Ok(m)
}

/// The signature header value for `body` at `timestamp` (unix seconds).
pub fn sign(secret: &[u8], timestamp: i64, body: &[u8]) -> Result<String> {
    if secret.is_empty() {
        return Err(Error::invalid(
            Code::RequestInvalidConfig,
            "webhook.secret",
            "secret is empty",
        ));
    }
    let tag = mac(secret, timestamp, body)?.finalize().into_bytes();
    Ok(format!("t={timestamp},v1={}", hex::encode(tag)))
}

/// Verifies a signature header against `body` with any of `secrets`, at `now` (unix seconds),
/// accepting timestamps within `tolerance_secs` of now. Every failure is
/// `webhook.invalid_signature` with the reason.
pub fn verify(
    header: &str,
    body: &[u8],
    secrets: &[&[u8]],
    now: i64,
    tolerance_secs: i64,
) -> Result<()> {
    let bad = |why: &str| {
        Error::invalid(
            Code::WebhookInvalidSignature,
            SIGNATURE_HEADER,
            why.to_string(),
        )
    };
    let mut timestamp: Option<i64> = None;
    let mut candidates: Vec<Vec<u8>> = Vec::new();
    for part in header.split(',') {
        let (k, v) = part
            .trim()
            .split_once('=')
            .ok_or_else(|| bad("malformed header"))?;
        match k {
            "t" => timestamp = Some(v.parse().map_err(|_| bad("timestamp is not a number"))?),
            "v1" => candidates.push(hex::decode(v).map_err(|_| bad("signature is not hex"))?),
            _ => {} // unknown schemes are ignored, as with other providers
        }
    }
    let t = timestamp.ok_or_else(|| bad("no timestamp"))?;
    if candidates.is_empty() {
        return Err(bad("no v1 signature"));
    }
    if (now - t).abs() > tolerance_secs {
        return Err(bad(
            "timestamp outside the tolerance (stale or from the future)",
        ));
    }
    for secret in secrets.iter().filter(|s| !s.is_empty()) {
        for c in &candidates {
            // verify_slice compares in constant time.
            if mac(secret, t, body)?.verify_slice(c).is_ok() {
                return Ok(());
            }
        }
    }
    Err(bad("no active secret matches"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signs_and_verifies_with_rotation_and_tolerance() {
        let body = br#"{"event":"shipment.created"}"#;
        let h = sign(b"new-secret", 1_700_000_000, body).unwrap_or_default();
        assert!(h.starts_with("t=1700000000,v1="));
        assert!(verify(&h, body, &[b"new-secret"], 1_700_000_010, 300).is_ok());
        assert!(verify(&h, body, &[b"old", b"new-secret"], 1_700_000_010, 300).is_ok());
        let old = sign(b"old", 1_700_000_000, body).unwrap_or_default();
        assert!(verify(&old, body, &[b"new-secret", b"old"], 1_700_000_000, 300).is_ok());
        for (hdr, b, now) in [
            (h.as_str(), &b"tampered"[..], 1_700_000_000),
            (h.as_str(), &body[..], 1_700_000_301),
            ("t=abc,v1=00", &body[..], 1_700_000_000),
            ("v1=00", &body[..], 1_700_000_000),
            ("garbage", &body[..], 1_700_000_000),
        ] {
            let e = verify(hdr, b, &[b"new-secret"], now, 300).err();
            assert_eq!(
                e.map(|e| e.code()),
                Some(Code::WebhookInvalidSignature),
                "{hdr}"
            );
        }
        assert!(verify(&h, body, &[b"other"], 1_700_000_000, 300).is_err());
        assert!(sign(b"", 1, body).is_err());
    }
}
