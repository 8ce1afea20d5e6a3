package prospect_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sparrow-coach/sparrow/domain"
	"github.com/sparrow-coach/sparrow/domain/coaching/personas"
	"github.com/sparrow-coach/sparrow/domain/coaching/prospect"
)

// acceptanceRuns and acceptanceSeed fix the acceptance simulation.
const (
	acceptanceRuns = 20
	acceptanceSeed = 1
)

// TestAcceptance is the simulator's contract (issue 4): over 20 seeded runs
// per preset persona and per mode, the scripted bad rep books no meeting,
// and the scripted good rep books at least 12 on easy and medium personas and
// at least 6 on hard ones.
func TestAcceptance(t *testing.T) {
	t.Parallel()
	presets := personas.Presets()
	minGood := map[domain.Difficulty]int{domain.DifficultyEasy: 12, domain.DifficultyMedium: 12, domain.DifficultyHard: 6}
	for _, m := range domain.Modes {
		t.Run(string(m), func(t *testing.T) {
			t.Parallel()
			bad, err := prospect.SimulateAll(string(prospect.RepBad), m, acceptanceRuns, acceptanceSeed, presets)
			require.NoError(t, err)
			good, err := prospect.SimulateAll(string(prospect.RepGood), m, acceptanceRuns, acceptanceSeed, presets)
			require.NoError(t, err)

			assert.Zero(t, bad.Meetings, "bad rep: %s", bad)
			for i, pt := range good.PerPersona {
				assert.Zero(t, bad.PerPersona[i].Meetings, "bad rep booked %s", pt.Name)
				assert.GreaterOrEqual(t, pt.Meetings, minGood[pt.Difficulty], "good rep with %s (%s): %d of %d, ends %v",
					pt.Name, pt.Difficulty, pt.Meetings, pt.Runs, pt.EndReasons)
			}
			for _, d := range domain.Difficulties {
				t.Logf("%s %-6s good %3d/%d  bad %d/%d", m, d, good.ByDifficulty[d].Meetings, good.ByDifficulty[d].Runs,
					bad.ByDifficulty[d].Meetings, bad.ByDifficulty[d].Runs)
			}
		})
	}
}

// TestAcceptance_GeneratedPersonas holds the same rules, loosely, for personas
// from the generator, including an industry and a role it does not know.
func TestAcceptance_GeneratedPersonas(t *testing.T) {
	t.Parallel()
	var generated []personas.Preset
	for i, in := range []struct{ industry, role string }{
		{"Banking", "CFO"}, {"B2B SaaS", "CTO"}, {"Logistics", "VP of Operations"}, {"Aquaculture", "Farm Manager"},
	} {
		for _, pers := range domain.Personalities {
			for _, d := range domain.Difficulties {
				p, err := personas.Generate(personas.GenerateInput{Industry: in.industry, Role: in.role, Personality: pers, Difficulty: d},
					uint64(i), personas.DefaultVoiceIDs())
				require.NoError(t, err)
				generated = append(generated, personas.Preset{ID: fmt.Sprint(len(generated)), Profile: p})
			}
		}
	}
	for _, m := range domain.Modes {
		t.Run(string(m), func(t *testing.T) {
			t.Parallel()
			bad, err := prospect.SimulateAll("bad", m, 10, acceptanceSeed, generated)
			require.NoError(t, err)
			good, err := prospect.SimulateAll("good", m, 10, acceptanceSeed, generated)
			require.NoError(t, err)
			assert.Zero(t, bad.Meetings)
			for d, min := range map[domain.Difficulty]float64{domain.DifficultyEasy: 0.6, domain.DifficultyMedium: 0.6, domain.DifficultyHard: 0.3} {
				tally := good.ByDifficulty[d]
				assert.GreaterOrEqual(t, float64(tally.Meetings)/float64(tally.Runs), min, "%s %s: %d of %d", m, d, tally.Meetings, tally.Runs)
			}
		})
	}
}
