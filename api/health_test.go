package api_test

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sparrow-coach/sparrow/api"
	"github.com/sparrow-coach/sparrow/api/auth"
	"github.com/sparrow-coach/sparrow/app"
	"github.com/sparrow-coach/sparrow/eventstore"
)

func TestHealth(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.endedCall(t, e.newUser(t))
	h := decode[api.Health](t, e.get(t, "/api/health", ""), http.StatusOK)
	assert.Equal(t, "ok", h.Status)
	assert.Equal(t, "ok", h.Database.Status)
	require.NotEmpty(t, h.Projectors)
	names := map[string]bool{}
	for _, p := range h.Projectors {
		names[p.Name] = true
		assert.Nil(t, p.LastError)
		assert.GreaterOrEqual(t, p.LagEvents, int64(0))
	}
	assert.True(t, names["calls"], "projectors: %v", names)
	assert.True(t, names["users"], "projectors: %v", names)
}

func TestHealthWhenTheDatabaseIsDown(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	// Nothing listens on port 1: connecting is refused.
	pool, err := pgxpool.New(context.Background(), "postgres://sparrow@127.0.0.1:1/none?connect_timeout=2")
	require.NoError(t, err)
	t.Cleanup(pool.Close)
	store, err := eventstore.NewStore(pool, eventstore.StoreConfig{})
	require.NoError(t, err)
	a, err := app.New(store, app.Config{QuickScorer: fixedScorer{}})
	require.NoError(t, err)
	srv, err := api.New(api.Deps{App: a, LocalIssuer: e.issuer}, api.Config{})
	require.NoError(t, err)
	e.http.Config.Handler = srv.Handler()
	r := e.get(t, "/api/health", "")
	assertError(t, r, http.StatusServiceUnavailable, api.CodeUnavailable, "")
	assert.NotEmpty(t, r.header.Get("Retry-After"))
	assert.NotContains(t, string(r.body), "connection refused", "internals are not shown")
}

// A database that cannot be reached, or a closed pool, is 503 SERVICE_UNAVAILABLE on every route.
func TestUnreachableDatabaseIsServiceUnavailable(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	tok := e.newUser(t)
	cases := map[string]func(t *testing.T) *pgxpool.Pool{
		"nothing listens": func(t *testing.T) *pgxpool.Pool {
			cfg, err := pgxpool.ParseConfig("postgres://sparrow@127.0.0.1:1/none?connect_timeout=2")
			require.NoError(t, err)
			pool, err := pgxpool.NewWithConfig(context.Background(), cfg)
			require.NoError(t, err)
			t.Cleanup(pool.Close)
			return pool
		},
		"closed pool": func(t *testing.T) *pgxpool.Pool {
			pool, err := pgxpool.New(context.Background(), e.pool.Config().ConnString())
			require.NoError(t, err)
			pool.Close()
			return pool
		},
	}
	for name, mk := range cases {
		t.Run(name, func(t *testing.T) {
			pool := mk(t)
			store, err := eventstore.NewStore(pool, eventstore.StoreConfig{})
			require.NoError(t, err)
			a, err := app.New(store, app.Config{QuickScorer: fixedScorer{}})
			require.NoError(t, err)
			iss, err := auth.NewLocalIssuer(auth.LocalIssuerConfig{Key: sharedKey(t)})
			require.NoError(t, err)
			var logs syncBuffer
			srv, err := api.New(api.Deps{App: a, LocalIssuer: iss, Logger: slog.New(slog.NewJSONHandler(&logs, nil))}, api.Config{})
			require.NoError(t, err)
			ts := newTestServer(t, srv)
			paths := []string{"/api/user/profile", "/api/calls", "/api/health"}
			for _, path := range paths {
				r := ts.get(t, path, tok)
				assertError(t, r, http.StatusServiceUnavailable, api.CodeUnavailable, "")
			}
			// An outage answers thousands of these: one warning each, with its cause, not two errors.
			logs.mu.Lock()
			raw := logs.b.String()
			logs.mu.Unlock()
			assert.Equal(t, len(paths), strings.Count(raw, `"status":503`), raw)
			assert.Equal(t, len(paths), strings.Count(raw, `"level":"WARN"`), raw)
			assert.NotContains(t, raw, `"level":"ERROR"`)
			assert.Contains(t, raw, `"err":`)
		})
	}
}

func TestMetrics(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	tok := e.newUser(t)
	c := e.createCall(t, tok)
	e.get(t, "/api/calls/"+c.ID, tok)
	e.get(t, "/api/no/such/route", tok)
	for _, m := range []string{"BREW", "X-MADE-UP-1", "X-MADE-UP-2"} { // made-up methods: one series, not one each
		req, err := http.NewRequest(m, e.http.URL+"/api/calls", nil)
		require.NoError(t, err)
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		resp.Body.Close()
	}

	r := e.get(t, "/metrics", "")
	require.Equal(t, http.StatusOK, r.status)
	body := string(r.body)
	for _, want := range []string{
		`sparrow_http_request_duration_seconds_bucket{method="GET",route="/api/calls/:id",status="200",le="0.01"}`,
		`sparrow_http_request_duration_seconds_count{method="POST",route="/api/calls",status="201"}`,
		`sparrow_http_request_duration_seconds_count{method="GET",route="unmatched",status="404"}`,
		`sparrow_projection_lag_events{projector="calls"}`,
		`sparrow_projection_lag_seconds{projector="users"}`,
		`sparrow_projection_failing{projector="calls"} 0`,
		`go_goroutines`,
	} {
		assert.Contains(t, body, want)
	}
	assert.NotContains(t, body, c.ID, "routes are labelled by template, not by id")
	assert.NotContains(t, body, `method="BREW"`, "made-up methods do not grow the series")
	assert.Contains(t, body, `method="other"`)
	var appends float64
	for _, line := range strings.Split(body, "\n") {
		if v, ok := strings.CutPrefix(line, "sparrow_eventstore_appends_total "); ok {
			_, err := fmt.Sscan(v, &appends)
			require.NoError(t, err)
		}
	}
	assert.GreaterOrEqual(t, appends, 3.0, "preset, user, call")
}

// testServer serves another api.Server with the conformance-checking client.
type testServer struct{ *env }

func newTestServer(t *testing.T, srv *api.Server) testServer {
	t.Helper()
	e := &env{server: srv}
	e.http = httptest.NewServer(srv.Handler())
	t.Cleanup(e.http.Close)
	e.checker = newConformance(t)
	e.client = &http.Client{Transport: e.checker, Timeout: 30 * time.Second}
	return testServer{e}
}
