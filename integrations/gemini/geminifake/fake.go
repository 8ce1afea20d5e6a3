// Package geminifake is an in-process Gemini generateContent server for tests,
// speaking the REST format google.golang.org/genai uses (Gemini API paths
// /v1beta/models/{model}:generateContent and Vertex AI paths
// /v1beta1/projects/{p}/locations/{l}/publishers/google/models/{model}:generateContent).
//
// A Server's behaviour is programmable: queued responses are served first, in
// order (Enqueue), then a handler (SetHandler), then the default (SetDefault).
// Every request is recorded (Requests), decoded enough to assert on the model,
// API key, system instruction, contents, temperature and response schema.
// Latency (Response.Delay) ends early when the client goes away. The queue,
// the recording and the serving are integrations/internal/fakehttp's, shared
// with the other fakes; this package adds Google's wire format.
//
// Invariants: safe for concurrent use; loopback only; unknown paths get a 404
// in Google's error format.
package geminifake

import (
	"encoding/json"
	"net/http"
	"strings"
	"time"

	"github.com/sparrow-coach/sparrow/integrations/internal/fakehttp"
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

// Response is what the server answers to one request (Status 0 means 200).
type Response = fakehttp.Response

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
	return fakehttp.JSON(http.StatusOK, body)
}

// PromptBlocked is a 200 answer with no candidates and a prompt block reason.
func PromptBlocked(reason string) Response {
	return fakehttp.JSON(http.StatusOK, map[string]any{"promptFeedback": map[string]any{"blockReason": reason}})
}

// Error is Google's error body {"error":{"code","message","status"}}.
func Error(code int, status, message string, details ...map[string]any) Response {
	e := map[string]any{"code": code, "message": message, "status": status}
	if len(details) > 0 {
		e["details"] = details
	}
	return fakehttp.JSON(code, map[string]any{"error": e})
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
func Raw(status int, body string) Response { return fakehttp.Raw(status, body) }

// Slow wraps r with latency.
func Slow(r Response, d time.Duration) Response { return fakehttp.Slow(r, d) }

// Server is a fake Gemini service; URL is the BaseURL to configure.
// Its methods (Enqueue, SetDefault, SetHandler, Requests, RequestCount) are
// fakehttp.Server's.
type Server = fakehttp.Server[Request]

// New starts a Server; the caller must Close it (t.Cleanup(s.Close)).
func New() *Server {
	return fakehttp.New(record, fakehttp.Options[Request]{Refuse: refuse, Default: Text("", "{}")})
}

func record(r *http.Request, body []byte) Request {
	req := Request{Method: r.Method, Path: r.URL.Path, Header: r.Header.Clone(), Body: body, APIKey: r.Header.Get("X-Goog-Api-Key")}
	req.Model = modelFromPath(r.URL.Path)
	_ = json.Unmarshal(body, &req.Generate)
	return req
}

// refuse answers 404 to anything but a POST to a generateContent path.
func refuse(r Request) (Response, bool) {
	if r.Method == http.MethodPost && r.Model != "" {
		return Response{}, false
	}
	return Error(http.StatusNotFound, "NOT_FOUND", "unknown path "+r.Path), true
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
