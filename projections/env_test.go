package projections_test

import (
	"context"
	"database/sql"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/stretchr/testify/require"

	"github.com/sparrow-coach/sparrow/domain"
	"github.com/sparrow-coach/sparrow/eventstore"
	"github.com/sparrow-coach/sparrow/internal/pgtest"
	"github.com/sparrow-coach/sparrow/projections"
)

// env is a fresh database with a store and, once started, a live runner.
type env struct {
	pool   *pgxpool.Pool
	db     *sql.DB
	store  *eventstore.Store
	waker  *eventstore.Waker
	runner *projections.Runner
}

func newEnv(t *testing.T) *env {
	t.Helper()
	pool := pgtest.NewPool(t)
	w := eventstore.NewWaker()
	store, err := eventstore.NewStore(pool, eventstore.StoreConfig{OnAppend: w.Appended})
	require.NoError(t, err)
	db := stdlib.OpenDBFromPool(pool)
	t.Cleanup(func() { db.Close() })
	return &env{pool: pool, db: db, store: store, waker: w}
}

// start runs the live projections until the test ends.
func (e *env) start(t *testing.T) {
	t.Helper()
	r, err := projections.NewRunner(e.store, e.db, projections.RunnerConfig{Waker: e.waker, PollInterval: 200 * time.Millisecond})
	require.NoError(t, err)
	e.runner = r
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); _ = r.Run(ctx) }()
	t.Cleanup(func() { cancel(); <-done })
}

func (e *env) appendAt(t *testing.T, stream string, expected int, at time.Time, data ...domain.Event) eventstore.AppendResult {
	t.Helper()
	evs := make([]eventstore.NewEvent, len(data))
	for i, d := range data {
		evs[i] = eventstore.NewEvent{ID: uuid.NewString(), Data: d, Meta: eventstore.Metadata{Actor: eventstore.ActorSystem, OccurredAt: at}}
	}
	res, err := e.store.Append(context.Background(), stream, expected, evs...)
	require.NoError(t, err)
	return res
}

func (e *env) wait(t *testing.T, pos eventstore.Position) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	require.NoError(t, e.runner.WaitFor(ctx, pos))
}
