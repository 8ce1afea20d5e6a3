package main

import (
	"context"
	"fmt"
	"log/slog"
	"strings"

	"github.com/sparrow-coach/sparrow/app"
	"github.com/sparrow-coach/sparrow/app/scoring"
	"github.com/sparrow-coach/sparrow/domain"
	"github.com/sparrow-coach/sparrow/integrations/gemini"
	"github.com/sparrow-coach/sparrow/integrations/llm"
	"github.com/sparrow-coach/sparrow/integrations/openaicompat"
	"github.com/sparrow-coach/sparrow/integrations/resilience"
)

// providers are the external AI services the configuration turns on. Each
// is on only when its keys (or, for a self-hosted OpenAI-compatible server,
// its base URL) are set; the built-in rubric needs nothing.
type providers struct {
	gemini      *llm.GeminiProvider
	geminiModel string
	chat        *llm.ChatProvider
	chatName    string
	chatModel   string
}

// chatEnabled: a Groq key, or a base URL other than Groq's (Ollama, llama.cpp, vLLM need no key).
func (c Config) chatEnabled() bool {
	return c.GroqAPIKey != "" || c.GroqBaseURL != openaicompat.DefaultBaseURL
}

func (c Config) geminiEnabled() bool { return c.GeminiAPIKey != "" || c.GoogleProject != "" }

func buildProviders(ctx context.Context, c Config) (providers, error) {
	var p providers
	if c.geminiEnabled() {
		gc := gemini.Config{APIKey: c.GeminiAPIKey, Model: c.GeminiModel, BaseURL: c.GeminiBaseURL}
		if c.GeminiAPIKey == "" {
			gc.VertexProject, gc.VertexLocation = c.GoogleProject, c.GoogleLocation
		}
		client, err := gemini.New(ctx, gc)
		if err != nil {
			return providers{}, fmt.Errorf("Gemini: %w", err)
		}
		br, _ := resilience.NewBreaker(resilience.BreakerConfig{})
		if p.gemini, err = llm.NewGeminiProvider(client, resilience.Runner{Policy: resilience.GeminiPolicy(), Breaker: br}); err != nil {
			return providers{}, err
		}
		p.geminiModel = gc.Model
	}
	if c.chatEnabled() {
		client, err := openaicompat.New(openaicompat.Config{BaseURL: c.GroqBaseURL, APIKey: c.GroqAPIKey, Model: c.GroqModel})
		if err != nil {
			return providers{}, fmt.Errorf("GROQ_BASE_URL/GROQ_MODEL: %w", err)
		}
		br, _ := resilience.NewBreaker(resilience.BreakerConfig{})
		p.chatName, p.chatModel = llm.GroqName, c.GroqModel
		if c.GroqBaseURL != openaicompat.DefaultBaseURL {
			p.chatName = llm.OpenAICompatibleName
		}
		if p.chat, err = llm.NewChatProvider(p.chatName, client, resilience.Runner{Policy: resilience.GroqPolicy(), Breaker: br}); err != nil {
			return providers{}, err
		}
	}
	return p, nil
}

// deep is the deep-analysis chain (spec §14: Gemini, then Groq), or one
// provider; the built-in rubric always ends the chain.
func (p providers) deep(only string) ([]scoring.DeepProvider, error) {
	var all []scoring.DeepProvider
	if p.gemini != nil {
		all = append(all, p.gemini)
	}
	if p.chat != nil {
		all = append(all, p.chat)
	}
	if only == "" {
		return all, nil
	}
	if only == scoring.BuiltinName {
		return nil, nil
	}
	for _, d := range all {
		if d.Name() == only {
			return []scoring.DeepProvider{d}, nil
		}
	}
	names := []string{scoring.BuiltinName}
	for _, d := range all {
		names = append(names, d.Name())
	}
	return nil, fmt.Errorf("provider %q is not configured (configured: %s)", only, strings.Join(names, ", "))
}

// quick is the quick-score chain (spec §14: Groq, then Gemini), before the built-in rubric.
func (p providers) quick() []scoring.QuickProvider {
	var out []scoring.QuickProvider
	if p.chat != nil {
		out = append(out, p.chat)
	}
	if p.gemini != nil {
		out = append(out, p.gemini)
	}
	return out
}

// deepChain is the deep-scoring chain for serve and rescore.
func deepChain(ctx context.Context, c Config, only string, log *slog.Logger) (scoring.DeepChain, error) {
	p, err := buildProviders(ctx, c)
	if err != nil {
		return scoring.DeepChain{}, err
	}
	ds, err := p.deep(only)
	if err != nil {
		return scoring.DeepChain{}, err
	}
	return scoring.DeepChain{Providers: ds, Logger: log}, nil
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}

// geminiPersonas lets Gemini write generated personas (the built-in
// generator takes over when it fails or answers off-brief).
type geminiPersonas struct{ p *llm.GeminiProvider }

func (g geminiPersonas) GeneratePersona(ctx context.Context, r app.PersonaRequest) (domain.PersonaProfile, error) {
	vs := make([]llm.Voice, len(r.VoiceIDs))
	for i, id := range r.VoiceIDs {
		vs[i] = llm.Voice{ID: id}
	}
	out, err := g.p.GeneratePersona(ctx, llm.PersonaRequest{Industry: r.Industry, Role: r.Role, Personality: r.Personality,
		Difficulty: r.Difficulty, Voices: vs})
	return out.Profile, err
}

// llmProspect lets a model write the prospect's lines in text practice.
type llmProspect struct {
	p interface {
		ProspectReply(context.Context, llm.ReplyInput) (llm.Reply, error)
	}
}

func (l llmProspect) ProspectReply(ctx context.Context, t app.ProspectTurn) (string, error) {
	r, err := l.p.ProspectReply(ctx, llm.ReplyInput{Persona: t.Persona, Mode: t.Mode, Transcript: t.Transcript})
	return r.Text, err
}

// personaGenerator is Gemini when configured (nil: the built-in generator).
func (p providers) personaGenerator() app.PersonaGenerator {
	if p.gemini == nil {
		return nil
	}
	return geminiPersonas{p.gemini}
}

// prospect is the model that plays prospects when SPARROW_LLM_PROSPECT=1
// (Groq/OpenAI-compatible first, for speed; nil: the built-in prospect).
func (p providers) prospect(c Config) app.ProspectLLM {
	switch {
	case !c.LLMProspect:
		return nil
	case p.chat != nil:
		return llmProspect{p.chat}
	case p.gemini != nil:
		return llmProspect{p.gemini}
	}
	return nil
}
