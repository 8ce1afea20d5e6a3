package prospect_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sparrow-coach/sparrow/domain"
	"github.com/sparrow-coach/sparrow/domain/coaching/personas"
	"github.com/sparrow-coach/sparrow/domain/coaching/prospect"
)

// TestScene_ADescriptionQuestionGetsTheDayToDay: asked what a pain it voiced
// looks like (day to day, a typical case, what happens when...), the prospect
// describes it in the persona's words instead of putting a number on it, as
// reps type the question (lower case, no question mark).
func TestScene_ADescriptionQuestionGetsTheDayToDay(t *testing.T) {
	t.Parallel()
	daniel := preset(t, "Daniel Okafor")
	tests := []struct {
		name   string
		before []string // after the onboarding pain was told
		ask    string
	}{
		{"day to day, as in the trial", nil, "so what does that look like day to day for the new person"},
		{"what does it look like", nil, "what does that look like for them"},
		{"a typical case", nil, "walk me through a typical first week for a new hire"},
		{"what happens when", nil, "ok what happens when someone new joins"},
		{"a picture", nil, "can you paint me a picture of that"},
		{"after asking what it costs", []string{"whats that costing you"}, "and what does that look like day to day"},
		{"by name, later in the call", []string{"whats that costing you", "and how are releases going"},
			"walk me through what onboarding looks like for a new engineer"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			for seed := range uint64(5) {
				p := prospect.New(daniel, domain.ModeDiscovery, seed)
				told := p.Respond("tell me about onboarding new engineers")
				require.Contains(t, told.Text, "nothing is documented", "seed %d: an easy persona tells a pain asked about", seed)
				for _, l := range tt.before {
					p.Respond(l)
				}
				revealed := len(p.State().RevealedPains)
				reply := p.Respond(tt.ask)
				assert.Contains(t, reply.Text, "pull request", "seed %d: %q got %q", seed, tt.ask, reply.Text)
				assert.NotContains(t, reply.Text, "percent", "seed %d: a description, not a metric", seed)
				assert.Len(t, p.State().RevealedPains, revealed, "seed %d: describing a pain tells no other", seed)
			}
		})
	}
}

// TestScene_ThatIsThePainJustTold: "what does that look like day to day for
// your engineers" right after the pipeline story is about the pipeline, not
// about the other pain that mentions engineers (as typed in the server trial).
func TestScene_ThatIsThePainJustTold(t *testing.T) {
	t.Parallel()
	daniel := preset(t, "Daniel Okafor")
	for seed := range uint64(5) {
		p := prospect.New(daniel, domain.ModeDiscovery, seed)
		require.Contains(t, p.Respond("tell me about your release pipeline").Text, "breaks every other deploy")
		reply := p.Respond("ouch. what does that look like day to day for your engineers")
		assert.Contains(t, reply.Text, "the pipeline goes red", "seed %d: %q", seed, reply.Text)
		assert.Len(t, p.State().RevealedPains, 1, "seed %d: no other pain told", seed)
	}
}

// TestScene_EveryPresetPainHasItsOwn: for every preset and every pain, once
// the prospect has told it, "what does that look like day to day" gets that
// pain's scene; asked again, the prospect says it goes as described.
func TestScene_EveryPresetPainHasItsOwn(t *testing.T) {
	t.Parallel()
	for _, pr := range personas.Presets() {
		p := pr.Profile
		scenes := personas.SituationOf(p).Scenes
		t.Run(p.Name, func(t *testing.T) {
			t.Parallel()
			for i, pain := range p.HiddenPains {
				require.NotEmpty(t, scenes[pain], "pain %d has a scene", i)
				told := false
				for seed := range uint64(20) {
					pro := prospect.New(p, domain.ModeDiscovery, seed)
					pro.Respond("Tell me about this: " + strings.TrimRight(pain, ".") + ". What's going on there?")
					if len(pro.State().RevealedPains) != 1 || pro.State().PendingObjection != "" {
						continue
					}
					told = true
					reply := pro.Respond("what does that look like day to day")
					assert.Contains(t, reply.Text, strings.TrimRight(scenes[pain], ".?"), "pain %d, seed %d", i, seed)
					again := pro.Respond("so what does that look like day to day then")
					assert.NotContains(t, again.Text, strings.TrimRight(scenes[pain], ".?"), "told once")
					break
				}
				assert.True(t, told, "pain %d was never told", i)
			}
		})
	}
}

// TestScene_AGeneralQuestionIsNotAboutAPain: "what does a typical week look
// like" with no pain voiced, or naming only the prospect's own title, tells no
// scene of an explored pain.
func TestScene_AGeneralQuestionIsNotAboutAPain(t *testing.T) {
	t.Parallel()
	helen := preset(t, "Helen Park")
	scenes := personas.SituationOf(helen).Scenes
	for seed := range uint64(10) {
		p := prospect.New(helen, domain.ModeDiscovery, seed)
		reply := p.Respond("What does a typical week look like for you?")
		for _, s := range scenes {
			assert.NotContains(t, reply.Text, s[:30], "seed %d", seed)
		}
	}
}

