package projections

import (
	"context"
	"math/rand/v2"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sparrow-coach/sparrow/domain"
	"github.com/sparrow-coach/sparrow/eventstore"
	"github.com/sparrow-coach/sparrow/internal/historygen"
)

// deliverInBatches is deliver for the live engine's bulk path: the same
// reordered, duplicated delivery cut into batches of random size, each
// applied by applyBatch in one transaction per projector (half of them with
// their statements deferred to the end, as a live round does), and now and then
// a batch through the one-by-one recovery path (applyInSavepoint) instead.
func deliverInBatches(t *testing.T, store *eventstore.Store, evs []eventstore.Event, rng *rand.Rand) {
	t.Helper()
	ctx := context.Background()
	order := append([]eventstore.Event(nil), evs...)
	for i := 0; i+1 < len(order); i++ {
		if rng.IntN(4) == 0 {
			order[i], order[i+1] = order[i+1], order[i]
		}
	}
	for i := 0; i < len(evs)/5; i++ {
		j := rng.IntN(len(order))
		k := min(len(order), j+1+rng.IntN(20))
		order = append(order[:k], append([]eventstore.Event{order[j]}, order[k:]...)...)
	}
	for len(order) > 0 {
		n := min(len(order), 1+rng.IntN(120))
		batch := make([]eventstore.Delivery, n)
		for i, e := range order[:n] {
			batch[i] = eventstore.Delivery{Event: e}
		}
		order = order[n:]
		careful := rng.IntN(5) == 0
		deferring := rng.IntN(2) == 0
		for _, p := range All() {
			tx, err := store.Pool().Begin(ctx)
			require.NoError(t, err)
			if careful {
				for _, d := range batch {
					if consumes(p, d.StreamType) {
						require.NoError(t, applyInSavepoint(ctx, store, tx, p, d.Event))
					}
				}
			} else if deferring {
				// As a live round: statements deferred to the commit's pipeline.
				d := &deferTx{Tx: tx, later: &pgx.Batch{}}
				require.NoError(t, applyBatch(ctx, store, d, p, batch, true, nil))
				require.NoError(t, sendBatch(ctx, tx, d.later, d.later.Len()))
			} else {
				require.NoError(t, applyBatch(ctx, store, tx, p, batch, true, nil))
			}
			require.NoError(t, tx.Commit(ctx))
		}
	}
	delivered(t, store, evs)
}

// Property: the bulk live path, with duplicates, reordering and batches of
// any size, equals a fresh rebuild from the log.
func TestBatchedLiveProjectionsEqualAFreshRebuild(t *testing.T) {
	t.Parallel()
	for _, seed := range []uint64{11, 12, 13} {
		t.Run("seed "+string(rune('0'+seed-10)), func(t *testing.T) {
			t.Parallel()
			_, store, db := newStoreDB(t)
			h := historygen.Generate(historygen.Config{Seed: seed, Users: 6, CallsPerUser: 8, ChunksPerCall: 6, Chaos: true})
			seedHistory(t, store, h)
			evs := readAll(t, store)
			require.Len(t, evs, historygen.Count(h))
			deliverInBatches(t, store, evs, rand.New(rand.NewPCG(seed, 7)))

			rb, err := NewRebuilder(store, db, RebuildConfig{ChunkSize: 37, PageSize: 101})
			require.NoError(t, err)
			rep, err := rb.Verify(context.Background(), All())
			require.NoError(t, err)
			assert.True(t, rep.OK(), "live and rebuilt tables differ: %v %v", rep.Mismatches, rep.Samples)
		})
	}
}

// deferTx is a transaction with a live round's Defer.
type deferTx struct {
	eventstore.Tx
	later *pgx.Batch
}

func (d *deferTx) Defer(sql string, args ...any) { d.later.Queue(sql, args...) }

// countingTx counts the reads a batch makes.
type countingTx struct {
	eventstore.Tx
	queries int
}

func (c *countingTx) Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error) {
	c.queries++
	return c.Tx.Query(ctx, sql, args...)
}

// The live runner's version cache: in an unbroken chain of rounds a batch
// whose streams the cache knows, or starts at version 1, reads nothing; a
// broken chain, a stream it does not know, or a round that did not commit
// make the next batch read; and the result is what a fresh rebuild gives.
func TestVersionCacheSavesTheVersionReadOnlyWhenItMay(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	_, store, db := newStoreDB(t)
	h := historygen.Generate(historygen.Config{Seed: 21, Users: 3, CallsPerUser: 4, ChunksPerCall: 5})
	seedHistory(t, store, h)
	evs := readAll(t, store)
	p := Calls{}
	cache := newVersionCache()
	// round applies evs[from:to] as one live round would, and reports whether it read.
	round := func(from, to int, unbroken, commit bool) bool {
		t.Helper()
		batch := make([]eventstore.Delivery, 0, to-from)
		for _, e := range evs[from:to] {
			batch = append(batch, eventstore.Delivery{Event: e})
		}
		tx, err := store.Pool().Begin(ctx)
		require.NoError(t, err)
		defer func() { _ = tx.Rollback(ctx) }()
		ct := &countingTx{Tx: tx}
		cache.begin(unbroken)
		require.NoError(t, applyBatch(ctx, store, ct, p, batch, true, cache))
		if commit {
			require.NoError(t, tx.Commit(ctx))
			cache.commit()
		}
		return ct.queries > 0
	}
	// The users' and personas' events come first; then calls.
	firstCall := 0
	for firstCall < len(evs) && evs[firstCall].StreamType != domain.StreamCall {
		firstCall++
	}
	n := len(evs)
	assert.True(t, round(0, firstCall+3, false, true), "the first round of a chain reads")
	assert.False(t, round(firstCall+3, firstCall+6, true, true), "unbroken, streams known or new: no read")
	assert.True(t, round(firstCall+6, firstCall+9, false, true), "a broken chain reads")
	assert.False(t, round(firstCall+9, firstCall+12, true, false), "unbroken again: no read (this round rolls back)")
	assert.False(t, round(firstCall+9, firstCall+12, true, true), "what the rolled-back round staged is forgotten, the rest still known")
	cache.forget()
	assert.True(t, round(firstCall+12, firstCall+15, true, true), "after forget (the careful path) the next round reads")
	for k := firstCall + 15; k < n; k += 7 {
		round(k, min(n, k+7), true, true)
	}
	delivered(t, store, evs)
	rb, err := NewRebuilder(store, db, RebuildConfig{})
	require.NoError(t, err)
	rep, err := rb.Verify(ctx, []Projector{p})
	require.NoError(t, err)
	assert.True(t, rep.OK(), "live and rebuilt tables differ: %v %v", rep.Mismatches, rep.Samples)
}
