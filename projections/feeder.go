package projections

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/sparrow-coach/sparrow/eventstore"
)

// feeder applies log events to projectors in bulk: it releases each stream's
// events in version order (holding any that arrive early), and either folds
// them into rows in memory (fold, when set: the rebuild's load) or queues
// the projectors' statements into one pipelined pgx.Batch and recomputes
// the finalizers' dirty keys once per flush instead of once per event (the
// swap's catch-up).
type feeder struct {
	fold       *fold
	projectors []Projector
	versions   *versionMap
	held       map[string]map[int]eventstore.Event
	batch      *pgx.Batch
	queued     int
	dirty      map[int]map[string]struct{} // projector index -> keys
	mergers    map[int]*merger             // projector index -> its merged changes (row projectors)
	applied    int
}

func newFeeder(ps []Projector, versions *versionMap) *feeder {
	return &feeder{projectors: ps, versions: versions, held: map[string]map[int]eventstore.Event{},
		batch: &pgx.Batch{}, dirty: map[int]map[string]struct{}{}, mergers: map[int]*merger{}}
}

func (f *feeder) consumedByAny(streamType string) bool {
	for _, p := range f.projectors {
		if consumes(p, streamType) {
			return true
		}
	}
	return false
}

// feed queues e, and any held events it unblocks, in version order.
func (f *feeder) feed(e eventstore.Event) error {
	if !f.consumedByAny(e.StreamType) {
		return nil
	}
	next := f.versions.get(e.StreamID) + 1
	switch {
	case e.Version < next:
		return nil // already applied (catch-up overlap)
	case e.Version > next:
		if f.held[e.StreamID] == nil {
			f.held[e.StreamID] = map[int]eventstore.Event{}
		}
		f.held[e.StreamID][e.Version] = e
		return nil
	}
	if err := f.apply(e); err != nil {
		return err
	}
	for h := f.held[e.StreamID]; h != nil; {
		n, ok := h[f.versions.get(e.StreamID)+1]
		if !ok {
			break
		}
		delete(h, n.Version)
		if err := f.apply(n); err != nil {
			return err
		}
	}
	if len(f.held[e.StreamID]) == 0 {
		delete(f.held, e.StreamID)
	}
	return nil
}

func (f *feeder) apply(e eventstore.Event) error {
	for i, p := range f.projectors {
		if !consumes(p, e.StreamType) {
			continue
		}
		if f.fold != nil {
			if err := f.fold.apply(i, p, e); err != nil {
				return err
			}
			continue
		}
		if err := f.queue(i, p, e); err != nil {
			return fmt.Errorf("projection %s: event %s v%d at position %s: %w", p.Name(), e.StreamID, e.Version, e.Position, err)
		}
		if fin, ok := p.(Finalizer); ok {
			for _, k := range fin.Dirty(e) {
				if f.dirty[i] == nil {
					f.dirty[i] = map[string]struct{}{}
				}
				f.dirty[i][k] = struct{}{}
			}
		}
	}
	f.versions.set(e.StreamID, e.StreamType, e.Version)
	f.applied++
	return nil
}

// queue records what e does: a row projector's changes go to its merger
// (merge.go), which states a flush's changes in few statements; any other
// projector's statements are queued as they are.
func (f *feeder) queue(i int, p Projector, e eventstore.Event) error {
	if rp, ok := p.(RowProjector); ok {
		cs, err := rp.Changes(e)
		if err != nil {
			return err
		}
		m := f.mergers[i]
		if m == nil {
			m = newMerger(rp)
			f.mergers[i] = m
		}
		for _, c := range cs {
			if err := m.add(c); err != nil {
				return err
			}
		}
		return nil
	}
	stmts, err := p.Apply(e)
	if err != nil {
		return err
	}
	for _, s := range stmts {
		f.batch.Queue(s.SQL, s.Args...)
		f.queued++
	}
	return nil
}

// queueMerged queues the mergers' statements.
func (f *feeder) queueMerged(ctx context.Context, tx eventstore.Tx) error {
	for _, m := range f.mergers {
		if m.empty() {
			continue
		}
		stmts, err := m.stmts(ctx, eventstore.PgxQuerier{Q: tx})
		if err != nil {
			return err
		}
		for _, s := range stmts {
			f.batch.Queue(s.SQL, s.Args...)
			f.queued++
		}
	}
	return nil
}

// flush sends the queued statements, then the finalizers' recomputations, in tx.
func (f *feeder) flush(ctx context.Context, tx eventstore.Tx) error {
	if f.fold != nil {
		return f.fold.stream(false)
	}
	if err := f.queueMerged(ctx, tx); err != nil {
		return err
	}
	if err := sendBatch(ctx, tx, f.batch, f.queued); err != nil {
		return err
	}
	f.batch, f.queued = &pgx.Batch{}, 0
	for i, keys := range f.dirty {
		fin := f.projectors[i].(Finalizer)
		list := make([]string, 0, len(keys))
		for k := range keys {
			list = append(list, k)
		}
		stmts, err := fin.Finalize(ctx, eventstore.PgxQuerier{Q: tx}, list)
		if err != nil {
			return err
		}
		b := &pgx.Batch{}
		for _, s := range stmts {
			b.Queue(s.SQL, s.Args...)
		}
		if err := sendBatch(ctx, tx, b, len(stmts)); err != nil {
			return err
		}
	}
	clear(f.dirty)
	return nil
}

// deferrer is a live round's Defer (eventstore.Round): statements that run
// with the round's commit, in its round trip.
type deferrer interface {
	Defer(sql string, args ...any)
}

