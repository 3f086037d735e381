-- KargoJet reference server, SQLite schema 1.
-- Every tenant row carries its company. Amounts are decimal strings (exact), times are UTC
-- RFC 3339 with microseconds (`2026-01-05T09:00:00.000000Z`), so text order is time order.

CREATE TABLE companies (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    sender      TEXT,                -- JSON PartyDraft: the warehouse address bulk uploads ship from
    created_at  TEXT NOT NULL
);

CREATE TABLE users (
    id            TEXT PRIMARY KEY,
    company       TEXT NOT NULL REFERENCES companies(id),
    email         TEXT NOT NULL UNIQUE,
    name          TEXT NOT NULL,
    role          TEXT NOT NULL,
    password_hash TEXT NOT NULL,     -- argon2id PHC string
    disabled      INTEGER NOT NULL DEFAULT 0,
    created_at    TEXT NOT NULL
);
CREATE INDEX users_company ON users(company);

CREATE TABLE api_keys (
    id          TEXT PRIMARY KEY,    -- the public part of the key (kj_<id>_<secret>)
    company     TEXT NOT NULL REFERENCES companies(id),
    name        TEXT NOT NULL,
    role        TEXT NOT NULL,
    hash        BLOB NOT NULL,       -- HMAC-SHA256(pepper, whole key)
    created_at  TEXT NOT NULL,
    created_by  TEXT NOT NULL,
    revoked_at  TEXT
);
CREATE INDEX api_keys_company ON api_keys(company);

CREATE TABLE shipments (
    seq             INTEGER PRIMARY KEY AUTOINCREMENT,
    id              TEXT NOT NULL UNIQUE,
    company         TEXT NOT NULL,
    carrier         TEXT NOT NULL,
    merchant_key    TEXT NOT NULL,
    status          TEXT NOT NULL,
    order_id        TEXT,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    data            TEXT NOT NULL    -- JSON kargojet::shipment::Shipment
);
CREATE INDEX shipments_company ON shipments(company, seq);
CREATE INDEX shipments_merchant_key ON shipments(carrier, merchant_key);

CREATE TABLE idempotency (
    key         TEXT PRIMARY KEY,
    fingerprint TEXT NOT NULL,
    state       TEXT NOT NULL,       -- JSON kargojet::store::IdempotencyState
    updated_at  TEXT NOT NULL
);

CREATE TABLE ledger_companies (
    company       TEXT PRIMARY KEY,
    currency      TEXT NOT NULL,
    credit_limit  TEXT NOT NULL
);

CREATE TABLE ledger_balances (
    account   TEXT PRIMARY KEY,      -- JSON AccountKey
    company   TEXT,                  -- NULL for platform accounts
    balance   TEXT NOT NULL,
    currency  TEXT NOT NULL
);

CREATE TABLE ledger_transfers (
    seq             INTEGER PRIMARY KEY AUTOINCREMENT,
    id              TEXT NOT NULL UNIQUE,
    debit_company   TEXT,
    credit_company  TEXT,
    shipment        TEXT,            -- JSON ShipmentKey when tied to a shipment
    at              TEXT NOT NULL,
    data            TEXT NOT NULL    -- JSON Transfer
);
CREATE INDEX ledger_transfers_debit ON ledger_transfers(debit_company, seq);
CREATE INDEX ledger_transfers_credit ON ledger_transfers(credit_company, seq);
CREATE INDEX ledger_transfers_shipment ON ledger_transfers(shipment, seq);

CREATE TABLE ledger_holds (
    id          TEXT PRIMARY KEY,
    company     TEXT,
    state       TEXT NOT NULL,
    expires_at  TEXT,
    created_at  TEXT NOT NULL,
    data        TEXT NOT NULL        -- JSON Hold
);
CREATE INDEX ledger_holds_due ON ledger_holds(state, expires_at);
CREATE INDEX ledger_holds_company ON ledger_holds(company, state);

CREATE TABLE carrier_accounts (
    id          TEXT PRIMARY KEY,
    company     TEXT NOT NULL REFERENCES companies(id),
    carrier     TEXT NOT NULL,
    name        TEXT NOT NULL,
    key_id      TEXT NOT NULL,       -- credentials key that sealed the row (rotation)
    nonce       BLOB NOT NULL,
    ciphertext  BLOB NOT NULL,       -- AES-256-GCM(credentials JSON), AAD = id|company|carrier
    credential_names TEXT NOT NULL,  -- JSON list of the credential field names (never values)
    tariff      TEXT NOT NULL,       -- the contract tariff, TOML
    cod_fee     TEXT,                -- JSON CodFeeTerms: the contract's COD fee, if it offers COD
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    UNIQUE (company, carrier, name)
);

CREATE TABLE webhook_inbox (
    event_id     TEXT PRIMARY KEY,   -- the carrier event's stable id
    carrier      TEXT NOT NULL,
    shipment_id  TEXT,
    received_at  TEXT NOT NULL
);

CREATE TABLE bulk_uploads (
    id          TEXT PRIMARY KEY,
    company     TEXT NOT NULL,
    file_name   TEXT,
    file_hash   TEXT NOT NULL,
    status      TEXT NOT NULL,       -- planned | purchased
    import      TEXT NOT NULL,       -- JSON ImportResult
    plan        TEXT NOT NULL,       -- JSON BulkPlan
    purchase    TEXT,                -- JSON BulkPurchase without the label bytes
    labels      BLOB,                -- the merged label PDF
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
CREATE INDEX bulk_uploads_company ON bulk_uploads(company, created_at);

CREATE TABLE audit_log (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    at          TEXT NOT NULL,
    company     TEXT,
    actor       TEXT NOT NULL,       -- key:<id>, user:<id>, carrier:<id>, system
    role        TEXT,
    request_id  TEXT NOT NULL,
    method      TEXT NOT NULL,
    path        TEXT NOT NULL,       -- the route template, e.g. /v1/shipments/{id}/cancel
    object      TEXT,                -- the object acted on, when the path names one
    status      INTEGER NOT NULL
);
CREATE INDEX audit_log_company ON audit_log(company, seq);
