-- +goose Up
-- transcripts and scores lose their foreign keys to calls (projector "calls" owns all three). Every write to a
-- child row is already tied to its call existing (INSERT ... WHERE EXISTS, in the same statement), and the
-- projector deletes a call's children itself, in the transaction that deletes the call: the foreign key only
-- re-checked, row by row, what the statement had just checked (in SQL alone, 64,000 transcript rows took 1,096 ms
-- with it and 431 ms without; ADR 10 addendum, docs/benchmarks.md "2026-12-03, afternoon"). A child of no call can
-- then only come from a bug in the projector, and `sparrow projections verify` finds it like any other wrong row.
ALTER TABLE transcripts DROP CONSTRAINT transcripts_call_id_fkey;
ALTER TABLE scores DROP CONSTRAINT scores_call_id_fkey;

-- +goose Down
DELETE FROM transcripts t WHERE NOT EXISTS (SELECT 1 FROM calls c WHERE c.id = t.call_id);
DELETE FROM scores s WHERE NOT EXISTS (SELECT 1 FROM calls c WHERE c.id = s.call_id);
ALTER TABLE transcripts ADD CONSTRAINT transcripts_call_id_fkey FOREIGN KEY (call_id) REFERENCES calls (id) ON DELETE CASCADE;
ALTER TABLE scores ADD CONSTRAINT scores_call_id_fkey FOREIGN KEY (call_id) REFERENCES calls (id) ON DELETE CASCADE;
