package app_test

import (
	"context"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sparrow-coach/sparrow/app"
	"github.com/sparrow-coach/sparrow/domain"
	"github.com/sparrow-coach/sparrow/domain/coaching/personas"
)

// fakeGenerator stands in for an LLM persona generator.
type fakeGenerator struct {
	profile func(req app.PersonaRequest) domain.PersonaProfile
	err     error
	calls   int
}

func (f *fakeGenerator) GeneratePersona(_ context.Context, req app.PersonaRequest) (domain.PersonaProfile, error) {
	f.calls++
	if f.err != nil {
		return domain.PersonaProfile{}, f.err
	}
	return f.profile(req), nil
}

func llmProfile(req app.PersonaRequest) domain.PersonaProfile {
	return domain.PersonaProfile{Name: "Gem Ini", Role: req.Role, Company: "Model Co", Industry: req.Industry,
		Personality: req.Personality, Difficulty: req.Difficulty, Backstory: "Written by a model.",
		HiddenPains: []string{"p"}, Objections: []string{"o"}, VoiceID: req.VoiceIDs[0],
		SystemPrompt: "You are Gem Ini.", FirstMessage: "Hello?"}
}

func TestGeneratePersona(t *testing.T) {
	t.Parallel()
	p := newPractice(t)
	ctx := context.Background()
	owner, other := p.user(t, "user_gen_owner"), p.user(t, "user_gen_other")
	in := personas.GenerateInput{Industry: " Logistics ", Role: "Head of Operations", Personality: domain.PersonalityBusy, Difficulty: domain.DifficultyHard}

	t.Run("built-in, owned by the user", func(t *testing.T) {
		v, err := p.app.GeneratePersona(ctx, app.Meta{Actor: owner}, owner, in, app.PersonaOptions{})
		require.NoError(t, err)
		assert.False(t, v.Profile.IsPreset)
		require.NotNil(t, v.Owner)
		assert.Equal(t, owner, *v.Owner)
		assert.Equal(t, "Logistics", v.Profile.Industry, "input is trimmed")
		assert.Equal(t, domain.PersonalityBusy, v.Profile.Personality)
		assert.Contains(t, personas.DefaultVoiceIDs(), v.Profile.VoiceID)
		assert.Len(t, v.Profile.FirstMessages, len(domain.Modes))

		mine, err := p.app.ListPersonas(ctx, owner)
		require.NoError(t, err)
		assert.True(t, containsPersona(mine, v.ID))
		theirs, err := p.app.ListPersonas(ctx, other)
		require.NoError(t, err)
		assert.False(t, containsPersona(theirs, v.ID), "another user does not see it")
		_, err = p.app.GetPersona(ctx, other, v.ID)
		assert.ErrorIs(t, err, domain.ErrNotFound)

		call, err := p.app.CreateCall(ctx, app.Meta{Actor: owner}, owner, v.ID, domain.ModeColdCall)
		require.NoError(t, err, "the owner can practise with it")
		_, err = p.app.TakeTurn(ctx, app.Meta{Actor: owner}, owner, call, "Hi, do you have a minute?", app.TurnOptions{})
		require.NoError(t, err)
	})
	t.Run("configured voices", func(t *testing.T) {
		v, err := p.app.GeneratePersona(ctx, app.Meta{Actor: owner}, owner, in, app.PersonaOptions{VoiceIDs: []string{"voice-a"}})
		require.NoError(t, err)
		assert.Equal(t, "voice-a", v.Profile.VoiceID)
	})
	t.Run("the same key returns the same persona", func(t *testing.T) {
		m := app.Meta{Actor: owner, IdempotencyKey: "gen-1"}
		gen := &fakeGenerator{profile: llmProfile}
		a, err := p.app.GeneratePersona(ctx, m, owner, in, app.PersonaOptions{Generator: gen})
		require.NoError(t, err)
		b, err := p.app.GeneratePersona(ctx, m, owner, in, app.PersonaOptions{Generator: gen})
		require.NoError(t, err)
		assert.Equal(t, a, b)
		assert.Equal(t, 1, gen.calls, "a retry does not generate again")
	})

	tests := []struct {
		name     string
		gen      *fakeGenerator
		wantName string // "" means the built-in generator wrote it
	}{
		{name: "the generator writes it", gen: &fakeGenerator{profile: llmProfile}, wantName: "Gem Ini"},
		{name: "a failing generator falls back", gen: &fakeGenerator{err: errors.New("gemini: 503")}},
		{name: "another personality falls back", gen: &fakeGenerator{profile: func(r app.PersonaRequest) domain.PersonaProfile {
			p := llmProfile(r)
			p.Personality = domain.PersonalityFriendly
			return p
		}}},
		{name: "a voice not offered falls back", gen: &fakeGenerator{profile: func(r app.PersonaRequest) domain.PersonaProfile {
			p := llmProfile(r)
			p.VoiceID = "made-up"
			return p
		}}},
		{name: "an invalid profile falls back", gen: &fakeGenerator{profile: func(r app.PersonaRequest) domain.PersonaProfile {
			p := llmProfile(r)
			p.SystemPrompt = ""
			return p
		}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, err := p.app.GeneratePersona(ctx, app.Meta{Actor: owner}, owner, in, app.PersonaOptions{Generator: tt.gen})
			require.NoError(t, err)
			assert.Equal(t, 1, tt.gen.calls)
			if tt.wantName != "" {
				assert.Equal(t, tt.wantName, v.Profile.Name)
				return
			}
			assert.NotEqual(t, "Gem Ini", v.Profile.Name)
			assert.Equal(t, domain.PersonalityBusy, v.Profile.Personality)
			assert.Contains(t, personas.DefaultVoiceIDs(), v.Profile.VoiceID)
		})
	}
}

func TestGeneratePersonaRefusesInvalidChoices(t *testing.T) {
	t.Parallel()
	p := newPractice(t)
	ctx := context.Background()
	owner := p.user(t, "user_gen_invalid")
	gen := &fakeGenerator{profile: llmProfile}
	_, err := p.app.GeneratePersona(ctx, app.Meta{Actor: owner}, owner,
		personas.GenerateInput{Industry: "", Role: "CFO", Personality: "grumpy", Difficulty: domain.DifficultyEasy}, app.PersonaOptions{Generator: gen})
	require.ErrorIs(t, err, domain.ErrInvalid)
	assert.Equal(t, map[string]bool{"industry": true, "personality": true}, fieldsOf(err), "every problem is named")
	assert.Zero(t, gen.calls, "nothing is generated")
	mine, err := p.app.ListPersonas(ctx, owner)
	require.NoError(t, err)
	for _, v := range mine {
		assert.True(t, v.Profile.IsPreset, "nothing is stored")
	}
}

func containsPersona(vs []app.PersonaView, id string) bool {
	for _, v := range vs {
		if v.ID == id {
			return true
		}
	}
	return false
}

// fieldsOf names every *domain.FieldError in an error tree (errors.Join included).
func fieldsOf(err error) map[string]bool {
	out := map[string]bool{}
	var walk func(error)
	walk = func(e error) {
		if fe, ok := e.(*domain.FieldError); ok {
			out[fe.Field] = true
			return
		}
		switch u := e.(type) {
		case interface{ Unwrap() []error }:
			for _, x := range u.Unwrap() {
				walk(x)
			}
		case interface{ Unwrap() error }:
			if x := u.Unwrap(); x != nil {
				walk(x)
			}
		}
	}
	walk(err)
	return out
}
