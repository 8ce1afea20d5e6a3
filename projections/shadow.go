package projections

import (
	"context"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
)

// A shadow schema holds copies of read tables while a rebuild fills them.
// Copies are made from the live tables (LIKE ... INCLUDING ALL, and their
// storage parameters), so the migrations stay the only place a table is
// defined, and they keep the live names of constraints and indexes, so a
// swapped-in table is indistinguishable from one built by the migrations.

// createShadow creates schema with empty copies of tables (and of
// projection_versions). Plain indexes are returned to be created after the
// bulk load, which is faster than maintaining them. Primary keys, unique
// constraints and foreign keys are created now when statements will fill
// the tables (they rely on them); with deferConstraints (the fold, which
// keeps rows unique itself and COPYs them) they are returned too, to be
// added after the load, before the indexes.
func createShadow(ctx context.Context, tx pgx.Tx, schema string, tables []string, deferConstraints bool) (deferred []string, err error) {
	if _, err := tx.Exec(ctx, `CREATE SCHEMA `+schema); err != nil {
		return nil, err
	}
	all := append(append([]string(nil), tables...), "projection_versions")
	for _, t := range all {
		if _, err := tx.Exec(ctx, fmt.Sprintf(`CREATE TABLE %s.%s (LIKE public.%s INCLUDING ALL EXCLUDING INDEXES)`, schema, t, t)); err != nil {
			return nil, err
		}
		// LIKE does not copy storage parameters (fillfactor: migration 00011).
		var opts []string
		if err := tx.QueryRow(ctx, `SELECT coalesce(reloptions, '{}') FROM pg_class WHERE oid = ('public.' || $1)::regclass`, t).Scan(&opts); err != nil {
			return nil, err
		}
		if len(opts) > 0 {
			if _, err := tx.Exec(ctx, fmt.Sprintf(`ALTER TABLE %s.%s SET (%s)`, schema, t, strings.Join(opts, ", "))); err != nil {
				return nil, fmt.Errorf("shadow %s: storage parameters: %w", t, err)
			}
		}
	}
	// Constraints backed by indexes (primary key, unique), then foreign keys,
	// in table order so referenced tables have their keys first.
	for _, kinds := range []string{"'p','u'", "'f'"} {
		for _, t := range all {
			rows, err := tx.Query(ctx, fmt.Sprintf(`SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint
WHERE conrelid = 'public.%s'::regclass AND contype IN (%s) ORDER BY conname`, t, kinds))
			if err != nil {
				return nil, err
			}
			defs, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) ([2]string, error) {
				var d [2]string
				return d, r.Scan(&d[0], &d[1])
			})
			if err != nil {
				return nil, err
			}
			for _, d := range defs {
				def := d[1]
				// Foreign keys name their target unqualified; point them at the shadow copy.
				def = strings.Replace(def, "REFERENCES ", "REFERENCES "+schema+".", 1)
				ddl := fmt.Sprintf(`ALTER TABLE %s.%s ADD CONSTRAINT %s %s`, schema, t, pgx.Identifier{d[0]}.Sanitize(), def)
				if deferConstraints && t != "projection_versions" {
					deferred = append(deferred, ddl)
					continue
				}
				if _, err := tx.Exec(ctx, ddl); err != nil {
					return nil, fmt.Errorf("shadow %s: %w", t, err)
				}
			}
		}
	}
	for _, t := range tables {
		rows, err := tx.Query(ctx, `SELECT i.indexdef FROM pg_indexes i
WHERE i.schemaname = 'public' AND i.tablename = $1
  AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname AND c.conrelid = ('public.' || $1)::regclass)
ORDER BY i.indexname`, t)
		if err != nil {
			return nil, err
		}
		defs, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			return nil, err
		}
		for _, d := range defs {
			deferred = append(deferred, strings.Replace(d, " ON public.", " ON "+schema+".", 1))
		}
	}
	return deferred, nil
}

func tablesOf(ps []Projector) []string {
	var out []string
	for _, p := range ps {
		out = append(out, p.Tables()...)
	}
	return out
}

func names(ps []Projector) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.Name()
	}
	return out
}
