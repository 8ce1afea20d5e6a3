package eventstore

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sparrow-coach/sparrow/domain"
	"github.com/sparrow-coach/sparrow/internal/pgtest"
)

// These tests build groups on purpose: with one group slot, an append held
// in the database by an open transaction keeps the slot, the appends started
// meanwhile queue, and ending that transaction sends them as one group. The
// storetest suite checks the same contract with appends merely sent at once.

type groupRig struct {
	s        *Store
	pool     *pgxpool.Pool
	mu       sync.Mutex
	appended map[string]int // OnAppend calls by stream
}

// newGroupRig returns a store with one group slot, unless cfg says otherwise.
func newGroupRig(t *testing.T, cfg ...GroupCommitConfig) *groupRig {
	t.Helper()
	r := &groupRig{pool: pgtest.NewPool(t), appended: map[string]int{}}
	gc := GroupCommitConfig{InFlight: 1}
	if len(cfg) > 0 {
		gc = cfg[0]
	}
	s, err := NewStore(r.pool, StoreConfig{GroupCommit: gc, OnAppend: func(stream string, _ AppendResult) {
		r.mu.Lock()
		r.appended[stream]++
		r.mu.Unlock()
	}})
	require.NoError(t, err)
	r.s = s
	return r
}

func (r *groupRig) onAppendCalls(stream string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.appended[stream]
}

type appendDone struct {
	res AppendResult
	err error
}

// start runs an Append in a goroutine.
func (r *groupRig) start(ctx context.Context, stream string, expected int, evs ...NewEvent) <-chan appendDone {
	ch := make(chan appendDone, 1)
	go func() {
		res, err := r.s.Append(ctx, stream, expected, evs...)
		ch <- appendDone{res, err}
	}()
	return ch
}

// queue starts an Append and waits until it is queued behind the ones before.
func (r *groupRig) queue(t *testing.T, ctx context.Context, stream string, expected int, evs ...NewEvent) <-chan appendDone {
	t.Helper()
	before := r.queued()
	ch := r.start(ctx, stream, expected, evs...)
	r.waitFor(t, func() bool { return r.queued() == before+1 })
	return ch
}

func (r *groupRig) queued() int {
	w := r.s.writer
	w.mu.Lock()
	defer w.mu.Unlock()
	n := 0
	for _, p := range w.queue {
		if p.state == appendQueued {
			n++
		}
	}
	return n
}

func (r *groupRig) waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		require.True(t, time.Now().Before(deadline), "gave up waiting")
		time.Sleep(2 * time.Millisecond)
	}
}

// block opens a transaction holding an uncommitted version 1 of stream:
// an append of that version waits on the unique key until end is called
// (commit true: it then collides; false: it goes through).
func (r *groupRig) block(t *testing.T, stream string) (end func(commit bool)) {
	t.Helper()
	ctx := context.Background()
	tx, err := r.pool.BeginTx(ctx, pgx.TxOptions{})
	require.NoError(t, err)
	_, err = tx.Exec(ctx, `INSERT INTO events (event_id, stream_id, stream_type, stream_version, event_type, schema_version, payload, metadata)
		VALUES ($1, $2, 'call', 1, 'CallFailed', 1, '{"reason":"blocker"}', '{"actor":"system"}')`, uuid.NewString(), stream)
	require.NoError(t, err)
	ended := false
	t.Cleanup(func() {
		if !ended {
			_ = tx.Rollback(ctx)
		}
	})
	return func(commit bool) {
		ended = true
		if commit {
			require.NoError(t, tx.Commit(ctx))
		} else {
			require.NoError(t, tx.Rollback(ctx))
		}
	}
}

// waitingOnALock reports whether a statement in the test's database waits
// on a lock (an append blocked by block).
func (r *groupRig) waitingOnALock(t *testing.T) bool {
	var n int
	require.NoError(t, r.pool.QueryRow(context.Background(),
		`SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`).Scan(&n))
	return n > 0
}

// hold takes the one group slot with an append that waits in the database;
// release lets it (and then the queue) go.
func (r *groupRig) hold(t *testing.T) (release func()) {
	t.Helper()
	stream := uuid.NewString()
	end := r.block(t, stream)
	held := r.start(context.Background(), stream, 0, newEvents(created())...)
	r.waitFor(t, func() bool {
		w := r.s.writer
		w.mu.Lock()
		defer w.mu.Unlock()
		return w.inFlight == 1 && len(w.queue) == 0 && r.waitingOnALock(t)
	})
	return func() {
		end(false)
		assert.NoError(t, (<-held).err, "the held append goes through")
	}
}

