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

-- +goose Down
DROP TABLE idempotency_requests;
