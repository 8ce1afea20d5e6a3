package llm_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sparrow-coach/sparrow/domain"
	"github.com/sparrow-coach/sparrow/integrations/gemini"
	"github.com/sparrow-coach/sparrow/integrations/gemini/geminifake"
	"github.com/sparrow-coach/sparrow/integrations/llm"
	"github.com/sparrow-coach/sparrow/integrations/openaicompat"
	"github.com/sparrow-coach/sparrow/integrations/openaicompat/openaifake"
	"github.com/sparrow-coach/sparrow/integrations/resilience"
)

// noSleep keeps retries instant while the policy keeps its shape.
func noSleep(context.Context, time.Duration) error { return nil }

func chatProvider(t *testing.T, policy resilience.Policy) (*llm.ChatProvider, *openaifake.Server) {
	t.Helper()
	fake := openaifake.New()
	t.Cleanup(fake.Close)
	c, err := openaicompat.New(openaicompat.Config{BaseURL: fake.URL, APIKey: "gsk", Model: "openai/gpt-oss-20b"})
	require.NoError(t, err)
	p, err := llm.NewChatProvider(llm.GroqName, c, resilience.Runner{Policy: policy, Sleep: noSleep}, llm.Breakers{})
	require.NoError(t, err)
	return p, fake
}

func geminiProvider(t *testing.T, policy resilience.Policy) (*llm.GeminiProvider, *geminifake.Server) {
	t.Helper()
	fake := geminifake.New()
	t.Cleanup(fake.Close)
	c, err := gemini.New(context.Background(), gemini.Config{APIKey: "AIza", BaseURL: fake.URL, Model: "gemini-2.5-flash"})
	require.NoError(t, err)
	p, err := llm.NewGeminiProvider(c, resilience.Runner{Policy: policy, Sleep: noSleep}, llm.Breakers{})
	require.NoError(t, err)
	return p, fake
}

func transcript() []domain.TranscriptEntry {
	return []domain.TranscriptEntry{
		{Role: domain.RoleAssistant, Content: "Dana speaking.", TimestampMs: 0},
		{Role: domain.RoleUser, Content: "Hi Dana, it's Sam from Acme. I'm calling because your team is hiring SDRs.", TimestampMs: 2100},
		{Role: domain.RoleAssistant, Content: "We already use a tool for onboarding.", TimestampMs: 7800},
		{Role: domain.RoleUser, Content: "Totally fair. How long does it take a new SDR to book their first meeting today?", TimestampMs: 11200},
	}
}

func scoreInput() domain.ScoreInput {
	return domain.ScoreInput{Mode: domain.ModeColdCall, Transcript: transcript(), TranscriptVersion: 4}
}

func analysisAnswer(quotes ...string) map[string]any {
	var moments []any
	for i, q := range quotes {
		moments = append(moments, map[string]any{"timestamp": 2100 + i, "type": "strength", "description": "moment", "quote": q})
	}
	if moments == nil {
		moments = []any{}
	}
	return map[string]any{
		"overallScore":   74,
		"categoryScores": map[string]any{"opening": 82, "discovery": 70, "objectionHandling": 75, "communication": 80, "closing": 55},
		"strengths":      []any{map[string]any{"point": "Relevant hook", "example": "your team is hiring SDRs", "timestamp": 2100}},
		"improvements":   []any{map[string]any{"point": "No next step", "suggestion": "Ask for 15 minutes on Tuesday", "timestamp": 11200}},
		"keyMoments":     moments,
		"summary":        "Good hook and a sharp question; close for a meeting next time.",
	}
}

func TestChatQuickScore(t *testing.T) {
	p, fake := chatProvider(t, resilience.GroqPolicy())
	fake.Enqueue(openaifake.Reply("openai/gpt-oss-20b", `{"score": 78, "summary": "Good opener, no next step."}`))

	qs, err := p.QuickScore(context.Background(), scoreInput())
	require.NoError(t, err)
	assert.Equal(t, domain.QuickScore{Overall: 78, Summary: "Good opener, no next step.", Provider: "groq", Model: "openai/gpt-oss-20b", TranscriptVersion: 4}, qs)

	r := fake.Requests()[0]
	assert.True(t, r.JSONMode())
	assert.Equal(t, "quick_score", r.SchemaName(), "the shape goes as a json_schema, not only in the prompt")
	assert.InDelta(t, 0.2, *r.Chat.Temperature, 1e-9)
	require.Len(t, r.Chat.Messages, 2)
	assert.Equal(t, "system", r.Chat.Messages[0].Role)
	assert.Equal(t, llm.QuickScorePrompt, r.Chat.Messages[0].Content)
	assert.Contains(t, r.Chat.Messages[1].Content, "[2100ms] Rep: Hi Dana, it's Sam from Acme.")
	assert.Contains(t, r.Chat.Messages[1].Content, "cold_call")
}

