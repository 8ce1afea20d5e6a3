package providers

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/sparrow-coach/sparrow/app"
	"github.com/sparrow-coach/sparrow/app/scoring"
	"github.com/sparrow-coach/sparrow/domain"
	"github.com/sparrow-coach/sparrow/integrations/gemini"
	"github.com/sparrow-coach/sparrow/integrations/llm"
	"github.com/sparrow-coach/sparrow/integrations/openaicompat"
	"github.com/sparrow-coach/sparrow/integrations/resilience"
)

// Config is every provider's configuration (cmd/sparrow reads it from the
// environment; this package reads none).
type Config struct {
	Gemini GeminiConfig
	// Chat is Groq, or any OpenAI-compatible server (Ollama, llama.cpp, vLLM).
	Chat ChatConfig
	// LLMProspect lets a model play the prospect in text practice
	// (SPARROW_LLM_PROSPECT=1); off, the built-in simulator does.
	LLMProspect bool
}

// GeminiConfig turns Gemini on with an API key, or with a Google Cloud
// project (Vertex AI) when there is no key.
type GeminiConfig struct {
	APIKey, Project, Location, BaseURL, Model string
}

// ChatConfig turns the OpenAI-compatible provider on with an API key, or
// with a base URL other than Groq's (local servers need no key).
type ChatConfig struct {
	APIKey, BaseURL, Model string
	// JSONSchema is openaicompat.Config.JSONSchema: "" asks scoring answers
	// with a strict json_schema (json_object once the server refuses it),
	// "off" always with json_object.
	JSONSchema string
}

// Track is a job a provider can do.
type Track string

// The tracks, and what a provider serving each must implement.
const (
	Quick    Track = "quick"    // scoring.QuickProvider
	Deep     Track = "deep"     // scoring.DeepProvider
	Persona  Track = "persona"  // PersonaWriter
	Prospect Track = "prospect" // ProspectReplier
)

// PersonaWriter is what a provider serving Persona implements.
type PersonaWriter interface {
	GeneratePersona(ctx context.Context, req llm.PersonaRequest) (llm.Persona, error)
}

// ProspectReplier is what a provider serving Prospect implements.
type ProspectReplier interface {
	ProspectReply(ctx context.Context, in llm.ReplyInput) (llm.Reply, error)
}

// Provider is a built provider.
type Provider interface {
	Name() string
}

// Entry is one provider in the registry.
type Entry struct {
	// Key names the entry (the provider's usual name; a built provider may
	// name itself after its configuration, e.g. openai-compatible).
	Key string
	// Places in each track's chain, 1 first; a track not listed is not served.
	Places map[Track]int
	// Enabled reports whether c turns the provider on.
	Enabled func(c Config) bool
	// HowToEnable is shown by doctor while the provider is off.
	HowToEnable string
	// Build makes the provider; where says where it runs, for doctor ("" or " at URL").
	Build func(ctx context.Context, c Config) (p Provider, model, where string, err error)
}

// Registry is every external provider Sparrow knows, in doctor's order.
func Registry() []Entry {
	return []Entry{
		{
			Key:         llm.GeminiName,
			Places:      map[Track]int{Deep: 1, Quick: 2, Persona: 1, Prospect: 2}, // spec §14: Gemini first for analysis
			Enabled:     func(c Config) bool { return c.Gemini.APIKey != "" || c.Gemini.Project != "" },
			HowToEnable: "set GEMINI_API_KEY (or GOOGLE_CLOUD_PROJECT for Vertex AI)",
			Build:       buildGemini,
		},
		{
			Key:         llm.GroqName,
			Places:      map[Track]int{Quick: 1, Deep: 2, Prospect: 1}, // spec §14: Groq first for speed
			Enabled:     func(c Config) bool { return c.Chat.APIKey != "" || c.Chat.BaseURL != openaicompat.DefaultBaseURL },
			HowToEnable: "set GROQ_API_KEY, or GROQ_BASE_URL for Ollama, llama.cpp or vLLM",
			Build:       buildChat,
		},
	}
}

func buildGemini(ctx context.Context, c Config) (Provider, string, string, error) {
	gc := gemini.Config{APIKey: c.Gemini.APIKey, Model: c.Gemini.Model, BaseURL: c.Gemini.BaseURL}
	if c.Gemini.APIKey == "" {
		gc.VertexProject, gc.VertexLocation = c.Gemini.Project, c.Gemini.Location
	}
	client, err := gemini.New(ctx, gc)
	if err != nil {
		return nil, "", "", fmt.Errorf("Gemini: %w", err)
	}
	br, err := llm.NewBreakers(resilience.BreakerConfig{})
	if err != nil {
		return nil, "", "", err
	}
	p, err := llm.NewGeminiProvider(client, resilience.Runner{Policy: resilience.GeminiPolicy()}, br)
	return p, client.Model(), "", err
}

func buildChat(_ context.Context, c Config) (Provider, string, string, error) {
	client, err := openaicompat.New(openaicompat.Config{BaseURL: c.Chat.BaseURL, APIKey: c.Chat.APIKey, Model: c.Chat.Model,
		JSONSchema: openaicompat.JSONSchemaMode(c.Chat.JSONSchema)})
	if err != nil {
		return nil, "", "", fmt.Errorf("GROQ_BASE_URL/GROQ_MODEL/GROQ_JSON_SCHEMA: %w", err)
	}
	br, err := llm.NewBreakers(resilience.BreakerConfig{})
	if err != nil {
		return nil, "", "", err
	}
	name := llm.GroqName
	if c.Chat.BaseURL != openaicompat.DefaultBaseURL {
		name = llm.OpenAICompatibleName
	}
	p, err := llm.NewChatProvider(name, client, resilience.Runner{Policy: resilience.GroqPolicy()}, br)
	return p, client.Model(), " at " + c.Chat.BaseURL, err
}

