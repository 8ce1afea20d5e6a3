-- +goose Up
-- projector "user_stats": the user's time zones over time. A call counts for
-- the calendar day of its end in the zone the user had set at that moment,
-- whatever order the events are applied in.
CREATE TABLE stats_timezones (
    user_id      UUID        NOT NULL,
    effective_at TIMESTAMPTZ NOT NULL,
    timezone     TEXT        NOT NULL,
    PRIMARY KEY (user_id, effective_at)
);

-- +goose Down
DROP TABLE stats_timezones;
