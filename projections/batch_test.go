package projections

import (
	"context"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sparrow-coach/sparrow/eventstore"
	"github.com/sparrow-coach/sparrow/internal/historygen"
)

// deliverInBatches is deliver for the live engine's bulk path: the same
// reordered, duplicated delivery cut into batches of random size, each
// applied by applyBatch in one transaction per projector, and now and then
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
		for _, p := range All() {
			tx, err := store.Pool().Begin(ctx)
			require.NoError(t, err)
			if careful {
				for _, d := range batch {
					if consumes(p, d.StreamType) {
						require.NoError(t, applyInSavepoint(ctx, store, tx, p, d.Event))
					}
				}
			} else {
				require.NoError(t, applyBatch(ctx, store, tx, p, batch, true))
			}
			require.NoError(t, tx.Commit(ctx))
		}
	}
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
