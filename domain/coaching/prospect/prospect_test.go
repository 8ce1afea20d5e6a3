package prospect_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sparrow-coach/sparrow/domain"
	"github.com/sparrow-coach/sparrow/domain/coaching/personas"
	"github.com/sparrow-coach/sparrow/domain/coaching/prospect"
)

func TestOpening_IsThePersonasFirstLineForTheMode(t *testing.T) {
	t.Parallel()
	for _, pr := range personas.Presets() {
		for _, m := range domain.Modes {
			assert.Equal(t, pr.Profile.FirstMessageFor(m), prospect.New(pr.Profile, m, 1).Opening())
		}
	}
	bare := preset(t, "Maya Chen")
	bare.FirstMessage, bare.FirstMessages = "", nil
	assert.Equal(t, "Hello?", prospect.New(bare, domain.ModeColdCall, 1).Opening())
}

// TestPains_RevealedOnlyAfterRelevantQuestions asks about each hidden pain in
// ways that must not reveal it (closed question, pitch, unrelated open
// question, general open question) and in the way that must (an open question
// about that topic), for every preset.
func TestPains_RevealedOnlyAfterRelevantQuestions(t *testing.T) {
	t.Parallel()
	for _, pr := range personas.Presets() {
		p := pr.Profile
		t.Run(p.Name, func(t *testing.T) {
			t.Parallel()
			for i, pain := range p.HiddenPains {
				topic := strings.TrimRight(pain, ".")
				notRelevant := []string{
					"Is it true that " + topic + "?",                                    // closed
					"Our platform solves it when " + topic + ", we offer a free trial.", // pitch
					"What's the weather like where you are?",                            // open, unrelated
					"What does a typical week look like for you?",                       // open, general: a hint at most
				}
				for _, line := range notRelevant {
					for seed := range uint64(5) {
						pro := prospect.New(p, domain.ModeDiscovery, seed)
						reply := pro.Respond(line)
						assert.Empty(t, pro.State().RevealedPains, "%q revealed a pain", line)
						assert.NotContains(t, reply.Text, pain, "%q revealed a pain", line)
					}
				}

				relevant := "Tell me about this: " + topic + ". What's going on there?"
				revealed := 0
				for seed := range uint64(10) {
					pro := prospect.New(p, domain.ModeDiscovery, seed)
					reply := pro.Respond(relevant)
					got := pro.State().RevealedPains
					if len(got) == 0 {
						continue
					}
					revealed++
					assert.Equal(t, []string{pain}, got, "pain %d: the revealed pain is the one asked about", i)
					assert.Contains(t, reply.Text, lowerFirstWord(pain), "the prospect says it")
				}
				assert.Positive(t, revealed, "pain %d never revealed by a relevant open question", i)
				if p.Difficulty == domain.DifficultyEasy {
					assert.Equal(t, 10, revealed, "easy personas always answer a relevant question")
				}
			}
		})
	}
}

func lowerFirstWord(s string) string {
	// The reply may lowercase the pain's first letter after a lead-in; match the rest.
	return strings.TrimRight(s[1:], ".")
}

func TestPains_GeneralQuestionsEarnHintsThatAFollowUpTurnsIntoThePain(t *testing.T) {
	t.Parallel()
	p := preset(t, "Maya Chen") // friendly, easy: hints are likely, reveals certain
	for _, followUp := range []string{"", "How so?", "oh really, whats going on there"} {
		var pro *prospect.Prospect
		var hint string
		for seed := uint64(0); seed < 20 && hint == ""; seed++ {
			pro = prospect.New(p, domain.ModeDiscovery, seed)
			for _, q := range []string{"What does a typical week look like for you?", "What are your biggest priorities this year?", "What's frustrating you most lately?"} {
				r := pro.Respond(q)
				if strings.Contains(r.Text, ", for one") {
					hint = r.Text
					break
				}
				if len(pro.State().RevealedPains) > 0 {
					break
				}
			}
		}
		require.NotEmpty(t, hint, "a friendly prospect hints at something")
		assert.Empty(t, pro.State().RevealedPains, "a hint is not a reveal")
		assert.NotContains(t, hint, "...", "a hint is a whole sentence")

		if followUp == "" {
			frag := hint[:strings.Index(hint, ", for one")]
			if i := strings.LastIndexAny(frag, ".!?"); i >= 0 {
				frag = frag[i+1:]
			}
			frag = strings.TrimPrefix(strings.TrimSpace(frag), "Well, there's ")
			followUp = "You mentioned " + strings.TrimSpace(frag) + ". What's going on there?"
		}
		pro.Respond(followUp)
		assert.Len(t, pro.State().RevealedPains, 1, "following up with %q", followUp)
	}
}

