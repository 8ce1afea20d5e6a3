-- +goose Up
-- Calls held elsewhere and imported from their transcript (POST /api/calls/import, `sparrow import`): marked
-- imported, and with no persona when none applies. They count in history, totals and averages, not in streaks
-- (a streak is days of practice).
ALTER TABLE calls ALTER COLUMN persona_id DROP NOT NULL;
ALTER TABLE calls ADD COLUMN imported BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE stats_calls ADD COLUMN imported BOOLEAN NOT NULL DEFAULT FALSE;

-- +goose Down
ALTER TABLE stats_calls DROP COLUMN imported;
ALTER TABLE calls DROP COLUMN imported;
ALTER TABLE calls ALTER COLUMN persona_id SET NOT NULL;
