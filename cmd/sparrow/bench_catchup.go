package main

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/sparrow-coach/sparrow/domain"
	"github.com/sparrow-coach/sparrow/eventstore"
	"github.com/sparrow-coach/sparrow/projections"
)

// The backlog the catch-up phase leaves for the consumers in each round:
// 64 call scripts appending 625 events each (25 calls of 25 events).
const catchupWorkers, catchupPerWorker = 64, 625

// benchCatchup: how fast the read-model projectors catch up on a backlog
// (after an outage, a deploy, a quarantine retried), against the plain-table
// baseline of the capacity phase reading the same events, in the same run
// (projection_catchup_events_per_s, projection_catchup_baseline_events_per_s,
// projection_catchup_ratio). Nothing appends while they run: this is the
// consumers' own throughput, where the capacity phase shares the machine
// with the appenders. Two rounds, each on a fresh backlog, the projectors
// and the baseline alternating; the figures are the totals over both.
func benchCatchup(ctx context.Context, url string, o benchOpts, out map[string]any) error {
	d, w, err := openLagWorld(ctx, url, 160)
	if err != nil {
		return err
	}
	defer d.Close()
	var took [2]time.Duration // projections, baseline
	events := 0
	for round := range 2 {
		from, err := d.store.Head(ctx)
		if err != nil {
			return err
		}
		n, err := w.backlog(ctx, catchupWorkers, catchupPerWorker)
		if err != nil {
			return err
		}
		events += n
		head, err := d.store.Head(ctx)
		if err != nil {
			return err
		}
		for i, name := range []string{"projections", "baseline"} {
			reached := newReachProbe(head)
			start := time.Now()
			var stop func()
			if i == 0 {
				stop, err = startProjections(ctx, d, o, reached.committed)
			} else {
				stop, err = startPlainConsumers(ctx, d, from, fmt.Sprintf("_catchup%d", round), reached.committed)
			}
			if err != nil {
				return err
			}
			err := reached.wait(ctx, 5*time.Minute)
			el := time.Since(start)
			stop()
			if err != nil {
				return fmt.Errorf("catch-up (%s): %w", name, err)
			}
			took[i] += el
			fmt.Fprintf(o.progress, "bench: catch-up round %d: %s applied %d events in %s (%.0f events/s)\n",
				round+1, name, n, el.Round(time.Millisecond), float64(n)/el.Seconds())
		}
	}
	got, base := float64(events)/took[0].Seconds(), float64(events)/took[1].Seconds()
	out["projection_catchup_events_per_s"] = int(got)
	out["projection_catchup_baseline_events_per_s"] = int(base)
	out["projection_catchup_ratio"] = round2(got / base)
	fmt.Fprintf(o.progress, "bench: catch-up %.0f events/s, baseline %.0f events/s\n", got, base)
	return nil
}

// backlog appends workers call scripts' worth of events (perWorker each,
// workers concurrently, nothing consuming) and returns how many.
func (w *lagWorld) backlog(ctx context.Context, workers, perWorker int) (int, error) {
	var wg sync.WaitGroup
	errs := make(chan error, workers)
	for wk := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s := newCallScript(w.users[wk%len(w.users)], w.persona)
			for range perWorker {
				stream, version, ev, _ := s.next()
				if _, err := w.d.store.Append(ctx, stream, version, newBenchEvents([]domain.Event{ev})...); err != nil {
					errs <- err
					return
				}
				s.applied(ev)
			}
		}()
	}
	wg.Wait()
	close(errs)
	if err := <-errs; err != nil {
		return 0, err
	}
	return workers * perWorker, nil
}

// reachProbe waits until every read-model consumer has committed past head.
type reachProbe struct {
	head    eventstore.Position
	want    int // read-model consumers
	mu      sync.Mutex
	reached map[string]bool
	done    chan struct{}
}

func newReachProbe(head eventstore.Position) *reachProbe {
	return &reachProbe{head: head, want: len(projections.ReadModels()), reached: map[string]bool{}, done: make(chan struct{})}
}

func (r *reachProbe) committed(name string, pos eventstore.Position) {
	if pos.Less(r.head) {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.reached[name] {
		return
	}
	r.reached[name] = true
	if len(r.reached) == r.want {
		close(r.done)
	}
}

func (r *reachProbe) wait(ctx context.Context, limit time.Duration) error {
	select {
	case <-r.done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	case <-time.After(limit):
		return fmt.Errorf("not caught up after %s", limit)
	}
}
