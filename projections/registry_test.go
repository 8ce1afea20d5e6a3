package projections

import (
	"context"
	"errors"
	"strings"
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

func TestRegistry(t *testing.T) {
	t.Parallel()
	assert.Equal(t, []string{"users", "personas", "calls", "user_stats", "scoring_jobs"}, Names())
	assert.Equal(t, append(names(ReadModels()), names(WorkQueues())...), Names(), "All is the read models then the work queues")
	seen := map[string]bool{}
	tables := map[string]string{}
	for _, p := range All() {
		assert.False(t, seen[p.Name()], "%s registered twice", p.Name())
		seen[p.Name()] = true
		for _, tb := range p.Tables() {
			assert.Empty(t, tables[tb], "table %s has one owner", tb)
			tables[tb] = p.Name()
		}
	}
	ps, err := ByName("scoring_jobs", "users")
	require.NoError(t, err)
	assert.Equal(t, []string{"scoring_jobs", "users"}, names(ps))
	_, err = ByName("nope")
	var unknown *UnknownProjectorError
	require.True(t, errors.As(err, &unknown))
	assert.Equal(t, `unknown projector "nope" (known: users, personas, calls, user_stats, scoring_jobs)`, err.Error())

	var cfg RunnerConfig
	cfg.setDefaults()
	assert.Equal(t, names(ReadModels()), names(cfg.Projectors), "a runner runs the read models unless told otherwise")
}

// The lag computation: each projector's position against the log's head,
// exact or capped, and zero once caught up.
func TestLag(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	_, store, db := newStoreDB(t)
	h := historygen.Generate(historygen.Config{Seed: 9, Users: 2, CallsPerUser: 2, ChunksPerCall: 3})
	seedHistory(t, store, h)
	all := readAll(t, store)
	require.Len(t, all, historygen.Count(h))
	head := all[len(all)-1].Position

	sts, err := Statuses(ctx, store, All())
	require.NoError(t, err)
	require.Equal(t, Names(), namesOf(sts), "status lists every registered projector, scoring_jobs included")
	for _, s := range sts {
		assert.True(t, s.Position.IsZero(), s.Name)
		assert.Equal(t, head, s.Head, s.Name)
		assert.Equal(t, len(all), s.LagEvents, "%s: every event is behind", s.Name)
		assert.Greater(t, s.Lag, time.Duration(0), s.Name)
	}

	mid := all[len(all)/2].Position
	capped, err := Lag(ctx, store, []Health{{Name: "x", Committed: mid, LastError: "boom"}, {Name: "y", Committed: head}}, 3)
	require.NoError(t, err)
	require.Len(t, capped, 2)
	assert.Equal(t, Status{Name: "x", Position: mid, Head: head, LagEvents: 3, Lag: capped[0].Lag, LastError: "boom"}, capped[0], "count capped")
	assert.Greater(t, capped[0].Lag, time.Duration(0))
	assert.Equal(t, Status{Name: "y", Position: head, Head: head}, capped[1], "caught up: no lag")

	require.NoError(t, CatchUp(ctx, store, db, All(), head, time.Minute))
	sts, err = Statuses(ctx, store, All())
	require.NoError(t, err)
	for _, s := range sts {
		assert.Equal(t, Status{Name: s.Name, Position: s.Position, Head: head}, s, "%s caught up", s.Name)
		assert.False(t, s.Position.Less(head), s.Name)
	}
}

func namesOf(sts []Status) []string {
	out := make([]string, len(sts))
	for i, s := range sts {
		out[i] = s.Name
	}
	return out
}

// A rebuild of scoring_jobs rebuilds what the log decides (due versions)
// and keeps what the worker maintains (lease, attempts, last error); verify
// does not count the worker's columns as differences, and says so.
func TestRebuildScoringJobsKeepsWorkerColumns(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool, store, db := newStoreDB(t)
	call := uuid.NewString()
	meta := eventstore.Metadata{Actor: eventstore.ActorSystem}
	ev := func(d domain.Event) eventstore.NewEvent {
		return eventstore.NewEvent{ID: uuid.NewString(), Data: d, Meta: meta}
	}
	res, err := store.Append(ctx, call, 0,
		ev(&domain.CallCreated{UserID: uuid.NewString(), PersonaID: uuid.NewString(), Mode: domain.ModeDiscovery}),
		ev(&domain.CallStarted{}),
		ev(&domain.TranscriptChunkAdded{TranscriptEntry: domain.TranscriptEntry{Role: domain.RoleUser, Content: "hi", TimestampMs: 1}}),
		ev(&domain.CallEnded{}))
	require.NoError(t, err)
	readAll(t, store)
	require.NoError(t, CatchUp(ctx, store, db, WorkQueues(), res.Position, time.Minute))

	// The worker has tried twice and holds a lease.
	_, err = pool.Exec(ctx, `UPDATE scoring_jobs SET attempts = 2, last_error = 'provider down', not_before = '2100-01-01' WHERE call_id = $1`, call)
	require.NoError(t, err)

	var progress stringsBuilder
	rb, err := NewRebuilder(store, db, RebuildConfig{Progress: &progress})
	require.NoError(t, err)
	vrep, err := rb.Verify(ctx, WorkQueues())
	require.NoError(t, err)
	assert.True(t, vrep.OK(), "%v", vrep.Samples)
	assert.Equal(t, []string{"scoring_jobs.attempts", "scoring_jobs.not_before", "scoring_jobs.last_error"}, vrep.NotCompared)
	assert.Contains(t, progress.String(), "verify: not comparing scoring_jobs.attempts")

	_, err = pool.Exec(ctx, `UPDATE scoring_jobs SET wanted_version = 99 WHERE call_id = $1`, call) // a projected column gone wrong
	require.NoError(t, err)
	vrep, err = rb.Verify(ctx, WorkQueues())
	require.NoError(t, err)
	assert.Equal(t, map[string]int{"scoring_jobs": 2}, vrep.Mismatches, "the row, on each side")

	_, err = rb.Rebuild(ctx, WorkQueues())
	require.NoError(t, err)
	assert.Contains(t, progress.String(), "rebuild: kept the live values of scoring_jobs.attempts")
	var wanted, attempts int
	var lastErr string
	var leased bool
	require.NoError(t, pool.QueryRow(ctx, `SELECT wanted_version, attempts, last_error, not_before > now() FROM scoring_jobs WHERE call_id = $1`, call).
		Scan(&wanted, &attempts, &lastErr, &leased))
	assert.Equal(t, 1, wanted, "rebuilt from the log")
	assert.Equal(t, 2, attempts, "kept from the live table")
	assert.Equal(t, "provider down", lastErr)
	assert.True(t, leased)
}

// stringsBuilder is a strings.Builder safe for the rebuilder's progress lines.
type stringsBuilder struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *stringsBuilder) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *stringsBuilder) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
