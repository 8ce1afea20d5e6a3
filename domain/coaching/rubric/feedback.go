package rubric

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/sparrow-coach/sparrow/domain"
)

// Feedback: strengths and improvements are the criteria that most clearly
// pass or fail, weighted by how much they move the overall score; when a call
// gives too little to say, generic but true items fill the list to three.

const (
	minInsights = 3
	maxInsights = 5
	// A criterion is a strength from strengthAt, an improvement below improveBelow.
	strengthAt   = 0.75
	improveBelow = 0.6
	// perCategory caps insights from one category in each list.
	perCategory = 2
)

// absenceKeys are criteria passed by saying little: they are only praised
// once the call has enough conversation (engagement of at least 0.5) for the
// absence to mean something.
var absenceKeys = map[string]bool{"fillers": true, "confidence": true, "monologue": true, "concise": true, "talk_share": true}

// When a key is in a list, the keys it implies are left out of that list:
// a booked meeting implies it was proposed and asked for; "close for a
// concrete time" already says to propose, ask and confirm one.
var (
	strengthImplies = map[string][]string{
		"booked":   {"proposed", "asked"},
		"proposed": {"asked"},
	}
	improvementImplies = map[string][]string{
		"booked":   {"proposed", "asked", "recap"},
		"proposed": {"asked"},
	}
)

func (e *evaluation) insights() (strengths, improvements []domain.Insight) {
	weigh := func(c criterion) float64 { return float64(categoryWeights[c.cat]) * c.weight }
	pick := func(ok func(criterion) bool, text func(criterion) string, rank func(criterion) float64, implies map[string][]string) []domain.Insight {
		idx := make([]int, 0, len(e.criteria))
		for i, c := range e.criteria {
			if ok(c) && text(c) != "" {
				idx = append(idx, i)
			}
		}
		slices.SortStableFunc(idx, func(a, b int) int { return cmp.Compare(rank(e.criteria[b]), rank(e.criteria[a])) })
		var out []domain.Insight
		var perCat [numCategories]int
		skip := map[string]bool{}
		for _, i := range idx {
			c := e.criteria[i]
			if len(out) == maxInsights || skip[c.key] || perCat[c.cat] == perCategory {
				continue
			}
			perCat[c.cat]++
			for _, k := range implies[c.key] {
				skip[k] = true
			}
			out = append(out, domain.Insight{Point: text(c), Evidence: c.evidence})
		}
		return out
	}
	substantial := e.engagement >= 0.5
	strengths = pick(
		func(c criterion) bool { return c.value >= strengthAt && (substantial || !absenceKeys[c.key]) },
		func(c criterion) string { return c.strength },
		func(c criterion) float64 { return weigh(c) * c.value }, strengthImplies)
	improvements = pick(
		func(c criterion) bool { return c.value < improveBelow },
		func(c criterion) string { return c.improvement },
		func(c criterion) float64 { return weigh(c) * (1 - c.value) }, improvementImplies)
	strengths = fill(strengths, e.genericStrengths())
	improvements = fill(improvements, e.genericImprovements())
	return strengths, improvements
}

// fill tops list up to minInsights from generic, skipping repeated points.
func fill(list, generic []domain.Insight) []domain.Insight {
	for _, g := range generic {
		if len(list) >= minInsights {
			break
		}
		if !slices.ContainsFunc(list, func(i domain.Insight) bool { return i.Point == g.Point }) {
			list = append(list, g)
		}
	}
	return list
}

func (e *evaluation) bestWorst() (best, worst category) {
	for c := range numCategories {
		if e.scores[c] > e.scores[best] {
			best = c
		}
		if e.scores[c] < e.scores[worst] {
			worst = c
		}
	}
	return best, worst
}