func newEvents(data ...domain.Event) []NewEvent {
	out := make([]NewEvent, len(data))
	for i, d := range data {
		out[i] = NewEvent{ID: uuid.NewString(), Data: d, Meta: Metadata{Actor: "user-1"}}
	}
	return out
}

func created() domain.Event {
	return &domain.CallCreated{UserID: uuid.NewString(), PersonaID: uuid.NewString(), Mode: domain.ModeDiscovery}
}

func line(content string) domain.Event {
	return &domain.TranscriptChunkAdded{TranscriptEntry: domain.TranscriptEntry{Role: domain.RoleUser, Content: content}}
}

func TestQueuedAppendsGoInOneGroupButNeverTwoOfOneStream(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	r := newGroupRig(t)
	release := r.hold(t)
	var streams []string
	var waits []<-chan appendDone
	for i := 0; i < 5; i++ {
		streams = append(streams, uuid.NewString())
		waits = append(waits, r.queue(t, ctx, streams[i], 0, newEvents(created(), line("a"), line("b"))...))
	}
	x := uuid.NewString()
	first := r.queue(t, ctx, x, 0, newEvents(created())...)
	// The same stream spelled otherwise is the same stream: it waits for the next group.
	second := r.queue(t, ctx, strings.ToUpper(x), 1, newEvents(line("next"))...)
	release()

	for i, ch := range waits {
		d := <-ch
		require.NoError(t, d.err)
		assert.Equal(t, 3, d.res.Version)
		got, err := r.s.Load(ctx, streams[i])
		require.NoError(t, err)
		require.Len(t, got, 3)
		assert.Equal(t, got[2].Position, d.res.Position)
		assert.True(t, got[0].Position.Less(got[1].Position) && got[1].Position.Less(got[2].Position), "an append's events take offsets in version order")
		assert.Equal(t, 1, r.onAppendCalls(streams[i]))
	}
	d1, d2 := <-first, <-second
	require.NoError(t, d1.err)
	require.NoError(t, d2.err, "sent in one group, the second would have failed its guard")
	assert.Equal(t, 2, d2.res.Version)
	assert.Equal(t, int64(1), r.s.writer.groups.Load(), "the queue went as one group, the second append of x alone")
	assert.Equal(t, int64(6), r.s.writer.grouped.Load())
	assert.Zero(t, r.s.writer.fellBack.Load())
}

func TestAGroupWhoseStatementFailsRunsEachAppendAlone(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	r := newGroupRig(t)
	taken := newEvents(created())
	_, err := r.s.Append(ctx, uuid.NewString(), 0, taken...)
	require.NoError(t, err)
	recorded := uuid.NewString()
	_, err = r.s.Append(ctx, recorded, 0, newEvents(created())...)
	require.NoError(t, err)

	release := r.hold(t)
	var innocent []<-chan appendDone
	for i := 0; i < 4; i++ {
		innocent = append(innocent, r.queue(t, ctx, uuid.NewString(), 0, newEvents(created())...))
	}
	reusedStream := uuid.NewString()
	reused := r.queue(t, ctx, reusedStream, 0, NewEvent{ID: taken[0].ID, Data: created(), Meta: Metadata{Actor: "user-1"}})
	nul := r.queue(t, ctx, uuid.NewString(), 0, newEvents(created(), line("a \x00 b"))...)
	stale := r.queue(t, ctx, recorded, 0, newEvents(created())...)
	release()

	for _, ch := range innocent {
		d := <-ch
		assert.NoError(t, d.err)
		assert.Equal(t, 1, d.res.Version)
	}
	assert.ErrorIs(t, (<-reused).err, ErrEventIDReused)
	nulErr := (<-nul).err
	assert.Error(t, nulErr)
	assert.NotErrorIs(t, nulErr, ErrConflict)
	assert.ErrorIs(t, (<-stale).err, ErrConcurrencyConflict)
	got, err := r.s.Load(ctx, reusedStream)
	require.NoError(t, err)
	assert.Empty(t, got)
	assert.Equal(t, int64(1), r.s.writer.groups.Load())
	assert.Equal(t, int64(1), r.s.writer.fellBack.Load(), "the group's statement failed once, then each append ran alone")
}

