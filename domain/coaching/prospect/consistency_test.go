package prospect

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sparrow-coach/sparrow/domain"
	"github.com/sparrow-coach/sparrow/domain/coaching/personas"
	"github.com/sparrow-coach/sparrow/domain/coaching/rubric"
)

// everyObjection returns every objection the built-in prospect can raise:
// the presets' and those the persona generator can give, across every
// industry and role family it knows and one it does not.
func everyObjection(t *testing.T) []string {
	t.Helper()
	seen := map[string]bool{}
	var out []string
	addAll := func(p domain.PersonaProfile) {
		for _, o := range p.Objections {
			if !seen[o] {
				seen[o] = true
				out = append(out, o)
			}
		}
	}
	for _, p := range personas.Presets() {
		addAll(p.Profile)
	}
	industries := []string{"Healthcare", "Manufacturing", "Logistics", "Banking", "Retail", "Real estate", "Insurance", "Construction",
		"Education", "Hospitality", "Energy", "Legal", "SaaS", "Aquaculture"}
	roles := []string{"CFO", "CTO", "VP of Operations", "Head of Sales", "Marketing Director", "HR Director", "Support Manager",
		"Procurement Lead", "Office Manager", "Farm Manager"}
	for _, ind := range industries {
		for _, role := range roles {
			for _, pers := range domain.Personalities {
				for seed := range uint64(6) {
					p, err := personas.Generate(personas.GenerateInput{Industry: ind, Role: role, Personality: pers, Difficulty: domain.DifficultyHard},
						seed, personas.DefaultVoiceIDs())
					require.NoError(t, err)
					addAll(p)
				}
			}
		}
	}
	return out
}

// heardAsObjection reports whether the rubric hears line, said by the
// prospect after a rep's greeting, as an objection.
func heardAsObjection(line string) bool {
	turns := []domain.TranscriptEntry{
		{Role: domain.RoleUser, Content: "Hi, this is Sam from Brightpath. Do you have a minute?", TimestampMs: 0},
		{Role: domain.RoleAssistant, Content: line, TimestampMs: 4000},
		{Role: domain.RoleUser, Content: "Okay.", TimestampMs: 9000},
	}
	return len(rubric.ComputeMetrics(turns).Objections) > 0
}

// TestRubricHearsEveryObjectionTheProspectRaises: every objection in the
// catalogue and the generator, every way the prospect raises one, and every
// line it presses one with, is an objection to the rubric.
func TestRubricHearsEveryObjectionTheProspectRaises(t *testing.T) {
	t.Parallel()
	objections := everyObjection(t)
	require.Greater(t, len(objections), 60)
	for _, o := range objections {
		assert.True(t, heardAsObjection(o), "the rubric does not hear %q", o)
	}
	table := lineTable()
	for _, a := range []act{actRaiseObjection, actRaiseNext, actRaiseOnClose} {
		for pers, opts := range table[a] {
			for _, tmpl := range opts {
				line := fill(tmpl, map[string]string{"objection": objections[len(tmpl)%len(objections)]})
				assert.True(t, heardAsObjection(line), "%s raise %q", pers, line)
			}
		}
	}
	for a, levels := range pressLines {
		for level, lines := range levels {
			for _, l := range lines {
				assert.True(t, heardAsObjection(l), "angle %d level %d: %q", a, level+1, l)
			}
		}
	}
	_ = fmt.Sprint
}

// TestRubricHearsNoConcernInScenesOrDecisionFacts: every way the prospect
// describes a pain day to day or says who decides, filled with every preset's
// facts, is an answer to the rubric, not an objection (the facts alone are
// checked for every persona by the rubric's own tests).
func TestRubricHearsNoConcernInScenesOrDecisionFacts(t *testing.T) {
	t.Parallel()
	table := lineTable()
	for _, pr := range personas.Presets() {
		s := personas.SituationOf(pr.Profile)
		for _, a := range []act{actScene, actSceneAgain, actDecision, actDecisionAgain} {
			for pers, opts := range table[a] {
				for _, tmpl := range opts {
					for _, scene := range s.Scenes {
						line := fill(tmpl, map[string]string{"scene": scene, "decision": s.Decision})
						assert.False(t, heardAsObjection(line), "%s %s: %q", pr.Profile.Name, pers, line)
					}
				}
			}
		}
	}
}
