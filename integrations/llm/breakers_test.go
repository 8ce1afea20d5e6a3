package llm_test

import (
	"context"
	"errors"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sparrow-coach/sparrow/domain"
	"github.com/sparrow-coach/sparrow/integrations/llm"
	"github.com/sparrow-coach/sparrow/integrations/openaicompat"
	"github.com/sparrow-coach/sparrow/integrations/openaicompat/openaifake"
	"github.com/sparrow-coach/sparrow/integrations/resilience"
)

// Each use has its own breaker: prospect replies that keep failing open the
// prospect's breaker only, and scoring still reaches the server.
func TestFailingProspectRepliesDoNotOpenTheScoringBreakers(t *testing.T) {
	t.Parallel()
	fake := openaifake.New()
	t.Cleanup(fake.Close)
	c, err := openaicompat.New(openaicompat.Config{BaseURL: fake.URL, APIKey: "gsk", Model: "openai/gpt-oss-20b"})
	require.NoError(t, err)
	br, err := llm.NewBreakers(resilience.BreakerConfig{FailureThreshold: 5})
	require.NoError(t, err)
	p, err := llm.NewChatProvider(llm.GroqName, c, resilience.Runner{Policy: resilience.Policy{}, Sleep: noSleep}, br)
	require.NoError(t, err)

	// The server fails every prospect reply (no JSON mode) and scores the rest.
	fake.SetHandler(func(r openaifake.Request) openaifake.Response {
		if r.Chat.ResponseFormat == nil {
			return openaifake.Error(http.StatusServiceUnavailable, "overloaded", "over capacity")
		}
		return openaifake.Reply("openai/gpt-oss-20b", `{"score": 70, "summary": "Fine."}`)
	})
	in := llm.ReplyInput{Persona: testPersona(), Mode: domain.ModeColdCall, Transcript: transcript()}
	for range 5 {
		_, err := p.ProspectReply(context.Background(), in)
		require.Error(t, err)
		require.False(t, errors.Is(err, resilience.ErrCircuitOpen), "the breaker opens after the fifth failure")
	}
	_, err = p.ProspectReply(context.Background(), in)
	assert.ErrorIs(t, err, resilience.ErrCircuitOpen, "five failed replies open the prospect's breaker")
	assert.Equal(t, resilience.BreakerOpen, br.Prospect.State())

	qs, err := p.QuickScore(context.Background(), scoreInput())
	require.NoError(t, err, "the quick score has its own breaker")
	assert.Equal(t, 70, qs.Overall)
	assert.Equal(t, resilience.BreakerClosed, br.Quick.State())
	assert.Equal(t, resilience.BreakerClosed, br.Deep.State())
}

// A Runner's own breaker would be shared by every use: refused.
func TestSharedBreakerRefused(t *testing.T) {
	t.Parallel()
	b, err := resilience.NewBreaker(resilience.BreakerConfig{})
	require.NoError(t, err)
	c, err := openaicompat.New(openaicompat.Config{BaseURL: "http://127.0.0.1:1", APIKey: "k", Model: "m"})
	require.NoError(t, err)
	_, err = llm.NewChatProvider(llm.GroqName, c, resilience.Runner{Policy: resilience.GroqPolicy(), Breaker: b}, llm.Breakers{})
	assert.Error(t, err)
}

// Scoring asks an OpenAI-compatible server for a strict json_schema; a
// server that answers 400 to json_schema is asked again with json_object,
// in the same call and from then on. JSONSchemaOff never sends a schema.
func TestChatScoringSendsAJSONSchema(t *testing.T) {
	t.Parallel()
	provider := func(t *testing.T, mode openaicompat.JSONSchemaMode) (*llm.ChatProvider, *openaifake.Server) {
		fake := openaifake.New()
		t.Cleanup(fake.Close)
		c, err := openaicompat.New(openaicompat.Config{BaseURL: fake.URL, APIKey: "gsk", Model: "openai/gpt-oss-20b", JSONSchema: mode})
		require.NoError(t, err)
		p, err := llm.NewChatProvider(llm.GroqName, c, resilience.Runner{Policy: resilience.GroqPolicy(), Sleep: noSleep}, llm.Breakers{})
		require.NoError(t, err)
		return p, fake
	}
	quick := openaifake.Reply("openai/gpt-oss-20b", `{"score": 61, "summary": "Fine."}`)

	t.Run("groq takes the schema", func(t *testing.T) {
		p, fake := provider(t, openaicompat.JSONSchemaAuto)
		fake.SetDefault(openaifake.ReplyJSON("openai/gpt-oss-20b", analysisAnswer("your team is hiring SDRs")))
		_, err := p.DeepScore(context.Background(), scoreInput())
		require.NoError(t, err)
		r := fake.Requests()[0]
		require.Equal(t, "call_analysis", r.SchemaName())
		js := r.Chat.ResponseFormat.JSONSchema
		assert.True(t, js.Strict)
		assert.Equal(t, "object", js.Schema["type"])
		assert.Equal(t, false, js.Schema["additionalProperties"])
		props, _ := js.Schema["properties"].(map[string]any)
		assert.NotEmpty(t, props)
		req, _ := js.Schema["required"].([]any)
		assert.Len(t, req, len(props), "strict: every property is required (optional ones may be null)")
	})
	t.Run("a server without json_schema gets json_object", func(t *testing.T) {
		p, fake := provider(t, openaicompat.JSONSchemaAuto)
		fake.SetHandler(func(r openaifake.Request) openaifake.Response {
			if r.SchemaName() != "" {
				return openaifake.NoJSONSchema()
			}
			return quick
		})
		qs, err := p.QuickScore(context.Background(), scoreInput())
		require.NoError(t, err)
		assert.Equal(t, 61, qs.Overall)
		_, err = p.QuickScore(context.Background(), scoreInput())
		require.NoError(t, err)
		reqs := fake.Requests()
		require.Len(t, reqs, 3, "one refused json_schema, then json_object only")
		assert.Equal(t, "quick_score", reqs[0].SchemaName())
		for _, r := range reqs[1:] {
			assert.True(t, r.JSONMode())
			assert.Empty(t, r.SchemaName())
		}
	})
	t.Run("json_validate_failed is not a refusal of the schema", func(t *testing.T) {
		p, fake := provider(t, openaicompat.JSONSchemaAuto)
		fake.Enqueue(openaifake.JSONValidateFailed(), quick)
		_, err := p.QuickScore(context.Background(), scoreInput())
		require.NoError(t, err)
		for _, r := range fake.Requests() {
			assert.Equal(t, "quick_score", r.SchemaName())
		}
	})
	t.Run("off sends json_object", func(t *testing.T) {
		p, fake := provider(t, openaicompat.JSONSchemaOff)
		fake.SetDefault(quick)
		_, err := p.QuickScore(context.Background(), scoreInput())
		require.NoError(t, err)
		r := fake.Requests()[0]
		assert.True(t, r.JSONMode())
		assert.Empty(t, r.SchemaName())
	})
}
