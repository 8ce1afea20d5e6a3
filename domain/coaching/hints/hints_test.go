package hints_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sparrow-coach/sparrow/domain"
	"github.com/sparrow-coach/sparrow/domain/coaching/hints"
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
