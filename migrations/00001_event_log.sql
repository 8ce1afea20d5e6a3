-- +goose Up
-- The event log: the only source of truth. One row per event, every stream.
-- watermill-sql's subscriber reads it in (transaction_id, "offset") order and
-- only below pg_snapshot_xmin(pg_current_snapshot()), so a row whose
-- transaction commits late is never skipped.
CREATE TABLE events (
    "offset"        BIGSERIAL   NOT NULL,
    transaction_id  xid8        NOT NULL DEFAULT pg_current_xact_id(),
    event_id        UUID        NOT NULL,
    stream_id       UUID        NOT NULL,
    stream_type     TEXT        NOT NULL,
    stream_version  INTEGER     NOT NULL CHECK (stream_version > 0),
    event_type      TEXT        NOT NULL,
    schema_version  INTEGER     NOT NULL CHECK (schema_version > 0),
    payload         JSONB       NOT NULL,
    metadata        JSONB       NOT NULL,
    recorded_at     TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp(),
    PRIMARY KEY (transaction_id, "offset"),
    -- Optimistic concurrency: two appends of the same version collide here (SQLSTATE 23505).
    CONSTRAINT events_stream_version_key UNIQUE (stream_id, stream_version),
    -- Idempotent retries: an event id is recorded once.
    CONSTRAINT events_event_id_key UNIQUE (event_id)
);

-- Consumer-group offsets, in the shape watermill-sql's PostgreSQL offsets adapter uses.
CREATE TABLE event_consumer_offsets (
    consumer_group                VARCHAR(255) NOT NULL PRIMARY KEY,
    offset_acked                  BIGINT,
    last_processed_transaction_id xid8         NOT NULL
);

-- Last stream version each projector applied, so events apply once and in order.
CREATE TABLE projection_versions (
    projector TEXT    NOT NULL,
    stream_id UUID    NOT NULL,
    version   INTEGER NOT NULL,
    PRIMARY KEY (projector, stream_id)
);

-- +goose Down
DROP TABLE projection_versions;
DROP TABLE event_consumer_offsets;
DROP TABLE events;
