package providers_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sparrow-coach/sparrow/app"
	"github.com/sparrow-coach/sparrow/domain"
	"github.com/sparrow-coach/sparrow/domain/coaching/personas"
	"github.com/sparrow-coach/sparrow/integrations/gemini/geminifake"
	"github.com/sparrow-coach/sparrow/integrations/llm"
	"github.com/sparrow-coach/sparrow/integrations/openaicompat"
	"github.com/sparrow-coach/sparrow/integrations/openaicompat/openaifake"
	"github.com/sparrow-coach/sparrow/integrations/providers"
)

func names[T interface{ Name() string }](ps []T) []string {
	out := []string{}
	for _, p := range ps {
		out = append(out, p.Name())
	}
	return out
}

func both(t *testing.T) (providers.Config, *geminifake.Server, *openaifake.Server) {
	t.Helper()
	g, o := geminifake.New(), openaifake.New()
	t.Cleanup(g.Close)
	t.Cleanup(o.Close)
	return providers.Config{
		Gemini: providers.GeminiConfig{APIKey: "AIza", BaseURL: g.URL, Model: "gemini-2.5-flash"},
		Chat:   providers.ChatConfig{APIKey: "gsk", BaseURL: openaicompat.DefaultBaseURL, Model: "openai/gpt-oss-20b"},
	}, g, o
}

func TestNothingConfiguredBuildsNothing(t *testing.T) {
	s, err := providers.Build(context.Background(), providers.Config{Chat: providers.ChatConfig{BaseURL: openaicompat.DefaultBaseURL}})
	require.NoError(t, err)
	assert.Empty(t, s.Quick())
	ds, err := s.Deep("")
	require.NoError(t, err)
	assert.Empty(t, ds)
	assert.Nil(t, s.PersonaGenerator())
	assert.Nil(t, s.ProspectLLM())
	sts := s.Statuses()
	require.Len(t, sts, 2)
	for _, st := range sts {
		assert.Nil(t, st.Built)
		assert.NotEmpty(t, st.Entry.HowToEnable)
	}
	assert.Equal(t, []string{"gemini", "groq"}, []string{sts[0].Entry.Key, sts[1].Entry.Key}, "doctor's order")
}

func TestChainsFollowTheRegistryPlaces(t *testing.T) {
	c, _, _ := both(t)
	c.LLMProspect = true
	s, err := providers.Build(context.Background(), c)
	require.NoError(t, err)
	assert.Equal(t, []string{"groq", "gemini"}, names(s.Quick()), "spec §14: Groq first for the quick score")
	ds, err := s.Deep("")
	require.NoError(t, err)
	assert.Equal(t, []string{"gemini", "groq"}, names(ds), "spec §14: Gemini first for the analysis")
	assert.NotNil(t, s.PersonaGenerator())
	assert.NotNil(t, s.ProspectLLM())

	only, err := s.Deep("groq")
	require.NoError(t, err)
	assert.Equal(t, []string{"groq"}, names(only))
	only, err = s.Deep("builtin")
	require.NoError(t, err)
	assert.Empty(t, only)
	_, err = s.Deep("claude")
	assert.ErrorContains(t, err, `provider "claude" is not configured (configured: builtin, gemini, groq)`)

	c.LLMProspect = false
	s, err = providers.Build(context.Background(), c)
	require.NoError(t, err)
	assert.Nil(t, s.ProspectLLM(), "the built-in prospect unless SPARROW_LLM_PROSPECT")
}

func TestALocalServerIsOpenAICompatible(t *testing.T) {
	o := openaifake.New()
	t.Cleanup(o.Close)
	s, err := providers.Build(context.Background(), providers.Config{Chat: providers.ChatConfig{BaseURL: o.URL, Model: "llama3.2"}})
	require.NoError(t, err)
	assert.Equal(t, []string{llm.OpenAICompatibleName}, names(s.Quick()))
	b := s.Statuses()[1].Built
	require.NotNil(t, b)
	assert.Equal(t, "llama3.2", b.Model)
	assert.Equal(t, " at "+o.URL, b.Where)

	o.Enqueue(openaifake.Reply("llama3.2", `{"score": 64, "summary": "Fine."}`))
	q, err := s.Quick()[0].QuickScore(context.Background(), domain.ScoreInput{Mode: domain.ModeColdCall,
		Transcript: []domain.TranscriptEntry{{Role: domain.RoleUser, Content: "Hello?"}}})
	require.NoError(t, err)
	assert.Equal(t, domain.QuickScore{Overall: 64, Summary: "Fine.", Provider: "openai-compatible", Model: "llama3.2"}, q)
}

func TestProspectPortReachesTheModel(t *testing.T) {
	c, g, _ := both(t)
	c.Chat = providers.ChatConfig{BaseURL: openaicompat.DefaultBaseURL} // Gemini only
	c.LLMProspect = true
	s, err := providers.Build(context.Background(), c)
	require.NoError(t, err)
	require.NotNil(t, s.PersonaGenerator(), "Gemini writes personas")
	g.Enqueue(geminifake.Text("", "Who is this?"))
	persona := personas.Presets()[0].Profile
	line, err := s.ProspectLLM().ProspectReply(context.Background(), app.ProspectTurn{Persona: persona, Mode: domain.ModeColdCall,
		Transcript: []domain.TranscriptEntry{{Role: domain.RoleUser, Content: "Hi, it's Sam from Acme."}}})
	require.NoError(t, err)
	assert.Equal(t, "Who is this?", line)
	assert.Equal(t, 1, g.RequestCount())
}

// An entry must implement every track it claims: a wrong entry fails Build.
func TestAnEntryMustServeItsTracks(t *testing.T) {
	wrong := providers.Entry{
		Key:     "echo",
		Places:  map[providers.Track]int{providers.Deep: 1},
		Enabled: func(providers.Config) bool { return true },
		Build: func(context.Context, providers.Config) (providers.Provider, string, string, error) {
			return named("echo"), "m", "", nil
		},
	}
	_, err := providers.BuildFrom(context.Background(), []providers.Entry{wrong}, providers.Config{})
	assert.ErrorContains(t, err, "echo claims the deep track but does not implement it")
}

type named string

func (n named) Name() string { return string(n) }
