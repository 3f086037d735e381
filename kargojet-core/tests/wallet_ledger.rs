//! Ledger rules: holds, posts, voids, expiry, credit limits, replays and bad input.
#![allow(clippy::unwrap_used)]

mod wallet_support;

use kargojet_core::wallet::{
    AccountKey, Applied, Batch, CompanyAccount, HoldState, LedgerStore, LineKind, Link,
    PlatformAccount, PostLeg, ReleaseReason, ShipmentKey, Transfer, TransferId, TransferKind,
    Wallet,
};
use kargojet_core::{Code, Error, Money};
use rust_decimal_macros::dec;
use std::time::Duration;
use wallet_support::*;

fn id(s: &str) -> TransferId {
    TransferId::new(s)
}

fn link() -> Link {
    Link::Shipment(ShipmentKey::new("acme", "o-1"))
}

async fn env_with(amount: rust_decimal::Decimal) -> Env {
    let env = Env::new(vec![agreement()]);
    env.wallet.open_company("acme", tl(dec!(0))).await.unwrap();
    env.wallet
        .top_up(&id("top"), "acme", tl(amount), "EFT-1")
        .await
        .unwrap();
    env
}

fn leg(to: PlatformAccount, amount: rust_decimal::Decimal) -> PostLeg {
    PostLeg {
        to: AccountKey::Platform(to),
        amount: tl(amount),
        line: LineKind::Freight,
    }
}

#[tokio::test]
async fn a_partial_post_returns_the_rest_and_closes_the_hold() {
    let env = env_with(dec!(100)).await;
    env.wallet
        .hold(
            &id("h1"),
            "acme",
            tl(dec!(40)),
            LineKind::FreightHold,
            link(),
            None,
        )
        .await
        .unwrap();
    let b = env.wallet.balances("acme").await.unwrap();
    assert_eq!((b.available, b.blocked), (tl(dec!(60)), tl(dec!(40))));
    env.wallet
        .post(
            &id("p1"),
            &id("h1"),
            &[
                leg(PlatformAccount::CarrierPayable, dec!(25)),
                leg(PlatformAccount::KdvPayable, dec!(5)),
            ],
        )
        .await
        .unwrap();
    let b = env.wallet.balances("acme").await.unwrap();
    assert_eq!((b.available, b.blocked), (tl(dec!(70)), tl(dec!(0))));
    let h = env.wallet.load_hold(&id("h1")).await.unwrap();
    assert_eq!((h.state, h.posted), (HoldState::Posted, tl(dec!(30))));
    // Replaying the post is a no-op; posting again under another id is refused.
    assert_eq!(
        env.wallet
            .post(
                &id("p1"),
                &id("h1"),
                &[
                    leg(PlatformAccount::CarrierPayable, dec!(25)),
                    leg(PlatformAccount::KdvPayable, dec!(5))
                ]
            )
            .await
            .unwrap(),
        Applied::Replayed
    );
    let e = env
        .wallet
        .post(
            &id("p2"),
            &id("h1"),
            &[leg(PlatformAccount::CarrierPayable, dec!(1))],
        )
        .await
        .unwrap_err();
    assert_eq!(e.code(), Code::WalletHoldPosted);
    assert_eq!(env.sum_of_balances().await, dec!(0));
}

#[tokio::test]
async fn posting_more_than_held_or_a_voided_hold_is_refused() {
    let env = env_with(dec!(100)).await;
    env.wallet
        .hold(
            &id("h1"),
            "acme",
            tl(dec!(40)),
            LineKind::FreightHold,
            link(),
            None,
        )
        .await
        .unwrap();
    let e = env
        .wallet
        .post(
            &id("p1"),
            &id("h1"),
            &[leg(PlatformAccount::CarrierPayable, dec!(40.01))],
        )
        .await
        .unwrap_err();
    assert_eq!(e.code(), Code::WalletPostExceedsHold);
    assert!(
        e.message_tr()
            .starts_with("Çekilen tutar bloke tutarını aşıyor")
    );
    assert!(
        e.message_en()
            .starts_with("The posted amount exceeds the hold")
    );
    env.wallet.void(&id("v1"), &id("h1")).await.unwrap();
    assert_eq!(
        env.wallet.void(&id("v1"), &id("h1")).await.unwrap(),
        Applied::Replayed
    );
    let e = env
        .wallet
        .post(
            &id("p1"),
            &id("h1"),
            &[leg(PlatformAccount::CarrierPayable, dec!(10))],
        )
        .await
        .unwrap_err();
    assert_eq!(e.code(), Code::WalletHoldVoided);
    let e = env.wallet.void(&id("v2"), &id("nope")).await.unwrap_err();
    assert_eq!(e.code(), Code::WalletHoldNotFound);
    assert_eq!(
        env.wallet.balances("acme").await.unwrap().available,
        tl(dec!(100))
    );
}

