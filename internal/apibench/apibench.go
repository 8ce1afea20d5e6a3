// Package apibench measures the API's latency from the outside, over HTTP:
// open-loop load at a fixed rate (each request is timed from the moment it
// was due, so a slow server cannot hide its queueing), and the delay between
// a transcript POST being accepted and its SSE event reaching a subscriber.
// `sparrow bench` runs it against an in-process server (api.New(...).Handler()
// behind httptest) and the API tests use it for their benchmarks.
//
// The server under test should run with its write rate limit disabled
// (api.RateLimitConfig.Disabled): the loads come from a few users.
package apibench

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"
)

// Client talks to one API server.
type Client struct {
	// BaseURL is the server's root ("http://127.0.0.1:8080").
	BaseURL string
	// HTTP sends the requests; New gives it enough idle connections for
	// the loads (http.DefaultClient keeps only two per host).
	HTTP *http.Client
}

// New returns a client for the server at baseURL.
func New(baseURL string) Client {
	return Client{BaseURL: strings.TrimRight(baseURL, "/"), HTTP: &http.Client{Transport: &http.Transport{
		MaxIdleConns: 1024, MaxIdleConnsPerHost: 1024, IdleConnTimeout: time.Minute}}}
}

func (c Client) http() *http.Client {
	if c.HTTP != nil {
		return c.HTTP
	}
	return http.DefaultClient
}

// Result summarises the latencies of one run.
type Result struct {
	Requests int
	Errors   int
	// FirstError describes the first failure ("" when none).
	FirstError         string
	P50, P90, P99, Max time.Duration
	// Rate is the achieved request rate per second.
	Rate float64
}

// Summarize computes percentiles (nearest rank) of latencies.
func Summarize(lat []time.Duration, errs int, elapsed time.Duration) Result {
	r := Result{Requests: len(lat) + errs, Errors: errs}
	if elapsed > 0 {
		r.Rate = float64(r.Requests) / elapsed.Seconds()
	}
	if len(lat) == 0 {
		return r
	}
	s := slices.Clone(lat)
	slices.Sort(s)
	at := func(p float64) time.Duration {
		i := int(p*float64(len(s))+0.999999) - 1
		return s[max(0, min(i, len(s)-1))]
	}
	r.P50, r.P90, r.P99, r.Max = at(0.50), at(0.90), at(0.99), s[len(s)-1]
	return r
}

func (r Result) String() string {
	return fmt.Sprintf("%d requests (%d errors) at %.0f/s: p50 %s, p90 %s, p99 %s, max %s",
		r.Requests, r.Errors, r.Rate, r.P50, r.P90, r.P99, r.Max)
}

// do sends one JSON request and decodes a 2xx answer into out (when not nil).
func (c Client) do(ctx context.Context, method, path, token string, body, out any) error {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.BaseURL+path, rd)
	if err != nil {
		return err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := c.http().Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("%s %s: %d %s", method, path, resp.StatusCode, bytes.TrimSpace(b))
	}
	if out != nil {
		return json.Unmarshal(b, out)
	}
	return nil
}

// SignIn gets a local sign-in token (POST /api/dev/session).
func (c Client) SignIn(ctx context.Context, email string) (string, error) {
	var s struct {
		Token string `json:"token"`
	}
	err := c.do(ctx, http.MethodPost, "/api/dev/session", "", map[string]string{"email": email, "fullName": "Bench"}, &s)
	return s.Token, err
}

// StartCalls creates n calls with the persona and starts them; it returns their ids.
func (c Client) StartCalls(ctx context.Context, token, personaID string, n int) ([]string, error) {
	ids := make([]string, 0, n)
	for range n {
		var call struct {
			ID string `json:"id"`
		}
		if err := c.do(ctx, http.MethodPost, "/api/calls", token, map[string]string{"mode": "cold_call", "personaId": personaID}, &call); err != nil {
			return ids, err
		}
		if err := c.do(ctx, http.MethodPatch, "/api/calls/"+call.ID, token, map[string]string{"status": "in_progress"}, nil); err != nil {
			return ids, err
		}
		ids = append(ids, call.ID)
	}
	return ids, nil
}

// openLoop calls op at rate per second for d (op(i) gets the request
// number) and times each call from the moment it was due.
func openLoop(ctx context.Context, rate float64, d time.Duration, op func(ctx context.Context, i int) error) Result {
	interval := time.Duration(float64(time.Second) / rate)
	n := int(d / interval)
	var (
		mu        sync.Mutex
		lat       = make([]time.Duration, 0, n)
		errs      int
		firstErr  string
		wg        sync.WaitGroup
		start     = time.Now()
		deadlineC = ctx.Done()
	)
loop:
	for i := range n {
		due := start.Add(time.Duration(i) * interval)
		if w := time.Until(due); w > 0 {
			select {
			case <-time.After(w):
			case <-deadlineC:
				break loop
			}
		}
		wg.Go(func() {
			err := op(ctx, i)
			took := time.Since(due)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				errs++
				if firstErr == "" {
					firstErr = err.Error()
				}
				return
			}
			lat = append(lat, took)
		})
	}
	wg.Wait()
	r := Summarize(lat, errs, time.Since(start))
	r.FirstError = firstErr
	return r
}

