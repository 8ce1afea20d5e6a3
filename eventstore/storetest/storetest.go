// Package storetest is the acceptance suite of the event-store contract
// documented in package eventstore. Every implementation must pass Run.
package storetest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sparrow-coach/sparrow/domain"
	"github.com/sparrow-coach/sparrow/eventstore"
)

// Factory returns a store on an empty log, plus a function that executes raw
// SQL against the same database (to plant corrupt rows and hold transactions).
type Factory func(t *testing.T) (*eventstore.Store, RawDB)

// RawDB lets the suite reach under the store.
type RawDB interface {
	Exec(ctx context.Context, sql string, args ...any) error
	// Begin opens a transaction; the returned functions run SQL in it and end it.
	Begin(ctx context.Context) (exec func(sql string, args ...any) error, commit func() error, err error)
}

func chunk(content string, ts int64) domain.Event {
	return &domain.TranscriptChunkAdded{TranscriptEntry: domain.TranscriptEntry{Role: domain.RoleUser, Content: content, TimestampMs: ts}}
}

func events(data ...domain.Event) []eventstore.NewEvent {
	out := make([]eventstore.NewEvent, len(data))
	for i, d := range data {
		out[i] = eventstore.NewEvent{ID: uuid.NewString(), Data: d, Meta: eventstore.Metadata{Actor: "user-1", CorrelationID: "corr-1", RequestID: "req-1"}}
	}
	return out
}

func created() domain.Event {
	return &domain.CallCreated{UserID: uuid.NewString(), PersonaID: uuid.NewString(), Mode: domain.ModeDiscovery}
}

