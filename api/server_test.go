package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sparrow-coach/sparrow/api"
	"github.com/sparrow-coach/sparrow/app"
	"github.com/sparrow-coach/sparrow/domain"
	"github.com/sparrow-coach/sparrow/integrations/resilience"
)

func TestConfigValidate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		cfg  api.Config
		want string
	}{
		{name: "wildcard origin", cfg: api.Config{AllowedOrigins: []string{"*"}}, want: `"*" is refused`},
		{name: "origin with a path", cfg: api.Config{AllowedOrigins: []string{"https://app.example.com/x"}}, want: "scheme://host"},
		{name: "origin without scheme", cfg: api.Config{AllowedOrigins: []string{"app.example.com"}}, want: "scheme://host"},
		{name: "tiny body limit", cfg: api.Config{MaxBodyBytes: 10}, want: "max body bytes"},
		{name: "negative rate", cfg: api.Config{RateLimit: api.RateLimitConfig{PerSecond: -1}}, want: "rate limit"},
		{name: "negative timeout", cfg: api.Config{ShutdownTimeout: -time.Second}, want: "shutdown timeout"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := api.New(api.Deps{}, tt.cfg)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
		})
	}
	_, err := api.New(api.Deps{}, api.Config{})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "app is required")
}

func TestRequestID(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	tok := e.newUser(t)
	tests := []struct {
		name, incoming string
		kept           bool
	}{
		{name: "absent", incoming: ""},
		{name: "sane", incoming: "trace-1234.abcd:ef", kept: true},
		{name: "too short", incoming: "abc"},
		{name: "bad characters", incoming: "id with spaces and <script>"},
		{name: "too long", incoming: strings.Repeat("a", 200)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, path := range []string{"/api/user/profile", "/api/calls/not-a-uuid", "/api/nothing-here"} {
				r := e.send(t, request{method: http.MethodGet, path: path, token: tok, header: map[string]string{api.HeaderRequestID: tt.incoming}})
				got := r.header.Get(api.HeaderRequestID)
				if tt.kept {
					assert.Equal(t, tt.incoming, got)
				} else {
					assert.Regexp(t, `^req_[0-9A-V]{24}$`, got)
				}
			}
		})
	}
	a := e.get(t, "/api/user/profile", tok).header.Get(api.HeaderRequestID)
	b := e.get(t, "/api/user/profile", tok).header.Get(api.HeaderRequestID)
	assert.NotEqual(t, a, b, "generated ids are unique")
}

func TestCORS(t *testing.T) {
	t.Parallel()
	e := newEnv(t, func(o *envOptions) { o.cfg.AllowedOrigins = []string{"https://app.example.com"} })
	tok := e.newUser(t)
	ok := e.send(t, request{method: http.MethodGet, path: "/api/user/profile", token: tok, header: map[string]string{"Origin": "https://app.example.com"}})
	assert.Equal(t, http.StatusOK, ok.status)
	assert.Equal(t, "https://app.example.com", ok.header.Get("Access-Control-Allow-Origin"))
	assert.Equal(t, "true", ok.header.Get("Access-Control-Allow-Credentials"))
	assert.Contains(t, ok.header.Get("Access-Control-Expose-Headers"), api.HeaderRequestID)

	for _, origin := range []string{"https://evil.example.com", "https://app.example.com.evil.io", "null"} {
		r := e.send(t, request{method: http.MethodGet, path: "/api/user/profile", token: tok, header: map[string]string{"Origin": origin}})
		assert.Empty(t, r.header.Get("Access-Control-Allow-Origin"), origin)
	}

	pre, err := http.NewRequest(http.MethodOptions, e.http.URL+"/api/calls", nil)
	require.NoError(t, err)
	pre.Header.Set("Origin", "https://app.example.com")
	pre.Header.Set("Access-Control-Request-Method", "POST")
	pre.Header.Set("Access-Control-Request-Headers", "authorization,content-type")
	resp, err := http.DefaultClient.Do(pre)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusNoContent, resp.StatusCode)
	assert.Equal(t, "https://app.example.com", resp.Header.Get("Access-Control-Allow-Origin"))
	assert.Contains(t, resp.Header.Get("Access-Control-Allow-Methods"), "POST")
	assert.Contains(t, strings.ToLower(resp.Header.Get("Access-Control-Allow-Headers")), "authorization")
}