func TestChatQuickScoreInvalidAnswers(t *testing.T) {
	tests := []struct {
		name      string
		responses []openaifake.Response
		wantOK    bool
		wantCalls int
		wantIs    []error
	}{
		{
			name:      "invalid then valid is retried",
			responses: []openaifake.Response{openaifake.Reply("m", `{"score": 130, "summary": "x"}`), openaifake.Reply("m", `{"score": 70, "summary": "ok"}`)},
			wantOK:    true, wantCalls: 2,
		},
		{
			name:      "json_validate_failed then valid",
			responses: []openaifake.Response{openaifake.JSONValidateFailed(), openaifake.Reply("m", `{"score": 70, "summary": "ok"}`)},
			wantOK:    true, wantCalls: 2,
		},
		{
			name:      "out of range every time",
			responses: []openaifake.Response{openaifake.Reply("m", `{"score": 101, "summary": "x"}`), openaifake.Reply("m", `{"score": -3, "summary": "x"}`), openaifake.Reply("m", `{"score": 1000, "summary": "x"}`)},
			wantCalls: 3, wantIs: []error{llm.ErrInvalidAnswer},
		},
		{
			name:      "prose every time",
			responses: []openaifake.Response{openaifake.Reply("m", "I'd give it a 7/10."), openaifake.Reply("m", "7/10"), openaifake.Reply("m", "Seven.")},
			wantCalls: 3, wantIs: []error{llm.ErrInvalidAnswer},
		},
		{
			name:      "json_validate_failed every time",
			responses: []openaifake.Response{openaifake.JSONValidateFailed(), openaifake.JSONValidateFailed(), openaifake.JSONValidateFailed()},
			wantCalls: 3, wantIs: []error{llm.ErrInvalidAnswer, openaicompat.ErrJSONValidateFailed},
		},
		{
			name:      "401 is not retried",
			responses: []openaifake.Response{openaifake.Error(401, "invalid_api_key", "Invalid API Key")},
			wantCalls: 1,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, fake := chatProvider(t, resilience.GroqPolicy())
			fake.Enqueue(tt.responses...)
			qs, err := p.QuickScore(context.Background(), scoreInput())
			assert.Equal(t, tt.wantCalls, fake.RequestCount())
			if tt.wantOK {
				require.NoError(t, err)
				assert.Equal(t, 70, qs.Overall)
				return
			}
			require.Error(t, err)
			for _, target := range tt.wantIs {
				assert.ErrorIs(t, err, target)
			}
		})
	}
}

func TestBadInputMakesNoRequest(t *testing.T) {
	p, fake := chatProvider(t, resilience.GroqPolicy())
	g, gfake := geminiProvider(t, resilience.GeminiPolicy())
	ctx := context.Background()
	bad := []domain.ScoreInput{
		{Mode: "sales_call", Transcript: transcript()},
		{Mode: domain.ModeDiscovery},
		{Mode: domain.ModeDiscovery, Transcript: []domain.TranscriptEntry{{Role: "narrator", Content: "x"}}},
	}
	for _, in := range bad {
		_, err := p.QuickScore(ctx, in)
		assert.ErrorIs(t, err, domain.ErrInvalid)
		assert.False(t, resilience.IsRetryable(err))
		_, err = p.DeepScore(ctx, in)
		assert.ErrorIs(t, err, domain.ErrInvalid)
		_, err = g.DeepScore(ctx, in)
		assert.ErrorIs(t, err, domain.ErrInvalid)
		_, err = g.QuickScore(ctx, in)
		assert.ErrorIs(t, err, domain.ErrInvalid)
	}
	_, err := g.GeneratePersona(ctx, llm.PersonaRequest{Industry: "SaaS"})
	assert.ErrorIs(t, err, domain.ErrInvalid)
	assert.Zero(t, fake.RequestCount())
	assert.Zero(t, gfake.RequestCount())
}

