//! SQLite and PostgreSQL stay in step.
//!
//! 1. Both migration sets define the same tables with the same column names and the same
//!    indexes (the SQL files are parsed: `CREATE TABLE`, `ALTER TABLE … ADD/DROP COLUMN`,
//!    `CREATE INDEX`, `DROP TABLE/INDEX`), and each migration version exists on both sides.
//! 2. One conformance scenario over every store trait of [`Database`] — idempotency, conflicts,
//!    concurrent claims, the ledger's balance checks under concurrent holds, paging — passes on
//!    SQLite always and on PostgreSQL when `KARGOJET_TEST_POSTGRES_URL` is set (on a fresh
//!    schema, dropped afterwards).

#![allow(clippy::unwrap_used)]

use crate::common;

use chrono::{DateTime, Utc};
use kargojet::Money;
use kargojet::error::Code;
use kargojet::orchestrator::{Orchestrator, ShipRequest};
use kargojet::parcel::Parcel;
use kargojet::pricing::{self, SelectionPolicy};
use kargojet::sandbox::Sandbox;
use kargojet::shipment::{
    AddressDraft, MerchantKey, PartyDraft, Shipment, ShipmentDraft, ShipmentId,
};
use kargojet::store::{Begin, PendingAttempt};
use kargojet::time::{Clock, ManualClock};
use kargojet::tracking::ShipmentStatus;
use kargojet::wallet::{AccountKey, Applied, LineKind, Link, ShipmentKey, TransferId, Wallet};
use kargojet_server::auth::roles::Role;
use kargojet_server::crypto::Sealed;
use kargojet_server::store::{
    self, ApiKeyRecord, AuditRecord, BulkRecord, CarrierAccountRecord, CodFeeTerms, CompanyRecord,
    Database, InboxClaim, ShipmentFilter, UserRecord,
};
use rust_decimal::Decimal;
use rust_decimal_macros::dec;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::Arc;

// ---------------------------------------------------------------------------------------------
// 1. The schemas.

/// What a migration set defines: table → column names, and index name → table.
#[derive(Debug, Default, PartialEq)]
struct Schema {
    tables: BTreeMap<String, BTreeSet<String>>,
    indexes: BTreeMap<String, String>,
}

/// The SQL without `--` comments (outside string literals).
fn strip_comments(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len());
    let mut in_str = false;
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\'' {
            in_str = !in_str;
        }
        if !in_str && c == '-' && chars.peek() == Some(&'-') {
            for d in chars.by_ref() {
                if d == '\n' {
                    out.push('\n');
                    break;
                }
            }
            continue;
        }
        out.push(c);
    }
    out
}

/// Statements split at `;` outside string literals.
fn statements(sql: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut in_str = false;
    for c in strip_comments(sql).chars() {
        if c == '\'' {
            in_str = !in_str;
        }
        if c == ';' && !in_str {
            out.push(std::mem::take(&mut cur));
        } else {
            cur.push(c);
        }
    }
    out.push(cur);
    out.into_iter()
        .map(|s| s.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|s| !s.is_empty())
        .collect()
}

/// An identifier as written (`"x"` or `x`), lower-cased.
fn ident(word: &str) -> String {
    word.trim_matches('"').to_lowercase()
}

