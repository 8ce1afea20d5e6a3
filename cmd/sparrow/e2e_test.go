package main

// End-to-end acceptance tests: the whole server as `sparrow serve` wires it
// (Main.Open then Main.Run), on a fresh database and a loopback port, driven
// over HTTP against fake external services (Clerk, ElevenLabs, Gemini and an
// OpenAI-compatible server standing in for Groq).

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"maps"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sparrow-coach/sparrow/api"
	"github.com/sparrow-coach/sparrow/app"
	"github.com/sparrow-coach/sparrow/domain"
	"github.com/sparrow-coach/sparrow/integrations/clerk"
	"github.com/sparrow-coach/sparrow/integrations/clerk/clerkfake"
	"github.com/sparrow-coach/sparrow/integrations/elevenlabs"
	"github.com/sparrow-coach/sparrow/integrations/elevenlabs/elevenlabsfake"
	"github.com/sparrow-coach/sparrow/integrations/gemini/geminifake"
	"github.com/sparrow-coach/sparrow/integrations/llm"
	"github.com/sparrow-coach/sparrow/integrations/openaicompat/openaifake"
	"github.com/sparrow-coach/sparrow/internal/pgtest"
	"github.com/sparrow-coach/sparrow/projections"
)

const (
	// Svix's published test secret.
	e2eClerkSecret  = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
	e2eElevenSecret = "wsec_e2e_secret"
	e2eAgentID      = "agent_e2e"
	e2eElevenKey    = "xi_e2e_key"
	e2eChatModel    = "e2e-chat-model"
	e2eGeminiModel  = "gemini-e2e-001"
)

// e2eServer is a running Main and what a test needs to talk to it.
type e2eServer struct {
	url    string
	client *http.Client
	// pool reads the server's database directly (event counts, read tables).
	pool *pgxpool.Pool
	logs *e2eLog
}

// e2eLog collects the server's log; it is printed when the test fails.
type e2eLog struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *e2eLog) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *e2eLog) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	port := ln.Addr().(*net.TCPAddr).Port
	require.NoError(t, ln.Close())
	return port
}

// startServer runs `sparrow serve` in-process with the base environment
// (fresh database, data dir, loopback port) plus extra, and stops it when
// the test ends (Run must return without error).
func startServer(t *testing.T, extra map[string]string) *e2eServer {
	t.Helper()
	vars := map[string]string{
		"DATABASE_URL":     pgtest.NewURL(t),
		"SPARROW_DATA_DIR": t.TempDir(),
		"PORT":             strconv.Itoa(freePort(t)),
		"HOST":             "127.0.0.1",
	}
	maps.Copy(vars, extra)
	getenv := func(k string) string { return vars[k] }
	c, err := configFromEnv(getenv)
	require.NoError(t, err)

	logs := &e2eLog{}
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("server log:\n%s", logs)
		}
	})
	m := &Main{Config: c, Log: newLogger(c, logs)}
	ctx, cancel := context.WithCancel(context.Background())
	if err := m.Open(ctx, env{stdout: io.Discard, stderr: logs, getenv: getenv}); err != nil {
		cancel()
		m.Close()
		require.NoError(t, err, "Main.Open")
	}
	var running []string
	for _, h := range append(m.runner.Health(), m.jobs.Health()...) {
		running = append(running, h.Name)
	}
	assert.ElementsMatch(t, projections.Names(), running, "the server runs every registered projector, and only those")
	done := make(chan error, 1)
	go func() { done <- m.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			assert.NoError(t, err, "Main.Run stops cleanly")
		case <-time.After(30 * time.Second):
			t.Error("Main.Run did not stop within 30 s")
		}
		m.Close()
	})

	pool, err := pgxpool.New(context.Background(), vars["DATABASE_URL"])
	require.NoError(t, err)
	t.Cleanup(pool.Close)

	s := &e2eServer{url: "http://" + net.JoinHostPort(c.Host, strconv.Itoa(c.Port)), client: &http.Client{Timeout: 30 * time.Second},
		pool: pool, logs: logs}
	require.Eventually(t, func() bool {
		r, err := s.do(http.MethodGet, "/api/health", "", nil, nil)
		return err == nil && r.status == http.StatusOK
	}, 30*time.Second, 50*time.Millisecond, "GET /api/health answers 200")
	// Health reports the lag of every projector the server runs.
	r, err := s.do(http.MethodGet, "/api/health", "", nil, nil)
	require.NoError(t, err)
	var h api.Health
	require.NoError(t, json.Unmarshal(r.body, &h))
	var reported []string
	for _, p := range h.Projectors {
		reported = append(reported, p.Name)
	}
	assert.Equal(t, projections.Names(), reported)
	return s
}

type e2eResponse struct {
	status int
	body   []byte
}