// Built is one provider the configuration turned on.
type Built struct {
	Entry    Entry
	Provider Provider
	// Model is the configured model; Where is "" or " at URL".
	Model, Where string
}

// Status is an entry as doctor shows it: built, or off with how to turn it on.
type Status struct {
	Entry Entry
	Built *Built // nil: off
}

// Set is the providers a configuration turns on.
type Set struct {
	cfg      Config
	statuses []Status
}

// Build builds every enabled entry of Registry.
func Build(ctx context.Context, c Config) (Set, error) {
	return BuildFrom(ctx, Registry(), c)
}

// BuildFrom builds every enabled entry of entries (tests give their own).
func BuildFrom(ctx context.Context, entries []Entry, c Config) (Set, error) {
	s := Set{cfg: c}
	for _, e := range entries {
		st := Status{Entry: e}
		if e.Enabled(c) {
			p, model, where, err := e.Build(ctx, c)
			if err != nil {
				return Set{}, err
			}
			if err := serves(e, p); err != nil {
				return Set{}, err
			}
			st.Built = &Built{Entry: e, Provider: p, Model: model, Where: where}
		}
		s.statuses = append(s.statuses, st)
	}
	return s, nil
}

// serves checks that p implements every track e claims.
func serves(e Entry, p Provider) error {
	var errs []error
	for t := range e.Places {
		ok := false
		switch t {
		case Quick:
			_, ok = p.(scoring.QuickProvider)
		case Deep:
			_, ok = p.(scoring.DeepProvider)
		case Persona:
			_, ok = p.(PersonaWriter)
		case Prospect:
			_, ok = p.(ProspectReplier)
		}
		if !ok {
			errs = append(errs, fmt.Errorf("providers: %s claims the %s track but does not implement it", e.Key, t))
		}
	}
	return errors.Join(errs...)
}

// Statuses lists every entry, built or off, in registry order.
func (s Set) Statuses() []Status { return slices.Clone(s.statuses) }

// track returns the built providers serving t, in their place order.
func (s Set) track(t Track) []Built {
	var out []Built
	for _, st := range s.statuses {
		if st.Built != nil && st.Entry.Places[t] > 0 {
			out = append(out, *st.Built)
		}
	}
	slices.SortStableFunc(out, func(a, b Built) int { return a.Entry.Places[t] - b.Entry.Places[t] })
	return out
}

// Quick is the quick-score chain before the built-in rubric (spec §14: Groq, then Gemini).
func (s Set) Quick() []scoring.QuickProvider {
	var out []scoring.QuickProvider
	for _, b := range s.track(Quick) {
		out = append(out, b.Provider.(scoring.QuickProvider))
	}
	return out
}

// Deep is the deep-analysis chain before the built-in rubric (spec §14:
// Gemini, then Groq), or only the named provider ("builtin": none of them).
func (s Set) Deep(only string) ([]scoring.DeepProvider, error) {
	var all []scoring.DeepProvider
	for _, b := range s.track(Deep) {
		all = append(all, b.Provider.(scoring.DeepProvider))
	}
	switch only {
	case "":
		return all, nil
	case scoring.BuiltinName:
		return nil, nil
	}
	names := []string{scoring.BuiltinName}
	for _, d := range all {
		if d.Name() == only {
			return []scoring.DeepProvider{d}, nil
		}
		names = append(names, d.Name())
	}
	return nil, fmt.Errorf("provider %q is not configured (configured: %s)", only, strings.Join(names, ", "))
}

// PersonaGenerator is the first provider serving Persona (nil: the built-in
// generator alone).
func (s Set) PersonaGenerator() app.PersonaGenerator {
	for _, b := range s.track(Persona) {
		return personaWriter{b.Provider.(PersonaWriter)}
	}
	return nil
}

// ProspectLLM is the first provider serving Prospect when Config.LLMProspect
// is on (nil: the built-in prospect simulator).
func (s Set) ProspectLLM() app.ProspectLLM {
	if !s.cfg.LLMProspect {
		return nil
	}
	for _, b := range s.track(Prospect) {
		return prospectReplier{b.Provider.(ProspectReplier)}
	}
	return nil
}

// personaWriter serves app's persona port (the built-in generator takes over
// when it fails or answers off-brief).
type personaWriter struct{ w PersonaWriter }

func (g personaWriter) GeneratePersona(ctx context.Context, r app.PersonaRequest) (domain.PersonaProfile, error) {
	vs := make([]llm.Voice, len(r.VoiceIDs))
	for i, id := range r.VoiceIDs {
		vs[i] = llm.Voice{ID: id}
	}
	out, err := g.w.GeneratePersona(ctx, llm.PersonaRequest{Industry: r.Industry, Role: r.Role, Personality: r.Personality,
		Difficulty: r.Difficulty, Voices: vs})
	return out.Profile, err
}

// prospectReplier serves app's text-practice prospect port.
type prospectReplier struct{ r ProspectReplier }

func (l prospectReplier) ProspectReply(ctx context.Context, t app.ProspectTurn) (string, error) {
	r, err := l.r.ProspectReply(ctx, llm.ReplyInput{Persona: t.Persona, Mode: t.Mode, Transcript: t.Transcript})
	return r.Text, err
}
