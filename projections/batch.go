package projections

import (
	"context"
	"fmt"

	"github.com/sparrow-coach/sparrow/eventstore"
)

// applyBatch applies a batch of delivered events to p inside tx, in bulk:
// the same feeder a rebuild uses (each stream released in version order,
// early events held, gaps filled from the log, transcript runs merged,
// statements pipelined, finalizers recomputed once for the whole batch),
// guarded by projection_versions so every event takes effect exactly once.
//
// Round trips: one to read the streams' versions (and, with quarantine, the
// streams quarantined for p, whose events are left alone), one per pipelined flush: the statements with the versions reached,
// then each finalizer's read and its writes. Any error leaves tx unusable:
// the caller rolls it back and looks for the failing event one by one
// (applyCarefully).
func applyBatch(ctx context.Context, store *eventstore.Store, tx eventstore.Tx, p Projector, batch []eventstore.Delivery, quarantine bool) error {
	ids := make([]string, 0, len(batch))
	seen := map[string]bool{}
	for _, d := range batch {
		if consumes(p, d.StreamType) && !seen[d.StreamID] {
			seen[d.StreamID] = true
			ids = append(ids, d.StreamID)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	// One round trip: the versions of the batch's streams, and the streams
	// quarantined for p (version -1).
	q := `SELECT stream_id::text, version FROM projection_versions WHERE projector = $1 AND stream_id = ANY($2::uuid[])`
	if quarantine {
		q += ` UNION ALL SELECT stream_id::text, -1 FROM projection_quarantine WHERE projector = $1 AND resolved_at IS NULL`
	}
	skip := map[string]bool{}
	seeded := map[string]int{}
	versions := newVersionMap(nil)
	err := eventstore.PgxQuerier{Q: tx}.QueryRows(ctx, func(sc eventstore.Scanner) error {
		var id string
		var v int
		if err := sc.Scan(&id, &v); err != nil {
			return err
		}
		if v < 0 {
			skip[id] = true
			return nil
		}
		seeded[id] = v
		versions.set(id, "", v)
		return nil
	}, q, p.Name(), ids)
	if err != nil {
		return fmt.Errorf("projection %s: reading stream versions: %w", p.Name(), err)
	}
	var evs []eventstore.Event
	for _, d := range batch {
		if !consumes(p, d.StreamType) || skip[d.StreamID] {
			continue
		}
		if d.Err != nil {
			return fmt.Errorf("projection %s: event %s v%d (%s) at position %s: %w", p.Name(), d.StreamID, d.Version, d.Type, d.Position, d.Err)
		}
		evs = append(evs, d.Event)
	}
	if len(evs) == 0 {
		return nil
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
	var upIDs []string
	var upVersions []int32
	for _, id := range ids {
		if v := versions.get(id); v > seeded[id] {
			upIDs, upVersions = append(upIDs, id), append(upVersions, int32(v))
		}
	}
	if len(upIDs) > 0 {
		// Pipelined with the batch's statements: one round trip for both.
		f.batch.Queue(`INSERT INTO projection_versions (projector, stream_id, version)
SELECT $1, s, v FROM unnest($2::uuid[], $3::int[]) AS t(s, v)
ON CONFLICT (projector, stream_id) DO UPDATE SET version = excluded.version`, p.Name(), upIDs, upVersions)
		f.queued++
	}
	if err := f.flush(ctx, tx); err != nil {
		return fmt.Errorf("projection %s: %w", p.Name(), err)
	}
	return nil
}
