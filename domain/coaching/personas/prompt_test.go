package personas_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sparrow-coach/sparrow/domain"
	"github.com/sparrow-coach/sparrow/domain/coaching/personas"
)

func TestSystemPrompt_ContainsEverythingAnAgentNeeds(t *testing.T) {
	t.Parallel()
	for _, pr := range personas.Presets() {
		p := pr.Profile
		prompt := p.SystemPrompt
		t.Run(p.Name, func(t *testing.T) {
			for _, want := range []string{p.Name, p.Role, p.Company, p.Industry, strings.TrimSpace(p.Backstory)} {
				assert.Contains(t, prompt, want)
			}
			for _, pain := range p.HiddenPains {
				assert.Contains(t, prompt, "- "+pain+"\n")
			}
			for _, o := range p.Objections {
				assert.Contains(t, prompt, "- "+o+"\n")
			}
			for _, section := range []string{"PERSONALITY: " + string(p.Personality), "DIFFICULTY: " + string(p.Difficulty),
				"HIDDEN PAINS", "OBJECTIONS", "WHEN TO AGREE TO A MEETING", "WHEN TO HANG UP", "HOW YOU SPEAK"} {
				assert.Contains(t, prompt, section)
			}
			assert.Contains(t, prompt, "Never volunteer them")
			assert.Contains(t, prompt, "Never say or hint that you are an AI")
			assert.Contains(t, prompt, "short spoken sentences")
			assert.Contains(t, prompt, "concrete day and time")
			assert.Contains(t, prompt, "Stay in character")
		})
	}
}

func TestSystemPrompt_ReflectsPersonalityAndDifficulty(t *testing.T) {
	t.Parallel()
	base := personas.Presets()[0].Profile
	prompts := map[string]bool{}
	for _, pers := range domain.Personalities {
		for _, d := range domain.Difficulties {
			p := base
			p.Personality, p.Difficulty = pers, d
			prompts[personas.SystemPrompt(p)] = true
		}
	}
	assert.Len(t, prompts, len(domain.Personalities)*len(domain.Difficulties), "every combination reads differently")

	hostileHard := base
	hostileHard.Personality, hostileHard.Difficulty = domain.PersonalityHostile, domain.DifficultyHard
	assert.Contains(t, personas.SystemPrompt(hostileHard), "Hang up after the first clear mistake")

	friendlyEasy := base
	friendlyEasy.Personality, friendlyEasy.Difficulty = domain.PersonalityFriendly, domain.DifficultyEasy
	assert.Contains(t, personas.SystemPrompt(friendlyEasy), "Hang up after 3 clear mistakes")
}

func TestSystemPrompt_UsesOnlyTheProfile(t *testing.T) {
	t.Parallel()
	p := domain.PersonaProfile{
		Name: "Dr. Ada Quinn", Role: "Chief Medical Officer", Company: "Quinn Labs", Industry: "Biotech",
		Personality: domain.PersonalityTechnical, Difficulty: domain.DifficultyMedium, Backstory: "Ada runs trials.",
		HiddenPains: []string{"Trial enrollment is slow"}, Objections: []string{"We have a CRO for that"},
	}
	prompt := personas.SystemPrompt(p)
	require.NotEmpty(t, prompt)
	assert.Contains(t, prompt, "Play Dr. Quinn as a real person")
	assert.Contains(t, prompt, "- Trial enrollment is slow\n")
	assert.Contains(t, prompt, "- We have a CRO for that\n")
	assert.Equal(t, prompt, personas.SystemPrompt(p), "same profile, same prompt")
}
