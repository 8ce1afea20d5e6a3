package personas_test

import (
	"errors"
	"regexp"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sparrow-coach/sparrow/domain"
	"github.com/sparrow-coach/sparrow/domain/coaching/personas"
)

var uuidPattern = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)

func TestPresets_EveryProfileIsComplete(t *testing.T) {
	t.Parallel()
	voices := personas.DefaultVoiceIDs()
	presets := personas.Presets()
	require.GreaterOrEqual(t, len(presets), 12)

	ids := map[string]bool{}
	names := map[string]bool{}
	for _, pr := range presets {
		p := pr.Profile
		t.Run(p.Name, func(t *testing.T) {
			assert.NoError(t, p.Validate())
			assert.Regexp(t, uuidPattern, pr.ID)
			assert.False(t, ids[pr.ID], "duplicate id %s", pr.ID)
			assert.False(t, names[p.Name], "duplicate name %s", p.Name)
			ids[pr.ID], names[p.Name] = true, true

			assert.True(t, p.IsPreset)
			assert.GreaterOrEqual(t, len(p.HiddenPains), 3)
			assert.GreaterOrEqual(t, len(p.Objections), 3)
			assert.Contains(t, voices, p.VoiceID)
			assert.NotEmpty(t, p.Backstory)
			assert.NotEmpty(t, p.FirstMessage)
			for _, m := range domain.Modes {
				assert.NotEmpty(t, p.FirstMessages[m], "first message for %s", m)
			}
			assert.Equal(t, p.FirstMessages[domain.ModeColdCall], p.FirstMessage)
			assert.Equal(t, personas.SystemPrompt(p), p.SystemPrompt, "the prompt is built from the profile")
		})
	}
}

func TestPresets_CoverEveryPersonalityDifficultyAndManyIndustries(t *testing.T) {
	t.Parallel()
	personalities := map[domain.Personality]int{}
	difficulties := map[domain.Difficulty]int{}
	industries := map[string]bool{}
	for _, pr := range personas.Presets() {
		personalities[pr.Profile.Personality]++
		difficulties[pr.Profile.Difficulty]++
		industries[pr.Profile.Industry] = true
	}
	for _, p := range domain.Personalities {
		assert.Positive(t, personalities[p], "no preset is %s", p)
	}
	for _, d := range domain.Difficulties {
		assert.Positive(t, difficulties[d], "no preset is %s", d)
	}
	for _, want := range []string{"SaaS", "Healthcare", "Manufacturing", "Logistics", "Finance", "Retail", "Real Estate"} {
		assert.True(t, industries[want], "no preset in %s", want)
	}
}

// TestPresets_IDsAreStable pins every released ID: calls and scores point at
// presets by ID, so changing one breaks history. Add new presets here; never edit.
func TestPresets_IDsAreStable(t *testing.T) {
	t.Parallel()
	want := map[string]string{
		"82aa6be5-4115-4fa0-b3c7-2c7b4e7533f1": "Maya Chen",
		"ab0a4446-327e-4e47-9bde-562c5c4c06f0": "Priya Raman",
		"d1c7d31a-80e5-4f67-be30-1df6121d888a": "Tom Becker",
		"ed90166b-54e3-4ad6-9c1e-13608c8663fc": "Luis Ortega",
		"7538a601-fdd4-4c6f-8026-d4577e8d4998": "Marcus Reed",
		"d38be449-5f6d-4734-9774-b7165031247f": "Catherine Hale",
		"bcb2da7d-7170-4f36-965d-636660a9ebf3": "Nina Alvarez",
		"0b1b1c0c-df00-4a2f-9f86-c1b761939bbe": "Frank Dolan",
		"c62fcdd3-163e-44d4-83df-73aeff174c53": "Helen Park",
		"9f4a8b4d-f2ec-42a0-a98a-eb1240f0cc07": "Daniel Okafor",
		"7706be4d-1f1b-4b6a-b82d-5040de4fc2c1": "Elena Vasquez",
		"a22fb459-6352-4e5d-b8ef-08cfa45c8083": "Dmitri Volkov",
		"f69dd6ad-7198-49f4-b298-06591998a0f7": "Gary Walsh",
		"ae2f5390-1ced-4afb-a1b7-4e7b696b79a7": "Victoria Stone",
		"78c91109-c3be-45d3-b2fc-49257f9c0f51": "Derek Brandt",
	}
	got := map[string]string{}
	for _, pr := range personas.Presets() {
		got[pr.ID] = pr.Profile.Name
	}
	for id, name := range want {
		assert.Equal(t, name, got[id], "preset %s", id)
	}
}

func TestPresets_ReturnsFreshValues(t *testing.T) {
	t.Parallel()
	first := personas.Presets()
	first[0].Profile.HiddenPains[0] = "changed"
	first[0].Profile.FirstMessages[domain.ModeDiscovery] = "changed"
	first[0].Profile.Name = "changed"

	second := personas.Presets()
	assert.NotEqual(t, "changed", second[0].Profile.HiddenPains[0])
	assert.NotEqual(t, "changed", second[0].Profile.FirstMessages[domain.ModeDiscovery])
	assert.NotEqual(t, "changed", second[0].Profile.Name)
}

func TestPresetByID(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		id       string
		wantName string
		wantErr  error
	}{
		{name: "known preset", id: "c62fcdd3-163e-44d4-83df-73aeff174c53", wantName: "Helen Park"},
		{name: "unknown id", id: "00000000-0000-0000-0000-000000000000", wantErr: domain.ErrNotFound},
		{name: "empty id", id: "", wantErr: domain.ErrNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := personas.PresetByID(tt.id)
			if tt.wantErr != nil {
				assert.True(t, errors.Is(err, tt.wantErr), "got %v", err)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.wantName, got.Profile.Name)
		})
	}
}

func TestDefaultVoiceIDs(t *testing.T) {
	t.Parallel()
	ids := personas.DefaultVoiceIDs()
	require.NotEmpty(t, ids)
	for _, id := range ids {
		assert.Regexp(t, `^[A-Za-z0-9]{20}$`, id, "ElevenLabs voice ids are 20 alphanumerics")
	}
	sorted := slices.Clone(ids)
	slices.Sort(sorted)
	assert.Len(t, slices.Compact(sorted), len(ids), "voice ids are unique")

	ids[0] = "changed"
	assert.NotEqual(t, "changed", personas.DefaultVoiceIDs()[0], "callers get a copy")
}