/// Words after skipping `IF NOT EXISTS` / `IF EXISTS`.
fn skip_if<'a>(words: &'a [&'a str]) -> &'a [&'a str] {
    let upper: Vec<String> = words.iter().take(3).map(|w| w.to_uppercase()).collect();
    if upper.len() >= 3 && upper[0] == "IF" && upper[1] == "NOT" && upper[2] == "EXISTS" {
        &words[3..]
    } else if upper.len() >= 2 && upper[0] == "IF" && upper[1] == "EXISTS" {
        &words[2..]
    } else {
        words
    }
}

/// The items of a parenthesized list, split at top-level commas.
fn top_level_items(body: &str) -> Vec<String> {
    let mut items = Vec::new();
    let mut depth = 0usize;
    let mut cur = String::new();
    for c in body.chars() {
        match c {
            '(' => {
                depth += 1;
                cur.push(c);
            }
            ')' => {
                depth = depth.saturating_sub(1);
                cur.push(c);
            }
            ',' if depth == 0 => items.push(std::mem::take(&mut cur)),
            _ => cur.push(c),
        }
    }
    items.push(cur);
    items
        .into_iter()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

/// Applies one statement to `schema`; an `ALTER TABLE` it does not understand fails the test.
fn apply_statement(schema: &mut Schema, stmt: &str, origin: &str) {
    let words: Vec<&str> = stmt.split(' ').collect();
    let upper: Vec<String> = words.iter().map(|w| w.to_uppercase()).collect();
    let at = |i: usize| upper.get(i).map(String::as_str).unwrap_or("");
    if at(0) == "CREATE" && at(1) == "TABLE" {
        let rest = skip_if(&words[2..]);
        let head = rest.join(" ");
        let open = head.find('(').unwrap_or_else(|| panic!("{origin}: {stmt}"));
        let close = head
            .rfind(')')
            .unwrap_or_else(|| panic!("{origin}: {stmt}"));
        let name = ident(head[..open].trim());
        let mut columns = BTreeSet::new();
        for item in top_level_items(&head[open + 1..close]) {
            let first = item.split(' ').next().unwrap_or_default();
            let constraint = [
                "PRIMARY",
                "UNIQUE",
                "FOREIGN",
                "CHECK",
                "CONSTRAINT",
                "EXCLUDE",
            ]
            .contains(&first.to_uppercase().as_str());
            if !constraint {
                columns.insert(ident(first));
            }
        }
        assert!(
            schema.tables.insert(name.clone(), columns).is_none(),
            "{origin}: table {name} created twice"
        );
    } else if at(0) == "CREATE" && (at(1) == "INDEX" || (at(1) == "UNIQUE" && at(2) == "INDEX")) {
        let from = if at(1) == "UNIQUE" { 3 } else { 2 };
        let rest = skip_if(&words[from..]);
        let name = ident(rest[0]);
        let on = rest
            .iter()
            .position(|w| w.eq_ignore_ascii_case("ON"))
            .unwrap_or_else(|| panic!("{origin}: {stmt}"));
        let table = ident(rest[on + 1].split('(').next().unwrap_or_default());
        schema.indexes.insert(name, table);
    } else if at(0) == "DROP" && at(1) == "TABLE" {
        let name = ident(skip_if(&words[2..])[0]);
        schema.tables.remove(&name);
        schema.indexes.retain(|_, t| *t != name);
    } else if at(0) == "DROP" && at(1) == "INDEX" {
        schema.indexes.remove(&ident(skip_if(&words[2..])[0]));
    } else if at(0) == "ALTER" && at(1) == "TABLE" {
        let rest = skip_if(&words[2..]);
        let table = ident(rest[0]);
        let action: Vec<&str> = rest[1..].to_vec();
        let verb = action.first().map(|w| w.to_uppercase()).unwrap_or_default();
        let mut tail: &[&str] = &action[1..];
        if tail
            .first()
            .is_some_and(|w| w.eq_ignore_ascii_case("COLUMN"))
        {
            tail = &tail[1..];
        }
        let tail = skip_if(tail);
        let columns = schema
            .tables
            .get_mut(&table)
            .unwrap_or_else(|| panic!("{origin}: ALTER TABLE of unknown table {table}"));
        match verb.as_str() {
            "ADD" => {
                columns.insert(ident(tail[0]));
            }
            "DROP" => {
                columns.remove(&ident(tail[0]));
            }
            _ => panic!("{origin}: ALTER TABLE form not understood: {stmt}"),
        }
    }
}

/// The migration files of `dir`, by version.
fn migration_files(dir: &Path) -> BTreeMap<i64, (String, String)> {
    let mut out = BTreeMap::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let file = path.file_name().unwrap().to_string_lossy().to_string();
        let Some(stem) = file.strip_suffix(".sql") else {
            continue;
        };
        let (version, _) = stem.split_once('_').unwrap();
        let sql = std::fs::read_to_string(&path).unwrap();
        assert!(
            out.insert(version.parse::<i64>().unwrap(), (file.clone(), sql))
                .is_none(),
            "two migrations with version {version} in {}",
            dir.display()
        );
    }
    out
}

fn schema_of(files: &BTreeMap<i64, (String, String)>) -> Schema {
    let mut schema = Schema::default();
    for (file, sql) in files.values() {
        for stmt in statements(sql) {
            apply_statement(&mut schema, &stmt, file);
        }
    }
    schema
}

fn schema_of_sql(sql: &str) -> Schema {
    let mut schema = Schema::default();
    for stmt in statements(sql) {
        apply_statement(&mut schema, &stmt, "inline");
    }
    schema
}

#[test]
fn both_migration_sets_define_the_same_schema() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations");
    let sqlite = migration_files(&root.join("sqlite"));
    let postgres = migration_files(&root.join("postgres"));
    assert_eq!(
        sqlite.keys().collect::<Vec<_>>(),
        postgres.keys().collect::<Vec<_>>(),
        "every migration version needs its twin: sqlite {:?}, postgres {:?}",
        sqlite.values().map(|v| &v.0).collect::<Vec<_>>(),
        postgres.values().map(|v| &v.0).collect::<Vec<_>>()
    );
    let (a, b) = (schema_of(&sqlite), schema_of(&postgres));
    assert!(a.tables.contains_key("shipments") && a.tables.contains_key("ledger_transfers"));
    for (table, columns) in &a.tables {
        let Some(other) = b.tables.get(table) else {
            panic!("table {table} is missing from the PostgreSQL migrations");
        };
        assert_eq!(
            columns, other,
            "columns of {table} differ (sqlite left, postgres right)"
        );
    }
    for table in b.tables.keys() {
        assert!(
            a.tables.contains_key(table),
            "table {table} is missing from the SQLite migrations"
        );
    }
    assert_eq!(
        a.indexes, b.indexes,
        "indexes differ (sqlite left, postgres right)"
    );
}

