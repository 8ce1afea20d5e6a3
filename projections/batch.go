package projections

import (
	"context"
	"fmt"
	"maps"

	"github.com/sparrow-coach/sparrow/eventstore"
)

// applyBatch applies a batch of delivered events to p inside tx, in bulk:
// the same feeder a rebuild uses (each stream released in version order,
// early events held, gaps filled from the log, statements pipelined,
// finalizers recomputed once for the whole batch),
// guarded by projection_versions so every event takes effect exactly once.
//
// Round trips: one to read the streams' versions (and, with quarantine, the
// streams quarantined for p, whose events are left alone), one per pipelined flush: the statements with the versions reached,
// then each finalizer's read and its writes. Any error leaves tx unusable:
// the caller rolls it back and looks for the failing event one by one
// (applyCarefully).
//
// With a cache (the live runner's, valid for an unbroken round: see
// versionCache) the versions are not read when the cache knows every stream
// of the batch or the batch starts it at version 1.
func applyBatch(ctx context.Context, store *eventstore.Store, tx eventstore.Tx, p Projector, batch []eventstore.Delivery, quarantine bool, cache *versionCache) error {
	ids := make([]string, 0, len(batch))
	first := map[string]int{} // each stream's first version in the batch
	for _, d := range batch {
		if !consumes(p, d.StreamType) {
			continue
		}
		if _, ok := first[d.StreamID]; !ok {
			first[d.StreamID] = d.Version
			ids = append(ids, d.StreamID)
		} else {
			first[d.StreamID] = min(first[d.StreamID], d.Version)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	skip := map[string]bool{}
	seeded := map[string]int{}
	versions := newVersionMap(nil)
	if cache.covers(ids, first) {
		skip = cache.skip
		for _, id := range ids {
			if v := cache.known[id]; v > 0 {
				seeded[id] = v
				versions.set(id, "", v)
			}
		}
	} else {
		// One round trip: the versions of the batch's streams, and the streams
		// quarantined for p (version -1).
		q := `SELECT stream_id::text, version FROM projection_versions WHERE projector = $1 AND stream_id = ANY($2::uuid[])`
		if quarantine {
			q += ` UNION ALL SELECT stream_id::text, -1 FROM projection_quarantine WHERE projector = $1 AND resolved_at IS NULL`
		}
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
		}, q, p.Name(), uuidArray(ids))
		if err != nil {
			return fmt.Errorf("projection %s: reading stream versions: %w", p.Name(), err)
		}
		if quarantine {
			cache.learn(ids, seeded, skip)
		}
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
			cache.stage(id, v)
		}
	}
	if len(upIDs) > 0 {
		// Pipelined with the batch's statements: one round trip for both.
		f.batch.Queue(`INSERT INTO projection_versions (projector, stream_id, version)
SELECT $1, s, v FROM unnest($2::uuid[], $3::int[]) AS t(s, v)
ON CONFLICT (projector, stream_id) DO UPDATE SET version = excluded.version`, p.Name(), uuidArray(upIDs), upVersions)
		f.queued++
	}
	flush := f.flush
	if d, ok := tx.(deferrer); ok {
		flush = func(ctx context.Context, tx eventstore.Tx) error { return f.flushDeferred(ctx, tx, d) }
	}
	if err := flush(ctx, tx); err != nil {
		return fmt.Errorf("projection %s: %w", p.Name(), err)
	}
	return nil
}

// versionCache is what one live consumer loop (one eventstore.Consume)
// knows of its projector's projection_versions and open quarantines, from
// its own rounds. It may stand in for reading them only in an unbroken round
// (eventstore.Round.Unbroken): every other writer of projection_versions or
// projection_quarantine for a projector (another replica's round, a
// rebuild's swap, a quarantine resolution: all through HoldConsumers and
// MoveConsumer) writes the group's offsets row in the same transaction,
// which breaks the chain. A stream the cache does not know is at version 0
// if the batch starts it at version 1: in an unbroken chain nothing after
// the group's offset was applied by anyone else. What a round learns is
// staged and kept only when the round commits (commit); anything else
// (a round rolled back, one applied event by event) forgets it all. A nil
// cache always reads.
type versionCache struct {
	known   map[string]int  // stream -> version applied, 0 for a stream read and absent
	skip    map[string]bool // streams quarantined for the projector
	filled  bool            // skip is known (a read has happened in this chain)
	ready   bool            // this round is unbroken and nothing since filled was forgotten
	pending map[string]int  // versions this round reached, until it commits
}

// maxCachedStreams bounds a cache's memory; a full cache starts over (the
// next batch with a stream it does not know reads the versions again).
const maxCachedStreams = 100_000

func newVersionCache() *versionCache {
	return &versionCache{known: map[string]int{}, skip: map[string]bool{}, pending: map[string]int{}}
}

// begin starts a round: unbroken says whether the chain held since the last
// commit.
func (c *versionCache) begin(unbroken bool) {
	if c == nil {
		return
	}
	clear(c.pending)
	c.ready = unbroken && c.filled
	if !unbroken {
		c.forget()
	}
}

// forget drops everything (the chain broke, or the round went event by event).
func (c *versionCache) forget() {
	if c == nil {
		return
	}
	clear(c.known)
	clear(c.skip)
	clear(c.pending)
	c.filled, c.ready = false, false
}

func (c *versionCache) covers(ids []string, first map[string]int) bool {
	if c == nil || !c.ready {
		return false
	}
	for _, id := range ids {
		if _, ok := c.known[id]; !ok && first[id] != 1 {
			return false
		}
	}
	return true
}

// learn records what a read in this round found (uncommitted reads are
// facts about committed data, so they need no staging).
func (c *versionCache) learn(ids []string, seeded map[string]int, skip map[string]bool) {
	if c == nil {
		return
	}
	if len(c.known)+len(ids) > maxCachedStreams {
		clear(c.known)
	}
	for _, id := range ids {
		c.known[id] = seeded[id]
	}
	c.skip = maps.Clone(skip)
	c.filled = true
}

func (c *versionCache) stage(id string, v int) {
	if c != nil {
		c.pending[id] = v
	}
}

// commit keeps what the committed round staged.
func (c *versionCache) commit() {
	if c == nil {
		return
	}
	if len(c.known)+len(c.pending) > maxCachedStreams {
		clear(c.known)
	}
	maps.Copy(c.known, c.pending)
	clear(c.pending)
}
