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
// Invariants: safe for concurrent use; loopback only; error bodies use the
// service's {"detail": ...} shape.
package elevenlabsfake

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"time"

	"github.com/sparrow-coach/sparrow/integrations/elevenlabs"
)

// Request is one recorded request.
type Request struct {
	Method string
	Path   string
	Query  string
	Header http.Header
}

// Response is a canned answer.
type Response struct {
	Status int
	Header http.Header
	Body   string
	Delay  time.Duration
}

// Error is {"detail":{"status":code,"message":message}}.
func Error(status int, code, message string) Response {
	b, _ := json.Marshal(map[string]any{"detail": map[string]any{"status": code, "message": message}})
	return Response{Status: status, Body: string(b), Header: http.Header{"Content-Type": {"application/json"}}}
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
func Raw(status int, body string) Response { return Response{Status: status, Body: body} }

// Slow wraps r with latency.
func Slow(r Response, d time.Duration) Response {
	r.Delay = d
	return r
}

// Server is a fake ElevenLabs API; URL is the BaseURL to configure.
type Server struct {
	*httptest.Server
	// APIKey, when not empty, is the only accepted xi-api-key (set before use).
	APIKey string

	mu            sync.Mutex
	agents        map[string]bool
	conversations map[string]elevenlabs.Conversation
	queue         []Response
	requests      []Request
	signed        int
}

// New starts a Server; the caller must Close it.
func New() *Server {
	s := &Server{agents: map[string]bool{}, conversations: map[string]elevenlabs.Conversation{}}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
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
func (s *Server) Enqueue(rs ...Response) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.queue = append(s.queue, rs...)
}

// Requests returns a copy of the recorded requests.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.requests...)
}

// RequestCount is len(Requests()).
func (s *Server) RequestCount() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.requests)
}

func jsonResponse(v any) Response {
	b, _ := json.Marshal(v)
	return Response{Status: http.StatusOK, Body: string(b), Header: http.Header{"Content-Type": {"application/json"}}}
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.requests = append(s.requests, Request{Method: r.Method, Path: r.URL.Path, Query: r.URL.RawQuery, Header: r.Header.Clone()})
	resp := s.route(r)
	s.mu.Unlock()

	if resp.Delay > 0 {
		t := time.NewTimer(resp.Delay)
		select {
		case <-t.C:
		case <-r.Context().Done():
			t.Stop()
			return
		}
	}
	for k, vs := range resp.Header {
		for _, v := range vs {
			w.Header().Add(k, v)
		}
	}
	if resp.Status == 0 {
		resp.Status = http.StatusOK
	}
	w.WriteHeader(resp.Status)
	_, _ = io.WriteString(w, resp.Body)
}

// route decides the answer; s.mu is held.
func (s *Server) route(r *http.Request) Response {
	if len(s.queue) > 0 {
		resp := s.queue[0]
		s.queue = s.queue[1:]
		return resp
	}
	if s.APIKey != "" && r.Header.Get("xi-api-key") != s.APIKey {
		return Error(http.StatusUnauthorized, "invalid_api_key", "Invalid API key")
	}
	if r.Method != http.MethodGet {
		return Error(http.StatusMethodNotAllowed, "method_not_allowed", "Method Not Allowed")
	}
	switch {
	case r.URL.Path == "/v1/convai/conversation/get-signed-url":
		agent := r.URL.Query().Get("agent_id")
		if agent == "" {
			b := `{"detail":[{"loc":["query","agent_id"],"msg":"field required","type":"value_error.missing"}]}`
			return Response{Status: http.StatusUnprocessableEntity, Body: b, Header: http.Header{"Content-Type": {"application/json"}}}
		}
		if len(s.agents) > 0 && !s.agents[agent] {
			return Error(http.StatusNotFound, "agent_not_found", fmt.Sprintf("Agent %s not found", agent))
		}
		s.signed++
		return jsonResponse(map[string]string{
			"signed_url": fmt.Sprintf("wss://api.elevenlabs.io/v1/convai/conversation?agent_id=%s&conversation_signature=fake_sig_%d", agent, s.signed),
		})
	case strings.HasPrefix(r.URL.Path, "/v1/convai/conversations/"):
		id := strings.TrimPrefix(r.URL.Path, "/v1/convai/conversations/")
		c, ok := s.conversations[id]
		if !ok {
			return Error(http.StatusNotFound, "conversation_not_found", fmt.Sprintf("Conversation %s not found", id))
		}
		return jsonResponse(c)
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