#[tokio::test]
async fn holds_expire_through_the_clock() {
    let env = env_with(dec!(100)).await;
    env.wallet
        .hold(
            &id("h1"),
            "acme",
            tl(dec!(70)),
            LineKind::FreightHold,
            link(),
            Some(Duration::from_secs(600)),
        )
        .await
        .unwrap();
    env.clock.advance(Duration::from_secs(599));
    assert_eq!(env.wallet.expire_due().await.unwrap(), 0);
    // Not enough available now (30 < 50)…
    let e = env
        .wallet
        .hold(
            &id("h2"),
            "acme",
            tl(dec!(50)),
            LineKind::FreightHold,
            link(),
            None,
        )
        .await
        .unwrap_err();
    assert_eq!(e.code(), Code::WalletInsufficientFunds);
    env.clock.advance(Duration::from_secs(1));
    // …but at expiry time the due hold is swept and the same hold succeeds.
    env.wallet
        .hold(
            &id("h2"),
            "acme",
            tl(dec!(50)),
            LineKind::FreightHold,
            link(),
            None,
        )
        .await
        .unwrap();
    assert_eq!(
        env.wallet.load_hold(&id("h1")).await.unwrap().state,
        HoldState::Expired
    );
    let e = env
        .wallet
        .post(
            &id("p"),
            &id("h1"),
            &[leg(PlatformAccount::CarrierPayable, dec!(1))],
        )
        .await
        .unwrap_err();
    assert_eq!(e.code(), Code::WalletHoldExpired);
    let b = env.wallet.balances("acme").await.unwrap();
    assert_eq!((b.available, b.blocked), (tl(dec!(50)), tl(dec!(50))));
}

#[tokio::test]
async fn an_early_expiry_is_refused_by_the_ledger() {
    let env = env_with(dec!(100)).await;
    env.wallet
        .hold(
            &id("h1"),
            "acme",
            tl(dec!(70)),
            LineKind::FreightHold,
            link(),
            Some(Duration::from_secs(600)),
        )
        .await
        .unwrap();
    let h = env.wallet.load_hold(&id("h1")).await.unwrap();
    let t = Transfer::new(
        id("h1/expire"),
        h.held_in.clone(),
        h.source.clone(),
        h.amount,
        TransferKind::Release {
            hold: h.id.clone(),
            reason: ReleaseReason::Expiry,
        },
        LineKind::HoldRelease,
        link(),
    );
    assert_eq!(
        env.wallet
            .apply(Batch::of(vec![t]))
            .await
            .unwrap_err()
            .code(),
        Code::WalletInvalidTransfer
    );
}

#[tokio::test]
async fn the_credit_limit_is_a_floor() {
    let env = env_with(dec!(10)).await;
    env.wallet
        .set_credit_limit("acme", tl(dec!(50)))
        .await
        .unwrap();
    env.wallet
        .hold(
            &id("h1"),
            "acme",
            tl(dec!(60)),
            LineKind::FreightHold,
            link(),
            None,
        )
        .await
        .unwrap();
    assert_eq!(
        env.wallet.balances("acme").await.unwrap().available,
        tl(dec!(-50))
    );
    let e = env
        .wallet
        .hold(
            &id("h2"),
            "acme",
            tl(dec!(0.01)),
            LineKind::FreightHold,
            link(),
            None,
        )
        .await
        .unwrap_err();
    assert_eq!(e.code(), Code::WalletCreditLimitExceeded);
    assert!(matches!(e, Error::InsufficientFunds { .. }));
    assert_eq!(
        env.wallet
            .set_credit_limit("acme", tl(dec!(-1)))
            .await
            .unwrap_err()
            .code(),
        Code::RequestInvalidAmount
    );
}

