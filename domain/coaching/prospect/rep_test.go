package prospect

import (
	"errors"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sparrow-coach/sparrow/domain"
	"github.com/sparrow-coach/sparrow/domain/coaching/personas"
)

func TestNewRep(t *testing.T) {
	t.Parallel()
	for _, kind := range ScriptedReps() {
		r, err := NewRep(string(kind), 1)
		require.NoError(t, err)
		assert.NotNil(t, r)
	}
	_, err := NewRep("average", 1)
	assert.True(t, errors.Is(err, domain.ErrInvalid))
	var fe *domain.FieldError
	require.True(t, errors.As(err, &fe))
	assert.Equal(t, "rep", fe.Field)
}

// TestGoodRep_AnswersEveryPresetObjectionProperly: the good rep's answers must
// pass the same judge the prospect uses, for every objection in the catalogue.
func TestGoodRep_AnswersEveryPresetObjectionProperly(t *testing.T) {
	t.Parallel()
	for _, pr := range personas.Presets() {
		for _, o := range pr.Profile.Objections {
			g := &goodRep{rng: newTestRand(3)}
			for range 5 {
				answer := g.answerObjection(o)
				assert.Equal(t, verdictHandled, judgeObjection(analyse(answer), o), "%s: %q -> %q", pr.Profile.Name, o, answer)
				assert.LessOrEqual(t, wordCount(answer), longTurnWords, "answers stay short: %q", answer)
			}
		}
	}
}

// TestPresetPains_CanBeTeasedOutByListening: the words a prospect trails off
// on point back to that pain and no other, so a listening rep can follow up.
func TestPresetPains_CanBeTeasedOutByListening(t *testing.T) {
	t.Parallel()
	for _, pr := range personas.Presets() {
		pro := New(pr.Profile, domain.ModeDiscovery, 1)
		for i, x := range pro.pains {
			if x.topic == "" {
				continue // hinted at vaguely: the rep follows up with any open question
			}
			hint := fill("Well, there's {topic}, for one. It's a long story.", map[string]string{"topic": x.topic})
			frag := trailingFragment(hint)
			require.NotEmpty(t, frag)
			g := &goodRep{rng: newTestRand(1)}
			question := analyse(g.mirror(frag))
			assert.True(t, question.open, "mirror %q is an open question", g.mirror(frag))
			for j := range pro.pains { // the prospect remembers which pain it hinted at
				pro.pains[j].hinted = j == i
			}
			got, _ := pro.bestPain(question.concepts, func(pain) bool { return true })
			assert.Equal(t, i, got, "%s: following up on %q finds %q", pr.Profile.Name, frag, x.text)
		}
	}
}

func TestGoodRep_KeepsTurnsShortAndNeverPitchesFirst(t *testing.T) {
	t.Parallel()
	for _, pr := range personas.Presets() {
		for _, m := range domain.Modes {
			res, err := Simulate(pr.Profile, m, string(RepGood), 5, DefaultMaxTurns)
			require.NoError(t, err)
			first := true
			for _, e := range res.Turns {
				if e.Role != domain.RoleUser {
					continue
				}
				tn := analyse(e.Content)
				assert.LessOrEqual(t, tn.words, longTurnWords, "%q", e.Content)
				assert.Zero(t, tn.pitch, "%q", e.Content)
				if first {
					assert.False(t, tn.hasSlot, "no meeting request in the opener")
					first = false
				}
			}
			assert.Zero(t, res.Final.Rambles+res.Final.EarlyPitches+res.Final.IgnoredObjections, "%s/%s", pr.Profile.Name, m)
		}
	}
}

func TestBadRep_PitchesRamblesAndIgnoresObjections(t *testing.T) {
	t.Parallel()
	for _, pr := range personas.Presets() {
		for _, m := range domain.Modes {
			res, err := Simulate(pr.Profile, m, string(RepBad), 5, DefaultMaxTurns)
			require.NoError(t, err)
			require.GreaterOrEqual(t, len(res.Turns), 2)
			opener := analyse(res.Turns[1].Content)
			assert.Greater(t, opener.words, RambleWords, "opens with a monologue")
			assert.Positive(t, opener.pitch, "opens with a pitch")
			for _, e := range res.Turns {
				if e.Role == domain.RoleUser {
					tn := analyse(e.Content)
					assert.False(t, tn.ack, "never acknowledges: %q", e.Content)
					assert.False(t, tn.open, "never asks an open question: %q", e.Content)
				}
			}
			assert.Positive(t, res.Final.Rambles)
			assert.Equal(t, EndHungUp, res.EndReason)
		}
	}
}

