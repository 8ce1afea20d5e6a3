package api_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sparrow-coach/sparrow/api"
	"github.com/sparrow-coach/sparrow/api/auth"
	"github.com/sparrow-coach/sparrow/app"
	"github.com/sparrow-coach/sparrow/domain"
	"github.com/sparrow-coach/sparrow/eventstore"
	"github.com/sparrow-coach/sparrow/internal/testenv"
	"github.com/sparrow-coach/sparrow/projections"
)

// presetID is the persona every test environment seeds.
const presetID = "5f0c6a52-3f4e-4d7a-9a43-0d8c3f1b2a11"

var (
	keyOnce  sync.Once
	localKey *rsa.PrivateKey
)

// sharedKey is one local signing key for the whole test binary (generating
// an RSA key per test would dominate the run time).
func sharedKey(t testing.TB) *rsa.PrivateKey {
	t.Helper()
	keyOnce.Do(func() {
		k, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			panic(err)
		}
		localKey = k
	})
	return localKey
}

// fixedScorer is the test QuickScorer: always the same score.
type fixedScorer struct{}

func (fixedScorer) QuickScore(_ context.Context, in domain.ScoreInput) (domain.QuickScore, error) {
	return domain.QuickScore{Overall: 72, Summary: fmt.Sprintf("Fixed test score over %d lines.", len(in.Transcript)),
		Provider: "test", Model: "fixed"}, nil
}

// env is a fresh database, the live projections, the application and an
// HTTP test server whose client checks every response against the OpenAPI
// document.
type env struct {
	pool    *pgxpool.Pool
	store   *eventstore.Store
	waker   *eventstore.Waker
	runner  *projections.Runner
	app     *app.App
	issuer  *auth.LocalIssuer
	server  *api.Server
	metrics *api.Metrics
	http    *httptest.Server
	client  *http.Client
	checker *conformance
	users   atomic.Int64
}

type envOptions struct {
	cfg      api.Config
	verifier auth.Verifier
	scorer   app.QuickScorer
	logger   *slog.Logger
	// Optional collaborators of the practice, voice and webhook routes.
	personaGen  app.PersonaGenerator
	prospectLLM app.ProspectLLM
	voice       app.VoiceProvider
	// Webhook verifiers (withWebhooks); a route without one answers 404.
	voiceWebhooks    app.VoiceWebhookVerifier
	identityWebhooks app.IdentityWebhookVerifier
	ui               http.Handler
}

func newEnv(t testing.TB, opts ...func(*envOptions)) *env {
	t.Helper()
	o := envOptions{scorer: fixedScorer{}}
	o.cfg.Stream.Heartbeat = time.Second
	for _, f := range opts {
		f(&o)
	}
	metrics := api.NewMetrics()
	te := testenv.New(t, func(to *testenv.Options) {
		to.MaxConns = 16 // as large as a server's pool
		to.PollInterval = 200 * time.Millisecond
		to.OnAppend = func(string, eventstore.AppendResult) { metrics.Appended() }
		to.App = app.Config{QuickScorer: o.scorer, Voice: o.voice, VoiceWebhooks: o.voiceWebhooks, IdentityWebhooks: o.identityWebhooks}
	})
	pool, store, waker, runner, a := te.Pool, te.Store, te.Waker, te.Runner, te.App
	_, err := a.SeedPresets(context.Background(), map[string]domain.PersonaProfile{presetID: testPersona("Dana Preset")})
	require.NoError(t, err)

	e := &env{pool: pool, store: store, waker: waker, runner: runner, app: a, metrics: metrics}
	deps := api.Deps{App: a, Metrics: metrics, Verifier: o.verifier, Logger: o.logger,
		PersonaGenerator: o.personaGen, ProspectLLM: o.prospectLLM, UI: o.ui}
	if o.verifier == nil {
		e.issuer, err = auth.NewLocalIssuer(auth.LocalIssuerConfig{Key: sharedKey(t)})
		require.NoError(t, err)
		deps.LocalIssuer = e.issuer
	}
	e.server, err = api.New(deps, o.cfg)
	require.NoError(t, err)
	e.http = httptest.NewServer(e.server.Handler())
	t.Cleanup(e.http.Close)
	e.checker = newConformance(t)
	e.client = &http.Client{Transport: e.checker, Timeout: 60 * time.Second}
	return e
}

func testPersona(name string) domain.PersonaProfile {
	return domain.PersonaProfile{
		Name: name, Role: "VP of Sales", Company: "Acme Logistics", Industry: "Logistics",
		Personality: domain.PersonalitySkeptical, Difficulty: domain.DifficultyMedium,
		Backstory:   "Runs a team of 40 reps and has been burned by tools before.",
		HiddenPains: []string{"Forecasts are always late"}, Objections: []string{"We already have a CRM"},
		VoiceID: "voice-test", SystemPrompt: "You are " + name + ", a skeptical VP of Sales.",
		FirstMessage: "Who is this?", FirstMessages: map[domain.Mode]string{domain.ModeDiscovery: "You have ten minutes."},
	}
}

// response is a recorded HTTP answer.
type response struct {
	status int
	header http.Header
	body   []byte
}