func TestRambling_LowersPatience(t *testing.T) {
	t.Parallel()
	for _, pr := range personas.Presets() {
		p := pr.Profile
		t.Run(p.Name, func(t *testing.T) {
			t.Parallel()
			short := prospect.New(p, domain.ModeDiscovery, 9)
			long := prospect.New(p, domain.ModeDiscovery, 9)
			start := short.State().Patience
			short.Respond("Thanks for making the time today.")
			long.Respond(monologue(prospect.RambleWords + 20))

			assert.Equal(t, 0, short.State().Rambles)
			assert.Equal(t, 1, long.State().Rambles)
			assert.Less(t, long.State().Patience, short.State().Patience-10, "a monologue costs far more than a short turn")
			assert.Less(t, short.State().Patience, start+1, "time always costs a little")
		})
	}
}

func TestObjections_IgnoringOneLowersPatienceAndKeepsItPending(t *testing.T) {
	t.Parallel()
	for _, pr := range personas.Presets() {
		p := pr.Profile
		t.Run(p.Name, func(t *testing.T) {
			t.Parallel()
			ignored := prospect.New(p, domain.ModeObjectionGauntlet, 4)
			handled := prospect.New(p, domain.ModeObjectionGauntlet, 4)
			opener := "Thanks for your time. I'm Alex from Brightpath."
			ignored.Respond(opener)
			handled.Respond(opener)
			objection := ignored.State().PendingObjection
			require.NotEmpty(t, objection, "the gauntlet raises an objection at once")
			require.Equal(t, objection, handled.State().PendingObjection)

			reply := ignored.Respond("Anyway, our dashboards are really beautiful.")
			assert.Equal(t, objection, ignored.State().PendingObjection, "still waiting for an answer")
			assert.Equal(t, 1, ignored.State().IgnoredObjections)
			assert.NotContains(t, reply.Text, strings.TrimRight(objection[1:], ".?"), "the prospect rephrases it rather than repeating it")
			assert.Greater(t, len(strings.Fields(reply.Text)), 6, "the prospect presses the point: %q", reply.Text)
			again := ignored.Respond("Our reports are really nice too, very colourful.")
			assert.NotEqual(t, reply.Text, again.Text, "pressed again, it escalates in other words")

			handled.Respond(answerTo(objection))
			assert.Equal(t, 0, handled.State().IgnoredObjections)
			assert.Greater(t, handled.State().Patience, ignored.State().Patience+10, "ignoring costs much more than answering")
			if p.Difficulty == domain.DifficultyEasy { // easy prospects never push back on a good answer
				assert.Equal(t, []string{objection}, handled.State().HandledObjections)
			}
		})
	}
}

func TestObjections_AGoodAnswerIsEventuallyAccepted(t *testing.T) {
	t.Parallel()
	for _, pr := range personas.Presets() {
		p := pr.Profile
		pro := prospect.New(p, domain.ModeObjectionGauntlet, 11)
		pro.Respond("Thanks for your time. I'm Alex from Brightpath.")
		objection := pro.State().PendingObjection
		pro.Respond(answerTo(objection))
		if pro.State().PendingObjection == objection { // pushed back once: answer again
			pro.Respond("I hear you. To be specific about " + objection + ": we'd run a two-week pilot. What would make that useful?")
		}
		assert.Contains(t, pro.State().HandledObjections, objection, p.Name)
	}
}

