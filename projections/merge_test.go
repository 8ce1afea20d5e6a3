package projections

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sparrow-coach/sparrow/domain"
	"github.com/sparrow-coach/sparrow/eventstore"
	"github.com/sparrow-coach/sparrow/internal/historygen"
)

func mergeEvent(stream string, v int, d domain.Event) eventstore.Event {
	return eventstore.Event{StreamID: stream, Version: v, Type: d.EventType(), Data: d,
		Metadata: eventstore.Metadata{EventID: uuid.NewString(), OccurredAt: time.Date(2026, 12, 2, 9, 0, v, 0, time.UTC)}}
}

func line(role domain.Role, content string, ms int64) *domain.TranscriptChunkAdded {
	return &domain.TranscriptChunkAdded{TranscriptEntry: domain.TranscriptEntry{Role: role, Content: content, TimestampMs: ms}}
}

func addAll(t *testing.T, m *merger, p RowProjector, evs ...eventstore.Event) {
	t.Helper()
	for _, e := range evs {
		cs, err := p.Changes(e)
		require.NoError(t, err)
		for _, c := range cs {
			require.NoError(t, m.add(c))
		}
	}
}

// The point of merging: a line for each of many calls is one insert and one
// update, not two statements per line; a second line of one call folds its
// counter update into the first (the sum, the last version), and a barrier
// (a user's deletion) goes alone, after everything before it, which
// nothing after it folds into.
func TestMergerStatesManyRowsInOneStatementPerShape(t *testing.T) {
	m := newMerger(Calls{})
	for i := 0; i < 50; i++ {
		addAll(t, m, Calls{}, mergeEvent(uuid.NewString(), 2, line(domain.RoleUser, "hi", 1)))
	}
	require.Len(t, m.layers, 1)
	require.Len(t, m.layers[0].groups, 2)
	for _, g := range m.layers[0].groups {
		assert.Len(t, g.vals[0], 50)
	}

	m = newMerger(Calls{})
	call := uuid.NewString()
	addAll(t, m, Calls{},
		mergeEvent(call, 2, line(domain.RoleUser, "a", 1)),
		mergeEvent(call, 3, line(domain.RoleAssistant, "b", 2)))
	require.Len(t, m.layers, 1, "the second counter update folds into the first")
	require.Len(t, m.layers[0].groups, 2)
	inserts, update := m.layers[0].groups[0], m.layers[0].groups[1]
	if strings.HasPrefix(inserts.shape, "UPDATE") {
		inserts, update = update, inserts
	}
	assert.Len(t, inserts.vals[0], 2, "both lines inserted")
	require.Len(t, update.vals[0], 1, "one update of the call")
	assert.Contains(t, update.shape, "transcript_version = t.transcript_version + u.v1, version = u.v2")
	assert.EqualValues(t, 2, update.vals[0][0], "the counter moves by both lines")
	assert.EqualValues(t, 3, update.vals[1][0], "the version is the last line's")

	addAll(t, m, Calls{}, mergeEvent(uuid.NewString(), 4, &domain.UserDeleted{}),
		mergeEvent(call, 4, line(domain.RoleUser, "c", 3)))
	require.Len(t, m.layers, 3)
	assert.Len(t, m.layers[1].raw, 3, "the user's calls' transcripts, scores, then the calls")
	assert.Len(t, m.layers[2].groups, 2, "after the barrier, the call's update is a statement of its own")
	assert.Len(t, update.vals[0], 1)
	assert.EqualValues(t, 2, update.vals[0][0], "nothing folded across the barrier")
}

// A row created after another change tested its existence must not be
// merged into a statement that runs before the test: applied one by one, the
// call created before its user's stats row exists is not counted.
func TestMergedBatchEqualsOneByOneWhenARowIsCreatedAfterItsTest(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	_, store, _ := newStoreDB(t)
	other, user, call := uuid.NewString(), uuid.NewString(), uuid.NewString()
	evs := []eventstore.Event{
		mergeEvent(other, 1, &domain.UserRegistered{ClerkID: "user_o", Email: "o@example.com"}),
		mergeEvent(call, 1, &domain.CallCreated{UserID: user, Mode: domain.ModeColdCall}),
		mergeEvent(user, 1, &domain.UserRegistered{ClerkID: "user_u", Email: "u@example.com"}),
	}
	evs[0].StreamType, evs[1].StreamType, evs[2].StreamType = domain.StreamUser, domain.StreamCall, domain.StreamUser
	count := func(tx eventstore.Tx) (n int) {
		require.NoError(t, tx.QueryRow(ctx, `SELECT count(*) FROM stats_calls WHERE call_id = $1`, call).Scan(&n))
		return n
	}

	tx, err := store.Pool().Begin(ctx)
	require.NoError(t, err)
	for _, e := range evs {
		require.NoError(t, applyInSavepoint(ctx, store, tx, UserStats{}, e))
	}
	oneByOne := count(tx)
	require.NoError(t, tx.Rollback(ctx))

	tx, err = store.Pool().Begin(ctx)
	require.NoError(t, err)
	defer func() { _ = tx.Rollback(ctx) }()
	batch := make([]eventstore.Delivery, len(evs))
	for i, e := range evs {
		batch[i] = eventstore.Delivery{Event: e}
	}
	require.NoError(t, applyBatch(ctx, store, tx, UserStats{}, batch, true, nil))
	assert.Zero(t, oneByOne)
	assert.Equal(t, oneByOne, count(tx))
}