func (r response) String() string { return fmt.Sprintf("%d %s", r.status, r.body) }

// apiError decodes an error body.
func (r response) apiError(t testing.TB) errorEnvelope {
	t.Helper()
	var e errorEnvelope
	require.NoError(t, json.Unmarshal(r.body, &e), "error body: %s", r.body)
	return e
}

type errorEnvelope struct {
	Error struct {
		Code      string         `json:"code"`
		Message   string         `json:"message"`
		Details   map[string]any `json:"details"`
		RequestID string         `json:"requestId"`
	} `json:"error"`
}

// field is the field named by a validation error.
func (e errorEnvelope) field() string {
	f, _ := e.Error.Details["field"].(string)
	return f
}

// request describes a call to the API.
type request struct {
	method, path, token string
	// body is JSON-encoded unless it is a string or []byte (sent as is).
	body   any
	header map[string]string
}

func (e *env) send(t testing.TB, r request) response {
	t.Helper()
	var body io.Reader
	switch b := r.body.(type) {
	case nil:
	case string:
		body = strings.NewReader(b)
	case []byte:
		body = bytes.NewReader(b)
	default:
		j, err := json.Marshal(b)
		require.NoError(t, err)
		body = bytes.NewReader(j)
	}
	req, err := http.NewRequest(r.method, e.http.URL+r.path, body)
	require.NoError(t, err)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if r.token != "" {
		req.Header.Set("Authorization", "Bearer "+r.token)
	}
	for k, v := range r.header {
		req.Header.Set(k, v)
	}
	resp, err := e.client.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return response{status: resp.StatusCode, header: resp.Header, body: b}
}

func (e *env) get(t testing.TB, path, token string) response {
	t.Helper()
	return e.send(t, request{method: http.MethodGet, path: path, token: token})
}

func (e *env) post(t testing.TB, path, token string, body any) response {
	t.Helper()
	return e.send(t, request{method: http.MethodPost, path: path, token: token, body: body})
}

func (e *env) patch(t testing.TB, path, token string, body any) response {
	t.Helper()
	return e.send(t, request{method: http.MethodPatch, path: path, token: token, body: body})
}

// decode checks the status and decodes the body.
func decode[T any](t testing.TB, r response, status int) T {
	t.Helper()
	require.Equal(t, status, r.status, "body: %s", r.body)
	var v T
	require.NoError(t, json.Unmarshal(r.body, &v), "body: %s", r.body)
	return v
}

// newUser returns a token for a new, distinct local user (provisioned on first use).
func (e *env) newUser(t testing.TB) string {
	t.Helper()
	n := e.users.Add(1)
	tok, err := e.issuer.Mint(fmt.Sprintf("rep%d-%s@example.com", n, uuid.NewString()[:8]), fmt.Sprintf("Rep %d", n))
	require.NoError(t, err)
	return tok
}

// createCall opens a pending call for the token's user.
func (e *env) createCall(t testing.TB, token string) api.Call {
	t.Helper()
	return decode[api.Call](t, e.post(t, "/api/calls", token, map[string]any{"mode": "cold_call", "personaId": presetID}), http.StatusCreated)
}

// startedCall opens a call and starts it.
func (e *env) startedCall(t testing.TB, token string) api.Call {
	t.Helper()
	c := e.createCall(t, token)
	return decode[api.Call](t, e.patch(t, "/api/calls/"+c.ID, token, map[string]any{"status": "in_progress"}), http.StatusOK)
}

// endedCall opens, starts, talks and ends a call.
func (e *env) endedCall(t testing.TB, token string) api.Call {
	t.Helper()
	c := e.startedCall(t, token)
	decode[api.TranscriptAdded](t, e.post(t, "/api/calls/"+c.ID+"/transcript", token, map[string]any{"entries": []map[string]any{
		{"role": "user", "content": "Hi Dana, this is Sam from Sparrow.", "timestampMs": 0},
		{"role": "assistant", "content": "Who is this?", "timestampMs": 1500},
	}}), http.StatusCreated)
	decode[api.CallEnded](t, e.post(t, "/api/calls/"+c.ID+"/end", token, nil), http.StatusOK)
	return decode[api.Call](t, e.get(t, "/api/calls/"+c.ID, token), http.StatusOK)
}

// assertError checks an error answer's status, code and (for validation) field.
func assertError(t testing.TB, r response, status int, code, field string) {
	t.Helper()
	require.Equal(t, status, r.status, "body: %s", r.body)
	e := r.apiError(t)
	assert.Equal(t, code, e.Error.Code)
	assert.NotEmpty(t, e.Error.Message)
	assert.Equal(t, r.header.Get(api.HeaderRequestID), e.Error.RequestID)
	if field != "" {
		assert.Equal(t, field, e.field(), "details: %v", e.Error.Details)
	}
}

// countEvents is how many events the log holds (to prove nothing was stored).
func (e *env) countEvents(t testing.TB) int {
	t.Helper()
	var n int
	require.NoError(t, e.pool.QueryRow(context.Background(), `SELECT count(*) FROM events`).Scan(&n))
	return n
}
