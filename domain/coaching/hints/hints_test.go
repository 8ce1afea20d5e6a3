package hints_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sparrow-coach/sparrow/domain"
	"github.com/sparrow-coach/sparrow/domain/coaching/hints"
	"github.com/sparrow-coach/sparrow/domain/coaching/personas"
	"github.com/sparrow-coach/sparrow/domain/coaching/rubric"
)

type line struct {
	rep  bool
	text string
	ms   int64
}

func transcript(ls ...line) []domain.TranscriptEntry {
	out := make([]domain.TranscriptEntry, len(ls))
	for i, l := range ls {
		role := domain.RoleAssistant
		if l.rep {
			role = domain.RoleUser
		}
		out[i] = domain.TranscriptEntry{Role: role, Content: l.text, TimestampMs: l.ms}
	}
	return out
}

func kinds(hs []hints.Hint) []hints.Kind {
	out := []hints.Kind{}
	for _, h := range hs {
		out = append(out, h.Kind)
	}
	return out
}

// play feeds the transcript two lines (one exchange) at a time, as /turns does, and returns the hints of each step.
func play(mode domain.Mode, turns []domain.TranscriptEntry) [][]hints.Hint {
	var steps [][]hints.Hint
	for seen := 0; seen < len(turns); seen += 2 {
		steps = append(steps, hints.For(mode, turns[:min(seen+2, len(turns))], seen))
	}
	return steps
}

func TestAConcernIsFlaggedOnTheLineThatRaisedItOnce(t *testing.T) {
	turns := transcript(
		line{true, "Hi Dana, this is Sam from Routewise. Did I catch you at a bad time?", 0},
		line{false, "Honestly it's too expensive, we looked at tools like this last year and there's no budget.", 4000},
		line{true, "That's fair, budget is tight for everyone. What did that cost you in overtime last quarter?", 9000},
		line{false, "Probably twenty hours a week of re-routing.", 14000},
	)
	steps := play(domain.ModeColdCall, turns)
	require.Len(t, steps, 2)
	require.Contains(t, kinds(steps[0]), hints.KindObjection)
	h := steps[0][0]
	assert.Equal(t, 1, h.At, "about the prospect's line")
	assert.Contains(t, h.Text, "price or budget")
	assert.NotContains(t, kinds(steps[1]), hints.KindObjection, "an answered concern is not flagged again")
	assert.NotContains(t, kinds(steps[1]), hints.KindArguing, "the answer acknowledged it")
}

func TestArguingWithAConcernIsFlagged(t *testing.T) {
	turns := transcript(
		line{true, "Hi, this is Sam from Routewise.", 0},
		line{false, "We already use a vendor for this and it works fine.", 3000},
		line{true, "But actually our product is much better than theirs.", 6000},
		line{false, "I doubt it.", 9000},
	)
	steps := play(domain.ModeObjectionGauntlet, turns)
	assert.Contains(t, kinds(steps[1]), hints.KindArguing)
}

func TestALongMonologueIsFlaggedByTimeOrWords(t *testing.T) {
	long := strings.Repeat("Our platform routes trucks and plans shifts automatically. ", 12)
	timed := transcript(line{true, "Hi, it's Sam.", 0}, line{false, "Hi.", 2000}, line{true, long, 4000}, line{false, "Okay.", 62000})
	steps := play(domain.ModeDiscovery, timed)
	require.Contains(t, kinds(steps[1]), hints.KindMonologue)
	assert.Equal(t, 2, steps[1][slicesIndex(steps[1], hints.KindMonologue)].At)

	untimed := transcript(line{true, "Hi, it's Sam.", 0}, line{false, "Hi.", 0}, line{true, long + long, 0}, line{false, "Okay.", 0})
	assert.Contains(t, kinds(play(domain.ModeDiscovery, untimed)[1]), hints.KindMonologue)

	short := transcript(line{true, "Hi, it's Sam.", 0}, line{false, "Hi.", 2000}, line{true, "How do you plan routes today?", 4000}, line{false, "Spreadsheets.", 7000})
	assert.NotContains(t, kinds(play(domain.ModeDiscovery, short)[1]), hints.KindMonologue)
}

func TestDiscoveryGapsFireOnceWhenTheyAppear(t *testing.T) {
	turns := transcript(
		line{true, "Hi Dana, this is Sam from Routewise.", 0},
		line{false, "Hi Sam.", 2000},
		line{true, "We make routing software.", 4000},
		line{false, "Okay.", 6000},
		line{true, "It saves a lot of time for dispatchers.", 8000},
		line{false, "I see.", 10000},
		line{true, "What's the biggest challenge with dispatch right now?", 12000},
		line{false, "Sick calls. When a driver is out everything falls apart.", 15000},
		line{true, "Got it. Is that a problem for your team?", 19000},
		line{false, "Yes.", 21000},
	)
	steps := play(domain.ModeDiscovery, turns)
	var all []hints.Kind
	for _, s := range steps {
		all = append(all, kinds(s)...)
	}
	assert.Equal(t, 1, count(all, hints.KindNoQuestion), "no question after three rep turns, said once: %v", all)
	assert.Contains(t, kinds(steps[2]), hints.KindNoQuestion, "on the third rep turn")
	assert.Equal(t, 1, count(all, hints.KindImpact), "pain found, impact not asked, said once: %v", all)
	for _, s := range steps {
		assert.LessOrEqual(t, len(s), hints.MaxPerTurn)
	}
}