func TestGeminiDeepScore(t *testing.T) {
	g, fake := geminiProvider(t, resilience.GeminiPolicy())
	fake.Enqueue(geminifake.JSON("gemini-2.5-flash-001", analysisAnswer(
		"your team is hiring SDRs",                    // verbatim
		"How long does it take a new SDR",             // verbatim fragment
		"I can double your meetings in a week, Dana!", // fabricated
	)))
	persona := testPersona().ScoringFacts()
	in := scoreInput()
	in.Persona = &persona

	a, err := g.DeepScore(context.Background(), in)
	require.NoError(t, err)
	assert.Equal(t, "gemini-2.5-flash-001", a.Model)
	assert.Equal(t, "gemini", a.Provider)
	assert.Equal(t, llm.PromptRubric, a.RubricVersion)
	assert.Equal(t, 4, a.TranscriptVersion)
	assert.Equal(t, 73, a.Overall, "the model said 74; the weighted categories say 72.9")
	assert.Equal(t, [5]int{82, 70, 75, 80, 55}, [5]int{a.Opening, a.Discovery, a.ObjectionHandling, a.Communication, a.Closing})
	assert.Equal(t, []domain.Insight{{Point: "Relevant hook", Evidence: "your team is hiring SDRs"}}, a.Strengths)
	assert.Equal(t, []domain.Insight{{Point: "No next step", Evidence: "Ask for 15 minutes on Tuesday"}}, a.Improvements)
	require.Len(t, a.KeyMoments, 2, "the fabricated quote is dropped")
	assert.Equal(t, "your team is hiring SDRs", a.KeyMoments[0].Quote)
	assert.Equal(t, int64(2100), a.KeyMoments[0].TimestampMs)
	assert.Equal(t, int64(11200), a.KeyMoments[1].TimestampMs, "the quoted line's timestamp, not the model's")
	assert.NoError(t, a.Validate())

	r := fake.Requests()[0]
	assert.Equal(t, llm.ScoringSystemPrompt, r.Generate.SystemInstruction.Text())
	gc := r.Generate.GenerationConfig
	assert.InDelta(t, 0.3, *gc.Temperature, 1e-6)
	assert.Equal(t, "application/json", gc.ResponseMIMEType)
	assert.ElementsMatch(t, []any{"overallScore", "categoryScores", "strengths", "improvements", "keyMoments", "summary"}, gc.ResponseSchema["required"])
	props := gc.ResponseSchema["properties"].(map[string]any)
	moment := props["keyMoments"].(map[string]any)["items"].(map[string]any)["properties"].(map[string]any)
	assert.Equal(t, []any{"strength", "improvement"}, moment["type"].(map[string]any)["enum"])
	assert.EqualValues(t, 100, props["overallScore"].(map[string]any)["maximum"])
	user := r.Generate.Contents[0].Text()
	assert.Contains(t, user, "Dana Whitfield")
	assert.Contains(t, user, "[7800ms] Prospect: We already use a tool for onboarding.")
}

func TestDeepScoreKeepsOnlyVerbatimQuotes(t *testing.T) {
	p, gf := geminiProvider(t, resilience.Policy{})
	gf.Enqueue(geminifake.JSON("", analysisAnswer("YOUR TEAM IS HIRING SDRS", "your team is hiring SDRs")))
	a, err := p.DeepScore(context.Background(), scoreInput())
	require.NoError(t, err)
	require.Len(t, a.KeyMoments, 1, "the quote rule is case-sensitive")
	assert.Equal(t, "your team is hiring SDRs", a.KeyMoments[0].Quote)
}

func TestGeminiDeepScoreRetriesInvalidAnswers(t *testing.T) {
	g, fake := geminiProvider(t, resilience.GeminiPolicy())
	broken := analysisAnswer()
	broken["categoryScores"].(map[string]any)["closing"] = 140
	missing := analysisAnswer()
	delete(missing, "summary")
	fake.Enqueue(
		geminifake.JSON("", broken),
		geminifake.JSON("", missing),
		geminifake.Text("", `{"overallScore": 70`), // truncated (MAX_TOKENS)
		geminifake.JSON("", analysisAnswer()),
	)
	a, err := g.DeepScore(context.Background(), scoreInput())
	require.NoError(t, err)
	assert.Equal(t, 73, a.Overall)
	assert.Equal(t, 4, fake.RequestCount(), "three invalid answers, then a valid one (Gemini: 3 retries)")
}

