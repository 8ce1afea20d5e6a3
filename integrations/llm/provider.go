package llm

import (
	"context"
	"errors"

	"google.golang.org/genai"

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
	GenerateJSON(ctx context.Context, system, user string, schema *genai.Schema, temperature float32) (string, string, error)
	GenerateText(ctx context.Context, system string, turns []gemini.Turn, temperature float32) (string, string, error)
}

// ErrNoClient is returned by a constructor given no client.
var ErrNoClient = errors.New("llm: a client is required")

// Max answer sizes asked of OpenAI-compatible servers.
const (
	quickScoreMaxTokens = 400
	analysisMaxTokens   = 4000
	replyMaxTokens      = 300
)

// ChatProvider runs Sparrow's model tasks on an OpenAI-compatible server
// (Groq by default). Safe for concurrent use.
type ChatProvider struct {
	chat Chatter
	run  resilience.Runner
}

// NewChatProvider wraps chat; run decides retries (e.g. resilience.GroqPolicy()) and the breaker.
func NewChatProvider(chat Chatter, run resilience.Runner) (*ChatProvider, error) {
	if chat == nil {
		return nil, ErrNoClient
	}
	if err := run.Policy.Validate(); err != nil {
		return nil, err
	}
	return &ChatProvider{chat: chat, run: run}, nil
}

func (p *ChatProvider) jsonChat(ctx context.Context, system, user string, temperature float64, maxTokens int) (openaicompat.ChatResponse, error) {
	resp, err := p.chat.Chat(ctx, openaicompat.ChatRequest{
		Messages:    []openaicompat.Message{{Role: "system", Content: system}, {Role: "user", Content: user}},
		Temperature: temperature, JSON: true, MaxTokens: maxTokens,
	})
	return resp, asInvalidAnswer(resp.Model, err)
}

// QuickScore is the fast track: QuickScorePrompt at temperature 0.2, JSON mode.
func (p *ChatProvider) QuickScore(ctx context.Context, in ScoreInput) (QuickScore, error) {
	if err := in.Validate(); err != nil {
		return QuickScore{}, badInput("quick score", err)
	}
	return resilience.Call(ctx, p.run, func(ctx context.Context) (QuickScore, error) {
		resp, err := p.jsonChat(ctx, QuickScorePrompt, quickScoreUser(in), QuickScoreTemperature, quickScoreMaxTokens)
		if err != nil {
			return QuickScore{}, err
		}
		return parseQuickScore(resp.Model, resp.Content)
	})
}

// Analyze is the deep track's fallback: ScoringSystemPrompt at temperature
// 0.3, JSON mode. A nil check means VerbatimIn(in.Transcript).
func (p *ChatProvider) Analyze(ctx context.Context, in ScoreInput, check QuoteChecker) (Analysis, error) {
	if err := in.Validate(); err != nil {
		return Analysis{}, badInput("analyze", err)
	}
	if check == nil {
		check = VerbatimIn(in.Transcript)
	}
	return resilience.Call(ctx, p.run, func(ctx context.Context) (Analysis, error) {
		resp, err := p.jsonChat(ctx, ScoringSystemPrompt, analysisUser(in), AnalysisTemperature, analysisMaxTokens)
		if err != nil {
			return Analysis{}, err
		}
		return parseAnalysis(resp.Model, resp.Content, check)
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
	return resilience.Call(ctx, p.run, func(ctx context.Context) (Reply, error) {
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
	gen GeminiGenerator
	run resilience.Runner
}

// NewGeminiProvider wraps gen; run decides retries (e.g. resilience.GeminiPolicy()) and the breaker.
func NewGeminiProvider(gen GeminiGenerator, run resilience.Runner) (*GeminiProvider, error) {
	if gen == nil {
		return nil, ErrNoClient
	}
	if err := run.Policy.Validate(); err != nil {
		return nil, err
	}
	return &GeminiProvider{gen: gen, run: run}, nil
}

// QuickScore is the quick score on Gemini (spec §14: Groq fails, use Gemini).
func (p *GeminiProvider) QuickScore(ctx context.Context, in ScoreInput) (QuickScore, error) {
	if err := in.Validate(); err != nil {
		return QuickScore{}, badInput("quick score", err)
	}
	return resilience.Call(ctx, p.run, func(ctx context.Context) (QuickScore, error) {
		text, model, err := p.gen.GenerateJSON(ctx, QuickScorePrompt, quickScoreUser(in), quickScoreSchema(), QuickScoreTemperature)
		if err != nil {
			return QuickScore{}, err
		}
		return parseQuickScore(model, text)
	})
}

// Analyze is the deep analysis: ScoringSystemPrompt at temperature 0.3 with
// AnalysisSchema. A nil check means VerbatimIn(in.Transcript).
func (p *GeminiProvider) Analyze(ctx context.Context, in ScoreInput, check QuoteChecker) (Analysis, error) {
	if err := in.Validate(); err != nil {
		return Analysis{}, badInput("analyze", err)
	}
	if check == nil {
		check = VerbatimIn(in.Transcript)
	}
	return resilience.Call(ctx, p.run, func(ctx context.Context) (Analysis, error) {
		text, model, err := p.gen.GenerateJSON(ctx, ScoringSystemPrompt, analysisUser(in), AnalysisSchema(), AnalysisTemperature)
		if err != nil {
			return Analysis{}, err
		}
		return parseAnalysis(model, text, check)
	})
}

// Persona is a generated persona and the model that wrote it.
type Persona struct {
	Profile domain.PersonaProfile
	Model   string
}

// GeneratePersona writes a persona (temperature 0.7, PersonaSchema). The
// profile passes domain validation; personality and difficulty are the
// requested ones; IsPreset is false.
func (p *GeminiProvider) GeneratePersona(ctx context.Context, req PersonaRequest) (Persona, error) {
	if err := req.Validate(); err != nil {
		return Persona{}, badInput("generate persona", err)
	}
	return resilience.Call(ctx, p.run, func(ctx context.Context) (Persona, error) {
		text, model, err := p.gen.GenerateJSON(ctx, PersonaGenerationPrompt, personaUser(req), PersonaSchema(req.voiceIDs()), PersonaTemperature)
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
	return resilience.Call(ctx, p.run, func(ctx context.Context) (Reply, error) {
		text, model, err := p.gen.GenerateText(ctx, prospectSystem(in), ts, ProspectTemperature)
		if err != nil {
			return Reply{}, err
		}
		return cleanReply(model, text, in.Persona)
	})
}
