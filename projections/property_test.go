package projections

import (
	"context"
	"database/sql"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sparrow-coach/sparrow/eventstore"
	"github.com/sparrow-coach/sparrow/internal/historygen"
	"github.com/sparrow-coach/sparrow/internal/pgtest"
)

func seedHistory(t *testing.T, store *eventstore.Store, h []historygen.Append) {
	t.Helper()
	ctx := context.Background()
	for _, a := range h {
		evs := make([]eventstore.NewEvent, len(a.Events))
		for i, d := range a.Events {
			evs[i] = eventstore.NewEvent{ID: uuid.NewString(), Data: d, Meta: eventstore.Metadata{Actor: eventstore.ActorSystem, OccurredAt: a.At}}
		}
		_, err := store.Append(ctx, a.StreamID, a.Expected, evs...)
		require.NoError(t, err)
	}
}

func newStoreDB(t *testing.T) (*pgxpool.Pool, *eventstore.Store, *sql.DB) {
	t.Helper()
	pool := pgtest.NewPool(t)
	store, err := eventstore.NewStore(pool, eventstore.StoreConfig{})
	require.NoError(t, err)
	db := stdlib.OpenDBFromPool(pool)
	t.Cleanup(func() { db.Close() })
	return pool, store, db
}

// deliver applies events to every projector the way a consumer group might
// deliver them: each stream's events partly out of version order, some
// events twice, through the live path (savepoint + version guard).
func deliver(t *testing.T, store *eventstore.Store, db *sql.DB, evs []eventstore.Event, rng *rand.Rand) {
	t.Helper()
	ctx := context.Background()
	order := append([]eventstore.Event(nil), evs...)
	for i := 0; i+1 < len(order); i++ { // local inversions, within and across streams
		if rng.IntN(4) == 0 {
			order[i], order[i+1] = order[i+1], order[i]
		}
	}
	for i := 0; i < len(evs)/5; i++ { // duplicates, redelivered later
		j := rng.IntN(len(order))
		k := min(len(order), j+1+rng.IntN(20))
		order = append(order[:k], append([]eventstore.Event{order[j]}, order[k:]...)...)
	}
	pool := store.Pool()
	tx, err := pool.Begin(ctx)
	require.NoError(t, err)
	defer func() { _ = tx.Rollback(ctx) }() // a failed assertion must not leave a transaction holding the horizon
	for i, e := range order {
		for _, p := range All() {
			if consumes(p, e.StreamType) {
				require.NoError(t, applyInSavepoint(ctx, store, tx, p, e))
			}
		}
		if i%200 == 199 {
			require.NoError(t, tx.Commit(ctx))
			tx, err = pool.Begin(ctx)
			require.NoError(t, err)
		}
	}
	require.NoError(t, tx.Commit(ctx))
	delivered(t, store, evs)
}

// delivered records that every projector's consumer group has delivered
// evs, as deliver and deliverInBatches stand in for the groups: the groups'
// offsets move past them (a group's own rounds or a transaction moving its
// offsets row are the only writers of its projection_versions, which the
// live runner's version cache relies on).
func delivered(t *testing.T, store *eventstore.Store, evs []eventstore.Event) {
	t.Helper()
	ctx := context.Background()
	var last eventstore.Position
	for _, e := range evs {
		if last.Less(e.Position) {
			last = e.Position
		}
	}
	tx, err := store.Pool().Begin(ctx)
	require.NoError(t, err)
	defer func() { _ = tx.Rollback(ctx) }()
	for _, p := range All() {
		require.NoError(t, eventstore.MoveConsumer(ctx, tx, ConsumerGroup(p), last))
	}
	require.NoError(t, tx.Commit(ctx))
}

func readAll(t *testing.T, store *eventstore.Store) []eventstore.Event {
	t.Helper()
	var all []eventstore.Event
	var after eventstore.Position
	deadline := time.Now().Add(30 * time.Second)
	for {
		batch, err := store.ReadBatch(context.Background(), nil, after, 0, 5000, eventstore.Filter{})
		require.NoError(t, err)
		if len(batch) == 0 {
			var n int
			require.NoError(t, store.Pool().QueryRow(context.Background(), `SELECT count(*) FROM events`).Scan(&n))
			if n == len(all) || time.Now().After(deadline) {
				return all
			}
			time.Sleep(20 * time.Millisecond) // the horizon has not passed every event yet
			continue
		}
		all = append(all, batch...)
		after = batch[len(batch)-1].Position
	}
}

// Property: for random histories, delivered with duplicates and reordering,
// the live projections equal a fresh rebuild from the log.
func TestLiveProjectionsEqualAFreshRebuild(t *testing.T) {
	t.Parallel()
	for _, seed := range []uint64{1, 2, 3, 4} {
		t.Run("seed "+string(rune('0'+seed)), func(t *testing.T) {
			t.Parallel()
			_, store, db := newStoreDB(t)
			h := historygen.Generate(historygen.Config{Seed: seed, Users: 6, CallsPerUser: 8, ChunksPerCall: 6, Chaos: true})
			seedHistory(t, store, h)
			evs := readAll(t, store)
			require.Len(t, evs, historygen.Count(h))
			deliver(t, store, db, evs, rand.New(rand.NewPCG(seed, 7)))

			rb, err := NewRebuilder(store, db, RebuildConfig{ChunkSize: 37, PageSize: 101, StreamRows: 13})
			require.NoError(t, err)
			rep, err := rb.Verify(context.Background(), All())
			require.NoError(t, err)
			assert.True(t, rep.OK(), "live and rebuilt tables differ: %v %v", rep.Mismatches, rep.Samples)
			assert.Equal(t, len(evs), rep.Events)
		})
	}
}

// Verify must be able to fail: a live row changed behind the projector's back is reported.
func TestVerifyReportsADifference(t *testing.T) {
	t.Parallel()
	pool, store, db := newStoreDB(t)
	h := historygen.Generate(historygen.Config{Seed: 9, Users: 2, CallsPerUser: 3, ChunksPerCall: 4})
	seedHistory(t, store, h)
	require.Len(t, readAll(t, store), historygen.Count(h)) // every event is below the horizon
	rb, err := NewRebuilder(store, db, RebuildConfig{})
	require.NoError(t, err)
	rep, err := rb.Verify(context.Background(), All())
	require.NoError(t, err)
	require.True(t, rep.OK(), "%v", rep.Samples)
	require.Equal(t, historygen.Count(h), rep.Events)

	_, err = pool.Exec(context.Background(), `UPDATE user_stats SET longest_streak = longest_streak + 5`)
	require.NoError(t, err)
	_, err = pool.Exec(context.Background(), `DELETE FROM transcripts WHERE ctid IN (SELECT ctid FROM transcripts LIMIT 1)`)
	require.NoError(t, err)
	rep, err = rb.Verify(context.Background(), All())
	require.NoError(t, err)
	assert.False(t, rep.OK())
	assert.Equal(t, 4, rep.Mismatches["user_stats"], "2 users, each differing on both sides")
	assert.Equal(t, 1, rep.Mismatches["transcripts"])
	assert.NotEmpty(t, rep.Samples)
}