// TestFallbackChain shows the intended composition: Gemini keeps failing
// (invalid answers, then an open breaker), and the caller falls back to the
// OpenAI-compatible provider (spec §14: Gemini fails -> use Groq).
func TestFallbackChain(t *testing.T) {
	breaker, err := resilience.NewBreaker(resilience.BreakerConfig{FailureThreshold: 2, CoolDown: time.Minute})
	require.NoError(t, err)
	gfake := geminifake.New()
	t.Cleanup(gfake.Close)
	gc, err := gemini.New(context.Background(), gemini.Config{APIKey: "k", BaseURL: gfake.URL})
	require.NoError(t, err)
	g, err := llm.NewGeminiProvider(gc, resilience.Runner{Policy: resilience.GeminiPolicy(), Sleep: noSleep}, llm.Breakers{Deep: breaker})
	require.NoError(t, err)
	gfake.SetDefault(geminifake.Text("", "Here is my analysis: the rep did fine."))

	c, cfake := chatProvider(t, resilience.GroqPolicy())
	cfake.SetDefault(openaifake.ReplyJSON("openai/gpt-oss-20b", analysisAnswer("your team is hiring SDRs")))

	analyze := func() (domain.DeepScore, error) {
		a, err := g.DeepScore(context.Background(), scoreInput())
		if err == nil {
			return a, nil
		}
		if !errors.Is(err, llm.ErrInvalidAnswer) && !errors.Is(err, resilience.ErrCircuitOpen) {
			return domain.DeepScore{}, err
		}
		return c.DeepScore(context.Background(), scoreInput())
	}

	a, err := analyze()
	require.NoError(t, err)
	assert.Equal(t, "openai/gpt-oss-20b", a.Model)
	assert.Equal(t, 2, gfake.RequestCount(), "the breaker opened after two invalid answers")

	a, err = analyze()
	require.NoError(t, err)
	assert.Equal(t, "openai/gpt-oss-20b", a.Model)
	assert.Equal(t, 2, gfake.RequestCount(), "an open breaker skips Gemini")

	r := cfake.Requests()[0]
	assert.Equal(t, llm.ScoringSystemPrompt, r.Chat.Messages[0].Content)
	assert.InDelta(t, 0.3, *r.Chat.Temperature, 1e-9)
	assert.True(t, r.JSONMode())
}

func TestGeminiQuickScore(t *testing.T) {
	g, fake := geminiProvider(t, resilience.GeminiPolicy())
	fake.Enqueue(geminifake.JSON("", map[string]any{"score": 66, "summary": "Decent."}))
	qs, err := g.QuickScore(context.Background(), scoreInput())
	require.NoError(t, err)
	assert.Equal(t, 66, qs.Overall)
	gc := fake.Requests()[0].Generate.GenerationConfig
	assert.InDelta(t, 0.2, *gc.Temperature, 1e-6)
	assert.Equal(t, llm.QuickScorePrompt, fake.Requests()[0].Generate.SystemInstruction.Text())
}

func testPersona() domain.PersonaProfile {
	return domain.PersonaProfile{
		Name: "Dana Whitfield", Role: "VP of Sales", Company: "Brightline Logistics", Industry: "Logistics",
		Personality: domain.PersonalitySkeptical, Difficulty: domain.DifficultyMedium,
		Backstory:    "Runs a 40-person sales team that just missed its quarter.",
		HiddenPains:  []string{"New SDRs take 4 months to ramp"},
		Objections:   []string{"We already have a tool"},
		VoiceID:      "voice_dana",
		SystemPrompt: "You are Dana Whitfield, VP of Sales at Brightline Logistics. You are skeptical and busy.",
		FirstMessage: "Dana speaking.",
		FirstMessages: map[domain.Mode]string{
			domain.ModeDiscovery: "Hi, thanks for setting this up. I have twenty minutes.",
		},
	}
}

func personaRequest() llm.PersonaRequest {
	return llm.PersonaRequest{
		Industry: "Logistics", Role: "Sales leader", Personality: domain.PersonalitySkeptical, Difficulty: domain.DifficultyHard,
		Voices: []llm.Voice{{ID: "voice_dana", Description: "female, 40s, brisk"}, {ID: "voice_raj", Description: "male, 50s, calm"}},
	}
}