// flushDeferred is flush for a live round, in fewer round trips: with no
// finalizer to run, the queued statements are deferred to the commit (no
// round trip of their own); otherwise they go out in one pipeline with the
// finalizer's first read, which must see them, and the finalizer's writes
// are deferred. With more than one finalizer dirty it is flush.
func (f *feeder) flushDeferred(ctx context.Context, tx eventstore.Tx, d deferrer) error {
	if f.fold != nil || len(f.dirty) > 1 {
		return f.flush(ctx, tx)
	}
	if err := f.queueMerged(ctx, tx); err != nil {
		return err
	}
	pending := &pipelined{tx: tx, batch: f.batch, n: f.queued}
	f.batch, f.queued = &pgx.Batch{}, 0
	for i, keys := range f.dirty {
		fin := f.projectors[i].(Finalizer)
		list := make([]string, 0, len(keys))
		for k := range keys {
			list = append(list, k)
		}
		stmts, err := fin.Finalize(ctx, pending, list)
		if err != nil {
			return err
		}
		if err := pending.send(ctx); err != nil { // the finalizer read nothing
			return err
		}
		for _, s := range stmts {
			d.Defer(s.SQL, s.Args...)
		}
	}
	clear(f.dirty)
	if pending.n > 0 { // no finalizer ran: everything waits for the commit
		for _, q := range pending.batch.QueuedQueries {
			d.Defer(q.SQL, q.Arguments...)
		}
	}
	return nil
}

// pipelined is a RowsQuerier whose first query goes out in one pipeline
// after statements not yet sent; later queries go alone.
type pipelined struct {
	tx    eventstore.Tx
	batch *pgx.Batch
	n     int // statements queued in batch before any query
}

func (p *pipelined) QueryRows(ctx context.Context, scan func(eventstore.Scanner) error, query string, args ...any) error {
	if p.n == 0 {
		return eventstore.PgxQuerier{Q: p.tx}.QueryRows(ctx, scan, query, args...)
	}
	b, n := p.batch, p.n
	p.batch, p.n = nil, 0
	b.Queue(query, args...)
	br := p.tx.SendBatch(ctx, b)
	defer br.Close()
	for i := 0; i < n; i++ {
		if _, err := br.Exec(); err != nil {
			return fmt.Errorf("statement %d of %d: %w (%s)", i+1, n, err, firstLine(b.QueuedQueries[i].SQL))
		}
	}
	rows, err := br.Query()
	if err != nil {
		return err
	}
	if err := eventstore.EachRow(rows, scan); err != nil {
		return err
	}
	return br.Close()
}

// send sends the statements still pending, if the finalizer did not query.
func (p *pipelined) send(ctx context.Context) error {
	if p.n == 0 {
		return nil
	}
	b, n := p.batch, p.n
	p.batch, p.n = nil, 0
	return sendBatch(ctx, p.tx, b, n)
}

// fillGaps applies held events whose predecessors lie beyond the range read,
// loading the missing versions from the log, as the live runner does.
func (f *feeder) fillGaps(ctx context.Context, store *eventstore.Store, q eventstore.RowsQuerier) error {
	for stream, h := range f.held {
		top := 0
		for v := range h {
			top = max(top, v)
		}
		missing, err := store.LoadRangeWith(ctx, q, stream, f.versions.get(stream), top)
		if err != nil {
			return err
		}
		for _, e := range missing {
			if err := f.feed(e); err != nil {
				return err
			}
		}
	}
	if len(f.held) > 0 {
		return fmt.Errorf("projections: %d streams have versions missing from the log", len(f.held))
	}
	return nil
}

func sendBatch(ctx context.Context, tx eventstore.Tx, b *pgx.Batch, n int) error {
	if n == 0 {
		return nil
	}
	br := tx.SendBatch(ctx, b)
	for i := 0; i < n; i++ {
		if _, err := br.Exec(); err != nil {
			br.Close()
			return fmt.Errorf("statement %d of %d: %w (%s)", i+1, n, err, firstLine(b.QueuedQueries[i].SQL))
		}
	}
	return br.Close()
}

// versionMap is the last version applied per stream, optionally layered on
// a base map (a catch-up for one projector must not move the others').
type versionMap struct {
	base *versionMap
	m    map[string]streamVersion
}

type streamVersion struct {
	typ     string
	version int
}

func newVersionMap(base *versionMap) *versionMap {
	return &versionMap{base: base, m: map[string]streamVersion{}}
}

func (v *versionMap) get(stream string) int {
	if n, ok := v.m[stream]; ok {
		return n.version
	}
	if v.base != nil {
		return v.base.get(stream)
	}
	return 0
}

func (v *versionMap) set(stream, typ string, n int) { v.m[stream] = streamVersion{typ, n} }

// each visits every stream's version (layers merged).
func (v *versionMap) each(fn func(stream, typ string, n int)) {
	if v.base != nil {
		v.base.each(func(s, t string, n int) {
			if _, over := v.m[s]; !over {
				fn(s, t, n)
			}
		})
	}
	for s, n := range v.m {
		fn(s, n.typ, n.version)
	}
}

// sendStmts pipelines statements in tx and reports the first error.
func sendStmts(ctx context.Context, tx eventstore.Tx, stmts []Stmt) error {
	b := &pgx.Batch{}
	for _, s := range stmts {
		b.Queue(s.SQL, s.Args...)
	}
	return sendBatch(ctx, tx, b, len(stmts))
}
