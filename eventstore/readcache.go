package eventstore

import (
	"context"
	"slices"
	"sort"
	"strconv"
	"sync"
)

// readCache is the newest stretch of the log that a process's consumer
// groups share (ADR 10, addendum "one read for every group"): every live
// consumer group reads every event (five groups in the server, three of them
// decode each call event), so without it each event was read from
// PostgreSQL, sent and decoded once per group. A round that reads the log
// adds what it read; a round whose group is inside the stretch takes its
// events from here and reads from the database only what comes after it.
//
// Invariant: evs holds EVERY event of the log after from, up to its last
// event, in log order, decoded for every stream kind. That holds because
// each read it is given was complete from its start (every event after the
// start position whose transaction is below the reading snapshot's xmin:
// all those transactions had ended, so no event can appear later at a
// position before the read's last one), and a read is added only when it
// starts at or before the stretch's last event (else it replaces the
// stretch). Events are shared between groups: handlers treat them as read
// only, as projectors do (they are pure).
type readCache struct {
	mu       sync.Mutex
	from     Position
	evs      []Delivery
	bytes    int           // the stretch's estimated memory (size)
	inflight chan struct{} // closed when the refresh under way ends
}

// The stretch's bounds: at most readCacheMax events and readCacheMaxBytes of
// estimated memory, the oldest dropped first. With events of a few hundred
// bytes that is about 7,000 events (1.4 s at 5,000 events/s); with a call's
// largest transcript lines, fewer (a server holding the longest call and 20
// streams measured 170 MB with a count bound alone, 141 MB without any).
const (
	readCacheMax      = 10_000
	readCacheMaxBytes = 8 << 20
)

// size estimates what a shared event keeps in memory: its payload, the
// decoded copy of it, its strings and the struct.
func size(d Delivery) int { return 2*len(d.Payload) + len(d.StreamID) + len(d.Type) + 512 }

// end is the position of the stretch's last event (from when it is empty)
// and whether it holds any.
func (c *readCache) end() (Position, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.evs) == 0 {
		return c.from, false
	}
	return c.evs[len(c.evs)-1].Position, true
}

// isEnd reports whether p is the stretch's last event.
func (c *readCache) isEnd(p Position) bool {
	end, ok := c.end()
	return ok && end == p
}

// refreshReads reads the events after the stretch's end into it, once for
// every group that asks while it runs: they wait for it instead. A read
// that fails changes nothing (the round that asked reads for itself, or
// fails on the database as well).
func (s *Store) refreshReads(ctx context.Context, limit int) {
	c := &s.reads
	c.mu.Lock()
	if ch := c.inflight; ch != nil {
		c.mu.Unlock()
		select {
		case <-ch:
		case <-ctx.Done():
		}
		return
	}
	ch := make(chan struct{})
	c.inflight = ch
	start := c.from
	if len(c.evs) > 0 {
		start = c.evs[len(c.evs)-1].Position
	}
	c.mu.Unlock()
	defer func() {
		c.mu.Lock()
		c.inflight = nil
		c.mu.Unlock()
		close(ch)
	}()
	// consumeRead with no group: locks nothing, reads after start.
	rows, err := s.pool.Query(ctx, consumeRead, "", limit, strconv.FormatUint(start.TxID, 10), start.Offset)
	if err != nil {
		return
	}
	if _, _, read, err := s.scanDeliveries(rows); err == nil {
		c.add(start, read)
	}
}

// covers reports whether p is the stretch's start or one of its events.
func (c *readCache) covers(p Position) bool {
	_, ok := c.after(p, 0)
	return ok
}

// add records a complete read of the events after start.
func (c *readCache) add(start Position, read []Delivery) {
	if len(read) == 0 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	last := c.from
	if len(c.evs) > 0 {
		last = c.evs[len(c.evs)-1].Position
	}
	if len(c.evs) > 0 && !last.Less(start) {
		// Starts inside the stretch, or before it (a group behind it): what
		// it has past the stretch's end continues it.
		read = read[sort.Search(len(read), func(i int) bool { return last.Less(read[i].Position) }):]
	} else {
		// After a gap (or nothing yet): it becomes the stretch.
		clear(c.evs)
		c.from, c.evs, c.bytes = start, c.evs[:0], 0
	}
	for _, d := range read {
		c.bytes += size(d)
	}
	c.evs = append(c.evs, read...)
	n := 0
	for len(c.evs)-n > readCacheMax || (c.bytes > readCacheMaxBytes && len(c.evs)-n > 1) {
		c.bytes -= size(c.evs[n])
		n++
	}
	if n > 0 {
		// Dropped from the front without moving the rest: the next append
		// that outgrows the array copies only what is kept.
		c.from = c.evs[n-1].Position
		clear(c.evs[:n])
		c.evs = c.evs[n:]
	}
}

// after returns up to limit events after p, if the stretch covers p (p is
// its start or one of its events, or its last one: then none).
func (c *readCache) after(p Position, limit int) ([]Delivery, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.evs) == 0 || p.Less(c.from) || c.evs[len(c.evs)-1].Position.Less(p) {
		return nil, false
	}
	i := sort.Search(len(c.evs), func(i int) bool { return p.Less(c.evs[i].Position) })
	if i > 0 && c.evs[i-1].Position != p {
		return nil, false // p is between two events: not a position this log has
	} else if i == 0 && p != c.from {
		return nil, false
	}
	return slices.Clone(c.evs[i:min(len(c.evs), i+limit)]), true
}

// forGroup is d as a group that decodes only the kinds in decode (nil: all)
// sees it: an event of another kind has its position, stream, version and
// type only.
func forGroup(d Delivery, decode []string) Delivery {
	if decode == nil || slices.Contains(decode, d.StreamType) {
		return d
	}
	return Delivery{Event: Event{Position: d.Position, StreamID: d.StreamID, StreamType: d.StreamType, Version: d.Version,
		Type: d.Type, SchemaVersion: d.SchemaVersion, RecordedAt: d.RecordedAt}}
}
