package rubric

import (
	"time"

	"github.com/sparrow-coach/sparrow/domain"
)

// Expectations per mode. A cold call is not judged on a discovery call's
// question count, and the objection gauntlet weighs objection handling.
// Sources (see /work/shared/notes/coaching-research.md):
//   - Gong Labs, 25,537 B2B calls: best-converting rep talk share 43%; reps
//     above 65% convert worse; ~1M calls: top reps 46:54, bottom 72:28.
//   - Chorus, 1M+ cold calls: successful cold calls have a 44% rep talk
//     share, ~4 questions on average, last 80 s on average (only 10% pass
//     2 minutes), and successful ones run about twice as long.
//   - Gong: 11-14 targeted questions in a discovery call, diminishing returns
//     above; top reps spread questions through the call.
//   - Gong, 257,967 calls: win rates fall when a pitch runs past ~2 minutes;
//     a customer's longest story near 4 minutes goes with wins, under 50 s
//     with below-average close rates.
//   - Objective Management Group: 100-120 wpm scored best in recorded
//     pitches; calls average ~173 wpm (secondary).
//   - Gong, ~500k calls: filler words have no measurable impact (weighed lightly).
//   - Gong (secondary): "How have you been?" books more meetings, "Did I
//     catch you at a bad time?" fewer.

type expectation struct {
	label string // "cold call"

	// Discovery: questions in [questionsLo, questionsHi] get full credit.
	questionsLo, questionsHi int
	questionsSource          string
	listeningTarget          int // follow-up questions + listening cues for full credit
	topicsTarget             int // discovery topics covered for full credit

	// Communication: rep talk share in [talkLo, talkHi] gets full credit.
	talkLo, talkHi float64
	// Longest rep monologue: full credit up to monologueFull, none from
	// monologueZero. Discovery uses Gong's ~2-minute pitch limit; a cold call
	// averages 80 s in total (Chorus), so a minute of monologue there is
	// most of the call, and the gauntlet sits between.
	monologueFull, monologueZero time.Duration

	// Opening (cold call): a call shorter than earnedTimeZero earned no
	// time, one of earnedTimeFull or more earned it all; 0 = not judged.
	earnedTimeZero, earnedTimeFull time.Duration

	// Objection handling: the value when no objection was raised, and the
	// number of well-handled objections the mode expects (0 = not judged).
	noObjectionValue float64
	objectionVolume  int

	opening   openingWeights
	discovery discoveryWeights
}

type openingWeights struct{ intro, reason, phrasing, agenda, early, concise, earnedTime float64 }

type discoveryWeights struct{ count, open, spread, listening, topics, story, hiddenPains float64 }

// Talk share above talkZero, or a monologue past monologueZero, scores 0.
// talkZero sits past the bottom reps' 72% (Gong).
const talkZero = 0.80

// Speaking rate: full credit in [rateLo, rateHi] wpm, falling to rateFloor
// at rateZeroLo and rateZeroHi. 100-120 wpm scored best (OMG); conversation
// runs faster than a pitch (~173 wpm average), so the band is widened to 160.
const (
	rateLo, rateHi         = 100, 160
	rateZeroLo, rateZeroHi = 60, 220
	rateFloor              = 0.3
)

// Fillers per minute: full credit up to fillersFull, none from fillersZero.
const fillersFull, fillersZero = 2, 10

// Closing weights (all modes): a booked meeting is most of the category.
const (
	wBooked, wProposed, wAsked, wRecap = 0.55, 0.20, 0.15, 0.10
)

// Communication weights (all modes); rate is skipped when untimed.
const (
	wTalk, wMonologue, wRate, wFillers, wConfidence = 0.35, 0.25, 0.15, 0.10, 0.15
)

// Category weights of the overall score: the domain's (spec §11.2), in percent.
const (
	weightOpening       = domain.WeightOpening
	weightDiscovery     = domain.WeightDiscovery
	weightObjection     = domain.WeightObjectionHandling
	weightCommunication = domain.WeightCommunication
	weightClosing       = domain.WeightClosing
)

var (
	coldCall = expectation{
		label:       "cold call",
		questionsLo: 4, questionsHi: 8, questionsSource: "cold calls average ~4 questions (Chorus)",
		listeningTarget: 2, topicsTarget: 2,
		talkLo: 0.38, talkHi: 0.55,
		monologueFull: 20 * time.Second, monologueZero: time.Minute,
		earnedTimeZero: 30 * time.Second, earnedTimeFull: 2 * time.Minute,
		noObjectionValue: 0.6,
		opening:          openingWeights{intro: 0.15, reason: 0.20, phrasing: 0.10, early: 0.15, concise: 0.20, earnedTime: 0.20},
		discovery:        discoveryWeights{count: 0.35, open: 0.20, listening: 0.25, topics: 0.20, hiddenPains: 0.10},
	}
	discoveryCall = expectation{
		label:       "discovery call",
		questionsLo: 11, questionsHi: 14, questionsSource: "11-14 targeted questions (Gong)",
		listeningTarget: 4, topicsTarget: 5,
		talkLo: 0.30, talkHi: 0.50,
		monologueFull: 45 * time.Second, monologueZero: 150 * time.Second,
		noObjectionValue: 0.6,
		opening:          openingWeights{intro: 0.20, agenda: 0.30, early: 0.25, concise: 0.25},
		discovery:        discoveryWeights{count: 0.25, open: 0.15, spread: 0.15, listening: 0.20, topics: 0.15, story: 0.10, hiddenPains: 0.15},
	}
	objectionGauntlet = expectation{
		label:       "objection gauntlet",
		questionsLo: 4, questionsHi: 10, questionsSource: "about one question per objection answered",
		listeningTarget: 3, topicsTarget: 2,
		talkLo: 0.40, talkHi: 0.60,
		monologueFull: 25 * time.Second, monologueZero: 90 * time.Second,
		noObjectionValue: 0.3, objectionVolume: 4,
		opening:   openingWeights{intro: 0.20, reason: 0.25, phrasing: 0.10, early: 0.20, concise: 0.25},
		discovery: discoveryWeights{count: 0.30, open: 0.20, listening: 0.30, topics: 0.20, hiddenPains: 0.10},
	}
)

// expectationFor returns a mode's expectations; an unknown mode is judged
// as a cold call, the default practice mode.
func expectationFor(m domain.Mode) (domain.Mode, expectation) {
	switch m {
	case domain.ModeDiscovery:
		return m, discoveryCall
	case domain.ModeObjectionGauntlet:
		return m, objectionGauntlet
	}
	return domain.ModeColdCall, coldCall
}
