-- +goose Up
-- Requests made with an Idempotency-Key (owned by package app, app/idempotency.go). A key is scoped to
-- its user, method, route template and the route's resource id (a call id, or '' when the route has none).
-- A row is claimed (status NULL) while the first request runs; its 2xx response is then kept, so a retry
-- with the same body gets it again and a retry with another body is refused. Rows expire after a day.
CREATE TABLE idempotency_requests (
    user_id      TEXT        NOT NULL,
    method       TEXT        NOT NULL,
    route        TEXT        NOT NULL,
    resource_id  TEXT        NOT NULL,
    key          TEXT        NOT NULL,
    fingerprint  BYTEA       NOT NULL,
    claimed_at   TIMESTAMPTZ NOT NULL,
    status       INTEGER,
    content_type TEXT,
    location     TEXT,
    body         BYTEA,
    PRIMARY KEY (user_id, method, route, resource_id, key)
);
CREATE INDEX idx_idempotency_requests_claimed_at ON idempotency_requests (claimed_at);

-- Webhook deliveries handled (owned by package app, app/webhooks.go): every delivery id a sender gave, applied
-- or not, so a redelivery is answered as a duplicate and changes nothing. Rows expire after 14 days (Svix
-- retries for about 28 hours).
CREATE TABLE webhook_deliveries (
    source      TEXT        NOT NULL,
    delivery_id TEXT        NOT NULL,
    result      TEXT        NOT NULL,
    handled_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (source, delivery_id)
);
CREATE INDEX idx_webhook_deliveries_handled_at ON webhook_deliveries (handled_at);

-- +goose Down
DROP TABLE webhook_deliveries;
DROP TABLE idempotency_requests;
