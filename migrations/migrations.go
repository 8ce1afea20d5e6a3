// Package migrations owns the database schema: numbered SQL files applied in
// order by goose (github.com/pressly/goose/v3), embedded in the binary.
//
// Invariants: tables are created only here, never by code at publish or
// subscribe time; a migration, once released, is never edited (add a new one).
package migrations

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io"
	"io/fs"
	"log/slog"

	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
)

//go:embed *.sql
var files embed.FS

// Up applies every pending migration and reports what it applied to log (may
// be nil). It holds a PostgreSQL advisory lock while it works, so replicas
// starting together on one database migrate it once, one after the other.
func Up(ctx context.Context, db *sql.DB, log io.Writer) error {
	locker, err := lock.NewPostgresSessionLocker(lock.WithLockTimeout(1, 300)) // retried every second, up to 5 min
	if err != nil {
		return fmt.Errorf("migrations: %w", err)
	}
	p, err := goose.NewProvider(goose.DialectPostgres, db, files, goose.WithLogger(gooseLogger{log}), goose.WithSessionLocker(locker))
	if err != nil {
		return fmt.Errorf("migrations: %w", err)
	}
	results, err := p.Up(ctx)
	if err != nil {
		return fmt.Errorf("migrations: up: %w", err)
	}
	if log != nil {
		for _, r := range results {
			fmt.Fprintf(log, "migrations: applied %s in %s\n", r.Source.Path, r.Duration.Round(1e6))
		}
	}
	return nil
}

// Status reports the current and latest schema versions.
func Status(ctx context.Context, db *sql.DB) (current, latest int64, err error) {
	p, err := goose.NewProvider(goose.DialectPostgres, db, files)
	if err != nil {
		return 0, 0, fmt.Errorf("migrations: %w", err)
	}
	current, latest, err = p.GetVersions(ctx)
	if err != nil {
		return 0, 0, fmt.Errorf("migrations: versions: %w", err)
	}
	return current, latest, nil
}

type gooseLogger struct{ w io.Writer }

func (l gooseLogger) Fatalf(format string, v ...any) { slog.Error(fmt.Sprintf(format, v...)) }
func (l gooseLogger) Printf(format string, v ...any) {}

// Files returns the embedded migration files (for tests that hash them).
func Files() fs.FS { return files }
