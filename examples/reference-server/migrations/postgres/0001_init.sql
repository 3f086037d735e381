-- KargoJet reference server, PostgreSQL schema 1: migrations/sqlite/0001_init.sql table by
-- table and column by column (tests/schema_parity.rs checks the names).
-- Every tenant row carries its company. Amounts are decimal strings (exact, as the library
-- writes them), times are UTC RFC 3339 with microseconds (`2026-01-05T09:00:00.000000Z`) in
-- TEXT COLLATE "C", so text order is time order whatever the database's locale; JSON documents
-- are TEXT (kept byte for byte, `\u0000` escapes included). AUTOINCREMENT → identity, BLOB →
-- BYTEA, the 0/1 flag → BOOLEAN.

CREATE TABLE companies (
    id          TEXT COLLATE "C" PRIMARY KEY,
    name        TEXT NOT NULL,
    sender      TEXT,                -- JSON PartyDraft: the warehouse address bulk uploads ship from
    created_at  TEXT COLLATE "C" NOT NULL
);

CREATE TABLE users (
    id            TEXT COLLATE "C" PRIMARY KEY,
    company       TEXT COLLATE "C" NOT NULL REFERENCES companies(id),
    email         TEXT NOT NULL UNIQUE,
    name          TEXT NOT NULL,
    role          TEXT NOT NULL,
    password_hash TEXT NOT NULL,     -- argon2id PHC string
    disabled      BOOLEAN NOT NULL DEFAULT FALSE,
    created_at    TEXT COLLATE "C" NOT NULL
);
CREATE INDEX users_company ON users(company);

CREATE TABLE api_keys (
    id          TEXT COLLATE "C" PRIMARY KEY,    -- the public part of the key (kj_<id>_<secret>)
    company     TEXT COLLATE "C" NOT NULL REFERENCES companies(id),
    name        TEXT NOT NULL,
    role        TEXT NOT NULL,
    hash        BYTEA NOT NULL,      -- HMAC-SHA256(pepper, whole key)
    created_at  TEXT COLLATE "C" NOT NULL,
    created_by  TEXT NOT NULL,
    revoked_at  TEXT COLLATE "C"
);
CREATE INDEX api_keys_company ON api_keys(company);

CREATE TABLE shipments (
    seq             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id              TEXT COLLATE "C" NOT NULL UNIQUE,
    company         TEXT COLLATE "C" NOT NULL,
    carrier         TEXT COLLATE "C" NOT NULL,
    merchant_key    TEXT COLLATE "C" NOT NULL,
    status          TEXT NOT NULL,
    order_id        TEXT,
    created_at      TEXT COLLATE "C" NOT NULL,
    updated_at      TEXT COLLATE "C" NOT NULL,
    data            TEXT NOT NULL    -- JSON kargojet::shipment::Shipment
);
CREATE INDEX shipments_company ON shipments(company, seq);
CREATE INDEX shipments_merchant_key ON shipments(carrier, merchant_key);

CREATE TABLE idempotency (
    key         TEXT COLLATE "C" PRIMARY KEY,
    fingerprint TEXT NOT NULL,
    state       TEXT NOT NULL,       -- JSON kargojet::store::IdempotencyState
    updated_at  TEXT COLLATE "C" NOT NULL
);

CREATE TABLE ledger_companies (
    company       TEXT COLLATE "C" PRIMARY KEY,
    currency      TEXT NOT NULL,
    credit_limit  TEXT NOT NULL
);

CREATE TABLE ledger_balances (
    account   TEXT COLLATE "C" PRIMARY KEY,      -- JSON AccountKey
    company   TEXT COLLATE "C",                  -- NULL for platform accounts
    balance   TEXT NOT NULL,
    currency  TEXT NOT NULL
);

CREATE TABLE ledger_transfers (
    seq             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id              TEXT COLLATE "C" NOT NULL UNIQUE,
    debit_company   TEXT COLLATE "C",
    credit_company  TEXT COLLATE "C",
    shipment        TEXT COLLATE "C",            -- JSON ShipmentKey when tied to a shipment
    at              TEXT COLLATE "C" NOT NULL,
    data            TEXT NOT NULL    -- JSON Transfer
);
CREATE INDEX ledger_transfers_debit ON ledger_transfers(debit_company, seq);
CREATE INDEX ledger_transfers_credit ON ledger_transfers(credit_company, seq);
CREATE INDEX ledger_transfers_shipment ON ledger_transfers(shipment, seq);

CREATE TABLE ledger_holds (
    id          TEXT COLLATE "C" PRIMARY KEY,
    company     TEXT COLLATE "C",
    state       TEXT NOT NULL,
    expires_at  TEXT COLLATE "C",
    created_at  TEXT COLLATE "C" NOT NULL,
    data        TEXT NOT NULL        -- JSON Hold
);
CREATE INDEX ledger_holds_due ON ledger_holds(state, expires_at);
CREATE INDEX ledger_holds_company ON ledger_holds(company, state);

CREATE TABLE carrier_accounts (
    id          TEXT COLLATE "C" PRIMARY KEY,
    company     TEXT COLLATE "C" NOT NULL REFERENCES companies(id),
    carrier     TEXT COLLATE "C" NOT NULL,
    name        TEXT COLLATE "C" NOT NULL,
    key_id      TEXT NOT NULL,       -- credentials key that sealed the row (rotation)
    nonce       BYTEA NOT NULL,
    ciphertext  BYTEA NOT NULL,      -- AES-256-GCM(credentials JSON), AAD = id|company|carrier
    credential_names TEXT NOT NULL,  -- JSON list of the credential field names (never values)
    tariff      TEXT NOT NULL,       -- the contract tariff, TOML
    cod_fee     TEXT,                -- JSON CodFeeTerms: the contract's COD fee, if it offers COD
    created_at  TEXT COLLATE "C" NOT NULL,
    updated_at  TEXT COLLATE "C" NOT NULL,
    UNIQUE (company, carrier, name)
);

CREATE TABLE webhook_inbox (
    event_id     TEXT COLLATE "C" PRIMARY KEY,   -- the carrier event's stable id
    carrier      TEXT NOT NULL,
    shipment_id  TEXT,
    received_at  TEXT COLLATE "C" NOT NULL
);

CREATE TABLE bulk_uploads (
    id          TEXT COLLATE "C" PRIMARY KEY,
    company     TEXT COLLATE "C" NOT NULL,
    file_name   TEXT,
    file_hash   TEXT NOT NULL,
    status      TEXT NOT NULL,       -- planned | purchased
    import      TEXT NOT NULL,       -- JSON ImportResult
    plan        TEXT NOT NULL,       -- JSON BulkPlan
    purchase    TEXT,                -- JSON BulkPurchase without the label bytes
    labels      BYTEA,               -- the merged label PDF
    created_at  TEXT COLLATE "C" NOT NULL,
    updated_at  TEXT COLLATE "C" NOT NULL
);
CREATE INDEX bulk_uploads_company ON bulk_uploads(company, created_at);

CREATE TABLE audit_log (
    seq         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at          TEXT COLLATE "C" NOT NULL,
    company     TEXT COLLATE "C",
    actor       TEXT NOT NULL,       -- key:<id>, user:<id>, carrier:<id>, system
    role        TEXT,
    request_id  TEXT NOT NULL,
    method      TEXT NOT NULL,
    path        TEXT NOT NULL,       -- the route template, e.g. /v1/shipments/{id}/cancel
    object      TEXT,                -- the object acted on, when the path names one
    status      INTEGER NOT NULL
);
CREATE INDEX audit_log_company ON audit_log(company, seq);
