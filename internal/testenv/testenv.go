// Package testenv is the one test rig that wires Sparrow's core the way `sparrow serve` does: a fresh migrated
// database (internal/pgtest), the event store with its waker, live projections and the application.
//
// Each test gets its own database, so tests run in parallel; everything New starts is stopped and dropped when the
// test ends. Options adjust the wiring (which projectors run, the app's ports, the store's append hook); the
// zero Options give what most tests want: the read models running, read-your-writes on, and the built-in scorer.
package testenv

import (
	"context"
	"database/sql"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/sparrow-coach/sparrow/app"
	"github.com/sparrow-coach/sparrow/app/scoring"
	"github.com/sparrow-coach/sparrow/eventstore"
	"github.com/sparrow-coach/sparrow/internal/pgtest"
	"github.com/sparrow-coach/sparrow/projections"
)

// Options adjust an Env.
type Options struct {
	// MaxConns sizes the pool (default 20: each consumer group, the waker's listener and the app hold connections).
	MaxConns int32
	// Projectors run in the live runner (default projections.ReadModels()); Stopped leaves it to the test to call
	// StartProjections.
	Projectors []projections.Projector
	Stopped    bool
	// PollInterval of the runner (default the runner's).
	PollInterval time.Duration
	// OnAppend is called after each append, besides waking streams (metrics, say).
	OnAppend func(streamID string, res eventstore.AppendResult)
	// App is the application's configuration; Consistency, Waker and Projections are filled in, QuickScorer
	// defaults to the built-in chain and ConsistencyTimeout to 20 s.
	App app.Config
	// NoApp skips building the application (tests of the store or the projections alone).
	NoApp bool
}

// Env is a wired core on its own database.
type Env struct {
	Pool   *pgxpool.Pool
	DB     *sql.DB
	Store  *eventstore.Store
	Waker  *eventstore.Waker
	Runner *projections.Runner
	App    *app.App
}

// New wires an Env for the test; opts adjust the Options.
func New(tb testing.TB, opts ...func(*Options)) *Env {
	tb.Helper()
	var o Options
	for _, f := range opts {
		f(&o)
	}
	if o.MaxConns == 0 {
		o.MaxConns = 20
	}
	if o.Projectors == nil {
		o.Projectors = projections.ReadModels()
	}
	cfg, err := pgxpool.ParseConfig(pgtest.NewURL(tb))
	must(tb, err)
	cfg.MaxConns = o.MaxConns
	pool, err := pgxpool.NewWithConfig(context.Background(), cfg)
	must(tb, err)
	tb.Cleanup(pool.Close) // runs before the database is dropped
	e := &Env{Pool: pool, Waker: eventstore.NewWaker()}
	e.Store, err = eventstore.NewStore(pool, eventstore.StoreConfig{OnAppend: func(id string, res eventstore.AppendResult) {
		e.Waker.Appended(id, res)
		if o.OnAppend != nil {
			o.OnAppend(id, res)
		}
	}})
	must(tb, err)
	e.DB = stdlib.OpenDBFromPool(pool)
	tb.Cleanup(func() { e.DB.Close() })
	e.Runner, err = projections.NewRunner(e.Store, e.DB, projections.RunnerConfig{Waker: e.Waker, Projectors: o.Projectors,
		PollInterval: o.PollInterval})
	must(tb, err)
	if !o.Stopped {
		e.StartProjections(tb, e.Runner)
	}
	if o.NoApp {
		return e
	}
	ac := o.App
	ac.Consistency, ac.Waker = e.Runner, e.Waker
	if ac.Projections == nil {
		ac.Projections = []app.ProjectorProgress{e.Runner}
	}
	if ac.QuickScorer == nil {
		ac.QuickScorer = scoring.QuickChain{}
	}
	if ac.ConsistencyTimeout == 0 {
		ac.ConsistencyTimeout = 20 * time.Second
	}
	e.App, err = app.New(e.Store, ac)
	must(tb, err)
	return e
}

// NewRunner makes another runner on the Env's store (the scoring jobs' own, say); start it with StartProjections.
func (e *Env) NewRunner(tb testing.TB, ps []projections.Projector) *projections.Runner {
	tb.Helper()
	r, err := projections.NewRunner(e.Store, e.DB, projections.RunnerConfig{Waker: e.Waker, Projectors: ps})
	must(tb, err)
	return r
}

// StartProjections runs r until the test ends.
func (e *Env) StartProjections(tb testing.TB, r *projections.Runner) {
	tb.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); _ = r.Run(ctx) }()
	tb.Cleanup(func() { cancel(); <-done })
}

func must(tb testing.TB, err error) {
	tb.Helper()
	if err != nil {
		tb.Fatalf("testenv: %v", err)
	}
}
