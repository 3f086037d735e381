-- KargoJet reference server, PostgreSQL schema 2: the job queue, outbound webhooks (subscriptions,
-- events, deliveries), tracking-poll bookkeeping and the KVKK erasure mark on shipments.
-- Times are UTC RFC 3339 with microseconds in TEXT COLLATE "C" (text order is time order), as
-- in schema 1.
-- Kept in step with migrations/sqlite/0002_jobs_webhooks.sql (same tables, columns and
-- text formats; INTEGER → BIGINT, BLOB → BYTEA, AUTOINCREMENT → identity).

CREATE TABLE jobs (
    id            TEXT COLLATE "C" PRIMARY KEY,
    kind          TEXT COLLATE "C" NOT NULL,       -- webhook.deliver | tracking.poll | tracking.schedule | wallet.sweep | retention.sweep
    dedup_key     TEXT COLLATE "C" UNIQUE,         -- at most one queued/running job per key; cleared when finished
    payload       TEXT COLLATE "C" NOT NULL,       -- JSON
    state         TEXT COLLATE "C" NOT NULL,       -- queued | running | done | dead
    attempts      BIGINT NOT NULL DEFAULT 0,
    max_attempts  BIGINT NOT NULL,
    run_at        TEXT COLLATE "C" NOT NULL,
    locked_by     TEXT COLLATE "C",                -- worker id while running
    lease_until   TEXT COLLATE "C",                -- another worker may take the job over after this
    last_error    TEXT COLLATE "C",
    created_at    TEXT COLLATE "C" NOT NULL,
    updated_at    TEXT COLLATE "C" NOT NULL
);
CREATE INDEX jobs_due ON jobs(state, run_at);  -- the claim: FOR UPDATE SKIP LOCKED over this index
CREATE INDEX jobs_kind ON jobs(kind, state);

CREATE TABLE webhook_subscriptions (
    id          TEXT COLLATE "C" PRIMARY KEY,
    company     TEXT COLLATE "C" NOT NULL REFERENCES companies(id),
    url         TEXT COLLATE "C" NOT NULL,
    events      TEXT COLLATE "C" NOT NULL,         -- JSON list of event types
    key_id      TEXT COLLATE "C" NOT NULL,         -- credentials key that sealed the secrets
    nonce       BYTEA NOT NULL,
    ciphertext  BYTEA NOT NULL,         -- AES-256-GCM(JSON list of signing secrets), AAD = webhook|id|company
    created_at  TEXT COLLATE "C" NOT NULL,
    updated_at  TEXT COLLATE "C" NOT NULL,
    deleted_at  TEXT
);
CREATE INDEX webhook_subscriptions_company ON webhook_subscriptions(company, created_at);

CREATE TABLE webhook_events (
    id          TEXT COLLATE "C" PRIMARY KEY,      -- stable: the same event always has the same id
    company     TEXT COLLATE "C" NOT NULL,
    type        TEXT COLLATE "C" NOT NULL,
    shipment_id TEXT COLLATE "C",
    body        TEXT COLLATE "C" NOT NULL,         -- the exact JSON body sent (no personal data)
    created_at  TEXT COLLATE "C" NOT NULL
);
CREATE INDEX webhook_events_company ON webhook_events(company, created_at);

CREATE TABLE webhook_deliveries (
    seq             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id              TEXT COLLATE "C" NOT NULL UNIQUE,
    company         TEXT COLLATE "C" NOT NULL,
    subscription_id TEXT COLLATE "C" NOT NULL,
    event_id        TEXT COLLATE "C" NOT NULL,
    event_type      TEXT COLLATE "C" NOT NULL,
    state           TEXT COLLATE "C" NOT NULL,     -- pending | delivered | dead | cancelled
    attempts        BIGINT NOT NULL DEFAULT 0,
    last_status     BIGINT,           -- HTTP status of the last attempt
    last_error      TEXT COLLATE "C",
    next_attempt_at TEXT COLLATE "C",
    delivered_at    TEXT COLLATE "C",
    created_at      TEXT COLLATE "C" NOT NULL,
    updated_at      TEXT COLLATE "C" NOT NULL,
    UNIQUE (subscription_id, event_id)
);
CREATE INDEX webhook_deliveries_company ON webhook_deliveries(company, seq);

CREATE TABLE tracking_polls (
    shipment_id  TEXT COLLATE "C" PRIMARY KEY,
    carrier      TEXT COLLATE "C" NOT NULL,
    polled_at    TEXT COLLATE "C" NOT NULL,
    polls        BIGINT NOT NULL DEFAULT 0,
    last_error   TEXT
);

ALTER TABLE shipments ADD COLUMN erased_at TEXT COLLATE "C";  -- when the recipient's personal data was erased (KVKK)
CREATE INDEX shipments_status ON shipments(status, updated_at);
