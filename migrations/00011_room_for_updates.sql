-- +goose Up
-- The rows the live projectors update again and again (a call's row once per transcript line, a stream's applied
-- version once per batch, a call's stats row at its end and scores, a user's stats at each of those) get room on
-- their page: an update that finds room there and changes no indexed column is a HOT update, which writes no index
-- entry, and later updates reclaim the dead versions on the page itself. Filled to 100% (the default) every such
-- update moved the row to another page and wrote every index again. Measured in docs/benchmarks.md ("2026-12-03,
-- afternoon"): an upsert loop on projection_versions went from 0% to 53% HOT and 41% faster; live lag at
-- 4,000 events/s 61/93 ms against 173/106 ms. Rebuilds keep the setting (the shadow tables copy reloptions).
-- Pages written before this migration fill up as before until VACUUM FULL or a rebuild rewrites the table.
ALTER TABLE projection_versions SET (fillfactor = 50);
ALTER TABLE calls SET (fillfactor = 50);
ALTER TABLE stats_calls SET (fillfactor = 50);
ALTER TABLE user_stats SET (fillfactor = 50);

-- +goose Down
ALTER TABLE projection_versions RESET (fillfactor);
ALTER TABLE calls RESET (fillfactor);
ALTER TABLE stats_calls RESET (fillfactor);
ALTER TABLE user_stats RESET (fillfactor);
