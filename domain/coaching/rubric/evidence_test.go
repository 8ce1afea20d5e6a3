package rubric

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/sparrow-coach/sparrow/domain"
)

// TestSituationEvidenceCountsQuestions: the discovery evidence names the
// questions as a person counts them ("1 open and 0 closed question"), not
// as the weighted "2.5 questions (open count 1, closed 0.5)" a trial's
// debrief showed ("2.0 questions").
func TestSituationEvidenceCountsQuestions(t *testing.T) {
	r := scored(domain.ScoreInput{Mode: domain.ModeDiscovery, Transcript: untimed(
		"Hi Dana, thanks for the time. How is onboarding going for new hires these days?",
		"It takes two months, nothing is documented.",
		"What does that cost you in hours per week?",
		"About twenty hours a week.",
		"Is that getting worse?",
		"Yes.",
	)})
	var all []string
	for _, in := range append(append([]domain.Insight(nil), r.Strengths...), r.Improvements...) {
		all = append(all, in.Evidence)
	}
	text := strings.Join(all, "\n")
	assert.Contains(t, text, "1 open and 0 closed question about the prospect's situation (a closed one counts half); 1 answer gave you numbers")
	assert.NotContains(t, text, "open count 1")
}
