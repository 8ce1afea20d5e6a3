package llm

import (
	"context"
	"errors"

	"github.com/sparrow-coach/sparrow/domain"
	"github.com/sparrow-coach/sparrow/integrations/gemini"
	"github.com/sparrow-coach/sparrow/integrations/openaicompat"
	"github.com/sparrow-coach/sparrow/integrations/resilience"
)

// Chatter is what ChatProvider needs from an OpenAI-compatible client
// (*openaicompat.Client).
type Chatter interface {
	Chat(ctx context.Context, req openaicompat.ChatRequest) (openaicompat.ChatResponse, error)
}

// GeminiGenerator is what GeminiProvider needs from a Gemini client (*gemini.Client).
type GeminiGenerator interface {
	GenerateJSON(ctx context.Context, system, user string, schema *gemini.Schema, temperature float32) (string, string, error)
	GenerateText(ctx context.Context, system string, turns []gemini.Turn, temperature float32) (string, string, error)
}

// ErrNoClient is returned by a constructor given no client.
var ErrNoClient = errors.New("llm: a client is required")

// Provider names recorded on scores.
const (
	// GeminiName names GeminiProvider.
	GeminiName = "gemini"
	// GroqName and OpenAICompatibleName are the usual names of a ChatProvider:
	// Groq's API, or any other OpenAI-compatible server.
	GroqName             = "groq"
	OpenAICompatibleName = "openai-compatible"
)

// Max answer sizes asked of OpenAI-compatible servers.
const (
	quickScoreMaxTokens = 400
	analysisMaxTokens   = 4000
	replyMaxTokens      = 300
)

// ChatProvider runs Sparrow's model tasks on an OpenAI-compatible server
// (Groq by default). Safe for concurrent use.
type ChatProvider struct {
	name     string
	chat     Chatter
	run      resilience.Runner
	breakers Breakers
}

// NewChatProvider wraps chat under a provider name (GroqName,
// OpenAICompatibleName, ...); run decides retries (e.g.
// resilience.GroqPolicy()), and each use runs under its own breaker of br
// (run.Breaker must be nil).
func NewChatProvider(name string, chat Chatter, run resilience.Runner, br Breakers) (*ChatProvider, error) {
	if chat == nil {
		return nil, ErrNoClient
	}
	if name == "" {
		return nil, errors.New("llm: a provider name is required")
	}
	if run.Breaker != nil {
		return nil, errSharedBreaker
	}
	if err := run.Policy.Validate(); err != nil {
		return nil, err
	}
	return &ChatProvider{name: name, chat: chat, run: run, breakers: br}, nil
}

// Name is the provider name recorded on its scores.
func (p *ChatProvider) Name() string { return p.name }

// jsonChat asks for a JSON answer of the given schema (json_schema where the
// server supports it; the prompts describe the shape too, for json_object).
func (p *ChatProvider) jsonChat(ctx context.Context, system, user string, schema *openaicompat.JSONSchema, temperature float64, maxTokens int) (openaicompat.ChatResponse, error) {
	resp, err := p.chat.Chat(ctx, openaicompat.ChatRequest{
		Messages:    []openaicompat.Message{{Role: "system", Content: system}, {Role: "user", Content: user}},
		Temperature: temperature, JSON: true, Schema: schema, MaxTokens: maxTokens,
	})
	return resp, asInvalidAnswer(resp.Model, err)
}

// QuickScore is the fast track: QuickScorePrompt at temperature 0.2, JSON mode.
func (p *ChatProvider) QuickScore(ctx context.Context, in domain.ScoreInput) (domain.QuickScore, error) {
	return quickScore(ctx, with(p.run, p.breakers.Quick), p.name, in, func(ctx context.Context) (string, string, error) {
		resp, err := p.jsonChat(ctx, QuickScorePrompt, quickScoreUser(in), chatSchema("quick_score", quickScoreSchema()), QuickScoreTemperature, quickScoreMaxTokens)
		return resp.Content, resp.Model, err
	})
}

// DeepScore is the deep track's fallback: ScoringSystemPrompt at temperature
// 0.3, JSON mode.
func (p *ChatProvider) DeepScore(ctx context.Context, in domain.ScoreInput) (domain.DeepScore, error) {
	return deepScore(ctx, with(p.run, p.breakers.Deep), p.name, in, func(ctx context.Context) (string, string, error) {
		resp, err := p.jsonChat(ctx, ScoringSystemPrompt, analysisUser(in), chatSchema("call_analysis", analysisSchema()), AnalysisTemperature, analysisMaxTokens)
		return resp.Content, resp.Model, err
	})
}

// quickScore checks in, then asks (under run) until an answer parses.
func quickScore(ctx context.Context, run resilience.Runner, name string, in domain.ScoreInput,
	ask func(context.Context) (text, model string, err error)) (domain.QuickScore, error) {
	if err := validScoreInput(in); err != nil {
		return domain.QuickScore{}, badInput("quick score", err)
	}
	return resilience.Call(ctx, run, func(ctx context.Context) (domain.QuickScore, error) {
		text, model, err := ask(ctx)
		if err != nil {
			return domain.QuickScore{}, err
		}
		s, err := parseQuickScore(model, text)
		s.Provider, s.TranscriptVersion = name, in.TranscriptVersion
		return s, err
	})
}

// deepScore checks in, then asks (under run) until an answer parses.
func deepScore(ctx context.Context, run resilience.Runner, name string, in domain.ScoreInput,
	ask func(context.Context) (text, model string, err error)) (domain.DeepScore, error) {
	if err := validScoreInput(in); err != nil {
		return domain.DeepScore{}, badInput("deep score", err)
	}
	return resilience.Call(ctx, run, func(ctx context.Context) (domain.DeepScore, error) {
		text, model, err := ask(ctx)
		if err != nil {
			return domain.DeepScore{}, err
		}
		s, _, err := parseAnalysis(model, text, in)
		s.Provider = name
		return s, err
	})
}

