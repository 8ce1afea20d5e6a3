package projections

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/sparrow-coach/sparrow/eventstore"
)

// execQuerier is what applying needs from a transaction.
type execQuerier interface {
	eventstore.RowsQuerier
	Exec(ctx context.Context, sql string, args ...any) error
}

// sqlTx adapts watermill's *sql.Tx.
type sqlTx struct{ tx *sql.Tx }

func (t sqlTx) Exec(ctx context.Context, q string, args ...any) error {
	_, err := t.tx.ExecContext(ctx, q, args...)
	return err
}

func (t sqlTx) QueryRows(ctx context.Context, scan func(eventstore.Scanner) error, q string, args ...any) error {
	return eventstore.SQLQuerier{Q: t.tx}.QueryRows(ctx, scan, q, args...)
}

// applyInSavepoint applies ev to p exactly once and in stream-version order:
// a version already applied is skipped, a gap is filled from the log first,
// and everything rolls back to the savepoint on error, leaving the batch
// transaction usable for the events before it.
//
// An event that gives the projector nothing to do (no statements, nothing
// to recompute) costs no database work at all: its version is not recorded,
// and the next event the projector does handle fills the gap from the log,
// where such events again change nothing.
func applyInSavepoint(ctx context.Context, store *eventstore.Store, tx execQuerier, p Projector, ev eventstore.Event) (err error) {
	if first, err := p.Apply(ev); err != nil {
		return fmt.Errorf("projection %s: event %s v%d (%s) at position %s: %w", p.Name(), ev.StreamID, ev.Version, ev.Type, ev.Position, err)
	} else if len(first) == 0 {
		if fin, ok := p.(Finalizer); !ok || len(fin.Dirty(ev)) == 0 {
			return nil
		}
	}
	if err := tx.Exec(ctx, `SAVEPOINT projection`); err != nil {
		return err
	}
	defer func() {
		if err != nil {
			if rbErr := tx.Exec(ctx, `ROLLBACK TO SAVEPOINT projection`); rbErr != nil {
				err = errors.Join(err, rbErr)
			}
			err = fmt.Errorf("projection %s: event %s v%d (%s) at position %s: %w", p.Name(), ev.StreamID, ev.Version, ev.Type, ev.Position, err)
			return
		}
		err = tx.Exec(ctx, `RELEASE SAVEPOINT projection`)
	}()
	applied := 0
	err = tx.QueryRows(ctx, func(sc eventstore.Scanner) error { return sc.Scan(&applied) },
		`SELECT version FROM projection_versions WHERE projector = $1 AND stream_id = $2`, p.Name(), ev.StreamID)
	if err != nil {
		return err
	}
	if ev.Version <= applied {
		return nil // delivered again (redelivery, or already applied while filling a gap)
	}
	batch := []eventstore.Event{ev}
	if ev.Version > applied+1 {
		missing, err := store.LoadRangeWith(ctx, tx, ev.StreamID, applied, ev.Version-1)
		if err != nil {
			return err
		}
		if len(missing) != ev.Version-1-applied {
			return fmt.Errorf("versions %d..%d are missing from the log", applied+1, ev.Version-1)
		}
		batch = append(missing, ev)
	}
	var dirty []string
	fin, _ := p.(Finalizer)
	for _, e := range batch {
		stmts, err := p.Apply(e)
		if err != nil {
			return err
		}
		for _, s := range stmts {
			if err := tx.Exec(ctx, s.SQL, s.Args...); err != nil {
				return fmt.Errorf("%w\n  in: %s", err, firstLine(s.SQL))
			}
		}
		if fin != nil {
			dirty = append(dirty, fin.Dirty(e)...)
		}
	}
	if len(dirty) > 0 {
		stmts, err := fin.Finalize(ctx, tx, dedupe(dirty))
		if err != nil {
			return err
		}
		for _, s := range stmts {
			if err := tx.Exec(ctx, s.SQL, s.Args...); err != nil {
				return err
			}
		}
	}
	return tx.Exec(ctx, `INSERT INTO projection_versions (projector, stream_id, version) VALUES ($1, $2, $3)
ON CONFLICT (projector, stream_id) DO UPDATE SET version = excluded.version`, p.Name(), ev.StreamID, ev.Version)
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
