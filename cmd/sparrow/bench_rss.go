package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/sparrow-coach/sparrow/domain"
	"github.com/sparrow-coach/sparrow/domain/coaching/personas"
	"github.com/sparrow-coach/sparrow/internal/apibench"
)

// rssStreams is how many SSE streams the rss phase opens on the full call.
const rssStreams = 20

// benchRSS measures the memory of a server process holding a call at its
// maximum size (domain.MaxCallLines lines, domain.MaxCallBytes of text)
// while 20 SSE streams without Last-Event-ID replay its whole history and a
// client reads GET /events page by page. The server is a child process
// (`sparrow serve`, this binary unless --rss-server names another, e.g. an
// older build for a baseline), so its RSS is its own: VmHWM (the peak over
// its life, the call's filling included) and VmRSS sampled every 20 ms.
func benchRSS(ctx context.Context, url string, o benchOpts, out map[string]any) error {
	exe := o.rssServer
	if exe == "" {
		var err error
		if exe, err = os.Executable(); err != nil {
			return err
		}
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	dir, err := os.MkdirTemp("", "sparrow-bench-rss")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	cmd := exec.CommandContext(ctx, exe, "serve")
	cmd.Env = append(os.Environ(), "DATABASE_URL="+url, "PORT="+strconv.Itoa(port), "HOST=127.0.0.1", "SPARROW_DATA_DIR="+dir,
		"LOG_LEVEL=error", "SPARROW_WRITE_RATE_PER_MIN=1000000")
	cmd.Stdout, cmd.Stderr = io.Discard, o.progress
	if err := cmd.Start(); err != nil {
		return err
	}
	pid := cmd.Process.Pid
	defer func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		_ = cmd.Wait()
	}()
	base := "http://127.0.0.1:" + strconv.Itoa(port)
	if err := waitHealthy(ctx, base, time.Minute); err != nil {
		return err
	}
	c := apibench.New(base)
	token, err := c.SignIn(ctx, "bench-rss@example.com")
	if err != nil {
		return err
	}
	calls, err := c.StartCalls(ctx, token, personas.Presets()[0].ID, 1)
	if err != nil {
		return err
	}
	call := calls[0]
	start, _ := procStatusKB(pid, "VmRSS")

	fmt.Fprintf(o.progress, "bench: rss: filling a call to %d lines and %d bytes of text\n", domain.MaxCallLines, domain.MaxCallBytes)
	version, err := fillCall(ctx, c, token, call)
	if err != nil {
		return err
	}
	full, _ := procStatusKB(pid, "VmRSS")

	// Sample VmRSS while the streams and the paged read run.
	var peak int
	sampleCtx, stopSampling := context.WithCancel(ctx)
	sampled := make(chan struct{})
	go func() {
		defer close(sampled)
		t := time.NewTicker(20 * time.Millisecond)
		defer t.Stop()
		for {
			if kb, err := procStatusKB(pid, "VmRSS"); err == nil {
				peak = max(peak, kb)
			}
			select {
			case <-sampleCtx.Done():
				return
			case <-t.C:
			}
		}
	}()
	fmt.Fprintf(o.progress, "bench: rss: %d SSE streams without Last-Event-ID, then GET /events page by page\n", rssStreams)
	began := time.Now()
	streamsCtx, closeStreams := context.WithCancel(ctx)
	var wg sync.WaitGroup
	errs := make(chan error, rssStreams)
	replayed := make(chan struct{}, rssStreams)
	for range rssStreams {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := followToEnd(streamsCtx, c, token, call, domain.MaxCallLines, replayed); err != nil && streamsCtx.Err() == nil {
				errs <- err
			}
		}()
	}
	var replayErr error
	for range rssStreams {
		select {
		case <-replayed:
		case err := <-errs:
			replayErr = err
		case <-time.After(5 * time.Minute):
			replayErr = errors.New("the streams did not replay the call within 5 minutes")
		}
		if replayErr != nil {
			break
		}
	}
	streamed := time.Since(began)
	var pages, events int
	if replayErr == nil {
		pages, events, replayErr = readEventPages(ctx, c, token, call)
	}
	closeStreams()
	wg.Wait()
	stopSampling()
	<-sampled
	hwm, err := procStatusKB(pid, "VmHWM")
	if err != nil {
		return err
	}
	if replayErr != nil {
		return replayErr
	}
	if events != version {
		return fmt.Errorf("the paged /events read gave %d events, want %d", events, version)
	}
	mb := func(kb int) float64 { return round2(float64(kb) / 1024) }
	fmt.Fprintf(o.progress, "bench: rss: server VmRSS %.1f MB at start, %.1f MB with the full call, peak %.1f MB sampled with %d streams "+
		"(replayed in %s) and %d pages of /events; VmHWM %.1f MB\n", mb(start), mb(full), mb(peak), rssStreams, streamed.Round(time.Millisecond), pages, mb(hwm))
	out["rss_mb_max_call_20_streams"] = mb(hwm)
	out["rss_mb_max_call_20_streams_sampled"] = mb(peak)
	out["rss_mb_server_start"] = mb(start)
	out["rss_max_call_20_streams_replay_ms"] = round2(float64(streamed) / float64(time.Millisecond))
	return nil
}

