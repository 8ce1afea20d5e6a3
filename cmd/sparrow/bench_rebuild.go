package main

import (
	"bytes"
	"context"
	"fmt"
	"hash/fnv"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/sparrow-coach/sparrow/app"
	"github.com/sparrow-coach/sparrow/domain"
	"github.com/sparrow-coach/sparrow/eventstore"
	"github.com/sparrow-coach/sparrow/internal/historygen"
	"github.com/sparrow-coach/sparrow/projections"
)

// benchRebuild: full rebuilds of every read table from realistic call
// histories: at a fifth of the size, then (after appending the rest) at the
// full size, to show the per-event cost does not grow with the log. The
// baseline, in the same run: a plain COPY of the rebuilt rows (taken out
// with COPY TO beforehand, in PostgreSQL's binary format, so no Go encoding
// is timed) into empty tables with the live tables' indexes and
// constraints; rebuild_vs_copy_ratio is the rebuild's events/s over the
// events/s that COPY amounts to. rebuild_peak_rss_mb is the process's peak
// resident memory during the large rebuild (the history generated for the
// appends already freed).
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
	if err := waitVisible(ctx, d.store, n1); err != nil {
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
	if err := waitVisible(ctx, d.store, n1+n2); err != nil {
		return err
	}
	runtime.GC()
	debug.FreeOSMemory()
	rssBefore := resetPeakRSS()
	r2, err := rb.Rebuild(ctx, projections.ReadModels())
	if err != nil {
		return err
	}
	rssPeak := peakRSS()
	copySecs, copyRows, err := benchCopyBaseline(ctx, d.pool, rebuiltTables())
	if err != nil {
		return fmt.Errorf("copy baseline: %w", err)
	}
	copyRate := float64(r2.Events) / copySecs
	fmt.Fprintf(o.progress, "bench: copy baseline: %d rows in %.3fs (%.0f events/s for %d events); rebuild peak RSS %d MB (%d MB before)\n",
		copyRows, copySecs, copyRate, r2.Events, rssPeak>>20, rssBefore>>20)
	if r1.Events != n1 || r2.Events != n1+n2 {
		return fmt.Errorf("rebuilds saw %d and %d events, want %d and %d", r1.Events, r2.Events, n1, n1+n2)
	}
	perEvent := func(r projections.RebuildReport) float64 { return r.Duration.Seconds() / float64(r.Events) }
	out["rebuild_events"] = r2.Events
	out["rebuild_events_per_s"] = round2(r2.EventsPerSecond())
	out["rebuild_small_events"] = r1.Events
	out["rebuild_small_events_per_s"] = round2(r1.EventsPerSecond())
	out["rebuild_per_event_cost_ratio"] = round2(perEvent(r2) / perEvent(r1))
	out["rebuild_copy_baseline_events_per_s"] = round2(copyRate)
	out["rebuild_copy_baseline_rows"] = copyRows
	out["rebuild_vs_copy_ratio"] = round2(r2.EventsPerSecond() / copyRate)
	if rssPeak > 0 {
		out["rebuild_peak_rss_mb"] = rssPeak >> 20
	}
	return nil
}

// waitVisible waits until n events lie below the log's horizon, which a
// long transaction anywhere on the cluster (another database's) holds back,
// so that the rebuild reads every event appended.
func waitVisible(ctx context.Context, store *eventstore.Store, n int) error {
	deadline := time.Now().Add(2 * time.Minute)
	for {
		b, err := store.Behind(ctx, eventstore.Position{}, 0, 0)
		if err != nil {
			return err
		}
		if b.Events >= n {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("only %d of %d events below the horizon after 2 minutes", b.Events, n)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// rebuiltTables lists the tables the read-model projectors rebuild.
func rebuiltTables() []string {
	var out []string
	for _, p := range projections.ReadModels() {
		out = append(out, p.Tables()...)
	}
	return out
}

// benchCopyBaseline takes the rows of tables out with COPY TO (binary, not
// timed), creates empty copies with the same indexes and constraints
// (LIKE ... INCLUDING ALL; foreign keys aside), and times COPY FROM of the
// same rows into them, table after table on one connection.
func benchCopyBaseline(ctx context.Context, pool *pgxpool.Pool, tables []string) (secs float64, rows int64, err error) {
	conn, err := pool.Acquire(ctx)
	if err != nil {
		return 0, 0, err
	}
	defer conn.Release()
	pg := conn.Conn().PgConn()
	data := make([]bytes.Buffer, len(tables))
	if _, err := conn.Exec(ctx, `CREATE SCHEMA copy_baseline`); err != nil {
		return 0, 0, err
	}
	defer func() { _, _ = pool.Exec(context.Background(), `DROP SCHEMA copy_baseline CASCADE`) }()
	for i, t := range tables {
		if _, err := pg.CopyTo(ctx, &data[i], `COPY public.`+t+` TO STDOUT (FORMAT binary)`); err != nil {
			return 0, 0, err
		}
		if _, err := conn.Exec(ctx, `CREATE TABLE copy_baseline.`+t+` (LIKE public.`+t+` INCLUDING ALL)`); err != nil {
			return 0, 0, err
		}
	}
	start := time.Now()
	for i, t := range tables {
		tag, err := pg.CopyFrom(ctx, &data[i], `COPY copy_baseline.`+t+` FROM STDIN (FORMAT binary)`)
		if err != nil {
			return 0, 0, fmt.Errorf("copy into %s: %w", t, err)
		}
		rows += tag.RowsAffected()
	}
	return time.Since(start).Seconds(), rows, nil
}

// resetPeakRSS resets the process's peak resident set size (Linux) and
// returns the current one; 0 where that is not available.
func resetPeakRSS() int64 {
	_ = os.WriteFile("/proc/self/clear_refs", []byte("5"), 0)
	return procStatusBytes("VmRSS:")
}

// peakRSS is the process's peak resident set size since the last reset.
func peakRSS() int64 { return procStatusBytes("VmHWM:") }

func procStatusBytes(field string) int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, field); ok {
			kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			if err != nil {
				return 0
			}
			return kb << 10
		}
	}
	return 0
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
