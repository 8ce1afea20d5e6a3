package projections

import (
	"fmt"

	"github.com/sparrow-coach/sparrow/domain"
	"github.com/sparrow-coach/sparrow/eventstore"
)

// Calls projects call streams into calls, transcripts and scores, and drops a
// deleted user's calls with their transcripts and scores (children of calls
// in the schema: the Delete takes them, in the same transaction). Every
// change to a call's child rows is tied to the call row existing, in the
// same statement, so a late event for a forgotten call changes nothing;
// there are no foreign keys to check it again (migration 00010).
type Calls struct{}

func (Calls) Name() string      { return "calls" }
func (Calls) Tables() []string  { return []string{"calls", "transcripts", "scores"} }
func (Calls) Streams() []string { return callsStreams }

var callsStreams = []string{domain.StreamCall, domain.StreamUser}

// Schema: a transcript line is keyed by its event's id, so transcripts are
// append-only (the rebuild streams them).
func (Calls) Schema() []TableDef {
	return []TableDef{
		{Name: "calls", Key: []string{"id"}},
		{Name: "transcripts", Key: []string{"id"}, AppendOnly: true, Parent: "calls", ParentCol: "call_id"},
		{Name: "scores", Key: []string{"call_id"}, Parent: "calls", ParentCol: "call_id"},
	}
}

// Apply is Changes as statements (rows.go).
func (p Calls) Apply(e eventstore.Event) ([]Stmt, error) { return applyRows(p, e) }

func (Calls) Changes(e eventstore.Event) ([]Change, error) {
	id, v, at := e.StreamID, e.Version, e.Metadata.OccurredAt
	call := col("id", id)
	// touch moves the call's version and updated_at (and sets more).
	touch := func(sets ...Set) Change {
		return update("calls", call, append(sets, set("version", v), set("updated_at", at))...)
	}
	child := func(c Change) Change { return c.ifExists("calls", call) }
	switch d := e.Data.(type) {
	case *domain.CallCreated:
		return []Change{insert("calls", call, col("user_id", d.UserID), col("persona_id", nullIfEmpty(d.PersonaID)), col("mode", string(d.Mode)),
			col("status", "pending"), col("imported", d.Imported), col("hints", d.Hints), col("transcript_version", 0),
			col("version", v), col("created_at", at), col("updated_at", at))}, nil
	case *domain.CallStarted:
		sets := []Set{set("status", "in_progress"), set("started_at", d.StartedAt)}
		if d.ElevenlabsConversationID != "" {
			sets = append(sets, set("elevenlabs_conversation_id", d.ElevenlabsConversationID))
		}
		return []Change{touch(sets...)}, nil
	case *domain.CallConversationLinked:
		return []Change{touch(set("elevenlabs_conversation_id", d.ElevenlabsConversationID))}, nil
	case *domain.TranscriptChunkAdded:
		return []Change{
			touch(Set{Col: "transcript_version", Op: Add, Value: 1}),
			child(insert("transcripts", col("id", e.Metadata.EventID), col("call_id", id), col("role", string(d.Role)),
				col("content", d.Content), col("timestamp_ms", d.TimestampMs), col("seq", v), col("created_at", at))),
		}, nil
	case *domain.CallEnded:
		return []Change{touch(set("status", "completed"), set("ended_at", d.EndedAt), set("duration_seconds", d.DurationSeconds),
			set("end_reason", d.Reason))}, nil
	case *domain.CallFailed:
		return []Change{touch(set("status", "failed"), set("failure_reason", d.Reason))}, nil
	case *domain.CallQuickScored:
		// The overall score shows the quick score until a deep score exists.
		quick := []Set{set("quick_score", d.Overall), set("quick_summary", d.Summary), set("quick_provider", d.Provider),
			set("quick_model", d.Model), set("quick_transcript_version", d.TranscriptVersion)}
		sets := append(append([]Set(nil), quick...), Set{Col: "overall_score", Value: d.Overall, When: &Cond{Kind: IsNull, Col: "deep_transcript_version"}},
			set("updated_at", at))
		return []Change{touch(), child(Change{Kind: Upsert, Table: "scores", Sets: sets,
			Cols: append(setCols(quick), col("id", id), col("call_id", id), col("overall_score", d.Overall),
				col("deep_transcript_version", nil), col("created_at", at), col("updated_at", at))})}, nil
	case *domain.CallDeepScored:
		js, err := jsonValues(nonNil(d.Strengths), nonNil(d.Improvements), nonNil(d.KeyMoments))
		if err != nil {
			return nil, fmt.Errorf("projection calls: %s: %w", e.Type, err)
		}
		var metrics any
		if len(d.Metrics) > 0 {
			metrics = d.Metrics
		}
		deep := []Set{set("overall_score", d.Overall), set("opening_score", d.Opening), set("discovery_score", d.Discovery),
			set("objection_score", d.ObjectionHandling), set("communication_score", d.Communication), set("closing_score", d.Closing),
			set("strengths", js[0]), set("improvements", js[1]), set("key_moments", js[2]), set("raw_feedback", d.Summary),
			set("metrics", metrics), set("deep_status", "ready"), set("deep_provider", d.Provider), set("deep_model", d.Model),
			set("rubric_version", d.RubricVersion), set("deep_transcript_version", d.TranscriptVersion), set("updated_at", at)}
		return []Change{touch(), child(Change{Kind: Upsert, Table: "scores", Sets: append(append([]Set(nil), deep...), set("deep_error", nil)),
			Cols: append(setCols(deep), col("id", id), col("call_id", id), col("created_at", at))})}, nil
	case *domain.CallDeepScoringFailed:
		if d.Partial { // a later provider of the same chain scored the call
			return []Change{touch()}, nil
		}
		// A failure for an older transcript than the current deep score leaves the score ready.
		return []Change{touch(), update("scores", col("call_id", id), set("deep_error", d.Reason), set("deep_failed_version", d.TranscriptVersion),
			set("updated_at", at), Set{Col: "deep_status", Value: "failed", When: &Cond{Kind: NullOrBelow, Col: "deep_transcript_version", Value: d.TranscriptVersion}})}, nil
	case *domain.UserDeleted:
		return []Change{del("calls", col("user_id", id))}, nil
	case *domain.UserRegistered, *domain.UserProfileUpdated, *domain.UserOnboardingCompleted:
		return nil, nil
	}
	return nil, fmt.Errorf("projection calls: no rule for %s", e.Type)
}

// setCols turns assignments into the columns of a new row.
func setCols(sets []Set) []Col {
	out := make([]Col, len(sets))
	for i, s := range sets {
		out[i] = col(s.Col, s.Value)
	}
	return out
}
