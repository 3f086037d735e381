//! Property tests over random sequences of top-ups, ships (reserve + capture or release),
//! measurements, deliveries with COD, cancels, payouts, raw holds/posts/voids, expiries and
//! replays. After every step: all balances sum to zero, no available balance is below its
//! limit, blocked equals the pending holds, every post is within its hold, and a failed step
//! or a replay changed nothing.
#![allow(clippy::unwrap_used)]

mod wallet_support;

use kargojet_core::orchestrator::{Funding, FundingContext};
use kargojet_core::shipment::Shipment;
use kargojet_core::tracking::ShipmentStatus;
use kargojet_core::wallet::{
    AccountKey, Applied, Batch, Book, HoldState, LineKind, Link, PlatformAccount, PostLeg,
    ShipmentKey, TransferId, TransferKind,
};
use kargojet_core::{Code, Money};
use proptest::prelude::*;
use rust_decimal::Decimal;
use std::collections::HashMap;
use std::time::Duration;
use wallet_support::*;

const COMPANIES: [&str; 3] = ["c0", "c1", "c2"];

#[derive(Debug, Clone)]
enum Op {
    TopUp {
        c: usize,
        kurus: i64,
    },
    Ship {
        c: usize,
        desi: u32,
        cod: Option<i64>,
        own: bool,
        fail: bool,
    },
    Measure {
        s: usize,
        desi: u32,
    },
    Deliver {
        s: usize,
    },
    Cancel {
        s: usize,
    },
    Advance {
        secs: u64,
    },
    Payout {
        c: usize,
    },
    Hold {
        c: usize,
        kurus: i64,
        timeout: Option<u64>,
    },
    Post {
        h: usize,
        percent: i64,
    },
    Void {
        h: usize,
    },
    Limit {
        c: usize,
        kurus: i64,
    },
    Replay {
        t: usize,
        tamper: bool,
    },
}

fn op() -> impl Strategy<Value = Op> {
    let c = 0..COMPANIES.len();
    prop_oneof![
        3 => (c.clone(), 1i64..40_000).prop_map(|(c, kurus)| Op::TopUp { c, kurus }),
        4 => (c.clone(), 1u32..15, proptest::option::of(5_000i64..300_000), any::<bool>(), proptest::bool::weighted(0.2))
            .prop_map(|(c, desi, cod, own, fail)| Op::Ship { c, desi, cod, own, fail }),
        2 => (any::<usize>(), 1u32..25).prop_map(|(s, desi)| Op::Measure { s, desi }),
        2 => any::<usize>().prop_map(|s| Op::Deliver { s }),
        1 => any::<usize>().prop_map(|s| Op::Cancel { s }),
        2 => (0u64..(10 * 86_400)).prop_map(|secs| Op::Advance { secs }),
        1 => c.clone().prop_map(|c| Op::Payout { c }),
        2 => (c.clone(), 1i64..20_000, proptest::option::of(1u64..(3 * 86_400))).prop_map(|(c, kurus, timeout)| Op::Hold { c, kurus, timeout }),
        2 => (any::<usize>(), 0i64..130).prop_map(|(h, percent)| Op::Post { h, percent }),
        1 => any::<usize>().prop_map(|h| Op::Void { h }),
        1 => (c.clone(), 0i64..10_000).prop_map(|(c, kurus)| Op::Limit { c, kurus }),
        3 => (any::<usize>(), any::<bool>()).prop_map(|(t, tamper)| Op::Replay { t, tamper }),
    ]
}

/// Balances, hold states and transfer count: what "nothing changed" compares.
type Fingerprint = (
    Vec<(AccountKey, Money)>,
    Vec<(TransferId, HoldState, Money)>,
    usize,
);

fn fingerprint(book: &Book) -> Fingerprint {
    let mut holds: Vec<_> = book
        .holds()
        .map(|h| (h.id.clone(), h.state, h.posted))
        .collect();
    holds.sort_by(|a, b| a.0.cmp(&b.0));
    (book.balances(), holds, book.transfers().len())
}