func TestHintsAreAPureFunctionOfTheTranscript(t *testing.T) {
	turns := transcript(
		line{true, "Hi, this is Sam.", 0},
		line{false, "Not interested, send me an email.", 3000},
	)
	assert.Equal(t, hints.For(domain.ModeColdCall, turns, 0), hints.For(domain.ModeColdCall, turns, 0))
	assert.Empty(t, hints.For(domain.ModeColdCall, turns, 2), "nothing new, nothing to say")
	assert.Empty(t, hints.For(domain.ModeColdCall, nil, 0))
	assert.Empty(t, hints.For(domain.ModeColdCall, turns, 9))
}

func slicesIndex(hs []hints.Hint, k hints.Kind) int {
	for i, h := range hs {
		if h.Kind == k {
			return i
		}
	}
	return -1
}

func count(ks []hints.Kind, k hints.Kind) int {
	n := 0
	for _, x := range ks {
		if x == k {
			n++
		}
	}
	return n
}

func TestForLinesIsForEachLineInTurn(t *testing.T) {
	turns := transcript(
		line{true, "Hi, this is Sam from Routewise.", 0},
		line{false, "We already use a vendor for this and it works fine.", 3000},
		line{true, "But actually our product is much better than theirs.", 6000},
		line{false, "I doubt it. Honestly it's too expensive too.", 9000},
	)
	var each []hints.Hint
	for k := 1; k < len(turns); k++ {
		each = append(each, hints.For(domain.ModeColdCall, turns[:k+1], k)...)
	}
	assert.Equal(t, each, hints.ForLines(domain.ModeColdCall, turns, 1))
	assert.NotEmpty(t, each)
	assert.Empty(t, hints.ForLines(domain.ModeColdCall, turns, 4))
}

func TestAPressedConcernIsNamedAsPressed(t *testing.T) {
	turns := transcript(
		line{true, "Hi, this is Sam from Routewise.", 0},
		line{false, "Honestly it's too expensive for us.", 3000},
		line{true, "Great, so let me tell you about our features.", 6000},
		line{false, "Like I said, it's too expensive. There's no budget.", 9000},
	)
	first := hints.For(domain.ModeColdCall, turns[:2], 1)
	require.NotEmpty(t, first)
	assert.Contains(t, first[0].Text, "raised a concern (price or budget)")
	again := hints.For(domain.ModeColdCall, turns, 3)
	require.Contains(t, kinds(again), hints.KindObjection)
	assert.Contains(t, again[0].Text, "pressing the same concern")
}

