// Package pgtest gives each test its own freshly migrated PostgreSQL database.
//
// The server is DATABASE_URL when set, else the project's private cluster
// under .data/postgres (started on demand by internal/devdb, exactly as
// `make run` does, on SPARROW_PG_PORT or 54329). A template database named after a hash of the migration
// files is migrated once; each test clones it (CREATE DATABASE ... TEMPLATE,
// a few ms) and drops its clone when it ends, so tests run in parallel and
// never see each other's events.
package pgtest

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/sparrow-coach/sparrow/internal/devdb"
	"github.com/sparrow-coach/sparrow/migrations"
)

var (
	once     sync.Once
	adminURL string
	template string
	setupErr error
)

// ServerURL returns the URL of the server tests use (its "postgres" database),
// starting the private cluster when DATABASE_URL is unset.
func ServerURL(tb testing.TB) string {
	tb.Helper()
	once.Do(func() { adminURL, template, setupErr = setup() })
	if setupErr != nil {
		tb.Fatalf("pgtest: %v", setupErr)
	}
	return adminURL
}

// NewURL creates a fresh, migrated database for this test and returns its URL.
// The database is dropped when the test ends.
func NewURL(tb testing.TB) string {
	tb.Helper()
	admin := ServerURL(tb)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	name := "test_" + strings.ReplaceAll(uuid.NewString(), "-", "")[:20]
	conn, err := pgx.Connect(ctx, admin)
	if err != nil {
		tb.Fatalf("pgtest: connect: %v", err)
	}
	defer conn.Close(ctx)
	// Clones of one template are serialised: CREATE DATABASE refuses a
	// template that another CREATE DATABASE is copying.
	if _, err := conn.Exec(ctx, `SELECT pg_advisory_lock(7261001)`); err != nil {
		tb.Fatalf("pgtest: lock: %v", err)
	}
	_, err = conn.Exec(ctx, fmt.Sprintf(`CREATE DATABASE %s TEMPLATE %s`, name, template))
	_, _ = conn.Exec(ctx, `SELECT pg_advisory_unlock(7261001)`)
	if err != nil {
		tb.Fatalf("pgtest: create database: %v", err)
	}
	// xids are cluster-wide: a session left idle in a transaction by a
	// crashed test would hold back every consumer in every database.
	if _, err := conn.Exec(ctx, fmt.Sprintf(`ALTER DATABASE %s SET idle_in_transaction_session_timeout = '60s'`, name)); err != nil {
		tb.Fatalf("pgtest: %v", err)
	}
	tb.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		c, err := pgx.Connect(ctx, admin)
		if err != nil {
			tb.Errorf("pgtest: cleanup connect: %v", err)
			return
		}
		defer c.Close(ctx)
		if _, err := c.Exec(ctx, fmt.Sprintf(`DROP DATABASE IF EXISTS %s WITH (FORCE)`, name)); err != nil {
			tb.Errorf("pgtest: drop %s: %v", name, err)
		}
	})
	return withDatabase(admin, name)
}

// NewPool creates a fresh, migrated database and a pool on it, both closed
// and dropped when the test ends.
func NewPool(tb testing.TB) *pgxpool.Pool {
	tb.Helper()
	u := NewURL(tb)
	cfg, err := pgxpool.ParseConfig(u)
	if err != nil {
		tb.Fatalf("pgtest: %v", err)
	}
	cfg.MaxConns = 20 // consumer groups, the waker's listener and the app all hold connections at once
	pool, err := pgxpool.NewWithConfig(context.Background(), cfg)
	if err != nil {
		tb.Fatalf("pgtest: pool: %v", err)
	}
	tb.Cleanup(pool.Close) // runs before the DROP registered by NewURL
	return pool
}

func setup() (string, string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	base := os.Getenv("DATABASE_URL")
	if base == "" {
		root, err := repoRoot()
		if err != nil {
			return "", "", err
		}
		cfg := devdb.Config{Dir: filepath.Join(root, ".data", "postgres"), Log: os.Stderr}
		if p, err := strconv.Atoi(os.Getenv("SPARROW_PG_PORT")); err == nil { // as `sparrow` reads it
			cfg.Port = p
		}
		cl, err := devdb.Ensure(ctx, cfg)
		if err != nil {
			return "", "", err
		}
		base = cl.URL
	}
	admin := withDatabase(base, "postgres")
	sum, err := migrationsHash()
	if err != nil {
		return "", "", err
	}
	tpl := "sparrow_tpl_" + sum
	conn, err := pgx.Connect(ctx, admin)
	if err != nil {
		return "", "", fmt.Errorf("connect to %s: %w", redact(admin), err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, `SELECT pg_advisory_lock(7261000)`); err != nil {
		return "", "", err
	}
	defer conn.Exec(ctx, `SELECT pg_advisory_unlock(7261000)`) //nolint:errcheck
	var exists bool
	if err := conn.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1 AND datistemplate)`, tpl).Scan(&exists); err != nil {
		return "", "", err
	}
	if exists {
		return admin, tpl, nil
	}
	if _, err := conn.Exec(ctx, fmt.Sprintf(`DROP DATABASE IF EXISTS %s WITH (FORCE)`, tpl)); err != nil {
		return "", "", err
	}
	if _, err := conn.Exec(ctx, fmt.Sprintf(`CREATE DATABASE %s`, tpl)); err != nil {
		return "", "", err
	}
	db, err := sql.Open("pgx", withDatabase(base, tpl))
	if err != nil {
		return "", "", err
	}
	err = migrations.Up(ctx, db, nil)
	db.Close()
	if err != nil {
		return "", "", err
	}
	if _, err := conn.Exec(ctx, fmt.Sprintf(`ALTER DATABASE %s WITH IS_TEMPLATE true`, tpl)); err != nil {
		return "", "", err
	}
	return admin, tpl, nil
}

var _ = stdlib.GetDefaultDriver // registers the "pgx" database/sql driver

func migrationsHash() (string, error) {
	h := sha256.New()
	err := fs.WalkDir(migrations.Files(), ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(migrations.Files(), path)
		h.Write([]byte(path))
		h.Write(b)
		return err
	})
	return hex.EncodeToString(h.Sum(nil))[:12], err
}

func repoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("cannot find the repository root (go.mod) above the working directory; set DATABASE_URL")
		}
		dir = parent
	}
}

func withDatabase(raw, db string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return raw
	}
	u.Path = "/" + db
	return u.String()
}

func redact(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "the database"
	}
	return u.Redacted()
}
