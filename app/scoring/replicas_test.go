package scoring_test

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sparrow-coach/sparrow/app/scoring"
	"github.com/sparrow-coach/sparrow/domain"
)

// countingProvider is the built-in rubric, slowed down and counted.
type countingProvider struct{ n *atomic.Int64 }

func (countingProvider) Name() string { return "counted" }
func (p countingProvider) DeepScore(ctx context.Context, in domain.ScoreInput) (domain.DeepScore, error) {
	p.n.Add(1)
	time.Sleep(30 * time.Millisecond) // a slow provider widens any race between workers
	return scoring.Builtin{}.DeepScore(ctx, in)
}

// Issue 12, item 2: workers in two replicas (each with its own pool) claim
// jobs with FOR UPDATE SKIP LOCKED and a lease, so no job is scored twice.
func TestTwoReplicasWorkersNeverScoreTheSameJob(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	const calls = 8
	ids := make([]string, calls)
	for i := range ids {
		ids[i] = r.endedCall(t)
	}
	var scored atomic.Int64
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	for range 2 {
		pool, err := pgxpool.New(ctx, r.pool.Config().ConnString())
		require.NoError(t, err)
		t.Cleanup(pool.Close)
		w, err := scoring.NewWorker(r.app, pool, scoring.WorkerConfig{Concurrency: 4, PollInterval: 20 * time.Millisecond,
			Chain: scoring.DeepChain{Providers: []scoring.DeepProvider{countingProvider{&scored}}}})
		require.NoError(t, err)
		wg.Add(1)
		go func() { defer wg.Done(); _ = w.Run(ctx) }()
	}
	require.Eventually(t, func() bool {
		for _, id := range ids {
			if len(r.deepScores(t, id)) == 0 {
				return false
			}
		}
		return true
	}, 30*time.Second, 50*time.Millisecond, "every ended call is deep-scored")
	time.Sleep(300 * time.Millisecond) // give a second claim of any job time to happen
	cancel()
	wg.Wait()
	assert.Equal(t, int64(calls), scored.Load(), "each job scored by exactly one worker")
	for _, id := range ids {
		assert.Len(t, r.deepScores(t, id), 1, "call %s has one deep score", id)
	}
}