func personaAnswer() map[string]any {
	return map[string]any{
		"name": "Dana Whitfield", "role": "VP of Sales", "company": "Brightline Logistics", "industry": "Logistics",
		"backstory":   "Dana runs a 40-person team that missed its last quarter and distrusts vendors.",
		"hiddenPains": []any{"New SDRs take four months to ramp", "Managers spend Fridays on call reviews"},
		"objections":  []any{"We already have a tool", "Send me an email"},
		"voiceId":     "voice_dana",
		"systemPrompt": "You are Dana Whitfield, VP of Sales at Brightline Logistics. You are skeptical and short on time. " +
			"Reveal the ramp-time problem only if the rep asks how new hires get up to speed. Keep replies to one or two sentences.",
		"firstMessage": "Dana speaking.",
		"firstMessages": map[string]any{
			"cold_call":          "Dana speaking.",
			"discovery":          "Hi, I have twenty minutes, let's make them count.",
			"objection_gauntlet": "Before you start: we're happy with what we have.",
		},
	}
}

func TestGeneratePersona(t *testing.T) {
	g, fake := geminiProvider(t, resilience.GeminiPolicy())
	fake.Enqueue(geminifake.JSON("gemini-2.5-flash", personaAnswer()))
	got, err := g.GeneratePersona(context.Background(), personaRequest())
	require.NoError(t, err)
	p := got.Profile
	require.NoError(t, p.Validate())
	assert.Equal(t, "gemini-2.5-flash", got.Model)
	assert.Equal(t, "Dana Whitfield", p.Name)
	assert.Equal(t, domain.PersonalitySkeptical, p.Personality, "personality comes from the request")
	assert.Equal(t, domain.DifficultyHard, p.Difficulty, "difficulty comes from the request")
	assert.False(t, p.IsPreset)
	assert.Equal(t, "voice_dana", p.VoiceID)
	assert.Equal(t, "Before you start: we're happy with what we have.", p.FirstMessageFor(domain.ModeObjectionGauntlet))
	assert.Len(t, p.HiddenPains, 2)

	r := fake.Requests()[0]
	assert.Equal(t, llm.PersonaGenerationPrompt, r.Generate.SystemInstruction.Text())
	assert.InDelta(t, 0.7, *r.Generate.GenerationConfig.Temperature, 1e-6)
	voice := r.Generate.GenerationConfig.ResponseSchema["properties"].(map[string]any)["voiceId"].(map[string]any)
	assert.Equal(t, []any{"voice_dana", "voice_raj"}, voice["enum"])
	user := r.Generate.Contents[0].Text()
	for _, s := range []string{"Industry: Logistics", "Role: Sales leader", "Personality: skeptical", "Difficulty: hard", "voice_raj: male, 50s, calm"} {
		assert.Contains(t, user, s)
	}
}

func TestGeneratePersonaRejectsInvalidAnswers(t *testing.T) {
	tests := []struct {
		name    string
		mutate  func(m map[string]any)
		wantErr string
	}{
		{"voice not offered", func(m map[string]any) { m["voiceId"] = "voice_celebrity" }, "not one of the offered voices"},
		{"missing name", func(m map[string]any) { delete(m, "name") }, "name is missing"},
		{"empty objections", func(m map[string]any) { m["objections"] = []any{} }, "objections is missing or empty"},
		{"blank pain", func(m map[string]any) { m["hiddenPains"] = []any{"real", " "} }, "hiddenPains[1]"},
		{"mode line missing", func(m map[string]any) { delete(m["firstMessages"].(map[string]any), "discovery") }, "firstMessages.discovery is missing"},
		{"stub system prompt", func(m map[string]any) { m["systemPrompt"] = "You are Dana." }, "systemPrompt has fewer than"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g, fake := geminiProvider(t, resilience.Policy{}) // no retries: one answer, one verdict
			m := personaAnswer()
			tt.mutate(m)
			b, err := json.Marshal(m)
			require.NoError(t, err)
			fake.Enqueue(geminifake.Text("", string(b)))
			_, err = g.GeneratePersona(context.Background(), personaRequest())
			require.Error(t, err)
			assert.ErrorIs(t, err, llm.ErrInvalidAnswer)
			assert.True(t, resilience.IsRetryable(err))
			assert.Contains(t, err.Error(), tt.wantErr)
		})
	}
}

