// Package geminifake is an in-process Gemini generateContent server for tests,
// speaking the REST format google.golang.org/genai uses (Gemini API paths
// /v1beta/models/{model}:generateContent and Vertex AI paths
// /v1beta1/projects/{p}/locations/{l}/publishers/google/models/{model}:generateContent).
//
// A Server's behaviour is programmable: queued responses are served first, in
// order (Enqueue), then a handler (SetHandler), then the default (SetDefault).
// Every request is recorded (Requests), decoded enough to assert on the model,
// API key, system instruction, contents, temperature and response schema.
// Latency (Response.Delay) ends early when the client goes away.
//
// Invariants: safe for concurrent use; loopback only; unknown paths get a 404
// in Google's error format.
package geminifake

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"time"
)

// Part is one part of a content.
type Part struct {
	Text    string `json:"text,omitempty"`
	Thought bool   `json:"thought,omitempty"`
}

// Content is a role and its parts.
type Content struct {
	Role  string `json:"role,omitempty"`
	Parts []Part `json:"parts"`
}

// Text joins the text of the parts.
func (c *Content) Text() string {
	if c == nil {
		return ""
	}
	var b strings.Builder
	for _, p := range c.Parts {
		b.WriteString(p.Text)
	}
	return b.String()
}

// GenerationConfig is the part of generationConfig the tests look at.
type GenerationConfig struct {
	Temperature      *float64       `json:"temperature"`
	ResponseMIMEType string         `json:"responseMimeType"`
	ResponseSchema   map[string]any `json:"responseSchema"`
	MaxOutputTokens  int            `json:"maxOutputTokens"`
	CandidateCount   int            `json:"candidateCount"`
}

// GenerateRequest is the decoded body of a generateContent request.
type GenerateRequest struct {
	Contents          []Content         `json:"contents"`
	SystemInstruction *Content          `json:"systemInstruction"`
	GenerationConfig  *GenerationConfig `json:"generationConfig"`
}

// Request is one recorded request.
type Request struct {
	Method   string
	Path     string
	Model    string // from the path
	APIKey   string // x-goog-api-key header
	Header   http.Header
	Body     []byte
	Generate GenerateRequest
}

// Response is what the server answers to one request.
type Response struct {
	Status int
	Header http.Header
	Body   string
	Delay  time.Duration
}

// Text is a 200 answer whose single candidate says text (finish STOP).
func Text(modelVersion, text string) Response {
	return Candidate(modelVersion, text, "STOP")
}

// JSON is Text with v marshalled as the answer.
func JSON(modelVersion string, v any) Response {
	b, err := json.Marshal(v)
	if err != nil {
		return Error(http.StatusInternalServerError, "INTERNAL", err.Error())
	}
	return Text(modelVersion, string(b))
}

// Candidate is a 200 answer with one candidate and a finish reason.
func Candidate(modelVersion, text, finishReason string) Response {
	cand := map[string]any{"index": 0, "finishReason": finishReason,
		"content": map[string]any{"role": "model", "parts": []any{map[string]any{"text": text}}}}
	if text == "" {
		cand["content"] = map[string]any{"role": "model", "parts": []any{}}
	}
	body := map[string]any{
		"candidates":    []any{cand},
		"usageMetadata": map[string]any{"promptTokenCount": 10, "candidatesTokenCount": 5, "totalTokenCount": 15},
	}
	if modelVersion != "" {
		body["modelVersion"] = modelVersion
	}
	b, _ := json.Marshal(body)
	return Response{Status: http.StatusOK, Body: string(b), Header: jsonHeader()}
}

// PromptBlocked is a 200 answer with no candidates and a prompt block reason.
func PromptBlocked(reason string) Response {
	b, _ := json.Marshal(map[string]any{"promptFeedback": map[string]any{"blockReason": reason}})
	return Response{Status: http.StatusOK, Body: string(b), Header: jsonHeader()}
}

// Error is Google's error body {"error":{"code","message","status"}}.
func Error(code int, status, message string, details ...map[string]any) Response {
	e := map[string]any{"code": code, "message": message, "status": status}
	if len(details) > 0 {
		e["details"] = details
	}
	b, _ := json.Marshal(map[string]any{"error": e})
	return Response{Status: code, Body: string(b), Header: jsonHeader()}
}

// RateLimited is a 429 RESOURCE_EXHAUSTED, with a RetryInfo detail when
// retryDelay (e.g. "17s") is not empty.
func RateLimited(retryDelay string) Response {
	var details []map[string]any
	if retryDelay != "" {
		details = append(details, map[string]any{"@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": retryDelay})
	}
	return Error(http.StatusTooManyRequests, "RESOURCE_EXHAUSTED", "Resource has been exhausted (e.g. check quota).", details...)
}

// Raw is any status and body (malformed JSON, HTML pages).
func Raw(status int, body string) Response { return Response{Status: status, Body: body} }

// Slow wraps r with latency.
func Slow(r Response, d time.Duration) Response {
	r.Delay = d
	return r
}

func jsonHeader() http.Header { return http.Header{"Content-Type": []string{"application/json"}} }

// Server is a fake Gemini service; URL is the BaseURL to configure.
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
	s := &Server{def: Text("", "{}")}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	return s
}

// Enqueue adds responses served once each, in order.
func (s *Server) Enqueue(rs ...Response) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.queue = append(s.queue, rs...)
}

// SetDefault sets the response served when the queue is empty and no handler is set.
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
	req := Request{Method: r.Method, Path: r.URL.Path, Header: r.Header.Clone(), Body: body, APIKey: r.Header.Get("X-Goog-Api-Key")}
	req.Model = modelFromPath(r.URL.Path)
	_ = json.Unmarshal(body, &req.Generate)

	s.mu.Lock()
	s.requests = append(s.requests, req)
	var resp Response
	switch {
	case r.Method != http.MethodPost || req.Model == "":
		resp = Error(http.StatusNotFound, "NOT_FOUND", "unknown path "+r.URL.Path)
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

// modelFromPath extracts {model} from ".../models/{model}:generateContent".
func modelFromPath(p string) string {
	const suffix = ":generateContent"
	if !strings.HasSuffix(p, suffix) {
		return ""
	}
	p = strings.TrimSuffix(p, suffix)
	i := strings.LastIndex(p, "/models/")
	if i < 0 {
		return ""
	}
	return p[i+len("/models/"):]
}