// TestImpactHintWhenTheProspectNamesAPain: a pain the prospect volunteers, in its own words, gets the impact hint
// on its line, whatever the rep asked, as reps type (lower case, no question mark). Said once a call, never after
// the rep asked about impact, never for a concern (it has its own hint), a question or a line with no pain in it.
func TestImpactHintWhenTheProspectNamesAPain(t *testing.T) {
	t.Parallel()
	opening := line{false, "Hey, Daniel here. I read your email. I'm curious, but I'll want specifics.", 0}
	tests := []struct {
		name  string
		lines []line
		at    int // the line the impact hint is about, -1 for none
	}{
		{"volunteered after a question with no pain word", []line{opening,
			{true, "so how are things going with the team these days", 5000},
			{false, "Take my engineers, for one. That's an area.", 9000},
			{true, "tell me about onboarding new engineers", 13000},
			{false, "The real issue is this. Onboarding a new engineer takes two months because nothing is documented.", 17000},
		}, 4},
		{"a broken pipeline", []line{opening,
			{true, "how do you guys ship code today", 5000},
			{false, "Honestly? Our release pipeline takes forty minutes and breaks every other deploy.", 9000},
		}, 2},
		{"time lost, said plainly", []line{opening,
			{true, "whats eating your week", 5000},
			{false, "Fine. My engineers lose a day a week to customer escalations instead of the roadmap.", 9000},
		}, 2},
		{"people lost", []line{
			{false, "Lakeside Family Clinics, this is Priya. How can I help?", 0},
			{true, "hi priya its sam from brightpath, hows the team holding up", 4000},
			{false, "Oh, that's a big one. We keep losing nurses to burnout and overtime costs are up thirty percent this year. It's been stressful.", 9000},
		}, 2},
		{"money lost", []line{
			{false, "Keystone Realty, this is Nina. Who's calling?", 0},
			{true, "its alex from kestrel. curious how leads get handled on your side", 4000},
			{false, "Since you ask: internet leads go cold because agents take a day or more to follow up.", 9000},
		}, 2},
		{"no pain in the answer", []line{opening,
			{true, "so whats a normal week like", 5000},
			{false, "We have a fairly standard setup. I've got about half an hour, by the way.", 9000},
		}, -1},
		{"a pain denied", []line{opening,
			{true, "how are deploys going", 5000},
			{false, "Deploys? It isn't a problem right now.", 9000},
		}, -1},
		{"a question about problems", []line{opening,
			{true, "we help teams ship faster", 5000},
			{false, "Buzzwords. What problem are you solving?", 9000},
		}, -1},
		{"a concern, not a pain", []line{opening,
			{true, "our platform is great", 5000},
			{false, "Here's my problem: we tried an AI vendor two years ago and it was a disaster.", 9000},
		}, -1},
		{"impact already asked", []line{opening,
			{true, "what does downtime cost you when it happens", 5000},
			{false, "The real issue is this. Our release pipeline takes forty minutes and breaks every other deploy.", 9000},
		}, -1},
		{"once a call", []line{opening,
			{true, "whats the biggest challenge for your team right now", 5000},
			{false, "Specifically: my engineers lose a day a week to customer escalations instead of the roadmap.", 9000},
			{true, "tell me about onboarding", 13000},
			{false, "The real issue is this. Onboarding a new engineer takes two months because nothing is documented.", 17000},
		}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			turns := transcript(tt.lines...)
			// Line by line, as the stream shows them and /turns returns them.
			var impact []hints.Hint
			for _, h := range hints.ForLines(domain.ModeDiscovery, turns, 1) {
				if h.Kind == hints.KindImpact {
					impact = append(impact, h)
				}
			}
			if tt.at < 0 {
				assert.Empty(t, impact)
				return
			}
			require.Len(t, impact, 1, "said once")
			assert.Equal(t, tt.at, impact[0].At)
			// The same with /turns' batches of a rep line and the prospect's answer.
			var batched []hints.Hint
			for seen := 1; seen < len(turns); seen += 2 {
				for _, h := range hints.For(domain.ModeDiscovery, turns[:min(seen+2, len(turns))], seen) {
					if h.Kind == hints.KindImpact {
						batched = append(batched, h)
					}
				}
			}
			require.Len(t, batched, 1)
			if turns[tt.at].Role == domain.RoleAssistant {
				assert.Equal(t, tt.at, batched[0].At)
				assert.Contains(t, batched[0].Text, "They just named a pain")
			}
		})
	}
}

// TestEveryPainTheProspectTellsIsHeard: every hidden pain of the presets and of generated personas, told by the
// prospect, gets the impact hint; no persona's opening line does.
func TestEveryPainTheProspectTellsIsHeard(t *testing.T) {
	t.Parallel()
	profiles := []domain.PersonaProfile{}
	for _, p := range personas.Presets() {
		profiles = append(profiles, p.Profile)
	}
	for _, ind := range []string{"Healthcare", "Manufacturing", "Logistics", "Banking", "Retail", "Real estate", "Insurance",
		"Construction", "Education", "Hospitality", "Energy", "Legal", "SaaS", "Aquaculture"} {
		for _, role := range []string{"CFO", "CTO", "VP of Operations", "Head of Sales", "Marketing Director", "HR Director",
			"Support Manager", "Procurement Lead", "CEO", "Farm Manager"} {
			for seed := range uint64(4) {
				p, err := personas.Generate(personas.GenerateInput{Industry: ind, Role: role, Personality: domain.PersonalityBusy,
					Difficulty: domain.DifficultyHard}, seed, personas.DefaultVoiceIDs())
				require.NoError(t, err)
				profiles = append(profiles, p)
			}
		}
	}
	for _, p := range profiles {
		for _, m := range domain.Modes {
			opening := transcript(line{false, p.FirstMessageFor(m), 0}, line{true, "hi there", 3000})
			assert.NotContains(t, kinds(hints.For(domain.ModeDiscovery, opening, 0)), hints.KindImpact, "%s: %q", p.Name, p.FirstMessageFor(m))
		}
		for _, pain := range p.HiddenPains {
			turns := transcript(line{true, "so what's going on over there", 0}, line{false, pain + ".", 3000})
			want := hints.KindImpact
			if len(rubric.ComputeMetrics(turns).Objections) > 0 {
				want = hints.KindObjection // "Margins are shrinking...": the rubric hears a concern, and that hint comes first
			}
			assert.Contains(t, kinds(hints.For(domain.ModeDiscovery, turns, 0)), want, "%s: %q", p.Name, pain)
		}
	}
}