func TestRateLimitPerUserOnWrites(t *testing.T) {
	t.Parallel()
	e := newEnv(t, func(o *envOptions) { o.cfg.RateLimit = api.RateLimitConfig{PerSecond: 0.1, Burst: 3} })
	tok, other := e.newUser(t), e.newUser(t)
	for range 3 {
		e.createCall(t, tok)
	}
	r := e.post(t, "/api/calls", tok, map[string]any{"mode": "cold_call", "personaId": presetID})
	assertError(t, r, http.StatusTooManyRequests, api.CodeRateLimited, "")
	// One token every 10 s (slow enough that a loaded machine cannot refill the bucket during the three
	// creates): the next one is at most 10 s away, less when the creates took a while.
	wait, err := strconv.Atoi(r.header.Get("Retry-After"))
	require.NoError(t, err, "Retry-After: %q", r.header.Get("Retry-After"))
	assert.True(t, wait >= 1 && wait <= 10, "Retry-After %d, want the seconds to the next token (1 to 10)", wait)

	// Reads are not limited, and other users have their own bucket.
	for range 5 {
		decode[api.CallList](t, e.get(t, "/api/calls", tok), http.StatusOK)
	}
	e.createCall(t, other)

	// Local sign-in is limited by client address.
	for i := range 4 {
		r := e.post(t, "/api/dev/session", "", map[string]any{"email": fmt.Sprintf("ip%d@example.com", i)})
		if i < 3 {
			assert.Equal(t, http.StatusOK, r.status)
		} else {
			assertError(t, r, http.StatusTooManyRequests, api.CodeRateLimited, "")
		}
	}
}

func TestBadRequestsInGeneral(t *testing.T) {
	t.Parallel()
	e := newEnv(t, func(o *envOptions) { o.cfg.MaxBodyBytes = 4096 })
	tok := e.newUser(t)
	c := e.startedCall(t, tok)
	before := e.countEvents(t)

	t.Run("announced body over the limit is refused unread", func(t *testing.T) {
		big := `{"role":"user","content":"` + strings.Repeat("x", 5000) + `","timestampMs":1}`
		assertError(t, e.post(t, "/api/calls/"+c.ID+"/transcript", tok, big), http.StatusBadRequest, api.CodeValidation, "body")
	})
	t.Run("chunked body over the limit", func(t *testing.T) {
		big := `{"role":"user","content":"` + strings.Repeat("x", 5000) + `","timestampMs":1}`
		req, err := http.NewRequest(http.MethodPost, e.http.URL+"/api/calls/"+c.ID+"/transcript", struct{ *strings.Reader }{strings.NewReader(big)})
		require.NoError(t, err)
		req.ContentLength = -1 // chunked
		req.Header.Set("Authorization", "Bearer "+tok)
		req.Header.Set("Content-Type", "application/json")
		resp, err := e.client.Do(req)
		require.NoError(t, err)
		defer resp.Body.Close()
		assert.Equal(t, http.StatusBadRequest, resp.StatusCode)
	})
	t.Run("unknown route", func(t *testing.T) {
		assertError(t, e.get(t, "/api/nothing", tok), http.StatusNotFound, api.CodeNotFound, "")
		assertError(t, e.get(t, "/nothing", ""), http.StatusNotFound, api.CodeNotFound, "")
	})
	t.Run("unsupported method", func(t *testing.T) {
		assertError(t, e.send(t, request{method: http.MethodDelete, path: "/api/calls/" + c.ID, token: tok}), http.StatusNotFound, api.CodeNotFound, "")
	})
	t.Run("JSON null body", func(t *testing.T) {
		assertError(t, e.post(t, "/api/calls", tok, "null"), http.StatusBadRequest, api.CodeValidation, "mode")
	})
	assert.Equal(t, before, e.countEvents(t))
}

// slowScorer blocks until released, to hold a request in flight.
type slowScorer struct {
	entered chan struct{}
	release chan struct{}
}

func (s slowScorer) QuickScore(ctx context.Context, in domain.ScoreInput) (domain.QuickScore, error) {
	s.entered <- struct{}{}
	<-s.release
	return fixedScorer{}.QuickScore(ctx, in)
}

func TestServeDrainsRequestsInFlight(t *testing.T) {
	t.Parallel()
	sc := slowScorer{entered: make(chan struct{}, 1), release: make(chan struct{})}
	e := newEnv(t, func(o *envOptions) { o.scorer = sc })
	tok := e.newUser(t)
	c := e.startedCall(t, tok)

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- e.server.Serve(ctx, ln) }()

	status := make(chan int, 1)
	go func() {
		req, _ := http.NewRequest(http.MethodPost, "http://"+ln.Addr().String()+"/api/calls/"+c.ID+"/end", nil)
		req.Header.Set("Authorization", "Bearer "+tok)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			status <- 0
			return
		}
		resp.Body.Close()
		status <- resp.StatusCode
	}()
	<-sc.entered // the request is in the handler
	cancel()     // shutdown begins
	time.Sleep(100 * time.Millisecond)
	select {
	case <-served:
		require.FailNow(t, "Serve returned with a request in flight")
	default:
	}
	close(sc.release)
	assert.Equal(t, http.StatusOK, <-status, "the request in flight completes")
	assert.NoError(t, <-served)
}

