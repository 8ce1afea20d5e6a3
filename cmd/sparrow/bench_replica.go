package main

import (
	"context"
	"fmt"
	"os"
	"time"
)

// benchReplica measures write latency through two `sparrow serve` processes
// on one database (this binary, or o.serverBin), each write sent to them in
// turn and timed until it is acknowledged (read-your-writes included),
// beside the same writes through one process alone, measured first in the
// same run. A write is a call created, or a line posted to it.
func benchReplica(ctx context.Context, url string, o benchOpts, out map[string]any) error {
	bin := o.serverBin
	if bin == "" {
		var err error
		if bin, err = os.Executable(); err != nil {
			return err
		}
	}
	dir, err := os.MkdirTemp("", "sparrow-bench-replica-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	var procs []*replicaProc
	defer func() {
		for _, p := range procs {
			p.Stop()
		}
	}()
	start := func() (*replicaProc, error) {
		// One data directory for both, as on one host: an older binary
		// (--server-bin) keeps its sign-in key there, not in the database.
		p, err := newReplicaProc(bin, url, dir)
		if err != nil {
			return nil, err
		}
		procs = append(procs, p)
		return p, p.Start(ctx)
	}
	a, err := start()
	if err != nil {
		return err
	}
	c := newReplicaClient()
	if err := c.signIn(ctx, a.URL(), "bench-replica@example.com"); err != nil {
		return err
	}
	persona, err := c.presetPersona(ctx, a.URL())
	if err != nil {
		return err
	}
	writes := max(40, int(o.duration/(100*time.Millisecond))) // 200 at the default 20 s
	fmt.Fprintf(o.progress, "bench: replica: %d writes through one process\n", writes)
	single, err := replicaWrites(ctx, c, []string{a.URL()}, persona, writes)
	if err != nil {
		return fmt.Errorf("one replica: %w", err)
	}
	b, err := start()
	if err != nil {
		return err
	}
	urls := []string{a.URL(), b.URL()}
	creates := make([]time.Duration, 0, 40)
	for i := range 40 {
		t0 := time.Now()
		if _, err := c.createCall(ctx, urls[i%2], persona); err != nil {
			return fmt.Errorf("create through replica %d: %w", i%2, err)
		}
		creates = append(creates, time.Since(t0))
	}
	fmt.Fprintf(o.progress, "bench: replica: %d writes through two processes in turn\n", writes)
	two, err := replicaWrites(ctx, c, urls, persona, writes)
	if err != nil {
		return fmt.Errorf("two replicas: %w", err)
	}
	out["replica_write_p99_ms"] = percentile(two, 99)
	out["replica_write_p50_ms"] = percentile(two, 50)
	out["replica_write_max_ms"] = percentile(two, 100)
	out["replica_write_p99_ms_single"] = percentile(single, 99)
	out["replica_write_p50_ms_single"] = percentile(single, 50)
	out["replica_create40_p99_ms"] = percentile(creates, 99)
	out["replica_create40_max_ms"] = percentile(creates, 100)
	out["replica_writes"] = writes
	return nil
}

// replicaWrites makes n writes through urls in turn, one at a time: a call
// created, then lines posted to it (a new call every tenth write); it
// returns each write's latency.
func replicaWrites(ctx context.Context, c *replicaClient, urls []string, persona string, n int) ([]time.Duration, error) {
	lat := make([]time.Duration, 0, n)
	var call string
	for i := range n {
		base := urls[i%len(urls)]
		t0 := time.Now()
		var err error
		switch {
		case i%10 == 0:
			call, err = c.createCall(ctx, base, persona)
		case i%10 == 1:
			err = c.startCall(ctx, base, call)
		default:
			err = c.postLine(ctx, base, call, fmt.Sprintf("line %d of the replica benchmark", i), i*1000)
		}
		if err != nil {
			return nil, fmt.Errorf("write %d through %s: %w", i, base, err)
		}
		lat = append(lat, time.Since(t0))
	}
	return lat, nil
}