// do sends a request: body is nil, raw []byte, or a value sent as JSON.
func (s *e2eServer) do(method, path, token string, body any, header map[string]string) (e2eResponse, error) {
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case []byte:
		rd = bytes.NewReader(b)
	default:
		j, err := json.Marshal(b)
		if err != nil {
			return e2eResponse{}, err
		}
		rd = bytes.NewReader(j)
	}
	req, err := http.NewRequest(method, s.url+path, rd)
	if err != nil {
		return e2eResponse{}, err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := s.client.Do(req)
	if err != nil {
		return e2eResponse{}, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return e2eResponse{status: resp.StatusCode, body: b}, err
}

func (s *e2eServer) send(t *testing.T, method, path, token string, body any, header map[string]string) e2eResponse {
	t.Helper()
	r, err := s.do(method, path, token, body, header)
	require.NoError(t, err, "%s %s", method, path)
	return r
}

// expect sends a request, requires the status and decodes the answer.
func expect[T any](t *testing.T, s *e2eServer, method, path, token string, body any, status int) T {
	t.Helper()
	r := s.send(t, method, path, token, body, nil)
	require.Equal(t, status, r.status, "%s %s: %s", method, path, r.body)
	var out T
	require.NoError(t, json.Unmarshal(r.body, &out), "%s %s: %s", method, path, r.body)
	return out
}

// poll GETs path until cond holds for the decoded answer; returns the last one.
func poll[T any](t *testing.T, s *e2eServer, path, token string, wait time.Duration, cond func(T) bool, msg string) T {
	t.Helper()
	var (
		mu       sync.Mutex // a condition may still run when Eventually gives up
		last     T
		lastBody []byte
	)
	ok := assert.Eventually(t, func() bool {
		r, err := s.do(http.MethodGet, path, token, nil, nil)
		if err != nil || r.status != http.StatusOK {
			return false
		}
		var v T
		if json.Unmarshal(r.body, &v) != nil {
			return false
		}
		mu.Lock()
		last, lastBody = v, r.body
		mu.Unlock()
		return cond(v)
	}, wait, 50*time.Millisecond, msg)
	mu.Lock()
	defer mu.Unlock()
	if !ok {
		t.Fatalf("GET %s: last answer: %s", path, lastBody)
	}
	return last
}

// countEvents counts the stream's events of a type ("" for all) in the log.
func (s *e2eServer) countEvents(t *testing.T, stream, typ string) int {
	t.Helper()
	var n int
	err := s.pool.QueryRow(context.Background(), `SELECT count(*) FROM events WHERE stream_id = $1 AND ($2 = '' OR event_type = $2)`,
		stream, typ).Scan(&n)
	require.NoError(t, err)
	return n
}

func (s *e2eServer) count(query string, args ...any) (int, error) {
	var n int
	err := s.pool.QueryRow(context.Background(), query, args...).Scan(&n)
	return n, err
}

// clerkHook posts a Clerk (Svix-signed) webhook.
func (s *e2eServer) clerkHook(t *testing.T, msgID string, body []byte) api.WebhookAck {
	t.Helper()
	h, err := clerk.SignWebhook(e2eClerkSecret, msgID, time.Now(), body)
	require.NoError(t, err)
	header := map[string]string{}
	for k := range h {
		header[k] = h.Get(k)
	}
	r := s.send(t, http.MethodPost, "/api/webhooks/clerk", "", body, header)
	require.Equal(t, http.StatusOK, r.status, "clerk webhook: %s", r.body)
	var ack api.WebhookAck
	require.NoError(t, json.Unmarshal(r.body, &ack))
	return ack
}

// elevenHook posts an ElevenLabs webhook signed now.
func (s *e2eServer) elevenHook(t *testing.T, body []byte) api.WebhookAck {
	t.Helper()
	r := s.send(t, http.MethodPost, "/api/webhooks/elevenlabs", "", body,
		map[string]string{elevenlabs.SignatureHeader: elevenlabs.SignWebhook(e2eElevenSecret, body, time.Now())})
	require.Equal(t, http.StatusOK, r.status, "elevenlabs webhook: %s", r.body)
	var ack api.WebhookAck
	require.NoError(t, json.Unmarshal(r.body, &ack))
	return ack
}

// presetPersona is the first preset persona the user sees.
func presetPersona(t *testing.T, s *e2eServer, token string) api.Persona {
	t.Helper()
	list := poll(t, s, "/api/personas", token, 10*time.Second, func(l api.PersonaList) bool { return len(l.Personas) >= 12 },
		"the preset personas are listed")
	for _, p := range list.Personas {
		if p.IsPreset {
			return p
		}
	}
	require.FailNow(t, "no preset persona listed")
	return api.Persona{}
}

// startedCall creates a cold call with persona and starts it.
func startedCall(t *testing.T, s *e2eServer, token, personaID string) api.Call {
	t.Helper()
	c := expect[api.Call](t, s, http.MethodPost, "/api/calls", token, map[string]any{"mode": "cold_call", "personaId": personaID}, http.StatusCreated)
	assert.Equal(t, "pending", c.Status)
	c = expect[api.Call](t, s, http.MethodPatch, "/api/calls/"+c.ID, token, map[string]any{"status": "in_progress"}, http.StatusOK)
	require.Equal(t, "in_progress", c.Status)
	return c
}

// A sales call that scores well, used by the voice and fallback scenarios.
var e2eCall = []domain.TranscriptEntry{
	{Role: domain.RoleAssistant, Content: "Dana Whitfield speaking.", TimestampMs: 0},
	{Role: domain.RoleUser, Content: "Hi Dana, this is Sam from Routewise. I'm calling because your dispatchers re-plan routes by hand every morning.", TimestampMs: 2000},
	{Role: domain.RoleAssistant, Content: "We already have a system for that, and I'm busy.", TimestampMs: 7000},
	{Role: domain.RoleUser, Content: "Totally fair. How long does it take your dispatchers to rebuild the routes when a driver calls in sick?", TimestampMs: 11000},
	{Role: domain.RoleAssistant, Content: "Most of the morning, honestly.", TimestampMs: 16000},
	{Role: domain.RoleUser, Content: "Would Thursday at 10am work for twenty minutes to see how other fleets cut that to minutes?", TimestampMs: 20000},
	{Role: domain.RoleAssistant, Content: "Fine, send the invite for Thursday at 10am.", TimestampMs: 24000},
}

// e2eQuote is verbatim in e2eCall (line 4); the fake models quote it.
const e2eQuote = "How long does it take your dispatchers to rebuild the routes"

// analysisAnswer is a valid spec §11.2 analysis quoting e2eCall: one key
// moment quotes it verbatim, one quotes words nobody said (to be dropped).
func analysisAnswer(summary string) map[string]any {
	return map[string]any{
		"overallScore":   77,
		"categoryScores": map[string]any{"opening": 80, "discovery": 70, "objectionHandling": 75, "communication": 78, "closing": 72},
		"strengths":      []any{map[string]any{"point": "Sharp discovery question", "example": e2eQuote, "timestamp": 11000}},
		"improvements":   []any{map[string]any{"point": "Quantify the pain before the close", "suggestion": "Ask how many hours a week that costs", "timestamp": 16000}},
		"keyMoments": []any{
			map[string]any{"timestamp": 11000, "type": "strength", "description": "Discovery on a real pain", "quote": e2eQuote},
			map[string]any{"timestamp": 20000, "type": "improvement", "description": "Invented", "quote": "We will double your revenue"},
		},
		"summary": summary,
	}
}

// geminiKind and chatKind tell scoring requests apart by their system prompt.
func geminiKind(r geminifake.Request) string {
	switch r.Generate.SystemInstruction.Text() {
	case llm.QuickScorePrompt:
		return "quick"
	case llm.ScoringSystemPrompt:
		return "analysis"
	}
	return "other"
}

func chatKind(r openaifake.Request) string {
	if len(r.Chat.Messages) > 0 {
		switch r.Chat.Messages[0].Content {
		case llm.QuickScorePrompt:
			return "quick"
		case llm.ScoringSystemPrompt:
			return "analysis"
		}
	}
	return "other"
}

func countKind[R any](rs []R, kind func(R) string, want string) int {
	n := 0
	for _, r := range rs {
		if kind(r) == want {
			n++
		}
	}
	return n
}

// Issue 5, "Done when": with fake services configured, Clerk webhooks create,
// update and delete a user exactly once; a call is started for voice (signed
// URL from the fake), its post-call webhook is ingested, and it is scored by
// the fake Gemini with the fake Groq's quick score first.
func TestE2EVoiceCallWithFakeServices(t *testing.T) {
	t.Parallel()
	ck, err := clerkfake.New()
	require.NoError(t, err)
	t.Cleanup(ck.Close)
	el := elevenlabsfake.New()
	t.Cleanup(el.Close)
	el.APIKey = e2eElevenKey
	el.AddAgent(e2eAgentID)
	gem := geminifake.New()
	t.Cleanup(gem.Close)
	gem.SetHandler(func(r geminifake.Request) geminifake.Response {
		if geminiKind(r) == "analysis" {
			return geminifake.JSON(e2eGeminiModel, analysisAnswer("Gemini: sharp discovery and a concrete close."))
		}
		return geminifake.Error(http.StatusBadRequest, "INVALID_ARGUMENT", "this test expects only deep analyses from Gemini")
	})
	chat := openaifake.New()
	t.Cleanup(chat.Close)
	chat.SetHandler(func(r openaifake.Request) openaifake.Response {
		if chatKind(r) == "quick" {
			return openaifake.Reply(e2eChatModel, `{"score": 64, "summary": "Groq: good discovery question, time proposed."}`)
		}
		return openaifake.Error(http.StatusBadRequest, "unexpected", "this test expects only quick scores from Groq")
	})

	s := startServer(t, map[string]string{
		"NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY": ck.PublishableKey(),
		"CLERK_JWT_KEY":                     ck.PublicKeyPEM(),
		"CLERK_WEBHOOK_SECRET":              e2eClerkSecret,
		"ELEVENLABS_API_KEY":                e2eElevenKey,
		"ELEVENLABS_BASE_URL":               el.URL,
		"NEXT_PUBLIC_ELEVENLABS_AGENT_ID":   e2eAgentID,
		"ELEVENLABS_WEBHOOK_SECRET":         e2eElevenSecret,
		"GEMINI_API_KEY":                    "gemini-e2e-key",
		"GOOGLE_GEMINI_BASE_URL":            gem.URL,
		"GEMINI_MODEL":                      e2eGeminiModel,
		"GROQ_API_KEY":                      "groq-e2e-key",
		"GROQ_BASE_URL":                     chat.URL,
		"GROQ_MODEL":                        e2eChatModel,
	})
	assert.Equal(t, http.StatusNotFound, s.send(t, http.MethodPost, "/api/dev/session", "", map[string]any{"email": "x@example.com"}, nil).status,
		"no local sign-in when Clerk is configured")

	// Clerk's issuer is the Frontend API host of the publishable key, over https.
	const subject = "user_e2e_ada"
	uid := app.UserIDFor(subject)
	token, err := ck.Mint(clerkfake.TokenOptions{Subject: subject, Issuer: "https://" + strings.TrimPrefix(ck.URL, "http://"), TTL: 10 * time.Minute})
	require.NoError(t, err)
	forged, err := ck.Mint(clerkfake.TokenOptions{Subject: subject, TTL: 10 * time.Minute}) // issuer http://..., not the key's
	require.NoError(t, err)
	assert.Equal(t, http.StatusUnauthorized, s.send(t, http.MethodGet, "/api/user/profile", forged, nil, nil).status, "a token from another issuer")

	t.Run("clerk webhooks create the user once and update it", func(t *testing.T) {
		created := clerkfake.UserEvent(clerk.EventUserCreated, clerkfake.User{ID: subject, Email: "ada@example.com", FirstName: "Ada", LastName: "Lovelace"}, time.Now())
		assert.Equal(t, api.WebhookApplied, s.clerkHook(t, "msg_e2e_created", created).Result)
		assert.Equal(t, api.WebhookDuplicate, s.clerkHook(t, "msg_e2e_created", created).Result, "the same svix-id again")
		assert.Equal(t, 1, s.countEvents(t, uid, ""), "one UserRegistered, nothing more")

		p := poll(t, s, "/api/user/profile", token, 10*time.Second, func(p api.Profile) bool { return p.FullName != nil },
			"the webhook's user is the token's user")
		assert.Equal(t, uid, p.ID)
		assert.Equal(t, subject, p.ClerkID)
		assert.Equal(t, "ada@example.com", p.Email)
		assert.Equal(t, "Ada Lovelace", *p.FullName)
		assert.Equal(t, 1, s.countEvents(t, uid, ""), "signing in does not register the user again")

		updated := clerkfake.UserEvent(clerk.EventUserUpdated, clerkfake.User{ID: subject, Email: "ada@example.com", FirstName: "Ada", LastName: "King"}, time.Now())
		assert.Equal(t, api.WebhookApplied, s.clerkHook(t, "msg_e2e_updated", updated).Result)
		assert.Equal(t, api.WebhookDuplicate, s.clerkHook(t, "msg_e2e_updated", updated).Result)
		poll(t, s, "/api/user/profile", token, 10*time.Second, func(p api.Profile) bool { return p.FullName != nil && *p.FullName == "Ada King" },
			"user.updated changes the name")
		assert.Equal(t, 1, s.countEvents(t, uid, "UserRegistered"))
		assert.Equal(t, 2, s.countEvents(t, uid, ""), "registered, then one profile update")
	})
	if t.Failed() {
		return
	}

	persona := presetPersona(t, s, token)
	call := startedCall(t, s, token, persona.ID)

	t.Run("voice start returns the fake's signed URL and the call id for the agent", func(t *testing.T) {
		before := el.RequestCount()
		v := expect[api.VoiceStarted](t, s, http.MethodPost, "/api/calls/start", token,
			map[string]any{"callId": call.ID, "mode": "cold_call", "personaId": persona.ID}, http.StatusOK)
		require.NotNil(t, v.SignedURL, "voice is configured")
		assert.Contains(t, *v.SignedURL, "agent_id="+e2eAgentID)
		assert.Contains(t, *v.SignedURL, "conversation_signature=fake_sig_")
		assert.True(t, v.Voice.Configured)
		require.NotNil(t, v.AgentConfig.AgentID)
		assert.Equal(t, e2eAgentID, *v.AgentConfig.AgentID)
		assert.Equal(t, call.ID, v.AgentConfig.DynamicVariables[api.DynamicVariableCallID])
		assert.Equal(t, persona.SystemPrompt, v.AgentConfig.Overrides.Agent.Prompt.Prompt)
		assert.Equal(t, persona.VoiceID, v.AgentConfig.Overrides.TTS.VoiceID)
		reqs := el.Requests()
		require.Len(t, reqs, before+1, "one request to ElevenLabs")
		assert.Equal(t, "/v1/convai/conversation/get-signed-url", reqs[before].Path)
		assert.Equal(t, e2eElevenKey, reqs[before].Header.Get("xi-api-key"))
	})

	// ElevenLabs' post-call webhook, carrying the call id back as the dynamic variable.
	hook := elevenlabsfake.TranscriptionEvent(voiceConversation("conv_e2e_1", call.ID, e2eCall), time.Now())

	t.Run("post-call webhook: transcript stored, call completed, quick by Groq, deep by Gemini", func(t *testing.T) {
		ack := s.elevenHook(t, hook)
		assert.Equal(t, api.WebhookApplied, ack.Result)
		require.NotNil(t, ack.CallID)
		assert.Equal(t, call.ID, *ack.CallID)

		got := expect[api.Call](t, s, http.MethodGet, "/api/calls/"+call.ID, token, nil, http.StatusOK)
		assert.Equal(t, "completed", got.Status)
		assert.Equal(t, len(e2eCall), got.TranscriptVersion)
		require.NotNil(t, got.ElevenlabsConversationID)
		assert.Equal(t, "conv_e2e_1", *got.ElevenlabsConversationID)
		tr := expect[api.Transcript](t, s, http.MethodGet, "/api/calls/"+call.ID+"/transcript", token, nil, http.StatusOK)
		require.Len(t, tr.Entries, len(e2eCall))
		for i, e := range e2eCall {
			assert.Equal(t, string(e.Role), tr.Entries[i].Role)
			assert.Equal(t, e.Content, tr.Entries[i].Content)
			assert.Equal(t, e.TimestampMs, tr.Entries[i].TimestampMs)
		}

		sc := poll(t, s, "/api/calls/"+call.ID+"/score", token, 20*time.Second, func(sc api.Score) bool { return sc.Status == app.DeepReady },
			"the deep analysis arrives")
		require.NotNil(t, sc.Quick)
		assert.Equal(t, "openai-compatible", sc.Quick.Provider, "Groq's quick score comes first")
		assert.Equal(t, e2eChatModel, sc.Quick.Model)
		assert.Equal(t, 64, sc.Quick.Overall)
		assert.Equal(t, "Groq: good discovery question, time proposed.", sc.Quick.Summary)
		require.NotNil(t, sc.Deep)
		d := sc.Deep
		assert.Equal(t, "gemini", d.Provider)
		assert.Equal(t, e2eGeminiModel, d.Model)
		assert.Equal(t, "Gemini: sharp discovery and a concrete close.", d.Summary)
		assert.Equal(t, len(e2eCall), d.TranscriptVersion)
		assert.Equal(t, []int{80, 70, 75, 78, 72}, []int{d.OpeningScore, d.DiscoveryScore, d.ObjectionScore, d.CommunicationScore, d.ClosingScore})
		assert.Equal(t, domain.WeightedOverall(80, 70, 75, 78, 72), d.OverallScore, "overall recomputed from the categories")
		require.Len(t, d.KeyMoments, 1, "the invented quote is dropped")
		assert.Equal(t, e2eQuote, d.KeyMoments[0].Quote)
		assert.Equal(t, int64(11000), d.KeyMoments[0].Timestamp)

		// What the fakes were asked.
		gq := gem.Requests()
		require.Equal(t, 1, countKind(gq, geminiKind, "analysis"), "one analysis, no retry")
		assert.Zero(t, countKind(gq, geminiKind, "quick"))
		for _, r := range gq {
			assert.Equal(t, e2eGeminiModel, r.Model)
			assert.Equal(t, "gemini-e2e-key", r.APIKey)
			require.NotEmpty(t, r.Generate.Contents)
			assert.Contains(t, r.Generate.Contents[0].Text(), "[11000ms] Rep: "+e2eCall[3].Content, "the webhook's transcript was analysed")
		}
		cq := chat.Requests()
		require.Equal(t, 1, countKind(cq, chatKind, "quick"))
		assert.Zero(t, countKind(cq, chatKind, "analysis"), "Groq is not asked for the deep analysis when Gemini answers")
		assert.Equal(t, "Bearer groq-e2e-key", cq[0].Header.Get("Authorization"))
		assert.Contains(t, cq[0].Chat.Messages[1].Content, e2eCall[5].Content)
	})

	t.Run("the same webhook again adds nothing", func(t *testing.T) {
		events := s.countEvents(t, call.ID, "")
		gemAsked := gem.RequestCount()
		ack := s.elevenHook(t, hook)
		assert.Equal(t, api.WebhookIgnored, ack.Result)
		time.Sleep(300 * time.Millisecond) // room for a wrongly triggered rescore
		assert.Equal(t, events, s.countEvents(t, call.ID, ""))
		assert.Equal(t, gemAsked, gem.RequestCount(), "no second analysis")
		got := expect[api.Call](t, s, http.MethodGet, "/api/calls/"+call.ID, token, nil, http.StatusOK)
		assert.Equal(t, len(e2eCall), got.TranscriptVersion)
	})

	t.Run("ending a voice call without a transcript fetches it from ElevenLabs", func(t *testing.T) {
		c := startedCall(t, s, token, persona.ID)
		el.AddConversation(voiceConversation("conv_e2e_2", "", e2eCall[:4]))
		ended := expect[api.CallEnded](t, s, http.MethodPost, "/api/calls/"+c.ID+"/end", token,
			map[string]any{"elevenlabsConversationId": "conv_e2e_2"}, http.StatusOK)
		assert.Equal(t, 64, ended.QuickScore.Overall, "Groq's quick score of the fetched transcript")
		reqs := el.Requests()
		last := reqs[len(reqs)-1]
		assert.Equal(t, "/v1/convai/conversations/conv_e2e_2", last.Path)
		assert.Equal(t, e2eElevenKey, last.Header.Get("xi-api-key"))
		got := expect[api.Call](t, s, http.MethodGet, "/api/calls/"+c.ID, token, nil, http.StatusOK)
		assert.Equal(t, "completed", got.Status)
		assert.Equal(t, 4, got.TranscriptVersion)
		sc := poll(t, s, "/api/calls/"+c.ID+"/score", token, 20*time.Second, func(sc api.Score) bool { return sc.Status == app.DeepReady },
			"the deep analysis of the fetched transcript arrives")
		require.NotNil(t, sc.Deep)
		assert.Equal(t, "gemini", sc.Deep.Provider)
		assert.Equal(t, 4, sc.Deep.TranscriptVersion)
	})

	t.Run("user.deleted removes the user's data", func(t *testing.T) {
		const erasedText = `SELECT count(*) FROM events WHERE payload::text LIKE '%rebuild the routes%' OR payload::text LIKE '%ada@example.com%'`
		n, err := s.count(erasedText)
		require.NoError(t, err)
		require.Positive(t, n, "the log holds the transcript and the e-mail before the deletion")
		deleted := clerkfake.UserEvent(clerk.EventUserDeleted, clerkfake.User{ID: subject}, time.Now())
		assert.Equal(t, api.WebhookApplied, s.clerkHook(t, "msg_e2e_deleted", deleted).Result)
		assert.Equal(t, http.StatusUnauthorized, s.send(t, http.MethodGet, "/api/user/profile", token, nil, nil).status,
			"the deleted account's token no longer signs in")
		assert.Equal(t, http.StatusUnauthorized, s.send(t, http.MethodGet, "/api/calls/"+call.ID, token, nil, nil).status)
		assert.Eventually(t, func() bool {
			n, err := s.count(`SELECT (SELECT count(*) FROM users WHERE id = $1) + (SELECT count(*) FROM calls WHERE user_id = $1)
  + (SELECT count(*) FROM transcripts WHERE call_id = $2) + (SELECT count(*) FROM scores WHERE call_id = $2)
  + (SELECT count(*) FROM user_stats WHERE user_id = $1)`, uid, call.ID)
			return err == nil && n == 0
		}, 10*time.Second, 50*time.Millisecond, "the user's rows are gone from the read tables")
		n, err = s.count(erasedText)
		require.NoError(t, err)
		assert.Zero(t, n, "transcript text, quotes and e-mail are erased from the log")
		assert.Equal(t, api.WebhookApplied, s.clerkHook(t, "msg_e2e_deleted", deleted).Result, "deletion is always re-run (idempotent)")
		recreated := clerkfake.UserEvent(clerk.EventUserUpdated, clerkfake.User{ID: subject, Email: "ada@example.com", FirstName: "Ada"}, time.Now())
		assert.Equal(t, api.WebhookIgnored, s.clerkHook(t, "msg_e2e_late_update", recreated).Result, "a late update does not revive the account")
	})
}

// voiceConversation is an ElevenLabs conversation saying entries; callID,
// when set, is the dynamic variable the start config passed to the agent.
func voiceConversation(id, callID string, entries []domain.TranscriptEntry) elevenlabs.Conversation {
	c := elevenlabs.Conversation{ConversationID: id, AgentID: e2eAgentID, Status: elevenlabs.StatusDone,
		Metadata: elevenlabs.Metadata{StartTimeUnixSecs: time.Now().Add(-time.Minute).Unix(), CallDurationSecs: 25, TerminationReason: "Client disconnected"}}
	if callID != "" {
		c.ClientData = &elevenlabs.ClientData{DynamicVariables: map[string]any{api.DynamicVariableCallID: callID}}
	}
	for _, e := range entries {
		role := elevenlabs.RoleUser
		if e.Role == domain.RoleAssistant {
			role = elevenlabs.RoleAgent
		}
		c.Transcript = append(c.Transcript, elevenlabs.TranscriptItem{Role: role, Message: elevenlabsfake.Msg(e.Content), TimeInCallSecs: int(e.TimestampMs / 1000)})
	}
	return c
}

// endedTextCall posts e2eCall as live transcript and ends the call.
func endedTextCall(t *testing.T, s *e2eServer, token, personaID string) (api.Call, api.CallEnded) {
	t.Helper()
	c := startedCall(t, s, token, personaID)
	var entries []map[string]any
	for _, e := range e2eCall {
		entries = append(entries, map[string]any{"role": string(e.Role), "content": e.Content, "timestampMs": e.TimestampMs})
	}
	r := s.send(t, http.MethodPost, "/api/calls/"+c.ID+"/transcript", token, map[string]any{"entries": entries}, nil)
	require.Equal(t, http.StatusCreated, r.status, "%s", r.body)
	start := time.Now()
	ended := expect[api.CallEnded](t, s, http.MethodPost, "/api/calls/"+c.ID+"/end", token, map[string]any{}, http.StatusOK)
	assert.Less(t, time.Since(start), 5*time.Second, "the quick score is bounded by its budget")
	return c, ended
}

func devSession(t *testing.T, s *e2eServer, email string) string {
	t.Helper()
	d := expect[api.DevSession](t, s, http.MethodPost, "/api/dev/session", "", map[string]any{"email": email, "fullName": "Sam Rep"}, http.StatusOK)
	require.NotEmpty(t, d.Token)
	return d.Token
}

// Issue 5, "Done when": with the fakes failing, every call is still scored,
// by the next provider; the built-in rubric ends every chain.
func TestE2EFailingProvidersFallBackToBuiltin(t *testing.T) {
	t.Parallel()
	gem := geminifake.New()
	t.Cleanup(gem.Close)
	gem.SetDefault(geminifake.Error(http.StatusInternalServerError, "INTERNAL", "e2e: Gemini is down"))
	chat := openaifake.New()
	t.Cleanup(chat.Close)
	chat.SetDefault(openaifake.Reply(e2eChatModel, `this is not JSON, sorry`))

	s := startServer(t, map[string]string{
		"GEMINI_API_KEY": "gemini-e2e-key", "GOOGLE_GEMINI_BASE_URL": gem.URL, "GEMINI_MODEL": e2eGeminiModel,
		"GROQ_API_KEY": "groq-e2e-key", "GROQ_BASE_URL": chat.URL, "GROQ_MODEL": e2eChatModel,
	})
	token := devSession(t, s, "fallback@example.com")
	call, ended := endedTextCall(t, s, token, presetPersona(t, s, token).ID)
	assert.NotEmpty(t, ended.QuickScore.Summary)
	assert.GreaterOrEqual(t, countKind(chat.Requests(), chatKind, "quick"), 2, "Groq was asked and retried before the built-in took over")

	sc := poll(t, s, "/api/calls/"+call.ID+"/score", token, 25*time.Second, func(sc api.Score) bool { return sc.Status == app.DeepReady },
		"a deep score arrives although both providers fail")
	require.NotNil(t, sc.Quick)
	assert.Equal(t, "builtin", sc.Quick.Provider)
	assert.Equal(t, ended.QuickScore.Overall, sc.Quick.Overall)
	require.NotNil(t, sc.Deep)
	assert.Equal(t, "builtin", sc.Deep.Provider)
	assert.NotEqual(t, "null", string(sc.Deep.Metrics), "the rubric shows its metrics")
	assert.Equal(t, len(e2eCall), sc.Deep.TranscriptVersion)
	// Gemini first, with spec §14's retries (1 + 3), then Groq, then the built-in.
	assert.Equal(t, 4, countKind(gem.Requests(), geminiKind, "analysis"), "Gemini: one attempt and three retries")
	assert.GreaterOrEqual(t, countKind(chat.Requests(), chatKind, "analysis"), 1, "Groq was tried after Gemini")
	logs := s.logs.String()
	assert.Regexp(t, `"msg":"deep score: provider failed, trying the next"[^\n]*"provider":"gemini"`, logs)
	assert.Regexp(t, `"msg":"deep score: provider failed, trying the next"[^\n]*"provider":"openai-compatible"`, logs)
}

// With Gemini down and the OpenAI-compatible server healthy, the next
// provider (Groq's slot) writes the deep analysis.
func TestE2EGeminiDownGroqScores(t *testing.T) {
	t.Parallel()
	gem := geminifake.New()
	t.Cleanup(gem.Close)
	gem.SetDefault(geminifake.Error(http.StatusServiceUnavailable, "UNAVAILABLE", "e2e: Gemini is overloaded"))
	chat := openaifake.New()
	t.Cleanup(chat.Close)
	chat.SetHandler(func(r openaifake.Request) openaifake.Response {
		if chatKind(r) == "quick" {
			return openaifake.Reply(e2eChatModel, `{"score": 58, "summary": "Groq quick."}`)
		}
		b, _ := json.Marshal(analysisAnswer("Groq deep analysis."))
		return openaifake.Reply(e2eChatModel, string(b))
	})

	s := startServer(t, map[string]string{
		"GEMINI_API_KEY": "gemini-e2e-key", "GOOGLE_GEMINI_BASE_URL": gem.URL, "GEMINI_MODEL": e2eGeminiModel,
		"GROQ_API_KEY": "groq-e2e-key", "GROQ_BASE_URL": chat.URL, "GROQ_MODEL": e2eChatModel,
	})
	token := devSession(t, s, "next@example.com")
	call, ended := endedTextCall(t, s, token, presetPersona(t, s, token).ID)
	assert.Equal(t, 58, ended.QuickScore.Overall)
	assert.Equal(t, "Groq quick.", ended.QuickScore.Summary)

	sc := poll(t, s, "/api/calls/"+call.ID+"/score", token, 25*time.Second, func(sc api.Score) bool { return sc.Status == app.DeepReady },
		"a deep score arrives")
	require.NotNil(t, sc.Deep)
	assert.Equal(t, "openai-compatible", sc.Deep.Provider)
	assert.Equal(t, e2eChatModel, sc.Deep.Model)
	assert.Equal(t, "Groq deep analysis.", sc.Deep.Summary)
	require.Len(t, sc.Deep.KeyMoments, 1)
	assert.Equal(t, e2eQuote, sc.Deep.KeyMoments[0].Quote)
	assert.Equal(t, 4, countKind(gem.Requests(), geminiKind, "analysis"), "Gemini: one attempt and three retries, then the next provider")
	assert.Equal(t, 1, countKind(chat.Requests(), chatKind, "analysis"))
}

// Issue 4 and 5: with no keys, a local user practises by text against the
// built-in prospect, is scored by the built-in rubric, sees the streak move,
// and voice says it is not configured.
func TestE2ENoKeysTextPractice(t *testing.T) {
	t.Parallel()
	s := startServer(t, nil)
	for _, hook := range []string{"/api/webhooks/clerk", "/api/webhooks/elevenlabs"} {
		assert.Equal(t, http.StatusNotFound, s.send(t, http.MethodPost, hook, "", []byte(`{}`), nil).status, "%s is off without its secret", hook)
	}
	token := devSession(t, s, "solo@example.com")
	p := expect[api.Profile](t, s, http.MethodGet, "/api/user/profile", token, nil, http.StatusOK)
	assert.Equal(t, "solo@example.com", p.Email)
	persona := presetPersona(t, s, token)
	c := expect[api.Call](t, s, http.MethodPost, "/api/calls", token, map[string]any{"mode": "cold_call", "personaId": persona.ID}, http.StatusCreated)

	v := expect[api.VoiceStarted](t, s, http.MethodPost, "/api/calls/start", token,
		map[string]any{"callId": c.ID, "mode": "cold_call", "personaId": persona.ID}, http.StatusOK)
	assert.Nil(t, v.SignedURL)
	assert.False(t, v.Voice.Configured)
	assert.Contains(t, v.Voice.Message, "not configured")
	assert.Nil(t, v.AgentConfig.AgentID)
	assert.Equal(t, persona.SystemPrompt, v.AgentConfig.Overrides.Agent.Prompt.Prompt, "the config is still given")

	lines := []string{
		"Hi, this is Sam from Routewise. I know I'm calling out of the blue, do you have thirty seconds?",
		"How do you plan your delivery routes today?",
		"What happens when a driver calls in sick in the morning?",
		"How much time does your team spend on that each week?",
		"What would it mean for you if that took half the time?",
		"Who else would be involved in looking at a change like this?",
		"Would Tuesday at 10am work for a 20 minute call to look at your routes together?",
		"Great, I'll send the invite for Tuesday at 10am.",
		"Is there anything you'd like me to prepare for Tuesday?",
		"Thanks for your time today.",
		"Talk soon.",
		"Bye for now.",
	}
	var last api.Turn
	turns := 0
	for _, l := range lines {
		last = expect[api.Turn](t, s, http.MethodPost, "/api/calls/"+c.ID+"/turns", token, map[string]any{"content": l}, http.StatusOK)
		turns++
		assert.Equal(t, l, last.UserLine.Content)
		assert.Equal(t, "assistant", last.ProspectLine.Role)
		assert.NotEmpty(t, last.ProspectLine.Content)
		if last.Ended {
			break
		}
	}
	var quick api.QuickScore
	if last.Ended {
		require.NotNil(t, last.QuickScore, "the prospect ended the call, which scores it")
		quick = *last.QuickScore
	} else {
		quick = expect[api.CallEnded](t, s, http.MethodPost, "/api/calls/"+c.ID+"/end", token, map[string]any{}, http.StatusOK).QuickScore
	}
	assert.NotEmpty(t, quick.Summary)

	got := expect[api.Call](t, s, http.MethodGet, "/api/calls/"+c.ID, token, nil, http.StatusOK)
	assert.Equal(t, "completed", got.Status)
	tr := expect[api.Transcript](t, s, http.MethodGet, "/api/calls/"+c.ID+"/transcript", token, nil, http.StatusOK)
	assert.GreaterOrEqual(t, len(tr.Entries), 2*turns, "every rep line and every prospect reply")

	sc := poll(t, s, "/api/calls/"+c.ID+"/score", token, 15*time.Second, func(sc api.Score) bool { return sc.Status == app.DeepReady },
		"the built-in deep score arrives")
	require.NotNil(t, sc.Quick)
	assert.Equal(t, "builtin", sc.Quick.Provider)
	assert.Equal(t, quick.Overall, sc.Quick.Overall)
	require.NotNil(t, sc.Deep)
	assert.Equal(t, "builtin", sc.Deep.Provider)
	assert.NotEqual(t, "null", string(sc.Deep.Metrics))
	assert.NotEmpty(t, sc.Deep.Strengths)
	assert.NotEmpty(t, sc.Deep.Improvements)
	for _, m := range sc.Deep.KeyMoments {
		found := false
		for _, e := range tr.Entries {
			found = found || strings.Contains(e.Content, m.Quote)
		}
		assert.True(t, found, "key moment quote %q is verbatim in the transcript", m.Quote)
	}

	pr := poll(t, s, "/api/user/progress", token, 10*time.Second, func(p api.Progress) bool { return p.TotalCalls == 1 && p.CurrentStreak == 1 },
		"the call counts and the streak moves")
	assert.Equal(t, 1, pr.CallsByMode["cold_call"])
	require.Len(t, pr.RecentScores, 1)
	assert.Equal(t, c.ID, pr.RecentScores[0].CallID)
	assert.NotContains(t, s.logs.String(), "provider failed", "no external provider is tried without keys")
	t.Logf("text practice: %d turns, prospect ended: %v, quick %d, deep %d", turns, last.Ended, quick.Overall, sc.Deep.OverallScore)
}
