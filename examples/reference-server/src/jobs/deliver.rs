//! One delivery attempt of an event to a subscription: the stored body, signed with every
//! active secret of the subscription (`KargoJet-Signature: t=<unix>,v1=<hex>,v1=<hex>` —
//! kargojet-core's `webhook::sign`, one `v1` per secret), POSTed with a deadline. A 2xx answer
//! delivers it; anything else (other status, timeout, connection failure) is retried with
//! full-jitter exponential backoff until `webhook_max_attempts`, then dead-lettered.

use super::{Outcome, Worker, after, backoff};
use crate::crypto::KeyRing;
use crate::store::jobs::{AttemptResult, DeliveryState, Job, SigningSecret, SubscriptionRecord};
use chrono::{DateTime, Utc};
use kargojet::webhook::{self, SIGNATURE_HEADER};

/// The associated data binding a subscription's sealed secrets to its row.
pub fn secrets_aad(id: &str, company: &str) -> Vec<u8> {
    format!("webhook|{id}|{company}").into_bytes()
}

/// Decrypts a subscription's secrets.
pub fn open_secrets(
    keys: &KeyRing,
    sub: &SubscriptionRecord,
) -> kargojet::Result<Vec<SigningSecret>> {
    let plain = keys.open(&sub.sealed, &secrets_aad(&sub.id, &sub.company))?;
    serde_json::from_slice(&plain)
        .map_err(|e| kargojet::Error::internal(format!("stored webhook secrets do not parse: {e}")))
}

/// The secrets that sign at `now`: the current one and those whose grace period runs.
pub fn active(secrets: &[SigningSecret], now: DateTime<Utc>) -> Vec<&SigningSecret> {
    secrets
        .iter()
        .filter(|s| s.expires_at.is_none_or(|e| e > now))
        .collect()
}

/// The signature header for `body` at `timestamp` with every secret of `secrets`.
pub fn signature(
    secrets: &[&SigningSecret],
    timestamp: i64,
    body: &[u8],
) -> kargojet::Result<String> {
    let mut header = format!("t={timestamp}");
    for s in secrets {
        let one = webhook::sign(s.secret.as_bytes(), timestamp, body)?;
        // `t=<ts>,v1=<hex>`: keep the v1 part.
        if let Some((_, v1)) = one.split_once(',') {
            header.push(',');
            header.push_str(v1);
        }
    }
    Ok(header)
}

fn short(e: &reqwest::Error) -> String {
    if e.is_timeout() {
        "timeout".into()
    } else if e.is_connect() {
        "connection failed".into()
    } else {
        "request failed".into()
    }
}

/// Runs one `webhook.deliver` job.
pub async fn run(w: &Worker, job: &Job) -> Outcome {
    match attempt(w, job).await {
        Ok(o) => o,
        Err(e) => {
            // The store failed: the attempt is not recorded; try the job again.
            let cfg = &w.state().config.jobs;
            if job.attempts >= job.max_attempts {
                Outcome::Dead(e.code().to_string())
            } else {
                Outcome::Retry {
                    error: e.code().to_string(),
                    at: after(Utc::now(), backoff(cfg, job.attempts)),
                }
            }
        }
    }
}

async fn attempt(w: &Worker, job: &Job) -> kargojet::Result<Outcome> {
    let state = w.state();
    let db = &state.db;
    let Some(delivery_id) = job.payload["delivery_id"].as_str() else {
        return Ok(Outcome::Dead("payload without delivery_id".into()));
    };
    let Some(delivery) = db.outbox.delivery(delivery_id).await? else {
        return Ok(Outcome::Dead("no such delivery".into()));
    };
    if delivery.state != DeliveryState::Pending {
        return Ok(Outcome::Done);
    }
    let Some(sub) = db
        .outbox
        .subscription(&delivery.company, &delivery.subscription_id)
        .await?
    else {
        return Ok(Outcome::Done);
    };
    let Some(event) = db.outbox.event(&delivery.event_id).await? else {
        return Ok(Outcome::Dead("no such event".into()));
    };
    let secrets = open_secrets(state.engine.keys(), &sub)?;
    let now = Utc::now();
    let header = signature(
        &active(&secrets, now),
        now.timestamp(),
        event.body.as_bytes(),
    )?;
    let sent = w
        .http
        .post(&sub.url)
        .header(reqwest::header::CONTENT_TYPE, "application/json")
        .header(SIGNATURE_HEADER, header)
        .header("KargoJet-Event-Id", &event.id)
        .header("KargoJet-Event-Type", &event.event_type)
        .header("KargoJet-Delivery-Id", &delivery.id)
        .body(event.body.clone())
        .send()
        .await;
    let (status, error) = match sent {
        Ok(r) if r.status().is_success() => (Some(r.status().as_u16()), None),
        Ok(r) => (
            Some(r.status().as_u16()),
            Some(format!("receiver answered {}", r.status().as_u16())),
        ),
        Err(e) => (None, Some(short(&e))),
    };
    let cfg = &state.config.jobs;
    let at = Utc::now();
    let Some(error) = error else {
        db.outbox
            .record_attempt(
                &delivery.id,
                &AttemptResult {
                    state: DeliveryState::Delivered,
                    status,
                    error: None,
                    next_attempt_at: None,
                    at,
                },
            )
            .await?;
        return Ok(Outcome::Done);
    };
    if job.attempts >= job.max_attempts {
        db.outbox
            .record_attempt(
                &delivery.id,
                &AttemptResult {
                    state: DeliveryState::Dead,
                    status,
                    error: Some(error.clone()),
                    next_attempt_at: None,
                    at,
                },
            )
            .await?;
        tracing::warn!(delivery = %delivery.id, event = %event.id, attempts = job.attempts, "webhook delivery dead-lettered");
        return Ok(Outcome::Dead(error));
    }
    let next = after(at, backoff(cfg, job.attempts));
    db.outbox
        .record_attempt(
            &delivery.id,
            &AttemptResult {
                state: DeliveryState::Pending,
                status,
                error: Some(error.clone()),
                next_attempt_at: Some(next),
                at,
            },
        )
        .await?;
    Ok(Outcome::Retry { error, at: next })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secret(s: &str, expires_at: Option<DateTime<Utc>>) -> SigningSecret {
        SigningSecret {
            secret: s.into(),
            created_at: DateTime::UNIX_EPOCH,
            expires_at,
        }
    }

    #[test]
    fn every_active_secret_signs_and_each_verifies_alone() {
        let now = DateTime::UNIX_EPOCH + chrono::Duration::days(1);
        let all = [
            secret("whsec_new", None),
            secret("whsec_old", Some(now + chrono::Duration::hours(1))),
            secret("whsec_gone", Some(now - chrono::Duration::hours(1))),
        ];
        let act = active(&all, now);
        assert_eq!(act.len(), 2);
        let body = br#"{"id":"evt_1"}"#;
        let h = signature(&act, now.timestamp(), body).unwrap_or_default();
        assert_eq!(h.matches("v1=").count(), 2);
        let t = now.timestamp();
        assert!(webhook::verify(&h, body, &[b"whsec_new"], t, 300).is_ok());
        assert!(webhook::verify(&h, body, &[b"whsec_old"], t, 300).is_ok());
        assert!(webhook::verify(&h, body, &[b"whsec_gone"], t, 300).is_err());
        assert!(webhook::verify(&h, body, &[b"whsec_new"], t + 301, 300).is_err());
    }
}
