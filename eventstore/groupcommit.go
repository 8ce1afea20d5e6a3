package eventstore

import (
	"context"
	"fmt"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// Group commit: concurrent appends share one statement, one round trip and
// one commit (one WAL flush). Append validates and encodes its events, then
// queues them here. A group takes what is queued (at most MaxAppends
// appends and about MaxBytes of payload and metadata, never two appends of
// one stream) and inserts it with appendGroupSQL; each append's guard is
// evaluated on its own, so each append is still all or nothing, whatever
// its neighbours do.
//
// When groups go: there is no artificial delay. With no group in flight, an
// append is sent at once (alone, through the single-append statement). While
// a group is in flight, appends queue, and the group that follows takes all
// of them when it ends. A second group (up to InFlight) goes out alongside
// only when a full group is waiting or when no group has been sent for
// SlowGroup: one slow commit (a big append, a lock held by another process)
// does not hold every append, yet a busy store sends few large groups, which
// is what it can afford: on 2 cores each statement and commit costs CPU, and
// two groups in flight all the time appended 5-35% fewer events per second
// than one (bench --only append, alternating runs).
//
// Each group is sent by a goroutine of its own, started when the group is
// taken and ended when its outcome is delivered: there is nothing to close.
//
// What happens to an append, by the statement's outcome:
//   - its rows came back: it is recorded; OnAppend is called, then Append
//     returns the result;
//   - no rows came back for it: its guard failed (the stream is not at the
//     expected version), and Append resolves it as before
//     (resolveRejectedAppend: idempotent retry, ErrConcurrencyConflict or
//     ErrEventIDReused);
//   - the statement failed (a unique violation from a writer in another
//     process, an event id recorded elsewhere, a payload PostgreSQL refuses):
//     nothing of the group was written, and every Append of the group runs
//     alone through the single-append statements, in its own goroutine with
//     its own context, so only the guilty append fails.
//
// A group is sent with a context that ends when every caller in it has
// given up. A caller whose context ends while its append is queued removes
// it and returns the context's error: nothing was written. One whose context
// ends after its group was sent returns at once with the context's error,
// but its append stays in the group: whether it was recorded is whatever
// the database did, as for any write cancelled in flight; retrying with the
// same event ids tells (the retry is idempotent).

// GroupCommitConfig bounds the append groups. Zero fields take the defaults.
type GroupCommitConfig struct {
	// InFlight is how many groups may be in flight at once (default 2); see
	// SlowGroup.
	InFlight int
	// SlowGroup: with groups in flight, another goes out only when a full
	// group waits or none was sent for this long (default 5 ms).
	SlowGroup time.Duration
	// MaxAppends is the most appends in one group (default 256).
	MaxAppends int
	// MaxBytes bounds the payload and metadata bytes of a group (default
	// 1 MiB); an append larger than that is sent alone.
	MaxBytes int
}

func (c *GroupCommitConfig) setDefaults() error {
	if c.InFlight < 0 || c.MaxAppends < 0 || c.MaxBytes < 0 || c.SlowGroup < 0 {
		return fmt.Errorf("group commit: negative bound in %+v", *c)
	}
	if c.InFlight == 0 {
		c.InFlight = 2
	}
	if c.MaxAppends == 0 {
		c.MaxAppends = 256
	}
	if c.MaxBytes == 0 {
		c.MaxBytes = 1 << 20
	}
	if c.SlowGroup == 0 {
		c.SlowGroup = 5 * time.Millisecond
	}
	return nil
}

// appendGroupSQL inserts the events of several appends, one row per event,
// each append to its own stream. An append's rows go in only if its stream
// is at its expected version (the highest version recorded, 0 for none).
// The guard is a scalar subquery on purpose: PostgreSQL never turns it into
// a join, so the plan stays a scan of the unnested arrays with a filter, and
// rows keep their order (an append's events take increasing offsets in
// version order). A race with a writer outside the group still ends on the
// UNIQUE (stream_id, stream_version) key (23505), failing the statement.
const appendGroupSQL = `
INSERT INTO events (event_id, stream_id, stream_type, stream_version, event_type, schema_version, payload, metadata)
SELECT e.id::uuid, e.stream::uuid, e.stype, e.expected + e.k, e.typ, e.sv, e.payload::jsonb, e.meta::jsonb
FROM unnest($1::text[], $2::text[], $3::int[], $4::int[], $5::text[], $6::text[], $7::int[], $8::text[], $9::text[])
	AS e(stream, stype, expected, k, id, typ, sv, payload, meta)
WHERE coalesce((SELECT max(x.stream_version) FROM events x WHERE x.stream_id = e.stream::uuid), 0) = e.expected
RETURNING stream_id::text, stream_version, "offset", transaction_id::text`

// pendingAppend is one validated, encoded append.
type pendingAppend struct {
	ctx        context.Context
	streamID   string // as the caller spelled it (OnAppend gets it)
	key        string // the canonical stream id: the group key and what RETURNING gives back
	streamType string
	expected   int
	ids        []string
	types      []string
	svs        []int32
	payloads   []string
	metas      []string
	size       int // payload and metadata bytes

	state appendState      // guarded by appendWriter.mu
	done  chan groupResult // buffered: a flusher never waits on a caller
}

type appendState int

const (
	appendQueued appendState = iota
	appendSent
	appendAbandoned
)

// groupResult is what a flusher tells an Append.
type groupResult struct {
	kind groupOutcome
	res  AppendResult
	err  error
}

type groupOutcome int

const (
	outcomeDone     groupOutcome = iota // res and err are final
	outcomeRejected                     // the guard rejected it: resolve it
	outcomeAlone                        // the group's statement failed: run it alone
)

// appendWriter queues appends and sends them in groups.
type appendWriter struct {
	cfg GroupCommitConfig

	mu       sync.Mutex
	queue    []*pendingAppend
	inFlight int                 // groups being sent
	busy     map[string]struct{} // streams in groups being sent
	lastSent time.Time           // when the last group was taken
	timer    *time.Timer         // armed to send a group once SlowGroup has passed

	// Counters, for tests: groups of more than one append sent, the appends
	// in them, and groups whose statement failed.
	groups, grouped, fellBack atomic.Int64
}

func newAppendWriter(cfg GroupCommitConfig) *appendWriter {
	return &appendWriter{cfg: cfg, busy: map[string]struct{}{}}
}

// submit queues p and waits for its group's outcome, or for ctx to end.
func (s *Store) submit(ctx context.Context, p *pendingAppend) groupResult {
	w := s.writer
	w.mu.Lock()
	w.queue = append(w.queue, p)
	s.dispatchLocked()
	w.mu.Unlock()
	select {
	case r := <-p.done:
		return r
	case <-ctx.Done():
	}
	w.mu.Lock()
	state := p.state
	if state == appendQueued {
		p.state = appendAbandoned
	}
	w.mu.Unlock()
	select {
	case r := <-p.done: // it finished meanwhile: the outcome is known
		return r
	default:
	}
	if state == appendQueued {
		return groupResult{err: ctx.Err()}
	}
	return groupResult{err: fmt.Errorf("%w (the append was already sent with others and may be recorded: retry it with the same event ids to know)", ctx.Err())}
}

// dispatchLocked sends the groups the queue allows now (see "When groups
// go"), and arms the timer when a group may go later.
func (s *Store) dispatchLocked() {
	w := s.writer
	for len(w.queue) > 0 && w.inFlight < w.cfg.InFlight {
		if w.inFlight > 0 && len(w.queue) < w.cfg.MaxAppends {
			wait := w.cfg.SlowGroup - time.Since(w.lastSent)
			if wait > 0 {
				if w.timer == nil {
					w.timer = time.AfterFunc(wait, func() {
						w.mu.Lock()
						w.timer = nil
						s.dispatchLocked()
						w.mu.Unlock()
					})
				}
				return
			}
		}
		g := w.takeLocked()
		if len(g) == 0 {
			return // what is queued waits for streams in flight
		}
		w.inFlight++
		w.lastSent = time.Now()
		go s.send(g)
	}
}

// send sends a group, then delivers each outcome.
func (s *Store) send(g []*pendingAppend) {
	results := s.sendGroup(g)
	w := s.writer
	w.mu.Lock()
	for _, p := range g {
		delete(w.busy, p.key)
	}
	w.inFlight--
	s.dispatchLocked()
	w.mu.Unlock()
	for i, p := range g {
		p.done <- results[i]
	}
}

// takeLocked takes the next group off the queue: oldest first, skipping
// appends to a stream already in the group or in a group being sent (they
// wait for a later group), dropping abandoned ones.
func (w *appendWriter) takeLocked() []*pendingAppend {
	var g []*pendingAppend
	inGroup := map[string]struct{}{}
	bytes := 0
	kept := w.queue[:0]
	full := false
	for _, p := range w.queue {
		if p.state == appendAbandoned {
			continue
		}
		_, busy := w.busy[p.key]
		_, twice := inGroup[p.key]
		if !full && len(g) > 0 && (len(g) == w.cfg.MaxAppends || bytes+p.size > w.cfg.MaxBytes) {
			full = true
		}
		if full || busy || twice {
			kept = append(kept, p)
			continue
		}
		p.state = appendSent
		g = append(g, p)
		inGroup[p.key] = struct{}{}
		bytes += p.size
	}
	clear(w.queue[len(kept):])
	w.queue = kept
	for _, p := range g {
		w.busy[p.key] = struct{}{}
	}
	return g
}

// sendGroup inserts a group and returns each append's outcome, in order.
// OnAppend is called here for every recorded append, also for callers that
// have given up.
func (s *Store) sendGroup(g []*pendingAppend) []groupResult {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var left atomic.Int32
	left.Store(int32(len(g)))
	stops := make([]func() bool, len(g))
	for i, p := range g {
		stops[i] = context.AfterFunc(p.ctx, func() {
			if left.Add(-1) == 0 {
				cancel()
			}
		})
	}
	defer func() {
		for _, stop := range stops {
			stop()
		}
	}()

	out := make([]groupResult, len(g))
	if len(g) == 1 {
		p := g[0]
		res, rejected, err := s.insertAlone(ctx, p)
		switch {
		case err != nil:
			out[0] = groupResult{err: err}
		case rejected:
			out[0] = groupResult{kind: outcomeRejected}
		default:
			s.recorded(p, &res)
			out[0] = groupResult{res: res}
		}
		return out
	}

	s.writer.groups.Add(1)
	s.writer.grouped.Add(int64(len(g)))
	byStream, err := s.insertGroup(ctx, g)
	for i, p := range g {
		res, ok := byStream[p.key]
		switch {
		case err != nil:
			out[i] = groupResult{kind: outcomeAlone}
		case !ok:
			out[i] = groupResult{kind: outcomeRejected}
		default:
			s.recorded(p, &res)
			out[i] = groupResult{res: res}
		}
	}
	if err != nil {
		s.writer.fellBack.Add(1)
	}
	return out
}

// insertGroup runs appendGroupSQL and returns what was recorded, by stream.
func (s *Store) insertGroup(ctx context.Context, g []*pendingAppend) (map[string]AppendResult, error) {
	n := 0
	for _, p := range g {
		n += len(p.ids)
	}
	streams, stypes := make([]string, 0, n), make([]string, 0, n)
	expected, ks := make([]int32, 0, n), make([]int32, 0, n)
	ids, types, payloads, metas := make([]string, 0, n), make([]string, 0, n), make([]string, 0, n), make([]string, 0, n)
	svs := make([]int32, 0, n)
	for _, p := range g {
		for i := range p.ids {
			streams, stypes = append(streams, p.key), append(stypes, p.streamType)
			expected, ks = append(expected, int32(p.expected)), append(ks, int32(i+1))
			ids, types, svs = append(ids, p.ids[i]), append(types, p.types[i]), append(svs, p.svs[i])
			payloads, metas = append(payloads, p.payloads[i]), append(metas, p.metas[i])
		}
	}
	rows, err := s.pool.Query(ctx, appendGroupSQL, streams, stypes, expected, ks, ids, types, svs, payloads, metas)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := make(map[string]AppendResult, len(g))
	for rows.Next() {
		var stream, tx string
		var v int
		var off int64
		if err := rows.Scan(&stream, &v, &off, &tx); err != nil {
			return nil, err
		}
		if v > out[stream].Version {
			txid, err := strconv.ParseUint(tx, 10, 64)
			if err != nil {
				return nil, fmt.Errorf("transaction id %q: %w", tx, err)
			}
			out[stream] = AppendResult{Version: v, Position: Position{TxID: txid, Offset: off}}
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return out, nil
}