fn check_invariants(book: &Book, limits: &HashMap<usize, i64>) {
    let sum: Decimal = book.balances().iter().map(|(_, m)| m.amount).sum();
    assert_eq!(sum, Decimal::ZERO, "balances do not sum to zero");
    for (i, c) in COMPANIES.iter().enumerate() {
        let limit = Money::from_kurus(*limits.get(&i).unwrap_or(&0));
        let available = book.balance(&AccountKey::available(c)).unwrap();
        let blocked = book.balance(&AccountKey::blocked(c)).unwrap();
        let receivable = book.balance(&AccountKey::cod_receivable(c)).unwrap();
        assert!(
            available.amount >= -limit.amount,
            "{c}: available {available} below -{limit}"
        );
        assert!(blocked.amount >= Decimal::ZERO && receivable.amount >= Decimal::ZERO);
        let pending: Decimal = book
            .holds()
            .filter(|h| h.is_pending() && h.held_in.company_id() == Some(c))
            .map(|h| h.amount.amount)
            .sum();
        assert_eq!(
            blocked.amount, pending,
            "{c}: blocked is not the sum of pending holds"
        );
    }
    let mut posted: HashMap<&TransferId, Decimal> = HashMap::new();
    for t in book.transfers() {
        if let TransferKind::Post { hold } = &t.kind {
            *posted.entry(hold).or_default() += t.amount.amount;
        }
    }
    for h in book.holds() {
        let p = posted.get(&h.id).copied().unwrap_or_default();
        assert!(
            p <= h.amount.amount,
            "hold {} posted {p} of {}",
            h.id,
            h.amount
        );
        assert_eq!(p, h.posted.amount);
        if h.is_pending() {
            assert_eq!(p, Decimal::ZERO);
        }
    }
}

/// Errors a step may end with: typed business errors, never internal ones.
fn allowed(code: Code) -> bool {
    matches!(
        code,
        Code::WalletInsufficientFunds
            | Code::WalletCreditLimitExceeded
            | Code::WalletHoldPosted
            | Code::WalletHoldVoided
            | Code::WalletHoldExpired
            | Code::WalletPostExceedsHold
            | Code::WalletTransferConflict
            | Code::ShipmentInvalidState
    )
}

struct Sim {
    env: Env,
    shipments: Vec<(Shipment, bool, bool)>, // shipment, delivered, cancelled
    holds: Vec<TransferId>,
    limits: HashMap<usize, i64>,
    n: usize,
}

