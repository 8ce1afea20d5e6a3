// Package openaifake is an in-process OpenAI-compatible chat-completions server
// for tests (Groq, Ollama, llama.cpp and vLLM speak the same wire format).
//
// A Server answers POST {URL}/chat/completions. Its behaviour is programmable:
// queued responses are served first, in order (Enqueue), then the default
// response (SetDefault), or a handler function decides (SetHandler). Every
// request is recorded (Requests). A Response can add latency, which ends early
// if the client goes away, so a timed-out client never blocks Close.
//
// Invariants: safe for concurrent use; never reaches the network beyond its
// own loopback listener; the zero default answers 200 with content "{}".
package openaifake

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"time"
)

// Message mirrors one chat message on the wire.
type Message struct {
	Role    string `json:"role"`
	Content string `json:"content"`
}

// ChatRequest is the decoded body of a recorded request.
type ChatRequest struct {
	Model          string    `json:"model"`
	Messages       []Message `json:"messages"`
	Temperature    *float64  `json:"temperature"`
	MaxTokens      int       `json:"max_tokens"`
	ResponseFormat *struct {
		Type string `json:"type"`
	} `json:"response_format"`
}

// Request is one recorded request.
type Request struct {
	Method string
	Path   string
	Header http.Header
	Body   []byte
	Chat   ChatRequest // decoded Body (zero if it did not decode)
}

// JSONMode reports whether the request asked for response_format json_object.
func (r Request) JSONMode() bool {
	return r.Chat.ResponseFormat != nil && r.Chat.ResponseFormat.Type == "json_object"
}

// Response is what the server answers to one request.
type Response struct {
	Status int         // default 200
	Header http.Header // extra headers (e.g. Retry-After)
	Body   string      // raw body, sent as is
	Delay  time.Duration
}

// Reply is a 200 chat completion whose first choice has content.
func Reply(model, content string) Response {
	body, _ := json.Marshal(map[string]any{
		"id": "chatcmpl-fake", "object": "chat.completion", "created": 1700000000, "model": model,
		"choices": []any{map[string]any{
			"index": 0, "finish_reason": "stop",
			"message": map[string]any{"role": "assistant", "content": content},
		}},
		"usage": map[string]any{"prompt_tokens": 10, "completion_tokens": 5, "total_tokens": 15},
	})
	return Response{Status: http.StatusOK, Body: string(body), Header: jsonHeader()}
}

// ReplyJSON is Reply with v marshalled as the content.
func ReplyJSON(model string, v any) Response {
	b, err := json.Marshal(v)
	if err != nil {
		return Error(http.StatusInternalServerError, "fake_error", err.Error())
	}
	return Reply(model, string(b))
}

// Error is an OpenAI-style error body {"error":{"message","type","code"}}.
func Error(status int, code, message string) Response {
	body, _ := json.Marshal(map[string]any{"error": map[string]any{"message": message, "type": "invalid_request_error", "code": code}})
	return Response{Status: status, Body: string(body), Header: jsonHeader()}
}

// RateLimited is a 429 with a retry-after header (seconds or an HTTP date).
func RateLimited(retryAfter string) Response {
	r := Error(http.StatusTooManyRequests, "rate_limit_exceeded", "Rate limit reached. Please try again later.")
	if retryAfter != "" {
		r.Header.Set("Retry-After", retryAfter)
	}
	return r
}

// JSONValidateFailed is Groq's 400 for a JSON-mode answer that is not JSON.
func JSONValidateFailed() Response {
	body := `{"error":{"message":"Failed to generate JSON. Please adjust your prompt. See 'failed_generation' for more details.","type":"invalid_request_error","code":"json_validate_failed","failed_generation":"Sure! Here is the score: 80"}}`
	return Response{Status: http.StatusBadRequest, Body: body, Header: jsonHeader()}
}

// Raw is a response with any status and body (malformed JSON, HTML error pages).
func Raw(status int, body string) Response {
	return Response{Status: status, Body: body}
}

// Slow wraps r with latency.
func Slow(r Response, d time.Duration) Response {
	r.Delay = d
	return r
}

func jsonHeader() http.Header {
	return http.Header{"Content-Type": []string{"application/json"}}
}

// Server is a fake OpenAI-compatible server. URL is the BaseURL to configure.
type Server struct {
	*httptest.Server

	mu       sync.Mutex
	queue    []Response
	def      Response
	handler  func(Request) Response
	requests []Request
}

// New starts a Server; the caller must Close it (t.Cleanup(s.Close)).
func New() *Server {
	s := &Server{def: Reply("fake-model", "{}")}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	return s
}

// Enqueue adds responses served once each, in order, before the default.
func (s *Server) Enqueue(rs ...Response) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.queue = append(s.queue, rs...)
}

// SetDefault sets the response served when the queue is empty.
func (s *Server) SetDefault(r Response) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.def = r
}

// SetHandler lets f decide every response once the queue is empty (nil: the default).
func (s *Server) SetHandler(f func(Request) Response) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.handler = f
}

// Requests returns a copy of the recorded requests, oldest first.
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

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	req := Request{Method: r.Method, Path: r.URL.Path, Header: r.Header.Clone(), Body: body}
	_ = json.Unmarshal(body, &req.Chat)

	s.mu.Lock()
	s.requests = append(s.requests, req)
	var resp Response
	switch {
	case r.Method != http.MethodPost || !strings.HasSuffix(r.URL.Path, "/chat/completions"):
		resp = Error(http.StatusNotFound, "unknown_url", fmt.Sprintf("Unknown request URL: %s %s", r.Method, r.URL.Path))
	case len(s.queue) > 0:
		resp = s.queue[0]
		s.queue = s.queue[1:]
	case s.handler != nil:
		h := s.handler
		s.mu.Unlock()
		resp = h(req)
		s.mu.Lock()
	default:
		resp = s.def
	}
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
	status := resp.Status
	if status == 0 {
		status = http.StatusOK
	}
	w.WriteHeader(status)
	_, _ = io.WriteString(w, resp.Body)
}