// TestDecision_WhoElseAndHowBuyingWorksGetTheFacts: questions about other
// decision makers, stakeholders, sign-off and the buying process get the
// persona's decision facts, not a vague line, and reveal no pain.
func TestDecision_WhoElseAndHowBuyingWorksGetTheFacts(t *testing.T) {
	t.Parallel()
	daniel := preset(t, "Daniel Okafor")
	for _, ask := range []string{
		"tell me about who else would weigh in if you wanted to fix the onboarding side",
		"who else would weigh in on something like this",
		"who signs off on a purchase like this",
		"what does your buying process look like",
		"so how do you guys usually buy tools like that",
		"whos involved in a decision like that",
		"are you the one who makes the final call",
		"and who holds the budget for this kind of thing?",
	} {
		t.Run(ask, func(t *testing.T) {
			t.Parallel()
			for seed := range uint64(5) {
				p := prospect.New(daniel, domain.ModeDiscovery, seed)
				p.Respond("thanks for making the time daniel, mind if i start with a few questions")
				reply := p.Respond(ask)
				assert.Contains(t, reply.Text, "Rachel", "seed %d: %q got %q", seed, ask, reply.Text)
				assert.Empty(t, p.State().RevealedPains, "seed %d: a question about buying reveals no pain", seed)
			}
		})
	}
}

// TestDecision_EveryPersonaKnowsWhoDecides: every preset and generated
// persona answers a question about who decides with its own facts, and asked
// again, reminds the rep in other words.
func TestDecision_EveryPersonaKnowsWhoDecides(t *testing.T) {
	t.Parallel()
	profiles := []domain.PersonaProfile{}
	for _, pr := range personas.Presets() {
		profiles = append(profiles, pr.Profile)
	}
	for _, pr := range generatedPersonas(t) {
		profiles = append(profiles, pr.Profile)
	}
	for _, p := range profiles {
		decision := personas.SituationOf(p).Decision
		require.NotEmpty(t, decision, p.Name)
		pro := prospect.New(p, domain.ModeDiscovery, 1)
		first := pro.Respond("who else would weigh in on a decision like this")
		assert.Contains(t, first.Text, strings.TrimRight(decision, "."), "%s (%s)", p.Name, p.Role)
		if pro.State().PendingObjection != "" || pro.State().Ended {
			continue
		}
		again := pro.Respond("and who signs off in the end")
		assert.Contains(t, again.Text, strings.TrimRight(decision, "."), p.Name)
		assert.NotEqual(t, first.Text, again.Text, p.Name)
	}
}

// TestPains_GettingUpToSpeedIsOnboarding: "get up to speed" and "ramp up"
// ask about onboarding, not about the other pain that mentions engineers (as
// typed in the server trial, where the escalations pain came back).
func TestPains_GettingUpToSpeedIsOnboarding(t *testing.T) {
	t.Parallel()
	daniel := preset(t, "Daniel Okafor")
	for _, ask := range []string{
		"how do new engineers get up to speed at cloudnest these days",
		"how long does it take a new engineer to ramp up",
		"whats ramp-up like for engineers you hire",
		"how long until a new hire ships their first real PR",   // trials: "Depends which part you mean."
		"whats it costing you when a new hire takes two months", // trials: "We have a fairly standard setup."
	} {
		for seed := range uint64(5) {
			p := prospect.New(daniel, domain.ModeDiscovery, seed)
			reply := p.Respond(ask)
			assert.Contains(t, reply.Text, "nothing is documented", "seed %d: %q got %q", seed, ask, reply.Text)
		}
	}
	// The control: engineers and escalations still draw the escalations.
	p := prospect.New(daniel, domain.ModeDiscovery, 1)
	assert.Contains(t, p.Respond("how much time do your engineers spend on escalations").Text, "escalations")
}

