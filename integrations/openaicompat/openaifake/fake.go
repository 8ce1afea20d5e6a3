// Package openaifake is an in-process OpenAI-compatible chat-completions server
// for tests (Groq, Ollama, llama.cpp and vLLM speak the same wire format).
//
// A Server answers POST {URL}/chat/completions; anything else gets a 404 in
// OpenAI's error format. Its behaviour is programmable: queued responses are
// served first, in order (Enqueue), then a handler function decides
// (SetHandler), else the default response (SetDefault). Every request is
// recorded (Requests). A Response can add latency, which ends early if the
// client goes away, so a timed-out client never blocks Close. The queue, the
// recording and the serving are integrations/internal/fakehttp's, shared with
// the other fakes; this package adds the OpenAI wire format.
//
// Invariants: safe for concurrent use; never reaches the network beyond its
// own loopback listener; the initial default answers 200 with content "{}".
package openaifake

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/sparrow-coach/sparrow/integrations/internal/fakehttp"
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
		Type       string `json:"type"`
		JSONSchema *struct {
			Name   string         `json:"name"`
			Schema map[string]any `json:"schema"`
			Strict bool           `json:"strict"`
		} `json:"json_schema"`
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

// JSONMode reports whether the request asked for a JSON answer
// (response_format json_object or json_schema).
func (r Request) JSONMode() bool {
	return r.Chat.ResponseFormat != nil && (r.Chat.ResponseFormat.Type == "json_object" || r.Chat.ResponseFormat.Type == "json_schema")
}

// SchemaName is the name of the response_format json_schema the request
// sent ("" when it sent none: json_object or no JSON mode).
func (r Request) SchemaName() string {
	if rf := r.Chat.ResponseFormat; rf != nil && rf.Type == "json_schema" && rf.JSONSchema != nil {
		return rf.JSONSchema.Name
	}
	return ""
}

// NoJSONSchema is the 400 a server without json_schema support answers
// (an older vLLM or llama.cpp server).
func NoJSONSchema() Response {
	return Error(http.StatusBadRequest, "invalid_request_error", "response_format.type: json_schema is not supported; use json_object")
}

// Response is what the server answers to one request (Status 0 means 200).
type Response = fakehttp.Response

// Reply is a 200 chat completion whose first choice has content.
func Reply(model, content string) Response {
	body := map[string]any{
		"id": "chatcmpl-fake", "object": "chat.completion", "created": 1700000000, "model": model,
		"choices": []any{map[string]any{
			"index": 0, "finish_reason": "stop",
			"message": map[string]any{"role": "assistant", "content": content},
		}},
		"usage": map[string]any{"prompt_tokens": 10, "completion_tokens": 5, "total_tokens": 15},
	}
	return fakehttp.JSON(http.StatusOK, body)
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
	return fakehttp.JSON(status, map[string]any{"error": map[string]any{"message": message, "type": "invalid_request_error", "code": code}})
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
	return Response{Status: http.StatusBadRequest, Body: body, Header: fakehttp.JSONHeader()}
}

// Raw is a response with any status and body (malformed JSON, HTML error pages).
func Raw(status int, body string) Response { return fakehttp.Raw(status, body) }

// Slow wraps r with latency.
func Slow(r Response, d time.Duration) Response { return fakehttp.Slow(r, d) }

// Server is a fake OpenAI-compatible server. URL is the BaseURL to configure.
// Its methods (Enqueue, SetDefault, SetHandler, Requests, RequestCount) are
// fakehttp.Server's.
type Server = fakehttp.Server[Request]

// New starts a Server; the caller must Close it (t.Cleanup(s.Close)).
func New() *Server {
	return fakehttp.New(record, fakehttp.Options[Request]{Refuse: refuse, Default: Reply("fake-model", "{}")})
}

func record(r *http.Request, body []byte) Request {
	req := Request{Method: r.Method, Path: r.URL.Path, Header: r.Header.Clone(), Body: body}
	_ = json.Unmarshal(body, &req.Chat)
	return req
}

// refuse answers 404 to anything but POST .../chat/completions.
func refuse(r Request) (Response, bool) {
	if r.Method == http.MethodPost && strings.HasSuffix(r.Path, "/chat/completions") {
		return Response{}, false
	}
	return Error(http.StatusNotFound, "unknown_url", fmt.Sprintf("Unknown request URL: %s %s", r.Method, r.Path)), true
}
