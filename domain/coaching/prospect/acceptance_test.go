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

// TestAcceptance_NaturalReps holds the prospect to issue 11: over 20 seeded
// runs per preset persona and per mode, a competent rep typing in its own
// words (typos, no keywords, missing question marks) books at least 50% of
// meetings on easy personas, 30% on medium and 10% on hard; bad reps (the
// scripted one and one in plain words) book none; no prospect line comes
// back more than twice in a call, and at least 80% of its lines are distinct.
func TestAcceptance_NaturalReps(t *testing.T) {
	t.Parallel()
	presets := personas.Presets()
	runs := acceptanceRuns
	if raceEnabled {
		runs = acceptanceRuns / 2
	}
	for _, m := range domain.Modes {
		t.Run(string(m), func(t *testing.T) {
			t.Parallel()
			natural, err := prospect.SimulateAll(string(prospect.RepNatural), m, runs, acceptanceSeed, presets)
			require.NoError(t, err)
			for _, d := range domain.Difficulties {
				tl := natural.ByDifficulty[d]
				assert.GreaterOrEqual(t, float64(tl.Meetings)/float64(tl.Runs), prospect.NaturalTargets[d], "natural rep, %s %s: %d of %d", m, d, tl.Meetings, tl.Runs)
			}
			for _, rep := range []prospect.ScriptedRep{prospect.RepBad, prospect.RepNaturalBad} {
				bad, err := prospect.SimulateAll(string(rep), m, runs, acceptanceSeed, presets)
				require.NoError(t, err)
				assert.Zero(t, bad.Meetings, "%s rep: %s", rep, bad)
				assertLinesVary(t, bad.Lines, string(rep))
			}
			assertLinesVary(t, natural.Lines, "natural")
			for _, d := range domain.Difficulties {
				ls := natural.LinesByDifficulty[d]
				t.Logf("%s %-6s natural %3d/%d  lines %d, %.0f%% distinct, max repeat %d", m, d, natural.ByDifficulty[d].Meetings,
					natural.ByDifficulty[d].Runs, ls.Lines, 100*ls.DistinctShare(), ls.MaxRepeat)
			}
		})
	}
}

// TestAcceptance_NaturalRepsGeneratedPersonas: the same, loosely, for
// generated personas.
func TestAcceptance_NaturalRepsGeneratedPersonas(t *testing.T) {
	t.Parallel()
	generated := generatedPersonas(t)
	runs := 5
	if raceEnabled {
		runs = 2
	}
	for _, m := range domain.Modes {
		natural, err := prospect.SimulateAll(string(prospect.RepNatural), m, runs, acceptanceSeed, generated)
		require.NoError(t, err)
		bad, err := prospect.SimulateAll(string(prospect.RepNaturalBad), m, runs, acceptanceSeed, generated)
		require.NoError(t, err)
		assert.Zero(t, bad.Meetings, "%s", m)
		for _, d := range domain.Difficulties {
			tl := natural.ByDifficulty[d]
			assert.GreaterOrEqual(t, float64(tl.Meetings)/float64(tl.Runs), prospect.NaturalTargets[d], "%s %s: %d of %d", m, d, tl.Meetings, tl.Runs)
		}
		assertLinesVary(t, natural.Lines, "natural, generated personas")
	}
}

func assertLinesVary(t *testing.T, ls prospect.LineStats, who string) {
	t.Helper()
	assert.LessOrEqual(t, ls.MaxRepeat, prospect.MaxLineRepeats, "%s: a prospect line said %d times in one call", who, ls.MaxRepeat)
	assert.GreaterOrEqual(t, ls.DistinctShare(), prospect.MinDistinctShare, "%s: %d of %d prospect lines distinct", who, ls.Distinct, ls.Lines)
}

func generatedPersonas(t *testing.T) []personas.Preset {
	t.Helper()
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
	return generated
}
