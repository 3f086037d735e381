-- KargoJet reference server, SQLite schema 2: the job queue, outbound webhooks (subscriptions,
-- events, deliveries), tracking-poll bookkeeping and the KVKK erasure mark on shipments.
-- Times are UTC RFC 3339 with microseconds (text order is time order), as in schema 1.
-- Kept in step with migrations/postgres/0002_jobs_webhooks.sql.

CREATE TABLE jobs (
    id            TEXT PRIMARY KEY,
    kind          TEXT NOT NULL,       -- webhook.deliver | tracking.poll | tracking.schedule | wallet.sweep | retention.sweep
    dedup_key     TEXT UNIQUE,         -- at most one queued/running job per key; cleared when finished
    payload       TEXT NOT NULL,       -- JSON
    state         TEXT NOT NULL,       -- queued | running | done | dead
    attempts      INTEGER NOT NULL DEFAULT 0,
    max_attempts  INTEGER NOT NULL,
    run_at        TEXT NOT NULL,
    locked_by     TEXT,                -- worker id while running
    lease_until   TEXT,                -- another worker may take the job over after this
    last_error    TEXT,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);
CREATE INDEX jobs_due ON jobs(state, run_at);
CREATE INDEX jobs_kind ON jobs(kind, state);

CREATE TABLE webhook_subscriptions (
    id          TEXT PRIMARY KEY,
    company     TEXT NOT NULL REFERENCES companies(id),
    url         TEXT NOT NULL,
    events      TEXT NOT NULL,         -- JSON list of event types
    key_id      TEXT NOT NULL,         -- credentials key that sealed the secrets
    nonce       BLOB NOT NULL,
    ciphertext  BLOB NOT NULL,         -- AES-256-GCM(JSON list of signing secrets), AAD = webhook|id|company
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    deleted_at  TEXT
);
CREATE INDEX webhook_subscriptions_company ON webhook_subscriptions(company, created_at);

CREATE TABLE webhook_events (
    id          TEXT PRIMARY KEY,      -- stable: the same event always has the same id
    company     TEXT NOT NULL,
    type        TEXT NOT NULL,
    shipment_id TEXT,
    body        TEXT NOT NULL,         -- the exact JSON body sent (no personal data)
    created_at  TEXT NOT NULL
);
CREATE INDEX webhook_events_company ON webhook_events(company, created_at);

CREATE TABLE webhook_deliveries (
    seq             INTEGER PRIMARY KEY AUTOINCREMENT,
    id              TEXT NOT NULL UNIQUE,
    company         TEXT NOT NULL,
    subscription_id TEXT NOT NULL,
    event_id        TEXT NOT NULL,
    event_type      TEXT NOT NULL,
    state           TEXT NOT NULL,     -- pending | delivered | dead | cancelled
    attempts        INTEGER NOT NULL DEFAULT 0,
    last_status     INTEGER,           -- HTTP status of the last attempt
    last_error      TEXT,
    next_attempt_at TEXT,
    delivered_at    TEXT,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    UNIQUE (subscription_id, event_id)
);
CREATE INDEX webhook_deliveries_company ON webhook_deliveries(company, seq);

CREATE TABLE tracking_polls (
    shipment_id  TEXT PRIMARY KEY,
    carrier      TEXT NOT NULL,
    polled_at    TEXT NOT NULL,
    polls        INTEGER NOT NULL DEFAULT 0,
    last_error   TEXT
);

ALTER TABLE shipments ADD COLUMN erased_at TEXT;  -- when the recipient's personal data was erased (KVKK)
CREATE INDEX shipments_status ON shipments(status, updated_at);
