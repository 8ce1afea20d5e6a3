package projections

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/sparrow-coach/sparrow/eventstore"
)

// Difference is a row found on one side only.
type Difference struct {
	Table string
	// Side is "live" (only in the live table) or "rebuilt" (only in the rebuild).
	Side string
	Row  string
}

// VerifyReport says whether live tables equal a fresh rebuild.
type VerifyReport struct {
	Projectors []string
	Events     int
	Position   eventstore.Position
	// Mismatches counts differing rows per table (absent when equal).
	Mismatches map[string]int
	// Samples shows up to 10 differing rows per table and side.
	Samples []Difference
	// NotCompared lists the columns (table.column) left out of the
	// comparison because a worker maintains them outside the log
	// (WorkerColumns: scoring_jobs' lease, attempts and last error).
	NotCompared []string
}

// OK reports whether nothing differs.
func (r VerifyReport) OK() bool { return len(r.Mismatches) == 0 }

// errVerified ends the comparison transaction without keeping anything.
var errVerified = errors.New("verified")

// Verify rebuilds the projectors into a shadow schema and compares it with
// the live tables at the same log position. The live consumers are brought
// to the rebuild's position first (by this process's own runner if the
// server is not running; with the server up, its consumer does it), then
// held there while the comparison runs. Nothing live is changed.
func (r *Rebuilder) Verify(ctx context.Context, ps []Projector) (VerifyReport, error) {
	ps, err := withQuarantines(ctx, r.store, ps) // quarantine (quarantine.go): leave out what live left out
	if err != nil {
		return VerifyReport{}, err
	}
	sh, err := r.build(ctx, ps)
	if err != nil {
		return VerifyReport{}, err
	}
	defer r.dropSchema(sh.schema)
	if err := r.bringLiveTo(ctx, ps, sh.position); err != nil {
		return VerifyReport{}, err
	}
	rep := VerifyReport{Projectors: names(ps), Events: sh.events, Position: sh.position, Mismatches: map[string]int{},
		NotCompared: workerColumnNames(ps)}
	for _, c := range rep.NotCompared {
		fmt.Fprintf(r.cfg.Progress, "verify: not comparing %s (a worker maintains it; the log does not record it)\n", c)
	}
	err = pgx.BeginFunc(ctx, r.pool, func(tx pgx.Tx) error {
		live, err := liveOffsets(ctx, tx, ps)
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
		// projection_versions is bookkeeping, not a read model: live it is a
		// lower bound (events that change nothing are not recorded), so it is
		// not compared.
		// Columns workers maintain (WorkerColumns) are not derived from the
		// log, so they are not compared.
		skip := workerColumns(ps)
		for _, t := range tablesOf(ps) {
			filter := ""
			cols := "*"
			if len(skip[t]) > 0 {
				if err := tx.QueryRow(ctx, `SELECT string_agg(quote_ident(column_name), ', ' ORDER BY ordinal_position)
FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1 AND NOT column_name = ANY($2)`, t, skip[t]).Scan(&cols); err != nil {
					return fmt.Errorf("columns of %s: %w", t, err)
				}
			}
			q := fmt.Sprintf(`
WITH live AS (SELECT %[4]s FROM public.%[1]s%[3]s), rebuilt AS (SELECT %[4]s FROM %[2]s.%[1]s%[3]s),
     live_only AS (SELECT * FROM live EXCEPT ALL SELECT * FROM rebuilt),
     rebuilt_only AS (SELECT * FROM rebuilt EXCEPT ALL SELECT * FROM live)
SELECT 'live', (SELECT count(*) FROM live_only), coalesce((SELECT json_agg(row_to_json(x))::text FROM (SELECT * FROM live_only LIMIT 10) x), '[]')
UNION ALL
SELECT 'rebuilt', (SELECT count(*) FROM rebuilt_only), coalesce((SELECT json_agg(row_to_json(x))::text FROM (SELECT * FROM rebuilt_only LIMIT 10) x), '[]')`,
				t, sh.schema, filter, cols)
			args := []any{}
			if filter != "" {
				args = append(args, names(ps))
			}
			rows, err := tx.Query(ctx, q, args...)
			if err != nil {
				return fmt.Errorf("compare %s: %w", t, err)
			}
			for rows.Next() {
				var side, sample string
				var n int
				if err := rows.Scan(&side, &n, &sample); err != nil {
					rows.Close()
					return err
				}
				if n > 0 {
					rep.Mismatches[t] += n
					rep.Samples = append(rep.Samples, Difference{Table: t, Side: side, Row: sample})
				}
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return err
			}
		}
		return errVerified // roll back the catch-up writes
	})
	if err != nil && !errors.Is(err, errVerified) {
		return VerifyReport{}, fmt.Errorf("projections: verify: %w", err)
	}
	return rep, nil
}

func (r *Rebuilder) bringLiveTo(ctx context.Context, ps []Projector, pos eventstore.Position) error {
	return CatchUp(ctx, r.store, r.db, ps, pos, r.cfg.CatchUpTimeout)
}

// CatchUp runs the live consumers of ps in this process until they have
// committed pos (a server running the same consumer groups may do it
// instead: only one consumer of a group works at a time). CLI tools use it
// so their writes show in the read tables even when no server runs.
func CatchUp(ctx context.Context, store *eventstore.Store, db *sql.DB, ps []Projector, pos eventstore.Position, timeout time.Duration) error {
	runner, err := NewRunner(store, db, RunnerConfig{Projectors: ps, PollInterval: 100 * time.Millisecond})
	if err != nil {
		return err
	}
	runCtx, stop := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { defer close(done); _ = runner.Run(runCtx) }()
	defer func() { stop(); <-done }()
	waitCtx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	if err := runner.WaitFor(waitCtx, pos); err != nil {
		var stuck []string
		for _, h := range runner.Health() {
			if h.LastError != "" {
				stuck = append(stuck, h.Name+": "+h.LastError)
			}
		}
		return fmt.Errorf("projections: live projections did not reach position %s: %w %s", pos, err, strings.Join(stuck, "; "))
	}
	return nil
}

// workerColumns returns, per table, the columns of ps that workers maintain.
func workerColumns(ps []Projector) map[string][]string {
	out := map[string][]string{}
	for _, p := range ps {
		if wc, ok := p.(WorkerColumns); ok {
			for _, tc := range wc.WorkerColumns() {
				out[tc.Table] = append(out[tc.Table], tc.Columns...)
			}
		}
	}
	return out
}

// workerColumnNames lists the worker-maintained columns of ps as table.column.
func workerColumnNames(ps []Projector) []string {
	var out []string
	for _, p := range ps {
		if wc, ok := p.(WorkerColumns); ok {
			for _, tc := range wc.WorkerColumns() {
				for _, c := range tc.Columns {
					out = append(out, tc.Table+"."+c)
				}
			}
		}
	}
	return out
}