func TestTrailingFragmentAndRepSide(t *testing.T) {
	t.Parallel()
	tests := []struct{ line, fragment, repSide string }{
		{"Well, our online review scores... but I'm not sure that's your business.", "our online review scores", "your online review scores"},
		{"Oh, where to start. Patient no-shows... it's a long story.", "Patient no-shows", "patient no-shows"},
		{"There's my front desk... among other things.", "my front desk", "your front desk"},
		{"Honestly, we keep losing nurses... no time to fix it.", "we keep losing nurses", "you keep losing nurses"},
		{"Things are fine. We manage.", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.line, func(t *testing.T) {
			t.Parallel()
			got := trailingFragment(tt.line)
			assert.Equal(t, tt.fragment, got)
			assert.Equal(t, tt.repSide, fromRepSide(got))
		})
	}
}

func TestFragment(t *testing.T) {
	t.Parallel()
	tests := []struct{ pain, want string }{
		{"Patient no-shows cost us about eighty thousand dollars a quarter", "Patient no-shows"},
		{"We have too many suppliers and nobody tracks the contract terms", "We have too many suppliers"},
		{"Stockouts on our best sellers cost us sales every single weekend", "Stockouts on our best sellers"},
		{"Site reports come in on paper, days late", "Site reports"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, fragment(tt.pain), tt.pain)
		assert.False(t, strings.HasSuffix(fragment(tt.pain), " and"))
	}
}

func newTestRand(seed uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, seed)) }

func TestPainSentence(t *testing.T) {
	t.Parallel()
	tests := []struct{ pain, want string }{
		{"Store staff turnover is over sixty percent, so training never sticks", "Store staff turnover is over sixty percent, so training never sticks"},
		{"We keep losing nurses to burnout.", "We keep losing nurses to burnout"},
		{"Customers churn before we even know they're unhappy", "Customers churn before we even know they're unhappy"},
		{"slow onboarding and no documentation", "the big one for us is slow onboarding and no documentation"},
		{"Too many tools...", "the big one for us is too many tools"},
		{"Agents answering the same questions all day", "the big one for us is agents answering the same questions all day"},
		{"SOC 2 audits", "the big one for us is SOC 2 audits"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, painSentence(tt.pain), tt.pain)
		line := fill("Honestly? {pain}.", map[string]string{"pain": painSentence(tt.pain)})
		assert.NotContains(t, line, "...", line)
		assert.Regexp(t, `^Honestly\? [A-Z].*[.!?]$`, line)
	}
}

// TestHintsAndReveals_AreWholeSentences: for every pain a preset or a
// generated persona has, what the prospect says about it is whole sentences,
// never a trailing-off fragment ("There's my engineers lose... among other things.").
func TestHintsAndReveals_AreWholeSentences(t *testing.T) {
	t.Parallel()
	var pains []string
	for _, pr := range personas.Presets() {
		pains = append(pains, pr.Profile.HiddenPains...)
	}
	for i, ind := range []string{"Healthcare", "Logistics", "Banking", "Retail", "SaaS", "Legal", "Aquaculture"} {
		for _, role := range []string{"CFO", "CTO", "VP of Operations", "Head of Sales", "HR Director", "Support Manager"} {
			p, err := personas.Generate(personas.GenerateInput{Industry: ind, Role: role, Personality: domain.PersonalityFriendly, Difficulty: domain.DifficultyHard}, uint64(i), personas.DefaultVoiceIDs())
			require.NoError(t, err)
			pains = append(pains, p.HiddenPains...)
		}
	}
	table := lineTable()
	for _, pain := range pains {
		topic := topicPhrase(pain)
		for pers, opts := range table[actHint] {
			for _, o := range opts {
				if topic == "" {
					continue
				}
				line := fill(o, map[string]string{"topic": topic})
				assert.NotContains(t, line, "...", "%s: %q", pers, line)
				assert.Regexp(t, `^[A-Z].*[.!?]$`, line)
				// The topic is a noun phrase: it does not end on a function word or a verb.
				last := strings.ToLower(topic[strings.LastIndex(topic, " ")+1:])
				assert.False(t, functionWords[last] || subjectEnds[last], "topic %q of %q", topic, pain)
			}
		}
		for _, o := range table[actReveal][domain.PersonalityBusy] {
			line := fill(o, map[string]string{"pain": painSentence(pain)})
			assert.NotContains(t, line, "...", line)
			assert.Regexp(t, `^[A-Z].*[.!?]$`, line)
		}
	}
}