#[tokio::test]
async fn replays_are_no_ops_and_other_content_under_an_id_is_refused() {
    let env = env_with(dec!(100)).await;
    assert_eq!(
        env.wallet
            .top_up(&id("top"), "acme", tl(dec!(100)), "EFT-1")
            .await
            .unwrap(),
        Applied::Replayed
    );
    env.clock.advance(Duration::from_secs(3600));
    assert_eq!(
        env.wallet
            .top_up(&id("top"), "acme", tl(dec!(100)), "EFT-1")
            .await
            .unwrap(),
        Applied::Replayed
    );
    let e = env
        .wallet
        .top_up(&id("top"), "acme", tl(dec!(101)), "EFT-1")
        .await
        .unwrap_err();
    assert_eq!(e.code(), Code::WalletTransferConflict);
    assert!(matches!(e, Error::Conflict { .. }));
    assert_eq!(
        env.wallet.balances("acme").await.unwrap().available,
        tl(dec!(100))
    );
}

#[tokio::test]
async fn bad_input_gets_typed_errors_and_no_partial_batch_is_applied() {
    let env = env_with(dec!(100)).await;
    let single = |tid: &str, from: AccountKey, to: AccountKey, amount: Money| {
        Transfer::new(
            id(tid),
            from,
            to,
            amount,
            TransferKind::Single,
            LineKind::TopUp,
            Link::TopUp("r".into()),
        )
    };
    let cash = AccountKey::Platform(PlatformAccount::Cash);
    for (amount, code) in [
        (dec!(0), Code::WalletNonPositiveAmount),
        (dec!(-5), Code::WalletNonPositiveAmount),
    ] {
        let e = env
            .wallet
            .top_up(&id("bad"), "acme", tl(amount), "EFT-2")
            .await
            .unwrap_err();
        assert_eq!(e.code(), code);
        assert_eq!(e.field(), Some("transfers[0].amount"));
    }
    let e = env
        .wallet
        .top_up(&id("bad"), "ghost", tl(dec!(5)), "EFT-2")
        .await
        .unwrap_err();
    assert_eq!(e.code(), Code::WalletUnknownAccount);
    assert!(e.message_tr().starts_with("Cüzdan hesabı bulunamadı"));
    let e = env
        .wallet
        .apply(Batch::of(vec![single(
            "same",
            cash.clone(),
            cash.clone(),
            tl(dec!(1)),
        )]))
        .await
        .unwrap_err();
    assert_eq!(e.code(), Code::WalletInvalidTransfer);
    // Second transfer overdraws: the first (valid) one must not be applied either.
    let batch = Batch::of(vec![
        single(
            "b1",
            cash.clone(),
            AccountKey::available("acme"),
            tl(dec!(5)),
        ),
        single(
            "b2",
            AccountKey::available("acme"),
            AccountKey::Platform(PlatformAccount::CarrierPayable),
            tl(dec!(500)),
        ),
    ]);
    assert_eq!(
        env.wallet.apply(batch).await.unwrap_err().code(),
        Code::WalletInsufficientFunds
    );
    assert!(env.store.transfer(&id("b1")).await.unwrap().is_none());
    assert_eq!(
        env.wallet.balances("acme").await.unwrap().available,
        tl(dec!(100))
    );
    // A batch that exists only in part is a conflict, not a half-replay.
    env.wallet
        .apply(Batch::of(vec![single(
            "c1",
            cash.clone(),
            AccountKey::available("acme"),
            tl(dec!(1)),
        )]))
        .await
        .unwrap();
    let e = env
        .wallet
        .apply(Batch::of(vec![
            single(
                "c1",
                cash.clone(),
                AccountKey::available("acme"),
                tl(dec!(1)),
            ),
            single(
                "c2",
                cash.clone(),
                AccountKey::available("acme"),
                tl(dec!(1)),
            ),
        ]))
        .await
        .unwrap_err();
    assert_eq!(e.code(), Code::WalletTransferConflict);
    // A hold must close in full in one batch.
    env.wallet
        .hold(
            &id("h"),
            "acme",
            tl(dec!(10)),
            LineKind::FreightHold,
            link(),
            None,
        )
        .await
        .unwrap();
    let h = env.wallet.load_hold(&id("h")).await.unwrap();
    let half = Transfer::new(
        id("half"),
        h.held_in.clone(),
        cash.clone(),
        tl(dec!(5)),
        TransferKind::Post { hold: h.id.clone() },
        LineKind::Freight,
        link(),
    );
    assert_eq!(
        env.wallet
            .apply(Batch::of(vec![half]))
            .await
            .unwrap_err()
            .code(),
        Code::WalletInvalidTransfer
    );
    // Unrounded amounts are rounded to the kuruş at each transfer.
    env.wallet
        .top_up(&id("r"), "acme", tl(dec!(0.005)), "EFT-3")
        .await
        .unwrap();
    assert_eq!(
        env.store.transfer(&id("r")).await.unwrap().unwrap().amount,
        tl(dec!(0.01))
    );
    assert_eq!(env.sum_of_balances().await, dec!(0));
}