// waitHealthy waits until the server at base answers /api/health with 200.
func waitHealthy(ctx context.Context, base string, within time.Duration) error {
	deadline := time.Now().Add(within)
	for {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, base+"/api/health", nil)
		if resp, err := http.DefaultClient.Do(req); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("the server did not answer /api/health within %s", within)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// fillCall posts domain.MaxCallLines lines holding exactly domain.MaxCallBytes
// of text to the call, in batches of 500, then checks that one more line
// is refused. It returns the call stream's version.
func fillCall(ctx context.Context, c apibench.Client, token, call string) (int, error) {
	const batch = 500
	per := domain.MaxCallBytes / domain.MaxCallLines
	last := domain.MaxCallBytes - (domain.MaxCallLines-1)*per
	for n := 0; n < domain.MaxCallLines; {
		entries := make([]map[string]any, 0, batch)
		for range batch {
			n++
			size := per
			if n == domain.MaxCallLines {
				size = last
			}
			text := fmt.Sprintf("line %05d ", n)
			text += strings.Repeat("lorem ipsum ", size/12+1)[:size-len(text)]
			role := "user"
			if n%2 == 0 {
				role = "assistant"
			}
			entries = append(entries, map[string]any{"role": role, "content": text, "timestampMs": n * 1000})
		}
		if status, body, err := post(ctx, c, token, "/api/calls/"+call+"/transcript", map[string]any{"entries": entries}); err != nil || status != http.StatusCreated {
			return 0, fmt.Errorf("fill the call: %d %s %v", status, body, err)
		}
	}
	status, body, err := post(ctx, c, token, "/api/calls/"+call+"/transcript", map[string]any{"role": "user", "content": "one too many", "timestampMs": 1})
	if err != nil {
		return 0, err
	}
	version := 2 + domain.MaxCallLines
	if status != http.StatusUnprocessableEntity {
		// A server without a maximum call size (a baseline build) takes it: say so and go on.
		fmt.Fprintf(os.Stderr, "bench: rss: a line past the maximum answered %d %s (want 422)\n", status, bytes.TrimSpace(body))
		version++
	}
	return version, nil
}

func post(ctx context.Context, c apibench.Client, token, path string, body any) (int, []byte, error) {
	b, err := json.Marshal(body)
	if err != nil {
		return 0, nil, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.BaseURL+path, bytes.NewReader(b))
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := c.HTTP.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	rb, err := io.ReadAll(resp.Body)
	return resp.StatusCode, rb, err
}

// followToEnd opens the call's stream without Last-Event-ID, signals
// replayed once lines transcript frames arrived (in order), and keeps
// reading until ctx ends.
func followToEnd(ctx context.Context, c apibench.Client, token, call string, lines int, replayed chan<- struct{}) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.BaseURL+"/api/calls/"+call+"/stream", nil)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Accept", "text/event-stream")
	resp, err := c.HTTP.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("stream: %d", resp.StatusCode)
	}
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	n, lastID := 0, 0
	for sc.Scan() {
		line := sc.Text()
		if id, ok := strings.CutPrefix(line, "id: "); ok {
			v, err := strconv.Atoi(id)
			if err != nil || v <= lastID {
				return fmt.Errorf("stream: id %q after %d", id, lastID)
			}
			lastID = v
		}
		if line == "event: transcript" {
			if n++; n == lines {
				replayed <- struct{}{}
			}
		}
	}
	if n < lines {
		return fmt.Errorf("stream ended after %d of %d lines: %v", n, lines, sc.Err())
	}
	return nil
}

// readEventPages reads the call's history through GET /events, following
// next (a server without pagination answers everything in one page).
func readEventPages(ctx context.Context, c apibench.Client, token, call string) (pages, events int, err error) {
	next := "/api/calls/" + call + "/events?limit=1000"
	for next != "" {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.BaseURL+next, nil)
		if err != nil {
			return pages, events, err
		}
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := c.HTTP.Do(req)
		if err != nil {
			return pages, events, err
		}
		var page struct {
			Events []json.RawMessage `json:"events"`
			Next   *string           `json:"next"`
		}
		err = json.NewDecoder(resp.Body).Decode(&page)
		resp.Body.Close()
		if err != nil || resp.StatusCode != http.StatusOK {
			return pages, events, fmt.Errorf("GET %s: %d %v", next, resp.StatusCode, err)
		}
		pages++
		events += len(page.Events)
		next = ""
		if page.Next != nil {
			next = *page.Next
		}
	}
	return pages, events, nil
}

// procStatusKB reads one "Name: N kB" field of /proc/PID/status.
func procStatusKB(pid int, field string) (int, error) {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		return 0, err
	}
	for _, l := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(l, field+":"); ok {
			return strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(v), " kB"))
		}
	}
	return 0, fmt.Errorf("/proc/%d/status has no %s", pid, field)
}