// Merged statements carry every column type the projectors use: a whole
// random history applied in one batch per projector.
func TestMergedStatementsApplyAWholeHistory(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	_, store, db := newStoreDB(t)
	h := historygen.Generate(historygen.Config{Seed: 11, Users: 4, CallsPerUser: 6, ChunksPerCall: 5, Chaos: true})
	seedHistory(t, store, h)
	evs := readAll(t, store)
	batch := make([]eventstore.Delivery, len(evs))
	for i, e := range evs {
		batch[i] = eventstore.Delivery{Event: e}
	}
	for _, p := range All() {
		tx, err := store.Pool().Begin(ctx)
		require.NoError(t, err)
		require.NoError(t, applyBatch(ctx, store, tx, p, batch, true, nil), p.Name())
		require.NoError(t, tx.Commit(ctx))
	}
	delivered(t, store, evs)
	rb, err := NewRebuilder(store, db, RebuildConfig{})
	require.NoError(t, err)
	rep, err := rb.Verify(ctx, All())
	require.NoError(t, err)
	assert.True(t, rep.OK(), "live and rebuilt tables differ: %v %v", rep.Mismatches, rep.Samples)
}

// The cached shape of a change (mergedShape, changeValues) is exactly what
// changeSQL builds for it, for every change every row projector makes of a
// random history: a column, set or condition the signature left out would
// give two structures one statement.
func TestCachedShapesEqualTheirStatements(t *testing.T) {
	h := historygen.Generate(historygen.Config{Seed: 5, Users: 4, CallsPerUser: 6, ChunksPerCall: 4, Chaos: true})
	stream := map[string]string{}
	for _, et := range domain.EventTypes() {
		stream[et.Name] = et.Stream
	}
	seen := map[string]bool{}
	check := func(m *merger, c Change, what string) {
		t.Helper()
		want := &placer{merged: true}
		wantSQL := changeSQL(m.schema[c.Table], c, want)
		shape, slots := mergedShape(m.schema[c.Table], c)
		require.Equal(t, wantSQL, shape, what)
		require.Equal(t, want.slots, slots, what)
		require.Equal(t, want.vals, changeValues(c, nil), what)
		seen[shape] = true
	}
	// Updates that differ only in an operation or a condition.
	calls := newMerger(Calls{})
	for _, op := range []SetOp{Assign, Add, AtLeast} {
		for _, when := range []*Cond{nil, {Kind: IsNull, Col: "ended_at"}, {Kind: IsTrue, Col: "hints"}, {Kind: IsFalse, Col: "hints"},
			{Kind: NullOrBelow, Col: "duration_seconds", Value: 5}, {Kind: NullOrBelow, Col: "transcript_version", Value: 5}} {
			check(calls, update("calls", col("id", uuid.NewString()), Set{Col: "duration_seconds", Op: op, Value: 7, When: when}), "synthetic")
		}
	}
	for _, a := range h {
		for i, d := range a.Events {
			e := mergeEvent(a.StreamID, a.Expected+i+1, d)
			for _, p := range All() {
				rp, ok := p.(RowProjector)
				if !ok || !consumes(p, stream[e.Type]) {
					continue
				}
				cs, err := rp.Changes(e)
				require.NoError(t, err)
				m := newMerger(rp)
				for _, c := range cs {
					if c.Kind != Insert && c.Kind != Update && (c.Kind != Upsert || len(c.Sets) > 0) {
						continue
					}
					check(m, c, p.Name()+" "+e.Type)
				}
			}
		}
	}
	assert.GreaterOrEqual(t, len(seen), 28, "the history exercises the projectors' shapes")
}
