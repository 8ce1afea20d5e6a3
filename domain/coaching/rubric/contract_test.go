package rubric_test

import (
	"testing"

	"github.com/sparrow-coach/sparrow/domain/coaching/rubric"
	"github.com/sparrow-coach/sparrow/internal/scoringtest"
)

// The built-in rubric is a scoring provider like any other: it passes the
// acceptance suite, and is deterministic.
func TestScorerPassesTheScoringContract(t *testing.T) {
	scoringtest.Run(t, rubric.Scorer{}, scoringtest.Options{Deterministic: true})
}
