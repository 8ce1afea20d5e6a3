package rubric

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/sparrow-coach/sparrow/domain"
)

// Key moments point at lines of the call: the opener, the first question,
// each objection and its answer, a long monologue, the close. Every quote is
// a sentence (or the start of one) taken from the line itself.

// maxMoments bounds the key moments of one call.
const maxMoments = 8

type momentCandidate struct {
	domain.KeyMoment
	turn int
	rank float64
}

func (e *evaluation) keyMoments() []domain.KeyMoment {
	t := e.t
	var cands []momentCandidate
	addCand := func(turn int, typ domain.KeyMomentType, desc, quote string, rank float64) {
		if turn < 0 || turn >= len(t.turns) || quote == "" {
			return
		}
		for _, c := range cands {
			if c.turn == turn && c.Quote == quote {
				return
			}
		}
		cands = append(cands, momentCandidate{domain.KeyMoment{TimestampMs: t.turns[turn].at, Type: typ, Description: desc, Quote: quote}, turn, rank})
	}
	// Objections first: they are the moments a rep most wants to replay.
	for _, o := range e.m.Objections {
		kind := strings.ReplaceAll(string(o.Kind), "_", " ")
		rank := float64(weightObjection)
		switch q := o.quality(); {
		case q >= strengthAt:
			addCand(o.ResponseTurn, domain.KeyMomentStrength, fmt.Sprintf("Answered the %s objection by acknowledging it and asking a question", kind), o.ResponseQuote, rank)
		case !o.Responded:
			addCand(o.Turn, domain.KeyMomentImprovement, fmt.Sprintf("The %s objection went unanswered", kind), o.Quote, rank)
		default:
			addCand(o.ResponseTurn, domain.KeyMomentImprovement, fmt.Sprintf("Answer to the %s objection: %s", kind, missingInAnswer(o)), o.ResponseQuote, rank*(1-q))
		}
	}
	for _, c := range e.criteria {
		w := float64(categoryWeights[c.cat]) * c.weight
		switch {
		case c.value >= strengthAt && c.strength != "":
			addCand(c.turn, domain.KeyMomentStrength, c.strength, c.quote, w*c.value)
		case c.value < improveBelow && c.improvement != "":
			addCand(c.turn, domain.KeyMomentImprovement, c.improvement, c.quote, w*(1-c.value))
		}
	}
	slices.SortStableFunc(cands, func(a, b momentCandidate) int { return cmp.Compare(b.rank, a.rank) })
	if len(cands) > maxMoments {
		cands = cands[:maxMoments]
	}
	slices.SortStableFunc(cands, func(a, b momentCandidate) int { return cmp.Compare(a.turn, b.turn) })
	out := make([]domain.KeyMoment, len(cands))
	for i, c := range cands {
		out[i] = c.KeyMoment
	}
	return out
}

func missingInAnswer(o Objection) string {
	var miss []string
	if !o.Acknowledged {
		miss = append(miss, "acknowledge it first")
	}
	if !o.AnsweredWithQuestion {
		miss = append(miss, "end with a question")
	}
	if o.ResponseWords > objectionResponseWords {
		miss = append(miss, fmt.Sprintf("keep it under %d words (it ran %d)", objectionResponseWords, o.ResponseWords))
	}
	if o.Argued {
		miss = append(miss, "don't open by arguing")
	}
	if len(miss) == 0 {
		return "tighten it"
	}
	return strings.Join(miss, ", ")
}
