-- +goose Up
-- Dead letters of the live projections (owned by projections): an event a projector could not apply, for a
-- reason that does not go away on retry, quarantines its stream for that projector. The projector skips the
-- stream's later events and goes on with every other stream until an operator retries the stream or skips the
-- event (`sparrow projections quarantine list|retry|skip`). Resolved rows stay as history; a skipped event is
-- skipped by rebuilds too.
CREATE TABLE projection_quarantine (
    id             BIGSERIAL   PRIMARY KEY,
    projector      TEXT        NOT NULL,
    stream_id      UUID        NOT NULL,
    stream_type    TEXT        NOT NULL,
    stream_version INTEGER     NOT NULL,
    event_type     TEXT        NOT NULL,
    transaction_id xid8        NOT NULL,
    "offset"       BIGINT      NOT NULL,
    error          TEXT        NOT NULL,
    attempts       INTEGER     NOT NULL,
    quarantined_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    -- NULL while the stream is quarantined; 'retried' or 'skipped' once an operator resolved it.
    resolution     TEXT        CHECK (resolution IN ('retried', 'skipped')),
    resolved_at    TIMESTAMPTZ,
    CHECK ((resolution IS NULL) = (resolved_at IS NULL))
);
-- At most one open quarantine per (projector, stream); the runner reads the open ones every batch.
CREATE UNIQUE INDEX projection_quarantine_open ON projection_quarantine (projector, stream_id) WHERE resolved_at IS NULL;

-- +goose Down
DROP TABLE projection_quarantine;
