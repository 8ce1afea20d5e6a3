-- +goose Up
-- projector "user_stats": a user's total talk time is a sum over every call.
-- One call lasts at most 24 hours (domain.MaxCallDuration, so calls and
-- stats_calls keep INTEGER duration_seconds), but the sum over all of a
-- user's calls may pass INTEGER's 2^31-1 seconds (about 68 years; some 25,000
-- calls of the maximum length), and a projector that cannot store a value
-- stops for everyone. BIGINT cannot be reached.
ALTER TABLE user_stats ALTER COLUMN total_duration_seconds TYPE BIGINT;

-- +goose Down
ALTER TABLE user_stats ALTER COLUMN total_duration_seconds TYPE INTEGER;
