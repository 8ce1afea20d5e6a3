package main

import (
	"context"
	"fmt"
	"hash/fnv"
	"sync"
	"time"

	"github.com/sparrow-coach/sparrow/app"
	"github.com/sparrow-coach/sparrow/domain"
	"github.com/sparrow-coach/sparrow/eventstore"
	"github.com/sparrow-coach/sparrow/internal/historygen"
	"github.com/sparrow-coach/sparrow/projections"
)

// benchRebuild: full rebuilds of every read table from realistic call
// histories: at a fifth of the size, then (after appending the rest) at the
// full size, to show the per-event cost does not grow with the log.
func benchRebuild(ctx context.Context, url string, o benchOpts, out map[string]any) error {
	d, err := openScratch(ctx, url, 24)
	if err != nil {
		return err
	}
	defer d.Close()
	rb, err := projections.NewRebuilder(d.store, d.db, projections.RebuildConfig{Progress: o.progress})
	if err != nil {
		return err
	}
	const perUser = 2 + 40*25                              // onboarding + 40 calls of 25 events (20 transcript chunks)
	small := max(1, (o.rebuildEvents/5+perUser-1)/perUser) // whole users, at least the events asked for
	large := max(1, (o.rebuildEvents+perUser-1)/perUser-small)

	seed := func(seed uint64, users int) (int, error) {
		h := historygen.Generate(historygen.Config{Seed: seed, Users: users, CallsPerUser: 40, ChunksPerCall: 20,
			Start: time.Date(2026, 1, 5, 8, 0, 0, 0, time.UTC)})
		start := time.Now()
		n, err := appendHistory(ctx, d.store, h, 16)
		fmt.Fprintf(o.progress, "bench: appended %d events in %s\n", n, time.Since(start).Round(time.Millisecond))
		return n, err
	}
	n1, err := seed(1, small)
	if err != nil {
		return err
	}
	r1, err := rb.Rebuild(ctx, projections.ReadModels())
	if err != nil {
		return err
	}
	n2, err := seed(2, large)
	if err != nil {
		return err
	}
	r2, err := rb.Rebuild(ctx, projections.ReadModels())
	if err != nil {
		return err
	}
	if r1.Events != n1 || r2.Events != n1+n2 {
		return fmt.Errorf("rebuilds saw %d and %d events, want %d and %d", r1.Events, r2.Events, n1, n1+n2)
	}
	perEvent := func(r projections.RebuildReport) float64 { return r.Duration.Seconds() / float64(r.Events) }
	out["rebuild_events"] = r2.Events
	out["rebuild_events_per_s"] = round2(r2.EventsPerSecond())
	out["rebuild_small_events"] = r1.Events
	out["rebuild_small_events_per_s"] = round2(r1.EventsPerSecond())
	out["rebuild_per_event_cost_ratio"] = round2(perEvent(r2) / perEvent(r1))
	return nil
}

// appendHistory appends a history with concurrent workers, keeping each
// stream's appends in order (one worker per stream) and the history's
// causal order: user and persona streams are appended before any call.
func appendHistory(ctx context.Context, store *eventstore.Store, h []historygen.Append, workers int) (int, error) {
	var first, rest []historygen.Append
	for _, a := range h {
		if len(rest) == 0 {
			if _, isCall := a.Events[0].(*domain.CallCreated); !isCall {
				first = append(first, a)
				continue
			}
		}
		rest = append(rest, a)
	}
	total := 0
	for _, part := range [][]historygen.Append{first, rest} {
		queues := make([][]historygen.Append, workers)
		for _, a := range part {
			f := fnv.New32a()
			f.Write([]byte(a.StreamID))
			w := int(f.Sum32() % uint32(workers))
			queues[w] = append(queues[w], a)
			total += len(a.Events)
		}
		var wg sync.WaitGroup
		errs := make(chan error, workers)
		for _, q := range queues {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for _, a := range q {
					evs := make([]eventstore.NewEvent, len(a.Events))
					for i, d := range a.Events {
						evs[i] = eventstore.NewEvent{ID: app.NewID(), Data: d, Meta: eventstore.Metadata{Actor: "bench", OccurredAt: a.At}}
					}
					if _, err := store.Append(ctx, a.StreamID, a.Expected, evs...); err != nil {
						errs <- err
						return
					}
				}
			}()
		}
		wg.Wait()
		close(errs)
		if err := <-errs; err != nil {
			return total, err
		}
	}
	return total, nil
}