impl Sim {
    async fn step(&mut self, op: &Op) -> kargojet_core::Result<()> {
        self.n += 1;
        let env = &self.env;
        match op {
            Op::TopUp { c, kurus } => {
                env.wallet
                    .top_up(
                        &TransferId(format!("top-{}", self.n)),
                        COMPANIES[*c],
                        Money::from_kurus(*kurus),
                        "EFT",
                    )
                    .await?;
            }
            Op::Ship {
                c,
                desi,
                cod,
                own,
                fail,
            } => {
                let company = COMPANIES[*c];
                let req = request(Decimal::from(*desi), cod.map(Money::from_kurus));
                let agreement = if *own {
                    own_agreement(company)
                } else {
                    agreement()
                };
                let offer = offer(&agreement, &req);
                let key = format!("k{}", self.n);
                let ctx = FundingContext {
                    company,
                    idempotency_key: &key,
                    attempt: 0,
                    offer: &offer,
                    request: &req,
                };
                env.funding.reserve(&ctx).await?;
                if *fail {
                    env.funding.release(&ctx).await?;
                } else {
                    let s = shipment(company, &key, &req, &offer, env.clock.now_utc());
                    env.funding.capture(&ctx, &s).await?;
                    self.shipments.push((s, false, false));
                }
            }
            Op::Measure { s, desi } => {
                if self.shipments.is_empty() {
                    return Ok(());
                }
                let i = s % self.shipments.len();
                let ev = event(
                    env.clock.now_utc(),
                    ShipmentStatus::PickedUp,
                    Some(measured(Decimal::from(*desi))),
                );
                let (ship, _, _) = &mut self.shipments[i];
                ship.events.push(ev.clone());
                env.funding.on_events(ship, &[ev]).await?;
            }
            Op::Deliver { s } => {
                if self.shipments.is_empty() {
                    return Ok(());
                }
                let i = s % self.shipments.len();
                let (ship, delivered, cancelled) = &mut self.shipments[i];
                if *delivered || *cancelled {
                    return Ok(());
                }
                let ev = event(env.clock.now_utc(), ShipmentStatus::Delivered, None);
                ship.events.push(ev.clone());
                *delivered = true;
                env.funding.on_events(ship, &[ev]).await?;
            }
            Op::Cancel { s } => {
                if self.shipments.is_empty() {
                    return Ok(());
                }
                let i = s % self.shipments.len();
                let (ship, delivered, cancelled) = &mut self.shipments[i];
                if *delivered {
                    return Ok(());
                }
                env.funding.refund(ship).await?;
                *cancelled = true;
            }
            Op::Advance { secs } => {
                env.clock.advance(Duration::from_secs(*secs));
                env.wallet.expire_due().await?;
            }
            Op::Payout { c } => {
                let company = COMPANIES[*c];
                let keys = env.wallet.shipments_with_receivable(company).await?;
                let before = env.wallet.balances(company).await?.cod_receivable;
                let paid = env
                    .wallet
                    .payout(&TransferId(format!("pay-{}", self.n)), company, &keys)
                    .await?;
                assert_eq!(paid, before, "a payout pays every receivable");
            }
            Op::Hold { c, kurus, timeout } => {
                let id = TransferId(format!("hold-{}", self.n));
                let link =
                    Link::Shipment(ShipmentKey::new(COMPANIES[*c], &format!("raw-{}", self.n)));
                env.wallet
                    .hold(
                        &id,
                        COMPANIES[*c],
                        Money::from_kurus(*kurus),
                        LineKind::FreightHold,
                        link,
                        timeout.map(Duration::from_secs),
                    )
                    .await?;
                self.holds.push(id);
            }
            Op::Post { h, percent } => {
                if self.holds.is_empty() {
                    return Ok(());
                }
                let id = self.holds[h % self.holds.len()].clone();
                let hold = env.wallet.load_hold(&id).await?;
                let amount = Money::from_kurus(hold.amount.to_kurus() * percent / 100);
                if amount.is_zero() {
                    return Ok(());
                }
                let legs = [PostLeg {
                    to: AccountKey::Platform(PlatformAccount::CarrierPayable),
                    amount,
                    line: LineKind::Freight,
                }];
                let r = env
                    .wallet
                    .post(&TransferId(format!("post-{}", self.n)), &id, &legs)
                    .await;
                if *percent > 100 && hold.is_pending() {
                    assert_eq!(
                        r.as_ref().err().map(|e| e.code()),
                        Some(Code::WalletPostExceedsHold)
                    );
                }
                r?;
            }
            Op::Void { h } => {
                if self.holds.is_empty() {
                    return Ok(());
                }
                let id = self.holds[h % self.holds.len()].clone();
                env.wallet
                    .void(&TransferId(format!("void-{}", self.n)), &id)
                    .await?;
            }
            Op::Limit { c, kurus } => {
                // Only raise limits: lowering one below a balance already used is allowed by the
                // ledger but would make the invariant "available ≥ -limit" about the past.
                let old = *self.limits.get(c).unwrap_or(&0);
                let new = old.max(*kurus);
                env.wallet
                    .set_credit_limit(COMPANIES[*c], Money::from_kurus(new))
                    .await?;
                self.limits.insert(*c, new);
            }
            Op::Replay { t, tamper } => {
                let book = env.store.snapshot();
                let all = book.transfers();
                if all.is_empty() {
                    return Ok(());
                }
                let mut tr = all[t % all.len()].clone();
                if *tamper {
                    tr.amount = tr.amount + Money::from_kurus(1);
                }
                let r = env.wallet.apply(Batch::of(vec![tr])).await;
                if *tamper {
                    assert_eq!(
                        r.err().map(|e| e.code()),
                        Some(Code::WalletTransferConflict)
                    );
                } else {
                    assert_eq!(r.ok(), Some(Applied::Replayed));
                }
            }
        }
        Ok(())
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn ledger_invariants_hold_over_random_sequences(ops in proptest::collection::vec(op(), 1..45)) {
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        rt.block_on(async {
            let mut agreements = vec![agreement()];
            agreements.extend(COMPANIES.iter().map(|c| own_agreement(c)));
            let env = Env::new(agreements);
            for c in COMPANIES {
                env.wallet.open_company(c, Money::zero()).await.unwrap();
            }
            let mut sim = Sim { env, shipments: Vec::new(), holds: Vec::new(), limits: HashMap::new(), n: 0 };
            for op in &ops {
                let before = fingerprint(&sim.env.store.snapshot());
                let replay = matches!(op, Op::Replay { .. });
                match sim.step(op).await {
                    Ok(()) => {}
                    Err(e) => {
                        assert!(allowed(e.code()), "{op:?} failed with {e}");
                        // Steps that are one batch change nothing when they fail.
                        if !matches!(op, Op::Deliver { .. } | Op::Measure { .. }) {
                            assert_eq!(fingerprint(&sim.env.store.snapshot()), before, "{op:?} failed ({e}) but changed the ledger");
                        }
                    }
                }
                let after = sim.env.store.snapshot();
                if replay {
                    assert_eq!(fingerprint(&after), before, "replay changed the ledger");
                }
                check_invariants(&after, &sim.limits);
            }
        });
    }
}

fn account() -> impl Strategy<Value = AccountKey> {
    let company = prop_oneof![Just("c0"), Just("c1"), Just("ghost")];
    prop_oneof![
        (company, 0usize..4).prop_map(|(c, a)| AccountKey::company(
            c,
            kargojet_core::wallet::CompanyAccount::ALL[a]
        )),
        (0usize..5).prop_map(|p| AccountKey::Platform(PlatformAccount::ALL[p])),
    ]
}

fn amount() -> impl Strategy<Value = Money> {
    prop_oneof![
        8 => (-100i64..60_000).prop_map(Money::from_kurus),
        1 => Just(Money::try_lira(Decimal::MAX)),
        1 => Just(Money::try_lira(Decimal::new(12_345, 4))),
    ]
}

#[derive(Debug, Clone)]
enum RawKind {
    Single,
    Hold(Option<u64>),
    Post(usize),
    Release(usize, u8),
}

fn raw_kind() -> impl Strategy<Value = RawKind> {
    prop_oneof![
        Just(RawKind::Single),
        proptest::option::of(prop_oneof![0u64..10_000, Just(u64::MAX)]).prop_map(RawKind::Hold),
        any::<usize>().prop_map(RawKind::Post),
        (any::<usize>(), 0u8..3).prop_map(|(h, r)| RawKind::Release(h, r)),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    /// Arbitrary raw batches (unknown accounts, bad amounts, holds and posts that do not
    /// match) never panic, never break an invariant, and a refused batch changes nothing.
    #[test]
    fn raw_batches_never_break_the_ledger(
        batches in proptest::collection::vec(proptest::collection::vec((account(), account(), amount(), raw_kind(), 0usize..6), 1..5), 1..40)
    ) {
        use kargojet_core::wallet::ReleaseReason;
        let mut book = Book::new();
        for c in ["c0", "c1"] {
            book.open_company(c, kargojet_core::Currency::Try, Money::from_kurus(5_000)).unwrap();
        }
        let limits: HashMap<usize, i64> = [(0, 5_000), (1, 5_000)].into_iter().collect();
        let start = start();
        for (b, batch) in batches.iter().enumerate() {
            let holds: Vec<TransferId> = book.holds().map(|h| h.id.clone()).collect();
            let pick = |i: usize| holds.get(i % holds.len().max(1)).cloned().unwrap_or_else(|| TransferId::new("none"));
            let transfers = batch
                .iter()
                .enumerate()
                .map(|(i, (debit, credit, amount, kind, id))| {
                    let kind = match kind {
                        RawKind::Single => TransferKind::Single,
                        RawKind::Hold(t) => TransferKind::Hold { timeout_secs: *t },
                        RawKind::Post(h) => TransferKind::Post { hold: pick(*h) },
                        RawKind::Release(h, r) => TransferKind::Release {
                            hold: pick(*h),
                            reason: [ReleaseReason::Remainder, ReleaseReason::Void, ReleaseReason::Expiry][usize::from(*r)],
                        },
                    };
                    // Ids repeat across batches on purpose (replays and conflicts).
                    let mut t = kargojet_core::wallet::Transfer::new(TransferId(format!("t{}-{id}", b % 7)), debit.clone(), credit.clone(), *amount, kind, LineKind::TopUp, Link::TopUp("r".into()));
                    t.id = TransferId(format!("{}-{i}", t.id));
                    t.at = start + chrono::Duration::seconds(i64::try_from(b).unwrap_or(0) * 600);
                    t
                })
                .collect();
            let before = fingerprint(&book);
            if book.apply(&Batch::of(transfers)).is_err() {
                prop_assert_eq!(fingerprint(&book), before);
            }
            let sum: Decimal = book.balances().iter().map(|(_, m)| m.amount).sum();
            prop_assert_eq!(sum, Decimal::ZERO);
            for (i, c) in ["c0", "c1"].iter().enumerate() {
                let available = book.balance(&AccountKey::available(c)).unwrap();
                prop_assert!(available.amount >= -Money::from_kurus(limits[&i]).amount);
                let blocked = book.balance(&AccountKey::blocked(c)).unwrap();
                let pending: Decimal = book.holds().filter(|h| h.is_pending() && h.held_in.company_id() == Some(c)).map(|h| h.amount.amount).sum();
                prop_assert_eq!(blocked.amount, pending);
            }
            for h in book.holds() {
                prop_assert!(h.posted.amount <= h.amount.amount);
            }
        }
    }
}
