package projections

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/sparrow-coach/sparrow/eventstore"
)

// Quarantine: an event a projector cannot apply, for a reason that is not
// transient (eventstore.Transient) and that persists over QuarantineAfter
// attempts, quarantines its stream for that projector. The live runner
// records it in projection_quarantine (this package's table), skips the
// stream's later events and goes on with every other stream. The stream
// stays quarantined until an operator retries it (RetryQuarantined: apply
// the stream again from the last version applied) or skips the event
// (SkipQuarantined: record it as applied without effect, then go on).

// ErrNotQuarantined: the stream is not quarantined for that projector.
var ErrNotQuarantined = errors.New("projections: stream is not quarantined")

// Quarantined is one row of projection_quarantine.
type Quarantined struct {
	ID         int64
	Projector  string
	StreamID   string
	StreamType string
	Version    int
	EventType  string
	Position   eventstore.Position
	Error      string
	Attempts   int
	At         time.Time
	// Resolution is "" while the stream is quarantined, else "retried" or "skipped".
	Resolution string
	ResolvedAt *time.Time
}

// openQuarantines returns the streams quarantined for p, read in tx.
func openQuarantines(ctx context.Context, tx eventstore.Tx, p Projector) (map[string]bool, error) {
	out := map[string]bool{}
	err := eventstore.PgxQuerier{Q: tx}.QueryRows(ctx, func(sc eventstore.Scanner) error {
		var id string
		if err := sc.Scan(&id); err != nil {
			return err
		}
		out[id] = true
		return nil
	}, `SELECT stream_id::text FROM projection_quarantine WHERE projector = $1 AND resolved_at IS NULL`, p.Name())
	if err != nil {
		return nil, fmt.Errorf("projection %s: reading quarantined streams: %w", p.Name(), err)
	}
	return out, nil
}

// quarantine records that e could not be applied to p (in tx, which must be usable).
func quarantine(ctx context.Context, tx eventstore.Tx, p Projector, e eventstore.Event, cause error, attempts int) error {
	_, err := tx.Exec(ctx, `INSERT INTO projection_quarantine (projector, stream_id, stream_type, stream_version, event_type,
  transaction_id, "offset", error, attempts) VALUES ($1, $2, $3, $4, $5, $6::text::xid8, $7, $8, $9)`,
		p.Name(), e.StreamID, e.StreamType, e.Version, e.Type, strconv.FormatUint(e.Position.TxID, 10), e.Position.Offset,
		cause.Error(), attempts)
	if err != nil {
		return fmt.Errorf("projection %s: quarantining stream %s: %w", p.Name(), e.StreamID, err)
	}
	return nil
}

const selectQuarantined = `SELECT id, projector, stream_id::text, stream_type, stream_version, event_type, transaction_id::text, "offset",
  error, attempts, quarantined_at, coalesce(resolution, ''), resolved_at FROM projection_quarantine `

func scanQuarantined(sc eventstore.Scanner) (Quarantined, error) {
	var q Quarantined
	var tx string
	if err := sc.Scan(&q.ID, &q.Projector, &q.StreamID, &q.StreamType, &q.Version, &q.EventType, &tx, &q.Position.Offset,
		&q.Error, &q.Attempts, &q.At, &q.Resolution, &q.ResolvedAt); err != nil {
		return Quarantined{}, err
	}
	var err error
	q.Position.TxID, err = strconv.ParseUint(tx, 10, 64)
	return q, err
}