#[test]
fn the_parser_sees_what_differs() {
    let base = "CREATE TABLE t (id TEXT PRIMARY KEY, a TEXT NOT NULL, b BLOB, UNIQUE (a, b)); -- x; y\nCREATE INDEX t_a ON t(a);";
    let s = schema_of_sql(base);
    assert_eq!(
        s.tables["t"],
        ["a", "b", "id"].iter().map(|c| c.to_string()).collect()
    );
    assert_eq!(s.indexes["t_a"], "t");
    let missing = schema_of_sql(
        "CREATE TABLE t (id TEXT PRIMARY KEY, a TEXT NOT NULL); CREATE INDEX t_a ON t(a);",
    );
    assert_ne!(s, missing);
    let altered = schema_of_sql(&format!(
        "{base} ALTER TABLE t ADD COLUMN c INTEGER DEFAULT 0; ALTER TABLE t DROP COLUMN b; CREATE UNIQUE INDEX IF NOT EXISTS t_c ON t (c);"
    ));
    assert_eq!(
        altered.tables["t"],
        ["a", "c", "id"].iter().map(|c| c.to_string()).collect()
    );
    assert_eq!(altered.indexes.len(), 2);
    let literal = schema_of_sql("CREATE TABLE q (note TEXT DEFAULT 'a;b -- c', d TEXT);");
    assert_eq!(
        literal.tables["q"],
        ["d", "note"].iter().map(|c| c.to_string()).collect()
    );
}

// ---------------------------------------------------------------------------------------------
// 2. The stores.