func TestPatience_AtZeroTheProspectHangsUpAndTheCallStaysEnded(t *testing.T) {
	t.Parallel()
	for _, pr := range personas.Presets() {
		for _, m := range domain.Modes {
			p := pr.Profile
			t.Run(fmt.Sprint(p.Name, "/", m), func(t *testing.T) {
				t.Parallel()
				pro := prospect.New(p, m, 2)
				var last prospect.Reply
				for turn := 0; turn < 12 && !last.Ended; turn++ {
					last = pro.Respond(monologue(prospect.RambleWords + 10))
				}
				require.True(t, last.Ended, "rambling ends the call")
				assert.Equal(t, prospect.EndHungUp, last.EndReason)
				assert.False(t, last.MeetingBooked)
				assert.NotEmpty(t, last.Text, "the prospect says goodbye")
				st := pro.State()
				assert.Equal(t, 0, st.Patience)
				assert.True(t, st.Ended)
				assert.Equal(t, prospect.EndHungUp, st.EndReason)

				after := pro.Respond("Wait, how about Tuesday at 2pm?")
				assert.Equal(t, prospect.Reply{Ended: true, EndReason: prospect.EndHungUp}, after, "nothing changes after the end")
				assert.Equal(t, st, pro.State())
			})
		}
	}
}

// TestMeeting_ConcreteTimeWithoutDiscoveryDoesNotBook is the "just ask for
// the meeting" rep: a concrete day and time at once, again and again.
func TestMeeting_ConcreteTimeWithoutDiscoveryDoesNotBook(t *testing.T) {
	t.Parallel()
	for _, pr := range personas.Presets() {
		for _, m := range domain.Modes {
			p := pr.Profile
			t.Run(fmt.Sprint(p.Name, "/", m), func(t *testing.T) {
				t.Parallel()
				for seed := range uint64(5) {
					pro := prospect.New(p, m, seed)
					lines := []string{"Hi, this is Alex from Brightpath. Could we meet Tuesday at 2pm?", "How about Thursday at 10am then?", "Would Friday at 9am work?"}
					var r prospect.Reply
					for turn := 0; turn < 30 && !r.Ended; turn++ {
						r = pro.Respond(lines[turn%len(lines)])
					}
					assert.False(t, r.MeetingBooked, "seed %d booked without discovery", seed)
					assert.Positive(t, pro.State().PrematureCloses)
				}
			})
		}
	}
}

func TestEarlyPitch_CostsPatience(t *testing.T) {
	t.Parallel()
	p := preset(t, "Frank Dolan")
	pitched := prospect.New(p, domain.ModeDiscovery, 5)
	asked := prospect.New(p, domain.ModeDiscovery, 5)
	pitched.Respond("Our platform is the industry-leading solution for plants like yours.")
	asked.Respond("How do you plan maintenance on the lines today?")
	assert.Equal(t, 1, pitched.State().EarlyPitches)
	assert.Less(t, pitched.State().Patience, asked.State().Patience-10)
}

func TestRepeatedQuestion_CostsPatience(t *testing.T) {
	t.Parallel()
	p := preset(t, "Nina Alvarez")
	once := prospect.New(p, domain.ModeDiscovery, 6)
	twice := prospect.New(p, domain.ModeDiscovery, 6)
	once.Respond("What's the weather like there?")
	twice.Respond("What's the weather like there?")
	once.Respond("What's the weather like today, then?")
	r := twice.Respond("What's the weather like there?")
	assert.Contains(t, strings.ToLower(r.Text), "asked")
	assert.Less(t, twice.State().Patience, once.State().Patience)
}

