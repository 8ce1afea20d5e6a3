package projections

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/sparrow-coach/sparrow/eventstore"
)

// applyBatch applies a batch of delivered events to p inside tx, in bulk:
// the same feeder a rebuild uses (each stream released in version order,
// early events held, gaps filled from the log, transcript runs merged,
// statements pipelined, finalizers recomputed once for the whole batch),
// guarded by projection_versions so every event takes effect exactly once.
//
// Round trips: one to read the streams' versions, one per pipelined flush
// (statements, then each finalizer's read and its writes), one to record
// the versions reached. Events of streams in skip (quarantined for p) are
// left alone. Any error leaves tx unusable: the caller rolls it back and
// looks for the failing event one by one (applyCarefully).
func applyBatch(ctx context.Context, store *eventstore.Store, tx pgx.Tx, p Projector, batch []eventstore.Delivery, skip map[string]bool) error {
	var evs []eventstore.Event
	streams := map[string]bool{}
	for _, d := range batch {
		if !consumes(p, d.StreamType) || skip[d.StreamID] {
			continue
		}
		if d.Err != nil {
			return fmt.Errorf("projection %s: event %s v%d (%s) at position %s: %w", p.Name(), d.StreamID, d.Version, d.Type, d.Position, d.Err)
		}
		evs = append(evs, d.Event)
		streams[d.StreamID] = true
	}
	if len(evs) == 0 {
		return nil
	}
	ids := make([]string, 0, len(streams))
	for s := range streams {
		ids = append(ids, s)
	}
	seeded := map[string]int{}
	versions := newVersionMap(nil)
	err := eventstore.PgxQuerier{Q: tx}.QueryRows(ctx, func(sc eventstore.Scanner) error {
		var id string
		var v int
		if err := sc.Scan(&id, &v); err != nil {
			return err
		}
		seeded[id] = v
		versions.set(id, "", v)
		return nil
	}, `SELECT stream_id::text, version FROM projection_versions WHERE projector = $1 AND stream_id = ANY($2::uuid[])`, p.Name(), ids)
	if err != nil {
		return fmt.Errorf("projection %s: reading stream versions: %w", p.Name(), err)
	}
	f := newFeeder([]Projector{p}, versions)
	for _, e := range evs {
		if err := f.feed(e); err != nil {
			return err
		}
	}
	if err := f.fillGaps(ctx, store, eventstore.PgxQuerier{Q: tx}); err != nil {
		return fmt.Errorf("projection %s: %w", p.Name(), err)
	}
	if err := f.flush(ctx, tx); err != nil {
		return fmt.Errorf("projection %s: %w", p.Name(), err)
	}
	var upIDs []string
	var upVersions []int32
	for _, id := range ids {
		if v := versions.get(id); v > seeded[id] {
			upIDs, upVersions = append(upIDs, id), append(upVersions, int32(v))
		}
	}
	if len(upIDs) == 0 {
		return nil
	}
	if _, err := tx.Exec(ctx, `INSERT INTO projection_versions (projector, stream_id, version)
SELECT $1, s, v FROM unnest($2::uuid[], $3::int[]) AS t(s, v)
ON CONFLICT (projector, stream_id) DO UPDATE SET version = excluded.version`, p.Name(), upIDs, upVersions); err != nil {
		return fmt.Errorf("projection %s: recording stream versions: %w", p.Name(), err)
	}
	return nil
}