// ProspectReply returns the prospect's next line: the persona's opening line
// when the transcript is empty (no request), else the model's answer.
func (p *ChatProvider) ProspectReply(ctx context.Context, in ReplyInput) (Reply, error) {
	if err := in.Validate(); err != nil {
		return Reply{}, badInput("prospect reply", err)
	}
	if r, ok := openingLine(in); ok {
		return r, nil
	}
	msgs := []openaicompat.Message{{Role: "system", Content: prospectSystem(in)}}
	for _, t := range turns(in.Transcript) {
		role := "user"
		if t.prospect {
			role = "assistant"
		}
		msgs = append(msgs, openaicompat.Message{Role: role, Content: t.text})
	}
	return resilience.Call(ctx, with(p.run, p.breakers.Prospect), func(ctx context.Context) (Reply, error) {
		resp, err := p.chat.Chat(ctx, openaicompat.ChatRequest{Messages: msgs, Temperature: ProspectTemperature, MaxTokens: replyMaxTokens})
		if err != nil {
			return Reply{}, err
		}
		return cleanReply(resp.Model, resp.Content, in.Persona)
	})
}

// GeminiProvider runs Sparrow's model tasks on Gemini with response schemas.
// Safe for concurrent use.
type GeminiProvider struct {
	gen      GeminiGenerator
	run      resilience.Runner
	breakers Breakers
}

// NewGeminiProvider wraps gen; run decides retries (e.g.
// resilience.GeminiPolicy()), and each use runs under its own breaker of br
// (run.Breaker must be nil).
func NewGeminiProvider(gen GeminiGenerator, run resilience.Runner, br Breakers) (*GeminiProvider, error) {
	if gen == nil {
		return nil, ErrNoClient
	}
	if run.Breaker != nil {
		return nil, errSharedBreaker
	}
	if err := run.Policy.Validate(); err != nil {
		return nil, err
	}
	return &GeminiProvider{gen: gen, run: run, breakers: br}, nil
}

// Name is GeminiName.
func (p *GeminiProvider) Name() string { return GeminiName }

// QuickScore is the quick score on Gemini (spec §14: Groq fails, use Gemini).
func (p *GeminiProvider) QuickScore(ctx context.Context, in domain.ScoreInput) (domain.QuickScore, error) {
	return quickScore(ctx, with(p.run, p.breakers.Quick), GeminiName, in, func(ctx context.Context) (string, string, error) {
		return p.gen.GenerateJSON(ctx, QuickScorePrompt, quickScoreUser(in), quickScoreSchema(), QuickScoreTemperature)
	})
}

// DeepScore is the deep analysis: ScoringSystemPrompt at temperature 0.3
// with the analysis response schema.
func (p *GeminiProvider) DeepScore(ctx context.Context, in domain.ScoreInput) (domain.DeepScore, error) {
	return deepScore(ctx, with(p.run, p.breakers.Deep), GeminiName, in, func(ctx context.Context) (string, string, error) {
		return p.gen.GenerateJSON(ctx, ScoringSystemPrompt, analysisUser(in), analysisSchema(), AnalysisTemperature)
	})
}

// Persona is a generated persona and the model that wrote it.
type Persona struct {
	Profile domain.PersonaProfile
	Model   string
}

// GeneratePersona writes a persona (temperature 0.7, with a response schema). The
// profile passes domain validation; personality and difficulty are the
// requested ones; IsPreset is false.
func (p *GeminiProvider) GeneratePersona(ctx context.Context, req PersonaRequest) (Persona, error) {
	if err := req.Validate(); err != nil {
		return Persona{}, badInput("generate persona", err)
	}
	return resilience.Call(ctx, with(p.run, p.breakers.Persona), func(ctx context.Context) (Persona, error) {
		text, model, err := p.gen.GenerateJSON(ctx, PersonaGenerationPrompt, personaUser(req), personaSchema(req.voiceIDs()), PersonaTemperature)
		if err != nil {
			return Persona{}, err
		}
		prof, err := parsePersona(model, text, req)
		if err != nil {
			return Persona{}, err
		}
		return Persona{Profile: prof, Model: model}, nil
	})
}

// ProspectReply is ChatProvider.ProspectReply on Gemini. A conversation that
// starts with the prospect gets a short user turn first, since Gemini expects
// the user to speak first.
func (p *GeminiProvider) ProspectReply(ctx context.Context, in ReplyInput) (Reply, error) {
	if err := in.Validate(); err != nil {
		return Reply{}, badInput("prospect reply", err)
	}
	if r, ok := openingLine(in); ok {
		return r, nil
	}
	var ts []gemini.Turn
	for i, t := range turns(in.Transcript) {
		if i == 0 && t.prospect {
			ts = append(ts, gemini.Turn{Role: gemini.RoleUser, Text: "(The phone rings and you pick up.)"})
		}
		role := gemini.RoleUser
		if t.prospect {
			role = gemini.RoleModel
		}
		ts = append(ts, gemini.Turn{Role: role, Text: t.text})
	}
	return resilience.Call(ctx, with(p.run, p.breakers.Prospect), func(ctx context.Context) (Reply, error) {
		text, model, err := p.gen.GenerateText(ctx, prospectSystem(in), ts, ProspectTemperature)
		if err != nil {
			return Reply{}, err
		}
		return cleanReply(model, text, in.Persona)
	})
}
