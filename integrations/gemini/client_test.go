package gemini_test

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sparrow-coach/sparrow/integrations/gemini"
	"github.com/sparrow-coach/sparrow/integrations/gemini/geminifake"
	"github.com/sparrow-coach/sparrow/integrations/resilience"
)

func newClient(t *testing.T, cfg gemini.Config) (*gemini.Client, *geminifake.Server) {
	t.Helper()
	fake := geminifake.New()
	t.Cleanup(fake.Close)
	cfg.BaseURL = fake.URL
	if cfg.APIKey == "" && cfg.VertexProject == "" {
		cfg.APIKey = "AIza-test-key"
	}
	c, err := gemini.New(context.Background(), cfg)
	require.NoError(t, err)
	return c, fake
}

var scoreSchema = &gemini.Schema{
	Kind:       gemini.Object,
	Properties: map[string]*gemini.Schema{"score": {Kind: gemini.Integer, Min: ptr(0.0), Max: ptr(100.0)}},
	Required:   []string{"score"},
}

func ptr[T any](v T) *T { return &v }

func TestGenerateJSONSendsTheWireFormat(t *testing.T) {
	c, fake := newClient(t, gemini.Config{Model: "gemini-2.5-pro"})
	fake.Enqueue(geminifake.Text("gemini-2.5-pro-002", `{"score":81}`))

	text, model, err := c.GenerateJSON(context.Background(), "You are a coach.", "Transcript...", scoreSchema, 0.3)
	require.NoError(t, err)
	assert.Equal(t, `{"score":81}`, text)
	assert.Equal(t, "gemini-2.5-pro-002", model)

	reqs := fake.Requests()
	require.Len(t, reqs, 1)
	r := reqs[0]
	assert.Equal(t, "/v1beta/models/gemini-2.5-pro:generateContent", r.Path)
	assert.Equal(t, "gemini-2.5-pro", r.Model)
	assert.Equal(t, "AIza-test-key", r.APIKey)
	assert.Equal(t, "You are a coach.", r.Generate.SystemInstruction.Text())
	require.Len(t, r.Generate.Contents, 1)
	assert.Equal(t, "user", r.Generate.Contents[0].Role)
	assert.Equal(t, "Transcript...", r.Generate.Contents[0].Text())
	gc := r.Generate.GenerationConfig
	require.NotNil(t, gc)
	assert.Equal(t, "application/json", gc.ResponseMIMEType)
	require.NotNil(t, gc.Temperature)
	assert.InDelta(t, 0.3, *gc.Temperature, 1e-6)
	assert.Equal(t, "OBJECT", gc.ResponseSchema["type"])
	assert.Equal(t, []any{"score"}, gc.ResponseSchema["required"])
	assert.Equal(t, []any{"score"}, gc.ResponseSchema["propertyOrdering"])
	score, _ := gc.ResponseSchema["properties"].(map[string]any)["score"].(map[string]any)
	assert.Equal(t, map[string]any{"type": "INTEGER", "minimum": 0.0, "maximum": 100.0}, score)
}

func TestDefaultModelAndReportedModelFallback(t *testing.T) {
	c, fake := newClient(t, gemini.Config{})
	assert.Equal(t, gemini.DefaultModel, c.Model())
	fake.Enqueue(geminifake.Text("", `{"score":1}`))
	_, model, err := c.GenerateJSON(context.Background(), "", "u", nil, 0)
	require.NoError(t, err)
	assert.Equal(t, gemini.DefaultModel, model, "without modelVersion the configured model is reported")
	assert.Nil(t, fake.Requests()[0].Generate.SystemInstruction, "an empty system prompt is not sent")
}

func TestVertexPath(t *testing.T) {
	fake := geminifake.New()
	t.Cleanup(fake.Close)
	c, err := gemini.New(context.Background(), gemini.Config{
		VertexProject: "sparrow-prod", VertexLocation: "europe-west4", BaseURL: fake.URL, HTTPClient: fake.Client(),
	})
	require.NoError(t, err)
	fake.Enqueue(geminifake.Text("", `{"score":2}`))
	_, _, err = c.GenerateJSON(context.Background(), "s", "u", scoreSchema, 0.3)
	require.NoError(t, err)
	r := fake.Requests()[0]
	assert.Equal(t, "/v1beta1/projects/sparrow-prod/locations/europe-west4/publishers/google/models/gemini-2.5-flash:generateContent", r.Path)
	assert.Empty(t, r.APIKey)
}