// ListQuarantined returns the quarantined streams, oldest first; with
// history, resolved ones too.
func ListQuarantined(ctx context.Context, store *eventstore.Store, history bool) ([]Quarantined, error) {
	where := `WHERE resolved_at IS NULL `
	if history {
		where = ``
	}
	var out []Quarantined
	err := eventstore.PgxQuerier{Q: store.Pool()}.QueryRows(ctx, func(sc eventstore.Scanner) error {
		q, err := scanQuarantined(sc)
		out = append(out, q)
		return err
	}, selectQuarantined+where+`ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("projections: listing quarantined streams: %w", eventstore.Classify(err))
	}
	return out, nil
}

// QuarantinedCounts returns how many streams are quarantined per projector
// (projectors with none are absent).
func QuarantinedCounts(ctx context.Context, store *eventstore.Store) (map[string]int, error) {
	out := map[string]int{}
	err := eventstore.PgxQuerier{Q: store.Pool()}.QueryRows(ctx, func(sc eventstore.Scanner) error {
		var name string
		var n int
		if err := sc.Scan(&name, &n); err != nil {
			return err
		}
		out[name] = n
		return nil
	}, `SELECT projector, count(*) FROM projection_quarantine WHERE resolved_at IS NULL GROUP BY projector`)
	if err != nil {
		return nil, fmt.Errorf("projections: counting quarantined streams: %w", eventstore.Classify(err))
	}
	return out, nil
}

// Resolved is what a retry or skip did.
type Resolved struct {
	// Applied counts the stream's events applied.
	Applied int
	// Version is the last version of the stream now applied.
	Version int
	// Requarantined is set when a later event (or the same one, on retry)
	// failed again: the stream stays quarantined there.
	Requarantined *Quarantined
}

// RetryQuarantined applies a quarantined stream again from the last version
// the projector applied, up to the stream's newest event. On success the
// quarantine is resolved ("retried") and the live runner takes the stream's
// later events as usual; if an event fails again, the events before it stay
// applied and the stream stays quarantined at that event.
func RetryQuarantined(ctx context.Context, store *eventstore.Store, projector, streamID string) (Resolved, error) {
	return resolveQuarantine(ctx, store, projector, streamID, "retried")
}

// SkipQuarantined records the quarantined event as applied without effect
// (resolution "skipped"; rebuilds skip it too) and applies the stream's
// later events, as RetryQuarantined does.
func SkipQuarantined(ctx context.Context, store *eventstore.Store, projector, streamID string) (Resolved, error) {
	return resolveQuarantine(ctx, store, projector, streamID, "skipped")
}

// resolveQuarantine runs in one transaction that holds the projector's
// consumer group (eventstore.HoldConsumers) and moves it onto itself, so a
// live round that read the quarantine before this commits fails its offset
// commit and runs again with the stream released: no event is skipped twice
// or applied twice.
func resolveQuarantine(ctx context.Context, store *eventstore.Store, projector, streamID, resolution string) (res Resolved, err error) {
	defer func() {
		if err != nil {
			err = fmt.Errorf("projections: %s %s of %s: %w", map[string]string{"retried": "retry", "skipped": "skip"}[resolution],
				streamID, projector, eventstore.Classify(err))
		}
	}()
	ps, err := ByName(projector)
	if err != nil {
		return Resolved{}, err
	}
	p := ps[0]
	tx, err := store.Pool().BeginTx(ctx, pgx.TxOptions{})
	if err != nil {
		return Resolved{}, err
	}
	defer func() { _ = tx.Rollback(ctx) }()
	held, err := eventstore.HoldConsumers(ctx, tx, ConsumerGroup(p))
	if err != nil {
		return Resolved{}, err
	}
	var q Quarantined
	found := false
	err = eventstore.PgxQuerier{Q: tx}.QueryRows(ctx, func(sc eventstore.Scanner) error {
		q, err = scanQuarantined(sc)
		found = err == nil
		return err
	}, selectQuarantined+`WHERE projector = $1 AND stream_id = $2 AND resolved_at IS NULL FOR UPDATE`, p.Name(), streamID)
	if err != nil {
		return Resolved{}, err
	}
	if !found {
		return Resolved{}, ErrNotQuarantined
	}
	// The runner applied the stream exactly up to the event before the
	// quarantined one and nothing after it; projection_versions may say
	// more after a rebuild (rebuilds leave the stream's rest out but count
	// it), so the start is set from the quarantine, not read.
	from := q.Version - 1
	if resolution == "skipped" {
		from = q.Version
	}
	if _, err := tx.Exec(ctx, `INSERT INTO projection_versions (projector, stream_id, version) VALUES ($1, $2, $3)
ON CONFLICT (projector, stream_id) DO UPDATE SET version = excluded.version`, p.Name(), streamID, from); err != nil {
		return Resolved{}, err
	}
	res, err = catchUpStream(ctx, store, tx, p, streamID)
	if err != nil {
		return Resolved{}, err
	}
	if again := res.Requarantined; again != nil && resolution == "retried" {
		// Still failing: the same quarantine, moved to the event that failed.
		again.ID, again.Attempts = q.ID, q.Attempts+1
		_, err = tx.Exec(ctx, `UPDATE projection_quarantine SET stream_version = $2, event_type = $3, transaction_id = $4::text::xid8,
  "offset" = $5, error = $6, attempts = $7, quarantined_at = now() WHERE id = $1`, q.ID, again.Version, again.EventType,
			strconv.FormatUint(again.Position.TxID, 10), again.Position.Offset, again.Error, again.Attempts)
	} else {
		_, err = tx.Exec(ctx, `UPDATE projection_quarantine SET resolution = $2, resolved_at = now() WHERE id = $1`, q.ID, resolution)
		if err == nil && again != nil {
			again.Attempts = 1
			e := eventstore.Event{StreamID: streamID, StreamType: q.StreamType, Version: again.Version, Type: again.EventType, Position: again.Position}
			err = quarantine(ctx, tx, p, e, errors.New(again.Error), again.Attempts)
		}
	}
	if err != nil {
		return Resolved{}, err
	}
	// Always written, even at the zero position: a live consumer's cached
	// versions are good only while no one else writes this row (versionCache).
	if err := eventstore.MoveConsumer(ctx, tx, ConsumerGroup(p), held[ConsumerGroup(p)]); err != nil {
		return Resolved{}, err
	}
	return res, tx.Commit(ctx)
}

// catchUpStream applies a stream's events after the version p last applied,
// in bulk; if that fails, one by one (in savepoints) up to the failing
// event, which it reports in Requarantined instead of failing.
func catchUpStream(ctx context.Context, store *eventstore.Store, tx pgx.Tx, p Projector, streamID string) (Resolved, error) {
	var applied int
	err := tx.QueryRow(ctx, `SELECT coalesce(max(version), 0) FROM projection_versions WHERE projector = $1 AND stream_id = $2`,
		p.Name(), streamID).Scan(&applied)
	if err != nil {
		return Resolved{}, err
	}
	evs, err := store.LoadRangeWith(ctx, eventstore.PgxQuerier{Q: tx}, streamID, applied, 1<<31-1)
	if err != nil {
		return Resolved{}, err
	}
	if len(evs) == 0 {
		return Resolved{Version: applied}, nil
	}
	batch := make([]eventstore.Delivery, len(evs))
	for i, e := range evs {
		batch[i] = eventstore.Delivery{Event: e}
	}
	if _, err := tx.Exec(ctx, `SAVEPOINT catch_up`); err != nil {
		return Resolved{}, err
	}
	bulkErr := applyBatch(ctx, store, tx, p, batch, false, nil)
	if bulkErr == nil {
		_, err := tx.Exec(ctx, `RELEASE SAVEPOINT catch_up`)
		return Resolved{Applied: len(evs), Version: evs[len(evs)-1].Version}, err
	}
	if eventstore.Transient(bulkErr) {
		return Resolved{}, bulkErr
	}
	if _, err := tx.Exec(ctx, `ROLLBACK TO SAVEPOINT catch_up`); err != nil {
		return Resolved{}, errors.Join(bulkErr, err)
	}
	res := Resolved{Version: applied}
	for _, e := range evs {
		if err := applyInSavepoint(ctx, store, tx, p, e); err != nil {
			if eventstore.Transient(err) {
				return Resolved{}, err
			}
			res.Requarantined = &Quarantined{Projector: p.Name(), StreamID: streamID, StreamType: e.StreamType, Version: e.Version,
				EventType: e.Type, Position: e.Position, Error: err.Error()}
			return res, nil
		}
		res.Applied, res.Version = res.Applied+1, e.Version
	}
	return res, nil
}

// withQuarantines returns ps as rebuilds and verify must see them: a
// projector with quarantined streams, or with skipped events, leaves out what
// the live runner left out (a quarantined stream from its quarantined event
// on; a skipped event), so a rebuild reproduces the live tables, neither
// failing on the poison event nor applying what an operator has not
// released. Projectors with neither are returned as they are.
func withQuarantines(ctx context.Context, store *eventstore.Store, ps []Projector) ([]Projector, error) {
	qs, err := ListQuarantined(ctx, store, true)
	if err != nil || len(qs) == 0 {
		return ps, err
	}
	out := make([]Projector, len(ps))
	for i, p := range ps {
		out[i] = p
		w := quarantineAware{Projector: p, from: map[string]int{}, skipped: map[string]map[int]bool{}}
		for _, q := range qs {
			switch {
			case q.Projector != p.Name():
			case q.Resolution == "":
				w.from[q.StreamID] = q.Version
			case q.Resolution == "skipped":
				if w.skipped[q.StreamID] == nil {
					w.skipped[q.StreamID] = map[int]bool{}
				}
				w.skipped[q.StreamID][q.Version] = true
			}
		}
		if len(w.from)+len(w.skipped) > 0 {
			out[i] = w
		}
	}
	return out, nil
}

// quarantineAware is a projector that makes nothing of the events the live
// runner did not apply (see withQuarantines); it passes every optional
// interface of the projector it wraps through.
type quarantineAware struct {
	Projector
	from    map[string]int          // stream -> its quarantined version
	skipped map[string]map[int]bool // stream -> versions skipped
}

func (q quarantineAware) leaves(e eventstore.Event) bool {
	if v, ok := q.from[e.StreamID]; ok && e.Version >= v {
		return true
	}
	return q.skipped[e.StreamID][e.Version]
}

func (q quarantineAware) Apply(e eventstore.Event) ([]Stmt, error) {
	if q.leaves(e) {
		return nil, nil
	}
	return q.Projector.Apply(e)
}

func (q quarantineAware) Dirty(e eventstore.Event) []string {
	if fin, ok := q.Projector.(Finalizer); ok && !q.leaves(e) {
		return fin.Dirty(e)
	}
	return nil
}

func (q quarantineAware) Finalize(ctx context.Context, rq eventstore.RowsQuerier, keys []string) ([]Stmt, error) {
	if fin, ok := q.Projector.(Finalizer); ok {
		return fin.Finalize(ctx, rq, keys)
	}
	return nil, nil
}

func (q quarantineAware) WorkerColumns() []TableColumns {
	if wc, ok := q.Projector.(WorkerColumns); ok {
		return wc.WorkerColumns()
	}
	return nil
}
