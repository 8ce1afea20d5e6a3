package projections

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/sparrow-coach/sparrow/eventstore"
)

// session is a native pgx connection or transaction: the live runner's
// round transaction (eventstore.Consume), a retry's, or a test's.
type session interface {
	SendBatch(ctx context.Context, b *pgx.Batch) pgx.BatchResults
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
}

// applyInSavepoint applies ev to p exactly once and in stream-version order
// (the one-by-one path: finding a poison event, retrying a quarantined stream):
// a version already applied is skipped, a gap is filled from the log first,
// and everything rolls back to the savepoint on error, leaving the batch
// transaction usable for the events before and after it.
//
// The common case is two pipelined round trips: SAVEPOINT with the version
// read, then the statements with the version write and RELEASE.
//
// An event that gives the projector nothing to do (no statements, nothing
// to recompute) costs no database work at all: its version is not recorded,
// and the next event the projector does handle fills the gap from the log,
// where such events again change nothing.
func applyInSavepoint(ctx context.Context, store *eventstore.Store, s session, p Projector, ev eventstore.Event) (err error) {
	fin, _ := p.(Finalizer)
	if first, err := p.Apply(ev); err != nil {
		return fmt.Errorf("projection %s: event %s v%d (%s) at position %s: %w", p.Name(), ev.StreamID, ev.Version, ev.Type, ev.Position, err)
	} else if len(first) == 0 && (fin == nil || len(fin.Dirty(ev)) == 0) {
		return nil
	}
	defer func() {
		if err != nil {
			if rbErr := rollbackToSavepoint(ctx, s); rbErr != nil {
				err = errors.Join(err, rbErr)
			}
			err = fmt.Errorf("projection %s: event %s v%d (%s) at position %s: %w", p.Name(), ev.StreamID, ev.Version, ev.Type, ev.Position, err)
		}
	}()

	applied := 0
	br := s.SendBatch(ctx, queue(stmt(`SAVEPOINT projection`),
		stmt(`SELECT version FROM projection_versions WHERE projector = $1 AND stream_id = $2`, p.Name(), ev.StreamID)))
	_, err = br.Exec()
	if err == nil {
		if err = br.QueryRow().Scan(&applied); errors.Is(err, pgx.ErrNoRows) {
			err = nil
		}
	}
	if cerr := br.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	if ev.Version <= applied {
		// Delivered again (redelivery, or applied while filling a gap).
		return send(ctx, s, []Stmt{stmt(`RELEASE SAVEPOINT projection`)})
	}
	batch := []eventstore.Event{ev}
	if ev.Version > applied+1 {
		missing, err := store.LoadRangeWith(ctx, eventstore.PgxQuerier{Q: s}, ev.StreamID, applied, ev.Version-1)
		if err != nil {
			return err
		}
		if len(missing) != ev.Version-1-applied {
			return fmt.Errorf("versions %d..%d are missing from the log", applied+1, ev.Version-1)
		}
		batch = append(missing, ev)
	}
	var stmts []Stmt
	var dirty []string
	for _, e := range batch {
		ss, err := p.Apply(e)
		if err != nil {
			return err
		}
		stmts = append(stmts, ss...)
		if fin != nil {
			dirty = append(dirty, fin.Dirty(e)...)
		}
	}
	if len(dirty) > 0 {
		// Recomputing reads what the statements wrote: send them first.
		if err := send(ctx, s, stmts); err != nil {
			return err
		}
		if stmts, err = fin.Finalize(ctx, eventstore.PgxQuerier{Q: s}, dedupe(dirty)); err != nil {
			return err
		}
	}
	stmts = append(stmts,
		stmt(`INSERT INTO projection_versions (projector, stream_id, version) VALUES ($1, $2, $3)
ON CONFLICT (projector, stream_id) DO UPDATE SET version = excluded.version`, p.Name(), ev.StreamID, ev.Version),
		stmt(`RELEASE SAVEPOINT projection`))
	return send(ctx, s, stmts)
}

// rollbackToSavepoint undoes the event's work and leaves the transaction
// usable. It uses the simple protocol: an aborted transaction refuses to
// prepare a statement, even a ROLLBACK TO.
func rollbackToSavepoint(ctx context.Context, s session) error {
	for _, q := range []string{`ROLLBACK TO SAVEPOINT projection`, `RELEASE SAVEPOINT projection`} {
		rows, err := s.Query(ctx, q, pgx.QueryExecModeSimpleProtocol)
		if err != nil {
			return err
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
	}
	return nil
}

func queue(stmts ...Stmt) *pgx.Batch {
	b := &pgx.Batch{}
	for _, s := range stmts {
		b.Queue(s.SQL, s.Args...)
	}
	return b
}

// send pipelines statements in one round trip and reports the first error.
func send(ctx context.Context, s session, stmts []Stmt) error {
	if len(stmts) == 0 {
		return nil
	}
	br := s.SendBatch(ctx, queue(stmts...))
	var first error
	for i := range stmts {
		if _, err := br.Exec(); err != nil && first == nil {
			first = fmt.Errorf("%w\n  in: %s", err, firstLine(stmts[i].SQL))
		}
	}
	if err := br.Close(); first == nil {
		first = err
	}
	return first
}

func dedupe(keys []string) []string {
	seen := make(map[string]struct{}, len(keys))
	out := keys[:0:0]
	for _, k := range keys {
		if _, ok := seen[k]; !ok {
			seen[k] = struct{}{}
			out = append(out, k)
		}
	}
	return out
}

func firstLine(s string) string {
	for i, c := range s {
		if c == '\n' {
			return s[:i]
		}
	}
	return s
}