func TestGenerateTextSendsTheConversation(t *testing.T) {
	c, fake := newClient(t, gemini.Config{})
	fake.Enqueue(geminifake.Text("", "Who is this?"))
	turns := []gemini.Turn{
		{Role: gemini.RoleModel, Text: "Hello, Dana speaking."},
		{Role: gemini.RoleUser, Text: "Hi Dana, it's Sam from Acme."},
	}
	text, _, err := c.GenerateText(context.Background(), "You are Dana.", turns, 0.7)
	require.NoError(t, err)
	assert.Equal(t, "Who is this?", text)
	g := fake.Requests()[0].Generate
	require.Len(t, g.Contents, 2)
	assert.Equal(t, "model", g.Contents[0].Role)
	assert.Equal(t, "user", g.Contents[1].Role)
	assert.Empty(t, g.GenerationConfig.ResponseMIMEType)

	_, _, err = c.GenerateText(context.Background(), "s", nil, 0.7)
	assert.Error(t, err)
	_, _, err = c.GenerateText(context.Background(), "s", []gemini.Turn{{Role: "assistant", Text: "x"}}, 0.7)
	assert.Error(t, err)
	assert.False(t, resilience.IsRetryable(err))
	assert.Equal(t, 1, fake.RequestCount(), "invalid turns are rejected before any request")
}

func TestGenerateErrors(t *testing.T) {
	tests := []struct {
		name           string
		resp           geminifake.Response
		wantStatus     int
		wantCode       string
		wantRetryAfter time.Duration
		wantIs         error
		wantRetryable  bool
	}{
		{name: "429 with RetryInfo", resp: geminifake.RateLimited("17s"), wantStatus: 429, wantCode: "RESOURCE_EXHAUSTED", wantRetryAfter: 17 * time.Second, wantRetryable: true},
		{name: "429 without RetryInfo", resp: geminifake.RateLimited(""), wantStatus: 429, wantCode: "RESOURCE_EXHAUSTED", wantRetryable: true},
		{name: "500", resp: geminifake.Error(500, "INTERNAL", "An internal error has occurred."), wantStatus: 500, wantCode: "INTERNAL", wantRetryable: true},
		{name: "503", resp: geminifake.Error(503, "UNAVAILABLE", "The model is overloaded."), wantStatus: 503, wantCode: "UNAVAILABLE", wantRetryable: true},
		{name: "502 html", resp: geminifake.Raw(502, "<html>Bad Gateway</html>"), wantStatus: 502, wantRetryable: true},
		{name: "400", resp: geminifake.Error(400, "INVALID_ARGUMENT", "Invalid JSON payload"), wantStatus: 400, wantCode: "INVALID_ARGUMENT"},
		{name: "403", resp: geminifake.Error(403, "PERMISSION_DENIED", "API key not valid."), wantStatus: 403, wantCode: "PERMISSION_DENIED"},
		{name: "404 model", resp: geminifake.Error(404, "NOT_FOUND", "models/gemini-2.0-flash is not found"), wantStatus: 404, wantCode: "NOT_FOUND"},
		{name: "prompt blocked", resp: geminifake.PromptBlocked("SAFETY"), wantIs: gemini.ErrBlocked},
		{name: "answer stopped for safety", resp: geminifake.Candidate("", "", "SAFETY"), wantIs: gemini.ErrBlocked},
		{name: "no candidates", resp: geminifake.Raw(200, `{"candidates":[]}`), wantIs: gemini.ErrEmptyResponse, wantRetryable: true},
		{name: "empty text", resp: geminifake.Candidate("", "", "STOP"), wantIs: gemini.ErrEmptyResponse, wantRetryable: true},
		{name: "malformed JSON body", resp: geminifake.Raw(200, `{"candidates":[`), wantIs: gemini.ErrMalformedResponse, wantRetryable: true},
		{name: "wrong JSON shape", resp: geminifake.Raw(200, `{"candidates":"nope"}`), wantIs: gemini.ErrMalformedResponse, wantRetryable: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, fake := newClient(t, gemini.Config{APIKey: "AIza-secret"})
			fake.Enqueue(tt.resp)
			_, _, err := c.GenerateJSON(context.Background(), "s", "u", scoreSchema, 0.3)
			require.Error(t, err)
			assert.NotContains(t, err.Error(), "AIza-secret")
			assert.Equal(t, tt.wantRetryable, resilience.IsRetryable(err), "retryable")
			if tt.wantIs != nil {
				assert.ErrorIs(t, err, tt.wantIs)
			}
			var apiErr *gemini.APIError
			if tt.wantStatus == 0 {
				assert.False(t, errors.As(err, &apiErr))
				return
			}
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, tt.wantStatus, apiErr.Status)
			if tt.wantCode != "" {
				assert.Equal(t, tt.wantCode, apiErr.Code)
			}
			assert.Equal(t, tt.wantRetryAfter, apiErr.RetryAfter)
		})
	}
}

