// Package elevenlabsfake is an in-process ElevenLabs Agents API for tests: the
// signed-URL and conversation-details endpoints, plus builders for signed
// post-call webhooks.
//
// Behaviour is programmable: conversations are stored with AddConversation,
// queued responses (Enqueue) override the next requests whatever their path
// (to inject 429s, 500s, malformed bodies, latency), and every request is
// recorded. When Server.APIKey is set, requests without that xi-api-key get
// 401; when agents are registered with AddAgent, unknown agent ids get 404.
//
// The queue, the recording and the serving are integrations/internal/fakehttp's,
// shared with the other fakes; this package adds the ElevenLabs routes.
//
// Invariants: safe for concurrent use; loopback only; error bodies use the
// service's {"detail": ...} shape.
package elevenlabsfake

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/sparrow-coach/sparrow/integrations/elevenlabs"
	"github.com/sparrow-coach/sparrow/integrations/internal/fakehttp"
)

// Request is one recorded request.
type Request struct {
	Method string
	Path   string
	Query  string
	Header http.Header
}

// Response is a canned answer (Status 0 means 200).
type Response = fakehttp.Response

// Error is {"detail":{"status":code,"message":message}}.
func Error(status int, code, message string) Response {
	return fakehttp.JSON(status, map[string]any{"detail": map[string]any{"status": code, "message": message}})
}

// RateLimited is a 429 with a Retry-After header (seconds or HTTP date; "" for none).
func RateLimited(retryAfter string) Response {
	r := Error(http.StatusTooManyRequests, "too_many_concurrent_requests", "Too many concurrent requests")
	if retryAfter != "" {
		r.Header.Set("Retry-After", retryAfter)
	}
	return r
}

// Raw is any status and body.
func Raw(status int, body string) Response { return fakehttp.Raw(status, body) }

// Slow wraps r with latency.
func Slow(r Response, d time.Duration) Response { return fakehttp.Slow(r, d) }

// Server is a fake ElevenLabs API; URL is the BaseURL to configure.
type Server struct {
	*httptest.Server
	// APIKey, when not empty, is the only accepted xi-api-key (set before use).
	APIKey string

	script *fakehttp.Server[Request] // queue and recording; its handler is route

	mu            sync.Mutex
	agents        map[string]bool
	conversations map[string]elevenlabs.Conversation
	signed        int
}

// New starts a Server; the caller must Close it.
func New() *Server {
	s := &Server{agents: map[string]bool{}, conversations: map[string]elevenlabs.Conversation{}}
	s.script = fakehttp.New(func(r *http.Request, _ []byte) Request {
		return Request{Method: r.Method, Path: r.URL.Path, Query: r.URL.RawQuery, Header: r.Header.Clone()}
	}, fakehttp.Options[Request]{})
	s.script.SetHandler(s.route)
	s.Server = s.script.Server
	return s
}

// AddAgent registers an agent id (once any is registered, others get 404).
func (s *Server) AddAgent(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.agents[id] = true
}

// AddConversation stores c, served at /v1/convai/conversations/{c.ConversationID}.
func (s *Server) AddConversation(c elevenlabs.Conversation) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.conversations[c.ConversationID] = c
}

// Enqueue adds responses that answer the next requests, in order, whatever their path.
func (s *Server) Enqueue(rs ...Response) { s.script.Enqueue(rs...) }

// Requests returns a copy of the recorded requests.
func (s *Server) Requests() []Request { return s.script.Requests() }

// RequestCount is len(Requests()).
func (s *Server) RequestCount() int { return s.script.RequestCount() }

// route answers a request the queue did not.
func (s *Server) route(r Request) Response {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.APIKey != "" && r.Header.Get("xi-api-key") != s.APIKey {
		return Error(http.StatusUnauthorized, "invalid_api_key", "Invalid API key")
	}
	if r.Method != http.MethodGet {
		return Error(http.StatusMethodNotAllowed, "method_not_allowed", "Method Not Allowed")
	}
	switch {
	case r.Path == "/v1/convai/conversation/get-signed-url":
		query, _ := url.ParseQuery(r.Query)
		agent := query.Get("agent_id")
		if agent == "" {
			b := `{"detail":[{"loc":["query","agent_id"],"msg":"field required","type":"value_error.missing"}]}`
			return Response{Status: http.StatusUnprocessableEntity, Body: b, Header: fakehttp.JSONHeader()}
		}
		if len(s.agents) > 0 && !s.agents[agent] {
			return Error(http.StatusNotFound, "agent_not_found", fmt.Sprintf("Agent %s not found", agent))
		}
		s.signed++
		return fakehttp.JSON(http.StatusOK, map[string]string{
			"signed_url": fmt.Sprintf("wss://api.elevenlabs.io/v1/convai/conversation?agent_id=%s&conversation_signature=fake_sig_%d", agent, s.signed),
		})
	case strings.HasPrefix(r.Path, "/v1/convai/conversations/"):
		id := strings.TrimPrefix(r.Path, "/v1/convai/conversations/")
		c, ok := s.conversations[id]
		if !ok {
			return Error(http.StatusNotFound, "conversation_not_found", fmt.Sprintf("Conversation %s not found", id))
		}
		return fakehttp.JSON(http.StatusOK, c)
	}
	return Error(http.StatusNotFound, "not_found", "Not Found")
}

// Msg returns a pointer to s, for TranscriptItem.Message.
func Msg(s string) *string { return &s }

// TranscriptionEvent is a post_call_transcription webhook body for c.
func TranscriptionEvent(c elevenlabs.Conversation, at time.Time) []byte {
	return envelope(elevenlabs.EventPostCallTranscription, at, c)
}

// AudioEvent is a post_call_audio webhook body.
func AudioEvent(agentID, conversationID string, mp3 []byte, at time.Time) []byte {
	return envelope(elevenlabs.EventPostCallAudio, at, map[string]any{
		"agent_id": agentID, "conversation_id": conversationID, "full_audio": base64.StdEncoding.EncodeToString(mp3),
	})
}

// InitiationFailureEvent is a call_initiation_failure webhook body.
func InitiationFailureEvent(agentID, conversationID, reason string, at time.Time) []byte {
	return envelope(elevenlabs.EventCallInitiationFailure, at, map[string]any{
		"agent_id": agentID, "conversation_id": conversationID, "failure_reason": reason,
		"metadata": map[string]any{"type": "twilio", "body": map[string]any{}},
	})
}

func envelope(typ string, at time.Time, data any) []byte {
	b, _ := json.Marshal(map[string]any{"type": typ, "event_timestamp": at.Unix(), "data": data})
	return b
}

// WebhookRequest builds a POST of body to url, signed with secret at signedAt,
// as ElevenLabs sends it.
func WebhookRequest(ctx context.Context, url, secret string, body []byte, signedAt time.Time) (*http.Request, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(elevenlabs.SignatureHeader, elevenlabs.SignWebhook(secret, body, signedAt))
	return req, nil
}
