package openaicompat_test

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sparrow-coach/sparrow/integrations/openaicompat"
	"github.com/sparrow-coach/sparrow/integrations/openaicompat/openaifake"
	"github.com/sparrow-coach/sparrow/integrations/resilience"
)

func newClient(t *testing.T, cfg openaicompat.Config) (*openaicompat.Client, *openaifake.Server) {
	t.Helper()
	fake := openaifake.New()
	t.Cleanup(fake.Close)
	cfg.BaseURL = fake.URL + "/openai/v1"
	if cfg.Model == "" {
		cfg.Model = "openai/gpt-oss-20b"
	}
	c, err := openaicompat.New(cfg)
	require.NoError(t, err)
	return c, fake
}

func jsonRequest() openaicompat.ChatRequest {
	return openaicompat.ChatRequest{
		Messages:    []openaicompat.Message{{Role: "system", Content: "be terse"}, {Role: "user", Content: "score it"}},
		Temperature: 0.2, JSON: true, MaxTokens: 300,
	}
}

func TestChatSuccessSendsTheWireFormat(t *testing.T) {
	c, fake := newClient(t, openaicompat.Config{APIKey: "gsk_test"})
	fake.Enqueue(openaifake.Reply("openai/gpt-oss-20b", `{"score":80,"summary":"ok"}`))

	resp, err := c.Chat(context.Background(), jsonRequest())
	require.NoError(t, err)
	assert.Equal(t, `{"score":80,"summary":"ok"}`, resp.Content)
	assert.Equal(t, "openai/gpt-oss-20b", resp.Model)
	assert.Equal(t, "stop", resp.FinishReason)

	reqs := fake.Requests()
	require.Len(t, reqs, 1)
	r := reqs[0]
	assert.Equal(t, http.MethodPost, r.Method)
	assert.Equal(t, "/openai/v1/chat/completions", r.Path)
	assert.Equal(t, "Bearer gsk_test", r.Header.Get("Authorization"))
	assert.Equal(t, "application/json", r.Header.Get("Content-Type"))
	assert.Equal(t, "openai/gpt-oss-20b", r.Chat.Model)
	require.NotNil(t, r.Chat.Temperature)
	assert.InDelta(t, 0.2, *r.Chat.Temperature, 1e-9)
	assert.Equal(t, 300, r.Chat.MaxTokens)
	assert.True(t, r.JSONMode())
	assert.Equal(t, []openaifake.Message{{Role: "system", Content: "be terse"}, {Role: "user", Content: "score it"}}, r.Chat.Messages)
}

func TestChatWithoutKeyOrJSON(t *testing.T) {
	c, fake := newClient(t, openaicompat.Config{Model: "llama3.2"})
	fake.Enqueue(openaifake.Reply("llama3.2", "Hello there."))
	req := jsonRequest()
	req.JSON = false
	req.Temperature = 0
	req.MaxTokens = 0
	_, err := c.Chat(context.Background(), req)
	require.NoError(t, err)

	r := fake.Requests()[0]
	assert.Empty(t, r.Header.Get("Authorization"), "no key, no Authorization header")
	assert.False(t, r.JSONMode())
	assert.NotContains(t, string(r.Body), "response_format")
	assert.NotContains(t, string(r.Body), "max_tokens")
	assert.Contains(t, string(r.Body), `"temperature":0`, "temperature 0 is sent, not dropped")
}

func TestChatErrors(t *testing.T) {
	tests := []struct {
		name           string
		resp           openaifake.Response
		wantStatus     int    // for *APIError
		wantCode       string // for *APIError
		wantRetryAfter time.Duration
		wantIs         error
		wantRetryable  bool
	}{
		{name: "429 with retry-after seconds", resp: openaifake.RateLimited("7"), wantStatus: 429, wantCode: "rate_limit_exceeded", wantRetryAfter: 7 * time.Second, wantRetryable: true},
		{name: "429 without retry-after", resp: openaifake.RateLimited(""), wantStatus: 429, wantCode: "rate_limit_exceeded", wantRetryable: true},
		{name: "500", resp: openaifake.Error(500, "internal_server_error", "boom"), wantStatus: 500, wantCode: "internal_server_error", wantRetryable: true},
		{name: "503 html page", resp: openaifake.Raw(503, "<html>Service Unavailable</html>"), wantStatus: 503, wantRetryable: true},
		{name: "400 json_validate_failed", resp: openaifake.JSONValidateFailed(), wantStatus: 400, wantCode: "json_validate_failed", wantIs: openaicompat.ErrJSONValidateFailed, wantRetryable: true},
		{name: "400 other", resp: openaifake.Error(400, "model_decommissioned", "The model llama-3.1-70b-versatile has been decommissioned"), wantStatus: 400, wantCode: "model_decommissioned"},
		{name: "401", resp: openaifake.Error(401, "invalid_api_key", "Invalid API Key"), wantStatus: 401, wantCode: "invalid_api_key"},
		{name: "malformed JSON body", resp: openaifake.Raw(200, `{"choices":[`), wantIs: openaicompat.ErrMalformedResponse, wantRetryable: true},
		{name: "empty choices", resp: openaifake.Raw(200, `{"model":"m","choices":[]}`), wantIs: openaicompat.ErrEmptyChoices, wantRetryable: true},
		{name: "null content", resp: openaifake.Raw(200, `{"model":"m","choices":[{"message":{"role":"assistant","content":null},"finish_reason":"length"}]}`), wantIs: openaicompat.ErrEmptyContent, wantRetryable: true},
		{name: "blank content", resp: openaifake.Reply("m", "  \n"), wantIs: openaicompat.ErrEmptyContent, wantRetryable: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, fake := newClient(t, openaicompat.Config{APIKey: "gsk_secret_key"})
			fake.Enqueue(tt.resp)
			_, err := c.Chat(context.Background(), jsonRequest())
			require.Error(t, err)
			assert.Equal(t, tt.wantRetryable, resilience.IsRetryable(err), "retryable")
			assert.NotContains(t, err.Error(), "gsk_secret_key")
			if tt.wantIs != nil {
				assert.ErrorIs(t, err, tt.wantIs)
			}
			if tt.wantStatus == 0 {
				var apiErr *openaicompat.APIError
				assert.False(t, errors.As(err, &apiErr), "a 2xx problem is not an APIError")
				return
			}
			var apiErr *openaicompat.APIError
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, tt.wantStatus, apiErr.Status)
			assert.Equal(t, tt.wantCode, apiErr.Code)
			assert.Equal(t, tt.wantRetryAfter, apiErr.RetryAfter)
			d, _ := resilience.RetryDelay(err)
			assert.Equal(t, tt.wantRetryAfter, d)
		})
	}
}