func TestAGuardThatFailsInAGroupIsResolvedForThatAppendOnly(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	r := newGroupRig(t)
	id := uuid.NewString()
	batch := newEvents(created(), line("x"))
	first, err := r.s.Append(ctx, id, 0, batch...)
	require.NoError(t, err)

	release := r.hold(t)
	retry := r.queue(t, ctx, id, 0, batch...)
	other := r.queue(t, ctx, uuid.NewString(), 0, newEvents(created())...)
	stale := r.queue(t, ctx, uuid.NewString(), 3, newEvents(created())...) // a version the stream never had
	release()

	d := <-retry
	require.NoError(t, d.err)
	assert.Equal(t, first, d.res, "a retry in a group returns the original result")
	assert.NoError(t, (<-other).err)
	assert.ErrorIs(t, (<-stale).err, ErrConcurrencyConflict)
	assert.Equal(t, int64(1), r.s.writer.groups.Load())
	assert.Zero(t, r.s.writer.fellBack.Load(), "a failed guard does not fail the statement")
	assert.Equal(t, 1, r.onAppendCalls(id), "the retry recorded nothing, so nothing is announced")
}

func TestAnAppendCancelledWhileQueuedIsNeverSent(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	r := newGroupRig(t)
	release := r.hold(t)
	gone := uuid.NewString()
	cctx, cancel := context.WithCancel(ctx)
	cancelled := r.queue(t, cctx, gone, 0, newEvents(created())...)
	kept := r.queue(t, ctx, uuid.NewString(), 0, newEvents(created())...)
	cancel()
	assert.ErrorIs(t, (<-cancelled).err, context.Canceled, "it returns while its group is still waiting")
	release()
	assert.NoError(t, (<-kept).err)
	got, err := r.s.Load(ctx, gone)
	require.NoError(t, err)
	assert.Empty(t, got)
	assert.Zero(t, r.s.writer.groups.Load(), "the cancelled append left the queue: the other went alone")
}

func TestAnAppendCancelledAfterItsGroupWasSentIsWhatTheDatabaseDid(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name      string
		collide   bool // the blocked stream's version 1 is committed by another writer
		recording bool // so the cancelled append is recorded
	}{
		{"the group commits", false, true},
		{"the group's statement fails", true, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			r := newGroupRig(t)
			release := r.hold(t)
			blocked := uuid.NewString()
			end := r.block(t, blocked)
			stuck := r.queue(t, ctx, blocked, 0, newEvents(created())...)
			leaver := uuid.NewString()
			leaverEvents := newEvents(created())
			cctx, cancel := context.WithCancel(ctx)
			left := r.queue(t, cctx, leaver, 0, leaverEvents...)
			stayer := r.queue(t, ctx, uuid.NewString(), 0, newEvents(created())...)
			release()
			r.waitFor(t, func() bool { return r.s.writer.groups.Load() == 1 && r.waitingOnALock(t) }) // sent, waiting on blocked
			cancel()
			err := (<-left).err
			assert.ErrorIs(t, err, context.Canceled, "it returns while its group is still in the database")
			assert.Contains(t, err.Error(), "may be recorded")
			end(c.collide)

			assert.NoError(t, (<-stayer).err)
			if c.collide {
				assert.ErrorIs(t, (<-stuck).err, ErrConcurrencyConflict)
			} else {
				assert.NoError(t, (<-stuck).err)
			}
			got, err := r.s.Load(ctx, leaver)
			require.NoError(t, err)
			if c.recording {
				assert.Len(t, got, 1, "the group committed with it")
				assert.Equal(t, 1, r.onAppendCalls(leaver), "a recorded append is announced even if its caller left")
			} else {
				assert.Empty(t, got, "nobody ran it alone after the group failed")
			}
			res, err := r.s.Append(ctx, leaver, 0, leaverEvents...)
			require.NoError(t, err, "a retry with the same ids settles it")
			assert.Equal(t, 1, res.Version)
		})
	}
}

func TestASlowGroupOrAFullQueueOpensAnotherSlot(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name string
		cfg  GroupCommitConfig
		n    int
	}{
		{"the group in flight is slow", GroupCommitConfig{InFlight: 2, SlowGroup: time.Millisecond}, 1},
		{"a full group waits", GroupCommitConfig{InFlight: 2, SlowGroup: time.Hour, MaxAppends: 3}, 3},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			r := newGroupRig(t, c.cfg)
			release := r.hold(t)
			defer release()
			var waits []<-chan appendDone
			for i := 0; i < c.n; i++ {
				waits = append(waits, r.start(ctx, uuid.NewString(), 0, newEvents(created())...))
			}
			for _, ch := range waits {
				select {
				case d := <-ch:
					assert.NoError(t, d.err, "recorded while the first group is still blocked")
				case <-time.After(10 * time.Second):
					t.Fatal("the appends waited for the blocked group")
				}
			}
		})
	}
}
