package projections_test

import (
	"context"
	"log/slog"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sparrow-coach/sparrow/domain"
	"github.com/sparrow-coach/sparrow/eventstore"
	"github.com/sparrow-coach/sparrow/internal/pgtest"
	"github.com/sparrow-coach/sparrow/projections"
)

// replica is one process's share of the core: its own pool, store, waker
// and runner, on a database other replicas share.
type replica struct {
	store  *eventstore.Store
	runner *projections.Runner

	mu      sync.Mutex
	reached []stamp // the calls projector's positions as this replica learned them
}

type stamp struct {
	pos eventstore.Position
	at  time.Time
}

// learnedAt is when this replica first knew the calls projector reached pos.
func (r *replica) learnedAt(pos eventstore.Position) (time.Time, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, s := range r.reached {
		if !s.pos.Less(pos) {
			return s.at, true
		}
	}
	return time.Time{}, false
}

// startReplica wires a replica on url and runs its projections (and, when
// notify is set, its waker's cross-process bridge) until the test ends.
func startReplica(t *testing.T, url string, notify bool) *replica {
	t.Helper()
	cfg, err := pgxpool.ParseConfig(url)
	require.NoError(t, err)
	cfg.MaxConns = 20 // a consumer per projector, the listener, appends and polls
	pool, err := pgxpool.NewWithConfig(context.Background(), cfg)
	require.NoError(t, err)
	t.Cleanup(pool.Close)
	w := eventstore.NewWaker()
	store, err := eventstore.NewStore(pool, eventstore.StoreConfig{OnAppend: w.Appended})
	require.NoError(t, err)
	db := stdlib.OpenDBFromPool(pool)
	t.Cleanup(func() { db.Close() })
	rep := &replica{store: store}
	rep.runner, err = projections.NewRunner(store, db, projections.RunnerConfig{Waker: w, PollInterval: 200 * time.Millisecond,
		OnCommitted: func(name string, pos eventstore.Position) {
			if name == (projections.Calls{}).Name() {
				rep.mu.Lock()
				rep.reached = append(rep.reached, stamp{pos, time.Now()})
				rep.mu.Unlock()
			}
		}})
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{}, 2)
	go func() { _ = rep.runner.Run(ctx); done <- struct{}{} }()
	if notify {
		go func() { _ = w.Run(ctx, pool, slog.New(slog.DiscardHandler)); done <- struct{}{} }()
	} else {
		done <- struct{}{}
	}
	t.Cleanup(func() { cancel(); <-done; <-done })
	return rep
}

// writeAndWait appends a new call through writers in turn and waits, on the
// replica that appended, until the call tables show it. It returns how long
// after the first replica knew the calls projector had applied the event
// the appending replica knew it: how late a replica learns of work done
// elsewhere. (The waits themselves also include the time the event takes
// to become readable, which on a shared PostgreSQL server any long
// transaction in any database can hold back.)
func writeAndWait(t *testing.T, writers, all []*replica, n int) []time.Duration {
	t.Helper()
	late := make([]time.Duration, 0, n)
	for i := range n {
		r := writers[i%len(writers)]
		res, err := r.store.Append(context.Background(), uuid.NewString(), 0, eventstore.NewEvent{ID: uuid.NewString(),
			Data: &domain.CallCreated{UserID: uuid.NewString(), PersonaID: uuid.NewString(), Mode: domain.ModeColdCall},
			Meta: eventstore.Metadata{Actor: eventstore.ActorSystem, OccurredAt: time.Now()}})
		require.NoError(t, err)
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		err = r.runner.WaitForStream(ctx, res.StreamType, res.Position)
		cancel()
		require.NoError(t, err, "write %d: the wait must not depend on which replica applied it", i)
		mine, ok := r.learnedAt(res.Position)
		require.True(t, ok)
		first := mine
		for _, o := range all {
			if at, ok := o.learnedAt(res.Position); ok && at.Before(first) {
				first = at
			}
		}
		late = append(late, mine.Sub(first))
	}
	slices.Sort(late)
	return late
}

// Issue 12, item 1: two processes on one database share each consumer
// group; whichever applies an event, the one that appended it learns the
// commit (announced with NOTIFY) and its read-your-writes wait ends.
func TestReadYourWritesAcrossReplicas(t *testing.T) {
	t.Parallel()
	url := pgtest.NewURL(t)
	rs := []*replica{startReplica(t, url, true), startReplica(t, url, true)}
	late := writeAndWait(t, rs, rs, 30)
	p99 := late[len(late)*99/100]
	t.Logf("a replica learns another's commit: p50 %s, p99 %s, max %s after it", late[len(late)/2], p99, late[len(late)-1])
	assert.Less(t, late[len(late)/2], 20*time.Millisecond, "announced commits arrive in milliseconds")
	assert.Less(t, p99, time.Second, "and never wait for a timeout")
}

// Without announcements (a replica that cannot NOTIFY, or whose NOTIFY was
// lost) the waiting replica still learns the commits, from the offsets poll.
func TestReadYourWritesAcrossReplicasWithoutAnnouncements(t *testing.T) {
	t.Parallel()
	url := pgtest.NewURL(t)
	rs := []*replica{startReplica(t, url, true), startReplica(t, url, false)}
	// Only the first replica listens and polls: write through it alone.
	late := writeAndWait(t, rs[:1], rs, 16)
	t.Logf("a replica learns a silent replica's commit: p50 %s, max %s after it", late[len(late)/2], late[len(late)-1])
	assert.Less(t, late[len(late)-1], time.Second, "the offsets poll bounds the wait")
	for _, h := range rs[0].runner.Health() {
		assert.False(t, h.Committed.IsZero(), "%s: health shows the committed position whichever replica applied", h.Name)
	}
}
