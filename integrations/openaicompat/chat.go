package openaicompat

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"time"

	"github.com/sparrow-coach/sparrow/integrations/internal/endpoint"
	"github.com/sparrow-coach/sparrow/integrations/resilience"
)

// maxBody bounds how much of a response body is read.
const maxBody = 8 << 20

// Client talks to one OpenAI-compatible server with one model. Safe for concurrent use.
type Client struct {
	cfg Config
	now func() time.Time
	// schemaRefused: the server answered 400 to a json_schema request, so
	// JSON answers are asked with json_object from then on.
	schemaRefused atomic.Bool
}

// New validates cfg and returns a Client.
func New(cfg Config) (*Client, error) {
	cfg.setDefaults()
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	return &Client{cfg: cfg, now: time.Now}, nil
}

// Model is the configured model name.
func (c *Client) Model() string { return c.cfg.Model }

// Message is one chat message; Role is "system", "user" or "assistant".
type Message struct {
	Role    string `json:"role"`
	Content string `json:"content"`
}

// ChatRequest is one chat completion request.
type ChatRequest struct {
	Messages    []Message
	Temperature float64
	// JSON asks for a JSON object answer (response_format json_object).
	JSON bool
	// Schema, with JSON, describes the answer: sent as response_format
	// json_schema (strict) unless Config.JSONSchema is JSONSchemaOff or the
	// server refused json_schema before (then json_object, the shape only in
	// the prompt).
	Schema *JSONSchema
	// MaxTokens caps the answer (0: server default).
	MaxTokens int
}

// ChatResponse is the first choice of a completion.
type ChatResponse struct {
	Content      string
	Model        string // the model that answered, as the server reports it
	FinishReason string // "stop", "length", ...
}

type wireRequest struct {
	Model          string          `json:"model"`
	Messages       []Message       `json:"messages"`
	Temperature    float64         `json:"temperature"`
	MaxTokens      int             `json:"max_tokens,omitempty"`
	ResponseFormat *responseFormat `json:"response_format,omitempty"`
}

type responseFormat struct {
	Type       string      `json:"type"`
	JSONSchema *JSONSchema `json:"json_schema,omitempty"`
}

// JSONSchema is response_format.json_schema: a named JSON Schema the answer
// must follow (Strict: exactly).
type JSONSchema struct {
	Name   string         `json:"name"`
	Schema map[string]any `json:"schema"`
	Strict bool           `json:"strict"`
}

type wireResponse struct {
	Model   string `json:"model"`
	Choices []struct {
		Message struct {
			Content *string `json:"content"`
		} `json:"message"`
		FinishReason string `json:"finish_reason"`
	} `json:"choices"`
}

type wireError struct {
	Error *struct {
		Message string `json:"message"`
		Type    string `json:"type"`
		Code    any    `json:"code"` // a string on Groq/OpenAI, sometimes a number elsewhere
	} `json:"error"`
}

// Chat sends one chat completion request and returns the first choice.
func (c *Client) Chat(ctx context.Context, req ChatRequest) (ChatResponse, error) {
	if len(req.Messages) == 0 {
		return ChatResponse{}, fmt.Errorf("openaicompat: chat: %w", resilience.Permanent(fmt.Errorf("no messages")))
	}
	body := wireRequest{Model: c.cfg.Model, Messages: req.Messages, Temperature: req.Temperature, MaxTokens: req.MaxTokens}
	if req.JSON {
		body.ResponseFormat = &responseFormat{Type: "json_object"}
		if req.Schema != nil && c.cfg.JSONSchema != JSONSchemaOff && !c.schemaRefused.Load() {
			body.ResponseFormat = &responseFormat{Type: "json_schema", JSONSchema: req.Schema}
			resp, err := c.send(ctx, body)
			var ae *APIError
			if !errors.As(err, &ae) || ae.Status != http.StatusBadRequest || ae.Code == CodeJSONValidateFailed {
				return resp, err
			}
			// A server without json_schema (an older vLLM, llama.cpp) says
			// 400: ask again, and from now on, with json_object.
			c.schemaRefused.Store(true)
			body.ResponseFormat = &responseFormat{Type: "json_object"}
		}
	}
	return c.send(ctx, body)
}

// send posts one request body and returns the first choice.
func (c *Client) send(ctx context.Context, body wireRequest) (ChatResponse, error) {
	payload, err := json.Marshal(body)
	if err != nil {
		return ChatResponse{}, fmt.Errorf("openaicompat: encode request: %w", err)
	}

	ctx, cancel := context.WithTimeout(ctx, c.cfg.Timeout)
	defer cancel()
	hreq, err := http.NewRequestWithContext(ctx, http.MethodPost, c.cfg.BaseURL+"/chat/completions", bytes.NewReader(payload))
	if err != nil {
		return ChatResponse{}, fmt.Errorf("openaicompat: build request: %w", err)
	}
	hreq.Header.Set("Content-Type", "application/json")
	hreq.Header.Set("Accept", "application/json")
	if c.cfg.APIKey != "" {
		hreq.Header.Set("Authorization", "Bearer "+c.cfg.APIKey)
	}
	resp, err := c.cfg.HTTPClient.Do(hreq)
	if err != nil {
		return ChatResponse{}, fmt.Errorf("openaicompat: chat with %s: %w", c.cfg.Model, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	if err != nil {
		return ChatResponse{}, fmt.Errorf("openaicompat: read response: %w", err)
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return ChatResponse{}, c.apiError(resp, raw)
	}

	var wr wireResponse
	if err := json.Unmarshal(raw, &wr); err != nil {
		return ChatResponse{}, resilience.Retryable(fmt.Errorf("%w: %v", ErrMalformedResponse, err))
	}
	if len(wr.Choices) == 0 {
		return ChatResponse{}, resilience.Retryable(ErrEmptyChoices)
	}
	ch := wr.Choices[0]
	if ch.Message.Content == nil || strings.TrimSpace(*ch.Message.Content) == "" {
		return ChatResponse{}, resilience.Retryable(fmt.Errorf("%w (finish_reason %q)", ErrEmptyContent, ch.FinishReason))
	}
	model := wr.Model
	if model == "" {
		model = c.cfg.Model
	}
	return ChatResponse{Content: *ch.Message.Content, Model: model, FinishReason: ch.FinishReason}, nil
}

func (c *Client) apiError(resp *http.Response, raw []byte) *APIError {
	e := &APIError{Status: resp.StatusCode}
	if d, ok := resilience.ParseRetryAfter(resp.Header.Get("Retry-After"), c.now()); ok {
		e.RetryAfter = d
	}
	var we wireError
	if json.Unmarshal(raw, &we) == nil && we.Error != nil {
		e.Message = we.Error.Message
		e.Type = we.Error.Type
		switch v := we.Error.Code.(type) {
		case string:
			e.Code = v
		case float64:
			e.Code = fmt.Sprint(v)
		}
		return e
	}
	e.Message = endpoint.Excerpt(raw)
	return e
}
