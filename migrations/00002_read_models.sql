-- +goose Up
-- Read tables (spec §6.2), built only by projectors from the event log.
-- Timestamps come from the events (never now()), so a rebuild reproduces
-- every column exactly and `sparrow projections verify` can compare them.
-- Foreign keys exist only between tables of the SAME projector (see
-- docs/adr/0003-projections.md): projectors lag and rebuild independently.

-- projector "users"
CREATE TABLE users (
    id                   UUID PRIMARY KEY,
    clerk_id             TEXT        NOT NULL UNIQUE,
    email                TEXT        NOT NULL,
    full_name            TEXT,
    avatar_url           TEXT,
    onboarding_completed BOOLEAN     NOT NULL DEFAULT FALSE,
    onboarding_data      JSONB       NOT NULL DEFAULT '{}',
    timezone             TEXT,
    created_at           TIMESTAMPTZ NOT NULL,
    updated_at           TIMESTAMPTZ NOT NULL
);
CREATE INDEX idx_users_email ON users (email);

-- projector "personas"
CREATE TABLE personas (
    id             UUID PRIMARY KEY,
    name           TEXT        NOT NULL,
    role           TEXT        NOT NULL,
    company        TEXT        NOT NULL,
    industry       TEXT        NOT NULL,
    personality    TEXT        NOT NULL CHECK (personality IN ('skeptical', 'busy', 'friendly', 'technical', 'hostile')),
    difficulty     TEXT        NOT NULL CHECK (difficulty IN ('easy', 'medium', 'hard')),
    backstory      TEXT        NOT NULL,
    hidden_pains   JSONB       NOT NULL DEFAULT '[]',
    objections     JSONB       NOT NULL DEFAULT '[]',
    voice_id       TEXT        NOT NULL,
    system_prompt  TEXT        NOT NULL,
    first_message  TEXT,
    first_messages JSONB       NOT NULL DEFAULT '{}',
    is_preset      BOOLEAN     NOT NULL DEFAULT FALSE,
    owner_user_id  UUID,
    created_at     TIMESTAMPTZ NOT NULL
);
CREATE INDEX idx_personas_owner ON personas (owner_user_id) WHERE owner_user_id IS NOT NULL;

-- projector "calls": calls, transcripts, scores
CREATE TABLE calls (
    id                         UUID PRIMARY KEY,
    user_id                    UUID        NOT NULL,
    persona_id                 UUID        NOT NULL,
    mode                       TEXT        NOT NULL CHECK (mode IN ('cold_call', 'discovery', 'objection_gauntlet')),
    status                     TEXT        NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'in_progress', 'completed', 'failed')),
    started_at                 TIMESTAMPTZ,
    ended_at                   TIMESTAMPTZ,
    duration_seconds           INTEGER,
    end_reason                 TEXT,
    failure_reason             TEXT,
    elevenlabs_conversation_id TEXT,
    metadata                   JSONB       NOT NULL DEFAULT '{}',
    transcript_version         INTEGER     NOT NULL DEFAULT 0,
    version                    INTEGER     NOT NULL,
    created_at                 TIMESTAMPTZ NOT NULL,
    updated_at                 TIMESTAMPTZ NOT NULL
);
CREATE INDEX idx_calls_user_id ON calls (user_id, created_at DESC, id DESC);
CREATE INDEX idx_calls_status ON calls (status);
CREATE INDEX idx_calls_created_at ON calls (created_at DESC);
CREATE INDEX idx_calls_conversation ON calls (elevenlabs_conversation_id) WHERE elevenlabs_conversation_id IS NOT NULL;

CREATE TABLE transcripts (
    id           UUID PRIMARY KEY,
    call_id      UUID        NOT NULL REFERENCES calls (id) ON DELETE CASCADE,
    role         TEXT        NOT NULL CHECK (role IN ('user', 'assistant')),
    content      TEXT        NOT NULL,
    timestamp_ms BIGINT      NOT NULL CHECK (timestamp_ms >= 0),
    seq          INTEGER     NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL
);
-- Serves both "transcripts of a call" and "ordered by timestamp".
CREATE INDEX idx_transcripts_call_id ON transcripts (call_id, timestamp_ms, seq);

