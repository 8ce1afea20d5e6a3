package personas

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sparrow-coach/sparrow/domain"
)

func TestSituationOf_EveryPresetHasAScenePerPainAndDecisionFacts(t *testing.T) {
	t.Parallel()
	decisions := map[string]string{}
	for _, pr := range Presets() {
		p := pr.Profile
		s := SituationOf(p)
		require.Len(t, s.Scenes, len(p.HiddenPains), p.Name)
		seen := map[string]bool{}
		for _, pain := range p.HiddenPains {
			scene := s.Scenes[pain]
			assert.GreaterOrEqual(t, len(strings.Fields(scene)), 20, "%s: %q is a concrete description", p.Name, pain)
			assert.False(t, seen[scene], "%s: each pain has its own scene", p.Name)
			seen[scene] = true
		}
		assert.NotEmpty(t, s.Decision, p.Name)
		assert.NotEqual(t, matchRole(p.Role).decision, s.Decision, "%s: a preset has its own decision facts", p.Name)
		if other, dup := decisions[s.Decision]; dup {
			t.Errorf("%s and %s share decision facts", p.Name, other)
		}
		decisions[s.Decision] = p.Name
	}
}

func TestSituationOf_GeneratedPersonasGetTheKnowledgeOfTheirPainsAndRole(t *testing.T) {
	t.Parallel()
	for _, in := range []GenerateInput{
		{Industry: "Healthcare", Role: "CFO"}, {Industry: "B2B SaaS", Role: "CTO"}, {Industry: "Logistics", Role: "VP of Operations"},
		{Industry: "Retail", Role: "Head of Sales"}, {Industry: "Aquaculture", Role: "Farm Manager"}, {Industry: "Legal", Role: "HR Director"},
	} {
		for seed := range uint64(5) {
			in.Personality, in.Difficulty = domain.PersonalitySkeptical, domain.DifficultyHard
			p, err := Generate(in, seed, DefaultVoiceIDs())
			require.NoError(t, err)
			s := SituationOf(p)
			for _, pain := range p.HiddenPains {
				assert.NotEmpty(t, s.Scenes[pain], "%s/%s: %q", in.Industry, in.Role, pain)
			}
			assert.Equal(t, matchRole(in.Role).decision, s.Decision, "%s: the role family's facts", in.Role)
		}
	}
}

func TestSituationOf_PresetFactsOnlyForThePreset(t *testing.T) {
	t.Parallel()
	var daniel domain.PersonaProfile
	for _, pr := range Presets() {
		if pr.Profile.Name == "Daniel Okafor" {
			daniel = pr.Profile
		}
	}
	require.True(t, daniel.IsPreset)
	assert.Contains(t, SituationOf(daniel).Decision, "Rachel")

	lookalike := daniel
	lookalike.IsPreset = false // a generated persona that happens to share the name and company
	assert.Equal(t, matchRole("Engineering Manager").decision, SituationOf(lookalike).Decision)

	custom := daniel
	custom.HiddenPains = []string{"Our coffee machine is always broken"}
	assert.Empty(t, SituationOf(custom).Scenes, "a pain nobody wrote a scene for has none")

	stranger := domain.PersonaProfile{Role: "Chief Happiness Officer", Industry: "Circus"}
	assert.Equal(t, genericRole().decision, SituationOf(stranger).Decision)
}