// TestPains_UpToSpeedWithoutANewcomerIsNoOnboarding: "up to speed" about
// anything but a newcomer leaves the onboarding pain untold, and a sales
// team's ramp pain does not take a question about customer onboarding (a
// review found both when every "up to speed" and "ramp" meant onboarding).
func TestPains_UpToSpeedWithoutANewcomerIsNoOnboarding(t *testing.T) {
	t.Parallel()
	daniel := preset(t, "Daniel Okafor")
	for _, tt := range []struct{ before, ask string }{
		{"how much time do your engineers spend on escalations", "how do you keep everyone up to speed while that's going on?"},
		{"how are releases going", "how do engineers get back up to speed after a broken deploy?"},
		{"", "what would you most like to get up to speed on this quarter?"},
	} {
		for seed := range uint64(4) {
			p := prospect.New(daniel, domain.ModeDiscovery, seed)
			if tt.before != "" {
				p.Respond(tt.before)
			}
			reply := p.Respond(tt.ask)
			assert.NotContains(t, reply.Text, "nothing is documented", "seed %d: %q got %q", seed, tt.ask, reply.Text)
		}
	}
	checked := 0
	for _, industry := range []string{"SaaS", "Banking"} {
		for seed := range uint64(6) {
			vp, err := personas.Generate(personas.GenerateInput{Industry: industry, Role: "VP of Sales",
				Personality: domain.PersonalityFriendly, Difficulty: domain.DifficultyEasy}, seed, personas.DefaultVoiceIDs())
			require.NoError(t, err)
			ramp, customer := false, false
			for _, pain := range vp.HiddenPains {
				ramp = ramp || strings.Contains(pain, "to ramp")
				customer = customer || strings.Contains(pain, "onboarding takes")
			}
			if !ramp || !customer {
				continue
			}
			checked++
			for _, ask := range []string{"What does customer onboarding look like today?", "how long does onboarding take?"} {
				reply := prospect.New(vp, domain.ModeDiscovery, seed).Respond(ask)
				assert.NotContains(t, reply.Text, "ramp", "%s seed %d: %q got %q", industry, seed, ask, reply.Text)
			}
		}
	}
	assert.Positive(t, checked, "some generated VP of Sales has both a ramp pain and a customer-onboarding pain")
}

// TestPains_StatusQuoQuestionsGetTheStatusQuo: asked what is done about a
// pain it just told ("is anyone looking at fixing that right now or is it
// just kind of accepted", a person's question in a trial that got "Depends
// what you mean."), the prospect says what is done about it, once; a
// question about what a fix would mean, or the same question before any pain
// was told, does not get that answer.
func TestPains_StatusQuoQuestionsGetTheStatusQuo(t *testing.T) {
	t.Parallel()
	daniel := preset(t, "Daniel Okafor") // technical: "There's a ticket for it..." / "...internal fixes..."
	statusQuo := func(s string) bool {
		return strings.Contains(s, "ticket for it") || strings.Contains(s, "internal fixes")
	}
	reveal := func(t *testing.T, p *prospect.Prospect) {
		for _, ask := range []string{"how much time do your engineers spend on escalations", "tell me more about the escalations",
			"what's going on with escalations", "how are escalations handled"} {
			p.Respond(ask)
			if len(p.State().RevealedPains) > 0 {
				return
			}
		}
		require.FailNow(t, "no pain revealed")
	}
	asks := []string{
		"is anyone looking at fixing that right now or is it just kind of accepted",
		"what have you tried so far?",
		"so what are you doing about it today",
		"has anybody tried to fix that",
	}
	for k, ask := range asks {
		for seed := range uint64(5) {
			p := prospect.New(daniel, domain.ModeDiscovery, seed)
			reveal(t, p)
			reply := p.Respond(ask)
			assert.True(t, statusQuo(reply.Text), "seed %d: %q got %q", seed, ask, reply.Text)
			// Asked again in other words (a trial: "what have you tried so
			// far" after the first got the general answer): the same, in short.
			other := asks[(k+1)%len(asks)]
			again := p.Respond(other)
			assert.False(t, statusQuo(again.Text), "seed %d: told once: %q got %q", seed, other, again.Text)
			assert.Contains(t, again.Text, "I said", "seed %d: %q got %q", seed, other, again.Text)
		}
	}
	for seed := range uint64(5) {
		p := prospect.New(daniel, domain.ModeDiscovery, seed)
		reveal(t, p)
		reply := p.Respond("what would it mean for the team if you could fix that?")
		assert.False(t, statusQuo(reply.Text), "seed %d: a need-payoff question got %q", seed, reply.Text)
		p = prospect.New(daniel, domain.ModeDiscovery, seed)
		reply = p.Respond("is anyone looking at fixing that right now or is it just kind of accepted")
		assert.False(t, statusQuo(reply.Text), "seed %d: nothing told yet, got %q", seed, reply.Text)
	}
}

// TestPains_CostQuestionTypedWithoutApostropheGetsANumber: "whats it costing
// you" (a person typing fast, in a trial) asks for a number as "what's it
// costing you" does; it got the implication line, not a number.
func TestPains_CostQuestionTypedWithoutApostropheGetsANumber(t *testing.T) {
	t.Parallel()
	daniel := preset(t, "Daniel Okafor")
	for _, ask := range []string{"whats it costing you when a new hire takes that long", "whats that costing you, roughly"} {
		for seed := range uint64(5) {
			p := prospect.New(daniel, domain.ModeDiscovery, seed)
			p.Respond("how long until a new hire ships their first real PR at cloudnest?")
			require.NotEmpty(t, p.State().RevealedPains, "seed %d", seed)
			reply := p.Respond(ask)
			assert.Regexp(t, `(?i)percent|hours|forty|eighteen|\d`, reply.Text, "seed %d: %q got %q", seed, ask, reply.Text)
		}
	}
}
