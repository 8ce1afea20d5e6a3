package storetest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sparrow-coach/sparrow/eventstore"
)

// runConsume covers Consume: a consumer group's rounds commit the handler's
// writes and the group's offset together or not at all, each event is
// handled once across concurrent consumers of a group, in per-stream order,
// and a failed round leaves no transaction open behind it.
func runConsume(t *testing.T, newStore Factory) {
	ctx := context.Background()

	// fill appends n events over streams streams and returns the log's head.
	fill := func(t *testing.T, s *eventstore.Store, streams, n int) eventstore.Position {
		t.Helper()
		ids := make([]string, streams)
		versions := make([]int, streams)
		for i := range ids {
			ids[i] = uuid.NewString()
		}
		var head eventstore.Position
		for i := 0; i < n; i++ {
			k := i % streams
			ev := chunk(fmt.Sprintf("line %d", i), int64(i))
			if versions[k] == 0 {
				ev = created()
			}
			res, err := s.Append(ctx, ids[k], versions[k], events(ev)...)
			require.NoError(t, err)
			versions[k], head = res.Version, res.Position
		}
		return head
	}
	// consumed is a table the handlers write each event they handle to; a
	// second write of one event fails the round (primary key).
	table := func(t *testing.T, raw RawDB) string {
		t.Helper()
		name := "consumed_" + uuid.NewString()[:8]
		require.NoError(t, raw.Exec(ctx, `CREATE TABLE `+name+` (event_id text PRIMARY KEY, stream_id text NOT NULL,
  version int NOT NULL, seq bigserial NOT NULL)`))
		return name
	}
	record := func(ctx context.Context, tx eventstore.Tx, name string, batch []eventstore.Delivery) error {
		for _, d := range batch {
			if _, err := tx.Exec(ctx, `INSERT INTO `+name+` (event_id, stream_id, version) VALUES ($1, $2, $3)`,
				d.Metadata.EventID, d.StreamID, d.Version); err != nil {
				return err
			}
		}
		return nil
	}
	// tally counts what a handler recorded into table name: rows, distinct
	// events, and events not right after their stream's previous one.
	tally := func(t *testing.T, s *eventstore.Store, name string) (total, distinct, disordered int) {
		t.Helper()
		require.NoError(t, s.Pool().QueryRow(ctx, `SELECT count(*), count(DISTINCT event_id),
  count(*) FILTER (WHERE version <> prev + 1) FROM (SELECT event_id, version,
  coalesce(lag(version) OVER (PARTITION BY stream_id ORDER BY seq), 0) AS prev FROM `+name+`) t`).Scan(&total, &distinct, &disordered))
		return total, distinct, disordered
	}
	// openTransactions counts sessions of this database left inside a
	// transaction, after giving connections closed by a cancelled round 5 s
	// to end (their server processes exit a moment after the socket closes).
	openTransactions := func(t *testing.T, s *eventstore.Store) int {
		t.Helper()
		deadline := time.Now().Add(5 * time.Second)
		for {
			var n int
			require.NoError(t, s.Pool().QueryRow(ctx, `SELECT count(*) FROM pg_stat_activity
WHERE datname = current_database() AND pid <> pg_backend_pid() AND state LIKE 'idle in transaction%'`).Scan(&n))
			if n == 0 || time.Now().After(deadline) {
				return n
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	// until runs consumers of group until it reaches pos, or fails the test after 30 s.
	until := func(t *testing.T, s *eventstore.Store, group string, pos eventstore.Position, consumers int, handle eventstore.BatchHandler) {
		t.Helper()
		runCtx, cancel := context.WithTimeout(ctx, 30*time.Second)
		defer cancel()
		var wg sync.WaitGroup
		errs := make(chan error, consumers)
		for range consumers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				err := s.Consume(runCtx, eventstore.ConsumerConfig{ConsumerGroup: group, BatchSize: 7, PollInterval: 5 * time.Millisecond}, handle)
				if err != nil && !errors.Is(err, context.Canceled) && !errors.Is(err, context.DeadlineExceeded) {
					errs <- err
				}
				cancel()
			}()
		}
		for {
			got, err := s.ConsumerPositions(ctx, group)
			require.NoError(t, err)
			if !got[group].Less(pos) || runCtx.Err() != nil {
				break
			}
			time.Sleep(10 * time.Millisecond)
		}
		cancel()
		wg.Wait()
		close(errs)
		for err := range errs {
			require.NoError(t, err)
		}
		got, err := s.ConsumerPositions(ctx, group)
		require.NoError(t, err)
		require.False(t, got[group].Less(pos), "the group reached the head within 30 s")
	}

	t.Run("consume: concurrent consumers of a group handle each event once, in stream order", func(t *testing.T) {
		t.Parallel()
		s, raw := newStore(t)
		head := fill(t, s, 9, 120)
		name := table(t, raw)
		until(t, s, "test.once", head, 3, func(ctx context.Context, tx eventstore.Round, batch []eventstore.Delivery) (int, error) {
			return len(batch), record(ctx, tx, name, batch)
		})
		total, distinct, disordered := tally(t, s, name)
		assert.Equal(t, 120, total)
		assert.Equal(t, 120, distinct)
		assert.Zero(t, disordered, "each stream's events were committed in version order with no gap")
		assert.Zero(t, openTransactions(t, s))
	})

	t.Run("consume: groups of one store share their reads, each seeing the kinds it decodes, each event once and in order", func(t *testing.T) {
		t.Parallel()
		s, raw := newStore(t)
		// Two groups at once on one store (so at different positions in
		// its shared reads), two consumers each, small batches, running
		// while three appenders write (commits out of transaction-id order
		// among them): one group decodes calls, the other only users.
		runCtx, cancel := context.WithTimeout(ctx, 60*time.Second)
		defer cancel()
		var wg sync.WaitGroup
		errs := make(chan error, 4)
		names := map[string]string{}
		var bad atomic.Int64
		for _, g := range []struct {
			group  string
			decode []string
		}{{"test.shared.calls", []string{"call"}}, {"test.shared.users", []string{"user"}}} {
			name := table(t, raw)
			names[g.group] = name
			for range 2 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					err := s.Consume(runCtx, eventstore.ConsumerConfig{ConsumerGroup: g.group, BatchSize: 7, PollInterval: 5 * time.Millisecond,
						Decode: g.decode}, func(ctx context.Context, tx eventstore.Round, batch []eventstore.Delivery) (int, error) {
						for _, d := range batch {
							decoded := d.Data != nil && d.Payload != nil && d.Metadata.EventID != ""
							if decoded != (g.decode[0] == d.StreamType) || d.Err != nil || d.Type == "" || d.Version < 1 {
								bad.Add(1)
							}
							// Metadata.EventID is empty for kinds not decoded: key by position.
							if _, err := tx.Exec(ctx, `INSERT INTO `+name+` (event_id, stream_id, version) VALUES ($1, $2, $3)`,
								d.Position.String(), d.StreamID, d.Version); err != nil {
								return 0, err
							}
						}
						return len(batch), nil
					})
					if err != nil && !errors.Is(err, context.Canceled) && !errors.Is(err, context.DeadlineExceeded) {
						errs <- err
					}
				}()
			}
		}
		var fills sync.WaitGroup
		var mu sync.Mutex
		var head eventstore.Position // the newest append's (Head is the readable head: other tests' transactions hold it back)
		for range 3 {
			fills.Add(1)
			go func() {
				defer fills.Done()
				last := fill(t, s, 3, 40)
				mu.Lock()
				defer mu.Unlock()
				if head.Less(last) {
					head = last
				}
			}()
		}
		fills.Wait()
		for _, group := range []string{"test.shared.calls", "test.shared.users"} {
			for runCtx.Err() == nil {
				got, err := s.ConsumerPositions(ctx, group)
				require.NoError(t, err)
				if !got[group].Less(head) {
					break
				}
				time.Sleep(10 * time.Millisecond)
			}
		}
		cancel()
		wg.Wait()
		close(errs)
		for err := range errs {
			require.NoError(t, err)
		}
		assert.Zero(t, bad.Load(), "an event decoded for a group that does not decode its kind, or not decoded for one that does")
		for group, name := range names {
			total, distinct, disordered := tally(t, s, name)
			assert.Equal(t, 120, total, group)
			assert.Equal(t, 120, distinct, group)
			assert.Zero(t, disordered, "%s: each stream's events in version order with no gap", group)
		}
		assert.Zero(t, openTransactions(t, s))
	})

	t.Run("consume: a failed round commits neither its writes nor its offset, and leaves no transaction open", func(t *testing.T) {
		t.Parallel()
		s, raw := newStore(t)
		head := fill(t, s, 3, 20)
		name := table(t, raw)
		for _, c := range []struct {
			name string
			fail func(ctx context.Context, tx eventstore.Tx) error
		}{
			{"the handler's own error", func(context.Context, eventstore.Tx) error { return errors.New("handler refuses") }},
			{"a statement failing inside the transaction", func(ctx context.Context, tx eventstore.Tx) error {
				_, err := tx.Exec(ctx, `SELECT 1/0`)
				return err
			}},
		} {
			var calls atomic.Int32
			err := s.Consume(ctx, eventstore.ConsumerConfig{ConsumerGroup: "test.fail"}, func(ctx context.Context, tx eventstore.Round, batch []eventstore.Delivery) (int, error) {
				calls.Add(1)
				if err := record(ctx, tx, name, batch); err != nil {
					return 0, err
				}
				return 0, c.fail(ctx, tx)
			})
			require.Error(t, err, c.name)
			assert.EqualValues(t, 1, calls.Load(), "%s: Consume returns the handler's failure", c.name)
			var n int
			require.NoError(t, s.Pool().QueryRow(ctx, `SELECT count(*) FROM `+name).Scan(&n))
			assert.Zero(t, n, "%s: the handler's writes were rolled back", c.name)
			got, err := s.ConsumerPositions(ctx, "test.fail")
			require.NoError(t, err)
			assert.True(t, got["test.fail"].IsZero(), "%s: the offset did not move", c.name)
			assert.Zero(t, openTransactions(t, s), "%s: no session left in a transaction", c.name)
		}
		// The same group then consumes everything from the start.
		until(t, s, "test.fail", head, 1, func(ctx context.Context, tx eventstore.Round, batch []eventstore.Delivery) (int, error) {
			return len(batch), record(ctx, tx, name, batch)
		})
		var n int
		require.NoError(t, s.Pool().QueryRow(ctx, `SELECT count(*) FROM `+name).Scan(&n))
		assert.Equal(t, 20, n)
	})

	t.Run("consume: the offset moves past exactly the prefix the handler took", func(t *testing.T) {
		t.Parallel()
		s, raw := newStore(t)
		head := fill(t, s, 2, 10)
		name := table(t, raw)
		var rounds atomic.Int32
		until(t, s, "test.prefix", head, 1, func(ctx context.Context, tx eventstore.Round, batch []eventstore.Delivery) (int, error) {
			rounds.Add(1)
			return 1, record(ctx, tx, name, batch[:1])
		})
		assert.EqualValues(t, 10, rounds.Load(), "one event a round")
		var n int
		require.NoError(t, s.Pool().QueryRow(ctx, `SELECT count(DISTINCT event_id) FROM `+name).Scan(&n))
		assert.Equal(t, 10, n)
	})

	t.Run("consume: a round is unbroken only while nothing else wrote the group's offsets row", func(t *testing.T) {
		t.Parallel()
		s, raw := newStore(t)
		id := uuid.NewString()
		version := 0
		appendOne := func() eventstore.Position {
			ev := chunk("x", int64(version))
			if version == 0 {
				ev = created()
			}
			res, err := s.Append(ctx, id, version, events(ev)...)
			require.NoError(t, err)
			version = res.Version
			return res.Position
		}
		// rounds runs one Consume of the group over events appended one a
		// round, and returns each round's Unbroken.
		type step func()
		rounds := func(between ...step) []bool {
			runCtx, cancel := context.WithTimeout(ctx, 20*time.Second)
			defer cancel()
			var got []bool
			var mu sync.Mutex // target, version
			mu.Lock()
			target := appendOne()
			mu.Unlock()
			err := s.Consume(runCtx, eventstore.ConsumerConfig{ConsumerGroup: "test.unbroken", PollInterval: 5 * time.Millisecond},
				func(ctx context.Context, tx eventstore.Round, batch []eventstore.Delivery) (int, error) {
					got = append(got, tx.Unbroken())
					mu.Lock()
					defer mu.Unlock()
					if batch[len(batch)-1].Position != target {
						return len(batch), nil
					}
					if len(got) > len(between) {
						cancel()
						return len(batch), nil
					}
					// After this round commits: what happens between it and the next.
					k := len(got) - 1
					go func() {
						time.Sleep(50 * time.Millisecond) // this round has committed by then
						between[k]()
						mu.Lock()
						target = appendOne()
						mu.Unlock()
					}()
					return len(batch), nil
				})
			require.ErrorIs(t, err, context.Canceled)
			return got
		}
		nothing := func() {}
		moved := func() { // a rebuild or quarantine resolution moving the group onto itself
			exec, commit, err := raw.Begin(ctx)
			require.NoError(t, err)
			require.NoError(t, exec(`UPDATE event_consumer_offsets SET offset_acked = offset_acked WHERE consumer_group = 'test.unbroken'`))
			require.NoError(t, commit())
		}
		assert.Equal(t, []bool{false, true, true, false, true}, rounds(nothing, nothing, moved, nothing),
			"the first round of a Consume is not unbroken; a write by anyone else breaks the chain once")
		assert.Equal(t, []bool{false, true}, rounds(nothing), "a new Consume starts broken even on its own last row")
	})

	t.Run("consume: AsyncCommit rounds do not wait for a WAL flush; others do", func(t *testing.T) {
		t.Parallel()
		s, _ := newStore(t)
		fill(t, s, 1, 1)
		for _, async := range []bool{false, true} {
			runCtx, cancel := context.WithTimeout(ctx, 20*time.Second)
			var setting string
			err := s.Consume(runCtx, eventstore.ConsumerConfig{ConsumerGroup: fmt.Sprintf("test.async.%v", async), AsyncCommit: async},
				func(ctx context.Context, tx eventstore.Round, batch []eventstore.Delivery) (int, error) {
					defer cancel()
					return len(batch), tx.QueryRow(ctx, `SELECT current_setting('synchronous_commit')`).Scan(&setting)
				})
			cancel()
			require.ErrorIs(t, err, context.Canceled)
			want := map[bool]string{false: "on", true: "off"}[async]
			assert.Equal(t, want, setting, "AsyncCommit %v", async)
		}
	})

	t.Run("consume: deferred statements commit with the round, and a failing one fails it whole", func(t *testing.T) {
		t.Parallel()
		s, raw := newStore(t)
		head := fill(t, s, 2, 6)
		name := table(t, raw)
		// A failing deferred statement: nothing of the round commits.
		err := s.Consume(ctx, eventstore.ConsumerConfig{ConsumerGroup: "test.defer"}, func(ctx context.Context, tx eventstore.Round, batch []eventstore.Delivery) (int, error) {
			if err := record(ctx, tx, name, batch[:1]); err != nil {
				return 0, err
			}
			tx.Defer(`INSERT INTO ` + name + ` (event_id, stream_id, version) VALUES ('deferred', 'x', 1)`)
			tx.Defer(`SELECT 1/0`)
			return len(batch), nil
		})
		require.ErrorIs(t, err, eventstore.ErrDeferred)
		assert.Contains(t, err.Error(), "division by zero")
		var n int
		require.NoError(t, s.Pool().QueryRow(ctx, `SELECT count(*) FROM `+name).Scan(&n))
		assert.Zero(t, n, "the handler's writes, deferred or not, were rolled back")
		got, err := s.ConsumerPositions(ctx, "test.defer")
		require.NoError(t, err)
		assert.True(t, got["test.defer"].IsZero(), "the offset did not move")
		assert.Zero(t, openTransactions(t, s))
		// Deferred writes commit with the offset.
		until(t, s, "test.defer", head, 1, func(ctx context.Context, tx eventstore.Round, batch []eventstore.Delivery) (int, error) {
			for _, d := range batch {
				tx.Defer(`INSERT INTO `+name+` (event_id, stream_id, version) VALUES ($1, $2, $3)`, d.Metadata.EventID, d.StreamID, d.Version)
			}
			return len(batch), nil
		})
		require.NoError(t, s.Pool().QueryRow(ctx, `SELECT count(DISTINCT event_id) FROM `+name).Scan(&n))
		assert.Equal(t, 6, n)
	})
}
