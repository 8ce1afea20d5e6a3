package rubric

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sparrow-coach/sparrow/domain"
	"github.com/sparrow-coach/sparrow/domain/coaching/personas"
	"github.com/sparrow-coach/sparrow/domain/coaching/prospect"
)

// TestScorerAgreesWithTheSimulator plays simulated calls (every preset,
// mode and rep, a few seeds) and checks the rubric's view of the call
// against the built-in prospect's own state (issue 11):
//   - every objection the prospect raised is an objection to the rubric, on
//     the line that raised it;
//   - an objection the prospect pressed and gave up on caps objection
//     handling at 40, and such a call that booked nothing is not "good";
//   - the pains the rubric counts as uncovered are the ones the prospect told;
//   - the rubric books a meeting exactly when the prospect did.
func TestScorerAgreesWithTheSimulator(t *testing.T) {
	t.Parallel()
	reps := []prospect.ScriptedRep{prospect.RepGood, prospect.RepBad, prospect.RepNatural, prospect.RepNaturalBad}
	calls, unanswered := 0, 0
	seeds := uint64(3)
	if raceEnabled {
		seeds = 1 // the race detector slows simulations ~10x
	}
	for _, pr := range personas.Presets() {
		persona := pr.Profile
		for _, m := range domain.Modes {
			for _, rep := range reps {
				for seed := range seeds {
					name := fmt.Sprintf("%s/%s/%s/%d", persona.Name, m, rep, seed)
					res, err := prospect.Simulate(persona, m, string(rep), seed, prospect.DefaultMaxTurns)
					require.NoError(t, err)
					facts := persona.ScoringFacts()
					r := Score(domain.ScoreInput{Mode: m, Transcript: res.Turns, Persona: &facts})
					metrics := ComputeMetrics(res.Turns)
					st := res.Final
					calls++

					// Objections: the line raising each one is heard as one.
					heard := map[int]bool{}
					for _, o := range metrics.Objections {
						heard[o.Turn] = true
					}
					for _, obj := range st.RaisedObjections {
						at := lineWith(res.Turns, obj)
						if assert.GreaterOrEqual(t, at, 0, "%s: %q not in the transcript", name, obj) {
							assert.True(t, heard[at], "%s: the rubric missed %q in %q", name, obj, res.Turns[at].Content)
						}
					}
					assert.GreaterOrEqual(t, len(metrics.Objections), len(st.RaisedObjections), name)

					if len(st.UnansweredObjections) > 0 {
						unanswered++
						assert.LessOrEqual(t, r.ObjectionHandling, 40, "%s: objection left unanswered: %s", name, r.Summary)
						if !res.MeetingBooked {
							assert.NotRegexp(t, `\((good|strong|exceptional)\)`, r.Summary, name)
						}
					}

					// Pains.
					found, _ := analyze(res.Turns).hiddenPains(persona.HiddenPains)
					assert.ElementsMatch(t, st.RevealedPains, found, "%s: pains told vs pains the rubric heard", name)

					// Next step.
					assert.Equal(t, res.MeetingBooked, metrics.NextStep.Booked, "%s: booked? the rubric says %+v", name, metrics.NextStep)
				}
			}
		}
	}
	t.Logf("%d simulated calls, %d with an objection the prospect gave up on", calls, unanswered)
	assert.Positive(t, unanswered, "the check on unanswered objections ran")
}

// lineWith returns the index of the first prospect line containing text
// (ignoring the case of its first letter), or -1.
func lineWith(turns []domain.TranscriptEntry, text string) int {
	needle := strings.ToLower(strings.TrimRight(text, ".?!"))
	return slices.IndexFunc(turns, func(e domain.TranscriptEntry) bool {
		return e.Role == domain.RoleAssistant && strings.Contains(strings.ToLower(e.Content), needle)
	})
}