// syncBuffer collects log output from many goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) lines(t testing.TB) []map[string]any {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []map[string]any
	for _, l := range bytes.Split(bytes.TrimSpace(s.b.Bytes()), []byte("\n")) {
		if len(l) == 0 {
			continue
		}
		var m map[string]any
		require.NoError(t, json.Unmarshal(l, &m), "log lines are JSON: %s", l)
		out = append(out, m)
	}
	return out
}

type failingScorer struct{ err error }

func (f failingScorer) QuickScore(context.Context, domain.ScoreInput) (domain.QuickScore, error) {
	if f.err == nil {
		panic("scorer exploded with secret sk_live_123")
	}
	return domain.QuickScore{}, f.err
}

// 5xx answers show no internals and are logged once, with their cause and the
// request id (errors, or warnings for a failing provider); 4xx are not.
func TestServerErrorsAndLogs(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		scorer app.QuickScorer
		status int
		code   string
	}{
		{name: "external service fails", scorer: failingScorer{err: resilience.Retryable(errors.New("groq: 503 upstream secret-detail"))},
			status: http.StatusBadGateway, code: api.CodeExternalService},
		{name: "unexpected error", scorer: failingScorer{err: errors.New("disk on fire secret-detail")},
			status: http.StatusInternalServerError, code: api.CodeInternal},
		{name: "panic", scorer: failingScorer{}, status: http.StatusInternalServerError, code: api.CodeInternal},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var logs syncBuffer
			e := newEnv(t, func(o *envOptions) {
				o.scorer = tt.scorer
				o.logger = slog.New(slog.NewJSONHandler(&logs, nil))
			})
			tok := e.newUser(t)
			c := e.startedCall(t, tok)
			assertError(t, e.get(t, "/api/calls/not-a-uuid", tok), http.StatusBadRequest, api.CodeValidation, "id")
			r := e.post(t, "/api/calls/"+c.ID+"/end", tok, nil)
			assertError(t, r, tt.status, tt.code, "")
			assert.NotContains(t, string(r.body), "secret")
			assert.NotContains(t, string(r.body), "sk_live")
			rid := r.header.Get(api.HeaderRequestID)

			var access int
			for _, l := range e.logs(t, &logs) {
				assert.NotEmpty(t, l["request_id"], "every request log line names its request: %v", l)
				if l["level"] == "ERROR" || l["level"] == "WARN" {
					assert.Equal(t, rid, l["request_id"], "only the 5xx request logs a problem: %v", l)
				}
				if l["msg"] == "request" && l["request_id"] == rid {
					access++
					assert.Equal(t, float64(tt.status), l["status"])
					assert.Equal(t, "/api/calls/:id/end", l["route"])
					assert.Contains(t, l["err"], "secret", "the one line of a failed request carries its cause")
					want := "ERROR"
					if tt.status == http.StatusBadGateway {
						want = "WARN" // a provider that is down: expected, answered by the thousand in an outage
					}
					assert.Equal(t, want, l["level"])
				}
			}
			assert.Equal(t, 1, access, "one line per failed request")
		})
	}
}

// logs returns the request log lines (those with a method) and error lines.
func (e *env) logs(t testing.TB, b *syncBuffer) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, l := range b.lines(t) {
		if _, ok := l["request_id"]; ok || l["level"] == "ERROR" {
			out = append(out, l)
		}
	}
	return out
}

// An access log line names its user once (the request logger carries it).
func TestRequestLogNamesTheUserOnce(t *testing.T) {
	t.Parallel()
	var logs syncBuffer
	e := newEnv(t, func(o *envOptions) { o.logger = slog.New(slog.NewJSONHandler(&logs, nil)) })
	tok := e.newUser(t)
	r := e.get(t, "/api/user/profile", tok)
	require.Equal(t, http.StatusOK, r.status, "body: %s", r.body)
	rid := r.header.Get(api.HeaderRequestID)
	logs.mu.Lock()
	raw := logs.b.String()
	logs.mu.Unlock()
	var found int
	for _, l := range strings.Split(raw, "\n") {
		if strings.Contains(l, `"msg":"request"`) && strings.Contains(l, rid) {
			found++
			assert.Equal(t, 1, strings.Count(l, `"user_id":`), "line: %s", l)
		}
	}
	assert.Equal(t, 1, found)
}
