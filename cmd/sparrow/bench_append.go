package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/google/uuid"

	"github.com/sparrow-coach/sparrow/app"
	"github.com/sparrow-coach/sparrow/domain"
	"github.com/sparrow-coach/sparrow/eventstore"
)

func openScratch(ctx context.Context, url string, maxConns int32) (*database, error) {
	return openDatabase(ctx, Config{DatabaseURL: url}, io.Discard, maxConns)
}

// benchAppend: 32 concurrent appenders, one event per append, each on its own
// stream, against the same rows written by plain pgx INSERTs into a table
// with the same columns and indexes. The two alternate in two rounds each so
// drift in the machine's speed hits both alike.
func benchAppend(ctx context.Context, url string, o benchOpts, out map[string]any) error {
	const workers = 32
	d, err := openScratch(ctx, url, workers+8)
	if err != nil {
		return err
	}
	defer d.Close()
	if _, err := d.pool.Exec(ctx, `CREATE TABLE bench_raw (LIKE events INCLUDING ALL)`); err != nil {
		return err
	}
	content := strings.Repeat("we lose about six hours a week rescheduling drivers ", 2)
	chunk := func(i int) domain.Event {
		return &domain.TranscriptChunkAdded{TranscriptEntry: domain.TranscriptEntry{Role: domain.RoleUser, Content: content, TimestampMs: int64(i) * 1000}}
	}
	meta := eventstore.Metadata{Actor: "bench", RequestID: "req-bench", CorrelationID: "req-bench"}

	appendRound := func(dur time.Duration) (int64, error) {
		var n atomic.Int64
		return run32(ctx, dur, func(ctx context.Context, stream string, i int) error {
			_, err := d.store.Append(ctx, stream, i, eventstore.NewEvent{ID: app.NewID(), Data: chunk(i), Meta: meta})
			if err == nil {
				n.Add(1)
			}
			return err
		}, &n)
	}
	rawRound := func(dur time.Duration) (int64, error) {
		var n atomic.Int64
		return run32(ctx, dur, func(ctx context.Context, stream string, i int) error {
			id := app.NewID()
			payload, _ := json.Marshal(chunk(i))
			m := meta
			m.EventID, m.SchemaVersion, m.OccurredAt = id, 1, time.Now().UTC()
			mj, _ := json.Marshal(m)
			_, err := d.pool.Exec(ctx, `INSERT INTO bench_raw (event_id, stream_id, stream_type, stream_version, event_type, schema_version, payload, metadata)
VALUES ($1::uuid, $2::uuid, 'call', $3, 'TranscriptChunkAdded', 1, $4::jsonb, $5::jsonb)`, id, stream, i+1, string(payload), string(mj))
			if err == nil {
				n.Add(1)
			}
			return err
		}, &n)
	}
	half := o.duration / 2
	var appended, raw int64
	for round := 0; round < 2; round++ {
		fmt.Fprintf(o.progress, "bench: append round %d: raw INSERT baseline for %s\n", round+1, half)
		r, err := rawRound(half)
		if err != nil {
			return err
		}
		raw += r
		fmt.Fprintf(o.progress, "bench: append round %d: Store.Append for %s\n", round+1, half)
		a, err := appendRound(half)
		if err != nil {
			return err
		}
		appended += a
	}
	secs := (2 * half).Seconds()
	out["append_events_per_s"] = round2(float64(appended) / secs)
	out["raw_insert_rows_per_s"] = round2(float64(raw) / secs)
	out["append_ratio"] = round2(float64(appended) / float64(raw))
	fmt.Fprintf(o.progress, "bench: append %.0f/s, raw %.0f/s, ratio %.2f\n", float64(appended)/secs, float64(raw)/secs, float64(appended)/float64(raw))
	return nil
}

// run32 runs fn in 32 workers, each on its own new stream with increasing
// i, for dur (after a 1 s warm-up that is not counted), and returns the count.
func run32(ctx context.Context, dur time.Duration, fn func(ctx context.Context, stream string, i int) error, n *atomic.Int64) (int64, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var wg sync.WaitGroup
	var firstErr error
	var once sync.Once
	for w := 0; w < 32; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			stream := uuid.NewString()
			for i := 0; ctx.Err() == nil; i++ {
				if err := fn(ctx, stream, i); err != nil {
					if ctx.Err() == nil {
						once.Do(func() { firstErr = err; cancel() })
					}
					return
				}
			}
		}()
	}
	time.Sleep(time.Second)
	start := n.Load()
	time.Sleep(dur)
	counted := n.Load() - start
	cancel()
	wg.Wait()
	return counted, firstErr
}
