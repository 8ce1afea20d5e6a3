-- +goose Up
-- Deep-scoring jobs. The "scoring_jobs" projector keeps wanted_version (the
-- call's transcript version), ended and done_version (the newest transcript
-- version deep-scored) from the log; the worker owns the operational columns
-- (lease, attempts, last error). A job is due while ended and
-- done_version < wanted_version.
CREATE TABLE scoring_jobs (
    call_id        UUID        PRIMARY KEY,
    wanted_version INTEGER     NOT NULL DEFAULT 0,
    ended          BOOLEAN     NOT NULL DEFAULT FALSE,
    done_version   INTEGER,
    attempts       INTEGER     NOT NULL DEFAULT 0,
    not_before     TIMESTAMPTZ NOT NULL DEFAULT '-infinity',
    last_error     TEXT
);
CREATE INDEX idx_scoring_jobs_due ON scoring_jobs (not_before)
    WHERE ended AND (done_version IS NULL OR done_version < wanted_version);

-- +goose Down
DROP TABLE scoring_jobs;