func TestProspectReplyOpeningLineNeedsNoModel(t *testing.T) {
	p, fake := chatProvider(t, resilience.GroqPolicy())
	g, gfake := geminiProvider(t, resilience.GeminiPolicy())
	in := llm.ReplyInput{Persona: testPersona(), Mode: domain.ModeDiscovery}
	r, err := p.ProspectReply(context.Background(), in)
	require.NoError(t, err)
	assert.Equal(t, llm.Reply{Text: "Hi, thanks for setting this up. I have twenty minutes."}, r)
	r, err = g.ProspectReply(context.Background(), llm.ReplyInput{Persona: testPersona(), Mode: domain.ModeColdCall})
	require.NoError(t, err)
	assert.Equal(t, "Dana speaking.", r.Text)
	assert.Zero(t, fake.RequestCount())
	assert.Zero(t, gfake.RequestCount())
}

func TestChatProspectReply(t *testing.T) {
	p, fake := chatProvider(t, resilience.GroqPolicy())
	fake.Enqueue(openaifake.Reply("m", "  "), openaifake.Reply("m", `Dana Whitfield: "About four months, honestly."`))
	tr := append(transcript(), domain.TranscriptEntry{Role: domain.RoleUser, Content: "And ramp time?", TimestampMs: 12000})
	r, err := p.ProspectReply(context.Background(), llm.ReplyInput{Persona: testPersona(), Mode: domain.ModeColdCall, Transcript: tr})
	require.NoError(t, err)
	assert.Equal(t, llm.Reply{Text: "About four months, honestly.", Model: "m"}, r)
	assert.Equal(t, 2, fake.RequestCount(), "a blank reply is invalid and retried")

	req := fake.Requests()[1]
	assert.False(t, req.JSONMode())
	assert.InDelta(t, 0.7, *req.Chat.Temperature, 1e-9)
	msgs := req.Chat.Messages
	require.Len(t, msgs, 5, "system + 4 turns (the rep's last two lines are merged)")
	assert.Equal(t, "system", msgs[0].Role)
	assert.True(t, strings.HasPrefix(msgs[0].Content, testPersona().SystemPrompt))
	assert.Equal(t, []string{"assistant", "user", "assistant", "user"}, []string{msgs[1].Role, msgs[2].Role, msgs[3].Role, msgs[4].Role})
	assert.Equal(t, "Totally fair. How long does it take a new SDR to book their first meeting today?\nAnd ramp time?", msgs[4].Content)
}

func TestGeminiProspectReply(t *testing.T) {
	g, fake := geminiProvider(t, resilience.GeminiPolicy())
	fake.Enqueue(geminifake.Text("", "Four months, give or take."))
	r, err := g.ProspectReply(context.Background(), llm.ReplyInput{Persona: testPersona(), Mode: domain.ModeColdCall, Transcript: transcript()})
	require.NoError(t, err)
	assert.Equal(t, "Four months, give or take.", r.Text)
	contents := fake.Requests()[0].Generate.Contents
	require.Len(t, contents, 5)
	assert.Equal(t, "user", contents[0].Role, "Gemini gets a user turn first")
	assert.Equal(t, "model", contents[1].Role)
	assert.Equal(t, "Dana speaking.", contents[1].Text())
	assert.Equal(t, "user", contents[4].Role)
}

func TestProspectReplyNeedsTheRepToSpeakLast(t *testing.T) {
	p, fake := chatProvider(t, resilience.GroqPolicy())
	_, err := p.ProspectReply(context.Background(), llm.ReplyInput{Persona: testPersona(), Mode: domain.ModeColdCall, Transcript: transcript()[:3]})
	assert.ErrorIs(t, err, domain.ErrInvalid)
	_, err = p.ProspectReply(context.Background(), llm.ReplyInput{Persona: domain.PersonaProfile{Name: "x"}, Mode: domain.ModeColdCall})
	assert.ErrorIs(t, err, domain.ErrInvalid)
	assert.Zero(t, fake.RequestCount())
}

func TestConstructorsNeedAClient(t *testing.T) {
	_, err := llm.NewChatProvider(llm.GroqName, nil, resilience.Runner{}, llm.Breakers{})
	assert.ErrorIs(t, err, llm.ErrNoClient)
	_, err = llm.NewGeminiProvider(nil, resilience.Runner{}, llm.Breakers{})
	assert.ErrorIs(t, err, llm.ErrNoClient)
}