// eventually polls read until it returns at least want events (or 10 s pass).
func eventually(t *testing.T, read func() ([]eventstore.Event, error), want int) []eventstore.Event {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		got, err := read()
		require.NoError(t, err)
		if len(got) >= want || time.Now().After(deadline) {
			return got
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// Run runs the whole suite.
func Run(t *testing.T, newStore Factory) {
	ctx := context.Background()
	runConsume(t, newStore)

	t.Run("append then load returns events in order with metadata", func(t *testing.T) {
		t.Parallel()
		s, _ := newStore(t)
		id := uuid.NewString()
		evs := events(created(), chunk("hello", 0), chunk("world", 900))
		res, err := s.Append(ctx, id, 0, evs...)
		require.NoError(t, err)
		assert.Equal(t, 3, res.Version)
		assert.False(t, res.Position.IsZero())

		got, err := s.Load(ctx, id)
		require.NoError(t, err)
		require.Len(t, got, 3)
		for i, e := range got {
			assert.Equal(t, i+1, e.Version)
			assert.Equal(t, id, e.StreamID)
			assert.Equal(t, "call", e.StreamType)
			assert.Equal(t, evs[i].ID, e.Metadata.EventID)
			assert.Equal(t, "user-1", e.Metadata.Actor)
			assert.Equal(t, "corr-1", e.Metadata.CorrelationID)
			assert.Equal(t, "req-1", e.Metadata.RequestID)
			assert.Equal(t, 1, e.Metadata.SchemaVersion)
			assert.False(t, e.Metadata.OccurredAt.IsZero())
			assert.Equal(t, evs[i].Data.EventType(), e.Type)
		}
		assert.Equal(t, res.Position, got[2].Position)
		assert.Equal(t, "world", got[2].Data.(*domain.TranscriptChunkAdded).Content)
		assert.True(t, got[0].Position.Less(got[1].Position) && got[1].Position.Less(got[2].Position))
	})

	t.Run("a stream with no events loads empty", func(t *testing.T) {
		t.Parallel()
		s, _ := newStore(t)
		got, err := s.Load(ctx, uuid.NewString())
		require.NoError(t, err)
		assert.Empty(t, got)
	})

	t.Run("stale or future expected version is a concurrency conflict", func(t *testing.T) {
		t.Parallel()
		s, _ := newStore(t)
		id := uuid.NewString()
		_, err := s.Append(ctx, id, 0, events(created(), chunk("a", 1))...)
		require.NoError(t, err)
		for _, expected := range []int{0, 1, 3, 10} {
			_, err = s.Append(ctx, id, expected, events(chunk("late", 2))...)
			assert.ErrorIs(t, err, eventstore.ErrConcurrencyConflict, "expected version %d", expected)
		}
		got, err := s.Load(ctx, id)
		require.NoError(t, err)
		assert.Len(t, got, 2, "nothing was written by the rejected appends")
	})

	t.Run("retrying an append with the same event ids is idempotent", func(t *testing.T) {
		t.Parallel()
		s, _ := newStore(t)
		id := uuid.NewString()
		_, err := s.Append(ctx, id, 0, events(created())...)
		require.NoError(t, err)
		batch := events(chunk("one", 1), chunk("two", 2))
		first, err := s.Append(ctx, id, 1, batch...)
		require.NoError(t, err)
		for i := 0; i < 3; i++ {
			again, err := s.Append(ctx, id, 1, batch...)
			require.NoError(t, err)
			assert.Equal(t, first, again)
		}
		got, err := s.Load(ctx, id)
		require.NoError(t, err)
		assert.Len(t, got, 3)

		// The same id in another stream is not a retry.
		_, err = s.Append(ctx, uuid.NewString(), 0, eventstore.NewEvent{ID: batch[0].ID, Data: created(), Meta: batch[0].Meta})
		assert.ErrorIs(t, err, eventstore.ErrEventIDReused)
	})

	t.Run("concurrent appenders to one stream never lose or duplicate an event", func(t *testing.T) {
		t.Parallel()
		s, _ := newStore(t)
		id := uuid.NewString()
		_, err := s.Append(ctx, id, 0, events(created())...)
		require.NoError(t, err)
		const writers, each = 8, 10
		var wg sync.WaitGroup
		var mu sync.Mutex
		conflicts := 0
		for w := 0; w < writers; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := 0; i < each; i++ {
					for {
						cur, err := s.Load(ctx, id)
						if !assert.NoError(t, err) {
							return
						}
						_, err = s.Append(ctx, id, len(cur), events(chunk("x", int64(i)))...)
						if errors.Is(err, eventstore.ErrConcurrencyConflict) {
							mu.Lock()
							conflicts++
							mu.Unlock()
							continue
						}
						if !assert.NoError(t, err) {
							return
						}
						break
					}
				}
			}()
		}
		wg.Wait()
		got, err := s.Load(ctx, id)
		require.NoError(t, err)
		require.Len(t, got, 1+writers*each)
		for i, e := range got {
			assert.Equal(t, i+1, e.Version)
		}
		t.Logf("%d conflicts resolved by retrying", conflicts)
	})

	// The next cases start many appends at once: an implementation may send
	// concurrent appends together (group commit), and each append must still
	// be all or nothing and answered as if it had been sent alone.

	t.Run("many concurrent appends to distinct streams all land at their versions", func(t *testing.T) {
		t.Parallel()
		s, _ := newStore(t)
		const streams, rounds = 48, 4
		ids := make([]string, streams)
		for i := range ids {
			ids[i] = uuid.NewString()
		}
		results := make([][]eventstore.AppendResult, streams)
		var wg sync.WaitGroup
		start := make(chan struct{})
		for i, id := range ids {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				version := 0
				for r := 0; r < rounds; r++ {
					evs := events(chunk(fmt.Sprint(r), int64(r)))
					if r == 0 {
						evs = events(created())
					} else if i%3 == 0 { // some appends carry several events
						evs = events(chunk("a", int64(r)), chunk("b", int64(r)), chunk("c", int64(r)))
					}
					res, err := s.Append(ctx, id, version, evs...)
					if !assert.NoError(t, err, "stream %d round %d", i, r) {
						return
					}
					assert.Equal(t, version+len(evs), res.Version)
					assert.Equal(t, "call", res.StreamType)
					version = res.Version
					results[i] = append(results[i], res)
				}
			}()
		}
		close(start)
		wg.Wait()
		total := 0
		for i, id := range ids {
			got, err := s.Load(ctx, id)
			require.NoError(t, err)
			require.Len(t, results[i], rounds)
			require.Equal(t, results[i][rounds-1].Version, len(got))
			total += len(got)
			for k, e := range got {
				assert.Equal(t, k+1, e.Version)
				if k > 0 {
					assert.True(t, got[k-1].Position.Less(e.Position), "stream %d: positions follow versions", i)
				}
			}
			for _, res := range results[i] {
				assert.Equal(t, got[res.Version-1].Position, res.Position, "an append returns the position of its last event")
			}
		}
		all := eventually(t, func() ([]eventstore.Event, error) {
			return s.ReadBatch(ctx, nil, eventstore.Position{}, 0, total+1, eventstore.Filter{})
		}, total)
		require.Len(t, all, total)
		last := map[string]int{}
		for i, e := range all {
			if i > 0 {
				assert.True(t, all[i-1].Position.Less(e.Position))
			}
			assert.Equal(t, last[e.StreamID]+1, e.Version, "the log holds each stream in version order")
			last[e.StreamID] = e.Version
		}
	})

	t.Run("concurrent appends racing on one stream: one wins each version, the others conflict", func(t *testing.T) {
		t.Parallel()
		s, _ := newStore(t)
		id := uuid.NewString()
		const racers, versions = 6, 5
		others := make([]string, racers)
		for i := range others {
			others[i] = uuid.NewString()
		}
		for v := 0; v < versions; v++ {
			var wg sync.WaitGroup
			start := make(chan struct{})
			batches := make([][]eventstore.NewEvent, racers)
			errs := make([]error, racers)
			ress := make([]eventstore.AppendResult, racers)
			for r := 0; r < racers; r++ {
				batches[r] = events(chunk(fmt.Sprint(r), int64(v)))
				if v == 0 {
					batches[r] = events(created())
				}
				wg.Add(2)
				go func() {
					defer wg.Done()
					<-start
					ress[r], errs[r] = s.Append(ctx, id, v, batches[r]...)
				}()
				go func() { // bystanders, sent at the same moment
					defer wg.Done()
					<-start
					ev := events(chunk("bystander", int64(v)))
					if v == 0 {
						ev = events(created())
					}
					_, err := s.Append(ctx, others[r], v, ev...)
					assert.NoError(t, err, "a bystander is not part of the race")
				}()
			}
			close(start)
			wg.Wait()
			winner := -1
			for r, err := range errs {
				if err == nil {
					assert.Equal(t, -1, winner, "version %d won twice", v+1)
					winner = r
					assert.Equal(t, v+1, ress[r].Version)
					continue
				}
				assert.ErrorIs(t, err, eventstore.ErrConcurrencyConflict, "version %d racer %d", v+1, r)
			}
			require.NotEqual(t, -1, winner, "someone wins version %d", v+1)
			got, err := s.Load(ctx, id)
			require.NoError(t, err)
			require.Len(t, got, v+1)
			assert.Equal(t, batches[winner][0].ID, got[v].Metadata.EventID, "the winner's event is at version %d", v+1)
		}
	})

	t.Run("idempotent retries sent together with the original and with other appends", func(t *testing.T) {
		t.Parallel()
		s, _ := newStore(t)
		id := uuid.NewString()
		_, err := s.Append(ctx, id, 0, events(created())...)
		require.NoError(t, err)
		batch := events(chunk("one", 1), chunk("two", 2))
		const copies, bystanders = 5, 24
		var wg sync.WaitGroup
		start := make(chan struct{})
		ress := make([]eventstore.AppendResult, copies)
		for c := 0; c < copies; c++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				var err error
				ress[c], err = s.Append(ctx, id, 1, batch...)
				assert.NoError(t, err, "copy %d", c)
			}()
		}
		for b := 0; b < bystanders; b++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				_, err := s.Append(ctx, uuid.NewString(), 0, events(created())...)
				assert.NoError(t, err)
			}()
		}
		close(start)
		wg.Wait()
		got, err := s.Load(ctx, id)
		require.NoError(t, err)
		require.Len(t, got, 3, "the batch is recorded once")
		for c := range ress {
			assert.Equal(t, 3, ress[c].Version)
			assert.Equal(t, got[2].Position, ress[c].Position, "copy %d gets the original result", c)
		}

		// A retry of what is now recorded, sent with fresh appends.
		wg = sync.WaitGroup{}
		start = make(chan struct{})
		for b := 0; b < bystanders; b++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				if b%8 == 0 {
					again, err := s.Append(ctx, id, 1, batch...)
					assert.NoError(t, err)
					assert.Equal(t, ress[0], again)
					return
				}
				_, err := s.Append(ctx, uuid.NewString(), 0, events(created())...)
				assert.NoError(t, err)
			}()
		}
		close(start)
		wg.Wait()
	})

	t.Run("a reused event id or a payload the database refuses fails only its own append", func(t *testing.T) {
		t.Parallel()
		s, _ := newStore(t)
		taken := events(created())
		_, err := s.Append(ctx, uuid.NewString(), 0, taken...)
		require.NoError(t, err)
		const n = 40
		var wg sync.WaitGroup
		start := make(chan struct{})
		streams := make([]string, n)
		errs := make([]error, n)
		for i := range streams {
			streams[i] = uuid.NewString()
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				evs := events(created(), chunk("fine", 1))
				switch i % 10 {
				case 3: // an id recorded in another stream
					evs[1].ID = taken[0].ID
				case 7: // jsonb refuses \u0000 in a string
					evs[1].Data = chunk("nul \x00 byte", 1)
				}
				_, errs[i] = s.Append(ctx, streams[i], 0, evs...)
			}()
		}
		close(start)
		wg.Wait()
		for i, err := range errs {
			got, lerr := s.Load(ctx, streams[i])
			require.NoError(t, lerr)
			switch i % 10 {
			case 3:
				assert.ErrorIs(t, err, eventstore.ErrEventIDReused, "append %d", i)
				assert.Empty(t, got, "append %d is all or nothing", i)
			case 7:
				assert.Error(t, err, "append %d", i)
				assert.NotErrorIs(t, err, eventstore.ErrConflict, "append %d", i)
				assert.Empty(t, got, "append %d is all or nothing", i)
			default:
				assert.NoError(t, err, "append %d is innocent", i)
				assert.Len(t, got, 2, "append %d", i)
			}
		}
	})

	t.Run("an append whose context ends is either recorded whole or not at all", func(t *testing.T) {
		t.Parallel()
		s, _ := newStore(t)
		cancelled, cancel := context.WithCancel(ctx)
		cancel()
		id := uuid.NewString()
		_, err := s.Append(cancelled, id, 0, events(created())...)
		assert.ErrorIs(t, err, context.Canceled)
		got, err := s.Load(ctx, id)
		require.NoError(t, err)
		assert.Empty(t, got, "an append cancelled before it starts writes nothing")

		const n = 40
		var wg sync.WaitGroup
		start := make(chan struct{})
		streams := make([]string, n)
		batches := make([][]eventstore.NewEvent, n)
		errs := make([]error, n)
		for i := range streams {
			streams[i], batches[i] = uuid.NewString(), events(created(), chunk("x", 1))
			actx, acancel := context.WithCancel(ctx)
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer acancel()
				<-start
				if i%2 == 1 {
					go acancel() // ends somewhere before, during or after the append
				}
				_, errs[i] = s.Append(actx, streams[i], 0, batches[i]...)
			}()
		}
		close(start)
		wg.Wait()
		for i, err := range errs {
			if i%2 == 0 {
				assert.NoError(t, err, "append %d was not cancelled", i)
			} else if err != nil {
				assert.ErrorIs(t, err, context.Canceled, "append %d", i)
			}
			got, lerr := s.Load(ctx, streams[i])
			require.NoError(t, lerr)
			assert.Contains(t, []int{0, 2}, len(got), "append %d is all or nothing", i)
			// A retry with the same ids settles it either way.
			res, err := s.Append(ctx, streams[i], 0, batches[i]...)
			require.NoError(t, err, "append %d retried", i)
			assert.Equal(t, 2, res.Version)
		}
	})

	t.Run("the log reads in position order and each stream in version order", func(t *testing.T) {
		t.Parallel()
		s, _ := newStore(t)
		streams := []string{uuid.NewString(), uuid.NewString(), uuid.NewString()}
		for _, id := range streams {
			_, err := s.Append(ctx, id, 0, events(created())...)
			require.NoError(t, err)
		}
		for i := 0; i < 5; i++ {
			for _, id := range streams {
				_, err := s.Append(ctx, id, i+1, events(chunk("c", int64(i)))...)
				require.NoError(t, err)
			}
		}
		eventually(t, func() ([]eventstore.Event, error) {
			return s.ReadBatch(ctx, nil, eventstore.Position{}, 0, 100, eventstore.Filter{})
		}, 18) // the horizon only moves forward: once all 18 are readable, they stay so
		var all []eventstore.Event
		var after eventstore.Position
		for {
			batch, err := s.ReadBatch(ctx, nil, after, 0, 4, eventstore.Filter{})
			require.NoError(t, err)
			if len(batch) == 0 {
				break
			}
			all = append(all, batch...)
			after = batch[len(batch)-1].Position
		}
		require.Len(t, all, 18)
		last := map[string]int{}
		for i, e := range all {
			if i > 0 {
				assert.True(t, all[i-1].Position.Less(e.Position), "positions increase")
			}
			assert.Equal(t, last[e.StreamID]+1, e.Version, "stream %s in version order", e.StreamID)
			last[e.StreamID] = e.Version
		}
		one, err := s.ReadBatch(ctx, nil, eventstore.Position{}, 0, 100, eventstore.Filter{StreamID: streams[1], EventType: "TranscriptChunkAdded"})
		require.NoError(t, err)
		assert.Len(t, one, 5)
	})

	t.Run("ReadPages yields what ReadBatch reads page by page, in order, decoded in parallel", func(t *testing.T) {
		t.Parallel()
		s, raw := newStore(t)
		var streams []string
		for i := 0; i < 3; i++ {
			id := uuid.NewString()
			streams = append(streams, id)
			evs := []domain.Event{created()}
			for j := 0; j < 199; j++ {
				evs = append(evs, chunk(fmt.Sprint(j), int64(j)))
			}
			_, err := s.Append(ctx, id, 0, events(evs...)...)
			require.NoError(t, err)
		}
		eventually(t, func() ([]eventstore.Event, error) {
			return s.ReadBatch(ctx, nil, eventstore.Position{}, 0, 1000, eventstore.Filter{})
		}, 600)
		var want []eventstore.Event
		var after eventstore.Position
		for {
			batch, err := s.ReadBatch(ctx, nil, after, 0, 512, eventstore.Filter{})
			require.NoError(t, err)
			if len(batch) == 0 {
				break
			}
			want = append(want, batch...)
			after = batch[len(batch)-1].Position
		}
		for _, size := range []int{7, 512, 600, 1000} { // pages short, above the parallel share, exact, one
			var got []eventstore.Event
			pages := 0
			err := s.ReadPages(ctx, eventstore.Position{}, 0, eventstore.PageOptions{PageSize: size, Workers: 3}, func(evs []eventstore.Event) (bool, error) {
				pages++
				got = append(got, evs...)
				return true, nil
			})
			require.NoError(t, err)
			assert.Equal(t, want, got, "page size %d", size)
			assert.Equal(t, (600+size-1)/size, pages, "page size %d: no empty page is yielded", size)
		}
		stopped := 0
		err := s.ReadPages(ctx, want[9].Position, 0, eventstore.PageOptions{PageSize: 10}, func(evs []eventstore.Event) (bool, error) {
			stopped++
			assert.Equal(t, want[10:20], evs, "the read starts after the given position")
			return false, nil
		})
		require.NoError(t, err)
		assert.Equal(t, 1, stopped, "yield returning false ends the read")

		require.NoError(t, raw.Exec(ctx, `INSERT INTO events (event_id, stream_id, stream_type, stream_version, event_type, schema_version, payload, metadata)
			VALUES ($1, $2, 'call', 1, 'CallTeleported', 1, '{}', '{"actor":"system"}')`, uuid.NewString(), uuid.NewString()))
		deadline := time.Now().Add(10 * time.Second)
		for {
			n := 0
			err = s.ReadPages(ctx, eventstore.Position{}, 0, eventstore.PageOptions{PageSize: 1000}, func(evs []eventstore.Event) (bool, error) {
				n += len(evs)
				return true, nil
			})
			if err != nil || time.Now().After(deadline) {
				assert.Zero(t, n, "the page holding the bad event is not yielded")
				break
			}
			time.Sleep(20 * time.Millisecond)
		}
		assert.ErrorIs(t, err, eventstore.ErrUnknownEventType, "a paged scan stops at the bad event instead of skipping it")
		assert.Contains(t, err.Error(), "position")
	})

	t.Run("a log reader never skips an event whose transaction commits late", func(t *testing.T) {
		t.Parallel()
		s, raw := newStore(t)
		exec, commit, err := raw.Begin(ctx)
		require.NoError(t, err)
		lateStream := uuid.NewString()
		require.NoError(t, exec(`INSERT INTO events (event_id, stream_id, stream_type, stream_version, event_type, schema_version, payload, metadata)
			VALUES ($1, $2, 'call', 1, 'CallFailed', 1, '{"reason":"late"}', '{"actor":"system"}')`, uuid.NewString(), lateStream))
		_, err = s.Append(ctx, uuid.NewString(), 0, events(created())...)
		require.NoError(t, err)
		early, err := s.ReadBatch(ctx, nil, eventstore.Position{}, 0, 100, eventstore.Filter{})
		require.NoError(t, err)
		assert.Empty(t, early, "nothing is readable while an older transaction is open")
		require.NoError(t, commit())
		// Transaction ids are cluster-wide: other tests' short transactions may
		// hold the horizon back for a moment, so wait for it to pass.
		after := eventually(t, func() ([]eventstore.Event, error) {
			return s.ReadBatch(ctx, nil, eventstore.Position{}, 0, 100, eventstore.Filter{})
		}, 2)
		require.Len(t, after, 2)
		assert.Equal(t, lateStream, after[0].StreamID, "the older transaction's event comes first")
	})

	t.Run("log order is numeric across a digit boundary of transaction ids", func(t *testing.T) {
		t.Parallel()
		s, raw := newStore(t)
		// Two events with transaction ids 10^k - 1 and 10^k, below the horizon
		// (ids are cluster-wide; any below the current one are finished).
		var current uint64
		_, _ = s.Horizon(ctx, nil)
		h, err := s.Horizon(ctx, nil)
		require.NoError(t, err)
		current = h
		boundary := uint64(10)
		for boundary*10 < current {
			boundary *= 10
		}
		require.Less(t, boundary, current)
		for _, txid := range []uint64{boundary, boundary - 1} { // inserted in the wrong order on purpose
			require.NoError(t, raw.Exec(ctx, `INSERT INTO events (transaction_id, event_id, stream_id, stream_type, stream_version, event_type, schema_version, payload, metadata)
				VALUES ($1::text::xid8, $2, $3, 'call', 1, 'CallFailed', 1, '{"reason":"x"}', '{"actor":"system"}')`, fmt.Sprint(txid), uuid.NewString(), uuid.NewString()))
		}
		first, err := s.ReadBatch(ctx, nil, eventstore.Position{}, 0, 1, eventstore.Filter{})
		require.NoError(t, err)
		require.Len(t, first, 1)
		assert.Equal(t, boundary-1, first[0].Position.TxID, "a lexical sort would put %d first", boundary)
		second, err := s.ReadBatch(ctx, nil, first[0].Position, 0, 1, eventstore.Filter{})
		require.NoError(t, err)
		require.Len(t, second, 1)
		assert.Equal(t, boundary, second[0].Position.TxID)
	})

	t.Run("load as of a version", func(t *testing.T) {
		t.Parallel()
		s, _ := newStore(t)
		id := uuid.NewString()
		_, err := s.Append(ctx, id, 0, events(created(), chunk("a", 1), chunk("b", 2), chunk("c", 3))...)
		require.NoError(t, err)
		for v := 0; v <= 4; v++ {
			got, err := s.LoadUntil(ctx, id, v)
			require.NoError(t, err)
			assert.Len(t, got, v)
		}
		mid, err := s.LoadRange(ctx, id, 1, 3)
		require.NoError(t, err)
		require.Len(t, mid, 2)
		assert.Equal(t, 2, mid[0].Version)
	})

	t.Run("an unknown type or undecodable payload is an error naming the position", func(t *testing.T) {
		t.Parallel()
		s, raw := newStore(t)
		bad := uuid.NewString()
		require.NoError(t, raw.Exec(ctx, `INSERT INTO events (event_id, stream_id, stream_type, stream_version, event_type, schema_version, payload, metadata)
			VALUES ($1, $2, 'call', 1, 'CallTeleported', 1, '{}', '{"actor":"system"}')`, uuid.NewString(), bad))
		_, err := s.Load(ctx, bad)
		assert.ErrorIs(t, err, eventstore.ErrUnknownEventType)
		assert.Contains(t, err.Error(), "position")

		broken := uuid.NewString()
		require.NoError(t, raw.Exec(ctx, `INSERT INTO events (event_id, stream_id, stream_type, stream_version, event_type, schema_version, payload, metadata)
			VALUES ($1, $2, 'call', 1, 'CallCreated', 1, '{"mode": 42}', '{"actor":"system"}')`, uuid.NewString(), broken))
		_, err = s.Load(ctx, broken)
		assert.ErrorIs(t, err, eventstore.ErrDecode)
		deadline := time.Now().Add(10 * time.Second)
		for err == nil || !errors.Is(err, eventstore.ErrUnknownEventType) {
			_, err = s.ReadBatch(ctx, nil, eventstore.Position{}, 0, 10, eventstore.Filter{})
			if time.Now().After(deadline) {
				break
			}
			time.Sleep(20 * time.Millisecond)
		}
		assert.ErrorIs(t, err, eventstore.ErrUnknownEventType, "a log scan stops at the bad event instead of skipping it")
	})

	t.Run("malformed appends are rejected before touching the log", func(t *testing.T) {
		t.Parallel()
		s, _ := newStore(t)
		id := uuid.NewString()
		cases := []struct {
			name   string
			stream string
			evs    []eventstore.NewEvent
		}{
			{"no events", id, nil},
			{"stream id not a uuid", "call-1", events(created())},
			{"mixed stream kinds", id, events(created(), &domain.UserDeleted{})},
			{"event id not a uuid", id, []eventstore.NewEvent{{ID: "x", Data: created(), Meta: eventstore.Metadata{Actor: "a"}}}},
			{"no actor", id, []eventstore.NewEvent{{ID: uuid.NewString(), Data: created()}}},
		}
		for _, c := range cases {
			_, err := s.Append(ctx, c.stream, 0, c.evs...)
			assert.ErrorIs(t, err, eventstore.ErrInvalidAppend, c.name)
		}
		got, err := s.Load(ctx, id)
		require.NoError(t, err)
		assert.Empty(t, got)
	})

	t.Run("occurred-at defaults to now and is kept when given", func(t *testing.T) {
		t.Parallel()
		s, _ := newStore(t)
		at := time.Date(2026, 3, 29, 1, 30, 0, 0, time.UTC)
		id := uuid.NewString()
		_, err := s.Append(ctx, id, 0, eventstore.NewEvent{ID: uuid.NewString(), Data: created(), Meta: eventstore.Metadata{Actor: "system", OccurredAt: at}})
		require.NoError(t, err)
		got, err := s.Load(ctx, id)
		require.NoError(t, err)
		assert.True(t, at.Equal(got[0].Metadata.OccurredAt))
	})

	t.Run("redact rewrites payloads in place and keeps everything else", func(t *testing.T) {
		t.Parallel()
		s, _ := newStore(t)
		secret, other := uuid.NewString(), uuid.NewString()
		_, err := s.Append(ctx, secret, 0, events(created(), chunk("my card is 4242", 1), chunk("call me", 2))...)
		require.NoError(t, err)
		_, err = s.Append(ctx, other, 0, events(created(), chunk("keep me", 1))...)
		require.NoError(t, err)
		before, err := s.Load(ctx, secret)
		require.NoError(t, err)

		res, err := s.Redact(ctx, []string{secret, "not-a-uuid"}, eraseContent)
		require.NoError(t, err)
		assert.Equal(t, 2, res.Events)
		assert.Equal(t, map[string]int{"TranscriptChunkAdded": 2}, res.ByType)

		after, err := s.Load(ctx, secret)
		require.NoError(t, err)
		require.Len(t, after, len(before))
		for i := range before {
			b, a := before[i], after[i]
			assert.Equal(t, b.Position, a.Position, "positions are unchanged")
			assert.Equal(t, b.Version, a.Version)
			assert.Equal(t, b.Type, a.Type)
			assert.Equal(t, b.SchemaVersion, a.SchemaVersion)
			assert.Equal(t, b.Metadata, a.Metadata, "metadata is unchanged")
			assert.True(t, b.RecordedAt.Equal(a.RecordedAt))
		}
		assert.Equal(t, before[0].Data, after[0].Data, "events the rule leaves alone are unchanged")
		for _, e := range after[1:] {
			assert.Equal(t, "[erased]", e.Data.(*domain.TranscriptChunkAdded).Content)
		}
		// A log scan (rebuilds, consumers) sees the redacted events at the same positions.
		all := eventually(t, func() ([]eventstore.Event, error) {
			return s.ReadBatch(ctx, nil, eventstore.Position{}, 0, 100, eventstore.Filter{StreamID: secret})
		}, 3)
		for i, e := range all {
			assert.Equal(t, after[i].Position, e.Position)
			assert.Equal(t, after[i].Data, e.Data)
		}
		kept, err := s.Load(ctx, other)
		require.NoError(t, err)
		assert.Equal(t, "keep me", kept[1].Data.(*domain.TranscriptChunkAdded).Content, "other streams are untouched")

		// The stream goes on: the next append is at the next version.
		_, err = s.Append(ctx, secret, 3, events(chunk("later", 3))...)
		require.NoError(t, err)
	})

	t.Run("redact is idempotent", func(t *testing.T) {
		t.Parallel()
		s, _ := newStore(t)
		id := uuid.NewString()
		_, err := s.Append(ctx, id, 0, events(created(), chunk("secret", 1))...)
		require.NoError(t, err)
		first, err := s.Redact(ctx, []string{id}, eraseContent)
		require.NoError(t, err)
		assert.Equal(t, 1, first.Events)
		once, err := s.Load(ctx, id)
		require.NoError(t, err)
		again, err := s.Redact(ctx, []string{id}, eraseContent)
		require.NoError(t, err)
		assert.Equal(t, 0, again.Events, "nothing left to rewrite")
		twice, err := s.Load(ctx, id)
		require.NoError(t, err)
		assert.Equal(t, once, twice)
	})

	t.Run("a redaction that fails or breaks decoding changes nothing", func(t *testing.T) {
		t.Parallel()
		s, _ := newStore(t)
		id := uuid.NewString()
		_, err := s.Append(ctx, id, 0, events(created(), chunk("one", 1), chunk("two", 2))...)
		require.NoError(t, err)
		before, err := s.Load(ctx, id)
		require.NoError(t, err)
		cases := []struct {
			name string
			rule eventstore.RedactRule
		}{
			{"rule error", func(typ string, _ int, p []byte) ([]byte, error) {
				if typ == "TranscriptChunkAdded" && strings.Contains(string(p), "two") {
					return nil, errors.New("cannot redact")
				}
				return eraseContent(typ, 1, p)
			}},
			{"payload no longer decodes", func(typ string, _ int, p []byte) ([]byte, error) {
				if typ == "TranscriptChunkAdded" && strings.Contains(string(p), "two") {
					return []byte(`{"content": 42}`), nil
				}
				return eraseContent(typ, 1, p)
			}},
			{"not JSON", func(typ string, _ int, p []byte) ([]byte, error) {
				if typ == "CallCreated" {
					return []byte(`{`), nil
				}
				return p, nil
			}},
		}
		for _, c := range cases {
			_, err := s.Redact(ctx, []string{id}, c.rule)
			assert.ErrorIs(t, err, eventstore.ErrInvalidRedaction, c.name)
			got, err := s.Load(ctx, id)
			require.NoError(t, err)
			assert.Equal(t, before, got, c.name)
		}
	})

	t.Run("head, backlog and lookups", func(t *testing.T) {
		t.Parallel()
		s, _ := newStore(t)
		head, err := s.Head(ctx)
		require.NoError(t, err)
		assert.True(t, head.IsZero(), "an empty log has the zero head")
		id := uuid.NewString()
		evs := events(created(), chunk("a", 1), chunk("b", 2))
		res, err := s.Append(ctx, id, 0, evs...)
		require.NoError(t, err)
		eventually(t, func() ([]eventstore.Event, error) {
			return s.ReadBatch(ctx, nil, eventstore.Position{}, 0, 100, eventstore.Filter{})
		}, 3)
		head, err = s.Head(ctx)
		require.NoError(t, err)
		assert.Equal(t, res.Position, head)

		all, err := s.Behind(ctx, eventstore.Position{}, 0, 0)
		require.NoError(t, err)
		assert.Equal(t, 3, all.Events)
		assert.False(t, all.Oldest.IsZero())
		assert.Greater(t, all.Age(time.Now().Add(time.Minute)), time.Duration(0))
		capped, err := s.Behind(ctx, eventstore.Position{}, 0, 2)
		require.NoError(t, err)
		assert.Equal(t, 2, capped.Events, "the count stops at the limit")
		none, err := s.Behind(ctx, head, 0, 0)
		require.NoError(t, err)
		assert.Equal(t, eventstore.Backlog{}, none)
		assert.Equal(t, time.Duration(0), none.Age(time.Now()))

		v, err := s.VersionOf(ctx, id, evs[1].ID)
		require.NoError(t, err)
		assert.Equal(t, 2, v)
		v, err = s.VersionOf(ctx, uuid.NewString(), evs[1].ID)
		require.NoError(t, err)
		assert.Equal(t, 0, v, "an id recorded in another stream is not found")

		found, err := s.AnyRecorded(ctx, []string{uuid.NewString(), "x", evs[2].ID})
		require.NoError(t, err)
		assert.True(t, found)
		found, err = s.AnyRecorded(ctx, []string{uuid.NewString()})
		require.NoError(t, err)
		assert.False(t, found)

		user := evs[0].Data.(*domain.CallCreated).UserID
		streams, err := s.StreamsWhere(ctx, "CallCreated", "userId", user)
		require.NoError(t, err)
		assert.Equal(t, []string{id}, streams)
	})
}

// eraseContent is a redaction rule: transcript lines lose their text.
func eraseContent(eventType string, _ int, payload []byte) ([]byte, error) {
	if eventType != "TranscriptChunkAdded" {
		return payload, nil
	}
	var p map[string]any
	if err := json.Unmarshal(payload, &p); err != nil {
		return nil, err
	}
	p["content"] = "[erased]"
	return json.Marshal(p)
}