func TestThoughtPartsAreSkipped(t *testing.T) {
	c, fake := newClient(t, gemini.Config{})
	fake.Enqueue(geminifake.Raw(200, `{"candidates":[{"content":{"role":"model","parts":[{"text":"thinking...","thought":true},{"text":"{\"score\":3}"}]},"finishReason":"STOP"}]}`))
	text, _, err := c.GenerateJSON(context.Background(), "s", "u", scoreSchema, 0.3)
	require.NoError(t, err)
	assert.Equal(t, `{"score":3}`, text)
}

func TestTimeoutIsRetryable(t *testing.T) {
	c, fake := newClient(t, gemini.Config{Timeout: 50 * time.Millisecond})
	fake.Enqueue(geminifake.Slow(geminifake.Text("", "{}"), 5*time.Second))
	start := time.Now()
	_, _, err := c.GenerateJSON(context.Background(), "s", "u", nil, 0.3)
	require.Error(t, err)
	assert.Less(t, time.Since(start), 2*time.Second)
	assert.True(t, resilience.IsRetryable(err), "%v", err)
}

func TestRetriedThroughRunner(t *testing.T) {
	c, fake := newClient(t, gemini.Config{})
	fake.Enqueue(geminifake.Error(503, "UNAVAILABLE", "overloaded"), geminifake.RateLimited("3s"), geminifake.Text("", `{"score":9}`))
	var waits []time.Duration
	r := resilience.Runner{Policy: resilience.GeminiPolicy(), Sleep: func(ctx context.Context, d time.Duration) error {
		waits = append(waits, d)
		return nil
	}}
	text, err := resilience.Call(context.Background(), r, func(ctx context.Context) (string, error) {
		text, _, err := c.GenerateJSON(ctx, "s", "u", scoreSchema, 0.3)
		return text, err
	})
	require.NoError(t, err)
	assert.Equal(t, `{"score":9}`, text)
	assert.Equal(t, []time.Duration{time.Second, 3 * time.Second}, waits)
}

func TestConfigValidate(t *testing.T) {
	tests := []struct {
		name string
		cfg  gemini.Config
		ok   bool
	}{
		{"api key", gemini.Config{APIKey: "k"}, true},
		{"vertex", gemini.Config{VertexProject: "p", VertexLocation: "us-central1", HTTPClient: http.DefaultClient}, true},
		{"nothing", gemini.Config{}, false},
		{"vertex without location", gemini.Config{VertexProject: "p"}, false},
		{"both", gemini.Config{APIKey: "k", VertexProject: "p", VertexLocation: "l"}, false},
		{"bad base url", gemini.Config{APIKey: "k", BaseURL: "localhost:1234"}, false},
		{"negative timeout", gemini.Config{APIKey: "k", Timeout: -1}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := gemini.New(context.Background(), tt.cfg)
			if tt.ok {
				assert.NoError(t, err)
			} else {
				assert.Error(t, err)
			}
		})
	}
}