#[tokio::test]
async fn corrections_reference_the_transfer_they_correct() {
    let env = env_with(dec!(100)).await;
    env.wallet
        .correct(&id("fix-1"), &id("top"), Some(tl(dec!(30))))
        .await
        .unwrap();
    let fix = env.store.transfer(&id("fix-1")).await.unwrap().unwrap();
    assert_eq!(fix.corrects, Some(id("top")));
    assert_eq!(fix.debit, AccountKey::available("acme"));
    assert_eq!(
        env.wallet.balances("acme").await.unwrap().available,
        tl(dec!(70))
    );
    assert_eq!(
        env.wallet
            .correct(&id("fix-2"), &id("nope"), None)
            .await
            .unwrap_err()
            .code(),
        Code::WalletTransferNotFound
    );
    assert_eq!(
        env.wallet
            .correct(&id("fix-3"), &id("top"), Some(tl(dec!(101))))
            .await
            .unwrap_err()
            .code(),
        Code::RequestInvalidAmount
    );
    // The original is unchanged.
    assert_eq!(
        env.store
            .transfer(&id("top"))
            .await
            .unwrap()
            .unwrap()
            .amount,
        tl(dec!(100))
    );
}

#[tokio::test]
async fn statements_cover_a_period_with_opening_balances() {
    let env = env_with(dec!(100)).await;
    env.clock.advance(Duration::from_secs(86_400));
    let mid = env.clock.now_utc();
    env.wallet
        .top_up(&id("top-2"), "acme", tl(dec!(50.5)), "EFT-2")
        .await
        .unwrap();
    let st = env
        .wallet
        .statement("acme", mid, mid + chrono::Duration::days(1))
        .await
        .unwrap();
    assert_eq!(
        st.opening.get(&CompanyAccount::Available),
        Some(&tl(dec!(100)))
    );
    assert_eq!(st.lines.len(), 1);
    assert_eq!(st.lines[0].balance, tl(dec!(150.5)));
    let csv = st.to_csv(Default::default()).unwrap();
    assert!(
        csv.starts_with(
            "Tarih,İşlem No,Hesap,İşlem,Gönderi,Yükleme Referansı,Tutar,Bakiye,Düzeltilen İşlem\n"
        ),
        "{csv}"
    );
    assert!(csv.contains(",50.50,150.50,"), "{csv}");
    let semi = st
        .to_csv(kargojet_core::wallet::CsvOptions {
            decimal_comma: true,
        })
        .unwrap();
    assert!(semi.contains(";50,50;150,50;"), "{semi}");
    assert_eq!(
        env.wallet
            .statement("ghost", mid, mid)
            .await
            .unwrap_err()
            .code(),
        Code::WalletUnknownAccount
    );
    let _ = Wallet::new; // the constructor is the public entry point
}

#[tokio::test]
async fn out_of_range_input_is_an_error_not_a_panic() {
    let env = env_with(dec!(100)).await;
    let huge = Money::try_lira(rust_decimal::Decimal::MAX);
    let e = env
        .wallet
        .top_up(&id("big"), "acme", huge, "EFT-9")
        .await
        .unwrap_err();
    assert_eq!(e.code(), Code::RequestInvalidAmount);
    let max = Money::try_lira(kargojet_core::wallet::MAX_TRANSFER);
    env.wallet
        .top_up(&id("max-1"), "acme", max, "EFT-9")
        .await
        .unwrap();
    env.wallet
        .top_up(&id("max-2"), "acme", max, "EFT-9")
        .await
        .unwrap();
    let e = env
        .wallet
        .hold(
            &id("h"),
            "acme",
            tl(dec!(1)),
            LineKind::FreightHold,
            link(),
            Some(Duration::from_secs(u64::MAX)),
        )
        .await
        .unwrap_err();
    assert_eq!(e.code(), Code::WalletInvalidTransfer);
    assert_eq!(e.field(), Some("transfers[0].kind.timeout_secs"));
    let e = env.wallet.set_credit_limit("acme", huge).await.unwrap_err();
    assert_eq!(e.code(), Code::RequestInvalidAmount);
    assert_eq!(env.sum_of_balances().await, dec!(0));
}