// TestPressedObjectionNeverAnsweredIsNotAGoodCall is the call from issue 11:
// a polite rep with open questions and concrete times, the prospect's
// objection pressed again and again and never answered, no meeting.
func TestPressedObjectionNeverAnsweredIsNotAGoodCall(t *testing.T) {
	t.Parallel()
	objection := "That's vague. Security will want a SOC 2 report before anything touches our code."
	turns := untimed(
		"Hi Daniel, this is Sam from Ledgerly. How have you been? I'm calling because we help platform teams, do you have a minute?",
		"Okay. What exactly do you do?",
		"We help engineering teams cut the time they lose to escalations. What does a typical week look like for your team?",
		"My engineers lose a day a week to customer escalations instead of the roadmap.",
		"That sounds painful. How is that affecting the roadmap this quarter?",
		objection,
		"Got it. What are your priorities for the rest of the year?",
		objection,
		"Makes sense. How does your team handle onboarding today?",
		objection,
		"Would Thursday at 2pm work for a deeper look?",
		objection,
		"How about Tuesday at 10am instead?",
		objection,
		"What would a good outcome look like for you?",
		objection,
	)
	r := Score(domain.ScoreInput{Mode: domain.ModeColdCall, Transcript: turns})
	metrics := ComputeMetrics(turns)
	require.Len(t, metrics.Objections, 6, "every time the prospect said it")
	assert.LessOrEqual(t, r.ObjectionHandling, 40)
	assert.False(t, metrics.NextStep.Booked)
	assert.NotContains(t, r.Summary, "no objections came up")
	assert.NotRegexp(t, `\((good|strong|exceptional)\)`, r.Summary)
	assert.Less(t, r.Overall, 70, r.Summary)
}

// TestPersonaFactsAreNeitherConcernsNorOtherPains: what the prospect says
// about a pain day to day (its scene) and about who decides and how buying
// works (personas.Situation) are facts the rep asked for. The rubric hears no
// objection in them, a scene uncovers no hidden pain but its own, and the
// decision facts uncover none, for every preset and for generated personas,
// so the scorer keeps agreeing with the prospect on what was raised and what
// was told.
func TestPersonaFactsAreNeitherConcernsNorOtherPains(t *testing.T) {
	t.Parallel()
	profiles := []domain.PersonaProfile{}
	for _, pr := range personas.Presets() {
		profiles = append(profiles, pr.Profile)
	}
	for _, ind := range []string{"Healthcare", "Manufacturing", "Logistics", "Banking", "Retail", "Real estate", "Insurance",
		"Construction", "Education", "Hospitality", "Energy", "Legal", "SaaS", "Aquaculture"} {
		for _, role := range []string{"CFO", "CTO", "VP of Operations", "Head of Sales", "Marketing Director", "HR Director",
			"Support Manager", "Procurement Lead", "CEO", "Farm Manager"} {
			for seed := range uint64(4) {
				p, err := personas.Generate(personas.GenerateInput{Industry: ind, Role: role, Personality: domain.PersonalityFriendly,
					Difficulty: domain.DifficultyHard}, seed, personas.DefaultVoiceIDs())
				require.NoError(t, err)
				profiles = append(profiles, p)
			}
		}
	}
	said := func(question, answer string) []domain.TranscriptEntry {
		return untimed("Hi, this is Sam from Brightpath. Thanks for the time.", "Sure, go ahead.", question, answer, "Got it.")
	}
	for _, p := range profiles {
		s := personas.SituationOf(p)
		turns := said("who else would weigh in on something like this", s.Decision)
		assert.Empty(t, ComputeMetrics(turns).Objections, "%s (%s): %q", p.Name, p.Role, s.Decision)
		found, _ := analyze(turns).hiddenPains(p.HiddenPains)
		assert.Empty(t, found, "%s: the decision facts tell no pain", p.Name)
		for _, pain := range p.HiddenPains {
			turns := said("what does that look like day to day", s.Scenes[pain])
			assert.Empty(t, ComputeMetrics(turns).Objections, "%s: %q", p.Name, s.Scenes[pain])
			found, _ := analyze(turns).hiddenPains(p.HiddenPains)
			for _, f := range found {
				assert.Equal(t, pain, f, "%s: the scene of %q tells %q", p.Name, pain, f)
			}
		}
	}
}