func (e *evaluation) genericStrengths() []domain.Insight {
	m := e.m
	best, _ := e.bestWorst()
	out := []domain.Insight{
		{Point: fmt.Sprintf("Completed a practice %s: every repetition builds the habit", e.exp.label),
			Evidence: fmt.Sprintf("%d turns, %d of your words, %s%s", m.Turns, m.RepWords, fmtDuration(m.DurationMs), estimatedNote(m.Timed))},
		{Point: fmt.Sprintf("Strongest category this call: %s", categoryNames[best]),
			Evidence: fmt.Sprintf("%s scored %d/100, against %d overall", categoryNames[best], e.scores[best], e.overall)},
	}
	if m.RepWords > 0 && m.FillerWords == 0 {
		out = append(out, domain.Insight{Point: "No filler words detected", Evidence: fmt.Sprintf("0 fillers in %d words", m.RepWords)})
	}
	if m.RepWords > 0 && m.Hedges == 0 {
		out = append(out, domain.Insight{Point: "No hedging or apologies detected", Evidence: fmt.Sprintf("0 hedging phrases in %d words", m.RepWords)})
	}
	out = append(out, domain.Insight{Point: "The whole call is saved for review",
		Evidence: fmt.Sprintf("Replay the %d-line transcript and mark the lines you would say differently", m.Turns)})
	return out
}

func (e *evaluation) genericImprovements() []domain.Insight {
	m := e.m
	_, worst := e.bestWorst()
	var out []domain.Insight
	if m.Exchanges < engagementExchanges {
		out = append(out, domain.Insight{Point: fmt.Sprintf("Hold a real back-and-forth: at least %d exchanges with the prospect", engagementExchanges),
			Evidence: fmt.Sprintf("%d exchanges, %d of your words", m.Exchanges, m.RepWords)})
	}
	out = append(out,
		domain.Insight{Point: fmt.Sprintf("Focus your next practice on %s", categoryNames[worst]),
			Evidence: fmt.Sprintf("%s scored %d/100, your lowest category", categoryNames[worst], e.scores[worst])},
		domain.Insight{Point: fmt.Sprintf("Run this %s again and compare the metrics", e.exp.label),
			Evidence: fmt.Sprintf("Overall %d/100; the same persona and mode make progress measurable", e.overall)},
		domain.Insight{Point: "Rehearse the key moments out loud",
			Evidence: fmt.Sprintf("%d questions, %d objections and %d next-step proposals in this call", m.Questions, len(m.Objections), m.NextStep.Proposals)},
	)
	return out
}

// band names a score as the spec's scoring guidelines do (§11.2).
func band(score int) string {
	switch {
	case score >= 90:
		return "exceptional"
	case score >= 80:
		return "strong"
	case score >= 70:
		return "good"
	case score >= 60:
		return "adequate"
	case score >= 50:
		return "below average"
	}
	return "needs fundamental training"
}

// summary is one sentence: the score, what happened on the three things that
// matter most (questions, objections, next step), best and worst categories.
func (e *evaluation) summary() string {
	m := e.m
	label := strings.ToUpper(e.exp.label[:1]) + e.exp.label[1:]
	if e.engagement < 0.5 {
		return fmt.Sprintf("%s, %d/100: too little conversation to judge, with %d of your words over %d exchanges.",
			label, e.overall, m.RepWords, m.Exchanges)
	}
	good := 0
	for i, o := range m.Objections {
		if o.quality() >= strengthAt && (i >= len(e.pressed) || !e.pressed[i]) {
			good++
		}
	}
	objections := "no objections came up"
	if n := len(m.Objections); n > 0 {
		objections = fmt.Sprintf("handled %d of %d objections well", good, n)
	}
	next := "got no concrete next step"
	switch {
	case m.NextStep.Booked:
		next = "booked a next step"
	case m.NextStep.Proposals > 0:
		next = "proposed a time that was not accepted"
	}
	best, worst := e.bestWorst()
	named := band(e.overall)
	if e.neverAnswered || (e.pressedUnanswered && !m.NextStep.Booked) {
		// A call that left the prospect's objection unanswered and booked
		// nothing is not "good", whatever else went well.
		named = band(min(e.overall, 69))
	}
	return fmt.Sprintf("%s, %d/100 (%s): asked %d questions, %s and %s; strongest at %s (%d), weakest at %s (%d).",
		label, e.overall, named, m.Questions, objections, next,
		categoryNames[best], e.scores[best], categoryNames[worst], e.scores[worst])
}