// GetCall loads GET /api/calls/:id at rate per second for d.
func (c Client) GetCall(ctx context.Context, token, callID string, rate float64, d time.Duration) Result {
	return openLoop(ctx, rate, d, func(ctx context.Context, _ int) error {
		return c.do(ctx, http.MethodGet, "/api/calls/"+callID, token, nil, nil)
	})
}

// PostTranscript loads POST /api/calls/:id/transcript at rate per second for
// d, spreading the lines over the calls round-robin.
func (c Client) PostTranscript(ctx context.Context, token string, callIDs []string, rate float64, d time.Duration) Result {
	if len(callIDs) == 0 {
		return Result{Errors: 1, FirstError: "no calls"}
	}
	return openLoop(ctx, rate, d, func(ctx context.Context, i int) error {
		line := map[string]any{"role": "user", "content": fmt.Sprintf("bench line %d", i), "timestampMs": i}
		return c.do(ctx, http.MethodPost, "/api/calls/"+callIDs[i%len(callIDs)]+"/transcript", token, line, nil)
	})
}

// SSEResult times transcript lines from POST to their SSE event.
type SSEResult struct {
	// FromAccepted is from the POST's answer to the event (0 when the event
	// came first: delivery is woken by the commit, before the POST returns).
	FromAccepted Result
	// FromSent is from sending the POST to the event.
	FromSent Result
}

// SSEDelivery subscribes to the call's stream, posts n transcript lines one
// every interval, and times each line's arrival on the stream.
func (c Client) SSEDelivery(ctx context.Context, token, callID string, n int, interval time.Duration) (SSEResult, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.BaseURL+"/api/calls/"+callID+"/stream", nil)
	if err != nil {
		return SSEResult{}, err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Accept", "text/event-stream")
	resp, err := c.http().Do(req)
	if err != nil {
		return SSEResult{}, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return SSEResult{}, fmt.Errorf("stream: %d", resp.StatusCode)
	}
	marker := fmt.Sprintf("sse-bench-%d-", time.Now().UnixNano())
	arrived := make(chan struct {
		i  int
		at time.Time
	}, n)
	go func() {
		EachLineContent(resp.Body, func(content string) bool {
			var i int
			if _, err := fmt.Sscanf(strings.TrimPrefix(content, marker), "%d", &i); err == nil && strings.HasPrefix(content, marker) {
				arrived <- struct {
					i  int
					at time.Time
				}{i, time.Now()}
			}
			return true
		})
	}()
	// Let the stream replay what the call already holds.
	time.Sleep(200 * time.Millisecond)

	var fromAccepted, fromSent []time.Duration
	errs := 0
	start := time.Now()
	for i := range n {
		sent := time.Now()
		err := c.do(ctx, http.MethodPost, "/api/calls/"+callID+"/transcript", token,
			map[string]any{"role": "assistant", "content": fmt.Sprintf("%s%d", marker, i), "timestampMs": i}, nil)
		accepted := time.Now()
		if err != nil {
			errs++
			continue
		}
		select {
		case a := <-arrived:
			if a.i != i {
				return SSEResult{}, fmt.Errorf("line %d arrived while waiting for %d", a.i, i)
			}
			fromSent = append(fromSent, a.at.Sub(sent))
			fromAccepted = append(fromAccepted, max(0, a.at.Sub(accepted)))
		case <-time.After(5 * time.Second):
			return SSEResult{}, errors.New("a transcript line did not arrive on the stream within 5s")
		}
		time.Sleep(interval)
	}
	elapsed := time.Since(start)
	return SSEResult{FromAccepted: Summarize(fromAccepted, errs, elapsed), FromSent: Summarize(fromSent, errs, elapsed)}, nil
}

// EachLineContent reads an SSE stream and calls fn with the content of each
// frame that carries one (transcript lines), in order, until the stream
// ends or fn returns false.
func EachLineContent(r io.Reader, fn func(content string) bool) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		data, ok := strings.CutPrefix(sc.Text(), "data: ")
		if !ok {
			continue
		}
		var f struct {
			Content string `json:"content"`
		}
		if json.Unmarshal([]byte(data), &f) == nil && f.Content != "" && !fn(f.Content) {
			return
		}
	}
}
