package main

import (
	"context"
	"log/slog"

	"github.com/sparrow-coach/sparrow/app/scoring"
	"github.com/sparrow-coach/sparrow/integrations/providers"
)

// providerConfig is the part of the configuration the provider registry
// (integrations/providers) builds the external AI providers from. Each is on
// only when its keys (or, for a self-hosted OpenAI-compatible server, its
// base URL) are set; the built-in rubric needs nothing.
func (c Config) providerConfig() providers.Config {
	return providers.Config{
		Gemini: providers.GeminiConfig{APIKey: c.GeminiAPIKey, Project: c.GoogleProject, Location: c.GoogleLocation,
			BaseURL: c.GeminiBaseURL, Model: c.GeminiModel},
		Chat: providers.ChatConfig{APIKey: c.GroqAPIKey, BaseURL: c.GroqBaseURL, Model: c.GroqModel,
			JSONSchema: c.GroqJSONSchema},
		LLMProspect: c.LLMProspect,
	}
}

// buildProviders builds the providers the configuration turns on.
func buildProviders(ctx context.Context, c Config) (providers.Set, error) {
	return providers.Build(ctx, c.providerConfig())
}

// deepChain is the deep-scoring chain for rescore: the configured chain, or
// only the named provider.
func deepChain(ctx context.Context, c Config, only string, log *slog.Logger) (scoring.DeepChain, error) {
	p, err := buildProviders(ctx, c)
	if err != nil {
		return scoring.DeepChain{}, err
	}
	ds, err := p.Deep(only)
	if err != nil {
		return scoring.DeepChain{}, err
	}
	return scoring.DeepChain{Providers: ds, Logger: log}, nil
}
