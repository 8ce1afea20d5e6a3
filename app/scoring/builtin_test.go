package scoring_test

import (
	"testing"

	"github.com/sparrow-coach/sparrow/app/scoring"
	"github.com/sparrow-coach/sparrow/internal/scoringtest"
)

// The chains' last resort is the rubric, and passes the scoring contract.
func TestBuiltinPassesTheScoringContract(t *testing.T) {
	t.Parallel()
	scoringtest.Run(t, scoring.Builtin{}, scoringtest.Options{Deterministic: true})
}
