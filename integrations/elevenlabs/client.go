package elevenlabs

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/sparrow-coach/sparrow/integrations/internal/endpoint"
	"github.com/sparrow-coach/sparrow/integrations/resilience"
)

// DefaultBaseURL is the ElevenLabs API root.
const DefaultBaseURL = "https://api.elevenlabs.io"

// DefaultTimeout bounds one request when Config.Timeout is zero.
const DefaultTimeout = 15 * time.Second

const maxBody = 16 << 20

// Config configures a Client.
type Config struct {
	APIKey string
	// BaseURL is the API root (default DefaultBaseURL).
	BaseURL string
	// AgentID is the default agent for SignedURL.
	AgentID    string
	HTTPClient *http.Client
	// Timeout bounds one request (default DefaultTimeout).
	Timeout time.Duration
}

func (c *Config) setDefaults() {
	c.BaseURL = endpoint.BaseURL(c.BaseURL, DefaultBaseURL)
	if c.HTTPClient == nil {
		c.HTTPClient = &http.Client{}
	}
	if c.Timeout == 0 {
		c.Timeout = DefaultTimeout
	}
}

// Validate checks the configuration (after defaults are applied by New).
func (c Config) Validate() error {
	var errs []error
	if strings.TrimSpace(c.APIKey) == "" {
		errs = append(errs, errors.New("elevenlabs: APIKey is required"))
	}
	if !endpoint.IsHTTPURL(c.BaseURL) {
		errs = append(errs, errors.New("elevenlabs: BaseURL must be an absolute http(s) URL"))
	}
	if c.Timeout < 0 {
		errs = append(errs, errors.New("elevenlabs: Timeout must be >= 0"))
	}
	return errors.Join(errs...)
}

var (
	// ErrNotFound: the conversation or agent does not exist (404).
	ErrNotFound = errors.New("elevenlabs: not found")
	// ErrValidation: the request was rejected as invalid (422).
	ErrValidation = errors.New("elevenlabs: validation error")
	// ErrMalformedResponse: a 2xx answer whose body is not the documented shape.
	ErrMalformedResponse = errors.New("elevenlabs: malformed response")
)

// APIError is a non-2xx answer.
type APIError struct {
	Status     int
	Message    string // the "detail" of the body (a string, or the first validation message)
	RetryAfter time.Duration
}

func (e *APIError) Error() string {
	s := fmt.Sprintf("elevenlabs: %d %s", e.Status, http.StatusText(e.Status))
	if e.Message != "" {
		s += ": " + e.Message
	}
	return s
}

// Retryable reports whether asking again may succeed (408, 429, 5xx).
func (e *APIError) Retryable() bool { return resilience.StatusRetryable(e.Status) }

// RetryDelay is the server's Retry-After.
func (e *APIError) RetryDelay() time.Duration { return e.RetryAfter }

// Is maps 404 to ErrNotFound and 422 to ErrValidation.
func (e *APIError) Is(target error) bool {
	return target == ErrNotFound && e.Status == http.StatusNotFound ||
		target == ErrValidation && e.Status == http.StatusUnprocessableEntity
}

// Client calls the ElevenLabs API. Safe for concurrent use.
type Client struct {
	cfg Config
	now func() time.Time
}

// New validates cfg and returns a Client.
func New(cfg Config) (*Client, error) {
	cfg.setDefaults()
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	return &Client{cfg: cfg, now: time.Now}, nil
}

// SignedURL returns a signed WebSocket URL (valid 15 minutes) for the browser
// to start a conversation with agentID ("" means Config.AgentID).
func (c *Client) SignedURL(ctx context.Context, agentID string) (string, error) {
	if agentID == "" {
		agentID = c.cfg.AgentID
	}
	if strings.TrimSpace(agentID) == "" {
		return "", resilience.Permanent(errors.New("elevenlabs: signed url: no agent id"))
	}
	var out struct {
		SignedURL string `json:"signed_url"`
	}
	q := url.Values{"agent_id": {agentID}}
	if err := c.get(ctx, "/v1/convai/conversation/get-signed-url?"+q.Encode(), &out); err != nil {
		return "", fmt.Errorf("elevenlabs: signed url for agent %q: %w", agentID, err)
	}
	if !strings.HasPrefix(out.SignedURL, "wss://") && !strings.HasPrefix(out.SignedURL, "ws://") {
		return "", fmt.Errorf("elevenlabs: signed url for agent %q: %w", agentID,
			resilience.Retryable(fmt.Errorf("%w: signed_url %q is not a WebSocket URL", ErrMalformedResponse, out.SignedURL)))
	}
	return out.SignedURL, nil
}

// Conversation fetches one conversation's details and transcript.
func (c *Client) Conversation(ctx context.Context, id string) (Conversation, error) {
	if strings.TrimSpace(id) == "" {
		return Conversation{}, resilience.Permanent(errors.New("elevenlabs: conversation: empty id"))
	}
	var conv Conversation
	if err := c.get(ctx, "/v1/convai/conversations/"+url.PathEscape(id), &conv); err != nil {
		return Conversation{}, fmt.Errorf("elevenlabs: conversation %q: %w", id, err)
	}
	if conv.ConversationID == "" {
		return Conversation{}, fmt.Errorf("elevenlabs: conversation %q: %w", id, resilience.Retryable(fmt.Errorf("%w: no conversation_id", ErrMalformedResponse)))
	}
	return conv, nil
}

func (c *Client) get(ctx context.Context, pathAndQuery string, out any) error {
	ctx, cancel := context.WithTimeout(ctx, c.cfg.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.cfg.BaseURL+pathAndQuery, nil)
	if err != nil {
		return err
	}
	req.Header.Set("xi-api-key", c.cfg.APIKey)
	req.Header.Set("Accept", "application/json")
	resp, err := c.cfg.HTTPClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	if err != nil {
		return fmt.Errorf("read response: %w", err)
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return c.apiError(resp, raw)
	}
	if err := json.Unmarshal(raw, out); err != nil {
		return resilience.Retryable(fmt.Errorf("%w: %v", ErrMalformedResponse, err))
	}
	return nil
}

func (c *Client) apiError(resp *http.Response, raw []byte) *APIError {
	e := &APIError{Status: resp.StatusCode}
	if d, ok := resilience.ParseRetryAfter(resp.Header.Get("Retry-After"), c.now()); ok {
		e.RetryAfter = d
	}
	var body struct {
		Detail json.RawMessage `json:"detail"`
	}
	if json.Unmarshal(raw, &body) == nil && len(body.Detail) > 0 {
		var s string
		var obj struct {
			Message string `json:"message"`
		}
		var list []struct {
			Msg string `json:"msg"`
		}
		switch {
		case json.Unmarshal(body.Detail, &s) == nil:
			e.Message = s
		case json.Unmarshal(body.Detail, &obj) == nil && obj.Message != "":
			e.Message = obj.Message
		case json.Unmarshal(body.Detail, &list) == nil && len(list) > 0:
			e.Message = list[0].Msg
		}
		if e.Message != "" {
			return e
		}
	}
	e.Message = endpoint.Excerpt(raw)
	return e
}
