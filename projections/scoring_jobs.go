package projections

import (
	"fmt"

	"github.com/sparrow-coach/sparrow/domain"
	"github.com/sparrow-coach/sparrow/eventstore"
)

// ScoringJobs is the projector that turns the log into deep-scoring work
// (ADR 6): a call needs a deep score once it has ended, and again whenever
// its transcript grows afterwards (the post-call webhook), until a deep
// score covers its latest transcript version. Running it as a projector
// gives the deep-scoring worker (app/scoring) exactly-once, in-order
// bookkeeping for free, and keeps the decision of what is due in the log,
// not in the worker's memory.
//
// It is a work queue, not a read model (see WorkQueues): request paths never
// wait for it. Its table also carries columns the worker maintains (the
// lease in not_before, attempts, last_error; see WorkerColumns): a rebuild
// keeps their live values and verify does not compare them.
type ScoringJobs struct{}

func (ScoringJobs) Name() string      { return "scoring_jobs" }
func (ScoringJobs) Tables() []string  { return []string{"scoring_jobs"} }
func (ScoringJobs) Streams() []string { return []string{domain.StreamCall} }

// WorkerColumns: the worker's lease (not_before), attempts and last error
// are operational state, not facts of the log.
func (ScoringJobs) WorkerColumns() []TableColumns {
	return []TableColumns{{Table: "scoring_jobs", Key: "call_id", Columns: []string{"attempts", "not_before", "last_error"}}}
}

func (ScoringJobs) Apply(e eventstore.Event) ([]Stmt, error) {
	id := e.StreamID
	switch d := e.Data.(type) {
	case *domain.CallCreated:
		return []Stmt{{SQL: `INSERT INTO scoring_jobs (call_id) VALUES ($1) ON CONFLICT (call_id) DO NOTHING`, Args: []any{id}}}, nil
	case *domain.TranscriptChunkAdded:
		// A line arriving after the end makes the job due again, even if the
		// worker had given up on the previous version.
		return []Stmt{{SQL: `UPDATE scoring_jobs SET wanted_version = wanted_version + 1,
  attempts = CASE WHEN ended THEN 0 ELSE attempts END, not_before = CASE WHEN ended THEN '-infinity' ELSE not_before END
WHERE call_id = $1`, Args: []any{id}}}, nil
	case *domain.CallEnded:
		return []Stmt{{SQL: `UPDATE scoring_jobs SET ended = true, attempts = 0, not_before = '-infinity' WHERE call_id = $1`, Args: []any{id}}}, nil
	case *domain.CallDeepScored:
		return []Stmt{{SQL: `UPDATE scoring_jobs SET done_version = greatest(coalesce(done_version, 0), $2), attempts = 0, last_error = NULL
WHERE call_id = $1`, Args: []any{id, d.TranscriptVersion}}}, nil
	case *domain.CallFailed:
		return []Stmt{{SQL: `DELETE FROM scoring_jobs WHERE call_id = $1`, Args: []any{id}}}, nil
	case *domain.CallStarted, *domain.CallConversationLinked, *domain.CallQuickScored, *domain.CallDeepScoringFailed:
		return nil, nil
	}
	return nil, fmt.Errorf("projection scoring_jobs: no rule for %s", e.Type)
}