fn at(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

/// One real shipment, bought on the in-process simulators.
async fn sample_shipment() -> Shipment {
    let sandbox = Sandbox::start().unwrap();
    let orchestrator = sandbox
        .register(Orchestrator::builder())
        .agreements(pricing::illustrative_platform_agreements().unwrap())
        .transit(pricing::transit_days().unwrap())
        .clock(Arc::new(sandbox.clock().clone()))
        .build()
        .unwrap();
    let shipment = ShipmentDraft {
        sender: PartyDraft {
            name: "Moda Tekstil Ltd.".into(),
            phone: "0216 345 67 89".into(),
            email: None,
            address: AddressDraft {
                province: "İstanbul".into(),
                district: "Kadıköy".into(),
                line: "Caferağa Mah. Moda Cad. No: 12".into(),
                postal_code: Some("34710".into()),
            },
        },
        recipient: PartyDraft {
            name: "Ayşe Yılmaz".into(),
            phone: "+90 532 123 45 67".into(),
            email: None,
            address: AddressDraft {
                province: "ANKARA".into(),
                district: "cankaya".into(),
                line: "Kızılay Mah. Atatürk Blv. No: 101 D: 7".into(),
                postal_code: None,
            },
        },
        parcels: vec![Parcel::new(dec!(40), dec!(30), dec!(20), dec!(3.2))],
        order_id: Some("SIP-1".into()),
        ..Default::default()
    }
    .validate()
    .unwrap();
    orchestrator
        .ship(&ShipRequest {
            company: "acme".into(),
            shipment,
            policy: SelectionPolicy::default(),
            idempotency_key: "parity-1".into(),
            choice: None,
        })
        .await
        .unwrap()
}

fn variant(base: &Shipment, n: usize, company: &str, status: ShipmentStatus) -> Shipment {
    let mut s = base.clone();
    s.id = ShipmentId(format!("shp_parity_{n:03}"));
    s.company = company.into();
    s.created.merchant_key = MerchantKey(format!("KJPARITY{n:03}"));
    s.status = status;
    s.request.order_id = Some(format!("ORD-{}", n % 3));
    s.created_at = at("2026-01-05T09:00:00.000000Z") + chrono::Duration::minutes(n as i64);
    s
}

async fn tenants(db: &Database) {
    let t = &db.tenants;
    let acme = CompanyRecord {
        id: "acme".into(),
        name: "Acme A.Ş.".into(),
        sender: None,
        created_at: at("2026-01-05T09:00:00.123456Z"),
    };
    assert!(t.create_company(&acme).await.unwrap());
    assert!(
        !t.create_company(&acme).await.unwrap(),
        "a second create changes nothing"
    );
    let other = CompanyRecord {
        id: "other".into(),
        name: "Öteki Ltd.".into(),
        ..acme.clone()
    };
    assert!(t.create_company(&other).await.unwrap());
    assert_eq!(t.company("acme").await.unwrap(), Some(acme.clone()));
    assert_eq!(t.company("nobody").await.unwrap(), None);
    let sender = serde_json::json!({"name": "Depo", "phone": "0216 345 67 89", "address": {"province": "İstanbul", "district": "Kadıköy", "line": "Moda"}});
    t.set_sender("acme", &sender).await.unwrap();
    assert_eq!(
        t.company("acme").await.unwrap().unwrap().sender,
        Some(sender)
    );

    let user = UserRecord {
        id: "usr_b".into(),
        company: "acme".into(),
        email: "ayse@acme.example".into(),
        name: "Ayşe Yılmaz".into(),
        role: Role::Finance,
        password_hash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA".into(),
        disabled: true,
        created_at: at("2026-01-05T09:00:01.000001Z"),
    };
    assert!(t.create_user(&user).await.unwrap());
    let taken = UserRecord {
        id: "usr_c".into(),
        ..user.clone()
    };
    assert!(!t.create_user(&taken).await.unwrap(), "the e-mail is taken");
    let second = UserRecord {
        id: "usr_a".into(),
        email: "mehmet@acme.example".into(),
        disabled: false,
        role: Role::CallCenter,
        ..user.clone()
    };
    assert!(t.create_user(&second).await.unwrap());
    assert_eq!(
        t.user_by_email("ayse@acme.example").await.unwrap(),
        Some(user.clone())
    );
    assert_eq!(t.user("usr_a").await.unwrap(), Some(second.clone()));
    assert_eq!(t.user("usr_c").await.unwrap(), None);
    let ids: Vec<String> = t
        .users("acme")
        .await
        .unwrap()
        .into_iter()
        .map(|u| u.id)
        .collect();
    assert_eq!(ids, ["usr_a", "usr_b"], "created_at, then id");
    assert!(t.users("other").await.unwrap().is_empty());

    let key = ApiKeyRecord {
        id: "kid1".into(),
        company: "acme".into(),
        name: "shop".into(),
        role: Role::Seller,
        hash: vec![0, 1, 2, 254, 255],
        created_at: at("2026-01-05T09:00:02.000000Z"),
        created_by: "seed".into(),
        revoked_at: None,
    };
    assert!(t.create_api_key(&key).await.unwrap());
    assert!(!t.create_api_key(&key).await.unwrap());
    assert_eq!(t.api_key("kid1").await.unwrap(), Some(key.clone()));
    assert_eq!(t.api_keys("acme").await.unwrap(), vec![key.clone()]);
    assert!(
        !t.revoke_api_key("other", "kid1", at("2026-01-06T00:00:00.000000Z"))
            .await
            .unwrap(),
        "another company's key"
    );
    let first = at("2026-01-06T00:00:00.000000Z");
    assert!(t.revoke_api_key("acme", "kid1", first).await.unwrap());
    assert!(
        t.revoke_api_key("acme", "kid1", at("2026-02-01T00:00:00.000000Z"))
            .await
            .unwrap()
    );
    assert_eq!(
        t.api_key("kid1").await.unwrap().unwrap().revoked_at,
        Some(first),
        "the first revocation time stays"
    );
}

async fn carrier_accounts(db: &Database) {
    let c = &db.carrier_accounts;
    let account = CarrierAccountRecord {
        id: "ca_1".into(),
        company: "acme".into(),
        carrier: "aras".into(),
        name: "main".into(),
        sealed: Sealed {
            key_id: "k1".into(),
            nonce: vec![7; 12],
            ciphertext: vec![0, 255, 1, 254, 2],
        },
        credential_names: vec!["username".into(), "password".into()],
        tariff: "[bands]\n".into(),
        cod_fee: Some(CodFeeTerms {
            percent: dec!(1.5),
            min: dec!(12.50),
            max_cod: None,
        }),
        created_at: at("2026-01-05T09:00:00.000000Z"),
        updated_at: at("2026-01-05T09:00:00.000000Z"),
    };
    assert!(c.insert(&account).await.unwrap());
    let same_name = CarrierAccountRecord {
        id: "ca_2".into(),
        ..account.clone()
    };
    assert!(
        !c.insert(&same_name).await.unwrap(),
        "one name per carrier and company"
    );
    let second = CarrierAccountRecord {
        id: "ca_3".into(),
        carrier: "ptt".into(),
        cod_fee: None,
        created_at: at("2026-01-05T10:00:00.000000Z"),
        ..account.clone()
    };
    assert!(c.insert(&second).await.unwrap());
    assert_eq!(c.get("acme", "ca_1").await.unwrap(), Some(account.clone()));
    assert_eq!(c.get("other", "ca_1").await.unwrap(), None);
    let updated = CarrierAccountRecord {
        sealed: Sealed {
            key_id: "k2".into(),
            nonce: vec![9; 12],
            ciphertext: vec![3, 4],
        },
        tariff: "[bands2]\n".into(),
        updated_at: at("2026-01-07T00:00:00.000000Z"),
        ..account.clone()
    };
    assert!(c.update(&updated).await.unwrap());
    let foreign = CarrierAccountRecord {
        company: "other".into(),
        ..updated.clone()
    };
    assert!(!c.update(&foreign).await.unwrap());
    assert_eq!(c.get("acme", "ca_1").await.unwrap(), Some(updated.clone()));
    let ids: Vec<String> = c
        .list("acme")
        .await
        .unwrap()
        .into_iter()
        .map(|a| a.id)
        .collect();
    assert_eq!(ids, ["ca_1", "ca_3"]);
    assert_eq!(c.all().await.unwrap().len(), 2);
    assert!(!c.delete("other", "ca_1").await.unwrap());
    assert!(c.delete("acme", "ca_1").await.unwrap());
    assert!(!c.delete("acme", "ca_1").await.unwrap());
    assert_eq!(c.list("acme").await.unwrap(), vec![second]);
}

async fn audit(db: &Database) {
    for (i, company) in ["acme", "acme", "other", "acme", "acme", "acme"]
        .iter()
        .enumerate()
    {
        db.audit
            .append(&AuditRecord {
                seq: 0,
                at: at("2026-01-05T09:00:00.000000Z") + chrono::Duration::seconds(i as i64),
                company: Some(company.to_string()),
                actor: "key:kid1".into(),
                role: Some("admin".into()),
                request_id: format!("req_{i}"),
                method: "POST".into(),
                path: "/v1/shipments/{id}/cancel".into(),
                object: (i % 2 == 0).then(|| format!("shp_{i}")),
                status: 200 + i as u16,
            })
            .await
            .unwrap();
    }
    let page = db.audit.list("acme", None, 3).await.unwrap();
    let ids: Vec<&str> = page.iter().map(|r| r.request_id.as_str()).collect();
    assert_eq!(ids, ["req_5", "req_4", "req_3"], "newest first");
    assert_eq!(page[0].status, 205);
    assert_eq!(page[1].object, Some("shp_4".into()));
    assert_eq!(page[0].object, None);
    let rest = db.audit.list("acme", Some(page[2].seq), 10).await.unwrap();
    let ids: Vec<&str> = rest.iter().map(|r| r.request_id.as_str()).collect();
    assert_eq!(ids, ["req_1", "req_0"]);
    assert_eq!(db.audit.list("other", None, 10).await.unwrap().len(), 1);
}

async fn inbox_and_bulk(db: &Database) {
    let when = at("2026-01-05T09:00:00.000000Z");
    let secs = |n: i64| when + chrono::Duration::seconds(n);
    let lease = std::time::Duration::from_secs(60);
    let claim = |id: &'static str, t: DateTime<Utc>| db.inbox.claim(id, "kolay_gelsin", t, lease);
    let token = |c: InboxClaim| match c {
        InboxClaim::Claimed { token } => token,
        other => panic!("expected a claim, got {other:?}"),
    };
    // Claimed, then held for the lease: another delivery is told when it runs out.
    let t1 = token(claim("ev-1", when).await.unwrap());
    assert_eq!(
        claim("ev-1", secs(30)).await.unwrap(),
        InboxClaim::Busy { until: secs(60) }
    );
    // Done once applied: a duplicate from then on, whatever the lease; the old token gives
    // nothing back.
    db.inbox
        .complete("ev-1", Some(&ShipmentId("shp_1".into())), secs(1))
        .await
        .unwrap();
    assert_eq!(claim("ev-1", secs(2)).await.unwrap(), InboxClaim::Done);
    db.inbox.release("ev-1", &t1).await.unwrap();
    assert_eq!(claim("ev-1", secs(3600)).await.unwrap(), InboxClaim::Done);
    // Given back (applying failed): claimable again at once; only its own token releases it.
    let t2 = token(claim("ev-2", when).await.unwrap());
    db.inbox.release("ev-2", "inb_someone_else").await.unwrap();
    assert!(matches!(
        claim("ev-2", secs(1)).await.unwrap(),
        InboxClaim::Busy { .. }
    ));
    db.inbox.release("ev-2", &t2).await.unwrap();
    let t3 = token(claim("ev-2", secs(2)).await.unwrap());
    assert_ne!(t3, t2);
    // An unfinished claim whose lease ran out (its process died) is taken over; the dead
    // claim's token no longer releases anything.
    let t4 = token(claim("ev-2", secs(62)).await.unwrap());
    assert_ne!(t4, t3);
    db.inbox.release("ev-2", &t3).await.unwrap();
    assert_eq!(
        claim("ev-2", secs(63)).await.unwrap(),
        InboxClaim::Busy { until: secs(122) }
    );
    // Matched no shipment: done all the same.
    db.inbox.complete("ev-2", None, secs(64)).await.unwrap();
    assert_eq!(claim("ev-2", secs(65)).await.unwrap(), InboxClaim::Done);
    // Of many concurrent claims of one event exactly one wins; the others find it busy.
    let claims = futures::future::join_all((0..12).map(|_| claim("ev-race", when))).await;
    let claims: Vec<InboxClaim> = claims.into_iter().map(Result::unwrap).collect();
    assert_eq!(
        claims
            .iter()
            .filter(|c| matches!(c, InboxClaim::Claimed { .. }))
            .count(),
        1,
        "{claims:?}"
    );
    assert!(
        claims
            .iter()
            .all(|c| matches!(c, InboxClaim::Claimed { .. } | InboxClaim::Busy { .. }))
    );

    let upload = BulkRecord {
        id: "blk_1".into(),
        company: "acme".into(),
        file_name: Some("gönderiler.csv".into()),
        file_hash: "ab".repeat(32),
        status: "planned".into(),
        import: r#"{"rows":[]}"#.into(),
        plan: r#"{"rows":[],"total":"0"}"#.into(),
        purchase: None,
        labels: None,
        created_at: when,
    };
    db.bulk.insert(&upload).await.unwrap();
    assert_eq!(
        db.bulk.get("acme", "blk_1").await.unwrap(),
        Some(upload.clone())
    );
    assert_eq!(db.bulk.get("other", "blk_1").await.unwrap(), None);
    let pdf = b"%PDF-1.7\n\x00\xff\xfe".to_vec();
    db.bulk
        .set_purchase("acme", "blk_1", r#"{"bought":1}"#, Some(&pdf))
        .await
        .unwrap();
    let bought = db.bulk.get("acme", "blk_1").await.unwrap().unwrap();
    assert_eq!(bought.status, "purchased");
    assert_eq!(bought.purchase.as_deref(), Some(r#"{"bought":1}"#));
    assert_eq!(bought.labels, Some(pdf));
}

async fn idempotency(db: &Database) {
    let s = &db.idempotency;
    assert_eq!(s.begin("k", "f1").await.unwrap(), Begin::New);
    assert_eq!(s.begin("k", "f1").await.unwrap(), Begin::Resume(vec![]));
    assert_eq!(
        s.begin("k", "f2").await.err().map(|e| e.code()),
        Some(Code::RequestIdempotencyMismatch)
    );
    let attempt = PendingAttempt {
        carrier: kargojet::carrier::CarrierId::Aras,
        account: kargojet::carrier::AccountId::platform(),
        merchant_key: MerchantKey("KJ1".into()),
        attempt: Some(0),
    };
    s.record_attempt("k", attempt.clone()).await.unwrap();
    s.record_attempt("k", attempt.clone()).await.unwrap();
    assert_eq!(
        s.begin("k", "f1").await.unwrap(),
        Begin::Resume(vec![attempt.clone()])
    );
    assert!(s.record_attempt("unknown", attempt.clone()).await.is_err());
    let id = ShipmentId("s1".into());
    s.complete("k", &id).await.unwrap();
    assert_eq!(s.begin("k", "f1").await.unwrap(), Begin::Done(id.clone()));
    assert!(
        s.record_attempt("k", attempt).await.is_err(),
        "completed keys take no attempts"
    );
    assert!(s.get("k").await.unwrap().is_some());
    s.release("k").await.unwrap();
    assert_eq!(s.get("k").await.unwrap(), None);
    // Of many concurrent requests with one new key exactly one owns it.
    let begins = futures::future::join_all((0..16).map(|_| s.begin("race", "f"))).await;
    let news = begins
        .iter()
        .filter(|b| matches!(b, Ok(Begin::New)))
        .count();
    assert_eq!(news, 1, "{begins:?}");
    assert!(
        begins
            .iter()
            .all(|b| matches!(b, Ok(Begin::New | Begin::Resume(_))))
    );
}

async fn ledger(db: &Database) {
    let clock = ManualClock::new(at("2026-01-05T09:00:00.000000Z"));
    let wallet = Wallet::new(db.ledger.clone(), Arc::new(clock.clone()));
    wallet.open_company("acme", Money::zero()).await.unwrap();
    wallet.open_company("acme", Money::zero()).await.unwrap();
    // Concurrent replays of one top-up: one applies, the others replay.
    let top_id = TransferId::new("top-1");
    let tops = futures::future::join_all(
        (0..8).map(|_| wallet.top_up(&top_id, "acme", Money::from_kurus(10_000), "EFT-1")),
    )
    .await;
    let applied: Vec<Applied> = tops.into_iter().map(Result::unwrap).collect();
    assert_eq!(
        applied.iter().filter(|a| **a == Applied::Replayed).count(),
        7,
        "{applied:?}"
    );
    assert_eq!(
        wallet
            .top_up(
                &TransferId::new("top-1"),
                "acme",
                Money::from_kurus(1),
                "EFT-1"
            )
            .await
            .err()
            .map(|e| e.code()),
        Some(Code::WalletTransferConflict)
    );
    // 100 TL, twelve concurrent holds of 30 TL: exactly three fit.
    let link = Link::Shipment(ShipmentKey::new("acme", "o-1"));
    let holds = futures::future::join_all((0..12).map(|i| {
        let id = TransferId::new(format!("h-{i}"));
        let link = link.clone();
        let wallet = wallet.clone();
        async move {
            wallet
                .hold(
                    &id,
                    "acme",
                    Money::from_kurus(3_000),
                    LineKind::FreightHold,
                    link,
                    Some(std::time::Duration::from_secs(60)),
                )
                .await
        }
    }))
    .await;
    let ok = holds.iter().filter(|h| h.is_ok()).count();
    assert_eq!(ok, 3, "{holds:?}");
    assert!(holds.iter().all(|h| match h {
        Ok(_) => true,
        Err(e) => e.code() == Code::WalletInsufficientFunds,
    }));
    let b = wallet.balances("acme").await.unwrap();
    assert_eq!(
        (b.available, b.blocked),
        (Money::from_kurus(1_000), Money::from_kurus(9_000))
    );
    assert_eq!(db.ledger.pending_holds("acme").await.unwrap().len(), 3);
    // Expiry through the library's sweep.
    assert!(
        db.ledger
            .due_holds(clock.now(), 10)
            .await
            .unwrap()
            .is_empty()
    );
    clock.advance(std::time::Duration::from_secs(61));
    assert_eq!(db.ledger.due_holds(clock.now(), 2).await.unwrap().len(), 2);
    assert_eq!(wallet.expire_due().await.unwrap(), 3);
    let b = wallet.balances("acme").await.unwrap();
    assert_eq!(
        (b.available, b.blocked),
        (Money::from_kurus(10_000), Money::zero())
    );
    let sum: Decimal = db
        .ledger
        .balances()
        .await
        .unwrap()
        .iter()
        .map(|(_, m)| m.amount)
        .sum();
    assert_eq!(sum, Decimal::ZERO, "double entry");
    let transfers = db.ledger.company_transfers("acme", None).await.unwrap();
    assert_eq!(transfers.len(), 7, "a top-up, three holds, three expiries");
    assert_eq!(transfers[0].id, TransferId::new("top-1"), "in order");
    let early = db
        .ledger
        .company_transfers("acme", Some(at("2026-01-05T09:00:30.000000Z")))
        .await
        .unwrap();
    assert_eq!(early.len(), 4, "the expiries happened later");
    let on_shipment = db
        .ledger
        .shipment_transfers(&ShipmentKey::new("acme", "o-1"))
        .await
        .unwrap();
    assert!(!on_shipment.is_empty() && on_shipment.iter().all(|t| t.link == link));
    assert!(
        db.ledger
            .transfer(&TransferId::new("top-1"))
            .await
            .unwrap()
            .is_some()
    );
    assert!(
        db.ledger
            .hold(&TransferId::new("nope"))
            .await
            .unwrap()
            .is_none()
    );
    // Credit limits follow the library's rules.
    assert_eq!(
        db.ledger
            .set_credit_limit("acme", Money::from_kurus(-1))
            .await
            .err()
            .map(|e| e.code()),
        Some(Code::RequestInvalidAmount)
    );
    db.ledger
        .set_credit_limit("acme", Money::from_kurus(50_000))
        .await
        .unwrap();
    assert_eq!(
        db.ledger.credit_limit("acme").await.unwrap(),
        Money::from_kurus(50_000)
    );
    assert_eq!(
        db.ledger
            .balance(&AccountKey::available("nobody"))
            .await
            .err()
            .map(|e| e.code()),
        Some(Code::WalletUnknownAccount)
    );
}

async fn shipments(db: &Database, base: &Shipment) {
    let statuses = [ShipmentStatus::Created, ShipmentStatus::Delivered];
    for n in 0..7 {
        let company = if n == 6 { "other" } else { "acme" };
        db.shipments
            .insert(&variant(base, n, company, statuses[n % 2]))
            .await
            .unwrap();
    }
    let dup = db
        .shipments
        .insert(&variant(base, 0, "acme", statuses[0]))
        .await;
    assert!(dup.is_err(), "an id is stored once");
    let id = ShipmentId("shp_parity_000".into());
    let stored = db.shipments.get(&id).await.unwrap().unwrap();
    assert_eq!(stored, variant(base, 0, "acme", statuses[0]));
    let mut moved = stored.clone();
    moved.status = ShipmentStatus::Delivered;
    moved.created.merchant_key = MerchantKey("KJPARITY000-B".into());
    db.shipments.update(&moved).await.unwrap();
    assert_eq!(db.shipments.get(&id).await.unwrap(), Some(moved.clone()));
    let mut ghost = moved.clone();
    ghost.id = ShipmentId("shp_none".into());
    assert_eq!(
        db.shipments.update(&ghost).await.err().map(|e| e.code()),
        Some(Code::NotFoundShipment)
    );
    let found = db
        .shipments
        .find_by_merchant_key(&base.carrier, &MerchantKey("KJPARITY000-B".into()))
        .await
        .unwrap();
    assert_eq!(found.map(|s| s.id), Some(id.clone()));
    assert!(
        db.shipments
            .find_by_merchant_key(&base.carrier, &MerchantKey("KJPARITY000".into()))
            .await
            .unwrap()
            .is_none()
    );
    assert_eq!(db.shipments.list("acme").await.unwrap().len(), 6);
    assert_eq!(db.shipments.list("other").await.unwrap().len(), 1);

    // Pages of two, newest first, then the filters.
    let mut seen = Vec::new();
    let mut filter = ShipmentFilter {
        limit: 2,
        ..ShipmentFilter::default()
    };
    loop {
        let (page, next) = db.shipment_query.page("acme", &filter).await.unwrap();
        seen.extend(page.into_iter().map(|s| s.id.0));
        match next {
            Some(cursor) => filter.before = Some(cursor),
            None => break,
        }
    }
    let expected: Vec<String> = (0..6).rev().map(|n| format!("shp_parity_{n:03}")).collect();
    assert_eq!(seen, expected);
    let delivered = ShipmentFilter {
        status: Some(ShipmentStatus::Delivered),
        limit: 50,
        ..ShipmentFilter::default()
    };
    let (page, next) = db.shipment_query.page("acme", &delivered).await.unwrap();
    assert_eq!(page.len(), 4, "1, 3, 5 and the updated 0");
    assert_eq!(next, None);
    let window = ShipmentFilter {
        order_id: Some("ORD-1".into()),
        carrier: Some(base.carrier.as_str().to_string()),
        created_from: Some(at("2026-01-05T09:01:00.000000Z")),
        created_to: Some(at("2026-01-05T09:04:00.000000Z")),
        limit: 50,
        ..ShipmentFilter::default()
    };
    let (page, _) = db.shipment_query.page("acme", &window).await.unwrap();
    let ids: Vec<String> = page.into_iter().map(|s| s.id.0).collect();
    assert_eq!(
        ids,
        ["shp_parity_001"],
        "ORD-1 is 1 and 4; 4 is at 09:04, outside"
    );
    let none = ShipmentFilter {
        carrier: Some("nobody".into()),
        limit: 5,
        ..ShipmentFilter::default()
    };
    assert!(
        db.shipment_query
            .page("acme", &none)
            .await
            .unwrap()
            .0
            .is_empty()
    );
}

/// The merchant keys a carrier already used in a range: stored shipments (highest first, at
/// most `limit`) and attempts in flight, nothing of other carriers, completed keys or outside.
async fn used_merchant_keys(db: &Database, base: &Shipment) {
    let carrier = base.carrier.as_str();
    for (n, key) in [
        (100, "2791727950012"),
        (101, "2791727950005"),
        (102, "2791727960001"),
    ] {
        let mut s = variant(base, n, "acme", ShipmentStatus::Created);
        s.created.merchant_key = MerchantKey(key.into());
        db.shipments.insert(&s).await.unwrap();
    }
    let attempt = |carrier: kargojet::carrier::CarrierId, key: &str| PendingAttempt {
        carrier,
        account: kargojet::carrier::AccountId::platform(),
        merchant_key: MerchantKey(key.into()),
        attempt: Some(0),
    };
    let s = &db.idempotency;
    assert_eq!(s.begin("used-1", "f").await.unwrap(), Begin::New);
    s.record_attempt("used-1", attempt(base.carrier.clone(), "2791727950029"))
        .await
        .unwrap();
    s.record_attempt("used-1", attempt(base.carrier.clone(), "2791727990000"))
        .await
        .unwrap();
    let other = if base.carrier == kargojet::carrier::CarrierId::Aras {
        kargojet::carrier::CarrierId::Sendeo
    } else {
        kargojet::carrier::CarrierId::Aras
    };
    assert_eq!(s.begin("used-2", "f").await.unwrap(), Begin::New);
    s.record_attempt("used-2", attempt(other.clone(), "2791727950040"))
        .await
        .unwrap();
    assert_eq!(s.begin("used-3", "f").await.unwrap(), Begin::New);
    s.record_attempt("used-3", attempt(base.carrier.clone(), "2791727950050"))
        .await
        .unwrap();
    s.complete("used-3", &ShipmentId("shp_parity_100".into()))
        .await
        .unwrap();

    let (low, high) = ("2791727950000", "2791727959999");
    let sorted = |mut v: Vec<String>| {
        v.sort();
        v
    };
    let q = &db.shipment_query;
    assert_eq!(
        sorted(q.used_merchant_keys(carrier, low, high, 10).await.unwrap()),
        ["2791727950005", "2791727950012", "2791727950029"]
    );
    assert_eq!(
        sorted(q.used_merchant_keys(carrier, low, high, 1).await.unwrap()),
        ["2791727950012", "2791727950029"],
        "the highest stored one, and the attempt in flight"
    );
    assert_eq!(
        q.used_merchant_keys(other.as_str(), low, high, 10)
            .await
            .unwrap(),
        ["2791727950040"]
    );
    assert!(
        q.used_merchant_keys("nobody", low, high, 10)
            .await
            .unwrap()
            .is_empty()
    );
    for key in ["used-1", "used-2", "used-3"] {
        s.release(key).await.unwrap();
    }
}

/// Every store operation, on one database.
async fn conformance(db: Database, base: &Shipment) {
    // Open several connections first, so the concurrent sections below really overlap.
    for r in futures::future::join_all((0..16).map(|_| db.health.ping())).await {
        r.unwrap();
    }
    tenants(&db).await;
    carrier_accounts(&db).await;
    audit(&db).await;
    inbox_and_bulk(&db).await;
    idempotency(&db).await;
    ledger(&db).await;
    shipments(&db, base).await;
    used_merchant_keys(&db, base).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_same_operations_pass_on_both_databases() {
    let base = sample_shipment().await;
    let dir = common::temp_dir("parity");
    let url = format!("sqlite://{}", dir.join("parity.db").display());
    let db = store::open(&url).await.unwrap();
    assert_eq!(db.kind, "sqlite");
    conformance(db, &base).await;
    let _ = std::fs::remove_dir_all(&dir);

    if let Some(pg) = common::postgres_url() {
        let scratch = common::PgScratch::create(&pg).await;
        let db = store::open(&scratch.url).await.unwrap();
        assert_eq!(db.kind, "postgres");
        // A second replica opening the same schema finds the migrations applied.
        let again = store::open(&scratch.url).await.unwrap();
        again.health.ping().await.unwrap();
        let run =
            futures::FutureExt::catch_unwind(std::panic::AssertUnwindSafe(conformance(db, &base)))
                .await;
        drop(again);
        scratch.drop().await;
        if let Err(panic) = run {
            std::panic::resume_unwind(panic);
        }
    }
}

#[tokio::test]
async fn unknown_schemes_are_refused_without_echoing_credentials() {
    let e = store::open("mysql://root:hunter2@127.0.0.1/kj")
        .await
        .err()
        .unwrap();
    let text = e.to_string();
    assert!(
        text.contains("database_url") || text.contains("postgres://"),
        "{text}"
    );
    assert!(!text.contains("hunter2"), "{text}");
}
