-- KargoJet reference server, PostgreSQL schema 3: inbound webhook events are claimed with a lease
-- and marked done only after they were applied. An unfinished claim whose lease ran out (its
-- process died, or applying failed and the claim could not be given back) can be claimed again,
-- so a carrier's retry is applied instead of being taken for a duplicate.
-- Kept in step with migrations/sqlite/0003_inbox_leases.sql.

ALTER TABLE webhook_inbox ADD COLUMN lease_until TEXT COLLATE "C"; -- claimed until; NULL: free to claim
ALTER TABLE webhook_inbox ADD COLUMN claim_token TEXT;   -- the current claim (releases name it)
ALTER TABLE webhook_inbox ADD COLUMN done_at TEXT COLLATE "C"; -- applied (or unmatched) at; NULL: not yet

-- Schema 2 recorded a claim and the shipment it updated in two writes: a row with its shipment
-- was applied; a row without one was either unmatched or a claim whose apply never finished.
-- The latter stay open (lease NULL), so the carrier's next delivery applies them (applying is
-- idempotent: an unmatched event is simply unmatched again).
UPDATE webhook_inbox SET done_at = received_at WHERE shipment_id IS NOT NULL;
