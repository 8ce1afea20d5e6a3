package elevenlabs_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sparrow-coach/sparrow/domain"
	"github.com/sparrow-coach/sparrow/integrations/elevenlabs"
	"github.com/sparrow-coach/sparrow/integrations/elevenlabs/elevenlabsfake"
	"github.com/sparrow-coach/sparrow/integrations/resilience"
)

func newClient(t *testing.T, cfg elevenlabs.Config) (*elevenlabs.Client, *elevenlabsfake.Server) {
	t.Helper()
	fake := elevenlabsfake.New()
	t.Cleanup(fake.Close)
	fake.APIKey = "xi_test_key"
	cfg.BaseURL = fake.URL
	if cfg.APIKey == "" {
		cfg.APIKey = "xi_test_key"
	}
	c, err := elevenlabs.New(cfg)
	require.NoError(t, err)
	return c, fake
}

func sampleConversation() elevenlabs.Conversation {
	return elevenlabs.Conversation{
		AgentID: "agent_1", ConversationID: "conv_1", Status: elevenlabs.StatusDone,
		Transcript: []elevenlabs.TranscriptItem{
			{Role: "agent", Message: elevenlabsfake.Msg("Dana speaking."), TimeInCallSecs: 0},
			{Role: "user", Message: elevenlabsfake.Msg("Hi Dana, it's Sam."), TimeInCallSecs: 2},
			{Role: "agent", Message: nil, TimeInCallSecs: 3}, // a tool call without text
			{Role: "agent", Message: elevenlabsfake.Msg("Who?"), TimeInCallSecs: 4},
		},
		Metadata:   elevenlabs.Metadata{StartTimeUnixSecs: 1767225600, CallDurationSecs: 95, TerminationReason: "client disconnected"},
		Analysis:   &elevenlabs.Analysis{CallSuccessful: "success", TranscriptSummary: "Short intro call."},
		HasAudio:   true,
		ClientData: &elevenlabs.ClientData{DynamicVariables: map[string]any{"call_id": "call_123", "attempt": 2.0}},
	}
}

func TestSignedURL(t *testing.T) {
	c, fake := newClient(t, elevenlabs.Config{AgentID: "agent_default"})
	url, err := c.SignedURL(context.Background(), "agent_1")
	require.NoError(t, err)
	assert.Contains(t, url, "wss://api.elevenlabs.io/v1/convai/conversation?agent_id=agent_1&conversation_signature=")

	_, err = c.SignedURL(context.Background(), "")
	require.NoError(t, err)
	reqs := fake.Requests()
	require.Len(t, reqs, 2)
	assert.Equal(t, "/v1/convai/conversation/get-signed-url", reqs[0].Path)
	assert.Equal(t, "agent_id=agent_1", reqs[0].Query)
	assert.Equal(t, "agent_id=agent_default", reqs[1].Query, "empty agent id means the configured one")
	assert.Equal(t, "xi_test_key", reqs[0].Header.Get("xi-api-key"))
	assert.Empty(t, reqs[0].Header.Get("Authorization"))
}

func TestSignedURLErrors(t *testing.T) {
	tests := []struct {
		name          string
		agent         string
		resp          *elevenlabsfake.Response
		apiKey        string
		wantStatus    int
		wantIs        error
		wantRetryable bool
		wantAfter     time.Duration
	}{
		{name: "422 from the server", agent: "agent_1", resp: &elevenlabsfake.Response{Status: 422, Body: `{"detail":[{"loc":["query","agent_id"],"msg":"field required","type":"value_error.missing"}]}`}, wantStatus: 422, wantIs: elevenlabs.ErrValidation},
		{name: "unknown agent", agent: "agent_nope", wantStatus: 404, wantIs: elevenlabs.ErrNotFound},
		{name: "wrong key", agent: "agent_1", apiKey: "xi_wrong", wantStatus: 401},
		{name: "429 with retry-after", agent: "agent_1", resp: ptr(elevenlabsfake.RateLimited("2")), wantStatus: 429, wantRetryable: true, wantAfter: 2 * time.Second},
		{name: "500", agent: "agent_1", resp: ptr(elevenlabsfake.Error(500, "internal", "boom")), wantStatus: 500, wantRetryable: true},
		{name: "malformed body", agent: "agent_1", resp: ptr(elevenlabsfake.Raw(200, `{"signed_url":`)), wantIs: elevenlabs.ErrMalformedResponse, wantRetryable: true},
		{name: "not a websocket url", agent: "agent_1", resp: ptr(elevenlabsfake.Raw(200, `{"signed_url":"https://evil"}`)), wantIs: elevenlabs.ErrMalformedResponse, wantRetryable: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, fake := newClient(t, elevenlabs.Config{APIKey: tt.apiKey})
			fake.AddAgent("agent_1")
			if tt.resp != nil {
				fake.Enqueue(*tt.resp)
			}
			_, err := c.SignedURL(context.Background(), tt.agent)
			require.Error(t, err)
			assert.NotContains(t, err.Error(), "xi_test_key")
			assert.Equal(t, tt.wantRetryable, resilience.IsRetryable(err))
			if tt.wantIs != nil {
				assert.ErrorIs(t, err, tt.wantIs)
			}
			if tt.wantStatus != 0 {
				var apiErr *elevenlabs.APIError
				require.ErrorAs(t, err, &apiErr)
				assert.Equal(t, tt.wantStatus, apiErr.Status)
				assert.NotEmpty(t, apiErr.Message)
				assert.Equal(t, tt.wantAfter, apiErr.RetryAfter)
			}
		})
	}
}