func TestSilence_CostsPatience(t *testing.T) {
	t.Parallel()
	pro := prospect.New(preset(t, "Luis Ortega"), domain.ModeColdCall, 1)
	before := pro.State().Patience
	r := pro.Respond("   ")
	assert.Contains(t, r.Text, "Hello?")
	assert.Less(t, pro.State().Patience, before)
}

func TestProspect_IsDeterministicPerSeed(t *testing.T) {
	t.Parallel()
	p := preset(t, "Helen Park")
	lines := []string{
		"Hi Helen, this is Alex from Brightpath. I'm calling because I had a quick question.",
		"What's the hardest part of running claims right now?",
		"How are adjusters spending their day?",
		"That makes sense. What would you need to see?",
		"How about Tuesday at 2pm?",
	}
	run := func(seed uint64) ([]prospect.Reply, prospect.State) {
		pro := prospect.New(p, domain.ModeColdCall, seed)
		var out []prospect.Reply
		for _, l := range lines {
			out = append(out, pro.Respond(l))
		}
		return out, pro.State()
	}
	a, sa := run(21)
	b, sb := run(21)
	assert.Equal(t, a, b)
	assert.Equal(t, sa, sb)

	distinct := map[string]bool{}
	for seed := range uint64(10) {
		replies, _ := run(seed)
		distinct[fmt.Sprint(replies)] = true
	}
	assert.Greater(t, len(distinct), 3, "replies vary with the seed")
}

func TestReplies_ReflectPersonality(t *testing.T) {
	t.Parallel()
	// Same situation, different personalities: what they say differs.
	base := preset(t, "Maya Chen")
	said := map[domain.Personality]map[string]bool{}
	for _, pers := range domain.Personalities {
		p := base
		p.Personality = pers
		said[pers] = map[string]bool{}
		for seed := range uint64(8) {
			pro := prospect.New(p, domain.ModeDiscovery, seed)
			said[pers][pro.Respond(monologue(prospect.RambleWords+10)).Text] = true
		}
	}
	for _, a := range domain.Personalities {
		for _, b := range domain.Personalities {
			if a == b {
				continue
			}
			for line := range said[a] {
				assert.False(t, said[b][line], "%s and %s both said %q", a, b, line)
			}
		}
	}
}

func TestState_IsACopy(t *testing.T) {
	t.Parallel()
	pro := prospect.New(preset(t, "Maya Chen"), domain.ModeDiscovery, 1)
	pro.Respond("How do stockouts on your best sellers affect weekend sales?")
	st := pro.State()
	require.NotEmpty(t, st.RevealedPains)
	st.RevealedPains[0] = "changed"
	st.Patience = -5
	assert.NotEqual(t, "changed", pro.State().RevealedPains[0])
	assert.NotEqual(t, -5, pro.State().Patience)
}

func TestState_DescribesTheProspectCard(t *testing.T) {
	t.Parallel()
	p := preset(t, "Dmitri Volkov")
	st := prospect.New(p, domain.ModeObjectionGauntlet, 1).State()
	assert.Equal(t, prospect.Card{Name: p.Name, Role: p.Role, Company: p.Company, Industry: p.Industry}, st.Prospect)
	assert.Equal(t, domain.ModeObjectionGauntlet, st.Mode)
	assert.Equal(t, len(p.Objections), st.ObjectionsRequired, "the gauntlet requires every objection")
	assert.Positive(t, st.Patience)
	assert.Greater(t, st.InterestNeeded, st.Interest)
}

func TestTemperament_HarderMeansLessPatienceAndAHigherBar(t *testing.T) {
	t.Parallel()
	base := preset(t, "Maya Chen")
	for _, pers := range domain.Personalities {
		var prevPatience, prevNeeded int
		for i, d := range domain.Difficulties {
			p := base
			p.Personality, p.Difficulty = pers, d
			var patience int
			for seed := range uint64(20) { // average out the mood
				patience += prospect.New(p, domain.ModeColdCall, seed).State().Patience
			}
			needed := prospect.New(p, domain.ModeColdCall, 0).State().InterestNeeded
			if i > 0 {
				assert.Less(t, patience, prevPatience, "%s %s has less patience", pers, d)
				assert.Greater(t, needed, prevNeeded, "%s %s needs more interest", pers, d)
			}
			prevPatience, prevNeeded = patience, needed
		}
	}
	hostile, friendly := base, base
	hostile.Personality, friendly.Personality = domain.PersonalityHostile, domain.PersonalityFriendly
	assert.Less(t, prospect.New(hostile, domain.ModeColdCall, 1).State().Patience, prospect.New(friendly, domain.ModeColdCall, 1).State().Patience)
}

