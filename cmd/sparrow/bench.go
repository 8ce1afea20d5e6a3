package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"os"
	"runtime"
	"runtime/pprof"
	"sort"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// The benchmark runs every measurement against a scratch database on the
// same server (created and dropped here), prints progress to stderr and one
// JSON object as the LAST line of stdout. Baselines are measured in the same
// run, because these machines are noisy.

type benchOpts struct {
	duration      time.Duration // each timed phase
	rebuildEvents int           // size of the large rebuild
	batchSize     int           // projection batch size (0: the runner's default)
	lagRate       int           // the lag phase's append rate
	serverBin     string        // the binary the replica phase runs (default: this one)
	rssServer     string        // the server binary of the rss phase ("": this one)
	progress      io.Writer
}

func cmdBench(ctx context.Context, e env, args []string) error {
	fs := newFlags(e, "bench", "[--duration 20s] [--rebuild-events 1000000] [--only a,b]")
	dur := fs.Duration("duration", 20*time.Second, "length of each timed phase")
	rebuildN := fs.Int("rebuild-events", 1_000_000, "events in the large rebuild (the small one is a fifth of it)")
	only := fs.String("only", "", "comma-separated phases: append, lag, capacity, catchup, rebuild, score, api, rss, web, replica (default all)")
	lagRate := fs.Int("lag-rate", 1000, "events/s the lag phase appends (the target is stated at 1,000; other rates help study the capacity)")
	batch := fs.Int("batch", 0, "projection batch size for the lag and capacity phases (default: the runner's)")
	serverBin := fs.String("server-bin", "", "sparrow binary the replica phase starts twice (default: this one; another version compares)")
	rssServer := fs.String("rss-server", "", "the sparrow binary the rss phase runs as its server (default: this one; an older build gives a baseline)")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the whole run to this file (go tool pprof reads it)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *lagRate < 1 {
		return &exitError{code: 2, msg: fmt.Sprintf("--lag-rate must be at least 1 event/s, not %d", *lagRate)}
	}
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	c, err := configFromEnv(e.getenv)
	if err != nil {
		return err
	}
	o := benchOpts{duration: *dur, rebuildEvents: *rebuildN, batchSize: *batch, lagRate: *lagRate, serverBin: *serverBin, rssServer: *rssServer, progress: e.stderr}
	want := func(phase string) bool { return *only == "" || strings.Contains(","+*only+",", ","+phase+",") }

	base, err := databaseURL(ctx, c, e.stderr)
	if err != nil {
		return err
	}
	out := map[string]any{}
	host, _ := os.Hostname()
	out["machine"] = fmt.Sprintf("%s, %d CPUs, %s/%s, %s", host, runtime.NumCPU(), runtime.GOOS, runtime.GOARCH, runtime.Version())

	phases := []struct {
		name string
		run  func(context.Context, string, benchOpts, map[string]any) error
		// projectors: the phase runs the server's projectors in this
		// process, so it runs with the server's collector target (serverGC).
		projectors bool
	}{
		{"append", benchAppend, false},
		{"lag", benchLag, true},
		{"capacity", benchCapacity, true},
		{"catchup", benchCatchup, true},
		{"rebuild", benchRebuild, false},
		{"score", benchScore, false},
		{"api", benchAPI, false},
		{"rss", benchRSS, false},
		{"web", benchWeb, false},
		{"replica", benchReplica, false},
	}
	for _, ph := range phases {
		if !want(ph.name) {
			continue
		}
		fmt.Fprintf(e.stderr, "bench: %s\n", ph.name)
		restore := func() {}
		if ph.projectors {
			restore = serverGC(e.getenv)
		}
		err := withScratchDB(ctx, base, func(url string) error { return ph.run(ctx, url, o, out) })
		restore()
		if err != nil {
			return fmt.Errorf("bench %s: %w", ph.name, err)
		}
	}
	b, err := json.Marshal(out)
	if err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, string(b))
	return nil
}

// withScratchDB creates an empty database next to base, runs fn on it and drops it.
func withScratchDB(ctx context.Context, base string, fn func(url string) error) error {
	u, err := url.Parse(base)
	if err != nil {
		return err
	}
	name := fmt.Sprintf("sparrow_bench_%d", time.Now().UnixNano())
	admin := *u
	admin.Path = "/postgres"
	conn, err := pgx.Connect(ctx, admin.String())
	if err != nil {
		return err
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(ctx, `CREATE DATABASE `+name); err != nil {
		return err
	}
	defer conn.Exec(context.Background(), `DROP DATABASE IF EXISTS `+name+` WITH (FORCE)`) //nolint:errcheck
	scratch := *u
	scratch.Path = "/" + name
	return fn(scratch.String())
}

// percentile returns the p-th percentile (0..100) of samples, in milliseconds.
func percentile(samples []time.Duration, p float64) float64 {
	if len(samples) == 0 {
		return 0
	}
	s := append([]time.Duration(nil), samples...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	i := int(float64(len(s)-1) * p / 100)
	return round2(float64(s[i]) / float64(time.Millisecond))
}

func round2(f float64) float64 { return float64(int64(f*100+0.5)) / 100 }