func ptr[T any](v T) *T { return &v }

func TestSignedURLNeedsAnAgent(t *testing.T) {
	c, fake := newClient(t, elevenlabs.Config{})
	_, err := c.SignedURL(context.Background(), "")
	require.Error(t, err)
	assert.False(t, resilience.IsRetryable(err))
	assert.Zero(t, fake.RequestCount())
}

func TestConversation(t *testing.T) {
	c, fake := newClient(t, elevenlabs.Config{})
	fake.AddConversation(sampleConversation())

	got, err := c.Conversation(context.Background(), "conv_1")
	require.NoError(t, err)
	assert.Equal(t, "/v1/convai/conversations/conv_1", fake.Requests()[0].Path)
	assert.Equal(t, elevenlabs.StatusDone, got.Status)
	assert.Equal(t, 95, got.Metadata.CallDurationSecs)
	assert.Equal(t, "client disconnected", got.Metadata.TerminationReason)
	assert.Contains(t, string(got.Metadata.Raw), "start_time_unix_secs")
	assert.Equal(t, "success", got.Analysis.CallSuccessful)
	assert.Equal(t, "call_123", got.DynamicVariable("call_id"))
	assert.Empty(t, got.DynamicVariable("attempt"), "non-string variables are not strings")
	require.Len(t, got.Transcript, 4)
	assert.Nil(t, got.Transcript[2].Message)

	assert.Equal(t, []domain.TranscriptEntry{
		{Role: domain.RoleAssistant, Content: "Dana speaking.", TimestampMs: 0},
		{Role: domain.RoleUser, Content: "Hi Dana, it's Sam.", TimestampMs: 2000},
		{Role: domain.RoleAssistant, Content: "Who?", TimestampMs: 4000},
	}, got.Entries())
}

func TestConversationErrors(t *testing.T) {
	c, fake := newClient(t, elevenlabs.Config{})
	_, err := c.Conversation(context.Background(), "conv_missing")
	assert.ErrorIs(t, err, elevenlabs.ErrNotFound)
	assert.False(t, resilience.IsRetryable(err))

	fake.Enqueue(elevenlabsfake.Raw(200, `{"status":"done"}`))
	_, err = c.Conversation(context.Background(), "conv_1")
	assert.ErrorIs(t, err, elevenlabs.ErrMalformedResponse)

	fake.Enqueue(elevenlabsfake.Raw(200, `{"conversation_id":"c","transcript":"not a list"}`))
	_, err = c.Conversation(context.Background(), "c")
	assert.ErrorIs(t, err, elevenlabs.ErrMalformedResponse)
	assert.True(t, resilience.IsRetryable(err))

	_, err = c.Conversation(context.Background(), " ")
	assert.Error(t, err)
	assert.Equal(t, 3, fake.RequestCount())
}

func TestConversationIDIsEscaped(t *testing.T) {
	c, fake := newClient(t, elevenlabs.Config{})
	_, err := c.Conversation(context.Background(), "../v1/user")
	assert.ErrorIs(t, err, elevenlabs.ErrNotFound)
	assert.Equal(t, "/v1/convai/conversations/../v1/user", fake.Requests()[0].Path, "escaped on the wire, decoded by the server, never resolved")
}

func TestTimeoutAndRetry(t *testing.T) {
	c, fake := newClient(t, elevenlabs.Config{Timeout: 50 * time.Millisecond})
	fake.AddConversation(sampleConversation())
	fake.Enqueue(elevenlabsfake.Slow(elevenlabsfake.Raw(200, "{}"), 5*time.Second), elevenlabsfake.RateLimited(""))
	var waits []time.Duration
	r := resilience.Runner{Policy: resilience.ElevenLabsPolicy(), Sleep: func(_ context.Context, d time.Duration) error {
		waits = append(waits, d)
		return nil
	}}
	conv, err := resilience.Call(context.Background(), r, func(ctx context.Context) (elevenlabs.Conversation, error) {
		return c.Conversation(ctx, "conv_1")
	})
	require.NoError(t, err)
	assert.Equal(t, "conv_1", conv.ConversationID)
	assert.Equal(t, []time.Duration{time.Second, 2 * time.Second}, waits, "a timeout, a 429, then success")
}

func TestConfigValidate(t *testing.T) {
	tests := []struct {
		name string
		cfg  elevenlabs.Config
		ok   bool
	}{
		{"defaults", elevenlabs.Config{APIKey: "k"}, true},
		{"no key", elevenlabs.Config{}, false},
		{"bad url", elevenlabs.Config{APIKey: "k", BaseURL: "api.elevenlabs.io"}, false},
		{"negative timeout", elevenlabs.Config{APIKey: "k", Timeout: -1}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := elevenlabs.New(tt.cfg)
			if tt.ok {
				assert.NoError(t, err)
			} else {
				assert.Error(t, err)
			}
		})
	}
}