CREATE TABLE scores (
    id                       UUID PRIMARY KEY,
    call_id                  UUID        NOT NULL UNIQUE REFERENCES calls (id) ON DELETE CASCADE,
    overall_score            INTEGER     NOT NULL CHECK (overall_score BETWEEN 0 AND 100),
    opening_score            INTEGER CHECK (opening_score BETWEEN 0 AND 100),
    discovery_score          INTEGER CHECK (discovery_score BETWEEN 0 AND 100),
    objection_score          INTEGER CHECK (objection_score BETWEEN 0 AND 100),
    communication_score      INTEGER CHECK (communication_score BETWEEN 0 AND 100),
    closing_score            INTEGER CHECK (closing_score BETWEEN 0 AND 100),
    strengths                JSONB       NOT NULL DEFAULT '[]',
    improvements             JSONB       NOT NULL DEFAULT '[]',
    key_moments              JSONB       NOT NULL DEFAULT '[]',
    raw_feedback             TEXT,
    metrics                  JSONB,
    quick_score              INTEGER CHECK (quick_score BETWEEN 0 AND 100),
    quick_summary            TEXT,
    quick_provider           TEXT,
    quick_model              TEXT,
    quick_transcript_version INTEGER,
    deep_status              TEXT        NOT NULL DEFAULT 'pending' CHECK (deep_status IN ('pending', 'ready', 'failed')),
    deep_provider            TEXT,
    deep_model               TEXT,
    rubric_version           TEXT,
    deep_transcript_version  INTEGER,
    deep_error               TEXT,
    deep_failed_version      INTEGER,
    created_at               TIMESTAMPTZ NOT NULL,
    updated_at               TIMESTAMPTZ NOT NULL
);

-- projector "user_stats": user_stats and its working table stats_calls
CREATE TABLE user_stats (
    id                     UUID PRIMARY KEY,
    user_id                UUID         NOT NULL UNIQUE,
    timezone               TEXT         NOT NULL DEFAULT 'UTC',
    total_calls            INTEGER      NOT NULL DEFAULT 0,
    total_duration_seconds INTEGER      NOT NULL DEFAULT 0,
    avg_score              DECIMAL(5,2) NOT NULL DEFAULT 0,
    best_score             INTEGER      NOT NULL DEFAULT 0,
    -- current_streak is the run ending on last_call_date; readers turn it to 0
    -- once last_call_date is before yesterday (domain.StreakSummary.CurrentStreak).
    current_streak         INTEGER      NOT NULL DEFAULT 0,
    longest_streak         INTEGER      NOT NULL DEFAULT 0,
    last_call_date         DATE,
    calls_by_mode          JSONB        NOT NULL DEFAULT '{"cold_call": 0, "discovery": 0, "objection_gauntlet": 0}',
    updated_at             TIMESTAMPTZ  NOT NULL
);

-- One row per call of a known user: what the stats are derived from. The
-- call's day is fixed when its end is recorded, in the user's zone at that time.
CREATE TABLE stats_calls (
    call_id          UUID PRIMARY KEY,
    user_id          UUID    NOT NULL,
    mode             TEXT    NOT NULL,
    ended_at         TIMESTAMPTZ,
    day              DATE,
    duration_seconds INTEGER,
    score            INTEGER,
    deep_scored      BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE INDEX idx_stats_calls_user ON stats_calls (user_id);

-- +goose Down
DROP TABLE stats_calls;
DROP TABLE user_stats;
DROP TABLE scores;
DROP TABLE transcripts;
DROP TABLE calls;
DROP TABLE personas;
DROP TABLE users;