// TestConversation_EveryLineGetsANaturalAnswer: small talk, identity,
// clarifying and off-topic lines get answers that fit them, and a cold call
// with a polite opener starts as a conversation, not a gauntlet.
func TestConversation_EveryLineGetsANaturalAnswer(t *testing.T) {
	t.Parallel()
	maya := preset(t, "Maya Chen")
	pro := prospect.New(maya, domain.ModeDiscovery, 1)
	r := pro.Respond("Am I speaking with Maya?")
	assert.Contains(t, r.Text, "Maya")
	r = pro.Respond("how's your week going")
	assert.NotEmpty(t, r.Text)
	assert.Empty(t, pro.State().RevealedPains)
	r = pro.Respond("Did you catch the game last night?")
	assert.NotEmpty(t, r.Text)
	assert.Empty(t, pro.State().RevealedPains)

	for _, pr := range personas.Presets() {
		p := pr.Profile
		for seed := range uint64(5) {
			cold := prospect.New(p, domain.ModeColdCall, seed)
			r := cold.Respond("Hi " + strings.Fields(p.Name)[0] + ", this is Sam from Brightpath. I'm calling because we work with teams like yours, do you have a minute?")
			assert.NotEmpty(t, r.Text)
			if p.Difficulty == domain.DifficultyEasy {
				assert.Empty(t, cold.State().RaisedObjections, "%s: a cold call is not a gauntlet: %q", p.Name, r.Text)
			}
			gauntlet := prospect.New(p, domain.ModeObjectionGauntlet, seed)
			gauntlet.Respond("Thanks for your time. I'm Sam from Brightpath.")
			assert.NotEmpty(t, gauntlet.State().RaisedObjections, "%s: the gauntlet starts with a concern", p.Name)
		}
	}
}

// TestObjections_PressedTwiceThenDropped: an objection the rep keeps talking
// past is pressed twice, in different words each time, then the prospect
// gives up on it; it never says the same line twice.
func TestObjections_PressedTwiceThenDropped(t *testing.T) {
	t.Parallel()
	for _, pr := range personas.Presets() {
		p := pr.Profile
		pro := prospect.New(p, domain.ModeObjectionGauntlet, 3)
		pro.Respond("Thanks for your time. I'm Sam from Brightpath.")
		obj := pro.State().PendingObjection
		require.NotEmpty(t, obj)
		said := map[string]bool{}
		var r prospect.Reply
		for i := 0; i < 3 && !r.Ended && pro.State().PendingObjection == obj; i++ {
			r = pro.Respond("What does a typical week look like for your team?")
			assert.False(t, said[r.Text], "%s repeated %q", p.Name, r.Text)
			said[r.Text] = true
			if i < prospect.MaxPresses {
				assert.Equal(t, obj, pro.State().PendingObjection, "%s: pressed %d", p.Name, i+1)
				assert.NotContains(t, r.Text, strings.TrimRight(obj[1:], ".?"), "%s: rephrased, not repeated", p.Name)
			}
		}
		if st := pro.State(); st.Ended && len(st.UnansweredObjections) == 0 {
			continue // out of patience before the last press
		}
		assert.NotEqual(t, obj, pro.State().PendingObjection, "%s: given up after %d presses", p.Name, prospect.MaxPresses)
		assert.Equal(t, []string{obj}, pro.State().UnansweredObjections, p.Name)
	}
}
