package projections

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/sparrow-coach/sparrow/eventstore"
)

// RebuildConfig configures rebuilds and verifications.
type RebuildConfig struct {
	// PageSize is how many events one log read returns (default 10,000).
	PageSize int
	// ChunkSize is how many events one write transaction applies (default
	// 2,000): short transactions, so live consumers are never held back long.
	ChunkSize int
	// StreamRows is how many rows of an append-only table (transcripts) a
	// rebuild holds in memory before it COPYs them out (default 20,000).
	StreamRows int
	// Progress receives progress lines (default: none).
	Progress io.Writer
	// CatchUpTimeout bounds how long verify waits for the live projections
	// to reach the rebuilt position (default 2 minutes).
	CatchUpTimeout time.Duration
}

func (c *RebuildConfig) setDefaults() {
	if c.PageSize == 0 {
		c.PageSize = 10_000
	}
	if c.ChunkSize == 0 {
		c.ChunkSize = 2_000
	}
	if c.StreamRows == 0 {
		c.StreamRows = 20_000
	}
	if c.Progress == nil {
		c.Progress = io.Discard
	}
	if c.CatchUpTimeout == 0 {
		c.CatchUpTimeout = 2 * time.Minute
	}
}

// Validate reports every problem with the config.
func (c RebuildConfig) Validate() error {
	if c.PageSize < 1 || c.ChunkSize < 1 || c.StreamRows < 1 || c.CatchUpTimeout <= 0 {
		return errors.New("projections: page size, chunk size, stream rows and catch-up timeout must be positive")
	}
	return nil
}

// Rebuilder rebuilds and verifies read tables from the log.
type Rebuilder struct {
	store *eventstore.Store
	pool  *pgxpool.Pool
	db    *sql.DB
	cfg   RebuildConfig
}

// NewRebuilder returns a rebuilder; db is the database/sql view of the
// store's pool (verify runs the live consumers through it).
func NewRebuilder(store *eventstore.Store, db *sql.DB, cfg RebuildConfig) (*Rebuilder, error) {
	cfg.setDefaults()
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	return &Rebuilder{store: store, pool: store.Pool(), db: db, cfg: cfg}, nil
}

// RebuildReport says what a rebuild did.
type RebuildReport struct {
	Projectors []string
	Events     int
	Position   eventstore.Position
	Duration   time.Duration
}

// EventsPerSecond is the rebuild's throughput.
func (r RebuildReport) EventsPerSecond() float64 {
	if r.Duration <= 0 {
		return 0
	}
	return float64(r.Events) / r.Duration.Seconds()
}

// shadow is a filled shadow schema.
type shadow struct {
	schema     string
	projectors []Projector
	versions   *versionMap
	position   eventstore.Position
	events     int
}

// Rebuild rebuilds the projectors' tables from the whole log into a shadow
// schema and swaps them in atomically, without stopping the server: the
// swap holds each projector's consumer group at its committed position,
// brings the shadow to that same position, exchanges the tables and moves
// the group's offset, all in one transaction.
func (r *Rebuilder) Rebuild(ctx context.Context, ps []Projector) (RebuildReport, error) {
	start := time.Now()
	ps, err := withQuarantines(ctx, r.store, ps) // quarantine (quarantine.go): leave out what live left out
	if err != nil {
		return RebuildReport{}, err
	}
	sh, err := r.build(ctx, ps)
	if err != nil {
		return RebuildReport{}, err
	}
	defer r.dropSchema(sh.schema)
	if err := r.swap(ctx, sh); err != nil {
		return RebuildReport{}, fmt.Errorf("projections: swap: %w", err)
	}
	rep := RebuildReport{Projectors: names(ps), Events: sh.events, Position: sh.position, Duration: time.Since(start)}
	for _, c := range workerColumnNames(ps) {
		fmt.Fprintf(r.cfg.Progress, "rebuild: kept the live values of %s (a worker maintains it; the log does not record it)\n", c)
	}
	fmt.Fprintf(r.cfg.Progress, "rebuild: swapped in %s (%d events in %s, %.0f events/s)\n",
		strings.Join(rep.Projectors, ", "), rep.Events, rep.Duration.Round(time.Millisecond), rep.EventsPerSecond())
	return rep, nil
}

func (r *Rebuilder) dropSchema(schema string) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	_, _ = r.pool.Exec(ctx, `DROP SCHEMA IF EXISTS `+schema+` CASCADE`)
}