func TestChatRetryAfterHTTPDate(t *testing.T) {
	c, fake := newClient(t, openaicompat.Config{})
	fake.Enqueue(openaifake.RateLimited(time.Now().Add(time.Hour).UTC().Format(http.TimeFormat)))
	_, err := c.Chat(context.Background(), jsonRequest())
	var apiErr *openaicompat.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.InDelta(t, time.Hour.Seconds(), apiErr.RetryAfter.Seconds(), 5)
}

func TestChatTimeout(t *testing.T) {
	c, fake := newClient(t, openaicompat.Config{Timeout: 50 * time.Millisecond})
	fake.Enqueue(openaifake.Slow(openaifake.Reply("m", "late"), 5*time.Second))
	start := time.Now()
	_, err := c.Chat(context.Background(), jsonRequest())
	require.Error(t, err)
	assert.Less(t, time.Since(start), 2*time.Second)
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	assert.True(t, resilience.IsRetryable(err), "a timeout is retryable")
}

func TestChatCallerCancellationIsNotRetryable(t *testing.T) {
	c, fake := newClient(t, openaicompat.Config{})
	fake.Enqueue(openaifake.Slow(openaifake.Reply("m", "late"), 5*time.Second))
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(30*time.Millisecond, cancel)
	_, err := c.Chat(ctx, jsonRequest())
	assert.ErrorIs(t, err, context.Canceled)
	assert.False(t, resilience.IsRetryable(err))
}

func TestChatNetworkErrorIsRetryable(t *testing.T) {
	fake := openaifake.New()
	url := fake.URL
	fake.Close() // nothing listens any more
	c, err := openaicompat.New(openaicompat.Config{BaseURL: url, Model: "m"})
	require.NoError(t, err)
	_, err = c.Chat(context.Background(), jsonRequest())
	require.Error(t, err)
	assert.True(t, resilience.IsRetryable(err))
}

func TestChatRetriedThroughRunner(t *testing.T) {
	c, fake := newClient(t, openaicompat.Config{})
	fake.Enqueue(openaifake.RateLimited("1"), openaifake.Error(502, "bad_gateway", "upstream"), openaifake.Reply("m", `{"score":70}`))
	var waits []time.Duration
	r := resilience.Runner{Policy: resilience.GroqPolicy(), Sleep: func(ctx context.Context, d time.Duration) error {
		waits = append(waits, d)
		return nil
	}}
	resp, err := resilience.Call(context.Background(), r, func(ctx context.Context) (openaicompat.ChatResponse, error) {
		return c.Chat(ctx, jsonRequest())
	})
	require.NoError(t, err)
	assert.Equal(t, `{"score":70}`, resp.Content)
	assert.Equal(t, []time.Duration{time.Second, time.Second}, waits, "Retry-After 1s, then the second backoff step")
	assert.Equal(t, 3, fake.RequestCount())
}

func TestChatRejectsEmptyMessages(t *testing.T) {
	c, fake := newClient(t, openaicompat.Config{})
	_, err := c.Chat(context.Background(), openaicompat.ChatRequest{})
	require.Error(t, err)
	assert.False(t, resilience.IsRetryable(err))
	assert.Zero(t, fake.RequestCount())
}

func TestConfigValidate(t *testing.T) {
	tests := []struct {
		name string
		cfg  openaicompat.Config
		ok   bool
	}{
		{"defaults with model", openaicompat.Config{Model: "openai/gpt-oss-20b"}, true},
		{"ollama", openaicompat.Config{BaseURL: "http://localhost:11434/v1/", Model: "llama3.2"}, true},
		{"missing model", openaicompat.Config{}, false},
		{"relative url", openaicompat.Config{BaseURL: "api/v1", Model: "m"}, false},
		{"ftp url", openaicompat.Config{BaseURL: "ftp://x/v1", Model: "m"}, false},
		{"negative timeout", openaicompat.Config{Model: "m", Timeout: -time.Second}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := openaicompat.New(tt.cfg)
			if tt.ok {
				require.NoError(t, err)
				assert.Equal(t, tt.cfg.Model, c.Model())
			} else {
				assert.Error(t, err)
			}
		})
	}
}

func TestFakeRejectsUnknownPaths(t *testing.T) {
	fake := openaifake.New()
	t.Cleanup(fake.Close)
	resp, err := http.Get(fake.URL + "/v1/models")
	require.NoError(t, err)
	defer resp.Body.Close()
	assert.Equal(t, http.StatusNotFound, resp.StatusCode)
}
