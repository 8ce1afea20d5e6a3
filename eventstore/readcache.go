package eventstore

import (
	"context"
	"slices"
	"sort"
	"strconv"
	"sync"
)

// readCache is the newest stretch of the log that a process's consumer
// groups share (ADR 10, addendum "late"): every live consumer group reads
// every event (five groups in the server, three of them decode each call
// event), so without it each event was read from PostgreSQL, sent and
// decoded once per group. A group that holds the stretch's last event has
// the newer events read into it (refreshReads) and takes its events from
// here; a read a round makes for itself is kept when it starts past the
// stretch (or it is empty).
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
// estimated memory, the oldest dropped first: about 3,200 events of a few
// hundred bytes, 0.6 s at 5,000 events/s, so the groups that keep up
// (milliseconds apart) and those woken only by the 500 ms poll (users,
// personas) find their events in it. The server's collector lets its heap
// grow to five times what is live (GOGC 400), so each MB kept may cost
// five of peak memory; a server holding the longest call and 20 streams
// peaked at 109-182 MB with the stretch and 109-148 MB without it (noisy).
const (
	readCacheMax      = 10_000
	readCacheMaxBytes = 4 << 20
)

// size estimates what a shared event keeps in memory: its payload, the
// decoded copy of it, its strings and the struct.
func size(d Delivery) int { return 2*len(d.Payload) + len(d.StreamID) + len(d.Type) + 512 }

// end is the position of the stretch's last event (from when it is empty)
// and whether it holds any.
func (c *readCache) end() (Position, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.endLocked()
}

func (c *readCache) endLocked() (Position, bool) {
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

// refreshReads makes sure the stretch has been read past p, the position
// of a group that holds its last event: it reads the events after the
// stretch's end once for every group that asks meanwhile (they wait for it;
// one that waited for a read that started before its own need and brought
// nothing past p asks again). It reports false when a read failed or ctx
// ended: the round then reads for itself, in its own transaction, and any
// error comes out there.
func (s *Store) refreshReads(ctx context.Context, limit int, p Position) bool {
	c := &s.reads
	for attempt := 0; ; attempt++ {
		c.mu.Lock()
		if end, ok := c.endLocked(); !ok || end != p {
			c.mu.Unlock()
			return ok // moved on since (or emptied: read for yourself)
		}
		ch := c.inflight
		if ch == nil {
			break // c.mu still held: this caller reads
		}
		c.mu.Unlock()
		if attempt == 2 {
			return true // nothing new after two reads: the round finds nothing, and spins
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return false
		}
	}
	ch := make(chan struct{})
	c.inflight = ch
	c.mu.Unlock()
	defer func() {
		c.mu.Lock()
		c.inflight = nil
		c.mu.Unlock()
		close(ch)
	}()
	// consumeRead with no group: locks nothing, reads after p.
	rows, err := s.pool.Query(ctx, consumeRead, "", limit, strconv.FormatUint(p.TxID, 10), p.Offset, nil)
	if err != nil {
		return false
	}
	_, _, _, read, err := s.scanDeliveries(rows)
	if err != nil {
		return false
	}
	c.add(p, read)
	return true
}

// reset forgets the stretch (a redaction rewrote stored payloads).
func (c *readCache) reset() {
	c.mu.Lock()
	defer c.mu.Unlock()
	clear(c.evs)
	c.from, c.evs, c.bytes = Position{}, nil, 0
}

// before reports whether p is past the stretch's last event, or the
// stretch is empty: a read from p then starts (or restarts) it.
func (c *readCache) before(p Position) bool {
	end, ok := c.end()
	return !ok || end.Less(p)
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

// below is the prefix of ds whose transactions are below horizon (a
// snapshot's xmin: what that snapshot surely sees).
func below(ds []Delivery, horizon uint64) []Delivery {
	for i, d := range ds {
		if d.Position.TxID >= horizon {
			return ds[:i]
		}
	}
	return ds
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
