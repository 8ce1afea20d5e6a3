package projections

import (
	"bytes"
	"context"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sparrow-coach/sparrow/domain"
	"github.com/sparrow-coach/sparrow/eventstore"
	"github.com/sparrow-coach/sparrow/internal/historygen"
)

// A rebuild while the live runner runs and events keep arriving swaps in
// tables equal to a fresh rebuild, and live projection carries on after it.
func TestRebuildSwapsWithoutStoppingTheLiveRunner(t *testing.T) {
	t.Parallel()
	pool, _, db := newStoreDB(t)
	w := eventstore.NewWaker()
	store2, err := eventstore.NewStore(pool, eventstore.StoreConfig{OnAppend: w.Appended})
	require.NoError(t, err)
	runner, err := NewRunner(store2, db, RunnerConfig{Waker: w, PollInterval: 50 * time.Millisecond})
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); _ = runner.Run(ctx) }()
	defer func() { cancel(); <-done }()

	first := historygen.Generate(historygen.Config{Seed: 21, Users: 4, CallsPerUser: 5, ChunksPerCall: 6, Chaos: true})
	seedHistory(t, store2, first)
	require.Len(t, readAll(t, store2), historygen.Count(first)) // below the horizon: the rebuild will see it
	second := historygen.Generate(historygen.Config{Seed: 22, Users: 4, CallsPerUser: 5, ChunksPerCall: 6, Chaos: true})

	var wg sync.WaitGroup
	wg.Add(1)
	go func() { // more events arrive while the rebuild runs
		defer wg.Done()
		seedHistory(t, store2, second)
	}()
	var progress bytes.Buffer
	rb, err := NewRebuilder(store2, db, RebuildConfig{ChunkSize: 50, PageSize: 200, Progress: &progress})
	require.NoError(t, err)
	rep, err := rb.Rebuild(context.Background(), All())
	require.NoError(t, err)
	wg.Wait()
	assert.GreaterOrEqual(t, rep.Events, historygen.Count(first))
	assert.Contains(t, progress.String(), "swapped in users, personas, calls, user_stats")

	total := historygen.Count(first) + historygen.Count(second)
	all := readAll(t, store2)
	require.Len(t, all, total)
	wctx, wcancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer wcancel()
	require.NoError(t, runner.WaitFor(wctx, all[len(all)-1].Position), "the live runner carries on after the swap")

	vrep, err := rb.Verify(context.Background(), All())
	require.NoError(t, err)
	assert.True(t, vrep.OK(), "%v %v", vrep.Mismatches, vrep.Samples)
	assert.Equal(t, total, vrep.Events)

	var schemas int
	require.NoError(t, pool.QueryRow(context.Background(), `SELECT count(*) FROM pg_namespace WHERE nspname LIKE 'rebuild_%'`).Scan(&schemas))
	assert.Zero(t, schemas, "shadow and retired schemas are dropped")

	// The swapped-in tables keep the room the migrations gave updates.
	for _, table := range []string{"calls", "stats_calls", "user_stats", "projection_versions"} {
		var opts []string
		require.NoError(t, pool.QueryRow(context.Background(), `SELECT coalesce(reloptions, '{}') FROM pg_class WHERE oid = ('public.' || $1)::regclass`, table).Scan(&opts))
		assert.Equal(t, []string{"fillfactor=50"}, opts, table)
	}
}

// --only rebuilds one projector and leaves the others' tables alone.
func TestRebuildOnlyOneProjector(t *testing.T) {
	t.Parallel()
	pool, store, db := newStoreDB(t)
	h := historygen.Generate(historygen.Config{Seed: 5, Users: 3, CallsPerUser: 3, ChunksPerCall: 4})
	seedHistory(t, store, h)
	require.Len(t, readAll(t, store), historygen.Count(h))
	rb, err := NewRebuilder(store, db, RebuildConfig{})
	require.NoError(t, err)
	_, err = rb.Rebuild(context.Background(), All())
	require.NoError(t, err)

	ctx := context.Background()
	_, err = pool.Exec(ctx, `UPDATE users SET full_name = 'tampered'`)
	require.NoError(t, err)
	_, err = pool.Exec(ctx, `UPDATE user_stats SET best_score = 101 - best_score`)
	require.NoError(t, err)
	ps, err := ByName("user_stats")
	require.NoError(t, err)
	_, err = rb.Rebuild(ctx, ps)
	require.NoError(t, err)
	var tampered int
	require.NoError(t, pool.QueryRow(ctx, `SELECT count(*) FROM users WHERE full_name = 'tampered'`).Scan(&tampered))
	assert.Equal(t, 3, tampered, "users was not rebuilt")
	rep, err := rb.Verify(ctx, ps)
	require.NoError(t, err)
	assert.True(t, rep.OK(), "user_stats was rebuilt: %v", rep.Samples)
	_, err = ByName("nope")
	assert.Error(t, err)
}

// A user deleted after the rebuild has streamed their transcripts out of
// memory: the fold deletes the streamed rows too, and the rebuild still
// equals the live tables.
func TestRebuildDeletesStreamedRows(t *testing.T) {
	t.Parallel()
	pool, store, db := newStoreDB(t)
	ctx := context.Background()
	h := historygen.Generate(historygen.Config{Seed: 31, Users: 3, CallsPerUser: 4, ChunksPerCall: 6, Chaos: true})
	seedHistory(t, store, h)
	versions := map[string]int{}
	var users []string
	for _, a := range h {
		if _, ok := a.Events[0].(*domain.UserRegistered); ok {
			users = append(users, a.StreamID)
		}
		versions[a.StreamID] = a.Expected + len(a.Events)
	}
	u := domain.NewUser(users[0])
	u.Apply(&domain.UserRegistered{})
	evs, err := u.Delete("test")
	require.NoError(t, err)
	_, err = store.Append(ctx, users[0], versions[users[0]], eventstore.NewEvent{ID: uuid.NewString(), Data: evs[0],
		Meta: eventstore.Metadata{Actor: eventstore.ActorSystem, OccurredAt: time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)}})
	require.NoError(t, err)
	require.Len(t, readAll(t, store), historygen.Count(h)+1)

	rb, err := NewRebuilder(store, db, RebuildConfig{StreamRows: 5})
	require.NoError(t, err)
	rep, err := rb.Verify(ctx, All())
	require.NoError(t, err)
	assert.True(t, rep.OK(), "%v %v", rep.Mismatches, rep.Samples)
	var left int
	require.NoError(t, pool.QueryRow(ctx, `SELECT count(*) FROM transcripts t JOIN calls c ON c.id = t.call_id WHERE c.user_id = $1`, users[0]).Scan(&left))
	assert.Zero(t, left)
	var others int
	require.NoError(t, pool.QueryRow(ctx, `SELECT count(*) FROM transcripts`).Scan(&others))
	assert.NotZero(t, others)
}
