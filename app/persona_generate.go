package app

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/sparrow-coach/sparrow/domain"
	"github.com/sparrow-coach/sparrow/domain/coaching/personas"
)

// PersonaGenerator writes a persona profile for a request: a language model
// (the Gemini provider), or BuiltinPersonaGenerator.
type PersonaGenerator interface {
	GeneratePersona(ctx context.Context, req PersonaRequest) (domain.PersonaProfile, error)
}

// PersonaRequest is what a generator gets: the user's choices, the voices the
// persona may speak with, and a seed (the built-in generator is
// deterministic for a seed).
type PersonaRequest struct {
	personas.GenerateInput
	VoiceIDs []string
	Seed     uint64
}

// BuiltinPersonaGenerator is the offline generator (personas.Generate).
type BuiltinPersonaGenerator struct{}

// GeneratePersona implements PersonaGenerator.
func (BuiltinPersonaGenerator) GeneratePersona(_ context.Context, req PersonaRequest) (domain.PersonaProfile, error) {
	return personas.Generate(req.GenerateInput, req.Seed, req.VoiceIDs)
}

// PersonaOptions configures GeneratePersona.
type PersonaOptions struct {
	// Generator writes the persona (nil: the built-in generator alone). When
	// it fails or returns a profile that does not fit the request, the
	// built-in generator writes it instead.
	Generator PersonaGenerator
	// VoiceIDs are the voices a persona may get (default personas.DefaultVoiceIDs()).
	VoiceIDs []string
	// Timeout bounds Generator (default 30s).
	Timeout time.Duration
}

// GeneratePersona generates a persona from the user's choices and records
// it as owned by the user (visible to that user only). Invalid choices are
// *domain.FieldError values wrapping domain.ErrInvalid, joined with
// errors.Join, and nothing is generated. With Meta.IdempotencyKey a repeated
// request returns the persona recorded the first time.
func (a *App) GeneratePersona(ctx context.Context, m Meta, userID string, in personas.GenerateInput, opts PersonaOptions) (_ PersonaView, err error) {
	defer door(&err)
	in.Industry, in.Role = strings.TrimSpace(in.Industry), strings.TrimSpace(in.Role)
	if err := in.Validate(); err != nil {
		return PersonaView{}, err
	}
	voices := opts.VoiceIDs
	if len(voices) == 0 {
		voices = personas.DefaultVoiceIDs()
	}
	if opts.Timeout <= 0 {
		opts.Timeout = 30 * time.Second
	}
	id := uuid.NewString()
	if m.IdempotencyKey != "" {
		id = uuid.NewSHA1(idempotencyNS, []byte("persona/"+userID+"/"+m.IdempotencyKey)).String()
		if v, err := a.GetPersona(ctx, userID, id); err == nil {
			return v, nil
		}
	}
	req := PersonaRequest{GenerateInput: in, VoiceIDs: voices, Seed: personaSeed(id)}
	profile, err := a.generateProfile(ctx, req, opts)
	if err != nil {
		return PersonaView{}, err
	}
	err = a.CreatePersona(ctx, m, id, userID, profile)
	if err != nil && !(m.IdempotencyKey != "" && errors.Is(err, domain.ErrAlreadyExists)) {
		return PersonaView{}, err
	}
	return a.GetPersona(ctx, userID, id)
}

// generateProfile asks the configured generator, then the built-in one.
func (a *App) generateProfile(ctx context.Context, req PersonaRequest, opts PersonaOptions) (domain.PersonaProfile, error) {
	if opts.Generator != nil {
		gctx, cancel := context.WithTimeout(ctx, opts.Timeout)
		p, err := opts.Generator.GeneratePersona(gctx, req)
		cancel()
		if err == nil {
			err = fitsRequest(p, req)
		}
		if err == nil {
			return p, nil
		}
		if ctx.Err() != nil {
			return domain.PersonaProfile{}, ctx.Err()
		}
		a.cfg.Logger.Warn("persona generator failed; the built-in generator writes this persona", "err", err)
	}
	p, err := BuiltinPersonaGenerator{}.GeneratePersona(ctx, req)
	if err != nil {
		return domain.PersonaProfile{}, fmt.Errorf("app: generate persona: %w", err)
	}
	return p, nil
}

// fitsRequest checks a generated profile against what was asked.
func fitsRequest(p domain.PersonaProfile, req PersonaRequest) error {
	if err := p.Validate(); err != nil {
		return fmt.Errorf("generated persona: %w", err)
	}
	switch {
	case p.Personality != req.Personality:
		return fmt.Errorf("generated persona has personality %q, not %q", p.Personality, req.Personality)
	case p.Difficulty != req.Difficulty:
		return fmt.Errorf("generated persona has difficulty %q, not %q", p.Difficulty, req.Difficulty)
	case !slices.Contains(req.VoiceIDs, p.VoiceID):
		return fmt.Errorf("generated persona has voice %q, which is not offered", p.VoiceID)
	}
	return nil
}

func personaSeed(id string) uint64 {
	h := fnv.New64a()
	h.Write([]byte("persona/" + id))
	return h.Sum64()
}
