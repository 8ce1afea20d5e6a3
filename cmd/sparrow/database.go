package main

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/sparrow-coach/sparrow/api"
	"github.com/sparrow-coach/sparrow/eventstore"
	"github.com/sparrow-coach/sparrow/internal/devdb"
	"github.com/sparrow-coach/sparrow/migrations"
)

// database is an open, migrated database with the event store on it.
type database struct {
	pool    *pgxpool.Pool
	db      *sql.DB // database/sql view of the same pool, for watermill
	store   *eventstore.Store
	waker   *eventstore.Waker
	metrics *api.Metrics // counts appends; served by the API's /metrics
}

func (d *database) Close() {
	d.db.Close()
	d.pool.Close()
}

func (c Config) devdbConfig(log io.Writer) devdb.Config {
	return devdb.Config{Dir: filepath.Join(c.DataDir, "postgres"), Port: c.PGPort, BinDir: c.PGBin, Log: log}
}

// databaseURL returns DATABASE_URL, or starts (or reuses) the private cluster.
func databaseURL(ctx context.Context, c Config, progress io.Writer) (string, error) {
	if c.DatabaseURL != "" {
		return c.DatabaseURL, nil
	}
	cl, err := devdb.Ensure(ctx, c.devdbConfig(progress))
	if err != nil {
		return "", fmt.Errorf("%w\n(DATABASE_URL is unset, so sparrow uses a private PostgreSQL cluster under %s)", err, filepath.Join(c.DataDir, "postgres"))
	}
	return cl.URL, nil
}

// openDatabase connects, applies pending migrations and opens the store.
func openDatabase(ctx context.Context, c Config, progress io.Writer, maxConns int32) (*database, error) {
	url, err := databaseURL(ctx, c, progress)
	if err != nil {
		return nil, err
	}
	pc, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("DATABASE_URL: %w", err)
	}
	if maxConns > 0 {
		pc.MaxConns = maxConns
	}
	pool, err := pgxpool.NewWithConfig(ctx, pc)
	if err != nil {
		return nil, err
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("cannot reach the database: %w", err)
	}
	db := stdlib.OpenDBFromPool(pool)
	if err := migrations.Up(ctx, db, progress); err != nil {
		db.Close()
		pool.Close()
		return nil, err
	}
	w := eventstore.NewWaker()
	metrics := api.NewMetrics()
	store, err := eventstore.NewStore(pool, eventstore.StoreConfig{OnAppend: func(stream string, res eventstore.AppendResult) {
		w.Appended(stream, res)
		metrics.Appended(stream, res)
	}})
	if err != nil {
		db.Close()
		pool.Close()
		return nil, err
	}
	return &database{pool: pool, db: db, store: store, waker: w, metrics: metrics}, nil
}

// openFromEnv reads the configuration and opens the migrated database: the
// first steps of every command that works on the database.
func openFromEnv(ctx context.Context, e env, maxConns int32) (Config, *database, error) {
	c, err := configFromEnv(e.getenv)
	if err != nil {
		return Config{}, nil, err
	}
	d, err := openDatabase(ctx, c, e.stderr, maxConns)
	return c, d, err
}

func newLogger(c Config, w io.Writer) *slog.Logger {
	lvl := map[string]slog.Level{"debug": slog.LevelDebug, "info": slog.LevelInfo, "warn": slog.LevelWarn, "error": slog.LevelError}[c.LogLevel]
	if w == nil {
		w = os.Stderr
	}
	return slog.New(slog.NewJSONHandler(w, &slog.HandlerOptions{Level: lvl}))
}

func cmdMigrate(ctx context.Context, e env, args []string) error {
	fs := newFlags(e, "migrate", "")
	if err := parse(fs, args); err != nil {
		return err
	}
	_, d, err := openFromEnv(ctx, e, 2)
	if err != nil {
		return err
	}
	defer d.Close()
	cur, latest, err := migrations.Status(ctx, d.db)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "schema at version %d of %d\n", cur, latest)
	return nil
}

func cmdDB(ctx context.Context, e env, args []string) error {
	if len(args) != 1 {
		return &exitError{code: 2, msg: "usage: sparrow db start|stop|status|url"}
	}
	c, err := configFromEnv(e.getenv)
	if err != nil {
		return err
	}
	if c.DatabaseURL != "" {
		return &exitError{code: 2, msg: "DATABASE_URL is set: sparrow does not manage that database"}
	}
	dc := c.devdbConfig(e.stderr)
	switch args[0] {
	case "start":
		cl, err := devdb.Ensure(ctx, dc)
		if err != nil {
			return err
		}
		fmt.Fprintln(e.stdout, cl.URL)
	case "url":
		cl, err := devdb.Ensure(ctx, devdb.Config{Dir: dc.Dir, Port: dc.Port, BinDir: dc.BinDir})
		if err != nil {
			return err
		}
		fmt.Fprintln(e.stdout, cl.URL)
	case "stop":
		return devdb.Stop(ctx, dc)
	case "status":
		running, err := devdb.Status(ctx, dc)
		if err != nil {
			return err
		}
		if !running {
			fmt.Fprintf(e.stdout, "stopped (%s)\n", devdb.EffectiveDir(dc))
			return &exitError{code: 3}
		}
		fmt.Fprintf(e.stdout, "running on 127.0.0.1:%d (%s)\n", dc.Port, devdb.EffectiveDir(dc))
	default:
		return &exitError{code: 2, msg: "usage: sparrow db start|stop|status|url"}
	}
	return nil
}
