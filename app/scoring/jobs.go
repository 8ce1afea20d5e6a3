package scoring

import (
	"fmt"

	"github.com/sparrow-coach/sparrow/domain"
	"github.com/sparrow-coach/sparrow/eventstore"
	"github.com/sparrow-coach/sparrow/projections"
)

// Jobs is the projector that turns the log into deep-scoring work: a call
// needs a deep score once it has ended, and again whenever its transcript
// grows afterwards (the post-call webhook), until a deep score covers its
// latest transcript version. Running it as a projector gives the worker
// exactly-once, in-order bookkeeping for free, and keeps the decision of
// what is due in the log, not in the worker's memory.
type Jobs struct{}

func (Jobs) Name() string      { return "scoring_jobs" }
func (Jobs) Tables() []string  { return []string{"scoring_jobs"} }
func (Jobs) Streams() []string { return []string{domain.StreamCall} }

func (Jobs) Apply(e eventstore.Event) ([]projections.Stmt, error) {
	id := e.StreamID
	switch d := e.Data.(type) {
	case *domain.CallCreated:
		return []projections.Stmt{{SQL: `INSERT INTO scoring_jobs (call_id) VALUES ($1) ON CONFLICT (call_id) DO NOTHING`, Args: []any{id}}}, nil
	case *domain.TranscriptChunkAdded:
		// A line arriving after the end makes the job due again, even if the
		// worker had given up on the previous version.
		return []projections.Stmt{{SQL: `UPDATE scoring_jobs SET wanted_version = wanted_version + 1,
  attempts = CASE WHEN ended THEN 0 ELSE attempts END, not_before = CASE WHEN ended THEN '-infinity' ELSE not_before END
WHERE call_id = $1`, Args: []any{id}}}, nil
	case *domain.CallEnded:
		return []projections.Stmt{{SQL: `UPDATE scoring_jobs SET ended = true, attempts = 0, not_before = '-infinity' WHERE call_id = $1`, Args: []any{id}}}, nil
	case *domain.CallDeepScored:
		return []projections.Stmt{{SQL: `UPDATE scoring_jobs SET done_version = greatest(coalesce(done_version, 0), $2), attempts = 0, last_error = NULL
WHERE call_id = $1`, Args: []any{id, d.TranscriptVersion}}}, nil
	case *domain.CallFailed:
		return []projections.Stmt{{SQL: `DELETE FROM scoring_jobs WHERE call_id = $1`, Args: []any{id}}}, nil
	case *domain.CallStarted, *domain.CallConversationLinked, *domain.CallQuickScored, *domain.CallDeepScoringFailed:
		return nil, nil
	}
	return nil, fmt.Errorf("projection scoring_jobs: no rule for %s", e.Type)
}
