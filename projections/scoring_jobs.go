package projections

import (
	"fmt"

	"github.com/jackc/pgx/v5/pgtype"

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
func (ScoringJobs) Streams() []string { return scoringJobsStreams }

var scoringJobsStreams = []string{domain.StreamCall}

// WorkerColumns: the worker's lease (not_before), attempts and last error
// are operational state, not facts of the log.
func (ScoringJobs) WorkerColumns() []TableColumns {
	return []TableColumns{{Table: "scoring_jobs", Key: "call_id", Columns: []string{"attempts", "not_before", "last_error"}}}
}

func (ScoringJobs) Schema() []TableDef {
	return []TableDef{{Name: "scoring_jobs", Key: []string{"call_id"}}}
}

// Apply is Changes as statements (rows.go).
func (p ScoringJobs) Apply(e eventstore.Event) ([]Stmt, error) { return applyRows(p, e) }

// dueAgain is the worker's lease and attempts reset: the job is due now.
var dueAgain = []Set{set("attempts", 0), set("not_before", pgtype.Timestamptz{InfinityModifier: pgtype.NegativeInfinity, Valid: true})}

func (ScoringJobs) Changes(e eventstore.Event) ([]Change, error) {
	job := col("call_id", e.StreamID)
	switch d := e.Data.(type) {
	case *domain.CallCreated:
		return []Change{insert("scoring_jobs", job, col("wanted_version", 0), col("ended", false), col("done_version", nil))}, nil
	case *domain.TranscriptChunkAdded:
		// A line arriving after the end makes the job due again, even if the
		// worker had given up on the previous version.
		sets := []Set{{Col: "wanted_version", Op: Add, Value: 1}}
		for _, s := range dueAgain {
			s.When = &Cond{Kind: IsTrue, Col: "ended"}
			sets = append(sets, s)
		}
		return []Change{update("scoring_jobs", job, sets...)}, nil
	case *domain.CallEnded:
		return []Change{update("scoring_jobs", job, append([]Set{set("ended", true)}, dueAgain...)...)}, nil
	case *domain.CallDeepScored:
		return []Change{update("scoring_jobs", job, Set{Col: "done_version", Op: AtLeast, Value: d.TranscriptVersion},
			set("attempts", 0), set("last_error", nil))}, nil
	case *domain.CallFailed:
		return []Change{del("scoring_jobs", job)}, nil
	case *domain.CallStarted, *domain.CallConversationLinked, *domain.CallQuickScored, *domain.CallDeepScoringFailed:
		return nil, nil
	}
	return nil, fmt.Errorf("projection scoring_jobs: no rule for %s", e.Type)
}