// build fills a new shadow schema from every event below the current horizon.
// When every projector has a row form (RowProjector) the events are folded
// into rows in memory and COPYed (fold.go); otherwise their statements are
// pipelined into the shadow tables.
func (r *Rebuilder) build(ctx context.Context, ps []Projector) (*shadow, error) {
	sh := &shadow{schema: fmt.Sprintf("rebuild_%d", time.Now().UnixNano()), projectors: ps, versions: newVersionMap(nil)}
	rowForm := true
	for _, p := range ps {
		if _, ok := p.(RowProjector); !ok {
			rowForm = false
		}
	}
	f := newFeeder(ps, sh.versions)
	var deferred []string
	err := pgx.BeginFunc(ctx, r.pool, func(tx pgx.Tx) error {
		var err error
		if deferred, err = createShadow(ctx, tx, sh.schema, tablesOf(ps), rowForm); err != nil {
			return err
		}
		if rowForm {
			f.fold, err = newFold(ctx, tx, r.pool, sh.schema, ps, r.cfg.StreamRows)
		}
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("projections: create shadow tables: %w", err)
	}
	ok := false
	defer func() {
		if !ok {
			if f.fold != nil {
				f.fold.w.abort()
			}
			r.dropSchema(sh.schema)
		}
	}()
	horizon, err := r.store.Horizon(ctx, nil)
	if err != nil {
		return nil, err
	}
	// The total only feeds progress lines; a log that cannot be counted is
	// reported as such and the rebuild goes on (the read below would fail too).
	total := 0
	if b, err := r.store.Behind(ctx, eventstore.Position{}, horizon, 0); err == nil {
		total = b.Events
	} else {
		fmt.Fprintf(r.cfg.Progress, "rebuild: cannot count the log: %v\n", err)
	}
	how := "statements"
	if rowForm {
		how = "rows folded in memory, COPYed"
	}
	fmt.Fprintf(r.cfg.Progress, "rebuild: %s from %d events into schema %s (%s)\n", strings.Join(names(ps), ", "), total, sh.schema, how)

	pos, n, err := r.feedRange(ctx, f, sh.schema, eventstore.Position{}, horizon, nil, total)
	if err != nil {
		return nil, err
	}
	err = pgx.BeginFunc(ctx, r.pool, func(tx pgx.Tx) error { return f.fillGaps(ctx, r.store, eventstore.PgxQuerier{Q: tx}) })
	if err == nil && f.fold != nil {
		t0 := time.Now()
		err = f.fold.finish()
		fmt.Fprintf(r.cfg.Progress, "rebuild: %d rows copied in all; the last %s\n", f.fold.copied, time.Since(t0).Round(time.Millisecond))
	}
	if err != nil {
		return nil, err
	}
	sh.position, sh.events = pos, n
	t0 := time.Now()
	if err := r.runDDL(ctx, deferred); err != nil {
		return nil, fmt.Errorf("projections: index shadow: %w", err)
	}
	for _, t := range tablesOf(ps) {
		_, _ = r.pool.Exec(ctx, `ANALYZE `+sh.schema+`.`+t)
	}
	fmt.Fprintf(r.cfg.Progress, "rebuild: %d constraints and indexes in %s\n", len(deferred), time.Since(t0).Round(time.Millisecond))
	if f.fold != nil {
		t0 := time.Now()
		err := pgx.BeginFunc(ctx, r.pool, func(tx pgx.Tx) error {
			if _, err := tx.Exec(ctx, `SET LOCAL search_path TO `+sh.schema+`, public`); err != nil {
				return err
			}
			return f.fold.settle(ctx, tx, ps)
		})
		if err != nil {
			return nil, fmt.Errorf("projections: derived rows: %w", err)
		}
		fmt.Fprintf(r.cfg.Progress, "rebuild: derived rows recomputed in %s\n", time.Since(t0).Round(time.Millisecond))
		f.fold = nil
	}
	ok = true
	return sh, nil
}

// runDDL creates constraints and indexes, in order.
func (r *Rebuilder) runDDL(ctx context.Context, ddl []string) error {
	for _, d := range ddl {
		if _, err := r.pool.Exec(ctx, d); err != nil {
			return fmt.Errorf("%w (%s)", err, d)
		}
	}
	return nil
}

// feedRange applies events after `after` (below horizon, and up to `until`
// when given) through f into schema, in write transactions of ChunkSize
// events; a reader goroutine (eventstore's ReadPages) reads and decodes the
// next pages while one is applied.
func (r *Rebuilder) feedRange(ctx context.Context, f *feeder, schema string, after eventstore.Position, horizon uint64, until *eventstore.Position, total int) (eventstore.Position, int, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	type page struct {
		evs []eventstore.Event
		err error
	}
	pages := make(chan page, 2)
	go func() {
		defer close(pages)
		// ReadPages reads the next page and decodes it on two workers
		// while this one is applied.
		err := r.store.ReadPages(ctx, after, horizon, eventstore.PageOptions{PageSize: r.cfg.PageSize, Workers: 2}, func(evs []eventstore.Event) (bool, error) {
			more := true
			if until != nil {
				for i, e := range evs {
					if until.Less(e.Position) {
						evs, more = evs[:i], false
						break
					}
				}
			}
			if len(evs) == 0 {
				return false, nil
			}
			select {
			case pages <- page{evs: evs}:
				return more, nil
			case <-ctx.Done():
				return false, nil
			}
		})
		if err != nil {
			select {
			case pages <- page{err: err}:
			case <-ctx.Done():
			}
		}
	}()
	pos, n := after, 0
	start, lastReport := time.Now(), time.Now()
	pending := 0
	var tx pgx.Tx
	var waitRead, write time.Duration
	commit := func() error {
		t0 := time.Now()
		defer func() { write += time.Since(t0) }()
		if f.fold != nil { // the fold's writer has its own transactions
			pending = 0
			return f.fold.stream(false)
		}
		if tx == nil {
			return nil
		}
		if err := f.flush(ctx, tx); err != nil {
			return err
		}
		err := tx.Commit(ctx)
		tx, pending = nil, 0
		return err
	}
	defer func() {
		fmt.Fprintf(r.cfg.Progress, "rebuild: %d events: %s waiting for log pages, %s writing (or waiting for the writer), %s in all\n",
			n, waitRead.Round(time.Millisecond), write.Round(time.Millisecond), time.Since(start).Round(time.Millisecond))
	}()
	defer func() {
		if tx != nil {
			_ = tx.Rollback(context.Background())
		}
	}()
	for {
		t0 := time.Now()
		p, ok := <-pages
		waitRead += time.Since(t0)
		if !ok {
			if err := ctx.Err(); err != nil { // the reader stops quietly when ctx ends
				return pos, n, err
			}
			break
		}
		if p.err != nil {
			return pos, n, p.err
		}
		for _, e := range p.evs {
			if tx == nil && f.fold == nil {
				var err error
				if tx, err = r.pool.Begin(ctx); err != nil {
					return pos, n, err
				}
				if _, err := tx.Exec(ctx, `SET LOCAL search_path TO `+schema+`, public`); err != nil {
					return pos, n, err
				}
			}
			if err := f.feed(e); err != nil {
				return pos, n, err
			}
			pos, n, pending = e.Position, n+1, pending+1
			if pending >= r.cfg.ChunkSize {
				if err := commit(); err != nil {
					return pos, n, err
				}
			}
		}
		if time.Since(lastReport) > 2*time.Second {
			lastReport = time.Now()
			rate := float64(n) / time.Since(start).Seconds()
			line := fmt.Sprintf("rebuild: %d events applied (%.0f events/s)", n, rate)
			if total > 0 {
				line = fmt.Sprintf("rebuild: %d/%d events (%.0f%%, %.0f events/s, about %s left)", n, total, 100*float64(n)/float64(total),
					rate, (time.Duration(float64(total-n)/max(rate, 1)) * time.Second).Round(time.Second))
			}
			fmt.Fprintln(r.cfg.Progress, line)
		}
	}
	return pos, n, commit()
}

// liveOffsets locks the consumer groups' offset rows (holding the live
// consumers where they are) and returns their committed positions by
// projector name.
func liveOffsets(ctx context.Context, tx pgx.Tx, ps []Projector) (map[string]eventstore.Position, error) {
	groups := make([]string, len(ps))
	for i, p := range ps {
		groups[i] = ConsumerGroup(p)
	}
	held, err := eventstore.HoldConsumers(ctx, tx, groups...)
	if err != nil {
		return nil, err
	}
	out := make(map[string]eventstore.Position, len(ps))
	for i, p := range ps {
		out[p.Name()] = held[groups[i]]
	}
	return out, nil
}

// catchUp brings each projector's shadow from the shadow's position to its
// live position (when the live one is ahead), inside tx.
func (r *Rebuilder) catchUp(ctx context.Context, tx pgx.Tx, sh *shadow, live map[string]eventstore.Position) (map[string]*versionMap, error) {
	if _, err := tx.Exec(ctx, `SET LOCAL search_path TO `+sh.schema+`, public`); err != nil {
		return nil, err
	}
	out := map[string]*versionMap{}
	for _, p := range sh.projectors {
		vm := newVersionMap(sh.versions)
		out[p.Name()] = vm
		target := live[p.Name()]
		if !sh.position.Less(target) {
			continue
		}
		f := newFeeder([]Projector{p}, vm)
		cur := sh.position
		for {
			evs, err := r.store.ReadBatch(ctx, tx, cur, 0, r.cfg.PageSize, eventstore.Filter{})
			if err != nil {
				return nil, err
			}
			stop := len(evs) == 0
			for _, e := range evs {
				if target.Less(e.Position) {
					stop = true
					break
				}
				if err := f.feed(e); err != nil {
					return nil, err
				}
				cur = e.Position
			}
			if err := f.flush(ctx, tx); err != nil {
				return nil, err
			}
			if stop {
				break
			}
		}
		if err := f.fillGaps(ctx, r.store, eventstore.PgxQuerier{Q: tx}); err != nil {
			return nil, err
		}
		if err := f.flush(ctx, tx); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// writeVersions fills the shadow's projection_versions for the projectors.
func writeVersions(ctx context.Context, tx pgx.Tx, sh *shadow, vms map[string]*versionMap) error {
	var rows [][]any
	for _, p := range sh.projectors {
		vms[p.Name()].each(func(stream, typ string, v int) {
			if consumes(p, typ) {
				rows = append(rows, []any{p.Name(), stream, v})
			}
		})
	}
	_, err := tx.CopyFrom(ctx, pgx.Identifier{sh.schema, "projection_versions"}, []string{"projector", "stream_id", "version"}, pgx.CopyFromRows(rows))
	return err
}

func (r *Rebuilder) swap(ctx context.Context, sh *shadow) error {
	return pgx.BeginFunc(ctx, r.pool, func(tx pgx.Tx) error {
		live, err := liveOffsets(ctx, tx, sh.projectors)
		if err != nil {
			return err
		}
		vms, err := r.catchUp(ctx, tx, sh, live)
		if err != nil {
			return err
		}
		if err := writeVersions(ctx, tx, sh, vms); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `SET LOCAL search_path TO public`); err != nil {
			return err
		}
		if err := keepWorkerColumns(ctx, tx, sh); err != nil {
			return err
		}
		retired := sh.schema + "_retired"
		if _, err := tx.Exec(ctx, `CREATE SCHEMA `+retired); err != nil {
			return err
		}
		for _, t := range tablesOf(sh.projectors) {
			if _, err := tx.Exec(ctx, fmt.Sprintf(`ALTER TABLE public.%s SET SCHEMA %s`, t, retired)); err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, fmt.Sprintf(`ALTER TABLE %s.%s SET SCHEMA public`, sh.schema, t)); err != nil {
				return err
			}
		}
		if _, err := tx.Exec(ctx, `DELETE FROM public.projection_versions WHERE projector = ANY($1)`, names(sh.projectors)); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO public.projection_versions SELECT * FROM `+sh.schema+`.projection_versions`); err != nil {
			return err
		}
		for _, p := range sh.projectors {
			pos := live[p.Name()]
			if pos.Less(sh.position) {
				pos = sh.position
			}
			// Moving the offset also makes a live consumer waiting on this row
			// fail its snapshot and start a fresh one that sees the new tables.
			if err := eventstore.MoveConsumer(ctx, tx, ConsumerGroup(p), pos); err != nil {
				return err
			}
		}
		_, err = tx.Exec(ctx, `DROP SCHEMA `+retired+` CASCADE`)
		return err
	})
}

// keepWorkerColumns copies the columns workers maintain (WorkerColumns) from
// the live tables into the rebuilt ones, row by row on their key, so a
// rebuild of scoring_jobs keeps the worker's leases, attempts and last
// errors. The live table is locked against writes first, so no worker
// update can fall between the copy and the swap.
func keepWorkerColumns(ctx context.Context, tx pgx.Tx, sh *shadow) error {
	for _, p := range sh.projectors {
		wc, ok := p.(WorkerColumns)
		if !ok {
			continue
		}
		for _, tc := range wc.WorkerColumns() {
			if _, err := tx.Exec(ctx, `LOCK TABLE public.`+tc.Table+` IN SHARE ROW EXCLUSIVE MODE`); err != nil {
				return err
			}
			cols := make([]string, len(tc.Columns))
			for i, c := range tc.Columns {
				cols[i] = c + " = l." + c
			}
			if _, err := tx.Exec(ctx, fmt.Sprintf(`UPDATE %[1]s.%[2]s s SET %[3]s FROM public.%[2]s l WHERE s.%[4]s = l.%[4]s`,
				sh.schema, tc.Table, strings.Join(cols, ", "), tc.Key)); err != nil {
				return fmt.Errorf("keep %s's worker columns: %w", tc.Table, err)
			}
		}
	}
	return nil
}
